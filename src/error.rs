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

    /// Adding model counts would overflow.
    #[error(transparent)]
    ModelCounts(crate::model::CountOverflow),

    /// An output file or folder could not be created or written.
    #[error("cannot write {path}")]
    Output {
        /// The file or folder that could not be written.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },

    /// Another run is writing into the same output folder.
    #[error(
        "output folder {dir} is in use by another chaff run ({holder}); wait for it to end or \
         write elsewhere"
    )]
    OutputBusy {
        /// The output folder.
        dir: PathBuf,
        /// The other run, as its lock file names it (pid and host).
        holder: String,
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

    /// The machine ran out of file handles or memory while reading an input: not the input's
    /// fault, so the run stops rather than skip it.
    #[error(
        "out of resources at {path}: {message}; nothing was written (raise the open-file limit, \
         `ulimit -n`, use fewer threads, `-j`, or free memory)"
    )]
    OutOfResources {
        /// The input being read.
        path: String,
        /// What failed.
        message: String,
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
