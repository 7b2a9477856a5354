//! A `compare_exchange` loop turns any read-compute-write into one atomic step: write only if nobody wrote since you read.
//!
//! 25_lost_update lost increments because its store ignored what other
//! threads had stored since its load. `compare_exchange(seen, new)` stores
//! `new` only if the value is still `seen`, and otherwise fails and returns
//! the value that is there now; the loop then computes again from that value.
//! `fetch_add` does this for one operation; the loop works for any
//! computation, such as "add one, but never past a limit", for which no
//! `fetch_*` method exists. Here two threads sell tickets, a million at most.
//!
//! Run:
//!
//!     cargo xtask run threads 26_cas_loop
//!
//! Observe: exactly 1,000,000 tickets are sold, never more, and the number
//! of retries printed is how many times a plain load + store would have
//! overwritten the other thread's sale (typically many on 2 cores, few or none
//! on one). The model-checked twin checks the loop over every interleaving:
//! `cargo test -p examples-threads --features model-check --test model_check_lost_update`.
//! Exercise `threads/10_fix_lost_update` asks for this loop in a box office.
//!
//! Python: no compare-and-swap for Python objects; a `threading.Lock`
//! around the read, the check and the write does the same job.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Barrier;
use std::thread;

/// The venue's size: no more tickets than this may be sold.
const CAPACITY: u64 = 1_000_000;
/// Each seller tries to sell more than half, so together they run out.
const WANTED_EACH: u64 = 600_000;

fn main() {
    let sold = AtomicU64::new(0);
    // Both sellers open at once: otherwise the first could be done before
    // the second is even spawned, and they would never contend.
    let open = Barrier::new(2);
    // (tickets sold, times its compare_exchange found another's write)
    let per_thread: Vec<(u64, u64)> = thread::scope(|s| {
        let sellers: Vec<_> = (0..2).map(|_| s.spawn(|| sell(&sold, &open))).collect();
        sellers.into_iter().map(|h| h.join().unwrap()).collect()
    });

    let retries: u64 = per_thread.iter().map(|(_, r)| r).sum();
    for (i, (n, r)) in per_thread.iter().enumerate() {
        println!("seller {i}: sold {n}, retried {r} times");
    }
    println!("sold {} of {CAPACITY} tickets", sold.load(Relaxed));
    // Each retry is a moment when the other seller wrote between our read
    // and our write: there, 25_lost_update's store would have lost a sale.
    println!("{retries} retries: each a sale a load + store would have lost");
    // New: the check (below the limit) and the write are one step, so the
    // limit holds too; `fetch_add` would have counted past it.
    assert_eq!(sold.load(Relaxed), CAPACITY);
    assert_eq!(per_thread.iter().map(|(n, _)| n).sum::<u64>(), CAPACITY);
}

/// Sell up to WANTED_EACH tickets; returns (sold, retries).
fn sell(sold: &AtomicU64, open: &Barrier) -> (u64, u64) {
    let (mut mine, mut retries) = (0, 0);
    open.wait();
    // One load to start; afterwards a failed compare_exchange hands us the
    // current value, so there is no need to load again.
    let mut seen = sold.load(Relaxed);
    while mine < WANTED_EACH {
        if seen == CAPACITY {
            break; // sold out: the check a `fetch_add` cannot make
        }
        // New: store seen + 1 only if the value is still `seen`. `Relaxed`
        // on both sides: the count is the only data, nothing to publish
        // (27_publish_ordering is about when that is not enough).
        match sold.compare_exchange_weak(seen, seen + 1, Relaxed, Relaxed) {
            Ok(_) => {
                mine += 1;
                seen += 1;
            }
            // Someone sold in between (or, for `_weak`, the CPU gave up
            // spuriously): compute again from the value that is there now.
            Err(now) => {
                retries += 1;
                seen = now;
            }
        }
    }
    // std packages this loop as `AtomicU64::fetch_update(.., |v| ...)`.
    (mine, retries)
}
