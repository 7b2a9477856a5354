//! A worker that crashes takes only itself down: the parent sees how it died, names the lost task, and carries on.
//!
//! A panicking thread unwinds inside the parent's process; a crashing process
//! cannot touch the parent at all. The parent learns of it in two ways: the
//! worker's end of the channel closes (so `recv` fails instead of hanging),
//! and the exit status says how it ended: an exit code (`panic!` gives 101,
//! `exit(3)` gives 3) or a signal (`abort()` is SIGABRT, and no destructor ran).
//! It is the parent's job to know which task that worker held.
//!
//! Run:
//!
//!     cargo xtask run processes 11_crashed_child
//!
//! Observe: three crashes, each reported with the task it lost and the exit
//! status; a fresh worker takes over each time and the last task succeeds.
//! The child's own panic message appears on stderr: it inherited ours.
//!
//! Python: `concurrent.futures.ProcessPoolExecutor` raises `BrokenProcessPool`;
//! `multiprocessing.Pool` can hang on a killed worker, a known trap.
//!
//! Compare: examples-threads/examples/17_panic_join.rs

use examples_processes::worker::{describe_status, Fault, FromWorker, Task, Worker};

fn main() {
    // The worker role lives in the crate (`src/worker.rs`): this program is
    // re-run as `worker <server-name>` and must play it before anything else.
    if let Some(code) = examples_processes::roles::dispatch() {
        std::process::exit(code);
    }
    let me = std::env::current_exe().unwrap();

    // Healthy, then three ways to die, then healthy again: the last task
    // proves the batch survived all three.
    let tasks = [
        Task::Ping(1),
        Task::Fault(Fault::Panic),
        Task::Fault(Fault::Abort),
        Task::Fault(Fault::Exit(3)),
        Task::Ping(41),
    ];
    // One worker at a time keeps the bookkeeping visible: the task in hand
    // is exactly the one that was lost. A pool does the same per worker.
    let mut worker = Worker::spawn(&me, 0).unwrap();
    let mut restarts = 0;
    let mut answered = Vec::new();
    for task in tasks {
        // Keep a copy: once sent, the task exists only in the worker, and
        // a dead worker cannot say what it was doing.
        worker.send(task.clone()).unwrap();
        // A crashed worker's channel closes: `recv` returns an error naming
        // the worker and its exit status (it reaps the worker to read it).
        match worker.recv() {
            Ok(FromWorker::Pong(x)) => {
                println!("{task:?} -> Pong({x}) from pid {}", worker.pid);
                answered.push(x);
            }
            // Any other reply would be a protocol bug; show it, don't hide it.
            Ok(other) => println!("{task:?} -> {other:?}"),
            Err(e) => {
                println!("{task:?} was lost: {e}");
                // Restart: a fresh process; dropping the old handle is safe,
                // it was reaped already.
                restarts += 1;
                worker = Worker::spawn(&me, restarts).unwrap();
                println!(
                    "  started worker {restarts} (pid {}) in its place",
                    worker.pid
                );
            }
        }
    }
    // A clean stop closes the task channel; the last worker exits with 0,
    // in contrast to the three statuses above.
    let status = worker.stop().map(describe_status);
    println!("{restarts} restarts; the last worker ended with {status:?}");
    assert_eq!((answered, restarts), (vec![2, 42], 3));
}
