//! Properties that must hold for any input: the cleaner only removes lines, output does not depend
//! on the number of threads, and every input is accounted for.

use chaff::{CleanOptions, Hints, Learning, LineModel, Mode, Output, RunOptions, Silent, Verdict};
use proptest::prelude::*;

/// Lines mixing prose, furniture-like phrases, blanks, URLs, markup and odd characters.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z][a-z]{2,9}( [a-z]{1,9}){8,30}[.!?]",
        "[A-Z][a-z]{2,9}( [A-Z][a-z]{1,9}){1,6}",
        Just(String::new()),
        Just("Share this article".to_owned()),
        Just("0 Comments".to_owned()),
        Just("AP Photo/Jane Doe".to_owned()),
        Just("By Jane Doe".to_owned()),
        Just("Exit mobile version".to_owned()),
        Just("https://example.com/story".to_owned()),
        "[ -~]{0,80}",
        "\\PC{0,40}",
    ]
}

fn document() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(line(), 0..40)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The kept lines are a subsequence of the document's lines: nothing invented, nothing
    /// reordered, nothing rewritten.
    #[test]
    fn text_cleaning_only_removes_lines(lines in document()) {
        let source = lines.join("\n");
        let Ok(doc) = chaff::extract(source.as_bytes(), &Hints { extension: Some("txt"), ..Hints::default() }) else {
            return Ok(());
        };
        let model = LineModel::default();
        let cleaned = chaff::clean(&doc, Learning { model: &model, site: None }, &CleanOptions::default());
        prop_assert_eq!(cleaned.verdicts.len(), doc.lines.len());
        let mut next = 0;
        for kept in cleaned.text(&doc).lines() {
            let at = doc.lines[next..].iter().position(|l| l.text == kept);
            prop_assert!(at.is_some(), "kept line {:?} is a later line of the document", kept);
            next += at.unwrap() + 1;
        }
        for (line, verdict) in doc.lines.iter().zip(&cleaned.verdicts) {
            prop_assert_eq!(line.is_blank(), *verdict == Verdict::Blank);
        }
    }

    /// The same holds for HTML built from the same lines.
    #[test]
    fn html_cleaning_only_removes_blocks(lines in document(), wrap in 0usize..3) {
        let body: String = lines
            .iter()
            .map(|l| {
                let escaped = l.replace('&', "&amp;").replace('<', "&lt;");
                match wrap {
                    0 => format!("<p>{escaped}</p>"),
                    1 => format!("<div class=x><span>{escaped}</span></div>"),
                    _ => format!("<li><a href=/a>{escaped}</a></li>"),
                }
            })
            .collect();
        let page = format!("<html><body><article>{body}</article><footer>f</footer></body></html>");
        let doc = chaff::extract(page.as_bytes(), &Hints::default()).unwrap();
        let model = LineModel::default();
        let cleaned = chaff::clean(&doc, Learning { model: &model, site: None }, &CleanOptions::default());
        let mut next = 0;
        for kept in cleaned.text(&doc).lines() {
            let at = doc.lines[next..].iter().position(|l| l.text == kept);
            prop_assert!(at.is_some(), "kept block {:?} is a later block", kept);
            next += at.unwrap() + 1;
        }
    }
}

fn run_with(dir: &std::path::Path, threads: usize) -> (Vec<u8>, serde_json::Value) {
    let out = dir.join(format!("out-{threads}"));
    std::fs::create_dir_all(&out).unwrap();
    let mut opts = RunOptions::new(vec![dir.join("in")], Mode::Run);
    opts.output = Output::Dir(out.clone());
    opts.threads = threads;
    chaff::run(&opts, &Silent).unwrap();
    let report = serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    (std::fs::read(out.join("clean.jsonl")).unwrap(), report)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Any set of files (with duplicates, empty and binary ones) gives the same bytes with one and
    /// with two threads, and every file is accounted for.
    #[test]
    fn output_is_independent_of_threads_and_accounts_for_everything(
        files in prop::collection::vec((0usize..4, document(), 0u8..6), 1..30)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut written: Vec<Vec<u8>> = Vec::new();
        for (n, (site, lines, kind)) in files.iter().enumerate() {
            let folder = dir.path().join("in").join(format!("site{site}"));
            std::fs::create_dir_all(&folder).unwrap();
            let bytes = match kind {
                0 => Vec::new(),
                1 => b"\x89PNG\r\n\x1a\nbinary".to_vec(),
                2 if n > 0 => written[n - 1].clone(),
                _ => lines.join("\n").into_bytes(),
            };
            std::fs::write(folder.join(format!("{n:03}.txt")), &bytes).unwrap();
            written.push(bytes);
        }
        let (one, report) = run_with(dir.path(), 1);
        let (two, _) = run_with(dir.path(), 2);
        prop_assert_eq!(&one, &two);
        let n = |v: &serde_json::Value| v.as_u64().unwrap();
        prop_assert_eq!(n(&report["seen"]), files.len() as u64);
        prop_assert_eq!(
            n(&report["seen"]),
            n(&report["written"]) + n(&report["duplicates"]["exact"])
                + n(&report["duplicates"]["same-text"]) + n(&report["skipped"])
        );
        prop_assert_eq!(one.iter().filter(|&&b| b == b'\n').count() as u64, n(&report["written"]));
    }
}
