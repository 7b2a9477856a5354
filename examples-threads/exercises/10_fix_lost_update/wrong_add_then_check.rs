// Wrong answer (kept to prove the tests catch it): `fetch_add` first, then
// the check. Numbers are unique and no ticket past capacity is handed out,
// but every refused customer still bumped the counter: `sold()` reports
// more tickets than were sold, and the venue looks over capacity.

use super::sync::atomic::{AtomicU64, Ordering::Relaxed};

pub struct Venue {
    admitted: AtomicU64,
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

    pub fn admit(&self) {
        self.admitted.fetch_add(1, Relaxed);
    }

    pub fn sell(&self) -> Option<u64> {
        let ticket = self.sold.fetch_add(1, Relaxed);
        (ticket < self.capacity).then_some(ticket)
    }

    pub fn admitted(&self) -> u64 {
        self.admitted.load(Relaxed)
    }

    pub fn sold(&self) -> u64 {
        self.sold.load(Relaxed)
    }
}
