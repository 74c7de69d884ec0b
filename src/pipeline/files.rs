//! The stages' on-disk forms, and the `chaff stage` commands that read and write them, so that a
//! stage can run in another process on another machine (a Spark task) and its result can be
//! inspected.
//!
//! Every file is JSONL (UTF-8, one JSON object per line) whose first line is a header
//! `{"format": NAME, "version": 1}`; the header is the only line with a `format` key. The forms:
//!
//! - **rows** (`chaff-rows`), written by [`scan`]: one line per input seen, in the run's order —
//!   a document ([`RowLine`]: its name, `order`, SHA-256, site, near-duplicate `signature` and
//!   `bands`, distinct line `keys`, and the extracted `doc`), or a skipped input
//!   (`{"order", "skip": {"path", "path_hex"?, "kind", "message"}, "walk"}`).
//! - **units** (no header needed), read by [`learn`]: lines `{"unit", "site", "keys"}` — rows with
//!   the id of their near-duplicate cluster; all rows of a unit in one call. [`learn`] writes a
//!   partial model, [`merge`] adds partial models into `model.json`.
//! - **cleaned** (`chaff-cleaned`), written by [`clean`]: `{"order", "id", "signature",
//!   "failures", "empty", "record"}` per row.
//! - **folded** (no header needed), read by [`write`]: `{"order", "record", "add", "near"}`: a
//!   record with the duplicates to add and its near-duplicate summary; [`write`] gives the final
//!   `clean.jsonl` lines.
//!
//! What a driver does between the commands (exact, near and same-text decisions, the order) is in
//! the README's "Stages" section. Each command gives the same bytes as `chaff run` for the same
//! documents: they call the same per-document code.

use super::{CHUNK_DOCS, CHUNK_FILES, clean_document, load_model, pool};
use crate::clean::CleanOptions;
use crate::container::ContainerOptions;
use crate::digest::Sha256Digest;
use crate::error::{Error, Result};
use crate::extract::Document;
use crate::learn::{self, Member};
use crate::model::LineModel;
use crate::neardup::{self, Signature};
use crate::record::{Duplicate, Near, Record};
use crate::report::Failure;
use crate::scan::{self, Row};
use crate::source::{Skipped, SourceFile, SourcePath};
use crate::walk::{self, WalkOptions};
use crate::write;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// The version of every form in this module.
pub const VERSION: u32 = 1;
/// The format name of scanned rows.
pub const ROWS: &str = "chaff-rows";
/// The format name of cleaned rows.
pub const CLEANED: &str = "chaff-cleaned";

/// A document as the scan writes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RowLine {
    /// Its place in the run's order ([`scan::order_key`]): sort by it as a plain string.
    pub order: String,
    /// `source.path`.
    pub path: String,
    /// `source.path_hex`, when the name is not UTF-8.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub path_hex: Option<String>,
    /// SHA-256 of the bytes, hex: exact duplicates have the same.
    pub sha256: String,
    /// The number of bytes.
    pub bytes: u64,
    /// The site.
    pub site: String,
    /// `source.container`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub container: Option<serde_json::Value>,
    /// `source.upstream`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub upstream: Option<serde_json::Value>,
    /// The MinHash signature (64 integers), or `null` when the document is too short.
    pub signature: Option<Vec<u32>>,
    /// The signature's 32 band keys, 16 hex digits each.
    pub bands: Option<Vec<String>>,
    /// The distinct keys of its lines, sorted, 16 hex digits each: what learning counts.
    pub keys: Vec<String>,
    /// Extraction failed (a bug in chaff): the message the report lists.
    pub failure: Option<String>,
    /// The extracted document (for `stage clean`; opaque to a driver).
    pub doc: Document,
}

impl RowLine {
    /// The line of a row and its signature.
    pub fn new(row: Row, signature: Option<Signature>) -> RowLine {
        let parse =
            |json: &Option<String>| json.as_deref().and_then(|j| serde_json::from_str(j).ok());
        RowLine {
            order: row.order.clone(),
            path: row.name.text.clone(),
            path_hex: row.name.hex.clone(),
            sha256: row.sha256.hex(),
            bytes: row.bytes,
            site: row.site.clone(),
            container: parse(&row.container),
            upstream: parse(&row.upstream),
            bands: signature.as_ref().map(|s| {
                neardup::band_keys(s)
                    .iter()
                    .map(|k| format!("{k:016x}"))
                    .collect()
            }),
            signature: signature.map(|s| s.0),
            keys: row.keys().iter().map(|k| format!("{k:016x}")).collect(),
            failure: row.failure,
            doc: row.doc,
        }
    }

    /// The row back, and its signature.
    pub fn into_row(self) -> Result<(Row, Option<Signature>), String> {
        let sha256 = Sha256Digest::from_hex(&self.sha256)
            .ok_or_else(|| format!("{}: bad sha256 {:?}", self.path, self.sha256))?;
        let text = |v: Option<serde_json::Value>| v.map(|v| v.to_string());
        let row = Row {
            name: SourcePath {
                text: self.path,
                hex: self.path_hex,
            },
            order: self.order,
            sha256,
            bytes: self.bytes,
            site: self.site,
            container: text(self.container),
            upstream: text(self.upstream),
            doc: self.doc,
            failure: self.failure,
        };
        Ok((row, self.signature.map(Signature)))
    }
}

/// A skipped input as the scan writes it.
#[derive(Debug, Serialize)]
struct SkipLine<'a> {
    order: String,
    skip: &'a Skipped,
    /// Found by the folder walk (listed before every skip found reading files).
    walk: bool,
}

/// What a line of any form is, by its top-level keys.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    format: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    skip: Option<serde::de::IgnoredAny>,
}

fn header(format: &str) -> Vec<u8> {
    format!("{{\"format\":\"{format}\",\"version\":{VERSION}}}\n").into_bytes()
}

fn line(value: &impl Serialize) -> Vec<u8> {
    let mut out = serde_json::to_vec(value).expect("stage lines serialize");
    out.push(b'\n');
    out
}

/// Where a command writes: a file (`-o FILE`, written atomically) or standard output (`-o -`).
pub struct Out {
    target: Option<PathBuf>,
    file: Option<crate::output::AtomicFile>,
    stdout: Option<std::io::BufWriter<std::io::StdoutLock<'static>>>,
}

impl Out {
    /// Opens `target` (`-` is standard output).
    pub fn open(target: &Path) -> Result<Out> {
        if target.as_os_str() == "-" {
            return Ok(Out {
                target: None,
                file: None,
                stdout: Some(std::io::BufWriter::new(std::io::stdout().lock())),
            });
        }
        Ok(Out {
            target: Some(target.to_path_buf()),
            file: Some(crate::output::AtomicFile::create(target)?),
            stdout: None,
        })
    }

    /// Writes bytes.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        if let Some(file) = &mut self.file {
            return file.write_all(bytes);
        }
        let out = self.stdout.as_mut().expect("an output");
        out.write_all(bytes).map_err(|source| Error::Output {
            path: PathBuf::from("<stdout>"),
            source,
        })
    }

    /// Completes the output.
    pub fn finish(self) -> Result<Option<PathBuf>> {
        if let Some(file) = self.file {
            file.commit()?;
            return Ok(self.target);
        }
        if let Some(mut out) = self.stdout {
            out.flush().map_err(|source| Error::Output {
                path: PathBuf::from("<stdout>"),
                source,
            })?;
        }
        Ok(None)
    }
}

/// One file to scan under a name of the driver's choosing: a line of a `--manifest`
/// (`{"file": local path, "path": source.path, "site": the site when the document names none}`).
#[derive(Debug, Deserialize)]
pub struct ManifestEntry {
    /// Where the bytes are.
    pub file: PathBuf,
    /// The document's `source.path`.
    pub path: String,
    /// The site of documents that carry no URL.
    pub site: String,
}

/// What to scan: inputs walked as `chaff run` walks them, or files named by a manifest.
pub enum ScanInputs {
    /// Files and folders.
    Walk(Vec<PathBuf>, WalkOptions),
    /// A manifest's entries.
    Manifest(Vec<ManifestEntry>),
}

/// `chaff stage scan`: writes the rows of every input, in the run's order.
pub fn scan(
    inputs: ScanInputs,
    opts: &ContainerOptions,
    threads: usize,
    out: &mut Out,
) -> Result<()> {
    let links = tempfile::tempdir().map_err(|source| Error::Output {
        path: std::env::temp_dir(),
        source,
    })?;
    let (files, skipped) = match inputs {
        ScanInputs::Walk(inputs, walk_opts) => {
            let walked = walk::files(&inputs, &walk_opts)?;
            (walked.files, walked.skipped)
        }
        ScanInputs::Manifest(entries) => (manifest_files(entries, links.path())?, Vec::new()),
    };
    out.write(&header(ROWS))?;
    for skip in &skipped {
        let order = scan::order_key(&skip.path, 0);
        out.write(&line(&SkipLine {
            order,
            skip,
            walk: true,
        }))?;
    }
    let pool = pool(threads)?;
    for chunk in files.chunks(CHUNK_FILES) {
        let lines: Vec<Vec<Vec<u8>>> =
            pool.install(|| chunk.par_iter().map(|file| scan_file(file, opts)).collect());
        for bytes in lines.iter().flatten() {
            out.write(bytes)?;
        }
    }
    Ok(())
}

/// The lines of one file's rows and skips.
fn scan_file(file: &SourceFile, opts: &ContainerOptions) -> Vec<Vec<u8>> {
    scan::rows(file, opts)
        .into_iter()
        .enumerate()
        .map(|(n, item)| match item {
            Ok((row, signature)) => line(&RowLine::new(row, signature)),
            Err(skip) => {
                let order = scan::order_key(&file.name, n as u32);
                line(&SkipLine {
                    order,
                    skip: &skip,
                    walk: false,
                })
            }
        })
        .collect()
}

/// The files of a manifest. A container is recognized by its name, so a file whose name differs
/// from its `path`'s is reached through a link of that name in `links`.
fn manifest_files(entries: Vec<ManifestEntry>, links: &Path) -> Result<Vec<SourceFile>> {
    let mut files = Vec::with_capacity(entries.len());
    for (n, entry) in entries.into_iter().enumerate() {
        let meta = std::fs::metadata(&entry.file).map_err(|source| Error::Input {
            path: entry.file.clone(),
            source,
        })?;
        let name = SourcePath::new(Path::new(&entry.path));
        let wanted = Path::new(&entry.path).file_name().map(|n| n.to_os_string());
        let path = match wanted {
            Some(wanted) if entry.file.file_name() != Some(wanted.as_os_str()) => {
                let dir = links.join(n.to_string());
                let link = dir.join(&wanted);
                let made = std::fs::create_dir_all(&dir).and_then(|()| {
                    let target = std::path::absolute(&entry.file)?;
                    link_file(&target, &link)
                });
                made.map_err(|source| Error::Output {
                    path: link.clone(),
                    source,
                })?;
                link
            }
            _ => entry.file,
        };
        files.push(SourceFile {
            path,
            name,
            folder: Some(entry.site),
            input: String::new(),
            len: meta.len(),
        });
    }
    Ok(files)
}

#[cfg(unix)]
fn link_file(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn link_file(target: &Path, link: &Path) -> std::io::Result<()> {
    std::fs::copy(target, link).map(drop)
}

/// Reads a manifest file.
pub fn read_manifest(path: &Path) -> Result<Vec<ManifestEntry>> {
    let mut entries = Vec::new();
    for_each_line(path, |n, text| {
        let entry = serde_json::from_str(text).map_err(|e| bad_line(path, n, &e.to_string()))?;
        entries.push(entry);
        Ok(())
    })?;
    Ok(entries)
}

fn bad_line(path: &Path, n: usize, problem: &str) -> Error {
    Error::Usage(format!("{}:{n}: {problem}", path.display()))
}

/// Calls `f` with every non-blank line that is not a header (numbered from 1).
fn for_each_line(path: &Path, mut f: impl FnMut(usize, &str) -> Result<()>) -> Result<()> {
    let fail = |source| Error::Input {
        path: path.to_path_buf(),
        source,
    };
    let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin().lock()))
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(path).map_err(fail)?,
        ))
    };
    for (n, text) in reader.lines().enumerate() {
        let text = text.map_err(fail)?;
        if text.trim().is_empty() {
            continue;
        }
        if n == 0 {
            let probe: Probe =
                serde_json::from_str(&text).map_err(|e| bad_line(path, 1, &e.to_string()))?;
            if probe.format.is_some() {
                continue;
            }
        }
        f(n + 1, &text)?;
    }
    Ok(())
}

/// A line of units: a row with its unit.
#[derive(Deserialize)]
struct UnitLine {
    unit: String,
    site: String,
    keys: Vec<String>,
}

fn parse_key(key: &str) -> Option<u64> {
    (key.len() == 16)
        .then(|| u64::from_str_radix(key, 16).ok())
        .flatten()
}

/// `chaff stage learn`: the partial model of the units in these files (every row of a unit must
/// be among them).
pub fn learn(paths: &[PathBuf]) -> Result<LineModel> {
    let mut units: BTreeMap<String, Vec<Member>> = BTreeMap::new();
    for path in paths {
        for_each_line(path, |n, text| {
            let unit: UnitLine =
                serde_json::from_str(text).map_err(|e| bad_line(path, n, &e.to_string()))?;
            let keys = unit
                .keys
                .iter()
                .map(|k| {
                    parse_key(k).ok_or_else(|| bad_line(path, n, &format!("bad line key {k:?}")))
                })
                .collect::<Result<Vec<u64>>>()?;
            units.entry(unit.unit).or_default().push(Member {
                site: unit.site,
                keys,
            });
            Ok(())
        })?;
    }
    let mut model = LineModel::new(0);
    learn::count(&mut model, units.values().map(|members| members.iter()))
        .map_err(Error::ModelCounts)?;
    Ok(model)
}

/// `chaff stage merge`: the sum of models (partial or not).
pub fn merge(paths: &[PathBuf]) -> Result<LineModel> {
    let mut model = LineModel::new(0);
    for path in paths {
        let part = LineModel::load(path, 0)?;
        model.merge(&part).map_err(|e| Error::ModelInvalid {
            path: path.clone(),
            problem: format!("cannot be added to the other models: {e}"),
        })?;
    }
    Ok(model)
}

/// A cleaned row, as `stage clean` writes it.
#[derive(Serialize)]
struct CleanedLine {
    order: String,
    /// SHA-256 of the clean text: same-text duplicates have the same.
    id: String,
    signature: Option<Vec<u32>>,
    /// Extraction, then cleaning failures.
    failures: Vec<Failure>,
    /// The document cleaned to nothing: it is skipped as `empty-output`, never written.
    empty: bool,
    record: Record,
}

/// `chaff stage clean`: every document row of these files cleaned with the model in
/// `model_path`, in order.
pub fn clean(
    paths: &[PathBuf],
    model_path: &Path,
    opts: &CleanOptions,
    threads: usize,
    out: &mut Out,
) -> Result<()> {
    super::check_thresholds(opts)?;
    let (model, model_sha) = load_model(model_path, 0)?;
    out.write(&header(CLEANED))?;
    let mut batch: Vec<(usize, String)> = Vec::new();
    let pool = pool(threads)?;
    let flush = |batch: &mut Vec<(usize, String)>, out: &mut Out, path: &Path| -> Result<()> {
        let lines: Vec<Result<Vec<u8>>> = pool.install(|| {
            batch
                .par_iter()
                .map(|(n, text)| {
                    clean_line(text, &model, &model_sha, opts).map_err(|e| bad_line(path, *n, &e))
                })
                .collect()
        });
        for bytes in lines {
            let bytes = bytes?;
            if !bytes.is_empty() {
                out.write(&bytes)?;
            }
        }
        batch.clear();
        Ok(())
    };
    for path in paths {
        for_each_line(path, |n, text| {
            batch.push((n, text.to_owned()));
            if batch.len() >= CHUNK_DOCS {
                flush(&mut batch, out, path)?;
            }
            Ok(())
        })?;
        flush(&mut batch, out, path)?;
    }
    Ok(())
}

/// The cleaned line of one row line (nothing for a skip line).
fn clean_line(
    text: &str,
    model: &LineModel,
    model_sha: &str,
    opts: &CleanOptions,
) -> Result<Vec<u8>, String> {
    let probe: Probe = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if probe.skip.is_some() {
        return Ok(Vec::new());
    }
    let row: RowLine = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let (row, signature) = row.into_row()?;
    let extraction = row.failure.as_ref().map(|message| Failure {
        path: row.name.text.clone(),
        stage: "extract",
        message: message.clone(),
    });
    let order = row.order.clone();
    let built = clean_document(row, model, model_sha, opts);
    Ok(line(&CleanedLine {
        order,
        id: built.id.hex(),
        signature: signature.map(|s| s.0),
        failures: extraction.into_iter().chain(built.failure).collect(),
        empty: built.record.text.is_empty(),
        record: built.record,
    }))
}

/// A record to write with what only the whole run knows.
#[derive(Deserialize)]
struct FoldedLine {
    record: Record,
    #[serde(default)]
    add: Vec<Duplicate>,
    #[serde(default)]
    near: Option<Near>,
}

/// `chaff stage write`: the final `clean.jsonl` lines of folded records, in the order given.
pub fn write(paths: &[PathBuf], out: &mut Out) -> Result<()> {
    for path in paths {
        for_each_line(path, |n, text| {
            let folded: FoldedLine =
                serde_json::from_str(text).map_err(|e| bad_line(path, n, &e.to_string()))?;
            let mut record = folded.record;
            record.duplicates.extend(folded.add);
            write::sort_duplicates(&mut record.duplicates);
            record.near = folded.near;
            out.write(&record.to_line())
        })?;
    }
    Ok(())
}
