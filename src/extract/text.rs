//! Plain text: one [`Line`] per line of the file, numbered from 1, blank lines included.
//!
//! Line terminators (`\n`, `\r\n`, a lone `\r`) are removed, and so are the characters that are
//! never seen ([`strip_invisible`]: soft hyphens and zero-width spaces); nothing else in a line is
//! touched.

use super::{Block, Document, Format, Line, Meta, host_of};
use crate::decode::Decoding;
use std::borrow::Cow;

/// Whether a character is never seen in running text: a soft hyphen (shown only where a word is
/// broken at a line end), a zero-width space, a word joiner, a zero-width no-break space (a BOM
/// inside the text) or a Mongolian vowel separator. Zero-width joiners and non-joiners stay:
/// they change how the letters around them are drawn.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}'
    )
}

/// The text without its invisible characters ([`is_invisible`]), so that a word broken by a
/// soft hyphen or a zero-width space reads as one word.
pub(crate) fn strip_invisible(text: &str) -> Cow<'_, str> {
    if text.contains(is_invisible) {
        Cow::Owned(text.chars().filter(|&c| !is_invisible(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// Splits decoded text into lines.
pub fn extract(source: &str, decoding: Decoding, url: Option<&str>) -> Document {
    let lines = split_lines(source)
        .enumerate()
        .map(|(i, text)| Line {
            text: strip_invisible(text).into_owned(),
            number: i as u32 + 1,
            key: None,
            block: Block::TEXT,
        })
        .collect();
    Document {
        format: Format::Text,
        decoding,
        meta: Meta {
            url: url.map(str::to_owned),
            host: url.and_then(host_of),
            ..Meta::default()
        },
        lines,
        notes: Vec::new(),
    }
}

/// The lines of a text, split on `\n`, `\r\n` or a lone `\r`; a final terminator does not start
/// an empty line.
pub fn split_lines(source: &str) -> impl Iterator<Item = &str> {
    let source = source
        .strip_suffix("\r\n")
        .or_else(|| source.strip_suffix('\n'))
        .or_else(|| source.strip_suffix('\r'))
        .unwrap_or(source);
    let mut rest = Some(source);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.find(['\n', '\r']) {
            Some(i) => {
                let next = if text[i..].starts_with("\r\n") {
                    i + 2
                } else {
                    i + 1
                };
                rest = Some(&text[next..]);
                Some(&text[..i])
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_removed() {
        assert_eq!(strip_invisible("infor\u{AD}ma\u{200B}tion"), "information");
        assert!(matches!(strip_invisible("plain"), Cow::Borrowed(_)));
        assert_eq!(strip_invisible("a\u{200D}b"), "a\u{200D}b");
        let doc = extract("soft\u{AD}ware\n", Decoding::utf8(), None);
        assert_eq!(doc.lines[0].text, "software");
    }

    #[test]
    fn splits_every_terminator() {
        let lines: Vec<_> = split_lines("a\r\nb\rc\n\nd\n").collect();
        assert_eq!(lines, ["a", "b", "c", "", "d"]);
        assert_eq!(split_lines("").collect::<Vec<_>>(), [""]);
        assert_eq!(split_lines("x").collect::<Vec<_>>(), ["x"]);
    }
}
