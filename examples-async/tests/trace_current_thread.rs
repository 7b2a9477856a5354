//! A traced `current-thread` cpu run: every chunk runs on the one OS thread
//! of the runtime, asyncio's picture.

use std::time::Duration;

use workloads::trace::run_traced;

const EXE: &str = env!("CARGO_BIN_EXE_examples-async");

/// A hang detector with a wide margin, not a speed check.
const TIMEOUT: Duration = Duration::from_secs(120);

#[test]
fn current_thread_runs_every_chunk_on_one_os_thread() {
    let args = [
        "run",
        "cpu",
        "--variant",
        "current-thread",
        "--n",
        "3000000",
    ];
    let trace = run_traced(EXE, &args, TIMEOUT).unwrap();
    assert_eq!(
        trace.runs().count(),
        workloads::cpu::CHUNKS,
        "one run per chunk"
    );
    assert_eq!(trace.run_threads().len(), 1, "{:?}", trace.run_threads());
    assert_eq!(trace.run_overlap_ns(), 0);
}
