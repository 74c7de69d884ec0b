//! The command line: clap types, their translation into [`RunOptions`], and what is printed on
//! stderr. Nothing here is needed to use chaff as a library.

use crate::clean::CleanOptions;
use crate::error::{Error, Result};
use crate::pipeline::{self, Mode, Observer, Output, RunOptions, Stage, Summary};
use crate::source::Skipped;
use crate::walk::WalkOptions;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Turns raw crawled news dumps into clean, deduplicated, auditable text.
#[derive(Debug, Parser)]
#[command(name = "chaff", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Learn the line model from the inputs, clean them, write clean.jsonl, model.json and
    /// report.json.
    #[command(
        after_help = "Examples:\n  chaff run seeds\n  chaff run crawl/ -o out -j 2\n  \
                            chaff run new-batch/ --model big-crawl-model.json -o out"
    )]
    Run {
        /// Files and folders to read.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// Output folder (must exist), or `-` for JSONL on stdout.
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// A model to merge into the one learned from the inputs.
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Learn a line model from the inputs and save it.
    #[command(after_help = "Example:\n  chaff learn big-crawl/ -o big-crawl-model.json")]
    Learn {
        /// Files and folders to read.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// Where to save the model.
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
        /// A model to merge into the new one.
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Clean the inputs with a saved model, without learning from them.
    #[command(
        after_help = "Example:\n  chaff clean small-batch/ --model big-crawl-model.json -o out"
    )]
    Clean {
        /// Files and folders to read.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// The model to clean with.
        #[arg(long, value_name = "FILE", required = true)]
        model: PathBuf,
        /// Output folder (must exist), or `-` for JSONL on stdout.
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Show how one document is cleaned, line by line: kept (+), removed (-) with the rule's
    /// name, or kept in doubt (?).
    #[command(
        after_help = "Examples:\n  chaff explain seeds/004_e568952c49340a18.txt\n  \
                            chaff explain crawl/site/page.html --model out/model.json | less -R"
    )]
    Explain {
        /// The file to explain.
        file: PathBuf,
        /// A model to look up learned line counts in (e.g. out/model.json from `chaff run`).
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// When to colour the output.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        /// Skip files larger than this.
        #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size)]
        max_bytes: u64,
    },
    /// The stages of a run as separate commands over JSONL files, for drivers such as Spark.
    #[command(subcommand, hide = true)]
    Stage(crate::stage_cmd::StageCommand),
    /// Generate a synthetic crawl of invented news sites, deterministic from a seed, for tests
    /// and benchmarks.
    #[command(
        after_help = "Examples:\n  chaff gen-corpus -o /tmp/crawl --sites 50 --pages 4000   \
                            # about 1 GB of text\n  \
                            chaff gen-corpus -o /tmp/html --format html --truth /tmp/truth.jsonl"
    )]
    GenCorpus {
        /// The folder to create (must not exist, or be empty).
        #[arg(short, long, value_name = "DIR")]
        out: PathBuf,
        /// Number of sites.
        #[arg(long, default_value_t = 5)]
        sites: usize,
        /// Ordinary pages per site.
        #[arg(long, default_value_t = 100)]
        pages: usize,
        /// Text or HTML pages.
        #[arg(long, value_enum, default_value_t = PageFormat::Text)]
        format: PageFormat,
        /// Share of pages that also get an exact copy.
        #[arg(long, default_value_t = 0.02)]
        dup_rate: f64,
        /// Share of pages crawled again (half with other furniture, half with an edited
        /// paragraph).
        #[arg(long, default_value_t = 0.02)]
        recrawl_rate: f64,
        /// Number of wire stories published on several sites.
        #[arg(long, default_value_t = 10)]
        syndication: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Also write the ground truth (article and template lines of every page) as JSONL here
        /// (outside the output folder).
        #[arg(long, value_name = "FILE")]
        truth: Option<PathBuf>,
    },
}

/// The format of generated pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PageFormat {
    /// Plain text, one block per line.
    Text,
    /// HTML pages.
    Html,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal only.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct Common {
    /// Worker threads (0: one per core).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Skip files larger than this (e.g. 64MiB, 500k, 1G).
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size)]
    pub max_bytes: u64,
    /// JSONL input: the field that holds a line's URL.
    #[arg(long, value_name = "NAME", default_value = "url")]
    pub jsonl_url: String,
    /// JSONL input: the field that holds a line's HTML.
    #[arg(long, value_name = "NAME", default_value = "html")]
    pub jsonl_html: String,
    /// JSONL input: the field that holds a line's plain text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub jsonl_text: String,
    /// Follow symbolic links below the inputs.
    #[arg(long)]
    pub follow_links: bool,
    /// Also write each record's clean text to DIR/<source.path>.txt.
    #[arg(long, value_name = "DIR")]
    pub text_dir: Option<PathBuf>,
    /// Print nothing on stderr but errors (no summary, no skipped files, no progress bar).
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the time each stage took.
    #[arg(long)]
    pub timings: bool,
    /// A line must be in this many different articles to count as frequent.
    #[arg(long, value_name = "N", default_value_t = CleanOptions::default().min_units)]
    pub min_units: u32,
    /// ... and in this share of its site's articles.
    #[arg(long, value_name = "SHARE", default_value_t = CleanOptions::default().site_share)]
    pub site_share: f64,
    /// A frequent line on this many sites is cross-site furniture.
    #[arg(long, value_name = "N", default_value_t = CleanOptions::default().min_sites)]
    pub min_sites: u32,
    /// Count every copy of a syndicated story as its own article when learning (measurement
    /// only: shows what counting near-duplicate clusters once saves).
    #[arg(long, hide = true)]
    pub count_copies: bool,
    /// In this share of its site's articles a line is removed even from the article body.
    #[arg(long, value_name = "SHARE", default_value_t = CleanOptions::default().strong_share)]
    pub strong_share: f64,
}

/// Parses a size such as `64MiB`, `500k`, `1G` or `1048576`.
pub fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size (try 64MiB, 500k or 1048576)"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}` (use k, M or G)")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too large"))
}

impl Common {
    fn apply(&self, opts: &mut RunOptions) {
        opts.threads = self.threads;
        opts.container = crate::container::ContainerOptions {
            max_bytes: self.max_bytes,
            jsonl_url: self.jsonl_url.clone(),
            jsonl_html: self.jsonl_html.clone(),
            jsonl_text: self.jsonl_text.clone(),
        };
        opts.walk = WalkOptions {
            follow_links: self.follow_links,
            exclude: Vec::new(),
            ..WalkOptions::default()
        };
        opts.text_dir = self.text_dir.clone();
        opts.count_copies = self.count_copies;
        opts.clean = CleanOptions {
            min_units: self.min_units,
            site_share: self.site_share,
            min_sites: self.min_sites,
            strong_share: self.strong_share,
        };
    }
}

fn output_of(out: PathBuf) -> Output {
    if out.as_os_str() == "-" {
        Output::Stdout
    } else {
        Output::Dir(out)
    }
}

/// `text` with control characters (newlines, escapes a file name may hold) written as Rust
/// escapes, so that it prints as one harmless line.
fn escape_control(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Prints skipped inputs as they happen, and a progress bar when stderr is a terminal.
struct Stderr {
    quiet: bool,
    show_bar: bool,
    /// The bar of the current stage, and whether it counts bytes (else documents).
    bar: std::sync::Mutex<Option<(indicatif::ProgressBar, bool)>>,
}

impl Stderr {
    fn new(quiet: bool) -> Stderr {
        use std::io::IsTerminal;
        Stderr {
            quiet,
            show_bar: !quiet && std::io::stderr().is_terminal(),
            bar: std::sync::Mutex::new(None),
        }
    }

    fn finish(&self) {
        if let Some((bar, _)) = self.bar.lock().ok().and_then(|mut b| b.take()) {
            bar.finish_and_clear();
        }
    }
}

impl Observer for Stderr {
    fn skipped(&self, skipped: &Skipped) {
        if self.quiet {
            return;
        }
        // One line per skipped input, whatever its name holds.
        let line = escape_control(&format!("chaff: {skipped}"));
        match self.bar.lock().ok().as_ref().and_then(|b| b.as_ref()) {
            Some((bar, _)) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn stage(&self, stage: Stage, items: u64, bytes: u64) {
        if !self.show_bar {
            return;
        }
        let Ok(mut slot) = self.bar.lock() else {
            return;
        };
        if let Some((old, _)) = slot.take() {
            old.finish_and_clear();
        }
        if items == 0 {
            return;
        }
        let by_bytes = bytes > 0;
        let (len, template) = if by_bytes {
            (
                bytes,
                "{prefix:>18} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta}",
            )
        } else {
            (
                items,
                "{prefix:>18} [{bar:30}] {pos}/{len} documents {per_sec} ETA {eta}",
            )
        };
        let bar = indicatif::ProgressBar::new(len);
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(stage.name());
        *slot = Some((bar, by_bytes));
    }

    fn advance(&self, items: u64, bytes: u64) {
        if let Some((bar, by_bytes)) = self.bar.lock().ok().as_ref().and_then(|b| b.as_ref()) {
            bar.inc(if *by_bytes { bytes } else { items });
        }
    }
}

/// Runs a parsed command line and returns the process's exit code: 0 if every input was
/// processed, 1 if some were skipped or failed. Fatal errors are returned for `main` to print (exit 2).
pub fn run(cli: Cli) -> Result<ExitCode> {
    let (opts, common) = match cli.command {
        Command::Stage(stage) => {
            crate::stage_cmd::run(stage)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Explain {
            file,
            model,
            color,
            max_bytes,
        } => return explain(&file, model.as_deref(), color, max_bytes),
        Command::GenCorpus {
            out,
            sites,
            pages,
            format,
            dup_rate,
            recrawl_rate,
            syndication,
            seed,
            truth,
        } => {
            let opts = crate::corpus::CorpusOptions {
                sites,
                pages,
                format: match format {
                    PageFormat::Text => crate::corpus::CorpusFormat::Text,
                    PageFormat::Html => crate::corpus::CorpusFormat::Html,
                },
                dup_rate,
                recrawl_rate,
                syndication,
                seed,
                out: out.clone(),
                truth,
            };
            let started = std::time::Instant::now();
            let summary = crate::corpus::generate(&opts)?;
            eprintln!(
                "chaff: wrote {} files ({} pages, {} exact copies, {} re-crawls, {} wire copies), \
                 {:.1} MB, to {} in {:.1} s",
                summary.files,
                summary.pages,
                summary.exact_copies,
                summary.recrawls,
                summary.syndicated_copies,
                summary.bytes as f64 / 1e6,
                out.display(),
                started.elapsed().as_secs_f64()
            );
            return Ok(ExitCode::SUCCESS);
        }
        Command::Run {
            inputs,
            out,
            model,
            common,
        } => {
            let mut opts = RunOptions::new(inputs, Mode::Run);
            opts.output = output_of(out);
            opts.prior = model;
            common.apply(&mut opts);
            (opts, common)
        }
        Command::Learn {
            inputs,
            out,
            model,
            common,
        } => {
            let mut opts = RunOptions::new(inputs, Mode::Learn { model_out: out });
            opts.prior = model;
            common.apply(&mut opts);
            (opts, common)
        }
        Command::Clean {
            inputs,
            model,
            out,
            common,
        } => {
            let mut opts = RunOptions::new(inputs, Mode::Clean { model });
            opts.output = output_of(out);
            common.apply(&mut opts);
            (opts, common)
        }
    };
    let mut opts = opts;
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    // A second signal kills at once; the first asks the run to stop at the next chunk.
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
    opts.cancel = Some(cancel);
    let started = std::time::Instant::now();
    let observer = Stderr::new(common.quiet);
    let summary = pipeline::run(&opts, &observer);
    observer.finish();
    let summary = match summary {
        Err(Error::Interrupted) => {
            eprintln!("chaff: interrupted; no output was written");
            return Ok(ExitCode::from(130));
        }
        other => other?,
    };
    if !common.quiet {
        print_summary(&summary, started.elapsed(), common.timings);
    }
    Ok(
        if summary.report.skipped > 0 || !summary.report.failures.is_empty() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}

fn explain(
    file: &std::path::Path,
    model: Option<&std::path::Path>,
    color: ColorChoice,
    max_bytes: u64,
) -> Result<ExitCode> {
    use std::io::{IsTerminal, Write};
    let model = model
        .map(|m| crate::model::LineModel::load(m, 0))
        .transpose()?;
    let explained =
        crate::explain::explain(file, model.as_ref(), max_bytes, &CleanOptions::default())?;
    let stdout = std::io::stdout();
    let color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let text = crate::explain::render(&explained, color);
    let mut out = stdout.lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // A closed pipe (`chaff explain x | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(source) => Err(Error::Output {
            path: "<stdout>".into(),
            source,
        }),
    }
}

fn print_summary(summary: &Summary, elapsed: std::time::Duration, timings: bool) {
    let r = &summary.report;
    let mut removed: Vec<(u64, &str)> = r.removed.iter().map(|(k, v)| (*v, k.name())).collect();
    removed.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let removed: Vec<String> = removed.iter().map(|(n, k)| format!("{k} {n}")).collect();
    let secs = elapsed.as_secs_f64();
    eprintln!(
        "chaff: {} inputs: {} written, {} exact + {} same-text duplicates, {} skipped; {} near-duplicates",
        r.seen, r.written, r.duplicates.exact, r.duplicates.same_text, r.skipped, r.near_duplicates
    );
    if !r.excluded.is_empty() {
        eprintln!(
            "chaff: left out {} of chaff's own output folders and files below the inputs: {}",
            r.excluded.len(),
            escape_control(&r.excluded.join(", "))
        );
    }
    if !r.stale_removed.is_empty() {
        eprintln!(
            "chaff: removed {} temporary files left in the output folder by an interrupted run",
            r.stale_removed.len()
        );
    }
    for failure in &r.failures {
        eprintln!(
            "chaff: {}: {}",
            escape_control(&failure.path),
            failure.message
        );
    }
    eprintln!(
        "chaff: {} of {} lines removed{}{}",
        r.lines.removed,
        r.lines.total,
        if removed.is_empty() { "" } else { ": " },
        removed.join(", ")
    );
    eprintln!(
        "chaff: {:.2} s, {:.1} MB/s, {:.0} docs/s",
        secs,
        summary.bytes_read as f64 / 1e6 / secs.max(1e-9),
        r.seen as f64 / secs.max(1e-9)
    );
    if timings {
        for (stage, time) in &summary.timings {
            eprintln!(
                "chaff: stage {:<18} {:>9.3} s",
                stage.name(),
                time.as_secs_f64()
            );
        }
    }
    for path in &summary.outputs {
        eprintln!("chaff: wrote {}", path.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("500k"), Ok(500 << 10));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("123"), Ok(123));
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("big").is_err());
    }

    #[test]
    fn the_cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
