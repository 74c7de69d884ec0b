//! The stages of the pipeline: what they decide, and that running them one by one gives the
//! same output as `chaff run`.

use crate::common::run_in;

/// Pages that clean to nothing are reported as empty output, each with its reason — never folded
/// together as same-text copies of each other — and their exact copies with them.
#[test]
fn empty_outputs_are_reported_not_folded_together() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("in/site");
    std::fs::create_dir_all(&site).unwrap();
    let article = "The council voted on Tuesday to keep the library open through the winter, \
                   after residents filled the hall to argue for it.\n";
    std::fs::write(site.join("a.txt"), article).unwrap();
    std::fs::write(site.join("b.txt"), "Advertisement\n0 Comments\n").unwrap();
    std::fs::write(
        site.join("c.txt"),
        "Subscribe to our newsletter\nAdvertisement\n",
    )
    .unwrap();
    std::fs::write(site.join("d.txt"), "Advertisement\n0 Comments\n").unwrap();
    // -v: skips that are not failures are named on stderr too.
    let run = run_in(dir.path(), &["run", "in", "-v"]);
    // A page that cleans to nothing is not a failure.
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let report = run.report();
    assert_eq!(report["written"], 1);
    assert_eq!(report["duplicates"]["same-text"], 0);
    assert_eq!(report["duplicates"]["exact"], 0);
    assert_eq!(report["skipped_by_kind"]["empty-output"], 3);
    let skipped = report["skipped_inputs"].as_array().unwrap();
    let paths: Vec<&str> = skipped
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    // In order, each followed by its exact copies.
    assert_eq!(paths, ["in/site/b.txt", "in/site/d.txt", "in/site/c.txt"]);
    let message = |i: usize| skipped[i]["message"].as_str().unwrap();
    assert!(
        message(0).contains("all 2 lines were removed"),
        "{}",
        message(0)
    );
    assert!(message(0).contains("advertisement 1"), "{}", message(0));
    assert!(
        message(1).contains("exact copy of in/site/b.txt"),
        "{}",
        message(1)
    );
    assert!(
        run.stderr().contains("in/site/c.txt: cleaned to nothing"),
        "{}",
        run.stderr()
    );
    let records = run.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["duplicates"].as_array().unwrap().len(), 0);
}
