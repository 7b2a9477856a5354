// An `Rc` held across an `.await` inside a spawned task. The multi-thread
// runtime may resume the task on another worker, and `Rc`'s count is not
// atomic, so the task is not `Send` and `tokio::spawn` refuses it.
// `tokio::task::spawn_local` on a `LocalSet` accepts it (lesson 09).
use std::rc::Rc;

#[tokio::main]
async fn main() {
    tokio::spawn(async {
        let primes = Rc::new(vec![2u64, 3, 5, 7]);
        tokio::task::yield_now().await;
        println!("{}", primes.len());
    });
}
