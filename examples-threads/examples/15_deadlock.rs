//! Two threads that take the same two locks in opposite orders can wait for each other forever.
//!
//! A transfer locks both accounts. If thread 1 holds alice and waits for bob
//! while thread 2 holds bob and waits for alice, each waits on the other: a
//! cycle, a deadlock. `Mutex::lock` would wait forever, so this lesson uses
//! parking_lot's `try_lock_for`, a lock with a timeout, to *detect* it. A
//! deadlock rarely shows up on demand, so a `Barrier` makes both threads take
//! their first lock before either asks for its second. 16_lock_order fixes it.
//!
//! Run:
//!
//!     cargo xtask run threads 15_deadlock
//!
//! Observe: both transfers time out; the report names each thread, the lock
//! it holds and the one it waits for, and who holds that: a cycle of 2.
//!
//! Python: `threading.Lock().acquire(timeout=0.3)` is the same detector.
//!
//! Compare: examples-async/examples/14_guard_across_await.rs (the deadlock of a std guard held across `.await`).

use std::sync::Barrier;
use std::thread;
use std::time::Duration;

// parking_lot, not std: std's Mutex has no lock-with-timeout.
use parking_lot::{Mutex, MutexGuard};

/// A bank account. Its own lock: transfers touching other accounts can run
/// at the same time, which is why a transfer needs two locks, and why their
/// order matters.
struct Account {
    name: &'static str,
    balance: Mutex<i64>,
}

/// Who was stuck: the thread's name, the lock it held, the lock it wanted.
type Stuck = (String, &'static str, &'static str);

/// How long a thread waits for a lock before calling it a deadlock. Nothing
/// here holds a lock for more than a few instructions, except the cycle, so
/// a wait this long means the cycle.
const PATIENCE: Duration = Duration::from_millis(300);

fn main() {
    let account = |name| Account {
        name,
        balance: Mutex::new(100),
    };
    let (alice, bob) = (account("alice"), account("bob"));

    // Two opposite transfers, each on a named thread (the name is what a
    // detector, a debugger or a panic message shows).
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

    // Both threads were stuck, not one: the barrier made the cycle certain.
    assert_eq!(stuck.len(), 2);
    // Nothing moved: each transfer gave up before touching a balance.
    assert_eq!([*alice.balance.lock(), *bob.balance.lock()], [100, 100]);
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

/// `lock()` with a deadline: `None` after PATIENCE instead of waiting forever.
fn lock(account: &Account) -> Option<MutexGuard<'_, i64>> {
    account.balance.try_lock_for(PATIENCE)
}
