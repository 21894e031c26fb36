//! Who matters inside a cluster and who connects clusters: key members by in-cluster PageRank,
//! brokers by participation coefficient.
//!
//! # Key members: PageRank on each cluster's own subgraph
//!
//! Brin & Page, "The anatomy of a large-scale hypertextual Web search engine", Computer
//! Networks and ISDN Systems 30 (1998). For cluster `c` with `n_c` members, the walk runs on
//! the subgraph induced by `c` of follows (`u` follows `v` ⇒ rank flows `u → v`, weight 1; an
//! undirected follow tie flows both ways) plus interactions (`source → target`, weighted by the
//! number of events):
//!
//! ```text
//! r'(v) = (1 − d) / n_c + d · ( Σ_{u → v} r(u) · w(u, v) / W(u)  +  D / n_c )
//! ```
//!
//! where `W(u)` is the total weight leaving `u` inside `c` and `D` the rank held by members with
//! `W = 0` (dangling), spread uniformly over the cluster, so the ranks of every cluster sum to 1.
//! Iteration starts from `1 / n_c`, and a cluster stops when the L1 change of its rank vector
//! falls below the tolerance or after the maximum number of iterations. All clusters iterate
//! together in one vector (the members of a cluster are contiguous), in parallel over members
//! with each member's in-sum taken in a fixed order, so the ranks do not depend on the number
//! of threads; a finished cluster is frozen, which makes the result the same as running each
//! cluster alone. Key members are the top members by rank, ties broken by node index. Beside
//! them the report shows raw follower counts: PageRank inside the cluster says who the cluster
//! itself listens to, which a platform's follower count does not.
//!
//! # Brokers: participation coefficient
//!
//! Guimerà & Amaral, "Functional cartography of complex metabolic networks", Nature 433 (2005):
//!
//! ```text
//! P(u) = 1 − Σ_c (k_c(u) / k(u))²
//! ```
//!
//! over `u`'s ties: the distinct people `u` follows, is followed by, interacted with or was
//! interacted with by; `k_c(u)` of them are in cluster `c`. `P` is 0 when every tie stays in one
//! cluster and approaches 1 when ties spread evenly over many. Only members with at least
//! `min_broker_ties` ties and at least one tie outside their cluster are ranked, so that a
//! person with two ties in two clusters does not outrank real bridges.
//!
//! Cost: `O(i · (n + m_in))` for PageRank (`m_in` intra-cluster ties, `i` iterations) and
//! `O(d log d)` per person for participation.

use contextivity_graph::NodeId;
use rayon::prelude::*;

use super::cohesion::FollowMeasures;
use super::interactions::PairIndex;
use super::{carve, for_nodes_with, Broker, Context, KeyMember, ProfileConfig};

/// Local nodes per block when the in-cluster graph is laid out.
const LAYOUT_BLOCK: usize = 4096;
/// Local nodes per segment of the PageRank sweeps.
const SEGMENT: usize = 2048;

/// The intra-cluster rank graph in local indices (cluster members contiguous): incoming ties
/// of every local node with their weights, and the total weight leaving every local node.
struct RankGraph {
    offsets: Vec<usize>,
    sources: Vec<u32>,
    weights: Vec<f32>,
    out_weight: Vec<f64>,
}

fn rank_graph(ctx: &Context<'_>, pairs: &PairIndex) -> RankGraph {
    let follows = &ctx.graph.follows;
    let undirected = follows.is_undirected();
    let (out, inn) = (follows.out(), follows.inn());
    let span = out.node_count().min(inn.node_count()).min(ctx.n);
    let a = ctx.assignment;
    let n = ctx.n;
    // Per block: row lengths, sources, weights, out-weights.
    type Block = (Vec<usize>, Vec<u32>, Vec<f32>, Vec<f64>);
    let blocks: Vec<Block> = (0..n.div_ceil(LAYOUT_BLOCK))
        .into_par_iter()
        .map(|b| {
            let (lo, hi) = (b * LAYOUT_BLOCK, ((b + 1) * LAYOUT_BLOCK).min(n));
            let (mut lens, mut sources, mut weights, mut out_w) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for v_local in lo..hi {
                let v = ctx.order[v_local] as usize;
                let cv = a[v];
                let before = sources.len();
                let same = |u: u32| u as usize != v && a.get(u as usize) == Some(&cv);
                if v < span {
                    let followers = if undirected {
                        out.neighbors(v)
                    } else {
                        inn.neighbors(v)
                    };
                    for &u in followers {
                        if same(u) {
                            sources.push(ctx.local[u as usize]);
                            weights.push(1.0);
                        }
                    }
                }
                let (from, counts) = pairs.inn(v);
                for (&u, &c) in from.iter().zip(counts) {
                    if same(u) {
                        sources.push(ctx.local[u as usize]);
                        weights.push(c as f32);
                    }
                }
                lens.push(sources.len() - before);
                let mut w = 0.0f64;
                if v < span {
                    w += out.neighbors(v).iter().filter(|&&x| same(x)).count() as f64;
                }
                let (to, counts) = pairs.out(v);
                for (&x, &c) in to.iter().zip(counts) {
                    if same(x) {
                        w += c as f64;
                    }
                }
                out_w.push(w);
            }
            (lens, sources, weights, out_w)
        })
        .collect();
    let total: usize = blocks.iter().map(|b| b.1.len()).sum();
    let mut g = RankGraph {
        offsets: Vec::with_capacity(n + 1),
        sources: Vec::with_capacity(total),
        weights: Vec::with_capacity(total),
        out_weight: Vec::with_capacity(n),
    };
    g.offsets.push(0);
    for (lens, sources, weights, out_w) in blocks {
        for len in lens {
            let last = g.offsets.last().copied().unwrap_or(0);
            g.offsets.push(last + len);
        }
        g.sources.extend_from_slice(&sources);
        g.weights.extend_from_slice(&weights);
        g.out_weight.extend_from_slice(&out_w);
    }
    g
}

/// A piece of one cluster's range of local nodes: the unit of parallel work in PageRank.
#[derive(Clone, Copy)]
struct Segment {
    cluster: usize,
    lo: usize,
    hi: usize,
}

/// In-cluster PageRank of every node, indexed by local position (`ctx.order`).
///
/// Each sweep covers only the clusters still iterating, cut into [`SEGMENT`]-node segments
/// that run in parallel; per-cluster sums (the L1 change, the dangling rank) are added segment
/// by segment in order, so they do not depend on the thread count. A segment also writes
/// `rank / W` of its nodes, which the next sweep reads.
pub(crate) fn pagerank(ctx: &Context<'_>, pairs: &PairIndex, config: &ProfileConfig) -> Vec<f64> {
    let n = ctx.n;
    let k = ctx.k;
    let d = config.damping;
    let g = rank_graph(ctx, pairs);
    let share_of = |v: usize, r: f64| {
        let w = g.out_weight[v];
        if w > 0.0 {
            r / w
        } else {
            0.0
        }
    };
    let mut rank = vec![0.0f64; n];
    for c in 0..k {
        let size = ctx.size(c);
        rank[ctx.start[c]..ctx.start[c + 1]].fill(1.0 / size as f64);
    }
    let mut share: Vec<f64> = (0..n).map(|v| share_of(v, rank[v])).collect();
    let mut dangling: Vec<f64> = (0..k)
        .map(|c| {
            (ctx.start[c]..ctx.start[c + 1])
                .filter(|&v| g.out_weight[v] == 0.0)
                .map(|v| rank[v])
                .sum()
        })
        .collect();
    let mut next = rank.clone();
    let mut next_share = share.clone();
    let mut live: Vec<usize> = (0..k).filter(|&c| ctx.size(c) > 1).collect();
    let mut change = vec![0.0f64; k];
    for _ in 0..config.max_iterations {
        if live.is_empty() {
            break;
        }
        let segments: Vec<Segment> = live
            .iter()
            .flat_map(|&c| {
                (ctx.start[c]..ctx.start[c + 1])
                    .step_by(SEGMENT)
                    .map(move |lo| Segment {
                        cluster: c,
                        lo,
                        hi: (lo + SEGMENT).min(ctx.start[c + 1]),
                    })
            })
            .collect();
        let spans: Vec<(usize, usize)> = segments.iter().map(|s| (s.lo, s.hi)).collect();
        let (rank_r, share_r, dangling_r) = (&rank, &share, &dangling);
        let sums: Vec<(f64, f64)> = segments
            .par_iter()
            .zip(carve(&mut next, &spans))
            .zip(carve(&mut next_share, &spans))
            .map(|((s, out), out_share)| {
                let size = ctx.size(s.cluster) as f64;
                let base = (1.0 - d) / size + d * dangling_r[s.cluster] / size;
                let (mut change, mut lost) = (0.0f64, 0.0f64);
                for (i, v) in (s.lo..s.hi).enumerate() {
                    let range = g.offsets[v]..g.offsets[v + 1];
                    let inflow: f64 = g.sources[range.clone()]
                        .iter()
                        .zip(&g.weights[range])
                        .map(|(&u, &w)| share_r[u as usize] * w as f64)
                        .sum();
                    let r = base + d * inflow;
                    change += (r - rank_r[v]).abs();
                    if g.out_weight[v] == 0.0 {
                        lost += r;
                    }
                    out[i] = r;
                    out_share[i] = share_of(v, r);
                }
                (change, lost)
            })
            .collect();
        for (s, &(delta, lost)) in segments.iter().zip(&sums) {
            if s.lo == ctx.start[s.cluster] {
                change[s.cluster] = 0.0;
                dangling[s.cluster] = 0.0;
            }
            change[s.cluster] += delta;
            dangling[s.cluster] += lost;
        }
        std::mem::swap(&mut rank, &mut next);
        std::mem::swap(&mut share, &mut next_share);
        live.retain(|&c| {
            if change[c] < config.tolerance {
                // Frozen: keep both buffers equal so later swaps leave the ranks in place.
                let r = ctx.start[c]..ctx.start[c + 1];
                next[r.clone()].copy_from_slice(&rank[r.clone()]);
                next_share[r.clone()].copy_from_slice(&share[r]);
                false
            } else {
                true
            }
        });
    }
    rank
}

/// The top `count` members of every cluster by rank (ties by node index).
pub(crate) fn key_members(
    ctx: &Context<'_>,
    rank: &[f64],
    follows: &FollowMeasures,
    count: usize,
) -> Vec<Vec<KeyMember>> {
    let g = ctx.graph;
    (0..ctx.k)
        .into_par_iter()
        .map(|c| {
            let mut order: Vec<usize> = (ctx.start[c]..ctx.start[c + 1]).collect();
            let by_rank = |x: &usize, y: &usize| {
                rank[*y]
                    .total_cmp(&rank[*x])
                    .then(ctx.order[*x].cmp(&ctx.order[*y]))
            };
            if count < order.len() {
                if count > 0 {
                    order.select_nth_unstable_by(count - 1, by_rank);
                }
                order.truncate(count);
            }
            order.sort_unstable_by(by_rank);
            order
                .into_iter()
                .map(|v| {
                    let node = ctx.order[v];
                    let id = NodeId(node);
                    KeyMember {
                        node,
                        id: g.label(id).to_string(),
                        handle: g.people.handle(id).map(str::to_string),
                        pagerank: rank[v],
                        followers_inside: follows.followers_inside[node as usize],
                        followers: follows.in_degree[node as usize],
                        reported_followers: g.people.followers_count(id),
                    }
                })
                .collect()
        })
        .collect()
}

/// Ties of the whole network, for the structure call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TieSummary {
    /// People without any tie.
    pub isolates: u64,
    /// Ties summed over people (twice the number of connected pairs).
    pub ties: u64,
}

/// One person's ties by cluster.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct NodeTies {
    pub ties: u64,
    pub external: u64,
    pub clusters_reached: u64,
    pub participation: f64,
}

/// Scratch buffers of [`node_ties`].
#[derive(Default)]
pub(crate) struct TieScratch {
    follows: Vec<u32>,
    partners: Vec<u32>,
    external: Vec<u32>,
}

/// Merges two sorted, duplicate-free lists into `out` without duplicates.
fn union_into(a: &[u32], b: &[u32], out: &mut Vec<u32>) {
    out.clear();
    if a.is_empty() || b.is_empty() {
        out.extend_from_slice(if a.is_empty() { b } else { a });
        return;
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        out.push(x.min(y));
        i += (x <= y) as usize;
        j += (y <= x) as usize;
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
}

/// Distinct people `u` is tied to, grouped by cluster.
pub(crate) fn node_ties(
    ctx: &Context<'_>,
    pairs: &PairIndex,
    scratch: &mut TieScratch,
    u: usize,
) -> NodeTies {
    fn row(csr: &contextivity_graph::Csr, u: usize) -> &[u32] {
        if u < csr.node_count() {
            csr.neighbors(u)
        } else {
            &[]
        }
    }
    let follows = &ctx.graph.follows;
    let a = ctx.assignment;
    let TieScratch {
        follows: fbuf,
        partners: pbuf,
        external,
    } = scratch;
    let followed = if follows.is_undirected() {
        row(follows.out(), u)
    } else {
        union_into(row(follows.out(), u), row(follows.inn(), u), fbuf);
        fbuf
    };
    union_into(pairs.out(u).0, pairs.inn(u).0, pbuf);
    let (mut i, mut j) = (0, 0);
    let cu = a[u];
    let mut own = 0u64;
    external.clear();
    while i < followed.len() || j < pbuf.len() {
        let m = match (followed.get(i), pbuf.get(j)) {
            (Some(&x), Some(&y)) => {
                i += (x <= y) as usize;
                j += (y <= x) as usize;
                x.min(y)
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (None, Some(&y)) => {
                j += 1;
                y
            }
            (None, None) => break,
        };
        if m as usize == u {
            continue;
        }
        match a.get(m as usize) {
            Some(&c) if c == cu => own += 1,
            Some(&c) => external.push(c),
            None => {}
        }
    }
    let ties = own + external.len() as u64;
    if ties == 0 {
        return NodeTies::default();
    }
    external.sort_unstable();
    let mut sumsq = (own * own) as f64;
    let mut reached = (own > 0) as u64;
    let mut i = 0;
    while i < external.len() {
        let run = external[i..].partition_point(|&c| c == external[i]);
        sumsq += (run * run) as f64;
        reached += 1;
        i += run;
    }
    let k = ties as f64;
    NodeTies {
        ties,
        external: external.len() as u64,
        clusters_reached: reached,
        participation: 1.0 - sumsq / (k * k),
    }
}

/// The top brokers of every cluster by participation (ties by node index), and the network's
/// tie summary.
pub(crate) fn brokers(
    ctx: &Context<'_>,
    pairs: &PairIndex,
    config: &ProfileConfig,
) -> (Vec<Vec<Broker>>, TieSummary) {
    let a = ctx.assignment;
    let mut summary = TieSummary::default();
    let mut candidates: Vec<(u32, u32, NodeTies)> = Vec::new();
    for_nodes_with(
        ctx.n,
        TieScratch::default,
        |scratch, u| node_ties(ctx, pairs, scratch, u),
        |u, t| {
            summary.ties += t.ties;
            summary.isolates += (t.ties == 0) as u64;
            if t.ties >= config.min_broker_ties && t.external > 0 {
                candidates.push((a[u], u as u32, t));
            }
        },
    );
    candidates.par_sort_unstable_by(|x, y| {
        x.0.cmp(&y.0)
            .then(y.2.participation.total_cmp(&x.2.participation))
            .then(x.1.cmp(&y.1))
    });
    let g = ctx.graph;
    let mut out: Vec<Vec<Broker>> = vec![Vec::new(); ctx.k];
    for (c, node, t) in candidates {
        let list = &mut out[c as usize];
        if list.len() >= config.brokers {
            continue;
        }
        let id = NodeId(node);
        list.push(Broker {
            node,
            id: g.label(id).to_string(),
            handle: g.people.handle(id).map(str::to_string),
            participation: t.participation,
            clusters_reached: t.clusters_reached,
            external_ties: t.external,
            ties: t.ties,
        });
    }
    (out, summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::tests::random_graph;

    /// PageRank cluster by cluster with dense vectors and an edge list: the plain reference.
    fn reference(ctx: &Context<'_>, pairs: &PairIndex, config: &ProfileConfig) -> Vec<f64> {
        let g = ctx.graph;
        let a = ctx.assignment;
        let mut rank = vec![0.0; ctx.n];
        for c in 0..ctx.k {
            let members = ctx.members(c);
            let s = members.len();
            let pos = |u: u32| members.binary_search(&u).ok();
            let mut edges: Vec<(usize, usize, f64)> = Vec::new();
            for (i, &u) in members.iter().enumerate() {
                for &v in g.follows.out().neighbors(u as usize) {
                    if let (Some(j), true) = (pos(v), v != u) {
                        edges.push((i, j, 1.0));
                    }
                }
                let (to, counts) = pairs.out(u as usize);
                for (&v, &cnt) in to.iter().zip(counts) {
                    if a[v as usize] as usize == c {
                        edges.push((i, pos(v).unwrap(), cnt as f64));
                    }
                }
            }
            let mut w = vec![0.0; s];
            for &(i, _, x) in &edges {
                w[i] += x;
            }
            let mut r = vec![1.0 / s as f64; s];
            if s > 1 {
                for _ in 0..config.max_iterations {
                    let lost: f64 = (0..s).filter(|&i| w[i] == 0.0).map(|i| r[i]).sum();
                    let mut next = vec![
                        (1.0 - config.damping) / s as f64
                            + config.damping * lost / s as f64;
                        s
                    ];
                    for &(i, j, x) in &edges {
                        next[j] += config.damping * r[i] * x / w[i];
                    }
                    let delta: f64 = next.iter().zip(&r).map(|(x, y)| (x - y).abs()).sum();
                    r = next;
                    if delta < config.tolerance {
                        break;
                    }
                }
            }
            for (i, &u) in members.iter().enumerate() {
                rank[ctx.local[u as usize] as usize] = r[i];
            }
        }
        rank
    }

    #[test]
    fn pagerank_sums_to_one_per_cluster_and_matches_the_reference() {
        for (seed, undirected) in [(1, false), (2, true), (3, false)] {
            let (graph, partition) = random_graph(400, 3000, 2000, seed, undirected);
            let ctx = Context::new(&graph, &partition).unwrap();
            let pairs = PairIndex::build(&ctx);
            let config = ProfileConfig::default();
            let got = pagerank(&ctx, &pairs, &config);
            let want = reference(&ctx, &pairs, &config);
            for c in 0..ctx.k {
                let sum: f64 = got[ctx.start[c]..ctx.start[c + 1]].iter().sum();
                assert!((sum - 1.0).abs() < 1e-9, "cluster {c} sums to {sum}");
            }
            for (x, y) in got.iter().zip(&want) {
                assert!((x - y).abs() < 1e-9, "{x} vs {y}");
            }
        }
    }

    #[test]
    fn participation_by_hand() {
        // 0 — 1, 0 — 2 (cluster 0), 0 → 3 (cluster 1), 4 → 0 (cluster 2): k = 4, k_0 = 2,
        // k_1 = 1, k_2 = 1 → P = 1 − (4 + 1 + 1)/16 = 10/16.
        let mut b = contextivity_graph::GraphBuilder::new(Default::default());
        let ids: Vec<_> = (0..5).map(|i| b.node(&i.to_string()).unwrap()).collect();
        for (u, v) in [(0, 1), (2, 0), (0, 3), (4, 0)] {
            b.add_follow(ids[u], ids[v], 1.0);
        }
        let graph = b.build().unwrap();
        let partition = contextivity_graph::Partition::from_labels(&[0, 0, 0, 1, 2]);
        let ctx = Context::new(&graph, &partition).unwrap();
        let pairs = PairIndex::build(&ctx);
        let t = node_ties(&ctx, &pairs, &mut TieScratch::default(), 0);
        assert_eq!((t.ties, t.external, t.clusters_reached), (4, 2, 3));
        assert!((t.participation - 10.0 / 16.0).abs() < 1e-15);
    }
}
