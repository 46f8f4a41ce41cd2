//! `--weights FILE`: one weighting as swing points, in the `[[profile]]`
//! format of `criteria/*.toml` (the block the explore page copies).
//!
//! Owns reading and validating that file against a decision's groups and
//! criteria, with `file:line:col` errors. Accepts exactly swing points (a
//! number for every group and for every criterion of every group), since
//! that is what a slider sets; rankings and bounds belong in the decision
//! folder. Turning the points into weights is the engine's
//! ([`crate::engine::explore::SliderPoints::to_profile`]).

use std::ops::Range;
use std::path::Path;

use toml_edit::{ImDocument, Item, TableLike};

use super::Failure;
use crate::engine::explore::SliderPoints;
use crate::model::{diag::did_you_mean, Decision, Diagnostic, Severity, Text};

/// A weighting read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightsFile {
    /// The profile id in the file (`weights` when it has none).
    pub id: String,
    /// Its name (the id when it has none).
    pub name: Text,
    /// The swing points.
    pub points: SliderPoints,
}

/// Reads and validates `path` against `decision`.
pub fn read(path: &Path, decision: &Decision) -> Result<WeightsFile, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::input(format!(
            "{}: cannot read the weights file: {e}",
            path.display()
        ))
    })?;
    parse(path, &text, decision)
}

/// Parses `text` (the contents of `path`) against `decision`.
pub fn parse(path: &Path, text: &str, decision: &Decision) -> Result<WeightsFile, Failure> {
    let mut p = Parser {
        path,
        text,
        errors: Vec::new(),
    };
    let result = p.file(decision);
    match result {
        Some(w) if p.errors.is_empty() => Ok(w),
        _ => Err(Failure::input(
            p.errors
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n\n"),
        )),
    }
}

struct Parser<'a> {
    path: &'a Path,
    text: &'a str,
    errors: Vec<Diagnostic>,
}

impl Parser<'_> {
    fn error(&mut self, span: Option<Range<usize>>, message: String, help: &str) {
        self.errors.push(
            Diagnostic::at(Severity::Error, self.path, self.text, span, message).with_help(help),
        );
    }

    fn file(&mut self, decision: &Decision) -> Option<WeightsFile> {
        let doc = match ImDocument::parse(self.text.to_string()) {
            Ok(d) => d,
            Err(e) => {
                let msg = e.message().lines().map(str::trim).collect::<Vec<_>>();
                self.error(
                    e.span(),
                    format!("TOML syntax error: {}", msg.join(" ").trim()),
                    "check quotes, brackets and `key = value` pairs on this line",
                );
                return None;
            }
        };
        let root: &dyn TableLike = doc.as_table();
        let table: &dyn TableLike = match root.get("profile") {
            None => root,
            Some(item) => match item.as_array_of_tables() {
                Some(a) if a.len() == 1 => a.get(0)?,
                _ => {
                    self.error(
                        item.span(),
                        "a weights file holds exactly one [[profile]]".into(),
                        "keep one [[profile]] block (as the explore page copies it)",
                    );
                    return None;
                }
            },
        };
        for (k, v) in table.iter() {
            if !["id", "name", "description", "groups", "criteria"].contains(&k) {
                self.error(
                    v.span().or_else(|| self.key_span(table, k)),
                    format!("unknown key `{k}` in the weights"),
                    "a weights file has `id`, `name`, `description`, `groups` and `criteria`",
                );
            }
        }
        let id = table
            .get("id")
            .and_then(Item::as_str)
            .unwrap_or("weights")
            .to_string();
        let name = match table.get("name") {
            Some(item) if item.is_str() => {
                let s = item.as_str().unwrap_or_default().to_string();
                Text {
                    nl: s.clone(),
                    en: s,
                }
            }
            Some(item) => {
                let get = |k: &str| {
                    item.as_table_like()
                        .and_then(|t| t.get(k))
                        .and_then(Item::as_str)
                        .map(str::to_string)
                };
                let nl = get("nl").unwrap_or_else(|| id.clone());
                Text {
                    en: get("en").unwrap_or_else(|| nl.clone()),
                    nl,
                }
            }
            None => Text {
                nl: id.clone(),
                en: id.clone(),
            },
        };
        let group_ids: Vec<&str> = decision.groups.iter().map(|g| g.id.as_str()).collect();
        let groups = self.level(table.get("groups"), &group_ids, "`groups`");
        let crit = table.get("criteria").and_then(Item::as_table_like);
        if table.get("criteria").is_some() && crit.is_none() {
            self.error(
                table.get("criteria").and_then(Item::span),
                "`criteria` must be a table keyed by group id".into(),
                "write criteria.cost = { annual_cost = 100, … }",
            );
        }
        if let Some(ct) = crit {
            for (k, v) in ct.iter() {
                if !group_ids.contains(&k) {
                    self.error(
                        v.span(),
                        format!("unknown group `{k}` in `criteria`"),
                        &hint(k, &group_ids),
                    );
                }
            }
        }
        let mut criteria = Vec::new();
        for g in &decision.groups {
            let members: Vec<&str> = g
                .criteria
                .iter()
                .map(|&c| decision.criteria[c].id.as_str())
                .collect();
            let what = format!("`criteria.{}`", g.id);
            criteria.push(self.level(crit.and_then(|ct| ct.get(&g.id)), &members, &what));
        }
        let groups = groups?;
        let criteria = criteria.into_iter().collect::<Option<Vec<_>>>()?;
        Some(WeightsFile {
            id,
            name,
            points: SliderPoints { groups, criteria },
        })
    }

    fn key_span(&self, t: &dyn TableLike, k: &str) -> Option<Range<usize>> {
        t.get_key_value(k).and_then(|(key, _)| key.span())
    }

    /// Swing points for every member of one level.
    fn level(&mut self, item: Option<&Item>, members: &[&str], what: &str) -> Option<Vec<f64>> {
        let help = format!(
            "give swing points for {}",
            members
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let Some(item) = item else {
            self.error(None, format!("the weights give no {what}"), &help);
            return None;
        };
        let Some(t) = item.as_table_like() else {
            self.error(
                item.span(),
                format!("{what} must be a table of swing points"),
                &help,
            );
            return None;
        };
        let mut points = vec![None; members.len()];
        for (k, v) in t.iter() {
            let Some(i) = members.iter().position(|m| *m == k) else {
                self.error(
                    self.key_span(t, k),
                    format!("unknown id `{k}` in {what}"),
                    &hint(k, members),
                );
                continue;
            };
            let x = match v.as_value() {
                Some(toml_edit::Value::Integer(x)) => Some(*x.value() as f64),
                Some(toml_edit::Value::Float(x)) => Some(*x.value()),
                _ => None,
            };
            match x {
                Some(x) if x.is_finite() && x >= 0.0 => points[i] = Some(x),
                _ => self.error(
                    v.span(),
                    format!("the swing points of `{k}` must be a number ≥ 0"),
                    "write a number such as 60",
                ),
            }
        }
        let missing: Vec<String> = members
            .iter()
            .zip(&points)
            .filter(|(_, p)| p.is_none())
            .map(|(m, _)| format!("`{m}`"))
            .collect();
        if !missing.is_empty() {
            self.error(
                item.span(),
                format!("{what} gives no points for {}", missing.join(", ")),
                &help,
            );
            return None;
        }
        let points: Vec<f64> = points.into_iter().collect::<Option<_>>()?;
        if points.iter().sum::<f64>() <= 0.0 {
            self.error(
                item.span(),
                format!("every swing point of {what} is 0"),
                "give at least one member more than 0 points",
            );
            return None;
        }
        Some(points)
    }
}

fn hint(k: &str, ids: &[&str]) -> String {
    match did_you_mean(k, ids.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "the ids are {}",
            ids.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
