//! `afweging simulate`: the SMAA-2 Monte Carlo analysis.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{load, print, Failure, FormatArg, Global};
use crate::engine::compiled::CompiledDecision;
use crate::engine::simulate::{simulate, Plan, SimulationResult, Stop, MAX_ADAPTIVE_ITERATIONS};
use crate::model::Decision;
use crate::report::export::exporter_with;

/// The most iterations one simulation runs: 10⁹, about half an hour on two
/// cores for the shipped decision (measured: 10⁷ iterations take 19 s, see
/// the README). More is refused rather than left running for days.
pub const MAX_ITERATIONS: u64 = 1_000_000_000;

/// Arguments of `afweging simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Number of iterations, at most 1000000000 (default: `iterations` in
    /// afweging.toml).
    #[arg(long, short = 'n', value_name = "N", conflicts_with = "target_error")]
    pub iterations: Option<u64>,
    /// Run until every rank acceptability is within ±E (95%), e.g. 0.005
    /// (default: `target_error` in afweging.toml, if set). Stops at
    /// 50000000 iterations even if the target is not reached, and then says
    /// so in the output and on stderr.
    #[arg(long, value_name = "E")]
    pub target_error: Option<f64>,
    /// RNG seed (default: `seed` in afweging.toml). Same inputs and seed give
    /// bit-identical results on any number of threads.
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
        (Some(n), _) if n > MAX_ITERATIONS => return Err(too_many_iterations("--iterations", n)),
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
            None if s.iterations > MAX_ITERATIONS => {
                return Err(too_many_iterations("`iterations` in afweging.toml", s.iterations))
            }
            None => Stop::Iterations(s.iterations),
        },
    };
    Ok(Plan {
        seed: seed.unwrap_or(s.seed),
        stop,
        confidence: true,
    })
}

/// The refusal of more than [`MAX_ITERATIONS`]; `what` names where the
/// number came from.
fn too_many_iterations(what: &str, n: u64) -> Failure {
    Failure::input(format!(
        "{what} {n} is more than the limit of {MAX_ITERATIONS} iterations \
         (about half an hour for a decision of the shipped size); \
         use a smaller number, or --target-error to stop when the result is precise enough"
    ))
}

/// The note that a run to a target error stopped at its cap of iterations
/// before reaching the target (`None` when it was reached or not asked).
pub(crate) fn target_note(result: &SimulationResult) -> Option<String> {
    match (result.target_error, result.target_reached) {
        (Some(t), false) => Some(format!(
            "note: the target error {t} was not reached within {} iterations \
             (the cap is {MAX_ADAPTIVE_ITERATIONS}); the ± columns show the precision reached",
            result.iterations
        )),
        _ => None,
    }
}

/// The progress line: the phase, the bar, the share done, the time spent
/// and the estimated time left.
pub(crate) const PROGRESS_TEMPLATE: &str =
    "{spinner} {prefix} {bar:30} {percent:>3}% {elapsed} elapsed, ETA {eta} {msg}";

/// A progress bar on a terminal's stderr, hidden otherwise or when quiet;
/// `phase` names what runs ("simulating", "sensitivity").
pub(crate) fn progress_bar(quiet: bool, phase: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    if quiet || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    } else {
        // Ctrl-C then clears the bar's line instead of leaving it behind.
        super::output::install_signal_cleanup();
    }
    bar.set_style(
        ProgressStyle::with_template(PROGRESS_TEMPLATE)
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_prefix(crate::report::text::without_controls(phase));
    bar
}

/// Starts a new phase on `bar`: its name, and the clock and position from zero.
pub(crate) fn new_phase(bar: &ProgressBar, phase: &str, total: u64) {
    bar.set_prefix(crate::report::text::without_controls(phase));
    bar.reset();
    bar.set_length(total);
}

pub(super) fn run(global: &Global, args: SimulateArgs) -> Result<ExitCode, Failure> {
    let decision = load(global, args.quiet)?;
    let profile = decision
        .profile(global.profile.as_deref())
        .map_err(Failure::input)?;
    let plan = plan(&decision, args.iterations, args.target_error, args.seed)?;
    let bar = progress_bar(args.quiet, "simulating");
    let compiled =
        CompiledDecision::new(&decision, profile).map_err(|e| Failure::input(e.to_string()))?;
    let result = simulate(&compiled, &plan, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .map_err(|e| Failure::input(e.to_string()))?;
    bar.finish_and_clear();
    if let Some(note) = target_note(&result) {
        if !args.quiet {
            let _ = writeln!(std::io::stderr(), "{note}");
        }
    }
    print(&exporter_with(args.format.into(), args.wide).simulation(&decision, &result))?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_names_the_phase_and_shows_elapsed_time_and_eta() {
        for key in ["{prefix}", "{elapsed}", "{eta}", "{percent"] {
            assert!(PROGRESS_TEMPLATE.contains(key), "{key}");
        }
        assert!(ProgressStyle::with_template(PROGRESS_TEMPLATE).is_ok());
        let bar = progress_bar(true, "simulating dvo");
        assert_eq!(bar.prefix(), "simulating dvo");
        new_phase(&bar, "sensitivity", 10);
        assert_eq!(bar.prefix(), "sensitivity");
        assert_eq!(bar.length(), Some(10));
    }

    #[test]
    fn a_run_that_stops_at_the_cap_says_so_with_the_cap() {
        let decision = crate::model::load(std::path::Path::new("tests/data/twente-v1")).unwrap();
        let profile = decision.profile(None).unwrap();
        let compiled = CompiledDecision::new(&decision, profile).unwrap();
        let plan = Plan {
            seed: 1,
            stop: Stop::TargetError {
                target: 1e-9,
                max_iterations: 1,
            },
            confidence: false,
        };
        let result = simulate(&compiled, &plan, &|_, _| {}).unwrap();
        let note = target_note(&result).expect("the target is not reached");
        assert!(
            note.contains(&MAX_ADAPTIVE_ITERATIONS.to_string()),
            "{note}"
        );
        assert!(note.contains("not reached"), "{note}");
        let reached = SimulationResult {
            target_reached: true,
            ..result
        };
        assert_eq!(target_note(&reached), None);
    }
}
