//! The engine's sensitivity inputs and weights, as the memo names them.
//!
//! Owns the only place where the memo meets the engine's sensitivity keys:
//! [`of`] turns a Sobol / EVPPI / tornado key into an [`Input`] through the
//! engine's typed inputs (no key is read back by its text), and
//! [`stability`] looks a weight's interval up by its typed weight. Also owns how an input reads in words
//! ([`label`]) and its kind in the context ([`Input::kind`]).

use super::names;
use super::schema::InputKind;
use crate::engine::sensitivity::{self as engine, SensitivityResult, Stability};
use crate::model::Decision;
use crate::report::memo::format::Lang;

/// A sensitivity input of the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Input<'a> {
    /// `weights`: how the weight is split between the groups.
    GroupSplit,
    /// `weights.<group>`: the shares of the criteria inside one group.
    LocalWeights {
        /// The group's id.
        group: &'a str,
    },
    /// `group:<group>`: all uncertain values on one group's criteria.
    GroupValues {
        /// The group's id.
        group: &'a str,
    },
    /// `<initiative>.<criterion>`: one uncertain value.
    Value {
        /// The initiative's id.
        initiative: &'a str,
        /// The criterion's id.
        criterion: &'a str,
    },
    /// A key of no known form (shown as it is).
    Other(&'a str),
}

impl Input<'_> {
    /// The kind the templates see (`SobolRow::kind`).
    pub(super) fn kind(self) -> InputKind {
        match self {
            Input::GroupSplit => InputKind::Weights,
            Input::LocalWeights { .. } => InputKind::Local,
            Input::GroupValues { .. } => InputKind::Group,
            Input::Value { .. } | Input::Other(_) => InputKind::Value,
        }
    }
}

/// The sensitivity input behind one of the result's keys, from the
/// engine's typed inputs (never by reading the key's text).
pub(super) fn of<'a>(result: &'a SensitivityResult, key: &'a str) -> Input<'a> {
    match result.input(key) {
        Some(engine::Input::GroupShares) => Input::GroupSplit,
        Some(engine::Input::LocalShares { group }) => Input::LocalWeights { group },
        Some(engine::Input::GroupValues { group }) => Input::GroupValues { group },
        Some(engine::Input::Value {
            initiative,
            criterion,
        }) => Input::Value {
            initiative,
            criterion,
        },
        None => Input::Other(key),
    }
}

/// A weight whose stability interval the engine reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Weight<'a> {
    /// A group's share.
    Group(&'a str),
    /// A criterion's global weight.
    Criterion(&'a str),
}

/// The stability interval of a weight, from the engine's typed lookup.
pub(super) fn stability<'a>(result: &'a SensitivityResult, w: Weight<'_>) -> Option<&'a Stability> {
    result.stability(&match w {
        Weight::Group(g) => engine::Weight::Group {
            group: g.to_string(),
        },
        Weight::Criterion(c) => engine::Weight::Criterion {
            criterion: c.to_string(),
        },
    })
}

/// An input in words: "initiative – criterion", the split between the
/// groups, the weights within a group, or all figures of a group.
pub(super) fn label(decision: &Decision, input: Input<'_>, lang: Lang) -> String {
    let group = |g: &str| names::group(decision, g, lang).to_lowercase();
    match input {
        Input::GroupSplit => {
            let groups: Vec<String> = decision.groups.iter().map(|g| group(&g.id)).collect();
            let groups = names::and_list(&groups, lang);
            match lang {
                Lang::Nl => format!("de gewichtsverdeling tussen {groups}"),
                Lang::En => format!("the split of the weight between {groups}"),
            }
        }
        Input::LocalWeights { group: g } => match lang {
            Lang::Nl => format!("de gewichten binnen {}", group(g)),
            Lang::En => format!("the weights within {}", group(g)),
        },
        Input::GroupValues { group: g } => {
            let name = group(g);
            match lang {
                // Dutch compounds a single word: "kostencijfers".
                Lang::Nl if !name.contains(char::is_whitespace) => {
                    format!("alle {name}cijfers samen")
                }
                Lang::Nl => format!("alle cijfers over {name} samen"),
                Lang::En => format!("all {name} figures together"),
            }
        }
        Input::Value {
            initiative,
            criterion,
        } => format!(
            "{} – {}",
            names::initiative(decision, initiative),
            names::criterion(decision, criterion, lang)
        ),
        Input::Other(key) => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::frozen;

    /// The sensitivity analysis of the frozen decision (two batches) under
    /// the profile whose weights are all unknown, so that every kind of
    /// input is there.
    fn analysed(d: &Decision) -> SensitivityResult {
        use crate::engine::compiled::CompiledDecision;
        use crate::engine::sensitivity::{sensitivity, SensitivityPlan, BATCH};
        let unknown = d.profiles.iter().find(|p| p.id == "onbekend").unwrap();
        let cd = CompiledDecision::new(d, unknown).unwrap();
        let plan = SensitivityPlan {
            seed: 7,
            rows: 2 * BATCH,
        };
        sensitivity(&cd, &plan).unwrap()
    }

    #[test]
    fn every_kind_of_input_comes_from_the_engine_s_typed_inputs() {
        let d = frozen();
        let s = analysed(&d);
        assert_eq!(of(&s, "weights"), Input::GroupSplit);
        assert_eq!(
            of(&s, "weights.effect"),
            Input::LocalWeights { group: "effect" }
        );
        assert_eq!(of(&s, "group:cost"), Input::GroupValues { group: "cost" });
        assert_eq!(
            of(&s, "burgernet.reach_share"),
            Input::Value {
                initiative: "burgernet",
                criterion: "reach_share"
            }
        );
        // Not an input of this analysis: shown as it is, never guessed.
        assert_eq!(of(&s, "odd.key"), Input::Other("odd.key"));
        let kinds: Vec<InputKind> = ["weights", "weights.effect", "group:cost", "a.b"]
            .iter()
            .map(|k| of(&s, k).kind())
            .collect();
        use InputKind::*;
        assert_eq!(kinds, [Weights, Local, Group, Value]);
        let group = stability(&s, Weight::Group("effect")).unwrap();
        assert_eq!(Some(group), s.weight_stability.get("group:effect"));
        let criterion = stability(&s, Weight::Criterion("speed")).unwrap();
        assert_eq!(Some(criterion), s.weight_stability.get("speed"));
    }

    #[test]
    fn inputs_read_as_words_in_both_languages() {
        let d = frozen();
        let s = analysed(&d);
        let nl = |k| label(&d, of(&s, k), Lang::Nl);
        let en = |k| label(&d, of(&s, k), Lang::En);
        assert_eq!(
            nl("weights"),
            "de gewichtsverdeling tussen kosten, bereik en effect"
        );
        assert_eq!(
            en("weights"),
            "the split of the weight between cost, reach and effect"
        );
        assert_eq!(nl("weights.reach"), "de gewichten binnen bereik");
        assert_eq!(en("weights.reach"), "the weights within reach");
        assert_eq!(nl("group:cost"), "alle kostencijfers samen");
        assert_eq!(en("group:cost"), "all cost figures together");
        assert_eq!(nl("burgernet.speed"), "Burgernet – Snelheid van alarmering");
        assert_eq!(en("burgernet.speed"), "Burgernet – Alerting speed");
        assert_eq!(en("nope"), "nope");
    }
}
