//! chaff turns raw crawled news dumps into clean, deduplicated, auditable text.
//!
//! It is a batch pipeline of three stages:
//!
//! 1. **Walk and dedup** — [`walk`] lists every file under the inputs in sorted order; [`dedup`]
//!    reads each, hashes its bytes with SHA-256 and folds exact copies into the first one, keeping
//!    a record of every copy.
//! 2. **Clean** — [`extract`] turns each document (plain text, or HTML parsed with scraper) into
//!    lines with context; [`model`] learns from all documents how often each line recurs, per
//!    site and across sites; [`clean`] removes site furniture line by line, each removal with a
//!    named [`reason`].
//! 3. **Write** — [`record`] is the JSONL schema, one record per unique document with its
//!    provenance, duplicates and removed lines; [`report`] accounts for every input.
//!
//! [`pipeline`] composes the stages (and is the only module that runs things in parallel);
//! [`cli`] is the command line on top. Output is byte-identical across runs and thread counts.

pub mod clean;
pub mod cli;
pub mod container;
pub mod corpus;
pub mod decode;
pub mod dedup;
pub mod error;
pub mod explain;
pub mod extract;
pub mod lexicon;
pub mod model;
pub mod neardup;
pub mod normalize;
pub mod output;
pub mod pipeline;
pub mod reason;
pub mod record;
pub mod report;
pub mod source;
pub mod spool;
pub mod walk;

pub use error::{Error, Result};
