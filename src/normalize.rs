//! Line normalization: the form in which lines are counted, compared and looked up.
//!
//! A line is normalized by folding case, collapsing every run of whitespace to one space, folding
//! every run of digits to a single `0`, and trimming everything that is not a letter or digit from
//! both ends. So `"  Posted 12:30 PM — 3 Comments »"` becomes `"posted 0:0 pm — 0 comments"`.
//! Lines that normalize to something without a letter carry no key: they are too generic to
//! count (a lone number, a row of dashes).
//!
//! The key of a line is the 64-bit XXH3 hash of its normalized form. XXH3 is specified and stable
//! across platforms and versions, so keys in saved models stay valid. [`VERSION`] names this
//! normalization; a model records it and refuses to load under another.

use xxhash_rust::xxh3::xxh3_64;

/// The version of the normalization; models built under another version cannot be used.
pub const VERSION: u32 = 1;

/// Writes the normalized form of `line` into `out` (cleared first); see the module docs.
pub fn normalize_into(line: &str, out: &mut String) {
    out.clear();
    let mut pending_space = false;
    let mut in_digits = false;
    for ch in line.chars() {
        // ASCII first: most lines are ASCII, and Unicode's tables are slower to ask.
        let space = if ch.is_ascii() {
            ch.is_ascii_whitespace() || ch == '\u{0b}'
        } else {
            ch.is_whitespace()
        };
        if space {
            pending_space = !out.is_empty();
            in_digits = false;
            continue;
        }
        if ch.is_ascii_digit() || (!ch.is_ascii() && ch.is_numeric()) {
            if in_digits && !pending_space {
                continue;
            }
            push_space(out, &mut pending_space);
            out.push('0');
            in_digits = true;
            continue;
        }
        in_digits = false;
        push_space(out, &mut pending_space);
        if ch.is_ascii() {
            out.push(ch.to_ascii_lowercase());
        } else {
            out.extend(ch.to_lowercase());
        }
    }
    trim_symbols(out);
}

fn push_space(out: &mut String, pending_space: &mut bool) {
    if *pending_space {
        out.push(' ');
        *pending_space = false;
    }
}

/// Trims everything that is not a letter or digit from both ends, in place.
fn trim_symbols(out: &mut String) {
    let end = out
        .char_indices()
        .rev()
        .find(|(_, c)| is_alphanumeric(*c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    out.truncate(end);
    let start = out
        .char_indices()
        .find(|(_, c)| is_alphanumeric(*c))
        .map(|(i, _)| i)
        .unwrap_or(out.len());
    out.drain(..start);
}

/// The normalized form of `line` as a new string.
pub fn normalize(line: &str) -> String {
    let mut out = String::new();
    normalize_into(line, &mut out);
    out
}

/// The key of an already normalized line, or `None` if it holds no letter.
pub fn key_of_normalized(normalized: &str) -> Option<u64> {
    if normalized.chars().any(char::is_alphabetic) {
        Some(xxh3_64(normalized.as_bytes()))
    } else {
        None
    }
}

/// Normalizes lines and hashes them, reusing one buffer.
#[derive(Debug, Default)]
pub struct Keyer {
    buf: String,
}

impl Keyer {
    /// The key of `line`, or `None` if it normalizes to nothing with a letter in it.
    pub fn key(&mut self, line: &str) -> Option<u64> {
        normalize_into(line, &mut self.buf);
        key_of_normalized(&self.buf)
    }
}

/// The words of a line, lowercased, in one buffer: no allocation per word.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    text: String,
    spans: Vec<(u32, u32)>,
}

impl Words {
    /// Splits a line into lowercase words: runs of letters and digits, with apostrophes and
    /// hyphens inside a word kept. With `camel`, words glued in camel case are split
    /// (`e-mailSend` → `e-mail`, `send`); with `fold_digits`, a word of digits only becomes `0`.
    pub fn split(line: &str, camel: bool, fold_digits: bool) -> Words {
        let mut words = Words {
            text: String::with_capacity(line.len()),
            spans: Vec::new(),
        };
        if line.is_ascii() {
            words.split_ascii(line.as_bytes(), camel, fold_digits);
            return words;
        }
        let mut start: Option<usize> = None;
        let mut digits_only = true;
        let mut prev: Option<char> = None;
        let mut chars = line.chars();
        let mut next = chars.next();
        while let Some(ch) = next {
            next = chars.next();
            let alphanumeric = is_alphanumeric(ch);
            let joiner = !alphanumeric
                && matches!(ch, '\'' | '’' | '-')
                && prev.is_some_and(is_alphanumeric)
                && next.is_some_and(is_alphanumeric);
            if alphanumeric || joiner {
                let camel_break = camel && is_uppercase(ch) && prev.is_some_and(is_lowercase);
                if camel_break {
                    words.end(&mut start, &mut digits_only, fold_digits);
                }
                if start.is_none() {
                    start = Some(words.text.len());
                }
                if ch.is_ascii() {
                    digits_only &= ch.is_ascii_digit();
                    words.text.push(ch.to_ascii_lowercase());
                } else {
                    digits_only &= ch.is_numeric();
                    words.text.extend(ch.to_lowercase());
                }
            } else {
                words.end(&mut start, &mut digits_only, fold_digits);
            }
            prev = Some(ch);
        }
        words.end(&mut start, &mut digits_only, fold_digits);
        words
    }

    /// [`Words::split`] of an ASCII line, byte by byte: the same words.
    fn split_ascii(&mut self, line: &[u8], camel: bool, fold_digits: bool) {
        let mut start: Option<usize> = None;
        let mut digits_only = true;
        for (i, &b) in line.iter().enumerate() {
            let prev = i.checked_sub(1).map(|p| line[p]);
            let alphanumeric = b.is_ascii_alphanumeric();
            let joiner = !alphanumeric
                && matches!(b, b'\'' | b'-')
                && prev.is_some_and(|p| p.is_ascii_alphanumeric())
                && line.get(i + 1).is_some_and(u8::is_ascii_alphanumeric);
            if alphanumeric || joiner {
                if camel && b.is_ascii_uppercase() && prev.is_some_and(|p| p.is_ascii_lowercase()) {
                    self.end(&mut start, &mut digits_only, fold_digits);
                }
                if start.is_none() {
                    start = Some(self.text.len());
                }
                digits_only &= b.is_ascii_digit();
                self.text.push(char::from(b.to_ascii_lowercase()));
            } else {
                self.end(&mut start, &mut digits_only, fold_digits);
            }
        }
        self.end(&mut start, &mut digits_only, fold_digits);
    }

    fn end(&mut self, start: &mut Option<usize>, digits_only: &mut bool, fold_digits: bool) {
        if let Some(s) = start.take() {
            if fold_digits && *digits_only {
                self.text.truncate(s);
                self.text.push('0');
            }
            self.spans.push((s as u32, self.text.len() as u32));
        }
        *digits_only = true;
    }

    /// The number of words.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether there are no words.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Word `i`.
    pub fn get(&self, i: usize) -> &str {
        let (a, b) = self.spans[i];
        &self.text[a as usize..b as usize]
    }

    /// The words in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.spans
            .iter()
            .map(|&(a, b)| &self.text[a as usize..b as usize])
    }
}

/// [`char::is_alphanumeric`], asking Unicode's tables only outside ASCII.
pub(crate) fn is_alphanumeric(ch: char) -> bool {
    if ch.is_ascii() {
        ch.is_ascii_alphanumeric()
    } else {
        ch.is_alphanumeric()
    }
}

fn is_uppercase(ch: char) -> bool {
    if ch.is_ascii() {
        ch.is_ascii_uppercase()
    } else {
        ch.is_uppercase()
    }
}

fn is_lowercase(ch: char) -> bool {
    if ch.is_ascii() {
        ch.is_ascii_lowercase()
    } else {
        ch.is_lowercase()
    }
}

/// Splits a line into lowercase words: runs of letters and digits, with apostrophes and hyphens
/// inside a word kept.
#[cfg(test)]
pub fn words(line: &str) -> Vec<String> {
    Words::split(line, false, false)
        .iter()
        .map(str::to_owned)
        .collect()
}

/// Like [`words`], but also splits words glued in camel case (`e-mailSend` → `e-mail`, `send`).
pub fn words_split_camel(line: &str) -> Vec<String> {
    Words::split(line, true, false)
        .iter()
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_space_digits_and_trims() {
        assert_eq!(
            normalize("  Posted 12:30 PM —  3 Comments »"),
            "posted 0:0 pm — 0 comments"
        );
        assert_eq!(normalize("<< Home"), "home");
        assert_eq!(normalize("“Quoted.”"), "quoted");
        assert_eq!(normalize("ÉTÉ 2015"), "été 0");
        assert_eq!(normalize("---"), "");
    }

    #[test]
    fn keys_need_a_letter() {
        let mut keyer = Keyer::default();
        assert_eq!(keyer.key("12 345"), None);
        assert_eq!(keyer.key("***"), None);
        assert_eq!(keyer.key("0 Comments"), keyer.key("17 comments:"));
        assert_ne!(keyer.key("Home"), keyer.key("Homes"));
    }

    #[test]
    fn ascii_lines_split_as_any_line_does() {
        // A trailing non-ASCII character sends the same words down the general path.
        for line in [
            "Send in e-mailSend in e-mail",
            "don't stop-gap 'x' -y- 2024 12:30 a1b2 USAToday iPhone",
            "",
            "--- ' - '",
        ] {
            let wide = format!("{line} é");
            for (camel, fold) in [(false, false), (true, false), (false, true), (true, true)] {
                let ascii = Words::split(line, camel, fold);
                let general = Words::split(&wide, camel, fold);
                let words: Vec<&str> = ascii.iter().collect();
                let general: Vec<&str> = general.iter().collect();
                assert_eq!(
                    words[..],
                    general[..general.len() - 1],
                    "{line:?} {camel} {fold}"
                );
            }
        }
    }

    #[test]
    fn words_split_camel_case_and_keep_inner_marks() {
        assert_eq!(
            words_split_camel("Send in e-mailSend in e-mail"),
            ["send", "in", "e-mail", "send", "in", "e-mail"]
        );
        assert_eq!(words("WhatsApp e-mailSend"), ["whatsapp", "e-mailsend"]);
        assert_eq!(words("don’t stop-gap 'x'"), ["don’t", "stop-gap", "x"]);
    }
}
