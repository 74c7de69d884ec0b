"""Python tests: chaff's output read by the tools users run downstream.

The binary under test is the one `cargo test --release` built (target/release/chaff).
"""

import json
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHAFF = ROOT / "target" / "release" / "chaff"


def test_seeds_records_parse_as_json(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run([str(CHAFF), "run", str(ROOT / "seeds"), "-o", str(out), "-q"], check=True)
    records = [json.loads(line) for line in (out / "clean.jsonl").read_text().splitlines()]
    assert len(records) == 5
    report = json.loads((out / "report.json").read_text())
    assert report["written"] == len(records)
