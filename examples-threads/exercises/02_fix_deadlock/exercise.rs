// Goal: two tellers move money between the same accounts in opposite
// directions, and now and then the bank freezes for good (threads/15_deadlock
// shows how that can happen). Make `transfer` safe to run beside any other
// transfer: it must never freeze, and an auditor who locks the whole bank
// must always count the same total, even while transfers run.
// Done when `cargo xtask exercise check threads/02_fix_deadlock` passes.

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
        // TODO: make this transfer safe beside any other one.
        let mut from_balance = self.accounts[from].lock().unwrap();
        thread::sleep(self.pause);
        let mut to_balance = self.accounts[to].lock().unwrap();
        *from_balance -= amount;
        *to_balance += amount;
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
