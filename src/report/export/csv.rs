//! CSV with a header row (RFC 4180 quoting), one row per initiative.

use super::{score_grid, Exporter, Grid};
use crate::engine::score::ScoreResult;
use crate::model::Decision;

pub(super) struct Csv;

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Renders a grid as CSV.
pub(crate) fn render(g: &Grid) -> String {
    let mut out = String::new();
    for row in std::iter::once(&g.header).chain(&g.rows) {
        out.push_str(&row.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

impl Exporter for Csv {
    fn score(&self, decision: &Decision, r: &ScoreResult) -> String {
        let mut g = score_grid(decision, r, true);
        // Full precision for machines.
        for (row, s) in g.rows.iter_mut().zip(&r.initiatives) {
            row[2] = s.total.to_string();
            for (k, gr) in decision.groups.iter().enumerate() {
                row[3 + k] = s.groups[&gr.id].to_string();
            }
            let skip = 3 + decision.groups.len();
            for (k, c) in decision.criteria.iter().enumerate() {
                row[skip + k] = s.criteria[&c.id].value.to_string();
            }
        }
        render(&g)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_fields_with_commas_and_quotes() {
        assert_eq!(super::field("a,b"), "\"a,b\"");
        assert_eq!(super::field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(super::field("plain"), "plain");
    }
}
