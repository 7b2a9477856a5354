// Tests for exercise threads/01_parallel_sum, shared by the starter, the
// solution and the wrong answers beside it. `cargo xtask exercise check` turns
// on the learner feature; `cargo xtask test` also runs them against each
// `wrong_*.rs` (feature `wrong-answers`, target `wrong_answers`).

#[cfg(feature = "learner-01_parallel_sum")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-01_parallel_sum", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

use std::collections::HashSet;
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

#[test]
fn sums_are_right() {
    let numbers: Vec<u64> = (1..=1000).collect();
    for parts in [1, 2, 3, 7, 1000, 5000] {
        assert_eq!(
            sut::parallel_sum(&numbers, parts),
            500_500,
            "with {parts} parts"
        );
    }
    assert_eq!(sut::parallel_sum(&[], 4), 0);
}

#[test]
fn pieces_stay_in_order() {
    let numbers: Vec<u64> = (0..10).collect();
    let sums: Vec<u64> = sut::partial_sums(&numbers, 5, |p| p.iter().sum())
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    assert_eq!(sums, [1, 5, 9, 13, 17]);
}

#[test]
fn every_piece_runs_on_a_thread_of_its_own() {
    let numbers: Vec<u64> = (0..4000).collect();
    let pieces = sut::partial_sums(&numbers, 4, |p| p.iter().sum());
    assert_eq!(pieces.len(), 4);
    let ids: HashSet<_> = pieces.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        ids.len(),
        4,
        "4 pieces should be summed by 4 different threads"
    );
    assert!(
        !ids.contains(&thread::current().id()),
        "a piece was summed on the calling thread, not on a spawned one"
    );
}

/// A rendezvous: each piece waits here until all `parts` are inside at once,
/// at most `BOUND` (100x what threads running together need). Pieces run one
/// after another never meet, and the first timeout lets every later one pass,
/// so a sequential answer fails in about 2 s, not 2 s per piece.
struct Meeting {
    state: Mutex<(usize, usize, bool)>, // (inside now, most inside at once, gave up)
    all_in: Condvar,
}

const BOUND: Duration = Duration::from_secs(2);

impl Meeting {
    fn wait(&self, parts: usize) {
        let mut s = self.state.lock().unwrap();
        s.0 += 1;
        s.1 = s.1.max(s.0);
        self.all_in.notify_all();
        let (mut s, timeout) = self
            .all_in
            .wait_timeout_while(s, BOUND, |s| s.1 < parts && !s.2)
            .unwrap();
        s.2 |= timeout.timed_out();
        self.all_in.notify_all();
        s.0 -= 1;
    }
}

#[test]
fn the_pieces_run_at_the_same_time() {
    let parts = 4;
    let meeting = Meeting {
        state: Mutex::new((0, 0, false)),
        all_in: Condvar::new(),
    };
    let numbers: Vec<u64> = (0..400).collect();
    let pieces = sut::partial_sums(&numbers, parts, |piece| {
        meeting.wait(parts);
        piece.iter().sum()
    });
    assert_eq!(pieces.iter().map(|(_, s)| s).sum::<u64>(), 79_800);
    let most = meeting.state.lock().unwrap().1;
    assert_eq!(
        most, parts,
        "the {parts} pieces never ran at the same time (at most {most} at once): \
         was each thread joined before the next was spawned? Spawn them all, then join"
    );
}
