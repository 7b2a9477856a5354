//! Planning: which cells a comparison runs, at which sizes, with which
//! command line. Neither prints nor parses arguments.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Duration;

use workloads::record::{Catalogue, SCENARIOS};

use crate::compare::CompareArgs;
use crate::project::{self, Model};
use crate::report::Cell;

/// The sizes xtask owns and passes to the model binaries.
pub struct Size {
    pub name: &'static str,
    pub cpu_n: u64,
    pub sleep: (u64, u64),
    /// (clients, rounds, delay_ms)
    pub net: (u64, u64, u64),
    pub spawn_n: u64,
    /// `idle` runs at each n; the slope comes from the two largest that ran.
    pub idle_n: &'static [u64],
    pub pingpong_n: u64,
    pub repeats_cpu: u32,
    pub repeats: u32,
    pub warmup: bool,
    pub timeout: Duration,
    /// Stop adding repeats to a model after this much of its wall time.
    pub budget: Option<Duration>,
}

pub const QUICK: Size = Size {
    name: "quick",
    cpu_n: 200_000,
    sleep: (50, 10),
    net: (10, 5, 2),
    spawn_n: 200,
    idle_n: &[50, 200],
    pingpong_n: 2_000,
    repeats_cpu: 1,
    repeats: 1,
    warmup: false,
    timeout: Duration::from_secs(60),
    budget: None,
};

pub const DEFAULT: Size = Size {
    name: "default",
    cpu_n: 3_000_000,
    sleep: (1_000, 50),
    net: (100, 20, 5),
    spawn_n: 2_000,
    idle_n: &[500, 2_000],
    pingpong_n: 10_000,
    repeats_cpu: 7,
    repeats: 5,
    warmup: true,
    timeout: Duration::from_secs(60),
    budget: Some(Duration::from_secs(20)),
};

pub const FULL: Size = Size {
    name: "full",
    cpu_n: 10_000_000,
    sleep: (100_000, 100),
    net: (1_000, 20, 10),
    spawn_n: 20_000,
    idle_n: &[1_000, 10_000, 100_000],
    pingpong_n: 100_000,
    repeats_cpu: 11,
    repeats: 7,
    warmup: true,
    timeout: Duration::from_secs(600),
    budget: None,
};

/// One planned cell: a binary, a scenario, a variant and its parameters.
#[derive(Debug, Clone)]
pub struct Spec {
    pub model: String,
    pub bin: PathBuf,
    pub scenario: String,
    pub variant: String,
    pub workers: u64,
    /// One run per n per repeat; more than one only for `idle`.
    pub ns: Vec<u64>,
    pub delay_ms: Option<u64>,
    pub rounds: Option<u64>,
    pub repeats: u32,
}

pub fn baseline_variant(scenario: &str) -> &'static str {
    if scenario == "cpu" {
        "serial"
    } else {
        "spawn"
    }
}

pub const BASELINE_MODEL: &str = "threads";

pub fn plan(
    args: &CompareArgs,
    size: &Size,
    wanted: &[Model],
    catalogues: &BTreeMap<String, Catalogue>,
    bins: &BTreeMap<String, PathBuf>,
    workers: &[u64],
) -> Vec<Spec> {
    let mut specs: Vec<Spec> = Vec::new();
    for scenario in SCENARIOS {
        if !args.scenarios.is_empty() && !args.scenarios.iter().any(|s| s == scenario) {
            continue;
        }
        let (ns, delay_ms, rounds) = match *scenario {
            "cpu" => (vec![size.cpu_n], None, None),
            "sleep" => (vec![size.sleep.0], Some(size.sleep.1), None),
            "net" => (vec![size.net.0], Some(size.net.2), Some(size.net.1)),
            "spawn" => (vec![size.spawn_n], None, None),
            "idle" => (size.idle_n.to_vec(), None, None),
            _ => (vec![size.pingpong_n], None, None),
        };
        let ns = match (args.n, *scenario) {
            (Some(n), "idle") => vec![(n / 4).max(1), n],
            (Some(n), _) => vec![n],
            (None, _) => ns,
        };
        let repeats = args.repeats.unwrap_or(match *scenario {
            "cpu" => size.repeats_cpu,
            "idle" => size.repeats.min(3),
            _ => size.repeats,
        });
        // The baseline first, then every wanted model's variants.
        let mut cells: Vec<(String, String)> =
            vec![(BASELINE_MODEL.into(), baseline_variant(scenario).into())];
        for m in wanted {
            for v in catalogues[&m.name].variants(scenario).unwrap_or_default() {
                if args.variants.is_empty() || args.variants.contains(&v.name) {
                    cells.push((m.name.clone(), v.name.clone()));
                }
            }
        }
        let mut seen = BTreeSet::new();
        for (model, variant) in cells {
            let offered = catalogues[&model]
                .variants(scenario)
                .is_some_and(|vs| vs.iter().any(|v| v.name == variant));
            if !offered {
                continue;
            }
            for &w in workers {
                if !seen.insert((model.clone(), variant.clone(), w)) {
                    continue;
                }
                specs.push(Spec {
                    bin: bins[&format!("examples-{model}")].clone(),
                    model: model.clone(),
                    scenario: scenario.to_string(),
                    variant: variant.clone(),
                    workers: w,
                    ns: ns.clone(),
                    delay_ms,
                    rounds,
                    repeats,
                });
            }
        }
    }
    specs
}

/// A `not-implemented` cell for each selected scenario a wanted model lacks,
/// and for each variant asked for by name that a model lacks in a scenario.
pub fn missing_cells(
    args: &CompareArgs,
    wanted: &[Model],
    catalogues: &BTreeMap<String, Catalogue>,
    workers: &[u64],
) -> Vec<Cell> {
    let mut cells = Vec::new();
    for scenario in SCENARIOS {
        if !args.scenarios.is_empty() && !args.scenarios.iter().any(|s| s == scenario) {
            continue;
        }
        for m in wanted {
            let missing: Vec<(String, String)> = match catalogues[&m.name].variants(scenario) {
                None => vec![("-".into(), format!("{} has no {scenario} scenario", m.name))],
                Some(offered) => args
                    .variants
                    .iter()
                    .filter(|v| !offered.iter().any(|o| &o.name == *v))
                    .map(|v| {
                        (
                            v.clone(),
                            format!("{} has no variant {v} for {scenario}", m.name),
                        )
                    })
                    .collect(),
            };
            for (variant, reason) in missing {
                cells.push(Cell::not_implemented(
                    &m.name, scenario, &variant, workers[0], reason,
                ));
            }
        }
    }
    cells
}

pub fn command(spec: &Spec, n: u64, server: Option<&str>) -> Vec<String> {
    let mut argv = vec![
        spec.bin.display().to_string(),
        "run".into(),
        spec.scenario.clone(),
        "--variant".into(),
        spec.variant.clone(),
        "--workers".into(),
        spec.workers.to_string(),
        "--n".into(),
        n.to_string(),
    ];
    if let Some(d) = spec.delay_ms {
        argv.extend(["--delay-ms".into(), d.to_string()]);
    }
    if let Some(r) = spec.rounds {
        argv.extend(["--rounds".into(), r.to_string()]);
    }
    if let (Some(addr), "net") = (server, spec.scenario.as_str()) {
        argv.extend(["--server".into(), addr.to_string()]);
    }
    argv
}

/// Show binaries relative to the workspace root, as a learner would type them.
pub fn relative(cmd: String) -> String {
    let root = format!("{}/", project::root().display());
    cmd.replace(&root, "")
}
