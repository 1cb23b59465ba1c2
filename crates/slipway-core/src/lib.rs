//! Slipway's core: the versioned design model, the rule engine, the generators and the zip
//! bundle. Pure Rust with no web dependencies, shared by the browser app and the CLI.
//!
//! Data flows one way: a [`Design`] goes in, [`check`] returns findings and [`generate()`]
//! returns the files.

pub mod audit;
pub mod bundle;
pub mod changes;
pub mod checklist;
pub mod diff;
pub mod edits;
mod export;
pub mod facts;
pub mod formats;
pub mod generate;
pub mod history;
pub mod import;
pub mod incremental;
pub mod io;
pub mod migrate;
pub mod model;
pub mod patch;
pub mod pipeline_graph;
pub mod presets;
pub mod rollout_plan;
pub mod rules;
pub mod secrets;
pub mod share;
pub mod simulate;
pub mod text;
pub mod workshop;

pub use bundle::{Bundle, GeneratedFile, Syntax};
pub use export::generate;
pub use model::Design;
pub use rules::{check, Finding, Severity};
