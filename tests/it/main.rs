//! Integration tests: the real `chaff` binary on fixtures, and the library's public API.
//!
//! One test binary with modules (as ripgrep and uv do), so the suite links once. Golden outputs
//! live in `fixtures/expected/`; run with `UPDATE_GOLDEN=1` to rewrite them on purpose, then
//! review the diff.

#[cfg(unix)]
mod bad_input;
mod cli;
mod common;
mod crawl;
mod determinism;
mod explain;
mod formats;
mod fuzz_regressions;
mod html;
#[cfg(unix)]
mod limits;
mod meta;
mod model_files;
mod outputs;
mod properties;
mod rules;
mod seeds;
mod stages;
mod syndication;
