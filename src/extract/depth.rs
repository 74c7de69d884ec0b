//! A guard against pathologically deep HTML.
//!
//! html5ever checks the stack of open elements for every start tag, so a page of fifty thousand
//! nested `<div>`s takes seconds to parse, and a few megabytes of them would take hours. Browsers
//! cap the depth of the tree (Blink at 512). [`flatten`] does the same before parsing: a cheap
//! scan over the markup measures how deep container tags nest; only if that passes [`MAX_DEPTH`]
//! is the markup rewritten, with the start and end tags nested deeper than the limit left out
//! (their text stays, in order). Tags whose end is optional (`p`, `li`, `td`…), void elements,
//! comments and raw-text elements (`script`, `style`) are skipped by the scan.

/// The deepest nesting of container elements kept.
pub const MAX_DEPTH: usize = 512;

/// The markup unchanged, or rewritten without the tags nested deeper than [`MAX_DEPTH`]. The
/// flag says whether it was rewritten.
pub fn flatten(source: &str) -> (std::borrow::Cow<'_, str>, bool) {
    if scan(source, None) <= MAX_DEPTH {
        return (std::borrow::Cow::Borrowed(source), false);
    }
    let mut out = String::with_capacity(source.len());
    scan(source, Some(&mut out));
    (std::borrow::Cow::Owned(out), true)
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

/// Scans the markup; returns the deepest nesting seen. With `out`, also writes the markup without
/// the tags beyond the limit.
fn scan(source: &str, mut out: Option<&mut String>) -> usize {
    let bytes = source.as_bytes();
    // The open container elements, innermost last: their lowercase names (as far as 16 bytes
    // tell them apart) and whether each lies beyond the limit (its tags are left out).
    let mut open: Vec<([u8; 16], bool)> = Vec::new();
    let mut deepest = 0usize;
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
        if !closing && raw_text(name) {
            // Skip to the matching end tag.
            let mut close = Vec::with_capacity(name.len() + 2);
            close.extend_from_slice(b"</");
            close.extend(name.iter().map(u8::to_ascii_lowercase));
            at = find_ci(bytes, end, &close).unwrap_or(bytes.len());
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
            deepest = deepest.max(open.len());
            beyond
        };
        if out.is_none() && deepest > MAX_DEPTH {
            return deepest;
        }
        if drop {
            emit(&mut out, copied, start);
            copied = end;
        }
    }
    emit(&mut out, copied, bytes.len());
    deepest
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
