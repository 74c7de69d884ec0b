//! HTTP messages as WARC and ARC records hold them: header fields, the status, and the body
//! de-chunked and decompressed as a browser would.
//!
//! Servers get their own framing wrong often enough that browsers (and warcio) forgive it, and so
//! does [`payload`], saying what it forgave in the payload's notes: a body declared
//! `Transfer-Encoding: chunked` that is not chunked is taken as it is; a chunked body that breaks
//! off before its last chunk keeps the chunks it has; a body declared gzip, deflate or brotli
//! that is not compressed is taken as it is. A body whose compression breaks off in the middle
//! is damaged.

use super::{Fail, MAX_HEAD, quote, too_large};
use flate2::bufread::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};
use std::io::Read;

/// Header fields of a WARC record or an HTTP message, names lowercased, in order.
#[derive(Debug, Default)]
pub(crate) struct Fields(Vec<(String, String)>);

impl Fields {
    /// Parses `Name: value` lines; a line starting with a space or tab continues the previous
    /// value; lines without a colon are ignored.
    pub(crate) fn parse(lines: &[&[u8]]) -> Fields {
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
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a header block could not be read.
pub(crate) enum HeadError {
    /// The bytes end before the blank line that ends the block.
    Unfinished,
    /// No blank line within [`MAX_HEAD`] bytes.
    TooLong,
}

/// Splits the header block at the start of `data` into lines (without their CRLF or LF) and
/// returns them with the offset just after the blank line that ends the block.
pub(crate) fn head_lines(data: &[u8]) -> Result<(Vec<&[u8]>, usize), HeadError> {
    let mut lines = Vec::new();
    let mut pos = 0;
    loop {
        let rest = data.get(pos..).unwrap_or_default();
        let window = rest.get(..MAX_HEAD.saturating_sub(pos)).unwrap_or(rest);
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
pub(crate) fn parse_length(value: &str) -> Option<u64> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// What a `Content-Type` says about a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Media {
    Html,
    Text,
    /// No content type: let the bytes decide.
    Unknown,
    /// Something else, by its lowercase media type.
    Other(String),
}

impl Media {
    /// `Some(true)` for HTML, `Some(false)` for text, `None` when the bytes must decide.
    pub(crate) fn html(&self) -> Option<bool> {
        match self {
            Media::Html => Some(true),
            Media::Text => Some(false),
            Media::Unknown | Media::Other(_) => None,
        }
    }
}

/// The kind of media a `Content-Type` value names, and its charset parameter (lowercase).
pub(crate) fn media_type(value: Option<&str>) -> (Media, Option<String>) {
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
        "" | "unk" | "no-type" => Media::Unknown,
        _ => Media::Other(mime),
    };
    (media, charset)
}

/// The refusal of a payload of another media type.
pub(crate) fn not_a_page(media: &str) -> Fail {
    Fail::NoPayload(format!("{media} is not HTML or text"))
}

/// The body of an HTTP response: de-chunked and decoded, with its `Content-Type` and notes on
/// what had to be forgiven.
pub(crate) struct Body {
    pub(crate) bytes: Vec<u8>,
    pub(crate) content_type: Option<String>,
    pub(crate) notes: Vec<String>,
}

/// The body of the HTTP response `block`, or why it is not a page.
pub(crate) fn payload(block: &[u8], max_bytes: u64) -> Result<Body, Fail> {
    let (lines, body_start) = match head_lines(block) {
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
    let status = status(status_line)?;
    if status == 206 {
        return Err(Fail::NoPayload(
            "HTTP status 206, a part of a page, not a page".to_owned(),
        ));
    }
    if !(200..300).contains(&status) {
        return Err(Fail::NoPayload(format!("HTTP status {status}, not a page")));
    }
    let fields = Fields::parse(lines.get(1..).unwrap_or_default());
    let content_type = fields.get("content-type").map(str::to_owned);
    if let (Media::Other(other), _) = media_type(content_type.as_deref()) {
        return Err(not_a_page(&other));
    }
    let mut notes = Vec::new();
    let body = block.get(body_start..).unwrap_or_default();
    let chunked = fields.get("transfer-encoding").is_some_and(|te| {
        te.split(',')
            .any(|coding| coding.trim().eq_ignore_ascii_case("chunked"))
    });
    let mut body = if chunked {
        dechunk(body, max_bytes, &mut notes)?
    } else {
        body.to_vec()
    };
    if let Some(encodings) = fields.get("content-encoding") {
        // Codings are listed in the order they were applied; undo them from the last.
        for coding in encodings.rsplit(',') {
            let coding = coding.trim().to_ascii_lowercase();
            body = decode(&coding, body, max_bytes, &mut notes)?;
        }
    }
    Ok(Body {
        bytes: body,
        content_type,
        notes,
    })
}

/// The part a record's payload makes, named `name` (its container is set by the caller), or
/// why it makes none: empty, or larger than `max_bytes`.
pub(crate) fn document(
    name: crate::source::SourcePath,
    body: Body,
    url: Option<String>,
    opts: &super::ContainerOptions,
) -> Result<super::Part, Fail> {
    if body.bytes.is_empty() {
        return Err(Fail::NoPayload("the payload is empty".to_owned()));
    }
    if body.bytes.len() as u64 > opts.max_bytes {
        return Err(Fail::TooLarge(format!(
            "the payload is larger than --max-bytes ({} bytes)",
            opts.max_bytes
        )));
    }
    let (media, charset) = media_type(body.content_type.as_deref());
    Ok(super::Part {
        name,
        bytes: body.bytes,
        url,
        charset,
        html: media.html(),
        extension: None,
        container: None,
        notes: body.notes,
        lossy: false,
        upstream: None,
    })
}

/// The status code of an HTTP status line.
fn status(line: &[u8]) -> Result<u16, Fail> {
    let mut words = line
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty());
    let version_ok = words.next().is_some_and(|w| w.starts_with(b"HTTP/"));
    let code = words
        .next()
        .filter(|w| w.len() == 3)
        .and_then(|w| std::str::from_utf8(w).ok())
        .and_then(|w| w.parse::<u16>().ok());
    match code {
        Some(code) if version_ok => Ok(code),
        _ => Err(Fail::Damaged(format!(
            "bad HTTP status line {}",
            quote(line)
        ))),
    }
}

/// A compression of an HTTP body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coding {
    Gzip,
    Zlib,
    Deflate,
    Brotli,
}

impl Coding {
    fn name(self) -> &'static str {
        match self {
            Coding::Gzip => "gzip",
            Coding::Zlib | Coding::Deflate => "deflate",
            Coding::Brotli => "br",
        }
    }
}

/// Undoes one `Content-Encoding`. A body that does not even start as the coding says is taken as
/// it is (servers send plain bodies under a gzip label), with a note.
fn decode(
    coding: &str,
    body: Vec<u8>,
    max_bytes: u64,
    notes: &mut Vec<String>,
) -> Result<Vec<u8>, Fail> {
    let attempt = match coding {
        "" | "identity" => return Ok(body),
        "gzip" | "x-gzip" => inflate(Coding::Gzip, &body, max_bytes),
        // "deflate" should be zlib-wrapped, but some servers send raw deflate.
        "deflate" => match inflate(Coding::Zlib, &body, max_bytes) {
            Err(Inflate::NotEncoded) => inflate(Coding::Deflate, &body, max_bytes),
            other => other,
        },
        "br" => inflate(Coding::Brotli, &body, max_bytes),
        other => {
            return Err(Fail::NoPayload(format!(
                "Content-Encoding {} is not supported",
                quote(other.as_bytes())
            )));
        }
    };
    match attempt {
        Ok(out) => Ok(out),
        Err(Inflate::TooLarge) => Err(too_large(max_bytes)),
        Err(Inflate::Damaged(coding, what)) => Err(Fail::Damaged(format!(
            "the {}-encoded HTTP body is damaged: {what}",
            coding.name()
        ))),
        Err(Inflate::NotEncoded) => {
            notes.push(format!(
                "the HTTP body is declared Content-Encoding {coding} but is not; read as it is"
            ));
            Ok(body)
        }
    }
}

/// Why a body could not be decompressed.
enum Inflate {
    /// Nothing at all came out: the body is not in this coding.
    NotEncoded,
    /// It decompresses to more than the cap.
    TooLarge,
    /// It breaks off or goes wrong after some output.
    Damaged(Coding, String),
}

/// Decompresses a body, refusing more than `max_bytes` of output.
fn inflate(coding: Coding, body: &[u8], max_bytes: u64) -> Result<Vec<u8>, Inflate> {
    if body.is_empty() {
        return Ok(Vec::new());
    }
    if coding == Coding::Gzip && !body.starts_with(super::gzip::MAGIC) {
        return Err(Inflate::NotEncoded);
    }
    let (out, error) = match coding {
        Coding::Gzip => read_capped(MultiGzDecoder::new(body), max_bytes),
        Coding::Zlib => read_capped(ZlibDecoder::new(body), max_bytes),
        Coding::Deflate => read_capped(DeflateDecoder::new(body), max_bytes),
        Coding::Brotli => read_capped(
            brotli_decompressor::Decompressor::new(body, 4096),
            max_bytes,
        ),
    };
    if out.len() as u64 > max_bytes {
        return Err(Inflate::TooLarge);
    }
    match error {
        None => Ok(out),
        Some(_) if out.is_empty() && coding != Coding::Gzip => Err(Inflate::NotEncoded),
        Some(err) => Err(Inflate::Damaged(coding, err.to_string())),
    }
}

/// Reads everything a decoder gives, but never more than `max_bytes + 1` bytes.
pub(crate) fn read_capped(reader: impl Read, max_bytes: u64) -> (Vec<u8>, Option<std::io::Error>) {
    let mut out = Vec::new();
    // On an error, read_to_end leaves what was read before it in `out`.
    let error = reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut out)
        .err();
    (out, error)
}

/// Undoes `Transfer-Encoding: chunked`: hex size line (extensions ignored), that many bytes,
/// CRLF; up to the zero-size chunk (trailers ignored). A body whose first line is not a chunk
/// size is not chunked and is taken as it is; a body that breaks off keeps the chunks before
/// the break. Both are noted.
fn dechunk(body: &[u8], max_bytes: u64, notes: &mut Vec<String>) -> Result<Vec<u8>, Fail> {
    let mut out = Vec::new();
    let mut pos = 0;
    let cut = |out: Vec<u8>, notes: &mut Vec<String>, what: &str| {
        notes.push(format!(
            "the chunked HTTP body {what}; the {} bytes before it are kept",
            out.len()
        ));
        Ok(out)
    };
    loop {
        let rest = body.get(pos..).unwrap_or_default();
        let size = memchr::memchr(b'\n', rest.get(..1024).unwrap_or(rest))
            .map(|newline| (newline, chunk_size(&rest[..newline])));
        let Some((newline, Some(size))) = size else {
            if pos == 0 {
                notes.push(
                    "the HTTP body is declared Transfer-Encoding: chunked but is not chunked; \
                     read as it is"
                        .to_owned(),
                );
                return Ok(body.to_vec());
            }
            if rest.iter().all(u8::is_ascii_whitespace) {
                return cut(out, notes, "ends without its last chunk");
            }
            return cut(out, notes, "has a bad chunk size line");
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
            out.extend_from_slice(body.get(pos..).unwrap_or_default());
            return cut(out, notes, "breaks off inside a chunk");
        };
        out.extend_from_slice(chunk);
        pos += chunk.len();
        let after = body.get(pos..).unwrap_or_default();
        if after.starts_with(b"\r\n") {
            pos += 2;
        } else if after.starts_with(b"\n") {
            pos += 1;
        } else if after.is_empty() {
            return cut(out, notes, "ends without its last chunk");
        } else {
            return cut(out, notes, "has a chunk not followed by CRLF");
        }
    }
}

/// The size on a chunk size line (extensions after `;` ignored), if it is one.
fn chunk_size(line: &[u8]) -> Option<u64> {
    let size = line.split(|&b| b == b';').next().unwrap_or_default();
    let size = String::from_utf8_lossy(size);
    let size = size.trim();
    if size.is_empty() || !size.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    // More hex digits than fit in 64 bits is no chunk size a real body has.
    u64::from_str_radix(size, 16).ok()
}
