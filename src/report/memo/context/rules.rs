//! The documented rules that turn engine numbers into the memo's words.
//!
//! Owns the advice: which initiative the memo names (most often first in
//! the simulation of the memo's profile), how robust that is, when it is a
//! close call (within the Monte Carlo error or within
//! [`Rules::close_points`]), which initiative complements it (covers its
//! weak points) and which profiles would choose differently. Every threshold
//! is in [`RULES`], printed in the memo's method appendix. It computes no
//! statistics: it compares numbers the engine produced.

use std::collections::BTreeMap;

use serde::Serialize;

use super::names;
use super::schema::{Advice, Choice, Complement, Ranked, Robustness};
use super::Results;
use crate::engine::score::{CriterionScore, ScoreResult};
use crate::engine::simulate::SimulationResult;
use crate::model::Decision;
use crate::report::export::expected_rank_order;
use crate::report::memo::format::Lang;

/// The thresholds of the rules that turn numbers into words; printed in the
/// memo's method appendix.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rules {
    /// Close call when the top two first-place chances differ by less than
    /// this (a share, 0.05 = 5 percentage points) …
    pub close_points: f64,
    /// … or by less than the sum of their 95% half-widths (always applied).
    /// First place in at least this share of scenarios reads as "in vrijwel alle".
    pub very_robust: f64,
    /// First place in at least this share reads as "in de meeste".
    pub robust: f64,
    /// A criterion is a weak point of an initiative when its 0..1 value is
    /// below this.
    pub weak: f64,
    /// Another initiative covers that weak point when its value there is at
    /// least this.
    pub covers: f64,
    /// The tornado chart shows at most this many uncertain values (largest
    /// swing first).
    pub tornado_bars: usize,
    /// The Sobol table shows at most this many inputs (largest total index
    /// first) …
    pub sobol_rows: usize,
    /// … and only those with a total index of at least this.
    pub sobol_min: f64,
    /// The value-of-information table leaves out inputs worth less than this
    /// many euros a year (or, without a euro criterion, less than
    /// [`Rules::voi_min_value`] value units).
    pub voi_min_eur: f64,
    /// See [`Rules::voi_min_eur`].
    pub voi_min_value: f64,
    /// EVPI below this (value units of the 0..1 overall value) reads as "more
    /// research is unlikely to change the advice": smaller than the last
    /// digit of the overall values the memo prints.
    pub evpi_tiny: f64,
}

/// The rules used by [`super::build`].
pub const RULES: Rules = Rules {
    close_points: 0.05,
    very_robust: 0.9,
    robust: 0.5,
    weak: 0.25,
    covers: 0.5,
    tornado_bars: 10,
    sobol_rows: 6,
    sobol_min: 0.01,
    voi_min_eur: 1.0,
    voi_min_value: 0.0001,
    evpi_tiny: 0.01,
};

/// Initiative ids by first-place share, highest first (ties: better
/// expected rank, then id).
pub(super) fn first_place_order(acceptability: &BTreeMap<String, Vec<f64>>) -> Vec<&str> {
    let mut ids = expected_rank_order(acceptability);
    // A stable sort keeps the expected-rank order among equal shares.
    ids.sort_by(|a, b| acceptability[*b][0].total_cmp(&acceptability[*a][0]));
    ids
}

/// One initiative's first-place share and its half-width in `sim`.
fn ranked(decision: &Decision, sim: &SimulationResult, id: &str) -> Ranked {
    Ranked {
        id: id.to_string(),
        name: names::initiative(decision, id).to_string(),
        p: sim.rank_acceptability[id][0],
        e: sim.error.rank_acceptability[id][0],
    }
}

/// The two initiatives most often first in `sim` (the second is `None`
/// when there is only one).
fn top_two(decision: &Decision, sim: &SimulationResult) -> (Ranked, Option<Ranked>) {
    let order = first_place_order(&sim.rank_acceptability);
    let first = ranked(decision, sim, order[0]);
    let second = order.get(1).map(|id| ranked(decision, sim, id));
    (first, second)
}

/// How robust a first place with share `p` reads.
pub(super) fn robustness(p: f64) -> Robustness {
    if p >= RULES.very_robust {
        Robustness::VeryHigh
    } else if p >= RULES.robust {
        Robustness::High
    } else {
        Robustness::Low
    }
}

/// Why the first two are a close call, if they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Closeness {
    /// The gap is smaller than the sum of the two 95% half-widths.
    pub within_error: bool,
    /// The gap is smaller than [`Rules::close_points`].
    pub within_points: bool,
}

/// Whether `first` and `second` (by first-place share) are a close call.
pub(super) fn closeness(first: &Ranked, second: Option<&Ranked>) -> Closeness {
    match second {
        None => Closeness {
            within_error: false,
            within_points: false,
        },
        Some(second) => {
            let gap = first.p - second.p;
            Closeness {
                within_error: gap < first.e + second.e,
                within_points: gap < RULES.close_points,
            }
        }
    }
}

/// The complement rule on plain numbers. `criteria` are the criterion ids;
/// `first` is the named initiative's score per criterion and `others` the
/// other initiatives'. The first's weak points are the criteria where its
/// 0..1 value is below [`Rules::weak`]; a candidate covers one when its
/// value there is at least [`Rules::covers`]. Of the candidates that cover
/// at least one, the one with the largest summed contribution on the weak
/// points wins (the first in `others` on a tie). Returns its id and the
/// weak points it covers, in `criteria` order.
pub(super) fn complement_of<'a>(
    criteria: &[&'a str],
    first: &BTreeMap<String, CriterionScore>,
    others: impl IntoIterator<Item = (&'a str, &'a BTreeMap<String, CriterionScore>)>,
) -> Option<(&'a str, Vec<&'a str>)> {
    let weak: Vec<&str> = criteria
        .iter()
        .copied()
        .filter(|c| first[*c].value < RULES.weak)
        .collect();
    let mut best: Option<(f64, &str, Vec<&str>)> = None;
    for (id, scores) in others {
        let covered: Vec<&str> = weak
            .iter()
            .copied()
            .filter(|c| scores[*c].value >= RULES.covers)
            .collect();
        if covered.is_empty() {
            continue;
        }
        let gain: f64 = weak.iter().map(|c| scores[*c].contribution).sum();
        if best.as_ref().is_none_or(|(g, ..)| gain > *g) {
            best = Some((gain, id, covered));
        }
    }
    best.map(|(_, id, covered)| (id, covered))
}

/// The initiative that complements `first` in `score` ([`complement_of`]),
/// with names and its annual cost (its first per-inhabitant criterion's
/// most likely value from the score), if it has one.
fn complement(
    decision: &Decision,
    score: &ScoreResult,
    first: &str,
    lang: Lang,
) -> Option<Complement> {
    let f = score.initiatives.iter().find(|s| s.id == first)?;
    let criteria: Vec<&str> = decision.criteria.iter().map(|c| c.id.as_str()).collect();
    let others = score
        .initiatives
        .iter()
        .filter(|s| s.id != first)
        .map(|s| (s.id.as_str(), &s.criteria));
    let (id, covered) = complement_of(&criteria, &f.criteria, others)?;
    let s = score.initiatives.iter().find(|s| s.id == id)?;
    let cost = decision
        .initiatives
        .iter()
        .find(|i| i.id == id)
        .and_then(|init| {
            decision
                .criteria
                .iter()
                .zip(&init.values)
                .find(|(_, v)| v.per_inhabitant)
                .map(|(c, _)| s.criteria[&c.id].raw)
        });
    Some(Complement {
        id: s.id.clone(),
        name: s.name.clone(),
        criteria: covered
            .iter()
            .map(|c| names::criterion(decision, c, lang))
            .collect(),
        cost,
    })
}

/// What profile `k` would choose.
fn choice(decision: &Decision, results: &Results, k: usize, lang: Lang) -> Choice {
    let p = &decision.profiles[k];
    let (first, second) = top_two(decision, &results.simulations[k]);
    Choice {
        profile: p.id.clone(),
        profile_name: p.name.get(lang.code()).to_string(),
        chosen: k == results.chosen,
        second: second.unwrap_or_else(|| first.clone()),
        first,
        deterministic_first: results.scores[k].initiatives[0].name.clone(),
    }
}

/// The other profiles whose first choice is not `first`.
pub(super) fn dissent(choices: &[Choice], first: &str) -> Vec<Choice> {
    choices
        .iter()
        .filter(|c| !c.chosen && c.first.id != first)
        .cloned()
        .collect()
}

/// The advice of the memo's profile, and what every profile would choose.
pub(super) fn advice(decision: &Decision, results: &Results, lang: Lang) -> (Advice, Vec<Choice>) {
    let score = &results.scores[results.chosen];
    let (first, second) = top_two(decision, &results.simulations[results.chosen]);
    let close = closeness(&first, second.as_ref());
    let second = second.unwrap_or_else(|| first.clone());
    let choices: Vec<Choice> = (0..decision.profiles.len())
        .map(|k| choice(decision, results, k, lang))
        .collect();
    let det_first = &score.initiatives[0];
    let advice = Advice {
        complement: complement(decision, score, &first.id, lang),
        robustness: robustness(first.p),
        close: close.within_error || close.within_points,
        close_within_error: close.within_error,
        close_within_points: close.within_points,
        deterministic_first: det_first.name.clone(),
        deterministic_agrees: det_first.id == first.id,
        all_profiles_agree: choices.iter().all(|c| c.first.id == first.id),
        dissent: dissent(&choices, &first.id),
        first,
        second,
    };
    (advice, choices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(id: &str, p: f64, e: f64) -> Ranked {
        Ranked {
            id: id.into(),
            name: id.to_uppercase(),
            p,
            e,
        }
    }

    /// Per criterion (`a`, `b`, `c`): (0..1 value, contribution).
    fn scores(v: [(f64, f64); 3]) -> BTreeMap<String, CriterionScore> {
        ["a", "b", "c"]
            .iter()
            .zip(v)
            .map(|(c, (value, contribution))| {
                (
                    c.to_string(),
                    CriterionScore {
                        raw: value,
                        value,
                        contribution,
                    },
                )
            })
            .collect()
    }

    const CRITERIA: [&str; 3] = ["a", "b", "c"];

    fn choice(profile: &str, chosen: bool, first: &str) -> Choice {
        Choice {
            profile: profile.into(),
            profile_name: profile.into(),
            chosen,
            first: r(first, 0.6, 0.01),
            second: r("x", 0.3, 0.01),
            deterministic_first: first.into(),
        }
    }

    #[test]
    fn a_clear_winner_is_robust_and_no_close_call() {
        let (first, second) = (r("nlalert", 0.95, 0.004), r("burgernet", 0.04, 0.004));
        assert_eq!(robustness(first.p), Robustness::VeryHigh);
        assert_eq!(
            closeness(&first, Some(&second)),
            Closeness {
                within_error: false,
                within_points: false
            }
        );
        assert_eq!(robustness(0.9), Robustness::VeryHigh);
        assert_eq!(robustness(0.899), Robustness::High);
        assert_eq!(robustness(0.5), Robustness::High);
        assert_eq!(robustness(0.499), Robustness::Low);
    }

    #[test]
    fn a_gap_within_the_monte_carlo_error_is_a_close_call() {
        // Gap 7 points: more than 5 points, less than 4 + 4 points of error.
        let c = closeness(&r("a", 0.60, 0.04), Some(&r("b", 0.53, 0.04)));
        assert!(c.within_error && !c.within_points, "{c:?}");
        // Gap 9 points with the same errors: no close call.
        let c = closeness(&r("a", 0.62, 0.04), Some(&r("b", 0.53, 0.04)));
        assert!(!c.within_error && !c.within_points, "{c:?}");
    }

    #[test]
    fn a_gap_within_five_points_is_a_close_call_however_precise() {
        let c = closeness(&r("a", 0.50, 0.002), Some(&r("b", 0.46, 0.002)));
        assert!(!c.within_error && c.within_points, "{c:?}");
        let c = closeness(&r("a", 0.50, 0.002), Some(&r("b", 0.44, 0.002)));
        assert!(!c.within_error && !c.within_points, "{c:?}");
        // The threshold is 5 points.
        let c = closeness(&r("a", 0.549, 0.0001), Some(&r("b", 0.5, 0.0001)));
        assert!(c.within_points, "{c:?}");
        let c = closeness(&r("a", 0.551, 0.0001), Some(&r("b", 0.5, 0.0001)));
        assert!(!c.within_points, "{c:?}");
        // A single initiative is never a close call.
        let c = closeness(&r("a", 1.0, 0.0), None);
        assert!(!c.within_error && !c.within_points, "{c:?}");
    }

    #[test]
    fn the_complement_covers_the_first_s_weak_points() {
        // The first is weak on `b` and `c` (below 0.25), strong on `a`.
        let first = scores([(0.9, 0.3), (0.1, 0.01), (0.2, 0.02)]);
        // Covers `b` only, large contribution there.
        let x = scores([(0.1, 0.01), (0.9, 0.20), (0.3, 0.03)]);
        // Covers `b` and `c`, but less summed contribution on them.
        let y = scores([(0.1, 0.01), (0.6, 0.06), (0.5, 0.05)]);
        // Strong only where the first is already strong.
        let z = scores([(1.0, 0.4), (0.2, 0.02), (0.2, 0.02)]);
        let got = complement_of(&CRITERIA, &first, [("x", &x), ("y", &y), ("z", &z)]);
        assert_eq!(got, Some(("x", vec!["b"])));
        let got = complement_of(&CRITERIA, &first, [("y", &y), ("z", &z)]);
        assert_eq!(got, Some(("y", vec!["b", "c"])));
        assert_eq!(complement_of(&CRITERIA, &first, [("z", &z)]), None);
    }

    #[test]
    fn no_weak_points_no_complement() {
        let first = scores([(0.5, 0.2), (0.25, 0.1), (0.3, 0.1)]);
        let x = scores([(1.0, 0.4), (1.0, 0.4), (1.0, 0.4)]);
        assert_eq!(complement_of(&CRITERIA, &first, [("x", &x)]), None);
    }

    #[test]
    fn profiles_that_would_choose_differently_dissent() {
        let choices = [
            choice("dvo", true, "nlalert"),
            choice("politie", false, "burgernet"),
            choice("inwoners", false, "nlalert"),
        ];
        let d = dissent(&choices, "nlalert");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].profile, "politie");
        // The memo's own profile never dissents, even if its first differs.
        let choices = [choice("dvo", true, "burgernet")];
        assert!(dissent(&choices, "nlalert").is_empty());
    }

    #[test]
    fn first_place_ties_go_to_the_better_expected_rank() {
        let acc: BTreeMap<String, Vec<f64>> = [
            ("a", vec![0.4, 0.1, 0.5]),
            ("b", vec![0.4, 0.5, 0.1]),
            ("c", vec![0.2, 0.4, 0.4]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        assert_eq!(first_place_order(&acc), ["b", "a", "c"]);
    }
}
