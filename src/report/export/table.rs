//! Aligned plain-text tables for a terminal.
//!
//! By default every line fits [`WIDTH`] columns: a grid too wide is split
//! into several, each repeating its key columns (rank, initiative, input),
//! and a longer line of text is wrapped at spaces. `--wide` (a width of
//! `None`) keeps every grid whole and every line long.

use super::markup::{About, Markup, Section};
use super::{score_grid, weight_grid, Grid};
use crate::engine::score::{ProfileRef, ScoreResult};
use crate::model::Decision;

/// The width of a terminal table unless `--wide`: 100 columns.
pub const WIDTH: usize = 100;

/// The table format; `width: None` is `--wide`.
pub(super) struct Table {
    pub(super) width: Option<usize>,
}

/// Splits `g` into grids of at most `width` columns of text, each with the
/// key columns of `g` first: the columns up to and including the first
/// text (non-numeric) column, at most two. A single column wider than
/// `width` stays whole.
pub(crate) fn split(g: &Grid, width: usize) -> Vec<Grid> {
    let widths: Vec<usize> = (0..g.header.len())
        .map(|i| {
            g.rows
                .iter()
                .filter_map(|r| r.get(i))
                .chain(std::iter::once(&g.header[i]))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let total: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    if total <= width || widths.len() <= 2 {
        return vec![Grid {
            header: g.header.clone(),
            rows: g.rows.clone(),
            numeric: g.numeric.clone(),
        }];
    }
    let first_text = g.numeric.iter().position(|n| !n).unwrap_or(0);
    let keys = (first_text + 1).min(2).min(widths.len() - 1);
    let key_width: usize = widths[..keys].iter().sum::<usize>() + 2 * (keys - 1);
    let mut chunks: Vec<Vec<usize>> = Vec::new();
    let mut used = key_width;
    for (i, &w) in widths.iter().enumerate().skip(keys) {
        match chunks.last_mut() {
            Some(chunk) if used + 2 + w <= width => chunk.push(i),
            _ => {
                chunks.push(vec![i]);
                used = key_width;
            }
        }
        used += 2 + w;
    }
    chunks
        .into_iter()
        .map(|chunk| {
            let cols: Vec<usize> = (0..keys).chain(chunk).collect();
            let pick = |row: &[String]| {
                cols.iter()
                    .map(|&i| row.get(i).cloned().unwrap_or_default())
                    .collect()
            };
            Grid {
                header: pick(&g.header),
                rows: g.rows.iter().map(|r| pick(r)).collect(),
                numeric: cols
                    .iter()
                    .map(|&i| g.numeric.get(i).copied().unwrap_or(false))
                    .collect(),
            }
        })
        .collect()
}

/// `text` with every line longer than `width` wrapped at spaces; the
/// continuation lines are indented by two spaces. A word longer than the
/// line stays whole.
pub(crate) fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            out.push('\n');
        }
        if line.chars().count() <= width {
            out.push_str(line);
            continue;
        }
        let mut col = 0;
        for word in line.split(' ') {
            let len = word.chars().count();
            if col > 0 && col + 1 + len > width {
                out.push_str("\n  ");
                col = 2;
            } else if col > 0 {
                out.push(' ');
                col += 1;
            }
            out.push_str(word);
            col += len;
        }
    }
    out
}

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
        match self.width {
            None => render(grid),
            Some(width) => split(grid, width)
                .iter()
                .map(render)
                .collect::<Vec<_>>()
                .join("\n"),
        }
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
        // The whole hash, as every other command and format prints it.
        format!("afweging {} · input {}", r.version, r.input_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(cols: usize, cell: &str) -> Grid {
        let mut header = vec!["rank".to_string(), "initiative".to_string()];
        header.extend((2..cols).map(|i| format!("c{i:02}")));
        let mut row = vec!["1".to_string(), "nlalert".to_string()];
        row.extend((2..cols).map(|_| cell.to_string()));
        let mut numeric = vec![true, false];
        numeric.resize(cols, true);
        Grid {
            header,
            rows: vec![row],
            numeric,
        }
    }

    #[test]
    fn a_wide_grid_splits_into_parts_that_repeat_the_key_columns_and_fit() {
        let g = grid(30, "0.123456");
        let parts = split(&g, 60);
        assert!(parts.len() > 1);
        let mut seen = Vec::new();
        for p in &parts {
            assert_eq!(&p.header[..2], &["rank", "initiative"]);
            for line in render(p).lines() {
                assert!(line.chars().count() <= 60, "{line}");
            }
            seen.extend(p.header[2..].iter().cloned());
        }
        assert_eq!(seen, g.header[2..].to_vec());
        // A grid that fits stays one.
        assert_eq!(split(&grid(4, "1"), 60).len(), 1);
    }

    #[test]
    fn long_lines_wrap_at_spaces_and_short_ones_stay() {
        let text = "short\none two three four five six seven";
        let w = wrap(text, 14);
        assert_eq!(w, "short\none two three\n  four five\n  six seven");
        for line in w.lines() {
            assert!(line.chars().count() <= 14);
        }
        let long_word = "x".repeat(30);
        assert_eq!(wrap(&long_word, 10), long_word);
    }
}
