//! `chaff explain`: one document, line by line, each marked kept or removed with its reason.
//!
//! [`explain`] reads and cleans a single document with `run`'s own per-document code (with a
//! given model, or an empty one) and [`render`] prints the result: a margin of `+` (kept), `-` (removed) or `?` (kept in doubt),
//! the line number, the reason, and the text. For HTML it also shows the block kind and DOM
//! context. Colour is for terminals only; the words are the same either way.
//!
//! Everything taken from the page (its text, title, URL, site, and the cleaner's notes that quote
//! it) is printed with its control characters escaped ([`printable`]): a page cannot move the
//! cursor, set the terminal's title (OSC), ring the bell or inject a hyperlink.

use crate::clean::{CleanOptions, Cleaned, Verdict};
use crate::container::{self, ContainerOptions};
use crate::error::{Error, Result};
use crate::extract::{self, BlockKind, Document, Format, flags};
use crate::model::LineModel;
use crate::source::{SkipKind, SourceFile};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// A document and what the cleaner made of it.
#[derive(Debug)]
pub struct Explained {
    /// The document's name, as `run` names it in `source.path` (`file#n` for a record).
    pub name: String,
    /// The extracted document.
    pub doc: Document,
    /// The cleaner's verdicts.
    pub cleaned: Cleaned,
    /// The site used to look up learned counts.
    pub site: String,
}

/// Reads and cleans one document with the per-document code of `chaff run` (the scan stage's
/// container reading, sniffing and extraction, then the clean stage's cleaning): `spec` is a
/// file, or `file#n` for the n-th document of a container (a WARC record, a JSONL line), as
/// `source.path` names it.
///
/// `input` is the input `run` was given, which decides the document's name and, for a document
/// that names no URL, its site (the first folder below the input). Without it, the first folder
/// of a relative `spec` of several components is taken as the input (`crawl/site-a/2024/page.txt`
/// is site `site-a`, as in `chaff run crawl`), else the file itself. Without a model, only the
/// lexicon, shape and structure rules apply (a single document teaches no frequencies).
pub fn explain(
    spec: &Path,
    input: Option<&Path>,
    model: Option<&LineModel>,
    container: &ContainerOptions,
    opts: &CleanOptions,
) -> Result<Explained> {
    let (path, part) = split_spec(spec);
    let input = match input {
        Some(input) => input.to_path_buf(),
        None => default_input(&path),
    };
    let file = crate::walk::file_under(&input, &path)?;
    let row = read(&file, part, container)?;
    let empty = LineModel::default();
    let (cleaned, failure) = crate::pipeline::clean_row(&row, model.unwrap_or(&empty), opts);
    let mut doc = row.doc;
    doc.notes.extend(failure);
    Ok(Explained {
        name: row.name.text,
        doc,
        cleaned,
        site: row.site,
    })
}

/// `file#n` as the file and `n`, when `file#n` is not itself a file.
fn split_spec(spec: &Path) -> (PathBuf, Option<u32>) {
    if !spec.exists()
        && let Some(text) = spec.to_str()
        && let Some((file, n)) = text.rsplit_once('#')
        && let Ok(n) = n.parse()
    {
        return (PathBuf::from(file), Some(n));
    }
    (spec.to_path_buf(), None)
}

/// The input `run` would most likely have been given for `path`: its first folder, if it is
/// relative and lies in one; else the file itself.
fn default_input(path: &Path) -> PathBuf {
    let mut components = path.components();
    match components.next() {
        Some(std::path::Component::Normal(first))
            if path.is_relative() && components.next().is_some() =>
        {
            PathBuf::from(first)
        }
        _ => path.to_path_buf(),
    }
}

/// The document `part` of `file` (the file's only document when `part` is `None`), read as the
/// scan stage reads it.
fn read(file: &SourceFile, part: Option<u32>, opts: &ContainerOptions) -> Result<crate::scan::Row> {
    let wanted = match part {
        Some(n) => format!("{}#{n}", file.name.text),
        None => file.name.text.clone(),
    };
    let named = |item: &std::result::Result<container::Part, crate::source::Skipped>| match item {
        Ok(part) => part.name.text == wanted,
        Err(skipped) => skipped.path.text == wanted,
    };
    let mut parts = container::open(file, opts).enumerate();
    let Some((n, item)) = parts.find(|(_, item)| named(item)) else {
        let what = if part.is_some() {
            format!("holds no document {wanted}")
        } else {
            "holds several documents: name one as FILE#N".to_owned()
        };
        return Err(Error::Usage(format!("{}: {what}", file.path.display())));
    };
    let not_read = |skipped: crate::source::Skipped| {
        if skipped.kind == SkipKind::OutOfResources {
            return Error::OutOfResources {
                path: skipped.path.text,
                message: skipped.message,
            };
        }
        Error::Usage(format!(
            "{} is not read as a document ({}): {}",
            skipped.path,
            skipped.kind.name(),
            skipped.message
        ))
    };
    let row = crate::scan::row(file, n, item.map_err(not_read)?).map_err(not_read)?;
    Ok(row.0)
}

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Where the encoding came from, in words.
fn encoding_source_words(from: crate::decode::EncodingSource) -> &'static str {
    use crate::decode::EncodingSource;
    match from {
        EncodingSource::Bom => "from its byte-order mark",
        EncodingSource::Declared => "declared in the page",
        EncodingSource::Header => "from the HTTP header",
        EncodingSource::Utf8 => "the bytes are UTF-8",
        EncodingSource::Guessed => "guessed from the bytes",
    }
}

/// Renders an explanation; `color` adds ANSI colours.
pub fn render(e: &Explained, color: bool) -> String {
    let paint = |code: &'static str| if color { code } else { "" };
    let mut out = String::new();
    let meta = &e.doc.meta;
    let _ = writeln!(
        out,
        "{}# {}, encoding {} ({}{}), site {}{}",
        paint(DIM),
        match e.doc.format {
            Format::Html => "HTML page",
            Format::Text => "plain text",
        },
        e.doc.decoding.encoding,
        encoding_source_words(e.doc.decoding.from),
        if e.doc.decoding.lossy {
            ", some bytes damaged and replaced"
        } else {
            ""
        },
        printable(&e.site),
        paint(RESET)
    );
    // The title the record gets: from the metadata, else the title line the cleaner found.
    let title = meta.title.clone().or_else(|| {
        e.cleaned
            .title
            .map(|i| e.doc.lines[i].text.trim().to_owned())
    });
    let _ = writeln!(
        out,
        "{}# title: {}{}",
        paint(DIM),
        printable(title.as_deref().unwrap_or("(none found)")),
        paint(RESET)
    );
    if let Some((start, end)) = e.cleaned.body {
        let _ = writeln!(
            out,
            "{}# article body: lines {} to {}{}",
            paint(DIM),
            e.doc.lines[start].number,
            e.doc.lines[end].number,
            paint(RESET)
        );
    }
    if let Some(url) = &meta.url {
        let _ = writeln!(
            out,
            "{}# url {}{}",
            paint(DIM),
            printable(url),
            paint(RESET)
        );
    }
    let width = e.doc.lines.len().to_string().len();
    for (i, line) in e.doc.lines.iter().enumerate() {
        let verdict = e.cleaned.verdicts[i];
        if verdict == Verdict::Blank {
            continue;
        }
        let note = e.cleaned.notes.iter().find(|n| n.index == i);
        let (mark, colour, label) = match (verdict, note) {
            (Verdict::Remove(reason), _) => ("-", RED, reason.name().to_owned()),
            (_, Some(note)) => ("?", YELLOW, format!("{}?", note.rule)),
            _ => ("+", GREEN, String::new()),
        };
        let title = if e.cleaned.title == Some(i) {
            " title"
        } else {
            ""
        };
        let context = if e.doc.format == Format::Html {
            format!(" {}", describe(&line.block))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{}{mark} {:>width$} {:<20}{}{}{title}{} {}{}",
            paint(colour),
            line.number,
            label,
            paint(DIM),
            context,
            paint(RESET),
            printable(&line.text),
            paint(RESET),
        );
        if let Some(note) = note {
            let _ = writeln!(
                out,
                "{}    {:>width$} {}{}",
                paint(DIM),
                "",
                printable(&note.why),
                paint(RESET)
            );
        }
    }
    out
}

/// `text` with every control character (C0, DEL and C1: ESC, BEL, the OSC introducer, carriage
/// return…) written as a Rust escape such as `\u{1b}`, so that it prints as inert text.
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A short description of an HTML line's DOM context: `[p content]`, `[li aside links 80%]`.
pub fn describe(block: &extract::Block) -> String {
    let kind = match block.kind {
        BlockKind::Text => "text".to_owned(),
        BlockKind::Paragraph => "p".to_owned(),
        BlockKind::Heading(n) => format!("h{n}"),
        BlockKind::ListItem => "li".to_owned(),
        BlockKind::Quote => "quote".to_owned(),
        BlockKind::Pre => "pre".to_owned(),
        BlockKind::Cell => "cell".to_owned(),
        BlockKind::Caption => "caption".to_owned(),
    };
    let mut parts = vec![kind];
    for (flag, name) in [
        (flags::IN_CONTENT, "content"),
        (flags::IN_FIGURE, "figure"),
        (flags::IN_ASIDE, "aside"),
        (flags::IN_NAV, "nav"),
        (flags::IN_HEADER, "header"),
        (flags::IN_FOOTER, "footer"),
        (flags::HINT_FURNITURE, "named-furniture"),
        (flags::HINT_CONTENT, "named-content"),
        (flags::HINT_BYLINE, "named-byline"),
    ] {
        if block.has(flag) {
            parts.push(name.to_owned());
        }
    }
    if block.link_percent > 0 {
        parts.push(format!("links {}%", block.link_percent));
    }
    format!("[{}]", parts.join(" "))
}
