//! A traced `gil` cpu run: whatever W, no two chunks ever run at once,
//! because each holds the one global lock while it computes.

use std::time::Duration;

use workloads::trace::run_traced;

const EXE: &str = env!("CARGO_BIN_EXE_examples-threads");

/// A hang detector with a wide margin, not a speed check.
const TIMEOUT: Duration = Duration::from_secs(120);

#[test]
fn the_gil_variant_never_runs_two_chunks_at_once() {
    // No cores check: this holds on any machine.
    let args = [
        "run",
        "cpu",
        "--variant",
        "gil",
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
    assert_eq!(
        trace.run_overlap_ns(),
        0,
        "two runs overlapped under the GIL"
    );
    let waits = trace
        .events
        .iter()
        .filter(|e| e.kind == workloads::trace::Kind::Wait);
    assert_eq!(
        waits.count(),
        workloads::cpu::CHUNKS,
        "a wait for the GIL per chunk"
    );
}
