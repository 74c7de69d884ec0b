"""chaff on Apache Spark: the same output as ``chaff run``, computed by a cluster.

The chaff binary does all per-document work inside Spark tasks (``chaff stage scan``, ``learn``,
``clean``, ``write``); Spark does the shuffles between them::

    binaryFiles ─► scan (per file) ─► group by SHA-256: exact copies fold into the first path
        ─► group by band key: near-duplicate edges ─► connected components (clusters)
        ─► partition by cluster: partial models ─► reduce by line key ─► model.json (pruned once)
        ─► broadcast model ─► clean (per document) ─► group by text id: same-text copies fold
        ─► group by cluster: near links ─► range-partition by order ─► write part-NNNNN.jsonl

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
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from chaff._binary import StageFailed, binary, run_stage
from chaff.spark import _fold, _tasks
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
    """What a run did: the report (as written to ``report.json``) and the files written."""

    report: dict
    outputs: List[str] = field(default_factory=list)
    partitions: int = 0


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
    run_stage(["stage", "--help"])  # fail early, on the driver, without a binary that has the stages
    parts = partitions or sc.defaultParallelism
    writer = _Output(spark, out)
    writer.prepare()
    files = list_files(spark, inputs, exclude=[out])
    report = _Report(inputs)

    rows = _scan(sc, files, parts, options)
    rows.persist()
    skips = rows.filter(lambda r: "skip" in r).map(lambda r: (r["order"], r["skip"], r.get("walk", False)))
    docs = rows.filter(lambda r: "skip" not in r)

    # Exact duplicates: one shuffle of the documents by SHA-256; the first path wins.
    kept = docs.map(lambda r: (r["sha256"], _slim(r))).groupByKey(parts).map(lambda kv: _fold.exact_group(kv[1]))
    kept.persist()

    clusters = _clusters(kept, parts)
    bc_clusters = sc.broadcast(clusters)
    kept = kept.map(lambda r: dict(r, cluster=bc_clusters.value.get(r["order"], r["order"])))
    kept.persist()

    model_json, model_lines = _learn(sc, kept, parts)
    bc_model = sc.broadcast(model_json)
    cleaned = kept.mapPartitions(_tasks.clean_partition(bc_model, options.clean_args()))
    cleaned.persist()

    # Same text: one shuffle of the cleaned records by text id; the first path is written.
    folded = cleaned.filter(lambda c: not c.get("empty")).map(lambda c: (c["id"], c)).groupByKey(parts).map(
        lambda kv: _fold.same_text_group(kv[1])
    )
    folded.persist()
    written = folded.map(lambda t: t[0])
    links = (
        written.filter(lambda w: w["cluster"] is not None)
        .map(lambda w: (w["cluster"], {"order": w["order"], "path": w["path"], "path_hex": w.get("path_hex"),
                                       "signature": w["signature"]}))
        .groupByKey(parts)
        .flatMap(lambda kv: _fold.near_links(kv[1]))
    )
    links.persist()
    items = written.map(lambda w: (w["order"], ("record", {"record": w["record"], "add": w["add"]}))).union(
        links.map(lambda kv: (kv[0], ("near", kv[1])))
    )
    lines = items.sortByKey(ascending=True, numPartitions=parts).mapPartitions(_tasks.write_partition)
    part_names = writer.records(lines)

    report.fill(
        skips=skips.collect(),
        docs=docs.count(),
        kept=kept,
        cleaned=cleaned,
        folded=folded,
        links=links,
        model_json=model_json,
        model_lines=model_lines,
    )
    writer.file("model.json", model_json)
    report.data["outputs"] = {"model.json": _output_summary(model_json), "parts": part_names}
    writer.file("report.json", (json.dumps(report.data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    for rdd in (rows, kept, cleaned, folded, links):
        rdd.unpersist()
    return Summary(report=report.data, outputs=part_names + ["model.json", "report.json"], partitions=parts)


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
    slim = {k: row.get(k) for k in ("order", "path", "sha256", "site", "keys", "signature", "bands", "failure")}
    if "path_hex" in row:
        slim["path_hex"] = row["path_hex"]
    slim["line"] = json.dumps(row, ensure_ascii=False)
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


def _learn(sc, kept, parts: int) -> Tuple[bytes, int]:
    """The model: partial models per partition of units (a unit's rows in one partition),
    reduced by line key, pruned once by ``chaff stage merge``. Also returns how many distinct
    lines were counted (the report's ``model.lines``)."""
    partials = (
        kept.map(lambda r: (r["cluster"], (r["site"], r["keys"])))
        .partitionBy(parts)
        .mapPartitions(_tasks.learn_partition)
    )
    merged, distinct = _merge_partials(partials)
    import tempfile, os

    with tempfile.TemporaryDirectory(prefix="chaff-merge-") as tmp:
        args = ["stage", "merge", "-o", "-"]
        if merged:
            path = os.path.join(tmp, "sum.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(merged)
            args.insert(2, path)
        return run_stage(args), distinct


def _merge_partials(partials) -> str:
    """Adds partial models together by line key in Spark; only lines seen in two or more units
    reach the driver (the others cannot be in the final model)."""
    import chaff.spark._model as model

    partials.persist()
    first = partials.take(1)
    if not first:
        return "", 0
    head = model.header(first[0])
    units = partials.map(model.total_units).sum()
    site_units = partials.flatMap(model.site_units).reduceByKey(lambda a, b: a + b).collect()
    added = partials.flatMap(model.line_counts).reduceByKey(model.add_counts)
    added.persist()
    distinct = added.count()
    lines = added.filter(lambda kv: kv[1][0] >= 2).collect()
    added.unpersist()
    partials.unpersist()
    return model.partial_json(head, int(units), dict(site_units), lines), distinct


class _Report:
    """report.json, summed from the parts (the same keys and counts as ``chaff run``'s)."""

    def __init__(self, inputs: Sequence[str]):
        from chaff.spark._inputs import input_name

        self.data: dict = {"schema": "chaff-report/1", "inputs": [input_name(i) for i in inputs]}

    def fill(self, skips, docs: int, kept, cleaned, folded, links, model_json: bytes, model_lines: int) -> None:
        import chaff.spark._report as build

        self.data.update(build.counts(skips, docs, kept, cleaned, folded, links, model_json, model_lines))


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
