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
