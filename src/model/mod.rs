//! The decision model: plain, validated data.
//!
//! Owns the types a decision folder turns into ([`Decision`] and its parts),
//! loading and validation ([`load()`]), diagnostics ([`diag`]), the
//! probability distributions of uncertain values ([`dist`]), value-function
//! specs ([`scale`]) and weight specs ([`weights`]). It computes nothing
//! about the decision itself and never imports the engine: the engine
//! compiles these specs.

pub mod diag;
pub mod dist;
pub mod limits;
pub mod load;
pub mod scale;
pub mod weights;

use std::path::PathBuf;

use serde::Serialize;

pub use diag::{Diagnostic, Diagnostics, Severity};
pub use dist::Dist;
pub use load::{load, load_from, LoadError, Sources};
pub use scale::{Better, Scale, ScaleError};
pub use weights::{LevelSpec, WeightLevel};

/// A name in Dutch and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    /// Dutch.
    pub nl: String,
    /// English.
    pub en: String,
}

impl Text {
    /// The text in `lang` (`"en"`, anything else is Dutch).
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.en
        } else {
            &self.nl
        }
    }
}

/// A whole decision: the frame, the value tree, the profiles and the initiatives.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The decision folder.
    pub root: PathBuf,
    /// Memo subject.
    pub title: String,
    /// The question to decide.
    pub question: String,
    /// Who decides.
    pub decided_by: String,
    /// When (as written in the file, ISO date).
    pub decision_date: String,
    /// Who prepared the memo ("behandeld door"), may be empty.
    pub prepared_by: String,
    /// Markdown context for the memo ("Aanleiding").
    pub context: String,
    /// Risks of the decision itself (for example: what if the region stays out).
    pub risks: Vec<String>,
    /// Markdown for the memo's "Vervolg" (next steps), may be empty.
    pub follow_up: String,
    /// The region and its municipalities.
    pub region: Region,
    /// Simulation defaults.
    pub simulation: SimulationSettings,
    /// Criterion groups, in file order.
    pub groups: Vec<Group>,
    /// Criteria, in file order (files sorted by name).
    pub criteria: Vec<Criterion>,
    /// Weight profiles; the first is the default. Never empty: a folder
    /// without profiles gets one with every weight unknown.
    pub profiles: Vec<Profile>,
    /// Initiatives, in file-name order.
    pub initiatives: Vec<Initiative>,
    /// The sources declared in `sources.toml`, in file order (empty
    /// without that file).
    pub references: Vec<Reference>,
    /// SHA-256 over every input file (relative path and bytes), hex.
    pub input_hash: String,
    /// Warnings found while loading (provenance, clamping…).
    pub warnings: Vec<Diagnostic>,
}

/// The region a decision is for.
#[derive(Debug, Clone, Serialize)]
pub struct Region {
    /// Its name.
    pub name: String,
    /// Its municipalities.
    pub municipalities: Vec<Municipality>,
}

impl Region {
    /// Total number of inhabitants.
    pub fn population(&self) -> u64 {
        // The loader caps the total at `limits::MAX_POPULATION`; saturate anyway.
        self.municipalities
            .iter()
            .fold(0u64, |s, m| s.saturating_add(m.population))
    }
}

/// One municipality.
#[derive(Debug, Clone, Serialize)]
pub struct Municipality {
    /// Its name.
    pub name: String,
    /// Inhabitants.
    pub population: u64,
}

/// Simulation defaults from `[simulation]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SimulationSettings {
    /// RNG seed.
    pub seed: u64,
    /// Number of Monte Carlo iterations.
    pub iterations: u64,
    /// Optional target for the 95% half-width of every acceptability index.
    pub target_error: Option<f64>,
}

/// A group of criteria (cost, reach, effect).
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: Text,
    /// Indices into [`Decision::criteria`], in file order.
    pub criteria: Vec<usize>,
}

/// One criterion.
#[derive(Debug, Clone, Serialize)]
pub struct Criterion {
    /// Identifier.
    pub id: String,
    /// Index into [`Decision::groups`].
    pub group: usize,
    /// Display name.
    pub name: Text,
    /// Natural unit.
    pub unit: String,
    /// Direction.
    pub better: Better,
    /// Value function.
    pub scale: Scale,
    /// Optional explanation for the memo.
    pub description: Option<String>,
    /// Whether this is the money criterion (`money = true`): its unit is
    /// euros and its scale linear. At most one criterion is.
    pub money: bool,
}

/// One stakeholder's weights.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: Text,
    /// Optional explanation.
    pub description: Option<String>,
    /// The group level (items: the group ids).
    pub groups: WeightLevel,
    /// One local level per group, in group order (items: its criterion ids).
    pub criteria: Vec<WeightLevel>,
}

/// A source declared once in `sources.toml` and cited by its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// Identifier (`S14`).
    pub id: String,
    /// Title, may be empty (then `publisher` is not).
    pub title: String,
    /// Publisher or author, may be empty.
    pub publisher: String,
    /// Date as written: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `None` when undated.
    pub date: Option<String>,
    /// A URL or reference, as text: it is data and never fetched.
    pub address: Option<String>,
    /// Whether the source is certainly dated after the decision date
    /// (its earliest possible day is later).
    pub after_decision: bool,
}

/// Where a number comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// A cited source (free text, or declared ids separated by commas).
    pub source: Option<String>,
    /// The declared source ids `source` cites, in order: non-empty only when
    /// the folder has `sources.toml` and `source` consists of ids separated
    /// by commas (declared or not; undeclared ones are warned about).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<String>,
    /// A stated assumption with its reasoning.
    pub assumption: Option<String>,
}

impl Provenance {
    /// Whether neither a source nor an assumption is given.
    pub fn is_missing(&self) -> bool {
        self.source.is_none() && self.assumption.is_none()
    }
}

/// One initiative's value on one criterion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Value {
    /// The distribution, in its own units (per inhabitant when `per_inhabitant`).
    pub dist: Dist,
    /// Optional `[lo, hi]` applied to each draw before `per_inhabitant` scaling.
    pub clamp: Option<(f64, f64)>,
    /// Whether the distribution is per inhabitant (multiplied by the population).
    pub per_inhabitant: bool,
    /// Multiplier applied after clamping: the population or 1.
    pub factor: f64,
    /// Source or assumption.
    pub provenance: Provenance,
}

impl Value {
    /// The clamped, scaled value of a quantity `x` of the distribution.
    pub fn transform(&self, x: f64) -> f64 {
        let x = match self.clamp {
            Some((lo, hi)) => x.clamp(lo, hi),
            None => x,
        };
        x * self.factor
    }
    /// The most likely value, in the criterion's unit.
    pub fn most_likely(&self) -> f64 {
        self.transform(self.dist.most_likely())
    }
    /// The `p` quantile, in the criterion's unit.
    pub fn quantile(&self, p: f64) -> f64 {
        self.transform(self.dist.quantile(p))
    }
    /// Whether the value is a single number.
    pub fn is_certain(&self) -> bool {
        self.dist.is_certain()
    }
}

/// One initiative.
#[derive(Debug, Clone, Serialize)]
pub struct Initiative {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// One or two sentences.
    pub summary: String,
    /// Who runs it.
    pub operator: String,
    /// Its state.
    pub status: String,
    /// Its risks.
    pub risks: Vec<String>,
    /// One value per criterion, indexed like [`Decision::criteria`].
    pub values: Vec<Value>,
    /// The file it came from.
    pub file: PathBuf,
}

impl Decision {
    /// The profile with `id`, or the default (first) one.
    pub fn profile(&self, id: Option<&str>) -> Result<&Profile, String> {
        match id {
            None => Ok(&self.profiles[0]),
            Some(id) => self.profiles.iter().find(|p| p.id == id).ok_or_else(|| {
                let ids: Vec<&str> = self.profiles.iter().map(|p| p.id.as_str()).collect();
                let hint = diag::did_you_mean(id, ids.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                format!(
                    "unknown profile `{id}`: {hint}the profiles are {}",
                    ids.iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }),
        }
    }
    /// Index of the money criterion (`money = true`), if one is declared.
    pub fn money_criterion(&self) -> Option<usize> {
        self.criteria.iter().position(|c| c.money)
    }
    /// Index of a criterion by id.
    pub fn criterion_index(&self, id: &str) -> Option<usize> {
        self.criteria.iter().position(|c| c.id == id)
    }
}
