//! Stage 3a: the JSONL record, one per unique document.
//!
//! Records are serialized with their fields in the order below, without whitespace, one per line,
//! UTF-8, in sorted order of `source.path`. Fields that may be unknown are always present (as
//! `null`), except the few marked *optional*, which are left out when they do not apply. Records
//! hold no timestamps, absolute paths or anything that depends on the machine, the time or the
//! number of threads, so two runs over the same input give the same bytes.
//!
//! # Schema `chaff/1`
//! | field | type | meaning |
//! |---|---|---|
//! | `schema` | string | always `"chaff/1"` |
//! | `id` | string | SHA-256 (hex) of `text`: the same clean text has the same id in every run |
//! | `source.path` | string | the input argument joined with the path below it, `/`-separated, never absolute; for a record inside a container, the container's path, `#`, and the record's number |
//! | `source.path_hex` | string, optional | the raw bytes of the file name in hex, when it is not valid UTF-8 |
//! | `source.sha256` | string | SHA-256 (hex) of the raw bytes of the document (the payload, for containers) |
//! | `source.bytes` | integer | size of those bytes |
//! | `source.format` | `"text"` \| `"html"` | how the document was read |
//! | `source.encoding` | string | the encoding used to decode it (WHATWG name, e.g. `UTF-8`, `windows-1252`) |
//! | `source.encoding_from` | string | where the encoding came from: `bom`, `declared`, `header`, `utf8`, `guessed` |
//! | `source.lossy` | bool | some bytes were invalid in that encoding and were replaced by U+FFFD |
//! | `source.notes` | array of strings, optional | how the document had to be repaired to be read (e.g. markup nested too deep was flattened) |
//! | `source.container` | object, optional | for a record inside a WARC or JSONL file: `{"kind", "offset", "length"?, "inner_offset"?, "record_id"?, "date"?, "target_uri"?}`, see [`ContainerRef`] |
//! | `source.upstream` | object, optional | for a JSONL line: its other fields as they were (all but the html and text fields), e.g. the upstream `id` |
//! | `duplicates` | array | other inputs folded into this record, in sorted path order: `{"path", "kind", "of"?}`; `kind` is `exact` (same bytes) or `same-text` (different bytes, same clean text); `of` names the copy it duplicates when that is not this record's source |
//! | `near` | object, optional | present when other written records are near-duplicates of this one (the same story elsewhere): `{"cluster", "size", "closest"}`; `cluster` is the path of the cluster's first record (the same in every member's record), `size` the number of its records, `closest` at most three other members, most similar first: `{"path", "similarity"}` with the estimated Jaccard similarity, two decimals |
//! | `site` | string | the site: the URL's host, else the first folder below the input, else the input's name |
//! | `url` | string \| null | the document's URL (canonical link, `og:url`, container) |
//! | `title` | string \| null | the title (metadata, else the title line) |
//! | `author` | string \| null | the author(s) from metadata |
//! | `published` | string \| null | the publication date from metadata, as written |
//! | `language` | string \| null | the language from metadata |
//! | `text` | string | the kept lines, joined by `\n` |
//! | `lines.total` | integer | non-blank lines of the document |
//! | `lines.kept` | integer | lines kept (= lines of `text`) |
//! | `lines.removed` | array | every removed line: `{"line", "text", "reason"}`; `line` is the 1-based line number in the source text (for HTML, the block number in the page's text); `reason` is a rule name (see the README) |
//! | `lines.uncertain` | array | lines kept although a rule had doubts: `{"line", "text", "rule", "why"}` |
//! | `model` | string | SHA-256 (hex) of the model file used to clean |

use crate::digest::Sha256Digest;
use crate::extract::Format;
use crate::reason::Reason;
use serde::{Deserialize, Serialize};

/// The schema name written into every record.
pub const SCHEMA: &str = "chaff/1";

/// One JSONL record; see the module docs for every field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// SHA-256 of `text`.
    pub id: String,
    /// Where the document came from.
    pub source: Source,
    /// Copies of this document.
    pub duplicates: Vec<Duplicate>,
    /// Its near-duplicate cluster, if other records are in it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub near: Option<Near>,
    /// The site.
    pub site: String,
    /// The URL.
    pub url: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// The author(s).
    pub author: Option<String>,
    /// The publication date.
    pub published: Option<String>,
    /// The language.
    pub language: Option<String>,
    /// The clean text.
    pub text: String,
    /// What happened to each line.
    pub lines: Lines,
    /// SHA-256 of the model.
    pub model: String,
}

/// Provenance of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The document's path.
    pub path: String,
    /// The raw bytes of the path, in hex, when it is not UTF-8.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub path_hex: Option<String>,
    /// SHA-256 of the raw bytes.
    pub sha256: String,
    /// Number of raw bytes.
    pub bytes: u64,
    /// Text or HTML.
    pub format: Format,
    /// The encoding used.
    pub encoding: String,
    /// Where the encoding came from.
    pub encoding_from: crate::decode::EncodingSource,
    /// Whether invalid bytes were replaced.
    pub lossy: bool,
    /// Where inside a container the document was.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub container: Option<ContainerRef>,
    /// How the document had to be repaired to be read, if it had to be.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub notes: Vec<String>,
    /// For a JSONL line: its other fields as they were (all but the html and text fields).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub upstream: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Where inside a container a document was: what an auditor needs to find the original bytes.
///
/// For a WARC (or ARC) record, `offset` and `length` are where the record is stored in the file as it is
/// on disk: in a `.warc.gz`, the gzip member(s) holding it (the offset and length of Common
/// Crawl's index: `dd bs=1 skip=OFFSET count=LENGTH | gunzip` gives the record back); in a plain
/// `.warc`, the record's own bytes. `inner_offset` is there only when the record does not start
/// its gzip member (a WARC gzipped as one stream): the record's offset in the member's
/// decompressed bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerRef {
    /// `warc`, `arc` or `jsonl`.
    pub kind: String,
    /// WARC: the byte offset of the stored record (see above); JSONL: the line number.
    pub offset: u64,
    /// WARC: the stored record's length in bytes (see above).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub length: Option<u64>,
    /// WARC: the record's offset within its gzip member's decompressed bytes, when not 0.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub inner_offset: Option<u64>,
    /// The `WARC-Record-ID`, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub record_id: Option<String>,
    /// The `WARC-Date` (when the page was captured), if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date: Option<String>,
    /// The `WARC-Target-URI`, if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub target_uri: Option<String>,
}

impl ContainerRef {
    /// A line of a JSONL file.
    pub fn line(number: u64) -> ContainerRef {
        ContainerRef {
            kind: "jsonl".to_owned(),
            offset: number,
            length: None,
            inner_offset: None,
            record_id: None,
            date: None,
            target_uri: None,
        }
    }
}

/// How a duplicate relates to the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DuplicateKind {
    /// The same bytes.
    Exact,
    /// Different bytes, the same clean text.
    SameText,
}

impl DuplicateKind {
    /// The kind's name in the output.
    pub fn name(self) -> &'static str {
        match self {
            DuplicateKind::Exact => "exact",
            DuplicateKind::SameText => "same-text",
        }
    }
}

/// A copy of a record's document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Duplicate {
    /// The copy's path.
    pub path: String,
    /// The copy's path as raw bytes in hex, when it is not UTF-8.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub path_hex: Option<String>,
    /// How it relates.
    pub kind: DuplicateKind,
    /// The path it is an exact copy of, when that is not the record's own source.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub of: Option<String>,
}

/// A record's near-duplicate cluster: other written records carry the same story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Near {
    /// The path of the cluster's first record: the cluster's id.
    pub cluster: String,
    /// The number of records in the cluster, this one included.
    pub size: usize,
    /// The most similar other members, most similar first (at most three).
    pub closest: Vec<NearMember>,
}

/// Another member of a record's near-duplicate cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearMember {
    /// Its path.
    pub path: String,
    /// Its path as raw bytes in hex, when it is not UTF-8.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub path_hex: Option<String>,
    /// The estimated Jaccard similarity, two decimals.
    pub similarity: f64,
}

/// What happened to each line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lines {
    /// Non-blank lines.
    pub total: usize,
    /// Kept lines.
    pub kept: usize,
    /// Removed lines, in order.
    pub removed: Vec<Removed>,
    /// Lines kept in doubt, in order.
    pub uncertain: Vec<Uncertain>,
}

/// A removed line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    /// 1-based line (or block) number.
    pub line: u32,
    /// The line's text.
    pub text: String,
    /// The rule that removed it.
    pub reason: Reason,
}

/// A line kept although a rule had doubts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uncertain {
    /// 1-based line (or block) number.
    pub line: u32,
    /// The line's text.
    pub text: String,
    /// The rule that had doubts.
    pub rule: Reason,
    /// Why it was kept.
    pub why: String,
}

impl Record {
    /// The record as one line of JSON, with its newline.
    pub fn to_line(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec(self).expect("records always serialize");
        crate::output::escape_line_separators(&mut out);
        out.push(b'\n');
        out
    }
}

/// The id of a clean text.
pub fn id_of(text: &str) -> Sha256Digest {
    crate::digest::sha256(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_order_and_optional_ones_vanish() {
        let record = Record {
            schema: SCHEMA.into(),
            id: "i".into(),
            source: Source {
                path: "seeds/a.txt".into(),
                path_hex: None,
                sha256: "s".into(),
                bytes: 3,
                format: Format::Text,
                encoding: "UTF-8".into(),
                encoding_from: crate::decode::EncodingSource::Utf8,
                lossy: false,
                container: None,
                notes: vec![],
                upstream: None,
            },
            duplicates: vec![Duplicate {
                path: "seeds/b.txt".into(),
                path_hex: None,
                kind: DuplicateKind::SameText,
                of: None,
            }],
            near: None,
            site: "seeds".into(),
            url: None,
            title: Some("T".into()),
            author: None,
            published: None,
            language: None,
            text: "T".into(),
            lines: Lines {
                total: 1,
                kept: 1,
                removed: vec![],
                uncertain: vec![],
            },
            model: "m".into(),
        };
        let line = String::from_utf8(record.to_line()).unwrap();
        assert!(
            line.starts_with(
                r#"{"schema":"chaff/1","id":"i","source":{"path":"seeds/a.txt","sha256":"s""#
            ),
            "{line}"
        );
        assert!(line.contains(r#""duplicates":[{"path":"seeds/b.txt","kind":"same-text"}]"#));
        assert!(line.contains(r#""url":null,"title":"T""#));
        assert!(line.ends_with("}\n"));
        let back: Record = serde_json::from_str(&line).unwrap();
        assert_eq!(back, record);
    }
}
