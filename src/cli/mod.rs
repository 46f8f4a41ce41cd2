//! The command line: clap definitions and one module per subcommand.
//!
//! Owns argument parsing, turning arguments into a plan, writing output and
//! exit codes. Only this module knows about terminals and progress bars.

mod check;
mod explore;
mod init;
pub mod memo;
mod output;
mod score;
mod sensitivity;
mod simulate;
mod weights_file;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::{self, Decision, LoadError};
use crate::report::export::Format;

/// Weigh public-safety alerting initiatives: score them on cost, reach and
/// effect, test how robust the ranking is, and write an advice memo.
#[derive(Debug, Parser)]
#[command(name = "afweging", version, about, long_about = None, after_help = "\
Examples:
  afweging check                     validate the decision in the current folder
  afweging score                     rank the initiatives (default profile)
  afweging --profile politie score --format json
  afweging score --dir path/to/decision --format md
  afweging simulate --iterations 1000000 --seed 7
  afweging simulate --target-error 0.005 --format json
  afweging sensitivity --format md   weight stability, tornado, Sobol indices, value of information
  afweging init ../mijn-regio         start a new decision folder from the Twente one
  afweging memo -o advies.html       the advice memo (Dutch HTML; --lang en, --format md)
  afweging explore -o verkenner.html what-if page: the council sets its own weights

Exit codes: 0 success, 1 failure, 2 invalid input (files or arguments).")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options for every command.
#[derive(Debug, Args)]
pub struct Global {
    /// The decision folder (holds afweging.toml, criteria/ and initiatives/).
    #[arg(
        long,
        short = 'd',
        global = true,
        default_value = ".",
        value_name = "DIR"
    )]
    pub dir: PathBuf,
    /// The weight profile to use (default: the first one in criteria/).
    #[arg(long, short = 'p', global = true, value_name = "ID")]
    pub profile: Option<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the decision folder and summarise it.
    Check(check::CheckArgs),
    /// Rank the initiatives with the deterministic value model (most likely values).
    Score(score::ScoreArgs),
    /// Monte Carlo SMAA-2: how robust is the ranking under uncertain values and weights?
    Simulate(simulate::SimulateArgs),
    /// What would change the advice (weight stability, tornado, Sobol indices)
    /// and what is worth finding out first (EVPI, EVPPI).
    Sensitivity(sensitivity::SensitivityArgs),
    /// Create a new decision folder from the shipped Twente decision.
    Init(init::InitArgs),
    /// Write the advice memo for the council (HTML or Markdown, Dutch or English).
    Memo(memo::MemoArgs),
    /// Write a self-contained what-if page on which the council sets its own weights.
    Explore(explore::ExploreArgs),
}

/// `--format` of the data commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Aligned text.
    Table,
    /// JSON (documented schema).
    Json,
    /// Comma-separated values.
    Csv,
    /// Markdown tables.
    Md,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::Md => Format::Md,
        }
    }
}

/// A failure the binary reports: its message and exit code.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong, ready to print.
    pub message: String,
    /// 2 for invalid input, 1 otherwise.
    pub code: u8,
}

impl Failure {
    /// Invalid input (exit code 2).
    pub fn input(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: 2,
        }
    }
    /// Anything else (exit code 1).
    pub fn other(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: 1,
        }
    }
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        Failure::input(e.to_string())
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Check(args) => check::run(&cli.global, args),
        Command::Init(args) => init::run(&cli.global, args),
        Command::Score(args) => score::run(&cli.global, args),
        Command::Simulate(args) => simulate::run(&cli.global, args),
        Command::Sensitivity(args) => sensitivity::run(&cli.global, args),
        Command::Memo(args) => memo::run(&cli.global, args),
        Command::Explore(args) => explore::run(&cli.global, args),
    }
}

/// Loads the decision folder, printing its warnings to stderr.
pub(crate) fn load(global: &Global, quiet_warnings: bool) -> Result<Decision, Failure> {
    let decision = model::load(&global.dir)?;
    if !quiet_warnings && !decision.warnings.is_empty() {
        let mut err = io::stderr().lock();
        for w in &decision.warnings {
            let w = crate::report::text::without_controls(&w.to_string());
            let _ = writeln!(err, "{w}\n");
        }
        let _ = writeln!(
            err,
            "{} warning(s); `afweging check` lists them, `check --strict` fails on them\n",
            decision.warnings.len()
        );
    }
    Ok(decision)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub(crate) fn print(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::other(format!("cannot write the output: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
