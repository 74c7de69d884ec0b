//! Syndicated stories and near-duplicates: wire copy is article text, not furniture.

use crate::common::{repo, run};
use chaff::{Mode, Output, RunOptions, Silent};
use proptest::prelude::*;
use serde_json::Value;

/// Near-duplicates named in the crawl manifest share a cluster, and each lists the other among
/// its closest members, with a similarity.
#[test]
fn near_duplicates_of_the_crawl_are_linked() {
    let run = run(&["run", "fixtures/crawl/sites"]);
    let records = run.records();
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("fixtures/crawl/expected.json")).unwrap(),
    )
    .unwrap();
    let short = |p: &str| p.trim_start_matches("fixtures/crawl/sites/").to_owned();
    let near_of = |path: &str| -> (String, u64, Vec<(String, f64)>) {
        let full = format!("fixtures/crawl/sites/{path}");
        let record = records
            .iter()
            .find(|r| r["source"]["path"] == full.as_str())
            .unwrap_or_else(|| panic!("{full} has a record of its own"));
        assert!(
            record["duplicates"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["kind"] != "near"),
            "near-duplicates are not duplicates"
        );
        let near = &record["near"];
        let closest = near["closest"]
            .as_array()
            .unwrap_or_else(|| panic!("{full} is in a cluster: {record}"))
            .iter()
            .map(|m| {
                (
                    short(m["path"].as_str().unwrap()),
                    m["similarity"].as_f64().unwrap(),
                )
            })
            .collect();
        (
            short(near["cluster"].as_str().unwrap()),
            near["size"].as_u64().unwrap(),
            closest,
        )
    };
    let mut checked = 0;
    for dup in manifest["duplicates"].as_array().unwrap() {
        if dup["kind"] != "near" {
            continue;
        }
        let (a, b) = (dup["path"].as_str().unwrap(), dup["of"].as_str().unwrap());
        let (cluster, size, _) = near_of(a);
        for (from, to) in [(a, b), (b, a)] {
            let (their_cluster, their_size, closest) = near_of(from);
            assert_eq!(
                (&their_cluster, their_size),
                (&cluster, size),
                "{from} and {to}"
            );
            assert!(size >= 2 && closest.len() as u64 == (size - 1).min(3));
            let sims: Vec<f64> = closest.iter().map(|(_, s)| *s).collect();
            assert!(
                sims.windows(2).all(|w| w[0] >= w[1]),
                "most similar first: {sims:?}"
            );
            assert!(
                sims.iter().all(|s| (0.6..=1.0).contains(s)),
                "{from}: {sims:?}"
            );
            if size <= 4 {
                assert!(
                    closest.iter().any(|(p, _)| p == to),
                    "{from} lists {to}: {closest:?}"
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 5, "the manifest names near-duplicates");
    assert_eq!(run.report()["near_duplicates"], 7);
}

/// A small deterministic generator of words.
fn words(seed: u64, n: usize) -> Vec<String> {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mer", "tis", "van", "dor", "pel", "ru", "sen", "ba", "ti", "gor", "ne", "lu",
        "fa", "cro",
    ];
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..n)
        .map(|_| {
            let mut w = String::new();
            for _ in 0..3 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                w.push_str(SYLLABLES[(x % 16) as usize]);
            }
            w
        })
        .collect()
}

fn sentence(seed: u64, n: usize) -> String {
    let mut s = words(seed, n).join(" ");
    s.push('.');
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// Writes `sites` sites, each with four ordinary pages, and `copies` copies of one wire story,
/// round-robin on the first three sites (a site may print a story more than once: in two
/// sections, or updated), each under its own headline in its site's template; returns the
/// story's paragraphs.
fn crawl(dir: &std::path::Path, seed: u64, sites: usize, copies: usize) -> Vec<String> {
    let story: Vec<String> = (0..6).map(|p| sentence(seed * 1000 + p, 18)).collect();
    for site in 0..sites {
        let folder = dir.join(format!("site{site}"));
        std::fs::create_dir_all(&folder).unwrap();
        let template = |page: u64| -> (Vec<String>, Vec<String>) {
            let s = seed + 100 * site as u64;
            let head = vec![
                words(s + 1, 3).join(" "),
                words(s + 2, 6).join(" | "),
                format!("By {}", words(s + page + 50, 2).join(" ")),
            ];
            let foot = vec![sentence(s + 3, 20), words(s + 4, 5).join(" | ")];
            (head, foot)
        };
        let page = |lines: Vec<String>| lines.join("\n\n") + "\n";
        for p in 0..4u64 {
            let (head, foot) = template(p);
            let mut lines = head;
            lines.push(words(seed + 7 * p + 1000 * site as u64, 7).join(" "));
            lines.extend((0..6).map(|k| sentence(seed * 31 + site as u64 * 97 + p * 13 + k, 20)));
            lines.extend(foot);
            std::fs::write(folder.join(format!("page{p}.txt")), page(lines)).unwrap();
        }
        for copy in (0..copies).filter(|c| c % 3 == site) {
            let (head, foot) = template(9 + copy as u64);
            let mut lines = head;
            lines.push(format!(
                "{} headline",
                words(seed + 77 * copy as u64, 4).join(" ")
            ));
            lines.extend(story.iter().cloned());
            lines.extend(foot);
            std::fs::write(folder.join(format!("wire{copy}.txt")), page(lines)).unwrap();
        }
    }
    story
}

/// The number of the story's paragraphs removed from the first site's copy.
fn story_lines_removed(seed: u64, copies: usize) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("crawl");
    let story = crawl(&input, seed, 8, copies);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let mut opts = RunOptions::new(vec![input], Mode::Run);
    opts.output = Output::Dir(out.clone());
    opts.threads = 1;
    chaff::run(&opts, &Silent).unwrap();
    let text = std::fs::read_to_string(out.join("clean.jsonl")).unwrap();
    let record: Value = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| {
            r["source"]["path"]
                .as_str()
                .unwrap()
                .ends_with("site0/wire0.txt")
        })
        .expect("the first copy has a record");
    let kept: Vec<&str> = record["text"].as_str().unwrap().lines().collect();
    story.iter().filter(|p| !kept.contains(&p.as_str())).count()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Adding more copies of a syndicated story never removes more of its lines.
    #[test]
    fn more_copies_never_remove_more_of_the_story(seed in 1u64..10_000) {
        let mut before = usize::MAX;
        for copies in [1, 3, 5, 8] {
            let removed = story_lines_removed(seed, copies);
            prop_assert!(removed <= before, "{copies} copies removed {removed}, fewer removed {before}");
            prop_assert_eq!(removed, 0, "no story line is removed ({} copies)", copies);
            before = removed;
        }
    }
}
