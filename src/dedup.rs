//! Stage 1b: read every file, hash its bytes with SHA-256, and find exact duplicates.
//!
//! [`read`] takes a [`SourceFile`] and gives its bytes, or a [`Skipped`] entry when the file is too
//! large, vanished, or cannot be read. [`sha256`] hashes bytes. [`ExactIndex`] is the barrier: fed
//! documents in sorted order, it says for each whether an earlier one had the same bytes. The
//! first path in sorted order is canonical; every later copy is recorded as its duplicate, so no
//! copy disappears without a trace.

use crate::source::{SkipKind, Skipped, SourceFile, hex_bytes};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;

/// A SHA-256 digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Sha256Digest(pub [u8; 32]);

impl Sha256Digest {
    /// Lowercase hex.
    pub fn hex(&self) -> String {
        hex_bytes(&self.0)
    }
}

/// The SHA-256 of some bytes.
pub fn sha256(bytes: &[u8]) -> Sha256Digest {
    Sha256Digest(Sha256::digest(bytes).into())
}

/// Reads a whole file, refusing files larger than `max_bytes`.
///
/// The size seen by the walk is checked first (so a 10 GB file is never read), and the read
/// itself stops after `max_bytes + 1` bytes (so a file that grew meanwhile is caught too).
pub fn read(file: &SourceFile, max_bytes: u64) -> Result<Vec<u8>, Skipped> {
    let too_large = |len: u64| {
        Skipped::new(
            file.name.clone(),
            SkipKind::TooLarge,
            format!("{len} bytes is more than --max-bytes {max_bytes}"),
        )
    };
    if file.len > max_bytes {
        return Err(too_large(file.len));
    }
    let unreadable = |err: std::io::Error| {
        let kind = if err.kind() == std::io::ErrorKind::NotFound {
            SkipKind::Changed
        } else if crate::source::out_of_resources(&err) {
            SkipKind::OutOfResources
        } else {
            SkipKind::Unreadable
        };
        let message = if kind == SkipKind::Changed {
            "vanished after it was listed".to_owned()
        } else {
            format!("cannot read: {err}")
        };
        Skipped::new(file.name.clone(), kind, message)
    };
    let handle = std::fs::File::open(&file.path).map_err(unreadable)?;
    let mut bytes = Vec::with_capacity(file.len as usize + 1);
    handle
        .take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The first document seen with each digest.
#[derive(Debug, Default)]
pub struct ExactIndex {
    first: FxHashMap<Sha256Digest, u32>,
}

impl ExactIndex {
    /// Records that document `index` has `digest`. Returns the earlier document with the same
    /// digest, if there was one (and then `index` is its duplicate and is not recorded).
    pub fn insert(&mut self, digest: Sha256Digest, index: u32) -> Option<u32> {
        match self.first.entry(digest) {
            std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(index);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourcePath;

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256(b"abc").hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn first_copy_wins() {
        let mut index = ExactIndex::default();
        assert_eq!(index.insert(sha256(b"a"), 0), None);
        assert_eq!(index.insert(sha256(b"b"), 1), None);
        assert_eq!(index.insert(sha256(b"a"), 2), Some(0));
    }

    #[test]
    fn reading_respects_the_size_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.txt");
        std::fs::write(&path, b"0123456789").unwrap();
        let mut file = SourceFile {
            path: path.clone(),
            name: SourcePath::new(std::path::Path::new("in/f.txt")),
            folder: None,
            input: "in".into(),
            len: 10,
        };
        assert_eq!(read(&file, 10).unwrap().len(), 10);
        assert_eq!(read(&file, 9).unwrap_err().kind, SkipKind::TooLarge);
        // The walk saw it small, but it grew before it was read.
        file.len = 1;
        assert_eq!(read(&file, 5).unwrap_err().kind, SkipKind::TooLarge);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(read(&file, 100).unwrap_err().kind, SkipKind::Changed);
    }
}
