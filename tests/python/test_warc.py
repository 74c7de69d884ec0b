"""WARC provenance checked with the reader Common Crawl's users run: warcio.

A synthetic crawl from tests/bench/warc_gen.py (one gzip member per record) is cleaned by the
binary; every record's `source.container` offset and length must be those warcio's own index
gives, and Python's gzip module must read the record back from them.
"""

import gzip
import json
import pathlib
import subprocess
import sys

from warcio.archiveiterator import ArchiveIterator

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHAFF = ROOT / "target" / "release" / "chaff"


def test_offsets_match_warcio_and_gzip_reads_each_record(tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    subprocess.run(
        [sys.executable, str(ROOT / "tests" / "bench" / "warc_gen.py"), str(warc), "--size-mb", "1"],
        check=True,
    )
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run([str(CHAFF), "run", str(warc), "-o", str(out), "-q"], check=False)
    records = [json.loads(line) for line in (out / "clean.jsonl").read_text().splitlines()]
    assert len(records) > 20

    index = {}
    with open(warc, "rb") as f:
        it = ArchiveIterator(f)
        for record in it:
            rid = record.rec_headers.get_header("WARC-Record-ID")
            start = it.get_record_offset()
            it.read_to_end(record)
            index[rid] = (start, it.get_record_length())

    data = warc.read_bytes()
    for r in records:
        c = r["source"]["container"]
        assert (c["offset"], c["length"]) == index[c["record_id"]], r["source"]["path"]
        member = gzip.decompress(data[c["offset"]:c["offset"] + c["length"]])
        assert member.startswith(b"WARC/1.0\r\nWARC-Type: response\r\n")
        assert f"WARC-Record-ID: {c['record_id']}".encode() in member
        assert f"WARC-Target-URI: {c['target_uri']}".encode() in member
