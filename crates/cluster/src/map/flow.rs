//! Flow graphs: the random walker's stationary node visit rates and link flows, per level.
//!
//! The map equation does not look at weights but at *flow*: how often a random walker visits each
//! node (`p_α`) and crosses each link. A [`FlowGraph`] stores, for every node, its visit rate and
//! the flow it sends to and receives from other nodes, plus a symmetric adjacency whose entries
//! carry both directions' flow. One structure serves every level: level 0 is built from the input
//! graph, and each coarser level by [`FlowGraph::aggregate`] merges modules into single nodes.
//!
//! * **Undirected** ([`FlowGraph::from_undirected`]): `p_α = s_α / 2W` and the flow on either
//!   direction of a link is `w / 2W`. The input adjacency is borrowed, not copied; flow is the
//!   stored weight times a scale.
//! * **Directed** ([`FlowGraph::from_directed`]): PageRank with teleportation probability `τ`,
//!   teleporting "to links" (proportionally to out-strength) and *unrecorded*, as in Infomap's
//!   default directed flow model (Lambiotte & Rosvall, "Ranking and clustering of nodes in networks
//!   with smart teleportation", PRE 2012): teleportation shapes the stationary distribution `π`
//!   but is not coded, so a link `u → v` carries `π_u · w_uv / w_u / (1 − π_dangling)` and a node's
//!   visit rate is the flow on its in-links. Power iteration costs `O(m)` per step (at most
//!   [`MAX_PAGERANK_ITERATIONS`]); building the graph `O(m log d)`.
//!
//! Aggregation is `O(m)` expected work, parallel over new nodes, with sums taken in a fixed order
//! (members by id, arcs in row order), so coarser levels are identical at any thread count.

use std::borrow::Cow;

use contextivity_graph::{Csr, UndirectedGraph};
use rayon::prelude::*;

use super::table::NeighborTable;

/// Power-iteration cap for directed flow.
pub const MAX_PAGERANK_ITERATIONS: usize = 200;
/// Power iteration stops once the L1 change of the visit rates falls below this.
pub const PAGERANK_TOLERANCE: f64 = 1e-15;

/// A graph with flow: symmetric adjacency, per-arc flow both ways, per-node flow totals.
#[derive(Clone, Debug)]
pub(crate) struct FlowGraph<'a> {
    offsets: Cow<'a, [u64]>,
    targets: Cow<'a, [u32]>,
    /// Flow `u → v` of entry `(u, v)`, before multiplying by `scale`.
    out_w: Cow<'a, [f32]>,
    /// Flow `v → u` of entry `(u, v)`; `None` when flow is symmetric (`= out_w`).
    in_w: Option<Vec<f32>>,
    /// Multiplies every stored arc flow.
    scale: f64,
    /// Visit rate of every node.
    pub node_flow: Vec<f64>,
    /// Flow from every node to other nodes.
    pub node_exit: Vec<f64>,
    /// Flow into every node from other nodes.
    pub node_enter: Vec<f64>,
}

impl<'a> FlowGraph<'a> {
    /// Level 0 of an undirected graph: borrows its adjacency. Self-loops add to a node's visit rate
    /// but are no flow between nodes.
    pub fn from_undirected(graph: &'a UndirectedGraph) -> Self {
        let csr = graph.csr();
        let total = graph.total_weight();
        let scale = if total > 0.0 { 1.0 / total } else { 0.0 };
        let node_flow: Vec<f64> = graph.strengths().par_iter().map(|&s| s * scale).collect();
        let node_exit: Vec<f64> = (0..csr.node_count())
            .into_par_iter()
            .map(|u| {
                csr.neighbors(u)
                    .iter()
                    .zip(csr.row_weights(u))
                    .filter(|(&v, _)| v as usize != u)
                    .map(|(_, &w)| w as f64)
                    .sum::<f64>()
                    * scale
            })
            .collect();
        FlowGraph {
            offsets: Cow::Borrowed(csr.offsets()),
            targets: Cow::Borrowed(csr.targets()),
            out_w: Cow::Borrowed(csr.weights()),
            in_w: None,
            scale,
            node_enter: node_exit.clone(),
            node_exit,
            node_flow,
        }
    }

    /// Number of nodes.
    #[inline]
    pub fn node_count(&self) -> usize {
        self.node_flow.len()
    }

    /// Whether flow may differ between the two directions of a link.
    #[inline]
    pub fn is_directed(&self) -> bool {
        self.in_w.is_some()
    }

    /// Degree of `u` in the symmetric adjacency.
    #[inline]
    pub fn degree(&self, u: usize) -> usize {
        (self.offsets[u + 1] - self.offsets[u]) as usize
    }

    /// Calls `f(v, flow u→v, flow v→u)` for every neighbour `v ≠ u`, in row order.
    #[inline]
    pub fn for_each_arc(&self, u: usize, mut f: impl FnMut(u32, f64, f64)) {
        let (a, b) = (self.offsets[u] as usize, self.offsets[u + 1] as usize);
        let targets = &self.targets[a..b];
        let out = &self.out_w[a..b];
        match &self.in_w {
            None => {
                for (&v, &w) in targets.iter().zip(out) {
                    if v as usize != u {
                        let fl = w as f64 * self.scale;
                        f(v, fl, fl);
                    }
                }
            }
            Some(inw) => {
                for ((&v, &w), &wi) in targets.iter().zip(out).zip(&inw[a..b]) {
                    if v as usize != u {
                        f(v, w as f64 * self.scale, wi as f64 * self.scale);
                    }
                }
            }
        }
    }

    /// Neighbours of `u` in row order (self-loops included).
    #[inline]
    pub fn neighbors(&self, u: usize) -> &[u32] {
        &self.targets[self.offsets[u] as usize..self.offsets[u + 1] as usize]
    }

    /// Like [`FlowGraph::for_each_arc`], also passing each arc's position in the row.
    #[inline]
    pub fn for_each_arc_at(&self, u: usize, mut f: impl FnMut(usize, u32, f64, f64)) {
        let (a, b) = (self.offsets[u] as usize, self.offsets[u + 1] as usize);
        let targets = &self.targets[a..b];
        let out = &self.out_w[a..b];
        match &self.in_w {
            None => {
                for (i, (&v, &w)) in targets.iter().zip(out).enumerate() {
                    if v as usize != u {
                        let fl = w as f64 * self.scale;
                        f(i, v, fl, fl);
                    }
                }
            }
            Some(inw) => {
                for (i, ((&v, &w), &wi)) in targets.iter().zip(out).zip(&inw[a..b]).enumerate() {
                    if v as usize != u {
                        f(i, v, w as f64 * self.scale, wi as f64 * self.scale);
                    }
                }
            }
        }
    }

    /// Level 0 of a directed graph (`out`: row `u` lists the out-links of `u`), with flow from
    /// PageRank at teleportation probability `teleportation`, unrecorded (see the module docs).
    pub fn from_directed(out: &Csr, teleportation: f64) -> FlowGraph<'static> {
        let n = out.node_count();
        let alpha = if teleportation.is_finite() {
            teleportation.clamp(0.0, 1.0)
        } else {
            0.15
        };
        let incoming = out.transpose();
        let out_strength: Vec<f64> = (0..n).into_par_iter().map(|u| out.strength(u)).collect();
        let total: f64 = out_strength.iter().sum();
        // Teleport to links: proportionally to out-strength (uniform when there is no weight).
        let teleport: Vec<f64> = if total > 0.0 {
            out_strength.iter().map(|&s| s / total).collect()
        } else {
            vec![1.0 / n.max(1) as f64; n]
        };
        let dangling: Vec<u32> = (0..n as u32)
            .filter(|&u| out_strength[u as usize] <= 0.0)
            .collect();
        let mut rank = vec![1.0 / n.max(1) as f64; n];
        let mut dangling_rank = 0.0;
        for _ in 0..MAX_PAGERANK_ITERATIONS {
            dangling_rank = dangling.iter().map(|&u| rank[u as usize]).sum::<f64>();
            let jump = alpha + (1.0 - alpha) * dangling_rank;
            let next: Vec<f64> = (0..n)
                .into_par_iter()
                .map(|v| {
                    let walked: f64 = incoming
                        .neighbors(v)
                        .iter()
                        .zip(incoming.row_weights(v))
                        .map(|(&u, &w)| rank[u as usize] * w as f64 / out_strength[u as usize])
                        .sum();
                    jump * teleport[v] + (1.0 - alpha) * walked
                })
                .collect();
            let sum: f64 = next.iter().sum();
            let next: Vec<f64> = if sum > 0.0 {
                next.iter().map(|x| x / sum).collect()
            } else {
                next
            };
            let change: f64 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
            rank = next;
            if change < PAGERANK_TOLERANCE {
                dangling_rank = dangling.iter().map(|&u| rank[u as usize]).sum::<f64>();
                break;
            }
        }
        // Unrecorded teleportation: code only the steps along links.
        let walked = 1.0 - dangling_rank;
        let norm = if walked > 0.0 { 1.0 / walked } else { 0.0 };
        let link_flow = |u: usize, w: f32| -> f64 {
            if out_strength[u] > 0.0 {
                rank[u] * w as f64 / out_strength[u] * norm
            } else {
                0.0
            }
        };
        // Symmetric union of out- and in-rows: entry (u, v) carries flow u→v and v→u.
        let rows: Vec<Vec<(u32, f32, f32)>> = (0..n)
            .into_par_iter()
            .map(|u| {
                let (ot, ow) = (out.neighbors(u), out.row_weights(u));
                let (it, iw) = (incoming.neighbors(u), incoming.row_weights(u));
                let mut row = Vec::with_capacity(ot.len() + it.len());
                let (mut i, mut j) = (0, 0);
                while i < ot.len() || j < it.len() {
                    let take_out = j >= it.len() || (i < ot.len() && ot[i] <= it[j]);
                    let take_in = i >= ot.len() || (j < it.len() && it[j] <= ot[i]);
                    let v = if take_out { ot[i] } else { it[j] };
                    let fo = if take_out { link_flow(u, ow[i]) } else { 0.0 };
                    let fi = if take_in {
                        link_flow(it[j] as usize, iw[j])
                    } else {
                        0.0
                    };
                    i += take_out as usize;
                    j += take_in as usize;
                    row.push((v, fo as f32, fi as f32));
                }
                row
            })
            .collect();
        let node_flow: Vec<f64> = (0..n)
            .into_par_iter()
            .map(|v| {
                incoming
                    .neighbors(v)
                    .iter()
                    .zip(incoming.row_weights(v))
                    .map(|(&u, &w)| link_flow(u as usize, w))
                    .sum()
            })
            .collect();
        assemble(rows, node_flow, true)
    }

    /// The graph whose nodes are the modules of `module` (dense ids `0..k`): visit rates summed,
    /// flows between modules summed, flow inside a module dropped.
    pub fn aggregate(&self, module: &[u32], k: usize) -> FlowGraph<'static> {
        let members = members_of(module, k);
        let directed = self.is_directed();
        let rows: Vec<Vec<(u32, f32, f32)>> = (0..k)
            .into_par_iter()
            .with_min_len(64)
            .map_init(NeighborTable::new, |table, c| {
                let nodes = &members.1[members.0[c]..members.0[c + 1]];
                let degree: usize = nodes.iter().map(|&u| self.degree(u as usize)).sum();
                table.reset(degree.min(k));
                for &u in nodes {
                    self.for_each_arc(u as usize, |v, fo, fi| {
                        let mv = module[v as usize];
                        if mv as usize != c {
                            table.add(mv, fo, fi, v);
                        }
                    });
                }
                let mut row: Vec<(u32, f32, f32)> = table
                    .entries()
                    .iter()
                    .map(|e| (e.key, e.out as f32, e.inn as f32))
                    .collect();
                row.sort_unstable_by_key(|e| e.0);
                row
            })
            .collect();
        let node_flow: Vec<f64> = (0..k)
            .into_par_iter()
            .map(|c| {
                members.1[members.0[c]..members.0[c + 1]]
                    .iter()
                    .map(|&u| self.node_flow[u as usize])
                    .sum()
            })
            .collect();
        assemble(rows, node_flow, directed)
    }
}

/// Members of every module as (offsets, node ids sorted by id), by counting sort.
pub(crate) fn members_of(module: &[u32], k: usize) -> (Vec<usize>, Vec<u32>) {
    let mut offsets = vec![0usize; k + 1];
    for &m in module {
        offsets[m as usize + 1] += 1;
    }
    for c in 0..k {
        offsets[c + 1] += offsets[c];
    }
    let mut cursor = offsets.clone();
    let mut nodes = vec![0u32; module.len()];
    for (u, &m) in module.iter().enumerate() {
        nodes[cursor[m as usize]] = u as u32;
        cursor[m as usize] += 1;
    }
    (offsets, nodes)
}

/// Builds an owned flow graph (scale 1) from rows of `(target, flow out, flow in)`.
fn assemble(
    rows: Vec<Vec<(u32, f32, f32)>>,
    node_flow: Vec<f64>,
    directed: bool,
) -> FlowGraph<'static> {
    let mut offsets = Vec::with_capacity(rows.len() + 1);
    offsets.push(0u64);
    let mut acc = 0u64;
    for r in &rows {
        acc += r.len() as u64;
        offsets.push(acc);
    }
    let node_exit: Vec<f64> = rows
        .par_iter()
        .map(|r| r.iter().map(|e| e.1 as f64).sum())
        .collect();
    let node_enter: Vec<f64> = if directed {
        rows.par_iter()
            .map(|r| r.iter().map(|e| e.2 as f64).sum())
            .collect()
    } else {
        node_exit.clone()
    };
    let mut targets = Vec::with_capacity(acc as usize);
    let mut out_w = Vec::with_capacity(acc as usize);
    let mut in_w = if directed {
        Vec::with_capacity(acc as usize)
    } else {
        Vec::new()
    };
    for r in rows {
        for (v, fo, fi) in r {
            targets.push(v);
            out_w.push(fo);
            if directed {
                in_w.push(fi);
            }
        }
    }
    FlowGraph {
        offsets: Cow::Owned(offsets),
        targets: Cow::Owned(targets),
        out_w: Cow::Owned(out_w),
        in_w: directed.then_some(in_w),
        scale: 1.0,
        node_flow,
        node_exit,
        node_enter,
    }
}
