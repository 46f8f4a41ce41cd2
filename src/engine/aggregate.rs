//! The aggregation of an alternative's values (0..1, one per criterion) into
//! its total: the one place that says how values and weights make a total.
//!
//! Today the only aggregation is the additive weighted sum of MAVT,
//! `total = Σ_c w_c · v_c`, summed from 0.0 in criterion order with one
//! rounding per product and per sum. Its fast path for blocks of iterations
//! is the register kernels of [`super::kernels`] (up to
//! [`kernels::MAX_N`] alternatives); above that, the column form here gives
//! bit-identical totals for any number of alternatives.
//!
//! Owns the totals (one alternative, all alternatives of a row, a block of
//! iterations in columns, and every alternative under several weight
//! vectors). Does not own ranking or comparison of totals, nor the values
//! and weights themselves ([`super::compiled`]). Code that relies on the
//! total being linear in each value and weight (the sensitivity's exact
//! shortcuts) asks [`Aggregation::is_additive`].

use super::kernels;

pub use super::kernels::Weights as BlockWeights;

/// How the values of an alternative make its total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// `Σ_c w_c · v_c` (additive MAVT).
    WeightedSum,
}

impl Aggregation {
    /// Whether the total is `Σ_c w_c · v_c`: linear in every value and every
    /// weight, so that changes of one input add up exactly.
    pub fn is_additive(self) -> bool {
        match self {
            Aggregation::WeightedSum => true,
        }
    }

    /// The part of the total due to one criterion: `w · v`.
    pub fn contribution(self, value: f64, weight: f64) -> f64 {
        match self {
            Aggregation::WeightedSum => value * weight,
        }
    }

    /// The total of one alternative: `values[c]` with `weights[c]`.
    pub fn total(self, values: &[f64], weights: &[f64]) -> f64 {
        match self {
            Aggregation::WeightedSum => {
                let mut total = 0.0;
                for (&v, &w) in values.iter().zip(weights) {
                    total += self.contribution(v, w);
                }
                total
            }
        }
    }

    /// `out[a]` = the total of alternative `a`, whose values are
    /// `values[a * m .. (a + 1) * m]` with `m = weights.len()`.
    pub fn totals(self, values: &[f64], weights: &[f64], out: &mut [f64]) {
        let m = weights.len();
        for (a, o) in out.iter_mut().enumerate() {
            *o = self.total(&values[a * m..(a + 1) * m], weights);
        }
    }

    /// Totals of a block of iterations held in columns:
    /// `out[a * stride + t]` = the total of alternative `a` in iteration
    /// `t < len` with value `cols[(a m + c) stride + t]` and the weights `w`.
    /// Up to [`kernels::MAX_N`] alternatives in registers (`len` rounded up
    /// to four, which must fit in `stride`), any number in columns; both
    /// give the same bits.
    #[allow(clippy::too_many_arguments)]
    pub fn block_totals(
        self,
        cols: &[f64],
        w: BlockWeights,
        n: usize,
        m: usize,
        stride: usize,
        len: usize,
        out: &mut [f64],
    ) {
        match self {
            Aggregation::WeightedSum if n <= kernels::MAX_N => {
                kernels::block_totals(cols, w, n, m, stride, len, out);
            }
            Aggregation::WeightedSum => {
                for a in 0..n {
                    let tot = &mut out[a * stride..a * stride + len];
                    tot.fill(0.0);
                    for c in 0..m {
                        let v = &cols[(a * m + c) * stride..(a * m + c) * stride + len];
                        match w {
                            BlockWeights::Fixed(w) => {
                                let wc = w[c];
                                for (t, x) in tot.iter_mut().zip(v) {
                                    *t += wc * x;
                                }
                            }
                            BlockWeights::PerIteration(w) => {
                                let w = &w[c * stride..c * stride + len];
                                for ((t, x), wc) in tot.iter_mut().zip(v).zip(w) {
                                    *t += wc * x;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Totals of every alternative under each of several fixed weight
    /// vectors, reading each value column once:
    /// `cross[(i n + a) stride + t]` = the total of alternative `a` in
    /// iteration `t` under `weights[i]` (left untouched where `weights[i]`
    /// is `None`). Same bits as [`Aggregation::block_totals`] per vector.
    #[allow(clippy::too_many_arguments)]
    pub fn cross_totals(
        self,
        cols: &[f64],
        weights: &[Option<Vec<f64>>],
        n: usize,
        m: usize,
        stride: usize,
        len: usize,
        cross: &mut [f64],
    ) {
        match self {
            Aggregation::WeightedSum => {
                for x in cross.iter_mut() {
                    *x = 0.0;
                }
                for a in 0..n {
                    for c in 0..m {
                        let v = &cols[(a * m + c) * stride..(a * m + c) * stride + len];
                        for (i, cw) in weights.iter().enumerate() {
                            let Some(cw) = cw else { continue };
                            let w = cw[c];
                            let dst = &mut cross[(i * n + a) * stride..(i * n + a) * stride + len];
                            for (d, &x) in dst.iter_mut().zip(v) {
                                *d += w * x;
                            }
                        }
                    }
                }
            }
        }
    }

    /// Whether [`Aggregation::first_share`] can score `n` alternatives (the
    /// register fast path).
    pub fn has_register_path(self, n: usize) -> bool {
        match self {
            Aggregation::WeightedSum => n <= kernels::MAX_N,
        }
    }

    /// Under the fixed weights `w`, the share of first places of
    /// alternative `i` over iterations `0..len` of a block (ties shared),
    /// from totals formed in registers and compared in `f32` where a proven
    /// bound allows (see [`kernels::first_share`]). Only when
    /// [`Aggregation::has_register_path`] holds for `n`.
    #[allow(clippy::too_many_arguments)]
    pub fn first_share(
        self,
        cols: &[f64],
        cols32: &[f32],
        w: &[f64],
        n: usize,
        m: usize,
        stride: usize,
        i: usize,
        len: usize,
    ) -> f64 {
        match self {
            Aggregation::WeightedSum => kernels::first_share(cols, cols32, w, n, m, stride, i, len),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The register kernels and the column form give the same bits for the
    /// same block, with per-iteration and with fixed weights.
    #[test]
    fn register_and_column_paths_agree_bit_for_bit() {
        let (n, m, stride, len) = (5, 3, 8, 7);
        let cols: Vec<f64> = (0..n * m * stride)
            .map(|k| ((k * 7919) % 1000) as f64 / 997.0)
            .collect();
        let wcols: Vec<f64> = (0..m * stride)
            .map(|k| ((k * 104_729) % 100) as f64 / 300.0)
            .collect();
        let fixed = [0.2, 0.3, 0.5];
        for w in [
            BlockWeights::Fixed(&fixed),
            BlockWeights::PerIteration(&wcols),
        ] {
            let mut fast = vec![0.0; n * stride];
            kernels::block_totals(&cols, w, n, m, stride, len, &mut fast);
            let mut plain = vec![0.0; n * stride];
            // n > MAX_N takes the column form: pad with copies to reach it.
            let big = kernels::MAX_N + 1;
            let mut big_cols = vec![0.0; big * m * stride];
            big_cols[..n * m * stride].copy_from_slice(&cols);
            let mut big_out = vec![0.0; big * stride];
            Aggregation::WeightedSum.block_totals(&big_cols, w, big, m, stride, len, &mut big_out);
            plain.copy_from_slice(&big_out[..n * stride]);
            for a in 0..n {
                for t in 0..len {
                    let k = a * stride + t;
                    assert_eq!(fast[k].to_bits(), plain[k].to_bits(), "a {a} t {t}");
                    let values: Vec<f64> = (0..m).map(|c| cols[(a * m + c) * stride + t]).collect();
                    let weights: Vec<f64> = match w {
                        BlockWeights::Fixed(f) => f.to_vec(),
                        BlockWeights::PerIteration(p) => {
                            (0..m).map(|c| p[c * stride + t]).collect()
                        }
                    };
                    let one = Aggregation::WeightedSum.total(&values, &weights);
                    assert_eq!(one.to_bits(), plain[k].to_bits());
                }
            }
        }
    }
}
