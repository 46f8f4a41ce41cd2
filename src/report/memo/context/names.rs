//! Names for ids: how the memo calls initiatives, criteria and groups.
//!
//! Owns the look-ups from an id to its display name in the memo's language,
//! with the id itself as the fallback for an id the decision does not know,
//! and the joining of names into a sentence (`a, b en c`). It selects no
//! numbers.

use super::schema::ProvenanceKind;
use crate::model::{Decision, Provenance};
use crate::report::memo::format::Lang;

/// An initiative's name (its id if unknown).
pub(super) fn initiative<'a>(decision: &'a Decision, id: &'a str) -> &'a str {
    decision
        .initiatives
        .iter()
        .find(|i| i.id == id)
        .map_or(id, |i| i.name.as_str())
}

/// A criterion's name in `lang` (its id if unknown).
pub(super) fn criterion(decision: &Decision, id: &str, lang: Lang) -> String {
    decision.criterion_index(id).map_or(id.to_string(), |k| {
        decision.criteria[k].name.get(lang.code()).to_string()
    })
}

/// A group's name in `lang` (its id if unknown).
pub(super) fn group(decision: &Decision, id: &str, lang: Lang) -> String {
    decision
        .groups
        .iter()
        .find(|g| g.id == id)
        .map_or(id.to_string(), |g| g.name.get(lang.code()).to_string())
}

/// `a, b en c` (Dutch) or `a, b and c` (English).
pub(super) fn and_list(items: &[String], lang: Lang) -> String {
    let and = match lang {
        Lang::Nl => " en ",
        Lang::En => " and ",
    };
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}{and}{last}", rest.join(", ")),
    }
}

/// Where a number comes from and the text of its source or assumption (a
/// source wins when both are given).
pub(super) fn provenance(p: &Provenance) -> (ProvenanceKind, String) {
    match (&p.source, &p.assumption) {
        (Some(s), _) => (ProvenanceKind::Source, s.clone()),
        (None, Some(a)) => (ProvenanceKind::Assumption, a.clone()),
        (None, None) => (ProvenanceKind::None, String::new()),
    }
}

/// Whether a value's source cites a declared source dated after the
/// decision date.
pub(super) fn later(decision: &Decision, p: &Provenance) -> bool {
    p.cites.iter().any(|id| {
        decision
            .references
            .iter()
            .any(|r| &r.id == id && r.after_decision)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::frozen;

    #[test]
    fn lists_read_as_sentences() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&s(&[]), Lang::Nl), "");
        assert_eq!(and_list(&s(&["a"]), Lang::Nl), "a");
        assert_eq!(and_list(&s(&["a", "b"]), Lang::En), "a and b");
        assert_eq!(and_list(&s(&["a", "b", "c"]), Lang::Nl), "a, b en c");
    }

    #[test]
    fn unknown_ids_fall_back_to_themselves() {
        let d = frozen();
        assert_eq!(initiative(&d, "nlalert"), "NL-Alert");
        assert_eq!(initiative(&d, "nope"), "nope");
        assert_eq!(criterion(&d, "nope", Lang::En), "nope");
        assert_eq!(group(&d, "nope", Lang::Nl), "nope");
        assert_ne!(group(&d, "cost", Lang::Nl), "cost");
    }
}
