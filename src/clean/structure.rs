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
pub fn body(prose: &[bool], chars: &[usize], live: &[bool], span: bool) -> Option<(usize, usize)> {
    if span {
        let is = |i: &usize| live[*i] && prose[*i];
        let first = (0..prose.len()).find(is)?;
        let last = (0..prose.len()).rev().find(is)?;
        return Some((first, last));
    }
    let mut best: Option<(usize, usize, usize)> = None; // (start, end, prose chars)
    let mut current: Option<(usize, usize, usize)> = None;
    let mut gap = 0;
    for i in 0..prose.len() {
        if !live[i] {
            continue;
        }
        if prose[i] {
            current = match current {
                Some((start, _, total)) if gap <= MAX_GAP => Some((start, i, total + chars[i])),
                _ => {
                    if let Some(c) = current
                        && best.is_none_or(|b| c.2 > b.2)
                    {
                        best = Some(c);
                    }
                    Some((i, i, chars[i]))
                }
            };
            gap = 0;
        } else {
            gap += 1;
        }
    }
    if let Some(c) = current
        && best.is_none_or(|b| c.2 > b.2)
    {
        best = Some(c);
    }
    best.map(|(start, end, _)| (start, end))
}

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
        super::body(&prose, &chars, live, span)
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
