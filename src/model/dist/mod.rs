//! Validated probability distributions as plain data.
//!
//! This module owns the [`Dist`] type (the uncertainty attached to one input
//! number of the value model), its validation rules and user-facing
//! [`DistError`] messages, and the exact closed-form or numerically inverted
//! summaries of a distribution: most likely value, mean, variance, quantile,
//! CDF and support. It does not draw random numbers; fast sampling lives in
//! `crate::engine::sampler`.
//!
//! # Construction
//!
//! Rust cannot make the fields of enum variants private, so the variants are
//! public plain data (handy for pattern matching and serialisation). The
//! validating constructors ([`Dist::point`], [`Dist::uniform`], ...) are the
//! only sanctioned way to build a `Dist`; code that builds a variant literally
//! (or mutates one) must call [`Dist::validate`] before using it. All methods
//! are pure and never panic on a valid distribution; on an invalid one they
//! may return NaN or nonsense but still do not panic.

use statrs::function::beta::{beta_reg, inv_beta_reg, ln_beta};
use statrs::function::erf::{erfc, erfc_inv};

use super::diag::fmt_num;
use super::limits::{self, BETA_SHAPE_MAX, BETA_SHAPE_MIN, LOGNORMAL_MAX_RATIO};

/// The one-sided 95% standard-normal quantile, z_0.95 = Phi^-1(0.95) (a
/// lognormal's `p95` lies this many sigmas above its median).
pub const Z95_ONE_SIDED: f64 = 1.644_853_626_951_472_2;

/// Allowed deviation of the sum of discrete probabilities from 1.
pub const DISCRETE_SUM_TOLERANCE: f64 = 1e-9;

/// PERT shape parameter lambda (classic Beta-PERT).
pub const PERT_LAMBDA: f64 = 4.0;

/// A validated probability distribution. Build it with the constructors.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Dist {
    /// A certain value.
    Point { value: f64 },
    /// Continuous uniform on `[min, max]`.
    Uniform { min: f64, max: f64 },
    /// Triangular on `[min, max]` with peak at `mode`.
    Triangular { min: f64, mode: f64, max: f64 },
    /// Beta-PERT (lambda = 4) on `[min, max]` with mode `mode`.
    Pert { min: f64, mode: f64, max: f64 },
    /// Normal with mean and standard deviation.
    Normal { mean: f64, sd: f64 },
    /// Lognormal given by its median and 95th percentile:
    /// mu = ln(median), sigma = ln(p95 / median) / z_0.95.
    #[serde(rename = "lognormal")]
    LogNormal { median: f64, p95: f64 },
    /// Beta on `[0, 1]`.
    Beta { alpha: f64, beta: f64 },
    /// Finite distribution of `(x, probability)` pairs.
    Discrete { points: Vec<(f64, f64)> },
}

/// Why a distribution is invalid. Messages are meant for end users: they say
/// what is wrong and what to do about it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DistError {
    /// A parameter is NaN or infinite.
    #[error(
        "{kind} {field} must be a finite number, got {value}: replace it with an ordinary number"
    )]
    NotFinite {
        kind: &'static str,
        field: &'static str,
        value: f64,
    },
    /// Uniform bounds out of order or equal.
    #[error("uniform needs min < max, got [{}, {}]: swap the bounds, or use a point value if there is no uncertainty", fmt_num(*.min), fmt_num(*.max))]
    UniformBounds { min: f64, max: f64 },
    /// Triangular/PERT numbers out of order.
    #[error("{kind} needs min <= mode <= max with min < max, got [{}, {}, {}]: reorder the three numbers, or use a point value if there is no uncertainty", fmt_num(*.min), fmt_num(*.mode), fmt_num(*.max))]
    ModeOrder {
        kind: &'static str,
        min: f64,
        mode: f64,
        max: f64,
    },
    /// Normal standard deviation not positive.
    #[error("normal needs sd > 0, got {}: give a positive standard deviation, or use a point value if there is no uncertainty", fmt_num(*.sd))]
    NormalSd { sd: f64 },
    /// Lognormal median not positive.
    #[error("lognormal needs median > 0, got {}: a lognormal only covers positive values; use a normal or pert for values that can be zero or negative", fmt_num(*.median))]
    LogNormalMedian { median: f64 },
    /// Lognormal 95th percentile not above the median.
    #[error("lognormal needs p95 > median, got median {} and p95 {}: give a 95th percentile above the median", fmt_num(*.median), fmt_num(*.p95))]
    LogNormalP95 { median: f64, p95: f64 },
    /// Beta shape parameter not positive.
    #[error("beta needs alpha > 0 and beta > 0, got alpha {} and beta {}: use positive shape parameters", fmt_num(*.alpha), fmt_num(*.beta))]
    BetaShape { alpha: f64, beta: f64 },
    /// Discrete distribution without points.
    #[error("discrete needs at least one point: add one or more (x, probability) pairs")]
    DiscreteEmpty,
    /// A discrete probability outside [0, 1].
    #[error("discrete probability of x = {} must lie in [0, 1], got {}: use a probability between 0 and 1", fmt_num(*.x), fmt_num(*.p))]
    DiscreteProbability { x: f64, p: f64 },
    /// Discrete probabilities do not sum to 1.
    #[error("discrete probabilities must sum to 1 (within 1e-9), got {sum}: rescale them so they add up to 1")]
    DiscreteSum { sum: f64 },
    /// The same x listed twice.
    #[error(
        "discrete lists x = {} more than once: merge the duplicates by adding their probabilities",
        fmt_num(*.x)
    )]
    DiscreteDuplicate { x: f64 },
    /// A number beyond ±[`limits::MAX_MAGNITUDE`].
    #[error("{kind} {field} is {}, beyond the limit of ±1e15: use a larger unit (thousands, millions)", fmt_num(*.value))]
    TooLarge {
        kind: &'static str,
        field: &'static str,
        value: f64,
    },
    /// A range too narrow to be told apart from a point.
    #[error("{kind} range [{}, {}] is too narrow: max − min must be at least 1e-9 of the larger bound and at least 1e-12; write `value = …` for a certain value", fmt_num(*.min), fmt_num(*.max))]
    TooNarrow {
        kind: &'static str,
        min: f64,
        max: f64,
    },
    /// A beta shape parameter outside the supported range.
    #[error("beta shape parameters must lie within the limits 0.01 to 1e6, got alpha {} and beta {}: beyond 1e6 the distribution is narrower than any estimate (use a point value), below 0.01 it is two points (use discrete)", fmt_num(*.alpha), fmt_num(*.beta))]
    BetaShapeRange { alpha: f64, beta: f64 },
    /// A lognormal too wide to have a finite mean and finite draws.
    #[error("lognormal p95 is beyond the limit of 1e4 times the median, got median {} and p95 {}: give a narrower estimate, or split the case in two", fmt_num(*.median), fmt_num(*.p95))]
    LogNormalSpread { median: f64, p95: f64 },
}

fn finite(kind: &'static str, field: &'static str, value: f64) -> Result<(), DistError> {
    if !value.is_finite() {
        Err(DistError::NotFinite { kind, field, value })
    } else if !limits::in_range(value) {
        Err(DistError::TooLarge { kind, field, value })
    } else {
        Ok(())
    }
}

fn wide(kind: &'static str, min: f64, max: f64) -> Result<(), DistError> {
    if limits::wide_enough(min, max) {
        Ok(())
    } else {
        Err(DistError::TooNarrow { kind, min, max })
    }
}

/// PERT as a scaled Beta: returns (alpha, beta) for lambda = 4.
pub(crate) fn pert_shape(min: f64, mode: f64, max: f64) -> (f64, f64) {
    let range = max - min;
    (
        1.0 + PERT_LAMBDA * (mode - min) / range,
        1.0 + PERT_LAMBDA * (max - mode) / range,
    )
}

/// Lognormal (mu, sigma) from median and 95th percentile.
pub(crate) fn lognormal_params(median: f64, p95: f64) -> (f64, f64) {
    (median.ln(), (p95 / median).ln() / Z95_ONE_SIDED)
}

/// Standard normal CDF.
fn std_normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// Standard normal quantile; -inf at 0 and +inf at 1.
fn std_normal_quantile(p: f64) -> f64 {
    if p <= 0.0 {
        f64::NEG_INFINITY
    } else if p >= 1.0 {
        f64::INFINITY
    } else {
        -std::f64::consts::SQRT_2 * erfc_inv(2.0 * p)
    }
}

/// CDF of Beta(a, b) on [0, 1]; a, b > 0.
pub(crate) fn beta_cdf(a: f64, b: f64, x: f64) -> f64 {
    if x.is_nan() || !(a > 0.0 && b > 0.0) {
        f64::NAN
    } else if x <= 0.0 {
        0.0
    } else if x >= 1.0 {
        1.0
    } else if x < BETA_SERIES_CUTOFF {
        beta_cdf_small(a, b, x)
    } else if 1.0 - x < BETA_SERIES_CUTOFF {
        1.0 - beta_cdf_small(b, a, 1.0 - x)
    } else {
        beta_reg(a, b, x)
    }
}

/// Below this distance from an end, the Beta CDF uses its power series:
/// statrs' `beta_reg` treats x within ~2.2e-16 of 0 or 1 as exactly 0 or 1,
/// which is badly wrong for shapes below 1 (Beta(0.5, 0.5) has
/// F(1e-20) ~ 6e-11).
const BETA_SERIES_CUTOFF: f64 = 1e-6;

/// I_x(a, b) = x^a / (a B(a, b)) * sum_n (1 - b)_n / n! * a / (a + n) * x^n,
/// truncated after four terms (relative error below x^4 ~ 1e-24 for the
/// cutoff used here).
fn beta_cdf_small(a: f64, b: f64, x: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..4 {
        let n = f64::from(n);
        term *= (n - b) * x / n;
        sum += term * a / (a + n);
    }
    (a * x.ln() - a.ln() - ln_beta(a, b)).exp() * sum
}

/// Quantile of Beta(a, b).
///
/// statrs 0.17's `Beta::inverse_cdf` is the generic 16-step bisection
/// (about 1e-4 accurate), and its `inv_beta_reg` (AS 109) is usually accurate
/// to ~1e-14 but was measured off by ~1e-3 in CDF for skewed shapes such as
/// Beta(0.2, 3). So `inv_beta_reg` only provides the starting point, which is
/// then polished with bracketed Newton steps on statrs' regularized
/// incomplete beta (bisection whenever Newton leaves the bracket) until
/// |F(x) - p| <= 1e-12 * min(p, 1 - p) or the bracket cannot shrink further.
pub(crate) fn beta_quantile(a: f64, b: f64, p: f64) -> f64 {
    beta_quantile_from(a, b, p, f64::NAN)
}

/// [`beta_quantile`] starting the Newton iteration at `guess` when it lies
/// strictly inside (0, 1) (used to build sampler tables from neighbouring
/// knots); otherwise starts from statrs' `inv_beta_reg`. The result is
/// polished to the same tolerance either way.
pub(crate) fn beta_quantile_from(a: f64, b: f64, p: f64, guess: f64) -> f64 {
    if p.is_nan() || !(a > 0.0 && b > 0.0) {
        return f64::NAN;
    }
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let ln_b = ln_beta(a, b);
    let tol = (1e-12 * p.min(1.0 - p)).max(f64::MIN_POSITIVE);
    let start = if guess > 0.0 && guess < 1.0 {
        guess
    } else {
        inv_beta_reg(a, b, p)
    };
    let mut x = if start.is_finite() {
        start.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..400 {
        let r = beta_cdf(a, b, x) - p;
        if r.abs() <= tol {
            return x;
        }
        if r > 0.0 {
            hi = x;
        } else {
            lo = x;
        }
        // Density of Beta(a, b) at x (may be 0 or inf at the ends).
        let pdf = ((a - 1.0) * x.ln() + (b - 1.0) * (-x).ln_1p() - ln_b).exp();
        let newton = x - r / pdf;
        let next = if newton.is_finite() && newton > lo && newton < hi {
            newton
        } else if lo > 0.0 && hi / lo > 4.0 {
            // Geometric bisection reaches tiny quantiles (a < 1) quickly.
            (lo * hi).sqrt()
        } else if lo == 0.0 && hi < 0.25 {
            hi * 0.25
        } else {
            0.5 * (lo + hi)
        };
        if next <= lo || next >= hi || next == x {
            // The bracket is down to adjacent floats.
            break;
        }
        x = next;
    }
    x
}

impl Dist {
    /// A certain value.
    pub fn point(value: f64) -> Result<Dist, DistError> {
        let d = Dist::Point { value };
        d.validate()?;
        Ok(d)
    }

    /// Uniform on `[min, max]`, requires `min < max`.
    pub fn uniform(min: f64, max: f64) -> Result<Dist, DistError> {
        let d = Dist::Uniform { min, max };
        d.validate()?;
        Ok(d)
    }

    /// Triangular, requires `min <= mode <= max` and `min < max`.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Dist, DistError> {
        let d = Dist::Triangular { min, mode, max };
        d.validate()?;
        Ok(d)
    }

    /// Beta-PERT (lambda = 4), requires `min <= mode <= max` and `min < max`.
    pub fn pert(min: f64, mode: f64, max: f64) -> Result<Dist, DistError> {
        let d = Dist::Pert { min, mode, max };
        d.validate()?;
        Ok(d)
    }

    /// Normal, requires `sd > 0`.
    pub fn normal(mean: f64, sd: f64) -> Result<Dist, DistError> {
        let d = Dist::Normal { mean, sd };
        d.validate()?;
        Ok(d)
    }

    /// Lognormal from median and 95th percentile, requires `0 < median < p95`.
    pub fn lognormal(median: f64, p95: f64) -> Result<Dist, DistError> {
        let d = Dist::LogNormal { median, p95 };
        d.validate()?;
        Ok(d)
    }

    /// Beta on `[0, 1]`, requires `alpha > 0` and `beta > 0`.
    pub fn beta(alpha: f64, beta: f64) -> Result<Dist, DistError> {
        let d = Dist::Beta { alpha, beta };
        d.validate()?;
        Ok(d)
    }

    /// Discrete `(x, probability)` pairs: at least one point, finite x,
    /// probabilities in `[0, 1]` summing to 1 within 1e-9, no duplicate x.
    /// Zero probabilities are allowed (such points are never drawn).
    pub fn discrete(points: Vec<(f64, f64)>) -> Result<Dist, DistError> {
        let d = Dist::Discrete { points };
        d.validate()?;
        Ok(d)
    }

    /// Re-checks every validation rule; the constructors call this.
    pub fn validate(&self) -> Result<(), DistError> {
        let kind = self.kind_name();
        match *self {
            Dist::Point { value } => finite(kind, "value", value),
            Dist::Uniform { min, max } => {
                finite(kind, "min", min)?;
                finite(kind, "max", max)?;
                if min < max {
                    wide(kind, min, max)
                } else {
                    Err(DistError::UniformBounds { min, max })
                }
            }
            Dist::Triangular { min, mode, max } | Dist::Pert { min, mode, max } => {
                finite(kind, "min", min)?;
                finite(kind, "mode", mode)?;
                finite(kind, "max", max)?;
                if min <= mode && mode <= max && min < max {
                    wide(kind, min, max)
                } else {
                    Err(DistError::ModeOrder {
                        kind,
                        min,
                        mode,
                        max,
                    })
                }
            }
            Dist::Normal { mean, sd } => {
                finite(kind, "mean", mean)?;
                finite(kind, "sd", sd)?;
                if sd > 0.0 {
                    Ok(())
                } else {
                    Err(DistError::NormalSd { sd })
                }
            }
            Dist::LogNormal { median, p95 } => {
                finite(kind, "median", median)?;
                finite(kind, "p95", p95)?;
                if median <= 0.0 {
                    Err(DistError::LogNormalMedian { median })
                } else if p95 <= median {
                    Err(DistError::LogNormalP95 { median, p95 })
                } else if p95 / median > LOGNORMAL_MAX_RATIO {
                    Err(DistError::LogNormalSpread { median, p95 })
                } else {
                    Ok(())
                }
            }
            Dist::Beta { alpha, beta } => {
                // Shapes have their own range (BetaShapeRange), not ±1e15.
                for (field, value) in [("alpha", alpha), ("beta", beta)] {
                    if !value.is_finite() {
                        return Err(DistError::NotFinite { kind, field, value });
                    }
                }
                if !(alpha > 0.0 && beta > 0.0) {
                    Err(DistError::BetaShape { alpha, beta })
                } else if [alpha, beta]
                    .iter()
                    .any(|s| !(BETA_SHAPE_MIN..=BETA_SHAPE_MAX).contains(s))
                {
                    Err(DistError::BetaShapeRange { alpha, beta })
                } else {
                    Ok(())
                }
            }
            Dist::Discrete { ref points } => {
                if points.is_empty() {
                    return Err(DistError::DiscreteEmpty);
                }
                for &(x, p) in points {
                    finite(kind, "x", x)?;
                    finite(kind, "probability", p)?;
                    if !(0.0..=1.0).contains(&p) {
                        return Err(DistError::DiscreteProbability { x, p });
                    }
                }
                let sum: f64 = points.iter().map(|&(_, p)| p).sum();
                if (sum - 1.0).abs() > DISCRETE_SUM_TOLERANCE {
                    return Err(DistError::DiscreteSum { sum });
                }
                let mut xs: Vec<f64> = points.iter().map(|&(x, _)| x).collect();
                xs.sort_by(f64::total_cmp);
                if let Some(w) = xs.windows(2).find(|w| w[0] == w[1]) {
                    return Err(DistError::DiscreteDuplicate { x: w[0] });
                }
                Ok(())
            }
        }
    }

    /// Short lowercase name of the kind, as used in files and messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Dist::Point { .. } => "point",
            Dist::Uniform { .. } => "uniform",
            Dist::Triangular { .. } => "triangular",
            Dist::Pert { .. } => "pert",
            Dist::Normal { .. } => "normal",
            Dist::LogNormal { .. } => "lognormal",
            Dist::Beta { .. } => "beta",
            Dist::Discrete { .. } => "discrete",
        }
    }

    /// True when there is no uncertainty: a point, or a discrete distribution
    /// with exactly one point of positive probability.
    pub fn is_certain(&self) -> bool {
        match self {
            Dist::Point { .. } => true,
            Dist::Discrete { points } => points.iter().filter(|&&(_, p)| p > 0.0).count() == 1,
            _ => false,
        }
    }

    /// The value to show as "best guess": point value, uniform midpoint,
    /// triangular/PERT mode, normal mean, lognormal median, beta mode when
    /// both shapes exceed 1 (else the mean), discrete x with the highest
    /// probability (first listed on ties).
    pub fn most_likely(&self) -> f64 {
        match *self {
            Dist::Point { value } => value,
            Dist::Uniform { min, max } => 0.5 * (min + max),
            Dist::Triangular { mode, .. } | Dist::Pert { mode, .. } => mode,
            Dist::Normal { mean, .. } => mean,
            Dist::LogNormal { median, .. } => median,
            Dist::Beta { alpha, beta } => {
                if alpha > 1.0 && beta > 1.0 {
                    (alpha - 1.0) / (alpha + beta - 2.0)
                } else {
                    self.mean()
                }
            }
            Dist::Discrete { ref points } => {
                let mut best = (f64::NAN, f64::NEG_INFINITY);
                for &(x, p) in points {
                    if p > best.1 {
                        best = (x, p);
                    }
                }
                best.0
            }
        }
    }

    /// Expected value (closed form).
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Point { value } => value,
            Dist::Uniform { min, max } => 0.5 * (min + max),
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Dist::Pert { min, mode, max } => (min + PERT_LAMBDA * mode + max) / (PERT_LAMBDA + 2.0),
            Dist::Normal { mean, .. } => mean,
            Dist::LogNormal { median, p95 } => {
                let (mu, sigma) = lognormal_params(median, p95);
                (mu + 0.5 * sigma * sigma).exp()
            }
            Dist::Beta { alpha, beta } => alpha / (alpha + beta),
            Dist::Discrete { ref points } => {
                let total: f64 = points.iter().map(|&(_, p)| p).sum();
                points.iter().map(|&(x, p)| x * p).sum::<f64>() / total
            }
        }
    }

    /// Variance (closed form).
    pub fn variance(&self) -> f64 {
        match *self {
            Dist::Point { .. } => 0.0,
            Dist::Uniform { min, max } => (max - min).powi(2) / 12.0,
            Dist::Triangular { min, mode, max } => {
                (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0
            }
            Dist::Pert { min, mode, max } => {
                let (a, b) = pert_shape(min, mode, max);
                let s = a + b;
                (max - min).powi(2) * a * b / (s * s * (s + 1.0))
            }
            Dist::Normal { sd, .. } => sd * sd,
            Dist::LogNormal { median, p95 } => {
                let (mu, sigma) = lognormal_params(median, p95);
                let s2 = sigma * sigma;
                s2.exp_m1() * (2.0 * mu + s2).exp()
            }
            Dist::Beta { alpha, beta } => {
                let s = alpha + beta;
                alpha * beta / (s * s * (s + 1.0))
            }
            Dist::Discrete { ref points } => {
                let m = self.mean();
                let total: f64 = points.iter().map(|&(_, p)| p).sum();
                points
                    .iter()
                    .map(|&(x, p)| p * (x - m).powi(2))
                    .sum::<f64>()
                    / total
            }
        }
    }

    /// Smallest and largest possible value. Normal is `(-inf, inf)`,
    /// lognormal `(0, inf)`; discrete ignores zero-probability points.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Dist::Point { value } => (value, value),
            Dist::Uniform { min, max }
            | Dist::Triangular { min, max, .. }
            | Dist::Pert { min, max, .. } => (min, max),
            Dist::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Dist::LogNormal { .. } => (0.0, f64::INFINITY),
            Dist::Beta { .. } => (0.0, 1.0),
            Dist::Discrete { ref points } => points
                .iter()
                .filter(|&&(_, p)| p > 0.0)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(x, _)| {
                    (lo.min(x), hi.max(x))
                }),
        }
    }

    /// Discrete points with positive probability, sorted by x, with
    /// cumulative probabilities normalised so the last one is exactly 1.
    pub(crate) fn discrete_cumulative(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
        let mut pts: Vec<(f64, f64)> = points.iter().copied().filter(|&(_, p)| p > 0.0).collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let total: f64 = pts.iter().map(|&(_, p)| p).sum();
        let mut cum = 0.0;
        let n = pts.len();
        pts.into_iter()
            .enumerate()
            .map(|(i, (x, p))| {
                cum += p;
                (x, if i + 1 == n { 1.0 } else { cum / total })
            })
            .collect()
    }

    /// Cumulative distribution function P(X <= x).
    pub fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        match *self {
            Dist::Point { value } => {
                if x >= value {
                    1.0
                } else {
                    0.0
                }
            }
            Dist::Uniform { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
            Dist::Triangular { min, mode, max } => {
                if x <= min {
                    0.0
                } else if x >= max {
                    1.0
                } else if x <= mode {
                    (x - min).powi(2) / ((max - min) * (mode - min))
                } else {
                    1.0 - (max - x).powi(2) / ((max - min) * (max - mode))
                }
            }
            Dist::Pert { min, mode, max } => {
                let (a, b) = pert_shape(min, mode, max);
                beta_cdf(a, b, (x - min) / (max - min))
            }
            Dist::Normal { mean, sd } => std_normal_cdf((x - mean) / sd),
            Dist::LogNormal { median, p95 } => {
                if x <= 0.0 {
                    0.0
                } else {
                    let (mu, sigma) = lognormal_params(median, p95);
                    std_normal_cdf((x.ln() - mu) / sigma)
                }
            }
            Dist::Beta { alpha, beta } => beta_cdf(alpha, beta, x),
            Dist::Discrete { ref points } => {
                let mut prev = 0.0;
                for (xi, cum) in Dist::discrete_cumulative(points) {
                    if xi > x {
                        break;
                    }
                    prev = cum;
                }
                prev
            }
        }
    }

    /// Quantile (inverse CDF) at `p`; `p` outside `[0, 1]` is clamped, NaN
    /// gives NaN. At `p = 0` / `p = 1` the result is the support bound, which
    /// is infinite for normal (both ends) and lognormal (`p = 1`).
    /// Discrete: the smallest x (by value) whose cumulative probability is
    /// `>= p`.
    pub fn quantile(&self, p: f64) -> f64 {
        if p.is_nan() {
            return f64::NAN;
        }
        let p = p.clamp(0.0, 1.0);
        match *self {
            Dist::Point { value } => value,
            Dist::Uniform { min, max } => min + (max - min) * p,
            Dist::Triangular { min, mode, max } => triangular_quantile(min, mode, max, p),
            Dist::Pert { min, mode, max } => {
                let (a, b) = pert_shape(min, mode, max);
                (min + (max - min) * beta_quantile(a, b, p)).clamp(min, max)
            }
            Dist::Normal { mean, sd } => mean + sd * std_normal_quantile(p),
            Dist::LogNormal { median, p95 } => {
                let (mu, sigma) = lognormal_params(median, p95);
                (mu + sigma * std_normal_quantile(p)).exp()
            }
            Dist::Beta { alpha, beta } => beta_quantile(alpha, beta, p),
            Dist::Discrete { ref points } => {
                let cum = Dist::discrete_cumulative(points);
                cum.iter()
                    .find(|&&(_, c)| c >= p)
                    .or(cum.last())
                    .map_or(f64::NAN, |&(x, _)| x)
            }
        }
    }
}

/// Closed-form triangular inverse CDF.
fn triangular_quantile(min: f64, mode: f64, max: f64, p: f64) -> f64 {
    let range = max - min;
    let split = (mode - min) / range;
    let x = if p < split {
        min + (p * range * (mode - min)).sqrt()
    } else {
        max - ((1.0 - p) * range * (max - mode)).sqrt()
    };
    x.clamp(min, max)
}

#[cfg(test)]
mod tests;
