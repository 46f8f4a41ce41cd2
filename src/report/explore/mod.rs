//! The explore page: one self-contained HTML file on which a council sets
//! its own weights and sees the results change.
//!
//! Owns the page's data (a JSON document embedded in a
//! `<script type="application/json">` block), its template, styles and
//! scripts (`page.html`, `style.css`, `explore.js` for the logic that the
//! Node tests import, `ui.js` for the page), and their assembly. It never
//! runs the engine: the CLI hands it the engine's results ([`Inputs`]).
//! Text from the decision files reaches the page only inside the JSON
//! (`<` escaped) and is put on the page by the script as text, never as
//! markup; the title is HTML-escaped.

use serde::Serialize;

use crate::engine::explore::{
    Alternative, DrawColumn, SliderPoints, Values, RESOLUTION, SLIDER_MAX,
};
use crate::engine::value_fn::{Better, Scale};
use crate::model::{Decision, Text};

/// The page template; `{{name}}` marks where a part goes.
const TEMPLATE: &str = include_str!("page.html");
/// The page's styles.
const STYLE: &str = include_str!("style.css");
/// The page's logic (also imported by the Node tests).
const LOGIC: &str = include_str!("explore.js");
/// The page's user interface.
const UI: &str = include_str!("ui.js");

/// What the CLI computed with the engine for the page.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    /// The alternatives, in the order of `values`.
    pub alternatives: &'a [Alternative],
    /// Most likely values and the scenario draws.
    pub values: &'a Values,
    /// Slider positions of each profile, in the decision's profile order.
    pub presets: &'a [SliderPoints],
    /// The profile the page starts with.
    pub initial: usize,
    /// The money criterion, if any.
    pub money: Option<usize>,
}

/// The embedded data: the page's JSON schema.
#[derive(Debug, Serialize)]
pub struct PageData<'a> {
    /// Always `"explore"`.
    pub kind: &'static str,
    /// afweging version that produced this.
    pub version: &'static str,
    /// SHA-256 of all input files.
    pub input_hash: &'a str,
    /// The page's language (`nl` or `en`).
    pub lang: &'a str,
    /// The decision's title.
    pub title: &'a str,
    /// The question.
    pub question: &'a str,
    /// Who decides.
    pub decided_by: &'a str,
    /// Seed of the scenario draws.
    pub seed: u64,
    /// Number of scenarios.
    pub scenarios: usize,
    /// Draws are `q / resolution`.
    pub resolution: f64,
    /// Highest swing points of a slider.
    pub slider_max: f64,
    /// Criterion groups.
    pub groups: Vec<GroupData<'a>>,
    /// Criteria.
    pub criteria: Vec<CriterionData<'a>>,
    /// The alternatives.
    pub alternatives: &'a [Alternative],
    /// Profiles with their slider positions.
    pub profiles: Vec<ProfileData<'a>>,
    /// Index of the profile the page starts with.
    pub initial: usize,
    /// Index of the money criterion (`null`: no euro figures).
    pub money: Option<usize>,
    /// Most likely 0..1 values, `[i * m + c]`.
    pub base: &'a [f64],
    /// Most likely natural values, `[i * m + c]`.
    pub raw: &'a [f64],
    /// Draws of the uncertain values.
    pub columns: &'a [DrawColumn],
}

/// A group.
#[derive(Debug, Serialize)]
pub struct GroupData<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a Text,
    /// Its criteria (indices).
    pub criteria: &'a [usize],
}

/// A criterion.
#[derive(Debug, Serialize)]
pub struct CriterionData<'a> {
    /// Id.
    pub id: &'a str,
    /// Group index.
    pub group: usize,
    /// Name.
    pub name: &'a Text,
    /// Unit.
    pub unit: &'a str,
    /// Direction.
    pub better: Better,
    /// Natural value scoring 0 (worst end of the scale).
    pub worst: f64,
    /// Natural value scoring 1.
    pub best: f64,
    /// The value function.
    pub scale: &'a Scale,
    /// Explanation.
    pub description: Option<&'a str>,
}

/// A profile as a preset.
#[derive(Debug, Serialize)]
pub struct ProfileData<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a Text,
    /// Explanation.
    pub description: Option<&'a str>,
    /// Its slider positions.
    pub points: &'a SliderPoints,
}

/// The page's data for `decision`.
pub fn data<'a>(decision: &'a Decision, inputs: &Inputs<'a>, lang: &'a str) -> PageData<'a> {
    PageData {
        kind: "explore",
        version: crate::VERSION,
        input_hash: &decision.input_hash,
        lang,
        title: &decision.title,
        question: &decision.question,
        decided_by: &decision.decided_by,
        seed: inputs.values.seed,
        scenarios: inputs.values.scenarios,
        resolution: RESOLUTION,
        slider_max: SLIDER_MAX,
        groups: decision
            .groups
            .iter()
            .map(|g| GroupData {
                id: &g.id,
                name: &g.name,
                criteria: &g.criteria,
            })
            .collect(),
        criteria: decision
            .criteria
            .iter()
            .map(|c| {
                let (worst, best) = ends(&c.scale);
                CriterionData {
                    id: &c.id,
                    group: c.group,
                    name: &c.name,
                    unit: &c.unit,
                    better: c.better,
                    worst,
                    best,
                    scale: &c.scale,
                    description: c.description.as_deref(),
                }
            })
            .collect(),
        alternatives: inputs.alternatives,
        profiles: decision
            .profiles
            .iter()
            .zip(inputs.presets)
            .map(|(p, points)| ProfileData {
                id: &p.id,
                name: &p.name,
                description: p.description.as_deref(),
                points,
            })
            .collect(),
        initial: inputs.initial,
        money: inputs.money,
        base: &inputs.values.base,
        raw: &inputs.values.raw,
        columns: &inputs.values.columns,
    }
}

/// The natural values at the worst and the best end of a scale.
fn ends(scale: &Scale) -> (f64, f64) {
    match scale {
        Scale::Linear { worst, best } | Scale::Exponential { worst, best, .. } => (*worst, *best),
        Scale::Piecewise { points } => {
            let (first, last) = (points[0], points[points.len() - 1]);
            if first.1 <= last.1 {
                (first.0, last.0)
            } else {
                (last.0, first.0)
            }
        }
    }
}

/// The data as JSON, safe inside a `<script>` element: every `<` is
/// written as `\u003c` (so neither `</script` nor `<!--` can occur).
pub fn data_json(data: &PageData) -> String {
    let json = serde_json::to_string(data).expect("page data serialises");
    json.replace('<', "\\u003c")
}

/// The whole page.
pub fn render(data: &PageData) -> String {
    let lang = if data.lang == "en" { "en" } else { "nl" };
    let noscript = if lang == "en" {
        "This page needs JavaScript (it runs only inside this file; nothing is sent anywhere)."
    } else {
        "Deze pagina heeft JavaScript nodig (het draait alleen in dit bestand; er wordt niets verstuurd)."
    };
    let title = escape_html(data.title);
    let json = data_json(data);
    fill(TEMPLATE, |name| match name {
        "lang" => Some(lang.to_string()),
        "title" => Some(title.clone()),
        "noscript" => Some(noscript.to_string()),
        "style" => Some(STYLE.to_string()),
        "logic" => Some(LOGIC.to_string()),
        "ui" => Some(UI.to_string()),
        "data" => Some(json.clone()),
        _ => None,
    })
}

/// Replaces every `{{name}}` of `template` in one pass (inserted text is
/// never scanned again).
fn fill(template: &str, part: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => match part(&after[..end]) {
                Some(text) => {
                    out.push_str(&text);
                    rest = &after[end + 2..];
                }
                None => {
                    out.push_str("{{");
                    rest = after;
                }
            },
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: impl AsRef<str>) -> String {
    let mut out = String::new();
    for ch in s.as_ref().chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_once_and_keeps_unknown_marks() {
        let t = "a {{x}} b {{y}} {{x}}";
        let out = fill(t, |n| (n == "x").then(|| "{{y}}".to_string()));
        assert_eq!(out, "a {{y}} b {{y}} {{y}}");
    }

    #[test]
    fn scripts_cannot_close_their_element() {
        for (name, src) in [("explore.js", LOGIC), ("ui.js", UI)] {
            let lower = src.to_lowercase();
            assert!(!lower.contains("</script"), "{name} contains </script");
            assert!(!lower.contains("<!--"), "{name} contains <!--");
        }
        for (name, src) in [
            ("page.html", TEMPLATE),
            ("style.css", STYLE),
            ("explore.js", LOGIC),
            ("ui.js", UI),
        ] {
            assert!(
                !src.contains("http:") && !src.contains("https:"),
                "{name} names a web address"
            );
        }
    }

    #[test]
    fn html_escaping() {
        assert_eq!(
            escape_html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
