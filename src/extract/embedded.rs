//! The article a page carries in its JSON-LD (`articleBody`), used when the visible page has
//! next to none of it: pages whose text a script writes in, pages behind a paywall that still
//! describe the whole article to search engines.
//!
//! [`apply`] finds the longest `articleBody` in the page's JSON-LD blocks (at any depth, in
//! `@graph` lists too) and puts its paragraphs into the document's lines, after the title, when
//! the content the DOM gave keeps less than a quarter of its length. The lines of
//! that content are then dropped as `outside-content` (they are the article's first lines or a
//! teaser of it, and the body says them again).

use super::{Block, BlockKind, Line, flags};
use crate::reason::Reason;
use serde_json::Value;

/// Shorter bodies are summaries, not articles.
const MIN_BODY: usize = 500;

/// The longest `articleBody` string in the JSON-LD blocks, if any.
fn article_body(json_ld: &[String]) -> Option<String> {
    let mut best: Option<String> = None;
    for block in json_ld {
        // Only blocks that name an article body are parsed at all.
        if !block.contains("articleBody") {
            continue;
        }
        let Ok(value) = serde_json::from_str::<Value>(block.trim()) else {
            continue;
        };
        let mut stack = vec![&value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Object(map) => {
                    if let Some(Value::String(body)) = map.get("articleBody")
                        && best.as_ref().is_none_or(|b| body.len() > b.len())
                    {
                        best = Some(body.clone());
                    }
                    stack.extend(map.values());
                }
                Value::Array(items) => stack.extend(items),
                _ => {}
            }
        }
    }
    best
}

/// Characters of the content the DOM gave (its title aside).
fn kept_len(lines: &[Line]) -> usize {
    lines
        .iter()
        .filter(|l| kept(l) && !l.block.has(flags::TITLE))
        .map(|l| l.text.chars().count())
        .sum()
}

fn kept(l: &Line) -> bool {
    l.block.dropped.is_none() && l.block.has(flags::IN_CONTENT)
}

/// Reads the article from the JSON-LD blocks into `lines` when the DOM's content is short
/// beside it; returns whether it did. Pages whose content is longer than a quarter of their
/// JSON-LD are not parsed at all.
pub(crate) fn apply(lines: &mut Vec<Line>, json_ld: &[String]) -> bool {
    let ld_len: usize = json_ld
        .iter()
        .filter(|b| b.contains("articleBody"))
        .map(String::len)
        .sum();
    if ld_len < MIN_BODY || kept_len(lines) * 4 >= ld_len {
        return false;
    }
    article_body(json_ld).is_some_and(|body| splice(lines, &body))
}

/// Puts the body's paragraphs into `lines` when the DOM's content keeps less than a quarter of
/// it; returns whether it did.
fn splice(lines: &mut Vec<Line>, body: &str) -> bool {
    let paragraphs: Vec<String> = body
        .split(['\n', '\r'])
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .map(|p| super::text::strip_invisible(&p).into_owned())
        .filter(|p| !p.is_empty())
        .collect();
    let body_len: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
    if body_len < MIN_BODY || looks_like_markup(body) {
        return false;
    }
    if kept_len(lines) * 4 >= body_len {
        return false;
    }
    for line in lines.iter_mut() {
        if kept(line) && !line.block.has(flags::TITLE) {
            line.block.dropped = Some(Reason::OutsideContent);
        }
    }
    let at = lines
        .iter()
        .position(|l| l.block.has(flags::TITLE))
        .map_or(lines.len(), |t| t + 1);
    let block = Block {
        kind: BlockKind::Paragraph,
        flags: flags::IN_CONTENT,
        link_percent: 0,
        dropped: None,
    };
    let new = paragraphs.into_iter().map(|text| Line {
        text,
        number: 0,
        key: None,
        block,
    });
    lines.splice(at..at, new);
    for (i, line) in lines.iter_mut().enumerate() {
        line.number = i as u32 + 1;
    }
    true
}

/// An `articleBody` holding HTML tags is not text to be read as lines.
fn looks_like_markup(body: &str) -> bool {
    ["<p>", "<p ", "<div", "<br", "</p>"]
        .iter()
        .any(|tag| body.contains(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_body_is_found_at_any_depth() {
        let ld = vec![
            r#"{"@type":"Organization","name":"X"}"#.to_owned(),
            r#"{"@graph":[{"@type":"NewsArticle","articleBody":"short"},
                {"@type":"WebPage","mainEntity":{"articleBody":"the longer one"}}]}"#
                .to_owned(),
            "not json {articleBody".to_owned(),
        ];
        assert_eq!(article_body(&ld).as_deref(), Some("the longer one"));
        assert_eq!(article_body(&[]), None);
    }
}
