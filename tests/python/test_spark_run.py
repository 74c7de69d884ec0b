"""chaff on Spark for real (local[2]): on a generated crawl with containers and skipped inputs,
`cat part-*` is byte-identical to `chaff run`'s clean.jsonl, model.json is identical and the
report's counts match — with 8 partitions, and with one partition per ~10 files (every site
spread over many partitions, so every cross-partition dedup and the model's merge are needed)."""

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import chaff
from spark_session import local_session

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHAFF = ROOT / "target" / "release" / "chaff"
COUNTS = ["seen", "written", "duplicates", "near_duplicates", "skipped", "skipped_by_kind",
          "skipped_inputs", "decoding", "lines", "removed", "model"]


def has_stages():
    done = subprocess.run([chaff.binary(), "stage", "--help"], capture_output=True)
    return done.returncode == 0


pytestmark = pytest.mark.skipif(
    not has_stages(), reason="this chaff binary has no `chaff stage` subcommands (issue 11) yet"
)


@pytest.fixture(scope="module")
def spark():
    session = local_session("chaff-run")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """A generated crawl (4 sites, wire stories, exact copies, re-crawls) beside the fixture
    containers (a WARC with skipped records, gzip, JSONL), and `chaff run` on both."""
    base = ROOT / "target" / "spark-tests" / "run"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    gen = base / "crawl"
    subprocess.run([str(CHAFF), "gen-corpus", "-o", str(gen), "--sites", "4", "--pages", "24",
                    "--syndication", "6", "--seed", "3"], check=True, capture_output=True)
    shutil.copytree(ROOT / "fixtures" / "containers", base / "containers")
    inputs = [str(p.relative_to(ROOT)) for p in (gen, base / "containers")]
    expected = base / "expected"
    expected.mkdir()
    done = subprocess.run([str(CHAFF), "run", *inputs, "-o", str(expected), "-q"], cwd=ROOT)
    assert done.returncode == 1, "the containers hold skipped records: chaff run exits 1"
    yield inputs, expected
    shutil.rmtree(base, ignore_errors=True)


def spark_run(spark, inputs, out, partitions):
    from chaff.spark import run

    return run(spark, inputs, str(out), partitions=partitions)


def check_same_as_chaff_run(out, expected, summary):
    parts = sorted(out.glob("part-*.jsonl"))
    assert [p.name for p in parts] == [f"part-{n:05d}.jsonl" for n in range(len(parts))]
    assert b"".join(p.read_bytes() for p in parts) == (expected / "clean.jsonl").read_bytes()
    assert (out / "model.json").read_bytes() == (expected / "model.json").read_bytes()
    report = json.loads((out / "report.json").read_text())
    want = json.loads((expected / "report.json").read_text())
    for key in COUNTS:
        assert report[key] == want[key], key
    assert summary.report["written"] == want["written"]


@pytest.mark.parametrize("partitions", [8, None], ids=["8-partitions", "10-files-per-partition"])
def test_spark_writes_what_chaff_run_writes(spark, crawl, tmp_path, partitions):
    inputs, expected = crawl
    if partitions is None:
        files = sum(1 for i in inputs for p in (ROOT / i).rglob("*") if p.is_file())
        partitions = files // 10
    out = tmp_path / "out"
    summary = spark_run(spark, inputs, out, partitions)
    assert summary.partitions == partitions
    check_same_as_chaff_run(out, expected, summary)


def test_spark_submit_runs_the_module_as_a_cluster_would(crawl, tmp_path):
    import chaff.spark.__main__ as entry

    inputs, expected = crawl
    paths = tmp_path / "paths.txt"
    paths.write_text("# the crawl and the containers\n" + "\n".join(inputs) + "\n")
    out = tmp_path / "out"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, SPARK_LOCAL_IP="127.0.0.1")
    done = subprocess.run(
        [str(pathlib.Path(sys.executable).parent / "spark-submit"), "--master", "local[2]",
         "--conf", "spark.ui.enabled=false", entry.__file__,
         "run", "--inputs", str(paths), "--out", str(out), "--partitions", "3"],
        cwd=ROOT, capture_output=True, text=True, env=env,
    )
    assert done.returncode == 1, done.stderr  # skipped records, as for chaff run
    skipped = json.loads((expected / "report.json").read_text())["skipped_inputs"]
    assert skipped
    # Spark's own logging shares stderr with chaff's lines: the report is what a script reads.
    report = json.loads((out / "report.json").read_text())
    assert report["skipped_inputs"] == skipped
    parts = sorted(out.glob("part-*.jsonl"))
    assert len(parts) == 3
    assert b"".join(p.read_bytes() for p in parts) == (expected / "clean.jsonl").read_bytes()
    assert (out / "model.json").read_bytes() == (expected / "model.json").read_bytes()


def test_a_fatal_error_in_a_task_fails_the_run_with_chaffs_message(spark, crawl, tmp_path):
    from chaff.spark import Options, run

    inputs, _ = crawl
    with pytest.raises(Exception, match="min-units"):
        run(spark, inputs, str(tmp_path / "out"), partitions=2, options=Options(min_units=1))
