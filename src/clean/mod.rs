//! Stage 2b: decide, line by line, what is article and what is furniture.
//!
//! Takes a [`Document`], the [`LineModel`] and the document's site, and gives a [`Cleaned`]: a
//! verdict for every line (kept, removed with a [`Reason`], or blank), the title line, and notes on
//! lines that were kept although a rule had doubts. The cleaner only removes lines: it never
//! rewrites or reorders text, so the clean text is always a subsequence of the document's lines.
//!
//! # Order of evidence
//! 1. **DOM** (HTML only): blocks the extractor already marked as not article text.
//! 2. **Learned frequency** ([`CleanOptions`]): a line in at least `min_units` different articles
//!    is *frequent* on its site if it is in at least `site_share` of the site's articles, and
//!    *cross-site* if it is on at least `min_sites` sites. It is *strong* evidence when the line is
//!    in at least `strong_share` of the site's articles.
//! 3. **Patterns** ([`rules`]): bare URLs, photo credits, whole-line lexicon phrases, share bars,
//!    lexicon prefixes. These are removed wherever they stand.
//! 4. **Zones** ([`structure`]): the body is found among the lines still standing. Outside the
//!    body, frequent lines, bylines, section labels, keyword-heavy short lines and menus are
//!    removed. Inside the body a frequent line is removed only on strong evidence or with
//!    furniture keywords; otherwise it is kept and noted.
//! 5. **Repeats**: short lines printed more than once (a byline twice), later copies of long
//!    lines, and lines that are the start of a removed neighbour (a caption before its credit).
//! 6. **Related lists**: after the body, a run of three or more headline-like lines is removed
//!    when something marks it as furniture (a related heading, furniture just before it, or lines
//!    in another script). Unmarked runs are kept and noted.
//!
//! The title (the first line standing before the body, or the page's `<h1>`), subheads between
//! prose paragraphs and questions inside the body are never removed by rules 4–6.
//!
//! When a learned rule removes a line that a pattern or the DOM would also remove, the learned
//! reason is given: frequency is the cleaner's main signal.

pub mod rules;
pub mod shape;
pub mod structure;

use crate::extract::{Document, flags};
use crate::lexicon::{self, Lexicon};
use crate::model::{LineModel, LineStats, SiteId};
use crate::normalize::normalize;
use crate::reason::Reason;
use serde::Serialize;
use shape::{Script, Shape};
use structure::Zone;

/// Thresholds of the learned rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CleanOptions {
    /// A line must be in at least this many different articles to count as frequent (≥ 2).
    pub min_units: u32,
    /// ... and in at least this share of its site's articles.
    pub site_share: f64,
    /// A frequent line on at least this many sites is cross-site furniture.
    pub min_sites: u32,
    /// In at least this share of its site's articles, a line is removed even from the body.
    pub strong_share: f64,
}

impl Default for CleanOptions {
    fn default() -> Self {
        CleanOptions {
            min_units: 3,
            site_share: 0.02,
            min_sites: 3,
            strong_share: 0.25,
        }
    }
}

/// What became of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A blank line: not text, neither kept nor removed.
    Blank,
    /// Article text.
    Keep,
    /// Furniture, and why.
    Remove(Reason),
}

/// A line that was kept although a rule had doubts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The index of the line in the document.
    #[serde(skip)]
    pub index: usize,
    /// The rule that had doubts.
    pub rule: Reason,
    /// Why the line was kept anyway.
    pub why: String,
}

/// The cleaner's decisions for one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// One verdict per line of the document.
    pub verdicts: Vec<Verdict>,
    /// The index of the title line, if one was found among the lines.
    pub title: Option<usize>,
    /// Lines kept in doubt.
    pub notes: Vec<Note>,
    /// The first and last line (indices) of the article body, if one was found.
    pub body: Option<(usize, usize)>,
}

impl Cleaned {
    /// Every non-blank line kept, nothing else known: the verdict when the cleaner cannot run.
    pub fn keep_all(doc: &Document) -> Cleaned {
        let verdicts = doc
            .lines
            .iter()
            .map(|line| {
                if line.is_blank() {
                    Verdict::Blank
                } else {
                    Verdict::Keep
                }
            })
            .collect();
        Cleaned {
            verdicts,
            title: None,
            notes: Vec::new(),
            body: None,
        }
    }

    /// The kept lines joined by `\n`.
    pub fn text(&self, doc: &Document) -> String {
        let mut out = String::new();
        for (line, verdict) in doc.lines.iter().zip(&self.verdicts) {
            if *verdict == Verdict::Keep {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&line.text);
            }
        }
        out
    }

    /// The number of kept lines.
    pub fn kept(&self) -> usize {
        self.verdicts
            .iter()
            .filter(|v| **v == Verdict::Keep)
            .count()
    }

    /// The removed lines: (index, reason).
    pub fn removed(&self) -> impl Iterator<Item = (usize, Reason)> + '_ {
        self.verdicts
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match v {
                Verdict::Remove(r) => Some((i, *r)),
                _ => None,
            })
    }
}

/// The learned-frequency evidence for one line.
#[derive(Debug, Clone, Copy)]
struct Learned {
    reason: Reason,
    strong: bool,
    /// The share of the site's articles the line is in.
    share: f64,
    stats: LineStats,
}

fn learned(stats: LineStats, site_units: u64, opts: &CleanOptions) -> Option<Learned> {
    if stats.units < opts.min_units {
        return None;
    }
    let share = if site_units > 0 {
        f64::from(stats.site_units) / site_units as f64
    } else {
        0.0
    };
    let strong = stats.site_units >= opts.min_units && share >= opts.strong_share;
    let site_needed = (opts.site_share * site_units as f64)
        .ceil()
        .max(f64::from(opts.min_units));
    let reason = if stats.sites >= opts.min_sites {
        Reason::CrossSiteFurniture
    } else if f64::from(stats.site_units) >= site_needed {
        Reason::SiteTemplate
    } else {
        return None;
    };
    Some(Learned {
        reason,
        strong,
        share,
        stats,
    })
}

/// Where the cleaner looks up learned counts for a document.
#[derive(Debug, Clone, Copy)]
pub struct Learning<'a> {
    /// The model.
    pub model: &'a LineModel,
    /// The document's site in the model, if the model knows it.
    pub site: Option<SiteId>,
}

/// Decides every line of `doc`; see the module docs.
pub fn apply(doc: &Document, learning: Learning<'_>, opts: &CleanOptions) -> Cleaned {
    let lex = lexicon::builtin();
    let n = doc.lines.len();
    // Lines the DOM already dropped are not measured: no rule looks at them again.
    let shapes: Vec<Option<Shape>> = doc
        .lines
        .iter()
        .map(|l| (!l.is_blank() && l.block.dropped.is_none()).then(|| Shape::of(&l.text)))
        .collect();
    let mut verdicts = Cleaned::keep_all(doc).verdicts;
    let mut notes = Vec::new();
    let site_units = learning.site.map_or(0, |s| learning.model.site_units(s));

    // 1–3: DOM, strong learned evidence and patterns, line by line.
    let mut freq: Vec<Option<Learned>> = vec![None; n];
    let mut pattern: Vec<Option<Reason>> = vec![None; n];
    let mut related_heading = vec![false; n];
    let mut held = vec![false; n];
    for (i, line) in doc.lines.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        freq[i] = line
            .key
            .and_then(|key| learned(learning.model.stats(learning.site, key), site_units, opts));
        if let Some(reason) = line.block.dropped {
            // The DOM already decided; a learned reason, if there is one, names it first.
            verdicts[i] = Verdict::Remove(freq[i].map_or(reason, |f| f.reason));
            continue;
        }
        let shape = shapes[i].as_ref().expect("lines not dropped have a shape");
        related_heading[i] = rules::related_heading(line.key, &line.text, shape, lex);
        pattern[i] = line_pattern(&line.text, shape, line.key, lex);
        if let Some(f) = freq[i].filter(|f| f.strong || pattern[i].is_some()) {
            // A headline in fewer than half the site's pages may be this page's own title,
            // which other pages list as a related link: it waits until the title is known.
            if pattern[i].is_none() && shape.is_headline() && f.share < 0.5 {
                held[i] = true;
            } else {
                verdicts[i] = Verdict::Remove(f.reason);
            }
        } else if let Some(reason) = pattern[i] {
            verdicts[i] = Verdict::Remove(reason);
        }
    }

    // 4: zones, and what stands outside the body.
    let live: Vec<bool> = verdicts.iter().map(|v| *v == Verdict::Keep).collect();
    // Prose by shape, but a long dateline ("… at 7:00 a.m.") is not prose.
    let prose: Vec<bool> = shapes
        .iter()
        .map(|s| {
            s.as_ref()
                .is_some_and(|s| s.is_prose() && !rules::dateline(s, lex))
        })
        .collect();
    let chars: Vec<usize> = shapes
        .iter()
        .map(|s| s.as_ref().map_or(0, |s| s.chars))
        .collect();
    let span = doc.lines.iter().any(|l| l.block.has(flags::IN_CONTENT));
    let comments = (0..n).find(|&i| {
        shapes[i]
            .as_ref()
            .is_some_and(|s| rules::comment_header(&doc.lines[i].text, s, lex))
    });
    let body = structure::body(&prose, &chars, &live, span, comments);
    // The lead: lines between a standfirst (the body's first prose line) and the next prose
    // line, where bylines, datelines and author names sit. They are judged as outside the body.
    let lead_end = body.and_then(|(start, end)| (start + 1..=end).find(|&i| live[i] && prose[i]));
    let in_lead =
        |i: usize| body.is_some_and(|(start, _)| i > start) && lead_end.is_some_and(|e| i < e);
    let mut title = doc
        .lines
        .iter()
        .position(|l| l.block.has(flags::TITLE))
        .filter(|&i| verdicts[i] == Verdict::Keep);
    let title_from_dom = title.is_some();
    // The title is the headline nearest above the body (scrapes often open with menus and other
    // stories' headlines): three or more words, not a byline, a name or a dateline.
    if title.is_none()
        && let Some((start, _)) = body
    {
        let candidates = (0..start)
            .rev()
            .filter(|&i| verdicts[i] == Verdict::Keep)
            .take(12);
        for i in candidates {
            let shape = shapes[i].as_ref().expect("kept lines have a shape");
            let text = &doc.lines[i].text;
            let plain = rules::keyword_score(shape, lex).is_none_or(|s| s.score <= s.needed);
            // "Vincent Norcross, Meridian News Agency": every word capitalized, cut by a comma
            // or a bar, is a name and an affiliation, not a headline.
            let credit_like =
                shape.capitalized >= 1.0 && shape.word_count <= 6 && text.contains([',', '|', '·']);
            if shape.is_headline()
                && shape.word_count >= 3
                && plain
                && !credit_like
                && !rules::byline(text, shape, lex)
                && !rules::name_line(text, shape)
                && !rules::dateline(shape, lex)
            {
                title = Some(i);
                break;
            }
        }
    }
    for i in 0..n {
        if verdicts[i] != Verdict::Keep {
            continue;
        }
        let shape = shapes[i].as_ref().expect("kept lines have a shape");
        let zone = structure::zone(i, body);
        let lead = in_lead(i);
        let outside = zone != Zone::Body || lead;
        let is_title = title == Some(i);
        // A moderately frequent headline right above the body is this page's own title, which
        // other pages of the site list in their related links.
        if let Some(f) = freq[i] {
            if is_title {
                notes.push(Note {
                    index: i,
                    rule: f.reason,
                    why: format!(
                        "in {} of {} articles of this site; kept as this page's title (other \
                         pages link to it)",
                        f.stats.site_units, site_units
                    ),
                });
                continue;
            }
            if outside || held[i] {
                verdicts[i] = Verdict::Remove(f.reason);
                continue;
            }
            let evidence =
                rules::keyword_score(shape, lex).is_some_and(|s| s.score >= s.needed - 1);
            if evidence && !is_title {
                verdicts[i] = Verdict::Remove(f.reason);
                continue;
            }
            notes.push(Note {
                index: i,
                rule: f.reason,
                why: format!(
                    "in {} of {} articles of this site ({} in all, on {} sites); kept because \
                     it stands inside the article body",
                    f.stats.site_units, site_units, f.stats.units, f.stats.sites
                ),
            });
        }
        if is_title {
            continue;
        }
        let text = &doc.lines[i].text;
        if outside && rules::dateline(shape, lex) {
            verdicts[i] = Verdict::Remove(Reason::Byline);
            continue;
        }
        let last_prose = body.is_some_and(|(_, end)| i == end);
        if (zone == Zone::Trailer || last_prose) && rules::author_note(text, shape, last_prose) {
            verdicts[i] = Verdict::Remove(Reason::Byline);
            continue;
        }
        if lead
            && (rules::byline(text, shape, lex)
                || (doc.lines[i].block.has(flags::HINT_BYLINE) && shape.word_count <= 12))
        {
            verdicts[i] = Verdict::Remove(Reason::Byline);
            continue;
        }
        if zone == Zone::Body {
            continue;
        }
        if zone == Zone::Header
            && title.is_none_or(|t| i < t)
            && rules::section_label(&doc.lines[i].text, shape, doc.lines[i].key, lex)
        {
            verdicts[i] = Verdict::Remove(Reason::SectionLabel);
            continue;
        }
        if zone == Zone::Header
            && (rules::byline(&doc.lines[i].text, shape, lex)
                || (doc.lines[i].block.has(flags::HINT_BYLINE) && shape.word_count <= 12))
        {
            verdicts[i] = Verdict::Remove(Reason::Byline);
            continue;
        }
        let score = rules::keyword_score(shape, lex);
        // The first title-like line before the body is the title, unless its furniture words
        // score more than the least that removes a line.
        if zone == Zone::Header
            && title.is_none()
            && !title_from_dom
            && title_like(shape)
            && score.is_none_or(|s| s.score <= s.needed)
        {
            title = Some(i);
            continue;
        }
        if let Some(score) = score {
            if score.score >= score.needed {
                verdicts[i] = Verdict::Remove(score.reason);
                continue;
            }
            if score.score == score.needed - 1 {
                notes.push(Note {
                    index: i,
                    rule: score.reason,
                    why: format!(
                        "furniture words score {} of the {} needed",
                        score.score, score.needed
                    ),
                });
            }
        }
    }

    repeats(&shapes, &doc.lines, &mut verdicts, body, title, &mut notes);
    names(&doc.lines, &shapes, &mut verdicts, title, |i| {
        structure::zone(i, body) == Zone::Header || in_lead(i)
    });
    menus(&shapes, &mut verdicts, body, title);
    related_list(
        &doc.lines,
        &shapes,
        &mut verdicts,
        &related_heading,
        body,
        title,
        &mut notes,
    );

    let mut body = body;
    if !span && let Some(found) = body {
        body = Some(outside_body(&shapes, &prose, &mut verdicts, found, title));
    }

    // A line that recurs and is removed by another rule too is named by frequency, the main
    // signal.
    for (verdict, f) in verdicts.iter_mut().zip(&freq) {
        if let (Verdict::Remove(r), Some(f)) = (*verdict, f)
            && !matches!(r, Reason::SiteTemplate | Reason::CrossSiteFurniture)
        {
            *verdict = Verdict::Remove(f.reason);
        }
    }

    notes.retain(|note| verdicts[note.index] == Verdict::Keep);
    notes.sort_by_key(|note| note.index);
    Cleaned {
        verdicts,
        title,
        notes,
        body,
    }
}

/// The reason a line's own text and shape give, wherever it stands.
fn line_pattern(text: &str, shape: &Shape, key: Option<u64>, lex: &Lexicon) -> Option<Reason> {
    if rules::bare_url(text) {
        return Some(Reason::BareUrl);
    }
    if rules::photo_credit(text, shape) {
        return Some(Reason::PhotoCredit);
    }
    match rules::exact(key, lex) {
        Some(Reason::SectionLabel) | None => {}
        Some(reason) => return Some(reason),
    }
    if rules::share_bar(text, shape, lex) {
        return Some(Reason::ShareBar);
    }
    rules::prefix(text, shape, lex)
}

fn title_like(shape: &Shape) -> bool {
    (1..=30).contains(&shape.word_count) && !shape.ends_colon && shape.letters >= 2
}

/// Plain text: what stays outside the article is page furniture (menus, teasers, footers) —
/// except the title and the standfirst between the title and the body.
fn outside_body(
    shapes: &[Option<Shape>],
    prose: &[bool],
    verdicts: &mut [Verdict],
    body: (usize, usize),
    title: Option<usize>,
) -> (usize, usize) {
    let keep: Vec<bool> = verdicts.iter().map(|v| *v == Verdict::Keep).collect();
    let (start, end) = structure::grow(body, prose, shapes, &keep);
    // The standfirst: one of the first two kept lines under the title, before the body.
    let under_title: Vec<usize> = title
        .map(|t| (t + 1..start).filter(|&i| keep[i]).take(2).collect())
        .unwrap_or_default();
    for i in 0..verdicts.len() {
        if verdicts[i] != Verdict::Keep || (start..=end).contains(&i) || Some(i) == title {
            continue;
        }
        let standfirst =
            under_title.contains(&i) && shapes[i].as_ref().is_some_and(|s| s.word_count >= 8);
        if !standfirst {
            verdicts[i] = Verdict::Remove(Reason::OutsideContent);
        }
    }
    (start, end)
}

/// Author names: a line that is only a name ([`rules::name_line`]), before the body or in its
/// lead, within two lines of a byline or right next to other removed furniture, is a byline too.
fn names(
    lines: &[crate::extract::Line],
    shapes: &[Option<Shape>],
    verdicts: &mut [Verdict],
    title: Option<usize>,
    before_body: impl Fn(usize) -> bool,
) {
    let non_blank: Vec<usize> = (0..lines.len()).filter(|&i| shapes[i].is_some()).collect();
    let candidates: Vec<usize> = non_blank
        .iter()
        .enumerate()
        .filter(|&(_, &i)| {
            verdicts[i] == Verdict::Keep
                && Some(i) != title
                && before_body(i)
                && shapes[i]
                    .as_ref()
                    .is_some_and(|s| rules::name_line(&lines[i].text, s))
        })
        .filter(|&(k, _)| {
            let byline_near = (k.saturating_sub(2)..(k + 3).min(non_blank.len()))
                .any(|m| m != k && verdicts[non_blank[m]] == Verdict::Remove(Reason::Byline));
            let removed_next = [k.wrapping_sub(1), k + 1].iter().any(|&m| {
                non_blank
                    .get(m)
                    .is_some_and(|&j| matches!(verdicts[j], Verdict::Remove(_)))
            });
            byline_near || removed_next
        })
        .map(|(_, &i)| i)
        .collect();
    for i in candidates {
        verdicts[i] = Verdict::Remove(Reason::Byline);
    }
}

/// Menus: three or more consecutive short lines (three words or fewer, no sentence) outside the
/// body.
fn menus(
    shapes: &[Option<Shape>],
    verdicts: &mut [Verdict],
    body: Option<(usize, usize)>,
    title: Option<usize>,
) {
    let menu_item: Vec<bool> = (0..shapes.len())
        .map(|i| {
            verdicts[i] == Verdict::Keep
                && Some(i) != title
                && structure::zone(i, body) != Zone::Body
                && shapes[i]
                    .as_ref()
                    .is_some_and(|s| s.word_count <= 3 && !s.ends_sentence && !s.ends_colon)
        })
        .collect();
    let mut run: Vec<usize> = Vec::new();
    let flush = |run: &mut Vec<usize>, verdicts: &mut [Verdict]| {
        if run.len() >= 3 {
            for &i in run.iter() {
                verdicts[i] = Verdict::Remove(Reason::Navigation);
            }
        }
        run.clear();
    };
    for i in 0..shapes.len() {
        if shapes[i].is_none() {
            continue;
        }
        if menu_item[i] {
            run.push(i);
        } else {
            flush(&mut run, verdicts);
        }
    }
    flush(&mut run, verdicts);
}

/// Repeated lines: short lines printed more than once lose every copy (but the title), long lines
/// are kept with a note, and a line that begins a removed line close by (a caption printed
/// again with its credit) goes with it.
fn repeats(
    shapes: &[Option<Shape>],
    lines: &[crate::extract::Line],
    verdicts: &mut [Verdict],
    body: Option<(usize, usize)>,
    title: Option<usize>,
    notes: &mut Vec<Note>,
) {
    use std::collections::HashMap;
    // Copies are the same text up to case and spacing; numbers must match, so "$19.99" and
    // "$24.99" lines are not copies of each other.
    let mut copies: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        if verdicts[i] == Verdict::Keep && line.key.is_some() {
            let exact = line
                .text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            copies.entry(exact).or_default().push(i);
        }
    }
    let mut groups: Vec<Vec<usize>> = copies.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    for group in groups {
        let shape = shapes[group[0]].as_ref().expect("kept lines have a shape");
        let protected = |i: usize| {
            Some(i) == title
                || (structure::zone(i, body) == Zone::Body
                    && shapes[i].as_ref().is_some_and(|s| s.question))
        };
        if shape.word_count <= 6 {
            for &i in &group {
                if !protected(i) {
                    verdicts[i] = Verdict::Remove(Reason::RepeatedLine);
                }
            }
        } else {
            // A long line printed more than once may be a rendering artifact or meant (a
            // refrain, a pull quote): it is kept, and the later copies are noted.
            for &i in &group[1..] {
                notes.push(Note {
                    index: i,
                    rule: Reason::RepeatedLine,
                    why: format!(
                        "the same text as line {}; kept because long lines may repeat on purpose",
                        lines[group[0]].number
                    ),
                });
            }
        }
    }
    for i in 0..lines.len() {
        if verdicts[i] != Verdict::Keep || Some(i) == title {
            continue;
        }
        let Some(shape) = &shapes[i] else { continue };
        if shape.word_count < 4 {
            continue;
        }
        let near = i.saturating_sub(6)..(i + 7).min(lines.len());
        let mut mine: Option<String> = None;
        let starts_removed = near.into_iter().any(|j| {
            if j == i
                || !matches!(
                    verdicts[j],
                    Verdict::Remove(Reason::PhotoCredit | Reason::Caption)
                )
            {
                return false;
            }
            let mine = mine.get_or_insert_with(|| normalize(&lines[i].text));
            let theirs = normalize(&lines[j].text);
            theirs.len() > mine.len() && theirs.starts_with(mine.as_str())
        });
        if starts_removed {
            verdicts[i] = Verdict::Remove(Reason::RepeatedLine);
        }
    }
}

/// Related lists: runs of headline-like lines after the body; see the module docs.
fn related_list(
    lines: &[crate::extract::Line],
    shapes: &[Option<Shape>],
    verdicts: &mut [Verdict],
    related_heading: &[bool],
    body: Option<(usize, usize)>,
    title: Option<usize>,
    notes: &mut Vec<Note>,
) {
    let Some((_, end)) = body else { return };
    let main = structure::main_script(shapes);
    // Items of the current run; items already removed by another rule (a headline that is also
    // site template) count towards the run's length but keep their own reason.
    let mut run: Vec<usize> = Vec::new();
    let mut seen_furniture = false;
    let mut run_evidence = false;
    // Whether the current run starts right under a related-list heading.
    let mut headed = false;
    let finish = |run: &mut Vec<usize>,
                  evidence: bool,
                  headed: bool,
                  verdicts: &mut [Verdict],
                  notes: &mut Vec<Note>| {
        let is = |i: &usize, f: fn(&Shape, Script) -> bool| {
            shapes[*i].as_ref().is_some_and(|s| f(s, main))
        };
        let headlines = run
            .iter()
            .filter(|i| is(i, |s, m| s.is_headline() || structure::foreign(s, m)))
            .count();
        let foreign = run.iter().any(|i| is(i, structure::foreign));
        let kept: Vec<usize> = run
            .iter()
            .copied()
            .filter(|&i| verdicts[i] == Verdict::Keep)
            .collect();
        // Items already removed as recurring template or as links mark the rest too.
        let by_members = run.iter().any(|&i| {
            matches!(
                verdicts[i],
                Verdict::Remove(
                    Reason::SiteTemplate
                        | Reason::CrossSiteFurniture
                        | Reason::RelatedLink
                        | Reason::RelatedList
                )
            )
        });
        let marked = evidence || foreign || by_members;
        // The lines to remove must themselves look like links: mostly headlines.
        let kept_links = kept
            .iter()
            .filter(|i| is(i, |s, m| s.is_headline() || structure::foreign(s, m)))
            .count();
        if run.len() >= 3 && headlines >= 2 && !kept.is_empty() && kept_links * 2 >= kept.len() {
            if marked {
                // From the first link-like line to the last: a sentence before or after the
                // list is not part of it; captions between its headlines are.
                let link = |i: &usize| is(i, |s, m| s.is_headline() || structure::foreign(s, m));
                // Under a heading, the whole run is the list.
                let first = if headed {
                    0
                } else {
                    kept.iter().position(link).unwrap_or(0)
                };
                let last = if headed {
                    kept.len() - 1
                } else {
                    kept.iter().rposition(link).unwrap_or(0)
                };
                for &i in &kept[first..=last] {
                    verdicts[i] = Verdict::Remove(Reason::RelatedList);
                }
            } else if headlines >= 3 {
                notes.push(Note {
                    index: kept[0],
                    rule: Reason::RelatedList,
                    why: format!(
                        "starts a run of {} headline-like lines after the article; kept \
                             because nothing marks it as a list of links",
                        run.len()
                    ),
                });
            }
        }
        run.clear();
    };
    for i in end + 1..shapes.len() {
        if lines[i].block.dropped.is_some() {
            // A block the DOM put outside the article ends any list inside it.
            finish(&mut run, run_evidence, headed, verdicts, notes);
            headed = false;
            continue;
        }
        let Some(shape) = &shapes[i] else { continue };
        let list_like = Some(i) != title && structure::list_like(shape, main);
        match verdicts[i] {
            Verdict::Remove(_) if related_heading[i] => {
                finish(&mut run, run_evidence, headed, verdicts, notes);
                seen_furniture = true;
                run_evidence = true;
                headed = true;
            }
            Verdict::Remove(_) => {
                seen_furniture = true;
                if run.is_empty() {
                    run_evidence = true;
                } else if list_like && shape.is_headline() {
                    run.push(i);
                }
            }
            Verdict::Keep if list_like => {
                if run.is_empty() && !headed {
                    run_evidence = seen_furniture;
                }
                run.push(i);
            }
            _ => {
                finish(&mut run, run_evidence, headed, verdicts, notes);
                headed = false;
            }
        }
    }
    finish(&mut run, run_evidence, headed, verdicts, notes);
}
