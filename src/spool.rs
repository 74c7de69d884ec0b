//! Scratch storage for extracted documents between the passes of a run.
//!
//! A run extracts every document once (parsing HTML is the expensive part), learns the model from
//! all of them, then cleans them. Keeping every extracted document in memory would make memory
//! grow with the dump, so they are appended to a [`Spool`]: an anonymous temporary file (already
//! unlinked, so it vanishes with the process however it ends) holding items serialized with
//! postcard, with an in-memory index of offsets. Items are read back by number from any thread.

use crate::error::{Error, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

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

impl<T: Serialize + DeserializeOwned> Spool<T> {
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
        self.buf.clear();
        let bytes = postcard::to_extend(item, std::mem::take(&mut self.buf))
            .map_err(|e| self.fail(std::io::Error::other(e)))?;
        self.writer.write_all(&bytes).map_err(|e| self.fail(e))?;
        let len = u32::try_from(bytes.len())
            .map_err(|_| self.fail(std::io::Error::other("item larger than 4 GiB")))?;
        self.index.push((self.end, len));
        self.end += u64::from(len);
        self.buf = bytes;
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
        postcard::from_bytes(&bytes).map_err(|e| self.fail(std::io::Error::other(e)))
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
        let mut spool: Spool<(u32, String)> = Spool::new_in(dir.path()).unwrap();
        for i in 0..100u32 {
            assert_eq!(
                spool.push(&(i, "x".repeat(i as usize))).unwrap(),
                i as usize
            );
        }
        spool.flush().unwrap();
        assert_eq!(spool.get(42).unwrap(), (42, "x".repeat(42)));
        assert_eq!(spool.get(0).unwrap(), (0, String::new()));
        assert_eq!(spool.len(), 100);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "the file is unlinked"
        );
    }
}
