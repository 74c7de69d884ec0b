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
use rustc_hash::FxHashMap;
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
///
/// The passes run in the order of evidence; each reads what the passes before it decided. A new
/// rule belongs in the pass of its evidence; a new kind of evidence is a new pass here.
pub fn apply(doc: &Document, learning: Learning<'_>, opts: &CleanOptions) -> Cleaned {
    let mut page = Page::measure(doc, learning, opts);
    page.line_evidence();
    page.find_body();
    page.find_title();
    page.judge_by_zone();
    page.repeats();
    page.names();
    page.menus();
    page.related_list();
    page.trim_outside_body();
    page.name_by_frequency();
    page.finish()
}

/// One document as the passes of [`apply`] see it: the lines' measurements and what has been
/// decided so far.
struct Page<'a> {
    doc: &'a Document,
    lex: &'static Lexicon,
    /// The shape of every line still to be judged (`None`: blank, or dropped by the DOM).
    shapes: Vec<Option<Shape>>,
    /// The learned evidence of every line.
    freq: Vec<Option<Learned>>,
    /// The site's article count in the model.
    site_units: u64,
    verdicts: Vec<Verdict>,
    notes: Vec<Note>,
    /// Lines that head a list of related links.
    related_heading: Vec<bool>,
    /// Frequent headlines waiting until the title is known.
    held: Vec<bool>,
    /// Lines that read as prose (a long dateline does not).
    prose: Vec<bool>,
    /// The DOM chose the content (HTML): the body is the span of its prose.
    span: bool,
    body: Option<(usize, usize)>,
    /// The first prose line after the standfirst: the lead ends there.
    lead_end: Option<usize>,
    title: Option<usize>,
    title_from_dom: bool,
}

impl<'a> Page<'a> {
    /// Measures every line and looks up its learned counts.
    fn measure(doc: &'a Document, learning: Learning<'_>, opts: &CleanOptions) -> Page<'a> {
        let n = doc.lines.len();
        // Lines the DOM already dropped are not measured: no rule looks at them again.
        let shapes = doc
            .lines
            .iter()
            .map(|l| (!l.is_blank() && l.block.dropped.is_none()).then(|| Shape::of(&l.text)))
            .collect();
        let site_units = learning.site.map_or(0, |s| learning.model.site_units(s));
        let freq = doc
            .lines
            .iter()
            .map(|line| {
                let key = line.key.filter(|_| !line.is_blank())?;
                learned(learning.model.stats(learning.site, key), site_units, opts)
            })
            .collect();
        Page {
            doc,
            lex: lexicon::builtin(),
            shapes,
            freq,
            site_units,
            verdicts: Cleaned::keep_all(doc).verdicts,
            notes: Vec::new(),
            related_heading: vec![false; n],
            held: vec![false; n],
            prose: Vec::new(),
            span: doc.lines.iter().any(|l| l.block.has(flags::IN_CONTENT)),
            body: None,
            lead_end: None,
            title: None,
            title_from_dom: false,
        }
    }

    fn shape(&self, i: usize) -> &Shape {
        self.shapes[i]
            .as_ref()
            .expect("lines still judged have a shape")
    }

    fn text(&self, i: usize) -> &'a str {
        &self.doc.lines[i].text
    }

    fn remove(&mut self, i: usize, reason: Reason) {
        self.verdicts[i] = Verdict::Remove(reason);
    }

    /// Whether line `i` stands between the standfirst and the next prose line, where bylines,
    /// datelines and author names sit.
    fn in_lead(&self, i: usize) -> bool {
        self.body.is_some_and(|(start, _)| i > start) && self.lead_end.is_some_and(|e| i < e)
    }

    /// 1–3: the DOM, strong learned evidence and patterns, line by line.
    fn line_evidence(&mut self) {
        let (doc, lex) = (self.doc, self.lex);
        for (i, line) in doc.lines.iter().enumerate() {
            if line.is_blank() {
                continue;
            }
            let freq = self.freq[i];
            if let Some(reason) = line.block.dropped {
                // The DOM already decided; a learned reason, if there is one, names it first.
                self.remove(i, freq.map_or(reason, |f| f.reason));
                continue;
            }
            let shape = self.shape(i);
            let related_heading = rules::related_heading(line.key, &line.text, shape, lex);
            let pattern = line_pattern(&line.text, shape, line.key, lex);
            let headline = shape.is_headline();
            self.related_heading[i] = related_heading;
            if let Some(f) = freq.filter(|f| f.strong || pattern.is_some()) {
                // A headline in fewer than half the site's pages may be this page's own title,
                // which other pages list as a related link: it waits until the title is known.
                if pattern.is_none() && headline && f.share < 0.5 {
                    self.held[i] = true;
                } else {
                    self.remove(i, f.reason);
                }
            } else if let Some(reason) = pattern {
                self.remove(i, reason);
            }
        }
    }

    /// 4: the body among the lines still standing, and its lead.
    fn find_body(&mut self) {
        let live: Vec<bool> = self.verdicts.iter().map(|v| *v == Verdict::Keep).collect();
        // Prose by shape, but a long dateline ("… at 7:00 a.m.") is not prose.
        self.prose = self
            .shapes
            .iter()
            .map(|s| {
                s.as_ref()
                    .is_some_and(|s| s.is_prose() && !rules::dateline(s, self.lex))
            })
            .collect();
        let chars: Vec<usize> = self
            .shapes
            .iter()
            .map(|s| s.as_ref().map_or(0, |s| s.chars))
            .collect();
        let comments = (0..self.shapes.len()).find(|&i| {
            self.shapes[i]
                .as_ref()
                .is_some_and(|s| rules::comment_header(self.text(i), s, self.lex))
        });
        self.body = structure::body(&self.prose, &chars, &live, self.span, comments);
        // The lead: lines between a standfirst (the body's first prose line) and the next prose
        // line. They are judged as outside the body.
        self.lead_end = self
            .body
            .and_then(|(start, end)| (start + 1..=end).find(|&i| live[i] && self.prose[i]));
    }

    /// The title: the page's `<h1>`, else the headline nearest above the body (scrapes often
    /// open with menus and other stories' headlines): three or more words, not a byline, a name
    /// or a dateline.
    fn find_title(&mut self) {
        self.title = self
            .doc
            .lines
            .iter()
            .position(|l| l.block.has(flags::TITLE))
            .filter(|&i| self.verdicts[i] == Verdict::Keep);
        self.title_from_dom = self.title.is_some();
        let Some((start, _)) = self.body.filter(|_| self.title.is_none()) else {
            return;
        };
        let lex = self.lex;
        let candidates = (0..start)
            .rev()
            .filter(|&i| self.verdicts[i] == Verdict::Keep)
            .take(12);
        for i in candidates {
            let shape = self.shape(i);
            let text = self.text(i);
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
                self.title = Some(i);
                break;
            }
        }
    }

    /// 4: what stands outside the body (or in its lead), and frequent lines inside it.
    fn judge_by_zone(&mut self) {
        for i in 0..self.verdicts.len() {
            if self.verdicts[i] != Verdict::Keep {
                continue;
            }
            if let Some(f) = self.freq[i]
                && self.judge_frequent(i, f)
            {
                continue;
            }
            if self.title != Some(i) {
                self.judge_furniture(i);
            }
        }
    }

    /// A frequent line: removed outside the body, or inside it with furniture words; a
    /// moderately frequent headline right above the body is this page's own title, which other
    /// pages of the site list in their related links. Returns whether the line is decided.
    fn judge_frequent(&mut self, i: usize, f: Learned) -> bool {
        let outside = structure::zone(i, self.body) != Zone::Body || self.in_lead(i);
        if self.title == Some(i) {
            self.notes.push(Note {
                index: i,
                rule: f.reason,
                why: format!(
                    "in {} of {} articles of this site; kept as this page's title (other \
                     pages link to it)",
                    f.stats.site_units, self.site_units
                ),
            });
            return true;
        }
        let evidence = || {
            rules::keyword_score(self.shape(i), self.lex).is_some_and(|s| s.score >= s.needed - 1)
        };
        if outside || self.held[i] || evidence() {
            self.remove(i, f.reason);
            return true;
        }
        self.notes.push(Note {
            index: i,
            rule: f.reason,
            why: format!(
                "in {} of {} articles of this site ({} in all, on {} sites); kept because \
                 it stands inside the article body",
                f.stats.site_units, self.site_units, f.stats.units, f.stats.sites
            ),
        });
        false
    }

    /// Bylines, datelines, author notes and section labels by where they stand; outside the
    /// body, lines whose furniture words score high enough (the first title-like line before
    /// the body becomes the title instead).
    fn judge_furniture(&mut self, i: usize) {
        let lex = self.lex;
        let (shape, text) = (self.shape(i), self.text(i));
        let byline_hint = self.doc.lines[i].block.has(flags::HINT_BYLINE) && shape.word_count <= 12;
        let zone = structure::zone(i, self.body);
        let lead = self.in_lead(i);
        let last_prose = self.body.is_some_and(|(_, end)| i == end);
        // A dateline outside the body, an author's note after it, a byline in the lead.
        let credit = ((zone != Zone::Body || lead) && rules::dateline(shape, lex))
            || ((zone == Zone::Trailer || last_prose)
                && rules::author_note(text, shape, last_prose))
            || (lead && (rules::byline(text, shape, lex) || byline_hint));
        let reason = if credit {
            Some(Reason::Byline)
        } else if zone == Zone::Body {
            return;
        } else if zone == Zone::Header
            && self.title.is_none_or(|t| i < t)
            && rules::section_label(text, shape, self.doc.lines[i].key, lex)
        {
            Some(Reason::SectionLabel)
        } else if zone == Zone::Header && (rules::byline(text, shape, lex) || byline_hint) {
            Some(Reason::Byline)
        } else {
            None
        };
        if let Some(reason) = reason {
            self.remove(i, reason);
            return;
        }
        let score = rules::keyword_score(shape, lex);
        // The first title-like line before the body is the title, unless its furniture words
        // score more than the least that removes a line.
        if zone == Zone::Header
            && self.title.is_none()
            && !self.title_from_dom
            && title_like(shape)
            && score.is_none_or(|s| s.score <= s.needed)
        {
            self.title = Some(i);
            return;
        }
        let Some(score) = score else { return };
        if score.score >= score.needed {
            self.remove(i, score.reason);
        } else if score.score == score.needed - 1 {
            self.notes.push(Note {
                index: i,
                rule: score.reason,
                why: format!(
                    "furniture words score {} of the {} needed",
                    score.score, score.needed
                ),
            });
        }
    }

    /// 5: repeated lines.
    fn repeats(&mut self) {
        repeats(
            &self.shapes,
            &self.doc.lines,
            &mut self.verdicts,
            self.body,
            self.title,
            &mut self.notes,
        );
    }

    /// 5: author names next to bylines, before the body or in its lead.
    fn names(&mut self) {
        let before_body =
            |i: usize| structure::zone(i, self.body) == Zone::Header || self.in_lead(i);
        let found = names(
            &self.doc.lines,
            &self.shapes,
            &self.verdicts,
            self.title,
            before_body,
        );
        for i in found {
            self.remove(i, Reason::Byline);
        }
    }

    /// 5: runs of short lines outside the body.
    fn menus(&mut self) {
        menus(&self.shapes, &mut self.verdicts, self.body, self.title);
    }

    /// 6: lists of related links after the body.
    fn related_list(&mut self) {
        related_list(
            &self.doc.lines,
            &self.shapes,
            &mut self.verdicts,
            &self.related_heading,
            self.body,
            self.title,
            &mut self.notes,
        );
    }

    /// Plain text: the body grown over the article around it, and the rest removed.
    fn trim_outside_body(&mut self) {
        if self.span {
            return;
        }
        if let Some(found) = self.body {
            self.body = Some(outside_body(
                &self.shapes,
                &self.prose,
                &mut self.verdicts,
                found,
                self.title,
            ));
        }
    }

    /// A line that recurs and is removed by another rule too is named by frequency, the main
    /// signal.
    fn name_by_frequency(&mut self) {
        for (verdict, f) in self.verdicts.iter_mut().zip(&self.freq) {
            if let (Verdict::Remove(r), Some(f)) = (*verdict, f)
                && !matches!(r, Reason::SiteTemplate | Reason::CrossSiteFurniture)
            {
                *verdict = Verdict::Remove(f.reason);
            }
        }
    }

    fn finish(self) -> Cleaned {
        let Page {
            verdicts,
            mut notes,
            title,
            body,
            ..
        } = self;
        notes.retain(|note| verdicts[note.index] == Verdict::Keep);
        notes.sort_by_key(|note| note.index);
        Cleaned {
            verdicts,
            title,
            notes,
            body,
        }
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
/// Returns the lines to remove as bylines.
fn names(
    lines: &[crate::extract::Line],
    shapes: &[Option<Shape>],
    verdicts: &[Verdict],
    title: Option<usize>,
    before_body: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let non_blank: Vec<usize> = (0..lines.len()).filter(|&i| shapes[i].is_some()).collect();
    non_blank
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
        .collect()
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
    // Copies are the same text up to case and spacing; numbers must match, so "$19.99" and
    // "$24.99" lines are not copies of each other. Copies have the same key, so only lines whose
    // key recurs are compared by their text.
    let candidates = || {
        lines
            .iter()
            .enumerate()
            .filter(|&(i, _)| verdicts[i] == Verdict::Keep)
            .filter_map(|(i, line)| Some((i, line.key?)))
    };
    let mut per_key: FxHashMap<u64, u32> = FxHashMap::default();
    for (_, key) in candidates() {
        *per_key.entry(key).or_default() += 1;
    }
    let mut copies: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    let mut exact = String::new();
    for (i, key) in candidates() {
        if per_key[&key] < 2 {
            continue;
        }
        exact.clear();
        for word in lines[i].text.split_whitespace() {
            if !exact.is_empty() {
                exact.push(' ');
            }
            exact.push_str(word);
        }
        let exact = if exact.is_ascii() {
            exact.to_ascii_lowercase()
        } else {
            exact.to_lowercase()
        };
        copies.entry(exact).or_default().push(i);
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
