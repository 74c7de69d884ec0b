//! ARC (the Internet Archive's format before WARC), record by record over a [`Stream`] (`.arc`
//! or `.arc.gz`, one gzip member per record as written by Heritrix and Alexa).
//!
//! An ARC file is a `filedesc://` record (the file's own description) followed by records, each
//! a header line — `URL IP-address Archive-date Content-type Archive-length` (version 1), or ten
//! fields ending with the length (version 2) — then `Archive-length` bytes, then a newline.
//! Records of `http(s)://` URLs hold the HTTP response as WARC `response` records do, and are
//! read the same way; other records (`filedesc://`, `dns:`) are not inputs. A header line that
//! cannot be read is [`SkipKind::Damaged`] and reading goes on at the next line that starts an
//! `http` record.

use super::http::{self, Media, media_type, not_a_page, parse_length};
use super::stream::Stream;
use super::{ContainerOptions, Fail, MAX_HEAD, Part, quote};
use crate::record::ContainerRef;
use crate::source::{SkipKind, Skipped, SourcePath};

/// The records of an ARC stream, as parts and skips; see the module docs.
pub(crate) struct Arc {
    name: SourcePath,
    stream: Stream,
    opts: ContainerOptions,
    /// The number of the last record begun.
    number: u64,
}

/// An ARC header line, read.
struct Header {
    url: String,
    date: String,
    content_type: String,
    length: u64,
}

impl Arc {
    /// Reads the records of `stream`, naming parts `name#n`.
    pub(crate) fn new(name: SourcePath, stream: Stream, opts: &ContainerOptions) -> Arc {
        Arc {
            name,
            stream,
            opts: opts.clone(),
            number: 0,
        }
    }

    fn part_name(&self) -> SourcePath {
        self.name.with_suffix(&format!("#{}", self.number))
    }

    /// Consumes up to the next line that starts an `http` record, or everything.
    fn resync(&mut self) {
        if self.stream.skip_to(b"\nhttp") {
            self.stream.consume(1);
        }
    }

    /// Reads the next record: `None` at the end, `Some(None)` for a record that is not an input.
    fn record(&mut self) -> Option<Option<Result<Part, Skipped>>> {
        if !self.stream.skip_blank_lines() {
            let damage = self.stream.resume()?;
            self.number += 1;
            let skipped = Skipped::new(self.part_name(), SkipKind::Damaged, damage.describe());
            return Some(Some(Err(skipped)));
        }
        let start = self.stream.offset();
        self.number += 1;
        let stored = self.stream.stored(start);
        let context = format!("ARC record at byte {}", stored.offset);
        let item = self.read(start);
        self.stream.forget_before(self.stream.offset());
        match item {
            Ok(None) => Some(None),
            Ok(Some(part)) => Some(Some(Ok(part))),
            Err(fail) => Some(Some(Err(fail.skip(self.part_name(), &context)))),
        }
    }

    fn read(&mut self, start: u64) -> Result<Option<Part>, Fail> {
        self.stream.fill(MAX_HEAD + 1);
        let data = self.stream.data();
        let window = &data[..data.len().min(MAX_HEAD)];
        let Some(newline) = memchr::memchr(b'\n', window) else {
            if data.len() > MAX_HEAD {
                self.stream.consume(1);
                self.resync();
                return Err(Fail::Damaged(format!(
                    "the header line is longer than {MAX_HEAD} bytes"
                )));
            }
            return Err(self
                .stream
                .cut_short("truncated: the header line breaks off".to_owned()));
        };
        let line = &data[..newline];
        let Some(header) = parse_header(line) else {
            let what = format!("not an ARC header line: {}", quote(line));
            self.stream.consume(newline + 1);
            self.resync();
            return Err(Fail::Damaged(what));
        };
        let block_start = newline + 1;
        let is_http = header.url.starts_with("http://") || header.url.starts_with("https://");
        let cap = self.opts.max_bytes.saturating_add(MAX_HEAD as u64);
        if !is_http || header.length > cap {
            self.stream.consume(block_start);
            let got = self.stream.skip(header.length);
            if got < header.length {
                return Err(self.stream.cut_short(format!(
                    "truncated: Archive-length is {} bytes but only {got} bytes are left",
                    header.length
                )));
            }
            if is_http {
                return Err(Fail::TooLarge(format!(
                    "the record is {} bytes, more than --max-bytes ({} bytes) allows",
                    header.length, self.opts.max_bytes
                )));
            }
            return Ok(None);
        }
        let end = block_start + usize::try_from(header.length).unwrap_or(usize::MAX);
        self.stream.fill(end.saturating_add(2));
        let data = self.stream.data();
        if data.len() < end {
            let left = data.len() - block_start;
            return Err(self.stream.cut_short(format!(
                "truncated: Archive-length is {} bytes but only {left} bytes are left",
                header.length
            )));
        }
        let newlines = data[end..]
            .iter()
            .take(2)
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        let next = start + (end + newlines) as u64;
        let part = payload(
            self.part_name(),
            &header,
            &data[block_start..end],
            &self.opts,
        );
        let stored = self.stream.stored(start);
        let length = self
            .stream
            .stored_end(next - 1)
            .map(|stop| stop.saturating_sub(stored.offset));
        self.stream.consume(end + newlines);
        let mut part = part?;
        part.container = Some(ContainerRef {
            kind: "arc".to_owned(),
            offset: stored.offset,
            length,
            inner_offset: (stored.inner != 0).then_some(stored.inner),
            record_id: None,
            date: Some(header.date),
            target_uri: Some(header.url),
        });
        Ok(Some(part))
    }
}

impl Iterator for Arc {
    type Item = Result<Part, Skipped>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.record()? {
                return Some(item);
            }
        }
    }
}

/// Reads a header line: version 2 has ten fields; version 1 has five, counted from the right (a
/// URL with spaces keeps them).
fn parse_header(line: &[u8]) -> Option<Header> {
    let line = std::str::from_utf8(line.strip_suffix(b"\r").unwrap_or(line)).ok()?;
    let fields: Vec<&str> = line.split(' ').filter(|f| !f.is_empty()).collect();
    let length = parse_length(fields.last()?)?;
    let (url, date, content_type) = if fields.len() == 10 {
        (fields[0].to_owned(), fields[2], fields[3])
    } else if fields.len() >= 5 {
        let n = fields.len();
        (fields[..n - 4].join(" "), fields[n - 3], fields[n - 2])
    } else {
        return None;
    };
    if !date.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(Header {
        url,
        date: date.to_owned(),
        content_type: content_type.to_owned(),
        length,
    })
}

/// The payload of an `http` record.
fn payload(
    name: SourcePath,
    header: &Header,
    block: &[u8],
    opts: &ContainerOptions,
) -> Result<Part, Fail> {
    let body = if block.starts_with(b"HTTP/") {
        http::payload(block, opts.max_bytes)?
    } else {
        // Some early records hold the body alone.
        if let (Media::Other(other), _) = media_type(Some(&header.content_type)) {
            return Err(not_a_page(&other));
        }
        http::Body {
            bytes: block.to_vec(),
            content_type: Some(header.content_type.clone()),
            notes: Vec::new(),
        }
    };
    http::document(name, body, Some(header.url.clone()), opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_of_both_versions() {
        let v1 =
            parse_header(b"http://a.example/x y 10.0.0.1 20240102030405 text/html 123").unwrap();
        assert_eq!(
            (
                v1.url.as_str(),
                v1.date.as_str(),
                v1.content_type.as_str(),
                v1.length
            ),
            ("http://a.example/x y", "20240102030405", "text/html", 123)
        );
        let v2 = parse_header(
            b"http://a.example/ 10.0.0.1 20240102030405 text/html 200 ABCDEF - 0 x.arc 45\r",
        )
        .unwrap();
        assert_eq!((v2.url.as_str(), v2.length), ("http://a.example/", 45));
        for bad in [
            &b"http://a.example/ 10.0.0.1 20240102030405 text/html"[..],
            b"http://a.example/ 10.0.0.1 yesterday text/html 12",
            b"just some text here now",
            b"\xff\xfe 1 2 3 4",
        ] {
            assert!(parse_header(bad).is_none(), "{bad:?}");
        }
    }
}
