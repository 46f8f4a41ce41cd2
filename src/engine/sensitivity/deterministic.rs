//! The deterministic parts of the sensitivity analysis: the stability
//! interval of every weight (group shares and criterion weights) and the
//! tornado of every uncertain value, both around the representative weights
//! and most likely values of the compiled decision. Exact because the
//! aggregation is additive: totals are straight lines in one weight (the
//! others rescaled) and in one value. Draws nothing.

use std::collections::BTreeMap;

use super::super::compiled::{Combine, CompiledDecision};
use super::input::{Input, Weight};
use super::{Stability, TornadoBar};

/// Stability intervals of every group share and every criterion weight,
/// for the leader `lead` at the deterministic totals `t0`.
pub(super) fn weight_stability(
    cd: &CompiledDecision,
    t0: &[f64],
    ids: &[String],
    lead: usize,
) -> BTreeMap<String, Stability> {
    let decision = cd.decision();
    let agg = cd.aggregation();
    let base = cd.most_likely_values();
    let w0 = cd.representative_weights();
    let g0 = cd.representative_groups();
    let n = ids.len();
    let m = w0.len();
    let mut out = BTreeMap::new();
    // Group shares: total_i(x) = x · G_ik + (1 − x) / (1 − g_k) · (T_i − g_k G_ik).
    for (k, g) in decision.groups.iter().enumerate() {
        let local: Vec<f64> = g
            .criteria
            .iter()
            .map(|&c| cd.representative_local(c))
            .collect();
        let gv: Vec<f64> = (0..n)
            .map(|i| {
                let values: Vec<f64> = g.criteria.iter().map(|&c| base[i * m + c]).collect();
                agg.total(&values, &local)
            })
            .collect();
        let lines: Vec<[f64; 2]> = (0..n)
            .map(|i| {
                let rest = if g0[k] < 1.0 {
                    (t0[i] - g0[k] * gv[i]) / (1.0 - g0[k])
                } else {
                    t0[i]
                };
                [rest, gv[i]]
            })
            .collect();
        let key = Weight::Group {
            group: g.id.clone(),
        };
        out.insert(key.key(), interval("group", g0[k], &lines, ids, lead));
    }
    for (c, crit) in decision.criteria.iter().enumerate() {
        let lines: Vec<[f64; 2]> = (0..n)
            .map(|i| {
                let rest = if w0[c] < 1.0 {
                    (t0[i] - w0[c] * base[i * m + c]) / (1.0 - w0[c])
                } else {
                    t0[i]
                };
                [rest, base[i * m + c]]
            })
            .collect();
        let key = Weight::Criterion {
            criterion: crit.id.clone(),
        };
        out.insert(key.key(), interval("criterion", w0[c], &lines, ids, lead));
    }
    out
}

/// Where one line leads: the interval `[lower, upper]` of x in 0..1 around
/// `x0`, and the lines that take over just below and just above it (`None`
/// where the interval reaches 0 or 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Lead {
    /// Lower end.
    pub lower: f64,
    /// Upper end.
    pub upper: f64,
    /// The line that leads just below `lower`.
    pub below: Option<usize>,
    /// The line that leads just above `upper`.
    pub above: Option<usize>,
}

/// The interval of x around `x0` where `lead` has the highest line
/// `(1 − x) · l[0] + x · l[1]`, and who takes over at its ends: the one
/// definition of a tipping point, used by the weight stability here and by
/// the explore page.
pub(crate) fn lead_interval(x0: f64, lines: &[[f64; 2]], lead: usize) -> Lead {
    let (mut lower, mut upper) = (0.0f64, 1.0f64);
    let (mut below, mut above) = (None, None);
    for (j, l) in lines.iter().enumerate() {
        if j == lead {
            continue;
        }
        // d(x) = lead − j, linear: d(x) = d0 + x (d1 − d0).
        let d0 = lines[lead][0] - l[0];
        let d1 = lines[lead][1] - l[1];
        let slope = d1 - d0;
        if slope == 0.0 {
            continue;
        }
        let root = -d0 / slope;
        if slope < 0.0 && root < upper && root >= x0 {
            upper = root;
            above = Some(j);
        } else if slope > 0.0 && root > lower && root <= x0 {
            lower = root;
            below = Some(j);
        }
    }
    Lead {
        lower,
        upper,
        below,
        above,
    }
}

/// The weight-stability interval of one weight (see [`lead_interval`]).
fn interval(
    kind: &'static str,
    x0: f64,
    lines: &[[f64; 2]],
    ids: &[String],
    lead: usize,
) -> Stability {
    let Lead {
        lower,
        upper,
        below,
        above,
    } = lead_interval(x0, lines, lead);
    let dl = below.map(|_| x0 - lower);
    let du = above.map(|_| upper - x0);
    let (smallest_change, takes_over) = match (dl, du) {
        (Some(a), Some(b)) if a <= b => (Some(a), below),
        (Some(_), Some(b)) => (Some(b), above),
        (Some(a), None) => (Some(a), below),
        (None, Some(b)) => (Some(b), above),
        (None, None) => (None, None),
    };
    Stability {
        kind,
        current: x0,
        leader: ids[lead].clone(),
        lower,
        upper,
        taker_below: below.map(|j| ids[j].clone()),
        taker_above: above.map(|j| ids[j].clone()),
        smallest_change,
        takes_over: takes_over.map(|j| ids[j].clone()),
        lines: ids.iter().cloned().zip(lines.iter().copied()).collect(),
    }
}

/// Each uncertain value at its 5th and 95th percentile: the total of its
/// alternative at both, everything else at the deterministic point.
pub(super) fn tornado(
    cd: &CompiledDecision,
    t0: &[f64],
    lead: usize,
) -> BTreeMap<String, TornadoBar> {
    let decision = cd.decision();
    let base = cd.most_likely_values();
    let w0 = cd.representative_weights();
    let m = cd.m();
    let mut out = BTreeMap::new();
    for (i, alt) in cd.alternatives().iter().enumerate() {
        for c in 0..m {
            let member = match cd.combine(c) {
                Combine::Single => alt.members[0],
            };
            let init = &decision.initiatives[member];
            let v = &init.values[c];
            if v.is_certain() {
                continue;
            }
            let scale = cd.scale(c);
            let (lo_in, hi_in) = (v.quantile(0.05), v.quantile(0.95));
            // Additive: only this value's contribution moves.
            let at = |x: f64| t0[i] + w0[c] * (scale.value(x) - base[i * m + c]);
            let (low, high) = (at(lo_in), at(hi_in));
            let leader_at = |ti: f64| {
                let mut best = if i == lead { i } else { lead };
                let mut bv = if best == i { ti } else { t0[best] };
                for (j, &tj) in t0.iter().enumerate() {
                    let tj = if j == i { ti } else { tj };
                    if tj > bv {
                        best = j;
                        bv = tj;
                    }
                }
                best
            };
            let criterion = decision.criteria[c].id.clone();
            let key = Input::Value {
                initiative: init.id.clone(),
                criterion: criterion.clone(),
            };
            out.insert(
                key.key(),
                TornadoBar {
                    initiative: init.id.clone(),
                    criterion,
                    low_input: lo_in,
                    high_input: hi_in,
                    low,
                    high,
                    base: t0[i],
                    changes_leader: leader_at(low) != lead || leader_at(high) != lead,
                },
            );
        }
    }
    out
}
