//! Local moving: nodes hop between neighbouring modules while the codelength drops.
//!
//! One *pass* visits the active nodes in a seeded random order (one shuffle per run, from
//! `Rng::derive(seed, stream, 0)`), in consecutive batches of [`batch_size`]`(n)` nodes:
//!
//! 1. **Propose, in parallel.** Against the state frozen at the start of the batch, each node
//!    gathers the flow to and from every neighbouring module and picks the move with the most
//!    negative exact change in codelength (ties: smaller module id). It proposes a *neighbour*
//!    that lives in that module, not the module id, so a proposal made stale by an earlier move
//!    of the same batch follows its neighbour.
//! 2. **Commit, in batch order, one at a time.** Each proposal is re-evaluated exactly against
//!    the current state and applied only if it still lowers the codelength by more than
//!    [`MIN_IMPROVEMENT`]. The node–module flows gathered in step 1 are reused unless a
//!    neighbour moved earlier in the batch (then they are gathered again, `O(degree)`), and the
//!    module totals are always the current ones.
//!
//! Every accepted move therefore lowers the codelength of the state it is applied to; passes stop
//! when nothing moves or after `max_passes`. A node is active in the next pass only if it or a
//! neighbour moved (pruning, as in GVE-Louvain), so late passes touch little of the graph.
//!
//! Proposals are pure functions of the frozen state and the batch size depends only on `n`, so the
//! result is identical at any number of threads. Cost per pass: `O(Σ_active degree)` expected work for
//! proposals, spread over the rayon pool, plus sequential commits: `O(1)` per proposal and
//! `O(degree)` for the few whose neighbourhood changed within the batch or that move.

use contextivity_graph::Rng;
use rayon::prelude::*;

use super::flow::FlowGraph;
use super::objective::{ModuleRec, Modules, NodeFlow};
use super::table::{Entry, NeighborTable};

/// Smallest proposal batch.
pub const MIN_BATCH: usize = 256;
/// Largest proposal batch.
pub const MAX_BATCH: usize = 4096;

/// Nodes per proposal batch on a graph of `n` nodes: `n / 256`, kept between [`MIN_BATCH`] and
/// [`MAX_BATCH`]. A function of the graph only, never of the thread count, so
/// results do not depend on it; small enough that proposals rarely go stale, large enough that
/// synchronising the threads costs little.
pub fn batch_size(n: usize) -> usize {
    (n / 256).clamp(MIN_BATCH, MAX_BATCH)
}

/// Smallest number of nodes one parallel task proposes for.
const TASK_NODES: usize = 64;
/// A move must lower the codelength by more than this many bits to be accepted.
pub const MIN_IMPROVEMENT: f64 = 1e-12;

/// Parameters of one local-moving run.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MoveParams {
    /// The run's seed.
    pub seed: u64,
    /// Distinguishes this run's random streams from every other run of the same optimisation.
    pub stream: u64,
    /// At most this many passes.
    pub max_passes: u32,
}

/// Moves nodes of `graph` between the modules of `module` (ids `< mods.len()`), keeping
/// `mods` up to date; returns the number of accepted moves.
pub(crate) fn local_moving(
    graph: &FlowGraph<'_>,
    module: &mut [u32],
    mods: &mut Modules,
    params: MoveParams,
) -> usize {
    let n = graph.node_count();
    debug_assert!(module.iter().all(|&m| (m as usize) < mods.len()));
    let mut order: Vec<u32> = (0..n as u32).collect();
    Rng::derive(params.seed, params.stream, 0).shuffle(&mut order);
    let mut active = vec![true; n];
    let mut next_active = vec![false; n];
    // `touched[v] == stamp`: a neighbour of `v` moved during the current batch.
    let mut touched = vec![0u32; n];
    let mut stamp = 0u32;
    let mut total = 0usize;
    for _ in 0..params.max_passes {
        let queue: Vec<u32> = order
            .iter()
            .copied()
            .filter(|&u| active[u as usize])
            .collect();
        if queue.is_empty() {
            break;
        }
        let mut moves = 0usize;
        for batch in queue.chunks(batch_size(n)) {
            let frozen: &[u32] = module;
            let frozen_mods: &Modules = mods;
            let proposals: Vec<Option<Proposal>> = batch
                .par_iter()
                .with_min_len(TASK_NODES)
                .map_init(Scratch::default, |scratch, &u| {
                    propose(graph, frozen, frozen_mods, scratch, u as usize)
                })
                .collect();
            stamp = stamp.wrapping_add(1);
            if stamp == 0 {
                touched.fill(0);
                stamp = 1;
            }
            for (&u, proposal) in batch.iter().zip(proposals) {
                let Some(proposal) = proposal else { continue };
                let u = u as usize;
                // The gathered flows are still exact unless a neighbour moved in this batch.
                let fresh = touched[u] != stamp;
                if commit(graph, module, mods, u, proposal, fresh) {
                    moves += 1;
                    next_active[u] = true;
                    graph.for_each_arc(u, |v, _, _| {
                        next_active[v as usize] = true;
                        touched[v as usize] = stamp;
                    });
                }
            }
        }
        total += moves;
        std::mem::swap(&mut active, &mut next_active);
        next_active.fill(false);
        if moves == 0 {
            break;
        }
    }
    total
}

/// A proposed move and the flows between the node and both modules, as gathered.
#[derive(Clone, Copy, Debug)]
struct Proposal {
    /// A neighbour in the target module.
    rep: u32,
    /// The target module when proposed.
    target: u32,
    /// Flow from the node to the rest of its module, and back.
    out_a: f64,
    in_a: f64,
    /// Flow from the node to the target module, and back.
    out_b: f64,
    in_b: f64,
}

/// The flow totals of node `u`.
#[inline]
fn node(graph: &FlowGraph<'_>, u: usize) -> NodeFlow {
    NodeFlow {
        flow: graph.node_flow[u],
        exit: graph.node_exit[u],
        enter: graph.node_enter[u],
    }
}

/// Per-task buffers of the proposal phase.
#[derive(Debug, Default)]
struct Scratch {
    table: NeighborTable,
    /// Module of every neighbour, gathered before hashing.
    neighbor_module: Vec<u32>,
    /// Record of every candidate module, gathered before evaluation.
    records: Vec<ModuleRec>,
}

/// The best move of `u` against the frozen state.
fn propose(
    graph: &FlowGraph<'_>,
    module: &[u32],
    mods: &Modules,
    scratch: &mut Scratch,
    u: usize,
) -> Option<Proposal> {
    let degree = graph.degree(u);
    if degree == 0 {
        return None;
    }
    let a = module[u];
    let Scratch {
        table,
        neighbor_module,
        records,
    } = scratch;
    neighbor_module.clear();
    neighbor_module.extend(graph.neighbors(u).iter().map(|&v| module[v as usize]));
    table.reset(degree);
    graph.for_each_arc_at(u, |i, v, fo, fi| table.add(neighbor_module[i], fo, fi, v));
    let (out_a, in_a) = table.get(a).map_or((0.0, 0.0), |e| (e.out, e.inn));
    let nf = node(graph, u);
    let leaving = mods.leaving(a as usize, mods.without(a as usize, nf, out_a, in_a));
    mods.gather(table.entries().iter().map(|e| e.key), records);
    let mut best: Option<(f64, &Entry)> = None;
    for (e, r) in table.entries().iter().zip(records.iter()) {
        if e.key == a {
            continue;
        }
        let b_new = mods.with_rec(r, nf, e.out, e.inn);
        let d = mods.delta_to_rec(leaving, r, b_new);
        let better = match best {
            None => d < -MIN_IMPROVEMENT,
            Some((bd, be)) => d < bd || (d == bd && e.key < be.key),
        };
        if better {
            best = Some((d, e));
        }
    }
    best.map(|(_, e)| Proposal {
        rep: e.rep,
        target: e.key,
        out_a,
        in_a,
        out_b: e.out,
        in_b: e.inn,
    })
}

/// Moves `u` into the current module of the proposal's neighbour if that still lowers the
/// codelength; `fresh` says no neighbour of `u` moved since the proposal was made.
fn commit(
    graph: &FlowGraph<'_>,
    module: &mut [u32],
    mods: &mut Modules,
    u: usize,
    p: Proposal,
    fresh: bool,
) -> bool {
    let (a, b) = (module[u], module[p.rep as usize]);
    if a == b {
        return false;
    }
    let (out_a, in_a, out_b, in_b) = if fresh && b == p.target {
        (p.out_a, p.in_a, p.out_b, p.in_b)
    } else {
        let (mut out_a, mut in_a, mut out_b, mut in_b) = (0.0, 0.0, 0.0, 0.0);
        graph.for_each_arc(u, |v, fo, fi| {
            let m = module[v as usize];
            if m == a {
                out_a += fo;
                in_a += fi;
            } else if m == b {
                out_b += fo;
                in_b += fi;
            }
        });
        (out_a, in_a, out_b, in_b)
    };
    let nf = node(graph, u);
    let a_new = mods.without(a as usize, nf, out_a, in_a);
    let b_new = mods.with(b as usize, nf, out_b, in_b);
    let d = mods.delta(a as usize, a_new, b as usize, b_new);
    if d < -MIN_IMPROVEMENT {
        mods.apply(a as usize, a_new, b as usize, b_new);
        module[u] = b;
        true
    } else {
        false
    }
}

/// The exact change in codelength if `u` moved to module `b` now (for tests).
#[cfg(test)]
pub(crate) fn move_delta(
    graph: &FlowGraph<'_>,
    module: &[u32],
    mods: &Modules,
    u: usize,
    b: u32,
) -> f64 {
    let a = module[u];
    let (mut out_a, mut in_a, mut out_b, mut in_b) = (0.0, 0.0, 0.0, 0.0);
    graph.for_each_arc(u, |v, fo, fi| {
        let m = module[v as usize];
        if m == a {
            out_a += fo;
            in_a += fi;
        } else if m == b {
            out_b += fo;
            in_b += fi;
        }
    });
    let nf = node(graph, u);
    let a_new = mods.without(a as usize, nf, out_a, in_a);
    let b_new = mods.with(b as usize, nf, out_b, in_b);
    mods.delta(a as usize, a_new, b as usize, b_new)
}
