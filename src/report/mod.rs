//! The report layer: results → bytes for people and tools.
//!
//! Owns the output formats of the data commands ([`export`]), the advice
//! memo ([`memo`]) and the one number formatter and Markdown escaper both
//! use ([`text`]). It never runs the engine and never computes statistics;
//! every number it prints comes from an engine result or the decision.

pub mod export;
pub mod memo;
pub mod text;
