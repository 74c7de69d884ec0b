//! Output is byte-identical across runs and thread counts, and every input is accounted for.

use crate::common::{run, without_elapsed};

#[test]
fn one_thread_two_threads_and_a_rerun_give_the_same_bytes() {
    for input in ["seeds", "fixtures"] {
        let a = run(&["run", input, "-j", "1"]);
        let b = run(&["run", input, "-j", "2"]);
        let c = run(&["run", input, "-j", "2"]);
        for name in ["clean.jsonl", "model.json", "report.json"] {
            // The report's elapsed time is the one field allowed to differ.
            let bytes = |run: &crate::common::Run| match name {
                "report.json" => without_elapsed(&run.bytes(name)),
                _ => run.bytes(name),
            };
            assert!(!bytes(&a).is_empty());
            assert_eq!(bytes(&a), bytes(&b), "{input}/{name}: -j 1 vs -j 2");
            assert_eq!(bytes(&a), bytes(&c), "{input}/{name}: rerun");
        }
    }
}

#[test]
fn every_input_is_accounted_for() {
    let run = run(&["run", "fixtures"]);
    let report = run.report();
    let n = |v: &serde_json::Value| v.as_u64().unwrap();
    let seen = n(&report["seen"]);
    let written = n(&report["written"]);
    let exact = n(&report["duplicates"]["exact"]);
    let same = n(&report["duplicates"]["same-text"]);
    let skipped = n(&report["skipped"]);
    assert!(seen > 0);
    assert_eq!(seen, written + exact + same + skipped, "{report:#}");
    assert_eq!(run.records().len() as u64, written);
    // Every file under the input is named somewhere: as a record, a duplicate or a skip.
    let mut named = std::collections::BTreeSet::new();
    for r in run.records() {
        named.insert(r["source"]["path"].as_str().unwrap().to_owned());
        for d in r["duplicates"].as_array().unwrap() {
            if d["kind"] != "near" {
                named.insert(d["path"].as_str().unwrap().to_owned());
            }
        }
    }
    for s in report["skipped_inputs"].as_array().unwrap() {
        named.insert(s["path"].as_str().unwrap().to_owned());
    }
    // chaff's own outputs among the fixtures (the golden files) are listed as excluded.
    for e in report["excluded"].as_array().into_iter().flatten() {
        named.insert(e.as_str().unwrap().to_owned());
    }
    // Every file on disk is named: itself, or (a container) as `file#n` parts.
    let on_disk: Vec<String> = walkdir::WalkDir::new(crate::common::repo().join("fixtures"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let below = e.path().strip_prefix(crate::common::repo()).unwrap();
            below.to_string_lossy().into_owned()
        })
        .collect();
    for file in &on_disk {
        let part = format!("{file}#");
        assert!(
            named.contains(file) || named.iter().any(|n| n.starts_with(&part)),
            "{file} is accounted for"
        );
    }
    assert!(seen as usize >= on_disk.len());
}
