//! A traced `scoped` cpu run with W = 2: its chunks run on two OS threads,
//! and for a while on both at once. A test binary of its own, so no sibling
//! test competes for the cores.

use std::time::Duration;

use workloads::trace::run_traced;

const EXE: &str = env!("CARGO_BIN_EXE_examples-threads");

/// A hang detector with a wide margin, not a speed check.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The cores this machine gives right now (other tests, other programs).
fn effective_cores() -> f64 {
    workloads::sys::effective_cores(2, Duration::from_millis(100))
}

#[test]
fn scoped_with_two_workers_runs_on_two_threads_at_once() {
    let cores = effective_cores();
    if cores < 1.5 {
        println!(
            "skipped: {cores:.2} effective cores here, two threads cannot be seen running at once"
        );
        return;
    }
    let args = [
        "run",
        "cpu",
        "--variant",
        "scoped",
        "--workers",
        "2",
        "--n",
        "3000000",
    ];
    let trace = run_traced(EXE, &args, TIMEOUT).unwrap();
    assert_eq!(
        trace.runs().count(),
        workloads::cpu::CHUNKS,
        "one run per chunk"
    );
    assert_eq!(trace.run_threads().len(), 2, "{:?}", trace.run_threads());
    assert!(
        trace.run_overlap_ns() > 0,
        "the two threads never ran at once"
    );
}
