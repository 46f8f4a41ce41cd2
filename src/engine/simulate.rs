//! The Monte Carlo SMAA-2 engine (Lahdelma & Salminen 2001).
//!
//! Owns the simulation: per iteration it draws every uncertain value and a
//! weight vector (uniform over the profile's feasible weights), scores all
//! initiatives with the additive value model and ranks them. It streams the
//! statistics (memory does not grow with the number of iterations):
//!
//! - rank acceptability indices b_i^r: the share of draws in which initiative
//!   i takes rank r;
//! - central weight vectors: the mean global weights over the draws in which
//!   i ranks first;
//! - confidence factors: the share of (fresh) value draws in which i ranks
//!   first when the weights are fixed at its central weights (a second pass);
//!   their error includes the noise carried over from the estimated central
//!   weights (see [`SPLITS`]);
//! - pairwise winning indices: the share of draws in which i scores above j;
//! - each initiative's overall value distribution: mean, sd and the 5th, 50th
//!   and 95th percentile (from a fixed histogram on 0..1);
//! - and the 95% Monte Carlo half-width of each.
//!
//! Ties are shared: initiatives that tie for ranks r..r+k-1 each get 1/k of
//! each of those ranks, so every row and column of the acceptability matrix
//! sums to 1 and symmetric cases stay symmetric; a tie in a pairwise
//! comparison counts one half.
//!
//! Reproducibility: iterations are split into batches of [`BATCH`]
//! iterations; batch b draws from its own RNG stream `stream(seed, b)`
//! whatever thread runs it; batches run in rounds of [`ROUND`] batches in
//! parallel (rayon) and their partial results are merged in batch order. The
//! result is therefore bit-identical for any number of threads. Adaptive
//! stopping (a target error) is decided between rounds, so it too is
//! independent of the thread count. It does not format anything.
//!
//! The hot loop works on blocks of 256 iterations held in columns: the
//! weight vectors of a block ([`WeightModel::sample_block`]), then each
//! uncertain value's column ([`Sampler::fill`], words from the batch's
//! eight-lane [`LaneRng`]), then the totals and comparisons in SIMD
//! registers ([`kernels`]). The confidence pass decides first places from
//! `f32` totals where a proven error bound allows and from the `f64` totals
//! elsewhere, so its result is exactly that of the `f64` totals.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use rand::RngCore;

use super::kernels;
use super::lanes::LaneRng;
use super::rng::{stream, Rng};
use super::sampler::{value_samplers, Sampler};
use super::score::{most_likely_values, ProfileRef};
use super::value_fn::Scale;
use super::weights::{WeightError, WeightModel, WeightState};
use crate::model::{Decision, Profile};

/// Iterations per batch: the unit of reproducibility (never depends on the
/// thread count).
pub const BATCH: u64 = 8192;
/// Batches per round: how many run in parallel between merges and stopping
/// checks. Bounds the memory held at once.
pub const ROUND: u64 = 16;
/// Bins of the histogram of overall values on 0..1 (quantiles are exact to
/// within one bin width, 1/4096 ≈ 0.00024, before interpolation).
pub const BINS: usize = 4096;
/// Splits of the first pass (iteration index mod SPLITS) whose separate
/// central weights measure how their noise carries into the confidence
/// factors.
pub const SPLITS: usize = 8;
/// Normal quantile for 95% half-widths.
pub const Z95: f64 = 1.959_963_984_540_054;
/// Upper bound on iterations when running to a target error.
pub const MAX_ADAPTIVE_ITERATIONS: u64 = 50_000_000;

/// When to stop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stop {
    /// Run exactly this many iterations.
    Iterations(u64),
    /// Run whole rounds until every rank-acceptability half-width is at most
    /// `target`, or `max_iterations` is reached.
    TargetError {
        /// The target 95% half-width.
        target: f64,
        /// Give up after this many iterations.
        max_iterations: u64,
    },
}

/// What to simulate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// RNG seed.
    pub seed: u64,
    /// Stopping rule.
    pub stop: Stop,
    /// Whether to run the confidence-factor pass.
    pub confidence: bool,
}

/// Why a simulation cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SimulateError {
    /// The profile's weights are unusable.
    #[error("weights of profile `{profile}`: {source}")]
    Weights {
        /// Profile id.
        profile: String,
        /// The cause.
        source: WeightError,
    },
    /// Nothing to simulate.
    #[error("the decision has no initiatives")]
    NoInitiatives,
    /// Zero iterations asked.
    #[error("at least one iteration is needed")]
    NoIterations,
}

/// Statistics of one initiative's overall value.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct ValueStats {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// 5th percentile.
    pub p05: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// 95% Monte Carlo half-widths of every estimate, in the shapes of the estimates.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Errors {
    /// Of `rank_acceptability`.
    pub rank_acceptability: BTreeMap<String, Vec<f64>>,
    /// Of `central_weights` (`null` where the initiative never ranks first).
    pub central_weights: BTreeMap<String, Option<BTreeMap<String, f64>>>,
    /// Of `confidence`.
    pub confidence: BTreeMap<String, Option<f64>>,
    /// Of `pairwise_winning`.
    pub pairwise_winning: BTreeMap<String, BTreeMap<String, f64>>,
    /// Of `value`.
    pub value: BTreeMap<String, ValueStats>,
}

/// The result of `afweging simulate`: the documented JSON schema.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SimulationResult {
    /// Always `"simulate"`.
    pub kind: &'static str,
    /// afweging version that produced this.
    pub version: String,
    /// The decision's title.
    pub decision: String,
    /// The weight profile.
    pub profile: ProfileRef,
    /// SHA-256 of all input files.
    pub input_hash: String,
    /// RNG seed.
    pub seed: u64,
    /// Iterations of the main pass.
    pub iterations: u64,
    /// Iterations of the confidence-factor pass (0 when skipped).
    pub confidence_iterations: u64,
    /// The target error asked for, if any.
    pub target_error: Option<f64>,
    /// Whether the target error was reached (true when none was asked).
    pub target_reached: bool,
    /// Iterations per batch (the unit of reproducibility).
    pub batch_size: u64,
    /// Initiative ids, in file order.
    pub initiatives: Vec<String>,
    /// Criterion ids, in file order.
    pub criteria: Vec<String>,
    /// Per initiative: the share of draws at rank 1, 2, ….
    pub rank_acceptability: BTreeMap<String, Vec<f64>>,
    /// Per initiative: mean global weight of each criterion over the draws in
    /// which it ranks first (`null` if it never does).
    pub central_weights: BTreeMap<String, Option<BTreeMap<String, f64>>>,
    /// Per initiative: share of value draws in which it ranks first with the
    /// weights fixed at its central weights (`null` if it never ranks first).
    pub confidence: BTreeMap<String, Option<f64>>,
    /// Per initiative and other: share of draws in which the first scores
    /// above the other (ties count one half).
    pub pairwise_winning: BTreeMap<String, BTreeMap<String, f64>>,
    /// Per initiative: its overall value distribution.
    pub value: BTreeMap<String, ValueStats>,
    /// 95% half-widths of all of the above.
    pub error: Errors,
}

/// The model compiled for the hot loop.
struct Compiled {
    /// This simulation's id (for the per-thread scratch buffers).
    run: u64,
    n: usize,
    m: usize,
    /// (flat index i*m + c, criterion, sampler) of every uncertain value.
    uncertain: Vec<(usize, usize, Sampler)>,
    /// Value (0..1) of every value, most likely for uncertain ones.
    base: Vec<f64>,
    scales: Vec<Scale>,
    weights: WeightModel,
    fixed_weights: Option<Vec<f64>>,
    /// Centre for the streamed sums (the deterministic totals).
    shift: Vec<f64>,
}

impl Compiled {
    fn new(decision: &Decision, profile: &Profile) -> Result<Self, SimulateError> {
        let n = decision.initiatives.len();
        let m = decision.criteria.len();
        if n == 0 {
            return Err(SimulateError::NoInitiatives);
        }
        let weights = profile
            .weight_model(decision)
            .map_err(|source| SimulateError::Weights {
                profile: profile.id.clone(),
                source,
            })?;
        let base = most_likely_values(decision);
        let uncertain: Vec<(usize, usize, Sampler)> = value_samplers(decision)
            .into_iter()
            .enumerate()
            .filter_map(|(k, s)| s.map(|s| (k, k % m, s)))
            .collect();
        let rep = weights.representative_global();
        let shift = (0..n)
            .map(|i| (0..m).map(|c| rep[c] * base[i * m + c]).sum())
            .collect();
        Ok(Compiled {
            run: next_run_id(),
            n,
            m,
            uncertain,
            base,
            scales: decision.criteria.iter().map(|c| c.scale.clone()).collect(),
            fixed_weights: weights.is_fixed().then_some(rep),
            weights,
            shift,
        })
    }

    /// Draws a block of `len` iterations of every uncertain value, as
    /// values on 0..1, into the columns of `cols` (`cols[k * BLOCK + t]` is
    /// value `k` = `i * m + c` in iteration `t`). Constant columns are left
    /// as they are (filled once by [`Compiled::columns`]).
    fn draw_block(&self, lanes: &mut LaneRng, rng: &mut Rng, cols: &mut [f64], len: usize) {
        for (k, c, sampler) in &self.uncertain {
            let col = &mut cols[k * BLOCK..k * BLOCK + len];
            sampler.fill(lanes, rng, col);
            self.scales[*c].apply(col);
        }
    }

    /// Fresh value columns with the constant values filled in.
    fn columns(&self) -> Vec<f64> {
        let mut cols = vec![0.0; self.n * self.m * BLOCK];
        for (k, &b) in self.base.iter().enumerate() {
            cols[k * BLOCK..(k + 1) * BLOCK].fill(b);
        }
        cols
    }

    /// `totals[i * BLOCK + t]` = Σ_c w(t, c) · v(t, i, c) for a block, with
    /// weights in columns (`wcols[c * BLOCK + t]`) or fixed (`fixed`).
    fn totals(
        &self,
        cols: &[f64],
        wcols: &[f64],
        fixed: Option<&[f64]>,
        totals: &mut [f64],
        len: usize,
    ) {
        let (n, m) = (self.n, self.m);
        if n <= kernels::MAX_N {
            let w = match fixed {
                Some(w) => kernels::Weights::Fixed(w),
                None => kernels::Weights::PerIteration(wcols),
            };
            kernels::block_totals(cols, w, n, m, BLOCK, len, totals);
            return;
        }
        for i in 0..n {
            let tot = &mut totals[i * BLOCK..i * BLOCK + len];
            tot.fill(0.0);
            for c in 0..m {
                let v = &cols[(i * m + c) * BLOCK..(i * m + c) * BLOCK + len];
                match fixed {
                    Some(w) => {
                        let wc = w[c];
                        for (t, x) in tot.iter_mut().zip(v) {
                            *t += wc * x;
                        }
                    }
                    None => {
                        let w = &wcols[c * BLOCK..c * BLOCK + len];
                        for ((t, x), wc) in tot.iter_mut().zip(v).zip(w) {
                            *t += wc * x;
                        }
                    }
                }
            }
        }
    }
}

/// Iterations per block: the hot loop works on blocks of columns so that
/// each inner loop does one kind of work (one sampler, one scale, one
/// weighted sum) over many iterations.
const BLOCK: usize = 256;

/// Streamed statistics of one batch, or of all batches merged so far.
#[derive(Clone)]
struct Acc {
    n: usize,
    iterations: u64,
    /// [i * n + r]
    rank: Vec<f64>,
    /// [i * n + j]
    pair: Vec<f64>,
    /// Σ tie-share × w over draws where i is first, per split of the
    /// iterations (iteration index mod [`SPLITS`]): [(g * n + i) * m + c].
    w_sum: Vec<f64>,
    /// Σ tie-share of first places per split: [g * n + i].
    first: Vec<f64>,
    /// Σ tie-share × w², [i * m + c].
    w_sq: Vec<f64>,
    /// Per initiative: mean and M2 of the overall value (Chan-merged).
    mean: Vec<f64>,
    m2: Vec<f64>,
    /// Histogram counts of this batch, [i * BINS + bin] (a batch fits a
    /// u32; the run's total is kept in u64 by the caller).
    hist: Vec<u32>,
}

/// Per-batch scratch buffers, reused across the batches a thread runs.
struct Scratch {
    /// Which simulation (see [`next_run_id`]) the buffers are set up for.
    run: u64,
    cols: Vec<f64>,
    /// Confidence pass: `cols` rounded to `f32` (see [`kernels::first_share`]).
    cols32: Vec<f32>,
    wcols: Vec<f64>,
    totals: Vec<f64>,
    /// Confidence pass: [(i * n + j) * BLOCK + t], the total of j under
    /// i's central weights.
    cross: Vec<f64>,
    /// Main pass: per initiative and iteration of a block, how many
    /// initiatives score above it and equal to it ([`kernels::compare_block`]).
    above8: Vec<u8>,
    equal8: Vec<u8>,
    /// Confidence pass: per iteration of a block, how many initiatives
    /// score above and equal to the one examined.
    above: Vec<u32>,
    equal: Vec<u32>,
}

impl Scratch {
    /// Buffers of the kernel path for up to [`kernels::MAX_N`] initiatives,
    /// of the column path above it.
    fn new(cm: &Compiled) -> Self {
        let kernel = cm.n <= kernels::MAX_N;
        let size = |on: bool, len: usize| if on { len } else { 0 };
        Scratch {
            run: cm.run,
            cols: cm.columns(),
            cols32: vec![0.0; size(kernel, cm.n * cm.m * BLOCK)],
            above8: vec![0; size(kernel, cm.n * BLOCK)],
            equal8: vec![0; size(kernel, cm.n * BLOCK)],
            wcols: vec![0.0; cm.m * BLOCK],
            totals: vec![0.0; cm.n * BLOCK],
            cross: vec![0.0; size(!kernel, cm.n * cm.n * BLOCK)],
            above: vec![0; size(!kernel, BLOCK)],
            equal: vec![0; size(!kernel, BLOCK)],
        }
    }
}

thread_local! {
    /// Each worker thread keeps its scratch buffers between batches (and
    /// rounds), so the hot loop neither allocates nor faults in fresh pages.
    static SCRATCH: std::cell::RefCell<Option<Scratch>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with this thread's scratch buffers for `cm`.
fn with_scratch<T>(cm: &Compiled, f: impl FnOnce(&mut Scratch) -> T) -> T {
    SCRATCH.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|s| s.run != cm.run) {
            *slot = Some(Scratch::new(cm));
        }
        f(slot.get_or_insert_with(|| Scratch::new(cm)))
    })
}

/// A process-wide id per simulation, so scratch buffers are never reused
/// across models.
fn next_run_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Acc {
    fn new(n: usize, m: usize) -> Self {
        Acc {
            n,
            iterations: 0,
            rank: vec![0.0; n * n],
            pair: vec![0.0; n * n],
            w_sum: vec![0.0; SPLITS * n * m],
            first: vec![0.0; SPLITS * n],
            w_sq: vec![0.0; n * m],
            mean: vec![0.0; n],
            m2: vec![0.0; n],
            hist: vec![0; n * BINS],
        }
    }

    /// Merges `other` (the next batch) into `self`; exact for counts,
    /// order-dependent only in float rounding, and always applied in batch order.
    fn merge(&mut self, other: &Acc) {
        let (na, nb) = (self.iterations as f64, other.iterations as f64);
        let nt = na + nb;
        if nb == 0.0 {
            return;
        }
        for i in 0..self.n {
            let delta = other.mean[i] - self.mean[i];
            self.mean[i] += delta * nb / nt;
            self.m2[i] += other.m2[i] + delta * delta * na * nb / nt;
        }
        for (a, b) in self.rank.iter_mut().zip(&other.rank) {
            *a += b;
        }
        for (a, b) in self.pair.iter_mut().zip(&other.pair) {
            *a += b;
        }
        for (a, b) in self.w_sum.iter_mut().zip(&other.w_sum) {
            *a += b;
        }
        for (a, b) in self.first.iter_mut().zip(&other.first) {
            *a += b;
        }
        for (a, b) in self.w_sq.iter_mut().zip(&other.w_sq) {
            *a += b;
        }
        // The histogram is summed by the caller, in u64.
        self.iterations += other.iterations;
    }

    fn max_acceptability_error(&self) -> f64 {
        let n = self.iterations as f64;
        self.rank
            .iter()
            .map(|&c| half_width(c / n, n))
            .fold(0.0, f64::max)
    }
}

/// 95% half-width of a share `p` estimated from `n` independent draws.
///
/// Agresti–Coull: the binomial standard error of the share after adding two
/// successes and two failures, `p~ = (p n + 2) / (n + 4)`. Unlike the plain
/// `sqrt(p (1 − p) / n)` it does not claim certainty when a share is 0 or 1
/// (a share never observed in n draws gets about ±2.8 / n), and it equals
/// the plain one for shares away from the ends.
pub fn half_width(p: f64, n: f64) -> f64 {
    if n <= 0.0 {
        return f64::NAN;
    }
    let pt = (p * n + 2.0) / (n + 4.0);
    Z95 * (pt * (1.0 - pt) / (n + 4.0)).max(0.0).sqrt()
}

/// Runs one batch of the main pass.
fn run_batch(cm: &Compiled, scratch: &mut Scratch, seed: u64, batch: u64, len: u64) -> Acc {
    let (n, m) = (cm.n, cm.m);
    let mut acc = Acc::new(n, m);
    let Scratch {
        cols,
        wcols,
        totals,
        above8,
        equal8,
        ..
    } = scratch;
    let mut rng = stream(seed, batch);
    let mut lanes = LaneRng::from_key(rng.next_u64());
    let mut wstate: WeightState = cm.weights.new_state();
    let kernel = n <= kernels::MAX_N;
    let mut total = vec![0.0; n];
    // Shifted sums for mean and variance within the batch.
    let mut s1 = vec![0.0; n];
    let mut s2 = vec![0.0; n];
    let mut done = 0u64;
    while done < len {
        let b = BLOCK.min((len - done) as usize);
        if cm.fixed_weights.is_none() {
            cm.weights
                .sample_block(&mut rng, &mut lanes, &mut wstate, wcols, BLOCK, b);
        }
        cm.draw_block(&mut lanes, &mut rng, cols, b);
        cm.totals(cols, wcols, cm.fixed_weights.as_deref(), totals, b);
        if kernel {
            kernels::compare_block(totals, n, BLOCK, b, &mut acc.pair, above8, equal8);
        }
        for t in 0..b {
            for i in 0..n {
                let x = totals[i * BLOCK + t];
                total[i] = x;
                let d = x - cm.shift[i];
                s1[i] += d;
                s2[i] += d * d;
                // Via i64 (one instruction); totals are in 0..1.
                let bin = ((x * BINS as f64) as i64).clamp(0, BINS as i64 - 1) as usize;
                acc.hist[i * BINS + bin] += 1;
            }
            let (mut first_idx, mut first_ties) = (0usize, 1usize);
            for i in 0..n {
                let (greater, equal) = if kernel {
                    // Counted for the whole block by `compare_block`, which
                    // also added the pairwise wins.
                    (
                        usize::from(above8[i * BLOCK + t]),
                        usize::from(equal8[i * BLOCK + t]),
                    )
                } else {
                    let ti = total[i];
                    let mut greater = 0usize;
                    let mut equal = 0usize;
                    // Branch-free: the outcomes are random, branches would
                    // be mispredicted. `pair` gets 1 for a win and ½ for a
                    // tie with another initiative (the self-comparison is
                    // undone below).
                    let pair = &mut acc.pair[i * n..(i + 1) * n];
                    let own = pair[i];
                    for (p, &tj) in pair.iter_mut().zip(total.iter()) {
                        greater += usize::from(tj > ti);
                        equal += usize::from(tj == ti);
                        *p += f64::from(u8::from(tj < ti)) + 0.5 * f64::from(u8::from(tj == ti));
                    }
                    pair[i] = own;
                    (greater, equal)
                };
                if equal == 1 {
                    acc.rank[i * n + greater] += 1.0;
                } else {
                    let share = 1.0 / equal as f64;
                    for r in greater..greater + equal {
                        acc.rank[i * n + r] += share;
                    }
                }
                // Remember who is first without a branch (which one it is
                // is random); ties for first are rare and handled below.
                let is_first = greater == 0;
                first_idx = if is_first { i } else { first_idx };
                first_ties = if is_first { equal } else { first_ties };
            }
            // BATCH and BLOCK are multiples of SPLITS, so t mod SPLITS is
            // the global iteration index mod SPLITS.
            let g = t % SPLITS;
            let mut add_first = |i: usize, share: f64| {
                acc.first[g * n + i] += share;
                for c in 0..m {
                    let x = match &cm.fixed_weights {
                        Some(fw) => fw[c],
                        None => wcols[c * BLOCK + t],
                    };
                    acc.w_sum[(g * n + i) * m + c] += share * x;
                    acc.w_sq[i * m + c] += share * x * x;
                }
            };
            if first_ties == 1 {
                add_first(first_idx, 1.0);
            } else {
                let top = total.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let share = 1.0 / first_ties as f64;
                for (i, &ti) in total.iter().enumerate() {
                    if ti == top {
                        add_first(i, share);
                    }
                }
            }
        }
        done += b as u64;
    }
    let k = len as f64;
    for i in 0..n {
        let mean_d = s1[i] / k;
        acc.mean[i] = cm.shift[i] + mean_d;
        acc.m2[i] = (s2[i] - s1[i] * mean_d).max(0.0);
    }
    acc.iterations = len;
    acc
}

/// Wins of the confidence pass, at the central weights and (on a subsample
/// of blocks) at the central weights of each split.
#[derive(Clone)]
struct Wins {
    /// Per initiative, at its central weights.
    all: Vec<f64>,
    /// Iterations in the subsample.
    sub_count: f64,
    /// [g * n + i]: at split g's central weights, on the subsample.
    split: Vec<f64>,
}

impl Wins {
    fn new(n: usize) -> Self {
        Wins {
            all: vec![0.0; n],
            sub_count: 0.0,
            split: vec![0.0; SPLITS * n],
        }
    }
    fn add(&mut self, o: &Wins) {
        self.sub_count += o.sub_count;
        for (a, b) in [(&mut self.all, &o.all), (&mut self.split, &o.split)] {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }
}

/// Every [`SUBSAMPLE`]-th block of the confidence pass also scores the
/// central weights of each split (for the error of the confidence factors).
const SUBSAMPLE: usize = 32;

/// Counts, for initiative `i`, the draws of a block in which it is first
/// given `totals[j * stride + t]` (ties shared). Branch-free and in columns:
/// the outcomes are random.
fn count_first(
    totals: &[f64],
    stride: usize,
    n: usize,
    i: usize,
    b: usize,
    above: &mut [u32],
    equal: &mut [u32],
) -> f64 {
    let (above, equal) = (&mut above[..b], &mut equal[..b]);
    above.fill(0);
    equal.fill(0);
    let ti = &totals[i * stride..i * stride + b];
    for j in 0..n {
        let tj = &totals[j * stride..j * stride + b];
        for (((a, e), &x), &y) in above.iter_mut().zip(equal.iter_mut()).zip(tj).zip(ti) {
            *a += u32::from(x > y);
            *e += u32::from(x == y);
        }
    }
    let mut wins = 0.0;
    for (&a, &e) in above.iter().zip(equal.iter()) {
        wins += f64::from(u8::from(a == 0)) / f64::from(e);
    }
    wins
}

/// Runs one batch of the confidence pass: counts, per initiative with
/// central weights, the draws in which it ranks first under them.
fn run_confidence_batch(
    cm: &Compiled,
    scratch: &mut Scratch,
    central: &[Option<Vec<f64>>],
    split_central: &[Option<Vec<f64>>],
    seed: u64,
    batch: u64,
    len: u64,
) -> Wins {
    let n = cm.n;
    let mut rng = stream(seed, batch);
    let mut lanes = LaneRng::from_key(rng.next_u64());
    let m = cm.m;
    let Scratch {
        cols,
        cols32,
        totals,
        cross,
        above,
        equal,
        ..
    } = scratch;
    let mut wins = Wins::new(n);
    let mut done = 0u64;
    let mut block = 0usize;
    while done < len {
        let b = BLOCK.min((len - done) as usize);
        cm.draw_block(&mut lanes, &mut rng, cols, b);
        let in_sub = block.is_multiple_of(SUBSAMPLE);
        if in_sub {
            wins.sub_count += b as f64;
        }
        if n <= kernels::MAX_N {
            // Totals in registers, compared there (no `cross` columns),
            // filtered in f32.
            let upto = b.next_multiple_of(4);
            for k in 0..n * m {
                let (src, dst) = (&cols[k * BLOCK..], &mut cols32[k * BLOCK..]);
                for (d, &x) in dst[..upto].iter_mut().zip(&src[..upto]) {
                    *d = x as f32;
                }
            }
            for (i, cw) in central.iter().enumerate() {
                let Some(cw) = cw else { continue };
                wins.all[i] += kernels::first_share(cols, cols32, cw, n, m, BLOCK, i, b);
                if in_sub {
                    for g in 0..SPLITS {
                        if let Some(sw) = &split_central[g * n + i] {
                            wins.split[g * n + i] +=
                                kernels::first_share(cols, cols32, sw, n, m, BLOCK, i, b);
                        }
                    }
                }
            }
        } else {
            // More initiatives than the kernels take: totals of every
            // initiative under every central weight vector, reading each value
            // column once: cross[(i n + j) BLOCK + t].
            for x in cross.iter_mut() {
                *x = 0.0;
            }
            for j in 0..n {
                for c in 0..m {
                    let v = &cols[(j * m + c) * BLOCK..(j * m + c) * BLOCK + b];
                    for (i, cw) in central.iter().enumerate() {
                        let Some(cw) = cw else { continue };
                        let w = cw[c];
                        let dst = &mut cross[(i * n + j) * BLOCK..(i * n + j) * BLOCK + b];
                        for (d, &x) in dst.iter_mut().zip(v) {
                            *d += w * x;
                        }
                    }
                }
            }
            for (i, cw) in central.iter().enumerate() {
                if cw.is_none() {
                    continue;
                }
                let block_totals = &cross[i * n * BLOCK..(i + 1) * n * BLOCK];
                wins.all[i] += count_first(block_totals, BLOCK, n, i, b, above, equal);
                if in_sub {
                    for g in 0..SPLITS {
                        if let Some(sw) = &split_central[g * n + i] {
                            cm.totals(cols, &[], Some(sw), totals, b);
                            wins.split[g * n + i] +=
                                count_first(totals, BLOCK, n, i, b, above, equal);
                        }
                    }
                }
            }
        }
        done += b as u64;
        block += 1;
    }
    wins
}

/// Seeds of the two passes are kept apart by a domain tag in the stream index.
const CONFIDENCE_STREAMS: u64 = 1 << 40;

/// Runs the SMAA-2 simulation. `progress(done, total)` is called between
/// rounds (total is an estimate when running to a target error).
pub fn simulate(
    decision: &Decision,
    profile: &Profile,
    plan: &Plan,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<SimulationResult, SimulateError> {
    let cm = Compiled::new(decision, profile)?;
    let (n, m) = (cm.n, cm.m);
    let (target, max_iter) = match plan.stop {
        Stop::Iterations(k) => (None, k),
        Stop::TargetError {
            target,
            max_iterations,
        } => (Some(target), max_iterations),
    };
    if max_iter == 0 {
        return Err(SimulateError::NoIterations);
    }
    let total_batches = max_iter.div_ceil(BATCH);
    let batch_len = |b: u64| BATCH.min(max_iter - b * BATCH);
    let passes = if plan.confidence { 2 } else { 1 };

    let mut acc = Acc::new(n, m);
    let mut hist = vec![0u64; n * BINS];
    let mut next = 0u64;
    let mut reached = target.is_none();
    while next < total_batches {
        let end = (next + ROUND).min(total_batches);
        let parts: Vec<Acc> = (next..end)
            .into_par_iter()
            .map(|b| with_scratch(&cm, |sc| run_batch(&cm, sc, plan.seed, b, batch_len(b))))
            .collect();
        for p in &parts {
            acc.merge(p);
            for (a, &h) in hist.iter_mut().zip(&p.hist) {
                *a += u64::from(h);
            }
        }
        next = end;
        progress(acc.iterations, max_iter * passes);
        if let Some(t) = target {
            if acc.max_acceptability_error() <= t {
                reached = true;
                break;
            }
        }
    }
    let iterations = acc.iterations;
    let nf = iterations as f64;

    // Central weights (mean of w over first-rank draws) and their errors,
    // overall and per split of the iterations.
    let firsts: Vec<f64> = (0..n).map(|i| acc.rank[i * n]).collect();
    let central: Vec<Option<Vec<f64>>> = (0..n)
        .map(|i| {
            (firsts[i] > 0.0).then(|| {
                (0..m)
                    .map(|c| {
                        (0..SPLITS)
                            .map(|g| acc.w_sum[(g * n + i) * m + c])
                            .sum::<f64>()
                            / firsts[i]
                    })
                    .collect()
            })
        })
        .collect();
    let split_central: Vec<Option<Vec<f64>>> = (0..SPLITS * n)
        .map(|gi| {
            let f = acc.first[gi];
            (f > 0.0).then(|| (0..m).map(|c| acc.w_sum[gi * m + c] / f).collect())
        })
        .collect();

    // Confidence factors: a second pass with fresh value draws.
    let mut conf_iterations = 0;
    let mut wins = Wins::new(n);
    if plan.confidence {
        let batches = iterations.div_ceil(BATCH);
        let len = |b: u64| BATCH.min(iterations - b * BATCH);
        let mut b = 0;
        while b < batches {
            let end = (b + ROUND).min(batches);
            let parts: Vec<Wins> = (b..end)
                .into_par_iter()
                .map(|k| {
                    with_scratch(&cm, |sc| {
                        run_confidence_batch(
                            &cm,
                            sc,
                            &central,
                            &split_central,
                            plan.seed,
                            CONFIDENCE_STREAMS + k,
                            len(k),
                        )
                    })
                })
                .collect();
            for p in &parts {
                wins.add(p);
            }
            b = end;
            conf_iterations = (b * BATCH).min(iterations);
            progress(iterations + conf_iterations, iterations * 2);
        }
    }

    let ids: Vec<String> = decision.initiatives.iter().map(|i| i.id.clone()).collect();
    let cids: Vec<String> = decision.criteria.iter().map(|c| c.id.clone()).collect();
    let mut result = SimulationResult {
        kind: "simulate",
        version: crate::VERSION.to_string(),
        decision: decision.title.clone(),
        profile: ProfileRef {
            id: profile.id.clone(),
            name: profile.name.nl.clone(),
        },
        input_hash: decision.input_hash.clone(),
        seed: plan.seed,
        iterations,
        confidence_iterations: conf_iterations,
        target_error: target,
        target_reached: reached,
        batch_size: BATCH,
        initiatives: ids.clone(),
        criteria: cids.clone(),
        rank_acceptability: BTreeMap::new(),
        central_weights: BTreeMap::new(),
        confidence: BTreeMap::new(),
        pairwise_winning: BTreeMap::new(),
        value: BTreeMap::new(),
        error: Errors {
            rank_acceptability: BTreeMap::new(),
            central_weights: BTreeMap::new(),
            confidence: BTreeMap::new(),
            pairwise_winning: BTreeMap::new(),
            value: BTreeMap::new(),
        },
    };
    for i in 0..n {
        let id = &ids[i];
        let shares: Vec<f64> = (0..n).map(|r| acc.rank[i * n + r] / nf).collect();
        result.error.rank_acceptability.insert(
            id.clone(),
            shares.iter().map(|&p| half_width(p, nf)).collect(),
        );
        result.rank_acceptability.insert(id.clone(), shares);

        let mut pw = BTreeMap::new();
        let mut pe = BTreeMap::new();
        for j in (0..n).filter(|&j| j != i) {
            let p = acc.pair[i * n + j] / nf;
            pw.insert(ids[j].clone(), p);
            pe.insert(ids[j].clone(), half_width(p, nf));
        }
        result.pairwise_winning.insert(id.clone(), pw);
        result.error.pairwise_winning.insert(id.clone(), pe);

        match &central[i] {
            Some(cw) => {
                let k = firsts[i];
                let mut ws = BTreeMap::new();
                let mut es = BTreeMap::new();
                for c in 0..m {
                    ws.insert(cids[c].clone(), cw[c]);
                    let var = (acc.w_sq[i * m + c] / k - cw[c] * cw[c]).max(0.0);
                    es.insert(cids[c].clone(), Z95 * (var / k).sqrt());
                }
                result.central_weights.insert(id.clone(), Some(ws));
                result.error.central_weights.insert(id.clone(), Some(es));
                if plan.confidence {
                    let p = wins.all[i] / conf_iterations as f64;
                    result.confidence.insert(id.clone(), Some(p));
                    let err =
                        confidence_error(p, conf_iterations as f64, &wins, &split_central, n, i);
                    result.error.confidence.insert(id.clone(), Some(err));
                } else {
                    result.confidence.insert(id.clone(), None);
                    result.error.confidence.insert(id.clone(), None);
                }
            }
            None => {
                result.central_weights.insert(id.clone(), None);
                result.error.central_weights.insert(id.clone(), None);
                result.confidence.insert(id.clone(), None);
                result.error.confidence.insert(id.clone(), None);
            }
        }

        let hist = &hist[i * BINS..(i + 1) * BINS];
        let sd = if iterations > 1 {
            (acc.m2[i] / (nf - 1.0)).sqrt()
        } else {
            0.0
        };
        let q = |p: f64| hist_quantile(hist, iterations, p);
        let q_err = |p: f64| {
            let h = half_width(p, nf);
            0.5 * (q((p + h).min(1.0)) - q((p - h).max(0.0)))
        };
        result.value.insert(
            id.clone(),
            ValueStats {
                mean: acc.mean[i],
                sd,
                p05: q(0.05),
                p50: q(0.5),
                p95: q(0.95),
            },
        );
        result.error.value.insert(
            id.clone(),
            ValueStats {
                mean: Z95 * sd / nf.sqrt(),
                sd: if iterations > 1 {
                    Z95 * sd / (2.0 * (nf - 1.0)).sqrt()
                } else {
                    0.0
                },
                p05: q_err(0.05),
                p50: q_err(0.5),
                p95: q_err(0.95),
            },
        );
    }
    Ok(result)
}

/// 95% half-width of a confidence factor: the binomial noise of the
/// confidence pass plus the noise carried over from the estimated central
/// weights. The latter is estimated from the spread of the confidence factor
/// at the central weights of each of the [`SPLITS`] splits of the first
/// pass (scored on the same subsample of draws, so that the draws' own noise
/// mostly cancels): each split's central weights have about `SPLITS` times
/// the variance of the overall ones, so Var ≈ s² / splits.
fn confidence_error(
    p: f64,
    draws: f64,
    wins: &Wins,
    split_central: &[Option<Vec<f64>>],
    n: usize,
    i: usize,
) -> f64 {
    let binomial = (half_width(p, draws) / Z95).powi(2);
    let values: Vec<f64> = (0..SPLITS)
        .filter(|g| split_central[g * n + i].is_some() && wins.sub_count > 0.0)
        .map(|g| wins.split[g * n + i] / wins.sub_count)
        .collect();
    let k = values.len() as f64;
    let carried = if values.len() >= 2 {
        let mean = values.iter().sum::<f64>() / k;
        values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (k - 1.0) / k
    } else {
        0.0
    };
    Z95 * (binomial + carried).sqrt()
}

/// The `p` quantile from a histogram of `count` values on 0..1, linear
/// within the bin.
fn hist_quantile(hist: &[u64], count: u64, p: f64) -> f64 {
    if count == 0 {
        return f64::NAN;
    }
    let target = p * count as f64;
    let mut cum = 0.0;
    for (b, &h) in hist.iter().enumerate() {
        let next = cum + h as f64;
        if next >= target && h > 0 {
            let frac = ((target - cum) / h as f64).clamp(0.0, 1.0);
            return (b as f64 + frac) / BINS as f64;
        }
        cum = next;
    }
    1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_interpolate_within_bins() {
        let mut h = vec![0u64; BINS];
        h[BINS / 2] = 10;
        let q = hist_quantile(&h, 10, 0.5);
        assert!((q - (BINS / 2) as f64 / BINS as f64 - 0.5 / BINS as f64).abs() < 1e-12);
    }

    #[test]
    fn half_width_is_agresti_coull() {
        // p = 1/2: p~ = 1/2, half-width Z95 · 0.5 / sqrt(n + 4).
        assert!((half_width(0.5, 10_000.0) - Z95 * 0.5 / 10_004f64.sqrt()).abs() < 1e-15);
        // Never observed in 100 draws: p~ = 2/104, not a certain 0.
        let pt: f64 = 2.0 / 104.0;
        assert!((half_width(0.0, 100.0) - Z95 * (pt * (1.0 - pt) / 104.0).sqrt()).abs() < 1e-15);
        assert!(half_width(1.0, 100.0) > 0.02);
    }
}
