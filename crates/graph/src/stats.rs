//! [`GraphStats`]: what a loaded export holds, in numbers a user checks first — people, edges per
//! layer and kind, degree summaries, reciprocity, weakly connected components, and what loading
//! merged, dropped or skipped.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::csr::Csr;
use crate::graph::{LoadSummary, SocialGraph};

/// Min, median, 99th percentile, max and mean of a degree sequence.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DegreeSummary {
    /// Smallest degree.
    pub min: u64,
    /// Median (lower median for even counts).
    pub median: u64,
    /// 99th percentile (nearest rank).
    pub p99: u64,
    /// Largest degree.
    pub max: u64,
    /// Mean degree.
    pub mean: f64,
}

impl DegreeSummary {
    /// Summarises the row lengths of `csr`.
    pub fn of_rows(csr: &Csr) -> Self {
        let degrees: Vec<u64> = (0..csr.node_count())
            .map(|u| csr.degree(u) as u64)
            .collect();
        Self::of(degrees)
    }

    /// Summarises a list of degrees.
    pub fn of(mut degrees: Vec<u64>) -> Self {
        if degrees.is_empty() {
            return DegreeSummary::default();
        }
        degrees.par_sort_unstable();
        let n = degrees.len();
        let rank = |q: f64| degrees[((q * n as f64).ceil() as usize).clamp(1, n) - 1];
        DegreeSummary {
            min: degrees[0],
            median: degrees[(n - 1) / 2],
            p99: rank(0.99),
            max: degrees[n - 1],
            mean: degrees.iter().sum::<u64>() as f64 / n as f64,
        }
    }
}

/// The follow layer in numbers.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FollowStats {
    /// Follow relations (undirected ties count once).
    pub edges: u64,
    /// Whether the source was undirected (every tie mutual).
    pub undirected: bool,
    /// Share of follow arcs whose reverse exists.
    pub reciprocity: f64,
    /// Followees per person (or ties per person when undirected).
    pub out_degree: DegreeSummary,
    /// Followers per person (same as out_degree when undirected).
    pub in_degree: DegreeSummary,
}

/// Interactions in numbers.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct InteractionStats {
    /// Interaction records (merged duplicates counted individually).
    pub events: u64,
    /// Distinct ordered pairs `source → target` that interacted.
    pub pairs: u64,
    /// Records per kind (only kinds that occur).
    pub by_kind: BTreeMap<String, u64>,
    /// Events sent per person.
    pub out_degree: DegreeSummary,
}

/// Components of follows and interactions together, ignoring direction.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ComponentStats {
    /// Number of weakly connected components (isolated people count).
    pub count: u64,
    /// People in the largest one.
    pub largest: u64,
    /// People alone in their component: no follow and no interaction with anyone else.
    pub isolated: u64,
}

/// Everything `contextivity stats` prints.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GraphStats {
    /// People (nodes).
    pub people: u64,
    /// The follow layer.
    pub follows: FollowStats,
    /// The interaction layer.
    pub interactions: InteractionStats,
    /// Posts in the export.
    pub posts: u64,
    /// Attribute columns and how many people have a value in each.
    pub attributes: BTreeMap<String, u64>,
    /// Ground-truth communities, if the export has them.
    pub truth_communities: Option<u64>,
    /// Weakly connected components.
    pub components: ComponentStats,
    /// What loading merged, dropped or skipped.
    pub load: LoadSummary,
}

impl GraphStats {
    /// Computes the statistics of `graph`.
    pub fn of(graph: &SocialGraph) -> Self {
        let follows = &graph.follows;
        let layer = &graph.interactions;
        let kinds = layer.kinds();
        let by_kind = layer
            .count_by_kind()
            .into_iter()
            .enumerate()
            .filter(|&(_, c)| c > 0)
            .map(|(k, c)| (kinds.names()[k].clone(), c))
            .collect();
        let n = graph.node_count();
        let pairs = (0..n)
            .into_par_iter()
            .map(|u| {
                let t = &layer.targets()[layer.row_range(u)];
                // Events of one source are sorted by target, so distinct targets are runs.
                t.iter()
                    .enumerate()
                    .filter(|&(i, &v)| i == 0 || t[i - 1] != v)
                    .count() as u64
            })
            .sum();
        let sent: Vec<u64> = (0..n).map(|u| layer.row_range(u).len() as u64).collect();
        let (component, count) = graph.weak_components();
        let mut sizes = vec![0u64; count];
        for &c in &component {
            sizes[c as usize] += 1;
        }
        let isolated = sizes.iter().filter(|&&s| s == 1).count() as u64;
        GraphStats {
            people: n as u64,
            follows: FollowStats {
                edges: follows.edge_count() as u64,
                undirected: follows.is_undirected(),
                reciprocity: follows.reciprocity(),
                out_degree: DegreeSummary::of_rows(follows.out()),
                in_degree: DegreeSummary::of_rows(follows.inn()),
            },
            interactions: InteractionStats {
                events: layer.counts().iter().map(|&c| c as u64).sum(),
                pairs,
                by_kind,
                out_degree: DegreeSummary::of(sent),
            },
            posts: graph.posts.len() as u64,
            attributes: graph
                .people
                .columns()
                .iter()
                .map(|(name, col)| {
                    let mut people: Vec<u32> = col.iter().map(|(n, _)| n.0).collect();
                    people.dedup();
                    (name.clone(), people.len() as u64)
                })
                .collect(),
            truth_communities: graph.truth.as_ref().map(|t| t.len() as u64),
            components: ComponentStats {
                count: count as u64,
                largest: sizes.iter().copied().max().unwrap_or(0),
                isolated,
            },
            load: graph.summary.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::{BuildConfig, GraphBuilder};

    #[test]
    fn degree_summary_uses_nearest_rank() {
        let d = DegreeSummary::of((1..=100).collect());
        assert_eq!((d.min, d.median, d.p99, d.max), (1, 50, 99, 100));
        assert_eq!(d.mean, 50.5);
        assert_eq!(DegreeSummary::of(vec![]), DegreeSummary::default());
    }

    #[test]
    fn stats_of_a_small_export() {
        let mut b = GraphBuilder::new(BuildConfig::default());
        let ids: Vec<_> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|l| b.node(l).unwrap())
            .collect();
        b.add_follow(ids[0], ids[1], 1.0);
        b.add_follow(ids[1], ids[0], 1.0);
        b.add_follow(ids[2], ids[0], 1.0);
        let reply = b.kind("reply").unwrap();
        b.add_interaction(ids[3], ids[0], reply, None, 1.0);
        b.add_interaction(ids[3], ids[0], reply, None, 1.0);
        b.set_attribute(ids[0], "bio", "x");
        let s = GraphStats::of(&b.build().unwrap());
        assert_eq!(s.people, 5);
        assert_eq!(s.follows.edges, 3);
        assert!((s.follows.reciprocity - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.follows.in_degree.max, 2);
        assert_eq!(s.interactions.events, 2);
        assert_eq!(s.interactions.pairs, 1);
        assert_eq!(s.interactions.by_kind.get("reply"), Some(&2));
        assert_eq!(s.components.count, 2);
        assert_eq!(s.components.largest, 4);
        assert_eq!(s.components.isolated, 1);
        assert_eq!(s.attributes.get("bio"), Some(&1));
        assert_eq!(s.load.interaction_duplicates_merged, 1);
    }
}
