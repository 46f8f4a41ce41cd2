//! One level of the weight hierarchy compiled for sampling: its
//! representative weights and its exact uniform sampler, draw by draw
//! ([`Level::sample_into`]) or a block of draws in columns
//! ([`Level::sample_columns`]).
//!
//! Owns [`Level`] and [`LevelState`], swing shares and rank-order-centroid
//! weights. The flat Dirichlet primitive lives in [`super::dirichlet`], the
//! bounds polytope in [`super::bounds`]; validation of the specification is
//! the model's ([`crate::model::weights`]).

use super::bounds::{compile_bounds, BoundsMethod, BoundsSampler};
use super::dirichlet::{flat_dirichlet, spacings3, spacings4, SPACINGS_MAX};
use super::{Rng, WeightError};
use crate::engine::lanes::LaneRng;
use crate::engine::rng::unit;
use crate::model::weights::{LevelSpec, WeightLevel};

/// The compiled sampler of one level.
#[derive(Debug, Clone)]
pub(super) enum Sampler {
    /// A single point: `representative` is returned.
    Fixed,
    /// Flat Dirichlet.
    Dirichlet,
    /// Uniform on the ordered region; `order` as in [`LevelSpec::Ordinal`].
    Ordinal { order: Vec<usize> },
    /// Bounds, by rejection or hit-and-run.
    Bounds(BoundsSampler),
}

/// One validated level, compiled for sampling.
#[derive(Debug, Clone)]
pub struct Level {
    spec: LevelSpec,
    len: usize,
    representative: Vec<f64>,
    pub(super) sampler: Sampler,
}

/// Per-stream sampling state of a [`Level`]. Only hit-and-run keeps
/// anything: the current point of its chain and a direction buffer.
#[derive(Debug, Clone)]
pub struct LevelState {
    /// Current point of the hit-and-run chain (z coordinates); empty until
    /// the first draw has run the burn-in.
    pub(super) z: Vec<f64>,
    /// Direction buffer.
    pub(super) dir: Vec<f64>,
    pub(super) started: bool,
}

impl Level {
    /// Compiles a validated level for sampling. Cannot fail: the model's
    /// validation guarantees a non-empty feasible set. Bounds run their
    /// fixed-seed acceptance estimate or Monte Carlo centroid here when the
    /// exact formulas are not usable (see the module docs).
    pub fn compile(level: &WeightLevel) -> Level {
        Self::compile_with(level.spec(), None)
    }

    /// Validates a bare `spec` (items named by position) and compiles it.
    pub fn new(spec: LevelSpec) -> Result<Level, WeightError> {
        Self::new_with(spec, None)
    }

    /// As [`Level::new`], with the bounds method optionally forced (tests).
    pub(super) fn new_with(
        spec: LevelSpec,
        force: Option<BoundsMethod>,
    ) -> Result<Level, WeightError> {
        let level = WeightLevel::numbered(spec).map_err(WeightError::Level)?;
        Ok(Self::compile_with(level.spec(), force))
    }

    fn compile_with(spec: &LevelSpec, force: Option<BoundsMethod>) -> Level {
        let (len, representative, sampler) = match spec {
            LevelSpec::Swing(points) => (points.len(), swing_shares(points), Sampler::Fixed),
            LevelSpec::Unknown(n) => {
                let n = *n;
                let rep = vec![1.0 / n as f64; n];
                let sampler = if n == 1 {
                    Sampler::Fixed
                } else {
                    Sampler::Dirichlet
                };
                (n, rep, sampler)
            }
            LevelSpec::Ordinal(order) => {
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
                let (rep, sampler) = compile_bounds(bounds, force);
                (bounds.len(), rep, sampler)
            }
        };
        Level {
            spec: spec.clone(),
            len,
            representative,
            sampler,
        }
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

/// The shares of validated swing points (finite, ≥ 0, positive sum).
fn swing_shares(points: &[f64]) -> Vec<f64> {
    let sum: f64 = points.iter().sum();
    if !sum.is_finite() {
        // Finite points whose sum overflows: rescale first.
        let max = points.iter().copied().fold(0.0, f64::max);
        let scaled: Vec<f64> = points.iter().map(|p| p / max).collect();
        let s: f64 = scaled.iter().sum();
        return scaled.iter().map(|p| p / s).collect();
    }
    points.iter().map(|p| p / sum).collect()
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

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::model::weights::LevelError;

    #[test]
    fn invalid_specs_are_refused_with_the_model_errors() {
        assert_eq!(
            Level::new(LevelSpec::Unknown(0)).unwrap_err(),
            WeightError::Level(vec![LevelError::Empty])
        );
        let e = Level::new(LevelSpec::Swing(vec![1.0, -2.0])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the weight of `#2` is -2, below zero: give zero or more"
        );
        assert!(Level::new(LevelSpec::Bounds(vec![(0.7, 1.0), (0.5, 1.0)])).is_err());
        assert!(Level::new(LevelSpec::Ordinal(vec![0, 0])).is_err());
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
        // Beta(1, n − 1) in closed form: F(x) = 1 − (1 − x)^(n−1).
        let d = x
            .iter()
            .enumerate()
            .map(|(i, &xi)| {
                let f = 1.0 - (1.0 - xi).powf(nf - 1.0);
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
}
