// Wrong answer (kept to prove the tests catch it): the check and the sleep
// are under one lock now, so no wake-up is lost; but it sleeps only once.
// The first `count_down` wakes it while another worker is still busy, and
// `wait` returns too early.

use super::sync::{Condvar, Mutex};

pub struct Latch {
    left: Mutex<usize>,
    changed: Condvar,
}

impl Latch {
    pub fn new(workers: usize) -> Latch {
        Latch {
            left: Mutex::new(workers),
            changed: Condvar::new(),
        }
    }

    pub fn count_down(&self) {
        *self.left.lock().unwrap() -= 1;
        self.changed.notify_all();
    }

    pub fn wait(&self) {
        let left = self.left.lock().unwrap();
        if *left > 0 {
            let _left = self.changed.wait(left).unwrap();
        }
    }
}
