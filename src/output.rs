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
//!
//! # One run per output folder, one set at a time
//! A run that writes into a folder first takes its [`OutputLock`]: the file `.chaff.lock` in the
//! folder, locked with the operating system's advisory file lock and holding the pid and host of
//! the run. A second run into the same folder fails at once, naming the holder; the lock goes
//! with the process however it ends (the file is removed by a run that ends normally). Under the
//! lock, temporary files left by a run that was killed are removed ([`remove_stale`]).
//!
//! The outputs of a run form a set (`clean.jsonl`, `model.json`, `report.json`), and
//! `report.json` is its manifest: it names the other files by SHA-256. [`commit_set`] removes the
//! old manifest first, renames the other files into place, and renames the new manifest last. So
//! at every moment, even if the run is killed between two renames, *a `report.json` in the folder
//! belongs with the files beside it*; when it is missing, the set is incomplete.

use crate::digest::Sha256Digest;
use crate::error::{Error, Result};
use crate::report::OutputSummary;
use sha2::{Digest, Sha256};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The name of the lock file in an output folder.
pub const LOCK_NAME: &str = ".chaff.lock";
/// How a lock file starts.
pub const LOCK_MARKER: &[u8] = b"chaff-lock";
/// The files a run writes into its output folder, the manifest last.
pub const OUTPUT_NAMES: [&str; 3] = ["clean.jsonl", "model.json", "report.json"];

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
#[derive(Debug)]
pub struct Finished {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
}

impl Finished {
    /// Where the file goes.
    pub fn target(&self) -> &Path {
        &self.target
    }

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

/// Renames a set of finished files into place, the manifest last; see the module docs.
pub fn commit_set(files: Vec<Finished>, manifest: Finished) -> Result<()> {
    match std::fs::remove_file(&manifest.target) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(Error::Output {
                path: manifest.target.clone(),
                source,
            });
        }
    }
    for file in files {
        file.persist()?;
    }
    let dir = manifest.target.parent().map(Path::to_path_buf);
    manifest.persist()?;
    // Make the renames durable; a folder that cannot be synced (some file systems) is no error.
    if let Some(dir) = dir.filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// The lock on an output folder, held while it lives; see the module docs.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
    _file: std::fs::File,
}

impl OutputLock {
    /// Takes the lock on `dir`, or fails at once if another run holds it.
    pub fn acquire(dir: &Path) -> Result<OutputLock> {
        let path = dir.join(LOCK_NAME);
        let fail = |source| Error::Output {
            path: path.clone(),
            source,
        };
        loop {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(fail)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(Error::OutputBusy {
                        dir: dir.to_path_buf(),
                        holder: holder_of(&read_holder(&path)),
                    });
                }
                Err(std::fs::TryLockError::Error(source)) => return Err(fail(source)),
            }
            // The run before may have removed the file between our open and our lock: the lock
            // counts only if the name still leads to the file we locked.
            if !same_file(&file, &path) {
                continue;
            }
            let holder = format!(
                "{} pid {} on {}\n",
                String::from_utf8_lossy(LOCK_MARKER),
                std::process::id(),
                host_name()
            );
            let lock = OutputLock { path, _file: file };
            // (Should this fail, dropping the lock removes the file.)
            let mut file = &lock._file;
            file.set_len(0)
                .and_then(|()| file.write_all(holder.as_bytes()))
                .map_err(|source| Error::Output {
                    path: lock.path.clone(),
                    source,
                })?;
            return Ok(lock);
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked; the lock itself goes when the file is closed.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether an open file is the one `path` names now.
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.exists()
    }
}

/// The text of a lock file held by another run. The holder writes it just after taking the
/// lock, so an empty file is read again for a moment.
fn read_holder(path: &Path) -> String {
    for _ in 0..100 {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.ends_with('\n') {
            return text;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    std::fs::read_to_string(path).unwrap_or_default()
}

/// The holder of a lock, in words, from the lock file's text.
fn holder_of(text: &str) -> String {
    let marker = String::from_utf8_lossy(LOCK_MARKER);
    match text.trim().strip_prefix(marker.as_ref()) {
        Some(rest) if !rest.trim().is_empty() => rest.trim().chars().take(200).collect(),
        _ => "a run that is just starting".to_owned(),
    }
}

/// This machine's name, as far as it can be found.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this machine".to_owned())
}

/// Whether `name` is the temporary name an [`AtomicFile`] gives an output file:
/// `.NAME.XXXXXX.tmp`, with NAME one of [`OUTPUT_NAMES`] or a records file of any stem, shard
/// and compression (`docs.jsonl.gz`, `clean-00003.jsonl.zst`).
fn is_temporary_output(name: &str) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    let Some((target, random)) = inner.rsplit_once('.') else {
        return false;
    };
    !random.is_empty()
        && random.bytes().all(|b| b.is_ascii_alphanumeric())
        && (OUTPUT_NAMES.contains(&target)
            || crate::sink::Compression::from_file_name(target).is_some())
}

/// Removes the temporary output files (`.clean.jsonl.XXXXXX.tmp`, the shards'
/// `.clean-00003.jsonl.gz.XXXXXX.tmp`…) that a killed run left in `dir`; call it holding the
/// folder's [`OutputLock`]. Returns their names, sorted.
pub fn remove_stale(dir: &Path) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Output {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        if is_temporary_output(name) && entry.file_type().is_ok_and(|t| t.is_file()) {
            std::fs::remove_file(entry.path()).map_err(|source| Error::Output {
                path: entry.path(),
                source,
            })?;
            removed.push(name.to_owned());
        }
    }
    removed.sort();
    Ok(removed)
}

/// Writes U+2028 and U+2029 in a line of JSON as the escapes `\u2028` and `\u2029`. Both are
/// valid raw in JSON strings, but line-splitting readers (Python's `str.splitlines()`,
/// JavaScript before ES2019) break a JSONL record at them. In JSON they can only stand inside a
/// string, so the rewrite is exact.
pub fn escape_line_separators(json: &mut Vec<u8>) {
    let is_separator = |at: usize| matches!(json.get(at + 2), Some(0xA8 | 0xA9));
    let hits: Vec<usize> = memchr::memmem::find_iter(json, b"\xE2\x80")
        .filter(|&at| is_separator(at))
        .collect();
    if hits.is_empty() {
        return;
    }
    let mut out = Vec::with_capacity(json.len() + hits.len() * 3);
    let mut copied = 0;
    for at in hits {
        out.extend_from_slice(&json[copied..at]);
        out.extend_from_slice(if json[at + 2] == 0xA8 {
            b"\\u2028"
        } else {
            b"\\u2029"
        });
        copied = at + 3;
    }
    out.extend_from_slice(&json[copied..]);
    *json = out;
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

    /// A tmpfs of `kib` KiB mounted on a folder while it lives, if this process may mount one.
    struct Tmpfs(PathBuf);

    impl Tmpfs {
        fn mount(dir: &Path, kib: u64) -> Option<Tmpfs> {
            std::fs::create_dir_all(dir).unwrap();
            let status = std::process::Command::new("mount")
                .args(["-t", "tmpfs", "-o"])
                .arg(format!("size={kib}k,mode=0755"))
                .arg("tmpfs")
                .arg(dir)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status();
            status
                .is_ok_and(|s| s.success())
                .then(|| Tmpfs(dir.to_path_buf()))
        }
    }

    impl Drop for Tmpfs {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn an_atomic_file_on_a_full_disk_leaves_neither_target_nor_temporary() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().join("disk");
        let Some(disk) = Tmpfs::mount(&dir, 64) else {
            eprintln!("note: cannot mount a tmpfs here; the full-disk assertions are skipped");
            return;
        };
        let target = dir.join("clean.jsonl");
        std::fs::write(&target, b"older output\n").unwrap();
        let chunk = vec![b'x'; 4096];

        // Streaming: the error comes from a write or from the commit.
        let mut file = AtomicFile::create(&target).expect("an empty temporary file fits");
        let mut failed = None;
        for _ in 0..64 {
            if let Err(e) = file.write_all(&chunk) {
                failed = Some(e);
                break;
            }
        }
        let err = match failed {
            Some(e) => {
                drop(file);
                e
            }
            None => file.commit().expect_err("256 KiB cannot fit in 64 KiB"),
        };
        let message = format!("{err}: {}", std::error::Error::source(&err).unwrap());
        assert!(
            message.contains(target.to_str().unwrap()) && message.contains("No space left"),
            "{message}"
        );
        assert_eq!(std::fs::read(&target).unwrap(), b"older output\n");
        assert_eq!(listing(&dir), ["clean.jsonl"], "the temporary file is gone");

        // In one go.
        let other = dir.join("report.json");
        assert!(write_file(&other, &vec![b'y'; 256 << 10]).is_err());
        assert!(!other.exists());
        assert_eq!(listing(&dir), ["clean.jsonl"], "the temporary file is gone");
        assert_eq!(std::fs::read(&target).unwrap(), b"older output\n");
        drop(disk);
    }

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
    fn a_locked_folder_names_its_holder_and_frees_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let lock = OutputLock::acquire(dir.path()).unwrap();
        let err = OutputLock::acquire(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        drop(lock);
        assert!(!dir.path().join(LOCK_NAME).exists());
        let again = OutputLock::acquire(dir.path());
        assert!(again.is_ok(), "{again:?}");
    }

    #[test]
    fn stale_temporary_outputs_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            ".clean.jsonl.a1B2c3.tmp",
            ".report.json.x.tmp",
            ".clean-00003.jsonl.gz.Qw12Er.tmp",
            ".docs.jsonl.zst.Zx34Cv.tmp",
            ".notes.tmp",
            ".notes.txt.Ab12Cd.tmp",
            ".clean.jsonl.not-random.tmp",
            "a.tmp",
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let removed = remove_stale(dir.path()).unwrap();
        assert_eq!(
            removed,
            [
                ".clean-00003.jsonl.gz.Qw12Er.tmp",
                ".clean.jsonl.a1B2c3.tmp",
                ".docs.jsonl.zst.Zx34Cv.tmp",
                ".report.json.x.tmp"
            ]
        );
        for kept in [
            ".notes.tmp",
            ".notes.txt.Ab12Cd.tmp",
            ".clean.jsonl.not-random.tmp",
            "a.tmp",
        ] {
            assert!(dir.path().join(kept).exists(), "{kept}");
        }
    }

    #[test]
    fn line_separators_are_escaped_and_the_json_means_the_same() {
        let value = serde_json::json!({"text": "a\u{2028}b\u{2029}c\u{2027}"});
        let mut line = serde_json::to_vec(&value).unwrap();
        escape_line_separators(&mut line);
        let text = String::from_utf8(line.clone()).unwrap();
        assert_eq!(text, "{\"text\":\"a\\u2028b\\u2029c\u{2027}\"}");
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&line).unwrap(),
            value
        );
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
