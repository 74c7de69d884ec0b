//! Pattern rules: what a single line says about itself, from the lexicon and its own shape.
//!
//! Each function answers for one line and one rule. Where the line stands in the document (before,
//! inside or after the article body) is decided by [`super::structure`], and [`super::apply`]
//! decides which answers count where.

use super::shape::Shape;
use crate::lexicon::{Category, Lexicon};
use crate::reason::Reason;
use regex::Regex;
use std::sync::LazyLock;

/// The line is nothing but a URL (or a `www.` address).
pub fn bare_url(text: &str) -> bool {
    let t = text.trim();
    if t.contains(char::is_whitespace) || t.len() < 8 {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.")
}

struct CreditPatterns {
    /// A credit word followed by `:`, `/` or `by`, then the credit itself to the end of the line.
    marker_tail: Regex,
    /// An agency name followed by "photo" (`AP Photo/…`, `AFP PHOTO / …`).
    agency_photo: Regex,
    /// An agency at the very end, after `/`, `|`, `via` or inside parentheses.
    agency_end: Regex,
    /// An agency name alone.
    agency: Regex,
    /// A trailing parenthetical credit: "(Dana Whitfield/Harborview Gazette)".
    name_slash_org: Regex,
}

static CREDIT: LazyLock<CreditPatterns> = LazyLock::new(|| {
    let lex = crate::lexicon::builtin();
    let alternation = |category: Category| {
        let mut words: Vec<String> = lex
            .entries(category)
            .into_iter()
            .map(|w| regex::escape(&w).replace(' ', r"\s+"))
            .collect();
        words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        words.dedup();
        words.join("|")
    };
    let credit = alternation(Category::Credit);
    let agency = alternation(Category::Agency);
    let build = |pattern: String| Regex::new(&pattern).expect("credit pattern compiles");
    CreditPatterns {
        marker_tail: build(format!(
            r"(?i)(?:^|[\s.,;(|–—-])(?:{credit})s?\s*(?::|/|(?-u:\b)by(?-u:\b)|(?-u:\b)of(?-u:\b))\s*(?P<tail>[^.!?]*?)\)?\s*$"
        )),
        agency_photo: build(format!(
            r"(?i)(?-u:\b)(?:{agency})\s+photos?(?-u:\b)\s*(?:[/:]|$)"
        )),
        agency_end: build(format!(
            r"(?i)(?:/|\(|\||(?-u:\b)via(?-u:\b))\s*(?:{agency})\s*\)?\s*$"
        )),
        agency: build(format!(r"(?i)(?-u:\b)(?:{agency})(?-u:\b)")),
        name_slash_org: build(
            r"\(\s*\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){0,3}\s*/\s*[^()/]{2,60}\)\s*$"
                .to_owned(),
        ),
    }
});

/// A photo credit, or a caption that ends in one ("…2017.Credit: Geert Vanden Wijngaert/AP").
pub fn photo_credit(text: &str, shape: &Shape) -> bool {
    let t = text.trim();
    if t.is_empty() || shape.word_count > 60 {
        return false;
    }
    // Every credit form names a credit word or an agency, has a slash ("Name/Outlet"), or starts
    // with a copyright sign: lines without any skip the patterns.
    let lex = crate::lexicon::builtin();
    let copyright =
        t.starts_with('©') || t.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("(c) "));
    let candidate = copyright
        || t.contains('/')
        || shape.words.iter().any(|w| {
            lex.is_keyword(w, Category::Credit) || lex.starts_keyword(w, Category::Agency)
        });
    if !candidate {
        return false;
    }
    let p = &*CREDIT;
    if copyright {
        return shape.word_count <= 15 && (p.agency.is_match(t) || has_credit_word(shape));
    }
    if let Some(m) = p.agency_photo.find(t)
        && (shape.is_short() || t.len() - m.end() < 60)
    {
        return true;
    }
    if p.agency_end.is_match(t) || p.name_slash_org.is_match(t) {
        return true;
    }
    if let Some(caps) = p.marker_tail.captures(t) {
        let tail = caps.name("tail").map_or("", |m| m.as_str()).trim();
        let words: Vec<&str> = tail.split_whitespace().collect();
        if words.is_empty() || words.len() > 8 {
            return false;
        }
        let capitalized = words
            .iter()
            .filter(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
            .count();
        return capitalized * 2 >= words.len() || tail.contains('/') || p.agency.is_match(tail);
    }
    false
}

fn has_credit_word(shape: &Shape) -> bool {
    let lex = crate::lexicon::builtin();
    shape
        .words
        .iter()
        .any(|w| lex.is_keyword(w, Category::Credit))
}

/// Share buttons rendered as text: every word is a share word or a small filler word, and at
/// least one is a share word ("Send in e-mailSend in e-mail", "Facebook Twitter Email").
///
/// Words glued together by a page that printed two buttons without a space are split where the
/// case changes (`e-mailSend` is `e-mail`, `Send`); brand names like `WhatsApp` are tried whole
/// first.
pub fn share_bar(text: &str, shape: &Shape, lex: &Lexicon) -> bool {
    if shape.words.is_empty() || shape.words.len() > 12 {
        return false;
    }
    let share = Category::Furniture(Reason::ShareBar);
    let mut any_share = false;
    let mut fits = |word: &str| -> bool {
        if lex.is_keyword(word, share) {
            any_share = true;
            true
        } else {
            lex.is_keyword(word, Category::Filler)
        }
    };
    let whole = shape.words.iter().all(&mut fits);
    let glued = text
        .chars()
        .zip(text.chars().skip(1))
        .any(|(a, b)| a.is_lowercase() && b.is_uppercase());
    let all_fit = whole
        || glued
            && crate::normalize::words_split_camel(text)
                .iter()
                .all(|w| fits(w));
    all_fit && any_share
}

/// The reason a whole-line lexicon entry gives, if the line (by its key) is one. Section labels
/// are returned too; the caller decides where they count.
pub fn exact(key: Option<u64>, lex: &Lexicon) -> Option<Reason> {
    let cats = lex.exact_key(key?);
    let furniture = cats.iter().find_map(|c| match c {
        Category::Furniture(r) if *r != Reason::SectionLabel => Some(*r),
        _ => None,
    });
    furniture
        .or_else(|| {
            cats.contains(&Category::RelatedHeading)
                .then_some(Reason::RelatedList)
        })
        .or_else(|| {
            cats.contains(&Category::Furniture(Reason::SectionLabel))
                .then_some(Reason::SectionLabel)
        })
}

/// Whether the line is a related-list heading: a whole-line entry ("Related stories", "Lesen Sie
/// auch"), or a short line starting with one ("More from the Gazette", "Most read in Sport").
pub fn related_heading(key: Option<u64>, text: &str, shape: &Shape, lex: &Lexicon) -> bool {
    if key.is_some_and(|k| lex.exact_key(k).contains(&Category::RelatedHeading)) {
        return true;
    }
    if shape.word_count > 6 {
        return false;
    }
    let normalized = crate::normalize::normalize(text);
    let words: Vec<&str> = normalized.split(' ').collect();
    words.len() <= 6
        && (2..words.len()).any(|n| {
            lex.exact(&words[..n].join(" "))
                .contains(&Category::RelatedHeading)
        })
}

/// The reason a prefix entry gives, for a line short enough to be furniture that does not read as
/// reported news ("READ MORE: …", "Subscribe to our newsletter for…", "Photo: …").
///
/// Cookie notices and paywall banners are furniture at any length.
pub fn prefix(text: &str, shape: &Shape, lex: &Lexicon) -> Option<Reason> {
    if shape.word_count > 80 {
        return None;
    }
    let (_, cat) = lex.prefix(text)?;
    let Category::Furniture(reason) = cat else {
        return None;
    };
    let any_length = matches!(reason, Reason::CookieNotice | Reason::Subscription);
    if shape.word_count > 30 && !any_length {
        return None;
    }
    if narrative_hits(shape, lex) > 0 && reason != Reason::RelatedLink {
        return None;
    }
    match reason {
        // Bylines and section labels have rules of their own.
        Reason::Byline | Reason::SectionLabel => None,
        Reason::PhotoCredit => shape.is_short().then_some(reason),
        _ if shape.word_count > 20 && shape.ends_sentence && !any_length => None,
        _ => Some(reason),
    }
}

fn narrative_hits(shape: &Shape, lex: &Lexicon) -> usize {
    lex.keywords(&shape.words)
        .iter()
        .filter(|h| h.2 == Category::Narrative)
        .count()
}

/// The furniture categories that keyword evidence can name, in order of precedence.
const SCORED: [Reason; 7] = [
    Reason::CommentPrompt,
    Reason::Subscription,
    Reason::FollowPrompt,
    Reason::CookieNotice,
    Reason::Advertisement,
    Reason::RelatedLink,
    Reason::ShareBar,
];

/// The result of weighing a line's keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    /// The category with the most keywords.
    pub reason: Reason,
    /// The score: two per furniture keyword, one per word addressing the reader (at most two),
    /// one for not ending a sentence, minus two per word of news narrative.
    pub score: i32,
    /// The score a line of this length needs.
    pub needed: i32,
}

/// Weighs the furniture keywords of a short line against its narrative words; see [`Score`].
/// Returns `None` for lines without furniture keywords or too long to be furniture.
pub fn keyword_score(shape: &Shape, lex: &Lexicon) -> Option<Score> {
    let needed = match shape.word_count {
        0 => return None,
        1..=12 => 3,
        13..=30 => 5,
        _ => return None,
    };
    let hits = lex.keywords(&shape.words);
    let mut per_reason = [0i32; SCORED.len()];
    let (mut reader, mut narrative) = (0i32, 0i32);
    let mut covered = vec![false; shape.words.len()];
    for &(at, len, cat) in &hits {
        match cat {
            Category::Reader => reader += 1,
            Category::Narrative => narrative += 1,
            Category::Furniture(r) => {
                if let Some(i) = SCORED.iter().position(|s| *s == r) {
                    // A word counts once however many keywords of its category overlap it.
                    if covered[at..at + len].iter().all(|c| *c) {
                        continue;
                    }
                    per_reason[i] += 1;
                }
            }
            _ => {}
        }
        if matches!(cat, Category::Furniture(_)) {
            covered[at..at + len].iter_mut().for_each(|c| *c = true);
        }
    }
    let total: i32 = per_reason.iter().sum();
    if total == 0 {
        return None;
    }
    let best = (0..SCORED.len())
        .max_by_key(|&i| (per_reason[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    let score = 2 * total + reader.min(2) + i32::from(!shape.ends_sentence) - 2 * narrative;
    Some(Score {
        reason: SCORED[best],
        score,
        needed,
    })
}

static BYLINE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:by|von|par|por|de)\s+(?:\p{Lu}[\p{L}'’.-]*\.?(?:\s+|,\s*|\s+(?i:and|und|et|y)\s+|$)){1,8}")
        .expect("byline pattern compiles")
});

/// A byline or dateline: "By Jane Doe and John Roe", "Updated 3 hours ago", "5 min read".
pub fn byline(text: &str, shape: &Shape, lex: &Lexicon) -> bool {
    if shape.word_count > 14 || shape.ends_sentence && shape.word_count > 8 {
        return false;
    }
    let t = text.trim();
    if BYLINE_NAME.is_match(t) {
        return true;
    }
    // "Alice Dubois | Staff Writer", "Jane Roe, Senior Correspondent"
    let role = lex
        .keywords(&shape.words)
        .iter()
        .any(|h| h.2 == Category::Furniture(Reason::Byline));
    if role && shape.word_count <= 8 && !shape.ends_sentence && shape.capitalized >= 0.6 {
        return true;
    }
    match lex.prefix(t) {
        Some((prefix, Category::Furniture(Reason::Byline))) => {
            !matches!(prefix, "by" | "von" | "par" | "por")
        }
        _ => false,
    }
}

/// A dateline: a line made only of date and time words and numbers, with at least one of each
/// ("Published March 15, 2024 at 7:00 a.m.", "28.03.2024, 21:40 Uhr · updated …", "March 4, 2024",
/// "Updated 3 hours ago").
pub fn dateline(shape: &Shape, lex: &Lexicon) -> bool {
    let words = &shape.words;
    if words.is_empty() || words.len() > 20 {
        return false;
    }
    let mut covered = vec![false; words.len()];
    for (at, len, cat) in lex.keywords(words) {
        if cat == Category::Date {
            covered[at..at + len].iter_mut().for_each(|c| *c = true);
        }
    }
    let numbers = words.iter().filter(|w| w.starts_with('0')).count();
    covered.iter().all(|c| *c) && numbers > 0 && numbers < words.len()
}

static AUTHOR_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){1,3}\s+(?:covers|writes\s+about|reports\s+on|is\s+(?:a|an|the)\s+(?:[\p{L}-]+\s+){0,3}(?:reporter|writer|correspondent|editor|columnist|contributor|journalist|intern|fellow))\b",
    )
    .expect("author note pattern compiles")
});
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+").expect("email pattern compiles"));

/// A note about the author after the article: a short line with an e-mail address, or
/// "Jane Doe covers city hall for the Gazette." / "… is a staff writer …". `strict` (the last
/// paragraph of the body rather than the trailer) only accepts the e-mail form.
pub fn author_note(text: &str, shape: &Shape, strict: bool) -> bool {
    if shape.word_count > 40 {
        return false;
    }
    let t = text.trim();
    EMAIL.is_match(t) || (!strict && shape.word_count <= 25 && AUTHOR_NOTE.is_match(t))
}

/// The header of a reader's comment: a short line naming someone and a date or time, ending in
/// "said:", "says:" or "wrote:" ("Alex on September 17, 2018 at 6:34 am said:").
pub fn comment_header(text: &str, shape: &Shape, lex: &Lexicon) -> bool {
    if !text.trim_end().ends_with(':') {
        return false;
    }
    let t = text.trim_end().to_lowercase();
    if shape.word_count > 16
        || ![
            "said:", "says:", "wrote:", "writes:", "sagt:", "schrieb:", "dit :", "dit:", "dijo:",
        ]
        .iter()
        .any(|e| t.ends_with(e))
    {
        return false;
    }
    let dated = lex
        .keywords(&shape.words)
        .iter()
        .any(|h| h.2 == Category::Date)
        && shape.words.iter().any(|w| w.starts_with('0'));
    dated || t.contains(" at ") || t.contains(" on ")
}

/// A line that is only a person's name: two to four capitalized words of letters ("Leonie Haas",
/// "Continental Press Service"), no sentence.
pub fn name_line(text: &str, shape: &Shape) -> bool {
    if !(2..=4).contains(&shape.word_count) || shape.ends_sentence || shape.ends_colon {
        return false;
    }
    let particles = [
        "van", "von", "de", "da", "del", "der", "la", "le", "di", "bin", "al",
    ];
    text.split_whitespace().all(|w| {
        let letters = w
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'));
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        letters && (capital || particles.contains(&w))
    })
}

/// A short label with a separator at one end ("Analysis |", "OPINION:", "› World"), or a
/// lexicon section name.
pub fn section_label(text: &str, shape: &Shape, key: Option<u64>, lex: &Lexicon) -> bool {
    if shape.word_count == 0 || shape.word_count > 3 {
        return false;
    }
    if key.is_some_and(|k| {
        lex.exact_key(k)
            .contains(&Category::Furniture(Reason::SectionLabel))
    }) {
        return true;
    }
    let t = text.trim();
    const SEPARATORS: &[char] = &['|', '•', '·', '›', '»', '/', '–', '—', ':', '>'];
    t.ends_with(SEPARATORS) || t.starts_with(SEPARATORS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::builtin;

    fn credit(text: &str) -> bool {
        photo_credit(text, &Shape::of(text))
    }

    #[test]
    fn datelines_names_and_author_notes() {
        let lex = builtin();
        let date = |t: &str| dateline(&Shape::of(t), lex);
        assert!(date("Published March 15, 2024 at 7:00 a.m."));
        assert!(date(
            "28.03.2024, 21:40 Uhr · updated 29.03.2024, 10:15 Uhr"
        ));
        assert!(date("March 4, 2024"));
        assert!(date("Updated 3 hours ago"));
        assert!(!date("2024"));
        assert!(!date("On March 4 the council met again."));
        assert!(name_line("Leonie Haas", &Shape::of("Leonie Haas")));
        assert!(name_line(
            "Ludwig van Beethoven",
            &Shape::of("Ludwig van Beethoven")
        ));
        assert!(!name_line(
            "Costs have tripled",
            &Shape::of("Costs have tripled")
        ));
        let note = |t: &str, strict| author_note(t, &Shape::of(t), strict);
        assert!(note(
            "June Kowalczyk covers high school sports for the Gazette.",
            false
        ));
        assert!(note(
            "Tom Bexley covers utilities. Reach him at tb@example.org.",
            true
        ));
        assert!(!note(
            "June Kowalczyk covers high school sports for the Gazette.",
            true
        ));
        assert!(!note(
            "John Smith said the plan covers most of the county.",
            false
        ));
    }

    #[test]
    fn photo_credits_and_near_misses() {
        assert!(credit("AP Photo/Manuel Balce Ceneta"));
        assert!(credit(
            "Trump and NATO Secretary General Jens Stoltenberg during ceremony at NATO headquarters in Brussels on Thursday, May 25, 2017.Credit: Geert Vanden Wijngaert/AP"
        ));
        assert!(credit("Photo: Jane Roe/Reuters"));
        assert!(credit("Foto: picture alliance / dpa"));
        assert!(credit(
            "Firefighters at the scene on Monday. (Getty Images)"
        ));
        assert!(credit("© 2023 Reuters"));
        assert!(credit("Photo by Ann Lee on Unsplash"));
        assert!(credit(
            "Water pours from a broken main early Tuesday. (Dana Whitfield/Harborview Gazette)"
        ));
        assert!(credit(
            "Crews survey the channel in February. (Courtesy of Northbay Marine Works)"
        ));
        assert!(!credit("The plan (a joint city/county effort) failed."));
        // Near misses: credit words in ordinary sentences.
        assert!(!credit(
            "The bank said credit: a tighter market, would follow."
        ));
        assert!(!credit("She described the photo: a man standing"));
        assert!(!credit(
            "WASHINGTON (AP) — The Senate voted on Tuesday to pass the bill."
        ));
        assert!(!credit(
            "The photo agency AFP said it would appeal the ruling in court."
        ));
        assert!(!credit("He cited figures from the AP."));
    }

    #[test]
    fn share_bars_and_near_misses() {
        let lex = builtin();
        let bar = |t: &str| share_bar(t, &Shape::of(t), lex);
        assert!(bar("Send in e-mailSend in e-mail"));
        assert!(bar("Facebook Twitter Email"));
        assert!(bar("Share this article on WhatsApp"));
        assert!(!bar("Share prices fell sharply"));
        assert!(!bar("Send the email to your lawyer, he said."));
    }

    #[test]
    fn keyword_scores_weigh_narrative() {
        let lex = builtin();
        let score = |t: &str| keyword_score(&Shape::of(t), lex);
        let s = score("Please let us know if you're having issues with commenting.").unwrap();
        assert_eq!(s.reason, Reason::CommentPrompt);
        assert!(s.score >= s.needed, "{s:?}");
        let s = score("Click the alert icon to follow topics:").unwrap();
        assert_eq!(s.reason, Reason::FollowPrompt);
        assert!(s.score >= s.needed);
        let s = score("He declined to comment.").unwrap();
        assert!(s.score < s.needed, "{s:?}");
        let s = score("The company did not respond to a request for comment.").unwrap();
        assert!(s.score < s.needed, "{s:?}");
        assert_eq!(score("The weather was fine."), None);
    }

    #[test]
    fn prefixes_skip_reported_speech() {
        let lex = builtin();
        let p = |t: &str| prefix(t, &Shape::of(t), lex);
        assert_eq!(
            p("READ MORE: Storm cuts power to thousands"),
            Some(Reason::RelatedLink)
        );
        assert_eq!(
            p("Sign up for our morning newsletter"),
            Some(Reason::Subscription)
        );
        assert_eq!(p("Sign up for the draft was slow, officials said."), None);
    }

    #[test]
    fn bylines_and_labels() {
        let lex = builtin();
        let by = |t: &str| byline(t, &Shape::of(t), lex);
        assert!(by("By Jane Doe and John Roe"));
        assert!(by("Updated 3 hours ago"));
        assert!(by("Alice Dubois | Staff Writer"));
        assert!(!by("The reporter who broke the story"));
        assert!(!by("By the numbers"));
        assert!(!by(
            "By Tuesday the river had risen two metres above its usual level."
        ));
        let label = |t: &str| {
            let key = crate::normalize::Keyer::default().key(t);
            section_label(t, &Shape::of(t), key, lex)
        };
        assert!(label("Analysis |"));
        assert!(label("OPINION"));
        assert!(!label("Sleepers"));
        assert!(bare_url("http://mashable.com/2015/11/16/x/#_u5d27"));
        assert!(!bare_url("See http://example.com for more"));
    }
}
