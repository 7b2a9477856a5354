//! The workshop loop around the exercises: progress, watch mode and its
//! pseudo-terminal check.

pub mod progress;
pub mod watch;
pub mod watch_check;
