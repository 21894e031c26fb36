//! Quality functions of a partition: modularity, CPM and directed modularity.
//!
//! With `A` the (symmetric) adjacency as stored, `k_i = Σ_j A_ij` the strength of node `i` and
//! `2m = Σ_i k_i`:
//!
//! - modularity (Newman & Girvan 2004, resolution of Reichardt & Bornholdt 2006):
//!   `Q = 1/(2m) · Σ_c [ Σ_{i,j∈c} A_ij − γ · K_c² / (2m) ]`, in `[−½, 1]` for `γ = 1`;
//! - CPM, the constant Potts model (Traag, Van Dooren & Nesterov 2011):
//!   `H = Σ_c [ e_c − γ · n_c (n_c − 1) / 2 ]` with `e_c = ½ Σ_{i,j∈c} A_ij` the internal
//!   weight and `n_c` the number of nodes (leidenalg's `CPMVertexPartition` convention);
//! - directed modularity (Leicht & Newman 2008) of a directed layer with arc weight `m`:
//!   `Q = 1/m · Σ_c [ Σ_{i,j∈c} A_ij − γ · K_c^out · K_c^in / m ]`.
//!
//! Every sum is taken in a fixed order, so the value does not depend on the thread count.
//! Complexity `O(n + m)`; memory `O(k)` for the per-community totals.

use contextivity_graph::{Csr, Partition, UndirectedGraph};

use crate::leiden::{ordered_sum, Adjacency};

/// Modularity of `partition` on `graph` with resolution `gamma`; 0 for a graph without edges.
///
/// # Panics
///
/// If the partition does not cover exactly the graph's nodes.
pub fn modularity(graph: &UndirectedGraph, partition: &Partition, gamma: f64) -> f64 {
    assert_eq!(
        partition.len(),
        graph.node_count(),
        "partition size mismatch"
    );
    modularity_of_labels(
        graph.csr(),
        graph.strengths(),
        partition.assignment(),
        partition.cluster_count(),
        gamma,
    )
}

/// CPM quality of `partition` on `graph` with resolution `gamma`.
///
/// # Panics
///
/// If the partition does not cover exactly the graph's nodes.
pub fn cpm(graph: &UndirectedGraph, partition: &Partition, gamma: f64) -> f64 {
    assert_eq!(
        partition.len(),
        graph.node_count(),
        "partition size mismatch"
    );
    cpm_of_labels(
        graph.csr(),
        partition.assignment(),
        partition.cluster_count(),
        gamma,
    )
}

/// Directed modularity (Leicht & Newman 2008) of `partition` on the directed layer `out`.
///
/// # Panics
///
/// If the partition does not cover exactly the layer's nodes.
pub fn directed_modularity(out: &Csr, partition: &Partition, gamma: f64) -> f64 {
    assert_eq!(partition.len(), out.node_count(), "partition size mismatch");
    directed_modularity_of_labels(
        out,
        partition.assignment(),
        partition.cluster_count(),
        gamma,
    )
}

/// Weight of the entries of `graph` (the input or an aggregate) that stay inside a community:
/// `Σ_{i,j same label} A_ij`.
pub(crate) fn internal_weight<G: Adjacency>(graph: &G, labels: &[u32]) -> f64 {
    ordered_sum(graph.node_count(), |u| {
        let c = labels[u];
        let (targets, ws) = graph.row(u);
        targets
            .iter()
            .zip(ws)
            .filter(|(&v, _)| labels[v as usize] == c)
            .map(|(_, &w)| w.into())
            .sum::<f64>()
    })
}

pub(crate) fn modularity_of_labels(
    csr: &Csr,
    strengths: &[f64],
    labels: &[u32],
    k: usize,
    gamma: f64,
) -> f64 {
    let two_m = total_strength(strengths);
    if two_m <= 0.0 {
        return 0.0;
    }
    let mut totals = vec![0.0f64; k];
    for (u, &c) in labels.iter().enumerate() {
        totals[c as usize] += strengths[u];
    }
    modularity_of_sums(internal_weight(csr, labels), &totals, two_m, gamma)
}

/// `2m`, the sum of the strengths, in a fixed order.
pub(crate) fn total_strength(strengths: &[f64]) -> f64 {
    ordered_sum(strengths.len(), |u| strengths[u])
}

/// Modularity from its parts: the weight of the entries inside communities (`Σ_{i,j same
/// community} A_ij`), the strength total `K_c` of every community, and `2m`.
pub(crate) fn modularity_of_sums(internal: f64, totals: &[f64], two_m: f64, gamma: f64) -> f64 {
    if two_m <= 0.0 {
        return 0.0;
    }
    let penalty: f64 = totals.iter().map(|t| t * t).sum::<f64>() / two_m;
    (internal - gamma * penalty) / two_m
}

pub(crate) fn cpm_of_labels(csr: &Csr, labels: &[u32], k: usize, gamma: f64) -> f64 {
    let mut sizes = vec![0.0f64; k];
    for &c in labels {
        sizes[c as usize] += 1.0;
    }
    cpm_of_sums(internal_weight(csr, labels), &sizes, gamma)
}

/// CPM from its parts: the weight of the entries inside communities (each internal edge in
/// both directions) and the number of nodes of every community.
pub(crate) fn cpm_of_sums(internal: f64, sizes: &[f64], gamma: f64) -> f64 {
    let pairs: f64 = sizes.iter().map(|&s| s * (s - 1.0) / 2.0).sum();
    internal / 2.0 - gamma * pairs
}

pub(crate) fn directed_modularity_of_labels(
    out: &Csr,
    labels: &[u32],
    k: usize,
    gamma: f64,
) -> f64 {
    let n = out.node_count();
    let mut k_out = vec![0.0f64; k];
    let mut k_in = vec![0.0f64; k];
    let mut m = 0.0;
    for u in 0..n {
        let cu = labels[u] as usize;
        for (&v, &w) in out.neighbors(u).iter().zip(out.row_weights(u)) {
            let w = w as f64;
            k_out[cu] += w;
            k_in[labels[v as usize] as usize] += w;
            m += w;
        }
    }
    if m <= 0.0 {
        return 0.0;
    }
    let penalty: f64 = k_out.iter().zip(&k_in).map(|(a, b)| a * b).sum::<f64>() / m;
    (internal_weight(out, labels) - gamma * penalty) / m
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn graph(n: usize, edges: &[(u32, u32)]) -> UndirectedGraph {
        UndirectedGraph::from_pairs(n, edges).unwrap()
    }

    #[test]
    fn two_triangles_have_the_textbook_modularity() {
        let g = graph(6, &[(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]);
        let p = Partition::from_labels(&[0, 0, 0, 1, 1, 1]);
        // m = 7, each side: 3 internal edges, degree sum 7.
        let expected = 2.0 * (3.0 / 7.0 - (7.0 / 14.0f64).powi(2));
        assert!((modularity(&g, &p, 1.0) - expected).abs() < 1e-12);
        assert_eq!(modularity(&g, &Partition::from_labels(&[0; 6]), 1.0), 0.0);
        assert_eq!(cpm(&g, &p, 0.5), 6.0 - 0.5 * 6.0);
    }

    #[test]
    fn directed_modularity_of_a_symmetric_layer_equals_modularity() {
        let g = graph(6, &[(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]);
        let p = Partition::from_labels(&[0, 0, 1, 1, 2, 2]);
        let d = directed_modularity(g.csr(), &p, 1.0);
        assert!((d - modularity(&g, &p, 1.0)).abs() < 1e-12);
    }

    proptest! {
        #[test]
        fn modularity_lies_in_its_range(
            edges in proptest::collection::vec((0u32..20, 0u32..20), 1..80),
            labels in proptest::collection::vec(0u32..5, 20),
        ) {
            let g = graph(20, &edges);
            let p = Partition::from_labels(&labels);
            let q = modularity(&g, &p, 1.0);
            prop_assert!((-0.5 - 1e-12..=1.0 + 1e-12).contains(&q), "Q = {}", q);
        }
    }
}
