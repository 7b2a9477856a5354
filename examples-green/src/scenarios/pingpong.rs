//! `pingpong`: two coroutines bounce a counter `n` times over may's channels.
//!
//! A may channel's `recv` parks the coroutine, not the OS thread: the hand-off
//! is a switch between two stacks in user space, plus a wake-up of the other
//! worker when the peer runs there. No kernel scheduler on the common path,
//! which is why it is tens of times cheaper than a blocking round trip between
//! two OS threads here.

use may::sync::mpsc;
use workloads::contract::Failure;

use super::{go, join};
use crate::{timed, Outcome};

pub fn run(n: u64) -> Result<Outcome, Failure> {
    let (result, elapsed) = timed(|| -> Result<(u64, Option<u64>), Failure> {
        let (to_pong, pong_rx) = mpsc::channel::<u64>();
        let (to_ping, ping_rx) = mpsc::channel::<u64>();
        // pong: answer every ball with ball + 1 until the channel closes.
        let pong = go(move || {
            while let Ok(ball) = pong_rx.recv() {
                if to_ping.send(ball + 1).is_err() {
                    break;
                }
            }
        })?;
        let ping = go(move || {
            let mut trips = 0;
            for i in 0..n {
                if to_pong.send(i).is_err() || ping_rx.recv() != Ok(i + 1) {
                    break;
                }
                trips += 1;
            }
            trips
            // `to_pong` drops here, which ends pong's loop.
        })?;
        // Both players are spawned and neither is joined: count the OS
        // threads from this main thread now (inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        let trips = join(ping)?;
        join(pong)?;
        Ok((trips, os_threads))
    });
    let (trips, os_threads) = result?;
    Ok(Outcome {
        check: trips,
        ops: n,
        elapsed,
        os_threads,
        ..Outcome::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_round_trip_completes() {
        super::super::test_runtime();
        assert_eq!(run(2000).unwrap().check, 2000);
    }
}
