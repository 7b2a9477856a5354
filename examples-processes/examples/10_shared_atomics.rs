//! Processes share mutable memory only on purpose: map one file `MAP_SHARED`, and an atomic in it counts for all of them.
//!
//! Memory is private per process (`02_memory_isolation`) unless two processes
//! map the same object. The parent makes an in-memory file (`memfd_create`)
//! of one page; each child, this program re-run, maps it through a descriptor
//! it inherited, so one physical page appears in every process, at a different
//! address in each. `fetch_add` on an `AtomicU64` there is one indivisible
//! read-modify-write on that memory, whichever process runs it.
//!
//! A `std::sync::Mutex` cannot go there: std's Linux lock parks a waiter on a
//! *private* futex (`FUTEX_PRIVATE_FLAG` in std's `sys/pal/unix/futex.rs`),
//! which the kernel looks up per process, so an unlock in one process never
//! wakes a waiter in another (futex(2): https://man7.org/linux/man-pages/man2/futex.2.html);
//! and a holder that dies leaves it locked. A lock across processes needs
//! process-shared, robust semantics (`PTHREAD_PROCESS_SHARED`, `PTHREAD_MUTEX_ROBUST`).
//!
//! Run:
//!
//!     cargo xtask run processes 10_shared_atomics
//!
//! Observe: 4 children each add 1 two million times to one counter, at once:
//! the parent sees exactly 8000000. With `MAP_PRIVATE` instead, it sees +0.
//!
//! Python: `multiprocessing.Value("q", 0)` (its default lock is a
//! process-shared semaphore) or `multiprocessing.shared_memory.SharedMemory`.
//!
//! Compare: examples-threads/examples/05_atomics.rs

use std::sync::atomic::{AtomicU64, Ordering};

use examples_processes::os::child_command;

const CHILDREN: u64 = 4;
/// Enough adds that the children overlap (each prints how long its adds
/// took, against the few ms a start takes), so they contend for the counter.
const ADDS: u64 = 2_000_000;
/// One page: the smallest unit the kernel maps, plenty for one counter.
const PAGE: usize = 4096;

/// Map the memfd `fd` and view its first 8 bytes as a counter.
/// `MAP_SHARED`: writes go to the file, which every mapper sees.
/// `MAP_PRIVATE`: the first write copies the page for this process alone.
fn counter(fd: i32, flags: i32) -> &'static AtomicU64 {
    let rw = libc::PROT_READ | libc::PROT_WRITE;
    // SAFETY: a fresh mapping at an address the kernel picks; nothing else
    // in this process aliases it.
    let p = unsafe { libc::mmap(std::ptr::null_mut(), PAGE, rw, flags, fd, 0) };
    assert_ne!(p, libc::MAP_FAILED, "{}", std::io::Error::last_os_error());
    // SAFETY: page-aligned, so aligned for u64; the file starts zeroed, a
    // valid AtomicU64. The mapping is never unmapped, so 'static holds (the
    // process's exit unmaps it). Atomics make sharing with others sound.
    unsafe { &*(p as *const AtomicU64) }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("child") {
        let fd: i32 = args[2].parse().unwrap();
        let flags = if args[3] == "shared" {
            libc::MAP_SHARED
        } else {
            libc::MAP_PRIVATE
        };
        let count = counter(fd, flags);
        // Relaxed is enough: the total is all we read, and the parent reads
        // it only after `wait`, which the kernel orders after our exit.
        let t = std::time::Instant::now();
        for _ in 0..ADDS {
            count.fetch_add(1, Ordering::Relaxed);
        }
        let (pid, took) = (std::process::id(), t.elapsed());
        println!("  child {pid}: counter at {count:p}, {ADDS} adds in {took:.1?}");
        return;
    }

    // No MFD_CLOEXEC: the descriptor must survive the children's exec. Every
    // child we start inherits it, so a real program would pass it to the
    // intended child only (over a Unix socket, as ipc-channel does).
    // SAFETY: a NUL-terminated name; memfd_create has no other preconditions.
    let fd = unsafe { libc::memfd_create(c"counter".as_ptr(), 0) };
    assert!(fd >= 0, "memfd_create: {}", std::io::Error::last_os_error());
    // SAFETY: `fd` is our open memfd; the new bytes read as zero.
    assert_eq!(unsafe { libc::ftruncate(fd, PAGE as libc::off_t) }, 0);
    let total = counter(fd, libc::MAP_SHARED);
    println!("parent: counter at {total:p}");

    for mode in ["shared", "private"] {
        // Start every child before waiting for any, so they really add at
        // the same time: a plain `+=` would lose updates here, fetch_add not.
        let before = total.load(Ordering::Relaxed);
        let me = std::env::current_exe().unwrap();
        let children: Vec<_> = (0..CHILDREN)
            .map(|_| {
                let fd = fd.to_string();
                child_command(&me)
                    .args(["child", &fd, mode])
                    .spawn()
                    .unwrap()
            })
            .collect();
        // `wait` reaps each child; a finished child has done all its adds.
        for mut c in children {
            assert!(c.wait().unwrap().success());
        }
        let added = total.load(Ordering::Relaxed) - before;
        println!(
            "MAP_{}: {CHILDREN} x {ADDS} adds -> the parent sees +{added}",
            mode.to_uppercase()
        );
        // Shared: every add landed in the one page. Private: each child
        // wrote its own copy of the page, thrown away when it exited.
        let want = if mode == "shared" { CHILDREN * ADDS } else { 0 };
        assert_eq!(added, want);
    }
    // SAFETY: our descriptor, closed once; the mapping stays valid without it.
    unsafe { libc::close(fd) };
}
