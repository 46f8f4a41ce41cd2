//! Weight specifications: how a stakeholder states the weights of one level
//! of the value tree (the group level, or the criteria inside one group).
//!
//! Owns [`LevelSpec`] (swing points, bounds on the shares, a ranking, or
//! nothing), [`WeightLevel`] (a spec over named items, validated when it is
//! built) and [`LevelError`] (what is wrong with a spec, naming the item).
//!
//! Validation is structural and analytic: finite numbers, swing points of
//! zero or more with a positive sum, bounds with `0 ≤ lo ≤ hi ≤ 1` and
//! `Σ lo ≤ 1 ≤ Σ hi` (within [`BOUNDS_SUM_TOL`]), a ranking that lists every
//! item once. A valid bounds level always has a non-empty feasible set, so
//! the engine can compile every [`WeightLevel`] without failing. Nothing here
//! samples or computes representative weights; that is the engine's job
//! (`crate::engine::weights`).

use serde::Serialize;

use super::limits::MIN_WEIGHT_SHARE;

/// Tolerance on sums of bounds: lower bounds may add up to `1 + BOUNDS_SUM_TOL`
/// and upper bounds to `1 - BOUNDS_SUM_TOL` before the bounds count as
/// infeasible; the engine treats a feasible set whose slack is within this
/// tolerance as a single point.
pub const BOUNDS_SUM_TOL: f64 = 1e-9;

/// How one level of the weight hierarchy is specified. Indices and lengths
/// refer to the level's items, in the order of [`WeightLevel::items`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum LevelSpec {
    /// Non-negative swing points, normalised to shares. No uncertainty.
    Swing(Vec<f64>),
    /// `(lo, hi)` bounds on each normalised share; every feasible weight
    /// vector is equally plausible.
    Bounds(Vec<(f64, f64)>),
    /// `order[k]` = index of the k-th most important item.
    Ordinal(Vec<usize>),
    /// Nothing known about the `n` items: every point of the simplex is
    /// equally plausible.
    Unknown(usize),
}

impl LevelSpec {
    /// Number of items the spec weighs.
    pub fn len(&self) -> usize {
        match self {
            LevelSpec::Swing(p) => p.len(),
            LevelSpec::Bounds(b) => b.len(),
            LevelSpec::Ordinal(o) => o.len(),
            LevelSpec::Unknown(n) => *n,
        }
    }

    /// True when the spec weighs no item (never for a valid spec).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One level of weights: a validated [`LevelSpec`] over named items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightLevel {
    items: Vec<String>,
    spec: LevelSpec,
}

/// What is wrong with a weight level. Items are named by id.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LevelError {
    /// No items.
    #[error("a weight level has no items: give at least one")]
    Empty,
    /// The spec weighs a different number of items than the level has.
    #[error("the weights name {spec} items but the level has {items}: give one weight per item")]
    WrongLength {
        /// Items in the spec.
        spec: usize,
        /// Items of the level.
        items: usize,
    },
    /// A swing point is NaN or infinite.
    #[error("the weight of `{item}` is {value}: give a finite number of zero or more")]
    SwingNotFinite {
        /// The item.
        item: String,
        /// Its swing point.
        value: f64,
    },
    /// A swing point is negative.
    #[error("the weight of `{item}` is {}, below zero: give zero or more", num(.value))]
    SwingNegative {
        /// The item.
        item: String,
        /// Its swing point.
        value: f64,
    },
    /// Every swing point is zero.
    #[error("all swing points are zero: give at least one item a positive number")]
    SwingAllZero,
    /// A positive swing point below [`MIN_WEIGHT_SHARE`] of the level's largest.
    #[error("the weight of `{item}` is {}, less than the limit of 1e-9 times the largest ({}): give it 0 (no weight) or a larger number", num(.value), num(.largest))]
    SwingTooSmall {
        /// The item.
        item: String,
        /// Its swing point.
        value: f64,
        /// The level's largest swing point.
        largest: f64,
    },
    /// A positive bound below [`MIN_WEIGHT_SHARE`].
    #[error("the bounds of `{item}` are [{}, {}]: a bound above 0 must be at least the limit of 1e-9; use 0 for no weight", num(.lo), num(.hi))]
    BoundTooSmall {
        /// The item.
        item: String,
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
    /// A bound is NaN or infinite.
    #[error("the bounds of `{item}` are [{lo}, {hi}]: give finite numbers")]
    BoundNotFinite {
        /// The item.
        item: String,
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
    /// A bound is outside 0..1.
    #[error(
        "the bounds of `{item}` are [{}, {}], outside 0 to 1: bounds are on shares, so keep them between 0 and 1",
        num(.lo), num(.hi)
    )]
    BoundOutOfRange {
        /// The item.
        item: String,
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
    /// lo > hi.
    #[error(
        "the lower bound of `{item}` ({}) is above its upper bound ({}): swap or correct them",
        num(.lo), num(.hi)
    )]
    BoundReversed {
        /// The item.
        item: String,
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
    /// Σ lo > 1: no weights satisfy every lower bound.
    #[error("the lower bounds of {} add up to {}, more than 1: no weights satisfy them all; lower some of them", list(.items), num(.sum))]
    LowerBoundsTooHigh {
        /// The items with a positive lower bound.
        items: Vec<String>,
        /// Σ lo.
        sum: f64,
    },
    /// Σ hi < 1: no weights satisfy every upper bound.
    #[error("the upper bounds of {} add up to {}, less than 1: no weights satisfy them all; raise some of them", list(.items), num(.sum))]
    UpperBoundsTooLow {
        /// The items of the level.
        items: Vec<String>,
        /// Σ hi.
        sum: f64,
    },
    /// A ranking index is out of range.
    #[error("the ranking names item {}, but the level has only {len} items", .index + 1)]
    RankingOutOfRange {
        /// 0-based index.
        index: usize,
        /// Number of items.
        len: usize,
    },
    /// An item is ranked twice.
    #[error("the ranking names `{item}` more than once: name each item exactly once")]
    RankingRepeated {
        /// The item.
        item: String,
    },
}

impl LevelError {
    /// The item the error is about, when it is about one.
    pub fn item(&self) -> Option<&str> {
        match self {
            LevelError::SwingNotFinite { item, .. }
            | LevelError::SwingNegative { item, .. }
            | LevelError::SwingTooSmall { item, .. }
            | LevelError::BoundTooSmall { item, .. }
            | LevelError::BoundNotFinite { item, .. }
            | LevelError::BoundOutOfRange { item, .. }
            | LevelError::BoundReversed { item, .. }
            | LevelError::RankingRepeated { item } => Some(item),
            _ => None,
        }
    }
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Formats a number for an error message: short, but never rounded onto
/// the limit it is compared with.
fn num(x: &f64) -> String {
    let a = x.abs();
    if a != 0.0 && !(1e-6..1e15).contains(&a) {
        // Exponent form: never 309 digits.
        return super::diag::fmt_num(*x);
    }
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    if (s == "1" || s == "0") && *x != 1.0 && *x != 0.0 {
        format!("{x}")
    } else {
        s
    }
}

impl WeightLevel {
    /// Validates `spec` over `items` (ids, in the order the spec indexes
    /// them). Returns every problem found: each item's own problems first,
    /// then (only when every item is fine) those of the level as a whole.
    pub fn new(items: Vec<String>, spec: LevelSpec) -> Result<WeightLevel, Vec<LevelError>> {
        let errors = check(&items, &spec);
        if errors.is_empty() {
            Ok(WeightLevel { items, spec })
        } else {
            Err(errors)
        }
    }

    /// A level with nothing known about `items`.
    pub fn unknown(items: Vec<String>) -> Result<WeightLevel, Vec<LevelError>> {
        let n = items.len();
        WeightLevel::new(items, LevelSpec::Unknown(n))
    }

    /// A level whose items are named by their 1-based position (`#1`, `#2`,
    /// …), for specs that do not come from a decision folder.
    pub fn numbered(spec: LevelSpec) -> Result<WeightLevel, Vec<LevelError>> {
        let items = (1..=spec.len()).map(|k| format!("#{k}")).collect();
        WeightLevel::new(items, spec)
    }

    /// The ids of the items, in the spec's order.
    pub fn items(&self) -> &[String] {
        &self.items
    }

    /// The specification.
    pub fn spec(&self) -> &LevelSpec {
        &self.spec
    }

    /// Number of items (at least one).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Always false: a valid level has at least one item.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

fn check(items: &[String], spec: &LevelSpec) -> Vec<LevelError> {
    let mut errors = Vec::new();
    if items.is_empty() || spec.is_empty() {
        errors.push(LevelError::Empty);
        return errors;
    }
    if spec.len() != items.len() {
        errors.push(LevelError::WrongLength {
            spec: spec.len(),
            items: items.len(),
        });
        return errors;
    }
    let item = |i: usize| items[i].clone();
    match spec {
        LevelSpec::Unknown(_) => {}
        LevelSpec::Swing(points) => {
            for (i, &value) in points.iter().enumerate() {
                if !value.is_finite() {
                    errors.push(LevelError::SwingNotFinite {
                        item: item(i),
                        value,
                    });
                } else if value < 0.0 {
                    errors.push(LevelError::SwingNegative {
                        item: item(i),
                        value,
                    });
                }
            }
            if errors.is_empty() && points.iter().all(|&p| p == 0.0) {
                errors.push(LevelError::SwingAllZero);
            }
            if errors.is_empty() {
                let largest = points.iter().copied().fold(0.0, f64::max);
                for (i, &value) in points.iter().enumerate() {
                    if value > 0.0 && value < MIN_WEIGHT_SHARE * largest {
                        errors.push(LevelError::SwingTooSmall {
                            item: item(i),
                            value,
                            largest,
                        });
                    }
                }
            }
        }
        LevelSpec::Ordinal(order) => {
            let mut seen = vec![false; order.len()];
            for &index in order {
                if index >= order.len() {
                    errors.push(LevelError::RankingOutOfRange {
                        index,
                        len: order.len(),
                    });
                } else if seen[index] {
                    errors.push(LevelError::RankingRepeated { item: item(index) });
                } else {
                    seen[index] = true;
                }
            }
        }
        LevelSpec::Bounds(bounds) => {
            for (i, &(lo, hi)) in bounds.iter().enumerate() {
                if !lo.is_finite() || !hi.is_finite() {
                    errors.push(LevelError::BoundNotFinite {
                        item: item(i),
                        lo,
                        hi,
                    });
                } else if !(0.0..=1.0).contains(&lo) || !(0.0..=1.0).contains(&hi) {
                    errors.push(LevelError::BoundOutOfRange {
                        item: item(i),
                        lo,
                        hi,
                    });
                } else if lo > hi {
                    errors.push(LevelError::BoundReversed {
                        item: item(i),
                        lo,
                        hi,
                    });
                } else if [lo, hi].iter().any(|&b| b > 0.0 && b < MIN_WEIGHT_SHARE) {
                    errors.push(LevelError::BoundTooSmall {
                        item: item(i),
                        lo,
                        hi,
                    });
                }
            }
            if errors.is_empty() {
                let sum_lo: f64 = bounds.iter().map(|b| b.0).sum();
                let sum_hi: f64 = bounds.iter().map(|b| b.1).sum();
                if sum_lo > 1.0 + BOUNDS_SUM_TOL {
                    errors.push(LevelError::LowerBoundsTooHigh {
                        items: (0..bounds.len())
                            .filter(|&i| bounds[i].0 > 0.0)
                            .map(item)
                            .collect(),
                        sum: sum_lo,
                    });
                }
                if sum_hi < 1.0 - BOUNDS_SUM_TOL {
                    errors.push(LevelError::UpperBoundsTooLow {
                        items: items.to_vec(),
                        sum: sum_hi,
                    });
                }
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        ["cost", "reach", "effect", "risk"][..n]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    fn errs(n: usize, spec: LevelSpec) -> Vec<LevelError> {
        WeightLevel::new(ids(n), spec).unwrap_err()
    }

    #[test]
    fn weights_below_the_smallest_share_are_refused() {
        let e = errs(2, LevelSpec::Swing(vec![1.0, 1e-300]));
        assert_eq!(
            e,
            vec![LevelError::SwingTooSmall {
                item: "reach".into(),
                value: 1e-300,
                largest: 1.0
            }]
        );
        assert!(
            e[0].to_string().contains("is 1e-300, less than the limit"),
            "{}",
            e[0]
        );
        assert!(WeightLevel::new(ids(2), LevelSpec::Swing(vec![1.0, 1e-9])).is_ok());
        assert!(WeightLevel::new(ids(2), LevelSpec::Swing(vec![1.0, 0.0])).is_ok());
        let e = errs(2, LevelSpec::Bounds(vec![(0.0, 1.0), (0.0, 1e-300)]));
        assert!(matches!(&e[0], LevelError::BoundTooSmall { item, .. } if item == "reach"));
        assert!(WeightLevel::new(ids(2), LevelSpec::Bounds(vec![(0.0, 1.0), (0.0, 1e-9)])).is_ok());
        // Huge swing points print compactly.
        let e = errs(2, LevelSpec::Swing(vec![f64::MAX, -f64::MAX]));
        assert!(e[0].to_string().len() < 200, "{}", e[0]);
    }

    #[test]
    fn valid_levels_are_built() {
        for spec in [
            LevelSpec::Swing(vec![100.0, 0.0, 50.0]),
            LevelSpec::Bounds(vec![(0.1, 0.3), (0.25, 0.5), (0.3, 0.6)]),
            LevelSpec::Ordinal(vec![2, 0, 1]),
            LevelSpec::Unknown(3),
        ] {
            let level = WeightLevel::new(ids(3), spec.clone()).unwrap();
            assert_eq!(level.spec(), &spec);
            assert_eq!(level.items(), ids(3));
        }
        // Bounds whose sums touch 1 within the tolerance: a single point.
        assert!(WeightLevel::new(ids(2), LevelSpec::Bounds(vec![(0.5, 0.5), (0.5, 1.0)])).is_ok());
        assert!(WeightLevel::numbered(LevelSpec::Bounds(vec![(0.0, 1.0)])).is_ok());
    }

    #[test]
    fn swing_errors_name_the_item() {
        let e = errs(3, LevelSpec::Swing(vec![1.0, -2.0, f64::NAN]));
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!(
            e[0].to_string(),
            "the weight of `reach` is -2, below zero: give zero or more"
        );
        assert_eq!(e[0].item(), Some("reach"));
        assert!(matches!(&e[1], LevelError::SwingNotFinite { item, .. } if item == "effect"));
        assert_eq!(
            errs(2, LevelSpec::Swing(vec![0.0, 0.0])),
            vec![LevelError::SwingAllZero]
        );
    }

    #[test]
    fn bounds_errors_name_every_item() {
        let e = errs(
            4,
            LevelSpec::Bounds(vec![
                (0.5, 0.2),
                (0.0, 1.5),
                (f64::INFINITY, 1.0),
                (0.0, 1.0),
            ]),
        );
        let items: Vec<_> = e.iter().map(|e| e.item().unwrap()).collect();
        assert_eq!(items, ["cost", "reach", "effect"]);
        assert_eq!(
            e[0].to_string(),
            "the lower bound of `cost` (0.5) is above its upper bound (0.2): swap or correct them"
        );
        let high = errs(
            3,
            LevelSpec::Bounds(vec![(0.7, 1.0), (0.0, 1.0), (0.5, 1.0)]),
        );
        assert_eq!(
            high[0].to_string(),
            "the lower bounds of `cost`, `effect` add up to 1.2, more than 1: no weights satisfy them all; lower some of them"
        );
        let low = errs(2, LevelSpec::Bounds(vec![(0.0, 0.3), (0.0, 0.3)]));
        assert_eq!(
            low[0].to_string(),
            "the upper bounds of `cost`, `reach` add up to 0.6, less than 1: no weights satisfy them all; raise some of them"
        );
        // Barely too high is shown with enough digits.
        let barely = errs(2, LevelSpec::Bounds(vec![(0.5, 1.0), (0.500001, 1.0)]));
        assert!(barely[0].to_string().contains("add up to 1.000001,"));
        // Within the tolerance it is feasible.
        assert!(WeightLevel::new(
            ids(2),
            LevelSpec::Bounds(vec![(0.5, 1.0), (0.5 + 0.5 * BOUNDS_SUM_TOL, 1.0)])
        )
        .is_ok());
    }

    #[test]
    fn ranking_and_shape_errors() {
        assert_eq!(
            errs(3, LevelSpec::Ordinal(vec![0, 0, 1])),
            vec![LevelError::RankingRepeated {
                item: "cost".into()
            }]
        );
        assert_eq!(
            errs(3, LevelSpec::Ordinal(vec![0, 3, 1])),
            vec![LevelError::RankingOutOfRange { index: 3, len: 3 }]
        );
        assert_eq!(errs(2, LevelSpec::Unknown(3)).len(), 1);
        assert_eq!(
            WeightLevel::unknown(Vec::new()).unwrap_err(),
            vec![LevelError::Empty]
        );
    }
}
