//! JSONL (one JSON object per line), line by line over a [`Stream`] (`.jsonl`, `.ndjson`, or
//! gzipped: `.jsonl.gz`, `.json.gz`).
//!
//! A line is a document when it has a non-blank html field (read as HTML) or else a non-blank
//! text field (read as text). Field names are options and may be paths into nested objects
//! (`metadata.url`). Every other field of the line is kept as the part's `upstream` fields, so
//! the upstream `id` and metadata travel with the record. A line that is not valid UTF-8, or
//! holds a lone UTF-16 surrogate escape, is read lossily (U+FFFD) and flagged, as plain files
//! are; a line that is not a JSON object is [`SkipKind::Damaged`].

use super::stream::Stream;
use super::{ContainerOptions, Fail, MAX_HEAD, Part};
use crate::record::ContainerRef;
use crate::source::{SkipKind, Skipped, SourcePath};
use serde_json::{Map, Value};

/// The lines of a JSONL stream, as parts and skips; see the module docs.
pub(crate) struct Jsonl {
    name: SourcePath,
    stream: Stream,
    opts: ContainerOptions,
    /// The number of the last line read.
    number: u64,
    started: bool,
}

impl Jsonl {
    /// Reads the lines of `stream`, naming parts `name#n`.
    pub(crate) fn new(name: SourcePath, stream: Stream, opts: &ContainerOptions) -> Jsonl {
        Jsonl {
            name,
            stream,
            opts: opts.clone(),
            number: 0,
            started: false,
        }
    }

    fn part_name(&self) -> SourcePath {
        self.name.with_suffix(&format!("#{}", self.number))
    }

    /// The longest line read: a payload of `max_bytes` with room for JSON escapes and other
    /// fields.
    fn line_cap(&self) -> usize {
        usize::try_from(
            self.opts
                .max_bytes
                .saturating_mul(2)
                .saturating_add(MAX_HEAD as u64),
        )
        .unwrap_or(usize::MAX)
    }

    /// Finds the end of the next line: `Ok(Some(n))` for a newline at `n`, `Ok(None)` for a
    /// last line without one (or no line), `Err(())` for a line longer than the cap.
    fn line_end(&mut self) -> Result<Option<usize>, ()> {
        let mut scanned = 0;
        loop {
            if let Some(at) = memchr::memchr(b'\n', &self.stream.data()[scanned..]) {
                return Ok(Some(scanned + at));
            }
            scanned = self.stream.data().len();
            if scanned > self.line_cap() {
                return Err(());
            }
            if !self.stream.fill(scanned + 1) {
                return Ok(None);
            }
        }
    }

    fn next_line(&mut self) -> Option<Result<Part, Skipped>> {
        if !self.started {
            self.started = true;
            self.stream.fill(3);
            if self.stream.data().starts_with(b"\xEF\xBB\xBF") {
                self.stream.consume(3);
            }
        }
        loop {
            let end = match self.line_end() {
                Ok(end) => end,
                Err(()) => {
                    self.number += 1;
                    let context = format!("line {}", self.number);
                    if self.stream.skip_to(b"\n") {
                        self.stream.consume(1);
                    }
                    let fail = Fail::TooLarge(format!(
                        "the line is longer than {} bytes (twice --max-bytes)",
                        self.line_cap()
                    ));
                    return Some(Err(fail.skip(self.part_name(), &context)));
                }
            };
            let data = self.stream.data();
            if end.is_none() && data.is_empty() {
                let damage = self.stream.resume()?;
                self.number += 1;
                return Some(Err(Skipped::new(
                    self.part_name(),
                    SkipKind::Damaged,
                    damage.describe(),
                )));
            }
            self.number += 1;
            let line = &data[..end.unwrap_or(data.len())];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().all(u8::is_ascii_whitespace) {
                self.stream.consume(end.map_or(data.len(), |n| n + 1));
                continue;
            }
            let context = format!("line {}", self.number);
            let item = part(line, self.part_name(), self.number, &self.opts);
            self.stream.consume(end.map_or(data.len(), |n| n + 1));
            // A line cut off by damaged gzip data says so. (After a line that reads well, the
            // damage is reported on its own by the next call.)
            let item = match item {
                Err(Fail::Damaged(what)) if end.is_none() && self.stream.damage().is_some() => {
                    let damage = self.stream.resume().map(|d| d.describe());
                    Err(Fail::Damaged(format!(
                        "{what}; {}",
                        damage.unwrap_or_default()
                    )))
                }
                item => item,
            };
            return Some(item.map_err(|fail| fail.skip(self.part_name(), &context)));
        }
    }
}

impl Iterator for Jsonl {
    type Item = Result<Part, Skipped>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_line()
    }
}

/// A JSON line as an object, read lossily when it is not valid UTF-8 or holds lone surrogate
/// escapes; with a note when it had to be.
fn parse(line: &[u8]) -> Result<(Map<String, Value>, Option<String>), Fail> {
    let mut note = None;
    let value = match serde_json::from_slice::<Value>(line) {
        Ok(value) => Ok(value),
        Err(err) => {
            let text = String::from_utf8_lossy(line);
            let mut fixed = text.clone().into_owned();
            let mut what = Vec::new();
            if matches!(text, std::borrow::Cow::Owned(_)) {
                what.push("invalid UTF-8");
            }
            if let Some(repaired) = replace_lone_surrogates(&fixed) {
                fixed = repaired;
                what.push("a lone UTF-16 surrogate");
            }
            if what.is_empty() {
                Err(err)
            } else {
                note = Some(format!(
                    "the JSON line holds {}, read as U+FFFD",
                    what.join(" and ")
                ));
                serde_json::from_str::<Value>(&fixed)
            }
        }
    };
    let value = value.map_err(|err| {
        let what = match err.classify() {
            serde_json::error::Category::Eof => "it breaks off",
            serde_json::error::Category::Syntax => "a syntax error",
            serde_json::error::Category::Data | serde_json::error::Category::Io => "bad data",
        };
        Fail::Damaged(format!("not JSON: {what} at column {}", err.column()))
    })?;
    match value {
        Value::Object(object) => Ok((object, note)),
        _ => Err(Fail::Damaged("not a JSON object".to_owned())),
    }
}

/// The JSON text with every `\uXXXX` escape of a lone UTF-16 surrogate replaced by `\uFFFD`;
/// `None` if there is none.
fn replace_lone_surrogates(json: &str) -> Option<String> {
    let bytes = json.as_bytes();
    let unit = |at: usize| -> Option<u16> {
        let hex = json.get(at + 2..at + 6)?;
        (bytes.get(at) == Some(&b'\\') && bytes.get(at + 1) == Some(&b'u'))
            .then(|| u16::from_str_radix(hex, 16).ok())
            .flatten()
    };
    let mut out = String::with_capacity(json.len());
    let (mut i, mut last, mut changed) = (0, 0, false);
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        match unit(i) {
            Some(high @ 0xD800..=0xDBFF) if matches!(unit(i + 6), Some(0xDC00..=0xDFFF)) => {
                let _ = high;
                i += 12;
            }
            Some(0xD800..=0xDFFF) => {
                out.push_str(&json[last..i]);
                out.push_str("\\uFFFD");
                i += 6;
                last = i;
                changed = true;
            }
            // Any other escape: skip the backslash and the escaped character.
            _ => i += 2,
        }
    }
    out.push_str(json.get(last..).unwrap_or_default());
    changed.then_some(out)
}

/// The value at a field path: the field named `path` if there is one, else the nested field
/// the dotted path leads to (`metadata.url`).
fn lookup<'a>(object: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    if let Some(value) = object.get(path) {
        return Some(value);
    }
    let (first, rest) = path.split_once('.')?;
    match object.get(first)? {
        Value::Object(inner) => lookup(inner, rest),
        _ => None,
    }
}

/// Removes the field at `path` (as [`lookup`] finds it).
fn remove(object: &mut Map<String, Value>, path: &str) {
    if object.remove(path).is_some() {
        return;
    }
    if let Some((first, rest)) = path.split_once('.')
        && let Some(Value::Object(inner)) = object.get_mut(first)
    {
        remove(inner, rest);
    }
}

/// The part one JSONL line holds, or why it holds none.
fn part(line: &[u8], name: SourcePath, number: u64, opts: &ContainerOptions) -> Result<Part, Fail> {
    let (mut object, note) = parse(line)?;
    let text_of = |path: &str| lookup(&object, path).and_then(Value::as_str);
    let (html, text) = (text_of(&opts.jsonl_html), text_of(&opts.jsonl_text));
    let blank = |s: &str| s.trim().is_empty();
    let (payload, is_html) = match (html, text) {
        (Some(html), _) if !blank(html) => (html.to_owned(), true),
        (_, Some(text)) if !blank(text) => (text.to_owned(), false),
        (None, None) => {
            return Err(Fail::Damaged(format!(
                "no \"{}\" or \"{}\" field",
                opts.jsonl_html, opts.jsonl_text
            )));
        }
        _ => return Err(Fail::NoPayload("the payload is empty".to_owned())),
    };
    if payload.len() as u64 > opts.max_bytes {
        return Err(Fail::TooLarge(format!(
            "the payload is larger than --max-bytes ({} bytes)",
            opts.max_bytes
        )));
    }
    let url = lookup(&object, &opts.jsonl_url)
        .and_then(Value::as_str)
        .map(str::to_owned);
    remove(&mut object, &opts.jsonl_html);
    remove(&mut object, &opts.jsonl_text);
    Ok(Part {
        name,
        bytes: payload.into_bytes(),
        url,
        charset: None,
        html: Some(is_html),
        extension: None,
        container: Some(ContainerRef::line(number)),
        lossy: note.is_some(),
        notes: note.into_iter().collect(),
        upstream: (!object.is_empty()).then_some(object),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Skipped;

    #[test]
    fn lone_surrogates_are_replaced_and_pairs_kept() {
        assert_eq!(replace_lone_surrogates(r#"{"a":"x\ud83d\ude00"}"#), None);
        assert_eq!(
            replace_lone_surrogates(r#"{"a":"x\ud800y","b":"\\ud800","c":"\udc00"}"#).as_deref(),
            Some(r#"{"a":"x\uFFFDy","b":"\\ud800","c":"\uFFFD"}"#)
        );
    }

    fn read(data: Vec<u8>) -> Vec<Result<Part, Skipped>> {
        let input = super::super::gzip::Counted::new(Box::new(std::io::Cursor::new(data)));
        let name = SourcePath::new(std::path::Path::new("a.jsonl.gz"));
        Jsonl::new(name, Stream::gzip(input), &ContainerOptions::default()).collect()
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn damaged_gzip_between_lines_is_reported_on_its_own() {
        // Two members: the first ends with a whole line without its newline, the second is cut.
        let mut data = gz(b"{\"text\":\"one\"}\n{\"text\":\"two\"}");
        let second = gz(b"\n{\"text\":\"three\"}\n");
        data.extend_from_slice(&second[..second.len() - 9]);
        let items = read(data);
        let summary: Vec<String> = items
            .iter()
            .map(|i| match i {
                Ok(p) => format!("{} {}", p.name, String::from_utf8_lossy(&p.bytes)),
                Err(s) => format!("{} {}", s.path, s.kind.name()),
            })
            .collect();
        assert_eq!(
            summary[..2],
            ["a.jsonl.gz#1 one".to_owned(), "a.jsonl.gz#2 two".to_owned()]
        );
        assert!(
            items.iter().any(|i| i
                .as_ref()
                .is_err_and(|s| s.message.contains("the gzip data is damaged"))),
            "{summary:?}"
        );
    }

    #[test]
    fn nested_paths() {
        let (object, _) = parse(br#"{"meta":{"url":"u","x":1},"meta.id":"flat"}"#).unwrap();
        assert_eq!(lookup(&object, "meta.url"), Some(&Value::from("u")));
        assert_eq!(lookup(&object, "meta.id"), Some(&Value::from("flat")));
        assert_eq!(lookup(&object, "meta.none"), None);
        let mut object = object;
        remove(&mut object, "meta.url");
        assert_eq!(
            serde_json::to_string(&object).unwrap(),
            r#"{"meta":{"x":1},"meta.id":"flat"}"#
        );
    }
}
