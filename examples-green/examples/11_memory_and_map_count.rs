//! A parked coroutine costs about a parked thread's resident memory; what it saves is kernel memory and address space, and `vm.max_map_count` is the limit that binds.
//!
//! Both kinds of unit touch only a page or two of their stacks, so VmRSS grows
//! by a similar few KiB each (printed). A thread also costs a kernel task with
//! its own kernel stack and page tables (invisible in VmRSS) and 2 MiB of
//! address space (std::thread docs); a coroutine costs neither, only its
//! stack (32 KiB by default, 10_stack_size). But each stack is its own memory
//! mapping plus a guard page, and a process may have only `vm.max_map_count`
//! mappings (65530 by default: DEFAULT_MAX_MAP_COUNT in include/linux/mm.h),
//! which caps live coroutines at about half that; the lesson prints the room
//! left. A burst spawned from inside a coroutine keeps every not-yet-run one
//! alive, so it must be checked against that limit before it starts.
//!
//! Run:
//!
//!     cargo xtask run green 11_memory_and_map_count
//!
//! Observe: per unit, similar RSS, far less kernel memory and virtual size for
//! coroutines, 1-2 mappings each (half of these stacks come from may's pool,
//! mapped at start-up, beyond it each costs 2); the 100k burst is refused with the reason,
//! a smaller one runs. The kernel figure is system-wide: keep the machine quiet.
//!
//! Python: a greenlet lives on the heap, a Python thread is an OS thread as here.

use std::sync::{Arc, Barrier};

use may::coroutine;
use workloads::sys::{check_units, kernel_kib, map_count, max_map_count, vm_rss_kib, UnitCost};

// 2000 of each: enough for the slope to drown the noise of one allocation,
// few enough that even threads start in a fraction of a second.
const UNITS: usize = 2000;

/// (VmRSS KiB, kernel KiB, mappings, VmSize KiB): what one snapshot shows.
fn snapshot() -> [f64; 4] {
    let vm_size = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmSize:"))?.to_string();
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0);
    [vm_rss_kib(), kernel_kib(), map_count(), Some(vm_size)].map(|v| v.unwrap_or(0) as f64)
}

/// Park `UNITS` units made by `spawn`, and return the growth per unit.
/// `spawn` starts one unit parked on a barrier of two and returns the
/// closure that releases and joins it.
fn per_unit(spawn: impl Fn() -> Box<dyn FnOnce()>) -> [f64; 4] {
    let before = snapshot();
    let release: Vec<_> = (0..UNITS).map(|_| spawn()).collect();
    // Let every unit reach its barrier before measuring. main is an OS
    // thread, so std's sleep is right here.
    std::thread::sleep(std::time::Duration::from_millis(50));
    let after = snapshot();
    release.into_iter().for_each(|release| release());
    [0, 1, 2, 3].map(|i| (after[i] - before[i]) / UNITS as f64)
}

fn main() {
    // Before the first spawn, or ignored (01_green_threads explains).
    may::config().set_workers(2).set_worker_pin(false);
    // SAFETY (every coroutine here): no thread-locals, tiny stacks; they block
    // only on may's Barrier, which parks the coroutine, never the worker.
    unsafe { coroutine::spawn(|| ()) }.join().unwrap(); // fill may's stack pool first

    // The same measurement for both kinds of unit: only `spawn` differs.
    let co = per_unit(|| {
        // may's Barrier: it parks the coroutine, so the worker stays free
        // to start the next one (std's would block the worker).
        let parked = Arc::new(may::sync::Barrier::new(2));
        let waiter = Arc::clone(&parked);
        let h = unsafe {
            coroutine::spawn(move || {
                waiter.wait();
            })
        };
        // The release: main's side of the barrier, then the join.
        Box::new(move || {
            parked.wait();
            h.join().unwrap();
        })
    });
    // Changed: an OS thread parked on std's Barrier.
    let th = per_unit(|| {
        let parked = Arc::new(Barrier::new(2));
        let waiter = Arc::clone(&parked);
        let h = std::thread::spawn(move || {
            waiter.wait();
        });
        Box::new(move || {
            parked.wait();
            h.join().unwrap();
        })
    });
    // Per unit, from the slopes: the fixed costs of the process cancel out.
    for (name, [rss, kernel, maps, virt]) in [("coroutine", co), ("thread", th)] {
        println!("per parked {name:<9}: {rss:5.1} KiB RSS, {kernel:5.1} KiB kernel, {maps:.1} mappings, {virt:6.0} KiB virtual");
    }

    // The limit that binds: mappings. Check a burst before making it.
    // Off Linux there is no /proc: fall back to the kernel's default limit.
    let (limit, now) = (max_map_count().unwrap_or(65530), map_count().unwrap_or(0));
    // Two mappings per coroutine: its stack and the guard page below it.
    let cost = UnitCost {
        mappings: 2,
        ..UnitCost::default()
    };
    println!(
        "vm.max_map_count = {limit}, {now} in use: room for about {} coroutines",
        (limit - now) / 2
    );
    // The check costs nothing; a burst past the limit panics mid-spawn
    // ("failed to alloc sys stack"), with thousands of coroutines half made.
    for burst in [100_000u64, 10_000] {
        if let Err(hit) = check_units(burst, cost) {
            println!("burst of {burst}: refused before spawning ({})", hit.reason);
            continue;
        }
        let spawner = unsafe {
            coroutine::spawn(move || {
                // Spawned from a coroutine, they wait until the spawner pauses:
                // all `burst` stacks are mapped at once.
                let hs: Vec<_> = (0..burst).map(|_| coroutine::spawn(|| ())).collect();
                hs.into_iter().filter(|h| h.is_done()).count()
            })
        };
        // How many ran before the spawner first paused: few or none.
        let done_early = spawner.join().unwrap();
        println!("burst of {burst} from inside a coroutine: ran, {done_early} had finished before the spawner paused");
    }
    // Parked coroutines use far less kernel memory than parked threads (the
    // kernel figure is 0 where /proc/meminfo is missing: then skip).
    assert!(co[1] < th[1] || th[1] == 0.0);
}
