//! The initiatives as the memo describes them: their texts, their
//! deterministic score and, in the appendix, every input value.
//!
//! Owns the per-initiative tables in the order of the deterministic score
//! (best first): name, summary, operator, status, risks, rank, total, group
//! contributions and per criterion the most likely value, its 0..1 value and
//! its contribution; and the appendix of inputs with their distribution and
//! provenance. Every number is the score's (the engine's) or an input.

use super::names;
use super::schema::{CriterionScoreInfo, InitiativeInfo, InputRow, SourceInfo};
use crate::engine::score::ScoreResult;
use crate::model::Decision;
use crate::report::memo::format::Lang;

/// The initiatives in the order of `score`, with their texts.
pub(super) fn initiatives(
    decision: &Decision,
    score: &ScoreResult,
    lang: Lang,
) -> Vec<InitiativeInfo> {
    let l = lang.code();
    score
        .initiatives
        .iter()
        .filter_map(|s| {
            let init = decision.initiatives.iter().find(|i| i.id == s.id)?;
            Some(InitiativeInfo {
                id: s.id.clone(),
                name: s.name.clone(),
                summary: init.summary.clone(),
                operator: init.operator.clone(),
                status: init.status.clone(),
                risks: init.risks.clone(),
                rank: s.rank,
                total: s.total,
                groups: decision.groups.iter().map(|g| s.groups[&g.id]).collect(),
                criteria: decision
                    .criteria
                    .iter()
                    .map(|c| {
                        let cs = s.criteria[&c.id];
                        CriterionScoreInfo {
                            name: c.name.get(l).to_string(),
                            unit: c.unit.clone(),
                            raw: cs.raw,
                            value: cs.value,
                            contribution: cs.contribution,
                        }
                    })
                    .collect(),
            })
        })
        .collect()
}

/// Every input value (initiatives in the order of `score`, criteria in file
/// order) with its distribution, provenance (with the cited source ids and
/// whether one is dated after the decision date) and most likely value (the
/// score's).
pub(super) fn inputs(decision: &Decision, score: &ScoreResult, lang: Lang) -> Vec<InputRow> {
    let l = lang.code();
    let mut rows = Vec::new();
    for s in &score.initiatives {
        let Some(init) = decision.initiatives.iter().find(|i| i.id == s.id) else {
            continue;
        };
        for (c, v) in decision.criteria.iter().zip(&init.values) {
            let (kind, note) = names::provenance(&v.provenance);
            rows.push(InputRow {
                initiative: init.name.clone(),
                criterion: c.name.get(l).to_string(),
                unit: c.unit.clone(),
                dist: v.dist.clone(),
                per_inhabitant: v.per_inhabitant,
                clamp: v.clamp,
                most_likely: s.criteria[&c.id].raw,
                provenance: kind,
                note,
                cites: v.provenance.cites.clone(),
                later: names::later(decision, &v.provenance),
            });
        }
    }
    rows
}

/// The declared sources, in file order.
pub(super) fn references(decision: &Decision) -> Vec<SourceInfo> {
    decision
        .references
        .iter()
        .map(|r| SourceInfo {
            id: r.id.clone(),
            title: r.title.clone(),
            publisher: r.publisher.clone(),
            date: r.date.clone(),
            address: r.address.clone(),
            after_decision: r.after_decision,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::score::score;
    use crate::report::testing::frozen;

    #[test]
    fn initiatives_follow_the_score_and_inputs_cover_every_value() {
        let d = frozen();
        let sc =
            score(&crate::engine::compiled::CompiledDecision::new(&d, &d.profiles[0]).unwrap());
        let info = initiatives(&d, &sc, Lang::En);
        let order: Vec<&str> = info.iter().map(|i| i.id.as_str()).collect();
        let expected: Vec<&str> = sc.initiatives.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(order, expected);
        for (i, s) in info.iter().zip(&sc.initiatives) {
            assert_eq!(i.total, s.total);
            assert_eq!(i.criteria.len(), d.criteria.len());
            let sum: f64 = i.groups.iter().sum();
            assert!((sum - s.total).abs() < 1e-12);
        }
        let rows = inputs(&d, &sc, Lang::Nl);
        assert_eq!(rows.len(), d.initiatives.len() * d.criteria.len());
        assert_eq!(rows[0].initiative, info[0].name);
        assert_eq!(
            rows[0].most_likely,
            sc.initiatives[0].criteria[&d.criteria[0].id].raw
        );
    }
}
