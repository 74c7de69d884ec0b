//! Stage 1a: find every file under the inputs.
//!
//! Takes the input paths (files or folders) and gives a [`Walked`]: the regular files found, in
//! sorted order, and a [`Skipped`] entry for everything that is not a regular file we may read
//! (links not followed, broken links, link loops, sockets, folders we may not list).
//!
//! Ordering: files are sorted by their [`SourcePath`] component by component, which is the order
//! of a depth-first walk that visits each folder's entries sorted by name. The walk itself is
//! sequential: listing folders is cheap next to reading files, and a single walker keeps the order
//! obvious.
//!
//! Symbolic links are not followed unless [`WalkOptions::follow_links`] is set; an input named on
//! the command line is always followed (a link to a folder is walked, a link to a file is read).
//!
//! # Names
//! Every file gets one name ([`SourcePath`]), and no two files get the same one:
//! - an input named twice, or lying inside another input (`crawl` and `crawl/page.txt`), is read
//!   once ([`distinct_inputs`]);
//! - inputs whose names would meet (`/x/a/crawl` and `/x/b/crawl` are both `crawl`) are each named
//!   by as many of their last folders as tell them apart (`a/crawl`, `b/crawl`) ([`input_names`]).
//!
//! # What is left out
//! chaff never reads what it writes: the output folder and `--text-dir` (when they lie below an
//! input, not when they are the input itself), and chaff's own output files wherever they lie,
//! recognized by their content (a `clean.jsonl`, `model.json` or `report.json` that starts like
//! chaff's, the temporary files of an interrupted run, the output lock) ([`own_output`]).
//!
//! # Selection
//! [`Selection`]: `--glob` and `--exclude` patterns match the path below the input
//! (for a file named as an input, its file name); files they leave out are not inputs at all,
//! and an excluded folder is not entered. Of the files selected, those whose name says they
//! cannot be documents (see [`is_document_name`]) are reported as skipped, kind
//! `not-a-document`, without being read, unless [`Selection::all_files`] is set.

use crate::error::{Error, Result};
use crate::source::{SkipKind, Skipped, SourceFile, SourcePath, input_name};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// How to walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Follow symbolic links below the inputs.
    pub follow_links: bool,
    /// Folders left out of the walk (chaff's own output folders, when they lie below an input).
    pub exclude: Vec<PathBuf>,
    /// Files chaff is about to write: finding one among the inputs is reported in
    /// [`Walked::protected`], so the caller can refuse to overwrite an input.
    pub protect: Vec<PathBuf>,
    /// Which files are read (`--glob`, `--exclude`, `--all-files`).
    pub select: Selection,
}

/// Which files of the walk are read; see the module docs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Read only files matching one of these globs (all files when empty).
    pub globs: Vec<String>,
    /// Leave out files and folders matching one of these globs.
    pub excludes: Vec<String>,
    /// Also read files whose name says they are not documents.
    pub all_files: bool,
}

/// A [`Selection`] with its patterns compiled.
struct Selector {
    globs: Option<GlobSet>,
    excludes: GlobSet,
    all_files: bool,
}

/// What the selection makes of a file.
enum Selected {
    /// Read it.
    Read,
    /// Not an input (left out by a pattern).
    LeftOut,
    /// An input, but not a document: this is why.
    NotADocument(String),
}

impl Selector {
    fn new(selection: &Selection) -> Result<Selector> {
        let set = |patterns: &[String]| -> Result<GlobSet> {
            let mut builder = GlobSetBuilder::new();
            for pattern in patterns {
                let glob = Glob::new(pattern).map_err(|e| {
                    Error::Usage(format!("`{pattern}` is not a glob pattern: {}", e.kind()))
                })?;
                builder.add(glob);
            }
            builder
                .build()
                .map_err(|e| Error::Usage(format!("bad glob pattern: {e}")))
        };
        Ok(Selector {
            globs: match selection.globs.is_empty() {
                true => None,
                false => Some(set(&selection.globs)?),
            },
            excludes: set(&selection.excludes)?,
            all_files: selection.all_files,
        })
    }

    /// Whether a folder (its path below the input) is left out, with all below it.
    fn prunes(&self, below: &Path) -> bool {
        !below.as_os_str().is_empty() && self.excludes.is_match(below)
    }

    /// What to do with a file; `below` is its path below the input (its name, for a file named
    /// as an input).
    fn select(&self, below: &Path) -> Selected {
        if self.excludes.is_match(below) || self.globs.as_ref().is_some_and(|g| !g.is_match(below))
        {
            return Selected::LeftOut;
        }
        if self.all_files {
            return Selected::Read;
        }
        let name = below
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        match is_document_name(&name) {
            Ok(()) => Selected::Read,
            Err(why) => Selected::NotADocument(why),
        }
    }
}

/// File extensions (lowercase) of files that are never documents, and what they hold.
const NOT_DOCUMENTS: &[(&str, &[&str])] = &[
    ("a stylesheet", &["css", "scss", "less"]),
    ("a script", &["js", "mjs", "cjs", "ts", "map", "wasm"]),
    ("JSON data", &["json", "webmanifest"]),
    (
        "a feed, sitemap or other XML",
        &["xml", "rss", "atom", "rdf", "xsl", "opml"],
    ),
    (
        "an image",
        &[
            "png", "jpg", "jpeg", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "avif", "heic",
        ],
    ),
    ("a font", &["woff", "woff2", "ttf", "otf", "eot"]),
    (
        "audio or video",
        &[
            "mp3", "mp4", "m4a", "m4v", "webm", "ogg", "oga", "ogv", "wav", "flac", "avi", "mov",
            "mkv", "m3u8", "ts",
        ],
    ),
    (
        "a binary document",
        &[
            "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "epub",
        ],
    ),
    (
        "an archive or program",
        &[
            "zip", "tar", "tgz", "bz2", "xz", "7z", "rar", "exe", "dmg", "iso", "apk", "swf", "jar",
        ],
    ),
];

/// Site files a crawl holds that are not articles, by exact (lowercase) name.
const NOT_DOCUMENT_NAMES: &[&str] = &[
    "robots.txt",
    "ads.txt",
    "app-ads.txt",
    "humans.txt",
    "security.txt",
    "llms.txt",
    "favicon.ico",
];

/// Whether a file's name allows it to be a document: `Err` says what the name says it is
/// instead. Compressed files are judged by their inner name (`style.css.gz` is a stylesheet), but
/// `.json.gz` is JSONL, as datasets are published.
/// Names without a known extension (`index`, `page.php`, `story.html`, `dump.warc.gz`) can be
/// documents; their bytes decide later.
pub fn is_document_name(name: &str) -> std::result::Result<(), String> {
    let lower = name.to_ascii_lowercase();
    let inner = lower.strip_suffix(".gz").unwrap_or(&lower);
    // Gzipped JSON is how JSONL datasets are published (`c4-train.00000.json.gz`).
    if inner.len() < lower.len() && inner.ends_with(".json") {
        return Ok(());
    }
    if NOT_DOCUMENT_NAMES.contains(&inner) {
        return Err(format!("not a document: {inner}"));
    }
    if inner.starts_with("sitemap") && (inner.ends_with(".xml") || inner.ends_with(".txt")) {
        return Err("not a document: a sitemap".to_owned());
    }
    let Some((_, ext)) = inner.rsplit_once('.') else {
        return Ok(());
    };
    match NOT_DOCUMENTS.iter().find(|(_, exts)| exts.contains(&ext)) {
        Some((what, _)) => Err(format!("not a document: {what} (.{ext})")),
        None => Ok(()),
    }
}

/// Reads a list of input paths, one per line (blank lines are ignored; a trailing `\r` is
/// dropped). `source` names the list in errors.
pub fn read_input_list(mut reader: impl std::io::Read, source: &Path) -> Result<Vec<PathBuf>> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|e| Error::Input {
        path: source.to_path_buf(),
        source: e,
    })?;
    Ok(bytes
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .filter(|line| !line.is_empty())
        .map(path_of_bytes)
        .collect())
}

#[cfg(unix)]
fn path_of_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_of_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walked {
    /// Regular files, sorted by name.
    pub files: Vec<SourceFile>,
    /// Entries that are not regular files we may read, sorted by name.
    pub skipped: Vec<Skipped>,
    /// Folders below the inputs that were left out because chaff writes there, and chaff's own
    /// output files found among the inputs.
    pub excluded: Vec<String>,
    /// Inputs that are one of [`WalkOptions::protect`], by name.
    pub protected: Vec<String>,
    /// The name given to each input, in the order given (see the module docs).
    pub inputs: Vec<String>,
}

/// Walks every input and lists the files below them; see the module docs.
///
/// An input that does not exist is a fatal error: it is almost always a typo, and a batch run
/// that silently walks nothing is worse than one that stops.
pub fn files(inputs: &[PathBuf], options: &WalkOptions) -> Result<Walked> {
    let mut walked = Walked::default();
    let selector = Selector::new(&options.select)?;
    let exclude: Vec<PathBuf> = options
        .exclude
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    for input in inputs {
        std::fs::metadata(input).map_err(|source| Error::Input {
            path: input.clone(),
            source,
        })?;
    }
    let names = input_names(inputs);
    walked.inputs = names
        .iter()
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    for i in distinct_inputs(inputs) {
        walk_one(
            &inputs[i],
            &names[i],
            options,
            &exclude,
            &selector,
            &mut walked,
        );
    }
    walked
        .files
        .sort_by(|a, b| Path::new(&a.name.text).cmp(Path::new(&b.name.text)));
    // Overlapping inputs name a file they share the same way: keep it once.
    walked
        .files
        .dedup_by(|later, first| later.name == first.name);
    walked
        .skipped
        .sort_by(|a, b| Path::new(&a.path.text).cmp(Path::new(&b.path.text)));
    walked
        .skipped
        .dedup_by(|later, first| later.path == first.path);
    find_protected(&mut walked, &options.protect);
    Ok(walked)
}

/// The inputs worth walking, by index: an input named twice, or lying inside another input that
/// is a folder, is left out (its files are found through the other).
fn distinct_inputs(inputs: &[PathBuf]) -> Vec<usize> {
    let canonical: Vec<Option<PathBuf>> = inputs
        .iter()
        .map(|i| std::fs::canonicalize(i).ok())
        .collect();
    let is_dir: Vec<bool> = inputs
        .iter()
        .map(|i| std::fs::metadata(i).is_ok_and(|m| m.is_dir()))
        .collect();
    (0..inputs.len())
        .filter(|&i| {
            let Some(me) = &canonical[i] else {
                return true;
            };
            !(0..inputs.len()).any(|j| {
                let Some(other) = &canonical[j] else {
                    return false;
                };
                if j == i {
                    return false;
                }
                // The same input twice: keep the first. Inside another folder input: drop.
                (other == me && j < i) || (other != me && is_dir[j] && me.starts_with(other))
            })
        })
        .collect()
}

/// The name of every input ([`input_name`]), made longer where two would meet: inputs whose
/// names are equal, or one of which is a folder of the other's, are named by the last folders of
/// their absolute path, one more at a time, until no two meet.
pub(crate) fn input_names(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> = inputs.iter().map(|i| input_name(i)).collect();
    let canonical: Vec<Option<PathBuf>> = inputs
        .iter()
        .map(|i| std::fs::canonicalize(i).ok())
        .collect();
    let absolute: Vec<Vec<std::ffi::OsString>> = inputs
        .iter()
        .map(|i| {
            std::path::absolute(i)
                .map(|a| {
                    a.components()
                        .filter_map(|c| match c {
                            std::path::Component::Normal(p) => Some(p.to_owned()),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    let mut taken = vec![0usize; inputs.len()];
    loop {
        let meet = |i: usize, j: usize| {
            let (a, b) = (&names[i], &names[j]);
            let same_input = canonical[i].is_some() && canonical[i] == canonical[j];
            !same_input && (a == b || a.starts_with(b) || b.starts_with(a))
        };
        let clashing: Vec<usize> = (0..inputs.len())
            .filter(|&i| (0..inputs.len()).any(|j| j != i && meet(i, j)))
            .filter(|&i| taken[i] < absolute[i].len())
            .collect();
        if clashing.is_empty() {
            return names;
        }
        for i in clashing {
            taken[i] += 1;
            let parts = &absolute[i][absolute[i].len() - taken[i]..];
            names[i] = parts.iter().collect();
        }
    }
}

/// Notes every walked file that is one of `protect` (the same file, however it is named).
fn find_protected(walked: &mut Walked, protect: &[PathBuf]) {
    let targets: Vec<FileId> = protect.iter().filter_map(|p| file_id(p)).collect();
    if targets.is_empty() {
        return;
    }
    for file in &walked.files {
        if file_id(&file.path).is_some_and(|id| targets.contains(&id)) {
            walked.protected.push(file.name.text.clone());
        }
    }
}

/// What tells one file from another, whatever it is named: its device and inode (on other
/// systems, its canonical path).
#[cfg(unix)]
type FileId = (u64, u64);
#[cfg(not(unix))]
type FileId = PathBuf;

#[cfg(unix)]
fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(path: &Path) -> Option<FileId> {
    std::fs::canonicalize(path).ok()
}

/// How a file at `path` below the input `input` (named `base` in the output) is named, and the
/// first folder below the input it lies in.
fn name_below(input: &Path, base: &Path, path: &Path) -> (SourcePath, Option<String>) {
    let below = path.strip_prefix(input).unwrap_or(path);
    let folder = if below.components().count() > 1 {
        below
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
    } else {
        None
    };
    let name = if below.as_os_str().is_empty() {
        base.to_path_buf()
    } else {
        base.join(below)
    };
    (SourcePath::new(&name), folder)
}

/// The file at `path` as a walk of the single input `input` lists it (its name, folder and
/// site), without walking anything else: what `chaff explain` reads.
pub fn file_under(input: &Path, path: &Path) -> Result<SourceFile> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Input {
        path: path.to_path_buf(),
        source,
    })?;
    let (name, folder) = name_below(input, &input_name(input), path);
    Ok(SourceFile {
        path: path.to_path_buf(),
        name,
        folder,
        input: site_label(input),
        len: meta.len(),
    })
}

fn walk_one(
    input: &Path,
    base: &Path,
    options: &WalkOptions,
    exclude: &[PathBuf],
    selector: &Selector,
    walked: &mut Walked,
) {
    let input_label = site_label(input);
    let name_of = |path: &Path| name_below(input, base, path);

    let mut left_out = Vec::new();
    let mut own_files = Vec::new();
    let walker = WalkDir::new(input)
        .follow_links(options.follow_links)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            // An output folder that is the input itself is walked: its own outputs are
            // recognized below, and everything else in it is input.
            let excluded = e.depth() > 0
                && e.file_type().is_dir()
                && !exclude.is_empty()
                && std::fs::canonicalize(e.path()).is_ok_and(|c| exclude.contains(&c));
            if excluded {
                left_out.push(name_of(e.path()).0.text);
            }
            let pruned = e.file_type().is_dir() && selector.prunes(below_input(input, e.path()));
            !excluded && !pruned
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_default();
                let (name, _) = name_of(&path);
                let (kind, message) = if let Some(ancestor) = err.loop_ancestor() {
                    (
                        SkipKind::LinkLoop,
                        format!(
                            "symbolic link loops back to {}",
                            name_of(ancestor).0.text.trim_end_matches('/')
                        ),
                    )
                } else if options.follow_links && is_broken_link(&path) {
                    (
                        SkipKind::BrokenLink,
                        "symbolic link points to nothing".to_string(),
                    )
                } else {
                    let cause = err
                        .io_error()
                        .map(|e| e.to_string())
                        .unwrap_or_else(|| err.to_string());
                    let kind = if err.io_error().is_some_and(crate::source::out_of_resources) {
                        SkipKind::OutOfResources
                    } else {
                        SkipKind::Unreadable
                    };
                    (kind, format!("cannot list or read: {cause}"))
                };
                walked.skipped.push(Skipped::new(name, kind, message));
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        let (name, folder) = name_of(entry.path());
        // An input named on the command line is followed even when it is a link: a link to a
        // folder is walked (walkdir does that), a link to a file is read.
        let root_target = if entry.depth() == 0 && file_type.is_symlink() {
            std::fs::metadata(entry.path()).ok()
        } else {
            None
        };
        if root_target.as_ref().is_some_and(|m| m.is_dir()) {
            continue;
        }
        if let Some(target) = root_target.filter(|m| m.is_file()) {
            walked.files.push(SourceFile {
                path: entry.into_path(),
                name,
                folder,
                input: input_label.clone(),
                len: target.len(),
            });
            continue;
        }
        if file_type.is_file() && own_output(entry.path()) {
            own_files.push(name.text);
            continue;
        }
        if file_type.is_symlink() {
            let skipped = if is_broken_link(entry.path()) {
                Skipped::new(
                    name,
                    SkipKind::BrokenLink,
                    "symbolic link points to nothing",
                )
            } else {
                Skipped::new(
                    name,
                    SkipKind::Symlink,
                    "symbolic link not followed (use --follow-links)",
                )
            };
            walked.skipped.push(skipped);
            continue;
        }
        if !file_type.is_file() {
            walked.skipped.push(Skipped::new(
                name,
                SkipKind::NotAFile,
                "not a regular file (device, socket or pipe)",
            ));
            continue;
        }
        match selector.select(selection_path(input, entry.path())) {
            Selected::Read => {}
            Selected::LeftOut => continue,
            Selected::NotADocument(why) => {
                walked
                    .skipped
                    .push(Skipped::new(name, SkipKind::NotADocument, why));
                continue;
            }
        }
        let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
        walked.files.push(SourceFile {
            path: entry.into_path(),
            name,
            folder,
            input: input_label.clone(),
            len,
        });
    }
    walked.excluded.extend(left_out);
    walked.excluded.extend(own_files);
}

/// Whether a file is one chaff wrote: an output file, the temporary file of an interrupted run,
/// or the output lock, recognized by its name's shape and its first bytes.
pub(crate) fn own_output(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lock = name == crate::output::LOCK_NAME;
    let likely = lock
        || name.ends_with(".json")
        || name.ends_with(".jsonl")
        || (name.starts_with('.') && name.ends_with(".tmp"));
    if !likely {
        return false;
    }
    let mut head = [0u8; 256];
    let n = match std::fs::File::open(path).and_then(|mut f| {
        use std::io::Read;
        f.read(&mut head)
    }) {
        Ok(n) => n,
        Err(_) => return false,
    };
    let head: Vec<u8> = head[..n]
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let markers: [&[u8]; 4] = [
        b"{\"schema\":\"chaff/",
        b"{\"schema\":\"chaff-report/",
        b"{\"format\":\"chaff-model\"",
        crate::output::LOCK_MARKER,
    ];
    markers.iter().any(|m| head.starts_with(m))
}

/// A path below the input it was found under.
fn below_input<'a>(input: &Path, path: &'a Path) -> &'a Path {
    path.strip_prefix(input).unwrap_or(path)
}

/// The path the selection patterns match: below the input, or the file name of a file named as
/// an input.
fn selection_path<'a>(input: &Path, path: &'a Path) -> &'a Path {
    match below_input(input, path) {
        below if below.as_os_str().is_empty() => path.file_name().map(Path::new).unwrap_or(path),
        below => below,
    }
}

/// The site of documents lying directly in an input: the input folder's own name, or for a file
/// named as an input, the name of the folder it is in.
fn site_label(input: &Path) -> String {
    let folder = if std::fs::metadata(input).is_ok_and(|m| m.is_dir()) {
        Some(input)
    } else {
        input.parent()
    };
    let absolute = folder.and_then(|f| std::path::absolute(f).ok());
    absolute
        .as_deref()
        .and_then(|f| {
            f.components()
                .rfind(|c| matches!(c, std::path::Component::Normal(_)))
        })
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_else(|| ".".to_owned())
}

fn is_broken_link(path: &Path) -> bool {
    let is_link = std::fs::symlink_metadata(path)
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false);
    is_link && std::fs::metadata(path).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_cannot_be_documents() {
        for name in [
            "style.css",
            "app.min.js",
            "Logo.PNG",
            "robots.txt",
            "sitemap-news.xml",
            "sitemap.xml.gz",
            "feed.rss",
            "data.json",
            "font.woff2",
            "clip.mp4",
            "style.css.gz",
        ] {
            assert!(is_document_name(name).is_err(), "{name}");
        }
        for name in [
            "story.html",
            "index",
            "page.php",
            "a.txt",
            "crawl.warc.gz",
            "scrape.jsonl",
            "c4.json.gz",
            "notes.md",
            "story.html.gz",
        ] {
            assert_eq!(is_document_name(name), Ok(()), "{name}");
        }
        let why = is_document_name("a.css").unwrap_err();
        assert_eq!(why, "not a document: a stylesheet (.css)");
    }

    #[test]
    fn input_lists_keep_every_path_and_skip_blank_lines() {
        let list = b"a/b.html\n\n c.txt\r\nlast";
        let paths = read_input_list(&list[..], Path::new("list")).unwrap();
        assert_eq!(
            paths,
            [
                PathBuf::from("a/b.html"),
                PathBuf::from(" c.txt"),
                PathBuf::from("last")
            ]
        );
    }

    #[test]
    fn walks_sorted_with_folders_as_sites() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("dump");
        std::fs::create_dir_all(root.join("b-site")).unwrap();
        std::fs::create_dir_all(root.join("a-site/deep")).unwrap();
        std::fs::write(root.join("b-site/2.txt"), "x").unwrap();
        std::fs::write(root.join("a-site/deep/1.txt"), "x").unwrap();
        std::fs::write(root.join("top.txt"), "x").unwrap();
        let walked = files(std::slice::from_ref(&root), &WalkOptions::default()).unwrap();
        let names: Vec<_> = walked.files.iter().map(|f| f.name.text.as_str()).collect();
        assert_eq!(
            names,
            [
                "dump/a-site/deep/1.txt",
                "dump/b-site/2.txt",
                "dump/top.txt"
            ]
        );
        let sites: Vec<_> = walked.files.iter().map(|f| f.site_from_path()).collect();
        assert_eq!(sites, ["a-site", "b-site", "dump"]);
        let single = files(&[root.join("b-site/2.txt")], &WalkOptions::default()).unwrap();
        assert_eq!(single.files[0].site_from_path(), "b-site");
    }

    #[test]
    fn a_missing_input_is_fatal() {
        let err = files(&[PathBuf::from("/no/such/input")], &WalkOptions::default()).unwrap_err();
        assert!(err.to_string().contains("/no/such/input"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_reported_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("in");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("real.txt"), "x").unwrap();
        std::os::unix::fs::symlink(root.join("real.txt"), root.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(root.join("gone.txt"), root.join("broken.txt")).unwrap();
        let walked = files(std::slice::from_ref(&root), &WalkOptions::default()).unwrap();
        assert_eq!(walked.files.len(), 1);
        let kinds: Vec<_> = walked
            .skipped
            .iter()
            .map(|s| (s.path.text.as_str(), s.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("in/broken.txt", SkipKind::BrokenLink),
                ("in/link.txt", SkipKind::Symlink)
            ]
        );
    }
}
