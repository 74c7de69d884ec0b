//! Stage 2a: turn a payload's bytes into a [`Document`]: its lines, each with the context it came
//! from, and its metadata.
//!
//! Plain text ([`text`]) is split into lines as they are in the file. HTML ([`html`]) is parsed
//! with scraper, turned into one line per block of visible text in document order, and each line
//! is marked with its DOM context and, when the DOM alone shows it is not article text (a menu, a
//! sidebar, a comment section), the reason it is dropped. The line cleaner ([`crate::clean`]) then
//! decides line by line for both formats alike.
//!
//! Extraction is a pure function of the bytes (and the hints a container gives), so it runs in
//! parallel and its output does not depend on scheduling.

pub(crate) mod author;
pub mod date;
pub mod depth;
mod embedded;
pub(crate) mod header;
pub mod hints;
pub mod html;
pub mod meta;
mod repair;
pub mod text;

use crate::decode::{self, Decoding, Sniffed};
use crate::normalize::Keyer;
use crate::reason::Reason;
use serde::{Deserialize, Serialize};

/// Whether a document came from plain text or HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text.
    Text,
    /// HTML.
    Html,
}

/// What the document says about itself (HTML metadata, a container's URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The canonical URL: `<link rel=canonical>`, `og:url`, JSON-LD `url`, or the container's.
    pub url: Option<String>,
    /// The host of `url`, lowercased, without a leading `www.`.
    pub host: Option<String>,
    /// The title: `og:title`, JSON-LD `headline`, `<title>`, or (text) the first headline line.
    pub title: Option<String>,
    /// The author(s), as written.
    pub author: Option<String>,
    /// The publication date in ISO 8601: `YYYY-MM-DD`, or the metadata's full timestamp
    /// (`2025-09-04T08:30:00+02:00`) when it agrees with the date the page shows.
    pub published: Option<String>,
    /// The language tag (`<html lang>`, `og:locale`, JSON-LD `inLanguage`).
    pub language: Option<String>,
}

/// The kind of block a line of HTML came from. Plain-text lines are all [`BlockKind::Text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlockKind {
    /// A line of a plain-text file.
    Text,
    /// A paragraph or other prose block.
    Paragraph,
    /// A heading, with its level (1–6).
    Heading(u8),
    /// A list item.
    ListItem,
    /// A block quotation.
    Quote,
    /// Preformatted text or code.
    Pre,
    /// A table cell or row.
    Cell,
    /// A figure caption.
    Caption,
}

/// Flags for where in the page a line of HTML sits.
pub mod flags {
    /// Inside the element chosen as the main content.
    pub const IN_CONTENT: u16 = 1 << 0;
    /// Inside `<figure>` or an element whose class says caption or credit.
    pub const IN_FIGURE: u16 = 1 << 1;
    /// Inside `<aside>` or a sidebar-like element.
    pub const IN_ASIDE: u16 = 1 << 2;
    /// Inside `<nav>` or a menu-like element.
    pub const IN_NAV: u16 = 1 << 3;
    /// Inside `<header>` (of the page, not of the article).
    pub const IN_HEADER: u16 = 1 << 4;
    /// Inside `<footer>`.
    pub const IN_FOOTER: u16 = 1 << 5;
    /// Inside an element whose class or id names it as furniture (share, related, promo…).
    pub const HINT_FURNITURE: u16 = 1 << 6;
    /// Inside an element whose class or id names it as the article (article-body, story…).
    pub const HINT_CONTENT: u16 = 1 << 7;
    /// The whole line is the text of one link.
    pub const ALL_LINK: u16 = 1 << 8;
    /// Inside an element whose class names a byline, author or date.
    pub const HINT_BYLINE: u16 = 1 << 9;
    /// The line is the page's main heading (`<h1>` matching the title).
    pub const TITLE: u16 = 1 << 10;
}

/// Where a line came from, beyond its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// The kind of block.
    pub kind: BlockKind,
    /// A set of [`flags`].
    pub flags: u16,
    /// The share of the line's characters inside links, in percent.
    pub link_percent: u8,
    /// Set when the DOM alone shows this line is not article text.
    pub dropped: Option<Reason>,
}

impl Block {
    /// The context of a line of plain text.
    pub const TEXT: Block = Block {
        kind: BlockKind::Text,
        flags: 0,
        link_percent: 0,
        dropped: None,
    };

    /// Whether a flag is set.
    pub fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }
}

/// One line of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// The text, without its line terminator. For HTML, the block's text with whitespace
    /// collapsed.
    pub text: String,
    /// 1-based position in the document's line sequence: the line number in a text file, the
    /// block number in an HTML page. Blank lines of a text file are numbered too.
    pub number: u32,
    /// The normalized key of the line ([`crate::normalize`]), or `None` for blank and letterless
    /// lines.
    pub key: Option<u64>,
    /// Where it came from.
    pub block: Block,
}

impl Line {
    /// Whether the line has no visible text.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// An extracted document: lines in order, and metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Text or HTML.
    pub format: Format,
    /// How the bytes were decoded.
    pub decoding: Decoding,
    /// What the document says about itself.
    pub meta: Meta,
    /// Every line, blank ones included, in document order.
    pub lines: Vec<Line>,
    /// Things worth knowing about how the document was read (markup that had to be repaired…).
    pub notes: Vec<String>,
}

impl Document {
    /// A document with no lines: what is left of a payload chaff could not read at all.
    pub fn nothing(html: bool) -> Document {
        Document {
            format: if html { Format::Html } else { Format::Text },
            decoding: crate::decode::Decoding::utf8(),
            meta: Meta::default(),
            lines: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// What a container tells about a payload, beyond its bytes.
#[derive(Debug, Clone, Default)]
pub struct Hints<'a> {
    /// The lowercase file extension, if any.
    pub extension: Option<&'a str>,
    /// The URL the payload was fetched from.
    pub url: Option<&'a str>,
    /// A charset named by the container (an HTTP `Content-Type` header).
    pub charset: Option<&'a str>,
    /// The payload is known to be HTML (or known to be text) from its container.
    pub html: Option<bool>,
}

/// Why a payload is not a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotADocument {
    /// The payload has no bytes.
    Empty,
    /// The payload is binary; the string says what it looks like.
    Binary(&'static str),
}

/// Decides whether a payload is a document, and whether it is HTML (`Ok(true)`) or plain text
/// (`Ok(false)`).
pub fn sniff(bytes: &[u8], extension: Option<&str>) -> Result<bool, NotADocument> {
    if bytes.is_empty() {
        return Err(NotADocument::Empty);
    }
    match decode::sniff(bytes, extension) {
        Sniffed::Binary(what) => Err(NotADocument::Binary(what)),
        Sniffed::Html => Ok(true),
        Sniffed::Text => Ok(false),
    }
}

/// Extracts a document from a payload already sniffed as HTML or text; see the module docs.
pub fn parse(bytes: &[u8], html: bool, hints: &Hints<'_>) -> Document {
    let mut doc = if html {
        let (source, decoding) = decode::decode(bytes, true, hints.charset);
        html::extract(&source, decoding, hints.url)
    } else {
        let (source, decoding) = decode::decode(bytes, false, hints.charset);
        text::extract(&source, decoding, hints.url)
    };
    let mut keyer = Keyer::default();
    for line in &mut doc.lines {
        line.key = keyer.key(&line.text);
    }
    if doc.decoding.nul_removed > 0 {
        let n = doc.decoding.nul_removed;
        doc.notes.push(format!("{n} NUL bytes removed (not text)"));
    }
    doc
}

/// Sniffs and extracts a payload in one step.
pub fn document(bytes: &[u8], hints: &Hints<'_>) -> Result<Document, NotADocument> {
    let html = match sniff(bytes, hints.extension) {
        Ok(html) => hints.html.unwrap_or(false) || html,
        Err(not) => return Err(not),
    };
    Ok(parse(bytes, html, hints))
}

/// The host of a URL, lowercased, without `www.`; `None` if the URL has no host.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, rest)| rest)?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?.trim_end_matches('.');
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_tidy() {
        assert_eq!(
            host_of("https://WWW.Example.com:8080/a?b#c").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            host_of("http://user@news.example.org/").as_deref(),
            Some("news.example.org")
        );
        assert_eq!(host_of("/relative/path"), None);
    }

    #[test]
    fn binary_and_empty_are_not_documents() {
        let hints = Hints::default();
        assert_eq!(document(b"", &hints), Err(NotADocument::Empty));
        assert!(matches!(
            document(b"\x89PNG\r\n\x1a\nxxxx", &hints),
            Err(NotADocument::Binary(_))
        ));
    }

    #[test]
    fn lines_get_keys() {
        let doc = document(b"Title\n\n0 Comments\n", &Hints::default()).unwrap();
        assert_eq!(doc.lines.len(), 3);
        assert!(doc.lines[0].key.is_some() && doc.lines[1].key.is_none());
        assert_eq!(doc.format, Format::Text);
    }
}
