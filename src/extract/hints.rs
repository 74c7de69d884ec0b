//! What an element's `class`, `id` and `role` say about it.
//!
//! Two readings are made of the same words:
//! - a *weight* for content scoring, as Mozilla's Readability does it: names like `article`,
//!   `content`, `story` count for, names like `comment`, `sidebar`, `promo` against; and whether
//!   the element is an *unlikely* candidate for the article at all (menus, footers, social boxes);
//! - a *furniture* reading: which kind of furniture the element names (a share bar, a related
//!   list, a comment section, a newsletter box…), which becomes the removal reason of the lines
//!   inside it.
//!
//! Names are split into words at `-`, `_`, spaces and camel case (`c-shareBar` is `c`, `share`,
//! `bar`), so `ad` matches `ad-slot` but not `header` or `shadow`.

use crate::reason::Reason;
use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

const POSITIVE: u8 = 1;
const NEGATIVE: u8 = 2;
const UNLIKELY: u8 = 4;
const MAYBE: u8 = 8;

/// Readability's name lists (substrings, any case), as one automaton: each pattern carries the
/// lists it belongs to.
static LISTS: LazyLock<(AhoCorasick, Vec<u8>)> = LazyLock::new(|| {
    let lists: [(u8, &[&str]); 4] = [
        (
            POSITIVE,
            &[
                "article",
                "body",
                "content",
                "entry",
                "hentry",
                "h-entry",
                "main",
                "page",
                "pagination",
                "post",
                "text",
                "blog",
                "story",
            ],
        ),
        (
            NEGATIVE,
            &[
                "-ad-",
                "hidden",
                "banner",
                "combx",
                "comment",
                "com-",
                "contact",
                "foot",
                "footer",
                "footnote",
                "gdpr",
                "masthead",
                "media",
                "meta",
                "outbrain",
                "promo",
                "related",
                "scroll",
                "share",
                "shoutbox",
                "sidebar",
                "skyscraper",
                "sponsor",
                "shopping",
                "tags",
                "tool",
                "widget",
            ],
        ),
        (
            UNLIKELY,
            &[
                "-ad-",
                "ai2html",
                "banner",
                "breadcrumbs",
                "combx",
                "comment",
                "community",
                "cover-wrap",
                "disqus",
                "extra",
                "footer",
                "gdpr",
                "header",
                "legends",
                "menu",
                "related",
                "remark",
                "replies",
                "rss",
                "shoutbox",
                "sidebar",
                "skyscraper",
                "social",
                "sponsor",
                "supplemental",
                "ad-break",
                "agegate",
                "pagination",
                "pager",
                "popup",
                "yom-remote",
            ],
        ),
        (
            MAYBE,
            &[
                "and", "article", "body", "column", "content", "main", "shadow",
            ],
        ),
    ];
    let mut patterns: Vec<&str> = Vec::new();
    let mut masks: Vec<u8> = Vec::new();
    for (bit, words) in lists {
        for w in words {
            match patterns.iter().position(|p| p == w) {
                Some(i) => masks[i] |= bit,
                None => {
                    patterns.push(w);
                    masks.push(bit);
                }
            }
        }
    }
    let automaton = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(&patterns)
        .expect("the name lists compile");
    (automaton, masks)
});

/// Which of Readability's lists a name matches (a set of the bits above).
fn lists(name: &str) -> u8 {
    let (automaton, masks) = &*LISTS;
    let mut bits = 0;
    for m in automaton.find_overlapping_iter(name) {
        bits |= masks[m.pattern().as_usize()];
    }
    // `hid` counts only as a word of its own.
    if name
        .split_ascii_whitespace()
        .any(|t| t.eq_ignore_ascii_case("hid"))
    {
        bits |= NEGATIVE;
    }
    bits
}

/// Everything the names of one element say, read at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hints {
    /// [`weight`].
    pub weight: i32,
    /// [`unlikely`].
    pub unlikely: bool,
    /// [`furniture`].
    pub furniture: Option<Reason>,
    /// [`content`].
    pub content: bool,
}

/// Reads an element's names.
pub fn read(class: &str, id: &str, role: &str) -> Hints {
    let class = &*meaningful(class);
    if class.is_empty() && id.is_empty() && role.is_empty() {
        return Hints::default();
    }
    let (class_lists, id_lists) = (lists(class), lists(id));
    let weight_of = |bits: u8| {
        (if bits & NEGATIVE != 0 { -25 } else { 0 }) + (if bits & POSITIVE != 0 { 25 } else { 0 })
    };
    let both = class_lists | id_lists;
    Hints {
        weight: weight_of(class_lists) + weight_of(id_lists),
        unlikely: unlikely_role(role) || (both & UNLIKELY != 0 && both & MAYBE == 0),
        furniture: furniture(class, id, role),
        content: content(class, id),
    }
}

/// The class names that say something about the element: generated names (CSS-in-JS and CSS
/// module hashes: `css-1q2w3e`, `sc-fTagXy`, `hQwWlJ`, the `__Dq3gk` of `Prose_prose__Dq3gk`)
/// and utility classes (`overflow-hidden`, `md:flex`, `w-[420px]`) are left out, so their
/// letters cannot spell a furniture word.
fn meaningful(class: &str) -> std::borrow::Cow<'_, str> {
    if !class
        .split_ascii_whitespace()
        .any(|t| generated(t).is_some())
    {
        return std::borrow::Cow::Borrowed(class);
    }
    let mut out = String::with_capacity(class.len());
    for token in class.split_ascii_whitespace() {
        let kept = match generated(token) {
            Some(keep) => &token[..keep],
            None => token,
        };
        if !kept.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(kept);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// How much of a class token to keep (`Some(0)`: none) when it is generated or a utility class;
/// `None` when it is an ordinary name.
fn generated(token: &str) -> Option<usize> {
    const UTILITY: &[&str] = &[
        "overflow-",
        "transition",
        "duration-",
        "ease-",
        "translate-",
        "opacity-",
        "z-",
        "inset-",
        "top-",
        "bottom-",
        "left-",
        "right-",
    ];
    const GENERATED: &[&str] = &["css-", "sc-", "jsx-", "svelte-", "emotion-", "styled-"];
    if token.contains([':', '[', '/', '!']) || UTILITY.iter().any(|u| token.starts_with(u)) {
        return Some(0);
    }
    if GENERATED.iter().any(|g| token.starts_with(g)) {
        return Some(0);
    }
    // A styled-components name: `MarkUpWrapper-sc-t20i90-0` is `MarkUpWrapper`.
    if let Some(pos) = token.find("-sc-") {
        return Some(pos);
    }
    // A CSS module: `Prose_prose__Dq3gk` is `Prose_prose`.
    if let Some(pos) = token.rfind("__") {
        let hash = &token[pos + 2..];
        if (5..=8).contains(&hash.len())
            && hash.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && hash
                .chars()
                .any(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        {
            return Some(pos);
        }
    }
    looks_hashed(token).then_some(0)
}

/// A token of random letters and digits: digits between letters (`t20i90`), or several capitals
/// inside lowercase letters with no separator (`hQwWlJ`).
fn looks_hashed(token: &str) -> bool {
    if !(5..=12).contains(&token.len()) || !token.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let trimmed = token.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits_inside = trimmed.chars().any(|c| c.is_ascii_digit())
        && trimmed.chars().any(|c| c.is_ascii_alphabetic());
    let inner_capitals = token
        .chars()
        .skip(1)
        .filter(char::is_ascii_uppercase)
        .count();
    let lower = token.chars().filter(char::is_ascii_lowercase).count();
    digits_inside || (inner_capitals >= 2 && lower >= 1 && token.len() <= 8)
}

/// The class/id weight: +25 for each of class and id that names content, −25 for each that
/// names furniture.
#[cfg(test)]
pub fn weight(class: &str, id: &str) -> i32 {
    read(class, id, "").weight
}

fn unlikely_role(role: &str) -> bool {
    matches!(
        role,
        "menu" | "menubar" | "complementary" | "navigation" | "alert" | "alertdialog" | "dialog"
    )
}

/// Whether the element is an unlikely place for the article (a menu, a footer, a social box),
/// judging by its class, id and ARIA role.
#[cfg(test)]
pub fn unlikely(class: &str, id: &str, role: &str) -> bool {
    read(class, id, role).unlikely
}

/// Whether the names say the element holds the article.
pub fn content(class: &str, id: &str) -> bool {
    let mut found = false;
    each_word(class, id, |w| {
        found |= matches!(
            w,
            "article" | "content" | "story" | "entry" | "post" | "body" | "text" | "prose"
        );
    });
    found
}

/// The kind of furniture the names describe, if any.
pub fn furniture(class: &str, id: &str, role: &str) -> Option<Reason> {
    match role {
        "navigation" | "menu" | "menubar" => return Some(Reason::Navigation),
        "complementary" => return Some(Reason::RelatedList),
        "alertdialog" | "dialog" => return Some(Reason::CookieNotice),
        "contentinfo" => return Some(Reason::OutsideContent),
        _ => {}
    }
    // An id of four or more words is a slug made from a heading ("sharing-with-a-developer"),
    // not a name for furniture.
    let id = if id.split(['-', '_']).filter(|w| !w.is_empty()).count() >= 4 {
        ""
    } else {
        id
    };
    let lower = class.to_ascii_lowercase();
    if [
        "entry-meta",
        "post-meta",
        "article-meta",
        "story-meta",
        "__meta",
    ]
    .iter()
    .any(|m| lower.contains(m))
    {
        return Some(Reason::Byline);
    }
    let mut found: Option<Reason> = None;
    let mut glued = String::new();
    each_word(class, id, |w| {
        if found.is_some() {
            return;
        }
        found = word_reason(w);
        glued.push_str(w);
        glued.push(' ');
    });
    found.or_else(|| glued_reason(&glued))
}

fn word_reason(word: &str) -> Option<Reason> {
    Some(match word {
        "share" | "shares" | "sharebar" | "social" | "socials" | "addthis" | "sharethis"
        | "sharedaddy" | "addtoany" | "a2a" | "sociable" => Reason::ShareBar,
        "related" | "recommended" | "recommendations" | "recirc" | "recirculation" | "outbrain"
        | "taboola" | "trending" | "popular" | "mostread" | "mostpopular" | "readmore" | "read"
        | "further" | "more" | "teasers" | "morestories" | "nextread" => Reason::RelatedList,
        "comment" | "comments" | "commentlist" | "disqus" | "discussion" | "replies"
        | "respond" | "coral" => Reason::CommentSection,
        "newsletter" | "newsletters" | "subscribe" | "subscription" | "subscriptions"
        | "signup" | "paywall" | "regwall" | "piano" | "membership" | "donate" | "donation"
        | "optin" | "register" | "registration" | "login" | "upsell" => Reason::Subscription,
        "ad" | "ads" | "advert" | "adverts" | "advertisement" | "advertising" | "adslot"
        | "adunit" | "dfp" | "gpt" | "sponsor" | "sponsored" | "promo" | "promotion"
        | "promoted" | "commercial" | "adsense" | "banner" => Reason::Advertisement,
        "caption" | "captions" | "figcaption" | "credit" | "credits" | "photocredit"
        | "wp-caption-text" => Reason::Caption,
        "byline" | "bylines" | "author" | "authors" | "dateline" | "timestamp" | "postmeta"
        | "entrymeta" | "articlemeta" => Reason::Byline,
        "breadcrumb" | "breadcrumbs" | "nav" | "navbar" | "navigation" | "menu" | "pagination"
        | "pager" | "skip" | "skiplink" | "toolbar" | "tags" | "tag" | "topics" | "keywords"
        | "categories" => Reason::Navigation,
        "cookie" | "cookies" | "consent" | "gdpr" | "onetrust" => Reason::CookieNotice,
        "footer" | "masthead" | "sidebar" | "rail" | "widget" | "widgets" => Reason::OutsideContent,
        _ => return None,
    })
}

/// Furniture words glued into one name (`mostread`, `sharetools`, `relatedarticles`): a word
/// that starts with one of these stems. `share` and `social` only count in the compounds listed,
/// so `shared-history` and `shareholders` are not share bars.
fn glued_reason(words: &str) -> Option<Reason> {
    const STEMS: &[(&str, Reason)] = &[
        ("related", Reason::RelatedList),
        ("recommend", Reason::RelatedList),
        ("outbrain", Reason::RelatedList),
        ("taboola", Reason::RelatedList),
        ("mostread", Reason::RelatedList),
        ("mostpopular", Reason::RelatedList),
        ("newsletter", Reason::Subscription),
        ("subscri", Reason::Subscription),
        ("paywall", Reason::Subscription),
        ("comment", Reason::CommentSection),
        ("disqus", Reason::CommentSection),
        ("advert", Reason::Advertisement),
        ("sponsor", Reason::Advertisement),
        ("breadcrumb", Reason::Navigation),
        ("cookie", Reason::CookieNotice),
        ("consent", Reason::CookieNotice),
    ];
    const SHARE: &[&str] = &[
        "sharebar",
        "sharetools",
        "sharebuttons",
        "sharebutton",
        "shareicons",
        "sharelinks",
        "sharelist",
        "sharethis",
        "sharedaddy",
        "sharemenu",
        "sharepanel",
        "sharebox",
        "socialshare",
        "socialmedia",
        "socialicons",
        "sociallinks",
        "socialbar",
        "socialbuttons",
    ];
    words.split(' ').find_map(|w| {
        if SHARE.iter().any(|s| w.starts_with(s)) {
            return Some(Reason::ShareBar);
        }
        if w.starts_with("commentary") || w.starts_with("commentator") {
            return None;
        }
        STEMS
            .iter()
            .find(|(stem, _)| w.starts_with(stem))
            .map(|(_, r)| *r)
    })
}

/// Calls `f` with every lowercase word of the class and id.
fn each_word(class: &str, id: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    for name in [class, id] {
        let mut prev_lower = false;
        for ch in name.chars() {
            if ch.is_alphanumeric() {
                if ch.is_uppercase() && prev_lower && !word.is_empty() {
                    f(&word);
                    word.clear();
                }
                prev_lower = ch.is_lowercase();
                word.extend(ch.to_lowercase());
            } else {
                if !word.is_empty() {
                    f(&word);
                    word.clear();
                }
                prev_lower = false;
            }
        }
        if !word.is_empty() {
            f(&word);
            word.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_follow_readability() {
        assert_eq!(weight("article-body", ""), 25);
        assert_eq!(weight("sidebar", "comments"), -50);
        assert_eq!(weight("post-comments", ""), 0);
        assert!(unlikely("site-menu", "", ""));
        assert!(!unlikely("main-menu-and-content", "", ""));
        assert!(unlikely("", "", "navigation"));
    }

    #[test]
    fn generated_and_utility_names_say_nothing() {
        assert_eq!(meaningful("css-1q2w3e sc-fTagXy hQwWlJ"), "");
        assert_eq!(meaningful("Prose_prose__Dq3gk story"), "Prose_prose story");
        assert_eq!(meaningful("MarkUpWrapper-sc-t20i90-0"), "MarkUpWrapper");
        assert_eq!(
            meaningful("grid overflow-hidden md:hidden w-[420px]"),
            "grid"
        );
        assert_eq!(
            meaningful("article__content mainContent col2"),
            "article__content mainContent col2"
        );
        assert_eq!(read("sc-fTagXy", "", "").furniture, None);
        assert_eq!(weight("overflow-hidden", ""), 0);
        assert_eq!(weight("hidden", ""), -25);
    }

    #[test]
    fn furniture_words_need_whole_words() {
        assert_eq!(furniture("c-shareBar", "", ""), Some(Reason::ShareBar));
        assert_eq!(furniture("ad-slot", "", ""), Some(Reason::Advertisement));
        assert_eq!(furniture("header shadow", "", ""), None);
        assert_eq!(
            furniture("", "disqus_thread", ""),
            Some(Reason::CommentSection)
        );
        assert_eq!(
            furniture("mostread-list", "", ""),
            Some(Reason::RelatedList)
        );
        assert_eq!(furniture("commentary-body", "", ""), None);
        assert_eq!(furniture("section", "shared-mutable-history", ""), None);
        assert_eq!(furniture("", "related-work-and-next-steps", ""), None);
        assert_eq!(furniture("entry-meta", "", ""), Some(Reason::Byline));
        assert_eq!(furniture("meta", "", ""), None);
        assert_eq!(furniture("shareholder-letter", "", ""), None);
        assert_eq!(furniture("sharetools-top", "", ""), Some(Reason::ShareBar));
        assert_eq!(furniture("article__content", "", ""), None);
        assert!(content("article__content", ""));
        assert_eq!(furniture("x", "", "navigation"), Some(Reason::Navigation));
    }
}
