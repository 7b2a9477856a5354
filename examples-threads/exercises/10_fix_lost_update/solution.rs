// Goal: count every visitor and sell each ticket once, never past capacity,
// however the threads interleave. Reference solution: the changed lines are
// marked with ^^^.

use super::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// A venue's door counter and box office, shared by every thread.
pub struct Venue {
    /// Visitors counted in at the door.
    admitted: AtomicU64,
    /// Tickets sold so far, which is also the next ticket's number.
    sold: AtomicU64,
    capacity: u64,
}

impl Venue {
    pub fn new(capacity: u64) -> Venue {
        Venue {
            admitted: AtomicU64::new(0),
            sold: AtomicU64::new(0),
            capacity,
        }
    }

    /// Count one visitor in.
    pub fn admit(&self) {
        self.admitted.fetch_add(1, Relaxed);
        // ^^^ one indivisible read-modify-write: no other thread's step can
        // fall between the read and the write (threads/05_atomics)
    }

    /// Sell the next ticket (0, 1, 2, ...), or `None` once `capacity` are sold.
    pub fn sell(&self) -> Option<u64> {
        let mut seen = self.sold.load(Relaxed);
        loop {
            if seen >= self.capacity {
                return None;
            }
            match self.sold.compare_exchange(seen, seen + 1, Relaxed, Relaxed) {
                Ok(_) => return Some(seen),
                Err(now) => seen = now,
            }
        }
        // ^^^ write `seen + 1` only if `sold` is still `seen`; if another
        // customer bought in between, check the limit again from the value
        // that is there now (threads/26_cas_loop). `fetch_add` alone would
        // count past capacity before the check could say no.
    }

    pub fn admitted(&self) -> u64 {
        self.admitted.load(Relaxed)
    }

    pub fn sold(&self) -> u64 {
        self.sold.load(Relaxed)
    }
}
