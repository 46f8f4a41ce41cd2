//! `afweging.toml`: the frame of the decision (title, question, who decides
//! and when, the region and its municipalities, simulation defaults).

use std::collections::HashMap;

use toml_edit::{Item, TableLike, Value as TValue};

use super::context::{kind_of, Cx};
use crate::model::limits::MAX_POPULATION;
use crate::model::{Municipality, Region, SimulationSettings};

/// What `afweging.toml` holds.
pub(super) struct Frame {
    pub(super) title: String,
    pub(super) question: String,
    pub(super) decided_by: String,
    pub(super) decision_date: String,
    pub(super) prepared_by: String,
    pub(super) context: String,
    pub(super) risks: Vec<String>,
    pub(super) follow_up: String,
    pub(super) region: Region,
    pub(super) simulation: SimulationSettings,
    /// `template = "…"`: the folder was made by `afweging init` and still
    /// describes the template's region (see [`super::template`]).
    pub(super) template: Option<(String, Option<std::ops::Range<usize>>)>,
}

impl Cx<'_> {
    pub(super) fn frame(&mut self, t: &dyn TableLike) -> Frame {
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
                "template",
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
            Some(item @ Item::Value(TValue::String(s))) => self
                .limited(s.value().clone(), item.span(), "decision_date")
                .unwrap_or_default(),
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
        let template = self
            .opt_string(t, "template")
            .map(|name| (name, Self::key_span(t, "template")));
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
            template,
        }
    }

    pub(super) fn region(&mut self, t: &dyn TableLike) -> Region {
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
        let mut total: u64 = 0;
        for (m, mspan) in tables {
            self.check_keys(m, &["name", "population"], "a municipality");
            let name = self.req_string(m, "name", mspan.clone(), "a municipality");
            let pop = self
                .req(m, "population", mspan.clone(), "a municipality")
                .and_then(|p| {
                    let span = p.span();
                    match p.as_integer() {
                        Some(n) if n > 0 && total.saturating_add(n as u64) > MAX_POPULATION => {
                            self.error(
                                span,
                                format!(
                                    "the region's population would exceed the limit of 1,000,000,000 inhabitants here ({} so far, plus {n})",
                                    total
                                ),
                            )
                            .help("check the number (inhabitants, not euros); a region of more than 10^9 inhabitants is beyond what afweging supports");
                            None
                        }
                        Some(n) if n > 0 => {
                            total += n as u64;
                            Some(n as u64)
                        }
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

    pub(super) fn simulation(&mut self, t: &dyn TableLike) -> SimulationSettings {
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
                        format!(
                            "`target_error` must be between 0 and 0.5, found {}",
                            crate::model::diag::fmt_num(x)
                        ),
                    )
                    .help("0.005 asks for every acceptability within ±0.5 percentage points");
                }
            }
        }
        s
    }
}
