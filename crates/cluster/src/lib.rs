//! # contextivity-cluster
//!
//! Groups people into contexts: community detection on the undirected weighted view of a
//! social graph, parallel and reproducible.
//!
//! - [`cluster`]: the entry point — Leiden or Louvain on modularity or CPM, label propagation,
//!   or the map equation, chosen by a [`ClusterConfig`];
//! - [`leiden`]: parallel, deterministic Leiden/Louvain, one file per phase (local moving,
//!   refinement, aggregation);
//! - [`hierarchy`]: the partition of every aggregation level, and [`cluster_many`] for several
//!   resolutions in one call;
//! - [`directed`]: directed modularity (Leicht & Newman 2008) for follow graphs;
//! - [`lpa`]: label propagation; [`map`]: the map equation;
//! - [`quality`]: modularity, CPM and directed modularity of any partition;
//! - [`reference`]: a plain sequential Louvain, the yardstick the parallel code is tested against.
//!
//! The same graph, configuration and seed give the same partition at any number of threads:
//! no phase lets the thread schedule decide a move (see [`leiden`]), and clusters are numbered
//! canonically (size descending, then smallest member).
//!
//! ```
//! use contextivity_cluster::{cluster, quality, ClusterConfig};
//! use contextivity_graph::{EdgeList, UndirectedGraph};
//!
//! // Two triangles joined by one edge.
//! let mut edges = EdgeList::new();
//! for (u, v) in [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)] {
//!     edges.push(u, v, 1.0);
//! }
//! let graph = UndirectedGraph::from_edges(6, &edges)?;
//! let result = cluster(&graph, &ClusterConfig::default())?;
//! assert_eq!(result.partition.assignment(), &[0, 0, 0, 1, 1, 1]);
//! assert!((result.quality - quality::modularity(&graph, &result.partition, 1.0)).abs() < 1e-12);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod config;
pub mod directed;
mod driver;
pub mod hierarchy;
pub mod leiden;
pub mod lpa;
pub mod map;
pub mod quality;
pub mod reference;

use contextivity_graph::{Csr, Partition, UndirectedGraph};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use config::{Algorithm, ClusterConfig, ClusterError, Objective};
pub use directed::cluster_directed;
pub use hierarchy::cluster_many;

/// The outcome of a clustering run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterResult {
    /// The partition, numbered canonically.
    pub partition: Partition,
    /// Its quality under the configured objective (modularity, CPM, or the map equation's
    /// codelength in bits — lower is better for the latter).
    pub quality: f64,
    /// The partition of every aggregation level of the last full iteration (one that ended
    /// early on a stable partition adds none), finest first; the last equals `partition`.
    pub levels: Vec<Partition>,
    /// Iterations run.
    pub iterations: u32,
}

/// Clusters `graph` as `config` says.
///
/// Leiden and Louvain optimise modularity or CPM here, and the map equation through
/// [`map::optimize`] (Leiden or Louvain both select that optimiser). Label propagation
/// optimises no objective: its partition is reported with the configured objective's value
/// (modularity, CPM, or the codelength). Fails on an invalid parameter or a negative or
/// non-finite edge weight.
pub fn cluster(
    graph: &UndirectedGraph,
    config: &ClusterConfig,
) -> Result<ClusterResult, ClusterError> {
    config.validate()?;
    validate_weights(graph.csr())?;
    cluster_checked(graph, config)
}

/// Checks that every weight is finite and non-negative.
pub(crate) fn validate_weights(csr: &Csr) -> Result<(), ClusterError> {
    let bad = (0..csr.node_count()).into_par_iter().find_first(|&u| {
        csr.row_weights(u)
            .iter()
            .any(|w| !w.is_finite() || *w < 0.0)
    });
    match bad {
        None => Ok(()),
        Some(u) => {
            let (v, w) = csr
                .neighbors(u)
                .iter()
                .zip(csr.row_weights(u))
                .find(|(_, w)| !w.is_finite() || **w < 0.0)
                .map_or((u as u32, f32::NAN), |(&v, &w)| (v, w));
            Err(ClusterError::InvalidWeight {
                from: u as u32,
                target: v,
                weight: w,
            })
        }
    }
}

/// [`cluster`] after validation.
pub(crate) fn cluster_checked(
    graph: &UndirectedGraph,
    config: &ClusterConfig,
) -> Result<ClusterResult, ClusterError> {
    match (config.algorithm, config.objective) {
        (Algorithm::LabelPropagation, objective) => {
            let lpa_config = lpa::LpaConfig {
                seed: config.seed,
                ..lpa::LpaConfig::default()
            };
            let partition = lpa::label_propagation(graph, &lpa_config);
            let quality = match objective {
                Objective::Modularity => quality::modularity(graph, &partition, config.resolution),
                Objective::Cpm => quality::cpm(graph, &partition, config.resolution),
                Objective::Map => map::codelength(graph, &partition),
            };
            Ok(single_level(partition, quality))
        }
        (_, Objective::Map) => {
            let map_config = map::MapEquationConfig {
                seed: config.seed,
                ..map::MapEquationConfig::default()
            };
            let result = map::optimize(graph, &map_config);
            Ok(single_level(result.partition, result.codelength))
        }
        (_, objective) => Ok(modularity_or_cpm(graph, config, objective)),
    }
}

/// The result of an algorithm that reports one level.
fn single_level(partition: Partition, quality: f64) -> ClusterResult {
    ClusterResult {
        levels: vec![partition.clone()],
        partition,
        quality,
        iterations: 1,
    }
}

/// Leiden or Louvain on modularity or CPM.
fn modularity_or_cpm(
    graph: &UndirectedGraph,
    config: &ClusterConfig,
    objective: Objective,
) -> ClusterResult {
    let n = graph.node_count();
    let csr = graph.csr();
    let gamma = config.resolution;
    let (weights, gamma_eff) = if objective == Objective::Cpm {
        (vec![1.0; n], gamma / 2.0)
    } else {
        let two_m = graph.total_weight();
        let g = if two_m > 0.0 {
            gamma / (2.0 * two_m)
        } else {
            0.0
        };
        (graph.strengths().to_vec(), g)
    };
    let weights = leiden::NodeWeights {
        p: weights,
        q: None,
    };
    let quality = |labels: &[u32], k: usize| match objective {
        Objective::Cpm => quality::cpm_of_labels(csr, labels, k, gamma),
        _ => quality::modularity_of_labels(csr, graph.strengths(), labels, k, gamma),
    };
    let params = driver::params(config, gamma_eff);
    let out = driver::optimise_csr(csr, &weights, &params, &driver::Stop::of(config), quality);
    let partition = Partition::canonical(&out.labels);
    // From the sums read on the last aggregated level (the same value, without another pass
    // over the input), else from the labels.
    let quality = match (&out.sums, objective) {
        (Some(s), Objective::Cpm) => quality::cpm_of_sums(s.internal, &s.totals, gamma),
        (Some(s), _) => {
            let two_m = quality::total_strength(graph.strengths());
            quality::modularity_of_sums(s.internal, &s.totals, two_m, gamma)
        }
        (None, _) => quality(partition.assignment(), partition.cluster_count()),
    };
    ClusterResult {
        levels: out.trace.into_partitions(&partition),
        partition,
        quality,
        iterations: out.iterations,
    }
}
