//! The few distributions the social generator draws from, on the project's [`Rng`].
//!
//! - [`poisson`]: Knuth's product-of-uniforms method below a mean of 30 (`O(λ)`), a rounded
//!   normal approximation above (error in the law `O(1/√λ)`, irrelevant for counts of posts);
//! - [`binomial`]: geometric waiting times for small means (`O(np)`, exact; Devroye,
//!   *Non-Uniform Random Variate Generation*, 1986, §X.4), a rounded normal approximation with
//!   continuity correction above a mean of 30 (clamped to `[0, n]`);
//! - [`exponential`] by inversion; [`Zipf`] by binary search in a cumulative table
//!   (`O(log r)` for r ranks).
//!
//! All are deterministic functions of the generator's state, so a derived stream per chunk
//! gives the same numbers at any thread count.

use contextivity_graph::Rng;

/// Mean above which counts are drawn from a normal approximation.
const NORMAL_ABOVE: f64 = 30.0;

/// A standard normal draw (Box–Muller; one of the pair is used).
pub(crate) fn normal(rng: &mut Rng) -> f64 {
    let u = 1.0 - rng.next_f64(); // (0, 1]
    let v = rng.next_f64();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// A Poisson draw of mean `lambda >= 0`.
pub(crate) fn poisson(rng: &mut Rng, lambda: f64) -> u64 {
    if lambda <= 0.0 {
        return 0;
    }
    if lambda >= NORMAL_ABOVE {
        return (lambda + lambda.sqrt() * normal(rng)).round().max(0.0) as u64;
    }
    let limit = (-lambda).exp();
    let mut k = 0u64;
    let mut product = rng.next_f64();
    while product > limit {
        k += 1;
        product *= rng.next_f64();
    }
    k
}

/// A binomial draw: successes among `n` trials of probability `p ∈ [0, 1]`.
pub(crate) fn binomial(rng: &mut Rng, n: u64, p: f64) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    if p > 0.5 {
        return n - binomial(rng, n, 1.0 - p);
    }
    let mean = n as f64 * p;
    if mean >= NORMAL_ABOVE {
        let sd = (mean * (1.0 - p)).sqrt();
        return (mean + sd * normal(rng)).round().clamp(0.0, n as f64) as u64;
    }
    // Waiting times between successes are geometric: skip ⌊ln U / ln(1 − p)⌋ failures.
    let log_q = (-p).ln_1p();
    let mut successes = 0u64;
    let mut position = 0u64;
    loop {
        let u = 1.0 - rng.next_f64(); // (0, 1]
        let skip = (u.ln() / log_q).floor();
        if !skip.is_finite() || skip >= (n - position) as f64 {
            return successes;
        }
        position += skip as u64 + 1;
        successes += 1;
        if position >= n {
            return successes;
        }
    }
}

/// An exponential draw of mean `mean`.
pub(crate) fn exponential(rng: &mut Rng, mean: f64) -> f64 {
    -mean * (1.0 - rng.next_f64()).ln()
}

/// `x` rounded down, or up with probability equal to its fractional part, so the mean is kept.
pub(crate) fn stochastic_round(rng: &mut Rng, x: f64) -> u64 {
    let floor = x.floor();
    let up = rng.next_f64() < x - floor;
    floor as u64 + u64::from(up)
}

/// Zipf's law over ranks `0..len`: `P(r) ∝ (r + 1)^-s`.
#[derive(Clone, Debug)]
pub(crate) struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    /// The law over `len >= 1` ranks with exponent `s`. `O(len)`.
    pub(crate) fn new(len: usize, s: f64) -> Self {
        let mut cumulative = Vec::with_capacity(len.max(1));
        let mut total = 0.0;
        for r in 0..len.max(1) {
            total += ((r + 1) as f64).powf(-s);
            cumulative.push(total);
        }
        for c in &mut cumulative {
            *c /= total;
        }
        Zipf { cumulative }
    }

    /// One rank. `O(log len)`.
    #[inline]
    pub(crate) fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.next_f64();
        self.cumulative
            .partition_point(|&c| c <= u)
            .min(self.cumulative.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_and_var(xs: &[u64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let m = xs.iter().sum::<u64>() as f64 / n;
        let v = xs.iter().map(|&x| (x as f64 - m).powi(2)).sum::<f64>() / n;
        (m, v)
    }

    #[test]
    fn poisson_moments() {
        let mut rng = Rng::new(1);
        for &lambda in &[0.3, 4.5, 29.0, 120.0] {
            let xs: Vec<u64> = (0..50_000).map(|_| poisson(&mut rng, lambda)).collect();
            let (m, v) = mean_and_var(&xs);
            assert!(
                (m - lambda).abs() < 0.03 * lambda + 0.02,
                "λ {lambda}: mean {m}"
            );
            assert!(
                (v - lambda).abs() < 0.06 * lambda + 0.03,
                "λ {lambda}: var {v}"
            );
        }
    }

    #[test]
    fn binomial_moments_and_range() {
        let mut rng = Rng::new(2);
        for &(n, p) in &[
            (10u64, 0.1),
            (200, 0.02),
            (1000, 0.3),
            (50, 0.9),
            (7, 1.0),
            (9, 0.0),
        ] {
            let xs: Vec<u64> = (0..40_000).map(|_| binomial(&mut rng, n, p)).collect();
            assert!(xs.iter().all(|&x| x <= n));
            let (m, v) = mean_and_var(&xs);
            let (em, ev) = (n as f64 * p, n as f64 * p * (1.0 - p));
            assert!(
                (m - em).abs() < 0.02 * em + 0.02,
                "n {n} p {p}: mean {m} vs {em}"
            );
            assert!(
                (v - ev).abs() < 0.06 * ev + 0.02,
                "n {n} p {p}: var {v} vs {ev}"
            );
        }
    }

    #[test]
    fn zipf_first_rank_dominates() {
        let z = Zipf::new(4, 1.0);
        let mut rng = Rng::new(3);
        let mut counts = [0usize; 4];
        for _ in 0..100_000 {
            counts[z.sample(&mut rng)] += 1;
        }
        // P(0) = 1 / (1 + 1/2 + 1/3 + 1/4) = 0.48
        assert!((counts[0] as f64 / 1e5 - 0.48).abs() < 0.01);
        assert!(counts.windows(2).all(|w| w[0] > w[1]));
    }

    #[test]
    fn stochastic_rounding_keeps_the_mean() {
        let mut rng = Rng::new(4);
        let total: u64 = (0..100_000).map(|_| stochastic_round(&mut rng, 2.3)).sum();
        assert!((total as f64 / 1e5 - 2.3).abs() < 0.01);
        let e: f64 = (0..100_000)
            .map(|_| exponential(&mut rng, 3.0))
            .sum::<f64>()
            / 1e5;
        assert!((e - 3.0).abs() < 0.05);
    }
}
