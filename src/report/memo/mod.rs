//! The advice memo (`afweging memo`): what the council reads.
//!
//! Owns the path from engine results to a memo: [`context::build`] selects
//! and arranges the numbers of [`Results`] (which the CLI obtains from the
//! engine; this layer never runs it) into one serialisable [`MemoContext`],
//! [`charts`] draws the SVG charts, and [`render`] fills the minijinja
//! templates (embedded in the binary, overridable file by file) in HTML or
//! Markdown, Dutch or English. It never computes statistics and never writes
//! files; the CLI does the (atomic) writing.
//!
//! Text from the decision files is data: it is passed to templates as values,
//! HTML-escaped in HTML (auto-escape on for `.html.j2` templates), escaped
//! for Markdown with the `md` filter, and never rendered as a template.

pub mod charts;
pub mod context;
pub mod format;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};

pub use context::{build, MemoContext, Results, RULES};
pub use format::Lang;

use crate::model::Decision;
use crate::report::text::{md_escape, MdText};

/// The output format of the memo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoFormat {
    /// One self-contained HTML page.
    Html,
    /// Markdown, with the charts as SVG files beside it.
    Md,
}

impl MemoFormat {
    /// `"html"` or `"md"`.
    pub fn code(self) -> &'static str {
        match self {
            MemoFormat::Html => "html",
            MemoFormat::Md => "md",
        }
    }
}

/// Where the Markdown memo's charts go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChartFiles {
    /// Beside the memo: file names start with this stem (`advies` →
    /// `advies-bijdragen.svg`).
    Beside(String),
    /// Nowhere (the memo goes to stdout); the memo says so.
    Omitted,
}

/// How to render.
#[derive(Debug, Clone)]
pub struct Options {
    /// Language.
    pub lang: Lang,
    /// Format.
    pub format: MemoFormat,
    /// A folder whose files override the embedded templates of the same name.
    pub template_dir: Option<PathBuf>,
    /// Markdown only: where the charts go.
    pub chart_files: ChartFiles,
    /// Generation date (ISO), printed in the stamp.
    pub generated: String,
}

/// A rendered memo: its text and any files to write beside it (name, content).
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The memo.
    pub text: String,
    /// Chart files for a Markdown memo: (file name, SVG text).
    pub files: Vec<(String, String)>,
}

/// Why a memo could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MemoError {
    /// A chart could not be drawn.
    #[error(transparent)]
    Chart(#[from] charts::ChartError),
    /// A template is missing or wrong.
    #[error("template error: {}", chain(.0))]
    Template(#[from] Error),
    /// The template folder cannot be used.
    #[error("template folder {path}: {message}")]
    TemplateDir {
        /// The folder.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// A minijinja error with its causes (the template, line and what is wrong).
fn chain(e: &Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

/// The embedded templates: (name, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("memo.html.j2", include_str!("../templates/memo.html.j2")),
    ("memo.md.j2", include_str!("../templates/memo.md.j2")),
    ("words.j2", include_str!("../templates/words.j2")),
    (
        "html/style.css",
        include_str!("../templates/html/style.css"),
    ),
    (
        "html/kop.html.j2",
        include_str!("../templates/html/kop.html.j2"),
    ),
    (
        "html/advies.html.j2",
        include_str!("../templates/html/advies.html.j2"),
    ),
    (
        "html/samenvatting.html.j2",
        include_str!("../templates/html/samenvatting.html.j2"),
    ),
    (
        "html/aanleiding.html.j2",
        include_str!("../templates/html/aanleiding.html.j2"),
    ),
    (
        "html/afwegingskader.html.j2",
        include_str!("../templates/html/afwegingskader.html.j2"),
    ),
    (
        "html/argumenten.html.j2",
        include_str!("../templates/html/argumenten.html.j2"),
    ),
    (
        "html/risicos.html.j2",
        include_str!("../templates/html/risicos.html.j2"),
    ),
    (
        "html/kosten.html.j2",
        include_str!("../templates/html/kosten.html.j2"),
    ),
    (
        "html/gevoeligheid.html.j2",
        include_str!("../templates/html/gevoeligheid.html.j2"),
    ),
    (
        "html/informatiewaarde.html.j2",
        include_str!("../templates/html/informatiewaarde.html.j2"),
    ),
    (
        "html/vervolg.html.j2",
        include_str!("../templates/html/vervolg.html.j2"),
    ),
    (
        "html/bijlagen.html.j2",
        include_str!("../templates/html/bijlagen.html.j2"),
    ),
    ("md/kop.md.j2", include_str!("../templates/md/kop.md.j2")),
    (
        "md/advies.md.j2",
        include_str!("../templates/md/advies.md.j2"),
    ),
    (
        "md/samenvatting.md.j2",
        include_str!("../templates/md/samenvatting.md.j2"),
    ),
    (
        "md/aanleiding.md.j2",
        include_str!("../templates/md/aanleiding.md.j2"),
    ),
    (
        "md/afwegingskader.md.j2",
        include_str!("../templates/md/afwegingskader.md.j2"),
    ),
    (
        "md/argumenten.md.j2",
        include_str!("../templates/md/argumenten.md.j2"),
    ),
    (
        "md/risicos.md.j2",
        include_str!("../templates/md/risicos.md.j2"),
    ),
    (
        "md/kosten.md.j2",
        include_str!("../templates/md/kosten.md.j2"),
    ),
    (
        "md/gevoeligheid.md.j2",
        include_str!("../templates/md/gevoeligheid.md.j2"),
    ),
    (
        "md/informatiewaarde.md.j2",
        include_str!("../templates/md/informatiewaarde.md.j2"),
    ),
    (
        "md/vervolg.md.j2",
        include_str!("../templates/md/vervolg.md.j2"),
    ),
    (
        "md/bijlagen.md.j2",
        include_str!("../templates/md/bijlagen.md.j2"),
    ),
];

/// Chart file suffixes for a Markdown memo, per language.
fn chart_suffixes(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Nl => [
            "bijdragen",
            "rangkansen",
            "spreiding",
            "gewichten",
            "tornado",
        ],
        Lang::En => [
            "contributions",
            "rank-chances",
            "spread",
            "weights",
            "tornado",
        ],
    }
}

/// The template environment: embedded templates, overridden file by file
/// from `template_dir`, the number filters for `lang`, HTML auto-escaping
/// for `.html.j2` templates and strict undefined variables.
pub fn environment(
    lang: Lang,
    template_dir: Option<&Path>,
) -> Result<Environment<'static>, MemoError> {
    if let Some(dir) = template_dir {
        if !dir.is_dir() {
            return Err(MemoError::TemplateDir {
                path: dir.to_path_buf(),
                message: "not a folder".into(),
            });
        }
    }
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html.j2") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    let dir: Option<Arc<PathBuf>> = template_dir.map(|d| Arc::new(d.to_path_buf()));
    env.set_loader(move |name| {
        if let Some(dir) = &dir {
            // Only plain relative names (no `..`, no absolute paths).
            let rel = Path::new(name);
            if rel
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
            {
                let path = dir.join(rel);
                if path.is_file() {
                    return std::fs::read_to_string(&path).map(Some).map_err(|e| {
                        Error::new(
                            ErrorKind::InvalidOperation,
                            format!("cannot read {}: {e}", path.display()),
                        )
                    });
                }
            }
        }
        Ok(TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t.to_string()))
    });
    env.add_filter("pct", move |p: f64, d: Option<usize>| {
        format::pct(p, d.unwrap_or(0), lang)
    });
    env.add_filter("pm", move |p: f64, e: f64| format::pct_pm(p, e, lang));
    env.add_filter("eur", move |x: f64, d: Option<usize>| match d {
        Some(d) => format::eur_with(x, d, lang),
        None => format::eur(x, lang),
    });
    env.add_filter("num", move |x: f64, d: Option<usize>| {
        format::num(x, d.unwrap_or(0), lang)
    });
    env.add_filter("auto", move |x: f64| format::auto(x, lang));
    env.add_filter("date", move |s: String| format::date(&s, lang));
    env.add_filter("md", |s: String| md_escape(&s, MdText::Prose));
    Ok(env)
}

/// Checks before a long run that the templates can be used: the folder
/// exists and every template, overridden or embedded, compiles.
pub fn check_templates(lang: Lang, template_dir: Option<&Path>) -> Result<(), MemoError> {
    let env = environment(lang, template_dir)?;
    for (name, _) in TEMPLATES {
        env.get_template(name)?;
    }
    Ok(())
}

/// Renders the memo from the decision and the engine's results.
pub fn render(
    decision: &Decision,
    results: &Results,
    opts: &Options,
) -> Result<Rendered, MemoError> {
    let env = environment(opts.lang, opts.template_dir.as_deref())?;
    let mut cx = build(
        decision,
        results,
        opts.lang,
        opts.format.code(),
        &opts.generated,
    );
    let svgs = charts::draw(&cx)?;
    let mut files = Vec::new();
    match opts.format {
        MemoFormat::Html => {
            cx.charts = context::Charts {
                shown: true,
                contributions: svgs.contributions,
                acceptability: svgs.acceptability,
                values: svgs.values,
                weights: svgs.weights,
                tornado: svgs.tornado,
            };
        }
        MemoFormat::Md => match &opts.chart_files {
            ChartFiles::Beside(stem) => {
                let [a, b, c, d, e] = chart_suffixes(opts.lang).map(|s| format!("{stem}-{s}.svg"));
                cx.charts = context::Charts {
                    shown: true,
                    contributions: a.clone(),
                    acceptability: b.clone(),
                    values: c.clone(),
                    weights: d.clone(),
                    tornado: e.clone(),
                };
                files.push((a, svgs.contributions));
                files.push((b, svgs.acceptability));
                files.push((c, svgs.values));
                files.push((d, svgs.weights));
                files.push((e, svgs.tornado));
            }
            ChartFiles::Omitted => cx.charts.shown = false,
        },
    }
    let name = match opts.format {
        MemoFormat::Html => "memo.html.j2",
        MemoFormat::Md => "memo.md.j2",
    };
    let text = env.get_template(name)?.render(&cx)?;
    Ok(Rendered { text, files })
}
