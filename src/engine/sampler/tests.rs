//! Tests of the samplers: moments, quantiles and Kolmogorov–Smirnov
//! distances against the exact distributions, censoring and scaling, the
//! column path against the scalar path bit for bit, and every method's
//! output pinned for fixed words.

use super::*;
use crate::engine::rng::stream;

/// Draws per statistical test.
const N: usize = 200_000;
/// Allowed deviation in standard errors. With ~100 independent checks,
/// a 5-sigma false alarm has probability ~6e-5 (and seeds are fixed).
const Z: f64 = 5.0;
/// Kolmogorov–Smirnov critical value factor at alpha = 0.001
/// (sqrt(-ln(0.0005) / 2) = 1.949); D_n must stay below this / sqrt(n).
const KS_CRIT_001: f64 = 1.949;

/// Draws as the hot loop makes them: columns filled from the lanes.
fn draws(s: &Sampler, seed: u64) -> Vec<f64> {
    let mut rng = stream(seed, 0);
    let mut lanes = LaneRng::from_key(seed);
    let mut xs = vec![0.0; N];
    for col in xs.chunks_mut(256) {
        s.fill(&mut lanes, &mut rng, col);
    }
    xs
}

/// Draws one at a time from a scalar stream (as sensitivity makes them).
fn draws_scalar(s: &Sampler, seed: u64) -> Vec<f64> {
    let mut rng = stream(seed, 0);
    (0..N).map(|_| s.sample(&mut rng)).collect()
}

/// Mean and variance within Z standard errors; the SE of the sample
/// variance uses the sample fourth central moment.
fn check_moments(d: &Dist, xs: &[f64]) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    let m4 = xs.iter().map(|x| (x - m).powi(4)).sum::<f64>() / n;
    let se_mean = (d.variance() / n).sqrt();
    let se_var = ((m4 - v * v).max(0.0) / n).sqrt();
    assert!(
        (m - d.mean()).abs() <= Z * se_mean,
        "{d:?}: mean {m} vs {} (se {se_mean:e})",
        d.mean()
    );
    assert!(
        (v - d.variance()).abs() <= Z * se_var,
        "{d:?}: var {v} vs {} (se {se_var:e})",
        d.variance()
    );
}

/// Empirical quantiles: F(empirical q_p) within Z binomial SEs of p.
fn check_quantiles(d: &Dist, xs: &[f64]) {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    for p in [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] {
        let q = sorted[(p * n) as usize];
        let se = (p * (1.0 - p) / n).sqrt();
        let fp = d.cdf(q);
        assert!(
            (fp - p).abs() <= Z * se + 1.0 / n,
            "{d:?}: F(q_{p}) = {fp} (q = {q}, exact {})",
            d.quantile(p)
        );
    }
}

/// Kolmogorov–Smirnov statistic against the exact CDF.
fn ks_statistic(d: &Dist, xs: &[f64]) -> f64 {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = d.cdf(x);
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max)
}

fn continuous_dists() -> Vec<Dist> {
    vec![
        Dist::uniform(-2.0, 5.0).unwrap(),
        Dist::triangular(1.0, 2.0, 7.0).unwrap(),
        Dist::triangular(0.0, 0.0, 1.0).unwrap(),
        Dist::triangular(0.0, 1.0, 1.0).unwrap(),
        Dist::pert(1.0, 2.0, 7.0).unwrap(),
        Dist::pert(0.0, 0.0, 1.0).unwrap(),
        Dist::pert(10.0, 95.0, 100.0).unwrap(),
        Dist::normal(3.0, 2.0).unwrap(),
        Dist::lognormal(2.0, 10.0).unwrap(),
        Dist::beta(2.0, 5.0).unwrap(),
        Dist::beta(0.5, 0.5).unwrap(),
        Dist::beta(0.2, 3.0).unwrap(),
        Dist::beta(4.0, 0.3).unwrap(),
    ]
}

#[test]
fn continuous_moments_and_quantiles() {
    for (i, d) in continuous_dists().iter().enumerate() {
        let s = Sampler::new(d, None, 1.0);
        assert!(!s.is_constant());
        for xs in [
            draws(&s, 1000 + i as u64),
            draws_scalar(&s, 2000 + i as u64),
        ] {
            let (lo, hi) = d.support();
            assert!(xs.iter().all(|&x| x >= lo && x <= hi), "{d:?}");
            check_moments(d, &xs);
            check_quantiles(d, &xs);
        }
    }
}

#[test]
fn ks_statistic_is_small_for_pert_and_beta() {
    let crit = KS_CRIT_001 / (N as f64).sqrt();
    for (i, d) in [
        Dist::pert(1.0, 2.0, 7.0).unwrap(),
        Dist::pert(0.0, 9.5, 10.0).unwrap(),
        Dist::beta(0.2, 3.0).unwrap(),
        Dist::normal(1.0, 3.0).unwrap(),
        Dist::triangular(0.0, 0.2, 1.0).unwrap(),
    ]
    .iter()
    .enumerate()
    {
        let s = Sampler::new(d, None, 1.0);
        for xs in [draws(&s, 77 + i as u64), draws_scalar(&s, 177 + i as u64)] {
            let ks = ks_statistic(d, &xs);
            assert!(ks < crit, "{d:?}: KS {ks} >= {crit}");
        }
    }
}

#[test]
fn discrete_frequencies() {
    let d = Dist::discrete(vec![(3.0, 0.25), (1.0, 0.5), (2.0, 0.0), (5.0, 0.25)]).unwrap();
    let xs = draws(&Sampler::new(&d, None, 1.0), 5);
    check_moments(&d, &xs);
    let n = xs.len() as f64;
    for (x, p) in [(1.0, 0.5), (3.0, 0.25), (5.0, 0.25), (2.0, 0.0)] {
        let freq = xs.iter().filter(|&&v| v == x).count() as f64 / n;
        let se = (p * (1.0 - p) / n).sqrt();
        assert!((freq - p).abs() <= Z * se, "x={x}: {freq} vs {p}");
    }
    // Many points take the binary-search path.
    let points: Vec<(f64, f64)> = (0..40).map(|k| (k as f64, 1.0 / 40.0)).collect();
    let d = Dist::discrete(points).unwrap();
    let xs = draws(&Sampler::new(&d, None, 1.0), 6);
    check_moments(&d, &xs);
    for k in 0..40 {
        let freq = xs.iter().filter(|&&v| v == k as f64).count() as f64 / n;
        let se = (0.025_f64 * 0.975 / n).sqrt();
        assert!((freq - 0.025).abs() <= Z * se, "x={k}: {freq}");
    }
}

#[test]
fn constants() {
    let mut rng = stream(1, 2);
    let s = Sampler::new(&Dist::point(4.0).unwrap(), None, 2.0);
    assert!(s.is_constant());
    assert_eq!(s.sample(&mut rng), 8.0);
    let s = Sampler::new(&Dist::point(4.0).unwrap(), Some((0.0, 3.0)), 2.0);
    assert_eq!(s.sample(&mut rng), 6.0);
    let s = Sampler::new(
        &Dist::discrete(vec![(7.0, 1.0), (8.0, 0.0)]).unwrap(),
        None,
        1.0,
    );
    assert!(s.is_constant());
    assert_eq!(s.sample(&mut rng), 7.0);
    // Clamp entirely above the support pins every draw to the bound.
    let s = Sampler::new(&Dist::beta(2.0, 2.0).unwrap(), Some((1.5, 3.0)), 10.0);
    assert!(s.is_constant());
    assert_eq!(s.sample(&mut rng), 15.0);
}

#[test]
fn clamp_censors_before_factor() {
    let d = Dist::normal(0.0, 1.0).unwrap();
    let s = Sampler::new(&d, Some((1.0, -1.0)), 100.0); // reversed: swapped
    let xs = draws(&s, 9);
    assert!(xs.iter().all(|&x| (-100.0..=100.0).contains(&x)));
    let n = xs.len() as f64;
    // Mass at each bound is P(|Z| > 1) / 2 = 0.158655...
    let p = d.cdf(-1.0);
    let se = (p * (1.0 - p) / n).sqrt();
    for bound in [-100.0, 100.0] {
        let freq = xs.iter().filter(|&&x| x == bound).count() as f64 / n;
        assert!((freq - p).abs() <= Z * se, "{bound}: {freq} vs {p}");
    }
    // One-sided clamp via NaN.
    let s = Sampler::new(&d, Some((0.0, f64::NAN)), 1.0);
    let xs = draws(&s, 10);
    assert!(xs.iter().all(|&x| x >= 0.0));
    assert!(xs.iter().any(|&x| x > 3.0));
}

#[test]
fn factor_scales_draws() {
    let d = Dist::pert(1.0, 2.0, 7.0).unwrap();
    let plain = draws(&Sampler::new(&d, None, 1.0), 11);
    let scaled = draws(&Sampler::new(&d, None, 2500.0), 11);
    for (a, b) in plain.iter().zip(&scaled) {
        assert_eq!(a * 2500.0, *b);
    }
    // Clamp is in the distribution's units, applied before the factor.
    let clamped = draws(&Sampler::new(&d, Some((2.0, 3.0)), 10.0), 11);
    for (a, b) in plain.iter().zip(&clamped) {
        assert_eq!(a.clamp(2.0, 3.0) * 10.0, *b);
    }
}
/// `fill` gives exactly the draws `draw_from` gives for the same words,
/// with the rare extra words in order from the scalar stream.
#[test]
fn fill_matches_draw_from() {
    let dists = [
        Dist::uniform(1.0, 3.0).unwrap(),
        Dist::triangular(0.0, 1.0, 4.0).unwrap(),
        Dist::pert(2.0, 3.0, 9.0).unwrap(),
        Dist::normal(1.0, 2.0).unwrap(),
        Dist::lognormal(2.0, 5.0).unwrap(),
        Dist::discrete(vec![(1.0, 0.25), (2.0, 0.75)]).unwrap(),
    ];
    for d in &dists {
        let s = Sampler::new(d, Some((0.5, 8.0)), 3.0);
        let (mut lanes, mut rng) = (LaneRng::from_key(5), stream(1, 2));
        let (mut lanes2, mut rng2) = (lanes.clone(), rng.clone());
        // Long enough to hit the ziggurat's slow path and both tails.
        let mut filled = vec![0.0; 3 * CHUNK + 37];
        s.fill(&mut lanes, &mut rng, &mut filled);
        for part in filled.chunks(CHUNK) {
            let mut words = vec![0u64; part.len()];
            lanes2.fill(&mut words);
            let mut second = vec![0u64; part.len()];
            if matches!(s.method, Method::Triangular { .. }) {
                lanes2.fill(&mut second);
            }
            for ((&x, &w), &q) in part.iter().zip(&words).zip(&second) {
                let expected = match s.method {
                    Method::Triangular {
                        min,
                        max,
                        low,
                        high,
                    } => s.censor(triangular(unit(w), unit(q), min, max, low, high)),
                    _ => s.draw_from(w, &mut rng2),
                };
                assert_eq!(x.to_bits(), expected.to_bits(), "{d:?}");
            }
        }
        // Both consumed the same scalar words.
        assert_eq!(rng.next_u64(), rng2.next_u64(), "{d:?}");
    }
}

#[test]
fn sampler_is_send_sync() {
    fn check<T: Send + Sync + Clone>() {}
    check::<Sampler>();
}

/// Words whose uniforms are 0.25, 0.5 − 2^-52, 0.5 and 0.75.
const QUARTER: u64 = 0x4000_0000_0000_0000;
const BELOW_HALF: u64 = 0x7fff_ffff_ffff_f000;
const HALF: u64 = 0x8000_0000_0000_0000;
const THREE_QUARTERS: u64 = 0xc000_0000_0000_0000;
/// Relative tolerance for table knots (the knot solver's 1e-12 on the CDF,
/// divided by a density of order 1) and for `exp(ln x)`.
const KNOT_TOL: f64 = 1e-11;

/// The draw of a scalar sampler from the one word `r` (the methods pinned
/// here take no further word from `rng` for these words).
fn at(d: &Dist, r: u64) -> f64 {
    let mut rng = stream(0, 0);
    let mut after = rng.clone();
    let x = Sampler::new(d, None, 1.0).draw_from(r, &mut rng);
    assert_eq!(
        rng.next_u64(),
        after.next_u64(),
        "{d:?} took a further word"
    );
    x
}

fn close(x: f64, expected: f64, rel: f64) -> bool {
    (x - expected).abs() <= rel * expected.abs()
}

/// Every method's output for fixed words, against values worked out by
/// hand or computed independently (`tools/crosscheck/streams.py`, mpmath),
/// as rand_distr's value-stability tests do: a change of the word-to-draw
/// mapping of any method fails here.
#[test]
fn draws_for_fixed_words_are_pinned() {
    // Uniform: min + width · u.
    let u = Dist::uniform(-2.0, 6.0).unwrap();
    assert_eq!(at(&u, 0), -2.0);
    assert_eq!(at(&u, QUARTER), 0.0);
    assert_eq!(at(&u, THREE_QUARTERS), 4.0);
    // Triangular(0, 1, 4) from (u, v): 0 + 3 · min + 1 · max.
    let (min, max, low, high) = (0.0, 4.0, 3.0, 1.0);
    assert_eq!(triangular(0.25, 0.75, min, max, low, high), 1.5);
    assert_eq!(triangular(0.75, 0.25, min, max, low, high), 1.5);
    assert_eq!(triangular(0.5, 0.5, min, max, low, high), 2.0);
    assert_eq!(triangular(0.0, 0.0, min, max, low, high), 0.0);
    // Normal: the word 0x8000…00 is u = 0 in layer 0: the mean. The word
    // 0xc000…01 is u = 0.5 in layer 1 (x = R / 2 < x[2], accepted):
    // mean + sd · R / 2 = 1 + R for mean 1, sd 2.
    let n = Dist::normal(1.0, 2.0).unwrap();
    assert_eq!(at(&n, HALF), 1.0);
    assert_eq!(at(&n, THREE_QUARTERS | 1), 4.654_152_885_361_009);
    assert_eq!(at(&n, QUARTER | 1), 1.0 - 3.654_152_885_361_009);
    // Lognormal: u = 0 gives exp(mu) = the median.
    let ln = Dist::lognormal(3.0, 12.0).unwrap();
    assert!(close(at(&ln, HALF), 3.0, KNOT_TOL), "{}", at(&ln, HALF));
    // Discrete: the first point whose cumulative probability exceeds u
    // (cumulative 0.25, 0.5, 1).
    let d = Dist::discrete(vec![(1.0, 0.25), (2.0, 0.25), (3.0, 0.5)]).unwrap();
    assert_eq!(at(&d, 0), 1.0);
    assert_eq!(at(&d, QUARTER - 1), 1.0);
    assert_eq!(at(&d, QUARTER), 2.0);
    assert_eq!(at(&d, BELOW_HALF), 2.0);
    assert_eq!(at(&d, HALF), 3.0);
    assert_eq!(at(&d, u64::MAX), 3.0);
    // Tables: body knots at u = 1/2 and 3/4, a tail knot at u = 2^-10, and
    // the support ends.
    let b = Dist::beta(2.0, 5.0).unwrap();
    assert!(close(at(&b, HALF), 0.264_449_983_295_659_96, KNOT_TOL));
    assert!(close(
        at(&b, THREE_QUARTERS),
        0.389_479_485_200_724_43,
        KNOT_TOL
    ));
    assert!(close(
        at(&Dist::beta(2.0, 2.0).unwrap(), HALF),
        0.5,
        KNOT_TOL
    ));
    // PERT(0, 1, 10) is 10 · Beta(1.4, 4.6).
    let p = Dist::pert(0.0, 1.0, 10.0).unwrap();
    assert!(close(at(&p, HALF), 2.026_648_503_614_661_7, KNOT_TOL));
    assert!(close(at(&p, 1 << 54), 0.017_286_057_477_682_72, KNOT_TOL));
    assert_eq!(at(&p, 0), 0.0);
    // u = 1 − 2^-52, below the tail grid: a hair under the support end.
    let top = at(&p, u64::MAX);
    assert!(top < 10.0 && top > 10.0 - 1e-6, "{top}");
}

/// The column path from pinned lane words: `fill` on a uniform takes the
/// lanes' words in order (`tools/crosscheck/streams.py`, key 42).
#[test]
fn fill_draws_from_pinned_lane_words() {
    let s = Sampler::new(&Dist::uniform(0.0, 1.0).unwrap(), None, 1.0);
    let (mut lanes, mut rng) = (LaneRng::from_key(42), stream(0, 0));
    let mut out = [0.0; 9];
    s.fill(&mut lanes, &mut rng, &mut out);
    let words = [
        0x95ae_c700_ed8c_1124_u64,
        0x7c6d_0d63_0fbd_f8c0,
        0x80dd_62ee_2a88_6c77,
        0xba4a_c58a_d190_fc2e,
        0xdce4_6ae6_b164_8d73,
        0x0e7d_ec02_2697_e56c,
        0xe2b0_3e16_0719_7b2d,
        0x069b_d20c_88b6_7dd0,
        0xdedc_33b0_ec1e_e00d,
    ];
    for (x, w) in out.iter().zip(words) {
        assert_eq!(*x, (w >> 12) as f64 / (1u64 << 52) as f64);
    }
}
