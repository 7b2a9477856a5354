// Wrong answer (kept to prove the tests catch it): bounded channels, but one
// worker thread whatever `workers` says, so the testing never runs in parallel.
#![allow(unused_variables)] // `workers` is ignored on purpose: that is the mistake

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use crossbeam::channel::{bounded, Receiver};
use workloads::cpu::is_prime;

pub struct Pipeline {
    pub verdicts: Receiver<(u64, bool)>,
    pub produced: Arc<AtomicUsize>,
}

pub fn start(numbers: Vec<u64>, workers: usize, capacity: usize) -> Pipeline {
    let (number_tx, number_rx) = bounded::<u64>(capacity);
    let (verdict_tx, verdict_rx) = bounded::<(u64, bool)>(capacity);
    let produced = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&produced);
    thread::spawn(move || {
        for n in numbers {
            if number_tx.send(n).is_err() {
                return;
            }
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    thread::spawn(move || {
        for n in number_rx {
            if verdict_tx.send((n, is_prime(n))).is_err() {
                return;
            }
        }
    });
    Pipeline {
        verdicts: verdict_rx,
        produced,
    }
}
