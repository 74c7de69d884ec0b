//! `chaff explain`: one document, line by line, each marked kept or removed with its reason.
//!
//! [`explain`] extracts and cleans a single file (with a given model, or an empty one) and
//! [`render`] prints the result: a margin of `+` (kept), `-` (removed) or `?` (kept in doubt),
//! the line number, the reason, and the text. For HTML it also shows the block kind and DOM
//! context. Colour is for terminals only; the words are the same either way.
//!
//! Everything taken from the page (its text, title, URL, site, and the cleaner's notes that quote
//! it) is printed with its control characters escaped ([`printable`]): a page cannot move the
//! cursor, set the terminal's title (OSC), ring the bell or inject a hyperlink.

use crate::clean::{self, CleanOptions, Cleaned, Learning, Verdict};
use crate::error::{Error, Result};
use crate::extract::{self, BlockKind, Document, Format, Hints, flags};
use crate::model::LineModel;
use std::fmt::Write;
use std::path::Path;

/// A document and what the cleaner made of it.
#[derive(Debug)]
pub struct Explained {
    /// The extracted document.
    pub doc: Document,
    /// The cleaner's verdicts.
    pub cleaned: Cleaned,
    /// The site used to look up learned counts.
    pub site: String,
}

/// Extracts and cleans one file. Without a model, only the lexicon, shape and structure rules
/// apply (a single document teaches no frequencies).
pub fn explain(
    path: &Path,
    model: Option<&LineModel>,
    max_bytes: u64,
    opts: &CleanOptions,
) -> Result<Explained> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Input {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.len() > max_bytes {
        return Err(Error::Usage(format!(
            "{} is {} bytes, more than --max-bytes {max_bytes}",
            path.display(),
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|source| Error::Input {
        path: path.to_path_buf(),
        source,
    })?;
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let hints = Hints {
        extension: extension.as_deref(),
        ..Hints::default()
    };
    let doc = extract::document(&bytes, &hints).map_err(|not| {
        Error::Usage(format!(
            "{} is not a document: {}",
            path.display(),
            match not {
                extract::NotADocument::Empty => "it is empty".to_owned(),
                extract::NotADocument::Binary(what) => format!("it looks like {what}"),
            }
        ))
    })?;
    let empty = LineModel::default();
    let model = model.unwrap_or(&empty);
    let site = doc.meta.host.clone().unwrap_or_else(|| {
        path.parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| ".".to_owned())
    });
    let learning = Learning {
        model,
        site: model.find_site(&site),
    };
    let cleaned = clean::apply(&doc, learning, opts);
    Ok(Explained { doc, cleaned, site })
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
