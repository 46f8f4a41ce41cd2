//! The deterministic score: the multi-attribute value model (MAVT) at one point.
//!
//! Each alternative's value at its most likely point (see
//! [`crate::model::Value::most_likely`]), through its criterion's value
//! function to 0..1, aggregated with the representative global weights
//! (group share × local share, from each level's representative weights:
//! swing shares, rank-order-centroid weights for a ranking, equal weights
//! when unknown, the centre of the feasible set for bounds); all of it comes
//! from the [`CompiledDecision`]. Owns the score
//! result types, which are also the documented JSON schema of `afweging
//! score`. Does not format anything.

use std::collections::BTreeMap;

use serde::Serialize;

use super::compiled::CompiledDecision;

/// Two totals closer than this share a rank (floating-point noise, far below
/// any meaningful difference on the 0..1 value scale).
pub const TIE_TOLERANCE: f64 = 1e-12;

/// The result of `afweging score`: the JSON schema (`--format json`).
#[derive(Debug, Clone, Serialize)]
pub struct ScoreResult {
    /// Always `"score"`.
    pub kind: &'static str,
    /// afweging version that produced this.
    pub version: String,
    /// The decision's title.
    pub decision: String,
    /// The weight profile used.
    pub profile: ProfileRef,
    /// SHA-256 of all input files (see `afweging check`).
    pub input_hash: String,
    /// Group weights (shares, sum 1), in file order.
    pub groups: Vec<GroupWeight>,
    /// Criterion weights, in file order.
    pub criteria: Vec<CriterionWeight>,
    /// The initiatives, best first.
    pub initiatives: Vec<InitiativeScore>,
}

/// Which profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileRef {
    /// Its id.
    pub id: String,
    /// Its Dutch name.
    pub name: String,
}

/// A group's weight.
#[derive(Debug, Clone, Serialize)]
pub struct GroupWeight {
    /// Group id.
    pub id: String,
    /// Share of the total weight (0..1).
    pub weight: f64,
}

/// A criterion's weight.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionWeight {
    /// Criterion id.
    pub id: String,
    /// Its group's id.
    pub group: String,
    /// Share within its group (0..1).
    pub local_weight: f64,
    /// Global weight: group share × local share (all global weights sum to 1).
    pub weight: f64,
}

/// One initiative's score.
#[derive(Debug, Clone, Serialize)]
pub struct InitiativeScore {
    /// Initiative id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// 1 = best; equal totals share a rank (competition ranking: 1, 2, 2, 4).
    pub rank: usize,
    /// Overall value, 0..1: the sum of all contributions.
    pub total: f64,
    /// Contribution of each group (sum of its criteria's contributions).
    pub groups: BTreeMap<String, f64>,
    /// Per criterion: the natural value, its 0..1 value and its contribution.
    pub criteria: BTreeMap<String, CriterionScore>,
}

/// One initiative on one criterion.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CriterionScore {
    /// The most likely value in the criterion's unit.
    pub raw: f64,
    /// Its value on the 0..1 scale.
    pub value: f64,
    /// value × global weight.
    pub contribution: f64,
}

/// Competition ranks (1 = best) of `totals`, ties within [`TIE_TOLERANCE`].
pub fn ranks(totals: &[f64]) -> Vec<usize> {
    totals
        .iter()
        .map(|&t| 1 + totals.iter().filter(|&&o| o > t + TIE_TOLERANCE).count())
        .collect()
}

/// Scores every alternative of `cd` at its most likely values with the
/// representative weights.
pub fn score(cd: &CompiledDecision) -> ScoreResult {
    let decision = cd.decision();
    let m = cd.m();
    let agg = cd.aggregation();
    let global = cd.representative_weights();
    let raw = cd.most_likely_raw();
    let values = cd.most_likely_values();
    let mut rows: Vec<InitiativeScore> = cd
        .alternatives()
        .iter()
        .enumerate()
        .map(|(a, alt)| {
            let values = &values[a * m..(a + 1) * m];
            let mut groups: BTreeMap<String, f64> = decision
                .groups
                .iter()
                .map(|g| (g.id.clone(), 0.0))
                .collect();
            let mut criteria = BTreeMap::new();
            for (ci, c) in decision.criteria.iter().enumerate() {
                let contribution = agg.contribution(values[ci], global[ci]);
                *groups
                    .entry(decision.groups[c.group].id.clone())
                    .or_default() += contribution;
                criteria.insert(
                    c.id.clone(),
                    CriterionScore {
                        raw: raw[a * m + ci],
                        value: values[ci],
                        contribution,
                    },
                );
            }
            InitiativeScore {
                id: alt.id.clone(),
                name: alt.name.clone(),
                rank: 0,
                total: agg.total(values, global),
                groups,
                criteria,
            }
        })
        .collect();
    let totals: Vec<f64> = rows.iter().map(|r| r.total).collect();
    for (row, rank) in rows.iter_mut().zip(ranks(&totals)) {
        row.rank = rank;
    }
    rows.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.id.cmp(&b.id)));
    ScoreResult {
        kind: "score",
        version: crate::VERSION.to_string(),
        decision: decision.title.clone(),
        profile: cd.profile_ref(),
        input_hash: decision.input_hash.clone(),
        groups: decision
            .groups
            .iter()
            .zip(cd.representative_groups())
            .map(|(g, &w)| GroupWeight {
                id: g.id.clone(),
                weight: w,
            })
            .collect(),
        criteria: decision
            .criteria
            .iter()
            .enumerate()
            .map(|(ci, c)| CriterionWeight {
                id: c.id.clone(),
                group: decision.groups[c.group].id.clone(),
                local_weight: cd.representative_local(ci),
                weight: global[ci],
            })
            .collect(),
        initiatives: rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_rank() {
        assert_eq!(ranks(&[0.5, 0.7, 0.5, 0.1]), vec![2, 1, 2, 4]);
        assert_eq!(ranks(&[0.3, 0.3 + 1e-15]), vec![1, 1]);
    }
}
