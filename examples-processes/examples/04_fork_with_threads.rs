//! Forking a threaded program copies only the calling thread: a lock another thread held at that moment stays locked in the child forever.
//!
//! fork(2) gives the child one thread, a copy of the caller; the other threads
//! do not exist there, but their memory is copied as it was, mid-work. A mutex
//! one of them held is copied *locked*, with no owner left to unlock it, and
//! unlocking it in the parent changes nothing: the child has its own copy.
//! Hence POSIX allows such a child only async-signal-safe calls until it
//! execs (malloc and stdout take locks too: https://man7.org/linux/man-pages/man2/fork.2.html),
//! and hence spawn and forkserver (`03_start_methods`) fork no threaded parent.
//!
//! Run:
//!
//!     cargo xtask run processes 04_fork_with_threads
//!
//! Observe: the parent has 2 threads, the child 1. The parent gets the lock
//! as soon as its holder lets go; the child's `try_lock` still fails after
//! 50 tries over 500 ms, and it says so by its exit code.
//!
//! Break: `cargo xtask run processes 04_fork_with_threads -- --break` makes the
//! child call `lock()` instead: it sleeps forever in the kernel. The parent's
//! 1 s deadline notices, shows the child's state, then kills and reaps it.
//!
//! Python: `os.fork()` with threads running; since 3.12 Python warns "This
//! process is multi-threaded, use of fork() may lead to deadlocks in the child".

use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

/// The lock a worker thread happens to hold when the main thread forks.
static LEDGER: Mutex<u64> = Mutex::new(0);
/// The child's exit code when it never got the lock.
const STILL_LOCKED: i32 = 42;

/// "Threads:" of /proc/PID/status: how many threads the process has now.
fn threads(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("Threads:"));
    line.map_or("n/a".into(), |l| l[8..].trim().to_string())
}

/// The child's whole life. Only async-signal-safe work here: an atomic
/// compare-and-swap (`try_lock`), nanosleep, _exit. No println, no allocation:
/// their locks may be held by a thread that no longer exists.
fn child(block: bool) -> ! {
    if block {
        // `--break`: wait for an unlock that can never come.
        let _forever = LEDGER.lock();
    }
    let pause = libc::timespec {
        tv_sec: 0,
        tv_nsec: 10_000_000,
    };
    for _ in 0..50 {
        if LEDGER.try_lock().is_ok() {
            unsafe { libc::_exit(0) }; // SAFETY: _exit is async-signal-safe.
        }
        // SAFETY: a valid timespec; nanosleep is async-signal-safe.
        unsafe { libc::nanosleep(&pause, std::ptr::null_mut()) };
    }
    unsafe { libc::_exit(STILL_LOCKED) } // SAFETY: as above.
}

fn main() {
    let block = std::env::args().any(|a| a == "--break");
    // A worker thread takes the lock and holds it until told to let go:
    // in a real program, a logger mid-write or an allocator mid-malloc.
    // The channels make the timing certain instead of racing a sleep.
    let (locked_tx, locked) = mpsc::channel();
    let (release, release_rx) = mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let guard = LEDGER.lock().unwrap();
        locked_tx.send(()).unwrap();
        let _ = release_rx.recv();
        drop(guard);
    });
    locked.recv().unwrap();

    // Fork from the main thread while the holder holds LEDGER. Rust's own
    // `Command` never returns to user code in the child: it execs at once,
    // which is why `CommandExt::pre_exec` (code run in between) is unsafe.
    // SAFETY: the child runs only `child`, which keeps to the rules above.
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        child(block);
    }
    assert!(pid > 0, "fork failed");
    // The kernel lists each process's threads in /proc: read the child's from
    // here, since printing in the child is exactly what it must not do.
    std::thread::sleep(Duration::from_millis(50)); // let the child start
    let me = std::process::id();
    println!(
        "parent {me}: {} threads; child {pid}: {} thread",
        threads(me),
        threads(pid as u32)
    );

    // The holder lets go; in the parent the lock is free at once. The child's
    // LEDGER is a copy-on-write page: this unlock writes the parent's page only.
    release.send(()).unwrap();
    holder.join().unwrap();
    println!(
        "parent: holder released LEDGER; parent's lock() -> {}",
        LEDGER.lock().is_ok()
    );

    // Wait for the child with a deadline: a process in `lock()` never returns,
    // and a plain `waitpid` would hang this lesson with it. WNOHANG polls.
    let (start, mut status) = (Instant::now(), 0);
    // SAFETY: `status` is a valid out-pointer; `pid` is our child.
    while unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) } == 0 {
        if start.elapsed() > Duration::from_secs(1) {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let state = stat.rsplit(") ").next().and_then(|r| r.get(..1));
            println!("child: still blocked in lock() after 1 s, state {state:?} (S = asleep in the kernel)");
            println!("child: nobody will ever unlock its copy of LEDGER: killing and reaping it");
            // SAFETY: SIGKILL to our own child, then reap it (blocking is fine now).
            unsafe { libc::kill(pid, libc::SIGKILL) };
            unsafe { libc::waitpid(pid, &mut status, 0) };
            assert!(block);
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // The normal run: the child gave up after its 50 tries and said so.
    let code = libc::WEXITSTATUS(status);
    println!("child: exit code {code}: its LEDGER was locked on every try, 500 ms after the parent's was free");
    assert_eq!(code, STILL_LOCKED);
}
