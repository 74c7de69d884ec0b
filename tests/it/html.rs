//! Single HTML pages (`fixtures/html`), each with one kind of difficulty: legacy encodings
//! (declared in `<meta charset>`, in `http-equiv`, or not at all), metadata in `og:`/JSON-LD,
//! figure captions with photo credits, a comment section, a related list, cookie and paywall
//! banners, a page whose class names say nothing, a page-builder article whose every block is
//! named like furniture, a page streamed by React's server renderer into a hidden `<div>`, an
//! article the content finder misses for a note above it, a multi-section article, soft hyphens
//! and zero-width spaces, a page whose markup starts past 8 KiB of scripts, markup that swallows
//! the page (an unclosed `<title>`, an attribute missing its closing quote), and an article only
//! in `<noscript>` or only in JSON-LD `articleBody`. Every page is on its own site, so nothing
//! is learned across pages: only the DOM and the line rules are at work. What each page must
//! give is written in `fixtures/html/expected.json`.

use crate::common::{repo, run};
use serde_json::Value;

const PAGES: &str = "fixtures/html";

fn expected() -> Value {
    let text = std::fs::read_to_string(repo().join(PAGES).join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The records of one run of chaff on the pages (not on the folder, which holds this expectation
/// and a README too), made by the first test that asks.
fn records() -> &'static [Value] {
    static RECORDS: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    RECORDS.get_or_init(run_pages)
}

fn run_pages() -> Vec<Value> {
    let mut pages: Vec<String> = std::fs::read_dir(repo().join(PAGES))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".html"))
        .map(|name| format!("{PAGES}/{name}"))
        .collect();
    pages.sort();
    let mut args = vec!["run"];
    args.extend(pages.iter().map(String::as_str));
    let run = run(&args);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    run.records()
}

fn record(page: &str) -> &'static Value {
    let path = format!("{PAGES}/{page}");
    records()
        .iter()
        .find(|r| r["source"]["path"] == path.as_str())
        .unwrap_or_else(|| panic!("no record for {path}"))
}

/// Runs `check` on every expected page with its expectation and its record; `check` pushes what
/// is wrong, and every problem of every page is reported at once.
fn check_pages(check: impl Fn(&str, &Value, &Value, &mut Vec<String>)) {
    let mut problems = Vec::new();
    for (page, want) in expected()["pages"].as_object().unwrap() {
        check(page, want, record(page), &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_page_has_a_record_and_every_record_a_page() {
    let expected = expected();
    let pages = expected["pages"].as_object().unwrap();
    assert_eq!(records().len(), pages.len());
    for page in pages.keys() {
        record(page);
    }
}

#[test]
fn each_page_keeps_exactly_its_article() {
    check_pages(|page, want, record, problems| {
        let before = problems.len();
        let article: Vec<&str> = want["article"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let text = record["text"].as_str().unwrap();
        let kept: Vec<&str> = text.lines().collect();
        for line in &article {
            if !kept.contains(line) {
                problems.push(format!("{page}: article line lost: {line}"));
            }
        }
        for line in &kept {
            if !article.contains(line) {
                problems.push(format!("{page}: kept a line that is not article: {line}"));
            }
        }
        // With the same lines on both sides, only the order can differ.
        if problems.len() == before && text != article.join("\n") {
            problems.push(format!("{page}: article out of order"));
        }
    });
}

#[test]
fn furniture_is_removed_with_its_reason() {
    check_pages(|page, want, record, problems| {
        let removed = record["lines"]["removed"].as_array().unwrap();
        for item in want["furniture"].as_array().unwrap() {
            let text = item["text"].as_str().unwrap();
            let Some(found) = removed.iter().find(|r| r["text"] == text) else {
                problems.push(format!("{page}: not removed: {text}"));
                continue;
            };
            let reason = found["reason"].as_str().unwrap();
            if let Some(allowed) = item["reason_one_of"].as_array()
                && !allowed.iter().any(|a| a == reason)
            {
                problems.push(format!(
                    "{page}: {text:?} removed as {reason}, want one of {allowed:?}"
                ));
            }
        }
    });
}

#[test]
fn encoding_and_metadata_are_recorded() {
    check_pages(|page, want, record, problems| {
        let source = &record["source"];
        for (field, got) in [
            ("encoding", &source["encoding"]),
            ("encoding_from", &source["encoding_from"]),
            ("site", &record["site"]),
            ("url", &record["url"]),
            ("title", &record["title"]),
            ("author", &record["author"]),
            ("published", &record["published"]),
            ("language", &record["language"]),
        ] {
            if *got != want[field] {
                problems.push(format!("{page}: {field} is {got}, want {}", want[field]));
            }
        }
        if source["lossy"] != false {
            problems.push(format!("{page}: decoded lossily"));
        }
    });
}

#[test]
fn every_page_is_read_as_html_whatever_precedes_its_markup() {
    for record in records() {
        assert_eq!(
            record["source"]["format"], "html",
            "{}",
            record["source"]["path"]
        );
        let text = record["text"].as_str().unwrap();
        assert!(
            !text.contains(['\u{ad}', '\u{200b}']),
            "{}: invisible characters left in {text:?}",
            record["source"]["path"]
        );
    }
}

#[test]
fn a_page_read_a_second_way_says_so_in_its_notes() {
    for (page, note) in [
        ("unclosed-title.html", "an unclosed <title> was closed"),
        (
            "damaged-attribute.html",
            "an attribute value missing its closing quote was closed",
        ),
        ("noscript.html", "the text inside <noscript> was read"),
        (
            "json-ld-body.html",
            "the article was read from the page's JSON-LD articleBody",
        ),
    ] {
        let notes = &record(page)["source"]["notes"];
        assert!(
            notes
                .as_array()
                .is_some_and(|n| n.iter().any(|x| x == note)),
            "{page}: notes {notes}"
        );
    }
    assert!(record("sections.html")["source"]["notes"].is_null());
}
