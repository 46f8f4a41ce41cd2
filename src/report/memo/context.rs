//! The memo context: one serialisable struct built from the decision and the
//! engine's results.
//!
//! Owns the selection of numbers for the memo and the few documented rules
//! that turn engine numbers into words (which initiative the advice names,
//! when it is a close call, when two initiatives complement each other; see
//! [`Rules`]). It does not compute statistics: every figure is copied from a
//! [`ScoreResult`] or [`SimulationResult`], or is an input of the decision
//! (with the one product population × rate for the cost table). It does not
//! format numbers either; the templates do that through the filters of
//! [`super::format`].

use serde::Serialize;

use super::format::{paragraphs, Lang};
use crate::engine::score::ScoreResult;
use crate::engine::simulate::{SimulationResult, ValueStats};
use crate::engine::value_fn::Scale;
use crate::engine::weights::LevelSpec;
use crate::model::{Decision, Dist, Profile};
use crate::report::export::by_expected_rank;

/// The engine results a memo is written from: for every profile (in the
/// decision's profile order) its deterministic score and its simulation.
#[derive(Debug, Clone)]
pub struct Results {
    /// Index of the memo's profile in the decision's profiles.
    pub chosen: usize,
    /// One score per profile.
    pub scores: Vec<ScoreResult>,
    /// One simulation per profile (same seed and iterations).
    pub simulations: Vec<SimulationResult>,
}

/// The thresholds of the rules that turn numbers into words; printed in the
/// memo's method appendix.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rules {
    /// Close call when the top two first-place chances differ by less than
    /// this (a share, 0.05 = 5 percentage points) …
    pub close_points: f64,
    /// … or by less than the sum of their 95% half-widths (always applied).
    /// First place in at least this share of scenarios reads as "in vrijwel alle".
    pub very_robust: f64,
    /// First place in at least this share reads as "in de meeste".
    pub robust: f64,
    /// A criterion is a weak point of an initiative when its 0..1 value is
    /// below this.
    pub weak: f64,
    /// Another initiative covers that weak point when its value there is at
    /// least this.
    pub covers: f64,
}

/// The rules used by [`build`].
pub const RULES: Rules = Rules {
    close_points: 0.05,
    very_robust: 0.9,
    robust: 0.5,
    weak: 0.25,
    covers: 0.5,
};

/// Everything the templates see.
#[derive(Debug, Clone, Serialize)]
pub struct MemoContext {
    /// `"nl"` or `"en"`.
    pub lang: Lang,
    /// Whether the language is Dutch (for the templates' `{% if nl %}`).
    pub nl: bool,
    /// `"html"` or `"md"`.
    pub format: String,
    /// The memo header.
    pub header: Header,
    /// The chapter "Advies".
    pub advice: Advice,
    /// The profile the memo is written for.
    pub profile: ProfileInfo,
    /// "Aanleiding": the decision's `context`, in paragraphs.
    pub context: Vec<String>,
    /// "Vervolg": the decision's `follow_up`, in paragraphs.
    pub follow_up: Vec<String>,
    /// "Afwegingskader": groups and criteria with the memo profile's weights.
    pub groups: Vec<GroupInfo>,
    /// Every profile with its weights per group and criterion.
    pub profiles: Vec<ProfileInfo>,
    /// The initiatives, best deterministic score first.
    pub initiatives: Vec<InitiativeInfo>,
    /// Rank acceptabilities etc., best expected rank first.
    pub smaa: Vec<SmaaRow>,
    /// Initiative names in the order of [`MemoContext::smaa`] (for pairwise columns).
    pub smaa_names: Vec<String>,
    /// Criteria names in file order (for central weights rows).
    pub criteria_names: Vec<String>,
    /// What each profile would choose.
    pub choices: Vec<Choice>,
    /// Risks of the decision itself.
    pub decision_risks: Vec<String>,
    /// "Kosten en dekking".
    pub costs: Costs,
    /// Every input value with its distribution and provenance.
    pub inputs: Vec<InputRow>,
    /// The thresholds of the advice rules.
    pub rules: Rules,
    /// The reproducibility stamp.
    pub stamp: Stamp,
    /// Charts: inline SVG (HTML) or file names (Markdown); set by the renderer.
    pub charts: Charts,
}

/// The memo header, as in the council's proposals.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    /// ONDERWERP.
    pub title: String,
    /// The question to decide.
    pub question: String,
    /// Who decides.
    pub decided_by: String,
    /// DATUM (ISO).
    pub date: String,
    /// BEHANDELD DOOR (empty: omitted).
    pub prepared_by: String,
    /// The region's name.
    pub region: String,
    /// Its inhabitants.
    pub population: u64,
    /// Its number of municipalities.
    pub municipalities: usize,
    /// Number of initiatives.
    pub n_initiatives: usize,
    /// Number of criteria.
    pub n_criteria: usize,
}

/// An initiative with a share and its 95% half-width.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Share of scenarios at rank 1.
    pub p: f64,
    /// Its 95% half-width.
    pub e: f64,
}

/// The recommendation, as facts; the template words it.
#[derive(Debug, Clone, Serialize)]
pub struct Advice {
    /// Most often first.
    pub first: Ranked,
    /// Second most often first.
    pub second: Ranked,
    /// `"very_high"`, `"high"` or `"low"` (see [`Rules`]).
    pub robustness: String,
    /// Whether it is a close call (either reason below).
    pub close: bool,
    /// The gap is smaller than the sum of the two half-widths.
    pub close_within_error: bool,
    /// The gap is smaller than [`Rules::close_points`].
    pub close_within_points: bool,
    /// The deterministic score's best initiative.
    pub deterministic_first: String,
    /// Whether it is the same as `first`.
    pub deterministic_agrees: bool,
    /// An initiative that covers the first one's weak points, if any.
    pub complement: Option<Complement>,
    /// Other profiles whose first choice differs.
    pub dissent: Vec<Choice>,
    /// Whether every profile puts the same initiative first.
    pub all_profiles_agree: bool,
}

/// An initiative that covers another's weak points.
#[derive(Debug, Clone, Serialize)]
pub struct Complement {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The criteria (names) where the first is weak and this one is strong.
    pub criteria: Vec<String>,
    /// Its annual cost to the municipalities (per-inhabitant criteria, most
    /// likely value from the score), if it has one.
    pub cost: Option<f64>,
}

/// What one profile would choose.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    /// Profile id.
    pub profile: String,
    /// Profile name.
    pub profile_name: String,
    /// Whether this is the memo's profile.
    pub chosen: bool,
    /// Most often first in its simulation.
    pub first: Ranked,
    /// Runner-up by first-place share.
    pub second: Ranked,
    /// Best by its deterministic score.
    pub deterministic_first: String,
}

/// A profile and its weights.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileInfo {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Explanation.
    pub description: String,
    /// How the group weights are given.
    pub groups_spec: Spec,
    /// Per group (group order): how its criteria weights are given.
    pub criteria_specs: Vec<Spec>,
    /// Representative group weights (group order).
    pub group_weights: Vec<f64>,
    /// Representative global criterion weights (criterion order).
    pub weights: Vec<f64>,
}

/// How one level of weights is given.
#[derive(Debug, Clone, Serialize)]
pub struct Spec {
    /// `"swing"`, `"bounds"`, `"ordinal"` or `"unknown"`.
    pub kind: String,
    /// Element names (groups or criteria), in file order.
    pub names: Vec<String>,
    /// Swing points (swing).
    pub points: Vec<f64>,
    /// Bounds on shares (bounds).
    pub bounds: Vec<(f64, f64)>,
    /// Names from most to least important (ordinal).
    pub order: Vec<String>,
}

/// A group with its criteria.
#[derive(Debug, Clone, Serialize)]
pub struct GroupInfo {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its weight in the memo's profile.
    pub weight: f64,
    /// Its criteria.
    pub criteria: Vec<CriterionInfo>,
}

/// A criterion.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionInfo {
    /// Id.
    pub id: String,
    /// Index in file order (into [`ProfileInfo::weights`]).
    pub index: usize,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// `"higher"` or `"lower"`.
    pub better: String,
    /// The value function.
    pub scale: Scale,
    /// Explanation.
    pub description: String,
    /// Share within its group (memo profile).
    pub local_weight: f64,
    /// Global weight (memo profile).
    pub weight: f64,
}

/// An initiative with its deterministic score.
#[derive(Debug, Clone, Serialize)]
pub struct InitiativeInfo {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Summary.
    pub summary: String,
    /// Operator.
    pub operator: String,
    /// Status.
    pub status: String,
    /// Risks.
    pub risks: Vec<String>,
    /// Deterministic rank.
    pub rank: usize,
    /// Deterministic total (0..1).
    pub total: f64,
    /// Group contributions (group order).
    pub groups: Vec<f64>,
    /// Per criterion (criterion order): most likely value, 0..1 value, contribution.
    pub criteria: Vec<CriterionScoreInfo>,
}

/// One initiative on one criterion.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionScoreInfo {
    /// Criterion name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Most likely value.
    pub raw: f64,
    /// 0..1 value.
    pub value: f64,
    /// Contribution to the total.
    pub contribution: f64,
}

/// A share with its 95% half-width.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Pm {
    /// Estimate.
    pub p: f64,
    /// 95% half-width.
    pub e: f64,
}

/// One initiative's simulation results.
#[derive(Debug, Clone, Serialize)]
pub struct SmaaRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Share of scenarios at rank 1, 2, ….
    pub ranks: Vec<Pm>,
    /// Confidence factor, if it ever ranks first.
    pub confidence: Option<Pm>,
    /// Overall value distribution.
    pub value: ValueStats,
    /// Its half-widths.
    pub value_error: ValueStats,
    /// Central weights (criterion order), if it ever ranks first.
    pub central_weights: Option<Vec<f64>>,
    /// Pairwise winning share against each initiative in [`MemoContext::smaa`]
    /// order (`None` on the diagonal).
    pub beats: Vec<Option<f64>>,
}

/// Cost per municipality.
#[derive(Debug, Clone, Serialize)]
pub struct Costs {
    /// The options with a per-inhabitant cost.
    pub options: Vec<CostOption>,
    /// One row per municipality.
    pub rows: Vec<CostRow>,
    /// Total inhabitants.
    pub population: u64,
    /// Totals at the most likely rate, per option.
    pub totals: Vec<f64>,
    /// Totals at the lowest rate, per option.
    pub totals_low: Vec<f64>,
    /// Totals at the highest rate, per option.
    pub totals_high: Vec<f64>,
}

/// An option with a per-inhabitant cost.
#[derive(Debug, Clone, Serialize)]
pub struct CostOption {
    /// Initiative id.
    pub id: String,
    /// Initiative name.
    pub name: String,
    /// Criterion name.
    pub criterion: String,
    /// Most likely rate per inhabitant.
    pub rate: f64,
    /// Lowest rate (support, or 5th percentile when unbounded).
    pub low: f64,
    /// Highest rate (support, or 95th percentile when unbounded).
    pub high: f64,
    /// `"source"` or `"assumption"`.
    pub provenance: String,
    /// The source or assumption text.
    pub note: String,
}

/// A municipality's cost per option.
#[derive(Debug, Clone, Serialize)]
pub struct CostRow {
    /// Municipality.
    pub name: String,
    /// Inhabitants.
    pub population: u64,
    /// population × most likely rate, per option.
    pub amounts: Vec<f64>,
}

/// One input value.
#[derive(Debug, Clone, Serialize)]
pub struct InputRow {
    /// Initiative name.
    pub initiative: String,
    /// Criterion name.
    pub criterion: String,
    /// Unit.
    pub unit: String,
    /// The distribution (in its own units: per inhabitant when `per_inhabitant`).
    pub dist: Dist,
    /// Whether the distribution is per inhabitant.
    pub per_inhabitant: bool,
    /// Optional clamp.
    pub clamp: Option<(f64, f64)>,
    /// Most likely value in the criterion's unit.
    pub most_likely: f64,
    /// `"source"` or `"assumption"` (or `"none"`).
    pub provenance: String,
    /// The text of the source or assumption.
    pub note: String,
}

/// The reproducibility stamp.
#[derive(Debug, Clone, Serialize)]
pub struct Stamp {
    /// afweging version.
    pub version: String,
    /// Seed.
    pub seed: u64,
    /// Iterations of the main pass.
    pub iterations: u64,
    /// Iterations of the confidence pass.
    pub confidence_iterations: u64,
    /// SHA-256 of the inputs.
    pub input_hash: String,
    /// Generation date (ISO).
    pub generated: String,
    /// Profile id.
    pub profile: String,
}

/// The charts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Charts {
    /// Whether charts are shown at all (false: Markdown on stdout).
    pub shown: bool,
    /// Contributions of cost, reach and effect: SVG text or file name.
    pub contributions: String,
    /// Rank acceptabilities: SVG text or file name.
    pub acceptability: String,
    /// Value distributions: SVG text or file name.
    pub values: String,
}

fn ranked(sim: &SimulationResult, id: &str, name: &str) -> Ranked {
    Ranked {
        id: id.to_string(),
        name: name.to_string(),
        p: sim.rank_acceptability[id][0],
        e: sim.error.rank_acceptability[id][0],
    }
}

/// Initiative ids by first-place share, highest first (ties: better
/// expected rank).
fn by_first_place(sim: &SimulationResult) -> Vec<&str> {
    let mut ids = by_expected_rank(sim);
    ids.sort_by(|a, b| sim.rank_acceptability[*b][0].total_cmp(&sim.rank_acceptability[*a][0]));
    ids
}

fn name_of<'a>(decision: &'a Decision, id: &'a str) -> &'a str {
    decision
        .initiatives
        .iter()
        .find(|i| i.id == id)
        .map_or(id, |i| i.name.as_str())
}

fn choice(decision: &Decision, results: &Results, k: usize, lang: Lang) -> Choice {
    let sim = &results.simulations[k];
    let order = by_first_place(sim);
    let p = &decision.profiles[k];
    let first = ranked(sim, order[0], name_of(decision, order[0]));
    let second = match order.get(1) {
        Some(id) => ranked(sim, id, name_of(decision, id)),
        None => first.clone(),
    };
    Choice {
        profile: p.id.clone(),
        profile_name: p.name.get(lang.code()).to_string(),
        chosen: k == results.chosen,
        first,
        second,
        deterministic_first: results.scores[k].initiatives[0].name.clone(),
    }
}

fn spec(level: &LevelSpec, names: &[String]) -> Spec {
    let mut s = Spec {
        kind: String::new(),
        names: names.to_vec(),
        points: Vec::new(),
        bounds: Vec::new(),
        order: Vec::new(),
    };
    match level {
        LevelSpec::Swing(p) => {
            s.kind = "swing".into();
            s.points = p.clone();
        }
        LevelSpec::Bounds(b) => {
            s.kind = "bounds".into();
            s.bounds = b.clone();
        }
        LevelSpec::Ordinal(o) => {
            s.kind = "ordinal".into();
            s.order = o.iter().filter_map(|&i| names.get(i).cloned()).collect();
        }
        LevelSpec::Unknown(_) => s.kind = "unknown".into(),
    }
    s
}

fn profile_info(decision: &Decision, p: &Profile, score: &ScoreResult, lang: Lang) -> ProfileInfo {
    let group_names: Vec<String> = decision
        .groups
        .iter()
        .map(|g| g.name.get(lang.code()).to_string())
        .collect();
    ProfileInfo {
        id: p.id.clone(),
        name: p.name.get(lang.code()).to_string(),
        description: p.description.clone().unwrap_or_default(),
        groups_spec: spec(p.groups.spec(), &group_names),
        criteria_specs: decision
            .groups
            .iter()
            .zip(&p.criteria)
            .map(|(g, level)| {
                let names: Vec<String> = g
                    .criteria
                    .iter()
                    .map(|&c| decision.criteria[c].name.get(lang.code()).to_string())
                    .collect();
                spec(level.spec(), &names)
            })
            .collect(),
        group_weights: score.groups.iter().map(|g| g.weight).collect(),
        weights: score.criteria.iter().map(|c| c.weight).collect(),
    }
}

/// The first initiative's weak points and the initiative that covers most
/// of them (largest summed contribution on those criteria, among those with
/// a value of at least [`Rules::covers`] on one of them).
fn complement(
    decision: &Decision,
    score: &ScoreResult,
    first: &str,
    lang: Lang,
) -> Option<Complement> {
    let f = score.initiatives.iter().find(|s| s.id == first)?;
    let weak: Vec<&str> = decision
        .criteria
        .iter()
        .filter(|c| f.criteria[&c.id].value < RULES.weak)
        .map(|c| c.id.as_str())
        .collect();
    let mut best: Option<(f64, &crate::engine::score::InitiativeScore, Vec<&str>)> = None;
    for s in score.initiatives.iter().filter(|s| s.id != first) {
        let covered: Vec<&str> = weak
            .iter()
            .copied()
            .filter(|c| s.criteria[*c].value >= RULES.covers)
            .collect();
        if covered.is_empty() {
            continue;
        }
        let gain: f64 = weak.iter().map(|c| s.criteria[*c].contribution).sum();
        if best.as_ref().is_none_or(|(g, ..)| gain > *g) {
            best = Some((gain, s, covered));
        }
    }
    let (_, s, covered) = best?;
    let cost = decision
        .initiatives
        .iter()
        .find(|i| i.id == s.id)
        .and_then(|init| {
            decision
                .criteria
                .iter()
                .zip(&init.values)
                .find(|(_, v)| v.per_inhabitant)
                .map(|(c, _)| s.criteria[&c.id].raw)
        });
    Some(Complement {
        id: s.id.clone(),
        name: s.name.clone(),
        criteria: covered
            .iter()
            .filter_map(|id| decision.criterion_index(id))
            .map(|i| decision.criteria[i].name.get(lang.code()).to_string())
            .collect(),
        cost,
    })
}

fn provenance(p: &crate::model::Provenance) -> (String, String) {
    match (&p.source, &p.assumption) {
        (Some(s), _) => ("source".into(), s.clone()),
        (None, Some(a)) => ("assumption".into(), a.clone()),
        (None, None) => ("none".into(), String::new()),
    }
}

/// Builds the memo context. `generated` is the generation date (ISO).
pub fn build(
    decision: &Decision,
    results: &Results,
    lang: Lang,
    format: &str,
    generated: &str,
) -> MemoContext {
    let k = results.chosen;
    let score = &results.scores[k];
    let sim = &results.simulations[k];
    let l = lang.code();

    // Advice.
    let order = by_first_place(sim);
    let first = ranked(sim, order[0], name_of(decision, order[0]));
    let second = match order.get(1) {
        Some(id) => ranked(sim, id, name_of(decision, id)),
        None => first.clone(),
    };
    let gap = first.p - second.p;
    let close_within_error = order.len() > 1 && gap < first.e + second.e;
    let close_within_points = order.len() > 1 && gap < RULES.close_points;
    let robustness = if first.p >= RULES.very_robust {
        "very_high"
    } else if first.p >= RULES.robust {
        "high"
    } else {
        "low"
    };
    let choices: Vec<Choice> = (0..decision.profiles.len())
        .map(|j| choice(decision, results, j, lang))
        .collect();
    let dissent: Vec<Choice> = choices
        .iter()
        .filter(|c| !c.chosen && c.first.id != first.id)
        .cloned()
        .collect();
    let det_first = &score.initiatives[0];
    let advice = Advice {
        complement: complement(decision, score, &first.id, lang),
        robustness: robustness.into(),
        close: close_within_error || close_within_points,
        close_within_error,
        close_within_points,
        deterministic_first: det_first.name.clone(),
        deterministic_agrees: det_first.id == first.id,
        all_profiles_agree: choices.iter().all(|c| c.first.id == first.id),
        dissent,
        first,
        second,
    };

    // Framework.
    let groups = decision
        .groups
        .iter()
        .zip(&score.groups)
        .map(|(g, gw)| GroupInfo {
            id: g.id.clone(),
            name: g.name.get(l).to_string(),
            weight: gw.weight,
            criteria: g
                .criteria
                .iter()
                .map(|&ci| {
                    let c = &decision.criteria[ci];
                    CriterionInfo {
                        id: c.id.clone(),
                        index: ci,
                        name: c.name.get(l).to_string(),
                        unit: c.unit.clone(),
                        better: c.better.as_str().to_string(),
                        scale: c.scale.clone(),
                        description: c.description.clone().unwrap_or_default(),
                        local_weight: score.criteria[ci].local_weight,
                        weight: score.criteria[ci].weight,
                    }
                })
                .collect(),
        })
        .collect();
    let profiles = decision
        .profiles
        .iter()
        .zip(&results.scores)
        .map(|(p, s)| profile_info(decision, p, s, lang))
        .collect();

    // Initiatives in deterministic order.
    let initiatives: Vec<InitiativeInfo> = score
        .initiatives
        .iter()
        .filter_map(|s| {
            let init = decision.initiatives.iter().find(|i| i.id == s.id)?;
            Some(InitiativeInfo {
                id: s.id.clone(),
                name: s.name.clone(),
                summary: init.summary.clone(),
                operator: init.operator.clone(),
                status: init.status.clone(),
                risks: init.risks.clone(),
                rank: s.rank,
                total: s.total,
                groups: decision.groups.iter().map(|g| s.groups[&g.id]).collect(),
                criteria: decision
                    .criteria
                    .iter()
                    .map(|c| {
                        let cs = s.criteria[&c.id];
                        CriterionScoreInfo {
                            name: c.name.get(l).to_string(),
                            unit: c.unit.clone(),
                            raw: cs.raw,
                            value: cs.value,
                            contribution: cs.contribution,
                        }
                    })
                    .collect(),
            })
        })
        .collect();

    // Simulation rows.
    let smaa_order = by_expected_rank(sim);
    let smaa = smaa_order
        .iter()
        .map(|&id| SmaaRow {
            id: id.to_string(),
            name: name_of(decision, id).to_string(),
            ranks: sim.rank_acceptability[id]
                .iter()
                .zip(&sim.error.rank_acceptability[id])
                .map(|(&p, &e)| Pm { p, e })
                .collect(),
            confidence: match (sim.confidence[id], sim.error.confidence[id]) {
                (Some(p), Some(e)) => Some(Pm { p, e }),
                _ => None,
            },
            value: sim.value[id],
            value_error: sim.error.value[id],
            central_weights: sim.central_weights[id]
                .as_ref()
                .map(|m| decision.criteria.iter().map(|c| m[&c.id]).collect()),
            beats: smaa_order
                .iter()
                .map(|&j| (j != id).then(|| sim.pairwise_winning[id][j]))
                .collect(),
        })
        .collect();

    // Costs per municipality.
    let mut options = Vec::new();
    for s in &score.initiatives {
        let Some(init) = decision.initiatives.iter().find(|i| i.id == s.id) else {
            continue;
        };
        for (c, v) in decision.criteria.iter().zip(&init.values) {
            if !v.per_inhabitant {
                continue;
            }
            let per = |x: f64| match v.clamp {
                Some((lo, hi)) => x.clamp(lo, hi),
                None => x,
            };
            let (lo, hi) = v.dist.support();
            let low = if lo.is_finite() {
                lo
            } else {
                v.dist.quantile(0.05)
            };
            let high = if hi.is_finite() {
                hi
            } else {
                v.dist.quantile(0.95)
            };
            let (kind, note) = provenance(&v.provenance);
            options.push(CostOption {
                id: init.id.clone(),
                name: init.name.clone(),
                criterion: c.name.get(l).to_string(),
                rate: per(v.dist.most_likely()),
                low: per(low),
                high: per(high),
                provenance: kind,
                note,
            });
        }
    }
    let rows: Vec<CostRow> = decision
        .region
        .municipalities
        .iter()
        .map(|m| CostRow {
            name: m.name.clone(),
            population: m.population,
            amounts: options
                .iter()
                .map(|o| m.population as f64 * o.rate)
                .collect(),
        })
        .collect();
    let population = decision.region.population();
    let costs = Costs {
        totals: options.iter().map(|o| population as f64 * o.rate).collect(),
        totals_low: options.iter().map(|o| population as f64 * o.low).collect(),
        totals_high: options.iter().map(|o| population as f64 * o.high).collect(),
        options,
        rows,
        population,
    };

    // Inputs.
    let mut inputs = Vec::new();
    for s in &score.initiatives {
        let Some(init) = decision.initiatives.iter().find(|i| i.id == s.id) else {
            continue;
        };
        for (c, v) in decision.criteria.iter().zip(&init.values) {
            let (kind, note) = provenance(&v.provenance);
            inputs.push(InputRow {
                initiative: init.name.clone(),
                criterion: c.name.get(l).to_string(),
                unit: c.unit.clone(),
                dist: v.dist.clone(),
                per_inhabitant: v.per_inhabitant,
                clamp: v.clamp,
                most_likely: s.criteria[&c.id].raw,
                provenance: kind,
                note,
            });
        }
    }

    MemoContext {
        lang,
        nl: lang == Lang::Nl,
        format: format.to_string(),
        header: Header {
            title: decision.title.clone(),
            question: decision.question.clone(),
            decided_by: decision.decided_by.clone(),
            date: decision.decision_date.clone(),
            prepared_by: decision.prepared_by.clone(),
            region: decision.region.name.clone(),
            population,
            municipalities: decision.region.municipalities.len(),
            n_initiatives: decision.initiatives.len(),
            n_criteria: decision.criteria.len(),
        },
        advice,
        profile: profile_info(decision, &decision.profiles[k], score, lang),
        context: paragraphs(&decision.context),
        follow_up: paragraphs(&decision.follow_up),
        groups,
        profiles,
        initiatives,
        smaa_names: smaa_order
            .iter()
            .map(|id| name_of(decision, id).to_string())
            .collect(),
        smaa,
        criteria_names: decision
            .criteria
            .iter()
            .map(|c| c.name.get(l).to_string())
            .collect(),
        choices,
        decision_risks: decision.risks.clone(),
        costs,
        inputs,
        rules: RULES,
        stamp: Stamp {
            version: sim.version.clone(),
            seed: sim.seed,
            iterations: sim.iterations,
            confidence_iterations: sim.confidence_iterations,
            input_hash: sim.input_hash.clone(),
            generated: generated.to_string(),
            profile: sim.profile.id.clone(),
        },
        charts: Charts::default(),
    }
}
