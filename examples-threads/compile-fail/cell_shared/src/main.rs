// expect: E0277 "cannot be shared between threads safely"
// `Cell` is not `Sync`: it allows mutation through a shared `&`, which is only
// safe while one thread can see it. Use an atomic or a `Mutex`.

use std::cell::Cell;
use std::thread;

fn main() {
    let hits = Cell::new(0u64);
    thread::scope(|s| {
        s.spawn(|| hits.set(hits.get() + 1));
        s.spawn(|| hits.set(hits.get() + 1));
    });
    println!("{}", hits.get());
}
