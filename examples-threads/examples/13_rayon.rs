//! rayon spreads a loop over every core by changing `iter()` to `par_iter()`, and balances it by work stealing.
//!
//! rayon keeps one pool of worker threads (one per core). `par_iter` and
//! `join` cut the work into halves, recursively; each worker keeps a deque of
//! pieces and, when its own deque runs dry, steals the oldest (typically the
//! biggest) piece from another worker's. So uneven work (primes near 2 million
//! cost more than primes near 0) balances by itself, with none of
//! 12_cpu_split's chunk bookkeeping.
//!
//! Run:
//!
//!     cargo xtask run threads 13_rayon
//!
//! Observe: on an idle machine `par_iter` and `join` reach close to the core
//! count as a speedup (each line prints its own); the workers take different
//! numbers of chunks but stay busy for about the same time: that is work
//! stealing. Set `RAYON_NUM_THREADS=1` in the
//! environment and every speedup falls to about 1x. Other busy programs (a
//! build, say) shrink every speedup too: compare runs on an idle machine.
//!
//! Python: `concurrent.futures.ProcessPoolExecutor().map(...)`: the same idea,
//! with processes because of the GIL, and without stealing.
//!
//! Compare: `cargo xtask compare --scenarios cpu` runs the `rayon` variant.
//! See https://docs.rs/rayon/latest/rayon/fn.join.html for how `join` and
//! stealing interact.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use workloads::cpu::{chunk, count_primes_in, is_prime, CHUNKS};

const N: u64 = 2_000_000;

fn main() {
    // rayon's global pool starts on first use, one worker per core unless
    // RAYON_NUM_THREADS says otherwise.
    let workers = rayon::current_num_threads();
    // The serial baseline, the same kernel as 12_cpu_split's.
    let start = Instant::now();
    let serial = count_primes_in(0..N);
    let t1 = start.elapsed();
    println!("serial:   {serial} primes below {N} in {t1:.0?}");

    // 1. par_iter: the serial line with `into_par_iter()` in it. rayon splits
    //    the range until every worker has a piece and steals when one runs out.
    let start = Instant::now();
    // `count` of a parallel iterator sums per-piece counts, no shared counter.
    let by_par_iter = (0..N).into_par_iter().filter(|&k| is_prime(k)).count() as u64;
    report("par_iter", workers, by_par_iter, t1, start.elapsed());

    // 2. join: "these two may run in parallel". The caller runs the first
    //    closure and leaves the second for an idle worker to steal; if none is
    //    idle, the caller runs it too, so recursion never floods the pool.
    let start = Instant::now();
    let by_join = count_by_halves(0, N);
    report("join", workers, by_join, t1, start.elapsed());

    // 3. Work stealing, seen: count which worker ran each of the CHUNKS
    //    chunks and how long it was busy.
    let busy = Mutex::new(vec![(0usize, Duration::ZERO); workers]);
    let by_chunks: u64 = (0..CHUNKS)
        .into_par_iter()
        .map(|i| {
            let t = Instant::now();
            let found = count_primes_in(chunk(N, i));
            // Which worker of the pool this closure runs on, 0..workers.
            let me = rayon::current_thread_index().expect("runs on a rayon worker");
            // A Mutex once per chunk (CHUNKS times in all) is negligible next
            // to counting primes in a chunk; per number it would not be.
            let mut busy = busy.lock().unwrap();
            busy[me].0 += 1;
            busy[me].1 += t.elapsed();
            found
        })
        .sum();
    // Uneven chunk counts with even busy times: a worker that drew cheap
    // chunks simply took more of them.
    for (worker, (chunks, time)) in busy.into_inner().unwrap().iter().enumerate() {
        println!("  worker {worker}: ran {chunks:>3} of {CHUNKS} chunks, busy {time:.0?}");
    }

    // Three ways to split, one answer: stealing changes who works, not what.
    assert_eq!([by_par_iter, by_join, by_chunks], [serial; 3]);
}

/// Count primes in `lo..hi` by splitting in two with `rayon::join` until the
/// pieces are small enough that splitting would cost more than it saves.
fn count_by_halves(lo: u64, hi: u64) -> u64 {
    // A leaf of up to 20 000 numbers outweighs the cost of a `join`; N is
    // halved 7 times into 128 leaves of 15 625, plenty to keep workers fed.
    if hi - lo <= 20_000 {
        return count_primes_in(lo..hi);
    }
    let mid = lo + (hi - lo) / 2;
    let (a, b) = rayon::join(|| count_by_halves(lo, mid), || count_by_halves(mid, hi));
    a + b
}

/// One line per method: speedup = serial time / this method's time.
fn report(how: &str, workers: usize, count: u64, serial: Duration, t: Duration) {
    let speedup = serial.as_secs_f64() / t.as_secs_f64();
    println!(
        "{how:<9} {count} primes in {t:.0?} on {workers} workers, {speedup:.2}x faster than serial"
    );
}
