//! The bytes of a container as its readers see them: decompressed if the file is gzip, buffered,
//! with the offset of every byte, and where each byte is stored in the file.
//!
//! A [`Stream`] holds only what its reader still needs (a record's header and block, or one
//! JSONL line): memory depends on the largest record kept, never on the file's size. A damaged
//! gzip member is a *break*: the bytes before it can still be read, and the reader decides what
//! the break cost before calling [`Stream::resume`] to go on after it.

use super::Fail;
use super::gzip::{Counted, Damage, Members, Step};
use std::io::Read;

/// Bytes asked of the source at a time.
const READ_SIZE: usize = 64 << 10;

/// Where a stream's bytes come from.
enum Source {
    /// The file's bytes as they are.
    Plain(Counted),
    /// The decompressed members of a gzip file.
    Gzip(Members),
}

/// Whether more bytes may come.
enum Flow {
    Open,
    Ended,
    Broken(Damage),
}

/// Where a run of decompressed bytes is stored in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stored {
    /// Offset in the file: of the byte itself, or of the gzip member holding it.
    pub(crate) offset: u64,
    /// For a gzip file, the offset of the byte within its member's decompressed bytes.
    pub(crate) inner: u64,
}

/// Buffered, decompressed bytes with their offsets; see the module docs.
pub(crate) struct Stream {
    source: Source,
    flow: Flow,
    buf: Vec<u8>,
    /// Bytes of `buf` already consumed.
    pos: usize,
    /// Offset of `buf[0]` in the (decompressed) stream.
    base: u64,
}

impl Stream {
    /// The bytes of a plain file.
    pub(crate) fn plain(input: Counted) -> Stream {
        Stream::new(Source::Plain(input))
    }

    /// The decompressed bytes of a gzip file.
    pub(crate) fn gzip(input: Counted) -> Stream {
        Stream::new(Source::Gzip(Members::new(input)))
    }

    fn new(source: Source) -> Stream {
        Stream {
            source,
            flow: Flow::Open,
            buf: Vec::new(),
            pos: 0,
            base: 0,
        }
    }

    /// Whether the bytes are decompressed from gzip.
    pub(crate) fn is_gzip(&self) -> bool {
        matches!(self.source, Source::Gzip(_))
    }

    /// The offset of the next unconsumed byte in the (decompressed) stream.
    pub(crate) fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// The buffered bytes not consumed yet.
    pub(crate) fn data(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// Reads until at least `want` bytes are buffered, or the bytes end or break; returns
    /// whether `want` bytes are there.
    pub(crate) fn fill(&mut self, want: usize) -> bool {
        while self.buf.len() - self.pos < want && matches!(self.flow, Flow::Open) {
            self.compact();
            let len = self.buf.len();
            // The buffer grows by doubling what it holds (from READ_SIZE, by at most 16 MiB a
            // step): asking for `--max-bytes` to read a small file must not zero megabytes.
            let buffered = len - self.pos;
            let ask = READ_SIZE.max((want - buffered).min(buffered).min(16 << 20));
            let step = match &mut self.source {
                Source::Plain(input) => {
                    // Into the buffer's spare room, which is not zeroed first. Bytes read before
                    // an error are kept; the next read meets the error again.
                    let read = input.by_ref().take(ask as u64).read_to_end(&mut self.buf);
                    match read {
                        _ if self.buf.len() > len => Step::Data(self.buf.len() - len),
                        Ok(_) => Step::End,
                        Err(err) => Step::Break(Damage {
                            at: input.pos,
                            resumed: None,
                            what: format!("cannot read: {err}"),
                            unreadable: true,
                        }),
                    }
                }
                Source::Gzip(members) => {
                    self.buf.resize(len + ask, 0);
                    members.read(&mut self.buf[len..])
                }
            };
            match step {
                Step::Data(n) => self.buf.truncate(len + n),
                Step::End => {
                    self.buf.truncate(len);
                    self.flow = Flow::Ended;
                }
                Step::Break(damage) => {
                    self.buf.truncate(len);
                    self.flow = Flow::Broken(damage);
                }
            }
        }
        self.buf.len() - self.pos >= want
    }

    /// The buffered bytes not consumed yet, taken out of the stream.
    pub(crate) fn into_data(mut self) -> Vec<u8> {
        self.buf.drain(..self.pos);
        self.buf
    }

    /// Drops consumed bytes from the buffer, and gives back memory a large record took.
    fn compact(&mut self) {
        if self.pos == 0 {
            return;
        }
        self.buf.drain(..self.pos);
        self.base += self.pos as u64;
        self.pos = 0;
        if self.buf.capacity() > 4 * READ_SIZE && self.buf.len() < self.buf.capacity() / 4 {
            self.buf.shrink_to(self.buf.len().max(READ_SIZE) * 2);
        }
    }

    /// Consumes `n` buffered bytes (at most what is buffered).
    pub(crate) fn consume(&mut self, n: usize) {
        self.pos += n.min(self.buf.len() - self.pos);
    }

    /// Consumes the next `n` bytes without keeping them; returns how many there were before
    /// the bytes ended or broke.
    pub(crate) fn skip(&mut self, n: u64) -> u64 {
        let mut done = 0;
        while done < n {
            if self.data().is_empty() && !self.fill(1) {
                break;
            }
            let step = (self.data().len() as u64).min(n - done);
            self.consume(step as usize);
            done += step;
        }
        done
    }

    /// Consumes bytes up to the next `needle` (`needle` is kept); returns whether one was
    /// found before the bytes ended or broke (if not, everything is consumed).
    pub(crate) fn skip_to(&mut self, needle: &[u8]) -> bool {
        loop {
            if let Some(at) = memchr::memmem::find(self.data(), needle) {
                self.consume(at);
                return true;
            }
            let keep = needle.len().saturating_sub(1).min(self.data().len());
            self.consume(self.data().len() - keep);
            if !self.fill(keep + 1) {
                let rest = self.data().len();
                self.consume(rest);
                return false;
            }
        }
    }

    /// Consumes the line ends before a record; returns whether any bytes follow them.
    pub(crate) fn skip_blank_lines(&mut self) -> bool {
        loop {
            if self.data().is_empty() && !self.fill(1) {
                return false;
            }
            let blank = self
                .data()
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            self.consume(blank);
            if !self.data().is_empty() {
                return true;
            }
        }
    }

    /// A record the bytes ran out in: all that is left is consumed, a break is passed over, and
    /// `what` is the damage, with the break's description.
    pub(crate) fn cut_short(&mut self, what: String) -> Fail {
        let rest = self.data().len();
        self.consume(rest);
        match self.resume() {
            Some(damage) => Fail::Damaged(format!("{what}; {}", damage.describe())),
            None => Fail::Damaged(what),
        }
    }

    /// Whether the bytes ended (rather than broke) when nothing is left.
    pub(crate) fn ended(&self) -> bool {
        matches!(self.flow, Flow::Ended)
    }

    /// The damage the bytes broke at, if they did.
    pub(crate) fn damage(&self) -> Option<&Damage> {
        match &self.flow {
            Flow::Broken(damage) => Some(damage),
            _ => None,
        }
    }

    /// At a break: drops what is buffered and goes on after the damage. Returns the damage,
    /// or `None` if the bytes did not break.
    pub(crate) fn resume(&mut self) -> Option<Damage> {
        if !matches!(self.flow, Flow::Broken(_)) {
            return None;
        }
        let Flow::Broken(damage) = std::mem::replace(&mut self.flow, Flow::Open) else {
            return None;
        };
        if damage.resumed.is_none() {
            self.flow = Flow::Ended;
        }
        self.base += self.buf.len() as u64;
        self.buf.clear();
        self.pos = 0;
        Some(damage)
    }

    /// Where the byte at `offset` of the stream is stored in the file.
    pub(crate) fn stored(&self, offset: u64) -> Stored {
        match &self.source {
            Source::Plain(_) => Stored { offset, inner: 0 },
            Source::Gzip(members) => match members.member_at(offset) {
                Some(m) => Stored {
                    offset: m.start,
                    inner: offset - m.data_start,
                },
                None => Stored { offset, inner: 0 },
            },
        }
    }

    /// The offset in the file just after the stored bytes of the byte at `offset` (its gzip
    /// member's end); `None` while that member has not been read whole.
    pub(crate) fn stored_end(&self, offset: u64) -> Option<u64> {
        match &self.source {
            Source::Plain(_) => Some(offset + 1),
            Source::Gzip(members) => members.member_at(offset).and_then(|m| m.end),
        }
    }

    /// The offset in the file of the member that holds the byte at `offset` (for a plain file,
    /// `offset`).
    pub(crate) fn member_start(&self, offset: u64) -> u64 {
        self.stored(offset).offset
    }

    /// Forgets where bytes before `offset` are stored.
    pub(crate) fn forget_before(&mut self, offset: u64) {
        if let Source::Gzip(members) = &mut self.source {
            members.forget_before(offset);
        }
    }
}
