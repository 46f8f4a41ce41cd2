//! The report layer: results → bytes for people and tools.
//!
//! Owns the output formats of the data commands ([`export`]). It never
//! computes statistics; every number it prints comes from an engine result.

pub mod explore;
pub mod export;
pub mod memo;
