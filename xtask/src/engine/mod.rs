//! The measurement engine behind `cargo xtask compare`: modules that neither
//! print nor parse arguments, so later commands (claims, sweeps, timelines,
//! doctor) reuse them.

pub mod against;
pub mod build;
pub mod exec;
pub mod group;
pub mod plan;
pub mod probe;
pub mod python;
pub mod server;
pub mod stats;
pub mod summary;
pub mod sweep;
pub mod verdicts;
