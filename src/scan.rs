//! Stage 1: scan — read each input file, hash, decode and extract its documents.
//!
//! [`crate::container::open`] is where one input file becomes its documents ([`Part`]s, read as
//! they are pulled: a WARC file is streamed record by record). [`payload`] hashes a part with
//! SHA-256 and sniffs whether it is a document at all (HTML, text, or a [`Skipped`] entry);
//! [`extract`] turns a [`Payload`] into a [`Row`]: the extracted document (lines and metadata),
//! its site, and its near-duplicate [`Signature`]. [`rows`] does all of it for a whole file.
//!
//! Everything here is a pure function of one file's bytes, its name and the options, so files
//! are scanned in parallel and the result does not depend on scheduling. Rows come out in file
//! order; [`order_key`] names each row's place in the run's order as a string (see the README's
//! "Stages" section), so rows scanned on different machines sort back into the same order.

use crate::container::{self, ContainerOptions, Part};
use crate::digest::{Sha256Digest, sha256};
use crate::extract::{self, Document, Hints};
use crate::guard::guarded;
use crate::neardup::{self, Signature};
use crate::record::ContainerRef;
use crate::source::{SkipKind, Skipped, SourceFile, SourcePath, hex_bytes};
use serde::{Deserialize, Serialize};
use std::path::{Component, Path};

/// A payload read from a file, ready to be deduplicated and extracted.
#[derive(Debug)]
pub struct Payload {
    /// The document's name (`file#n` for a part of a container).
    pub name: SourcePath,
    /// Its place in the run's order ([`order_key`]).
    pub order: String,
    /// The payload's bytes.
    pub bytes: Vec<u8>,
    /// Their SHA-256.
    pub sha256: Sha256Digest,
    /// Whether it is read as HTML (else plain text).
    pub html: bool,
    /// The extension to sniff by.
    pub extension: Option<String>,
    /// The URL the container gives.
    pub url: Option<String>,
    /// The charset the container gives.
    pub charset: Option<String>,
    /// Where inside a container it was.
    pub container: Option<ContainerRef>,
    /// How the container had to be repaired to read it.
    pub notes: Vec<String>,
    /// Whether the container replaced bytes by U+FFFD to read it.
    pub lossy: bool,
    /// A JSONL line's other fields.
    pub upstream: Option<serde_json::Map<String, serde_json::Value>>,
}

/// One document as the later stages see it: who it is, and what was extracted from it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    /// The document's name.
    pub name: SourcePath,
    /// Its place in the run's order ([`order_key`]).
    pub order: String,
    /// SHA-256 of its bytes.
    pub sha256: Sha256Digest,
    /// The number of its bytes.
    pub bytes: u64,
    /// Its site: the URL's host, else the file's folder below the input, else the input's name.
    pub site: String,
    /// Where inside a container it was, as the record's JSON (kept as text so that the
    /// container's fields may grow without changing this type's binary form).
    pub container: Option<String>,
    /// A JSONL line's other fields, as JSON text (for the same reason).
    pub upstream: Option<String>,
    /// The extracted document.
    pub doc: Document,
    /// Extraction failed (a bug in chaff) and the document was read as well as it could be.
    pub failure: Option<String>,
}

impl Row {
    /// The distinct keys of the document's lines, sorted: what learning counts.
    pub fn keys(&self) -> Vec<u64> {
        let mut keys: Vec<u64> = self.doc.lines.iter().filter_map(|l| l.key).collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// Where inside a container the document was.
    pub fn container_ref(&self) -> Option<ContainerRef> {
        self.container
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
    }

    /// A JSONL line's other fields.
    pub fn upstream(&self) -> Option<serde_json::Map<String, serde_json::Value>> {
        self.upstream
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
    }
}

/// Hashes one part of a file and says whether it is a document at all; `order` is its place in
/// the run's order ([`order_key`]).
pub fn payload(part: Part, order: String) -> Result<Payload, Skipped> {
    let html = match extract::sniff(&part.bytes, part.extension.as_deref()) {
        Ok(sniffed) => part.html.unwrap_or(sniffed),
        Err(not) => {
            let (kind, message) = match not {
                extract::NotADocument::Empty => (SkipKind::Empty, "empty file".to_owned()),
                extract::NotADocument::Binary(what) => {
                    (SkipKind::Binary, format!("not text: looks like {what}"))
                }
            };
            return Err(Skipped::new(part.name, kind, message));
        }
    };
    Ok(Payload {
        order,
        name: part.name,
        sha256: sha256(&part.bytes),
        bytes: part.bytes,
        html,
        extension: part.extension,
        url: part.url,
        charset: part.charset,
        container: part.container,
        notes: part.notes,
        lossy: part.lossy,
        upstream: part.upstream,
    })
}

/// Extracts a payload from `file` into a row and its near-duplicate signature.
pub fn extract(payload: Payload, file: &SourceFile) -> (Row, Option<Signature>) {
    let hints = Hints {
        extension: payload.extension.as_deref(),
        url: payload.url.as_deref(),
        charset: payload.charset.as_deref(),
        html: Some(payload.html),
    };
    let (mut doc, failure) = extract_guarded(extract::parse, &payload.bytes, payload.html, &hints);
    doc.notes.splice(0..0, payload.notes);
    doc.decoding.lossy |= payload.lossy;
    let site = site_of(&doc, file);
    let signature = signature_of(&doc);
    let row = Row {
        name: payload.name,
        order: payload.order,
        sha256: payload.sha256,
        bytes: payload.bytes.len() as u64,
        site,
        container: payload.container.map(|c| to_json(&c)),
        upstream: payload.upstream.map(|u| to_json(&u)),
        doc,
        failure,
    };
    (row, signature)
}

/// Scans one file: its documents as rows (with signatures) and what is not a document.
pub fn rows(
    file: &SourceFile,
    opts: &ContainerOptions,
) -> Vec<Result<(Row, Option<Signature>), Skipped>> {
    container::open(file, opts)
        .enumerate()
        .map(|(n, part)| row(file, n, part?))
        .collect()
}

/// Reads part `n` (0-based, in file order) of `file` as a run reads it: sniffed, hashed and
/// extracted into a row, with its near-duplicate signature.
pub fn row(file: &SourceFile, n: usize, part: Part) -> Result<(Row, Option<Signature>), Skipped> {
    let payload = payload(part, order_key(&file.name, n as u32))?;
    Ok(extract(payload, file))
}

fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The site of a document from `file`: the host of its URL, else the file's site by path.
pub fn site_of(doc: &Document, file: &SourceFile) -> String {
    doc.meta
        .host
        .clone()
        .unwrap_or_else(|| file.site_from_path().to_owned())
}

/// The near-duplicate signature of a document: over the lines the DOM did not drop.
pub fn signature_of(doc: &Document) -> Option<Signature> {
    neardup::signature(
        doc.lines
            .iter()
            .filter(|l| l.block.dropped.is_none())
            .map(|l| l.text.as_str()),
    )
}

/// The place of part `part` (0-based, in file order) of the file named `file` in the run's
/// order, as a string whose plain (byte or code point) order is the run's order: each component
/// of the file's name as lowercase hex of its UTF-8 bytes (`..` as `00`, `.` as nothing), joined
/// by `/`, then `#` and the part's number as 8 hex digits. Since `/` sorts before every hex digit,
/// this is the walk's order (names compared component by component), then file order.
pub fn order_key(file: &SourcePath, part: u32) -> String {
    let mut out = String::with_capacity(file.text.len() * 2 + 12);
    for (i, component) in Path::new(&file.text).components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        match component {
            Component::Normal(name) => out.push_str(&hex_bytes(name.as_encoded_bytes())),
            Component::ParentDir => out.push_str("00"),
            _ => {}
        }
    }
    out.push('#');
    out.push_str(&format!("{part:08x}"));
    out
}

/// Extracts a payload; if the extractor fails (a bug in chaff), reads it as plain text instead
/// (or as nothing, if that fails too), notes it in the document and returns the message.
/// (`parse` is [`extract::parse`]; tests pass one that fails.)
fn extract_guarded(
    parse: fn(&[u8], bool, &Hints<'_>) -> Document,
    bytes: &[u8],
    html: bool,
    hints: &Hints<'_>,
) -> (Document, Option<String>) {
    let why = match guarded(|| parse(bytes, html, hints)) {
        Ok(doc) => return (doc, None),
        Err(why) => why,
    };
    let (mut doc, fallback) = match guarded(|| parse(bytes, false, hints)) {
        Ok(doc) if html => (doc, "read as plain text instead"),
        _ => (Document::nothing(html), "no lines were read"),
    };
    let message = format!("internal error in extraction ({why}); {fallback}");
    doc.notes.push(message.clone());
    (doc, Some(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An HTML extractor with a bug: it fails on every page.
    fn broken_html(bytes: &[u8], html: bool, hints: &Hints<'_>) -> Document {
        assert!(!html, "the HTML extractor fails");
        extract::parse(bytes, html, hints)
    }

    /// An extractor that fails on everything.
    fn broken(_: &[u8], _: bool, _: &Hints<'_>) -> Document {
        panic!("the extractor fails")
    }

    #[test]
    fn a_failing_html_extractor_falls_back_to_text_and_says_so() {
        let page = b"<p>First paragraph of the story.</p>\n<p>Second one.</p>";
        let (doc, failure) = extract_guarded(broken_html, page, true, &Hints::default());
        let message = failure.expect("the failure is returned");
        assert!(message.contains("the HTML extractor fails"), "{message}");
        assert!(message.contains("read as plain text"), "{message}");
        assert_eq!(doc.notes, [message]);
        let texts: Vec<&str> = doc.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0].contains("First paragraph"), "{texts:?}");
    }

    #[test]
    fn an_extractor_that_always_fails_leaves_an_empty_document() {
        let (doc, failure) = extract_guarded(broken, b"some text", false, &Hints::default());
        let message = failure.expect("the failure is returned");
        assert!(message.contains("no lines were read"), "{message}");
        assert!(doc.lines.is_empty());
        assert_eq!(doc.notes, [message]);
    }

    #[test]
    fn a_working_extractor_is_not_touched() {
        let hints = Hints::default();
        let (doc, failure) = extract_guarded(extract::parse, b"one\ntwo", false, &hints);
        assert_eq!(failure, None);
        assert!(doc.notes.is_empty());
        assert_eq!(doc.lines.len(), 2);
    }

    #[test]
    fn order_keys_sort_as_the_walk_and_the_container() {
        let key = |name: &str, part| order_key(&SourcePath::new(Path::new(name)), part);
        // The walk visits `a/b` (inside folder `a`) before `a-c`, though "a-c" < "a/b" as text.
        assert!(key("in/a/b", 0) < key("in/a-c", 0));
        assert!(key("in/a", 0) < key("in/ab", 0));
        assert!(key("x.warc", 2) < key("x.warc", 10));
        let mut names = vec![
            "in/b.txt",
            "in/a/z.txt",
            "in/a.txt",
            "in/a-b/c.txt",
            "in/a/b/c",
        ];
        let mut by_path = names.clone();
        by_path.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
        names.sort_by_key(|n| key(n, 0));
        assert_eq!(names, by_path);
    }
}
