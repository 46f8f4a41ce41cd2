//! The simulation's view of the compiled decision for the hot loop, and the
//! per-thread scratch buffers it works in.
//!
//! Owns the block layout (value columns `cols[(a m + c) BLOCK + t]` for
//! alternative `a`, criterion `c` and iteration `t` of a block), the drawing
//! of a block's uncertain values and the block's totals (through the
//! decision's [`Aggregation`]). Does not own the statistics of either pass.

use super::super::aggregate::{Aggregation, BlockWeights};
use super::super::compiled::CompiledDecision;
use super::super::kernels;
use super::super::lanes::LaneRng;
use super::super::rng::Rng;
use super::super::sampler::Sampler;
use super::super::value_fn::Scale;
use super::super::weights::WeightModel;

/// Iterations per block: the hot loop works on blocks of columns so that
/// each inner loop does one kind of work (one sampler, one scale, one
/// weighted sum) over many iterations.
pub(super) const BLOCK: usize = 256;

/// The compiled decision laid out for the hot loop.
pub(super) struct Runner<'c> {
    /// This simulation's id (for the per-thread scratch buffers).
    run: u64,
    /// Alternatives.
    pub n: usize,
    /// Criteria.
    pub m: usize,
    /// (column `a * m + c`, criterion, sampler) of every uncertain value.
    /// Every alternative is a single initiative, so a column is its draw;
    /// combined alternatives draw each member once and combine per block.
    uncertain: Vec<(usize, usize, &'c Sampler)>,
    /// Value (0..1) of every column, most likely for uncertain ones.
    base: &'c [f64],
    scales: Vec<&'c Scale>,
    pub weights: &'c WeightModel,
    /// The representative weights when no weight is uncertain.
    pub fixed_weights: Option<Vec<f64>>,
    /// Centre for the streamed sums (the deterministic totals).
    pub shift: Vec<f64>,
    pub aggregation: Aggregation,
}

impl<'c> Runner<'c> {
    pub fn new(cd: &'c CompiledDecision) -> Self {
        let (n, m) = (cd.n(), cd.m());
        let base = cd.most_likely_values();
        let rep = cd.representative_weights();
        let aggregation = cd.aggregation();
        let mut shift = vec![0.0; n];
        aggregation.totals(base, rep, &mut shift);
        Runner {
            run: next_run_id(),
            n,
            m,
            uncertain: cd.uncertain_values(),
            base,
            scales: (0..m).map(|c| cd.scale(c)).collect(),
            weights: cd.weights(),
            fixed_weights: cd.weights().is_fixed().then(|| rep.to_vec()),
            shift,
            aggregation,
        }
    }

    /// Draws a block of `len` iterations of every uncertain value, as
    /// values on 0..1, into the columns of `cols` (`cols[k * BLOCK + t]` is
    /// value `k` = `a * m + c` in iteration `t`). Constant columns are left
    /// as they are (filled once by [`Runner::columns`]).
    pub fn draw_block(&self, lanes: &mut LaneRng, rng: &mut Rng, cols: &mut [f64], len: usize) {
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

    /// `totals[a * BLOCK + t]` = the total of alternative `a` in iteration
    /// `t` of a block, with weights in columns (`wcols[c * BLOCK + t]`) or
    /// fixed (`fixed`).
    pub fn totals(
        &self,
        cols: &[f64],
        wcols: &[f64],
        fixed: Option<&[f64]>,
        totals: &mut [f64],
        len: usize,
    ) {
        let w = match fixed {
            Some(w) => BlockWeights::Fixed(w),
            None => BlockWeights::PerIteration(wcols),
        };
        self.aggregation
            .block_totals(cols, w, self.n, self.m, BLOCK, len, totals);
    }

    /// Whether the main pass compares totals with the register kernel.
    pub fn compares_in_registers(&self) -> bool {
        self.n <= kernels::MAX_N
    }

    /// Whether the confidence pass scores first places in registers.
    pub fn scores_first_in_registers(&self) -> bool {
        self.aggregation.has_register_path(self.n)
    }
}

/// Per-batch scratch buffers, reused across the batches a thread runs.
pub(super) struct Scratch {
    /// Which simulation (see [`next_run_id`]) the buffers are set up for.
    run: u64,
    pub cols: Vec<f64>,
    /// Confidence pass: `cols` rounded to `f32` (see [`kernels::first_share`]).
    pub cols32: Vec<f32>,
    pub wcols: Vec<f64>,
    pub totals: Vec<f64>,
    /// Confidence pass: [(i * n + j) * BLOCK + t], the total of j under
    /// i's central weights.
    pub cross: Vec<f64>,
    /// Main pass: per alternative and iteration of a block, how many
    /// alternatives score above it and equal to it ([`kernels::compare_block`]).
    pub above8: Vec<u8>,
    pub equal8: Vec<u8>,
    /// Confidence pass: per iteration of a block, how many alternatives
    /// score above and equal to the one examined.
    pub above: Vec<u32>,
    pub equal: Vec<u32>,
}

impl Scratch {
    /// Buffers of the register paths where they apply, of the column
    /// paths elsewhere.
    fn new(r: &Runner) -> Self {
        let compare = r.compares_in_registers();
        let first = r.scores_first_in_registers();
        let size = |on: bool, len: usize| if on { len } else { 0 };
        Scratch {
            run: r.run,
            cols: r.columns(),
            cols32: vec![0.0; size(first, r.n * r.m * BLOCK)],
            above8: vec![0; size(compare, r.n * BLOCK)],
            equal8: vec![0; size(compare, r.n * BLOCK)],
            wcols: vec![0.0; r.m * BLOCK],
            totals: vec![0.0; r.n * BLOCK],
            cross: vec![0.0; size(!first, r.n * r.n * BLOCK)],
            above: vec![0; size(!first, BLOCK)],
            equal: vec![0; size(!first, BLOCK)],
        }
    }
}

thread_local! {
    /// Each worker thread keeps its scratch buffers between batches (and
    /// rounds), so the hot loop neither allocates nor faults in fresh pages.
    static SCRATCH: std::cell::RefCell<Option<Scratch>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with this thread's scratch buffers for `r`.
pub(super) fn with_scratch<T>(r: &Runner, f: impl FnOnce(&mut Scratch) -> T) -> T {
    SCRATCH.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|s| s.run != r.run) {
            *slot = Some(Scratch::new(r));
        }
        f(slot.get_or_insert_with(|| Scratch::new(r)))
    })
}

/// A process-wide id per simulation, so scratch buffers are never reused
/// across models.
fn next_run_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
