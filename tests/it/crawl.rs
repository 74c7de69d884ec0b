//! The fixture crawl (`fixtures/crawl/sites`): five invented sites, text and HTML, whose
//! expectations are written beside them in `fixtures/crawl/expected.json`.

use crate::common::{repo, run};
use serde_json::Value;
use std::collections::HashMap;

const SITES: &str = "fixtures/crawl/sites";

fn manifest() -> Value {
    let text = std::fs::read_to_string(repo().join("fixtures/crawl/expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each page's record (a copy folded into another record gets that record).
fn records_by_page(records: &[Value]) -> HashMap<String, Value> {
    let mut by_page = HashMap::new();
    for r in records {
        let own = r["source"]["path"].as_str().unwrap().to_owned();
        let mut names = vec![own];
        for d in r["duplicates"].as_array().unwrap() {
            if d["kind"] != "near" {
                names.push(d["path"].as_str().unwrap().to_owned());
            }
        }
        for name in names {
            let page = name.trim_start_matches(&format!("{SITES}/")).to_owned();
            by_page.insert(page, r.clone());
        }
    }
    by_page
}

#[test]
fn every_page_keeps_its_article_and_loses_its_furniture() {
    let run = run(&["run", SITES, "-j", "2"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let records = run.records();
    let by_page = records_by_page(&records);
    let expected = manifest();
    let mut problems = Vec::new();
    for (page, want) in expected["pages"].as_object().unwrap() {
        let Some(record) = by_page.get(page) else {
            problems.push(format!("{page}: no record"));
            continue;
        };
        let kept: Vec<String> = record["text"]
            .as_str()
            .unwrap()
            .lines()
            .map(collapse)
            .collect();
        let removed: HashMap<String, String> = record["lines"]["removed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    collapse(r["text"].as_str().unwrap()),
                    r["reason"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        for line in want["article"].as_array().unwrap() {
            let line = collapse(line.as_str().unwrap());
            if !kept.contains(&line) {
                problems.push(format!("{page}: article line lost: {line}"));
            }
        }
        for f in want["furniture"].as_array().unwrap() {
            let line = collapse(f["text"].as_str().unwrap());
            if kept.contains(&line) {
                problems.push(format!("{page}: furniture kept: {line}"));
                continue;
            }
            // HTML furniture may be part of a larger block; text furniture is a line of its own,
            // listed in the page's own record (a copy folded into another record has none).
            let own = record["source"]["path"]
                .as_str()
                .unwrap()
                .ends_with(page.as_str());
            if page.ends_with(".txt") && own {
                match (removed.get(&line), f["reason"].as_str()) {
                    (None, _) => problems.push(format!("{page}: furniture not listed: {line}")),
                    (Some(got), Some(want)) if got != want => {
                        problems.push(format!("{page}: {line}: reason {got}, expected {want}"))
                    }
                    _ => {}
                }
            }
        }
        if page.ends_with(".html") {
            assert_eq!(record["title"], want["title"], "{page}");
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn copies_are_folded_into_the_first_and_recorded() {
    let run = run(&["run", SITES]);
    let records = run.records();
    let expected = manifest();
    for dup in expected["duplicates"].as_array().unwrap() {
        let kind = dup["kind"].as_str().unwrap();
        if kind == "near" {
            continue; // near-duplicates are checked by the syndication tests
        }
        let of = format!("{SITES}/{}", dup["of"].as_str().unwrap());
        let path = format!("{SITES}/{}", dup["path"].as_str().unwrap());
        let first = records
            .iter()
            .find(|r| r["source"]["path"] == of.as_str())
            .unwrap_or_else(|| panic!("no record for {of}"));
        let listed = first["duplicates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["path"] == path.as_str() && d["kind"] == kind);
        assert!(
            listed,
            "{of} lists {path} as {kind}: {}",
            first["duplicates"]
        );
        assert!(
            !records.iter().any(|r| r["source"]["path"] == path.as_str()),
            "{path} has no record of its own"
        );
    }
}

#[test]
fn the_wire_story_is_article_text_on_every_site() {
    let run = run(&["run", SITES]);
    let by_page = records_by_page(&run.records());
    let expected = manifest();
    let wire = &expected["syndicated"];
    for copy in wire["copies"].as_array().unwrap() {
        let record = &by_page[copy.as_str().unwrap()];
        let text = record["text"].as_str().unwrap();
        for line in wire["lines"].as_array().unwrap() {
            let line = collapse(line.as_str().unwrap());
            assert!(
                text.lines().any(|l| collapse(l) == line),
                "{copy}: wire line lost: {line}"
            );
        }
    }
}
