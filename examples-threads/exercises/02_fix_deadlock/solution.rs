// Goal: make `transfer` safe beside any other: no freeze, no money missing
// mid-transfer. Reference solution: the changed lines are marked with ^^^.

use std::sync::Mutex;
use std::thread;
use std::time::Duration;

/// Accounts, each behind its own lock, so transfers between different
/// accounts can run at the same time.
pub struct Bank {
    accounts: Vec<Mutex<i64>>,
    /// A pause between taking the two locks: the tests set it to make rare
    /// interleavings certain. Leave it in place.
    pause: Duration,
}

impl Bank {
    pub fn new(balances: &[i64], pause: Duration) -> Bank {
        let accounts = balances.iter().map(|&b| Mutex::new(b)).collect();
        Bank { accounts, pause }
    }

    /// Move `amount` from account `from` to account `to`.
    pub fn transfer(&self, from: usize, to: usize, amount: i64) {
        if from == to {
            return; // nothing moves, and locking one mutex twice would hang
        }
        let lock = |i: usize| self.accounts[i].lock().unwrap();
        let (mut from_balance, mut to_balance) = if from < to {
            let f = lock(from);
            thread::sleep(self.pause);
            (f, lock(to))
        } else {
            let t = lock(to);
            thread::sleep(self.pause);
            (lock(from), t)
        };
        // ^^^ the lower index is always locked first: a thread holding account
        // i only ever waits for an account above i, so waits cannot form a cycle
        *from_balance -= amount;
        *to_balance += amount;
        // ^^^ both guards are held until here: nobody sees the money in between
    }

    /// Every account's balance, in index order.
    pub fn balances(&self) -> Vec<i64> {
        self.accounts.iter().map(|a| *a.lock().unwrap()).collect()
    }

    /// The bank's total, counted with every account locked at once (taken
    /// in index order), so no transfer is seen half done.
    pub fn audit(&self) -> i64 {
        let guards: Vec<_> = self.accounts.iter().map(|a| a.lock().unwrap()).collect();
        guards.iter().map(|g| **g).sum()
    }
}
