//! Warnings about a decision that loads but may not say what its author
//! means: an initiative id that differs from its file name, a scale far
//! wider than the values on it, and a folder made by `afweging init` that
//! still describes the template's region.
//!
//! Owns those checks and the list of templates `init` can write. It reads
//! the specs the loader built; it refuses nothing (warnings only).

use std::collections::HashMap;

use super::context::Source;
use crate::model::diag::{fmt_num, Diagnostic, Diagnostics, Severity};
use crate::model::{Criterion, Initiative};

/// A scale is "far wider than its values" when every plausible value of
/// every initiative lies within this share of its width from one end
/// (the 2019 cost scale of € 150.000 for a region whose costs are € 2.000:
/// all within 2%).
pub const CROWDED_SHARE: f64 = 0.10;

/// A decision `afweging init` can start from: the marker it writes in
/// `afweging.toml` (`template = "…"`), the region it describes and that
/// region's population.
pub struct Template {
    /// The marker's value.
    pub id: &'static str,
    /// The template's region, as its texts name it.
    pub region: &'static str,
    /// The template region's total population.
    pub population: u64,
}

/// The templates `afweging init` writes.
pub const TEMPLATES: &[Template] = &[Template {
    id: "twente-2019",
    region: "Twente",
    population: 626_525,
}];

fn warning(mut d: Diagnostic, message: String, help: &str) -> Diagnostic {
    d.severity = Severity::Warning;
    d.message = message;
    d.help = Some(help.to_string());
    d
}

/// Warns about an initiative whose id is not its file name.
pub(super) fn id_matches_file(
    source: &Source,
    init: &Initiative,
    place: Diagnostic,
    diags: &mut Diagnostics,
) {
    let stem = source
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned());
    if let Some(stem) = stem.filter(|s| *s != init.id) {
        diags.push(warning(
            place,
            format!("initiative id `{}` differs from its file name `{stem}.toml`", init.id),
            &format!("rename the file to `{}.toml`, or change the id: messages and reports name the initiative by its id, the folder by its file", init.id),
        ));
    }
}

/// The plausible range of an initiative's value (support ends, or the
/// 0.1% and 99.9% quantiles of an unbounded distribution), as the loader's
/// beyond-the-scale warning computes it.
pub(super) fn plausible(v: &crate::model::Value) -> (f64, f64) {
    let (s_lo, s_hi) = v.dist.support();
    let a = v.transform(if s_lo.is_finite() {
        s_lo
    } else {
        v.dist.quantile(0.001)
    });
    let b = v.transform(if s_hi.is_finite() {
        s_hi
    } else {
        v.dist.quantile(0.999)
    });
    (a.min(b), a.max(b))
}

/// Warns about scales on which every initiative sits near one end.
pub(super) fn crowded_scales(
    criteria: &[Criterion],
    initiatives: &[Initiative],
    places: &HashMap<String, Diagnostic>,
    diags: &mut Diagnostics,
) {
    if initiatives.is_empty() {
        return;
    }
    for (ci, c) in criteria.iter().enumerate() {
        let (lo, hi) = c.scale.domain();
        let width = hi - lo;
        let tol = 1e-9 * width;
        let (mut vlo, mut vhi) = (f64::INFINITY, f64::NEG_INFINITY);
        for i in initiatives {
            let Some(v) = i.values.get(ci) else { return };
            let (a, b) = plausible(v);
            vlo = vlo.min(a);
            vhi = vhi.max(b);
        }
        // Values beyond the scale have their own warning.
        if vlo < lo - tol || vhi > hi + tol {
            continue;
        }
        let low_end = vhi <= lo + CROWDED_SHARE * width;
        let high_end = vlo >= hi - CROWDED_SHARE * width;
        if !(low_end || high_end) {
            continue;
        }
        let Some(place) = places.get(&c.id) else {
            continue;
        };
        let share = if low_end {
            (vhi - lo) / width
        } else {
            (hi - vlo) / width
        };
        diags.push(warning(
            place.clone(),
            format!(
                "every initiative's value of `{}` lies between {} and {} {}, within {}% of one end of its scale ({} to {}): the scale is far wider than the values on it",
                c.id,
                fmt_num(vlo),
                fmt_num(vhi),
                c.unit,
                fmt_num((share * 100.0).max(0.1).ceil()),
                fmt_num(lo),
                fmt_num(hi)
            ),
            "size the scale to the plausible range of the values (for example from somewhat below the best to somewhat beyond the worst initiative); on a scale this wide the criterion can hardly tell the initiatives apart, whatever its weight",
        ));
    }
}

/// While `template = "…"` is in afweging.toml: warns about every file
/// that still mentions the template's region and every scale sized for its
/// population (the money criterion and criteria valued per inhabitant).
#[allow(clippy::too_many_arguments)]
pub(super) fn template_leftovers(
    marker: &str,
    marker_place: Diagnostic,
    sources: &[&Source],
    marker_span: Option<std::ops::Range<usize>>,
    criteria: &[Criterion],
    initiatives: &[Initiative],
    population: u64,
    places: &HashMap<String, Diagnostic>,
    diags: &mut Diagnostics,
) {
    let remove = format!("when the folder describes your region, remove `template = \"{marker}\"` from afweging.toml");
    let Some(t) = TEMPLATES.iter().find(|t| t.id == marker) else {
        diags.push(warning(
            marker_place,
            format!(
                "unknown template `{marker}`; the templates are {}",
                TEMPLATES
                    .iter()
                    .map(|t| format!("`{}`", t.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            &remove,
        ));
        return;
    };
    let needle = t.region.to_lowercase();
    for s in sources {
        let lower = s.text.to_lowercase();
        // Lower-casing may change byte lengths outside ASCII: only use its
        // offsets when it did not.
        // The marker's own value (`twente-2019`) is no leftover.
        let in_marker = |i: usize| {
            s.path.file_name() == Some(std::ffi::OsStr::new("afweging.toml"))
                && marker_span.as_ref().is_some_and(|m| m.contains(&i))
        };
        let hits: Vec<usize> = lower
            .match_indices(&needle)
            .map(|(i, _)| i)
            .filter(|&i| !in_marker(i))
            .collect();
        let Some(&first) = hits.first() else { continue };
        let span = (lower.len() == s.text.len()).then_some(first..first + needle.len());
        let d = Diagnostic::at_indexed(Severity::Warning, &s.path, &s.text, &s.lines, span, "");
        diags.push(warning(
            d,
            format!(
                "this file still mentions {}, the region of the template `{}`, {} time{} (first here)",
                t.region,
                t.id,
                hits.len(),
                if hits.len() == 1 { "" } else { "s" }
            ),
            &format!("rewrite the texts (and sources) for your region; {remove}"),
        ));
    }
    for (ci, c) in criteria.iter().enumerate() {
        let per_inhabitant = initiatives
            .iter()
            .any(|i| i.values.get(ci).is_some_and(|v| v.per_inhabitant));
        if !(c.money || per_inhabitant) {
            continue;
        }
        let Some(place) = places.get(&c.id) else {
            continue;
        };
        let (lo, hi) = c.scale.domain();
        diags.push(warning(
            place.clone(),
            format!(
                "the scale of `{}` ({} to {} {}) was sized for {} ({} inhabitants); {}",
                c.id,
                fmt_num(lo),
                fmt_num(hi),
                c.unit,
                t.region,
                t.population,
                if population == t.population {
                    format!("this folder still lists {}'s municipalities", t.region)
                } else {
                    format!("this folder's region has {population} inhabitants")
                }
            ),
            &format!("set the scale to the plausible range in your region (costs and per-inhabitant amounts grow with the population); {remove}"),
        ));
    }
}
