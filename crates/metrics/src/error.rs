//! Why a measure could not be computed.

use thiserror::Error;

/// A measure was asked to compare things that do not fit together.
///
/// Measures of one partition on a graph (modularity, CPM, conductance) state their preconditions
/// and panic when they are broken; comparisons of two groupings, which usually come from two
/// different files, return this error instead.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MetricsError {
    /// The two groupings describe different numbers of nodes.
    #[error(
        "the two groupings describe different numbers of nodes ({left} and {right}); \
         align them on shared node labels first"
    )]
    NodeCountMismatch {
        /// Nodes of the first grouping.
        left: usize,
        /// Nodes of the second grouping.
        right: usize,
    },
    /// A community lists a node id outside the cover's node range.
    #[error("community {community} lists node {member}, but the cover has only {nodes} nodes")]
    MemberOutOfRange {
        /// Index of the community.
        community: usize,
        /// The offending member.
        member: u32,
        /// The cover's node count.
        nodes: usize,
    },
    /// The partition does not assign a cluster to exactly the graph's people.
    #[error(
        "the partition assigns {partition} nodes but the graph has {people} people; \
         cluster the same graph or align the memberships on its ids first"
    )]
    PartitionSizeMismatch {
        /// Nodes the partition assigns.
        partition: usize,
        /// People in the graph.
        people: usize,
    },
    /// A node's cluster id is not below the partition's cluster count (a malformed partition).
    #[error("node {node} is in cluster {cluster}, but the partition has only {clusters} clusters")]
    ClusterOutOfRange {
        /// The node.
        node: usize,
        /// Its cluster id.
        cluster: u32,
        /// The partition's cluster count.
        clusters: usize,
    },
    /// A setting of the profile is out of range.
    #[error("profile setting `{setting}` is {value}, expected {expected}")]
    InvalidProfileConfig {
        /// The setting's field name.
        setting: &'static str,
        /// The value given.
        value: String,
        /// What would be accepted.
        expected: &'static str,
    },
}
