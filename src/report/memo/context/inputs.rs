//! The engine's sensitivity inputs and weights, as the memo names them.
//!
//! Owns the only place where the memo reads the engine's textual keys back:
//! [`parse`] turns a Sobol / EVPPI / tornado key into an [`Input`], and
//! [`stability_key`] spells the key of a weight's stability interval. When
//! the engine's inputs become typed, [`parse`] becomes a `match` on them and
//! nothing else changes. Also owns how an input reads in words
//! ([`label`]) and its kind in the context ([`Input::kind`]).

use super::names;
use super::schema::InputKind;
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

/// The engine's key of a sensitivity input, read back.
pub(super) fn parse(key: &str) -> Input<'_> {
    if key == "weights" {
        Input::GroupSplit
    } else if let Some(group) = key.strip_prefix("weights.") {
        Input::LocalWeights { group }
    } else if let Some(group) = key.strip_prefix("group:") {
        Input::GroupValues { group }
    } else if let Some((initiative, criterion)) = key.split_once('.') {
        Input::Value {
            initiative,
            criterion,
        }
    } else {
        Input::Other(key)
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

/// The engine's key of a weight's stability interval: `group:<id>` or the
/// criterion's id.
pub(super) fn stability_key(w: Weight<'_>) -> String {
    match w {
        Weight::Group(g) => format!("group:{g}"),
        Weight::Criterion(c) => c.to_string(),
    }
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

    #[test]
    fn every_form_of_key_is_read_back() {
        assert_eq!(parse("weights"), Input::GroupSplit);
        assert_eq!(
            parse("weights.effect"),
            Input::LocalWeights { group: "effect" }
        );
        assert_eq!(parse("group:cost"), Input::GroupValues { group: "cost" });
        assert_eq!(
            parse("burgernet.reach_share"),
            Input::Value {
                initiative: "burgernet",
                criterion: "reach_share"
            }
        );
        assert_eq!(parse("odd"), Input::Other("odd"));
        let kinds: Vec<InputKind> = ["weights", "weights.effect", "group:cost", "a.b", "odd"]
            .iter()
            .map(|k| parse(k).kind())
            .collect();
        use InputKind::*;
        assert_eq!(kinds, [Weights, Local, Group, Value, Value]);
    }

    #[test]
    fn stability_keys_are_the_engine_s() {
        assert_eq!(stability_key(Weight::Group("effect")), "group:effect");
        assert_eq!(stability_key(Weight::Criterion("speed")), "speed");
    }

    #[test]
    fn inputs_read_as_words_in_both_languages() {
        let d = frozen();
        let nl = |k| label(&d, parse(k), Lang::Nl);
        let en = |k| label(&d, parse(k), Lang::En);
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
