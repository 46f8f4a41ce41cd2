//! From the memo's arguments to a validated plan, before anything runs.
//!
//! Owns every check of `afweging memo`'s arguments against the decision and
//! the file system: the profile, the simulation size, the sensitivity rows,
//! the template folder (and that its templates compile), the output path.
//! All of them fail at once with exit code 2 and a message that names the
//! memo's own flags, so a bad argument never costs a long run. It runs
//! nothing and writes nothing.

use std::path::{Path, PathBuf};

use super::run::EnginePlan;
use super::{LangArg, MemoArgs, MemoFormatArg};
use crate::cli::simulate::plan as simulation_plan;
use crate::cli::{Failure, Global};
use crate::engine::sensitivity::{SensitivityPlan, BATCH};
use crate::model::Decision;
use crate::report::memo::{self, ChartFiles, Lang, MemoFormat, Options};

/// The fewest base rows the sensitivity analysis accepts: two batches, so
/// that its batch-means intervals exist (the engine's `TooFewRows` rule,
/// checked here before the simulations run).
pub const MIN_SENSITIVITY_ROWS: u64 = 2 * BATCH;

/// A memo run, validated.
#[derive(Debug, Clone)]
pub struct MemoPlan {
    /// What the engine computes.
    pub engine: EnginePlan,
    /// How the report renders.
    pub options: Options,
    /// Where the memo goes (`None`: standard output).
    pub output: Option<PathBuf>,
}

/// Checks every argument and builds the plan; the first problem found is
/// returned as an input error (exit code 2).
pub fn plan(decision: &Decision, global: &Global, args: &MemoArgs) -> Result<MemoPlan, Failure> {
    let chosen = chosen_profile(decision, global.profile.as_deref())?;
    if decision.initiatives.len() < 2 {
        return Err(Failure::input(format!(
            "the memo compares initiatives, but the decision has {}: add one to initiatives/",
            decision.initiatives.len()
        )));
    }
    let simulation = simulation_plan(decision, args.iterations, None, args.seed)?;
    let sensitivity = SensitivityPlan {
        seed: simulation.seed,
        rows: sensitivity_rows(args.sensitivity_rows)?,
    };
    let lang = match args.lang {
        LangArg::Nl => Lang::Nl,
        LangArg::En => Lang::En,
    };
    if let Some(dir) = &args.template_dir {
        check_template_dir(dir, lang)?;
    }
    if let Some(path) = &args.output {
        crate::cli::output::check_target(path)?;
    }
    let options = Options {
        lang,
        format: format(args.format, args.output.as_deref())?,
        template_dir: args.template_dir.clone(),
        chart_files: chart_files(args.output.as_deref()),
        generated: super::today::today_iso(),
    };
    Ok(MemoPlan {
        engine: EnginePlan {
            chosen,
            simulation,
            sensitivity,
        },
        options,
        output: args.output.clone(),
    })
}

/// Index of the `--profile` in the decision's profiles (default: the first).
fn chosen_profile(decision: &Decision, id: Option<&str>) -> Result<usize, Failure> {
    let profile = decision.profile(id).map_err(Failure::input)?;
    Ok(decision
        .profiles
        .iter()
        .position(|p| p.id == profile.id)
        .unwrap_or(0))
}

/// `--sensitivity-rows`, if the engine will accept it.
pub fn sensitivity_rows(rows: u64) -> Result<u64, Failure> {
    if rows < MIN_SENSITIVITY_ROWS {
        return Err(too_few_sensitivity_rows(MIN_SENSITIVITY_ROWS, rows));
    }
    crate::cli::sensitivity::rows_within_limit("--sensitivity-rows", rows)
}

/// The message for too few sensitivity rows, in the memo's flags (`--iterations`
/// of the memo sets the simulation size, not these rows).
pub fn too_few_sensitivity_rows(min: u64, got: u64) -> Failure {
    Failure::input(format!(
        "--sensitivity-rows must be at least {min} (two batches of the sensitivity analysis), got {got}: use --sensitivity-rows {min} or more"
    ))
}

/// `--template-dir` is a folder and every template, with its overrides, compiles.
fn check_template_dir(dir: &Path, lang: Lang) -> Result<(), Failure> {
    if !dir.is_dir() {
        let what = if dir.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Err(Failure::input(format!(
            "--template-dir {}: {what}; give a folder whose files replace the built-in templates of the same name",
            dir.display()
        )));
    }
    let unused = overrides_of_nothing(dir)
        .map_err(|e| Failure::input(format!("--template-dir {}: {e}", dir.display())))?;
    if let Some(name) = unused.first() {
        let folder = name.rsplit_once('/').map_or("", |(f, _)| f);
        let same_folder: Vec<&str> = memo::TEMPLATES
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| n.rsplit_once('/').map_or("", |(f, _)| f) == folder)
            .collect();
        return Err(Failure::input(format!(
            "--template-dir {}: {} replaces no built-in template{}; a file replaces the template of the same \
             name: {}",
            dir.display(),
            unused.join(", "),
            if unused.len() > 1 { "s" } else { "" },
            same_folder.join(", ")
        )));
    }
    memo::check_templates(lang, Some(dir))
        .map_err(|e| Failure::input(format!("--template-dir {}: {e}", dir.display())))
}

/// The template-like files (`.j2`, `.css`) in `dir` and its sub-folders
/// (two levels, links not followed) that replace no built-in template,
/// as `/`-separated relative names: a misspelled override would
/// otherwise be ignored without a word. Other files are not looked at.
fn overrides_of_nothing(dir: &Path) -> std::io::Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, depth: usize, out: &mut Vec<String>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = format!("{prefix}{name}");
            let kind = entry.file_type()?;
            if kind.is_dir() && depth > 0 {
                walk(&entry.path(), &format!("{rel}/"), depth - 1, out)?;
            } else if (name.ends_with(".j2") || name.ends_with(".css"))
                && !memo::TEMPLATES.iter().any(|(n, _)| *n == rel)
            {
                out.push(rel);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, "", 1, &mut out)?;
    out.sort();
    Ok(out)
}

/// `--format` and the `-o` file's extension, which must agree: `.html` and
/// `.htm` are HTML, `.md` and `.markdown` Markdown (in any case); any other
/// extension is refused (the memo would otherwise be HTML under a name that
/// promises PDF or Word), and a file without one needs `--format`. On
/// standard output the default is HTML.
fn format(arg: Option<MemoFormatArg>, output: Option<&Path>) -> Result<MemoFormat, Failure> {
    let flag = arg.map(|f| match f {
        MemoFormatArg::Html => MemoFormat::Html,
        MemoFormatArg::Md => MemoFormat::Md,
    });
    let Some(path) = output else {
        return Ok(flag.unwrap_or(MemoFormat::Html));
    };
    let shown = path.display();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let from_ext = match ext.as_deref() {
        Some("html" | "htm") => Some(MemoFormat::Html),
        Some("md" | "markdown") => Some(MemoFormat::Md),
        Some(other) => {
            let hint = match other {
                "pdf" => " For a PDF, write the HTML memo and print it to PDF from a browser (it prints to A4).",
                "doc" | "docx" | "odt" | "rtf" => " For a word processor, write the HTML memo and open it there.",
                _ => "",
            };
            return Err(Failure::input(format!(
                "-o {shown}: the memo is written as HTML (.html, .htm) or Markdown (.md, .markdown), not .{other}; \
                 name the file accordingly.{hint}"
            )));
        }
        None => None,
    };
    match (flag, from_ext) {
        (Some(f), Some(e)) if f != e => Err(Failure::input(format!(
            "-o {shown} and --format {} contradict each other: give the file the extension of the format \
             (.{}), or leave out --format",
            f.code(),
            f.code()
        ))),
        (Some(f), _) => Ok(f),
        (None, Some(e)) => Ok(e),
        (None, None) => Err(Failure::input(format!(
            "-o {shown} has no extension: add --format html or --format md, or name the file .html or .md"
        ))),
    }
}

/// A Markdown memo's charts go beside its file, named after its stem; on
/// standard output they are left out.
fn chart_files(output: Option<&Path>) -> ChartFiles {
    match output {
        Some(p) => ChartFiles::Beside(
            p.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "memo".into()),
        ),
        None => ChartFiles::Omitted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitivity_rows_below_two_batches_name_the_memo_flag() {
        assert_eq!(sensitivity_rows(2 * BATCH).unwrap(), 2 * BATCH);
        let e = sensitivity_rows(2 * BATCH - 1).unwrap_err();
        assert_eq!(e.code, 2);
        assert!(e
            .message
            .starts_with("--sensitivity-rows must be at least 2048"));
        assert!(!e.message.contains("--iterations"), "{}", e.message);
    }

    #[test]
    fn the_help_states_the_minimum_of_sensitivity_rows() {
        use clap::CommandFactory;
        let cli = crate::cli::Cli::command();
        let memo = cli.find_subcommand("memo").unwrap();
        let arg = memo
            .get_arguments()
            .find(|a| a.get_id() == "sensitivity_rows")
            .unwrap();
        let help = arg.get_help().unwrap().to_string();
        assert!(
            help.contains(&format!("at least {MIN_SENSITIVITY_ROWS}")),
            "{help}"
        );
    }

    #[test]
    fn format_follows_the_extension_and_the_flag_must_agree() {
        let p = |s: &'static str| Some(Path::new(s));
        assert_eq!(format(None, p("out/advies.md")).unwrap(), MemoFormat::Md);
        assert_eq!(format(None, p("a.MARKDOWN")).unwrap(), MemoFormat::Md);
        assert_eq!(format(None, p("a.Html")).unwrap(), MemoFormat::Html);
        assert_eq!(format(None, p("a.htm")).unwrap(), MemoFormat::Html);
        assert_eq!(format(None, None).unwrap(), MemoFormat::Html);
        assert_eq!(
            format(Some(MemoFormatArg::Md), None).unwrap(),
            MemoFormat::Md
        );
        assert_eq!(
            format(Some(MemoFormatArg::Md), p("advies")).unwrap(),
            MemoFormat::Md
        );
        assert_eq!(
            format(Some(MemoFormatArg::Html), p("a.HTML")).unwrap(),
            MemoFormat::Html
        );
        for (arg, path) in [
            (None, "a.pdf"),
            (None, "a.docx"),
            (None, "advies"),
            (Some(MemoFormatArg::Html), "a.md"),
            (Some(MemoFormatArg::Md), "a.html"),
            (Some(MemoFormatArg::Md), "a.pdf"),
        ] {
            let e = format(arg, p(path)).unwrap_err();
            assert_eq!(e.code, 2, "{path}");
            assert!(e.message.contains(path), "{}", e.message);
        }
    }

    #[test]
    fn charts_are_named_after_the_output_file() {
        assert_eq!(
            chart_files(Some(Path::new("x/advies.md"))),
            ChartFiles::Beside("advies".into())
        );
        assert_eq!(chart_files(None), ChartFiles::Omitted);
    }
}
