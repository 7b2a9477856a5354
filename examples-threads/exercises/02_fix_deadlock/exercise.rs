// Goal: two tellers move money between the same accounts in opposite
// directions and the bank freezes: each holds one account's lock and waits
// for the other's (15_deadlock). Make `transfer` take its two locks in one
// global order, so no cycle of waits can form.
// Done when `cargo xtask exercise check threads/02_fix_deadlock` passes.

use std::sync::Mutex;
use std::thread;
use std::time::Duration;

/// Accounts, each behind its own lock, so transfers between different
/// accounts can run at the same time.
pub struct Bank {
    accounts: Vec<Mutex<i64>>,
    /// A pause between taking the two locks: the tests set it to make the bad
    /// interleaving certain instead of rare. Leave it in place.
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
        // TODO: lock the account with the lower index first, whichever way
        // the money goes; then update `from` and `to` as before.
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
}
