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
use crate::engine::sensitivity::SensitivityResult;
use crate::engine::simulate::{SimulationResult, ValueStats};
use crate::engine::value_fn::Scale;
use crate::engine::weights::LevelSpec;
use crate::model::{Decision, Dist, Profile};
use crate::report::export::by_expected_rank;

/// The engine results a memo is written from: for every profile (in the
/// decision's profile order) its deterministic score and its simulation, and
/// the sensitivity analysis of the memo's profile.
#[derive(Debug, Clone)]
pub struct Results {
    /// Index of the memo's profile in the decision's profiles.
    pub chosen: usize,
    /// One score per profile.
    pub scores: Vec<ScoreResult>,
    /// One simulation per profile (same seed and iterations).
    pub simulations: Vec<SimulationResult>,
    /// Sensitivity and value of information of the memo's profile.
    pub sensitivity: SensitivityResult,
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
    /// The tornado chart shows at most this many uncertain values (largest
    /// swing first).
    pub tornado_bars: usize,
    /// The Sobol table shows at most this many inputs (largest total index
    /// first) …
    pub sobol_rows: usize,
    /// … and only those with a total index of at least this.
    pub sobol_min: f64,
    /// The value-of-information table leaves out inputs worth less than this
    /// many euros a year (or, without a euro criterion, less than
    /// [`Rules::voi_min_value`] value units).
    pub voi_min_eur: f64,
    /// See [`Rules::voi_min_eur`].
    pub voi_min_value: f64,
    /// EVPI below this (value units of the 0..1 overall value) reads as "more
    /// research is unlikely to change the advice": smaller than the last
    /// digit of the overall values the memo prints.
    pub evpi_tiny: f64,
}

/// The rules used by [`build`].
pub const RULES: Rules = Rules {
    close_points: 0.05,
    very_robust: 0.9,
    robust: 0.5,
    weak: 0.25,
    covers: 0.5,
    tornado_bars: 10,
    sobol_rows: 6,
    sobol_min: 0.01,
    voi_min_eur: 1.0,
    voi_min_value: 0.0001,
    evpi_tiny: 0.01,
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
    /// "Gevoeligheid" and "Wat is het waard om meer te weten?".
    pub sensitivity: Sensitivity,
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
    /// Seed of the sensitivity analysis.
    pub sensitivity_seed: u64,
    /// Base rows of the sensitivity analysis.
    pub sensitivity_rows: u64,
    /// Its model evaluations.
    pub sensitivity_evaluations: u64,
}

/// The sensitivity chapters: numbers selected from the [`SensitivityResult`]
/// of the memo's profile, with names in the memo's language.
#[derive(Debug, Clone, Serialize)]
pub struct Sensitivity {
    /// Id of the deterministic leader.
    pub leader_id: String,
    /// Its name.
    pub leader: String,
    /// Its overall value with the most likely figures.
    pub leader_total: f64,
    /// Name of the runner-up.
    pub runner_up: String,
    /// Its overall value with the most likely figures.
    pub runner_up_total: f64,
    /// The weights that can make another initiative first, smallest change first.
    pub flips: Vec<Flip>,
    /// Names of the group weights that cannot change the first place.
    pub stable_groups: Vec<String>,
    /// Names of the criterion weights that cannot change the first place.
    pub stable_criteria: Vec<String>,
    /// One-way lines of each group weight (group order).
    pub group_lines: Vec<OneWay>,
    /// The largest swings ([`Rules::tornado_bars`]), largest first.
    pub tornado: Vec<Bar>,
    /// Number of uncertain values in the tornado.
    pub tornado_total: usize,
    /// Labels of every uncertain value that can change the first place on
    /// its own (also beyond the bars shown).
    pub tornado_changes_leader: Vec<String>,
    /// Sobol indices of the difference leader − runner-up, largest total first.
    pub sobol: Vec<SobolRow>,
    /// Number of inputs in the Sobol analysis.
    pub sobol_total: usize,
    /// EVPI (value units).
    pub evpi: f64,
    /// Its 95% half-width.
    pub evpi_error: f64,
    /// EVPI in euros a year.
    pub evpi_eur: Option<f64>,
    /// Name of the cost criterion used for euros.
    pub eur_criterion: Option<String>,
    /// Euros a year per value unit.
    pub eur_per_value_unit: Option<f64>,
    /// Whether EVPI is below [`Rules::evpi_tiny`].
    pub evpi_tiny: bool,
    /// Inputs with the highest EVPPI (at least [`Rules::voi_min_eur`]).
    pub evppi: Vec<EvppiRow>,
    /// How many inputs were left out of that table.
    pub evppi_left_out: usize,
    /// Whether that table has a row on weights (where knowing more means
    /// deciding, not research).
    pub evppi_has_weights: bool,
}

/// A weight that can change the first place.
#[derive(Debug, Clone, Serialize)]
pub struct Flip {
    /// `"group"` or `"criterion"`.
    pub kind: String,
    /// Group or criterion name.
    pub name: String,
    /// The weight now.
    pub current: f64,
    /// The leader stays first from …
    pub lower: f64,
    /// … to.
    pub upper: f64,
    /// Who is first below `lower`.
    pub taker_below: Option<String>,
    /// Who is first above `upper`.
    pub taker_above: Option<String>,
    /// The smallest change that makes another initiative first.
    pub smallest_change: f64,
    /// Who is first then.
    pub takes_over: String,
}

/// One group weight from 0 to 1: each initiative's overall value.
#[derive(Debug, Clone, Serialize)]
pub struct OneWay {
    /// Group name.
    pub name: String,
    /// The weight now.
    pub current: f64,
    /// The leader stays first from …
    pub lower: f64,
    /// … to.
    pub upper: f64,
    /// (initiative name, value at weight 0, value at weight 1), in the
    /// order of [`MemoContext::initiatives`].
    pub lines: Vec<(String, f64, f64)>,
}

/// One uncertain value at its 5th and 95th percentile.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// "initiative – criterion".
    pub label: String,
    /// Initiative name.
    pub initiative: String,
    /// Criterion name.
    pub criterion: String,
    /// Criterion unit.
    pub unit: String,
    /// The value at its 5th percentile.
    pub low_input: f64,
    /// … at its 95th.
    pub high_input: f64,
    /// The initiative's overall value with the input at its 5th percentile.
    pub low: f64,
    /// … at its 95th.
    pub high: f64,
    /// … at the most likely point.
    pub base: f64,
    /// Whether either end changes which initiative is first.
    pub changes_leader: bool,
}

/// Sobol indices of one input for the difference leader − runner-up.
#[derive(Debug, Clone, Serialize)]
pub struct SobolRow {
    /// The engine's key.
    pub key: String,
    /// `"value"`, `"weights"` (group shares), `"local"` (shares inside a
    /// group) or `"group"` (all values of a group).
    pub kind: String,
    /// In words.
    pub label: String,
    /// First-order index.
    pub first: Pm,
    /// Total index.
    pub total: Pm,
}

/// The value of perfect information about one input.
#[derive(Debug, Clone, Serialize)]
pub struct EvppiRow {
    /// The engine's key.
    pub key: String,
    /// As [`SobolRow::kind`].
    pub kind: String,
    /// In words.
    pub label: String,
    /// EVPPI (value units).
    pub value: f64,
    /// Its 95% half-width.
    pub error: f64,
    /// In euros a year.
    pub eur: Option<f64>,
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
    /// One-way sensitivity of the group weights: SVG text or file name.
    pub weights: String,
    /// Tornado of the uncertain values: SVG text or file name.
    pub tornado: String,
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

/// `a, b en c` (Dutch) or `a, b and c` (English).
fn and_list(items: &[String], lang: Lang) -> String {
    let and = match lang {
        Lang::Nl => " en ",
        Lang::En => " and ",
    };
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}{and}{last}", rest.join(", ")),
    }
}

/// A sensitivity input key in words: `<initiative>.<criterion>` →
/// "initiative – criterion", `weights` → the split between the groups,
/// `weights.<group>` → the weights within a group, `group:<group>` → all
/// figures of a group.
fn input_label(decision: &Decision, key: &str, lang: Lang) -> String {
    let l = lang.code();
    let group_name = |id: &str| {
        decision
            .groups
            .iter()
            .find(|g| g.id == id)
            .map_or(id.to_string(), |g| g.name.get(l).to_lowercase())
    };
    if key == "weights" {
        let names: Vec<String> = decision
            .groups
            .iter()
            .map(|g| g.name.get(l).to_lowercase())
            .collect();
        return match lang {
            Lang::Nl => format!("de gewichtsverdeling tussen {}", and_list(&names, lang)),
            Lang::En => format!("the split of the weight between {}", and_list(&names, lang)),
        };
    }
    if let Some(g) = key.strip_prefix("weights.") {
        return match lang {
            Lang::Nl => format!("de gewichten binnen {}", group_name(g)),
            Lang::En => format!("the weights within {}", group_name(g)),
        };
    }
    if let Some(g) = key.strip_prefix("group:") {
        let name = group_name(g);
        return match lang {
            // Dutch compounds a single word: "kostencijfers".
            Lang::Nl if !name.contains(char::is_whitespace) => format!("alle {name}cijfers samen"),
            Lang::Nl => format!("alle cijfers over {name} samen"),
            Lang::En => format!("all {name} figures together"),
        };
    }
    match key.split_once('.') {
        Some((i, c)) => {
            let criterion = decision.criterion_index(c).map_or(c.to_string(), |k| {
                decision.criteria[k].name.get(l).to_string()
            });
            format!("{} – {}", name_of(decision, i), criterion)
        }
        None => key.to_string(),
    }
}

/// The kind of a sensitivity input key (see [`SobolRow::kind`]).
fn input_kind(key: &str) -> &'static str {
    if key == "weights" {
        "weights"
    } else if key.starts_with("weights.") {
        "local"
    } else if key.starts_with("group:") {
        "group"
    } else {
        "value"
    }
}

/// Selects the sensitivity chapters' numbers from the engine's result.
fn sensitivity(
    decision: &Decision,
    score: &ScoreResult,
    s: &SensitivityResult,
    lang: Lang,
) -> Sensitivity {
    let l = lang.code();
    let total_of = |id: &str| {
        score
            .initiatives
            .iter()
            .find(|x| x.id == id)
            .map_or(f64::NAN, |x| x.total)
    };
    let weight_name = |key: &str| match key.strip_prefix("group:") {
        Some(g) => decision
            .groups
            .iter()
            .find(|x| x.id == g)
            .map_or(g.to_string(), |x| x.name.get(l).to_string()),
        None => decision.criterion_index(key).map_or(key.to_string(), |k| {
            decision.criteria[k].name.get(l).to_string()
        }),
    };
    let named = |id: &Option<String>| id.as_deref().map(|i| name_of(decision, i).to_string());

    // Weight stability: groups first, then criteria in file order.
    let mut keys: Vec<String> = decision
        .groups
        .iter()
        .map(|g| format!("group:{}", g.id))
        .collect();
    keys.extend(decision.criteria.iter().map(|c| c.id.clone()));
    let mut flips = Vec::new();
    let mut stable_groups = Vec::new();
    let mut stable_criteria = Vec::new();
    for key in &keys {
        let Some(w) = s.weight_stability.get(key) else {
            continue;
        };
        match (w.smallest_change, &w.takes_over) {
            (Some(change), Some(taker)) => flips.push(Flip {
                kind: w.kind.to_string(),
                name: weight_name(key),
                current: w.current,
                lower: w.lower,
                upper: w.upper,
                taker_below: named(&w.taker_below),
                taker_above: named(&w.taker_above),
                smallest_change: change,
                takes_over: name_of(decision, taker).to_string(),
            }),
            _ if w.kind == "group" => stable_groups.push(weight_name(key)),
            _ => stable_criteria.push(weight_name(key)),
        }
    }
    flips.sort_by(|a, b| a.smallest_change.total_cmp(&b.smallest_change));
    let group_lines = decision
        .groups
        .iter()
        .filter_map(|g| {
            let w = s.weight_stability.get(&format!("group:{}", g.id))?;
            Some(OneWay {
                name: g.name.get(l).to_string(),
                current: w.current,
                lower: w.lower,
                upper: w.upper,
                lines: score
                    .initiatives
                    .iter()
                    .filter_map(|i| {
                        let [a, b] = w.lines.get(&i.id)?;
                        Some((i.name.clone(), *a, *b))
                    })
                    .collect(),
            })
        })
        .collect();

    // Tornado: largest swing first (ties: key order).
    let mut bars: Vec<(&String, &crate::engine::sensitivity::TornadoBar)> =
        s.tornado.iter().collect();
    bars.sort_by(|a, b| {
        (b.1.high - b.1.low)
            .abs()
            .total_cmp(&(a.1.high - a.1.low).abs())
    });
    let bar = |key: &str, t: &crate::engine::sensitivity::TornadoBar| {
        let (criterion, unit) = decision.criterion_index(&t.criterion).map_or(
            (t.criterion.clone(), String::new()),
            |k| {
                let c = &decision.criteria[k];
                (c.name.get(l).to_string(), c.unit.clone())
            },
        );
        Bar {
            label: input_label(decision, key, lang),
            initiative: name_of(decision, &t.initiative).to_string(),
            criterion,
            unit,
            low_input: t.low_input,
            high_input: t.high_input,
            low: t.low,
            high: t.high,
            base: t.base,
            changes_leader: t.changes_leader,
        }
    };
    let tornado_changes_leader = bars
        .iter()
        .filter(|(_, t)| t.changes_leader)
        .map(|(k, _)| input_label(decision, k, lang))
        .collect();
    let tornado_total = bars.len();
    let tornado = bars
        .iter()
        .take(RULES.tornado_bars)
        .map(|(k, t)| bar(k, t))
        .collect();

    // Sobol indices of the difference.
    let empty = std::collections::BTreeMap::new();
    let diff = s.sobol.get("difference").unwrap_or(&empty);
    let mut sobol: Vec<(&String, &crate::engine::sensitivity::SobolIndex)> = diff.iter().collect();
    sobol.sort_by(|a, b| b.1.total.total_cmp(&a.1.total));
    let sobol_total = sobol.len();
    let sobol = sobol
        .into_iter()
        .filter(|(_, x)| x.total >= RULES.sobol_min)
        .take(RULES.sobol_rows)
        .map(|(k, x)| SobolRow {
            key: k.clone(),
            kind: input_kind(k).to_string(),
            label: input_label(decision, k, lang),
            first: Pm {
                p: x.first,
                e: x.first_ci,
            },
            total: Pm {
                p: x.total,
                e: x.total_ci,
            },
        })
        .collect();

    // Value of information: highest EVPPI first.
    let mut evppi: Vec<EvppiRow> = s
        .evppi
        .iter()
        .map(|(k, &v)| EvppiRow {
            key: k.clone(),
            kind: input_kind(k).to_string(),
            label: input_label(decision, k, lang),
            value: v,
            error: s.error.evppi.get(k).copied().unwrap_or(f64::NAN),
            eur: s.evppi_eur.get(k).copied().flatten(),
        })
        .collect();
    evppi.sort_by(|a, b| b.value.total_cmp(&a.value));
    let before = evppi.len();
    evppi.retain(|r| match r.eur {
        Some(e) => e >= RULES.voi_min_eur,
        None => r.value >= RULES.voi_min_value,
    });
    Sensitivity {
        leader_id: s.leader.clone(),
        leader: name_of(decision, &s.leader).to_string(),
        leader_total: total_of(&s.leader),
        runner_up: name_of(decision, &s.runner_up).to_string(),
        runner_up_total: total_of(&s.runner_up),
        flips,
        stable_groups,
        stable_criteria,
        group_lines,
        tornado,
        tornado_total,
        tornado_changes_leader,
        sobol,
        sobol_total,
        evpi: s.evpi,
        evpi_error: s.error.evpi,
        evpi_eur: s.evpi_eur,
        eur_criterion: s.eur_criterion.as_deref().map(weight_name),
        eur_per_value_unit: s.eur_per_value_unit,
        evpi_tiny: s.evpi < RULES.evpi_tiny,
        evppi_left_out: before - evppi.len(),
        evppi_has_weights: evppi
            .iter()
            .any(|r| r.kind == "weights" || r.kind == "local"),
        evppi,
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
        sensitivity: sensitivity(decision, score, &results.sensitivity, lang),
        rules: RULES,
        stamp: Stamp {
            version: sim.version.clone(),
            seed: sim.seed,
            iterations: sim.iterations,
            confidence_iterations: sim.confidence_iterations,
            input_hash: sim.input_hash.clone(),
            generated: generated.to_string(),
            profile: sim.profile.id.clone(),
            sensitivity_seed: results.sensitivity.seed,
            sensitivity_rows: results.sensitivity.iterations,
            sensitivity_evaluations: results.sensitivity.evaluations,
        },
        charts: Charts::default(),
    }
}
