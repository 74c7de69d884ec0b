//! Memory limits through the real binary, under `ulimit -v`: running out of memory is one clear
//! message and exit code 2 with nothing written, and a JSONL line far larger than both
//! `--max-bytes` and the memory chaff may use is skipped as it streams by.

use crate::common::{jsonl, listing, repo};
use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `chaff ARGS` from `cwd` with at most `mib` MiB of address space (`ulimit -v`).
fn chaff_limited(cwd: &Path, mib: u64, args: &[&OsStr]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", mib << 10))
        .arg(env!("CARGO_BIN_EXE_chaff"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("sh starts")
}

/// The address space a run of the small fixture crawl gets: enough to start and clean it, far
/// less than the large inputs below need.
const LIMIT_MIB: u64 = 256;

#[test]
fn running_out_of_memory_is_a_message_and_exit_2_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    // One plain-text article of 60 MB (under the default --max-bytes): reading, decoding and
    // splitting it into lines takes several times its size.
    let paragraph = "The council met on Tuesday evening and voted on the budget for the \
                     coming year, after a long debate about roads, schools and the new bridge.\n";
    let mut file = std::io::BufWriter::new(std::fs::File::create(input.join("long.txt")).unwrap());
    for i in 0..(60 << 20) / paragraph.len() {
        write!(file, "{i} {paragraph}").unwrap();
    }
    file.flush().unwrap();
    drop(file);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("clean.jsonl"), b"older output\n").unwrap();

    // The same limit is enough for the fixture crawl, so the failure below is the article's.
    let small = chaff_limited(
        &repo(),
        LIMIT_MIB,
        &[
            OsStr::new("run"),
            OsStr::new("fixtures/crawl/sites"),
            OsStr::new("-j1"),
            OsStr::new("-o"),
            dir.path().join("small").as_os_str(),
        ],
    );
    assert_eq!(
        small.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&small.stderr)
    );

    let run = chaff_limited(
        dir.path(),
        LIMIT_MIB,
        &[
            OsStr::new("run"),
            OsStr::new("in"),
            OsStr::new("-j1"),
            OsStr::new("-o"),
            out.as_os_str(),
        ],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("chaff: out of memory: an allocation of "),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one message: {stderr}");
    assert!(stderr.contains("no output was written"), "{stderr}");
    // Nothing was written: the older output is intact, no new output appeared, and the next
    // run sweeps the temporary files the stopped one left.
    assert_eq!(
        std::fs::read(out.join("clean.jsonl")).unwrap(),
        b"older output\n"
    );
    for name in listing(&out) {
        assert!(
            name == "clean.jsonl" || name == ".chaff.lock" || name.ends_with(".tmp"),
            "{name} was written"
        );
    }
}

#[test]
fn a_jsonl_line_far_larger_than_max_bytes_is_skipped_as_it_streams() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    // A gzipped JSONL file whose first line holds 1 GiB of HTML, four times the memory the run
    // may use, then an ordinary line.
    let gz = std::fs::File::create(input.join("scrape.jsonl.gz")).unwrap();
    let mut enc = flate2::write::GzEncoder::new(gz, flate2::Compression::fast());
    enc.write_all(br#"{"url": "https://huge.example/a", "html": "<p>"#)
        .unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..1024 {
        enc.write_all(&chunk).unwrap();
    }
    enc.write_all(b"</p>\"}\n").unwrap();
    enc.write_all(
        br#"{"url": "https://small.example/b", "html": "<article><p>The council met on Tuesday and voted on the budget for the coming year.</p></article>"}"#,
    )
    .unwrap();
    enc.write_all(b"\n").unwrap();
    enc.finish().unwrap();

    let out = dir.path().join("out");
    let run = chaff_limited(
        dir.path(),
        LIMIT_MIB,
        &[
            OsStr::new("run"),
            OsStr::new("in"),
            OsStr::new("-j1"),
            OsStr::new("--max-bytes"),
            OsStr::new("1M"),
            OsStr::new("-o"),
            out.as_os_str(),
        ],
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "too large is exit 1: {stderr}");
    let records = jsonl(&std::fs::read(out.join("clean.jsonl")).unwrap());
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["source"]["path"], "in/scrape.jsonl.gz#2");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let skipped = &report["skipped_inputs"];
    assert_eq!(skipped.as_array().unwrap().len(), 1, "{skipped}");
    assert_eq!(skipped[0]["path"], "in/scrape.jsonl.gz#1");
    assert_eq!(skipped[0]["kind"], "too-large");
    assert!(
        skipped[0]["message"]
            .as_str()
            .unwrap()
            .contains("--max-bytes"),
        "{skipped}"
    );
}
