//! The command line: clap types, their translation into [`RunOptions`], and what is printed on
//! stderr. Nothing here is needed to use chaff as a library.

use chaff::{
    CleanOptions, Compression, Error, FormatOptions, Mode, Observer, Output, RecordFormat,
    RemovedLines, Result, RunOptions, Selection, SinkOptions, Skipped, Stage, Summary, WalkOptions,
};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
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
        /// Files and folders to read; `-` reads a list of paths from stdin, one per line.
        #[arg(required_unless_present = "inputs_from", value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// Output folder (created if missing; its parent must exist), a records file name in it
        /// (`out/docs.jsonl.gz`), or `-` for JSONL on stdout.
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        /// A model to merge into the one learned from the inputs.
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        #[command(flatten)]
        records: RecordArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Learn a line model from the inputs and save it.
    #[command(after_help = "Example:\n  chaff learn big-crawl/ -o big-crawl-model.json")]
    Learn {
        /// Files and folders to read; `-` reads a list of paths from stdin, one per line.
        #[arg(required_unless_present = "inputs_from", value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// Where to save the model (`-`: stdout).
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
        /// Files and folders to read; `-` reads a list of paths from stdin, one per line.
        #[arg(required_unless_present = "inputs_from", value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// The model to clean with.
        #[arg(long, value_name = "FILE", required = true)]
        model: PathBuf,
        /// Output folder (created if missing; its parent must exist), a records file name in it
        /// (`out/docs.jsonl.gz`), or `-` for JSONL on stdout.
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        out: PathBuf,
        #[command(flatten)]
        records: RecordArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Show how one document is cleaned, line by line: kept (+), removed (-) with the rule's
    /// name, or kept in doubt (?).
    #[command(
        after_help = "Examples:\n  chaff explain seeds/004_e568952c49340a18.txt\n  \
                            chaff explain crawl/site/page.html --model out/model.json | less -R\n  \
                            chaff explain crawl.warc.gz#3 --model out/model.json"
    )]
    Explain {
        /// The file to explain, or FILE#N for the N-th document of a WARC or JSONL file (as
        /// `source.path` names it).
        file: PathBuf,
        /// A model to look up learned line counts in (e.g. out/model.json from `chaff run`).
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// The input `run` was given: it names the document and, for one without a URL, gives
        /// its site (the first folder below it). Default: the file's first folder.
        #[arg(long, value_name = "PATH")]
        input: Option<PathBuf>,
        /// When to colour the output.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        thresholds: Thresholds,
    },
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
    /// Run one stage of the pipeline on its on-disk input (for running chaff on a cluster, e.g.
    /// with chaff.spark; see the README's "Stages").
    #[command(subcommand)]
    Stage(StageCommand),
    /// Print a shell completion script on stdout.
    #[command(
        after_help = "Examples:\n  chaff completions bash > ~/.local/share/bash-completion/completions/chaff\n  \
                            chaff completions zsh > ~/.zfunc/_chaff\n  \
                            chaff completions fish > ~/.config/fish/completions/chaff.fish"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on stdout.
    #[command(after_help = "Example:\n  chaff man > ~/.local/share/man/man1/chaff.1")]
    Man,
}

/// The stages that run on their own (`chaff stage …`).
#[derive(Debug, Subcommand)]
pub enum StageCommand {
    /// Read, hash and extract the inputs: one row per document (or skipped input), JSONL.
    Scan {
        /// Files and folders to read (as for `run`).
        #[arg(value_name = "INPUT", required_unless_present = "manifest")]
        inputs: Vec<PathBuf>,
        /// Read the files a JSONL manifest names instead: {"file", "path", "site"} per line.
        #[arg(long, value_name = "FILE", conflicts_with = "inputs")]
        manifest: Option<PathBuf>,
        /// Where the rows go (`-` for stdout).
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
        /// Worker threads (0: one per core).
        #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
        threads: usize,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Count units ({"unit", "site", "keys"} lines; all rows of a unit together) into a
    /// partial model.
    Learn {
        /// Unit files (`-` for stdin).
        #[arg(required = true, value_name = "UNITS")]
        units: Vec<PathBuf>,
        /// Where the partial model goes (`-` for stdout).
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Add models (partial or not) into one model.json; lines seen in a single unit are dropped
    /// unless --partial.
    Merge {
        /// Model files.
        #[arg(value_name = "MODEL")]
        models: Vec<PathBuf>,
        /// Where the model goes (`-` for stdout).
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
        /// Write a partial model (keeping lines seen in a single unit).
        #[arg(long)]
        partial: bool,
    },
    /// Clean scanned rows with a model: one cleaned row (with its record) per document.
    Clean {
        /// Row files from `stage scan` (`-` for stdin).
        #[arg(required = true, value_name = "ROWS")]
        rows: Vec<PathBuf>,
        /// The model to clean with.
        #[arg(long, value_name = "FILE")]
        model: PathBuf,
        /// Where the cleaned rows go (`-` for stdout).
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
        /// Worker threads (0: one per core).
        #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
        threads: usize,
        #[command(flatten)]
        thresholds: Thresholds,
    },
    /// Write records ({"record", "add", "near"} lines) as the final clean.jsonl lines.
    Write {
        /// Folded record files (`-` for stdin).
        #[arg(required = true, value_name = "FOLDED")]
        folded: Vec<PathBuf>,
        /// Where the lines go (`-` for stdout).
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// How inputs are read (the scan's options of `run`).
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Skip documents larger than this: a file, or a record inside a container (e.g. 64MiB,
    /// 500k, 1G). A WARC or JSONL file may be of any size.
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size)]
    pub max_bytes: u64,
    /// JSONL input: the field that holds a line's URL (a dotted path such as metadata.url
    /// reaches into nested objects).
    #[arg(long, value_name = "NAME", default_value = "url")]
    pub jsonl_url: String,
    /// JSONL input: the field that holds a line's HTML (or a dotted path to it).
    #[arg(long, value_name = "NAME", default_value = "html")]
    pub jsonl_html: String,
    /// JSONL input: the field that holds a line's plain text (or a dotted path to it), read
    /// when the HTML field is missing or blank.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub jsonl_text: String,
    /// Follow symbolic links below the inputs.
    #[arg(long)]
    pub follow_links: bool,
}

/// The cleaner's thresholds (as for `run`).
#[derive(Debug, Args)]
pub struct Thresholds {
    /// A line must be in this many different articles to count as frequent.
    #[arg(long, value_name = "N", default_value_t = CleanOptions::default().min_units)]
    pub min_units: u32,
    /// ... and in this share of its site's articles.
    #[arg(long, value_name = "SHARE", default_value_t = CleanOptions::default().site_share)]
    pub site_share: f64,
    /// A frequent line on this many sites is cross-site furniture.
    #[arg(long, value_name = "N", default_value_t = CleanOptions::default().min_sites)]
    pub min_sites: u32,
    /// In this share of its site's articles a line is removed even from the article body.
    #[arg(long, value_name = "SHARE", default_value_t = CleanOptions::default().strong_share)]
    pub strong_share: f64,
}

/// Runs one `chaff stage` command.
fn stage(command: StageCommand) -> Result<ExitCode> {
    use chaff::stage::{self as files, Out, ScanInputs};
    let model_out = |model: chaff::LineModel, partial: bool, out: &std::path::Path| {
        let mut target = Out::open(out)?;
        target.write(&if partial {
            model.to_partial_json()
        } else {
            model.to_json()
        })?;
        target.finish().map(drop)
    };
    match command {
        StageCommand::Scan {
            inputs,
            manifest,
            out,
            threads,
            read,
        } => {
            let opts = read.container_options();
            let inputs = match manifest {
                Some(path) => ScanInputs::Manifest(files::read_manifest(&path)?),
                None => ScanInputs::Walk(
                    inputs,
                    WalkOptions {
                        follow_links: read.follow_links,
                        ..WalkOptions::default()
                    },
                ),
            };
            let mut target = Out::open(&out)?;
            files::scan(inputs, &opts, threads, &mut target)?;
            target.finish()?;
        }
        StageCommand::Learn { units, out } => model_out(files::learn(&units)?, true, &out)?,
        StageCommand::Merge {
            models,
            out,
            partial,
        } => model_out(files::merge(&models)?, partial, &out)?,
        StageCommand::Clean {
            rows,
            model,
            out,
            threads,
            thresholds: t,
        } => {
            let opts = t.clean_options();
            let mut target = Out::open(&out)?;
            files::clean(&rows, &model, &opts, threads, &mut target)?;
            target.finish()?;
        }
        StageCommand::Write { folded, out } => {
            let mut target = Out::open(&out)?;
            files::write(&folded, &mut target)?;
            target.finish()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// How records are written (for `run` and `clean`).
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The layout of each record.
    #[arg(long, value_enum, default_value_t = FormatArg::Chaff)]
    pub format: FormatArg,
    /// Compress the records file(s); by default, as the `-o` file name says (`.jsonl.gz`,
    /// `.jsonl.zst`), else none.
    #[arg(long, value_enum, value_name = "HOW")]
    pub compress: Option<CompressArg>,
    /// Cut the records into files of about this many uncompressed bytes (clean-00000.jsonl, …).
    #[arg(long, value_name = "SIZE", value_parser = parse_shard_size)]
    pub shard_size: Option<u64>,
    /// List every removed line in the records (full), or only count them by rule (counts).
    #[arg(long, value_enum, value_name = "HOW", default_value_t = RemovedArg::Full)]
    pub removed_lines: RemovedArg,
    /// Dolma format: the `source` field (the collection's name).
    #[arg(long, value_name = "NAME", default_value = "chaff")]
    pub dolma_source: String,
    /// Dolma format: the `added` field (e.g. 2024-06-01T00:00:00Z); left out if not given, so
    /// that the output does not depend on when chaff ran.
    #[arg(long, value_name = "TIME")]
    pub dolma_added: Option<String>,
}

/// The `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// chaff's own records (schema chaff/1).
    Chaff,
    /// Dolma's documents: id, text, source, added, created, metadata.
    Dolma,
}

/// The `--compress` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompressArg {
    /// Plain JSONL.
    None,
    /// gzip (.gz).
    Gzip,
    /// zstd (.zst).
    Zstd,
}

/// The `--removed-lines` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RemovedArg {
    /// Every removed line with its text and rule.
    Full,
    /// Only counts, by rule.
    Counts,
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
    /// Worker threads (0: one per core; at most 1024).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0, value_parser = parse_threads)]
    pub threads: usize,
    /// Read more input paths from FILE, one per line (`-`: stdin).
    #[arg(long, value_name = "FILE")]
    pub inputs_from: Option<PathBuf>,
    /// Read only files whose path below the input matches this glob (repeatable; e.g. '*.html').
    #[arg(long, value_name = "GLOB")]
    pub glob: Vec<String>,
    /// Leave out files and folders whose path below the input matches this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Read every file, also those whose name says they are not documents (.css, .js, images,
    /// sitemaps, robots.txt, …).
    #[arg(long)]
    pub all_files: bool,
    /// Exit 1 when any input was skipped, even one that is not a document (an image, a redirect).
    #[arg(long)]
    pub strict: bool,
    /// Print every skipped input on stderr (by default: failures one by one, the rest counted).
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Also write each record's clean text to DIR/<source.path>.txt.
    #[arg(long, value_name = "DIR")]
    pub text_dir: Option<PathBuf>,
    /// Print nothing on stderr but errors (no summary, no skipped files, no progress bar).
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the time each stage took.
    #[arg(long)]
    pub timings: bool,
    /// Count every copy of a syndicated story as its own article when learning (measurement
    /// only: shows what counting near-duplicate clusters once saves).
    #[arg(long, hide = true)]
    pub count_copies: bool,
    #[command(flatten)]
    pub thresholds: Thresholds,
}

/// The most worker threads `-j` accepts.
const MAX_THREADS: usize = 1024;

/// Parses a thread count: 0 (one per core) up to [`MAX_THREADS`].
fn parse_threads(text: &str) -> std::result::Result<usize, String> {
    let n: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of threads"))?;
    if n > MAX_THREADS {
        return Err(format!(
            "{n} threads is too many: at most {MAX_THREADS} (0 means one per core)"
        ));
    }
    Ok(n)
}

/// Parses a shard size: a size of at least one byte.
fn parse_shard_size(text: &str) -> std::result::Result<u64, String> {
    match parse_size(text)? {
        0 => Err("a shard must hold at least one byte".to_owned()),
        n => Ok(n),
    }
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

impl ReadArgs {
    /// How containers are read, as the library takes it.
    fn container_options(&self) -> chaff::ContainerOptions {
        chaff::ContainerOptions {
            max_bytes: self.max_bytes,
            jsonl_url: self.jsonl_url.clone(),
            jsonl_html: self.jsonl_html.clone(),
            jsonl_text: self.jsonl_text.clone(),
        }
    }
}

impl Thresholds {
    /// The cleaner's options, as the library takes them.
    fn clean_options(&self) -> CleanOptions {
        CleanOptions {
            min_units: self.min_units,
            site_share: self.site_share,
            min_sites: self.min_sites,
            strong_share: self.strong_share,
        }
    }
}

impl Common {
    fn apply(&self, opts: &mut RunOptions) {
        opts.threads = self.threads;
        opts.container = self.read.container_options();
        opts.walk = WalkOptions {
            follow_links: self.read.follow_links,
            exclude: Vec::new(),
            select: Selection {
                globs: self.glob.clone(),
                excludes: self.exclude.clone(),
                all_files: self.all_files,
            },
            ..WalkOptions::default()
        };
        opts.text_dir = self.text_dir.clone();
        opts.count_copies = self.count_copies;
        opts.clean = self.thresholds.clean_options();
    }
}

impl RecordArgs {
    /// Where and how records go, from `-o` and these options: `-` is stdout; a name ending in
    /// `.jsonl`, `.jsonl.gz` or `.jsonl.zst` names the records file (and so its compression) in
    /// its folder; anything else is the folder.
    fn apply(&self, out: PathBuf, opts: &mut RunOptions) -> Result<()> {
        opts.format = FormatOptions {
            format: match self.format {
                FormatArg::Chaff => RecordFormat::Chaff,
                FormatArg::Dolma => RecordFormat::Dolma,
            },
            removed: match self.removed_lines {
                RemovedArg::Full => RemovedLines::Full,
                RemovedArg::Counts => RemovedLines::Counts,
            },
            dolma_source: self.dolma_source.clone(),
            dolma_added: self.dolma_added.clone(),
        };
        let flag = self.compress.map(|c| match c {
            CompressArg::None => Compression::None,
            CompressArg::Gzip => Compression::Gzip,
            CompressArg::Zstd => Compression::Zstd,
        });
        let named = out
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(Compression::from_file_name);
        let (dir, stem, compression) = match named {
            Some((stem, by_name)) => {
                if flag.is_some_and(|f| f != by_name) {
                    return Err(Error::Usage(format!(
                        "-o {} asks for {} but --compress for {}",
                        out.display(),
                        by_name.name(),
                        flag.unwrap_or_default().name()
                    )));
                }
                let dir = out.parent().filter(|p| !p.as_os_str().is_empty());
                (dir.unwrap_or(Path::new(".")).to_path_buf(), stem, by_name)
            }
            None => (out.clone(), "clean".to_owned(), flag.unwrap_or_default()),
        };
        opts.sink = SinkOptions {
            stem,
            compression,
            shard_size: self.shard_size,
        };
        opts.output = if out.as_os_str() == "-" {
            if self.shard_size.is_some() {
                return Err(Error::Usage(
                    "--shard-size writes files: it needs an output folder, not -o -".into(),
                ));
            }
            Output::Stdout
        } else {
            Output::Dir(dir)
        };
        Ok(())
    }
}

/// Creates a missing output folder (but not its parents: a typo in a parent is more likely than
/// a wish for a new tree). An existing path is left for the pipeline to check.
fn create_missing_dir(dir: &Path) -> Result<()> {
    if dir.as_os_str().is_empty() || std::fs::symlink_metadata(dir).is_ok() {
        return Ok(());
    }
    std::fs::create_dir(dir).map_err(|source| Error::Output {
        path: dir.to_path_buf(),
        source,
    })
}

/// The inputs of a command: those named, with `-` and `--inputs-from FILE` replaced by the
/// paths they list.
fn gather_inputs(named: Vec<PathBuf>, from: Option<&Path>) -> Result<Vec<PathBuf>> {
    let from_stdin = |list: &mut Vec<PathBuf>| -> Result<()> {
        let stdin = std::io::stdin();
        list.extend(chaff::read_input_list(stdin.lock(), Path::new("-"))?);
        Ok(())
    };
    let mut inputs = Vec::new();
    let mut stdin_used = false;
    for input in named {
        if input.as_os_str() == "-" {
            if !std::mem::replace(&mut stdin_used, true) {
                from_stdin(&mut inputs)?;
            }
        } else {
            inputs.push(input);
        }
    }
    match from {
        Some(list) if list.as_os_str() == "-" && !stdin_used => from_stdin(&mut inputs)?,
        Some(list) if list.as_os_str() == "-" => {}
        Some(list) => {
            let file = std::fs::File::open(list).map_err(|source| Error::Input {
                path: list.to_path_buf(),
                source,
            })?;
            inputs.extend(chaff::read_input_list(std::io::BufReader::new(file), list)?);
        }
        None => {}
    }
    if inputs.is_empty() {
        return Err(Error::Usage("no input: the list of inputs is empty".into()));
    }
    Ok(inputs)
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

/// Prints skipped inputs as they happen (failures always, the rest with `-v`), and a progress
/// bar when stderr is a terminal.
struct Stderr {
    quiet: bool,
    verbose: bool,
    show_bar: bool,
    /// The bar of the current stage, and whether it counts bytes (else documents).
    bar: std::sync::Mutex<Option<(indicatif::ProgressBar, bool)>>,
}

impl Stderr {
    fn new(quiet: bool, verbose: bool) -> Stderr {
        use std::io::IsTerminal;
        Stderr {
            quiet,
            verbose,
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
        if self.quiet || !(self.verbose || skipped.kind.is_failure()) {
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

/// Runs a parsed command line and returns the process's exit code: 0 if every input was written,
/// a duplicate or not a document; 1 if something that should have been a document could not be
/// read or processed (or, with `--strict`, if anything was skipped). Fatal errors are returned
/// for `main` to print (exit 2). A closed stdout ends the run quietly with 0.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let (opts, common) = match cli.command {
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "chaff", &mut out);
            return print_stdout(&out);
        }
        Command::Man => {
            use clap::CommandFactory;
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|source| Error::Output {
                    path: "<stdout>".into(),
                    source,
                })?;
            return print_stdout(&out);
        }
        Command::Explain {
            file,
            model,
            input,
            color,
            read,
            thresholds,
        } => {
            let model = model.map(|m| chaff::LineModel::load(&m, 0)).transpose()?;
            let explained = chaff::explain(
                &file,
                input.as_deref(),
                model.as_ref(),
                &read.container_options(),
                &thresholds.clean_options(),
            )?;
            return explain(&explained, color);
        }
        Command::Stage(command) => return stage(command),
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
            records,
            common,
        } => {
            let inputs = gather_inputs(inputs, common.inputs_from.as_deref())?;
            let mut opts = RunOptions::new(inputs, Mode::Run);
            records.apply(out, &mut opts)?;
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
            let inputs = gather_inputs(inputs, common.inputs_from.as_deref())?;
            let mut opts = RunOptions::new(inputs, Mode::Learn { model_out: out });
            opts.prior = model;
            common.apply(&mut opts);
            (opts, common)
        }
        Command::Clean {
            inputs,
            model,
            out,
            records,
            common,
        } => {
            let inputs = gather_inputs(inputs, common.inputs_from.as_deref())?;
            let mut opts = RunOptions::new(inputs, Mode::Clean { model });
            records.apply(out, &mut opts)?;
            common.apply(&mut opts);
            (opts, common)
        }
    };
    let mut opts = opts;
    if let Output::Dir(dir) = &opts.output
        && !matches!(opts.mode, Mode::Learn { .. })
    {
        create_missing_dir(dir)?;
    }
    if let Some(dir) = &opts.text_dir {
        create_missing_dir(dir)?;
    }
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
    let observer = Stderr::new(common.quiet, common.verbose);
    let summary = chaff::run(&opts, &observer);
    observer.finish();
    let summary = match summary {
        Err(Error::Interrupted) => {
            eprintln!("chaff: interrupted; no output was written");
            return Ok(ExitCode::from(130));
        }
        // `chaff run x -o - | head`: the reader has what it wanted.
        Err(err) if chaff::is_closed_stdout(&err) => return Ok(ExitCode::SUCCESS),
        other => other?,
    };
    if !common.quiet {
        print_summary(&summary, started.elapsed(), common.timings);
    }
    Ok(exit_code(&summary.report, common.strict))
}

/// 1 if something that should have been a document could not be read or processed (or, when
/// `strict`, if anything was skipped at all); else 0.
fn exit_code(report: &chaff::Report, strict: bool) -> ExitCode {
    let failed = !report.failures.is_empty()
        || report
            .skipped_inputs
            .iter()
            .any(|s| strict || s.kind.is_failure());
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes generated text (completions, the manual) to stdout; a closed pipe is not an error.
fn print_stdout(bytes: &[u8]) -> Result<ExitCode> {
    match chaff::write_stdout(bytes) {
        Err(err) if !chaff::is_closed_stdout(&err) => Err(err),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// Prints an explained document on stdout.
fn explain(explained: &chaff::Explained, color: ColorChoice) -> Result<ExitCode> {
    use std::io::{IsTerminal, Write};
    let stdout = std::io::stdout();
    let color = match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let text = chaff::render_explained(explained, color);
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
    if r.skipped > 0 {
        let kinds: Vec<String> = r
            .skipped_by_kind
            .iter()
            .map(|(kind, n)| format!("{kind} {n}"))
            .collect();
        eprintln!("chaff: skipped {}: {}", r.skipped, kinds.join(", "));
    }
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
        eprintln!(
            "chaff: scratch files: peak {} bytes ({:.1} MB) in {} (already deleted: they go with \
             the process)",
            summary.scratch_peak,
            summary.scratch_peak as f64 / 1e6,
            summary.scratch_dir.display()
        );
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
