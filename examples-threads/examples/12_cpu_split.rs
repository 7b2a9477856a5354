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
//!     cargo xtask run threads 06
//!
//! Observe: "chunks" reaches close to the core count as a speedup (about 1.9x
//! on 2 cores), "halves" less, "stride" about 1x. Set `threads` to 1 and every
//! speedup falls to about 1x. Timings vary between runs; the counts never do.
//!
//! Python: CPython threads would show ~1x for all three (the GIL);
//! `multiprocessing.Pool.imap_unordered(..., chunksize=...)` is the "chunks" split.
//!
//! Compare: `cargo xtask compare --scenarios cpu` measures the same kernel in every model.
//! The same split elsewhere: examples-processes/examples/05_process_pool.rs,
//! examples-async/examples/09_cpu_multi_thread.rs, examples-green/examples/10_cpu_workers.rs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use workloads::cpu::{chunk, count_primes_in, is_prime, CHUNKS};

const N: u64 = 2_000_000;

fn main() {
    // Use every core this process may run on (2 on the CI machines).
    let threads = thread::available_parallelism().map_or(2, |n| n.get());

    // The baseline every split is measured against: same kernel, one thread.
    let (serial, t1) = time(|| count_primes_in(0..N));
    println!("1 thread:  {serial} primes below {N} in {t1:.0?}");

    // Contiguous halves (or thirds...): equal-sized ranges, unequal work.
    // The last range holds the largest numbers, the slowest to test, so its
    // thread finishes last while the others idle.
    let (halves, t) = time(|| {
        thread::scope(|s| {
            let per = N / threads as u64;
            let parts: Vec<_> = (0..threads as u64)
                .map(|i| {
                    let end = if i + 1 == threads as u64 {
                        N
                    } else {
                        (i + 1) * per
                    };
                    s.spawn(move || count_primes_in(i * per..end))
                })
                .collect();
            parts.into_iter().map(|h| h.join().unwrap()).sum::<u64>()
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
                    s.spawn(move || (i..N).step_by(threads).filter(|&k| is_prime(k)).count() as u64)
                })
                .collect();
            parts.into_iter().map(|h| h.join().unwrap()).sum::<u64>()
        })
    });
    report("stride", threads, stride, t1, t);

    // Chunks from a shared counter: a thread that drew cheap numbers simply
    // comes back for more. `fetch_add` hands each index out exactly once.
    let (chunks, t) = time(|| {
        let next = AtomicUsize::new(0);
        thread::scope(|s| {
            let parts: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut found = 0;
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= CHUNKS {
                                return found;
                            }
                            found += count_primes_in(chunk(N, i));
                        }
                    })
                })
                .collect();
            parts.into_iter().map(|h| h.join().unwrap()).sum::<u64>()
        })
    });
    report("chunks", threads, chunks, t1, t);

    // However the work was split, the answer is the same.
    assert_eq!([halves, stride, chunks], [serial; 3]);
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    (f(), start.elapsed())
}

fn report(split: &str, threads: usize, count: u64, serial: Duration, t: Duration) {
    let speedup = serial.as_secs_f64() / t.as_secs_f64();
    println!("{threads} threads, {split:<6}: {count} primes in {t:.0?}, {speedup:.2}x faster than one thread");
}
