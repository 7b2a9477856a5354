//! `--against PREVIOUS.json`: each cell's change since an earlier report (two
//! laptops, or before and after a change to the code), marking a change that
//! is inside the noise of the two cells as such.
//!
//! Cells are paired by key. Where the two machines allow different core
//! counts, a cell is paired by its role instead: W = cores here with W =
//! cores there, W = 1 with W = 1.

use crate::report::{Against, Cell, CellKey, Change, Report, Status};

/// What a cell measures for this comparison: its median time, or for `idle`
/// the memory per unit of one unit's own (PSS, else RSS), with its relative noise.
fn figure(c: &Cell) -> Option<(f64, Option<f64>)> {
    if c.status != Status::Ok {
        return None;
    }
    if let Some(m) = &c.mem_per_unit_kib {
        let value = m.pss.or(m.rss)?;
        let noise = c.mem_noise_kib.as_ref().and_then(|n| n.pss.or(n.rss));
        return Some((value, noise.map(|n| n / value.abs().max(f64::EPSILON))));
    }
    Some((c.median_ns? as f64, c.spread))
}

/// The key a cell of this run would have had on the earlier machine.
fn role(key: &CellKey, cores_now: u64, cores_then: u64) -> CellKey {
    let mut k = key.clone();
    if k.params.workers == Some(cores_now) {
        k.params.workers = Some(cores_then);
    }
    k
}

/// Mark each cell of `now` with its change since `then`, and say what the
/// reader should know about the pairing.
pub fn compare(now: &mut Report, then: &Report, path: &str) {
    let (cores_now, cores_then) = (now.environment.cores, then.environment.cores);
    let mut notes = Vec::new();
    if cores_now != cores_then {
        notes.push(format!(
            "the machines differ: {cores_now} cores here, {cores_then} there; cells at W = cores are paired with W = cores, W = 1 with W = 1"
        ));
    }
    if now.environment.cpu_model != then.environment.cpu_model {
        notes.push(format!(
            "the CPUs differ: {} here, {} there",
            now.environment.cpu_model.as_deref().unwrap_or("n/a"),
            then.environment.cpu_model.as_deref().unwrap_or("n/a")
        ));
    }
    let mut paired = 0;
    for cell in &mut now.cells {
        let key = role(&cell.key, cores_now as u64, cores_then as u64);
        let Some(before) = then.cells.iter().find(|c| c.key == key) else {
            continue;
        };
        let (Some((a, na)), Some((b, nb))) = (figure(before), figure(cell)) else {
            continue;
        };
        if a <= 0.0 || b <= 0.0 {
            continue;
        }
        paired += 1;
        // The noise of a change is the larger spread of the two cells.
        let noise = match (na, nb) {
            (Some(x), Some(y)) => Some(x.max(y)),
            _ => None,
        };
        let ratio = a / b;
        cell.change = Some(Change {
            before: a,
            ratio,
            inside_noise: noise.map(|n| (b / a - 1.0).abs() <= n),
        });
    }
    notes.push(format!("{paired} of {} cells paired", now.cells.len()));
    now.against = Some(Against {
        path: path.to_string(),
        created: then.created.clone(),
        notes,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::sample_report;

    /// A copy of `r` whose cells took `factor` times as long, with `spread`.
    fn slower(r: &Report, factor: f64, spread: f64) -> Report {
        let mut r = r.clone();
        for c in &mut r.cells {
            c.median_ns = c.median_ns.map(|m| (m as f64 * factor) as u64);
            c.spread = Some(spread);
        }
        r
    }

    #[test]
    fn a_change_beyond_the_noise_is_marked_and_one_inside_is_not() {
        let then = slower(&sample_report(), 1.0, 0.02);
        // Twice as fast now: far outside a 2 % noise.
        let mut now = slower(&then, 0.5, 0.02);
        compare(&mut now, &then, "before.json");
        let serial = now.cells[0].change.clone().unwrap();
        assert_eq!(serial.ratio, 2.0);
        assert_eq!(serial.inside_noise, Some(false));
        // 1 % slower with a 2 % spread: inside the noise.
        let mut now = slower(&then, 1.01, 0.02);
        compare(&mut now, &then, "before.json");
        assert_eq!(
            now.cells[0].change.clone().unwrap().inside_noise,
            Some(true)
        );
        let against = now.against.unwrap();
        assert_eq!(against.path, "before.json");
        assert!(
            against.notes.iter().all(|n| !n.contains("differ")),
            "{:?}",
            against.notes
        );
    }

    #[test]
    fn different_machines_are_named_and_paired_by_role() {
        let mut then = sample_report();
        then.environment.cores = 8;
        then.environment.cpu_model = Some("a big one".into());
        then.cells[0].key.params.workers = Some(8);
        let mut now = sample_report();
        now.cells[0].key.params.workers = Some(2);
        now.cells[0].median_ns = Some(400);
        compare(&mut now, &then, "laptop.json");
        let change = now.cells[0]
            .change
            .clone()
            .expect("W = cores pairs with W = cores");
        assert_eq!((change.before, change.ratio), (200.0, 0.5));
        let notes = now.against.unwrap().notes;
        assert!(notes[0].contains("2 cores here, 8 there"), "{notes:?}");
        assert!(notes[1].contains("a big one"), "{notes:?}");
    }

    #[test]
    fn idle_cells_compare_their_memory_per_unit() {
        let then = sample_report();
        let mut now = sample_report();
        if let Some(m) = now.cells[1].mem_per_unit_kib.as_mut() {
            m.rss = Some(4.8);
        }
        compare(&mut now, &then, "x.json");
        let change = now.cells[1].change.clone().unwrap();
        assert_eq!((change.before, change.ratio), (9.6, 2.0));
        assert_eq!(
            change.inside_noise, None,
            "no noise known: not claimed either way"
        );
    }
}
