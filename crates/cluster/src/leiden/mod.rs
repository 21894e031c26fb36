//! Parallel, deterministic Leiden and Louvain.
//!
//! Traag, Waltman & van Eck, "From Louvain to Leiden: guaranteeing well-connected communities",
//! Scientific Reports 9 (2019); Blondel, Guillaume, Lambiotte & Lefebvre, "Fast unfolding of
//! communities in large networks", J. Stat. Mech. (2008). The engineering follows the
//! shared-memory work of Sahu (GVE-Leiden, arXiv 2312.13936): dense per-thread scratch arrays
//! keyed by community instead of hash maps, a work queue that only revisits nodes whose
//! neighbourhood changed, and aggregation in parallel.
//!
//! One iteration repeats three phases, each in its own file, until the partition is stable:
//!
//! 1. [`local_moving`]: the queue-based fast local moving of Leiden;
//! 2. [`refine`]: inside every community, a randomised merge of singletons into well-connected
//!    (γ-connected) sub-communities (skipped by Louvain);
//! 3. [`aggregate`]: the graph of (refined) communities, with the internal weight of each as a
//!    self-loop, initial partition = the unrefined communities.
//!
//! # One gain formula for every objective
//!
//! Every node carries two weights `p` ("out") and `q` ("in"); a community's totals are `P`
//! and `Q`. Moving node `i` into community `c` gains, in edge-weight units,
//!
//! ```text
//! gain(i → c) = w(i, c) − γ' · (p_i · Q_c + q_i · P_c)
//! ```
//!
//! - modularity: `p = q = strength`, `γ' = γ / (2 · Σ strength)`;
//! - CPM: `p = q = number of original nodes`, `γ' = γ / 2`;
//! - directed modularity (Leicht & Newman 2008) on the symmetrised graph: `p` = out-strength,
//!   `q` = in-strength, `γ' = γ / m` with `m` the total arc weight.
//!
//! # Determinism at any thread count
//!
//! No phase lets the thread schedule decide anything:
//!
//! - local moving works in synchronous batches taken from the front of a FIFO queue. Every node
//!   of a batch proposes its best move against the state frozen at the start of the batch (in
//!   parallel; a proposal is a pure function of that state). The proposals are then applied
//!   one by one in queue order; each is re-checked against the current state (exactly
//!   recomputed if a neighbour was in the same batch) and applied only if its gain is still
//!   above the tolerance. The batch size depends only on the number of nodes of the level.
//!   Neighbours are queued, and on aggregated levels their slacks lowered, in move order on
//!   one thread.
//! - refinement is independent per community; each community is handled by one task with its
//!   own generator `Rng::derive(seed, stream, community)`.
//! - aggregation computes each aggregated row from the members in node order.
//! - every floating-point sum that reaches the output is taken in a fixed order.
//!
//! Complexity: each local-moving visit of node `i` costs `O(deg i)`; a level costs
//! `O(m · visits per node)`, refinement `O(m)` plus `O(n log n)`-free counting sorts, aggregation
//! `O(m)`. Memory: `O(n)` per thread of scratch, plus the aggregated graphs (at most the size of
//! the input; levels are dropped as soon as the next exists).

pub mod aggregate;
pub mod components;
pub mod local_moving;
pub mod refine;
pub(crate) mod unit;

use std::sync::Mutex;

use contextivity_graph::hint::{prefetch, prefetch_all};
use contextivity_graph::Csr;
use rayon::prelude::*;

use crate::hierarchy::LevelTrace;

/// Read access to a weighted symmetric adjacency: the input CSR at level 0 and the aggregated
/// graphs above it.
pub(crate) trait Adjacency: Sync {
    /// The stored weight type.
    type Weight: Copy + Into<f64> + Send + Sync;
    /// Number of nodes.
    fn node_count(&self) -> usize;
    /// Targets and weights of row `u`.
    fn row(&self, u: usize) -> (&[u32], &[Self::Weight]);
    /// Asks for the place of row `u` (its offset) ahead of [`Adjacency::row`], which must read
    /// it before anything of the row can be asked for. A hint: nothing is read.
    fn hint_row_place(&self, u: usize);
}

impl Adjacency for Csr {
    type Weight = f32;
    #[inline]
    fn node_count(&self) -> usize {
        Csr::node_count(self)
    }
    #[inline]
    fn row(&self, u: usize) -> (&[u32], &[f32]) {
        let r = self.row_range(u);
        (&self.targets()[r.clone()], &self.weights()[r])
    }
    #[inline]
    fn hint_row_place(&self, u: usize) {
        prefetch(self.offsets(), u);
    }
}

/// An aggregated graph: one node per (refined) community, `f64` weights, the internal weight of
/// each community as a self-loop (counted as in the adjacency matrix: both directions).
///
/// Rows are stored in the chunks they were built in ([`aggregate::ROW_CHUNK`] rows each), so
/// building never holds two copies of the graph.
#[derive(Clone, Debug, Default)]
pub(crate) struct AggGraph {
    pub(crate) nodes: usize,
    pub(crate) chunks: Vec<AggChunk>,
}

/// Consecutive rows of an [`AggGraph`].
#[derive(Clone, Debug, Default)]
pub(crate) struct AggChunk {
    /// `rows + 1` offsets into `targets` and `weights`.
    pub(crate) offsets: Vec<usize>,
    pub(crate) targets: Vec<u32>,
    pub(crate) weights: Vec<f64>,
}

impl Adjacency for AggGraph {
    type Weight = f64;
    #[inline]
    fn node_count(&self) -> usize {
        self.nodes
    }
    #[inline]
    fn row(&self, u: usize) -> (&[u32], &[f64]) {
        let chunk = &self.chunks[u / aggregate::ROW_CHUNK];
        let r = u % aggregate::ROW_CHUNK;
        let (a, b) = (chunk.offsets[r], chunk.offsets[r + 1]);
        (&chunk.targets[a..b], &chunk.weights[a..b])
    }
    #[inline]
    fn hint_row_place(&self, u: usize) {
        if let Some(chunk) = self.chunks.get(u / aggregate::ROW_CHUNK) {
            prefetch(&chunk.offsets, u % aggregate::ROW_CHUNK);
        }
    }
}

/// A loop over nodes asks for the place of the row of the node this many places ahead…
const PLACE_AHEAD: usize = 8;
/// …for the row of the node this many places ahead (its place was asked for earlier)…
const ROW_AHEAD: usize = 4;
/// …and for the per-node values of the neighbours of the node this many places ahead (its
/// row was asked for earlier).
const VALUE_AHEAD: usize = 2;
/// Rows longer than this are read in sequence (the hardware prefetcher streams them, and one
/// hint per entry would cost as much as the work it hides), so they get no hints.
const HINT_MAX_ROW: usize = 128;

/// Cache hints for a loop that visits the nodes `node_at(0)`, `node_at(1)`, … and at each reads
/// the row and `values[u]` of every neighbour `u`: when the loop is at position `at`, asks
/// for the place of the row at `at + PLACE_AHEAD`, for the row at `at + ROW_AHEAD` and for
/// the neighbours' values at `at + VALUE_AHEAD`. Rows
/// of nodes visited in a random order lie at random places, and so do their neighbours'
/// values; hints let those waits overlap. Hints only: nothing is read and no result changes.
#[inline]
pub(crate) fn hint_ahead<G: Adjacency, T>(
    graph: &G,
    node_at: impl Fn(usize) -> Option<usize>,
    at: usize,
    values: &[T],
) {
    if let Some(v) = node_at(at + PLACE_AHEAD) {
        graph.hint_row_place(v);
    }
    if let Some(v) = node_at(at + ROW_AHEAD) {
        let (targets, ws) = graph.row(v);
        if targets.len() <= HINT_MAX_ROW {
            prefetch_all(targets);
            prefetch_all(ws);
        }
    }
    if let Some(v) = node_at(at + VALUE_AHEAD) {
        let targets = graph.row(v).0;
        if targets.len() <= HINT_MAX_ROW {
            for &u in targets {
                prefetch(values, u as usize);
            }
        }
    }
}

/// The two weights of every node (see the module docs); `q` is `None` when it equals `p`.
#[derive(Clone, Debug)]
pub(crate) struct NodeWeights {
    pub(crate) p: Vec<f64>,
    pub(crate) q: Option<Vec<f64>>,
}

impl NodeWeights {
    /// The out-weight of node `i`.
    #[inline]
    pub(crate) fn p(&self, i: usize) -> f64 {
        self.p[i]
    }
    /// The in-weight of node `i`.
    #[inline]
    pub(crate) fn q(&self, i: usize) -> f64 {
        match &self.q {
            Some(q) => q[i],
            None => self.p[i],
        }
    }
}

/// The parameters every phase needs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    /// γ' of the gain formula.
    pub(crate) gamma: f64,
    /// Refinement randomness θ.
    pub(crate) theta: f64,
    /// Smallest gain for a move.
    pub(crate) move_tolerance: f64,
    /// Whether to refine (Leiden) or not (Louvain).
    pub(crate) refine: bool,
    /// Cap on levels per iteration.
    pub(crate) max_levels: u32,
    /// The run's seed.
    pub(crate) seed: u64,
}

/// Per-thread scratch: a dense accumulator per community with the list of touched entries,
/// the staged buffers of a proposal chunk (neighbour communities, `(community, weight)` pairs,
/// community totals, with per-node start offsets) and the small table short rows accumulate
/// in.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    pub(crate) acc: Vec<f64>,
    pub(crate) touched: Vec<u32>,
    pub(crate) buf: Vec<u32>,
    pub(crate) starts: Vec<usize>,
    pub(crate) pairs: Vec<(u32, f64)>,
    pub(crate) pair_starts: Vec<usize>,
    pub(crate) totals: Vec<(f64, f64)>,
    pub(crate) table: local_moving::SmallTable,
}

/// One [`Scratch`] per worker thread of the current pool. Which slot a task gets never changes
/// a result: a task always leaves its slot zeroed.
#[derive(Debug)]
pub(crate) struct ScratchPool {
    slots: Vec<Mutex<Scratch>>,
}

impl ScratchPool {
    /// A pool with one (lazily sized) slot per thread of the current rayon pool.
    pub(crate) fn new() -> Self {
        let k = rayon::current_num_threads().max(1);
        ScratchPool {
            slots: (0..k).map(|_| Mutex::new(Scratch::default())).collect(),
        }
    }

    /// Runs `f` with a zeroed scratch of at least `n` accumulators.
    pub(crate) fn with<R>(&self, n: usize, f: impl FnOnce(&mut Scratch) -> R) -> R {
        let idx = rayon::current_thread_index().unwrap_or(0) % self.slots.len();
        let mut guard = self.slots[idx].lock().unwrap_or_else(|e| e.into_inner());
        if guard.acc.len() < n {
            guard.acc.resize(n, 0.0);
        }
        f(&mut guard)
    }
}

/// Nodes grouped by community: `order[starts[c]..starts[c+1]]` are the members of `c` in
/// increasing node order, and `position[v]` is `v`'s index inside its community's list.
#[derive(Debug)]
pub(crate) struct Groups {
    pub(crate) order: Vec<u32>,
    pub(crate) starts: Vec<usize>,
    pub(crate) position: Vec<u32>,
}

impl Groups {
    /// Groups `labels` (dense in `0..k`) with a counting sort; `O(n + k)`.
    pub(crate) fn new(labels: &[u32], k: usize) -> Self {
        let mut starts = vec![0usize; k + 1];
        for &c in labels {
            starts[c as usize + 1] += 1;
        }
        for c in 0..k {
            starts[c + 1] += starts[c];
        }
        let mut cursor = starts.clone();
        let mut order = vec![0u32; labels.len()];
        let mut position = vec![0u32; labels.len()];
        for (v, &c) in labels.iter().enumerate() {
            let at = cursor[c as usize];
            order[at] = v as u32;
            position[v] = (at - starts[c as usize]) as u32;
            cursor[c as usize] += 1;
        }
        Groups {
            order,
            starts,
            position,
        }
    }

    /// Number of groups.
    pub(crate) fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Members of group `c`.
    #[inline]
    pub(crate) fn members(&self, c: usize) -> &[u32] {
        &self.order[self.starts[c]..self.starts[c + 1]]
    }

    /// Splits `buf` (aligned with `order`) into one mutable slice per group.
    pub(crate) fn split_mut<'a, T>(&self, mut buf: &'a mut [T]) -> Vec<&'a mut [T]> {
        let mut out = Vec::with_capacity(self.len());
        for c in 0..self.len() {
            let (head, rest) =
                std::mem::take(&mut buf).split_at_mut(self.starts[c + 1] - self.starts[c]);
            out.push(head);
            buf = rest;
        }
        out
    }
}

/// Renumbers `labels` densely in order of first appearance; returns the count.
pub(crate) fn renumber(labels: &mut [u32]) -> usize {
    let n = labels.len();
    let mut map = vec![u32::MAX; n.max(1)];
    let mut next = 0u32;
    for l in labels.iter_mut() {
        let slot = &mut map[*l as usize];
        if *slot == u32::MAX {
            *slot = next;
            next += 1;
        }
        *l = *slot;
    }
    next as usize
}

/// The random stream of `phase` at `level` of `iteration`.
#[inline]
pub(crate) fn stream(iteration: u32, level: u32, phase: u32) -> u64 {
    ((iteration as u64) << 32) | ((level as u64) << 8) | phase as u64
}

/// What one Leiden/Louvain iteration produced.
#[derive(Debug)]
pub(crate) struct IterationOutcome {
    /// The community of every original node (dense, not canonical).
    pub(crate) labels: Vec<u32>,
    /// Whether any node moved at any level.
    pub(crate) moved: bool,
    /// The iteration stopped after its first local-moving pass because that pass moved fewer
    /// nodes than asked (see [`run_iteration`]); `labels` are then the start labels unchanged
    /// and `trace` is empty.
    pub(crate) stable: bool,
    /// The partition after local moving at every level, over original nodes.
    pub(crate) trace: LevelTrace,
    /// What the objectives need of `labels`, read on the iteration's last level; `None` when
    /// `stable` (the labels are then those of the previous iteration).
    pub(crate) sums: Option<PartitionSums>,
}

/// What every objective needs of a partition: the weight of the adjacency entries inside
/// communities and the node-weight total of each community.
///
/// An iteration reads them on its last aggregated graph, where they cost next to nothing:
/// aggregation keeps every objective's value (see [`aggregate`]), so these sums equal those of
/// the partition over the input, up to the order of floating-point additions.
#[derive(Clone, Debug)]
pub(crate) struct PartitionSums {
    /// `Σ A_ij` over the entries whose ends share a community (each internal edge in both
    /// directions, self-loops once).
    pub(crate) internal: f64,
    /// `Σ p_i` over the nodes of each community, by community.
    pub(crate) totals: Vec<f64>,
}

impl PartitionSums {
    /// The sums of `labels` (dense) on `graph`, in a fixed order.
    pub(crate) fn of<G: Adjacency>(graph: &G, weights: &NodeWeights, labels: &[u32]) -> Self {
        let internal = crate::quality::internal_weight(graph, labels);
        let k = labels.iter().max().map_or(0, |&m| m as usize + 1);
        let mut totals = vec![0.0; k];
        for (u, &c) in labels.iter().enumerate() {
            totals[c as usize] += weights.p(u);
        }
        PartitionSums { internal, totals }
    }
}

/// Runs one iteration on `graph` from `start` (dense labels over its nodes, or singletons).
///
/// When `start` is given and the first local-moving pass over the nodes moves fewer than
/// `stable_below` of them, the partition is taken as stable: the iteration ends there, without
/// refining and aggregating the whole graph again, and returns `start` unchanged (the few
/// moves are dropped, so the previous iteration's levels stay exactly nested in its result).
pub(crate) fn run_iteration<G: Adjacency>(
    graph: &G,
    weights: &NodeWeights,
    start: Option<Vec<u32>>,
    params: &Params,
    iteration: u32,
    stable_below: usize,
    pool: &ScratchPool,
) -> IterationOutcome {
    let n0 = graph.node_count();
    let stable_below = if start.is_some() { stable_below } else { 0 };
    let mut comm = start.unwrap_or_else(|| (0..n0 as u32).collect());
    let kept = (stable_below > 0).then(|| comm.clone());
    let mut trace = LevelTrace::default();
    let mut moved_any = false;
    // Level 0 runs on the borrowed input; later levels on owned aggregates.
    let last = params.max_levels <= 1;
    let step = level_step(
        graph,
        weights,
        &mut comm,
        params,
        (iteration, 0),
        last,
        stable_below,
        pool,
    );
    if step.stable {
        return IterationOutcome {
            labels: kept.unwrap_or(comm),
            moved: false,
            stable: true,
            trace,
            sums: None,
        };
    }
    moved_any |= step.moved;
    trace.record(&comm, None);
    let Some((mut agg, mut agg_weights, mut node_map, mut agg_comm)) = step.next else {
        if params.refine {
            connect(graph, &mut comm);
        }
        let sums = PartitionSums::of(graph, weights, &comm);
        return IterationOutcome {
            labels: comm,
            moved: moved_any,
            stable: false,
            trace,
            sums: Some(sums),
        };
    };
    let mut level = 1u32;
    loop {
        let last = level + 1 >= params.max_levels;
        let step = level_step(
            &agg,
            &agg_weights,
            &mut agg_comm,
            params,
            (iteration, level),
            last,
            0,
            pool,
        );
        moved_any |= step.moved;
        trace.record(&agg_comm, Some(&node_map));
        match step.next {
            Some((g, w, map, c)) => {
                node_map.par_iter_mut().for_each(|x| *x = map[*x as usize]);
                agg = g;
                agg_weights = w;
                agg_comm = c;
                level += 1;
            }
            _ => break,
        }
    }
    if params.refine {
        connect(&agg, &mut agg_comm);
    }
    let sums = PartitionSums::of(&agg, &agg_weights, &agg_comm);
    let labels = node_map.par_iter().map(|&x| agg_comm[x as usize]).collect();
    IterationOutcome {
        labels,
        moved: moved_any,
        stable: false,
        trace,
        sums: Some(sums),
    }
}

/// Splits every community of `comm` (labels over the nodes of `graph`, the last level of a
/// Leiden iteration) into its connected components.
///
/// Checking the last level's graph instead of the input is exact and costs next to nothing:
/// every aggregated node is a refined sub-community, and refinement only merges a node into a
/// sub-community it has an edge to, so by induction every aggregated node is a connected set of
/// input nodes; two aggregated nodes are adjacent exactly when some input edge joins their
/// sets. A community is therefore connected in the input graph exactly when its aggregated
/// nodes are connected in the aggregated graph (787 nodes instead of a million on the 1M-node
/// LFR graph).
fn connect<G: Adjacency>(graph: &G, comm: &mut [u32]) {
    let k = renumber(comm);
    components::split_disconnected(graph, comm, k);
}

/// The next level: aggregated graph, its node weights, the map from this level's nodes to the
/// aggregated nodes, and the initial partition of the aggregated nodes.
type NextLevel = (AggGraph, NodeWeights, Vec<u32>, Vec<u32>);

#[derive(Default)]
struct StepOutcome {
    moved: bool,
    stable: bool,
    next: Option<NextLevel>,
}

/// Local moving, then (unless the level is final, or local moving moved fewer than
/// `stable_below` nodes) refinement and aggregation. `at` is `(iteration, level)`.
#[allow(clippy::too_many_arguments)]
fn level_step<G: Adjacency>(
    graph: &G,
    weights: &NodeWeights,
    comm: &mut [u32],
    params: &Params,
    at: (u32, u32),
    last: bool,
    stable_below: usize,
    pool: &ScratchPool,
) -> StepOutcome {
    let (iteration, level) = at;
    let n = graph.node_count();
    let moves = local_moving::local_moving(graph, weights, comm, params, iteration, level, pool);
    if moves < stable_below {
        return StepOutcome {
            stable: true,
            ..StepOutcome::default()
        };
    }
    let k = renumber(comm);
    if k == n || last {
        return StepOutcome {
            moved: moves > 0,
            ..StepOutcome::default()
        };
    }
    let (map, agg_n, agg_comm) = if params.refine {
        let refined = refine::refine(graph, weights, comm, k, params, iteration, level, pool);
        if refined.count == n {
            // Nothing merged: aggregation would not shrink the graph (leidenalg stops here too).
            return StepOutcome {
                moved: moves > 0,
                ..StepOutcome::default()
            };
        }
        (refined.labels, refined.count, refined.parent)
    } else {
        (comm.to_vec(), k, (0..k as u32).collect())
    };
    let (agg, agg_weights) = aggregate::aggregate(graph, weights, &map, agg_n, pool);
    StepOutcome {
        moved: moves > 0,
        stable: false,
        next: Some((agg, agg_weights, map, agg_comm)),
    }
}

/// A sum over `0..n` taken in fixed-size chunks combined in order, so the rounding does not
/// depend on the thread count.
pub(crate) fn ordered_sum(n: usize, f: impl Fn(usize) -> f64 + Sync) -> f64 {
    const CHUNK: usize = 4096;
    let chunks = n.div_ceil(CHUNK);
    let partial: Vec<f64> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut s = 0.0;
            for i in c * CHUNK..((c + 1) * CHUNK).min(n) {
                s += f(i);
            }
            s
        })
        .collect();
    partial.iter().sum()
}
