// Goal: a latch lets a thread sleep until `n` workers have each called
// `count_down`. `wait` must return only after the last worker counted down,
// and must always return, whatever order the threads' steps fall in
// (threads/21_condvar shows a Condvar at work).
// Done when `cargo xtask exercise check threads/11_fix_lost_wakeup` passes:
// its tests run the threads through every interleaving loom can find.

// `super::sync` is what the tests hand in for `std::sync`: loom's Mutex and
// Condvar, which log each step and let loom try every order of the threads.
// Read it as `std::sync`: the methods are the same.
use super::sync::{Condvar, Mutex};

/// A count of workers still busy, and a way to sleep until it reaches 0.
pub struct Latch {
    /// Workers that have not counted down yet.
    left: Mutex<usize>,
    /// Notified each time `left` changes.
    changed: Condvar,
}

impl Latch {
    pub fn new(workers: usize) -> Latch {
        Latch {
            left: Mutex::new(workers),
            changed: Condvar::new(),
        }
    }

    /// A worker is done.
    pub fn count_down(&self) {
        *self.left.lock().unwrap() -= 1;
        self.changed.notify_all();
    }

    /// Sleep until every worker has counted down.
    pub fn wait(&self) {
        // TODO: return once `left` is 0, and never sleep through that moment.
        let left = *self.left.lock().unwrap();
        if left > 0 {
            let guard = self.left.lock().unwrap();
            let _guard = self.changed.wait(guard).unwrap();
        }
    }
}
