//! Each rule on synthetic cells, one test per outcome, and the real report.

use super::*;

/// Prints the verdicts of a real run's report (`VERDICTS_REPORT`, or the
/// workspace's latest): `cargo test -p xtask real_report -- --ignored --nocapture`.
#[test]
#[ignore]
fn real_report() {
    let path = std::env::var("VERDICTS_REPORT").map_or_else(
        |_| crate::project::root().join("target/compare/latest/report.json"),
        std::path::PathBuf::from,
    );
    let report = crate::report::read(&path).unwrap_or_else(|e| panic!("{}", e.msg));
    for j in judge(&report) {
        println!("{:>3} {}: {}", j.id, j.verdict.as_str(), j.reason);
    }
}
