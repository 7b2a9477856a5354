// Goal: sum `numbers` in `parts` pieces, the pieces summed at the same time,
// each on a thread of its own. The pieces are borrowed from the caller's slice,
// so use scoped threads (threads/01_spawn_join shows spawn and join;
// threads/03_scoped_threads shows how a thread borrows).
// Done when `cargo xtask exercise check threads/01_parallel_sum` passes.

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
    // TODO: give each piece a thread of its own inside `thread::scope`, so
    // the pieces are summed at the same time; keep the results in piece order.
    numbers
        .chunks(piece_len)
        .map(|piece| (thread::current().id(), sum_piece(piece)))
        .collect()
}

/// The total of all the pieces.
pub fn parallel_sum(numbers: &[u64], parts: usize) -> u64 {
    partial_sums(numbers, parts, |piece| piece.iter().sum())
        .iter()
        .map(|(_, sum)| sum)
        .sum()
}
