//! `report.html` on a synthetic report with claims of every verdict.

use super::*;
use crate::report::{Judged, Verdict};

fn judged(id: &str, claim: &str, verdict: Verdict, keys: Vec<CellKey>) -> Judged {
    Judged {
        id: id.into(),
        claim: claim.into(),
        verdict,
        reason: format!("built from the figures of {id} <& checked>"),
        figures: vec![Figure {
            label: "spawn per unit, process / thread".into(),
            value: Some(20.0),
            unit: "x".into(),
            noise: Some(0.4),
            cells: keys,
        }],
    }
}

pub fn report_with_claims() -> Report {
    let mut r = crate::plot::tests::full_report();
    let keys: Vec<CellKey> = r.cells.iter().take(2).map(|c| c.key.clone()).collect();
    r.claims = vec![
        judged(
            "1",
            "Threads are lighter than processes; they use low resources.",
            Verdict::Holds,
            keys.clone(),
        ),
        judged(
            "3",
            "Multiprocessing is for CPU-bound work & uses the CPU \"up to its maximum\".",
            Verdict::HoldsWithCaveat,
            keys.clone(),
        ),
        judged(
            "6",
            "The GIL lets one thread run at a time, so CPU-bound threads don't speed up.",
            Verdict::Illustration,
            keys.clone(),
        ),
        judged(
            "10b",
            "Green threads <M:N> can't use several cores",
            Verdict::DoesNotHold,
            keys.clone(),
        ),
        judged(
            "12",
            "Switching between threads costs more than between tasks or coroutines.",
            Verdict::Inconclusive,
            Vec::new(),
        ),
    ];
    r.claims[4].figures[0].value = None;
    r.warnings
        .push("the machine was busy <load 1.35> & noisy".into());
    r
}

#[test]
fn the_page_is_well_formed_xhtml_with_every_claim_plot_and_cell() {
    let r = report_with_claims();
    let dir = std::env::temp_dir().join(format!("xtask-html-{}", std::process::id()));
    let svgs = crate::plot::write_all(&r, &dir).unwrap();
    let path = dir.join("report.html");
    write(&r, &svgs, &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&text, options)
        .unwrap_or_else(|e| panic!("not XML: {e}"));
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.w3.org/1999/xhtml")
    );
    // Nothing runs and nothing is fetched.
    for banned in ["<script", "src=", "href=\"http", "url("] {
        assert!(!text.contains(banned), "{banned}");
    }
    let all_text: String = doc.descendants().filter_map(|n| n.text()).collect();
    for c in &r.claims {
        assert!(doc
            .descendants()
            .any(|n| n.attribute("id") == Some(&format!("claim-{}", c.id))));
        assert!(all_text.contains(&c.claim), "{}", c.claim);
        assert!(all_text.contains(c.verdict.as_str()));
    }
    // Verdicts come before the plots, the plots before the table.
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(at("id=\"verdicts\"") < at("id=\"plots\"") && at("id=\"plots\"") < at("id=\"cells\""));
    let svg_ns = "http://www.w3.org/2000/svg";
    let svgs_inline = doc
        .descendants()
        .filter(|n| n.has_tag_name((svg_ns, "svg")))
        .count();
    assert_eq!(svgs_inline, 5);
    assert!(
        all_text.contains("processes cpu pool W=2 n=3000000")
            || all_text.contains("threads cpu serial n=3000000")
    );
    assert!(all_text.contains("exit 1: <panicked> & \"quoted\""));
    assert!(all_text.contains("the machine was busy <load 1.35> & noisy"));
    assert!(all_text.contains("missing") && all_text.contains("\u{b1}0.40x"));
    // The table has the terminal table's columns and one row per cell.
    let rows = doc.descendants().filter(|n| n.has_tag_name("tr")).count();
    let figure_rows: usize = r.claims.iter().map(|c| 1 + c.figures.len()).sum();
    assert_eq!(rows, 1 + r.cells.len() + figure_rows);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_svg_loses_its_xml_declaration_when_inlined() {
    let svg =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    assert_eq!(
        inline_svg(svg),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
    );
    assert_eq!(inline_svg("<svg/>"), "<svg/>");
    assert_eq!(
        escape("a<b & 'c' \"d\"\u{1}"),
        "a&lt;b &amp; &#39;c&#39; &quot;d&quot;"
    );
}
