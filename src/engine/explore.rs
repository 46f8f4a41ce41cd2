//! The numbers behind `afweging explore`, the what-if page on which a council
//! sets its own weights.
//!
//! Owns: the alternatives the page compares (today the initiatives; later
//! the options of a decision, which is why an alternative carries its
//! `members`), the embedded scenario draws (every uncertain value drawn on
//! its 0..1 scale and rounded to [`RESOLUTION`]), and the reference
//! implementation of everything the page's JavaScript computes from them:
//! totals, first-place shares, tipping points per slider and euro
//! equivalents. The page must agree with these functions (tests in
//! `tests/explore.rs` and `tests/js/`), and these functions agree with the
//! engine: weights are a [`Profile`] of swing-point levels turned into
//! weights by [`representative_weights`], totals are summed as
//! [`crate::engine::score::score`] sums them, first places are counted with
//! the simulation's tie rule.
//!
//! Definitions (the page explains them in plain words):
//! - **Slider** = swing points of one element of one weight level (a group,
//!   or a criterion inside its group); shares are points / sum of the level.
//! - **First-place share** over S scenarios: in scenario s every alternative
//!   i gets `T_is = Σ_c w_c v_isc` (c ascending, from 0.0); the k
//!   alternatives with the highest total (exact `==`) each get 1/k; shares
//!   are the sums in scenario order divided by S (as the simulation's
//!   confidence pass counts first places).
//! - **Tipping points** at the deterministic totals (most likely values):
//!   for a group slider, the group's share moves and the other groups
//!   rescale proportionally (exactly the group definition of the engine's
//!   weight stability in `sensitivity`); for a criterion slider, its share
//!   inside the group moves, the group's other criteria rescale
//!   proportionally and the group shares stay. Totals are linear in that
//!   share, so the interval in which the leader stays first is exact.
//! - **Euros** (when the decision has a money criterion with a linear scale
//!   and a positive weight): one value unit is worth
//!   `|worst − best| / w_money` euros a year. An alternative's worth is its
//!   total minus the best other total, in euros; its break-even price is the
//!   yearly cost at which its total equals the best other total.
//!
//! It never reads files and never formats for people.

use serde::Serialize;

use rand::RngCore;

use super::aggregate::Aggregation;
use super::compiled::{eur_per_value_unit, CompileError, CompiledDecision};
use super::lanes::LaneRng;
use super::rng::stream;
use super::sensitivity::{lead_interval, Lead};
use super::weights::{Level, WeightError};
use crate::model::weights::{LevelError, LevelSpec, WeightLevel};
use crate::model::{Decision, Profile, Text};

/// Stream tag of the page's scenario draws (apart from the simulation's
/// batch streams and the sensitivity analysis' tags).
pub const EXPLORE_STREAM: u64 = 5 << 40;
/// Embedded draws are 0..1 values rounded to multiples of 1 / RESOLUTION,
/// stored as integers: far below any meaningful difference on the value
/// scale, and it halves the page. The page and these functions work on the
/// rounded values.
pub const RESOLUTION: f64 = 1e6;
/// Fewest scenarios the page accepts (a share needs some draws to mean
/// anything).
pub const MIN_SCENARIOS: usize = 100;
/// Most scenarios: beyond this the page gets too large to open on a phone.
pub const MAX_SCENARIOS: usize = 20_000;
/// Highest swing points a slider offers.
pub const SLIDER_MAX: f64 = 100.0;

/// Why the page's numbers cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ExploreError {
    /// Scenario count out of range.
    #[error("the page needs between {min} and {max} scenarios, got {got}")]
    Scenarios {
        /// Fewest.
        min: usize,
        /// Most.
        max: usize,
        /// Asked.
        got: usize,
    },
    /// Nothing to compare.
    #[error("the decision has no initiatives")]
    NoAlternatives,
    /// Weights that cannot be used.
    #[error("{0}")]
    Weights(#[from] WeightError),
    /// Swing points that make no weight level.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Level(Vec<LevelError>),
    /// The decision does not compile.
    #[error("{0}")]
    Compile(String),
}

impl From<CompileError> for ExploreError {
    fn from(e: CompileError) -> Self {
        ExploreError::Compile(e.to_string())
    }
}

/// One alternative the page compares: an initiative today, an option (a
/// combination of initiatives) once the decision has options.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The initiatives it consists of.
    pub members: Vec<String>,
}

/// The alternatives of `decision`, as the compiled decision has them (its
/// initiatives, in file order, until the decision has options).
pub fn alternatives(decision: &Decision) -> Result<Vec<Alternative>, ExploreError> {
    let cd = any_compiled(decision)?;
    Ok(cd
        .alternatives()
        .iter()
        .map(|a| Alternative {
            id: a.id.clone(),
            name: a.name.clone(),
            members: a
                .members
                .iter()
                .map(|&i| decision.initiatives[i].id.clone())
                .collect(),
        })
        .collect())
}

/// How many uncertain values the page embeds draws of (one column each).
pub fn uncertain_columns(decision: &Decision) -> Result<usize, ExploreError> {
    Ok(any_compiled(decision)?.uncertain_values().len())
}

/// The decision compiled with its first profile, for what does not depend on
/// the weights (alternatives, samplers, most likely values).
fn any_compiled(decision: &Decision) -> Result<CompiledDecision<'_>, ExploreError> {
    let profile = decision
        .profiles
        .first()
        .ok_or(ExploreError::NoAlternatives)?;
    let cd = CompiledDecision::new(decision, profile)?;
    if !cd.aggregation().is_additive() {
        // Tipping points and euros are exact only for additive totals.
        return Err(ExploreError::Compile(
            "the explore page needs an additive aggregation of the values".into(),
        ));
    }
    if cd.n() == 0 {
        return Err(ExploreError::NoAlternatives);
    }
    Ok(cd)
}

/// One uncertain value's draws: `q[s] / RESOLUTION` is its 0..1 value in
/// scenario s.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrawColumn {
    /// Index of the alternative.
    pub alternative: usize,
    /// Index of the criterion.
    pub criterion: usize,
    /// Rounded values, one per scenario.
    pub q: Vec<u32>,
}

/// The values the page works on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Values {
    /// Number of alternatives.
    pub n: usize,
    /// Number of criteria.
    pub m: usize,
    /// Most likely 0..1 values, `[i * m + c]` (as `score` uses them).
    pub base: Vec<f64>,
    /// Most likely natural values, `[i * m + c]`.
    pub raw: Vec<f64>,
    /// Number of scenarios.
    pub scenarios: usize,
    /// The seed of the draws.
    pub seed: u64,
    /// Draws of every uncertain value (alternative-major order); certain
    /// values keep their `base` value in every scenario.
    pub columns: Vec<DrawColumn>,
}

impl Values {
    /// The 0..1 values of scenario `s`, `[i * m + c]`.
    pub fn scenario(&self, s: usize, out: &mut [f64]) {
        out.copy_from_slice(&self.base);
        for col in &self.columns {
            out[col.alternative * self.m + col.criterion] = f64::from(col.q[s]) / RESOLUTION;
        }
    }
}

/// Draws `scenarios` scenarios of every uncertain value of `decision` from
/// the stream `(seed, EXPLORE_STREAM)`, value by value in flat order.
pub fn values(decision: &Decision, seed: u64, scenarios: usize) -> Result<Values, ExploreError> {
    if !(MIN_SCENARIOS..=MAX_SCENARIOS).contains(&scenarios) {
        return Err(ExploreError::Scenarios {
            min: MIN_SCENARIOS,
            max: MAX_SCENARIOS,
            got: scenarios,
        });
    }
    let cd = any_compiled(decision)?;
    let (n, m) = (cd.n(), cd.m());
    let mut rng = stream(seed, EXPLORE_STREAM);
    let mut lanes = LaneRng::from_key(rng.next_u64());
    let mut col = vec![0.0; scenarios];
    let mut columns = Vec::new();
    // The simulation's columns, in its order: alternative-major.
    for (k, c, sampler) in cd.uncertain_values() {
        sampler.fill(&mut lanes, &mut rng, &mut col);
        cd.scale(c).apply(&mut col);
        columns.push(DrawColumn {
            alternative: k / m,
            criterion: c,
            // 0..1 values, so the rounded value fits and is never negative.
            q: col
                .iter()
                .map(|&v| (v * RESOLUTION).round() as u32)
                .collect(),
        });
    }
    let raw = cd.most_likely_raw().to_vec();
    let base = cd.most_likely_values().to_vec();
    Ok(Values {
        n,
        m,
        base,
        raw,
        scenarios,
        seed,
        columns,
    })
}

/// Swing points of every slider: `groups[k]` for group k, `criteria[k][j]`
/// for the j-th criterion of group k (in the group's member order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SliderPoints {
    /// Per group.
    pub groups: Vec<f64>,
    /// Per group, per member criterion.
    pub criteria: Vec<Vec<f64>>,
}

impl SliderPoints {
    /// The profile whose levels are these swing points (its representative
    /// weights are points / sum, level by level).
    pub fn to_profile(
        &self,
        decision: &Decision,
        id: &str,
        name: Text,
    ) -> Result<Profile, ExploreError> {
        let level = |items: Vec<String>, p: &[f64]| {
            WeightLevel::new(items, LevelSpec::Swing(p.to_vec())).map_err(ExploreError::Level)
        };
        let group_ids = decision.groups.iter().map(|g| g.id.clone()).collect();
        Ok(Profile {
            id: id.to_string(),
            name,
            description: None,
            groups: level(group_ids, &self.groups)?,
            criteria: self
                .criteria
                .iter()
                .zip(&decision.groups)
                .map(|(p, g)| {
                    let items = g
                        .criteria
                        .iter()
                        .map(|&c| decision.criteria[c].id.clone())
                        .collect();
                    level(items, p)
                })
                .collect::<Result<_, _>>()?,
        })
    }
}

/// The slider positions that reproduce `profile`'s representative weights,
/// the largest of each level at [`SLIDER_MAX`] (the swing convention):
/// swing points as written when their largest is already [`SLIDER_MAX`]
/// (then the shares are bit for bit the profile's), else scaled; rankings,
/// bounds and unknown levels from their representative shares.
pub fn preset(profile: &Profile) -> SliderPoints {
    fn points(level: &WeightLevel) -> Vec<f64> {
        let p = match level.spec() {
            LevelSpec::Swing(p) => p.clone(),
            _ => Level::compile(level).representative().to_vec(),
        };
        let top = p.iter().copied().fold(0.0, f64::max);
        if top == SLIDER_MAX || top <= 0.0 {
            p
        } else {
            p.iter().map(|x| x / top * SLIDER_MAX).collect()
        }
    }
    SliderPoints {
        groups: points(&profile.groups),
        criteria: profile.criteria.iter().map(points).collect(),
    }
}

/// The weights of `profile` as the page uses them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weights {
    /// Group shares.
    pub groups: Vec<f64>,
    /// Per group, the shares of its criteria (member order).
    pub local: Vec<Vec<f64>>,
    /// Global weight per criterion (group share × local share).
    pub global: Vec<f64>,
}

/// The representative weights of `profile`, as the compiled decision has
/// them (the weights `score` uses).
pub fn weights(decision: &Decision, profile: &Profile) -> Result<Weights, ExploreError> {
    let cd = CompiledDecision::new(decision, profile)?;
    Ok(Weights {
        groups: cd.representative_groups().to_vec(),
        local: cd
            .local_levels()
            .iter()
            .map(|l| l.representative().to_vec())
            .collect(),
        global: cd.representative_weights().to_vec(),
    })
}

/// `Σ_c w_c v[i * m + c]` for every alternative: the engine's additive
/// aggregation (c ascending from 0.0, the order of `score`), which
/// [`values`] requires.
pub fn totals(v: &[f64], m: usize, global: &[f64]) -> Vec<f64> {
    debug_assert_eq!(global.len(), m);
    let mut out = vec![0.0; v.len() / m.max(1)];
    Aggregation::WeightedSum.totals(v, global, &mut out);
    out
}

/// First-place shares over the scenarios of `values` (ties shared).
pub fn first_shares(values: &Values, global: &[f64]) -> Vec<f64> {
    let n = values.n;
    let mut wins = vec![0.0; n];
    let mut v = vec![0.0; n * values.m];
    for s in 0..values.scenarios {
        values.scenario(s, &mut v);
        let t = totals(&v, values.m, global);
        let top = t.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let k = t.iter().filter(|&&x| x == top).count();
        for (w, &x) in wins.iter_mut().zip(&t) {
            if x == top {
                *w += 1.0 / k as f64;
            }
        }
    }
    wins.iter().map(|w| w / values.scenarios as f64).collect()
}

/// Which slider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "lowercase")]
pub enum Slider {
    /// A group's slider (index into the groups).
    Group(usize),
    /// A criterion's slider (index into the criteria).
    Criterion(usize),
}

/// How far one slider's share can move before the first place changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tipping {
    /// The slider.
    pub slider: Slider,
    /// Its share now (of its level).
    pub current: f64,
    /// The alternative first at the current weights.
    pub leader: usize,
    /// Lowest share at which the leader is still first.
    pub lower: f64,
    /// Highest share at which the leader is still first.
    pub upper: f64,
    /// Who is first just below `lower` (`None`: the leader stays first down to 0).
    pub below: Option<usize>,
    /// Who is first just above `upper` (`None`: the leader stays first up to 1).
    pub above: Option<usize>,
}

/// The leader of `totals`: the highest, the lowest index among equals (as
/// `sensitivity` picks it).
pub fn leader(totals: &[f64]) -> usize {
    let mut order: Vec<usize> = (0..totals.len()).collect();
    order.sort_by(|&a, &b| totals[b].total_cmp(&totals[a]).then(a.cmp(&b)));
    order[0]
}

/// Tipping points of every slider (groups first, then criteria in file
/// order) at the 0..1 values `v` (`[i * m + c]`).
pub fn tipping(decision: &Decision, v: &[f64], w: &Weights) -> Vec<Tipping> {
    let m = decision.criteria.len();
    let n = v.len() / m;
    let t0 = totals(v, m, &w.global);
    let lead = leader(&t0);
    // The group's part of each total at local shares: G_ik = Σ l_c v_ic.
    let group_value = |k: usize, i: usize| -> f64 {
        decision.groups[k]
            .criteria
            .iter()
            .zip(&w.local[k])
            .map(|(&c, l)| l * v[i * m + c])
            .sum()
    };
    let mut out = Vec::new();
    for k in 0..decision.groups.len() {
        let g = w.groups[k];
        let lines: Vec<[f64; 2]> = (0..n)
            .map(|i| {
                let gv = group_value(k, i);
                let rest = if g < 1.0 {
                    (t0[i] - g * gv) / (1.0 - g)
                } else {
                    t0[i]
                };
                [rest, gv]
            })
            .collect();
        out.push(interval(Slider::Group(k), g, &lines, lead));
    }
    for (c, crit) in decision.criteria.iter().enumerate() {
        let k = crit.group;
        let j = decision.groups[k]
            .criteria
            .iter()
            .position(|&x| x == c)
            .unwrap_or(0);
        let (g, l) = (w.groups[k], w.local[k][j]);
        let lines: Vec<[f64; 2]> = (0..n)
            .map(|i| {
                let gv = group_value(k, i);
                let vc = v[i * m + c];
                let others = t0[i] - g * gv;
                let rest = if l < 1.0 {
                    (gv - l * vc) / (1.0 - l)
                } else {
                    gv
                };
                [others + g * rest, others + g * vc]
            })
            .collect();
        out.push(interval(Slider::Criterion(c), l, &lines, lead));
    }
    out
}

/// The interval of x around `x0` where `lead` has the highest line
/// `(1 − x) · l[0] + x · l[1]`, and who takes over at its ends: the
/// engine's one definition ([`lead_interval`]), as `sensitivity` reports it.
fn interval(slider: Slider, x0: f64, lines: &[[f64; 2]], lead: usize) -> Tipping {
    let Lead {
        lower,
        upper,
        below,
        above,
    } = lead_interval(x0, lines, lead);
    Tipping {
        slider,
        current: x0,
        leader: lead,
        lower,
        upper,
        below,
        above,
    }
}

/// The money criterion: the one declared `money = true` (the model
/// requires it to have a linear scale).
pub fn money_criterion(decision: &Decision) -> Option<usize> {
    decision.money_criterion()
}

/// What one alternative is worth in euros at given weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Euros {
    /// Its total minus the best other total, in euros a year (positive for
    /// a sole leader).
    pub worth: f64,
    /// The yearly cost at which its total equals the best other total.
    pub break_even: f64,
    /// Whether `break_even` lies on the money criterion's scale (beyond
    /// it the scale is flat: no price there changes the order).
    pub on_scale: bool,
}

/// The euro figures of every alternative at the 0..1 values `v`, or `None`
/// when there is no money criterion with a linear scale and a positive weight.
pub fn euros(decision: &Decision, v: &[f64], global: &[f64]) -> Option<Vec<Euros>> {
    let (c, per_unit) = eur_per_value_unit(decision, global)?;
    let crate::model::Scale::Linear { worst, best } = decision.criteria[c].scale else {
        return None;
    };
    let wc = global[c];
    let m = decision.criteria.len();
    let t = totals(v, m, global);
    Some(
        (0..t.len())
            .map(|i| {
                let other = (0..t.len())
                    .filter(|&j| j != i)
                    .map(|j| t[j])
                    .fold(f64::NEG_INFINITY, f64::max);
                let diff = if other.is_finite() { t[i] - other } else { 0.0 };
                // Value on the money scale at which the totals are equal.
                let at = v[i * m + c] - diff / wc;
                Euros {
                    worth: diff * per_unit,
                    break_even: worst + at * (best - worst),
                    on_scale: (0.0..=1.0).contains(&at),
                }
            })
            .collect(),
    )
}

/// Everything the page shows for one weighting, as the engine computes it
/// (`afweging explore --evaluate FILE`; the page must show the same).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Alternative ids, in the order of every array below.
    pub alternatives: Vec<String>,
    /// The weights.
    pub weights: Weights,
    /// Totals at the most likely values.
    pub totals: Vec<f64>,
    /// First-place shares over the scenarios.
    pub shares: Vec<f64>,
    /// 95% half-widths of the shares (Agresti–Coull).
    pub half_widths: Vec<f64>,
    /// Tipping points per slider (groups, then criteria).
    pub tipping: Vec<Tipping>,
    /// Euro figures, when the decision has a usable money criterion.
    pub euros: Option<Vec<Euros>>,
}

/// Evaluates one weighting (`profile`, usually from [`SliderPoints::to_profile`]).
pub fn evaluate(
    decision: &Decision,
    values: &Values,
    profile: &Profile,
) -> Result<Evaluation, ExploreError> {
    let w = weights(decision, profile)?;
    let shares = first_shares(values, &w.global);
    Ok(Evaluation {
        alternatives: alternatives(decision)?.into_iter().map(|a| a.id).collect(),
        totals: totals(&values.base, values.m, &w.global),
        half_widths: shares
            .iter()
            .map(|&p| super::simulate::half_width(p, values.scenarios as f64))
            .collect(),
        shares,
        tipping: tipping(decision, &values.base, &w),
        euros: euros(decision, &values.base, &w.global),
        weights: w,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_of_two_crossing_lines() {
        // Lead: 0.25 + 0.5x, other: 0.5 (flat): they cross at x = 0.5,
        // below which the other leads (exact in binary).
        let lines = [[0.25, 0.75], [0.5, 0.5]];
        let t = interval(Slider::Group(0), 0.75, &lines, 0);
        assert_eq!((t.lower, t.upper), (0.5, 1.0));
        assert_eq!((t.below, t.above), (Some(1), None));
    }

    fn tiny(base: Vec<f64>, m: usize, columns: Vec<DrawColumn>, scenarios: usize) -> Values {
        Values {
            n: base.len() / m,
            m,
            raw: base.clone(),
            base,
            scenarios,
            seed: 0,
            columns,
        }
    }

    /// Ties share the first place: scenario 1 ties all three alternatives
    /// at 0.5, scenario 2 ties the first two (tests/js checks the same).
    #[test]
    fn ties_share_the_first_place() {
        let col = DrawColumn {
            alternative: 2,
            criterion: 0,
            q: vec![500_000, 100_000],
        };
        let v = tiny(vec![0.5, 0.5, 0.2], 1, vec![col], 2);
        let half = (1.0 / 3.0 + 0.5) / 2.0;
        assert_eq!(first_shares(&v, &[1.0]), vec![half, half, 1.0 / 3.0 / 2.0]);
    }

    /// The order of the sum decides a near-tie: (0.1 + 0.2) + 0.3 >
    /// (0.3 + 0.2) + 0.1 in floating point, so the first alternative wins
    /// every scenario (summed in reverse it would lose; tests/js checks
    /// the page sums the same way).
    #[test]
    fn first_places_follow_the_criterion_order_of_the_sum() {
        let v = tiny(vec![0.1, 0.2, 0.3, 0.3, 0.2, 0.1], 3, vec![], 3);
        assert_eq!(first_shares(&v, &[1.0, 1.0, 1.0]), vec![1.0, 0.0]);
    }

    #[test]
    fn totals_sum_in_criterion_order() {
        let v = [0.1, 0.2, 0.3, 1.0, 0.0, 0.5];
        let w = [0.5, 0.25, 0.25];
        assert_eq!(totals(&v, 3, &w), vec![0.05 + 0.05 + 0.075, 0.5 + 0.125]);
    }
}
