//! The command line as scripts use it: exit codes, input lists and patterns, the files that are
//! not documents, the everyday papercuts, and the shell integration.

use crate::common::{Run, chaff, jsonl, repo, run, run_in, skipped};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

const ARTICLE: &str = "The harbour board voted on Tuesday to rebuild the north pier, which storms \
                       damaged twice last winter, at a cost the board put at four million.\n";

/// A small mirror as wget leaves it: two articles, and the files around them.
fn mirror(root: &Path) {
    write(&root.join("site/news/story.html"), format!(
        "<!doctype html><html><head><title>Pier</title></head><body><p>{ARTICLE}</p></body></html>"
    ).as_bytes());
    write(
        &root.join("site/news/other.txt"),
        ARTICLE.replace("north", "south").as_bytes(),
    );
    write(&root.join("site/style.css"), b"body { color: black; }\n");
    write(&root.join("site/app.js"), b"console.log('hello');\n");
    write(
        &root.join("site/robots.txt"),
        b"User-agent: *\nDisallow: /private\n",
    );
    write(
        &root.join("site/sitemap.xml"),
        b"<?xml version=\"1.0\"?><urlset></urlset>\n",
    );
    write(
        &root.join("site/logo.png"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    );
    write(
        &root.join("site/feed.rss"),
        b"<rss><channel><title>x</title></channel></rss>\n",
    );
}

fn skipped_kinds(report: &Value) -> Vec<(String, String)> {
    skipped(report)
        .into_iter()
        .map(|(path, kind, _)| (path, kind))
        .collect()
}

#[test]
fn files_that_are_not_documents_are_counted_and_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    mirror(dir.path());
    let run = run_in(dir.path(), &["run", "site"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let report = run.report();
    assert_eq!(report["written"], 2);
    assert_eq!(report["skipped_by_kind"]["not-a-document"], 6, "{report:#}");
    let kinds = skipped_kinds(&report);
    for name in [
        "style.css",
        "app.js",
        "robots.txt",
        "sitemap.xml",
        "logo.png",
        "feed.rss",
    ] {
        assert!(
            kinds.contains(&(format!("site/{name}"), "not-a-document".into())),
            "{name}: {kinds:?}"
        );
    }
    // One summary line, not one line per file.
    let stderr = run.stderr();
    assert!(
        stderr.contains("chaff: skipped 6: not-a-document 6"),
        "{stderr}"
    );
    assert!(!stderr.contains("style.css"), "{stderr}");
    // -v names each; --all-files reads them (the PNG is then binary, the rest text).
    let verbose = run_in(dir.path(), &["run", "site", "-v"]);
    assert!(
        verbose
            .stderr()
            .contains("chaff: site/style.css: not a document: a stylesheet")
    );
    let all = run_in(dir.path(), &["run", "site", "--all-files"]);
    assert_eq!(all.code(), 0, "{}", all.stderr());
    assert_eq!(all.report()["skipped_by_kind"]["binary"], 1);
    assert_eq!(all.report()["written"], 7);
}

#[test]
fn exit_1_only_for_inputs_that_should_have_been_documents_and_strict_makes_every_skip_1() {
    let dir = tempfile::tempdir().unwrap();
    mirror(dir.path());
    write(&dir.path().join("site/empty.html"), b"");
    let clean = run_in(dir.path(), &["run", "site"]);
    assert_eq!(clean.code(), 0, "{}", clean.stderr());
    let strict = run_in(dir.path(), &["run", "site", "--strict"]);
    assert_eq!(strict.code(), 1, "{}", strict.stderr());
    // A WARC with an image (not a document: 0) and a damaged record (a failure: 1).
    let warc = run(&["run", "fixtures/containers/crawl.warc.gz"]);
    let kinds = warc.report()["skipped_by_kind"].clone();
    assert_eq!(kinds["no-payload"], 1, "{kinds}");
    assert_eq!(kinds["damaged"], 1, "{kinds}");
    assert_eq!(warc.code(), 1, "{}", warc.stderr());
    assert!(
        warc.stderr().contains("truncated"),
        "the failure is named: {}",
        warc.stderr()
    );
    assert!(
        !warc.stderr().contains("image/png"),
        "the image is only counted"
    );
    // Too large is a failure too.
    let big = run_in(dir.path(), &["run", "site", "--max-bytes", "10"]);
    assert_eq!(big.code(), 1, "{}", big.stderr());
}

#[test]
fn inputs_come_from_a_list_file_or_stdin() {
    let dir = tempfile::tempdir().unwrap();
    mirror(dir.path());
    let list = dir.path().join("list.txt");
    std::fs::write(&list, "site/news/story.html\n\nsite/news/other.txt\r\n").unwrap();
    let from_file = run_in(dir.path(), &["run", "--inputs-from", "list.txt"]);
    assert_eq!(from_file.code(), 0, "{}", from_file.stderr());
    let paths: Vec<String> = from_file
        .records()
        .iter()
        .map(|r| r["source"]["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paths, ["site/news/other.txt", "site/news/story.html"]);

    let out = dir.path().join("out2");
    let mut child = chaff()
        .current_dir(dir.path())
        .args(["run", "-", "-q", "-o"])
        .arg(&out)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"site/news/story.html\nsite/news/other.txt\n")
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    assert_eq!(
        std::fs::read(out.join("clean.jsonl")).unwrap(),
        from_file.bytes("clean.jsonl"),
        "stdin and a list file give the same records"
    );

    let missing = chaff()
        .current_dir(dir.path())
        .args(["run", "--inputs-from", "no-such-list.txt"])
        .output()
        .unwrap();
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).contains("no-such-list.txt"),
        "{}",
        stderr(&missing)
    );
    std::fs::write(&list, "\n").unwrap();
    let empty = chaff()
        .current_dir(dir.path())
        .args(["run", "--inputs-from", "list.txt"])
        .output()
        .unwrap();
    assert_eq!(code(&empty), 2);
    assert!(stderr(&empty).contains("no input"), "{}", stderr(&empty));
}

#[test]
fn glob_and_exclude_choose_the_files() {
    let dir = tempfile::tempdir().unwrap();
    mirror(dir.path());
    write(
        &dir.path().join("site/tags/list.html"),
        ARTICLE.replace("pier", "jetty").as_bytes(),
    );
    let paths = |run: &Run| -> Vec<String> {
        run.records()
            .iter()
            .map(|r| r["source"]["path"].as_str().unwrap().to_owned())
            .collect()
    };
    let html = run_in(dir.path(), &["run", "site", "--glob", "*.html"]);
    assert_eq!(html.code(), 0, "{}", html.stderr());
    assert_eq!(
        paths(&html),
        ["site/news/story.html", "site/tags/list.html"]
    );
    assert_eq!(
        html.report()["seen"],
        2,
        "files left out by a pattern are not inputs"
    );
    let excluded = run_in(dir.path(), &["run", "site", "--exclude", "tags"]);
    assert_eq!(
        paths(&excluded),
        ["site/news/other.txt", "site/news/story.html"]
    );
    let both = run_in(
        dir.path(),
        &["run", "site", "--glob", "*.html", "--exclude", "news/*"],
    );
    assert_eq!(paths(&both), ["site/tags/list.html"]);
    assert_eq!(both.report()["options"]["command"], "run");
    let bad = chaff()
        .current_dir(dir.path())
        .args(["run", "site", "--glob", "a[b"])
        .output()
        .unwrap();
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("a[b"), "{}", stderr(&bad));
}

#[test]
fn too_many_threads_are_refused_with_a_message() {
    let out = chaff()
        .args(["run", "seeds", "-j", "100000"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("at most 1024"), "{}", stderr(&out));
}

#[test]
fn a_missing_output_folder_is_created_when_its_parent_exists() {
    let dir = tempfile::tempdir().unwrap();
    let out = chaff()
        .current_dir(dir.path())
        .arg("run")
        .arg(repo().join("seeds"))
        .args(["-q", "-o", "new-out", "--text-dir", "texts"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let records = jsonl(&std::fs::read(dir.path().join("new-out/clean.jsonl")).unwrap());
    assert_eq!(records.len(), 5);
    // --text-dir names: <source.path>.txt, without a doubled .txt.
    for r in &records {
        let path = r["source"]["path"].as_str().unwrap();
        assert!(path.ends_with(".txt"));
        let text = std::fs::read_to_string(dir.path().join("texts").join(path)).unwrap();
        assert_eq!(text, r["text"].as_str().unwrap());
        assert!(
            !dir.path()
                .join("texts")
                .join(format!("{path}.txt"))
                .exists()
        );
    }
}

#[test]
fn text_dir_names_never_climb_out_or_double_extensions() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    write(
        &dir.path().join("in/a.html"),
        b"<p>A short page about the pier.</p>",
    );
    write(&dir.path().join("in/b.txt"), ARTICLE.as_bytes());
    let out = chaff()
        .current_dir(&work)
        .args(["run", "../in", "-q", "-o", "out", "--text-dir", "texts"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut found: Vec<String> = walkdir::WalkDir::new(work.join("texts"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let below = e.path().strip_prefix(work.join("texts")).unwrap();
            below.to_string_lossy().into_owned()
        })
        .collect();
    found.sort();
    assert_eq!(found, ["in/a.html.txt", "in/b.txt"]);
}

#[test]
fn learn_writes_the_model_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("model.json");
    let saved = chaff()
        .args(["learn", "seeds", "-q", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(code(&saved), 0, "{}", stderr(&saved));
    let out = chaff()
        .args(["learn", "seeds", "-q", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(out.stdout, std::fs::read(&file).unwrap());
    assert!(!repo().join("-").exists(), "no file named -");
}

#[test]
fn the_report_names_version_options_time_and_sites() {
    let run = run(&["run", "fixtures/crawl/sites", "--min-units", "4"]);
    let report = run.report();
    assert_eq!(report["version"], env!("CARGO_PKG_VERSION"));
    let options = &report["options"];
    assert_eq!(options["command"], "run");
    assert_eq!(options["min-units"], 4);
    for name in [
        "site-share",
        "min-sites",
        "strong-share",
        "max-bytes",
        "format",
        "compress",
    ] {
        assert!(!options[name].is_null(), "{name} in {options:#}");
    }
    assert!(
        options.get("threads").is_none(),
        "threads do not change the output"
    );
    assert!(report["elapsed_seconds"].as_f64().unwrap() > 0.0);
    let sites = report["sites"].as_object().unwrap();
    assert!(sites.len() >= 2, "{sites:?}");
    let written: u64 = sites.values().map(|s| s["written"].as_u64().unwrap()).sum();
    assert_eq!(written, report["written"].as_u64().unwrap());
    let folded: u64 = sites
        .values()
        .map(|s| s["duplicates"].as_u64().unwrap())
        .sum();
    let dups = &report["duplicates"];
    assert_eq!(
        folded,
        dups["exact"].as_u64().unwrap() + dups["same-text"].as_u64().unwrap()
    );
    for record in run.records() {
        assert!(sites.contains_key(record["site"].as_str().unwrap()));
    }
}

#[test]
fn explain_shows_the_title_in_plain_words() {
    let out = chaff()
        .args(["explain", "fixtures/bad/latin1.txt", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let header: Vec<&str> = text.lines().take(2).collect();
    assert!(
        header[0].starts_with("# plain text, encoding "),
        "{header:?}"
    );
    assert!(header[1].starts_with("# title: "), "{header:?}");
    for rust in ["Text,", "Utf8", "Guessed", "Some(", "\"\""] {
        assert!(!header.join("\n").contains(rust), "{rust} in {header:?}");
    }
    let html = chaff()
        .args(["explain", "fixtures/bad/unclosed.html", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(html.stdout).unwrap();
    assert!(text.starts_with("# HTML page, encoding "), "{text}");
}

#[test]
fn completions_and_man_page_come_from_the_clap_definitions() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = chaff().args(["completions", shell]).output().unwrap();
        assert_eq!(code(&out), 0, "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for option in ["inputs-from", "shard-size", "strict"] {
            assert!(script.contains(option), "{shell}: {option}");
        }
    }
    let man = chaff().arg("man").output().unwrap();
    assert_eq!(code(&man), 0);
    let page = String::from_utf8(man.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH chaff 1"),
        "{page}"
    );
    assert!(page.contains(".TH chaff 1"));
    assert!(page.contains("completions"));
}
