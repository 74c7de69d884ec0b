//! Author names as a page writes them: reading a name out of a byline ("By Ana Ruiz and Bo Li |
//! March 3, 2025", "Ana RuizPublished 2 hours ago", "Dr. Ana Ruiz, MD") and telling a name from
//! a label, a date or a sentence.
//!
//! [`name_in`] cleans one piece of text into a name or gives nothing; [`from_pieces`] reads the
//! text pieces of an author element (`itemprop=author`, `rel=author`, a `byline` class), where
//! a label piece ("Written by") announces the name and a review credit ("Fact checked by") names
//! someone who is not the author.

use super::date;

/// Words that introduce a name at the start of a byline, lowercase, longest first.
const PREFIXES: &[&str] = &[
    "written by",
    "posted by",
    "words by",
    "story by",
    "text by",
    "authored by",
    "published by",
    "author:",
    "authors:",
    "by:",
    "by",
    "von",
    "par",
    "por",
];

/// Words that, glued to the end of a name or following it, start something else.
const STOPS: &[&str] = &[
    "Published",
    "Updated",
    "Posted",
    "Modified",
    "Last",
    "Reviewed",
    "Fact",
    "Edited",
    "Read",
    "Share",
    "Follow",
    "View",
    "More",
];

/// Labels alone on a line or in a piece that announce the name after them.
const LABELS: &[&str] = &[
    "by",
    "author",
    "authors",
    "written by",
    "posted by",
    "words by",
    "about the author",
    "meet the author",
];

/// Words that are never the name of an author on their own.
const NOT_NAMES: &[&str] = &[
    "share",
    "follow",
    "published",
    "updated",
    "contributor",
    "contributors",
    "editor",
    "editors",
    "home",
    "blog",
    "facebook",
    "twitter",
    "linkedin",
    "email",
    "instagram",
    "admin",
    "administrator",
    "guest",
    "anonymous",
    "unknown",
];

/// Credits of people who checked or illustrated a piece, not wrote it (lowercase endings).
const OTHER_CREDITS: &[&str] = &[
    "reviewed by",
    "checked by",
    "edited by",
    "photos by",
    "photo by",
    "photography by",
    "illustrated by",
    "illustration by",
    "illustrations by",
    "produced by",
    "narrated by",
];

/// Lowercase words that may stand inside a name (particles and joins).
const PARTICLES: &[&str] = &[
    "and", "&", "de", "van", "von", "der", "den", "la", "le", "del", "da", "di", "du", "dos", "y",
    "bin", "al", "el", "ter", "te", "zu", "und", "et",
];

/// Whether a piece of text is only a label ("By", "Written by:", "Author").
pub(crate) fn is_label(text: &str) -> bool {
    let t = text
        .trim()
        .trim_end_matches([':', '.', '|', '-', '–', '—'])
        .trim();
    let lower = t.to_lowercase();
    LABELS.contains(&lower.as_str()) || PREFIXES.iter().any(|p| lower == p.trim_end_matches(':'))
}

fn is_not_name(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    NOT_NAMES.contains(&lower.as_str()) || is_label(&lower)
}

/// Whether a piece of text credits someone other than the author ("Medically reviewed by").
pub(crate) fn is_other_credit(text: &str) -> bool {
    let lower = text.trim().trim_end_matches(':').trim().to_lowercase();
    OTHER_CREDITS.iter().any(|c| lower.ends_with(c))
}

/// How strictly a piece must read as a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strictness {
    /// Every word capitalized (particles aside): text that is only sometimes a name.
    Capitalized,
    /// Also a lowercase handle (`jsmith`): text an element marks as its author.
    Marked,
}

/// Cuts `text` before the first of `STOPS` glued to a lowercase letter ("RuizPublished") or
/// standing as its own word ("Ruiz Updated").
fn cut_at_stops(text: &str) -> &str {
    let mut end = text.len();
    for stop in STOPS.iter().copied().chain(MONTH_WORDS.iter().copied()) {
        for (i, _) in text.match_indices(stop) {
            let before = text[..i].chars().next_back();
            let after = text[i + stop.len()..].chars().next();
            let glued = before.is_some_and(char::is_lowercase);
            let spaced = before.is_some_and(char::is_whitespace);
            let word_ends = after.is_none_or(|c| !c.is_alphabetic());
            if i > 0 && (glued || spaced) && word_ends {
                end = end.min(i);
                break;
            }
        }
    }
    &text[..end]
}

/// Month names that end a name glued to a date ("ZeldmanNovember 3").
const MONTH_WORDS: &[&str] = &[
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Removes a leading byline prefix ("By ", "Written by ", "Author: ").
fn strip_prefix(text: &str) -> &str {
    // "ByAna Ruiz": the prefix glued to the name.
    if let Some(rest) = text.strip_prefix("By")
        && rest.chars().next().is_some_and(char::is_uppercase)
        && rest.chars().nth(1).is_some_and(char::is_lowercase)
    {
        return rest;
    }
    let lower = text.to_ascii_lowercase();
    for p in PREFIXES {
        if lower.starts_with(p) {
            let rest = &text[p.len()..];
            let next = rest.chars().next();
            if p.ends_with(':') || next.is_none_or(|c| c.is_whitespace() || c == ':') {
                return rest.trim_start_matches(':').trim_start();
            }
        }
    }
    text
}

/// The name a piece of byline text holds, cleaned of its prefix ("By"), what follows it (a
/// date, a separator, "Updated…", a job title after a comma) and trailing punctuation; `None`
/// when what is left does not read as a name (one to eight words, no digits, capitalized as
/// `strictness` asks).
pub(crate) fn name_in(text: &str, strictness: Strictness) -> Option<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = strip_prefix(text.trim());
    if STOPS.iter().any(|s| text.starts_with(s)) {
        return None;
    }
    let end = text
        .find(|c: char| {
            c.is_ascii_digit() || matches!(c, '|' | '•' | '·' | '–' | '—' | '(' | '/' | '@' | '\n')
        })
        .unwrap_or(text.len());
    let mut name = cut_at_stops(&text[..end]).trim();
    for cut in [" - ", " on ", " in ", " for ", " at ", " is ", ", and "] {
        if let Some(i) = name.find(cut) {
            name = name[..i].trim();
        }
    }
    // "Ana Ruiz, MD" or "Ana Ruiz, Senior Editor": what follows the comma is a title.
    // ("Ruiz, Ana" keeps its comma: one word before it is a surname.)
    if let Some(i) = name.find(',')
        && name[..i].split_whitespace().count() >= 2
    {
        name = name[..i].trim();
    }
    let name = name.trim_end_matches([',', '.', ':', ';', '-', ' ']).trim();
    let mut words: Vec<&str> = name.split_whitespace().collect();
    while words.last().is_some_and(|w| date::is_month(w)) {
        words.pop();
    }
    let name = words.join(" ");
    let name = name.trim_start_matches([',', '.', ':', ';', '-', ' ', '&']);
    reads_as_name(name, strictness).then(|| name.to_owned())
}

fn reads_as_name(name: &str, strictness: Strictness) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 || name.len() > 80 || is_not_name(name) {
        return false;
    }
    if name
        .chars()
        .any(|c| c.is_ascii_digit() || "?!:;\"“”".contains(c))
    {
        return false;
    }
    if words
        .iter()
        .all(|w| PARTICLES.contains(&w.to_lowercase().as_str()))
    {
        return false;
    }
    let capitalized = words.iter().all(|w| {
        PARTICLES.contains(&w.to_lowercase().as_str())
            || w.chars().next().is_some_and(char::is_uppercase)
    });
    let handle = words.len() == 1
        && words[0].chars().count() >= 3
        && words[0]
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
    capitalized || (strictness == Strictness::Marked && handle)
}

/// The name among the text pieces of an element that marks an author (its text nodes, in
/// order): the first piece that reads as a name, skipping labels and the piece after a credit
/// of someone else ("Reviewed by" → not this one).
pub(crate) fn from_pieces<'a>(
    pieces: impl IntoIterator<Item = &'a str>,
    strictness: Strictness,
) -> Option<String> {
    let mut skip_next = false;
    for piece in pieces {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        if is_other_credit(piece) {
            skip_next = true;
            continue;
        }
        if std::mem::take(&mut skip_next) || is_not_name(piece) {
            continue;
        }
        if let Some(name) = name_in(piece, strictness) {
            return Some(name);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> Option<String> {
        name_in(text, Strictness::Capitalized)
    }

    #[test]
    fn bylines_become_names() {
        assert_eq!(name("By Ana Ruiz").as_deref(), Some("Ana Ruiz"));
        assert_eq!(
            name("Written by: Ana Ruiz | March 3, 2025").as_deref(),
            Some("Ana Ruiz")
        );
        assert_eq!(
            name("Ana RuizPublished Oct 15, 2024").as_deref(),
            Some("Ana Ruiz")
        );
        assert_eq!(
            name("Ana Ruiz Updated 2 hours ago").as_deref(),
            Some("Ana Ruiz")
        );
        assert_eq!(name("Ana RuizNovember 3").as_deref(), Some("Ana Ruiz"));
        assert_eq!(
            name("Ana Ruiz, MD, Senior Editor").as_deref(),
            Some("Ana Ruiz")
        );
        assert_eq!(
            name("By Ana Ruiz and Bo Li").as_deref(),
            Some("Ana Ruiz and Bo Li")
        );
        assert_eq!(name("Ruiz, Ana").as_deref(), Some("Ruiz, Ana"));
        assert_eq!(name("Ana de la Cruz").as_deref(), Some("Ana de la Cruz"));
    }

    #[test]
    fn other_text_is_not_a_name() {
        assert_eq!(name("By"), None);
        assert_eq!(name("Written by"), None);
        assert_eq!(name("the story of how we got here"), None);
        assert_eq!(name("March 3, 2025"), None);
        assert_eq!(name("Share"), None);
        assert_eq!(name("jsmith"), None);
        assert_eq!(
            name_in("jsmith", Strictness::Marked).as_deref(),
            Some("jsmith")
        );
    }

    #[test]
    fn pieces_skip_labels_and_other_credits() {
        let pieces = [
            "Medically reviewed by",
            "Bo Li, MD",
            "Written by",
            "Ana Ruiz",
        ];
        assert_eq!(
            from_pieces(pieces, Strictness::Marked).as_deref(),
            Some("Ana Ruiz")
        );
        assert_eq!(
            from_pieces(["By", "Ana Ruiz", "June 2, 2025"], Strictness::Marked).as_deref(),
            Some("Ana Ruiz")
        );
    }
}
