//! The engine: everything computed from a validated [`crate::model::Decision`].
//!
//! Owns value functions, weights, the deterministic score and the
//! simulation. It never reads files and never formats for people.

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
