//! CSV with a header row (RFC 4180 quoting), one row per initiative.

use super::{score_grid, Exporter, Grid};
use crate::engine::score::ScoreResult;
use crate::engine::sensitivity::SensitivityResult;
use crate::engine::simulate::SimulationResult;
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

    /// Long format: one estimate per row with its 95% half-width.
    fn simulation(&self, _decision: &Decision, r: &SimulationResult) -> String {
        let mut g = Grid {
            header: ["measure", "initiative", "key", "estimate", "error"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
            numeric: Vec::new(),
        };
        let mut push = |m: &str, i: &str, k: String, v: f64, e: f64| {
            g.rows.push(vec![
                m.to_string(),
                i.to_string(),
                k,
                v.to_string(),
                e.to_string(),
            ]);
        };
        for id in &r.initiatives {
            for (k, (p, e)) in r.rank_acceptability[id]
                .iter()
                .zip(&r.error.rank_acceptability[id])
                .enumerate()
            {
                push("rank_acceptability", id, (k + 1).to_string(), *p, *e);
            }
            if let (Some(c), Some(e)) = (r.confidence[id], r.error.confidence[id]) {
                push("confidence", id, String::new(), c, e);
            }
            for (other, p) in &r.pairwise_winning[id] {
                push(
                    "pairwise_winning",
                    id,
                    other.clone(),
                    *p,
                    r.error.pairwise_winning[id][other],
                );
            }
            if let (Some(w), Some(e)) = (&r.central_weights[id], &r.error.central_weights[id]) {
                for (c, x) in w {
                    push("central_weights", id, c.clone(), *x, e[c]);
                }
            }
            let v = r.value[id];
            let e = r.error.value[id];
            for (k, x, err) in [
                ("mean", v.mean, e.mean),
                ("sd", v.sd, e.sd),
                ("p05", v.p05, e.p05),
                ("p50", v.p50, e.p50),
                ("p95", v.p95, e.p95),
            ] {
                push("value", id, k.to_string(), x, err);
            }
        }
        render(&g)
    }

    /// Long format: analysis, output, input, key, value.
    fn sensitivity(&self, _decision: &Decision, r: &SensitivityResult) -> String {
        let mut g = Grid {
            header: ["analysis", "output", "input", "key", "value"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
            numeric: Vec::new(),
        };
        let mut push = |a: &str, o: &str, i: &str, k: &str, v: String| {
            g.rows.push(vec![a.into(), o.into(), i.into(), k.into(), v]);
        };
        for (w, s) in &r.weight_stability {
            push(
                "weight_stability",
                &s.leader,
                w,
                "current",
                s.current.to_string(),
            );
            push(
                "weight_stability",
                &s.leader,
                w,
                "lower",
                s.lower.to_string(),
            );
            push(
                "weight_stability",
                &s.leader,
                w,
                "upper",
                s.upper.to_string(),
            );
            if let (Some(c), Some(t)) = (s.smallest_change, &s.takes_over) {
                push(
                    "weight_stability",
                    &s.leader,
                    w,
                    "smallest_change",
                    c.to_string(),
                );
                push("weight_stability", &s.leader, w, "takes_over", t.clone());
            }
        }
        for (k, t) in &r.tornado {
            push("tornado", &t.initiative, k, "low", t.low.to_string());
            push("tornado", &t.initiative, k, "high", t.high.to_string());
        }
        for (o, per) in &r.sobol {
            for (i, s) in per {
                push("sobol", o, i, "first", s.first.to_string());
                push("sobol", o, i, "first_ci", s.first_ci.to_string());
                push("sobol", o, i, "total", s.total.to_string());
                push("sobol", o, i, "total_ci", s.total_ci.to_string());
            }
        }
        push("evpi", "", "", "value", r.evpi.to_string());
        push("evpi", "", "", "error", r.error.evpi.to_string());
        if let Some(e) = r.evpi_eur {
            push("evpi", "", "", "eur", e.to_string());
        }
        for (k, v) in &r.evppi {
            push("evppi", "", k, "value", v.to_string());
            push("evppi", "", k, "error", r.error.evppi[k].to_string());
            if let Some(e) = r.evppi_eur[k] {
                push("evppi", "", k, "eur", e.to_string());
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
