//! Topic-aware clustering weights: ties between people who talk about the same things count
//! more, and people who talk alike may be linked even without a tie.
//!
//! **Blending.** Every edge `{u, v}` of the structural view keeps its weight `w`, scaled by how
//! alike the two people's [TF-IDF vectors](crate::tfidf) are:
//!
//! ```text
//! w'(u, v) = w(u, v) · ((1 − W) + W · cos(u, v))          W = topic weight ∈ [0, 1]
//! ```
//!
//! `W = 0` gives back the input graph bit for bit; `W = 1` weighs each tie by similarity
//! alone (a tie between people with nothing in common vanishes); in between, a tie keeps at
//! least the share `1 − W` of its weight. This is the edge-weighting route to attributed
//! community detection — ties inside a topic are reinforced, ties across topics weakened —
//! that models such as CESNA (Yang, McAuley & Leskovec, ICDM 2013) formalise jointly.
//!
//! **People without a vector** (no text, no attribute, or every term pruned) have no topical
//! evidence. [`MissingVector::Neutral`] (the default) leaves their ties as they are (factor 1);
//! [`MissingVector::Zero`] reads their cosine as 0 (factor `1 − W`). On the SNAP Facebook ego
//! networks the two differ only for the few people without features (see the crate's
//! `ego_circles` example); neutral never lets missing data cut a tie.
//!
//! **Topical neighbours.** [`knn_edges`] links each person to the `k` people most similar to
//! them (exact cosine over the candidates, ties broken by smaller id), as weak edges of weight
//! `knn_weight · cos(u, v)`; in [`blend_with`] `knn_weight` is in units of the blended graph's
//! mean edge weight, so the same setting suits friendship lists (weight 1) and interaction
//! graphs (replies weigh 3). The union is symmetric (an edge once, whichever side chose it).
//! A candidate must share at least `min_shared` terms ([`DEFAULT_KNN_MIN_SHARED`] = 3): one
//! shared term — the same blog directory, the same gender — is weak evidence of a shared
//! context, and linking everyone who shares it adds many ties across contexts.
//! Candidates come from an inverted index over terms, bounded twice so that the search stays
//! linear in the number of people: each term keeps only the `max_postings` people who weigh
//! it most ([`DEFAULT_MAX_POSTINGS`] = 300), and each person scans its terms heaviest first
//! (the rarest, most telling ones) until `knn_budget` postings are read ([`DEFAULT_KNN_BUDGET`]
//! = 1,024). Shared terms are counted over the scanned terms; the candidates are ranked by the
//! partial dot product, and the chosen edges weighed by the exact cosine. The search is thus
//! approximate on large exports (it misses neighbours who share only very common terms) and
//! exact on small ones; on the SNAP egos the limits change no score (see the constants).
//!
//! **Defaults**, measured with the crate's `ego_circles` example (Leiden, modularity γ = 1,
//! mean average F1 over the 10 SNAP Facebook egos and 3 seeds, McAuley & Leskovec's protocol):
//! structure only 0.380; `W = 0.5` alone 0.388; `W = 0.5` with 10 neighbours sharing ≥ 3
//! terms ([`DEFAULT_TOPIC_WEIGHT`], [`DEFAULT_KNN`], [`DEFAULT_KNN_WEIGHT`]) 0.408, the same
//! with the search limits ([`DEFAULT_MAX_POSTINGS`], [`DEFAULT_KNN_BUDGET`]) as without.
//! Neighbours sharing any one term score higher there (0.428) but hurt polblogs, whose only
//! terms are blog directories (NMI 0.37 → 0.21); with three shared terms polblogs is unchanged
//! and polbooks gains. `W = 1` is worse everywhere (0.345 on the egos): structure matters.
//!
//! Cost of [`blend`]: `O(Σ_{u<v edge} |x(v)| + m)` — one scatter of `x(u)` per row (a bitset over
//! the vocabulary and the weights, behind a small filter), a bit test per term of each upper
//! neighbour, all in place in the graph's own weights, then [`UndirectedGraph::into_reweighted`]
//! copies each upper weight to its mirror (rows in order, a cursor per row, no search, no
//! symmetry check); rows in parallel blocks, deterministic. [`blend_into`] allocates nothing
//! of the graph's size; [`blend`] and [`blend_with`] first copy the graph they borrow.
//!
//! Cost of [`knn_edges`]: `O(entries log df + n · (knn_budget + |x| log |x|) + n k log(n k))`:
//! the index, the bounded scan per person, and sorting the chosen pairs. The scan
//! tallies the people it meets in a small hash table that stays in cache (not an array of one slot
//! per person), and does not start a tally for someone met only in the last `min_shared − 1` lists
//! it reads, who could not share enough terms. Both passes read the rows of people in no
//! cache-friendly order (neighbours, postings); they prefetch them a few steps ahead. None of this
//! changes a result: the same sums in the same order, to the bit.

use std::sync::Mutex;

use contextivity_graph::{Csr, EdgeList, UndirectedGraph};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{check, TopicsError};
use crate::extract::same_people;
use crate::tfidf::{prefetch, Scatter, TermVectors, PREFETCH_AHEAD};

/// Default topic weight `W`.
pub const DEFAULT_TOPIC_WEIGHT: f64 = 0.5;
/// Default number of topical neighbours per person (0: no extra edges).
pub const DEFAULT_KNN: usize = 10;
/// Default weight of a topical-neighbour edge per unit of cosine, in units of the graph's mean
/// edge weight.
pub const DEFAULT_KNN_WEIGHT: f32 = 0.25;
/// Default number of terms two people must share to become topical neighbours.
pub const DEFAULT_KNN_MIN_SHARED: u16 = 3;
/// Default number of people kept per term for the neighbour search: those who use the term
/// most (highest weight). On the SNAP Facebook egos (document frequencies up to 0.5 · 1,045 after
/// pruning) it leaves the mean average F1 of the defaults at 0.408 (unlimited: 0.408; 200:
/// 0.4075; 100 with a budget of 512: 0.403); on large exports it bounds the index and the work.
pub const DEFAULT_MAX_POSTINGS: usize = 300;
/// Default number of postings scanned per person in the neighbour search, heaviest terms
/// first: the bound on the work per person (see the module docs).
pub const DEFAULT_KNN_BUDGET: usize = 1024;

/// Rows per parallel task at least: each task allocates a dense scratch array (one slot per term
/// or per person), which must be amortised over many rows.
const SCRATCH_ROWS: usize = 1024;

/// How a tie is blended when one of its people has no vector.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingVector {
    /// Keep the tie's weight (no topical evidence either way).
    #[default]
    Neutral,
    /// Read the similarity as 0: the tie keeps the share `1 − W`.
    Zero,
}

/// The parameters of the topic-aware view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BlendConfig {
    /// Topic weight `W` in `[0, 1]`.
    pub topic_weight: f64,
    /// What a missing vector means.
    pub missing: MissingVector,
    /// Topical neighbours per person added as weak edges (0: none).
    pub knn: usize,
    /// Weight of a neighbour edge per unit of cosine, in units of the blended graph's mean edge
    /// weight (≥ 0).
    pub knn_weight: f32,
    /// Terms two people must share to become neighbours (≥ 1).
    pub knn_min_shared: u16,
    /// People kept per term in the neighbour search, those with the highest weight (≥ 1).
    pub max_postings: usize,
    /// Postings scanned per person in the neighbour search, heaviest terms first (≥ 1).
    pub knn_budget: usize,
}

impl Default for BlendConfig {
    fn default() -> Self {
        BlendConfig {
            topic_weight: DEFAULT_TOPIC_WEIGHT,
            missing: MissingVector::default(),
            knn: DEFAULT_KNN,
            knn_weight: DEFAULT_KNN_WEIGHT,
            knn_min_shared: DEFAULT_KNN_MIN_SHARED,
            max_postings: DEFAULT_MAX_POSTINGS,
            knn_budget: DEFAULT_KNN_BUDGET,
        }
    }
}

impl BlendConfig {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), TopicsError> {
        check(
            "topic_weight",
            self.topic_weight,
            (0.0..=1.0).contains(&self.topic_weight),
            "a weight in [0, 1]",
        )?;
        check(
            "knn_weight",
            self.knn_weight as f64,
            self.knn_weight.is_finite() && self.knn_weight >= 0.0,
            "a finite weight >= 0",
        )?;
        check(
            "knn_min_shared",
            self.knn_min_shared as f64,
            self.knn_min_shared >= 1,
            "at least 1",
        )?;
        check(
            "max_postings",
            self.max_postings as f64,
            self.max_postings >= 1,
            "at least 1",
        )?;
        check(
            "knn_budget",
            self.knn_budget as f64,
            self.knn_budget >= 1,
            "at least 1",
        )
    }
}

/// Blends `graph`'s weights with topical similarity, `W = topic_weight`, people without a
/// vector neutral, no neighbour edges (see the module documentation): the same ties with new
/// weights. Fails if `topic_weight ∉ [0, 1]` or the vectors describe a different number of
/// people.
pub fn blend(
    graph: &UndirectedGraph,
    vectors: &TermVectors,
    topic_weight: f64,
) -> Result<UndirectedGraph, TopicsError> {
    let config = BlendConfig {
        topic_weight,
        knn: 0,
        ..BlendConfig::default()
    };
    blend_with(graph, vectors, &config)
}

/// The topic-aware view: [`blend`] with every option — the missing-vector policy and topical
/// neighbours. `blend_with(graph, vectors, &BlendConfig::default())` is the recommended view.
/// It blends a copy of `graph`; [`blend_into`] blends a graph the caller no longer needs,
/// without copying it.
pub fn blend_with(
    graph: &UndirectedGraph,
    vectors: &TermVectors,
    config: &BlendConfig,
) -> Result<UndirectedGraph, TopicsError> {
    config.validate()?;
    same_people("term vectors", graph.node_count(), vectors.person_count())?;
    blend_into(graph.clone(), vectors, config)
}

/// [`blend_with`] on a graph the caller gives up: its weights are blended in place
/// ([`UndirectedGraph::into_reweighted`]), so no array of the graph's size is allocated or
/// copied (the command line blends the view it is about to cluster this way). The same result,
/// to the bit.
pub fn blend_into(
    graph: UndirectedGraph,
    vectors: &TermVectors,
    config: &BlendConfig,
) -> Result<UndirectedGraph, TopicsError> {
    config.validate()?;
    let n = graph.node_count();
    same_people("term vectors", n, vectors.person_count())?;
    // New upper weights, mirrored to the lower entries. That fails only on a weight that is
    // not finite and non-negative, which valid weights times a factor in [0, 1] never give.
    let blended = graph
        .into_reweighted(|csr, weights| blend_upper_weights(csr, vectors, config, weights))
        .map_err(|_| TopicsError::PeopleMismatch {
            what: "blended graph",
            expected: n,
            found: n,
        })?;
    if config.knn == 0 {
        return Ok(blended);
    }
    with_neighbours(&blended, vectors, config, |edges| edges)
}

/// `blended` plus the topical neighbour edges of `config` that `keep` lets through, each of
/// weight `knn_weight · mean · cos` (`mean` = the mean entry weight of `blended`, so that
/// neighbours stay weak next to real ties whatever the weight scale).
pub(crate) fn with_neighbours(
    blended: &UndirectedGraph,
    vectors: &TermVectors,
    config: &BlendConfig,
    keep: impl FnOnce(EdgeList) -> EdgeList,
) -> Result<UndirectedGraph, TopicsError> {
    let b = blended.csr();
    let n = b.node_count();
    let mean = if b.entry_count() > 0 {
        blended.total_weight() / b.entry_count() as f64
    } else {
        1.0
    };
    let mut edges = keep(knn_edges_with(
        vectors,
        config,
        (config.knn_weight as f64 * mean) as f32,
    ));
    for u in 0..n {
        for (&v, &w) in b.neighbors(u).iter().zip(b.row_weights(u)) {
            if (u as u32) < v {
                edges.push(u as u32, v, w);
            }
        }
    }
    UndirectedGraph::from_edges(n, &edges).map_err(|_| TopicsError::PeopleMismatch {
        what: "topical neighbours",
        expected: n,
        found: vectors.person_count(),
    })
}

/// Splits rows `0..n` of a CSR with `offsets` into blocks of about `rows` rows and the matching
/// disjoint slices of `out` (one slot per entry), and runs `f` on every block in parallel with
/// a scratch from `scratch`. A scratch is made once per thread of the pool, not per block, and
/// serves the blocks that thread runs one after the other: a dense scratch array of one slot
/// per term is then cleared by its user rather than allocated again (fresh pages cost a fault
/// each). `f` must leave its scratch as it found it; what it computes does not depend on which
/// scratch it gets.
fn for_row_blocks<T: Send, S: Send>(
    offsets: &[u64],
    rows: usize,
    out: &mut [T],
    scratch: impl Fn() -> S,
    f: impl Fn(&mut S, std::ops::Range<usize>, &mut [T]) + Sync,
) {
    let n = offsets.len().saturating_sub(1);
    let mut jobs = Vec::with_capacity(n.div_ceil(rows.max(1)));
    let mut rest = out;
    for start in (0..n).step_by(rows.max(1)) {
        let end = (start + rows).min(n);
        let len = (offsets[end] - offsets[start]) as usize;
        let (mine, tail) = std::mem::take(&mut rest).split_at_mut(len);
        rest = tail;
        jobs.push((start..end, mine));
    }
    // One scratch per thread of the pool, taken by the thread running a block (never
    // contended: a thread runs one block at a time).
    let scratches: Vec<Mutex<S>> = (0..rayon::current_num_threads().max(1))
        .map(|_| Mutex::new(scratch()))
        .collect();
    jobs.into_par_iter().for_each(|(range, slice)| {
        let at = rayon::current_thread_index().unwrap_or(0) % scratches.len();
        let mut s = scratches[at]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut s, range, slice);
    });
}

/// Rows per block of the parallel passes: many blocks per thread for balance, each large enough
/// to amortise a scratch array of one slot per term or per person.
fn block_rows(n: usize) -> usize {
    n.div_ceil(16 * rayon::current_num_threads().max(1))
        .max(SCRATCH_ROWS)
}

/// Blends, in place, the weight of every upper entry of `csr` (`u → v`, `u < v`) in
/// `weights` (one per entry, in entry order); the other entries keep theirs (the lower ones are
/// then mirrored by [`UndirectedGraph::into_reweighted`]).
fn blend_upper_weights(
    csr: &Csr,
    vectors: &TermVectors,
    config: &BlendConfig,
    weights: &mut [f32],
) {
    let n = csr.node_count();
    let w_topic = config.topic_weight;
    let keep = 1.0 - w_topic;
    let factor = |cos: Option<f64>| match (cos, config.missing) {
        (Some(c), _) => keep + w_topic * c,
        (None, MissingVector::Neutral) => 1.0,
        (None, MissingVector::Zero) => keep,
    };
    let offsets = csr.offsets();
    let scatter = || Scatter::new(vectors.dimension());
    for_row_blocks(offsets, block_rows(n), weights, scatter, |xu, rows, out| {
        let base = offsets[rows.start] as usize;
        // The people whose rows the dot products below read, in order: the upper neighbours of
        // the rows with a vector. Their rows are prefetched a few dot products ahead, which
        // changes no result.
        let mut ahead: Vec<u32> = Vec::new();
        for u in rows.clone() {
            if vectors.has_vector(u) {
                let row = csr.neighbors(u);
                ahead.extend_from_slice(&row[row.partition_point(|&v| v as usize <= u)..]);
            }
        }
        let mut next = 0;
        for u in rows {
            let row = csr.neighbors(u);
            let first = row.partition_point(|&v| v as usize <= u);
            let start = csr.row_range(u).start;
            let (upper, slots) = (
                &row[first..],
                &mut out[start + first - base..start + row.len() - base],
            );
            let (tu, wu) = vectors.row(u);
            if tu.is_empty() {
                if config.missing == MissingVector::Zero {
                    for slot in slots {
                        *slot = (*slot as f64 * keep) as f32;
                    }
                }
                continue; // neutral: every tie of u keeps its weight
            }
            xu.set(tu, wu);
            for (&v, slot) in upper.iter().zip(slots) {
                if let Some(&v) = ahead.get(next + 2 * PREFETCH_AHEAD) {
                    vectors.prefetch_offsets(v as usize);
                }
                if let Some(&v) = ahead.get(next + PREFETCH_AHEAD) {
                    vectors.prefetch_row(v as usize);
                }
                next += 1;
                let cos = vectors.has_vector(v as usize).then(|| {
                    let (tv, wv) = vectors.row(v as usize);
                    xu.dot(tv, wv).clamp(0.0, 1.0)
                });
                *slot = (*slot as f64 * factor(cos)) as f32;
            }
            xu.clear(tu);
        }
    });
}

/// Each person's `k` most similar people as weak edges of weight `weight · cos` (see the module
/// documentation), with the library's limits ([`DEFAULT_KNN_MIN_SHARED`],
/// [`DEFAULT_MAX_POSTINGS`], [`DEFAULT_KNN_BUDGET`]). Each undirected edge appears once,
/// `source < target`, sorted.
pub fn knn_edges(vectors: &TermVectors, k: usize, weight: f32) -> EdgeList {
    let config = BlendConfig {
        knn: k,
        ..BlendConfig::default()
    };
    knn_edges_with(vectors, &config, weight)
}

/// [`knn_edges`] with the limits of `config`: `config.knn` neighbours per person, candidates
/// sharing at least `knn_min_shared` of the scanned terms, at most `max_postings` people per
/// term and `knn_budget` postings per person. The weight of an edge is `weight · cos` (not
/// `config.knn_weight`, which [`blend_with`] scales by the graph's mean weight).
pub fn knn_edges_with(vectors: &TermVectors, config: &BlendConfig, weight: f32) -> EdgeList {
    let n = vectors.person_count();
    let k = config.knn;
    let mut edges = EdgeList::new();
    if k == 0 || n == 0 {
        return edges;
    }
    let index = InvertedIndex::new(vectors, config.max_postings.max(1));
    let budget = config.knn_budget.max(1);
    let min_shared = config.knn_min_shared;
    let blocks: Vec<std::ops::Range<usize>> = (0..n)
        .step_by(block_rows(n))
        .map(|s| s..(s + block_rows(n)).min(n))
        .collect();
    let mut pairs: Vec<(u32, u32)> = blocks
        .into_par_iter()
        .flat_map_iter(|rows| {
            let mut tally = Tally::new(budget.min(n));
            let mut order: Vec<u64> = Vec::new();
            let mut candidates: Vec<(f32, u32)> = Vec::new();
            let mut found: Vec<(u32, u32)> = Vec::new();
            for u in rows {
                let (tu, wu) = vectors.row(u);
                // Heaviest terms first (ties: smaller term, i.e. earlier in the sorted row),
                // until the budget is spent.
                order.clear();
                order.extend(
                    wu.iter()
                        .enumerate()
                        .map(|(i, &w)| (u64::from(!total_order_key(w)) << 32) | i as u64),
                );
                order.sort_unstable();
                // How many lists the scan reads: someone first met in one of the last
                // `min_shared − 1` of them cannot share `min_shared` terms, and is not counted.
                for &key in order.iter().take(16) {
                    index.prefetch_offsets(tu[key as u32 as usize]);
                }
                let mut lists = 0;
                let mut left = budget;
                for &key in &order {
                    if left == 0 {
                        break;
                    }
                    let take = index.postings(tu[key as u32 as usize]).len().min(left);
                    left -= take;
                    lists += usize::from(take > 0);
                }
                let open = lists.saturating_sub((min_shared as usize).saturating_sub(1));
                let mut left = budget;
                let mut read = 0;
                for (next, &key) in order.iter().enumerate() {
                    if left == 0 {
                        break;
                    }
                    let i = key as u32 as usize;
                    let (x, t) = (wu[i], tu[i]);
                    // The postings of the next terms: where they start, then the list.
                    if let Some(&ahead) = order.get(next + 2) {
                        index.prefetch_offsets(tu[ahead as u32 as usize]);
                    }
                    if let Some(&ahead) = order.get(next + 1) {
                        index.prefetch_postings(tu[ahead as u32 as usize], left);
                    }
                    let list = index.postings(t);
                    let take = list.len().min(left);
                    left -= take;
                    if take == 0 {
                        continue;
                    }
                    let list = &list[..take];
                    if read < open {
                        for p in list {
                            if p.person as usize != u {
                                tally.add(p.person, x * p.weight);
                            }
                        }
                    } else {
                        for p in list {
                            tally.bump(p.person, x * p.weight);
                        }
                    }
                    read += 1;
                }
                candidates.clear();
                candidates.extend(tally.drain(min_shared as u32));
                let by_score =
                    |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
                if candidates.len() > k {
                    candidates.select_nth_unstable_by(k - 1, by_score);
                    candidates.truncate(k);
                }
                let u = u as u32;
                found.extend(candidates.iter().map(|&(_, v)| (u.min(v), u.max(v))));
            }
            found
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    let weights = pair_cosines(vectors, &pairs, weight);
    for (&(u, v), &w) in pairs.iter().zip(&weights) {
        if w > 0.0 {
            edges.push(u, v, w);
        }
    }
    edges
}

/// `weight · cos(u, v)` of every pair of `pairs` (sorted by `u`), by a dense scatter of each
/// `x(u)` once for all its pairs; the same value, to the bit, as [`TermVectors::cosine`].
fn pair_cosines(vectors: &TermVectors, pairs: &[(u32, u32)], weight: f32) -> Vec<f32> {
    // Blocks of pairs cut at a change of `u`.
    let size = pairs
        .len()
        .div_ceil(16 * rayon::current_num_threads().max(1))
        .max(4096);
    let mut cuts = vec![0];
    let mut at = size;
    while at < pairs.len() {
        while at < pairs.len() && pairs[at].0 == pairs[at - 1].0 {
            at += 1;
        }
        cuts.push(at);
        at += size;
    }
    cuts.push(pairs.len());
    cuts.dedup();
    cuts.par_windows(2)
        .flat_map_iter(|w| {
            let mut xu = Scatter::new(vectors.dimension());
            let mut out = Vec::with_capacity(w[1] - w[0]);
            let mut current: Option<u32> = None;
            for (i, &(u, v)) in pairs.iter().enumerate().take(w[1]).skip(w[0]) {
                if let Some(&(_, ahead)) = pairs.get(i + 2 * PREFETCH_AHEAD) {
                    vectors.prefetch_offsets(ahead as usize);
                }
                if let Some(&(_, ahead)) = pairs.get(i + PREFETCH_AHEAD) {
                    vectors.prefetch_row(ahead as usize);
                }
                if current != Some(u) {
                    if let Some(c) = current {
                        xu.clear(vectors.row(c as usize).0);
                    }
                    let (tu, wu) = vectors.row(u as usize);
                    xu.set(tu, wu);
                    current = Some(u);
                }
                let (tv, wv) = vectors.row(v as usize);
                out.push((weight as f64 * xu.dot(tv, wv).clamp(0.0, 1.0)) as f32);
            }
            out
        })
        .collect()
}

/// A key whose unsigned order is [`f32::total_cmp`]'s order.
fn total_order_key(w: f32) -> u32 {
    let b = w.to_bits();
    if b >> 31 == 1 {
        !b
    } else {
        b | 1 << 31
    }
}

/// The people met in one person's scan of the postings, each with the partial dot product and
/// the number of scanned terms shared: an open-addressing table sized to the scan budget, which
/// stays in the fastest cache, instead of an array of one slot per person read at random.
struct Tally {
    slots: Vec<Slot>,
    /// Slots in use, in the order they were first filled.
    used: Vec<u32>,
    /// `64 − log2(slots)`: the hash keeps the top bits of a 64-bit product.
    shift: u32,
}

/// One person in a [`Tally`].
#[derive(Clone, Copy)]
struct Slot {
    person: u32,
    shared: u32,
    score: f32,
}

/// The person id of an empty slot (ids are below the number of people, itself a `u32`).
const EMPTY: u32 = u32::MAX;

impl Tally {
    /// A table for scans meeting at most `people` distinct people (load factor ≤ 1/2).
    fn new(people: usize) -> Self {
        let size = (2 * people).next_power_of_two().max(16);
        Tally {
            slots: vec![
                Slot {
                    person: EMPTY,
                    shared: 0,
                    score: 0.0,
                };
                size
            ],
            used: Vec::with_capacity(people),
            shift: 64 - size.trailing_zeros(),
        }
    }

    /// The slot of `person`: `Ok` where it is, or `Err` with the empty slot where it would go.
    #[inline]
    fn find(&self, person: u32) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut at = ((person as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize;
        loop {
            let slot = &self.slots[at];
            if slot.person == person {
                return Ok(at);
            }
            if slot.person == EMPTY {
                return Err(at);
            }
            at = (at + 1) & mask;
        }
    }

    /// Adds `product` to the partial dot product with `person` (the same `f32` additions, in the
    /// same order, as an accumulator per person starting at 0) and counts a shared term.
    #[inline]
    fn add(&mut self, person: u32, product: f32) {
        match self.find(person) {
            Ok(at) => {
                let slot = &mut self.slots[at];
                slot.shared += 1;
                slot.score += product;
            }
            Err(at) => {
                let mut score = 0.0f32;
                score += product;
                self.slots[at] = Slot {
                    person,
                    shared: 1,
                    score,
                };
                self.used.push(at as u32);
            }
        }
    }

    /// [`Self::add`] for a person already in the table; nothing for another.
    #[inline]
    fn bump(&mut self, person: u32, product: f32) {
        if let Ok(at) = self.find(person) {
            let slot = &mut self.slots[at];
            slot.shared += 1;
            slot.score += product;
        }
    }

    /// The people sharing at least `min_shared` terms and their partial dot products; empties
    /// the table.
    fn drain(&mut self, min_shared: u32) -> impl Iterator<Item = (f32, u32)> + '_ {
        let slots = &mut self.slots;
        self.used.drain(..).filter_map(move |at| {
            let slot = std::mem::replace(
                &mut slots[at as usize],
                Slot {
                    person: EMPTY,
                    shared: 0,
                    score: 0.0,
                },
            );
            (slot.shared >= min_shared).then_some((slot.score, slot.person))
        })
    }
}

/// Term → the people who use it most (by weight, at most `max_postings`) and their weights.
struct InvertedIndex {
    offsets: Vec<usize>,
    entries: Vec<Posting>,
}

/// A person using a term and their weight for it, side by side: a list is one stream.
#[derive(Clone, Copy)]
struct Posting {
    person: u32,
    weight: f32,
}

impl InvertedIndex {
    /// Transposes the vectors, then orders each term's postings by weight (descending; ties by
    /// person) and keeps the first `max_postings`: `O(entries log df + dimension)`.
    fn new(vectors: &TermVectors, max_postings: usize) -> Self {
        let d = vectors.dimension();
        let mut offsets = vec![0usize; d + 1];
        for p in 0..vectors.person_count() {
            for &t in vectors.row(p).0 {
                offsets[t as usize + 1] += 1;
            }
        }
        for t in 0..d {
            offsets[t + 1] += offsets[t];
        }
        let mut cursor = offsets[..d].to_vec();
        let mut postings = vec![(0f32, 0u32); vectors.entry_count()];
        for p in 0..vectors.person_count() {
            let (ts, ws) = vectors.row(p);
            for (&t, &w) in ts.iter().zip(ws) {
                let at = cursor[t as usize];
                postings[at] = (w, p as u32);
                cursor[t as usize] += 1;
            }
        }
        drop(cursor);
        // Sort every list, then keep its head.
        let mut lists: Vec<&mut [(f32, u32)]> = Vec::with_capacity(d);
        let mut rest: &mut [(f32, u32)] = &mut postings;
        for t in 0..d {
            let (list, tail) = std::mem::take(&mut rest).split_at_mut(offsets[t + 1] - offsets[t]);
            rest = tail;
            lists.push(list);
        }
        lists.into_par_iter().with_min_len(256).for_each(|list| {
            if list.len() > 1 {
                list.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            }
        });
        let mut kept = vec![0usize; d + 1];
        for t in 0..d {
            kept[t + 1] = kept[t] + (offsets[t + 1] - offsets[t]).min(max_postings);
        }
        let mut entries = Vec::with_capacity(kept[d]);
        for t in 0..d {
            let list = &postings[offsets[t]..offsets[t + 1]];
            entries.extend(
                list[..list.len().min(max_postings)]
                    .iter()
                    .map(|&(w, p)| Posting {
                        person: p,
                        weight: w,
                    }),
            );
        }
        InvertedIndex {
            offsets: kept,
            entries,
        }
    }

    /// Prefetches where the postings of term `t` start (the first stage of
    /// [`Self::prefetch_postings`]).
    fn prefetch_offsets(&self, t: u32) {
        prefetch(&self.offsets, t as usize);
    }

    /// Prefetches the first `count` postings of term `t`, line by line (a list is read whole
    /// soon after, and lists of rare terms are rarely in cache).
    fn prefetch_postings(&self, t: u32, count: usize) {
        let (Some(&a), Some(&b)) = (
            self.offsets.get(t as usize),
            self.offsets.get(t as usize + 1),
        ) else {
            return;
        };
        let end = b.min(a.saturating_add(count));
        // 8 postings per 64-byte line.
        let mut i = a;
        while i < end {
            prefetch(&self.entries, i);
            i += 8;
        }
        if end > a {
            prefetch(&self.entries, end - 1);
        }
    }

    /// The people using term `t` most and their weights, heaviest first.
    fn postings(&self, t: u32) -> &[Posting] {
        &self.entries[self.offsets[t as usize]..self.offsets[t as usize + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contextivity_graph::Rng;

    /// Triangle 0–1–2 (weights 2, 1, 4) and a pendant edge 2–3 (weight 3); person 3 has no
    /// vector.
    fn small() -> (UndirectedGraph, TermVectors) {
        let mut e = EdgeList::new();
        for (u, v, w) in [(0, 1, 2.0), (1, 2, 1.0), (0, 2, 4.0), (2, 3, 3.0)] {
            e.push(u, v, w);
        }
        let g = UndirectedGraph::from_edges(4, &e).unwrap();
        let x = TermVectors::from_rows(
            3,
            &[
                vec![(0, 1.0)],
                vec![(0, 3.0), (1, 4.0)],
                vec![(1, 1.0), (2, 1.0)],
                vec![],
            ],
        )
        .unwrap();
        (g, x)
    }

    fn random(n: usize, m: usize, dim: u32, seed: u64) -> (UndirectedGraph, TermVectors) {
        let mut rng = Rng::new(seed);
        let mut e = EdgeList::new();
        for _ in 0..m {
            let (u, v) = (rng.below(n as u64) as u32, rng.below(n as u64) as u32);
            e.push(u, v, 0.1 + rng.next_f64() as f32 * 3.0);
        }
        let g = UndirectedGraph::from_edges(n, &e).unwrap();
        let rows: Vec<Vec<(u32, f32)>> = (0..n)
            .map(|_| {
                let k = rng.below(8);
                (0..k)
                    .map(|_| (rng.below(dim as u64) as u32, 0.1 + rng.next_f64() as f32))
                    .collect()
            })
            .collect();
        (g, TermVectors::from_rows(dim as usize, &rows).unwrap())
    }

    #[test]
    fn the_formula_weighs_each_tie_by_similarity() {
        let (g, x) = small();
        // cos(0,1) = 3/5 = 0.6; cos(1,2) = (4/5)(1/√2) = 0.565685; cos(0,2) = 0.
        let w = 0.3;
        let b = blend(&g, &x, w).unwrap();
        let f = |c: f64| (1.0 - w) + w * c;
        let at = |u: usize, v: u32| b.csr().weight_between(u, v).unwrap() as f64;
        assert!((at(0, 1) - 2.0 * f(0.6)).abs() < 1e-6);
        assert!((at(1, 2) - 1.0 * f(0.8 / 2f64.sqrt())).abs() < 1e-6);
        assert!((at(0, 2) - 4.0 * 0.7).abs() < 1e-6);
        // Person 3 has no vector: neutral by default, `1 − W` under `Zero`.
        assert_eq!(at(2, 3), 3.0);
        let zero = BlendConfig {
            topic_weight: w,
            missing: MissingVector::Zero,
            ..BlendConfig::default()
        };
        let z = blend_with(&g, &x, &zero).unwrap();
        assert!((z.csr().weight_between(3, 2).unwrap() as f64 - 3.0 * 0.7).abs() < 1e-6);
        // W = 1: similarity alone; the dissimilar tie 0–2 weighs nothing.
        let one = blend(&g, &x, 1.0).unwrap();
        assert_eq!(one.csr().weight_between(0, 2), Some(0.0));
        assert!((one.csr().weight_between(0, 1).unwrap() - 1.2).abs() < 1e-6);
        assert!(one.csr().is_symmetric());
    }

    #[test]
    fn zero_topic_weight_reproduces_the_input_bit_for_bit() {
        for seed in 0..4 {
            let (g, x) = random(300, 2000, 40, seed);
            let b = blend(&g, &x, 0.0).unwrap();
            assert_eq!(b, g);
            let bits = |u: &UndirectedGraph| {
                u.csr()
                    .weights()
                    .iter()
                    .map(|w| w.to_bits())
                    .collect::<Vec<_>>()
            };
            assert_eq!(bits(&b), bits(&g));
            assert_eq!(b.total_weight().to_bits(), g.total_weight().to_bits());
        }
    }

    #[test]
    fn invalid_inputs_are_errors() {
        let (g, x) = small();
        for w in [-0.1, 1.1, f64::NAN] {
            assert!(matches!(
                blend(&g, &x, w),
                Err(TopicsError::InvalidParameter {
                    name: "topic_weight",
                    ..
                })
            ));
        }
        let fewer = TermVectors::from_rows(3, &[vec![(0, 1.0)]]).unwrap();
        assert!(matches!(
            blend(&g, &fewer, 0.5),
            Err(TopicsError::PeopleMismatch { .. })
        ));
    }

    #[test]
    fn knn_is_exact_symmetric_and_deterministic() {
        let (_, x) = random(400, 0, 30, 7);
        let k = 4;
        let exact = BlendConfig {
            knn: k,
            knn_min_shared: 1,
            ..BlendConfig::default()
        };
        let edges = knn_edges_with(&x, &exact, 0.5);
        let pairs: Vec<(u32, u32)> = edges
            .sources
            .iter()
            .copied()
            .zip(edges.targets.iter().copied())
            .collect();
        assert!(
            pairs.windows(2).all(|p| p[0] < p[1]),
            "sorted, no duplicates"
        );
        assert!(pairs.iter().all(|&(u, v)| u < v));
        for (i, &(u, v)) in pairs.iter().enumerate() {
            let want = 0.5 * x.cosine(u as usize, v as usize);
            assert!((edges.weight(i) as f64 - want).abs() < 1e-6);
        }
        // Exact: every person is linked to people at least as similar as its k-th best.
        let n = x.person_count();
        for u in 0..n {
            let mut sims: Vec<f64> = (0..n)
                .filter(|&v| v != u)
                .map(|v| x.cosine(u, v))
                .filter(|&c| c > 0.0)
                .collect();
            sims.sort_by(|a, b| b.total_cmp(a));
            let chosen: Vec<f64> = pairs
                .iter()
                .filter_map(|&(a, b)| match (a as usize == u, b as usize == u) {
                    (true, _) => Some(x.cosine(u, b as usize)),
                    (_, true) => Some(x.cosine(u, a as usize)),
                    _ => None,
                })
                .collect();
            assert!(chosen.len() >= sims.len().min(k), "person {u}");
            if let Some(&kth) = sims.get(k.min(sims.len()).saturating_sub(1)) {
                let mut best = chosen.clone();
                best.sort_by(|a, b| b.total_cmp(a));
                assert!(best
                    .iter()
                    .take(k.min(sims.len()))
                    .all(|&c| c >= kth - 1e-5));
            }
        }
        // Same result again and on one thread.
        let again = || knn_edges_with(&x, &exact, 0.5);
        assert_eq!(again(), edges);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        assert_eq!(one.install(again), edges);
        assert!(knn_edges(&x, 0, 0.5).is_empty());
        // With the default, neighbours share at least DEFAULT_KNN_MIN_SHARED terms.
        let strict = knn_edges(&x, k, 0.5);
        assert!(!strict.is_empty() && strict.len() < edges.len());
        for (&u, &v) in strict.sources.iter().zip(&strict.targets) {
            let (a, b) = (x.row(u as usize).0, x.row(v as usize).0);
            let shared = a.iter().filter(|t| b.contains(t)).count();
            assert!(shared >= DEFAULT_KNN_MIN_SHARED as usize);
        }
    }

    /// The blended weight of every entry, computed the plain way: `w · ((1 − W) + W · cos)`
    /// with [`TermVectors::cosine`], in `f64`, per entry, both directions.
    fn reference_blend(g: &UndirectedGraph, x: &TermVectors, config: &BlendConfig) -> Vec<u32> {
        let csr = g.csr();
        let w = config.topic_weight;
        let mut out = Vec::new();
        for u in 0..csr.node_count() {
            for (&v, &wt) in csr.neighbors(u).iter().zip(csr.row_weights(u)) {
                let v = v as usize;
                let factor = if x.has_vector(u) && x.has_vector(v) {
                    (1.0 - w) + w * x.cosine(u.min(v), u.max(v))
                } else if config.missing == MissingVector::Zero && u != v {
                    1.0 - w
                } else {
                    1.0
                };
                out.push(((wt as f64 * factor) as f32).to_bits());
            }
        }
        out
    }

    #[test]
    fn blend_matches_the_plain_formula_to_the_bit_at_any_thread_count() {
        for seed in 0..3 {
            let (g, x) = random(500, 4000, 60, seed);
            for (w, missing) in [
                (0.5, MissingVector::Neutral),
                (0.3, MissingVector::Zero),
                (1.0, MissingVector::Neutral),
            ] {
                let config = BlendConfig {
                    topic_weight: w,
                    missing,
                    knn: 0,
                    ..BlendConfig::default()
                };
                let want = reference_blend(&g, &x, &config);
                for threads in [1, 3] {
                    let pool = rayon::ThreadPoolBuilder::new()
                        .num_threads(threads)
                        .build()
                        .unwrap();
                    let b = pool.install(|| blend_with(&g, &x, &config)).unwrap();
                    let got: Vec<u32> = b.csr().weights().iter().map(|w| w.to_bits()).collect();
                    assert_eq!(
                        got, want,
                        "seed {seed}, W {w}, {missing:?}, {threads} threads"
                    );
                    assert_eq!(b.csr().targets(), g.csr().targets());
                    // In place, on a graph given up, the same graph.
                    let c = pool.install(|| blend_into(g.clone(), &x, &config)).unwrap();
                    assert_eq!(c, b);
                }
            }
        }
    }

    /// The neighbour search written the plain way: an accumulator per person, the chosen pairs
    /// weighed with [`TermVectors::cosine`].
    fn reference_knn(x: &TermVectors, config: &BlendConfig, weight: f32) -> EdgeList {
        let n = x.person_count();
        let mut lists: Vec<Vec<(f32, u32)>> = vec![Vec::new(); x.dimension()];
        for p in 0..n {
            let (ts, ws) = x.row(p);
            for (&t, &w) in ts.iter().zip(ws) {
                lists[t as usize].push((w, p as u32));
            }
        }
        for list in &mut lists {
            list.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            list.truncate(config.max_postings);
        }
        let mut pairs = Vec::new();
        for u in 0..n {
            let (tu, wu) = x.row(u);
            let mut order: Vec<(f32, u32)> = wu.iter().copied().zip(tu.iter().copied()).collect();
            order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut acc = vec![(0f32, 0u16); n];
            let mut left = config.knn_budget;
            for (xw, t) in order {
                let list = &lists[t as usize];
                let take = list.len().min(left);
                left -= take;
                for &(y, v) in &list[..take] {
                    if v as usize != u {
                        acc[v as usize].0 += xw * y;
                        acc[v as usize].1 += 1;
                    }
                }
            }
            let mut candidates: Vec<(f32, u32)> = (0..n as u32)
                .filter(|&v| acc[v as usize].1 >= config.knn_min_shared)
                .map(|v| (acc[v as usize].0, v))
                .collect();
            candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            for &(_, v) in candidates.iter().take(config.knn) {
                pairs.push(((u as u32).min(v), (u as u32).max(v)));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut edges = EdgeList::new();
        for (u, v) in pairs {
            let w = (weight as f64 * x.cosine(u as usize, v as usize)) as f32;
            if w > 0.0 {
                edges.push(u, v, w);
            }
        }
        edges
    }

    #[test]
    fn knn_matches_the_plain_search_to_the_bit() {
        let mut nonempty = 0;
        for seed in 0..3 {
            // Rows of 3 to 10 terms out of 16: many people share three terms or more.
            let mut rng = Rng::new(11 + seed);
            let rows: Vec<Vec<(u32, f32)>> = (0..600)
                .map(|_| {
                    (0..3 + rng.below(8))
                        .map(|_| (rng.below(16) as u32, 0.1 + rng.next_f64() as f32))
                        .collect()
                })
                .collect();
            let x = TermVectors::from_rows(16, &rows).unwrap();
            for (min_shared, max_postings, budget, k) in [
                (1, 1000, 100_000, 4),
                (2, 40, 90, 5),
                (3, 60, 200, 3),
                (3, 300, 1024, 10),
                (4, 120, 500, 2),
                (2, 10, 33, 2),
                (1, usize::MAX, usize::MAX, 3),
            ] {
                let config = BlendConfig {
                    knn: k,
                    knn_min_shared: min_shared,
                    max_postings,
                    knn_budget: budget,
                    ..BlendConfig::default()
                };
                let want = reference_knn(&x, &config, 0.5);
                nonempty += usize::from(!want.is_empty());
                for threads in [1, 3] {
                    let pool = rayon::ThreadPoolBuilder::new()
                        .num_threads(threads)
                        .build()
                        .unwrap();
                    let got = pool.install(|| knn_edges_with(&x, &config, 0.5));
                    assert_eq!(got, want, "seed {seed}, {config:?}, {threads} threads");
                }
            }
        }
        assert!(nonempty >= 12, "{nonempty} of 21 searches found neighbours");
        // Out of range for `BlendConfig::validate`, but no panic: everyone met is a candidate.
        let (_, x) = random(200, 0, 30, 5);
        let zero = BlendConfig {
            knn_min_shared: 0,
            ..BlendConfig::default()
        };
        let one = BlendConfig {
            knn_min_shared: 1,
            ..BlendConfig::default()
        };
        assert_eq!(
            knn_edges_with(&x, &zero, 0.5),
            knn_edges_with(&x, &one, 0.5)
        );
    }
}
