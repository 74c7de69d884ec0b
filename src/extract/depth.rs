//! Bounds on the work one page can cost, applied to the markup before parsing.
//!
//! html5ever checks the stack of open elements for every start tag, so a page of fifty thousand
//! nested `<div>`s takes seconds to parse, and a few megabytes of them would take hours. Browsers
//! cap the depth of the tree (Blink at 512). [`bound`] does the same before parsing: a cheap
//! scan over the markup measures how deep container tags nest; only if that passes [`MAX_DEPTH`]
//! is the markup rewritten, with the start and end tags nested deeper than the limit left out
//! (their text stays, in order). Tags whose end is optional (`p`, `li`, `td`…), void elements,
//! comments and raw-text elements (`script`, `style`) are skipped by the scan.
//!
//! The same scan bounds the attributes of a tag: html5ever compares every new attribute with
//! those before it in the tag (duplicates are dropped), so one tag with 300,000 attributes takes
//! most of a minute. Attributes past the first [`MAX_ATTRIBUTES`] of a start tag are left out.
//!
//! And it bounds the number of elements: past [`MAX_ELEMENTS`] start tags, later tags (and
//! comments) are left out and their text kept, a space in place of each tag; a script or style
//! past the limit goes whole. The parsed tree, which costs a few hundred bytes per node, then
//! stays bounded however large the page.
//!
//! With these bounds, parsing costs a small multiple of the page's size whatever its shape;
//! what was cut is returned as notes for the record.

use std::borrow::Cow;

/// The deepest nesting of container elements kept.
pub const MAX_DEPTH: usize = 512;

/// The most attributes kept on one start tag (real pages stay far below it).
pub const MAX_ATTRIBUTES: usize = 128;

/// The most elements (start tags) kept in one page; the text of later ones is kept, without
/// their tags. (A long news page has a few thousand elements, a very long one tens of thousands.)
pub const MAX_ELEMENTS: usize = 200_000;

/// The markup unchanged, or rewritten without the tags nested deeper than [`MAX_DEPTH`] and the
/// attributes past [`MAX_ATTRIBUTES`] in a tag; with a note for each kind of cut.
pub fn bound(source: &str) -> (Cow<'_, str>, Vec<String>) {
    let seen = scan(source, None);
    if seen.deepest <= MAX_DEPTH && seen.crowded_tags == 0 && seen.elements <= MAX_ELEMENTS {
        return (Cow::Borrowed(source), Vec::new());
    }
    let mut out = String::with_capacity(source.len());
    let cut = scan(source, Some(&mut out));
    let mut notes = Vec::new();
    if cut.deepest > MAX_DEPTH {
        notes.push(format!(
            "elements nested deeper than {MAX_DEPTH} levels were flattened"
        ));
    }
    if cut.crowded_tags > 0 {
        notes.push(format!(
            "{} attributes past the first {MAX_ATTRIBUTES} of a tag were left out (in {} tags)",
            cut.attributes_cut, cut.crowded_tags
        ));
    }
    if cut.tags_cut > 0 {
        notes.push(format!(
            "the page has more than {MAX_ELEMENTS} elements: {} later tags were left out (their \
             text, but for scripts and styles, is kept)",
            cut.tags_cut
        ));
    }
    (Cow::Owned(out), notes)
}

/// What a scan found.
#[derive(Debug, Default, Clone, Copy)]
struct Scanned {
    /// The deepest nesting of containers.
    deepest: usize,
    /// Start tags with more than [`MAX_ATTRIBUTES`] attributes.
    crowded_tags: usize,
    /// Attributes past the limit, in all.
    attributes_cut: usize,
    /// Start tags seen (counted up to one past [`MAX_ELEMENTS`] when only checking).
    elements: usize,
    /// Tags and comments left out past [`MAX_ELEMENTS`].
    tags_cut: usize,
}

/// A tag name in lowercase, if it is short enough to be one of the names below.
fn lower(name: &[u8]) -> Option<([u8; 16], usize)> {
    if name.len() > 16 {
        return None;
    }
    let mut buf = [0u8; 16];
    for (b, n) in buf.iter_mut().zip(name) {
        *b = n.to_ascii_lowercase();
    }
    Some((buf, name.len()))
}

/// Elements that are never containers for the scan's purposes.
fn not_counted(name: &[u8]) -> bool {
    let Some((buf, len)) = lower(name) else {
        return false;
    };
    matches!(
        &buf[..len],
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"td"
            | b"th"
            | b"tr"
            | b"option"
            | b"optgroup"
            | b"rb"
            | b"rt"
            | b"rp"
            | b"colgroup"
            | b"tbody"
            | b"thead"
            | b"tfoot"
            | b"html"
            | b"head"
            | b"body"
            | b"!doctype"
    )
}

fn raw_text(name: &[u8]) -> bool {
    let Some((buf, len)) = lower(name) else {
        return false;
    };
    matches!(
        &buf[..len],
        b"script"
            | b"style"
            | b"textarea"
            | b"title"
            | b"xmp"
            | b"iframe"
            | b"noembed"
            | b"noframes"
            | b"plaintext"
    )
}

/// Scans the markup; returns the deepest nesting seen and the tags with too many attributes.
/// With `out`, also writes the markup without the tags beyond the depth limit and the attributes
/// beyond the attribute limit. (Without `out`, it stops as soon as it knows a rewrite is due.)
fn scan(source: &str, mut out: Option<&mut String>) -> Scanned {
    let bytes = source.as_bytes();
    // The open container elements, innermost last: their lowercase names (as far as 16 bytes
    // tell them apart) and whether each lies beyond the limit (its tags are left out).
    let mut open: Vec<([u8; 16], bool)> = Vec::new();
    let mut seen = Scanned::default();
    let mut at = 0;
    let mut copied = 0;
    let emit = |out: &mut Option<&mut String>, from: usize, to: usize| {
        if let Some(out) = out.as_deref_mut() {
            out.push_str(&source[from..to]);
        }
    };
    while let Some(rel) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + rel;
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!--") {
            at = find(bytes, start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            if seen.elements > MAX_ELEMENTS {
                seen.tags_cut += 1;
                emit(&mut out, copied, start);
                copied = at;
            }
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'!' | b':'))
            .count();
        if name_len == 0 {
            at = start + 1;
            continue;
        }
        let name = &bytes[name_start..name_start + name_len];
        let end = tag_end(bytes, name_start + name_len);
        at = end;
        if !closing {
            seen.elements += 1;
        }
        if seen.elements > MAX_ELEMENTS {
            // Past the element budget every tag goes (a space stands in for it, so words do
            // not run together), and a script or style goes with its content.
            if out.is_none() {
                return seen;
            }
            seen.tags_cut += 1;
            emit(&mut out, copied, start);
            if let Some(out) = out.as_deref_mut() {
                out.push(' ');
            }
            if !closing && raw_text(name) {
                at = raw_text_end(bytes, end, name);
                at = tag_end(bytes, (at + 2 + name.len()).min(bytes.len()));
            }
            copied = at;
            continue;
        }
        // A start tag long enough to hold more attributes than allowed: count them.
        if !closing && end - (name_start + name_len) > 2 * MAX_ATTRIBUTES {
            let (count, cut_at) = attributes(&bytes[..end], name_start + name_len);
            if let Some(cut_at) = cut_at {
                seen.crowded_tags += 1;
                seen.attributes_cut += count - MAX_ATTRIBUTES;
                if out.is_none() {
                    return seen;
                }
                // Keep the tag up to its last allowed attribute, and close it (unless the tag
                // goes whole, being nested too deep).
                let too_deep = !raw_text(name) && !not_counted(name) && open.len() >= MAX_DEPTH;
                if !too_deep {
                    emit(&mut out, copied, cut_at);
                    if let Some(out) = out.as_deref_mut() {
                        out.push('>');
                    }
                    copied = end;
                }
            }
        }
        if !closing && raw_text(name) {
            at = raw_text_end(bytes, end, name);
            continue;
        }
        // `<div/>` opens a div: the parser ignores the slash on elements that are not void (and
        // void elements are not counted).
        if not_counted(name) {
            continue;
        }
        let key = key_of(name);
        let drop = if closing {
            // An end tag closes the nearest open element of its name and everything opened
            // inside it; one that matches nothing open (looked for near the top) changes nothing.
            match open.iter().rev().take(64).position(|(k, _)| *k == key) {
                Some(from_top) => {
                    let at = open.len() - 1 - from_top;
                    let beyond = open[at].1;
                    open.truncate(at);
                    beyond
                }
                None => false,
            }
        } else {
            let beyond = open.len() >= MAX_DEPTH;
            open.push((key, beyond));
            seen.deepest = seen.deepest.max(open.len());
            beyond
        };
        if out.is_none() && seen.deepest > MAX_DEPTH {
            return seen;
        }
        if drop {
            emit(&mut out, copied, start);
            copied = end;
        }
    }
    emit(&mut out, copied, bytes.len());
    seen
}

/// Counts the attributes of a start tag whose name ends at `i` (the tokenizer's rules: names run
/// to whitespace, `/`, `>` or `=`; values are quoted or run to whitespace or `>`). Returns the
/// count and, past [`MAX_ATTRIBUTES`], where the first attribute beyond the limit starts.
fn attributes(bytes: &[u8], mut i: usize) -> (usize, Option<usize>) {
    let mut count = 0;
    let mut cut_at = None;
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0C);
    loop {
        while i < bytes.len() && (space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return (count, cut_at);
        }
        count += 1;
        if count == MAX_ATTRIBUTES + 1 {
            cut_at = Some(i);
        }
        i += 1;
        while i < bytes.len() && !space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        while i < bytes.len() && space(bytes[i]) {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && space(bytes[i]) {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    i = memchr::memchr(q, &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e + 1);
                }
                _ => {
                    while i < bytes.len() && !space(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                }
            }
        }
    }
}

/// Where the end tag of a raw-text element (`</script`…) opened before `from` starts, or the end.
fn raw_text_end(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut close = Vec::with_capacity(name.len() + 2);
    close.extend_from_slice(b"</");
    close.extend(name.iter().map(u8::to_ascii_lowercase));
    find_ci(bytes, from, &close).unwrap_or(bytes.len())
}

fn key_of(name: &[u8]) -> [u8; 16] {
    let mut key = [0u8; 16];
    for (k, n) in key.iter_mut().zip(name) {
        *k = n.to_ascii_lowercase();
    }
    key
}

/// The index just past the `>` that ends a tag, minding quoted attribute values.
fn tag_end(bytes: &[u8], mut i: usize) -> usize {
    let mut quote = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i + 1,
            None => {}
        }
        i += 1;
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(&bytes[from.min(bytes.len())..], needle).map(|p| from + p)
}

fn find_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(rel) = memchr::memchr(b'<', &bytes[at.min(bytes.len())..]) {
        let i = at + rel;
        if bytes.len() - i >= needle.len()
            && bytes[i..i + needle.len()].eq_ignore_ascii_case(needle)
        {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The markup after [`bound`], and whether it was rewritten.
    fn flatten(source: &str) -> (Cow<'_, str>, bool) {
        let (out, notes) = bound(source);
        (out, !notes.is_empty())
    }

    #[test]
    fn ordinary_pages_are_untouched() {
        let page = "<html><body><div><p>a<p>b<script>if (a<b) {}</script><br>c</div></body></html>";
        let (out, changed) = flatten(page);
        assert!(!changed);
        assert_eq!(out, page);
    }

    #[test]
    fn stray_end_tags_and_self_closing_divs_do_not_hide_depth() {
        for unit in ["<div></x>", "<div/>", "<em>x</b>"] {
            let page = unit.repeat(5000);
            let (out, changed) = flatten(&page);
            assert!(changed, "{unit}");
            assert!(out.len() < page.len());
        }
        let balanced = "<div><p>x</p></div>".repeat(5000);
        assert!(!flatten(&balanced).1);
    }

    #[test]
    fn attributes_past_the_limit_are_left_out() {
        let many: String = (0..1000).map(|i| format!(" a{i}=\"v>{i}\"")).collect();
        let page = format!("<p><span{many}>kept text</span></p><i x=1>after</i>");
        let (out, notes) = bound(&page);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].starts_with("872 attributes"), "{notes:?}");
        assert!(out.contains(" a127=\"v>127\" >kept text</span>"), "{out}");
        assert!(!out.contains("a128="));
        assert!(out.ends_with("<i x=1>after</i>"));
        let few: String = (0..MAX_ATTRIBUTES).map(|i| format!(" a{i}")).collect();
        let page = format!("<div{few}>x</div>");
        assert!(bound(&page).1.is_empty());
        let unclosed = format!("<b{many}");
        let (out, notes) = bound(&unclosed);
        assert_eq!(notes.len(), 1);
        assert!(out.ends_with(" a127=\"v>127\" >"), "{out}");
    }

    #[test]
    fn elements_past_the_budget_lose_their_tags_not_their_text() {
        let rows = "<tr><td>x</td></tr><!--c-->".repeat(MAX_ELEMENTS / 2 + 10);
        let page = format!("<table>{rows}</table><script>var a = '<b>';</script><p>end words</p>");
        let (out, notes) = bound(&page);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("later tags were left out"), "{notes:?}");
        let kept = 1 + out.matches("<tr>").count() + out.matches("<td>").count();
        assert_eq!(
            kept, MAX_ELEMENTS,
            "the table and the first rows keep their tags"
        );
        assert_eq!(out.matches('x').count(), MAX_ELEMENTS / 2 + 10);
        assert!(
            !out.contains("var a") && out.contains("end words"),
            "script goes, text stays"
        );
        assert!(!out.ends_with("</p>"));
    }

    #[test]
    fn deep_nesting_is_flattened_but_keeps_text() {
        let n = 2000;
        let page = format!(
            "{}<b>deep</b>{}",
            "<div class='x>y'>".repeat(n),
            "</div>".repeat(n)
        );
        let (out, changed) = flatten(&page);
        assert!(changed);
        assert_eq!(out.matches("<div").count(), MAX_DEPTH);
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH);
        assert!(
            out.contains("deep") && !out.contains("<b>"),
            "tags past the limit go, text stays"
        );
    }
}
