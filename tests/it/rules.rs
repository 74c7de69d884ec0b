//! Every named line rule, through the library: an example the rule must remove, and a near miss
//! (the same words in article text) that must be kept. Each probe line is put into an invented
//! article, at the head (after the title), in the middle, or at the tail (after the last
//! paragraph), and cleaned with an empty model, so only the rule itself and the structure act.
//! The learned reasons (`site-template`, `cross-site-furniture`) need a crawl: see `crawl.rs`;
//! the DOM reasons (`outside-content`, `comment-section`, `caption`) need pages: see `html.rs`.

use chaff::{CleanOptions, Hints, Learning, LineModel, Verdict};

const TITLE: &str = "Harbor board approves new ferry timetable after months of complaints";

const PARAGRAPHS: [&str; 6] = [
    "The harbor board voted on Tuesday to add two morning ferries between the island and the mainland, ending months of complaints from commuters who said the current timetable made them late for work.",
    "The new crossings, at 6:15 and 7:05, will start on the first Monday of next month. Board members said the change would cost about $400,000 a year, most of it for crew overtime and fuel.",
    "\"We heard the same thing at every meeting,\" said board chair Elena Marsh. \"People were missing the first bus on the other side, and the second bus gets them in an hour late.\"",
    "The ferry service carried 1.2 million passengers last year, up from just under a million before the pandemic. Most of the growth came from island residents who work in the city.",
    "Some board members worried that the extra crossings would leave too little time for maintenance. The operator said it would move engine checks to the late evening instead.",
    "The board will review the timetable again in the spring, after a survey of riders and a count of passengers on each crossing.",
];

#[derive(Clone, Copy, Debug)]
enum At {
    /// Before the title.
    Top,
    /// Between the title and the first paragraph.
    Head,
    Middle,
    Tail,
}

/// The article with `probe` inserted at `at`, and the index of the probe's (first) line.
fn article<'a>(probe: &[&'a str], at: At) -> (String, usize) {
    let mut lines: Vec<&'a str> = Vec::new();
    let insert = |lines: &mut Vec<&'a str>| {
        let index = lines.len();
        lines.extend(probe.iter().copied());
        index
    };
    let mut index = 0;
    if let At::Top = at {
        index = insert(&mut lines);
    }
    lines.push(TITLE);
    if let At::Head = at {
        index = insert(&mut lines);
    }
    for (n, p) in PARAGRAPHS.iter().enumerate() {
        lines.push(p);
        if n == 2 && matches!(at, At::Middle) {
            index = insert(&mut lines);
        }
    }
    if let At::Tail = at {
        index = insert(&mut lines);
    }
    (lines.join("\n"), index)
}

/// The verdicts on `probe`'s lines placed at `at`, and on every article line.
fn verdicts(probe: &[&str], at: At) -> (Vec<Verdict>, Vec<Verdict>) {
    let (text, index) = article(probe, at);
    let hints = Hints {
        extension: Some("txt"),
        ..Hints::default()
    };
    let doc = chaff::extract(text.as_bytes(), &hints).expect("a text document");
    let learning = Learning {
        model: &LineModel::default(),
        site: None,
    };
    let cleaned = chaff::clean(&doc, learning, &CleanOptions::default());
    let probe_range = index..index + probe.len();
    let (mut on_probe, mut on_article) = (Vec::new(), Vec::new());
    for (i, v) in cleaned.verdicts.iter().enumerate() {
        if probe_range.contains(&i) {
            on_probe.push(*v);
        } else {
            on_article.push(*v);
        }
    }
    (on_probe, on_article)
}

/// (reason, furniture lines and where, near-miss lines and where)
type Case = (
    &'static str,
    &'static [&'static str],
    At,
    &'static [&'static str],
    At,
);

const CASES: &[Case] = &[
    (
        "photo-credit",
        &["AP Photo/Manuel Balce Ceneta"],
        At::Middle,
        &[
            "The photographer, who has worked for AP since 2009, took the pictures at dawn from the upper deck.",
        ],
        At::Middle,
    ),
    (
        "photo-credit",
        &["Commuters wait for the 6:15 ferry on Tuesday.Credit: Jon Berg/AFP"],
        At::Middle,
        &["Credit for the idea goes to a group of nurses who commute from the island, Marsh said."],
        At::Middle,
    ),
    (
        "comment-prompt",
        &["Please let us know if you're having issues with commenting."],
        At::Tail,
        &["Riders can comment on the timetable at a public hearing on March 3, the board said."],
        At::Tail,
    ),
    (
        "comment-prompt",
        &["0 Comments"],
        At::Tail,
        &["Zero comments were filed against the plan during the first hearing, Marsh said."],
        At::Tail,
    ),
    (
        "subscription",
        &["From $1 for the first month"],
        At::Middle,
        &[
            "Monthly passes will cost $1 more from the first month of the new timetable, the operator said.",
        ],
        At::Middle,
    ),
    (
        "share-bar",
        &["Facebook Twitter Email"],
        At::Head,
        &["Facebook groups for island commuters had pushed for the change for more than a year."],
        At::Middle,
    ),
    (
        "navigation",
        &["Exit mobile version"],
        At::Tail,
        &["The mobile version of the timetable will be updated on the operator's app next week."],
        At::Tail,
    ),
    (
        "navigation",
        &["<< Home"],
        At::Tail,
        &["Home prices on the island have risen by a third since the pandemic, the county says."],
        At::Middle,
    ),
    (
        "cookie-notice",
        &["We use cookies to give you the best possible experience on our website."],
        At::Head,
        &["The ferry café sells cookies and coffee on every crossing, and the new boats will too."],
        At::Middle,
    ),
    (
        "follow-prompt",
        &["Follow us on Twitter"],
        At::Tail,
        &["Follow-up surveys will ask riders whether the new crossings got them to work on time."],
        At::Tail,
    ),
    (
        "advertisement",
        &["Advertisement"],
        At::Middle,
        &["Advertisement revenue on the ferries fell by a third last year, the operator said."],
        At::Middle,
    ),
    (
        "bare-url",
        &["https://harborview.example/2024/ferry-timetable"],
        At::Tail,
        &[
            "The new timetable is posted at harborview.example/ferry and at both terminals, the board said.",
        ],
        At::Tail,
    ),
    (
        "section-label",
        &["Analysis |"],
        At::Top,
        &["Analysis of the passenger counts took three weeks, the operator said."],
        At::Middle,
    ),
    (
        "byline",
        &["By Jane Whitcombe"],
        At::Head,
        &["By noon the line for the ferry stretched past the terminal gates, riders said."],
        At::Middle,
    ),
    (
        "related-link",
        &["Read more: Island school board delays vote on later start times"],
        At::Middle,
        &["Read the full timetable before you travel, the operator urged riders on Tuesday."],
        At::Middle,
    ),
    (
        // A short line printed twice (a byline, a caption) goes, both copies; a long one stays.
        "repeated-line",
        &["Morning ferry at the dock", "Morning ferry at the dock"],
        At::Middle,
        &[
            "\"We are not going back to the old timetable,\" Marsh said after the vote.",
            "\"We are not going back to the old timetable,\" Marsh said after the vote.",
        ],
        At::Middle,
    ),
    (
        "related-list",
        &[
            "Related articles",
            "Island school board delays vote on later start times",
            "Police seek witnesses after break-in at marina office",
            "New owners plan to reopen the old cannery as apartments",
            "High school rowers take regional title again",
        ],
        At::Tail,
        &["Sleepers", "Propaganda", "So how will the riders react?"],
        At::Middle,
    ),
];

#[test]
fn every_rule_removes_its_example_and_keeps_its_near_miss() {
    let mut problems = Vec::new();
    for &(reason, furniture, at, near, near_at) in CASES {
        let (probe, article) = verdicts(furniture, at);
        let removed: Vec<&str> = probe
            .iter()
            .filter_map(|v| match v {
                Verdict::Remove(r) => Some(r.name()),
                _ => None,
            })
            .collect();
        if removed.len() != furniture.len() || removed.iter().any(|r| *r != reason) {
            problems.push(format!("{reason}: {furniture:?} at {at:?} got {probe:?}"));
        }
        if article.iter().any(|v| matches!(v, Verdict::Remove(_))) {
            problems.push(format!(
                "{reason}: article lines removed beside {furniture:?}: {article:?}"
            ));
        }
        let (probe, article) = verdicts(near, near_at);
        if probe.iter().any(|v| *v != Verdict::Keep) {
            problems.push(format!(
                "{reason}: near miss {near:?} at {near_at:?} got {probe:?}"
            ));
        }
        if article.iter().any(|v| matches!(v, Verdict::Remove(_))) {
            problems.push(format!(
                "{reason}: article lines removed beside {near:?}: {article:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
