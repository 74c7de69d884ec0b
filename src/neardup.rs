//! Near-duplicate documents: the same story syndicated to several sites, or crawled twice with a
//! paragraph changed.
//!
//! Each document gets a MinHash [`Signature`] over the 5-word shingles of its prose: the lines of
//! twelve words or more that the extractor did not already drop, lowercased, so the template
//! around a story (menus, footers, short furniture) hardly counts. Two documents whose estimated
//! Jaccard similarity of shingles is at least [`THRESHOLD`] are near-duplicates; near-duplicates
//! form clusters (the transitive closure). Documents with fewer than [`MIN_SHINGLES`] shingles
//! get no signature and are never clustered.
//!
//! The signature is computed by one-permutation hashing: each shingle is hashed once, the hash's
//! top six bits choose one of 64 bins and the rest is kept if it is the bin's minimum; empty bins
//! (rare for documents long enough to compare) borrow the value of the next non-empty bin, with
//! the distance mixed in, so two documents agree on a borrowed bin only when they agree on its
//! source. This estimates Jaccard similarity as well as 64 independent hash functions at a
//! sixty-fourth of the cost.
//!
//! Candidates are found by locality-sensitive hashing: the 64 minima are cut into 32 bands of 2
//! ([`band_key`]); documents that agree on a whole band are candidates, and a candidate is
//! checked with the full signature ([`is_near`]). A pair at similarity 0.6 is found with
//! probability above 0.999; unrelated articles share almost no 5-word shingles, so they rarely
//! become candidates at all, and are rejected when they do. (Copies of a story in different
//! templates measure 0.7 to 0.9: the template's own long lines dilute the shingles; a re-crawl
//! with one of ten paragraphs rewritten measures about 0.8.) Clustering itself is a decision of
//! [`crate::dedup`].

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

/// Minima per signature.
pub const HASHES: usize = 64;
/// Bands for locality-sensitive hashing.
pub const BANDS: usize = 32;
const ROWS: usize = HASHES / BANDS;
/// Words per shingle.
pub const SHINGLE: usize = 5;
/// Estimated Jaccard similarity at or above which two documents are near-duplicates.
pub const THRESHOLD: f64 = 0.6;
/// Documents with fewer shingles than this are too short to compare.
pub const MIN_SHINGLES: usize = 8;
/// Lines with fewer words than this are not prose for the signature.
const PROSE_WORDS: usize = 12;

/// A MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature(pub Vec<u32>);

pub(crate) fn mix(mut x: u64) -> u64 {
    // SplitMix64's finalizer.
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The signature of a document given its lines, or `None` if it has too little prose.
pub fn signature<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<Signature> {
    let mut words: Vec<u64> = Vec::new();
    let mut lower = String::new();
    let mut lower_ascii: Vec<u8> = Vec::new();
    for line in lines {
        if line.split_whitespace().count() < PROSE_WORDS {
            continue;
        }
        if line.is_ascii() {
            // The same words and hashes, without asking Unicode's tables.
            for word in line.as_bytes().split(|b| !b.is_ascii_alphanumeric()) {
                if !word.is_empty() {
                    lower_ascii.clear();
                    lower_ascii.extend_from_slice(word);
                    lower_ascii.make_ascii_lowercase();
                    words.push(xxh3_64(&lower_ascii));
                }
            }
            continue;
        }
        for word in line.split(|c: char| !c.is_alphanumeric()) {
            if word.is_empty() {
                continue;
            }
            lower.clear();
            if word.is_ascii() {
                lower.push_str(word);
                lower.make_ascii_lowercase();
            } else {
                lower.extend(word.chars().flat_map(char::to_lowercase));
            }
            words.push(xxh3_64(lower.as_bytes()));
        }
    }
    if words.len() < SHINGLE + MIN_SHINGLES - 1 {
        return None;
    }
    const EMPTY: u64 = u64::MAX;
    let mut bins = [EMPTY; HASHES];
    for window in words.windows(SHINGLE) {
        let mut h = 0x243f_6a88_85a3_08d3u64;
        for &w in window {
            h = mix(h ^ w);
        }
        let bin = (h >> 58) as usize;
        let value = h & ((1 << 58) - 1);
        if value < bins[bin] {
            bins[bin] = value;
        }
    }
    let mut minima = vec![0u32; HASHES];
    for (i, slot) in minima.iter_mut().enumerate() {
        let (mut j, mut distance) = (i, 0u64);
        while bins[j] == EMPTY {
            j = (j + 1) % HASHES;
            distance += 1;
        }
        *slot = (mix(bins[j] ^ distance.wrapping_mul(0x9e37_79b9_7f4a_7c15)) >> 32) as u32;
    }
    Some(Signature(minima))
}

/// The estimated Jaccard similarity of two signatures: the share of equal minima.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    let same = a.0.iter().zip(&b.0).filter(|(x, y)| x == y).count();
    same as f64 / HASHES as f64
}

/// The key of band `band` (0-based) of a signature: documents with the same key in a band are
/// candidates. (Written into scanned rows as `bands`, so a driver need not compute it.)
pub fn band_key(sig: &Signature, band: usize) -> u64 {
    let mut key = (band as u64) << 56;
    for &r in &sig.0[band * ROWS..(band + 1) * ROWS] {
        key = mix(key ^ u64::from(r));
    }
    key
}

/// The keys of all bands of a signature.
pub fn band_keys(sig: &Signature) -> Vec<u64> {
    (0..BANDS).map(|b| band_key(sig, b)).collect()
}

/// The number of equal minima of two signatures (0 to [`HASHES`]).
pub fn same_minima(a: &Signature, b: &Signature) -> usize {
    a.0.iter().zip(&b.0).filter(|(x, y)| x == y).count()
}

/// Whether two signatures are near-duplicates: similarity at least [`THRESHOLD`], that is at
/// least 39 of the 64 minima equal.
pub fn is_near(a: &Signature, b: &Signature) -> bool {
    similarity(a, b) >= THRESHOLD
}

/// The similarity written into records: the share of equal minima, rounded to two decimals.
pub fn rounded_similarity(same: usize) -> f64 {
    (same as f64 / HASHES as f64 * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(words: usize, seed: u64) -> Vec<String> {
        // Distinct pseudo-words so that different seeds share no shingles.
        let mut x = seed;
        let mut lines = Vec::new();
        let mut line = Vec::new();
        for _ in 0..words {
            x = mix(x.wrapping_add(1));
            line.push(format!("w{}", x % 5000));
            if line.len() == 20 {
                lines.push(line.join(" ") + ".");
                line.clear();
            }
        }
        lines
    }

    fn sig(lines: &[String]) -> Option<Signature> {
        signature(lines.iter().map(String::as_str))
    }

    #[test]
    fn copies_match_and_strangers_do_not() {
        let a = story(400, 1);
        let mut b = a.clone();
        b[3] = story(20, 99)[0].clone(); // one paragraph of twenty rewritten
        let mut c = a.clone();
        c.insert(0, "Home News Sport".into()); // different furniture, same prose
        let d = story(400, 2);
        let (sa, sb, sc, sd) = (
            sig(&a).unwrap(),
            sig(&b).unwrap(),
            sig(&c).unwrap(),
            sig(&d).unwrap(),
        );
        assert_eq!(similarity(&sa, &sc), 1.0);
        assert!(
            similarity(&sa, &sb) >= THRESHOLD,
            "{}",
            similarity(&sa, &sb)
        );
        assert!(similarity(&sa, &sd) < 0.2);
        assert!(is_near(&sa, &sb) && !is_near(&sa, &sd));
        assert_eq!(band_keys(&sa), band_keys(&sc));
        assert_eq!(rounded_similarity(same_minima(&sa, &sc)), 1.0);
    }

    #[test]
    fn short_documents_have_no_signature() {
        assert_eq!(signature(["A short line.", "Another one."]), None);
    }
}
