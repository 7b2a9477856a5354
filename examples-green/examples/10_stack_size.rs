//! A may coroutine has a small fixed stack (32 KiB by default): overflow it and the guard page stops it, so size it for deep code.
//!
//! A thread's stack can be 2 MiB of address space (Rust's default, std::thread
//! docs, "Stack size") because the kernel maps
//! pages only when touched; a coroutine's stack is allocated up front, from
//! may's pool, at a fixed size that never grows. `may::config().set_stack_size`
//! sets the default and `coroutine::Builder::stack_size` one coroutine's, both
//! in machine words (8 bytes here). Below each stack sits a guard page: running
//! into it raises a fault that may's generator catches, so the coroutine
//! stops and `join()` returns `Err` instead of memory being overwritten.
//!
//! Run:
//!
//!     cargo xtask run green 10_stack_size
//!
//! Observe: recursing 1000 frames of ~1 KiB fails in a default coroutine (32
//! KiB) and succeeds with a 2 MiB one. The "stack overflow" message on stderr
//! is expected. Lower `DEPTH` to 20 and both succeed.
//!
//! Python: greenlets copy their stack slices to the heap on each switch, so
//! depth is limited by `sys.getrecursionlimit()`, not by a fixed size.

use std::hint::black_box;

use may::coroutine::{self, Builder};

// 1000 frames of ~1 KiB: about 1 MiB of stack, far past the 32 KiB default
// and well inside a 2 MiB stack.
const DEPTH: u64 = 1000;

/// A recursive walk with a 1 KiB buffer per frame, as a parser or a tree
/// traversal might have: DEPTH frames need about DEPTH KiB of stack.
fn walk(depth: u64) -> u64 {
    let frame = black_box([depth as u8; 1024]);
    if depth == 0 {
        0
    } else {
        1 + walk(depth - 1) + u64::from(frame[1023] != frame[0])
    }
}

fn main() {
    // Before the first spawn, or ignored (01_green_threads explains).
    may::config().set_workers(2).set_worker_pin(false);
    // Read back from may, not assumed: the size is in words, not bytes.
    let words = may::config().get_stack_size();
    println!(
        "default coroutine stack: {words:#x} words = {} KiB",
        words * std::mem::size_of::<usize>() / 1024
    );

    // SAFETY: this coroutine breaks the "stay inside the stack" rule on
    // purpose. The guard page turns the overflow into a fault the generator
    // crate catches; the coroutine is abandoned and `join` reports it. It
    // holds no locks and nothing that needs dropping, which is what makes
    // abandoning it harmless here. No thread-locals, no blocking calls.
    let small = unsafe { coroutine::spawn(|| walk(DEPTH)) };
    // `Err`: may caught the fault and abandoned the coroutine, and the
    // process lives on. A thread overflowing its stack aborts the process.
    match small.join() {
        Ok(depth) => println!("default stack: reached depth {depth}"),
        Err(_) => println!("default stack: overflowed before depth {DEPTH}; join returned Err"),
    }

    // New: size the stack for the work. 0x40000 words = 2 MiB, a thread's size.
    // The builder sets one coroutine's size; the pool's default is untouched.
    let big = Builder::new().stack_size(0x40000);
    // SAFETY: as above, now with room for DEPTH frames of ~1 KiB.
    let deep = unsafe { big.spawn(|| walk(DEPTH)) }.expect("a 2 MiB stack");
    let reached = deep.join().expect("the big stack holds");
    println!("2 MiB stack: reached depth {reached}");
    println!("a bigger stack costs address space per coroutine: 11_memory_and_map_count");

    assert_eq!(reached, DEPTH);
}
