//! The compiled decision: a validated [`Decision`] and one of its profiles,
//! turned once into what makes the decision computable.
//!
//! Owns the alternatives (sets of member initiatives) and how their values
//! are formed from their members' values per criterion ([`Combine`]); per
//! criterion the value function; per member and criterion the value sampler
//! and the most likely value; the weight model with its representative
//! weights; the aggregation of values into totals ([`Aggregation`]); and the
//! money criterion with the exchange rate between value and euros. The
//! score, the simulation and the sensitivity analysis (and through them the
//! memo) all read the decision through it, so each of these is built in
//! exactly one place.
//!
//! Members are the decision's initiatives, indexed like
//! [`Decision::initiatives`]. Today every alternative is one initiative, in
//! file order, so alternative `a` has the single member `a`; the options of
//! combined initiatives add alternatives with several members and
//! [`Combine`] rules, and everything that scores alternatives stays as it is.
//!
//! Does not run anything (no draws, no totals over scenarios) and formats
//! nothing.

use super::aggregate::Aggregation;
use super::sampler::{value_samplers, Sampler};
use super::score::ProfileRef;
use super::value_fn::Scale;
use super::weights::{Level, WeightError, WeightModel};
use crate::model::{Decision, Profile};

/// Why a decision cannot be compiled with a profile.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CompileError {
    /// The profile's weights are unusable.
    #[error("weights of profile `{profile}`: {source}")]
    Weights {
        /// Profile id.
        profile: String,
        /// The cause.
        source: WeightError,
    },
}

/// What is compared: a set of member initiatives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    /// Its id (the initiative's id for an alternative of one initiative).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its members: indices into [`Decision::initiatives`], ascending.
    pub members: Vec<usize>,
}

/// How the values of an alternative's members on one criterion make the
/// alternative's value on it (in the criterion's unit, before its value
/// function). Drawn values are combined per scenario, so an initiative's
/// draw is shared by every alternative that contains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Combine {
    /// The alternative has one member; its value is the member's.
    Single,
}

impl Combine {
    /// The alternative's value from its members' values (criterion unit).
    pub fn combine(self, members: &[f64]) -> f64 {
        match self {
            Combine::Single => {
                debug_assert_eq!(members.len(), 1, "a single-member rule");
                members[0]
            }
        }
    }
}

/// A decision compiled with one profile. See the module docs.
#[derive(Debug, Clone)]
pub struct CompiledDecision<'a> {
    decision: &'a Decision,
    profile: &'a Profile,
    alternatives: Vec<Alternative>,
    /// Per criterion.
    combine: Vec<Combine>,
    /// Per member and criterion, `[i * m + c]`: the value sampler, `None`
    /// where the value is certain.
    samplers: Vec<Option<Sampler>>,
    /// Per alternative and criterion, `[a * m + c]`: the most likely value
    /// (criterion unit), combined from the members' most likely values.
    raw: Vec<f64>,
    /// … and on the criterion's 0..1 scale.
    base: Vec<f64>,
    weights: WeightModel,
    /// Per group: its local level (for the sensitivity's level-by-level draws).
    local_levels: Vec<Level>,
    /// Representative global weights, group shares, and each criterion's
    /// share within its group.
    global: Vec<f64>,
    groups: Vec<f64>,
    local: Vec<f64>,
    aggregation: Aggregation,
    money: Option<usize>,
}

impl<'a> CompiledDecision<'a> {
    /// Compiles `decision` with `profile`: one alternative per initiative.
    pub fn new(decision: &'a Decision, profile: &'a Profile) -> Result<Self, CompileError> {
        let weights = WeightModel::for_profile(decision, profile).map_err(|source| {
            CompileError::Weights {
                profile: profile.id.clone(),
                source,
            }
        })?;
        let alternatives = decision
            .initiatives
            .iter()
            .enumerate()
            .map(|(i, init)| Alternative {
                id: init.id.clone(),
                name: init.name.clone(),
                members: vec![i],
            })
            .collect();
        let combine = vec![Combine::Single; decision.criteria.len()];
        let mut local = vec![0.0; decision.criteria.len()];
        for (level, indices) in weights.local_levels() {
            for (&share, &c) in level.representative().iter().zip(indices) {
                local[c] = share;
            }
        }
        let mut cd = CompiledDecision {
            decision,
            profile,
            alternatives,
            combine,
            samplers: value_samplers(decision),
            raw: Vec::new(),
            base: Vec::new(),
            local_levels: weights
                .local_levels()
                .iter()
                .map(|(l, _)| l.clone())
                .collect(),
            global: weights.representative_global(),
            groups: weights.representative_groups(),
            local,
            weights,
            aggregation: Aggregation::WeightedSum,
            money: decision.money_criterion(),
        };
        let m = cd.m();
        let mut members = Vec::new();
        for a in 0..cd.n() {
            for c in 0..m {
                members.clear();
                members.extend(
                    cd.alternatives[a]
                        .members
                        .iter()
                        .map(|&i| decision.initiatives[i].values[c].most_likely()),
                );
                cd.raw.push(cd.combine[c].combine(&members));
            }
        }
        cd.base = cd
            .raw
            .iter()
            .enumerate()
            .map(|(k, &x)| decision.criteria[k % m].scale.value(x))
            .collect();
        Ok(cd)
    }

    /// The decision.
    pub fn decision(&self) -> &'a Decision {
        self.decision
    }

    /// The profile.
    pub fn profile(&self) -> &'a Profile {
        self.profile
    }

    /// The profile's id and Dutch name, as the results name it.
    pub fn profile_ref(&self) -> ProfileRef {
        ProfileRef {
            id: self.profile.id.clone(),
            name: self.profile.name.nl.clone(),
        }
    }

    /// Number of alternatives.
    pub fn n(&self) -> usize {
        self.alternatives.len()
    }

    /// Number of criteria.
    pub fn m(&self) -> usize {
        self.decision.criteria.len()
    }

    /// The alternatives, in order.
    pub fn alternatives(&self) -> &[Alternative] {
        &self.alternatives
    }

    /// The alternatives' ids, in order.
    pub fn alternative_ids(&self) -> Vec<String> {
        self.alternatives.iter().map(|a| a.id.clone()).collect()
    }

    /// The criteria's ids, in order.
    pub fn criterion_ids(&self) -> Vec<String> {
        self.decision
            .criteria
            .iter()
            .map(|c| c.id.clone())
            .collect()
    }

    /// The value function of criterion `c`.
    pub fn scale(&self, c: usize) -> &'a Scale {
        &self.decision.criteria[c].scale
    }

    /// How members combine on criterion `c`.
    pub fn combine(&self, c: usize) -> Combine {
        self.combine[c]
    }

    /// The group of criterion `c`.
    pub fn group_of(&self, c: usize) -> usize {
        self.decision.criteria[c].group
    }

    /// The criteria of group `g`, in the order of its local weight level.
    pub fn group_criteria(&self, g: usize) -> &'a [usize] {
        &self.decision.groups[g].criteria
    }

    /// The sampler of member `i`'s value on criterion `c` (`None` when certain).
    pub fn member_sampler(&self, i: usize, c: usize) -> Option<&Sampler> {
        self.samplers[i * self.m() + c].as_ref()
    }

    /// The sampler whose draw is alternative `a`'s value on criterion `c`
    /// (`None` when certain). Only for a [`Combine::Single`] rule, where
    /// the alternative's value is its one member's draw.
    pub fn value_sampler(&self, a: usize, c: usize) -> Option<&Sampler> {
        match self.combine[c] {
            Combine::Single => self.member_sampler(self.alternatives[a].members[0], c),
        }
    }

    /// Every uncertain value of the alternatives as `(a * m + c, c, sampler)`
    /// in that order: the columns the simulation draws.
    pub fn uncertain_values(&self) -> Vec<(usize, usize, &Sampler)> {
        let m = self.m();
        (0..self.n() * m)
            .filter_map(|k| self.value_sampler(k / m, k % m).map(|s| (k, k % m, s)))
            .collect()
    }

    /// Whether alternative `a`'s value on criterion `c` is uncertain.
    pub fn is_uncertain(&self, a: usize, c: usize) -> bool {
        self.value_sampler(a, c).is_some()
    }

    /// The alternatives' most likely values (criterion units), `[a * m + c]`.
    pub fn most_likely_raw(&self) -> &[f64] {
        &self.raw
    }

    /// The alternatives' most likely values on 0..1, `[a * m + c]`.
    pub fn most_likely_values(&self) -> &[f64] {
        &self.base
    }

    /// The weight model.
    pub fn weights(&self) -> &WeightModel {
        &self.weights
    }

    /// The group level of the weights.
    pub fn group_level(&self) -> &Level {
        self.weights.group_level()
    }

    /// The local level of each group, in group order.
    pub fn local_levels(&self) -> &[Level] {
        &self.local_levels
    }

    /// Representative global weights (sum 1), per criterion.
    pub fn representative_weights(&self) -> &[f64] {
        &self.global
    }

    /// Representative group shares (sum 1), per group.
    pub fn representative_groups(&self) -> &[f64] {
        &self.groups
    }

    /// Representative share of criterion `c` within its group.
    pub fn representative_local(&self, c: usize) -> f64 {
        self.local[c]
    }

    /// How values make totals.
    pub fn aggregation(&self) -> Aggregation {
        self.aggregation
    }

    /// The money criterion, if the decision has one.
    pub fn money_criterion(&self) -> Option<usize> {
        self.money
    }

    /// The money criterion and the euros a year per unit of overall value at
    /// the representative weights: its scale's width in euros divided by its
    /// weight. `None` without a money criterion with a linear scale and a
    /// positive weight.
    pub fn eur_per_value_unit(&self) -> Option<(usize, f64)> {
        eur_per_value_unit(self.decision, &self.global)
    }

    /// A quantity `x` of member `i`'s distribution on criterion `c`,
    /// clamped to the value's declared range, in the distribution's units
    /// (per inhabitant for a per-inhabitant value: not multiplied by the
    /// population).
    pub fn clamped(&self, i: usize, c: usize, x: f64) -> f64 {
        match self.decision.initiatives[i].values[c].clamp {
            Some((lo, hi)) => x.clamp(lo, hi),
            None => x,
        }
    }

    /// Member `i`'s value on criterion `c` as `(low, most likely, high)` in
    /// the distribution's units, each clamped ([`CompiledDecision::clamped`]):
    /// low and high are the ends of the distribution's support where finite,
    /// else its 5th and 95th percentiles. What a cost table per inhabitant
    /// shows.
    pub fn clamped_range(&self, i: usize, c: usize) -> (f64, f64, f64) {
        let dist = &self.decision.initiatives[i].values[c].dist;
        let (lo, hi) = dist.support();
        let low = if lo.is_finite() {
            lo
        } else {
            dist.quantile(0.05)
        };
        let high = if hi.is_finite() {
            hi
        } else {
            dist.quantile(0.95)
        };
        (
            self.clamped(i, c, low),
            self.clamped(i, c, dist.most_likely()),
            self.clamped(i, c, high),
        )
    }
}

/// The money criterion and the euros a year per unit of overall value at
/// the global weights `global`: the money scale's width in euros divided by
/// its weight (the one exchange rate of every euro figure). `None` without a
/// money criterion with a linear scale and a positive weight.
pub fn eur_per_value_unit(decision: &Decision, global: &[f64]) -> Option<(usize, f64)> {
    let c = decision.money_criterion()?;
    match decision.criteria[c].scale {
        Scale::Linear { worst, best } if global[c] > 0.0 => {
            Some((c, (worst - best).abs() / global[c]))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equal within floating-point noise.
    const TOL: f64 = 1e-9;

    fn frozen() -> Decision {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/twente-v1");
        crate::model::load(&dir).expect("the frozen decision loads")
    }

    fn index(d: &Decision, initiative: &str, criterion: &str) -> (usize, usize) {
        let i = d.initiatives.iter().position(|x| x.id == initiative);
        (
            i.expect("initiative"),
            d.criterion_index(criterion).expect("criterion"),
        )
    }

    /// The per-inhabitant range of a cost (the memo's cost table) and the
    /// clamped range of a normal value, against their closed forms.
    #[test]
    fn clamped_ranges_are_the_support_or_the_outer_percentiles() {
        let d = frozen();
        let cd = CompiledDecision::new(&d, &d.profiles[0]).expect("compiles");
        // Triangular [0, 0.03, 0.13] per inhabitant: the support and the mode.
        let (i, c) = index(&d, "whatsapp", "annual_cost");
        let (lo, ml, hi) = cd.clamped_range(i, c);
        assert!((lo - 0.0).abs() < TOL && (ml - 0.03).abs() < TOL && (hi - 0.13).abs() < TOL);
        // ... and the most likely raw value is per inhabitant × the population.
        let population = d.region.population() as f64;
        let raw = cd.most_likely_raw()[i * cd.m() + c];
        assert!((raw - 0.03 * population).abs() < TOL * population, "{raw}");
        // Normal(78, 4), clamp [62, 90]: 78 ± z(0.95) · 4, inside the clamp.
        let (i, c) = index(&d, "nlalert", "reach_share");
        let z = 1.644_853_626_951_472_2;
        let (lo, ml, hi) = cd.clamped_range(i, c);
        assert!((lo - (78.0 - z * 4.0)).abs() < 1e-6, "{lo}");
        assert!((ml - 78.0).abs() < TOL);
        assert!((hi - (78.0 + z * 4.0)).abs() < 1e-6, "{hi}");
        assert_eq!(cd.clamped(i, c, 50.0), 62.0);
        assert_eq!(cd.clamped(i, c, 95.0), 90.0);
    }

    /// The money criterion is the one marked `money = true`, and the
    /// exchange rate is its scale's width over its weight.
    #[test]
    fn money_criterion_and_exchange_rate() {
        let d = frozen();
        let cd = CompiledDecision::new(&d, &d.profiles[0]).expect("compiles");
        let c = cd.money_criterion().expect("a money criterion");
        assert_eq!(d.criteria[c].id, "annual_cost");
        let (k, per_unit) = cd.eur_per_value_unit().expect("a rate");
        assert_eq!(k, c);
        let Scale::Linear { worst, best } = d.criteria[c].scale else {
            panic!("linear");
        };
        let w = cd.representative_weights()[c];
        assert!((per_unit * w - (worst - best).abs()).abs() < TOL * per_unit);
    }

    /// One alternative per initiative, in file order, each its own member;
    /// the representative weights are group share × local share.
    #[test]
    fn alternatives_and_representative_weights() {
        let d = frozen();
        let cd = CompiledDecision::new(&d, &d.profiles[0]).expect("compiles");
        assert_eq!(cd.n(), d.initiatives.len());
        for (a, alt) in cd.alternatives().iter().enumerate() {
            assert_eq!(alt.members, vec![a]);
            assert_eq!(alt.id, d.initiatives[a].id);
        }
        let sum: f64 = cd.representative_weights().iter().sum();
        assert!((sum - 1.0).abs() < TOL);
        for c in 0..cd.m() {
            let g = cd.representative_groups()[cd.group_of(c)];
            let w = cd.representative_weights()[c];
            assert_eq!(w, g * cd.representative_local(c));
        }
    }
}
