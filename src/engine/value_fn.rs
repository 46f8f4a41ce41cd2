//! Value functions: evaluating a criterion's [`Scale`] (its natural unit
//! mapped to 0..1).
//!
//! The scale's specification and validation live in the model
//! ([`crate::model::scale`]); this module owns only its evaluation. Values
//! beyond the scale are clamped to 0 or 1; the loader warns about that, this
//! module does not.

pub use crate::model::scale::{Better, Scale, ScaleError};

impl Scale {
    /// The value (0..1) of `x`, clamped at the ends of the scale.
    #[inline]
    pub fn value(&self, x: f64) -> f64 {
        match self {
            Scale::Linear { worst, best } => ((x - worst) / (best - worst)).clamp(0.0, 1.0),
            Scale::Exponential {
                worst,
                best,
                curvature,
            } => {
                let t = ((x - worst) / (best - worst)).clamp(0.0, 1.0);
                (-(-curvature * t).exp_m1()) / (-(-curvature).exp_m1())
            }
            Scale::Piecewise { points } => piecewise_value(points, x),
        }
    }

    /// Replaces every natural value in `xs` by its value, like
    /// [`Scale::value`], with the shape chosen once for the whole slice.
    pub fn apply(&self, xs: &mut [f64]) {
        match *self {
            Scale::Linear { worst, best } => {
                let inv = 1.0 / (best - worst);
                for x in xs.iter_mut() {
                    *x = ((*x - worst) * inv).clamp(0.0, 1.0);
                }
            }
            _ => {
                for x in xs.iter_mut() {
                    *x = self.value(*x);
                }
            }
        }
    }
}

fn piecewise_value(points: &[(f64, f64)], x: f64) -> f64 {
    let first = points[0];
    let last = points[points.len() - 1];
    if x <= first.0 {
        return first.1;
    }
    if x >= last.0 {
        return last.1;
    }
    // Few points: a linear scan beats a binary search.
    for w in points.windows(2) {
        let (x0, v0) = w[0];
        let (x1, v1) = w[1];
        if x <= x1 {
            return v0 + (v1 - v0) * (x - x0) / (x1 - x0);
        }
    }
    last.1
}
#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = 1e-12;

    #[test]
    fn linear_both_directions_and_clamping() {
        let up = Scale::linear(0.0, 100.0, Better::Higher).unwrap();
        assert!((up.value(25.0) - 0.25).abs() < EPS);
        assert_eq!(up.value(-5.0), 0.0);
        assert_eq!(up.value(500.0), 1.0);
        let down = Scale::linear(400_000.0, 0.0, Better::Lower).unwrap();
        assert!((down.value(50_122.0) - (1.0 - 50_122.0 / 400_000.0)).abs() < EPS);
    }

    #[test]
    fn exponential_closed_form() {
        // c = ln 2 gives v(t) = (1 - 2^-t) / (1 - 1/2) = 2 (1 - 2^-t); at t = 1/2: 2 - sqrt 2.
        let s = Scale::exponential(0.0, 10.0, std::f64::consts::LN_2, Better::Higher).unwrap();
        assert!((s.value(5.0) - (2.0 - 2f64.sqrt())).abs() < EPS);
        assert!(s.value(0.0).abs() < EPS && (s.value(10.0) - 1.0).abs() < EPS);
        // Convex for negative curvature: below the straight line.
        let c = Scale::exponential(0.0, 10.0, -2.0, Better::Higher).unwrap();
        assert!(c.value(5.0) < 0.5);
    }

    #[test]
    fn apply_matches_value() {
        let xs: Vec<f64> = (0..50).map(|k| -3.0 + 0.37 * k as f64).collect();
        for s in [
            Scale::linear(0.0, 7.0, Better::Higher).unwrap(),
            Scale::linear(9.0, 1.0, Better::Lower).unwrap(),
            Scale::exponential(0.0, 7.0, 1.5, Better::Higher).unwrap(),
            Scale::piecewise(vec![(0.0, 0.0), (3.0, 0.7), (9.0, 1.0)], Better::Higher).unwrap(),
        ] {
            let mut ys = xs.clone();
            s.apply(&mut ys);
            for (x, y) in xs.iter().zip(&ys) {
                assert!((s.value(*x) - y).abs() <= 1e-15, "{s:?} at {x}");
            }
        }
    }

    #[test]
    fn piecewise_interpolates_and_is_flat_outside() {
        let s =
            Scale::piecewise(vec![(0.0, 0.0), (10.0, 0.8), (20.0, 1.0)], Better::Higher).unwrap();
        assert!((s.value(5.0) - 0.4).abs() < EPS);
        assert!((s.value(15.0) - 0.9).abs() < EPS);
        assert_eq!(s.value(-1.0), 0.0);
        assert_eq!(s.value(99.0), 1.0);
    }

    #[test]
    fn rescaling_unit_and_scale_keeps_values() {
        for s in [
            Scale::linear(10.0, 2.0, Better::Lower).unwrap(),
            Scale::exponential(0.0, 7.0, 1.5, Better::Higher).unwrap(),
            Scale::piecewise(vec![(0.0, 0.0), (3.0, 0.7), (9.0, 1.0)], Better::Higher).unwrap(),
        ] {
            let r = s.rescaled(1000.0);
            for x in [0.0, 1.0, 2.5, 6.0, 9.5] {
                assert!((s.value(x) - r.value(x * 1000.0)).abs() < 1e-12);
            }
        }
    }
}
