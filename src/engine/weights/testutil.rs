//! Shared helpers of the weight samplers' tests: draws, moments, two-sample
//! comparisons and simplex checks.

use proptest::test_runner::{Config, FileFailurePersistence, RngAlgorithm, RngSeed};
use rand::SeedableRng;

use super::{Level, LevelSpec, Rng};

/// Largest |z| (difference in standard errors) accepted by the
/// statistical tests. Seeds are fixed, so the tests are deterministic;
/// 5 SE keeps them robust to a change of seed (two-sided p ≈ 6e-7 per
/// comparison).
pub(crate) const Z_TOL: f64 = 5.0;
/// KS critical value factor for α = 0.001: sqrt(-ln(α/2)/2).
pub(crate) const KS_FACTOR: f64 = 1.949;

pub(crate) fn rng(seed: u64) -> Rng {
    Rng::seed_from_u64(seed)
}

/// Draws `n` samples of a level.
pub(crate) fn draws(level: &Level, seed: u64, n: usize) -> Vec<Vec<f64>> {
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
pub(crate) fn moments(xs: &[Vec<f64>]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
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
pub(crate) fn compare_iid(a: &[Vec<f64>], b: &[Vec<f64>]) -> (f64, f64) {
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
pub(crate) fn batch_stats(xs: &[Vec<f64>], batches: usize) -> Vec<(f64, f64, f64, f64)> {
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

pub(crate) fn assert_simplex(w: &[f64], tol: f64) {
    let s: f64 = w.iter().sum();
    assert!((s - 1.0).abs() <= tol, "sum {s} in {w:?}");
    assert!(w.iter().all(|x| *x >= 0.0), "negative weight in {w:?}");
}

pub(crate) fn assert_feasible(w: &[f64], bounds: &[(f64, f64)]) {
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
pub(crate) fn brute_force_bounds(
    bounds: &[(f64, f64)],
    seed: u64,
    n: usize,
) -> (Vec<Vec<f64>>, usize) {
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

/// Seed of the property tests' case generator.
pub(crate) const PROPTEST_SEED: u64 = 0x5eed_0fca_5e5d;

/// Property-test configuration: `cases` cases from a fixed seed (ChaCha),
/// so every run tries the same inputs, and failures persisted under
/// `proptest-regressions/` (commit those files: they are replayed first).
pub(crate) fn proptest_config(cases: u32) -> Config {
    Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(PROPTEST_SEED),
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}
