//! The processes model's contract binary: `scenarios` and `run` (the
//! measurement contract in ARCHITECTURE.md), and the child roles its workers play (`worker`, `task`).
//!
//!     cargo run --release -p examples-processes -- scenarios
//!     cargo run --release -p examples-processes -- run cpu --variant pool --workers 2 --n 3000000

fn main() {
    // A child started by this binary plays its role and exits here, before
    // the contract's argument parser would reject `worker ...`.
    if let Some(code) = examples_processes::roles::dispatch() {
        std::process::exit(code);
    }
    workloads::contract::serve(examples_processes::catalogue(), |args| {
        let exe = std::env::current_exe()
            .map_err(|e| workloads::contract::Failure::Other(format!("current_exe: {e}")))?;
        examples_processes::run(args, &exe)
    })
}
