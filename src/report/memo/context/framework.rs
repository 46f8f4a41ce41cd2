//! The decision framework ("Afwegingskader"): groups, criteria and the
//! weights of every profile.
//!
//! Owns the tables of the value tree as the memo shows them: each group and
//! criterion with its value function and the memo profile's weights, and
//! every profile with how its weights were given (swing points, bounds, an
//! order, or unknown) and its representative weights. The weights are the
//! score's (the engine's); nothing is computed here.

use super::schema::{CriterionInfo, GroupInfo, ProfileInfo, Spec, SpecKind};
use crate::engine::score::ScoreResult;
use crate::engine::weights::LevelSpec;
use crate::model::{Decision, Profile};
use crate::report::memo::format::Lang;

/// The groups with their criteria and the weights of `score` (the memo
/// profile's).
pub(super) fn groups(decision: &Decision, score: &ScoreResult, lang: Lang) -> Vec<GroupInfo> {
    let l = lang.code();
    decision
        .groups
        .iter()
        .zip(&score.groups)
        .map(|(g, gw)| GroupInfo {
            id: g.id.clone(),
            name: g.name.get(l).to_string(),
            weight: gw.weight,
            criteria: g
                .criteria
                .iter()
                .map(|&ci| {
                    let c = &decision.criteria[ci];
                    CriterionInfo {
                        id: c.id.clone(),
                        index: ci,
                        name: c.name.get(l).to_string(),
                        unit: c.unit.clone(),
                        better: c.better.as_str().to_string(),
                        scale: c.scale.clone(),
                        description: c.description.clone().unwrap_or_default(),
                        local_weight: score.criteria[ci].local_weight,
                        weight: score.criteria[ci].weight,
                    }
                })
                .collect(),
        })
        .collect()
}

/// Profile `p` with how its weights are given and the representative
/// weights of its `score`.
pub(super) fn profile(
    decision: &Decision,
    p: &Profile,
    score: &ScoreResult,
    lang: Lang,
) -> ProfileInfo {
    let l = lang.code();
    let group_names: Vec<String> = decision
        .groups
        .iter()
        .map(|g| g.name.get(l).to_string())
        .collect();
    ProfileInfo {
        id: p.id.clone(),
        name: p.name.get(l).to_string(),
        description: p.description.clone().unwrap_or_default(),
        groups_spec: spec(p.groups.spec(), &group_names),
        criteria_specs: decision
            .groups
            .iter()
            .zip(&p.criteria)
            .map(|(g, level)| {
                let names: Vec<String> = g
                    .criteria
                    .iter()
                    .map(|&c| decision.criteria[c].name.get(l).to_string())
                    .collect();
                spec(level.spec(), &names)
            })
            .collect(),
        group_weights: score.groups.iter().map(|g| g.weight).collect(),
        weights: score.criteria.iter().map(|c| c.weight).collect(),
    }
}

/// Every profile (decision order) with its score.
pub(super) fn profiles(
    decision: &Decision,
    scores: &[ScoreResult],
    lang: Lang,
) -> Vec<ProfileInfo> {
    decision
        .profiles
        .iter()
        .zip(scores)
        .map(|(p, s)| profile(decision, p, s, lang))
        .collect()
}

/// How one level of weights is given, with the names of its elements.
pub(super) fn spec(level: &LevelSpec, names: &[String]) -> Spec {
    let mut s = Spec {
        kind: SpecKind::Unknown,
        names: names.to_vec(),
        points: Vec::new(),
        bounds: Vec::new(),
        order: Vec::new(),
    };
    match level {
        LevelSpec::Swing(p) => {
            s.kind = SpecKind::Swing;
            s.points = p.clone();
        }
        LevelSpec::Bounds(b) => {
            s.kind = SpecKind::Bounds;
            s.bounds = b.clone();
        }
        LevelSpec::Ordinal(o) => {
            s.kind = SpecKind::Ordinal;
            s.order = o.iter().filter_map(|&i| names.get(i).cloned()).collect();
        }
        LevelSpec::Unknown(_) => s.kind = SpecKind::Unknown,
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::score::score;
    use crate::report::testing::frozen;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn each_kind_of_weight_spec_keeps_only_its_own_fields() {
        let n = names(&["kosten", "bereik", "effect"]);
        let s = spec(&LevelSpec::Swing(vec![100.0, 50.0, 25.0]), &n);
        assert_eq!(s.kind, SpecKind::Swing);
        assert_eq!(s.points, [100.0, 50.0, 25.0]);
        assert!(s.bounds.is_empty() && s.order.is_empty());
        assert_eq!(s.names, n);

        let s = spec(
            &LevelSpec::Bounds(vec![(0.1, 0.5), (0.2, 0.6), (0.0, 1.0)]),
            &n,
        );
        assert_eq!(s.kind, SpecKind::Bounds);
        assert_eq!(s.bounds[1], (0.2, 0.6));
        assert!(s.points.is_empty());

        // The order names the elements, most important first.
        let s = spec(&LevelSpec::Ordinal(vec![2, 0, 1]), &n);
        assert_eq!(s.kind, SpecKind::Ordinal);
        assert_eq!(s.order, names(&["effect", "kosten", "bereik"]));

        let s = spec(&LevelSpec::Unknown(3), &n);
        assert_eq!(s.kind, SpecKind::Unknown);
        assert!(s.points.is_empty() && s.bounds.is_empty() && s.order.is_empty());
    }

    #[test]
    fn the_framework_shows_the_score_s_weights_in_file_order() {
        let d = frozen();
        let p = &d.profiles[0];
        let sc = score(&crate::engine::compiled::CompiledDecision::new(&d, p).unwrap());
        let g = groups(&d, &sc, Lang::En);
        assert_eq!(g.len(), d.groups.len());
        let flat: Vec<&CriterionInfo> = g.iter().flat_map(|g| &g.criteria).collect();
        assert_eq!(flat.len(), d.criteria.len());
        for c in flat {
            assert_eq!(c.id, d.criteria[c.index].id);
            assert_eq!(c.weight, sc.criteria[c.index].weight);
        }
        let info = profile(&d, p, &sc, Lang::Nl);
        assert_eq!(info.id, p.id);
        assert_eq!(info.criteria_specs.len(), d.groups.len());
        let total: f64 = info.weights.iter().sum();
        assert!((total - 1.0).abs() < 1e-12, "{total}");
    }
}
