//! The furniture lexicon: phrases and keywords of site furniture in English, German, French and
//! Spanish, shipped as data in `src/lexicon/*.txt` and compiled into the binary.
//!
//! The files explain their own format (see `src/lexicon/en.txt`). In short, each entry belongs to
//! a category and is one of: a whole line (`=`), a line prefix (`^`) or a keyword (`~`). The
//! lexicon only answers questions ("is this whole line a known piece of furniture?", "which
//! keywords does this line hold?"); the cleaner decides what the answers mean, with the line's
//! shape and position.

use crate::normalize::{self, normalize};
use crate::reason::Reason;
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// The lexicon files, in the order they are read.
const FILES: [(&str, &str); 4] = [
    ("en", include_str!("lexicon/en.txt")),
    ("de", include_str!("lexicon/de.txt")),
    ("fr", include_str!("lexicon/fr.txt")),
    ("es", include_str!("lexicon/es.txt")),
];

/// What an entry says about a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Furniture that is removed for this reason.
    Furniture(Reason),
    /// A heading that introduces a list of links to other articles.
    RelatedHeading,
    /// Words that address the reader.
    Reader,
    /// Words of reported speech and news narrative.
    Narrative,
    /// Small words allowed inside a share bar.
    Filler,
    /// A photo or news agency.
    Agency,
    /// A word that introduces a credit.
    Credit,
    /// A word of a date or time (month and day names, "a.m.", "Uhr", "updated").
    Date,
}

impl Category {
    fn parse(name: &str) -> Option<Category> {
        Some(match name {
            "related-heading" => Category::RelatedHeading,
            "reader" => Category::Reader,
            "narrative" => Category::Narrative,
            "filler" => Category::Filler,
            "agency" => Category::Agency,
            "credit" => Category::Credit,
            "date" => Category::Date,
            other => Category::Furniture(Reason::from_name(other)?),
        })
    }
}

/// The compiled lexicon.
#[derive(Debug, Default)]
pub struct Lexicon {
    exact: FxHashMap<String, Vec<Category>>,
    /// The same entries by line key ([`normalize::Keyer`]), for lines that already have one.
    exact_keys: FxHashMap<u64, Vec<Category>>,
    prefixes: FxHashMap<String, Vec<(String, Category)>>,
    keywords: FxHashMap<String, Vec<(Vec<String>, Category)>>,
}

/// The lexicon built into chaff.
pub fn builtin() -> &'static Lexicon {
    static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
        let mut lexicon = Lexicon::default();
        for (language, text) in FILES {
            if let Err(problem) = lexicon.add(text) {
                panic!("src/lexicon/{language}.txt: {problem}");
            }
        }
        lexicon
    });
    &LEXICON
}

/// Prefix entries are at most this many words long.
const PREFIX_WORDS: usize = 12;

/// Lowercases, collapses whitespace and folds digit runs to `0`, but keeps punctuation: the form
/// in which prefixes are written and compared.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_digits = false;
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for ch in word.chars() {
            if ch.is_numeric() {
                if !in_digits {
                    out.push('0');
                }
                in_digits = true;
            } else {
                in_digits = false;
                out.extend(ch.to_lowercase());
            }
        }
        in_digits = false;
    }
    out
}

/// The words of a line as the lexicon compares them: lowercase, digit-only words folded to `0`.
pub fn words(text: &str) -> normalize::Words {
    normalize::Words::split(text, false, true)
}

impl Lexicon {
    /// Adds the entries of one lexicon file.
    pub fn add(&mut self, text: &str) -> Result<(), String> {
        let mut category = None;
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                category = Some(
                    Category::parse(name)
                        .ok_or_else(|| format!("line {}: unknown category [{name}]", n + 1))?,
                );
                continue;
            }
            let cat =
                category.ok_or_else(|| format!("line {}: entry before any [category]", n + 1))?;
            let (op, entry) = line
                .split_once(' ')
                .ok_or_else(|| format!("line {}: expected `<op> <text>`", n + 1))?;
            let entry = entry.trim();
            match op {
                "=" => {
                    let normalized = normalize(entry);
                    if let Some(key) = normalize::key_of_normalized(&normalized) {
                        let list = self.exact_keys.entry(key).or_default();
                        if !list.contains(&cat) {
                            list.push(cat);
                        }
                    }
                    let list = self.exact.entry(normalized).or_default();
                    if !list.contains(&cat) {
                        list.push(cat);
                    }
                }
                "^" => {
                    let prefix = fold(entry);
                    if prefix.split(' ').count() > PREFIX_WORDS {
                        return Err(format!(
                            "line {}: a prefix longer than {PREFIX_WORDS} words",
                            n + 1
                        ));
                    }
                    let first = prefix.split(' ').next().unwrap_or_default().to_owned();
                    self.prefixes.entry(first).or_default().push((prefix, cat));
                }
                "~" => {
                    let keyword: Vec<String> = words(entry).iter().map(str::to_owned).collect();
                    let Some(first) = keyword.first().cloned() else {
                        return Err(format!("line {}: keyword without letters", n + 1));
                    };
                    self.keywords.entry(first).or_default().push((keyword, cat));
                }
                other => return Err(format!("line {}: unknown op `{other}`", n + 1)),
            }
        }
        for list in self.prefixes.values_mut() {
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        }
        Ok(())
    }

    /// The categories of a whole line, given in normalized form ([`normalize`]).
    pub fn exact(&self, normalized: &str) -> &[Category] {
        self.exact.get(normalized).map_or(&[], Vec::as_slice)
    }

    /// The categories of a whole line, given its key.
    pub fn exact_key(&self, key: u64) -> &[Category] {
        self.exact_keys.get(&key).map_or(&[], Vec::as_slice)
    }

    /// The longest prefix entry the line starts with, and its category. `text` is the line as
    /// written.
    pub fn prefix(&self, text: &str) -> Option<(&str, Category)> {
        let start = text.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '$');
        // Entries are keyed by their first word (up to a space or a colon): lines whose first
        // word starts no entry need no folding.
        let first_len = start.find([' ', ':']).unwrap_or(start.len());
        let first = &start[..first_len];
        let known = |w: &str| self.prefixes.contains_key(fold(w).as_str());
        if !known(first) && !known(start.split(' ').next().unwrap_or("")) {
            return None;
        }
        // No entry is longer than a dozen words: fold no more of the line than that.
        let head = start
            .split_whitespace()
            .nth(PREFIX_WORDS)
            .map_or(start, |w| {
                &start[..w.as_ptr() as usize - start.as_ptr() as usize]
            });
        let folded = fold(head);
        let first_end = folded.find([' ', ':']).unwrap_or(folded.len());
        let mut best: Option<(&str, Category)> = None;
        let candidates = [&folded[..first_end], folded.split(' ').next().unwrap_or("")];
        for first in candidates {
            for (prefix, cat) in self.prefixes.get(first).into_iter().flatten() {
                if folded.starts_with(prefix.as_str())
                    && boundary(&folded, prefix.len())
                    && best.is_none_or(|(b, _)| prefix.len() > b.len())
                {
                    best = Some((prefix.as_str(), *cat));
                }
            }
        }
        best
    }

    /// Every keyword occurrence in `words` (from [`words`]): (position, length in words,
    /// category). Overlapping keywords are all reported.
    pub fn keywords(&self, words: &normalize::Words) -> Vec<(usize, usize, Category)> {
        let mut hits = Vec::new();
        for (i, word) in words.iter().enumerate() {
            for (keyword, cat) in self.keywords.get(word).into_iter().flatten() {
                let fits = i + keyword.len() <= words.len()
                    && keyword
                        .iter()
                        .enumerate()
                        .all(|(k, w)| words.get(i + k) == w);
                if fits {
                    hits.push((i, keyword.len(), *cat));
                }
            }
        }
        hits
    }

    /// Every keyword of a category, its words joined by single spaces, sorted.
    pub fn entries(&self, category: Category) -> Vec<String> {
        let mut out: Vec<String> = self
            .keywords
            .values()
            .flatten()
            .filter(|(_, c)| *c == category)
            .map(|(words, _)| words.join(" "))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Whether a keyword of `category` (of one or more words) starts with this word.
    pub fn starts_keyword(&self, word: &str, category: Category) -> bool {
        self.keywords
            .get(word)
            .is_some_and(|list| list.iter().any(|(_, c)| *c == category))
    }

    /// Whether a single word is a keyword of `category`.
    pub fn is_keyword(&self, word: &str, category: Category) -> bool {
        self.keywords
            .get(word)
            .is_some_and(|list| list.iter().any(|(k, c)| *c == category && k.len() == 1))
    }
}

/// Whether a prefix of `len` bytes ends at a word boundary of `text`.
fn boundary(text: &str, len: usize) -> bool {
    let Some(next) = text[len..].chars().next() else {
        return true;
    };
    let last = text[..len].chars().next_back();
    !next.is_alphanumeric() || last.is_some_and(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_parse() {
        let lex = builtin();
        assert!(
            lex.exact("exit mobile version")
                .contains(&Category::Furniture(Reason::Navigation))
        );
        assert!(
            lex.exact("0 comments")
                .contains(&Category::Furniture(Reason::CommentPrompt))
        );
        assert!(
            lex.exact("anzeige")
                .contains(&Category::Furniture(Reason::Advertisement))
        );
    }

    #[test]
    fn prefixes_respect_word_boundaries() {
        let lex = builtin();
        let hit = lex.prefix("READ MORE: Fire crews battle blaze");
        assert_eq!(
            hit.map(|h| h.1),
            Some(Category::Furniture(Reason::RelatedLink))
        );
        assert!(lex.prefix("Readers wrote in to say").is_none());
        let credit = lex.prefix("Photo: Jane Roe/Reuters");
        assert_eq!(
            credit.map(|h| h.1),
            Some(Category::Furniture(Reason::PhotoCredit))
        );
        assert!(
            lex.prefix("Photographs of the ceremony were shown")
                .is_none()
        );
        let price = lex.prefix("From $1 for the first month");
        assert_eq!(
            price.map(|h| h.1),
            Some(Category::Furniture(Reason::Subscription))
        );
    }

    #[test]
    fn keywords_match_word_sequences() {
        let lex = builtin();
        let w = words("Already signed up? LOG IN");
        let cats: Vec<_> = lex.keywords(&w).into_iter().map(|h| h.2).collect();
        assert!(cats.contains(&Category::Furniture(Reason::Subscription)));
        let w = words("Page 12 of 30");
        assert_eq!(w.iter().collect::<Vec<_>>(), ["page", "0", "of", "0"]);
    }

    #[test]
    fn bad_lexicon_lines_are_reported() {
        let mut lex = Lexicon::default();
        assert!(lex.add("= orphan").unwrap_err().contains("before any"));
        assert!(
            lex.add("[nonsense]\n= x")
                .unwrap_err()
                .contains("unknown category")
        );
        assert!(
            lex.add("[navigation]\n? x")
                .unwrap_err()
                .contains("unknown op")
        );
    }
}
