//! The sections the table and Markdown formats share, written once.
//!
//! Owns what a human-readable data report contains and in which order: the
//! sections of `simulate` and `sensitivity` (each a titled [`Grid`] with an
//! optional note) and how a report is put together (intro, sections,
//! stamp). A format implements [`Markup`], the few pieces that look
//! different in a terminal and in Markdown, and gets [`Exporter`] through
//! the blanket implementation (hyperfine's `MarkupExporter` pattern). The
//! score's layout is the format's own: a terminal splits its wide grid in
//! two.

use super::{
    acceptability_grid, central_grid, pairwise_grid, sensitivity_stamp, sobol_grid, stability_grid,
    stamp, tornado_grid, value_grid, voi_grid, Exporter, Grid, NEGLIGIBLE,
};
use crate::engine::score::{ProfileRef, ScoreResult};
use crate::engine::sensitivity::SensitivityResult;
use crate::engine::simulate::SimulationResult;
use crate::model::Decision;

/// One titled table of a report.
pub(crate) struct Section {
    /// The short title (a Markdown heading: "Overall value"); empty for a
    /// table right under the intro.
    pub title: String,
    /// The longer caption of a terminal, which says what the numbers are
    /// ("overall value (0..1)"); empty for a table right under the intro.
    pub caption: String,
    /// The table.
    pub grid: Grid,
    /// A line under the table.
    pub note: Option<String>,
}

impl Section {
    pub(crate) fn new(title: impl Into<String>, caption: impl Into<String>, grid: Grid) -> Self {
        Section {
            title: title.into(),
            caption: caption.into(),
            grid,
            note: None,
        }
    }

    pub(crate) fn with_note(mut self, note: String) -> Self {
        self.note = Some(note);
        self
    }
}

/// What a report is about, for its intro line.
pub(crate) enum About<'a> {
    /// A deterministic score.
    Score,
    /// A simulation.
    Simulation(&'a SimulationResult),
    /// A sensitivity analysis.
    Sensitivity(&'a SensitivityResult),
}

/// The pieces of a human-readable format.
pub(crate) trait Markup {
    /// The title and the line about the profile and the run.
    fn intro(&self, title: &str, profile: &ProfileRef, about: About<'_>) -> String;
    /// A section's heading; `first` is the first section after the intro.
    fn heading(&self, section: &Section, first: bool) -> String;
    /// A table.
    fn grid(&self, grid: &Grid) -> String;
    /// The closing reproducibility line.
    fn stamp(&self, text: &str) -> String;
    /// The score's sections.
    fn score_sections(&self, decision: &Decision, r: &ScoreResult) -> Vec<Section>;
    /// The score's reproducibility line (text for [`Markup::stamp`]).
    fn score_stamp(&self, r: &ScoreResult) -> String;
}

impl<T: Markup> Exporter for T {
    fn score(&self, decision: &Decision, r: &ScoreResult) -> String {
        let intro = self.intro(&decision.title, &r.profile, About::Score);
        let sections = self.score_sections(decision, r);
        report(self, intro, &sections, &self.score_stamp(r))
    }

    fn simulation(&self, decision: &Decision, r: &SimulationResult) -> String {
        let intro = self.intro(&decision.title, &r.profile, About::Simulation(r));
        report(self, intro, &simulation_sections(decision, r), &stamp(r))
    }

    fn sensitivity(&self, decision: &Decision, r: &SensitivityResult) -> String {
        let intro = self.intro(&decision.title, &r.profile, About::Sensitivity(r));
        report(self, intro, &sensitivity_sections(r), &sensitivity_stamp(r))
    }
}

/// Intro, sections (heading, table, note) and stamp.
fn report<M: Markup + ?Sized>(m: &M, intro: String, sections: &[Section], stamp: &str) -> String {
    let mut out = intro;
    for (k, s) in sections.iter().enumerate() {
        out.push_str(&m.heading(s, k == 0));
        out.push_str(&m.grid(&s.grid));
        if let Some(note) = &s.note {
            out.push_str(note);
            out.push('\n');
        }
    }
    out.push_str(&m.stamp(stamp));
    out
}

/// The sections of a simulation.
pub(crate) fn simulation_sections(decision: &Decision, r: &SimulationResult) -> Vec<Section> {
    vec![
        Section::new(
            "Rank acceptability and confidence",
            "rank acceptability (share of draws at each rank) and confidence factor",
            acceptability_grid(r),
        ),
        Section::new("Overall value", "overall value (0..1)", value_grid(r)),
        Section::new(
            "Pairwise winning (% of draws row beats column)",
            "pairwise winning (% of draws in which the row scores above the column)",
            pairwise_grid(r),
        ),
        Section::new(
            "Central weights",
            "central weights (mean weights in the draws where the initiative ranks first)",
            central_grid(decision, r),
        ),
    ]
}

/// The sections of a sensitivity analysis.
pub(crate) fn sensitivity_sections(r: &SensitivityResult) -> Vec<Section> {
    let sobol_inputs = r.sobol.get("difference").map_or(0, |m| m.len());
    vec![
        Section::new(
            "Weight stability",
            "weight stability (the leader stays first while the weight is in the interval; the other weights rescale)",
            stability_grid(r),
        ),
        Section::new(
            "Tornado",
            "tornado (each uncertain value at its 5th and 95th percentile, the rest at the most likely point)",
            tornado_grid(r),
        ),
        Section::new(
            format!("Sobol indices of {} − {}", r.leader, r.runner_up),
            format!("Sobol indices of the difference {} − {}", r.leader, r.runner_up),
            sobol_grid(r, "difference"),
        )
        .with_note(match r.sobol.get("difference") {
            Some(_) => format!(
                "(inputs with both indices below {NEGLIGIBLE} are left out; `--format json` lists all {sobol_inputs})"
            ),
            None => "(no Sobol indices: the difference does not vary between draws, so there is no variance to apportion)".into(),
        }),
        Section::new(
            "Value of information",
            "value of information (value units of the 0..1 overall value, and euros a year)",
            voi_grid(r),
        )
        .with_note("(inputs worth less than a euro a year are left out)".into()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::simulate::{simulate, Plan, Stop};
    use crate::report::export::{exporter, Format};
    use crate::report::testing::frozen;

    fn simulation(d: &Decision) -> SimulationResult {
        let plan = Plan {
            seed: 7,
            stop: Stop::Iterations(1000),
            confidence: true,
        };
        simulate(
            &crate::engine::compiled::CompiledDecision::new(d, &d.profiles[0]).unwrap(),
            &plan,
            &|_, _| {},
        )
        .unwrap()
    }

    #[test]
    fn both_formats_show_the_same_sections_in_the_same_order() {
        let d = frozen();
        let r = simulation(&d);
        // Wide: the stamp and the captions unwrapped.
        let table = crate::report::export::exporter_with(Format::Table, true).simulation(&d, &r);
        let md = exporter(Format::Md).simulation(&d, &r);
        let sections = simulation_sections(&d, &r);
        let titles: Vec<&str> = sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Rank acceptability and confidence",
                "Overall value",
                "Pairwise winning (% of draws row beats column)",
                "Central weights"
            ]
        );
        let (mut at_table, mut at_md) = (0, 0);
        for s in sections {
            let caption = format!("\n{}:\n\n", s.caption);
            let k = table[at_table..].find(&caption).expect(&caption);
            at_table += k + caption.len();
            let title = format!("### {}\n\n", s.title);
            let k = md[at_md..].find(&title).expect(&title);
            at_md += k + title.len();
        }
        assert!(table.ends_with(&format!("\n{}\n", stamp(&r))));
        assert!(md.ends_with(&format!("\n_{}_\n", stamp(&r))));
    }

    #[test]
    fn both_formats_say_when_the_target_error_was_not_reached() {
        let d = frozen();
        let mut r = simulation(&d);
        let note = "the target error 0.001 was not reached within 1000 iterations";
        for format in [Format::Table, Format::Md] {
            assert!(!exporter(format).simulation(&d, &r).contains(note));
        }
        r.target_error = Some(0.001);
        r.target_reached = false;
        for format in [Format::Table, Format::Md] {
            let text = exporter(format).simulation(&d, &r);
            assert!(text.contains(note), "{format:?}: {text}");
        }
    }
}
