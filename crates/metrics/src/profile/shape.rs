//! The shape of the whole network: totals, inside shares, cluster sizes, and which of the six
//! structures of Smith, Rainie, Shneiderman & Himelboim, "Mapping Twitter Topic Networks: From
//! Polarized Crowds to Community Clusters" (Pew Research Center, 2014) it resembles.
//!
//! # The structure call
//!
//! Smith et al. describe six shapes by eye, from NodeXL maps of topic networks; they give no
//! numeric test. [`STRUCTURE_RULES`] turns each description into measurable conditions. **The
//! thresholds are ours**, chosen to separate the shapes on generated exports and on the shapes'
//! descriptions, not taken from Pew. A *connection* is a follow tie or an interaction event; a
//! *tie* of a person is a distinct person they follow, are followed by, or interacted with in
//! either direction.
//!
//! | measurement | what it is |
//! |---|---|
//! | `top2_share` | people in the two largest clusters ÷ people |
//! | `top2_balance` | size of the second-largest cluster ÷ size of the largest |
//! | `between_top2_share` | connections between the two largest clusters ÷ connections inside or between them |
//! | `top3_share` | people in the three largest clusters ÷ people |
//! | `inside_share` | connections inside a cluster ÷ all connections |
//! | `isolate_share` | people without any tie ÷ people |
//! | `mean_ties` | ties per person |
//! | `largest_share` | people in the largest cluster ÷ people |
//! | `hub_in_share` | connections received by the top 1 % of people (by connections received) ÷ connections |
//! | `hub_out_partners` | the most people one person sent interactions to |
//! | `hub_out_reach` | `hub_out_partners` ÷ people who received any interaction |
//! | `medium_clusters` | clusters of at least max(3, 0.1 % of people) and at most half of the people |
//! | `medium_with_hub_share` | of those, the share with a hub: a member followed by at least 5 % of the rest of the cluster |
//! | `medium_people_share` | people in medium clusters ÷ people |
//!
//! The rules are tried in the order of [`STRUCTURE_RULES`]; the first whose conditions all hold
//! is the call. When none holds in full, the call is the rule with the largest share of its
//! conditions holding (ties to the earlier rule) and the reason says so; when no condition of any
//! rule holds (an empty graph, say), the call is community clusters, the most general shape. A measurement whose
//! denominator is zero is reported as 0 and never holds. Every condition of every rule is
//! reported as [`Evidence`] named `rule.measurement`.

use rayon::prelude::*;

use super::activity::NetworkActivity;
use super::cohesion::FollowMeasures;
use super::influence::TieSummary;
use super::interactions::{NetworkFlows, PairIndex};
use super::{
    ratio, ClusterProfile, Context, Evidence, NetworkProfile, SizeBucket, SizeDistribution,
    StructureCall, StructureType,
};

/// How a measurement is compared with its threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// The measurement must be at least the threshold (`≥`).
    AtLeast,
    /// The measurement must be at most the threshold (`≤`).
    AtMost,
    /// The measurement must be below the threshold (`<`).
    Below,
}

impl Comparison {
    fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparison::AtLeast => value >= threshold,
            Comparison::AtMost => value <= threshold,
            Comparison::Below => value < threshold,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Comparison::AtLeast => "≥",
            Comparison::AtMost => "≤",
            Comparison::Below => "<",
        }
    }
}

/// One condition of a [`StructureRule`]: a named measurement compared with a threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Condition {
    /// The measurement (see the table in the module documentation).
    pub measure: &'static str,
    /// How it is compared.
    pub comparison: Comparison,
    /// Our threshold (not Pew's).
    pub threshold: f64,
}

/// The conditions under which the network is called `kind`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StructureRule {
    /// The structure the rule calls.
    pub kind: StructureType,
    /// Stable snake_case name, the prefix of its evidence names.
    pub name: &'static str,
    /// All must hold.
    pub conditions: &'static [Condition],
}

const fn cond(measure: &'static str, comparison: Comparison, threshold: f64) -> Condition {
    Condition {
        measure,
        comparison,
        threshold,
    }
}

use Comparison::{AtLeast, AtMost, Below};

/// The structure rules, in the order they are tried. The thresholds are ours.
pub const STRUCTURE_RULES: &[StructureRule] = &[
    StructureRule {
        kind: StructureType::PolarizedCrowd,
        name: "polarized_crowd",
        conditions: &[
            cond("top2_share", AtLeast, 0.5),
            cond("top2_balance", AtLeast, 0.33),
            cond("between_top2_share", AtMost, 0.1),
        ],
    },
    StructureRule {
        kind: StructureType::TightCrowd,
        name: "tight_crowd",
        conditions: &[
            cond("top3_share", AtLeast, 0.7),
            cond("inside_share", AtLeast, 0.7),
            cond("isolate_share", AtMost, 0.05),
            cond("mean_ties", AtLeast, 4.0),
        ],
    },
    StructureRule {
        kind: StructureType::BrandClusters,
        name: "brand_clusters",
        conditions: &[
            cond("isolate_share", AtLeast, 0.3),
            cond("hub_in_share", AtLeast, 0.3),
            cond("largest_share", AtMost, 0.25),
        ],
    },
    StructureRule {
        kind: StructureType::SupportNetwork,
        name: "support_network",
        conditions: &[
            cond("hub_out_reach", AtLeast, 0.3),
            cond("hub_out_partners", AtLeast, 10.0),
        ],
    },
    StructureRule {
        kind: StructureType::BroadcastNetwork,
        name: "broadcast_network",
        conditions: &[
            cond("hub_in_share", AtLeast, 0.5),
            cond("isolate_share", Below, 0.3),
        ],
    },
    StructureRule {
        kind: StructureType::CommunityClusters,
        name: "community_clusters",
        conditions: &[
            cond("medium_clusters", AtLeast, 3.0),
            cond("medium_with_hub_share", AtLeast, 0.5),
            cond("medium_people_share", AtLeast, 0.5),
        ],
    },
];

/// What [`network`] assembles from the other passes.
pub(crate) struct Inputs<'a> {
    pub follows: &'a FollowMeasures,
    pub flows: &'a NetworkFlows,
    pub clusters: &'a [ClusterProfile],
    pub activity: &'a NetworkActivity,
    pub ties: &'a TieSummary,
    pub pairs: &'a PairIndex,
}

/// The network profile.
pub(crate) fn network(ctx: &Context<'_>, x: &Inputs<'_>) -> NetworkProfile {
    let n = ctx.n;
    let sizes: Vec<u64> = (0..ctx.k).map(|c| ctx.size(c) as u64).collect();
    NetworkProfile {
        people: n as u64,
        follows: x.follows.ties,
        directed: !ctx.graph.follows.is_undirected(),
        interactions: x.flows.events,
        posts: ctx.graph.posts.len() as u64,
        clusters: ctx.k as u64,
        follow_modularity: x.follows.modularity,
        follows_inside_share: ratio(x.follows.internal_ties as f64, x.follows.ties as f64),
        interactions_inside_share: ratio(x.flows.internal as f64, x.flows.events as f64),
        reciprocity: x.follows.reciprocity,
        top_percent_follower_share: top_percent_share(&x.follows.in_degree),
        sizes: size_distribution(&sizes, n as u64),
        first_activity: x.activity.first,
        last_activity: x.activity.last,
        weeks_start: x.activity.weeks_start,
        matrix: x.flows.matrix.clone(),
        structure: call(&measurements(ctx, x, &sizes)),
    }
}

/// Share of the total held by the top 1 % of entries (at least one entry).
pub(crate) fn top_percent_share(values: &[u64]) -> Option<f64> {
    let total: u64 = values.iter().sum();
    if total == 0 {
        return None;
    }
    let top = values.len().div_ceil(100).max(1);
    let mut sorted = values.to_vec();
    sorted.par_sort_unstable_by(|a, b| b.cmp(a));
    let held: u64 = sorted[..top.min(sorted.len())].iter().sum();
    ratio(held as f64, total as f64)
}

/// Sizes summarised; `sizes` in any order.
pub(crate) fn size_distribution(sizes: &[u64], people: u64) -> SizeDistribution {
    let mut sorted = sizes.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let largest = sorted.first().copied().unwrap_or(0);
    let k = sorted.len();
    let median = match k {
        0 => 0.0,
        _ if k % 2 == 1 => sorted[k / 2] as f64,
        _ => (sorted[k / 2 - 1] + sorted[k / 2]) as f64 / 2.0,
    };
    let mut histogram = Vec::new();
    let mut min = 1u64;
    while min <= largest {
        let max = min.saturating_mul(2) - 1;
        let clusters = sorted.iter().filter(|&&s| s >= min && s <= max).count() as u64;
        histogram.push(SizeBucket { min, max, clusters });
        if max == u64::MAX {
            break;
        }
        min = max + 1;
    }
    let top10: u64 = sorted.iter().take(10).sum();
    SizeDistribution {
        largest,
        median,
        singletons: sorted.iter().filter(|&&s| s == 1).count() as u64,
        largest_share: ratio(largest as f64, people as f64).unwrap_or(0.0),
        top10_share: ratio(top10 as f64, people as f64).unwrap_or(0.0),
        histogram,
    }
}

/// Every measurement the rules read, by name; `None` where a denominator is zero.
pub(crate) fn measurements(
    ctx: &Context<'_>,
    x: &Inputs<'_>,
    sizes: &[u64],
) -> Vec<(&'static str, Option<f64>)> {
    let n = ctx.n as f64;
    let size = |c: usize| sizes.get(c).copied().unwrap_or(0) as f64;
    // The r-th largest cluster (ties by id).
    let nth = |r: usize| ctx.by_size.get(r).map(|&c| c as usize);
    let size_of_nth = |r: usize| nth(r).map_or(0.0, size);
    let inside = |r: usize| {
        nth(r).and_then(|c| x.clusters.get(c)).map_or(0.0, |p| {
            (p.cohesion.internal_follows + p.interactions.internal) as f64
        })
    };
    let between = (x.follows.between_top2 + x.flows.between_top2) as f64;
    let connections = (x.follows.ties + x.flows.events) as f64;
    let inside_all = (x.follows.internal_ties + x.flows.internal) as f64;

    // Connections received per person: followers plus interaction events received.
    let received: Vec<u64> = (0..ctx.n)
        .into_par_iter()
        .map(|u| x.follows.in_degree[u] + x.pairs.inn(u).1.iter().sum::<u64>())
        .collect();
    let (partners, receivers) = (0..ctx.n)
        .into_par_iter()
        .map(|u| {
            (
                x.pairs.out(u).0.len() as u64,
                !x.pairs.inn(u).0.is_empty() as u64,
            )
        })
        .reduce(|| (0, 0), |a, b| (a.0.max(b.0), a.1 + b.1));

    let medium_min = (0.001 * n).max(3.0);
    let medium: Vec<usize> = (0..ctx.k)
        .filter(|&c| size(c) >= medium_min && size(c) <= n / 2.0)
        .collect();
    let with_hub = medium
        .iter()
        .filter(|&&c| {
            let hub = x.follows.max_followers_inside.get(c).copied().unwrap_or(0) as f64;
            hub >= 0.05 * (size(c) - 1.0)
        })
        .count();
    let medium_people: f64 = medium.iter().map(|&c| size(c)).sum();

    vec![
        ("top2_share", ratio(size_of_nth(0) + size_of_nth(1), n)),
        ("top2_balance", ratio(size_of_nth(1), size_of_nth(0))),
        (
            "between_top2_share",
            ratio(between, inside(0) + inside(1) + between),
        ),
        (
            "top3_share",
            ratio(size_of_nth(0) + size_of_nth(1) + size_of_nth(2), n),
        ),
        ("inside_share", ratio(inside_all, connections)),
        ("isolate_share", ratio(x.ties.isolates as f64, n)),
        ("mean_ties", ratio(x.ties.ties as f64, n)),
        ("largest_share", ratio(size_of_nth(0), n)),
        ("hub_in_share", top_percent_share(&received)),
        ("hub_out_partners", Some(partners as f64)),
        ("hub_out_reach", ratio(partners as f64, receivers as f64)),
        ("medium_clusters", Some(medium.len() as f64)),
        (
            "medium_with_hub_share",
            ratio(with_hub as f64, medium.len() as f64),
        ),
        ("medium_people_share", ratio(medium_people, n)),
    ]
}

fn pretty(kind: StructureType) -> &'static str {
    match kind {
        StructureType::PolarizedCrowd => "polarized crowd",
        StructureType::TightCrowd => "tight crowd",
        StructureType::BrandClusters => "brand clusters",
        StructureType::CommunityClusters => "community clusters",
        StructureType::BroadcastNetwork => "broadcast network",
        StructureType::SupportNetwork => "support network",
    }
}

/// Applies [`STRUCTURE_RULES`] to the measurements.
pub(crate) fn call(measured: &[(&'static str, Option<f64>)]) -> StructureCall {
    let value = |name: &str| {
        measured
            .iter()
            .find(|(m, _)| *m == name)
            .and_then(|(_, v)| *v)
    };
    let mut evidence = Vec::new();
    let mut best: Option<(usize, usize, usize)> = None; // (rule, held, conditions)
    let mut first_full = None;
    for (r, rule) in STRUCTURE_RULES.iter().enumerate() {
        let mut held = 0;
        for c in rule.conditions {
            let v = value(c.measure);
            let holds = v.is_some_and(|v| c.comparison.holds(v, c.threshold));
            held += holds as usize;
            evidence.push(Evidence {
                name: format!("{}.{}", rule.name, c.measure),
                value: v.unwrap_or(0.0),
                threshold: c.threshold,
                holds,
            });
        }
        let total = rule.conditions.len();
        if held == total && first_full.is_none() {
            first_full = Some(r);
        }
        // held / total > best_held / best_total, compared without division.
        if best.is_none_or(|(_, bh, bt)| held * bt > bh * total) {
            best = Some((r, held, total));
        }
    }
    let default = STRUCTURE_RULES.len() - 1;
    let (r, full) = match (first_full, best) {
        (Some(r), _) => (r, true),
        (None, Some((r, held, _))) if held > 0 => (r, false),
        _ => {
            return StructureCall {
                kind: STRUCTURE_RULES[default].kind,
                reason: format!(
                    "No condition of any rule holds, so the call falls back to {}, the most \
                     general shape.",
                    pretty(STRUCTURE_RULES[default].kind)
                ),
                evidence,
            }
        }
    };
    let rule = &STRUCTURE_RULES[r];
    let described: Vec<String> = rule
        .conditions
        .iter()
        .map(|c| {
            let v = value(c.measure);
            let shown = v.map_or("n/a".to_string(), |v| format!("{v:.2}"));
            let held = v.is_some_and(|v| c.comparison.holds(v, c.threshold));
            format!(
                "{} {} {} {}{}",
                c.measure,
                shown,
                c.comparison.symbol(),
                c.threshold,
                if held { "" } else { " (fails)" }
            )
        })
        .collect();
    let reason = if full {
        format!(
            "Called {} because every condition of its rule holds: {}.",
            pretty(rule.kind),
            described.join(", ")
        )
    } else {
        let held = described.iter().filter(|d| !d.ends_with("(fails)")).count();
        format!(
            "No rule holds in full; {} comes closest with {} of {} conditions: {}.",
            pretty(rule.kind),
            held,
            rule.conditions.len(),
            described.join(", ")
        )
    };
    StructureCall {
        kind: rule.kind,
        reason,
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(values: &[(&'static str, f64)]) -> Vec<(&'static str, Option<f64>)> {
        values.iter().map(|&(n, v)| (n, Some(v))).collect()
    }

    #[test]
    fn rules_fire_in_order_and_report_every_condition() {
        let polarized = with(&[
            ("top2_share", 0.9),
            ("top2_balance", 0.8),
            ("between_top2_share", 0.02),
            ("top3_share", 0.95),
            ("inside_share", 0.9),
            ("isolate_share", 0.0),
            ("mean_ties", 10.0),
        ]);
        let c = call(&polarized);
        assert_eq!(c.kind, StructureType::PolarizedCrowd);
        let conditions: usize = STRUCTURE_RULES.iter().map(|r| r.conditions.len()).sum();
        assert_eq!(c.evidence.len(), conditions);
        assert!(c.reason.starts_with("Called polarized crowd"));
        // The same crowd with many ties between the halves is a tight crowd.
        let mut tight = polarized.clone();
        tight[2] = ("between_top2_share", Some(0.4));
        assert_eq!(call(&tight).kind, StructureType::TightCrowd);
        // Two of four tight-crowd conditions, one of three elsewhere: the closest is named.
        let partial = with(&[("top3_share", 0.9), ("inside_share", 0.9)]);
        let c = call(&partial);
        assert_eq!(c.kind, StructureType::TightCrowd);
        assert!(c.reason.starts_with("No rule holds in full; tight crowd"));
        // Nothing measured: the general default, and it says so.
        let none = call(&[]);
        assert_eq!(none.kind, StructureType::CommunityClusters);
        assert!(none.reason.starts_with("No condition of any rule holds"));
        assert!(none.evidence.iter().all(|e| !e.holds && e.value == 0.0));
    }

    #[test]
    fn sizes_by_power_of_two_buckets() {
        let d = size_distribution(&[9, 1, 3, 1, 2], 16);
        assert_eq!(d.largest, 9);
        assert_eq!(d.median, 2.0);
        assert_eq!(d.singletons, 2);
        let buckets: Vec<(u64, u64, u64)> = d
            .histogram
            .iter()
            .map(|b| (b.min, b.max, b.clusters))
            .collect();
        assert_eq!(buckets, vec![(1, 1, 2), (2, 3, 2), (4, 7, 0), (8, 15, 1)]);
        assert_eq!(d.largest_share, 9.0 / 16.0);
        assert_eq!(d.top10_share, 1.0);
        let empty = size_distribution(&[], 0);
        assert!(empty.histogram.is_empty());
        assert_eq!((empty.median, empty.largest_share), (0.0, 0.0));
    }
}
