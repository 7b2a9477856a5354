//! The comparison report: its data model (what `report.json` holds, see
//! ARCHITECTURE.md), the terminal table and the markdown file.
//!
//! Every figure in a report was measured in the run that wrote it. Fields are
//! named for what they hold, and a missing reading is `null`, never zero.

use std::path::{Path, PathBuf};

use comfy_table::{presets, Cell as TableCell, CellAlignment, Table};
use serde::{Deserialize, Serialize};

/// Bump when a field changes meaning or disappears (adding one does not).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    /// When the run started (RFC 3339, UTC).
    pub created: String,
    /// `quick`, `default` or `full`.
    pub size: String,
    /// The command line that produced this report.
    pub invocation: String,
    pub environment: Environment,
    pub warnings: Vec<String>,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Environment {
    pub os: String,
    pub arch: String,
    /// Cores this process may use.
    pub cores: usize,
    pub cpu_model: Option<String>,
    pub kernel: Option<String>,
    pub rustc: Option<String>,
    pub git_commit: Option<String>,
    /// 1-minute load average when the run started.
    pub load_average: Option<f64>,
    pub limits: Limits,
}

/// The OS limits that can bind a scenario's unit count.
#[derive(Debug, Serialize, Deserialize)]
pub struct Limits {
    /// `ulimit -n` after xtask raised the soft limit to the hard one.
    pub nofile_soft: u64,
    pub nofile_hard: u64,
    pub nproc_soft: u64,
    pub max_map_count: Option<u64>,
    pub threads_max: Option<u64>,
    pub pid_max: Option<u64>,
}

/// Parameters of a cell; `n` is a list for `idle` (one run per n, one slope).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellParams {
    pub workers: u64,
    pub n: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rounds: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Ok,
    Failed,
    Timeout,
    Limit,
    NotImplemented,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Failed => "failed",
            Status::Timeout => "timeout",
            Status::Limit => "limit",
            Status::NotImplemented => "not-implemented",
        }
    }
}

/// Memory per unit: the slope between two unit counts, KiB.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemPerUnit {
    pub rss: Option<f64>,
    pub kernel: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pss: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cell {
    pub model: String,
    pub scenario: String,
    pub variant: String,
    pub params: CellParams,
    pub status: Status,
    pub reason: Option<String>,
    /// Median wall time of the work (`elapsed_ns`) over the repeats.
    pub median_ns: Option<u64>,
    /// Median absolute deviation / median.
    pub spread: Option<f64>,
    /// `spread > 0.10`: read this cell's figures with care.
    pub flagged: bool,
    /// Measured repeats (warm-up excluded).
    pub repeats: u32,
    /// `median_ns / n` for `spawn` and `pingpong`.
    pub ns_per_unit: Option<f64>,
    /// `median_ns / delay` for `sleep`: 1.0 means all units waited at once.
    pub wall_over_delay: Option<f64>,
    /// `idle`: memory per parked unit.
    pub mem_per_unit_kib: Option<MemPerUnit>,
    /// Baseline median / this median (idle: baseline RSS slope / this one);
    /// above 1 is faster (or lighter) than the baseline.
    pub ratio: Option<f64>,
    /// `model/variant` of the baseline this ratio is against.
    pub baseline: Option<String>,
    /// The answer the cell gave, and what it had to be.
    pub check: Option<u64>,
    pub expected_check: Option<u64>,
    /// User + system CPU of the median repeat, seconds.
    pub cpu_s: Option<f64>,
    /// Largest peak RSS over the repeats, KiB.
    pub peak_rss_kib: Option<u64>,
    /// Median start-up time kept out of `median_ns`.
    pub startup_ns: Option<u64>,
    /// The exact command that reproduces this cell (one per n for `idle`).
    pub command: Vec<String>,
}

pub fn fmt_ns(ns: f64) -> String {
    match ns {
        x if x >= 1e9 => format!("{:.2} s", x / 1e9),
        x if x >= 1e6 => format!("{:.1} ms", x / 1e6),
        x if x >= 1e3 => format!("{:.1} µs", x / 1e3),
        x => format!("{x:.0} ns"),
    }
}

fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> String) -> String {
    v.map_or_else(|| "-".to_string(), f)
}

fn kib(k: f64) -> String {
    // A slope of -0.04 KiB is noise around zero, not a negative cost.
    let k = if k.abs() < 0.05 { 0.0 } else { k };
    if k.abs() >= 1024.0 {
        format!("{:.1} MiB", k / 1024.0)
    } else {
        format!("{k:.1} KiB")
    }
}

impl Cell {
    /// A cell with its identity and status, and no figures yet.
    pub fn new(
        model: &str,
        scenario: &str,
        variant: &str,
        params: CellParams,
        status: Status,
    ) -> Cell {
        Cell {
            model: model.into(),
            scenario: scenario.into(),
            variant: variant.into(),
            params,
            status,
            reason: None,
            median_ns: None,
            spread: None,
            flagged: false,
            repeats: 0,
            ns_per_unit: None,
            wall_over_delay: None,
            mem_per_unit_kib: None,
            ratio: None,
            baseline: None,
            check: None,
            expected_check: None,
            cpu_s: None,
            peak_rss_kib: None,
            startup_ns: None,
            command: Vec::new(),
        }
    }

    /// A cell the model does not implement: shown, so the gap is visible.
    pub fn not_implemented(
        model: &str,
        scenario: &str,
        variant: &str,
        workers: u64,
        reason: String,
    ) -> Cell {
        let params = CellParams {
            workers,
            n: serde_json::Value::Null,
            delay_ms: None,
            rounds: None,
        };
        let mut cell = Cell::new(model, scenario, variant, params, Status::NotImplemented);
        cell.reason = Some(reason);
        cell
    }

    /// The per-unit column: ns per unit, wall/delay, or memory per unit.
    pub fn per_unit(&self) -> String {
        if let Some(m) = &self.mem_per_unit_kib {
            let mut parts = Vec::new();
            if let Some(r) = m.rss {
                parts.push(format!("{} rss", kib(r)));
            }
            if let Some(k) = m.kernel {
                parts.push(format!("{} kernel", kib(k)));
            }
            if let Some(p) = m.pss {
                parts.push(format!("{} pss", kib(p)));
            }
            if !parts.is_empty() {
                return parts.join(" + ");
            }
        }
        if let Some(x) = self.ns_per_unit {
            return format!("{}/unit", fmt_ns(x));
        }
        if let Some(x) = self.wall_over_delay {
            return format!("{x:.2}x delay");
        }
        "-".into()
    }

    fn n_text(&self) -> String {
        match &self.params.n {
            serde_json::Value::Array(ns) => ns
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(","),
            serde_json::Value::Null => "-".into(),
            n => n.to_string(),
        }
    }

    fn row(&self) -> Vec<String> {
        let status = match (&self.status, self.flagged, &self.reason) {
            (Status::Ok, true, _) => "ok, noisy".to_string(),
            // An idle cell whose largest n hit a limit: the slope is from the rest.
            (Status::Ok, false, Some(_)) => "ok, limit".to_string(),
            (s, _, _) => s.as_str().to_string(),
        };
        vec![
            self.scenario.clone(),
            self.model.clone(),
            self.variant.clone(),
            self.params.workers.to_string(),
            self.n_text(),
            opt(self.median_ns, |x| fmt_ns(x as f64)),
            opt(self.spread, |s| format!("{:.1}%", s * 100.0)),
            opt(self.ratio, |r| format!("{r:.2}x")),
            self.per_unit(),
            opt(self.cpu_s, |c| format!("{c:.2}")),
            opt(self.peak_rss_kib, |k| kib(k as f64)),
            opt(self.startup_ns, |x| {
                if x == 0 {
                    "-".into()
                } else {
                    fmt_ns(x as f64)
                }
            }),
            status,
        ]
    }
}

const HEADER: [&str; 13] = [
    "scenario", "model", "variant", "W", "n", "median", "spread", "ratio", "per unit", "CPU s",
    "peak RSS", "start-up", "status",
];

/// The terminal table.
pub fn table(cells: &[Cell]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    t.set_header(HEADER.iter().map(TableCell::new));
    for c in cells {
        t.add_row(c.row());
    }
    for col in [3, 4, 5, 6, 7, 9, 10, 11] {
        if let Some(column) = t.column_mut(col) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// `report.md`: the same table, the environment, and how to reproduce each cell.
pub fn markdown(r: &Report) -> String {
    let e = &r.environment;
    let mut md = format!(
        "# concurrency-models comparison\n\n`{}` ({} size), {}.\n\n",
        r.invocation, r.size, r.created
    );
    md += &format!(
        "- Machine: {} cores, {}, {} {} (kernel {})\n- rustc: {}\n- git: {}\n- load average at start: {}\n- limits: ulimit -n {}, vm.max_map_count {}, threads-max {}, pid_max {}\n\n",
        e.cores,
        e.cpu_model.as_deref().unwrap_or("n/a"),
        e.os,
        e.arch,
        e.kernel.as_deref().unwrap_or("n/a"),
        e.rustc.as_deref().unwrap_or("n/a"),
        e.git_commit.as_deref().unwrap_or("n/a"),
        opt(e.load_average, |l| format!("{l:.2}")),
        e.limits.nofile_soft,
        opt(e.limits.max_map_count, |x| x.to_string()),
        opt(e.limits.threads_max, |x| x.to_string()),
        opt(e.limits.pid_max, |x| x.to_string()),
    );
    md += "`ratio` = baseline median / cell median (above 1 is faster), against threads `serial` for `cpu` and threads `spawn` (a thread per unit) otherwise. ";
    md +=
        "`spread` = median absolute deviation / median; above 10 % the cell is flagged noisy.\n\n";
    md += &format!(
        "| {} |\n|{}\n",
        HEADER.join(" | "),
        "---|".repeat(HEADER.len())
    );
    for c in &r.cells {
        let fields: Vec<String> = c.row().iter().map(|f| f.replace('|', "\\|")).collect();
        md += &format!("| {} |\n", fields.join(" | "));
    }
    if !r.warnings.is_empty() {
        md += "\n## Warnings\n\n";
        for w in &r.warnings {
            md += &format!("- {w}\n");
        }
    }
    md += "\n## Reproduce a cell\n\nRun from the workspace root after `cargo build --release`; `net` cells need `target/release/delay-server` running and its address in `--server`.\n\n";
    for c in &r.cells {
        let why = c
            .reason
            .as_deref()
            .map(|r| format!(" ({}: {r})", c.status.as_str()))
            .unwrap_or_default();
        md += &format!("- {} {} {}{why}:\n", c.model, c.scenario, c.variant);
        for cmd in &c.command {
            md += &format!("  `{cmd}`\n");
        }
    }
    md
}

/// Write `report.json` and `report.md` to `dir/latest/` and to a timestamped
/// folder beside it. Returns the `latest` folder.
pub fn write(r: &Report, dir: &Path, stamp: &str) -> std::io::Result<PathBuf> {
    let json = serde_json::to_string_pretty(r).map_err(std::io::Error::other)?;
    let md = markdown(r);
    let latest = dir.join("latest");
    for folder in [dir.join(stamp), latest.clone()] {
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join("report.json"), &json)?;
        std::fs::write(folder.join("report.md"), &md)?;
    }
    Ok(latest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(fmt_ns(181_000_000.0), "181.0 ms");
        assert_eq!(fmt_ns(1_500_000_000.0), "1.50 s");
        assert_eq!(fmt_ns(14_200.0), "14.2 µs");
        assert_eq!(fmt_ns(320.0), "320 ns");
    }

    #[test]
    fn status_serialises_as_the_guide_spells_it() {
        assert_eq!(
            serde_json::to_string(&Status::NotImplemented).unwrap(),
            "\"not-implemented\""
        );
        assert_eq!(serde_json::to_string(&Status::Ok).unwrap(), "\"ok\"");
    }
}
