//! `sources.toml`: the sources of a decision, declared once and cited by id.
//!
//! Owns parsing the optional `[[source]]` tables (id, title, publisher,
//! date, address), their dates (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a TOML
//! date or a year), and the citation rule: when the folder declares
//! sources, a value's `source` that consists only of ids separated by
//! commas (`"S14"`, `"S14, S16"`; a source id starts with a letter) cites
//! them; any other text (`"CBS, 2019"`) stays free text. Citing an undeclared id or a source dated after `decision_date`
//! is a warning. It does not read files ([`super::sources`]) and fetches
//! no address.

use std::collections::HashMap;
use std::ops::Range;

use toml_edit::{Item, TableLike, Value as TValue};

use super::context::{kind_of, Cx};
use crate::model::diag::did_you_mean;
use crate::model::Reference;

/// The declared sources and the decision date, for resolving citations.
#[derive(Debug, Default)]
pub(super) struct Catalog {
    pub(super) refs: Vec<Reference>,
    /// The decision date as the last day it can mean, if it parses.
    pub(super) decision: Option<Day>,
    /// Whether `sources.toml` is present (citations are recognised only then).
    pub(super) declared: bool,
}

/// A calendar day (year, month, day).
pub(super) type Day = (i64, u32, u32);

/// A date of some precision: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct PartialDate {
    year: i64,
    month: Option<u32>,
    day: Option<u32>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a real calendar day).
    pub(super) fn parse(s: &str) -> Option<PartialDate> {
        let mut parts = s.split('-');
        let y = parts.next()?;
        let m = parts.next();
        let d = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let num = |p: &str, len: usize| -> Option<u32> {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        let year = i64::from(num(y, 4)?);
        let month = match m {
            Some(m) => Some(num(m, 2).filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        let day = match (month, d) {
            (Some(mo), Some(d)) => Some(num(d, 2).filter(|&d| d >= 1 && d <= days_in(year, mo))?),
            (_, None) => None,
            (None, Some(_)) => return None,
        };
        Some(PartialDate { year, month, day })
    }

    /// The first day it can mean.
    pub(super) fn first(self) -> Day {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day it can mean.
    pub(super) fn last(self) -> Day {
        let month = self.month.unwrap_or(12);
        (
            self.year,
            month,
            self.day.unwrap_or_else(|| days_in(self.year, month)),
        )
    }
}

fn days_in(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whether `id` can be cited: an id that starts with a letter (so a year
/// in a free text such as `"CBS, 2019"` never reads as a citation).
pub(super) fn citable(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The ids of a source text that consists only of citable ids separated
/// by commas.
pub(super) fn citation(text: &str) -> Option<Vec<String>> {
    let ids: Vec<String> = text.split(',').map(|p| p.trim().to_string()).collect();
    ids.iter().all(|id| citable(id)).then_some(ids)
}

const KEYS: &[&str] = &["id", "title", "publisher", "date", "address"];

impl Cx<'_> {
    /// The `[[source]]` tables of `sources.toml`.
    pub(super) fn references(
        &mut self,
        t: &dyn TableLike,
        decision: Option<Day>,
    ) -> Vec<Reference> {
        self.check_keys(t, &["source"], "sources.toml");
        let Some(item) = t.get("source") else {
            return Vec::new();
        };
        let mut out: Vec<Reference> = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (st, span) in self.tables(item, "source") {
            self.check_keys(st, KEYS, "[[source]]");
            let Some((id, id_span)) = self.id(st, span.clone(), "[[source]]") else {
                continue;
            };
            if !citable(&id) {
                self.error(id_span, format!("source id `{id}` must start with a letter"))
                    .help("source ids are cited in `source` texts, where a leading digit would read as a year; use e.g. `S14`");
                continue;
            }
            if let Some(first) = seen.get(&id) {
                self.error(id_span, format!("duplicate source id `{id}`"))
                    .help(format!(
                        "it is already declared at {first}; give each source its own id"
                    ));
                continue;
            }
            seen.insert(id.clone(), self.location(id_span.clone()));
            let title = self.opt_string(st, "title");
            let publisher = self.opt_string(st, "publisher");
            // A title or publisher given but invalid is reported already.
            let given = |key: &str, v: &Option<String>| match v {
                Some(v) => !v.trim().is_empty(),
                None => st.get(key).is_some(),
            };
            if !given("title", &title) && !given("publisher", &publisher) {
                self.error(
                    span.clone(),
                    format!("source `{id}` has neither a `title` nor a `publisher`"),
                )
                .help(
                    "add `title = \"…\"` and `publisher = \"…\"` so a reader can find the source",
                );
            }
            let address = self
                .opt_string(st, "address")
                .filter(|a| !a.trim().is_empty());
            let date = st.get("date").and_then(|d| self.source_date(d));
            let after_decision = match (date, decision) {
                (Some(d), Some(dd)) => d.first() > dd,
                _ => false,
            };
            out.push(Reference {
                id,
                title: title.unwrap_or_default(),
                publisher: publisher.unwrap_or_default(),
                date: date.map(|d| match (d.month, d.day) {
                    (Some(m), Some(day)) => format!("{:04}-{m:02}-{day:02}", d.year),
                    (Some(m), None) => format!("{:04}-{m:02}", d.year),
                    _ => format!("{:04}", d.year),
                }),
                address,
                after_decision,
            });
        }
        out
    }

    fn source_date(&mut self, item: &Item) -> Option<PartialDate> {
        let bad = |found: String| {
            (
                format!("`date` must be a date such as 2019-07-01, a month such as \"2019-07\" or a year such as 2019, found {found}"),
                "write the date as written on the source, as far as it is given; leave `date` out when it is undated",
            )
        };
        let parsed = match item {
            Item::Value(TValue::Datetime(d)) => {
                let v = d.value();
                match (v.date, v.time) {
                    (Some(date), None) => PartialDate::parse(&date.to_string()),
                    _ => None,
                }
            }
            Item::Value(TValue::Integer(i)) => PartialDate::parse(&i.value().to_string()),
            Item::Value(TValue::String(s)) => PartialDate::parse(s.value().trim()),
            _ => None,
        };
        if parsed.is_none() {
            let found = match item {
                Item::Value(TValue::String(s)) => format!("\"{}\"", s.value()),
                Item::Value(TValue::Datetime(d)) => d.value().to_string(),
                Item::Value(TValue::Integer(i)) => i.value().to_string(),
                other => kind_of(other).to_string(),
            };
            let (msg, help) = bad(found);
            self.error(item.span(), msg).help(help);
        }
        parsed
    }

    /// Resolves a value's `source` text (at `span`) against the declared
    /// sources: the cited ids, with warnings for an undeclared id and for a
    /// source dated after the decision date.
    pub(super) fn cite(&mut self, text: &str, span: Option<Range<usize>>) -> Vec<String> {
        let Some(catalog) = self.catalog else {
            return Vec::new();
        };
        if !catalog.declared {
            return Vec::new();
        }
        let Some(ids) = citation(text) else {
            return Vec::new();
        };
        for id in &ids {
            match catalog.refs.iter().find(|r| &r.id == id) {
                None => {
                    let hint = match did_you_mean(id, catalog.refs.iter().map(|r| r.id.as_str())) {
                        Some(s) => format!("did you mean `{s}`? "),
                        None => String::new(),
                    };
                    self.warn(
                        span.clone(),
                        format!("source `{id}` is cited but not declared in sources.toml"),
                    )
                    .help(format!("{hint}declare it as a [[source]] in sources.toml, or write the source as free text"));
                }
                Some(r) if r.after_decision => {
                    self.warn(
                        span.clone(),
                        format!(
                            "source `{id}` is dated {}, after the decision date",
                            r.date.as_deref().unwrap_or_default()
                        ),
                    )
                    .help("a decision cannot have relied on it: cite a source from before the decision date, or keep it and let the memo mark the fact as later than the decision date");
                }
                Some(_) => {}
            }
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_every_precision_and_only_real_days() {
        let d = PartialDate::parse("2019-07-01").unwrap();
        assert_eq!((d.first(), d.last()), ((2019, 7, 1), (2019, 7, 1)));
        let m = PartialDate::parse("2020-02").unwrap();
        assert_eq!((m.first(), m.last()), ((2020, 2, 1), (2020, 2, 29)));
        let y = PartialDate::parse("2019").unwrap();
        assert_eq!((y.first(), y.last()), ((2019, 1, 1), (2019, 12, 31)));
        for bad in [
            "2019-02-29",
            "2019-13",
            "2019-7-1",
            "19",
            "2019-07-01-02",
            "",
            "nov 2017",
            "2019--01",
        ] {
            assert!(PartialDate::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn only_a_list_of_ids_is_a_citation() {
        assert_eq!(citation("S14"), Some(vec!["S14".to_string()]));
        assert_eq!(
            citation(" S14 ,S16"),
            Some(vec!["S14".to_string(), "S16".to_string()])
        );
        for free in [
            "CBS, 2019 (S14)",
            "Test, 2019",
            "S14,",
            "",
            "S14 S16",
            "2019",
        ] {
            assert_eq!(citation(free), None, "{free}");
        }
    }
}
