//! The threads model's contract binary: `scenarios` and `run` (the measurement contract in ARCHITECTURE.md).
//!
//!     cargo run --release -p examples-threads -- scenarios
//!     cargo run --release -p examples-threads -- run cpu --variant scoped --workers 2 --n 3000000

fn main() {
    workloads::contract::serve(examples_threads::catalogue(), examples_threads::run)
}
