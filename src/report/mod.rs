//! The report layer: results → bytes for people and tools.
//!
//! Owns the output formats of the data commands ([`export`]), the advice
//! memo ([`memo`]) and the one number formatter and Markdown escaper both
//! use ([`text`]). It never runs the engine and never computes statistics;
//! every number it prints comes from an engine result or the decision.

pub mod explore;
pub mod export;
pub mod memo;
pub mod text;

/// Inputs shared by the report's unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::Path;

    use crate::model::{load, Decision};

    /// The frozen copy of the shipped decision (`tests/data/twente-v1`).
    pub(crate) fn frozen() -> Decision {
        load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/twente-v1"))
            .expect("the frozen decision loads")
    }
}
