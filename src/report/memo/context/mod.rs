//! The memo context: one serialisable struct built from the decision and the
//! engine's results.
//!
//! Owns the assembly of the [`MemoContext`] from its parts, one file each:
//! [`schema`] (the structs the templates see), `rules` (the documented
//! rules that turn numbers into the advice's words), `framework` (groups,
//! criteria and profile weights), `initiatives` (texts, deterministic
//! scores, input values, declared sources), `smaa` (simulation tables), `costs` (cost per
//! municipality), `sensitivity` (weights, tornado, Sobol, value of
//! information) with `inputs` (the engine's input keys in words) and
//! `names` (ids to names). It does not run the engine or compute
//! statistics: every figure is copied from a [`ScoreResult`],
//! [`SimulationResult`] or [`SensitivityResult`], or is an input of the
//! decision. It does not format numbers either; the templates do that
//! through the filters of [`super::format`].

mod costs;
mod framework;
mod initiatives;
mod inputs;
mod names;
mod rules;
pub mod schema;
mod sensitivity;
mod smaa;

pub use rules::{Rules, RULES};
pub use schema::*;

use super::format::{paragraphs, Lang};
use crate::engine::score::ScoreResult;
use crate::engine::sensitivity::SensitivityResult;
use crate::engine::simulate::SimulationResult;
use crate::model::Decision;

/// The engine results a memo is written from: for every profile (in the
/// decision's profile order) its deterministic score and its simulation, and
/// the sensitivity analysis of the memo's profile. The CLI obtains them
/// from the engine; the report only reads them.
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

/// Builds the memo context. `format` is `"html"` or `"md"`; `generated` is
/// the generation date (ISO). The charts are left empty for the renderer.
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
    let (advice, choices) = rules::advice(decision, results, lang);
    let (smaa, smaa_names) = smaa::rows(decision, sim);
    MemoContext {
        lang,
        nl: lang == Lang::Nl,
        format: format.to_string(),
        header: header(decision),
        advice,
        profile: framework::profile(decision, &decision.profiles[k], score, lang),
        context: paragraphs(&decision.context),
        follow_up: paragraphs(&decision.follow_up),
        groups: framework::groups(decision, score, lang),
        profiles: framework::profiles(decision, &results.scores, lang),
        initiatives: initiatives::initiatives(decision, score, lang),
        smaa_names,
        smaa,
        criteria_names: decision
            .criteria
            .iter()
            .map(|c| c.name.get(lang.code()).to_string())
            .collect(),
        choices,
        decision_risks: decision.risks.clone(),
        costs: costs::costs(decision, score, lang),
        inputs: initiatives::inputs(decision, score, lang),
        references: initiatives::references(decision),
        sensitivity: sensitivity::sensitivity(decision, score, &results.sensitivity, lang),
        rules: RULES,
        stamp: stamp(results, generated),
        charts: Charts::default(),
    }
}

/// The memo header, from the decision's frame.
fn header(decision: &Decision) -> Header {
    Header {
        title: decision.title.clone(),
        question: decision.question.clone(),
        decided_by: decision.decided_by.clone(),
        date: decision.decision_date.clone(),
        prepared_by: decision.prepared_by.clone(),
        region: decision.region.name.clone(),
        population: decision.region.population(),
        municipalities: decision.region.municipalities.len(),
        n_initiatives: decision.initiatives.len(),
        n_criteria: decision.criteria.len(),
    }
}

/// The reproducibility stamp: the memo profile's simulation and the
/// sensitivity analysis.
fn stamp(results: &Results, generated: &str) -> Stamp {
    let sim = &results.simulations[results.chosen];
    Stamp {
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
    }
}
