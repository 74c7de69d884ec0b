"""chaff.spark lists the inputs through Spark's filesystem layer and names every file (its
source.path and the site of documents that name no host) exactly as `chaff run` does."""

import json
import pathlib
import shutil
import subprocess

import pytest

from chaff.spark._inputs import InputError, list_files, read_paths_file
from spark_session import local_session

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHAFF = ROOT / "target" / "release" / "chaff"


@pytest.fixture(scope="module")
def spark():
    session = local_session("chaff-inputs")
    yield session
    session.stop()


@pytest.fixture
def crawl(tmp_path_factory):
    """A crawl inside the repository's target/ (so relative names resolve the same for the
    JVM and for chaff, both started in the repository's root)."""
    base = ROOT / "target" / "spark-tests"
    base.mkdir(parents=True, exist_ok=True)
    folder = pathlib.Path(tmp_path_factory.mktemp("x", numbered=True).name)
    root = base / folder / "crawl"
    shutil.rmtree(root.parent, ignore_errors=True)
    story = "Dredging of the harbour starts in spring, the port authority said on Monday.\n"
    for name in ["site-a/2024/05/one.txt", "site-a/two.txt", "site-b/three.txt", "top.txt",
                 "site-b-more/four.txt", "site-b/deep/five.txt", "site-a/x#1.txt"]:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Title of {name}\n" + story * 3 + f"Closing line of {name}.\n")
    yield root.relative_to(ROOT)
    shutil.rmtree(root.parent, ignore_errors=True)


def chaff_names(inputs, tmp_path):
    """source.path -> site for every record chaff run writes on these inputs."""
    out = tmp_path / "out"
    out.mkdir(parents=True)
    subprocess.run([str(CHAFF), "run", *map(str, inputs), "-o", str(out), "-q"], cwd=ROOT, check=True)
    records = [json.loads(line) for line in (out / "clean.jsonl").read_text().splitlines()]
    return {r["source"]["path"]: r["site"] for r in records}


@pytest.mark.parametrize("case", ["nested", "apart", "clashing"])
def test_inputs_are_named_as_chaff_run_names_them(spark, crawl, tmp_path, case):
    other = crawl.parent / "other" / "site-b"
    other.mkdir(parents=True)
    (other / "six.txt").write_text("Title of six\nThe ferry timetable changes in May, the council said.\n")
    inputs = {
        # A file and a folder inside a folder input are read once, through the folder.
        "nested": [str(crawl), f"./{crawl}/site-b/three.txt", str(ROOT / crawl / "site-a")],
        "apart": [f"{crawl}/site-a/", str(ROOT / crawl / "top.txt"), f"{crawl}/site-b/deep/five.txt"],
        # Two folders named site-b: each is named by as many folders as tell them apart.
        "clashing": [str(ROOT / crawl / "site-b"), str(ROOT / other)],
    }[case]
    listed = {f.path: f.site for f in list_files(spark, inputs)}
    assert listed == chaff_names(inputs, tmp_path)
    if case == "nested":
        # The file input's name meets the folder's: both are named by their last folders only.
        assert len(listed) == 7
        assert listed["crawl/site-a/2024/05/one.txt"] == "site-a"
        assert listed["crawl/top.txt"] == "crawl"
        assert listed["crawl/site-a/x%231.txt"] == "site-a"
    if case == "clashing":
        assert "other/site-b/six.txt" in listed and "crawl/site-b/three.txt" in listed


def test_the_output_folder_below_an_input_is_left_out(spark, crawl):
    (ROOT / crawl / "out").mkdir()
    (ROOT / crawl / "out" / "part-00000.jsonl").write_text("{}\n")
    names = [f.path for f in list_files(spark, [str(crawl)], exclude=[str(crawl / "out")])]
    assert names and not any("/out/" in n for n in names)


def test_a_missing_input_is_fatal_and_named(spark, crawl):
    with pytest.raises(InputError, match="no-such-folder"):
        list_files(spark, [str(crawl), "target/no-such-folder"])


def test_the_paths_file_lists_one_input_per_line(spark, crawl, tmp_path):
    paths = tmp_path / "paths.txt"
    paths.write_text(f"# inputs\n{crawl}\n\n  {crawl}/top.txt  \n")
    assert read_paths_file(spark, str(paths)) == [str(crawl), f"{crawl}/top.txt"]


def test_the_command_line_stops_on_a_missing_input_with_exit_2(crawl, tmp_path):
    import os
    import sys

    paths = tmp_path / "paths.txt"
    paths.write_text(f"{crawl}\ntarget/no-such-dump.warc.gz\n")
    env = dict(os.environ, CHAFF_BIN=str(CHAFF))
    done = subprocess.run(
        [sys.executable, "-m", "chaff.spark", "run", "--inputs", str(paths), "--out",
         str(tmp_path / "out"), "--master", "local[1]"],
        cwd=ROOT, capture_output=True, text=True, env=env,
    )
    assert done.returncode == 2, done.stderr
    assert "chaff: " in done.stderr and "no-such-dump.warc.gz" in done.stderr
    assert not list((tmp_path / "out").glob("part-*"))
