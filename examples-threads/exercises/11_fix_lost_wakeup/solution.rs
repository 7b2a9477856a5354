// Goal: `wait` returns only after the last `count_down`, and always returns.
// Reference solution: the changed lines are marked with ^^^.

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
        let mut left = self.left.lock().unwrap();
        // ^^^ one lock, held from the check to the sleep: `wait` lets it go
        // and falls asleep in one step, so no `count_down` can slip between
        while *left > 0 {
            left = self.changed.wait(left).unwrap();
        }
        // ^^^ a loop, not an `if`: a wake-up says only that `left` changed,
        // so check it again (`wait_while(left, |n| *n > 0)` is the same loop)
    }
}
