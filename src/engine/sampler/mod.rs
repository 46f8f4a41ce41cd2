//! Fast samplers for the Monte Carlo hot loop.
//!
//! This module owns [`Sampler`], an immutable draw-ready form compiled once
//! from a [`Dist`] (plus optional censoring bounds and a scale factor), and
//! the choice of draw method per kind. It does not own distribution
//! semantics ([`crate::model::dist`]), the random streams and the
//! word-to-uniform conversion ([`crate::engine::rng`]), nor the eight-lane
//! generator ([`crate::engine::lanes`]).
//!
//! # Methods per kind
//!
//! Every draw starts from one random 64-bit word `r`; `u = rng::unit(r)` is
//! its top 52 bits as a uniform on the 2^52 multiples of 2^-52 in `[0, 1)`.
//!
//! * point: a constant, no word;
//! * uniform: `min + (max - min) * u` (exact);
//! * triangular: Stein & Keblis (2009), `min + (max - mode) * min(u, v) +
//!   (mode - min) * max(u, v)` from two words (exact; no square root, so it
//!   vectorises);
//! * normal: ziggurat, `mean + sd * z`, see [`crate::engine::ziggurat`]
//!   (exact; the ~1.2% of words its fast path rejects take further words);
//! * lognormal: `exp(mu + sigma * z)` with the same ziggurat;
//! * discrete: inverse CDF over cumulative probabilities (branch-free count
//!   for up to 16 points, binary search above);
//! * PERT and beta: a precomputed inverse-CDF table, see below; the body
//!   segment is the word's top 11 bits and the position within it the next
//!   52, so no float-to-integer conversion is needed.
//!
//! In the hot loop ([`Sampler::fill`]) the words come from
//! [`crate::engine::lanes::LaneRng`] a column at a time, further words (the
//! ziggurat's slow path) from the batch's scalar stream; [`Sampler::sample`]
//! takes all words from one scalar stream. Both give the same draw for the
//! same words (a test checks it bit for bit).
//!
//! The quantile table of the PERT and beta samplers, and why it is
//! accurate, are in [`table`].

use std::sync::Arc;

use rand::RngCore;

use super::lanes::LaneRng;
use super::rng::{unit, Rng};
use super::ziggurat::{self, Ziggurat};
use table::QuantileTable;

use crate::model::dist::{lognormal_params, pert_shape, Dist};

mod table;
#[cfg(test)]
mod tests;

/// Words drawn and transformed at a time by [`Sampler::fill`].
const CHUNK: usize = 64;

/// The draw method and its precomputed constants.
#[derive(Debug, Clone)]
enum Method {
    /// Always this value (already clamped and scaled).
    Constant(f64),
    Uniform {
        min: f64,
        width: f64,
    },
    /// Stein & Keblis (2009): `min + (max − mode) · min(U, V) +
    /// (mode − min) · max(U, V)` for independent uniforms `U`, `V`.
    Triangular {
        min: f64,
        max: f64,
        /// `max − mode`, the weight of `min(U, V)`.
        low: f64,
        /// `mode − min`, the weight of `max(U, V)`.
        high: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
        zig: &'static Ziggurat,
    },
    LogNormal {
        mu: f64,
        sigma: f64,
        zig: &'static Ziggurat,
    },
    /// Sorted x values with positive probability and their cumulative
    /// probabilities (last one exactly 1).
    Discrete {
        xs: Arc<[f64]>,
        cum: Arc<[f64]>,
    },
    Table(Arc<QuantileTable>),
}

/// A distribution compiled for fast drawing. Immutable, cheap to clone
/// (tables are shared), `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Sampler {
    method: Method,
    /// Censoring bounds in the distribution's units (infinite when absent).
    lo: f64,
    hi: f64,
    /// Multiplier applied after censoring.
    factor: f64,
}

impl Sampler {
    /// Compiles `dist` for drawing.
    ///
    /// `clamp`: optional `[lo, hi]` applied to each draw (censoring: values
    /// outside are set to the bound), in the distribution's own units,
    /// BEFORE `factor` multiplies it (factor = region population for
    /// per-inhabitant values, else 1.0). Reversed bounds are swapped; a NaN
    /// bound means "no bound on that side".
    ///
    /// `dist` is assumed valid (see [`Dist::validate`]). Building a PERT or
    /// beta sampler evaluates ~5,200 quantiles (a few milliseconds); all
    /// other kinds are instant.
    pub fn new(dist: &Dist, clamp: Option<(f64, f64)>, factor: f64) -> Sampler {
        let (lo, hi) = match clamp {
            Some((a, b)) => {
                let a = if a.is_nan() { f64::NEG_INFINITY } else { a };
                let b = if b.is_nan() { f64::INFINITY } else { b };
                (a.min(b), a.max(b))
            }
            None => (f64::NEG_INFINITY, f64::INFINITY),
        };
        let method = match *dist {
            Dist::Point { value } => Method::Constant(value),
            Dist::Uniform { min, max } => Method::Uniform {
                min,
                width: max - min,
            },
            Dist::Triangular { min, mode, max } => Method::Triangular {
                min,
                max,
                low: max - mode,
                high: mode - min,
            },
            Dist::Pert { min, mode, max } => {
                let (a, b) = pert_shape(min, mode, max);
                Method::Table(Arc::new(QuantileTable::scaled_beta(a, b, min, max)))
            }
            Dist::Normal { mean, sd } => Method::Normal {
                mean,
                sd,
                zig: ziggurat::tables(),
            },
            Dist::LogNormal { median, p95 } => {
                let (mu, sigma) = lognormal_params(median, p95);
                Method::LogNormal {
                    mu,
                    sigma,
                    zig: ziggurat::tables(),
                }
            }
            Dist::Beta { alpha, beta } => {
                Method::Table(Arc::new(QuantileTable::scaled_beta(alpha, beta, 0.0, 1.0)))
            }
            Dist::Discrete { ref points } => {
                let cum = Dist::discrete_cumulative(points);
                if cum.len() == 1 {
                    Method::Constant(cum[0].0)
                } else {
                    Method::Discrete {
                        xs: cum.iter().map(|&(x, _)| x).collect(),
                        cum: cum.iter().map(|&(_, c)| c).collect(),
                    }
                }
            }
        };
        // Censoring that pins every draw to one bound makes it constant too.
        let (sup_lo, sup_hi) = dist.support();
        let method = match method {
            Method::Constant(v) => Method::Constant(v.max(lo).min(hi) * factor),
            _ if lo >= sup_hi => Method::Constant(lo * factor),
            _ if hi <= sup_lo => Method::Constant(hi * factor),
            m => m,
        };
        Sampler {
            method,
            lo,
            hi,
            factor,
        }
    }

    /// Draws one value: censored to the clamp bounds, then times `factor`.
    #[inline]
    pub fn sample(&self, rng: &mut Rng) -> f64 {
        if let Method::Constant(v) = self.method {
            return v;
        }
        let r = rng.next_u64();
        self.draw_from(r, rng)
    }

    /// The draw that starts with word `r`, taking further words from `rng`
    /// only where the method needs them (the ~1.2% of normal and lognormal
    /// draws that leave the ziggurat's fast path).
    #[inline(always)]
    fn draw_from(&self, r: u64, rng: &mut Rng) -> f64 {
        let raw = match self.method {
            Method::Constant(v) => return v,
            Method::Uniform { min, width } => min + width * unit(r),
            Method::Triangular {
                min,
                max,
                low,
                high,
            } => triangular(unit(r), unit(rng.next_u64()), min, max, low, high),
            Method::Normal { mean, sd, zig } => mean + sd * normal(zig, r, rng),
            Method::LogNormal { mu, sigma, zig } => (mu + sigma * normal(zig, r, rng)).exp(),
            Method::Discrete { ref xs, ref cum } => discrete(xs, cum, unit(r)),
            Method::Table(ref table) => table.draw_word(r),
        };
        self.censor(raw)
    }

    /// Censors a raw draw to the clamp bounds and multiplies by `factor`.
    /// Plain comparisons (not `f64::max`/`min`, whose NaN rules cost several
    /// instructions); draws are never NaN.
    #[inline(always)]
    fn censor(&self, raw: f64) -> f64 {
        let y = if raw < self.lo { self.lo } else { raw };
        (if y > self.hi { self.hi } else { y }) * self.factor
    }

    /// Fills `out` with independent draws, the first word of each from
    /// `lanes` (in order; a triangular draw takes its second word from
    /// `lanes` too, a column later) and any further words from `rng`:
    /// exactly the values that `Sampler::draw_from` gives for those words
    /// (`triangular` for the two lane words), but with
    /// the method chosen once per column and each step a tight loop over
    /// `CHUNK` (64) words (vectorised where the method is a closed form; the
    /// rare slow cases of the table tails and the ziggurat are collected
    /// without branching and finished afterwards, in order).
    pub fn fill(&self, lanes: &mut LaneRng, rng: &mut Rng, out: &mut [f64]) {
        if let Method::Constant(v) = self.method {
            out.fill(v);
            return;
        }
        let mut words = [0u64; CHUNK];
        let mut second = [0u64; CHUNK];
        for part in out.chunks_mut(CHUNK) {
            let words = &mut words[..part.len()];
            lanes.fill(words);
            match self.method {
                Method::Constant(_) => unreachable!("handled above"),
                Method::Uniform { min, width } => {
                    for (x, &r) in part.iter_mut().zip(words.iter()) {
                        *x = min + width * unit(r);
                    }
                }
                Method::Triangular {
                    min,
                    max,
                    low,
                    high,
                } => {
                    // The second uniform of each draw, also from the lanes.
                    let second = &mut second[..part.len()];
                    lanes.fill(second);
                    for ((x, &r), &q) in part.iter_mut().zip(words.iter()).zip(second.iter()) {
                        *x = triangular(unit(r), unit(q), min, max, low, high);
                    }
                }
                Method::Table(ref table) => {
                    fill_with_slow_path(part, words, |r| table.body(r), |r| table.draw_word(r));
                }
                Method::Normal { mean, sd, zig } => fill_with_slow_path(
                    part,
                    words,
                    |r| {
                        let (z, accepted) = zig.fast(r);
                        (mean + sd * z, !accepted)
                    },
                    |r| mean + sd * zig.slow(r, rng),
                ),
                Method::LogNormal { .. } | Method::Discrete { .. } => {
                    for (x, &r) in part.iter_mut().zip(words.iter()) {
                        *x = self.draw_from(r, rng);
                    }
                    continue; // already censored
                }
            }
            if self.lo > f64::NEG_INFINITY || self.hi < f64::INFINITY || self.factor != 1.0 {
                for x in part.iter_mut() {
                    *x = self.censor(*x);
                }
            }
        }
    }

    /// True when every draw returns the same value (no RNG is consumed).
    pub fn is_constant(&self) -> bool {
        matches!(self.method, Method::Constant(_))
    }
}

/// Fills `part` (at most [`CHUNK`] long) from `words`: `fast(r)` gives a
/// draw and whether it needs the slow path. The draws that do are collected
/// without a branch (their outcome is random, a branch would mispredict)
/// and redone afterwards, in order, with `slow(r)`.
#[inline(always)]
fn fill_with_slow_path(
    part: &mut [f64],
    words: &[u64],
    fast: impl Fn(u64) -> (f64, bool),
    mut slow: impl FnMut(u64) -> f64,
) {
    let mut redo = [0u8; CHUNK];
    let mut k = 0;
    for (t, (x, &r)) in part.iter_mut().zip(words).enumerate() {
        let (v, needs_slow) = fast(r);
        *x = v;
        redo[k] = t as u8;
        k += usize::from(needs_slow);
    }
    for &t in &redo[..k] {
        part[usize::from(t)] = slow(words[usize::from(t)]);
    }
}

/// A triangular draw from two independent uniforms `u`, `v` (Stein &
/// Keblis 2009, "A new method to simulate the triangular distribution",
/// Math. Comput. Modelling 49: the convex combination
/// `(1 − c) · min(u, v) + c · max(u, v)` of the order statistics is
/// Triangular(0, c, 1)), scaled to `[min, max]`: `low = max − mode`,
/// `high = mode − min`. Exact, with no square root and no branch, so it
/// vectorises. Rounding is kept inside the support.
#[inline(always)]
fn triangular(u: f64, v: f64, min: f64, max: f64, low: f64, high: f64) -> f64 {
    let (small, large) = if u < v { (u, v) } else { (v, u) };
    let t = min + (low * small + high * large);
    if t > max {
        max
    } else {
        t
    }
}

/// A standard normal draw that starts with word `r` (see [`ziggurat`]).
#[inline(always)]
fn normal(zig: &Ziggurat, r: u64, rng: &mut Rng) -> f64 {
    match zig.fast(r) {
        (z, true) => z,
        _ => zig.slow(r, rng),
    }
}

/// Inverse CDF of a discrete distribution at `u`: the first point whose
/// cumulative probability exceeds `u` (the last one is exactly 1 > u).
#[inline]
fn discrete(xs: &[f64], cum: &[f64], u: f64) -> f64 {
    let i = if cum.len() <= 16 {
        // Branch-free count for few points.
        cum.iter().filter(|&&c| c <= u).count()
    } else {
        cum.partition_point(|&c| c <= u)
    };
    xs[i.min(xs.len() - 1)]
}

/// The sampler of every uncertain value of `decision`, flat
/// (`[i * criteria + c]`), `None` where the value is certain. Building a
/// tabulated sampler takes milliseconds, so they are built in parallel (the
/// result does not depend on the order).
pub fn value_samplers(decision: &crate::model::Decision) -> Vec<Option<Sampler>> {
    use rayon::prelude::*;
    decision
        .initiatives
        .iter()
        .flat_map(|init| init.values.iter())
        .collect::<Vec<_>>()
        .par_iter()
        .map(|v| {
            let s = Sampler::new(&v.dist, v.clamp, v.factor);
            (!s.is_constant()).then_some(s)
        })
        .collect()
}
