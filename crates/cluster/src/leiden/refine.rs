//! Leiden refinement (Traag, Waltman & van Eck 2019, Algorithms A.3 "RefinePartition" and
//! "MergeNodesSubset").
//!
//! Inside every community `S` of the local-moving partition, every node starts alone. The nodes
//! of `S` are visited in a random order; a node that is still alone and *well connected* to `S`
//! (`w(v, S − v) ≥ γ'·(p_v·Q(S − v) + q_v·P(S − v))`) may join a sub-community `C ⊆ S` that
//! is itself well connected (`w(C, S − C) ≥ γ'·(P_C·Q(S − C) + Q_C·P(S − C))`) and that it
//! gains quality by joining; the choice among those is random with probability proportional
//! to `exp(gain / θ)` (staying alone has gain 0). Sub-communities only grow by merging
//! neighbours, so each one induces a connected subgraph, and the aggregated graph built on them
//! lets the next level split communities that local moving left badly connected.
//!
//! # Determinism
//!
//! Communities are independent, so they are refined in parallel, each by one task with its own
//! generator `Rng::derive(seed, stream(iteration, level, 1), community)` for both the visiting
//! order and the random choices. Sub-communities are numbered by community, then by first member
//! in node order.
//!
//! Complexity: `O(Σ deg)` over all nodes plus `O(n)` for grouping and numbering; memory `O(n)`.

use contextivity_graph::Rng;
use rayon::prelude::*;

use super::{hint_ahead, stream, Adjacency, Groups, NodeWeights, Params, ScratchPool};

/// The refined partition.
#[derive(Debug)]
pub(crate) struct Refined {
    /// Sub-community of every node, dense in `0..count`.
    pub(crate) labels: Vec<u32>,
    /// Number of sub-communities.
    pub(crate) count: usize,
    /// The community (of the unrefined partition) of every sub-community.
    pub(crate) parent: Vec<u32>,
}

/// Refines `comm` (dense in `0..k`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn refine<G: Adjacency>(
    graph: &G,
    weights: &NodeWeights,
    comm: &[u32],
    k: usize,
    params: &Params,
    iteration: u32,
    level: u32,
    _pool: &ScratchPool,
) -> Refined {
    let groups = Groups::new(comm, k);
    let mut local = vec![0u32; comm.len()];
    let stream = stream(iteration, level, 1);
    // Community and position of every node in one word: one memory access per neighbour.
    let slot: Vec<u64> = comm
        .par_iter()
        .zip(&groups.position)
        .map(|(&c, &p)| ((c as u64) << 32) | p as u64)
        .collect();
    // Weight from every node to the rest of its community, in one pass over the rows in node
    // order (sequential reads) instead of member by member.
    let inner: Vec<f64> = (0..comm.len())
        .into_par_iter()
        .with_min_len(1024)
        .map(|v| {
            let c = comm[v];
            let (targets, ws) = graph.row(v);
            let mut e = 0.0;
            for (&u, &w) in targets.iter().zip(ws) {
                if u as usize != v && comm[u as usize] == c {
                    e += w.into();
                }
            }
            e
        })
        .collect();
    let counts: Vec<u32> = {
        let slices = groups.split_mut(&mut local);
        slices
            .into_par_iter()
            .with_min_len(16)
            .enumerate()
            .map(|(c, out)| {
                let members = groups.members(c);
                if members.len() == 1 {
                    out[0] = 0;
                    return 1;
                }
                let mut rng = Rng::derive(params.seed, stream, c as u64);
                refine_one(
                    graph, weights, &slot, &inner, c as u32, members, params, &mut rng, out,
                )
            })
            .collect()
    };
    let mut base = Vec::with_capacity(k + 1);
    let mut acc = 0u32;
    base.push(0u32);
    for &c in &counts {
        acc += c;
        base.push(acc);
    }
    let count = acc as usize;
    let mut parent = vec![0u32; count];
    for c in 0..k {
        parent[base[c] as usize..base[c + 1] as usize].fill(c as u32);
    }
    let labels = comm
        .par_iter()
        .enumerate()
        .map(|(v, &c)| {
            let at = groups.starts[c as usize] + groups.position[v] as usize;
            base[c as usize] + local[at]
        })
        .collect();
    Refined {
        labels,
        count,
        parent,
    }
}

/// Refines one community; writes the local sub-community (dense, by first member) of each
/// member into `out` and returns how many there are.
#[allow(clippy::too_many_arguments)]
fn refine_one<G: Adjacency>(
    graph: &G,
    weights: &NodeWeights,
    slot: &[u64],
    inner: &[f64],
    c: u32,
    members: &[u32],
    params: &Params,
    rng: &mut Rng,
    out: &mut [u32],
) -> u32 {
    let s = members.len();
    let gamma = params.gamma;
    // Local state: label[x] is the sub-community of member x, named by a member index.
    let mut label: Vec<u32> = (0..s as u32).collect();
    let mut size = vec![1u32; s];
    let mut sp: Vec<f64> = members.iter().map(|&v| weights.p(v as usize)).collect();
    let mut sq: Vec<f64> = members.iter().map(|&v| weights.q(v as usize)).collect();
    let total_p: f64 = sp.iter().sum();
    let total_q: f64 = sq.iter().sum();
    // ext[x]: weight from sub-community x to the rest of S.
    let mut ext: Vec<f64> = members.iter().map(|&v| inner[v as usize]).collect();
    let node_p = sp.clone();
    let node_q = sq.clone();

    let mut visit: Vec<u32> = (0..s as u32).collect();
    rng.shuffle(&mut visit);
    let mut acc = vec![0.0f64; s];
    let mut touched: Vec<u32> = Vec::new();
    let mut cand: Vec<(u32, f64, f64)> = Vec::new();
    for (idx, &x) in visit.iter().enumerate() {
        // Members are scattered over the graph: their rows and neighbours' slots are reads
        // at random places.
        let member_at = |j: usize| visit.get(j).map(|&y| members[y as usize] as usize);
        hint_ahead(graph, member_at, idx, slot);
        let x = x as usize;
        if label[x] != x as u32 || size[x] != 1 {
            continue;
        }
        let (px, qx) = (node_p[x], node_q[x]);
        if ext[x] < gamma * (px * (total_q - qx) + qx * (total_p - px)) {
            continue;
        }
        let v = members[x];
        let (targets, ws) = graph.row(v as usize);
        for (&u, &w) in targets.iter().zip(ws) {
            let w: f64 = w.into();
            let su = slot[u as usize];
            if u == v || w <= 0.0 || (su >> 32) as u32 != c {
                continue;
            }
            let l = label[su as u32 as usize];
            if acc[l as usize] == 0.0 {
                touched.push(l);
            }
            acc[l as usize] += w;
        }
        cand.clear();
        cand.push((x as u32, 0.0, 0.0));
        let mut best = 0.0f64;
        for &l in &touched {
            let li = l as usize;
            let w_vl = acc[li];
            acc[li] = 0.0;
            if li == x {
                continue;
            }
            let (pl, ql) = (sp[li], sq[li]);
            if ext[li] < gamma * (pl * (total_q - ql) + ql * (total_p - pl)) {
                continue;
            }
            let g = w_vl - gamma * (px * ql + qx * pl);
            if g >= 0.0 {
                cand.push((l, g, w_vl));
                best = best.max(g);
            }
        }
        let (chosen, _, w_vl) = cand[choose(&cand, best, params.theta, rng)];
        if chosen != x as u32 {
            let li = chosen as usize;
            label[x] = chosen;
            size[x] = 0;
            size[li] += 1;
            sp[li] += px;
            sq[li] += qx;
            ext[li] = ext[li] + ext[x] - 2.0 * w_vl;
        }
        touched.clear();
    }
    // Dense local numbering by first member (member lists are in node order).
    let mut dense = vec![u32::MAX; s];
    let mut next = 0u32;
    for x in 0..s {
        let l = label[x] as usize;
        if dense[l] == u32::MAX {
            dense[l] = next;
            next += 1;
        }
        out[x] = dense[l];
    }
    next
}

/// Draws the index of a candidate `(label, gain, weight)` with probability
/// ∝ `exp((gain − best) / θ)`.
fn choose(cand: &[(u32, f64, f64)], best: f64, theta: f64, rng: &mut Rng) -> usize {
    if cand.len() == 1 {
        return 0;
    }
    let total: f64 = cand
        .iter()
        .map(|&(_, g, _)| ((g - best) / theta).exp())
        .sum();
    let mut r = rng.next_f64() * total;
    for (idx, &(_, g, _)) in cand.iter().enumerate() {
        r -= ((g - best) / theta).exp();
        if r < 0.0 {
            return idx;
        }
    }
    // Rounding left a sliver: take the last best candidate.
    cand.iter().rposition(|&(_, g, _)| g == best).unwrap_or(0)
}
