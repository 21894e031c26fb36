//! Per-cluster engagement profiles and the shape of the whole network.
//!
//! [`profile`] measures, for a [`SocialGraph`] and a [`Partition`] of its people, everything the
//! report shows: cohesion of follow ties, interactions by kind inside and across the boundary,
//! post engagement, key members (in-cluster PageRank beside raw follower counts), brokers
//! (participation coefficient) and activity over time; and for the whole network its
//! modularity, cluster sizes, interaction matrix and structure type. Formulas are in
//! `docs/METRICS.md`, under the names of the fields of [`types`].
//!
//! | file | what it measures | after |
//! |---|---|---|
//! | `cohesion.rs` | follow ties inside / out / in, density, conductance, reciprocity, followers, follow modularity | Newman & Girvan 2004; Kannan, Vempala & Vetta 2004 |
//! | `interactions.rs` | events by kind and direction, interacting pairs, conversations, repeat pairs, the cluster matrix | — |
//! | `engagement.rs` | posts, engagement sums and ratios, active members | — |
//! | `influence.rs` | key members by in-cluster PageRank, brokers by participation coefficient | Brin & Page 1998; Guimerà & Amaral 2005 |
//! | `activity.rs` | first / last activity, weekly histograms | — |
//! | `shape.rs` | cluster sizes, shares, the structure call | Smith, Rainie, Shneiderman & Himelboim 2014 |
//!
//! ```
//! use contextivity_graph::{BuildConfig, GraphBuilder, Partition};
//! use contextivity_metrics::profile::{profile, ProfileConfig};
//!
//! let mut b = GraphBuilder::new(BuildConfig::default());
//! let p: Vec<_> = ["ana", "ben", "cy", "dee"].iter().map(|x| b.node(x)).collect::<Result<_, _>>()?;
//! for (u, v) in [(0, 1), (1, 0), (2, 3), (3, 2), (1, 2)] {
//!     b.add_follow(p[u], p[v], 1.0);
//! }
//! let reply = b.kind("reply")?;
//! b.add_interaction(p[0], p[1], reply, Some(1_700_000_000), 1.0);
//! b.add_interaction(p[1], p[0], reply, Some(1_700_000_600), 1.0);
//! let graph = b.build()?;
//!
//! let split = Partition::from_labels(&[0, 0, 1, 1]);
//! let report = profile(&graph, &split, &ProfileConfig::default())?;
//! let first = &report.clusters[0];
//! assert_eq!(first.cohesion.internal_follows, 2);
//! assert_eq!(first.cohesion.outgoing_follows, 1); // ben → cy
//! assert_eq!(first.interactions.conversation_share, Some(0.5)); // ana's reply was answered
//! assert_eq!(report.network.follows_inside_share, Some(0.8));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Conventions
//!
//! - Ratios whose denominator is zero are `None`, never `NaN`.
//! - Interaction events are counted with their multiplicity ([`InteractionLayer::counts`]).
//! - Follow self-loops (kept only when a graph was built with `keep_self_loops`) are left out of
//!   every follow measure; interaction self-loops count as internal events but never as pairs,
//!   ties or PageRank flow.
//!
//! # Determinism and cost
//!
//! Per-node work runs in parallel on the current rayon pool, in fixed blocks of nodes whose
//! results are folded into the clusters in node order, so the same graph and partition give the
//! same bits at any thread count. Integer tallies over events run as one sequential pass. The
//! cost is `O(n + m + e)` per pass plus `O(i · m_in)` for PageRank (`i` iterations over the
//! intra-cluster ties `m_in`) and `O(d log d)` per broker candidate.
//!
//! [`InteractionLayer::counts`]: contextivity_graph::InteractionLayer::counts

mod activity;
mod cohesion;
mod engagement;
mod influence;
mod interactions;
mod shape;
pub mod types;

#[cfg(test)]
mod tests;

pub use shape::{Comparison, Condition, StructureRule, STRUCTURE_RULES};
pub use types::*;

use contextivity_graph::{Partition, SocialGraph};
use rayon::prelude::*;

use crate::MetricsError;

/// Nodes per block of the parallel per-node passes; results of a block are folded in node
/// order before the next block starts, which bounds memory and keeps sums deterministic.
const BLOCK: usize = 1 << 16;

/// Measures every cluster of `partition` on `graph` and the network as a whole.
///
/// Runs on the current rayon pool; the result does not depend on its size.
///
/// # Errors
///
/// [`MetricsError::PartitionSizeMismatch`] when the partition does not assign exactly the
/// graph's people; [`MetricsError::InvalidProfileConfig`] when the damping factor is outside
/// `[0, 1]` or the tolerance is negative or not a number.
pub fn profile(
    graph: &SocialGraph,
    partition: &Partition,
    config: &ProfileConfig,
) -> Result<Profile, MetricsError> {
    check_config(config)?;
    let ctx = Context::new(graph, partition)?;

    let follows = cohesion::measure(&ctx);
    let pairs = interactions::PairIndex::build(&ctx);
    let flows = interactions::measure(&ctx, &pairs, &follows.follow_pairs, config.matrix_clusters);
    let engagement = engagement::measure(&ctx, &follows.in_degree);
    let activity = activity::measure(&ctx);
    let ranks = influence::pagerank(&ctx, &pairs, config);
    let key_members = influence::key_members(&ctx, &ranks, &follows, config.key_members);
    let (brokers, ties) = influence::brokers(&ctx, &pairs, config);

    let clusters: Vec<ClusterProfile> = follows
        .clusters
        .iter()
        .cloned()
        .zip(flows.clusters)
        .zip(engagement)
        .zip(activity.clusters)
        .zip(key_members.into_iter().zip(brokers))
        .enumerate()
        .map(
            |(c, ((((cohesion, interactions), engagement), activity), (key_members, brokers)))| {
                ClusterProfile {
                    cluster: c as u32,
                    size: ctx.size(c) as u64,
                    cohesion,
                    interactions,
                    engagement,
                    key_members,
                    brokers,
                    activity,
                }
            },
        )
        .collect();

    let network = shape::network(
        &ctx,
        &shape::Inputs {
            follows: &follows,
            flows: &flows.network,
            clusters: &clusters,
            activity: &activity.network,
            ties: &ties,
            pairs: &pairs,
        },
    );
    Ok(Profile { network, clusters })
}

fn check_config(config: &ProfileConfig) -> Result<(), MetricsError> {
    if !(0.0..=1.0).contains(&config.damping) {
        return Err(MetricsError::InvalidProfileConfig {
            setting: "damping",
            value: config.damping.to_string(),
            expected: "a number in [0, 1]",
        });
    }
    if config.tolerance.is_nan() || config.tolerance < 0.0 {
        return Err(MetricsError::InvalidProfileConfig {
            setting: "tolerance",
            value: config.tolerance.to_string(),
            expected: "a number ≥ 0",
        });
    }
    Ok(())
}

/// The graph and the partition laid out for the passes: cluster of every node, members of
/// every cluster as one contiguous range of `order`.
pub(crate) struct Context<'a> {
    pub graph: &'a SocialGraph,
    /// Number of people.
    pub n: usize,
    /// Number of clusters.
    pub k: usize,
    /// Cluster of every node.
    pub assignment: &'a [u32],
    /// Members of all clusters back to back, cluster 0 first, each sorted by node.
    pub order: Vec<u32>,
    /// Cluster `c` occupies `order[start[c]..start[c + 1]]`.
    pub start: Vec<usize>,
    /// Position of every node in `order`.
    pub local: Vec<u32>,
    /// Cluster ids by decreasing size, ties by id (the identity for a canonical partition).
    pub by_size: Vec<u32>,
    /// Position of every cluster in `by_size`.
    pub size_rank: Vec<u32>,
    /// Events every per-event array of the interaction layer holds.
    events: usize,
}

impl<'a> Context<'a> {
    fn new(graph: &'a SocialGraph, partition: &'a Partition) -> Result<Self, MetricsError> {
        let n = graph.node_count();
        if partition.len() != n {
            return Err(MetricsError::PartitionSizeMismatch {
                partition: partition.len(),
                people: n,
            });
        }
        let assignment = partition.assignment();
        let k = partition.cluster_count();
        if let Some((node, &cluster)) = assignment
            .iter()
            .enumerate()
            .find(|(_, &c)| c as usize >= k)
        {
            return Err(MetricsError::ClusterOutOfRange {
                node,
                cluster,
                clusters: k,
            });
        }
        let mut start = vec![0usize; k + 1];
        for &c in assignment {
            start[c as usize + 1] += 1;
        }
        for c in 0..k {
            start[c + 1] += start[c];
        }
        let mut next = start.clone();
        let mut order = vec![0u32; n];
        let mut local = vec![0u32; n];
        for (u, &c) in assignment.iter().enumerate() {
            let slot = &mut next[c as usize];
            order[*slot] = u as u32;
            local[u] = *slot as u32;
            *slot += 1;
        }
        let layer = &graph.interactions;
        let events = layer
            .targets()
            .len()
            .min(layer.event_kinds().len())
            .min(layer.times().len())
            .min(layer.counts().len());
        let mut by_size: Vec<u32> = (0..k as u32).collect();
        by_size.sort_by_key(|&c| {
            (
                std::cmp::Reverse(start[c as usize + 1] - start[c as usize]),
                c,
            )
        });
        let mut size_rank = vec![0u32; k];
        for (r, &c) in by_size.iter().enumerate() {
            size_rank[c as usize] = r as u32;
        }
        Ok(Context {
            by_size,
            size_rank,
            events,
            graph,
            n,
            k,
            assignment,
            order,
            start,
            local,
        })
    }

    /// Members of cluster `c`.
    #[cfg(test)]
    pub fn members(&self, c: usize) -> &[u32] {
        &self.order[self.start[c]..self.start[c + 1]]
    }

    /// Size of cluster `c`.
    pub fn size(&self, c: usize) -> usize {
        self.start[c + 1] - self.start[c]
    }

    /// 0 or 1 when `c` is the largest or second-largest cluster.
    #[inline]
    pub fn top2(&self, c: u32) -> Option<u32> {
        let r = self.size_rank[c as usize];
        (r < 2).then_some(r)
    }

    /// The row range of `u` in the interaction layer, empty when the layer does not span `u`.
    pub fn event_range(&self, u: usize) -> std::ops::Range<usize> {
        let layer = &self.graph.interactions;
        if u < layer.node_count() {
            let r = layer.row_range(u);
            r.start.min(self.events)..r.end.min(self.events)
        } else {
            0..0
        }
    }
}

/// `num ÷ den`, or `None` when the denominator is zero.
pub(crate) fn ratio(num: f64, den: f64) -> Option<f64> {
    if den > 0.0 {
        Some(num / den)
    } else {
        None
    }
}

/// Carves `data` into the disjoint mutable slices `data[lo..hi]` of `spans` (sorted,
/// non-overlapping), so that parallel tasks can each fill their own.
pub(crate) fn carve<'d, T>(mut data: &'d mut [T], spans: &[(usize, usize)]) -> Vec<&'d mut [T]> {
    let mut out = Vec::with_capacity(spans.len());
    let mut offset = 0;
    for &(lo, hi) in spans {
        let (_, tail) = std::mem::take(&mut data).split_at_mut(lo - offset);
        let (mine, tail) = tail.split_at_mut(hi - lo);
        out.push(mine);
        data = tail;
        offset = hi;
    }
    out
}

/// Computes `f(u)` for every node in parallel, block by block, and hands the results to `fold`
/// in node order.
pub(crate) fn for_nodes<T: Send>(
    n: usize,
    f: impl Fn(usize) -> T + Sync,
    fold: impl FnMut(usize, T),
) {
    for_nodes_with(n, || (), |_, u| f(u), fold);
}

/// [`for_nodes`] with a scratch value per rayon task (buffers reused across nodes).
pub(crate) fn for_nodes_with<S, T: Send>(
    n: usize,
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, usize) -> T + Sync + Send,
    mut fold: impl FnMut(usize, T),
) {
    let mut start = 0;
    while start < n {
        let end = (start + BLOCK).min(n);
        let values: Vec<T> = (start..end).into_par_iter().map_init(&init, &f).collect();
        for (i, v) in values.into_iter().enumerate() {
            fold(start + i, v);
        }
        start = end;
    }
}
