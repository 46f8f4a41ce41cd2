//! The memo's templates: the embedded set, file-by-file overrides and the
//! minijinja environment with the memo's filters.
//!
//! Owns which templates exist ([`TEMPLATES`]), where a template is read from
//! (an override folder first, else the binary), the filters the templates
//! format numbers and escape text with (`pct`, `pm`, `eur`, `num`, `auto`,
//! `date`, `md`; see [`super::format`] and [`crate::report::text`]) and the
//! environment's rules (HTML auto-escaping for `.html.j2`, strict undefined
//! variables). It builds no context and renders nothing by itself.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};

use super::format::{self, Lang};
use super::MemoError;
use crate::report::text::{md_escape, MdText};

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
