//! Aligned plain-text tables for a terminal.

use super::{
    acceptability_grid, central_grid, pairwise_grid, score_grid, sensitivity_stamp, sobol_grid,
    stability_grid, stamp, tornado_grid, value_grid, voi_grid, weight_grid, Exporter, Grid,
    NEGLIGIBLE,
};
use crate::engine::score::ScoreResult;
use crate::engine::sensitivity::SensitivityResult;
use crate::engine::simulate::SimulationResult;
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

impl Exporter for Table {
    fn score(&self, decision: &Decision, r: &ScoreResult) -> String {
        let mut out = format!(
            "{}\nprofile: {} ({})\n\n",
            decision.title, r.profile.id, r.profile.name
        );
        out.push_str(&render(&score_grid(decision, r, false)));
        out.push_str("\nvalues on the 0..1 scale of each criterion:\n\n");
        let mut g = score_grid(decision, r, true);
        let skip = 3 + decision.groups.len();
        g.header = [&g.header[..2], &g.header[skip..]].concat();
        g.rows = g
            .rows
            .iter()
            .map(|row| [&row[..2], &row[skip..]].concat())
            .collect();
        g.numeric = [&g.numeric[..2], &g.numeric[skip..]].concat();
        for h in g.header.iter_mut().skip(2) {
            *h = h.trim_start_matches("v:").to_string();
        }
        out.push_str(&render(&g));
        out.push_str("\nweights:\n\n");
        out.push_str(&render(&weight_grid(r)));
        out.push_str(&format!(
            "\nafweging {} · input {}\n",
            r.version,
            &r.input_hash[..12.min(r.input_hash.len())]
        ));
        out
    }

    fn simulation(&self, decision: &Decision, r: &SimulationResult) -> String {
        let mut out = format!(
            "{}\nprofile: {} ({}) · {} iterations · ± = 95% Monte Carlo half-width\n",
            decision.title, r.profile.id, r.profile.name, r.iterations
        );
        if let (Some(t), false) = (r.target_error, r.target_reached) {
            out.push_str(&format!(
                "note: the target error {t} was not reached within {} iterations\n",
                r.iterations
            ));
        }
        out.push_str(
            "\nrank acceptability (share of draws at each rank) and confidence factor:\n\n",
        );
        out.push_str(&render(&acceptability_grid(r)));
        out.push_str("\noverall value (0..1):\n\n");
        out.push_str(&render(&value_grid(r)));
        out.push_str(
            "\npairwise winning (% of draws in which the row scores above the column):\n\n",
        );
        out.push_str(&render(&pairwise_grid(r)));
        out.push_str(
            "\ncentral weights (mean weights in the draws where the initiative ranks first):\n\n",
        );
        out.push_str(&render(&central_grid(decision, r)));
        out.push('\n');
        out.push_str(&stamp(r));
        out.push('\n');
        out
    }

    fn sensitivity(&self, decision: &Decision, r: &SensitivityResult) -> String {
        let mut out = format!(
            "{}\nprofile: {} ({}) · leader {} · runner-up {} · ± = 95% half-width\n",
            decision.title, r.profile.id, r.profile.name, r.leader, r.runner_up
        );
        out.push_str("\nweight stability (the leader stays first while the weight is in the interval; the other weights rescale):\n\n");
        out.push_str(&render(&stability_grid(r)));
        out.push_str("\ntornado (each uncertain value at its 5th and 95th percentile, the rest at the most likely point):\n\n");
        out.push_str(&render(&tornado_grid(r)));
        out.push_str(&format!(
            "\nSobol indices of the difference {} − {}:\n\n",
            r.leader, r.runner_up
        ));
        out.push_str(&render(&sobol_grid(r, "difference")));
        out.push_str(&format!("(inputs with both indices below {NEGLIGIBLE} are left out; `--format json` lists all {})\n", r.sobol["difference"].len()));
        out.push_str(
            "\nvalue of information (value units of the 0..1 overall value, and euros a year):\n\n",
        );
        out.push_str(&render(&voi_grid(r)));
        out.push_str("(inputs worth less than a euro a year are left out)\n");
        out.push('\n');
        out.push_str(&sensitivity_stamp(r));
        out.push('\n');
        out
    }
}
