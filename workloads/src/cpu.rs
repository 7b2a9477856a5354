//! The CPU-bound kernel: count the primes below `n` by trial division.
//!
//! Trial division is deliberately naive: its cost per number grows with the
//! number (about `sqrt(k)` divisions for a prime `k`), so the work is uneven
//! along the range. That unevenness is the point of the scheduling lessons:
//! splitting `0..n` into two contiguous halves gives the second worker more
//! work, and striding by the worker count gives one worker all the even
//! numbers (instant) and the other all the odd ones. The fair split is many
//! small chunks handed out as workers free up: see [`chunk`] and [`CHUNKS`].
//!
//! The reference answer ([`reference_prime_count`]) uses a different
//! algorithm (a sieve), so a scenario's `check` is verified independently.

use std::ops::Range;

/// How many chunks `0..n` is cut into. Many more chunks than workers, so a
/// worker that drew cheap numbers simply takes another chunk; few enough that
/// taking a chunk (one atomic add, one channel message, one IPC round trip)
/// costs nothing next to the chunk's work.
pub const CHUNKS: usize = 256;

/// The largest `n` the scenarios accept: above it a serial run takes minutes
/// and the reference sieve needs more memory than a workshop laptop spares.
pub const MAX_N: u64 = 200_000_000;

/// Is `k` prime? Trial division by 2, 3 and then 6i +/- 1.
///
/// `#[inline]` so a caller in another crate (a lesson testing one number at a
/// time) gets the same code as the chunked kernel here.
#[inline]
pub fn is_prime(k: u64) -> bool {
    if k < 2 {
        return false;
    }
    if k < 4 {
        return true;
    }
    if k.is_multiple_of(2) || k.is_multiple_of(3) {
        return false;
    }
    let mut d = 5;
    while d * d <= k {
        if k.is_multiple_of(d) || k.is_multiple_of(d + 2) {
            return false;
        }
        d += 6;
    }
    true
}

/// Count the primes in `range` (the unit of work every model hands out).
pub fn count_primes_in(range: Range<u64>) -> u64 {
    range.filter(|&k| is_prime(k)).count() as u64
}

/// Count the primes below `n` on the calling thread: the serial baseline.
pub fn count_primes_below(n: u64) -> u64 {
    count_primes_in(0..n)
}

/// The `i`-th of [`CHUNKS`] near-equal chunks of `0..n`.
///
/// Chunks are contiguous and cover `0..n` exactly once, whatever `n` is.
/// Models hand out chunk *indices* (an atomic counter, a channel, a message
/// to a worker process), and each worker calls this to get its range.
pub fn chunk(n: u64, i: usize) -> Range<u64> {
    assert!(i < CHUNKS, "chunk index {i} out of 0..{CHUNKS}");
    let at = |j: usize| (n as u128 * j as u128 / CHUNKS as u128) as u64;
    at(i)..at(i + 1)
}

/// The number of primes below `n`, computed by a sieve of Eratosthenes.
///
/// Independent of [`is_prime`], so xtask can check every `cpu` cell's answer
/// against it. Uses one byte per number: `n` up to [`MAX_N`] needs 200 MB.
pub fn reference_prime_count(n: u64) -> u64 {
    if n < 3 {
        return 0;
    }
    let n = n as usize;
    let mut composite = vec![false; n];
    let mut count = 0;
    for k in 2..n {
        if !composite[k] {
            count += 1;
            let mut m = k.saturating_mul(k);
            while m < n {
                composite[m] = true;
                m += k;
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    /// pi(n) from published tables: the values the reference must reproduce.
    const KNOWN: &[(u64, u64)] = &[
        (0, 0),
        (2, 0),
        (3, 1),
        (10, 4),
        (100, 25),
        (1_000, 168),
        (10_000, 1_229),
        (100_000, 9_592),
        (1_000_000, 78_498),
        (3_000_000, 216_816),
        (10_000_000, 664_579),
    ];

    #[test]
    fn reference_matches_published_prime_counts() {
        for &(n, pi) in KNOWN {
            assert_eq!(reference_prime_count(n), pi, "pi below {n}");
        }
    }

    #[test]
    fn trial_division_agrees_with_the_reference() {
        for &(n, pi) in KNOWN.iter().filter(|(n, _)| *n <= 1_000_000) {
            assert_eq!(count_primes_below(n), pi, "primes below {n}");
        }
    }

    #[test]
    fn small_primes() {
        let primes: Vec<u64> = (0..30).filter(|&k| is_prime(k)).collect();
        assert_eq!(primes, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
        assert!(!is_prime(25) && !is_prime(49) && !is_prime(1));
    }

    #[test]
    fn chunks_cover_the_range_exactly_once() {
        for n in [0, 1, 7, 255, 256, 257, 100_000, 3_000_001] {
            let mut next = 0;
            for i in 0..CHUNKS {
                let r = chunk(n, i);
                assert_eq!(r.start, next, "n={n} chunk {i} starts where the last ended");
                next = r.end;
            }
            assert_eq!(next, n);
        }
    }

    #[test]
    fn chunked_count_equals_serial_count() {
        let n = 200_000;
        let chunked: u64 = (0..CHUNKS).map(|i| count_primes_in(chunk(n, i))).sum();
        assert_eq!(chunked, reference_prime_count(n));
    }
}
