//! `afweging score`: the deterministic ranking.

use std::process::ExitCode;

use clap::Args;

use super::{load, print, Failure, FormatArg, Global};
use crate::engine::compiled::CompiledDecision;
use crate::engine::score::score;
use crate::report::export::exporter;

/// Arguments of `afweging score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
}

pub(super) fn run(global: &Global, args: ScoreArgs) -> Result<ExitCode, Failure> {
    let decision = load(global, false)?;
    let profile = decision
        .profile(global.profile.as_deref())
        .map_err(Failure::input)?;
    let compiled =
        CompiledDecision::new(&decision, profile).map_err(|e| Failure::input(e.to_string()))?;
    let result = score(&compiled);
    print(&exporter(args.format.into()).score(&decision, &result))?;
    Ok(ExitCode::SUCCESS)
}
