//! Stage 3: learn — count every unit's lines into a [`LineModel`].
//!
//! A *unit* is one article: a document, or a whole cluster of near-duplicates
//! ([`crate::dedup::clusters`]), so a story syndicated to thirty sites counts once. [`count`]
//! adds units to a model; the counts of disjoint sets of units add up ([`LineModel::merge`]), so
//! the model of a crawl can be learned in parts, on any number of machines, and merged in any
//! order into exactly the model of the whole — provided each part keeps the lines it saw in a
//! single unit (a *partial* model, [`LineModel::to_partial_json`]): such a line may be seen in a
//! unit of another part too. Lines seen in one unit of the whole are dropped only when the model
//! is saved ([`LineModel::to_json`]).

use crate::model::{CountOverflow, LineModel};
use serde::{Deserialize, Serialize};

/// What learning needs of a document: its site and the distinct keys of its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The document's site.
    pub site: String,
    /// The distinct keys of its lines ([`crate::normalize`]).
    pub keys: Vec<u64>,
}

/// Adds units to `model`: each unit is the list of its members (the documents of one
/// near-duplicate cluster, or one document). Each unit counts once (see [`crate::model`]). A
/// count that would overflow stops it (and the model is then only part-counted).
pub fn count<'a, U>(
    model: &mut LineModel,
    units: impl IntoIterator<Item = U>,
) -> Result<(), CountOverflow>
where
    U: IntoIterator<Item = &'a Member>,
{
    let (mut sites, mut pairs) = (Vec::new(), Vec::new());
    for unit in units {
        sites.clear();
        pairs.clear();
        for member in unit {
            let site = model.site_id(&member.site);
            sites.push(site);
            pairs.extend(member.keys.iter().map(|&k| (k, site)));
        }
        model.add_unit(&mut sites, &mut pairs)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn member(site: &str, keys: &[u64]) -> Member {
        Member {
            site: site.into(),
            keys: keys.to_vec(),
        }
    }

    #[test]
    fn partial_models_of_parts_merge_into_the_model_of_the_whole() {
        // Line 5 is in one unit of each part: each part alone sees it once.
        let units: Vec<Vec<Member>> = vec![
            vec![member("a", &[1, 5]), member("b", &[1])],
            vec![member("a", &[1, 2])],
            vec![member("b", &[2, 5])],
            vec![member("a", &[3])],
        ];
        let mut whole = LineModel::new(0);
        count(&mut whole, units.iter().map(|u| u.iter())).unwrap();
        let mut merged = LineModel::new(0);
        for part in [&units[..1], &units[1..3], &units[3..]] {
            let mut model = LineModel::new(0);
            count(&mut model, part.iter().map(|u| u.iter())).unwrap();
            let json = model.to_partial_json();
            let back = LineModel::from_json(&json, Path::new("p.json"), 0).unwrap();
            merged.merge(&back).unwrap();
        }
        assert_eq!(merged.to_json(), whole.to_json());
        assert!(
            String::from_utf8(whole.to_json())
                .unwrap()
                .contains(&format!("{:016x}", 5))
        );
    }
}
