//! `chaff run seeds`: the five sample articles come out right line for line.

use crate::common::{golden, removed, run, without_elapsed};

fn expect(record: &serde_json::Value, lines: &[(u64, &str)]) {
    let got = removed(record);
    let want: Vec<(u64, String)> = lines.iter().map(|(l, r)| (*l, r.to_string())).collect();
    assert_eq!(got, want, "{}", record["source"]["path"]);
}

#[test]
fn seeds_are_cleaned_line_for_line() {
    let run = run(&["run", "seeds", "-j", "2"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());

    let r = run.record("000_fe3605abe8897380.txt");
    expect(
        &r,
        &[
            (3, "photo-credit"),
            (4, "photo-credit"),
            (47, "comment-prompt"),
        ],
    );

    let r = run.record("001_935c8eb370d08176.txt");
    expect(&r, &[]);
    assert_eq!(r["lines"]["kept"], 17);

    let r = run.record("002_ffc61c161243d79f.txt");
    expect(&r, &[(47, "navigation")]);
    let text = r["text"].as_str().unwrap();
    for subhead in [
        "\nSleepers\n",
        "\nPropaganda\n",
        "\nSo how will France react?\n",
    ] {
        assert!(text.contains(subhead), "{subhead:?} kept");
    }
    assert!(text.starts_with("Paris attacks: Did ISIS strike at the heart of Europe?\n"));

    let r = run.record("003_82cea32b46bfe9f4.txt");
    expect(
        &r,
        &[
            (19, "bare-url"),
            (20, "comment-prompt"),
            (21, "comment-prompt"),
            (22, "comment-prompt"),
            (23, "navigation"),
        ],
    );

    let r = run.record("004_e568952c49340a18.txt");
    let got = removed(&r);
    let lines: Vec<u64> = got.iter().map(|(l, _)| *l).collect();
    let mut want = vec![1, 7, 8, 9, 10, 11, 12, 13, 25, 41, 45, 46, 48];
    want.extend([51, 53, 55, 57, 59, 61, 63, 65, 67, 69, 72]);
    assert_eq!(lines, want);
    let reason = |n: u64| got.iter().find(|(l, _)| *l == n).unwrap().1.clone();
    assert_eq!(reason(1), "section-label");
    assert_eq!(reason(9), "share-bar");
    assert_eq!(reason(11), "photo-credit");
    assert_eq!(reason(25), "photo-credit");
    for byline in [7, 8, 12, 13] {
        assert_eq!(reason(byline), "repeated-line");
    }
    for related in [51, 55, 67, 72] {
        assert_eq!(reason(related), "related-list");
    }
    let text = r["text"].as_str().unwrap();
    assert!(text.starts_with(
        "Trump Demonstrates the Pitfalls of Intel Sharing to Prevent Future ISIS Attacks\n\
         While in Brussels, the American president will realize"
    ));
    assert_eq!(
        r["title"],
        "Trump Demonstrates the Pitfalls of Intel Sharing to Prevent Future ISIS Attacks"
    );
    assert!(text.ends_with("would be the place to start."));

    let report = run.report();
    assert_eq!(report["seen"], 5);
    assert_eq!(report["written"], 5);
    assert_eq!(report["removed"]["related-list"], 11);
}

#[test]
fn seeds_output_matches_the_golden_files() {
    let run = run(&["run", "seeds"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    golden("seeds/clean.jsonl", &run.bytes("clean.jsonl"));
    golden(
        "seeds/report.json",
        &without_elapsed(&run.bytes("report.json")),
    );
}
