//! What `compare --full` adds to the command: a progress bar that shows the
//! point being measured and the time left, and the lines that say how far
//! each series went and what stopped it.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::engine::exec::Event;
use crate::engine::plan::Spec;
use crate::engine::sweep::{self, RUN_TIMEOUT};
use crate::render;

/// The default bar, plus the estimate from the pace so far (`eta`) and
/// what is left of the budget: the run never goes past that.
pub fn progress(bar: &ProgressBar, specs: &[Spec], event: Event, started: Instant) {
    let planned = matches!(event, Event::Planned { .. });
    let run = matches!(event, Event::Run { .. });
    render::progress(bar, specs, event);
    if planned {
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} ~{eta} left {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    }
    if run {
        let left = (sweep::POLICY.budget + RUN_TIMEOUT).saturating_sub(started.elapsed());
        bar.set_message(format!("{} (at most {} left)", bar.message(), mmss(left)));
    }
}

/// `7:05`.
pub fn mmss(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}", s / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_and_seconds() {
        assert_eq!(mmss(Duration::from_secs(425)), "7:05");
    }
}
