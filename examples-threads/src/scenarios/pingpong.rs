//! `pingpong`: two threads bounce a counter `n` times.
//!
//! Each hand-off wakes a thread that was blocked, which costs a trip through
//! the kernel scheduler: that wake-up, not the channel, is most of the
//! round-trip time. `spawn` uses std's `mpsc`; `crossbeam` a zero-capacity
//! (rendezvous) channel, where a send completes only when the peer receives.

use std::sync::mpsc;

use crossbeam::channel;
use workloads::contract::Failure;

use super::{join, spawn_named};
use crate::{timed, Outcome};

pub fn run(variant: &str, n: u64) -> Result<Outcome, Failure> {
    let (result, elapsed) = match variant {
        "spawn" => timed(|| std_channels(n)),
        "crossbeam" => timed(|| rendezvous(n)),
        other => return Err(Failure::Usage(format!("pingpong has no variant {other}"))),
    };
    let (trips, os_threads) = result?;
    Ok(Outcome {
        check: trips,
        ops: n,
        workers: 2,
        elapsed,
        os_threads,
        ..Outcome::default()
    })
}

fn std_channels(n: u64) -> Result<(u64, Option<u64>), Failure> {
    let (to_pong, pong_rx) = mpsc::channel::<u64>();
    let (to_ping, ping_rx) = mpsc::channel::<u64>();
    bounce(n, (to_pong, pong_rx), (to_ping, ping_rx))
}

fn rendezvous(n: u64) -> Result<(u64, Option<u64>), Failure> {
    let (to_pong, pong_rx) = channel::bounded::<u64>(0);
    let (to_ping, ping_rx) = channel::bounded::<u64>(0);
    bounce(n, (to_pong, pong_rx), (to_ping, ping_rx))
}

/// The game itself, the same over either kind of channel. Returns the round
/// trips and the OS threads counted once both players had started.
fn bounce<S: Give, R: Take>(
    n: u64,
    (to_pong, pong_rx): (S, R),
    (to_ping, ping_rx): (S, R),
) -> Result<(u64, Option<u64>), Failure> {
    // pong: answer every ball with ball + 1 until the channel closes.
    let pong = spawn_named("pong".into(), move || {
        while let Some(ball) = pong_rx.take() {
            if !to_ping.give(ball + 1) {
                break;
            }
        }
    })?;
    let ping = spawn_named("ping".into(), move || {
        let mut trips = 0;
        for i in 0..n {
            if !to_pong.give(i) || ping_rx.take() != Some(i + 1) {
                break;
            }
            trips += 1;
        }
        trips
    })?;
    // Both players have started and neither is joined: count the OS threads
    // now (inside the timed region, off the critical path: the main thread
    // only waits while ping and pong play).
    let os_threads = workloads::sys::os_threads();
    let trips = join(ping)?;
    join(pong)?;
    Ok((trips, os_threads))
}

/// The sending end of a channel of `u64`, for both libraries.
trait Give: Send + 'static {
    fn give(&self, ball: u64) -> bool;
}

/// The receiving end; `None` once the other side has hung up.
trait Take: Send + 'static {
    fn take(&self) -> Option<u64>;
}

impl Give for mpsc::Sender<u64> {
    fn give(&self, ball: u64) -> bool {
        self.send(ball).is_ok()
    }
}

impl Take for mpsc::Receiver<u64> {
    fn take(&self) -> Option<u64> {
        self.recv().ok()
    }
}

impl Give for channel::Sender<u64> {
    fn give(&self, ball: u64) -> bool {
        self.send(ball).is_ok()
    }
}

impl Take for channel::Receiver<u64> {
    fn take(&self) -> Option<u64> {
        self.recv().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_round_trip_completes() {
        for v in ["spawn", "crossbeam"] {
            assert_eq!(run(v, 1000).unwrap().check, 1000, "{v}");
        }
    }
}
