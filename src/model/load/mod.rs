//! Loading a decision folder: files → validated [`Decision`].
//!
//! Reading files ([`sources`]) is separate from parsing, so a decision can
//! be loaded from in-memory text with [`load_from`]; [`load`] reads a folder
//! and calls it. Parsing uses `toml_edit` for spans ([`context`]) and is split
//! by file kind: the frame (`afweging.toml`, [`frame`]), the value tree
//! ([`criteria`]), the weight profiles ([`profiles`]) and the initiatives
//! ([`initiatives`]) and the declared sources (`sources.toml`,
//! [`references`]); [`keys`] rejects ids whose sensitivity keys would
//! collide. Every check that the format promises is made here: unknown keys
//! and ids (with suggestions), duplicates, missing values, invalid
//! distributions, NaN and infinities, zero-width scales, infeasible weights,
//! the money criterion, empty folders and non-UTF-8 files, and the limits of
//! [`crate::model::limits`] (numbers, widths, shapes, populations, file and
//! text sizes, control characters). [`advice`] adds warnings that refuse
//! nothing (an id unlike its file name, a scale far wider than its values,
//! leftovers of `init`'s template). It collects every problem of a run
//! instead of stopping at the first. It computes nothing and runs no
//! sampler.

mod advice;
mod context;
mod criteria;
mod frame;
mod initiatives;
mod keys;
mod profiles;
mod references;
mod sources;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_limits;
#[cfg(test)]
mod tests_references;

use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest, Sha256};

pub use super::diag::fmt_num;
use super::diag::{Diagnostic, Diagnostics, Severity};
use super::limits;
use super::weights::WeightLevel;
use super::{Decision, Initiative, Profile, Text};
use context::{parse_source, Cx, Source};
use criteria::Tree;
pub use sources::Sources;

/// Loading failed: every error (and warning) found, with its place.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The decision folder has errors.
    #[error("{0}\n\n{summary}", summary = summary(.0))]
    Invalid(Diagnostics),
}

impl LoadError {
    /// The diagnostics behind the error.
    pub fn diagnostics(&self) -> &Diagnostics {
        match self {
            LoadError::Invalid(d) => d,
        }
    }
}

fn summary(d: &Diagnostics) -> String {
    let errors = d.errors().count();
    let warnings = d.warnings().count();
    let mut s = format!(
        "the decision folder has {errors} error{}",
        if errors == 1 { "" } else { "s" }
    );
    if warnings > 0 {
        s.push_str(&format!(
            " and {warnings} warning{}",
            if warnings == 1 { "" } else { "s" }
        ));
    }
    s.push_str(if errors == 1 {
        "; fix it and run `afweging check` again"
    } else {
        "; fix them and run `afweging check` again"
    });
    s
}

/// The distribution keys of a value table.
pub const DIST_KEYS: &[&str] = &[
    "value",
    "uniform",
    "triangular",
    "pert",
    "normal",
    "lognormal",
    "beta",
    "discrete",
];

/// Loads and validates the decision folder `dir`.
///
/// Returns the decision (with its warnings) or every error found.
pub fn load(dir: &Path) -> Result<Decision, LoadError> {
    let mut diags = Diagnostics::default();
    match Sources::read(dir, &mut diags) {
        Some(sources) => finish(load_inner(&sources, &mut diags), diags, &sources),
        None => Err(LoadError::Invalid(diags)),
    }
}

/// Loads and validates a decision from its files (see [`Sources`]).
pub fn load_from(sources: &Sources) -> Result<Decision, LoadError> {
    let mut diags = Diagnostics::default();
    finish(load_inner(sources, &mut diags), diags, sources)
}

fn finish(
    decision: Option<Decision>,
    mut diags: Diagnostics,
    sources: &Sources,
) -> Result<Decision, LoadError> {
    match decision {
        Some(mut d) if !diags.has_errors() => {
            d.warnings = diags.into_vec();
            Ok(d)
        }
        _ => {
            if !diags.has_errors() {
                diags.push(Diagnostic::file_error(
                    sources.root(),
                    "the decision folder could not be read",
                ));
            }
            Err(LoadError::Invalid(diags))
        }
    }
}

fn load_inner(sources: &Sources, diags: &mut Diagnostics) -> Option<Decision> {
    if sources.get("afweging.toml").is_none() {
        if !sources.is_unreadable("afweging.toml") {
            diags.push(
                Diagnostic::file_error(sources.display_path("afweging.toml"), "missing afweging.toml: this is not a decision folder")
                    .with_help("run afweging in a decision folder, or pass one with --dir (the repository root holds the Twente decision)"),
            );
        }
        return None;
    }
    // The hash covers every input file: relative path, length and bytes,
    // in path order (afweging.toml, criteria/…, initiatives/…).
    let mut hasher = Sha256::new();
    let mut parse = |rel: &str, bytes: &[u8], diags: &mut Diagnostics| {
        hasher.update(rel.as_bytes());
        hasher.update([0u8]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
        parse_source(&sources.display_path(rel), bytes, diags)
    };
    let frame_src = sources
        .get("afweging.toml")
        .and_then(|bytes| parse("afweging.toml", bytes, diags));
    let mut folder = |sub: &str, diags: &mut Diagnostics| -> Vec<Source> {
        let files: Vec<(&str, &[u8])> = sources.toml_files(sub).collect();
        if files.is_empty() && !sources.is_unreadable(sub) {
            diags.push(
                Diagnostic::file_error(sources.display_path(sub), format!("the `{sub}/` folder has no .toml files"))
                    .with_help(match sub {
                        "criteria" => "add a file such as `criteria/criteria.toml` with [[group]] and [[criterion]] tables",
                        _ => "add one file per initiative, such as `initiatives/burgernet.toml`",
                    }),
            );
        }
        files
            .into_iter()
            .filter_map(|(rel, bytes)| parse(rel, bytes, diags))
            .collect()
    };
    let criteria_src = folder("criteria", diags);
    let initiative_src = folder("initiatives", diags);
    // Last, so folders without it keep their hash.
    let references_src = sources
        .get("sources.toml")
        .and_then(|bytes| parse("sources.toml", bytes, diags));
    let input_hash = format!("{:x}", hasher.finalize());

    // Folders given in memory meet the same size limits as those read from disk.
    let total: usize = sources
        .toml_files("criteria")
        .chain(sources.toml_files("initiatives"))
        .map(|(_, b)| b.len())
        .sum::<usize>()
        + sources.get("afweging.toml").map_or(0, <[u8]>::len)
        + sources.get("sources.toml").map_or(0, <[u8]>::len);
    if total > limits::MAX_TOTAL_BYTES {
        diags.push(Diagnostic::file_error(
            sources.display_path(""),
            format!(
                "the decision files hold {total} bytes together, more than the limit of {} bytes (4 MiB) for one decision folder",
                limits::MAX_TOTAL_BYTES
            ),
        ));
        return None;
    }
    for (sub, src) in [
        ("criteria", &criteria_src),
        ("initiatives", &initiative_src),
    ] {
        if src.len() > limits::MAX_FILES {
            diags.push(Diagnostic::file_error(
                sources.display_path(sub),
                format!(
                    "the `{sub}/` folder has {} .toml files, more than the limit of {}",
                    src.len(),
                    limits::MAX_FILES
                ),
            ));
            return None;
        }
    }

    let frame = frame_src.as_ref().and_then(|s| {
        let doc = s.doc.as_ref()?;
        let mut cx = Cx::new(s, diags);
        Some(cx.frame(doc.as_table()))
    });

    // The value tree, over all criteria files.
    let mut tree = Tree::default();
    for (i, s) in criteria_src.iter().enumerate() {
        // The profiles refer back to their file by this index.
        tree.file_index = i;
        if let Some(doc) = &s.doc {
            let mut cx = Cx::new(s, diags);
            cx.criteria_file(doc.as_table(), &mut tree);
        }
    }
    let raw_profiles = std::mem::take(&mut tree.profiles);
    let (groups, criteria) = tree.finish(diags);
    let broken = std::mem::take(&mut tree.broken);
    if criteria.is_empty()
        && !criteria_src.is_empty()
        && criteria_src.iter().all(|s| s.doc.is_some())
    {
        diags.push(
            Diagnostic::file_error(sources.display_path("criteria"), "no criteria are defined")
                .with_help("add [[criterion]] tables to a file in criteria/"),
        );
    }

    if !criteria.is_empty() && !tree.money_declared {
        let mut d = Diagnostic::file_error(
            sources.display_path("criteria"),
            "no criterion is marked as the money criterion",
        )
        .with_help("mark the criterion in euros (for example the annual cost) with `money = true`, the euro amounts of the analysis are converted through it");
        d.severity = Severity::Warning;
        diags.push(d);
    }

    let frame = frame?;
    let population = frame.region.population();

    // The declared sources, before the initiatives that cite them.
    let mut catalog = references::Catalog {
        decision: references::PartialDate::parse(&frame.decision_date).map(|d| d.last()),
        ..references::Catalog::default()
    };
    if let Some(s) = &references_src {
        catalog.declared = true;
        if let Some(doc) = &s.doc {
            let mut cx = Cx::new(s, diags);
            catalog.refs = cx.references(doc.as_table(), catalog.decision);
        }
    }

    // Profiles need the final groups and criteria.
    let mut profiles: Vec<Profile> = Vec::new();
    let mut profile_seen: HashMap<String, String> = HashMap::new();
    // Profiles over a value tree with invalid criteria would only repeat those errors.
    let profiles_checkable = broken.is_empty();
    for (s, raw) in raw_profiles.iter().filter(|_| profiles_checkable) {
        let src = &criteria_src[*s];
        let Some(doc) = &src.doc else { continue };
        let _ = doc;
        let mut cx = Cx::new(src, diags);
        if let Some(p) = cx.profile(raw, &groups, &criteria) {
            if let Some(first) = profile_seen.get(&p.id) {
                cx.error(raw.span.clone(), format!("duplicate profile id `{}`", p.id))
                    .help(format!(
                        "it is already defined at {first}; give each profile its own id"
                    ));
                continue;
            }
            profile_seen.insert(p.id.clone(), cx.location(raw.span.clone()));
            profiles.push(p);
        }
    }
    if profiles.is_empty() && !groups.is_empty() {
        profiles.push(Profile {
            id: "unknown".into(),
            name: Text {
                nl: "Gewichten onbekend".into(),
                en: "Weights unknown".into(),
            },
            description: Some(
                "Geen profiel opgegeven: elke verdeling van de gewichten is even aannemelijk."
                    .into(),
            ),
            groups: WeightLevel::unknown(groups.iter().map(|g| g.id.clone()).collect()).ok()?,
            criteria: groups
                .iter()
                .map(|g| {
                    WeightLevel::unknown(
                        g.criteria.iter().map(|&c| criteria[c].id.clone()).collect(),
                    )
                })
                .collect::<Result<_, _>>()
                .ok()?,
        });
    }

    let mut initiatives: Vec<Initiative> = Vec::new();
    let mut init_seen: HashMap<String, String> = HashMap::new();
    for s in &initiative_src {
        let Some(doc) = &s.doc else { continue };
        let mut cx = Cx::new(s, diags);
        cx.catalog = Some(&catalog);
        if let Some((init, id_span)) = cx.initiative(doc.as_table(), &criteria, &broken, population)
        {
            if let Some(first) = init_seen.get(&init.id) {
                cx.error(id_span, format!("duplicate initiative id `{}`", init.id))
                    .help(format!(
                        "it is already used by {first}; give each initiative its own id"
                    ));
                continue;
            }
            let group_ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
            let criterion_ids: Vec<&str> = criteria.iter().map(|c| c.id.as_str()).collect();
            if let Some(why) = keys::initiative_collision(&init.id, &group_ids, &criterion_ids) {
                cx.error(id_span, why)
                    .help("give the initiative another id (ids name the sensitivity inputs and outputs in the JSON)");
                continue;
            }
            init_seen.insert(init.id.clone(), s.path.display().to_string());
            let place = cx.diagnostic(Severity::Warning, id_span, "");
            advice::id_matches_file(s, &init, place, diags);
            initiatives.push(init);
        }
    }

    if diags.has_errors() {
        return None;
    }
    let places = std::mem::take(&mut tree.scale_places);
    advice::crowded_scales(&criteria, &initiatives, &places, diags);
    if let (Some((marker, span)), Some(fs)) = (&frame.template, &frame_src) {
        let place = Diagnostic::at_indexed(
            Severity::Warning,
            &fs.path,
            &fs.text,
            &fs.lines,
            span.clone(),
            "",
        );
        let all: Vec<&Source> = std::iter::once(fs)
            .chain(&criteria_src)
            .chain(&initiative_src)
            .collect();
        advice::template_leftovers(
            marker,
            place,
            &all,
            span.clone(),
            &criteria,
            &initiatives,
            population,
            &places,
            diags,
        );
    }
    Some(Decision {
        root: sources.root().to_path_buf(),
        title: frame.title,
        question: frame.question,
        decided_by: frame.decided_by,
        decision_date: frame.decision_date,
        prepared_by: frame.prepared_by,
        context: frame.context,
        risks: frame.risks,
        follow_up: frame.follow_up,
        region: frame.region,
        simulation: frame.simulation,
        groups,
        criteria,
        profiles,
        initiatives,
        references: catalog.refs,
        input_hash,
        warnings: Vec::new(),
    })
}
