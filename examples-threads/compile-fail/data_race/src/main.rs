// expect: E0499 "cannot borrow `hits` as mutable more than once at a time"
// A data race refused: two threads may not both hold `&mut hits`.

use std::thread;

fn main() {
    let mut hits = 0u64;
    thread::scope(|s| {
        s.spawn(|| hits += 1);
        s.spawn(|| hits += 1);
    });
    println!("{hits}");
}
