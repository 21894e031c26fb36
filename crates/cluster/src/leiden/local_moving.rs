//! Queue-based fast local moving (Traag, Waltman & van Eck 2019, Algorithm A.2 "MoveNodesFast"),
//! in deterministic synchronous batches.
//!
//! All nodes start in a FIFO queue in a random order drawn from
//! `Rng::derive(seed, stream(iteration, level, 0), 0)` — a random order of blocks of
//! [`ORDER_BLOCK`] consecutive nodes, so that rows are still read in runs. A node taken from the queue moves to the
//! neighbouring community (or an empty one) of largest gain; when it moves, every neighbour that
//! is neither queued nor in the new community joins the back of the queue. The phase ends when
//! the queue is empty, so unchanged regions are never revisited (the pruning of GVE-Leiden).
//!
//! # Parallelism without non-determinism
//!
//! The queue is consumed in batches of [`batch_size`]`(n)` nodes — a function of the number of
//! nodes only, never of the thread count. For a batch:
//!
//! 1. *propose* (in parallel once the batch's rows hold enough entries, in chunks of about
//!    [`CHUNK_WORK`] row entries and at most [`PROPOSAL_CHUNK`] nodes, so that the few long
//!    rows of an upper level are spread over the threads too): each node computes its
//!    weight to every neighbouring community — in a small open-addressing table that stays in
//!    L1 for rows of at most [`SMALL_ROW`] entries, in a dense per-thread array for longer
//!    rows — and picks the
//!    best target against the state frozen at the start of the batch (ties: the first community
//!    met in row order; staying wins ties), and lists the neighbours its move would offer to
//!    the queue (those not queued and not frozen in the target), while the row's communities
//!    are at hand. A node whose weight inside its community outweighs, gain for gain, its whole
//!    weight outside is *settled* (see `Frozen::settled_margin`): no community can beat
//!    staying, so its per-community sums are skipped — the same decision, found for the price
//!    of reading the row once. Once communities take shape most visits end there;
//! 2. *apply* (sequential, in queue order): each proposal is re-checked against the current
//!    state — community totals are always current; the edge weights to the old and new
//!    community are recomputed exactly when a neighbour in the same batch has already moved,
//!    since only such a neighbour can have changed community (otherwise the proposal's sums,
//!    taken in the same order, are those weights to the bit) — and applied only if its gain
//!    still exceeds the move tolerance. So every applied move strictly improves the quality.
//!    This stage runs on one thread while the others wait, so it reads what it can in batch
//!    order rather than at random places: a member's community from the batch's record (only
//!    its own proposal moves it), its offers by its place in the batch; taking the batch from
//!    the queue asks for each member's row place and community a few members ahead.
//! 3. *requeue* (in move order): each moved node offers the neighbours that were outside its
//!    new community at the moment of its move — its proposal's list, in which only the
//!    neighbours that are themselves batch members are checked again, since only they can have
//!    changed community; their community "at that moment" comes from the batch's record of
//!    where its members were before and in which order they moved. So the queue ends exactly
//!    as if each move had queued its neighbours as it was applied, and the random reads of the
//!    neighbours' communities happen once, in the parallel proposals. On aggregated levels an
//!    offered neighbour is queued only once the moves around it may have changed its choice
//!    (the *margin rule*, see `requeue_candidates`): each visit records by how much the chosen
//!    community beat every other choice, and each move takes from that what it can change at
//!    most. Rows there are long and moves rare, and the plain rule revisited nearly every node
//!    after every batch with a move.
//!
//! Small levels get batches of one node, which is exactly the sequential algorithm.
//!
//! Complexity: `O(deg i)` per visit of node `i` (proposal, plus the re-check and the queue
//! update of a moved node); memory `O(n)` plus one dense accumulator of `n` entries per thread
//! and the batch's offer lists (one slot per row entry of the batch).

use std::collections::VecDeque;

use contextivity_graph::hint::prefetch;
use contextivity_graph::Rng;
use rayon::prelude::*;

use super::{hint_ahead, stream, Adjacency, NodeWeights, Params, Scratch, ScratchPool};

/// Largest batch of simultaneously proposed moves.
pub const MAX_BATCH: usize = 4096;
/// A level of `n` nodes uses batches of `n / BATCH_DIVISOR` nodes (at least one), so that a
/// batch is a small fraction of the graph and frozen information is rarely stale.
pub const BATCH_DIVISOR: usize = 64;
/// Nodes per parallel proposal task.
pub const PROPOSAL_CHUNK: usize = 64;
/// Batches whose rows hold fewer entries than this are proposed on the calling thread (same
/// result, less overhead).
const PARALLEL_MIN_WORK: usize = 8192;
/// Row entries per parallel proposal task (at most [`PROPOSAL_CHUNK`] nodes).
pub const CHUNK_WORK: usize = 2048;
/// Nodes are first queued in a random order of blocks of this many consecutive nodes.
pub const ORDER_BLOCK: usize = 256;
/// Relative margin by which staying must beat a node's whole weight outside its community for
/// the node to be settled (see [`Frozen::settled_margin`]) without its per-community sums.
const SETTLED_MARGIN: f64 = 1e-9;
/// Target meaning "an empty community".
const EMPTY: u32 = u32::MAX;
/// Taking a batch from the queue asks for the row place, community and batch slot of the
/// member this many places ahead.
const FILL_AHEAD: usize = 16;

/// The batch size for a level of `n` nodes.
pub fn batch_size(n: usize) -> usize {
    (n / BATCH_DIVISOR).clamp(1, MAX_BATCH)
}

#[derive(Clone, Copy, Debug, Default)]
struct Proposal {
    target: u32,
    k_target: f64,
    k_current: f64,
    batch_neighbour: bool,
    /// The node is sure to stay (see [`Frozen::settled`]): its per-community sums are skipped.
    settled: bool,
    /// How many neighbours the move would offer to the queue (see [`Frozen::offer`]), written
    /// at the node's place in the batch's offer buffer.
    offers: u32,
    /// How much more the proposed community gains than the best alternative (a lower bound
    /// when settled; 0 for a move to an empty community): the starting slack of the margin
    /// rule.
    margin: f64,
}

/// Community totals and sizes, read by proposals and updated by applied moves.
struct Totals {
    p: Vec<f64>,
    q: Option<Vec<f64>>,
    size: Vec<u32>,
}

impl Totals {
    fn new(weights: &NodeWeights, comm: &[u32]) -> Self {
        let n = comm.len();
        let mut p = vec![0.0; n];
        let mut size = vec![0u32; n];
        for (i, &c) in comm.iter().enumerate() {
            p[c as usize] += weights.p(i);
            size[c as usize] += 1;
        }
        let q = weights.q.as_ref().map(|qw| {
            let mut q = vec![0.0; n];
            for (i, &c) in comm.iter().enumerate() {
                q[c as usize] += qw[i];
            }
            q
        });
        Totals { p, q, size }
    }

    #[inline]
    fn q(&self, c: usize) -> f64 {
        match &self.q {
            Some(q) => q[c],
            None => self.p[c],
        }
    }

    /// Asks for the totals of community `c` ahead of use (a hint: nothing is read).
    #[inline]
    fn hint(&self, c: usize) {
        prefetch(&self.p, c);
        if let Some(q) = &self.q {
            prefetch(q, c);
        }
    }

    #[inline]
    fn shift(&mut self, from: usize, to: usize, pi: f64, qi: f64) {
        self.p[from] -= pi;
        self.p[to] += pi;
        if let Some(q) = &mut self.q {
            q[from] -= qi;
            q[to] += qi;
        }
        self.size[from] -= 1;
        self.size[to] += 1;
    }
}

/// Runs the fast local moving phase on `comm` (labels in `0..n`, modified in place); returns the
/// number of moves applied.
pub(crate) fn local_moving<G: Adjacency>(
    graph: &G,
    weights: &NodeWeights,
    comm: &mut [u32],
    params: &Params,
    iteration: u32,
    level: u32,
    pool: &ScratchPool,
) -> usize {
    let n = graph.node_count();
    if n == 0 {
        return 0;
    }
    let mut totals = Totals::new(weights, comm);
    // Empty communities, smallest id on top; stale entries are skipped when popped.
    let mut empty: Vec<u32> = (0..n as u32)
        .rev()
        .filter(|&c| totals.size[c as usize] == 0)
        .collect();

    // Random order of blocks of consecutive nodes: random, yet rows are read in runs.
    let mut blocks: Vec<u32> = (0..n.div_ceil(ORDER_BLOCK) as u32).collect();
    Rng::derive(params.seed, stream(iteration, level, 0), 0).shuffle(&mut blocks);
    let mut queue: VecDeque<u32> = VecDeque::with_capacity(n);
    for &blk in &blocks {
        let lo = blk as usize * ORDER_BLOCK;
        queue.extend(lo as u32..(lo + ORDER_BLOCK).min(n) as u32);
    }
    let mut in_queue = BitSet::full(n);
    let mut in_batch = BitSet::empty(n);
    // The margin rule (aggregated levels): each node's slack, set when it is visited and
    // lowered by every neighbour's move; see `requeue_candidates`.
    let mut slack: Option<Vec<f64>> = (level > 0 && params.gamma >= 0.0).then(|| vec![0.0; n]);

    let b = batch_size(n);
    let mut batch: Vec<u32> = Vec::with_capacity(b);
    let mut proposals = vec![Proposal::default(); b];
    let mut moves = 0usize;
    // Per batch: the applied moves in order (node, new community, place in the batch), and
    // for every batch member its community before the batch and the rank of its move
    // (NOT_MOVED if none), found through `batch_pos`.
    let mut moved: Vec<(u32, u32, u32)> = Vec::with_capacity(b);
    let mut before: Vec<u32> = vec![0; b];
    let mut move_rank: Vec<u32> = vec![NOT_MOVED; b];
    let mut batch_pos: Vec<u32> = vec![0; n];
    // Per batch: where each member's offers start in `offers` (its row's place in the rows of
    // the batch, so every member has room for its whole row).
    let mut offer_at: Vec<usize> = Vec::with_capacity(b + 1);
    let mut offers: Vec<u32> = Vec::new();
    // Under the margin rule, what each offer's move takes at most from the neighbour's slack.
    let mut costs: Vec<f64> = Vec::new();

    while !queue.is_empty() {
        batch.clear();
        while batch.len() < b {
            let Some(i) = queue.pop_front() else { break };
            in_queue.clear(i as usize);
            in_batch.set(i as usize);
            batch.push(i);
        }
        moved.clear();
        offer_at.clear();
        offer_at.push(0);
        // Each member's row place, community and batch slot lie at random places: asked for
        // a few members ahead (hints only).
        for (j, &i) in batch.iter().enumerate() {
            if let Some(&ahead) = batch.get(j + FILL_AHEAD) {
                graph.hint_row_place(ahead as usize);
                prefetch(comm, ahead as usize);
                prefetch(&batch_pos, ahead as usize);
            }
            batch_pos[i as usize] = j as u32;
            before[j] = comm[i as usize];
            move_rank[j] = NOT_MOVED;
            let len = graph.row(i as usize).0.len();
            offer_at.push(offer_at[j] + len);
        }
        let work = offer_at[batch.len()];
        if offers.len() < work {
            offers.resize(work, 0);
        }
        if slack.is_some() && costs.len() < work {
            costs.resize(work, 0.0);
        }
        let out = &mut proposals[..batch.len()];
        {
            let frozen = Frozen {
                comm,
                totals: &totals,
                in_batch: &in_batch,
                in_queue: &in_queue,
                gamma: params.gamma,
                costs: slack.is_some(),
            };
            // A proposal depends on its node and the frozen state only, so the chunking never
            // changes a result.
            let len = if work >= PARALLEL_MIN_WORK {
                // Chunks of about CHUNK_WORK row entries: many short rows or a few long ones.
                let per_node = work.div_ceil(batch.len()).max(1);
                (CHUNK_WORK / per_node).clamp(1, PROPOSAL_CHUNK)
            } else {
                PROPOSAL_CHUNK
            };
            let pieces = split_offers(&mut offers[..work], &offer_at, len);
            let cost_pieces: Vec<&mut [f64]> = if slack.is_some() {
                split_offers(&mut costs[..work], &offer_at, len)
            } else {
                (0..pieces.len()).map(|_| Default::default()).collect()
            };
            if work >= PARALLEL_MIN_WORK {
                out.par_chunks_mut(len)
                    .zip(batch.par_chunks(len))
                    .zip(pieces)
                    .zip(cost_pieces)
                    .for_each(|(((out, nodes), piece), cost)| {
                        pool.with(n, |s| {
                            frozen.propose_chunk(graph, weights, nodes, out, (piece, cost), s)
                        })
                    });
            } else {
                pool.with(n, |s| {
                    for (((out, nodes), piece), cost) in out
                        .chunks_mut(len)
                        .zip(batch.chunks(len))
                        .zip(pieces)
                        .zip(cost_pieces)
                    {
                        frozen.propose_chunk(graph, weights, nodes, out, (piece, cost), s);
                    }
                });
            }
        }

        for (j, (&i, pr)) in batch.iter().zip(out.iter()).enumerate() {
            // The node's community is still the one it had when the batch was taken (only its
            // own proposal moves it), read from the batch instead of at a random place.
            let a = before[j] as usize;
            if let Some(slack) = &mut slack {
                // A move that goes ahead as proposed replaces this with the proposal's margin.
                slack[i as usize] = if pr.target == a as u32 {
                    pr.margin
                } else {
                    0.0
                };
            }
            if pr.target == a as u32 {
                continue;
            }
            let i = i as usize;
            debug_assert_eq!(comm[i], a as u32, "a batch member moved before its turn");
            let to_empty = pr.target == EMPTY;
            let t = if to_empty {
                if totals.size[a] <= 1 {
                    continue;
                }
                while let Some(&e) = empty.last() {
                    if totals.size[e as usize] == 0 {
                        break;
                    }
                    empty.pop();
                }
                match empty.last() {
                    Some(&e) => e as usize,
                    None => continue,
                }
            } else {
                pr.target as usize
            };
            // Only a batch member that has already moved can have changed a neighbour's
            // community since the proposal; the proposal's offers list every batch member
            // among the neighbours (batch members are never queued).
            let stale = pr.batch_neighbour
                && offers[offer_at[j]..offer_at[j] + pr.offers as usize]
                    .iter()
                    .any(|&v| {
                        in_batch.get(v as usize)
                            && move_rank[batch_pos[v as usize] as usize] != NOT_MOVED
                    });
            let (k_t, k_a) = if stale {
                exact_weights(graph, comm, i, t as u32, a as u32)
            } else {
                (pr.k_target, pr.k_current)
            };
            let (pi, qi) = (weights.p(i), weights.q(i));
            let pa = totals.p[a] - pi;
            let qa = totals.q(a) - qi;
            let gain =
                (k_t - k_a) - params.gamma * (pi * (totals.q(t) - qa) + qi * (totals.p[t] - pa));
            if gain <= params.move_tolerance {
                continue;
            }
            totals.shift(a, t, pi, qi);
            if totals.size[a] == 0 {
                empty.push(a as u32);
            }
            if let Some(slack) = &mut slack {
                if !stale {
                    slack[i] = pr.margin;
                }
            }
            comm[i] = t as u32;
            moves += 1;
            move_rank[j] = moved.len() as u32;
            moved.push((i as u32, t as u32, j as u32));
        }
        let lookup = BatchLookup {
            in_batch: &in_batch,
            batch_pos: &batch_pos,
            before: &before,
            move_rank: &move_rank,
        };
        let offered = |j: usize| &offers[offer_at[j]..offer_at[j] + out[j].offers as usize];
        let margins = slack.as_mut().map(|slack| Margins {
            slack,
            costs: &costs,
            offer_at: &offer_at,
        });
        for v in requeue_candidates(comm, &moved, &lookup, offered, margins) {
            if !in_queue.get(v as usize) {
                in_queue.set(v as usize);
                queue.push_back(v);
            }
        }
        for &i in &batch {
            in_batch.clear(i as usize);
        }
    }
    moves
}

/// Marks a batch member that did not move.
const NOT_MOVED: u32 = u32::MAX;
/// What a batch looked like before its moves were applied: enough to know any node's
/// community at the moment of any move of the batch.
struct BatchLookup<'a> {
    in_batch: &'a BitSet,
    batch_pos: &'a [u32],
    before: &'a [u32],
    move_rank: &'a [u32],
}

impl BatchLookup<'_> {
    /// The community of `v` just after the move of rank `rank` was applied: its current one,
    /// unless `v` itself moved later in the batch.
    #[inline]
    fn community_at(&self, comm: &[u32], v: usize, rank: u32) -> u32 {
        if self.in_batch.get(v) {
            let j = self.batch_pos[v] as usize;
            if self.move_rank[j] != NOT_MOVED && self.move_rank[j] > rank {
                return self.before[j];
            }
        }
        comm[v]
    }
}

/// The margin rule's state: every node's slack and the cost of each offer of the batch.
struct Margins<'a> {
    slack: &'a mut [f64],
    costs: &'a [f64],
    offer_at: &'a [usize],
}

/// The neighbours to queue after a batch, in the order the moves were applied: for every moved
/// node `i` (to `t`, from place `j` of the batch), each neighbour `v ≠ i` that was not queued
/// before the batch and not in `t` at the moment of the move — exactly the nodes a one-by-one
/// apply would have offered to the queue, so the queue ends the same whatever the thread count.
///
/// The proposal already listed those neighbours against the frozen state (`offered(j)` for the
/// batch member at position `j`, see [`Frozen::offer`]); only a neighbour that is itself in
/// the batch may have changed community since, so only those are checked again here. The
/// random reads of the neighbours' communities thus happen once, in the parallel proposals.
///
/// **The margin rule** (`margins`, used on aggregated levels): a node's slack is set when it
/// is visited — how much more the community it chose gains than any other choice, 0 when a
/// batch neighbour's earlier move made its proposal stale — and every offer lowers it by the
/// most the move can have changed that difference (see [`Frozen::offer_costs`]); the
/// neighbour is queued only once its slack is spent, that is once the moves around it may
/// have changed its decision. The plain rule queues every offered neighbour, which on the
/// dense rows of upper levels (a node adjacent to most others) means revisiting nearly every
/// node after every batch with a move. Both rules ignore, as fast local moving does, what a
/// move does to the totals seen by non-neighbours.
fn requeue_candidates<'o>(
    comm: &[u32],
    moved: &[(u32, u32, u32)],
    lookup: &BatchLookup<'_>,
    offered: impl Fn(usize) -> &'o [u32],
    mut margins: Option<Margins<'_>>,
) -> Vec<u32> {
    let mut out = Vec::new();
    for (rank, &(_, t, j)) in moved.iter().enumerate() {
        for (k, &v) in offered(j as usize).iter().enumerate() {
            if lookup.in_batch.get(v as usize)
                && lookup.community_at(comm, v as usize, rank as u32) == t
            {
                continue;
            }
            if let Some(m) = &mut margins {
                let slack = &mut m.slack[v as usize];
                *slack -= m.costs[m.offer_at[j as usize] + k];
                if *slack >= 0.0 {
                    continue;
                }
            }
            out.push(v);
        }
    }
    out
}

/// Splits `offers` into one piece per chunk of `len` batch members, member `j` owning
/// `offer_at[j]..offer_at[j + 1]`.
fn split_offers<'a, T>(
    mut offers: &'a mut [T],
    offer_at: &[usize],
    len: usize,
) -> Vec<&'a mut [T]> {
    let members = offer_at.len() - 1;
    let mut pieces = Vec::with_capacity(members.div_ceil(len.max(1)));
    let mut lo = 0;
    while lo < members {
        let hi = (lo + len).min(members);
        let (head, rest) = std::mem::take(&mut offers).split_at_mut(offer_at[hi] - offer_at[lo]);
        pieces.push(head);
        offers = rest;
        lo = hi;
    }
    pieces
}

/// A fixed-size set of node ids, one bit each (small enough to stay in cache).
struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    fn empty(n: usize) -> Self {
        BitSet {
            words: vec![0; n.div_ceil(64)],
        }
    }
    fn full(n: usize) -> Self {
        let mut s = BitSet {
            words: vec![u64::MAX; n.div_ceil(64)],
        };
        if n % 64 != 0 {
            if let Some(last) = s.words.last_mut() {
                *last = (1u64 << (n % 64)) - 1;
            }
        }
        s
    }
    #[inline]
    fn get(&self, i: usize) -> bool {
        self.words[i >> 6] & (1u64 << (i & 63)) != 0
    }
    #[inline]
    fn set(&mut self, i: usize) {
        self.words[i >> 6] |= 1u64 << (i & 63);
    }
    #[inline]
    fn clear(&mut self, i: usize) {
        self.words[i >> 6] &= !(1u64 << (i & 63));
    }
}

/// Weights from `i` to communities `t` and `a` under the current labels.
fn exact_weights<G: Adjacency>(graph: &G, comm: &[u32], i: usize, t: u32, a: u32) -> (f64, f64) {
    let (targets, ws) = graph.row(i);
    let (mut k_t, mut k_a) = (0.0, 0.0);
    for (&v, &w) in targets.iter().zip(ws) {
        if v as usize == i {
            continue;
        }
        let c = comm[v as usize];
        if c == t {
            k_t += w.into();
        } else if c == a {
            k_a += w.into();
        }
    }
    (k_t, k_a)
}

/// The state proposals are computed against.
struct Frozen<'a> {
    comm: &'a [u32],
    totals: &'a Totals,
    in_batch: &'a BitSet,
    in_queue: &'a BitSet,
    gamma: f64,
    /// Whether proposals also write each offer's cost (the margin rule).
    costs: bool,
}

impl Frozen<'_> {
    /// The best move of every node of `nodes` against the frozen state, in stages so that
    /// the random reads of a whole chunk are issued back to back (memory-level parallelism):
    /// (1) the neighbours' communities, (2) the weight to each neighbouring community,
    /// (3) the totals of those communities, (4) the decision.
    fn propose_chunk<G: Adjacency>(
        &self,
        graph: &G,
        weights: &NodeWeights,
        nodes: &[u32],
        out: &mut [Proposal],
        (offers, costs): (&mut [u32], &mut [f64]),
        s: &mut Scratch,
    ) {
        // Stage 1, with the rows and the neighbours' communities of the nodes a few places
        // ahead asked for in advance (hints only).
        s.buf.clear();
        s.starts.clear();
        for (j, (o, &i)) in out.iter_mut().zip(nodes).enumerate() {
            hint_ahead(graph, |k| nodes.get(k).map(|&v| v as usize), j, self.comm);
            s.starts.push(s.buf.len());
            let (targets, ws) = graph.row(i as usize);
            let a = self.comm[i as usize];
            let (mut near, mut k_in, mut k_out) = (false, 0.0f64, 0.0f64);
            s.buf.extend(targets.iter().zip(ws).map(|(&v, &w)| {
                near |= self.in_batch.get(v as usize);
                let c = self.comm[v as usize];
                // Branch-free: a masked entry adds zero, which leaves a sum unchanged.
                let w: f64 = w.into();
                let w = if v != i && w > 0.0 { w } else { 0.0 };
                let inside = c == a;
                k_in += if inside { w } else { 0.0 };
                k_out += if inside { 0.0 } else { w };
                c
            }));
            o.batch_neighbour = near;
            // Kept here until the settled test below, which reads the community's totals,
            // asked for now (a hint).
            o.k_current = k_in;
            o.k_target = k_out;
            self.totals.hint(a as usize);
        }
        s.starts.push(s.buf.len());
        for (o, &i) in out.iter_mut().zip(nodes) {
            let a = self.comm[i as usize] as usize;
            o.margin = self.settled_margin(i as usize, a, o.k_current, o.k_target, weights);
            o.settled = o.margin > 0.0;
        }
        // Stage 2.
        s.pairs.clear();
        s.pair_starts.clear();
        for (j, &i) in nodes.iter().enumerate() {
            s.pair_starts.push(s.pairs.len());
            if out[j].settled {
                continue;
            }
            let (targets, ws) = graph.row(i as usize);
            let comms = &s.buf[s.starts[j]..s.starts[j + 1]];
            let first = s.pairs.len();
            if targets.len() <= SMALL_ROW {
                small_table_weights(targets, ws, i as usize, comms, &mut s.table, &mut s.pairs);
                // Stage 3 reads these communities' totals (hints only).
                for &(c, _) in &s.pairs[first..] {
                    prefetch(&self.totals.p, c as usize);
                    if let Some(q) = &self.totals.q {
                        prefetch(q, c as usize);
                    }
                }
            } else {
                dense_weights(targets, ws, i as usize, comms, &mut s.acc, &mut s.pairs);
            }
        }
        s.pair_starts.push(s.pairs.len());
        // Stage 3.
        let t = self.totals;
        s.totals.clear();
        s.totals.extend(
            s.pairs
                .iter()
                .map(|&(c, _)| (t.p[c as usize], t.q(c as usize))),
        );
        // Stage 4.
        for (j, (o, &i)) in out.iter_mut().zip(nodes).enumerate() {
            let i = i as usize;
            if o.settled {
                o.target = self.comm[i];
                continue;
            }
            let range = s.pair_starts[j]..s.pair_starts[j + 1];
            let pairs = &s.pairs[range.clone()];
            let totals = &s.totals[range];
            let a = self.comm[i];
            let (pi, qi) = (weights.p(i), weights.q(i));
            // One pass: the weight to the own community, and the first other community of
            // largest gain; staying wins a tie with it.
            let mut k_a = 0.0;
            let (mut best, mut best_gain, mut k_best) = (a, f64::NEG_INFINITY, 0.0);
            let mut second_gain = f64::NEG_INFINITY;
            for (&(c, k_c), &(p_c, q_c)) in pairs.iter().zip(totals) {
                if c == a {
                    k_a = k_c;
                    continue;
                }
                let g = k_c - self.gamma * (pi * q_c + qi * p_c);
                if g > best_gain {
                    second_gain = best_gain;
                    best = c;
                    best_gain = g;
                    k_best = k_c;
                } else if g > second_gain {
                    second_gain = g;
                }
            }
            let pa = t.p[a as usize] - pi;
            let qa = t.q(a as usize) - qi;
            let stay_gain = k_a - self.gamma * (pi * qa + qi * pa);
            // The choice, with its margin over every alternative. An empty community gains 0
            // and is an alternative unless the node is alone; it is chosen when nothing else
            // gains anything. Staying wins a tie.
            let alone = t.size[a as usize] <= 1;
            let (target, k_target, margin) = if best_gain.max(stay_gain) < 0.0 && !alone {
                (EMPTY, 0.0, 0.0)
            } else if best_gain > stay_gain {
                // After the move, returning to `a` gains what staying gained now, and the
                // node is no longer alone.
                let margin = best_gain - second_gain.max(stay_gain).max(0.0);
                (best, k_best, margin.max(0.0))
            } else {
                let best_other = if alone { best_gain } else { best_gain.max(0.0) };
                (a, k_a, stay_gain - best_other)
            };
            o.target = target;
            o.k_target = k_target;
            o.margin = margin;
            o.k_current = k_a;
        }
        // Stage 5: the neighbours each move would offer to the queue, written while the
        // row's communities are still at hand.
        let mut at = 0;
        for (j, (o, &i)) in out.iter_mut().zip(nodes).enumerate() {
            let (row, ws) = graph.row(i as usize);
            let piece = &mut offers[at..at + row.len()];
            let span = at..at + row.len();
            at += row.len();
            o.offers = if o.target == self.comm[i as usize] {
                0
            } else {
                let comms = &s.buf[s.starts[j]..s.starts[j + 1]];
                let kept = self.offer(i, o.target, row, comms, piece);
                if self.costs {
                    let cost = &mut costs[span];
                    let kept = &piece[..kept as usize];
                    self.offer_costs(i, kept, (row, ws, comms), weights, cost);
                }
                kept
            };
        }
    }

    /// How surely node `i` in community `a` stays, from its weight to `a` (`k_in`) and
    /// to all other communities together (`k_out`) alone: moving to a community `c ≠ a` gains
    /// `k_c − γ'·(p_i·Q_c + q_i·P_c) ≤ k_c ≤ k_out` (totals are never negative), and an empty
    /// community gains 0 ≤ `k_out`; so when staying gains more than `k_out` no other
    /// community can win, and the per-community sums need not be formed. This is the common
    /// case once communities take shape — most of a node's weight lies inside its own — and it
    /// decides exactly as the full computation would: the rounded sum over one community's
    /// entries never exceeds the rounded sum over a superset taken in the same order, and the
    /// margin covers the rounding of the totals.
    ///
    /// Returns by how much staying beats `k_out` (less the rounding margin): the node is
    /// *settled* when this is positive, and it is then a lower bound on how much staying beats
    /// the best move (the margin rule's slack). Negative infinity when `γ < 0`, where the
    /// bound does not hold.
    #[inline]
    fn settled_margin(
        &self,
        i: usize,
        a: usize,
        k_in: f64,
        k_out: f64,
        weights: &NodeWeights,
    ) -> f64 {
        if self.gamma < 0.0 {
            return f64::NEG_INFINITY;
        }
        let (pi, qi) = (weights.p(i), weights.q(i));
        let t = self.totals;
        let stay_gain = k_in - self.gamma * (pi * (t.q(a) - qi) + qi * (t.p[a] - pi));
        stay_gain - k_out * (1.0 + SETTLED_MARGIN)
    }

    /// Writes into `piece` the neighbours of `i` that a move to `target` would offer to the
    /// queue as far as the frozen state tells, and returns how many: every neighbour `v ≠ i`
    /// not already queued, except those frozen in `target` — unless `v` is in the batch, whose
    /// community may change before the move is applied (the requeue checks those again).
    /// `comms` are the frozen communities of the row. Branch-free: each entry is written and
    /// kept by advancing the end.
    fn offer(&self, i: u32, target: u32, row: &[u32], comms: &[u32], piece: &mut [u32]) -> u32 {
        let mut end = 0;
        for (&v, &c) in row.iter().zip(comms) {
            let keep = v != i
                && !self.in_queue.get(v as usize)
                && (c != target || self.in_batch.get(v as usize));
            piece[end] = v;
            end += usize::from(keep);
        }
        end as u32
    }

    /// Writes into `cost` what the move of `i` from `a` to `t` can take at most from the
    /// margin of each offered neighbour `v` (`kept`, a subsequence of the row, whose frozen
    /// communities are `comms`). With `w = w_iv` and `g = γ·(p_v·q_i + q_v·p_i)`, the move
    /// changes `v`'s gain of joining `a` by `g − w` and of joining `t` by `w − g`, and its
    /// gain of staying only if `v` is in `a` (by `g − w`) or in `t` (never offered). So the
    /// margin falls by at most `max(w, g)` for `v` outside `a`, and `2·max(w, g)` for `v` in
    /// `a` or in the batch (whose community may have changed since the freeze); see
    /// `requeue_candidates`.
    fn offer_costs<W: Copy + Into<f64>>(
        &self,
        i: u32,
        kept: &[u32],
        (row, ws, comms): (&[u32], &[W], &[u32]),
        weights: &NodeWeights,
        cost: &mut [f64],
    ) {
        let (pi, qi) = (weights.p(i as usize), weights.q(i as usize));
        let a = self.comm[i as usize];
        let mut k = 0;
        for ((&v, &w), &c) in row.iter().zip(ws).zip(comms) {
            if k == kept.len() {
                break;
            }
            if v != kept[k] {
                continue;
            }
            let w: f64 = w.into();
            let g = self.gamma * (weights.p(v as usize) * qi + weights.q(v as usize) * pi);
            let twice = c == a || self.in_batch.get(v as usize);
            let times = if twice { 2.0 } else { 1.0 };
            cost[k] = times * w.max(g) * (1.0 + SETTLED_MARGIN);
            k += 1;
        }
    }
}

/// Rows up to this degree accumulate in a small open-addressing table that stays in L1;
/// longer rows use the dense per-thread array.
pub const SMALL_ROW: usize = 128;
/// Slots of the small table (a power of two, at least twice [`SMALL_ROW`]).
pub(crate) const TABLE_SLOTS: usize = 256;
/// `log2(TABLE_SLOTS)`; slot indices fit in a byte.
const TABLE_BITS: u32 = 8;
const FREE: u32 = u32::MAX;

/// The small per-thread table: keys (communities, [`FREE`] when unused) and values.
#[derive(Debug)]
pub(crate) struct SmallTable {
    keys: Vec<u32>,
    vals: Vec<f64>,
    used: Vec<u8>,
}

impl Default for SmallTable {
    fn default() -> Self {
        SmallTable {
            keys: vec![FREE; TABLE_SLOTS],
            vals: vec![0.0; TABLE_SLOTS],
            used: Vec::with_capacity(SMALL_ROW),
        }
    }
}

/// Sums the weights of a short row by community with the small table, appending to `pairs`.
#[inline]
fn small_table_weights<W: Copy + Into<f64>>(
    targets: &[u32],
    ws: &[W],
    i: usize,
    comms: &[u32],
    table: &mut SmallTable,
    pairs: &mut Vec<(u32, f64)>,
) {
    for ((&v, &w), &c) in targets.iter().zip(ws).zip(comms) {
        let w: f64 = w.into();
        if v as usize == i || w <= 0.0 {
            continue;
        }
        let mut h = (c.wrapping_mul(0x9E37_79B1) >> (32 - TABLE_BITS)) as usize;
        loop {
            let key = table.keys[h];
            if key == c {
                table.vals[h] += w;
                break;
            }
            if key == FREE {
                table.keys[h] = c;
                table.vals[h] = w;
                table.used.push(h as u8);
                break;
            }
            h = (h + 1) & (TABLE_SLOTS - 1);
        }
    }
    for &h in &table.used {
        let h = h as usize;
        pairs.push((table.keys[h], table.vals[h]));
        table.keys[h] = FREE;
    }
    table.used.clear();
}

/// Sums the weights of a long row by community with the dense accumulator (left zeroed),
/// appending to `pairs` in order of first appearance.
///
/// Every entry writes its community into the next free pair and advances the end only when the
/// community is new: no branch on data, which matters on the long rows of upper levels where a
/// new community and a repeated one alternate unpredictably.
#[inline]
fn dense_weights<W: Copy + Into<f64>>(
    targets: &[u32],
    ws: &[W],
    i: usize,
    comms: &[u32],
    acc: &mut [f64],
    pairs: &mut Vec<(u32, f64)>,
) {
    let first = pairs.len();
    pairs.resize(first + targets.len(), (0, 0.0));
    let mut end = first;
    for ((&v, &w), &c) in targets.iter().zip(ws).zip(comms) {
        let w: f64 = w.into();
        if v as usize == i || w <= 0.0 {
            continue;
        }
        let slot = &mut acc[c as usize];
        pairs[end].0 = c;
        end += usize::from(*slot == 0.0);
        *slot += w;
    }
    pairs.truncate(end);
    for pair in pairs[first..].iter_mut() {
        pair.1 = acc[pair.0 as usize];
        acc[pair.0 as usize] = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::quality::{cpm_of_labels, modularity_of_labels};
    use contextivity_graph::{EdgeList, UndirectedGraph};
    use proptest::prelude::*;

    fn params(gamma: f64) -> Params {
        Params {
            gamma,
            theta: 0.01,
            move_tolerance: 1e-9,
            refine: true,
            max_levels: 8,
            seed: 1,
        }
    }

    proptest! {
        /// Local moving only applies improving moves, whatever the start, under the plain
        /// rule (level 0) and the margin rule (upper levels).
        #[test]
        fn local_moving_never_lowers_quality(
            edges in proptest::collection::vec((0u32..300, 0u32..300, 1u32..4), 1..1500),
            start in proptest::collection::vec(0u32..300, 300),
            cpm in any::<bool>(),
            level in 0u32..2,
        ) {
            let mut list = EdgeList::new();
            for &(u, v, w) in &edges {
                list.push(u, v, w as f32);
            }
            let g = UndirectedGraph::from_edges(300, &list).unwrap();
            let two_m = g.total_weight();
            prop_assume!(two_m > 0.0);
            let (weights, gamma) = if cpm {
                (vec![1.0; 300], 0.1 / 2.0)
            } else {
                (g.strengths().to_vec(), 1.0 / (2.0 * two_m))
            };
            let weights = NodeWeights { p: weights, q: None };
            let quality = |labels: &[u32]| if cpm {
                cpm_of_labels(g.csr(), labels, 300, 0.1)
            } else {
                modularity_of_labels(g.csr(), g.strengths(), labels, 300, 1.0)
            };
            let mut comm = start.clone();
            let before = quality(&comm);
            let pool = ScratchPool::new();
            let moves =
                local_moving(g.csr(), &weights, &mut comm, &params(gamma), 0, level, &pool);
            let after = quality(&comm);
            prop_assert!(after >= before - 1e-9, "{} -> {} after {} moves", before, after, moves);
            prop_assert!(moves == 0 || after > before - 1e-9);
        }
    }

    /// A graph on `n` nodes from `pairs` random pairs, each kept when `keep` says so, with
    /// weights `1..=heaviest`; and the generator, to draw more from.
    fn random_graph(
        n: usize,
        pairs: usize,
        seed: u64,
        heaviest: u64,
        mut keep: impl FnMut(u32, u32, &mut contextivity_graph::Rng) -> bool,
    ) -> (UndirectedGraph, contextivity_graph::Rng) {
        let mut rng = contextivity_graph::Rng::derive(seed, 0, 0);
        let mut list = EdgeList::new();
        for _ in 0..pairs {
            let (u, v) = (rng.below(n as u64) as u32, rng.below(n as u64) as u32);
            if keep(u, v, &mut rng) {
                list.push(u, v, 1.0 + rng.below(heaviest) as f32);
            }
        }
        (UndirectedGraph::from_edges(n, &list).unwrap(), rng)
    }

    /// The frozen state of `comm` with nobody batched or queued (`none` is an empty set).
    fn frozen_alone<'a>(
        comm: &'a [u32],
        totals: &'a Totals,
        none: &'a BitSet,
        gamma: f64,
        costs: bool,
    ) -> Frozen<'a> {
        Frozen {
            comm,
            totals,
            in_batch: none,
            in_queue: none,
            gamma,
            costs,
        }
    }

    /// The margin of node `v` under `comm`: how much more staying gains than its best move
    /// (to any community, or to an empty one unless `v` is alone), by brute force.
    fn margin_of(
        g: &UndirectedGraph,
        weights: &NodeWeights,
        comm: &[u32],
        gamma: f64,
        v: usize,
    ) -> f64 {
        let totals = Totals::new(weights, comm);
        let mut k: std::collections::BTreeMap<u32, f64> = Default::default();
        let (targets, ws) = g.csr().row(v);
        for (&u, &w) in targets.iter().zip(ws) {
            if u as usize != v {
                *k.entry(comm[u as usize]).or_default() += w as f64;
            }
        }
        let (pv, qv) = (weights.p(v), weights.q(v));
        let a = comm[v] as usize;
        let stay = k.get(&(a as u32)).copied().unwrap_or(0.0)
            - gamma * (pv * (totals.q(a) - qv) + qv * (totals.p[a] - pv));
        let mut best = if totals.size[a] > 1 {
            0.0
        } else {
            f64::NEG_INFINITY
        };
        for c in 0..comm.len() {
            if c != a && totals.size[c] > 0 {
                let k_c = k.get(&(c as u32)).copied().unwrap_or(0.0);
                best = best.max(k_c - gamma * (pv * totals.q(c) + qv * totals.p[c]));
            }
        }
        stay - best
    }

    /// What a move takes from each offered neighbour's margin, computed by brute force before
    /// and after the move, never exceeds the cost the margin rule charges for it, with
    /// undirected and with directed node weights.
    #[test]
    fn offer_costs_bound_the_fall_of_margins() {
        let n = 120usize;
        let (g, mut rng) = random_graph(n, 900, 23, 5, |_, _, _| true);
        // Undirected modularity (q = p), and the directed null model's split of each
        // strength into out- and in-weights.
        let undirected = NodeWeights {
            p: g.strengths().to_vec(),
            q: None,
        };
        let out_share: Vec<f64> = (0..n).map(|_| rng.next_f64()).collect();
        let directed = NodeWeights {
            p: (0..n).map(|v| g.strengths()[v] * out_share[v]).collect(),
            q: Some(
                (0..n)
                    .map(|v| g.strengths()[v] * (1.0 - out_share[v]))
                    .collect(),
            ),
        };
        let none = BitSet::empty(n);
        let mut charged = 0;
        for round in 0..200 {
            let weights = if round % 2 == 0 {
                &undirected
            } else {
                &directed
            };
            let gamma = [0.5, 1.0, 3.0][round % 3] / g.total_weight();
            let comm: Vec<u32> = (0..n).map(|_| rng.below(8) as u32).collect();
            let i = rng.below(n as u64) as usize;
            let t = (comm[i] + 1 + rng.below(7) as u32) % 8;
            let totals = Totals::new(weights, &comm);
            let frozen = frozen_alone(&comm, &totals, &none, gamma, true);
            let (row, ws) = g.csr().row(i);
            let comms: Vec<u32> = row.iter().map(|&v| comm[v as usize]).collect();
            let mut piece = vec![0u32; row.len()];
            let kept = frozen.offer(i as u32, t, row, &comms, &mut piece) as usize;
            let mut cost = vec![0.0; row.len()];
            frozen.offer_costs(
                i as u32,
                &piece[..kept],
                (row, ws, &comms),
                weights,
                &mut cost,
            );
            let mut after = comm.clone();
            after[i] = t;
            for (&v, &c) in piece[..kept].iter().zip(&cost) {
                let was = margin_of(&g, weights, &comm, gamma, v as usize);
                let now = margin_of(&g, weights, &after, gamma, v as usize);
                assert!(
                    was - now <= c + 1e-12,
                    "round {round}: moving {i} to {t} took {} from {v}'s margin, charged {c}",
                    was - now
                );
                charged += 1;
            }
        }
        assert!(charged > 500, "only {charged} offers checked");
    }

    /// A proposal's margin never exceeds the true margin of the community it proposes: of
    /// staying for a node that stays, of its new community after the move for one that moves.
    #[test]
    fn proposal_margins_are_lower_bounds() {
        let n = 150usize;
        // Six planted groups: every pair inside a group, a third of the others.
        let (g, mut rng) = random_graph(n, 1200, 29, 3, |u, v, rng| {
            u % 6 == v % 6 || rng.below(3) == 0
        });
        let weights = NodeWeights {
            p: g.strengths().to_vec(),
            q: None,
        };
        let gamma = 1.0 / g.total_weight();
        let none = BitSet::empty(n);
        let pool = ScratchPool::new();
        let (mut stayed, mut moved) = (0, 0);
        for round in 0..20 {
            // From random labels towards the planted groups: both moves and stays.
            let comm: Vec<u32> = (0..n)
                .map(|v| {
                    if rng.below(10) < round / 2 {
                        v as u32 % 6
                    } else {
                        rng.below(6) as u32
                    }
                })
                .collect();
            let totals = Totals::new(&weights, &comm);
            let frozen = frozen_alone(&comm, &totals, &none, gamma, false);
            let nodes: Vec<u32> = (0..n as u32).collect();
            let mut out = vec![Proposal::default(); n];
            let entries: usize = (0..n).map(|v| g.csr().row(v).0.len()).sum();
            let mut offers = vec![0u32; entries];
            pool.with(n, |s| {
                frozen.propose_chunk(
                    g.csr(),
                    &weights,
                    &nodes,
                    &mut out,
                    (&mut offers, &mut []),
                    s,
                )
            });
            for (v, pr) in out.iter().enumerate() {
                if pr.target == EMPTY {
                    continue;
                }
                let mut after = comm.clone();
                after[v] = pr.target;
                let truth = margin_of(&g, &weights, &after, gamma, v);
                assert!(
                    pr.margin <= truth + 1e-12,
                    "round {round}: node {v} to {}: margin {} > {truth}",
                    pr.target,
                    pr.margin
                );
                if pr.target == comm[v] {
                    stayed += 1;
                } else {
                    moved += 1;
                }
            }
        }
        assert!(stayed > 100 && moved > 100, "{stayed} stays, {moved} moves");
    }

    /// Long rows and small batches: proposals run in parallel chunks of a few nodes, and the
    /// result is the same as on one thread.
    #[test]
    fn dense_levels_propose_in_parallel_identically() {
        let (groups, size) = (8u32, 200u32);
        let n = (groups * size) as usize;
        let mut rng = contextivity_graph::Rng::derive(7, 0, 0);
        let mut list = EdgeList::new();
        for u in 0..n as u32 {
            for v in u + 1..n as u32 {
                let p = if u / size == v / size { 0.6 } else { 0.2 };
                if rng.next_f64() < p {
                    list.push(u, v, 1.0);
                }
            }
        }
        let g = UndirectedGraph::from_edges(n, &list).unwrap();
        let work: usize = (0..batch_size(n)).map(|u| g.csr().row(u).0.len()).sum();
        assert!(
            work >= PARALLEL_MIN_WORK,
            "the batches must be proposed in parallel"
        );
        let weights = NodeWeights {
            p: g.strengths().to_vec(),
            q: None,
        };
        let gamma = 1.0 / (2.0 * g.total_weight());
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    let pool = ScratchPool::new();
                    let mut comm: Vec<u32> = (0..n as u32).collect();
                    let moves =
                        local_moving(g.csr(), &weights, &mut comm, &params(gamma), 0, 0, &pool);
                    (moves, comm)
                })
        };
        let one = run(1);
        assert!(one.0 > 0);
        assert_eq!(one, run(2));
        assert_eq!(one, run(4));
    }

    /// The offers listed by the proposals, checked again by the requeue, are exactly the
    /// neighbours a one-by-one apply would have offered (leaving out nodes queued before the
    /// batch), in the same order.
    #[test]
    fn requeue_matches_queueing_move_by_move() {
        let n = 3000usize;
        let mut rng = contextivity_graph::Rng::derive(11, 0, 0);
        let mut list = EdgeList::new();
        for _ in 0..60_000 {
            let (u, v) = (rng.below(n as u64) as u32, rng.below(n as u64) as u32);
            list.push(u, v, 1.0);
        }
        let g = UndirectedGraph::from_edges(n, &list).unwrap();
        let weights = NodeWeights {
            p: g.strengths().to_vec(),
            q: None,
        };
        for round in 0..20u64 {
            let mut comm: Vec<u32> = (0..n).map(|_| rng.below(40) as u32).collect();
            let frozen_comm = comm.clone();
            let totals = Totals::new(&weights, &comm);
            let mut nodes: Vec<u32> = (0..n as u32).collect();
            rng.shuffle(&mut nodes);
            let batch = &nodes[..1500];
            let mut in_batch = BitSet::empty(n);
            let mut queued = BitSet::empty(n);
            for v in 0..n {
                if rng.below(4) == 0 {
                    queued.set(v);
                }
            }
            let mut batch_pos = vec![0u32; n];
            let mut before = Vec::new();
            let mut move_rank = vec![NOT_MOVED; batch.len()];
            for (j, &i) in batch.iter().enumerate() {
                in_batch.set(i as usize);
                batch_pos[i as usize] = j as u32;
                before.push(comm[i as usize]);
            }
            // Apply some moves one by one, queueing as the sequential algorithm did, and list
            // each move's offers against the frozen state as its proposal would have.
            let frozen = Frozen {
                comm: &frozen_comm,
                totals: &totals,
                in_batch: &in_batch,
                in_queue: &queued,
                gamma: 1.0,
                costs: false,
            };
            let mut moved = Vec::new();
            let mut offers: Vec<Vec<u32>> = vec![Vec::new(); batch.len()];
            let mut expected = Vec::new();
            for (j, &i) in batch.iter().enumerate() {
                if rng.below(3) == 0 {
                    continue;
                }
                let t = rng.below(40) as u32;
                let row = g.csr().row(i as usize).0;
                let comms: Vec<u32> = row.iter().map(|&v| frozen_comm[v as usize]).collect();
                let mut piece = vec![0u32; row.len()];
                let k = frozen.offer(i, t, row, &comms, &mut piece) as usize;
                offers[j] = piece[..k].to_vec();
                comm[i as usize] = t;
                move_rank[j] = moved.len() as u32;
                moved.push((i, t, j as u32));
                for &v in row {
                    if v != i && comm[v as usize] != t && !queued.get(v as usize) {
                        expected.push(v);
                    }
                }
            }
            let lookup = BatchLookup {
                in_batch: &in_batch,
                batch_pos: &batch_pos,
                before: &before,
                move_rank: &move_rank,
            };
            let got = requeue_candidates(&comm, &moved, &lookup, |j| offers[j].as_slice(), None);
            assert!(expected.len() > 1000, "round {round} offers too little");
            assert_eq!(got, expected, "round {round}");
        }
    }

    /// A node judged settled from its inside and outside weights alone has no community, nor
    /// the empty one, that a full evaluation of every neighbouring community would prefer; and
    /// on a partition close to the planted one most nodes are settled.
    #[test]
    fn settled_nodes_have_no_better_move() {
        let (groups, size) = (20u32, 50u32);
        let n = (groups * size) as usize;
        let mut rng = contextivity_graph::Rng::derive(5, 0, 0);
        let mut list = EdgeList::new();
        for _ in 0..20_000 {
            let u = rng.below(n as u64) as u32;
            let v = if rng.below(10) < 7 {
                (u / size) * size + rng.below(size as u64) as u32
            } else {
                rng.below(n as u64) as u32
            };
            list.push(u, v, 1.0 + rng.below(3) as f32);
        }
        let g = UndirectedGraph::from_edges(n, &list).unwrap();
        let weights = NodeWeights {
            p: g.strengths().to_vec(),
            q: None,
        };
        let in_batch = BitSet::empty(n);
        let in_queue = BitSet::empty(n);
        let (mut settled, mut checked) = (0, 0);
        // Few communities put a node's outside weight in one or two of them, where the bound
        // is tight, the more so when nodes are placed at random (inside and outside weights
        // then differ little) and γ is small (the totals then weigh little); the planted
        // groups put it in many.
        let cases = [
            (2, 1.0, 5),
            (2, 1.0, 1),
            (2, 0.01, 1),
            (3, 0.5, 1),
            (groups, 1.0, 5),
            (groups, 3.0, 5),
        ];
        for (parts, gamma_scale, one_in) in cases {
            // Planted groups, merged into `parts` communities, one node in `one_in` placed at
            // random.
            let comm: Vec<u32> = (0..n as u32)
                .map(|v| {
                    if rng.below(one_in) == 0 {
                        rng.below(parts as u64) as u32
                    } else {
                        (v / size) % parts
                    }
                })
                .collect();
            let totals = Totals::new(&weights, &comm);
            let gamma = gamma_scale / (2.0 * g.total_weight());
            let frozen = Frozen {
                comm: &comm,
                totals: &totals,
                in_batch: &in_batch,
                in_queue: &in_queue,
                gamma,
                costs: false,
            };
            for i in 0..n {
                let a = comm[i];
                let (targets, ws) = g.csr().row(i);
                let (mut k_in, mut k_out) = (0.0f64, 0.0f64);
                let mut by_comm = std::collections::BTreeMap::new();
                for (&v, &w) in targets.iter().zip(ws) {
                    if v as usize == i {
                        continue;
                    }
                    let c = comm[v as usize];
                    if c == a {
                        k_in += w as f64;
                    } else {
                        k_out += w as f64;
                    }
                    *by_comm.entry(c).or_insert(0.0f64) += w as f64;
                }
                checked += 1;
                let margin = frozen.settled_margin(i, a as usize, k_in, k_out, &weights);
                if margin <= 0.0 {
                    continue;
                }
                settled += 1;
                let (pi, qi) = (weights.p(i), weights.q(i));
                let stay = k_in
                    - gamma * (pi * (totals.q(a as usize) - qi) + qi * (totals.p[a as usize] - pi));
                assert!(stay > 0.0, "node {i}: the empty community would win");
                for (&c, &k_c) in &by_comm {
                    if c == a {
                        continue;
                    }
                    let g_c = k_c - gamma * (pi * totals.q(c as usize) + qi * totals.p[c as usize]);
                    assert!(g_c < stay, "node {i}: community {c} gains {g_c} > {stay}");
                    assert!(
                        stay - g_c >= margin,
                        "node {i}: community {c} is within {} < margin {margin}",
                        stay - g_c
                    );
                }
            }
        }
        assert!(settled * 3 > checked, "{settled} of {checked} settled");
        assert!(settled < checked, "misplaced nodes must not be settled");
    }

    #[test]
    fn batch_size_depends_on_n_only() {
        assert_eq!(batch_size(0), 1);
        assert_eq!(batch_size(34), 1);
        assert_eq!(batch_size(6400), 100);
        assert_eq!(batch_size(10_000_000), MAX_BATCH);
    }
}
