//! A traced `may-1` cpu run: may's one worker runs every coroutine (M:1,
//! as gevent), so every chunk is on one OS thread.

use std::time::Duration;

use workloads::trace::run_traced;

const EXE: &str = env!("CARGO_BIN_EXE_examples-green");

/// A hang detector with a wide margin, not a speed check.
const TIMEOUT: Duration = Duration::from_secs(120);

#[test]
fn may_1_runs_every_chunk_on_one_os_thread() {
    let args = ["run", "cpu", "--variant", "may-1", "--n", "3000000"];
    let trace = run_traced(EXE, &args, TIMEOUT).unwrap();
    assert_eq!(
        trace.runs().count(),
        workloads::cpu::CHUNKS,
        "one run per chunk"
    );
    assert_eq!(trace.run_threads().len(), 1, "{:?}", trace.run_threads());
    assert_eq!(trace.run_overlap_ns(), 0);
}
