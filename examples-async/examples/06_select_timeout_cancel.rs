//! Dropping a future cancels it at the `.await` where it was paused, which can leave a half-done operation.
//!
//! `select!` polls several futures and, when one finishes, drops the others;
//! `timeout` is a `select!` between your future and a timer. Dropping a
//! future runs no more of its code: whatever it did before its last `.await`
//! stays done, whatever came after never happens. So a future that changes
//! state on both sides of an `.await` is not "cancel safe".
//!
//! Run:
//!
//!     cargo xtask run async 06_select_timeout_cancel
//!
//! Observe: the slow lookup times out after ~50 ms; the unsafe transfer is
//! cancelled between debit and credit and 30 coins vanish; the safe transfer
//! is cancelled too, but no coins are lost. Move the `sleep` in
//! `transfer_safely` above the debit and it still holds; move it between the
//! two updates and it breaks like the first.
//!
//! Python: `asyncio.wait_for(coro, 0.05)` and `task.cancel()`, which raises
//! `CancelledError` at the `await` where the coroutine is paused.
//!
//! Compare: examples-green/examples/07_cancellation.rs (a coroutine cancelled
//! at its next blocking point), examples-green/examples/08_timeouts.rs,
//! examples-threads/examples/11_select.rs (select over channels, with threads).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::time::{sleep, timeout};

/// Two accounts. A std `Mutex`, not tokio's: no guard is held across an `.await`.
struct Bank {
    alice: Mutex<u64>,
    bob: Mutex<u64>,
}

impl Bank {
    /// 100 coins each, so 200 is the total every transfer must preserve.
    fn new() -> Self {
        let (alice, bob) = (Mutex::new(100), Mutex::new(100));
        Bank { alice, bob }
    }

    /// Both balances. Each guard is a temporary, released at the `;`: holding
    /// one while taking the other's lock again would deadlock this thread.
    fn balances(&self) -> (u64, u64) {
        let alice = *self.alice.lock().unwrap();
        (alice, *self.bob.lock().unwrap())
    }
}

/// Debit, wait for "the network", credit: state changes on both sides of an
/// `.await`, so cancelling it in between loses the money in flight.
async fn transfer_unsafely(bank: &Bank, amount: u64) {
    *bank.alice.lock().unwrap() -= amount;
    sleep(Duration::from_millis(100)).await; // <- cancellation lands here
    *bank.bob.lock().unwrap() += amount;
}

/// Do all the waiting first, then both updates with no `.await` between them:
/// cancelled anywhere, either nothing happened or everything did.
async fn transfer_safely(bank: &Bank, amount: u64) {
    sleep(Duration::from_millis(100)).await; // <- cancellation lands here
    *bank.alice.lock().unwrap() -= amount;
    *bank.bob.lock().unwrap() += amount;
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // 1. A timeout: the lookup takes 1 s, we wait 50 ms, then drop it.
    // `timeout` returns `Err(Elapsed)` and the inner future is gone: it will
    // never be polled again, so nothing of it runs after the 50 ms.
    let start = Instant::now();
    let lookup = timeout(Duration::from_millis(50), sleep(Duration::from_secs(1))).await;
    println!("lookup: {lookup:?} after {:.0?}", start.elapsed());
    assert!(lookup.is_err());

    // 2. `select!` between a transfer and a cancel signal that comes first:
    // the losing branch's future is dropped, wherever it was paused.
    // The cancel signal is a 20 ms timer, so it always wins against the
    // 100 ms "network": the outcome is deterministic, not a race.
    let bank = Bank::new();
    tokio::select! {
        _ = transfer_unsafely(&bank, 30) => println!("unsafe transfer finished"),
        _ = sleep(Duration::from_millis(20)) => println!("unsafe transfer cancelled after 20 ms"),
    }
    // The debit ran before the `.await`, the credit was after it: lost.
    let (alice, bob) = bank.balances();
    println!(
        "  alice {alice}, bob {bob}: {} coins lost",
        200 - alice - bob
    );
    assert_eq!(
        alice + bob,
        170,
        "the debit happened, the credit never will"
    );

    // Changed: the same race, with the waiting moved before both updates.
    let bank = Bank::new();
    tokio::select! {
        _ = transfer_safely(&bank, 30) => println!("safe transfer finished"),
        _ = sleep(Duration::from_millis(20)) => println!("safe transfer cancelled after 20 ms"),
    }
    // Cancelled at the only `.await`, before either update: nothing lost.
    let (alice, bob) = bank.balances();
    println!("  alice {alice}, bob {bob}: no coins lost");
    assert_eq!(alice + bob, 200);

    // 3. A spawned task is not cancelled by dropping its `JoinHandle`; it is
    // cancelled by `abort()`, which takes effect at its next `.await`.
    // The task would sleep 10 s; `abort` means the lesson never waits for it.
    let task = tokio::spawn(sleep(Duration::from_secs(10)));
    task.abort();
    // Awaiting the handle after `abort` is how you learn it really stopped:
    // `JoinError::is_cancelled` rather than a value.
    let result = task.await;
    println!(
        "aborted task: cancelled = {}",
        result.as_ref().is_err_and(|e| e.is_cancelled())
    );
    assert!(result.unwrap_err().is_cancelled());
}
