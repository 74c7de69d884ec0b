//! Metadata through the binary: pages in `fixtures/meta`, each naming its author or date in one
//! of the ways pages do (JSON-LD references, author elements, byline labels, meta tags). What
//! each page must give is in `fixtures/meta/expected.json`; only the fields listed there are
//! checked.

use crate::common::{repo, run};
use serde_json::Value;

const PAGES: &str = "fixtures/meta";

#[test]
fn each_page_gives_its_metadata() {
    let text = std::fs::read_to_string(repo().join(PAGES).join("expected.json")).unwrap();
    let expected: Value = serde_json::from_str(&text).unwrap();
    let expected = expected.as_object().unwrap();
    let pages: Vec<String> = expected.keys().map(|p| format!("{PAGES}/{p}")).collect();
    let mut args = vec!["run"];
    args.extend(pages.iter().map(String::as_str));
    let run = run(&args);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let records = run.records();
    let mut problems = Vec::new();
    for (page, want) in expected {
        let path = format!("{PAGES}/{page}");
        let Some(record) = records
            .iter()
            .find(|r| r["source"]["path"] == path.as_str())
        else {
            problems.push(format!("{page}: no record"));
            continue;
        };
        for (field, value) in want.as_object().unwrap() {
            if record[field] != *value {
                problems.push(format!(
                    "{page}: {field} is {}, want {value}",
                    record[field]
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
