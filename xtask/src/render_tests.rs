//! Formatting: durations, memory slopes, the table and report.md.

use super::*;

#[test]
fn durations_read_naturally() {
    assert_eq!(fmt_ns(181_000_000.0), "181.0 ms");
    assert_eq!(fmt_ns(1_500_000_000.0), "1.50 s");
    assert_eq!(fmt_ns(14_200.0), "14.2 µs");
    assert_eq!(fmt_ns(320.0), "320 ns");
}

#[test]
fn a_long_reason_is_cut_at_a_word_for_the_terminal() {
    assert_eq!(
        short("a thread started faster", 100),
        "a thread started faster"
    );
    assert_eq!(short("a thread started faster", 12), "a thread …");
}

#[test]
fn a_slope_inside_its_noise_or_negative_shows_as_about_zero() {
    assert_eq!(slope_kib(9.6, Some(0.4)), "9.6 KiB");
    assert_eq!(slope_kib(0.3, Some(0.5)), "~0 KiB");
    assert_eq!(slope_kib(-2.0, None), "~0 KiB");
    assert_eq!(slope_kib(-2.0, Some(0.1)), "~0 KiB");
    assert_eq!(slope_kib(2048.0, None), "2.0 MiB");
}

#[test]
fn the_table_and_markdown_show_every_cell() {
    let r = crate::report::tests::sample_report();
    let md = markdown(&r);
    assert!(
        md.contains("| cpu | threads | serial | (1) | 1000 |"),
        "{md}"
    );
    assert!(md.contains("9.6 KiB rss + ~0 KiB kernel"), "{md}");
    assert!(md.contains("1.97 effective at start"), "{md}");
    assert_eq!(table(&r.cells).row_count(), 2);
}
