//! Scratch storage for extracted documents between the passes of a run.
//!
//! A run extracts every document once (parsing HTML is the expensive part), learns the model from
//! all of them, then cleans them. Keeping every extracted document in memory would make memory
//! grow with the dump, so they are appended to a [`Spool`]: an anonymous temporary file (already
//! unlinked, so it vanishes with the process however it ends) holding items as [`Spooled`] writes
//! them (bytes as they are, structured items with postcard), with an in-memory index of offsets.
//! Items are read back by number from any thread.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

/// How an item is written to a spool and read back.
pub trait Spooled: Sized {
    /// The item's bytes: its own, or written into `scratch`.
    fn encode<'a>(&'a self, scratch: &'a mut Vec<u8>) -> std::io::Result<&'a [u8]>;
    /// The item from its bytes.
    fn decode(bytes: Vec<u8>) -> std::io::Result<Self>;
}

/// Bytes (a record's JSON line) are spooled as they are.
impl Spooled for Vec<u8> {
    fn encode<'a>(&'a self, _: &'a mut Vec<u8>) -> std::io::Result<&'a [u8]> {
        Ok(self)
    }

    fn decode(bytes: Vec<u8>) -> std::io::Result<Self> {
        Ok(bytes)
    }
}

/// Structured items are spooled with postcard.
macro_rules! spooled_with_postcard {
    ($($item:ty),*) => {$(
        impl Spooled for $item {
            fn encode<'a>(&'a self, scratch: &'a mut Vec<u8>) -> std::io::Result<&'a [u8]> {
                scratch.clear();
                let bytes = postcard::to_extend(self, std::mem::take(scratch))
                    .map_err(std::io::Error::other)?;
                *scratch = bytes;
                Ok(scratch)
            }

            fn decode(bytes: Vec<u8>) -> std::io::Result<Self> {
                postcard::from_bytes(&bytes).map_err(std::io::Error::other)
            }
        }
    )*};
}

spooled_with_postcard!(crate::scan::Row, crate::learn::Member);

/// An append-only file of items, read back by number.
pub struct Spool<T> {
    dir: PathBuf,
    reader: File,
    writer: BufWriter<File>,
    index: Vec<(u64, u32)>,
    end: u64,
    buf: Vec<u8>,
    _items: PhantomData<fn() -> T>,
}

impl<T: Spooled> Spool<T> {
    /// A new, empty spool in `dir`.
    pub fn new_in(dir: &Path) -> Result<Spool<T>> {
        let fail = |source| Error::Spool {
            dir: dir.to_path_buf(),
            source,
        };
        let reader = tempfile::tempfile_in(dir).map_err(fail)?;
        let writer = reader.try_clone().map_err(fail)?;
        Ok(Spool {
            dir: dir.to_path_buf(),
            reader,
            writer: BufWriter::with_capacity(1 << 20, writer),
            index: Vec::new(),
            end: 0,
            buf: Vec::new(),
            _items: PhantomData,
        })
    }

    fn fail(&self, source: std::io::Error) -> Error {
        Error::Spool {
            dir: self.dir.clone(),
            source,
        }
    }

    /// Appends an item; returns its number.
    pub fn push(&mut self, item: &T) -> Result<usize> {
        let mut scratch = std::mem::take(&mut self.buf);
        let written = item.encode(&mut scratch).and_then(|bytes| {
            let len = u32::try_from(bytes.len())
                .map_err(|_| std::io::Error::other("item larger than 4 GiB"))?;
            self.writer.write_all(bytes)?;
            Ok(len)
        });
        self.buf = scratch;
        let len = written.map_err(|e| self.fail(e))?;
        self.index.push((self.end, len));
        self.end += u64::from(len);
        Ok(self.index.len() - 1)
    }

    /// Makes everything pushed so far readable.
    pub fn flush(&mut self) -> Result<()> {
        self.writer.flush().map_err(|e| self.fail(e))
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Reads item `i` back. Call [`Spool::flush`] after the last push first.
    pub fn get(&self, i: usize) -> Result<T> {
        let (offset, len) = self.index[i];
        let mut bytes = vec![0; len as usize];
        read_at(&self.reader, &mut bytes, offset).map_err(|e| self.fail(e))?;
        T::decode(bytes).map_err(|e| self.fail(e))
    }

    /// The bytes the spool takes on disk.
    pub fn bytes(&self) -> u64 {
        self.end
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        let n = file.seek_read(buf, offset)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf = &mut buf[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_back_by_number() {
        let dir = tempfile::tempdir().unwrap();
        let mut spool: Spool<Vec<u8>> = Spool::new_in(dir.path()).unwrap();
        for i in 0..100u32 {
            let item = format!("{i}:{}", "x".repeat(i as usize)).into_bytes();
            assert_eq!(spool.push(&item).unwrap(), i as usize);
        }
        spool.flush().unwrap();
        assert_eq!(
            spool.get(42).unwrap(),
            format!("42:{}", "x".repeat(42)).into_bytes()
        );
        assert_eq!(spool.get(0).unwrap(), b"0:".to_vec());
        assert_eq!(spool.len(), 100);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "the file is unlinked"
        );
    }
}
