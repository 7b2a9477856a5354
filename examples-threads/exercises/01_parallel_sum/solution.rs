// Goal: sum `numbers` in `parts` pieces, each piece on its own thread.
// Reference solution: the changed lines are marked with ^^^.

use std::thread::{self, ThreadId};

/// Sum each piece of `numbers` on a thread of its own. Returns, per piece, the
/// id of the thread that summed it and the piece's sum, in piece order.
pub fn partial_sums(numbers: &[u64], parts: usize) -> Vec<(ThreadId, u64)> {
    let piece_len = numbers.len().div_ceil(parts.max(1)).max(1);
    thread::scope(|s| {
        // ^^^ the scope joins every thread before it returns, so they may borrow `numbers`
        let handles: Vec<_> = numbers
            .chunks(piece_len)
            .map(|piece| s.spawn(move || (thread::current().id(), piece.iter().sum())))
            // ^^^ one scoped thread per piece, spawned before any is joined
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a summing thread panicked"))
            .collect()
        // ^^^ join in spawn order, so the results stay in piece order
    })
}

/// The total of all the pieces.
pub fn parallel_sum(numbers: &[u64], parts: usize) -> u64 {
    partial_sums(numbers, parts)
        .iter()
        .map(|(_, sum)| sum)
        .sum()
}
