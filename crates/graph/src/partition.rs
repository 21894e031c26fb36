//! Partitions and covers as plain data.
//!
//! Ground truth, other tools' output and contextivity's own results are the same types, so every
//! quality measure works on all of them. A [`Partition`] gives each node exactly one cluster; a
//! [`Cover`] lets a node belong to any number of communities (overlapping contexts, ego circles).

use serde::{Deserialize, Serialize};

use crate::ids::{ClusterId, NodeId};

/// One cluster per node, clusters numbered densely from zero.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partition {
    assignment: Vec<u32>,
    clusters: usize,
}

impl Partition {
    /// Every node alone in its own cluster.
    pub fn singletons(n: usize) -> Self {
        Partition {
            assignment: (0..n as u32).collect(),
            clusters: n,
        }
    }

    /// A partition from arbitrary labels, renumbered densely in order of first appearance.
    pub fn from_labels(labels: &[u32]) -> Self {
        // Labels below the node count (the usual case: cluster ids) are renumbered through a
        // table instead of a hash map.
        if labels.iter().all(|&l| (l as usize) < labels.len()) {
            let mut rank = vec![u32::MAX; labels.len()];
            let mut clusters = 0u32;
            let assignment = labels
                .iter()
                .map(|&l| {
                    let slot = &mut rank[l as usize];
                    if *slot == u32::MAX {
                        *slot = clusters;
                        clusters += 1;
                    }
                    *slot
                })
                .collect();
            return Partition {
                assignment,
                clusters: clusters as usize,
            };
        }
        let mut map = std::collections::HashMap::new();
        let assignment = labels
            .iter()
            .map(|&l| {
                let next = map.len() as u32;
                *map.entry(l).or_insert(next)
            })
            .collect();
        Partition {
            assignment,
            clusters: map.len(),
        }
    }

    /// Renumbers clusters canonically: by size descending, ties by smallest member id. Two runs
    /// that find the same grouping therefore print the same numbers.
    pub fn canonical(labels: &[u32]) -> Self {
        let p = Partition::from_labels(labels);
        let k = p.clusters;
        let mut size = vec![0usize; k];
        let mut first = vec![u32::MAX; k];
        for (node, &c) in p.assignment.iter().enumerate() {
            size[c as usize] += 1;
            first[c as usize] = first[c as usize].min(node as u32);
        }
        let mut order: Vec<u32> = (0..k as u32).collect();
        order.sort_unstable_by_key(|&c| (std::cmp::Reverse(size[c as usize]), first[c as usize]));
        let mut rank = vec![0u32; k];
        for (r, &c) in order.iter().enumerate() {
            rank[c as usize] = r as u32;
        }
        Partition {
            assignment: p.assignment.iter().map(|&c| rank[c as usize]).collect(),
            clusters: k,
        }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.assignment.len()
    }

    /// Whether the partition covers no node.
    pub fn is_empty(&self) -> bool {
        self.assignment.is_empty()
    }

    /// Number of clusters.
    pub fn cluster_count(&self) -> usize {
        self.clusters
    }

    /// The cluster of `node`.
    #[inline]
    pub fn cluster_of(&self, node: NodeId) -> ClusterId {
        ClusterId(self.assignment[node.index()])
    }

    /// The cluster of every node, as raw numbers (index = node id).
    #[inline]
    pub fn assignment(&self) -> &[u32] {
        &self.assignment
    }

    /// Size of every cluster.
    pub fn sizes(&self) -> Vec<usize> {
        let mut size = vec![0usize; self.clusters];
        for &c in &self.assignment {
            size[c as usize] += 1;
        }
        size
    }

    /// Members of every cluster, each list sorted by node id.
    pub fn members(&self) -> Vec<Vec<NodeId>> {
        let mut out = vec![Vec::new(); self.clusters];
        for (node, &c) in self.assignment.iter().enumerate() {
            out[c as usize].push(NodeId(node as u32));
        }
        out
    }

    /// The same grouping as a cover (each node in exactly one community).
    pub fn to_cover(&self) -> Cover {
        Cover::new(
            self.assignment.len(),
            self.members()
                .into_iter()
                .map(|m| m.into_iter().map(|n| n.0).collect())
                .collect(),
        )
    }
}

/// Communities that may overlap and need not cover every node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cover {
    nodes: usize,
    communities: Vec<Vec<u32>>,
    names: Vec<String>,
}

impl Cover {
    /// A cover of `nodes` nodes; each community's members are sorted and deduplicated.
    pub fn new(nodes: usize, communities: Vec<Vec<u32>>) -> Self {
        let names = (0..communities.len()).map(|i| i.to_string()).collect();
        Cover::with_names(nodes, communities, names)
    }

    /// A cover whose communities carry names (circle names, ground-truth labels).
    pub fn with_names(nodes: usize, communities: Vec<Vec<u32>>, names: Vec<String>) -> Self {
        let communities = communities
            .into_iter()
            .map(|mut c| {
                c.sort_unstable();
                c.dedup();
                c
            })
            .collect();
        Cover {
            nodes,
            communities,
            names,
        }
    }

    /// Number of nodes of the graph the cover refers to.
    pub fn node_count(&self) -> usize {
        self.nodes
    }

    /// Number of communities.
    pub fn len(&self) -> usize {
        self.communities.len()
    }

    /// Whether there is no community.
    pub fn is_empty(&self) -> bool {
        self.communities.is_empty()
    }

    /// Members of every community, sorted.
    pub fn communities(&self) -> &[Vec<u32>] {
        &self.communities
    }

    /// Name of every community.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// For every node, the communities it belongs to.
    pub fn memberships(&self) -> Vec<Vec<u32>> {
        let mut out = vec![Vec::new(); self.nodes];
        for (c, members) in self.communities.iter().enumerate() {
            for &m in members {
                if let Some(slot) = out.get_mut(m as usize) {
                    slot.push(c as u32);
                }
            }
        }
        out
    }

    /// Nodes in at least one community.
    pub fn covered_nodes(&self) -> usize {
        self.memberships().iter().filter(|m| !m.is_empty()).count()
    }

    /// Whether no node belongs to two communities.
    pub fn is_disjoint(&self) -> bool {
        self.memberships().iter().all(|m| m.len() <= 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_numbering_is_size_then_smallest_member() {
        let p = Partition::canonical(&[7, 7, 3, 9, 3, 3, 9]);
        assert_eq!(p.assignment(), &[1, 1, 0, 2, 0, 0, 2]);
        assert_eq!(p.cluster_count(), 3);
        assert_eq!(p.sizes(), vec![3, 2, 2]);
    }

    #[test]
    fn labels_beyond_the_node_count_take_the_general_path() {
        let small = Partition::from_labels(&[2, 0, 2, 1]);
        let large = Partition::from_labels(&[900, 7, 900, 40]);
        assert_eq!(small.assignment(), &[0, 1, 0, 2]);
        assert_eq!(small, large);
    }

    #[test]
    fn cover_memberships_and_overlap() {
        let c = Cover::new(4, vec![vec![0, 1, 1], vec![1, 2]]);
        assert_eq!(c.communities()[0], vec![0, 1]);
        assert_eq!(c.memberships(), vec![vec![0], vec![0, 1], vec![1], vec![]]);
        assert_eq!(c.covered_nodes(), 3);
        assert!(!c.is_disjoint());
        assert!(Partition::from_labels(&[1, 1, 0]).to_cover().is_disjoint());
    }
}
