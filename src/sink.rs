//! Where the records go: one JSONL file or numbered shards, plain, gzip or zstd, or stdout.
//!
//! Takes record lines (each ending in `\n`, already in their output format, see
//! [`crate::format`]) in output order and writes them unchanged, so the order and the bytes of
//! the records do not depend on how they are stored:
//!
//! - **one file**: `STEM.jsonl`, `STEM.jsonl.gz` or `STEM.jsonl.zst` (the stem is `clean` unless
//!   the output names a file);
//! - **shards** (`--shard-size SIZE`): `STEM-00000.jsonl.gz`, `STEM-00001.jsonl.gz`, … A shard is
//!   closed after the record that brings its *uncompressed* size to `SIZE` or more, so records
//!   are never split, every shard but the last holds at least `SIZE` bytes of records, and there
//!   is always at least one shard (empty when there is no record). The shards' decompressed
//!   contents, concatenated in name order, are the unsharded output byte for byte; the
//!   compressed shards concatenated (`cat STEM-*.jsonl.gz`) are one valid multi-member gzip (or
//!   multi-frame zstd) stream of the same records.
//!
//! Compressed bytes are deterministic: gzip members carry no name and a zero timestamp, zstd
//! frames are made on one thread at a fixed level, so the same records give the same files on
//! every run and machine (with the same zlib and zstd versions).
//!
//! Files are written with [`AtomicFile`]: nothing appears under its name until the whole set is
//! committed, and files of an earlier run with the same stem that are not part of the
//! new set (more shards, another compression) are removed then, so a folder never mixes the
//! records of two runs.

use crate::error::{Error, Result};
use crate::output::{AtomicFile, Finished};
use crate::report::OutputSummary;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The zstd level: the library's default, a good balance of speed and size.
const ZSTD_LEVEL: i32 = 3;

/// How record files are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    /// Plain JSONL.
    #[default]
    None,
    /// gzip (`.gz`), deflate at the default level.
    Gzip,
    /// zstd (`.zst`), at level 3.
    Zstd,
}

impl Compression {
    /// The name used on the command line and in the report.
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    /// The file name extension it adds after `.jsonl` (empty for none).
    pub fn extension(self) -> &'static str {
        match self {
            Compression::None => "",
            Compression::Gzip => ".gz",
            Compression::Zstd => ".zst",
        }
    }

    /// The compression a records file name asks for, and the stem before `.jsonl`: `docs.jsonl.gz`
    /// is gzip with stem `docs`. `None` if the name does not end in `.jsonl`, `.jsonl.gz` or
    /// `.jsonl.zst`.
    pub fn from_file_name(name: &str) -> Option<(String, Compression)> {
        [Compression::None, Compression::Gzip, Compression::Zstd]
            .into_iter()
            .find_map(|c| {
                let stem = name.strip_suffix(&format!(".jsonl{}", c.extension()))?;
                (!stem.is_empty()).then(|| (stem.to_owned(), c))
            })
    }
}

/// How the records file (or files) of a folder are named and stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinkOptions {
    /// The name before `.jsonl` (`clean` by default).
    pub stem: String,
    /// How the files are compressed.
    pub compression: Compression,
    /// Cut the records into shards of about this many uncompressed bytes (see the module docs).
    pub shard_size: Option<u64>,
}

impl Default for SinkOptions {
    fn default() -> SinkOptions {
        SinkOptions {
            stem: "clean".to_owned(),
            compression: Compression::None,
            shard_size: None,
        }
    }
}

impl SinkOptions {
    /// The name of the records file, or of shard `n` when sharding.
    pub fn file_name(&self, shard: Option<usize>) -> String {
        let ext = self.compression.extension();
        match shard {
            None => format!("{}.jsonl{ext}", self.stem),
            Some(n) => format!("{}-{n:05}.jsonl{ext}", self.stem),
        }
    }

    /// Whether `name` is a records file of this stem in any layout or compression (what an
    /// earlier run may have left).
    fn is_records_file(&self, name: &str) -> bool {
        let Some((stem, _)) = Compression::from_file_name(name) else {
            return false;
        };
        stem == self.stem
            || stem.strip_prefix(&self.stem).is_some_and(|rest| {
                rest.len() == 6
                    && rest.starts_with('-')
                    && rest[1..].bytes().all(|b| b.is_ascii_digit())
            })
    }
}

/// Writes bytes into an [`AtomicFile`] (the compressors want a [`Write`]).
struct FileWriter(AtomicFile);

impl Write for FileWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write_all(buf).map_err(into_io)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn into_io(err: Error) -> std::io::Error {
    match err {
        Error::Output { source, .. } => source,
        other => std::io::Error::other(other.to_string()),
    }
}

/// A compressor in front of some writer.
enum Encoder<W: Write> {
    Plain(W),
    Gzip(flate2::write::GzEncoder<W>),
    Zstd(zstd::Encoder<'static, W>),
}

impl<W: Write> Encoder<W> {
    fn new(inner: W, compression: Compression) -> std::io::Result<Encoder<W>> {
        Ok(match compression {
            Compression::None => Encoder::Plain(inner),
            // No file name, no timestamp (mtime 0): the same bytes on every run.
            Compression::Gzip => {
                Encoder::Gzip(flate2::GzBuilder::new().write(inner, flate2::Compression::default()))
            }
            Compression::Zstd => {
                let mut encoder = zstd::Encoder::new(inner, ZSTD_LEVEL)?;
                encoder.include_checksum(true)?;
                Encoder::Zstd(encoder)
            }
        })
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Encoder::Plain(w) => w.write_all(bytes),
            Encoder::Gzip(w) => w.write_all(bytes),
            Encoder::Zstd(w) => w.write_all(bytes),
        }
    }

    /// Ends the compressed stream and gives the writer back.
    fn finish(self) -> std::io::Result<W> {
        match self {
            Encoder::Plain(w) => Ok(w),
            Encoder::Gzip(w) => w.finish(),
            Encoder::Zstd(w) => w.finish(),
        }
    }
}

/// The records files of a folder, being written; see the module docs.
pub struct FileSink {
    dir: PathBuf,
    opts: SinkOptions,
    /// The open file: its name, target and encoder, and the uncompressed bytes written to it.
    current: Option<(String, PathBuf, Encoder<FileWriter>, u64)>,
    shards: usize,
    done: Written,
}

impl FileSink {
    /// Starts writing records into `dir`.
    pub fn create(dir: &Path, opts: &SinkOptions) -> FileSink {
        FileSink {
            dir: dir.to_path_buf(),
            opts: opts.clone(),
            current: None,
            shards: 0,
            done: Written::default(),
        }
    }

    /// The targets this sink may write first: the one file, or the first shard.
    pub fn first_target(dir: &Path, opts: &SinkOptions) -> PathBuf {
        dir.join(opts.file_name(opts.shard_size.map(|_| 0)))
    }

    fn open(&mut self) -> Result<()> {
        let name = self
            .opts
            .file_name(self.opts.shard_size.map(|_| self.shards));
        let target = self.dir.join(&name);
        let file = AtomicFile::create(&target)?;
        let encoder = Encoder::new(FileWriter(file), self.opts.compression)
            .map_err(|source| output_error(&target, source))?;
        self.shards += 1;
        self.current = Some((name, target, encoder, 0));
        Ok(())
    }

    fn close(&mut self) -> Result<()> {
        let Some((name, target, encoder, _)) = self.current.take() else {
            return Ok(());
        };
        let FileWriter(file) = encoder
            .finish()
            .map_err(|source| output_error(&target, source))?;
        let (finished, summary) = file.finish()?;
        self.done.files.push(Part {
            name,
            finished,
            summary,
        });
        Ok(())
    }

    /// Appends one record line.
    pub fn write(&mut self, line: &[u8]) -> Result<()> {
        if self.current.is_none() {
            self.open()?;
        }
        let Some((_, target, encoder, bytes)) = self.current.as_mut() else {
            unreachable!("a file was just opened");
        };
        encoder
            .write_all(line)
            .map_err(|source| output_error(target, source))?;
        *bytes += line.len() as u64;
        if self.opts.shard_size.is_some_and(|size| *bytes >= size) {
            self.close()?;
        }
        Ok(())
    }

    /// Completes every file (still under temporary names); at least one file is written, even
    /// with no record.
    pub fn finish(mut self) -> Result<Written> {
        if self.current.is_none() && self.done.files.is_empty() {
            self.open()?;
        }
        self.close()?;
        self.done.stale = stale_files(&self.dir, &self.opts, &self.done);
        Ok(self.done)
    }
}

/// One complete records file, not yet in place.
pub struct Part {
    /// Its file name.
    pub name: String,
    /// The file under its temporary name.
    pub finished: Finished,
    /// Its size and SHA-256.
    pub summary: OutputSummary,
}

/// The records files of a run, complete but not yet in place.
#[derive(Default)]
pub struct Written {
    /// The files, in order.
    pub files: Vec<Part>,
    /// Records files of an earlier run with the same stem that this set replaces.
    pub stale: Vec<PathBuf>,
}

impl Written {
    /// Renames every file into place, then removes the stale files of an earlier run. (A run
    /// that writes a set of outputs hands the files to [`crate::output::commit_set`] instead,
    /// and calls [`remove_files`] on `stale` after it.)
    #[cfg(test)]
    pub fn persist(self) -> Result<Vec<PathBuf>> {
        let mut targets = Vec::new();
        for part in self.files {
            targets.push(part.finished.target().to_path_buf());
            part.finished.persist()?;
        }
        remove_files(&self.stale)?;
        Ok(targets)
    }
}

/// Removes files that may already be gone.
pub fn remove_files(paths: &[PathBuf]) -> Result<()> {
    for path in paths {
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(Error::Output {
                    path: path.clone(),
                    source,
                });
            }
        }
    }
    Ok(())
}

/// Records files of this stem in `dir` that the new set does not replace by name.
fn stale_files(dir: &Path, opts: &SinkOptions, written: &Written) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut stale: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| opts.is_records_file(name))
        .filter(|name| !written.files.iter().any(|p| &p.name == name))
        .map(|name| dir.join(name))
        .collect();
    stale.sort();
    stale
}

fn output_error(path: &Path, source: std::io::Error) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        source,
    }
}

/// Records streamed to standard output, compressed or not.
pub struct StdoutSink {
    encoder: Encoder<std::io::BufWriter<std::io::Stdout>>,
}

impl StdoutSink {
    /// Starts writing to standard output.
    pub fn create(compression: Compression) -> Result<StdoutSink> {
        let out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
        let encoder = Encoder::new(out, compression).map_err(stdout_error)?;
        Ok(StdoutSink { encoder })
    }

    /// Appends one record line.
    pub fn write(&mut self, line: &[u8]) -> Result<()> {
        self.encoder.write_all(line).map_err(stdout_error)
    }

    /// Ends the stream and flushes it.
    pub fn finish(self) -> Result<()> {
        let mut out = self.encoder.finish().map_err(stdout_error)?;
        out.flush().map_err(stdout_error)
    }
}

fn stdout_error(source: std::io::Error) -> Error {
    output_error(Path::new("<stdout>"), source)
}

/// Writes bytes (a model) to standard output.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(stdout_error)
}

/// Whether an error is a closed standard output (`chaff run x -o - | head`): not a failure.
pub fn is_closed_stdout(err: &Error) -> bool {
    matches!(err, Error::Output { path, source }
        if path == Path::new("<stdout>") && source.kind() == std::io::ErrorKind::BrokenPipe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn lines(n: usize) -> Vec<Vec<u8>> {
        (0..n)
            .map(|i| format!("{{\"n\":{i},\"text\":\"{}\"}}\n", "x".repeat(i % 7)).into_bytes())
            .collect()
    }

    fn write_all(dir: &Path, opts: &SinkOptions, records: &[Vec<u8>]) -> Vec<PathBuf> {
        let mut sink = FileSink::create(dir, opts);
        for r in records {
            sink.write(r).unwrap();
        }
        sink.finish().unwrap().persist().unwrap()
    }

    fn decompress(bytes: &[u8], compression: Compression) -> Vec<u8> {
        let mut out = Vec::new();
        match compression {
            Compression::None => out.extend_from_slice(bytes),
            Compression::Gzip => {
                flate2::read::MultiGzDecoder::new(bytes)
                    .read_to_end(&mut out)
                    .unwrap();
            }
            Compression::Zstd => {
                zstd::Decoder::new(bytes)
                    .unwrap()
                    .read_to_end(&mut out)
                    .unwrap();
            }
        }
        out
    }

    #[test]
    fn file_names_give_stem_and_compression() {
        assert_eq!(
            Compression::from_file_name("docs.jsonl.gz"),
            Some(("docs".to_owned(), Compression::Gzip))
        );
        assert_eq!(
            Compression::from_file_name("a.b.jsonl.zst"),
            Some(("a.b".to_owned(), Compression::Zstd))
        );
        assert_eq!(
            Compression::from_file_name("clean.jsonl"),
            Some(("clean".to_owned(), Compression::None))
        );
        assert_eq!(Compression::from_file_name("out"), None);
        assert_eq!(Compression::from_file_name(".jsonl"), None);
        let opts = SinkOptions::default();
        assert!(opts.is_records_file("clean-00012.jsonl.gz"));
        assert!(opts.is_records_file("clean.jsonl.zst"));
        assert!(!opts.is_records_file("clean-1.jsonl"));
        assert!(!opts.is_records_file("cleaner.jsonl"));
        assert!(!opts.is_records_file("report.json"));
    }

    #[test]
    fn shards_concatenate_to_the_single_file_in_every_compression() {
        let records = lines(50);
        let whole: Vec<u8> = records.concat();
        for compression in [Compression::None, Compression::Gzip, Compression::Zstd] {
            let dir = tempfile::tempdir().unwrap();
            let single = SinkOptions {
                compression,
                ..SinkOptions::default()
            };
            let one = write_all(dir.path(), &single, &records);
            assert_eq!(one.len(), 1);
            let one_bytes = std::fs::read(&one[0]).unwrap();
            assert_eq!(decompress(&one_bytes, compression), whole);
            // The same records again give the same bytes.
            let again = tempfile::tempdir().unwrap();
            let two = write_all(again.path(), &single, &records);
            assert_eq!(
                std::fs::read(&two[0]).unwrap(),
                one_bytes,
                "{compression:?}"
            );

            let sharded = SinkOptions {
                shard_size: Some(200),
                ..single.clone()
            };
            let shards = write_all(dir.path(), &sharded, &records);
            assert!(shards.len() > 3, "{shards:?}");
            let mut joined = Vec::new();
            let mut cat = Vec::new();
            for (i, shard) in shards.iter().enumerate() {
                let name = shard.file_name().unwrap().to_str().unwrap();
                assert_eq!(name, sharded.file_name(Some(i)));
                let bytes = std::fs::read(shard).unwrap();
                let plain = decompress(&bytes, compression);
                if i + 1 < shards.len() {
                    assert!(plain.len() >= 200, "shard {i} holds {} bytes", plain.len());
                }
                assert!(plain.ends_with(b"\n"));
                joined.extend(plain);
                cat.extend(bytes);
            }
            assert_eq!(joined, whole, "{compression:?}");
            assert_eq!(decompress(&cat, compression), whole, "{compression:?}: cat");
            // The single file of the earlier run was replaced by the shards.
            assert!(!one[0].exists(), "{:?} is stale", one[0]);
        }
    }

    #[test]
    fn no_record_still_gives_one_file_and_fewer_shards_remove_the_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let opts = SinkOptions {
            shard_size: Some(10),
            compression: Compression::Gzip,
            ..SinkOptions::default()
        };
        let many = write_all(dir.path(), &opts, &lines(5));
        assert_eq!(many.len(), 5);
        let none = write_all(dir.path(), &opts, &[]);
        assert_eq!(none.len(), 1);
        let bytes = std::fs::read(&none[0]).unwrap();
        assert!(decompress(&bytes, Compression::Gzip).is_empty());
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "old shards removed");
    }
}
