"""report.json of a Spark run, summed from the partitions: the same keys and counts as
``chaff run``'s report (``report.rs``), so ``seen = written + duplicates + skipped`` holds."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Dict, Iterator, List, Tuple


def record_counts(written: dict) -> Counter:
    """What one written record adds to the report's line, reason and decoding counts."""
    record = written["record"]
    lines = record["lines"]
    c = Counter()
    c["written"] = 1
    c["lines.total"] = lines["total"]
    c["lines.kept"] = lines["kept"]
    c["lines.removed"] = len(lines["removed"])
    c["lines.uncertain"] = len(lines["uncertain"])
    for removed in lines["removed"]:
        c["removed." + removed["reason"]] += 1
    source = record["source"]
    if source.get("lossy"):
        c["decoding.lossy"] += 1
    if source.get("encoding_from") == "guessed":
        c["decoding.guessed"] += 1
    return c


def _add(a: Counter, b: Counter) -> Counter:
    a.update(b)
    return a


def _folded_counts(item) -> Counter:
    written, same_text, _ = item
    c = record_counts(written)
    c["same_text"] = same_text
    return c


def _scan_counts(rows) -> Iterator[Tuple[int, List[Tuple[bool, str, dict]]]]:
    docs, skips = 0, []
    for r in rows:
        if "skip" in r:
            skips.append((not r.get("walk", False), r["order"], r["skip"]))
        else:
            docs += 1
    yield docs, skips


def scanned(rows) -> Tuple[int, List[dict]]:
    """Documents scanned, and the skipped inputs in the report's order (walk skips, then read
    skips, each in the run's order)."""
    docs, skips = 0, []
    for n, part in rows.mapPartitions(_scan_counts).collect():
        docs += n
        skips.extend(part)
    return docs, [s for _, _, s in sorted(skips, key=lambda t: (t[0], t[1]))]


def failures(cleaned) -> List[dict]:
    """Failures of chaff on documents: extraction failures in the run's order, then cleaning's."""
    found = cleaned.flatMap(lambda c: [(f["stage"] != "extract", c["order"], f) for f in c.get("failures", [])])
    return [f for _, _, f in sorted(found.collect(), key=lambda t: (t[0], t[1]))]


def written(folded) -> Counter:
    """Counts of the written records (lines, reasons, decodings) and of same-text duplicates."""
    return folded.map(_folded_counts).fold(Counter(), _add)


def empties(cleaned) -> List[List[dict]]:
    """Records that cleaned to nothing, in the run's order: each as its skipped inputs (the
    document, then its exact copies)."""
    from chaff.spark._fold import empty_skips

    found = cleaned.filter(lambda c: c["record"]["text"] == "").map(lambda c: (c["order"], empty_skips(c)))
    return [skips for _, skips in sorted(found.collect(), key=lambda t: t[0])]


def build(inputs, docs: int, skipped: List[dict], empty: List[List[dict]], exact: int, written: Counter,
          near: int, failures: List[dict], model_json: bytes, model_lines: int) -> Dict[str, object]:
    """report.json but its ``outputs``, from what the steps counted. Records that cleaned to
    nothing are skipped inputs after those skipped while reading; their exact copies move from
    the duplicates to the skipped inputs."""
    from chaff.spark._inputs import input_name

    for skips in empty:
        exact -= len(skips) - 1
        skipped = skipped + skips
    model = json.loads(model_json) if model_json else {"units": 0, "sites": {}}
    report: Dict[str, object] = {
        "schema": "chaff-report/1",
        "inputs": [input_name(i) for i in inputs],
        "seen": docs + len(skipped),
        "written": written["written"],
        "duplicates": {"exact": int(exact), "same-text": written["same_text"]},
        "near_duplicates": near,
        "skipped": len(skipped),
        "skipped_by_kind": dict(sorted(Counter(s["kind"] for s in skipped).items())),
        "skipped_inputs": skipped,
    }
    if failures:
        report["failures"] = failures
    report["decoding"] = {"lossy": written["decoding.lossy"], "guessed": written["decoding.guessed"]}
    report["lines"] = {k: written["lines." + k] for k in ("total", "kept", "removed", "uncertain")}
    report["removed"] = {
        k[len("removed.") :]: n for k, n in sorted(written.items()) if k.startswith("removed.") and n
    }
    report["model"] = {
        "sha256": hashlib.sha256(model_json).hexdigest(),
        "units": model["units"],
        "sites": len(model["sites"]),
        "lines": model_lines,
    }
    return report
