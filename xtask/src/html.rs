//! `report.html`: the whole report in one self-contained XHTML file (the
//! plots inline, no script, nothing fetched), verdicts first, then the plots,
//! the table of every cell, how to reproduce each, and the warnings.
//! Figures are formatted by `render`, as in the terminal and `report.md`.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use crate::render;
use crate::report::{CellKey, Figure, Judged, Points, Report, Verdict};

/// `&`, `<`, `>` and both quotes as entities: safe in text and attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline are not XML.
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font-family: sans-serif; max-width: 75em; margin: 1em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
.machine { color: #444; }
.claim { border-left: 0.5em solid #999; padding: 0.2em 1em; margin: 1em 0; background: #f7f7f7; }
.claim h3 { margin: 0.3em 0; font-size: 1.1em; }
.verdict { font-weight: bold; padding: 0.1em 0.5em; border-radius: 0.3em; color: #fff; background: #777; }
.holds { border-color: #0a7d3b; } .holds .verdict { background: #0a7d3b; }
.holds-with-caveat { border-color: #b8860b; } .holds-with-caveat .verdict { background: #b8860b; }
.does-not-hold { border-color: #b22222; } .does-not-hold .verdict { background: #b22222; }
.inconclusive { border-color: #777; }
.illustration { border-color: #3a6ea5; } .illustration .verdict { background: #3a6ea5; }
table { border-collapse: collapse; font-size: 0.9em; }
td, th { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
figure { margin: 1.5em 0; } figure svg { max-width: 100%; height: auto; }
code { font-size: 0.9em; word-break: break-all; }
.partial { color: #b22222; font-weight: bold; }
";

/// Write `path` from the report and the SVG files `plot::write_all` wrote.
pub fn write(report: &Report, svgs: &[PathBuf], path: &Path) -> io::Result<()> {
    let mut plots = Vec::new();
    for svg in svgs {
        plots.push(inline_svg(&std::fs::read_to_string(svg)?));
    }
    std::fs::write(path, page(report, &plots))
}

/// Put `section` (XHTML) into a written page, beside the claims: after
/// them, before the plots (`timeline::add_to_report` draws it).
pub fn insert_section(page: &str, section: &str) -> String {
    match page.find("<h2 id=\"plots\">") {
        Some(i) => format!("{}{section}{}", &page[..i], &page[i..]),
        None => page.replacen("</body>", &format!("{section}</body>"), 1),
    }
}

/// An SVG file as an element: without its XML declaration, which may only
/// open a document.
fn inline_svg(text: &str) -> String {
    let body = match text.trim_start().strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or("", |(_, r)| r),
        None => text,
    };
    body.trim().to_string()
}

fn page(r: &Report, plots: &[String]) -> String {
    let e = &r.environment;
    let mut h = String::new();
    h += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n";
    h += "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\">\n<head>\n";
    h += "<meta charset=\"UTF-8\"/>\n<title>concurrency-models comparison</title>\n";
    let _ = writeln!(h, "<style>{STYLE}</style>\n</head>\n<body>");
    h += "<h1>concurrency-models comparison</h1>\n";
    let eff = |x: Option<f64>| x.map_or("n/a".into(), |x| format!("{x:.2}"));
    let machine = format!(
        "{} cores allowed, {} effective at the start and {} at the end (measured); CPU: {}; {} {}, kernel {}; {}",
        e.cores,
        eff(e.effective_cores.start),
        eff(e.effective_cores.end),
        e.cpu_model.as_deref().unwrap_or("n/a"),
        e.os,
        e.arch,
        e.kernel.as_deref().unwrap_or("n/a"),
        e.rustc.as_deref().unwrap_or("rustc n/a"),
    );
    let _ = writeln!(h, "<p class=\"machine\">{}</p>", escape(&machine));
    let run = format!(
        "{} ({} size), {}, git {}",
        r.invocation,
        r.size,
        r.created,
        e.git_commit.as_deref().unwrap_or("n/a")
    );
    let _ = writeln!(h, "<p class=\"machine\"><code>{}</code></p>", escape(&run));
    if r.partial {
        h += "<p class=\"partial\">Partial: the run was interrupted; only what was measured before is here.</p>\n";
    }
    h += "<h2 id=\"verdicts\">The claims, judged by this run</h2>\n";
    if r.claims.is_empty() {
        h += "<p>This report judges no claim.</p>\n";
    }
    for c in &r.claims {
        h += &claim(c);
    }
    let series = crate::series::lines(r);
    if r.size == "full" && !series.is_empty() {
        h += "<h2 id=\"series\">How far each series went</h2>\n<ul>\n";
        for line in &series {
            let _ = writeln!(h, "<li>{}</li>", escape(line));
        }
        h += "</ul>\n";
    }
    h += "<h2 id=\"plots\">Plots</h2>\n";
    for svg in plots {
        let _ = writeln!(h, "<figure>\n{svg}\n</figure>");
    }
    h += &cells_table(r);
    h += "<h2 id=\"reproduce\">Reproduce a cell</h2>\n<p>From the workspace root after <code>cargo build --release</code>; <code>net</code> cells need <code>target/release/delay-server</code> running and its address in <code>--server</code>.</p>\n<ul>\n";
    for c in &r.cells {
        let _ = write!(h, "<li>{}", escape(&key_text(&c.key)));
        if let Some(why) = &c.reason {
            let _ = write!(h, " ({}: {})", c.status.as_str(), escape(why));
        }
        for cmd in &c.command {
            let _ = write!(h, "<br/><code>{}</code>", escape(cmd));
        }
        h += "</li>\n";
    }
    h += "</ul>\n";
    if !r.warnings.is_empty() {
        h += "<h2 id=\"warnings\">Warnings</h2>\n<ul>\n";
        for w in &r.warnings {
            let _ = writeln!(h, "<li>{}</li>", escape(w));
        }
        h += "</ul>\n";
    }
    h += "</body>\n</html>\n";
    h
}

/// The verdict's kind as a class name: `holds-with-caveat`.
fn kind(v: Verdict) -> &'static str {
    match v {
        Verdict::Holds => "holds",
        Verdict::HoldsWithCaveat => "holds-with-caveat",
        Verdict::DoesNotHold => "does-not-hold",
        Verdict::Inconclusive => "inconclusive",
        Verdict::Illustration => "illustration",
    }
}

fn claim(c: &Judged) -> String {
    let mut h = format!(
        "<section class=\"claim {}\" id=\"claim-{}\">\n<h3>{}. \u{201c}{}\u{201d}</h3>\n<p><span class=\"verdict\">{}</span> {}</p>\n",
        kind(c.verdict),
        escape(&c.id.replace(' ', "-")),
        escape(&c.id),
        escape(&c.claim),
        c.verdict.as_str(),
        escape(&c.reason)
    );
    if !c.figures.is_empty() {
        h += "<table>\n<tr><th>figure</th><th>value</th><th>noise</th><th>cells</th></tr>\n";
        for f in &c.figures {
            h += &figure(f);
        }
        h += "</table>\n";
    }
    h + "</section>\n"
}

fn figure(f: &Figure) -> String {
    let value = f.value.map_or("missing".into(), |v| number(v, &f.unit));
    let noise = f
        .noise
        .map_or("-".into(), |n| format!("\u{b1}{}", number(n, &f.unit)));
    let cells: Vec<String> = f.cells.iter().map(|k| escape(&key_text(k))).collect();
    format!(
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
        escape(&f.label),
        escape(&value),
        escape(&noise),
        cells.join("<br/>")
    )
}

/// A figure's value with its unit: three significant digits or so.
fn number(v: f64, unit: &str) -> String {
    let digits = match v.abs() {
        a if a >= 100.0 => 0,
        a if a >= 10.0 => 1,
        _ => 2,
    };
    let sep = if unit == "x" || unit.is_empty() {
        ""
    } else {
        " "
    };
    format!("{v:.digits$}{sep}{unit}")
}

/// A cell key as one line: `threads cpu spawn W=2 n=3000000`.
fn key_text(k: &CellKey) -> String {
    let p = &k.params;
    let mut s = format!("{} {} {}", k.model, k.scenario, k.variant);
    if let Some(w) = p.workers {
        let _ = write!(s, " W={w}");
    }
    match &p.n {
        Points::One(n) => {
            let _ = write!(s, " n={n}");
        }
        Points::Many(ns) => {
            let ns: Vec<String> = ns.iter().map(u64::to_string).collect();
            let _ = write!(s, " n={}", ns.join(","));
        }
    }
    if let Some(d) = p.delay_ms {
        let _ = write!(s, " delay={d}ms");
    }
    if let Some(rounds) = p.rounds {
        let _ = write!(s, " rounds={rounds}");
    }
    s
}

/// Every cell, the columns of the terminal table.
fn cells_table(r: &Report) -> String {
    let mut h = String::from("<h2 id=\"cells\">Every cell</h2>\n<p>ratio = baseline median / cell median (above 1 is faster); spread = median absolute deviation / median, flagged above 10 %; W is the <code>--workers</code> asked for, (n) what a variant that takes none reported.</p>\n<table>\n<tr>");
    let (header, rows) = render::rows(&r.cells);
    for col in &header {
        let _ = write!(h, "<th>{}</th>", escape(col));
    }
    h += "</tr>\n";
    // Figures align right; names, the per-unit text and the status left.
    let text = [
        "scenario",
        "model",
        "variant",
        "per unit",
        "vs before",
        "status",
    ];
    for fields in rows {
        h += "<tr>";
        for (col, field) in header.iter().zip(&fields) {
            let class = if text.contains(col) {
                ""
            } else {
                " class=\"num\""
            };
            let _ = write!(h, "<td{class}>{}</td>", escape(field));
        }
        h += "</tr>\n";
    }
    h + "</table>\n"
}

#[cfg(test)]
#[path = "html_tests.rs"]
pub mod tests;
