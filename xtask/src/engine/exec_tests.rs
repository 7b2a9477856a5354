//! The runner driven by a fake executor: no process is started.

use super::*;
use crate::report::{CellKey, KeyParams, Points};
use std::cell::Cell as StdCell;

/// (scenario, variant, n) -> the exit code and stdout of a scripted run.
pub type Script = Box<dyn Fn(&str, &str, u64) -> Option<(i32, String)>>;

/// A fake model binary: answers every run with a record (check = n, or the
/// prime count for cpu), or with whatever `script` says for that argv.
pub struct Fake {
    pub wall: Duration,
    /// Added to `wall` per unit of n (a sweep's time cap reads it).
    pub wall_per_unit: Duration,
    /// (scenario, variant, n) -> exit code and stdout, for the runs to script.
    pub script: Script,
    /// Memory growth per unit the fake `idle` reports, KiB.
    pub kib_per_unit: u64,
    pub mem_available_kib: Option<u64>,
    pub log: Vec<String>,
    /// Interrupt after this many runs.
    pub interrupt_after: Option<usize>,
    interrupted: StdCell<bool>,
}

impl Fake {
    pub fn new() -> Self {
        Fake {
            wall: Duration::from_millis(10),
            wall_per_unit: Duration::ZERO,
            script: Box::new(|_, _, _| None),
            kib_per_unit: 10,
            mem_available_kib: Some(1 << 30),
            log: Vec::new(),
            interrupt_after: None,
            interrupted: StdCell::new(false),
        }
    }
}

fn arg<'a>(argv: &'a [String], flag: &str) -> Option<&'a str> {
    let i = argv.iter().position(|a| a == flag)?;
    argv.get(i + 1).map(String::as_str)
}

impl Executor for Fake {
    fn run(&mut self, argv: &[String], timeout: Duration) -> Result<Finished> {
        let scenario = argv[2].clone();
        let variant = arg(argv, "--variant").unwrap().to_string();
        let n: u64 = arg(argv, "--n").unwrap().parse().unwrap();
        self.log.push(format!("{variant}@{n}"));
        if self.interrupt_after == Some(self.log.len()) {
            self.interrupted.set(true);
        }
        let scripted = (self.script)(&scenario, &variant, n);
        let answered = scripted.is_some();
        let (code, stdout) = scripted.unwrap_or_else(|| {
            let check = if scenario == "cpu" {
                reference_prime_count(n)
            } else {
                n
            };
            let memory = (scenario == "idle").then(|| workloads::record::Memory {
                rss_before_kib: Some(1000),
                rss_after_kib: Some(1000 + self.kib_per_unit * n),
                ..Default::default()
            });
            let record = Record {
                model: "fake".into(),
                scenario: scenario.clone(),
                variant: variant.clone(),
                params: workloads::record::Params {
                    workers: 1,
                    n,
                    delay_ms: None,
                    rounds: None,
                },
                elapsed_ns: 1000 + n,
                startup_ns: 0,
                ops: n,
                check,
                memory,
                os_threads: Some(1),
            };
            (0, serde_json::to_string(&record).unwrap())
        });
        // A run scripted by its time per unit is killed at its timeout.
        let wall = self.wall + self.wall_per_unit * n as u32;
        let killed = !answered && self.wall_per_unit > Duration::ZERO && wall > timeout;
        Ok(Finished {
            // -1 scripts a run killed by its timeout.
            exit: if code == -1 || killed {
                Exit::Timeout
            } else {
                Exit::Code(code)
            },
            stdout,
            stderr: "error: scripted\n".into(),
            cpu: Some(self.wall),
            peak_rss_kib: Some(2000),
            wall: if killed { timeout } else { wall },
        })
    }
    fn mem_available_kib(&mut self) -> Option<u64> {
        self.mem_available_kib
    }
    fn interrupted(&self) -> bool {
        self.interrupted.get()
    }
}

pub fn spec(group: &str, scenario: &str, variant: &str, points: &[u64], repeats: u32) -> Spec {
    Spec {
        key: CellKey {
            model: group.into(),
            scenario: scenario.into(),
            variant: variant.into(),
            params: KeyParams {
                workers: None,
                n: if points.len() > 1 {
                    Points::Many(points.to_vec())
                } else {
                    Points::One(points[0])
                },
                delay_ms: None,
                rounds: None,
            },
        },
        argv: vec!["fake".into()],
        points: points.to_vec(),
        repeats,
        min_repeats: 1,
    }
}

pub fn policy(warmup: bool, budget: Option<Duration>) -> Policy {
    Policy {
        warmup,
        timeout: Duration::from_secs(1),
        budget,
        sweep: None,
    }
}

pub fn run(specs: &[Spec], policy: &Policy, fake: &mut Fake) -> (Outcome, Vec<Event>) {
    let mut events = Vec::new();
    let out = execute(specs, policy, None, fake, &mut |e| events.push(e)).unwrap();
    (out, events)
}

#[test]
fn cells_are_interleaved_after_one_warm_up_per_binary_and_scenario() {
    let mut other = spec("g", "sleep", "c", &[30], 2);
    other.argv = vec!["another-binary".into()];
    let specs = [
        spec("g", "spawn", "a", &[10], 2),
        spec("g", "spawn", "b", &[20], 2),
        other,
    ];
    let mut fake = Fake::new();
    let (out, events) = run(&specs, &policy(true, None), &mut fake);
    // a warms up the spawn scenario of its binary, so b needs none; c is
    // another binary and scenario.
    assert_eq!(
        fake.log,
        ["a@10", "c@30", "a@10", "b@20", "c@30", "a@10", "b@20", "c@30"]
    );
    let warmups = events
        .iter()
        .filter(|e| matches!(e, Event::Run { warmup: true, .. }))
        .count();
    assert_eq!(warmups, 2);
    assert_eq!(events[0], Event::Planned { runs: 8 });
    // The warm-up is not a sample.
    assert_eq!(out.progress[0].samples[0].len(), 2);
    assert!(!out.interrupted);
}

#[test]
fn a_slow_warm_up_is_kept_as_a_repeat() {
    let specs = [spec("g", "spawn", "a", &[10], 2)];
    let mut fake = Fake::new();
    fake.wall = Duration::from_secs(2);
    let (out, _) = run(&specs, &policy(true, None), &mut fake);
    assert_eq!(fake.log.len(), 2, "{:?}", fake.log);
    assert_eq!(out.progress[0].samples[0].len(), 2);
}

#[test]
fn a_spent_budget_cuts_repeats_but_never_below_the_minimum() {
    let mut a = spec("g", "spawn", "a", &[10], 9);
    a.min_repeats = 3;
    let other = spec("h", "spawn", "x", &[10], 9);
    let mut fake = Fake::new();
    fake.wall = Duration::from_millis(400);
    // 400 ms a run against a 1 s budget: g is over it after its third run.
    let (out, events) = run(
        &[a, other],
        &policy(false, Some(Duration::from_secs(1))),
        &mut fake,
    );
    assert_eq!(out.progress[0].samples[0].len(), 3);
    assert_eq!(
        out.progress[1].samples[0].len(),
        3,
        "h has a budget of its own"
    );
    assert_eq!(out.budget_spent, ["g", "h"]);
    assert!(events.contains(&Event::BudgetSpent { group: "g".into() }));
}

#[test]
fn a_limit_stops_its_point_and_the_larger_ones_only() {
    let specs = [spec("g", "idle", "a", &[100, 1000, 5000], 2)];
    let mut fake = Fake::new();
    fake.script = Box::new(|_, _, n| {
        (n == 1000).then(|| {
            (
                3,
                r#"{"status":"limit","limit":"vm.max_map_count","reason":"too many"}"#.into(),
            )
        })
    });
    let (out, _) = run(&specs, &policy(false, None), &mut fake);
    let p = &out.progress[0];
    assert_eq!(p.samples[0].len(), 2, "the smaller point still runs");
    assert!(p.samples[1].is_empty() && p.samples[2].is_empty());
    assert_eq!(p.stopped[1].as_ref().unwrap().0, Status::Limit);
    assert_eq!(p.stopped[2].as_ref().unwrap().0, Status::Limit);
    assert!(!fake.log.contains(&"a@5000".to_string()), "{:?}", fake.log);
}

#[test]
fn a_failure_ends_the_whole_cell() {
    let specs = [spec("g", "spawn", "a", &[10], 3)];
    let mut fake = Fake::new();
    fake.script = Box::new(|_, _, _| Some((101, String::new())));
    let (out, _) = run(&specs, &policy(false, None), &mut fake);
    assert_eq!(fake.log.len(), 1);
    let (status, reason) = out.progress[0].stopped[0].clone().unwrap();
    assert_eq!(status, Status::Failed);
    assert!(
        reason.contains("exit code 101") && reason.contains("scripted"),
        "{reason}"
    );
}

#[test]
fn a_point_that_would_need_half_the_memory_is_refused_as_a_memory_limit() {
    // 10 KiB a unit at n = 100; n = 100,000 would need ~977 MiB of 1 GiB available.
    let specs = [spec("g", "idle", "a", &[100, 1000, 100_000], 1)];
    let mut fake = Fake::new();
    fake.mem_available_kib = Some(1 << 20);
    let (out, _) = run(&specs, &policy(false, None), &mut fake);
    assert_eq!(fake.log, ["a@100", "a@1000"]);
    let (status, reason) = out.progress[0].stopped[2].clone().unwrap();
    assert_eq!(status, Status::Limit);
    assert!(
        reason.starts_with("memory:") && reason.contains("MemAvailable"),
        "{reason}"
    );
    assert_eq!(
        out.progress[0].samples[1].len(),
        1,
        "the smaller points keep their samples"
    );
}

#[test]
fn ctrl_c_stops_the_run_and_keeps_what_was_measured() {
    let specs = [
        spec("g", "spawn", "a", &[10], 5),
        spec("g", "spawn", "b", &[10], 5),
    ];
    let mut fake = Fake::new();
    fake.interrupt_after = Some(3);
    let (out, _) = run(&specs, &policy(false, None), &mut fake);
    assert!(out.interrupted);
    assert_eq!(fake.log.len(), 3);
    // a, b, then a again, killed by Ctrl-C: that last run is no sample.
    assert_eq!(fake.log, ["a@10", "b@10", "a@10"]);
    assert_eq!(out.progress[0].samples[0].len(), 1);
    assert_eq!(out.progress[1].samples[0].len(), 1);
    assert!(
        out.progress[0].stopped[0].is_none(),
        "an interrupted run is not a failure"
    );
}

#[test]
fn judge_reads_the_contract_exit_codes() {
    let finished = |code: i32, stdout: &str| Finished {
        exit: Exit::Code(code),
        stdout: stdout.into(),
        stderr: "error: something\n".into(),
        cpu: None,
        peak_rss_kib: None,
        wall: Duration::ZERO,
    };
    let t = Duration::from_secs(1);
    let rec = r#"{"model":"threads","scenario":"cpu","variant":"serial","params":{"workers":1,"n":10},"elapsed_ns":5,"startup_ns":0,"ops":10,"check":4}"#;
    assert!(judge(&finished(0, rec), 4, t).is_ok());
    let (status, reason) = judge(&finished(0, rec), 5, t).unwrap_err();
    assert_eq!(
        (status, reason.as_str()),
        (Status::Failed, "check: expected 5, got 4")
    );
    let limit = r#"{"status":"limit","limit":"vm.max_map_count","reason":"too many"}"#;
    assert_eq!(
        judge(&finished(3, limit), 4, t).unwrap_err().0,
        Status::Limit
    );
    assert_eq!(
        judge(&finished(0, "garbage"), 4, t).unwrap_err().0,
        Status::Failed
    );
    assert_eq!(
        judge(&finished(101, ""), 4, t).unwrap_err().0,
        Status::Failed
    );
}
