//! CPU-bound work speeds up with threads only when every thread stays busy to the end.
//!
//! Counting primes by trial division costs more for larger numbers. Cut
//! `0..n` into two contiguous halves and the upper half takes longer: one
//! thread finishes early and idles. Stride by the thread count and, with two
//! threads, one gets every even number (rejected at once) and the other every
//! odd one. Many small chunks taken from a shared counter as threads free up
//! keep both busy to the end. All three are timed below against one thread.
//!
//! Run:
//!
//!     cargo xtask run threads 12_cpu_split
//!
//! Observe: on an idle machine "chunks" reaches close to the core count as a
//! speedup, "halves" less, and "stride" about 1x; each line prints its own.
//! Other programs sharing the cores shrink every speedup, so compare a few
//! runs. Set `threads` to 1 and every speedup falls to about 1x. Timings vary
//! between runs; the counts never do.
//!
//! Python: CPython threads would show ~1x for all three (the GIL);
//! `multiprocessing.Pool.imap_unordered(..., chunksize=...)` is the "chunks" split.
//!
//! Compare: `cargo xtask compare --scenarios cpu` measures the same kernel in every model.
//! The same split elsewhere: examples-processes/examples/08_process_pool.rs,
//! examples-async/examples/12_cpu_multi_thread.rs, examples-green/examples/12_cpu_workers.rs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use workloads::cpu::{chunk, count_primes_in, is_prime, CHUNKS};

const N: u64 = 2_000_000;

fn main() {
    // One thread per core this process may run on: more threads than cores
    // would only take turns, fewer would leave a core idle.
    let threads = thread::available_parallelism().map_or(2, |n| n.get());

    // The baseline every split is measured against: same kernel, one thread,
    // in the same process, so the same machine load applies to both.
    let (serial, t1) = time(|| count_primes_in(0..N));
    println!("1 thread:  {serial} primes below {N} in {t1:.0?}");

    // Contiguous halves (or thirds...): equal-sized ranges, unequal work.
    // The last range holds the largest numbers, the slowest to test, so its
    // thread finishes last while the others idle.
    let (halves, t) = time(|| {
        // Scoped threads (03_scoped_threads): joined before `time` returns.
        thread::scope(|s| {
            let n = threads as u64;
            let parts: Vec<_> = (0..n)
                // Range i is i/n to (i+1)/n of N; the last one ends at N exactly.
                .map(|i| s.spawn(move || count_primes_in(i * N / n..(i + 1) * N / n)))
                .collect();
            sum_joined(parts)
        })
    });
    report("halves", threads, halves, t1, t);

    // Striding: thread i tests i, i + threads, i + 2 * threads, ...
    // Each thread sees numbers from the whole range, which sounds fair, but
    // with 2 threads thread 0 gets only even numbers, each rejected at once.
    let (stride, t) = time(|| {
        thread::scope(|s| {
            let parts: Vec<_> = (0..threads as u64)
                .map(|i| {
                    // `move` copies `i` in: each thread needs its own start.
                    s.spawn(move || (i..N).step_by(threads).filter(|&k| is_prime(k)).count() as u64)
                })
                .collect();
            sum_joined(parts)
        })
    });
    report("stride", threads, stride, t1, t);

    // Chunks from a shared counter: a thread that drew cheap numbers simply
    // comes back for more. `fetch_add` hands each index out exactly once
    // (05_atomics): two threads can never draw the same chunk.
    let (chunks, t) = time(|| {
        let next = AtomicUsize::new(0);
        thread::scope(|s| {
            let parts: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut found = 0;
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            // Past the last chunk: nothing left, this thread is done.
                            if i >= CHUNKS {
                                return found;
                            }
                            found += count_primes_in(chunk(N, i));
                        }
                    })
                })
                .collect();
            sum_joined(parts)
        })
    });
    report("chunks", threads, chunks, t1, t);

    // However the work was split, the answer is the same: the splits differ
    // only in time, which is why the lesson can check itself.
    assert_eq!([halves, stride, chunks], [serial; 3]);
}

/// Run `f` once and return its result with the wall time it took.
fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    (f(), start.elapsed())
}

/// Join every thread of a split and add up their counts. Each `join` waits,
/// so the split takes as long as its slowest thread: the point of the lesson.
fn sum_joined(parts: Vec<thread::ScopedJoinHandle<'_, u64>>) -> u64 {
    parts.into_iter().map(|h| h.join().unwrap()).sum()
}

/// One line per split: speedup = serial time / this split's time.
fn report(split: &str, threads: usize, count: u64, serial: Duration, t: Duration) {
    let speedup = serial.as_secs_f64() / t.as_secs_f64();
    println!("{threads} threads, {split:<6}: {count} primes in {t:.0?}, {speedup:.2}x faster than one thread");
}
