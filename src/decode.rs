//! Bytes to text: tell text from HTML from binary, find the encoding, decode.
//!
//! [`sniff`] decides what a payload is from its first bytes (and its name's extension, which only
//! breaks ties): known binary signatures and control-heavy bytes (NUL counts as a control byte)
//! are binary; a document's markup at the start is HTML, and so is a payload that starts with a
//! tag and holds `<html`, `<head`, `<body` or `</html>` anywhere in its first MiB (a head of
//! scripts and styles longer than the first bytes, a damaged doctype); everything else is text.
//!
//! NUL bytes in text are no text at all: [`decode`] removes them wherever they are (in the first
//! 8 KiB or later) and counts them in [`Decoding::nul_removed`], and the document notes it. Text
//! that is mostly NULs (UTF-16 without a byte-order mark, a binary file) is binary instead.
//!
//! [`decode`] turns bytes into a `String` and says how ([`Decoding`]):
//! 1. a byte-order mark wins;
//! 2. then a charset named by the container (the HTTP `Content-Type` of a WARC record), as
//!    browsers put the transport layer before the document;
//! 3. for HTML, a `<meta charset>` or `http-equiv="Content-Type"` declaration in the first
//!    4 KiB (a UTF-16 declaration in a byte stream means UTF-8, as browsers do);
//! 4. bytes that are valid UTF-8 are UTF-8;
//! 5. otherwise, if the bytes hold valid multi-byte UTF-8 sequences they are UTF-8 with some
//!    damage, decoded lossily (invalid bytes become U+FFFD) and flagged `lossy`;
//! 6. otherwise the encoding is guessed with chardetng (windows-1252, ISO-8859-x, GB18030,
//!    Shift_JIS, EUC-KR, …) and flagged `guessed`.
//!
//! Decoding is done by encoding_rs, which follows the WHATWG Encoding Standard.

use encoding_rs::{Encoding, UTF_8};
use serde::{Deserialize, Serialize};

/// What a payload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// Plain text.
    Text,
    /// HTML (or XHTML).
    Html,
    /// Not text; the string says what it looks like.
    Binary(&'static str),
}

/// How a document's bytes were turned into text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decoding {
    /// The WHATWG name of the encoding used, e.g. `UTF-8`, `windows-1252`, `Shift_JIS`.
    pub encoding: String,
    /// Where the encoding came from.
    pub from: EncodingSource,
    /// Whether some bytes were not valid in that encoding and were replaced by U+FFFD.
    pub lossy: bool,
    /// NUL characters (U+0000) removed from the text.
    pub nul_removed: usize,
}

impl Decoding {
    /// Bytes that were valid UTF-8 throughout.
    pub fn utf8() -> Decoding {
        Decoding {
            encoding: UTF_8.name().to_owned(),
            from: EncodingSource::Utf8,
            lossy: false,
            nul_removed: 0,
        }
    }
}

/// Where an encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EncodingSource {
    /// A byte-order mark.
    Bom,
    /// A declaration inside the document (`<meta charset>`).
    Declared,
    /// A declaration by the container (a WARC or HTTP `Content-Type` header).
    Header,
    /// The bytes are UTF-8 (wholly, or but for damaged bytes).
    Utf8,
    /// Guessed from byte statistics.
    Guessed,
}

/// Decides whether `bytes` are text, HTML or binary. `extension` is the lowercase file extension,
/// if any.
pub fn sniff(bytes: &[u8], extension: Option<&str>) -> Sniffed {
    if let Some(kind) = binary_signature(bytes) {
        return Sniffed::Binary(kind);
    }
    let head = &bytes[..bytes.len().min(8192)];
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    if !utf16 {
        let control = head
            .iter()
            .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B))
            .count();
        if control * 20 > head.len().max(1) {
            return Sniffed::Binary("binary data (control bytes)");
        }
    }
    if looks_like_html(head) || (starts_with_tag(bytes) && has_document_markup(bytes)) {
        return Sniffed::Html;
    }
    match extension {
        Some("html" | "htm" | "xhtml" | "shtml") if has_markup(bytes) => Sniffed::Html,
        _ => Sniffed::Text,
    }
}

/// How far into a payload the markup checks look: far enough for a head of inline scripts and
/// styles, bounded so that a large text file costs little.
const MARKUP_SCAN: usize = 1 << 20;

/// Whether the first non-blank byte (after a BOM) opens a tag, a comment or a declaration:
/// `<` followed by a letter, `!` or `?`.
fn starts_with_tag(bytes: &[u8]) -> bool {
    let start = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    let mut rest = start.iter().skip_while(|b| b.is_ascii_whitespace());
    rest.next() == Some(&b'<')
        && rest
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'!' | b'?'))
}

/// Whether the payload holds the tags of an HTML document (`<html`, `<head`, `<body` or
/// `</html>`) anywhere in its first MiB, whatever comes before them: a head made of scripts and
/// styles, or a damaged doctype.
fn has_document_markup(bytes: &[u8]) -> bool {
    let scan = &bytes[..bytes.len().min(MARKUP_SCAN)];
    [&b"<html"[..], b"<head", b"<body", b"</html"]
        .iter()
        .any(|tag| find_ci(scan, tag, true))
}

/// Whether `tag` (lowercase, starting with `<`) occurs in `hay`, in any case; with `whole`,
/// only where a character that ends a tag name follows it.
fn find_ci(hay: &[u8], tag: &[u8], whole: bool) -> bool {
    memchr::memchr_iter(b'<', hay).any(|at| {
        let rest = &hay[at..];
        rest.len() > tag.len()
            && rest[..tag.len()].eq_ignore_ascii_case(tag)
            && (!whole
                || matches!(
                    rest[tag.len()],
                    b' ' | b'>' | b'/' | b'\t' | b'\n' | b'\r' | 0x0C
                ))
    })
}

fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF-", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"RIFF", "a RIFF file (WebP, WAV, AVI)"),
        (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
        (b"\x1F\x8B", "gzip-compressed data"),
        (b"BZh", "bzip2-compressed data"),
        (b"\xFD7zXZ\x00", "xz-compressed data"),
        (b"\x28\xB5\x2F\xFD", "zstd-compressed data"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
        (b"\x7FELF", "an executable"),
        (b"\x00\x00\x01\x00", "an icon"),
        (b"wOFF", "a web font"),
        (b"wOF2", "a web font"),
        (b"\x00asm", "WebAssembly"),
        (b"ID3", "an MP3 file"),
        (b"OggS", "an Ogg file"),
        (b"fLaC", "a FLAC file"),
        (b"\x1A\x45\xDF\xA3", "a Matroska/WebM video"),
    ];
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some("an MP4/QuickTime video");
    }
    SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)
}

/// The first 1 KiB after a BOM and whitespace starts like an HTML document.
fn looks_like_html(head: &[u8]) -> bool {
    let start = head
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(head);
    let start = &start[start
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(start.len())..];
    let lower: Vec<u8> = start
        .iter()
        .take(1024)
        .map(u8::to_ascii_lowercase)
        .collect();
    const STARTS: &[&[u8]] = &[
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<?xml",
        b"<!--",
        b"<meta",
        b"<title",
    ];
    if !STARTS.iter().any(|s| lower.starts_with(s)) {
        return false;
    }
    if lower.starts_with(b"<?xml") || lower.starts_with(b"<!--") {
        return find(&lower, b"<html").is_some() || find(&lower, b"<!doctype html").is_some();
    }
    true
}

/// Whether the payload (its first MiB) holds common tags of a page or a fragment.
fn has_markup(bytes: &[u8]) -> bool {
    let scan = &bytes[..bytes.len().min(MARKUP_SCAN)];
    [
        &b"<p"[..],
        b"<div",
        b"<html",
        b"<body",
        b"<br",
        b"<a ",
        b"<h1",
    ]
    .iter()
    .any(|tag| find_ci(scan, tag, false))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes `bytes`; see the module docs for the order of evidence. `html` enables the
/// `<meta charset>` prescan; `declared` is a charset label from a container header.
pub fn decode(bytes: &[u8], html: bool, declared: Option<&str>) -> (String, Decoding) {
    let (mut text, mut decoding) = decode_with_nuls(bytes, html, declared);
    if text.contains('\0') {
        let before = text.len();
        text.retain(|c| c != '\0');
        decoding.nul_removed = before - text.len();
    }
    (text, decoding)
}

fn decode_with_nuls(bytes: &[u8], html: bool, declared: Option<&str>) -> (String, Decoding) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return finish(encoding, &bytes[bom_len..], EncodingSource::Bom);
    }
    if let Some(encoding) = declared.and_then(|label| Encoding::for_label(label.as_bytes())) {
        return finish(for_bytes(encoding), bytes, EncodingSource::Header);
    }
    if html && let Some(encoding) = meta_charset(bytes) {
        return finish(encoding, bytes, EncodingSource::Declared);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_owned(), Decoding::utf8());
    }
    if mostly_utf8(bytes) {
        return finish(UTF_8, bytes, EncodingSource::Utf8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    finish(guess, bytes, EncodingSource::Guessed)
}

fn finish(encoding: &'static Encoding, bytes: &[u8], from: EncodingSource) -> (String, Decoding) {
    let (text, lossy) = encoding.decode_without_bom_handling(bytes);
    (
        text.into_owned(),
        Decoding {
            encoding: encoding.name().to_owned(),
            from,
            lossy,
            nul_removed: 0,
        },
    )
}

/// UTF-16 named by a declaration inside a byte stream cannot be right (the declaration itself
/// was readable as ASCII); browsers read such pages as UTF-8, and so do we.
fn for_bytes(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        UTF_8
    } else if encoding == encoding_rs::X_USER_DEFINED {
        encoding_rs::WINDOWS_1252
    } else {
        encoding
    }
}

/// Whether the bytes read best as damaged UTF-8: they hold more well-formed multi-byte UTF-8
/// sequences than malformed ones (or as many). (Text in a legacy multi-byte encoding such as Shift_JIS or GBK
/// forms a valid UTF-8 sequence now and then by chance, but far more invalid ones; UTF-8 text
/// with a stray byte is the other way round.)
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        let (good, skip) = match std::str::from_utf8(rest) {
            Ok(text) => (text, None),
            Err(err) => {
                let good = std::str::from_utf8(&rest[..err.valid_up_to()]).expect("checked");
                let bad = err.error_len().unwrap_or(rest.len() - err.valid_up_to());
                (good, Some(err.valid_up_to() + bad))
            }
        };
        valid += good.chars().filter(|c| !c.is_ascii()).count();
        match skip {
            Some(skip) if skip < rest.len() => {
                invalid += 1;
                rest = &rest[skip..];
            }
            Some(_) => return valid > 0 && valid > invalid,
            None => return valid > 0 && valid >= invalid,
        }
    }
}

/// Finds a charset declared by a `<meta>` element in the first 4 KiB.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head: Vec<u8> = bytes
        .iter()
        .take(4096)
        .map(u8::to_ascii_lowercase)
        .collect();
    let mut at = 0;
    while let Some(pos) = find(&head[at..], b"<meta") {
        let start = at + pos;
        let end = head[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(label) = charset_in(tag)
            && let Some(encoding) = Encoding::for_label(label)
        {
            return Some(for_bytes(encoding));
        }
        at = end;
        if at >= head.len() {
            break;
        }
    }
    None
}

/// The value after `charset=` inside a (lowercased) meta tag.
fn charset_in(tag: &[u8]) -> Option<&[u8]> {
    let pos = find(tag, b"charset")?;
    let mut rest = &tag[pos + b"charset".len()..];
    rest = trim_start(rest);
    rest = rest.strip_prefix(b"=")?;
    rest = trim_start(rest);
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|&b| {
            matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>') || b.is_ascii_whitespace()
        })
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let n = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_binary_html_and_text() {
        assert_eq!(
            sniff(b"%PDF-1.7\n...", None),
            Sniffed::Binary("a PDF document")
        );
        assert!(matches!(sniff(b"a\0b\0c\0", None), Sniffed::Binary(_)));
        assert_eq!(sniff(b"a few words\0 and a NUL", None), Sniffed::Text);
        assert_eq!(sniff(b"\n  <!DOCTYPE html><p>x", None), Sniffed::Html);
        assert_eq!(
            sniff(b"Just a line.\nAnother.", Some("html")),
            Sniffed::Text
        );
        assert_eq!(
            sniff(b"<div><p>Frag</p></div>", Some("html")),
            Sniffed::Html
        );
        assert_eq!(sniff(b"Plain <b>words</b>", Some("txt")), Sniffed::Text);
    }

    #[test]
    fn html_is_found_past_a_long_head_of_scripts_or_a_damaged_doctype() {
        let script = format!("<script>{}</script>", "var a = 1;\n".repeat(2000));
        let page = format!("{script}\n<html><head></head><body><p>Words.</p></body></html>");
        assert!(page.len() > 16 * 1024);
        assert_eq!(sniff(page.as_bytes(), None), Sniffed::Html);
        let tail = format!(
            "<style>{}</style><div><p>Words.</p></div>",
            "p{x:y}".repeat(3000)
        );
        assert_eq!(sniff(tail.as_bytes(), Some("htm")), Sniffed::Html);
        assert_eq!(sniff(tail.as_bytes(), None), Sniffed::Text);
        assert_eq!(
            sniff(
                b"<!DOCTYPE htm PUBLIC\n<HEAD><TITLE>t</TITLE></HEAD><BODY>x",
                None
            ),
            Sniffed::Html
        );
        assert_eq!(sniff(b"<b>Bold</b> words, no page.", None), Sniffed::Text);
        assert_eq!(sniff(b"<html>x", None), Sniffed::Html);
        assert_eq!(
            sniff(b"a < b and <body is not a start", None),
            Sniffed::Text
        );
    }

    #[test]
    fn meta_charset_is_honoured() {
        let page = b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9</body></html>";
        let (text, how) = decode(page, true, None);
        assert!(text.contains("café"));
        assert_eq!(how.from, EncodingSource::Declared);
        assert_eq!(how.encoding, "windows-1252");
        let equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">\x93\xfa\x96\x7b";
        let (text, how) = decode(equiv, true, None);
        assert_eq!(how.encoding, "Shift_JIS");
        assert!(text.ends_with("日本"), "{text}");
    }

    #[test]
    fn damaged_utf8_is_lossy_and_legacy_bytes_are_guessed() {
        let (text, how) = decode("naïve \u{2014} ok\n".as_bytes(), false, None);
        assert!(!how.lossy && how.from == EncodingSource::Utf8 && text.contains('ï'));
        let (text, how) = decode(b"na\xc3\xafve and a bad \xff byte", false, None);
        assert!(how.lossy && how.from == EncodingSource::Utf8);
        assert!(text.contains('\u{fffd}') && text.contains("naïve"));
        let (text, how) = decode(b"Der B\xe4r l\xe4uft \xfcber die Stra\xdfe.", false, None);
        assert_eq!(how.from, EncodingSource::Guessed);
        assert!(text.contains("Straße"), "{text}");
    }

    #[test]
    fn undeclared_shift_jis_is_guessed_even_where_it_looks_like_utf8_by_chance() {
        // "駅前に新しい図書館が開館" in Shift_JIS: one pair of its bytes happens to be valid
        // UTF-8, the rest is not.
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("駅前に新しい図書館が開館しました。");
        let (text, how) = decode(&bytes, true, None);
        assert_eq!(
            (how.encoding.as_str(), how.from),
            ("Shift_JIS", EncodingSource::Guessed)
        );
        assert!(!how.lossy && text.contains("図書館"), "{text}");
    }

    #[test]
    fn nuls_are_removed_and_counted() {
        let (text, how) = decode(b"one\0 two\0\0", false, None);
        assert_eq!((text.as_str(), how.nul_removed), ("one two", 3));
        let (text, how) = decode(b"\xFF\xFEa\0b\0", false, None);
        assert_eq!(
            (text.as_str(), how.nul_removed),
            ("ab", 0),
            "UTF-16 zeros are not NULs"
        );
    }

    #[test]
    fn bom_wins() {
        let (text, how) = decode(b"\xEF\xBB\xBFhello", true, None);
        assert_eq!((text.as_str(), how.from), ("hello", EncodingSource::Bom));
    }
}
