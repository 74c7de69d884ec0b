//! The pipeline: composes the stages into the `run`, `learn` and `clean` commands.
//!
//! ```text
//!  walk ──► read + SHA-256 ──► exact dedup ──► extract ──► spool          (pass 1, per chunk)
//!                                                          │
//!                                     learn (per unit) ◄───┘              (barrier)
//!                                                          │
//!  clean ──► record ──► same-text dedup ──► record spool ◄─┘              (pass 2, per chunk)
//!                                              │
//!                    clean.jsonl (+ duplicates folded in) ◄┘              (pass 3, streaming)
//! ```
//!
//! Every file is read and parsed once. Per-item work (reading, hashing, extracting, cleaning) runs
//! in parallel on a rayon pool of `--threads` workers; this module is the only one that uses
//! rayon. Work is cut into chunks of files in sorted order; within a chunk, `par_iter().map()`
//! keeps the order, and barrier steps (dedup, counting, writing) walk each chunk in order, so the
//! output does not depend on the number of threads. Memory holds one chunk of documents at a
//! time, the model, and a few bytes per document (its digest and its place in the spool).

use crate::clean::{self, CleanOptions, Learning};
use crate::container::{self, ContainerOptions, Part};
use crate::dedup::{self, ExactIndex, Sha256Digest};
use crate::error::{Error, Result};
use crate::extract::{self, Document, Hints};
use crate::model::LineModel;
use crate::neardup::{self, Clusters, Signature};
use crate::output::{self, AtomicFile};
use crate::record::{
    self, ContainerRef, Duplicate, DuplicateKind, Lines, Record, Removed, Uncertain,
};
use crate::report::{Failure, ModelSummary, Report};
use crate::source::{SkipKind, Skipped, SourceFile, SourcePath, input_name};
use crate::spool::Spool;
use crate::walk::{self, WalkOptions};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Files handled per chunk of pass 1 (the chunk is also cut at [`CHUNK_BYTES`]).
const CHUNK_FILES: usize = 512;
/// Bytes read per chunk of pass 1, at most (a single larger file is a chunk of its own).
const CHUNK_BYTES: u64 = 64 << 20;
/// Documents cleaned per chunk of pass 2.
const CHUNK_DOCS: usize = 1024;
/// Units counted per chunk of learning; the model may be pruned between chunks.
const CHUNK_UNITS: usize = 4096;

/// What a run does.
#[derive(Debug, Clone)]
pub enum Mode {
    /// Learn a model from the inputs (merged with `prior`), then clean them with it.
    Run,
    /// Only learn a model from the inputs (merged with `prior`), and save it here.
    Learn {
        /// Where to save the model.
        model_out: PathBuf,
    },
    /// Only clean the inputs with this model.
    Clean {
        /// The model file.
        model: PathBuf,
    },
}

/// Where records go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Into `clean.jsonl`, `model.json` and `report.json` in this folder.
    Dir(PathBuf),
    /// JSONL to standard output; nothing else is written.
    Stdout,
}

/// Everything a run needs to know.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Files and folders to read.
    pub inputs: Vec<PathBuf>,
    /// What to do.
    pub mode: Mode,
    /// Where records go (ignored by [`Mode::Learn`]).
    pub output: Output,
    /// A model to merge into the learned one (for [`Mode::Run`] and [`Mode::Learn`]).
    pub prior: Option<PathBuf>,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// How to walk the inputs.
    pub walk: WalkOptions,
    /// Files larger than this are skipped; also the cap on what a compressed file may expand to,
    /// and the JSONL field names.
    pub container: ContainerOptions,
    /// The cleaner's thresholds.
    pub clean: CleanOptions,
    /// Also write each record's clean text to `DIR/<source.path>.txt`.
    pub text_dir: Option<PathBuf>,
    /// Prune the model's lines seen once when it holds more than this many lines.
    pub prune_above: usize,
    /// Count every copy of a near-duplicate cluster as an article of its own when learning
    /// (for measuring what per-cluster counting saves; not for production use).
    pub count_copies: bool,
    /// Set from another thread (a signal handler) to stop the run; nothing final is written.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl RunOptions {
    /// Options with the defaults for everything but the inputs and mode.
    pub fn new(inputs: Vec<PathBuf>, mode: Mode) -> RunOptions {
        RunOptions {
            inputs,
            mode,
            output: Output::Dir(PathBuf::from("out")),
            prior: None,
            threads: 0,
            walk: WalkOptions::default(),
            container: ContainerOptions::default(),
            clean: CleanOptions::default(),
            text_dir: None,
            prune_above: 1 << 25,
            count_copies: false,
            cancel: None,
        }
    }
}

/// A stage of the pipeline, for progress and timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Listing the inputs.
    Walk,
    /// Reading, hashing and extracting (pass 1).
    Extract,
    /// Grouping near-duplicate documents.
    Cluster,
    /// Counting lines into the model.
    Learn,
    /// Cleaning and building records (pass 2).
    Clean,
    /// Writing the output files (pass 3).
    Write,
}

impl Stage {
    /// The stage's name.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Walk => "walk",
            Stage::Extract => "read+hash+extract",
            Stage::Cluster => "near-duplicates",
            Stage::Learn => "learn",
            Stage::Clean => "clean",
            Stage::Write => "write",
        }
    }
}

/// Hears about a run as it goes. Every method has an empty default.
pub trait Observer: Sync {
    /// An input was skipped.
    fn skipped(&self, _skipped: &Skipped) {}
    /// A stage starts, with this much work ahead (items, bytes; 0 if unknown).
    fn stage(&self, _stage: Stage, _items: u64, _bytes: u64) {}
    /// Some work of the current stage is done.
    fn advance(&self, _items: u64, _bytes: u64) {}
}

/// An observer that hears nothing.
pub struct Silent;
impl Observer for Silent {}

/// What a run did.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The report (also written as `report.json`).
    pub report: Report,
    /// Time spent in each stage.
    pub timings: Vec<(Stage, Duration)>,
    /// Bytes of input read.
    pub bytes_read: u64,
    /// Where the outputs went.
    pub outputs: Vec<PathBuf>,
}

/// A document as spooled between the passes.
#[derive(Debug, Serialize, Deserialize)]
struct Found {
    name: SourcePath,
    sha256: Sha256Digest,
    bytes: u64,
    site: String,
    /// Where inside a container, as the JSON of a [`ContainerRef`]. (Not the type itself: the
    /// spool's format cannot skip fields, and the record's JSON does.)
    container: Option<String>,
    /// A JSONL line's other fields, as JSON.
    upstream: Option<String>,
    doc: Document,
}

/// Where pass 1 puts what it reads, and the batch of parts it has yet to take.
struct Sink<'s> {
    index: ExactIndex,
    found: &'s mut Spool<Found>,
    keys: &'s mut Spool<Keys>,
    exact: &'s mut FxHashMap<usize, Vec<Duplicate>>,
    /// Parts (or skips) with the number of the file they come from.
    batch: Vec<(usize, Result<Part, Skipped>)>,
    batch_bytes: u64,
}

fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// What learning needs of a document: its site and its line keys.
#[derive(Debug, Serialize, Deserialize)]
struct Keys {
    site: String,
    keys: Vec<u64>,
}

/// A payload read from a file, ready to be deduplicated and extracted.
struct Payload {
    name: SourcePath,
    file: usize,
    bytes: Vec<u8>,
    sha256: Sha256Digest,
    html: bool,
    extension: Option<String>,
    url: Option<String>,
    charset: Option<String>,
    container: Option<ContainerRef>,
    notes: Vec<String>,
    lossy: bool,
    upstream: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Runs the pipeline; see the module docs.
pub fn run(opts: &RunOptions, observer: &dyn Observer) -> Result<Summary> {
    if opts.clean.min_units < 2 {
        return Err(Error::Usage("--min-units must be at least 2".into()));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|source| Error::Threads {
            threads: opts.threads,
            source,
        })?;
    pool.install(|| Run::new(opts, observer).go())
}

struct Run<'a> {
    opts: &'a RunOptions,
    observer: &'a dyn Observer,
    report: Report,
    timings: Vec<(Stage, Duration)>,
    bytes_read: u64,
    /// Per document (in input order): its name and near-duplicate signature.
    names: Vec<SourcePath>,
    signatures: Vec<Option<Signature>>,
    /// Near-duplicate clusters, once pass 1 is done.
    clusters: Clusters,
}

impl<'a> Run<'a> {
    fn new(opts: &'a RunOptions, observer: &'a dyn Observer) -> Run<'a> {
        let inputs = opts
            .inputs
            .iter()
            .map(|i| input_name(i).to_string_lossy().into_owned())
            .collect();
        Run {
            opts,
            observer,
            report: Report::new(inputs),
            timings: Vec::new(),
            bytes_read: 0,
            names: Vec::new(),
            signatures: Vec::new(),
            clusters: Clusters::default(),
        }
    }

    fn check_cancel(&self) -> Result<()> {
        match &self.opts.cancel {
            Some(flag) if flag.load(Ordering::Relaxed) => Err(Error::Interrupted),
            _ => Ok(()),
        }
    }

    fn timed<T>(&mut self, stage: Stage, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let start = Instant::now();
        let out = f(self)?;
        self.timings.push((stage, start.elapsed()));
        Ok(out)
    }

    /// Reports a skipped input; running out of resources is not a skip but ends the run.
    fn skip(&mut self, skipped: Skipped) -> Result<()> {
        if skipped.kind == SkipKind::OutOfResources {
            return Err(Error::OutOfResources {
                path: skipped.path.text,
                message: skipped.message,
            });
        }
        self.observer.skipped(&skipped);
        self.report.skip(skipped);
        Ok(())
    }

    fn go(mut self) -> Result<Summary> {
        let opts = self.opts;
        // Fail on a bad output or model before doing any work.
        let out_dir = match (&opts.mode, &opts.output) {
            (Mode::Learn { .. }, _) | (_, Output::Stdout) => None,
            (_, Output::Dir(dir)) => {
                check_dir(dir)?;
                for name in output::OUTPUT_NAMES {
                    replaceable(&dir.join(name))?;
                }
                Some(dir.clone())
            }
        };
        // One run per output folder; what a killed run left there goes.
        let _lock = out_dir
            .as_deref()
            .map(output::OutputLock::acquire)
            .transpose()?;
        if let Some(dir) = &out_dir {
            self.report.stale_removed = output::remove_stale(dir)?;
        }
        if let Mode::Learn { model_out } = &opts.mode {
            let parent = model_out.parent().filter(|p| !p.as_os_str().is_empty());
            check_dir(parent.unwrap_or(Path::new(".")))?;
        }
        if let Some(dir) = &opts.text_dir {
            check_dir(dir)?;
        }
        let given_model = match &opts.mode {
            Mode::Clean { model } => {
                let bytes = std::fs::read(model).map_err(|source| Error::ModelRead {
                    path: model.clone(),
                    source,
                })?;
                let loaded = LineModel::from_json(&bytes, model, opts.prune_above)?;
                Some((loaded, dedup::sha256(&bytes).hex()))
            }
            _ => None,
        };
        let prior = match (&opts.mode, &opts.prior) {
            (Mode::Clean { .. }, _) | (_, None) => None,
            (_, Some(path)) => Some(LineModel::load(path, opts.prune_above)?),
        };
        let scratch = out_dir.clone().unwrap_or_else(std::env::temp_dir);

        // chaff never reads what it writes: output folders below an input are left out.
        let mut walk_opts = opts.walk.clone();
        walk_opts.exclude.extend(out_dir.iter().cloned());
        walk_opts.exclude.extend(opts.text_dir.iter().cloned());
        if let Mode::Learn { model_out } = &opts.mode {
            walk_opts.protect.push(model_out.clone());
        }
        let walked = self.timed(Stage::Walk, |_| walk::files(&opts.inputs, &walk_opts))?;
        if let Some(input) = walked.protected.first() {
            return Err(Error::Usage(format!(
                "the model would be written over the input {input}; choose another -o"
            )));
        }
        self.report.inputs = walked.inputs.clone();
        self.report.excluded = walked.excluded.clone();
        self.observer.stage(Stage::Walk, 0, 0);
        for skipped in walked.skipped {
            self.skip(skipped)?;
        }
        let files = walked.files;

        let mut found: Spool<Found> = Spool::new_in(&scratch)?;
        let mut keys: Spool<Keys> = Spool::new_in(&scratch)?;
        let mut exact: FxHashMap<usize, Vec<Duplicate>> = FxHashMap::default();
        self.timed(Stage::Extract, |run| {
            run.pass_one(&files, &mut found, &mut keys, &mut exact)
        })?;
        self.timed(Stage::Cluster, |run| {
            run.clusters = neardup::cluster(&run.signatures);
            Ok(())
        })?;

        let (model, model_sha, model_json) = match given_model {
            Some((model, sha)) => (model, sha, None),
            None => {
                let mut model = self.timed(Stage::Learn, |run| run.learn(&keys))?;
                if let (Some(prior), Some(path)) = (&prior, &opts.prior) {
                    model.merge(prior).map_err(|e| Error::ModelInvalid {
                        path: path.clone(),
                        problem: format!("cannot be added to the new counts: {e}"),
                    })?;
                }
                let json = model.to_json();
                let sha = dedup::sha256(&json).hex();
                (model, sha, Some(json))
            }
        };
        drop(keys);
        self.report.model = ModelSummary {
            sha256: model_sha.clone(),
            units: model.units(),
            sites: model.site_count() as u64,
            lines: model.len() as u64,
        };

        let mut outputs = Vec::new();
        if let Mode::Learn { model_out } = &opts.mode {
            let json = model_json.expect("a learned model");
            self.check_cancel()?;
            output::write_file(model_out, &json)?;
            outputs.push(model_out.clone());
            // Learning writes no records: every document counts as seen and learned from.
            self.report.written = found.len() as u64;
            return Ok(self.summary(outputs));
        }

        let mut records: Spool<Vec<u8>> = Spool::new_in(&scratch)?;
        let mut order: Vec<usize> = Vec::new();
        let mut same_text: FxHashMap<usize, Vec<Duplicate>> = FxHashMap::default();
        self.timed(Stage::Clean, |run| {
            run.pass_two(
                &found,
                &model,
                &model_sha,
                &mut exact,
                &mut records,
                &mut order,
                &mut same_text,
            )
        })?;
        drop(found);

        self.timed(Stage::Write, |run| {
            run.check_cancel()?;
            match &out_dir {
                None => run.pass_three_stdout(&records, &order, &mut same_text),
                Some(dir) => {
                    // All three files are completed under temporary names first, and renamed
                    // together only then: a failure writing any of them replaces none.
                    let target = dir.join("clean.jsonl");
                    let mut file = AtomicFile::create(&target)?;
                    run.pass_three(&records, &order, &mut same_text, |bytes| {
                        file.write_all(bytes)
                    })?;
                    let mut finished = Vec::new();
                    let (clean, summary) = file.finish()?;
                    finished.push(clean);
                    run.report.outputs.insert("clean.jsonl".into(), summary);
                    if let Some(json) = &model_json {
                        let target = dir.join("model.json");
                        let (model, summary) = output::finish_file(&target, json)?;
                        run.report.outputs.insert("model.json".into(), summary);
                        finished.push(model);
                    }
                    let target = dir.join("report.json");
                    let (report, _) = output::finish_file(&target, &run.report.to_json())?;
                    run.check_cancel()?;
                    // Renames can still fail on a target that is a folder: check them all first.
                    let targets: Vec<PathBuf> = finished
                        .iter()
                        .map(|f| f.target().to_path_buf())
                        .chain([target])
                        .collect();
                    for target in &targets {
                        replaceable(target)?;
                    }
                    output::commit_set(finished, report)?;
                    outputs.extend(targets);
                    Ok(())
                }
            }
        })?;
        Ok(self.summary(outputs))
    }

    fn summary(self, outputs: Vec<PathBuf>) -> Summary {
        debug_assert!(self.report.balanced(), "{:?}", self.report);
        Summary {
            report: self.report,
            timings: self.timings,
            bytes_read: self.bytes_read,
            outputs,
        }
    }

    /// Pass 1: read, hash, dedup and extract every file; spool the documents.
    ///
    /// Files are opened a group at a time (in parallel); a container yields its parts as they
    /// are pulled, so a large one is read on in batches after its group, never held whole.
    fn pass_one(
        &mut self,
        files: &[SourceFile],
        found: &mut Spool<Found>,
        keys: &mut Spool<Keys>,
        exact: &mut FxHashMap<usize, Vec<Duplicate>>,
    ) -> Result<()> {
        let total: u64 = files.iter().map(|f| f.len).sum();
        self.observer
            .stage(Stage::Extract, files.len() as u64, total);
        let mut sink = Sink {
            index: ExactIndex::default(),
            found,
            keys,
            exact,
            batch: Vec::new(),
            batch_bytes: 0,
        };
        let mut start = 0;
        while start < files.len() {
            self.check_cancel()?;
            let mut end = start;
            let mut bytes = 0;
            while end < files.len()
                && end - start < CHUNK_FILES
                && (end == start || bytes + files[end].len <= CHUNK_BYTES)
            {
                bytes += files[end].len;
                end += 1;
            }
            let chunk = &files[start..end];
            let budget = (CHUNK_BYTES / chunk.len() as u64).max(1);
            let opened: Vec<Pulled> = chunk
                .par_iter()
                .map(|file| pull(container::open(file, &self.opts.container), budget))
                .collect();
            for (i, (items, rest)) in opened.into_iter().enumerate() {
                for item in items.into_iter().chain(rest.into_iter().flatten()) {
                    sink.batch_bytes += item.as_ref().map_or(0, |p| p.bytes.len() as u64);
                    sink.batch.push((start + i, item));
                    if sink.batch.len() >= CHUNK_FILES || sink.batch_bytes >= CHUNK_BYTES {
                        self.check_cancel()?;
                        self.take_batch(files, &mut sink)?;
                    }
                }
            }
            self.take_batch(files, &mut sink)?;
            self.observer.advance((end - start) as u64, bytes);
            start = end;
        }
        sink.found.flush()?;
        sink.keys.flush()?;
        Ok(())
    }

    /// Hashes, deduplicates and extracts a batch of parts, in order, and spools the documents.
    fn take_batch(&mut self, files: &[SourceFile], sink: &mut Sink<'_>) -> Result<()> {
        let batch = std::mem::take(&mut sink.batch);
        sink.batch_bytes = 0;
        let loaded: Vec<Result<Payload, Skipped>> = batch
            .into_par_iter()
            .map(|(file, item)| item.and_then(|part| payload(part, file)))
            .collect();
        let mut todo = Vec::new();
        for item in loaded {
            match item {
                Err(skipped) => self.skip(skipped)?,
                Ok(payload) => {
                    self.report.seen += 1;
                    self.bytes_read += payload.bytes.len() as u64;
                    let next = self.names.len() as u32;
                    match sink.index.insert(payload.sha256, next) {
                        Some(first) => {
                            self.report.duplicates.exact += 1;
                            sink.exact
                                .entry(first as usize)
                                .or_default()
                                .push(Duplicate {
                                    path: payload.name.text.clone(),
                                    path_hex: payload.name.hex.clone(),
                                    kind: DuplicateKind::Exact,
                                    of: None,
                                    similarity: None,
                                });
                        }
                        None => {
                            self.names.push(payload.name.clone());
                            todo.push(payload);
                        }
                    }
                }
            }
        }
        let extracted: Vec<(Found, Keys, Option<Signature>, Option<Failure>)> = todo
            .into_par_iter()
            .map(|payload| {
                let file = &files[payload.file];
                let hints = Hints {
                    extension: payload.extension.as_deref(),
                    url: payload.url.as_deref(),
                    charset: payload.charset.as_deref(),
                    html: Some(payload.html),
                };
                let (mut doc, failure) =
                    extract_guarded(extract::parse, &payload.bytes, payload.html, &hints);
                doc.notes.splice(0..0, payload.notes);
                doc.decoding.lossy |= payload.lossy;
                let site = doc
                    .meta
                    .host
                    .clone()
                    .unwrap_or_else(|| file.site_from_path().to_owned());
                let keys = Keys {
                    site: site.clone(),
                    keys: doc.lines.iter().filter_map(|l| l.key).collect(),
                };
                let signature = neardup::signature(
                    doc.lines
                        .iter()
                        .filter(|l| l.block.dropped.is_none())
                        .map(|l| l.text.as_str()),
                );
                let found = Found {
                    name: payload.name,
                    sha256: payload.sha256,
                    bytes: payload.bytes.len() as u64,
                    site,
                    container: payload.container.map(|c| to_json(&c)),
                    upstream: payload.upstream.map(|u| to_json(&u)),
                    doc,
                };
                let failure = failure.map(|message| Failure {
                    path: found.name.text.clone(),
                    stage: "extract",
                    message,
                });
                (found, keys, signature, failure)
            })
            .collect();
        for (doc, doc_keys, signature, failure) in extracted {
            self.report.failures.extend(failure);
            sink.found.push(&doc)?;
            sink.keys.push(&doc_keys)?;
            self.signatures.push(signature);
        }
        Ok(())
    }

    /// Counts every document's lines into a new model, one unit per document.
    fn learn(&mut self, keys: &Spool<Keys>) -> Result<LineModel> {
        self.observer.stage(Stage::Learn, keys.len() as u64, 0);
        let mut model = LineModel::new(self.opts.prune_above);
        let units = if self.opts.count_copies {
            Clusters::singletons(keys.len()).units()
        } else {
            self.clusters.units()
        };
        for chunk in units.chunks(CHUNK_UNITS) {
            self.check_cancel()?;
            let part = chunk
                .par_chunks(64)
                .map(|units| -> Result<LineModel> {
                    let mut local = LineModel::new(0);
                    let (mut sites, mut pairs) = (Vec::new(), Vec::new());
                    for unit in units {
                        sites.clear();
                        pairs.clear();
                        for &doc in unit {
                            let item = keys.get(doc)?;
                            let site = local.site_id(&item.site);
                            sites.push(site);
                            pairs.extend(item.keys.iter().map(|&k| (k, site)));
                        }
                        local
                            .add_unit(&mut sites, &mut pairs)
                            .map_err(Error::ModelCounts)?;
                    }
                    Ok(local)
                })
                .try_reduce(LineModel::default, |mut a, b| {
                    a.merge(&b).map_err(Error::ModelCounts)?;
                    Ok(a)
                })?;
            model.merge(&part).map_err(Error::ModelCounts)?;
            model.prune_if_needed();
            self.observer.advance(chunk.len() as u64, 0);
        }
        Ok(model)
    }

    /// Pass 2: clean every document and spool its record; fold same-text copies.
    #[allow(clippy::too_many_arguments)]
    fn pass_two(
        &mut self,
        found: &Spool<Found>,
        model: &LineModel,
        model_sha: &str,
        exact: &mut FxHashMap<usize, Vec<Duplicate>>,
        records: &mut Spool<Vec<u8>>,
        order: &mut Vec<usize>,
        same_text: &mut FxHashMap<usize, Vec<Duplicate>>,
    ) -> Result<()> {
        self.observer.stage(Stage::Clean, found.len() as u64, 0);
        let mut first_with_id: FxHashMap<Sha256Digest, usize> = FxHashMap::default();
        let indices: Vec<usize> = (0..found.len()).collect();
        for chunk in indices.chunks(CHUNK_DOCS) {
            self.check_cancel()?;
            let built: Vec<Built> = chunk
                .par_iter()
                .map(|&i| -> Result<Built> {
                    let item = found.get(i)?;
                    let dups = exact.get(&i).cloned().unwrap_or_default();
                    Ok(build(i, item, model, model_sha, &self.opts.clean, dups))
                })
                .collect::<Result<_>>()?;
            for mut b in built {
                self.report.failures.extend(b.failure.take());
                if let Some(&first) = first_with_id.get(&b.id) {
                    self.report.duplicates.same_text += 1;
                    let list = same_text.entry(first).or_default();
                    list.push(Duplicate {
                        path: b.record.source.path.clone(),
                        path_hex: b.record.source.path_hex.clone(),
                        kind: DuplicateKind::SameText,
                        of: None,
                        similarity: None,
                    });
                    for mut copy in exact.remove(&b.index).unwrap_or_default() {
                        copy.of = Some(b.record.source.path.clone());
                        list.push(copy);
                    }
                    continue;
                }
                first_with_id.insert(b.id, b.index);
                exact.remove(&b.index);
                self.count(&b.record);
                if let Some(dir) = &self.opts.text_dir {
                    let name = SourcePath {
                        text: b.record.source.path.clone(),
                        hex: b.record.source.path_hex.clone(),
                    };
                    let target = dir.join(name.relative_path("txt"));
                    if let Some(parent) = target.parent() {
                        std::fs::create_dir_all(parent).map_err(|source| Error::Output {
                            path: parent.to_path_buf(),
                            source,
                        })?;
                    }
                    output::write_file(&target, b.record.text.as_bytes())?;
                }
                records.push(&b.record.to_line())?;
                order.push(b.index);
            }
            self.observer.advance(chunk.len() as u64, 0);
        }
        records.flush()
    }

    fn count(&mut self, record: &Record) {
        let r = &mut self.report;
        r.written += 1;
        r.lines.total += record.lines.total as u64;
        r.lines.kept += record.lines.kept as u64;
        r.lines.removed += record.lines.removed.len() as u64;
        r.lines.uncertain += record.lines.uncertain.len() as u64;
        if record.source.lossy {
            r.decoding.lossy += 1;
        }
        if record.source.encoding_from == crate::decode::EncodingSource::Guessed {
            r.decoding.guessed += 1;
        }
        for removed in &record.lines.removed {
            *r.removed.entry(removed.reason).or_default() += 1;
        }
    }

    /// Pass 3: stream the spooled records out, folding same-text copies into their record.
    fn pass_three(
        &mut self,
        records: &Spool<Vec<u8>>,
        order: &[usize],
        same_text: &mut FxHashMap<usize, Vec<Duplicate>>,
        mut write: impl FnMut(&[u8]) -> Result<()>,
    ) -> Result<()> {
        self.observer.stage(Stage::Write, records.len() as u64, 0);
        // Near-duplicates link the written members of a cluster to each other.
        let mut written = vec![false; self.names.len()];
        for &doc in order {
            written[doc] = true;
        }
        let mut members: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        for unit in self.clusters.units() {
            let unit: Vec<usize> = unit.into_iter().filter(|&d| written[d]).collect();
            if unit.len() > 1 {
                members.insert(self.clusters.first(unit[0]), unit);
            }
        }
        for (n, &doc) in order.iter().enumerate() {
            if n % CHUNK_DOCS == 0 {
                self.check_cancel()?;
            }
            let line = records.get(n)?;
            let mut extra = same_text.remove(&doc).unwrap_or_default();
            if let Some(unit) = members.get(&self.clusters.first(doc)) {
                self.report.near_duplicates += 1;
                for &other in unit.iter().filter(|&&o| o != doc) {
                    let (Some(a), Some(b)) = (&self.signatures[doc], &self.signatures[other])
                    else {
                        continue;
                    };
                    let similarity = (neardup::similarity(a, b) * 100.0).round() / 100.0;
                    extra.push(Duplicate {
                        path: self.names[other].text.clone(),
                        path_hex: self.names[other].hex.clone(),
                        kind: DuplicateKind::Near,
                        of: None,
                        similarity: Some(similarity),
                    });
                }
            }
            if extra.is_empty() {
                write(&line)?;
            } else {
                let mut record: Record =
                    serde_json::from_slice(&line).expect("spooled records are valid JSON");
                record.duplicates.extend(extra);
                sort_duplicates(&mut record.duplicates);
                write(&record.to_line())?;
            }
        }
        self.observer.advance(records.len() as u64, 0);
        Ok(())
    }

    fn pass_three_stdout(
        &mut self,
        records: &Spool<Vec<u8>>,
        order: &[usize],
        same_text: &mut FxHashMap<usize, Vec<Duplicate>>,
    ) -> Result<()> {
        use std::io::Write;
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let fail = |source| Error::Output {
            path: PathBuf::from("<stdout>"),
            source,
        };
        self.pass_three(records, order, same_text, |bytes| {
            out.write_all(bytes).map_err(fail)
        })?;
        out.flush().map_err(fail)
    }
}

/// A cleaned document, ready to be written.
struct Built {
    index: usize,
    id: Sha256Digest,
    record: Record,
    /// The cleaner failed and every line was kept.
    failure: Option<Failure>,
}

/// Runs `f`, turning a panic into its message, so that one document that trips a bug in chaff
/// is reported instead of ending the whole run. (The panic message is also printed on stderr by
/// the standard panic hook.)
fn guarded<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned())
    })
}

/// Extracts a payload; if the extractor fails (a bug in chaff), reads it as plain text instead
/// (or as nothing, if that fails too), notes it in the document and returns the message.
/// (`parse` is [`extract::parse`]; tests pass one that fails.)
fn extract_guarded(
    parse: fn(&[u8], bool, &Hints<'_>) -> Document,
    bytes: &[u8],
    html: bool,
    hints: &Hints<'_>,
) -> (Document, Option<String>) {
    let why = match guarded(|| parse(bytes, html, hints)) {
        Ok(doc) => return (doc, None),
        Err(why) => why,
    };
    let (mut doc, fallback) = match guarded(|| parse(bytes, false, hints)) {
        Ok(doc) if html => (doc, "read as plain text instead"),
        _ => (Document::nothing(html), "no lines were read"),
    };
    let message = format!("internal error in extraction ({why}); {fallback}");
    doc.notes.push(message.clone());
    (doc, Some(message))
}

/// Cleans one document and builds its record.
fn build(
    index: usize,
    mut item: Found,
    model: &LineModel,
    model_sha: &str,
    opts: &CleanOptions,
    mut duplicates: Vec<Duplicate>,
) -> Built {
    let learning = Learning {
        model,
        site: model.find_site(&item.site),
    };
    let (cleaned, failure) = match guarded(|| clean::apply(&item.doc, learning, opts)) {
        Ok(cleaned) => (cleaned, None),
        Err(why) => {
            let message = format!("internal error in cleaning ({why}); every line was kept");
            (clean::Cleaned::keep_all(&item.doc), Some(message))
        }
    };
    let mut notes = std::mem::take(&mut item.doc.notes);
    notes.extend(failure.clone());
    let text = cleaned.text(&item.doc);
    let id = record::id_of(&text);
    let lines = &item.doc.lines;
    let removed = cleaned
        .removed()
        .map(|(i, reason)| Removed {
            line: lines[i].number,
            text: lines[i].text.clone(),
            reason,
        })
        .collect();
    let uncertain = cleaned
        .notes
        .iter()
        .map(|note| Uncertain {
            line: lines[note.index].number,
            text: lines[note.index].text.clone(),
            rule: note.rule,
            why: note.why.clone(),
        })
        .collect();
    sort_duplicates(&mut duplicates);
    let meta = &item.doc.meta;
    let title = meta
        .title
        .clone()
        .or_else(|| cleaned.title.map(|i| lines[i].text.trim().to_owned()));
    let record = Record {
        schema: record::SCHEMA.to_owned(),
        id: id.hex(),
        source: record::Source {
            path: item.name.text,
            path_hex: item.name.hex,
            sha256: item.sha256.hex(),
            bytes: item.bytes,
            format: item.doc.format,
            encoding: item.doc.decoding.encoding.clone(),
            encoding_from: item.doc.decoding.from,
            lossy: item.doc.decoding.lossy,
            container: item
                .container
                .and_then(|json| serde_json::from_str::<ContainerRef>(&json).ok()),
            notes,
            upstream: item
                .upstream
                .and_then(|json| serde_json::from_str(&json).ok()),
        },
        duplicates,
        site: item.site,
        url: meta.url.clone(),
        title,
        author: meta.author.clone(),
        published: meta.published.clone(),
        language: meta.language.clone(),
        lines: Lines {
            total: lines.iter().filter(|l| !l.is_blank()).count(),
            kept: cleaned.kept(),
            removed,
            uncertain,
        },
        text,
        model: model_sha.to_owned(),
    };
    let failure = failure.map(|message| Failure {
        path: record.source.path.clone(),
        stage: "clean",
        message,
    });
    Built {
        index,
        id,
        record,
        failure,
    }
}

fn sort_duplicates(duplicates: &mut [Duplicate]) {
    duplicates.sort_by(|a, b| {
        Path::new(&a.path)
            .cmp(Path::new(&b.path))
            .then(a.kind.cmp(&b.kind))
    });
}

/// Parts pulled from a file, and the rest of them if there may be more.
type Pulled = (Vec<Result<Part, Skipped>>, Option<container::Parts>);

/// Pulls parts until they hold `budget` bytes; gives them, and the rest if there may be more.
fn pull(mut parts: container::Parts, budget: u64) -> Pulled {
    let mut items = Vec::new();
    let mut bytes = 0;
    while bytes < budget {
        match parts.next() {
            Some(item) => {
                bytes += item.as_ref().map_or(0, |p| p.bytes.len() as u64);
                items.push(item);
            }
            None => return (items, None),
        }
    }
    (items, Some(parts))
}

/// Hashes one part and says whether it is a document at all.
fn payload(part: Part, file: usize) -> std::result::Result<Payload, Skipped> {
    let html = match extract::sniff(&part.bytes, part.extension.as_deref()) {
        Ok(sniffed) => part.html.unwrap_or(sniffed),
        Err(not) => {
            let (kind, message) = match not {
                extract::NotADocument::Empty => (SkipKind::Empty, "empty file".to_owned()),
                extract::NotADocument::Binary(what) => {
                    (SkipKind::Binary, format!("not text: looks like {what}"))
                }
            };
            return Err(Skipped::new(part.name, kind, message));
        }
    };
    Ok(Payload {
        name: part.name,
        file,
        sha256: dedup::sha256(&part.bytes),
        bytes: part.bytes,
        html,
        extension: part.extension,
        url: part.url,
        charset: part.charset,
        container: part.container,
        notes: part.notes,
        lossy: part.lossy,
        upstream: part.upstream,
    })
}

/// Checks that an output file can be replaced: it does not exist, or is not a folder.
fn replaceable(target: &Path) -> Result<()> {
    match std::fs::symlink_metadata(target) {
        Ok(meta) if meta.is_dir() => Err(Error::Output {
            path: target.to_path_buf(),
            source: std::io::Error::other("a folder is in the way"),
        }),
        _ => Ok(()),
    }
}

/// Checks that an output folder exists and is a folder.
fn check_dir(dir: &Path) -> Result<()> {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(Error::Output {
            path: dir.to_path_buf(),
            source: std::io::Error::other("not a folder"),
        }),
        Err(source) => Err(Error::Output {
            path: dir.to_path_buf(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An HTML extractor with a bug: it fails on every page.
    fn broken_html(bytes: &[u8], html: bool, hints: &Hints<'_>) -> Document {
        assert!(!html, "the HTML extractor fails");
        extract::parse(bytes, html, hints)
    }

    /// An extractor that fails on everything.
    fn broken(_: &[u8], _: bool, _: &Hints<'_>) -> Document {
        panic!("the extractor fails")
    }

    #[test]
    fn a_failing_html_extractor_falls_back_to_text_and_says_so() {
        let page = b"<p>First paragraph of the story.</p>\n<p>Second one.</p>";
        let (doc, failure) = extract_guarded(broken_html, page, true, &Hints::default());
        let message = failure.expect("the failure is returned");
        assert!(message.contains("the HTML extractor fails"), "{message}");
        assert!(message.contains("read as plain text"), "{message}");
        assert_eq!(doc.notes, [message]);
        let texts: Vec<&str> = doc.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0].contains("First paragraph"), "{texts:?}");
    }

    #[test]
    fn an_extractor_that_always_fails_leaves_an_empty_document() {
        let (doc, failure) = extract_guarded(broken, b"some text", false, &Hints::default());
        let message = failure.expect("the failure is returned");
        assert!(message.contains("no lines were read"), "{message}");
        assert!(doc.lines.is_empty());
        assert_eq!(doc.notes, [message]);
    }

    #[test]
    fn a_working_extractor_is_not_touched() {
        let hints = Hints::default();
        let (doc, failure) = extract_guarded(extract::parse, b"one\ntwo", false, &hints);
        assert_eq!(failure, None);
        assert!(doc.notes.is_empty());
        assert_eq!(doc.lines.len(), 2);
    }
}
