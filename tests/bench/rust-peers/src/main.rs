//! Runs one of the Rust extractors chaff is compared with over a benchmark set and writes the
//! text it extracts from each page, for `tests/bench/peers.py` to score.
//!
//!     rust-peers TOOL SET_DIR OUT_DIR [--repeat N]
//!
//! TOOL is `dom_smoothie` (a port of Mozilla's Readability.js: `Readability::parse` with
//! `TextMode::Formatted`, the article's `text_content`) or `rs-trafilatura` (a port of
//! trafilatura: `extract` with the default options, comments off, its `content_text`).
//! SET_DIR holds `<id>/page.html`; OUT_DIR receives `<id>.txt` (empty when the extractor fails
//! or finds nothing). Only the extraction call is timed (reading and writing files are not);
//! with `--repeat N` the set is extracted N times and the fastest pass is reported. One line of
//! JSON on stdout: `{"tool", "pages", "seconds", "errors"}`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type Extractor = fn(&str) -> Result<String, String>;

fn dom_smoothie(html: &str) -> Result<String, String> {
    let cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let mut readability =
        dom_smoothie::Readability::new(html, None, Some(cfg)).map_err(|e| e.to_string())?;
    let article = readability.parse().map_err(|e| e.to_string())?;
    Ok(article.text_content.to_string())
}

fn rs_trafilatura(html: &str) -> Result<String, String> {
    rs_trafilatura::extract(html)
        .map(|r| r.content_text)
        .map_err(|e| e.to_string())
}

fn pages(set: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(set)
        .unwrap_or_else(|e| panic!("{}: {e}", set.display()))
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path().join("page.html")))
        .filter(|(_, p)| p.is_file())
        .collect();
    out.sort();
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: rust-peers dom_smoothie|rs-trafilatura SET_DIR OUT_DIR [--repeat N]";
    let [tool, set, out, rest @ ..] = args.as_slice() else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let repeat: usize = match rest {
        [] => 1,
        [flag, n] if flag == "--repeat" => n.parse().unwrap_or(1).max(1),
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    let extract: Extractor = match tool.as_str() {
        "dom_smoothie" => dom_smoothie,
        "rs-trafilatura" => rs_trafilatura,
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    let out = Path::new(out);
    std::fs::create_dir_all(out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    let docs: Vec<(String, String)> = pages(Path::new(set))
        .into_iter()
        .map(|(id, path)| {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (id, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect();
    // A panic inside an extractor is an error for that page, not the end of the run.
    std::panic::set_hook(Box::new(|_| {}));
    let mut best: Option<Duration> = None;
    let mut errors = 0;
    for pass in 0..repeat {
        let mut total = Duration::ZERO;
        for (id, html) in &docs {
            let start = Instant::now();
            let result = std::panic::catch_unwind(|| extract(html))
                .unwrap_or_else(|_| Err("panicked".to_owned()));
            total += start.elapsed();
            if pass == 0 {
                let text = result.unwrap_or_else(|_| {
                    errors += 1;
                    String::new()
                });
                let file = out.join(format!("{id}.txt"));
                std::fs::write(&file, text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            }
        }
        best = Some(best.map_or(total, |b| b.min(total)));
    }
    println!(
        "{{\"tool\": \"{tool}\", \"pages\": {}, \"seconds\": {:.4}, \"errors\": {errors}}}",
        docs.len(),
        best.unwrap_or_default().as_secs_f64()
    );
}
