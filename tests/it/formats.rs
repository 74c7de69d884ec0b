//! Input formats (gzip, WARC, JSONL), streaming to stdout, and `chaff explain`, through the binary.

use crate::common::{chaff, jsonl, run};

#[test]
fn warc_gzip_and_jsonl_are_read_record_by_record() {
    let run = run(&["run", "fixtures/containers"]);
    assert_eq!(run.code(), 1, "some records are skipped: {}", run.stderr());
    let records = run.records();
    let names: Vec<&str> = records
        .iter()
        .map(|r| r["source"]["path"].as_str().unwrap())
        .collect();
    for name in [
        "fixtures/containers/article.html.gz",
        "fixtures/containers/notes.txt.gz",
        "fixtures/containers/crawl.warc.gz#3",
        "fixtures/containers/crawl.warc.gz#4",
        "fixtures/containers/crawl.warc.gz#5",
        "fixtures/containers/plain.warc#1",
        "fixtures/containers/plain.warc#2",
        "fixtures/containers/scrape.jsonl#1",
        "fixtures/containers/scrape.jsonl#3",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    // The WARC record's URL gives the site; its offset and id are provenance.
    let r = run.record("crawl.warc.gz#3");
    assert_eq!(r["site"], "millbrook-tribune.example");
    assert_eq!(r["source"]["container"]["kind"], "warc");
    assert_eq!(r["source"]["container"]["offset"], 629);
    assert_eq!(r["source"]["container"]["length"], 1076);
    assert!(
        r["source"]["container"]["record_id"]
            .as_str()
            .unwrap()
            .starts_with("<urn:uuid:")
    );
    assert_eq!(r["source"]["format"], "html");
    // The HTTP header's charset decodes the payload.
    let r = run.record("plain.warc#2");
    assert_eq!(r["source"]["encoding"], "windows-1252");
    assert_eq!(r["source"]["encoding_from"], "header");
    assert!(r["text"].as_str().unwrap().contains("Café"));
    let r = run.record("scrape.jsonl#3");
    assert_eq!(r["source"]["format"], "text");
    assert_eq!(r["source"]["container"]["offset"], 3);
    // What is not a document is reported, with a reason, and the run goes on.
    let report = run.report();
    let skipped: Vec<(String, String)> = report["skipped_inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_owned(),
                s["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(skipped.contains(&(
        "fixtures/containers/crawl.warc.gz#6".into(),
        "no-payload".into()
    )));
    assert!(skipped.contains(&(
        "fixtures/containers/crawl.warc.gz#7".into(),
        "damaged".into()
    )));
    assert!(skipped.contains(&(
        "fixtures/containers/scrape.jsonl#4".into(),
        "damaged".into()
    )));
    assert!(run.stderr().contains("crawl.warc.gz#7"), "{}", run.stderr());
    assert!(run.stderr().contains("truncated"), "{}", run.stderr());
}

#[test]
fn jsonl_field_names_are_options() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("scrape.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"link":"https://news.example.org/a","body":"<p>The harbour reopened on Monday after a week of repairs to the main pier.</p>"}"#,
            "\n",
            r#"{"url":"https://news.example.org/b","html":"<p>default names are not read now</p>"}"#,
            "\n"
        ),
    )
    .unwrap();
    let run = run(&[
        "run",
        input.to_str().unwrap(),
        "--jsonl-url",
        "link",
        "--jsonl-html",
        "body",
    ]);
    let records = run.records();
    assert_eq!(records.len(), 1, "{}", run.stderr());
    assert_eq!(records[0]["url"], "https://news.example.org/a");
    assert_eq!(records[0]["site"], "news.example.org");
    assert_eq!(run.report()["skipped_by_kind"]["damaged"], 1);
}

#[test]
fn records_stream_to_stdout_with_the_summary_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let to_folder = run(&["run", "seeds"]);
    let output = chaff()
        .args(["run", "seeds", "-o", "-"])
        .current_dir(crate::common::repo())
        .env("TMPDIR", dir.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(output.stdout, to_folder.bytes("clean.jsonl"));
    assert_eq!(jsonl(&output.stdout).len(), 5);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("5 written"), "{stderr}");
    // Nothing is left behind in the scratch folder.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn explain_marks_every_line() {
    let output = chaff()
        .args(["explain", "seeds/004_e568952c49340a18.txt"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "no colour when piped");
    let line = |n: u32| {
        text.lines()
            .find(|l| l[1..].trim_start().starts_with(&format!("{n} ")))
            .unwrap_or_else(|| panic!("line {n} in {text}"))
            .to_owned()
    };
    assert!(line(1).starts_with('-') && line(1).contains("section-label"));
    assert!(line(3).starts_with('+') && line(3).contains("title"));
    assert!(line(9).starts_with('-') && line(9).contains("share-bar"));
    assert!(line(15).starts_with('+'));
    assert!(line(51).contains("related-list"));
    let colour = chaff()
        .args([
            "explain",
            "seeds/004_e568952c49340a18.txt",
            "--color",
            "always",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&colour.stdout).contains("\u{1b}[31m"));
    let missing = chaff()
        .args(["explain", "no/such/file.txt"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such/file.txt"));
}

#[test]
fn help_shows_examples_for_each_command() {
    for command in ["run", "learn", "clean", "explain"] {
        let output = chaff().args([command, "--help"]).output().unwrap();
        let help = String::from_utf8(output.stdout).unwrap();
        assert!(
            help.contains("Example"),
            "{command} --help has examples:\n{help}"
        );
    }
}
