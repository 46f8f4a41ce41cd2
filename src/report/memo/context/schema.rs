//! What the templates see: the serialisable structs of the memo context.
//!
//! Owns the memo's data contract with the templates (in every language and
//! format): one struct per chapter or table, with a doc comment on every
//! field. A template override may use any field here, so fields are added,
//! not renamed. The structs hold numbers and names already selected from
//! the engine's results and the decision; they compute and format nothing.

use serde::Serialize;

use super::Rules;
use crate::engine::simulate::ValueStats;
use crate::engine::value_fn::Scale;
use crate::model::Dist;
use crate::report::memo::format::Lang;

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
    /// The declared sources (`sources.toml`), in file order; the last
    /// appendix "Bronnen" when not empty.
    pub references: Vec<SourceInfo>,
    /// "Gevoeligheid" and "Wat is het waard om meer te weten?".
    pub sensitivity: Sensitivity,
    /// The thresholds of the advice rules.
    pub rules: Rules,
    /// The reproducibility stamp.
    pub stamp: Stamp,
    /// Charts: inline SVG (HTML) or file names (Markdown); set by the renderer.
    pub charts: Charts,
}

/// How robust the first place is (see [`Rules::very_robust`] and
/// [`Rules::robust`]); the templates see `"very_high"`, `"high"` or `"low"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Robustness {
    /// First in at least [`Rules::very_robust`] of the scenarios.
    VeryHigh,
    /// First in at least [`Rules::robust`].
    High,
    /// Less.
    Low,
}

/// How one level of weights is given: `"swing"`, `"bounds"`, `"ordinal"`
/// or `"unknown"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpecKind {
    /// Swing points.
    Swing,
    /// Bounds on the shares.
    Bounds,
    /// An order of importance.
    Ordinal,
    /// Nothing known.
    Unknown,
}

/// Where a number comes from: `"source"`, `"assumption"` or `"none"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProvenanceKind {
    /// A publication.
    Source,
    /// A stated assumption.
    Assumption,
    /// Neither (the loader warns).
    None,
}

/// A weight: `"group"` (a group's share) or `"criterion"` (a criterion's
/// global weight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WeightKind {
    /// A group's share.
    Group,
    /// A criterion's global weight.
    Criterion,
}

/// A sensitivity input: `"value"` (one uncertain value), `"weights"` (the
/// group shares), `"local"` (the shares inside a group) or `"group"` (all
/// values of a group).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// One uncertain value.
    Value,
    /// The split of the weight between the groups.
    Weights,
    /// The shares inside one group.
    Local,
    /// All uncertain values of one group.
    Group,
}

impl InputKind {
    /// Whether knowing this input better means deciding on weights, not
    /// research.
    pub fn is_weights(self) -> bool {
        matches!(self, InputKind::Weights | InputKind::Local)
    }
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
    pub robustness: Robustness,
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
    pub kind: SpecKind,
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
    pub provenance: ProvenanceKind,
    /// The source or assumption text.
    pub note: String,
    /// Whether a cited source is dated after the decision date.
    pub later: bool,
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
    pub provenance: ProvenanceKind,
    /// The text of the source or assumption.
    pub note: String,
    /// The declared source ids the source cites (empty for free text).
    pub cites: Vec<String>,
    /// Whether a cited source is dated after the decision date.
    pub later: bool,
}

/// One declared source, for the appendix "Bronnen".
#[derive(Debug, Clone, Serialize)]
pub struct SourceInfo {
    /// Identifier (`S14`).
    pub id: String,
    /// Title, may be empty.
    pub title: String,
    /// Publisher, may be empty.
    pub publisher: String,
    /// Date as written (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), if dated.
    pub date: Option<String>,
    /// Address as text (never a link).
    pub address: Option<String>,
    /// Whether it is dated after the decision date.
    pub after_decision: bool,
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

/// The sensitivity chapters: numbers selected from the [`SensitivityResult`](crate::engine::sensitivity::SensitivityResult)
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
    pub kind: WeightKind,
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
    pub kind: InputKind,
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
    pub kind: InputKind,
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
