//! "Kosten en dekking": what each option costs each municipality.
//!
//! Owns the cost table: every per-inhabitant value of an initiative (its
//! rate), its range, and the amounts per municipality and in total. The
//! numbers come from the model: [`Value::most_likely`], [`Value::transform`]
//! and [`Value::quantile`] apply the value's clamp and its population
//! factor, so this table and the engine can never disagree on them. The
//! one product made here is a municipality's inhabitants × the rate.

use super::names;
use super::schema::{CostOption, CostRow, Costs};
use crate::engine::score::ScoreResult;
use crate::model::{Decision, Value};
use crate::report::memo::format::Lang;

/// The cost table: options in the order of `score`, municipalities in file
/// order.
pub(super) fn costs(decision: &Decision, score: &ScoreResult, lang: Lang) -> Costs {
    let mut options = Vec::new();
    let mut totals = Vec::new();
    let mut totals_low = Vec::new();
    let mut totals_high = Vec::new();
    for s in &score.initiatives {
        let Some(init) = decision.initiatives.iter().find(|i| i.id == s.id) else {
            continue;
        };
        for (c, v) in decision.criteria.iter().zip(&init.values) {
            if !v.per_inhabitant {
                continue;
            }
            let (low, most_likely, high) = range(v);
            let (rate_low, rate, rate_high) = range(&per_inhabitant(v));
            let (provenance, note) = names::provenance(&v.provenance);
            options.push(CostOption {
                id: init.id.clone(),
                name: init.name.clone(),
                criterion: c.name.get(lang.code()).to_string(),
                rate,
                low: rate_low,
                high: rate_high,
                provenance,
                note,
                later: names::later(decision, &v.provenance),
            });
            totals.push(most_likely);
            totals_low.push(low);
            totals_high.push(high);
        }
    }
    let rows = decision
        .region
        .municipalities
        .iter()
        .map(|m| CostRow {
            name: m.name.clone(),
            population: m.population,
            amounts: options
                .iter()
                .map(|o| m.population as f64 * o.rate)
                .collect(),
        })
        .collect();
    Costs {
        options,
        rows,
        population: decision.region.population(),
        totals,
        totals_low,
        totals_high,
    }
}

/// The model's value with its population factor left out: a rate per
/// inhabitant, still clamped by the model.
fn per_inhabitant(v: &Value) -> Value {
    Value {
        factor: 1.0,
        ..v.clone()
    }
}

/// (lowest, most likely, highest) of a value in the criterion's unit: the
/// ends of its support, or its 5th and 95th percentiles where the support
/// is unbounded.
fn range(v: &Value) -> (f64, f64, f64) {
    let (lo, hi) = v.dist.support();
    let low = if lo.is_finite() {
        v.transform(lo)
    } else {
        v.quantile(0.05)
    };
    let high = if hi.is_finite() {
        v.transform(hi)
    } else {
        v.quantile(0.95)
    };
    (low, v.most_likely(), high)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::score::score;
    use crate::report::testing::frozen;

    /// Burgernet's cost: triangular(0.08, 0.08, 0.10) euros per inhabitant.
    fn burgernet(d: &Decision) -> &Value {
        let i = d.initiatives.iter().find(|i| i.id == "burgernet").unwrap();
        let c = d.criterion_index("annual_cost").unwrap();
        &i.values[c]
    }

    #[test]
    fn rates_per_inhabitant_and_totals_for_the_region() {
        let d = frozen();
        let sc =
            score(&crate::engine::compiled::CompiledDecision::new(&d, &d.profiles[0]).unwrap());
        let costs = costs(&d, &sc, Lang::Nl);
        let k = costs
            .options
            .iter()
            .position(|o| o.id == "burgernet")
            .unwrap();
        let o = &costs.options[k];
        assert_eq!((o.low, o.rate, o.high), (0.08, 0.08, 0.10));
        let people = d.region.population() as f64;
        assert_eq!(costs.population, d.region.population());
        assert_eq!(costs.totals[k], 0.08 * people);
        assert_eq!(costs.totals_low[k], 0.08 * people);
        assert_eq!(costs.totals_high[k], 0.10 * people);
        // The region's total is the engine's most likely value.
        let annual_cost = &sc
            .initiatives
            .iter()
            .find(|s| s.id == "burgernet")
            .unwrap()
            .criteria["annual_cost"];
        assert_eq!(costs.totals[k], annual_cost.raw);
        for row in &costs.rows {
            assert_eq!(row.amounts[k], row.population as f64 * 0.08);
        }
        let sum: u64 = costs.rows.iter().map(|r| r.population).sum();
        assert_eq!(sum, costs.population);
    }

    #[test]
    fn the_model_s_clamp_bounds_the_rate_and_the_totals() {
        let d = frozen();
        let mut v = burgernet(&d).clone();
        v.clamp = Some((0.085, 0.09));
        let people = d.region.population() as f64;
        assert_eq!(range(&per_inhabitant(&v)), (0.085, 0.085, 0.09));
        assert_eq!(range(&v), (0.085 * people, 0.085 * people, 0.09 * people));
    }
}
