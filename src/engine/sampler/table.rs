//! The piecewise-linear inverse-CDF (quantile) table of the PERT and beta
//! samplers, and the walker that computes its knots.
//!
//! This module owns the table's layout, its construction and the draw from
//! one random word. It does not own the choice of method per distribution
//! ([`super::Sampler`]) nor the Beta CDF and its solver
//! ([`crate::model::dist`]).
//!
//! # Why the table is accurate
//!
//! The table stores exact knots `Q(u_k)` of the quantile function (computed
//! once with `crate::model::dist`'s polished Beta inverse, not statrs'
//! 16-step bisection) and interpolates linearly in `u`. Because `Q` is
//! monotone, the interpolated value lies between `Q(u_k)` and `Q(u_{k+1})`,
//! so `|F(Q_hat(u)) - u| <= u_{k+1} - u_k`: the sampled distribution is
//! within one segment width of the true CDF everywhere (Kolmogorov distance).
//! Where `Q` is smooth the error is second order, about
//! `h^2 / 8 * |f'(x)| / f(x)^2`, i.e. ~1e-8 in the body. Near an end point,
//! however, `F(x) ~ c x^a` and the error on the k-th equal-probability
//! segment decays only like `h / (8 k) * |1 - 1/a|` (about `0.5 h` on the
//! first one), which for any `a != 1` (PERT has `a` up to 5) would dominate.
//! Therefore:
//!
//! * the body `u in [1/32, 31/32]` uses `BODY_SEGMENTS = 2048` equal segments
//!   (worst body error ~ `h / (8 * 64) * |1 - 1/a|`, i.e. ~1e-6);
//! * each tail `w in (0, 1/32)` (`w = u` or `w = 1 - u`) uses a log-linear
//!   grid: `TAIL_OCTAVES = 24` octaves `[2^-(6+o), 2^-(5+o))`, each split into
//!   `2^TAIL_BITS = 64` equal segments, indexed straight from the exponent
//!   and top mantissa bits of `w` (no search). The relative segment width is
//!   constant, so the power-law error stays below ~`w * 2^-12 * |1 - 1/a|`;
//! * below `2^-29` (probability ~2e-9 per tail) the table interpolates
//!   linearly to the support end, which keeps the CDF error under 2e-9.
//!
//! The unit test `table_quantile_error_is_within_tolerance` measures
//! `sup_u |F(Q_hat(u)) - u|` over 10^5 grid points plus the tails for several
//! skewed PERT and Beta shapes (including `alpha < 1`, `beta < 1`) and checks
//! it against `TABLE_CDF_TOLERANCE` (2e-6; 1e-5 for shapes below 0.5).

use crate::engine::rng::unit;
use crate::model::dist::{beta_cdf, beta_quantile_from};

/// Equal-probability segments in the body of a quantile table.
pub const BODY_SEGMENTS: usize = 1 << BODY_BITS;
/// Bits of a random word that pick the body segment.
const BODY_BITS: u32 = 11;
/// `log2(1 / tail probability)`: the tails are `u < 2^-5` and `u > 1 - 2^-5`.
const TAIL_EXP: i32 = 5;
/// Probability of each tail handled by the log-linear grid.
const TAIL: f64 = 1.0 / (1u64 << TAIL_EXP) as f64;
/// Mantissa bits used to split each tail octave (64 segments per octave).
const TAIL_BITS: u32 = 6;
/// Segments per tail octave.
const TAIL_SEGMENTS: usize = 1 << TAIL_BITS;
/// Octaves covered by each tail grid, down to `w = 2^-(5 + 24)`.
pub const TAIL_OCTAVES: usize = 24;
/// Smallest tail probability on the grid; below it, linear to the end point.
const TAIL_MIN: f64 = TAIL / (1u64 << TAIL_OCTAVES) as f64;

/// Piecewise-linear inverse CDF of a continuous distribution on a bounded
/// interval (PERT, beta), in the distribution's own units.
#[derive(Debug)]
pub(super) struct QuantileTable {
    /// `(Q(k / N), Q((k + 1) / N) − Q(k / N))` for the body segments
    /// `k = 0..N`, `N = BODY_SEGMENTS` (only those inside the body are read):
    /// one 16-byte load per draw.
    segments: Box<[[f64; 2]; BODY_SEGMENTS]>,
    /// Lower tail, `Q(w)`: octave `o` holds `TAIL_SEGMENTS + 1` knots at
    /// `w = 2^-(6+o) * (1 + j / TAIL_SEGMENTS)`.
    lower: Box<[f64]>,
    /// Upper tail, `Q(1 - w)`, same layout as `lower`.
    upper: Box<[f64]>,
    /// `Q(0)` and `Q(1)`: the support ends.
    min: f64,
    max: f64,
}

impl QuantileTable {
    /// Builds the table for `min + (max - min) * Beta(a, b)`.
    pub(super) fn scaled_beta(a: f64, b: f64, min: f64, max: f64) -> QuantileTable {
        let range = max - min;
        let mut unit = KnotWalker::new(a, b);
        let body: Box<[f64]> = (0..=BODY_SEGMENTS)
            .map(|k| min + range * unit.next(k as f64 / BODY_SEGMENTS as f64))
            .collect();
        let mut lower = Vec::with_capacity(TAIL_OCTAVES * (TAIL_SEGMENTS + 1));
        let mut upper = Vec::with_capacity(TAIL_OCTAVES * (TAIL_SEGMENTS + 1));
        let (mut low_walk, mut up_walk) = (KnotWalker::new(a, b), KnotWalker::new(b, a));
        for o in 0..TAIL_OCTAVES {
            let base = TAIL / (2u64 << o) as f64; // 2^-(6+o)
            for j in 0..=TAIL_SEGMENTS {
                let w = base * (1.0 + j as f64 / TAIL_SEGMENTS as f64);
                lower.push(min + range * low_walk.next(w));
                // Q_{a,b}(1 - w) = 1 - Q_{b,a}(w), exact near the top end.
                upper.push(max - range * up_walk.next(w));
            }
        }
        let segments: Box<[[f64; 2]]> = body.windows(2).map(|w| [w[0], w[1] - w[0]]).collect();
        QuantileTable {
            segments: segments.try_into().expect("BODY_SEGMENTS segments"),
            lower: lower.into_boxed_slice(),
            upper: upper.into_boxed_slice(),
            min,
            max,
        }
    }

    /// The draw from word `r` if it falls in the body: `(Q_hat(u), is_tail)`
    /// with `u` given by all 64 bits of `r` (the segment by the top 11 bits,
    /// the position within it by the next 52). For a tail word the value is
    /// a valid table entry to be replaced by [`QuantileTable::draw_word`].
    #[inline(always)]
    pub(super) fn body(&self, r: u64) -> (f64, bool) {
        let i = (r >> (64 - BODY_BITS)) as usize;
        let f = unit(r << BODY_BITS);
        let [q0, dq] = self.segments[i & (BODY_SEGMENTS - 1)];
        let lo = BODY_SEGMENTS >> TAIL_EXP;
        (q0 + f * dq, i.wrapping_sub(lo) >= BODY_SEGMENTS - 2 * lo)
    }

    /// The draw from word `r`: `Q_hat(u)` for the uniform `u` it encodes.
    #[inline(always)]
    pub(super) fn draw_word(&self, r: u64) -> f64 {
        match self.body(r) {
            (x, false) => x,
            // The top 52 bits: the same u, to the 52 bits the tail grid reads.
            _ => self.tail(unit(r)),
        }
    }

    /// The log-linear tail grids (probability 1/16 of the draws).
    #[inline(never)]
    fn tail(&self, u: f64) -> f64 {
        let (w, knots, end) = if u < TAIL {
            (u, &self.lower, self.min)
        } else {
            (1.0 - u, &self.upper, self.max)
        };
        if w.is_nan() || w < TAIL_MIN {
            // Also catches NaN. Linear between the end point and Q(TAIL_MIN).
            let last = knots[(TAIL_OCTAVES - 1) * (TAIL_SEGMENTS + 1)];
            return end + (w / TAIL_MIN).max(0.0) * (last - end);
        }
        if w >= TAIL {
            // u = 31/32 exactly (the upper tail starts at the word whose top
            // bits give segment 1984): the grid's last knot, Q(1 - 2^-5).
            return knots[TAIL_SEGMENTS];
        }
        // w in [2^-29, 2^-5): a positive normal double.
        let bits = w.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as i32 - 1023; // w in [2^e, 2^(e+1))
        let octave = (-TAIL_EXP - 1 - exponent) as usize;
        let sub = ((bits >> (52 - TAIL_BITS)) as usize) & (TAIL_SEGMENTS - 1);
        let low_bits = bits & ((1u64 << (52 - TAIL_BITS)) - 1);
        let f = low_bits as f64 / (1u64 << (52 - TAIL_BITS)) as f64;
        let k = octave * (TAIL_SEGMENTS + 1) + sub;
        let (q0, q1) = (knots[k], knots[k + 1]);
        q0 + f * (q1 - q0)
    }
}

/// Computes Beta(a, b) quantiles at a sequence of nearby probabilities.
///
/// Each knot starts from a second-order Taylor step off the previous one,
/// `x0 = x + dp / f(x) - ½ f'(x) / f(x)³ dp²`, and takes one Newton step,
/// `x1 = x0 - r / f(x0)` with `r = F(x0) - p`. Newton's error after that step
/// is `F(x1) - p ≈ ½ f'(x0) (r / f(x0))²`; when that prediction is below the
/// solver's tolerance (`1e-12 · min(p, 1 - p)`, as in
/// [`beta_quantile_from`]), `x1` is taken, otherwise the full bracketed solve
/// runs from `x1`. In the smooth body and most of the tails one CDF
/// evaluation per knot suffices (the full solve needs two or three), which
/// halves the build time; near an end with a shape below 1, where `f'/f`
/// is large, the prediction sends the knot to the full solve.
struct KnotWalker {
    a: f64,
    b: f64,
    ln_beta: f64,
    prev: Option<(f64, f64)>,
}

impl KnotWalker {
    fn new(a: f64, b: f64) -> KnotWalker {
        KnotWalker {
            a,
            b,
            ln_beta: statrs::function::beta::ln_beta(a, b),
            prev: None,
        }
    }

    /// Density of Beta(a, b) at `x` in (0, 1).
    fn pdf(&self, x: f64) -> f64 {
        ((self.a - 1.0) * x.ln() + (self.b - 1.0) * (-x).ln_1p() - self.ln_beta).exp()
    }

    /// `f'(x) / f(x)` for the Beta density.
    fn dlog(&self, x: f64) -> f64 {
        (self.a - 1.0) / x - (self.b - 1.0) / (1.0 - x)
    }

    fn next(&mut self, p: f64) -> f64 {
        let x = match self.prev {
            Some((pp, x)) if x > 0.0 && x < 1.0 && p > 0.0 && p < 1.0 => {
                // Second-order Taylor step of Q: Q' = 1/f, Q'' = -f'/f^3.
                let (f, dp) = (self.pdf(x), p - pp);
                let x0 = x + dp / f - 0.5 * self.dlog(x) / (f * f) * dp * dp;
                self.newton_once(p, x0)
                    .unwrap_or_else(|guess| beta_quantile_from(self.a, self.b, p, guess))
            }
            _ => beta_quantile_from(self.a, self.b, p, f64::NAN),
        };
        self.prev = Some((p, x));
        x
    }

    /// One Newton step from `x0`: `Ok(x1)` when its predicted residual is
    /// within tolerance, else `Err(best guess)` for the full solve.
    fn newton_once(&self, p: f64, x0: f64) -> Result<f64, f64> {
        if !(x0 > 0.0 && x0 < 1.0) {
            return Err(f64::NAN);
        }
        let tol = 1e-12 * p.min(1.0 - p);
        let r = beta_cdf(self.a, self.b, x0) - p;
        if r.abs() <= tol {
            return Ok(x0);
        }
        let f = self.pdf(x0);
        let x1 = x0 - r / f;
        let predicted = 0.5 * (self.dlog(x0) * f).abs() * (r / f) * (r / f);
        if predicted.is_finite() && predicted <= 0.25 * tol && x1 > 0.0 && x1 < 1.0 {
            Ok(x1)
        } else {
            Err(if x1 > 0.0 && x1 < 1.0 { x1 } else { x0 })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sampler::{Method, Sampler};
    use crate::model::dist::Dist;

    /// Bound on `sup_u |F(Q_hat(u)) - u|` (Kolmogorov distance of the table
    /// sampler) for PERT and for beta with both shapes >= 0.5. Measured:
    /// <= 7.6e-7 for PERT, <= 9.5e-7 for such betas; enforced with ~2x margin.
    const TABLE_CDF_TOLERANCE: f64 = 2e-6;
    /// The same bound for beta shapes in [0.2, 0.5): the error near an end with
    /// shape `a` grows like `|1 - 1/a|`. Measured 3.8e-6 for Beta(0.2, 3).
    const TABLE_CDF_TOLERANCE_SMALL_SHAPE: f64 = 1e-5;

    /// The adjacent double from `x` toward `target`.
    fn next_toward(x: f64, target: f64) -> f64 {
        if x == target {
            x
        } else if x == 0.0 {
            f64::from_bits(1).copysign(target)
        } else if (x < target) == (x > 0.0) {
            f64::from_bits(x.to_bits() + 1)
        } else {
            f64::from_bits(x.to_bits() - 1)
        }
    }

    /// Worst `|F(Q_hat(u)) - u|` of a table over a 10^5-point u-grid plus
    /// log-spaced points in both tails.
    fn table_error(d: &Dist) -> f64 {
        let table = match Sampler::new(d, None, 1.0).method {
            Method::Table(t) => t,
            _ => unreachable!(),
        };
        let mut us: Vec<f64> = (0..=100_000).map(|k| k as f64 / 100_000.0).collect();
        for k in 0..2000 {
            let w = 10f64.powf(-12.0 + 10.0 * k as f64 / 2000.0);
            us.push(w);
            us.push(1.0 - w);
        }
        us.iter()
            .map(|&u| {
                // Measured against the neighbouring doubles of the sampled
                // x: near an end with shape < 1 (e.g. 1 - 1e-17 for
                // Beta(4, 0.3)) the exact quantile is not representable,
                // and F jumps by ~1e-5 between adjacent doubles.
                // The word whose 64 bits encode u (the top 52 of them for
                // the tail grid), through the sampling path.
                let word = (u * 2f64.powi(64)).min(u64::MAX as f64) as u64;
                let x = table.draw_word(word);
                let down = d.cdf(next_toward(x, f64::NEG_INFINITY));
                let up = d.cdf(next_toward(x, f64::INFINITY));
                (down - u).max(u - up).max(0.0)
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn table_quantile_error_is_within_tolerance() {
        let shapes = [
            (Dist::pert(0.0, 1.0, 10.0).unwrap(), TABLE_CDF_TOLERANCE),
            (Dist::pert(0.0, 0.0, 1.0).unwrap(), TABLE_CDF_TOLERANCE),
            (Dist::pert(0.0, 5.0, 10.0).unwrap(), TABLE_CDF_TOLERANCE),
            (Dist::pert(-3.0, 99.0, 100.0).unwrap(), TABLE_CDF_TOLERANCE),
            (Dist::pert(1e6, 1.1e6, 5e6).unwrap(), TABLE_CDF_TOLERANCE),
            (Dist::beta(2.0, 5.0).unwrap(), TABLE_CDF_TOLERANCE),
            (Dist::beta(0.5, 0.5).unwrap(), TABLE_CDF_TOLERANCE),
            (Dist::beta(0.9, 0.6).unwrap(), TABLE_CDF_TOLERANCE),
            (Dist::beta(30.0, 2.0).unwrap(), TABLE_CDF_TOLERANCE),
            (
                Dist::beta(0.2, 3.0).unwrap(),
                TABLE_CDF_TOLERANCE_SMALL_SHAPE,
            ),
            (
                Dist::beta(4.0, 0.3).unwrap(),
                TABLE_CDF_TOLERANCE_SMALL_SHAPE,
            ),
        ];
        for (d, tol) in &shapes {
            let err = table_error(d);
            println!("{d:?}: sup |F(Q_hat(u)) - u| = {err:.3e}");
            assert!(err <= *tol, "{d:?}: {err:e} > {tol:e}");
        }
    }

    /// The walker's one-Newton-step knots agree with the full solve: the
    /// CDF at each knot is within the solver's tolerance of its probability.
    #[test]
    fn knot_walker_matches_the_full_solve() {
        for (a, b) in [
            (3.0, 3.0),
            (1.4, 4.6),
            (5.0, 1.0),
            (0.5, 0.5),
            (0.2, 3.0),
            (4.0, 0.3),
        ] {
            let mut walk = KnotWalker::new(a, b);
            let body = (0..=BODY_SEGMENTS).map(|k| k as f64 / BODY_SEGMENTS as f64);
            let tail = (0..TAIL_OCTAVES).flat_map(|o| {
                (0..=TAIL_SEGMENTS).map(move |j| {
                    TAIL / (2u64 << o) as f64 * (1.0 + j as f64 / TAIL_SEGMENTS as f64)
                })
            });
            for p in body.chain(tail) {
                let x = walk.next(p);
                let exact = beta_quantile_from(a, b, p, f64::NAN);
                // Within the solver's tolerance, or as close as the full
                // solve gets where the CDF's own rounding is larger.
                let err = (beta_cdf(a, b, x) - p).abs();
                let err_exact = (beta_cdf(a, b, exact) - p).abs();
                let tol = 1e-12 * p.min(1.0 - p);
                assert!(
                    err <= tol
                        || err <= 2.0 * err_exact
                        || (x - exact).abs() <= 4.0 * f64::EPSILON * exact,
                    "Beta({a}, {b}) at p = {p}: {x} vs {exact}, F error {err:e} vs {err_exact:e}"
                );
            }
        }
    }
}
