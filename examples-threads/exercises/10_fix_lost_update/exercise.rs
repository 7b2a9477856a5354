// Goal: a venue counts visitors at its door and sells numbered tickets, from
// many threads at once. Every visitor must be counted, no two customers may
// get the same ticket, and no more than `capacity` tickets may be sold, in
// whatever order the threads' steps fall (threads/25_lost_update, threads/26_cas_loop).
// Done when `cargo xtask exercise check threads/10_fix_lost_update` passes:
// its tests run two threads through every interleaving loom can find.

// `super::sync` is what the tests hand in for `std::sync`: loom's atomics,
// which record each step and let loom try every order of the threads' steps.
// Read it as `std::sync::atomic`: the methods are the same.
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
        // TODO: every visitor must count, even when two come in at once.
        let seen = self.admitted.load(Relaxed);
        self.admitted.store(seen + 1, Relaxed);
    }

    /// Sell the next ticket (0, 1, 2, ...), or `None` once `capacity` are sold.
    pub fn sell(&self) -> Option<u64> {
        // TODO: one number per customer, and never a ticket past capacity.
        let next = self.sold.load(Relaxed);
        if next >= self.capacity {
            return None;
        }
        self.sold.store(next + 1, Relaxed);
        Some(next)
    }

    pub fn admitted(&self) -> u64 {
        self.admitted.load(Relaxed)
    }

    pub fn sold(&self) -> u64 {
        self.sold.load(Relaxed)
    }
}
