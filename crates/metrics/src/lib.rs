//! # contextivity-metrics
//!
//! Quality measures for partitions and covers. Ground truth, other tools' output and
//! contextivity's own results are the same plain types ([`Partition`], [`Cover`] from
//! `contextivity-graph`), so every measure here scores any of them.
//!
//! | module | measures |
//! |---|---|
//! | [`partition_quality`] | [`modularity`] (Newman–Girvan, with resolution), [`cpm`] (constant Potts model) |
//! | [`conductance`](mod@conductance) | [`conductance()`] of every cluster |
//! | [`compare`] | [`nmi`] (Danon et al.), [`ari`] (Hubert & Arabie) between two partitions |
//! | [`overlap`] | [`onmi`] (McDaid et al.), [`average_f1`] and [`best_match_f1`] between covers; [`average_f1_within`] on a scope of nodes (per-ego circle scoring) |
//! | [`profile`](mod@profile) | [`profile()`](profile::profile): per-cluster cohesion, interactions, engagement, key members (PageRank), brokers (participation), activity, and the network's shape and structure type |
//!
//! Measures of a partition on a graph are computed in parallel with sums in a fixed order, so
//! they return the same bits on any number of threads. Comparisons of two groupings return
//! [`MetricsError`] when the groupings do not describe the same nodes.
//!
//! ```
//! use contextivity_graph::{EdgeList, Partition, UndirectedGraph};
//! use contextivity_metrics::{ari, conductance, modularity, nmi};
//!
//! // Two triangles joined by one edge.
//! let mut edges = EdgeList::new();
//! for (u, v) in [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)] {
//!     edges.push(u, v, 1.0);
//! }
//! let graph = UndirectedGraph::from_edges(6, &edges)?;
//! let split = Partition::from_labels(&[0, 0, 0, 1, 1, 1]);
//!
//! // Q = 2 · (3/7 − (7/14)²) = 5/14.
//! assert!((modularity(&graph, &split, 1.0) - 5.0 / 14.0).abs() < 1e-12);
//! // One edge leaves each triangle, whose volume is 7: φ = 1/7.
//! assert!((conductance(&graph, &split)[0] - 1.0 / 7.0).abs() < 1e-12);
//!
//! let relabelled = Partition::from_labels(&[5, 5, 5, 2, 2, 2]);
//! assert_eq!(ari(&split, &relabelled)?, 1.0);
//! assert!((nmi(&split, &relabelled)? - 1.0).abs() < 1e-12);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod compare;
pub mod conductance;
pub mod error;
pub mod overlap;
pub mod partition_quality;
pub mod profile;

pub use compare::{ari, nmi, Contingency};
pub use conductance::conductance;
pub use error::MetricsError;
pub use overlap::{average_f1, average_f1_within, best_match_f1, onmi, ScopedF1};
pub use partition_quality::{cpm, modularity};

#[cfg(doc)]
use contextivity_graph::{Cover, Partition};
