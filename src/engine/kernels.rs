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

use wide::{f32x4, f64x4, CmpEq, CmpGt, CmpLe, CmpLt};

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
/// otherwise. Requires `1 <= n <= MAX_N`, weights that are non-negative and
/// sum to 1, and values in `[0, 1]`.
///
/// `cols32` holds the same columns rounded to `f32`. The totals are first
/// formed in `f32`, four lanes per register instead of two, and an
/// iteration is decided from them when every difference to `i`'s total
/// exceeds [`f32_margin`], the proven bound on how far the `f32`
/// difference can be from the `f64` one; otherwise (about one iteration in
/// 10^4) its group of four is decided from the `f64` totals. The result is
/// therefore exactly that of the `f64` totals.
#[allow(clippy::too_many_arguments)]
pub fn first_share(
    cols: &[f64],
    cols32: &[f32],
    w: &[f64],
    n: usize,
    m: usize,
    stride: usize,
    i: usize,
    len: usize,
) -> f64 {
    if m > MAX_M_F32 {
        return dispatch!(n, first_share_f64(cols, w, m, stride, i, len));
    }
    let mut w32 = [0f32; MAX_M_F32];
    for (a, &b) in w32.iter_mut().zip(w) {
        *a = b as f32;
    }
    let w32 = &w32[..m];
    dispatch!(n, first_share_n(cols, cols32, w, w32, m, stride, i, len))
}

/// Criteria up to which [`first_share`] filters with `f32` totals.
const MAX_M_F32: usize = 64;

/// A bound on `|d32 − d64|` for the difference `d` of two totals over `m`
/// criteria formed in `f32` (from values and weights rounded to `f32`)
/// and in `f64`: each total is a sum of `m` products of non-negative
/// numbers with `Σ w v ≤ 1`, so rounding the inputs, the products and the
/// partial sums moves it by at most `γ_(m+2) = (m + 2) u / (1 − (m + 2) u)`
/// with `u = 2^-24` (Higham, Accuracy and Stability of Numerical
/// Algorithms, §3.1), the `f64` total by at most `(m + 2) · 2^-53`, and the
/// `f32` subtraction by at most `u` of the difference. Twice the first two,
/// plus the third, with a 25% margin and an absolute term for values that
/// underflow in `f32`.
pub fn f32_margin(m: usize) -> f32 {
    let k = (m + 2) as f64;
    let u = f64::from(f32::EPSILON) / 2.0;
    let gamma = k * u / (1.0 - k * u);
    let bound = 2.0 * gamma + 2.0 * k * f64::EPSILON / 2.0;
    // |d32| <= 1 + bound, and its own rounding is at most u |d32|.
    ((bound + u * (1.0 + bound)) * 1.25 + 1e-30) as f32
}

/// The sum of the four lanes in a fixed order, `(a0 + a1) + (a2 + a3)`.
/// `f64x4::reduce_add` adds in a different order when AVX is enabled, and
/// sums of tie shares such as 1/3 round differently in the two orders;
/// this keeps the result independent of the build's instruction set.
#[inline(always)]
fn sum_lanes(x: f64x4) -> f64 {
    let a = x.to_array();
    (a[0] + a[1]) + (a[2] + a[3])
}

#[inline(always)]
fn load4_f32(s: &[f32], k: usize) -> f32x4 {
    let a: [f32; 4] = s[k..k + 4].try_into().expect("four values");
    f32x4::from(a)
}

/// Lanes `t..t + 4` that lie before `len`, as 1.0 (live) or 0.0.
#[inline(always)]
fn live_lanes(t: usize, len: usize) -> f64x4 {
    f64x4::from(std::array::from_fn::<f64, 4, _>(|k| {
        if t + k < len {
            1.0
        } else {
            0.0
        }
    }))
}

/// The first-place shares of `i` in iterations `t..t + 4` from the `f64`
/// totals (1, `1 / k` for a `k`-way tie for first, or 0 per lane).
#[inline(always)]
fn wins4_f64<const N: usize>(
    cols: &[f64],
    w: &[f64],
    m: usize,
    stride: usize,
    i: usize,
    t: usize,
) -> f64x4 {
    let one = f64x4::ONE;
    let tot = totals4::<N>(cols, m, stride, t, |c| f64x4::splat(w[c]));
    let own = tot[i];
    let (mut above, mut equal) = (f64x4::ZERO, f64x4::ZERO);
    for x in &tot {
        above += x.cmp_gt(own) & one;
        equal += x.cmp_eq(own) & one;
    }
    // `equal` counts `i` itself, so it is at least 1.
    above.cmp_eq(f64x4::ZERO).blend(one / equal, f64x4::ZERO)
}

/// [`first_share`] from the `f64` totals alone.
fn first_share_f64<const N: usize>(
    cols: &[f64],
    w: &[f64],
    m: usize,
    stride: usize,
    i: usize,
    len: usize,
) -> f64 {
    let mut wins = f64x4::ZERO;
    for t in (0..len).step_by(4) {
        let mut win = wins4_f64::<N>(cols, w, m, stride, i, t);
        if t + 4 > len {
            win *= live_lanes(t, len);
        }
        wins += win;
    }
    sum_lanes(wins)
}

#[allow(clippy::too_many_arguments)]
fn first_share_n<const N: usize>(
    cols: &[f64],
    cols32: &[f32],
    w: &[f64],
    w32: &[f32],
    m: usize,
    stride: usize,
    i: usize,
    len: usize,
) -> f64 {
    let margin = f32x4::splat(f32_margin(m));
    let mut wins = f64x4::ZERO;
    for t in (0..len).step_by(4) {
        let mut tot = [f32x4::ZERO; N];
        for (c, &wc) in w32.iter().enumerate() {
            let wc = f32x4::splat(wc);
            for (j, a) in tot.iter_mut().enumerate() {
                *a += wc * load4_f32(cols32, (j * m + c) * stride + t);
            }
        }
        let own = tot[i];
        // Lanes where some other initiative is surely above, and lanes
        // where some difference is too small to decide in f32.
        let (mut above, mut unsure) = (f32x4::ZERO, f32x4::ZERO);
        for (j, x) in tot.iter().enumerate() {
            if j != i {
                let d = *x - own;
                above |= d.cmp_gt(margin);
                unsure |= d.abs().cmp_le(margin);
            }
        }
        let mut win = if unsure.any() {
            wins4_f64::<N>(cols, w, m, stride, i, t)
        } else {
            // No ties here: first means a share of exactly 1.
            let bits = above.move_mask();
            f64x4::from(std::array::from_fn::<f64, 4, _>(|k| {
                if bits & (1 << k) == 0 {
                    1.0
                } else {
                    0.0
                }
            }))
        };
        if t + 4 > len {
            win *= live_lanes(t, len);
        }
        wins += win;
    }
    sum_lanes(wins)
}

/// Compares the totals of a block (`tot[j * stride + t]`, `t < len`):
/// adds to `beats[i * n + j]` (`j != i`) the number of iterations in which
/// `i`'s total is above `j`'s plus half the number in which they are equal,
/// and writes for each `i` and `t` how many totals are above `i`'s
/// (`above[i * stride + t]`) and how many equal it, `i` itself included
/// (`equal[i * stride + t]`). Requires `1 <= n <= MAX_N`. The counts are
/// exact (small integers and halves in `f64`).
pub fn compare_block(
    tot: &[f64],
    n: usize,
    stride: usize,
    len: usize,
    beats: &mut [f64],
    above: &mut [u8],
    equal: &mut [u8],
) {
    dispatch!(n, compare_block_n(tot, stride, len, beats, above, equal))
}

fn compare_block_n<const N: usize>(
    tot: &[f64],
    stride: usize,
    len: usize,
    beats: &mut [f64],
    above: &mut [u8],
    equal: &mut [u8],
) {
    let (one, half) = (f64x4::ONE, f64x4::splat(0.5));
    for i in 0..N {
        let mut wins = [f64x4::ZERO; N];
        for t in (0..len).step_by(4) {
            let own = load4(tot, i * stride + t);
            let live = if t + 4 > len { live_lanes(t, len) } else { one };
            let (mut up, mut same) = (f64x4::ZERO, f64x4::ZERO);
            for (j, win) in wins.iter_mut().enumerate() {
                let x = load4(tot, j * stride + t);
                up += x.cmp_gt(own) & one;
                same += x.cmp_eq(own) & one;
                *win += ((x.cmp_lt(own) & one) + (x.cmp_eq(own) & half)) * live;
            }
            let (up, same) = (up.to_array(), same.to_array());
            for k in 0..4 {
                // At most MAX_N: fits a byte.
                above[i * stride + t + k] = up[k] as u8;
                equal[i * stride + t + k] = same[k] as u8;
            }
        }
        for (j, win) in wins.iter().enumerate() {
            if j != i {
                beats[i * N + j] += sum_lanes(*win);
            }
        }
    }
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
                    let cols32: Vec<f32> = cols.iter().map(|&x| x as f32).collect();
                    let got = first_share(&cols, &cols32, &w, n, m, stride, i, len);
                    assert!(
                        (got - expected).abs() < 1e-12,
                        "n={n} i={i} len={len}: {got} vs {expected}"
                    );
                }
            }
        }
    }

    /// A tiny generator for the tests below.
    struct Lcg(u64);
    impl Lcg {
        fn unit(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// The f32 filter decides exactly as the f64 totals: continuous values
    /// (nearly always decided in f32) and values with near-ties (some
    /// groups fall back to f64) give the same shares as the f64 kernel.
    #[test]
    fn f32_filter_gives_the_f64_result() {
        let (m, stride) = (12, 256);
        let mut rng = Lcg(3);
        for n in 2..=MAX_N {
            let mut w: Vec<f64> = (0..m).map(|_| rng.unit()).collect();
            let sum: f64 = w.iter().sum();
            w.iter_mut().for_each(|x| *x /= sum);
            // In every third iteration initiative 1 differs from
            // initiative 0 by ±5e-8 per value, so their totals differ by
            // less than f32 can resolve, in either direction.
            let mut cols: Vec<f64> = (0..n * m * stride).map(|_| rng.unit()).collect();
            for t in (0..stride).step_by(3) {
                for c in 0..m {
                    cols[(m + c) * stride + t] = cols[c * stride + t] + 1e-7 * (rng.unit() - 0.5);
                }
            }
            let cols32: Vec<f32> = cols.iter().map(|&x| x as f32).collect();
            for i in 0..n {
                for len in [stride, 250] {
                    let exact = dispatch!(n, first_share_f64(&cols, &w, m, stride, i, len));
                    let got = first_share(&cols, &cols32, &w, n, m, stride, i, len);
                    assert_eq!(got.to_bits(), exact.to_bits(), "n={n} i={i} len={len}");
                }
            }
        }
    }

    /// The margin bounds the f32 difference's error, also in adversarial
    /// cases (weight on few criteria, values near 1 and near 0).
    #[test]
    fn f32_margin_bounds_the_difference_error() {
        let mut rng = Lcg(11);
        for m in [1, 2, 5, 12, 40, 64] {
            let margin = f64::from(f32_margin(m));
            let mut worst = 0.0f64;
            for case in 0..20_000 {
                let mut w: Vec<f64> = (0..m).map(|_| rng.unit().powi(1 + case % 4)).collect();
                let sum: f64 = w.iter().sum();
                w.iter_mut().for_each(|x| *x /= sum);
                let draw = |rng: &mut Lcg| -> Vec<f64> {
                    (0..m)
                        .map(|_| match case % 3 {
                            0 => rng.unit(),
                            1 => 1.0 - rng.unit() * 1e-3,
                            _ => rng.unit() * 1e-3,
                        })
                        .collect()
                };
                let (a, b) = (draw(&mut rng), draw(&mut rng));
                let t64 = |x: &[f64]| x.iter().zip(&w).fold(0.0, |s, (x, w)| s + w * x);
                let t32 = |x: &[f64]| {
                    x.iter()
                        .zip(&w)
                        .fold(0.0f32, |s, (x, w)| s + (*w as f32) * (*x as f32))
                };
                let d64 = t64(&b) - t64(&a);
                let d32 = f64::from(t32(&b) - t32(&a));
                worst = worst.max((d32 - d64).abs());
            }
            println!("m = {m}: worst |d32 - d64| = {worst:.3e}, margin {margin:.3e}");
            assert!(worst <= margin, "m={m}: {worst:e} > {margin:e}");
        }
    }

    /// The block comparison equals the per-iteration comparison.
    #[test]
    fn compare_block_counts_like_the_plain_loop() {
        let stride = 16;
        for n in 1..=MAX_N {
            // Few distinct values, so ties are common.
            let tot = columns(n, 1, stride, 31 + n as u64);
            for len in [3, 16] {
                let mut beats = vec![0.0; n * n];
                let mut above = vec![0u8; n * stride];
                let mut equal = vec![0u8; n * stride];
                compare_block(&tot, n, stride, len, &mut beats, &mut above, &mut equal);
                let mut expect = vec![0.0; n * n];
                for t in 0..len {
                    for i in 0..n {
                        let ti = tot[i * stride + t];
                        let col = |j: usize| tot[j * stride + t];
                        let up = (0..n).filter(|&j| col(j) > ti).count();
                        let same = (0..n).filter(|&j| col(j) == ti).count();
                        assert_eq!(usize::from(above[i * stride + t]), up);
                        assert_eq!(usize::from(equal[i * stride + t]), same);
                        for j in (0..n).filter(|&j| j != i) {
                            expect[i * n + j] += if ti > col(j) {
                                1.0
                            } else if ti == col(j) {
                                0.5
                            } else {
                                0.0
                            };
                        }
                    }
                }
                assert_eq!(beats, expect, "n={n} len={len}");
            }
        }
    }

    /// Shares of multi-way ties are summed lane by lane and then in the
    /// fixed order (l0 + l1) + (l2 + l3), whatever the instruction set.
    /// (`f64x4::reduce_add` sums these lanes to a different double under
    /// `-C target-cpu=native`; this test caught it there.)
    #[test]
    fn tie_shares_are_summed_in_a_fixed_order() {
        let (n, m, stride, len) = (3, 1, 256, 201);
        // Initiative 0 ties with 1 for first in every sixth iteration (a
        // share of 1/2) and with both others in the rest (1/3).
        let mut cols = vec![0.5; n * m * stride];
        for t in (0..stride).step_by(6) {
            cols[2 * stride + t] = 0.2;
        }
        let cols32: Vec<f32> = cols.iter().map(|&x| x as f32).collect();
        let mut lanes = [0.0f64; 4];
        for t in 0..len {
            lanes[t % 4] += if t % 6 == 0 { 0.5 } else { 1.0 / 3.0 };
        }
        let expected = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        let got = first_share(&cols, &cols32, &[1.0], n, m, stride, 0, len);
        assert_eq!(got.to_bits(), expected.to_bits(), "{got} vs {expected}");
    }
}
