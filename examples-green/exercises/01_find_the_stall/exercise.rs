// Goal: read 20 sensors at once on ONE may worker. Each reading waits 20 ms
// for its device, and the 20 waits should overlap; today they don't. Find out
// why and fix it (green/05_std_blocking_trap and green/02_stackful_blocking help).
// Done when `cargo xtask exercise check green/01_find_the_stall` passes.

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
    std::thread::sleep(Duration::from_millis(20));
}

fn read_sensor(id: u64, gauge: &Gauge) -> u64 {
    let waiting = gauge.now.fetch_add(1, Ordering::SeqCst) + 1;
    gauge.peak.fetch_max(waiting, Ordering::SeqCst);
    wait_for_device();
    gauge.now.fetch_sub(1, Ordering::SeqCst);
    id * 3
}

/// Read `sensors` sensors, one coroutine each, and join them in order.
// TODO: make the readings' waits overlap on the one worker.
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
