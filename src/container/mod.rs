//! Containers: files that hold documents instead of being one — gzip, WARC and JSONL — read
//! record by record.
//!
//! [`open`] opens one [`SourceFile`] and gives the documents inside it as [`Part`]s, and what is
//! inside but is not a document as [`Skipped`] entries, in file order, as an iterator: a
//! container is read as the iterator is pulled, so memory holds one record at a time, never
//! the container. `--max-bytes` applies to each document, not to the container.
//!
//! - **plain file**: one part, the bytes as they are, named like the file (larger than
//!   `max_bytes`: [`SkipKind::TooLarge`]).
//! - **gzip** (the `1f 8b` magic): decompressed member by member ([`gzip`]), and read by its
//!   inner name: `x.html.gz` is one HTML page (at most `max_bytes` decompressed), `x.warc.gz` a
//!   WARC file, `x.jsonl.gz` and `x.json.gz` JSONL. A damaged member is reported and reading goes
//!   on at the next member.
//! - **WARC** 1.0/1.1 (a `.warc` name, or `WARC/1.` at the start): see [`warc`]; parts are named
//!   `file#n`, `n` the 1-based number of the record in the file (every record counts).
//! - **JSONL** (`.jsonl`, `.ndjson`): see [`jsonl`]; parts are named `file#n`, `n` the 1-based
//!   line number.
//! - **ARC** (`.arc`, `.arc.gz`, or `filedesc://` at the start): see [`arc`]; parts are named
//!   like WARC parts.
//!
//! Nothing here panics or allocates without bound on any input: lengths are checked, every
//! decompression is capped, and no part is larger than `max_bytes`. The result depends only on
//! the bytes, the file's name and the options.

mod arc;
mod gzip;
mod http;
mod jsonl;
mod stream;
mod warc;

use crate::record::ContainerRef;
use crate::source::{SkipKind, Skipped, SourceFile, SourcePath};
use gzip::Counted;
use std::io::BufRead;
use std::path::Path;
use stream::Stream;

/// The longest WARC or HTTP header block read, in bytes.
const MAX_HEAD: usize = 64 * 1024;
/// The first bytes of an ARC file (its `filedesc` record).
const ARC_MAGIC: &[u8] = b"filedesc://";

/// One document found inside a file (or the file itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The file's name; for a part of a WARC or JSONL file, followed by `#<n>`, the 1-based
    /// number of the record or line.
    pub name: SourcePath,
    /// The payload: the file's bytes, decompressed; for WARC, the HTTP body, de-chunked and
    /// decoded. Never longer than [`ContainerOptions::max_bytes`].
    pub bytes: Vec<u8>,
    /// The URL it was fetched from: `WARC-Target-URI`, or the JSONL url field.
    pub url: Option<String>,
    /// The charset named by the HTTP `Content-Type` header (lowercase), if any.
    pub charset: Option<String>,
    /// Whether the container says the payload is HTML (`Some(true)`: `text/html`,
    /// `application/xhtml+xml`, a JSONL html field) or plain text (`Some(false)`: `text/plain`,
    /// a JSONL text field); `None` when it says nothing.
    pub html: Option<bool>,
    /// The lowercase extension to sniff the payload by: the file's own (`html`), or for a gzip
    /// file the inner name's (`html` for `x.html.gz`); `None` for parts of WARC and JSONL files.
    pub extension: Option<String>,
    /// Where in a WARC or JSONL file the part was; `None` for a plain or gzip file.
    pub container: Option<ContainerRef>,
    /// How the payload had to be repaired to be read (a server's framing mistake forgiven, a
    /// JSON line read lossily).
    pub notes: Vec<String>,
    /// Whether bytes of the payload were replaced by U+FFFD to be read.
    pub lossy: bool,
    /// For a JSONL line, its other fields (all but the html and text fields).
    pub upstream: Option<serde_json::Map<String, serde_json::Value>>,
}

/// How containers are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerOptions {
    /// The most bytes of any one document: a plain file, a gzip file decompressed, a payload.
    pub max_bytes: u64,
    /// The JSONL field holding the URL (a dotted path reaches into nested objects).
    pub jsonl_url: String,
    /// The JSONL field holding an HTML page.
    pub jsonl_html: String,
    /// The JSONL field holding plain text (used when the HTML field is missing or blank).
    pub jsonl_text: String,
}

impl Default for ContainerOptions {
    fn default() -> ContainerOptions {
        ContainerOptions {
            max_bytes: 64 << 20,
            jsonl_url: "url".to_owned(),
            jsonl_html: "html".to_owned(),
            jsonl_text: "text".to_owned(),
        }
    }
}

/// The documents inside a file, read as they are pulled.
pub type Parts = Box<dyn Iterator<Item = Result<Part, Skipped>> + Send>;

/// Opens a file and reads the documents inside it as the iterator is pulled; see the module
/// docs. A file that cannot be opened is one [`Skipped`] entry.
pub fn open(file: &SourceFile, opts: &ContainerOptions) -> Parts {
    match std::fs::File::open(&file.path) {
        Ok(handle) => read(
            file,
            Box::new(std::io::BufReader::with_capacity(64 << 10, handle)),
            opts,
        ),
        Err(err) => Box::new(std::iter::once(Err(unreadable(file, &err)))),
    }
}

/// Turns a file's raw bytes into its parts, in file order: what [`open`] gives for a file with
/// these bytes.
pub fn unpack(
    file: &SourceFile,
    bytes: Vec<u8>,
    opts: &ContainerOptions,
) -> Vec<Result<Part, Skipped>> {
    read(file, Box::new(std::io::Cursor::new(bytes)), opts).collect()
}

/// How a file that could not be opened or read is reported.
fn unreadable(file: &SourceFile, err: &std::io::Error) -> Skipped {
    if err.kind() == std::io::ErrorKind::NotFound {
        Skipped::new(
            file.name.clone(),
            SkipKind::Changed,
            "vanished after it was listed",
        )
    } else {
        // Out of file handles or memory: not the file's fault; the pipeline stops the run.
        let kind = if crate::source::out_of_resources(err) {
            SkipKind::OutOfResources
        } else {
            SkipKind::Unreadable
        };
        Skipped::new(file.name.clone(), kind, format!("cannot read: {err}"))
    }
}

/// How the (decompressed) bytes of a file are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Warc,
    Jsonl,
    Arc,
    Single,
}

/// The name decides first; without a telling name, WARC and ARC data are known by their first
/// bytes. `gzip` says the name's inner part (without `.gz`) is meant.
fn kind_of(inner: &str, gzip: bool, data: &[u8]) -> Kind {
    if inner.ends_with(".warc") {
        Kind::Warc
    } else if inner.ends_with(".jsonl")
        || inner.ends_with(".ndjson")
        || (gzip && inner.ends_with(".json"))
    {
        Kind::Jsonl
    } else if inner.ends_with(".arc") || data.starts_with(ARC_MAGIC) {
        Kind::Arc
    } else if data.starts_with(warc::MAGIC) {
        Kind::Warc
    } else {
        Kind::Single
    }
}

fn read(file: &SourceFile, input: Box<dyn gzip::Input>, opts: &ContainerOptions) -> Parts {
    let lower = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mut input = Counted::new(input);
    let is_gzip = match input.fill_buf() {
        Ok(head) => head.starts_with(&gzip::MAGIC[..2]),
        Err(err) => return Box::new(std::iter::once(Err(unreadable(file, &err)))),
    };
    let inner = match lower.strip_suffix(".gz") {
        Some(inner) if is_gzip => inner.to_owned(),
        _ => lower.strip_suffix(".gz").unwrap_or(&lower).to_owned(),
    };
    let mut stream = if is_gzip {
        Stream::gzip(input)
    } else {
        Stream::plain(input)
    };
    stream.fill(ARC_MAGIC.len());
    let name = file.name.clone();
    match kind_of(&inner, is_gzip, stream.data()) {
        // An empty file is one empty part, for the caller to report like any empty file.
        _ if stream.data().is_empty() && stream.ended() => {
            Box::new(std::iter::once(Ok(single_part(name, Vec::new(), &inner))))
        }
        Kind::Warc => Box::new(warc::Warc::new(name, stream, opts)),
        Kind::Jsonl => Box::new(jsonl::Jsonl::new(name, stream, opts)),
        Kind::Arc => Box::new(arc::Arc::new(name, stream, opts)),
        Kind::Single => Box::new(std::iter::once(single(file, stream, &inner, opts))),
    }
}

/// A file that is one document: its bytes (decompressed), at most `max_bytes`.
fn single(
    file: &SourceFile,
    mut stream: Stream,
    inner: &str,
    opts: &ContainerOptions,
) -> Result<Part, Skipped> {
    let gzip = stream.is_gzip();
    let too_large = |len: u64| {
        let message = if gzip {
            format!(
                "decompresses to more than --max-bytes ({} bytes)",
                opts.max_bytes
            )
        } else {
            format!("{len} bytes is more than --max-bytes {}", opts.max_bytes)
        };
        Skipped::new(file.name.clone(), SkipKind::TooLarge, message)
    };
    if !gzip && file.len > opts.max_bytes {
        return Err(too_large(file.len));
    }
    let cap = usize::try_from(opts.max_bytes.saturating_add(1)).unwrap_or(usize::MAX);
    stream.fill(cap);
    let data = stream.data();
    if data.len() as u64 > opts.max_bytes {
        return Err(too_large(data.len() as u64));
    }
    if let Some(damage) = stream.damage() {
        let message = if gzip {
            format!(
                "the gzip data is damaged after {} decompressed bytes: {}",
                data.len(),
                damage.what
            )
        } else {
            damage.what.clone()
        };
        let kind = if gzip {
            SkipKind::Damaged
        } else {
            SkipKind::Unreadable
        };
        return Err(Skipped::new(file.name.clone(), kind, message));
    }
    Ok(single_part(file.name.clone(), stream.into_data(), inner))
}

fn single_part(name: SourcePath, bytes: Vec<u8>, inner: &str) -> Part {
    Part {
        name,
        bytes,
        url: None,
        charset: None,
        html: None,
        extension: Path::new(inner)
            .extension()
            .map(|e| e.to_string_lossy().into_owned()),
        container: None,
        notes: Vec::new(),
        lossy: false,
        upstream: None,
    }
}

/// Why something inside a container is not a part, before it is given a name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fail {
    Damaged(String),
    NoPayload(String),
    TooLarge(String),
    Revisit(String),
}

impl Fail {
    /// The skip for the part `name`; `context` (such as "WARC record at byte 12") leads the
    /// message.
    fn skip(self, name: SourcePath, context: &str) -> Skipped {
        let (kind, what) = match self {
            Fail::Damaged(what) => (SkipKind::Damaged, what),
            Fail::NoPayload(what) => (SkipKind::NoPayload, what),
            Fail::TooLarge(what) => (SkipKind::TooLarge, what),
            Fail::Revisit(what) => (SkipKind::Revisit, what),
        };
        let message = if context.is_empty() {
            what
        } else {
            format!("{context}: {what}")
        };
        Skipped::new(name, kind, message)
    }
}

fn too_large(max_bytes: u64) -> Fail {
    Fail::TooLarge(format!(
        "decompresses to more than --max-bytes ({max_bytes} bytes)"
    ))
}

/// Some bytes for a message: lossy UTF-8, at most 60 characters, quoted.
fn quote(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        format!("{short:?}…")
    } else {
        format!("{short:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::path::PathBuf;

    fn source(name: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from("fixtures/containers").join(name),
            name: SourcePath::new(&Path::new("containers").join(name)),
            folder: None,
            input: "containers".to_owned(),
            len: 0,
        }
    }

    #[test]
    fn a_file_that_vanishes_or_turns_into_a_folder_after_the_walk_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir(&input).unwrap();
        for name in ["gone.txt", "replaced.txt", "good.txt"] {
            std::fs::write(input.join(name), format!("The article {name}.\n")).unwrap();
        }
        let walked = crate::walk::files(&[input], &crate::walk::WalkOptions::default())
            .expect("the walk succeeds");
        let file = |suffix: &str| {
            walked
                .files
                .iter()
                .find(|f| f.name.text.ends_with(suffix))
                .unwrap_or_else(|| panic!("{suffix} is walked"))
                .clone()
        };
        let opts = ContainerOptions::default();
        let (gone, replaced, good) = (file("gone.txt"), file("replaced.txt"), file("good.txt"));
        assert_eq!(gone.name.text, "in/gone.txt");

        std::fs::remove_file(&gone.path).unwrap();
        let items: Vec<_> = open(&gone, &opts).collect();
        assert_eq!(items.len(), 1);
        let skipped = skip(&items[0]);
        assert_eq!(skipped.kind, SkipKind::Changed);
        assert_eq!(skipped.kind.name(), "changed");
        assert_eq!(skipped.path, gone.name);
        assert_eq!(
            skipped.to_string(),
            "in/gone.txt: vanished after it was listed"
        );

        std::fs::remove_file(&replaced.path).unwrap();
        std::fs::create_dir(&replaced.path).unwrap();
        let items: Vec<_> = open(&replaced, &opts).collect();
        assert_eq!(items.len(), 1);
        let skipped = skip(&items[0]);
        assert_eq!(skipped.kind, SkipKind::Unreadable, "{skipped}");
        assert!(skipped.message.starts_with("cannot read: "), "{skipped}");

        // The good file listed beside them still reads, whole.
        let items: Vec<_> = open(&good, &opts).collect();
        assert_eq!(items.len(), 1);
        assert_eq!(part(&items[0]).bytes, b"The article good.txt.\n");
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/containers")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn unpack_fixture(name: &str) -> Vec<Result<Part, Skipped>> {
        unpack(&source(name), fixture(name), &ContainerOptions::default())
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    #[track_caller]
    fn part(item: &Result<Part, Skipped>) -> &Part {
        match item {
            Ok(part) => part,
            Err(skipped) => panic!("expected a part, got {skipped:?}"),
        }
    }

    #[track_caller]
    fn skip(item: &Result<Part, Skipped>) -> &Skipped {
        match item {
            Ok(part) => panic!("expected a skip, got the part {}", part.name),
            Err(skipped) => skipped,
        }
    }

    #[track_caller]
    fn into_part(item: Result<Part, Skipped>) -> Part {
        part(&item).clone()
    }

    #[track_caller]
    fn into_skip(item: Result<Part, Skipped>) -> Skipped {
        skip(&item).clone()
    }

    /// Kind, offset, length and record id of a part's container.
    fn stored(part: &Part) -> (String, u64, Option<u64>, Option<String>) {
        let c = part.container.clone().expect("a container");
        (c.kind, c.offset, c.length, c.record_id)
    }

    fn warc_ref(offset: u64, length: u64, id: &str) -> (String, u64, Option<u64>, Option<String>) {
        (
            "warc".into(),
            offset,
            Some(length),
            Some(format!("<urn:uuid:{id}>")),
        )
    }

    fn text(part: &Part) -> &str {
        std::str::from_utf8(&part.bytes).unwrap()
    }

    /// One WARC record, with its framing.
    fn record(headers: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\n{headers}Content-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn response(http: &[u8]) -> Vec<u8> {
        record(
            "WARC-Type: response\r\nWARC-Target-URI: http://a.example/\r\n\
             Content-Type: application/http; msgtype=response\r\n",
            http,
        )
    }

    fn unpack_warc(bytes: Vec<u8>) -> Vec<Result<Part, Skipped>> {
        unpack(&source("t.warc"), bytes, &ContainerOptions::default())
    }

    #[test]
    fn crawl_warc_gz() {
        let items = unpack_fixture("crawl.warc.gz");
        assert_eq!(items.len(), 5, "{items:#?}");

        let a = part(&items[0]);
        assert_eq!(a.name.text, "containers/crawl.warc.gz#3");
        assert_eq!(
            a.url.as_deref(),
            Some(
                "https://www.millbrook-tribune.example/news/2024/05/14/council-approves-footbridge"
            )
        );
        assert_eq!(a.charset.as_deref(), Some("utf-8"));
        assert_eq!(a.html, Some(true));
        assert_eq!(a.extension, None);
        assert_eq!(
            stored(a),
            warc_ref(629, 1076, "0b6a3c2e-0000-4000-8000-000000000003")
        );
        assert!(text(a).starts_with("<!doctype html>\n<html lang=\"en\">"));
        assert!(text(a).ends_with("</html>\n"));
        assert!(text(a).contains("Council approves new footbridge"));
        assert!(text(a).contains("\u{201c}Now they won\u{2019}t have to.\u{201d}"));

        // Content-Encoding: gzip, decoded.
        let b = part(&items[1]);
        assert_eq!(b.name.text, "containers/crawl.warc.gz#4");
        assert_eq!(
            b.url.as_deref(),
            Some("https://www.millbrook-tribune.example/schools/2024/05/13/robotics-nationals")
        );
        assert_eq!(b.charset.as_deref(), Some("utf-8"));
        assert_eq!(
            stored(b),
            warc_ref(1705, 1090, "0b6a3c2e-0000-4000-8000-000000000004")
        );
        assert!(text(b).contains("robotics team heads to nationals"));
        assert!(text(b).ends_with("</html>\n"));

        // Another site; no charset in its Content-Type.
        let c = part(&items[2]);
        assert_eq!(c.name.text, "containers/crawl.warc.gz#5");
        assert_eq!(
            c.url.as_deref(),
            Some("https://news.kestrel-valley.example/outdoors/kestrel-falls-parking-fees")
        );
        assert_eq!(c.charset, None);
        assert_eq!(c.html, Some(true));
        assert_eq!(
            stored(c),
            warc_ref(2795, 854, "0b6a3c2e-0000-4000-8000-000000000005")
        );
        assert!(text(c).contains("Tomás Reyes"));

        let png = skip(&items[3]);
        assert_eq!(png.path.text, "containers/crawl.warc.gz#6");
        assert_eq!(png.kind, SkipKind::NoPayload);
        assert_eq!(
            png.message,
            "WARC record at byte 3649: image/png is not HTML or text"
        );

        let cut = skip(&items[4]);
        assert_eq!(cut.path.text, "containers/crawl.warc.gz#7");
        assert_eq!(cut.kind, SkipKind::Damaged);
        assert!(
            cut.message
                .starts_with("WARC record at byte 4059: truncated: Content-Length is "),
            "{}",
            cut.message
        );
        assert!(
            cut.message
                .ends_with("; the gzip data is damaged at byte 4059 (incomplete deflate stream); nothing after it could be read"),
            "{}",
            cut.message
        );
    }

    #[test]
    fn plain_warc_with_chunked_windows_1252() {
        let items = unpack_fixture("plain.warc");
        assert_eq!(items.len(), 2, "{items:#?}");
        let first = part(&items[0]);
        assert_eq!(first.name.text, "containers/plain.warc#1");
        assert_eq!(
            first.url.as_deref(),
            Some("https://www.harrow-post.example/transport/gull-island-ferry")
        );
        assert_eq!(
            stored(first),
            warc_ref(0, 1440, "5d1e7f90-0000-4000-8000-000000000001")
        );
        assert_eq!(first.html, Some(true));
        assert!(text(first).contains("Ferry service to Gull Island resumes"));

        let second = part(&items[1]);
        assert_eq!(second.name.text, "containers/plain.warc#2");
        assert_eq!(
            stored(second),
            warc_ref(1440, 821, "5d1e7f90-0000-4000-8000-000000000002")
        );
        assert_eq!(second.charset.as_deref(), Some("windows-1252"));
        assert_eq!(second.html, Some(false));
        // De-chunked: no size lines or trailers, and the windows-1252 bytes as they were.
        assert!(
            second
                .bytes
                .starts_with(b"Caf\xe9 owner wins \x91best bakery\x92 prize\n")
        );
        assert!(second.bytes.ends_with(b"to her two apprentices.\n"));
        assert!(!second.bytes.windows(2).any(|w| w == b"\r\n"));
        assert!(std::str::from_utf8(&second.bytes).is_err());
    }

    #[test]
    fn gzipped_pages_are_one_part_each() {
        let items = unpack_fixture("article.html.gz");
        assert_eq!(items.len(), 1);
        let article = part(&items[0]);
        assert_eq!(article.name.text, "containers/article.html.gz");
        assert_eq!(article.extension.as_deref(), Some("html"));
        assert_eq!(
            (
                article.url.as_ref(),
                article.html,
                article.container.as_ref()
            ),
            (None, None, None)
        );
        assert!(text(article).starts_with("<!doctype html>"));
        assert!(text(article).contains("School board delays vote"));

        let items = unpack_fixture("notes.txt.gz");
        assert_eq!(items.len(), 1);
        let notes = part(&items[0]);
        assert_eq!(notes.name.text, "containers/notes.txt.gz");
        assert_eq!(notes.extension.as_deref(), Some("txt"));
        assert!(text(notes).starts_with("Harbour board meeting, 3 June\n"));
    }

    #[test]
    fn scrape_jsonl() {
        let items = unpack_fixture("scrape.jsonl");
        assert_eq!(items.len(), 3, "{items:#?}");
        let html = part(&items[0]);
        assert_eq!(html.name.text, "containers/scrape.jsonl#1");
        assert_eq!(
            html.url.as_deref(),
            Some("https://www.millbrook-tribune.example/news/2024/06/05/library-sunday-hours")
        );
        assert_eq!(html.html, Some(true));
        assert_eq!(html.container, Some(ContainerRef::line(1)));
        assert!(text(html).starts_with("<!doctype html><html><head><title>Library extends"));

        let plain = part(&items[1]);
        assert_eq!(plain.name.text, "containers/scrape.jsonl#3");
        assert_eq!(plain.html, Some(false));
        assert_eq!(plain.container.as_ref().map(|c| c.offset), Some(3));
        assert_eq!(
            plain.url.as_deref(),
            Some("https://news.kestrel-valley.example/local/old-mill-road-brush-fire")
        );
        assert!(text(plain).starts_with("Kestrel Valley fire crews contain brush fire\n\n"));

        let bad = skip(&items[2]);
        assert_eq!(bad.path.text, "containers/scrape.jsonl#4");
        assert_eq!(bad.kind, SkipKind::Damaged);
        assert!(
            bad.message.starts_with("line 4: not JSON: it breaks off"),
            "{}",
            bad.message
        );
    }

    #[test]
    fn jsonl_field_names_are_options() {
        let data = b"{\"link\":\"https://x.example/1\",\"body\":\"<p>Hi</p>\",\"html\":\"no\"}\n\
                     {\"link\":\"https://x.example/2\",\"content\":\"Plain words\"}\n\
                     {\"url\":\"https://x.example/3\",\"html\":\"<p>old names</p>\"}\n\
                     [1, 2]\n\
                     {\"body\":\"\",\"content\":null}\n"
            .to_vec();
        let opts = ContainerOptions {
            jsonl_url: "link".into(),
            jsonl_html: "body".into(),
            jsonl_text: "content".into(),
            ..ContainerOptions::default()
        };
        let items = unpack(&source("t.ndjson"), data, &opts);
        assert_eq!(items.len(), 5);
        let first = part(&items[0]);
        assert_eq!(
            (first.url.as_deref(), first.html),
            (Some("https://x.example/1"), Some(true))
        );
        assert_eq!(first.bytes, b"<p>Hi</p>");
        let second = part(&items[1]);
        assert_eq!(
            (second.url.as_deref(), second.html),
            (Some("https://x.example/2"), Some(false))
        );
        assert_eq!(second.bytes, b"Plain words");
        let third = skip(&items[2]);
        assert_eq!(third.kind, SkipKind::Damaged);
        assert_eq!(third.message, "line 3: no \"body\" or \"content\" field");
        assert_eq!(skip(&items[3]).message, "line 4: not a JSON object");
        assert_eq!(skip(&items[4]).kind, SkipKind::NoPayload);
    }

    #[test]
    fn jsonl_gz_with_crlf_and_bom() {
        let data = gz(b"\xEF\xBB\xBF{\"url\":\"u\",\"text\":\"t\"}\r\n\r\n{\"text\":\"s\"}");
        let items = unpack(&source("a.jsonl.gz"), data, &ContainerOptions::default());
        assert_eq!(items.len(), 2);
        assert_eq!(part(&items[0]).name.text, "containers/a.jsonl.gz#1");
        assert_eq!(part(&items[1]).name.text, "containers/a.jsonl.gz#3");
        assert_eq!(part(&items[1]).url, None);
    }

    #[test]
    fn gzip_bombs_are_refused() {
        let bomb = gz(&vec![b'a'; 8 << 20]);
        assert!(bomb.len() < 64 << 10);
        let opts = ContainerOptions {
            max_bytes: 1 << 20,
            ..ContainerOptions::default()
        };
        // A WARC or JSONL container may be of any size; its documents may not.
        let items = unpack(&source("bomb.warc.gz"), bomb.clone(), &opts);
        assert_eq!(items.len(), 1);
        assert!(
            skip(&items[0])
                .message
                .contains("expected a WARC version line"),
            "{items:?}"
        );
        let items = unpack(&source("bomb.jsonl.gz"), bomb.clone(), &opts);
        assert_eq!(items.len(), 1);
        assert_eq!(skip(&items[0]).kind, SkipKind::TooLarge);
        for name in ["bomb.html.gz", "bomb.bin"] {
            let items = unpack(&source(name), bomb.clone(), &opts);
            assert_eq!(items.len(), 1);
            let s = skip(&items[0]);
            assert_eq!(s.kind, SkipKind::TooLarge);
            assert_eq!(s.path.text, format!("containers/{name}"));
            assert_eq!(
                s.message,
                "decompresses to more than --max-bytes (1048576 bytes)"
            );
        }
        // Exactly max_bytes is fine.
        let exact = gz(&vec![b'a'; 1 << 20]);
        let items = unpack(&source("x.txt.gz"), exact, &opts);
        assert_eq!(part(&items[0]).bytes.len(), 1 << 20);

        // A gzip-encoded HTTP body is capped too.
        let mut http =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        http.extend_from_slice(&bomb);
        let items = unpack(&source("t.warc"), response(&http), &opts);
        assert_eq!(skip(&items[0]).kind, SkipKind::TooLarge);
    }

    #[test]
    fn sniffed_without_a_telling_name() {
        let warc = fixture("plain.warc");
        let items = unpack(&source("dump.bin"), gz(&warc), &ContainerOptions::default());
        assert_eq!(items.len(), 2);
        assert_eq!(part(&items[1]).name.text, "containers/dump.bin#2");
        let items = unpack(&source("dump"), warc, &ContainerOptions::default());
        assert_eq!(items.len(), 2);
        // A .gz name without gzip bytes: read as they are, by the inner name.
        let items = unpack(
            &source("page.html.gz"),
            b"<p>hi".to_vec(),
            &ContainerOptions::default(),
        );
        assert_eq!(part(&items[0]).bytes, b"<p>hi");
        assert_eq!(part(&items[0]).extension.as_deref(), Some("html"));
        // Empty files are one (empty) part, for the caller to report.
        for name in ["empty.warc.gz", "empty.jsonl", "empty.txt"] {
            let items = unpack(&source(name), Vec::new(), &ContainerOptions::default());
            assert_eq!(items.len(), 1);
            assert_eq!(part(&items[0]).bytes, b"");
            assert_eq!(part(&items[0]).name.text, format!("containers/{name}"));
        }
        let items = unpack(
            &source("empty.warc.gz"),
            gz(b""),
            &ContainerOptions::default(),
        );
        assert_eq!(part(&items[0]).bytes, b"");
    }

    #[test]
    fn damaged_gzip_single_file() {
        let mut data = gz(b"<html><body><p>Some page</p></body></html>");
        data.truncate(data.len() - 10);
        let items = unpack(&source("a.html.gz"), data, &ContainerOptions::default());
        assert_eq!(items.len(), 1);
        let s = skip(&items[0]);
        assert_eq!(
            (s.kind, s.path.text.as_str()),
            (SkipKind::Damaged, "containers/a.html.gz")
        );
        assert!(
            s.message.starts_with("the gzip data is damaged after "),
            "{}",
            s.message
        );
    }

    #[test]
    fn gzip_cut_between_members_reports_the_file() {
        let mut data = gz(&response(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>one",
        ));
        let at = data.len();
        data.extend_from_slice(b"\x1f\x8b\x08\x00");
        let items = unpack(&source("c.warc.gz"), data, &ContainerOptions::default());
        assert_eq!(items.len(), 2, "{items:#?}");
        assert_eq!(part(&items[0]).bytes, b"<p>one");
        let s = skip(&items[1]);
        assert_eq!(
            (s.kind, s.path.text.as_str()),
            (SkipKind::Damaged, "containers/c.warc.gz#2")
        );
        assert!(
            s.message
                .starts_with(&format!("the gzip data is damaged at byte {at} (")),
            "{}",
            s.message
        );
    }

    #[test]
    fn http_statuses_types_and_encodings() {
        let ok = |headers: &str, body: &[u8]| {
            let mut http = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
            http.extend_from_slice(body);
            unpack_warc(response(&http)).remove(0)
        };
        let page = b"<html><body><p>News</p></body></html>";
        assert_eq!(into_part(ok("", page)).html, None);
        assert_eq!(
            into_part(ok("Content-Type: text/plain\r\n", b"x")).html,
            Some(false)
        );
        assert_eq!(
            into_part(ok(
                "content-type: Application/XHTML+XML; Charset=\"ISO-8859-1\"\r\n",
                page
            ))
            .charset,
            Some("iso-8859-1".into())
        );
        let json = into_skip(ok("Content-Type: application/json\r\n", b"{}"));
        assert_eq!(json.kind, SkipKind::NoPayload);
        assert!(
            json.message
                .ends_with("application/json is not HTML or text")
        );

        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        zlib.write_all(page).unwrap();
        let zlib = zlib.finish().unwrap();
        assert_eq!(
            into_part(ok("Content-Encoding: deflate\r\n", &zlib)).bytes,
            page
        );
        let mut raw =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        raw.write_all(page).unwrap();
        let raw = raw.finish().unwrap();
        assert_eq!(
            into_part(ok("Content-Encoding: deflate\r\n", &raw)).bytes,
            page
        );
        assert_eq!(
            into_part(ok("Content-Encoding: identity\r\n", page)).bytes,
            page
        );
        // Brotli (these bytes are `page`, compressed by Python's brotli module).
        let br: &[u8] = &[
            27, 36, 0, 224, 141, 148, 169, 235, 83, 242, 160, 193, 181, 15, 91, 27, 221, 228, 132,
            22, 105, 42, 213, 138, 190, 108, 97, 5, 102, 60,
        ];
        assert_eq!(into_part(ok("Content-Encoding: br\r\n", br)).bytes, page);
        let cut = into_skip(ok("Content-Encoding: br\r\n", &br[..29]));
        assert_eq!(cut.kind, SkipKind::Damaged, "{}", cut.message);
        let zstd = into_skip(ok("Content-Encoding: zstd\r\n", b"\x28\xb5"));
        assert_eq!(zstd.kind, SkipKind::NoPayload);
        assert!(
            zstd.message
                .ends_with("Content-Encoding \"zstd\" is not supported"),
            "{}",
            zstd.message
        );
        // Declared gzip (or brotli) but plain: read as it is, and noted.
        for coding in ["gzip", "br", "deflate"] {
            let plain = into_part(ok(&format!("Content-Encoding: {coding}\r\n"), page));
            assert_eq!(plain.bytes, page, "{coding}");
            assert_eq!(
                plain.notes,
                [format!(
                    "the HTTP body is declared Content-Encoding {coding} but is not; read as it is"
                )]
            );
        }
        // A gzip body cut short is damaged.
        let zipped = gz(page);
        let cut = into_skip(ok(
            "Content-Encoding: gzip\r\n",
            &zipped[..zipped.len() - 12],
        ));
        assert_eq!(cut.kind, SkipKind::Damaged);

        // Chunked and gzipped, both undone.
        let (a, b) = zipped.split_at(10);
        let mut chunked = format!("{:X}\r\n", a.len()).into_bytes();
        chunked.extend_from_slice(a);
        chunked.extend_from_slice(format!("\r\n{:x}\r\n", b.len()).as_bytes());
        chunked.extend_from_slice(b);
        chunked.extend_from_slice(b"\r\n0\r\n\r\n");
        let both = ok(
            "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
            &chunked,
        );
        assert_eq!(part(&both).bytes, page);
        // Server mistakes forgiven as browsers do: a body that is not chunked is taken as it
        // is; a chunked body that breaks off keeps what it has.
        for (body, kept, note) in [
            (
                &page[..],
                &page[..],
                "is declared Transfer-Encoding: chunked but is not chunked",
            ),
            (b"3\r\nabc\r\n", b"abc", "ends without its last chunk"),
            (b"3\r\nabc", b"abc", "ends without its last chunk"),
            (b"5\r\nabc", b"abc", "breaks off inside a chunk"),
            (
                b"3\r\nabcX0\r\n\r\n",
                b"abc",
                "has a chunk not followed by CRLF",
            ),
            (b"3\r\nabc\r\nzz\r\n", b"abc", "has a bad chunk size line"),
        ] {
            let got = into_part(ok("Transfer-Encoding: chunked\r\n", body));
            assert_eq!(got.bytes, kept, "{body:?}");
            assert!(got.notes[0].contains(note), "{:?}", got.notes);
        }
        let huge = into_skip(ok(
            "Transfer-Encoding: chunked\r\n",
            b"fffffffffffffff\r\nabc\r\n0\r\n\r\n",
        ));
        assert_eq!(huge.kind, SkipKind::TooLarge);
        // A partial response is not a page.
        let partial = b"HTTP/1.1 206 Partial Content\r\nContent-Type: text/html\r\n\r\n<p>x";
        let s = skip(&unpack_warc(response(partial))[0]).clone();
        assert_eq!(s.kind, SkipKind::NoPayload);
        assert!(
            s.message
                .ends_with("HTTP status 206, a part of a page, not a page")
        );

        let mut moved = b"HTTP/1.1 301 Moved Permanently\r\nLocation: /x\r\n\r\n".to_vec();
        let s = skip(&unpack_warc(response(&moved))[0]).clone();
        assert_eq!(s.kind, SkipKind::NoPayload);
        assert!(s.message.ends_with("HTTP status 301, not a page"));
        moved.truncate(20);
        let s = skip(&unpack_warc(response(&moved))[0]).clone();
        assert_eq!(s.kind, SkipKind::Damaged);
        let s = skip(&unpack_warc(response(b"HTTP/1.1 OK\r\n\r\nx"))[0]).clone();
        assert_eq!(s.kind, SkipKind::Damaged);
        let s = into_skip(ok("Content-Type: text/html\r\n", b"")).clone();
        assert_eq!(
            (s.kind, s.message.ends_with("the payload is empty")),
            (SkipKind::NoPayload, true)
        );
    }

    #[test]
    fn record_types() {
        let mut data = record("WARC-Type: warcinfo\r\n", b"software: x\r\n");
        data.extend(record("WARC-Type: request\r\n", b"GET / HTTP/1.1\r\n\r\n"));
        data.extend(record("WARC-Type: metadata\r\n", b"via: x\r\n"));
        data.extend(record(
            "WARC-Type: revisit\r\nWARC-Target-URI: http://a.example/\r\n\
             WARC-Refers-To: <urn:uuid:gone>\r\n",
            b"HTTP/1.1 200 OK\r\n\r\n",
        ));
        data.extend(record(
            "WARC-Type: resource\r\nWARC-Target-URI: <file:///notes.txt>\r\nContent-Type: text/plain\r\n",
            b"Some notes",
        ));
        data.extend(record(
            "WARC-Type: resource\r\nContent-Type: image/jpeg\r\n",
            b"\xff\xd8\xff",
        ));
        data.extend(record("Content-Type: text/plain\r\n", b"no type"));
        data.extend(record(
            "WARC-Type: response\r\nWARC-Segment-Number: 1\r\n",
            b"HTTP/1.1 200 OK\r\n\r\nx",
        ));
        // A response without a record Content-Type whose block is HTTP anyway.
        data.extend(record(
            "WARC-Type: response\r\nWARC-Record-ID: <urn:uuid:r10>\r\n\
             WARC-Target-URI: http://b.example/\r\nWARC-Date: 2024-01-02T03:04:05Z\r\n",
            b"HTTP/1.0 200 OK\r\n\r\n<p>x",
        ));
        // Revisits of it: by record id, and by target URI and date (Common Crawl's way).
        data.extend(record(
            "WARC-Type: revisit\r\nWARC-Target-URI: http://b.example/\r\n\
             WARC-Refers-To: <urn:uuid:r10>\r\n",
            b"",
        ));
        data.extend(record(
            "WARC-Type: revisit\r\nWARC-Target-URI: http://b.example/\r\n\
             WARC-Refers-To-Target-URI: http://b.example/\r\n\
             WARC-Refers-To-Date: 2024-01-02T03:04:05Z\r\n",
            b"",
        ));
        // WET: extracted text.
        data.extend(record(
            "WARC-Type: conversion\r\nWARC-Target-URI: http://c.example/\r\n\
             Content-Type: text/plain\r\n",
            b"Converted text",
        ));
        let items = unpack_warc(data);
        let summary: Vec<String> = items
            .iter()
            .map(|item| match item {
                Ok(part) => format!("{} ok", part.name),
                Err(s) => format!("{} {}", s.path, s.kind.name()),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "containers/t.warc#4 revisit",
                "containers/t.warc#5 ok",
                "containers/t.warc#6 no-payload",
                "containers/t.warc#7 damaged",
                "containers/t.warc#8 no-payload",
                "containers/t.warc#9 ok",
                "containers/t.warc#10 revisit",
                "containers/t.warc#11 revisit",
                "containers/t.warc#12 ok",
            ]
        );
        assert!(
            skip(&items[0]).message.ends_with(
                "a revisit of http://a.example/ (WARC-Refers-To <urn:uuid:gone>), \
                 not a record read before it in this file"
            ),
            "{}",
            skip(&items[0]).message
        );
        let notes = part(&items[1]);
        assert_eq!(notes.url.as_deref(), Some("file:///notes.txt"));
        assert_eq!(notes.bytes, b"Some notes");
        assert_eq!(
            notes.container.as_ref().map(|c| c.record_id.clone()),
            Some(None)
        );
        assert!(skip(&items[3]).message.ends_with("no WARC-Type"));
        let page = part(&items[5]);
        assert_eq!(page.bytes, b"<p>x");
        let c = page.container.clone().unwrap();
        assert_eq!(
            (c.date.as_deref(), c.target_uri.as_deref()),
            (Some("2024-01-02T03:04:05Z"), Some("http://b.example/"))
        );
        for revisit in [&items[6], &items[7]] {
            assert!(
                skip(revisit)
                    .message
                    .ends_with("the record containers/t.warc#9"),
                "{}",
                skip(revisit).message
            );
        }
        let wet = part(&items[8]);
        assert_eq!(
            (wet.bytes.as_slice(), wet.html),
            (&b"Converted text"[..], Some(false))
        );
    }

    #[test]
    fn damaged_records_resync() {
        let page = |n: u32| {
            response(
                format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>page {n}").as_bytes(),
            )
        };
        let mut data = b"junk before\r\n".to_vec();
        data.extend(page(1));
        // A record whose Content-Length is too long: it swallows the next record's start.
        let bad_at = data.len();
        let bad = String::from_utf8(page(2))
            .unwrap()
            .replace("Content-Length: ", "Content-Length: 1")
            .into_bytes();
        data.extend(&bad);
        data.extend(page(3));
        // Overflowing and non-numeric lengths.
        data.extend(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999999999999999999999\r\n\r\nxx\r\n\r\n");
        data.extend(
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 1000000\r\n\r\nxx\r\n\r\n",
        );
        data.extend(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: -1\r\n\r\nxx\r\n\r\n");
        data.extend(b"WARC/1.0\r\nWARC-Type: response\r\n\r\nxx\r\n\r\n");
        // LF-only framing is tolerated.
        data.extend(b"WARC/1.0\nWARC-Type: resource\nContent-Type: text/html\nContent-Length: 6\n\n<p>lf!\n\n");
        data.extend(page(4));
        // The header breaks off.
        data.extend(b"WARC/1.0\r\nWARC-Type: resp");
        let items = unpack_warc(data);
        let summary: Vec<String> = items
            .iter()
            .map(|item| match item {
                Ok(part) => format!("{} ok {}", part.name, String::from_utf8_lossy(&part.bytes)),
                Err(s) => format!("{} {}", s.path, s.kind.name()),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "containers/t.warc#1 damaged",
                "containers/t.warc#2 ok <p>page 1",
                "containers/t.warc#3 damaged",
                "containers/t.warc#4 ok <p>page 3",
                "containers/t.warc#5 damaged",
                "containers/t.warc#6 damaged",
                "containers/t.warc#7 damaged",
                "containers/t.warc#8 damaged",
                "containers/t.warc#9 ok <p>lf!",
                "containers/t.warc#10 ok <p>page 4",
                "containers/t.warc#11 damaged",
            ],
            "{items:#?}"
        );
        assert!(
            skip(&items[0])
                .message
                .starts_with("WARC record at byte 0: expected a WARC version line")
        );
        assert!(
            skip(&items[2])
                .message
                .starts_with(&format!("WARC record at byte {bad_at}: "))
        );
        assert!(
            skip(&items[4]).message.contains("bad Content-Length"),
            "{}",
            skip(&items[4]).message
        );
        assert!(
            skip(&items[5]).message.contains("truncated"),
            "{}",
            skip(&items[5]).message
        );
        assert!(skip(&items[7]).message.ends_with("no Content-Length"));
        assert!(
            skip(&items[10])
                .message
                .ends_with("truncated: the header breaks off")
        );
    }

    #[test]
    fn payloads_never_exceed_max_bytes() {
        let opts = ContainerOptions {
            max_bytes: 1000,
            ..ContainerOptions::default()
        };
        // plain.warc is 2261 bytes; its payloads are ~950 and ~400 bytes.
        let items = unpack(&source("plain.warc"), fixture("plain.warc"), &opts);
        assert!(
            items
                .iter()
                .all(|i| i.as_ref().is_ok_and(|p| p.bytes.len() <= 1000))
        );
        let opts = ContainerOptions {
            max_bytes: 500,
            ..ContainerOptions::default()
        };
        let items = unpack(&source("crawl.warc.gz"), fixture("crawl.warc.gz"), &opts);
        assert_eq!(skip(&items[0]).kind, SkipKind::TooLarge);
        let small = ContainerOptions {
            max_bytes: 300,
            ..ContainerOptions::default()
        };
        let items = unpack(&source("scrape.jsonl"), fixture("scrape.jsonl"), &small);
        assert_eq!(skip(&items[0]).kind, SkipKind::TooLarge);
        assert!(
            skip(&items[0])
                .message
                .ends_with("the payload is larger than --max-bytes (300 bytes)")
        );
        assert_eq!(part(&items[1]).name.text, "containers/scrape.jsonl#3");
        let items = unpack(&source("big.txt"), vec![b'a'; 501], &opts);
        assert_eq!(skip(&items[0]).kind, SkipKind::TooLarge);
    }

    /// xorshift64*: a fixed sequence, so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
    }

    fn check(name: &str, bytes: Vec<u8>, opts: &ContainerOptions) {
        let again = unpack(&source(name), bytes.clone(), opts);
        let items = unpack(&source(name), bytes, opts);
        assert_eq!(items, again, "deterministic");
        for item in &items {
            let path = match item {
                Ok(part) => {
                    assert!(part.bytes.len() as u64 <= opts.max_bytes);
                    &part.name
                }
                Err(s) => &s.path,
            };
            assert!(path.text.starts_with(&format!("containers/{name}")));
        }
    }

    #[test]
    fn garbage_never_panics() {
        let opts = ContainerOptions {
            max_bytes: 100_000,
            ..ContainerOptions::default()
        };
        let names = [
            "crawl.warc.gz",
            "plain.warc",
            "article.html.gz",
            "notes.txt.gz",
            "scrape.jsonl",
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for name in names {
            let bytes = fixture(name);
            let plain = match unpack(&source(name), bytes.clone(), &opts).first() {
                Some(Ok(part)) if name.ends_with(".gz") && !name.contains("warc") => {
                    part.bytes.clone()
                }
                _ => Vec::new(),
            };
            for cut in (0..bytes.len()).step_by(97) {
                check(name, bytes[..cut].to_vec(), &opts);
                let mut flipped = bytes.clone();
                flipped[cut] ^= 1 << (rng.next() % 8);
                check(name, flipped, &opts);
            }
            for cut in (0..plain.len()).step_by(97) {
                check(name, gz(&plain[..cut]), &opts);
            }
        }
        // Decompressed crawl, cut and damaged at every 97th byte.
        let mut warc = Vec::new();
        let _ =
            flate2::read::MultiGzDecoder::new(&fixture("crawl.warc.gz")[..]).read_to_end(&mut warc);
        for cut in (0..warc.len()).step_by(97) {
            check("c.warc", warc[..cut].to_vec(), &opts);
            let mut damaged = warc.clone();
            damaged[cut] = b"\r\n:0 Wa"[(rng.next() % 7) as usize];
            check("c.warc", damaged, &opts);
        }
        // Random bytes behind plausible starts.
        let starts: [&[u8]; 6] = [
            b"",
            b"\x1f\x8b",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff",
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\n",
            b"WARC/1.1\nContent-Length: 3\n\n",
            b"{\"url\":\"",
        ];
        for round in 0..400 {
            let mut bytes = starts[round % starts.len()].to_vec();
            let len = (rng.next() % 300) as usize;
            let alphabet = b"\r\n: WARC/1.0HTTP{}\"0aF;";
            for _ in 0..len {
                let r = rng.next();
                bytes.push(if r.is_multiple_of(3) {
                    alphabet[(r >> 8) as usize % alphabet.len()]
                } else {
                    (r >> 16) as u8
                });
            }
            for name in ["r.warc", "r.jsonl", "r.gz", "r.warc.gz", "r.txt"] {
                check(name, bytes.clone(), &opts);
            }
        }
    }
}
