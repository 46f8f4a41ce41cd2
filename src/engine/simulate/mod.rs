//! The Monte Carlo SMAA-2 engine (Lahdelma & Salminen 2001).
//!
//! Owns the simulation of a [`CompiledDecision`]: per iteration it draws
//! every uncertain value and a weight vector (uniform over the profile's
//! feasible weights), totals every alternative through the decision's
//! aggregation and ranks them. Parts: `runner` (the block layout, drawing
//! and totals), `main_pass`, `confidence` (the second pass), `result`
//! (the JSON schema and its assembly) and `stats`. It streams the
//! statistics (memory does not grow with the number of iterations):
//!
//! - rank acceptability indices b_i^r: the share of draws in which alternative
//!   i takes rank r;
//! - central weight vectors: the mean global weights over the draws in which
//!   i ranks first;
//! - confidence factors: the share of (fresh) value draws in which i ranks
//!   first when the weights are fixed at its central weights (a second pass);
//!   their error includes the noise carried over from the estimated central
//!   weights (see [`SPLITS`]);
//! - pairwise winning indices: the share of draws in which i scores above j;
//! - each alternative's overall value distribution: mean, sd and the 5th, 50th
//!   and 95th percentile (from a fixed histogram on 0..1);
//! - and the 95% Monte Carlo half-width of each.
//!
//! Ties are shared: alternatives that tie for ranks r..r+k-1 each get 1/k of
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
//! registers ([`kernels`], the fast path of [`Aggregation`]). The confidence
//! pass decides first places from `f32` totals where a proven error bound
//! allows and from the `f64` totals elsewhere, so its result is exactly that
//! of the `f64` totals.
//!
//! [`WeightModel::sample_block`]: super::weights::WeightModel::sample_block
//! [`Sampler::fill`]: super::sampler::Sampler::fill
//! [`LaneRng`]: super::lanes::LaneRng
//! [`kernels`]: super::kernels
//! [`Aggregation`]: super::aggregate::Aggregation

mod confidence;
mod main_pass;
mod result;
mod runner;
mod stats;

pub use result::{Errors, SimulationResult, ValueStats};
pub use stats::{half_width, Z95_TWO_SIDED};

use super::compiled::CompiledDecision;

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
    /// Nothing to simulate.
    #[error("the decision has no initiatives")]
    NoInitiatives,
    /// Zero iterations asked.
    #[error("at least one iteration is needed")]
    NoIterations,
}

/// Runs the SMAA-2 simulation of the compiled decision. `progress(done,
/// total)` is called between rounds (total is an estimate when running to a
/// target error).
pub fn simulate(
    cd: &CompiledDecision,
    plan: &Plan,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<SimulationResult, SimulateError> {
    if cd.n() == 0 {
        return Err(SimulateError::NoInitiatives);
    }
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
    let sim = runner::Runner::new(cd);
    let passes = if plan.confidence { 2 } else { 1 };
    let main = main_pass::run(&sim, plan.seed, max_iter, target, &|done| {
        progress(done, max_iter * passes)
    });
    let iterations = main.acc.iterations;
    let central = main_pass::Central::of(&main.acc, sim.m);
    let confidence = plan.confidence.then(|| {
        confidence::run(&sim, &central, plan.seed, iterations, &|done| {
            progress(iterations + done, iterations * 2)
        })
    });
    Ok(result::build(
        cd,
        result::Measured {
            plan,
            main,
            central,
            target,
            confidence,
        },
    ))
}
