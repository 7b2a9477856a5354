// Wrong answer (kept to prove the tests catch it): a loop, so an early
// wake-up is checked again; but each check takes the lock and lets it go
// before the lock is taken again to sleep. The last `count_down` can
// notify in that gap, while nobody sleeps yet, and the waiter sleeps forever.

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
        while *self.left.lock().unwrap() > 0 {
            let guard = self.left.lock().unwrap();
            let _guard = self.changed.wait(guard).unwrap();
        }
    }
}
