// Wrong answer (kept to prove the tests catch it): it never holds two locks,
// so it cannot deadlock, but the money is in neither account between the two
// steps. The final balances are right; an auditor mid-run counts too little.

use std::sync::Mutex;
use std::thread;
use std::time::Duration;

pub struct Bank {
    accounts: Vec<Mutex<i64>>,
    pause: Duration,
}

impl Bank {
    pub fn new(balances: &[i64], pause: Duration) -> Bank {
        let accounts = balances.iter().map(|&b| Mutex::new(b)).collect();
        Bank { accounts, pause }
    }

    pub fn transfer(&self, from: usize, to: usize, amount: i64) {
        if from == to {
            return;
        }
        *self.accounts[from].lock().unwrap() -= amount; // the guard drops here
        thread::sleep(self.pause);
        *self.accounts[to].lock().unwrap() += amount;
    }

    pub fn balances(&self) -> Vec<i64> {
        self.accounts.iter().map(|a| *a.lock().unwrap()).collect()
    }

    pub fn audit(&self) -> i64 {
        let guards: Vec<_> = self.accounts.iter().map(|a| a.lock().unwrap()).collect();
        guards.iter().map(|g| **g).sum()
    }
}
