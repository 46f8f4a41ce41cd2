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
