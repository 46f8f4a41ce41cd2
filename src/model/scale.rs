//! Value-function specifications: which way is better on a criterion and
//! the shape of its scale (linear, piecewise linear, exponential), with the
//! validating constructors that the loader calls.
//!
//! Owns [`Better`], [`Scale`] and [`ScaleError`]. It does not evaluate a
//! scale: turning a natural value into 0..1 is the engine's job
//! (`crate::engine::value_fn`).

use serde::Serialize;

use super::diag::fmt_num;
use super::limits::{self, MAX_CURVATURE, MAX_MAGNITUDE, MIN_CURVATURE};

/// Which way is better on a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// More is better (reach, effect).
    Higher,
    /// Less is better (cost, risk).
    Lower,
}

/// A validated value function.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum Scale {
    /// `v = (x - worst) / (best - worst)`, clamped to 0..1.
    Linear {
        /// The value that scores 0.
        worst: f64,
        /// The value that scores 1.
        best: f64,
    },
    /// Straight lines between `(x, v)` points, flat beyond the ends.
    Piecewise {
        /// Points with strictly increasing `x` and `v` in 0..1.
        points: Vec<(f64, f64)>,
    },
    /// `v = (1 - e^(-c t)) / (1 - e^(-c))` with `t` the linear position
    /// between worst and best: `c > 0` is concave (diminishing returns), `c < 0`
    /// convex.
    Exponential {
        /// The value that scores 0.
        worst: f64,
        /// The value that scores 1.
        best: f64,
        /// The curvature `c`; must not be 0 (use a linear scale).
        curvature: f64,
    },
}

/// Why a scale cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScaleError {
    /// A number is NaN or infinite.
    #[error("the scale contains a number that is not finite ({0}): use ordinary numbers")]
    NotFinite(f64),
    /// A number beyond ±[`MAX_MAGNITUDE`].
    #[error("the scale contains {}, beyond the limit of ±1e15: use a larger unit (thousands, millions)", fmt_num(*.0))]
    TooLarge(f64),
    /// worst == best.
    #[error("the scale has zero width (worst = best = {}): worst and best must differ", fmt_num(*.0))]
    ZeroWidth(f64),
    /// The ends are too close to tell apart.
    #[error("the scale from {} to {} is too narrow: its width must be at least 1e-9 of its larger end and at least 1e-12; use a smaller unit, or leave out a criterion that cannot vary", fmt_num(*.lo), fmt_num(*.hi))]
    TooNarrow {
        /// The lower end.
        lo: f64,
        /// The upper end.
        hi: f64,
    },
    /// Direction and scale disagree.
    #[error("better = \"{better}\" but the scale runs the other way (worst = {}, best = {}): swap worst and best, or change `better`", fmt_num(*.worst), fmt_num(*.best))]
    WrongDirection {
        /// The declared direction.
        better: &'static str,
        /// worst
        worst: f64,
        /// best
        best: f64,
    },
    /// Piecewise points are not usable.
    #[error("piecewise scale: {0}")]
    Piecewise(String),
    /// Exponential with curvature 0.
    #[error(
        "exponential scale needs a curvature other than 0: use a linear scale for a straight line"
    )]
    ZeroCurvature,
    /// |curvature| beyond [`MAX_CURVATURE`].
    #[error("exponential scale: curvature {} is beyond the limit of ±50 (at 50, 99% of the value is reached in the first 9% of the scale): write such a step as a piecewise scale", fmt_num(*.0))]
    Curvature(f64),
    /// 0 < |curvature| < [`MIN_CURVATURE`].
    #[error("exponential scale: curvature {} is below the limit of 1e-6 in size, where the curve is a straight line to within 1e-7 (and below 1e-308 it computed a step): use a linear scale", fmt_num(*.0))]
    CurvatureTiny(f64),
}

impl Scale {
    /// Validates a linear scale.
    pub fn linear(worst: f64, best: f64, better: Better) -> Result<Self, ScaleError> {
        check_ends(worst, best, better)?;
        Ok(Scale::Linear { worst, best })
    }

    /// Validates an exponential scale.
    pub fn exponential(
        worst: f64,
        best: f64,
        curvature: f64,
        better: Better,
    ) -> Result<Self, ScaleError> {
        check_ends(worst, best, better)?;
        if !curvature.is_finite() {
            return Err(ScaleError::NotFinite(curvature));
        }
        if curvature == 0.0 {
            return Err(ScaleError::ZeroCurvature);
        }
        if curvature.abs() > MAX_CURVATURE {
            return Err(ScaleError::Curvature(curvature));
        }
        if curvature.abs() < MIN_CURVATURE {
            return Err(ScaleError::CurvatureTiny(curvature));
        }
        Ok(Scale::Exponential {
            worst,
            best,
            curvature,
        })
    }

    /// Validates a piecewise linear scale: at least two points, `x` strictly
    /// increasing, `v` in 0..1 and monotone in the direction of `better`, and
    /// not flat.
    pub fn piecewise(points: Vec<(f64, f64)>, better: Better) -> Result<Self, ScaleError> {
        if points.len() < 2 {
            return Err(ScaleError::Piecewise(
                "needs at least two [x, v] points".into(),
            ));
        }
        for &(x, v) in &points {
            for n in [x, v] {
                if !n.is_finite() {
                    return Err(ScaleError::NotFinite(n));
                }
            }
            if x.abs() > MAX_MAGNITUDE {
                return Err(ScaleError::TooLarge(x));
            }
            if !(0.0..=1.0).contains(&v) {
                return Err(ScaleError::Piecewise(format!(
                    "value {} at x = {} is outside 0..1",
                    fmt_num(v),
                    fmt_num(x)
                )));
            }
        }
        for w in points.windows(2) {
            if w[1].0 <= w[0].0 {
                return Err(ScaleError::Piecewise(format!(
                    "x must increase strictly from point to point, but {} follows {}: sort the points by x",
                    fmt_num(w[1].0),
                    fmt_num(w[0].0)
                )));
            }
            let rising = w[1].1 >= w[0].1;
            let falling = w[1].1 <= w[0].1;
            let ok = match better {
                Better::Higher => rising,
                Better::Lower => falling,
            };
            if !ok {
                return Err(ScaleError::Piecewise(format!(
                    "with better = \"{}\" the values must {} with x, but go from {} to {} between x = {} and x = {}",
                    better.as_str(),
                    if better == Better::Higher { "not decrease" } else { "not increase" },
                    w[0].1,
                    w[1].1,
                    w[0].0,
                    w[1].0
                )));
            }
        }
        let lo = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let hi = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        if hi <= lo {
            return Err(ScaleError::ZeroWidth(lo));
        }
        let (first, last) = (points[0].0, points[points.len() - 1].0);
        if !limits::wide_enough(first, last) {
            return Err(ScaleError::TooNarrow {
                lo: first,
                hi: last,
            });
        }
        Ok(Scale::Piecewise { points })
    }

    /// The range of natural values over which the function is not flat:
    /// `(low, high)` with `low < high`.
    pub fn domain(&self) -> (f64, f64) {
        match self {
            Scale::Linear { worst, best } | Scale::Exponential { worst, best, .. } => {
                (worst.min(*best), worst.max(*best))
            }
            Scale::Piecewise { points } => (points[0].0, points[points.len() - 1].0),
        }
    }
    /// The same scale with its natural unit multiplied by `k > 0`.
    pub fn rescaled(&self, k: f64) -> Scale {
        match self {
            Scale::Linear { worst, best } => Scale::Linear {
                worst: worst * k,
                best: best * k,
            },
            Scale::Exponential {
                worst,
                best,
                curvature,
            } => Scale::Exponential {
                worst: worst * k,
                best: best * k,
                curvature: *curvature,
            },
            Scale::Piecewise { points } => Scale::Piecewise {
                points: points.iter().map(|&(x, v)| (x * k, v)).collect(),
            },
        }
    }

    /// Short name of the shape.
    pub fn shape_name(&self) -> &'static str {
        match self {
            Scale::Linear { .. } => "linear",
            Scale::Piecewise { .. } => "piecewise",
            Scale::Exponential { .. } => "exponential",
        }
    }
}

impl Better {
    /// `"higher"` or `"lower"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
        }
    }
}

fn check_ends(worst: f64, best: f64, better: Better) -> Result<(), ScaleError> {
    for n in [worst, best] {
        if !n.is_finite() {
            return Err(ScaleError::NotFinite(n));
        }
    }
    for n in [worst, best] {
        if n.abs() > MAX_MAGNITUDE {
            return Err(ScaleError::TooLarge(n));
        }
    }
    if worst == best {
        return Err(ScaleError::ZeroWidth(worst));
    }
    let (lo, hi) = (worst.min(best), worst.max(best));
    if !limits::wide_enough(lo, hi) {
        return Err(ScaleError::TooNarrow { lo, hi });
    }
    let ok = match better {
        Better::Higher => best > worst,
        Better::Lower => best < worst,
    };
    if !ok {
        return Err(ScaleError::WrongDirection {
            better: better.as_str(),
            worst,
            best,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_zero_width_wrong_direction_and_nan() {
        assert_eq!(
            Scale::linear(3.0, 3.0, Better::Higher),
            Err(ScaleError::ZeroWidth(3.0))
        );
        assert!(matches!(
            Scale::linear(0.0, 1.0, Better::Lower),
            Err(ScaleError::WrongDirection { .. })
        ));
        assert!(matches!(
            Scale::linear(f64::NAN, 1.0, Better::Higher),
            Err(ScaleError::NotFinite(_))
        ));
        assert_eq!(
            Scale::exponential(0.0, 1.0, 0.0, Better::Higher),
            Err(ScaleError::ZeroCurvature)
        );
        assert!(Scale::piecewise(vec![(0.0, 0.5), (1.0, 0.5)], Better::Higher).is_err());
        assert!(Scale::piecewise(vec![(1.0, 0.0), (0.0, 1.0)], Better::Higher).is_err());
        assert!(Scale::piecewise(vec![(0.0, 0.0), (1.0, 1.0)], Better::Lower).is_err());
    }

    #[test]
    fn limits_are_inclusive_and_refused_just_past() {
        let h = Better::Higher;
        assert!(Scale::exponential(0.0, 1.0, -MAX_CURVATURE, h).is_ok());
        assert!(Scale::exponential(0.0, 1.0, 50.000001, h).is_err());
        assert!(Scale::exponential(0.0, 1.0, MIN_CURVATURE, h).is_ok());
        assert_eq!(
            Scale::exponential(0.0, 1.0, -5e-324, h),
            Err(ScaleError::CurvatureTiny(-5e-324))
        );
        assert_eq!(
            Scale::exponential(0.0, 1.0, -1000.0, h),
            Err(ScaleError::Curvature(-1000.0))
        );
        assert!(Scale::linear(-MAX_MAGNITUDE, MAX_MAGNITUDE, h).is_ok());
        assert_eq!(
            Scale::linear(-1e308, 1e308, h),
            Err(ScaleError::TooLarge(-1e308))
        );
        assert!(Scale::linear(1e6, 1e6 + 1e-3, h).is_ok());
        assert!(matches!(
            Scale::linear(1e6, 1e6 + 1e-4, h),
            Err(ScaleError::TooNarrow { .. })
        ));
        assert!(Scale::linear(0.0, 1e-13, h).is_err());
        assert!(Scale::piecewise(vec![(0.0, 0.0), (2e15, 1.0)], h).is_err());
        // Messages never print 309 digits.
        assert!(ScaleError::TooLarge(-1e308).to_string().contains("-1e308"));
    }
}
