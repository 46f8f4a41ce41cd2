//! `afweging check`: validate a decision folder and summarise it.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::Args;

use super::{print, Failure, Global};
use crate::engine::weights::LevelSpec;
use crate::model::{self, Decision, LoadError, Profile};

/// Arguments of `afweging check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Treat warnings (such as a value without source or assumption) as errors.
    #[arg(long)]
    pub strict: bool,
}

pub(super) fn run(global: &Global, args: CheckArgs) -> Result<ExitCode, Failure> {
    let decision = model::load(&global.dir)?;
    if args.strict && !decision.warnings.is_empty() {
        let mut diags = model::Diagnostics::default();
        for w in &decision.warnings {
            diags.push(w.clone());
        }
        diags.escalate_warnings();
        return Err(LoadError::Invalid(diags).into());
    }
    if let Some(p) = &global.profile {
        decision.profile(Some(p)).map_err(Failure::input)?;
    }
    let mut out = String::new();
    for w in &decision.warnings {
        let _ = writeln!(out, "{w}\n");
    }
    out.push_str(&summary(&decision));
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn level_form(spec: &LevelSpec) -> &'static str {
    match spec {
        LevelSpec::Swing(_) => "swing points",
        LevelSpec::Bounds(_) => "bounds",
        LevelSpec::Ordinal(_) => "ranking",
        LevelSpec::Unknown(_) => "unknown",
    }
}

fn profile_line(d: &Decision, p: &Profile) -> String {
    let mut parts = vec![format!("groups: {}", level_form(p.groups.spec()))];
    for (g, l) in d.groups.iter().zip(&p.criteria) {
        parts.push(format!("{}: {}", g.id, level_form(l.spec())));
    }
    format!("  {:<12} {} — {}", p.id, p.name.nl, parts.join(", "))
}

/// The summary printed by `check`.
pub(crate) fn summary(d: &Decision) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", d.title);
    let _ = writeln!(
        s,
        "region: {} ({} municipalities, {} inhabitants)",
        d.region.name,
        d.region.municipalities.len(),
        d.region.population()
    );
    let _ = writeln!(s, "\ngroups and criteria ({}):", d.criteria.len());
    for g in &d.groups {
        let _ = writeln!(s, "  {} — {}", g.id, g.name.nl);
        for &ci in &g.criteria {
            let c = &d.criteria[ci];
            let _ = writeln!(
                s,
                "    {:<22} {} [{}], {} is better, {} scale",
                c.id,
                c.name.nl,
                c.unit,
                c.better.as_str(),
                c.scale.shape_name()
            );
        }
    }
    let _ = writeln!(
        s,
        "\nprofiles ({}; the first is the default):",
        d.profiles.len()
    );
    for p in &d.profiles {
        let _ = writeln!(s, "{}", profile_line(d, p));
    }
    let uncertain: usize = d
        .initiatives
        .iter()
        .map(|i| i.values.iter().filter(|v| !v.is_certain()).count())
        .sum();
    let _ = writeln!(
        s,
        "\ninitiatives ({}; {} of {} values uncertain):",
        d.initiatives.len(),
        uncertain,
        d.initiatives.len() * d.criteria.len()
    );
    for i in &d.initiatives {
        let _ = writeln!(s, "  {:<12} {}", i.id, i.name);
    }
    let _ = writeln!(
        s,
        "\nwarnings: {}\ninput hash: {}\nok: the decision folder is valid",
        d.warnings.len(),
        d.input_hash
    );
    s
}
