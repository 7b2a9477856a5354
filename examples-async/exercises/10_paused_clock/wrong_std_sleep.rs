// Wrong answer (kept to prove the tests catch it): the clock is paused, but
// the back-off blocks in `std::thread::sleep`, which no tokio clock controls:
// the seconds really pass (and block the runtime while they do).
use std::future::pending;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::time::Duration;

use tokio::runtime::Runtime;
use tokio::time::{sleep, timeout, Instant};

/// Each try is cut off after this long.
pub const PER_TRY: Duration = Duration::from_secs(5);
/// The whole retry gives up after this long.
pub const GIVE_UP: Duration = Duration::from_secs(30);

/// The runtime the tests run `fetch_with_retry` on.
pub fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap()
}

/// What `fetch_with_retry` reports.
#[derive(Debug, PartialEq)]
pub struct Outcome {
    pub answer: Option<u32>,
    pub attempts: u32,
    pub took: Duration,
}

/// Call `service` until it answers, each try cut off after `PER_TRY`, the
/// pause between tries doubling from 1 s; give up after `GIVE_UP`.
pub async fn fetch_with_retry(service: &Service) -> Outcome {
    let start = Instant::now();
    let mut attempts = 0;
    let answer = timeout(GIVE_UP, async {
        let mut pause = Duration::from_secs(1);
        loop {
            attempts += 1;
            if let Ok(Ok(answer)) = timeout(PER_TRY, service.call()).await {
                return answer;
            }
            std::thread::sleep(pause);
            pause *= 2;
        }
    })
    .await
    .ok();
    let took = start.elapsed();
    Outcome {
        answer,
        attempts,
        took,
    }
}

/// A service that fails its first `failures` calls, or never answers at all.
/// The tests build it; leave it as it is.
pub struct Service {
    failures: u32,
    hangs: bool,
    calls: AtomicU32,
}

impl Service {
    pub fn new(failures: u32, hangs: bool) -> Service {
        let calls = AtomicU32::new(0);
        Service {
            failures,
            hangs,
            calls,
        }
    }

    /// One call: 100 ms on the network, then an answer, an error, or nothing.
    pub async fn call(&self) -> Result<u32, &'static str> {
        let n = self.calls.fetch_add(1, Relaxed) + 1;
        sleep(Duration::from_millis(100)).await;
        if self.hangs {
            pending::<()>().await;
        }
        if n <= self.failures {
            Err("unavailable")
        } else {
            Ok(42)
        }
    }
}
