//! `afweging memo`: the advice memo for the council, in HTML or Markdown.
//!
//! Owns the memo's arguments and the steps of a memo run, in this order:
//! load the decision, validate every argument ([`plan`]), run the engine
//! ([`mod@run`], the one place a memo asks the engine for numbers), render
//! ([`crate::report::memo`]) and write (`write`: the memo and, for
//! Markdown, its SVG charts appear together or not at all, so after any
//! error no output file is left). Errors name the memo's own flags.

pub mod plan;
pub mod run;
mod today;
mod write;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::sensitivity::DEFAULT_ROWS;
use super::simulate::{new_phase, progress_bar};
use super::{load, print, Failure, Global};
use crate::engine::sensitivity::SensitivityError;
use crate::report::memo::{self, MemoError};
pub use run::{run_engine, EnginePlan, Phase, RunError};

/// `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Dutch.
    Nl,
    /// English.
    En,
}

/// `--format` of the memo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MemoFormatArg {
    /// One self-contained HTML page (inline CSS and SVG charts; prints to A4).
    Html,
    /// Markdown; the charts are SVG files beside the memo.
    Md,
}

/// Arguments of `afweging memo`.
#[derive(Debug, Args)]
pub struct MemoArgs {
    /// Language of the memo.
    #[arg(long, short = 'l', value_enum, default_value_t = LangArg::Nl)]
    pub lang: LangArg,
    /// Output format (default: from the -o file's extension: .html/.htm or
    /// .md/.markdown, in any case; HTML on standard output). Must agree
    /// with the extension; a file without one needs it.
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<MemoFormatArg>,
    /// Write the memo to FILE (default: standard output); FILE ends in
    /// .html, .htm, .md or .markdown (for a PDF, print the HTML memo from a
    /// browser).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Use the templates in DIR instead of the built-in ones, file by file
    /// (e.g. DIR/html/advies.html.j2 replaces only the Advies chapter); a
    /// .j2 or .css file that replaces no built-in template is refused.
    #[arg(long, value_name = "DIR")]
    pub template_dir: Option<PathBuf>,
    /// Number of iterations per profile, at most 1000000000 (default:
    /// `iterations` in afweging.toml).
    #[arg(long, short = 'n', value_name = "N")]
    pub iterations: Option<u64>,
    /// RNG seed (default: `seed` in afweging.toml); also seeds the
    /// sensitivity analysis.
    #[arg(long, short = 's', value_name = "S")]
    pub seed: Option<u64>,
    /// Base rows of the sensitivity analysis (as `afweging sensitivity -n`;
    /// at least 2048, two batches; at most 10000000).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_ROWS)]
    pub sensitivity_rows: u64,
    /// No progress bar and no warnings on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl From<MemoError> for Failure {
    fn from(e: MemoError) -> Self {
        match e {
            MemoError::Template(_) | MemoError::TemplateDir { .. } => Failure::input(e.to_string()),
            _ => Failure::other(e.to_string()),
        }
    }
}

impl From<RunError> for Failure {
    fn from(e: RunError) -> Self {
        match e {
            // Checked before the run; kept so the engine's rule can never
            // reach a memo user in the words of another command.
            RunError::Sensitivity(SensitivityError::TooFewRows { min, got }) => {
                plan::too_few_sensitivity_rows(min, got)
            }
            _ => Failure::input(e.to_string()),
        }
    }
}

pub(super) fn run(global: &Global, args: MemoArgs) -> Result<ExitCode, Failure> {
    let decision = load(global, args.quiet)?;
    let plan = plan::plan(&decision, global, &args)?;
    let bar = progress_bar(args.quiet, "");
    // The phase now shown: a new one restarts the bar and its clock.
    let shown = std::sync::Mutex::new(None::<Phase>);
    let results = run_engine(&decision, &plan.engine, &|phase, done, total| {
        let mut shown = shown.lock().unwrap_or_else(|e| e.into_inner());
        if shown.as_ref() != Some(phase) {
            new_phase(&bar, &phase.to_string(), total);
            *shown = Some(phase.clone());
        }
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    if !args.quiet {
        // A run to `target_error` (afweging.toml) that stopped at its cap.
        for (profile, sim) in decision.profiles.iter().zip(&results.simulations) {
            if let Some(note) = super::simulate::target_note(sim) {
                let _ = writeln!(std::io::stderr(), "{}: {note}", profile.id);
            }
        }
    }
    let rendered = memo::render(&decision, &results, &plan.options)?;
    match &plan.output {
        None => print(&rendered.text)?,
        Some(path) => {
            write::write_memo(path, &rendered)?;
            if !args.quiet {
                let mut err = std::io::stderr();
                let _ = writeln!(err, "wrote {}", path.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_s_row_minimum_reaches_memo_users_as_the_memo_s_flag() {
        let f = Failure::from(RunError::Sensitivity(SensitivityError::TooFewRows {
            min: 2048,
            got: 5,
        }));
        assert_eq!(f.code, 2);
        assert!(f
            .message
            .starts_with("--sensitivity-rows must be at least 2048"));
        assert!(f.message.contains("got 5"));
        assert!(!f.message.contains("--iterations"), "{}", f.message);
    }
}
