"""chaff's output read by Dolma and datatrove, the real packages (see requirements.txt).

Dolma: `dolma tag` runs a tagger over a `documents/` folder of chaff's `--format dolma` output
(gzip, zstd, shards) and writes one attribute row per document. datatrove: `JsonlReader` reads
chaff's records in every format and compression as they are.
"""

import gzip
import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CHAFF = ROOT / "target" / "release" / "chaff"
CRAWL = ROOT / "fixtures" / "crawl" / "sites"


def chaff(*args):
    subprocess.run([str(CHAFF), *map(str, args), "-q"], check=True)


def records(path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def test_dolma_tag_reads_chaff_documents(tmp_path):
    dolma_cli = pytest.importorskip("dolma.cli.__main__", reason="dolma is not installed")
    del dolma_cli
    docs = tmp_path / "dataset" / "documents"
    docs.mkdir(parents=True)
    chaff("run", CRAWL, "--format", "dolma", "--shard-size", "50k", "-o", docs / "crawl.jsonl.gz")
    shards = sorted(docs.glob("crawl-*.jsonl.gz"))
    assert len(shards) >= 2, shards
    # Dolma's readers want only documents in the folder.
    for extra in ("model.json", "report.json"):
        (docs / extra).rename(tmp_path / extra)
    subprocess.run(
        [
            str(pathlib.Path(sys.executable).parent / "dolma"), "tag",
            "--documents", str(docs / "*.jsonl.gz"),
            "--experiment", "chaff",
            "--taggers", "char_length_v1",
            "--processes", "1",
        ],
        check=True,
        cwd=tmp_path,
    )
    written = sum(len(records(s)) for s in shards)
    report = json.loads((tmp_path / "report.json").read_text())
    assert written == report["written"]
    attributes = sorted((tmp_path / "dataset" / "attributes" / "chaff").glob("*.jsonl.gz"))
    assert [a.name for a in attributes] == [s.name for s in shards]
    for shard, attribute in zip(shards, attributes):
        docs_in = records(shard)
        tagged = records(attribute)
        assert [t["id"] for t in tagged] == [d["id"] for d in docs_in]
        for t, d in zip(tagged, docs_in):
            length = t["attributes"]["chaff__char_length_v1__length"]
            assert length[0][2] == len(d["text"]), (d["id"], length)


@pytest.mark.parametrize("fmt,name", [
    ("chaff", "clean.jsonl"),
    ("chaff", "clean.jsonl.gz"),
    ("dolma", "clean.jsonl.zst"),
])
def test_datatrove_reads_every_format(tmp_path, fmt, name):
    readers = pytest.importorskip("datatrove.pipeline.readers", reason="datatrove is not installed")
    out = tmp_path / "out"
    chaff("run", CRAWL, "--format", fmt, "-o", out / name)
    report = json.loads((out / "report.json").read_text())
    reader = readers.JsonlReader(str(out), glob_pattern="clean.jsonl*")
    documents = list(reader.run())
    assert len(documents) == report["written"]
    plain = tmp_path / "plain"
    chaff("run", CRAWL, "-o", plain)
    expected = records(plain / "clean.jsonl")
    assert [d.text for d in documents] == [r["text"] for r in expected]
    assert [d.id for d in documents] == [r["id"] for r in expected]
    for doc, record in zip(documents, expected):
        # datatrove flattens a Dolma document's `metadata` into its own.
        provenance = doc.metadata["provenance" if fmt == "dolma" else "source"]
        assert provenance["path"] == record["source"]["path"]
        assert doc.metadata["site"] == record["site"]
