//! JSON: the serialised result structs are the documented schema.

use super::Exporter;
use crate::engine::score::ScoreResult;
use crate::engine::sensitivity::SensitivityResult;
use crate::engine::simulate::SimulationResult;
use crate::model::Decision;

pub(super) struct Json;

/// Pretty JSON with a trailing newline.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serialising plain structs of strings, numbers and maps cannot fail.
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

impl Exporter for Json {
    fn score(&self, _decision: &Decision, r: &ScoreResult) -> String {
        to_json(r)
    }

    fn simulation(&self, _decision: &Decision, r: &SimulationResult) -> String {
        to_json(r)
    }

    fn sensitivity(&self, _decision: &Decision, r: &SensitivityResult) -> String {
        to_json(r)
    }
}
