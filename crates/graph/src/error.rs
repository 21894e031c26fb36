//! Errors of the graph model.

use thiserror::Error;

/// What can go wrong while assembling or checking the in-memory graph.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum GraphError {
    /// Arrays handed to a CSR constructor break one of its invariants.
    #[error("invalid CSR: {0}")]
    InvalidCsr(String),
    /// An edge names a node id beyond the number of nodes.
    #[error("edge endpoint {node} is out of range: the graph has {nodes} nodes")]
    NodeOutOfRange {
        /// The offending id.
        node: u32,
        /// The number of nodes.
        nodes: usize,
    },
    /// More distinct people than a 32-bit id can number.
    #[error("more than {max} distinct people: ids are 32-bit", max = u32::MAX)]
    TooManyNodes,
    /// A partition does not cover the graph it is used with.
    #[error("partition has {got} entries but the graph has {expected} nodes")]
    PartitionSize {
        /// Nodes in the graph.
        expected: usize,
        /// Entries in the partition.
        got: usize,
    },
}
