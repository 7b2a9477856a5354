//! Locks taken in one global order cannot deadlock: every thread locks the lower-numbered account first.
//!
//! 15_deadlock's cycle needs thread 1 to wait for a lock thread 2 holds while
//! thread 2 waits for one thread 1 holds. If every thread takes its locks in
//! the same order (here, by account id), a thread holding id 0 may wait for
//! id 1, but nobody holding id 1 ever waits for id 0: no chain of waits can
//! loop back, so no cycle and no deadlock. Below, two threads run thousands
//! of opposite transfers without any barrier, and a lock timeout stays on as
//! a safety net that counts how often it fired.
//!
//! Run:
//!
//!     cargo xtask run threads 16_lock_order
//!
//! Observe: 2 x 20000 opposite transfers, 0 timeouts, balances back at 100.
//!
//! Break: `cargo xtask run threads 16_lock_order -- --break` locks `from`
//! first, whatever its id, as 15_deadlock did but without the barrier, and
//! pauses between the two locks as a transfer doing real work would. A cycle
//! then forms, typically within the first few transfers (the count is
//! printed); the lesson stops at the first timeout, explains it and exits.
//!
//! Python: the same rule; `threading.Lock` has no ordering help, so order by
//! `id()` or by a key of your own.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use parking_lot::{Mutex, MutexGuard};

/// Changed: the id, which the lock order is based on, joins 15_deadlock's
/// Account: any total order works as long as every thread uses the same.
struct Account {
    id: usize,
    balance: Mutex<i64>,
}

impl Account {
    /// Every account starts with 100, so the totals are easy to check.
    fn new(id: usize) -> Self {
        let balance = Mutex::new(100);
        Account { id, balance }
    }
}

/// The safety net: no lock is held for more than a few instructions, so a
/// wait this long means a cycle formed.
const PATIENCE: Duration = Duration::from_millis(300);
/// Enough opposite transfers that an unordered version would collide.
const TRANSFERS: usize = 20_000;
/// Set by the first thread whose lock timed out (05_atomics: a shared flag).
static GAVE_UP: AtomicBool = AtomicBool::new(false);

fn main() {
    let broken = std::env::args().any(|a| a == "--break");
    // Alice is id 0 and Bob id 1: every thread locks Alice's account first.
    let (alice, bob) = (Account::new(0), Account::new(1));

    // The same two directions as 15_deadlock, thousands of times each, and
    // no barrier: only the lock order keeps them out of the cycle.
    let done: [(usize, bool); 2] = thread::scope(|s| {
        let one = s.spawn(|| many(&alice, &bob, broken));
        let two = s.spawn(|| many(&bob, &alice, broken));
        [one.join().unwrap(), two.join().unwrap()]
    });
    let timeouts = done.iter().filter(|(_, timed_out)| *timed_out).count();
    let balances = [*alice.balance.lock(), *bob.balance.lock()];
    // The report: how far each thread got, and whether the net ever caught one.
    let order = ["lower id first", "`from` first"][broken as usize];
    let counts = [done[0].0, done[1].0];
    println!(
        "{order}: {counts:?} opposite transfers done, {timeouts} timeouts, balances {balances:?}"
    );

    if broken {
        // Without the order, the cycle needs an unlucky interleaving: both
        // threads between their first and second lock at the same moment.
        let what = match timeouts {
            0 => "no cycle this run: it needs both threads between their two locks at once; run it again, or see 15_deadlock, which forces it",
            _ => "a thread waited its full patience for a lock: a cycle formed, as in 15_deadlock; with lock() both would wait forever",
        };
        println!("--break: {what} (patience {PATIENCE:?})");
    } else {
        // With the order, the safety net never fires, on any interleaving.
        assert_eq!(timeouts, 0);
        assert_eq!(done, [(TRANSFERS, false); 2]);
    }
    // Each transfer moves 1 from one account to the other, so money is
    // neither made nor lost: the total is 200 whoever stopped where.
    assert_eq!(balances.iter().sum::<i64>(), 200);
}

/// Up to TRANSFERS transfers of 1; stops at the first timeout. Returns how
/// many completed and whether it was this thread's lock that timed out.
fn many(from: &Account, to: &Account, broken: bool) -> (usize, bool) {
    for done in 0..TRANSFERS {
        // The first timeout ends the run for both threads: once one gives up,
        // the other gets its lock and would carry on alone for seconds.
        if GAVE_UP.load(Ordering::Relaxed) {
            return (done, false);
        }
        if transfer(from, to, 1, broken).is_none() {
            GAVE_UP.store(true, Ordering::Relaxed);
            return (done, true);
        }
    }
    (TRANSFERS, false)
}

/// Move `amount` from `from` to `to`. Returns None if a lock timed out (it
/// never does once the order is fixed).
fn transfer(from: &Account, to: &Account, amount: i64, broken: bool) -> Option<()> {
    // New: the lower id is locked first, whichever way the money goes.
    // `--break` locks `from` first instead, and the two directions collide.
    let from_first = broken || from.id < to.id;
    let (mut from_balance, mut to_balance) = if from_first {
        let f = lock(from)?;
        if broken {
            // The window between the two locks, where the other thread can
            // take our second lock first. Without it, a cycle is rare here
            // (each transfer is a few instructions), but not impossible.
            thread::sleep(Duration::from_micros(100));
        }
        (f, lock(to)?)
    } else {
        let t = lock(to)?;
        (lock(from)?, t)
    };
    *from_balance -= amount;
    *to_balance += amount;
    Some(())
}

/// `lock()` with a deadline: `None` after PATIENCE instead of waiting forever.
fn lock(account: &Account) -> Option<MutexGuard<'_, i64>> {
    account.balance.try_lock_for(PATIENCE)
}
