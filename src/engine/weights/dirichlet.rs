//! Flat Dirichlet draws: uniform points of the simplex, the primitive of
//! every uncertain weight level (unknown levels, rankings, the rejection
//! sampler of bounds).
//!
//! Owns the sorted-uniform spacings (register sorting networks for 3 and 4
//! elements, insertion sort up to [`SPACINGS_MAX`]) and the normalised
//! exponentials above that. The column-at-a-time path of
//! [`super::Level::sample_columns`] reuses the spacing networks. It does not
//! know about levels or bounds.

use rand::{Rng as _, RngCore};
use rand_distr::Exp1;

use super::Rng;
use crate::engine::rng::unit;

/// Compare-exchange on registers: `if a < b` selects compile to minsd/maxsd
/// (or minpd/maxpd in a vectorised loop), no branches (random comparisons
/// would mispredict).
#[inline(always)]
pub(super) fn cx(a: f64, b: f64) -> (f64, f64) {
    (if a < b { a } else { b }, if a < b { b } else { a })
}

/// The spacings of two uniforms on (0, 1): a flat Dirichlet of 3 elements.
#[inline(always)]
pub(super) fn spacings3(u: f64, v: f64) -> [f64; 3] {
    let (a, b) = cx(u, v);
    [a, b - a, 1.0 - b]
}

/// The spacings of three uniforms on (0, 1), sorted by a three-comparator
/// network: a flat Dirichlet of 4 elements.
#[inline(always)]
pub(super) fn spacings4(x: f64, y: f64, z: f64) -> [f64; 4] {
    let (x, y) = cx(x, y);
    let (y, z) = cx(y, z);
    let (x, y) = cx(x, y);
    [x, y - x, z - y, 1.0 - z]
}

/// Up to this many elements a flat Dirichlet draw uses sorted-uniform
/// spacings on the stack; above it, normalised exponentials.
pub(super) const SPACINGS_MAX: usize = 16;

/// One flat Dirichlet draw (uniform on the simplex) into `out`.
///
/// For small `n`: the gaps between `n − 1` sorted uniforms on (0, 1) (and the
/// ends), which are exactly uniform on the simplex and cost `n − 1` uniforms
/// and a tiny insertion sort instead of `n` logarithms. Larger `n`: standard
/// exponentials (`rand_distr::Exp1`, ziggurat) divided by their sum.
pub(super) fn flat_dirichlet(rng: &mut Rng, out: &mut [f64]) {
    let n = out.len();
    if n == 1 {
        out[0] = 1.0;
        return;
    }
    let uniform = |rng: &mut Rng| unit(rng.next_u64());
    if n == 3 {
        let (u, v) = (uniform(rng), uniform(rng));
        out.copy_from_slice(&spacings3(u, v));
    } else if n == 4 {
        let (x, y, z) = (uniform(rng), uniform(rng), uniform(rng));
        out.copy_from_slice(&spacings4(x, y, z));
    } else if n <= SPACINGS_MAX {
        let mut u = [0.0f64; SPACINGS_MAX];
        for x in u.iter_mut().take(n - 1) {
            *x = uniform(rng);
        }
        sort_small(&mut u[..n - 1]);
        let mut prev = 0.0;
        for (o, &x) in out.iter_mut().zip(&u[..n - 1]) {
            *o = x - prev;
            prev = x;
        }
        out[n - 1] = 1.0 - prev;
    } else {
        let mut sum = 0.0;
        for x in out.iter_mut() {
            let e: f64 = rng.sample(Exp1);
            *x = e;
            sum += e;
        }
        let inv = 1.0 / sum;
        for x in out.iter_mut() {
            *x *= inv;
        }
    }
}

/// Sorts a few numbers ascending. Up to four: a branch-free sorting network
/// (the comparisons of random draws would mispredict); above: insertion sort.
pub(super) fn sort_small(u: &mut [f64]) {
    #[inline(always)]
    fn cs(u: &mut [f64], i: usize, j: usize) {
        let (a, b) = (u[i], u[j]);
        u[i] = if b < a { b } else { a };
        u[j] = if b < a { a } else { b };
    }
    match u.len() {
        0 | 1 => {}
        2 => cs(u, 0, 1),
        3 => {
            cs(u, 0, 1);
            cs(u, 1, 2);
            cs(u, 0, 1);
        }
        4 => {
            cs(u, 0, 1);
            cs(u, 2, 3);
            cs(u, 0, 2);
            cs(u, 1, 3);
            cs(u, 1, 2);
        }
        _ => {
            for k in 1..u.len() {
                let x = u[k];
                let mut j = k;
                while j > 0 && u[j - 1] > x {
                    u[j] = u[j - 1];
                    j -= 1;
                }
                u[j] = x;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn small_sorts_sort() {
        let mut rng = Rng::seed_from_u64(5);
        for n in 0..=9 {
            for _ in 0..200 {
                let mut v: Vec<f64> = (0..n).map(|_| rng.gen::<f64>()).collect();
                let mut want = v.clone();
                want.sort_by(f64::total_cmp);
                sort_small(&mut v);
                assert_eq!(v, want);
            }
        }
    }
}
