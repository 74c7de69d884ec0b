"""report.json of a Spark run, summed from the partitions: the same keys and counts as
``chaff run``'s report (``report.rs``), so ``seen = written + duplicates + skipped`` holds."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Dict, List


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


def counts(skips, docs: int, kept, cleaned, folded, links, model_json: bytes, model_lines: int) -> Dict[str, object]:
    """The report's fields but ``schema``, ``inputs`` and ``outputs``."""
    exact = kept.map(lambda r: len(r["exact"])).sum()
    folded_counts = folded.map(lambda t: Counter(same_text=t[1])).fold(Counter(), _add)
    written = folded.map(lambda t: record_counts(t[0])).fold(Counter(), _add)
    near = links.count()
    failures = cleaned.flatMap(lambda c: [(f["stage"] != "extract", c["order"], f) for f in c.get("failures", [])])
    failures = [f for _, _, f in sorted(failures.collect(), key=lambda t: (t[0], t[1]))]
    skips = sorted(skips, key=lambda s: (not s[2], s[0]))
    skipped: List[dict] = [s[1] for s in skips]
    model = json.loads(model_json) if model_json else {"units": 0, "sites": {}, "lines": {}}
    report: Dict[str, object] = {
        "seen": docs + len(skipped),
        "written": written["written"],
        "duplicates": {"exact": int(exact), "same-text": folded_counts["same_text"]},
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
