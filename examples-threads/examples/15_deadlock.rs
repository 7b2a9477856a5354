//! Two threads that take the same two locks in opposite orders can wait for each other forever.
//!
//! A transfer locks both accounts. If thread 1 holds alice and waits for bob
//! while thread 2 holds bob and waits for alice, each waits on the other: a
//! cycle, a deadlock. `Mutex::lock` would wait forever, so this lesson uses
//! parking_lot's `try_lock_for`, a lock with a timeout, to *detect* it. A
//! deadlock rarely shows up on demand, so a `Barrier` makes both threads take
//! their first lock before either asks for its second. The fix: every thread
//! locks the account with the lower id first, so no cycle can form.
//!
//! Run:
//!
//!     cargo xtask run threads 09
//!
//! Observe: both transfers time out; the report names each thread, the lock
//! it holds and the one it waits for: a cycle. The ordered version then runs
//! thousands of opposite transfers with no timeout. In `ordered`, lock `from`
//! first in both branches: some runs time out, many don't, hence part 1's barrier.
//!
//! Python: `threading.Lock().acquire(timeout=0.3)` is the same detector.
//!
//! Compare: examples-async/examples/10_shared_state.rs (the deadlock of a std guard held across `.await`).

use std::sync::Barrier;
use std::thread;
use std::time::Duration;

// parking_lot, not std: std's Mutex has no lock-with-timeout.
use parking_lot::{Mutex, MutexGuard};

/// A bank account. Its own lock: transfers touching other accounts can run
/// at the same time, which is why a transfer needs two locks, and why their
/// order matters.
struct Account {
    id: usize,
    name: &'static str,
    balance: Mutex<i64>,
}

/// Who was stuck: the thread's name, the lock it held, the lock it wanted.
type Stuck = (String, &'static str, &'static str);

/// How long a thread waits for a lock before calling it a deadlock. Far
/// above any real wait here (microseconds), so a timeout means a cycle.
const PATIENCE: Duration = Duration::from_millis(300);
const TRANSFERS: usize = 20_000;

fn main() {
    let account = |id, name| Account {
        id,
        name,
        balance: Mutex::new(100),
    };
    let (alice, bob) = (account(0, "alice"), account(1, "bob"));

    // 1. Engineered: two opposite transfers, each on a named thread (the name
    //    is what a detector, a debugger or a panic message shows).
    let barriers = [Barrier::new(2), Barrier::new(2)];
    let reports: [Option<Stuck>; 2] = thread::scope(|s| {
        let one = engineered(s, &alice, &bob, &barriers);
        let two = engineered(s, &bob, &alice, &barriers);
        [one.join().unwrap(), two.join().unwrap()]
    });
    let stuck: Vec<&Stuck> = reports.iter().flatten().collect();

    // Detection: follow each "wants" to the thread that "holds" it. Thread 1
    // waits on thread 2 and thread 2 on thread 1: a cycle, so neither can go
    // on. parking_lot's `deadlock_detection` feature finds such cycles for
    // you, from a background thread, at some cost on every lock.
    for (thread, holds, wants) in &stuck {
        let holder = stuck
            .iter()
            .find(|(_, h, _)| h == wants)
            .map_or("?", |t| t.0.as_str());
        println!("deadlock: '{thread}' holds {holds}, waited {PATIENCE:?} for {wants}, held by '{holder}'");
    }
    println!(
        "deadlock: a cycle of {} threads; with lock() both would wait forever",
        stuck.len()
    );

    // 2. Fixed: the same two directions, thousands of times, with no barrier,
    //    each transfer locking in id order. The timeout stays as a safety net.
    let timeouts: usize = thread::scope(|s| {
        let one = s.spawn(|| many_ordered(&alice, &bob));
        let two = s.spawn(|| many_ordered(&bob, &alice));
        one.join().unwrap() + two.join().unwrap()
    });
    let balances = [*alice.balance.lock(), *bob.balance.lock()];
    println!(
        "ordered: 2 x {TRANSFERS} opposite transfers, {timeouts} timeouts, balances {balances:?}"
    );

    assert_eq!(stuck.len(), 2);
    assert_eq!(timeouts, 0);
    assert_eq!(balances, [100, 100]);
}

/// Lock `from`, wait until the other thread holds its first lock too, then
/// try `to`: the bad interleaving, made certain. Returns who was stuck.
fn engineered<'scope>(
    s: &'scope thread::Scope<'scope, '_>,
    from: &'scope Account,
    to: &'scope Account,
    [hold, give_up]: &'scope [Barrier; 2],
) -> thread::ScopedJoinHandle<'scope, Option<Stuck>> {
    let work = move || {
        let _from_balance = from.balance.lock();
        // Both threads now hold one lock each; the transfer never gets further.
        hold.wait();
        let stuck = lock(to).is_none();
        // Hold `from` until both have timed out, or the first to give up lets
        // the other through and we see one victim, not the cycle.
        give_up.wait();
        let me = thread::current().name().unwrap_or("?").to_owned();
        stuck.then_some((me, from.name, to.name))
    };
    thread::Builder::new()
        .name(format!("transfer {}->{}", from.name, to.name))
        .spawn_scoped(s, work)
        .expect("spawn")
}

/// Move `amount` from `from` to `to`, locking the lower id first. Returns
/// None if a lock timed out (it never does once the order is fixed).
fn ordered(from: &Account, to: &Account, amount: i64) -> Option<()> {
    // New: the lower id is locked first, whichever way the money goes. Every
    // thread then waits only for a higher id than any it holds, so no chain
    // of waits can loop back: no cycle, no deadlock.
    let (mut from_balance, mut to_balance) = if from.id < to.id {
        let f = lock(from)?;
        (f, lock(to)?)
    } else {
        let t = lock(to)?;
        (lock(from)?, t)
    };
    *from_balance -= amount;
    *to_balance += amount;
    Some(())
}

/// TRANSFERS ordered transfers of 1; returns how many timed out.
fn many_ordered(from: &Account, to: &Account) -> usize {
    (0..TRANSFERS)
        .filter(|_| ordered(from, to, 1).is_none())
        .count()
}

/// `lock()` with a deadline: `None` after PATIENCE instead of waiting forever.
fn lock(account: &Account) -> Option<MutexGuard<'_, i64>> {
    account.balance.try_lock_for(PATIENCE)
}
