//! Label propagation: every node adopts the label that weighs most among its neighbours.
//!
//! Raghavan, Albert & Kumara, "Near linear time algorithm to detect community structures in
//! large-scale networks" (PRE 76, 2007), engineered for shared memory as PLP by Staudt & Meyerhenke,
//! "Engineering parallel algorithms for community detection in massive networks" (TPDS 27, 2016).
//! Fast and parameter-free, but coarse: on graphs with weak structure it may flood everything
//! with one label. It serves as a quick baseline and a seed for better methods.
//!
//! # Method
//!
//! Labels start as node ids. Each iteration visits the *active* nodes (initially all; afterwards
//! those with a neighbour that changed label) in a seeded random order, in batches of [`BATCH`]:
//!
//! 1. **Propose, in parallel**, against the labels frozen at the start of the batch: the label of
//!    largest summed edge weight among the node's neighbours. Ties keep the current label if it is
//!    among them, else go to the label with the smallest seeded hash — never to the one a thread
//!    happened to see first.
//! 2. **Commit in batch order**: a proposal is applied only if, under the *current* labels, the
//!    new label still weighs strictly more around the node than its present label.
//!
//! Each commit raises the total weight of edges whose ends agree, so the process cannot oscillate
//! (the weakness of synchronous label propagation on bipartite pieces), and since proposals are
//! pure functions of frozen state in fixed-size batches, the output is identical at any thread
//! count. Stops when no label changes or after `max_iterations`.
//!
//! # Complexity
//!
//! `O(m)` expected work per iteration over the active nodes (hashing neighbour labels, parallel),
//! plus sequential commits linear in the degrees of proposing nodes; `O(n)` extra memory.

use contextivity_graph::rng::splitmix64;
use contextivity_graph::{Partition, Rng, UndirectedGraph};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::map::table::NeighborTable;

/// Nodes per proposal batch (fixed, so results do not depend on the thread count).
pub const BATCH: usize = 1024;
/// Default seed.
pub const DEFAULT_SEED: u64 = 42;
/// Default cap on iterations.
pub const DEFAULT_MAX_ITERATIONS: u32 = 100;

/// Parameters of label propagation; also the parameters block of a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LpaConfig {
    /// Seed of the visiting orders and tie-breaking; default [`DEFAULT_SEED`].
    pub seed: u64,
    /// Iterations (sweeps over the active nodes) at most; default [`DEFAULT_MAX_ITERATIONS`].
    pub max_iterations: u32,
}

impl Default for LpaConfig {
    fn default() -> Self {
        LpaConfig {
            seed: DEFAULT_SEED,
            max_iterations: DEFAULT_MAX_ITERATIONS,
        }
    }
}

/// Weighted label propagation on `graph`; clusters numbered canonically
/// ([`Partition::canonical`]). Isolated nodes keep their own label. Deterministic for a given
/// seed at any thread count.
pub fn label_propagation(graph: &UndirectedGraph, config: &LpaConfig) -> Partition {
    let csr = graph.csr();
    let n = csr.node_count();
    let mut labels: Vec<u32> = (0..n as u32).collect();
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut active = vec![true; n];
    let mut next_active = vec![false; n];
    let salt = splitmix64(config.seed ^ 0x1AB3_11ED);
    for iteration in 0..config.max_iterations {
        let mut rng = Rng::derive(config.seed, 0, iteration as u64);
        rng.shuffle(&mut order);
        let queue: Vec<u32> = order
            .iter()
            .copied()
            .filter(|&u| active[u as usize])
            .collect();
        if queue.is_empty() {
            break;
        }
        let mut changed = 0usize;
        for batch in queue.chunks(BATCH) {
            let frozen: &[u32] = &labels;
            let proposals: Vec<Option<u32>> = batch
                .par_iter()
                .with_min_len(64)
                .map_init(NeighborTable::new, |table, &u| {
                    propose(graph, frozen, table, u as usize, salt)
                })
                .collect();
            for (&u, proposal) in batch.iter().zip(proposals) {
                let Some(label) = proposal else { continue };
                let u = u as usize;
                let current = labels[u];
                let (mut w_new, mut w_cur) = (0.0f64, 0.0f64);
                for (&v, &w) in csr.neighbors(u).iter().zip(csr.row_weights(u)) {
                    if v as usize == u {
                        continue;
                    }
                    let l = labels[v as usize];
                    if l == label {
                        w_new += w as f64;
                    } else if l == current {
                        w_cur += w as f64;
                    }
                }
                if w_new > w_cur {
                    labels[u] = label;
                    changed += 1;
                    for &v in csr.neighbors(u) {
                        next_active[v as usize] = true;
                    }
                }
            }
        }
        std::mem::swap(&mut active, &mut next_active);
        next_active.fill(false);
        if changed == 0 {
            break;
        }
    }
    Partition::canonical(&labels)
}

/// The heaviest neighbouring label of `u` under `labels`, if it differs from `u`'s own.
fn propose(
    graph: &UndirectedGraph,
    labels: &[u32],
    table: &mut NeighborTable,
    u: usize,
    salt: u64,
) -> Option<u32> {
    let csr = graph.csr();
    let neighbors = csr.neighbors(u);
    if neighbors.is_empty() {
        return None;
    }
    table.reset(neighbors.len());
    for (&v, &w) in neighbors.iter().zip(csr.row_weights(u)) {
        if v as usize != u {
            table.add(labels[v as usize], w as f64, 0.0, v);
        }
    }
    let current = labels[u];
    let own = table.get(current).map_or(0.0, |e| e.out);
    let mut best: Option<(f64, u64, u32)> = None;
    for e in table.entries() {
        let rank = splitmix64(e.key as u64 ^ salt);
        let better = match best {
            None => true,
            Some((bw, br, _)) => e.out > bw || (e.out == bw && rank < br),
        };
        if better {
            best = Some((e.out, rank, e.key));
        }
    }
    match best {
        Some((bw, _, label)) if label != current && bw > own => Some(label),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contextivity_graph::EdgeList;

    fn two_cliques(k: u32) -> UndirectedGraph {
        let mut e = EdgeList::new();
        for base in [0, k] {
            for i in 0..k {
                for j in i + 1..k {
                    e.push(base + i, base + j, 1.0);
                }
            }
        }
        e.push(0, k, 1.0);
        UndirectedGraph::from_edges(2 * k as usize, &e).unwrap()
    }

    /// A planted partition: `groups` groups of `size`, edge probabilities `p_in`, `p_out`.
    fn planted(groups: u32, size: u32, p_in: f64, p_out: f64, seed: u64) -> UndirectedGraph {
        let n = groups * size;
        let mut rng = Rng::new(seed);
        let mut e = EdgeList::new();
        for u in 0..n {
            for v in u + 1..n {
                let p = if u / size == v / size { p_in } else { p_out };
                if rng.next_f64() < p {
                    e.push(u, v, 1.0);
                }
            }
        }
        UndirectedGraph::from_edges(n as usize, &e).unwrap()
    }

    #[test]
    fn two_cliques_get_two_labels() {
        let g = two_cliques(8);
        let p = label_propagation(&g, &LpaConfig::default());
        assert_eq!(p.cluster_count(), 2);
        let a = p.assignment();
        assert!(a[..8].iter().all(|&c| c == a[0]));
        assert!(a[8..].iter().all(|&c| c == a[8]));
        assert_ne!(a[0], a[8]);
    }

    #[test]
    fn isolated_nodes_and_empty_graphs() {
        let g = UndirectedGraph::from_edges(3, &EdgeList::new()).unwrap();
        assert_eq!(
            label_propagation(&g, &LpaConfig::default()).cluster_count(),
            3
        );
        let g = UndirectedGraph::from_edges(0, &EdgeList::new()).unwrap();
        assert!(label_propagation(&g, &LpaConfig::default()).is_empty());
    }

    #[test]
    fn a_single_edge_does_not_oscillate() {
        let mut e = EdgeList::new();
        e.push(0, 1, 1.0);
        let g = UndirectedGraph::from_edges(2, &e).unwrap();
        let p = label_propagation(&g, &LpaConfig::default());
        assert_eq!(p.cluster_count(), 1);
    }

    #[test]
    fn same_result_at_one_two_and_four_threads() {
        let g = planted(30, 40, 0.25, 0.004, 5);
        let run = |k: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(k)
                .build()
                .unwrap()
                .install(|| label_propagation(&g, &LpaConfig::default()))
        };
        let one = run(1);
        assert_eq!(one, run(2));
        assert_eq!(one, run(4));
        // The planted groups are dense enough that propagation finds many of them.
        assert!(
            one.cluster_count() >= 10,
            "{} clusters",
            one.cluster_count()
        );
    }

    #[test]
    fn weights_decide_between_neighbours() {
        // Node 2 sits between a heavy pair {0, 1} and a light pair {3, 4}.
        let mut e = EdgeList::new();
        e.push(0, 1, 5.0);
        e.push(3, 4, 5.0);
        e.push(2, 0, 3.0);
        e.push(2, 1, 3.0);
        e.push(2, 3, 1.0);
        let g = UndirectedGraph::from_edges(5, &e).unwrap();
        let p = label_propagation(&g, &LpaConfig::default());
        let a = p.assignment();
        assert_eq!(a[2], a[0]);
        assert_eq!(a[0], a[1]);
        assert_eq!(a[3], a[4]);
        assert_ne!(a[2], a[3]);
    }
}
