//! The expected value of partial perfect information (EVPPI) of one input
//! and its error bar: the one-level Monte Carlo integral over the input's
//! draws with the exact linear conditional expectation, and the
//! delta-method term for the noise of the plug-in means (the parent
//! module's docs, "EVPPI error bars", give the method).
//!
//! Owns the estimator and its pilot sample; the design rows, the factors and
//! the merging of batches are the parent's.

use super::{stream, Factor, Level, LevelState, Model, Row, EVPPI_STREAMS, PILOT_STREAM, Z95};

/// Rows of the pilot sample that measures the noise of the plug-in means
/// (see the module docs, "EVPPI error bars").
const PILOT_ROWS: usize = 4096;
/// Consecutive pilot rows per block: the block means carry any
/// autocorrelation of the weight draws (hit-and-run) into the variance.
const PILOT_BLOCK: usize = 64;

/// The pilot sample of the plug-in means' noise: the means of blocks of
/// [`PILOT_BLOCK`] consecutive rows of inputs (the `n · m` 0..1 values, then
/// the `m` global weights), drawn from their own stream as the Sobol design
/// draws its rows.
pub(super) fn plugin_pilot(model: &Model, seed: u64) -> Vec<Vec<f64>> {
    let dim = model.n * model.m + model.m;
    let mut rng = stream(seed, PILOT_STREAM);
    let mut states: Vec<LevelState> = std::iter::once(model.group_level.new_state())
        .chain(model.local_levels.iter().map(Level::new_state))
        .collect();
    let mut scratch = Vec::new();
    let mut row = model.new_row();
    (0..PILOT_ROWS / PILOT_BLOCK)
        .map(|_| {
            let mut mean = vec![0.0; dim];
            for _ in 0..PILOT_BLOCK {
                model.draw(&mut rng, &mut states, &mut scratch, &mut row);
                for (x, v) in mean.iter_mut().zip(row.v.iter().chain(&row.w)) {
                    *x += v;
                }
            }
            for x in &mut mean {
                *x /= PILOT_BLOCK as f64;
            }
            mean
        })
        .collect()
}

/// The plug-in means of one EVPPI estimate and the noise they carry.
pub(super) struct PlugIn<'a> {
    /// Mean 0..1 value of every (initiative, criterion), flat `i * m + c`.
    pub(super) ev: &'a [f64],
    /// Mean global weight of every criterion.
    pub(super) ew: &'a [f64],
    /// `mu_i = Σ_c ew_c · ev_ic`, the mean overall values.
    pub(super) mu: &'a [f64],
    /// Rows averaged into `ev` and `ew`.
    pub(super) rows: f64,
    /// Block means of the pilot sample ([`plugin_pilot`]).
    pub(super) pilot: &'a [Vec<f64>],
}

/// EVPPI of one factor: E[max_i E[V_i | X_f]] − max_i E[V_i], by Monte Carlo
/// over draws of the factor alone. Returns the estimate and its 95%
/// half-width, which covers both the noise of the draws and that of the
/// plug-in means (module docs, "EVPPI error bars").
pub(super) fn evppi(
    model: &Model,
    f: &Factor,
    plug: &PlugIn,
    seed: u64,
    k: u64,
    draws: u64,
) -> (f64, f64) {
    let (n, m) = (model.n, model.m);
    let (ev, ew, mu) = (plug.ev, plug.ew, plug.mu);
    let mut rng = stream(seed, EVPPI_STREAMS + k);
    let best = (0..n)
        .max_by(|&a, &b| mu[a].total_cmp(&mu[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    let mut states: Vec<LevelState> = std::iter::once(model.group_level.new_state())
        .chain(model.local_levels.iter().map(Level::new_state))
        .collect();
    let mut scratch = Vec::new();
    let mut row = model.new_row();
    let mut cond = vec![0.0; n];
    // This draw's values of the factor (value factors) and weights (weight factors).
    let mut v = ev.to_vec();
    let mut w = ew.to_vec();
    // Σ_d ∂z_d/∂θ for θ = (ev, ew): the gradient of the estimate, times `draws`.
    let mut grad = vec![0.0; n * m + m];
    let (mut z1, mut z2) = (0.0, 0.0);
    for _ in 0..draws {
        match *f {
            Factor::Value { i, c } => {
                let s = model.samplers[i * m + c].as_ref();
                v[i * m + c] =
                    s.map_or(ev[i * m + c], |s| model.scales[c].value(s.sample(&mut rng)));
                cond.copy_from_slice(mu);
                cond[i] += ew[c] * (v[i * m + c] - ev[i * m + c]);
            }
            Factor::ValueGroup(g) => {
                cond.copy_from_slice(mu);
                for i in 0..n {
                    for &c in &model.members[g] {
                        if let Some(s) = &model.samplers[i * m + c] {
                            v[i * m + c] = model.scales[c].value(s.sample(&mut rng));
                            cond[i] += ew[c] * (v[i * m + c] - ev[i * m + c]);
                        }
                    }
                }
            }
            Factor::Groups | Factor::Local(_) => {
                // Only the weights of this level vary; the others stay at their means.
                model.draw(&mut rng, &mut states, &mut scratch, &mut row);
                w.copy_from_slice(ew);
                for c in 0..m {
                    let g = model.group_of[c];
                    // E[w_c | level] = level share × mean of the other level's share.
                    match *f {
                        Factor::Groups => w[c] = row.groups[g] * mean_local(ew, model, c),
                        Factor::Local(h) if g == h => {
                            w[c] = mean_group(ew, model, g) * row.local[c]
                        }
                        _ => {}
                    }
                }
                for (i, x) in cond.iter_mut().enumerate() {
                    *x = (0..m).map(|c| w[c] * ev[i * m + c]).sum();
                }
            }
        }
        let (top, max) = cond
            .iter()
            .enumerate()
            .fold((best, f64::NEG_INFINITY), |acc, (i, &x)| {
                if x > acc.1 {
                    (i, x)
                } else {
                    acc
                }
            });
        let z = max - cond[best];
        z1 += z;
        z2 += z * z;
        if top != best {
            let at = Draw {
                v: &v,
                w: &w,
                row: &row,
            };
            cond_gradient(model, f, plug, &at, top, 1.0, &mut grad);
            cond_gradient(model, f, plug, &at, best, -1.0, &mut grad);
        }
    }
    let d = draws as f64;
    let mean = z1 / d;
    let var_draws = (z2 / d - mean * mean).max(0.0) / d;
    // Var(G · θ_hat) = σ²(G · x) / rows, with σ² the long-run variance of the
    // rows' G · x, measured on the pilot's block means.
    let proj: Vec<f64> = plug
        .pilot
        .iter()
        .map(|b| b.iter().zip(&grad).map(|(x, g)| x * g).sum::<f64>() / d)
        .collect();
    let blocks = proj.len() as f64;
    let pm = proj.iter().sum::<f64>() / blocks;
    let var_blocks = proj.iter().map(|p| (p - pm).powi(2)).sum::<f64>() / (blocks - 1.0);
    let var_plugin = PILOT_BLOCK as f64 * var_blocks / plug.rows;
    (mean.max(0.0), Z95 * (var_draws + var_plugin).sqrt())
}

/// One EVPPI draw, as [`cond_gradient`] needs it.
struct Draw<'a> {
    /// The 0..1 values (the factor's drawn, the rest at their means).
    v: &'a [f64],
    /// The conditional mean weights (weight factors).
    w: &'a [f64],
    /// The drawn row (weight factors: its group and local shares).
    row: &'a Row,
}

/// Adds `sign ·` the gradient of `E[V_i | X_f]` (as the draw `at` computes
/// it) with respect to the plug-in means `θ = (ev, ew)` to `grad`.
/// Only `ev_i·` moves `E[V_i | X_f]` among the values.
fn cond_gradient(
    model: &Model,
    f: &Factor,
    plug: &PlugIn,
    at: &Draw,
    i: usize,
    sign: f64,
    grad: &mut [f64],
) {
    let (n, m) = (model.n, model.m);
    let (ev, ew) = (plug.ev, plug.ew);
    let (gv, gw) = grad.split_at_mut(n * m);
    let gv = &mut gv[i * m..(i + 1) * m];
    let evi = &ev[i * m..(i + 1) * m];
    match *f {
        // mu_i + [i = i0] ew_c0 (v − ev_i0c0): ∂/∂ev_ic = ew_c (0 for the
        // factor itself), ∂/∂ew_c = ev_ic (+ v − ev_ic for the factor).
        Factor::Value { .. } | Factor::ValueGroup(_) => {
            for c in 0..m {
                gv[c] += sign * ew[c];
                gw[c] += sign * evi[c];
            }
            let mut drawn = |c: usize| {
                gv[c] -= sign * ew[c];
                gw[c] += sign * (at.v[i * m + c] - evi[c]);
            };
            match *f {
                Factor::Value { i: i0, c } if i0 == i => drawn(c),
                Factor::ValueGroup(g) => {
                    for &c in &model.members[g] {
                        if model.samplers[i * m + c].is_some() {
                            drawn(c);
                        }
                    }
                }
                _ => {}
            }
        }
        // Σ_c w_c ev_ic with w_c = G_g · ew_c / S_g, S_g = Σ_{c∈g} ew_c:
        // ∂/∂ew_c = G_g / S_g · (ev_ic − Σ_{c'∈g} ev_ic' ew_c' / S_g).
        Factor::Groups => {
            for c in 0..m {
                gv[c] += sign * at.w[c];
            }
            for (g, members) in model.members.iter().enumerate() {
                let sg = mean_group(ew, model, g);
                if sg > 0.0 {
                    let ebar = members.iter().map(|&c| evi[c] * ew[c]).sum::<f64>() / sg;
                    for &c in members {
                        gw[c] += sign * at.row.groups[g] / sg * (evi[c] - ebar);
                    }
                }
            }
        }
        // w_c = S_h · L_c for c in h, ew_c elsewhere: ∂/∂ew_c = Σ_{c'∈h}
        // ev_ic' L_c' for c in h, ev_ic elsewhere.
        Factor::Local(h) => {
            for c in 0..m {
                gv[c] += sign * at.w[c];
            }
            let kh: f64 = model.members[h]
                .iter()
                .map(|&c| evi[c] * at.row.local[c])
                .sum();
            for c in 0..m {
                gw[c] += sign * if model.group_of[c] == h { kh } else { evi[c] };
            }
        }
    }
}

/// E[local share of c] = E[w_c] / E[group share]: group and local draws are independent.
fn mean_local(ew: &[f64], model: &Model, c: usize) -> f64 {
    let g = model.group_of[c];
    let eg = mean_group(ew, model, g);
    if eg > 0.0 {
        ew[c] / eg
    } else {
        0.0
    }
}

/// E[group share of g] = Σ_{c in g} E[w_c] (local shares sum to 1).
fn mean_group(ew: &[f64], model: &Model, g: usize) -> f64 {
    model.members[g].iter().map(|&c| ew[c]).sum()
}
