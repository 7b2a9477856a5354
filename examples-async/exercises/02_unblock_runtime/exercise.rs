// Goal: `checksum_all` gives the right answers, but while it runs, nothing
// else on the runtime gets a turn (a heartbeat task beside it stops beating).
// Find out why and fix `checksum_all` (async/11_blocking_the_runtime helps).
// Don't change `legacy_checksum`: pretend it is a library.
// Done when `cargo xtask exercise check async/02_unblock_runtime` passes.

use std::time::Duration;

/// A library call: the checksum of a document it first reads from disk.
pub fn legacy_checksum(data: &[u8]) -> u64 {
    std::thread::sleep(Duration::from_millis(40)); // the read, say
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Checksum every document, in order.
pub async fn checksum_all(docs: Vec<Vec<u8>>) -> Vec<u64> {
    // TODO: let the other tasks run while the documents are checksummed.
    let mut sums = Vec::new();
    for doc in docs {
        sums.push(legacy_checksum(&doc));
        // A cooperative pause between documents (this one is fine).
        tokio::task::yield_now().await;
    }
    sums
}
