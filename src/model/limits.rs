//! The documented limits of a decision folder (README, "Limits"): every
//! number, text and file the loader accepts lies within them, so every
//! command gives finite results in bounded time and memory.
//!
//! Owns the constants and the small predicates the scale, distribution and
//! loader checks share. It does not report anything: the loader and the
//! validating constructors turn a violated limit into an error with its place.

/// Largest magnitude of any number of a scale, a distribution (except
/// probabilities and beta shapes) or a clamp: 10^15.
///
/// The inputs are euros, hours, percentages and counts of one region: the
/// Dutch GDP is about 10^12 euros, so 10^15 leaves three orders of magnitude
/// for any unit. It is below 2^53 ≈ 9.007·10^15, so whole numbers are exact;
/// differences and widths (at most 2·10^15), a per-inhabitant value times the
/// largest population (10^24) and sums over a million draws (10^30) stay far
/// from the overflow at 1.8·10^308, which made `worst = -1e308, best = 1e308`
/// an infinite width and NaN values.
pub const MAX_MAGNITUDE: f64 = 1e15;

/// Smallest width of a scale or of a `uniform`/`triangular`/`pert` range,
/// relative to its larger end: 10^-9.
///
/// Below it the width is lost in rounding of the ends (a double has 16
/// digits), and such an input is a certain value: write `value = …`.
pub const MIN_REL_WIDTH: f64 = 1e-9;

/// Smallest width of a scale or range in absolute terms: 10^-12, so that
/// `1 / width` (the linear scale's slope) is finite and the position of a
/// value on the scale is never `0 · ∞`.
pub const MIN_WIDTH: f64 = 1e-12;

/// Largest |curvature| of an exponential scale: 50.
///
/// `v(t) = (1 − e^(−c t)) / (1 − e^(−c))` overflows for |c| > ln(f64::MAX)
/// ≈ 709.78 (`curvature = -1000` gave ∞/∞ = NaN). Long before that the
/// shape stops being a curve: at c = 50 the value reaches 99% within the
/// first ln(100)/50 ≈ 9% of the scale, and e^50 ≈ 5·10^21 keeps both
/// `exp_m1` terms exact to a few ulps. A steeper shape is a step: write it as
/// a piecewise scale, or narrow the scale.
pub const MAX_CURVATURE: f64 = 50.0;

/// Smallest |curvature| of an exponential scale: 10^-6.
///
/// Below it the curve differs from a straight line by less than |c|/8
/// ≈ 10^-7 of the value, and below about 10^-308 `exp_m1(-c t)` rounds to 0
/// for t < 1 while the denominator does not: a curvature of 5e-324 computed
/// a step. Write a linear scale instead.
pub const MIN_CURVATURE: f64 = 1e-6;

/// Smallest beta shape parameter (alpha or beta): 10^-2.
///
/// Below it almost all probability sits within 10^-30 of an end and the
/// quantile table's tails are below the smallest normal double.
pub const BETA_SHAPE_MIN: f64 = 1e-2;

/// Largest beta shape parameter (alpha or beta): 10^6.
///
/// The incomplete beta function's continued fraction needs about
/// sqrt(alpha + beta) terms per evaluation; at 10^16 the quantile-table build
/// never ended. At 10^6 the standard deviation is below 5·10^-4 (narrower
/// than any estimate one can give) and the build takes the time measured in
/// `tests/limits.rs`.
pub const BETA_SHAPE_MAX: f64 = 1e6;

/// Largest ratio `p95 / median` of a lognormal: 10^4, so sigma ≤ 5.6 and the
/// mean (median · e^(sigma²/2) ≤ 7·10^6 · median) and every draw stay finite.
pub const LOGNORMAL_MAX_RATIO: f64 = 1e4;

/// Smallest positive weight share: a swing point above 0 is at least 10^-9
/// of its level's largest, and a bound above 0 at least 10^-9.
///
/// The money criterion converts value into euros at its scale width divided
/// by its weight: a swing point of 10^-300 gave an `evpi_eur` of 7·10^300
/// euros, and 10^-306 overflowed the rate (`evpi_eur` became null). With
/// both levels at 10^-9 of their largest and scales within 2·10^15 the rate
/// stays below 10^35. A smaller weight is no weight: write 0.
pub const MIN_WEIGHT_SHARE: f64 = 1e-9;

/// Largest total population of the region: 10^9 (the Netherlands has
/// 1.8·10^7 inhabitants); per-inhabitant values are multiplied by it.
pub const MAX_POPULATION: u64 = 1_000_000_000;

/// Largest decision file: 1 MiB. Parsing costs about 70 bytes of memory per
/// byte of TOML (a 13 MB file used 920 MB).
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// Largest decision folder: 4 MiB in all its `.toml` files.
pub const MAX_TOTAL_BYTES: usize = 4 << 20;

/// Most `.toml` files in `criteria/` or in `initiatives/`: 1,000.
pub const MAX_FILES: usize = 1000;

/// Longest id: 64 characters. Ids name JSON keys, CSV columns and command
/// line arguments (a 10 MB id made a 1.17 GB sensitivity JSON).
pub const MAX_ID_CHARS: usize = 64;

/// Longest name (a title, a name, a unit, a municipality): 200 characters,
/// one line.
pub const MAX_NAME_CHARS: usize = 200;

/// Longest text (a summary, the context, a risk, a source): 20,000
/// characters.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// Whether `x` lies within ±[`MAX_MAGNITUDE`].
pub fn in_range(x: f64) -> bool {
    x.abs() <= MAX_MAGNITUDE
}

/// Whether `lo < hi` are far enough apart to be a range (see
/// [`MIN_REL_WIDTH`] and [`MIN_WIDTH`]).
pub fn wide_enough(lo: f64, hi: f64) -> bool {
    hi - lo >= MIN_WIDTH.max(MIN_REL_WIDTH * lo.abs().max(hi.abs()))
}

/// A character that may not appear in a name or id: a control character
/// (C0, DEL, C1) or a bidirectional override that reorders what a terminal
/// or browser shows.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}
