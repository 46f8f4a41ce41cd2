//! The advice memo (`afweging memo`): what the council reads.
//!
//! Owns the path from engine results to a memo: [`context::build`] selects
//! and arranges the numbers of [`Results`] (which the CLI obtains from the
//! engine; this layer never runs it) into one serialisable [`MemoContext`],
//! [`charts`] draws the SVG charts, and [`render`] fills the minijinja
//! templates (`templates`: embedded in the binary, overridable file by
//! file) in HTML or Markdown, Dutch or English. It never computes statistics and never writes
//! files; the CLI does the (atomic) writing.
//!
//! Text from the decision files is data: it is passed to templates as values,
//! HTML-escaped in HTML (auto-escape on for `.html.j2` templates), escaped
//! for Markdown with the `md` filter, and never rendered as a template.

pub mod charts;
pub mod context;
pub mod format;
mod templates;

use std::path::PathBuf;

use minijinja::Error;

pub use context::{build, MemoContext, Results, RULES};
pub use format::Lang;
pub use templates::{check_templates, environment, TEMPLATES};

use crate::model::Decision;
use crate::report::text::{url_path, without_controls};

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
                // Links percent-encoded: a name with spaces is no link.
                cx.charts = context::Charts {
                    shown: true,
                    contributions: url_path(&a),
                    acceptability: url_path(&b),
                    values: url_path(&c),
                    weights: url_path(&d),
                    tornado: url_path(&e),
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
    // No control character from the data reaches a reader or a chart.
    Ok(Rendered {
        text: without_controls(&text),
        files: files
            .into_iter()
            .map(|(name, svg)| (name, without_controls(&svg)))
            .collect(),
    })
}
