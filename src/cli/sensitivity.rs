//! `afweging sensitivity`: what would change the advice, and what is worth
//! finding out before deciding.

use std::process::ExitCode;

use clap::Args;

use super::{load, print, Failure, FormatArg, Global};
use crate::engine::compiled::CompiledDecision;
use crate::engine::sensitivity::{sensitivity_with_progress, SensitivityError, SensitivityPlan};
use crate::report::export::exporter_with;

/// Default base rows of the Sobol design.
pub const DEFAULT_ROWS: u64 = 20_000;

/// The most base rows the analysis takes: 10⁷. Measured on the shipped
/// decision (24 inputs): about 6 bytes of memory and 7 µs (two cores) per row,
/// so 10⁷ rows hold about 60 MB and take about a minute on two cores.
pub const MAX_ROWS: u64 = 10_000_000;

/// `flag`'s base rows, if within [`MAX_ROWS`] (the engine checks the
/// minimum).
pub(super) fn rows_within_limit(flag: &str, rows: u64) -> Result<u64, Failure> {
    if rows > MAX_ROWS {
        return Err(Failure::input(format!(
            "{flag} {rows} is more than the limit of {MAX_ROWS} base rows of the sensitivity analysis \
             (about 60 MB and a minute for a decision of the shipped size); use a smaller number"
        )));
    }
    Ok(rows)
}

/// Arguments of `afweging sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// Base rows of the Sobol design; each costs (inputs + 2) model
    /// evaluations, and each value-of-information integral uses 2·N draws.
    /// Between 2048 and 10000000.
    #[arg(long, short = 'n', value_name = "N", default_value_t = DEFAULT_ROWS)]
    pub iterations: u64,
    /// RNG seed (default: `seed` in afweging.toml).
    #[arg(long, short = 's', value_name = "S")]
    pub seed: Option<u64>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// With --format table: keep every table whole and every line long
    /// (by default they are split and wrapped to fit 100 columns).
    #[arg(long)]
    pub wide: bool,
    /// No progress bar and no warnings on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub(super) fn run(global: &Global, args: SensitivityArgs) -> Result<ExitCode, Failure> {
    let decision = load(global, args.quiet)?;
    let profile = decision
        .profile(global.profile.as_deref())
        .map_err(Failure::input)?;
    let plan = SensitivityPlan {
        seed: args.seed.unwrap_or(decision.simulation.seed),
        rows: rows_within_limit("--iterations", args.iterations)?,
    };
    let compiled =
        CompiledDecision::new(&decision, profile).map_err(|e| Failure::input(e.to_string()))?;
    let bar = super::simulate::progress_bar(args.quiet, "sensitivity");
    let result = sensitivity_with_progress(&compiled, &plan, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .map_err(|e| Failure::input(with_flag(&e, "--iterations")))?;
    bar.finish_and_clear();
    print(&exporter_with(args.format.into(), args.wide).sensitivity(&decision, &result))?;
    Ok(ExitCode::SUCCESS)
}

/// The engine's refusal in words, with what to do about it on the command
/// line: `flag` sets the base rows (`--iterations` here,
/// `--sensitivity-rows` in `memo`).
pub(super) fn with_flag(e: &SensitivityError, flag: &str) -> String {
    match e {
        SensitivityError::TooFewRows { min, .. } => format!("{e}: use {flag} {min} or more"),
        _ => e.to_string(),
    }
}
