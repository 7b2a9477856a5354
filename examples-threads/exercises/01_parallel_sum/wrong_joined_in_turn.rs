// Wrong answer (kept to prove the tests catch it): every piece gets a thread
// of its own, but each is joined before the next is spawned, so the pieces
// run one after another. Distinct thread ids, the right sums, no overlap.

use std::thread::{self, ThreadId};

pub fn partial_sums(
    numbers: &[u64],
    parts: usize,
    sum_piece: impl Fn(&[u64]) -> u64 + Sync,
) -> Vec<(ThreadId, u64)> {
    let piece_len = numbers.len().div_ceil(parts.max(1)).max(1);
    let sum_piece = &sum_piece;
    thread::scope(|s| {
        numbers
            .chunks(piece_len)
            .map(|piece| {
                s.spawn(move || (thread::current().id(), sum_piece(piece)))
                    .join()
                    .unwrap()
            })
            .collect()
    })
}

pub fn parallel_sum(numbers: &[u64], parts: usize) -> u64 {
    partial_sums(numbers, parts, |piece| piece.iter().sum())
        .iter()
        .map(|(_, sum)| sum)
        .sum()
}
