//! Plain text: one [`Line`] per line of the file, numbered from 1, blank lines included.
//!
//! Line terminators (`\n`, `\r\n`, a lone `\r`) are removed; nothing else in a line is touched.

use super::{Block, Document, Format, Line, Meta, host_of};
use crate::decode::Decoding;

/// Splits decoded text into lines.
pub fn extract(source: &str, decoding: Decoding, url: Option<&str>) -> Document {
    let lines = split_lines(source)
        .enumerate()
        .map(|(i, text)| Line {
            text: text.to_owned(),
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
    fn splits_every_terminator() {
        let lines: Vec<_> = split_lines("a\r\nb\rc\n\nd\n").collect();
        assert_eq!(lines, ["a", "b", "c", "", "d"]);
        assert_eq!(split_lines("").collect::<Vec<_>>(), [""]);
        assert_eq!(split_lines("x").collect::<Vec<_>>(), ["x"]);
    }
}
