// Tests for exercise processes/04_pipe_both_ways, shared by the starter, the
// solution and the wrong answers beside it. A frozen exchange would hang the
// test, so each runs on a thread of its own and is waited for with a bound
// far above the time it needs (milliseconds).

#[cfg(feature = "learner-04_pipe_both_ways")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-04_pipe_both_ways", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_examples-processes"))
}

/// Bounce `n` balls; fail with the learner's message if it freezes.
fn bounce(n: u64) -> Vec<u64> {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let balls: Vec<u64> = (0..n).collect();
        let _ = done.send(sut::bounce_all(exe(), &balls).map_err(|e| e.to_string()));
    });
    // The frozen thread and its child stay until the test binary exits; the
    // child then sees its pipes close and ends too.
    match finished.recv_timeout(Duration::from_secs(5)) {
        Ok(replies) => replies.expect("the exchange fails"),
        Err(_) => panic!(
            "bouncing {n} balls froze: the parent and the child each wait for the other. \
             A pipe holds only ~64 KiB: the child blocks writing replies nobody reads yet, \
             so it stops reading. Write and read at the same time"
        ),
    }
}

#[test]
fn a_few_balls_come_back_plus_one() {
    assert_eq!(bounce(3), [1, 2, 3]);
}

#[test]
fn many_balls_come_back_too() {
    // 20,000 x 8 bytes each way: well past what one pipe holds.
    let replies = bounce(20_000);
    assert_eq!(replies.len(), 20_000);
    assert!(replies.iter().enumerate().all(|(i, r)| *r == i as u64 + 1));
}
