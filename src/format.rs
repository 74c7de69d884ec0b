//! Output formats: how a [`Record`] is written as one line of JSON.
//!
//! - **`chaff`** (the default): the `chaff/1` record of [`crate::record`], field for field.
//! - **`dolma`**: Dolma's document format, so that `dolma tag`, `dolma dedupe` and `dolma mix`
//!   read chaff's output unchanged, and datatrove's `JsonlReader` too (it reads `text` and `id`
//!   and keeps the rest as metadata):
//!
//!   | field | value |
//!   |---|---|
//!   | `id` | the record's `id` (SHA-256 of `text`; unique in one output, since records with the same text are folded into one) |
//!   | `text` | the record's `text` |
//!   | `source` | `--dolma-source` (default `chaff`): Dolma's name of the collection, within which ids are unique |
//!   | `added` | `--dolma-added`, when given; otherwise left out (Dolma's default is an empty string). Not the clock: a run's output does not depend on when it ran |
//!   | `created` | the record's `published` date as the page wrote it; left out when unknown |
//!   | `metadata` | every other field of the `chaff/1` record, as in that format: `schema`, `provenance` (the record's `source`, renamed so that readers which flatten `metadata` into the document, as datatrove does, do not lose it under Dolma's `source`; it includes a JSONL input's upstream fields), `duplicates`, `near`, `site`, `url`, `title`, `author`, `published`, `language`, `lines`, `model` |
//!
//! Either format can leave the removed lines out (`--removed-lines counts`): `lines.removed`
//! and `lines.uncertain` are then the number of such lines instead of their list, and
//! `lines.removed_by_reason` counts the removed lines by rule. The text itself never changes.
//!
//! Every format is a pure function of the record, so output stays byte-identical across runs.

use crate::record::{Duplicate, Lines, Near, Record, Source};
use serde::Serialize;
use std::collections::BTreeMap;

/// The layout of each output record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordFormat {
    /// chaff's own `chaff/1` records.
    #[default]
    Chaff,
    /// Dolma's document format.
    Dolma,
}

impl RecordFormat {
    /// The name used on the command line and in the report.
    pub fn name(self) -> &'static str {
        match self {
            RecordFormat::Chaff => "chaff",
            RecordFormat::Dolma => "dolma",
        }
    }
}

/// How much of the removed lines a record keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RemovedLines {
    /// Every removed and uncertain line, with its text and rule.
    #[default]
    Full,
    /// Only how many lines were removed (by rule) and kept in doubt.
    Counts,
}

impl RemovedLines {
    /// The name used on the command line and in the report.
    pub fn name(self) -> &'static str {
        match self {
            RemovedLines::Full => "full",
            RemovedLines::Counts => "counts",
        }
    }
}

/// How records are written; see the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatOptions {
    /// The layout.
    pub format: RecordFormat,
    /// Whether removed lines are listed or only counted.
    pub removed: RemovedLines,
    /// Dolma's `source` field.
    pub dolma_source: String,
    /// Dolma's `added` field, if given.
    pub dolma_added: Option<String>,
}

impl Default for FormatOptions {
    fn default() -> FormatOptions {
        FormatOptions {
            format: RecordFormat::Chaff,
            removed: RemovedLines::Full,
            dolma_source: "chaff".to_owned(),
            dolma_added: None,
        }
    }
}

impl FormatOptions {
    /// Whether records are written exactly as [`Record::to_line`] writes them.
    pub fn is_plain_chaff(&self) -> bool {
        self.format == RecordFormat::Chaff && self.removed == RemovedLines::Full
    }
}

/// The record as one line of JSON in the chosen format, with its newline.
pub fn encode(record: &Record, opts: &FormatOptions) -> Vec<u8> {
    let lines = LinesView::of(&record.lines, opts.removed);
    let mut out = match opts.format {
        RecordFormat::Chaff if opts.removed == RemovedLines::Full => return record.to_line(),
        RecordFormat::Chaff => serde_json::to_vec(&ChaffView::of(record, lines)),
        RecordFormat::Dolma => serde_json::to_vec(&DolmaView {
            id: &record.id,
            text: &record.text,
            source: &opts.dolma_source,
            added: opts.dolma_added.as_deref(),
            created: record.published.as_deref(),
            metadata: Metadata::of(record, lines),
        }),
    }
    .expect("records always serialize");
    crate::output::escape_line_separators(&mut out);
    out.push(b'\n');
    out
}

/// `lines`, in full or as counts.
#[derive(Serialize)]
#[serde(untagged)]
enum LinesView<'a> {
    Full(&'a Lines),
    Counts {
        total: usize,
        kept: usize,
        removed: usize,
        uncertain: usize,
        removed_by_reason: BTreeMap<&'static str, u64>,
    },
}

impl<'a> LinesView<'a> {
    fn of(lines: &'a Lines, removed: RemovedLines) -> LinesView<'a> {
        match removed {
            RemovedLines::Full => LinesView::Full(lines),
            RemovedLines::Counts => {
                let mut by_reason = BTreeMap::new();
                for line in &lines.removed {
                    *by_reason.entry(line.reason.name()).or_default() += 1;
                }
                LinesView::Counts {
                    total: lines.total,
                    kept: lines.kept,
                    removed: lines.removed.len(),
                    uncertain: lines.uncertain.len(),
                    removed_by_reason: by_reason,
                }
            }
        }
    }
}

/// A `chaff/1` record with its `lines` in another form (fields in the record's order).
#[derive(Serialize)]
struct ChaffView<'a> {
    schema: &'a str,
    id: &'a str,
    source: &'a Source,
    duplicates: &'a [Duplicate],
    #[serde(skip_serializing_if = "Option::is_none")]
    near: &'a Option<Near>,
    site: &'a str,
    url: &'a Option<String>,
    title: &'a Option<String>,
    author: &'a Option<String>,
    published: &'a Option<String>,
    language: &'a Option<String>,
    text: &'a str,
    lines: LinesView<'a>,
    model: &'a str,
}

impl<'a> ChaffView<'a> {
    fn of(r: &'a Record, lines: LinesView<'a>) -> ChaffView<'a> {
        ChaffView {
            schema: &r.schema,
            id: &r.id,
            source: &r.source,
            duplicates: &r.duplicates,
            near: &r.near,
            site: &r.site,
            url: &r.url,
            title: &r.title,
            author: &r.author,
            published: &r.published,
            language: &r.language,
            text: &r.text,
            lines,
            model: &r.model,
        }
    }
}

/// A Dolma document.
#[derive(Serialize)]
struct DolmaView<'a> {
    id: &'a str,
    text: &'a str,
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    added: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<&'a str>,
    metadata: Metadata<'a>,
}

/// The `chaff/1` record without its `id` and `text` (Dolma's own fields).
#[derive(Serialize)]
struct Metadata<'a> {
    schema: &'a str,
    /// chaff's `source`, renamed: readers that flatten `metadata` into the document (datatrove)
    /// would otherwise lose it under Dolma's own `source`.
    provenance: &'a Source,
    duplicates: &'a [Duplicate],
    #[serde(skip_serializing_if = "Option::is_none")]
    near: &'a Option<Near>,
    site: &'a str,
    url: &'a Option<String>,
    title: &'a Option<String>,
    author: &'a Option<String>,
    published: &'a Option<String>,
    language: &'a Option<String>,
    lines: LinesView<'a>,
    model: &'a str,
}

impl<'a> Metadata<'a> {
    fn of(r: &'a Record, lines: LinesView<'a>) -> Metadata<'a> {
        Metadata {
            schema: &r.schema,
            provenance: &r.source,
            duplicates: &r.duplicates,
            near: &r.near,
            site: &r.site,
            url: &r.url,
            title: &r.title,
            author: &r.author,
            published: &r.published,
            language: &r.language,
            lines,
            model: &r.model,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reason::Reason;
    use crate::record::{Removed, Uncertain};
    use serde_json::Value;

    fn record() -> Record {
        let line = br#"{"schema":"chaff/1","id":"ab","source":{"path":"in/a.html","sha256":"cd","bytes":10,"format":"html","encoding":"UTF-8","encoding_from":"utf8","lossy":false},"duplicates":[{"path":"in/b.html","kind":"exact"}],"near":{"cluster":"in/a.html","size":2,"closest":[{"path":"in/c.html","similarity":0.8}]},"site":"example.com","url":"https://example.com/a","title":"A title","author":null,"published":"2024-05-01","language":"en","text":"Kept line.","lines":{"total":3,"kept":1,"removed":[],"uncertain":[]},"model":"ef"}"#;
        let mut r: Record = serde_json::from_slice(line).unwrap();
        r.lines.removed = vec![
            Removed {
                line: 1,
                text: "Home | News".into(),
                reason: Reason::Navigation,
            },
            Removed {
                line: 3,
                text: "Share this".into(),
                reason: Reason::ShareBar,
            },
        ];
        r.lines.uncertain = vec![Uncertain {
            line: 2,
            text: "Kept line.".into(),
            rule: Reason::Byline,
            why: "inside the body".into(),
        }];
        r
    }

    fn parse(bytes: &[u8]) -> Value {
        assert!(bytes.ends_with(b"\n"));
        assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 1);
        serde_json::from_slice(bytes).unwrap()
    }

    #[test]
    fn the_default_is_the_record_itself() {
        let r = record();
        assert_eq!(encode(&r, &FormatOptions::default()), r.to_line());
    }

    #[test]
    fn counts_replace_the_lists_and_keep_every_other_field_in_order() {
        let r = record();
        let opts = FormatOptions {
            removed: RemovedLines::Counts,
            ..FormatOptions::default()
        };
        let counted = encode(&r, &opts);
        let value = parse(&counted);
        assert_eq!(value["lines"]["removed"], 2);
        assert_eq!(value["lines"]["uncertain"], 1);
        assert_eq!(value["lines"]["removed_by_reason"]["navigation"], 1);
        assert_eq!(value["lines"]["removed_by_reason"]["share-bar"], 1);
        assert!(!String::from_utf8_lossy(&counted).contains("Home | News"));
        // Apart from `lines`, the same bytes as the full record.
        let full = String::from_utf8(r.to_line()).unwrap();
        let counted = String::from_utf8(counted).unwrap();
        let before = |s: &str| s[..s.find(r#","lines":"#).unwrap()].to_owned();
        assert_eq!(before(&full), before(&counted));
        assert!(counted.ends_with("\"model\":\"ef\"}\n"), "{counted}");
    }

    #[test]
    fn dolma_documents_carry_the_record_as_metadata() {
        let r = record();
        let opts = FormatOptions {
            format: RecordFormat::Dolma,
            ..FormatOptions::default()
        };
        let doc = parse(&encode(&r, &opts));
        let keys: Vec<&str> = doc
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(keys, ["created", "id", "metadata", "source", "text"]);
        assert_eq!(doc["id"], "ab");
        assert_eq!(doc["text"], "Kept line.");
        assert_eq!(doc["source"], "chaff");
        assert_eq!(doc["created"], "2024-05-01");
        let meta = &doc["metadata"];
        assert_eq!(meta["schema"], "chaff/1");
        assert_eq!(meta["provenance"]["path"], "in/a.html");
        assert!(meta.get("source").is_none(), "no clash with Dolma's source");
        assert_eq!(meta["duplicates"][0]["kind"], "exact");
        assert_eq!(meta["lines"]["removed"][0]["reason"], "navigation");
        assert_eq!(meta["url"], "https://example.com/a");
        assert_eq!(meta["near"]["closest"][0]["path"], "in/c.html");

        let mut unknown = r.clone();
        unknown.published = None;
        let opts = FormatOptions {
            format: RecordFormat::Dolma,
            removed: RemovedLines::Counts,
            dolma_source: "news-crawl".into(),
            dolma_added: Some("2024-06-01T00:00:00Z".into()),
        };
        unknown.text = "One\u{2028}line.".into();
        let line = encode(&unknown, &opts);
        assert!(
            !String::from_utf8_lossy(&line).contains('\u{2028}'),
            "escaped for splitlines()"
        );
        let doc = parse(&line);
        assert_eq!(doc["text"], "One\u{2028}line.");
        assert!(
            doc.get("created").is_none(),
            "no null where Dolma wants a string"
        );
        assert_eq!(doc["added"], "2024-06-01T00:00:00Z");
        assert_eq!(doc["source"], "news-crawl");
        assert_eq!(doc["metadata"]["lines"]["removed"], 2);
    }
}
