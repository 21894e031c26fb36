//! [`SocialSummary`]: what an export holds and what the model realised, for `generator.json`,
//! the command's output and the tests; and [`power_law_exponent`], the estimator used to check
//! heavy tails.

use serde::{Deserialize, Serialize};

use crate::social::engagement::EngagementStats;
use crate::social::follows::FollowStats;

/// Rows written and planted structure.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// People (rows of `people.csv`).
    pub people: u64,
    /// Planted contexts.
    pub contexts: u64,
    /// Memberships (rows of `truth.tsv`).
    pub memberships: u64,
    /// People in two or more contexts.
    pub overlapping_people: u64,
    /// Celebrities (marked `verified` in `people.csv`).
    pub celebrities: u64,
    /// Follows (rows of `follows.csv`).
    pub follows: u64,
    /// Interactions (rows of `interactions.csv`).
    pub interactions: u64,
    /// Posts (rows of `posts.csv`), reply posts included.
    pub posts: u64,
    /// Reply posts among them.
    pub reply_posts: u64,
}

/// Figures measured on the generated export, to compare with the parameters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Realised {
    /// Share of follows (none touching a celebrity) between people who share no context.
    pub mixing: f64,
    /// Share of all follows whose reverse exists.
    pub reciprocity: f64,
    /// Reciprocity of follows inside contexts (none touching a celebrity).
    pub reciprocity_inside: f64,
    /// Reciprocity of follows across contexts (none touching a celebrity).
    pub reciprocity_across: f64,
    /// Share of people in two or more contexts.
    pub overlap_share: f64,
    /// Mean follows per person.
    pub mean_follows: f64,
    /// Largest number of follows of one person.
    pub max_follows: u64,
    /// Largest number of followers of one person.
    pub max_followers: u64,
    /// Exponent of the follows law, fitted (see [`power_law_exponent`]) on people with
    /// `fit_min_follows` to `max_follows` follows.
    pub follows_exponent: f64,
    /// The lower bound of that fit: the mean number of follows (below it, follow-backs and
    /// celebrity follows blur the law).
    pub fit_min_follows: u64,
    /// Smallest, mean and largest context size in members.
    pub context_sizes: (u64, f64, u64),
    /// Mean followers of a celebrity.
    pub celebrity_mean_followers: f64,
    /// Mean followers of everyone else.
    pub other_mean_followers: f64,
    /// Engagements per impression on celebrities' posts.
    pub celebrity_engagement_rate: f64,
    /// Engagements per impression on everyone else's posts.
    pub other_engagement_rate: f64,
    /// Per tie class (mutual same-context, one-way same-context, mutual cross-context, one-way
    /// cross-context): engagements per follower and post, to compare with `reach · engage`.
    pub engagement_per_tie: [f64; 4],
    /// Extra memberships that could not be placed without repeating a context.
    pub dropped_memberships: u64,
    /// The follow phase's own counts.
    pub follow_phase: FollowStats,
    /// The post phase's own counts.
    pub post_phase: EngagementStats,
}

/// One written file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    /// File name inside the export folder.
    pub name: String,
    /// Data rows (header excluded).
    pub rows: u64,
    /// Bytes.
    pub bytes: u64,
    /// Seconds spent generating and writing it (wall clock; not in `generator.json`).
    pub seconds: f64,
}

/// What [`crate::social::write_export`] wrote and realised.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SocialSummary {
    /// Rows and planted structure.
    pub counts: Counts,
    /// Measured figures.
    pub realised: Realised,
    /// Seconds spent drawing people, contexts and the follow graph before any file is written.
    pub model_seconds: f64,
    /// Every file, in the order written.
    pub files: Vec<FileReport>,
}

/// The exponent α of a discrete power law `P(k) ∝ k^-α` on `[k_min, k_max]`, by maximum
/// likelihood (the discrete estimator of Clauset, Shalizi & Newman, *Power-law distributions in
/// empirical data*, SIAM Review 51, 661–703, 2009, §3, with the normalisation truncated at
/// `k_max` so that a bounded law such as LFR's is not read as a steeper one). Values outside the
/// range are ignored. The log-likelihood `−α Σ ln k_i − n ln Σ_{k=k_min}^{k_max} k^-α` is
/// concave in α and maximised by golden-section search on `[0, 8]`. `NaN` when fewer than two
/// values lie in range or `k_min == 0`. `O(len + 60 · (k_max − k_min))`.
pub fn power_law_exponent(values: impl IntoIterator<Item = u64>, k_min: u64, k_max: u64) -> f64 {
    if k_min == 0 || k_max <= k_min {
        return f64::NAN;
    }
    let (mut n, mut log_sum) = (0u64, 0.0f64);
    for k in values {
        if (k_min..=k_max).contains(&k) {
            n += 1;
            log_sum += (k as f64).ln();
        }
    }
    if n < 2 {
        return f64::NAN;
    }
    let logs: Vec<f64> = (k_min..=k_max).map(|k| (k as f64).ln()).collect();
    let likelihood = |alpha: f64| {
        let z: f64 = logs.iter().map(|l| (-alpha * l).exp()).sum();
        -alpha * log_sum - n as f64 * z.ln()
    };
    let (mut lo, mut hi) = (0.0f64, 8.0f64);
    let phi = (5.0f64.sqrt() - 1.0) / 2.0;
    for _ in 0..60 {
        let a = hi - phi * (hi - lo);
        let b = lo + phi * (hi - lo);
        if likelihood(a) < likelihood(b) {
            lo = a;
        } else {
            hi = b;
        }
    }
    (lo + hi) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::powerlaw::DiscretePowerLaw;
    use contextivity_graph::Rng;

    #[test]
    fn fit_recovers_the_exponent_of_a_sample() {
        for &(alpha, max) in &[(2.0, 300usize), (2.5, 10_000), (3.0, 100), (1.0, 50)] {
            let law = DiscretePowerLaw::new(5, max, alpha);
            let mut rng = Rng::new(3);
            let xs: Vec<u64> = (0..100_000).map(|_| law.sample(&mut rng) as u64).collect();
            let fit = power_law_exponent(xs.iter().copied(), 5, max as u64);
            assert!(
                (fit - alpha).abs() < 0.05,
                "α {alpha} on [5, {max}]: fit {fit}"
            );
            // Fitting only the tail of the same sample agrees.
            let tail = power_law_exponent(xs, 10, max as u64);
            assert!((tail - alpha).abs() < 0.1, "α {alpha}: tail fit {tail}");
        }
        assert!(power_law_exponent(vec![1, 2], 5, 10).is_nan());
    }
}
