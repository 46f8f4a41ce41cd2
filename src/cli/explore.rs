//! `afweging explore`: the what-if page on which a council sets its own
//! weights.
//!
//! Owns the command's arguments and orchestration: it loads the decision,
//! asks the engine for the alternatives, the scenario draws and each
//! profile's slider positions ([`crate::engine::explore`]), has the report
//! render the page ([`crate::report::explore`]) and writes it atomically
//! (as `memo` does: a temporary file in the target folder, renamed into
//! place when complete).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::memo::LangArg;
use super::{load, output, print, weights_file, Failure, Global};
use crate::engine::explore::{self, ExploreError, MAX_SCENARIOS, MIN_SCENARIOS};
use crate::report::explore as page;

/// Most scenarios embedded by default.
pub const DEFAULT_SCENARIOS: usize = 6000;
/// Size the default aims the page at.
const TARGET_BYTES: f64 = 2.0e6;
/// The page without its draws (measured: about 53–56 kB for the shipped
/// and the benchmark decision), rounded up.
const PAGE_BYTES: f64 = 60_000.0;
/// Bytes per embedded draw (measured: 7.0 for the benchmark decision's 60
/// uncertain values, 6.8 for the shipped one's 44), rounded up.
const DRAW_BYTES: f64 = 7.2;

/// The default number of scenarios for a decision with `columns` uncertain
/// values: as many as keep the page under about 2 MB, at most
/// [`DEFAULT_SCENARIOS`], at least [`MIN_SCENARIOS`].
pub fn default_scenarios(columns: usize) -> usize {
    let fit = (TARGET_BYTES - PAGE_BYTES) / (DRAW_BYTES * columns.max(1) as f64);
    (fit.floor() as usize).clamp(MIN_SCENARIOS, DEFAULT_SCENARIOS)
}

/// Arguments of `afweging explore`.
#[derive(Debug, Args)]
#[command(after_help = "\
The page works offline from file:// (also on a phone): open it in a browser,
move the sliders (swing points: how much the difference between the worst
and the best end of a scale counts), and copy the weights as a [[profile]]
block into criteria/*.toml. `afweging score --weights FILE` scores that block.

Examples:
  afweging explore -o verkenner.html
  afweging explore --lang en --scenarios 2000 -o explorer.html
  afweging --profile politie explore -o verkenner-politie.html")]
pub struct ExploreArgs {
    /// Language of the page.
    #[arg(long, short = 'l', value_enum, default_value_t = LangArg::Nl)]
    pub lang: LangArg,
    /// Write the page to FILE (default: standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Scenario draws of the uncertain values embedded in the page
    /// (between 100 and 20000; more makes the shares steadier and the file
    /// larger, about 0.3 MB per 1000 for the shipped decision). Default: as
    /// many as keep the page under about 2 MB, at most 6000.
    #[arg(long, short = 'n', value_name = "N")]
    pub scenarios: Option<usize>,
    /// RNG seed of the draws (default: `seed` in afweging.toml).
    #[arg(long, short = 's', value_name = "S")]
    pub seed: Option<u64>,
    /// Also write the page's data (the embedded JSON) to FILE.
    #[arg(long, value_name = "FILE")]
    pub data_json: Option<PathBuf>,
    /// Instead of the page, print (JSON) what the engine computes for the
    /// swing points in FILE (a `[[profile]]` block as the page copies it)
    /// over the same scenarios: totals, first-place shares, tipping points
    /// and euro figures. For checking the page against the engine.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["output", "data_json"])]
    pub evaluate: Option<PathBuf>,
    /// No warnings and no message on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub(super) fn run(global: &Global, args: ExploreArgs) -> Result<ExitCode, Failure> {
    if let Some(n) = args
        .scenarios
        .filter(|n| !(MIN_SCENARIOS..=MAX_SCENARIOS).contains(n))
    {
        return Err(Failure::input(format!(
            "--scenarios {n}: the page embeds between {MIN_SCENARIOS} and {MAX_SCENARIOS} scenarios \
             (the default keeps the file under about 2 MB); choose N in that range"
        )));
    }
    for path in [&args.output, &args.data_json].into_iter().flatten() {
        output::check_target(path)?;
    }
    let decision = load(global, args.quiet)?;
    let profile = decision
        .profile(global.profile.as_deref())
        .map_err(Failure::input)?;
    let initial = decision
        .profiles
        .iter()
        .position(|p| p.id == profile.id)
        .unwrap_or(0);
    let seed = args.seed.unwrap_or(decision.simulation.seed);
    let scenarios = match args.scenarios {
        Some(n) => n,
        None => default_scenarios(
            explore::uncertain_columns(&decision).map_err(|e| Failure::input(e.to_string()))?,
        ),
    };
    let values = explore::values(&decision, seed, scenarios).map_err(|e| match e {
        ExploreError::Scenarios { .. } => Failure::input(format!("--scenarios: {e}")),
        e => Failure::input(e.to_string()),
    })?;
    if let Some(path) = &args.evaluate {
        let file = weights_file::read(path, &decision)?;
        let profile = file
            .points
            .to_profile(&decision, &file.id, file.name.clone())
            .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
        let evaluation = explore::evaluate(&decision, &values, &profile)
            .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
        let json = serde_json::to_string_pretty(&evaluation)
            .map_err(|e| Failure::other(format!("cannot write the evaluation: {e}")))?;
        print(&(json + "\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let alternatives =
        explore::alternatives(&decision).map_err(|e| Failure::input(e.to_string()))?;
    let presets: Vec<_> = decision.profiles.iter().map(explore::preset).collect();
    let inputs = page::Inputs {
        alternatives: &alternatives,
        values: &values,
        presets: &presets,
        initial,
        money: explore::money_criterion(&decision),
    };
    let lang = match args.lang {
        LangArg::Nl => "nl",
        LangArg::En => "en",
    };
    let data = page::data(&decision, &inputs, lang);
    let html = page::render(&data);
    let json = args.data_json.as_ref().map(|_| page::data_json(&data));
    let mut files: Vec<(PathBuf, &str)> = Vec::new();
    if let (Some(path), Some(json)) = (&args.data_json, &json) {
        files.push((path.clone(), json.as_str()));
    }
    match &args.output {
        Some(path) => files.push((path.clone(), html.as_str())),
        None => print(&html)?,
    }
    // The page and its data are written together, or neither.
    let owned: Vec<(PathBuf, Vec<u8>)> = files
        .iter()
        .map(|(p, t)| (p.clone(), t.as_bytes().to_vec()))
        .collect();
    output::write_files(&owned)?;
    if !args.quiet {
        for (path, text) in &files {
            let mut err = std::io::stderr();
            let _ = writeln!(err, "wrote {} ({} bytes)", path.display(), text.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_keeps_the_page_near_two_megabytes() {
        // The shipped decision (44 uncertain values) keeps the maximum.
        assert_eq!(default_scenarios(44), DEFAULT_SCENARIOS);
        // The benchmark decision (60) gets fewer: 2.57 MB at 6000 before.
        let n = default_scenarios(60);
        assert!((4300..4700).contains(&n), "{n}");
        assert_eq!(default_scenarios(100_000), MIN_SCENARIOS);
        assert_eq!(default_scenarios(0), DEFAULT_SCENARIOS);
    }
}
