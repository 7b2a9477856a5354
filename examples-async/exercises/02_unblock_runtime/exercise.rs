// Goal: `checksum_all` works, but while it runs nothing else on the runtime
// does: one of its calls blocks the thread (11_blocking_the_runtime). Find
// it and keep the runtime free. Don't change `legacy_checksum`: pretend it
// is a library.
// Done when `cargo xtask exercise check async/02_unblock_runtime` passes.

use std::time::Duration;

/// A blocking library call: a checksum that also "waits for the disk".
pub fn legacy_checksum(data: &[u8]) -> u64 {
    std::thread::sleep(Duration::from_millis(40)); // a blocking read, say
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// Checksum every document, in order.
pub async fn checksum_all(docs: Vec<Vec<u8>>) -> Vec<u64> {
    let mut sums = Vec::new();
    for doc in docs {
        // TODO: this call blocks the runtime's thread for 40 ms at a time.
        // Run it where blocking is allowed and await its result.
        sums.push(legacy_checksum(&doc));
        // A cooperative pause between documents (this one is fine).
        tokio::task::yield_now().await;
    }
    sums
}
