//! The levels of a run and several resolutions in one call.
//!
//! Leiden and Louvain build a hierarchy as they aggregate: the partition found by local moving
//! on level 0 groups people, the one on level 1 groups those groups, and so on. A
//! [`ClusterResult`] keeps one partition per level of the last iteration, each expressed over
//! the original nodes (finest first, the last equal to the result's partition), so a report can
//! show contexts at several scales.
//!
//! [`cluster_many`] answers the other multi-scale question, "what are the contexts at
//! resolutions γ₁, γ₂, …": it validates the graph once and runs each resolution on it in turn;
//! entry `i` equals `cluster(graph, config with resolution γᵢ)` exactly, so a sweep is as
//! reproducible as a single run. Complexity: the sum of the single runs.

use contextivity_graph::{Partition, UndirectedGraph};

use crate::config::{ClusterConfig, ClusterError};
use crate::{cluster_checked, validate_weights, ClusterResult};

/// The partition after local moving at every level, over original nodes.
#[derive(Clone, Debug, Default)]
pub(crate) struct LevelTrace {
    levels: Vec<Vec<u32>>,
}

impl LevelTrace {
    /// Records level labels `comm`; `node_map` maps original nodes to this level's nodes
    /// (`None` at level 0).
    pub(crate) fn record(&mut self, comm: &[u32], node_map: Option<&[u32]>) {
        let flat = match node_map {
            None => comm.to_vec(),
            Some(map) => map.iter().map(|&x| comm[x as usize]).collect(),
        };
        self.levels.push(flat);
    }

    /// The recorded levels as canonical partitions, the last replaced by `last`.
    pub(crate) fn into_partitions(mut self, last: &Partition) -> Vec<Partition> {
        self.levels.pop();
        let mut out: Vec<Partition> = self
            .levels
            .iter()
            .map(|l| Partition::canonical(l))
            .filter(|p| p.cluster_count() != last.cluster_count() || p != last)
            .collect();
        out.dedup();
        out.push(last.clone());
        out
    }
}

/// Clusters `graph` once per resolution in `resolutions`, every other parameter from `config`.
///
/// Entry `i` of the result is identical to `cluster(graph, &ClusterConfig { resolution:
/// resolutions[i], ..config.clone() })`. Fails on the first invalid resolution before any work.
pub fn cluster_many(
    graph: &UndirectedGraph,
    config: &ClusterConfig,
    resolutions: &[f64],
) -> Result<Vec<ClusterResult>, ClusterError> {
    let configs: Vec<ClusterConfig> = resolutions
        .iter()
        .map(|&resolution| ClusterConfig {
            resolution,
            ..config.clone()
        })
        .collect();
    for c in &configs {
        c.validate()?;
    }
    validate_weights(graph.csr())?;
    configs.iter().map(|c| cluster_checked(graph, c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_end_with_the_result_and_skip_repeats() {
        let mut t = LevelTrace::default();
        t.record(&[0, 0, 1, 2], None);
        t.record(&[0, 0, 1, 1], None);
        t.record(&[0, 0, 1, 1], None);
        let last = Partition::canonical(&[0, 0, 1, 1]);
        let parts = t.into_partitions(&last);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1], last);
        assert_eq!(parts[0].cluster_count(), 3);
    }
}
