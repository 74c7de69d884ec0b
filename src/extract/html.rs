//! HTML: find the article in the page's DOM, then give every visible block of text as a line.
//!
//! The page is parsed with scraper (html5ever, the browsers' parsing algorithm, so broken markup
//! is repaired the way a browser would). Then, without recursion (so deeply nested pages cannot
//! overflow the stack):
//!
//! 1. **Walk** the DOM once into a flat list of elements, collecting metadata ([`super::meta`])
//!    and, per element, its tag, what its class/id/role say ([`super::hints`]), whether it is
//!    hidden, and its own text. Scripts, styles, forms controls, SVG and other invisible content
//!    are not text and are left out.
//! 2. **Score** candidate containers as Mozilla's Readability does: every paragraph-like block of
//!    25 characters or more gives its parent and grandparents points for its length and commas;
//!    tags and class names weigh in; a container's score is cut by its link density. The best
//!    container, its parent if that scores comparably, and the siblings that score well or read
//!    as prose form the *content*. If the content is shorter than 500 characters, the scoring is
//!    tried again without stripping unlikely containers, then without class weights.
//!    The choice is checked against the page's prose ([`Prose`]): when it keeps less than half
//!    of it, the smallest element holding three quarters becomes the content; when it keeps
//!    less than two thirds, the regions beside it that read as prose join it.
//! 3. **Mark** furniture inside the content: elements whose names say share, related, comments,
//!    newsletter, advertisement, caption, byline, navigation or cookies (unless they hold most of
//!    the content's text), figures, asides and footers, and containers that Readability's
//!    conditional cleaning would drop (link-heavy, form-heavy, image-heavy or nearly empty).
//!    Names are weighed by what they would remove: a container whose text reads as article
//!    prose (300 characters or more of sentence-like paragraphs with few links, most of its
//!    text) is not dropped for its name or by conditional cleaning, unless the name says
//!    comments, consent, caption or subscription (whose text reads as prose too). A figure
//!    holding a table is a data table of the article.
//! 4. **Emit** one [`Line`] per block of text in document order. Lines outside the content, or
//!    inside marked furniture, carry the reason in [`Block::dropped`]; the line cleaner removes
//!    them with that reason and judges the rest like any text.
//!
//! Block numbers (`Line::number`) count every emitted line of the page from 1.

use super::{Block, BlockKind, Document, Format, Line, flags, hints, meta};
use crate::decode::Decoding;
use crate::normalize::normalize;
use crate::reason::Reason;
use ego_tree::NodeRef;
use scraper::{Html, Node};

const NONE: u32 = u32::MAX;

/// What the extractor needs to know about a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Html,
    Body,
    Div,
    P,
    Section,
    Article,
    Main,
    Heading(u8),
    Li,
    List,
    Dl,
    Dd,
    Dt,
    Td,
    Th,
    Tr,
    Table,
    Pre,
    Blockquote,
    Figure,
    Figcaption,
    Nav,
    Aside,
    Header,
    Footer,
    Form,
    Fieldset,
    Address,
    A,
    Br,
    Img,
    Embed,
    Input,
    OtherBlock,
    Inline,
    /// `<head>`: not text, but walked for its metadata.
    Head,
    /// Not text at all: skipped with everything inside.
    Skip,
}

impl Tag {
    fn of(name: &str) -> Tag {
        match name {
            "html" => Tag::Html,
            "body" => Tag::Body,
            "div" | "center" => Tag::Div,
            "p" => Tag::P,
            "section" => Tag::Section,
            "article" => Tag::Article,
            "main" => Tag::Main,
            "h1" => Tag::Heading(1),
            "h2" => Tag::Heading(2),
            "h3" => Tag::Heading(3),
            "h4" => Tag::Heading(4),
            "h5" => Tag::Heading(5),
            "h6" => Tag::Heading(6),
            "li" => Tag::Li,
            "ul" | "ol" | "menu" => Tag::List,
            "dl" => Tag::Dl,
            "dd" => Tag::Dd,
            "dt" => Tag::Dt,
            "td" => Tag::Td,
            "th" => Tag::Th,
            "tr" => Tag::Tr,
            "table" => Tag::Table,
            "pre" => Tag::Pre,
            "blockquote" => Tag::Blockquote,
            "figure" => Tag::Figure,
            "figcaption" => Tag::Figcaption,
            "nav" => Tag::Nav,
            "aside" => Tag::Aside,
            "header" => Tag::Header,
            "footer" => Tag::Footer,
            "form" => Tag::Form,
            "fieldset" => Tag::Fieldset,
            "address" => Tag::Address,
            "a" => Tag::A,
            "br" => Tag::Br,
            "img" | "picture" => Tag::Img,
            "input" => Tag::Input,
            "hr" | "hgroup" | "details" | "summary" | "caption" | "tbody" | "thead" | "tfoot"
            | "legend" | "dialog" | "li-item" => Tag::OtherBlock,
            "head" => Tag::Head,
            "script" | "style" | "noscript" | "template" | "svg" | "iframe" | "object"
            | "embed" | "canvas" | "video" | "audio" | "source" | "track" | "map" | "button"
            | "select" | "option" | "optgroup" | "textarea" | "datalist" | "meta" | "link"
            | "base" | "param" | "frame" | "frameset" => Tag::Skip,
            _ => Tag::Inline,
        }
    }

    fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::A | Tag::Inline | Tag::Img | Tag::Input | Tag::Br | Tag::Embed | Tag::Head
        )
    }
}

/// One element of the page.
#[derive(Debug, Clone)]
struct El {
    parent: u32,
    tag: Tag,
    /// Class/id weight ([`hints::weight`]).
    weight: i32,
    unlikely: bool,
    /// Left out of the current attempt (inside an unlikely container while stripping).
    stripped: bool,
    furniture: Option<Reason>,
    content_hint: bool,
    /// Hash of the class attribute, for Readability's sibling bonus (0 if none).
    class: u64,
    /// Text directly inside this element (not in child elements).
    own_text: u32,
    own_commas: u32,
    own_link_text: u32,
    /// The element's own text has a full stop followed by a space or the end.
    own_period: bool,
    has_block_child: bool,
    /// Subtree sums for the current attempt.
    text: u32,
    links: u32,
    commas: u32,
    paras: u32,
    imgs: u32,
    lis: u32,
    inputs: u32,
    embeds: u32,
    heading_text: u32,
    /// Characters of article prose in the subtree ([`Page::is_prose`] blocks).
    prose: u32,
    /// Tables in the subtree.
    tables: u32,
    period: bool,
    /// Readability paragraph points of the paragraph-like blocks in the subtree.
    points: f32,
    /// Readability score.
    score: f32,
    scored: bool,
}

impl El {
    fn link_density(&self) -> f32 {
        if self.text == 0 {
            0.0
        } else {
            self.links as f32 / self.text as f32
        }
    }
}

/// One step of the walk over the visible page, recorded so that lines can be emitted without
/// walking the DOM again.
#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    /// Element `i` opens.
    Open(u32),
    /// Text inside the open element.
    Text(&'a str),
    /// Element `i` closes.
    Close(u32),
}

/// The page as a flat list of elements in document order (parents before children).
struct Page<'a> {
    els: Vec<El>,
    children: Vec<Vec<u32>>,
    raw: meta::Raw,
    steps: Vec<Step<'a>>,
}

fn is_hidden(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some() && !streamed_segment(el) {
        return true;
    }
    if el.attr("aria-hidden") == Some("true")
        && !el
            .attr("class")
            .is_some_and(|c| c.contains("fallback-image"))
    {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

/// A segment of a page streamed by React's server renderer: a `<div hidden id="S:n">` whose
/// content a script moves into the page as soon as it loads. It is the page, not hidden text.
fn streamed_segment(el: &scraper::node::Element) -> bool {
    el.attr("id")
        .and_then(|id| id.strip_prefix("S:"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Length of text as a reader sees it: whitespace runs count as one character.
fn text_len(text: &str) -> (u32, u32) {
    let mut len = 0u32;
    let mut commas = 0u32;
    let mut in_space = true;
    for ch in text.chars() {
        if ch.is_whitespace() {
            if !in_space {
                len += 1;
            }
            in_space = true;
        } else {
            len += 1;
            in_space = false;
            if matches!(ch, ',' | '،' | '﹐' | '︐' | '︑' | '⹁' | '⸴' | '⸲' | '，') {
                commas += 1;
            }
        }
    }
    (len, commas)
}

/// Whether a text holds the end of a sentence: a full stop, question or exclamation mark (or
/// their CJK forms) followed by a space or the end of the text.
fn has_sentence_end(t: &str) -> bool {
    let t = t.trim_end();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(c, '。' | '！' | '？') {
            return true;
        }
        if matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace()) {
            return true;
        }
    }
    false
}

/// What [`walk`] reports.
enum Event<'b> {
    /// An element opens; answer `false` to skip it and everything inside.
    Enter(&'b scraper::node::Element, Tag, NodeRef<'b, Node>),
    /// Text inside the current element.
    Text(&'b str),
    /// The element opened last closes.
    Leave(Tag),
}

/// An iterative depth-first walk over the DOM (no recursion, whatever the depth).
fn walk<'a>(root: NodeRef<'a, Node>, mut visit: impl FnMut(Event<'a>) -> bool) {
    enum Step<'a> {
        Enter(NodeRef<'a, Node>),
        Leave(Tag),
    }
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave(tag) => {
                visit(Event::Leave(tag));
            }
            Step::Enter(node) => match node.value() {
                Node::Text(t) => {
                    visit(Event::Text(t));
                }
                Node::Element(el) => {
                    let tag = Tag::of(el.name());
                    if !visit(Event::Enter(el, tag, node)) {
                        continue;
                    }
                    stack.push(Step::Leave(tag));
                    let mark = stack.len();
                    stack.extend(node.children().map(Step::Enter));
                    stack[mark..].reverse();
                }
                Node::Document | Node::Fragment => {
                    let mark = stack.len();
                    stack.extend(node.children().map(Step::Enter));
                    stack[mark..].reverse();
                }
                _ => {}
            },
        }
    }
}

/// Reads metadata from an element, if it carries some.
fn read_meta(el: &scraper::node::Element, node: NodeRef<'_, Node>, raw: &mut meta::Raw) {
    let text_of = |node: NodeRef<'_, Node>| -> String {
        node.children()
            .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
            .collect()
    };
    // `<time itemprop="datePublished" datetime>`, `<span itemprop="dateModified" content>`
    if el.name() != "meta"
        && let Some(prop @ ("datePublished" | "dateModified")) = el.attr("itemprop")
        && let Some(value) = el.attr("datetime").or_else(|| el.attr("content"))
    {
        raw.metas
            .push((prop.to_ascii_lowercase(), value.to_owned()));
    }
    meta::mark_author(el, node, raw);
    match el.name() {
        "html" if raw.lang.is_none() => raw.lang = el.attr("lang").map(str::to_owned),
        "title" if raw.title.is_none() => raw.title = Some(text_of(node)),
        "meta" => {
            let name = el
                .attr("property")
                .or_else(|| el.attr("name"))
                .or_else(|| el.attr("itemprop"))
                .or_else(|| el.attr("http-equiv"));
            if let (Some(name), Some(content)) = (name, el.attr("content")) {
                raw.metas
                    .push((name.to_ascii_lowercase(), content.to_owned()));
            }
        }
        "link"
            if raw.canonical.is_none()
                && el.attr("rel").is_some_and(|r| {
                    r.split_whitespace()
                        .any(|w| w.eq_ignore_ascii_case("canonical"))
                }) =>
        {
            raw.canonical = el.attr("href").map(str::to_owned);
        }
        "script"
            if el
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
        {
            raw.json_ld.push(text_of(node));
        }
        "time" if raw.time.is_none() => raw.time = el.attr("datetime").map(str::to_owned),
        _ => {}
    }
}

/// Whether the walk skips an element (and its subtree): invisible or not text.
fn skipped(el: &scraper::node::Element, tag: Tag) -> bool {
    tag == Tag::Skip || is_hidden(el)
}

impl<'a> Page<'a> {
    fn build(dom: &'a Html) -> Page<'a> {
        let mut els: Vec<El> = Vec::new();
        let mut raw = meta::Raw::default();
        let mut stack: Vec<u32> = Vec::new();
        let mut steps: Vec<Step<'a>> = Vec::new();
        let mut link_depth = 0u32;
        walk(dom.tree.root(), |event| match event {
            Event::Enter(el, tag, node) => {
                read_meta(el, node, &mut raw);
                if tag == Tag::Head {
                    // Walked for its metadata only: it holds no text and is no element of ours.
                    return true;
                }
                if skipped(el, tag) {
                    return false;
                }
                let class = el.attr("class").unwrap_or("");
                let id = el.attr("id").unwrap_or("");
                let role = el.attr("role").unwrap_or("");
                let hint = hints::read(class, id, role);
                let parent = stack.last().copied().unwrap_or(NONE);
                if parent != NONE && tag.is_block() && tag != Tag::Br {
                    els[parent as usize].has_block_child = true;
                }
                els.push(El {
                    parent,
                    tag,
                    weight: hint.weight,
                    unlikely: hint.unlikely,
                    stripped: false,
                    furniture: hint.furniture,
                    content_hint: hint.content,
                    class: if class.is_empty() {
                        0
                    } else {
                        xxhash_rust::xxh3::xxh3_64(class.as_bytes())
                    },
                    own_text: 0,
                    own_commas: 0,
                    own_link_text: 0,
                    own_period: false,
                    has_block_child: false,
                    text: 0,
                    links: 0,
                    commas: 0,
                    paras: 0,
                    imgs: 0,
                    lis: 0,
                    inputs: 0,
                    embeds: 0,
                    heading_text: 0,
                    prose: 0,
                    tables: 0,
                    period: false,
                    points: 0.0,
                    score: 0.0,
                    scored: false,
                });
                stack.push(els.len() as u32 - 1);
                steps.push(Step::Open(els.len() as u32 - 1));
                if tag == Tag::A {
                    link_depth += 1;
                }
                true
            }
            Event::Text(t) => {
                if let Some(&top) = stack.last() {
                    steps.push(Step::Text(t));
                    let (len, commas) = text_len(t);
                    let el = &mut els[top as usize];
                    el.own_text += len;
                    el.own_commas += commas;
                    el.own_period |= has_sentence_end(t);
                    if link_depth > 0 {
                        el.own_link_text += len;
                    }
                }
                true
            }
            Event::Leave(tag) => {
                if tag == Tag::Head {
                    return true;
                }
                if let Some(top) = stack.pop() {
                    steps.push(Step::Close(top));
                }
                if tag == Tag::A {
                    link_depth -= 1;
                }
                true
            }
        });
        let mut children = vec![Vec::new(); els.len()];
        for (i, el) in els.iter().enumerate() {
            if el.parent != NONE {
                children[el.parent as usize].push(i as u32);
            }
        }
        Page {
            els,
            children,
            raw,
            steps,
        }
    }

    /// The characters of text the page shows (its `<title>` aside).
    fn visible_text(&self) -> usize {
        let all: usize = self.els.iter().map(|e| e.own_text as usize).sum();
        let title = self
            .raw
            .title
            .as_deref()
            .map_or(0, |t| text_len(t).0 as usize);
        all.saturating_sub(title)
    }

    /// Computes subtree sums, leaving out unlikely subtrees when `strip` is set.
    fn aggregate(&mut self, strip: bool) {
        let n = self.els.len();
        for i in 0..n {
            let p = self.els[i].parent;
            let own = strip
                && self.els[i].unlikely
                && !matches!(self.els[i].tag, Tag::Body | Tag::Html | Tag::A);
            self.els[i].stripped = own || (p != NONE && self.els[p as usize].stripped);
        }
        for el in &mut self.els {
            let keep = !el.stripped;
            el.text = if keep { el.own_text } else { 0 };
            el.links = if keep { el.own_link_text } else { 0 };
            el.commas = if keep { el.own_commas } else { 0 };
            el.period = keep && el.own_period;
            // Readability turns divs without block children into paragraphs before counting.
            el.paras = u32::from(
                keep && (el.tag == Tag::P || (el.tag == Tag::Div && !el.has_block_child)),
            );
            el.points = 0.0;
            el.imgs = u32::from(keep && el.tag == Tag::Img);
            el.lis = u32::from(keep && el.tag == Tag::Li);
            el.inputs = u32::from(keep && el.tag == Tag::Input);
            el.embeds = u32::from(keep && el.tag == Tag::Embed);
            el.heading_text = 0;
            el.prose = 0;
            el.tables = u32::from(keep && el.tag == Tag::Table);
            el.score = 0.0;
            el.scored = false;
        }
        for i in (0..n).rev() {
            let p = self.els[i].parent;
            if self.els[i].stripped {
                continue;
            }
            if let Some(points) = self.paragraph_points(i) {
                self.els[i].points += points;
            }
            if self.is_prose(i) {
                self.els[i].prose = self.els[i].text;
            }
            if p == NONE {
                continue;
            }
            let c = &self.els[i];
            let (points, prose, tables) = (c.points, c.prose, c.tables);
            let (text, commas, period) = (c.text, c.commas, c.period);
            let (paras, imgs, lis, inputs, embeds) = (c.paras, c.imgs, c.lis, c.inputs, c.embeds);
            let heading = if matches!(c.tag, Tag::Heading(_)) {
                c.text
            } else {
                c.heading_text
            };
            let link_text = if c.tag == Tag::A { c.text } else { c.links };
            let parent = &mut self.els[p as usize];
            parent.text += text;
            parent.links += link_text;
            parent.commas += commas;
            parent.period |= period;
            parent.paras += paras;
            parent.imgs += imgs;
            parent.lis += lis;
            parent.inputs += inputs;
            parent.embeds += embeds;
            parent.heading_text += heading;
            parent.points += points;
            parent.prose += prose;
            parent.tables += tables;
        }
        for el in &mut self.els {
            if el.tag == Tag::A {
                el.links = el.text;
            }
        }
    }

    /// Whether an element is a block of article prose: a paragraph-like block without block
    /// children, of 80 characters or more, with sentence punctuation and little linked text.
    fn is_prose(&self, i: usize) -> bool {
        let el = &self.els[i];
        let block = match el.tag {
            Tag::P | Tag::Blockquote | Tag::Pre => true,
            Tag::Div | Tag::Li | Tag::Dd | Tag::Td | Tag::Section => !el.has_block_child,
            _ => false,
        };
        block && el.text >= 80 && el.period && el.links * 4 <= el.text
    }

    /// Whether an element's text reads as article prose rather than furniture: it holds 300
    /// characters of prose blocks or more, they make up most of its text, and little of it
    /// is linked. A name that calls such an element furniture is not believed.
    fn reads_as_prose(&self, i: usize) -> bool {
        let el = &self.els[i];
        el.prose >= 300 && el.prose * 10 >= el.text * 6 && el.links * 4 <= el.text
    }

    /// The points a paragraph-like block gives its ancestors (1 + commas + 1 per 100
    /// characters, at most 3), or `None` if it is not one or is shorter than 25 characters.
    /// A div with block children counts for its own text only.
    fn paragraph_points(&self, i: usize) -> Option<f32> {
        let el = &self.els[i];
        let own_only = el.tag == Tag::Div && el.has_block_child;
        let scorable = match el.tag {
            Tag::P | Tag::Td | Tag::Pre | Tag::Section | Tag::Heading(2..=6) => true,
            Tag::Div => !el.has_block_child || el.own_text >= 25,
            _ => false,
        };
        if !scorable || el.parent == NONE {
            return None;
        }
        let (len, commas) = if own_only {
            (el.own_text, el.own_commas)
        } else {
            (el.text, el.commas)
        };
        (len >= 25).then(|| 1.0 + commas as f32 + (len / 100).min(3) as f32)
    }

    fn init_score(&mut self, i: usize, weigh: bool) {
        let el = &mut self.els[i];
        if el.scored {
            return;
        }
        el.scored = true;
        el.score = match el.tag {
            Tag::Div => 5.0,
            Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
            Tag::Address | Tag::List | Tag::Dl | Tag::Dd | Tag::Dt | Tag::Li | Tag::Form => -3.0,
            Tag::Heading(_) | Tag::Th => -5.0,
            _ => 0.0,
        };
        if weigh {
            el.score += el.weight as f32;
        }
    }

    /// Scores candidates and returns the content roots: the chosen container and siblings.
    fn choose(&mut self, strip: bool, weigh: bool) -> Vec<u32> {
        self.aggregate(strip);
        let n = self.els.len();
        for i in 0..n {
            let el = &self.els[i];
            if el.stripped {
                continue;
            }
            let Some(score) = self.paragraph_points(i) else {
                continue;
            };
            let mut ancestor = if el.tag == Tag::Div && el.has_block_child {
                i as u32
            } else {
                el.parent
            };
            let mut level = 0;
            while ancestor != NONE && level < 5 {
                let a = ancestor as usize;
                if self.els[a].parent == NONE {
                    break;
                }
                self.init_score(a, weigh);
                let divider = match level {
                    0 => 1.0,
                    1 => 2.0,
                    _ => level as f32 * 3.0,
                };
                self.els[a].score += score / divider;
                ancestor = self.els[a].parent;
                level += 1;
            }
        }
        let mut candidates: Vec<(f32, u32)> = Vec::new();
        for i in 0..n {
            let el = &mut self.els[i];
            if el.scored {
                el.score *= 1.0 - el.link_density();
                candidates.push((el.score, i as u32));
            }
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let body = self
            .els
            .iter()
            .position(|e| e.tag == Tag::Body)
            .map_or(0, |b| b as u32);
        let Some(&(top_score, mut top)) = candidates.first() else {
            return vec![body];
        };
        if matches!(self.els[top as usize].tag, Tag::Body | Tag::Html) {
            return vec![body];
        }
        // Readability: if several other strong candidates share an ancestor with the top one,
        // that ancestor holds the article.
        let alternatives: Vec<Vec<u32>> = candidates[1..candidates.len().min(5)]
            .iter()
            .filter(|(s, _)| *s / top_score >= 0.75)
            .map(|&(_, c)| self.ancestors(c))
            .collect();
        if alternatives.len() >= 3 {
            let mut parent = self.els[top as usize].parent;
            while parent != NONE && !matches!(self.els[parent as usize].tag, Tag::Body | Tag::Html)
            {
                let shared = alternatives.iter().filter(|a| a.contains(&parent)).count();
                if shared >= 3 {
                    top = parent;
                    break;
                }
                parent = self.els[parent as usize].parent;
            }
        }
        if !self.els[top as usize].scored {
            self.init_score(top as usize, weigh);
        }
        // Climb while the parent scores comparably.
        let mut parent = self.els[top as usize].parent;
        let mut last = self.els[top as usize].score;
        let threshold = last / 3.0;
        while parent != NONE && !matches!(self.els[parent as usize].tag, Tag::Body | Tag::Html) {
            let p = &self.els[parent as usize];
            if !p.scored {
                parent = p.parent;
                continue;
            }
            if p.score < threshold {
                break;
            }
            if p.score > last {
                top = parent;
                break;
            }
            last = p.score;
            parent = p.parent;
        }
        // An only child stands for its parent.
        loop {
            let p = self.els[top as usize].parent;
            if p == NONE || matches!(self.els[p as usize].tag, Tag::Body | Tag::Html) {
                break;
            }
            if self.children[p as usize].len() != 1 {
                break;
            }
            top = p;
        }
        // Siblings that score well or read as prose join the content.
        let parent = self.els[top as usize].parent;
        if parent == NONE {
            return vec![top];
        }
        let top_el = &self.els[top as usize];
        let threshold = (top_el.score * 0.2).max(10.0);
        let (top_class, top_score) = (top_el.class, top_el.score);
        let mut roots = Vec::new();
        for &s in &self.children[parent as usize] {
            if s == top {
                roots.push(s);
                continue;
            }
            let el = &self.els[s as usize];
            if el.stripped {
                continue;
            }
            let bonus = if top_class != 0 && el.class == top_class {
                top_score * 0.2
            } else {
                0.0
            };
            if el.scored && el.score + bonus >= threshold {
                roots.push(s);
            } else if el.tag == Tag::P || (el.tag == Tag::Div && !el.has_block_child) {
                let ld = el.link_density();
                if (el.text > 80 && ld < 0.25)
                    || (el.text < 80 && el.text > 0 && ld == 0.0 && el.period)
                {
                    roots.push(s);
                }
            }
        }
        roots
    }

    /// Takes a dropped element's counts out of every ancestor's subtree sums.
    fn subtract_from_ancestors(&mut self, i: usize) {
        let c = &self.els[i];
        let (text, links, commas, paras, imgs, lis, inputs, embeds) = (
            c.text, c.links, c.commas, c.paras, c.imgs, c.lis, c.inputs, c.embeds,
        );
        let (points, prose, tables) = (c.points, c.prose, c.tables);
        let heading = if matches!(c.tag, Tag::Heading(_)) {
            c.text
        } else {
            c.heading_text
        };
        let mut a = c.parent;
        while a != NONE {
            let e = &mut self.els[a as usize];
            e.text = e.text.saturating_sub(text);
            e.links = e.links.saturating_sub(links);
            e.commas = e.commas.saturating_sub(commas);
            e.paras = e.paras.saturating_sub(paras);
            e.imgs = e.imgs.saturating_sub(imgs);
            e.lis = e.lis.saturating_sub(lis);
            e.inputs = e.inputs.saturating_sub(inputs);
            e.embeds = e.embeds.saturating_sub(embeds);
            e.heading_text = e.heading_text.saturating_sub(heading);
            e.points = (e.points - points).max(0.0);
            e.prose = e.prose.saturating_sub(prose);
            e.tables = e.tables.saturating_sub(tables);
            a = e.parent;
        }
    }

    fn ancestors(&self, mut i: u32) -> Vec<u32> {
        let mut out = Vec::new();
        while self.els[i as usize].parent != NONE {
            i = self.els[i as usize].parent;
            out.push(i);
        }
        out
    }

    /// Readability's conditional cleaning: whether a container inside the content is furniture.
    fn drop_conditionally(&self, i: usize, weigh: bool, in_figure: bool) -> bool {
        let el = &self.els[i];
        if !matches!(
            el.tag,
            Tag::Form | Tag::Fieldset | Tag::Table | Tag::List | Tag::Div | Tag::Section
        ) {
            return false;
        }
        let weight = if weigh { el.weight } else { 0 };
        // Readability.js checks `weight + contentScore < 0` with contentScore fixed at 0.
        if weight < 0 {
            return true;
        }
        if el.commas >= 10 {
            return false;
        }
        let is_list = el.tag == Tag::List;
        let p = el.paras as f32;
        let img = el.imgs as f32;
        let li = el.lis as f32 - 100.0;
        let input = el.inputs as f32;
        let heading_density = if el.text == 0 {
            0.0
        } else {
            el.heading_text as f32 / el.text as f32
        };
        let len = el.text;
        let ld = el.link_density();
        (img > 1.0 && p / img < 0.5 && !in_figure)
            || (!is_list && li > p)
            || (input > (p / 3.0).floor())
            || (!is_list
                && heading_density < 0.9
                && len < 25
                && (img == 0.0 || img > 2.0)
                && !in_figure)
            || (!is_list && weight < 25 && ld > 0.2)
            || (weight >= 25 && ld > 0.5)
            || ((el.embeds == 1 && len < 75) || el.embeds > 1)
    }
}

/// Per-element verdicts and flags, inherited down the tree.
struct Marks {
    flags: Vec<u16>,
    /// The reason lines whose innermost block is this element are dropped.
    dropped: Vec<Option<Reason>>,
}

/// Decides which elements are dropped and why; see the module docs. Containers inside the
/// content are judged innermost first, as Readability does: a container that is dropped no longer
/// counts in its ancestors' text and link statistics, so an article body is not judged by the
/// related links it happens to contain.
fn mark(page: &mut Page<'_>, roots: &[u32], weigh: bool) -> Marks {
    let n = page.els.len();
    let mut flags = vec![0u16; n];
    let mut dropped: Vec<Option<Reason>> = vec![None; n];
    let mut in_content = vec![false; n];
    let mut above = vec![false; n];
    let mut is_root = vec![false; n];
    for &r in roots {
        in_content[r as usize] = true;
        is_root[r as usize] = true;
        let mut a = page.els[r as usize].parent;
        while a != NONE && !above[a as usize] {
            above[a as usize] = true;
            a = page.els[a as usize].parent;
        }
    }
    let content_text: u32 = roots
        .iter()
        .map(|&r| page.els[r as usize].text)
        .sum::<u32>()
        .max(1);
    // Flags, top-down.
    for i in 0..n {
        let el = &page.els[i];
        let p = el.parent;
        let mut f = if p == NONE {
            0
        } else {
            in_content[i] |= in_content[p as usize];
            flags[p as usize]
        };
        match el.tag {
            Tag::Figure | Tag::Figcaption => f |= flags::IN_FIGURE,
            Tag::Aside => f |= flags::IN_ASIDE,
            Tag::Nav => f |= flags::IN_NAV,
            Tag::Header => f |= flags::IN_HEADER,
            Tag::Footer => f |= flags::IN_FOOTER,
            _ => {}
        }
        if el.content_hint {
            f |= flags::HINT_CONTENT;
        }
        // A name counts as a hint only on an element that is not the article's container.
        let container = above[i] || is_root[i] || el.text * 10 >= content_text * 4;
        if el.furniture.is_some() && !container {
            f |= flags::HINT_FURNITURE;
        }
        if el.furniture == Some(Reason::Byline) && !container {
            f |= flags::HINT_BYLINE;
        }
        if in_content[i] {
            f |= flags::IN_CONTENT;
        }
        flags[i] = f;
    }
    let content_points: f32 = roots.iter().map(|&r| page.els[r as usize].points).sum();
    // Inside the content, bottom-up.
    for i in (0..n).rev() {
        if !in_content[i] || is_root[i] || page.els[i].stripped && !weigh {
            continue;
        }
        let el = &page.els[i];
        // Small: under 40% of the content's text and under half its paragraph points; a
        // container that holds most of the article is never dropped by its name.
        let small = el.text * 10 < content_text * 4 && el.points * 2.0 < content_points;
        let semantic = match el.tag {
            Tag::Figure | Tag::Figcaption => Some(Reason::Caption),
            Tag::Aside => Some(Reason::RelatedList),
            Tag::Nav => Some(Reason::Navigation),
            Tag::Footer => Some(Reason::OutsideContent),
            Tag::Form | Tag::Fieldset => Some(Reason::Subscription),
            _ => None,
        };
        let in_figure = flags[i] & flags::IN_FIGURE != 0;
        let prose = page.reads_as_prose(i);
        // A name is not believed over the text it would remove, except for the kinds of
        // furniture whose text reads as prose too: comment threads, consent notices, captions
        // and subscription appeals.
        let name = el.furniture.filter(|r| {
            !prose
                || matches!(
                    r,
                    Reason::CommentSection
                        | Reason::CookieNotice
                        | Reason::Caption
                        | Reason::Subscription
                )
        });
        // A figure holding a table is a data table of the article, not an illustration.
        let semantic = semantic.filter(|_| !(el.tag == Tag::Figure && el.tables > 0));
        let reason = match (name, semantic) {
            (Some(Reason::OutsideContent), _) if !small => None,
            (Some(r), _) if small || r == Reason::CommentSection => Some(r),
            (_, Some(r)) if small => Some(r),
            _ if !prose && page.drop_conditionally(i, weigh, in_figure) => {
                Some(el.furniture.unwrap_or(if el.link_density() > 0.2 {
                    Reason::RelatedList
                } else {
                    Reason::OutsideContent
                }))
            }
            _ => None,
        };
        if reason.is_some() {
            dropped[i] = reason;
            page.subtract_from_ancestors(i);
        }
    }
    // Outside the content, and inheritance, top-down.
    let mut inherit: Vec<Option<Reason>> = vec![None; n];
    for i in 0..n {
        let el = &page.els[i];
        let p = el.parent;
        let inherited = if p == NONE { None } else { inherit[p as usize] };
        if inherited.is_some() {
            dropped[i] = inherited;
            inherit[i] = inherited;
            continue;
        }
        if in_content[i] {
            inherit[i] = dropped[i];
            continue;
        }
        let outside = Some(match el.furniture {
            Some(r) => r,
            None if el.tag == Tag::Nav => Reason::Navigation,
            None => Reason::OutsideContent,
        });
        dropped[i] = outside;
        // A container of the content: its own text is outside, its children decide alone.
        inherit[i] = if above[i] { None } else { outside };
    }
    Marks { flags, dropped }
}

/// Parses a page and turns it into lines; see the module docs.
pub fn extract(source: &str, decoding: Decoding, url: Option<&str>) -> Document {
    let (source, mut notes) = super::depth::bound(source);
    let mended_dom;
    let dom = Html::parse_document(&source);
    let mut page = Page::build(&dom);
    // Almost no text in a page of plenty of markup (a few hundred characters, or one for every
    // 200 bytes): a mistake may have swallowed the page.
    let shown = page.visible_text();
    if (shown < 200 || shown * 200 < source.len())
        && let Some((mended, what)) = super::repair::mend(&source)
    {
        mended_dom = Html::parse_document(&mended);
        let again = Page::build(&mended_dom);
        if again.visible_text() > shown * 2 + 100 {
            page = again;
            notes.extend(what);
        }
    }
    let mut meta = meta::interpret(&page.raw, url);
    if page.els.is_empty() {
        // Nothing visible at all (a page of scripts, or of nothing).
        return Document {
            format: Format::Html,
            decoding,
            meta,
            lines: Vec::new(),
            notes: Vec::new(),
        };
    }

    let prose = Prose::of(&mut page);
    // Readability's attempts: relax the rules until the content is long enough.
    let attempts = [(true, true), (false, true), (false, false)];
    let mut best: Option<(u32, Vec<u32>, bool, bool)> = None;
    for (strip, weigh) in attempts {
        let roots = page.choose(strip, weigh);
        let marks = mark(&mut page, &roots, weigh);
        let kept: u32 = (0..page.els.len())
            .filter(|&i| marks.dropped[i].is_none() && marks.flags[i] & flags::IN_CONTENT != 0)
            .map(|i| page.els[i].own_text)
            .sum();
        let better = best.as_ref().is_none_or(|b| kept > b.0);
        if better {
            best = Some((kept, roots, strip, weigh));
        }
        if kept >= 500 {
            break;
        }
    }
    let (_, mut roots, strip, weigh) = best.expect("at least one attempt");
    page.choose(strip, weigh);
    let mut marks = mark(&mut page, &roots, weigh);
    if let Some(wider) = prose.widen(&page, &roots, &marks) {
        // The prose decides now: the new content and its ancestors are not stripped for their
        // names (what is inside them still is).
        roots = wider;
        for &r in &roots {
            let mut a = r;
            while a != NONE {
                page.els[a as usize].unlikely = false;
                a = page.els[a as usize].parent;
            }
        }
        page.choose(strip, weigh);
        marks = mark(&mut page, &roots, weigh);
    }
    let mut lines = emit(&page, &marks, meta.title.as_deref());
    if super::embedded::apply(&mut lines, &page.raw.json_ld) {
        notes.push("the article was read from the page's JSON-LD articleBody".to_owned());
    }
    super::header::apply(&mut meta, &page.raw, url, &lines);
    Document {
        format: Format::Html,
        decoding,
        meta,
        lines,
        notes,
    }
}

/// Where the page's article prose is, whatever the content finder chose: every prose block
/// ([`Page::is_prose`] with no block inside) with its length, and per element the prose, text and
/// linked text of its subtree, all counted with nothing stripped.
struct Prose {
    /// Prose blocks, with their length and whether they are inside furniture.
    blocks: Vec<(u32, u32, bool)>,
    /// Per element: (prose, text, links) of its subtree.
    sums: Vec<(u32, u32, u32)>,
    /// All prose of the page outside furniture.
    total: u32,
}

impl Prose {
    /// The prose of the page at its first reading: fewer characters than this and the content
    /// finder's choice stands.
    const MIN_TOTAL: u32 = 500;

    fn of(page: &mut Page<'_>) -> Prose {
        page.aggregate(false);
        let n = page.els.len();
        // Prose inside what is furniture whatever its text (comment threads, consent notices,
        // captions, subscription appeals, menus, asides, footers, forms) is not article prose.
        // So is prose in blocks inside a list item (the cards of a gallery or of a list of
        // other articles; an article's list items are text themselves).
        let mut aside = vec![false; n];
        for i in 0..n {
            let el = &page.els[i];
            aside[i] = (el.parent != NONE
                && (aside[el.parent as usize]
                    || (page.els[el.parent as usize].tag == Tag::Li && el.tag.is_block())))
                || matches!(
                    el.tag,
                    Tag::Nav | Tag::Aside | Tag::Footer | Tag::Figure | Tag::Figcaption | Tag::Form
                )
                || matches!(
                    el.furniture,
                    Some(
                        Reason::CommentSection
                            | Reason::CookieNotice
                            | Reason::Caption
                            | Reason::Subscription
                    )
                );
        }
        let mut blocks = Vec::new();
        let mut sums: Vec<(u32, u32, u32)> =
            page.els.iter().map(|e| (0, e.text, e.links)).collect();
        // A paragraph printed twice (a second copy of the article for another screen size) is
        // prose once: later blocks with the same length, commas and links do not count.
        let mut seen = rustc_hash::FxHashSet::default();
        // Short blocks (a byline, a date) since the last heading that is a link and nothing
        // else (the headline of another article), if there was one.
        let mut after_link: Option<u32> = None;
        for (i, el) in page.els.iter().enumerate() {
            if el.has_block_child || !el.tag.is_block() || el.text == 0 {
                continue;
            }
            let teaser = after_link.is_some() && el.text < 400;
            after_link = if matches!(el.tag, Tag::Heading(_)) && el.links * 10 >= el.text * 9 {
                Some(0)
            } else if el.text < 80 {
                after_link.map(|k| k + 1).filter(|&k| k <= 3)
            } else {
                None
            };
            if page.is_prose(i) {
                blocks.push((i as u32, el.text, aside[i]));
                // A short paragraph under a linked headline is the teaser of another article.
                if aside[i] || teaser || !seen.insert((el.text, el.commas, el.links)) {
                    continue;
                }
                let mut a = i as u32;
                while a != NONE {
                    sums[a as usize].0 += el.text;
                    a = page.els[a as usize].parent;
                }
            }
        }
        let total = sums.iter().map(|s| s.0).max().unwrap_or(0);
        Prose {
            blocks,
            sums,
            total,
        }
    }

    /// The prose the marks keep in the content.
    fn kept(&self, marks: &Marks) -> u32 {
        self.blocks
            .iter()
            .filter(|&&(i, _, _)| {
                marks.dropped[i as usize].is_none()
                    && marks.flags[i as usize] & flags::IN_CONTENT != 0
            })
            .map(|b| b.1)
            .sum()
    }

    /// Wider content roots when the chosen content misses prose the page holds: when it keeps
    /// less than half of the page's prose, the smallest element holding three quarters of it
    /// becomes the content; and regions beside the content whose text reads as prose (a
    /// multi-section article, an article split around a table or a promo) join it.
    fn widen(&self, page: &Page<'_>, roots: &[u32], marks: &Marks) -> Option<Vec<u32>> {
        if self.total < Self::MIN_TOTAL {
            return None;
        }
        let kept = self.kept(marks);
        let mut wider: Vec<u32> = if kept * 2 < self.total {
            vec![self.covering(page)]
        } else {
            roots.to_vec()
        };
        let changed = wider.as_slice() != roots;
        // Regions beside a content that already holds most of the prose are more often an
        // author's biography or teasers of other articles than more of the article.
        let regions = if changed || kept * 20 < self.total * 13 {
            self.regions(page, &wider)
        } else {
            Vec::new()
        };
        if regions.is_empty() && !changed {
            return None;
        }
        wider.extend(regions);
        Some(wider)
    }

    /// The smallest element holding three quarters of the page's prose.
    fn covering(&self, page: &Page<'_>) -> u32 {
        let need = self.total - self.total / 4;
        let mut at = page
            .els
            .iter()
            .position(|e| e.tag == Tag::Body)
            .unwrap_or(0);
        while let Some(&c) = page.children[at]
            .iter()
            .find(|&&c| self.sums[c as usize].0 >= need)
        {
            at = c as usize;
        }
        at as u32
    }

    /// Elements beside the content (children of the content's ancestors, not on its path) whose
    /// text reads as article prose and whose tag and name do not say furniture.
    fn regions(&self, page: &Page<'_>, roots: &[u32]) -> Vec<u32> {
        let mut on_path = vec![false; page.els.len()];
        let mut ancestors = Vec::new();
        for &r in roots {
            on_path[r as usize] = true;
            let mut a = page.els[r as usize].parent;
            while a != NONE && !on_path[a as usize] {
                on_path[a as usize] = true;
                ancestors.push(a);
                a = page.els[a as usize].parent;
            }
        }
        let mut out = Vec::new();
        for a in ancestors {
            for &c in &page.children[a as usize] {
                if !on_path[c as usize] && self.is_region(page, c as usize) {
                    out.push(c);
                }
            }
        }
        out
    }

    fn is_region(&self, page: &Page<'_>, i: usize) -> bool {
        let el = &page.els[i];
        let (prose, text, links) = self.sums[i];
        !matches!(
            el.tag,
            Tag::Nav | Tag::Aside | Tag::Footer | Tag::Header | Tag::Form | Tag::A
        ) && el.furniture.is_none()
            && !el.unlikely
            && prose >= 300
            && prose * 10 >= text * 7
            && links * 5 <= text
    }
}

/// The second walk: one line per block of text.
fn emit(page: &Page<'_>, marks: &Marks, title: Option<&str>) -> Vec<Line> {
    let mut out = Emitter {
        page,
        marks,
        lines: Vec::new(),
        text: String::new(),
        link_chars: 0,
        pending_space: false,
        blocks: Vec::new(),
        quotes: 0,
        link_depth: 0,
        title_key: title.map(normalize).filter(|t| !t.is_empty()),
        title_found: false,
    };
    for step in &page.steps {
        match *step {
            Step::Open(index) => {
                let tag = page.els[index as usize].tag;
                if tag == Tag::Br {
                    out.flush();
                } else if tag.is_block() {
                    out.flush();
                    out.blocks.push(index);
                }
                match tag {
                    Tag::A => out.link_depth += 1,
                    Tag::Blockquote => out.quotes += 1,
                    _ => {}
                }
            }
            Step::Text(t) => out.push_text(t),
            Step::Close(index) => {
                let tag = page.els[index as usize].tag;
                if tag.is_block() && tag != Tag::Br {
                    out.flush();
                    out.blocks.pop();
                }
                match tag {
                    Tag::A => out.link_depth -= 1,
                    Tag::Blockquote => out.quotes -= 1,
                    _ => {}
                }
            }
        }
    }
    out.flush();
    out.lines
}

/// Gathers the text of the current block and turns it into a line.
struct Emitter<'p> {
    page: &'p Page<'p>,
    marks: &'p Marks,
    lines: Vec<Line>,
    text: String,
    link_chars: usize,
    pending_space: bool,
    /// The open block elements, innermost last.
    blocks: Vec<u32>,
    quotes: u32,
    link_depth: u32,
    title_key: Option<String>,
    title_found: bool,
}

impl Emitter<'_> {
    fn push_text(&mut self, t: &str) {
        if self.blocks.is_empty() {
            return;
        }
        let starts_space = t.starts_with(char::is_whitespace);
        for (i, word) in t.split_whitespace().enumerate() {
            let word = super::text::strip_invisible(word);
            if word.is_empty() {
                continue;
            }
            if (i > 0 || starts_space || self.pending_space) && !self.text.is_empty() {
                self.text.push(' ');
                if self.link_depth > 0 {
                    self.link_chars += 1;
                }
            }
            self.pending_space = false;
            self.text.push_str(&word);
            if self.link_depth > 0 {
                self.link_chars += word.chars().count();
            }
        }
        if t.ends_with(char::is_whitespace) {
            self.pending_space = true;
        }
    }

    fn flush(&mut self) {
        self.pending_space = false;
        let link_chars = std::mem::take(&mut self.link_chars);
        if self.text.trim().is_empty() {
            self.text.clear();
            return;
        }
        let text = std::mem::take(&mut self.text);
        let Some(&block) = self.blocks.last() else {
            return;
        };
        let el = &self.page.els[block as usize];
        let chars = text.chars().count().max(1);
        let link_percent = ((link_chars.min(chars) * 100) / chars) as u8;
        let mut f = self.marks.flags[block as usize];
        if link_percent >= 90 {
            f |= flags::ALL_LINK;
        }
        let kind = match el.tag {
            Tag::Heading(level) => BlockKind::Heading(level),
            Tag::Li | Tag::Dd | Tag::Dt => BlockKind::ListItem,
            Tag::Pre => BlockKind::Pre,
            Tag::Td | Tag::Th | Tag::Tr => BlockKind::Cell,
            Tag::Figcaption => BlockKind::Caption,
            _ if self.quotes > 0 => BlockKind::Quote,
            _ => BlockKind::Paragraph,
        };
        if !self.title_found
            && matches!(el.tag, Tag::Heading(1 | 2))
            && self.title_key.as_deref().is_some_and(|t| {
                let n = normalize(&text);
                !n.is_empty() && (n == t || (n.len() * 2 > t.len() && t.contains(n.as_str())))
            })
        {
            self.title_found = true;
            f |= flags::TITLE;
        }
        let number = self.lines.len() as u32 + 1;
        self.lines.push(Line {
            text,
            number,
            key: None,
            block: Block {
                kind,
                flags: f,
                link_percent,
                dropped: self.marks.dropped[block as usize],
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(html: &str) -> Document {
        extract(html, Decoding::utf8(), None)
    }

    const PROSE: &str = "The council voted on Tuesday to expand the ferry service, a decision that \
        residents, business owners and commuters had sought for years, and the first boats will \
        sail in June.";

    #[test]
    fn finds_the_article_and_drops_the_rest() {
        let page = format!(
            "<html><head><title>Ferry plan | Herald</title></head><body>\
             <nav><ul><li><a href=/>Home</a></li><li><a href=/news>News</a></li></ul></nav>\
             <div class=sidebar><a href=/x>Other story one</a></div>\
             <article><h1>Ferry plan</h1><p>{PROSE}</p><p>{PROSE}</p>\
             <div class=share><a>Facebook</a> <a>Twitter</a></div><p>{PROSE}</p></article>\
             <footer>© 2024 Herald</footer></body></html>"
        );
        let d = doc(&page);
        let kept: Vec<&str> = d
            .lines
            .iter()
            .filter(|l| l.block.dropped.is_none())
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(kept, ["Ferry plan", PROSE, PROSE, PROSE], "{:#?}", d.lines);
        let reason = |t: &str| d.lines.iter().find(|l| l.text == t).unwrap().block.dropped;
        assert_eq!(reason("Home"), Some(Reason::Navigation));
        assert_eq!(reason("Facebook Twitter"), Some(Reason::ShareBar));
        assert_eq!(reason("© 2024 Herald"), Some(Reason::OutsideContent));
        assert!(d.lines[0..].iter().any(|l| l.block.has(flags::TITLE)));
    }

    #[test]
    fn inline_markup_joins_and_blocks_split() {
        let d = doc("<body><div><p>One <b>bold</b>word<br>next line</p><p>Two</p></div></body>");
        let texts: Vec<&str> = d.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["One boldword", "next line", "Two"]);
    }

    #[test]
    fn a_page_with_nothing_visible_has_no_lines() {
        for page in [
            "",
            "<script>x()</script>",
            "<html hidden>x</html>",
            "<html style=display:none><p>x</p>",
            "<!-- c -->",
        ] {
            let d = doc(page);
            assert!(d.lines.is_empty(), "{page:?}: {:?}", d.lines);
        }
    }

    #[test]
    fn invisible_content_is_not_text() {
        let d = doc(
            "<body><p>Seen</p><p hidden>Unseen</p><p style='display: none'>No</p>\
                     <script>var x = 1;</script><style>p{}</style></body>",
        );
        let texts: Vec<&str> = d.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["Seen"]);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 50_000;
        let page = format!(
            "{}<p>deep</p>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let d = doc(&page);
        assert!(d.lines.iter().any(|l| l.text == "deep"));
        assert_eq!(d.notes.len(), 1, "{:?}", d.notes);
    }
}
