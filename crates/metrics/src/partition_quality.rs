//! How well a partition fits the graph it divides: modularity and the constant Potts model.
//!
//! Both are sums over clusters of "weight inside" minus "weight expected inside" and are what
//! Louvain and Leiden maximise, so a clustering and the ground truth can be scored with the same
//! number the algorithm optimised.
//!
//! # Self-loops
//!
//! A diagonal entry `(u, u, w)` of the symmetric CSR is read as one loop of weight `w`, counted
//! the way igraph counts it: it adds `w` to the total edge weight `W`, `w` to the internal weight
//! of `u`'s cluster and `2w` to `u`'s strength (a loop has two ends at `u`). The clustering view
//! built by [`UndirectedGraph::from_edges`] has no loops; a graph assembled with
//! [`UndirectedGraph::from_symmetric`] from a CSR that keeps them (an aggregated graph, say) may.
//!
//! # Determinism
//!
//! Per-node terms are computed in parallel and summed per fixed block of
//! [`CHUNK`] nodes; the block sums are then added in block order. The result therefore does not
//! depend on the number of threads.

use contextivity_graph::{Csr, Partition, UndirectedGraph};
use rayon::prelude::*;

/// Nodes per block of the deterministic parallel sums.
pub const CHUNK: usize = 4096;

/// Newman–Girvan modularity with a resolution parameter, for a weighted undirected graph.
///
/// Newman & Girvan, "Finding and evaluating community structure in networks", Phys. Rev. E 69
/// (2004); the resolution `γ` as in Reichardt & Bornholdt, Phys. Rev. E 74 (2006):
///
/// ```text
/// Q = Σ_c [ L_c / W − γ · (S_c / 2W)² ]
/// ```
///
/// where `L_c` is the total weight of the edges inside cluster `c`, `S_c` the summed strength
/// (weighted degree) of its nodes and `W` the total edge weight of the graph. With `γ = 1` this is
/// the value of igraph's `Graph.modularity(membership, weights)`; self-loops are counted as igraph
/// counts them (see the [module documentation](self)). `Q` lies in `[−½, 1]` for `γ = 1`.
///
/// A graph without edges has `W = 0` and no defined modularity; this function returns `0.0`
/// there (igraph returns NaN).
///
/// Complexity `O(n + m)` work, parallel over nodes.
///
/// # Panics
///
/// If `partition` does not have exactly one cluster per node of `graph`.
pub fn modularity(graph: &UndirectedGraph, partition: &Partition, resolution: f64) -> f64 {
    check_sizes(graph, partition);
    let csr = graph.csr();
    let assignment = partition.assignment();
    let strength: Vec<f64> = (0..csr.node_count())
        .into_par_iter()
        .map(|u| loop_aware_strength(csr, u))
        .collect();
    let two_w = chunked_sum(strength.len(), |u| strength[u]);
    if two_w == 0.0 {
        return 0.0;
    }
    // Σ_u (weight from u to its own cluster, a loop counted at both ends) = 2 Σ_c L_c.
    let twice_internal = chunked_sum(csr.node_count(), |u| {
        twice_internal_weight(csr, assignment, u)
    });
    let mut cluster_strength = vec![0.0f64; partition.cluster_count()];
    for (&c, &s) in assignment.iter().zip(&strength) {
        cluster_strength[c as usize] += s;
    }
    let expected: f64 = cluster_strength
        .iter()
        .map(|&s| (s / two_w) * (s / two_w))
        .sum();
    twice_internal / two_w - resolution * expected
}

/// The constant Potts model quality of a partition.
///
/// Traag, Van Dooren & Nesterov, "Narrow scope for resolution-limit-free community detection",
/// Phys. Rev. E 84 (2011):
///
/// ```text
/// H = Σ_c [ L_c − γ · n_c (n_c − 1) / 2 ]
/// ```
///
/// where `L_c` is the total weight of the edges inside cluster `c` (a self-loop counts its weight
/// once) and `n_c` its number of nodes: the internal weight minus `γ` times the number of node
/// pairs the cluster could hold. The value is not normalised; it is half of what leidenalg's
/// `CPMVertexPartition.quality()` reports for an undirected graph (leidenalg multiplies by 2).
/// A cluster is worth keeping together when its density exceeds `γ`.
///
/// Complexity `O(n + m)` work, parallel over nodes.
///
/// # Panics
///
/// If `partition` does not have exactly one cluster per node of `graph`.
pub fn cpm(graph: &UndirectedGraph, partition: &Partition, resolution: f64) -> f64 {
    check_sizes(graph, partition);
    let csr = graph.csr();
    let assignment = partition.assignment();
    let twice_internal = chunked_sum(csr.node_count(), |u| {
        twice_internal_weight(csr, assignment, u)
    });
    let pairs: f64 = partition
        .sizes()
        .iter()
        .map(|&s| {
            let s = s as f64;
            s * (s - 1.0) / 2.0
        })
        .sum();
    twice_internal / 2.0 - resolution * pairs
}

/// Panics with a clear message when the partition and the graph disagree on the node count.
pub(crate) fn check_sizes(graph: &UndirectedGraph, partition: &Partition) {
    assert_eq!(
        partition.len(),
        graph.node_count(),
        "the partition must assign one cluster to every node of the graph"
    );
}

/// Strength of `u` with a loop counted at both ends (igraph's degree convention).
pub(crate) fn loop_aware_strength(csr: &Csr, u: usize) -> f64 {
    csr.neighbors(u)
        .iter()
        .zip(csr.row_weights(u))
        .map(|(&v, &w)| {
            if v as usize == u {
                2.0 * w as f64
            } else {
                w as f64
            }
        })
        .sum()
}

/// Weight from `u` to the other members of its cluster, plus twice its loop.
fn twice_internal_weight(csr: &Csr, assignment: &[u32], u: usize) -> f64 {
    let c = assignment[u];
    csr.neighbors(u)
        .iter()
        .zip(csr.row_weights(u))
        .filter(|(&v, _)| assignment[v as usize] == c)
        .map(|(&v, &w)| {
            if v as usize == u {
                2.0 * w as f64
            } else {
                w as f64
            }
        })
        .sum()
}

/// `Σ_{u < n} f(u)`, summed per block of [`CHUNK`] nodes in parallel, blocks added in order.
pub(crate) fn chunked_sum(n: usize, f: impl Fn(usize) -> f64 + Sync) -> f64 {
    let blocks: Vec<f64> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|b| (b * CHUNK..((b + 1) * CHUNK).min(n)).map(&f).sum())
        .collect();
    blocks.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use contextivity_graph::{BuildOptions, EdgeList};
    use proptest::prelude::*;

    fn graph(n: usize, edges: &[(u32, u32, f32)]) -> UndirectedGraph {
        let mut list = EdgeList::new();
        for &(u, v, w) in edges {
            list.push(u, v, w);
        }
        let options = BuildOptions {
            symmetric: true,
            keep_self_loops: true,
        };
        let (csr, _) = Csr::from_edges(n, &list, options).unwrap();
        UndirectedGraph::from_symmetric(csr).unwrap()
    }

    /// A plain sequential reference, edge by edge, the way igraph's `igraph_modularity` adds up
    /// its terms: every undirected edge once (`u <= v`), `e_c += 2w` inside a cluster,
    /// `k_c += w` at each end, `m += w`; `Q = Σ_c (e_c / 2m − γ (k_c / 2m)²)`.
    fn reference_modularity(g: &UndirectedGraph, p: &Partition, gamma: f64) -> f64 {
        let k = p.cluster_count();
        let (mut e, mut deg, mut m) = (vec![0.0; k], vec![0.0; k], 0.0);
        for (u, v, w) in g.csr().iter() {
            if u > v {
                continue;
            }
            let (cu, cv, w) = (
                p.assignment()[u as usize],
                p.assignment()[v as usize],
                w as f64,
            );
            if cu == cv {
                e[cu as usize] += 2.0 * w;
            }
            deg[cu as usize] += w;
            deg[cv as usize] += w;
            m += w;
        }
        if m == 0.0 {
            return 0.0;
        }
        (0..k)
            .map(|c| e[c] / (2.0 * m) - gamma * (deg[c] / (2.0 * m)).powi(2))
            .sum()
    }

    fn small_weighted() -> (UndirectedGraph, Partition) {
        let g = graph(
            5,
            &[
                (0, 1, 2.0),
                (1, 2, 1.0),
                (0, 2, 1.0),
                (2, 3, 0.5),
                (3, 4, 3.0),
            ],
        );
        (g, Partition::from_labels(&[0, 0, 0, 1, 1]))
    }

    #[test]
    fn modularity_of_a_small_weighted_graph_by_hand() {
        // W = 2 + 1 + 1 + 0.5 + 3 = 7.5, 2W = 15.
        // A = {0,1,2}: L_A = 2 + 1 + 1 = 4, S_A = 3 + 3 + 2.5 = 8.5.
        // B = {3,4}:   L_B = 3,             S_B = 3.5 + 3 = 6.5.
        // Q = (4 + 3) / 7.5 − (8.5² + 6.5²) / 15² = 210/225 − 114.5/225 = 95.5/225.
        let (g, p) = small_weighted();
        assert!((modularity(&g, &p, 1.0) - 95.5 / 225.0).abs() < 1e-12);
        // γ = 2: 210/225 − 229/225 = −19/225.
        assert!((modularity(&g, &p, 2.0) + 19.0 / 225.0).abs() < 1e-12);
        // One cluster: Q = W/W − (2W/2W)² = 0.
        let one = Partition::from_labels(&[0; 5]);
        assert!(modularity(&g, &one, 1.0).abs() < 1e-12);
    }

    #[test]
    fn self_loops_count_as_igraph_counts_them() {
        // igraph: Graph([(0,1),(0,0),(1,2)]).modularity([0,0,1]) = −1/18.
        // m = 3; e_0 = 2·1 (edge 0–1) + 2·1 (loop) = 4; k_0 = deg 0 (1 + 2) + deg 1 (2) = 5;
        // k_1 = 1. Q = 4/6 − (5/6)² − (1/6)² = 24/36 − 26/36 = −2/36.
        let g = graph(3, &[(0, 1, 1.0), (0, 0, 1.0), (1, 2, 1.0)]);
        let p = Partition::from_labels(&[0, 0, 1]);
        assert!((modularity(&g, &p, 1.0) + 2.0 / 36.0).abs() < 1e-12);
        assert!((reference_modularity(&g, &p, 1.0) + 2.0 / 36.0).abs() < 1e-12);
        // CPM with γ = 0.5: L_0 = 1 + 1 (loop once) − 0.5·1 pair; L_1 = 0 − 0 → 1.5.
        assert!((cpm(&g, &p, 0.5) - 1.5).abs() < 1e-12);
    }

    #[test]
    fn cpm_by_hand() {
        // γ = 0.5: A: 4 − 0.5·3 = 2.5; B: 3 − 0.5·1 = 2.5; H = 5.
        let (g, p) = small_weighted();
        assert!((cpm(&g, &p, 0.5) - 5.0).abs() < 1e-12);
        // γ = 0: total internal weight, 7.
        assert!((cpm(&g, &p, 0.0) - 7.0).abs() < 1e-12);
        // Singletons hold no pair and no internal edge.
        assert_eq!(cpm(&g, &Partition::singletons(5), 3.0), 0.0);
    }

    #[test]
    fn empty_graph_has_zero_modularity() {
        let g = graph(3, &[]);
        assert_eq!(modularity(&g, &Partition::singletons(3), 1.0), 0.0);
    }

    #[test]
    #[should_panic(expected = "one cluster to every node")]
    fn size_mismatch_panics() {
        let (g, _) = small_weighted();
        modularity(&g, &Partition::singletons(4), 1.0);
    }

    #[test]
    fn block_sums_match_the_reference_beyond_one_chunk() {
        // A ring of 3·CHUNK + 17 nodes cut into arcs of 10: several blocks, ragged last block.
        let n = 3 * CHUNK + 17;
        let edges: Vec<(u32, u32, f32)> = (0..n)
            .map(|u| (u as u32, ((u + 1) % n) as u32, 1.0 + (u % 3) as f32))
            .collect();
        let g = graph(n, &edges);
        let labels: Vec<u32> = (0..n).map(|u| (u / 10) as u32).collect();
        let p = Partition::from_labels(&labels);
        let q = modularity(&g, &p, 1.0);
        assert!((q - reference_modularity(&g, &p, 1.0)).abs() < 1e-9);
        assert!(q > 0.8, "arcs of a ring are strong communities, got {q}");
        // The same value on one thread: the block order fixes the summation order.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        assert_eq!(pool.install(|| modularity(&g, &p, 1.0)), q);
    }

    fn graph_and_partition() -> impl Strategy<Value = (UndirectedGraph, Partition)> {
        (2usize..40).prop_flat_map(|n| {
            let edge = (0..n as u32, 0..n as u32, 1u8..8);
            (
                prop::collection::vec(edge, 0..120),
                prop::collection::vec(0u32..6, n),
            )
                .prop_map(move |(edges, labels)| {
                    let edges: Vec<(u32, u32, f32)> = edges
                        .into_iter()
                        .map(|(u, v, w)| (u, v, w as f32 / 2.0))
                        .collect();
                    (graph(n, &edges), Partition::from_labels(&labels))
                })
        })
    }

    proptest! {
        #[test]
        fn modularity_is_bounded_and_matches_the_reference((g, p) in graph_and_partition()) {
            let q = modularity(&g, &p, 1.0);
            prop_assert!((-0.5 - 1e-12..=1.0 + 1e-12).contains(&q), "Q = {q}");
            prop_assert!((q - reference_modularity(&g, &p, 1.0)).abs() < 1e-9);
            let q2 = modularity(&g, &p, 0.7);
            prop_assert!((q2 - reference_modularity(&g, &p, 0.7)).abs() < 1e-9);
        }

        #[test]
        fn cpm_at_zero_resolution_is_the_internal_weight((g, p) in graph_and_partition()) {
            let inside: f64 = g
                .csr()
                .iter()
                .filter(|&(u, v, _)| u <= v && p.assignment()[u as usize] == p.assignment()[v as usize])
                .map(|(_, _, w)| w as f64)
                .sum();
            prop_assert!((cpm(&g, &p, 0.0) - inside).abs() < 1e-9);
        }
    }
}
