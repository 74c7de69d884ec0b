//! Containers: files that hold documents instead of being one — gzip, WARC and JSONL.
//!
//! [`unpack`] takes the raw bytes of one [`SourceFile`] and gives the documents inside it as
//! [`Part`]s, and what is inside but is not a document as [`Skipped`] entries, in file order:
//!
//! - **plain file**: one part, the bytes as they are, named like the file.
//! - **gzip** (a `.gz` name or the `1f 8b` magic): all members are decompressed, at most
//!   `max_bytes` of output (more is refused as [`SkipKind::TooLarge`] without decompressing the
//!   rest), and the result is read by its inner name: `x.html.gz` is an HTML page, `x.warc.gz` a
//!   WARC file, `x.jsonl.gz` a JSONL file. A gzip stream that breaks off is decompressed as far
//!   as it goes; what was lost is reported as [`SkipKind::Damaged`].
//! - **WARC** 1.0/1.1 (a `.warc` name, or `WARC/1.` at the start): one part per `response` or
//!   `resource` record whose payload is HTML or plain text (or has no content type), named
//!   `file#n` with `n` the 1-based number of the record in the file (every record counts,
//!   including those that are not inputs). For HTTP responses the status line and headers are
//!   read and the body is taken, de-chunked (`Transfer-Encoding: chunked`) and decoded
//!   (`Content-Encoding: gzip` or `deflate`). A response with another status than 2xx, another
//!   content type (an image, a PDF, JSON…), an empty body or an unsupported content encoding is
//!   [`SkipKind::NoPayload`]; a damaged or truncated record is [`SkipKind::Damaged`] naming its
//!   byte offset, and reading goes on at the next line that starts a WARC record, if there is
//!   one. `request`, `metadata`, `warcinfo`, `revisit`, `conversion` and `continuation` records
//!   are not inputs and are not reported.
//! - **JSONL** (`.jsonl`, `.ndjson`): one part per line with an `html` or a `text` field (the
//!   field names are options), named `file#n` with `n` the 1-based line number; blank lines are
//!   ignored; a line that is not a JSON object or has neither field is [`SkipKind::Damaged`].
//!
//! Nothing here panics or allocates without bound on any input: lengths are checked, every
//! decompression is capped at `max_bytes`, and no part is larger than `max_bytes`. The result
//! depends only on the bytes, the file's name and the options.

use crate::record::ContainerRef;
use crate::source::{SkipKind, Skipped, SourceFile, SourcePath};
use flate2::bufread::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};
use std::io::Read;
use std::path::Path;

/// The longest WARC or HTTP header block read, in bytes.
const MAX_HEAD: usize = 64 * 1024;
/// The first bytes of a gzip stream.
const GZIP_MAGIC: &[u8] = b"\x1f\x8b";
/// The first bytes of a WARC 1.x record.
const WARC_MAGIC: &[u8] = b"WARC/1.";

/// One document found inside a file (or the file itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The file's name; for a part of a WARC or JSONL file, followed by `#<n>`, the 1-based
    /// number of the record or line.
    pub name: SourcePath,
    /// The payload: the file's bytes, decompressed; for WARC, the HTTP body, de-chunked and
    /// decoded. Never longer than [`ContainerOptions::max_bytes`].
    pub bytes: Vec<u8>,
    /// The URL it was fetched from: `WARC-Target-URI`, or the JSONL url field.
    pub url: Option<String>,
    /// The charset named by the HTTP `Content-Type` header (lowercase), if any.
    pub charset: Option<String>,
    /// Whether the container says the payload is HTML (`Some(true)`: `text/html`,
    /// `application/xhtml+xml`, a JSONL html field) or plain text (`Some(false)`: `text/plain`,
    /// a JSONL text field); `None` when it says nothing.
    pub html: Option<bool>,
    /// The lowercase extension to sniff the payload by: the file's own (`html`), or for a gzip
    /// file the inner name's (`html` for `x.html.gz`); `None` for parts of WARC and JSONL files.
    pub extension: Option<String>,
    /// Where in a WARC or JSONL file the part was; `None` for a plain or gzip file.
    pub container: Option<ContainerRef>,
}

/// How containers are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerOptions {
    /// The most bytes a gzip file may decompress to, and the most bytes of any one payload.
    pub max_bytes: u64,
    /// The JSONL field holding the URL.
    pub jsonl_url: String,
    /// The JSONL field holding an HTML page.
    pub jsonl_html: String,
    /// The JSONL field holding plain text (used when there is no HTML field).
    pub jsonl_text: String,
}

impl Default for ContainerOptions {
    fn default() -> ContainerOptions {
        ContainerOptions {
            max_bytes: 64 << 20,
            jsonl_url: "url".to_owned(),
            jsonl_html: "html".to_owned(),
            jsonl_text: "text".to_owned(),
        }
    }
}

/// Whether a file's name marks it as a container [`unpack`] opens: `.gz` (including `.warc.gz`
/// and `.jsonl.gz`), `.warc`, `.jsonl` or `.ndjson`, in any case. (`unpack` also recognizes
/// gzip and WARC data by their first bytes, whatever the name.)
pub fn is_container(path: &Path) -> bool {
    let Some(name) = path.file_name() else {
        return false;
    };
    let name = name.to_string_lossy().to_ascii_lowercase();
    [".gz", ".warc", ".jsonl", ".ndjson"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Turns a file's raw bytes into its parts, in file order; see the module docs.
///
/// A plain file is one part (the bytes as they are). A `.gz` file is decompressed (refusing
/// more than `max_bytes` of output: one [`SkipKind::TooLarge`] for the file) and then read by
/// its inner name. A WARC file gives one part per `response` or `resource` record with an HTML
/// or text payload; other responses are [`SkipKind::NoPayload`], damaged records
/// [`SkipKind::Damaged`] naming their byte offset. A JSONL file gives one part per line with an
/// html or text field; other non-blank lines are [`SkipKind::Damaged`] naming the line.
pub fn unpack(
    file: &SourceFile,
    bytes: Vec<u8>,
    opts: &ContainerOptions,
) -> Vec<Result<Part, Skipped>> {
    let lower = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let inner = lower.strip_suffix(".gz").unwrap_or(&lower);
    let (data, gzip_damage) = if bytes.starts_with(GZIP_MAGIC) {
        match gunzip(&bytes, opts.max_bytes) {
            Ok(unzipped) => unzipped,
            Err(fail) => return vec![Err(fail.skip(file.name.clone(), ""))],
        }
    } else {
        (bytes, None)
    };
    // An empty file (or one that decompresses to nothing) is one empty part, so that the
    // caller reports it like any empty file.
    let kind = if data.is_empty() {
        Kind::Single
    } else {
        kind_of(inner, &data)
    };
    let (mut parts, cut) = match kind {
        Kind::Warc => read_warc(&file.name, &data, opts),
        Kind::Jsonl => read_jsonl(&file.name, &data, opts),
        Kind::Single => {
            let item = if let Some(damage) = gzip_damage {
                Err(Skipped::new(file.name.clone(), SkipKind::Damaged, damage))
            } else if data.len() as u64 > opts.max_bytes {
                Err(too_large(opts.max_bytes).skip(file.name.clone(), ""))
            } else {
                Ok(Part {
                    name: file.name.clone(),
                    bytes: data,
                    url: None,
                    charset: None,
                    html: None,
                    extension: Path::new(inner)
                        .extension()
                        .map(|e| e.to_string_lossy().into_owned()),
                    container: None,
                })
            };
            return vec![item];
        }
    };
    if let Some(damage) = gzip_damage {
        // When the last record runs off the end, the broken gzip stream is why: say so there.
        // Otherwise whatever followed is lost, and the file itself is reported damaged.
        match parts.last_mut() {
            Some(Err(last)) if cut && last.kind == SkipKind::Damaged => {
                last.message.push_str("; ");
                last.message.push_str(&damage);
            }
            _ => parts.push(Err(Skipped::new(
                file.name.clone(),
                SkipKind::Damaged,
                damage,
            ))),
        }
    }
    parts
}

/// How the (decompressed) bytes of a file are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Warc,
    Jsonl,
    Single,
}

/// The name decides first; without a telling name, WARC data is known by its first bytes.
fn kind_of(inner: &str, data: &[u8]) -> Kind {
    if inner.ends_with(".warc") {
        Kind::Warc
    } else if inner.ends_with(".jsonl") || inner.ends_with(".ndjson") {
        Kind::Jsonl
    } else if data.starts_with(WARC_MAGIC) {
        Kind::Warc
    } else {
        Kind::Single
    }
}

/// Why something inside a container is not a part, before it is given a name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fail {
    Damaged(String),
    NoPayload(String),
    TooLarge(String),
}

impl Fail {
    /// The skip for the part `name`; `context` (such as "WARC record at byte 12") leads the
    /// message.
    fn skip(self, name: SourcePath, context: &str) -> Skipped {
        let (kind, what) = match self {
            Fail::Damaged(what) => (SkipKind::Damaged, what),
            Fail::NoPayload(what) => (SkipKind::NoPayload, what),
            Fail::TooLarge(what) => (SkipKind::TooLarge, what),
        };
        let message = if context.is_empty() {
            what
        } else {
            format!("{context}: {what}")
        };
        Skipped::new(name, kind, message)
    }
}

fn too_large(max_bytes: u64) -> Fail {
    Fail::TooLarge(format!(
        "decompresses to more than --max-bytes ({max_bytes} bytes)"
    ))
}

/// Reads everything a decoder gives, but never more than `max_bytes + 1` bytes.
fn read_capped(reader: impl Read, max_bytes: u64) -> (Vec<u8>, Option<std::io::Error>) {
    let mut out = Vec::new();
    // On an error, read_to_end leaves what was read before it in `out`.
    let error = reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut out)
        .err();
    (out, error)
}

/// Decompresses every member of a gzip stream. A stream that breaks off gives what could be
/// decompressed and a description of the damage.
fn gunzip(bytes: &[u8], max_bytes: u64) -> Result<(Vec<u8>, Option<String>), Fail> {
    let (out, error) = read_capped(MultiGzDecoder::new(bytes), max_bytes);
    if out.len() as u64 > max_bytes {
        return Err(too_large(max_bytes));
    }
    let damage = error.map(|err| {
        format!(
            "the gzip data is damaged after {} decompressed bytes: {err}",
            out.len()
        )
    });
    Ok((out, damage))
}

// ---------------------------------------------------------------------------------------------
// WARC

/// Header fields of a WARC record or an HTTP message, names lowercased, in order.
#[derive(Debug, Default)]
struct Fields(Vec<(String, String)>);

impl Fields {
    /// Parses `Name: value` lines; a line starting with a space or tab continues the previous
    /// value; lines without a colon are ignored.
    fn parse(lines: &[&[u8]]) -> Fields {
        let mut fields: Vec<(String, String)> = Vec::new();
        for line in lines {
            if matches!(line.first(), Some(b' ' | b'\t')) {
                if let Some((_, value)) = fields.last_mut() {
                    value.push(' ');
                    value.push_str(String::from_utf8_lossy(line).trim());
                }
                continue;
            }
            let Some(colon) = memchr::memchr(b':', line) else {
                continue;
            };
            let (name, value) = line.split_at(colon);
            let value = value.get(1..).unwrap_or_default();
            fields.push((
                String::from_utf8_lossy(name).trim().to_ascii_lowercase(),
                String::from_utf8_lossy(value).trim().to_owned(),
            ));
        }
        Fields(fields)
    }

    /// The first value of a field (`name` in lowercase).
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a header block could not be read.
enum HeadError {
    /// The bytes end before the blank line that ends the block.
    Unfinished,
    /// No blank line within [`MAX_HEAD`] bytes.
    TooLong,
}

/// Splits the header block starting at `start` into lines (without their CRLF or LF) and
/// returns them with the offset just after the blank line that ends the block.
fn head_lines(data: &[u8], start: usize) -> Result<(Vec<&[u8]>, usize), HeadError> {
    let mut lines = Vec::new();
    let mut pos = start;
    loop {
        let rest = data.get(pos..).unwrap_or_default();
        let window = rest
            .get(..MAX_HEAD.saturating_sub(pos - start))
            .unwrap_or(rest);
        let Some(newline) = memchr::memchr(b'\n', window) else {
            return Err(if window.len() < rest.len() {
                HeadError::TooLong
            } else {
                HeadError::Unfinished
            });
        };
        let (line, _) = window.split_at(newline);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        pos += newline + 1;
        if line.is_empty() {
            return Ok((lines, pos));
        }
        lines.push(line);
    }
}

/// A digits-only length that fits in 64 bits.
fn parse_length(value: &str) -> Option<u64> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// One WARC record, as far as its framing goes.
struct WarcRecord<'a> {
    fields: Fields,
    block: &'a [u8],
    /// Where the next record may start.
    next: usize,
}

/// A record whose framing is broken, and where to look for the next one.
struct BadRecord {
    what: String,
    resume: usize,
}

/// Reads the framing of the record at `start`: version line, header fields, blank line,
/// `Content-Length` bytes, and the CRLF CRLF after them (tolerating their absence at the end).
fn warc_record(data: &[u8], start: usize) -> Result<WarcRecord<'_>, BadRecord> {
    let bad = |what: String, resume: usize| BadRecord { what, resume };
    let here = data.get(start..).unwrap_or_default();
    if !here.starts_with(b"WARC/") {
        let line = here.split(|&b| b == b'\n').next().unwrap_or_default();
        return Err(bad(
            format!("expected a WARC version line, found {}", quote(line)),
            start + 1,
        ));
    }
    let (lines, body_start) = match head_lines(data, start) {
        Ok(head) => head,
        Err(HeadError::Unfinished) => {
            return Err(bad(
                "truncated: the header breaks off".to_owned(),
                start + 1,
            ));
        }
        Err(HeadError::TooLong) => {
            return Err(bad(
                format!("the header is longer than {MAX_HEAD} bytes"),
                start + 1,
            ));
        }
    };
    let fields = Fields::parse(lines.get(1..).unwrap_or_default());
    let length = match fields.get("content-length") {
        None => return Err(bad("no Content-Length".to_owned(), body_start)),
        Some(value) => match parse_length(value) {
            Some(length) => length,
            None => {
                return Err(bad(
                    format!("bad Content-Length {}", quote(value.as_bytes())),
                    body_start,
                ));
            }
        },
    };
    let left = data.len().saturating_sub(body_start);
    let end = usize::try_from(length)
        .ok()
        .and_then(|length| body_start.checked_add(length))
        .filter(|&end| end <= data.len());
    let Some(end) = end else {
        return Err(bad(
            format!("truncated: Content-Length is {length} bytes but only {left} bytes are left"),
            body_start,
        ));
    };
    let block = data.get(body_start..end).unwrap_or_default();
    let mut next = end;
    while matches!(data.get(next), Some(b'\r' | b'\n')) {
        next += 1;
    }
    if next < data.len() && !data.get(next..).unwrap_or_default().starts_with(b"WARC/") {
        return Err(bad(
            format!("Content-Length {length} does not end at the next record"),
            body_start,
        ));
    }
    Ok(WarcRecord {
        fields,
        block,
        next,
    })
}

/// The start of the next line at or after `from` that starts a WARC 1.x record.
fn resync(data: &[u8], from: usize) -> Option<usize> {
    let hay = data.get(from..)?;
    let at_line_start = from == 0 || data.get(from - 1) == Some(&b'\n');
    if at_line_start && hay.starts_with(WARC_MAGIC) {
        return Some(from);
    }
    memchr::memmem::find(hay, b"\nWARC/1.").map(|at| from + at + 1)
}

/// Reads every record of a WARC stream. Returns the parts and skips, and whether the stream
/// ended inside a damaged record.
fn read_warc(
    name: &SourcePath,
    data: &[u8],
    opts: &ContainerOptions,
) -> (Vec<Result<Part, Skipped>>, bool) {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut number = 0u64;
    loop {
        while matches!(data.get(pos), Some(b'\r' | b'\n')) {
            pos += 1;
        }
        if pos >= data.len() {
            return (out, false);
        }
        number += 1;
        let context = format!("WARC record at byte {pos}");
        match warc_record(data, pos) {
            Ok(record) => {
                let part_name = name.with_suffix(&format!("#{number}"));
                if let Some(item) = warc_part(&record, part_name.clone(), pos, opts) {
                    out.push(item.map_err(|fail| fail.skip(part_name, &context)));
                }
                pos = record.next;
            }
            Err(bad) => {
                let part_name = name.with_suffix(&format!("#{number}"));
                out.push(Err(Fail::Damaged(bad.what).skip(part_name, &context)));
                match resync(data, bad.resume.max(pos + 1)) {
                    Some(next) => pos = next,
                    None => return (out, true),
                }
            }
        }
    }
}

/// The part a well-framed record holds, or why it holds none; `None` for
/// records that are not inputs.
fn warc_part(
    record: &WarcRecord<'_>,
    name: SourcePath,
    offset: usize,
    opts: &ContainerOptions,
) -> Option<Result<Part, Fail>> {
    let Some(kind) = record.fields.get("warc-type") else {
        return Some(Err(Fail::Damaged("no WARC-Type".to_owned())));
    };
    let kind = kind.to_ascii_lowercase();
    if kind != "response" && kind != "resource" {
        return None;
    }
    Some(warc_payload(record, &kind, name, offset, opts))
}

/// The payload of a `response` or `resource` record, as a part named `name`.
fn warc_payload(
    record: &WarcRecord<'_>,
    kind: &str,
    name: SourcePath,
    offset: usize,
    opts: &ContainerOptions,
) -> Result<Part, Fail> {
    if record.fields.get("warc-segment-number").is_some() {
        return Err(Fail::NoPayload(
            "a segmented record (not supported)".to_owned(),
        ));
    }
    let record_type = record.fields.get("content-type");
    let is_http = kind == "response"
        && match record_type {
            Some(t) => t.to_ascii_lowercase().starts_with("application/http"),
            None => record.block.starts_with(b"HTTP/"),
        };
    let (payload, content_type) = if is_http {
        http_payload(record.block, opts.max_bytes)?
    } else {
        let (media, _) = media_type(record_type);
        if let Media::Other(other) = media {
            return Err(not_a_page(&other));
        }
        (record.block.to_vec(), record_type.map(str::to_owned))
    };
    if payload.is_empty() {
        return Err(Fail::NoPayload("the payload is empty".to_owned()));
    }
    if payload.len() as u64 > opts.max_bytes {
        return Err(Fail::TooLarge(format!(
            "the payload is larger than --max-bytes ({} bytes)",
            opts.max_bytes
        )));
    }
    let (media, charset) = media_type(content_type.as_deref());
    let html = match media {
        Media::Html => Some(true),
        Media::Text => Some(false),
        Media::Unknown | Media::Other(_) => None,
    };
    let url = record.fields.get("warc-target-uri").map(|uri| {
        let uri = uri.trim();
        uri.strip_prefix('<')
            .and_then(|u| u.strip_suffix('>'))
            .unwrap_or(uri)
            .to_owned()
    });
    Ok(Part {
        name,
        bytes: payload,
        url,
        charset,
        html,
        extension: None,
        container: Some(ContainerRef {
            kind: "warc".to_owned(),
            offset: offset as u64,
            record_id: record.fields.get("warc-record-id").map(str::to_owned),
        }),
    })
}

/// What a `Content-Type` says about a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Media {
    Html,
    Text,
    /// No content type: let the bytes decide.
    Unknown,
    /// Something else, by its lowercase media type.
    Other(String),
}

/// The kind of media a `Content-Type` value names, and its charset parameter (lowercase).
fn media_type(value: Option<&str>) -> (Media, Option<String>) {
    let Some(value) = value else {
        return (Media::Unknown, None);
    };
    let mut params = value.split(';');
    let mime = params
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let charset = params
        .filter_map(|p| p.split_once('='))
        .find(|(key, _)| key.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, v)| {
            v.trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|v| !v.is_empty());
    let media = match mime.as_str() {
        "text/html" | "application/xhtml+xml" => Media::Html,
        "text/plain" => Media::Text,
        "" => Media::Unknown,
        _ => Media::Other(mime),
    };
    (media, charset)
}

fn not_a_page(media: &str) -> Fail {
    Fail::NoPayload(format!("{media} is not HTML or text"))
}

/// The body of an HTTP response held in a WARC record, de-chunked and decoded, with its
/// `Content-Type`.
fn http_payload(block: &[u8], max_bytes: u64) -> Result<(Vec<u8>, Option<String>), Fail> {
    let (lines, body_start) = match head_lines(block, 0) {
        Ok(head) => head,
        Err(HeadError::Unfinished) => {
            return Err(Fail::Damaged(
                "truncated: the HTTP header breaks off".to_owned(),
            ));
        }
        Err(HeadError::TooLong) => {
            return Err(Fail::Damaged(format!(
                "the HTTP header is longer than {MAX_HEAD} bytes"
            )));
        }
    };
    let status_line = lines.first().copied().unwrap_or_default();
    let status = {
        let mut words = status_line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty());
        let version_ok = words.next().is_some_and(|w| w.starts_with(b"HTTP/"));
        let code = words
            .next()
            .filter(|w| w.len() == 3)
            .and_then(|w| std::str::from_utf8(w).ok())
            .and_then(|w| w.parse::<u16>().ok());
        match code {
            Some(code) if version_ok => code,
            _ => {
                return Err(Fail::Damaged(format!(
                    "bad HTTP status line {}",
                    quote(status_line)
                )));
            }
        }
    };
    if !(200..300).contains(&status) {
        return Err(Fail::NoPayload(format!("HTTP status {status}, not a page")));
    }
    let fields = Fields::parse(lines.get(1..).unwrap_or_default());
    let content_type = fields.get("content-type").map(str::to_owned);
    if let (Media::Other(other), _) = media_type(content_type.as_deref()) {
        return Err(not_a_page(&other));
    }
    let body = block.get(body_start..).unwrap_or_default();
    let chunked = fields.get("transfer-encoding").is_some_and(|te| {
        te.split(',')
            .any(|coding| coding.trim().eq_ignore_ascii_case("chunked"))
    });
    let mut body = if chunked {
        dechunk(body, max_bytes)?
    } else {
        body.to_vec()
    };
    if let Some(encodings) = fields.get("content-encoding") {
        // Codings are listed in the order they were applied; undo them from the last.
        for coding in encodings.rsplit(',') {
            let coding = coding.trim().to_ascii_lowercase();
            body = match coding.as_str() {
                "" | "identity" => body,
                "gzip" | "x-gzip" => inflate(Coding::Gzip, &body, max_bytes)?,
                // "deflate" should be zlib-wrapped, but some servers send raw deflate.
                "deflate" => match inflate(Coding::Zlib, &body, max_bytes) {
                    Err(Fail::Damaged(what)) => inflate(Coding::Deflate, &body, max_bytes)
                        .map_err(|_| Fail::Damaged(what))?,
                    other => other?,
                },
                other => {
                    return Err(Fail::NoPayload(format!(
                        "Content-Encoding {} is not supported",
                        quote(other.as_bytes())
                    )));
                }
            };
        }
    }
    Ok((body, content_type))
}

/// A compression of an HTTP body.
#[derive(Debug, Clone, Copy)]
enum Coding {
    Gzip,
    Zlib,
    Deflate,
}

/// Decodes a compressed HTTP body, refusing more than `max_bytes` of output.
fn inflate(coding: Coding, body: &[u8], max_bytes: u64) -> Result<Vec<u8>, Fail> {
    let (out, error) = match coding {
        Coding::Gzip => read_capped(MultiGzDecoder::new(body), max_bytes),
        Coding::Zlib => read_capped(ZlibDecoder::new(body), max_bytes),
        Coding::Deflate => read_capped(DeflateDecoder::new(body), max_bytes),
    };
    if out.len() as u64 > max_bytes {
        return Err(too_large(max_bytes));
    }
    let name = match coding {
        Coding::Gzip => "gzip",
        Coding::Zlib | Coding::Deflate => "deflate",
    };
    match error {
        None => Ok(out),
        Some(err) => Err(Fail::Damaged(format!(
            "the {name}-encoded HTTP body is damaged: {err}"
        ))),
    }
}

/// Undoes `Transfer-Encoding: chunked`: hex size line (extensions ignored), that many bytes,
/// CRLF; up to the zero-size chunk (trailers ignored).
fn dechunk(body: &[u8], max_bytes: u64) -> Result<Vec<u8>, Fail> {
    let damaged = |what: &str| Fail::Damaged(format!("bad chunked transfer encoding: {what}"));
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let rest = body.get(pos..).unwrap_or_default();
        let Some(newline) = memchr::memchr(b'\n', rest.get(..1024).unwrap_or(rest)) else {
            return Err(damaged("the body breaks off before its last chunk"));
        };
        let (line, _) = rest.split_at(newline);
        let size = line.split(|&b| b == b';').next().unwrap_or_default();
        let size = String::from_utf8_lossy(size);
        let size = size.trim();
        let size = if size.is_empty() || !size.bytes().all(|b| b.is_ascii_hexdigit()) {
            None
        } else {
            u64::from_str_radix(size, 16).ok()
        };
        let Some(size) = size else {
            return Err(damaged(&format!("bad chunk size line {}", quote(line))));
        };
        pos += newline + 1;
        if size == 0 {
            return Ok(out);
        }
        if (out.len() as u64).saturating_add(size) > max_bytes {
            return Err(too_large(max_bytes));
        }
        let chunk = usize::try_from(size)
            .ok()
            .and_then(|size| pos.checked_add(size))
            .and_then(|end| body.get(pos..end));
        let Some(chunk) = chunk else {
            return Err(damaged("a chunk runs past the end of the body"));
        };
        out.extend_from_slice(chunk);
        pos += chunk.len();
        let after = body.get(pos..).unwrap_or_default();
        if after.starts_with(b"\r\n") {
            pos += 2;
        } else if after.starts_with(b"\n") {
            pos += 1;
        } else {
            return Err(damaged("a chunk is not followed by CRLF"));
        }
    }
}

/// Some bytes for a message: lossy UTF-8, at most 60 characters, quoted.
fn quote(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        format!("{short:?}…")
    } else {
        format!("{short:?}")
    }
}

// ---------------------------------------------------------------------------------------------
// JSONL

/// Reads every line of a JSONL file. Returns the parts and skips, and whether the file ended
/// inside a damaged line (one without its newline).
fn read_jsonl(
    name: &SourcePath,
    data: &[u8],
    opts: &ContainerOptions,
) -> (Vec<Result<Part, Skipped>>, bool) {
    let mut out = Vec::new();
    let mut rest = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut number = 0u64;
    let mut cut = false;
    while !rest.is_empty() {
        number += 1;
        let (line, ended) = match memchr::memchr(b'\n', rest) {
            Some(newline) => {
                let (line, after) = rest.split_at(newline);
                rest = after.get(1..).unwrap_or_default();
                (line, true)
            }
            None => (std::mem::take(&mut rest), false),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let part_name = name.with_suffix(&format!("#{number}"));
        let context = format!("line {number}");
        cut = false;
        out.push(match jsonl_part(line, part_name.clone(), number, opts) {
            Ok(part) => Ok(part),
            Err(fail) => {
                cut = !ended && matches!(fail, Fail::Damaged(_));
                Err(fail.skip(part_name, &context))
            }
        });
    }
    (out, cut)
}

/// The part one JSONL line holds, or why it holds none.
fn jsonl_part(
    line: &[u8],
    name: SourcePath,
    number: u64,
    opts: &ContainerOptions,
) -> Result<Part, Fail> {
    let value: serde_json::Value = serde_json::from_slice(line).map_err(|err| {
        let what = match err.classify() {
            serde_json::error::Category::Eof => "it breaks off",
            serde_json::error::Category::Syntax => "a syntax error",
            serde_json::error::Category::Data | serde_json::error::Category::Io => "bad data",
        };
        Fail::Damaged(format!("not JSON: {what} at column {}", err.column()))
    })?;
    let Some(object) = value.as_object() else {
        return Err(Fail::Damaged("not a JSON object".to_owned()));
    };
    let field = |name: &str| object.get(name).and_then(serde_json::Value::as_str);
    let (payload, html) = match (field(&opts.jsonl_html), field(&opts.jsonl_text)) {
        (Some(html), _) if !html.is_empty() => (html, true),
        (_, Some(text)) if !text.is_empty() => (text, false),
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
    Ok(Part {
        name,
        bytes: payload.as_bytes().to_vec(),
        url: field(&opts.jsonl_url).map(str::to_owned),
        charset: None,
        html: Some(html),
        extension: None,
        container: Some(ContainerRef {
            kind: "jsonl".to_owned(),
            offset: number,
            record_id: None,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::path::PathBuf;

    fn source(name: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from("fixtures/containers").join(name),
            name: SourcePath::new(&Path::new("containers").join(name)),
            folder: None,
            input: "containers".to_owned(),
            len: 0,
        }
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/containers")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn unpack_fixture(name: &str) -> Vec<Result<Part, Skipped>> {
        unpack(&source(name), fixture(name), &ContainerOptions::default())
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    #[track_caller]
    fn part(item: &Result<Part, Skipped>) -> &Part {
        match item {
            Ok(part) => part,
            Err(skipped) => panic!("expected a part, got {skipped:?}"),
        }
    }

    #[track_caller]
    fn skip(item: &Result<Part, Skipped>) -> &Skipped {
        match item {
            Ok(part) => panic!("expected a skip, got the part {}", part.name),
            Err(skipped) => skipped,
        }
    }

    #[track_caller]
    fn into_part(item: Result<Part, Skipped>) -> Part {
        part(&item).clone()
    }

    #[track_caller]
    fn into_skip(item: Result<Part, Skipped>) -> Skipped {
        skip(&item).clone()
    }

    fn warc_ref(offset: u64, id: &str) -> Option<ContainerRef> {
        Some(ContainerRef {
            kind: "warc".into(),
            offset,
            record_id: Some(format!("<urn:uuid:{id}>")),
        })
    }

    fn text(part: &Part) -> &str {
        std::str::from_utf8(&part.bytes).unwrap()
    }

    /// One WARC record, with its framing.
    fn record(headers: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\n{headers}Content-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn response(http: &[u8]) -> Vec<u8> {
        record(
            "WARC-Type: response\r\nWARC-Target-URI: http://a.example/\r\n\
             Content-Type: application/http; msgtype=response\r\n",
            http,
        )
    }

    fn unpack_warc(bytes: Vec<u8>) -> Vec<Result<Part, Skipped>> {
        unpack(&source("t.warc"), bytes, &ContainerOptions::default())
    }

    #[test]
    fn container_names() {
        for yes in [
            "a.gz",
            "a.WARC",
            "a.warc.gz",
            "x/a.jsonl",
            "a.jsonl.gz",
            "a.ndjson",
            "a.html.gz",
        ] {
            assert!(is_container(Path::new(yes)), "{yes}");
        }
        for no in ["a.html", "a.txt", "a.arc", "warc", "a.gz.txt", "jsonl", ""] {
            assert!(!is_container(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn crawl_warc_gz() {
        let items = unpack_fixture("crawl.warc.gz");
        assert_eq!(items.len(), 5, "{items:#?}");

        let a = part(&items[0]);
        assert_eq!(a.name.text, "containers/crawl.warc.gz#3");
        assert_eq!(
            a.url.as_deref(),
            Some(
                "https://www.millbrook-tribune.example/news/2024/05/14/council-approves-footbridge"
            )
        );
        assert_eq!(a.charset.as_deref(), Some("utf-8"));
        assert_eq!(a.html, Some(true));
        assert_eq!(a.extension, None);
        assert_eq!(
            a.container,
            warc_ref(954, "0b6a3c2e-0000-4000-8000-000000000003")
        );
        assert!(text(a).starts_with("<!doctype html>\n<html lang=\"en\">"));
        assert!(text(a).ends_with("</html>\n"));
        assert!(text(a).contains("Council approves new footbridge"));
        assert!(text(a).contains("\u{201c}Now they won\u{2019}t have to.\u{201d}"));

        // Content-Encoding: gzip, decoded.
        let b = part(&items[1]);
        assert_eq!(b.name.text, "containers/crawl.warc.gz#4");
        assert_eq!(
            b.url.as_deref(),
            Some("https://www.millbrook-tribune.example/schools/2024/05/13/robotics-nationals")
        );
        assert_eq!(b.charset.as_deref(), Some("utf-8"));
        assert_eq!(
            b.container,
            warc_ref(2900, "0b6a3c2e-0000-4000-8000-000000000004")
        );
        assert!(text(b).contains("robotics team heads to nationals"));
        assert!(text(b).ends_with("</html>\n"));

        // Another site; no charset in its Content-Type.
        let c = part(&items[2]);
        assert_eq!(c.name.text, "containers/crawl.warc.gz#5");
        assert_eq!(
            c.url.as_deref(),
            Some("https://news.kestrel-valley.example/outdoors/kestrel-falls-parking-fees")
        );
        assert_eq!(c.charset, None);
        assert_eq!(c.html, Some(true));
        assert_eq!(
            c.container,
            warc_ref(4088, "0b6a3c2e-0000-4000-8000-000000000005")
        );
        assert!(text(c).contains("Tomás Reyes"));

        let png = skip(&items[3]);
        assert_eq!(png.path.text, "containers/crawl.warc.gz#6");
        assert_eq!(png.kind, SkipKind::NoPayload);
        assert_eq!(
            png.message,
            "WARC record at byte 5647: image/png is not HTML or text"
        );

        let cut = skip(&items[4]);
        assert_eq!(cut.path.text, "containers/crawl.warc.gz#7");
        assert_eq!(cut.kind, SkipKind::Damaged);
        assert!(
            cut.message
                .starts_with("WARC record at byte 6181: truncated: Content-Length is "),
            "{}",
            cut.message
        );
        assert!(
            cut.message.contains("; the gzip data is damaged after "),
            "{}",
            cut.message
        );
    }

    #[test]
    fn plain_warc_with_chunked_windows_1252() {
        let items = unpack_fixture("plain.warc");
        assert_eq!(items.len(), 2, "{items:#?}");
        let first = part(&items[0]);
        assert_eq!(first.name.text, "containers/plain.warc#1");
        assert_eq!(
            first.url.as_deref(),
            Some("https://www.harrow-post.example/transport/gull-island-ferry")
        );
        assert_eq!(
            first.container,
            warc_ref(0, "5d1e7f90-0000-4000-8000-000000000001")
        );
        assert_eq!(first.html, Some(true));
        assert!(text(first).contains("Ferry service to Gull Island resumes"));

        let second = part(&items[1]);
        assert_eq!(second.name.text, "containers/plain.warc#2");
        assert_eq!(
            second.container,
            warc_ref(1440, "5d1e7f90-0000-4000-8000-000000000002")
        );
        assert_eq!(second.charset.as_deref(), Some("windows-1252"));
        assert_eq!(second.html, Some(false));
        // De-chunked: no size lines or trailers, and the windows-1252 bytes as they were.
        assert!(
            second
                .bytes
                .starts_with(b"Caf\xe9 owner wins \x91best bakery\x92 prize\n")
        );
        assert!(second.bytes.ends_with(b"to her two apprentices.\n"));
        assert!(!second.bytes.windows(2).any(|w| w == b"\r\n"));
        assert!(std::str::from_utf8(&second.bytes).is_err());
    }

    #[test]
    fn gzipped_pages_are_one_part_each() {
        let items = unpack_fixture("article.html.gz");
        assert_eq!(items.len(), 1);
        let article = part(&items[0]);
        assert_eq!(article.name.text, "containers/article.html.gz");
        assert_eq!(article.extension.as_deref(), Some("html"));
        assert_eq!(
            (
                article.url.as_ref(),
                article.html,
                article.container.as_ref()
            ),
            (None, None, None)
        );
        assert!(text(article).starts_with("<!doctype html>"));
        assert!(text(article).contains("School board delays vote"));

        let items = unpack_fixture("notes.txt.gz");
        assert_eq!(items.len(), 1);
        let notes = part(&items[0]);
        assert_eq!(notes.name.text, "containers/notes.txt.gz");
        assert_eq!(notes.extension.as_deref(), Some("txt"));
        assert!(text(notes).starts_with("Harbour board meeting, 3 June\n"));
    }

    #[test]
    fn scrape_jsonl() {
        let items = unpack_fixture("scrape.jsonl");
        assert_eq!(items.len(), 3, "{items:#?}");
        let html = part(&items[0]);
        assert_eq!(html.name.text, "containers/scrape.jsonl#1");
        assert_eq!(
            html.url.as_deref(),
            Some("https://www.millbrook-tribune.example/news/2024/06/05/library-sunday-hours")
        );
        assert_eq!(html.html, Some(true));
        assert_eq!(
            html.container,
            Some(ContainerRef {
                kind: "jsonl".into(),
                offset: 1,
                record_id: None
            })
        );
        assert!(text(html).starts_with("<!doctype html><html><head><title>Library extends"));

        let plain = part(&items[1]);
        assert_eq!(plain.name.text, "containers/scrape.jsonl#3");
        assert_eq!(plain.html, Some(false));
        assert_eq!(plain.container.as_ref().map(|c| c.offset), Some(3));
        assert_eq!(
            plain.url.as_deref(),
            Some("https://news.kestrel-valley.example/local/old-mill-road-brush-fire")
        );
        assert!(text(plain).starts_with("Kestrel Valley fire crews contain brush fire\n\n"));

        let bad = skip(&items[2]);
        assert_eq!(bad.path.text, "containers/scrape.jsonl#4");
        assert_eq!(bad.kind, SkipKind::Damaged);
        assert!(
            bad.message.starts_with("line 4: not JSON: it breaks off"),
            "{}",
            bad.message
        );
    }

    #[test]
    fn jsonl_field_names_are_options() {
        let data = b"{\"link\":\"https://x.example/1\",\"body\":\"<p>Hi</p>\",\"html\":\"no\"}\n\
                     {\"link\":\"https://x.example/2\",\"content\":\"Plain words\"}\n\
                     {\"url\":\"https://x.example/3\",\"html\":\"<p>old names</p>\"}\n\
                     [1, 2]\n\
                     {\"body\":\"\",\"content\":null}\n"
            .to_vec();
        let opts = ContainerOptions {
            jsonl_url: "link".into(),
            jsonl_html: "body".into(),
            jsonl_text: "content".into(),
            ..ContainerOptions::default()
        };
        let items = unpack(&source("t.ndjson"), data, &opts);
        assert_eq!(items.len(), 5);
        let first = part(&items[0]);
        assert_eq!(
            (first.url.as_deref(), first.html),
            (Some("https://x.example/1"), Some(true))
        );
        assert_eq!(first.bytes, b"<p>Hi</p>");
        let second = part(&items[1]);
        assert_eq!(
            (second.url.as_deref(), second.html),
            (Some("https://x.example/2"), Some(false))
        );
        assert_eq!(second.bytes, b"Plain words");
        let third = skip(&items[2]);
        assert_eq!(third.kind, SkipKind::Damaged);
        assert_eq!(third.message, "line 3: no \"body\" or \"content\" field");
        assert_eq!(skip(&items[3]).message, "line 4: not a JSON object");
        assert_eq!(skip(&items[4]).kind, SkipKind::NoPayload);
    }

    #[test]
    fn jsonl_gz_with_crlf_and_bom() {
        let data = gz(b"\xEF\xBB\xBF{\"url\":\"u\",\"text\":\"t\"}\r\n\r\n{\"text\":\"s\"}");
        let items = unpack(&source("a.jsonl.gz"), data, &ContainerOptions::default());
        assert_eq!(items.len(), 2);
        assert_eq!(part(&items[0]).name.text, "containers/a.jsonl.gz#1");
        assert_eq!(part(&items[1]).name.text, "containers/a.jsonl.gz#3");
        assert_eq!(part(&items[1]).url, None);
    }

    #[test]
    fn gzip_bombs_are_refused() {
        let bomb = gz(&vec![b'a'; 8 << 20]);
        assert!(bomb.len() < 64 << 10);
        let opts = ContainerOptions {
            max_bytes: 1 << 20,
            ..ContainerOptions::default()
        };
        for name in ["bomb.html.gz", "bomb.warc.gz", "bomb.jsonl.gz", "bomb.bin"] {
            let items = unpack(&source(name), bomb.clone(), &opts);
            assert_eq!(items.len(), 1);
            let s = skip(&items[0]);
            assert_eq!(s.kind, SkipKind::TooLarge);
            assert_eq!(s.path.text, format!("containers/{name}"));
            assert_eq!(
                s.message,
                "decompresses to more than --max-bytes (1048576 bytes)"
            );
        }
        // Exactly max_bytes is fine.
        let exact = gz(&vec![b'a'; 1 << 20]);
        let items = unpack(&source("x.txt.gz"), exact, &opts);
        assert_eq!(part(&items[0]).bytes.len(), 1 << 20);

        // A gzip-encoded HTTP body is capped too.
        let mut http =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        http.extend_from_slice(&bomb);
        let items = unpack(&source("t.warc"), response(&http), &opts);
        assert_eq!(skip(&items[0]).kind, SkipKind::TooLarge);
    }

    #[test]
    fn sniffed_without_a_telling_name() {
        let warc = fixture("plain.warc");
        let items = unpack(&source("dump.bin"), gz(&warc), &ContainerOptions::default());
        assert_eq!(items.len(), 2);
        assert_eq!(part(&items[1]).name.text, "containers/dump.bin#2");
        let items = unpack(&source("dump"), warc, &ContainerOptions::default());
        assert_eq!(items.len(), 2);
        // A .gz name without gzip bytes: read as they are, by the inner name.
        let items = unpack(
            &source("page.html.gz"),
            b"<p>hi".to_vec(),
            &ContainerOptions::default(),
        );
        assert_eq!(part(&items[0]).bytes, b"<p>hi");
        assert_eq!(part(&items[0]).extension.as_deref(), Some("html"));
        // Empty files are one (empty) part, for the caller to report.
        for name in ["empty.warc.gz", "empty.jsonl", "empty.txt"] {
            let items = unpack(&source(name), Vec::new(), &ContainerOptions::default());
            assert_eq!(items.len(), 1);
            assert_eq!(part(&items[0]).bytes, b"");
            assert_eq!(part(&items[0]).name.text, format!("containers/{name}"));
        }
        let items = unpack(
            &source("empty.warc.gz"),
            gz(b""),
            &ContainerOptions::default(),
        );
        assert_eq!(part(&items[0]).bytes, b"");
    }

    #[test]
    fn damaged_gzip_single_file() {
        let mut data = gz(b"<html><body><p>Some page</p></body></html>");
        data.truncate(data.len() - 10);
        let items = unpack(&source("a.html.gz"), data, &ContainerOptions::default());
        assert_eq!(items.len(), 1);
        let s = skip(&items[0]);
        assert_eq!(
            (s.kind, s.path.text.as_str()),
            (SkipKind::Damaged, "containers/a.html.gz")
        );
        assert!(
            s.message.starts_with("the gzip data is damaged after "),
            "{}",
            s.message
        );
    }

    #[test]
    fn gzip_cut_between_members_reports_the_file() {
        let mut data = gz(&response(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>one",
        ));
        data.extend_from_slice(b"\x1f\x8b\x08\x00");
        let items = unpack(&source("c.warc.gz"), data, &ContainerOptions::default());
        assert_eq!(items.len(), 2, "{items:#?}");
        assert_eq!(part(&items[0]).bytes, b"<p>one");
        let s = skip(&items[1]);
        assert_eq!(
            (s.kind, s.path.text.as_str()),
            (SkipKind::Damaged, "containers/c.warc.gz")
        );
    }

    #[test]
    fn http_statuses_types_and_encodings() {
        let ok = |headers: &str, body: &[u8]| {
            let mut http = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
            http.extend_from_slice(body);
            unpack_warc(response(&http)).remove(0)
        };
        let page = b"<html><body><p>News</p></body></html>";
        assert_eq!(into_part(ok("", page)).html, None);
        assert_eq!(
            into_part(ok("Content-Type: text/plain\r\n", b"x")).html,
            Some(false)
        );
        assert_eq!(
            into_part(ok(
                "content-type: Application/XHTML+XML; Charset=\"ISO-8859-1\"\r\n",
                page
            ))
            .charset,
            Some("iso-8859-1".into())
        );
        let json = into_skip(ok("Content-Type: application/json\r\n", b"{}"));
        assert_eq!(json.kind, SkipKind::NoPayload);
        assert!(
            json.message
                .ends_with("application/json is not HTML or text")
        );

        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        zlib.write_all(page).unwrap();
        let zlib = zlib.finish().unwrap();
        assert_eq!(
            into_part(ok("Content-Encoding: deflate\r\n", &zlib)).bytes,
            page
        );
        let mut raw =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        raw.write_all(page).unwrap();
        let raw = raw.finish().unwrap();
        assert_eq!(
            into_part(ok("Content-Encoding: deflate\r\n", &raw)).bytes,
            page
        );
        assert_eq!(
            into_part(ok("Content-Encoding: identity\r\n", page)).bytes,
            page
        );
        let br = into_skip(ok("Content-Encoding: br\r\n", b"\x1b\x00"));
        assert_eq!(br.kind, SkipKind::NoPayload);
        assert!(
            br.message
                .ends_with("Content-Encoding \"br\" is not supported"),
            "{}",
            br.message
        );
        let bad_gzip = into_skip(ok("Content-Encoding: gzip\r\n", page));
        assert_eq!(bad_gzip.kind, SkipKind::Damaged);

        // Chunked and gzipped, both undone.
        let zipped = gz(page);
        let (a, b) = zipped.split_at(10);
        let mut chunked = format!("{:X}\r\n", a.len()).into_bytes();
        chunked.extend_from_slice(a);
        chunked.extend_from_slice(format!("\r\n{:x}\r\n", b.len()).as_bytes());
        chunked.extend_from_slice(b);
        chunked.extend_from_slice(b"\r\n0\r\n\r\n");
        let both = ok(
            "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
            &chunked,
        );
        assert_eq!(part(&both).bytes, page);
        for broken in [
            &b"zz\r\nabc\r\n0\r\n\r\n"[..],
            b"5\r\nabc",
            b"3\r\nabcX0\r\n\r\n",
            b"3\r\nabc\r\n",
        ] {
            let s = into_skip(ok("Transfer-Encoding: chunked\r\n", broken));
            assert_eq!(s.kind, SkipKind::Damaged, "{broken:?}");
        }
        let huge = into_skip(ok(
            "Transfer-Encoding: chunked\r\n",
            b"ffffffffffffffffff\r\nabc\r\n0\r\n\r\n",
        ));
        assert_eq!(huge.kind, SkipKind::Damaged);
        let huge = into_skip(ok(
            "Transfer-Encoding: chunked\r\n",
            b"fffffffffffffff\r\nabc\r\n0\r\n\r\n",
        ));
        assert_eq!(huge.kind, SkipKind::TooLarge);

        let mut moved = b"HTTP/1.1 301 Moved Permanently\r\nLocation: /x\r\n\r\n".to_vec();
        let s = skip(&unpack_warc(response(&moved))[0]).clone();
        assert_eq!(s.kind, SkipKind::NoPayload);
        assert!(s.message.ends_with("HTTP status 301, not a page"));
        moved.truncate(20);
        let s = skip(&unpack_warc(response(&moved))[0]).clone();
        assert_eq!(s.kind, SkipKind::Damaged);
        let s = skip(&unpack_warc(response(b"HTTP/1.1 OK\r\n\r\nx"))[0]).clone();
        assert_eq!(s.kind, SkipKind::Damaged);
        let s = into_skip(ok("Content-Type: text/html\r\n", b"")).clone();
        assert_eq!(
            (s.kind, s.message.ends_with("the payload is empty")),
            (SkipKind::NoPayload, true)
        );
    }

    #[test]
    fn record_types() {
        let mut data = record("WARC-Type: warcinfo\r\n", b"software: x\r\n");
        data.extend(record("WARC-Type: request\r\n", b"GET / HTTP/1.1\r\n\r\n"));
        data.extend(record("WARC-Type: metadata\r\n", b"via: x\r\n"));
        data.extend(record("WARC-Type: revisit\r\n", b"HTTP/1.1 200 OK\r\n\r\n"));
        data.extend(record(
            "WARC-Type: resource\r\nWARC-Target-URI: <file:///notes.txt>\r\nContent-Type: text/plain\r\n",
            b"Some notes",
        ));
        data.extend(record(
            "WARC-Type: resource\r\nContent-Type: image/jpeg\r\n",
            b"\xff\xd8\xff",
        ));
        data.extend(record("Content-Type: text/plain\r\n", b"no type"));
        data.extend(record(
            "WARC-Type: response\r\nWARC-Segment-Number: 1\r\n",
            b"HTTP/1.1 200 OK\r\n\r\nx",
        ));
        // A response without a record Content-Type whose block is HTTP anyway.
        data.extend(record(
            "WARC-Type: response\r\n",
            b"HTTP/1.0 200 OK\r\n\r\n<p>x",
        ));
        let items = unpack_warc(data);
        assert_eq!(items.len(), 5, "{items:#?}");
        let notes = part(&items[0]);
        assert_eq!(notes.name.text, "containers/t.warc#5");
        assert_eq!(notes.url.as_deref(), Some("file:///notes.txt"));
        assert_eq!(notes.bytes, b"Some notes");
        assert_eq!(
            notes.container.as_ref().map(|c| c.record_id.clone()),
            Some(None)
        );
        assert_eq!(skip(&items[1]).kind, SkipKind::NoPayload);
        assert_eq!(skip(&items[2]).kind, SkipKind::Damaged);
        assert!(skip(&items[2]).message.ends_with("no WARC-Type"));
        assert_eq!(skip(&items[3]).kind, SkipKind::NoPayload);
        assert_eq!(part(&items[4]).bytes, b"<p>x");
        assert_eq!(part(&items[4]).name.text, "containers/t.warc#9");
    }

    #[test]
    fn damaged_records_resync() {
        let page = |n: u32| {
            response(
                format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>page {n}").as_bytes(),
            )
        };
        let mut data = b"junk before\r\n".to_vec();
        data.extend(page(1));
        // A record whose Content-Length is too long: it swallows the next record's start.
        let bad_at = data.len();
        let bad = String::from_utf8(page(2))
            .unwrap()
            .replace("Content-Length: ", "Content-Length: 1")
            .into_bytes();
        data.extend(&bad);
        data.extend(page(3));
        // Overflowing and non-numeric lengths.
        data.extend(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999999999999999999999\r\n\r\nxx\r\n\r\n");
        data.extend(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 18446744073709551615\r\n\r\nxx\r\n\r\n");
        data.extend(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: -1\r\n\r\nxx\r\n\r\n");
        data.extend(b"WARC/1.0\r\nWARC-Type: response\r\n\r\nxx\r\n\r\n");
        // LF-only framing is tolerated.
        data.extend(b"WARC/1.0\nWARC-Type: resource\nContent-Type: text/html\nContent-Length: 6\n\n<p>lf!\n\n");
        data.extend(page(4));
        // The header breaks off.
        data.extend(b"WARC/1.0\r\nWARC-Type: resp");
        let items = unpack_warc(data);
        let summary: Vec<String> = items
            .iter()
            .map(|item| match item {
                Ok(part) => format!("{} ok {}", part.name, String::from_utf8_lossy(&part.bytes)),
                Err(s) => format!("{} {}", s.path, s.kind.name()),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "containers/t.warc#1 damaged",
                "containers/t.warc#2 ok <p>page 1",
                "containers/t.warc#3 damaged",
                "containers/t.warc#4 ok <p>page 3",
                "containers/t.warc#5 damaged",
                "containers/t.warc#6 damaged",
                "containers/t.warc#7 damaged",
                "containers/t.warc#8 damaged",
                "containers/t.warc#9 ok <p>lf!",
                "containers/t.warc#10 ok <p>page 4",
                "containers/t.warc#11 damaged",
            ],
            "{items:#?}"
        );
        assert!(
            skip(&items[0])
                .message
                .starts_with("WARC record at byte 0: expected a WARC version line")
        );
        assert!(
            skip(&items[2])
                .message
                .starts_with(&format!("WARC record at byte {bad_at}: "))
        );
        assert!(
            skip(&items[4]).message.contains("bad Content-Length"),
            "{}",
            skip(&items[4]).message
        );
        assert!(
            skip(&items[5]).message.contains("truncated"),
            "{}",
            skip(&items[5]).message
        );
        assert!(skip(&items[7]).message.ends_with("no Content-Length"));
        assert!(
            skip(&items[10])
                .message
                .ends_with("truncated: the header breaks off")
        );
    }

    #[test]
    fn payloads_never_exceed_max_bytes() {
        let opts = ContainerOptions {
            max_bytes: 1000,
            ..ContainerOptions::default()
        };
        // plain.warc is 2261 bytes; its payloads are ~950 and ~400 bytes.
        let items = unpack(&source("plain.warc"), fixture("plain.warc"), &opts);
        assert!(
            items
                .iter()
                .all(|i| i.as_ref().is_ok_and(|p| p.bytes.len() <= 1000))
        );
        let opts = ContainerOptions {
            max_bytes: 500,
            ..ContainerOptions::default()
        };
        let items = unpack(&source("crawl.warc.gz"), fixture("crawl.warc.gz"), &opts);
        assert_eq!(skip(&items[0]).kind, SkipKind::TooLarge);
        let small = ContainerOptions {
            max_bytes: 300,
            ..ContainerOptions::default()
        };
        let items = unpack(&source("scrape.jsonl"), fixture("scrape.jsonl"), &small);
        assert_eq!(skip(&items[0]).kind, SkipKind::TooLarge);
        assert!(
            skip(&items[0])
                .message
                .ends_with("the payload is larger than --max-bytes (300 bytes)")
        );
        assert_eq!(part(&items[1]).name.text, "containers/scrape.jsonl#3");
        let items = unpack(&source("big.txt"), vec![b'a'; 501], &opts);
        assert_eq!(skip(&items[0]).kind, SkipKind::TooLarge);
    }

    /// xorshift64*: a fixed sequence, so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
    }

    fn check(name: &str, bytes: Vec<u8>, opts: &ContainerOptions) {
        let again = unpack(&source(name), bytes.clone(), opts);
        let items = unpack(&source(name), bytes, opts);
        assert_eq!(items, again, "deterministic");
        for item in &items {
            let path = match item {
                Ok(part) => {
                    assert!(part.bytes.len() as u64 <= opts.max_bytes);
                    &part.name
                }
                Err(s) => &s.path,
            };
            assert!(path.text.starts_with(&format!("containers/{name}")));
        }
    }

    #[test]
    fn garbage_never_panics() {
        let opts = ContainerOptions {
            max_bytes: 100_000,
            ..ContainerOptions::default()
        };
        let names = [
            "crawl.warc.gz",
            "plain.warc",
            "article.html.gz",
            "notes.txt.gz",
            "scrape.jsonl",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for name in names {
            let bytes = fixture(name);
            let plain = match unpack(&source(name), bytes.clone(), &opts).first() {
                Some(Ok(part)) if name.ends_with(".gz") && !name.contains("warc") => {
                    part.bytes.clone()
                }
                _ => Vec::new(),
            };
            for cut in (0..bytes.len()).step_by(97) {
                check(name, bytes[..cut].to_vec(), &opts);
                let mut flipped = bytes.clone();
                flipped[cut] ^= 1 << (rng.next() % 8);
                check(name, flipped, &opts);
            }
            for cut in (0..plain.len()).step_by(97) {
                check(name, gz(&plain[..cut]), &opts);
            }
        }
        // Decompressed crawl, cut and damaged at every 97th byte.
        let mut warc = Vec::new();
        let _ = MultiGzDecoder::new(&fixture("crawl.warc.gz")[..]).read_to_end(&mut warc);
        for cut in (0..warc.len()).step_by(97) {
            check("c.warc", warc[..cut].to_vec(), &opts);
            let mut damaged = warc.clone();
            damaged[cut] = b"\r\n:0 Wa"[(rng.next() % 7) as usize];
            check("c.warc", damaged, &opts);
        }
        // Random bytes behind plausible starts.
        let starts: [&[u8]; 6] = [
            b"",
            b"\x1f\x8b",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff",
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\n",
            b"WARC/1.1\nContent-Length: 3\n\n",
            b"{\"url\":\"",
        ];
        for round in 0..400 {
            let mut bytes = starts[round % starts.len()].to_vec();
            let len = (rng.next() % 300) as usize;
            let alphabet = b"\r\n: WARC/1.0HTTP{}\"0aF;";
            for _ in 0..len {
                let r = rng.next();
                bytes.push(if r.is_multiple_of(3) {
                    alphabet[(r >> 8) as usize % alphabet.len()]
                } else {
                    (r >> 16) as u8
                });
            }
            for name in ["r.warc", "r.jsonl", "r.gz", "r.warc.gz", "r.txt"] {
                check(name, bytes.clone(), &opts);
            }
        }
    }
}
