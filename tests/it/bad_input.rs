//! Reliability: bad inputs, faults and interruptions (the files in `fixtures/bad/`, and what
//! cannot be committed, built in a temporary folder).
//!
//! Every case puts one good article beside the bad input and checks four things: the exit code
//! (0 all processed, 1 some skipped, 2 fatal), the one stderr line `chaff: <path>: <message>`,
//! the input's entry in `report.json` (or, for a document repaired and flagged, its record), and
//! that the good article in the same run is still cleaned.
//!
//! Some cases need powers the test may not have: permission tests run chaff as user `nobody`
//! when the tests run as root (root reads everything), full-disk tests mount a small tmpfs. When
//! that is not possible the case prints a note and checks what it can.
//!

use crate::common::{self, Run, listing, repo, run_in};
use serde_json::Value;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The good article that sits beside every bad input.
const GOOD: &str = "good-article.txt";
/// Its last line, which the cleaner keeps.
const GOOD_LAST: &str = "The new timetable takes effect on the first Monday of November.";
/// The user and group `nobody`.
const NOBODY: u32 = 65534;

fn fixture(name: &str) -> PathBuf {
    repo().join("fixtures/bad").join(name)
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {mode:o} {}: {e}", path.display()));
}

/// A file or folder made unreadable (mode 000) until dropped, so the temporary folder can
/// always be removed.
struct Locked(PathBuf);

impl Locked {
    fn new(path: &Path) -> Locked {
        set_mode(path, 0o000);
        Locked(path.to_path_buf())
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
    }
}

/// A scratch folder holding `in/good-article.txt`; runs start in it, so inputs are named `in/…`.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("in")).unwrap();
        std::fs::copy(fixture(GOOD), dir.path().join("in").join(GOOD)).unwrap();
        Case { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file below the case folder (creating its folders).
    fn write(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Runs `chaff <args> -o <fresh folder>` from the case folder.
    fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }

    /// Lets user `nobody` read everything below the case folder.
    fn open_to_all(&self) {
        for entry in walkdir::WalkDir::new(self.root()) {
            let entry = entry.unwrap();
            if entry.path_is_symlink() {
                continue;
            }
            let meta = entry.metadata().unwrap();
            let mode = meta.permissions().mode() & 0o777;
            if mode == 0 {
                continue; // deliberately locked
            }
            set_mode(entry.path(), if meta.is_dir() { 0o755 } else { 0o644 });
        }
    }
}

/// `run_in`, but with a time limit: the child is killed when it runs longer. Returns the run,
/// how long it took, and whether it had to be killed.
fn run_limited(cwd: &Path, args: &[&str], limit: Duration) -> (Run, Duration, bool) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let stdout = std::fs::File::create(dir.path().join("stdout")).unwrap();
    let stderr = std::fs::File::create(dir.path().join("stderr")).unwrap();
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_chaff"))
        .current_dir(cwd)
        .args(args)
        .arg("-o")
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .expect("chaff starts");
    let mut killed = false;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            killed = true;
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    let output = Output {
        status,
        stdout: std::fs::read(dir.path().join("stdout")).unwrap(),
        stderr: std::fs::read(dir.path().join("stderr")).unwrap(),
    };
    (Run { dir, output }, elapsed, killed)
}

/// Runs chaff as user `nobody` (only root can), from `cwd`, into a fresh output folder anyone
/// may write. `None` if the child cannot be started as `nobody`.
fn run_as_nobody(cwd: &Path, args: &[&str]) -> Option<Run> {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    set_mode(dir.path(), 0o755);
    set_mode(&out, 0o777);
    let output = Command::new(env!("CARGO_BIN_EXE_chaff"))
        .current_dir(cwd)
        .args(args)
        .arg("-o")
        .arg(&out)
        .uid(NOBODY)
        .gid(NOBODY)
        .output();
    match output {
        Ok(output) => Some(Run { dir, output }),
        Err(e) => {
            eprintln!("note: cannot run chaff as nobody ({e})");
            None
        }
    }
}

/// Whether this process may read files whose permissions forbid it (root, or a process with
/// CAP_DAC_OVERRIDE): then `locked` (mode 000) still opens.
fn permissions_are_ignored(locked: &Path) -> bool {
    if locked.is_dir() {
        std::fs::read_dir(locked).is_ok()
    } else {
        std::fs::File::open(locked).is_ok()
    }
}

/// Every entry of `skipped_inputs`.
fn skips(run: &Run) -> Vec<Value> {
    run.report()["skipped_inputs"].as_array().unwrap().clone()
}

/// The one skipped entry for `path`.
fn skip_of(run: &Run, path: &str) -> Value {
    let all = skips(run);
    let found: Vec<&Value> = all.iter().filter(|s| s["path"] == path).collect();
    assert_eq!(
        found.len(),
        1,
        "one skipped entry for {path}: {all:#?}\nstderr: {}",
        run.stderr()
    );
    found[0].clone()
}

/// Checks that `path` was skipped as `kind` with a message containing `words`, named in the
/// report and, for a failure (damaged, unreadable, too large, changed), on exactly one stderr
/// line `chaff: <path>: <message>`; other skips are counted on the summary line (and named one by
/// one only with `-v`). Returns the message.
fn assert_skipped(run: &Run, path: &str, kind: &str, words: &str) -> String {
    let entry = skip_of(run, path);
    assert_eq!(entry["kind"], kind, "{path}: {entry}");
    let message = entry["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains(words),
        "{path}: message {message:?} should say {words:?}"
    );
    let line = format!("chaff: {path}: {message}");
    let stderr = run.stderr();
    let n = stderr.lines().filter(|l| *l == line).count();
    if ["damaged", "unreadable", "too-large", "changed"].contains(&kind) {
        assert_eq!(n, 1, "exactly one stderr line {line:?} in:\n{stderr}");
    } else {
        assert!(n <= 1, "at most one stderr line {line:?} in:\n{stderr}");
        let summary = stderr
            .lines()
            .find(|l| l.starts_with("chaff: skipped "))
            .unwrap_or_else(|| panic!("a summary of skips in:\n{stderr}"));
        // `chaff: skipped N: kind n, kind n`
        let kinds: Vec<&str> = summary
            .splitn(3, ": ")
            .nth(2)
            .unwrap_or_default()
            .split(", ")
            .filter_map(|count| count.split(' ').next())
            .collect();
        assert!(kinds.contains(&kind), "{kind} in {summary:?}");
    }
    message
}

/// The record whose `source.path` is exactly `path`.
fn record_at(run: &Run, path: &str) -> Value {
    let records = run.records();
    let found: Vec<&Value> = records
        .iter()
        .filter(|r| r["source"]["path"] == path)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one record for {path}; records: {:?}\nstderr: {}",
        records
            .iter()
            .map(|r| r["source"]["path"].clone())
            .collect::<Vec<_>>(),
        run.stderr()
    );
    found[0].clone()
}

/// Checks that the good article at `path` was cleaned as usual.
fn assert_good(run: &Run, path: &str) {
    let record = record_at(run, path);
    assert_eq!(record["source"]["lossy"], false);
    assert_eq!(record["source"]["encoding_from"], "utf8");
    let text = record["text"].as_str().unwrap();
    assert!(
        text.starts_with("Harbour board approves new ferry timetable") && text.ends_with(GOOD_LAST),
        "{path}: the good article is cleaned whole: {text:?}"
    );
}

/// Checks `seen = written + duplicates + skipped`, and that the lists agree with the counts.
fn assert_balanced(run: &Run) -> Value {
    let report = run.report();
    let n = |v: &Value| v.as_u64().unwrap_or_else(|| panic!("a count: {v}"));
    let seen = n(&report["seen"]);
    let written = n(&report["written"]);
    let exact = n(&report["duplicates"]["exact"]);
    let same = n(&report["duplicates"]["same-text"]);
    let skipped = n(&report["skipped"]);
    assert_eq!(seen, written + exact + same + skipped, "{report:#}");
    assert_eq!(run.records().len() as u64, written, "records = written");
    assert_eq!(
        report["skipped_inputs"].as_array().unwrap().len() as u64,
        skipped
    );
    let by_kind: u64 = report["skipped_by_kind"]
        .as_object()
        .unwrap()
        .values()
        .map(n)
        .sum();
    assert_eq!(by_kind, skipped, "skipped_by_kind adds up");
    report
}

/// The one stderr line of a run (a fatal error prints exactly one).
fn only_line(run: &Run) -> String {
    let stderr = run.stderr();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one stderr line: {stderr}");
    lines[0].to_owned()
}

// 1. Empty files.

#[test]
fn an_empty_file_is_skipped_as_empty() {
    let run = common::run(&[
        "run",
        "fixtures/bad/empty.txt",
        "fixtures/bad/good-article.txt",
    ]);
    assert_eq!(
        run.code(),
        0,
        "an empty file is not a failure: {}",
        run.stderr()
    );
    assert_skipped(&run, "fixtures/bad/empty.txt", "empty", "empty file");
    assert_good(&run, "fixtures/bad/good-article.txt");
    let report = assert_balanced(&run);
    assert_eq!(report["skipped_by_kind"]["empty"], 1);
}

// 2. Binary files.

#[test]
fn binary_files_are_skipped_saying_what_they_look_like() {
    let case = Case::new();
    // What a binary file is called does not matter: its bytes do.
    let png = std::fs::read(fixture("photo.png")).unwrap();
    case.write("in/photo-named.html", &png);
    case.write(
        "in/nul-bytes.txt",
        b"Some text\0\0\0\x01\x02 and then binary\0",
    );
    let input = case.path("in");
    // --all-files: the bytes, not the names, decide (by default .png and .pdf are not read).
    let run = common::run(&[
        "run",
        "--all-files",
        "fixtures/bad/photo.png",
        "fixtures/bad/minutes.pdf",
        input.to_str().unwrap(),
    ]);
    assert_eq!(
        run.code(),
        0,
        "binary files are not failures: {}",
        run.stderr()
    );
    assert_skipped(
        &run,
        "fixtures/bad/photo.png",
        "binary",
        "not text: looks like a PNG image",
    );
    assert_skipped(
        &run,
        "fixtures/bad/minutes.pdf",
        "binary",
        "not text: looks like a PDF document",
    );
    assert_skipped(&run, "in/photo-named.html", "binary", "a PNG image");
    assert_skipped(&run, "in/nul-bytes.txt", "binary", "control bytes");
    assert_good(&run, "in/good-article.txt");
    let report = assert_balanced(&run);
    assert_eq!(report["skipped_by_kind"]["binary"], 4);
    assert_eq!(report["written"], 1);
}

// 3. Text that is not (quite) UTF-8.

#[test]
fn damaged_utf8_is_decoded_lossily_and_latin1_by_a_guess() {
    let run = common::run(&[
        "run",
        "fixtures/bad/stray-byte.txt",
        "fixtures/bad/latin1.txt",
        "fixtures/bad/good-article.txt",
    ]);
    assert_eq!(run.code(), 0, "nothing is skipped: {}", run.stderr());
    assert!(
        !run.stderr().contains("stray-byte") && !run.stderr().contains("latin1"),
        "repaired documents are not errors: {}",
        run.stderr()
    );

    let lossy = record_at(&run, "fixtures/bad/stray-byte.txt");
    assert_eq!(lossy["source"]["encoding"], "UTF-8");
    assert_eq!(lossy["source"]["encoding_from"], "utf8");
    assert_eq!(lossy["source"]["lossy"], true);
    let text = lossy["text"].as_str().unwrap();
    assert!(
        text.contains("A damaged byte follows here: \u{FFFD} and the sentence goes on after it."),
        "the stray byte becomes U+FFFD, the rest is intact: {text:?}"
    );
    assert!(text.contains("Café owners") && text.contains("council’s"));

    let guessed = record_at(&run, "fixtures/bad/latin1.txt");
    assert_eq!(guessed["source"]["encoding_from"], "guessed");
    assert_eq!(guessed["source"]["encoding"], "windows-1252");
    assert_eq!(guessed["source"]["lossy"], false);
    let text = guessed["text"].as_str().unwrap();
    assert!(
        text.contains("Le café de la place du Marché") && text.contains("Élise Moreau"),
        "accents decoded: {text:?}"
    );
    assert!(!text.contains('\u{FFFD}'));

    assert_good(&run, "fixtures/bad/good-article.txt");
    let report = assert_balanced(&run);
    assert_eq!(report["decoding"]["lossy"], 1);
    assert_eq!(report["decoding"]["guessed"], 1);
    assert_eq!(report["skipped"], 0);
}

// 4. Files that are too large.

#[test]
fn a_file_over_max_bytes_is_skipped() {
    let case = Case::new();
    let line = "A line of an overlong transcript of the council meeting, repeated.\n";
    let big: String = line.repeat(2048 / line.len() + 1)[..2048].to_owned();
    case.write("in/transcript.txt", big.as_bytes());
    let run = case.run(&["run", "in", "--max-bytes", "1k"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert_skipped(
        &run,
        "in/transcript.txt",
        "too-large",
        "2048 bytes is more than --max-bytes 1024",
    );
    // The good article (796 bytes) is under the cap.
    assert_good(&run, "in/good-article.txt");
    assert_balanced(&run);
}

#[test]
fn a_huge_sparse_file_is_skipped_without_being_read() {
    let case = Case::new();
    // 100 MB is over the default cap of 64 MiB.
    let file = std::fs::File::create(case.path("in/huge.txt")).unwrap();
    file.set_len(100_000_000).unwrap();
    drop(file);
    // 64 GiB could not even be held in memory: were it read, the run would fail or crawl.
    let giant = std::fs::File::create(case.path("in/giant.txt")).unwrap();
    let giant_ok = giant.set_len(64 << 30).is_ok();
    drop(giant);
    if !giant_ok {
        eprintln!("note: this file system has no 64 GiB sparse files; checking 100 MB only");
        std::fs::remove_file(case.path("in/giant.txt")).unwrap();
    }
    let (run, elapsed, killed) = run_limited(case.root(), &["run", "in"], Duration::from_secs(60));
    assert!(!killed, "a run over a huge file must not hang");
    assert!(
        elapsed < Duration::from_secs(10),
        "the huge files are not read: the run took {elapsed:?}"
    );
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert_skipped(
        &run,
        "in/huge.txt",
        "too-large",
        "100000000 bytes is more than --max-bytes 67108864",
    );
    if giant_ok {
        assert_skipped(&run, "in/giant.txt", "too-large", "68719476736 bytes");
    }
    assert_good(&run, "in/good-article.txt");
    assert_balanced(&run);
}

#[test]
fn a_gzip_file_that_expands_past_max_bytes_is_stopped() {
    use std::io::Write;
    let case = Case::new();
    // 8 MiB of text in about 25 KB.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..(8 << 20) / 32 {
        gz.write_all(b"All work and no play, says Ann.\n").unwrap();
    }
    case.write("in/notes.txt.gz", &gz.finish().unwrap());
    let run = case.run(&["run", "in", "--max-bytes", "1M"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert_skipped(
        &run,
        "in/notes.txt.gz",
        "too-large",
        "decompresses to more than --max-bytes",
    );
    assert_good(&run, "in/good-article.txt");
    assert_balanced(&run);
}

// 5. Files and folders that may not be read.

#[test]
fn unreadable_files_and_folders_are_skipped() {
    let case = Case::new();
    let locked = case.write("in/locked.txt", b"Nobody may read this article.\n");
    let locked_dir = case.path("in/locked-folder");
    case.write("in/locked-folder/inside.txt", b"Nor this one.\n");
    case.open_to_all();
    let _locked = [Locked::new(&locked), Locked::new(&locked_dir)];
    let run = if permissions_are_ignored(&locked) {
        // Root reads a mode-000 file; run chaff as a user the permissions apply to.
        match run_as_nobody(case.root(), &["run", "in"]) {
            Some(run) => run,
            None => {
                eprintln!(
                    "note: running with privileges that ignore file permissions and cannot \
                     drop them: the unreadable-file assertions are skipped"
                );
                return;
            }
        }
    } else {
        case.run(&["run", "in"])
    };
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert_skipped(
        &run,
        "in/locked.txt",
        "unreadable",
        "cannot read: Permission denied",
    );
    assert_skipped(
        &run,
        "in/locked-folder",
        "unreadable",
        "cannot list or read: Permission denied",
    );
    assert_good(&run, "in/good-article.txt");
    assert_balanced(&run);
}

// 6. Symbolic links.

#[test]
fn links_are_reported_and_not_followed_by_default() {
    let case = Case::new();
    std::os::unix::fs::symlink("no-such-file.txt", case.path("in/broken.txt")).unwrap();
    std::os::unix::fs::symlink(GOOD, case.path("in/alias.txt")).unwrap();
    std::fs::create_dir(case.path("in/folder")).unwrap();
    std::os::unix::fs::symlink(".", case.path("in/folder/itself")).unwrap();
    let run = case.run(&["run", "in"]);
    assert_eq!(run.code(), 0, "links are not failures: {}", run.stderr());
    assert_skipped(
        &run,
        "in/broken.txt",
        "broken-link",
        "symbolic link points to nothing",
    );
    assert_skipped(
        &run,
        "in/alias.txt",
        "symlink",
        "symbolic link not followed (use --follow-links)",
    );
    assert_skipped(&run, "in/folder/itself", "symlink", "not followed");
    assert_good(&run, "in/good-article.txt");
    let report = assert_balanced(&run);
    assert_eq!(report["written"], 1);
}

#[test]
fn with_follow_links_a_link_loop_is_skipped_and_the_run_ends() {
    let case = Case::new();
    std::os::unix::fs::symlink("no-such-file.txt", case.path("in/broken.txt")).unwrap();
    std::os::unix::fs::symlink(GOOD, case.path("in/zz-alias.txt")).unwrap();
    case.write(
        "in/folder/inner.txt",
        b"Inner article about the river footbridge and its new lights.\n",
    );
    // folder/itself -> folder
    std::os::unix::fs::symlink(".", case.path("in/folder/itself")).unwrap();
    // folder/up -> in, which holds folder
    std::os::unix::fs::symlink("..", case.path("in/folder/up")).unwrap();
    let (run, _, killed) = run_limited(
        case.root(),
        &["run", "in", "--follow-links"],
        Duration::from_secs(60),
    );
    assert!(!killed, "a link loop must not make the run endless");
    assert_eq!(run.code(), 0, "links are not failures: {}", run.stderr());
    assert_skipped(
        &run,
        "in/folder/itself",
        "link-loop",
        "symbolic link loops back to in/folder",
    );
    assert_skipped(
        &run,
        "in/folder/up",
        "link-loop",
        "symbolic link loops back to in",
    );
    assert_skipped(
        &run,
        "in/broken.txt",
        "broken-link",
        "symbolic link points to nothing",
    );
    // A followed link to the good article is an exact copy of it.
    assert_good(&run, "in/good-article.txt");
    let good = record_at(&run, "in/good-article.txt");
    let copies: Vec<&Value> = good["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "exact")
        .collect();
    assert_eq!(copies.len(), 1, "{good:#}");
    assert_eq!(copies[0]["path"], "in/zz-alias.txt");
    record_at(&run, "in/folder/inner.txt");
    let report = assert_balanced(&run);
    assert_eq!(report["duplicates"]["exact"], 1);
}

// 7. File names that are not UTF-8.

#[test]
fn non_utf8_file_names_keep_their_exact_bytes() {
    let case = Case::new();
    let name = |bytes: &[u8]| case.path("in").join(OsStr::from_bytes(bytes));
    std::fs::write(
        name(b"caf\xe9.txt"),
        "Story A: the café on Mill Street reopens after the flood.\n",
    )
    .unwrap();
    std::fs::write(
        name(b"caf\xe8.txt"),
        "Story B: the bakery on Quay Street wins a regional prize.\n",
    )
    .unwrap();
    std::fs::write(name(b"caf\xe7.txt"), b"").unwrap();
    // Sorts after the good article, so it is the copy.
    std::fs::copy(fixture(GOOD), name(b"z\xea-copy.txt")).unwrap();
    let run = case.run(&["run", "in"]);
    assert_eq!(
        run.code(),
        0,
        "an empty file is not a failure: {}",
        run.stderr()
    );

    let lossy = "in/caf\u{FFFD}.txt";
    let records: Vec<Value> = run
        .records()
        .into_iter()
        .filter(|r| r["source"]["path"] == lossy)
        .collect();
    assert_eq!(
        records.len(),
        2,
        "two names that differ in one invalid byte stay two records"
    );
    let by_hex = |hex: &str| {
        records
            .iter()
            .find(|r| r["source"]["path_hex"] == hex)
            .unwrap_or_else(|| panic!("a record with path_hex {hex}: {records:#?}"))
    };
    // "in/caf\xe9.txt" and "in/caf\xe8.txt"
    let a = by_hex("696e2f636166e92e747874");
    let b = by_hex("696e2f636166e82e747874");
    assert!(a["text"].as_str().unwrap().starts_with("Story A"));
    assert!(b["text"].as_str().unwrap().starts_with("Story B"));
    // UTF-8 names carry no path_hex.
    let good = record_at(&run, "in/good-article.txt");
    assert!(good["source"].get("path_hex").is_none(), "{good:#}");
    assert_good(&run, "in/good-article.txt");
    // A copy keeps its exact name too.
    let copy = &good["duplicates"][0];
    assert_eq!(copy["path"], "in/z\u{FFFD}-copy.txt");
    assert_eq!(copy["path_hex"], "696e2f7aea2d636f70792e747874");
    assert_eq!(copy["kind"], "exact");
    // So does a skipped file.
    assert_skipped(&run, lossy, "empty", "empty file");
    assert_eq!(skip_of(&run, lossy)["path_hex"], "696e2f636166e72e747874");
    assert_balanced(&run);
}

#[test]
fn text_dir_keeps_non_utf8_names_apart() {
    let case = Case::new();
    let name = |bytes: &[u8]| case.path("in").join(OsStr::from_bytes(bytes));
    std::fs::write(name(b"caf\xe9.txt"), "Story A: the café reopens.\n").unwrap();
    std::fs::write(name(b"caf\xe8.txt"), "Story B: the bakery wins.\n").unwrap();
    std::fs::create_dir(case.path("texts")).unwrap();
    let run = case.run(&["run", "in", "--text-dir", "texts"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.records().len(), 3);
    let mut texts: Vec<String> = walkdir::WalkDir::new(case.path("texts"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    texts.sort();
    assert_eq!(
        texts.len(),
        3,
        "one text file per record, none overwritten: {texts:?}"
    );
    assert!(texts.iter().any(|t| t.starts_with("Story A")));
    assert!(texts.iter().any(|t| t.starts_with("Story B")));
}

#[test]
fn text_dir_never_writes_outside_its_folder() {
    let case = Case::new();
    std::fs::create_dir(case.path("texts")).unwrap();
    std::fs::create_dir(case.path("work")).unwrap();
    let run = run_in(
        &case.path("work"),
        &["run", "../in", "--text-dir", "../texts"],
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(
        listing(&case.path("in")),
        [GOOD],
        "nothing may be written into the input folder"
    );
    let written = walkdir::WalkDir::new(case.path("texts"))
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_type().is_file())
        .count();
    assert_eq!(written, 1, "the text goes below --text-dir");
}

#[test]
fn a_name_with_a_newline_still_gives_one_stderr_line() {
    let case = Case::new();
    case.write("in/two\nlines.txt", b"");
    // -v: every skipped input gets its line, not only failures.
    let run = case.run(&["run", "in", "-v"]);
    assert_eq!(
        run.code(),
        0,
        "an empty file is not a failure: {}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("in/two\\nlines.txt: empty file"),
        "{}",
        run.stderr()
    );
    assert_eq!(skip_of(&run, "in/two\nlines.txt")["kind"], "empty");
    for line in run.stderr().lines() {
        assert!(
            line.starts_with("chaff: "),
            "every stderr line is a whole `chaff: ` line, got {line:?} in:\n{}",
            run.stderr()
        );
    }
}

// 8. Pathological HTML.

/// A page with `depth` copies of `open` before the article paragraph and `close` after it; the
/// paragraph ends with `label`, so that pages of one run are not copies of each other.
fn nested_page(open: &str, close: &str, depth: usize, label: &str) -> String {
    format!(
        "<!doctype html><html><head><title>Deep</title></head><body>{}\
         <p>The river authority opened the new fish ladder at Coldwater weir on Friday, three \
         years after the old one collapsed in a spring flood ({label}).</p>{}</body></html>",
        open.repeat(depth),
        close.repeat(depth)
    )
}

const DEEP_TEXT: &str = "The river authority opened the new fish ladder at Coldwater weir";

#[test]
fn deeply_nested_html_is_flattened_quickly() {
    let case = Case::new();
    std::fs::copy(
        fixture("deep-nesting.html"),
        case.path("in/deep-nesting.html"),
    )
    .unwrap();
    case.write(
        "in/div.html",
        nested_page("<div>", "</div>", 100_000, "div").as_bytes(),
    );
    case.write(
        "in/unclosed-div.html",
        nested_page("<div class='a>b'>", "", 100_000, "unclosed-div").as_bytes(),
    );
    case.write("in/b.html", nested_page("<b>", "", 100_000, "b").as_bytes());
    case.write(
        "in/table.html",
        nested_page("<table><tr><td>", "", 30_000, "table").as_bytes(),
    );
    case.write(
        "in/svg.html",
        nested_page("<svg>", "", 1, "svg")
            .replace("<svg>", &format!("<svg>{}</svg>", "<g>".repeat(100_000)))
            .as_bytes(),
    );
    let (run, elapsed, killed) = run_limited(case.root(), &["run", "in"], Duration::from_secs(60));
    assert!(!killed, "deep HTML must not hang the run: {}", run.stderr());
    assert!(
        elapsed < Duration::from_secs(10),
        "deep HTML is parsed quickly, took {elapsed:?}"
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    for name in ["div", "unclosed-div", "b", "table", "svg"] {
        let record = record_at(&run, &format!("in/{name}.html"));
        let notes = record["source"]["notes"].to_string();
        assert!(notes.contains("flattened"), "{name}: notes {notes}");
        assert!(
            record["text"].as_str().unwrap().contains(DEEP_TEXT),
            "{name}: the text survives flattening: {record:#}"
        );
    }
    let record = record_at(&run, "in/deep-nesting.html");
    assert!(record["source"]["notes"].to_string().contains("flattened"));
    assert!(
        record["text"]
            .as_str()
            .unwrap()
            .contains("Organiser Tomas Reyes said")
    );
    assert_good(&run, "in/good-article.txt");
    assert_balanced(&run);
}

#[test]
fn deep_nesting_hidden_from_the_depth_scan_is_flattened_too() {
    let case = Case::new();
    // html5ever ignores `</x>` (no open x) and the `/` of `<div/>`: both nest 100k divs deep,
    // while a scan that counts every end tag, or believes `<div/>`, sees depth 1 or 0.
    case.write(
        "in/stray-end-tags.html",
        nested_page("<div></x>", "", 100_000, "stray-end-tags").as_bytes(),
    );
    case.write(
        "in/self-closing.html",
        nested_page("<div/>", "", 100_000, "self-closing").as_bytes(),
    );
    case.write(
        "in/formatting.html",
        nested_page("<em>x</b>", "", 100_000, "formatting").as_bytes(),
    );
    let (run, elapsed, killed) = run_limited(case.root(), &["run", "in"], Duration::from_secs(30));
    assert!(
        !killed && elapsed < Duration::from_secs(10),
        "parsing must not be quadratic in the nesting depth: killed {killed}, {elapsed:?}"
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    for name in ["stray-end-tags", "self-closing", "formatting"] {
        let record = record_at(&run, &format!("in/{name}.html"));
        assert!(
            record["source"]["notes"].to_string().contains("flattened"),
            "{name}: {}",
            record["source"]
        );
        assert!(record["text"].as_str().unwrap().contains(DEEP_TEXT));
    }
    assert_good(&run, "in/good-article.txt");
}

#[test]
fn truncated_html_still_gives_its_text() {
    let run = common::run(&[
        "run",
        "fixtures/bad/unclosed.html",
        "fixtures/bad/truncated-mid-tag.html",
        "fixtures/bad/truncated-mid-attribute.html",
        "fixtures/bad/good-article.txt",
    ]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let first = "More than two hundred volunteers cleared about three tonnes of litter";
    let last = "The town council lent two trucks and a skip";
    for name in [
        "unclosed.html",
        "truncated-mid-tag.html",
        "truncated-mid-attribute.html",
    ] {
        let record = record_at(&run, &format!("fixtures/bad/{name}"));
        assert_eq!(record["source"]["format"], "html", "{name}");
        assert_eq!(
            record["title"], "Volunteers clear three tonnes of litter from Millrace beach",
            "{name}"
        );
        let text = record["text"].as_str().unwrap();
        assert!(
            text.contains(first) && text.contains(last),
            "{name}: {text:?}"
        );
    }
    let text = |name: &str| {
        record_at(&run, &format!("fixtures/bad/{name}"))["text"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(
        text("truncated-mid-tag.html").ends_with(
            "Volunteers who stayed until the evening were given a meal at the sailing club."
        ),
        "the last whole paragraph before the cut is kept"
    );
    assert!(
        text("truncated-mid-attribute.html").ends_with("Photos from the day are on the"),
        "the text before a link cut inside its href is kept"
    );
    // The text inside never-closed elements is read: kept or removed, but not lost.
    let unclosed = record_at(&run, "fixtures/bad/unclosed.html");
    let everything = format!("{}\n{}", unclosed["text"], unclosed["lines"]["removed"]);
    for tail in [
        "Next year's clean-up is planned for the second Saturday of October",
        "Anyone who wants to help can sign up at the library",
    ] {
        assert!(everything.contains(tail), "{tail:?} is read: {unclosed:#}");
    }
    assert_good(&run, "fixtures/bad/good-article.txt");
    assert_balanced(&run);
}

#[test]
fn html_cut_at_any_byte_is_still_read() {
    let case = Case::new();
    let page = std::fs::read(fixture("unclosed.html")).unwrap();
    let mut cuts = 0;
    for cut in (1..page.len()).step_by(7) {
        case.write(format!("in/cut-{cut:05}.html"), &page[..cut]);
        cuts += 1;
    }
    // Learning nothing (no line is frequent), so each prefix keeps its own article.
    let (run, _, killed) = run_limited(
        case.root(),
        &["run", "in", "--min-units", "100000"],
        Duration::from_secs(120),
    );
    assert!(!killed);
    let report = assert_balanced(&run);
    assert_eq!(report["seen"], cuts + 1, "every prefix is seen");
    // Prefixes cut before any text are reported as empty output (not a failure: the run exits
    // 0); every other prefix is read.
    let skipped = report["skipped_inputs"].as_array().unwrap();
    assert!(
        skipped.iter().all(|s| s["kind"] == "empty-output"),
        "{skipped:?}"
    );
    // (The page's head holds no text: only the shorter prefixes.)
    assert!(
        skipped.len() * 2 < cuts,
        "{} of {cuts} prefixes",
        skipped.len()
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_good(&run, "in/good-article.txt");
    // The longest prefix holds the whole article, and its text keeps every paragraph (it may be
    // folded into an earlier prefix with the same text).
    let longest = format!("in/cut-{:05}.html", 1 + 7 * (cuts - 1));
    let record = run
        .records()
        .into_iter()
        .find(|r| {
            r["source"]["path"] == longest.as_str()
                || r["duplicates"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|d| d["path"] == longest.as_str() && d["kind"] != "near")
        })
        .unwrap_or_else(|| panic!("{longest} is written or folded into a record"));
    for paragraph in [
        "More than two hundred volunteers cleared",
        "Organiser Tomas Reyes said",
        "The town council lent two trucks",
    ] {
        assert!(
            record["text"].as_str().unwrap().contains(paragraph),
            "{paragraph}: {record:#}"
        );
    }
}

// 9. Files that vanish between the walk and the read.

// A file that vanishes, or turns into a folder, between the walk and the read is skipped as
// `changed` or `unreadable`: a race a run cannot be timed into, so it is a unit test of
// `container::open` (src/container/mod.rs).

// 10. Output faults.

#[test]
fn an_output_folder_whose_parent_is_missing_is_fatal_and_nothing_is_written() {
    let case = Case::new();
    for out in ["missing/deeper", "missing/deeper/deepest"] {
        let output = common::chaff()
            .current_dir(case.root())
            .args(["run", "in", "-o", out])
            .output()
            .unwrap();
        let run = Run {
            dir: tempfile::tempdir().unwrap(),
            output,
        };
        assert_eq!(run.code(), 2, "{}", run.stderr());
        assert_eq!(
            only_line(&run),
            format!("chaff: cannot write {out}: No such file or directory (os error 2)")
        );
        assert_eq!(listing(case.root()), ["in"], "no folder or file is created");
        assert_eq!(listing(&case.path("in")), [GOOD]);
    }
}

#[test]
fn an_output_path_that_is_a_file_is_fatal() {
    let case = Case::new();
    case.write("out", b"not a folder\n");
    let output = common::chaff()
        .current_dir(case.root())
        .args(["run", "in", "-o", "out"])
        .output()
        .unwrap();
    let run = Run {
        dir: tempfile::tempdir().unwrap(),
        output,
    };
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert_eq!(only_line(&run), "chaff: cannot write out: not a folder");
    assert_eq!(std::fs::read(case.path("out")).unwrap(), b"not a folder\n");
    assert_eq!(listing(case.root()), ["in", "out"]);
}

#[test]
fn a_text_dir_whose_parent_is_missing_is_fatal_before_any_output() {
    let case = Case::new();
    let run = case.run(&["run", "in", "--text-dir", "no/texts"]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(only_line(&run).starts_with("chaff: cannot write no/texts: "));
    assert!(listing(&run.out()).is_empty(), "nothing is written");
}

#[test]
fn an_unwritable_output_folder_is_fatal_and_left_alone() {
    let case = Case::new();
    let out = case.path("out");
    case.write("out/clean.jsonl", b"older output\n");
    case.open_to_all();
    set_mode(&out, 0o555);
    let probe = out.join("probe");
    let privileged = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    let output = if privileged {
        use std::os::unix::process::CommandExt;
        Command::new(env!("CARGO_BIN_EXE_chaff"))
            .current_dir(case.root())
            .args(["run", "in", "-o", "out"])
            .uid(NOBODY)
            .gid(NOBODY)
            .output()
    } else {
        common::chaff()
            .current_dir(case.root())
            .args(["run", "in", "-o", "out"])
            .output()
    };
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            eprintln!(
                "note: this process writes into read-only folders and cannot run chaff as \
                 nobody ({e}): the unwritable-folder assertions are skipped"
            );
            set_mode(&out, 0o755);
            return;
        }
    };
    set_mode(&out, 0o755);
    let run = Run {
        dir: tempfile::tempdir().unwrap(),
        output,
    };
    assert_eq!(run.code(), 2, "{}", run.stderr());
    let line = only_line(&run);
    assert!(
        line.starts_with("chaff: ") && line.contains("out") && line.contains("Permission denied"),
        "the message names the folder and the cause: {line}"
    );
    assert_eq!(listing(&out), ["clean.jsonl"], "nothing new in the folder");
    assert_eq!(
        std::fs::read(out.join("clean.jsonl")).unwrap(),
        b"older output\n"
    );
}

/// A tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    /// Mounts a tmpfs of `kib` KiB on `dir`, if this process may.
    fn mount(dir: &Path, kib: u64) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={kib}k,mode=0755"))
            .arg("tmpfs")
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        match status {
            Ok(s) if s.success() => Some(Tmpfs {
                dir: dir.to_path_buf(),
            }),
            _ => None,
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}

/// Runs chaff on `seeds` into tmpfs folders of growing size, each holding an older
/// `clean.jsonl`, until one is large enough. Checks at every size that a failure is fatal (exit
/// 2) with a message naming the folder, and that no output file is ever half-written and no
/// temporary file is left. With `all_or_nothing`, also that a failed run leaves every earlier
/// output as it was. Returns false (after a note) if no tmpfs can be mounted here.
fn full_disk_sweep(all_or_nothing: bool) -> bool {
    let reference = common::run(&["run", "seeds"]);
    assert_eq!(reference.code(), 0, "{}", reference.stderr());
    let want = |name: &str| reference.bytes(name);
    let scratch = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for kib in (4..=512).step_by(4) {
        let dir = scratch.path().join(format!("disk-{kib}"));
        let Some(disk) = Tmpfs::mount(&dir, kib) else {
            eprintln!("note: cannot mount a tmpfs here; the full-disk assertions are skipped");
            return false;
        };
        let older = b"older output\n";
        if std::fs::write(dir.join("clean.jsonl"), older).is_err() {
            continue; // not even that fits
        }
        let output = common::chaff()
            .args(["run", "seeds", "-j", "1", "-o"])
            .arg(&dir)
            .output()
            .unwrap();
        let run = Run {
            dir: tempfile::tempdir().unwrap(),
            output,
        };
        let names = listing(&dir);
        assert!(
            names.iter().all(|n| !n.starts_with('.')),
            "{kib} KiB: no temporary file is left: {names:?}"
        );
        if run.code() == 0 {
            for name in ["clean.jsonl", "model.json"] {
                assert_eq!(std::fs::read(dir.join(name)).unwrap(), want(name), "{name}");
            }
            eprintln!("full disk: {kib} KiB is enough; failures: {failures:#?}");
            drop(disk);
            assert!(!failures.is_empty(), "the smallest disk made the run fail");
            return true;
        }
        assert_eq!(run.code(), 2, "{kib} KiB: {}", run.stderr());
        let line = only_line(&run);
        assert!(
            line.contains(dir.to_str().unwrap()) && line.contains("No space left on device"),
            "{kib} KiB: the message names the folder and the cause: {line}"
        );
        // Each file is either as it was, or whole.
        let clean = std::fs::read(dir.join("clean.jsonl")).unwrap();
        assert!(
            clean == older || clean == want("clean.jsonl"),
            "{kib} KiB: clean.jsonl is never half-written ({} bytes)",
            clean.len()
        );
        if let Ok(model) = std::fs::read(dir.join("model.json")) {
            assert_eq!(model, want("model.json"), "{kib} KiB: model.json is whole");
        }
        if all_or_nothing {
            assert_eq!(
                (clean.as_slice(), names.as_slice()),
                (older.as_slice(), ["clean.jsonl".to_owned()].as_slice()),
                "{kib} KiB: a failed run leaves the folder as it was ({line})"
            );
        }
        failures.push(format!("{kib} KiB: {line} -> {names:?}"));
    }
    panic!("512 KiB should be enough for the seeds: {failures:#?}");
}

#[test]
fn a_full_disk_never_leaves_a_half_written_or_temporary_file() {
    full_disk_sweep(false);
}

/// A full disk without privileges: the file size limit (`RLIMIT_FSIZE`, as `ulimit -f` sets it)
/// makes every write past 1 KiB fail, as a full disk does, wherever chaff writes. Runs on
/// any Unix, where the tmpfs tests above need root.
#[test]
fn writes_that_fail_past_a_size_limit_leave_no_output() {
    use std::os::unix::process::CommandExt;
    let case = Case::new();
    // A 9 KB article, so that its record alone passes the limit.
    let seed = std::fs::read(repo().join("seeds/004_e568952c49340a18.txt")).unwrap();
    case.write("in/analysis.txt", &seed);
    case.write("out/clean.jsonl", b"older output\n");
    let mut command = common::chaff();
    command
        .current_dir(case.root())
        .args(["run", "in", "-o", "out"]);
    // SAFETY: between fork and exec only async-signal-safe calls are made (signal, setrlimit).
    unsafe {
        command.pre_exec(|| {
            // Past the limit a write fails with EFBIG instead of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 1024,
                rlim_max: 1024,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let output = command.output().unwrap();
    let run = Run {
        dir: tempfile::tempdir().unwrap(),
        output,
    };
    assert_eq!(run.code(), 2, "{}", run.stderr());
    let line = only_line(&run);
    assert!(line.contains("File too large"), "{line}");
    let left: Vec<String> = listing(&case.path("out"));
    assert_eq!(left, ["clean.jsonl"], "only the older output may be left");
    let clean = std::fs::read(case.path("out/clean.jsonl")).unwrap();
    assert_eq!(clean, b"older output\n", "the older output is untouched");
}

#[test]
fn a_fatal_error_while_writing_replaces_no_earlier_output() {
    for blocked in ["model.json", "report.json"] {
        let case = Case::new();
        case.write("out/clean.jsonl", b"older output\n");
        // A folder where the output file should go: its rename fails.
        std::fs::create_dir_all(case.path("out").join(blocked)).unwrap();
        let output = common::chaff()
            .current_dir(case.root())
            .args(["run", "in", "-o", "out"])
            .output()
            .unwrap();
        let run = Run {
            dir: tempfile::tempdir().unwrap(),
            output,
        };
        assert_eq!(run.code(), 2, "{}", run.stderr());
        assert!(only_line(&run).contains(&format!("out/{blocked}")));
        let clean = std::fs::read(case.path("out/clean.jsonl")).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&clean),
            "older output\n",
            "{blocked} could not be written, so clean.jsonl must stay as it was"
        );
    }
    full_disk_sweep(true);
}

#[test]
fn output_files_get_the_usual_permissions() {
    let run = common::run(&["run", "fixtures/bad/good-article.txt"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let usual = run.out().join("usual");
    std::fs::write(&usual, b"").unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for name in ["clean.jsonl", "model.json", "report.json"] {
        assert_eq!(
            format!("{:o}", mode(&run.out().join(name))),
            format!("{:o}", mode(&usual)),
            "{name} has the mode any new file gets here"
        );
    }
}

#[test]
fn a_second_run_does_not_read_its_own_output() {
    let case = Case::new();
    std::fs::create_dir(case.path("in/out")).unwrap();
    let run_here = || {
        // `chaff run .` with the default output folder `out`, inside the input.
        let output = common::chaff()
            .current_dir(case.path("in"))
            .args(["run", "."])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        serde_json::from_slice::<Value>(&std::fs::read(case.path("in/out/report.json")).unwrap())
            .unwrap()
    };
    let first = run_here();
    let second = run_here();
    assert_eq!(first["seen"], 1);
    assert_eq!(
        second["seen"], first["seen"],
        "the second run reads the same inputs: {second:#}"
    );
}

// 11. Interruptions.

/// Sends `signal` (`INT`, `TERM`) to a process.
fn send_signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .args(["-s", signal, &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -s {signal} {pid}");
}

/// Generates a crawl, starts `chaff run` on it, sends `signal` after `delay`, and checks that
/// the run stops with 130, says so, and leaves the output folder as it was. Retries with more
/// input or another delay when the run finished first; returns false (after a note) if it always
/// did.
fn interrupt(signal: &str, delay: Duration) -> bool {
    let scratch = tempfile::tempdir().unwrap();
    let mut attempts = Vec::new();
    for (attempt, pages) in [400, 400, 1200, 3000].into_iter().enumerate() {
        let crawl = scratch.path().join(format!("crawl-{attempt}"));
        let generated = common::chaff()
            .args([
                "gen-corpus",
                "--sites",
                "5",
                "--pages",
                &pages.to_string(),
                "-o",
            ])
            .arg(&crawl)
            .output()
            .unwrap();
        assert!(generated.status.success(), "{generated:?}");
        let out = scratch.path().join(format!("out-{attempt}"));
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("clean.jsonl"), b"older output\n").unwrap();
        let stderr_path = scratch.path().join(format!("stderr-{attempt}"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_chaff"))
            .arg("run")
            .arg(&crawl)
            .arg("-o")
            .arg(&out)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr_path).unwrap())
            .spawn()
            .unwrap();
        // Twice as long on a retry after the signal came too early.
        let wait = delay * (1 + u32::from(attempts.iter().any(|a: &String| a.contains("early"))));
        std::thread::sleep(wait);
        let signalled = Instant::now();
        if child.try_wait().unwrap().is_none() {
            send_signal(child.id(), signal);
        }
        let status = child.wait().unwrap();
        let stopped_in = signalled.elapsed();
        let stderr = std::fs::read_to_string(&stderr_path).unwrap();
        match status.code() {
            Some(130) => {
                assert!(
                    stderr
                        .lines()
                        .any(|l| l == "chaff: interrupted; no output was written"),
                    "{stderr}"
                );
                assert!(
                    !stderr.contains("chaff: wrote"),
                    "nothing is reported written: {stderr}"
                );
                assert_eq!(
                    listing(&out),
                    ["clean.jsonl"],
                    "SIG{signal}: no output or temporary file is left"
                );
                assert_eq!(
                    std::fs::read(out.join("clean.jsonl")).unwrap(),
                    b"older output\n"
                );
                assert!(
                    stopped_in < Duration::from_secs(20),
                    "SIG{signal}: the run stops soon after the signal, took {stopped_in:?}"
                );
                return true;
            }
            Some(0 | 1) => attempts.push(format!("{pages} pages: finished before the signal")),
            None => attempts.push(format!(
                "{pages} pages: killed by the signal before the handler was set (early)"
            )),
            Some(other) => panic!("SIG{signal}: exit {other}: {stderr}"),
        }
    }
    eprintln!("note: could not interrupt a run with SIG{signal}: {attempts:?}; skipped");
    false
}

#[test]
fn sigint_stops_the_run_with_130_and_no_output() {
    interrupt("INT", Duration::from_millis(200));
}

#[test]
fn sigterm_stops_the_run_with_130_and_no_output() {
    // Later: most likely while cleaning (pass 2) rather than reading.
    interrupt("TERM", Duration::from_millis(1200));
}

// 12. Accounting over every kind of bad input at once.

#[test]
fn every_input_is_accounted_for_whatever_is_wrong_with_it() {
    let case = Case::new();
    for entry in std::fs::read_dir(repo().join("fixtures/bad")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != GOOD {
            std::fs::copy(entry.path(), case.path("in").join(entry.file_name())).unwrap();
        }
    }
    // Copies, in a folder that sorts after the good article (the first copy is the canonical).
    std::fs::create_dir(case.path("in/zz-copies")).unwrap();
    std::fs::copy(fixture(GOOD), case.path("in/zz-copies/exact.txt")).unwrap();
    let mut same_text = std::fs::read(fixture(GOOD)).unwrap();
    same_text.extend_from_slice(b"\n\n\n");
    case.write("in/zz-copies/same-text.txt", &same_text);
    // Too large, and non-UTF-8 names.
    let huge = std::fs::File::create(case.path("in/huge.txt")).unwrap();
    huge.set_len(100_000_000).unwrap();
    drop(huge);
    let names = case.path("in/names");
    std::fs::create_dir(&names).unwrap();
    std::fs::write(
        names.join(OsStr::from_bytes(b"caf\xe9.txt")),
        "Story A: the café on Mill Street reopens after the flood.\n",
    )
    .unwrap();
    std::fs::write(names.join(OsStr::from_bytes(b"caf\xe8.txt")), b"").unwrap();
    case.write(
        "in/deep.html",
        nested_page("<div>", "</div>", 100_000, "deep").as_bytes(),
    );
    // Links: broken, to a file, and a loop.
    let links = case.path("in/links");
    std::fs::create_dir(&links).unwrap();
    std::os::unix::fs::symlink("nowhere.txt", links.join("broken.txt")).unwrap();
    std::os::unix::fs::symlink(format!("../{GOOD}"), links.join("alias.txt")).unwrap();
    std::os::unix::fs::symlink(".", links.join("loop")).unwrap();
    // A named pipe: opening it would block.
    let fifo = Command::new("mkfifo")
        .arg(case.path("in/pipe"))
        .status()
        .is_ok_and(|s| s.success());
    if !fifo {
        eprintln!("note: no mkfifo here; no named pipe in the mix");
    }
    // Unreadable: a file, and a folder with a file in it.
    let locked_file = case.write("in/locked.txt", b"Locked away.\n");
    let locked_dir = case.path("in/locked-folder");
    case.write("in/locked-folder/inside.txt", b"Locked away too.\n");
    case.open_to_all();
    let mut locks = vec![Locked::new(&locked_file), Locked::new(&locked_dir)];
    let mut as_nobody = permissions_are_ignored(&locked_file);
    let mut unreadable = 2;

    for follow in [false, true] {
        let mut args = vec!["run", "in"];
        if follow {
            args.push("--follow-links");
        }
        let mut run = None;
        if as_nobody {
            run = run_as_nobody(case.root(), &args);
            if run.is_none() {
                eprintln!(
                    "note: cannot drop privileges, so nothing is unreadable to chaff here; \
                     the unreadable inputs are left out"
                );
                locks.clear();
                as_nobody = false;
                unreadable = 0;
            }
        }
        let run = run.unwrap_or_else(|| case.run(&args));
        assert_eq!(run.code(), 1, "{}", run.stderr());
        let report = assert_balanced(&run);
        let kinds = &report["skipped_by_kind"];
        let count = |kind: &str| kinds[kind].as_u64().unwrap_or(0);
        for (kind, n) in [
            ("empty", 2),
            ("not-a-document", 2),
            ("too-large", 1),
            ("broken-link", 1),
            ("unreadable", unreadable),
            ("not-a-file", u64::from(fifo)),
        ] {
            assert_eq!(
                count(kind),
                n,
                "{kind} (follow links: {follow}): {report:#}"
            );
        }
        if follow {
            assert_eq!(count("link-loop"), 1, "{report:#}");
            assert_eq!(count("symlink"), 0, "{report:#}");
            assert_eq!(
                report["duplicates"]["exact"], 2,
                "exact.txt and links/alias.txt"
            );
        } else {
            assert_eq!(count("symlink"), 2, "alias.txt and loop: {report:#}");
            assert_eq!(report["duplicates"]["exact"], 1, "exact.txt");
        }
        assert_eq!(
            report["duplicates"]["same-text"], 1,
            "same-text.txt: {report:#}"
        );
        assert_good(&run, "in/good-article.txt");

        // Every path on disk is named: by a record, as a copy folded into one, or as skipped.
        // Non-UTF-8 names are compared by their bytes.
        let key = |v: &Value| {
            v["path_hex"]
                .as_str()
                .map_or_else(|| v["path"].as_str().unwrap().to_owned(), str::to_owned)
        };
        let mut named = std::collections::BTreeSet::new();
        for r in run.records() {
            named.insert(key(&r["source"]));
            for d in r["duplicates"].as_array().unwrap() {
                if d["kind"] != "near" {
                    named.insert(key(d));
                }
            }
        }
        for s in report["skipped_inputs"].as_array().unwrap() {
            named.insert(key(s));
        }
        let mut on_disk = 0;
        for entry in walkdir::WalkDir::new(case.path("in")).sort_by_file_name() {
            let entry = entry.unwrap();
            let path = entry.path();
            if path.starts_with(&locked_dir) && path != locked_dir && unreadable > 0 {
                continue; // below the locked folder: chaff cannot see it
            }
            if entry.file_type().is_dir() && !(path == locked_dir && unreadable > 0) {
                continue;
            }
            let below = path.strip_prefix(case.root()).unwrap();
            let name = match below.to_str() {
                Some(text) => text.to_owned(),
                None => below
                    .as_os_str()
                    .as_bytes()
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect(),
            };
            on_disk += 1;
            assert!(
                named.contains(&name),
                "{name} is accounted for (follow links: {follow}); named: {named:#?}"
            );
        }
        assert!(report["seen"].as_u64().unwrap() >= on_disk);
    }
}

// 13. Outputs that belong together, bounded work, one name per input.

/// The SHA-256 of some bytes, in hex.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks that the `report.json` in `out` names the `clean.jsonl` and `model.json` beside it.
fn assert_one_set(out: &Path) {
    let report: Value = serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap())
        .expect("report.json is JSON");
    for name in ["clean.jsonl", "model.json"] {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert_eq!(
            report["outputs"][name]["sha256"].as_str(),
            Some(sha256_hex(&bytes).as_str()),
            "{name} belongs with report.json"
        );
    }
}

/// `chaff run <input> -o <out>` started in `cwd`, not yet waited for.
fn start_run(cwd: &Path, input: &str, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_chaff"))
        .current_dir(cwd)
        .args(["run", input, "-q", "-o"])
        .arg(out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chaff starts")
}

#[test]
fn two_writers_into_one_folder_never_mix_their_outputs() {
    let case = Case::new();
    std::fs::create_dir(case.path("a")).unwrap();
    for (i, seed) in std::fs::read_dir(repo().join("seeds")).unwrap().enumerate() {
        std::fs::copy(seed.unwrap().path(), case.path(format!("a/{i}.txt"))).unwrap();
    }
    let out = case.path("out");
    std::fs::create_dir(&out).unwrap();
    let mut refused = 0;
    for _ in 0..40 {
        let first = start_run(case.root(), "a", &out);
        let second = start_run(case.root(), "in", &out);
        for child in [first, second] {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            match output.status.code() {
                Some(0) => {}
                Some(2) => {
                    refused += 1;
                    assert!(
                        stderr.contains("is in use by another chaff run (pid ")
                            && stderr.lines().count() == 1,
                        "a refused run names the holder: {stderr}"
                    );
                }
                other => panic!("exit {other:?}: {stderr}"),
            }
        }
        assert_one_set(&out);
        assert_eq!(
            listing(&out),
            ["clean.jsonl", "model.json", "report.json"],
            "no temporary file or lock is left"
        );
    }
    eprintln!("note: {refused} of 40 runs found the folder in use");
}

#[test]
fn a_locked_output_folder_fails_at_once_naming_the_holder() {
    let case = Case::new();
    let out = case.path("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("clean.jsonl"), b"older output\n").unwrap();
    let lock = std::fs::File::create(out.join(".chaff.lock")).unwrap();
    lock.try_lock().unwrap();
    std::fs::write(
        out.join(".chaff.lock"),
        b"chaff-lock pid 4242 on builder-7\n",
    )
    .unwrap();
    let output = start_run(case.root(), "in", &out)
        .wait_with_output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("in use by another chaff run (pid 4242 on builder-7)"),
        "{stderr}"
    );
    assert_eq!(listing(&out), [".chaff.lock", "clean.jsonl"]);
    assert_eq!(
        std::fs::read(out.join("clean.jsonl")).unwrap(),
        b"older output\n"
    );
    drop(lock);
    let output = start_run(case.root(), "in", &out)
        .wait_with_output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "a lock nobody holds is no lock"
    );
    assert_one_set(&out);
}

#[test]
fn temporary_files_of_a_killed_run_are_removed_and_reported() {
    let case = Case::new();
    let out = case.path("out");
    std::fs::create_dir(&out).unwrap();
    for name in [
        ".clean.jsonl.Ab12Cd.tmp",
        ".report.json.Zz99yY.tmp",
        ".mine.tmp",
    ] {
        std::fs::write(out.join(name), b"half").unwrap();
    }
    let output = start_run(case.root(), "in", &out)
        .wait_with_output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        listing(&out),
        [".mine.tmp", "clean.jsonl", "model.json", "report.json"],
        "chaff's temporary files are gone, others' stay"
    );
    let report: Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(
        report["stale_removed"],
        serde_json::json!([".clean.jsonl.Ab12Cd.tmp", ".report.json.Zz99yY.tmp"])
    );
}

#[test]
fn a_tag_with_a_huge_number_of_attributes_costs_little() {
    let case = Case::new();
    let attributes: String = (0..300_000).map(|i| format!(" a{i}=x")).collect();
    let page = format!(
        "<html><body><article><p>The council met on Tuesday to vote on the new budget for the \
         coming year.</p><div{attributes}>The vote passed by a wide margin.</div></article>\
         </body></html>"
    );
    case.write("in/crowded.html", page.as_bytes());
    let (run, took, killed) = run_limited(case.root(), &["run", "in"], Duration::from_secs(20));
    assert!(!killed, "took more than {took:?}");
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let record = record_at(&run, "in/crowded.html");
    let notes = record["source"]["notes"].to_string();
    assert!(
        notes.contains("299872 attributes past the first 128 of a tag were left out"),
        "{notes}"
    );
    assert!(record["text"].as_str().unwrap().contains("wide margin"));
}

#[test]
fn a_page_with_millions_of_elements_is_cut_and_says_so() {
    let case = Case::new();
    let rows: String = (0..400_000)
        .map(|i| format!("<tr><td>{i}</td></tr>"))
        .collect();
    let page =
        format!("<html><body><p>Opening words of the page.</p><table>{rows}</table></body></html>");
    case.write("in/table.html", page.as_bytes());
    let (run, took, killed) = run_limited(case.root(), &["run", "in"], Duration::from_secs(60));
    assert!(!killed, "took more than {took:?}");
    let record = record_at(&run, "in/table.html");
    let notes = record["source"]["notes"].to_string();
    assert!(notes.contains("more than 200000 elements"), "{notes}");
    assert!(
        record["text"].as_str().unwrap().contains("399999"),
        "later text is kept"
    );
}

#[test]
fn inputs_whose_names_meet_get_distinct_paths() {
    let case = Case::new();
    case.write(
        "x/a/crawl/page.txt",
        std::fs::read(fixture(GOOD)).unwrap().as_slice(),
    );
    let other = String::from_utf8(std::fs::read(fixture(GOOD)).unwrap())
        .unwrap()
        .replace("ferry", "tram");
    case.write("x/b/crawl/page.txt", other.as_bytes());
    let a = case.path("x/a/crawl");
    let b = case.path("x/b/crawl");
    let run = case.run(&["run", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let paths: Vec<String> = run
        .records()
        .iter()
        .map(|r| r["source"]["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paths, ["a/crawl/page.txt", "b/crawl/page.txt"]);
    assert_eq!(
        run.report()["inputs"],
        serde_json::json!(["a/crawl", "b/crawl"])
    );
}

#[test]
fn a_file_named_like_a_record_keeps_a_name_of_its_own() {
    let case = Case::new();
    case.write(
        "in/a.jsonl",
        b"{\"url\":\"https://example.org/x\",\"text\":\"One story about the river bridge.\\nIt opens in May.\"}\n",
    );
    case.write(
        "in/a.jsonl#1",
        b"A different story about the harbour.\nIt closes in June.\n",
    );
    let run = case.run(&["run", "in"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let paths: Vec<String> = run
        .records()
        .iter()
        .map(|r| r["source"]["path"].as_str().unwrap().to_owned())
        .collect();
    assert!(paths.contains(&"in/a.jsonl#1".to_owned()), "{paths:?}");
    assert!(paths.contains(&"in/a.jsonl%231".to_owned()), "{paths:?}");
    let unique: std::collections::BTreeSet<&String> = paths.iter().collect();
    assert_eq!(unique.len(), paths.len(), "{paths:?}");
}

#[test]
fn a_file_reached_twice_is_read_once() {
    let case = Case::new();
    let run = case.run(&["run", "in", "in/good-article.txt", "./in"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let report = assert_balanced(&run);
    assert_eq!(report["seen"], 1, "{report:#}");
    let record = record_at(&run, "in/good-article.txt");
    assert_eq!(record["duplicates"], serde_json::json!([]));
}

#[test]
fn links_named_on_the_command_line_are_followed() {
    let case = Case::new();
    std::os::unix::fs::symlink(case.path("in"), case.path("latest")).unwrap();
    std::os::unix::fs::symlink(case.path("in").join(GOOD), case.path("one.txt")).unwrap();
    let run = case.run(&["run", "latest"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(assert_balanced(&run)["skipped"], 0);
    assert_good(&run, "latest/good-article.txt");
    let run = case.run(&["run", "one.txt"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_good(&run, "one.txt");
}

#[test]
fn running_out_of_file_handles_is_fatal_not_a_skip() {
    let case = Case::new();
    let good = std::fs::read_to_string(fixture(GOOD)).unwrap();
    for i in 0..300 {
        case.write(
            format!("in/many/{i:03}.txt"),
            format!("{good}\nNote {i}.\n").as_bytes(),
        );
    }
    // With a few handles more than chaff keeps open itself (stdio, the lock, two scratch
    // files), reading runs out for certain; with more, it depends on timing.
    let mut fatal = 0;
    for limit in 6..=24 {
        let out = case.path(format!("out-{limit}"));
        std::fs::create_dir(&out).unwrap();
        let output = Command::new("sh")
            .current_dir(case.root())
            .arg("-c")
            .arg(format!(
                "ulimit -n {limit}; exec \"$0\" run in -j 32 -q -o \"$1\""
            ))
            .arg(env!("CARGO_BIN_EXE_chaff"))
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => {
                let report: Value =
                    serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap())
                        .unwrap();
                assert_eq!(report["seen"], 301, "ulimit -n {limit}: {report:#}");
                assert_eq!(report["skipped"], 0, "ulimit -n {limit}: {report:#}");
            }
            Some(2) => {
                fatal += usize::from(stderr.contains("out of resources"));
                assert!(
                    stderr.contains("Too many open files") && stderr.lines().count() == 1,
                    "ulimit -n {limit}: {stderr}"
                );
                assert!(
                    listing(&out).is_empty(),
                    "ulimit -n {limit}: nothing written"
                );
            }
            other => panic!("ulimit -n {limit}: exit {other:?}: {stderr}"),
        }
    }
    assert!(fatal > 0, "some limit ran out of handles while reading");
}

#[test]
fn explain_escapes_terminal_controls_in_page_text() {
    let case = Case::new();
    let path = case.write(
        "in/evil.txt",
        b"Headline about the council vote\n\x1b]0;pwned\x07Text that sets the title.\n\x1b]8;;https://x.invalid\x1b\\link\x1b]8;;\x1b\\ and more\n\x1b[2J cleared\n",
    );
    let output = common::chaff()
        .args(["explain", "--color", "never"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        !stdout.contains(['\x1b', '\x07']),
        "no raw control character: {stdout:?}"
    );
    assert!(stdout.contains("\\u{1b}]0;pwned\\u{7}Text"), "{stdout}");
}

#[test]
fn learn_refuses_to_write_the_model_over_an_input() {
    let case = Case::new();
    let article = case.path("in").join(GOOD);
    let before = std::fs::read(&article).unwrap();
    let output = common::chaff()
        .current_dir(case.root())
        .args(["learn", "in", "-o"])
        .arg(format!("in/{GOOD}"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the model would be written over the input in/good-article.txt"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&article).unwrap(),
        before,
        "the input is untouched"
    );
}

/// A model file with these numbers (one site `s`, one line).
fn model_text(units: u64, site_units: u64, line: u64, site_line: u64) -> String {
    format!(
        r#"{{"format":"chaff-model","lines":{{"00000000000000ff":{line}}},"normalization":1,"sites":{{"s":{{"lines":{{"00000000000000ff":{site_line}}},"units":{site_units}}}}},"units":{units},"version":1}}"#
    )
}

#[test]
fn model_counts_never_wrap_and_loading_checks_them() {
    let case = Case::new();
    let near_max = case.write("near-max.json", model_text(u64::MAX, 5, 3, 3).as_bytes());
    let run = case.run(&["run", "in", "--model", near_max.to_str().unwrap()]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(
        run.stderr().contains("near-max.json") && run.stderr().contains("overflow"),
        "{}",
        run.stderr()
    );
    assert!(listing(&run.out()).is_empty());
    let too_many = case.write(
        "too-many.json",
        model_text(3, 3, 4_294_967_295, 3).as_bytes(),
    );
    let run = case.run(&["clean", "in", "--model", too_many.to_str().unwrap()]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(
        run.stderr().contains("too-many.json")
            && run
                .stderr()
                .contains("counted in 4294967295 units but the model has only 3"),
        "{}",
        run.stderr()
    );
}

#[test]
fn nul_bytes_are_removed_wherever_they_are() {
    let case = Case::new();
    let good = std::fs::read_to_string(fixture(GOOD)).unwrap();
    let early = good.replacen("ferry", "fer\0ry", 1);
    let mut late = good.clone();
    late.push_str(&" ".repeat(9000));
    late.push_str("\nA last\0 line after the first 8 KB of the file.\n");
    case.write("in/early.txt", early.as_bytes());
    case.write("in/late.txt", late.as_bytes());
    let run = case.run(&["run", "in"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    for (path, notes) in [
        ("in/early.txt", "1 NUL bytes removed"),
        ("in/late.txt", "1 NUL bytes removed"),
    ] {
        let record = record_at(&run, path);
        assert!(!record["text"].as_str().unwrap().contains('\0'), "{path}");
        assert!(
            record["source"]["notes"].to_string().contains(notes),
            "{path}: {record}"
        );
    }
    assert!(
        record_at(&run, "in/early.txt")["text"]
            .as_str()
            .unwrap()
            .contains("ferry")
    );
}

#[test]
fn line_and_paragraph_separators_are_escaped_in_jsonl() {
    let case = Case::new();
    case.write(
        "in/separators.txt",
        "Bridge opens after two years of work\nThe mayor\u{2028}cut the ribbon\u{2029}at noon on Saturday before a crowd.\n".as_bytes(),
    );
    let run = case.run(&["run", "in"]);
    let bytes = run.bytes("clean.jsonl");
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        !text.contains(['\u{2028}', '\u{2029}']),
        "raw separators in the output"
    );
    assert!(
        text.contains("The mayor\\u2028cut the ribbon\\u2029at noon"),
        "{text}"
    );
    let record = record_at(&run, "in/separators.txt");
    assert!(
        record["text"]
            .as_str()
            .unwrap()
            .contains("mayor\u{2028}cut")
    );
}

#[test]
fn an_output_folder_that_is_the_input_reads_the_input_but_not_the_outputs() {
    let case = Case::new();
    let here = |args: &[&str]| -> Value {
        let output = common::chaff()
            .current_dir(case.path("in"))
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        serde_json::from_slice(&std::fs::read(case.path("in/report.json")).unwrap()).unwrap()
    };
    let first = here(&["run", ".", "-o", "."]);
    assert_eq!(first["seen"], 1, "{first:#}");
    let second = here(&["run", ".", "-o", "."]);
    assert_eq!(second["seen"], 1, "{second:#}");
    let excluded = second["excluded"].to_string();
    for name in ["clean.jsonl", "model.json", "report.json"] {
        assert!(excluded.contains(name), "{excluded}");
    }
}

#[test]
fn an_old_output_folder_inside_the_input_is_never_read_as_articles() {
    let case = Case::new();
    let old = case.path("in/results-may");
    std::fs::create_dir(&old).unwrap();
    let first = case.run(&["run", "in"]);
    for name in ["clean.jsonl", "model.json", "report.json"] {
        std::fs::copy(first.out().join(name), old.join(name)).unwrap();
    }
    let run = case.run(&["run", "in"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let report = assert_balanced(&run);
    assert_eq!(report["seen"], 1, "only the article: {report:#}");
    assert_eq!(
        report["excluded"],
        serde_json::json!([
            "in/results-may/clean.jsonl",
            "in/results-may/model.json",
            "in/results-may/report.json"
        ])
    );
    assert!(
        run.stderr().contains("results-may"),
        "said on stderr: {}",
        run.stderr()
    );
}

#[test]
fn timings_show_the_model_load_and_the_scratch_files() {
    let case = Case::new();
    let first = case.run(&["run", "in"]);
    let model = case.write("prior.json", &first.bytes("model.json"));
    let run = case.run(&["run", "in", "--timings", "--model", model.to_str().unwrap()]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let stderr = run.stderr();
    assert!(stderr.contains("chaff: stage load model "), "{stderr}");
    let scratch = stderr
        .lines()
        .find(|l| l.starts_with("chaff: scratch files: peak "))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(scratch.contains(run.out().to_str().unwrap()), "{scratch}");
    assert!(!scratch.contains("peak 0 bytes"), "{scratch}");
}
