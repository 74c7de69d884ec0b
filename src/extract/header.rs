//! What the article's header shows its readers: the author and the date near the title.
//!
//! After the HTML stage has turned a page into lines, [`apply`] reads the lines around the
//! title (the dozen after it, before the second paragraph of prose, then the three before it)
//! for a byline and a date, and settles the page's `author` and `published` with the metadata
//! ([`meta::Authors`], [`meta::Dates`]): what the page shows wins over what its metadata says.

use super::author::{self, Strictness};
use super::{BlockKind, Line, Meta, date, flags, meta};
use crate::reason::Reason;

/// Sets `meta.author` and `meta.published` from the article header of `lines` and the page's
/// metadata `raw` (fetched from `url`, if known).
pub(crate) fn apply(meta: &mut Meta, raw: &meta::Raw, url: Option<&str>, lines: &[Line]) {
    meta.published = meta::dates(raw, url, meta).choose(shown_date(lines), labelled_date(lines));
    meta.author = meta::authors(raw).choose(shown_author(lines), byline_name(lines));
}

/// Indices of the lines of the article header: the dozen after the title (before the second
/// paragraph of prose), then the three before it, nearest first.
fn header(lines: &[Line]) -> Vec<usize> {
    let Some(title) = lines
        .iter()
        .position(|l| l.block.has(flags::TITLE))
        .or_else(|| {
            lines
                .iter()
                .position(|l| l.block.kind == BlockKind::Heading(1))
        })
    else {
        return Vec::new();
    };
    let mut prose = 0;
    let after = (title + 1..lines.len()).take(12).take_while(|&i| {
        prose += usize::from(words(&lines[i]) >= 25);
        prose < 2
    });
    after
        .chain((title.saturating_sub(3)..title).rev())
        .collect()
}

fn words(line: &Line) -> usize {
    line.text.split_whitespace().count()
}

/// The author the page shows in its article header: the name after "By" (or "Written by",
/// "Author:", "Von", "Par", "Por") on a short line, or on the line after a line that is only
/// such a label ("Written by" / "Ana Ruiz").
fn shown_author(lines: &[Line]) -> Option<String> {
    header(lines).into_iter().find_map(|i| {
        let line = &lines[i];
        if words(line) > 20 {
            return None;
        }
        if let Some(name) = after_by(&line.text) {
            return Some(name);
        }
        (author::is_label(&line.text) && !author::is_other_credit(&line.text))
            .then(|| lines.get(i + 1))
            .flatten()
            .and_then(|next| author::name_in(&next.text, Strictness::Capitalized))
    })
}

/// A short line of the article header, in a byline or author element, that reads as a name
/// ("Ana Ruiz", "Ana Ruiz • 3 min read"), unless the line before credits someone else
/// ("Reviewed by"). Bylines also hold categories and dates, so this is weaker evidence.
fn byline_name(lines: &[Line]) -> Option<String> {
    header(lines).into_iter().find_map(|i| {
        let line = &lines[i];
        let credited_other = i > 0 && author::is_other_credit(&lines[i - 1].text);
        (line.block.has(flags::HINT_BYLINE) && words(line) <= 12 && !credited_other)
            .then(|| author::name_in(&line.text, Strictness::Capitalized))
            .flatten()
            .filter(|name| name.split_whitespace().count() >= 2)
    })
}

/// The name after a byline prefix at the start of a line or after a separator in it.
fn after_by(text: &str) -> Option<String> {
    const PREFIXES: &[&str] = &[
        "written by ",
        "posted by ",
        "words by ",
        "by ",
        "author: ",
        "von ",
        "par ",
        "por ",
    ];
    if text.starts_with("By") && text[2..].starts_with(char::is_uppercase) {
        // "ByAna Ruiz": the prefix glued to a name in a link.
        return author::name_in(text, Strictness::Capitalized);
    }
    let lower = text.to_lowercase();
    // Lowercasing may change byte lengths; only take names where it did not.
    if lower.len() != text.len() {
        return None;
    }
    let (at, len) = PREFIXES.iter().find_map(|p| {
        lower
            .match_indices(p)
            .find(|(i, _)| *i == 0 || introduces_by(&lower[..*i]))
            .map(|(i, _)| (i, p.len()))
    })?;
    if author::is_other_credit(text.get(..at + len)?) {
        return None;
    }
    author::name_in(text.get(at + len..)?, Strictness::Capitalized)
}

/// Whether the text before a "by" in a byline lets it introduce a name: a separator, a date
/// ("March 3, 2025 by"), or a verb of bylines ("Posted by"); not a sentence ("sales by region").
fn introduces_by(before: &str) -> bool {
    let before = before.trim_end();
    before.ends_with(['|', '•', '·', ',', '-', '–', '—'])
        || before.bytes().any(|b| b.is_ascii_digit())
        || [
            "posted",
            "published",
            "written",
            "words",
            "story",
            "updated",
        ]
        .iter()
        .any(|w| before.ends_with(w))
}

/// The date the page shows in its article header: the first short line holding a date among
/// the header's lines. Dates inside the prose are not the article's.
fn shown_date(lines: &[Line]) -> Option<date::Day> {
    header(lines)
        .into_iter()
        .map(|i| &lines[i])
        .filter(|l| words(l) <= 16)
        .find_map(|l| date::find(&l.text))
}

/// Words that label a publication date ("Published on", "Posted:", "Veröffentlicht am").
const PUBLISHED_LABELS: &[&str] = &[
    "published",
    "posted",
    "date",
    "released",
    "veröffentlicht",
    "publié",
    "publicado",
];

/// A date the page labels as its publication date anywhere outside comment threads: a short
/// line that starts with such a label and holds a date, or a line that is only the label
/// followed by a line that is a date.
fn labelled_date(lines: &[Line]) -> Option<date::Day> {
    let labelled = |text: &str| {
        let lower = text.trim_start().to_lowercase();
        PUBLISHED_LABELS.iter().any(|w| lower.starts_with(w))
    };
    lines.iter().enumerate().find_map(|(i, l)| {
        if l.block.dropped == Some(Reason::CommentSection) || words(l) > 12 || !labelled(&l.text) {
            return None;
        }
        date::find(&l.text).or_else(|| {
            let next = lines.get(i + 1)?;
            (words(l) <= 3 && words(next) <= 6)
                .then(|| date::find(&next.text))
                .flatten()
        })
    })
}
