//! Stage 3b: the run report (`report.json`): every input accounted for.
//!
//! The report counts the inputs *seen* (files, and records inside containers), the documents
//! *written*, the *duplicates* that were folded into another record, and the inputs *skipped*,
//! each with its path, kind and message. It always holds that
//! `seen = written + duplicates.exact + duplicates.same-text + skipped`. Near-duplicates have
//! records of their own, so they are counted apart (`near_duplicates`) and are part of `written`.
//!
//! It also counts removed lines by reason, and names the model and output files by their SHA-256,
//! so an auditor can check that a `clean.jsonl` and a `report.json` belong together. It names the
//! chaff version and every option that can change the output, and counts per site.
//!
//! Like the records, the report holds nothing that depends on the machine or the thread count,
//! with one exception: `elapsed_seconds`, the wall-clock time the run took, is the last field, so
//! that two reports of the same run differ only there (the determinism tests compare reports
//! without it). Options that cannot change any output byte (`--threads`, `--quiet`,
//! `--verbose`, `--timings`) are left out for the same reason.

use crate::pipeline::{Mode, RunOptions};
use crate::reason::Reason;
use crate::source::{Skipped, input_name};
use serde::{Serialize, Serializer};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The schema name written into every report.
pub const SCHEMA: &str = "chaff-report/1";

/// The run report; see the module docs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The version of chaff that wrote the report.
    pub version: &'static str,
    /// The command and every option that can change the output; see [`settings`].
    pub options: BTreeMap<&'static str, Value>,
    /// The inputs as named on the command line (relative names, see [`crate::source::input_name`]).
    pub inputs: Vec<String>,
    /// What was left out of the walk because chaff wrote it: output and `--text-dir` folders
    /// below the inputs, and chaff's own output files (recognized by content) anywhere in them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<String>,
    /// Temporary files of an interrupted run found in the output folder and removed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stale_removed: Vec<String>,
    /// Inputs seen: files and container records.
    pub seen: u64,
    /// Records written.
    pub written: u64,
    /// Inputs folded into another record, by kind.
    pub duplicates: Duplicates,
    /// Written records that are near-duplicates of an earlier record.
    pub near_duplicates: u64,
    /// Number of inputs skipped.
    pub skipped: u64,
    /// Skipped inputs by kind.
    pub skipped_by_kind: BTreeMap<&'static str, u64>,
    /// Every skipped input.
    pub skipped_inputs: Vec<Skipped>,
    /// Documents on which chaff itself failed (a bug: please report it). They are still written,
    /// with what could be read, and the failure is also noted in their record's `source.notes`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<Failure>,
    /// Records whose bytes were decoded lossily or with a guessed encoding.
    pub decoding: Decodings,
    /// Lines of written records.
    pub lines: LineCounts,
    /// Removed lines of written records, by reason.
    #[serde(serialize_with = "reason_counts")]
    pub removed: BTreeMap<Reason, u64>,
    /// The model used.
    pub model: ModelSummary,
    /// The output files, if written to a folder.
    pub outputs: BTreeMap<String, OutputSummary>,
    /// Counts per site, by the record's `site`.
    pub sites: BTreeMap<String, SiteCounts>,
    /// Wall-clock seconds the run took, to the millisecond: the one field that differs between
    /// two runs over the same input.
    pub elapsed_seconds: f64,
}

/// What a run did with one site's documents.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct SiteCounts {
    /// Records written.
    pub written: u64,
    /// Copies folded into a record (exact copies count on the site of the record they were
    /// folded into, same-text copies on their own site).
    pub duplicates: u64,
    /// Non-blank lines of the written records.
    pub lines: u64,
    /// Lines removed from them.
    pub removed: u64,
}

/// A document on which a stage of chaff failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The document's `source.path`.
    pub path: String,
    /// The stage that failed: `extract` or `clean`.
    pub stage: &'static str,
    /// What failed, and what was done instead.
    pub message: String,
}

/// Duplicates folded into another record.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Duplicates {
    /// Same bytes.
    pub exact: u64,
    /// Same clean text.
    #[serde(rename = "same-text")]
    pub same_text: u64,
}

/// Records decoded with doubt.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Decodings {
    /// Some bytes were invalid and replaced.
    pub lossy: u64,
    /// The encoding was guessed.
    pub guessed: u64,
}

/// Line counts over written records.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct LineCounts {
    /// Non-blank lines.
    pub total: u64,
    /// Kept lines.
    pub kept: u64,
    /// Removed lines.
    pub removed: u64,
    /// Lines kept in doubt.
    pub uncertain: u64,
}

/// The model a run used.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ModelSummary {
    /// SHA-256 of the model file.
    pub sha256: String,
    /// Units (articles) counted.
    pub units: u64,
    /// Sites seen.
    pub sites: u64,
    /// Lines seen in more than one unit.
    pub lines: u64,
}

/// An output file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OutputSummary {
    /// Its SHA-256.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

fn reason_counts<S: Serializer>(map: &BTreeMap<Reason, u64>, s: S) -> Result<S::Ok, S::Error> {
    let named: BTreeMap<&str, u64> = map.iter().map(|(r, n)| (r.name(), *n)).collect();
    named.serialize(s)
}

impl Report {
    /// An empty report for these inputs.
    pub fn new(inputs: Vec<String>) -> Report {
        Report {
            schema: SCHEMA,
            version: env!("CARGO_PKG_VERSION"),
            inputs,
            ..Report::default()
        }
    }

    /// Records a skipped input.
    pub fn skip(&mut self, skipped: Skipped) {
        self.seen += 1;
        self.skipped += 1;
        *self.skipped_by_kind.entry(skipped.kind.name()).or_default() += 1;
        self.skipped_inputs.push(skipped);
    }

    /// Whether every input seen is accounted for.
    pub fn balanced(&self) -> bool {
        self.seen == self.written + self.duplicates.exact + self.duplicates.same_text + self.skipped
    }

    /// The report as pretty JSON with a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).expect("reports always serialize");
        out.push(b'\n');
        out
    }
}

/// The command and every option of a run that can change its output, by the option's name on
/// the command line. Paths are named as inputs are (relative, or only their last component), so
/// the report does not depend on where the files live.
pub fn settings(opts: &RunOptions) -> BTreeMap<&'static str, Value> {
    let name = |p: &std::path::Path| input_name(p).to_string_lossy().into_owned();
    let command = match &opts.mode {
        Mode::Run => "run",
        Mode::Learn { .. } => "learn",
        Mode::Clean { .. } => "clean",
    };
    let model = match &opts.mode {
        Mode::Clean { model } => Some(model.as_path()),
        _ => opts.prior.as_deref(),
    };
    let clean = &opts.clean;
    let container = &opts.container;
    BTreeMap::from([
        ("command", json!(command)),
        ("model", json!(model.map(name))),
        ("max-bytes", json!(container.max_bytes)),
        ("jsonl-url", json!(container.jsonl_url)),
        ("jsonl-html", json!(container.jsonl_html)),
        ("jsonl-text", json!(container.jsonl_text)),
        ("follow-links", json!(opts.walk.follow_links)),
        ("glob", json!(opts.walk.select.globs)),
        ("exclude", json!(opts.walk.select.excludes)),
        ("all-files", json!(opts.walk.select.all_files)),
        ("text-dir", json!(opts.text_dir.as_deref().map(name))),
        ("min-units", json!(clean.min_units)),
        ("site-share", json!(clean.site_share)),
        ("min-sites", json!(clean.min_sites)),
        ("strong-share", json!(clean.strong_share)),
        ("count-copies", json!(opts.count_copies)),
        ("format", json!(opts.format.format.name())),
        ("removed-lines", json!(opts.format.removed.name())),
        ("dolma-source", json!(opts.format.dolma_source)),
        ("dolma-added", json!(opts.format.dolma_added)),
        ("records", json!(opts.sink.file_name(None))),
        ("compress", json!(opts.sink.compression.name())),
        ("shard-size", json!(opts.sink.shard_size)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SkipKind, SourcePath};

    #[test]
    fn accounting_balances() {
        let mut report = Report::new(vec!["in".into()]);
        report.seen = 5;
        report.written = 2;
        report.duplicates.exact = 1;
        report.duplicates.same_text = 1;
        assert!(!report.balanced());
        report.skip(Skipped::new(
            SourcePath::new(std::path::Path::new("in/x.png")),
            SkipKind::Binary,
            "a PNG image",
        ));
        assert_eq!(report.seen, 6);
        report.seen -= 1;
        assert!(report.balanced());
        let json = String::from_utf8(report.to_json()).unwrap();
        assert!(json.contains("\"same-text\": 1"));
        assert!(json.contains("\"binary\": 1"));
    }
}
