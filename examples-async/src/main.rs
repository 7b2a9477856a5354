//! The async model's contract binary: `scenarios` and `run` (the measurement contract in ARCHITECTURE.md).
//!
//!     cargo run --release -p examples-async -- scenarios
//!     cargo run --release -p examples-async -- run cpu --variant multi-thread --workers 2 --n 3000000

fn main() {
    workloads::contract::serve(examples_async::catalogue(), examples_async::run)
}
