// Goal: sum `numbers` in `parts` pieces, the pieces summed at the same time.
// Reference solution: the changed lines are marked with ^^^.

use std::thread::{self, ThreadId};

/// Sum each piece of `numbers` with `sum_piece`, every piece on a thread of
/// its own, all at once. Returns, per piece, the id of the thread that summed
/// it and the piece's sum, in piece order.
pub fn partial_sums(
    numbers: &[u64],
    parts: usize,
    sum_piece: impl Fn(&[u64]) -> u64 + Sync,
) -> Vec<(ThreadId, u64)> {
    let piece_len = numbers.len().div_ceil(parts.max(1)).max(1);
    let sum_piece = &sum_piece;
    // ^^^ a shared reference: every thread may call it (it is `Sync`)
    thread::scope(|s| {
        // ^^^ the scope joins every thread before it returns, so they may borrow `numbers`
        let handles: Vec<_> = numbers
            .chunks(piece_len)
            .map(|piece| s.spawn(move || (thread::current().id(), sum_piece(piece))))
            // ^^^ one scoped thread per piece, ALL spawned before any is joined
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
    partial_sums(numbers, parts, |piece| piece.iter().sum())
        .iter()
        .map(|(_, sum)| sum)
        .sum()
}
