//! `afweging score`: the deterministic ranking.
//!
//! `--weights FILE` scores with one given weighting (swing points in the
//! `[[profile]]` format, as the explore page copies it; see
//! [`super::weights_file`]) instead of a profile of the decision.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{load, print, weights_file, Failure, FormatArg, Global};
use crate::engine::compiled::CompiledDecision;
use crate::engine::score::score;
use crate::report::export::exporter_with;

/// Arguments of `afweging score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// With --format table: keep every table whole and every line long
    /// (by default they are split and wrapped to fit 100 columns).
    #[arg(long)]
    pub wide: bool,
    /// Score with the swing points in FILE (one `[[profile]]` block with a
    /// number for every group and criterion, as `afweging explore` copies
    /// it) instead of a profile of the decision.
    #[arg(long, short = 'w', value_name = "FILE")]
    pub weights: Option<PathBuf>,
}

pub(super) fn run(global: &Global, args: ScoreArgs) -> Result<ExitCode, Failure> {
    let decision = load(global, false)?;
    let result = match &args.weights {
        Some(_) if global.profile.is_some() => {
            return Err(Failure::input(
                "--weights and --profile both choose the weights: give one of them",
            ))
        }
        Some(path) => {
            let file = weights_file::read(path, &decision)?;
            let profile = file
                .points
                .to_profile(&decision, &file.id, file.name.clone())
                .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
            compiled_score(&decision, &profile)?
        }
        None => {
            let profile = decision
                .profile(global.profile.as_deref())
                .map_err(Failure::input)?;
            compiled_score(&decision, profile)?
        }
    };
    print(&exporter_with(args.format.into(), args.wide).score(&decision, &result))?;
    Ok(ExitCode::SUCCESS)
}

/// The deterministic score of `decision` under `profile`.
fn compiled_score(
    decision: &crate::model::Decision,
    profile: &crate::model::Profile,
) -> Result<crate::engine::score::ScoreResult, Failure> {
    let compiled =
        CompiledDecision::new(decision, profile).map_err(|e| Failure::input(e.to_string()))?;
    Ok(score(&compiled))
}
