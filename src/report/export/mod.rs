//! Exporters: one file per output format of the data commands.
//!
//! `table` is for a terminal, `json` is the documented, stable schema (the
//! serialised result structs), `csv` is for spreadsheets and `md` for
//! pasting into documents.

mod csv;
mod json;
mod markdown;
mod table;

use crate::engine::score::ScoreResult;
use crate::engine::simulate::SimulationResult;
use crate::model::Decision;

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
}

/// The exporter for `format`.
pub fn exporter(format: Format) -> Box<dyn Exporter> {
    match format {
        Format::Table => Box::new(table::Table),
        Format::Json => Box::new(json::Json),
        Format::Csv => Box::new(csv::Csv),
        Format::Md => Box::new(markdown::Markdown),
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
            let mut row = vec![s.rank.to_string(), s.id.clone(), format!("{:.3}", s.total)];
            row.extend(
                decision
                    .groups
                    .iter()
                    .map(|g| format!("{:.3}", s.groups[&g.id])),
            );
            if with_values {
                row.extend(
                    decision
                        .criteria
                        .iter()
                        .map(|c| format!("{:.3}", s.criteria[&c.id].value)),
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
                    format!("{:.3}", c.local_weight),
                    format!("{:.3}", c.weight),
                ]
            })
            .collect(),
        numeric: vec![false, false, true, true],
    }
}

/// Initiative ids ordered by their expected rank (Σ r · b_i^r), best first.
pub(crate) fn by_expected_rank(r: &SimulationResult) -> Vec<&str> {
    let mut ids: Vec<(&str, f64)> = r
        .initiatives
        .iter()
        .map(|id| {
            let e = r.rank_acceptability[id]
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

fn pct(p: f64, e: f64) -> String {
    format!("{:.1} ± {:.1}", 100.0 * p, 100.0 * e)
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
                format!("{:.3} ± {:.3}", v.mean, e.mean),
                format!("{:.3}", v.sd),
                format!("{:.3}", v.p05),
                format!("{:.3}", v.p50),
                format!("{:.3}", v.p95),
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
                    format!("{:.1}", 100.0 * r.pairwise_winning[i][j])
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
                format!("{w:.3}")
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
