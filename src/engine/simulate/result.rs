//! The result of a simulation (the documented JSON schema of `afweging
//! simulate`) and its assembly from the statistics of both passes. Does not
//! run anything.

use std::collections::BTreeMap;

use serde::Serialize;

use super::super::compiled::CompiledDecision;
use super::super::score::ProfileRef;
use super::confidence::{confidence_error, Wins};
use super::main_pass::{Central, MainPass};
use super::stats::{half_width, hist_quantile, Z95_TWO_SIDED};
use super::{Plan, BATCH, BINS};

/// Statistics of one alternative's overall value.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct ValueStats {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// 5th percentile.
    pub p05: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// 95% Monte Carlo half-widths of every estimate, in the shapes of the estimates.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Errors {
    /// Of `rank_acceptability`.
    pub rank_acceptability: BTreeMap<String, Vec<f64>>,
    /// Of `central_weights` (`null` where the alternative never ranks first).
    pub central_weights: BTreeMap<String, Option<BTreeMap<String, f64>>>,
    /// Of `confidence`.
    pub confidence: BTreeMap<String, Option<f64>>,
    /// Of `pairwise_winning`.
    pub pairwise_winning: BTreeMap<String, BTreeMap<String, f64>>,
    /// Of `value`.
    pub value: BTreeMap<String, ValueStats>,
}

/// The result of `afweging simulate`: the documented JSON schema.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SimulationResult {
    /// Always `"simulate"`.
    pub kind: &'static str,
    /// afweging version that produced this.
    pub version: String,
    /// The decision's title.
    pub decision: String,
    /// The weight profile.
    pub profile: ProfileRef,
    /// SHA-256 of all input files.
    pub input_hash: String,
    /// RNG seed.
    pub seed: u64,
    /// Iterations of the main pass.
    pub iterations: u64,
    /// Iterations of the confidence-factor pass (0 when skipped).
    pub confidence_iterations: u64,
    /// The target error asked for, if any.
    pub target_error: Option<f64>,
    /// Whether the target error was reached (true when none was asked).
    pub target_reached: bool,
    /// Iterations per batch (the unit of reproducibility).
    pub batch_size: u64,
    /// Alternative ids (initiative ids), in order.
    pub initiatives: Vec<String>,
    /// Criterion ids, in file order.
    pub criteria: Vec<String>,
    /// Per alternative: the share of draws at rank 1, 2, ….
    pub rank_acceptability: BTreeMap<String, Vec<f64>>,
    /// Per alternative: mean global weight of each criterion over the draws in
    /// which it ranks first (`null` if it never does).
    pub central_weights: BTreeMap<String, Option<BTreeMap<String, f64>>>,
    /// Per alternative: share of value draws in which it ranks first with the
    /// weights fixed at its central weights (`null` if it never ranks first).
    pub confidence: BTreeMap<String, Option<f64>>,
    /// Per alternative and other: share of draws in which the first scores
    /// above the other (ties count one half).
    pub pairwise_winning: BTreeMap<String, BTreeMap<String, f64>>,
    /// Per alternative: its overall value distribution.
    pub value: BTreeMap<String, ValueStats>,
    /// 95% half-widths of all of the above.
    pub error: Errors,
}

/// What the two passes measured.
pub(super) struct Measured<'p> {
    pub plan: &'p Plan,
    pub main: MainPass,
    pub central: Central,
    pub target: Option<f64>,
    /// Confidence pass: wins and iterations (`None` when skipped).
    pub confidence: Option<(Wins, u64)>,
}

/// Assembles the result.
pub(super) fn build(cd: &CompiledDecision, r: Measured) -> SimulationResult {
    let decision = cd.decision();
    let ids = cd.alternative_ids();
    let cids = cd.criterion_ids();
    let conf_iterations = r.confidence.as_ref().map_or(0, |c| c.1);
    let mut result = SimulationResult {
        kind: "simulate",
        version: crate::VERSION.to_string(),
        decision: decision.title.clone(),
        profile: cd.profile_ref(),
        input_hash: decision.input_hash.clone(),
        seed: r.plan.seed,
        iterations: r.main.acc.iterations,
        confidence_iterations: conf_iterations,
        target_error: r.target,
        target_reached: r.main.reached,
        batch_size: BATCH,
        initiatives: ids.clone(),
        criteria: cids.clone(),
        rank_acceptability: BTreeMap::new(),
        central_weights: BTreeMap::new(),
        confidence: BTreeMap::new(),
        pairwise_winning: BTreeMap::new(),
        value: BTreeMap::new(),
        error: Errors {
            rank_acceptability: BTreeMap::new(),
            central_weights: BTreeMap::new(),
            confidence: BTreeMap::new(),
            pairwise_winning: BTreeMap::new(),
            value: BTreeMap::new(),
        },
    };
    for i in 0..ids.len() {
        ranks_and_pairs(&mut result, &r, &ids, i);
        central_and_confidence(&mut result, &r, &ids, &cids, i);
        value_stats(&mut result, &r, &ids[i], i);
    }
    result
}

/// Rank acceptabilities and pairwise winning indices of alternative `i`.
fn ranks_and_pairs(result: &mut SimulationResult, r: &Measured, ids: &[String], i: usize) {
    let acc = &r.main.acc;
    let n = ids.len();
    let nf = acc.iterations as f64;
    let id = &ids[i];
    let shares: Vec<f64> = (0..n).map(|k| acc.rank[i * n + k] / nf).collect();
    result.error.rank_acceptability.insert(
        id.clone(),
        shares.iter().map(|&p| half_width(p, nf)).collect(),
    );
    result.rank_acceptability.insert(id.clone(), shares);

    let mut pw = BTreeMap::new();
    let mut pe = BTreeMap::new();
    for j in (0..n).filter(|&j| j != i) {
        let p = acc.pair[i * n + j] / nf;
        pw.insert(ids[j].clone(), p);
        pe.insert(ids[j].clone(), half_width(p, nf));
    }
    result.pairwise_winning.insert(id.clone(), pw);
    result.error.pairwise_winning.insert(id.clone(), pe);
}

/// Central weights and confidence factor of alternative `i`.
fn central_and_confidence(
    result: &mut SimulationResult,
    r: &Measured,
    ids: &[String],
    cids: &[String],
    i: usize,
) {
    let acc = &r.main.acc;
    let (n, m) = (ids.len(), cids.len());
    let id = &ids[i];
    let Some(cw) = &r.central.all[i] else {
        result.central_weights.insert(id.clone(), None);
        result.error.central_weights.insert(id.clone(), None);
        result.confidence.insert(id.clone(), None);
        result.error.confidence.insert(id.clone(), None);
        return;
    };
    let k = acc.rank[i * n];
    let mut ws = BTreeMap::new();
    let mut es = BTreeMap::new();
    for c in 0..m {
        ws.insert(cids[c].clone(), cw[c]);
        let var = (acc.w_sq[i * m + c] / k - cw[c] * cw[c]).max(0.0);
        es.insert(cids[c].clone(), Z95_TWO_SIDED * (var / k).sqrt());
    }
    result.central_weights.insert(id.clone(), Some(ws));
    result.error.central_weights.insert(id.clone(), Some(es));
    match &r.confidence {
        Some((wins, iterations)) => {
            let draws = *iterations as f64;
            let p = wins.all[i] / draws;
            result.confidence.insert(id.clone(), Some(p));
            let err = confidence_error(p, draws, wins, &r.central.split, n, i);
            result.error.confidence.insert(id.clone(), Some(err));
        }
        None => {
            result.confidence.insert(id.clone(), None);
            result.error.confidence.insert(id.clone(), None);
        }
    }
}

/// The distribution of alternative `i`'s overall value.
fn value_stats(result: &mut SimulationResult, r: &Measured, id: &str, i: usize) {
    let acc = &r.main.acc;
    let iterations = acc.iterations;
    let nf = iterations as f64;
    let hist = &r.main.hist[i * BINS..(i + 1) * BINS];
    let sd = if iterations > 1 {
        (acc.m2[i] / (nf - 1.0)).sqrt()
    } else {
        0.0
    };
    let q = |p: f64| hist_quantile(hist, iterations, p);
    let q_err = |p: f64| {
        let h = half_width(p, nf);
        0.5 * (q((p + h).min(1.0)) - q((p - h).max(0.0)))
    };
    result.value.insert(
        id.to_string(),
        ValueStats {
            mean: acc.mean[i],
            sd,
            p05: q(0.05),
            p50: q(0.5),
            p95: q(0.95),
        },
    );
    result.error.value.insert(
        id.to_string(),
        ValueStats {
            mean: Z95_TWO_SIDED * sd / nf.sqrt(),
            sd: if iterations > 1 {
                Z95_TWO_SIDED * sd / (2.0 * (nf - 1.0)).sqrt()
            } else {
                0.0
            },
            p05: q_err(0.05),
            p50: q_err(0.5),
            p95: q_err(0.95),
        },
    );
}
