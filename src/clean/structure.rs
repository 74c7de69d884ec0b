//! Structural rules: where the article body lies, and what the runs of lines around it are.
//!
//! The *body* is the longest stretch of prose: prose lines ([`Shape::is_prose`]) with at most
//! [`MAX_GAP`] other lines between neighbours (subheads, short sentences, a caption). Lines before
//! it are the *header* zone (title, standfirst, bylines, labels); lines after it the *trailer*
//! (comment prompts, subscription banners, related lists). A document without prose has no body,
//! and all its lines count as outside it.

use super::shape::{Script, Shape};

/// At most this many non-prose lines may stand between two prose lines of the body.
pub const MAX_GAP: usize = 3;

/// Where a line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// Before the body.
    Header,
    /// Inside the body.
    Body,
    /// After the body.
    Trailer,
}

/// The body's first and last line (indices into the document's lines), if it has one.
///
/// `prose[i]` says whether line `i` reads as prose, `live[i]` whether it is still in play
/// (non-blank and not yet removed); `chars[i]` is its length.
///
/// With `span` set (HTML, whose content the DOM already chose), the body is simply the first to
/// the last prose line, whatever stands between them.
///
/// Among several stretches, the one with the most prose wins, its prose weighed by how densely it
/// fills the stretch (teasers interleaved with timestamps and headlines are thin), and cut to a
/// quarter if it starts after `comments` (the first comment header), so that a long comment
/// thread does not pass for the article.
pub fn body(
    prose: &[bool],
    chars: &[usize],
    live: &[bool],
    span: bool,
    comments: Option<usize>,
) -> Option<(usize, usize)> {
    if span {
        let is = |i: &usize| live[*i] && prose[*i];
        let first = (0..prose.len()).find(is)?;
        let last = (0..prose.len()).rev().find(is)?;
        return Some((first, last));
    }
    // Stretches of prose: (start, end, prose chars, prose lines).
    let mut stretches: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut gap = 0;
    for i in 0..prose.len() {
        if !live[i] {
            continue;
        }
        if prose[i] {
            match stretches.last_mut() {
                Some(s) if gap <= MAX_GAP => {
                    s.1 = i;
                    s.2 += chars[i];
                    s.3 += 1;
                }
                _ => stretches.push((i, i, chars[i], 1)),
            }
            gap = 0;
        } else {
            gap += 1;
        }
    }
    let weight = |&(start, end, total, lines): &(usize, usize, usize, usize)| {
        let spanned = (start..=end).filter(|&i| live[i]).count().max(1);
        let density = lines as f64 / spanned as f64;
        let comment_thread = comments.is_some_and(|c| start > c);
        total as f64 * density * if comment_thread { 0.25 } else { 1.0 }
    };
    stretches
        .iter()
        .fold(None::<(usize, usize, usize, usize)>, |best, s| match best {
            Some(b) if weight(&b) >= weight(s) => Some(b),
            _ => Some(*s),
        })
        .map(|(start, end, _, _)| (start, end))
}

/// Plain text only: the body grown over what belongs to the article around it. Going forward,
/// it takes in short sentences (a closing "He declined to comment."), removed lines, and subheads
/// followed by a sentence, and reaches any prose found that way; going back, it reaches prose
/// before it the same way. It stops at a kept line that is none of these (a menu item, a
/// headline), or after [`MAX_JOIN`] lines without a sentence.
///
/// `keep[i]` says whether line `i` is a kept non-blank line.
pub fn grow(
    (start, end): (usize, usize),
    prose: &[bool],
    shapes: &[Option<Shape>],
    keep: &[bool],
) -> (usize, usize) {
    let sentence = |i: usize| {
        shapes[i]
            .as_ref()
            .is_some_and(|s| s.ends_sentence && s.word_count >= 3 && s.letters >= 6)
    };
    let subhead = |i: usize| shapes[i].as_ref().is_some_and(|s| s.word_count <= 8);
    let next_kept = |i: usize, step: isize| -> Option<usize> {
        let mut j = i as isize + step;
        while j >= 0 && (j as usize) < keep.len() {
            if keep[j as usize] {
                return Some(j as usize);
            }
            j += step;
        }
        None
    };
    let walk = |from: usize, step: isize, reach_sentences: bool| -> usize {
        let mut edge = from;
        let mut i = from;
        let mut idle = 0;
        while let Some(j) = next_kept(i, step) {
            // Removed lines between i and j are part of the stretch; count them as idle steps.
            idle += j.abs_diff(i);
            if prose[j] || (reach_sentences && sentence(j)) {
                if prose[j] || idle <= MAX_JOIN {
                    edge = j;
                    idle = 0;
                    i = j;
                    continue;
                }
                break;
            }
            let followed = next_kept(j, step).is_some_and(|k| prose[k] || sentence(k));
            if subhead(j) && followed && idle <= MAX_JOIN {
                i = j;
                continue;
            }
            break;
        }
        edge
    };
    let end = walk(end, 1, true);
    let start = walk(start, -1, false);
    (start, end)
}

/// How far [`grow`] looks past the body without finding a sentence.
pub const MAX_JOIN: usize = 12;

/// The zone of line `i` given the body.
pub fn zone(i: usize, body: Option<(usize, usize)>) -> Zone {
    match body {
        Some((start, _)) if i < start => Zone::Header,
        Some((_, end)) if i > end => Zone::Trailer,
        Some(_) => Zone::Body,
        None => Zone::Header,
    }
}

/// The script most of the document's letters are in.
pub fn main_script(shapes: &[Option<Shape>]) -> Script {
    let mut counts: Vec<(Script, usize)> = Vec::new();
    for shape in shapes.iter().flatten() {
        match counts.iter_mut().find(|(s, _)| *s == shape.script) {
            Some((_, n)) => *n += shape.letters,
            None => counts.push((shape.script, shape.letters)),
        }
    }
    counts
        .into_iter()
        .filter(|(s, _)| *s != Script::None)
        .max_by_key(|&(s, n)| (n, std::cmp::Reverse(s)))
        .map_or(Script::None, |(s, _)| s)
}

/// Whether a line could be an item of a list of links: a headline, a line in another script,
/// or a short caption-like sentence.
pub fn list_like(shape: &Shape, main: Script) -> bool {
    shape.is_headline() || foreign(shape, main) || (shape.word_count <= 15 && shape.letters >= 4)
}

/// Whether a line is in another script than the document.
pub fn foreign(shape: &Shape, main: Script) -> bool {
    shape.script != Script::None
        && main != Script::None
        && shape.script != main
        && shape.letters >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(lines: &[&str]) -> Vec<Option<Shape>> {
        lines
            .iter()
            .map(|l| (!l.trim().is_empty()).then(|| Shape::of(l)))
            .collect()
    }

    fn body(s: &[Option<Shape>], live: &[bool], span: bool) -> Option<(usize, usize)> {
        let prose: Vec<bool> = s
            .iter()
            .map(|s| s.as_ref().is_some_and(Shape::is_prose))
            .collect();
        let chars: Vec<usize> = s
            .iter()
            .map(|s| s.as_ref().map_or(0, |s| s.chars))
            .collect();
        super::body(&prose, &chars, live, span, None)
    }

    const PROSE: &str =
        "This sentence is long enough to count as running prose in a news article today.";

    #[test]
    fn body_is_the_longest_run_of_prose() {
        let lines = [
            "Title of the piece",
            PROSE,
            "Subhead",
            PROSE,
            "Comment below",
            "Share",
            "More",
            "Links",
            PROSE,
        ];
        let s = shapes(&lines);
        let live = vec![true; s.len()];
        assert_eq!(body(&s, &live, false), Some((1, 3)));
        assert_eq!(body(&s, &live, true), Some((1, 8)));
        assert_eq!(zone(0, Some((1, 3))), Zone::Header);
        assert_eq!(zone(8, Some((1, 3))), Zone::Trailer);
        let none = shapes(&["Just", "short lines"]);
        assert_eq!(body(&none, &[true, true], false), None);
    }

    #[test]
    fn main_script_and_foreign_lines() {
        let s = shapes(&[PROSE, "עדי שטרן"]);
        let main = main_script(&s);
        assert_eq!(main, Script::Latin);
        assert!(foreign(s[1].as_ref().unwrap(), main));
        assert!(list_like(s[1].as_ref().unwrap(), main));
    }
}
