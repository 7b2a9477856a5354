//! Statistics over repeats: median, spread (median absolute deviation /
//! median) and the slope between two unit counts with its noise.

pub fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let m = xs.len() / 2;
    Some(if xs.len() % 2 == 1 {
        xs[m]
    } else {
        (xs[m - 1] + xs[m]) / 2.0
    })
}

/// Median absolute deviation, in the units of `xs`.
pub fn mad(xs: &[f64]) -> Option<f64> {
    let med = median(xs.to_vec())?;
    median(xs.iter().map(|x| (x - med).abs()).collect())
}

/// Median absolute deviation / median: robust to the one bad repeat in 20.
pub fn spread(xs: &[f64]) -> Option<f64> {
    let med = median(xs.to_vec())?;
    if med == 0.0 {
        return Some(0.0);
    }
    Some(mad(xs)? / med)
}

/// A slope and how far it can be trusted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slope {
    /// (median y at b - median y at a) / (b - a).
    pub value: f64,
    /// Median absolute deviation of the per-repeat slopes (repeat i at `a`
    /// paired with repeat i at `b`); `None` with fewer than 3 pairs.
    pub noise: Option<f64>,
}

/// The slope of y between x = `a` and x = `b` from each repeat's y there.
pub fn slope(a: (f64, &[f64]), b: (f64, &[f64])) -> Option<Slope> {
    let dx = b.0 - a.0;
    if dx == 0.0 {
        return None;
    }
    let value = (median(b.1.to_vec())? - median(a.1.to_vec())?) / dx;
    let pairs: Vec<f64> = a.1.iter().zip(b.1).map(|(ya, yb)| (yb - ya) / dx).collect();
    let noise = if pairs.len() >= 3 { mad(&pairs) } else { None };
    Some(Slope { value, noise })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_spread() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
        // One outlier in five barely moves the spread.
        let s = spread(&[100.0, 101.0, 99.0, 100.0, 300.0]).unwrap();
        assert!(s < 0.02, "{s}");
    }

    #[test]
    fn slope_cancels_a_fixed_cost_and_measures_its_noise() {
        // 10 per unit plus a fixed 500, three repeats with some jitter.
        let a = [1500.0, 1490.0, 1510.0];
        let b = [10_500.0, 10_530.0, 10_470.0];
        let s = slope((100.0, &a), (1000.0, &b)).unwrap();
        assert_eq!(s.value, 10.0);
        let noise = s.noise.unwrap();
        assert!(noise > 0.0 && noise < 0.1, "{noise}");
        assert_eq!(
            slope((100.0, &a[..1]), (1000.0, &b[..1])).unwrap().noise,
            None
        );
        assert!(slope((5.0, &a), (5.0, &b)).is_none());
    }
}
