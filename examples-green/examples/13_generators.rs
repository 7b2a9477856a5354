//! A generator is a coroutine you resume by hand: it produces values lazily, and can take values sent in.
//!
//! may is built on the `generator` crate: a stackful generator is a stack
//! plus a saved register context, and `resume`/`send` switch into it until
//! it yields. There is no scheduler and no second thread: the caller drives
//! it, one step per call, exactly as Python drives a `yield` function. A
//! coroutine is the same machinery with a scheduler resuming it whenever
//! what it waits for is ready.
//!
//! Run:
//!
//!     cargo xtask run green 13_generators
//!
//! Observe: the prime generator runs only as far as the 5 values taken
//! (it counts its own steps); the averager returns a running mean after each
//! value sent. Take 50 instead of 5 and the steps grow with it.
//!
//! Python: `def primes(): ... yield p` with `itertools.islice`, and a
//! `gen.send(x)` coroutine, the seed of Python's `yield`-based coroutines.

use std::sync::atomic::{AtomicU64, Ordering};

use generator::{done, Gn};
use workloads::cpu::is_prime;

/// Loop steps the prime generator has run: proof of laziness. A static, since
/// the generator's closure runs on its own stack and cannot borrow a local.
static STEPS: AtomicU64 = AtomicU64::new(0);

fn main() {
    // A producer: an infinite loop that is fine because it runs only when
    // asked. `s.yield_(p)` hands `p` to the caller and freezes this stack.
    let primes = Gn::<()>::new_scoped(|mut s| {
        let mut k = 2u64;
        loop {
            STEPS.fetch_add(1, Ordering::Relaxed);
            if is_prime(k) {
                s.yield_(k);
            }
            k += 1;
        }
    });
    // The generator is an Iterator: `take(5)` resumes it five times.
    // No sixth resume happens: the rest of the infinite loop never runs.
    let first: Vec<u64> = primes.take(5).collect();
    println!(
        "first 5 primes {first:?}, after {} steps of the generator's loop",
        STEPS.load(Ordering::Relaxed)
    );

    // A consumer: each `send(x)` resumes it with `x` as the value of its
    // pending `yield_`, and returns what it yields next.
    let mut average = Gn::<f64>::new_scoped(|mut s| {
        let (mut sum, mut count) = (0.0, 0.0);
        // The first value arrives with the first `send`, before any yield:
        // Python needs a `next(gen)` to "prime" the coroutine here instead.
        let mut x = s.get_yield().unwrap_or_default();
        loop {
            sum += x;
            count += 1.0;
            match s.yield_(sum / count) {
                Some(next) => x = next,
                None => done!(),
            }
        }
    });
    // Each `send` is one resume: the caller and the generator take turns on
    // this one thread, with no scheduler in between.
    let means: Vec<f64> = [10.0, 20.0, 60.0].map(|x| average.send(x)).to_vec();
    println!("running mean after sending 10, 20, 60: {means:?}");

    assert_eq!(first, [2, 3, 5, 7, 11]);
    // 2..=11 is ten numbers: the generator stopped right after yielding 11.
    assert_eq!(STEPS.load(Ordering::Relaxed), 10);
    assert_eq!(means, [10.0, 15.0, 30.0]);
}
