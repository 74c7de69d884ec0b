//! The names of the rules that remove lines. A rule's name is the removal reason users see in
//! `lines.removed[].reason` and in the report's `removed` counts.
//!
//! Learned rules come from the line-frequency model, pattern rules from the furniture lexicon
//! (`src/lexicon/*.txt`) and the shape of a line, structural rules from where a line sits in the
//! document, and DOM rules from the HTML element a block of text came from.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a line was removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    // Learned.
    /// The line recurs across many different articles of the same site.
    SiteTemplate,
    /// The line recurs across many different articles on several sites.
    CrossSiteFurniture,

    // Patterns.
    /// A photo credit, or a caption that ends in one.
    PhotoCredit,
    /// A prompt to comment, a comment count, or a comment-form label.
    CommentPrompt,
    /// A subscription offer, paywall banner, newsletter sign-up or log-in prompt.
    Subscription,
    /// Share buttons rendered as text.
    ShareBar,
    /// Site navigation: menus, breadcrumbs, "back to top", "exit mobile version".
    Navigation,
    /// A prompt to follow the site or an author on social media or by alerts.
    FollowPrompt,
    /// A cookie or privacy-consent notice.
    CookieNotice,
    /// An advertisement label or sponsored-content marker.
    Advertisement,
    /// A line that is nothing but a URL.
    BareUrl,
    /// A kicker such as "Analysis |" or "OPINION:" above the title.
    SectionLabel,
    /// A byline or dateline block ("By Jane Doe", "Updated 3 hours ago") before the article.
    Byline,
    /// A single inline link to another article ("READ MORE: …", "Lesen Sie auch: …").
    RelatedLink,

    // Structure.
    /// A short line (a byline, a caption) printed more than once, or a copy of a removed line.
    RepeatedLine,
    /// The run of headline-like lines after the article ends: links to other articles.
    RelatedList,

    // DOM (HTML only).
    /// A block outside the main content of the page (menus, headers, footers, sidebars).
    OutsideContent,
    /// A block inside a comment section.
    CommentSection,
    /// A figure caption or credit inside the content.
    Caption,
    /// A block hidden from readers (`hidden`, `aria-hidden`, `display:none`).
    Hidden,
}

impl Reason {
    /// Every reason, in the order they are documented.
    pub const ALL: [Reason; 20] = [
        Reason::SiteTemplate,
        Reason::CrossSiteFurniture,
        Reason::PhotoCredit,
        Reason::CommentPrompt,
        Reason::Subscription,
        Reason::ShareBar,
        Reason::Navigation,
        Reason::FollowPrompt,
        Reason::CookieNotice,
        Reason::Advertisement,
        Reason::BareUrl,
        Reason::SectionLabel,
        Reason::Byline,
        Reason::RelatedLink,
        Reason::RepeatedLine,
        Reason::RelatedList,
        Reason::OutsideContent,
        Reason::CommentSection,
        Reason::Caption,
        Reason::Hidden,
    ];

    /// The rule's name, as it appears in the output.
    pub fn name(self) -> &'static str {
        match self {
            Reason::SiteTemplate => "site-template",
            Reason::CrossSiteFurniture => "cross-site-furniture",
            Reason::PhotoCredit => "photo-credit",
            Reason::CommentPrompt => "comment-prompt",
            Reason::Subscription => "subscription",
            Reason::ShareBar => "share-bar",
            Reason::Navigation => "navigation",
            Reason::FollowPrompt => "follow-prompt",
            Reason::CookieNotice => "cookie-notice",
            Reason::Advertisement => "advertisement",
            Reason::BareUrl => "bare-url",
            Reason::SectionLabel => "section-label",
            Reason::Byline => "byline",
            Reason::RelatedLink => "related-link",
            Reason::RepeatedLine => "repeated-line",
            Reason::RelatedList => "related-list",
            Reason::OutsideContent => "outside-content",
            Reason::CommentSection => "comment-section",
            Reason::Caption => "caption",
            Reason::Hidden => "hidden",
        }
    }

    /// The reason with this name, if any.
    pub fn from_name(name: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.name() == name)
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for reason in Reason::ALL {
            assert_eq!(Reason::from_name(reason.name()), Some(reason));
            let json = serde_json::to_string(&reason).unwrap();
            assert_eq!(json, format!("\"{}\"", reason.name()));
        }
    }
}
