//! Statistics: median and spread (median absolute deviation / median).

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

/// Median absolute deviation / median: robust to the one bad repeat in 20.
pub fn spread(xs: &[f64]) -> Option<f64> {
    let med = median(xs.to_vec())?;
    if med == 0.0 {
        return Some(0.0);
    }
    Some(median(xs.iter().map(|x| (x - med).abs()).collect())? / med)
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
}
