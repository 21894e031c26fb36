//! Directed modularity for follow graphs (Leicht & Newman, "Community structure in directed
//! networks", PRL 100, 2008).
//!
//! `Q = 1/m · Σ_ij [A_ij − γ · k_i^out k_j^in / m] δ(c_i, c_j)` rewards arcs inside communities
//! against a null model that keeps every node's out- and in-strength. Moving node `i` into
//! community `c` changes `m·Q` by
//!
//! ```text
//! (A_{i→c} + A_{c→i}) − γ/m · (k_i^out · K_c^in + k_i^in · K_c^out)
//! ```
//!
//! which is the gain formula of [`crate::leiden`] on the symmetrised graph `A + Aᵀ` with node
//! weights `p = k^out`, `q = k^in` and `γ' = γ / m`. So directed modularity runs on the same
//! parallel, deterministic framework: Louvain, or Leiden whose refinement uses the directed
//! null model in its well-connectedness test. CPM on a directed layer is CPM on its symmetrised
//! graph (arc weights summed over both directions, halved).
//!
//! Complexity: building `A + Aᵀ` is `O(m log d)`, the rest as [`crate::leiden`].

use contextivity_graph::{BuildOptions, Csr, EdgeList, Partition};

use crate::config::{Algorithm, ClusterConfig, ClusterError, Objective};
use crate::leiden::NodeWeights;
use crate::{driver, quality, validate_weights, ClusterResult};

/// Clusters the directed layer `out` (entry `u → v` = an arc) by directed modularity or CPM.
///
/// Fails on invalid parameters or weights, and for label propagation or the map equation, which
/// this entry does not offer (cluster the undirected view for those).
pub fn cluster_directed(out: &Csr, config: &ClusterConfig) -> Result<ClusterResult, ClusterError> {
    config.validate()?;
    validate_weights(out)?;
    if config.algorithm == Algorithm::LabelPropagation {
        return Err(ClusterError::Unsupported(
            "label propagation on a directed layer: cluster the undirected view instead".into(),
        ));
    }
    if config.objective == Objective::Map {
        return Err(ClusterError::Unsupported(
            "the map equation on a directed layer is not offered by cluster_directed".into(),
        ));
    }
    let n = out.node_count();
    let mut edges = EdgeList::new();
    let mut k_out = vec![0.0f64; n];
    let mut k_in = vec![0.0f64; n];
    let mut m = 0.0f64;
    for (u, v, w) in out.iter() {
        edges.push(u, v, w);
        k_out[u as usize] += w as f64;
        k_in[v as usize] += w as f64;
        m += w as f64;
    }
    let options = BuildOptions {
        symmetric: true,
        keep_self_loops: true,
    };
    let (sym, _) = Csr::from_edges(n, &edges, options)
        .map_err(|e| ClusterError::InvalidGraph(e.to_string()))?;
    drop(edges);
    let gamma = config.resolution;
    let cpm = config.objective == Objective::Cpm;
    let (weights, gamma_eff) = if cpm {
        // CPM's gain is w(i, c) − γ·n_i·N_c with w over the symmetrised graph: γ' = γ / 2.
        (
            NodeWeights {
                p: vec![1.0; n],
                q: None,
            },
            gamma / 2.0,
        )
    } else {
        let g = if m > 0.0 { gamma / m } else { 0.0 };
        (
            NodeWeights {
                p: k_out,
                q: Some(k_in),
            },
            g,
        )
    };
    let evaluate = |labels: &[u32], k: usize| {
        if cpm {
            quality::cpm_of_labels(&sym, labels, k, gamma)
        } else {
            quality::directed_modularity_of_labels(out, labels, k, gamma)
        }
    };
    let params = driver::params(config, gamma_eff);
    let run = driver::optimise_csr(&sym, &weights, &params, &driver::Stop::of(config), evaluate);
    let partition = Partition::canonical(&run.labels);
    let quality = evaluate(partition.assignment(), partition.cluster_count());
    Ok(ClusterResult {
        levels: run.trace.into_partitions(&partition),
        partition,
        quality,
        iterations: run.iterations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(n: usize, arcs: &[(u32, u32)]) -> Csr {
        let mut e = EdgeList::new();
        for &(u, v) in arcs {
            e.push(u, v, 1.0);
        }
        Csr::from_edges(n, &e, BuildOptions::default()).unwrap().0
    }

    #[test]
    fn two_directed_cycles_with_a_bridge_are_found() {
        let arcs = [
            (0, 1),
            (1, 2),
            (2, 3),
            (3, 0),
            (0, 2),
            (4, 5),
            (5, 6),
            (6, 7),
            (7, 4),
            (4, 6),
            (3, 4),
        ];
        let out = layer(8, &arcs);
        for algorithm in [Algorithm::Leiden, Algorithm::Louvain] {
            let config = ClusterConfig {
                algorithm,
                ..ClusterConfig::default()
            };
            let r = cluster_directed(&out, &config).unwrap();
            assert_eq!(r.partition.assignment(), &[0, 0, 0, 0, 1, 1, 1, 1]);
            let q = quality::directed_modularity(&out, &r.partition, 1.0);
            assert!((q - r.quality).abs() < 1e-12);
            assert!(q > 0.3, "Q = {q}");
        }
    }

    #[test]
    fn map_and_label_propagation_are_refused() {
        let out = layer(3, &[(0, 1)]);
        let config = ClusterConfig {
            objective: Objective::Map,
            ..ClusterConfig::default()
        };
        assert!(matches!(
            cluster_directed(&out, &config),
            Err(ClusterError::Unsupported(_))
        ));
    }
}
