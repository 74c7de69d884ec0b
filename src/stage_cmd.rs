//! `chaff stage …`: the stages of a run as separate commands over JSONL files, so that a driver
//! such as Apache Spark (`chaff.spark`) can run the per-document work in its tasks and do the
//! shuffles between them itself.
//!
//! Every file these commands write starts with a header line `{"format": …, "version": 1}`;
//! every other line is one JSON object. The commands call the same per-document code as
//! `chaff run` ([`scan`], [`crate::pipeline::clean_document`], [`write::fold`], [`learn`]), so a
//! driver that groups the rows as `run` does writes the same bytes:
//!
//! - `scan --manifest M`: files (a JSONL manifest of `{"file", "path", "site"}`: where to read,
//!   the `source.path` to give, the site by path) → one row per document (`order`, `path`,
//!   `sha256`, `site`, `keys`, `signature`, `bands`, and the scanned `row` itself) or skipped
//!   input (`order`, `skip`).
//! - `learn UNITS`: rows `{"unit", "site", "keys"}` (every row of a unit in one call) → a partial
//!   model ([`crate::model::LineModel::to_partial_json`]).
//! - `merge PARTIAL…`: partial models → `model.json`, exactly as `run` writes it.
//! - `clean ROWS --model M`: scan rows → `{"order", "id", "failures", "line"}` (`line` is the
//!   record's JSON line).
//! - `write FOLDED`: `{"line", "add", "near"}` → the record line with its duplicates and
//!   near-duplicate summary folded in, as `clean.jsonl` holds it.
//!
//! Each command reads and writes in the order of its input; nothing here runs in parallel.

use crate::clean::CleanOptions;
use crate::container::ContainerOptions;
use crate::digest::sha256;
use crate::error::{Error, Result};
use crate::learn::{self, Member};
use crate::model::LineModel;
use crate::neardup::{self, BANDS};
use crate::pipeline::clean_document;
use crate::record::{Duplicate, Near};
use crate::report::Failure;
use crate::scan::{self, Row};
use crate::source::{Skipped, SourceFile, SourcePath};
use crate::write;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// The version of every format below.
pub const VERSION: u32 = 1;
/// The model bound `run` uses (lines seen once are dropped above this many lines).
const PRUNE_ABOVE: usize = 1 << 25;

/// One file to scan: where to read it, and how the run names it.
#[derive(Debug, Deserialize)]
struct ManifestEntry {
    file: PathBuf,
    path: String,
    site: String,
}

/// A scanned document, with what the driver groups by.
#[derive(Debug, Serialize, Deserialize)]
struct RowLine {
    order: String,
    path: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    path_hex: Option<String>,
    sha256: String,
    site: String,
    keys: Vec<String>,
    signature: Option<Vec<u32>>,
    bands: Option<Vec<String>>,
    row: Row,
}

/// A skipped input.
#[derive(Debug, Serialize)]
struct SkipLine<'a> {
    order: String,
    skip: &'a Skipped,
    walk: bool,
}

/// A row to learn from.
#[derive(Debug, Deserialize)]
struct UnitLine {
    unit: String,
    site: String,
    keys: Vec<String>,
}

/// A cleaned document.
#[derive(Debug, Serialize)]
struct CleanedLine {
    order: String,
    id: String,
    failures: Vec<Failure>,
    line: String,
}

/// A record to finish.
#[derive(Debug, Deserialize)]
struct FoldLine {
    line: String,
    #[serde(default)]
    add: Vec<Duplicate>,
    #[serde(default)]
    near: Option<Near>,
}

/// Scans the files of a manifest into rows; see the module docs.
pub fn scan(manifest: &Path, opts: &ContainerOptions, out: &Path) -> Result<()> {
    let mut sink = Sink::open(out, "chaff-rows")?;
    for (n, line) in lines(manifest)?.into_iter().enumerate() {
        let entry: ManifestEntry = parse(manifest, n, &line)?;
        let name = SourcePath {
            text: entry.path,
            hex: None,
        };
        let len = std::fs::metadata(&entry.file).map(|m| m.len()).unwrap_or(0);
        let file = SourceFile {
            path: entry.file,
            name: name.clone(),
            folder: Some(entry.site),
            input: String::new(),
            len,
        };
        for (part, scanned) in scan::rows(&file, opts).into_iter().enumerate() {
            match scanned {
                Ok((row, signature)) => sink.line(&row_line(row, signature))?,
                Err(skipped) => sink.line(&SkipLine {
                    order: scan::order_key(&name, part as u32),
                    skip: &skipped,
                    walk: false,
                })?,
            }
        }
    }
    sink.finish()
}

fn row_line(row: Row, signature: Option<neardup::Signature>) -> RowLine {
    let bands = signature.as_ref().map(|sig| {
        (0..BANDS)
            .map(|b| format!("{:016x}", neardup::band_key(sig, b)))
            .collect()
    });
    RowLine {
        order: row.order.clone(),
        path: row.name.text.clone(),
        path_hex: row.name.hex.clone(),
        sha256: row.sha256.hex(),
        site: row.site.clone(),
        keys: row.keys().iter().map(|k| format!("{k:016x}")).collect(),
        signature: signature.map(|s| s.0),
        bands,
        row,
    }
}

/// Counts units into a partial model; see the module docs.
pub fn learn(units: &Path, out: &Path) -> Result<()> {
    let mut by_unit: BTreeMap<String, Vec<Member>> = BTreeMap::new();
    for (n, line) in lines(units)?.into_iter().enumerate() {
        let unit: UnitLine = parse(units, n, &line)?;
        let keys = unit
            .keys
            .iter()
            .map(|k| u64::from_str_radix(k, 16))
            .collect::<std::result::Result<Vec<u64>, _>>()
            .map_err(|err| bad_line(units, n, &err.to_string()))?;
        by_unit.entry(unit.unit).or_default().push(Member {
            site: unit.site,
            keys,
        });
    }
    let mut model = LineModel::new(0);
    learn::count(&mut model, by_unit.values().map(|members| members.iter()))
        .map_err(Error::ModelCounts)?;
    write_bytes(out, &model.to_partial_json())
}

/// Merges partial models into the final model file; see the module docs.
pub fn merge(partials: &[PathBuf], out: &Path) -> Result<()> {
    let mut model = LineModel::new(PRUNE_ABOVE);
    for path in partials {
        model
            .merge(&LineModel::load(path, 0)?)
            .map_err(Error::ModelCounts)?;
    }
    model.prune_if_needed();
    write_bytes(out, &model.to_json())
}

/// Cleans scanned rows with a model; see the module docs.
pub fn clean(rows: &Path, model_path: &Path, opts: &CleanOptions, out: &Path) -> Result<()> {
    if opts.min_units < 2 {
        return Err(Error::Usage("--min-units must be at least 2".into()));
    }
    let bytes = std::fs::read(model_path).map_err(|source| Error::ModelRead {
        path: model_path.to_path_buf(),
        source,
    })?;
    let model = LineModel::from_json(&bytes, model_path, PRUNE_ABOVE)?;
    let model_sha = sha256(&bytes).hex();
    let mut sink = Sink::open(out, "chaff-cleaned")?;
    for (n, line) in lines(rows)?.into_iter().enumerate() {
        let row: RowLine = parse(rows, n, &line)?;
        let mut failures = Vec::new();
        if let Some(message) = row.row.failure.clone() {
            failures.push(Failure {
                path: row.path.clone(),
                stage: "extract",
                message,
            });
        }
        let built = clean_document(row.row, &model, &model_sha, opts);
        failures.extend(built.failure);
        let record = built.record.to_line();
        sink.line(&CleanedLine {
            order: row.order,
            id: built.id.hex(),
            failures,
            line: String::from_utf8_lossy(record.trim_ascii_end()).into_owned(),
        })?;
    }
    sink.finish()
}

/// Folds duplicates and near-duplicate summaries into records; see the module docs.
pub fn fold(folded: &Path, out: &Path) -> Result<()> {
    let mut sink = Sink::open(out, "")?;
    for (n, line) in lines(folded)?.into_iter().enumerate() {
        let item: FoldLine = parse(folded, n, &line)?;
        let mut record = item.line.into_bytes();
        record.push(b'\n');
        sink.raw(&write::fold(record, item.add, item.near))?;
    }
    sink.finish()
}

/// The lines of a JSONL file (`-`: standard input) but its header and blank lines.
fn lines(path: &Path) -> Result<Vec<String>> {
    let read_error = |source| Error::Input {
        path: path.to_path_buf(),
        source,
    };
    let reader: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(path).map_err(read_error)?,
        ))
    };
    let mut out = Vec::new();
    for line in reader.lines() {
        let line = line.map_err(read_error)?;
        if line.trim().is_empty() || line.starts_with("{\"format\":") {
            continue;
        }
        out.push(line);
    }
    Ok(out)
}

fn parse<T: for<'de> Deserialize<'de>>(path: &Path, n: usize, line: &str) -> Result<T> {
    serde_json::from_str(line).map_err(|err| bad_line(path, n, &err.to_string()))
}

fn bad_line(path: &Path, n: usize, why: &str) -> Error {
    Error::Usage(format!("{}: entry {}: {why}", path.display(), n + 1))
}

fn write_bytes(out: &Path, bytes: &[u8]) -> Result<()> {
    let mut sink = Sink::open(out, "")?;
    sink.raw(bytes)?;
    sink.finish()
}

/// Where a command writes: standard output (`-`) or a file (written whole, then renamed).
struct Sink {
    path: PathBuf,
    out: Box<dyn Write>,
    file: Option<crate::output::AtomicFile>,
}

impl Sink {
    fn open(path: &Path, format: &str) -> Result<Sink> {
        let (out, file): (Box<dyn Write>, _) = if path == Path::new("-") {
            (Box::new(std::io::BufWriter::new(std::io::stdout())), None)
        } else {
            (
                Box::new(std::io::sink()),
                Some(crate::output::AtomicFile::create(path)?),
            )
        };
        let mut sink = Sink {
            path: path.to_path_buf(),
            out,
            file,
        };
        if !format.is_empty() {
            let header = serde_json::json!({"format": format, "version": VERSION});
            sink.line(&header)?;
        }
        Ok(sink)
    }

    fn line(&mut self, value: &impl Serialize) -> Result<()> {
        let mut bytes = serde_json::to_vec(value).expect("stage lines always serialize");
        bytes.push(b'\n');
        self.raw(&bytes)
    }

    fn raw(&mut self, bytes: &[u8]) -> Result<()> {
        match &mut self.file {
            Some(file) => file.write_all(bytes),
            None => self.out.write_all(bytes).map_err(|source| Error::Output {
                path: self.path.clone(),
                source,
            }),
        }
    }

    fn finish(mut self) -> Result<()> {
        self.out.flush().map_err(|source| Error::Output {
            path: self.path.clone(),
            source,
        })?;
        if let Some(file) = self.file.take() {
            let (done, _) = file.finish()?;
            done.persist()?;
        }
        Ok(())
    }
}

/// The `chaff stage` subcommands (hidden from `chaff --help`: they serve drivers such as
/// `chaff.spark`).
#[derive(Debug, clap::Subcommand)]
pub enum StageCommand {
    /// Scan the files of a manifest into rows.
    Scan {
        /// JSONL manifest: one `{"file", "path", "site"}` per file.
        #[arg(long, value_name = "FILE")]
        manifest: PathBuf,
        /// Output file, or `-` for standard output.
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
        /// Skip documents larger than this.
        #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = crate::cli::parse_size)]
        max_bytes: u64,
        /// JSONL input: the field that holds a line's URL.
        #[arg(long, value_name = "NAME", default_value = "url")]
        jsonl_url: String,
        /// JSONL input: the field that holds a line's HTML.
        #[arg(long, value_name = "NAME", default_value = "html")]
        jsonl_html: String,
        /// JSONL input: the field that holds a line's plain text.
        #[arg(long, value_name = "NAME", default_value = "text")]
        jsonl_text: String,
    },
    /// Count units (rows with a `unit`) into a partial model.
    Learn {
        /// JSONL rows `{"unit", "site", "keys"}`, or `-`.
        units: PathBuf,
        /// Output file, or `-`.
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Merge partial models into the final model file.
    Merge {
        /// Partial model files.
        partials: Vec<PathBuf>,
        /// Output file, or `-`.
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Clean scanned rows with a model.
    Clean {
        /// Rows from `stage scan`, or `-`.
        rows: PathBuf,
        /// The model file.
        #[arg(long, value_name = "FILE")]
        model: PathBuf,
        /// Output file, or `-`.
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
        /// A line must be in this many different articles to count as frequent.
        #[arg(long, value_name = "N", default_value_t = CleanOptions::default().min_units)]
        min_units: u32,
        /// ... and in this share of its site's articles.
        #[arg(long, value_name = "SHARE", default_value_t = CleanOptions::default().site_share)]
        site_share: f64,
        /// A frequent line on this many sites is cross-site furniture.
        #[arg(long, value_name = "N", default_value_t = CleanOptions::default().min_sites)]
        min_sites: u32,
        /// In this share of its site's articles a line is removed even from the article body.
        #[arg(long, value_name = "SHARE", default_value_t = CleanOptions::default().strong_share)]
        strong_share: f64,
    },
    /// Fold duplicates and near-duplicate summaries into records.
    Write {
        /// JSONL `{"line", "add", "near"}`, or `-`.
        folded: PathBuf,
        /// Output file, or `-`.
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// Runs one `chaff stage` subcommand.
pub fn run(command: StageCommand) -> Result<()> {
    match command {
        StageCommand::Scan {
            manifest,
            out,
            max_bytes,
            jsonl_url,
            jsonl_html,
            jsonl_text,
        } => {
            let opts = ContainerOptions {
                max_bytes,
                jsonl_url,
                jsonl_html,
                jsonl_text,
            };
            scan(&manifest, &opts, &out)
        }
        StageCommand::Learn { units, out } => learn(&units, &out),
        StageCommand::Merge { partials, out } => merge(&partials, &out),
        StageCommand::Clean {
            rows,
            model,
            out,
            min_units,
            site_share,
            min_sites,
            strong_share,
        } => {
            let opts = CleanOptions {
                min_units,
                site_share,
                min_sites,
                strong_share,
            };
            clean(&rows, &model, &opts, &out)
        }
        StageCommand::Write { folded, out } => fold(&folded, &out),
    }
}
