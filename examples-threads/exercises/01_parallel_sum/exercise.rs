// Goal: sum `numbers` in `parts` pieces, each piece on its own thread.
// The pieces are borrowed from the caller's slice, so use scoped threads
// (01_spawn_join shows spawn and join; 03_scoped_threads shows how a thread borrows).
// Done when `cargo xtask exercise check threads/01_parallel_sum` passes.

use std::thread::{self, ThreadId};

/// Sum each piece of `numbers` on a thread of its own. Returns, per piece, the
/// id of the thread that summed it and the piece's sum, in piece order.
pub fn partial_sums(numbers: &[u64], parts: usize) -> Vec<(ThreadId, u64)> {
    let piece_len = numbers.len().div_ceil(parts.max(1)).max(1);
    // TODO: run each piece's sum on its own thread inside `thread::scope`,
    // then join the handles in order. Right now every piece runs right here.
    numbers
        .chunks(piece_len)
        .map(|piece| (thread::current().id(), piece.iter().sum()))
        .collect()
}

/// The total of all the pieces.
pub fn parallel_sum(numbers: &[u64], parts: usize) -> u64 {
    partial_sums(numbers, parts)
        .iter()
        .map(|(_, sum)| sum)
        .sum()
}
