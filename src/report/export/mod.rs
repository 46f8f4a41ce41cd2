//! Exporters: one file per output format of the data commands.
//!
//! `table` is for a terminal, `json` is the documented, stable schema (the
//! serialised result structs), `csv` is for spreadsheets and `md` for
//! pasting into documents.

mod csv;
mod json;
mod markdown;
mod markup;
pub mod table;

use std::collections::BTreeMap;

use crate::engine::score::ScoreResult;
use crate::engine::sensitivity::SensitivityResult;
use crate::engine::simulate::SimulationResult;
use crate::model::Decision;
use crate::report::text::{self, Separators};

/// An output format of the data commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for a terminal.
    Table,
    /// The documented JSON schema.
    Json,
    /// Comma-separated values with a header row.
    Csv,
    /// Markdown tables.
    Md,
}

/// Turns results into text in one format.
pub trait Exporter {
    /// The output of `afweging score`.
    fn score(&self, decision: &Decision, result: &ScoreResult) -> String;
    /// The output of `afweging simulate`.
    fn simulation(&self, decision: &Decision, result: &SimulationResult) -> String;
    /// The output of `afweging sensitivity`.
    fn sensitivity(&self, decision: &Decision, result: &SensitivityResult) -> String;
}

/// The exporter for `format`. Its output never holds a control character
/// from the data (see [`text::without_controls`]): a bell or an escape
/// sequence in a name is shown as U+FFFD, not sent to the terminal.
pub fn exporter(format: Format) -> Box<dyn Exporter> {
    exporter_with(format, false)
}

/// [`exporter`]; `wide` keeps a table's grids whole and its lines long
/// instead of fitting them to [`table::WIDTH`] columns.
pub fn exporter_with(format: Format, wide: bool) -> Box<dyn Exporter> {
    match format {
        Format::Table if wide => Box::new(Clean(table::Table { width: None })),
        Format::Table => Box::new(Clean(Fit(table::Table {
            width: Some(table::WIDTH),
        }))),
        Format::Json => Box::new(Clean(json::Json)),
        Format::Csv => Box::new(Clean(csv::Csv)),
        Format::Md => Box::new(Clean(markdown::Markdown)),
    }
}

/// An exporter whose lines longer than [`table::WIDTH`] are wrapped.
struct Fit<E>(E);

impl<E: Exporter> Exporter for Fit<E> {
    fn score(&self, decision: &Decision, result: &ScoreResult) -> String {
        table::wrap(&self.0.score(decision, result), table::WIDTH)
    }
    fn simulation(&self, decision: &Decision, result: &SimulationResult) -> String {
        table::wrap(&self.0.simulation(decision, result), table::WIDTH)
    }
    fn sensitivity(&self, decision: &Decision, result: &SensitivityResult) -> String {
        table::wrap(&self.0.sensitivity(decision, result), table::WIDTH)
    }
}

/// An exporter whose output has its control characters replaced.
struct Clean<E>(E);

impl<E: Exporter> Exporter for Clean<E> {
    fn score(&self, decision: &Decision, result: &ScoreResult) -> String {
        text::without_controls(&self.0.score(decision, result))
    }
    fn simulation(&self, decision: &Decision, result: &SimulationResult) -> String {
        text::without_controls(&self.0.simulation(decision, result))
    }
    fn sensitivity(&self, decision: &Decision, result: &SensitivityResult) -> String {
        text::without_controls(&self.0.sensitivity(decision, result))
    }
}

/// A row of cells, for the tabular formats.
pub(crate) struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Right-align this column (numbers).
    pub numeric: Vec<bool>,
}

/// The score as a grid: rank, initiative, total, group contributions, criterion values.
pub(crate) fn score_grid(decision: &Decision, r: &ScoreResult, with_values: bool) -> Grid {
    let mut header = vec![
        "rank".to_string(),
        "initiative".to_string(),
        "total".to_string(),
    ];
    header.extend(decision.groups.iter().map(|g| g.id.clone()));
    if with_values {
        header.extend(decision.criteria.iter().map(|c| format!("v:{}", c.id)));
    }
    let mut numeric = vec![true, false];
    numeric.resize(header.len(), true);
    let rows = r
        .initiatives
        .iter()
        .map(|s| {
            let mut row = vec![s.rank.to_string(), s.id.clone(), fixed(s.total, 3)];
            row.extend(decision.groups.iter().map(|g| fixed(s.groups[&g.id], 3)));
            if with_values {
                row.extend(
                    decision
                        .criteria
                        .iter()
                        .map(|c| fixed(s.criteria[&c.id].value, 3)),
                );
            }
            row
        })
        .collect();
    Grid {
        header,
        rows,
        numeric,
    }
}

/// The weights as a grid: criterion, group, local and global weight.
pub(crate) fn weight_grid(r: &ScoreResult) -> Grid {
    Grid {
        header: vec![
            "criterion".into(),
            "group".into(),
            "local".into(),
            "weight".into(),
        ],
        rows: r
            .criteria
            .iter()
            .map(|c| {
                vec![
                    c.id.clone(),
                    c.group.clone(),
                    fixed(c.local_weight, 3),
                    fixed(c.weight, 3),
                ]
            })
            .collect(),
        numeric: vec![false, false, true, true],
    }
}

/// Initiative ids ordered by their expected rank (Σ r · b_i^r), best first.
pub(crate) fn by_expected_rank(r: &SimulationResult) -> Vec<&str> {
    expected_rank_order(&r.rank_acceptability)
}

/// The ids of `acceptability` (per initiative: the share at rank 1, 2, …)
/// by expected rank, best first (ties: id).
pub(crate) fn expected_rank_order(acceptability: &BTreeMap<String, Vec<f64>>) -> Vec<&str> {
    let mut ids: Vec<(&str, f64)> = acceptability
        .iter()
        .map(|(id, shares)| {
            let e = shares
                .iter()
                .enumerate()
                .map(|(k, p)| (k + 1) as f64 * p)
                .sum();
            (id.as_str(), e)
        })
        .collect();
    ids.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    ids.into_iter().map(|(id, _)| id).collect()
}

/// A share and its 95% half-width in percent: `62.5 ± 0.4`.
fn pct(p: f64, e: f64) -> String {
    format!("{} ± {}", fixed(100.0 * p, 1), fixed(100.0 * e, 1))
}

/// Rank acceptabilities (percent ± half-width) and confidence factors.
pub(crate) fn acceptability_grid(r: &SimulationResult) -> Grid {
    let n = r.initiatives.len();
    let mut header = vec!["initiative".to_string()];
    header.extend((1..=n).map(|k| format!("rank {k} %")));
    header.push("confidence %".into());
    let mut numeric = vec![false];
    numeric.resize(header.len(), true);
    let rows = by_expected_rank(r)
        .into_iter()
        .map(|id| {
            let mut row = vec![id.to_string()];
            row.extend(
                r.rank_acceptability[id]
                    .iter()
                    .zip(&r.error.rank_acceptability[id])
                    .map(|(&p, &e)| pct(p, e)),
            );
            row.push(match (r.confidence[id], r.error.confidence[id]) {
                (Some(p), Some(e)) => pct(p, e),
                _ => "–".into(),
            });
            row
        })
        .collect();
    Grid {
        header,
        rows,
        numeric,
    }
}

/// Overall value statistics.
pub(crate) fn value_grid(r: &SimulationResult) -> Grid {
    let header: Vec<String> = ["initiative", "mean", "sd", "p05", "p50", "p95"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let rows = by_expected_rank(r)
        .into_iter()
        .map(|id| {
            let v = r.value[id];
            let e = r.error.value[id];
            vec![
                id.to_string(),
                format!("{} ± {}", fixed(v.mean, 3), fixed(e.mean, 3)),
                fixed(v.sd, 3),
                fixed(v.p05, 3),
                fixed(v.p50, 3),
                fixed(v.p95, 3),
            ]
        })
        .collect();
    Grid {
        header,
        rows,
        numeric: vec![false, true, true, true, true, true],
    }
}

/// Pairwise winning indices: the row initiative beats the column one in % of draws.
pub(crate) fn pairwise_grid(r: &SimulationResult) -> Grid {
    let order = by_expected_rank(r);
    let mut header = vec!["beats →".to_string()];
    header.extend(order.iter().map(|s| s.to_string()));
    let mut numeric = vec![false];
    numeric.resize(header.len(), true);
    let rows = order
        .iter()
        .map(|&i| {
            let mut row = vec![i.to_string()];
            row.extend(order.iter().map(|&j| {
                if i == j {
                    "–".to_string()
                } else {
                    fixed(100.0 * r.pairwise_winning[i][j], 1)
                }
            }));
            row
        })
        .collect();
    Grid {
        header,
        rows,
        numeric,
    }
}

/// Central weight vectors of the initiatives that rank first in some draws.
pub(crate) fn central_grid(decision: &Decision, r: &SimulationResult) -> Grid {
    let order: Vec<&str> = by_expected_rank(r)
        .into_iter()
        .filter(|id| r.central_weights[*id].is_some())
        .collect();
    let mut header = vec!["criterion".to_string()];
    header.extend(order.iter().map(|s| s.to_string()));
    let mut numeric = vec![false];
    numeric.resize(header.len(), true);
    let rows = decision
        .criteria
        .iter()
        .map(|c| {
            let mut row = vec![c.id.clone()];
            row.extend(order.iter().map(|&id| {
                let w = r.central_weights[id]
                    .as_ref()
                    .map_or(f64::NAN, |m| m[&c.id]);
                fixed(w, 3)
            }));
            row
        })
        .collect();
    Grid {
        header,
        rows,
        numeric,
    }
}

/// The reproducibility stamp of a simulation.
pub(crate) fn stamp(r: &SimulationResult) -> String {
    format!(
        "afweging {} · seed {} · {} iterations (+{} for confidence) · input {}",
        r.version, r.seed, r.iterations, r.confidence_iterations, r.input_hash
    )
}

/// Weight stability: per weight, the interval where the leader stays first.
pub(crate) fn stability_grid(r: &SensitivityResult) -> Grid {
    let mut rows: Vec<(&String, &crate::engine::sensitivity::Stability)> =
        r.weight_stability.iter().collect();
    rows.sort_by(|a, b| {
        let ka = a.1.smallest_change.unwrap_or(f64::INFINITY);
        let kb = b.1.smallest_change.unwrap_or(f64::INFINITY);
        ka.total_cmp(&kb).then_with(|| a.0.cmp(b.0))
    });
    Grid {
        header: [
            "weight",
            "now",
            "stays first from",
            "to",
            "smallest change",
            "then first",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .into_iter()
            .map(|(k, s)| {
                vec![
                    k.clone(),
                    fixed(s.current, 3),
                    fixed(s.lower, 3),
                    fixed(s.upper, 3),
                    s.smallest_change.map_or("–".into(), |x| fixed(x, 3)),
                    s.takes_over.clone().unwrap_or_else(|| "–".into()),
                ]
            })
            .collect(),
        numeric: vec![false, true, true, true, true, false],
    }
}

/// Tornado: inputs by the swing they cause in their initiative's overall value.
pub(crate) fn tornado_grid(r: &SensitivityResult) -> Grid {
    let mut bars: Vec<(&String, &crate::engine::sensitivity::TornadoBar)> =
        r.tornado.iter().collect();
    bars.sort_by(|a, b| {
        let sa = (a.1.high - a.1.low).abs();
        let sb = (b.1.high - b.1.low).abs();
        sb.total_cmp(&sa).then_with(|| a.0.cmp(b.0))
    });
    Grid {
        header: [
            "input",
            "p05",
            "p95",
            "value at p05",
            "at p95",
            "swing",
            "changes leader",
        ]
        .map(String::from)
        .to_vec(),
        rows: bars
            .into_iter()
            .map(|(k, t)| {
                vec![
                    k.clone(),
                    short(t.low_input),
                    short(t.high_input),
                    fixed(t.low, 3),
                    fixed(t.high, 3),
                    fixed((t.high - t.low).abs(), 3),
                    if t.changes_leader {
                        "yes".into()
                    } else {
                        "no".into()
                    },
                ]
            })
            .collect(),
        numeric: vec![false, true, true, true, true, true, false],
    }
}

/// `x` with `decimals` decimals, a decimal point and no thousands
/// separator: the data tables' numbers (see [`text::number`]).
pub(crate) fn fixed(x: f64, decimals: usize) -> String {
    text::number(x, decimals, Separators::PLAIN)
}

/// A number in its unit for people: whole numbers from 100 up, else 3
/// significant digits (at most 6 decimals).
pub(crate) fn short(x: f64) -> String {
    let decimals = if !x.is_finite() || x.abs() >= 100.0 || x == x.trunc() {
        0
    } else {
        (2 - x.abs().log10().floor() as i32).clamp(0, 6) as usize
    };
    fixed(x, decimals)
}

/// Below this a Sobol index or an EVPPI (value units) is left out of the
/// tables for people (the JSON and CSV keep every input).
pub(crate) const NEGLIGIBLE: f64 = 0.0005;

/// Sobol indices of one output, largest total first; negligible inputs left out.
pub(crate) fn sobol_grid(r: &SensitivityResult, output: &str) -> Grid {
    let mut rows: Vec<(&String, &crate::engine::sensitivity::SobolIndex)> = r
        .sobol
        .get(output)
        .map(|m| {
            m.iter()
                .filter(|(_, s)| s.total.abs() >= NEGLIGIBLE || s.first.abs() >= NEGLIGIBLE)
                .collect()
        })
        .unwrap_or_default();
    rows.sort_by(|a, b| b.1.total.total_cmp(&a.1.total).then_with(|| a.0.cmp(b.0)));
    Grid {
        header: ["input", "first", "±", "total", "±"]
            .map(String::from)
            .to_vec(),
        rows: rows
            .into_iter()
            .map(|(k, s)| {
                vec![
                    k.clone(),
                    fixed(s.first, 3),
                    fixed(s.first_ci, 3),
                    fixed(s.total, 3),
                    fixed(s.total_ci, 3),
                ]
            })
            .collect(),
        numeric: vec![false, true, true, true, true],
    }
}

/// Value of information per input, largest first.
pub(crate) fn voi_grid(r: &SensitivityResult) -> Grid {
    let mut rows: Vec<(&String, &f64)> = r
        .evppi
        .iter()
        .filter(|(k, v)| **v >= NEGLIGIBLE / 10.0 || r.evppi_eur[*k].is_some_and(|e| e >= 1.0))
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let mut out = vec![vec![
        "everything (EVPI)".to_string(),
        fixed(r.evpi, 4),
        fixed(r.error.evpi, 4),
        r.evpi_eur.map_or("–".into(), |e| fixed(e, 0)),
    ]];
    out.extend(rows.into_iter().map(|(k, v)| {
        vec![
            k.clone(),
            fixed(*v, 4),
            fixed(r.error.evppi[k], 4),
            r.evppi_eur[k].map_or("–".into(), |e| fixed(e, 0)),
        ]
    }));
    Grid {
        header: ["input", "EVPPI (value)", "±", "EUR/year"]
            .map(String::from)
            .to_vec(),
        // Inputs worth less than a euro a year are left out.
        rows: out,
        numeric: vec![false, true, true, true],
    }
}

/// The reproducibility stamp of a sensitivity analysis.
pub(crate) fn sensitivity_stamp(r: &SensitivityResult) -> String {
    format!(
        "afweging {} · seed {} · {} rows ({} model evaluations) · input {}",
        r.version, r.seed, r.iterations, r.evaluations, r.input_hash
    )
}
