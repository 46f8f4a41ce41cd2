//! Statistics of the simulation's estimates: the normal quantile of the
//! two-sided 95% intervals, the half-width of a share, and quantiles from
//! the histogram of overall values. Owns no state and runs nothing.

use super::BINS;

/// The standard normal quantile of a two-sided 95% interval (Φ⁻¹(0.975)):
/// every "95% half-width" of the simulation and the sensitivity analysis is
/// this times a standard error.
pub const Z95_TWO_SIDED: f64 = 1.959_963_984_540_054;

/// 95% half-width of a share `p` estimated from `n` independent draws.
///
/// Agresti–Coull: the binomial standard error of the share after adding two
/// successes and two failures, `p~ = (p n + 2) / (n + 4)`. Unlike the plain
/// `sqrt(p (1 − p) / n)` it does not claim certainty when a share is 0 or 1
/// (a share never observed in n draws gets about ±2.8 / n), and it equals
/// the plain one for shares away from the ends.
pub fn half_width(p: f64, n: f64) -> f64 {
    if n <= 0.0 {
        return f64::NAN;
    }
    let pt = (p * n + 2.0) / (n + 4.0);
    Z95_TWO_SIDED * (pt * (1.0 - pt) / (n + 4.0)).max(0.0).sqrt()
}

/// The `p` quantile from a histogram of `count` values on 0..1, linear
/// within the bin.
pub(super) fn hist_quantile(hist: &[u64], count: u64, p: f64) -> f64 {
    if count == 0 {
        return f64::NAN;
    }
    let target = p * count as f64;
    let mut cum = 0.0;
    for (b, &h) in hist.iter().enumerate() {
        let next = cum + h as f64;
        if next >= target && h > 0 {
            let frac = ((target - cum) / h as f64).clamp(0.0, 1.0);
            return (b as f64 + frac) / BINS as f64;
        }
        cum = next;
    }
    1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_interpolate_within_bins() {
        let mut h = vec![0u64; BINS];
        h[BINS / 2] = 10;
        let q = hist_quantile(&h, 10, 0.5);
        assert!((q - (BINS / 2) as f64 / BINS as f64 - 0.5 / BINS as f64).abs() < 1e-12);
    }

    #[test]
    fn half_width_is_agresti_coull() {
        // p = 1/2: p~ = 1/2, half-width Z95_TWO_SIDED · 0.5 / sqrt(n + 4).
        assert!((half_width(0.5, 10_000.0) - Z95_TWO_SIDED * 0.5 / 10_004f64.sqrt()).abs() < 1e-15);
        // Never observed in 100 draws: p~ = 2/104, not a certain 0.
        let pt: f64 = 2.0 / 104.0;
        assert!(
            (half_width(0.0, 100.0) - Z95_TWO_SIDED * (pt * (1.0 - pt) / 104.0).sqrt()).abs()
                < 1e-15
        );
        assert!(half_width(1.0, 100.0) > 0.02);
    }
}
