//! `afweging simulate`: the SMAA-2 Monte Carlo analysis.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{load, print, Failure, FormatArg, Global};
use crate::engine::compiled::CompiledDecision;
use crate::engine::simulate::{simulate, Plan, Stop, MAX_ADAPTIVE_ITERATIONS};
use crate::model::Decision;
use crate::report::export::exporter;

/// Arguments of `afweging simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Number of iterations (default: `iterations` in afweging.toml).
    #[arg(long, short = 'n', value_name = "N", conflicts_with = "target_error")]
    pub iterations: Option<u64>,
    /// Run until every rank acceptability is within ±E (95%), e.g. 0.005
    /// (default: `target_error` in afweging.toml, if set).
    #[arg(long, value_name = "E")]
    pub target_error: Option<f64>,
    /// RNG seed (default: `seed` in afweging.toml). Same inputs and seed give
    /// bit-identical results on any number of threads.
    #[arg(long, short = 's', value_name = "S")]
    pub seed: Option<u64>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// No progress bar and no warnings on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// The stopping rule from arguments and the decision's defaults.
pub(crate) fn plan(
    decision: &Decision,
    iterations: Option<u64>,
    target_error: Option<f64>,
    seed: Option<u64>,
) -> Result<Plan, Failure> {
    let s = decision.simulation;
    let stop = match (iterations, target_error) {
        (Some(0), _) => return Err(Failure::input("--iterations must be at least 1")),
        (Some(n), _) => Stop::Iterations(n),
        (None, Some(e)) if !(e > 0.0 && e < 0.5) => {
            return Err(Failure::input(format!(
                "--target-error must be between 0 and 0.5, got {e}: 0.005 asks for every acceptability within ±0.5 percentage points"
            )))
        }
        (None, Some(e)) => Stop::TargetError {
            target: e,
            max_iterations: MAX_ADAPTIVE_ITERATIONS,
        },
        (None, None) => match s.target_error {
            Some(e) => Stop::TargetError {
                target: e,
                max_iterations: MAX_ADAPTIVE_ITERATIONS,
            },
            None => Stop::Iterations(s.iterations),
        },
    };
    Ok(Plan {
        seed: seed.unwrap_or(s.seed),
        stop,
        confidence: true,
    })
}

/// A progress bar on a terminal's stderr, hidden otherwise or when quiet.
pub(crate) fn progress_bar(quiet: bool) -> ProgressBar {
    let bar = ProgressBar::new(0);
    if quiet || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    } else {
        // Ctrl-C then clears the bar's line instead of leaving it behind.
        super::output::install_signal_cleanup();
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} simulating {bar:30} {percent:>3}% {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

pub(super) fn run(global: &Global, args: SimulateArgs) -> Result<ExitCode, Failure> {
    let decision = load(global, args.quiet)?;
    let profile = decision
        .profile(global.profile.as_deref())
        .map_err(Failure::input)?;
    let plan = plan(&decision, args.iterations, args.target_error, args.seed)?;
    let bar = progress_bar(args.quiet);
    let compiled =
        CompiledDecision::new(&decision, profile).map_err(|e| Failure::input(e.to_string()))?;
    let result = simulate(&compiled, &plan, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .map_err(|e| Failure::input(e.to_string()))?;
    bar.finish_and_clear();
    print(&exporter(args.format.into()).simulation(&decision, &result))?;
    Ok(ExitCode::SUCCESS)
}
