//! Helpers shared by the integration tests.

#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `chaff` command, run from the repository root.
pub fn chaff() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chaff"));
    cmd.current_dir(repo());
    cmd
}

/// What one run of the binary left behind.
pub struct Run {
    /// Holds the output folder alive.
    pub dir: tempfile::TempDir,
    /// Exit status, stdout and stderr.
    pub output: Output,
}

impl Run {
    /// The output folder.
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }
    /// The exit code.
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }
    /// Standard error as text.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    /// The bytes of an output file.
    pub fn bytes(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.out().join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}; stderr: {}", self.stderr()))
    }
    /// The records of clean.jsonl.
    pub fn records(&self) -> Vec<Value> {
        jsonl(&self.bytes("clean.jsonl"))
    }
    /// report.json.
    pub fn report(&self) -> Value {
        serde_json::from_slice(&self.bytes("report.json")).expect("report.json is JSON")
    }
    /// The record whose source path ends with `suffix`.
    pub fn record(&self, suffix: &str) -> Value {
        self.records()
            .into_iter()
            .find(|r| r["source"]["path"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("no record for {suffix}"))
    }
}

/// Parses JSON lines.
pub fn jsonl(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8(bytes.to_vec())
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// Runs `chaff <args...> -o <tmp>/out` (the output folder is created first) from the repo root.
pub fn run(args: &[&str]) -> Run {
    run_in(&repo(), args)
}

/// Like [`run`], from another working folder.
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_chaff"))
        .current_dir(cwd)
        .args(args)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("chaff runs");
    Run { dir, output }
}

/// Compares `actual` with the golden file `fixtures/expected/<name>`, or rewrites the golden file
/// when `UPDATE_GOLDEN` is set.
pub fn golden(name: &str, actual: &[u8]) {
    let path = repo().join("fixtures/expected").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    if expected != actual {
        let exp = String::from_utf8_lossy(&expected);
        let act = String::from_utf8_lossy(actual);
        let first = exp
            .lines()
            .zip(act.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(exp.lines().count().min(act.lines().count()));
        panic!(
            "{} differs from the output at line {}:\nexpected: {}\nactual:   {}\n\
             (if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff)",
            path.display(),
            first + 1,
            exp.lines().nth(first).unwrap_or("<end>"),
            act.lines().nth(first).unwrap_or("<end>")
        );
    }
}

/// Removed lines of a record as (line, reason).
pub fn removed(record: &Value) -> Vec<(u64, String)> {
    record["lines"]["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// `report.json` without its `elapsed_seconds` (its last field, and the only one that differs
/// between two runs of the same input).
pub fn without_elapsed(report: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(report.to_vec()).expect("report.json is UTF-8");
    let start = text
        .find(",\n  \"elapsed_seconds\": ")
        .expect("report.json ends with elapsed_seconds");
    let end = start + 2 + text[start + 2..].find('\n').expect("a line end");
    assert_eq!(&text[end..], "\n}\n", "elapsed_seconds is the last field");
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

/// The names in a folder, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The `skipped_inputs` of a report as (path, kind, message).
pub fn skipped(report: &Value) -> Vec<(String, String, String)> {
    report["skipped_inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_owned(),
                s["kind"].as_str().unwrap().to_owned(),
                s["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}
