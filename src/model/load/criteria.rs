//! `criteria/*.toml`: groups, criteria (unit, direction, value function,
//! the money flag) and the raw `[[profile]]` tables, which are read once the
//! whole value tree is known (see [`super::profiles`]).

use std::collections::HashMap;
use std::ops::Range;

use toml_edit::{Item, TableLike};

use super::context::{kind_of, Cx};
use super::profiles::RawProfile;
use crate::model::diag::{did_you_mean, Diagnostic, Diagnostics, Severity};
use crate::model::{Better, Criterion, Group, Scale};

/// The value tree as it is being collected over the criteria files.
#[derive(Default)]
pub(super) struct Tree {
    pub(super) groups: Vec<(Group, String, Diagnostic)>,
    /// Ids of criteria that were defined but are invalid: references to them
    /// are not reported again.
    pub(super) broken: Vec<String>,
    /// Criteria with their group id (resolved in `finish`), the location
    /// of the group reference and its file, for errors.
    pub(super) criteria: Vec<(Criterion, String, Diagnostic)>,
    /// Profiles: (index of the criteria source, raw table).
    pub(super) profiles: Vec<(usize, RawProfile)>,
    /// The index of the file being read among all criteria sources (those
    /// with syntax errors included), set by the caller.
    pub(super) file_index: usize,
    pub(super) criterion_seen: HashMap<String, String>,
    /// The money criterion seen first: its id and the place of its flag.
    pub(super) money: Option<(String, String)>,
    /// Whether any criterion says `money = true`, valid or not (no warning
    /// about a missing money criterion then).
    pub(super) money_declared: bool,
    /// The place of each criterion's scale, for warnings about it.
    pub(super) scale_places: HashMap<String, Diagnostic>,
}

impl Tree {
    pub(super) fn finish(&mut self, diags: &mut Diagnostics) -> (Vec<Group>, Vec<Criterion>) {
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

impl Cx<'_> {
    pub(super) fn criteria_file(&mut self, t: &dyn TableLike, tree: &mut Tree) {
        let file_index = tree.file_index;
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
                    let place = self.diagnostic(Severity::Error, id_span, "");
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
                tree.money_declared |= ct.get("money").and_then(Item::as_bool) == Some(true);
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
                    if c.money {
                        let here = Self::key_span(ct, "money");
                        if let Some((first_id, first)) = &tree.money {
                            let (first_id, first) = (first_id.clone(), first.clone());
                            self.error(
                                here,
                                format!(
                                    "criterion `{}` is marked `money = true`, but `{first_id}` already is",
                                    c.id
                                ),
                            )
                            .help(format!(
                                "exactly one criterion may be the money criterion (`{first_id}` at {first}): remove one of the two"
                            ));
                            tree.broken.push(c.id.clone());
                            continue;
                        }
                        tree.money = Some((c.id.clone(), self.location(here)));
                    }
                    tree.criterion_seen
                        .insert(c.id.clone(), self.location(Self::key_span(ct, "id")));
                    let scale_place =
                        self.diagnostic(Severity::Warning, Self::key_span(ct, "scale"), "");
                    tree.scale_places.insert(c.id.clone(), scale_place);
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

    pub(super) fn criterion(
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
                "money",
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
        let money = match t.get("money") {
            None => false,
            Some(m) => match m.as_bool() {
                Some(b) => b,
                None => {
                    self.error(
                        m.span(),
                        format!("`money` must be true or false, found {}", kind_of(m)),
                    )
                    .help("write `money = true` on the criterion in euros");
                    return None;
                }
            },
        };
        if money {
            if let Some(scale) = scale
                .as_ref()
                .filter(|s| !matches!(s, Scale::Linear { .. }))
            {
                self.error(
                    Self::key_span(t, "money"),
                    format!(
                        "the money criterion needs a linear scale, but this one is {}",
                        scale.shape_name()
                    ),
                )
                .help("euros convert to value at a constant rate only on a linear scale: use scale = { worst = …, best = … }, or remove `money = true`");
                return None;
            }
        }
        let place = self.diagnostic(Severity::Error, Self::key_span(t, "group"), "");
        Some((
            Criterion {
                id: id?.0,
                group: usize::MAX,
                name: name?,
                unit: unit?,
                better: better?,
                scale: scale?,
                description,
                money,
            },
            group?,
            place,
        ))
    }

    pub(super) fn scale(&mut self, item: &Item, better: Better) -> Option<Scale> {
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
}
