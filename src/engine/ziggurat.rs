//! Standard normal draws by the ziggurat method, split into a fast path
//! that works on one random word (and so runs on whole columns of words)
//! and an exact slow path for the ~1.2% of words it rejects.
//!
//! The method and the tables are those of `rand_distr::StandardNormal`:
//! Marsaglia & Tsang (2000) with 256 layers, in the variant of Doornik
//! (2005, "An improved ziggurat method to generate normal random samples"),
//! `R = 3.6541528853610088` and layer area `V = 0.00492867323399`. The
//! tables are computed once at first use by the same recurrence as rand's
//! `ziggurat_tables.py`, and a test compares them with rand's published
//! values. A word `r` gives the layer `i = r & 0xff` and `u = 2·U − 1` in
//! `[−1, 1)` from its top 52 bits ([`crate::engine::rng::signed_unit`]); `x = u · X[i]` is accepted at once when
//! `|x| < X[i + 1]` (inside the layer's rectangle). Otherwise
//! [`Ziggurat::slow`] finishes that same draw exactly as the sequential
//! algorithm would (the wedge test, or the tail for `i = 0`, and a fresh
//! word on rejection), so the output is an exact standard normal draw (to
//! the rounding of the tables: the top layer closes the ziggurat to ~1e-9 of
//! its area, i.e. a CDF error of order 1e-11, as in rand_distr).

use std::sync::OnceLock;

use rand::RngCore;

use super::rng::{open_unit, signed_unit, unit};

/// Start of the tail (the right edge of the base layer's rectangle).
pub const R: f64 = 3.654_152_885_361_009;
/// Area of every layer.
const V: f64 = 0.004_928_673_233_99;
/// Layers.
const LAYERS: usize = 256;

/// The ziggurat tables: `x[i]` the layer edges (`x[1] = R`, `x[256] = 0`,
/// `x[0] = V / f(R)` for the base layer) and `f[i] = f(x[i])`, with the
/// unnormalised density `f(x) = exp(−x²/2)`.
#[derive(Debug)]
pub struct Ziggurat {
    pub x: [f64; LAYERS + 1],
    pub f: [f64; LAYERS + 1],
}

fn pdf(x: f64) -> f64 {
    (-x * x / 2.0).exp()
}

/// The tables, computed on first use.
pub fn tables() -> &'static Ziggurat {
    static TABLES: OnceLock<Ziggurat> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut x = [0.0; LAYERS + 1];
        x[0] = V / pdf(R);
        x[1] = R;
        for i in 2..LAYERS {
            let last = x[i - 1];
            x[i] = (-2.0 * (V / last + pdf(last)).ln()).sqrt();
        }
        let f = x.map(pdf);
        Ziggurat { x, f }
    })
}

impl Ziggurat {
    /// The fast path of the draw from word `r`: `(x, accepted)`. When not
    /// accepted, [`Ziggurat::slow`] gives the draw.
    #[inline(always)]
    pub fn fast(&self, r: u64) -> (f64, bool) {
        let i = (r & 0xff) as usize;
        let u = signed_unit(r);
        let x = u * self.x[i];
        (x, x.abs() < self.x[i + 1])
    }

    /// The whole draw that starts with word `r` (whose fast path was not
    /// accepted), with further words from `rng` as the algorithm needs them.
    #[cold]
    pub fn slow(&self, mut r: u64, rng: &mut impl RngCore) -> f64 {
        loop {
            let (x, accepted) = self.fast(r);
            if accepted {
                return x;
            }
            let i = (r & 0xff) as usize;
            if i == 0 {
                return tail(x, rng);
            }
            if self.f[i + 1] + (self.f[i] - self.f[i + 1]) * unit(rng.next_u64()) < pdf(x) {
                return x;
            }
            r = rng.next_u64();
        }
    }

    /// One whole draw from `rng`.
    #[inline]
    pub fn sample(&self, rng: &mut impl RngCore) -> f64 {
        let r = rng.next_u64();
        match self.fast(r) {
            (x, true) => x,
            _ => self.slow(r, rng),
        }
    }
}

/// Marsaglia's (1964) exact tail beyond `R`, on the side of `x`'s sign.
fn tail(x: f64, rng: &mut impl RngCore) -> f64 {
    loop {
        let a = open_unit(rng.next_u64()).ln() / R;
        let b = open_unit(rng.next_u64()).ln();
        if -2.0 * b >= a * a {
            return if x < 0.0 { a - R } else { R - a };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables equal rand_distr's published `ZIG_NORM_X` / `ZIG_NORM_F`
    /// (values copied from rand_distr 0.4.3, `ziggurat_tables.rs`, to the
    /// shortest decimals that give the same doubles).
    #[test]
    fn tables_match_rand_distr() {
        let t = tables();
        let x = [
            (0, 3.91075795953709),
            (1, 3.654152885361009),
            (2, 3.4492782985609645),
            (3, 3.320244733839166),
            (7, 3.0278377917686354),
            (55, 2.113687150684934),
        ];
        for (i, v) in x {
            assert!(
                (t.x[i] - v).abs() <= 4.0 * f64::EPSILON * v,
                "x[{i}] = {}",
                t.x[i]
            );
        }
        assert_eq!(t.x[LAYERS], 0.0);
        assert_eq!(t.f[LAYERS], 1.0);
        // Layers are nested and every layer has area V (the recurrence
        // makes it so to rounding; the top layer closes the ziggurat only
        // to the 17 digits of R, relative error ~1e-9).
        for i in 1..LAYERS {
            assert!(t.x[i + 1] < t.x[i]);
            let area = t.x[i] * (t.f[i + 1] - t.f[i]);
            let tol = if i + 1 == LAYERS { 1e-8 * V } else { 1e-12 };
            assert!((area - V).abs() < tol, "layer {i}: {area}");
        }
    }

    #[test]
    fn fast_path_accepts_most_words() {
        let t = tables();
        let mut rng = crate::engine::rng::stream(3, 0);
        let n = 1_000_000;
        let accepted = (0..n).filter(|_| t.fast(rng.next_u64()).1).count();
        let rate = accepted as f64 / n as f64;
        assert!(rate > 0.985 && rate < 0.995, "{rate}");
    }
}
