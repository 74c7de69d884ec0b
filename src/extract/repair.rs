//! Broken markup that swallows a page: found and mended before a second parse.
//!
//! A browser's parser (and so scraper's) reads everything after an unclosed `<title>`,
//! `<textarea>`, `<script>` or `<style>` as that element's text, everything after an unclosed
//! `<!--` as a comment, and everything up to the next quote after an attribute value whose
//! closing quote is missing as that value. One such mistake near the top of a page leaves its
//! body empty. [`mend`] looks for exactly these mistakes, in one pass over the markup, and closes
//! each one where the author most likely meant it to end:
//!
//! - an unclosed `<title>` or `<textarea>` ends at the next tag;
//! - an unclosed `<script>` or `<style>` ends at the next tag of a document (`<body`, `<div`,
//!   `<p`, a heading, …), since code may hold `<` of its own;
//! - an unclosed `<!--` ends at the next `>`;
//! - a quoted attribute value that holds markup (`<` and a tag name) ends at its first `>`;
//! - and `<noscript>` becomes a `<div>`: a page that shows no text with scripts may hold its
//!   article in what it shows without them.
//!
//! The caller parses the mended markup only when the first parse found almost no text in a page
//! that holds plenty of markup, and keeps the second reading only when it has more text.

/// Elements whose content is read as text up to their end tag.
const RAW: &[&str] = &["title", "textarea", "script", "style"];

/// Tags at which an unclosed script or style is taken to end.
const DOCUMENT_TAGS: &[&str] = &[
    "/head", "body", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "main", "article", "section",
    "table", "header", "nav", "ul",
];

/// The markup with its swallowing mistakes closed, and what was mended (for the document's
/// notes); `None` if nothing needed mending.
pub(crate) fn mend(source: &str) -> Option<(String, Vec<String>)> {
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len() + 64);
    let mut notes: Vec<String> = Vec::new();
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let lt = at + found;
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            match find(bytes, lt + 4, b"-->") {
                Some(end) => at = end + 3,
                None => {
                    // An unclosed comment: it ends at the next `>`.
                    let Some(gt) = memchr::memchr(b'>', &bytes[lt + 4..]).map(|g| lt + 4 + g)
                    else {
                        break;
                    };
                    out.push_str(&source[copied..gt]);
                    out.push_str("-->");
                    copied = gt + 1;
                    at = gt + 1;
                    notes.push("an unclosed comment was closed".to_owned());
                }
            }
            continue;
        }
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            at = lt + 1;
            continue;
        }
        let name_end = rest
            .iter()
            .position(|b| !b.is_ascii_alphanumeric() && *b != b'-')
            .map_or(bytes.len(), |p| lt + 1 + p);
        let name = source[lt + 1..name_end].to_ascii_lowercase();
        if name == "noscript" {
            // The page shows nothing else: what it shows without scripts is the page.
            out.push_str(&source[copied..lt + 1]);
            out.push_str("div");
            copied = name_end;
        }
        let Some(tag_end) = tag_end(source, name_end, &mut out, &mut copied, &mut notes) else {
            break;
        };
        at = tag_end + 1;
        if name == "noscript" {
            if let Some(end) = find_ci(bytes, at, b"</noscript") {
                out.push_str(&source[copied..end + 2]);
                out.push_str("div");
                copied = end + b"</noscript".len();
                at = copied;
            }
            notes.push("the text inside <noscript> was read".to_owned());
            continue;
        }
        if !RAW.contains(&name.as_str()) {
            continue;
        }
        let close = format!("</{name}");
        match find_ci(bytes, at, close.as_bytes()) {
            Some(end) => at = end + close.len(),
            None => {
                let stop = if matches!(name.as_str(), "title" | "textarea") {
                    next_tag(bytes, at)
                } else {
                    next_document_tag(bytes, at)
                };
                let Some(stop) = stop else {
                    break;
                };
                out.push_str(&source[copied..stop]);
                out.push_str(&format!("</{name}>"));
                copied = stop;
                at = stop;
                notes.push(format!("an unclosed <{name}> was closed"));
            }
        }
    }
    if notes.is_empty() {
        return None;
    }
    out.push_str(&source[copied..]);
    notes.dedup();
    Some((out, notes))
}

/// Scans the attributes of a tag whose name ends at `from`; returns the position of the `>` that
/// ends it. A quoted value holding markup is closed at its first `>` (the quote is written into
/// `out`, with everything before it not yet copied).
fn tag_end(
    source: &str,
    from: usize,
    out: &mut String,
    copied: &mut usize,
    notes: &mut Vec<String>,
) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return Some(i),
            q @ (b'"' | b'\'') if i > 0 && value_starts(bytes, i) => {
                let close = memchr::memchr(q, &bytes[i + 1..]).map(|c| i + 1 + c);
                let value_end = close.unwrap_or(bytes.len());
                let value = &bytes[i + 1..value_end];
                if holds_markup(value) || close.is_none() {
                    // The value swallows markup: it ends at its first `>`, which ends the tag.
                    let gt = i + 1 + memchr::memchr(b'>', value)?;
                    out.push_str(&source[*copied..gt]);
                    out.push(q as char);
                    *copied = gt;
                    notes
                        .push("an attribute value missing its closing quote was closed".to_owned());
                    return Some(gt);
                }
                i = value_end + 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// Whether the quote at `i` opens an attribute value (it follows `=`, perhaps after spaces).
fn value_starts(bytes: &[u8], i: usize) -> bool {
    bytes[..i]
        .iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'=')
}

/// Whether bytes hold the start of a tag: `<` followed by a letter or `/`, and a `>` later.
fn holds_markup(value: &[u8]) -> bool {
    value.windows(2).any(|w| {
        w[0] == b'<'
            && (w[1].is_ascii_alphabetic() || w[1] == b'/')
            && memchr::memchr(b'>', value).is_some()
    })
}

/// The position of the next tag (`<` followed by a letter or `/`) at or after `from`.
fn next_tag(bytes: &[u8], from: usize) -> Option<usize> {
    memchr::memchr_iter(b'<', &bytes[from..])
        .map(|p| from + p)
        .find(|&p| {
            bytes
                .get(p + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/')
        })
}

/// The position of the next tag of [`DOCUMENT_TAGS`] at or after `from`.
fn next_document_tag(bytes: &[u8], from: usize) -> Option<usize> {
    memchr::memchr_iter(b'<', &bytes[from..])
        .map(|p| from + p)
        .find(|&p| {
            DOCUMENT_TAGS.iter().any(|t| {
                let end = p + 1 + t.len();
                end < bytes.len()
                    && bytes[p + 1..end].eq_ignore_ascii_case(t.as_bytes())
                    && !bytes[end].is_ascii_alphanumeric()
            })
        })
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|p| from + p)
}

/// Finds `needle` (lowercase ASCII) in any case.
fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'<', hay.get(from..)?)
        .map(|p| from + p)
        .find(|&p| {
            hay.get(p..p + needle.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mended(page: &str) -> String {
        mend(page)
            .map(|(s, _)| s)
            .unwrap_or_else(|| page.to_owned())
    }

    #[test]
    fn sound_markup_is_left_alone() {
        for page in [
            "<html><head><title>T</title></head><body><p class=\"a\">x</p></body></html>",
            "<p title='it is'>a</p><!-- c --><script>if (a < b) {}</script><p>b</p>",
            "<div data-x=\"a > b\">y</div>",
        ] {
            assert!(mend(page).is_none(), "{page}");
        }
    }

    #[test]
    fn an_unclosed_title_ends_at_the_next_tag() {
        let page =
            "<html><head><title>News of the day\n<meta charset=utf-8></head><body><p>Text.</p>";
        let (fixed, notes) = mend(page).unwrap();
        assert!(
            fixed.contains("<title>News of the day\n</title><meta"),
            "{fixed}"
        );
        assert_eq!(notes, ["an unclosed <title> was closed"]);
    }

    #[test]
    fn an_unclosed_script_ends_at_the_next_document_tag() {
        let page = "<head><script>if (a<b) go();\n</head><body><p>Text.</p>";
        assert!(mended(page).contains("go();\n</script></head><body>"));
    }

    #[test]
    fn a_value_holding_markup_ends_at_its_first_bracket() {
        let page = "<div class=\"story>\n<p>First paragraph.</p><p>Second.</p></div>";
        let fixed = mended(page);
        assert!(
            fixed.starts_with("<div class=\"story\">\n<p>First"),
            "{fixed}"
        );
        let page = "<a title='Home>Home</a><p>Text's here.</p>";
        assert!(mended(page).starts_with("<a title='Home'>Home</a>"));
    }

    #[test]
    fn noscript_is_read() {
        let (fixed, notes) = mend("<body><noscript><p>Text.</p></NOSCRIPT></body>").unwrap();
        assert_eq!(fixed, "<body><div><p>Text.</p></div></body>");
        assert_eq!(notes, ["the text inside <noscript> was read"]);
    }

    #[test]
    fn an_unclosed_comment_ends_at_the_next_bracket() {
        assert_eq!(mended("<!-- note ><p>x</p>"), "<!-- note --><p>x</p>");
    }
}
