//! The green model's contract binary: `scenarios` and `run` (the measurement contract in ARCHITECTURE.md).
//!
//!     cargo run --release -p examples-green -- scenarios
//!     cargo run --release -p examples-green -- run cpu --variant may --workers 2 --n 3000000
//!
//! may is configured inside `run`, before its first spawn: one cell per process.

fn main() {
    workloads::contract::serve(examples_green::catalogue(), examples_green::run)
}
