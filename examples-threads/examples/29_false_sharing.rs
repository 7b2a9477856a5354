//! Two threads that never touch each other's counter still slow each other down when both counters share a cache line.
//!
//! Cores keep memory in caches in 64-byte lines, and a line being written
//! lives in one core's cache at a time. Two `AtomicU64`s side by side sit in
//! one line, so each core's write pulls the line away from the other, over
//! and over, although no value is shared: "false sharing". It is a cost, not
//! a bug: the counts stay right, only the time grows. Padding each counter
//! to a line of its own (crossbeam's `CachePadded`, or `#[repr(align(64))]`
//! on a struct of your own) removes it.
//!
//! Run:
//!
//!     cargo xtask run threads 29_false_sharing
//!
//! Observe: on 2 idle cores the neighbours are typically several times
//! slower than the padded pair (the ratio printed); on one core, or a busy
//! machine, the ratio falls towards 1, since the threads take turns and the
//! line rarely moves. It is a timing, so the lesson asserts only the counts.
//! There is no model-checked twin: loom models orderings, not caches.
//!
//! Python: not visible from Python: the interpreter's own overhead per
//! increment is far larger than a cache line's trip between cores.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam::utils::CachePadded;

/// Enough increments that a run takes milliseconds, not microseconds: the
/// thread start-up then stops mattering next to the line's trips.
const INCREMENTS: u64 = 3_000_000;
/// Each layout is timed this many times, alternating; the median is kept.
const RUNS: usize = 3;

/// Two counters in one cache line: `a` at byte 0, `b` at byte 8. This is
/// how a plain struct of per-thread counters (or a `[AtomicU64; N]` indexed
/// by thread) is laid out unless you ask for more.
#[derive(Default)]
struct Neighbours {
    a: AtomicU64,
    b: AtomicU64,
}

/// New: each counter on a line of its own. `CachePadded` aligns to 128 bytes
/// on x86-64, since its prefetcher also pulls the adjacent line in pairs.
#[derive(Default)]
struct Padded {
    a: CachePadded<AtomicU64>,
    b: CachePadded<AtomicU64>,
}

fn main() {
    // The padding is visible in the sizes: 16 bytes against two whole
    // (double) lines. Memory traded for independence.
    println!(
        "sizes: Neighbours {} bytes, Padded {} bytes",
        size_of::<Neighbours>(),
        size_of::<Padded>()
    );
    // Alternate the layouts, so that a burst of other load on the machine
    // hits both about equally, and keep the median of each.
    let (mut near, mut apart) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let n = Neighbours::default();
        near.push(race(&n.a, &n.b));
        let p = Padded::default();
        apart.push(race(&p.a, &p.b));
    }
    let (near, apart) = (median(near), median(apart));
    println!("2 threads x {INCREMENTS} increments, each on its own counter (median of {RUNS}):");
    println!("  one cache line: {near:.1?}");
    println!("  padded apart:   {apart:.1?}");
    // A measurement, not a claim: printed, never asserted.
    let ratio = near.as_secs_f64() / apart.as_secs_f64();
    println!("  sharing a line took {ratio:.1}x the padded time here");
}

/// One thread increments `a`, another `b`, at the same time; returns the
/// time until both are done, and checks that neither lost a count.
fn race(a: &AtomicU64, b: &AtomicU64) -> Duration {
    let start = Instant::now();
    // Start together, so the two really overlap: false sharing needs both
    // cores writing at the same time.
    let go = Barrier::new(2);
    thread::scope(|s| {
        for counter in [a, b] {
            let go = &go;
            // `fetch_add` writes the line each time, which is what makes it
            // move; a thread that only read would let both cores share it.
            s.spawn(move || {
                go.wait();
                (0..INCREMENTS).for_each(|_| _ = counter.fetch_add(1, Relaxed));
            });
        }
    });
    let took = start.elapsed();
    // The counts are always right: the cost is time only.
    assert_eq!([a.load(Relaxed), b.load(Relaxed)], [INCREMENTS; 2]);
    took
}

/// The middle value: one slow run (a busy machine) does not move it.
fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}
