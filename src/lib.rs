//! chaff turns raw crawled news dumps into clean, deduplicated, auditable text.
//!
//! It is a batch pipeline of named stages, each a module that owns the type it produces:
//!
//! 1. **scan** — [`walk`] lists every file under the inputs in sorted order; [`scan`] reads each
//!    (unpacking [`container`]s), hashes it with SHA-256 and [`extract`]s its documents into rows.
//! 2. **dedup** — [`dedup`] decides exact copies (same bytes), near-duplicate clusters (MinHash,
//!    [`neardup`]) and same-text copies (same clean text); the first in sorted order wins.
//! 3. **learn** — [`learn`] counts how often each line recurs, per site and across sites, one unit
//!    per near-duplicate cluster, into a [`model::LineModel`].
//! 4. **clean** — [`clean`] removes site furniture line by line, each removal with a named
//!    [`reason`].
//! 5. **write** — [`write`] builds each [`record::Record`] (the JSONL schema) and commits
//!    `clean.jsonl`, `model.json` and the [`report`] together.
//!
//! [`pipeline`] composes the stages (and is the only module that runs things in parallel);
//! [`cli`] is the command line on top. Output is byte-identical across runs and thread counts.

pub mod clean;
pub mod cli;
pub mod container;
pub mod corpus;
pub mod decode;
pub mod dedup;
pub mod digest;
pub mod error;
pub mod explain;
pub mod extract;
mod guard;
pub mod learn;
pub mod lexicon;
pub mod model;
pub mod neardup;
pub mod normalize;
pub mod output;
pub mod pipeline;
pub mod reason;
pub mod record;
pub mod report;
pub mod scan;
pub mod source;
pub mod spool;
pub mod stage_cmd;
pub mod walk;
pub mod write;

pub use error::{Error, Result};
