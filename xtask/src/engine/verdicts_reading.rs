//! How a row reads its figures: where each falls against the claim, the
//! verdict from them, and the phrases of the sentence.

use super::*;

/// Where a figure falls against what its claim needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Side {
    Claimed,
    Against,
    Inside,
}

/// What a claim needs of a figure.
#[derive(Debug, Clone, Copy)]
pub(super) enum Want {
    /// Above the threshold by more than the noise.
    Above(f64),
    /// Below it by more than the noise.
    Below(f64),
    /// Within the noise of it (a closeness claim).
    Near(f64),
    /// Not above it by more than the noise (a "does not gain" claim).
    AtMost(f64),
}

pub(super) fn side(q: &Q, want: Want) -> Side {
    let beyond = |d: f64| {
        if d > q.noise {
            Side::Claimed
        } else if -d > q.noise {
            Side::Against
        } else {
            Side::Inside
        }
    };
    match want {
        Want::Above(t) => beyond(q.value - t),
        Want::Below(t) => beyond(t - q.value),
        Want::Near(t) if (q.value - t).abs() <= q.noise => Side::Claimed,
        Want::Near(_) => Side::Against,
        Want::AtMost(t) if q.value - t > q.noise => Side::Against,
        Want::AtMost(_) => Side::Claimed,
    }
}

/// One figure of a row, where it falls, and its part of the sentence.
#[derive(Debug, Clone)]
pub(super) struct Reading {
    pub(super) figure: Figure,
    pub(super) side: Result<Side, Vec<String>>,
    pub(super) text: String,
}

impl Reading {
    pub(super) fn new(
        label: &str,
        unit: &str,
        got: Got,
        want: Want,
        text: impl FnOnce(&Q, Side) -> String,
    ) -> Reading {
        let figure = |value, noise, cells| Figure {
            label: label.into(),
            value,
            unit: unit.into(),
            noise,
            cells,
        };
        match got {
            Ok(q) => {
                let s = side(&q, want);
                Reading {
                    text: text(&q, s),
                    figure: figure(Some(q.value), Some(q.noise), q.cells),
                    side: Ok(s),
                }
            }
            Err(g) => Reading {
                figure: figure(None, None, g.cells),
                side: Err(g.why),
                text: String::new(),
            },
        }
    }

    pub(super) fn unusable(figure: Figure, why: &str) -> Reading {
        Reading {
            figure,
            side: Err(vec![why.into()]),
            text: String::new(),
        }
    }
}

/// The row's verdict and reason from its readings, the main one first.
pub(super) fn conclude(id: &str, claim: &str, readings: Vec<Reading>, sentence: String) -> Judged {
    let mut missing: Vec<String> = Vec::new();
    for why in readings
        .iter()
        .filter_map(|r| r.side.as_ref().err())
        .flatten()
    {
        if !missing.contains(why) {
            missing.push(why.clone());
        }
    }
    let (verdict, reason) = if !missing.is_empty() {
        (Verdict::Inconclusive, missing.join("; "))
    } else {
        let off: Vec<&str> = readings[1..]
            .iter()
            .filter(|r| r.side != Ok(Side::Claimed))
            .map(|r| r.figure.label.as_str())
            .collect();
        match readings[0].side {
            Ok(Side::Inside) => (
                Verdict::Inconclusive,
                format!(
                    "{sentence}: the {} is inside the noise",
                    readings[0].figure.label
                ),
            ),
            Ok(Side::Against) => (Verdict::DoesNotHold, sentence),
            _ if off.is_empty() => (Verdict::Holds, sentence),
            _ => (
                Verdict::HoldsWithCaveat,
                format!("{sentence}; caveat: {}", off.join(", ")),
            ),
        }
    };
    Judged {
        id: id.into(),
        claim: claim.into(),
        verdict,
        reason,
        figures: readings.into_iter().map(|r| r.figure).collect(),
    }
}

/// A row that compares variants differing by construction: its figures, and
/// why it gets no verdict.
pub(super) fn illustrate(
    id: &str,
    claim: &str,
    readings: Vec<Reading>,
    sentence: String,
    why: &str,
) -> Judged {
    let mut j = conclude(id, claim, readings, sentence);
    j.verdict = Verdict::Illustration;
    j.reason = format!("{}; no verdict: {why}", j.reason);
    j
}

/// The usable readings' phrases, as one list: "a, b and c".
pub(super) fn join(readings: &[Reading]) -> String {
    let parts: Vec<&str> = readings
        .iter()
        .map(|r| r.text.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    match parts.split_last() {
        None => "nothing measured".into(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Three significant digits: 9.56, 28.7, 212.
pub(super) fn sig(x: f64) -> String {
    match x.abs() {
        a if a >= 100.0 => format!("{x:.0}"),
        a if a >= 10.0 => format!("{x:.1}"),
        _ => format!("{x:.2}"),
    }
}

pub(super) fn dur(ns: f64) -> String {
    match ns {
        x if x >= 1e9 => format!("{} s", sig(x / 1e9)),
        x if x >= 1e6 => format!("{} ms", sig(x / 1e6)),
        x if x >= 1e3 => format!("{} µs", sig(x / 1e3)),
        x => format!("{x:.0} ns"),
    }
}

/// How one comparison reads: "{verb} {r}x {better} ({subject} vs {object})".
pub(super) struct Words {
    pub(super) verb: &'static str,
    pub(super) better: &'static str,
    pub(super) worse: &'static str,
    pub(super) show: fn(f64, f64) -> String,
}

pub(super) const fn words(
    verb: &'static str,
    better: &'static str,
    worse: &'static str,
    show: fn(f64, f64) -> String,
) -> Words {
    Words {
        verb,
        better,
        worse,
        show,
    }
}

pub(super) fn per_unit(a: f64, b: f64) -> String {
    format!("{} vs {} per unit", dur(a), dur(b))
}
pub(super) fn mem(a: f64, b: f64) -> String {
    format!("{} vs {} KiB per unit", sig(a), sig(b))
}
pub(super) fn time(a: f64, b: f64) -> String {
    format!("{} vs {}", dur(a), dur(b))
}

pub(super) const STARTED: Words = words("started", "faster", "slower", per_unit);
pub(super) const LESS_MEMORY: Words = words("held", "less memory", "more memory", mem);
pub(super) const MORE_MEMORY: Words = words("held", "more memory", "less memory", mem);
pub(super) const TRIP: Words = words("took", "longer", "less time", per_unit);

/// The subject against the object on one figure. The figure is the side the
/// claim says is larger over the other, so above 1 is the claim's side.
pub(super) fn compare(
    label: &str,
    w: &Words,
    subject: Got,
    object: Got,
    subject_larger: bool,
) -> Reading {
    let shown = both(&subject, &object).map(|(s, o)| (w.show)(s.value, o.value));
    let r = if subject_larger {
        ratio(&subject, &object)
    } else {
        ratio(&object, &subject)
    };
    Reading::new(label, "x", r, Want::Above(1.0), |q, side| {
        let shown = shown.unwrap_or_default();
        match side {
            Side::Inside if q.value >= 1.0 => format!(
                "{} {}x {} ({shown}, inside the noise)",
                w.verb,
                sig(q.value),
                w.better
            ),
            Side::Claimed => format!("{} {}x {} ({shown})", w.verb, sig(q.value), w.better),
            Side::Inside => format!(
                "{} {}x {} ({shown}, inside the noise)",
                w.verb,
                sig(1.0 / q.value),
                w.worse
            ),
            Side::Against => format!("{} {}x {} ({shown})", w.verb, sig(1.0 / q.value), w.worse),
        }
    })
}

impl Run<'_> {
    /// `b` read at the n of `a`'s cell (the largest that ran), so two cells
    /// of one scenario are compared at the same size.
    pub(super) fn same_n(&self, a: Ask, b: Ask, field: Field) -> (Got, Got) {
        let n = self.cell(a).ok().and_then(|c| match c.key.params.n {
            Points::One(n) => Some(n),
            Points::Many(_) => None,
        });
        (self.get(a, field), self.get(Ask { n, ..b }, field))
    }

    /// threads `serial` / the cell: a speedup on `cpu`.
    pub(super) fn cpu_speedup(&self, a: Ask) -> Got {
        let serial = self.get(ask("threads", "cpu", "serial", W::Free), Field::Median);
        ratio(&serial, &self.get(a, Field::Median))
    }
}

pub(super) const THREAD: Ask = Ask {
    model: "threads",
    scenario: "",
    variant: "spawn",
    w: W::Free,
    n: None,
};

pub(super) fn thread(scenario: &'static str) -> Ask<'static> {
    Ask { scenario, ..THREAD }
}
