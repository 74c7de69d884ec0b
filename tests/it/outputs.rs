//! Output formats, compression and shards through the real binary: every layout holds the same
//! records as the default `clean.jsonl`, byte for byte once decompressed and concatenated.

use crate::common::{chaff, jsonl, listing, run};
use serde_json::Value;
use std::io::Read;

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn unzstd(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    zstd::Decoder::new(bytes)
        .unwrap()
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn compressed_and_sharded_outputs_hold_the_same_records() {
    let plain = run(&["run", "fixtures/crawl/sites"]);
    assert_eq!(plain.code(), 0, "{}", plain.stderr());
    let records = plain.bytes("clean.jsonl");
    assert!(jsonl(&records).len() > 10);

    // By the -o file name.
    let dir = tempfile::tempdir().unwrap();
    let named = dir.path().join("docs.jsonl.gz");
    let out = chaff()
        .args(["run", "fixtures/crawl/sites", "-q", "-o"])
        .arg(&named)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        listing(dir.path()),
        ["docs.jsonl.gz", "model.json", "report.json"]
    );
    let gz = std::fs::read(&named).unwrap();
    assert_eq!(&gz[..2], b"\x1f\x8b", "gzip magic");
    assert_eq!(gunzip(&gz), records);
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["outputs"]["docs.jsonl.gz"]["bytes"], gz.len() as u64);
    assert_eq!(report["options"]["compress"], "gzip");

    // By the flag, in shards: the shards' records concatenate to the single file.
    let zst = run(&[
        "run",
        "fixtures/crawl/sites",
        "--compress",
        "zstd",
        "--shard-size",
        "20k",
    ]);
    assert_eq!(zst.code(), 0, "{}", zst.stderr());
    let shards: Vec<String> = listing(&zst.out())
        .into_iter()
        .filter(|n| n.starts_with("clean-"))
        .collect();
    assert!(shards.len() >= 3, "{shards:?}");
    let mut joined = Vec::new();
    for (i, shard) in shards.iter().enumerate() {
        assert_eq!(shard, &format!("clean-{i:05}.jsonl.zst"));
        let bytes = unzstd(&zst.bytes(shard));
        if i + 1 < shards.len() {
            assert!(bytes.len() >= 20 << 10, "{shard}: {} bytes", bytes.len());
        }
        joined.extend(bytes);
    }
    assert_eq!(joined, records, "the shards are the records, in order");
    assert_eq!(
        zst.report()["outputs"].as_object().unwrap().len(),
        shards.len() + 1,
        "every shard and the model are in the report"
    );

    // Twice the same bytes.
    let again = run(&[
        "run",
        "fixtures/crawl/sites",
        "--compress",
        "zstd",
        "--shard-size",
        "20k",
    ]);
    for shard in &shards {
        assert_eq!(zst.bytes(shard), again.bytes(shard), "{shard}");
    }
}

#[test]
fn a_compression_flag_that_contradicts_the_file_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = chaff()
        .args(["run", "seeds", "--compress", "zstd", "-o"])
        .arg(dir.path().join("docs.jsonl.gz"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("asks for gzip but --compress for zstd"),
        "{stderr}"
    );
    assert!(listing(dir.path()).is_empty(), "nothing written");
    let out = chaff()
        .args(["run", "seeds", "--shard-size", "1M", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn dolma_documents_carry_chaff_records_as_metadata() {
    let chaff_run = run(&["run", "fixtures/crawl/sites"]);
    let dolma = run(&[
        "run",
        "fixtures/crawl/sites",
        "--format",
        "dolma",
        "--dolma-source",
        "news",
    ]);
    assert_eq!(dolma.code(), 0, "{}", dolma.stderr());
    let records = chaff_run.records();
    let docs = dolma.records();
    assert_eq!(docs.len(), records.len());
    let mut nears = 0;
    for (doc, record) in docs.iter().zip(&records) {
        assert_eq!(doc["id"], record["id"]);
        assert_eq!(doc["text"], record["text"]);
        assert_eq!(doc["source"], "news");
        assert!(doc.get("added").is_none(), "no clock time by default");
        // `created` is a string when known, and absent (not null) when not.
        match record["published"].as_str() {
            Some(date) => assert_eq!(doc["created"], date),
            None => assert!(doc.get("created").is_none()),
        }
        let meta = &doc["metadata"];
        assert_eq!(meta["schema"], "chaff/1");
        // Every field of the chaff record but Dolma's own is in the metadata, unchanged.
        for (field, value) in record.as_object().unwrap() {
            let renamed = if field == "source" {
                "provenance"
            } else {
                field
            };
            if field != "id" && field != "text" {
                assert_eq!(&meta[renamed], value, "{field}");
            }
        }
        nears += usize::from(meta.get("near").is_some());
    }
    assert!(nears > 0, "near-duplicate clusters are carried too");
    assert_eq!(dolma.report()["options"]["format"], "dolma");
    let added = run(&[
        "run",
        "fixtures/crawl/sites",
        "--format",
        "dolma",
        "--dolma-added",
        "2024-06-01",
    ]);
    assert!(added.records().iter().all(|d| d["added"] == "2024-06-01"));
}

#[test]
fn counts_only_keeps_removed_lines_out_of_the_records() {
    let full = run(&["run", "seeds"]);
    let counts = run(&["run", "seeds", "--removed-lines", "counts"]);
    assert_eq!(counts.code(), 0, "{}", counts.stderr());
    let mut any_removed = false;
    for (c, f) in counts.records().iter().zip(full.records()) {
        assert_eq!(c["text"], f["text"]);
        assert_eq!(c["id"], f["id"]);
        let removed = f["lines"]["removed"].as_array().unwrap();
        assert_eq!(c["lines"]["removed"], removed.len() as u64);
        assert_eq!(
            c["lines"]["uncertain"],
            f["lines"]["uncertain"].as_array().unwrap().len() as u64
        );
        let by_reason: u64 = c["lines"]["removed_by_reason"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(by_reason, removed.len() as u64);
        for line in removed {
            any_removed = true;
            let text = line["text"].as_str().unwrap();
            assert!(
                !c["lines"].to_string().contains(text),
                "removed line {text:?} is not in the counts"
            );
        }
    }
    assert!(any_removed, "the seeds have removed lines to leave out");
    assert!(counts.bytes("clean.jsonl").len() < full.bytes("clean.jsonl").len());
}

#[test]
fn a_closed_stdout_ends_quietly_with_0() {
    use std::process::Stdio;
    let mut child = chaff()
        .args(["run", "fixtures/crawl/sites", "-o", "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close the pipe, as `| head -1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert!(first.starts_with(b"{\"schema\":\"chaff/1\""));
}

#[test]
fn gzip_to_stdout_is_the_same_records() {
    let plain = chaff()
        .args(["run", "seeds", "-o", "-", "-q"])
        .output()
        .unwrap();
    let gz = chaff()
        .args(["run", "seeds", "-o", "-", "-q", "--compress", "gzip"])
        .output()
        .unwrap();
    assert_eq!(gz.status.code(), Some(0));
    assert_eq!(gunzip(&gz.stdout), plain.stdout);
}

#[test]
fn temporary_shards_of_a_killed_sharded_run_are_removed_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // What a sharded run into out/docs.jsonl.gz leaves when it is killed while writing, beside
    // the temporary files of other layouts and files that are not chaff's.
    let leftovers = [
        ".docs-00000.jsonl.gz.Ab12Cd.tmp",
        ".docs-00001.jsonl.gz.Ef34Gh.tmp",
        ".clean.jsonl.zst.Ij56Kl.tmp",
        ".model.json.Mn78Op.tmp",
    ];
    for name in leftovers.iter().chain(&[".notes.tmp", "draft.tmp"]) {
        std::fs::write(out.join(name), b"half").unwrap();
    }
    let output = chaff()
        .args(["run", "seeds", "--shard-size", "4k", "-o"])
        .arg(out.join("docs.jsonl.gz"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let left = listing(&out);
    assert!(left.contains(&"docs-00001.jsonl.gz".to_owned()), "{left:?}");
    for name in &left {
        assert!(
            !leftovers.contains(&name.as_str()),
            "{name} is left in {left:?}"
        );
    }
    assert!(left.contains(&".notes.tmp".to_owned()) && left.contains(&"draft.tmp".to_owned()));
    let report: Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let mut want = leftovers.to_vec();
    want.sort();
    assert_eq!(report["stale_removed"], serde_json::json!(want));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("removed 4 temporary files left in the output folder"),
        "{stderr}"
    );
}
