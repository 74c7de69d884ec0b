//! What an input is: a file found under one of the inputs, how it is named in the output, and why
//! one may be skipped.
//!
//! These types are the vocabulary the stages share: [`crate::walk`] produces [`SourceFile`]s and
//! [`Skipped`] entries, every later stage passes them along, and [`crate::report`] counts them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// How a file is named in records and reports: the input argument joined with the path below it,
/// with `/` separators, never absolute.
///
/// `#` separates a container file from a document inside it (`a.jsonl#1`), so in file names it is
/// written `%23` (and `%` itself `%25`): a file literally named `a.jsonl#1` is `a.jsonl%231`, and
/// no file name meets the name of a record.
///
/// File names need not be UTF-8. `text` is always valid UTF-8 (invalid bytes become U+FFFD); when
/// that lost information, `hex` holds the exact bytes of the name so the file can still be found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SourcePath {
    /// The name as UTF-8 text.
    pub text: String,
    /// The raw bytes of the name in lowercase hex (with `%` and `#` escaped as in `text`),
    /// present only when the name is not UTF-8.
    pub hex: Option<String>,
}

impl SourcePath {
    /// Names a path exactly as it is spelt; see [`SourcePath`].
    pub fn new(path: &Path) -> SourcePath {
        match path.to_str() {
            Some(text) => SourcePath {
                text: escape_marks(&text.replace('\\', "/")),
                hex: None,
            },
            None => SourcePath {
                text: escape_marks(&path.to_string_lossy().replace('\\', "/")),
                hex: Some(hex_of(path)),
            },
        }
    }

    /// The name as a relative path below some folder, ending in `.ext`: the exact bytes of the
    /// name (from `hex` when it is not UTF-8) with `.ext` appended unless it already ends so
    /// (`a.html` gives `a.html.txt`, `a.txt` stays `a.txt`), and any root, prefix or `..` left
    /// out, so the path never leaves the folder.
    pub fn relative_path(&self, ext: &str) -> PathBuf {
        let full = self.to_path();
        let mut out = PathBuf::new();
        for part in full.components() {
            if let std::path::Component::Normal(p) = part {
                out.push(p);
            }
        }
        let suffix = format!(".{ext}");
        if out.as_os_str().to_string_lossy().ends_with(&suffix) {
            return out;
        }
        let mut name = out.into_os_string();
        name.push(suffix);
        PathBuf::from(name)
    }

    /// The name as a path, with its exact bytes.
    pub fn to_path(&self) -> PathBuf {
        #[cfg(unix)]
        if let Some(bytes) = self.hex.as_deref().and_then(unhex) {
            use std::os::unix::ffi::OsStringExt;
            return PathBuf::from(std::ffi::OsString::from_vec(bytes));
        }
        PathBuf::from(&self.text)
    }

    /// Appends a suffix (such as `#record-3`) that names a part of the file.
    pub fn with_suffix(&self, suffix: &str) -> SourcePath {
        SourcePath {
            text: format!("{}{suffix}", self.text),
            hex: self
                .hex
                .as_ref()
                .map(|hex| format!("{hex}{}", hex_bytes(suffix.as_bytes()))),
        }
    }
}

impl fmt::Display for SourcePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A file name with `%` and `#` escaped as `%25` and `%23`; see [`SourcePath`].
fn escape_marks(name: &str) -> String {
    if !name.contains(['%', '#']) {
        return name.to_owned();
    }
    name.replace('%', "%25").replace('#', "%23")
}

/// The bytes of a name escaped like [`escape_marks`], in hex.
fn hex_escaped(bytes: &[u8]) -> String {
    let mut escaped = Vec::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'%' => escaped.extend_from_slice(b"%25"),
            b'#' => escaped.extend_from_slice(b"%23"),
            _ => escaped.push(b),
        }
    }
    hex_bytes(&escaped)
}

#[cfg(unix)]
fn hex_of(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    hex_escaped(path.as_os_str().as_bytes())
}

#[cfg(not(unix))]
fn hex_of(path: &Path) -> String {
    hex_escaped(path.to_string_lossy().as_bytes())
}

/// The bytes of a hex string, if it is one.
fn unhex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Lowercase hex of some bytes.
pub fn hex_bytes(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// One file found under an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    /// Where to open it.
    pub path: PathBuf,
    /// How it is named in the output.
    pub name: SourcePath,
    /// The first folder below the input root, if the file lies in one. Used as the site of
    /// documents that carry no URL.
    pub folder: Option<String>,
    /// The name of the input folder it was found in (for a file named as an input, the name of
    /// its folder). Used as the site of documents that carry no URL and lie directly in it.
    pub input: String,
    /// Its size when the walk saw it.
    pub len: u64,
}

impl SourceFile {
    /// The site of a document from this file when the document itself names none.
    pub fn site_from_path(&self) -> &str {
        self.folder.as_deref().unwrap_or(&self.input)
    }
}

/// Why an input was not turned into a document. The `kind` is stable and machine-readable; the
/// message is for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipKind {
    /// The file has no bytes.
    Empty,
    /// The file is larger than `--max-bytes`.
    TooLarge,
    /// The bytes are not text or HTML (an image, a PDF, an archive…).
    Binary,
    /// The file could not be opened or read.
    Unreadable,
    /// A symbolic link that points nowhere.
    BrokenLink,
    /// A symbolic link that was not followed (see `--follow-links`).
    Symlink,
    /// Following links led back to a folder already being walked.
    LinkLoop,
    /// A device, socket or pipe.
    NotAFile,
    /// The file vanished or changed between being listed and being read.
    Changed,
    /// A container (gzip, WARC, JSONL) could be opened but part of it is damaged.
    Damaged,
    /// A record in a container that holds no text or HTML payload.
    NoPayload,
    /// A WARC `revisit` record: a capture of a page whose payload was not stored again.
    Revisit,
    /// The machine ran out of file handles or memory while reading. Never in a report: the
    /// run stops with a fatal error instead, since which files fail would depend on timing.
    OutOfResources,
    /// A document that cleaned to nothing: every line was removed (or none could be read).
    EmptyOutput,
    /// A file whose name says it is not a document (a stylesheet, a script, an image, a sitemap,
    /// `robots.txt`…); see [`crate::walk::is_document_name`].
    NotADocument,
}

impl SkipKind {
    /// The stable name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            SkipKind::Empty => "empty",
            SkipKind::TooLarge => "too-large",
            SkipKind::Binary => "binary",
            SkipKind::Unreadable => "unreadable",
            SkipKind::BrokenLink => "broken-link",
            SkipKind::Symlink => "symlink",
            SkipKind::LinkLoop => "link-loop",
            SkipKind::NotAFile => "not-a-file",
            SkipKind::Changed => "changed",
            SkipKind::Damaged => "damaged",
            SkipKind::NoPayload => "no-payload",
            SkipKind::Revisit => "revisit",
            SkipKind::OutOfResources => "out-of-resources",
            SkipKind::EmptyOutput => "empty-output",
            SkipKind::NotADocument => "not-a-document",
        }
    }

    /// Whether the skip means that something that should have been a document could not be
    /// read or processed (a damaged container, an unreadable or too large file, a file that
    /// changed while being read): such skips make the run exit 1. The others are inputs that
    /// are not documents at all (images, empty files, redirects and revisits, pages that clean
    /// to nothing, links not followed), which a crawl is expected to hold.
    pub fn is_failure(self) -> bool {
        match self {
            SkipKind::TooLarge
            | SkipKind::Unreadable
            | SkipKind::Changed
            | SkipKind::Damaged
            | SkipKind::OutOfResources => true,
            SkipKind::Empty
            | SkipKind::Binary
            | SkipKind::BrokenLink
            | SkipKind::Symlink
            | SkipKind::LinkLoop
            | SkipKind::NotAFile
            | SkipKind::NoPayload
            | SkipKind::Revisit
            | SkipKind::EmptyOutput
            | SkipKind::NotADocument => false,
        }
    }
}

/// Whether an I/O error means the machine, not the file, is at fault: too many open files (in
/// the process or the system) or no memory. Such an error must stop a run rather than skip a file.
pub fn out_of_resources(err: &std::io::Error) -> bool {
    // EMFILE, ENFILE and ENOMEM have these numbers on Linux, the BSDs and macOS.
    const ENOMEM: i32 = 12;
    const ENFILE: i32 = 23;
    const EMFILE: i32 = 24;
    err.kind() == std::io::ErrorKind::OutOfMemory
        || (cfg!(unix) && matches!(err.raw_os_error(), Some(ENOMEM | ENFILE | EMFILE)))
}

/// An input that was seen but not turned into a document, and why.
///
/// In the report it is written flat: `{"path", "path_hex"?, "kind", "message"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file (or part of a file).
    pub path: SourcePath,
    /// Why, as a stable name.
    pub kind: SkipKind,
    /// Why, in words.
    pub message: String,
}

impl Skipped {
    /// A skipped input.
    pub fn new(path: SourcePath, kind: SkipKind, message: impl Into<String>) -> Skipped {
        Skipped {
            path,
            kind,
            message: message.into(),
        }
    }
}

impl Serialize for Skipped {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Flat<'a> {
            path: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            path_hex: Option<&'a str>,
            kind: SkipKind,
            message: &'a str,
        }
        Flat {
            path: &self.path.text,
            path_hex: self.path.hex.as_deref(),
            kind: self.kind,
            message: &self.message,
        }
        .serialize(serializer)
    }
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The name an input argument gives to everything below it: the argument as typed, without
/// leading `./` and trailing `/`; for an absolute path, only its last component, so that records
/// do not depend on where the dump happens to live.
pub fn input_name(input: &Path) -> PathBuf {
    if input.is_absolute() {
        return input
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("input"));
    }
    let mut out = PathBuf::new();
    for part in input.components() {
        if part != std::path::Component::CurDir {
            out.push(part);
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_names_are_relative_and_tidy() {
        assert_eq!(input_name(Path::new("seeds/")), PathBuf::from("seeds"));
        assert_eq!(input_name(Path::new("./seeds")), PathBuf::from("seeds"));
        assert_eq!(input_name(Path::new("/data/crawl")), PathBuf::from("crawl"));
        assert_eq!(input_name(Path::new(".")), PathBuf::from("."));
        assert_eq!(input_name(Path::new("../x/y")), PathBuf::from("../x/y"));
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_names_keep_their_bytes() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(OsStr::from_bytes(b"dir/caf\xe9.txt"));
        let name = SourcePath::new(path);
        assert_eq!(name.text, "dir/caf\u{fffd}.txt");
        assert_eq!(name.hex.as_deref(), Some("6469722f636166e92e747874"));
        let utf8 = SourcePath::new(Path::new("dir/café.txt"));
        assert_eq!(utf8.hex, None);
        assert_eq!(name.to_path(), path);
        use std::os::unix::ffi::OsStringExt;
        let expected = std::ffi::OsString::from_vec(b"dir/caf\xe9.txt".to_vec());
        assert_eq!(name.relative_path("txt"), PathBuf::from(expected));
    }

    #[test]
    fn a_hash_in_a_file_name_never_meets_a_record_name() {
        let file = SourcePath::new(Path::new("in/a.jsonl#1"));
        let record = SourcePath::new(Path::new("in/a.jsonl")).with_suffix("#1");
        assert_eq!(file.text, "in/a.jsonl%231");
        assert_eq!(record.text, "in/a.jsonl#1");
        let percent = SourcePath::new(Path::new("in/a.jsonl%231"));
        assert_eq!(percent.text, "in/a.jsonl%25231");
    }

    #[test]
    fn relative_paths_stay_below_their_folder() {
        let name = SourcePath::new(Path::new("../in/a.txt"));
        assert_eq!(name.relative_path("txt"), PathBuf::from("in/a.txt"));
        let name = SourcePath::new(Path::new("/abs/a.html"));
        assert_eq!(name.relative_path("txt"), PathBuf::from("abs/a.html.txt"));
        let name = SourcePath::new(Path::new("in/x.warc.gz")).with_suffix("#3");
        assert_eq!(
            name.relative_path("txt"),
            PathBuf::from("in/x.warc.gz#3.txt")
        );
    }
}
