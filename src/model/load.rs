//! Loading a decision folder: files → validated [`Decision`].
//!
//! Owns reading the files, TOML parsing with spans (via `toml_edit`), turning
//! the documents into model types, and every check that the format promises:
//! unknown keys and ids (with suggestions), duplicates, missing values,
//! invalid distributions, NaN and infinities, zero-width scales, infeasible
//! weights, empty folders and non-UTF-8 files. It collects every problem of
//! a run instead of stopping at the first. It does not score anything.

use std::collections::HashMap;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use toml_edit::{ImDocument, Item, TableLike, Value as TValue};

use super::diag::{did_you_mean, Diagnostic, Diagnostics, Severity};
use super::dist::Dist;
use super::{
    Criterion, Decision, Group, Initiative, Municipality, Profile, Provenance, Region,
    SimulationSettings, Text, Value,
};
use crate::engine::value_fn::{Better, Scale};
use crate::engine::weights::{Level, LevelSpec};

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
    let decision = load_inner(dir, &mut diags);
    match decision {
        Some(d) if !diags.has_errors() => {
            let mut d = d;
            d.warnings = diags.into_vec();
            Ok(d)
        }
        _ => {
            if !diags.has_errors() {
                diags.push(Diagnostic::file_error(
                    dir,
                    "the decision folder could not be read",
                ));
            }
            Err(LoadError::Invalid(diags))
        }
    }
}

/// One parsed input file.
struct Source {
    /// Path for display.
    path: PathBuf,
    /// Its text.
    text: String,
    /// Its parsed document (None after a syntax error).
    doc: Option<ImDocument<String>>,
}

/// Reads and parses one file, recording I/O, UTF-8 and syntax errors.
fn read_source(
    path: &Path,
    hasher: &mut Sha256,
    rel: &str,
    diags: &mut Diagnostics,
) -> Option<Source> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::file_error(
                path,
                format!("cannot read the file: {e}"),
            ));
            return None;
        }
    };
    hasher.update(rel.as_bytes());
    hasher.update([0u8]);
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(&bytes);
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..good]).into_owned();
            let at = prefix.len();
            diags.push(
                Diagnostic::at(
                    Severity::Error,
                    path,
                    &lossy,
                    Some(at..at + 1),
                    format!("the file is not valid UTF-8 (bad byte at offset {good})"),
                )
                .with_help("save the file as UTF-8 (most editors: \"Save with encoding\" → UTF-8)"),
            );
            return None;
        }
    };
    if text.trim().is_empty() {
        diags.push(
            Diagnostic::file_error(path, "the file is empty")
                .with_help("fill it in (see the README for the format) or delete it"),
        );
        return None;
    }
    let doc = match ImDocument::parse(text.clone()) {
        Ok(d) => Some(d),
        Err(e) => {
            let msg = e
                .message()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            diags.push(
                Diagnostic::at(
                    Severity::Error,
                    path,
                    &text,
                    e.span(),
                    format!("TOML syntax error: {msg}"),
                )
                .with_help("check quotes, brackets and `key = value` pairs on this line"),
            );
            None
        }
    };
    Some(Source {
        path: path.to_path_buf(),
        text,
        doc,
    })
}

/// The `*.toml` files of a sub-folder, sorted by name.
fn toml_files(dir: &Path, sub: &str, diags: &mut Diagnostics) -> Vec<(PathBuf, String)> {
    let folder = dir.join(sub);
    let entries = match fs::read_dir(&folder) {
        Ok(e) => e,
        Err(e) => {
            diags.push(
                Diagnostic::file_error(&folder, format!("cannot read the `{sub}/` folder: {e}"))
                    .with_help(format!(
                        "a decision folder needs a folder `{sub}/` with one or more .toml files"
                    )),
            );
            return Vec::new();
        }
    };
    let mut files: Vec<(PathBuf, String)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (p, format!("{sub}/{name}"))
        })
        .collect();
    files.sort_by(|a, b| a.1.cmp(&b.1));
    if files.is_empty() {
        diags.push(
            Diagnostic::file_error(&folder, format!("the `{sub}/` folder has no .toml files"))
                .with_help(match sub {
                    "criteria" => "add a file such as `criteria/criteria.toml` with [[group]] and [[criterion]] tables",
                    _ => "add one file per initiative, such as `initiatives/burgernet.toml`",
                }),
        );
    }
    files
}

fn display_path(dir: &Path, rel: &str) -> PathBuf {
    if dir == Path::new(".") || dir.as_os_str().is_empty() {
        PathBuf::from(rel)
    } else {
        dir.join(rel)
    }
}

fn load_inner(dir: &Path, diags: &mut Diagnostics) -> Option<Decision> {
    if !dir.is_dir() {
        diags.push(
            Diagnostic::file_error(dir, "the decision folder does not exist or is not a folder")
                .with_help("pass the folder that holds afweging.toml with --dir"),
        );
        return None;
    }
    let frame_path = dir.join("afweging.toml");
    if !frame_path.is_file() {
        diags.push(
            Diagnostic::file_error(display_path(dir, "afweging.toml"), "missing afweging.toml: this is not a decision folder")
                .with_help("run afweging in a decision folder, or pass one with --dir (the repository root holds the Twente decision)"),
        );
        return None;
    }
    let mut hasher = Sha256::new();
    let frame = read_source(
        &display_path(dir, "afweging.toml"),
        &mut hasher,
        "afweging.toml",
        diags,
    )
    .map(|s| (s, frame_path));
    let criteria_files = toml_files(dir, "criteria", diags);
    let initiative_files = toml_files(dir, "initiatives", diags);
    let criteria_src: Vec<Source> = criteria_files
        .iter()
        .filter_map(|(_, rel)| read_source(&display_path(dir, rel), &mut hasher, rel, diags))
        .collect();
    let initiative_src: Vec<Source> = initiative_files
        .iter()
        .filter_map(|(_, rel)| read_source(&display_path(dir, rel), &mut hasher, rel, diags))
        .collect();
    let input_hash = format!("{:x}", hasher.finalize());

    let frame = frame.and_then(|(s, _)| {
        let doc = s.doc.as_ref()?;
        let mut cx = Cx::new(&s.path, &s.text, diags);
        Some(cx.frame(doc.as_table()))
    });

    // The value tree, over all criteria files.
    let mut tree = Tree::default();
    for s in &criteria_src {
        if let Some(doc) = &s.doc {
            let mut cx = Cx::new(&s.path, &s.text, diags);
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
            Diagnostic::file_error(display_path(dir, "criteria"), "no criteria are defined")
                .with_help("add [[criterion]] tables to a file in criteria/"),
        );
    }

    let frame = frame?;
    let population = frame.region.population();

    // Profiles need the final groups and criteria.
    let mut profiles: Vec<Profile> = Vec::new();
    let mut profile_seen: HashMap<String, String> = HashMap::new();
    // Profiles over a value tree with invalid criteria would only repeat those errors.
    let profiles_checkable = broken.is_empty();
    for (s, raw) in raw_profiles.iter().filter(|_| profiles_checkable) {
        let src = &criteria_src[*s];
        let Some(doc) = &src.doc else { continue };
        let _ = doc;
        let mut cx = Cx::new(&src.path, &src.text, diags);
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
            groups: Level::new(LevelSpec::Unknown(groups.len())).ok()?,
            criteria: groups
                .iter()
                .map(|g| Level::new(LevelSpec::Unknown(g.criteria.len())))
                .collect::<Result<_, _>>()
                .ok()?,
        });
    }

    let mut initiatives: Vec<Initiative> = Vec::new();
    let mut init_seen: HashMap<String, String> = HashMap::new();
    for s in &initiative_src {
        let Some(doc) = &s.doc else { continue };
        let mut cx = Cx::new(&s.path, &s.text, diags);
        if let Some((init, id_span)) = cx.initiative(doc.as_table(), &criteria, &broken, population)
        {
            if let Some(first) = init_seen.get(&init.id) {
                cx.error(id_span, format!("duplicate initiative id `{}`", init.id))
                    .help(format!(
                        "it is already used by {first}; give each initiative its own id"
                    ));
                continue;
            }
            init_seen.insert(init.id.clone(), s.path.display().to_string());
            initiatives.push(init);
        }
    }

    if diags.has_errors() {
        return None;
    }
    Some(Decision {
        root: dir.to_path_buf(),
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
        input_hash,
        warnings: Vec::new(),
    })
}

/// What `afweging.toml` holds.
struct Frame {
    title: String,
    question: String,
    decided_by: String,
    decision_date: String,
    prepared_by: String,
    context: String,
    risks: Vec<String>,
    follow_up: String,
    region: Region,
    simulation: SimulationSettings,
}

/// A `[[profile]]` table kept until the value tree is complete.
struct RawProfile {
    table: toml_edit::Table,
    span: Option<Range<usize>>,
}

/// The value tree as it is being collected over the criteria files.
#[derive(Default)]
struct Tree {
    groups: Vec<(Group, String, Diagnostic)>,
    /// Ids of criteria that were defined but are invalid: references to them
    /// are not reported again.
    broken: Vec<String>,
    /// Criteria with their group id (resolved in `finish`), the location
    /// of the group reference and its file, for errors.
    criteria: Vec<(Criterion, String, Diagnostic)>,
    /// Profiles: (index of the criteria source, raw table).
    profiles: Vec<(usize, RawProfile)>,
    file_index: usize,
    criterion_seen: HashMap<String, String>,
}

impl Tree {
    fn finish(&mut self, diags: &mut Diagnostics) -> (Vec<Group>, Vec<Criterion>) {
        let places: Vec<Diagnostic> = self.groups.iter().map(|(_, _, d)| d.clone()).collect();
        let mut groups: Vec<Group> = self.groups.drain(..).map(|(g, _, _)| g).collect();
        let ids: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
        let mut criteria = Vec::new();
        for (mut c, gid, place) in std::mem::take(&mut self.criteria) {
            match ids.iter().position(|g| *g == gid) {
                Some(gi) => {
                    c.group = gi;
                    groups[gi].criteria.push(criteria.len());
                    criteria.push(c);
                }
                None => {
                    self.broken.push(c.id.clone());
                    let mut d = place;
                    d.message = format!("criterion `{}` names an unknown group `{gid}`", c.id);
                    d.help = Some(match did_you_mean(&gid, ids.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None if ids.is_empty() => {
                            "define the group with a [[group]] table (id, name)".into()
                        }
                        None => format!("the groups are {}", list(&ids)),
                    });
                    diags.push(d);
                }
            }
        }
        for (g, place) in groups.iter().zip(places) {
            // A group whose criteria are all invalid is already reported.
            if g.criteria.is_empty() && self.broken.is_empty() {
                let mut d = place;
                d.message = format!("group `{}` has no criteria", g.id);
                d.help = Some("add a [[criterion]] with this group, or remove the group".into());
                diags.push(d);
            }
        }
        (groups, criteria)
    }
}

fn list(ids: &[String]) -> String {
    ids.iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A builder for diagnostics in one file.
struct Cx<'a> {
    file: &'a Path,
    src: &'a str,
    diags: &'a mut Diagnostics,
}

/// A handle to the diagnostic just pushed, to add help.
struct Pushed<'a>(&'a mut Diagnostics);

impl Pushed<'_> {
    fn help(self, text: impl Into<String>) {
        if let Some(last) = self.0.last_mut() {
            last.help = Some(text.into());
        }
    }
}

impl Diagnostics {
    fn last_mut(&mut self) -> Option<&mut Diagnostic> {
        self.items_mut().last_mut()
    }
}

/// What kind of TOML value an item is, for messages.
fn kind_of(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Value(v) => match v {
            TValue::String(_) => "a string",
            TValue::Integer(_) => "an integer",
            TValue::Float(_) => "a number",
            TValue::Boolean(_) => "a boolean",
            TValue::Datetime(_) => "a date",
            TValue::Array(_) => "an array",
            TValue::InlineTable(_) => "a table",
        },
        Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
    }
}

fn value_kind(v: &TValue) -> &'static str {
    kind_of(&Item::Value(v.clone()))
}

impl<'a> Cx<'a> {
    fn new(file: &'a Path, src: &'a str, diags: &'a mut Diagnostics) -> Self {
        Cx { file, src, diags }
    }

    fn error(&mut self, span: Option<Range<usize>>, msg: impl Into<String>) -> Pushed<'_> {
        self.diags.push(Diagnostic::at(
            Severity::Error,
            self.file,
            self.src,
            span,
            msg,
        ));
        Pushed(self.diags)
    }

    fn warn(&mut self, span: Option<Range<usize>>, msg: impl Into<String>) -> Pushed<'_> {
        self.diags.push(Diagnostic::at(
            Severity::Warning,
            self.file,
            self.src,
            span,
            msg,
        ));
        Pushed(self.diags)
    }

    fn location(&self, span: Option<Range<usize>>) -> String {
        Diagnostic::at(Severity::Error, self.file, self.src, span, "").location()
    }

    /// Reports keys of `t` not in `allowed`, with a suggestion.
    fn check_keys(&mut self, t: &dyn TableLike, allowed: &[&str], what: &str) {
        for (k, _) in t.iter() {
            if !allowed.contains(&k) {
                let span = t.get_key_value(k).and_then(|(key, _)| key.span());
                let hint = match did_you_mean(k, allowed.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "the keys of {what} are {}",
                        allowed
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                self.error(span, format!("unknown key `{k}` in {what}"))
                    .help(hint);
            }
        }
    }

    fn key_span(t: &dyn TableLike, key: &str) -> Option<Range<usize>> {
        t.get_key_value(key)
            .and_then(|(k, v)| v.span().or_else(|| k.span()))
    }

    /// A required item; reports it missing at `place`.
    fn req<'t>(
        &mut self,
        t: &'t dyn TableLike,
        key: &str,
        place: Option<Range<usize>>,
        what: &str,
    ) -> Option<&'t Item> {
        match t.get(key) {
            Some(i) if !i.is_none() => Some(i),
            _ => {
                self.error(place, format!("{what} is missing `{key}`"))
                    .help(format!("add `{key} = …`"));
                None
            }
        }
    }

    fn string(&mut self, item: &Item, what: &str) -> Option<String> {
        match item.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.error(
                    item.span(),
                    format!("{what} must be a string, found {}", kind_of(item)),
                )
                .help("put the text in double quotes");
                None
            }
        }
    }

    fn req_string(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        place: Option<Range<usize>>,
        what: &str,
    ) -> Option<String> {
        let item = self.req(t, key, place, what)?;
        let s = self.string(item, &format!("`{key}`"))?;
        if s.trim().is_empty() {
            self.error(item.span(), format!("`{key}` of {what} is empty"))
                .help("write something here");
            return None;
        }
        Some(s)
    }

    fn opt_string(&mut self, t: &dyn TableLike, key: &str) -> Option<String> {
        let item = t.get(key)?;
        self.string(item, &format!("`{key}`"))
    }

    /// A finite number (integer or float).
    fn number_value(&mut self, v: &TValue, what: &str) -> Option<f64> {
        let x = match v {
            TValue::Integer(i) => *i.value() as f64,
            TValue::Float(f) => *f.value(),
            other => {
                self.error(
                    other.span(),
                    format!("{what} must be a number, found {}", value_kind(other)),
                );
                return None;
            }
        };
        if !x.is_finite() {
            self.error(
                v.span(),
                format!("{what} is {x}: only finite numbers are allowed"),
            )
            .help("replace nan/inf with an ordinary number");
            return None;
        }
        Some(x)
    }

    fn number(&mut self, item: &Item, what: &str) -> Option<f64> {
        match item {
            Item::Value(v) => self.number_value(v, what),
            other => {
                self.error(
                    other.span(),
                    format!("{what} must be a number, found {}", kind_of(other)),
                );
                None
            }
        }
    }

    /// An array of exactly `n` finite numbers (n = 0: any length ≥ 1).
    fn numbers(&mut self, item: &Item, n: usize, what: &str) -> Option<Vec<f64>> {
        let Some(arr) = item.as_array() else {
            self.error(
                item.span(),
                format!(
                    "{what} must be an array of {} numbers, found {}",
                    if n == 0 {
                        "".to_string()
                    } else {
                        n.to_string()
                    },
                    kind_of(item)
                )
                .replace("of  numbers", "of numbers"),
            );
            return None;
        };
        if n > 0 && arr.len() != n {
            self.error(
                item.span(),
                format!("{what} needs {n} numbers, found {}", arr.len()),
            );
            return None;
        }
        let mut out = Vec::with_capacity(arr.len());
        let mut ok = true;
        for v in arr.iter() {
            match self.number_value(v, what) {
                Some(x) => out.push(x),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// An optional array of strings.
    fn string_list(&mut self, t: &dyn TableLike, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        let Some(r) = t.get(key) else {
            return out;
        };
        let Some(arr) = r.as_array() else {
            self.error(
                r.span(),
                format!("`{key}` must be an array of strings, found {}", kind_of(r)),
            )
            .help(format!("write {key} = [\"…\", \"…\"]"));
            return out;
        };
        for v in arr.iter() {
            match v.as_str() {
                Some(s) => out.push(s.to_string()),
                None => {
                    self.error(
                        v.span(),
                        format!(
                            "each entry of `{key}` must be a string, found {}",
                            value_kind(v)
                        ),
                    );
                }
            }
        }
        out
    }

    fn text(
        &mut self,
        t: &dyn TableLike,
        key: &str,
        place: Option<Range<usize>>,
        what: &str,
    ) -> Option<Text> {
        let item = self.req(t, key, place, what)?;
        if let Some(s) = item.as_str() {
            return Some(Text {
                nl: s.to_string(),
                en: s.to_string(),
            });
        }
        let Some(tt) = item.as_table_like() else {
            self.error(
                item.span(),
                format!(
                    "`{key}` must be {{ nl = \"…\", en = \"…\" }} or a string, found {}",
                    kind_of(item)
                ),
            );
            return None;
        };
        self.check_keys(tt, &["nl", "en"], &format!("`{key}`"));
        let span = item.span();
        let nl = self.req_string(tt, "nl", span.clone(), &format!("`{key}`"))?;
        let en = match tt.get("en") {
            Some(i) => self.string(i, "`en`")?,
            None => nl.clone(),
        };
        Some(Text { nl, en })
    }

    fn id(
        &mut self,
        t: &dyn TableLike,
        place: Option<Range<usize>>,
        what: &str,
    ) -> Option<(String, Option<Range<usize>>)> {
        let id = self.req_string(t, "id", place, what)?;
        let span = Self::key_span(t, "id");
        if !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            self.error(
                span,
                format!("id `{id}` may only contain letters, digits, `_` and `-`"),
            )
            .help("ids are used in command lines and JSON keys; use e.g. `reach_share`");
            return None;
        }
        Some((id, span))
    }

    /// The tables of an array of tables (`[[x]]`) or an array of inline tables.
    fn tables<'t>(
        &mut self,
        item: &'t Item,
        key: &str,
    ) -> Vec<(&'t dyn TableLike, Option<Range<usize>>)> {
        if let Some(aot) = item.as_array_of_tables() {
            return aot
                .iter()
                .map(|t| (t as &dyn TableLike, t.span()))
                .collect();
        }
        if let Some(arr) = item.as_array() {
            let mut out = Vec::new();
            for v in arr.iter() {
                match v.as_inline_table() {
                    Some(t) => out.push((t as &dyn TableLike, t.span())),
                    None => {
                        self.error(
                            v.span(),
                            format!("each `{key}` must be a table, found {}", value_kind(v)),
                        );
                    }
                }
            }
            return out;
        }
        self.error(
            item.span(),
            format!(
                "`{key}` must be written as [[{key}]] tables, found {}",
                kind_of(item)
            ),
        );
        Vec::new()
    }

    // ---------------------------------------------------------------- afweging.toml

    fn frame(&mut self, t: &dyn TableLike) -> Frame {
        self.check_keys(
            t,
            &[
                "title",
                "question",
                "decided_by",
                "decision_date",
                "prepared_by",
                "context",
                "risks",
                "follow_up",
                "region",
                "simulation",
            ],
            "afweging.toml",
        );
        let top = Some(0..0);
        let title = self
            .req_string(t, "title", top.clone(), "afweging.toml")
            .unwrap_or_default();
        let question = self
            .req_string(t, "question", top.clone(), "afweging.toml")
            .unwrap_or_default();
        let decided_by = self
            .req_string(t, "decided_by", top.clone(), "afweging.toml")
            .unwrap_or_default();
        let decision_date = match self.req(t, "decision_date", top.clone(), "afweging.toml") {
            Some(Item::Value(TValue::Datetime(d))) => d.value().to_string(),
            Some(Item::Value(TValue::String(s))) => s.value().clone(),
            Some(other) => {
                self.error(
                    other.span(),
                    format!(
                        "`decision_date` must be a date such as 2019-07-01, found {}",
                        kind_of(other)
                    ),
                );
                String::new()
            }
            None => String::new(),
        };
        let context = self.opt_string(t, "context").unwrap_or_default();
        let prepared_by = self.opt_string(t, "prepared_by").unwrap_or_default();
        let follow_up = self.opt_string(t, "follow_up").unwrap_or_default();
        let risks = self.string_list(t, "risks");
        let region = self.region(t);
        let simulation = self.simulation(t);
        Frame {
            title,
            question,
            decided_by,
            decision_date,
            prepared_by,
            context,
            risks,
            follow_up,
            region,
            simulation,
        }
    }

    fn region(&mut self, t: &dyn TableLike) -> Region {
        let mut region = Region {
            name: String::new(),
            municipalities: Vec::new(),
        };
        let Some(item) = self.req(t, "region", Some(0..0), "afweging.toml") else {
            return region;
        };
        let Some(rt) = item.as_table_like() else {
            self.error(
                item.span(),
                "`region` must be a table with `name` and `municipalities`",
            );
            return region;
        };
        let span = item.span().or(Some(0..0));
        self.check_keys(rt, &["name", "municipalities"], "[region]");
        region.name = self
            .req_string(rt, "name", span.clone(), "[region]")
            .unwrap_or_default();
        let Some(ms) = self.req(rt, "municipalities", span.clone(), "[region]") else {
            return region;
        };
        let tables = self.tables(ms, "municipalities");
        if tables.is_empty() {
            self.error(ms.span(), "the region has no municipalities")
                .help("list them as municipalities = [{ name = \"…\", population = … }, …]");
        }
        let mut seen: HashMap<String, ()> = HashMap::new();
        for (m, mspan) in tables {
            self.check_keys(m, &["name", "population"], "a municipality");
            let name = self.req_string(m, "name", mspan.clone(), "a municipality");
            let pop = self
                .req(m, "population", mspan.clone(), "a municipality")
                .and_then(|p| {
                    let span = p.span();
                    match p.as_integer() {
                        Some(n) if n > 0 => Some(n as u64),
                        Some(n) => {
                            self.error(span, format!("population must be positive, found {n}"));
                            None
                        }
                        None => {
                            self.error(
                                span,
                                format!("population must be a whole number, found {}", kind_of(p)),
                            );
                            None
                        }
                    }
                });
            if let (Some(name), Some(population)) = (name, pop) {
                if seen.insert(name.clone(), ()).is_some() {
                    self.error(
                        Self::key_span(m, "name"),
                        format!("municipality `{name}` is listed twice"),
                    );
                    continue;
                }
                region
                    .municipalities
                    .push(Municipality { name, population });
            }
        }
        region
    }

    fn simulation(&mut self, t: &dyn TableLike) -> SimulationSettings {
        let mut s = SimulationSettings {
            seed: 1,
            iterations: 100_000,
            target_error: None,
        };
        let Some(item) = t.get("simulation") else {
            return s;
        };
        let Some(st) = item.as_table_like() else {
            self.error(
                item.span(),
                "`simulation` must be a table with `seed` and `iterations`",
            );
            return s;
        };
        self.check_keys(st, &["seed", "iterations", "target_error"], "[simulation]");
        if let Some(v) = st.get("seed") {
            match v.as_integer() {
                Some(n) if n >= 0 => s.seed = n as u64,
                _ => {
                    self.error(v.span(), "`seed` must be a whole number ≥ 0");
                }
            }
        }
        if let Some(v) = st.get("iterations") {
            match v.as_integer() {
                Some(n) if n > 0 => s.iterations = n as u64,
                _ => {
                    self.error(v.span(), "`iterations` must be a whole number ≥ 1")
                        .help("100000 is a good start");
                }
            }
        }
        if let Some(v) = st.get("target_error") {
            if let Some(x) = self.number(v, "`target_error`") {
                if x > 0.0 && x < 0.5 {
                    s.target_error = Some(x);
                } else {
                    self.error(
                        v.span(),
                        format!("`target_error` must be between 0 and 0.5, found {x}"),
                    )
                    .help("0.005 asks for every acceptability within ±0.5 percentage points");
                }
            }
        }
        s
    }

    // ---------------------------------------------------------------- criteria/*.toml

    fn criteria_file(&mut self, t: &dyn TableLike, tree: &mut Tree) {
        let file_index = tree.file_index;
        tree.file_index += 1;
        self.check_keys(t, &["group", "criterion", "profile"], "a criteria file");
        if let Some(item) = t.get("group") {
            for (gt, span) in self.tables(item, "group") {
                self.check_keys(gt, &["id", "name", "description"], "a [[group]]");
                let id = self.id(gt, span.clone(), "a [[group]]");
                let name = self.text(gt, "name", span.clone(), "a [[group]]");
                if let (Some((id, id_span)), Some(name)) = (id, name) {
                    if let Some((_, first, _)) = tree.groups.iter().find(|(g, _, _)| g.id == id) {
                        let first = first.clone();
                        self.error(id_span, format!("duplicate group id `{id}`"))
                            .help(format!("it is already defined at {first}"));
                        continue;
                    }
                    let here = self.location(id_span.clone());
                    let place = Diagnostic::at(Severity::Error, self.file, self.src, id_span, "");
                    tree.groups.push((
                        Group {
                            id,
                            name,
                            criteria: Vec::new(),
                        },
                        here,
                        place,
                    ));
                }
            }
        }
        if let Some(item) = t.get("criterion") {
            for (ct, span) in self.tables(item, "criterion") {
                let raw_id = ct.get("id").and_then(Item::as_str).map(str::to_string);
                let parsed = self.criterion(ct, span);
                if parsed.is_none() {
                    tree.broken.extend(raw_id);
                }
                if let Some((c, gid, place)) = parsed {
                    if let Some(first) = tree.criterion_seen.get(&c.id) {
                        let first = first.clone();
                        self.error(
                            Self::key_span(ct, "id"),
                            format!("duplicate criterion id `{}`", c.id),
                        )
                        .help(format!("it is already defined at {first}"));
                        continue;
                    }
                    tree.criterion_seen
                        .insert(c.id.clone(), self.location(Self::key_span(ct, "id")));
                    tree.criteria.push((c, gid, place));
                }
            }
        }
        if let Some(item) = t.get("profile") {
            if let Some(aot) = item.as_array_of_tables() {
                for pt in aot.iter() {
                    tree.profiles.push((
                        file_index,
                        RawProfile {
                            table: pt.clone(),
                            span: pt.span(),
                        },
                    ));
                }
            } else {
                self.error(
                    item.span(),
                    "profiles must be written as [[profile]] tables",
                );
            }
        }
    }

    fn criterion(
        &mut self,
        t: &dyn TableLike,
        span: Option<Range<usize>>,
    ) -> Option<(Criterion, String, Diagnostic)> {
        self.check_keys(
            t,
            &[
                "id",
                "group",
                "name",
                "unit",
                "better",
                "scale",
                "description",
            ],
            "a [[criterion]]",
        );
        let id = self.id(t, span.clone(), "a [[criterion]]");
        let group = self.req_string(t, "group", span.clone(), "a [[criterion]]");
        let name = self.text(t, "name", span.clone(), "a [[criterion]]");
        let unit = self.req_string(t, "unit", span.clone(), "a [[criterion]]");
        let better = self
            .req(t, "better", span.clone(), "a [[criterion]]")
            .and_then(|b| match b.as_str() {
                Some("higher") => Some(Better::Higher),
                Some("lower") => Some(Better::Lower),
                _ => {
                    self.error(b.span(), "`better` must be \"higher\" or \"lower\"");
                    None
                }
            });
        let description = self.opt_string(t, "description");
        let scale_item = self.req(t, "scale", span.clone(), "a [[criterion]]");
        let scale = match (scale_item, better) {
            (Some(item), Some(better)) => self.scale(item, better),
            _ => None,
        };
        let place = Diagnostic::at(
            Severity::Error,
            self.file,
            self.src,
            Self::key_span(t, "group"),
            "",
        );
        Some((
            Criterion {
                id: id?.0,
                group: usize::MAX,
                name: name?,
                unit: unit?,
                better: better?,
                scale: scale?,
                description,
            },
            group?,
            place,
        ))
    }

    fn scale(&mut self, item: &Item, better: Better) -> Option<Scale> {
        let Some(t) = item.as_table_like() else {
            self.error(
                item.span(),
                format!("`scale` must be a table, found {}", kind_of(item)),
            )
            .help("write scale = { worst = …, best = … }");
            return None;
        };
        self.check_keys(t, &["worst", "best", "curvature", "points"], "`scale`");
        let span = item.span();
        let result = if let Some(points) = t.get("points") {
            let arr = points.as_array();
            let Some(arr) = arr else {
                self.error(points.span(), "`points` must be an array of [x, v] pairs");
                return None;
            };
            let mut pts = Vec::new();
            for p in arr.iter() {
                let pair = self.numbers(&Item::Value(p.clone()), 2, "a scale point [x, v]")?;
                pts.push((pair[0], pair[1]));
            }
            Scale::piecewise(pts, better)
        } else {
            let worst = self
                .req(t, "worst", span.clone(), "`scale`")
                .and_then(|w| self.number(w, "`worst`"));
            let best = self
                .req(t, "best", span.clone(), "`scale`")
                .and_then(|b| self.number(b, "`best`"));
            let (worst, best) = (worst?, best?);
            match t.get("curvature") {
                Some(c) => {
                    let c = self.number(c, "`curvature`")?;
                    Scale::exponential(worst, best, c, better)
                }
                None => Scale::linear(worst, best, better),
            }
        };
        match result {
            Ok(s) => Some(s),
            Err(e) => {
                self.error(span, e.to_string());
                None
            }
        }
    }

    // ---------------------------------------------------------------- profiles

    fn profile(
        &mut self,
        raw: &RawProfile,
        groups: &[Group],
        criteria: &[Criterion],
    ) -> Option<Profile> {
        let t: &dyn TableLike = &raw.table;
        let span = raw.span.clone();
        self.check_keys(
            t,
            &["id", "name", "description", "groups", "criteria"],
            "a [[profile]]",
        );
        let id = self.id(t, span.clone(), "a [[profile]]");
        let name = self.text(t, "name", span.clone(), "a [[profile]]");
        let description = self.opt_string(t, "description");
        let group_ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
        let group_level = self.level(t.get("groups"), &group_ids, "`groups`", span.clone());
        let crit_table = match t.get("criteria") {
            None => None,
            Some(item) => match item.as_table_like() {
                Some(ct) => Some(ct),
                None => {
                    self.error(item.span(), "`criteria` must be a table keyed by group id")
                        .help("write criteria.cost = { … } or [profile.criteria] with one key per group");
                    None
                }
            },
        };
        if let Some(ct) = crit_table {
            for (k, _) in ct.iter() {
                if !group_ids.contains(&k) {
                    let kspan = ct.get_key_value(k).and_then(|(key, _)| key.span());
                    let hint = match did_you_mean(k, group_ids.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "the groups are {}",
                            group_ids
                                .iter()
                                .map(|s| format!("`{s}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    };
                    self.error(
                        kspan,
                        format!("unknown group `{k}` in the profile's criteria weights"),
                    )
                    .help(hint);
                }
            }
        }
        let mut levels = Vec::new();
        let mut ok = true;
        for g in groups {
            let members: Vec<&str> = g
                .criteria
                .iter()
                .map(|&c| criteria[c].id.as_str())
                .collect();
            let item = crit_table.and_then(|ct| ct.get(&g.id));
            match self.level(
                item,
                &members,
                &format!("`criteria.{}`", g.id),
                span.clone(),
            ) {
                Some(l) => levels.push(l),
                None => ok = false,
            }
        }
        let (id, _) = id?;
        let group_level = group_level?;
        if !ok {
            return None;
        }
        Some(Profile {
            id,
            name: name?,
            description,
            groups: group_level,
            criteria: levels,
        })
    }

    /// One weight level: swing points, bounds, a ranking, or unknown.
    fn level(
        &mut self,
        item: Option<&Item>,
        members: &[&str],
        what: &str,
        place: Option<Range<usize>>,
    ) -> Option<Level> {
        let spec = match item {
            None => LevelSpec::Unknown(members.len()),
            Some(item) => self.level_spec(item, members, what)?,
        };
        match Level::new(spec) {
            Ok(l) => Some(l),
            Err(e) => {
                let span = item.and_then(Item::span).or(place);
                self.error(span, format!("{what}: {e}")).help(format!(
                    "the members of this level, in order, are {}",
                    members
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                None
            }
        }
    }

    fn level_spec(&mut self, item: &Item, members: &[&str], what: &str) -> Option<LevelSpec> {
        let span = item.span();
        let unknown_member = |cx: &mut Self, k: &str, kspan: Option<Range<usize>>| {
            let hint = match did_you_mean(k, members.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "{what} weighs {}",
                    members
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            cx.error(kspan, format!("unknown id `{k}` in {what}"))
                .help(hint);
        };
        if let Some(arr) = item.as_array() {
            // Ordinal ranking.
            let mut order = Vec::new();
            let mut ok = true;
            for v in arr.iter() {
                let Some(s) = v.as_str() else {
                    self.error(v.span(), format!("a ranking in {what} lists ids as strings, found {}", value_kind(v)))
                        .help("write [\"most_important\", \"next\", …], or a table of numbers for swing points");
                    ok = false;
                    continue;
                };
                match members.iter().position(|m| *m == s) {
                    Some(i) if order.contains(&i) => {
                        self.error(
                            v.span(),
                            format!("`{s}` appears twice in the ranking {what}"),
                        );
                        ok = false;
                    }
                    Some(i) => order.push(i),
                    None => {
                        unknown_member(self, s, v.span());
                        ok = false;
                    }
                }
            }
            if ok && order.len() != members.len() {
                let missing: Vec<String> = members
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !order.contains(i))
                    .map(|(_, m)| format!("`{m}`"))
                    .collect();
                self.error(
                    span,
                    format!("the ranking {what} leaves out {}", missing.join(", ")),
                )
                .help("a ranking lists every member once, most important first");
                ok = false;
            }
            return ok.then_some(LevelSpec::Ordinal(order));
        }
        let Some(t) = item.as_table_like() else {
            self.error(span, format!("{what} must be a table of numbers (swing points), a table of [lo, hi] bounds or an array of ids (ranking), found {}", kind_of(item)));
            return None;
        };
        let mut swing: Vec<Option<f64>> = vec![None; members.len()];
        let mut bounds: Vec<Option<(f64, f64)>> = vec![None; members.len()];
        let (mut n_swing, mut n_bounds) = (0, 0);
        let mut ok = true;
        for (k, v) in t.iter() {
            let kspan = t.get_key_value(k).and_then(|(key, _)| key.span());
            let Some(i) = members.iter().position(|m| *m == k) else {
                unknown_member(self, k, kspan);
                ok = false;
                continue;
            };
            if v.as_array().is_some() {
                n_bounds += 1;
                match self.numbers(v, 2, &format!("the bounds of `{k}`")) {
                    Some(b) => bounds[i] = Some((b[0], b[1])),
                    None => ok = false,
                }
            } else {
                n_swing += 1;
                match self.number(v, &format!("the weight of `{k}`")) {
                    Some(x) => swing[i] = Some(x),
                    None => ok = false,
                }
            }
        }
        if n_swing > 0 && n_bounds > 0 {
            self.error(
                span,
                format!("{what} mixes swing points and [lo, hi] bounds"),
            )
            .help("use one form for the whole level: all numbers, or all [lo, hi] bounds");
            return None;
        }
        let missing: Vec<String> = members
            .iter()
            .enumerate()
            .filter(|(i, _)| swing[*i].is_none() && bounds[*i].is_none())
            .map(|(_, m)| format!("`{m}`"))
            .collect();
        if ok && !missing.is_empty() {
            self.error(
                span,
                format!("{what} gives no weight for {}", missing.join(", ")),
            )
            .help("name every member of the level, or leave the whole level out (weights unknown)");
            return None;
        }
        if !ok {
            return None;
        }
        if n_bounds > 0 {
            Some(LevelSpec::Bounds(bounds.into_iter().flatten().collect()))
        } else {
            Some(LevelSpec::Swing(swing.into_iter().flatten().collect()))
        }
    }

    // ---------------------------------------------------------------- initiatives/*.toml

    fn initiative(
        &mut self,
        t: &dyn TableLike,
        criteria: &[Criterion],
        broken: &[String],
        population: u64,
    ) -> Option<(Initiative, Option<Range<usize>>)> {
        self.check_keys(
            t,
            &[
                "id", "name", "summary", "operator", "status", "risks", "values",
            ],
            "an initiative file",
        );
        let top = Some(0..0);
        let id = self.id(t, top.clone(), "the initiative");
        let name = self.req_string(t, "name", top.clone(), "the initiative");
        let summary = self.req_string(t, "summary", top.clone(), "the initiative");
        let operator = self.opt_string(t, "operator").unwrap_or_default();
        let status = self.opt_string(t, "status").unwrap_or_default();
        let mut risks = Vec::new();
        if let Some(r) = t.get("risks") {
            match r.as_array() {
                Some(arr) => {
                    for v in arr.iter() {
                        match v.as_str() {
                            Some(s) => risks.push(s.to_string()),
                            None => {
                                self.error(
                                    v.span(),
                                    format!("each risk must be a string, found {}", value_kind(v)),
                                );
                            }
                        }
                    }
                }
                None => {
                    self.error(r.span(), "`risks` must be an array of strings");
                }
            }
        }
        let values = self.values(t, criteria, broken, population, top);
        let (id, id_span) = id?;
        Some((
            Initiative {
                id,
                name: name?,
                summary: summary?,
                operator,
                status,
                risks,
                values: values?,
                file: self.file.to_path_buf(),
            },
            id_span,
        ))
    }

    fn values(
        &mut self,
        t: &dyn TableLike,
        criteria: &[Criterion],
        broken: &[String],
        population: u64,
        top: Option<Range<usize>>,
    ) -> Option<Vec<Value>> {
        let item = self.req(t, "values", top, "the initiative")?;
        let Some(vt) = item.as_table_like() else {
            self.error(
                item.span(),
                "`values` must be a table with one entry per criterion",
            );
            return None;
        };
        let vspan = item
            .span()
            .or_else(|| t.get_key_value("values").and_then(|(k, _)| k.span()));
        let ids: Vec<&str> = criteria.iter().map(|c| c.id.as_str()).collect();
        // Criteria whose value is probably there under a misspelled key: the
        // misspelling is reported, not a second "missing value" error.
        let mut misspelled: Vec<&str> = Vec::new();
        for (k, _) in vt.iter() {
            // Without valid criteria every key would be "unknown": already reported.
            if !ids.contains(&k) && !ids.is_empty() && !broken.iter().any(|b| b == k) {
                let kspan = vt.get_key_value(k).and_then(|(key, _)| key.span());
                let hint = match did_you_mean(k, ids.iter().copied()) {
                    Some(s) if vt.get(s).is_none() => {
                        misspelled.push(s);
                        format!("did you mean `{s}`? (`{s}` has no value yet)")
                    }
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "the criteria are {}",
                        ids.iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                self.error(kspan, format!("unknown criterion `{k}`"))
                    .help(hint);
            }
        }
        let mut out = Vec::with_capacity(criteria.len());
        let mut ok = true;
        for c in criteria {
            match vt.get(&c.id) {
                None if misspelled.contains(&c.id.as_str()) => ok = false,
                None => {
                    self.error(
                        vspan.clone(),
                        format!(
                            "missing value for criterion `{}` ({}, in {})",
                            c.id, c.name.nl, c.unit
                        ),
                    )
                    .help(format!(
                        "add `{} = {{ value = …, source = \"…\" }}` under [values]",
                        c.id
                    ));
                    ok = false;
                }
                Some(item) => match self.value(item, c, population) {
                    Some(v) => out.push(v),
                    None => ok = false,
                },
            }
        }
        ok.then_some(out)
    }

    fn value(&mut self, item: &Item, c: &Criterion, population: u64) -> Option<Value> {
        let what = format!("the value of `{}`", c.id);
        let span = item.span();
        if let Item::Value(v @ (TValue::Integer(_) | TValue::Float(_))) = item {
            let x = self.number_value(v, &what)?;
            let value = Value {
                dist: Dist::point(x).ok()?,
                clamp: None,
                per_inhabitant: false,
                factor: 1.0,
                provenance: Provenance {
                    source: None,
                    assumption: None,
                },
            };
            self.warn(span, format!("{what} has no source or assumption"))
                .help(format!("write `{} = {{ value = {x}, source = \"…\" }}` (or `assumption = \"…\"` with your reasoning)", c.id));
            self.check_range(&value, c, item.span());
            return Some(value);
        }
        let Some(t) = item.as_table_like() else {
            self.error(span, format!("{what} must be a number or a table such as {{ triangular = [min, mode, max], source = \"…\" }}, found {}", kind_of(item)));
            return None;
        };
        let mut allowed: Vec<&str> = DIST_KEYS.to_vec();
        allowed.extend(["per_inhabitant", "clamp", "source", "assumption"]);
        self.check_keys(t, &allowed, &what);
        let dist_keys: Vec<&str> = t
            .iter()
            .map(|(k, _)| k)
            .filter(|k| DIST_KEYS.contains(k) || *k == "per_inhabitant")
            .collect();
        let (dist, per_inhabitant) = match dist_keys.as_slice() {
            [] => {
                self.error(span, format!("{what} has no distribution"))
                    .help("add one of `value`, `uniform`, `triangular`, `pert`, `normal`, `lognormal`, `beta`, `discrete` or `per_inhabitant`");
                return None;
            }
            ["per_inhabitant"] => {
                let inner = t.get("per_inhabitant")?;
                let Some(it) = inner.as_table_like() else {
                    self.error(inner.span(), "`per_inhabitant` must be a table with one distribution, such as { triangular = [0.08, 0.08, 0.10] }");
                    return None;
                };
                self.check_keys(it, DIST_KEYS, "`per_inhabitant`");
                let keys: Vec<&str> = it
                    .iter()
                    .map(|(k, _)| k)
                    .filter(|k| DIST_KEYS.contains(k))
                    .collect();
                match keys.as_slice() {
                    [k] => (self.dist(k, it.get(k)?, &what)?, true),
                    _ => {
                        self.error(inner.span(), format!("`per_inhabitant` of {what} needs exactly one distribution, found {}", keys.len()));
                        return None;
                    }
                }
            }
            [k] => (self.dist(k, t.get(k)?, &what)?, false),
            many => {
                self.error(
                    span,
                    format!(
                        "{what} gives {} distributions ({}): give exactly one",
                        many.len(),
                        many.join(", ")
                    ),
                );
                return None;
            }
        };
        let clamp = match t.get("clamp") {
            None => None,
            Some(ci) => {
                let b = self.numbers(ci, 2, "`clamp`")?;
                if b[0] >= b[1] {
                    self.error(
                        ci.span(),
                        format!("`clamp` needs lo < hi, found [{}, {}]", b[0], b[1]),
                    );
                    return None;
                }
                Some((b[0], b[1]))
            }
        };
        let source = match t.get("source") {
            Some(s) => Some(self.string(s, "`source`")?),
            None => None,
        };
        let assumption = match t.get("assumption") {
            Some(s) => Some(self.string(s, "`assumption`")?),
            None => None,
        };
        let provenance = Provenance {
            source: source.filter(|s| !s.trim().is_empty()),
            assumption: assumption.filter(|s| !s.trim().is_empty()),
        };
        if provenance.is_missing() {
            self.warn(span.clone(), format!("{what} has no source or assumption"))
                .help("add `source = \"publication, year\"`, or `assumption = \"…\"` with your reasoning");
        }
        let value = Value {
            dist,
            clamp,
            per_inhabitant,
            factor: if per_inhabitant {
                population as f64
            } else {
                1.0
            },
            provenance,
        };
        self.check_range(&value, c, span);
        Some(value)
    }

    /// Warns when plausible values fall beyond the criterion's scale.
    fn check_range(&mut self, v: &Value, c: &Criterion, span: Option<Range<usize>>) {
        let (lo, hi) = c.scale.domain();
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
        let tol = 1e-9 * (hi - lo).abs().max(1.0);
        if a < lo - tol || b > hi + tol {
            self.warn(
                span,
                format!(
                    "the value of `{}` ranges from {} to {} {}, beyond its scale ({} to {}): values outside are clamped to the end of the scale",
                    c.id,
                    fmt_num(a),
                    fmt_num(b),
                    c.unit,
                    fmt_num(lo),
                    fmt_num(hi)
                ),
            )
            .help("widen the criterion's scale if such values are realistic");
        }
    }

    fn dist(&mut self, kind: &str, item: &Item, what: &str) -> Option<Dist> {
        let span = item.span();
        let result = match kind {
            "value" => Dist::point(self.number(item, what)?),
            "uniform" => {
                let n = self.numbers(item, 2, &format!("{what} (`uniform = [min, max]`)"))?;
                Dist::uniform(n[0], n[1])
            }
            "triangular" => {
                let n = self.numbers(
                    item,
                    3,
                    &format!("{what} (`triangular = [min, mode, max]`)"),
                )?;
                Dist::triangular(n[0], n[1], n[2])
            }
            "pert" => {
                let n = self.numbers(item, 3, &format!("{what} (`pert = [min, mode, max]`)"))?;
                Dist::pert(n[0], n[1], n[2])
            }
            "normal" => {
                let [mean, sd] = self.params(item, "normal", ["mean", "sd"])?;
                Dist::normal(mean, sd)
            }
            "lognormal" => {
                let [median, p95] = self.params(item, "lognormal", ["median", "p95"])?;
                Dist::lognormal(median, p95)
            }
            "beta" => {
                let [alpha, beta] = self.params(item, "beta", ["alpha", "beta"])?;
                Dist::beta(alpha, beta)
            }
            "discrete" => {
                let Some(arr) = item.as_array() else {
                    self.error(span, "`discrete` must be an array of [x, p] pairs");
                    return None;
                };
                let mut pts = Vec::new();
                for p in arr.iter() {
                    let pair = self.numbers(
                        &Item::Value(p.clone()),
                        2,
                        &format!("a point [x, p] of {what}"),
                    )?;
                    pts.push((pair[0], pair[1]));
                }
                Dist::discrete(pts)
            }
            _ => return None,
        };
        match result {
            Ok(d) => Some(d),
            Err(e) => {
                self.error(span, format!("{what}: {e}"));
                None
            }
        }
    }

    fn params(&mut self, item: &Item, kind: &str, keys: [&str; 2]) -> Option<[f64; 2]> {
        let Some(t) = item.as_table_like() else {
            self.error(
                item.span(),
                format!(
                    "`{kind}` must be a table {{ {} = …, {} = … }}",
                    keys[0], keys[1]
                ),
            );
            return None;
        };
        self.check_keys(t, &keys, &format!("`{kind}`"));
        let span = item.span();
        let a = self
            .req(t, keys[0], span.clone(), &format!("`{kind}`"))
            .and_then(|i| self.number(i, &format!("`{}`", keys[0])));
        let b = self
            .req(t, keys[1], span, &format!("`{kind}`"))
            .and_then(|i| self.number(i, &format!("`{}`", keys[1])));
        Some([a?, b?])
    }
}

/// A number for messages: no trailing zeros, at most 6 significant decimals.
pub fn fmt_num(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
