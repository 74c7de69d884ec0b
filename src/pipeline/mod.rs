//! The pipeline: composes the stages into the `run`, `learn` and `clean` commands.
//!
//! ```text
//!  walk ─► scan (read, SHA-256, exact dedup, extract) ─► rows spool        per chunk of files
//!                                  │
//!           dedup: near-duplicate clusters ◄─┘                             barrier
//!                                  │
//!           learn: one unit per cluster ─► model                           barrier
//!                                  │
//!  clean (verdicts ─► record) ─► same-text dedup ─► record spool           per chunk of documents
//!                                  │
//!  write: fold copies and clusters in ─► clean.jsonl, model.json, report.json   streaming
//! ```
//!
//! The stages are modules of their own, each owning the type it produces: [`crate::scan`]
//! ([`Row`]), [`crate::dedup`] (the decisions), [`crate::learn`] ([`LineModel`]),
//! [`crate::clean`] (the verdicts), [`crate::write`] (records and the output set). This module
//! only schedules them: the thread pool, chunking, cancellation, timings, and the spools that
//! hold documents between stages. [`clean_document`] is the per-document work that `run`,
//! `clean`, `explain` and the `stage clean` command share.
//!
//! Every file is read and parsed once. Per-item work runs in parallel on a rayon pool of
//! `--threads` workers; this module is the only one that uses rayon. Work is cut into chunks in
//! the run's order; within a chunk, `par_iter().map()` keeps the order, and barrier steps (dedup,
//! counting, writing) walk each chunk in order, so the output does not depend on the number of
//! threads. Memory holds one chunk of documents at a time, the model, and per document its name
//! and near-duplicate signature.

pub mod files;

use crate::clean::{self, CleanOptions, Learning};
use crate::container::{self, ContainerOptions, Part};
use crate::dedup::{self, Clusters, FirstSeen};
use crate::digest::{Sha256Digest, sha256};
use crate::error::{Error, Result};
use crate::format::FormatOptions;
use crate::guard::guarded;
use crate::learn::{self, Member};
use crate::model::LineModel;
use crate::neardup::Signature;
use crate::record::{self, Duplicate, DuplicateKind, Record};
use crate::report::{Failure, ModelSummary, Report};
use crate::scan::{self, Row};
use crate::sink::SinkOptions;
use crate::source::{SkipKind, Skipped, SourceFile, SourcePath, input_name};
use crate::spool::Spool;
use crate::walk::{self, WalkOptions};
use crate::write::{self, Sink};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Files scanned per chunk (the chunk is also cut at [`CHUNK_BYTES`]).
const CHUNK_FILES: usize = 512;
/// Bytes read per chunk of the scan, at most (a single larger file is a chunk of its own).
const CHUNK_BYTES: u64 = 64 << 20;
/// Documents cleaned per chunk.
const CHUNK_DOCS: usize = 1024;
/// Units counted per chunk of learning; the model may be pruned between chunks.
const CHUNK_UNITS: usize = 4096;

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
    /// How each record is written (chaff or Dolma; removed lines listed or counted).
    pub format: FormatOptions,
    /// How the records file is named, compressed and cut into shards.
    pub sink: SinkOptions,
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
            format: FormatOptions::default(),
            sink: SinkOptions::default(),
            prune_above: 1 << 25,
            count_copies: false,
            cancel: None,
        }
    }
}

/// A stage of the pipeline, for progress and timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Loading a model file (`--model`).
    Model,
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
            Stage::Model => "load model",
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
    /// The folder of the scratch files (the spool between the stages: the output folder, or the
    /// system's temporary folder for `learn` and `-o -`).
    pub scratch_dir: PathBuf,
    /// The most bytes the scratch files held at once.
    pub scratch_peak: u64,
}

/// Runs the pipeline; see the module docs.
pub fn run(opts: &RunOptions, observer: &dyn Observer) -> Result<Summary> {
    check_thresholds(&opts.clean)?;
    in_pool(opts.threads, || Run::new(opts, observer).go())
}

/// Refuses thresholds the cleaner cannot use.
pub(crate) fn check_thresholds(opts: &CleanOptions) -> Result<()> {
    if opts.min_units < 2 {
        return Err(Error::Usage("--min-units must be at least 2".into()));
    }
    Ok(())
}

/// Runs `f` on a pool of `threads` workers (0: one per core).
pub(crate) fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    pool(threads)?.install(f)
}

/// A pool of `threads` workers (0: one per core).
pub(crate) fn pool(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| Error::Threads { threads, source })
}

/// What the scan leaves for the later stages: every document not an exact copy, in order.
struct Scanned {
    /// The rows (documents with what was extracted).
    rows: Spool<Row>,
    /// What learning needs of each row.
    members: Spool<Member>,
    /// Each row's name.
    names: Vec<SourcePath>,
    /// Each row's near-duplicate signature.
    signatures: Vec<Option<Signature>>,
    /// The exact copies of each row that has some.
    exact: FxHashMap<usize, Vec<Duplicate>>,
}

/// Parts read but not yet hashed and extracted: `(file, number of the part in the file, part)`.
#[derive(Default)]
struct Batch {
    parts: Vec<(usize, u32, std::result::Result<Part, Skipped>)>,
    bytes: u64,
}

/// Parts pulled from a file, and the rest of them if there may be more.
type Pulled = (
    Vec<std::result::Result<Part, Skipped>>,
    Option<container::Parts>,
);

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

/// What cleaning leaves for writing: the records of the documents to write, in order.
struct Written {
    /// Record lines, without the copies and clusters only the whole run knows.
    records: Spool<Vec<u8>>,
    /// The row of each record.
    rows: Vec<usize>,
    /// The same-text copies (and their exact copies) of each written row that has some.
    same_text: FxHashMap<usize, Vec<Duplicate>>,
}

struct Run<'a> {
    opts: &'a RunOptions,
    observer: &'a dyn Observer,
    report: Report,
    timings: Vec<(Stage, Duration)>,
    bytes_read: u64,
    /// The first document with each SHA-256 (exact dedup, as the scan goes).
    exact_index: FirstSeen,
    /// Where the scratch files go, and the most they held at once.
    scratch_dir: PathBuf,
    scratch_peak: u64,
    /// When the run started (for the report's `elapsed_seconds`).
    started: Instant,
}

impl<'a> Run<'a> {
    fn new(opts: &'a RunOptions, observer: &'a dyn Observer) -> Run<'a> {
        let inputs = opts
            .inputs
            .iter()
            .map(|i| input_name(i).to_string_lossy().into_owned())
            .collect();
        let mut report = Report::new(inputs);
        report.options = crate::report::settings(opts);
        Run {
            opts,
            observer,
            report,
            timings: Vec::new(),
            bytes_read: 0,
            exact_index: FirstSeen::default(),
            scratch_dir: PathBuf::new(),
            scratch_peak: 0,
            started: Instant::now(),
        }
    }

    fn check_cancel(&self) -> Result<()> {
        check_cancel(self.opts.cancel.as_deref())
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
                write::check_out_dir(dir, &opts.sink)?;
                Some(dir.clone())
            }
        };
        // One run per output folder; what a killed run left there goes.
        let _lock = out_dir
            .as_deref()
            .map(crate::output::OutputLock::acquire)
            .transpose()?;
        if let Some(dir) = &out_dir {
            self.report.stale_removed = crate::output::remove_stale(dir)?;
        }
        if let Mode::Learn { model_out } = &opts.mode
            && model_out.as_os_str() != "-"
        {
            let parent = model_out.parent().filter(|p| !p.as_os_str().is_empty());
            write::check_dir(parent.unwrap_or(Path::new(".")))?;
        }
        if let Some(dir) = &opts.text_dir {
            write::check_dir(dir)?;
        }
        let given_model = match &opts.mode {
            Mode::Clean { model } => Some(self.load_model(model)?),
            _ => None,
        };
        let prior = match (&opts.mode, &opts.prior) {
            (Mode::Clean { .. }, _) | (_, None) => None,
            (_, Some(path)) => Some(self.load_model(path)?.0),
        };
        let scratch = out_dir.clone().unwrap_or_else(std::env::temp_dir);
        self.scratch_dir = scratch.clone();

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

        let mut scanned = self.timed(Stage::Extract, |run| run.scan(&walked.files, &scratch))?;
        self.scratch_peak = scanned.rows.bytes() + scanned.members.bytes();
        let clusters = self.timed(Stage::Cluster, |_| Ok(dedup::clusters(&scanned.signatures)))?;
        let (model, model_sha, model_json) = match given_model {
            Some((model, sha)) => (model, sha, None),
            None => {
                let mut model =
                    self.timed(Stage::Learn, |run| run.learn(&scanned.members, &clusters))?;
                if let (Some(prior), Some(path)) = (&prior, &opts.prior) {
                    model.merge(prior).map_err(|e| Error::ModelInvalid {
                        path: path.clone(),
                        problem: format!("cannot be added to the new counts: {e}"),
                    })?;
                }
                let json = model.to_json();
                let sha = sha256(&json).hex();
                (model, sha, Some(json))
            }
        };
        self.report.model = ModelSummary {
            sha256: model_sha.clone(),
            units: model.units(),
            sites: model.site_count() as u64,
            lines: model.len() as u64,
        };

        if let Mode::Learn { model_out } = &opts.mode {
            let json = model_json.expect("a learned model");
            self.check_cancel()?;
            // Learning writes no records: every document counts as seen and learned from.
            self.report.written = scanned.rows.len() as u64;
            if model_out.as_os_str() == "-" {
                crate::sink::write_stdout(&json)?;
                return Ok(self.summary(Vec::new()));
            }
            crate::output::write_file(model_out, &json)?;
            return Ok(self.summary(vec![model_out.clone()]));
        }

        let written = self.timed(Stage::Clean, |run| {
            run.clean(&mut scanned, &model, &model_sha, &scratch)
        })?;
        self.scratch_peak += written.records.bytes();
        let outputs = self.timed(Stage::Write, |run| {
            run.check_cancel()?;
            let sink = Sink::open(out_dir.as_deref(), &opts.sink)?;
            run.write(
                &scanned,
                &clusters,
                written,
                sink,
                out_dir.as_deref(),
                model_json,
            )
        })?;
        Ok(self.summary(outputs))
    }

    fn summary(mut self, outputs: Vec<PathBuf>) -> Summary {
        if self.report.elapsed_seconds == 0.0 {
            self.report.elapsed_seconds = elapsed_seconds(self.started);
        }
        debug_assert!(self.report.balanced(), "{:?}", self.report);
        Summary {
            report: self.report,
            timings: self.timings,
            bytes_read: self.bytes_read,
            outputs,
            scratch_dir: self.scratch_dir,
            scratch_peak: self.scratch_peak,
        }
    }

    /// Reads a model file ([`load_model`]), timed and shown as [`Stage::Model`].
    fn load_model(&mut self, path: &Path) -> Result<(LineModel, String)> {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        self.observer.stage(Stage::Model, 1, size);
        let prune_above = self.opts.prune_above;
        let loaded = self.timed(Stage::Model, |_| load_model(path, prune_above))?;
        self.observer.advance(1, size);
        Ok(loaded)
    }

    /// Scan: read, hash and (unless an exact copy) extract every file; spool the rows.
    ///
    /// Files are opened a chunk at a time (in parallel); a container yields its parts as they
    /// are pulled, so a large one is read on in batches after its chunk, never held whole.
    fn scan(&mut self, files: &[SourceFile], scratch: &Path) -> Result<Scanned> {
        let total: u64 = files.iter().map(|f| f.len).sum();
        self.observer
            .stage(Stage::Extract, files.len() as u64, total);
        let mut scanned = Scanned {
            rows: Spool::new_in(scratch)?,
            members: Spool::new_in(scratch)?,
            names: Vec::new(),
            signatures: Vec::new(),
            exact: FxHashMap::default(),
        };
        let mut batch = Batch::default();
        for (start, end, bytes) in file_chunks(files) {
            self.check_cancel()?;
            let chunk = &files[start..end];
            let budget = (CHUNK_BYTES / chunk.len() as u64).max(1);
            let opened: Vec<Pulled> = chunk
                .par_iter()
                .map(|file| pull(container::open(file, &self.opts.container), budget))
                .collect();
            for (i, (items, rest)) in opened.into_iter().enumerate() {
                let parts = items.into_iter().chain(rest.into_iter().flatten());
                for (n, item) in parts.enumerate() {
                    batch.bytes += item.as_ref().map_or(0, |p| p.bytes.len() as u64);
                    batch.parts.push((start + i, n as u32, item));
                    if batch.parts.len() >= CHUNK_FILES || batch.bytes >= CHUNK_BYTES {
                        self.check_cancel()?;
                        self.scan_batch(files, &mut batch, &mut scanned)?;
                    }
                }
            }
            self.scan_batch(files, &mut batch, &mut scanned)?;
            self.observer.advance((end - start) as u64, bytes);
        }
        scanned.rows.flush()?;
        scanned.members.flush()?;
        Ok(scanned)
    }

    /// Hashes, deduplicates and extracts a batch of parts, in order, and spools the rows.
    fn scan_batch(
        &mut self,
        files: &[SourceFile],
        batch: &mut Batch,
        scanned: &mut Scanned,
    ) -> Result<()> {
        let parts = std::mem::take(&mut batch.parts);
        batch.bytes = 0;
        let hashed: Vec<(usize, Result<scan::Payload, Skipped>)> = parts
            .into_par_iter()
            .map(|(file, n, item)| {
                let order = || scan::order_key(&files[file].name, n);
                (file, item.and_then(|part| scan::payload(part, order())))
            })
            .collect();
        let mut todo = Vec::new();
        for (file, payload) in hashed {
            let payload = match payload {
                Err(skipped) => {
                    self.skip(skipped)?;
                    continue;
                }
                Ok(payload) => payload,
            };
            self.report.seen += 1;
            self.bytes_read += payload.bytes.len() as u64;
            let next = scanned.names.len() as u32;
            match self.exact_index.insert(payload.sha256, next) {
                Some(first) => {
                    self.report.duplicates.exact += 1;
                    let copies = scanned.exact.entry(first as usize).or_default();
                    copies.push(duplicate(&payload.name, DuplicateKind::Exact));
                }
                None => {
                    scanned.names.push(payload.name.clone());
                    todo.push((payload, &files[file]));
                }
            }
        }
        let extracted: Vec<(Row, Option<Signature>)> = todo
            .into_par_iter()
            .map(|(payload, file)| scan::extract(payload, file))
            .collect();
        for (row, signature) in extracted {
            self.report
                .failures
                .extend(row.failure.as_ref().map(|message| Failure {
                    path: row.name.text.clone(),
                    stage: "extract",
                    message: message.clone(),
                }));
            scanned.members.push(&Member {
                site: row.site.clone(),
                keys: row.keys(),
            })?;
            scanned.rows.push(&row)?;
            scanned.signatures.push(signature);
        }
        Ok(())
    }

    /// Learn: counts every unit (a near-duplicate cluster, or a document) into a new model.
    fn learn(&mut self, members: &Spool<Member>, clusters: &Clusters) -> Result<LineModel> {
        self.observer.stage(Stage::Learn, members.len() as u64, 0);
        let mut model = LineModel::new(self.opts.prune_above);
        let units = if self.opts.count_copies {
            Clusters::singletons(members.len()).units()
        } else {
            clusters.units()
        };
        for chunk in units.chunks(CHUNK_UNITS) {
            self.check_cancel()?;
            let part = chunk
                .par_chunks(64)
                .map(|units| -> Result<LineModel> {
                    let loaded = units
                        .iter()
                        .map(|unit| unit.iter().map(|&doc| members.get(doc)).collect())
                        .collect::<Result<Vec<Vec<Member>>>>()?;
                    let mut local = LineModel::new(0);
                    learn::count(&mut local, loaded.iter().map(|unit| unit.iter()))
                        .map_err(Error::ModelCounts)?;
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

    /// Clean: every row's record, spooled; same-text copies folded into the first; documents
    /// that clean to nothing reported, with their exact copies.
    fn clean(
        &mut self,
        scanned: &mut Scanned,
        model: &LineModel,
        model_sha: &str,
        scratch: &Path,
    ) -> Result<Written> {
        let rows = &scanned.rows;
        self.observer.stage(Stage::Clean, rows.len() as u64, 0);
        let mut written = Written {
            records: Spool::new_in(scratch)?,
            rows: Vec::new(),
            same_text: FxHashMap::default(),
        };
        let mut first_with_id = FirstSeen::default();
        let indices: Vec<usize> = (0..rows.len()).collect();
        for chunk in indices.chunks(CHUNK_DOCS) {
            self.check_cancel()?;
            let built: Vec<Built> = chunk
                .par_iter()
                .map(|&i| -> Result<Built> {
                    let row = rows.get(i)?;
                    Ok(clean_document(row, model, model_sha, &self.opts.clean))
                })
                .collect::<Result<_>>()?;
            for (&i, b) in chunk.iter().zip(built) {
                self.report.failures.extend(b.failure);
                let record = b.record;
                if record.text.is_empty() {
                    self.empty_output(&record, scanned.exact.remove(&i))?;
                    continue;
                }
                if let Some(first) = first_with_id.insert(b.id, i as u32) {
                    self.report.duplicates.same_text += 1;
                    let copies = scanned.exact.remove(&i).unwrap_or_default();
                    let site = self.report.sites.entry(record.site.clone()).or_default();
                    site.duplicates += 1 + copies.len() as u64;
                    let list = written.same_text.entry(first as usize).or_default();
                    list.push(Duplicate {
                        path: record.source.path.clone(),
                        path_hex: record.source.path_hex.clone(),
                        kind: DuplicateKind::SameText,
                        of: None,
                    });
                    for mut copy in copies {
                        copy.of = Some(record.source.path.clone());
                        list.push(copy);
                    }
                    continue;
                }
                let copies = scanned.exact.get(&i).map_or(0, Vec::len);
                write::count(&mut self.report, &record, copies);
                if let Some(dir) = &self.opts.text_dir {
                    write::text_file(dir, &record)?;
                }
                written.records.push(&record.to_line())?;
                written.rows.push(i);
            }
            self.observer.advance(chunk.len() as u64, 0);
        }
        written.records.flush()?;
        Ok(written)
    }

    /// Reports a document that cleaned to nothing, and its exact copies, as skipped.
    fn empty_output(&mut self, record: &Record, copies: Option<Vec<Duplicate>>) -> Result<()> {
        let name = SourcePath {
            text: record.source.path.clone(),
            hex: record.source.path_hex.clone(),
        };
        let message = empty_message(record);
        // Each was counted as seen when it was read; skipping counts it again.
        self.report.seen -= 1;
        let why = format!("an exact copy of {name}, which {message}");
        self.skip(Skipped::new(name, SkipKind::EmptyOutput, message))?;
        for copy in copies.unwrap_or_default() {
            self.report.duplicates.exact -= 1;
            self.report.seen -= 1;
            let copy_name = SourcePath {
                text: copy.path,
                hex: copy.path_hex,
            };
            self.skip(Skipped::new(copy_name, SkipKind::EmptyOutput, why.clone()))?;
        }
        Ok(())
    }

    /// Write: streams the records out, with their copies and near-duplicate clusters folded in,
    /// and commits the outputs.
    fn write(
        &mut self,
        scanned: &Scanned,
        clusters: &Clusters,
        mut written: Written,
        mut sink: Sink,
        out_dir: Option<&Path>,
        model_json: Option<Vec<u8>>,
    ) -> Result<Vec<PathBuf>> {
        let records = &written.records;
        self.observer.stage(Stage::Write, records.len() as u64, 0);
        let mut is_written = vec![false; scanned.names.len()];
        for &row in &written.rows {
            is_written[row] = true;
        }
        let groups = clusters.written_groups(&is_written);
        for (n, &row) in written.rows.iter().enumerate() {
            if n % CHUNK_DOCS == 0 {
                self.check_cancel()?;
            }
            let mut extra = scanned.exact.get(&row).cloned().unwrap_or_default();
            extra.extend(written.same_text.remove(&row).unwrap_or_default());
            let near = groups.get(&clusters.first(row)).map(|members| {
                self.report.near_duplicates += 1;
                dedup::near_of(row, members, &scanned.names, &scanned.signatures)
            });
            let line = write::fold(records.get(n)?, extra, near, &self.opts.format);
            sink.write(&line)?;
        }
        self.observer.advance(records.len() as u64, 0);
        let json = model_json.as_deref();
        let cancel = self.opts.cancel.clone();
        // The report is written last, so its time covers all but the renames.
        self.report.elapsed_seconds = elapsed_seconds(self.started);
        write::commit(sink, out_dir, json, &mut self.report, || {
            check_cancel(cancel.as_deref())
        })
    }
}

/// Seconds since `started`, to the millisecond (for the report's `elapsed_seconds`).
fn elapsed_seconds(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1e3).round() / 1e3
}

/// Stops a run whose cancel flag is set.
fn check_cancel(flag: Option<&AtomicBool>) -> Result<()> {
    match flag {
        Some(flag) if flag.load(Ordering::Relaxed) => Err(Error::Interrupted),
        _ => Ok(()),
    }
}

/// Cuts the files into chunks of at most [`CHUNK_FILES`] files and [`CHUNK_BYTES`] bytes:
/// `(start, end, bytes)`.
fn file_chunks(files: &[SourceFile]) -> Vec<(usize, usize, u64)> {
    let mut chunks = Vec::new();
    let mut start = 0;
    while start < files.len() {
        let (mut end, mut bytes) = (start, 0);
        while end < files.len()
            && end - start < CHUNK_FILES
            && (end == start || bytes + files[end].len <= CHUNK_BYTES)
        {
            bytes += files[end].len;
            end += 1;
        }
        chunks.push((start, end, bytes));
        start = end;
    }
    chunks
}

/// A duplicate entry naming `name`.
fn duplicate(name: &SourcePath, kind: DuplicateKind) -> Duplicate {
    Duplicate {
        path: name.text.clone(),
        path_hex: name.hex.clone(),
        kind,
        of: None,
    }
}

/// Why a document's record would have no text.
fn empty_message(record: &Record) -> String {
    if record.lines.total == 0 {
        return "has no text to keep: no line was read from it".to_owned();
    }
    let mut by_reason: std::collections::BTreeMap<&str, usize> = Default::default();
    for removed in &record.lines.removed {
        *by_reason.entry(removed.reason.name()).or_default() += 1;
    }
    let reasons: Vec<String> = by_reason.iter().map(|(r, n)| format!("{r} {n}")).collect();
    format!(
        "cleaned to nothing: all {} lines were removed ({})",
        record.lines.total,
        reasons.join(", ")
    )
}

/// Reads a model file and names it by the SHA-256 of its bytes.
pub(crate) fn load_model(path: &Path, prune_above: usize) -> Result<(LineModel, String)> {
    let bytes = std::fs::read(path).map_err(|source| Error::ModelRead {
        path: path.to_path_buf(),
        source,
    })?;
    let model = LineModel::from_json(&bytes, path, prune_above)?;
    Ok((model, sha256(&bytes).hex()))
}

/// A cleaned document: its record (without the copies and clusters only the whole run knows),
/// the record's id, and the failure to clean it, if chaff failed.
pub(crate) struct Built {
    /// SHA-256 of the record's text.
    pub id: Sha256Digest,
    /// The record.
    pub record: Record,
    /// The cleaner failed (a bug in chaff) and every line was kept.
    pub failure: Option<Failure>,
}

/// The cleaner's verdicts on one row, with the model's counts for the row's site: the
/// per-document cleaning of `run`, `clean`, `stage clean` and `explain`. If the cleaner fails (a
/// bug in chaff), every line is kept and the failure's message returned.
pub(crate) fn clean_row(
    row: &Row,
    model: &LineModel,
    opts: &CleanOptions,
) -> (clean::Cleaned, Option<String>) {
    let learning = Learning {
        model,
        site: model.find_site(&row.site),
    };
    match guarded(|| clean::apply(&row.doc, learning, opts)) {
        Ok(cleaned) => (cleaned, None),
        Err(why) => {
            let message = format!("internal error in cleaning ({why}); every line was kept");
            (clean::Cleaned::keep_all(&row.doc), Some(message))
        }
    }
}

/// Cleans one document with `model` and builds its record: the per-document work of `run`,
/// `clean` and the `stage clean` command. If the cleaner fails (a bug in chaff), every line is
/// kept and the failure is noted.
pub(crate) fn clean_document(
    mut row: Row,
    model: &LineModel,
    model_sha: &str,
    opts: &CleanOptions,
) -> Built {
    let (cleaned, failure) = clean_row(&row, model, opts);
    let mut notes = std::mem::take(&mut row.doc.notes);
    notes.extend(failure.clone());
    let record = write::record(row, &cleaned, notes, model_sha);
    let failure = failure.map(|message| Failure {
        path: record.source.path.clone(),
        stage: "clean",
        message,
    });
    Built {
        id: record::id_of(&record.text),
        record,
        failure,
    }
}
