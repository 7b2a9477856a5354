//! `cargo xtask`: build, run, compare and check the concurrency models.
//!
//! A thin dispatcher: one module per command. xtask never links a model crate;
//! it builds their binaries and runs them as child processes (see `proc`).

mod compare;
mod compile_fail;
mod doctor;
mod engine;
mod exercise;
mod html;
mod list;
mod plot;
mod proc;
mod project;
mod render;
mod report;
mod run;
mod series;
mod sigint;
mod test;
#[cfg(test)]
mod tidy;
mod timeline;
mod workshop;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Read, run, measure and practise four concurrency models."
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// List every model's lessons and exercises.
    List,
    /// Run one lesson (by number or name), or all of a model's lessons.
    Run(run::RunArgs),
    /// Measure the models side by side and write a report.
    Compare(compare::CompareArgs),
    /// Workshop exercises: list, check your solution, or get a hint.
    #[command(subcommand)]
    Exercise(exercise::ExerciseCmd),
    /// Check that the compiler refuses each `examples-<model>/compile-fail/` case.
    CompileFail(compile_fail::CompileFailArgs),
    /// Draw which OS thread ran which unit, when: SVG and Perfetto JSON per variant.
    Timeline(timeline::TimelineArgs),
    /// Work through the exercise path: each exercise is checked when you save it.
    Watch(workshop::watch::WatchArgs),
    /// Is this machine ready for the workshop? One line per check, with what to fix.
    Doctor(doctor::DoctorArgs),
    /// Everything CI checks: fmt, clippy, tests, compile-fail, lessons, exercises, compare --quick.
    Test,
}

/// A failure with the exit code it should end the program with.
#[derive(Debug)]
pub struct Error {
    pub code: i32,
    pub msg: String,
}

impl Error {
    /// Bad input from the user: exit code 2.
    pub fn usage(msg: impl Into<String>) -> Self {
        Error {
            code: 2,
            msg: msg.into(),
        }
    }
    /// Something failed while running: exit code 1.
    pub fn failed(msg: impl Into<String>) -> Self {
        Error {
            code: 1,
            msg: msg.into(),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::failed(e.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

fn main() {
    // `cargo xtask list | head` closes the pipe early: end quietly, as other
    // command-line tools do, rather than panic on the next println!.
    // SAFETY: called before any other thread exists; SIG_DFL is always valid.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let cli: Cli = workloads::contract::parse_or_exit();
    proc::kill_children_on_interrupt();
    let outcome = match cli.command {
        Cmd::List => list::main(),
        Cmd::Run(args) => run::main(&args),
        Cmd::Compare(args) => compare::main(&args),
        Cmd::Exercise(cmd) => exercise::main(&cmd),
        Cmd::CompileFail(args) => compile_fail::main(&args),
        Cmd::Timeline(args) => timeline::main(&args),
        Cmd::Watch(args) => workshop::watch::main(&args),
        Cmd::Doctor(args) => doctor::main(&args),
        Cmd::Test => test::main(),
    };
    if let Err(e) = outcome {
        if !e.msg.is_empty() {
            eprintln!("error: {}", e.msg);
        }
        std::process::exit(e.code);
    }
}
