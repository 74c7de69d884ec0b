//! Bare loops: the least work a cleaner of each kind must do, timed the same way chaff is, to
//! serve as yardsticks in the speed benchmark (`tests/bench/speed.py`).
//!
//! ```text
//! cargo run --release --example bare -- parse  [-j N] PATH...   # scraper::Html::parse_document
//! cargo run --release --example bare -- walk   [-j N] PATH...   # parse + walk every text node
//! cargo run --release --example bare -- tokenize [-j N] PATH... # html5ever's tokenizer alone,
//!                                                               # counting tokens (no tree)
//! cargo run --release --example bare -- text   [-j N] PATH...   # walk, read, SHA-256, normalize
//!                                                               # lines, count document frequency
//! cargo run --release --example bare -- sha    [-j N] PATH...   # walk, read, SHA-256
//! ```
//!
//! PATHs are files or folders (walked sorted, as chaff does). Files are read inside the timed
//! loop for `text` and `sha`, and before it for `parse`, `walk` and `tokenize` (which measure the
//! parser). `tokenize` is the floor of any path built on html5ever: the tokenizer without the
//! tree builder, as a compact-tree or streaming extractor would use it.
//! Prints one line of JSON: {"mode", "threads", "files", "bytes", "seconds", "mb_per_s",
//! "docs_per_s"}.

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

fn files(paths: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        for entry in walkdir::WalkDir::new(p).sort_by_file_name() {
            let entry = entry.expect("readable input");
            if entry.file_type().is_file() {
                out.push(entry.into_path());
            }
        }
    }
    out
}

/// The same normalization chaff counts lines in, written as plainly as possible.
fn key(line: &str, buf: &mut String) -> Option<u64> {
    buf.clear();
    let mut space = false;
    let mut digits = false;
    for ch in line.chars() {
        if ch.is_whitespace() {
            space = !buf.is_empty();
            digits = false;
        } else if ch.is_ascii_digit() {
            if !digits {
                if space {
                    buf.push(' ');
                    space = false;
                }
                buf.push('0');
            }
            digits = true;
        } else {
            if space {
                buf.push(' ');
                space = false;
            }
            digits = false;
            buf.extend(ch.to_lowercase());
        }
    }
    let trimmed = buf.trim_matches(|c: char| !c.is_alphanumeric());
    trimmed
        .chars()
        .any(char::is_alphabetic)
        .then(|| xxhash_rust::xxh3::xxh3_64(trimmed.as_bytes()))
}

/// Counts the tokens of a page with html5ever's tokenizer, building nothing.
fn tokenize(page: &str) -> usize {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer};
    struct Count(std::cell::Cell<usize>);
    impl TokenSink for Count {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            std::hint::black_box(&token);
            self.0.set(self.0.get() + 1);
            TokenSinkResult::Continue
        }
    }
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(page));
    let tokenizer = Tokenizer::new(Count(std::cell::Cell::new(0)), Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.get()
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        eprintln!("usage: bare parse|walk|tokenize|text|sha [-j N] PATH...");
        std::process::exit(2);
    }
    let mode = args.remove(0);
    let mut threads = 1;
    if args.first().map(String::as_str) == Some("-j") {
        threads = args[1].parse().expect("a thread count");
        args.drain(..2);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let paths = files(&args);
    let (bytes, seconds) = pool.install(|| match mode.as_str() {
        "parse" | "walk" | "tokenize" => {
            let pages: Vec<String> = paths
                .iter()
                .map(|p| String::from_utf8_lossy(&std::fs::read(p).expect("readable")).into_owned())
                .collect();
            let bytes: usize = pages.iter().map(String::len).sum();
            let start = Instant::now();
            let counted: usize = pages
                .par_iter()
                .map(|page| match mode.as_str() {
                    "tokenize" => tokenize(page),
                    "walk" => scraper::Html::parse_document(page)
                        .tree
                        .root()
                        .descendants()
                        .filter_map(|n| n.value().as_text().map(|t| t.len()))
                        .sum(),
                    _ => scraper::Html::parse_document(page).tree.nodes().count(),
                })
                .sum();
            std::hint::black_box(counted);
            (bytes, start.elapsed().as_secs_f64())
        }
        "text" => {
            let start = Instant::now();
            let (bytes, counts) = paths
                .par_iter()
                .fold(
                    || (0usize, HashMap::<u64, u32>::new()),
                    |(bytes, mut counts), path| {
                        let data = std::fs::read(path).expect("readable");
                        std::hint::black_box(Sha256::digest(&data));
                        let text = String::from_utf8_lossy(&data);
                        let mut buf = String::new();
                        let mut seen: Vec<u64> =
                            text.lines().filter_map(|l| key(l, &mut buf)).collect();
                        seen.sort_unstable();
                        seen.dedup();
                        for k in seen {
                            *counts.entry(k).or_default() += 1;
                        }
                        (bytes + data.len(), counts)
                    },
                )
                .reduce(
                    || (0, HashMap::new()),
                    |(b1, mut c1), (b2, c2)| {
                        for (k, v) in c2 {
                            *c1.entry(k).or_default() += v;
                        }
                        (b1 + b2, c1)
                    },
                );
            std::hint::black_box(counts.len());
            (bytes, start.elapsed().as_secs_f64())
        }
        "sha" => {
            let start = Instant::now();
            let bytes: usize = paths
                .par_iter()
                .map(|path| {
                    let data = std::fs::read(path).expect("readable");
                    std::hint::black_box(Sha256::digest(&data));
                    data.len()
                })
                .sum();
            (bytes, start.elapsed().as_secs_f64())
        }
        other => {
            eprintln!("unknown mode {other}");
            std::process::exit(2);
        }
    });
    println!(
        "{{\"mode\":\"{mode}\",\"threads\":{threads},\"files\":{},\"bytes\":{bytes},\"seconds\":{seconds:.4},\"mb_per_s\":{:.2},\"docs_per_s\":{:.1}}}",
        paths.len(),
        bytes as f64 / 1e6 / seconds,
        paths.len() as f64 / seconds
    );
}
