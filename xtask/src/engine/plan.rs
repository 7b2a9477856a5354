//! Planning: which cells a comparison runs, at which sizes and with which
//! command line. A cell is one (model, scenario, variant, requested params)
//! key; its points are the unit counts it runs at (more than one for `idle`,
//! whose memory per unit is a slope). Neither prints nor parses arguments.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use workloads::record::SCENARIOS;

use super::group::Group;
use crate::report::{Cell, CellKey, KeyParams, Points};

/// The unit counts and delays of each scenario at one size level.
#[derive(Debug, Clone, PartialEq)]
pub struct Sizes {
    pub cpu_n: u64,
    /// (units, delay_ms)
    pub sleep: (u64, u64),
    /// (clients, rounds, delay_ms)
    pub net: (u64, u64, u64),
    pub spawn_n: u64,
    /// `idle` runs at each n; the slope comes from the two largest that ran.
    pub idle_n: &'static [u64],
    pub pingpong_n: u64,
}

/// A size level: the sizes xtask owns and passes to the model binaries, and
/// how many repeats, how long, and within what budget.
#[derive(Debug, Clone)]
pub struct Size {
    pub name: &'static str,
    pub sizes: Sizes,
    pub repeats_cpu: u32,
    pub repeats: u32,
    pub warmup: bool,
    pub timeout: Duration,
    /// Stop adding repeats to a group after this much of its wall time.
    pub budget: Option<Duration>,
}

pub const QUICK: Size = Size {
    name: "quick",
    sizes: Sizes {
        cpu_n: 200_000,
        sleep: (50, 10),
        net: (10, 5, 2),
        spawn_n: 200,
        idle_n: &[50, 200],
        pingpong_n: 2_000,
    },
    repeats_cpu: 1,
    repeats: 1,
    warmup: false,
    timeout: Duration::from_secs(60),
    budget: None,
};

pub const DEFAULT: Size = Size {
    name: "default",
    sizes: Sizes {
        cpu_n: 3_000_000,
        sleep: (1_000, 50),
        net: (100, 20, 5),
        spawn_n: 2_000,
        idle_n: &[500, 2_000],
        pingpong_n: 10_000,
    },
    repeats_cpu: 7,
    repeats: 5,
    warmup: true,
    timeout: Duration::from_secs(60),
    budget: Some(Duration::from_secs(18)),
};

/// `--full`: the sweeps of `engine::sweep`. `idle_n` is the ladder of unit
/// counts `spawn`, `sleep` and `idle` climb (tokio adds 10^6); `cpu` runs at
/// `cpu_n` across W; `net` and `pingpong` keep the default sizes. Its bounds
/// (a time cap per point, a budget for the run) are `sweep::POLICY`.
pub const FULL: Size = Size {
    name: "full",
    sizes: Sizes {
        cpu_n: 3_000_000,
        sleep: (100_000, 50),
        net: (100, 20, 5),
        spawn_n: 100_000,
        idle_n: &[100, 1_000, 10_000, 100_000],
        pingpong_n: 10_000,
    },
    repeats_cpu: 5,
    repeats: 3,
    warmup: true,
    timeout: super::sweep::RUN_TIMEOUT,
    budget: None,
};

/// What the learner asked to run (already validated).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Empty: every scenario.
    pub scenarios: Vec<String>,
    /// Empty: every variant (baselines always run).
    pub variants: Vec<String>,
    /// Empty: W in {1, cores} for `cpu`, W = cores for the rest.
    pub workers: Vec<u64>,
    /// Replaces every selected scenario's n (`idle` also runs at n/4).
    pub n: Option<u64>,
    /// Replaces the size's repeats (and then the budget cuts none).
    pub repeats: Option<u32>,
}

impl Selection {
    fn wants_scenario(&self, s: &str) -> bool {
        self.scenarios.is_empty() || self.scenarios.iter().any(|x| x == s)
    }
}

/// One planned cell: its key, how to launch it, and the points it runs at.
#[derive(Debug, Clone)]
pub struct Spec {
    pub key: CellKey,
    /// The group's launcher as an argv prefix.
    pub argv: Vec<String>,
    /// One run per point per repeat; more than one only for `idle`.
    pub points: Vec<u64>,
    pub repeats: u32,
    /// The budget never cuts this cell below this many repeats.
    pub min_repeats: u32,
}

impl Spec {
    pub fn group(&self) -> &str {
        &self.key.model
    }
    pub fn scenario(&self) -> &str {
        &self.key.scenario
    }

    /// The exact command line of one run at `n` (`server`: the delay server).
    pub fn command(&self, n: u64, server: Option<&str>) -> Vec<String> {
        let k = &self.key;
        let mut argv = self.argv.clone();
        argv.extend(["run".into(), k.scenario.clone(), "--variant".into()]);
        argv.push(k.variant.clone());
        if let Some(w) = k.params.workers {
            argv.extend(["--workers".into(), w.to_string()]);
        }
        argv.extend(["--n".into(), n.to_string()]);
        if let Some(d) = k.params.delay_ms {
            argv.extend(["--delay-ms".into(), d.to_string()]);
        }
        if let Some(r) = k.params.rounds {
            argv.extend(["--rounds".into(), r.to_string()]);
        }
        if let (Some(addr), "net") = (server, k.scenario.as_str()) {
            argv.extend(["--server".into(), addr.to_string()]);
        }
        argv
    }
}

/// A group's sizes at this level: its own, or the run's.
fn sizes<'a>(group: &'a Group, size: &'a Size) -> &'a Sizes {
    match &group.def.sizes {
        Some(own) => match size.name {
            "quick" => &own.quick,
            "full" => &own.full,
            _ => &own.default,
        },
        None => &size.sizes,
    }
}

/// (points, delay_ms, rounds) of `scenario` at these sizes.
fn points(sizes: &Sizes, scenario: &str, n: Option<u64>) -> (Vec<u64>, Option<u64>, Option<u64>) {
    let (ns, delay_ms, rounds) = match scenario {
        "cpu" => (vec![sizes.cpu_n], None, None),
        "sleep" => (vec![sizes.sleep.0], Some(sizes.sleep.1), None),
        "net" => (vec![sizes.net.0], Some(sizes.net.2), Some(sizes.net.1)),
        "spawn" => (vec![sizes.spawn_n], None, None),
        "idle" => (sizes.idle_n.to_vec(), None, None),
        _ => (vec![sizes.pingpong_n], None, None),
    };
    let ns = match (n, scenario) {
        (Some(n), "idle") => vec![(n / 4).max(1), n],
        (Some(n), _) => vec![n],
        (None, _) => ns,
    };
    (ns, delay_ms, rounds)
}

fn key(group: &str, scenario: &str, variant: &str, workers: Option<u64>, p: &[u64]) -> CellKey {
    CellKey {
        model: group.into(),
        scenario: scenario.into(),
        variant: variant.into(),
        params: KeyParams {
            workers,
            n: if scenario == "idle" {
                Points::Many(p.to_vec())
            } else {
                Points::One(p[0])
            },
            delay_ms: None,
            rounds: None,
        },
    }
}

/// The n of a one-unit-after-another cell: 4 x cores sleeps (claim 4 reads
/// them: past the core count, waiting threads still gain), one client per
/// core for `net`, whose clients make 20 round trips each.
fn one_by_one_n(scenario: &str, cores: u64) -> u64 {
    if scenario == "sleep" {
        4 * cores
    } else {
        cores
    }
}

/// Whether the default run leaves `scenario` out for `group` (see
/// [`GroupSizes::default_scenarios`](super::group::GroupSizes)): only when
/// the learner named no scenario.
fn left_out(sel: &Selection, size: &Size, group: &Group, scenario: &str) -> bool {
    let only = group.def.sizes.as_ref().and_then(|s| s.default_scenarios);
    size.name == DEFAULT.name
        && sel.scenarios.is_empty()
        && only.is_some_and(|only| !only.contains(&scenario))
}

/// Whether the default run measures `cpu` at W = cores only for `group`
/// (see [`GroupSizes::default_cpu_both_ends`](super::group::GroupSizes)).
fn one_end(size: &Size, group: &Group) -> bool {
    size.name == DEFAULT.name
        && group
            .def
            .sizes
            .as_ref()
            .is_some_and(|s| !s.default_cpu_both_ends)
}

/// Scenarios whose units wait rather than compute.
fn waits(scenario: &str) -> bool {
    matches!(scenario, "sleep" | "net")
}

/// Every cell to run: for each selected scenario and wanted group, the
/// group's baseline first, then its variants, each at every W it takes.
/// A variant that takes no W is one cell (`workers: null`), whatever W asks.
/// In a waiting scenario the group's one-after-another variant (its `cpu`
/// baseline, `serial`) runs at a small n of its own (never more than the
/// run's n), beside a unit per thread at that n.
pub fn plan(
    sel: &Selection,
    size: &Size,
    groups: &BTreeMap<String, Group>,
    wanted: &[String],
    cores: u64,
) -> Vec<Spec> {
    let mut specs = Vec::new();
    let mut seen = BTreeSet::new();
    for scenario in SCENARIOS.iter().copied().filter(|s| sel.wants_scenario(s)) {
        for name in wanted {
            let Some(group) = groups.get(name) else {
                continue;
            };
            if left_out(sel, size, group, scenario) {
                continue;
            }
            let (ns, delay_ms, rounds) = points(sizes(group, size), scenario, sel.n);
            let repeats = sel.repeats.unwrap_or(match scenario {
                "cpu" => size.repeats_cpu,
                "idle" => size.repeats.min(3),
                _ => size.repeats,
            });
            let baseline = &group.def.baseline;
            let mut cells = vec![(
                baseline.model.as_str(),
                baseline.variant(scenario),
                ns.clone(),
            )];
            for v in group.catalogue.variants(scenario).unwrap_or_default() {
                if !sel.variants.is_empty() && !sel.variants.contains(&v.name) {
                    continue;
                }
                if waits(scenario) && (name.as_str(), v.name.as_str()) == baseline.one_by_one() {
                    // One unit after another takes n x delay: it runs at a
                    // small n of its own, and so does the unit per thread it
                    // is compared with.
                    let small = vec![ns[0].min(one_by_one_n(scenario, cores))];
                    cells.push((name.as_str(), v.name.as_str(), small.clone()));
                    cells.push((baseline.model.as_str(), baseline.other.as_str(), small));
                } else {
                    cells.push((name.as_str(), v.name.as_str(), ns.clone()));
                }
            }
            for (model, variant, ns) in cells {
                let Some(owner) = groups.get(model) else {
                    continue;
                };
                let Some(info) = owner.catalogue.variant(scenario, variant) else {
                    continue;
                };
                if info.unavailable.is_some() {
                    continue;
                }
                let axis: Vec<Option<u64>> = if !info.takes_workers {
                    vec![None]
                } else if !sel.workers.is_empty() {
                    sel.workers.iter().copied().map(Some).collect()
                } else if scenario == "cpu" && !one_end(size, owner) {
                    // The two ends of the speedup curve.
                    BTreeSet::from([1, cores]).into_iter().map(Some).collect()
                } else {
                    vec![Some(cores)]
                };
                for workers in axis {
                    let mut key = key(model, scenario, variant, workers, &ns);
                    key.params.delay_ms = delay_ms;
                    key.params.rounds = rounds;
                    if !seen.insert(key.clone()) {
                        continue;
                    }
                    let floor = if scenario == "cpu" { 7 } else { 3 };
                    specs.push(Spec {
                        key,
                        argv: owner.argv.clone(),
                        points: ns.clone(),
                        repeats,
                        min_repeats: floor.min(repeats),
                    });
                }
            }
        }
    }
    specs
}

/// Check the selection's names against what the wanted groups offer: a typo
/// is an error that lists the valid choices.
pub fn validate(
    sel: &Selection,
    groups: &BTreeMap<String, Group>,
    wanted: &[String],
) -> Result<(), String> {
    for s in &sel.scenarios {
        if !SCENARIOS.contains(&s.as_str()) {
            return Err(format!(
                "unknown scenario '{s}' (valid: {})",
                SCENARIOS.join(", ")
            ));
        }
    }
    let offered: BTreeSet<&str> = wanted
        .iter()
        .filter_map(|m| groups.get(m))
        .flat_map(|g| g.catalogue.scenarios.iter())
        .filter(|s| sel.wants_scenario(&s.name))
        .flat_map(|s| s.variants.iter().map(|v| v.name.as_str()))
        .collect();
    for v in &sel.variants {
        if !offered.contains(v.as_str()) {
            let valid: Vec<&str> = offered.iter().copied().collect();
            return Err(format!(
                "unknown variant '{v}' for these models and scenarios (valid: {})",
                valid.join(", ")
            ));
        }
    }
    Ok(())
}

/// A `not-implemented` cell for each selected scenario a wanted group lacks,
/// each variant asked for by name that it lacks, and each variant it marks
/// unavailable on this machine (with the reason it gives).
pub fn missing_cells(
    sel: &Selection,
    size: &Size,
    groups: &BTreeMap<String, Group>,
    wanted: &[String],
) -> Vec<Cell> {
    let mut cells = Vec::new();
    for scenario in SCENARIOS.iter().copied().filter(|s| sel.wants_scenario(s)) {
        for name in wanted {
            let Some(group) = groups.get(name) else {
                continue;
            };
            if left_out(sel, size, group, scenario) {
                continue;
            }
            let (ns, _, _) = points(sizes(group, size), scenario, sel.n);
            let missing: Vec<(String, String)> = match group.catalogue.variants(scenario) {
                None => vec![("-".into(), format!("{name} has no {scenario} scenario"))],
                Some(offered) => sel
                    .variants
                    .iter()
                    .filter(|v| !offered.iter().any(|o| &o.name == *v))
                    .map(|v| {
                        (
                            v.clone(),
                            format!("{name} has no variant {v} for {scenario}"),
                        )
                    })
                    .chain(offered.iter().filter_map(|v| {
                        let why = v.unavailable.as_ref()?;
                        let asked = sel.variants.is_empty() || sel.variants.contains(&v.name);
                        asked.then(|| (v.name.clone(), format!("unavailable here: {why}")))
                    }))
                    .collect(),
            };
            for (variant, reason) in missing {
                cells.push(Cell::not_implemented(
                    key(name, scenario, &variant, None, &ns),
                    reason,
                ));
            }
        }
    }
    cells
}

#[cfg(test)]
#[path = "plan_tests.rs"]
pub mod tests;
