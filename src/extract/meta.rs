//! Page metadata: title, canonical URL, author, date and language from `<title>`, `<meta>`
//! (Open Graph, Twitter, Dublin Core, `article:*`), `<link rel=canonical>`, `<html lang>` and
//! JSON-LD (`NewsArticle` and friends, also inside `@graph`).
//!
//! The HTML walk collects the raw values ([`Raw`]); [`interpret`] chooses among them:
//! - URL: canonical link, `og:url`, JSON-LD `url`/`mainEntityOfPage`, then the container's URL;
//!   relative URLs are resolved against the container's URL when there is one, else ignored;
//! - title: `og:title`, JSON-LD `headline`, `twitter:title`, then `<title>` without a trailing
//!   `| Site name`;
//! - author: JSON-LD `author` names, `author` / `article:author` / `dc.creator` meta;
//! - published: see [`Dates::choose`]: the date shown in the article header (found by the HTML
//!   stage) confirmed by or else before JSON-LD `datePublished` and the publication meta tags,
//!   the first `<time datetime>`, the modification date and a date in the URL, in ISO 8601;
//! - language: `<html lang>`, JSON-LD `inLanguage`, `og:locale`, `content-language`.

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
    authors: Vec<String>,
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

fn read_ld(sources: &[String]) -> Ld {
    let mut best: Option<(usize, Ld)> = None;
    for source in sources {
        let Ok(value) = serde_json::from_str::<Value>(source.trim()) else {
            continue;
        };
        let mut stack = vec![&value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(map) => {
                    if let Some(graph) = map.get("@graph") {
                        stack.push(graph);
                    }
                    let rank = type_rank(map.get("@type"));
                    if let Some(rank) = rank
                        && best.as_ref().is_none_or(|(r, _)| rank < *r)
                    {
                        best = Some((rank, ld_of(map)));
                    }
                }
                _ => {}
            }
        }
    }
    best.map(|(_, ld)| ld).unwrap_or_default()
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

fn names_of(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => vec![clean(s)],
        Some(Value::Object(map)) => map
            .get("name")
            .and_then(Value::as_str)
            .map(clean)
            .into_iter()
            .collect(),
        Some(Value::Array(items)) => items.iter().flat_map(|i| names_of(Some(i))).collect(),
        _ => Vec::new(),
    }
}

fn ld_of(map: &serde_json::Map<String, Value>) -> Ld {
    Ld {
        headline: string_of(map.get("headline")).or_else(|| string_of(map.get("name"))),
        url: string_of(map.get("url")).or_else(|| string_of(map.get("mainEntityOfPage"))),
        authors: names_of(map.get("author")),
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
    let published = Dates::read(raw, &ld, url.as_deref()).choose(None);
    let site_name = raw.meta(&["og:site_name", "application-name"]);
    let title = raw
        .meta(&["og:title"])
        .or(ld.headline)
        .or_else(|| raw.meta(&["twitter:title", "dc.title", "title"]))
        .or_else(|| {
            raw.title
                .as_deref()
                .map(|t| strip_site(&clean(t), site_name.as_deref()))
        })
        .filter(|t| !t.is_empty());
    let author = if ld.authors.is_empty() {
        raw.meta(&[
            "author",
            "article:author",
            "dc.creator",
            "byl",
            "parsely-author",
            "sailthru.author",
        ])
        .filter(|a| !a.starts_with("http"))
    } else {
        let mut seen = Vec::new();
        for a in ld.authors {
            if !seen.contains(&a) {
                seen.push(a);
            }
        }
        Some(seen.join(", "))
    };
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

/// The dates a page gives in its metadata, each in ISO 8601 ([`date::normalize`]).
#[derive(Debug, Default, Clone)]
pub struct Dates {
    /// JSON-LD `datePublished`, `article:published_time` and the other publication meta tags,
    /// `itemprop=datePublished`.
    published: Option<String>,
    /// JSON-LD `dateModified`, `article:modified_time`, `og:updated_time`,
    /// `itemprop=dateModified`.
    modified: Option<String>,
    /// The first `<time datetime>`.
    time: Option<String>,
    /// A date in the URL's path.
    url: Option<Day>,
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
        Dates {
            published: first(&ld.published, PUBLISHED_META),
            modified: first(&ld.modified, MODIFIED_META),
            time: raw.time.as_deref().and_then(date::normalize),
            url: url.and_then(date::in_url),
        }
    }

    /// The published date, given the date shown in the page's article header, if any. The page
    /// shows the date its readers go by (often the date of the last update): a shown date that
    /// one of the metadata dates confirms comes first, with the metadata's time; then the shown
    /// date; then the metadata's publication date, the first `<time>`, the modification date,
    /// and the date in the URL.
    pub fn choose(&self, shown: Option<Day>) -> Option<String> {
        let known = [&self.published, &self.modified, &self.time];
        if let Some(day) = shown {
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
    fn broken_json_ld_is_ignored() {
        let raw = Raw {
            json_ld: vec!["{not json".into()],
            ..Raw::default()
        };
        assert_eq!(interpret(&raw, None), Meta::default());
    }
}
