//! The shared kernels every concurrency model runs, so that a comparison
//! between models compares the models and not the work.
//!
//! - [`cpu`]: the CPU-bound job (count primes below `n`) and its reference answer.
//! - [`delay`]: the loopback delay server's wire format, and the server itself
//!   (feature `server`), for the IO-bound `net` scenario.
//! - [`rendezvous`]: a loopback server that answers only requests in flight together (exercise tests).
//! - [`record`]: the one JSON record a model binary prints per measured run.
//! - [`contract`]: the command line every model binary accepts.
//! - [`sys`]: what the OS can tell us about memory and limits (`/proc` on Linux).
//! - [`trace`]: the timeline recorder behind `--trace FILE` (which OS thread ran which unit, when).
//!
//! Nothing here is a lesson: each model crate writes its scenarios in its own
//! idiom, on top of these kernels.

pub mod contract;
pub mod cpu;
pub mod delay;
pub mod record;
pub mod rendezvous;
pub mod sys;
pub mod trace;
