// A data race refused: two threads may not both hold `&mut hits`.
// Lesson 04 (examples/04_send_sync.rs) shows the versions that compile.

use std::thread;

fn main() {
    let mut hits = 0u64;
    thread::scope(|s| {
        s.spawn(|| hits += 1);
        s.spawn(|| hits += 1);
    });
    println!("{hits}");
}
