//! The main pass of the simulation: per iteration a weight vector and every
//! uncertain value, the totals of all alternatives, their ranks and pairwise
//! comparisons, streamed into per-batch statistics ([`Acc`]) that merge in
//! batch order. Also the central weights that the main pass estimates. Does
//! not own the confidence pass or the result's shape.

use rand::RngCore;
use rayon::prelude::*;

use super::super::kernels;
use super::super::lanes::LaneRng;
use super::super::rng::stream;
use super::super::weights::WeightState;
use super::runner::{with_scratch, Runner, Scratch, BLOCK};
use super::stats::half_width;
use super::{BATCH, BINS, ROUND, SPLITS};

/// Streamed statistics of one batch, or of all batches merged so far.
#[derive(Clone)]
pub(super) struct Acc {
    pub n: usize,
    pub iterations: u64,
    /// [i * n + r]
    pub rank: Vec<f64>,
    /// [i * n + j]
    pub pair: Vec<f64>,
    /// Σ tie-share × w over draws where i is first, per split of the
    /// iterations (iteration index mod [`SPLITS`]): [(g * n + i) * m + c].
    pub w_sum: Vec<f64>,
    /// Σ tie-share of first places per split: [g * n + i].
    pub first: Vec<f64>,
    /// Σ tie-share × w², [i * m + c].
    pub w_sq: Vec<f64>,
    /// Per alternative: mean and M2 of the overall value (Chan-merged).
    pub mean: Vec<f64>,
    pub m2: Vec<f64>,
    /// Histogram counts of this batch, [i * BINS + bin] (a batch fits a
    /// u32; the run's total is kept in u64 by the caller).
    pub hist: Vec<u32>,
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

/// Runs one batch of the main pass.
fn run_batch(sim: &Runner, scratch: &mut Scratch, seed: u64, batch: u64, len: u64) -> Acc {
    let (n, m) = (sim.n, sim.m);
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
    let mut wstate: WeightState = sim.weights.new_state();
    let kernel = sim.compares_in_registers();
    let mut total = vec![0.0; n];
    // Shifted sums for mean and variance within the batch.
    let mut s1 = vec![0.0; n];
    let mut s2 = vec![0.0; n];
    let mut done = 0u64;
    while done < len {
        let b = BLOCK.min((len - done) as usize);
        if sim.fixed_weights.is_none() {
            sim.weights
                .sample_block(&mut rng, &mut lanes, &mut wstate, wcols, BLOCK, b);
        }
        sim.draw_block(&mut lanes, &mut rng, cols, b);
        sim.totals(cols, wcols, sim.fixed_weights.as_deref(), totals, b);
        if kernel {
            kernels::compare_block(totals, n, BLOCK, b, &mut acc.pair, above8, equal8);
        }
        for t in 0..b {
            for i in 0..n {
                let x = totals[i * BLOCK + t];
                total[i] = x;
                let d = x - sim.shift[i];
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
                    // tie with another alternative (the self-comparison is
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
                    let x = match &sim.fixed_weights {
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
        acc.mean[i] = sim.shift[i] + mean_d;
        acc.m2[i] = (s2[i] - s1[i] * mean_d).max(0.0);
    }
    acc.iterations = len;
    acc
}

/// The merged statistics of the main pass.
pub(super) struct MainPass {
    pub acc: Acc,
    /// Histogram of each alternative's total, [a * BINS + bin].
    pub hist: Vec<u64>,
    /// Whether the target error was reached (true when none was asked).
    pub reached: bool,
}

/// Runs the main pass: whole rounds of batches until `max_iter`
/// iterations, or until every rank-acceptability half-width is at most
/// `target`. Calls `progress(done, total)` after each round.
pub(super) fn run(
    r: &Runner,
    seed: u64,
    max_iter: u64,
    target: Option<f64>,
    progress: &dyn Fn(u64),
) -> MainPass {
    let total_batches = max_iter.div_ceil(BATCH);
    let batch_len = |b: u64| BATCH.min(max_iter - b * BATCH);
    let mut acc = Acc::new(r.n, r.m);
    let mut hist = vec![0u64; r.n * BINS];
    let mut next = 0u64;
    let mut reached = target.is_none();
    while next < total_batches {
        let end = (next + ROUND).min(total_batches);
        let parts: Vec<Acc> = (next..end)
            .into_par_iter()
            .map(|b| with_scratch(r, |sc| run_batch(r, sc, seed, b, batch_len(b))))
            .collect();
        for p in &parts {
            acc.merge(p);
            for (a, &h) in hist.iter_mut().zip(&p.hist) {
                *a += u64::from(h);
            }
        }
        next = end;
        progress(acc.iterations);
        if let Some(t) = target {
            if acc.max_acceptability_error() <= t {
                reached = true;
                break;
            }
        }
    }
    MainPass { acc, hist, reached }
}

/// Central weights: per alternative, the mean global weights over the
/// draws in which it is first (`None` if it never is); overall, and per
/// split `[g * n + a]` of the iterations.
pub(super) struct Central {
    pub all: Vec<Option<Vec<f64>>>,
    pub split: Vec<Option<Vec<f64>>>,
}

impl Central {
    pub fn of(acc: &Acc, m: usize) -> Central {
        let n = acc.n;
        let all = (0..n)
            .map(|i| {
                let firsts = acc.rank[i * n];
                (firsts > 0.0).then(|| {
                    (0..m)
                        .map(|c| {
                            (0..SPLITS)
                                .map(|g| acc.w_sum[(g * n + i) * m + c])
                                .sum::<f64>()
                                / firsts
                        })
                        .collect()
                })
            })
            .collect();
        let split = (0..SPLITS * n)
            .map(|gi| {
                let f = acc.first[gi];
                (f > 0.0).then(|| (0..m).map(|c| acc.w_sum[gi * m + c] / f).collect())
            })
            .collect();
        Central { all, split }
    }
}
