//! Writing output files so that a failed or killed run never leaves a half-written one.
//!
//! An [`AtomicFile`] writes to a hidden `.NAME.XXXXXX.tmp` beside its target, hashing as it goes,
//! and only [`AtomicFile::commit`] flushes, syncs and renames it into place. Dropping it without
//! committing (an error, an interrupt) deletes the temporary file, and the previous target, if any,
//! is untouched. Several files that belong together are first [`AtomicFile::finish`]ed (complete
//! and synced, still under their temporary names) and then renamed together with
//! [`Finished::persist`], so a failure while writing any of them replaces none.
//!
//! Files are created with mode 0666 less the umask, as any other program's output.

use crate::dedup::Sha256Digest;
use crate::error::{Error, Result};
use crate::report::OutputSummary;
use sha2::{Digest, Sha256};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file that appears under its name only when complete; see the module docs.
pub struct AtomicFile {
    target: PathBuf,
    writer: BufWriter<tempfile::NamedTempFile>,
    hasher: Sha256,
    bytes: u64,
}

impl AtomicFile {
    /// Starts writing `target`.
    pub fn create(target: &Path) -> Result<AtomicFile> {
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".to_owned());
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder.tempfile_in(dir).map_err(|source| Error::Output {
            path: target.to_path_buf(),
            source,
        })?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            writer: BufWriter::with_capacity(1 << 20, tmp),
            hasher: Sha256::new(),
            bytes: 0,
        })
    }

    /// Appends bytes.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        self.hasher.update(bytes);
        self.bytes += bytes.len() as u64;
        self.writer
            .write_all(bytes)
            .map_err(|source| Error::Output {
                path: self.target.clone(),
                source,
            })
    }

    /// Completes the file (flushed and synced) under its temporary name; returns its size and
    /// SHA-256, and the file, ready to be renamed into place.
    pub fn finish(self) -> Result<(Finished, OutputSummary)> {
        let target = self.target;
        let fail = |source: std::io::Error| Error::Output {
            path: target.clone(),
            source,
        };
        let tmp = self.writer.into_inner().map_err(|e| fail(e.into_error()))?;
        tmp.as_file().sync_all().map_err(fail)?;
        let summary = OutputSummary {
            sha256: Sha256Digest(self.hasher.finalize().into()).hex(),
            bytes: self.bytes,
        };
        Ok((Finished { tmp, target }, summary))
    }

    /// Finishes the file and moves it into place; returns its size and SHA-256.
    pub fn commit(self) -> Result<OutputSummary> {
        let (finished, summary) = self.finish()?;
        finished.persist()?;
        Ok(summary)
    }
}

/// A complete file under its temporary name; dropped, it is deleted.
pub struct Finished {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
}

impl Finished {
    /// Renames the file into place.
    pub fn persist(self) -> Result<()> {
        let target = self.target;
        self.tmp
            .persist(&target)
            .map(drop)
            .map_err(|e| Error::Output {
                path: target,
                source: e.error,
            })
    }
}

/// Writes a whole file, but leaves it under its temporary name; see [`Finished`].
pub fn finish_file(target: &Path, bytes: &[u8]) -> Result<(Finished, OutputSummary)> {
    let mut file = AtomicFile::create(target)?;
    file.write_all(bytes)?;
    file.finish()
}

/// Writes a whole file atomically.
pub fn write_file(target: &Path, bytes: &[u8]) -> Result<OutputSummary> {
    let mut file = AtomicFile::create(target)?;
    file.write_all(bytes)?;
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_appears_until_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("clean.jsonl");
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"{}\n").unwrap();
        assert!(!target.exists());
        drop(file);
        assert!(!target.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "tmp file removed"
        );
        let summary = write_file(&target, b"abc").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"abc");
        assert_eq!(summary.bytes, 3);
        assert!(summary.sha256.starts_with("ba7816bf"));
    }

    #[test]
    fn a_missing_folder_is_a_clear_error() {
        let err = AtomicFile::create(Path::new("/no/such/dir/clean.jsonl"))
            .err()
            .unwrap();
        assert!(
            err.to_string().contains("/no/such/dir/clean.jsonl"),
            "{err}"
        );
    }
}
