//! `pingpong`: two tasks bounce a counter `n` times over tokio channels.
//!
//! On `current-thread` a hand-off is a function call's worth of work: the
//! sender marks the receiver's task ready, and the same thread polls it next.
//! No OS thread sleeps or wakes, which is why this is far cheaper than two
//! threads blocking on a channel. On `multi-thread` the two tasks may sit on
//! different workers, and waking a parked worker costs a trip through the
//! kernel again.

use tokio::sync::mpsc;
use workloads::contract::Failure;

use super::{block_on_timed, joined};
use crate::{runtime, Outcome};

pub fn run(variant: &str, n: u64, workers: usize) -> Result<Outcome, Failure> {
    let (rt, threads, startup) = runtime(variant, workers)?;
    let (result, elapsed) = block_on_timed(&rt, async move {
        // Capacity 1: each side waits for the other, as in a real exchange.
        let (to_pong, mut pong_rx) = mpsc::channel::<u64>(1);
        let (to_ping, mut ping_rx) = mpsc::channel::<u64>(1);
        let pong = tokio::spawn(async move {
            while let Some(ball) = pong_rx.recv().await {
                if to_ping.send(ball + 1).await.is_err() {
                    break;
                }
            }
        });
        let ping = tokio::spawn(async move {
            let mut trips = 0;
            for i in 0..n {
                if to_pong.send(i).await.is_err() || ping_rx.recv().await != Some(i + 1) {
                    break;
                }
                trips += 1;
            }
            trips
            // Dropping `to_pong` here ends pong's loop.
        });
        // Both players are spawned and neither is awaited: count the OS
        // threads now (inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        let trips = joined(ping.await)?;
        joined(pong.await)?;
        Ok::<_, Failure>((trips, os_threads))
    });
    let (trips, os_threads) = result?;
    Ok(Outcome {
        check: trips,
        ops: n,
        workers: threads,
        startup,
        elapsed,
        memory: None,
        os_threads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_round_trip_completes() {
        for v in crate::FLAVOURS {
            assert_eq!(run(v, 1000, 2).unwrap().check, 1000, "{v}");
        }
    }
}
