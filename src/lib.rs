//! chaff turns raw crawled news dumps into clean, deduplicated, auditable text.
//!
//! It is a batch pipeline of named stages, each a module that owns the type it produces:
//!
//! 1. **scan** — `walk` lists every file under the inputs in sorted order; `scan` reads each
//!    (unpacking `container`s), hashes it with SHA-256 and extracts its documents into rows.
//! 2. **dedup** — `dedup` decides exact copies (same bytes), near-duplicate clusters (MinHash,
//!    `neardup`) and same-text copies (same clean text); the first in sorted order wins.
//! 3. **learn** — `learn` counts how often each line recurs, per site and across sites, one unit
//!    per near-duplicate cluster, into a [`LineModel`].
//! 4. **clean** — `clean` removes site furniture line by line, each removal with a named
//!    `reason`.
//! 5. **write** — `write` builds each [`Record`] (the JSONL schema), formats it as a
//!    chaff or Dolma record, stores the records through a `sink` (one file or shards, plain or
//!    compressed) and commits them, `model.json` and the `report` together.
//!
//! `pipeline` composes the stages (and is the only module that runs things in parallel).
//! Output is byte-identical across runs and thread counts.
//!
//! # The public API
//!
//! The modules are the crate's own; what a program (the `chaff` binary, a test, a fuzz target)
//! may use is re-exported here, and nothing else:
//!
//! - **a whole run**: [`run`] with [`RunOptions`] (built from [`WalkOptions`], [`Selection`],
//!   [`ContainerOptions`], [`CleanOptions`], [`FormatOptions`], [`SinkOptions`]), watched by an
//!   [`Observer`], gives a [`Summary`] whose [`Report`] is `report.json`;
//! - **the stages one by one**: [`stage`], the forms a driver such as Spark hands between
//!   processes (`chaff stage scan|learn|merge|clean|write`);
//! - **one document**: [`unpack`] a container into parts, [`extract`] a [`Document`], [`clean`]
//!   it given a [`LineModel`] (or [`read_part`] a part as a run does), or [`explain()`] it line by line as `run` would clean it;
//! - the data: [`Record`] (a line of `clean.jsonl`), [`Report`], [`Skipped`] inputs, and
//!   [`Error`].

mod clean;
mod container;
mod decode;
mod dedup;
mod digest;
mod error;
mod explain;
mod extract;
mod format;
mod guard;
mod learn;
mod lexicon;
mod model;
mod neardup;
mod normalize;
mod output;
mod pipeline;
mod reason;
mod record;
mod report;
mod scan;
mod sink;
mod source;
mod spool;
mod walk;
mod write;

pub use clean::{CleanOptions, Cleaned, Learning, Verdict, apply as clean};
pub use container::{ContainerOptions, Part, unpack};
pub use error::{Error, Result};
pub use explain::{Explained, explain, render as render_explained};
pub use extract::{Document, Format, Hints, document as extract};
pub use format::{FormatOptions, RecordFormat, RemovedLines};
pub use model::LineModel;
pub use pipeline::{Mode, Observer, Output, RunOptions, Silent, Stage, Summary, run};
pub use record::Record;
pub use report::Report;
pub use scan::Row;
pub use sink::{Compression, SinkOptions, is_closed_stdout, write_stdout};
pub use source::{SkipKind, Skipped, SourceFile, SourcePath};
pub use walk::{Selection, WalkOptions, read_input_list};

/// Reads part `n` (0-based, in file order) of `file` (from [`unpack`]) as `chaff run` reads it:
/// sniffed (a binary or empty part is [`Skipped`]), hashed, and extracted into a [`Row`] whose
/// `doc` is the [`Document`] and `site` its site.
pub fn read_part(file: &SourceFile, n: usize, part: Part) -> std::result::Result<Row, Skipped> {
    scan::row(file, n, part).map(|(row, _)| row)
}

/// The stages as separate steps, each reading and writing versioned JSONL files (the README's
/// "Stages" section): what `chaff stage scan|learn|merge|clean|write` runs, and what a driver
/// such as Spark calls in its tasks.
pub mod stage {
    pub use crate::pipeline::files::{
        ManifestEntry, Out, ScanInputs, clean, learn, merge, read_manifest, scan, write,
    };
}
