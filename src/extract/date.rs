//! Calendar dates written in a page: `2025-09-04`, `2025/09/04`, `September 4, 2025`,
//! `Sept. 4th 2025`, `4 September 2025`, `4. September 2025`, `09/04/2025`, `04.09.2025`, with
//! month names in English, German, French and Spanish.
//!
//! [`find`] gives the first date in a text as ISO 8601 (`YYYY-MM-DD`); [`normalize`] turns a
//! date value from metadata into ISO 8601, keeping a value that already is one.
//! Numeric dates with slashes are read month first unless the first number cannot be a month;
//! with dots, day first (the European way).

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    year: u16,
    month: u8,
    day: u8,
}

impl Day {
    fn new(year: u32, month: u32, day: u32) -> Option<Day> {
        let days = match month {
            2 if year.is_multiple_of(4)
                && (!year.is_multiple_of(100) || year.is_multiple_of(400)) =>
            {
                29
            }
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            1..=12 => 31,
            _ => return None,
        };
        ((1990..=2100).contains(&year) && (1..=days).contains(&day)).then_some(Day {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The same numbers read the other way round (`03/10` as 3 October instead of 10 March),
    /// when both readings are dates.
    pub fn swapped(self) -> Option<Day> {
        (self.day != self.month)
            .then(|| Day::new(self.year.into(), self.day.into(), self.month.into()))
            .flatten()
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("sept", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
];

/// The month a word names: a full name, or an English three-letter abbreviation (`Sep`, `Sept`).
fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    if let Some(&(_, m)) = MONTHS.iter().find(|(name, _)| *name == w) {
        return Some(m);
    }
    (w.len() == 3)
        .then(|| {
            MONTHS[..13]
                .iter()
                .find(|(name, _)| name.starts_with(&w))
                .map(|&(_, m)| m)
        })
        .flatten()
}

/// Whether a word names a month (`May`, `Sept.`, `März`).
pub fn is_month(word: &str) -> bool {
    month(word).is_some()
}

/// A token of a text: a run of digits, a run of letters, or one other character.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Token<'a> {
    Number(&'a str),
    Word(&'a str),
    Mark(char),
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let same: fn(char) -> bool = if c.is_ascii_digit() {
            |c| c.is_ascii_digit()
        } else if c.is_alphabetic() {
            char::is_alphabetic
        } else {
            if !c.is_whitespace() {
                out.push(Token::Mark(c));
            }
            continue;
        };
        let mut end = start + c.len_utf8();
        while let Some(&(i, n)) = chars.peek() {
            if !same(n) {
                break;
            }
            end = i + n.len_utf8();
            chars.next();
        }
        let s = &text[start..end];
        out.push(if c.is_ascii_digit() {
            Token::Number(s)
        } else {
            Token::Word(s)
        });
    }
    out
}

fn num(t: Option<&Token<'_>>, len: std::ops::RangeInclusive<usize>) -> Option<u32> {
    match t {
        Some(Token::Number(s)) if len.contains(&s.len()) => s.parse().ok(),
        _ => None,
    }
}

/// An English ordinal suffix (`4th`) or the dot of a German ordinal (`4.`), to step over.
fn skip_ordinal(tokens: &[Token<'_>], i: usize) -> usize {
    match tokens.get(i) {
        Some(Token::Word(w)) if matches!(*w, "st" | "nd" | "rd" | "th") => i + 1,
        Some(Token::Mark('.')) => i + 1,
        _ => i,
    }
}

/// The date that starts at token `i`, if one does.
fn date_at(t: &[Token<'_>], i: usize) -> Option<Day> {
    match t[i] {
        Token::Number(first) if first.len() == 4 => {
            // 2025-09-04, 2025/09/04, 2025.09.04
            let sep = t.get(i + 1)?;
            let Token::Mark(c @ ('-' | '/' | '.')) = *sep else {
                return None;
            };
            let m = num(t.get(i + 2), 1..=2)?;
            (t.get(i + 3) == Some(&Token::Mark(c))).then_some(())?;
            let d = num(t.get(i + 4), 1..=2)?;
            Day::new(first.parse().ok()?, m, d)
        }
        Token::Number(first) if first.len() <= 2 => {
            let a: u32 = first.parse().ok()?;
            // 09/04/2025, 04.09.2025, 4-9-2025
            if let Some(Token::Mark(c @ ('/' | '.' | '-'))) = t.get(i + 1).copied()
                && let Some(b) = num(t.get(i + 2), 1..=2)
                && t.get(i + 3) == Some(&Token::Mark(c))
                && let Some(y) = num(t.get(i + 4), 4..=4)
            {
                let day_first = c == '.' || a > 12;
                let (d, m) = if day_first { (a, b) } else { (b, a) };
                return Day::new(y, m, d);
            }
            // 4 September 2025, 4th of September, 2025, 4. September 2025
            let mut j = skip_ordinal(t, i + 1);
            if t.get(j) == Some(&Token::Word("of")) {
                j += 1;
            }
            let Some(Token::Word(w)) = t.get(j) else {
                return None;
            };
            let m = month(w)?;
            j += 1;
            while matches!(t.get(j), Some(Token::Mark('.' | ','))) {
                j += 1;
            }
            Day::new(num(t.get(j), 4..=4)?, m, a)
        }
        Token::Word(w) => {
            // September 4, 2025, Sept. 4th 2025
            let m = month(w)?;
            let mut j = i + 1;
            if t.get(j) == Some(&Token::Mark('.')) {
                j += 1;
            }
            let d = num(t.get(j), 1..=2)?;
            j = skip_ordinal(t, j + 1);
            while matches!(t.get(j), Some(Token::Mark(','))) {
                j += 1;
            }
            Day::new(num(t.get(j), 4..=4)?, m, d)
        }
        _ => None,
    }
}

/// The first calendar date written in a text.
pub fn find(text: &str) -> Option<Day> {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = tokens(text);
    (0..t.len()).find_map(|i| date_at(&t, i))
}

/// A date value from metadata in ISO 8601: kept as it is when it already starts with
/// `YYYY-MM-DD` (a time and zone may follow), else the first date found in it as `YYYY-MM-DD`;
/// `None` if it holds no date.
pub fn normalize(value: &str) -> Option<String> {
    let value = value.trim();
    let b = value.as_bytes();
    let iso = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && b.get(10).is_none_or(|c| matches!(c, b'T' | b' ' | b't'));
    if iso && find(&value[..10]).is_some() {
        return Some(value.to_owned());
    }
    find(value).map(Day::iso)
}

/// A date in a URL path: `/2025/09/04/` or `/2025-09-04-…`.
pub fn in_url(url: &str) -> Option<Day> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = &path[path.find('/')?..];
    let parts: Vec<&str> = path.split('/').collect();
    for w in parts.windows(3) {
        // `/2025/09/04/` or `/2025/september/04/`.
        let named = (w[1].len() > 2).then(|| month(w[1])).flatten();
        if let (Ok(y), Some(m), Ok(d)) = (
            w[0].parse(),
            named.or_else(|| w[1].parse().ok()),
            w[2].get(..2).unwrap_or("").parse(),
        ) && w[0].len() == 4
            && (w[1].len() == 2 || named.is_some())
            && let Some(day) = Day::new(y, m, d)
        {
            return Some(day);
        }
    }
    parts.iter().find_map(|p| {
        (p.len() >= 10 && p.as_bytes()[4] == b'-')
            .then(|| p.get(..10).and_then(find))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> Option<String> {
        find(text).map(Day::iso)
    }

    #[test]
    fn written_dates_are_read() {
        assert_eq!(
            iso("Updated on July 9, 2025").as_deref(),
            Some("2025-07-09")
        );
        assert_eq!(iso("Sept. 4th 2025").as_deref(), Some("2025-09-04"));
        assert_eq!(
            iso("Posted 4 Sep 2025 by Ana").as_deref(),
            Some("2025-09-04")
        );
        assert_eq!(iso("am 4. März 2025").as_deref(), Some("2025-03-04"));
        assert_eq!(iso("le 12 décembre 2024").as_deref(), Some("2024-12-12"));
        assert_eq!(
            iso("Thu, 09/25/2025 - 11:38").as_deref(),
            Some("2025-09-25")
        );
        assert_eq!(iso("13/11/2025 09:21").as_deref(), Some("2025-11-13"));
        assert_eq!(iso("23.07.2025").as_deref(), Some("2025-07-23"));
        assert_eq!(iso("2025/12/18").as_deref(), Some("2025-12-18"));
        assert_eq!(iso("Dec 17, 20256 min read"), None);
        assert_eq!(iso("In 2025, 40 percent"), None);
        assert_eq!(iso("February 30, 2025"), None);
        assert_eq!(iso("May I say 3 things"), None);
    }

    #[test]
    fn metadata_values_become_iso() {
        assert_eq!(
            normalize("2025-01-29T20:47:55+00:00").as_deref(),
            Some("2025-01-29T20:47:55+00:00")
        );
        assert_eq!(normalize("Feb 08, 2022").as_deref(), Some("2022-02-08"));
        assert_eq!(normalize("yesterday"), None);
    }

    #[test]
    fn dates_in_urls() {
        let day = |u: &str| in_url(u).map(Day::iso);
        assert_eq!(
            day("https://x.example/2025/09/04/top-trends/").as_deref(),
            Some("2025-09-04")
        );
        assert_eq!(
            day("https://x.example/news/2024-03-01-storm").as_deref(),
            Some("2024-03-01")
        );
        assert_eq!(
            day("https://x.example/blog/2023/october/03/wine").as_deref(),
            Some("2023-10-03")
        );
        assert_eq!(day("https://x.example/p/2025"), None);
        // A path part whose tenth byte is inside a character (found by fuzzing).
        assert_eq!(day("https://x.example/hfbo-rea\u{fffd}d"), None);
    }
}
