//! The library's error type.
//!
//! Every variant that comes from the file system carries the path it was about, and keeps the
//! underlying cause as its `#[source]` rather than repeating it in the message, so callers can
//! print the whole chain (`chaff: <message>: <cause>`).
//!
//! These are *fatal* errors: they stop a run. A bad input file is not fatal; it becomes a
//! [`crate::report::Skipped`] entry in the run report and the run goes on.

use std::path::PathBuf;

/// A fatal error of a chaff run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input named on the command line does not exist or cannot be read at all.
    #[error("cannot read input {path}")]
    Input {
        /// The input as given.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },

    /// A model file could not be read.
    #[error("cannot read model {path}")]
    ModelRead {
        /// The model file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },

    /// A model file was read but is not a usable chaff model.
    #[error("{path} is not a usable chaff model: {problem}")]
    ModelInvalid {
        /// The model file.
        path: PathBuf,
        /// What is wrong with it, in words.
        problem: String,
    },

    /// An output file or folder could not be created or written.
    #[error("cannot write {path}")]
    Output {
        /// The file or folder that could not be written.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },

    /// Scratch space (the spool of extracted documents) could not be written or read back.
    #[error("scratch file in {dir} failed")]
    Spool {
        /// The folder that holds the scratch file.
        dir: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },

    /// The thread pool could not be built.
    #[error("cannot start {threads} worker threads")]
    Threads {
        /// The number of threads asked for.
        threads: usize,
        /// What rayon said.
        #[source]
        source: rayon::ThreadPoolBuildError,
    },

    /// The run was interrupted (SIGINT/SIGTERM) before it finished; nothing final was written.
    #[error("interrupted; no output was written")]
    Interrupted,

    /// The options do not make sense together.
    #[error("{0}")]
    Usage(String),
}

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
