"""What runs inside Spark tasks: each function takes one partition and pipes it through a stage
of the chaff binary (``chaff stage …``), which does all per-document work.

Every stage reads and writes JSONL whose first line is a header (``{"format": …}``); these
functions write the binary's input to a task-local temporary folder, run it, and parse what it
writes. A skipped input is data (a row), never a failed task; a fatal error of the binary fails
the task with chaff's own message (:class:`chaff._binary.StageFailed`).
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Iterable, Iterator, List, Sequence, Tuple

from chaff._binary import run_stage


def _lines(output: bytes) -> Iterator[dict]:
    """The JSON objects of a stage's output, without its header line."""
    for row, _ in _rows(output):
        yield row


def _rows(output: bytes) -> Iterator[Tuple[dict, bytes]]:
    """The JSON objects of a stage's output with their lines, without its header line."""
    for line in output.splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if "format" in row:
            continue
        yield row, line


def scan_partition(names, options: Sequence[str]):
    """A task function: ``(uri, bytes)`` pairs from ``binaryFiles`` → scan rows. ``names`` is a
    broadcast mapping each file's URI to its ``(source.path, site)`` names (more than one when
    two inputs reach the same file, as ``chaff run`` reads it under each name)."""

    def scan(files: Iterable[Tuple[str, bytes]]) -> Iterator[dict]:
        table = names.value
        with tempfile.TemporaryDirectory(prefix="chaff-scan-") as tmp:
            manifest = os.path.join(tmp, "manifest.jsonl")
            count = 0
            with open(manifest, "w", encoding="utf-8") as out:
                for uri, data in files:
                    # The file keeps its name: chaff reads containers by their extension.
                    folder = os.path.join(tmp, str(count))
                    os.mkdir(folder)
                    local = os.path.join(folder, uri.rstrip("/").rsplit("/", 1)[-1] or "file")
                    with open(local, "wb") as f:
                        f.write(data)
                    for path, site in table[uri]:
                        out.write(json.dumps({"file": local, "path": path, "site": site}) + "\n")
                    count += 1
            if count == 0:
                return
            output = run_stage(["stage", "scan", "--manifest", manifest, "-o", "-", *options])
        for row, line in _rows(output):
            if "skip" not in row:
                # The scanned document travels as chaff wrote it, for clean to read back.
                row.pop("row", None)
                row["line"] = line.decode("utf-8")
            yield row

    return scan


def learn_partition(units: Iterable[Tuple[str, Tuple[str, List[str]]]]) -> Iterator[str]:
    """A task function: ``(unit, (site, keys))`` rows, every row of a unit in this partition →
    one partial model (JSON text), or nothing for an empty partition."""
    lines = [json.dumps({"unit": unit, "site": site, "keys": keys}) for unit, (site, keys) in units]
    if not lines:
        return
    with tempfile.TemporaryDirectory(prefix="chaff-learn-") as tmp:
        rows = os.path.join(tmp, "units.jsonl")
        with open(rows, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        yield run_stage(["stage", "learn", rows, "-o", "-"]).decode("utf-8")


def clean_partition(model, options: Sequence[str]):
    """A task function: kept rows (scan rows with their exact copies and cluster) → cleaned
    rows: the record as chaff built it (``record``; ``stage write`` serializes it, so its bytes
    are chaff's), the text id, the failures, and what the fold needs of the row. ``model`` is a
    broadcast of model.json's bytes."""

    def clean(rows: Iterable[dict]) -> Iterator[dict]:
        rows = list(rows)
        if not rows:
            return
        with tempfile.TemporaryDirectory(prefix="chaff-clean-") as tmp:
            model_file = os.path.join(tmp, "model.json")
            with open(model_file, "wb") as f:
                f.write(model.value)
            scan_rows = os.path.join(tmp, "rows.jsonl")
            with open(scan_rows, "w", encoding="utf-8") as f:
                for row in rows:
                    f.write(row["line"] + "\n")
            output = run_stage(["stage", "clean", scan_rows, "--model", model_file, "-o", "-", *options])
        by_order = {row["order"]: row for row in rows}
        for cleaned in _lines(output):
            row = by_order[cleaned["order"]]
            for key in ("path", "path_hex", "exact", "cluster", "signature"):
                if key in row:
                    cleaned[key] = row[key]
            yield cleaned

    return clean


def write_partition(items: Iterable[Tuple[str, Tuple[str, object]]]) -> Iterator[str]:
    """A task function: a range of the output, sorted by order, as ``(order, ("record", row))``
    and ``(order, ("near", summary))`` items → the final JSONL lines of ``clean.jsonl``,
    formatted by chaff (which sorts each record's duplicates)."""
    pending = []
    current = None
    for order, (tag, value) in items:
        if current is None or current["order"] != order:
            current = {"order": order, "record": None, "add": [], "near": None}
            pending.append(current)
        if tag == "record":
            current["record"] = value["record"]
            current["add"] = value["add"]
        else:
            current["near"] = value
    if not pending:
        return
    with tempfile.TemporaryDirectory(prefix="chaff-write-") as tmp:
        folded = os.path.join(tmp, "folded.jsonl")
        with open(folded, "w", encoding="utf-8") as f:
            for item in pending:
                f.write(json.dumps(item) + "\n")
        output = run_stage(["stage", "write", folded, "-o", "-"])
    for line in output.decode("utf-8").splitlines():
        yield line
