"""The wheel (pyproject.toml: the chaff binary and the chaff.spark module), as tests/run installs
it into the test venv, and the rules chaff.spark applies between the binary's stages."""

import json
import pathlib
import subprocess
import sys

import pytest

import chaff
from chaff._binary import BinaryNotFound, StageFailed, run_stage
from chaff.spark import _fold, _model
from chaff.spark._inputs import input_name, path_key

ROOT = pathlib.Path(__file__).resolve().parents[2]
CARGO_CHAFF = ROOT / "target" / "release" / "chaff"


def test_the_wheel_ships_the_binary_into_the_environment():
    found = pathlib.Path(chaff.binary())
    assert found.parent == pathlib.Path(sys.prefix) / "bin", found
    version = subprocess.run([str(found), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("chaff "), version.stdout


def test_the_wheel_binary_is_built_from_the_current_source(tmp_path):
    outputs = []
    for name, exe in [("wheel", chaff.binary()), ("cargo", str(CARGO_CHAFF))]:
        out = tmp_path / name
        out.mkdir()
        subprocess.run([exe, "run", str(ROOT / "seeds"), "-o", str(out), "-q"], check=True)
        outputs.append((out / "clean.jsonl").read_bytes())
    assert outputs[0] == outputs[1]
    assert len(outputs[0].splitlines()) == 5


def test_chaff_bin_overrides_the_lookup(monkeypatch, tmp_path):
    fake = tmp_path / "my-chaff"
    fake.write_text("#!/bin/sh\necho fake \"$@\"\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CHAFF_BIN", str(fake))
    assert chaff.binary() == str(fake)
    assert run_stage(["stage", "x"]) == b"fake stage x\n"
    monkeypatch.setenv("CHAFF_BIN", str(tmp_path / "missing"))
    with pytest.raises(BinaryNotFound, match="missing"):
        chaff.binary()


def test_a_fatal_error_carries_chaffs_message():
    with pytest.raises(StageFailed) as failed:
        run_stage(["clean", "/no/such/input", "--model", "/no/such/model.json", "-o", "/tmp"])
    assert failed.value.code == 2
    assert "/no/such" in str(failed.value)


def test_input_names_follow_chaff_run():
    assert input_name("./crawl/") == "crawl"
    assert input_name("crawl/site-a") == "crawl/site-a"
    assert input_name("/data/dumps/crawl") == "crawl"
    assert input_name(".") == "."
    assert input_name("s3a://bucket/crawl/") == "s3a://bucket/crawl"
    assert input_name("file:///data/x.warc.gz") == "file:///data/x.warc.gz"
    # Rust's Path order: component by component, so a folder sorts before a longer sibling name.
    assert sorted(["a/b-c/y", "a/b/x"], key=path_key) == ["a/b/x", "a/b-c/y"]


def test_similarity_is_rounded_as_chaff_rounds():
    # chaff: (same / 64 * 100).round() / 100, halves away from zero; Python's round() would give
    # 0.62 for 40/64 (0.625) and 0.66 for 42/64 (0.65625 -> 65.625 -> 66 is the same either way).
    assert _fold.rounded_similarity(40) == 0.63
    assert _fold.rounded_similarity(54) == 0.84
    assert _fold.rounded_similarity(64) == 1.0
    assert _fold.SAME_AT_LEAST == 39


def test_exact_copies_fold_into_the_first_path():
    rows = [
        {"order": "b", "path": "crawl/b.txt", "sha256": "s"},
        {"order": "a", "path": "crawl/a.txt", "sha256": "s"},
        {"order": "c", "path": "crawl/c.txt", "path_hex": "ff", "sha256": "s"},
    ]
    kept = _fold.exact_group(rows)
    assert kept["path"] == "crawl/a.txt"
    assert kept["exact"] == [
        {"path": "crawl/b.txt", "kind": "exact"},
        {"path": "crawl/c.txt", "path_hex": "ff", "kind": "exact"},
    ]


def test_near_duplicate_clusters_are_components_named_by_their_first_row():
    sig = list(range(64))
    close = sig[:40] + [100 + i for i in range(24)]  # 40 of 64 equal: similar enough
    far = sig[:38] + [200 + i for i in range(26)]  # 38 of 64: not
    assert _fold.band_edges([("b", close), ("a", sig), ("c", far)]) == [("a", "b")]
    clusters = _fold.components([("c", "d"), ("a", "b"), ("b", "d"), ("x", "y")])
    assert clusters == {"a": "a", "b": "a", "c": "a", "d": "a", "x": "x", "y": "x"}


def test_near_duplicates_get_their_clusters_summary():
    sig = list(range(64))
    members = [
        {"order": "3", "path": "c", "signature": sig[:50] + [0] * 14},
        {"order": "1", "path": "a", "signature": sig},
        {"order": "2", "path": "b", "signature": sig[:60] + [0] * 4},
        {"order": "4", "path": "d", "signature": sig[:60] + [0] * 4, "path_hex": "64"},
        {"order": "5", "path": "e", "signature": sig[:40] + [0] * 24},
    ]
    summaries = dict(_fold.near_summaries(members))
    assert set(summaries) == {"1", "2", "3", "4", "5"}
    a = summaries["1"]
    assert (a["cluster"], a["size"]) == ("a", 5)
    # b and d tie (60 of 64 equal): the earlier first; at most three.
    assert a["closest"] == [
        {"path": "b", "similarity": 0.94},
        {"path": "d", "path_hex": "64", "similarity": 0.94},
        {"path": "c", "similarity": 0.78},
    ]
    assert summaries["2"]["closest"][0] == {"path": "d", "path_hex": "64", "similarity": 1.0}
    assert _fold.near_summaries(members[:1]) == []


def test_a_record_that_cleaned_to_nothing_is_skipped_with_its_copies():
    row = {"path": "crawl/a.html", "exact": [{"path": "crawl/b.html", "kind": "exact"}],
           "record": {"text": "", "lines": {"total": 3, "removed": [
               {"reason": "site-template"}, {"reason": "navigation"}, {"reason": "site-template"}]}}}
    message = "cleaned to nothing: all 3 lines were removed (navigation 1, site-template 2)"
    assert _fold.empty_skips(row) == [
        {"path": "crawl/a.html", "kind": "empty-output", "message": message},
        {"path": "crawl/b.html", "kind": "empty-output",
         "message": f"an exact copy of crawl/a.html, which {message}"},
    ]


def test_same_text_copies_fold_with_their_exact_copies():
    rows = [
        {"order": "2", "path": "p2", "exact": [{"path": "p2-copy", "kind": "exact"}]},
        {"order": "1", "path": "p1", "exact": [{"path": "p1-copy", "kind": "exact"}]},
    ]
    written, same_text, folded_exact = _fold.same_text_group(rows)
    assert written["path"] == "p1"
    assert (same_text, folded_exact) == (1, 1)
    assert written["add"] == [
        {"path": "p1-copy", "kind": "exact"},
        {"path": "p2", "kind": "same-text"},
        {"path": "p2-copy", "kind": "exact", "of": "p2"},
    ]


def test_partial_models_add_up_by_line_key():
    a = json.dumps({"format": "chaff-model", "normalization": 1, "version": 1, "partial": True, "units": 2,
                    "lines": {"01": 1, "02": 2},
                    "sites": {"x": {"lines": {"01": 1, "02": 2}, "units": 2}}})
    b = json.dumps({"format": "chaff-model", "normalization": 1, "version": 1, "partial": True, "units": 1,
                    "lines": {"01": 1}, "sites": {"y": {"lines": {"01": 1}, "units": 1}}})
    counts = {}
    for partial in (a, b):
        for key, c in _model.line_counts(partial):
            counts[key] = _model.add_counts(counts[key], c) if key in counts else c
    assert counts == {"01": (2, (("x", 1), ("y", 1))), "02": (2, (("x", 2),))}
    total = json.loads(_model.partial_json(_model.header(a), 3, {"x": 2, "y": 1}, counts.items()))
    assert total["lines"] == {"01": 2, "02": 2}
    assert total["sites"]["y"] == {"lines": {"01": 1}, "units": 1}
    assert (total["units"], total["version"], total["partial"]) == (3, 1, True)


@pytest.mark.parametrize(
    "inputs",
    [["seeds"], ["fixtures/containers"], ["fixtures/bad/photo.png", "seeds"]],
    ids=["all-written", "damaged-records", "an-image-beside-articles"],
)
def test_the_command_lines_exit_code_is_chaff_runs(tmp_path, inputs):
    from chaff.spark.__main__ import exit_code

    out = tmp_path / "out"
    done = subprocess.run([str(CARGO_CHAFF), "run", *inputs, "-o", str(out), "-q"], cwd=ROOT)
    assert done.returncode in (0, 1)
    report = json.loads((out / "report.json").read_text())
    assert exit_code(report) == done.returncode
