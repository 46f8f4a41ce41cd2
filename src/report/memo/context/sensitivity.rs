//! "Gevoeligheid" and "Wat is het waard om meer te weten?": the numbers of
//! the sensitivity chapters.
//!
//! Owns the selection and order of the memo profile's sensitivity results:
//! the weights that can change the first place (smallest change first) and
//! those that cannot, the one-way lines of the group weights, the tornado
//! bars (largest swing first), the Sobol rows of the difference leader −
//! runner-up and the value-of-information rows, each cut to the limits of
//! [`RULES`]. Every number is copied from the [`SensitivityResult`]; inputs
//! are named through [`super::inputs`].

use std::collections::BTreeMap;

use super::inputs::{self, Weight};
use super::names;
use super::rules::RULES;
use super::schema::{
    Bar, EvppiRow, Flip, InputKind, OneWay, Pm, Sensitivity, SobolRow, WeightKind,
};
use crate::engine::score::ScoreResult;
use crate::engine::sensitivity::{SensitivityResult, SobolIndex, TornadoBar};
use crate::model::Decision;
use crate::report::memo::format::Lang;

/// The sensitivity chapters of the memo's profile (`score` is its
/// deterministic score).
pub(super) fn sensitivity(
    decision: &Decision,
    score: &ScoreResult,
    s: &SensitivityResult,
    lang: Lang,
) -> Sensitivity {
    let total_of = |id: &str| {
        score
            .initiatives
            .iter()
            .find(|x| x.id == id)
            .map_or(f64::NAN, |x| x.total)
    };
    let describe = |key: &str| {
        let input = inputs::of(s, key);
        (input.kind(), inputs::label(decision, input, lang))
    };
    let (flips, stable_groups, stable_criteria) = weight_stability(decision, s, lang);
    let (tornado, tornado_changes_leader, tornado_total) = tornado(decision, s, lang);
    let empty = BTreeMap::new();
    let difference = s.sobol.get("difference").unwrap_or(&empty);
    let (evppi, evppi_left_out) = evppi_rows(&s.evppi, &s.error.evppi, &s.evppi_eur, &describe);
    Sensitivity {
        leader_id: s.leader.clone(),
        leader: names::initiative(decision, &s.leader).to_string(),
        leader_total: total_of(&s.leader),
        runner_up: names::initiative(decision, &s.runner_up).to_string(),
        runner_up_total: total_of(&s.runner_up),
        flips,
        stable_groups,
        stable_criteria,
        group_lines: group_lines(decision, score, s, lang),
        tornado,
        tornado_total,
        tornado_changes_leader,
        sobol: sobol_rows(difference, &describe),
        sobol_total: difference.len(),
        evpi: s.evpi,
        evpi_error: s.error.evpi,
        evpi_eur: s.evpi_eur,
        eur_criterion: s
            .eur_criterion
            .as_deref()
            .map(|c| names::criterion(decision, c, lang)),
        eur_per_value_unit: s.eur_per_value_unit,
        evpi_tiny: s.evpi < RULES.evpi_tiny,
        evppi_has_weights: evppi.iter().any(|r| r.kind.is_weights()),
        evppi,
        evppi_left_out,
    }
}

/// The weights (groups first, then criteria, in file order) that can make
/// another initiative first, smallest change first; and the names of the
/// group and criterion weights that cannot.
fn weight_stability(
    decision: &Decision,
    s: &SensitivityResult,
    lang: Lang,
) -> (Vec<Flip>, Vec<String>, Vec<String>) {
    let l = lang.code();
    let weights = decision
        .groups
        .iter()
        .map(|g| (Weight::Group(&g.id), g.name.get(l)))
        .chain(
            decision
                .criteria
                .iter()
                .map(|c| (Weight::Criterion(&c.id), c.name.get(l))),
        );
    let named = |id: &Option<String>| {
        id.as_deref()
            .map(|i| names::initiative(decision, i).to_string())
    };
    let mut flips = Vec::new();
    let mut stable_groups = Vec::new();
    let mut stable_criteria = Vec::new();
    for (weight, name) in weights {
        let Some(w) = inputs::stability(s, weight) else {
            continue;
        };
        match (w.smallest_change, &w.takes_over, weight) {
            (Some(change), Some(taker), _) => flips.push(Flip {
                kind: match weight {
                    Weight::Group(_) => WeightKind::Group,
                    Weight::Criterion(_) => WeightKind::Criterion,
                },
                name: name.to_string(),
                current: w.current,
                lower: w.lower,
                upper: w.upper,
                taker_below: named(&w.taker_below),
                taker_above: named(&w.taker_above),
                smallest_change: change,
                takes_over: names::initiative(decision, taker).to_string(),
            }),
            (_, _, Weight::Group(_)) => stable_groups.push(name.to_string()),
            (_, _, Weight::Criterion(_)) => stable_criteria.push(name.to_string()),
        }
    }
    flips.sort_by(|a, b| a.smallest_change.total_cmp(&b.smallest_change));
    (flips, stable_groups, stable_criteria)
}

/// Each group weight from 0 to 1: every initiative's overall value at both
/// ends, initiatives in the order of `score`.
fn group_lines(
    decision: &Decision,
    score: &ScoreResult,
    s: &SensitivityResult,
    lang: Lang,
) -> Vec<OneWay> {
    decision
        .groups
        .iter()
        .filter_map(|g| {
            let w = inputs::stability(s, Weight::Group(&g.id))?;
            Some(OneWay {
                name: g.name.get(lang.code()).to_string(),
                current: w.current,
                lower: w.lower,
                upper: w.upper,
                lines: score
                    .initiatives
                    .iter()
                    .filter_map(|i| {
                        let [a, b] = w.lines.get(&i.id)?;
                        Some((i.name.clone(), *a, *b))
                    })
                    .collect(),
            })
        })
        .collect()
}

/// The keys of the tornado, largest swing first (ties: key order).
fn by_swing(tornado: &BTreeMap<String, TornadoBar>) -> Vec<(&str, &TornadoBar)> {
    let mut bars: Vec<(&str, &TornadoBar)> = tornado.iter().map(|(k, t)| (k.as_str(), t)).collect();
    bars.sort_by(|a, b| {
        (b.1.high - b.1.low)
            .abs()
            .total_cmp(&(a.1.high - a.1.low).abs())
    });
    bars
}

/// The largest [`RULES`]`.tornado_bars` bars, the labels of every input that
/// changes the first place on its own (also beyond those bars), and the
/// number of inputs in the tornado.
fn tornado(
    decision: &Decision,
    s: &SensitivityResult,
    lang: Lang,
) -> (Vec<Bar>, Vec<String>, usize) {
    let bars = by_swing(&s.tornado);
    let label = |key: &str| inputs::label(decision, inputs::of(s, key), lang);
    let changes_leader = bars
        .iter()
        .filter(|(_, t)| t.changes_leader)
        .map(|(k, _)| label(k))
        .collect();
    let shown = bars
        .iter()
        .take(RULES.tornado_bars)
        .map(|&(key, t)| {
            let (criterion, unit) = decision.criterion_index(&t.criterion).map_or(
                (t.criterion.clone(), String::new()),
                |k| {
                    let c = &decision.criteria[k];
                    (c.name.get(lang.code()).to_string(), c.unit.clone())
                },
            );
            Bar {
                label: label(key),
                initiative: names::initiative(decision, &t.initiative).to_string(),
                criterion,
                unit,
                low_input: t.low_input,
                high_input: t.high_input,
                low: t.low,
                high: t.high,
                base: t.base,
                changes_leader: t.changes_leader,
            }
        })
        .collect();
    (shown, changes_leader, bars.len())
}

/// The Sobol rows of one output: largest total index first (ties: key
/// order), at most [`RULES`]`.sobol_rows`, only totals of at least
/// [`RULES`]`.sobol_min`.
fn sobol_rows(
    indices: &BTreeMap<String, SobolIndex>,
    describe: &dyn Fn(&str) -> (InputKind, String),
) -> Vec<SobolRow> {
    let mut rows: Vec<(&String, &SobolIndex)> = indices.iter().collect();
    rows.sort_by(|a, b| b.1.total.total_cmp(&a.1.total));
    rows.into_iter()
        .filter(|(_, x)| x.total >= RULES.sobol_min)
        .take(RULES.sobol_rows)
        .map(|(k, x)| {
            let (kind, label) = describe(k);
            SobolRow {
                key: k.clone(),
                kind,
                label,
                first: Pm {
                    p: x.first,
                    e: x.first_ci,
                },
                total: Pm {
                    p: x.total,
                    e: x.total_ci,
                },
            }
        })
        .collect()
}

/// The value-of-information rows, highest EVPPI first (ties: key order),
/// without the inputs worth less than [`RULES`]`.voi_min_eur` euros a year
/// (or, without euros, [`RULES`]`.voi_min_value` value units); and how many
/// were left out.
fn evppi_rows(
    evppi: &BTreeMap<String, f64>,
    errors: &BTreeMap<String, f64>,
    eur: &BTreeMap<String, Option<f64>>,
    describe: &dyn Fn(&str) -> (InputKind, String),
) -> (Vec<EvppiRow>, usize) {
    let mut rows: Vec<EvppiRow> = evppi
        .iter()
        .map(|(k, &v)| {
            let (kind, label) = describe(k);
            EvppiRow {
                key: k.clone(),
                kind,
                label,
                value: v,
                error: errors.get(k).copied().unwrap_or(f64::NAN),
                eur: eur.get(k).copied().flatten(),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.value.total_cmp(&a.value));
    let before = rows.len();
    rows.retain(|r| match r.eur {
        Some(e) => e >= RULES.voi_min_eur,
        None => r.value >= RULES.voi_min_value,
    });
    let left_out = before - rows.len();
    (rows, left_out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sensitivity::{sensitivity as analyse, SensitivityPlan, BATCH};
    use crate::report::memo::context::schema::InputKind;
    use crate::report::testing::frozen;

    /// The kind by the key's documented form (the engine's typed inputs
    /// are tested in the engine), and the key as its label.
    fn key_label(k: &str) -> (InputKind, String) {
        let kind = if k == "weights" {
            InputKind::Weights
        } else if k.starts_with("weights.") {
            InputKind::Local
        } else if k.starts_with("group:") {
            InputKind::Group
        } else {
            InputKind::Value
        };
        (kind, format!("<{k}>"))
    }

    fn sobol(total: f64) -> SobolIndex {
        SobolIndex {
            first: total / 2.0,
            total,
            first_ci: 0.01,
            total_ci: 0.02,
        }
    }

    fn map<T: Clone>(v: &[(&str, T)]) -> BTreeMap<String, T> {
        v.iter().map(|(k, x)| (k.to_string(), x.clone())).collect()
    }

    #[test]
    fn sobol_rows_largest_total_first_cut_to_the_rules() {
        let mut v: Vec<(String, SobolIndex)> = (0..8)
            .map(|k| (format!("i{k}.c"), sobol(0.02 * (k + 1) as f64)))
            .collect();
        // Below the minimum total: never shown.
        v.push(("weights".into(), sobol(RULES.sobol_min / 2.0)));
        // A tie with i7.c is broken by key order.
        v.push(("group:cost".into(), sobol(0.16)));
        let indices: BTreeMap<String, SobolIndex> = v.into_iter().collect();
        let rows = sobol_rows(&indices, &key_label);
        let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["group:cost", "i7.c", "i6.c", "i5.c", "i4.c", "i3.c"]);
        assert_eq!(rows.len(), RULES.sobol_rows);
        assert_eq!(rows[0].kind, InputKind::Group);
        assert_eq!(rows[1].kind, InputKind::Value);
        assert_eq!(rows[1].label, "<i7.c>");
        assert_eq!((rows[1].total.p, rows[1].total.e), (0.16, 0.02));
        assert_eq!((rows[1].first.p, rows[1].first.e), (0.08, 0.01));
    }

    #[test]
    fn value_of_information_rows_leave_out_what_is_worth_little() {
        let evppi = map(&[
            ("weights", 0.002),
            ("weights.effect", 0.004),
            ("a.x", 0.010),
            ("b.x", 0.0002),
            ("c.x", 0.00002),
        ]);
        let errors = map(&[("weights", 0.001), ("a.x", 0.002)]);
        let eur = map(&[
            ("weights", Some(120.0)),
            ("weights.effect", Some(0.5)),
            ("a.x", Some(600.0)),
            ("b.x", None),
            ("c.x", None),
        ]);
        let (rows, left_out) = evppi_rows(&evppi, &errors, &eur, &key_label);
        let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        // Under a euro a year (weights.effect) and, without euros, under
        // the value minimum (c.x) are left out; b.x has no euros but enough value.
        assert_eq!(keys, ["a.x", "weights", "b.x"]);
        assert_eq!(left_out, 2);
        assert_eq!(rows[0].error, 0.002);
        assert!(rows[2].error.is_nan(), "a missing error is not zero");
        assert_eq!(rows[1].kind, InputKind::Weights);
        assert_eq!(rows[1].eur, Some(120.0));
    }

    fn bar(low: f64, high: f64) -> TornadoBar {
        TornadoBar {
            initiative: "i".into(),
            criterion: "c".into(),
            low_input: 0.0,
            high_input: 1.0,
            low,
            high,
            base: (low + high) / 2.0,
            changes_leader: false,
        }
    }

    #[test]
    fn tornado_bars_largest_swing_first_whatever_their_direction() {
        let t = map(&[
            ("a.c", bar(0.5, 0.6)),
            ("b.c", bar(0.7, 0.4)),
            ("c.c", bar(0.5, 0.55)),
            ("d.c", bar(0.4, 0.7)),
        ]);
        let keys: Vec<&str> = by_swing(&t).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["b.c", "d.c", "a.c", "c.c"]);
    }

    #[test]
    fn every_weight_is_either_a_flip_or_stable() {
        let d = frozen();
        let p = &d.profiles[0];
        let s = analyse(
            &crate::engine::compiled::CompiledDecision::new(&d, p).unwrap(),
            &SensitivityPlan {
                seed: 7,
                rows: 2 * BATCH,
            },
        )
        .unwrap();
        let sc = crate::engine::score::score(
            &crate::engine::compiled::CompiledDecision::new(&d, p).unwrap(),
        );
        let cx = sensitivity(&d, &sc, &s, Lang::Nl);
        let flips = cx.flips.len();
        assert_eq!(
            flips + cx.stable_groups.len() + cx.stable_criteria.len(),
            d.groups.len() + d.criteria.len()
        );
        assert!(cx
            .flips
            .windows(2)
            .all(|w| w[0].smallest_change <= w[1].smallest_change));
        for f in &cx.flips {
            let stable = match f.kind {
                WeightKind::Group => &cx.stable_groups,
                WeightKind::Criterion => &cx.stable_criteria,
            };
            assert!(
                !stable.contains(&f.name),
                "{} both flips and is stable",
                f.name
            );
        }
        assert_eq!(cx.group_lines.len(), d.groups.len());
        assert_eq!(cx.leader_total, sc.initiatives[0].total);
        assert_eq!(cx.tornado_total, s.tornado.len());
        assert!(cx.tornado.len() <= RULES.tornado_bars);
    }
}
