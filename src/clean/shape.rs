//! The shape of a line: the measurements the rules look at (words, sentence punctuation, case,
//! script). Computed once per line.

use crate::lexicon;

/// A writing system, as far as the cleaner needs to tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Script {
    /// No letters.
    None,
    /// Latin letters (including accented ones).
    Latin,
    /// Greek.
    Greek,
    /// Cyrillic.
    Cyrillic,
    /// Hebrew.
    Hebrew,
    /// Arabic.
    Arabic,
    /// Han, kana and Hangul.
    Cjk,
    /// Devanagari and other Indic scripts.
    Indic,
    /// Thai, Lao and others.
    Other,
}

/// The script of one letter.
pub fn script_of(ch: char) -> Script {
    match ch as u32 {
        0x0041..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF => Script::Latin,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0400..=0x052F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => Script::Hebrew,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Script::Arabic
        }
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF => {
            Script::Cjk
        }
        0x0900..=0x0DFF => Script::Indic,
        _ => Script::Other,
    }
}

/// Measurements of one line.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Words as the lexicon compares them.
    pub words: crate::normalize::Words,
    /// Characters of the trimmed line.
    pub chars: usize,
    /// Letters in the line.
    pub letters: usize,
    /// The line ends a sentence (`.`, `!`, `?`, `…`, possibly inside closing quotes).
    pub ends_sentence: bool,
    /// The line ends with `?`.
    pub question: bool,
    /// The line ends with `:`.
    pub ends_colon: bool,
    /// The share of words that start with a capital letter, among words that start with a
    /// letter of a cased script.
    pub capitalized: f32,
    /// The script most of the letters are in.
    pub script: Script,
    /// Punctuation marks that separate clauses or sentences (`,` `.` `;` `:` `!` `?` and their
    /// CJK forms) anywhere in the line.
    pub clause_marks: usize,
    /// Words the line has, counted as a CJK reader would: for scripts without spaces, every
    /// two characters count as a word.
    pub word_count: usize,
}

impl Shape {
    /// Measures a line.
    pub fn of(text: &str) -> Shape {
        let trimmed = text.trim();
        let words = lexicon::words(trimmed);
        let mut letters = 0;
        let mut per_script = [0usize; 9];
        let mut cjk = 0;
        let mut chars = 0;
        let mut clause_marks = 0;
        // Words (split at whitespace) whose first letter or digit is of a cased script, and
        // those of them that start with a capital.
        let (mut cased, mut upper) = (0usize, 0usize);
        let mut word_start = true;
        for ch in trimmed.chars() {
            chars += 1;
            if word_start {
                if ch.is_ascii() {
                    if ch.is_ascii_alphanumeric() {
                        word_start = false;
                        if ch.is_ascii_alphabetic() {
                            cased += 1;
                            upper += usize::from(ch.is_ascii_uppercase());
                        }
                    }
                } else if ch.is_alphanumeric() {
                    word_start = false;
                    if ch.is_uppercase() || ch.is_lowercase() {
                        cased += 1;
                        upper += usize::from(ch.is_uppercase());
                    }
                }
            }
            if ch.is_ascii() {
                if ch.is_ascii_whitespace() || ch == '\u{0b}' {
                    word_start = true;
                    continue;
                }
                if ch.is_ascii_alphabetic() {
                    letters += 1;
                    per_script[Script::Latin as usize] += 1;
                } else if matches!(ch, ',' | '.' | ';' | ':' | '!' | '?') {
                    clause_marks += 1;
                }
            } else if matches!(
                ch,
                '，' | '。' | '、' | '；' | '：' | '！' | '？' | '…' | '،' | '؛' | '۔'
            ) {
                clause_marks += 1;
            } else if ch.is_whitespace() {
                word_start = true;
            } else if ch.is_alphabetic() {
                letters += 1;
                let script = script_of(ch);
                per_script[script as usize] += 1;
                if script == Script::Cjk {
                    cjk += 1;
                }
            }
        }
        let script = if letters == 0 {
            Script::None
        } else {
            let best = (1..per_script.len())
                .max_by_key(|&i| (per_script[i], std::cmp::Reverse(i)))
                .unwrap_or(1);
            SCRIPTS[best]
        };
        let end = trimmed
            .trim_end_matches(|c: char| {
                matches!(c, '"' | '\'' | '’' | '”' | '»' | ')' | ']' | '*') || c.is_whitespace()
            })
            .chars()
            .next_back();
        let ends_sentence = matches!(end, Some('.' | '!' | '?' | '…' | '。' | '！' | '？'));
        let question = matches!(end, Some('?' | '？'));
        let ends_colon = trimmed.ends_with(':');
        let capitalized = if cased == 0 {
            0.0
        } else {
            upper as f32 / cased as f32
        };
        let word_count = words
            .len()
            .max(cjk / 2 + words.len().saturating_sub(cjk.min(1)));
        Shape {
            chars,
            clause_marks,
            words,
            letters,
            ends_sentence,
            question,
            ends_colon,
            capitalized,
            script,
            word_count,
        }
    }

    /// A line of running prose: a sentence of twelve or more words, or a line of 25 or more
    /// that has clauses (a clause mark for every 40 words or fewer). A long run of words with no
    /// punctuation at all is a tag cloud or a flattened menu, not prose.
    pub fn is_prose(&self) -> bool {
        (self.word_count >= 12 && self.ends_sentence)
            || (self.word_count >= 25 && self.clause_marks * 40 >= self.word_count)
    }

    /// Short: twelve words or fewer.
    pub fn is_short(&self) -> bool {
        self.word_count <= 12
    }

    /// Shaped like a headline or a link to one: two to twenty words that do not end a
    /// sentence with a full stop (a question is fine).
    pub fn is_headline(&self) -> bool {
        (2..=20).contains(&self.word_count)
            && (!self.ends_sentence || self.question)
            && !self.ends_colon
            && self.letters >= 4
    }
}

const SCRIPTS: [Script; 9] = [
    Script::None,
    Script::Latin,
    Script::Greek,
    Script::Cyrillic,
    Script::Hebrew,
    Script::Arabic,
    Script::Cjk,
    Script::Indic,
    Script::Other,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_sentences_and_headlines() {
        let s = Shape::of(
            "“We’re looking to do more,” he added, and the room went quiet for a while.”",
        );
        assert!(s.ends_sentence && s.is_prose());
        let h = Shape::of("Netanyahu’s Israel Is About to Slam the Door on the Diaspora");
        assert!(h.is_headline() && !h.is_prose() && h.capitalized > 0.6);
        let q = Shape::of("So how will France react?");
        assert!(q.question && q.is_headline());
        assert_eq!(Shape::of("בנימין נתניהו השקת ספר").script, Script::Hebrew);
        assert_eq!(Shape::of("12:30").script, Script::None);
    }

    #[test]
    fn a_long_line_without_clauses_is_not_prose() {
        let tags = "Afghanistan Barack Obama Bid'ah Buku Iman Caleg Dajjal Dinar Ekonomi Fatwa \
                    Gaza Haji Hadits Ibadah Iran Israel Jihad Khawarij Korupsi Libya Mesir \
                    Palestina Puasa Ramadhan Syiah Suriah Tauhid Umrah Wahabi Yaman Zakat";
        let t = Shape::of(tags);
        assert!(t.word_count >= 25 && !t.is_prose(), "{}", t.word_count);
        let long = "The council met on Tuesday and the mayor said the budget would pass \
                    before the summer recess while the opposition asked for more time, and \
                    residents waited outside the hall until late in the evening";
        assert!(
            Shape::of(long).is_prose(),
            "a long sentence without a final stop"
        );
    }

    #[test]
    fn cjk_lines_count_words_by_characters() {
        let s = Shape::of("东京奥运会将于明年七月开幕，组委会今天宣布了新的防疫措施和观众安排。");
        assert_eq!(s.script, Script::Cjk);
        assert!(s.word_count >= 12, "{}", s.word_count);
        assert!(s.is_prose());
    }
}
