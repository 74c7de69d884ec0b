//! Stage 5: write — records, the report, `--text-dir`, and the atomic commit of all outputs.
//!
//! [`record`] builds a document's [`Record`] from its [`Row`] and the cleaner's verdicts;
//! [`fold`] adds what only the whole run knows (the copies folded into it and its near-duplicate
//! cluster) to a record already serialized, in the chosen [`crate::format`]; [`Sink`] is where
//! record lines go (the records file or its shards, see [`crate::sink`], or standard output)
//! and [`commit`] renames the records, `model.json` and `report.json` into place together, only
//! once all are complete, so a failed or killed run leaves no output and a half-written set
//! never appears. Records are written in the run's order, one line each.

use crate::clean::Cleaned;
use crate::error::{Error, Result};
use crate::format::{self, FormatOptions};
use crate::output::{self, Finished};
use crate::record::{self, Duplicate, Lines, Near, Record, Removed, Uncertain};
use crate::report::Report;
use crate::scan::Row;
use crate::sink::{FileSink, SinkOptions, StdoutSink};
use crate::source::SourcePath;
use std::path::{Path, PathBuf};

/// The record of a cleaned document, without the copies and near-duplicates only the whole run
/// knows. `notes` are the document's own notes plus any failure to clean it.
pub fn record(row: Row, cleaned: &Cleaned, notes: Vec<String>, model_sha: &str) -> Record {
    let doc = &row.doc;
    let text = cleaned.text(doc);
    let lines = &doc.lines;
    let removed = cleaned
        .removed()
        .map(|(i, reason)| Removed {
            line: lines[i].number,
            text: lines[i].text.clone(),
            reason,
        })
        .collect();
    let uncertain = cleaned
        .notes
        .iter()
        .map(|note| Uncertain {
            line: lines[note.index].number,
            text: lines[note.index].text.clone(),
            rule: note.rule,
            why: note.why.clone(),
        })
        .collect();
    let meta = &doc.meta;
    let title = meta
        .title
        .clone()
        .or_else(|| cleaned.title.map(|i| lines[i].text.trim().to_owned()));
    let container = row.container_ref();
    let upstream = row.upstream();
    Record {
        schema: record::SCHEMA.to_owned(),
        id: record::id_of(&text).hex(),
        source: record::Source {
            path: row.name.text,
            path_hex: row.name.hex,
            sha256: row.sha256.hex(),
            bytes: row.bytes,
            format: doc.format,
            encoding: doc.decoding.encoding.clone(),
            encoding_from: doc.decoding.from,
            lossy: doc.decoding.lossy,
            container,
            notes,
            upstream,
        },
        duplicates: Vec::new(),
        near: None,
        site: row.site,
        url: meta.url.clone(),
        title,
        author: meta.author.clone(),
        published: meta.published.clone(),
        language: meta.language.clone(),
        lines: Lines {
            total: lines.iter().filter(|l| !l.is_blank()).count(),
            kept: cleaned.kept(),
            removed,
            uncertain,
        },
        text,
        model: model_sha.to_owned(),
    }
}

/// Sorts duplicates as records list them: by path, compared component by component, then kind.
pub fn sort_duplicates(duplicates: &mut [Duplicate]) {
    duplicates.sort_by(|a, b| {
        Path::new(&a.path)
            .cmp(Path::new(&b.path))
            .then(a.kind.cmp(&b.kind))
    });
}

/// A record line with `extra` duplicates and its near-duplicate cluster added, in the output
/// format (the line as it is when there is nothing to add and the format is chaff's own).
///
/// `line` is a record as [`record`] builds it: no duplicates and no cluster yet.
pub fn fold(
    line: Vec<u8>,
    mut extra: Vec<Duplicate>,
    near: Option<Near>,
    format: &FormatOptions,
) -> Vec<u8> {
    if format.is_plain_chaff() {
        if extra.is_empty() && near.is_none() {
            return line;
        }
        if let Some(spliced) = splice(&line, &mut extra, near.as_ref()) {
            return spliced;
        }
    }
    let mut record: Record = serde_json::from_slice(&line).expect("records are valid JSON");
    record.duplicates.extend(extra);
    sort_duplicates(&mut record.duplicates);
    record.near = near;
    format::encode(&record, format)
}

/// Chaff's own format: the copies and the cluster written into the line where the record's
/// empty `duplicates` stands, so the record is neither parsed nor serialized again. The bytes
/// are those [`Record::to_line`] gives for the record with them. `None` if the line has no empty
/// `duplicates` field.
fn splice(line: &[u8], extra: &mut [Duplicate], near: Option<&Near>) -> Option<Vec<u8>> {
    const EMPTY: &[u8] = br#","duplicates":[],"site":"#;
    // The last match is the record's own field: `source.upstream` before it may hold any keys,
    // the fields after it hold none but their own.
    let at = memchr::memmem::rfind(line, EMPTY)?;
    sort_duplicates(extra);
    let mut inserted = br#","duplicates":"#.to_vec();
    serde_json::to_writer(&mut inserted, &*extra).ok()?;
    if let Some(near) = near {
        inserted.extend_from_slice(br#","near":"#);
        serde_json::to_writer(&mut inserted, near).ok()?;
    }
    inserted.extend_from_slice(br#","site":"#);
    crate::output::escape_line_separators(&mut inserted);
    let mut out = Vec::with_capacity(line.len() + inserted.len());
    out.extend_from_slice(&line[..at]);
    out.extend_from_slice(&inserted);
    out.extend_from_slice(&line[at + EMPTY.len()..]);
    Some(out)
}

/// Counts a written record, and the `copies` of it that were folded in, into the report.
pub fn count(report: &mut Report, record: &Record, copies: usize) {
    report.written += 1;
    report.lines.total += record.lines.total as u64;
    report.lines.kept += record.lines.kept as u64;
    report.lines.removed += record.lines.removed.len() as u64;
    report.lines.uncertain += record.lines.uncertain.len() as u64;
    if record.source.lossy {
        report.decoding.lossy += 1;
    }
    if record.source.encoding_from == crate::decode::EncodingSource::Guessed {
        report.decoding.guessed += 1;
    }
    for removed in &record.lines.removed {
        *report.removed.entry(removed.reason).or_default() += 1;
    }
    let site = report.sites.entry(record.site.clone()).or_default();
    site.written += 1;
    site.duplicates += copies as u64;
    site.lines += record.lines.total as u64;
    site.removed += record.lines.removed.len() as u64;
}

/// Writes a record's clean text to `DIR/<source.path>.txt`.
pub fn text_file(dir: &Path, record: &Record) -> Result<()> {
    let name = SourcePath {
        text: record.source.path.clone(),
        hex: record.source.path_hex.clone(),
    };
    let target = dir.join(name.relative_path("txt"));
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|source| Error::Output {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    output::write_file(&target, record.text.as_bytes())?;
    Ok(())
}

/// Where record lines go.
pub enum Sink {
    /// The records file or shards, under temporary names until [`commit`].
    File(Box<FileSink>),
    /// Standard output.
    Stdout(StdoutSink),
}

impl Sink {
    /// A sink for the output folder `dir` (the records files in it, as `opts` names them), or
    /// standard output.
    pub fn open(dir: Option<&Path>, opts: &SinkOptions) -> Result<Sink> {
        Ok(match dir {
            Some(dir) => Sink::File(Box::new(FileSink::create(dir, opts))),
            None => Sink::Stdout(StdoutSink::create(opts.compression)?),
        })
    }

    /// Writes one record line.
    pub fn write(&mut self, line: &[u8]) -> Result<()> {
        match self {
            Sink::File(file) => file.write(line),
            Sink::Stdout(out) => out.write(line),
        }
    }
}

/// Completes the outputs: for a folder, `clean.jsonl`, `model.json` (if one was learned) and
/// `report.json` are finished under temporary names, and renamed into place together only when
/// all are complete and `still_wanted` says the run was not cancelled meanwhile (the report
/// last, see [`output::commit_set`]). Returns the files written.
pub fn commit(
    sink: Sink,
    dir: Option<&Path>,
    model_json: Option<&[u8]>,
    report: &mut Report,
    still_wanted: impl Fn() -> Result<()>,
) -> Result<Vec<PathBuf>> {
    let (file, dir) = match (sink, dir) {
        (Sink::Stdout(out), _) => {
            out.finish()?;
            return Ok(Vec::new());
        }
        (Sink::File(file), Some(dir)) => (file, dir),
        (Sink::File(_), None) => unreachable!("a file sink has a folder"),
    };
    let written = file.finish()?;
    let mut finished: Vec<Finished> = Vec::new();
    for part in written.files {
        report.outputs.insert(part.name, part.summary);
        finished.push(part.finished);
    }
    if let Some(json) = model_json {
        let (model, summary) = output::finish_file(&dir.join("model.json"), json)?;
        report.outputs.insert("model.json".into(), summary);
        finished.push(model);
    }
    let target = dir.join("report.json");
    let (report_file, _) = output::finish_file(&target, &report.to_json())?;
    still_wanted()?;
    // Renames can still fail on a target that is a folder: check them all first.
    let targets: Vec<PathBuf> = finished
        .iter()
        .map(|f| f.target().to_path_buf())
        .chain([target])
        .collect();
    for target in &targets {
        replaceable(target)?;
    }
    // The report goes last: it names the others.
    output::commit_set(finished, report_file)?;
    // Records files of an earlier run that this set replaces (more shards, another compression).
    crate::sink::remove_files(&written.stale)?;
    Ok(targets)
}

/// Checks that an output file can be replaced: it does not exist, or is not a folder.
pub fn replaceable(target: &Path) -> Result<()> {
    match std::fs::symlink_metadata(target) {
        Ok(meta) if meta.is_dir() => Err(Error::Output {
            path: target.to_path_buf(),
            source: std::io::Error::other("a folder is in the way"),
        }),
        _ => Ok(()),
    }
}

/// Checks that an output folder exists and is a folder.
pub fn check_dir(dir: &Path) -> Result<()> {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(Error::Output {
            path: dir.to_path_buf(),
            source: std::io::Error::other("not a folder"),
        }),
        Err(source) => Err(Error::Output {
            path: dir.to_path_buf(),
            source,
        }),
    }
}

/// Checks, before any work, that the run's outputs can be written: the folder exists and no
/// output name is taken by a folder.
pub fn check_out_dir(dir: &Path, sink: &SinkOptions) -> Result<()> {
    check_dir(dir)?;
    replaceable(&FileSink::first_target(dir, sink))?;
    for name in ["model.json", "report.json"] {
        replaceable(&dir.join(name))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{DuplicateKind, NearMember};

    #[test]
    fn folding_splices_what_a_reserialized_record_would_hold() {
        // An upstream field that looks like the record's own empty list must stay as it is.
        let line = "{\"schema\":\"chaff/1\",\"id\":\"ab\",\"source\":{\"path\":\"in/a\u{2028}.txt\",\"sha256\":\"cd\",\"bytes\":10,\"format\":\"text\",\"encoding\":\"UTF-8\",\"encoding_from\":\"utf8\",\"lossy\":false,\"upstream\":{\"duplicates\":[],\"site\":\"x\"}},\"duplicates\":[],\"site\":\"example.com\",\"url\":null,\"title\":\"A\",\"author\":null,\"published\":null,\"language\":null,\"text\":\"Kept \\\"duplicates\\\":[].\",\"lines\":{\"total\":1,\"kept\":1,\"removed\":[],\"uncertain\":[]},\"model\":\"ef\"}";
        let record: Record = serde_json::from_str(line).unwrap();
        let line = record.to_line();
        let duplicate = |path: &str, kind| Duplicate {
            path: path.into(),
            path_hex: None,
            kind,
            of: None,
        };
        let extra = vec![
            duplicate("in/c\u{2029}.txt", DuplicateKind::SameText),
            duplicate("in/b.txt", DuplicateKind::Exact),
        ];
        let near = Near {
            cluster: "in/a.txt".into(),
            size: 2,
            closest: vec![NearMember {
                path: "in/d.txt".into(),
                path_hex: None,
                similarity: 0.81,
            }],
        };
        let format = FormatOptions::default();
        for near in [None, Some(near)] {
            let mut expected = record.clone();
            expected.duplicates = extra.clone();
            sort_duplicates(&mut expected.duplicates);
            expected.near = near.clone();
            let folded = fold(line.clone(), extra.clone(), near, &format);
            assert_eq!(
                String::from_utf8(folded).unwrap(),
                String::from_utf8(expected.to_line()).unwrap()
            );
        }
    }
}
