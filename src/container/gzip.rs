//! gzip, member by member: the decompressed bytes of every member in file order, where each
//! member starts and ends in the compressed file, and a damaged member skipped over.
//!
//! Crawlers write one gzip member per WARC record, so a member's offset and length in the
//! compressed file are what `dd` or a ranged HTTP request needs to fetch one record (the
//! `offset` and `length` of Common Crawl's index). [`Members`] reads members one at a time with
//! flate2's single-member [`GzDecoder`] over a [`Counted`] reader, which consumes exactly the
//! bytes of each member, so the offsets are byte-exact.
//!
//! A member that cannot be decompressed (cut short, a flipped bit, a bad checksum) does not end
//! the file: [`Members::read`] reports it as a [`Damage`] and goes on at the next byte sequence
//! that starts a gzip member, so the records after it are still read.

use flate2::bufread::GzDecoder;
use std::collections::VecDeque;
use std::io::{BufRead, Read, Seek, SeekFrom};

/// The first bytes of a gzip member: magic, and the deflate method.
pub(crate) const MAGIC: &[u8] = b"\x1f\x8b\x08";

/// Buffered, seekable bytes a container is read from (a file, or bytes in memory).
pub(crate) trait Input: BufRead + Seek + Send {}
impl<T: BufRead + Seek + Send> Input for T {}

/// A reader that knows how many bytes of its input were consumed.
pub(crate) struct Counted {
    inner: Box<dyn Input>,
    /// Bytes consumed so far: the offset of the next byte in the file.
    pub(crate) pos: u64,
}

impl Counted {
    /// Counts from the start of `inner`.
    pub(crate) fn new(inner: Box<dyn Input>) -> Counted {
        Counted { inner, pos: 0 }
    }

    /// Goes to byte `pos` of the input.
    fn seek_to(&mut self, pos: u64) -> std::io::Result<()> {
        self.inner.seek(SeekFrom::Start(pos))?;
        self.pos = pos;
        Ok(())
    }
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl BufRead for Counted {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt);
        self.pos += amt as u64;
    }
}

/// One gzip member: where its decompressed bytes start, and where it lies in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Member {
    /// Offset of its first decompressed byte in the decompressed stream.
    pub(crate) data_start: u64,
    /// Offset of its first byte in the compressed file.
    pub(crate) start: u64,
    /// Offset just after its last byte in the compressed file, once it has been read whole.
    pub(crate) end: Option<u64>,
}

/// Compressed data that could not be decompressed, and where reading went on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Damage {
    /// Offset in the file of the member (or the bytes) that could not be read.
    pub(crate) at: u64,
    /// Offset of the next member, where reading went on; `None` when there is none.
    pub(crate) resumed: Option<u64>,
    /// What went wrong.
    pub(crate) what: String,
    /// The file could not be read (rather than its gzip data decompressed).
    pub(crate) unreadable: bool,
}

impl Damage {
    /// The damage in words, for a skip message.
    pub(crate) fn describe(&self) -> String {
        let after = match self.resumed {
            Some(next) => format!("reading went on at the next gzip member, at byte {next}"),
            None => "nothing after it could be read".to_owned(),
        };
        if self.unreadable {
            return format!(
                "the file could not be read after byte {} ({})",
                self.at, self.what
            );
        }
        format!(
            "the gzip data is damaged at byte {} ({}); {after}",
            self.at, self.what
        )
    }
}

/// What one [`Members::read`] gave.
pub(crate) enum Step {
    /// This many decompressed bytes.
    Data(usize),
    /// The end of the file.
    End,
    /// Damaged data; the next read goes on after it.
    Break(Damage),
}

enum State {
    /// Between members (or before the first).
    Between(Counted),
    /// Inside a member.
    Inside(Box<GzDecoder<Counted>>),
    /// At the end of the file, or unable to read on.
    Done,
}

/// The decompressed bytes of every gzip member of a file, in order; see the module docs.
pub(crate) struct Members {
    state: State,
    /// The members read lately (older ones are dropped by [`Members::forget_before`]).
    members: VecDeque<Member>,
    /// Decompressed bytes given so far.
    produced: u64,
}

impl Members {
    /// Reads the members of `input`, which starts with one.
    pub(crate) fn new(input: Counted) -> Members {
        Members {
            state: State::Between(input),
            members: VecDeque::new(),
            produced: 0,
        }
    }

    /// Decompresses into `out` (which must not be empty).
    pub(crate) fn read(&mut self, out: &mut [u8]) -> Step {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Step::End,
                State::Between(mut input) => {
                    let start = input.pos;
                    let head = match input.fill_buf() {
                        Ok(head) => head,
                        Err(err) => return Step::Break(unreadable(start, &err)),
                    };
                    if head.is_empty() {
                        return Step::End;
                    }
                    if !head.starts_with(MAGIC) && !MAGIC.starts_with(head) {
                        let resumed = self.resync(input, start + 1);
                        return Step::Break(Damage {
                            at: start,
                            resumed,
                            what: "not the start of a gzip member".to_owned(),
                            unreadable: false,
                        });
                    }
                    self.members.push_back(Member {
                        data_start: self.produced,
                        start,
                        end: None,
                    });
                    self.state = State::Inside(Box::new(GzDecoder::new(input)));
                }
                State::Inside(mut decoder) => match decoder.read(out) {
                    Ok(0) => {
                        let input = decoder.into_inner();
                        if let Some(last) = self.members.back_mut() {
                            last.end = Some(input.pos);
                        }
                        self.state = State::Between(input);
                    }
                    Ok(n) => {
                        self.produced += n as u64;
                        self.state = State::Inside(decoder);
                        return Step::Data(n);
                    }
                    Err(err) => {
                        let at = self.members.back().map_or(0, |m| m.start);
                        let resumed = self.resync(decoder.into_inner(), at + 1);
                        return Step::Break(Damage {
                            at,
                            resumed,
                            what: err.to_string(),
                            unreadable: false,
                        });
                    }
                },
            }
        }
    }

    /// Finds the next member at or after `from` and reads on from there; returns its offset.
    fn resync(&mut self, mut input: Counted, from: u64) -> Option<u64> {
        let found = next_member(&mut input, from).ok().flatten();
        if found.is_some() {
            self.state = State::Between(input);
        }
        found
    }

    /// The member holding the decompressed byte at `offset` (the last one starting at or
    /// before it).
    pub(crate) fn member_at(&self, offset: u64) -> Option<Member> {
        self.members
            .iter()
            .rev()
            .find(|m| m.data_start <= offset)
            .copied()
    }

    /// Forgets members that end before the decompressed byte at `offset`.
    pub(crate) fn forget_before(&mut self, offset: u64) {
        while self.members.len() > 1 && self.members[1].data_start <= offset {
            self.members.pop_front();
        }
    }
}

fn unreadable(at: u64, err: &std::io::Error) -> Damage {
    Damage {
        at,
        resumed: None,
        what: format!("cannot read: {err}"),
        unreadable: true,
    }
}

/// Moves `input` to the next plausible gzip member header at or after `from`: the magic, the
/// deflate method, and a flag byte without reserved bits. Returns its offset.
fn next_member(input: &mut Counted, from: u64) -> std::io::Result<Option<u64>> {
    let mut pos = from;
    loop {
        input.seek_to(pos)?;
        let window = input.fill_buf()?;
        if window.len() < 4 {
            return Ok(None);
        }
        // Candidates whose four bytes lie in the window; the next window starts at the first
        // byte not tried.
        let limit = window.len() - 3;
        let mut at = 0;
        while let Some(i) = memchr::memchr(MAGIC[0], &window[at..limit]) {
            let candidate = at + i;
            if window[candidate..].starts_with(MAGIC) && window[candidate + 3] & 0xe0 == 0 {
                let found = pos + candidate as u64;
                input.seek_to(found)?;
                return Ok(Some(found));
            }
            at = candidate + 1;
        }
        pos += limit as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    fn read_all(data: Vec<u8>) -> (Vec<u8>, Vec<Damage>, Vec<Member>) {
        let mut members = Members::new(Counted::new(Box::new(Cursor::new(data))));
        let (mut out, mut damage, mut seen) = (Vec::new(), Vec::new(), Vec::new());
        let mut buf = [0u8; 7];
        loop {
            let step = members.read(&mut buf);
            for m in &members.members {
                if !seen.contains(m) && m.end.is_some() {
                    seen.push(*m);
                }
            }
            match step {
                Step::Data(n) => out.extend_from_slice(&buf[..n]),
                Step::End => break,
                Step::Break(d) => damage.push(d),
            }
        }
        (out, damage, seen)
    }

    #[test]
    fn members_have_exact_offsets() {
        let (a, b) = (gz(b"first member"), gz(b"second"));
        let mut data = a.clone();
        data.extend(&b);
        let (out, damage, members) = read_all(data);
        assert_eq!(out, b"first membersecond");
        assert!(damage.is_empty());
        let a_len = a.len() as u64;
        assert_eq!(
            members,
            [
                Member {
                    data_start: 0,
                    start: 0,
                    end: Some(a_len)
                },
                Member {
                    data_start: 12,
                    start: a_len,
                    end: Some(a_len + b.len() as u64)
                }
            ]
        );
    }

    #[test]
    fn a_damaged_member_is_skipped_over() {
        let (a, b, c) = (gz(b"one "), gz(b"two "), gz(b"three"));
        let mut data = a.clone();
        data.extend(&b[..b.len() / 2]);
        let c_at = data.len() as u64;
        data.extend(&c);
        data.extend(b"junk");
        let (out, damage, _) = read_all(data);
        assert!(out.starts_with(b"one "), "{out:?}");
        assert!(out.ends_with(b"three"), "{out:?}");
        assert_eq!(damage.len(), 2, "{damage:?}");
        assert_eq!(damage[0].at, a.len() as u64);
        assert_eq!(damage[0].resumed, Some(c_at));
        assert_eq!(damage[1].at, c_at + c.len() as u64);
        assert_eq!(damage[1].resumed, None);
    }
}
