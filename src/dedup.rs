//! Stage 2: dedup — which documents are copies of which, decided from the rows alone.
//!
//! Three kinds of copies, each decided the same way: documents are taken in the run's order
//! (sorted paths, then file order inside containers) and the first one wins.
//!
//! - **exact** ([`FirstSeen`] on the SHA-256 of the bytes): a later document with the same bytes
//!   is folded into the first; it is not extracted, learned from or written.
//! - **near** ([`clusters`] over the [`Signature`]s of the documents left): documents whose
//!   estimated Jaccard similarity is at least [`neardup::THRESHOLD`] form clusters (the
//!   transitive closure). A cluster is one *unit* for learning, and each written member of a
//!   cluster of two or more gets a [`Near`] summary ([`near_of`]): the cluster's id and size, and
//!   its [`CLOSEST`] most similar members — not a link to every member, so a story carried by a
//!   thousand sites writes a few thousand links, not a million.
//! - **same-text** ([`FirstSeen`] on the record id, the SHA-256 of the clean text): after
//!   cleaning, a later document with the same clean text is folded into the first, with its own
//!   exact copies. Documents that clean to nothing are never same-text copies of each other.
//!
//! Clustering: the signature's 64 minima are cut into [`neardup::BANDS`] bands; for each band,
//! documents are grouped by the band's key ([`neardup::band_keys`]), each group's first document
//! is its anchor, and every other member is joined to the anchor when their similarity reaches
//! the threshold. Clusters are the connected components, named by their first document. The
//! bands are grouped by sorting, one band at a time, so memory is a few bytes per document beyond
//! the signatures.

use crate::digest::Sha256Digest;
use crate::neardup::{self, Signature};
use crate::record::{Near, NearMember};
use crate::source::SourcePath;
use rustc_hash::FxHashMap;

/// The most similar members listed in a record's [`Near`] summary.
pub const CLOSEST: usize = 3;

/// The first document seen with each digest.
#[derive(Debug, Default)]
pub struct FirstSeen {
    first: FxHashMap<Sha256Digest, u32>,
}

impl FirstSeen {
    /// Records that document `index` has `digest`. Returns the earlier document with the same
    /// digest, if there was one (and then `index` is its duplicate and is not recorded).
    pub fn insert(&mut self, digest: Sha256Digest, index: u32) -> Option<u32> {
        match self.first.entry(digest) {
            std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(index);
                None
            }
        }
    }
}

/// Clusters of near-duplicate documents.
#[derive(Debug, Clone, Default)]
pub struct Clusters {
    /// For each document, the first document of its cluster (itself if alone).
    first: Vec<u32>,
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let up = parent[parent[x as usize] as usize];
        parent[x as usize] = up;
        x = up;
    }
    x
}

/// Clusters documents by their signatures (index = document number, in the run's order); see
/// the module docs.
pub fn clusters(signatures: &[Option<Signature>]) -> Clusters {
    let n = signatures.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut band: Vec<(u64, u32)> = Vec::with_capacity(n);
    for b in 0..neardup::BANDS {
        band.clear();
        for (doc, sig) in signatures.iter().enumerate() {
            if let Some(sig) = sig {
                band.push((neardup::band_key(sig, b), doc as u32));
            }
        }
        band.sort_unstable();
        for group in band.chunk_by(|x, y| x.0 == y.0) {
            let anchor = group[0].1;
            for &(_, doc) in &group[1..] {
                let (a, b) = (find(&mut parent, anchor), find(&mut parent, doc));
                if a == b {
                    continue;
                }
                let (Some(sa), Some(sb)) =
                    (&signatures[anchor as usize], &signatures[doc as usize])
                else {
                    continue;
                };
                if neardup::is_near(sa, sb) {
                    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                    parent[hi as usize] = lo;
                }
            }
        }
    }
    let first = (0..n as u32).map(|d| find(&mut parent, d)).collect();
    Clusters { first }
}

impl Clusters {
    /// Every document alone (no near-duplicates).
    pub fn singletons(n: usize) -> Clusters {
        Clusters {
            first: (0..n as u32).collect(),
        }
    }

    /// The first document of `doc`'s cluster.
    pub fn first(&self, doc: usize) -> usize {
        self.first[doc] as usize
    }

    /// The clusters as lists of documents, each in order, ordered by their first document.
    pub fn units(&self) -> Vec<Vec<usize>> {
        let mut units: Vec<Vec<usize>> = Vec::new();
        let mut slot: FxHashMap<u32, usize> = FxHashMap::default();
        for (doc, &first) in self.first.iter().enumerate() {
            match slot.get(&first) {
                Some(&s) => units[s].push(doc),
                None => {
                    slot.insert(first, units.len());
                    units.push(vec![doc]);
                }
            }
        }
        units
    }

    /// The written members of every cluster with at least two of them, keyed by the cluster's
    /// first document; `written[doc]` says whether a document has a record.
    pub fn written_groups(&self, written: &[bool]) -> FxHashMap<usize, Vec<usize>> {
        let mut groups = FxHashMap::default();
        for unit in self.units() {
            let unit: Vec<usize> = unit.into_iter().filter(|&d| written[d]).collect();
            if unit.len() > 1 {
                groups.insert(self.first(unit[0]), unit);
            }
        }
        groups
    }
}

/// The near-duplicate summary of `doc`, a member of the written cluster `members` (in order):
/// the cluster's id (its first member's path) and size, and the [`CLOSEST`] other members by
/// similarity (ties: the earlier first). `names` and `signatures` are indexed by document.
pub fn near_of(
    doc: usize,
    members: &[usize],
    names: &[SourcePath],
    signatures: &[Option<Signature>],
) -> Near {
    let mut closest: Vec<(usize, usize)> = Vec::new();
    if let Some(own) = &signatures[doc] {
        for &other in members.iter().filter(|&&o| o != doc) {
            if let Some(theirs) = &signatures[other] {
                closest.push((neardup::same_minima(own, theirs), other));
            }
        }
    }
    closest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    closest.truncate(CLOSEST);
    Near {
        cluster: names[members[0]].text.clone(),
        size: members.len(),
        closest: closest
            .into_iter()
            .map(|(same, other)| NearMember {
                path: names[other].text.clone(),
                path_hex: names[other].hex.clone(),
                similarity: neardup::rounded_similarity(same),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::sha256;

    #[test]
    fn first_copy_wins() {
        let mut index = FirstSeen::default();
        assert_eq!(index.insert(sha256(b"a"), 0), None);
        assert_eq!(index.insert(sha256(b"b"), 1), None);
        assert_eq!(index.insert(sha256(b"a"), 2), Some(0));
    }

    fn story(words: usize, seed: u64) -> Vec<String> {
        // Distinct pseudo-words so that different seeds share no shingles.
        let mut lines = Vec::new();
        let mut line = Vec::new();
        for i in 0..words {
            let x = neardup::mix(seed.wrapping_mul(1_000_003).wrapping_add(i as u64));
            line.push(format!("w{}", x % 50_000));
            if line.len() == 20 {
                lines.push(line.join(" ") + ".");
                line.clear();
            }
        }
        lines
    }

    fn sig(lines: &[String]) -> Option<Signature> {
        neardup::signature(lines.iter().map(String::as_str))
    }

    #[test]
    fn copies_cluster_and_strangers_do_not() {
        let a = story(400, 1);
        let mut b = a.clone();
        b[3] = story(20, 99)[0].clone(); // one paragraph of twenty rewritten
        let mut c = a.clone();
        c.insert(0, "Home News Sport".into()); // different furniture, same prose
        let d = story(400, 2);
        let clusters = clusters(&[sig(&d), sig(&a), None, sig(&b), sig(&c)]);
        assert_eq!(clusters.units(), vec![vec![0], vec![1, 3, 4], vec![2]]);
        assert_eq!(clusters.first(4), 1);
    }

    #[test]
    fn a_big_cluster_lists_only_the_closest_members() {
        let base = story(400, 7);
        // Copy k has its first k paragraphs rewritten: copy 1 is closest to copy 0, and so on.
        let copies: Vec<Vec<String>> = (0..10)
            .map(|k| {
                let mut copy = base.clone();
                for line in copy.iter_mut().take(k / 3) {
                    *line = story(20, 1000 + k as u64)[0].clone();
                }
                copy
            })
            .collect();
        let signatures: Vec<Option<Signature>> = copies.iter().map(|c| sig(c)).collect();
        let clusters = clusters(&signatures);
        let written = vec![true; 10];
        let groups = clusters.written_groups(&written);
        let members = &groups[&0];
        assert_eq!(members.len(), 10);
        let names: Vec<SourcePath> = (0..10)
            .map(|i| SourcePath::new(std::path::Path::new(&format!("in/{i}.txt"))))
            .collect();
        let near = near_of(5, members, &names, &signatures);
        assert_eq!(near.cluster, "in/0.txt");
        assert_eq!(near.size, 10);
        assert_eq!(near.closest.len(), CLOSEST);
        assert!(near.closest.iter().all(|m| m.path != "in/5.txt"));
        let sims: Vec<f64> = near.closest.iter().map(|m| m.similarity).collect();
        assert!(sims.windows(2).all(|w| w[0] >= w[1]), "{sims:?}");
    }
}
