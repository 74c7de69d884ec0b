//! The learned line-frequency model: in how many different articles each line occurs, per site
//! and across sites.
//!
//! # What is counted
//! The unit of counting is a *unit*: one article. A document is a unit of its own unless it is a
//! near-duplicate of others (the same story syndicated to several sites, or crawled twice); then
//! the whole cluster of near-duplicates is one unit ([`crate::neardup`]). For every unit the model
//! adds one to
//! - the unit count of the whole model and of every site the unit appears on;
//! - for every distinct line key ([`crate::normalize`]) in the unit: the line's unit count;
//! - for every distinct (site, line key): the line's count on that site.
//!
//! So a wire story printed by thirty sites counts once, and teaches the model nothing about
//! furniture, while the thirty templates around it are still counted on their own sites.
//!
//! # Memory
//! Keys are 64-bit hashes, never strings. A line seen on one site (almost every line) costs one
//! entry of a hash map: an 8-byte key and a 12-byte value, about 24 bytes with the table's
//! overhead. A line seen on several sites also keeps a small list of (site, count) pairs. When the
//! table passes [`LineModel::prune_above`] entries, lines seen in a single unit are dropped. A
//! dropped line can only be under-counted later, so pruning can make the cleaner keep more, never
//! remove more.
//!
//! # Files
//! A model is saved as JSON with sorted keys and no whitespace variation, so the same counts give
//! the same bytes (and the same SHA-256, which records cite). Lines seen in a single unit are not
//! saved: they cannot reach any threshold alone, and they are most of a large crawl. Loading
//! checks the format name, the model [`VERSION`] and the normalization version and names the file
//! in every error. Models merge by adding counts.

use crate::error::{Error, Result};
use crate::normalize;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::Path;

/// The format name written into every model file.
pub const FORMAT: &str = "chaff-model";
/// The version of the model file layout and counting rules.
pub const VERSION: u32 = 1;

const MULTI: u32 = u32::MAX;

/// Adding counts would pass what a count can hold (2^32 - 1 units of a line, 2^64 - 1 units in
/// all): the model refuses rather than wrap or saturate, so a count never lies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("model counts overflow: {what} would pass {limit}")]
pub struct CountOverflow {
    /// Which count.
    pub what: &'static str,
    /// The largest value it can hold.
    pub limit: u64,
}

fn add_u32(a: u32, b: u32, what: &'static str) -> Result<u32, CountOverflow> {
    a.checked_add(b).ok_or(CountOverflow {
        what,
        limit: u32::MAX.into(),
    })
}

fn add_u64(a: u64, b: u64, what: &'static str) -> Result<u64, CountOverflow> {
    a.checked_add(b).ok_or(CountOverflow {
        what,
        limit: u64::MAX,
    })
}

/// Counts of one line.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Units containing the line.
    units: u32,
    /// The only site the line was seen on, or [`MULTI`].
    site: u32,
    /// Units of `site` containing the line (unused when `site == MULTI`).
    site_units: u32,
}

/// What the model knows about one line, as seen from one site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineStats {
    /// Units (articles) of the whole model containing the line.
    pub units: u32,
    /// Units of this site containing the line.
    pub site_units: u32,
    /// Sites on which the line was seen.
    pub sites: u32,
}

/// The model; see the module docs.
#[derive(Debug, Clone, Default)]
pub struct LineModel {
    units: u64,
    site_names: Vec<String>,
    site_index: FxHashMap<String, u32>,
    site_units: Vec<u64>,
    lines: FxHashMap<u64, Entry>,
    multi: FxHashMap<u64, Vec<(u32, u32)>>,
    /// When the number of distinct lines passes this, lines seen once are dropped.
    pub prune_above: usize,
}

/// A site's number in one model.
pub type SiteId = u32;

impl LineModel {
    /// An empty model that prunes above `prune_above` distinct lines.
    pub fn new(prune_above: usize) -> LineModel {
        LineModel {
            prune_above,
            ..LineModel::default()
        }
    }

    /// The number of a site, adding it if new.
    pub fn site_id(&mut self, name: &str) -> SiteId {
        if let Some(&id) = self.site_index.get(name) {
            return id;
        }
        let id = self.site_names.len() as u32;
        self.site_names.push(name.to_owned());
        self.site_units.push(0);
        self.site_index.insert(name.to_owned(), id);
        id
    }

    /// The number of a site, if the model has seen it.
    pub fn find_site(&self, name: &str) -> Option<SiteId> {
        self.site_index.get(name).copied()
    }

    /// Adds one unit: `pairs` are the (site, line key) pairs of all its documents, in any order
    /// and with repeats; `sites` are the sites it appears on (repeats allowed).
    pub fn add_unit(
        &mut self,
        sites: &mut Vec<SiteId>,
        pairs: &mut Vec<(u64, SiteId)>,
    ) -> Result<(), CountOverflow> {
        self.units = add_u64(self.units, 1, "the model's units")?;
        sites.sort_unstable();
        sites.dedup();
        for &site in sites.iter() {
            let n = &mut self.site_units[site as usize];
            *n = add_u64(*n, 1, "a site's units")?;
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut per_site = Vec::new();
        let mut i = 0;
        while i < pairs.len() {
            let key = pairs[i].0;
            per_site.clear();
            while i < pairs.len() && pairs[i].0 == key {
                per_site.push((pairs[i].1, 1));
                i += 1;
            }
            self.add_line(key, &per_site, 1)?;
        }
        Ok(())
    }

    /// Adds `units` units containing `key`; `per_site` holds each site and how many units of it
    /// contain the line.
    fn add_line(
        &mut self,
        key: u64,
        per_site: &[(SiteId, u32)],
        units: u32,
    ) -> Result<(), CountOverflow> {
        const LINE: &str = "a line's units";
        const SITE_LINE: &str = "a line's units on one site";
        let entry = self.lines.entry(key).or_insert(Entry {
            units: 0,
            site: per_site[0].0,
            site_units: 0,
        });
        entry.units = add_u32(entry.units, units, LINE)?;
        if entry.site != MULTI && per_site.iter().all(|p| p.0 == entry.site) {
            let add = per_site
                .iter()
                .try_fold(0u32, |sum, p| add_u32(sum, p.1, SITE_LINE))?;
            entry.site_units = add_u32(entry.site_units, add, SITE_LINE)?;
            return Ok(());
        }
        let list = self.multi.entry(key).or_default();
        if entry.site != MULTI {
            list.push((entry.site, entry.site_units));
            entry.site = MULTI;
            entry.site_units = 0;
        }
        for &(site, count) in per_site {
            match list.iter_mut().find(|(s, _)| *s == site) {
                Some((_, n)) => *n = add_u32(*n, count, SITE_LINE)?,
                None => list.push((site, count)),
            }
        }
        Ok(())
    }

    /// Drops lines seen in a single unit if the table is over its bound. Returns whether it did.
    pub fn prune_if_needed(&mut self) -> bool {
        if self.prune_above == 0 || self.lines.len() <= self.prune_above {
            return false;
        }
        self.prune_singletons();
        true
    }

    fn prune_singletons(&mut self) {
        let multi = &mut self.multi;
        self.lines.retain(|key, entry| {
            let keep = entry.units >= 2;
            if !keep && entry.site == MULTI {
                multi.remove(key);
            }
            keep
        });
    }

    /// Adds every count of `other` to this model. If a count would overflow, it says so, and
    /// this model is left part-merged (a caller drops it).
    pub fn merge(&mut self, other: &LineModel) -> Result<(), CountOverflow> {
        self.units = add_u64(self.units, other.units, "the model's units")?;
        let map: Vec<SiteId> = other.site_names.iter().map(|n| self.site_id(n)).collect();
        for (id, units) in other.site_units.iter().enumerate() {
            let n = &mut self.site_units[map[id] as usize];
            *n = add_u64(*n, *units, "a site's units")?;
        }
        let mut per_site = Vec::new();
        for (&key, entry) in &other.lines {
            per_site.clear();
            if entry.site == MULTI {
                for &(site, n) in &other.multi[&key] {
                    per_site.push((map[site as usize], n));
                }
            } else {
                per_site.push((map[entry.site as usize], entry.site_units));
            }
            self.add_line(key, &per_site, entry.units)?;
        }
        Ok(())
    }

    /// The number of units counted.
    pub fn units(&self) -> u64 {
        self.units
    }

    /// The number of sites seen.
    pub fn site_count(&self) -> usize {
        self.site_names.len()
    }

    /// The number of units of a site.
    pub fn site_units(&self, site: SiteId) -> u64 {
        self.site_units.get(site as usize).copied().unwrap_or(0)
    }

    /// The number of distinct lines held.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether the model holds no lines.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// What the model knows of a line, from the point of view of `site` (which may be unknown).
    pub fn stats(&self, site: Option<SiteId>, key: u64) -> LineStats {
        let Some(entry) = self.lines.get(&key) else {
            return LineStats::default();
        };
        if entry.site != MULTI {
            let site_units = if Some(entry.site) == site {
                entry.site_units
            } else {
                0
            };
            return LineStats {
                units: entry.units,
                site_units,
                sites: 1,
            };
        }
        let list = &self.multi[&key];
        LineStats {
            units: entry.units,
            site_units: site
                .and_then(|s| list.iter().find(|(id, _)| *id == s))
                .map_or(0, |(_, n)| *n),
            sites: list.len() as u32,
        }
    }

    /// The model as JSON bytes; see the module docs for what is left out.
    pub fn to_json(&self) -> Vec<u8> {
        self.write_json(false)
    }

    /// The model as a *partial* model's JSON: `"partial": true`, and lines seen in a single
    /// unit are kept, so that partial models of disjoint sets of units merge into exactly the
    /// model of them all ([`crate::learn`]).
    pub fn to_partial_json(&self) -> Vec<u8> {
        self.write_json(true)
    }

    fn write_json(&self, partial: bool) -> Vec<u8> {
        let least = if partial { 1 } else { 2 };
        let mut global: Vec<(u64, u32)> = self
            .lines
            .iter()
            .filter(|(_, e)| e.units >= least)
            .map(|(&k, e)| (k, e.units))
            .collect();
        global.sort_unstable();
        let mut per_site: Vec<Vec<(u64, u32)>> = vec![Vec::new(); self.site_names.len()];
        for &(key, _) in &global {
            let entry = &self.lines[&key];
            if entry.site == MULTI {
                for &(site, n) in &self.multi[&key] {
                    per_site[site as usize].push((key, n));
                }
            } else {
                per_site[entry.site as usize].push((key, entry.site_units));
            }
        }
        let mut order: Vec<usize> = (0..self.site_names.len()).collect();
        order.sort_by(|&a, &b| self.site_names[a].cmp(&self.site_names[b]));

        let mut out = Vec::with_capacity(64 + global.len() * 48);
        write!(out, "{{\"format\":\"{FORMAT}\",\"lines\":").unwrap();
        write_counts(&mut out, &global);
        write!(out, ",\"normalization\":{}", normalize::VERSION).unwrap();
        if partial {
            write!(out, ",\"partial\":true").unwrap();
        }
        write!(out, ",\"sites\":{{").unwrap();
        for (n, &site) in order.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            serde_json::to_writer(&mut out, &self.site_names[site]).unwrap();
            write!(out, ":{{\"lines\":").unwrap();
            write_counts(&mut out, &per_site[site]);
            write!(out, ",\"units\":{}}}", self.site_units[site]).unwrap();
        }
        writeln!(out, "}},\"units\":{},\"version\":{VERSION}}}", self.units).unwrap();
        out
    }

    /// Reads a model from JSON bytes; `path` names the file in errors.
    pub fn from_json(bytes: &[u8], path: &Path, prune_above: usize) -> Result<LineModel> {
        let invalid = |problem: String| Error::ModelInvalid {
            path: path.to_path_buf(),
            problem,
        };
        let header: Header = serde_json::from_slice(bytes).map_err(|e| {
            invalid(if e.is_eof() {
                format!("the file is truncated ({e})")
            } else {
                format!("not valid model JSON ({e})")
            })
        })?;
        if header.format.as_deref() != Some(FORMAT) {
            return Err(invalid(format!(
                "expected \"format\": \"{FORMAT}\", found {}",
                header
                    .format
                    .map_or("none".to_owned(), |f| format!("\"{f}\""))
            )));
        }
        if header.version != Some(VERSION) {
            return Err(invalid(format!(
                "model version {} cannot be read by this chaff, which reads version {VERSION}; \
                 learn the model again with this chaff",
                header
                    .version
                    .map_or("(missing)".to_owned(), |v| v.to_string())
            )));
        }
        if header.normalization != Some(normalize::VERSION) {
            return Err(invalid(format!(
                "lines were normalized with version {} but this chaff uses version {}; learn \
                 the model again",
                header
                    .normalization
                    .map_or("(missing)".to_owned(), |v| v.to_string()),
                normalize::VERSION
            )));
        }
        let file: ModelFile =
            serde_json::from_slice(bytes).map_err(|e| invalid(format!("malformed model ({e})")))?;
        let mut model = LineModel::new(prune_above);
        model.units = file.units;
        for (name, site) in &file.sites {
            let id = model.site_id(name);
            model.site_units[id as usize] = site.units;
            if site.units > file.units {
                return Err(invalid(format!(
                    "site \"{name}\" has more units ({}) than the whole model ({})",
                    site.units, file.units
                )));
            }
        }
        // Lines start on no site; each site's list then places them (one site: the compact
        // form; more: a list), so no line needs a list it does not keep.
        const UNPLACED: u32 = MULTI - 1;
        model.lines.reserve(file.lines.0.len());
        for &(key, units) in &file.lines.0 {
            if u64::from(units) > file.units {
                return Err(invalid(format!(
                    "line {key:016x} is counted in {units} units but the model has only {}",
                    file.units
                )));
            }
            let entry = Entry {
                units,
                site: UNPLACED,
                site_units: 0,
            };
            if model.lines.insert(key, entry).is_some() {
                return Err(invalid(format!("line {key:016x} is listed twice")));
            }
        }
        for (name, site) in &file.sites {
            let id = model.site_index[name.as_str()];
            for &(key, n) in &site.lines.0 {
                let Some(entry) = model.lines.get_mut(&key) else {
                    return Err(invalid(format!(
                        "site \"{name}\" counts line {key:016x}, which the model's \"lines\" \
                         does not list"
                    )));
                };
                if u64::from(n) > site.units {
                    return Err(invalid(format!(
                        "line {key:016x} is counted in {n} units of \"{name}\", which has only {}",
                        site.units
                    )));
                }
                if n > entry.units {
                    return Err(invalid(format!(
                        "line {key:016x} is counted {n} times on \"{name}\" but only {} times \
                         in all",
                        entry.units
                    )));
                }
                let twice = || invalid(format!("line {key:016x} is listed twice on \"{name}\""));
                match entry.site {
                    placed if placed == id => return Err(twice()),
                    UNPLACED => {
                        entry.site = id;
                        entry.site_units = n;
                    }
                    MULTI => {
                        let list = model.multi.entry(key).or_default();
                        if list.last().is_some_and(|&(last, _)| last == id) {
                            return Err(twice());
                        }
                        list.push((id, n));
                    }
                    first => {
                        model
                            .multi
                            .insert(key, vec![(first, entry.site_units), (id, n)]);
                        entry.site = MULTI;
                        entry.site_units = 0;
                    }
                }
            }
        }
        if let Some((key, _)) = model.lines.iter().find(|(_, e)| e.site == UNPLACED) {
            return Err(invalid(format!(
                "line {key:016x} is listed but counted on no site"
            )));
        }
        Ok(model)
    }

    /// Loads a model file.
    pub fn load(path: &Path, prune_above: usize) -> Result<LineModel> {
        let bytes = std::fs::read(path).map_err(|source| Error::ModelRead {
            path: path.to_path_buf(),
            source,
        })?;
        LineModel::from_json(&bytes, path, prune_above)
    }
}

fn write_counts(out: &mut Vec<u8>, counts: &[(u64, u32)]) {
    out.push(b'{');
    for (i, (key, n)) in counts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write!(out, "\"{key:016x}\":{n}").unwrap();
    }
    out.push(b'}');
}

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
    normalization: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    #[allow(dead_code)]
    format: String,
    #[allow(dead_code)]
    version: u32,
    #[allow(dead_code)]
    normalization: u32,
    /// Written by [`LineModel::to_partial_json`]; such a model also lists single-unit lines.
    #[serde(default)]
    #[allow(dead_code)]
    partial: bool,
    units: u64,
    lines: HexCounts,
    sites: BTreeMap<String, SiteFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteFile {
    units: u64,
    lines: HexCounts,
}

/// A JSON object of 16-digit hex keys to counts, in file order. (A key listed twice is found
/// when the counts are placed in the model.)
struct HexCounts(Vec<(u64, u32)>);

impl<'de> Deserialize<'de> for HexCounts {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CountsVisitor;
        impl<'de> Visitor<'de> for CountsVisitor {
            type Value = HexCounts;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of 16-digit hex line keys to counts")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<HexCounts, A::Error> {
                let mut counts = Vec::with_capacity(access.size_hint().unwrap_or(0));
                while let Some((key, n)) = access.next_entry::<std::borrow::Cow<'de, str>, u32>()? {
                    if key.len() != 16 {
                        return Err(de::Error::custom(format!("bad line key \"{key}\"")));
                    }
                    let key = u64::from_str_radix(&key, 16)
                        .map_err(|_| de::Error::custom(format!("bad line key \"{key}\"")))?;
                    if n == 0 {
                        return Err(de::Error::custom(format!("line {key:016x} has count 0")));
                    }
                    counts.push((key, n));
                }
                Ok(HexCounts(counts))
            }
        }
        deserializer.deserialize_map(CountsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(model: &mut LineModel, members: &[(&str, &[u64])]) {
        let mut sites = Vec::new();
        let mut pairs = Vec::new();
        for (site, keys) in members {
            let id = model.site_id(site);
            sites.push(id);
            pairs.extend(keys.iter().map(|&k| (k, id)));
        }
        model.add_unit(&mut sites, &mut pairs).unwrap();
    }

    #[test]
    fn counts_units_per_site_and_across_sites() {
        let mut m = LineModel::new(0);
        unit(&mut m, &[("a", &[1, 2, 2])]);
        unit(&mut m, &[("a", &[1, 3])]);
        unit(&mut m, &[("b", &[1])]);
        let a = m.find_site("a");
        assert_eq!(
            m.stats(a, 1),
            LineStats {
                units: 3,
                site_units: 2,
                sites: 2
            }
        );
        assert_eq!(
            m.stats(a, 2),
            LineStats {
                units: 1,
                site_units: 1,
                sites: 1
            }
        );
        assert_eq!(m.stats(m.find_site("b"), 2).site_units, 0);
        assert_eq!(m.site_units(a.unwrap()), 2);
        assert_eq!(m.units(), 3);
    }

    #[test]
    fn a_syndicated_cluster_counts_once() {
        let mut m = LineModel::new(0);
        unit(&mut m, &[("a", &[7, 8]), ("b", &[7, 9]), ("c", &[7])]);
        let s = m.stats(m.find_site("b"), 7);
        assert_eq!(
            s,
            LineStats {
                units: 1,
                site_units: 1,
                sites: 3
            }
        );
        assert_eq!(m.units(), 1);
        assert_eq!(m.site_units(m.find_site("c").unwrap()), 1);
    }

    #[test]
    fn save_load_round_trips_and_is_deterministic() {
        let mut m = LineModel::new(0);
        for _ in 0..3 {
            unit(&mut m, &[("zeta", &[10, 11]), ("alpha", &[10])]);
        }
        unit(&mut m, &[("alpha", &[12])]);
        let json = m.to_json();
        let back = LineModel::from_json(&json, Path::new("m.json"), 0).unwrap();
        assert_eq!(back.to_json(), json);
        let text = String::from_utf8(json).unwrap();
        assert!(text.find("\"alpha\"").unwrap() < text.find("\"zeta\"").unwrap());
        assert!(
            !text.contains(&format!("{:016x}", 12u64)),
            "singletons are not saved"
        );
        assert_eq!(
            back.stats(back.find_site("zeta"), 10),
            LineStats {
                units: 3,
                site_units: 3,
                sites: 2
            }
        );
    }

    #[test]
    fn merge_adds_counts() {
        let mut a = LineModel::new(0);
        unit(&mut a, &[("s", &[1])]);
        let mut b = LineModel::new(0);
        unit(&mut b, &[("s", &[1])]);
        unit(&mut b, &[("t", &[1])]);
        a.merge(&b).unwrap();
        assert_eq!(
            a.stats(a.find_site("s"), 1),
            LineStats {
                units: 3,
                site_units: 2,
                sites: 2
            }
        );
        assert_eq!(a.units(), 3);
    }

    #[test]
    fn merging_past_what_a_count_holds_is_refused() {
        let mut a = LineModel::new(0);
        unit(&mut a, &[("s", &[1])]);
        let mut near = LineModel::new(0);
        near.units = u64::MAX;
        assert_eq!(
            a.clone().merge(&near).unwrap_err().what,
            "the model's units"
        );
        let mut b = LineModel::new(0);
        unit(&mut b, &[("s", &[1])]);
        b.lines.get_mut(&1).unwrap().units = u32::MAX;
        let err = a.merge(&b).unwrap_err();
        assert_eq!(err.what, "a line's units");
    }

    #[test]
    fn loading_refuses_lines_counted_in_more_units_than_the_model_has() {
        let path = Path::new("m.json");
        let more = br#"{"format":"chaff-model","version":1,"normalization":1,"units":3,"lines":{"00000000000000ff":4294967295},"sites":{"s":{"units":3,"lines":{"00000000000000ff":3}}}}"#;
        let err = LineModel::from_json(more, path, 0).unwrap_err().to_string();
        assert!(err.contains("m.json") && err.contains("only 3"), "{err}");
        let site = br#"{"format":"chaff-model","version":1,"normalization":1,"units":9,"lines":{"00000000000000ff":5},"sites":{"s":{"units":2,"lines":{"00000000000000ff":5}}}}"#;
        let err = LineModel::from_json(site, path, 0).unwrap_err().to_string();
        assert!(err.contains("which has only 2"), "{err}");
    }

    #[test]
    fn a_line_listed_twice_is_refused() {
        let path = Path::new("m.json");
        let err = |bytes: &[u8]| {
            LineModel::from_json(bytes, path, 0)
                .unwrap_err()
                .to_string()
        };
        let global = br#"{"format":"chaff-model","version":1,"normalization":1,"units":9,"lines":{"00000000000000ff":5,"00000000000000ff":5},"sites":{"s":{"units":9,"lines":{"00000000000000ff":5}}}}"#;
        assert!(err(global).contains("listed twice"), "{}", err(global));
        let site = br#"{"format":"chaff-model","version":1,"normalization":1,"units":9,"lines":{"00000000000000ff":5},"sites":{"s":{"units":9,"lines":{"00000000000000ff":2,"00000000000000ff":2}}}}"#;
        assert!(err(site).contains("listed twice on \"s\""), "{}", err(site));
        let multi = br#"{"format":"chaff-model","version":1,"normalization":1,"units":9,"lines":{"00000000000000ff":5},"sites":{"r":{"units":9,"lines":{"00000000000000ff":1}},"s":{"units":9,"lines":{"00000000000000ff":2,"00000000000000ff":2}}}}"#;
        assert!(
            err(multi).contains("listed twice on \"s\""),
            "{}",
            err(multi)
        );
    }

    #[test]
    fn pruning_drops_only_lines_seen_once() {
        let mut m = LineModel::new(1);
        unit(&mut m, &[("s", &[1, 2])]);
        unit(&mut m, &[("s", &[1])]);
        assert!(m.prune_if_needed());
        assert_eq!(m.len(), 1);
        assert_eq!(m.stats(m.find_site("s"), 1).units, 2);
    }

    #[test]
    fn bad_files_are_named_and_explained() {
        let path = Path::new("models/m.json");
        let err = |bytes: &[u8]| {
            LineModel::from_json(bytes, path, 0)
                .unwrap_err()
                .to_string()
        };
        assert!(err(b"{\"format\":\"chaff-model\",\"ver").contains("truncated"));
        assert!(err(b"[1,2]").contains("models/m.json"));
        let other = br#"{"format":"chaff-model","version":99,"normalization":1,"units":0,"lines":{},"sites":{}}"#;
        assert!(err(other).contains("model version 99"), "{}", err(other));
        let edited = br#"{"format":"chaff-model","version":1,"normalization":1,"units":9,"lines":{"00000000000000ff":5},"sites":{"s":{"units":9,"lines":{"00000000000000ff":9}}}}"#;
        assert!(err(edited).contains("counted 9 times"), "{}", err(edited));
        let bad_key = br#"{"format":"chaff-model","version":1,"normalization":1,"units":1,"lines":{"xyz":5},"sites":{}}"#;
        assert!(err(bad_key).contains("bad line key"), "{}", err(bad_key));
    }
}
