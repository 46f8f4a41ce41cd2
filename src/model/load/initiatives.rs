//! `initiatives/*.toml`: one initiative per file with a value for every
//! criterion: a number or a distribution, optionally clamped and per
//! inhabitant, with its source or assumption.

use std::ops::Range;

use toml_edit::{Item, TableLike, Value as TValue};

use super::context::{kind_of, value_kind, Cx};
use super::{fmt_num, DIST_KEYS};
use crate::model::diag::{did_you_mean, fmt_key};
use crate::model::dist::Dist;
use crate::model::limits;
use crate::model::{Criterion, Initiative, Provenance, Value};

impl Cx<'_> {
    pub(super) fn initiative(
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
                            Some(s) => {
                                if let Some(s) = self.limited(s.to_string(), v.span(), "risks") {
                                    risks.push(s);
                                }
                            }
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

    pub(super) fn values(
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
                self.error(kspan, format!("unknown criterion `{}`", fmt_key(k)))
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

    pub(super) fn value(&mut self, item: &Item, c: &Criterion, population: u64) -> Option<Value> {
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
                    cites: Vec::new(),
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
                if let Some(x) = b.iter().find(|x| !limits::in_range(**x)) {
                    self.error(
                        ci.span(),
                        format!("`clamp` bound {} is beyond the limit of ±1e15", fmt_num(*x)),
                    )
                    .help("use a larger unit (thousands, millions), or leave out the clamp");
                    return None;
                }
                if b[0] >= b[1] {
                    self.error(
                        ci.span(),
                        format!(
                            "`clamp` needs lo < hi, found [{}, {}]",
                            fmt_num(b[0]),
                            fmt_num(b[1])
                        ),
                    );
                    return None;
                }
                Some((b[0], b[1]))
            }
        };
        let source = match t.get("source") {
            Some(s) => {
                let text = self.string(s, "`source`")?;
                Some(self.limited(text, s.span(), "source")?)
            }
            None => None,
        };
        let assumption = match t.get("assumption") {
            Some(s) => {
                let text = self.string(s, "`assumption`")?;
                Some(self.limited(text, s.span(), "assumption")?)
            }
            None => None,
        };
        let source = source.filter(|s| !s.trim().is_empty());
        let cites = match &source {
            Some(text) => self.cite(text, t.get("source").and_then(Item::span)),
            None => Vec::new(),
        };
        let provenance = Provenance {
            source,
            cites,
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
    pub(super) fn check_range(&mut self, v: &Value, c: &Criterion, span: Option<Range<usize>>) {
        let (lo, hi) = c.scale.domain();
        let (a, b) = super::advice::plausible(v);
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

    pub(super) fn dist(&mut self, kind: &str, item: &Item, what: &str) -> Option<Dist> {
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

    pub(super) fn params(&mut self, item: &Item, kind: &str, keys: [&str; 2]) -> Option<[f64; 2]> {
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
