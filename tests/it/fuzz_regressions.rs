//! Inputs the fuzzers (`tests/fuzz`) once broke chaff with, kept so that the breakage stays fixed.
//!
//! Every file in `fixtures/fuzz/` is named `<target>-<hash>.bin` after the fuzz target that found
//! it; it is run through the same code path and invariant checks as that target (the checks live
//! in `tests/fuzz/src/lib.rs`, included here as a module).

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::path::Path;

#[test]
fn saved_fuzz_inputs_pass_their_targets() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz");
    let entries = std::fs::read_dir(&dir).expect("reading fixtures/fuzz");
    let mut files: Vec<_> = entries
        .map(|e| e.expect("reading fixtures/fuzz").path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "fixtures/fuzz holds no saved inputs");
    let mut failures = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let data = std::fs::read(&path).unwrap();
        let target = name.rsplit_once('-').map_or("", |(target, _)| target);
        let run: fn(&[u8]) = match target {
            "html_extract" => checks::html_extract,
            "line_cleaner" => checks::line_cleaner,
            "containers" => checks::containers,
            "model_json" => checks::model_json,
            _ => panic!("{name}: no fuzz target is named {target:?}"),
        };
        if let Err(panic) = std::panic::catch_unwind(|| run(&data)) {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(format!("fixtures/fuzz/{name}: {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "saved fuzz inputs fail:\n{}",
        failures.join("\n")
    );
}
