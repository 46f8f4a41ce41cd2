//! Markdown tables, for pasting into documents.

use super::markup::{About, Markup, Section};
use super::{score_grid, weight_grid, Grid};
use crate::engine::score::{ProfileRef, ScoreResult};
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

impl Markup for Markdown {
    fn intro(&self, title: &str, profile: &ProfileRef, about: About<'_>) -> String {
        let who = format!(
            "## {}\n\nProfile: **{}** (`{}`)",
            prose(title),
            prose(&profile.name),
            profile.id
        );
        match about {
            About::Score => format!("{who}\n\n"),
            About::Simulation(r) => {
                let mut out = format!(
                    "{who}, {} iterations; ± is the 95% Monte Carlo half-width.\n\n",
                    r.iterations
                );
                if let (Some(t), false) = (r.target_error, r.target_reached) {
                    out.push_str(&format!(
                        "Note: the target error {t} was not reached within {} iterations.\n\n",
                        r.iterations
                    ));
                }
                out
            }
            About::Sensitivity(r) => format!(
                "{who}; leader `{}`, runner-up `{}`; ± is the 95% half-width.\n\n",
                r.leader, r.runner_up
            ),
        }
    }

    fn heading(&self, section: &Section, first: bool) -> String {
        match (section.title.is_empty(), first) {
            (true, _) => String::new(),
            (false, true) => format!("### {}\n\n", section.title),
            (false, false) => format!("\n### {}\n\n", section.title),
        }
    }

    fn grid(&self, grid: &Grid) -> String {
        render(grid)
    }

    fn stamp(&self, text: &str) -> String {
        format!("\n_{text}_\n")
    }

    fn score_sections(&self, decision: &Decision, r: &ScoreResult) -> Vec<Section> {
        vec![
            Section::new("", "", score_grid(decision, r, true)),
            Section::new("Weights", "weights", weight_grid(r)),
        ]
    }

    fn score_stamp(&self, r: &ScoreResult) -> String {
        format!("afweging {} · input hash `{}`", r.version, r.input_hash)
    }
}
