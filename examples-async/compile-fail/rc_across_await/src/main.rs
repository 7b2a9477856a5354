// expect: no-code "future cannot be sent between threads safely"
// An `Rc` held across an `.await` inside a spawned task. The multi-thread
// runtime may resume the task on another worker, and `Rc`'s count is not
// atomic, so the task is not `Send` and `tokio::spawn` refuses it.
use std::rc::Rc;

// A runtime built by hand rather than `#[tokio::main]`: the macro would
// make this check build a proc-macro and its parser first.
fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(run());
}

async fn run() {
    tokio::spawn(async {
        let primes = Rc::new(vec![2u64, 3, 5, 7]);
        tokio::task::yield_now().await;
        println!("{}", primes.len());
    });
}
