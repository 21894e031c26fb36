//! Conductance: how much of a cluster's weight leaks out of it.

use contextivity_graph::{Partition, UndirectedGraph};
use rayon::prelude::*;

use crate::partition_quality::{check_sizes, loop_aware_strength};

/// The conductance of every cluster of `partition`, indexed by cluster id.
///
/// Kannan, Vempala & Vetta, "On clusterings: good, bad and spectral", J. ACM 51 (2004); as used
/// for communities by Leskovec, Lang, Dasgupta & Mahoney, "Community structure in large
/// networks", Internet Mathematics 6 (2009):
///
/// ```text
/// φ(c) = cut(c) / min(vol(c), vol(V \ c))
/// ```
///
/// where `cut(c)` is the total weight of the edges with one end in `c`, and `vol(c)` the summed
/// strength of its nodes (a self-loop counts twice towards its node's strength and never towards
/// the cut). `φ` lies in `[0, 1]`; lower is a better-separated cluster. When no edge leaves the
/// cluster (`cut = 0`, including a cluster that holds every edge, or only isolated nodes) the
/// ratio `0/0` is taken as `0`.
///
/// Complexity `O(n + m)`; per-node terms in parallel, summed per cluster in node order.
///
/// # Panics
///
/// If `partition` does not have exactly one cluster per node of `graph`.
pub fn conductance(graph: &UndirectedGraph, partition: &Partition) -> Vec<f64> {
    check_sizes(graph, partition);
    let csr = graph.csr();
    let assignment = partition.assignment();
    let per_node: Vec<(f64, f64)> = (0..csr.node_count())
        .into_par_iter()
        .map(|u| {
            let c = assignment[u];
            let cut: f64 = csr
                .neighbors(u)
                .iter()
                .zip(csr.row_weights(u))
                .filter(|(&v, _)| assignment[v as usize] != c)
                .map(|(_, &w)| w as f64)
                .sum();
            (loop_aware_strength(csr, u), cut)
        })
        .collect();
    let k = partition.cluster_count();
    let (mut volume, mut cut) = (vec![0.0f64; k], vec![0.0f64; k]);
    let mut total = 0.0;
    for (&c, &(vol_u, cut_u)) in assignment.iter().zip(&per_node) {
        volume[c as usize] += vol_u;
        cut[c as usize] += cut_u;
        total += vol_u;
    }
    volume
        .iter()
        .zip(&cut)
        .map(|(&vol, &cut)| {
            if cut == 0.0 {
                0.0
            } else {
                cut / vol.min(total - vol)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use contextivity_graph::EdgeList;

    fn graph(n: usize, edges: &[(u32, u32, f32)]) -> UndirectedGraph {
        let mut list = EdgeList::new();
        for &(u, v, w) in edges {
            list.push(u, v, w);
        }
        UndirectedGraph::from_edges(n, &list).unwrap()
    }

    #[test]
    fn conductance_by_hand() {
        // A = {0,1,2}: vol 3 + 3 + 2.5 = 8.5; B = {3,4}: vol 3.5 + 3 = 6.5; the cut is 2–3 (0.5).
        // φ(A) = φ(B) = 0.5 / min(8.5, 6.5) = 0.5 / 6.5.
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
        let phi = conductance(&g, &Partition::from_labels(&[0, 0, 0, 1, 1]));
        assert_eq!(phi.len(), 2);
        assert!((phi[0] - 0.5 / 6.5).abs() < 1e-12);
        assert!((phi[1] - 0.5 / 6.5).abs() < 1e-12);
    }

    #[test]
    fn three_clusters_and_degenerate_ones() {
        // Path 0–1–2–3 (unit weights) plus isolated node 4.
        // {0}: cut 1, vol 1, rest 5 → 1.  {1,2}: cut 2, vol 4, rest 2 → 1.  {3}: 1/1 → 1.
        // {4}: isolated, cut 0 → 0.
        let g = graph(5, &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0)]);
        let phi = conductance(&g, &Partition::from_labels(&[0, 1, 1, 2, 3]));
        assert_eq!(phi, vec![1.0, 1.0, 1.0, 0.0]);
        // {0,1} vs {2,3,4}: cut 1, vol 3 vs 3 → 1/3.
        let phi = conductance(&g, &Partition::from_labels(&[0, 0, 1, 1, 1]));
        assert!((phi[0] - 1.0 / 3.0).abs() < 1e-12 && (phi[1] - 1.0 / 3.0).abs() < 1e-12);
        // Everything in one cluster: nothing leaves.
        assert_eq!(conductance(&g, &Partition::from_labels(&[0; 5])), vec![0.0]);
    }
}
