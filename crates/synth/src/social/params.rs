//! [`SocialParams`]: every parameter of a synthetic social export, its documented default, and
//! the checks that turn it into a [`Plan`] before any work starts.
//!
//! The struct is at once the library API, the `parameters` block of `generator.json`, and (through
//! the binary) the flags of `contextivity generate social`. Fields left out of a JSON record take
//! their defaults (`#[serde(default)]`).

use serde::{Deserialize, Serialize};

use crate::powerlaw::DiscretePowerLaw;
use crate::social::error::SocialError;

/// Default number of people.
pub const DEFAULT_PEOPLE: usize = 2000;
/// Default mean number of members per planted context when `communities` is not given.
pub const DEFAULT_MEAN_CONTEXT_SIZE: f64 = 100.0;
/// Default mixing μ: the share of follows between people who share no context.
pub const DEFAULT_MIXING: f64 = 0.2;
/// Default share of people in two or more contexts.
pub const DEFAULT_OVERLAP: f64 = 0.1;
/// Default number of contexts an overlapping person belongs to (LFR's `om`).
pub const DEFAULT_OVERLAP_MEMBERSHIPS: usize = 2;
/// Default number of hashtags per context (each context also has three topic words per hashtag).
pub const DEFAULT_TOPICS_PER_COMMUNITY: usize = 6;
/// Default length of the observation window, in days.
pub const DEFAULT_DAYS: u32 = 30;
/// Default start of the window: 2024-01-01T00:00:00Z, in Unix seconds.
pub const DEFAULT_START: i64 = 1_704_067_200;
/// Default seed.
pub const DEFAULT_SEED: u64 = 1;
/// Default mean number of follows per person (out-degree), celebrity follows included.
pub const DEFAULT_AVG_FOLLOWS: f64 = 20.0;
/// Default largest number of follows a person makes by choice (before follow-backs).
pub const DEFAULT_MAX_FOLLOWS: usize = 300;
/// Default exponent τ1 of the follow (out-degree) law `P(k) ∝ k^-τ1`.
pub const DEFAULT_DEGREE_EXPONENT: f64 = 2.0;
/// Default exponent τ2 of the context-size law `P(s) ∝ s^-τ2`.
pub const DEFAULT_COMMUNITY_EXPONENT: f64 = 1.0;
/// Default reciprocity of follows between people who share a context.
pub const DEFAULT_RECIPROCITY_INSIDE: f64 = 0.5;
/// Default reciprocity of follows between people who share no context.
pub const DEFAULT_RECIPROCITY_ACROSS: f64 = 0.1;
/// Default share of people who are celebrities.
pub const DEFAULT_CELEBRITY_SHARE: f64 = 0.002;
/// Default mean number of celebrities a person follows.
pub const DEFAULT_CELEBRITY_FOLLOWS: f64 = 1.5;
/// Default mean number of original posts per person over the window.
pub const DEFAULT_AVG_POSTS: f64 = 4.5;

/// The largest context is at most this many times the mean context size.
pub const CONTEXT_SIZE_SPREAD: f64 = 4.0;

/// How often a follower sees a post of someone they follow, and how often a seen post draws an
/// engagement (like, click, repost or reply), for one kind of tie.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TieEngagement {
    /// Probability that a follower sees (an impression of) a given post.
    pub reach: f64,
    /// Probability that an impression draws an engagement, split over kinds by the kind shares.
    pub engage: f64,
}

/// The engagement model: rates by tie kind, the mix of engagement kinds, mentions and delays.
///
/// The expected engagements of a follower on one post are `reach · engage` of their tie to the
/// author; mutual, same-context ties engage far more than one-way follows across contexts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EngagementParams {
    /// Mutual follow, sharing a context (default reach 0.6, engage 0.2).
    pub mutual_same_context: TieEngagement,
    /// One-way follow, sharing a context (default reach 0.35, engage 0.06).
    pub one_way_same_context: TieEngagement,
    /// Mutual follow across contexts (default reach 0.35, engage 0.06).
    pub mutual_cross_context: TieEngagement,
    /// One-way follow across contexts — most follows of celebrities (default reach 0.1,
    /// engage 0.01).
    pub one_way_cross_context: TieEngagement,
    /// Share of engagements that are likes (default 0.55).
    pub like_share: f64,
    /// Share of engagements that are link clicks (default 0.25).
    pub click_share: f64,
    /// Share of engagements that are reposts (default 0.12).
    pub repost_share: f64,
    /// Share of engagements that are replies; each reply is also a post (default 0.08).
    pub reply_share: f64,
    /// Probability that a post mentions one of its author's ties (default 0.1).
    pub mention_rate: f64,
    /// Mean delay between a post and an engagement, in hours (exponential; default 3).
    pub delay_hours: f64,
}

impl Default for EngagementParams {
    fn default() -> Self {
        let tie = |reach, engage| TieEngagement { reach, engage };
        EngagementParams {
            mutual_same_context: tie(0.6, 0.2),
            one_way_same_context: tie(0.35, 0.06),
            mutual_cross_context: tie(0.35, 0.06),
            one_way_cross_context: tie(0.1, 0.01),
            like_share: 0.55,
            click_share: 0.25,
            repost_share: 0.12,
            reply_share: 0.08,
            mention_rate: 0.1,
            delay_hours: 3.0,
        }
    }
}

impl EngagementParams {
    /// The four tie kinds in the order of [`crate::social::TieClass`].
    pub fn ties(&self) -> [TieEngagement; 4] {
        [
            self.mutual_same_context,
            self.one_way_same_context,
            self.mutual_cross_context,
            self.one_way_cross_context,
        ]
    }

    /// The kind shares in the order like, click, repost, reply.
    pub fn shares(&self) -> [f64; 4] {
        [
            self.like_share,
            self.click_share,
            self.repost_share,
            self.reply_share,
        ]
    }
}

/// Parameters of a synthetic social export (see `docs/GENERATOR.md` for the model).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SocialParams {
    /// Number of people N (default [`DEFAULT_PEOPLE`]).
    pub people: usize,
    /// Number of planted contexts; `None` gives `N / 100` (rounded, at least 1; see
    /// [`DEFAULT_MEAN_CONTEXT_SIZE`]).
    pub communities: Option<usize>,
    /// Mixing μ: the share of follows (celebrities aside) between people who share no context
    /// (default [`DEFAULT_MIXING`]).
    pub mixing: f64,
    /// Share of people who belong to several contexts (default [`DEFAULT_OVERLAP`]).
    pub overlap: f64,
    /// Number of contexts of an overlapping person (default [`DEFAULT_OVERLAP_MEMBERSHIPS`]).
    pub overlap_memberships: usize,
    /// Hashtags per context; each context also has `3 ·` this many topic words (default
    /// [`DEFAULT_TOPICS_PER_COMMUNITY`]).
    pub topics_per_community: usize,
    /// Length of the observation window in days (default [`DEFAULT_DAYS`]).
    pub days: u32,
    /// Start of the window, Unix seconds (default [`DEFAULT_START`], 2024-01-01T00:00:00Z).
    pub start: i64,
    /// Seed of every random draw; the same seed gives byte-identical files at any thread count.
    pub seed: u64,
    /// Mean follows per person, follow-backs and celebrity follows included (default
    /// [`DEFAULT_AVG_FOLLOWS`]).
    pub avg_follows: f64,
    /// Largest number of follows a person makes by choice (default [`DEFAULT_MAX_FOLLOWS`],
    /// capped at N − 1).
    pub max_follows: usize,
    /// Exponent τ1 of the follow law (default [`DEFAULT_DEGREE_EXPONENT`]).
    pub degree_exponent: f64,
    /// Exponent τ2 of the context-size law (default [`DEFAULT_COMMUNITY_EXPONENT`]).
    pub community_exponent: f64,
    /// Reciprocity of follows inside contexts (default [`DEFAULT_RECIPROCITY_INSIDE`]).
    pub reciprocity_inside: f64,
    /// Reciprocity of follows across contexts (default [`DEFAULT_RECIPROCITY_ACROSS`]).
    pub reciprocity_across: f64,
    /// Share of people who are celebrities, followed from everywhere (default
    /// [`DEFAULT_CELEBRITY_SHARE`], at least one celebrity when positive).
    pub celebrity_share: f64,
    /// Mean number of celebrities each person follows (default [`DEFAULT_CELEBRITY_FOLLOWS`],
    /// capped at the number of celebrities).
    pub celebrity_follows: f64,
    /// Mean original posts per person over the window (default [`DEFAULT_AVG_POSTS`]).
    pub avg_posts: f64,
    /// The engagement model.
    pub engagement: EngagementParams,
}

impl Default for SocialParams {
    fn default() -> Self {
        SocialParams {
            people: DEFAULT_PEOPLE,
            communities: None,
            mixing: DEFAULT_MIXING,
            overlap: DEFAULT_OVERLAP,
            overlap_memberships: DEFAULT_OVERLAP_MEMBERSHIPS,
            topics_per_community: DEFAULT_TOPICS_PER_COMMUNITY,
            days: DEFAULT_DAYS,
            start: DEFAULT_START,
            seed: DEFAULT_SEED,
            avg_follows: DEFAULT_AVG_FOLLOWS,
            max_follows: DEFAULT_MAX_FOLLOWS,
            degree_exponent: DEFAULT_DEGREE_EXPONENT,
            community_exponent: DEFAULT_COMMUNITY_EXPONENT,
            reciprocity_inside: DEFAULT_RECIPROCITY_INSIDE,
            reciprocity_across: DEFAULT_RECIPROCITY_ACROSS,
            celebrity_share: DEFAULT_CELEBRITY_SHARE,
            celebrity_follows: DEFAULT_CELEBRITY_FOLLOWS,
            avg_posts: DEFAULT_AVG_POSTS,
            engagement: EngagementParams::default(),
        }
    }
}

/// Validated parameters with every open choice resolved.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub people: usize,
    pub contexts: usize,
    /// Share of *chosen* follows that leave the person's contexts, set so that after
    /// follow-backs the share of all follows is μ.
    pub primary_mixing: f64,
    /// Law of the number of follows a person chooses.
    pub follows: DiscretePowerLaw,
    /// Law of context sizes (in memberships).
    pub sizes: DiscretePowerLaw,
    pub overlapping: usize,
    pub overlap_memberships: usize,
    pub celebrities: usize,
    /// Mean celebrity follows per person: `celebrity_follows`, capped at the celebrities.
    pub celebrity_follows: f64,
    pub topics: usize,
    pub window: i64,
}

fn fraction(name: &'static str, v: f64) -> Result<(), SocialError> {
    if (0.0..=1.0).contains(&v) {
        Ok(())
    } else {
        Err(SocialError::range(name, "a number in [0, 1]", v))
    }
}

fn positive(name: &'static str, v: f64) -> Result<(), SocialError> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(SocialError::range(name, "a finite number >= 0", v))
    }
}

/// The factor by which follow-backs multiply the follows of one class when they raise its
/// reciprocity to `rho`, given the share `natural` of chosen follows already returned by chance:
/// `(2 − m) / (2 − ρ)`, or 1 when chance alone reaches ρ (see `follows.rs`).
pub(crate) fn back_growth(rho: f64, natural: f64) -> f64 {
    if natural >= rho {
        1.0
    } else {
        (2.0 - natural) / (2.0 - rho)
    }
}

/// Shares of chosen follows returned by chance, inside and across contexts, as a pilot run
/// measured them (see `follows::natural_returns`); `(0, 0)` before calibration.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Natural {
    pub inside: f64,
    pub across: f64,
}

impl SocialParams {
    /// Checks the parameters and resolves the laws. `O(max_follows + context size bound)`.
    pub(crate) fn plan(&self, natural: Natural) -> Result<Plan, SocialError> {
        let n = self.people;
        if !(2..u32::MAX as usize / 2).contains(&n) {
            return Err(SocialError::range("people", "at least 2 and below 2^31", n));
        }
        let contexts = match self.communities {
            Some(c) if c == 0 || c > n => {
                return Err(SocialError::range(
                    "communities",
                    &format!("in [1, people] = [1, {n}]"),
                    c,
                ))
            }
            Some(c) => c,
            None => ((n as f64 / DEFAULT_MEAN_CONTEXT_SIZE).round() as usize).max(1),
        };
        fraction("mixing", self.mixing)?;
        fraction("overlap", self.overlap)?;
        fraction("reciprocity_inside", self.reciprocity_inside)?;
        fraction("reciprocity_across", self.reciprocity_across)?;
        fraction("celebrity_share", self.celebrity_share)?;
        positive("degree_exponent", self.degree_exponent)?;
        positive("community_exponent", self.community_exponent)?;
        positive("celebrity_follows", self.celebrity_follows)?;
        positive("avg_posts", self.avg_posts)?;
        if contexts == 1 && self.mixing > 0.0 {
            return Err(SocialError::Inconsistent(format!(
                "mixing {} needs at least 2 communities (got 1): raise communities or people, \
                 or set mixing 0",
                self.mixing
            )));
        }
        let om = self.overlap_memberships;
        let overlapping = (self.overlap * n as f64).round() as usize;
        if overlapping > 0 && (om < 2 || om > contexts) {
            return Err(SocialError::range(
                "overlap_memberships",
                &format!("in [2, communities] = [2, {contexts}] when overlap > 0"),
                om,
            ));
        }
        if self.topics_per_community == 0 || self.topics_per_community > 1000 {
            return Err(SocialError::range(
                "topics_per_community",
                "in [1, 1000]",
                self.topics_per_community,
            ));
        }
        if self.days == 0 || self.days > 36_500 {
            return Err(SocialError::range("days", "in [1, 36500]", self.days));
        }
        let e = &self.engagement;
        for (name, t) in [
            ("engagement.mutual_same_context", e.mutual_same_context),
            ("engagement.one_way_same_context", e.one_way_same_context),
            ("engagement.mutual_cross_context", e.mutual_cross_context),
            ("engagement.one_way_cross_context", e.one_way_cross_context),
        ] {
            fraction(name, t.reach)?;
            fraction(name, t.engage)?;
        }
        for (name, v) in [
            ("engagement.like_share", e.like_share),
            ("engagement.click_share", e.click_share),
            ("engagement.repost_share", e.repost_share),
            ("engagement.reply_share", e.reply_share),
            ("engagement.mention_rate", e.mention_rate),
        ] {
            fraction(name, v)?;
        }
        let share_sum: f64 = e.shares().iter().sum();
        if (share_sum - 1.0).abs() > 1e-6 {
            return Err(SocialError::Inconsistent(format!(
                "engagement kind shares (like, click, repost, reply) must add up to 1, got \
                 {share_sum}"
            )));
        }
        positive("engagement.delay_hours", e.delay_hours)?;

        // Celebrities: at least one when the share is positive, never everybody.
        let celebrities = if self.celebrity_share > 0.0 {
            ((self.celebrity_share * n as f64).round() as usize).clamp(1, n / 2)
        } else {
            0
        };
        // Nobody follows more celebrities than there are (small exports).
        let celebrity_follows = self.celebrity_follows.min(celebrities as f64);
        // Primary (chosen) mixing so that follow-backs, more frequent inside, bring the share of
        // all follows across contexts back to μ.
        let (g_in, g_x) = (
            back_growth(self.reciprocity_inside, natural.inside),
            back_growth(self.reciprocity_across, natural.across),
        );
        let mu = self.mixing;
        let primary_mixing = if mu <= 0.0 || mu >= 1.0 {
            mu
        } else {
            let ratio = mu / (1.0 - mu) * g_in / g_x; // P_x / P_in
            ratio / (1.0 + ratio)
        };
        let growth = (1.0 - primary_mixing) * g_in + primary_mixing * g_x;
        let max_follows = self.max_follows.min(n - 1);
        if max_follows == 0 {
            return Err(SocialError::range("max_follows", "at least 1", 0));
        }
        let chosen_mean = (self.avg_follows - celebrity_follows) / growth;
        if !chosen_mean.is_finite() || chosen_mean <= 0.0 {
            return Err(SocialError::Inconsistent(format!(
                "avg_follows {} must exceed celebrity_follows {celebrity_follows}",
                self.avg_follows
            )));
        }
        let follows = DiscretePowerLaw::with_mean(max_follows, self.degree_exponent, chosen_mean)
            .map_err(|out| {
            SocialError::Inconsistent(format!(
                "avg_follows {} is out of reach: people choose {chosen_mean:.2} follows on \
                     average (the rest are follow-backs and celebrity follows), and a law with \
                     exponent {} on [1, {max_follows}] has means in [{:.2}, {}]: change \
                     avg_follows, max_follows or degree_exponent",
                self.avg_follows, self.degree_exponent, out.lowest, out.highest
            ))
        })?;

        // Context sizes in memberships: mean T / C, largest CONTEXT_SIZE_SPREAD times the mean.
        let memberships = n + overlapping * om.saturating_sub(1);
        let mean_size = memberships as f64 / contexts as f64;
        let mut max_size = ((mean_size * CONTEXT_SIZE_SPREAD).ceil() as usize).min(n);
        let sizes = loop {
            match DiscretePowerLaw::with_mean(max_size, self.community_exponent, mean_size) {
                Ok(law) => break law,
                Err(_) if max_size > mean_size.ceil() as usize => {
                    // The law on [1, max] is too heavy for this mean: narrow the range.
                    max_size = ((max_size + mean_size.ceil() as usize) / 2).max(1);
                }
                Err(_) => {
                    return Err(SocialError::Inconsistent(format!(
                        "no context-size law with mean {mean_size:.2} fits in [1, {n}]"
                    )))
                }
            }
        };
        Ok(Plan {
            people: n,
            contexts,
            primary_mixing,
            follows,
            sizes,
            overlapping,
            overlap_memberships: om,
            celebrities,
            celebrity_follows,
            topics: self.topics_per_community,
            window: i64::from(self.days) * 86_400,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_plan() {
        let plan = SocialParams::default().plan(Natural::default()).unwrap();
        assert_eq!(plan.contexts, 20);
        assert_eq!(plan.overlapping, 200);
        assert_eq!(plan.celebrities, 4);
        assert!(plan.primary_mixing > DEFAULT_MIXING);
        assert!(plan.sizes.max() as f64 <= 4.0 * 2200.0 / 20.0 + 1.0);
    }

    #[test]
    fn primary_mixing_restores_mu_after_follow_backs() {
        let p = SocialParams::default();
        let natural = Natural {
            inside: 0.2,
            across: 0.01,
        };
        let plan = p.plan(natural).unwrap();
        let inside = (1.0 - plan.primary_mixing) * back_growth(p.reciprocity_inside, 0.2);
        let across = plan.primary_mixing * back_growth(p.reciprocity_across, 0.01);
        assert!((across / (inside + across) - p.mixing).abs() < 1e-12);
    }

    #[test]
    fn bad_values_name_the_parameter() {
        let cases: Vec<(SocialParams, &str)> = vec![
            (
                SocialParams {
                    people: 1,
                    ..Default::default()
                },
                "people",
            ),
            (
                SocialParams {
                    mixing: 1.5,
                    ..Default::default()
                },
                "mixing",
            ),
            (
                SocialParams {
                    overlap: -0.1,
                    ..Default::default()
                },
                "overlap",
            ),
            (
                SocialParams {
                    communities: Some(0),
                    ..Default::default()
                },
                "communities",
            ),
            (
                SocialParams {
                    days: 0,
                    ..Default::default()
                },
                "days",
            ),
            (
                SocialParams {
                    topics_per_community: 0,
                    ..Default::default()
                },
                "topics",
            ),
            (
                SocialParams {
                    overlap_memberships: 1,
                    ..Default::default()
                },
                "overlap_memberships",
            ),
        ];
        for (p, name) in cases {
            let msg = p.plan(Natural::default()).unwrap_err().to_string();
            assert!(msg.contains(name), "{msg}");
        }
        let msg = SocialParams {
            avg_follows: 1.0,
            ..Default::default()
        }
        .plan(Natural::default())
        .unwrap_err()
        .to_string();
        assert!(msg.contains("avg_follows"), "{msg}");
    }
}
