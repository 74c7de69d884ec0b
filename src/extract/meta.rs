//! Page metadata: title, canonical URL, author, date and language from `<title>`, `<meta>`
//! (Open Graph, Twitter, Dublin Core, `article:*`), `<link rel=canonical>`, `<html lang>` and
//! JSON-LD (`NewsArticle` and friends, also inside `@graph`).
//!
//! The HTML walk collects the raw values ([`Raw`]); [`interpret`] chooses among them:
//! - URL: canonical link, `og:url`, JSON-LD `url`/`mainEntityOfPage`, then the container's URL;
//!   relative URLs are resolved against the container's URL when there is one, else ignored;
//! - title: `og:title`, JSON-LD `headline`, `twitter:title`, then `<title>` without a trailing
//!   `| Site name`;
//! - author: see [`Authors::choose`]: the name the article header shows, JSON-LD people (also
//!   by `@id` reference), author meta tags, author elements (`itemprop`, `rel`, class names),
//!   then organizations; names are read with [`super::author`];
//! - published: see [`Dates::choose`]: the date shown in the article header (found by
//!   [`super::header`]) confirmed by or else before JSON-LD `datePublished` and the publication
//!   meta tags, a date in the byline block, a labelled date, the first `<time>`, the
//!   modification date and a date in the URL, in ISO 8601;
//! - language: `<html lang>`, JSON-LD `inLanguage`, `og:locale`, `content-language`.

use super::author::{self, Strictness};
use super::date::{self, Day};
use super::{Meta, host_of};
use serde_json::Value;

/// Raw metadata found in a page, in document order.
#[derive(Debug, Default)]
pub struct Raw {
    /// `<title>` text.
    pub title: Option<String>,
    /// `<html lang>`.
    pub lang: Option<String>,
    /// `<link rel=canonical href>`.
    pub canonical: Option<String>,
    /// `<meta>` name/property (lowercase) and content.
    pub metas: Vec<(String, String)>,
    /// Bodies of `<script type="application/ld+json">`.
    pub json_ld: Vec<String>,
    /// The first `<time datetime>`.
    pub time: Option<String>,
    /// The text pieces (text nodes, in order) of elements that mark an author: `itemprop=author`,
    /// `rel=author`, a class or id naming an author or byline; in document order, at most
    /// [`MAX_MARKED`].
    pub marked_authors: Vec<Vec<String>>,
    /// The text of the first `<time>` without a `datetime`.
    pub time_text: Option<String>,
}

/// How many author elements a page's metadata keeps.
const MAX_MARKED: usize = 24;
/// How many text pieces, and characters, of one author element are kept.
const MAX_PIECES: usize = 16;
const MAX_PIECE_CHARS: usize = 600;

/// Whether `hay` holds `needle` (lowercase ASCII), ignoring ASCII case.
fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Whether an element marks the page's author: `itemprop=author`/`creator`, `rel=author`, or a
/// class or id naming an author, writer or byline (not a comment's author).
fn marks_author(el: &scraper::node::Element) -> bool {
    let has_word = |attr: &str, word: &str| {
        el.attr(attr)
            .is_some_and(|v| v.split_whitespace().any(|w| w.eq_ignore_ascii_case(word)))
    };
    if has_word("itemprop", "author")
        || has_word("itemprop", "creator")
        || has_word("rel", "author")
    {
        return true;
    }
    [el.attr("class"), el.attr("id")]
        .into_iter()
        .flatten()
        .any(|v| {
            (contains_ci(v, "author") || contains_ci(v, "byline") || contains_ci(v, "writer"))
                && !contains_ci(v, "comment")
        })
}

/// Reads what an element of the page body tells about the author and the date: the text pieces
/// of an element that marks an author ([`Raw::marked_authors`]) and the text of a `<time>`
/// without a `datetime` ([`Raw::time_text`]).
pub(crate) fn mark_author(
    el: &scraper::node::Element,
    node: ego_tree::NodeRef<'_, scraper::Node>,
    raw: &mut Raw,
) {
    if el.name() == "time" && raw.time_text.is_none() && el.attr("datetime").is_none() {
        let text: String = node
            .descendants()
            .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
            .collect::<Vec<_>>()
            .join(" ");
        raw.time_text = Some(clean(&text)).filter(|t| !t.is_empty() && t.len() < 100);
    }
    if raw.marked_authors.len() >= MAX_MARKED || !marks_author(el) {
        return;
    }
    let mut pieces = Vec::new();
    let mut chars = 0;
    for d in node.descendants() {
        if let Some(t) = d.value().as_text() {
            let in_script = d
                .parent()
                .and_then(|p| p.value().as_element())
                .is_some_and(|p| matches!(p.name(), "script" | "style" | "noscript" | "template"));
            let t = t.trim();
            if t.is_empty() || in_script {
                continue;
            }
            chars += t.len();
            pieces.push(t.to_owned());
            if pieces.len() >= MAX_PIECES || chars >= MAX_PIECE_CHARS {
                break;
            }
        }
    }
    if !pieces.is_empty() {
        raw.marked_authors.push(pieces);
    }
}

impl Raw {
    fn meta(&self, names: &[&str]) -> Option<String> {
        for name in names {
            if let Some((_, v)) = self
                .metas
                .iter()
                .find(|(n, v)| n == name && !v.trim().is_empty())
            {
                return Some(clean(v));
            }
        }
        None
    }
}

fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the JSON-LD of a page says about its article.
#[derive(Debug, Default)]
struct Ld {
    headline: Option<String>,
    url: Option<String>,
    /// Author names, and whether each is a person (not an organization).
    authors: Vec<(String, bool)>,
    published: Option<String>,
    modified: Option<String>,
    language: Option<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "LiveBlogPosting",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
    "WebPage",
];

/// Names of the JSON-LD nodes that have an `@id`, and whether each is a person: what an
/// `"author": {"@id": …}` reference points to (Yoast's `@graph` does this).
type Named = std::collections::BTreeMap<String, (String, bool)>;

fn read_ld(sources: &[String]) -> Ld {
    let values: Vec<Value> = sources
        .iter()
        .filter_map(|s| serde_json::from_str::<Value>(s.trim()).ok())
        .collect();
    let mut best: Option<(usize, &serde_json::Map<String, Value>)> = None;
    let mut named = Named::new();
    for value in &values {
        let mut stack = vec![value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(map) => {
                    if let Some(graph) = map.get("@graph") {
                        stack.push(graph);
                    }
                    if let (Some(Value::String(id)), Some(Value::String(name))) =
                        (map.get("@id"), map.get("name"))
                    {
                        named
                            .entry(id.clone())
                            .or_insert_with(|| (clean(name), !is_organization(map)));
                    }
                    let rank = type_rank(map.get("@type"));
                    if let Some(rank) = rank
                        && best.as_ref().is_none_or(|(r, _)| rank < *r)
                    {
                        best = Some((rank, map));
                    }
                }
                _ => {}
            }
        }
    }
    best.map(|(_, map)| ld_of(map, &named)).unwrap_or_default()
}

/// Whether a JSON-LD node is an organization (a publisher, a brand) rather than a person.
fn is_organization(map: &serde_json::Map<String, Value>) -> bool {
    let is_org = |t: &str| {
        t.ends_with("Organization") || matches!(t, "Corporation" | "Brand" | "WebSite" | "WebPage")
    };
    match map.get("@type") {
        Some(Value::String(t)) => is_org(t),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).any(is_org),
        _ => false,
    }
}

fn type_rank(t: Option<&Value>) -> Option<usize> {
    let names: Vec<&str> = match t? {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    names
        .iter()
        .filter_map(|n| ARTICLE_TYPES.iter().position(|t| t == n))
        .min()
}

fn string_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(clean(s)),
        Value::Object(map) => string_of(map.get("@id").or_else(|| map.get("url"))),
        Value::Array(items) => items.iter().find_map(|i| string_of(Some(i))),
        _ => None,
    }
}

/// The names of JSON-LD authors (a string, a node with a `name`, a reference to a named node,
/// or an array of these), and whether each is a person.
fn names_of(v: Option<&Value>, named: &Named) -> Vec<(String, bool)> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() && !s.trim().starts_with("http") => {
            vec![(clean(s), true)]
        }
        Some(Value::Object(map)) => match map.get("name") {
            Some(Value::String(name)) if !name.trim().is_empty() => {
                vec![(clean(name), !is_organization(map))]
            }
            Some(name @ Value::Array(_)) => names_of(Some(name), named),
            _ => map
                .get("@id")
                .and_then(Value::as_str)
                .and_then(|id| named.get(id))
                .cloned()
                .into_iter()
                .collect(),
        },
        Some(Value::Array(items)) => items
            .iter()
            .flat_map(|i| names_of(Some(i), named))
            .collect(),
        _ => Vec::new(),
    }
}

fn ld_of(map: &serde_json::Map<String, Value>, named: &Named) -> Ld {
    Ld {
        headline: string_of(map.get("headline")).or_else(|| string_of(map.get("name"))),
        url: string_of(map.get("url")).or_else(|| string_of(map.get("mainEntityOfPage"))),
        authors: names_of(map.get("author").or_else(|| map.get("creator")), named),
        published: string_of(map.get("datePublished")),
        modified: string_of(map.get("dateModified")),
        language: string_of(map.get("inLanguage")),
    }
}

/// Resolves a URL against a base, or returns it if it is absolute. Only `http(s)` results count.
fn absolute(url: &str, base: Option<&str>) -> Option<String> {
    let url = url.trim();
    if url.starts_with("http://") || url.starts_with("https://") {
        return Some(url.to_owned());
    }
    let base = base?;
    let (scheme, rest) = base.split_once("://")?;
    if let Some(rest_of_url) = url.strip_prefix("//") {
        return Some(format!("{scheme}://{rest_of_url}"));
    }
    let host_end = rest.find('/').unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..host_end]);
    if url.starts_with('/') {
        return Some(format!("{origin}{url}"));
    }
    None
}

/// Chooses the page's metadata; see the module docs. `container_url` is the URL the payload was
/// fetched from, if known.
pub fn interpret(raw: &Raw, container_url: Option<&str>) -> Meta {
    let ld = read_ld(&raw.json_ld);
    let url = [raw.canonical.clone(), raw.meta(&["og:url"]), ld.url.clone()]
        .into_iter()
        .flatten()
        .find_map(|u| absolute(&u, container_url))
        .or_else(|| container_url.map(str::to_owned));
    let published = Dates::read(raw, &ld, url.as_deref()).choose(None, None);
    let site_name = raw.meta(&["og:site_name", "application-name"]);
    let title = raw
        .meta(&["og:title"])
        .or_else(|| ld.headline.clone())
        .or_else(|| raw.meta(&["twitter:title", "dc.title", "title"]))
        .or_else(|| {
            raw.title
                .as_deref()
                .map(|t| strip_site(&clean(t), site_name.as_deref()))
        })
        .filter(|t| !t.is_empty());
    let author = Authors::read(raw, &ld).choose(None, None);
    let language = raw
        .lang
        .clone()
        .filter(|l| !l.trim().is_empty())
        .or(ld.language)
        .or_else(|| raw.meta(&["og:locale", "content-language", "language", "dc.language"]))
        .map(|l| l.trim().replace('_', "-"));
    Meta {
        host: url.as_deref().and_then(host_of),
        url,
        title,
        author,
        published,
        language,
    }
}

/// The authors a page names in its metadata and markup, strongest first.
#[derive(Debug, Default, Clone)]
pub struct Authors {
    /// People named by the JSON-LD article's `author`, joined with ", ".
    ld_people: Option<String>,
    /// The first author meta tag (`author`, `article:author`, `parsely-author`,
    /// `citation_author`, …) that reads as a name and is not the site's name.
    tag: Option<String>,
    /// The first name in an element that marks an author ([`Raw::marked_authors`]).
    marked: Option<String>,
    /// What is left: organizations named as JSON-LD authors, meta tags naming the site.
    weak: Option<String>,
}

const AUTHOR_META: &[&str] = &[
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "cxenseparse:author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "byl",
    "twitter:creator:name",
];

impl Authors {
    fn read(raw: &Raw, ld: &Ld) -> Authors {
        let mut people = Vec::new();
        let mut others = Vec::new();
        for (name, person) in &ld.authors {
            let list = if *person { &mut people } else { &mut others };
            if !list.contains(name) {
                list.push(name.clone());
            }
        }
        let join = |names: Vec<String>| (!names.is_empty()).then(|| names.join(", "));
        let site = raw.meta(&["og:site_name", "application-name"]);
        let is_site = |v: &str| site.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(v));
        let mut tags: Vec<String> = AUTHOR_META.iter().filter_map(|n| raw.meta(&[n])).collect();
        // Twitter's "Written by" card: `twitter:label1` names what `twitter:data1` holds.
        for (label, data) in [
            ("twitter:label1", "twitter:data1"),
            ("twitter:label2", "twitter:data2"),
        ] {
            if raw
                .meta(&[label])
                .is_some_and(|l| contains_ci(&l, "written by") || contains_ci(&l, "author"))
                && let Some(v) = raw.meta(&[data])
            {
                tags.push(v);
            }
        }
        let tags: Vec<String> = tags
            .into_iter()
            .filter(|v| !v.starts_with("http") && !v.starts_with('@'))
            .collect();
        let tag = tags.iter().filter(|v| !is_site(v)).find_map(|v| {
            // A tag holds a name as it is ("Center for Research"), unless it reads as a byline.
            let plain = !v.bytes().any(|b| b.is_ascii_digit()) && v.split_whitespace().count() <= 8;
            if plain && !author::is_label(v) && !v.contains(['|', '•']) {
                Some(v.clone())
            } else {
                author::name_in(v, Strictness::Marked)
            }
        });
        // A single word in an author element is often a category or a first name: a full name
        // in a later author element is better.
        let names: Vec<String> = raw
            .marked_authors
            .iter()
            .filter_map(|pieces| {
                author::from_pieces(pieces.iter().map(String::as_str), Strictness::Marked)
            })
            .collect();
        let marked = names
            .iter()
            .find(|n| n.split_whitespace().count() >= 2)
            .or(names.first())
            .cloned();
        Authors {
            ld_people: join(people),
            tag,
            marked,
            weak: join(others).or_else(|| tags.first().cloned()),
        }
    }

    /// The author, given the name the article's header shows after "By" (`shown`) and a name
    /// on a byline line of the header (`byline`): the shown name, the JSON-LD people, the
    /// author meta tags, a name in an author element, the byline name, then an organization
    /// or the site named as the author.
    pub fn choose(&self, shown: Option<String>, byline: Option<String>) -> Option<String> {
        shown
            .or_else(|| self.ld_people.clone())
            .or_else(|| self.tag.clone())
            .or_else(|| self.marked.clone())
            .or(byline)
            .or_else(|| self.weak.clone())
    }
}

/// Reads the authors a page names; see [`Authors`].
pub fn authors(raw: &Raw) -> Authors {
    Authors::read(raw, &read_ld(&raw.json_ld))
}

/// The dates a page gives in its metadata, each in ISO 8601 ([`date::normalize`]).
#[derive(Debug, Default, Clone)]
pub struct Dates {
    /// JSON-LD `datePublished`, `article:published_time` and the other publication meta tags,
    /// `itemprop=datePublished`.
    published: Option<String>,
    /// JSON-LD `dateModified`, `article:modified_time`, `og:updated_time`,
    /// `itemprop=dateModified`.
    modified: Option<String>,
    /// The first `<time datetime>`, else the text of the first `<time>`.
    time: Option<String>,
    /// The first date written in an element that marks the author (a byline block).
    byline: Option<Day>,
    /// A date in the URL's path.
    url: Option<Day>,
}

/// Whether a meta name not in [`PUBLISHED_META`] names a publication date
/// (`w-published-date`, `og:publish_date`, `article.published`, `pub_date`).
fn names_publication(name: &str) -> bool {
    let published = [
        "publish", "pubdate", "pub_date", "pub-date", "date_pub", "date-pub",
    ]
    .iter()
    .any(|w| name.contains(w));
    let other = ["modif", "updat", "expir", "revis", "publisher", "embargo"]
        .iter()
        .any(|w| name.contains(w));
    published && !other
}

/// Percent-escaped slashes and dashes of a URL written into a meta tag, unescaped so its path
/// can be read (`%2Farticles%2F2025-12-15` → `/articles/2025-12-15`).
fn unescape_path(url: &str) -> String {
    url.replace("%2F", "/")
        .replace("%2f", "/")
        .replace("%2D", "-")
        .replace("%2d", "-")
}

const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "published",
    "publication_date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
    "sailthru.date",
    "parsely-pub-date",
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
];

const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
];

impl Dates {
    fn read(raw: &Raw, ld: &Ld, url: Option<&str>) -> Dates {
        let first = |ld: &Option<String>, names: &[&str]| {
            ld.iter()
                .cloned()
                .chain(names.iter().filter_map(|n| raw.meta(&[n])))
                .find_map(|v| date::normalize(&v))
        };
        let published = first(&ld.published, PUBLISHED_META).or_else(|| {
            raw.metas
                .iter()
                .filter(|(n, _)| names_publication(n))
                .find_map(|(_, v)| date::normalize(v))
        });
        let urls = [url, raw.canonical.as_deref()]
            .into_iter()
            .flatten()
            .map(str::to_owned)
            .chain(raw.meta(&["og:url"]));
        Dates {
            published,
            modified: first(&ld.modified, MODIFIED_META),
            time: (raw.time.as_deref().and_then(date::normalize))
                .or_else(|| raw.time_text.as_deref().and_then(date::find).map(Day::iso)),
            byline: raw
                .marked_authors
                .iter()
                .flatten()
                .filter(|p| p.split_whitespace().count() <= 12)
                .find_map(|p| date::find(p)),
            url: urls
                .map(|u| unescape_path(&u))
                .find_map(|u| date::in_url(&u)),
        }
    }

    /// The published date, given the date shown in the page's article header (`shown`) and a
    /// date the page labels as its publication date elsewhere (`labelled`: "Published on …").
    ///
    /// The page shows the date its readers go by (often the date of the last update): a shown
    /// date comes first, with the time of a metadata date on the same day; a numeric date that
    /// reads either way (`03/10/2023`) is read the way the page's other dates confirm. Without
    /// a shown date: the metadata's publication date, the date in the byline block, a labelled
    /// date, the first `<time>`, the modification date, and the date in the URL.
    pub fn choose(&self, shown: Option<Day>, labelled: Option<Day>) -> Option<String> {
        let known = [&self.published, &self.modified, &self.time];
        if let Some(mut day) = shown {
            // `03/10/2023` read month first, when the page's other dates say 3 October.
            let confirms = |d: Day| {
                let iso = d.iso();
                known
                    .iter()
                    .any(|v| v.as_ref().is_some_and(|v| v.starts_with(&iso)))
                    || self.url == Some(d)
            };
            if !confirms(day)
                && let Some(other) = day.swapped().filter(|&d| confirms(d))
            {
                day = other;
            }
            let iso = day.iso();
            return Some(
                known
                    .iter()
                    .find_map(|v| v.as_ref().filter(|v| v.starts_with(&iso)).cloned())
                    .unwrap_or(iso),
            );
        }
        self.published
            .clone()
            .or_else(|| self.byline.map(Day::iso))
            .or_else(|| labelled.map(Day::iso))
            .or_else(|| self.time.clone())
            .or_else(|| self.modified.clone())
            .or_else(|| self.url.map(Day::iso))
    }
}

/// Reads the metadata dates of a page; see [`Dates`].
pub fn dates(raw: &Raw, container_url: Option<&str>, meta: &Meta) -> Dates {
    let ld = read_ld(&raw.json_ld);
    Dates::read(raw, &ld, meta.url.as_deref().or(container_url))
}

/// `"Story title | The Daily Site"` → `"Story title"`, when the tail is the site's name or
/// clearly shorter than the head.
fn strip_site(title: &str, site: Option<&str>) -> String {
    for sep in [" | ", " - ", " — ", " – ", " :: ", " · "] {
        if let Some(pos) = title.rfind(sep) {
            let (head, tail) = (&title[..pos], &title[pos + sep.len()..]);
            let is_site = site.is_some_and(|s| s.eq_ignore_ascii_case(tail.trim()));
            if is_site
                || (tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 4)
            {
                return head.trim().to_owned();
            }
        }
    }
    title.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_and_meta_are_combined() {
        let raw = Raw {
            title: Some("Storm floods coast | Daily Example".into()),
            lang: Some("en".into()),
            canonical: Some("/news/storm".into()),
            metas: vec![("og:site_name".into(), "Daily Example".into())],
            json_ld: vec![r#"{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"X"},{"@type":"NewsArticle","headline":"Storm floods the coast","author":[{"@type":"Person","name":"Ana Ruiz"},{"name":"Bo Li"}],"datePublished":"2024-03-01T06:00:00Z"}]}"#.into()],
            time: None,
            marked_authors: Vec::new(),
            time_text: None,
        };
        let meta = interpret(&raw, Some("https://www.example.com/x?y=1"));
        assert_eq!(
            meta.url.as_deref(),
            Some("https://www.example.com/news/storm")
        );
        assert_eq!(meta.host.as_deref(), Some("example.com"));
        assert_eq!(meta.title.as_deref(), Some("Storm floods the coast"));
        assert_eq!(meta.author.as_deref(), Some("Ana Ruiz, Bo Li"));
        assert_eq!(meta.published.as_deref(), Some("2024-03-01T06:00:00Z"));
        assert_eq!(meta.language.as_deref(), Some("en"));
    }

    #[test]
    fn titles_lose_the_site_name() {
        assert_eq!(
            strip_site("A long story title here | Site", None),
            "A long story title here"
        );
        assert_eq!(strip_site("Q&A - Interview", None), "Q&A - Interview");
        assert_eq!(
            strip_site("Budget talks | Herald", Some("Herald")),
            "Budget talks"
        );
    }

    #[test]
    fn authors_rank_people_over_organizations_and_markup() {
        let raw = |json_ld: &str, metas: &[(&str, &str)], marked: &[&[&str]]| Raw {
            json_ld: vec![json_ld.into()],
            metas: metas
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            marked_authors: marked
                .iter()
                .map(|p| p.iter().map(|s| s.to_string()).collect())
                .collect(),
            ..Raw::default()
        };
        let org = r#"{"@type":"Article","author":{"@type":"Organization","name":"Daily Example"}}"#;
        let by_ref = r#"{"@graph":[{"@type":"Person","@id":"p1","name":"Ana Ruiz"},{"@type":"Article","author":[{"@id":"p1"}]}]}"#;
        let site = [
            ("og:site_name", "Daily Example"),
            ("author", "Daily Example"),
        ];
        let choose = |raw: &Raw| authors(raw).choose(None, None);
        assert_eq!(
            choose(&raw(by_ref, &[("author", "ana_r")], &[])).as_deref(),
            Some("Ana Ruiz")
        );
        assert_eq!(
            choose(&raw(org, &site, &[&["By", "Bo Li", "June 2, 2025"]])).as_deref(),
            Some("Bo Li")
        );
        assert_eq!(
            choose(&raw(org, &site, &[])).as_deref(),
            Some("Daily Example")
        );
        assert_eq!(
            authors(&raw(org, &site, &[]))
                .choose(Some("Cy Ng".into()), None)
                .as_deref(),
            Some("Cy Ng")
        );
    }

    #[test]
    fn publication_dates_under_other_names_and_in_escaped_urls() {
        let raw = Raw {
            metas: vec![
                ("w-updated-date".into(), "2025-02-01".into()),
                ("w-published-date".into(), "2024-12-15T06:00:00Z".into()),
                (
                    "og:url".into(),
                    "https://x.example%2Fposts%2F2023-05-06%2Bnotes".into(),
                ),
            ],
            ..Raw::default()
        };
        let dates = dates(&raw, None, &Meta::default());
        assert_eq!(
            dates.choose(None, None).as_deref(),
            Some("2024-12-15T06:00:00Z")
        );
        assert_eq!(dates.url.map(Day::iso).as_deref(), Some("2023-05-06"));
        assert!(!names_publication("publisher"));
    }

    #[test]
    fn broken_json_ld_is_ignored() {
        let raw = Raw {
            json_ld: vec!["{not json".into()],
            ..Raw::default()
        };
        assert_eq!(interpret(&raw, None), Meta::default());
    }
}
