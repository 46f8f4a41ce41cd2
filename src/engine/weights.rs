//! Stakeholder weights: validation of weight specifications, their
//! representative (deterministic) values and exactly uniform sampling of
//! weight vectors for the SMAA Monte Carlo.
//!
//! This module owns:
//! - [`LevelSpec`]: how one level of the weight hierarchy (the group level, or
//!   the criteria inside one group) is specified: swing points, bounds on the
//!   shares, a ranking, or nothing at all;
//! - [`Level`]: one validated level, compiled once for sampling;
//! - [`WeightModel`]: the two-level hierarchy (group shares × local shares =
//!   global criterion weights);
//! - [`WeightError`]: the user-facing errors of invalid specifications.
//!
//! # Samplers
//! Every uncertain level is sampled *exactly uniformly* over its feasible set
//! (never "uniform numbers, then normalised", which is not uniform):
//! - `Unknown(n)`: flat Dirichlet: for n ≤ 16 the gaps between n − 1 sorted
//!   uniforms, above that n standard exponentials (`rand_distr::Exp1`,
//!   ziggurat) divided by their sum; both are exactly uniform on the simplex.
//! - `Ordinal`: the ordered region `{w_rank1 >= ... >= w_rankn}` is the simplex
//!   whose vertices are `v_j = (1/j, ..., 1/j, 0, ..., 0)` (the first `j` ranks
//!   share equally). A flat Dirichlet `d` mapped to `Σ_j d_j v_j`, i.e.
//!   `w_rank_k = Σ_{j>=k} d_j / j`, is an affine image of the uniform
//!   distribution on the simplex and hence exactly uniform on the ordered
//!   region. It has the same law as a sorted flat Dirichlet draw (Rényi's
//!   representation of exponential order statistics) but needs no sort and
//!   no scratch memory, and the ordering holds exactly in floating point.
//! - `Bounds`: the bounds are first tightened to the projections of the
//!   feasible set (`lo_i' = max(lo_i, 1 - Σ_{j≠i} hi_j)`, `hi_i' = min(hi_i,
//!   1 - Σ_{j≠i} lo_j)`; this does not change the set). Elements with
//!   `hi' - lo' <= 1e-12` are pinned at `lo'`. For the free elements:
//!   - *rejection* (default): `w = lo' + s·y` with `s = 1 - Σ lo'` and `y` a
//!     flat Dirichlet over the free elements (affine, so uniform on the
//!     simplex above the lower bounds), rejecting `y` that break an upper
//!     bound. Exactly uniform.
//!   - *hit-and-run*, used when the acceptance rate of the rejection sampler is
//!     below [`MIN_ACCEPTANCE`] (1 %). The acceptance rate is computed exactly
//!     (it is the volume fraction, see below), or, when the exact formula is
//!     not usable, estimated from 20 000 fixed-seed trial draws. The chain runs
//!     in the rescaled coordinates `z_i = (w_i - lo_i')/(hi_i' - lo_i')`, in
//!     which the box is the unit cube (a linear change of variables, so the
//!     uniform law is preserved; it rounds the polytope and speeds up
//!     mixing). A step draws a standard Gaussian vector, projects it onto the
//!     tangent space of the constraint `Σ (hi'-lo')_i z_i = s`, computes the
//!     chord through the current point within the cube and moves to a
//!     uniform point of that chord (the length of the direction does not
//!     matter for that point, so it is not normalised). Each state starts at
//!     the centroid (a relative interior point), runs a burn-in of
//!     `1000 + 100·m²` steps on its first draw, and then returns every
//!     `max(10, m²)`-th point (`m` = number of free elements). After every
//!     returned point, rounding drift off the constraint is projected away.
//!     The chain is a deterministic function of the RNG and the state.
//!
//! # Representative weights
//! Swing: the shares. Unknown: equal shares. Ordinal: rank-order-centroid
//! (ROC) weights, which are the centroid of the ordered region. Bounds: the
//! exact centroid of the feasible polytope, by inclusion–exclusion over the
//! upper bounds (`2^m` terms, used for `m <= 16` free elements when the
//! floating-point error bound of the alternating sum is below `1e-9`).
//! Otherwise the mean of 100 000 fixed-seed draws of the exact sampler; its
//! standard error per element is at most `(hi'-lo')/(2·√100000) ≈
//! 1.6e-3·(hi'-lo')` for independent draws (a little more for hit-and-run).

use rand::{Rng as _, RngCore, SeedableRng};
use rand_distr::{Exp1, StandardNormal};

use super::lanes::LaneRng;
use super::rng::unit;

use super::rng::Rng;

/// Acceptance rate of the bounds rejection sampler below which hit-and-run
/// is used instead.
pub const MIN_ACCEPTANCE: f64 = 0.01;

/// Tolerance on sums of bounds: lower bounds may add up to `1 + SUM_TOL`,
/// upper bounds to `1 - SUM_TOL`, before the bounds count as infeasible; a
/// feasible set whose slack is within this tolerance is a single point.
const SUM_TOL: f64 = 1e-9;

/// Width below which a (tightened) bound pins its element.
const PIN_TOL: f64 = 1e-12;

/// Number of trial draws for the acceptance estimate when it cannot be
/// computed exactly.
const ACCEPTANCE_TRIALS: usize = 20_000;

/// Number of draws for the Monte Carlo centroid when the exact one is not
/// usable.
const CENTROID_DRAWS: usize = 100_000;

/// Largest number of free elements for the exact (inclusion–exclusion)
/// centroid and volume.
const EXACT_MAX_FREE: usize = 16;

const ACCEPTANCE_SEED: u64 = 0x5eed_acce_97a1_0001;
const CENTROID_SEED: u64 = 0x5eed_ce17_901d_0002;

/// How one level of the weight hierarchy is specified.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum LevelSpec {
    /// Non-negative swing points, normalised to shares. No uncertainty.
    Swing(Vec<f64>),
    /// `(lo, hi)` bounds on each normalised share; every feasible weight
    /// vector is equally plausible.
    Bounds(Vec<(f64, f64)>),
    /// `order[k]` = index (into the level's elements) of the k-th most important element
    Ordinal(Vec<usize>),
    /// Nothing known about the `n` elements: every point of the simplex is
    /// equally plausible.
    Unknown(usize),
}

/// A weight specification that cannot be used. Element and criterion
/// numbers in the fields are 0-based; the messages count from 1.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum WeightError {
    #[error("a weight level has no elements: give at least one")]
    EmptyLevel,
    #[error("swing point {} is {value}: give a finite number of zero or more", .index + 1)]
    SwingNotFinite { index: usize, value: f64 },
    #[error("swing point {} is {}, below zero: give zero or more", .index + 1, num(.value))]
    SwingNegative { index: usize, value: f64 },
    #[error("all swing points are zero: give at least one element a positive number")]
    SwingAllZero,
    #[error("the bounds of element {} are [{lo}, {hi}]: give finite numbers", .index + 1)]
    BoundNotFinite { index: usize, lo: f64, hi: f64 },
    #[error(
        "the bounds of element {} are [{}, {}], outside 0 to 1: bounds are on shares, so keep them between 0 and 1",
        .index + 1, num(.lo), num(.hi)
    )]
    BoundOutOfRange { index: usize, lo: f64, hi: f64 },
    #[error(
        "the lower bound of element {} ({}) is above its upper bound ({}): swap or correct them",
        .index + 1, num(.lo), num(.hi)
    )]
    BoundReversed { index: usize, lo: f64, hi: f64 },
    #[error("the lower bounds add up to {}, more than 1: lower some of them", num(.sum))]
    LowerBoundsTooHigh { sum: f64 },
    #[error("the upper bounds add up to {}, less than 1: raise some of them", num(.sum))]
    UpperBoundsTooLow { sum: f64 },
    #[error(
        "the ranking names element {}, but the level has only {len} elements: use numbers 1 to {len}",
        .index + 1
    )]
    OrdinalOutOfRange { index: usize, len: usize },
    #[error(
        "the ranking names element {} more than once: name each element exactly once",
        .index + 1
    )]
    OrdinalRepeated { index: usize },
    #[error(
        "there are {groups} groups but criteria are given for {members}: give the criteria of every group"
    )]
    GroupCountMismatch { groups: usize, members: usize },
    #[error(
        "the weights of group {} have {level_len} elements but the group has {criteria} criteria: give one weight element per criterion",
        .group + 1
    )]
    GroupSizeMismatch {
        group: usize,
        level_len: usize,
        criteria: usize,
    },
    #[error(
        "criterion {} is named in a group but there are only {n_criteria} criteria",
        .index + 1
    )]
    CriterionOutOfRange { index: usize, n_criteria: usize },
    #[error("criterion {} is in more than one group: put it in exactly one", .index + 1)]
    CriterionRepeated { index: usize },
    #[error("criterion {} is in no group: put it in exactly one", .index + 1)]
    CriterionMissing { index: usize },
}

/// Formats a number for an error message: short, but never rounded onto
/// the limit it is compared with.
fn num(x: &f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    if (s == "1" || s == "0") && *x != 1.0 && *x != 0.0 {
        format!("{x}")
    } else {
        s
    }
}

/// The compiled sampler of one level.
#[derive(Debug, Clone)]
enum Sampler {
    /// A single point: `representative` is returned.
    Fixed,
    /// Flat Dirichlet.
    Dirichlet,
    /// Uniform on the ordered region; `order` as in [`LevelSpec::Ordinal`].
    Ordinal { order: Vec<usize> },
    /// Bounds, by rejection or hit-and-run.
    Bounds(BoundsSampler),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BoundsMethod {
    Rejection,
    HitAndRun,
}

/// Bounds with the pinned elements separated out.
#[derive(Debug, Clone)]
struct BoundsSampler {
    method: BoundsMethod,
    /// Tightened lower bounds of all elements (pinned elements take this value).
    lo: Vec<f64>,
    /// Indices of the free elements.
    free: Vec<usize>,
    /// Indices of the pinned elements.
    pinned: Vec<usize>,
    /// Width `hi' - lo'` of each free element (in `free` order).
    width: Vec<f64>,
    /// `1 - Σ lo'`: the mass shared by the free elements.
    slack: f64,
    /// Hit-and-run start point in z coordinates (in `free` order).
    start_z: Vec<f64>,
    /// `Σ width²`, for projections onto the constraint's tangent space.
    width_sq: f64,
    burn_in: usize,
    thin: usize,
}

/// One validated level, compiled for sampling.
#[derive(Debug, Clone)]
pub struct Level {
    spec: LevelSpec,
    len: usize,
    representative: Vec<f64>,
    sampler: Sampler,
}

/// Per-stream sampling state of a [`Level`]. Only hit-and-run keeps
/// anything: the current point of its chain and a direction buffer.
#[derive(Debug, Clone)]
pub struct LevelState {
    /// Current point of the hit-and-run chain (z coordinates); empty until
    /// the first draw has run the burn-in.
    z: Vec<f64>,
    /// Direction buffer.
    dir: Vec<f64>,
    started: bool,
}

impl Level {
    /// Validates `spec` and compiles it for sampling.
    pub fn new(spec: LevelSpec) -> Result<Level, WeightError> {
        Self::new_with(spec, None)
    }

    /// As [`Level::new`], with the bounds method optionally forced (tests).
    fn new_with(spec: LevelSpec, force: Option<BoundsMethod>) -> Result<Level, WeightError> {
        let (len, representative, sampler) = match &spec {
            LevelSpec::Swing(points) => {
                let rep = swing_shares(points)?;
                (points.len(), rep, Sampler::Fixed)
            }
            LevelSpec::Unknown(n) => {
                let n = *n;
                if n == 0 {
                    return Err(WeightError::EmptyLevel);
                }
                let rep = vec![1.0 / n as f64; n];
                let sampler = if n == 1 {
                    Sampler::Fixed
                } else {
                    Sampler::Dirichlet
                };
                (n, rep, sampler)
            }
            LevelSpec::Ordinal(order) => {
                check_permutation(order)?;
                let n = order.len();
                let rep = roc_weights(order);
                let sampler = if n == 1 {
                    Sampler::Fixed
                } else {
                    Sampler::Ordinal {
                        order: order.clone(),
                    }
                };
                (n, rep, sampler)
            }
            LevelSpec::Bounds(bounds) => {
                let (rep, sampler) = compile_bounds(bounds, force)?;
                (bounds.len(), rep, sampler)
            }
        };
        Ok(Level {
            spec,
            len,
            representative,
            sampler,
        })
    }

    /// Number of elements of the level.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always false: a valid level has at least one element.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The specification this level was built from.
    pub fn spec(&self) -> &LevelSpec {
        &self.spec
    }

    /// True when the level has no uncertainty: swing points, a single
    /// element, or bounds whose feasible set is a single point.
    pub fn is_fixed(&self) -> bool {
        matches!(self.sampler, Sampler::Fixed)
    }

    /// Representative weights for the deterministic score (see the module
    /// docs): swing shares, equal shares, ROC weights or the centroid of the
    /// bounds' feasible set. They sum to 1.
    pub fn representative(&self) -> &[f64] {
        &self.representative
    }

    /// True when this level samples its bounds with hit-and-run.
    pub fn uses_hit_and_run(&self) -> bool {
        matches!(&self.sampler, Sampler::Bounds(b) if b.method == BoundsMethod::HitAndRun)
    }

    /// A fresh per-stream state.
    pub fn new_state(&self) -> LevelState {
        match &self.sampler {
            Sampler::Bounds(b) if b.method == BoundsMethod::HitAndRun => LevelState {
                z: b.start_z.clone(),
                dir: vec![0.0; b.free.len()],
                started: false,
            },
            _ => LevelState {
                z: Vec::new(),
                dir: Vec::new(),
                started: false,
            },
        }
    }

    /// One draw, uniform over the feasible set. Writes `out`
    /// (`out.len() == self.len()`). Does not allocate.
    pub fn sample_into(&self, rng: &mut Rng, state: &mut LevelState, out: &mut [f64]) {
        assert_eq!(out.len(), self.len, "output length must equal level length");
        match &self.sampler {
            Sampler::Fixed => out.copy_from_slice(&self.representative),
            Sampler::Dirichlet => flat_dirichlet(rng, out),
            Sampler::Ordinal { order } => {
                // w_rank_k = Σ_{j>=k} d_j / j with d flat Dirichlet, built
                // from the least important up.
                let mut d = [0.0; SPACINGS_MAX];
                let mut heap;
                let d: &mut [f64] = if order.len() <= SPACINGS_MAX {
                    &mut d[..order.len()]
                } else {
                    heap = vec![0.0; order.len()];
                    &mut heap
                };
                flat_dirichlet(rng, d);
                let mut acc = 0.0;
                for (k, &idx) in order.iter().enumerate().rev() {
                    acc += d[k] / (k + 1) as f64;
                    out[idx] = acc;
                }
            }
            Sampler::Bounds(b) => match b.method {
                BoundsMethod::Rejection => b.sample_rejection(rng, out),
                BoundsMethod::HitAndRun => b.sample_hit_and_run(rng, state, out),
            },
        }
    }
}

impl Level {
    /// `len` draws into columns, `out[k * stride + t]` = element `k` of
    /// draw `t`. A flat Dirichlet of 2, 3 or 4 elements is drawn a column
    /// at a time: the gaps between 1 to 3 sorted uniforms, as in
    /// `flat_dirichlet`, with the uniforms from the top 52 bits of words
    /// of `lanes` and the sorting network applied lane by lane, so the loop
    /// vectorises; the law is the same (exactly uniform on the simplex).
    /// Fixed levels fill their columns; every other level draws one by one
    /// from `rng` into `draw` (`len()` long) exactly as
    /// [`Level::sample_into`]. `words` must hold `len` words.
    #[allow(clippy::too_many_arguments)]
    pub fn sample_columns(
        &self,
        rng: &mut Rng,
        lanes: &mut LaneRng,
        state: &mut LevelState,
        out: &mut [f64],
        stride: usize,
        len: usize,
        draw: &mut [f64],
        words: &mut [u64],
    ) {
        assert!(len <= stride && out.len() >= self.len * stride && words.len() >= len);
        match (&self.sampler, self.len) {
            (Sampler::Fixed, _) => {
                for (k, &x) in self.representative.iter().enumerate() {
                    out[k * stride..k * stride + len].fill(x);
                }
            }
            (Sampler::Dirichlet, 2..=4) => {
                let n = self.len;
                // Columns 0..n-1 receive the uniforms, then their spacings.
                for k in 0..n - 1 {
                    lanes.fill(&mut words[..len]);
                    for (x, &r) in out[k * stride..k * stride + len]
                        .iter_mut()
                        .zip(&words[..len])
                    {
                        *x = unit(r);
                    }
                }
                let (head, rest) = out.split_at_mut(stride);
                let a = &mut head[..len];
                match n {
                    2 => {
                        let b = &mut rest[..len];
                        for (a, b) in a.iter_mut().zip(b.iter_mut()) {
                            *b = 1.0 - *a;
                        }
                    }
                    3 => {
                        let (b, rest) = rest.split_at_mut(stride);
                        let (b, c) = (&mut b[..len], &mut rest[..len]);
                        for ((a, b), c) in a.iter_mut().zip(b.iter_mut()).zip(c.iter_mut()) {
                            [*a, *b, *c] = spacings3(*a, *b);
                        }
                    }
                    _ => {
                        let (b, rest) = rest.split_at_mut(stride);
                        let (c, rest) = rest.split_at_mut(stride);
                        let (b, c, d) = (&mut b[..len], &mut c[..len], &mut rest[..len]);
                        for (((a, b), c), d) in a
                            .iter_mut()
                            .zip(b.iter_mut())
                            .zip(c.iter_mut())
                            .zip(d.iter_mut())
                        {
                            [*a, *b, *c, *d] = spacings4(*a, *b, *c);
                        }
                    }
                }
            }
            _ => {
                for t in 0..len {
                    self.sample_into(rng, state, draw);
                    for (k, &x) in draw.iter().enumerate() {
                        out[k * stride + t] = x;
                    }
                }
            }
        }
    }
}

/// Compare-exchange on registers: `if a < b` selects compile to minsd/maxsd
/// (or minpd/maxpd in a vectorised loop), no branches (random comparisons
/// would mispredict).
#[inline(always)]
fn cx(a: f64, b: f64) -> (f64, f64) {
    (if a < b { a } else { b }, if a < b { b } else { a })
}

/// The spacings of two uniforms on (0, 1): a flat Dirichlet of 3 elements.
#[inline(always)]
fn spacings3(u: f64, v: f64) -> [f64; 3] {
    let (a, b) = cx(u, v);
    [a, b - a, 1.0 - b]
}

/// The spacings of three uniforms on (0, 1), sorted by a three-comparator
/// network: a flat Dirichlet of 4 elements.
#[inline(always)]
fn spacings4(x: f64, y: f64, z: f64) -> [f64; 4] {
    let (x, y) = cx(x, y);
    let (y, z) = cx(y, z);
    let (x, y) = cx(x, y);
    [x, y - x, z - y, 1.0 - z]
}

/// Up to this many elements a flat Dirichlet draw uses sorted-uniform
/// spacings on the stack; above it, normalised exponentials.
const SPACINGS_MAX: usize = 16;

/// One flat Dirichlet draw (uniform on the simplex) into `out`.
///
/// For small `n`: the gaps between `n − 1` sorted uniforms on (0, 1) (and the
/// ends), which are exactly uniform on the simplex and cost `n − 1` uniforms
/// and a tiny insertion sort instead of `n` logarithms. Larger `n`: standard
/// exponentials (`rand_distr::Exp1`, ziggurat) divided by their sum.
fn flat_dirichlet(rng: &mut Rng, out: &mut [f64]) {
    let n = out.len();
    if n == 1 {
        out[0] = 1.0;
        return;
    }
    let uniform =
        |rng: &mut Rng| ((rng.next_u64() >> 11) as i64) as f64 * (1.0 / (1u64 << 53) as f64);
    if n == 3 {
        let (u, v) = (uniform(rng), uniform(rng));
        out.copy_from_slice(&spacings3(u, v));
    } else if n == 4 {
        let (x, y, z) = (uniform(rng), uniform(rng), uniform(rng));
        out.copy_from_slice(&spacings4(x, y, z));
    } else if n <= SPACINGS_MAX {
        let mut u = [0.0f64; SPACINGS_MAX];
        for x in u.iter_mut().take(n - 1) {
            *x = ((rng.next_u64() >> 11) as i64) as f64 * (1.0 / (1u64 << 53) as f64);
        }
        sort_small(&mut u[..n - 1]);
        let mut prev = 0.0;
        for (o, &x) in out.iter_mut().zip(&u[..n - 1]) {
            *o = x - prev;
            prev = x;
        }
        out[n - 1] = 1.0 - prev;
    } else {
        let mut sum = 0.0;
        for x in out.iter_mut() {
            let e: f64 = rng.sample(Exp1);
            *x = e;
            sum += e;
        }
        let inv = 1.0 / sum;
        for x in out.iter_mut() {
            *x *= inv;
        }
    }
}

/// Sorts a few numbers ascending. Up to four: a branch-free sorting network
/// (the comparisons of random draws would mispredict); above: insertion sort.
fn sort_small(u: &mut [f64]) {
    #[inline(always)]
    fn cs(u: &mut [f64], i: usize, j: usize) {
        let (a, b) = (u[i], u[j]);
        u[i] = if b < a { b } else { a };
        u[j] = if b < a { a } else { b };
    }
    match u.len() {
        0 | 1 => {}
        2 => cs(u, 0, 1),
        3 => {
            cs(u, 0, 1);
            cs(u, 1, 2);
            cs(u, 0, 1);
        }
        4 => {
            cs(u, 0, 1);
            cs(u, 2, 3);
            cs(u, 0, 2);
            cs(u, 1, 3);
            cs(u, 1, 2);
        }
        _ => {
            for k in 1..u.len() {
                let x = u[k];
                let mut j = k;
                while j > 0 && u[j - 1] > x {
                    u[j] = u[j - 1];
                    j -= 1;
                }
                u[j] = x;
            }
        }
    }
}

fn swing_shares(points: &[f64]) -> Result<Vec<f64>, WeightError> {
    if points.is_empty() {
        return Err(WeightError::EmptyLevel);
    }
    for (index, &value) in points.iter().enumerate() {
        if !value.is_finite() {
            return Err(WeightError::SwingNotFinite { index, value });
        }
        if value < 0.0 {
            return Err(WeightError::SwingNegative { index, value });
        }
    }
    let sum: f64 = points.iter().sum();
    if sum <= 0.0 {
        return Err(WeightError::SwingAllZero);
    }
    if !sum.is_finite() {
        // Finite points whose sum overflows: rescale first.
        let max = points.iter().copied().fold(0.0, f64::max);
        let scaled: Vec<f64> = points.iter().map(|p| p / max).collect();
        let s: f64 = scaled.iter().sum();
        return Ok(scaled.iter().map(|p| p / s).collect());
    }
    Ok(points.iter().map(|p| p / sum).collect())
}

fn check_permutation(order: &[usize]) -> Result<(), WeightError> {
    let n = order.len();
    if n == 0 {
        return Err(WeightError::EmptyLevel);
    }
    let mut seen = vec![false; n];
    for &index in order {
        if index >= n {
            return Err(WeightError::OrdinalOutOfRange { index, len: n });
        }
        if seen[index] {
            return Err(WeightError::OrdinalRepeated { index });
        }
        seen[index] = true;
    }
    Ok(())
}

/// Rank-order-centroid weights: `w_k = (1/n) Σ_{j=k..n} 1/j` for rank `k`
/// (1-based), placed at `order[k-1]`.
fn roc_weights(order: &[usize]) -> Vec<f64> {
    let n = order.len();
    let mut w = vec![0.0; n];
    let mut acc = 0.0;
    for (k, &idx) in order.iter().enumerate().rev() {
        acc += 1.0 / (k + 1) as f64;
        w[idx] = acc / n as f64;
    }
    w
}

/// Validates bounds and builds their representative point and sampler.
fn compile_bounds(
    bounds: &[(f64, f64)],
    force: Option<BoundsMethod>,
) -> Result<(Vec<f64>, Sampler), WeightError> {
    let n = bounds.len();
    if n == 0 {
        return Err(WeightError::EmptyLevel);
    }
    for (index, &(lo, hi)) in bounds.iter().enumerate() {
        if !lo.is_finite() || !hi.is_finite() {
            return Err(WeightError::BoundNotFinite { index, lo, hi });
        }
        if lo < 0.0 || hi > 1.0 || lo > 1.0 || hi < 0.0 {
            return Err(WeightError::BoundOutOfRange { index, lo, hi });
        }
        if lo > hi {
            return Err(WeightError::BoundReversed { index, lo, hi });
        }
    }
    let sum_lo: f64 = bounds.iter().map(|b| b.0).sum();
    let sum_hi: f64 = bounds.iter().map(|b| b.1).sum();
    if sum_lo > 1.0 + SUM_TOL {
        return Err(WeightError::LowerBoundsTooHigh { sum: sum_lo });
    }
    if sum_hi < 1.0 - SUM_TOL {
        return Err(WeightError::UpperBoundsTooLow { sum: sum_hi });
    }
    // A single feasible point (within the tolerance): the lower or the upper
    // bounds, rescaled onto the simplex.
    if sum_lo >= 1.0 - SUM_TOL {
        let point = bounds.iter().map(|b| b.0 / sum_lo).collect();
        return Ok((point, Sampler::Fixed));
    }
    if sum_hi <= 1.0 + SUM_TOL {
        let point = bounds.iter().map(|b| b.1 / sum_hi).collect();
        return Ok((point, Sampler::Fixed));
    }
    // Tighten to the projections of the feasible set.
    let lo: Vec<f64> = bounds
        .iter()
        .map(|&(l, h)| l.max(1.0 - (sum_hi - h)).min(h))
        .collect();
    let hi: Vec<f64> = bounds
        .iter()
        .enumerate()
        .map(|(i, &(l, h))| h.min(1.0 - (sum_lo - l)).max(lo[i]))
        .collect();
    let free: Vec<usize> = (0..n).filter(|&i| hi[i] - lo[i] > PIN_TOL).collect();
    let sum_lo_t: f64 = lo.iter().sum();
    let slack = 1.0 - sum_lo_t;
    if free.len() <= 1 || slack <= PIN_TOL {
        // Everything is determined by the pinned elements.
        let mut point = lo.clone();
        if let Some(&i) = free.first() {
            point[i] += slack.max(0.0);
        }
        let s: f64 = point.iter().sum();
        point.iter_mut().for_each(|x| *x /= s);
        return Ok((point, Sampler::Fixed));
    }
    let width: Vec<f64> = free.iter().map(|&i| hi[i] - lo[i]).collect();
    let m = free.len();
    let mut sampler = BoundsSampler {
        method: BoundsMethod::Rejection,
        lo: lo.clone(),
        free: free.clone(),
        pinned: (0..n).filter(|i| !free.contains(i)).collect(),
        width: width.clone(),
        slack,
        start_z: Vec::new(),
        width_sq: width.iter().map(|w| w * w).sum(),
        burn_in: 1000 + 100 * m * m,
        thin: (m * m).max(10),
    };

    let exact = exact_centroid(&width, slack);
    let acceptance = match &exact {
        Some((_, volume_fraction)) => *volume_fraction,
        None => {
            let mut rng = Rng::seed_from_u64(ACCEPTANCE_SEED);
            let mut buf = vec![0.0; n];
            let accepted = (0..ACCEPTANCE_TRIALS)
                .filter(|_| sampler.try_rejection(&mut rng, &mut buf))
                .count();
            accepted as f64 / ACCEPTANCE_TRIALS as f64
        }
    };
    sampler.method = match force {
        Some(m) => m,
        None if acceptance < MIN_ACCEPTANCE => BoundsMethod::HitAndRun,
        None => BoundsMethod::Rejection,
    };

    // Start of the hit-and-run chain: the exact centroid, or else the point
    // lo' + λ(hi' - lo') on the constraint, which is strictly inside every
    // free element's interval.
    sampler.start_z = match &exact {
        Some((y, _)) => y
            .iter()
            .zip(&width)
            .map(|(yi, wi)| (yi * slack / wi).clamp(0.0, 1.0))
            .collect(),
        None => {
            let lambda = slack / width.iter().sum::<f64>();
            vec![lambda; m]
        }
    };

    let representative = match exact {
        Some((y, _)) => {
            let mut point = lo.clone();
            for (k, &i) in free.iter().enumerate() {
                point[i] += slack * y[k];
            }
            point
        }
        None => {
            let mut rng = Rng::seed_from_u64(CENTROID_SEED);
            let mut state = LevelState {
                z: sampler.start_z.clone(),
                dir: vec![0.0; m],
                started: false,
            };
            let mut buf = vec![0.0; n];
            let mut mean = vec![0.0; n];
            for _ in 0..CENTROID_DRAWS {
                match sampler.method {
                    BoundsMethod::Rejection => sampler.sample_rejection(&mut rng, &mut buf),
                    BoundsMethod::HitAndRun => {
                        sampler.sample_hit_and_run(&mut rng, &mut state, &mut buf)
                    }
                }
                for (a, b) in mean.iter_mut().zip(&buf) {
                    *a += b;
                }
            }
            let s: f64 = mean.iter().sum();
            mean.iter_mut().for_each(|x| *x /= s);
            mean
        }
    };
    Ok((representative, Sampler::Bounds(sampler)))
}

/// Exact centroid of `{x >= 0, Σx = 1, x_i <= c_i}` with `c_i = width_i /
/// slack`, by inclusion–exclusion over the violated upper bounds:
/// `V = Σ_S (-1)^{|S|} t_S^{m-1}` and `M_j = Σ_S (-1)^{|S|} t_S^{m-1}
/// (t_S/m + c_j [j∈S])` with `t_S = 1 - Σ_{i∈S} c_i > 0`. `V` is the volume
/// relative to the whole simplex, i.e. the acceptance rate of the rejection
/// sampler. The sums are compensated (Neumaier). Returns `(M/V, V)`, or
/// `None` when `m` is too large or the floating-point error bound of the
/// alternating sums, relative to `V`, exceeds `1e-9`.
fn exact_centroid(width: &[f64], slack: f64) -> Option<(Vec<f64>, f64)> {
    let m = width.len();
    if m > EXACT_MAX_FREE {
        return None;
    }
    let c: Vec<f64> = width.iter().map(|w| (w / slack).min(1.0)).collect();
    let mut vol = Neumaier::default();
    let mut mom = vec![Neumaier::default(); m];
    // Σ|terms| and Σ of the per-term rounding bounds.
    let mut vol_abs = 0.0;
    let mut term_err = 0.0;
    for mask in 0u32..(1u32 << m) {
        let mut t = 1.0;
        for (i, ci) in c.iter().enumerate() {
            if mask & (1 << i) != 0 {
                t -= ci;
            }
        }
        if t <= 0.0 {
            continue;
        }
        let sign = if mask.count_ones() % 2 == 0 {
            1.0
        } else {
            -1.0
        };
        let p = t.powi(m as i32 - 1);
        vol.add(sign * p);
        vol_abs += p;
        // t carries an absolute error of at most m·ε, so t^(m-1) one of
        // (m-1)·m·ε·t^(m-2); the power and products add a few m·ε·t^(m-1).
        term_err += (m * m) as f64 * t.powi(m as i32 - 2) + 4.0 * m as f64 * p;
        for (j, mj) in mom.iter_mut().enumerate() {
            let in_s = if mask & (1 << j) != 0 { c[j] } else { 0.0 };
            mj.add(sign * p * (t / m as f64 + in_s));
        }
    }
    let vol = vol.sum();
    if vol <= 0.0 {
        return None;
    }
    // Error bound of the compensated sums: per-term errors plus 2ε·Σ|terms|.
    // Moment terms are at most twice the volume terms (t/m + c_j <= 2).
    let vol_err = f64::EPSILON * (term_err + 2.0 * vol_abs);
    let mom_err = 2.0 * vol_err;
    let y: Vec<f64> = mom.iter().map(|mj| mj.sum() / vol).collect();
    let ok = y
        .iter()
        .all(|x| (mom_err + x.abs() * vol_err) / vol <= 1e-9);
    if !ok || vol_err / vol > 1e-9 {
        return None;
    }
    let s: f64 = y.iter().sum();
    Some((y.iter().map(|v| v / s).collect(), vol.min(1.0)))
}

/// Neumaier (compensated) summation.
#[derive(Debug, Clone, Copy, Default)]
struct Neumaier {
    sum: f64,
    comp: f64,
}

impl Neumaier {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.comp += (self.sum - t) + x;
        } else {
            self.comp += (x - t) + self.sum;
        }
        self.sum = t;
    }

    fn sum(&self) -> f64 {
        self.sum + self.comp
    }
}

impl BoundsSampler {
    /// One rejection trial: writes a candidate into `out`, returns whether it
    /// is feasible.
    fn try_rejection(&self, rng: &mut Rng, out: &mut [f64]) -> bool {
        let mut d = [0.0; SPACINGS_MAX];
        let mut heap;
        let d: &mut [f64] = if self.free.len() <= SPACINGS_MAX {
            &mut d[..self.free.len()]
        } else {
            heap = vec![0.0; self.free.len()];
            &mut heap
        };
        flat_dirichlet(rng, d);
        for (k, &i) in self.free.iter().enumerate() {
            let y = d[k] * self.slack;
            if y > self.width[k] {
                return false;
            }
            out[i] = y;
        }
        true
    }

    fn sample_rejection(&self, rng: &mut Rng, out: &mut [f64]) {
        while !self.try_rejection(rng, out) {}
        // Free elements add lo' to their share; pinned elements take lo'.
        for &i in &self.free {
            out[i] += self.lo[i];
        }
        for &i in &self.pinned {
            out[i] = self.lo[i];
        }
    }

    /// One hit-and-run step from `state.z`.
    fn har_step(&self, rng: &mut Rng, state: &mut LevelState) {
        let LevelState { z, dir, .. } = state;
        // Gaussian direction projected onto {δ : Σ width_i δ_i = 0}.
        let mut dot = 0.0;
        for (d, w) in dir.iter_mut().zip(&self.width) {
            let g: f64 = rng.sample(StandardNormal);
            *d = g;
            dot += g * w;
        }
        let coef = dot / self.width_sq;
        for (d, w) in dir.iter_mut().zip(&self.width) {
            *d -= coef * w;
        }
        // Chord within the unit cube.
        let mut t_min = f64::NEG_INFINITY;
        let mut t_max = f64::INFINITY;
        for (&zi, &di) in z.iter().zip(dir.iter()) {
            if di > 0.0 {
                t_max = t_max.min((1.0 - zi) / di);
                t_min = t_min.max(-zi / di);
            } else if di < 0.0 {
                t_max = t_max.min(-zi / di);
                t_min = t_min.max((1.0 - zi) / di);
            }
        }
        if !(t_min.is_finite() && t_max.is_finite()) || t_max < t_min {
            // Degenerate direction (probability zero): stay put.
            return;
        }
        let u: f64 = rng.gen();
        let t = t_min + (t_max - t_min) * u;
        for (zi, di) in z.iter_mut().zip(dir.iter()) {
            *zi = (*zi + t * di).clamp(0.0, 1.0);
        }
    }

    fn sample_hit_and_run(&self, rng: &mut Rng, state: &mut LevelState, out: &mut [f64]) {
        if !state.started {
            if state.z.len() != self.free.len() {
                state.z.clear();
                state.z.extend_from_slice(&self.start_z);
                state.dir.resize(self.free.len(), 0.0);
            }
            for _ in 0..self.burn_in {
                self.har_step(rng, state);
            }
            state.started = true;
        }
        for _ in 0..self.thin {
            self.har_step(rng, state);
        }
        // Project rounding drift back onto Σ width_i z_i = slack.
        let total: f64 = state.z.iter().zip(&self.width).map(|(z, w)| z * w).sum();
        let coef = (self.slack - total) / self.width_sq;
        for (z, w) in state.z.iter_mut().zip(&self.width) {
            *z = (*z + coef * w).clamp(0.0, 1.0);
        }
        out.copy_from_slice(&self.lo);
        for (k, &i) in self.free.iter().enumerate() {
            out[i] += self.width[k] * state.z[k];
        }
    }
}

/// The two-level weight hierarchy: group shares × local shares.
#[derive(Debug, Clone)]
pub struct WeightModel {
    groups: Level,
    members: Vec<(Level, Vec<usize>)>,
    n_criteria: usize,
    max_members: usize,
    representative_global: Vec<f64>,
}

/// Per-stream sampling state of a [`WeightModel`].
#[derive(Debug, Clone)]
pub struct WeightState {
    groups: LevelState,
    members: Vec<LevelState>,
    local: Vec<f64>,
    /// [`WeightModel::sample_block`]: group share columns, local share
    /// columns, one draw of the group level, and random words.
    block_groups: Vec<f64>,
    block_local: Vec<f64>,
    group_draw: Vec<f64>,
    words: Vec<u64>,
}

impl WeightModel {
    /// groups: the group level. `members[g]` = (local level of group g, global
    /// criterion indices of its criteria in the level's element order).
    /// n_criteria = total; every criterion index appears exactly once.
    pub fn new(
        groups: Level,
        members: Vec<(Level, Vec<usize>)>,
        n_criteria: usize,
    ) -> Result<WeightModel, WeightError> {
        if groups.len() != members.len() {
            return Err(WeightError::GroupCountMismatch {
                groups: groups.len(),
                members: members.len(),
            });
        }
        let mut seen = vec![false; n_criteria];
        for (group, (level, indices)) in members.iter().enumerate() {
            if level.len() != indices.len() {
                return Err(WeightError::GroupSizeMismatch {
                    group,
                    level_len: level.len(),
                    criteria: indices.len(),
                });
            }
            for &index in indices {
                if index >= n_criteria {
                    return Err(WeightError::CriterionOutOfRange { index, n_criteria });
                }
                if seen[index] {
                    return Err(WeightError::CriterionRepeated { index });
                }
                seen[index] = true;
            }
        }
        if let Some(index) = seen.iter().position(|s| !s) {
            return Err(WeightError::CriterionMissing { index });
        }
        let mut representative_global = vec![0.0; n_criteria];
        for (g, (level, indices)) in members.iter().enumerate() {
            let share = groups.representative()[g];
            for (local, &c) in level.representative().iter().zip(indices) {
                representative_global[c] = share * local;
            }
        }
        let max_members = members.iter().map(|m| m.0.len()).max().unwrap_or(0);
        Ok(WeightModel {
            groups,
            members,
            n_criteria,
            max_members,
            representative_global,
        })
    }

    /// Total number of criteria.
    pub fn n_criteria(&self) -> usize {
        self.n_criteria
    }

    /// Number of groups.
    pub fn n_groups(&self) -> usize {
        self.groups.len()
    }

    /// True when no level has any uncertainty.
    pub fn is_fixed(&self) -> bool {
        self.groups.is_fixed() && self.members.iter().all(|(l, _)| l.is_fixed())
    }

    /// Representative global weights: representative group share ×
    /// representative local share. Sums to 1.
    pub fn representative_global(&self) -> Vec<f64> {
        self.representative_global.clone()
    }

    /// Representative group shares.
    pub fn representative_groups(&self) -> Vec<f64> {
        self.groups.representative().to_vec()
    }

    /// A fresh per-stream state.
    pub fn new_state(&self) -> WeightState {
        WeightState {
            groups: self.groups.new_state(),
            members: self.members.iter().map(|(l, _)| l.new_state()).collect(),
            local: vec![0.0; self.max_members],
            block_groups: Vec::new(),
            block_local: Vec::new(),
            group_draw: vec![0.0; self.groups.len()],
            words: Vec::new(),
        }
    }

    /// One draw of global weights (`global.len() == n_criteria`, sums to 1 up
    /// to rounding) and the group shares drawn (`groups.len() == n_groups`).
    /// The group level is drawn first, then each group's local level in
    /// group order. Does not allocate.
    pub fn sample_into(
        &self,
        rng: &mut Rng,
        state: &mut WeightState,
        global: &mut [f64],
        groups: &mut [f64],
    ) {
        assert_eq!(global.len(), self.n_criteria, "global length mismatch");
        self.groups.sample_into(rng, &mut state.groups, groups);
        for (g, ((level, indices), level_state)) in self
            .members
            .iter()
            .zip(state.members.iter_mut())
            .enumerate()
        {
            let local = &mut state.local[..level.len()];
            level.sample_into(rng, level_state, local);
            let share = groups[g];
            for (l, &c) in local.iter().zip(indices) {
                global[c] = share * l;
            }
        }
    }

    /// `len` draws of global weights at once, into columns:
    /// `wcols[c * stride + t]` is the weight of criterion `c` in draw `t`.
    /// Each level is drawn for all `len` draws before the next: flat
    /// Dirichlet levels of 2 to 4 elements a column at a time from words of
    /// `lanes` (see [`Level::sample_columns`]), every other level draw by
    /// draw from `rng` with [`Level::sample_into`] (the law of
    /// [`WeightModel::sample_into`]; the order in which the words are used
    /// differs). The buffers grow on the first call and are reused after it.
    pub fn sample_block(
        &self,
        rng: &mut Rng,
        lanes: &mut LaneRng,
        state: &mut WeightState,
        wcols: &mut [f64],
        stride: usize,
        len: usize,
    ) {
        assert!(len <= stride && wcols.len() >= self.n_criteria * stride);
        let WeightState {
            groups: group_state,
            members: member_states,
            local,
            block_groups,
            block_local,
            group_draw,
            words,
        } = state;
        block_groups.resize(self.groups.len() * stride, 0.0);
        block_local.resize(self.max_members * stride, 0.0);
        words.resize(stride, 0);
        self.groups.sample_columns(
            rng,
            lanes,
            group_state,
            block_groups,
            stride,
            len,
            group_draw,
            words,
        );
        for (g, ((level, indices), level_state)) in self
            .members
            .iter()
            .zip(member_states.iter_mut())
            .enumerate()
        {
            let cols = &mut block_local[..level.len() * stride];
            level.sample_columns(
                rng,
                lanes,
                level_state,
                cols,
                stride,
                len,
                &mut local[..level.len()],
                words,
            );
            let shares = &*cols;
            let share = &block_groups[g * stride..g * stride + len];
            for (k, &c) in indices.iter().enumerate() {
                let l = &shares[k * stride..k * stride + len];
                let w = &mut wcols[c * stride..c * stride + len];
                for ((w, &s), &l) in w.iter_mut().zip(share).zip(l) {
                    *w = s * l;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;
    use super::*;
    use proptest::prelude::*;
    use statrs::distribution::{Beta, ContinuousCDF};

    /// Largest |z| (difference in standard errors) accepted by the
    /// statistical tests. Seeds are fixed, so the tests are deterministic;
    /// 5 SE keeps them robust to a change of seed (two-sided p ≈ 6e-7 per
    /// comparison).
    const Z_TOL: f64 = 5.0;
    /// KS critical value factor for α = 0.001: sqrt(-ln(α/2)/2).
    const KS_FACTOR: f64 = 1.949;

    fn rng(seed: u64) -> Rng {
        Rng::seed_from_u64(seed)
    }

    /// Draws `n` samples of a level.
    fn draws(level: &Level, seed: u64, n: usize) -> Vec<Vec<f64>> {
        let mut r = rng(seed);
        let mut st = level.new_state();
        (0..n)
            .map(|_| {
                let mut out = vec![0.0; level.len()];
                level.sample_into(&mut r, &mut st, &mut out);
                out
            })
            .collect()
    }

    /// Per-element mean, variance and fourth central moment.
    fn moments(xs: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let n = xs.len() as f64;
        let d = xs[0].len();
        let mean: Vec<f64> = (0..d)
            .map(|j| xs.iter().map(|x| x[j]).sum::<f64>() / n)
            .collect();
        let var: Vec<f64> = (0..d)
            .map(|j| xs.iter().map(|x| (x[j] - mean[j]).powi(2)).sum::<f64>() / (n - 1.0))
            .collect();
        let m4: Vec<f64> = (0..d)
            .map(|j| xs.iter().map(|x| (x[j] - mean[j]).powi(4)).sum::<f64>() / n)
            .collect();
        (mean, var, m4)
    }

    /// Largest |z| between the means and between the variances of two
    /// independent samples.
    fn compare_iid(a: &[Vec<f64>], b: &[Vec<f64>]) -> (f64, f64) {
        let (ma, va, qa) = moments(a);
        let (mb, vb, qb) = moments(b);
        let (na, nb) = (a.len() as f64, b.len() as f64);
        let mut zm: f64 = 0.0;
        let mut zv: f64 = 0.0;
        for j in 0..ma.len() {
            let se = (va[j] / na + vb[j] / nb).sqrt();
            if se > 0.0 {
                zm = zm.max((ma[j] - mb[j]).abs() / se);
            }
            // SE of a sample variance: sqrt((μ4 - σ⁴)/n).
            let sev = ((qa[j] - va[j] * va[j]) / na + (qb[j] - vb[j] * vb[j]) / nb).sqrt();
            if sev > 0.0 {
                zv = zv.max((va[j] - vb[j]).abs() / sev);
            }
        }
        (zm, zv)
    }

    /// Batch means: per element, (mean, SE of the mean) and (mean of batch
    /// variances, SE of it), for autocorrelated draws.
    fn batch_stats(xs: &[Vec<f64>], batches: usize) -> Vec<(f64, f64, f64, f64)> {
        let size = xs.len() / batches;
        let d = xs[0].len();
        (0..d)
            .map(|j| {
                let bm: Vec<f64> = (0..batches)
                    .map(|b| {
                        xs[b * size..(b + 1) * size]
                            .iter()
                            .map(|x| x[j])
                            .sum::<f64>()
                            / size as f64
                    })
                    .collect();
                let bv: Vec<f64> = (0..batches)
                    .map(|b| {
                        let s = &xs[b * size..(b + 1) * size];
                        s.iter().map(|x| (x[j] - bm[b]).powi(2)).sum::<f64>() / (size as f64 - 1.0)
                    })
                    .collect();
                let mean_se = |v: &[f64]| {
                    let k = v.len() as f64;
                    let m = v.iter().sum::<f64>() / k;
                    let s2 = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (k - 1.0);
                    (m, (s2 / k).sqrt())
                };
                let (m, sm) = mean_se(&bm);
                let (v, sv) = mean_se(&bv);
                (m, sm, v, sv)
            })
            .collect()
    }

    fn assert_simplex(w: &[f64], tol: f64) {
        let s: f64 = w.iter().sum();
        assert!((s - 1.0).abs() <= tol, "sum {s} in {w:?}");
        assert!(w.iter().all(|x| *x >= 0.0), "negative weight in {w:?}");
    }

    fn assert_feasible(w: &[f64], bounds: &[(f64, f64)]) {
        assert_simplex(w, 1e-12);
        for (x, (lo, hi)) in w.iter().zip(bounds) {
            assert!(
                *x >= lo - 1e-12 && *x <= hi + 1e-12,
                "{w:?} outside {bounds:?}"
            );
        }
    }

    /// Brute-force reference for bounds: flat Dirichlet over all elements,
    /// kept when inside the box.
    fn brute_force_bounds(bounds: &[(f64, f64)], seed: u64, n: usize) -> (Vec<Vec<f64>>, usize) {
        let unknown = Level::new(LevelSpec::Unknown(bounds.len())).unwrap();
        let mut r = rng(seed);
        let mut st = unknown.new_state();
        let mut kept = Vec::with_capacity(n);
        let mut tried = 0;
        while kept.len() < n {
            let mut w = vec![0.0; bounds.len()];
            unknown.sample_into(&mut r, &mut st, &mut w);
            tried += 1;
            if w.iter().zip(bounds).all(|(x, (lo, hi))| x >= lo && x <= hi) {
                kept.push(w);
            }
        }
        (kept, tried)
    }

    // ---------- Unknown ----------

    #[test]
    fn unknown_marginals_are_beta_1_n_minus_1() {
        let n = 5;
        let level = Level::new(LevelSpec::Unknown(n)).unwrap();
        assert!(!level.is_fixed());
        assert_eq!(level.representative(), &[0.2; 5]);
        let big_n = 100_000;
        let xs = draws(&level, 1, big_n);
        xs.iter().for_each(|w| assert_simplex(w, 1e-12));
        let (mean, var, m4) = moments(&xs);
        let nf = n as f64;
        let true_mean = 1.0 / nf;
        let true_var = (nf - 1.0) / (nf * nf * (nf + 1.0));
        let (mut zm, mut zv) = (0.0f64, 0.0f64);
        for j in 0..n {
            zm = zm.max((mean[j] - true_mean).abs() / (true_var / big_n as f64).sqrt());
            let sev = ((m4[j] - var[j] * var[j]) / big_n as f64).sqrt();
            zv = zv.max((var[j] - true_var).abs() / sev);
        }
        eprintln!("unknown(5): max |z| mean {zm:.2}, variance {zv:.2}");
        assert!(zm < Z_TOL && zv < Z_TOL);

        // KS test of the first marginal against Beta(1, n-1).
        let ks_n = 20_000;
        let mut x: Vec<f64> = xs[..ks_n].iter().map(|w| w[0]).collect();
        x.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let beta = Beta::new(1.0, nf - 1.0).unwrap();
        let d = x
            .iter()
            .enumerate()
            .map(|(i, &xi)| {
                let f = beta.cdf(xi);
                (f - i as f64 / ks_n as f64)
                    .abs()
                    .max((f - (i + 1) as f64 / ks_n as f64).abs())
            })
            .fold(0.0, f64::max);
        let crit = KS_FACTOR / (ks_n as f64).sqrt();
        eprintln!("unknown(5): KS D = {d:.5}, critical {crit:.5}");
        assert!(d < crit);
    }

    #[test]
    fn unknown_edge_cases() {
        assert_eq!(
            Level::new(LevelSpec::Unknown(0)).unwrap_err(),
            WeightError::EmptyLevel
        );
        let one = Level::new(LevelSpec::Unknown(1)).unwrap();
        assert!(one.is_fixed());
        assert_eq!(draws(&one, 3, 2), vec![vec![1.0], vec![1.0]]);
    }

    // ---------- Ordinal ----------

    #[test]
    fn roc_weights_are_known_values() {
        let level = Level::new(LevelSpec::Ordinal(vec![1, 2, 0])).unwrap();
        let w = level.representative();
        let expect = [2.0 / 18.0, 11.0 / 18.0, 5.0 / 18.0];
        for (a, b) in w.iter().zip(expect) {
            assert!((a - b).abs() < 1e-15);
        }
        assert!(Level::new(LevelSpec::Ordinal(vec![0])).unwrap().is_fixed());
    }

    #[test]
    fn ordinal_draws_are_ordered_with_roc_mean() {
        let order = vec![2, 0, 4, 1, 3];
        let level = Level::new(LevelSpec::Ordinal(order.clone())).unwrap();
        let xs = draws(&level, 2, 100_000);
        for w in &xs {
            assert_simplex(w, 1e-12);
            for k in 1..order.len() {
                assert!(w[order[k - 1]] >= w[order[k]], "not ordered: {w:?}");
            }
        }
        let (mean, var, _) = moments(&xs);
        let roc = level.representative();
        let z = (0..5)
            .map(|j| (mean[j] - roc[j]).abs() / (var[j] / xs.len() as f64).sqrt())
            .fold(0.0, f64::max);
        eprintln!("ordinal(5): max |z| of mean vs ROC {z:.2}");
        assert!(z < Z_TOL);
    }

    #[test]
    fn ordinal_matches_sorted_dirichlet_reference() {
        let order = vec![3, 1, 0, 2];
        let level = Level::new(LevelSpec::Ordinal(order.clone())).unwrap();
        let xs = draws(&level, 4, 60_000);
        // Reference: a flat Dirichlet sorted descending, assigned by order.
        let unknown = Level::new(LevelSpec::Unknown(4)).unwrap();
        let reference: Vec<Vec<f64>> = draws(&unknown, 5, 60_000)
            .into_iter()
            .map(|mut d| {
                d.sort_by(|a, b| b.partial_cmp(a).unwrap());
                let mut w = vec![0.0; 4];
                for (k, &i) in order.iter().enumerate() {
                    w[i] = d[k];
                }
                w
            })
            .collect();
        let (zm, zv) = compare_iid(&xs, &reference);
        eprintln!("ordinal(4) vs sorted Dirichlet: max |z| mean {zm:.2}, variance {zv:.2}");
        assert!(zm < Z_TOL && zv < Z_TOL);
    }

    #[test]
    fn ordinal_errors() {
        assert_eq!(
            Level::new(LevelSpec::Ordinal(vec![])).unwrap_err(),
            WeightError::EmptyLevel
        );
        assert_eq!(
            Level::new(LevelSpec::Ordinal(vec![0, 0, 1])).unwrap_err(),
            WeightError::OrdinalRepeated { index: 0 }
        );
        let e = Level::new(LevelSpec::Ordinal(vec![0, 3, 1])).unwrap_err();
        assert_eq!(e, WeightError::OrdinalOutOfRange { index: 3, len: 3 });
        assert_eq!(
            e.to_string(),
            "the ranking names element 4, but the level has only 3 elements: use numbers 1 to 3"
        );
    }

    // ---------- Swing ----------

    #[test]
    fn swing_gives_shares() {
        let level = Level::new(LevelSpec::Swing(vec![100.0, 50.0, 0.0, 50.0])).unwrap();
        assert!(level.is_fixed());
        assert_eq!(level.representative(), &[0.5, 0.25, 0.0, 0.25]);
        assert_eq!(draws(&level, 9, 1)[0], vec![0.5, 0.25, 0.0, 0.25]);
        let huge = Level::new(LevelSpec::Swing(vec![f64::MAX, f64::MAX])).unwrap();
        assert_eq!(huge.representative(), &[0.5, 0.5]);
    }

    #[test]
    fn small_sorts_sort() {
        let mut rng = Rng::seed_from_u64(5);
        for n in 0..=9 {
            for _ in 0..200 {
                let mut v: Vec<f64> = (0..n).map(|_| rng.gen::<f64>()).collect();
                let mut want = v.clone();
                want.sort_by(f64::total_cmp);
                sort_small(&mut v);
                assert_eq!(v, want);
            }
        }
    }

    #[test]
    fn swing_errors() {
        let e = |v: Vec<f64>| Level::new(LevelSpec::Swing(v)).unwrap_err();
        assert_eq!(e(vec![]), WeightError::EmptyLevel);
        assert_eq!(e(vec![0.0, 0.0]), WeightError::SwingAllZero);
        let neg = e(vec![1.0, -2.0]);
        assert_eq!(
            neg,
            WeightError::SwingNegative {
                index: 1,
                value: -2.0
            }
        );
        assert_eq!(
            neg.to_string(),
            "swing point 2 is -2, below zero: give zero or more"
        );
        assert!(matches!(
            e(vec![f64::NAN]),
            WeightError::SwingNotFinite { index: 0, .. }
        ));
        assert!(matches!(
            e(vec![1.0, f64::INFINITY]),
            WeightError::SwingNotFinite { index: 1, .. }
        ));
    }

    // ---------- Bounds ----------

    const B4: [(f64, f64); 4] = [(0.1, 0.5), (0.0, 0.4), (0.2, 0.7), (0.0, 0.3)];

    #[test]
    fn bounds_exact_centroid_in_two_dimensions() {
        // w1 ranges over [0.1, 0.4] after tightening: centroid 0.25.
        let level = Level::new(LevelSpec::Bounds(vec![(0.1, 0.5), (0.6, 0.9)])).unwrap();
        let r = level.representative();
        assert!(
            (r[0] - 0.25).abs() < 1e-12 && (r[1] - 0.75).abs() < 1e-12,
            "{r:?}"
        );
        // A symmetric case: centroid is equal shares.
        let sym = Level::new(LevelSpec::Bounds(vec![(0.1, 0.4); 3])).unwrap();
        for x in sym.representative() {
            assert!((x - 1.0 / 3.0).abs() < 1e-12);
        }
    }

    #[test]
    fn bounds_rejection_matches_brute_force() {
        let level = Level::new(LevelSpec::Bounds(B4.to_vec())).unwrap();
        assert!(!level.is_fixed() && !level.uses_hit_and_run());
        let n = 60_000;
        let xs = draws(&level, 10, n);
        xs.iter().for_each(|w| assert_feasible(w, &B4));
        let (reference, tried) = brute_force_bounds(&B4, 11, n);
        let (zm, zv) = compare_iid(&xs, &reference);
        eprintln!("bounds B4 rejection vs brute force: max |z| mean {zm:.2}, variance {zv:.2}");
        assert!(zm < Z_TOL && zv < Z_TOL);

        // The exact centroid against the brute-force mean.
        let (mean, var, _) = moments(&reference);
        let rep = level.representative();
        let zc = (0..4)
            .map(|j| (rep[j] - mean[j]).abs() / (var[j] / n as f64).sqrt())
            .fold(0.0, f64::max);
        eprintln!("bounds B4 exact centroid vs brute-force mean: max |z| {zc:.2}");
        assert!(zc < Z_TOL);

        // The exact volume fraction (the acceptance rate computed in `new`)
        // against the simulated acceptance of the rejection sampler.
        let b = match &level.sampler {
            Sampler::Bounds(b) => b.clone(),
            _ => unreachable!(),
        };
        let (_, vol) = exact_centroid(&b.width, b.slack).unwrap();
        let mut r = rng(12);
        let mut buf = vec![0.0; 4];
        let trials = 50_000;
        let acc = (0..trials)
            .filter(|_| b.try_rejection(&mut r, &mut buf))
            .count() as f64
            / trials as f64;
        let z = (acc - vol).abs() / (vol * (1.0 - vol) / trials as f64).sqrt();
        eprintln!("bounds B4 acceptance exact {vol:.4}, simulated {acc:.4}, |z| {z:.2}; brute force kept {n} of {tried}");
        assert!(z < Z_TOL);
    }

    #[test]
    fn hit_and_run_agrees_with_rejection() {
        let rej = Level::new(LevelSpec::Bounds(B4.to_vec())).unwrap();
        let har = Level::new_with(
            LevelSpec::Bounds(B4.to_vec()),
            Some(BoundsMethod::HitAndRun),
        )
        .unwrap();
        assert!(har.uses_hit_and_run());
        assert_eq!(har.representative(), rej.representative());
        let n = 50_000;
        let xs_h = draws(&har, 20, n);
        xs_h.iter().for_each(|w| assert_feasible(w, &B4));
        let xs_r = draws(&rej, 21, n);
        let (mr, vr, qr) = moments(&xs_r);
        let bs = batch_stats(&xs_h, 50);
        let (mut zm, mut zv) = (0.0f64, 0.0f64);
        for j in 0..4 {
            let (m, sm, v, sv) = bs[j];
            zm = zm.max((m - mr[j]).abs() / (sm * sm + vr[j] / n as f64).sqrt());
            let sev_r = ((qr[j] - vr[j] * vr[j]) / n as f64).sqrt();
            zv = zv.max((v - vr[j]).abs() / (sv * sv + sev_r * sev_r).sqrt());
        }
        // Lag-1 autocorrelation of the thinned chain, element 0.
        let (mh, vh, _) = moments(&xs_h);
        let ac = xs_h
            .windows(2)
            .map(|p| (p[0][0] - mh[0]) * (p[1][0] - mh[0]))
            .sum::<f64>()
            / ((n - 1) as f64 * vh[0]);
        eprintln!("bounds B4 hit-and-run vs rejection: max |z| mean {zm:.2}, variance {zv:.2}; lag-1 autocorrelation {ac:.3}");
        assert!(zm < Z_TOL && zv < Z_TOL);
    }

    #[test]
    fn low_acceptance_switches_to_hit_and_run() {
        // Ten narrow, unequal intervals: the rejection sampler would accept
        // well under 1 % of its draws.
        let bounds: Vec<(f64, f64)> = (0..10)
            .map(|i| if i < 5 { (0.08, 0.1) } else { (0.09, 0.115) })
            .collect();
        let level = Level::new(LevelSpec::Bounds(bounds.clone())).unwrap();
        assert!(level.uses_hit_and_run());
        let b = match &level.sampler {
            Sampler::Bounds(b) => b.clone(),
            _ => unreachable!(),
        };
        let (_, vol) = exact_centroid(&b.width, b.slack).unwrap();
        let n = 20_000;
        let xs = draws(&level, 30, n);
        xs.iter().for_each(|w| assert_feasible(w, &bounds));
        let rep = level.representative();
        let bs = batch_stats(&xs, 40);
        let z = (0..10)
            .map(|j| (bs[j].0 - rep[j]).abs() / bs[j].1)
            .fold(0.0, f64::max);
        eprintln!("bounds 10 narrow: acceptance {vol:.2e}, hit-and-run mean vs exact centroid max |z| {z:.2}");
        assert!(z < Z_TOL);
        // Deterministic given the rng and the state.
        assert_eq!(draws(&level, 30, 50), xs[..50].to_vec());
    }

    #[test]
    fn many_free_elements_use_a_monte_carlo_centroid() {
        // 18 free elements: beyond the exact formula, so the centroid is the
        // mean of 100 000 draws; by symmetry it is 1/18 for every element.
        let bounds = vec![(0.02, 0.1); 18];
        let b = match Level::new(LevelSpec::Bounds(bounds.clone()))
            .unwrap()
            .sampler
        {
            Sampler::Bounds(b) => b,
            _ => unreachable!(),
        };
        assert!(exact_centroid(&b.width, b.slack).is_none());
        let level = Level::new(LevelSpec::Bounds(bounds.clone())).unwrap();
        let (_, var, _) = moments(&draws(&level, 50, 20_000));
        let rep = level.representative();
        assert_simplex(rep, 1e-12);
        let z = (0..18)
            .map(|j| (rep[j] - 1.0 / 18.0).abs() / (var[j] / CENTROID_DRAWS as f64).sqrt())
            .fold(0.0, f64::max);
        eprintln!(
            "bounds 18: hit-and-run {}, Monte Carlo centroid max |z| {z:.2}",
            level.uses_hit_and_run()
        );
        assert!(z < Z_TOL);
    }

    #[test]
    fn bounds_errors() {
        let e = |v: Vec<(f64, f64)>| Level::new(LevelSpec::Bounds(v)).unwrap_err();
        let high = e(vec![(0.7, 1.0), (0.5, 1.0)]);
        assert!(matches!(high, WeightError::LowerBoundsTooHigh { .. }));
        assert_eq!(
            high.to_string(),
            "the lower bounds add up to 1.2, more than 1: lower some of them"
        );
        let low = e(vec![(0.0, 0.3), (0.0, 0.3)]);
        assert_eq!(
            low.to_string(),
            "the upper bounds add up to 0.6, less than 1: raise some of them"
        );
        assert!(matches!(
            e(vec![(0.5, 0.2), (0.0, 1.0)]),
            WeightError::BoundReversed { index: 0, .. }
        ));
        assert!(matches!(
            e(vec![(0.0, 1.0), (-0.1, 0.5)]),
            WeightError::BoundOutOfRange { index: 1, .. }
        ));
        assert!(matches!(
            e(vec![(0.0, 1.5), (0.0, 0.5)]),
            WeightError::BoundOutOfRange { index: 0, .. }
        ));
        assert!(matches!(
            e(vec![(f64::NAN, 0.5)]),
            WeightError::BoundNotFinite { .. }
        ));
        assert_eq!(e(vec![]), WeightError::EmptyLevel);
        // Barely too high is shown with enough digits.
        let barely = e(vec![(0.5, 1.0), (0.500001, 1.0)]);
        assert_eq!(
            barely.to_string(),
            "the lower bounds add up to 1.000001, more than 1: lower some of them"
        );
    }

    #[test]
    fn bounds_with_a_single_feasible_point() {
        let lo_one = vec![(0.2, 0.3), (0.3, 0.5), (0.5, 0.6)];
        let level = Level::new(LevelSpec::Bounds(lo_one.clone())).unwrap();
        assert!(level.is_fixed());
        let d = draws(&level, 1, 3);
        for w in &d {
            assert_feasible(w, &lo_one);
            assert!((w[0] - 0.2).abs() < 1e-15 && (w[2] - 0.5).abs() < 1e-15);
        }
        let hi_one = Level::new(LevelSpec::Bounds(vec![(0.0, 0.25), (0.1, 0.75)])).unwrap();
        assert!(hi_one.is_fixed());
        assert_eq!(hi_one.representative(), &[0.25, 0.75]);
        let single = Level::new(LevelSpec::Bounds(vec![(0.0, 1.0)])).unwrap();
        assert!(single.is_fixed());
        assert_eq!(single.representative(), &[1.0]);
        // One element pinned, the other two free.
        let pinned = vec![(0.2, 0.2), (0.0, 1.0), (0.0, 1.0)];
        let level = Level::new(LevelSpec::Bounds(pinned.clone())).unwrap();
        assert!(!level.is_fixed());
        for w in draws(&level, 2, 1000) {
            assert_feasible(&w, &pinned);
            assert_eq!(w[0], 0.2);
        }
        let har = Level::new_with(
            LevelSpec::Bounds(pinned.clone()),
            Some(BoundsMethod::HitAndRun),
        )
        .unwrap();
        for w in draws(&har, 2, 1000) {
            assert_feasible(&w, &pinned);
            assert_eq!(w[0], 0.2);
        }
    }

    // ---------- WeightModel ----------

    fn bench_model() -> WeightModel {
        let groups =
            Level::new(LevelSpec::Bounds(vec![(0.2, 0.5), (0.2, 0.5), (0.2, 0.6)])).unwrap();
        let members = (0..3)
            .map(|g| {
                (
                    Level::new(LevelSpec::Unknown(4)).unwrap(),
                    (4 * g..4 * g + 4).collect(),
                )
            })
            .collect();
        WeightModel::new(groups, members, 12).unwrap()
    }

    #[test]
    fn model_draws_are_on_the_simplex() {
        let model = bench_model();
        assert!(!model.is_fixed());
        let mut r = rng(40);
        let mut st = model.new_state();
        let mut g = vec![0.0; 3];
        let mut w = vec![0.0; 12];
        for _ in 0..10_000 {
            model.sample_into(&mut r, &mut st, &mut w, &mut g);
            assert_simplex(&w, 1e-12);
            for k in 0..3 {
                let s: f64 = w[4 * k..4 * k + 4].iter().sum();
                assert!((s - g[k]).abs() < 1e-12);
            }
            assert_feasible(&g, &[(0.2, 0.5), (0.2, 0.5), (0.2, 0.6)]);
        }
        // Deterministic given the rng.
        let (mut r1, mut r2) = (rng(5), rng(5));
        let (mut s1, mut s2) = (model.new_state(), model.new_state());
        let (mut w1, mut w2) = (vec![0.0; 12], vec![0.0; 12]);
        for _ in 0..10 {
            model.sample_into(&mut r1, &mut s1, &mut w1, &mut g);
            model.sample_into(&mut r2, &mut s2, &mut w2, &mut g);
            assert_eq!(w1, w2);
        }
    }

    /// Draws through [`WeightModel::sample_block`] (partial blocks
    /// included), as rows.
    fn block_draws(model: &WeightModel, seed: u64, n: usize) -> Vec<Vec<f64>> {
        let (stride, m) = (256, model.n_criteria());
        let mut r = rng(seed);
        let mut lanes = LaneRng::from_key(seed);
        let mut st = model.new_state();
        let mut wcols = vec![0.0; m * stride];
        let mut rows = Vec::with_capacity(n);
        while rows.len() < n {
            let len = (n - rows.len()).min(if rows.len() % 3 == 0 { 100 } else { stride });
            model.sample_block(&mut r, &mut lanes, &mut st, &mut wcols, stride, len);
            for t in 0..len {
                rows.push((0..m).map(|c| wcols[c * stride + t]).collect());
            }
        }
        rows
    }

    /// The block sampler has the law of the draw-by-draw sampler: on the
    /// simplex, within the bounds, and with the same means and variances
    /// (5 standard errors), for every kind of level (flat Dirichlet of 2, 3
    /// and 4 elements drawn in columns; ranking, bounds, swing and larger
    /// Dirichlet levels draw by draw).
    #[test]
    fn block_draws_have_the_law_of_single_draws() {
        let mixed = WeightModel::new(
            Level::new(LevelSpec::Ordinal(vec![2, 0, 1, 3, 4])).unwrap(),
            vec![
                (Level::new(LevelSpec::Unknown(2)).unwrap(), vec![0, 1]),
                (Level::new(LevelSpec::Unknown(3)).unwrap(), vec![2, 3, 4]),
                (
                    Level::new(LevelSpec::Swing(vec![3.0, 1.0])).unwrap(),
                    vec![5, 6],
                ),
                (
                    Level::new(LevelSpec::Bounds(vec![(0.1, 0.5), (0.2, 0.7), (0.0, 0.4)]))
                        .unwrap(),
                    vec![7, 8, 9],
                ),
                (
                    Level::new(LevelSpec::Unknown(6)).unwrap(),
                    (10..16).collect(),
                ),
            ],
            16,
        )
        .unwrap();
        for (name, model) in [("bench", bench_model()), ("mixed", mixed)] {
            let n = 60_000;
            let block = block_draws(&model, 7, n);
            let mut r = rng(8);
            let mut st = model.new_state();
            let mut g = vec![0.0; model.n_groups()];
            let single: Vec<Vec<f64>> = (0..n)
                .map(|_| {
                    let mut w = vec![0.0; model.n_criteria()];
                    model.sample_into(&mut r, &mut st, &mut w, &mut g);
                    w
                })
                .collect();
            for w in &block {
                assert_simplex(w, 1e-12);
                assert!(w.iter().all(|&x| x >= 0.0));
            }
            if name == "bench" {
                for w in &block {
                    let g: Vec<f64> = (0..3).map(|k| w[4 * k..4 * k + 4].iter().sum()).collect();
                    assert_feasible(&g, &[(0.2, 0.5), (0.2, 0.5), (0.2, 0.6)]);
                }
            }
            let (zm, zv) = compare_iid(&block, &single);
            eprintln!("{name}: block vs single draws, max |z| mean {zm:.2}, variance {zv:.2}");
            assert!(zm < Z_TOL && zv < Z_TOL, "{name}: {zm} {zv}");
        }
    }

    #[test]
    fn model_representative_is_product() {
        let groups = Level::new(LevelSpec::Swing(vec![2.0, 1.0, 1.0])).unwrap();
        let members = vec![
            (
                Level::new(LevelSpec::Ordinal(vec![1, 0])).unwrap(),
                vec![3, 0],
            ),
            (Level::new(LevelSpec::Unknown(1)).unwrap(), vec![2]),
            (
                Level::new(LevelSpec::Swing(vec![1.0, 3.0])).unwrap(),
                vec![1, 4],
            ),
        ];
        let model = WeightModel::new(groups, members, 5).unwrap();
        assert_eq!(model.n_criteria(), 5);
        assert!(!model.is_fixed());
        assert_eq!(model.representative_groups(), vec![0.5, 0.25, 0.25]);
        let w = model.representative_global();
        // ROC for 2: rank 1 = 3/4, rank 2 = 1/4; element 1 (criterion 0) ranks first.
        let expect = [0.5 * 0.75, 0.25 * 0.25, 0.25, 0.5 * 0.25, 0.25 * 0.75];
        for (a, b) in w.iter().zip(expect) {
            assert!((a - b).abs() < 1e-15, "{w:?}");
        }
        assert_simplex(&w, 1e-12);
    }

    #[test]
    fn model_errors() {
        let u = |n| Level::new(LevelSpec::Unknown(n)).unwrap();
        let e =
            |members: Vec<(Level, Vec<usize>)>, n| WeightModel::new(u(2), members, n).unwrap_err();
        assert_eq!(
            e(vec![(u(2), vec![0, 1])], 2),
            WeightError::GroupCountMismatch {
                groups: 2,
                members: 1
            }
        );
        assert!(matches!(
            e(vec![(u(2), vec![0]), (u(1), vec![1])], 2),
            WeightError::GroupSizeMismatch { group: 0, .. }
        ));
        assert_eq!(
            e(vec![(u(1), vec![0]), (u(1), vec![0])], 2),
            WeightError::CriterionRepeated { index: 0 }
        );
        assert_eq!(
            e(vec![(u(1), vec![0]), (u(1), vec![5])], 2),
            WeightError::CriterionOutOfRange {
                index: 5,
                n_criteria: 2
            }
        );
        assert_eq!(
            e(vec![(u(1), vec![0]), (u(1), vec![2])], 3),
            WeightError::CriterionMissing { index: 1 }
        );
    }

    // ---------- Property test ----------

    /// A random valid level spec of `n` elements.
    fn arb_spec(n: usize) -> impl Strategy<Value = LevelSpec> {
        prop_oneof![
            proptest::collection::vec(0.01f64..100.0, n).prop_map(LevelSpec::Swing),
            Just(LevelSpec::Unknown(n)),
            Just((0..n).collect::<Vec<_>>())
                .prop_shuffle()
                .prop_map(LevelSpec::Ordinal),
            // Bounds around a random interior point, so they are feasible.
            (
                proptest::collection::vec(0.01f64..1.0, n),
                proptest::collection::vec((0.0f64..0.5, 0.0f64..0.5), n)
            )
                .prop_map(|(p, d)| {
                    let s: f64 = p.iter().sum();
                    LevelSpec::Bounds(
                        p.iter()
                            .zip(d)
                            .map(|(x, (a, b))| ((x / s - a).max(0.0), (x / s + b).min(1.0)))
                            .collect(),
                    )
                }),
        ]
    }

    fn arb_model() -> impl Strategy<Value = (LevelSpec, Vec<LevelSpec>, u64)> {
        proptest::collection::vec(1usize..5, 1..4).prop_flat_map(|sizes| {
            let groups = arb_spec(sizes.len());
            let members: Vec<_> = sizes.iter().map(|&s| arb_spec(s)).collect();
            (groups, members, any::<u64>())
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn sampled_global_weights_stay_on_the_simplex((gspec, mspecs, seed) in arb_model()) {
            let groups = Level::new(gspec).unwrap();
            let mut next = 0;
            let members: Vec<(Level, Vec<usize>)> = mspecs
                .into_iter()
                .map(|s| {
                    let l = Level::new(s).unwrap();
                    // Consecutive criterion indices per group.
                    let idx = (next..next + l.len()).collect();
                    next += l.len();
                    (l, idx)
                })
                .collect();
            let n = next;
            let model = WeightModel::new(groups, members, n).unwrap();
            let rep = model.representative_global();
            prop_assert!((rep.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            let mut r = rng(seed);
            let mut st = model.new_state();
            let mut g = vec![0.0; model.n_groups()];
            let mut w = vec![0.0; n];
            for _ in 0..50 {
                model.sample_into(&mut r, &mut st, &mut w, &mut g);
                prop_assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{:?}", w);
                prop_assert!(w.iter().all(|x| *x >= 0.0));
                prop_assert!((g.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            }
        }
    }
}
