// Tests for exercise threads/02_fix_deadlock, shared by the starter, the
// solution and the wrong answers beside it. `cargo xtask exercise check` turns
// on the learner feature; `cargo xtask test` also runs them against each
// `wrong_*.rs` (feature `wrong-answers`, target `wrong_answers`).
//
// A deadlocked test would hang, so each runs the transfers on threads of
// their own and waits for them with a timeout far above the expected time
// (milliseconds): a timeout means the threads are stuck, not slow. Meanwhile
// an auditor counts the bank's total again and again: nothing may be lost,
// not even for a moment.

#[cfg(feature = "learner-02_fix_deadlock")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-02_fix_deadlock", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use sut::Bank;

const HANG: Duration = Duration::from_secs(5);

/// Run `moves` (from, to, amount, times) each on its own thread, all at once,
/// beside an auditor; return the balances, or fail if they have not finished
/// within HANG or the auditor ever counted a different total.
fn run(bank: Bank, moves: &[(usize, usize, i64, usize)]) -> Vec<i64> {
    let bank = Arc::new(bank);
    let total = bank.audit();
    let stop = Arc::new(AtomicBool::new(false));
    let auditor = {
        let (bank, stop) = (Arc::clone(&bank), Arc::clone(&stop));
        thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let seen = bank.audit();
                if seen != total {
                    return Some(seen); // the first wrong count is enough
                }
                thread::yield_now();
            }
            None
        })
    };
    let (done, finished) = mpsc::channel();
    for &(from, to, amount, times) in moves {
        let (bank, done) = (Arc::clone(&bank), done.clone());
        thread::spawn(move || {
            (0..times).for_each(|_| bank.transfer(from, to, amount));
            let _ = done.send(());
        });
    }
    for _ in moves {
        // A stuck thread never sends: the test fails here instead of hanging.
        // Its threads stay blocked until the test binary exits.
        finished.recv_timeout(HANG).unwrap_or_else(|_| {
            panic!(
                "transfers still running after {HANG:?}: they deadlocked. Two threads \
                 each hold one account's lock and wait for the other's: take the locks in one order"
            )
        });
    }
    stop.store(true, Ordering::Relaxed);
    if let Some(seen) = auditor.join().expect("the auditor panicked") {
        panic!(
            "mid-transfer the auditor counted {seen} instead of {total}: money had left \
             one account and not yet reached the other. Hold both locks for the whole transfer"
        );
    }
    bank.balances()
}

#[test]
fn opposite_transfers_finish() {
    let bank = Bank::new(&[100, 100], Duration::from_millis(1));
    let balances = run(bank, &[(0, 1, 1, 20), (1, 0, 2, 20)]);
    assert_eq!(balances, [120, 80]);
}

#[test]
fn a_ring_of_three_finishes() {
    let bank = Bank::new(&[100, 100, 100], Duration::from_millis(1));
    let balances = run(bank, &[(0, 1, 1, 10), (1, 2, 2, 10), (2, 0, 3, 10)]);
    assert_eq!(balances, [120, 90, 90]);
}

#[test]
fn money_is_conserved_under_load() {
    let bank = Bank::new(&[1000; 4], Duration::ZERO);
    let moves = [
        (0, 1, 1, 5000),
        (1, 2, 1, 5000),
        (2, 3, 1, 5000),
        (3, 0, 1, 5000),
        (2, 0, 7, 100),
    ];
    let balances = run(bank, &moves);
    assert_eq!(balances, [1700, 1000, 300, 1000]);
    assert_eq!(balances.iter().sum::<i64>(), 4000);
}

#[test]
fn a_transfer_to_the_same_account_changes_nothing() {
    let bank = Bank::new(&[50, 60], Duration::from_millis(1));
    assert_eq!(run(bank, &[(1, 1, 10, 3)]), [50, 60]);
}
