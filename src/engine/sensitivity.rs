//! Sensitivity and value of information: what would change the advice, and
//! what is worth finding out before deciding.
//!
//! Owns four analyses of a [`CompiledDecision`] (one profile), over its
//! alternatives (today: the initiatives); the deterministic two live in
//! `deterministic`, the inputs and their keys in `input`
//! ([`Input`], [`Weight`]):
//!
//! - **weight stability** (deterministic): for each group share and each
//!   criterion's global weight, the interval over which the top-ranked
//!   initiative of the deterministic score stays first when that weight
//!   moves and the other weights are rescaled proportionally, the smallest
//!   change that makes another initiative first, and which one. Totals are
//!   linear in the moved weight, so the break points are exact.
//! - **tornado** (deterministic): each uncertain value at its 5th and 95th
//!   percentile, everything else at its most likely point, and the overall
//!   value of its initiative at both.
//! - **variance-based (Sobol) indices** of each initiative's overall value and
//!   of the difference between the top two (deterministic ranking), with
//!   respect to each uncertain value (`<initiative>.<criterion>`), the
//!   weights (`weights` for the group shares, `weights.<group>` for the
//!   shares inside a group) and the grouped values of each criterion group
//!   (`group:<group>`: all uncertain values on that group's criteria).
//!   Estimators: Saltelli (2010) for first order, Jansen (1999) for total,
//!   on radial A/B/AB_k samples of `N` base rows; confidence intervals are
//!   95% batch-means intervals over batches of [`BATCH`] rows.
//! - **value of information**: `EVPI = E[max_i V_i] − max_i E[V_i]` over all
//!   uncertainty (values and weights), and EVPPI of each input and group of
//!   inputs. The value model is additive and the weights are independent of
//!   the values, so the conditional expectation given a set G of inputs is
//!   exactly linear in their 0..1 values:
//!   `E[V_i | X_G] = E[V_i] + Σ_{(i,c)∈G} E[w_c] (v_ic − E[v_ic])` for
//!   values, and `E[V_i | w] = Σ_c w_c E[v_ic]` for the weights.
//!   `EVPPI_G = E[max_i E[V_i | X_G]] − max_i E[V_i]` is then a
//!   one-level Monte Carlo integral over X_G alone (no binning bias). Value
//!   units are the 0..1 scale of the overall value; euros go through the
//!   money criterion ([`CompiledDecision::eur_per_value_unit`]): one value
//!   unit is |worst − best| / w_c euros a year.
//!
//! The exact shortcuts above (straight lines, one contribution moving, the
//! linear conditional expectation) need an additive aggregation; the
//! analysis refuses any other. The rows hold each alternative's values; an
//! alternative of one initiative has that initiative's draw as its value
//! (alternatives of several members need the rows to hold the members'
//! draws and combine them, see [`Combine`]).
//!
//! Reproducible like the simulation: rows come in fixed batches, each with
//! its own RNG stream, merged in batch order. It does not format anything.
//!
//! # EVPPI error bars
//!
//! The EVPPI estimate `Ê(θ̂) = (1/D) Σ_d z_d(θ̂)`, with
//! `z_d = max_i E[V_i | X_d] − E[V_best | X_d]` over `D` draws `X_d` of the
//! input, plugs in `θ̂ = (ev, ew)`: the means of every 0..1 value and every
//! global weight over the `R = 2N` A and B rows of the Sobol design. Both
//! are Monte Carlo estimates from independent streams, so
//! `Var Ê ≈ Var(z) / D + Gᵀ Σ G / R`: the first term is the spread of the
//! draws; the second (first-order delta method) is the noise of the
//! plug-in means, with `G = ∂Ê/∂θ` and `Σ` the covariance of one row's
//! inputs. Near a tie between the best initiatives the second term
//! dominates, and leaving it out gave error bars 2–5× too small over
//! seeds on the shipped decision (and 6.7× on the test decision).
//!
//! `G` is exact for the estimate as computed: `E[V_i | X]` is linear in
//! `ev` and, through the mean shares of the other weight level, a ratio of
//! sums of `ew`, so each draw adds `∇E[V_top | X_d] − ∇E[V_best | X_d]` in
//! closed form (the argmax does not move under an infinitesimal change).
//! `Gᵀ Σ G` is the variance of the scalar `G · x` over rows `x`, measured
//! on a pilot sample of 4,096 rows from its own stream, drawn as the
//! design draws its rows, as `64 · Var(block means)` over 64 blocks of 64
//! consecutive rows (which also counts the autocorrelation of hit-and-run
//! weight draws). The reported half-width is `Z95 · √(Var Ê)`. The test
//! `evppi_errors_match_the_spread_between_seeds` checks over 200 seeds
//! that the spread of the estimates is the reported error (ratio within
//! 0.75–1.25) and that about 95% of the seeds fall within their half-width.

// Index loops mirror the formulas (i: initiative, c: criterion, o: output).
#![allow(clippy::needless_range_loop)]

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::compiled::{Combine, CompiledDecision};
use super::rng::{stream, Rng};
use super::sampler::Sampler;
use super::score::ProfileRef;
// The two-sided 95% normal quantile, under a short local name.
use super::simulate::Z95_TWO_SIDED as Z95;
use super::value_fn::Scale;
use super::weights::{Level, LevelState};
use evppi::{evppi, plugin_pilot, PlugIn};

mod deterministic;
mod evppi;
mod input;

pub(crate) use deterministic::{lead_interval, Lead};
pub use input::{Input, Weight};

/// Base rows per batch (the unit of reproducibility and of the batch-means
/// confidence intervals).
pub const BATCH: u64 = 1024;

/// Below this standard deviation (in units of the 0..1 overall value) an
/// output has no variance to apportion: its draws differ by rounding only
/// (about 1e-16 per operation; a total of a few dozen products stays far
/// below 1e-9), and indices computed from that noise are meaningless
/// (a constant overall value gave a first-order index of 1.04). Such an
/// output is left out of `sobol`.
pub const NO_VARIANCE_SD: f64 = 1e-9;

/// The fewest base rows the analysis takes: two batches, for the
/// batch-means intervals.
pub const MIN_ROWS: u64 = 2 * BATCH;

/// Stream tags keep the analyses' random numbers apart.
const SOBOL_STREAMS: u64 = 2 << 40;
const EVPPI_STREAMS: u64 = 3 << 40;
const PILOT_STREAM: u64 = 4 << 40;

/// What to analyse.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SensitivityPlan {
    /// RNG seed.
    pub seed: u64,
    /// Base rows of the Sobol design (each costs K + 2 model evaluations);
    /// also the number of draws of each EVPPI integral.
    pub rows: u64,
}

/// Why the analysis cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SensitivityError {
    /// Fewer than two alternatives: nothing to compare.
    #[error("sensitivity needs at least two initiatives")]
    TooFewInitiatives,
    /// Too few rows for the batch-means intervals.
    #[error("sensitivity needs at least {min} base rows (two batches), got {got}")]
    TooFewRows {
        /// The minimum ([`MIN_ROWS`]).
        min: u64,
        /// What was asked.
        got: u64,
    },
    /// Two inputs have the same key (ids that collide when joined).
    #[error("two sensitivity inputs would both be called `{key}`: rename an initiative, criterion or group")]
    AmbiguousInput {
        /// The key.
        key: String,
    },
    /// The aggregation is not additive, and the exact shortcuts of this
    /// analysis need it.
    #[error("the sensitivity analysis needs an additive value model")]
    NotAdditive,
}

/// One weight's stability interval.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stability {
    /// `group` or `criterion`.
    pub kind: &'static str,
    /// The weight now (share of its level for a group, global weight for a criterion).
    pub current: f64,
    /// The initiative first at the current weights.
    pub leader: String,
    /// Lowest weight at which the leader is still first.
    pub lower: f64,
    /// Highest weight at which the leader is still first.
    pub upper: f64,
    /// Who takes over below `lower` (`null` if the leader stays first down to 0).
    pub taker_below: Option<String>,
    /// Who takes over above `upper` (`null` if the leader stays first up to 1).
    pub taker_above: Option<String>,
    /// The smallest change of this weight that makes another initiative first.
    pub smallest_change: Option<f64>,
    /// Who is first after that change.
    pub takes_over: Option<String>,
    /// Overall value of each initiative with this weight at 0 and at 1 (the
    /// others rescaled): straight lines, for a one-way sensitivity chart.
    pub lines: BTreeMap<String, [f64; 2]>,
}

/// One uncertain value at its 5th and 95th percentile.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TornadoBar {
    /// The initiative.
    pub initiative: String,
    /// The criterion.
    pub criterion: String,
    /// The value at its 5th percentile (criterion's unit).
    pub low_input: f64,
    /// The value at its 95th percentile.
    pub high_input: f64,
    /// The initiative's overall value with this input at its 5th percentile.
    pub low: f64,
    /// … at its 95th percentile.
    pub high: f64,
    /// … at the most likely point.
    pub base: f64,
    /// Whether either end changes which initiative is first.
    pub changes_leader: bool,
}

/// Sobol indices of one output with respect to one input.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct SobolIndex {
    /// First-order index.
    pub first: f64,
    /// Total-order index.
    pub total: f64,
    /// 95% half-width of `first`.
    pub first_ci: f64,
    /// 95% half-width of `total`.
    pub total_ci: f64,
}

/// 95% Monte Carlo half-widths of the value-of-information estimates.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VoiErrors {
    /// Of `evpi`.
    pub evpi: f64,
    /// Of `evpi_eur` (`null` without a euro criterion).
    pub evpi_eur: Option<f64>,
    /// Of `evppi`.
    pub evppi: BTreeMap<String, f64>,
    /// Of `evppi_eur`.
    pub evppi_eur: BTreeMap<String, Option<f64>>,
}

/// The result of `afweging sensitivity`: the documented JSON schema.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SensitivityResult {
    /// Always `"sensitivity"`.
    pub kind: &'static str,
    /// afweging version.
    pub version: String,
    /// The decision's title.
    pub decision: String,
    /// The weight profile.
    pub profile: ProfileRef,
    /// SHA-256 of all input files.
    pub input_hash: String,
    /// RNG seed.
    pub seed: u64,
    /// Base rows of the Sobol design (and draws per EVPPI integral).
    pub iterations: u64,
    /// Model evaluations of the Sobol design: rows × (inputs + 2).
    pub evaluations: u64,
    /// The initiative first in the deterministic score.
    pub leader: String,
    /// The second one (the difference `leader − runner_up` is a Sobol output).
    pub runner_up: String,
    /// Per weight (`group:<id>` or a criterion id): the stability interval.
    pub weight_stability: BTreeMap<String, Stability>,
    /// Per uncertain value (`<initiative>.<criterion>`): low and high.
    pub tornado: BTreeMap<String, TornadoBar>,
    /// Per output (initiative id, or `difference`) and input: Sobol indices.
    pub sobol: BTreeMap<String, BTreeMap<String, SobolIndex>>,
    /// Expected value of perfect information, in value units (0..1 scale).
    pub evpi: f64,
    /// EVPI in euros a year (`null` without a linear euro cost criterion).
    pub evpi_eur: Option<f64>,
    /// The cost criterion used for euros.
    pub eur_criterion: Option<String>,
    /// Euros a year per value unit.
    pub eur_per_value_unit: Option<f64>,
    /// Expected value of partial perfect information per input or group of
    /// inputs, in value units.
    pub evppi: BTreeMap<String, f64>,
    /// EVPPI in euros a year.
    pub evppi_eur: BTreeMap<String, Option<f64>>,
    /// 95% half-widths of `evpi` and `evppi`.
    pub error: VoiErrors,
    /// Every input of `sobol`, `evppi` and `tornado` by its key (not
    /// serialised: the keys are the serialised form).
    #[serde(skip)]
    pub inputs: BTreeMap<String, Input>,
}

impl SensitivityResult {
    /// The input a key of `sobol`, `evppi` or `tornado` stands for.
    pub fn input(&self, key: &str) -> Option<&Input> {
        self.inputs.get(key)
    }

    /// The stability interval of a weight.
    pub fn stability(&self, weight: &Weight) -> Option<&Stability> {
        self.weight_stability.get(&weight.key())
    }
}

/// An input of the Sobol design, by index ([`Input`] by id).
#[derive(Debug, Clone)]
enum Factor {
    /// One uncertain value of alternative `i` on criterion `c`.
    Value { i: usize, c: usize },
    /// The group shares.
    Groups,
    /// The shares inside group `g`.
    Local(usize),
    /// All uncertain values on the criteria of group `g`.
    ValueGroup(usize),
}

/// One row of inputs: 0..1 values, group shares and local shares.
#[derive(Clone)]
struct Row {
    v: Vec<f64>,
    groups: Vec<f64>,
    local: Vec<f64>,
    w: Vec<f64>,
}

/// The compiled decision as the row-by-row designs read it: values per
/// alternative `[i * m + c]` on 0..1, group and local weight shares.
struct Model<'a> {
    n: usize,
    m: usize,
    group_of: Vec<usize>,
    /// Criteria of each group, in level order.
    members: Vec<Vec<usize>>,
    /// The sampler of each alternative's value (`None` when certain).
    samplers: Vec<Option<&'a Sampler>>,
    scales: Vec<&'a Scale>,
    base: Vec<f64>,
    group_level: &'a Level,
    local_levels: &'a [Level],
    aggregation: super::aggregate::Aggregation,
}

impl<'a> Model<'a> {
    fn new(cd: &'a CompiledDecision) -> Self {
        let (n, m) = (cd.n(), cd.m());
        Model {
            n,
            m,
            group_of: (0..m).map(|c| cd.group_of(c)).collect(),
            members: (0..cd.decision().groups.len())
                .map(|g| cd.group_criteria(g).to_vec())
                .collect(),
            samplers: (0..n * m).map(|k| cd.value_sampler(k / m, k % m)).collect(),
            scales: (0..m).map(|c| cd.scale(c)).collect(),
            base: cd.most_likely_values().to_vec(),
            group_level: cd.group_level(),
            local_levels: cd.local_levels(),
            aggregation: cd.aggregation(),
        }
    }
}

impl Model<'_> {
    fn new_row(&self) -> Row {
        let mut r = Row {
            v: self.base.clone(),
            groups: self.group_level.representative().to_vec(),
            local: vec![0.0; self.m],
            w: vec![0.0; self.m],
        };
        for (g, members) in self.members.iter().enumerate() {
            for (k, &c) in members.iter().enumerate() {
                r.local[c] = self.local_levels[g].representative()[k];
            }
        }
        self.update_w(&mut r);
        r
    }

    fn update_w(&self, r: &mut Row) {
        for c in 0..self.m {
            r.w[c] = r.groups[self.group_of[c]] * r.local[c];
        }
    }

    /// Draws every uncertain input of a row, in a fixed order.
    fn draw(&self, rng: &mut Rng, states: &mut [LevelState], scratch: &mut Vec<f64>, r: &mut Row) {
        for (k, s) in self.samplers.iter().enumerate() {
            if let Some(s) = s {
                r.v[k] = self.scales[k % self.m].value(s.sample(rng));
            }
        }
        if !self.group_level.is_fixed() {
            self.group_level
                .sample_into(rng, &mut states[0], &mut r.groups);
        }
        for (g, level) in self.local_levels.iter().enumerate() {
            if !level.is_fixed() {
                scratch.resize(level.len(), 0.0);
                level.sample_into(rng, &mut states[g + 1], scratch);
                for (k, &c) in self.members[g].iter().enumerate() {
                    r.local[c] = scratch[k];
                }
            }
        }
        self.update_w(r);
    }

    fn totals(&self, v: &[f64], w: &[f64], out: &mut [f64]) {
        self.aggregation.totals(v, w, &mut out[..self.n]);
    }
}

/// Per-batch sums of the Sobol design and the value-of-information integrals.
#[derive(Clone)]
struct Sums {
    rows: f64,
    /// Per output: Σ y and Σ y² over A and B rows (shifted).
    y1: Vec<f64>,
    y2: Vec<f64>,
    /// [o * K + k]: Σ yB (yABk − yA) and Σ (yA − yABk)².
    first: Vec<f64>,
    total: Vec<f64>,
    /// Σ over A and B rows of max_i V_i, its square, and V_i, V_i², V_i·max.
    max1: f64,
    max2: f64,
    v1: Vec<f64>,
    v2: Vec<f64>,
    vmax: Vec<f64>,
    /// Σ of every 0..1 value and of every global weight over A and B rows.
    vsum: Vec<f64>,
    wsum: Vec<f64>,
}

impl Sums {
    fn new(outputs: usize, factors: usize, n: usize, m: usize) -> Self {
        Sums {
            rows: 0.0,
            y1: vec![0.0; outputs],
            y2: vec![0.0; outputs],
            first: vec![0.0; outputs * factors],
            total: vec![0.0; outputs * factors],
            max1: 0.0,
            max2: 0.0,
            v1: vec![0.0; n],
            v2: vec![0.0; n],
            vmax: vec![0.0; n],
            vsum: vec![0.0; n * m],
            wsum: vec![0.0; m],
        }
    }

    fn add(&mut self, o: &Sums) {
        self.rows += o.rows;
        self.max1 += o.max1;
        self.max2 += o.max2;
        for (a, b) in [
            (&mut self.y1, &o.y1),
            (&mut self.y2, &o.y2),
            (&mut self.first, &o.first),
            (&mut self.total, &o.total),
            (&mut self.v1, &o.v1),
            (&mut self.v2, &o.v2),
            (&mut self.vmax, &o.vmax),
            (&mut self.vsum, &o.vsum),
            (&mut self.wsum, &o.wsum),
        ] {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }

    /// The variance of output `o` over the A and B rows.
    fn variance(&self, o: usize) -> f64 {
        // A and B rows both count for the variance: 2 · rows values.
        let cnt = 2.0 * self.rows;
        let mean = self.y1[o] / cnt;
        self.y2[o] / cnt - mean * mean
    }

    /// Whether output `o` varies by more than rounding noise.
    fn has_variance(&self, o: usize) -> bool {
        self.variance(o) > NO_VARIANCE_SD * NO_VARIANCE_SD
    }

    /// (first, total) index of output `o` and factor `k`; (0, 0) for an
    /// output without variance.
    fn indices(&self, o: usize, k: usize, factors: usize) -> (f64, f64) {
        if !self.has_variance(o) {
            return (0.0, 0.0);
        }
        let var = self.variance(o);
        let f = self.first[o * factors + k] / self.rows / var;
        let t = 0.5 * self.total[o * factors + k] / self.rows / var;
        (f, t)
    }
}

/// Runs the whole sensitivity analysis of the compiled decision.
pub fn sensitivity(
    cd: &CompiledDecision,
    plan: &SensitivityPlan,
) -> Result<SensitivityResult, SensitivityError> {
    sensitivity_with_progress(cd, plan, &|_, _| {})
}

/// [`sensitivity`], calling `progress(done, total)` as work completes, in
/// model evaluations: `rows · (inputs + 2)` for the Sobol design, then
/// `2 · rows` per input for the value of information. The calls come from
/// worker threads (two may arrive out of order); the last call has
/// `done == total`. The results do not depend on it.
pub fn sensitivity_with_progress(
    cd: &CompiledDecision,
    plan: &SensitivityPlan,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<SensitivityResult, SensitivityError> {
    let decision = cd.decision();
    let (n, m) = (cd.n(), cd.m());
    if n < 2 {
        return Err(SensitivityError::TooFewInitiatives);
    }
    if plan.rows < MIN_ROWS {
        return Err(SensitivityError::TooFewRows {
            min: MIN_ROWS,
            got: plan.rows,
        });
    }
    if !cd.aggregation().is_additive() {
        return Err(SensitivityError::NotAdditive);
    }
    let ids = cd.alternative_ids();
    let cids = cd.criterion_ids();

    // Deterministic point: representative weights and most likely values.
    let model = Model::new(cd);
    let mut t0 = vec![0.0; n];
    model.totals(&model.base, cd.representative_weights(), &mut t0);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| t0[b].total_cmp(&t0[a]).then(a.cmp(&b)));
    let (lead, second) = (order[0], order[1]);

    let weight_stability = deterministic::weight_stability(cd, &t0, &ids, lead);
    let tornado = deterministic::tornado(cd, &t0, lead);

    let factors = factors(cd, &model)?;
    let kf = factors.len();
    let outputs = n + 1;
    // Shift outputs by their deterministic value: smaller sums, less rounding.
    let mut shift = t0.clone();
    shift.push(t0[lead] - t0[second]);

    let per_row = kf as u64 + 2;
    let total_work = plan.rows * per_row + kf as u64 * 2 * plan.rows;
    let done = std::sync::atomic::AtomicU64::new(0);
    let advance = |work: u64| {
        let now = done.fetch_add(work, std::sync::atomic::Ordering::Relaxed) + work;
        progress(now, total_work);
    };
    let batches = plan.rows.div_ceil(BATCH);
    let parts: Vec<Sums> = (0..batches)
        .into_par_iter()
        .map(|b| {
            let len = BATCH.min(plan.rows - b * BATCH);
            let sums = sobol_batch(&model, &factors, &shift, (lead, second), plan.seed, b, len);
            advance(len * per_row);
            sums
        })
        .collect();
    let mut all = Sums::new(outputs, kf, n, m);
    for p in &parts {
        all.add(p);
    }

    // Sobol indices with batch-means half-widths, of every output that
    // varies by more than rounding noise.
    let mut sobol = BTreeMap::new();
    let nb = parts.len() as f64;
    for o in (0..outputs).filter(|&o| all.has_variance(o)) {
        let name = if o < n {
            ids[o].clone()
        } else {
            "difference".to_string()
        };
        let mut per = BTreeMap::new();
        for (k, (fname, _, _)) in factors.iter().enumerate() {
            let (f, t) = all.indices(o, k, kf);
            let (mut sf, mut st) = (0.0, 0.0);
            for p in &parts {
                let (pf, pt) = p.indices(o, k, kf);
                sf += (pf - f).powi(2);
                st += (pt - t).powi(2);
            }
            let se = |s: f64| Z95 * (s / (nb - 1.0)).sqrt() / nb.sqrt();
            per.insert(
                fname.clone(),
                SobolIndex {
                    first: f,
                    total: t,
                    first_ci: se(sf),
                    total_ci: se(st),
                },
            );
        }
        sobol.insert(name, per);
    }

    // EVPI from the A and B rows.
    let cnt = 2.0 * all.rows;
    let means: Vec<f64> = all.v1.iter().map(|s| s / cnt).collect();
    let best = (0..n)
        .max_by(|&a, &b| means[a].total_cmp(&means[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    let evpi = (all.max1 / cnt - means[best]).max(0.0);
    // z = max_i V_i − V_best; Var z = E[max²] − 2 E[max V_best] + E[V_best²] − EVPI².
    let ez2 = all.max2 / cnt - 2.0 * all.vmax[best] / cnt + all.v2[best] / cnt;
    let evpi_err = Z95 * ((ez2 - evpi * evpi).max(0.0) / cnt).sqrt();

    // EVPPI per factor with the exact linear conditional expectation.
    let ev: Vec<f64> = all.vsum.iter().map(|s| s / cnt).collect();
    let ew: Vec<f64> = all.wsum.iter().map(|s| s / cnt).collect();
    let mut mu = vec![0.0; n];
    model.totals(&ev, &ew, &mut mu);
    let pilot = plugin_pilot(&model, plan.seed);
    let plug = PlugIn {
        ev: &ev,
        ew: &ew,
        mu: &mu,
        rows: cnt,
        pilot: &pilot,
    };
    let evppi_parts: Vec<(String, f64, f64)> = factors
        .par_iter()
        .enumerate()
        .map(|(k, (name, f, _))| {
            let (e, err) = evppi(&model, f, &plug, plan.seed, k as u64, plan.rows * 2);
            advance(plan.rows * 2);
            (name.clone(), e, err)
        })
        .collect();
    progress(total_work, total_work);
    let mut evppi_map = BTreeMap::new();
    let mut evppi_err = BTreeMap::new();
    for (name, e, err) in evppi_parts {
        evppi_map.insert(name.clone(), e);
        evppi_err.insert(name, err);
    }

    // Euros per value unit through the money criterion.
    let eur = cd.eur_per_value_unit();
    let per_unit = eur.map(|(_, k)| k);
    let mut inputs: BTreeMap<String, Input> = factors
        .into_iter()
        .map(|(key, _, input)| (key, input))
        .collect();
    for (key, bar) in &tornado {
        inputs.entry(key.clone()).or_insert_with(|| Input::Value {
            initiative: bar.initiative.clone(),
            criterion: bar.criterion.clone(),
        });
    }
    Ok(SensitivityResult {
        kind: "sensitivity",
        version: crate::VERSION.to_string(),
        decision: decision.title.clone(),
        profile: cd.profile_ref(),
        input_hash: decision.input_hash.clone(),
        seed: plan.seed,
        iterations: plan.rows,
        evaluations: plan.rows * (kf as u64 + 2),
        leader: ids[lead].clone(),
        runner_up: ids[second].clone(),
        weight_stability,
        tornado,
        sobol,
        evpi,
        evpi_eur: per_unit.map(|k| evpi * k),
        eur_criterion: eur.map(|(c, _)| cids[c].clone()),
        eur_per_value_unit: per_unit,
        evppi_eur: evppi_map
            .iter()
            .map(|(k, v)| (k.clone(), per_unit.map(|u| v * u)))
            .collect(),
        evppi: evppi_map,
        error: VoiErrors {
            evpi: evpi_err,
            evpi_eur: per_unit.map(|k| evpi_err * k),
            evppi_eur: evppi_err
                .iter()
                .map(|(k, v)| (k.clone(), per_unit.map(|u| v * u)))
                .collect(),
            evppi: evppi_err,
        },
        inputs,
    })
}

/// The inputs of the Sobol design, in order: every uncertain value, the
/// group shares and the local shares where uncertain, and the grouped values
/// of every group with an uncertain value; each with its key and typed
/// input. Refuses two inputs with one key.
fn factors(
    cd: &CompiledDecision,
    model: &Model,
) -> Result<Vec<(String, Factor, Input)>, SensitivityError> {
    let decision = cd.decision();
    let (n, m) = (cd.n(), cd.m());
    let group_id = |g: usize| decision.groups[g].id.clone();
    let mut factors: Vec<(Factor, Input)> = Vec::new();
    for (i, alt) in cd.alternatives().iter().enumerate() {
        for c in 0..m {
            if model.samplers[i * m + c].is_some() {
                let member = match cd.combine(c) {
                    Combine::Single => alt.members[0],
                };
                let input = Input::Value {
                    initiative: decision.initiatives[member].id.clone(),
                    criterion: decision.criteria[c].id.clone(),
                };
                factors.push((Factor::Value { i, c }, input));
            }
        }
    }
    if !cd.group_level().is_fixed() {
        factors.push((Factor::Groups, Input::GroupShares));
    }
    for (g, level) in cd.local_levels().iter().enumerate() {
        if !level.is_fixed() {
            let input = Input::LocalShares { group: group_id(g) };
            factors.push((Factor::Local(g), input));
        }
    }
    for g in 0..decision.groups.len() {
        let any = (0..n).any(|i| {
            cd.group_criteria(g)
                .iter()
                .any(|&c| model.samplers[i * m + c].is_some())
        });
        if any {
            let input = Input::GroupValues { group: group_id(g) };
            factors.push((Factor::ValueGroup(g), input));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::with_capacity(factors.len());
    for (f, input) in factors {
        let key = input.key();
        if !seen.insert(key.clone()) {
            return Err(SensitivityError::AmbiguousInput { key });
        }
        out.push((key, f, input));
    }
    Ok(out)
}

/// One batch of the Sobol design: rows A and B, and AB_k for every factor.
fn sobol_batch(
    model: &Model,
    factors: &[(String, Factor, Input)],
    shift: &[f64],
    (lead, second): (usize, usize),
    seed: u64,
    batch: u64,
    len: u64,
) -> Sums {
    let (n, m) = (model.n, model.m);
    let kf = factors.len();
    let outputs = n + 1;
    let mut s = Sums::new(outputs, kf, n, m);
    let mut rng = stream(seed, SOBOL_STREAMS + batch);
    let mut states: Vec<LevelState> = std::iter::once(model.group_level.new_state())
        .chain(model.local_levels.iter().map(Level::new_state))
        .collect();
    let mut scratch = Vec::new();
    let mut a = model.new_row();
    let mut b = model.new_row();
    let (mut ya, mut yb, mut yab) = (vec![0.0; outputs], vec![0.0; outputs], vec![0.0; outputs]);
    let mut w_ab = vec![0.0; m];
    let mut ta = vec![0.0; n];
    let outputs_of = |t: &mut [f64]| {
        t[n] = t[lead] - t[second];
        for (x, s) in t.iter_mut().zip(shift) {
            *x -= s;
        }
    };
    for _ in 0..len {
        model.draw(&mut rng, &mut states, &mut scratch, &mut a);
        model.draw(&mut rng, &mut states, &mut scratch, &mut b);
        model.totals(&a.v, &a.w, &mut ya);
        model.totals(&b.v, &b.w, &mut yb);
        for row in [(&a, &ya), (&b, &yb)] {
            let (r, y) = row;
            let mx = y[..n].iter().copied().fold(f64::NEG_INFINITY, f64::max);
            s.max1 += mx;
            s.max2 += mx * mx;
            for i in 0..n {
                s.v1[i] += y[i];
                s.v2[i] += y[i] * y[i];
                s.vmax[i] += y[i] * mx;
            }
            for (x, v) in s.vsum.iter_mut().zip(&r.v) {
                *x += v;
            }
            for (x, w) in s.wsum.iter_mut().zip(&r.w) {
                *x += w;
            }
        }
        ta.copy_from_slice(&ya[..n]);
        outputs_of(&mut ya);
        outputs_of(&mut yb);
        for o in 0..outputs {
            s.y1[o] += ya[o] + yb[o];
            s.y2[o] += ya[o] * ya[o] + yb[o] * yb[o];
        }
        for (k, (_, f, _)) in factors.iter().enumerate() {
            // Overall values with factor k taken from B, the rest from A.
            match *f {
                Factor::Value { i, c } => {
                    yab[..n].copy_from_slice(&ta);
                    yab[i] += a.w[c] * (b.v[i * m + c] - a.v[i * m + c]);
                }
                Factor::ValueGroup(g) => {
                    yab[..n].copy_from_slice(&ta);
                    for i in 0..n {
                        for &c in &model.members[g] {
                            yab[i] += a.w[c] * (b.v[i * m + c] - a.v[i * m + c]);
                        }
                    }
                }
                Factor::Groups => {
                    for c in 0..m {
                        w_ab[c] = b.groups[model.group_of[c]] * a.local[c];
                    }
                    model.totals(&a.v, &w_ab, &mut yab);
                }
                Factor::Local(g) => {
                    w_ab.copy_from_slice(&a.w);
                    for &c in &model.members[g] {
                        w_ab[c] = a.groups[g] * b.local[c];
                    }
                    model.totals(&a.v, &w_ab, &mut yab);
                }
            }
            outputs_of(&mut yab);
            for o in 0..outputs {
                let d = yab[o] - ya[o];
                s.first[o * kf + k] += yb[o] * d;
                s.total[o * kf + k] += d * d;
            }
        }
        s.rows += 1.0;
    }
    s
}
