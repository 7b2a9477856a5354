//! The tutorials' claims judged by this run's cells: one small rule per row
//! of the claims table (the rows are in `verdicts_rows.rs`), over the
//! machinery here.
//!
//! Every figure is a quantity with its noise in its own unit: a cell's time
//! carries spread x median, a memory slope the median absolute deviation of
//! its per-repeat slopes, and a ratio of two quantities the larger relative
//! noise of the two. A figure is on the claim's side when it passes the
//! claim's threshold by more than that noise, on the other side when it
//! misses it by more, and inside the noise otherwise. A row's first figure is
//! its main one: holds when every figure is on the claim's side; holds with a
//! caveat (naming the figures that are not) when the main one is; does not
//! hold when the main one is on the other side; inconclusive when the main one
//! is inside the noise or a cell is missing, did not finish, or has fewer than
//! 3 repeats. The sentence is built from the figures each time.

use crate::report::{Cell, CellKey, Figure, Judged, Points, Report, Status, Verdict};

#[path = "verdicts_reading.rs"]
mod reading;
#[path = "verdicts_rows.rs"]
mod rows;
#[path = "verdicts_rows_more.rs"]
mod rows_more;
#[path = "verdicts_python.rs"]
mod rows_python;

use reading::*;

/// Every Rust row of the claims table, judged in order, then the Python rows
/// for each interpreter of the run.
pub fn judge(report: &Report) -> Vec<Judged> {
    let run = Run {
        report,
        cores: report.environment.cores as u64,
    };
    let judged = ROWS
        .iter()
        .map(|row| row(&run))
        .chain(rows_python::rows(&run));
    if report.size != "quick" {
        return judged.collect();
    }
    judged
        .map(|mut j| {
            if j.verdict != Verdict::Illustration {
                j.verdict = Verdict::Inconclusive;
                j.reason = format!(
                    "a quick run measures nothing reliable (it read: {})",
                    j.reason
                );
            }
            j
        })
        .collect()
}

/// The rows in the claims table's order.
const ROWS: &[fn(&Run) -> Judged] = &[
    rows::lighter,
    rows::more_memory,
    rows::cpu_bound,
    rows::io_bound,
    rows_more::io_processes,
    rows_more::gil,
    rows_more::side_steps,
    rows_more::event_loop,
    rows_more::async_cheaper,
    rows_more::green_m1,
    rows_more::green_mn,
    rows_more::green_lighter,
    rows_more::switching,
    rows_more::ipc,
    rows_more::pipe,
];

/// The report being judged, and the lookups its rules share.
struct Run<'a> {
    report: &'a Report,
    cores: u64,
}

/// Which requested worker count a cell's key must have.
#[derive(Debug, Clone, Copy)]
enum W {
    /// `workers: null`: a variant that takes no W.
    Free,
    /// `workers: cores`.
    Cores,
    /// Whatever the catalogue made of it.
    Any,
}

/// The cell a figure needs: model, scenario, variant, W and, where two
/// cells differ only by it, n (otherwise the largest n that ran).
#[derive(Debug, Clone, Copy)]
struct Ask<'s> {
    model: &'s str,
    scenario: &'s str,
    variant: &'s str,
    w: W,
    n: Option<u64>,
}

fn ask<'s>(model: &'s str, scenario: &'s str, variant: &'s str, w: W) -> Ask<'s> {
    Ask {
        model,
        scenario,
        variant,
        w,
        n: None,
    }
}

/// What a figure reads from its cell.
#[derive(Debug, Clone, Copy)]
enum Field {
    Median,
    PerUnit,
    WallOverDelay,
    Startup,
    OsThreads,
    /// `idle`'s memory slope: RSS (or PSS for processes) plus kernel.
    Memory,
    Rss,
    Kernel,
}

/// A measured quantity, its noise in the same unit, and the cells it is from.
#[derive(Debug, Clone, PartialEq)]
struct Q {
    value: f64,
    noise: f64,
    cells: Vec<CellKey>,
}

/// Why a figure could not be read, and the cells that were there.
#[derive(Debug, Clone, PartialEq)]
struct Gap {
    why: Vec<String>,
    cells: Vec<CellKey>,
}

type Got = Result<Q, Gap>;

impl Q {
    fn rel(&self) -> f64 {
        self.noise / self.value.abs()
    }
}

fn gap(why: String) -> Gap {
    Gap {
        why: vec![why],
        cells: Vec::new(),
    }
}

fn cells_of(g: &Got) -> Vec<CellKey> {
    match g {
        Ok(q) => q.cells.clone(),
        Err(e) => e.cells.clone(),
    }
}

/// Both, or every reason one of them is missing.
fn both(a: &Got, b: &Got) -> Result<(Q, Q), Gap> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a.clone(), b.clone())),
        _ => {
            let gaps = [a, b];
            let why = gaps.iter().filter_map(|g| g.as_ref().err());
            Err(Gap {
                why: why.flat_map(|e| e.why.clone()).collect(),
                cells: [cells_of(a), cells_of(b)].concat(),
            })
        }
    }
}

/// a / b, with the larger relative noise of the two.
fn ratio(a: &Got, b: &Got) -> Got {
    let (a, b) = both(a, b)?;
    if a.value <= 0.0 || b.value <= 0.0 {
        return Err(Gap {
            why: vec!["a slope of ~0 gives no ratio".into()],
            cells: [a.cells, b.cells].concat(),
        });
    }
    let value = a.value / b.value;
    Ok(Q {
        value,
        noise: value * a.rel().max(b.rel()),
        cells: [a.cells, b.cells].concat(),
    })
}

/// How "db/cpu/pool W=2 n=3000000" names a cell in a sentence.
fn name(key: &CellKey) -> String {
    let mut s = format!("{}/{}/{}", key.model, key.scenario, key.variant);
    if let Some(w) = key.params.workers {
        s += &format!(" W={w}");
    }
    if let Points::One(n) = key.params.n {
        s += &format!(" n={n}");
    }
    s
}

impl Run<'_> {
    /// The effective cores measured, lowest and highest of start and end.
    fn effective(&self) -> Option<(f64, f64)> {
        let e = &self.report.environment.effective_cores;
        Some((e.low()?, e.high()?))
    }

    fn cell(&self, a: Ask) -> Result<&Cell, Gap> {
        let w_ok = |w: Option<u64>| match a.w {
            W::Free => w.is_none(),
            W::Cores => w == Some(self.cores),
            W::Any => true,
        };
        let largest = |c: &Cell| match &c.key.params.n {
            Points::One(n) => *n,
            Points::Many(ns) => ns.iter().copied().max().unwrap_or(0),
        };
        let found = self.report.cells.iter().filter(|c| {
            let k = &c.key;
            (k.model.as_str(), k.scenario.as_str(), k.variant.as_str())
                == (a.model, a.scenario, a.variant)
                && w_ok(k.params.workers)
                && a.n.is_none_or(|n| k.params.n == Points::One(n))
        });
        found.max_by_key(|c| largest(c)).ok_or_else(|| {
            let w = match a.w {
                W::Cores => format!(" W={}", self.cores),
                _ => String::new(),
            };
            let n = a.n.map(|n| format!(" n={n}")).unwrap_or_default();
            let (m, s, v) = (a.model, a.scenario, a.variant);
            gap(format!("the cell {m}/{s}/{v}{w}{n} is missing"))
        })
    }

    /// One field of one cell, refused unless the cell finished with 3 or more
    /// repeats and measured the field (with its noise).
    fn get(&self, a: Ask, field: Field) -> Got {
        let c = self.cell(a)?;
        let refuse = |why: String| {
            Err(Gap {
                why: vec![format!("{} {why}", name(&c.key))],
                cells: vec![c.key.clone()],
            })
        };
        match c.status {
            Status::Ok => {}
            Status::Limit => {
                return refuse(format!(
                    "hit a limit ({})",
                    c.reason.as_deref().unwrap_or("?")
                ))
            }
            Status::NotImplemented => {
                return refuse(format!(
                    "did not run ({})",
                    c.reason.as_deref().unwrap_or("not implemented")
                ))
            }
            other => return refuse(format!("did not finish ({})", other.as_str())),
        }
        if c.repeats < 3 {
            return refuse(format!("has {} repeat(s), fewer than 3", c.repeats));
        }
        let spread = c.spread.unwrap_or(f64::INFINITY);
        let timed = |v: Option<f64>| v.map(|v| (v, v * spread));
        let mem = |pick: fn(&crate::report::MemPerUnit) -> Option<f64>| {
            let (m, n) = (c.mem_per_unit_kib.as_ref()?, c.mem_noise_kib.as_ref()?);
            Some((pick(m)?, pick(n)?))
        };
        let read = match field {
            Field::Median => timed(c.median_ns.map(|v| v as f64)),
            Field::PerUnit => timed(c.ns_per_unit),
            Field::WallOverDelay => timed(c.wall_over_delay),
            Field::Startup => c.startup_ns.map(|v| (v as f64, v as f64 * spread)),
            Field::OsThreads => c.os_threads.map(|v| (v as f64, 0.0)),
            Field::Memory => mem(|m| Some(m.pss.or(m.rss)? + m.kernel?)),
            Field::Rss => mem(|m| m.pss.or(m.rss)),
            Field::Kernel => mem(|m| m.kernel),
        };
        match read {
            Some((value, noise)) if noise.is_finite() => Ok(Q {
                value,
                noise,
                cells: vec![c.key.clone()],
            }),
            _ => refuse(format!("has no {field:?} figure with its noise")),
        }
    }

    /// The rows that need parallelism read the effective cores: below
    /// 0.75 x the allowed cores, or below 1.5, they are inconclusive.
    fn parallelism(&self) -> Reading {
        let figure = |value: Option<f64>, noise: Option<f64>| Figure {
            label: "effective cores (the smaller of start and end)".into(),
            value,
            unit: "cores".into(),
            noise,
            cells: Vec::new(),
        };
        let Some((low, high)) = self.effective() else {
            return Reading::unusable(figure(None, None), "the effective cores were not measured");
        };
        let mut r = Reading::unusable(figure(Some(low), Some(high - low)), "");
        let cores = self.cores as f64;
        r.side = if self.cores == 1 {
            Err(vec![
                "one core allowed: nothing here can run in parallel".into()
            ])
        } else if low < 0.75 * cores || low < 1.5 {
            Err(vec![format!(
                "the machine gave {} effective cores of the {cores} allowed (a parallel verdict needs 0.75 x {cores} and at least 1.5)",
                sig(low)
            )])
        } else {
            Ok(Side::Claimed)
        };
        r
    }
}

#[cfg(test)]
#[path = "verdicts_tests.rs"]
mod tests;
