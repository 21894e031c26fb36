//! Typed dense identifiers.
//!
//! People and clusters are both numbered densely from zero, which makes it easy to index a slice
//! with the wrong one. The newtypes here keep them apart at no run-time cost.

use serde::{Deserialize, Serialize};

/// A person (a node of the graph), numbered densely from zero in the order the loader assigned.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct NodeId(pub u32);

/// A cluster (community, context) of a partition or cover, numbered densely from zero.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct ClusterId(pub u32);

impl NodeId {
    /// The id as a slice index.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl ClusterId {
    /// The id as a slice index.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl std::fmt::Display for NodeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::fmt::Display for ClusterId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}
