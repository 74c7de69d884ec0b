//! HTML: one line per block of visible text, in document order, with DOM context.
//!
//! (First version: every visible block becomes a line; main-content selection comes next.)

use super::{Block, BlockKind, Document, Format, Line, Meta, host_of};
use crate::decode::Decoding;
use ego_tree::NodeRef;
use scraper::{Html, Node};

/// Parses a page and turns it into lines.
pub fn extract(source: &str, decoding: Decoding, url: Option<&str>) -> Document {
    let html = Html::parse_document(source);
    let mut lines = Vec::new();
    let mut current = String::new();
    walk(html.tree.root(), &mut current, &mut lines);
    flush(&mut current, &mut lines);
    let title = html
        .select(&scraper::Selector::parse("title").expect("valid selector"))
        .next()
        .map(|t| {
            t.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty());
    Document {
        format: Format::Html,
        decoding,
        meta: Meta {
            url: url.map(str::to_owned),
            host: url.and_then(host_of),
            title,
            ..Meta::default()
        },
        lines,
    }
}

fn flush(current: &mut String, lines: &mut Vec<Line>) {
    let text = current.split_whitespace().collect::<Vec<_>>().join(" ");
    current.clear();
    if text.is_empty() {
        return;
    }
    lines.push(Line {
        text,
        number: lines.len() as u32 + 1,
        key: None,
        block: Block {
            kind: BlockKind::Paragraph,
            flags: 0,
            link_percent: 0,
            dropped: None,
        },
    });
}

fn walk(node: NodeRef<'_, Node>, current: &mut String, lines: &mut Vec<Line>) {
    match node.value() {
        Node::Text(text) => current.push_str(text),
        Node::Element(el) => {
            let name = el.name();
            if matches!(
                name,
                "script" | "style" | "noscript" | "template" | "svg" | "iframe" | "head" | "title"
            ) {
                return;
            }
            let block = !matches!(
                name,
                "a" | "span"
                    | "b"
                    | "i"
                    | "em"
                    | "strong"
                    | "small"
                    | "sup"
                    | "sub"
                    | "u"
                    | "code"
                    | "abbr"
                    | "cite"
                    | "q"
                    | "mark"
                    | "time"
                    | "font"
                    | "label"
                    | "s"
            );
            if block {
                flush(current, lines);
            }
            for child in node.children() {
                walk(child, current, lines);
            }
            if block {
                flush(current, lines);
            }
        }
        _ => {
            for child in node.children() {
                walk(child, current, lines);
            }
        }
    }
}
