// Wrong answer (kept to prove the tests catch it): the blocking call moves
// into a task of its own, but a task runs on the runtime's thread too.

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
        let sum = tokio::spawn(async move { legacy_checksum(&doc) })
            .await
            .expect("the checksum panicked");
        sums.push(sum);
        tokio::task::yield_now().await;
    }
    sums
}
