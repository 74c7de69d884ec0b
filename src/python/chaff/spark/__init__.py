"""chaff on Apache Spark: the same output as ``chaff run``, computed by a cluster.

The chaff binary does all per-document work inside Spark tasks (``chaff stage scan``, ``learn``,
``clean``, ``write``); Spark does the shuffles between them::

    binaryFiles ─► scan (per file) ─► group by SHA-256: exact copies fold into the first path
        ─► group by band key: near-duplicate edges ─► connected components (clusters)
        ─► partition by cluster: partial models ─► reduce by line key ─► model.json (pruned once)
        ─► broadcast model ─► clean (per document) ─► group by text id: same-text copies fold
        ─► group by cluster: near summaries ─► range-partition by order ─► write part-NNNNN.jsonl

``cat out/part-*.jsonl`` is byte-identical to ``chaff run``'s ``clean.jsonl`` on the same inputs;
``model.json`` is identical; ``report.json`` has the same counts (it names the parts instead of
one ``clean.jsonl``).

From a notebook::

    from chaff.spark import run
    summary = run(spark, ["s3a://bucket/crawl/"], "s3a://bucket/out/")

From a shell: ``python -m chaff.spark run --inputs paths.txt --out DIR`` (see ``__main__``).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from chaff._binary import StageFailed, run_stage
from chaff.spark import _fold, _model, _report, _tasks
from chaff.spark._inputs import InputError, list_files, read_paths_file

__all__ = ["run", "Options", "Summary", "InputError", "StageFailed", "read_paths_file"]


@dataclass
class Options:
    """The options ``chaff run`` takes that change the output (same names and defaults)."""

    max_bytes: Optional[str] = None
    min_units: Optional[int] = None
    site_share: Optional[float] = None
    min_sites: Optional[int] = None
    strong_share: Optional[float] = None
    jsonl_url: Optional[str] = None
    jsonl_html: Optional[str] = None
    jsonl_text: Optional[str] = None

    def scan_args(self) -> List[str]:
        return _flags(
            [("--max-bytes", self.max_bytes), ("--jsonl-url", self.jsonl_url),
             ("--jsonl-html", self.jsonl_html), ("--jsonl-text", self.jsonl_text)]
        )

    def clean_args(self) -> List[str]:
        return _flags(
            [("--min-units", self.min_units), ("--site-share", self.site_share),
             ("--min-sites", self.min_sites), ("--strong-share", self.strong_share)]
        )


def _flags(pairs) -> List[str]:
    out: List[str] = []
    for flag, value in pairs:
        if value is not None:
            out += [flag, str(value)]
    return out


@dataclass
class Summary:
    """What a run did: the report (as written to ``report.json``), the files written, the
    partitions used and the wall-clock time of each step."""

    report: dict
    outputs: List[str] = field(default_factory=list)
    partitions: int = 0
    timings: List[Tuple[str, float]] = field(default_factory=list)


def run(
    spark,
    inputs: Sequence[str],
    out: str,
    partitions: Optional[int] = None,
    options: Optional[Options] = None,
) -> Summary:
    """Cleans ``inputs`` (files or folders, on any filesystem Spark reads) into ``out`` (a folder
    that must not hold a previous run's parts): ``part-NNNNN.jsonl``, ``model.json`` and
    ``report.json``. ``partitions`` (default: Spark's default parallelism) sets how many tasks
    scan and clean, and how many parts are written.

    Raises :class:`InputError` for a missing input and :class:`StageFailed` (chaff's message)
    when the binary fails fatally; a skipped input is only a line in the report."""
    options = options or Options()
    sc = spark.sparkContext
    parts = partitions or sc.defaultParallelism
    # Shuffles of small rows (band keys, units, line counts, links) need no more partitions than
    # the cluster has cores.
    small = max(1, min(parts, sc.defaultParallelism))
    timer = _Timer()
    with timer("list"):
        files = list_files(spark, inputs, exclude=[out])
    run_stage(["stage", "--help"])  # fail early, on the driver, without a binary that has the stages
    writer = _Output(spark, out)
    writer.prepare()

    with timer("scan"):
        rows = _scan(sc, files, parts, options).persist()
        docs, skipped = _report.scanned(rows)

    with timer("exact dedup"):
        # One shuffle of the documents by SHA-256; the first path is kept. The kept rows'
        # partitions are the tasks that clean.
        first = rows.filter(lambda r: "skip" not in r).map(lambda r: (r["sha256"], _slim(r)))
        first = first.groupByKey(parts).map(lambda kv: _fold.exact_group(kv[1])).persist()
        exact = first.map(lambda r: len(r["exact"])).sum()

    with timer("near dedup"):
        bc_clusters = sc.broadcast(_clusters(first, small))
    kept = first.map(lambda r: dict(r, cluster=bc_clusters.value.get(r["order"], r["order"])))

    with timer("learn"):
        model_json, model_lines = _learn(kept, small)
    bc_model = sc.broadcast(model_json)

    with timer("clean"):
        cleaned = kept.mapPartitions(_tasks.clean_partition(bc_model, options.clean_args())).persist()
        failures = _report.failures(cleaned)

    with timer("same-text, near"):
        # A record that cleaned to nothing is skipped (with its exact copies), never written.
        empties = _report.empties(cleaned)
        # One shuffle of the cleaned records by text id; the first path is written.
        folded = cleaned.filter(lambda c: c["record"]["text"] != "").map(lambda c: (c["id"], c))
        folded = folded.groupByKey(small).map(lambda kv: _fold.same_text_group(kv[1])).persist()
        counts = _report.written(folded)
        written = folded.map(lambda t: t[0])
        # Near-duplicate summaries: the written members of each cluster, grouped by cluster.
        nears = (
            written.filter(lambda w: w["order"] in bc_clusters.value)
            .map(lambda w: (w["cluster"], {"order": w["order"], "path": w["path"], "path_hex": w.get("path_hex"),
                                           "signature": w["signature"]}))
            .groupByKey(small)
            .flatMap(lambda kv: _fold.near_summaries(kv[1]))
            .persist()
        )
        near = nears.count()

    with timer("write"):
        items = written.map(lambda w: (w["order"], ("record", {"record": w["record"], "add": w["add"]}))).union(
            nears.map(lambda kv: (kv[0], ("near", kv[1])))
        )
        lines = items.sortByKey(ascending=True, numPartitions=parts).mapPartitions(_tasks.write_partition)
        part_names = writer.records(lines)

    report = _report.build(inputs, docs, skipped, empties, exact, counts, near, failures, model_json, model_lines)
    report["outputs"] = {"model.json": _output_summary(model_json), "parts": part_names}
    writer.file("model.json", model_json)
    writer.file("report.json", (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    writer.finish()
    for rdd in (rows, first, cleaned, folded, nears):
        rdd.unpersist()
    return Summary(report=report, outputs=part_names + ["model.json", "report.json"], partitions=parts,
                   timings=timer.steps)


class _Timer:
    """Wall-clock time of each step (every step ends with the Spark job that materializes it)."""

    def __init__(self):
        self.steps: List[Tuple[str, float]] = []

    @contextmanager
    def __call__(self, name: str):
        start = time.monotonic()
        yield
        self.steps.append((name, time.monotonic() - start))


def _scan(sc, files, parts: int, options: Options):
    """Reads every file through Spark and scans it in the binary; one row per document or skip."""
    if not files:
        return sc.parallelize([], 1)
    table: Dict[str, List[Tuple[str, str]]] = {}
    for f in files:
        table.setdefault(f.uri, []).append((f.path, f.site))
    names = sc.broadcast(table)
    raw = sc.binaryFiles(",".join(table), minPartitions=parts)
    if raw.getNumPartitions() < parts:
        # Spark packs small files into few splits; deal them out in walk order instead.
        place = sc.broadcast({uri: n for n, uri in enumerate(table)})
        raw = raw.partitionBy(parts, lambda uri: place.value[uri] % parts)
    return raw.mapPartitions(_tasks.scan_partition(names, options.scan_args()))


def _slim(row: dict) -> dict:
    """What the later stages need of a scan row: small fields, and the row's line for clean."""
    slim = {k: row.get(k) for k in ("order", "path", "sha256", "site", "keys", "signature", "bands", "line")}
    if "path_hex" in row:
        slim["path_hex"] = row["path_hex"]
    return slim


def _clusters(kept, parts: int) -> Dict[str, str]:
    """Near-duplicate clusters: one shuffle by band key gives the edges, which are few; their
    connected components are found on the driver. Returns each clustered row's cluster id."""
    edges = (
        kept.filter(lambda r: r["signature"] is not None)
        .flatMap(lambda r: [((b, band), (r["order"], r["signature"])) for b, band in enumerate(r["bands"])])
        .groupByKey(parts)
        .flatMap(lambda kv: _fold.band_edges(kv[1]))
        .distinct()
        .collect()
    )
    return _fold.components(edges)


def _learn(kept, parts: int) -> Tuple[bytes, int]:
    """The model: partial models per partition of units (all rows of a unit in one partition),
    added by line key in one shuffle, pruned once by ``chaff stage merge``. Also returns how many
    distinct lines were counted (the report's ``model.lines``)."""
    partials = (
        kept.map(lambda r: (r["cluster"], (r["site"], r["keys"])))
        .partitionBy(parts)
        .mapPartitions(_tasks.learn_partition)
    )
    added = partials.flatMap(_model.tagged).reduceByKey(_model.add_tagged, parts)
    merged, distinct = _model.from_tagged(added.mapPartitions(_model.keep_model_lines).collect())
    with tempfile.TemporaryDirectory(prefix="chaff-merge-") as tmp:
        args = ["stage", "merge", "-o", "-"]
        if merged:
            path = os.path.join(tmp, "sum.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(merged)
            args.insert(2, path)
        return run_stage(args), distinct


def _output_summary(data: bytes) -> dict:
    import hashlib

    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


class _Output:
    """The output folder, on any filesystem Spark writes: parts, then model.json and report.json
    (each written whole under a temporary name and renamed into place)."""

    def __init__(self, spark, out: str):
        self.sc = spark.sparkContext
        jvm = self.sc._jvm
        self.Path = jvm.org.apache.hadoop.fs.Path
        self.dir = self.Path(out)
        self.fs = self.dir.getFileSystem(self.sc._jsc.hadoopConfiguration())
        self.out = out

    def prepare(self) -> None:
        self.fs.mkdirs(self.dir)
        for status in self.fs.listStatus(self.dir):
            name = str(status.getPath().getName())
            if name.startswith("part-") or name.startswith(".chaff-parts"):
                raise InputError(f"{self.out}: holds the parts of an earlier run ({name}); use an empty folder")

    def records(self, lines) -> List[str]:
        staging = self.Path(self.dir, ".chaff-parts")
        lines.saveAsTextFile(str(staging.toString()))
        names = []
        for status in sorted(self.fs.listStatus(staging), key=lambda s: str(s.getPath().getName())):
            name = str(status.getPath().getName())
            if not name.startswith("part-"):
                continue
            target = name + ".jsonl"
            if not self.fs.rename(status.getPath(), self.Path(self.dir, target)):
                raise InputError(f"{self.out}: cannot move {name} into place")
            names.append(target)
        self.fs.delete(staging, True)
        return names

    def finish(self) -> None:
        """Removes the checksum files Hadoop's local filesystem writes beside each output."""
        try:
            raw = self.fs.getRawFileSystem()  # only a checksummed (local) filesystem has one
        except Exception:
            return
        for status in raw.listStatus(self.dir):
            name = str(status.getPath().getName())
            if name.startswith(".") and name.endswith(".crc"):
                raw.delete(status.getPath(), False)

    def file(self, name: str, data: bytes) -> None:
        tmp = self.Path(self.dir, f".{name}.tmp")
        stream = self.fs.create(tmp, True)
        try:
            stream.write(bytearray(data))
        finally:
            stream.close()
        target = self.Path(self.dir, name)
        if self.fs.exists(target):
            self.fs.delete(target, False)
        if not self.fs.rename(tmp, target):
            raise InputError(f"{self.out}: cannot move {name} into place")
