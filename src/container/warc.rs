//! WARC 1.0/1.1, record by record, over a [`Stream`] (a plain `.warc` or a `.warc.gz`).
//!
//! Each record is read as its framing says (version line, header fields, blank line,
//! `Content-Length` bytes, CRLF CRLF) and only one record's block is held at a time; a block
//! larger than the documents chaff keeps is skipped without being held. `response`, `resource`
//! and `conversion` (WET text) records are documents; `revisit` records are reported as such,
//! naming the record they revisit (and, when it is in the same file, its part name);
//! `warcinfo`, `request`, `metadata` and `continuation` records are not inputs.
//!
//! A record whose framing is broken is [`SkipKind::Damaged`], and reading goes on at the next
//! line that starts a WARC record. A damaged gzip member costs the records it held, each
//! reported, and reading goes on at the next member.

use super::http::{
    self, Fields, HeadError, Media, head_lines, media_type, not_a_page, parse_length,
};
use super::stream::Stream;
use super::{ContainerOptions, Fail, MAX_HEAD, Part, quote};
use crate::record::ContainerRef;
use crate::source::{SkipKind, Skipped, SourcePath};
use rustc_hash::FxHashMap;

/// The first bytes of a WARC 1.x record.
pub(crate) const MAGIC: &[u8] = b"WARC/1.";

/// The records of a WARC stream, as parts and skips; see the module docs.
pub(crate) struct Warc {
    name: SourcePath,
    stream: Stream,
    opts: ContainerOptions,
    /// The number of the last record begun.
    number: u64,
    /// Part names of the documents read so far, by record id and by (target URI, date), for
    /// the revisits that refer to them.
    by_id: FxHashMap<String, u64>,
    by_capture: FxHashMap<(String, String), u64>,
}

/// What one step of reading gave (a value returned at once, never stored: its size does not
/// matter).
#[allow(clippy::large_enum_variant)]
enum Next {
    Item(Result<Part, Skipped>),
    /// A record that is not an input.
    Nothing,
    End,
}

/// A record's header: where it starts, its fields and its framing.
struct Head {
    start: u64,
    fields: Fields,
    /// Bytes from the record's start to its block.
    block_start: usize,
    length: u64,
}

impl Iterator for Warc {
    type Item = Result<Part, Skipped>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.record() {
                Next::Item(item) => return Some(item),
                Next::Nothing => {}
                Next::End => return None,
            }
        }
    }
}

impl Warc {
    /// Reads the records of `stream`, naming parts `name#n`.
    pub(crate) fn new(name: SourcePath, stream: Stream, opts: &ContainerOptions) -> Warc {
        Warc {
            name,
            stream,
            opts: opts.clone(),
            number: 0,
            by_id: FxHashMap::default(),
            by_capture: FxHashMap::default(),
        }
    }

    fn part_name(&self) -> SourcePath {
        self.name.with_suffix(&format!("#{}", self.number))
    }

    /// Reads the next record.
    fn record(&mut self) -> Next {
        if !self.stream.skip_blank_lines() {
            // Nothing left before the end or a break. A break here lost whatever it held.
            return match self.stream.resume() {
                None => Next::End,
                Some(damage) => {
                    self.number += 1;
                    Next::Item(Err(Skipped::new(
                        self.part_name(),
                        SkipKind::Damaged,
                        damage.describe(),
                    )))
                }
            };
        }
        let start = self.stream.offset();
        self.number += 1;
        let context = self.context(start);
        let head = match self.head(start) {
            Ok(head) => head,
            Err(fail) => return Next::Item(Err(fail.skip(self.part_name(), &context))),
        };
        let kind = head
            .fields
            .get("warc-type")
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let document = matches!(kind.as_str(), "response" | "resource" | "conversion");
        let item = if document && head.length <= block_cap(self.opts.max_bytes) {
            self.document(&head, &kind)
        } else {
            self.skip_block(&head, &kind, document)
        };
        self.stream.forget_before(self.stream.offset());
        match item {
            Ok(None) => Next::Nothing,
            Ok(Some(part)) => Next::Item(Ok(part)),
            Err(fail) => {
                let mut skipped = fail.skip(self.part_name(), &context);
                // Damage met while looking for the next record belongs to this one.
                if skipped.kind == SkipKind::Damaged
                    && self.stream.data().is_empty()
                    && let Some(damage) = self.stream.resume()
                {
                    skipped.message.push_str("; ");
                    skipped.message.push_str(&damage.describe());
                }
                Next::Item(Err(skipped))
            }
        }
    }

    /// "WARC record at byte N" (of the gzip member at byte M), for messages.
    fn context(&self, start: u64) -> String {
        let stored = self.stream.stored(start);
        if stored.inner == 0 {
            format!("WARC record at byte {}", stored.offset)
        } else {
            format!(
                "WARC record at byte {} of the gzip member at byte {}",
                stored.inner, stored.offset
            )
        }
    }

    /// Consumes up to the next line that starts a WARC record, or everything.
    fn resync(&mut self) {
        if self.stream.skip_to(b"\nWARC/1.") {
            self.stream.consume(1);
        }
    }

    /// Reads the version line and header fields of the record at `start`.
    fn head(&mut self, start: u64) -> Result<Head, Fail> {
        self.stream.fill(MAX_HEAD + 1);
        let data = self.stream.data();
        if !data.starts_with(b"WARC/") {
            let line = data.split(|&b| b == b'\n').next().unwrap_or_default();
            let what = format!("expected a WARC version line, found {}", quote(line));
            self.stream.consume(1);
            self.resync();
            return Err(Fail::Damaged(what));
        }
        let (fields, block_start) = match head_lines(data) {
            Ok((lines, block_start)) => (
                Fields::parse(lines.get(1..).unwrap_or_default()),
                block_start,
            ),
            Err(HeadError::Unfinished) => {
                return Err(self
                    .stream
                    .cut_short("truncated: the header breaks off".to_owned()));
            }
            Err(HeadError::TooLong) => {
                self.stream.consume(1);
                self.resync();
                return Err(Fail::Damaged(format!(
                    "the header is longer than {MAX_HEAD} bytes"
                )));
            }
        };
        let length = match fields.get("content-length").map(|v| (v, parse_length(v))) {
            Some((_, Some(length))) => length,
            bad => {
                let what = match bad {
                    None => "no Content-Length".to_owned(),
                    Some((value, _)) => format!("bad Content-Length {}", quote(value.as_bytes())),
                };
                self.stream.consume(block_start);
                self.resync();
                return Err(Fail::Damaged(what));
            }
        };
        Ok(Head {
            start,
            fields,
            block_start,
            length,
        })
    }

    /// Reads past a record whose block is not kept: not a document, or too large to be one.
    fn skip_block(
        &mut self,
        head: &Head,
        kind: &str,
        document: bool,
    ) -> Result<Option<Part>, Fail> {
        self.stream.consume(head.block_start);
        let got = self.stream.skip(head.length);
        if got < head.length {
            return Err(self.stream.cut_short(format!(
                "truncated: Content-Length is {} bytes but only {got} bytes are left",
                head.length
            )));
        }
        if document {
            return Err(Fail::TooLarge(format!(
                "the record's block is {} bytes, more than --max-bytes ({} bytes) allows",
                head.length, self.opts.max_bytes
            )));
        }
        match kind {
            "revisit" => Err(Fail::Revisit(self.revisit(&head.fields))),
            "" => Err(Fail::Damaged("no WARC-Type".to_owned())),
            _ => Ok(None),
        }
    }

    /// Reads a `response`, `resource` or `conversion` record whole, and its payload.
    fn document(&mut self, head: &Head, kind: &str) -> Result<Option<Part>, Fail> {
        let length = usize::try_from(head.length).unwrap_or(usize::MAX);
        let end = head.block_start.saturating_add(length);
        // The block, the CRLF CRLF after it and the start of the next record.
        self.stream.fill(end.saturating_add(8));
        let data = self.stream.data();
        if data.len() < end {
            let left = data.len() - head.block_start;
            let what = format!(
                "truncated: Content-Length is {} bytes but only {left} bytes are left",
                head.length
            );
            if self.stream.damage().is_some() {
                return Err(self.stream.cut_short(what));
            }
            // The file ends inside the block: a wrong Content-Length may hide records in it.
            self.stream.consume(head.block_start);
            self.resync();
            return Err(Fail::Damaged(what));
        }
        let newlines = data[end..]
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let after = &data[end + newlines..];
        if !after.starts_with(&MAGIC[..after.len().min(5)]) {
            self.stream.consume(head.block_start);
            self.resync();
            return Err(Fail::Damaged(format!(
                "Content-Length {} does not end at the next record",
                head.length
            )));
        }
        let next = head.start + (end + newlines) as u64;
        // A damaged member that held the end of this record damages the record.
        if after.is_empty()
            && let Some(damage) = self.stream.damage()
            && damage.at == self.stream.member_start(next - 1)
        {
            return Err(self
                .stream
                .cut_short("its gzip member is damaged".to_owned()));
        }
        let block = &data[head.block_start..end];
        let payload = payload(self.part_name(), &head.fields, kind, block, &self.opts);
        let container = self.provenance(head, next);
        self.stream.consume(end + newlines);
        let mut part = payload?;
        part.container = Some(container);
        if let Some(id) = head.fields.get("warc-record-id") {
            self.by_id.insert(id.to_owned(), self.number);
        }
        if let (Some(uri), Some(date)) = (&part.url, head.fields.get("warc-date")) {
            self.by_capture
                .insert((uri.clone(), date.to_owned()), self.number);
        }
        Ok(Some(part))
    }

    /// Where the record from `head.start` to `next` is stored, and what it says it is.
    fn provenance(&self, head: &Head, next: u64) -> ContainerRef {
        let stored = self.stream.stored(head.start);
        let length = self
            .stream
            .stored_end(next - 1)
            .map(|end| end.saturating_sub(stored.offset));
        let field = |name: &str| head.fields.get(name).map(str::to_owned);
        ContainerRef {
            kind: "warc".to_owned(),
            offset: stored.offset,
            length,
            inner_offset: (stored.inner != 0).then_some(stored.inner),
            record_id: field("warc-record-id"),
            date: field("warc-date"),
            target_uri: target_uri(&head.fields),
        }
    }

    /// What a revisit record refers to, in words.
    fn revisit(&self, fields: &Fields) -> String {
        let uri = target_uri(fields).unwrap_or_else(|| "an unnamed URI".to_owned());
        let refers_to = fields.get("warc-refers-to");
        let date = fields
            .get("warc-refers-to-date")
            .or_else(|| fields.get("warc-date"));
        let original = refers_to
            .and_then(|id| self.by_id.get(id))
            .or_else(|| {
                let refers_uri = fields.get("warc-refers-to-target-uri").map(unbracket);
                let key = (refers_uri.unwrap_or(uri.clone()), date?.to_owned());
                self.by_capture.get(&key)
            })
            .map(|number| self.name.with_suffix(&format!("#{number}")));
        let mut message = format!("a revisit of {uri}");
        if let Some(id) = refers_to {
            message.push_str(&format!(" (WARC-Refers-To {id})"));
        }
        match original {
            Some(name) => message.push_str(&format!(", the record {name}")),
            None => message.push_str(", not a record read before it in this file"),
        }
        message
    }
}

/// The most bytes of a record's block kept to find a payload of at most `max_bytes`: room for
/// HTTP headers and chunk framing.
fn block_cap(max_bytes: u64) -> u64 {
    max_bytes
        .saturating_add(max_bytes / 8)
        .saturating_add(MAX_HEAD as u64)
}

/// A URI without the angle brackets WARC 1.0 examples put around it.
fn unbracket(uri: &str) -> String {
    let uri = uri.trim();
    uri.strip_prefix('<')
        .and_then(|u| u.strip_suffix('>'))
        .unwrap_or(uri)
        .to_owned()
}

fn target_uri(fields: &Fields) -> Option<String> {
    fields.get("warc-target-uri").map(unbracket)
}

/// The payload of a `response`, `resource` or `conversion` record, as the part `name` (its
/// container is set by the caller).
fn payload(
    name: SourcePath,
    fields: &Fields,
    kind: &str,
    block: &[u8],
    opts: &ContainerOptions,
) -> Result<Part, Fail> {
    if fields.get("warc-segment-number").is_some() {
        return Err(Fail::NoPayload(
            "a segmented record (not supported)".to_owned(),
        ));
    }
    let record_type = fields.get("content-type");
    let is_http = kind == "response"
        && match record_type {
            Some(t) => t.to_ascii_lowercase().starts_with("application/http"),
            None => block.starts_with(b"HTTP/"),
        };
    let body = if is_http {
        http::payload(block, opts.max_bytes)?
    } else {
        let (media, _) = media_type(record_type);
        if let Media::Other(other) = media {
            return Err(not_a_page(&other));
        }
        http::Body {
            bytes: block.to_vec(),
            content_type: record_type.map(str::to_owned),
            notes: Vec::new(),
        }
    };
    http::document(name, body, target_uri(fields), opts)
}
