//! afweging — decision support for weighing public-safety alerting initiatives.
//!
//! A decision is a folder of TOML files ([`model::load()`]): the frame
//! (`afweging.toml`), the value tree and weight profiles (`criteria/`), and
//! one file per initiative (`initiatives/`), where every number is a value or
//! a distribution with its source. The [`engine`] scores the initiatives with
//! an additive multi-attribute value model and simulates how robust the
//! ranking is (SMAA-2); [`report`] turns results into tables, JSON, CSV and
//! Markdown. Data flows one way: files → [`model::Decision`] → engine
//! results → report.
//!
//! ```
//! use afweging::engine::value_fn::{Better, Scale};
//! let cost = Scale::linear(100_000.0, 0.0, Better::Lower).unwrap();
//! assert_eq!(cost.value(50_000.0), 0.5);
//! ```
#![forbid(unsafe_code)]

pub mod cli;
pub mod engine;
pub mod model;
pub mod report;

/// The version of afweging, recorded in every output.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
