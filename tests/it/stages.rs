//! The stages of the pipeline: what they decide, and that running them one by one gives the
//! same output as `chaff run`.

use crate::common::run_in;
use serde_json::Value;

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

/// `chaff stage` commands, driven as the README's "Stages" section says a driver (Spark) drives
/// them — exact copies, near-duplicate clusters from band keys, learning in two halves merged,
/// same-text copies, near summaries — give exactly `chaff run`'s clean.jsonl and model.json.
#[test]
fn the_stages_one_by_one_give_the_bytes_of_run() {
    use serde_json::{Value, json};
    use std::collections::{BTreeMap, HashMap};
    let input = "fixtures/crawl/sites";
    let whole = crate::common::run(&["run", input]);
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let stage = |args: &[&str]| -> Vec<u8> {
        let out = crate::common::chaff()
            .arg("stage")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let body = |bytes: Vec<u8>| -> Vec<Value> {
        crate::common::jsonl(&bytes)
            .into_iter()
            .filter(|v| v.get("format").is_none())
            .collect()
    };
    let write_lines = |name: &str, lines: &[Value]| {
        let text: String = lines.iter().map(|l| l.to_string() + "\n").collect();
        std::fs::write(path(name), text).unwrap();
    };
    let order = |v: &Value| v["order"].as_str().unwrap().to_owned();
    let mut docs: Vec<Value> = body(stage(&["scan", input, "-o", "-"]));
    docs.retain(|r| r.get("skip").is_none());
    docs.sort_by_key(order);
    // Exact copies: the first in order is kept.
    let (mut kept, mut exact): (Vec<Value>, HashMap<String, Vec<Value>>) = Default::default();
    let mut first: HashMap<String, String> = HashMap::new();
    for r in docs {
        match first.get(r["sha256"].as_str().unwrap()) {
            Some(o) => exact.entry(o.clone()).or_default().push(r),
            None => {
                first.insert(r["sha256"].as_str().unwrap().into(), order(&r));
                kept.push(r);
            }
        }
    }
    // Near: per band key, the first member is the anchor; 39 of 64 equal minima join.
    let same = |a: &Value, b: &Value| {
        let (a, b) = (
            a["signature"].as_array().unwrap(),
            b["signature"].as_array().unwrap(),
        );
        a.iter().zip(b).filter(|(x, y)| x == y).count()
    };
    let mut bands: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    for (i, r) in kept.iter().enumerate() {
        for (b, key) in r["bands"].as_array().into_iter().flatten().enumerate() {
            bands
                .entry((b, key.as_str().unwrap().into()))
                .or_default()
                .push(i);
        }
    }
    let mut parent: Vec<usize> = (0..kept.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            x = p[x];
        }
        x
    }
    for members in bands.values() {
        for &m in &members[1..] {
            if same(&kept[members[0]], &kept[m]) >= 39 {
                let (a, b) = (find(&mut parent, members[0]), find(&mut parent, m));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let cluster: Vec<usize> = (0..kept.len()).map(|i| find(&mut parent, i)).collect();
    // Learn: units split over two calls, merged.
    let mut partials = Vec::new();
    for half in 0..2 {
        let units: Vec<Value> = (0..kept.len())
            .filter(|&i| cluster[i] % 2 == half)
            .map(|i| json!({"unit": cluster[i].to_string(), "site": kept[i]["site"], "keys": kept[i]["keys"]}))
            .collect();
        write_lines(&format!("units{half}"), &units);
        let partial = path(&format!("partial{half}.json"));
        stage(&["learn", &path(&format!("units{half}")), "-o", &partial]);
        partials.push(partial);
    }
    stage(&[
        "merge",
        &partials[0],
        &partials[1],
        "-o",
        &path("model.json"),
    ]);
    assert_eq!(
        std::fs::read(path("model.json")).unwrap(),
        whole.bytes("model.json")
    );
    // Clean, then same-text copies and near summaries among what is written.
    write_lines("rows", &kept);
    let cleaned = body(stage(&[
        "clean",
        &path("rows"),
        "--model",
        &path("model.json"),
        "-o",
        "-",
    ]));
    let dup = |r: &Value, kind: &str| json!({"path": r["path"], "kind": kind});
    // (row, cleaned row, duplicates to add) of each record to write.
    let mut written: Vec<(usize, Value, Vec<Value>)> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (i, c) in cleaned.into_iter().enumerate() {
        assert_eq!(order(&c), order(&kept[i]));
        let copies = exact.remove(&order(&c)).unwrap_or_default();
        if c["empty"] == true {
            continue;
        }
        match by_id.get(c["id"].as_str().unwrap()) {
            Some(&w) => {
                written[w].2.push(dup(&kept[i], "same-text"));
                for e in copies {
                    let mut d = dup(&e, "exact");
                    d["of"] = kept[i]["path"].clone();
                    written[w].2.push(d);
                }
            }
            None => {
                by_id.insert(c["id"].as_str().unwrap().into(), written.len());
                written.push((i, c, copies.iter().map(|e| dup(e, "exact")).collect()));
            }
        }
    }
    let folded: Vec<Value> = written
        .iter()
        .map(|(i, c, add)| {
            let members: Vec<usize> =
                written.iter().map(|w| w.0).filter(|&j| cluster[j] == cluster[*i]).collect();
            let mut closest: Vec<(usize, usize)> = members
                .iter()
                .filter(|&&j| j != *i)
                .map(|&j| (64 - same(&kept[*i], &kept[j]), j))
                .collect();
            closest.sort();
            let near = (members.len() > 1).then(|| {
                json!({"cluster": kept[members[0]]["path"], "size": members.len(),
                       "closest": closest.iter().take(3).map(|&(d, j)| json!({"path": kept[j]["path"],
                           "similarity": ((64 - d) as f64 / 64.0 * 100.0).round() / 100.0})).collect::<Vec<_>>()})
            });
            json!({"record": c["record"], "add": add, "near": near})
        })
        .collect();
    write_lines("folded", &folded);
    let lines = stage(&["write", &path("folded"), "-o", "-"]);
    assert_eq!(
        String::from_utf8(lines).unwrap(),
        String::from_utf8(whole.bytes("clean.jsonl")).unwrap()
    );
}

/// `run` learns in chunks of 4,096 units and, when its table of lines passes `prune_above`
/// distinct lines (2^25 by default), drops the lines seen in a single unit between chunks; the
/// stage commands keep them until the final merge. So the two give the same model exactly when
/// `run`'s table never passes the bound before its last chunk, and otherwise `run` may only
/// under-count a line (seen once before a prune, again after it), never over-count one.
#[test]
fn run_and_the_stages_learn_the_same_model_below_the_prune_bound_and_run_only_undercounts_above() {
    let dir = tempfile::tempdir().unwrap();
    let crawl = dir.path().join("crawl");
    let generated = crate::common::chaff()
        .args(["gen-corpus", "--sites", "3", "--pages", "1500", "-o"])
        .arg(&crawl)
        .output()
        .unwrap();
    assert!(generated.status.success(), "{generated:?}");
    let learn = |prune_above: usize| -> Value {
        let model_out = dir.path().join(format!("model-{prune_above}.json"));
        let mut opts = chaff::RunOptions::new(
            vec![crawl.clone()],
            chaff::Mode::Learn {
                model_out: model_out.clone(),
            },
        );
        opts.prune_above = prune_above;
        chaff::run(&opts, &chaff::Silent).expect("learning succeeds");
        serde_json::from_slice(&std::fs::read(&model_out).unwrap()).unwrap()
    };
    // Never pruning is what the stage commands do (pruning once, when the model is written).
    let never = learn(0);
    assert!(
        never["units"].as_u64().unwrap() > 4096,
        "more than one chunk"
    );
    assert_eq!(learn(1 << 25), never, "below the bound: the same model");
    // A bound the table passes after the first chunk: lines seen once in it and again later
    // are counted once less, or not at all.
    let pruned = learn(1000);
    assert_ne!(pruned, never, "pruning between chunks changed the model");
    let lines = |model: &Value| model["lines"].as_object().unwrap().clone();
    let (all, kept) = (lines(&never), lines(&pruned));
    assert!(kept.len() < all.len(), "{} < {}", kept.len(), all.len());
    for (key, count) in &kept {
        let full = all[key]
            .as_u64()
            .expect("a line run kept is in the full model");
        assert!(count.as_u64().unwrap() <= full, "{key}: {count} > {full}");
    }
    assert_eq!(pruned["units"], never["units"], "units are never pruned");
}
