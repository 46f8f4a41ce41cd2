//! Register-blocked kernels for the simulation's weighted sums.
//!
//! The overall value of initiative `j` in an iteration is `Σ_c w_c · v_jc`
//! over the criteria. Summing a column at a time (`total[t] += w · v[t]` for
//! each criterion) reads and writes the total column once per criterion;
//! these kernels instead keep the totals of all initiatives (up to
//! [`MAX_N`]) for four iterations in SIMD registers while they walk the
//! criteria, and write each total once (or, for the confidence factors,
//! never: they compare the totals in registers).
//!
//! The sums are formed exactly as the column form forms them: starting from
//! 0.0, adding `w_c · v_jc` in criterion order, one rounding per product and
//! per sum (no fused multiply-add), so the totals are bit-identical to it.
//! Columns are laid out as in the simulation: `v_jc` of iteration `t` at
//! `cols[(j m + c) stride + t]`; columns are read in groups of four
//! iterations up to `len` rounded up to four, which must fit in `stride`.

use wide::{f64x4, CmpEq, CmpGt};

/// The largest number of initiatives the kernels handle; above it the
/// simulation uses the column form.
pub const MAX_N: usize = 8;

/// Runs `$f::<N>(args)` for the runtime `$n` in `1..=MAX_N`.
macro_rules! dispatch {
    ($n:expr, $f:ident($($arg:expr),*)) => {
        match $n {
            1 => $f::<1>($($arg),*),
            2 => $f::<2>($($arg),*),
            3 => $f::<3>($($arg),*),
            4 => $f::<4>($($arg),*),
            5 => $f::<5>($($arg),*),
            6 => $f::<6>($($arg),*),
            7 => $f::<7>($($arg),*),
            8 => $f::<8>($($arg),*),
            n => unreachable!("kernels take 1..={MAX_N} initiatives, not {n}"),
        }
    };
}

#[inline(always)]
fn load4(s: &[f64], k: usize) -> f64x4 {
    let a: [f64; 4] = s[k..k + 4].try_into().expect("four values");
    f64x4::from(a)
}

/// The totals of initiatives `0..N` in iterations `t..t + 4`, with the
/// weight of criterion `c` in those iterations given by `w(c)`.
#[inline(always)]
fn totals4<const N: usize>(
    cols: &[f64],
    m: usize,
    stride: usize,
    t: usize,
    w: impl Fn(usize) -> f64x4,
) -> [f64x4; N] {
    let mut acc = [f64x4::ZERO; N];
    for c in 0..m {
        let wc = w(c);
        for (j, a) in acc.iter_mut().enumerate() {
            *a += wc * load4(cols, (j * m + c) * stride + t);
        }
    }
    acc
}

/// Weights of a block: one per criterion, or one per criterion and
/// iteration (`w[c * stride + t]`).
#[derive(Clone, Copy)]
pub enum Weights<'a> {
    Fixed(&'a [f64]),
    PerIteration(&'a [f64]),
}

impl Weights<'_> {
    #[inline(always)]
    fn at(self, c: usize, stride: usize, t: usize) -> f64x4 {
        match self {
            Weights::Fixed(w) => f64x4::splat(w[c]),
            Weights::PerIteration(w) => load4(w, c * stride + t),
        }
    }
}

/// `out[j * stride + t] = Σ_c w(t, c) · v(t, j, c)` for `j < n`,
/// `t < len` (rounded up to four). Requires `1 <= n <= MAX_N`.
pub fn block_totals(
    cols: &[f64],
    w: Weights,
    n: usize,
    m: usize,
    stride: usize,
    len: usize,
    out: &mut [f64],
) {
    dispatch!(n, block_totals_n(cols, w, m, stride, len, out))
}

fn block_totals_n<const N: usize>(
    cols: &[f64],
    w: Weights,
    m: usize,
    stride: usize,
    len: usize,
    out: &mut [f64],
) {
    for t in (0..len).step_by(4) {
        let tot = totals4::<N>(cols, m, stride, t, |c| w.at(c, stride, t));
        for (j, x) in tot.iter().enumerate() {
            out[j * stride + t..j * stride + t + 4].copy_from_slice(&x.to_array());
        }
    }
}

/// Under the fixed weights `w`, the share of first places of initiative `i`
/// over iterations `0..len`: an iteration counts 1 when `i`'s total is the
/// highest, `1 / k` when it ties with `k − 1` others for the highest, and 0
/// otherwise. Requires `1 <= n <= MAX_N`.
pub fn first_share(
    cols: &[f64],
    w: &[f64],
    n: usize,
    m: usize,
    stride: usize,
    i: usize,
    len: usize,
) -> f64 {
    dispatch!(n, first_share_n(cols, w, m, stride, i, len))
}

fn first_share_n<const N: usize>(
    cols: &[f64],
    w: &[f64],
    m: usize,
    stride: usize,
    i: usize,
    len: usize,
) -> f64 {
    let one = f64x4::ONE;
    let mut wins = f64x4::ZERO;
    for t in (0..len).step_by(4) {
        let tot = totals4::<N>(cols, m, stride, t, |c| f64x4::splat(w[c]));
        let own = tot[i];
        let (mut above, mut equal) = (f64x4::ZERO, f64x4::ZERO);
        for x in &tot {
            above += x.cmp_gt(own) & one;
            equal += x.cmp_eq(own) & one;
        }
        // `equal` counts `i` itself, so it is at least 1.
        let mut win = above.cmp_eq(f64x4::ZERO).blend(one / equal, f64x4::ZERO);
        if t + 4 > len {
            let live = f64x4::from(std::array::from_fn::<f64, 4, _>(|k| {
                if t + k < len {
                    1.0
                } else {
                    0.0
                }
            }));
            win *= live;
        }
        wins += win;
    }
    wins.reduce_add()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random-ish columns with ties: values on a coarse grid.
    fn columns(n: usize, m: usize, stride: usize, seed: u64) -> Vec<f64> {
        let mut x = seed;
        (0..n * m * stride)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((x >> 33) % 7) as f64 / 7.0
            })
            .collect()
    }

    #[test]
    fn totals_equal_the_column_form_bit_for_bit() {
        let (m, stride) = (5, 16);
        for n in 1..=MAX_N {
            let cols = columns(n, m, stride, n as u64);
            let wcols = columns(1, m, stride, 99);
            let fixed = [0.1, 0.3, 0.2, 0.15, 0.25];
            for w in [Weights::Fixed(&fixed), Weights::PerIteration(&wcols)] {
                let mut out = vec![0.0; n * stride];
                block_totals(&cols, w, n, m, stride, 13, &mut out);
                for j in 0..n {
                    for t in 0..13 {
                        let mut s = 0.0;
                        for c in 0..m {
                            let wc = match w {
                                Weights::Fixed(f) => f[c],
                                Weights::PerIteration(p) => p[c * stride + t],
                            };
                            s += wc * cols[(j * m + c) * stride + t];
                        }
                        assert_eq!(
                            out[j * stride + t].to_bits(),
                            s.to_bits(),
                            "n={n} j={j} t={t}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn first_share_counts_wins_and_shares_ties() {
        let (m, stride) = (3, 16);
        let w = [0.5, 0.25, 0.25];
        for n in 1..=MAX_N {
            let cols = columns(n, m, stride, 7 + n as u64);
            for len in [1, 4, 13, 16] {
                for i in 0..n {
                    let mut expected = 0.0;
                    for t in 0..len {
                        let tot = |j: usize| {
                            (0..m).fold(0.0, |s, c| s + w[c] * cols[(j * m + c) * stride + t])
                        };
                        let own = tot(i);
                        let above = (0..n).filter(|&j| tot(j) > own).count();
                        let equal = (0..n).filter(|&j| tot(j) == own).count();
                        if above == 0 {
                            expected += 1.0 / equal as f64;
                        }
                    }
                    let got = first_share(&cols, &w, n, m, stride, i, len);
                    assert!(
                        (got - expected).abs() < 1e-12,
                        "n={n} i={i} len={len}: {got} vs {expected}"
                    );
                }
            }
        }
    }
}
