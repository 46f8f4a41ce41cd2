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
use crate::engine::sensitivity::{sensitivity_with_progress, SensitivityError, SensitivityPlan};
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

/// A long phase of a memo run, for its progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// The simulation of profile `id`, the `index`-th (from 1) of `of`.
    Simulation {
        /// The profile's id.
        id: String,
        /// Its place among the profiles, from 1.
        index: usize,
        /// How many profiles there are.
        of: usize,
    },
    /// The sensitivity analysis of the memo's profile.
    Sensitivity,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Phase::Simulation { id, index, of } => write!(f, "simulating {id} ({index}/{of})"),
            Phase::Sensitivity => write!(f, "sensitivity"),
        }
    }
}

/// Runs the engine for a memo. `progress(phase, done, total)` reports each
/// phase from its own start: every profile's simulation, then the
/// sensitivity analysis.
pub fn run_engine(
    decision: &Decision,
    plan: &EnginePlan,
    progress: &(dyn Fn(&Phase, u64, u64) + Sync),
) -> Result<Results, RunError> {
    let n = decision.profiles.len();
    let mut scores = Vec::with_capacity(n);
    let mut simulations = Vec::with_capacity(n);
    let mut compiled = Vec::with_capacity(n);
    for (k, p) in decision.profiles.iter().enumerate() {
        let cd = CompiledDecision::new(decision, p)?;
        scores.push(score(&cd));
        let phase = Phase::Simulation {
            id: p.id.clone(),
            index: k + 1,
            of: n,
        };
        let sim = simulate(&cd, &plan.simulation, &|done, total| {
            progress(&phase, done, total)
        })?;
        simulations.push(sim);
        compiled.push(cd);
    }
    let sensitivity =
        sensitivity_with_progress(&compiled[plan.chosen], &plan.sensitivity, &|done, total| {
            progress(&Phase::Sensitivity, done, total)
        })?;
    Ok(Results {
        chosen: plan.chosen,
        scores,
        simulations,
        sensitivity,
    })
}
