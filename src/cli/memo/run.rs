//! The one place where a memo run asks the engine for its numbers.
//!
//! Owns the orchestration of a memo: the deterministic score and the
//! simulation of every profile with the same plan, then the sensitivity
//! analysis of the memo's profile. The report layer only receives the
//! [`Results`]; it never runs the engine. This module does not validate
//! arguments (see [`super::plan`]) and knows no flag: the CLI maps a
//! [`RunError`] to a message that names the memo's own flags.

use crate::engine::compiled::{CompileError, CompiledDecision};
use crate::engine::score::score;
use crate::engine::sensitivity::{sensitivity, SensitivityError, SensitivityPlan};
use crate::engine::simulate::{simulate, Plan, SimulateError};
use crate::model::Decision;
use crate::report::memo::Results;

/// What the engine computes for one memo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EnginePlan {
    /// Index of the memo's profile in the decision's profiles.
    pub chosen: usize,
    /// The simulation of every profile (same seed and stopping rule).
    pub simulation: Plan,
    /// The sensitivity analysis of the memo's profile.
    pub sensitivity: SensitivityPlan,
}

/// Why the engine refused a memo run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The decision cannot be compiled with a profile.
    #[error(transparent)]
    Compile(#[from] CompileError),
    /// A simulation refused.
    #[error(transparent)]
    Simulate(#[from] SimulateError),
    /// The sensitivity analysis refused.
    #[error(transparent)]
    Sensitivity(#[from] SensitivityError),
}

/// Runs the engine for a memo. `progress(done, total)` counts over the
/// simulations of all profiles.
pub fn run_engine(
    decision: &Decision,
    plan: &EnginePlan,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Results, RunError> {
    let n = decision.profiles.len() as u64;
    let mut scores = Vec::with_capacity(decision.profiles.len());
    let mut simulations = Vec::with_capacity(decision.profiles.len());
    let mut compiled = Vec::with_capacity(decision.profiles.len());
    for (k, p) in decision.profiles.iter().enumerate() {
        let cd = CompiledDecision::new(decision, p)?;
        scores.push(score(&cd));
        let offset = k as u64;
        let sim = simulate(&cd, &plan.simulation, &|done, total| {
            progress(offset * total + done, n * total)
        })?;
        simulations.push(sim);
        compiled.push(cd);
    }
    let sensitivity = sensitivity(&compiled[plan.chosen], &plan.sensitivity)?;
    Ok(Results {
        chosen: plan.chosen,
        scores,
        simulations,
        sensitivity,
    })
}
