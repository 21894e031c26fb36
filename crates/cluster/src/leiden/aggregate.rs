//! Aggregation: the graph whose nodes are the communities of a level (Blondel et al. 2008;
//! Traag, Waltman & van Eck 2019, Algorithm A.1 "AggregateGraph").
//!
//! For communities `C` and `D`, the aggregated adjacency is `A'(C, D) = Σ_{i∈C, j∈D} A(i, j)`.
//! In particular the self-loop `A'(C, C)` is the internal weight of `C` counted as in the
//! adjacency matrix (each internal edge in both directions, earlier self-loops once), so the
//! strength of an aggregated node is the sum of its members' strengths and the total weight is
//! preserved: every objective takes the same value on a partition and on its aggregate. The
//! node weights `p` and `q` are summed likewise (for CPM they count original nodes).
//!
//! # Parallelism
//!
//! Aggregated rows are built in parallel over fixed chunks of [`ROW_CHUNK`] aggregated nodes
//! with a dense per-thread accumulator; a row lists its targets in the order they are first met
//! scanning the members in node order, so the result does not depend on the thread count.
//!
//! Complexity: `O(n + m)` work, memory `O(n' + m')`: rows stay in the chunks they were built
//! in, so the graph is never held twice.

use rayon::prelude::*;

use super::{hint_ahead, Adjacency, AggChunk, AggGraph, Groups, NodeWeights, ScratchPool};

/// Aggregated nodes per parallel task.
pub const ROW_CHUNK: usize = 512;

/// Row entries buffered at most between the two stages of building rows (16 bytes each: the
/// buffer stays in L2).
const STAGE_ENTRIES: usize = 1 << 15;

/// One chunk of aggregated rows with the node weights of its rows.
struct ChunkRows {
    rows: AggChunk,
    p: Vec<f64>,
    q: Vec<f64>,
}

/// Aggregates `graph` by `map` (dense in `0..count`).
pub(crate) fn aggregate<G: Adjacency>(
    graph: &G,
    weights: &NodeWeights,
    map: &[u32],
    count: usize,
    pool: &ScratchPool,
) -> (AggGraph, NodeWeights) {
    let groups = Groups::new(map, count);
    let directed = weights.q.is_some();
    let chunks: Vec<ChunkRows> = (0..count.div_ceil(ROW_CHUNK))
        .into_par_iter()
        .map(|chunk| {
            let lo = chunk * ROW_CHUNK;
            let hi = (lo + ROW_CHUNK).min(count);
            pool.with(count, |s| {
                let mut offsets = Vec::with_capacity(hi - lo + 1);
                offsets.push(0usize);
                let mut rows = ChunkRows {
                    rows: AggChunk {
                        offsets,
                        targets: Vec::new(),
                        weights: Vec::new(),
                    },
                    p: Vec::with_capacity(hi - lo),
                    q: Vec::with_capacity(if directed { hi - lo } else { 0 }),
                };
                // Rows are built in two stages over runs of at most STAGE_ENTRIES entries.
                // Stage 1 copies the aggregated target and weight of every entry of the
                // members' rows into a buffer: those reads of rows and of `map` are
                // independent of one another, so they overlap in memory instead of waiting one
                // by one behind the accumulation. Stage 2 sums the buffer into the dense
                // accumulator and emits each aggregated row once all its members are in —
                // the same order as scanning the members one by one.
                let mut segments: Vec<(usize, usize, bool)> = Vec::new();
                let (mut c, mut m) = (lo, 0usize);
                while c < hi {
                    s.pairs.clear();
                    segments.clear();
                    while c < hi && s.pairs.len() < STAGE_ENTRIES {
                        let members = groups.members(c);
                        while m < members.len() && s.pairs.len() < STAGE_ENTRIES {
                            // Members of small refined communities lie at random places.
                            let order = &groups.order;
                            let at = groups.starts[c] + m;
                            hint_ahead(graph, |j| order.get(j).map(|&v| v as usize), at, map);
                            let (targets, ws) = graph.row(members[m] as usize);
                            for (&u, &w) in targets.iter().zip(ws) {
                                let w: f64 = w.into();
                                if w != 0.0 {
                                    s.pairs.push((map[u as usize], w));
                                }
                            }
                            m += 1;
                        }
                        let complete = m == members.len();
                        segments.push((c, s.pairs.len(), complete));
                        if complete {
                            c += 1;
                            m = 0;
                        }
                    }
                    let mut begin = 0;
                    for &(row, end, complete) in &segments {
                        // Branch-free first-touch list: every entry writes its target into the
                        // next free slot, which is kept only when the target is new.
                        let mut len = s.touched.len();
                        s.touched.resize(len + (end - begin), 0);
                        for &(d, w) in &s.pairs[begin..end] {
                            let slot = &mut s.acc[d as usize];
                            s.touched[len] = d;
                            len += usize::from(*slot == 0.0);
                            *slot += w;
                        }
                        s.touched.truncate(len);
                        begin = end;
                        if !complete {
                            continue;
                        }
                        for &d in &s.touched {
                            rows.rows.targets.push(d);
                            rows.rows.weights.push(s.acc[d as usize]);
                            s.acc[d as usize] = 0.0;
                        }
                        rows.rows.offsets.push(rows.rows.targets.len());
                        s.touched.clear();
                        let (mut pc, mut qc) = (0.0, 0.0);
                        for &v in groups.members(row) {
                            pc += weights.p(v as usize);
                            if directed {
                                qc += weights.q(v as usize);
                            }
                        }
                        rows.p.push(pc);
                        if directed {
                            rows.q.push(qc);
                        }
                    }
                }
                // Trimmed now, while only this chunk is over-allocated.
                rows.rows.targets.shrink_to_fit();
                rows.rows.weights.shrink_to_fit();
                rows
            })
        })
        .collect();
    drop(groups);

    let mut p = Vec::with_capacity(count);
    let mut q = Vec::with_capacity(if directed { count } else { 0 });
    let mut rows = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        p.extend_from_slice(&chunk.p);
        q.extend_from_slice(&chunk.q);
        rows.push(chunk.rows);
    }
    (
        AggGraph {
            nodes: count,
            chunks: rows,
        },
        NodeWeights {
            p,
            q: directed.then_some(q),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use contextivity_graph::UndirectedGraph;

    fn graph(n: usize, edges: &[(u32, u32)]) -> UndirectedGraph {
        UndirectedGraph::from_pairs(n, edges).unwrap()
    }

    #[test]
    fn self_loops_hold_internal_weight_and_strengths_are_preserved() {
        // Two triangles joined by one edge.
        let g = graph(6, &[(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]);
        let weights = NodeWeights {
            p: g.strengths().to_vec(),
            q: None,
        };
        let pool = ScratchPool::new();
        let map = [0, 0, 0, 1, 1, 1];
        let (agg, w) = aggregate(g.csr(), &weights, &map, 2, &pool);
        let row0 = agg.row(0);
        let loop0: f64 = row0
            .0
            .iter()
            .zip(row0.1)
            .filter(|(&t, _)| t == 0)
            .map(|(_, &w)| w)
            .sum();
        assert_eq!(loop0, 6.0, "three internal edges, both directions");
        let strength0: f64 = row0.1.iter().sum();
        assert_eq!(strength0, 7.0);
        assert_eq!(w.p, vec![7.0, 7.0]);
        let total: f64 = (0..2).flat_map(|u| agg.row(u).1.iter()).sum();
        assert_eq!(total, g.total_weight());
        // Aggregating again (everything into one node) keeps the total as one self-loop.
        let (agg2, w2) = aggregate(&agg, &w, &[0, 0], 1, &pool);
        assert_eq!(agg2.row(0), (&[0u32][..], &[14.0][..]));
        assert_eq!(w2.p, vec![14.0]);
    }
}
