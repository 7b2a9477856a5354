// Wrong answer (kept to prove the tests catch it): the wait moves to an OS
// thread of its own, but the coroutine joins that thread with std's `join`,
// which blocks the worker just the same.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Readings, in sensor order, and the most sensors that were waiting at once.
pub struct Report {
    pub readings: Vec<u64>,
    pub most_waiting_at_once: usize,
}

/// Counts the sensors waiting right now and remembers the peak.
#[derive(Default)]
struct Gauge {
    now: AtomicUsize,
    peak: AtomicUsize,
}

fn wait_for_device() {
    std::thread::spawn(|| std::thread::sleep(Duration::from_millis(20)))
        .join()
        .unwrap();
}

fn read_sensor(id: u64, gauge: &Gauge) -> u64 {
    let waiting = gauge.now.fetch_add(1, Ordering::SeqCst) + 1;
    gauge.peak.fetch_max(waiting, Ordering::SeqCst);
    wait_for_device();
    gauge.now.fetch_sub(1, Ordering::SeqCst);
    id * 3
}

/// Read `sensors` sensors, one coroutine each, and join them in order.
pub fn read_all(sensors: u64) -> Report {
    let gauge = Arc::new(Gauge::default());
    let handles: Vec<_> = (0..sensors)
        .map(|id| {
            let gauge = Arc::clone(&gauge);
            // SAFETY: no thread-locals, small stack; blocking only through may.
            unsafe { may::coroutine::spawn(move || read_sensor(id, &gauge)) }
        })
        .collect();
    let readings = handles.into_iter().map(|h| h.join().unwrap()).collect();
    Report {
        readings,
        most_waiting_at_once: gauge.peak.load(Ordering::SeqCst),
    }
}
