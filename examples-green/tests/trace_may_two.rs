//! A traced `may` cpu run with 2 workers: the coroutines are spread over
//! both worker threads (M:N).

use std::time::Duration;

use workloads::trace::run_traced;

const EXE: &str = env!("CARGO_BIN_EXE_examples-green");

/// A hang detector with a wide margin, not a speed check.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The cores this machine gives right now (other tests, other programs).
fn effective_cores() -> f64 {
    workloads::sys::effective_cores(2, Duration::from_millis(100))
}

#[test]
fn may_with_two_workers_runs_chunks_on_two_os_threads() {
    let cores = effective_cores();
    if cores < 1.5 {
        println!("skipped: {cores:.2} effective cores here, a second worker may find nothing left to run");
        return;
    }
    let args = [
        "run",
        "cpu",
        "--variant",
        "may",
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
}
