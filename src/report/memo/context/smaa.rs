//! The simulation tables of the memo: rank chances, confidence, value
//! spread, central weights and pairwise winning.
//!
//! Owns the rows of one profile's SMAA-2 results in the memo's order (best
//! expected rank first) with names for ids. Every number is copied from the
//! [`SimulationResult`]; nothing is computed here.

use super::names;
use super::schema::{Pm, SmaaRow};
use crate::engine::simulate::SimulationResult;
use crate::model::Decision;
use crate::report::export::by_expected_rank;

/// One row per initiative, best expected rank first, and their names in
/// that order (the columns of the pairwise table).
pub(super) fn rows(decision: &Decision, sim: &SimulationResult) -> (Vec<SmaaRow>, Vec<String>) {
    let order = by_expected_rank(sim);
    let rows = order
        .iter()
        .map(|&id| SmaaRow {
            id: id.to_string(),
            name: names::initiative(decision, id).to_string(),
            ranks: sim.rank_acceptability[id]
                .iter()
                .zip(&sim.error.rank_acceptability[id])
                .map(|(&p, &e)| Pm { p, e })
                .collect(),
            confidence: match (sim.confidence[id], sim.error.confidence[id]) {
                (Some(p), Some(e)) => Some(Pm { p, e }),
                _ => None,
            },
            value: sim.value[id],
            value_error: sim.error.value[id],
            central_weights: sim.central_weights[id]
                .as_ref()
                .map(|m| decision.criteria.iter().map(|c| m[&c.id]).collect()),
            beats: order
                .iter()
                .map(|&j| (j != id).then(|| sim.pairwise_winning[id][j]))
                .collect(),
        })
        .collect();
    let names = order
        .iter()
        .map(|id| names::initiative(decision, id).to_string())
        .collect();
    (rows, names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::simulate::{simulate, Plan, Stop};
    use crate::report::testing::frozen;

    #[test]
    fn rows_follow_the_expected_rank_and_copy_the_simulation() {
        let d = frozen();
        let plan = Plan {
            seed: 7,
            stop: Stop::Iterations(1000),
            confidence: true,
        };
        let sim = simulate(
            &crate::engine::compiled::CompiledDecision::new(&d, &d.profiles[0]).unwrap(),
            &plan,
            &|_, _| {},
        )
        .unwrap();
        let (rows, names) = rows(&d, &sim);
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, by_expected_rank(&sim));
        assert_eq!(names.len(), rows.len());
        for (k, row) in rows.iter().enumerate() {
            assert_eq!(row.name, names[k]);
            assert_eq!(row.ranks.len(), d.initiatives.len());
            assert_eq!(row.ranks[0].p, sim.rank_acceptability[&row.id][0]);
            assert_eq!(row.ranks[0].e, sim.error.rank_acceptability[&row.id][0]);
            // Pairwise columns in the same order; none against itself.
            for (j, beats) in row.beats.iter().enumerate() {
                match beats {
                    None => assert_eq!(j, k),
                    Some(p) => assert_eq!(*p, sim.pairwise_winning[&row.id][&rows[j].id]),
                }
            }
        }
    }
}
