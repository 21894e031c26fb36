//! Discrete power laws on a bounded integer range, and the lower cut-off that gives a chosen mean.
//!
//! LFR (Lancichinetti, Fortunato & Radicchi, *Benchmark graphs for testing community detection
//! algorithms*, Phys. Rev. E 78, 046110, 2008) draws node degrees from `P(k) ∝ k^-τ1` on
//! `[k_min, k_max]` and community sizes from `P(s) ∝ s^-τ2` on `[c_min, c_max]`. The reference
//! code fixes `k_max` and solves for the integer `k_min` whose mean is closest to the requested
//! average degree, which leaves the mean a few percent off (the reference graphs of the peer
//! benchmarks have mean degree 19.0–19.5 for a requested 20).
//!
//! [`DiscretePowerLaw::with_mean`] removes that gap with a *fractional* lower cut-off: the
//! lowest value `k_min` keeps only a fraction `a ∈ (0, 1]` of its power-law weight. As `a` runs
//! from 1 down to 0 the law slides continuously from "starts at `k_min`" to "starts at
//! `k_min + 1`", so every mean between the one of the full range and `k_max` is reached exactly
//! (in expectation), and the support stays `[k_min, k_max]`.
//!
//! Complexity: building a law over `r = max − min + 1` values costs `O(r)` time and memory; a
//! draw costs `O(log r)` (binary search in the cumulative table).

use contextivity_graph::Rng;

/// A power law `P(v) ∝ v^-exponent` over the integers `[min, max]`, where the weight of `min`
/// may be scaled down by a factor in `(0, 1]`.
#[derive(Clone, Debug)]
pub struct DiscretePowerLaw {
    min: usize,
    /// `cumulative[i]` = total weight of `min..=min + i`, normalised so the last entry is 1.
    cumulative: Vec<f64>,
    mean: f64,
}

/// The mean of a power law whose lowest value keeps only part of its weight is out of reach.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeanOutOfRange {
    /// The lowest mean reachable on `[1, max]` (the full law starting at 1).
    pub lowest: f64,
    /// The highest mean reachable (`max` itself).
    pub highest: f64,
}

impl DiscretePowerLaw {
    /// The full power law over `[min, max]` (`1 <= min <= max`).
    ///
    /// # Panics
    /// If `min == 0` or `min > max` (callers validate their parameters first).
    pub fn new(min: usize, max: usize, exponent: f64) -> Self {
        Self::with_low_weight(min, max, exponent, 1.0)
    }

    /// The law over `[min, max]` with the weight of `min` scaled by `low_weight ∈ (0, 1]`.
    fn with_low_weight(min: usize, max: usize, exponent: f64, low_weight: f64) -> Self {
        assert!(
            min >= 1 && min <= max,
            "a power law needs 1 <= min <= max, got [{min}, {max}]"
        );
        let mut cumulative = Vec::with_capacity(max - min + 1);
        let (mut total, mut first_moment) = (0.0f64, 0.0f64);
        for v in min..=max {
            let mut w = (v as f64).powf(-exponent);
            if v == min {
                w *= low_weight;
            }
            total += w;
            first_moment += w * v as f64;
            cumulative.push(total);
        }
        for c in &mut cumulative {
            *c /= total;
        }
        if let Some(last) = cumulative.last_mut() {
            *last = 1.0;
        }
        DiscretePowerLaw {
            min,
            cumulative,
            mean: first_moment / total,
        }
    }

    /// The law over `[k_min, max]` with exponent `exponent` whose mean is exactly `mean`, choosing
    /// the integer `k_min` and the fraction of weight kept at `k_min` (see the module docs).
    ///
    /// Fails when `mean` lies below the mean of the full law on `[1, max]` or above `max`.
    /// Complexity `O(max)`.
    pub fn with_mean(max: usize, exponent: f64, mean: f64) -> Result<Self, MeanOutOfRange> {
        let out = MeanOutOfRange {
            lowest: Self::new(1, max.max(1), exponent).mean,
            highest: max as f64,
        };
        if max == 0 || !mean.is_finite() || mean < out.lowest - 1e-12 || mean > out.highest {
            return Err(out);
        }
        // Suffix sums s0[k] = Σ_{j>=k} j^-τ and s1[k] = Σ_{j>=k} j^{1-τ}, for k in 1..=max+1.
        let mut s0 = vec![0.0f64; max + 2];
        let mut s1 = vec![0.0f64; max + 2];
        for k in (1..=max).rev() {
            let w = (k as f64).powf(-exponent);
            s0[k] = s0[k + 1] + w;
            s1[k] = s1[k + 1] + w * k as f64;
        }
        // The full law starting at k has mean s1[k] / s0[k], increasing in k: find the largest
        // k_min whose full-law mean does not exceed the target.
        let full_mean = |k: usize| s1[k] / s0[k];
        let (mut lo, mut hi) = (1usize, max);
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if full_mean(mid) <= mean {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let k_min = lo;
        if k_min == max {
            return Ok(Self::new(max, max, exponent));
        }
        // Mean with weight a at k_min: (a·A + S1) / (a·B + S0) where A = k^{1-τ}, B = k^-τ and
        // S0, S1 are the sums from k_min + 1. Setting it to `mean` and solving for a:
        let b = (k_min as f64).powf(-exponent);
        let a_weight = b * k_min as f64;
        let (t0, t1) = (s0[k_min + 1], s1[k_min + 1]);
        let low_weight = ((mean * t0 - t1) / (a_weight - mean * b)).clamp(f64::MIN_POSITIVE, 1.0);
        Ok(Self::with_low_weight(k_min, max, exponent, low_weight))
    }

    /// The smallest value the law can produce.
    pub fn min(&self) -> usize {
        self.min
    }

    /// The largest value the law can produce.
    pub fn max(&self) -> usize {
        self.min + self.cumulative.len() - 1
    }

    /// The exact mean of the law.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// One draw. `O(log(max − min))`.
    #[inline]
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let r = rng.next_f64();
        let i = self.cumulative.partition_point(|&c| c <= r);
        self.min + i.min(self.cumulative.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_law_mean_matches_direct_sum() {
        let law = DiscretePowerLaw::new(3, 10, 2.0);
        let (mut w, mut m) = (0.0, 0.0);
        for k in 3..=10 {
            let x = (k as f64).powi(-2);
            w += x;
            m += x * k as f64;
        }
        assert!((law.mean() - m / w).abs() < 1e-12);
        assert_eq!((law.min(), law.max()), (3, 10));
    }

    #[test]
    fn solved_mean_is_exact() {
        for &(max, tau, target) in &[
            (50usize, 2.0, 20.0),
            (100, 2.0, 20.0),
            (100, 3.0, 7.5),
            (1000, 2.5, 15.0),
            (10, 0.0, 5.5),
        ] {
            let law = DiscretePowerLaw::with_mean(max, tau, target).unwrap();
            assert!(
                (law.mean() - target).abs() < 1e-9,
                "max {max} tau {tau}: mean {} != {target}",
                law.mean()
            );
            assert_eq!(law.max(), max);
        }
    }

    #[test]
    fn solved_min_degree_matches_reference_neighbourhood() {
        // The peer graphs (networkit, integer cut-off) use k_min 7 for ⟨k⟩ 20, k_max 100, τ 2
        // and 10 for k_max 50; the fractional cut-off sits at or just below those.
        let a = DiscretePowerLaw::with_mean(100, 2.0, 20.0).unwrap();
        assert!((6..=7).contains(&a.min()), "k_min {}", a.min());
        let b = DiscretePowerLaw::with_mean(50, 2.0, 20.0).unwrap();
        assert!((9..=10).contains(&b.min()), "k_min {}", b.min());
    }

    #[test]
    fn unreachable_means_are_refused() {
        let err = DiscretePowerLaw::with_mean(100, 2.0, 2.0).unwrap_err();
        assert!(err.lowest > 2.0 && err.highest == 100.0);
        assert!(DiscretePowerLaw::with_mean(100, 2.0, 100.5).is_err());
        assert!(DiscretePowerLaw::with_mean(100, 2.0, f64::NAN).is_err());
        let top = DiscretePowerLaw::with_mean(100, 2.0, 100.0).unwrap();
        assert_eq!((top.min(), top.max()), (100, 100));
    }

    #[test]
    fn samples_stay_in_range_and_follow_the_mean() {
        let law = DiscretePowerLaw::with_mean(100, 2.0, 20.0).unwrap();
        let mut rng = Rng::new(5);
        let n = 200_000;
        let mut sum = 0usize;
        for _ in 0..n {
            let k = law.sample(&mut rng);
            assert!((law.min()..=100).contains(&k));
            sum += k;
        }
        let mean = sum as f64 / n as f64;
        assert!((mean - 20.0).abs() < 0.3, "sample mean {mean}");
    }

    #[test]
    fn heavier_values_are_rarer() {
        let law = DiscretePowerLaw::new(1, 4, 1.0);
        let mut rng = Rng::new(9);
        let mut counts = [0usize; 5];
        for _ in 0..100_000 {
            counts[law.sample(&mut rng)] += 1;
        }
        assert!(counts[1] > counts[2] && counts[2] > counts[3] && counts[3] > counts[4]);
        // P(1) = 1 / (1 + 1/2 + 1/3 + 1/4) = 0.48
        assert!((counts[1] as f64 / 100_000.0 - 0.48).abs() < 0.01);
    }
}
