//! The LFR benchmark: graphs with planted communities and heterogeneous degrees and sizes.
//!
//! Lancichinetti, Fortunato & Radicchi, *Benchmark graphs for testing community detection
//! algorithms*, Phys. Rev. E 78, 046110 (2008). [`generate`] follows the paper's steps:
//!
//! 1. **Degrees** `P(k) ∝ k^-τ1` on `[k_min, k_max]`, with the lower cut-off solved so that the
//!    expected mean is exactly ⟨k⟩ (see [`crate::powerlaw`]); one degree is moved by one if the
//!    sum is odd.
//! 2. **Internal degrees** `(1 − μ)·k`, rounded *stochastically* (down, or up with probability
//!    equal to the fractional part) as in the reference code, so the expected mixing over the
//!    graph is exactly μ and every node keeps `|k_ext − μ·k| < 1` (< 2 after the parity fix of
//!    step 4). For comparison, the networkit-generated peer benchmark graphs realise 0.414 for
//!    μ 0.4.
//! 3. **Community sizes** `P(s) ∝ s^-τ2` on `[c_min, c_max]` summing to N, and **membership**
//!    so that every node's community is larger than its internal degree (see the crate's
//!    `communities` module).
//! 4. **Internal wiring**: each community's internal stubs are joined by the configuration model
//!    and repaired by edge switches, in parallel over communities. A dense community where the
//!    repair gets stuck is rebuilt by Havel–Hakimi and randomised by swaps
//!    ([`crate::havel_hakimi`]), which realises every graphical degree sequence exactly. If a
//!    community's internal degrees add up to an odd number, one member's internal degree moves by
//!    one (up or down at random) and its external degree the other way, so the node's total
//!    degree is unchanged (at μ = 0, which allows no external link, the degree itself moves).
//! 5. **External wiring**: all external stubs are joined by one configuration model; pairs inside
//!    one community, self-loops and repeats are repaired by edge switches (the crate's `rewire`
//!    module).
//!
//! What comes out: every realised degree equals its drawn degree unless an external pair could
//! not be repaired ([`LfrStats::dropped_edges`], zero in practice for the parameters of the peer
//! benchmarks). When a community's internal degrees are not graphical (several hubs placed in
//! one small community), the stubs Havel–Hakimi cannot place become external stubs
//! ([`LfrStats::stubs_moved_out`]: 70 of 20 million stubs on the 1M-node benchmark), or are
//! dropped at μ = 0, which promises no external link. The realised mixing — the fraction of
//! edges between communities — matches μ to about `1/√(N⟨k⟩)` (checked by the crate's tests;
//! `examples/lfr.rs` measures the 1M-node benchmark: 0.40001 for μ 0.4).
//!
//! Determinism: every random draw comes from a stream derived from the seed and the task —
//! `Rng::derive(seed, 1, community)` for community wiring, fixed-size node chunks for per-node
//! draws — so the graph is identical at any thread count.
//!
//! Complexity: `O(N log C + m log m + k_max + c_max)` time for C communities and m edges
//! (dominated by sorting the edges), `O(N + m)` memory; the configuration-model repair adds
//! `O(b · log m)` per bad pair, a small fraction of m.

use contextivity_graph::{EdgeList, Partition, Rng};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::communities::{assign, draw_sizes};
use crate::error::LfrError;
use crate::havel_hakimi::realise;
use crate::params::{LfrParams, Plan, INTEGER_TOLERANCE};
use crate::rewire::{edge_ends, wire, Wiring};

/// Derived-stream ids: `Rng::derive(seed, STREAM, substream)`.
const STREAM_DEGREES: u64 = 0;
const STREAM_COMMUNITY: u64 = 1;
const STREAM_SIZES: u64 = 2;
const STREAM_ASSIGN: u64 = 3;
const STREAM_EXTERNAL: u64 = 4;
const STREAM_ROUNDING: u64 = 5;

/// Nodes per chunk of per-node draws (fixed, so results do not depend on the thread count).
const NODE_CHUNK: usize = 1 << 14;

/// How many times community sizes are redrawn before [`LfrError::AssignmentFailed`].
pub const SIZE_ATTEMPTS: usize = 16;

/// An LFR graph: edges, planted communities, and what was realised.
#[derive(Clone, Debug, PartialEq)]
pub struct LfrGraph {
    /// Number of nodes (ids `0..nodes`).
    pub nodes: usize,
    /// Undirected edges, each once with `source < target`, sorted by `(source, target)`, without
    /// self-loops or repeats, unweighted.
    pub edges: EdgeList,
    /// The planted communities, numbered canonically (by size descending, ties by smallest
    /// member).
    pub communities: Partition,
    /// The fraction of edges whose endpoints lie in different communities.
    pub realised_mixing: f64,
    /// Further measurements of the realised graph.
    pub stats: LfrStats,
}

/// Measurements of a generated graph, for reports and checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LfrStats {
    /// The lower cut-off k_min of the degree law (its weight may be partial, see
    /// [`crate::powerlaw`]).
    pub degree_cutoff: usize,
    /// Smallest realised degree.
    pub min_degree: usize,
    /// Largest realised degree.
    pub max_degree: usize,
    /// Realised mean degree `2m / N`.
    pub mean_degree: f64,
    /// Mean over nodes of each node's fraction of external links (nodes of degree 0 skipped);
    /// the mixing as the LFR paper defines it per node.
    pub mean_node_mixing: f64,
    /// Number of planted communities.
    pub communities: usize,
    /// The community-size bounds used (given or defaulted).
    pub community_bounds: (usize, usize),
    /// Edges inside communities.
    pub internal_edges: usize,
    /// Edges between communities.
    pub external_edges: usize,
    /// Edge switches made: repairs of self-loops, repeats and external pairs inside one
    /// community, plus the randomising swaps of rebuilt communities.
    pub switches: usize,
    /// Edges left out, each lowering two degrees by one: external pairs no switch could repair,
    /// and at μ = 0 the internal stubs of a community whose degrees are not graphical.
    pub dropped_edges: usize,
    /// At μ > 0, internal stubs turned into external ones because their community's internal
    /// degree sequence was not graphical (the node keeps its degree, its mixing rises by `1/k`
    /// each).
    pub stubs_moved_out: usize,
    /// Communities whose internal graph was rebuilt by Havel–Hakimi and swaps because switch
    /// repair of the configuration model got stuck (see [`crate::havel_hakimi`]).
    pub dense_rebuilds: usize,
    /// Draws of community sizes needed before every node fitted (1 almost always).
    pub size_draws: usize,
}

/// Generates the LFR graph described by `params`.
///
/// Fails with an [`LfrError`] naming the parameter to change when the parameters are out of
/// range or cannot all hold at once. Runs on the current rayon pool; the output does not depend
/// on its size. Complexity: see the module docs.
pub fn generate(params: &LfrParams) -> Result<LfrGraph, LfrError> {
    let plan = params.plan()?;
    let n = plan.nodes;
    let mut degree = draw_degrees(&plan);
    let mut internal = draw_internal_degrees(&plan, &degree);

    let (sizes, community, size_draws) = plant(&plan, &internal)?;
    let groups = Groups::new(&sizes, &community);
    let wired = wire_communities(&plan, &groups, &degree, &internal);
    let (mut switches, mut moved, mut rebuilt) = (0usize, 0usize, 0usize);
    let mut internal_dropped = 0usize;
    for (c, w) in wired.iter().enumerate() {
        let group = groups.members(c);
        for (&v, &k) in group.iter().zip(&w.internal) {
            internal[v as usize] = k;
        }
        switches += w.wiring.switches;
        if plan.mixing > 0.0 {
            moved += w.wiring.unplaced.len();
        } else {
            // μ = 0 promises no external link: a parity fix or an unplaceable stub changes the
            // node's degree instead of its external degree.
            for &v in group {
                degree[v as usize] = internal[v as usize];
            }
            internal_dropped += w.wiring.unplaced.len() / 2;
        }
        rebuilt += usize::from(w.rebuilt);
    }
    let internal_edges: usize = wired.iter().map(|w| w.wiring.edges.len()).sum();

    // External wiring over the whole graph.
    let mut stubs = Vec::with_capacity(
        degree
            .iter()
            .zip(&internal)
            .map(|(&k, &i)| (k - i) as usize)
            .sum(),
    );
    for (v, (&k, &i)) in degree.iter().zip(&internal).enumerate() {
        stubs.extend(std::iter::repeat_n(v as u32, (k - i) as usize));
    }
    let external = wire(
        &mut stubs,
        |a, b| community[a as usize] == community[b as usize],
        &mut Rng::derive(plan.seed, STREAM_EXTERNAL, 0),
    );
    drop(stubs);
    switches += external.switches;
    let dropped = internal_dropped + external.unplaced.len() / 2;
    let external_edges = external.edges.len();

    // Realised degrees and per-node mixing.
    let mut realised = vec![0u32; n];
    let mut realised_ext = vec![0u32; n];
    for w in &wired {
        for &e in &w.wiring.edges {
            let (a, b) = edge_ends(e);
            realised[a as usize] += 1;
            realised[b as usize] += 1;
        }
    }
    for &e in &external.edges {
        let (a, b) = edge_ends(e);
        realised[a as usize] += 1;
        realised[b as usize] += 1;
        realised_ext[a as usize] += 1;
        realised_ext[b as usize] += 1;
    }
    let (mut mixing_sum, mut counted) = (0.0f64, 0usize);
    for (&k, &x) in realised.iter().zip(&realised_ext) {
        if k > 0 {
            mixing_sum += x as f64 / k as f64;
            counted += 1;
        }
    }

    // All edges, sorted.
    let mut keys = Vec::with_capacity(internal_edges + external_edges);
    for w in wired {
        keys.extend_from_slice(&w.wiring.edges);
    }
    keys.extend_from_slice(&external.edges);
    drop(external);
    keys.par_sort_unstable();
    let (sources, targets): (Vec<u32>, Vec<u32>) = keys.par_iter().map(|&e| edge_ends(e)).unzip();
    drop(keys);

    let m = internal_edges + external_edges;
    let realised_mixing = if m == 0 {
        0.0
    } else {
        external_edges as f64 / m as f64
    };
    let stats = LfrStats {
        degree_cutoff: plan.degrees.min(),
        min_degree: realised.iter().copied().min().unwrap_or(0) as usize,
        max_degree: realised.iter().copied().max().unwrap_or(0) as usize,
        mean_degree: 2.0 * m as f64 / n as f64,
        mean_node_mixing: if counted == 0 {
            0.0
        } else {
            mixing_sum / counted as f64
        },
        communities: sizes.len(),
        community_bounds: (plan.min_community, plan.max_community),
        internal_edges,
        external_edges,
        switches,
        dropped_edges: dropped,
        stubs_moved_out: moved,
        dense_rebuilds: rebuilt,
        size_draws,
    };
    Ok(LfrGraph {
        nodes: n,
        edges: EdgeList {
            sources,
            targets,
            weights: None,
        },
        communities: Partition::canonical(&community),
        realised_mixing,
        stats,
    })
}

/// Draws community sizes and places the nodes, redrawing the sizes (up to [`SIZE_ATTEMPTS`]
/// times) when the high-degree nodes do not fit. Returns the sizes (decreasing), the community of
/// every node, and the number of draws.
fn plant(plan: &Plan, internal: &[u32]) -> Result<(Vec<usize>, Vec<u32>, usize), LfrError> {
    for attempt in 0..SIZE_ATTEMPTS {
        let sizes = draw_sizes(
            plan.nodes,
            plan.min_community,
            plan.max_community,
            plan.community_exponent,
            &mut Rng::derive(plan.seed, STREAM_SIZES, attempt as u64),
        );
        let mut rng = Rng::derive(plan.seed, STREAM_ASSIGN, attempt as u64);
        if let Some(community) = assign(internal, &sizes, &mut rng) {
            return Ok((sizes, community, attempt + 1));
        }
    }
    Err(LfrError::AssignmentFailed {
        attempts: SIZE_ATTEMPTS,
    })
}

/// The members of every community, ascending, back to back.
struct Groups {
    offsets: Vec<usize>,
    members: Vec<u32>,
}

impl Groups {
    /// Groups nodes by `community` (indices into `sizes`). `O(N + C)`.
    fn new(sizes: &[usize], community: &[u32]) -> Self {
        let mut offsets = vec![0usize; sizes.len() + 1];
        for (c, &s) in sizes.iter().enumerate() {
            offsets[c + 1] = offsets[c] + s;
        }
        let mut members = vec![0u32; community.len()];
        let mut cursor = offsets[..sizes.len()].to_vec();
        for (node, &c) in community.iter().enumerate() {
            members[cursor[c as usize]] = node as u32;
            cursor[c as usize] += 1;
        }
        Groups { offsets, members }
    }

    fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    fn members(&self, c: usize) -> &[u32] {
        &self.members[self.offsets[c]..self.offsets[c + 1]]
    }
}

/// One community's internal graph.
struct CommunityWiring {
    /// Final internal degree of each member (after the parity fix and moved-out stubs).
    internal: Vec<u32>,
    wiring: Wiring,
    /// Whether Havel–Hakimi rebuilt it.
    rebuilt: bool,
}

/// Wires every community's internal graph, in parallel, each from its own derived stream.
fn wire_communities(
    plan: &Plan,
    groups: &Groups,
    degree: &[u32],
    internal: &[u32],
) -> Vec<CommunityWiring> {
    (0..groups.len())
        .into_par_iter()
        .map(|c| {
            let group = groups.members(c);
            let mut rng = Rng::derive(plan.seed, STREAM_COMMUNITY, c as u64);
            let mut kin: Vec<u32> = group.iter().map(|&v| internal[v as usize]).collect();
            let kmax: Vec<u32> = group
                .iter()
                .map(|&v| degree[v as usize].min(group.len() as u32 - 1))
                .collect();
            fix_parity(&mut kin, &kmax, &mut rng);
            let mut stubs: Vec<u32> = group
                .iter()
                .zip(&kin)
                .flat_map(|(&v, &k)| std::iter::repeat_n(v, k as usize))
                .collect();
            let mut wiring = wire(&mut stubs, |_, _| false, &mut rng);
            let rebuilt = !wiring.unplaced.is_empty();
            if rebuilt {
                wiring = realise(group, &kin, &mut rng);
                // Stubs of a non-graphical sequence leave the community.
                for &v in &wiring.unplaced {
                    if let Ok(i) = group.binary_search(&v) {
                        kin[i] -= 1;
                    }
                }
            }
            CommunityWiring {
                internal: kin,
                wiring,
                rebuilt,
            }
        })
        .collect()
}

/// Degrees from the plan's power law, with an even sum. `O(N log k_max)`, parallel by chunks.
fn draw_degrees(plan: &Plan) -> Vec<u32> {
    let mut degree = vec![0u32; plan.nodes];
    degree
        .par_chunks_mut(NODE_CHUNK)
        .enumerate()
        .for_each(|(chunk, out)| {
            let mut rng = Rng::derive(plan.seed, STREAM_DEGREES, chunk as u64);
            for d in out {
                *d = plan.degrees.sample(&mut rng) as u32;
            }
        });
    let sum: u64 = degree.par_iter().map(|&d| d as u64).sum();
    if sum % 2 == 1 {
        let mut rng = Rng::derive(plan.seed, STREAM_DEGREES, u64::MAX);
        let v = rng.below(plan.nodes as u64) as usize;
        // Move one degree by one, staying in range unless the range is a single odd value.
        if degree[v] < plan.degrees.max() as u32 {
            degree[v] += 1;
        } else {
            degree[v] -= 1;
        }
    }
    degree
}

/// Internal degrees `(1 − μ)·k`, rounded stochastically. `O(N)`, parallel by chunks.
fn draw_internal_degrees(plan: &Plan, degree: &[u32]) -> Vec<u32> {
    let mut internal = vec![0u32; degree.len()];
    internal
        .par_chunks_mut(NODE_CHUNK)
        .zip(degree.par_chunks(NODE_CHUNK))
        .enumerate()
        .for_each(|(chunk, (out, deg))| {
            let mut rng = Rng::derive(plan.seed, STREAM_ROUNDING, chunk as u64);
            for (i, &k) in out.iter_mut().zip(deg) {
                let t = (1.0 - plan.mixing) * k as f64;
                let floor = (t + INTEGER_TOLERANCE).floor();
                let frac = t - floor;
                let up = frac > INTEGER_TOLERANCE && rng.next_f64() < frac;
                *i = ((floor as u32) + u32::from(up)).min(k);
            }
        });
    internal
}

/// Makes the internal degrees of one community add up to an even number by moving one of them by
/// one (up or down at random, within `[0, kmax]`).
fn fix_parity(kin: &mut [u32], kmax: &[u32], rng: &mut Rng) {
    let sum: u64 = kin.iter().map(|&k| k as u64).sum();
    if sum % 2 == 0 || kin.is_empty() {
        return;
    }
    let start = rng.below(kin.len() as u64) as usize;
    let up_first = rng.next_u64() & 1 == 0;
    for up in [up_first, !up_first] {
        for step in 0..kin.len() {
            let i = (start + step) % kin.len();
            if up && kin[i] < kmax[i] {
                kin[i] += 1;
                return;
            }
            if !up && kin[i] > 0 {
                kin[i] -= 1;
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parity_fix_moves_one_degree_within_bounds() {
        let mut rng = Rng::new(1);
        for _ in 0..100 {
            let mut kin = vec![3u32, 4, 0, 2];
            let kmax = vec![3u32, 5, 0, 2];
            fix_parity(&mut kin, &kmax, &mut rng);
            let diff: i64 = kin
                .iter()
                .zip([3i64, 4, 0, 2])
                .map(|(&a, b)| (a as i64 - b).abs())
                .sum();
            assert_eq!(diff, 1);
            assert!(kin.iter().zip(&kmax).all(|(k, m)| k <= m));
            assert_eq!(kin.iter().sum::<u32>() % 2, 0);
        }
    }

    #[test]
    fn stochastic_rounding_has_the_right_mean() {
        let plan = LfrParams {
            nodes: 100_000,
            mixing: 0.37,
            ..LfrParams::default()
        }
        .plan()
        .unwrap();
        let degree = vec![7u32; plan.nodes];
        let internal = draw_internal_degrees(&plan, &degree);
        assert!(internal.iter().all(|&i| i == 4 || i == 5));
        let mean = internal.iter().map(|&i| i as f64).sum::<f64>() / plan.nodes as f64;
        assert!((mean - 0.63 * 7.0).abs() < 0.01, "mean internal {mean}");
    }

    #[test]
    fn degree_sum_is_even() {
        for seed in 0..20 {
            let plan = LfrParams {
                nodes: 1001,
                seed,
                ..LfrParams::default()
            }
            .plan()
            .unwrap();
            let d = draw_degrees(&plan);
            assert_eq!(d.iter().map(|&x| x as u64).sum::<u64>() % 2, 0);
            assert!(d.iter().all(|&x| (1..=50).contains(&x)));
        }
    }
}
