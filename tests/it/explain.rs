//! `chaff explain` runs `chaff run`'s own per-document code: on every document of a crawl (pages
//! in site folders, a WARC record, a JSONL line read with `--jsonl-*` field names), with the
//! run's model and thresholds, it removes exactly the lines `run` removed, for the same reasons.

use crate::common;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The options both commands get: JSONL field names that are not the defaults, and thresholds
/// that are not the defaults either, so that an `explain` that ignored them would disagree.
const OPTIONS: [&str; 8] = [
    "--jsonl-html",
    "body",
    "--jsonl-url",
    "link",
    "--min-units",
    "2",
    "--site-share",
    "0.05",
];

/// What one document's lines became: line number → `-reason` (removed) or `?rule` (kept in
/// doubt); kept lines are counted.
#[derive(Debug, Default, PartialEq, Eq)]
struct Verdicts {
    marked: BTreeMap<u64, String>,
    kept: u64,
}

/// The verdicts a record of `clean.jsonl` carries.
fn from_record(record: &Value) -> Verdicts {
    let lines = &record["lines"];
    let mut marked = BTreeMap::new();
    for removed in lines["removed"].as_array().unwrap() {
        let reason = removed["reason"].as_str().unwrap();
        marked.insert(removed["line"].as_u64().unwrap(), format!("-{reason}"));
    }
    for doubt in lines["uncertain"].as_array().unwrap() {
        let rule = doubt["rule"].as_str().unwrap();
        marked.insert(doubt["line"].as_u64().unwrap(), format!("?{rule}"));
    }
    Verdicts {
        marked,
        kept: lines["kept"].as_u64().unwrap(),
    }
}

/// The verdicts `chaff explain` prints: `+ N …`, `- N reason …`, `? N rule? …`.
fn from_explain(text: &str) -> Verdicts {
    let mut verdicts = Verdicts::default();
    // Verdict lines start with their mark; the notes under `?` lines are indented.
    for line in text.lines().filter(|l| l.starts_with(['+', '-', '?'])) {
        let mut words = line.split_whitespace();
        let (Some(mark), Some(number)) = (words.next(), words.next()) else {
            continue;
        };
        let number: u64 = number.parse().unwrap();
        match mark {
            "+" => verdicts.kept += 1,
            "-" => {
                let reason = words.next().unwrap();
                verdicts.marked.insert(number, format!("-{reason}"));
            }
            "?" => {
                verdicts.kept += 1;
                let rule = words.next().unwrap().trim_end_matches('?');
                verdicts.marked.insert(number, format!("?{rule}"));
            }
            other => panic!("unknown mark {other:?} in {line:?}"),
        }
    }
    verdicts
}

/// The fixture crawl, with the fixture WARC file and a JSONL file whose fields are named `body`
/// and `link`, in one input folder.
fn crawl(root: &Path) -> std::path::PathBuf {
    let input = root.join("in");
    let sites = common::repo().join("fixtures/crawl/sites");
    for entry in walkdir(&sites) {
        let below = entry.strip_prefix(&sites).unwrap();
        let to = input.join(below);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &to).unwrap();
    }
    let containers = input.join("containers");
    std::fs::create_dir_all(&containers).unwrap();
    std::fs::copy(
        common::repo().join("fixtures/containers/crawl.warc.gz"),
        containers.join("crawl.warc.gz"),
    )
    .unwrap();
    // The same lines with the fields renamed (as text: a line may be damaged on purpose).
    let scrape = std::fs::read(common::repo().join("fixtures/containers/scrape.jsonl")).unwrap();
    let renamed = String::from_utf8_lossy(&scrape)
        .replace("\"html\":", "\"body\":")
        .replace("\"url\":", "\"link\":");
    std::fs::write(containers.join("scrape.jsonl"), renamed).unwrap();
    input
}

/// Every file below `dir`, sorted.
fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walkdir(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn explain_removes_what_run_removed_on_every_document_of_a_crawl() {
    let root = tempfile::tempdir().unwrap();
    let input = crawl(root.path());
    let out = root.path().join("out");
    let run = common::chaff()
        .arg("run")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .args(OPTIONS)
        .output()
        .unwrap();
    assert!(
        run.status.code() == Some(0) || run.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let records = common::jsonl(&std::fs::read(out.join("clean.jsonl")).unwrap());
    let mut kinds = BTreeMap::new();
    for record in &records {
        let path = record["source"]["path"].as_str().unwrap();
        *kinds
            .entry(match path.rsplit_once('#') {
                Some((file, _)) if file.ends_with(".warc.gz") => "warc",
                Some((file, _)) if file.ends_with(".jsonl") => "jsonl",
                _ => "file",
            })
            .or_insert(0) += 1;
        // `source.path` starts with the input's name, `in`.
        let explain = common::chaff()
            .arg("explain")
            .arg(root.path().join(path))
            .arg("--input")
            .arg(&input)
            .arg("--model")
            .arg(out.join("model.json"))
            .args(["--color", "never"])
            .args(OPTIONS)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&explain.stdout);
        assert_eq!(
            explain.status.code(),
            Some(0),
            "{path}: {}",
            String::from_utf8_lossy(&explain.stderr)
        );
        assert_eq!(
            from_explain(&text),
            from_record(record),
            "{path}: explain disagrees with run\n{text}"
        );
        let site = record["site"].as_str().unwrap();
        assert!(
            text.lines()
                .next()
                .unwrap()
                .ends_with(&format!("site {site}")),
            "{path}: the site is {site}\n{text}"
        );
    }
    // Pages in site folders, WARC records and JSONL lines were all compared, and some lines
    // were removed by what the crawl taught (so the model and thresholds were used).
    assert!(kinds["file"] >= 30, "{kinds:?}");
    assert!(kinds["warc"] >= 2, "{kinds:?}");
    assert!(kinds["jsonl"] >= 2, "{kinds:?}");
    let learned = records
        .iter()
        .flat_map(|r| r["lines"]["removed"].as_array().unwrap())
        .filter(|r| r["reason"] == "site-template")
        .count();
    assert!(learned > 0, "the model removed lines");
}

#[test]
fn explain_takes_the_site_from_the_first_folder_as_run_does() {
    let root = tempfile::tempdir().unwrap();
    let page = root.path().join("crawl/site-a/2024/page.txt");
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    std::fs::write(
        &page,
        "A council vote on the new bridge\n\nThe council voted on Tuesday to build the bridge, \
         after a long debate about its cost.\n",
    )
    .unwrap();
    let run = common::run_in(root.path(), &["run", "crawl"]);
    assert_eq!(run.records()[0]["site"], "site-a");
    let explain = common::chaff()
        .current_dir(root.path())
        .args(["explain", "crawl/site-a/2024/page.txt", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&explain.stdout);
    assert!(
        text.lines().next().unwrap().ends_with("site site-a"),
        "{text}"
    );
}

#[test]
fn explain_names_a_missing_record_and_a_record_that_is_not_a_document() {
    let explain = |spec: &str| {
        common::chaff()
            .args(["explain", spec, "--color", "never"])
            .output()
            .unwrap()
    };
    let missing = explain("fixtures/containers/crawl.warc.gz#99");
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("holds no document"), "{stderr}");
    assert!(stderr.contains("crawl.warc.gz#99"), "{stderr}");

    let image = explain("fixtures/containers/crawl.warc.gz#6");
    assert_eq!(image.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&image.stderr);
    assert!(stderr.contains("no-payload"), "{stderr}");

    let record = explain("fixtures/containers/crawl.warc.gz#3");
    assert_eq!(record.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&record.stdout);
    assert!(
        stdout.contains("Council approves new footbridge over the Alder River"),
        "{stdout}"
    );
}
