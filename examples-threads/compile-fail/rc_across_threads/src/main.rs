// expect: E0277 "cannot be sent between threads safely"
// `Rc` is not `Send`: its reference count is a plain integer, so two threads
// cloning and dropping it at once could corrupt the count. Use `Arc`.

use std::rc::Rc;
use std::thread;

fn main() {
    let primes = Rc::new(vec![2u64, 3, 5, 7]);
    let handle = thread::spawn(move || primes.len());
    println!("{}", handle.join().unwrap());
}
