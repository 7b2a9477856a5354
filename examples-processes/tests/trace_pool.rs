//! A traced `pool` cpu run with 2 workers: the parent merges both workers'
//! events, and the chunks ran in two processes.

use std::time::Duration;

use workloads::trace::run_traced;

const EXE: &str = env!("CARGO_BIN_EXE_examples-processes");

/// A hang detector with a wide margin, not a speed check.
const TIMEOUT: Duration = Duration::from_secs(120);

#[test]
fn a_pool_of_two_records_two_pids() {
    // No cores check: two processes take chunks even on one core.
    let args = [
        "run",
        "cpu",
        "--variant",
        "pool",
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
    let pids: std::collections::BTreeSet<u32> = trace.runs().map(|e| e.pid).collect();
    assert_eq!(pids.len(), 2, "{pids:?}");
    assert!(!pids.contains(&std::process::id()));
}
