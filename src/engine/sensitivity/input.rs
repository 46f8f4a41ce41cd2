//! The inputs of the sensitivity analysis and the weights of the stability
//! analysis, typed, with their one serialised form: the keys of the JSON
//! output documented in the README ("What the numbers mean").
//!
//! Owns the keys and nothing else: building a key and reading one back
//! (through the result's lookup, never by prefix) both go through here.

use std::fmt;

/// An input of the variance-based indices and the value of information.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    /// One uncertain value of an initiative on a criterion:
    /// `<initiative>.<criterion>`.
    Value {
        /// Initiative id.
        initiative: String,
        /// Criterion id.
        criterion: String,
    },
    /// The shares of the groups in the total weight: `weights`.
    GroupShares,
    /// The shares of the criteria within a group: `weights.<group>`.
    LocalShares {
        /// Group id.
        group: String,
    },
    /// All uncertain values on the criteria of a group, of every
    /// initiative: `group:<group>`.
    GroupValues {
        /// Group id.
        group: String,
    },
}

impl Input {
    /// The key in the JSON output.
    pub fn key(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Value {
                initiative,
                criterion,
            } => write!(f, "{initiative}.{criterion}"),
            Input::GroupShares => f.write_str("weights"),
            Input::LocalShares { group } => write!(f, "weights.{group}"),
            Input::GroupValues { group } => write!(f, "group:{group}"),
        }
    }
}

/// A weight whose stability interval is reported (`weight_stability`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weight {
    /// A group's share of the total weight: `group:<group>`.
    Group {
        /// Group id.
        group: String,
    },
    /// A criterion's global weight: `<criterion>`.
    Criterion {
        /// Criterion id.
        criterion: String,
    },
}

impl Weight {
    /// The key in the JSON output.
    pub fn key(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Weight::Group { group } => write!(f, "group:{group}"),
            Weight::Criterion { criterion } => f.write_str(criterion),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented keys, exactly.
    #[test]
    fn keys_are_the_documented_ones() {
        let value = Input::Value {
            initiative: "nlalert".into(),
            criterion: "reach".into(),
        };
        assert_eq!(value.key(), "nlalert.reach");
        assert_eq!(Input::GroupShares.key(), "weights");
        let local = Input::LocalShares {
            group: "effect".into(),
        };
        assert_eq!(local.key(), "weights.effect");
        let values = Input::GroupValues {
            group: "cost".into(),
        };
        assert_eq!(values.key(), "group:cost");
        let group = Weight::Group {
            group: "cost".into(),
        };
        assert_eq!(group.key(), "group:cost");
        let criterion = Weight::Criterion {
            criterion: "reach".into(),
        };
        assert_eq!(criterion.key(), "reach");
    }
}
