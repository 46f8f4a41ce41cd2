//! `[[profile]]` tables: one stakeholder's weights, a [`WeightLevel`] for
//! the groups and one per group, each checked against the value tree with
//! errors at the place of the item they concern.

use std::ops::Range;

use toml_edit::{Item, TableLike};

use super::context::{kind_of, value_kind, Cx};
use crate::model::diag::{did_you_mean, fmt_key};
use crate::model::weights::{LevelError, LevelSpec, WeightLevel};
use crate::model::{Criterion, Group, Profile};

/// A `[[profile]]` table kept until the value tree is complete.
pub(super) struct RawProfile {
    pub(super) table: toml_edit::Table,
    pub(super) span: Option<Range<usize>>,
}

impl Cx<'_> {
    pub(super) fn profile(
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
                        format!(
                            "unknown group `{}` in the profile's criteria weights",
                            fmt_key(k)
                        ),
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
    /// One weight level: swing points, bounds, a ranking, or unknown. Every
    /// problem is reported: an item's at the item, the level's at the level.
    pub(super) fn level(
        &mut self,
        item: Option<&Item>,
        members: &[&str],
        what: &str,
        place: Option<Range<usize>>,
    ) -> Option<WeightLevel> {
        let spec = match item {
            None => LevelSpec::Unknown(members.len()),
            Some(item) => self.level_spec(item, members, what)?,
        };
        let ids = members.iter().map(|m| m.to_string()).collect();
        match WeightLevel::new(ids, spec) {
            Ok(l) => Some(l),
            Err(errors) => {
                let level_span = item.and_then(Item::span).or(place);
                for e in errors {
                    let item_span = e.item().and_then(|id| {
                        item.and_then(Item::as_table_like)
                            .and_then(|t| Self::key_span(t, id))
                    });
                    let help = match e {
                        LevelError::LowerBoundsTooHigh { .. } | LevelError::UpperBoundsTooLow { .. } => {
                            "bounds are on shares that add up to 1: the lower bounds may add up to at most 1, the upper bounds to at least 1"
                        }
                        _ => "weights are shares: give finite numbers, bounds between 0 and 1 with lo ≤ hi",
                    };
                    self.error(item_span.or(level_span.clone()), format!("{what}: {e}"))
                        .help(help);
                }
                None
            }
        }
    }

    pub(super) fn level_spec(
        &mut self,
        item: &Item,
        members: &[&str],
        what: &str,
    ) -> Option<LevelSpec> {
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
            cx.error(kspan, format!("unknown id `{}` in {what}", fmt_key(k)))
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
}
