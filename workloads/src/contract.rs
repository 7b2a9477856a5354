//! The command line every model binary accepts, and the
//! exit codes xtask relies on:
//!
//! ```text
//! <bin> scenarios                      # JSON catalogue of scenarios and variants
//! <bin> run <scenario> --variant V --workers W --n N [--delay-ms D] [--rounds R] [--server ADDR] [--trace FILE]
//! ```
//!
//! Exit 0: one JSON [`Record`] on stdout. Exit 2: bad input, one line on
//! stderr naming the valid choices. Exit 3: an OS limit would bind, one JSON
//! [`LimitHit`] on stdout. Exit 1: any other failure, with a message.
//!
//! Each model's `main.rs` hands its catalogue and its `run` function to
//! [`serve`]; everything about the concurrency stays in the model crate.

use std::io::Write;
use std::net::SocketAddr;
use std::process::exit;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand};

use crate::cpu::MAX_N;
use crate::record::{Catalogue, LimitHit, Record};

/// Upper bound on `--workers`: far above any laptop's cores, low enough that a
/// typo (`--workers 20000000`) is refused instead of exhausting the machine.
pub const MAX_WORKERS: usize = 4096;
/// Upper bound on `--n` for the unit-count scenarios; the OS limits (threads,
/// mappings, file descriptors) are checked at run time and bind far earlier.
pub const MAX_UNITS: u64 = 10_000_000;
/// Upper bound on `--delay-ms`, also enforced by the delay server.
pub const MAX_DELAY_MS: u64 = 60_000;

#[derive(Debug, Parser)]
#[command(
    about = "A model binary of concurrency-models: run one measured cell (driven by `cargo xtask compare`)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the scenarios and variants this binary implements, as JSON.
    Scenarios,
    /// Run one cell and print one JSON record on stdout.
    Run(RunArgs),
}

/// The parameters of one cell. xtask owns the sizes and passes them in.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// cpu, sleep, net, spawn, idle or pingpong (see `scenarios`).
    pub scenario: String,
    /// Which face of the model to run (see `scenarios`).
    #[arg(long)]
    pub variant: String,
    /// OS threads or processes doing the work.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=MAX_WORKERS as u64))]
    pub workers: u64,
    /// Size of the job: numbers to test (cpu) or units to start.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_N))]
    pub n: u64,
    /// How long each unit waits (sleep) or the server delays each reply (net).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(0..=MAX_DELAY_MS))]
    pub delay_ms: u64,
    /// Request/reply round trips per client (net).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub rounds: u64,
    /// Address of the loopback delay server (net).
    #[arg(long)]
    pub server: Option<SocketAddr>,
    /// Also write a timeline of the run to FILE (cpu and sleep): which OS
    /// thread ran which unit, when (see [`crate::trace`]). Never for a measured cell.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<std::path::PathBuf>,
}

/// The scenarios `--trace` records.
pub const TRACED_SCENARIOS: &[&str] = &["cpu", "sleep"];

impl RunArgs {
    pub fn workers(&self) -> usize {
        self.workers as usize
    }
}

/// Why a run produced no record.
#[derive(Debug)]
pub enum Failure {
    /// Bad input: exit 2 with this one line.
    Usage(String),
    /// An OS limit would bind: exit 3 with a [`LimitHit`] line.
    Limit(LimitHit),
    /// Anything else: exit 1 with this message.
    Other(String),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Other(e.to_string())
    }
}

/// Parse the command line, dispatch to `run` and print its outcome with the
/// contract's exit codes. Never returns.
pub fn serve(catalogue: Catalogue, run: impl FnOnce(&RunArgs) -> Result<Record, Failure>) -> ! {
    crate::sys::raise_nofile_limit();
    let cli: Cli = parse_or_exit();
    match cli.command {
        Command::Scenarios => {
            println!(
                "{}",
                serde_json::to_string(&catalogue).expect("catalogue serialises")
            );
            exit(0)
        }
        Command::Run(args) => {
            if let Err(msg) = validate(&catalogue, &args) {
                usage_error(&msg)
            }
            if args.trace.is_some() {
                // Room for every event up front: a chunk or unit has a few.
                let units = if args.scenario == "cpu" {
                    crate::cpu::CHUNKS as u64
                } else {
                    args.n
                };
                crate::trace::start((units * 4).min(1 << 22) as usize);
            }
            match run(&args) {
                Ok(record) => {
                    if let Some(path) = &args.trace {
                        // After the work, outside what `elapsed_ns` timed.
                        if let Err(e) = crate::trace::finish(
                            path,
                            &catalogue.model,
                            &args.scenario,
                            &args.variant,
                        ) {
                            eprintln!("error: {e}");
                            exit(1)
                        }
                    }
                    let mut out = std::io::stdout().lock();
                    let line = serde_json::to_string(&record).expect("record serialises");
                    // A closed stdout is not worth a panic trace.
                    let _ = writeln!(out, "{line}").and_then(|_| out.flush());
                    exit(0)
                }
                Err(Failure::Usage(msg)) => usage_error(&msg),
                Err(Failure::Limit(hit)) => {
                    println!("{}", serde_json::to_string(&hit).expect("limit serialises"));
                    eprintln!("limit {}: {}", hit.limit, hit.reason);
                    exit(3)
                }
                Err(Failure::Other(msg)) => {
                    eprintln!("error: {msg}");
                    exit(1)
                }
            }
        }
    }
}

/// Check the scenario and variant names against the catalogue, and the sizes
/// that are only bad for some scenarios.
pub fn validate(catalogue: &Catalogue, args: &RunArgs) -> Result<(), String> {
    let Some(variants) = catalogue.variant_names(&args.scenario) else {
        let names: Vec<&str> = catalogue
            .scenarios
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        return Err(format!(
            "unknown scenario '{}' for model {} (valid: {})",
            args.scenario,
            catalogue.model,
            names.join(", ")
        ));
    };
    if !variants.contains(&args.variant.as_str()) {
        return Err(format!(
            "unknown variant '{}' for {} {} (valid: {})",
            args.variant,
            catalogue.model,
            args.scenario,
            variants.join(", ")
        ));
    }
    if let Some(reason) = catalogue
        .variant(&args.scenario, &args.variant)
        .and_then(|v| v.unavailable.as_deref())
    {
        return Err(format!(
            "variant '{}' of {} is unavailable here: {reason}",
            args.variant, catalogue.model
        ));
    }
    if args.scenario != "cpu" && args.n > MAX_UNITS {
        return Err(format!(
            "--n {} is too large for {} (valid: 1..={MAX_UNITS})",
            args.n, args.scenario
        ));
    }
    if args.trace.is_some() && !TRACED_SCENARIOS.contains(&args.scenario.as_str()) {
        return Err(format!(
            "--trace records the {} scenarios, not {} (valid: {})",
            TRACED_SCENARIOS.join(" and "),
            args.scenario,
            TRACED_SCENARIOS.join(", ")
        ));
    }
    if args.scenario == "net" && args.server.is_none() {
        return Err(
            "net needs --server ADDR (start `delay-server` first; `cargo xtask compare` does)"
                .into(),
        );
    }
    Ok(())
}

/// Print a one-line bad-input message and exit 2.
pub fn usage_error(msg: &str) -> ! {
    let msg = msg.strip_prefix("error: ").unwrap_or(msg);
    eprintln!("error: {msg}");
    exit(2)
}

/// `P::parse()`, but a bad command line gives one line naming the valid
/// choices and exit code 2, rather than clap's multi-line report.
pub fn parse_or_exit<P: Parser>() -> P {
    match P::try_parse() {
        Ok(p) => p,
        Err(err) => exit_on_clap_error(err, &P::command()),
    }
}

/// Print `err` as one line (help and version pass through unchanged) and exit.
pub fn exit_on_clap_error(err: clap::Error, cmd: &clap::Command) -> ! {
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => err.exit(),
        _ => usage_error(&one_line(&err, cmd)),
    }
}

fn one_line(err: &clap::Error, cmd: &clap::Command) -> String {
    let rendered = err.render().to_string();
    let mut line = rendered
        .lines()
        .next()
        .unwrap_or("invalid arguments")
        .trim()
        .to_string();
    if let (ErrorKind::MissingRequiredArgument, Some(ContextValue::Strings(missing))) =
        (err.kind(), err.get(ContextKind::InvalidArg))
    {
        line = format!("error: missing required argument {}", missing.join(", "));
    }
    let valid: Vec<String> = match (err.kind(), err.get(ContextKind::ValidValue)) {
        (_, Some(ContextValue::Strings(values))) => values.clone(),
        (ErrorKind::InvalidSubcommand, _) => cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect(),
        _ => Vec::new(),
    };
    if !valid.is_empty() {
        line.push_str(&format!(" (valid: {})", valid.join(", ")));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::VariantInfo;
    use clap::CommandFactory;

    fn args(v: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("bin").chain(v.iter().copied()))
    }

    fn catalogue() -> Catalogue {
        Catalogue::new(
            "threads",
            &[
                (
                    "cpu",
                    &[
                        VariantInfo::fixed("serial"),
                        VariantInfo::with_workers("scoped"),
                    ],
                ),
                ("net", &[VariantInfo::fixed("spawn")]),
            ],
        )
    }

    fn run_args(v: &[&str]) -> RunArgs {
        match args(v).unwrap().command {
            Command::Run(a) => a,
            other => panic!("expected run, got {other:?}"),
        }
    }

    #[test]
    fn bad_numbers_are_refused_by_the_parser() {
        for bad in [
            &["run", "cpu", "--variant", "serial", "--n", "0"][..],
            &["run", "cpu", "--variant", "serial", "--n", "-5"],
            &["run", "cpu", "--variant", "serial", "--n", "lots"],
            &["run", "cpu", "--variant", "serial", "--n", "999999999999"],
            &[
                "run",
                "cpu",
                "--variant",
                "serial",
                "--n",
                "10",
                "--workers",
                "100000",
            ],
        ] {
            let err = args(bad).expect_err("must be refused");
            let line = one_line(&err, &Cli::command());
            assert!(!line.contains('\n') && line.starts_with("error:"), "{line}");
        }
    }

    #[test]
    fn unknown_names_list_the_valid_choices() {
        let c = catalogue();
        let e = validate(
            &c,
            &run_args(&["run", "nosuch", "--variant", "x", "--n", "5"]),
        )
        .unwrap_err();
        assert!(e.contains("valid: cpu, net"), "{e}");
        let e = validate(
            &c,
            &run_args(&["run", "cpu", "--variant", "gil", "--n", "5"]),
        )
        .unwrap_err();
        assert!(e.contains("valid: serial, scoped"), "{e}");
        let e = validate(
            &c,
            &run_args(&["run", "net", "--variant", "spawn", "--n", "5"]),
        )
        .unwrap_err();
        assert!(e.contains("--server"), "{e}");
        assert!(validate(
            &c,
            &run_args(&["run", "cpu", "--variant", "scoped", "--n", "5"])
        )
        .is_ok());
    }

    #[test]
    fn a_missing_argument_is_named() {
        let err = args(&["run", "cpu", "--variant", "serial"]).unwrap_err();
        let line = one_line(&err, &Cli::command());
        assert!(line.contains("--n"), "{line}");
    }

    #[test]
    fn unknown_subcommand_lists_the_subcommands() {
        let err = args(&["frobnicate"]).unwrap_err();
        let line = one_line(&err, &Cli::command());
        assert!(line.contains("scenarios") && line.contains("run"), "{line}");
    }
}
