//! Models: learn, save, load, merge, and clear errors for bad model files.

use crate::common::{chaff, repo, run};

#[test]
fn learn_then_clean_equals_run() {
    let all = run(&["run", "seeds"]);
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.json");
    let learn = chaff()
        .args(["learn", "seeds", "-o"])
        .arg(&model)
        .output()
        .unwrap();
    assert!(
        learn.status.success(),
        "{}",
        String::from_utf8_lossy(&learn.stderr)
    );
    assert_eq!(std::fs::read(&model).unwrap(), all.bytes("model.json"));
    let clean = run(&["clean", "seeds", "--model", model.to_str().unwrap()]);
    assert_eq!(clean.code(), 0, "{}", clean.stderr());
    assert_eq!(clean.bytes("clean.jsonl"), all.bytes("clean.jsonl"));
}

#[test]
fn a_prior_model_is_merged_by_adding_counts() {
    let once = run(&["run", "seeds"]);
    let dir = tempfile::tempdir().unwrap();
    let prior = dir.path().join("prior.json");
    std::fs::write(&prior, once.bytes("model.json")).unwrap();
    let twice = run(&["run", "seeds", "--model", prior.to_str().unwrap()]);
    let model: serde_json::Value = serde_json::from_slice(&twice.bytes("model.json")).unwrap();
    let first: serde_json::Value = serde_json::from_slice(&once.bytes("model.json")).unwrap();
    assert_eq!(model["units"], first["units"].as_u64().unwrap() * 2);
    assert_eq!(model["sites"]["seeds"]["units"], 10);
}

fn clean_with(model_text: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("bad-model.json");
    std::fs::write(&model, model_text).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let output = chaff()
        .args(["clean", "seeds", "--model"])
        .arg(&model)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        !out.join("clean.jsonl").exists(),
        "nothing written on a fatal error"
    );
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn bad_model_files_fail_clearly() {
    let good = String::from_utf8(run(&["run", "seeds"]).bytes("model.json")).unwrap();
    let cases = [
        (good[..good.len() / 2].to_owned(), "truncated"),
        ("not json at all".to_owned(), "not valid model JSON"),
        (
            good.replace("\"version\":1", "\"version\":2"),
            "model version 2",
        ),
        (
            good.replace("chaff-model", "other-model"),
            "expected \"format\"",
        ),
        (
            good.replace("\"units\":5,\"version\"", "\"units\":-1,\"version\""),
            "malformed",
        ),
    ];
    for (text, message) in cases {
        let (code, stderr) = clean_with(&text);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("bad-model.json"),
            "names the file: {stderr}"
        );
        assert!(stderr.contains(message), "{message:?} in {stderr}");
    }
    let output = chaff()
        .args(["clean", "seeds", "--model", "no/such/model.json", "-o"])
        .arg(repo().join("out"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no/such/model.json"));
}
