//! The confidence pass of the simulation: fresh value draws with the
//! weights fixed at each alternative's central weights, counting the draws
//! in which it is first; and the error of the resulting confidence factors,
//! including the noise carried over from the estimated central weights.
//! Does not own the main pass.

use rand::RngCore;
use rayon::prelude::*;

use super::super::lanes::LaneRng;
use super::super::rng::stream;
use super::main_pass::Central;
use super::runner::{with_scratch, Runner, Scratch, BLOCK};
use super::stats::{half_width, Z95_TWO_SIDED};
use super::{BATCH, ROUND, SPLITS};

/// Wins of the confidence pass, at the central weights and (on a subsample
/// of blocks) at the central weights of each split.
#[derive(Clone)]
pub(super) struct Wins {
    /// Per alternative, at its central weights.
    pub all: Vec<f64>,
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

/// Counts, for alternative `i`, the draws of a block in which it is first
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

/// Runs one batch of the confidence pass: counts, per alternative with
/// central weights, the draws in which it ranks first under them.
fn run_confidence_batch(
    sim: &Runner,
    scratch: &mut Scratch,
    central: &Central,
    seed: u64,
    batch: u64,
    len: u64,
) -> Wins {
    let mut rng = stream(seed, batch);
    let mut lanes = LaneRng::from_key(rng.next_u64());
    let mut wins = Wins::new(sim.n);
    let registers = sim.scores_first_in_registers();
    let mut done = 0u64;
    let mut block = 0usize;
    while done < len {
        let b = BLOCK.min((len - done) as usize);
        sim.draw_block(&mut lanes, &mut rng, &mut scratch.cols, b);
        let in_sub = block.is_multiple_of(SUBSAMPLE);
        if in_sub {
            wins.sub_count += b as f64;
        }
        if registers {
            first_in_registers(sim, scratch, central, in_sub, b, &mut wins);
        } else {
            first_in_columns(sim, scratch, central, in_sub, b, &mut wins);
        }
        done += b as u64;
        block += 1;
    }
    wins
}

/// Adds a block's first places: totals formed in registers and compared
/// there (no `cross` columns), filtered in f32.
fn first_in_registers(
    sim: &Runner,
    scratch: &mut Scratch,
    central: &Central,
    in_sub: bool,
    b: usize,
    wins: &mut Wins,
) {
    let (n, m) = (sim.n, sim.m);
    let Scratch { cols, cols32, .. } = scratch;
    let upto = b.next_multiple_of(4);
    for k in 0..n * m {
        let (src, dst) = (&cols[k * BLOCK..], &mut cols32[k * BLOCK..]);
        for (d, &x) in dst[..upto].iter_mut().zip(&src[..upto]) {
            *d = x as f32;
        }
    }
    let agg = sim.aggregation;
    for (i, cw) in central.all.iter().enumerate() {
        let Some(cw) = cw else { continue };
        wins.all[i] += agg.first_share(cols, cols32, cw, n, m, BLOCK, i, b);
        if in_sub {
            for g in 0..SPLITS {
                if let Some(sw) = &central.split[g * n + i] {
                    wins.split[g * n + i] += agg.first_share(cols, cols32, sw, n, m, BLOCK, i, b);
                }
            }
        }
    }
}

/// Adds a block's first places for any number of alternatives: totals of
/// every alternative under every central weight vector, reading each value
/// column once (`cross[(i n + j) BLOCK + t]`), compared in columns.
fn first_in_columns(
    sim: &Runner,
    scratch: &mut Scratch,
    central: &Central,
    in_sub: bool,
    b: usize,
    wins: &mut Wins,
) {
    let (n, m) = (sim.n, sim.m);
    let Scratch {
        cols,
        totals,
        cross,
        above,
        equal,
        ..
    } = scratch;
    sim.aggregation
        .cross_totals(cols, &central.all, n, m, BLOCK, b, cross);
    for (i, cw) in central.all.iter().enumerate() {
        if cw.is_none() {
            continue;
        }
        let block_totals = &cross[i * n * BLOCK..(i + 1) * n * BLOCK];
        wins.all[i] += count_first(block_totals, BLOCK, n, i, b, above, equal);
        if in_sub {
            for g in 0..SPLITS {
                if let Some(sw) = &central.split[g * n + i] {
                    sim.totals(cols, &[], Some(sw), totals, b);
                    wins.split[g * n + i] += count_first(totals, BLOCK, n, i, b, above, equal);
                }
            }
        }
    }
}

/// Runs the confidence pass over `iterations` fresh draws (the main pass's
/// count) in rounds of batches, calling `progress(done)` after each round.
/// Returns the wins and the iterations run.
pub(super) fn run(
    sim: &Runner,
    central: &Central,
    seed: u64,
    iterations: u64,
    progress: &dyn Fn(u64),
) -> (Wins, u64) {
    let batches = iterations.div_ceil(BATCH);
    let len = |b: u64| BATCH.min(iterations - b * BATCH);
    let mut wins = Wins::new(sim.n);
    let mut done = 0;
    let mut b = 0;
    while b < batches {
        let end = (b + ROUND).min(batches);
        let parts: Vec<Wins> = (b..end)
            .into_par_iter()
            .map(|k| {
                with_scratch(sim, |sc| {
                    run_confidence_batch(sim, sc, central, seed, CONFIDENCE_STREAMS + k, len(k))
                })
            })
            .collect();
        for p in &parts {
            wins.add(p);
        }
        b = end;
        done = (b * BATCH).min(iterations);
        progress(done);
    }
    (wins, done)
}

/// Seeds of the two passes are kept apart by a domain tag in the stream index.
const CONFIDENCE_STREAMS: u64 = 1 << 40;

/// 95% half-width of a confidence factor: the binomial noise of the
/// confidence pass plus the noise carried over from the estimated central
/// weights. The latter is estimated from the spread of the confidence factor
/// at the central weights of each of the [`SPLITS`] splits of the first
/// pass (scored on the same subsample of draws, so that the draws' own noise
/// mostly cancels): each split's central weights have about `SPLITS` times
/// the variance of the overall ones, so Var ≈ s² / splits.
pub(super) fn confidence_error(
    p: f64,
    draws: f64,
    wins: &Wins,
    split_central: &[Option<Vec<f64>>],
    n: usize,
    i: usize,
) -> f64 {
    let binomial = (half_width(p, draws) / Z95_TWO_SIDED).powi(2);
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
    Z95_TWO_SIDED * (binomial + carried).sqrt()
}
