//! `afweging memo`: the advice memo for the council, in HTML or Markdown.
//!
//! Owns the memo's arguments and the writing: the memo (and, for Markdown,
//! its SVG charts) goes to a temporary file in the target folder that is
//! renamed into place only when everything has rendered, so after any error
//! no output file is left. Rendering itself is [`crate::report::memo`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::sensitivity::DEFAULT_ROWS;
use super::simulate::{plan, progress_bar};
use super::{load, print, Failure, Global};
use crate::report::memo::{self, ChartFiles, Lang, MemoError, MemoFormat, Options};

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
    /// Output format (default: from the -o file's extension, else html).
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<MemoFormatArg>,
    /// Write the memo to FILE (default: standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Use the templates in DIR instead of the built-in ones, file by file
    /// (e.g. DIR/html/advies.html.j2 replaces only the Advies chapter).
    #[arg(long, value_name = "DIR")]
    pub template_dir: Option<PathBuf>,
    /// Number of iterations per profile (default: `iterations` in afweging.toml).
    #[arg(long, short = 'n', value_name = "N")]
    pub iterations: Option<u64>,
    /// RNG seed (default: `seed` in afweging.toml); also seeds the
    /// sensitivity analysis.
    #[arg(long, short = 's', value_name = "S")]
    pub seed: Option<u64>,
    /// Base rows of the sensitivity analysis (as `afweging sensitivity -n`).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_ROWS)]
    pub sensitivity_rows: u64,
    /// No progress bar and no warnings on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl From<MemoError> for Failure {
    fn from(e: MemoError) -> Self {
        match e {
            MemoError::Simulate(_)
            | MemoError::Sensitivity(_)
            | MemoError::Template(_)
            | MemoError::TemplateDir { .. } => Failure::input(e.to_string()),
            _ => Failure::other(e.to_string()),
        }
    }
}

pub(super) fn run(global: &Global, args: MemoArgs) -> Result<ExitCode, Failure> {
    let decision = load(global, args.quiet)?;
    let profile = decision
        .profile(global.profile.as_deref())
        .map_err(Failure::input)?;
    let chosen = decision
        .profiles
        .iter()
        .position(|p| p.id == profile.id)
        .unwrap_or(0);
    let lang = match args.lang {
        LangArg::Nl => Lang::Nl,
        LangArg::En => Lang::En,
    };
    let format = match (args.format, &args.output) {
        (Some(MemoFormatArg::Html), _) => MemoFormat::Html,
        (Some(MemoFormatArg::Md), _) => MemoFormat::Md,
        (None, Some(p)) if p.extension().is_some_and(|e| e == "md") => MemoFormat::Md,
        (None, _) => MemoFormat::Html,
    };
    let chart_files = match &args.output {
        Some(p) => ChartFiles::Beside(
            p.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "memo".into()),
        ),
        None => ChartFiles::Omitted,
    };
    let opts = Options {
        lang,
        format,
        template_dir: args.template_dir.clone(),
        chart_files,
        generated: memo::format::today_iso(),
    };
    // Check the templates and the output folder before the long run.
    memo::environment(lang, opts.template_dir.as_deref())?;
    if let Some(dir) = args.output.as_deref().and_then(Path::parent) {
        if !dir.as_os_str().is_empty() && !dir.is_dir() {
            return Err(Failure::input(format!(
                "cannot write {}: the folder {} does not exist; create it or choose another -o path",
                args.output.as_deref().unwrap_or(dir).display(),
                dir.display()
            )));
        }
    }
    let plan = plan(&decision, args.iterations, None, args.seed)?;
    let bar = progress_bar(args.quiet);
    let results = memo::run_engine(
        &decision,
        chosen,
        &plan,
        args.sensitivity_rows,
        &|done, total| {
            bar.set_length(total);
            bar.set_position(done);
        },
    )?;
    bar.finish_and_clear();
    let rendered = memo::render(&decision, &results, &opts)?;
    match &args.output {
        None => print(&rendered.text)?,
        Some(path) => {
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let mut files: Vec<(PathBuf, &str)> = rendered
                .files
                .iter()
                .map(|(name, text)| (dir.join(name), text.as_str()))
                .collect();
            files.push((path.clone(), rendered.text.as_str()));
            write_all_atomically(&dir, &files)?;
            if !args.quiet {
                eprintln!("wrote {}", path.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes every file to a temporary file in `dir` first and renames them
/// into place only when all are written; if a rename fails, the files
/// already renamed are removed again.
pub(super) fn write_all_atomically(dir: &Path, files: &[(PathBuf, &str)]) -> Result<(), Failure> {
    let fail = |path: &Path, e: std::io::Error| {
        Failure::other(format!("cannot write {}: {e}", path.display()))
    };
    let mut temps = Vec::new();
    for (path, text) in files {
        let mut tmp = tempfile::Builder::new()
            .prefix(".afweging-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| fail(path, e))?;
        // Temporary files are private (0600); the memo is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))
                .map_err(|e| fail(path, e))?;
        }
        tmp.write_all(text.as_bytes())
            .and_then(|_| tmp.flush())
            .map_err(|e| fail(path, e))?;
        temps.push((tmp, path));
    }
    let mut done: Vec<&Path> = Vec::new();
    for (tmp, path) in temps {
        if let Err(e) = tmp.persist(path) {
            for p in done {
                let _ = std::fs::remove_file(p);
            }
            return Err(fail(path, e.error));
        }
        done.push(path);
    }
    Ok(())
}
