//! Markdown tables, for pasting into documents.

use super::{
    acceptability_grid, central_grid, pairwise_grid, score_grid, sensitivity_stamp, sobol_grid,
    stability_grid, stamp, tornado_grid, value_grid, voi_grid, weight_grid, Exporter, Grid,
    NEGLIGIBLE,
};
use crate::engine::score::ScoreResult;
use crate::engine::sensitivity::SensitivityResult;
use crate::engine::simulate::SimulationResult;
use crate::model::Decision;
use crate::report::text::{md_escape, MdText};

pub(super) struct Markdown;

/// An id, key or number in a table cell (kept as spelled; the row intact).
fn cell(s: &str) -> String {
    md_escape(s, MdText::Identifier)
}

/// Free text from the decision files (titles, names): inert in Markdown.
fn prose(s: &str) -> String {
    md_escape(s, MdText::Prose)
}

/// Renders a grid as a Markdown table.
pub(crate) fn render(g: &Grid) -> String {
    let mut out = format!(
        "| {} |\n",
        g.header
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    out.push_str(&format!(
        "|{}|\n",
        g.numeric
            .iter()
            .map(|&n| if n { "---:" } else { "---" })
            .collect::<Vec<_>>()
            .join("|")
    ));
    for row in &g.rows {
        out.push_str(&format!(
            "| {} |\n",
            row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}

impl Exporter for Markdown {
    fn score(&self, decision: &Decision, r: &ScoreResult) -> String {
        let mut out = format!(
            "## {}\n\nProfile: **{}** (`{}`)\n\n",
            prose(&decision.title),
            prose(&r.profile.name),
            r.profile.id
        );
        out.push_str(&render(&score_grid(decision, r, true)));
        out.push_str("\n### Weights\n\n");
        out.push_str(&render(&weight_grid(r)));
        out.push_str(&format!(
            "\n_afweging {} · input hash `{}`_\n",
            r.version, r.input_hash
        ));
        out
    }

    fn simulation(&self, decision: &Decision, r: &SimulationResult) -> String {
        let mut out = format!(
            "## {}\n\nProfile: **{}** (`{}`), {} iterations; ± is the 95% Monte Carlo half-width.\n\n",
            prose(&decision.title),
            prose(&r.profile.name),
            r.profile.id,
            r.iterations
        );
        out.push_str("### Rank acceptability and confidence\n\n");
        out.push_str(&render(&acceptability_grid(r)));
        out.push_str("\n### Overall value\n\n");
        out.push_str(&render(&value_grid(r)));
        out.push_str("\n### Pairwise winning (% of draws row beats column)\n\n");
        out.push_str(&render(&pairwise_grid(r)));
        out.push_str("\n### Central weights\n\n");
        out.push_str(&render(&central_grid(decision, r)));
        out.push_str(&format!("\n_{}_\n", stamp(r)));
        out
    }

    fn sensitivity(&self, decision: &Decision, r: &SensitivityResult) -> String {
        let mut out = format!(
            "## {}\n\nProfile: **{}** (`{}`); leader `{}`, runner-up `{}`; ± is the 95% half-width.\n\n",
            prose(&decision.title),
            prose(&r.profile.name),
            r.profile.id,
            r.leader,
            r.runner_up
        );
        out.push_str("### Weight stability\n\n");
        out.push_str(&render(&stability_grid(r)));
        out.push_str("\n### Tornado\n\n");
        out.push_str(&render(&tornado_grid(r)));
        out.push_str(&format!(
            "\n### Sobol indices of {} − {}\n\n",
            r.leader, r.runner_up
        ));
        out.push_str(&render(&sobol_grid(r, "difference")));
        out.push_str(&format!("(inputs with both indices below {NEGLIGIBLE} are left out; `--format json` lists all {})\n", r.sobol["difference"].len()));
        out.push_str("\n### Value of information\n\n");
        out.push_str(&render(&voi_grid(r)));
        out.push_str("(inputs worth less than a euro a year are left out)\n");
        out.push_str(&format!("\n_{}_\n", sensitivity_stamp(r)));
        out
    }
}
