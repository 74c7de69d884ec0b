//! A deterministic synthetic crawl: news sites with templates, articles, copies and recrawls.
//!
//! [`generate`] writes a folder that looks like the output of a naive news crawler, for testing
//! and measuring chaff at any scale without shipping real pages. It takes [`CorpusOptions`] and
//! gives a [`CorpusSummary`] of what it wrote:
//!
//! - `sites` news sites, each with a name, a host (`www.<name>.example`) and a **template** used
//!   on all its pages: masthead, navigation menu, section kicker, bylines and date lines, photo
//!   captions with credits, an inline promo, a share line, a comment prompt, a newsletter banner,
//!   a related-articles list and a footer.
//! - `pages` ordinary articles per site, 6–20 paragraphs of 15–60 words (about 600 words on
//!   average), written by a grammar with sizable vocabularies so that article sentences
//!   essentially never repeat across articles, while template lines do.
//! - exact byte copies (`<page> (1).txt`), recrawls (`<page>-recrawl.txt`: the same article with
//!   different per-page furniture, or with one paragraph rewritten), and wire stories
//!   (`wire-<n>-<slug>.txt`) published with the same body on several sites, each in its own
//!   template and under its own headline.
//!
//! Pages are plain text (one block per line, as a naive scraper writes them) or full HTML5
//! documents. Optionally a JSONL ground-truth file names, for every file, its kind, its
//! original, its story and which of its lines are article and which are furniture.
//!
//! **Files.** `out/<site>/<nnnnn>-<slug>.<ext>` for ordinary page `nnnnn` of a site (zero-padded
//! to at least five digits), `<nnnnn>-<slug> (1).<ext>` for its exact copy,
//! `<nnnnn>-<slug>-recrawl.<ext>` for its recrawl, and `wire-<nnnn>-<slug>.<ext>` for a wire
//! story. Wire stories are never copied or recrawled.
//!
//! **Truth file.** One JSON object per page file, in the same order as the files:
//!
//! | field | meaning |
//! |---|---|
//! | `path` | `<site>/<file>`, relative to `out` |
//! | `kind` | `ordinary`, `exact-copy`, `recrawl-furniture`, `recrawl-edit` or `wire` |
//! | `of` | for copies and recrawls the `path` of the ordinary page they copy, else `null` |
//! | `story` | `<site>/<nnnnn>` for an ordinary page and its copies, `wire-<nnnn>` for every copy of a wire story |
//! | `article_lines` | the article: headline, then paragraphs and subheads in order (for text pages exactly lines of the file; for HTML the texts of the `h1` and the body's `p`/`h2`) |
//! | `template_lines` | every other non-blank line in order (for HTML, the text of each visible furniture block: menu items, byline, caption, buttons, related links, footer…) |
//!
//! **Ordering and determinism.** Everything is drawn from a small PRNG (xoshiro256\*\* seeded
//! through SplitMix64) derived from the seed and the position of each item, and files are
//! written in sorted path order (sites by name, then each site's files by name, the order in
//! which chaff walks a folder). The same options always give byte-identical files.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path, PathBuf};

use rustc_hash::FxHashMap;
use serde::Serialize;

use chaff::{Error, Result};

/// The file format of generated pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorpusFormat {
    /// Plain text, one block per line (`.txt`), as a naive scraper writes it.
    Text,
    /// Full HTML5 documents (`.html`) with metadata, JSON-LD and page furniture as markup.
    Html,
}

impl CorpusFormat {
    /// The file extension of pages in this format, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            CorpusFormat::Text => "txt",
            CorpusFormat::Html => "html",
        }
    }
}

/// What [`generate`] should write.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    /// Number of news sites (1 to 1000).
    pub sites: usize,
    /// Ordinary article pages per site.
    pub pages: usize,
    /// File format of the pages.
    pub format: CorpusFormat,
    /// Share (0 to 1) of ordinary pages that also get an exact byte copy, `<page> (1).<ext>`.
    pub dup_rate: f64,
    /// Share (0 to 1) of ordinary pages that are crawled again, `<page>-recrawl.<ext>`: half of
    /// them with different per-page furniture, half with one paragraph rewritten.
    pub recrawl_rate: f64,
    /// Number of wire stories; each is published on 2 to `min(sites, 30)` sites with the same
    /// body, in each site's template and under each site's own headline. Needs `sites >= 2`.
    pub syndication: usize,
    /// Seed of every random choice.
    pub seed: u64,
    /// Folder to create (it may exist if it is empty); pages go to `out/<site>/<file>`.
    pub out: PathBuf,
    /// If set, the JSONL ground-truth file to write; it must lie outside `out`.
    pub truth: Option<PathBuf>,
}

/// What [`generate`] wrote. Always `files = pages + exact_copies + recrawls + syndicated_copies`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CorpusSummary {
    /// Page files written (the truth file is not counted).
    pub files: u64,
    /// Total size of the page files in bytes.
    pub bytes: u64,
    /// Ordinary article pages (`sites × pages`).
    pub pages: u64,
    /// Exact byte copies of ordinary pages.
    pub exact_copies: u64,
    /// Recrawled pages (both kinds).
    pub recrawls: u64,
    /// Files holding a wire story: a story on k sites counts k times.
    pub syndicated_copies: u64,
}

/// The most sites [`generate`] accepts.
pub const MAX_SITES: usize = 1000;

/// Writes a synthetic crawl as described by `opts` and returns what was written.
///
/// Fails with [`Error::Usage`] if the options do not make sense (no sites, rates outside 0..=1,
/// wire stories with fewer than two sites, `out` exists and is not an empty folder, the truth
/// file lies inside `out`), and with [`Error::Output`] if a folder or file cannot be written;
/// pages written before the failure stay in place, the truth file is not written.
pub fn generate(opts: &CorpusOptions) -> Result<CorpusSummary> {
    validate(opts)?;
    fs::create_dir_all(&opts.out).map_err(|source| Error::Output {
        path: opts.out.clone(),
        source,
    })?;
    let vocab = Vocab::new();
    let sites = build_sites(opts.seed, opts.sites);
    let placements = place_wire(opts.seed, opts.syndication, sites.len());
    let truth = match &opts.truth {
        Some(path) => Some(TruthFile::create(path)?),
        None => None,
    };
    let mut generator = Generator {
        opts,
        vocab: &vocab,
        sites: &sites,
        page_width: digits(opts.pages.saturating_sub(1)).max(5),
        wire_width: digits(opts.syndication.saturating_sub(1)).max(4),
        summary: CorpusSummary::default(),
        truth,
        main: Rendered::new(opts.truth.is_some()),
        alt: Rendered::new(opts.truth.is_some()),
    };
    let written = sites.iter().enumerate().try_for_each(|(si, site)| {
        let dir = opts.out.join(&site.slug);
        fs::create_dir(&dir).map_err(|source| Error::Output {
            path: dir.clone(),
            source,
        })?;
        for j in 0..opts.pages {
            generator.ordinary(si, j, &dir)?;
        }
        for &w in &placements[si] {
            generator.wire(si, w, &dir)?;
        }
        Ok(())
    });
    if let Some(truth) = generator.truth.take() {
        match written {
            Ok(()) => truth.finish()?,
            Err(_) => truth.discard(),
        }
    }
    written?;
    Ok(generator.summary)
}

// ---------------------------------------------------------------------------------------------
// Options

fn validate(opts: &CorpusOptions) -> Result<()> {
    if opts.sites == 0 || opts.sites > MAX_SITES {
        return Err(Error::Usage(format!(
            "the number of sites must be between 1 and {MAX_SITES}, not {}",
            opts.sites
        )));
    }
    for (name, rate) in [
        ("dup rate", opts.dup_rate),
        ("recrawl rate", opts.recrawl_rate),
    ] {
        if !(0.0..=1.0).contains(&rate) {
            return Err(Error::Usage(format!(
                "the {name} must be between 0 and 1, not {rate}"
            )));
        }
    }
    if opts.syndication > 0 && opts.sites < 2 {
        return Err(Error::Usage(
            "wire stories need at least two sites".to_string(),
        ));
    }
    match fs::metadata(&opts.out) {
        Ok(meta) if !meta.is_dir() => {
            return Err(Error::Usage(format!(
                "{} exists and is not a folder",
                opts.out.display()
            )));
        }
        Ok(_) => {
            let mut entries = fs::read_dir(&opts.out).map_err(|source| Error::Output {
                path: opts.out.clone(),
                source,
            })?;
            if entries.next().is_some() {
                return Err(Error::Usage(format!(
                    "{} exists and is not empty",
                    opts.out.display()
                )));
            }
        }
        Err(_) => {}
    }
    if let Some(truth) = &opts.truth {
        if truth.file_name().is_none() {
            return Err(Error::Usage(format!(
                "the truth file {} is not a file name",
                truth.display()
            )));
        }
        let inside = match (lexical_absolute(truth), lexical_absolute(&opts.out)) {
            (Ok(t), Ok(o)) => t.starts_with(&o),
            _ => false,
        };
        if inside {
            return Err(Error::Usage(format!(
                "the truth file {} must not be inside the output folder {}",
                truth.display(),
                opts.out.display()
            )));
        }
    }
    Ok(())
}

/// `path` made absolute, with `.` and `..` resolved by name (symbolic links are not followed).
fn lexical_absolute(path: &Path) -> io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    let mut norm = PathBuf::new();
    for comp in abs.components() {
        match comp {
            Component::CurDir => {}
            Component::ParentDir => {
                norm.pop();
            }
            other => norm.push(other),
        }
    }
    Ok(norm)
}

fn digits(mut n: usize) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

// ---------------------------------------------------------------------------------------------
// PRNG: xoshiro256** seeded by SplitMix64.

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256**, a small fast PRNG; fully determined by its seed.
#[derive(Clone)]
struct Rng {
    s: [u64; 4],
}

// Keys that separate the random streams of different purposes.
const K_NAMES: u64 = 1;
const K_SITE: u64 = 2;
const K_ART: u64 = 3;
const K_BODY: u64 = 4;
const K_PAGE: u64 = 5;
const K_FURN: u64 = 6;
const K_EDIT: u64 = 7;
const K_WIRE: u64 = 8;
const K_WIRE_BODY: u64 = 9;
const K_WIRE_SITE: u64 = 10;
const K_WIRE_FURN: u64 = 11;
const K_PLACE: u64 = 12;

impl Rng {
    fn from_seed(seed: u64) -> Self {
        let mut x = seed;
        Rng {
            s: [
                splitmix(&mut x),
                splitmix(&mut x),
                splitmix(&mut x),
                splitmix(&mut x),
            ],
        }
    }

    /// The stream for one purpose and position, independent of every other stream.
    fn derive(seed: u64, parts: &[u64]) -> Self {
        let mut h = seed;
        for &p in parts {
            let mut x = h ^ p.wrapping_mul(0xD6E8_FEB8_6659_FD93);
            h = splitmix(&mut x);
        }
        Rng::from_seed(h)
    }

    fn next(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (0 if `n == 0`).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64) * (1.0 / (1u64 << 53) as f64) < p
    }

    /// One word of a non-empty word list.
    fn word(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len())]
    }

    /// One element of a non-empty slice.
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// `k` distinct indices of `0..n` (all of them if `k >= n`), in random order.
    fn sample(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for i in 0..k {
            let j = i + self.below(n - i);
            idx.swap(i, j);
        }
        idx.truncate(k);
        idx
    }
}

// ---------------------------------------------------------------------------------------------
// Dates

/// A moment: days since 1970-01-01 and minute of the day, in the site's time zone.
#[derive(Clone, Copy)]
struct Stamp {
    days: i64,
    minute: u32,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_AP: [&str; 12] = [
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];
const MONTHS_3: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

impl Stamp {
    /// A random moment between 2022 and 2024, during the working day.
    fn random(rng: &mut Rng) -> Stamp {
        // 2022-01-01 is day 18993; 2024-12-31 is day 20088.
        Stamp {
            days: 18993 + rng.below(1096) as i64,
            minute: (5 * 60 + rng.below(17 * 60)) as u32,
        }
    }

    fn later(self, rng: &mut Rng) -> Stamp {
        let total = self.minute as i64 + 30 + rng.below(3 * 24 * 60) as i64;
        Stamp {
            days: self.days + total / (24 * 60),
            minute: (total % (24 * 60)) as u32,
        }
    }

    /// (year, month 1..=12, day 1..=31), by Howard Hinnant's civil-from-days.
    fn civil(self) -> (i64, usize, u32) {
        let z = self.days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as usize;
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m, d)
    }

    fn weekday(self) -> &'static str {
        WEEKDAYS[(self.days + 4).rem_euclid(7) as usize]
    }

    fn hour_min(self) -> (u32, u32) {
        (self.minute / 60, self.minute % 60)
    }

    /// `7:05 a.m.` (AP style).
    fn push_ap_time(self, out: &mut String) {
        let (h, m) = self.hour_min();
        let h12 = if h % 12 == 0 { 12 } else { h % 12 };
        push_num(out, h12 as u64);
        out.push(':');
        push_2(out, m);
        out.push_str(if h < 12 { " a.m." } else { " p.m." });
    }

    /// `7:05 AM`.
    fn push_clock12(self, out: &mut String) {
        let (h, m) = self.hour_min();
        let h12 = if h % 12 == 0 { 12 } else { h % 12 };
        push_num(out, h12 as u64);
        out.push(':');
        push_2(out, m);
        out.push_str(if h < 12 { " AM" } else { " PM" });
    }

    /// `2024-03-27T05:30:00-05:00`.
    fn push_iso(self, offset: &str, out: &mut String) {
        let (y, m, d) = self.civil();
        let (h, mi) = self.hour_min();
        push_num(out, y as u64);
        out.push('-');
        push_2(out, m as u32);
        out.push('-');
        push_2(out, d);
        out.push('T');
        push_2(out, h);
        out.push(':');
        push_2(out, mi);
        out.push_str(":00");
        out.push_str(offset);
    }

    /// The date line of a site's `style`; `updated` for the line of a later revision.
    fn push_line(self, style: u8, tz: &str, updated: bool, out: &mut String) {
        let (y, m, d) = self.civil();
        let month = MONTHS[m - 1];
        match style {
            0 => {
                out.push_str(if updated { "Updated " } else { "Published " });
                out.push_str(month);
                out.push(' ');
                push_num(out, u64::from(d));
                out.push_str(", ");
                push_num(out, y as u64);
                out.push_str(" at ");
                self.push_ap_time(out);
            }
            1 => {
                if updated {
                    out.push_str("Updated: ");
                }
                out.push_str(month);
                out.push(' ');
                push_num(out, u64::from(d));
                out.push_str(", ");
                push_num(out, y as u64);
                out.push(' ');
                self.push_clock12(out);
            }
            2 => {
                out.push_str(if updated { "Updated: " } else { "Posted: " });
                out.push_str(MONTHS_3[m - 1]);
                out.push(' ');
                push_num(out, u64::from(d));
                out.push_str(", ");
                push_num(out, y as u64);
                out.push_str(" / ");
                self.push_clock12(out);
                out.push(' ');
                out.push_str(tz);
            }
            3 => {
                out.push_str(if updated { "Updated " } else { "Published " });
                self.push_ap_time(out);
                out.push(' ');
                out.push_str(tz);
                out.push(' ');
                out.push_str(MONTHS_AP[m - 1]);
                out.push(' ');
                push_num(out, u64::from(d));
                out.push_str(", ");
                push_num(out, y as u64);
            }
            4 => {
                if updated {
                    out.push_str("Updated ");
                }
                push_num(out, u64::from(d));
                out.push(' ');
                out.push_str(month);
                out.push(' ');
                push_num(out, y as u64);
                out.push_str(" \u{2022} ");
                let (h, mi) = self.hour_min();
                push_2(out, h);
                out.push(':');
                push_2(out, mi);
            }
            _ => {
                if updated {
                    out.push_str("Last updated ");
                }
                out.push_str(self.weekday());
                out.push_str(", ");
                out.push_str(month);
                out.push(' ');
                push_num(out, u64::from(d));
                out.push_str(", ");
                push_num(out, y as u64);
            }
        }
    }
}

fn push_num(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(b as char);
    }
}

fn push_2(out: &mut String, n: u32) {
    out.push((b'0' + (n / 10 % 10) as u8) as char);
    out.push((b'0' + (n % 10) as u8) as char);
}

/// `12,345`.
fn push_grouped(out: &mut String, n: u64) {
    if n >= 1000 {
        push_grouped(out, n / 1000);
        out.push(',');
        let r = (n % 1000) as u32;
        out.push((b'0' + (r / 100) as u8) as char);
        push_2(out, r % 100);
    } else {
        push_num(out, n);
    }
}

// ---------------------------------------------------------------------------------------------
// Sites

/// One news site: its names, its region and its template.
struct Site {
    name: String,
    slug: String,
    host: String,
    place: Place,
    tagline: Option<String>,
    nav: Vec<&'static str>,
    account: &'static str,
    staff: Vec<String>,
    photographers: Vec<String>,
    promos: Vec<String>,
    newsletter: [String; 2],
    comment_prompt: &'static str,
    comment_note: &'static str,
    related_heading: String,
    footer_links: Vec<&'static str>,
    copyright: String,
    address: Option<String>,
    cookie: Option<String>,
    // Style switches.
    blank_lines: bool,
    skip_link: bool,
    nav_lines: bool,
    kicker_style: u8,
    date_style: u8,
    byline_style: u8,
    credit_style: u8,
    share_style: u8,
    comment_style: u8,
    double_caption: bool,
    ads: bool,
    read_more: bool,
    exit_mobile: bool,
    cookie_top: bool,
    tz: (&'static str, &'static str),
    html: &'static HtmlClasses,
}

/// The region a story is set in: towns, county (or country), streets and landmarks.
struct Place {
    towns: Vec<String>,
    county: String,
    streets: Vec<String>,
    landmarks: Vec<String>,
    /// The publication as named in running text (`the Gazette`, `CPS`).
    paper: String,
    univ: String,
}

fn capitalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars();
    if let Some(c) = chars.next() {
        out.extend(c.to_uppercase());
    }
    out.push_str(chars.as_str());
    out
}

fn town_name(rng: &mut Rng) -> String {
    let mut s = String::from(rng.word(TOWN_HEADS));
    s.push_str(rng.word(TOWN_TAILS));
    s
}

/// Lowercase ASCII words joined by `-`, at most `max_words` of them.
fn slugify(text: &str, max_words: usize) -> String {
    let mut out = String::new();
    let mut words = 0;
    let mut in_word = false;
    for c in text.chars() {
        let mapped = match c {
            'a'..='z' | '0'..='9' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'Á' => Some('a'),
            'é' | 'è' | 'ê' | 'ë' | 'É' => Some('e'),
            'í' | 'ì' | 'î' | 'ï' | 'Í' => Some('i'),
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ö' => Some('o'),
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ü' => Some('u'),
            'ñ' => Some('n'),
            'ç' => Some('c'),
            'ć' => Some('c'),
            'ś' => Some('s'),
            'ł' => Some('l'),
            '\'' | '\u{2019}' => continue,
            _ => None,
        };
        match mapped {
            Some(c) => {
                if !in_word {
                    if words == max_words {
                        break;
                    }
                    if words > 0 {
                        out.push('-');
                    }
                    words += 1;
                    in_word = true;
                }
                out.push(c);
            }
            None => in_word = false,
        }
    }
    if out.is_empty() {
        out.push_str("story");
    }
    out
}

/// The sites, sorted by slug; no slug is a prefix of another, so path order is name order.
fn build_sites(seed: u64, n: usize) -> Vec<Site> {
    let mut rng = Rng::derive(seed, &[K_NAMES]);
    let mut names: Vec<(String, String, String)> = Vec::with_capacity(n); // slug, town, paper
    while names.len() < n {
        let town = town_name(&mut rng);
        let paper = rng.word(PAPERS);
        let slug = slugify(&format!("{town} {paper}"), 8);
        let clash = names
            .iter()
            .any(|(s, _, _)| s.starts_with(&slug) || slug.starts_with(s.as_str()));
        if !clash {
            names.push((slug, town, paper.to_string()));
        }
    }
    names.sort();
    names
        .into_iter()
        .enumerate()
        .map(|(i, (slug, town, paper))| build_site(seed, i, slug, town, paper))
        .collect()
}

fn build_site(seed: u64, index: usize, slug: String, town: String, paper: String) -> Site {
    let mut rng = Rng::derive(seed, &[K_SITE, index as u64]);
    let name = format!("{town} {paper}");
    let short = format!("the {paper}");
    let host = format!("www.{}.example", slug.replace('-', ""));
    let mut towns = vec![town.clone()];
    while towns.len() < 8 {
        let t = town_name(&mut rng);
        if !towns.contains(&t) {
            towns.push(t);
        }
    }
    let county = format!("{} County", town_name(&mut rng));
    let streets: Vec<String> = rng
        .sample(STREET_NAMES.len(), 12)
        .into_iter()
        .map(|i| format!("{} {}", STREET_NAMES[i], rng.word(STREET_TYPES)))
        .collect();
    let univ = match rng.below(3) {
        0 => format!("{} State University", town_name(&mut rng)),
        1 => format!("the University of {}", towns[rng.range(1, 7)]),
        _ => format!("{} College", rng.word(SURNAMES)),
    };
    let mut landmarks = Vec::new();
    for i in rng.sample(LOCAL_LANDMARKS.len(), 14) {
        let tpl = LOCAL_LANDMARKS[i];
        let street = rng.pick(&streets).clone();
        let t = rng.pick(&towns).clone();
        landmarks.push(tpl.replace("{street}", &street).replace("{town}", &t));
    }
    let place = Place {
        towns,
        county,
        streets,
        landmarks,
        paper: short.clone(),
        univ,
    };
    let mut nav = vec!["Home"];
    let n_sections = rng.range(6, 10);
    let mut picks = rng.sample(SECTIONS.len(), n_sections);
    picks.sort_unstable();
    nav.extend(picks.into_iter().map(|i| SECTIONS[i]));
    let full_name = |rng: &mut Rng| format!("{} {}", rng.word(FIRST_NAMES), rng.word(SURNAMES));
    let staff: Vec<String> = (0..rng.range(8, 20)).map(|_| full_name(&mut rng)).collect();
    let photographers: Vec<String> = (0..rng.range(2, 5)).map(|_| full_name(&mut rng)).collect();
    let founded = 1850 + rng.below(150);
    let tagline = rng.chance(0.6).then(|| {
        rng.word(TAGLINES)
            .replace("{town}", &town)
            .replace("{county}", &place.county)
            .replace("{year}", &founded.to_string())
    });
    let fill_site = |tpl: &str, rng: &mut Rng| {
        tpl.replace("{paper}", &name)
            .replace("{short}", &short)
            .replace("{town}", &town)
            .replace("{county}", &place.county)
            .replace("{host}", &host[4..])
            .replace(
                "{price}",
                &format!("${}.{}9", rng.range(1, 4), rng.range(0, 9)),
            )
            .replace("{nl}", rng.word(NEWSLETTER_NAMES))
            .replace("{phone}", &format!("555-01{:02}", rng.below(100)))
    };
    let promos: Vec<String> = rng
        .sample(PROMOS.len(), 3)
        .into_iter()
        .map(|i| fill_site(PROMOS[i], &mut rng))
        .collect();
    let nl = rng.below(NEWSLETTERS.len());
    let newsletter = [
        fill_site(NEWSLETTERS[nl].0, &mut rng),
        fill_site(NEWSLETTERS[nl].1, &mut rng),
    ];
    let related_heading = fill_site(rng.word(RELATED_HEADINGS), &mut rng);
    let footer_links = rng.pick(FOOTER_LINKS).to_vec();
    let copyright = fill_site(rng.word(COPYRIGHTS), &mut rng);
    let address = rng.chance(0.5).then(|| {
        format!(
            "{} {}, {}",
            rng.range(12, 980),
            rng.pick(&place.streets),
            town
        )
    });
    let cookie = rng
        .chance(0.5)
        .then(|| fill_site(rng.word(COOKIE_NOTICES), &mut rng));
    let paper_cap = capitalize(&short);
    Site {
        related_heading: related_heading.replace("{Short}", &paper_cap),
        name,
        slug,
        host,
        place,
        tagline,
        nav,
        account: rng.word(ACCOUNT_LINES),
        staff,
        photographers,
        promos,
        newsletter,
        comment_prompt: rng.word(COMMENT_PROMPTS),
        comment_note: rng.word(COMMENT_NOTES),
        footer_links,
        copyright,
        address,
        cookie,
        blank_lines: rng.chance(0.6),
        skip_link: rng.chance(0.4),
        nav_lines: rng.chance(0.35),
        kicker_style: rng.below(4) as u8,
        date_style: rng.below(6) as u8,
        byline_style: rng.below(4) as u8,
        credit_style: rng.below(4) as u8,
        share_style: rng.below(4) as u8,
        comment_style: rng.below(3) as u8,
        double_caption: rng.chance(0.3),
        ads: rng.chance(0.5),
        read_more: rng.chance(0.5),
        exit_mobile: rng.chance(0.25),
        cookie_top: rng.chance(0.5),
        tz: *rng.pick(TIME_ZONES),
        html: rng.pick(HTML_VARIANTS),
    }
}

/// For each site, the wire stories it publishes, in story order.
fn place_wire(seed: u64, stories: usize, sites: usize) -> Vec<Vec<usize>> {
    let mut per_site = vec![Vec::new(); sites];
    if sites < 2 {
        return per_site;
    }
    for w in 0..stories {
        let mut rng = Rng::derive(seed, &[K_PLACE, w as u64]);
        let k = rng.range(2, sites.min(30));
        for s in rng.sample(sites, k) {
            per_site[s].push(w);
        }
    }
    per_site
}

// ---------------------------------------------------------------------------------------------
// The grammar

/// A subject area: the institutions, people, objects and phrases its stories use.
struct Topic {
    sections: &'static [&'static str],
    insts: &'static [&'static str],
    roles: &'static [&'static str],
    objs: &'static [&'static str],
    actions: &'static [&'static str],
    groups: &'static [&'static str],
    hsubs: &'static [&'static str],
    hnouns: &'static [&'static str],
    heads: &'static [&'static str],
    leads: &'static [&'static str],
    extra: &'static [&'static str],
}

/// How a `{slot}` of a template is filled.
#[derive(Clone, Copy)]
enum Slot {
    /// A random element of a list (whose elements may hold slots themselves).
    List(&'static [&'static str]),
    Town,
    Town2,
    County,
    Street,
    Landmark,
    Inst,
    Inst2,
    Obj,
    Obj2,
    Action,
    Group,
    Role,
    PersonSubject,
    PersonEnd,
    PersonName,
    Surname,
    NewPerson,
    Money,
    Pct,
    Num,
    Num2,
    BigNum,
    Year,
    RecentYear,
    FutYear,
    Weekday,
    Month,
    Day,
    Time,
    Vote,
    Paper,
    Univ,
    HSub,
    HNoun,
    Age,
}

/// The slot table: every `{name}` a template may use.
struct Vocab {
    slots: FxHashMap<&'static str, Slot>,
}

impl Vocab {
    fn new() -> Self {
        let mut slots = FxHashMap::default();
        for &(name, list) in LISTS {
            slots.insert(name, Slot::List(list));
        }
        let special = [
            ("town", Slot::Town),
            ("town2", Slot::Town2),
            ("county", Slot::County),
            ("street", Slot::Street),
            ("landmark", Slot::Landmark),
            ("inst", Slot::Inst),
            ("inst2", Slot::Inst2),
            ("obj", Slot::Obj),
            ("obj2", Slot::Obj2),
            ("action", Slot::Action),
            ("group", Slot::Group),
            ("role", Slot::Role),
            ("P", Slot::PersonSubject),
            ("p", Slot::PersonEnd),
            ("pname", Slot::PersonName),
            ("surname", Slot::Surname),
            ("newp", Slot::NewPerson),
            ("money", Slot::Money),
            ("pct", Slot::Pct),
            ("num", Slot::Num),
            ("num2", Slot::Num2),
            ("bignum", Slot::BigNum),
            ("year", Slot::Year),
            ("ryear", Slot::RecentYear),
            ("futyear", Slot::FutYear),
            ("weekday", Slot::Weekday),
            ("month", Slot::Month),
            ("day", Slot::Day),
            ("time", Slot::Time),
            ("vote", Slot::Vote),
            ("paper", Slot::Paper),
            ("univ", Slot::Univ),
            ("hsub", Slot::HSub),
            ("hnoun", Slot::HNoun),
            ("age", Slot::Age),
        ];
        for (name, slot) in special {
            slots.insert(name, slot);
        }
        Vocab { slots }
    }
}

/// A person quoted in a story.
struct Person {
    name: String,
    surname: String,
    role: String,
}

/// The entities of one story; templates are filled from it.
struct Ctx<'a> {
    vocab: &'a Vocab,
    topic: &'static Topic,
    place: &'a Place,
    town: usize,
    inst: String,
    obj: String,
    people: Vec<Person>,
    /// Bit i set: person i has been introduced with full name and role.
    intro: u32,
    /// Sentence frames (by address) already used in this story.
    used: Vec<usize>,
}

impl<'a> Ctx<'a> {
    fn new(vocab: &'a Vocab, topic: &'static Topic, place: &'a Place, rng: &mut Rng) -> Self {
        let town = if rng.chance(0.5) {
            0
        } else {
            rng.below(place.towns.len())
        };
        let mut ctx = Ctx {
            vocab,
            topic,
            place,
            town,
            inst: String::new(),
            obj: String::new(),
            people: Vec::new(),
            intro: 0,
            used: Vec::new(),
        };
        let mut s = String::new();
        let count = rng.range(3, 6);
        for r in rng.sample(topic.roles.len(), count) {
            let surname = rng.word(SURNAMES).to_string();
            let name = format!("{} {}", rng.word(FIRST_NAMES), surname);
            ctx.fill(rng, topic.roles[r], &mut s);
            let role = std::mem::take(&mut s);
            ctx.people.push(Person {
                name,
                surname,
                role,
            });
        }
        let tpl = rng.word(topic.insts);
        ctx.fill(rng, tpl, &mut s);
        ctx.inst = std::mem::take(&mut s);
        let tpl = rng.word(topic.objs);
        ctx.fill(rng, tpl, &mut s);
        ctx.obj = std::mem::take(&mut s);
        ctx
    }

    /// Appends `tpl` with every `{slot}` filled.
    fn fill(&mut self, rng: &mut Rng, tpl: &str, out: &mut String) {
        let mut rest = tpl;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    self.slot(rng, &after[..close], out);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
    }

    fn slot(&mut self, rng: &mut Rng, key: &str, out: &mut String) {
        let Some(&slot) = self.vocab.slots.get(key) else {
            debug_assert!(false, "unknown slot {{{key}}}");
            out.push_str(key);
            return;
        };
        let place = self.place;
        if self.people.is_empty()
            && matches!(
                slot,
                Slot::PersonSubject | Slot::PersonEnd | Slot::PersonName | Slot::Surname
            )
        {
            // Only while the cast is being created: a passer-by.
            out.push_str(rng.word(SURNAMES));
            return;
        }
        match slot {
            Slot::List(list) => {
                let tpl = rng.word(list);
                self.fill(rng, tpl, out);
            }
            Slot::Town => out.push_str(&place.towns[self.town]),
            Slot::Town2 => {
                let mut i = rng.below(place.towns.len());
                if i == self.town {
                    i = (i + 1) % place.towns.len();
                }
                out.push_str(&place.towns[i]);
            }
            Slot::County => out.push_str(&place.county),
            Slot::Street => out.push_str(rng.pick(&place.streets).as_str()),
            Slot::Landmark => out.push_str(rng.pick(&place.landmarks).as_str()),
            Slot::Inst => out.push_str(&self.inst),
            Slot::Inst2 => {
                let tpl = rng.word(self.topic.insts);
                self.fill(rng, tpl, out);
            }
            Slot::Obj => out.push_str(&self.obj),
            Slot::Obj2 => {
                let tpl = rng.word(self.topic.objs);
                self.fill(rng, tpl, out);
            }
            Slot::Action => out.push_str(rng.word(self.topic.actions)),
            Slot::Group => {
                let tpl = rng.word(self.topic.groups);
                self.fill(rng, tpl, out);
            }
            Slot::Role => {
                let tpl = rng.word(self.topic.roles);
                self.fill(rng, tpl, out);
            }
            Slot::PersonSubject | Slot::PersonEnd => {
                let n = self.people.len();
                // Prefer introducing people in order, then mix.
                let next = (0..n).find(|&i| self.intro & (1 << i) == 0);
                let i = match next {
                    Some(i) if rng.chance(0.6) => i,
                    _ => rng.below(n),
                };
                let p = &self.people[i];
                if self.intro & (1 << i) == 0 {
                    self.intro |= 1 << i;
                    out.push_str(&p.name);
                    out.push_str(", ");
                    out.push_str(&p.role);
                    if matches!(slot, Slot::PersonSubject) {
                        out.push(',');
                    }
                } else {
                    out.push_str(&p.surname);
                }
            }
            Slot::PersonName => {
                let p = rng.pick(&self.people);
                out.push_str(&p.name);
            }
            Slot::Surname => out.push_str(&self.people[0].surname),
            Slot::NewPerson => {
                out.push_str(rng.word(FIRST_NAMES));
                out.push(' ');
                out.push_str(rng.word(SURNAMES));
                out.push_str(", ");
                let tpl = rng.word(RESIDENTS);
                self.fill(rng, tpl, out);
                out.push(',');
            }
            Slot::Money => push_money(rng, out),
            Slot::Pct => push_num(out, rng.range(3, 78) as u64),
            Slot::Num => push_num(out, rng.range(3, 95) as u64),
            Slot::Num2 => out.push_str(rng.word(SMALL_NUMBERS)),
            Slot::BigNum => push_grouped(out, rng.range(120, 98_000) as u64),
            Slot::Year => push_num(out, rng.range(1948, 2021) as u64),
            Slot::RecentYear => push_num(out, rng.range(2005, 2021) as u64),
            Slot::FutYear => push_num(out, rng.range(2025, 2029) as u64),
            Slot::Weekday => out.push_str(WEEKDAYS[rng.range(1, 5)]),
            Slot::Month => out.push_str(rng.word(&MONTHS)),
            Slot::Day => push_num(out, rng.range(1, 28) as u64),
            Slot::Time => {
                let h = rng.range(6, 11);
                push_num(out, h as u64);
                if rng.chance(0.5) {
                    out.push_str(":30");
                }
                out.push_str(" p.m.");
            }
            Slot::Vote => {
                let total = *rng.pick(&[5usize, 7, 9]);
                let yes = rng.range(total / 2 + 1, total);
                push_num(out, yes as u64);
                out.push('-');
                push_num(out, (total - yes) as u64);
            }
            Slot::Paper => out.push_str(&place.paper),
            Slot::Univ => out.push_str(&place.univ),
            Slot::HSub => {
                let tpl = rng.word(self.topic.hsubs);
                self.fill(rng, tpl, out);
            }
            Slot::HNoun => out.push_str(rng.word(self.topic.hnouns)),
            Slot::Age => push_num(out, rng.range(19, 88) as u64),
        }
    }

    /// One sentence of `tpl`, capitalized, with `a` before vowel-sounding numbers made `an`.
    fn sentence(&mut self, rng: &mut Rng, tpl: &str, out: &mut String) {
        let start = out.len();
        self.fill(rng, tpl, out);
        fix_articles(out, start);
        capitalize_at(out, start);
    }

    /// A paragraph of 15 to 60 words; `lead` for the story's first paragraph.
    fn paragraph(&mut self, rng: &mut Rng, lead: bool, out: &mut String) {
        let target = 15 + rng.below(23) + rng.below(28);
        let mut words = count_words(out);
        let mut sentence = String::with_capacity(256);
        let mut attempts = 0;
        while words < target && attempts < 40 {
            attempts += 1;
            sentence.clear();
            let saved = self.intro;
            let tpl = self.pick_template(rng, lead && words == 0);
            self.sentence(rng, tpl, &mut sentence);
            let w = count_words(&sentence);
            if words + w > 60 {
                self.intro = saved;
                if words >= 15 {
                    break;
                }
                continue;
            }
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push_str(&sentence);
            words += w;
        }
    }

    fn pick_template(&mut self, rng: &mut Rng, lead: bool) -> &'static str {
        let t = self.topic;
        if lead {
            if !t.leads.is_empty() && rng.chance(0.6) {
                return rng.word(t.leads);
            }
            return rng.word(LEADS);
        }
        let r = rng.below(100);
        if r < 24 {
            // Quote frames may recur within a story; their quotes do not.
            return rng.word(QUOTE_SENTENCES);
        }
        let pool = if r < 42 && !t.extra.is_empty() {
            t.extra
        } else if r < 45 {
            QUESTIONS
        } else {
            STATEMENTS
        };
        // Other frames are used at most once per story, as a writer would.
        for pool in [pool, STATEMENTS] {
            for _ in 0..6 {
                let tpl = rng.word(pool);
                let key = tpl.as_ptr() as usize;
                if !self.used.contains(&key) {
                    self.used.push(key);
                    return tpl;
                }
            }
        }
        rng.word(QUOTE_SENTENCES)
    }

    fn headline(&mut self, rng: &mut Rng) -> String {
        let mut s = String::with_capacity(96);
        let tpl = if !self.topic.heads.is_empty() && rng.chance(0.5) {
            rng.word(self.topic.heads)
        } else {
            rng.word(HEADLINES)
        };
        self.sentence(rng, tpl, &mut s);
        s
    }

    fn subhead(&mut self, rng: &mut Rng) -> String {
        let mut s = String::with_capacity(48);
        let saved = self.intro;
        let tpl = rng.word(SUBHEADS);
        self.sentence(rng, tpl, &mut s);
        self.intro = saved;
        s
    }

    fn caption(&mut self, rng: &mut Rng) -> String {
        let mut s = String::with_capacity(96);
        let saved = self.intro;
        let tpl = rng.word(CAPTIONS);
        self.sentence(rng, tpl, &mut s);
        self.intro = saved;
        s
    }

    /// The body: 6–20 paragraphs, sometimes with subheads.
    fn body(&mut self, rng: &mut Rng, dateline: Option<&str>) -> Vec<Block> {
        let paragraphs = 6 + rng.below(8) + rng.below(8);
        let subheads: Vec<usize> = if paragraphs >= 8 && rng.chance(0.35) {
            let k = rng.range(1, (paragraphs / 5).clamp(1, 3));
            let mut at: Vec<usize> = rng
                .sample(paragraphs - 4, k)
                .into_iter()
                .map(|i| i + 3)
                .collect();
            at.sort_unstable();
            at
        } else {
            Vec::new()
        };
        let mut blocks = Vec::with_capacity(paragraphs + subheads.len());
        for i in 0..paragraphs {
            if subheads.contains(&i) {
                blocks.push(Block::Subhead(self.subhead(rng)));
            }
            let mut p = String::with_capacity(400);
            if i == 0
                && let Some(d) = dateline
            {
                p.push_str(d);
            }
            self.paragraph(rng, i == 0, &mut p);
            blocks.push(Block::Paragraph(p));
        }
        blocks
    }
}

fn push_money(rng: &mut Rng, out: &mut String) {
    out.push('$');
    match rng.below(50) {
        0..=26 => {
            push_num(out, rng.range(1, 95) as u64);
            out.push('.');
            push_num(out, rng.below(10) as u64);
            out.push_str(" million");
        }
        27..=44 => {
            push_grouped(out, (rng.range(12, 990) * 1000) as u64);
        }
        45..=48 => {
            push_grouped(out, rng.range(1_200, 99_000) as u64);
        }
        _ => {
            push_num(out, rng.range(1, 9) as u64);
            out.push('.');
            push_num(out, rng.below(10) as u64);
            out.push_str(" billion");
        }
    }
}

fn capitalize_at(s: &mut String, start: usize) {
    let Some((i, c)) = s[start..]
        .char_indices()
        .find(|&(_, c)| c != '"' && c != '\u{201c}')
    else {
        return;
    };
    if c.is_ascii_lowercase() {
        let at = start + i;
        s.replace_range(at..at + 1, &c.to_ascii_uppercase().to_string());
    }
}

/// Turns `a 8…`, `a 11…`, `a 18…` (eight, eleven, eighteen…) into `an …` from `start` on.
fn fix_articles(s: &mut String, start: usize) {
    let bytes = &s.as_bytes()[start..];
    let mut at: Vec<usize> = Vec::new();
    for i in memchr::memmem::find_iter(bytes, b"a ") {
        if i > 0 && bytes[i - 1] != b' ' {
            continue;
        }
        let rest = &bytes[i + 2..];
        let group = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if group == 0 {
            continue;
        }
        let vowel =
            rest[0] == b'8' || (group % 3 == 2 && (rest[..2] == *b"11" || rest[..2] == *b"18"));
        if vowel {
            at.push(start + i + 1);
        }
    }
    for &i in at.iter().rev() {
        s.insert(i, 'n');
    }
}

fn count_words(s: &str) -> usize {
    s.split_ascii_whitespace().count()
}

/// A block of an article body.
#[derive(Clone)]
enum Block {
    Paragraph(String),
    Subhead(String),
}

impl Block {
    fn text(&self) -> &str {
        match self {
            Block::Paragraph(s) | Block::Subhead(s) => s,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Articles and pages

/// A story as published on one site: headline, metadata, photo and body.
struct Article {
    story: String,
    headline: String,
    slug: String,
    section: &'static str,
    authors: Vec<String>,
    /// For wire stories: the agency line shown after the author (`Continental Press Service`).
    agency: Option<&'static str>,
    date: Stamp,
    caption: String,
    credit: (String, String),
    blocks: Vec<Block>,
}

/// The per-page furniture of one crawl of an article.
struct Furniture {
    updated: Option<Stamp>,
    promo: usize,
    promo_after: usize,
    ads_after: Vec<usize>,
    read_more: Option<(usize, String)>,
    comments: u32,
    comment_items: Vec<(String, String)>,
    related: Vec<String>,
}

/// A rendered page and, if asked for, its article and template lines.
struct Rendered {
    buf: String,
    keep_lines: bool,
    article: Vec<String>,
    template: Vec<String>,
}

impl Rendered {
    fn new(keep_lines: bool) -> Self {
        Rendered {
            buf: String::with_capacity(16 * 1024),
            keep_lines,
            article: Vec::new(),
            template: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.buf.clear();
        self.article.clear();
        self.template.clear();
    }

    fn art(&mut self, text: &str) {
        if self.keep_lines {
            self.article.push(text.to_string());
        }
    }

    fn tpl(&mut self, text: &str) {
        if self.keep_lines {
            self.template.push(text.to_string());
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Ordinary,
    ExactCopy,
    RecrawlFurniture,
    RecrawlEdit,
    Wire,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Ordinary => "ordinary",
            Kind::ExactCopy => "exact-copy",
            Kind::RecrawlFurniture => "recrawl-furniture",
            Kind::RecrawlEdit => "recrawl-edit",
            Kind::Wire => "wire",
        }
    }
}

struct Generator<'a> {
    opts: &'a CorpusOptions,
    vocab: &'a Vocab,
    sites: &'a [Site],
    page_width: usize,
    wire_width: usize,
    summary: CorpusSummary,
    truth: Option<TruthFile>,
    main: Rendered,
    alt: Rendered,
}

impl<'a> Generator<'a> {
    fn seed(&self) -> u64 {
        self.opts.seed
    }

    fn topic(rng: &mut Rng) -> &'static Topic {
        LOCAL_TOPICS[rng.below(LOCAL_TOPICS.len())]
    }

    /// The headline of ordinary page `j` of site `si` (for related lists), cheaply.
    fn headline_of(&self, si: usize, j: usize) -> String {
        let site = &self.sites[si];
        let mut rng = Rng::derive(self.seed(), &[K_ART, si as u64, j as u64]);
        let topic = Self::topic(&mut rng);
        let mut ctx = Ctx::new(self.vocab, topic, &site.place, &mut rng);
        ctx.headline(&mut rng)
    }

    /// Ordinary page `j` of site `si`, with its copy and recrawl if it has them.
    fn ordinary(&mut self, si: usize, j: usize, dir: &Path) -> Result<()> {
        let sites = self.sites;
        let site = &sites[si];
        let seed = self.seed();
        let mut rng = Rng::derive(seed, &[K_ART, si as u64, j as u64]);
        let topic = Self::topic(&mut rng);
        let mut ctx = Ctx::new(self.vocab, topic, &site.place, &mut rng);
        let headline = ctx.headline(&mut rng);
        let section = rng.word(topic.sections);
        let mut authors = vec![rng.pick(&site.staff).clone()];
        if rng.chance(0.12) {
            let second = rng.pick(&site.staff).clone();
            if second != authors[0] {
                authors.push(second);
            }
        }
        let date = Stamp::random(&mut rng);
        let caption = ctx.caption(&mut rng);
        let credit = if rng.chance(0.85) {
            (rng.pick(&site.photographers).clone(), site.name.clone())
        } else {
            (
                format!("{} {}", rng.word(FIRST_NAMES), rng.word(SURNAMES)),
                (rng.word(PHOTO_AGENCIES)).to_string(),
            )
        };
        let mut body_rng = Rng::derive(seed, &[K_BODY, si as u64, j as u64]);
        let blocks = ctx.body(&mut body_rng, None);
        let slug = slugify(&headline, 7);
        let mut article = Article {
            story: format!("{}/{:0w$}", site.slug, j, w = self.page_width),
            headline,
            slug,
            section,
            authors,
            agency: None,
            date,
            caption,
            credit,
            blocks,
        };

        let mut page_rng = Rng::derive(seed, &[K_PAGE, si as u64, j as u64]);
        let copy = page_rng.chance(self.opts.dup_rate);
        let recrawl = page_rng.chance(self.opts.recrawl_rate);
        let edit = page_rng.chance(0.5);

        let base = format!("{:0w$}-{}", j, article.slug, w = self.page_width);
        let ext = self.opts.format.extension();
        let original = format!("{base}.{ext}");
        let mut furn_rng = Rng::derive(seed, &[K_FURN, si as u64, j as u64, 0]);
        let furniture = self.furniture(&mut furn_rng, si, Some(j), &article, None);
        let mut main = std::mem::replace(&mut self.main, Rendered::new(false));
        main.clear();
        self.render(site, &article, &furniture, &mut main);

        // Files of one page sort as "<base> (1)", "<base>-recrawl", "<base>".
        if copy {
            let name = format!("{base} (1).{ext}");
            self.emit(
                site,
                dir,
                &name,
                Kind::ExactCopy,
                Some(&original),
                &article.story,
                &main,
            )?;
            self.summary.exact_copies += 1;
        }
        if recrawl {
            let name = format!("{base}-recrawl.{ext}");
            let mut alt = std::mem::replace(&mut self.alt, Rendered::new(false));
            alt.clear();
            let mut rrng = Rng::derive(seed, &[K_FURN, si as u64, j as u64, 1]);
            let updated = Some(article.date.later(&mut rrng));
            let kind = if edit {
                // Same furniture, a revision date, and one paragraph rewritten.
                let mut edit_rng = Rng::derive(seed, &[K_EDIT, si as u64, j as u64]);
                let paras: Vec<usize> = article
                    .blocks
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| matches!(b, Block::Paragraph(_)))
                    .map(|(i, _)| i)
                    .collect();
                let at = paras[edit_rng.range(1, paras.len() - 1)];
                ctx.intro = u32::MAX;
                let mut p = String::with_capacity(400);
                ctx.paragraph(&mut edit_rng, false, &mut p);
                let old = std::mem::replace(&mut article.blocks[at], Block::Paragraph(p));
                let mut f = self.furniture(
                    &mut Rng::derive(seed, &[K_FURN, si as u64, j as u64, 0]),
                    si,
                    Some(j),
                    &article,
                    updated,
                );
                f.updated = updated;
                self.render(site, &article, &f, &mut alt);
                article.blocks[at] = old;
                Kind::RecrawlEdit
            } else {
                let f = self.furniture(&mut rrng, si, Some(j), &article, updated);
                self.render(site, &article, &f, &mut alt);
                Kind::RecrawlFurniture
            };
            self.emit(
                site,
                dir,
                &name,
                kind,
                Some(&original),
                &article.story,
                &alt,
            )?;
            self.alt = alt;
            self.summary.recrawls += 1;
        }
        self.emit(
            site,
            dir,
            &original,
            Kind::Ordinary,
            None,
            &article.story,
            &main,
        )?;
        self.main = main;
        self.summary.pages += 1;
        Ok(())
    }

    /// Wire story `w` as published on site `si`.
    fn wire(&mut self, si: usize, w: usize, dir: &Path) -> Result<()> {
        let sites = self.sites;
        let site = &sites[si];
        let seed = self.seed();
        // The story itself: the same on every site.
        let mut rng = Rng::derive(seed, &[K_WIRE, w as u64]);
        let topic = WIRE_TOPICS[rng.below(WIRE_TOPICS.len())];
        let (city, country) = *rng.pick(WORLD_CITIES);
        let agency = *rng.pick(AGENCIES);
        let mut towns = vec![city.to_string()];
        for i in rng.sample(WORLD_CITIES.len(), 6) {
            if WORLD_CITIES[i].0 != city {
                towns.push(WORLD_CITIES[i].0.to_string());
            }
        }
        let place = Place {
            towns,
            county: country.to_string(),
            streets: rng
                .sample(WORLD_STREETS.len(), 6)
                .into_iter()
                .map(|i| WORLD_STREETS[i].to_string())
                .collect(),
            landmarks: rng
                .sample(WORLD_LANDMARKS.len(), 8)
                .into_iter()
                .map(|i| WORLD_LANDMARKS[i].replace("{city}", city))
                .collect(),
            paper: agency.1.to_string(),
            univ: format!("the University of {}", rng.pick(WORLD_CITIES).0),
        };
        let mut ctx = Ctx::new(self.vocab, topic, &place, &mut rng);
        ctx.town = 0;
        let author = format!("{} {}", rng.word(FIRST_NAMES), rng.word(SURNAMES));
        let date = Stamp::random(&mut rng);
        let caption = ctx.caption(&mut rng);
        let credit = (
            format!("{} {}", rng.word(FIRST_NAMES), rng.word(SURNAMES)),
            agency.1.to_string(),
        );
        let dateline = format!("{} ({}) \u{2014} ", city.to_uppercase(), agency.1);
        let mut body_rng = Rng::derive(seed, &[K_WIRE_BODY, w as u64]);
        let blocks = ctx.body(&mut body_rng, Some(&dateline));
        // What the site makes of it: its own headline and section.
        let mut srng = Rng::derive(seed, &[K_WIRE_SITE, w as u64, si as u64]);
        let headline = ctx.headline(&mut srng);
        let section = srng.word(topic.sections);
        let slug = slugify(&headline, 7);
        let article = Article {
            story: format!("wire-{:0w$}", w, w = self.wire_width),
            headline,
            slug,
            section,
            authors: vec![author],
            agency: Some(agency.0),
            date,
            caption,
            credit,
            blocks,
        };
        let mut furn_rng = Rng::derive(seed, &[K_WIRE_FURN, w as u64, si as u64]);
        let furniture = self.furniture(&mut furn_rng, si, None, &article, None);
        let mut main = std::mem::replace(&mut self.main, Rendered::new(false));
        main.clear();
        self.render(site, &article, &furniture, &mut main);
        let name = format!(
            "wire-{:0w$}-{}.{}",
            w,
            article.slug,
            self.opts.format.extension(),
            w = self.wire_width
        );
        self.emit(site, dir, &name, Kind::Wire, None, &article.story, &main)?;
        self.main = main;
        self.summary.syndicated_copies += 1;
        Ok(())
    }

    /// Per-page furniture; `own` is the page's index among the site's ordinary pages.
    fn furniture(
        &self,
        rng: &mut Rng,
        si: usize,
        own: Option<usize>,
        article: &Article,
        updated: Option<Stamp>,
    ) -> Furniture {
        let site = &self.sites[si];
        let paragraphs = article
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Paragraph(_)))
            .count();
        let promo = rng.below(site.promos.len());
        let promo_after = rng.range(1, paragraphs.saturating_sub(2).clamp(1, 4));
        let mut ads_after = Vec::new();
        if site.ads {
            ads_after.push(rng.range(2, 4).min(paragraphs.saturating_sub(1)));
            if paragraphs > 10 {
                ads_after.push(rng.range(8, paragraphs - 2));
            }
        }
        // Related headlines: other ordinary pages of the site, mostly nearby ones.
        let pages = self.opts.pages;
        let mut others: Vec<usize> = Vec::new();
        let available = pages - usize::from(own.is_some());
        let want = rng.range(3, 6).min(available);
        let mut attempts = 0;
        while others.len() < want && attempts < 100 {
            attempts += 1;
            let k = if rng.chance(0.7) {
                let centre = own.unwrap_or(pages / 2);
                let lo = centre.saturating_sub(40);
                let hi = (centre + 40).min(pages - 1);
                rng.range(lo, hi)
            } else {
                rng.below(pages)
            };
            if Some(k) != own && !others.contains(&k) {
                others.push(k);
            }
        }
        let related: Vec<String> = others.iter().map(|&k| self.headline_of(si, k)).collect();
        let read_more = if site.read_more && pages > 1 && rng.chance(0.5) {
            let mut k = rng.below(pages);
            if Some(k) == own {
                k = (k + 1) % pages;
            }
            Some((
                rng.range(2, paragraphs.saturating_sub(1).max(2)),
                self.headline_of(si, k),
            ))
        } else {
            None
        };
        let comments = match rng.below(10) {
            0 => 0,
            1..=6 => rng.range(1, 40) as u32,
            _ => rng.range(41, 640) as u32,
        };
        let mut comment_items = Vec::new();
        if self.opts.format == CorpusFormat::Html {
            for _ in 0..rng.range(0, 2).min(comments as usize) {
                let author = match rng.below(3) {
                    0 => format!(
                        "{}_{}",
                        rng.word(FIRST_NAMES).to_lowercase(),
                        rng.range(1, 99)
                    ),
                    1 => {
                        let first = rng.word(FIRST_NAMES);
                        let initial = rng.word(SURNAMES).chars().next().unwrap_or('K');
                        format!("{first} {initial}.")
                    }
                    _ => (rng.word(HANDLES)).to_string(),
                };
                let mut text = String::new();
                let tpl = rng.word(COMMENTS);
                text.push_str(
                    &tpl.replace("{town}", &site.place.towns[rng.below(8)])
                        .replace("{street}", rng.pick(&site.place.streets).as_str())
                        .replace("{num}", &rng.range(2, 40).to_string()),
                );
                comment_items.push((author, text));
            }
        }
        Furniture {
            updated,
            promo,
            promo_after,
            ads_after,
            read_more,
            comments,
            comment_items,
            related,
        }
    }

    fn render(&self, site: &Site, article: &Article, furn: &Furniture, out: &mut Rendered) {
        match self.opts.format {
            CorpusFormat::Text => render_text(site, article, furn, out),
            CorpusFormat::Html => render_html(site, article, furn, out),
        }
    }

    /// Writes one file and its truth record.
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        site: &Site,
        dir: &Path,
        name: &str,
        kind: Kind,
        of: Option<&str>,
        story: &str,
        page: &Rendered,
    ) -> Result<()> {
        let path = dir.join(name);
        fs::write(&path, page.buf.as_bytes()).map_err(|source| Error::Output {
            path: path.clone(),
            source,
        })?;
        self.summary.files += 1;
        self.summary.bytes += page.buf.len() as u64;
        if let Some(truth) = self.truth.as_mut() {
            let rel = format!("{}/{}", site.slug, name);
            let of = of.map(|o| format!("{}/{}", site.slug, o));
            truth.record(&TruthRecord {
                path: &rel,
                kind: kind.name(),
                of: of.as_deref(),
                story,
                article_lines: &page.article,
                template_lines: &page.template,
            })?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Text pages

/// Writes lines, separated by a blank line between blocks if the site does that.
struct TextOut<'r> {
    r: &'r mut Rendered,
    blank: bool,
}

impl TextOut<'_> {
    fn line(&mut self, text: &str, article: bool) {
        self.r.buf.push_str(text);
        self.r.buf.push('\n');
        if article {
            self.r.art(text);
        } else {
            self.r.tpl(text);
        }
    }

    fn end_block(&mut self) {
        if self.blank {
            self.r.buf.push('\n');
        }
    }

    fn block(&mut self, text: &str, article: bool) {
        self.line(text, article);
        self.end_block();
    }
}

fn kicker(site: &Site, section: &str) -> String {
    match site.kicker_style {
        0 => format!("{} |", section.to_uppercase()),
        1 => section.to_string(),
        2 => format!("{section} \u{bb}"),
        _ => section.to_uppercase(),
    }
}

fn byline(site: &Site, article: &Article) -> String {
    let names = article.authors.join(" and ");
    let mut s = match site.byline_style {
        0 | 3 => format!("By {names}"),
        1 => format!("By {}", names.to_uppercase()),
        _ => names,
    };
    match (article.agency, site.byline_style) {
        (Some(agency), _) => {
            s.push_str(", ");
            s.push_str(agency);
        }
        (None, 2) => s.push_str(" | Staff Writer"),
        (None, 3) if article.authors.len() == 1 => s.push_str(", Staff Writer"),
        _ => {}
    }
    s
}

fn credit(site: &Site, article: &Article) -> String {
    let (who, org) = &article.credit;
    match site.credit_style {
        0 => format!("Photo: {who}/{org}"),
        1 => format!("({who}/{org})"),
        2 => format!("Credit: {who} / {org}"),
        _ => format!("{org} Photo/{who}"),
    }
}

fn share_text(site: &Site) -> &'static [&'static str] {
    match site.share_style {
        0 => &["Share this story: Facebook | X | Email | Print"],
        1 => &["Share", "Facebook", "Twitter", "Email"],
        2 => &["Share on Facebook Share on X Send in e-mail"],
        _ => &["Facebook Twitter Email"],
    }
}

fn comment_count(site: &Site, n: u32) -> String {
    match (site.comment_style, n) {
        (0, 1) => "1 Comment".to_string(),
        (0, _) => format!("{n} Comments"),
        (1, _) => format!("Comments ({n})"),
        (_, 1) => "View 1 comment".to_string(),
        _ => format!("View {n} comments"),
    }
}

fn render_text(site: &Site, article: &Article, furn: &Furniture, r: &mut Rendered) {
    let mut t = TextOut {
        r,
        blank: site.blank_lines,
    };
    if site.cookie_top
        && let Some(c) = &site.cookie
    {
        t.line(c, false);
        t.block("Accept", false);
    }
    if site.skip_link {
        t.block("Skip to content", false);
    }
    t.line(&site.name, false);
    if let Some(tag) = &site.tagline {
        t.line(tag, false);
    }
    t.end_block();
    if site.nav_lines {
        for item in &site.nav {
            t.line(item, false);
        }
    } else {
        t.line(&site.nav.join(" | "), false);
    }
    t.line(site.account, false);
    t.end_block();
    t.block(&kicker(site, article.section), false);
    t.block(&article.headline, true);
    t.line(&byline(site, article), false);
    let mut date = String::with_capacity(48);
    article
        .date
        .push_line(site.date_style, site.tz.1, false, &mut date);
    t.line(&date, false);
    if let Some(u) = furn.updated {
        date.clear();
        u.push_line(site.date_style, site.tz.1, true, &mut date);
        t.line(&date, false);
    }
    t.end_block();
    let cap = format!("{} {}", article.caption, credit(site, article));
    t.line(&cap, false);
    if site.double_caption {
        t.line(&cap, false);
    }
    t.end_block();
    if site.share_style != 3 {
        for s in share_text(site) {
            t.line(s, false);
        }
        t.end_block();
    }
    let mut para = 0;
    for block in &article.blocks {
        t.block(block.text(), true);
        if let Block::Paragraph(_) = block {
            para += 1;
            if para == furn.promo_after {
                t.block(&site.promos[furn.promo], false);
            }
            if furn.ads_after.contains(&para) {
                t.block("Advertisement", false);
            }
            if let Some((at, h)) = &furn.read_more
                && *at == para
            {
                t.block(&format!("READ MORE: {h}"), false);
            }
        }
    }
    if site.share_style == 3 {
        t.block(share_text(site)[0], false);
    }
    if furn.comments == 0 && site.comment_style == 0 {
        t.line("Be the first to comment", false);
    } else {
        t.line(&comment_count(site, furn.comments), false);
    }
    t.line(site.comment_prompt, false);
    t.line(site.comment_note, false);
    t.end_block();
    t.line(&site.newsletter[0], false);
    t.line(&site.newsletter[1], false);
    t.end_block();
    if !furn.related.is_empty() {
        t.line(&site.related_heading, false);
        for h in &furn.related {
            t.line(h, false);
        }
        t.end_block();
    }
    t.line(&site.footer_links.join(" | "), false);
    t.line(&site.copyright, false);
    if let Some(a) = &site.address {
        t.line(a, false);
    }
    if !site.cookie_top
        && let Some(c) = &site.cookie
    {
        t.line(c, false);
        t.line("Accept", false);
    }
    if site.exit_mobile {
        t.end_block();
        t.line("Exit mobile version", false);
    }
}

// ---------------------------------------------------------------------------------------------
// HTML pages

/// Class names of one family of content management systems.
struct HtmlClasses {
    article: &'static str,
    header: &'static str,
    body: &'static str,
    related: &'static str,
    related_inside: bool,
}

const HTML_VARIANTS: &[HtmlClasses] = &[
    HtmlClasses {
        article: "story",
        header: "story-header",
        body: "story-body",
        related: "related-stories",
        related_inside: false,
    },
    HtmlClasses {
        article: "post type-post hentry",
        header: "entry-header",
        body: "entry-content",
        related: "jp-relatedposts",
        related_inside: true,
    },
    HtmlClasses {
        article: "article",
        header: "article__header",
        body: "article__body",
        related: "article-related",
        related_inside: false,
    },
];

fn esc_into(out: &mut String, text: &str, attr: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// A JSON string literal that is also safe inside `<script>`.
fn json_into(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003c"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = std::fmt::Write::write_fmt(out, format_args!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct HtmlOut<'r> {
    r: &'r mut Rendered,
}

impl HtmlOut<'_> {
    fn raw(&mut self, s: &str) {
        self.r.buf.push_str(s);
    }

    fn text(&mut self, s: &str) {
        esc_into(&mut self.r.buf, s, false);
    }

    fn attr(&mut self, s: &str) {
        esc_into(&mut self.r.buf, s, true);
    }

    /// `<tag class="…">text</tag>`, recorded as a furniture line.
    fn furn(&mut self, tag: &str, class: &str, text: &str) {
        self.open(tag, class);
        self.text(text);
        self.close(tag);
        self.r.tpl(text);
    }

    fn open(&mut self, tag: &str, class: &str) {
        let b = &mut self.r.buf;
        b.push('<');
        b.push_str(tag);
        if !class.is_empty() {
            b.push_str(" class=\"");
            b.push_str(class);
            b.push('"');
        }
        b.push('>');
    }

    fn close(&mut self, tag: &str) {
        let b = &mut self.r.buf;
        b.push_str("</");
        b.push_str(tag);
        b.push_str(">\n");
    }

    /// `<li><a href="href">text</a></li>`, recorded as a furniture line.
    fn link_item(&mut self, href: &str, text: &str) {
        self.raw("<li><a href=\"");
        self.attr(href);
        self.raw("\">");
        self.text(text);
        self.raw("</a></li>\n");
        self.r.tpl(text);
    }
}

fn render_html(site: &Site, article: &Article, furn: &Furniture, r: &mut Rendered) {
    let cls = site.html;
    let (y, m, d) = article.date.civil();
    let section_slug = slugify(article.section, 4);
    let url = format!(
        "https://{}/{}/{}/{:02}/{:02}/{}/",
        site.host, section_slug, y, m, d, article.slug
    );
    let mut iso = String::with_capacity(32);
    article.date.push_iso(site.tz.0, &mut iso);
    let mut h = HtmlOut { r };

    // <head>
    h.raw("<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    h.text(&article.headline);
    h.raw(" | ");
    h.text(&site.name);
    h.raw("</title>\n<link rel=\"canonical\" href=\"");
    h.attr(&url);
    h.raw("\">\n<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:site_name\" content=\"");
    h.attr(&site.name);
    h.raw("\">\n<meta property=\"og:url\" content=\"");
    h.attr(&url);
    h.raw("\">\n<meta property=\"og:title\" content=\"");
    h.attr(&article.headline);
    h.raw("\">\n<meta property=\"article:published_time\" content=\"");
    h.raw(&iso);
    h.raw("\">\n<meta property=\"article:section\" content=\"");
    h.attr(article.section);
    h.raw("\">\n<link rel=\"stylesheet\" href=\"/static/css/");
    h.raw(&site.slug);
    h.raw(".css\">\n<script type=\"application/ld+json\">\n{\"@context\": \"https://schema.org\", \"@type\": \"NewsArticle\", \"headline\": ");
    json_into(&mut h.r.buf, &article.headline);
    h.raw(", \"author\": [");
    for (i, a) in article.authors.iter().enumerate() {
        if i > 0 {
            h.raw(", ");
        }
        h.raw("{\"@type\": \"Person\", \"name\": ");
        json_into(&mut h.r.buf, a);
        h.raw("}");
    }
    h.raw("], \"datePublished\": \"");
    h.raw(&iso);
    h.raw("\"");
    if let Some(u) = furn.updated {
        h.raw(", \"dateModified\": \"");
        u.push_iso(site.tz.0, &mut h.r.buf);
        h.raw("\"");
    }
    h.raw(", \"mainEntityOfPage\": ");
    json_into(&mut h.r.buf, &url);
    h.raw(", \"publisher\": {\"@type\": \"Organization\", \"name\": ");
    json_into(&mut h.r.buf, &site.name);
    h.raw("}}\n</script>\n<script async src=\"https://metrics.");
    h.raw(&site.host[4..]);
    h.raw("/t.js\"></script>\n</head>\n<body class=\"article-page section-");
    h.raw(&section_slug);
    h.raw("\">\n");

    // Page header.
    if site.skip_link {
        h.raw("<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n");
        h.r.tpl("Skip to content");
    }
    if site.cookie_top {
        cookie_html(&mut h, site);
    }
    h.raw(
        "<header class=\"site-header\">\n<div class=\"masthead\">\n<a class=\"logo\" href=\"/\">",
    );
    h.text(&site.name);
    h.raw("</a>\n");
    h.r.tpl(&site.name);
    if let Some(tag) = &site.tagline {
        h.furn("p", "tagline", tag);
    }
    h.raw("</div>\n<nav class=\"primary-nav\" aria-label=\"Sections\">\n<ul>\n");
    for item in &site.nav {
        let href = if *item == "Home" {
            "/".to_string()
        } else {
            format!("/{}/", slugify(item, 4))
        };
        h.link_item(&href, item);
    }
    h.raw("</ul>\n</nav>\n<ul class=\"account\">\n");
    for item in site.account.split(" | ") {
        h.link_item(&format!("/{}/", slugify(item, 3)), item);
    }
    h.raw("</ul>\n</header>\n<main id=\"main\">\n<article class=\"");
    h.raw(cls.article);
    h.raw("\">\n<header class=\"");
    h.raw(cls.header);
    h.raw("\">\n<p class=\"kicker\"><a href=\"/");
    h.raw(&section_slug);
    h.raw("/\">");
    h.text(article.section);
    h.raw("</a></p>\n");
    h.r.tpl(article.section);
    h.raw("<h1 class=\"headline\">");
    h.text(&article.headline);
    h.raw("</h1>\n");
    h.r.art(&article.headline);
    let by = byline(site, article);
    h.raw("<p class=\"byline\">");
    h.text(&by);
    h.raw("</p>\n");
    h.r.tpl(&by);
    let mut date = String::with_capacity(48);
    article
        .date
        .push_line(site.date_style, site.tz.1, false, &mut date);
    h.raw("<p class=\"published\"><time datetime=\"");
    h.raw(&iso);
    h.raw("\">");
    h.text(&date);
    h.raw("</time></p>\n");
    h.r.tpl(&date);
    if let Some(u) = furn.updated {
        date.clear();
        u.push_line(site.date_style, site.tz.1, true, &mut date);
        h.raw("<p class=\"updated\"><time datetime=\"");
        u.push_iso(site.tz.0, &mut h.r.buf);
        h.raw("\">");
        h.text(&date);
        h.raw("</time></p>\n");
        h.r.tpl(&date);
    }
    h.raw("</header>\n<figure class=\"lead-image\">\n<img src=\"/media/");
    push_num(&mut h.r.buf, y as u64);
    h.raw("/");
    h.raw(&article.slug);
    h.raw(".jpg\" alt=\"");
    h.attr(&article.caption);
    h.raw("\" width=\"1200\" height=\"800\">\n<figcaption>");
    h.text(&article.caption);
    let cr = credit(site, article);
    h.raw(" <span class=\"credit\">");
    h.text(&cr);
    h.raw("</span></figcaption>\n</figure>\n");
    h.r.tpl(&format!("{} {}", article.caption, cr));
    h.raw("<div class=\"share\" aria-label=\"Share this article\">\n<ul>\n");
    for s in ["Facebook", "X", "Email"] {
        h.link_item(&format!("#share-{}", s.to_lowercase()), s);
    }
    h.raw("</ul>\n</div>\n<div class=\"");
    h.raw(cls.body);
    h.raw("\">\n");

    // Body.
    let mut para = 0;
    for block in &article.blocks {
        match block {
            Block::Paragraph(p) => {
                h.raw("<p>");
                h.text(p);
                h.raw("</p>\n");
                h.r.art(p);
                para += 1;
                if para == furn.promo_after {
                    h.raw("<aside class=\"inline-promo\">\n");
                    h.furn("p", "", &site.promos[furn.promo]);
                    h.raw("</aside>\n");
                }
                if furn.ads_after.contains(&para) {
                    h.raw("<div class=\"ad-slot\">");
                    h.furn("span", "ad-label", "Advertisement");
                    h.raw("</div>\n");
                }
                if let Some((at, head)) = &furn.read_more
                    && *at == para
                {
                    h.raw("<p class=\"read-more\"><strong>Read more:</strong> <a href=\"/news/");
                    h.raw(&slugify(head, 7));
                    h.raw("/\">");
                    h.text(head);
                    h.raw("</a></p>\n");
                    h.r.tpl(&format!("Read more: {head}"));
                }
            }
            Block::Subhead(s) => {
                h.raw("<h2>");
                h.text(s);
                h.raw("</h2>\n");
                h.r.art(s);
            }
        }
    }
    h.raw("</div>\n<div class=\"newsletter-signup\">\n");
    h.furn("h3", "", &site.newsletter[0]);
    h.furn("p", "", &site.newsletter[1]);
    h.raw("<form action=\"/newsletters/subscribe\" method=\"post\">\n<label for=\"nl-email\">Email address</label><input type=\"email\" id=\"nl-email\" name=\"email\" required>\n");
    h.r.tpl("Email address");
    h.raw("<button type=\"submit\">Sign up</button>\n</form>\n</div>\n");
    h.r.tpl("Sign up");
    if cls.related_inside {
        related_html(&mut h, site, furn);
    }
    h.raw("</article>\n<section id=\"comments\" class=\"comments\">\n");
    let count = comment_count(site, furn.comments);
    h.furn("h2", "", &count);
    h.furn("h3", "", site.comment_prompt);
    h.furn("p", "comment-note", site.comment_note);
    if !furn.comment_items.is_empty() {
        h.raw("<ol class=\"comment-list\">\n");
        for (author, text) in &furn.comment_items {
            h.raw("<li class=\"comment\">\n");
            h.furn("p", "comment-author", author);
            h.furn("p", "comment-text", text);
            h.raw("<p class=\"comment-reply\"><a href=\"#reply\">Reply</a></p>\n</li>\n");
            h.r.tpl("Reply");
        }
        h.raw("</ol>\n");
    }
    h.raw("</section>\n</main>\n");
    if !cls.related_inside {
        related_html(&mut h, site, furn);
    }
    h.raw("<footer class=\"site-footer\">\n<ul class=\"footer-links\">\n");
    for item in &site.footer_links {
        h.link_item(&format!("/{}/", slugify(item, 4)), item);
    }
    h.raw("</ul>\n");
    h.furn("p", "copyright", &site.copyright);
    if let Some(a) = &site.address {
        h.furn("p", "address", a);
    }
    h.raw("</footer>\n");
    if !site.cookie_top {
        cookie_html(&mut h, site);
    }
    h.raw("<script src=\"/static/js/");
    h.raw(&site.slug);
    h.raw(".js\" defer></script>\n</body>\n</html>\n");
}

fn cookie_html(h: &mut HtmlOut<'_>, site: &Site) {
    if let Some(c) = &site.cookie {
        h.raw("<div id=\"cookie-consent\" class=\"cookie-banner\" role=\"dialog\" aria-label=\"Cookie consent\">\n");
        h.furn("p", "", c);
        h.raw("<button type=\"button\" data-consent=\"all\">Accept</button>\n</div>\n");
        h.r.tpl("Accept");
    }
}

fn related_html(h: &mut HtmlOut<'_>, site: &Site, furn: &Furniture) {
    if furn.related.is_empty() {
        return;
    }
    h.raw("<aside class=\"");
    h.raw(site.html.related);
    h.raw("\">\n");
    h.furn("h2", "", &site.related_heading);
    h.raw("<ul>\n");
    for head in &furn.related {
        h.link_item(&format!("/news/{}/", slugify(head, 7)), head);
    }
    h.raw("</ul>\n</aside>\n");
}

// ---------------------------------------------------------------------------------------------
// Truth file

/// One line of the ground-truth file.
#[derive(Serialize)]
struct TruthRecord<'a> {
    path: &'a str,
    kind: &'a str,
    of: Option<&'a str>,
    story: &'a str,
    article_lines: &'a [String],
    template_lines: &'a [String],
}

/// The truth file, written to `<name>.tmp` and renamed into place when complete.
struct TruthFile {
    path: PathBuf,
    tmp: PathBuf,
    out: BufWriter<File>,
}

impl TruthFile {
    fn create(path: &Path) -> Result<Self> {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".tmp");
        let tmp = path.with_file_name(name);
        let file = File::create(&tmp).map_err(|source| Error::Output {
            path: tmp.clone(),
            source,
        })?;
        Ok(TruthFile {
            path: path.to_path_buf(),
            tmp,
            out: BufWriter::with_capacity(1 << 20, file),
        })
    }

    fn record(&mut self, rec: &TruthRecord<'_>) -> Result<()> {
        serde_json::to_writer(&mut self.out, rec)
            .map_err(io::Error::from)
            .and_then(|()| self.out.write_all(b"\n"))
            .map_err(|source| Error::Output {
                path: self.tmp.clone(),
                source,
            })
    }

    /// Removes the unfinished file (after a failed run); best effort.
    fn discard(self) {
        drop(self.out);
        let _ = fs::remove_file(&self.tmp);
    }

    fn finish(mut self) -> Result<()> {
        self.out.flush().map_err(|source| Error::Output {
            path: self.tmp.clone(),
            source,
        })?;
        drop(self.out);
        fs::rename(&self.tmp, &self.path).map_err(|source| Error::Output {
            path: self.path.clone(),
            source,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary. Every template sentence holds at least one slot with many possible values, so
// that whole sentences (and a fortiori paragraphs) essentially never repeat.

const FIRST_NAMES: &[&str] = &[
    "Maria",
    "James",
    "Luis",
    "Tameka",
    "Wendell",
    "Rosalind",
    "Dana",
    "Marcus",
    "Helen",
    "Barbara",
    "Luz",
    "Elena",
    "Omar",
    "Priya",
    "Kenji",
    "Aisha",
    "Tomasz",
    "Ingrid",
    "Mateo",
    "Grace",
    "Samuel",
    "Nadia",
    "Hassan",
    "Chloe",
    "Darnell",
    "Yuki",
    "Fatima",
    "Connor",
    "Imani",
    "Rafael",
    "Sofia",
    "Ahmed",
    "Bridget",
    "Desmond",
    "Esther",
    "Felipe",
    "Gwen",
    "Hector",
    "Iris",
    "Jamal",
    "Katarzyna",
    "Leon",
    "Mei",
    "Nikolai",
    "Olivia",
    "Pedro",
    "Quentin",
    "Rania",
    "Stefan",
    "Talia",
    "Umar",
    "Valeria",
    "Winston",
    "Ximena",
    "Yusuf",
    "Zara",
    "Abigail",
    "Bernard",
    "Carmen",
    "Dmitri",
    "Eleanor",
    "Francis",
    "Gloria",
    "Harold",
    "Isabel",
    "Joaquín",
    "Keisha",
    "Lars",
    "Miriam",
    "Nathaniel",
    "Orla",
    "Patrice",
    "Ruth",
    "Silas",
    "Theresa",
    "Victor",
    "Wanda",
    "Andrea",
    "Brian",
    "Colleen",
    "Derek",
    "Erin",
    "Frank",
    "Gabriela",
    "Howard",
    "Ivan",
    "Jennifer",
    "Kevin",
    "Linda",
    "Michael",
    "Nancy",
    "Oscar",
    "Paula",
    "Raymond",
    "Sandra",
    "Thomas",
    "Ursula",
    "Vincent",
    "Walter",
    "Yolanda",
    "Adebayo",
    "Chiara",
    "Siobhan",
    "Anders",
    "Beatriz",
    "Kwame",
    "Leila",
    "Mohammed",
    "Noor",
    "Oksana",
    "Pilar",
    "Ravi",
    "Sunita",
    "Tobias",
    "Annika",
    "Declan",
    "Emeka",
    "Farida",
    "Gustavo",
    "Hannah",
    "Inés",
    "Jonas",
    "Kofi",
    "Lucia",
    "Marisol",
    "Nia",
    "Owen",
    "Petra",
    "Rosa",
    "Sergio",
    "Tariq",
    "Uma",
    "Viktor",
    "Wei",
    "Xavier",
    "Yasmin",
    "Zoltan",
    "Alice",
    "Bruno",
    "Camille",
    "Diego",
    "Elise",
    "Fiona",
    "George",
    "Hiroshi",
    "Ada",
    "Benedict",
    "Cordelia",
    "Dolores",
    "Emil",
    "Flora",
    "Gideon",
    "Hilda",
    "Ignacio",
    "Jude",
    "Kirsten",
    "Lorenzo",
    "Magnus",
    "Nell",
    "Pablo",
    "Quincy",
    "Renata",
    "Shirley",
    "Troy",
    "Vanessa",
    "Wade",
    "Yvonne",
    "Arthur",
    "Beverly",
    "Curtis",
    "Deborah",
    "Eugene",
    "Frances",
];

const SURNAMES: &[&str] = &[
    "Ortega",
    "Oyelaran",
    "Ferreira",
    "Acheampong",
    "Hollis",
    "Whitfield",
    "Achebe",
    "Marín",
    "Lutz",
    "Sorensen",
    "Nakamura",
    "Okafor",
    "Kowalski",
    "Lindqvist",
    "Haddad",
    "Brennan",
    "Castillo",
    "Delacroix",
    "Eriksen",
    "Fitzgerald",
    "Gallagher",
    "Hernández",
    "Ishikawa",
    "Jablonski",
    "Kaur",
    "Lefebvre",
    "Mahmoud",
    "Novak",
    "O'Brien",
    "Petrov",
    "Quintero",
    "Rasmussen",
    "Schultz",
    "Takahashi",
    "Underwood",
    "Vasquez",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zimmermann",
    "Abernathy",
    "Baptiste",
    "Chowdhury",
    "Dubois",
    "Esposito",
    "Fontaine",
    "Grimaldi",
    "Hoffman",
    "Iyer",
    "Jensen",
    "Kim",
    "Larsen",
    "Moreau",
    "Nguyen",
    "Osei",
    "Patel",
    "Rossi",
    "Silva",
    "Tanaka",
    "Ueda",
    "Volkov",
    "Wójcik",
    "Yamamoto",
    "Zhou",
    "Adeyemi",
    "Bianchi",
    "Carvalho",
    "Dimitrov",
    "Engel",
    "Farouk",
    "Gonzalez",
    "Holmberg",
    "Ivanova",
    "Jovanović",
    "Kapoor",
    "Lindgren",
    "Mbeki",
    "Nowak",
    "Olsen",
    "Pham",
    "Reyes",
    "Sato",
    "Torres",
    "Ulrich",
    "Varga",
    "Walsh",
    "Yoon",
    "Zubiri",
    "Alvarez",
    "Becker",
    "Cohen",
    "Dunn",
    "Ellison",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ibrahim",
    "Jackson",
    "Keller",
    "Lopez",
    "Mitchell",
    "Nash",
    "Ochoa",
    "Parker",
    "Quinn",
    "Ramirez",
    "Stewart",
    "Thompson",
    "Upton",
    "Vance",
    "Wallace",
    "Young",
    "Zamora",
    "Ashworth",
    "Bellamy",
    "Carrington",
    "Donnelly",
    "Everett",
    "Fairbanks",
    "Granger",
    "Hastings",
    "Ingram",
    "Jeffries",
    "Kendrick",
    "Langley",
    "Merriweather",
    "Norcross",
    "Oakley",
    "Prescott",
    "Redmond",
    "Sinclair",
    "Thornton",
    "Vickers",
    "Whitmore",
    "Yardley",
    "Abara",
    "Boateng",
    "Cissé",
    "Diallo",
    "Eze",
    "Fofana",
    "Gueye",
    "Hamidou",
    "Igwe",
    "Juma",
    "Kamau",
    "Lungu",
    "Mensah",
    "Ndlovu",
    "Obi",
    "Phiri",
    "Sesay",
    "Touré",
    "Wanjiru",
    "Zulu",
    "Andersson",
    "Berg",
    "Dahl",
    "Forsberg",
    "Hansen",
    "Isaksen",
    "Johansson",
    "Karlsson",
    "Lund",
    "Magnusson",
    "Nilsson",
    "Persson",
    "Strand",
    "Vik",
    "Almeida",
    "Barbosa",
    "Costa",
    "Duarte",
    "Freitas",
    "Gomes",
    "Lima",
    "Martins",
    "Moreira",
    "Nunes",
    "Pereira",
    "Rocha",
    "Santos",
    "Teixeira",
    "Vieira",
    "Ahn",
    "Chen",
    "Huang",
    "Lin",
    "Liu",
    "Park",
    "Song",
    "Tran",
    "Wang",
    "Wu",
    "Yang",
    "Zhang",
    "Banerjee",
    "Desai",
    "Gupta",
    "Joshi",
    "Mehta",
    "Nair",
    "Rao",
    "Reddy",
    "Shah",
    "Singh",
    "McAllister",
    "MacLeod",
    "Brannigan",
    "Kowalczyk",
    "Szabo",
    "Horvath",
    "Popescu",
    "Ionescu",
    "Kuznetsov",
    "Morozov",
    "Schneider",
    "Wagner",
    "Bauer",
    "Richter",
    "Krause",
    "Vogel",
];

const TOWN_HEADS: &[&str] = &[
    "Ash", "Harbor", "Kettle", "Mill", "Oak", "Pine", "Stone", "River", "Cedar", "Maple", "Elm",
    "Fox", "Wolf", "Bear", "Eagle", "Clear", "Green", "Red", "White", "Black", "North", "South",
    "East", "West", "Spring", "Summer", "Winter", "Glen", "Brook", "Lake", "Fair", "Rose",
    "Silver", "Iron", "Copper", "Salt", "Wheat", "Bright", "Hazel", "Thorn", "Willow", "Marsh",
    "Kings", "Queens", "Dun", "Holl", "Wester", "Lang", "Bram", "Crane",
];

const TOWN_TAILS: &[&str] = &[
    "combe", "view", "ford", "bridge", "field", "ton", "ville", "wood", "port", "haven", "dale",
    "burg", "mouth", "stead", "wick", "ham", "crest", "ridge", "water", "gate", "bury", "land",
    "moor", "ley", "hurst", "well", "brook",
];

const PAPERS: &[&str] = &[
    "Herald",
    "Gazette",
    "Ledger",
    "Courier",
    "Tribune",
    "Sentinel",
    "Chronicle",
    "Observer",
    "Dispatch",
    "Journal",
    "Register",
    "Times",
    "Post",
    "Star",
    "Beacon",
    "Bulletin",
    "Examiner",
    "Messenger",
    "Monitor",
    "Enterprise",
    "Independent",
    "Advocate",
    "Telegraph",
    "Mercury",
    "Clarion",
    "Pioneer",
    "Daily News",
    "Press",
    "Record",
    "Banner",
];

const STREET_NAMES: &[&str] = &[
    "Main",
    "Oak",
    "Maple",
    "Wharf",
    "Foundry",
    "Mill",
    "Church",
    "Elm",
    "Market",
    "River",
    "Lincoln",
    "Jefferson",
    "Washington",
    "Cedar",
    "Pine",
    "Spruce",
    "Walnut",
    "Chestnut",
    "Highland",
    "Lake",
    "Park",
    "Franklin",
    "Grant",
    "Depot",
    "Harbor",
    "Union",
    "Center",
    "Bridge",
    "Prospect",
    "Orchard",
    "Willow",
    "Birch",
    "Summit",
    "Academy",
    "Canal",
    "Railroad",
    "Front",
    "Water",
    "Ridge",
    "Meadow",
];

const STREET_TYPES: &[&str] = &["Street", "Avenue", "Road", "Lane", "Boulevard", "Drive"];

const LOCAL_LANDMARKS: &[&str] = &[
    "the {town} Public Library",
    "the old train depot on {street}",
    "the county fairgrounds",
    "Riverside Park",
    "the former paper mill on {street}",
    "the municipal pool",
    "the {town} High School gym",
    "the {street} bridge",
    "the senior center on {street}",
    "the downtown transit center",
    "the regional airport",
    "the farmers market on {street}",
    "the {town} Community Center",
    "the veterans memorial",
    "the boat launch at the end of {street}",
    "the shuttered mall on {street}",
    "Memorial Stadium",
    "the water treatment plant",
    "the old armory on {street}",
    "the {town} Historical Museum",
    "the skate park on {street}",
    "city hall",
];

const SECTIONS: &[&str] = &[
    "News",
    "Local",
    "Politics",
    "Business",
    "Sports",
    "Opinion",
    "Obituaries",
    "Events",
    "Education",
    "Health",
    "Weather",
    "Arts",
    "Food",
    "Real Estate",
    "Classifieds",
    "e-Edition",
    "Puzzles",
    "Podcasts",
    "Photos",
    "Jobs",
];

const TAGLINES: &[&str] = &[
    "Independent local news for {town} and {county} since {year}",
    "Serving {county} since {year}",
    "{county}'s hometown newspaper",
    "News, sports and weather for {town} and beyond",
    "Your source for {county} news since {year}",
];

const PROMOS: &[&str] = &[
    "Every week {short} sends reporters to {county} meetings that no one else covers, and readers who chip in a few dollars a month are the reason that still happens.",
    "Support local journalism: subscribe to {paper} for {price} a week.",
    "Sign up for {nl}, our free morning newsletter, and get the day's top {town} stories in your inbox.",
    "Have a news tip? Email the newsroom at tips@{host} or call {phone}.",
    "Download the {paper} app for breaking news alerts from across {county}.",
    "{paper} is a member of the {county} Press Association and follows its code of ethics.",
    "Our reporting on {county} schools, courts and city hall is free to read thanks to subscribers like you.",
    "Get unlimited digital access to {paper} for {price} a month. Cancel anytime.",
];

const NEWSLETTER_NAMES: &[&str] = &[
    "The Morning Edition",
    "The Daily Briefing",
    "First Look",
    "The Front Page",
    "Morning Headlines",
    "The Local Roundup",
];

const NEWSLETTERS: &[(&str, &str)] = &[
    (
        "{nl}",
        "Get the day's top {town} stories in your inbox before 7 a.m., free.",
    ),
    (
        "Stay informed",
        "Sign up for {nl} and never miss a {county} headline.",
    ),
    (
        "Newsletter",
        "The best of {paper}, delivered every weekday morning.",
    ),
    (
        "Don't miss a story",
        "Subscribe to {nl}, free every weekday.",
    ),
];

const RELATED_HEADINGS: &[&str] = &[
    "More from {Short}",
    "Related",
    "Read next",
    "Most read",
    "You may also like",
    "Recommended for you",
    "Latest news",
    "Trending in {town}",
];

const FOOTER_LINKS: &[&[&str]] = &[
    &[
        "About us",
        "Contact",
        "Privacy",
        "Terms of service",
        "Advertise",
    ],
    &[
        "About",
        "Contact us",
        "Privacy Policy",
        "Terms of Use",
        "Careers",
        "Corrections",
    ],
    &[
        "Contact",
        "Advertise with us",
        "Subscriber services",
        "Privacy",
        "Cookie settings",
    ],
    &[
        "Home",
        "About",
        "Staff directory",
        "Send a news tip",
        "Privacy Policy",
    ],
];

const COPYRIGHTS: &[&str] = &[
    "\u{a9} 2024 {paper}. All rights reserved.",
    "Copyright \u{a9} 2024 {paper} Media Co. All rights reserved.",
    "\u{a9} {paper} 2024",
    "All content \u{a9} 2024 {paper} unless otherwise noted.",
];

const COOKIE_NOTICES: &[&str] = &[
    "We use cookies to improve your experience on {paper}. By continuing to browse you agree to our use of cookies.",
    "{paper} and its partners use cookies to measure traffic and remember your preferences.",
    "This site uses cookies. Read our cookie policy to learn more.",
];

const ACCOUNT_LINES: &[&str] = &[
    "Subscribe | Log in",
    "Sign in | Subscribe",
    "Log in | Register",
    "Subscribe now | Sign in",
];

const COMMENT_PROMPTS: &[&str] = &[
    "Join the conversation",
    "Leave a comment",
    "Post a Comment",
    "Add your comment",
];

const COMMENT_NOTES: &[&str] = &[
    "Comments are reviewed before they appear. Please keep it civil and stay on topic.",
    "Please let us know if you're having issues with commenting.",
    "Log in or create a free account to join the conversation. Comments are moderated.",
    "Comments are closed 48 hours after publication.",
];

const TIME_ZONES: &[(&str, &str)] = &[
    ("-05:00", "ET"),
    ("-06:00", "CT"),
    ("-07:00", "MT"),
    ("-08:00", "PT"),
    ("+00:00", "GMT"),
    ("+01:00", "CET"),
];

const PHOTO_AGENCIES: &[&str] = &[
    "CPS",
    "MNA",
    "Getty Images",
    "Reuters",
    "AP",
    "Shutterstock",
];

const HANDLES: &[&str] = &[
    "busrider_77",
    "localmom",
    "oldtimer",
    "RiverRat",
    "concerned_citizen",
    "jd1958",
    "NorthSideNeighbor",
    "taxpayer42",
];

const COMMENTS: &[&str] = &[
    "Great, now fix the potholes on {street}.",
    "Where was this {num} years ago?",
    "Free is nice. Something that works would be nicer.",
    "I've lived in {town} my whole life and this is the first I've heard of it.",
    "Follow the money.",
    "Thank you for covering this.",
    "Who approved this?",
    "My kids walk down {street} every day. About time.",
];

const SMALL_NUMBERS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "10", "12",
];

const WORLD_CITIES: &[(&str, &str)] = &[
    ("Geneva", "Switzerland"),
    ("Brussels", "Belgium"),
    ("Nairobi", "Kenya"),
    ("Jakarta", "Indonesia"),
    ("Lima", "Peru"),
    ("Oslo", "Norway"),
    ("Cairo", "Egypt"),
    ("Santiago", "Chile"),
    ("Hanoi", "Vietnam"),
    ("Accra", "Ghana"),
    ("Lisbon", "Portugal"),
    ("Vienna", "Austria"),
    ("Seoul", "South Korea"),
    ("Montreal", "Canada"),
    ("Athens", "Greece"),
    ("Istanbul", "Turkey"),
    ("Warsaw", "Poland"),
    ("Bogotá", "Colombia"),
    ("Dakar", "Senegal"),
    ("Reykjavík", "Iceland"),
    ("Wellington", "New Zealand"),
    ("Helsinki", "Finland"),
    ("Addis Ababa", "Ethiopia"),
    ("Kathmandu", "Nepal"),
    ("Tunis", "Tunisia"),
    ("Quito", "Ecuador"),
    ("Bangkok", "Thailand"),
    ("Copenhagen", "Denmark"),
    ("Dublin", "Ireland"),
    ("Prague", "Czechia"),
    ("Montevideo", "Uruguay"),
    ("Kraków", "Poland"),
    ("São Paulo", "Brazil"),
    ("Zürich", "Switzerland"),
    ("Marrakech", "Morocco"),
    ("Manila", "Luzon"),
];

const AGENCIES: &[(&str, &str)] = &[
    ("Continental Press Service", "CPS"),
    ("Meridian News Agency", "MNA"),
    ("Global Wire Service", "GWS"),
];

const WORLD_STREETS: &[&str] = &[
    "Independence Avenue",
    "the Ring Road",
    "Harbour Street",
    "the Corniche",
    "Liberty Square",
    "the old town's main square",
    "Station Road",
    "the riverside promenade",
    "Republic Boulevard",
    "Market Street",
];

const WORLD_LANDMARKS: &[&str] = &[
    "the {city} convention center",
    "the national parliament",
    "the central station in {city}",
    "the old port",
    "the presidential palace",
    "the central bank's headquarters",
    "the main university campus",
    "the national stadium",
    "the city's largest market",
    "the foreign ministry",
    "the main hospital in {city}",
];

const RESIDENTS: &[&str] = &[
    "who has lived on {street} for {num} years",
    "a retired teacher from {town2}",
    "who owns a {shop} on {street}",
    "a parent of two in {town}",
    "{age}, a nurse who commutes from {town2}",
    "who runs a small business near {landmark}",
    "a lifelong {town} resident",
    "a volunteer at {landmark}",
    "who moved to {town} in {year}",
    "{age}, a student at {univ}",
];

const LEADS: &[&str] = &[
    "{inst} on {weekday} {action} {obj}, {cons}.",
    "{inst} {action} {obj} on {weekday}, ending months of debate over whether {concern}.",
    "{group} in {town} could see changes soon after {inst} {action} {obj} at a meeting that ran past {time} on {weekday}.",
    "For {group} in {town}, {obj} has been a long time coming, and on {weekday} {inst} {action} it.",
    "{obj} moved a step closer on {weekday} when {inst} {action} it despite objections from {group} who live near {landmark}.",
    "After {num2} years of {adj} debate, {inst} {action} {obj} on {weekday}.",
];

const STATEMENTS: &[&str] = &[
    "{P} said {group} had been asking for {obj2} since at least {year}.",
    "The {money} cost would be covered by {funding}, according to {doc}.",
    "{obj2} would affect roughly {bignum} {group}, according to {doc}.",
    "Supporters say {obj2} will {benefit}, while critics worry that {concern}.",
    "{P} said the details were still being worked out and that {inst} expected to {next_step} {when}.",
    "The idea is not new: {town2} tried something similar in {year}, and {past_result}.",
    "{inst2} has said it will {next_step} {when}, {P} said.",
    "About {pct} percent of {group} surveyed by {surveyor} said they supported {obj2}, while {pct} percent were opposed.",
    "The proposal drew {num} written comments, most of them from {group} who live near {landmark}.",
    "{P} pointed to {evidence}.",
    "Not everyone in {town} is convinced that {obj2} will {benefit}.",
    "{newp} said word of {obj2} first spread among neighbors on {street}.",
    "Work on {obj2} is scheduled to begin {when} and could take {num2} months, {P} said.",
    "In {year}, {past_event}, and many {group} still remember {memory}.",
    "{P} noted that {inst2} spent {money} on {obj2} {past}, and {past_result}.",
    "The {weekday} meeting at {landmark} drew about {num} people, and {newp} was among those who waited more than an hour to speak.",
    "Some {group} said they learned about {obj2} only after reading about it in {paper}.",
    "A final decision is expected {when}, after {inst2} reviews {doc} and hears from {group}.",
    "{newp} has lived in {town} for {num} years and said {indirect}.",
    "Officials estimate that {obj2} would save {money} a year, though {P} called that figure optimistic.",
    "A review by {univ} found that {finding}.",
    "{town2}, about {num} miles {dir} of {town}, {neighbor_action}.",
    "Asked whether {question_clause}, {P} said {indirect}.",
    "{inst2} last considered {obj2} in {year} but dropped the idea after {drop_reason}.",
    "By {month}, {P} said, {group} should {expect}.",
    "The money for {obj2} would come from {funding}, which {inst2} approved {past}.",
    "{P} said {group} on {street} had complained for years about {thing}.",
    "Several {group}, including {newp} urged {inst} to {next_step} before going further.",
    "The vote followed a {adj} hearing in which {group} and {group} traded accusations over {thing}.",
    "{P} said {inst} had received {num} letters about {obj2}, most of them critical.",
    "Data from {surveyor} show that {finding}.",
    "{P} acknowledged that {concern}, but said {indirect}.",
    "Records reviewed by {paper} show that {inst2} set aside {money} for {thing} {past}.",
    "The debate over {obj2} has split {group} in {town}, where {finding}.",
    "If {cond}, {P} said, {inst} would {next_step}.",
    "{P} declined to say whether {question_clause}.",
];

const QUOTE_SENTENCES: &[&str] = &[
    "\"{quote},\" {P} said.",
    "\"{quote},\" said {p}.",
    "\"{quote},\" {P} said. \"{quote}.\"",
    "{P} put it more bluntly: \"{quote}.\"",
    "\"{quote},\" {P} told {paper}.",
    "\"{qquote}?\" asked {p}.",
    "\"{quote}. {quote},\" said {p}.",
    "{newp} was blunter: \"{quote}.\"",
    "\"{quote},\" {P} said at the {weekday} meeting.",
];

const QUESTIONS: &[&str] = &[
    "Who will pay for {obj2} once {funding} runs out?",
    "What happens to {group} on {street} if {cond}?",
    "Will {group} in {town} actually {benefit}?",
    "How did {town} end up spending {money} on {obj2}?",
    "And what about the {group} who live near {landmark}?",
    "Is spending {money} on {obj2} really the best choice for {town}?",
];

const HEADLINES: &[&str] = &[
    "{hsub} {hverb} {money} {hnoun}",
    "{hsub} {hverb} {hnoun} after {adj} hearing",
    "{town} {hnoun} faces {hdelay}",
    "{group} push back on {town} {hnoun}",
    "{hsub} to vote {weekday} on {hnoun}",
    "{town} {hnoun} approved despite objections from {group}",
    "What the {hnoun} vote means for {group} in {town}",
    "{surname} says {town} {hnoun} will {benefit}",
    "{town} {hnoun} could cost {group} {money}",
    "{hnoun} plan for {street} divides {town}",
    "{hsub} {hverb} {hnoun} in {vote} vote",
    "Why {group} in {town} are {emotion} about the {hnoun}",
];

const SUBHEADS: &[&str] = &[
    "What it means for {group} in {town}",
    "Questions about {thing} on {street}",
    "{surname}'s {view}",
    "Why {group} on {street} are {emotion}",
    "How {town2} handled {thing}",
    "Looking ahead to {futyear} in {town}",
    "The {money} question",
    "Who pays for {thing}?",
    "A long history at {landmark}",
    "Inside the {weekday} vote on {thing}",
    "What {town2} learned about {thing}",
    "Next steps for {group} in {town}",
    "Not the first fight over {thing}",
    "Voices from {street}",
    "{surname} and the critics",
];

const CAPTIONS: &[&str] = &[
    "{pname} speaks during a meeting at {landmark} on {weekday}.",
    "Residents gather outside {landmark} in {town} on {weekday}.",
    "Crews work along {street} near {landmark} earlier this {season}.",
    "{pname} stands near {landmark} in {town}.",
    "A view of {street} in {town}, where {obj2} has been proposed.",
    "{group} listen during a public hearing at {landmark} in {town}.",
    "Traffic moves along {street} in {town} on {weekday} morning.",
];

/// Named word lists for `{slot}`s (see [`Vocab`]).
const LISTS: &[(&str, &[&str])] = &[
    (
        "adj",
        &[
            "long-delayed",
            "contentious",
            "marathon",
            "heated",
            "closely watched",
            "sparsely attended",
            "emotional",
            "hastily called",
            "four-hour",
        ],
    ),
    (
        "emotion",
        &[
            "frustrated",
            "hopeful",
            "worried",
            "angry",
            "skeptical",
            "relieved",
            "divided",
        ],
    ),
    (
        "view",
        &[
            "case for change",
            "warning",
            "long view",
            "pitch to voters",
            "second thoughts",
            "bet on {town}",
        ],
    ),
    (
        "thing",
        &[
            "road repairs",
            "child care",
            "public safety",
            "the parks",
            "housing costs",
            "mental health services",
            "the library budget",
            "snow removal",
            "broadband",
            "parking",
            "property taxes",
            "the water system",
            "traffic",
            "the schools",
        ],
    ),
    (
        "dir",
        &[
            "north",
            "south",
            "east",
            "west",
            "northeast",
            "northwest",
            "southeast",
            "southwest",
        ],
    ),
    (
        "season",
        &["spring", "summer", "fall", "winter", "month", "week"],
    ),
    (
        "shop",
        &[
            "bakery",
            "hardware store",
            "barbershop",
            "coffee shop",
            "bookstore",
            "flower shop",
            "diner",
            "bike shop",
            "laundromat",
            "tailor shop",
        ],
    ),
    (
        "hverb",
        &[
            "approves", "rejects", "delays", "weighs", "backs", "advances", "scraps", "revives",
            "OKs", "tables",
        ],
    ),
    (
        "hdelay",
        &[
            "new delay",
            "lawsuit",
            "{money} shortfall",
            "questions from {group}",
            "state review",
            "another setback",
        ],
    ),
    (
        "cons",
        &[
            "a decision that could reshape {thing} in {town} for years",
            "setting up a fight with {group} over {thing}",
            "the first such move in {county} since {year}",
            "clearing the way for work to begin {when}",
            "over the objections of several {group}",
            "a step supporters said was long overdue",
            "after {num} residents signed up to speak",
            "leaving {group} to wonder what comes next",
        ],
    ),
    (
        "concern",
        &[
            "the cost will fall on {group}",
            "{group} were not consulted",
            "the plan does too little about {thing}",
            "traffic on {street} will get worse",
            "the {money} estimate is too low",
            "the timeline is unrealistic",
            "small businesses on {street} will suffer",
            "the money could be better spent on {thing}",
            "nobody has asked {group} what they need",
        ],
    ),
    (
        "benefit",
        &[
            "save {group} money",
            "cut wait times at {landmark}",
            "bring {num} jobs to {town}",
            "make {street} safer",
            "ease crowding at {landmark}",
            "help {group} stay in {town}",
            "fix problems with {thing}",
        ],
    ),
    (
        "funding",
        &[
            "a state grant",
            "a federal infrastructure grant",
            "a voter-approved sales tax",
            "reserves set aside in {ryear}",
            "a bond measure",
            "private donations",
            "fees paid by {group}",
            "a settlement with {company}",
        ],
    ),
    (
        "doc",
        &[
            "a staff report",
            "budget documents",
            "a memo to {inst2}",
            "figures released {past}",
            "records obtained by {paper}",
            "an analysis by {univ}",
            "a consultant's report",
        ],
    ),
    (
        "when",
        &[
            "next spring",
            "by the end of the year",
            "in {month}",
            "early next year",
            "within {num2} weeks",
            "before the summer",
            "later this fall",
            "in {month} {futyear}",
        ],
    ),
    (
        "past",
        &[
            "last year",
            "in {ryear}",
            "two years ago",
            "during the pandemic",
            "last spring",
            "in {month} {ryear}",
            "a decade ago",
        ],
    ),
    (
        "next_step",
        &[
            "hold another public hearing",
            "publish a detailed plan",
            "seek bids from contractors",
            "ask voters to weigh in",
            "apply for state money",
            "hire an outside consultant",
            "revisit the question",
            "meet with {group}",
        ],
    ),
    (
        "evidence",
        &[
            "a {year} study showing that {finding}",
            "data from {county} showing that {finding}",
            "the experience of {town2}, where {past_result}",
            "complaints from {group} on {street}",
        ],
    ),
    (
        "finding",
        &[
            "{pct} percent of {group} had {experience}",
            "costs had risen {pct} percent since {year}",
            "use of {landmark} had doubled in {num2} years",
            "{group} waited an average of {num} days for help",
            "fewer than half of {group} knew about {obj2}",
        ],
    ),
    (
        "experience",
        &[
            "considered leaving {town}",
            "missed a payment in the past year",
            "never been asked for their opinion",
            "seen their costs rise sharply",
            "struggled to pay for {thing}",
        ],
    ),
    (
        "past_result",
        &[
            "the program was quietly abandoned {num2} years later",
            "costs ended up nearly double the estimate",
            "officials there now call it a success",
            "a lawsuit tied it up for years",
            "use rose by {pct} percent",
            "{group} there say it made little difference",
        ],
    ),
    (
        "past_event",
        &[
            "a flood damaged much of {landmark}",
            "the last major employer on {street} closed",
            "voters rejected a similar measure by {num} votes",
            "a fire destroyed the old building on {street}",
            "the state took over the {town2} water system",
        ],
    ),
    (
        "memory",
        &[
            "how long the recovery took",
            "the empty storefronts that followed",
            "the fight over that vote",
            "the months of boil-water notices",
            "who was left to pay for it",
        ],
    ),
    (
        "indirect",
        &[
            "the community deserved better answers about {thing}",
            "nothing about {obj2} was final",
            "{inst} had listened to {group}",
            "the cost estimate had been checked twice",
            "it was too early to say what would happen to {group}",
            "the plan would be revisited if {cond}",
            "{group} on {street} had been ignored for too long",
        ],
    ),
    (
        "cond",
        &[
            "costs rise",
            "the grant falls through",
            "enrollment keeps dropping",
            "the state changes its rules",
            "{group} do not sign up",
            "the numbers do not add up",
            "construction prices keep climbing",
        ],
    ),
    (
        "question_clause",
        &[
            "the plan could still change",
            "{group} would be compensated",
            "the money was already spent",
            "the vote was rushed",
            "{inst2} had been consulted",
            "{obj2} would be next",
        ],
    ),
    (
        "expect",
        &[
            "see the first changes on {street}",
            "receive letters explaining the new rules",
            "be able to comment online",
            "notice fewer delays at {landmark}",
        ],
    ),
    (
        "drop_reason",
        &[
            "a lawsuit from {group}",
            "costs ballooned to {money}",
            "a failed vote in {year}",
            "the recession",
            "objections from {group} on {street}",
        ],
    ),
    (
        "neighbor_action",
        &[
            "approved a similar plan in {year}",
            "has struggled with the same problem for years",
            "is watching the outcome closely",
            "rejected the idea after {drop_reason}",
        ],
    ),
    (
        "surveyor",
        &[
            "the {county} Chamber of Commerce",
            "a local nonprofit",
            "{univ}",
            "{inst2}",
            "a polling firm hired by {inst}",
        ],
    ),
    (
        "quote",
        &[
            "We {qverb} {qobj}, and {qclause}",
            "This is {qjudge} for {group} in {town}",
            "I have lived in {town} for {num} years and I have never seen anything like {qthing}",
            "Nobody here wants to {qact}, but {qclause}",
            "If we {qcond}, {group} will {qres}",
            "It is not perfect, but {qclause}",
            "People in {town} deserve {qdeserve}",
            "We are going to keep {qcont} until {qend}",
            "My {relative} {qstory}",
            "There is still a lot of work to do on {obj2}, and {qclause}",
            "I understand why {group} are upset, but {qclause}",
            "We spent {num} months on this and {qclause}",
            "Honestly, {qclause}",
            "The {thing} problem in this town goes back to {year}, and {qclause}",
            "You cannot ask {group} to {qact} and then {qact}",
            "I told {inst2} {past} that {qclause}",
        ],
    ),
    (
        "qquote",
        &[
            "Who is going to pay for {obj2}",
            "Where was this plan when {past_event}",
            "Why should {group} on {street} trust {inst} now",
            "What are we supposed to tell {group} in {town}",
            "Has anyone here actually been to {landmark} lately",
        ],
    ),
    (
        "qclause",
        &[
            "that is a conversation {group} need to be part of",
            "nobody has explained where the {money} is coming from",
            "the people who will pay for it were not in the room",
            "we owe it to {group} to get this right",
            "the old way was not working for {group}",
            "we should have done this {past}",
            "{thing} is not going to fix itself",
            "{town2} figured this out years ago",
            "I am not going to apologize for asking about {thing}",
            "every month we wait costs {group} more",
            "nobody on {street} asked for this",
            "my phone has not stopped ringing since {weekday}",
            "we have been talking about {thing} since {year}",
            "the state is not going to bail out {town}",
            "this is what {group} told us they wanted",
            "I have never seen {group} this {emotion}",
        ],
    ),
    (
        "qverb",
        &[
            "heard from",
            "listened to",
            "owe it to",
            "talked to",
            "built this plan with",
            "spent months with",
            "knocked on doors for",
        ],
    ),
    (
        "qobj",
        &[
            "{group}",
            "every neighborhood in {town}",
            "the people on {street}",
            "families across {county}",
            "{group} in {town2}",
        ],
    ),
    (
        "qjudge",
        &[
            "a big day",
            "a real step forward",
            "a mistake",
            "long overdue",
            "a disaster waiting to happen",
            "the best deal we could get",
            "a turning point",
            "a slap in the face",
        ],
    ),
    (
        "qact",
        &[
            "raise taxes",
            "close anything",
            "slow this down",
            "wait another year",
            "spend {money} on a study",
            "pick winners and losers",
            "start over",
        ],
    ),
    (
        "qcond",
        &[
            "wait another year",
            "do nothing",
            "get this wrong",
            "lose the grant",
            "keep putting this off",
            "ignore {street}",
        ],
    ),
    (
        "qres",
        &[
            "pay the price",
            "leave {town}",
            "notice the difference",
            "end up paying more",
            "lose trust in this process",
            "remember it at the ballot box",
        ],
    ),
    (
        "qdeserve",
        &[
            "a straight answer",
            "better than this",
            "to know where the money is going",
            "a seat at the table",
            "safe streets",
            "a say in {obj2}",
        ],
    ),
    (
        "qcont",
        &[
            "asking questions",
            "showing up at these meetings",
            "pushing",
            "working with {group}",
            "calling {inst2}",
        ],
    ),
    (
        "qend",
        &[
            "we get answers",
            "the job is done",
            "{street} is fixed",
            "every family in {town} has what it needs",
            "someone takes responsibility",
        ],
    ),
    (
        "relative",
        &[
            "grandmother",
            "father",
            "neighbor",
            "daughter",
            "late husband",
            "oldest son",
            "mother",
        ],
    ),
    (
        "qstory",
        &[
            "worked at {landmark} for {num} years",
            "moved here in {year} because of {thing}",
            "has been waiting for {obj2} since {year}",
            "still talks about the time {past_event}",
        ],
    ),
    (
        "qthing",
        &[
            "{obj2}",
            "this meeting",
            "what happened on {street}",
            "the crowd at {landmark}",
        ],
    ),
    // Local topics.
    (
        "company",
        &[
            "{surname} & Sons",
            "Tidewater Foods",
            "Kessel Manufacturing",
            "Bright Harvest Grocers",
            "Northline Logistics",
            "Cobalt Packaging",
            "Riverbend Brewing Co.",
            "Ironclad Tool Works",
            "Prairie Mutual Insurance",
            "Silverline Software",
        ],
    ),
    (
        "builder",
        &[
            "Tidewater Residential",
            "Keystone Builders",
            "Harborline Development",
            "Greystone Partners",
            "Summit Ridge Homes",
            "Ironwood Properties",
            "Bluestem Communities",
            "Lakeshore Living",
        ],
    ),
    (
        "civic_plan",
        &[
            "merge the fire departments of {town} and {town2}",
            "move city hall to {landmark}",
            "hire {num} more police officers",
            "put a sales tax increase on the {month} ballot",
            "sell the old public works yard on {street}",
            "replace every streetlight in {town} with LEDs",
            "pave {num} miles of gravel roads",
        ],
    ),
    (
        "budget_detail",
        &[
            "trims spending on {thing}",
            "adds {num} positions",
            "leaves {thing} untouched",
            "draws down reserves for the first time since {year}",
        ],
    ),
    (
        "fee",
        &[
            "water rates",
            "trash collection fees",
            "the property tax levy",
            "parking meter rates",
            "sewer fees",
        ],
    ),
    (
        "civic_rule",
        &[
            "short-term rentals",
            "food trucks on {street}",
            "leaf blowers",
            "backyard chickens",
            "sidewalk cafes",
            "fireworks",
        ],
    ),
    (
        "school_plan",
        &[
            "close {num2} elementary schools",
            "move the high school start time to {school_time}",
            "hire {num} more bus drivers",
            "end the gifted program at {town2} Middle School",
            "merge the middle schools in {town} and {town2}",
            "add a full-day kindergarten program",
        ],
    ),
    (
        "school_project",
        &[
            "a new high school on {street}",
            "repairs at {town2} Elementary",
            "air conditioning in every classroom",
            "a career and technical center near {landmark}",
        ],
    ),
    (
        "school_rule",
        &[
            "cellphones in class",
            "homework in the early grades",
            "out-of-district transfers",
            "library book challenges",
        ],
    ),
    (
        "school_time",
        &["8:45 a.m.", "9 a.m.", "8:30 a.m.", "8:50 a.m."],
    ),
    (
        "school_request",
        &[
            "smaller classes",
            "more counselors",
            "new textbooks",
            "a working heating system",
            "more reading specialists",
        ],
    ),
    (
        "route",
        &[
            "the {street} bridge",
            "Route {num}",
            "the {town2} exit ramp",
            "the downtown transit center",
        ],
    ),
    (
        "rent",
        &[
            "$1,150", "$1,275", "$1,340", "$1,425", "$1,590", "$1,650", "$1,780", "$1,920",
            "$2,050", "$2,240",
        ],
    ),
    (
        "police_policy",
        &[
            "body cameras",
            "vehicle pursuits",
            "mental health calls",
            "drone use",
            "facial recognition",
        ],
    ),
    (
        "incident",
        &[
            "a warehouse fire on {street}",
            "a string of car break-ins near {landmark}",
            "a crash that killed two people on Route {num}",
            "the theft of copper wire from {landmark}",
            "a shooting outside a bar on {street}",
        ],
    ),
    (
        "service",
        &[
            "a maternity ward",
            "a cardiac unit",
            "a trauma center",
            "round-the-clock pediatric care",
        ],
    ),
    (
        "river",
        &[
            "Kettle River",
            "Millrace Creek",
            "Sauk River",
            "Blackwater Creek",
            "Little Fox River",
            "Cedar Creek",
            "Otter Creek",
            "Silver Lake",
        ],
    ),
    (
        "pesticide",
        &[
            "neonicotinoid pesticides",
            "gas-powered leaf blowers",
            "single-use plastic bags",
            "burning yard waste",
        ],
    ),
    (
        "species",
        &[
            "brook trout",
            "salmon",
            "monarch butterfly",
            "bald eagle",
            "freshwater mussel",
            "prairie chicken",
        ],
    ),
    (
        "mascot",
        &[
            "Falcons",
            "Wildcats",
            "Rivermen",
            "Hornets",
            "Eagles",
            "Panthers",
            "Bulldogs",
            "Lumberjacks",
            "Pioneers",
            "Mustangs",
            "Otters",
            "Comets",
        ],
    ),
    (
        "position",
        &[
            "guard",
            "goalkeeper",
            "pitcher",
            "quarterback",
            "striker",
            "forward",
            "catcher",
            "midfielder",
            "point guard",
        ],
    ),
    (
        "score",
        &[
            "3-1", "2-0", "56-49", "21-14", "4-3", "7-6", "68-61", "35-28", "1-0", "10-7",
        ],
    ),
    (
        "won_phrase",
        &[
            "reached the state semifinals",
            "clinched the conference title",
            "kept its unbeaten season alive",
            "won its first playoff game since {year}",
        ],
    ),
    (
        "exhibit",
        &[
            "the {river} logging era",
            "the town's first Black-owned businesses",
            "immigrant farm families",
            "the {year} flood",
            "women who worked at the paper mill",
        ],
    ),
    // Wire topics.
    (
        "wire_issue",
        &[
            "methane emissions",
            "deforestation",
            "ocean shipping fuel",
            "climate finance",
            "coal subsidies",
        ],
    ),
    (
        "disaster",
        &[
            "floods",
            "drought",
            "rising seas",
            "wildfires",
            "tropical storms",
        ],
    ),
    ("emission", &["methane", "carbon emissions", "black carbon"]),
    (
        "fuel",
        &[
            "coal power",
            "gas boilers",
            "diesel trucks",
            "fossil fuel subsidies",
        ],
    ),
    (
        "commodity",
        &[
            "steel",
            "rice",
            "electric vehicles",
            "solar panels",
            "coffee",
            "lithium",
            "fertilizer",
            "semiconductors",
            "palm oil",
            "cocoa",
        ],
    ),
    (
        "disease",
        &[
            "cholera",
            "measles",
            "dengue fever",
            "polio",
            "malaria",
            "mpox",
            "tuberculosis",
        ],
    ),
    (
        "supply",
        &[
            "oral rehydration salts",
            "vaccines",
            "test kits",
            "antibiotics",
            "bed nets",
        ],
    ),
    (
        "wire_reform",
        &[
            "term limits",
            "campaign finance",
            "press freedom",
            "judicial appointments",
            "regional autonomy",
        ],
    ),
];

const CIVIC: Topic = Topic {
    sections: &["Local", "Politics", "News"],
    insts: &[
        "the {town} City Council",
        "the {county} Board of Commissioners",
        "the {town} Board of Selectmen",
        "the {town} City Commission",
        "the {county} Board of Supervisors",
    ],
    roles: &[
        "a council member",
        "the city manager",
        "the finance director",
        "the mayor",
        "a county commissioner",
        "the public works director",
        "the city attorney",
        "a budget analyst for the city",
        "the council president",
    ],
    objs: &[
        "a {money} budget that {budget_detail}",
        "a plan to {civic_plan}",
        "a {pct} percent increase in {fee}",
        "the {money} renovation of {landmark}",
        "new rules for {civic_rule}",
        "a proposal to {civic_plan}",
    ],
    actions: &[
        "approved",
        "rejected",
        "voted to delay",
        "postponed a vote on",
        "narrowly approved",
        "unanimously approved",
        "endorsed",
        "signed off on",
    ],
    groups: &[
        "residents",
        "homeowners",
        "renters",
        "small-business owners",
        "retirees",
        "neighbors",
        "taxpayers",
        "city employees",
    ],
    hsubs: &[
        "{town} council",
        "{county} commission",
        "City",
        "{town} select board",
        "Council",
    ],
    hnouns: &[
        "budget",
        "road plan",
        "pool repairs",
        "tax hike",
        "rental rules",
        "parking overhaul",
        "fire station plan",
        "streetlight swap",
        "water rate increase",
        "city hall move",
    ],
    heads: &[],
    leads: &[],
    extra: &[
        "The vote was {vote}, with {P} casting the deciding vote on {obj2}.",
        "Several speakers at the {weekday} hearing, including {newp} asked {inst} to put the question to voters instead.",
        "{inst} will hold a second public hearing on {obj2} at {landmark} on {weekday}, {month} {day}.",
        "The proposal came out of a {num}-member task force on {thing} led by {p}.",
        "{P} said the city had deferred {money} in maintenance at {landmark} since {year}.",
        "Council members spent nearly an hour debating whether {concern}, and {P} said the question was fair.",
    ],
};

const SCHOOLS: Topic = Topic {
    sections: &["Education", "Local", "Schools"],
    insts: &[
        "the {town} School Board",
        "the {county} Board of Education",
        "the {town} Unified School District",
        "the state education department",
    ],
    roles: &[
        "a school board member",
        "the district superintendent",
        "a third-grade teacher at {town} Elementary",
        "the teachers union president",
        "the district's chief financial officer",
        "a parent who leads the {town} PTA",
        "the principal of {town} High School",
    ],
    objs: &[
        "a plan to {school_plan}",
        "the {money} bond measure for {school_project}",
        "a four-day school week starting in {futyear}",
        "new limits on {school_rule}",
        "a {pct} percent raise for teachers",
    ],
    actions: &[
        "approved",
        "rejected",
        "voted to delay",
        "postponed a vote on",
        "narrowly approved",
        "unanimously approved",
        "endorsed",
    ],
    groups: &[
        "parents",
        "teachers",
        "students",
        "bus drivers",
        "principals",
        "families",
        "school staff",
    ],
    hsubs: &[
        "School board",
        "{town} school board",
        "{county} district",
        "District",
    ],
    hnouns: &[
        "school closures",
        "bond measure",
        "four-day week",
        "phone ban",
        "teacher raises",
        "start times",
        "bus routes",
        "kindergarten plan",
    ],
    heads: &[],
    leads: &[],
    extra: &[
        "Enrollment in {town} schools has fallen by {pct} percent since {year}, {P} said.",
        "{P} said teachers at {town2} Elementary had been asking for {school_request} for years.",
        "Students from {town} High School, including {newp} spoke during the public comment period.",
        "The district would need to hire {num} more staff members to make {obj2} work, {P} said.",
        "{newp} said the change would mean rearranging work schedules for half the families on {street}.",
    ],
};

const TRANSIT: Topic = Topic {
    sections: &["Local", "Transportation", "News"],
    insts: &[
        "{town} Transit",
        "the {county} Transportation Board",
        "the state Department of Transportation",
        "the {town} Regional Transit Authority",
    ],
    roles: &[
        "the transit director",
        "a bus driver for {num} years",
        "a member of the transportation board",
        "the agency's planning manager",
        "a spokesperson for the state Department of Transportation",
        "a bike commuter who sits on the city's traffic commission",
    ],
    objs: &[
        "a fare-free bus pilot",
        "the {money} rebuild of {street}",
        "a plan to add bike lanes on {street}",
        "new express service between {town} and {town2}",
        "a {money} contract for electric buses",
        "the closure of {route} for repairs",
    ],
    actions: &[
        "approved",
        "rejected",
        "voted to delay",
        "postponed a vote on",
        "narrowly approved",
        "endorsed",
        "signed off on",
    ],
    groups: &[
        "riders",
        "commuters",
        "drivers",
        "cyclists",
        "bus riders",
        "residents along {street}",
    ],
    hsubs: &[
        "{town} Transit",
        "DOT",
        "Transit board",
        "{county} planners",
    ],
    hnouns: &[
        "fare-free buses",
        "bike lanes",
        "bridge rebuild",
        "express route",
        "electric buses",
        "road diet",
        "bus shelters",
        "parking plan",
    ],
    heads: &[],
    leads: &[],
    extra: &[
        "Ridership on Route {num} has recovered to about {pct} percent of its {year} level, {P} said.",
        "Buses on {street} run every {num} minutes at peak hours, and {group} have long complained about {thing}.",
        "{newp} said the ride from {town2} to {landmark} now takes more than an hour.",
        "The agency expects construction on {street} to close {num2} lanes for most of {month}, {P} said.",
    ],
};

const HOUSING: Topic = Topic {
    sections: &["Real Estate", "Local", "Business"],
    insts: &[
        "the {town} Planning Commission",
        "the {town} Housing Authority",
        "the {county} zoning board",
        "the {town} Redevelopment Agency",
    ],
    roles: &[
        "a planning commissioner",
        "the city's housing director",
        "a developer based in {town2}",
        "a tenant organizer",
        "a real estate agent in {town}",
        "a partner at {builder}",
    ],
    objs: &[
        "a {num}-unit apartment building on {street}",
        "new rules for short-term rentals",
        "a {money} plan to turn {landmark} into housing",
        "a cap on rent increases",
        "a plan for {num} townhouses near {landmark}",
        "an accessory dwelling unit ordinance",
    ],
    actions: &[
        "approved",
        "rejected",
        "voted to delay",
        "postponed a vote on",
        "narrowly approved",
        "unanimously approved",
        "signed off on",
    ],
    groups: &[
        "renters",
        "homeowners",
        "landlords",
        "neighbors",
        "first-time buyers",
        "tenants on {street}",
    ],
    hsubs: &[
        "Planning board",
        "{town} commission",
        "Housing board",
        "Zoning board",
    ],
    hnouns: &[
        "apartment plan",
        "rent cap",
        "townhouse project",
        "rental rules",
        "housing tower",
        "zoning change",
        "tiny home village",
    ],
    heads: &[],
    leads: &[],
    extra: &[
        "The median rent for a one-bedroom apartment in {town} reached {rent} a month last year, {P} said.",
        "{builder} expects to break ground {when} if {inst2} signs off, {P} said.",
        "{newp} said three neighbors had moved to {town2} in the past year alone.",
        "The project includes {num} parking spaces, fewer than {inst} usually requires, and {group} on {street} worry about {thing}.",
    ],
};

const POLICE: Topic = Topic {
    sections: &["Crime", "Public Safety", "Local", "Courts"],
    insts: &[
        "the {county} Sheriff's Office",
        "the {town} Police Department",
        "the {county} District Attorney's Office",
        "the {town} Fire Department",
    ],
    roles: &[
        "the police chief",
        "a sheriff's spokesperson",
        "the district attorney",
        "a defense lawyer in {town}",
        "a detective with the department",
        "the fire marshal",
        "a neighbor who called 911",
    ],
    objs: &[
        "charges against a {age}-year-old {town} man",
        "a new policy on {police_policy}",
        "an investigation into {incident}",
        "plans to add {num} patrol officers",
        "a lawsuit over {incident}",
    ],
    actions: &[
        "announced",
        "defended",
        "expanded",
        "released details of",
        "confirmed",
        "revised",
    ],
    groups: &[
        "residents",
        "business owners",
        "officers",
        "victims' families",
        "neighbors",
        "witnesses",
    ],
    hsubs: &[
        "Police department",
        "Sheriff",
        "DA's office",
        "{town} police chief",
        "Fire department",
    ],
    hnouns: &[
        "arson case",
        "pursuit policy",
        "break-ins",
        "body camera rules",
        "fatal crash",
        "copper thefts",
        "patrol plan",
    ],
    heads: &[],
    leads: &[],
    extra: &[
        "Court records show the suspect arrested on {street} was released on {money} bail and is due back in court {when}.",
        "Officers were called to {street} shortly after {time} on {weekday}, {P} said.",
        "{newp} said the block around {landmark} had been quiet until {past}.",
        "The investigation is continuing, and {inst} asked anyone with information about {incident} to call the tip line.",
    ],
};

const BUSINESS: Topic = Topic {
    sections: &["Business", "Economy", "Local"],
    insts: &[
        "{company}",
        "the {town} Chamber of Commerce",
        "the {county} Economic Development Council",
    ],
    roles: &[
        "the company's chief executive",
        "a shift supervisor at the plant",
        "the chamber's president",
        "an economist at {univ}",
        "a union steward",
        "the owner of a {shop} on {street}",
    ],
    objs: &[
        "plans to open a {num}-worker distribution center near {landmark}",
        "the closure of its {town} plant",
        "a {money} expansion on {street}",
        "a new hiring program for {group}",
        "plans to move its headquarters to {town2}",
    ],
    actions: &[
        "announced",
        "confirmed",
        "unveiled",
        "scrapped",
        "delayed",
        "finalized",
    ],
    groups: &[
        "workers",
        "shoppers",
        "shop owners",
        "employees",
        "suppliers",
        "job seekers",
    ],
    hsubs: &["{company}", "Chamber", "{town} employer"],
    hnouns: &[
        "plant closure",
        "warehouse plan",
        "expansion",
        "layoffs",
        "headquarters move",
        "hiring push",
        "store opening",
    ],
    heads: &[],
    leads: &[],
    extra: &[
        "The company employs about {num} people in {county}, and {P} said none would lose their jobs this year.",
        "Unemployment in {county} stood at about {num2} percent in {month}, {P} said.",
        "{newp} said business on {street} had dropped by a third since {past}.",
        "{company} has operated in {town} since {year}, and {P} said {indirect}.",
    ],
};

const HEALTH: Topic = Topic {
    sections: &["Health", "Local", "News"],
    insts: &[
        "{town} Regional Medical Center",
        "the {county} Health Department",
        "{town} Community Clinic",
        "the state health department",
    ],
    roles: &[
        "the hospital's chief medical officer",
        "a nurse at the hospital",
        "the county health officer",
        "an epidemiologist at {univ}",
        "a family physician in {town}",
        "a patient advocate",
    ],
    objs: &[
        "a new urgent care clinic on {street}",
        "plans to close the maternity ward",
        "a measles vaccination drive at {landmark}",
        "a {money} cancer center",
        "free blood pressure screenings for {group}",
    ],
    actions: &[
        "announced",
        "approved",
        "expanded",
        "delayed",
        "defended",
        "launched",
    ],
    groups: &[
        "patients",
        "nurses",
        "doctors",
        "expectant mothers",
        "older residents",
        "uninsured families",
    ],
    hsubs: &[
        "Hospital",
        "Health department",
        "{county} health board",
        "Clinic",
    ],
    hnouns: &[
        "maternity ward",
        "clinic",
        "vaccine drive",
        "cancer center",
        "ER wait times",
        "nurse shortage",
    ],
    heads: &[],
    leads: &[],
    extra: &[
        "The nearest hospital with {service} is in {town2}, about {num} minutes away by car, {P} said.",
        "{newp} said the wait for a first appointment had stretched to {num} days.",
        "The hospital treated {bignum} patients in its emergency room last year, according to {doc}.",
        "{P} said staffing at {inst} had not recovered since {past}.",
    ],
};

const ENVIRONMENT: Topic = Topic {
    sections: &["Environment", "Weather", "Local", "Science"],
    insts: &[
        "the {county} Water District",
        "the state Department of Natural Resources",
        "the {town} Parks Department",
        "the {county} Soil and Water Conservation District",
    ],
    roles: &[
        "the district's general manager",
        "a hydrologist at {univ}",
        "a farmer who irrigates {num} acres",
        "the parks director",
        "a volunteer with the {river} Watershed Council",
        "a state wildlife biologist",
    ],
    objs: &[
        "a {money} project to restore wetlands along the {river}",
        "new limits on lawn watering",
        "a solar farm on {num} acres near {landmark}",
        "a plan to remove the dam on the {river}",
        "a ban on {pesticide}",
    ],
    actions: &[
        "approved",
        "rejected",
        "voted to delay",
        "postponed a vote on",
        "endorsed",
        "signed off on",
    ],
    groups: &[
        "farmers",
        "anglers",
        "homeowners",
        "hikers",
        "residents near the {river}",
        "conservation groups",
    ],
    hsubs: &[
        "Water district",
        "DNR",
        "{county} conservation board",
        "Parks board",
    ],
    hnouns: &[
        "dam removal",
        "watering limits",
        "solar farm",
        "wetland project",
        "bag ban",
        "drought plan",
    ],
    heads: &[],
    leads: &[],
    extra: &[
        "Rainfall in {county} has been {pct} percent below normal since {month}, according to {P}.",
        "The {species} population along the {river} has dropped sharply since {year}, {P} said.",
        "{newp} said the creek behind the houses on {street} had run dry for the first time in memory.",
        "{P} said {inst} had measured record temperatures at {landmark} in {month}.",
    ],
};

const SPORTS: Topic = Topic {
    sections: &["Sports", "High School Sports", "Prep Sports"],
    insts: &[
        "the {town} {mascot}",
        "{town} High School",
        "the state athletic association",
        "the {town} Parks and Recreation Department",
    ],
    roles: &[
        "the head coach",
        "the athletic director",
        "a senior {position}",
        "a junior {position}",
        "the team's longtime scorekeeper",
        "a parent who has not missed a game since {year}",
    ],
    objs: &[
        "the program's first state title since {year}",
        "a {money} renovation of the stadium",
        "a new coach for the {mascot}",
        "a plan to add girls wrestling",
        "the move to a new conference in {futyear}",
    ],
    actions: &[
        "celebrated",
        "announced",
        "confirmed",
        "approved",
        "finalized",
    ],
    groups: &[
        "players", "fans", "parents", "coaches", "seniors", "boosters",
    ],
    hsubs: &["Athletic department", "{town}", "{town} High"],
    hnouns: &[
        "title run",
        "stadium plan",
        "coaching search",
        "playoff win",
        "rivalry game",
        "season opener",
    ],
    heads: &[
        "{mascot} beat {town2} {score} to reach the state semifinals",
        "{surname} leads {mascot} past {town2} in {adj} finish",
        "{town} names {pname} head coach of the {mascot}",
        "{mascot} rally late to stun {town2}",
    ],
    leads: &[
        "{town} High School {won_phrase} on {weekday}, beating {town2} {score} in front of about {bignum} fans at {landmark}.",
        "{P} scored with {num2} minutes left as {town} {won_phrase} against {town2} on {weekday}.",
    ],
    extra: &[
        "{P} scored twice in the final {num2} minutes, and the {mascot} held on from there.",
        "The {mascot} trailed {score} at halftime before {P} changed the game.",
        "{town2} had won the previous {num2} meetings between the schools, {P} said.",
        "{newp} said the crowd at {landmark} was the biggest the program had drawn since {year}.",
    ],
};

const CULTURE: Topic = Topic {
    sections: &["Arts", "Entertainment", "Things To Do", "Local"],
    insts: &[
        "the {town} Arts Council",
        "the {town} Public Library",
        "the {county} Historical Society",
        "the {town} Symphony",
        "the {town} Film Society",
    ],
    roles: &[
        "the festival director",
        "a muralist from {town2}",
        "the library director",
        "a volunteer docent",
        "the symphony's music director",
        "a local historian",
    ],
    objs: &[
        "a mural festival on {street}",
        "the restoration of the {year} opera house",
        "a new exhibit on {exhibit}",
        "a summer concert series at {landmark}",
        "a {money} fundraising campaign for {landmark}",
    ],
    actions: &["announced", "unveiled", "approved", "launched", "postponed"],
    groups: &[
        "artists",
        "musicians",
        "volunteers",
        "visitors",
        "library patrons",
        "history buffs",
    ],
    hsubs: &["Arts council", "Library", "Historical society", "Symphony"],
    hnouns: &[
        "mural festival",
        "opera house",
        "concert series",
        "exhibit",
        "book sale",
        "film series",
    ],
    heads: &[],
    leads: &[],
    extra: &[
        "{newp} said the first rehearsal at {landmark} drew more people than expected.",
        "{P} spent {num2} years collecting photographs for the exhibit on {exhibit}.",
        "Admission is free for {group}, and the event runs through {month} {day} at {landmark}, {P} said.",
        "The {year} building on {street} has been empty since {past}, {P} said.",
    ],
};

const CLIMATE: Topic = Topic {
    sections: &["World", "Climate", "Nation & World"],
    insts: &[
        "a bloc of {num} countries",
        "the United Nations climate agency",
        "the European Commission",
        "a summit of environment ministers in {town}",
        "the government of {county}",
    ],
    roles: &[
        "a climate negotiator from {county}",
        "the country's environment minister",
        "an analyst at a {town}-based think tank",
        "a spokesperson for the United Nations",
        "a researcher at {univ}",
    ],
    objs: &[
        "a draft agreement on {wire_issue}",
        "a {money} fund for countries hit by {disaster}",
        "new targets for cutting {emission}",
        "a plan to phase out {fuel} by {futyear}",
    ],
    actions: &[
        "agreed on",
        "rejected",
        "endorsed",
        "delayed a decision on",
        "unveiled",
        "criticized",
    ],
    groups: &[
        "delegates",
        "island nations",
        "environmental groups",
        "energy companies",
        "farmers",
        "coastal communities",
    ],
    hsubs: &["Climate summit", "UN", "EU", "{county}"],
    hnouns: &[
        "climate deal",
        "methane pledge",
        "finance fund",
        "coal phaseout",
        "forest accord",
        "emissions target",
    ],
    heads: &[],
    leads: &[],
    extra: &[
        "Delegates in {town} worked through the night, and {P} said the final text was still being revised at dawn.",
        "{county} has already seen {num} major floods since {year}, according to {P}.",
        "Activists rallied outside {landmark}, and {newp} said the talks were moving far too slowly.",
    ],
};

const TRADE: Topic = Topic {
    sections: &["World", "Business", "Economy"],
    insts: &[
        "a group of trade ministers from {num} countries",
        "the World Trade Organization",
        "the government of {county}",
        "the International Monetary Fund",
        "the central bank of {county}",
    ],
    roles: &[
        "the country's trade minister",
        "an economist at {univ}",
        "a spokesperson for the finance ministry",
        "the head of an exporters' association in {town}",
        "a currency strategist in {town2}",
    ],
    objs: &[
        "new tariffs on {commodity}",
        "a trade pact covering {commodity}",
        "a {money} loan to {county}",
        "an interest rate increase of half a percentage point",
        "export limits on {commodity}",
    ],
    actions: &[
        "announced",
        "approved",
        "criticized",
        "delayed",
        "signed",
        "welcomed",
    ],
    groups: &[
        "exporters",
        "farmers",
        "factory workers",
        "importers",
        "consumers",
        "investors",
    ],
    hsubs: &["Trade bloc", "{county}", "IMF", "Central bank"],
    hnouns: &[
        "tariffs",
        "trade pact",
        "rate hike",
        "export curbs",
        "bailout",
        "currency slide",
    ],
    heads: &[],
    leads: &[],
    extra: &[
        "Exports of {commodity} from {county} fell {pct} percent last year, {P} said.",
        "Markets in {town} reacted calmly, and {P} said investors had expected {obj2}.",
        "{newp} said prices for {commodity} had doubled at the market near {landmark}.",
    ],
};

const GLOBAL_HEALTH: Topic = Topic {
    sections: &["World", "Health"],
    insts: &[
        "the World Health Organization",
        "the health ministry of {county}",
        "the main aid coalition in {town}",
        "the regional health authority",
    ],
    roles: &[
        "the country's health minister",
        "an epidemiologist at {univ}",
        "a doctor at the main hospital in {town}",
        "a spokesperson for the World Health Organization",
        "the head of an aid group in {town2}",
    ],
    objs: &[
        "a vaccination campaign against {disease}",
        "emergency funding to fight {disease}",
        "new travel screening for {disease}",
        "a {money} plan to train {bignum} nurses",
    ],
    actions: &[
        "launched",
        "announced",
        "expanded",
        "approved",
        "defended",
        "delayed",
    ],
    groups: &[
        "health workers",
        "families",
        "aid workers",
        "patients",
        "travelers",
        "villagers",
    ],
    hsubs: &["WHO", "Health ministry", "{county}", "Aid coalition"],
    hnouns: &[
        "cholera outbreak",
        "vaccine drive",
        "measles cases",
        "malaria plan",
        "nurse training",
    ],
    heads: &[],
    leads: &[],
    extra: &[
        "More than {bignum} cases have been reported in {county} since {month}, according to {P}.",
        "Clinics in {town2} have run short of {supply}, {P} said.",
        "{newp} said the nearest clinic was a {num}-kilometer walk from the village.",
    ],
};

const ELECTIONS: Topic = Topic {
    sections: &["World", "Politics"],
    insts: &[
        "the electoral commission of {county}",
        "the parliament of {county}",
        "the ruling coalition",
        "the opposition alliance",
        "the constitutional court",
    ],
    roles: &[
        "the opposition leader",
        "the prime minister's spokesperson",
        "a political scientist at {univ}",
        "an election observer from {town2}",
        "a member of parliament from {town}",
    ],
    objs: &[
        "a snap election in {month}",
        "a constitutional amendment on {wire_reform}",
        "the results of the {weekday} vote",
        "a plan to lower the voting age to 16",
        "new rules on {wire_reform}",
    ],
    actions: &[
        "announced",
        "rejected",
        "approved",
        "challenged",
        "certified",
        "postponed",
    ],
    groups: &[
        "voters",
        "opposition supporters",
        "election observers",
        "students",
        "rural voters",
        "lawmakers",
    ],
    hsubs: &["Opposition", "Parliament", "{county}", "Court"],
    hnouns: &[
        "snap election",
        "term limits",
        "vote count",
        "coalition talks",
        "reform bill",
    ],
    heads: &[],
    leads: &[],
    extra: &[
        "Turnout reached {pct} percent, according to {P}, the highest since {year}.",
        "Thousands of {group} gathered near {landmark} on {weekday} night, and {P} said the mood was tense.",
        "{newp} said the line at the polling station on {street} stretched around the block.",
    ],
};

const LOCAL_TOPICS: &[&Topic] = &[
    &CIVIC,
    &SCHOOLS,
    &TRANSIT,
    &HOUSING,
    &POLICE,
    &BUSINESS,
    &HEALTH,
    &ENVIRONMENT,
    &SPORTS,
    &CULTURE,
];

const WIRE_TOPICS: &[&Topic] = &[&CLIMATE, &TRADE, &GLOBAL_HEALTH, &ELECTIONS];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashMap, HashSet};

    fn options(dir: &Path, format: CorpusFormat) -> CorpusOptions {
        CorpusOptions {
            sites: 4,
            pages: 40,
            format,
            dup_rate: 0.15,
            recrawl_rate: 0.25,
            syndication: 6,
            seed: 7,
            out: dir.join("crawl"),
            truth: Some(dir.join("truth.jsonl")),
        }
    }

    /// Every file below `root`, in walk order (each folder's entries sorted by name).
    fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
        fn walk(dir: &Path, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
            let mut entries: Vec<_> = fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            for path in entries {
                let name = path.file_name().unwrap().to_str().unwrap().to_string();
                let rel = if prefix.is_empty() {
                    name
                } else {
                    format!("{prefix}/{name}")
                };
                if path.is_dir() {
                    walk(&path, &rel, out);
                } else {
                    out.push((rel, fs::read(&path).unwrap()));
                }
            }
        }
        let mut out = Vec::new();
        walk(root, "", &mut out);
        out
    }

    fn truth(opts: &CorpusOptions) -> Vec<serde_json::Value> {
        let text = fs::read_to_string(opts.truth.as_ref().unwrap()).unwrap();
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn strings(v: &serde_json::Value) -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    }

    fn run(format: CorpusFormat) -> (tempfile::TempDir, CorpusOptions, CorpusSummary) {
        let dir = tempfile::tempdir().unwrap();
        let opts = options(dir.path(), format);
        let summary = generate(&opts).unwrap();
        (dir, opts, summary)
    }

    #[test]
    fn same_options_give_the_same_bytes() {
        for format in [CorpusFormat::Text, CorpusFormat::Html] {
            let (_a, oa, sa) = run(format);
            let (_b, ob, sb) = run(format);
            assert_eq!(sa, sb);
            assert_eq!(files(&oa.out), files(&ob.out));
            assert_eq!(
                fs::read(oa.truth.as_ref().unwrap()).unwrap(),
                fs::read(ob.truth.as_ref().unwrap()).unwrap()
            );
            let dir = tempfile::tempdir().unwrap();
            let mut other = options(dir.path(), format);
            other.seed = 8;
            generate(&other).unwrap();
            assert_ne!(files(&oa.out), files(&other.out));
        }
    }

    #[test]
    fn summary_and_truth_match_the_files() {
        for format in [CorpusFormat::Text, CorpusFormat::Html] {
            let (_d, opts, s) = run(format);
            let on_disk = files(&opts.out);
            assert_eq!(s.files, on_disk.len() as u64);
            assert_eq!(
                s.bytes,
                on_disk.iter().map(|(_, b)| b.len() as u64).sum::<u64>()
            );
            assert_eq!(s.pages, (opts.sites * opts.pages) as u64);
            assert_eq!(
                s.files,
                s.pages + s.exact_copies + s.recrawls + s.syndicated_copies
            );
            assert!(s.exact_copies > 0 && s.recrawls > 0 && s.syndicated_copies >= 12);
            let recs = truth(&opts);
            let paths: Vec<&str> = recs.iter().map(|r| r["path"].as_str().unwrap()).collect();
            let disk: Vec<&str> = on_disk.iter().map(|(p, _)| p.as_str()).collect();
            assert_eq!(paths, disk, "truth is in walk order, one record per file");
            let mut sorted = paths.clone();
            sorted.sort();
            assert_eq!(paths, sorted, "walk order is plain sorted path order");
            let mut kinds: BTreeMap<&str, u64> = BTreeMap::new();
            for r in &recs {
                *kinds.entry(r["kind"].as_str().unwrap()).or_default() += 1;
            }
            assert_eq!(kinds["ordinary"], s.pages);
            assert_eq!(kinds["exact-copy"], s.exact_copies);
            assert_eq!(
                kinds.get("recrawl-furniture").copied().unwrap_or(0)
                    + kinds.get("recrawl-edit").copied().unwrap_or(0),
                s.recrawls
            );
            assert_eq!(kinds["wire"], s.syndicated_copies);
            let ext = format.extension();
            assert!(paths.iter().all(|p| p.ends_with(ext)));
        }
    }

    #[test]
    fn copies_and_recrawls_relate_to_their_originals() {
        let (_d, opts, _) = run(CorpusFormat::Text);
        let on_disk: HashMap<String, Vec<u8>> = files(&opts.out).into_iter().collect();
        let recs = truth(&opts);
        let by_path: HashMap<&str, &serde_json::Value> = recs
            .iter()
            .map(|r| (r["path"].as_str().unwrap(), r))
            .collect();
        let (mut furniture, mut edits) = (0, 0);
        for r in &recs {
            let kind = r["kind"].as_str().unwrap();
            let path = r["path"].as_str().unwrap();
            if matches!(kind, "ordinary" | "wire") {
                assert!(r["of"].is_null());
                continue;
            }
            let of = r["of"].as_str().unwrap();
            let orig = by_path[of];
            assert_eq!(orig["kind"], "ordinary");
            assert_eq!(orig["story"], r["story"]);
            let (a, b) = (
                strings(&r["article_lines"]),
                strings(&orig["article_lines"]),
            );
            match kind {
                "exact-copy" => assert_eq!(on_disk[path], on_disk[of]),
                "recrawl-furniture" => {
                    furniture += 1;
                    assert_eq!(a, b);
                    assert_ne!(on_disk[path], on_disk[of]);
                }
                "recrawl-edit" => {
                    edits += 1;
                    assert_eq!(a.len(), b.len());
                    let changed = a.iter().zip(&b).filter(|(x, y)| x != y).count();
                    assert_eq!(changed, 1, "{path}");
                }
                other => panic!("unexpected kind {other}"),
            }
        }
        assert!(furniture > 0 && edits > 0);
    }

    #[test]
    fn wire_copies_share_every_body_paragraph() {
        for format in [CorpusFormat::Text, CorpusFormat::Html] {
            let (_d, opts, _) = run(format);
            let mut stories: BTreeMap<String, Vec<(String, Vec<String>)>> = BTreeMap::new();
            for r in truth(&opts).iter().filter(|r| r["kind"] == "wire") {
                stories
                    .entry(r["story"].as_str().unwrap().to_string())
                    .or_default()
                    .push((
                        r["path"].as_str().unwrap().to_string(),
                        strings(&r["article_lines"]),
                    ));
            }
            assert_eq!(stories.len(), opts.syndication);
            for copies in stories.values() {
                assert!(copies.len() >= 2);
                let sites: HashSet<&str> = copies
                    .iter()
                    .map(|(p, _)| p.split('/').next().unwrap())
                    .collect();
                assert_eq!(sites.len(), copies.len(), "one copy per site");
                let body = &copies[0].1[1..];
                assert!(body[0].contains(") \u{2014} "), "dateline: {}", body[0]);
                for (_, lines) in copies {
                    assert_eq!(&lines[1..], body);
                }
            }
        }
    }

    #[test]
    fn text_truth_lines_are_the_lines_of_the_file() {
        let (_d, opts, _) = run(CorpusFormat::Text);
        let on_disk: HashMap<String, Vec<u8>> = files(&opts.out).into_iter().collect();
        for r in truth(&opts) {
            let text = String::from_utf8(on_disk[r["path"].as_str().unwrap()].clone()).unwrap();
            let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
            let article = strings(&r["article_lines"]);
            let template = strings(&r["template_lines"]);
            assert_eq!(article.len() + template.len(), lines.len());
            // Both lists are the file's lines, in order, split by role.
            let (mut a, mut t) = (0, 0);
            for line in &lines {
                if a < article.len() && *line == article[a] {
                    a += 1;
                } else {
                    assert_eq!(*line, template[t]);
                    t += 1;
                }
            }
            assert_eq!((a, t), (article.len(), template.len()));
        }
    }

    #[test]
    fn html_truth_lines_are_the_article_blocks() {
        let (_d, opts, _) = run(CorpusFormat::Html);
        let on_disk: HashMap<String, Vec<u8>> = files(&opts.out).into_iter().collect();
        let h1 = scraper::Selector::parse("article h1").unwrap();
        let blocks = scraper::Selector::parse(
            ".story-body > p:not(.read-more), .story-body > h2, \
             .entry-content > p:not(.read-more), .entry-content > h2, \
             .article__body > p:not(.read-more), .article__body > h2",
        )
        .unwrap();
        let canonical = scraper::Selector::parse("link[rel=canonical]").unwrap();
        for r in truth(&opts) {
            let path = r["path"].as_str().unwrap();
            let html = String::from_utf8(on_disk[path].clone()).unwrap();
            let doc = scraper::Html::parse_document(&html);
            let mut found: Vec<String> = doc.select(&h1).map(|e| e.text().collect()).collect();
            found.extend(doc.select(&blocks).map(|e| e.text().collect::<String>()));
            assert_eq!(found, strings(&r["article_lines"]), "{path}");
            let url = doc.select(&canonical).next().unwrap().attr("href").unwrap();
            let site = path.split('/').next().unwrap();
            assert!(url.starts_with(&format!("https://www.{}.example/", site.replace('-', ""))));
        }
    }

    #[test]
    fn paragraphs_are_unique_while_furniture_repeats() {
        let dir = tempfile::tempdir().unwrap();
        let mut opts = options(dir.path(), CorpusFormat::Text);
        opts.sites = 2;
        opts.pages = 150;
        generate(&opts).unwrap();
        let recs = truth(&opts);
        let normalize = |s: &str| -> String {
            s.to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_digit() { '0' } else { c })
                .collect()
        };
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut furniture: HashMap<(String, String), usize> = HashMap::new();
        let mut per_site: HashMap<String, usize> = HashMap::new();
        for r in recs.iter().filter(|r| r["kind"] == "ordinary") {
            let story = r["story"].as_str().unwrap().to_string();
            let site = story.split('/').next().unwrap().to_string();
            *per_site.entry(site.clone()).or_default() += 1;
            for line in strings(&r["article_lines"]).iter().skip(1) {
                if count_words(line) < 12 {
                    continue; // a subhead
                }
                if let Some(other) = seen.insert(normalize(line), story.clone()) {
                    assert_eq!(other, story, "paragraph repeated: {line}");
                }
            }
            let distinct: HashSet<String> = strings(&r["template_lines"]).into_iter().collect();
            for line in distinct {
                *furniture.entry((site.clone(), line)).or_default() += 1;
            }
        }
        for (site, pages) in per_site {
            let everywhere = furniture
                .iter()
                .filter(|((s, _), n)| *s == site && **n == pages)
                .count();
            assert!(everywhere >= 5, "{site}: {everywhere} lines on every page");
        }
    }

    #[test]
    fn bodies_have_the_promised_shape() {
        let vocab = Vocab::new();
        let sites = build_sites(3, 2);
        let mut total = 0;
        let n = 300;
        for j in 0..n {
            let mut rng = Rng::derive(3, &[K_ART, 0, j]);
            let topic = LOCAL_TOPICS[rng.below(LOCAL_TOPICS.len())];
            let mut ctx = Ctx::new(&vocab, topic, &sites[0].place, &mut rng);
            let blocks = ctx.body(&mut rng, None);
            let paragraphs: Vec<&str> = blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Paragraph(p) => Some(p.as_str()),
                    Block::Subhead(_) => None,
                })
                .collect();
            assert!((6..=20).contains(&paragraphs.len()));
            for p in paragraphs {
                let w = count_words(p);
                assert!((15..=60).contains(&w), "{w} words: {p}");
                assert!(!p.contains('{') && !p.contains('}'), "{p}");
                total += w;
            }
        }
        let mean = total / n as usize;
        assert!((480..=720).contains(&mean), "mean {mean} words");
    }

    #[test]
    fn bad_options_are_usage_errors() {
        let dir = tempfile::tempdir().unwrap();
        let base = options(dir.path(), CorpusFormat::Text);
        let mut cases = Vec::new();
        let mut o = base.clone();
        o.truth = Some(base.out.join("truth.jsonl"));
        cases.push(o);
        let mut o = base.clone();
        o.truth = Some(base.out.join("sub/../../crawl/t.jsonl"));
        cases.push(o);
        let mut o = base.clone();
        o.dup_rate = 1.5;
        cases.push(o);
        let mut o = base.clone();
        o.recrawl_rate = f64::NAN;
        cases.push(o);
        let mut o = base.clone();
        o.sites = 1;
        cases.push(o);
        let mut o = base.clone();
        o.sites = 0;
        cases.push(o);
        for o in cases {
            assert!(matches!(generate(&o), Err(Error::Usage(_))), "{o:?}");
        }
        fs::create_dir_all(base.out.join("x")).unwrap();
        assert!(matches!(generate(&base), Err(Error::Usage(_))));
        // An empty existing folder is fine.
        fs::remove_dir(base.out.join("x")).unwrap();
        generate(&base).unwrap();
    }

    #[test]
    fn articles_before_vowel_numbers() {
        for (from, to) in [
            ("a 8-unit building", "an 8-unit building"),
            ("A 11 percent raise", "An 11 percent raise"),
            ("a 18,000-seat arena", "an 18,000-seat arena"),
            ("a 80-year-old", "an 80-year-old"),
            ("a 1,800-seat hall", "a 1,800-seat hall"),
            (
                "a 180-day wait and a 5 percent cut",
                "a 180-day wait and a 5 percent cut",
            ),
            ("Vega 8 and a 11-hour day", "Vega 8 and an 11-hour day"),
        ] {
            let mut s = from.to_string();
            fix_articles(&mut s, 0);
            if from.starts_with('A') {
                // Capital `A` is only produced by capitalization afterwards.
                assert_eq!(s, from);
                let mut lower = from.to_lowercase();
                fix_articles(&mut lower, 0);
                assert_eq!(lower, to.to_lowercase());
            } else {
                assert_eq!(s, to);
            }
        }
    }
}
