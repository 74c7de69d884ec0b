//! The `chaff` binary: parse arguments, run, map the result to an exit code.
//!
//! The command line ([`cli`], with its progress bar), the synthetic-crawl generator behind
//! `chaff gen-corpus` ([`corpus`]) and the out-of-memory handler ([`alloc`]) are the binary's own
//! modules; everything else is the `chaff` library.

mod alloc;
mod cli;
mod corpus;

use clap::Parser;
use std::process::ExitCode;

/// The allocator: mimalloc, which costs a quarter less CPU than the system's on chaff's many
/// small per-line allocations, behind [`alloc::Checked`], which makes running out of memory a
/// message and exit code 2 instead of an abort.
#[global_allocator]
static GLOBAL: alloc::Checked<mimalloc::MiMalloc> = alloc::Checked(mimalloc::MiMalloc);

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            let mut message = format!("chaff: {err}");
            let mut cause = std::error::Error::source(&err);
            while let Some(inner) = cause {
                message.push_str(&format!(": {inner}"));
                cause = inner.source();
            }
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}
