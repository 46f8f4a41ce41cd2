//! The engine: everything computed from a validated [`crate::model::Decision`].
//!
//! [`compiled`] turns the decision and a profile into a
//! [`compiled::CompiledDecision`] once; [`score`], [`simulate`] and
//! [`sensitivity`] compute from it. Owns value functions, weights, the
//! aggregation of values into totals, the deterministic score, the
//! simulation and the sensitivity analysis. It never reads files, never
//! knows the command line and never formats for people.

pub mod aggregate;
pub mod compiled;
pub mod explore;
pub mod kernels;
pub mod lanes;
pub mod rng;
pub mod sampler;
pub mod score;
pub mod sensitivity;
pub mod simulate;
pub mod value_fn;
pub mod weights;
pub mod ziggurat;
