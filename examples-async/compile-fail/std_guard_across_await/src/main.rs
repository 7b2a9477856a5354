// expect: no-code "future cannot be sent between threads safely"
// A std `MutexGuard` held across an `.await` inside a spawned task.
// On a current_thread runtime this task would park with the lock taken, and
// the next task to call `lock()` would block the only thread: a deadlock.
// The guard is not `Send`, so `tokio::spawn` refuses the task at compile time.
use std::sync::{Arc, Mutex};
use std::time::Duration;

// A runtime built by hand rather than `#[tokio::main]`: the macro would
// make this check build a proc-macro and its parser first.
fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(run());
}

async fn run() {
    let balance = Arc::new(Mutex::new(100u64));
    let shared = Arc::clone(&balance);
    tokio::spawn(async move {
        let mut guard = shared.lock().unwrap();
        tokio::time::sleep(Duration::from_millis(10)).await;
        *guard -= 1;
    });
}
