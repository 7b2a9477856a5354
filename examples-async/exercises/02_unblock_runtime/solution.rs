// Goal: `checksum_all` works, but while it runs nothing else on the runtime
// does. Reference solution: the changed lines are marked with ^^^.

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
        let sum = tokio::task::spawn_blocking(move || legacy_checksum(&doc))
            // ^^^ on tokio's blocking pool: this task awaits, the runtime thread stays free
            .await
            .expect("the checksum panicked");
        sums.push(sum);
        tokio::task::yield_now().await;
    }
    sums
}
