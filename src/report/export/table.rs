//! Aligned plain-text tables for a terminal.

use super::markup::{About, Markup, Section};
use super::{score_grid, weight_grid, Grid};
use crate::engine::score::{ProfileRef, ScoreResult};
use crate::model::Decision;

pub(super) struct Table;

/// Renders a grid with aligned columns.
pub(crate) fn render(g: &Grid) -> String {
    let mut widths: Vec<usize> = g.header.iter().map(|h| h.chars().count()).collect();
    for row in &g.rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if g.numeric.get(i).copied().unwrap_or(false) {
                    format!("{c:>w$}", w = widths[i])
                } else {
                    format!("{c:<w$}", w = widths[i])
                }
            })
            .collect();
        parts.join("  ").trim_end().to_string()
    };
    let mut out = line(&g.header);
    out.push('\n');
    out.push_str(
        &widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  "),
    );
    out.push('\n');
    for row in &g.rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}

impl Markup for Table {
    fn intro(&self, title: &str, profile: &ProfileRef, about: About<'_>) -> String {
        let who = format!("{title}\nprofile: {} ({})", profile.id, profile.name);
        match about {
            About::Score => format!("{who}\n"),
            About::Simulation(r) => {
                let mut out = format!(
                    "{who} · {} iterations · ± = 95% Monte Carlo half-width\n",
                    r.iterations
                );
                if let (Some(t), false) = (r.target_error, r.target_reached) {
                    out.push_str(&format!(
                        "note: the target error {t} was not reached within {} iterations\n",
                        r.iterations
                    ));
                }
                out
            }
            About::Sensitivity(r) => format!(
                "{who} · leader {} · runner-up {} · ± = 95% half-width\n",
                r.leader, r.runner_up
            ),
        }
    }

    fn heading(&self, section: &Section, _first: bool) -> String {
        if section.caption.is_empty() {
            "\n".into()
        } else {
            format!("\n{}:\n\n", section.caption)
        }
    }

    fn grid(&self, grid: &Grid) -> String {
        render(grid)
    }

    fn stamp(&self, text: &str) -> String {
        format!("\n{text}\n")
    }

    /// The totals and group contributions, then the 0..1 values in a table
    /// of their own (one grid would be too wide for a terminal).
    fn score_sections(&self, decision: &Decision, r: &ScoreResult) -> Vec<Section> {
        let mut values = score_grid(decision, r, true);
        let skip = 3 + decision.groups.len();
        values.header = [&values.header[..2], &values.header[skip..]].concat();
        values.rows = values
            .rows
            .iter()
            .map(|row| [&row[..2], &row[skip..]].concat())
            .collect();
        values.numeric = [&values.numeric[..2], &values.numeric[skip..]].concat();
        for h in values.header.iter_mut().skip(2) {
            *h = h.trim_start_matches("v:").to_string();
        }
        vec![
            Section::new("", "", score_grid(decision, r, false)),
            Section::new(
                "Values",
                "values on the 0..1 scale of each criterion",
                values,
            ),
            Section::new("Weights", "weights", weight_grid(r)),
        ]
    }

    fn score_stamp(&self, r: &ScoreResult) -> String {
        format!(
            "afweging {} · input {}",
            r.version,
            &r.input_hash[..12.min(r.input_hash.len())]
        )
    }
}
