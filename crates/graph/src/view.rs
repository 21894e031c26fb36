//! The undirected weighted view that clustering works on, and the policy that combines layers.
//!
//! A pair of people `{u, v}` gets the weight
//!
//! ```text
//! w(u, v) = follow · (f(u→v) + f(v→u))          f = follow edge weight (1 for a plain follow)
//!         + mutual_bonus · [u→v and v→u]
//!         + Σ over interaction events between u and v, either direction: kind_weight(kind) · weight
//! ```
//!
//! With the defaults a one-way follow weighs 1, a mutual follow 2, and a reply 3 on top. An
//! undirected follow layer (friendship lists) counts each tie once: `w = follow · f`. Self-loops
//! are left out: they carry no information about who shares a context with whom.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::csr::{BuildOptions, Csr, EdgeList};
use crate::error::GraphError;
use crate::graph::SocialGraph;

/// Default weight of one follow arc.
pub const DEFAULT_FOLLOW_WEIGHT: f32 = 1.0;
/// Default extra weight of a mutual follow on top of its two arcs.
pub const DEFAULT_MUTUAL_BONUS: f32 = 0.0;
/// Default weight of an interaction of a kind not listed in [`default_kind_weights`].
pub const DEFAULT_OTHER_KIND_WEIGHT: f32 = 1.0;

/// The default weight of each standard interaction kind: conversation counts most, a click least.
pub fn default_kind_weights() -> BTreeMap<String, f32> {
    [
        ("reply", 3.0),
        ("quote", 3.0),
        ("message", 3.0),
        ("mention", 2.0),
        ("repost", 2.0),
        ("like", 1.0),
        ("click", 0.5),
    ]
    .into_iter()
    .map(|(k, w)| (k.to_string(), w))
    .collect()
}

/// How follows and interactions combine into one undirected weight per pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ViewPolicy {
    /// Weight of one follow arc.
    pub follow: f32,
    /// Extra weight of a mutual follow.
    pub mutual_bonus: f32,
    /// Weight of one interaction of each named kind.
    pub kind_weights: BTreeMap<String, f32>,
    /// Weight of an interaction of any other kind.
    pub other_kind: f32,
}

impl Default for ViewPolicy {
    fn default() -> Self {
        ViewPolicy {
            follow: DEFAULT_FOLLOW_WEIGHT,
            mutual_bonus: DEFAULT_MUTUAL_BONUS,
            kind_weights: default_kind_weights(),
            other_kind: DEFAULT_OTHER_KIND_WEIGHT,
        }
    }
}

impl ViewPolicy {
    /// Structure only: follows count 1, interactions nothing.
    pub fn follows_only() -> Self {
        ViewPolicy {
            kind_weights: BTreeMap::new(),
            other_kind: 0.0,
            ..ViewPolicy::default()
        }
    }
}

/// An undirected weighted graph with cached node strengths: the input of every clustering
/// algorithm.
#[derive(Clone, Debug, PartialEq)]
pub struct UndirectedGraph {
    csr: Csr,
    strength: Vec<f64>,
    total_weight: f64,
}

impl UndirectedGraph {
    /// Wraps a symmetric CSR (checked) and caches strengths.
    pub fn from_symmetric(csr: Csr) -> Result<Self, GraphError> {
        if !csr.is_symmetric() {
            return Err(GraphError::InvalidCsr(
                "an undirected graph needs a symmetric CSR".into(),
            ));
        }
        Ok(Self::from_symmetric_unchecked(csr))
    }

    fn from_symmetric_unchecked(csr: Csr) -> Self {
        let strength: Vec<f64> = (0..csr.node_count()).map(|u| csr.strength(u)).collect();
        let total_weight = strength.iter().sum();
        UndirectedGraph {
            csr,
            strength,
            total_weight,
        }
    }

    /// Builds the graph of an undirected edge list (each edge once; duplicates summed).
    pub fn from_edges(n: usize, edges: &EdgeList) -> Result<Self, GraphError> {
        let options = BuildOptions {
            symmetric: true,
            keep_self_loops: false,
        };
        let (csr, _) = Csr::from_edges(n, edges, options)?;
        Ok(Self::from_symmetric_unchecked(csr))
    }

    /// Builds the graph of unweighted ties `{u, v}` (each of weight 1; a pair listed twice
    /// weighs 2): the convenient form for small graphs written out by hand.
    pub fn from_pairs(n: usize, pairs: &[(u32, u32)]) -> Result<Self, GraphError> {
        let mut edges = EdgeList::new();
        for &(u, v) in pairs {
            edges.push(u, v, 1.0);
        }
        Self::from_edges(n, &edges)
    }

    /// The symmetric adjacency.
    pub fn csr(&self) -> &Csr {
        &self.csr
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.csr.node_count()
    }

    /// Number of undirected edges (each stored twice).
    pub fn edge_count(&self) -> usize {
        self.csr.entry_count() / 2
    }

    /// Strength (weighted degree) of every node.
    pub fn strengths(&self) -> &[f64] {
        &self.strength
    }

    /// Sum of all strengths: twice the total edge weight.
    pub fn total_weight(&self) -> f64 {
        self.total_weight
    }
}

/// The clustering view of `graph` under `policy`.
pub fn clustering_view(
    graph: &SocialGraph,
    policy: &ViewPolicy,
) -> Result<UndirectedGraph, GraphError> {
    let n = graph.node_count();
    let mut edges = EdgeList::new();
    let out = graph.follows.out();
    let undirected = graph.follows.is_undirected();
    if policy.follow != 0.0 || policy.mutual_bonus != 0.0 {
        for (u, v, w) in out.iter() {
            if undirected {
                if u < v {
                    edges.push(u, v, policy.follow * w);
                }
                continue;
            }
            if policy.follow != 0.0 {
                edges.push(u, v, policy.follow * w);
            }
            if policy.mutual_bonus != 0.0 && u < v && out.weight_between(v as usize, u).is_some() {
                edges.push(u, v, policy.mutual_bonus);
            }
        }
    }
    let kinds = graph.interactions.kinds();
    let kind_weight: Vec<f32> = kinds
        .names()
        .iter()
        .map(|k| {
            policy
                .kind_weights
                .get(k)
                .copied()
                .unwrap_or(policy.other_kind)
        })
        .collect();
    for e in graph.interactions.iter() {
        let w = kind_weight[e.kind.0 as usize] * e.weight;
        if w != 0.0 {
            edges.push(e.source, e.target, w);
        }
    }
    UndirectedGraph::from_edges(n, &edges)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::{BuildConfig, GraphBuilder};

    #[test]
    fn follows_and_interactions_combine_as_documented() {
        let mut b = GraphBuilder::new(BuildConfig::default());
        let a = b.node("a").unwrap();
        let c = b.node("c").unwrap();
        let d = b.node("d").unwrap();
        b.add_follow(a, c, 1.0);
        b.add_follow(c, a, 1.0);
        b.add_follow(a, d, 1.0);
        let reply = b.kind("reply").unwrap();
        let boost = b.kind("boost").unwrap();
        b.add_interaction(d, a, reply, None, 1.0);
        b.add_interaction(c, d, boost, None, 2.0);
        let g = b.build().unwrap();
        let policy = ViewPolicy {
            mutual_bonus: 0.5,
            ..ViewPolicy::default()
        };
        let view = clustering_view(&g, &policy).unwrap();
        let csr = view.csr();
        assert_eq!(csr.weight_between(0, 1), Some(2.5));
        assert_eq!(csr.weight_between(0, 2), Some(4.0));
        assert_eq!(csr.weight_between(1, 2), Some(2.0));
        assert_eq!(view.edge_count(), 3);
        assert_eq!(view.total_weight(), 2.0 * 8.5);
        let structure = clustering_view(&g, &ViewPolicy::follows_only()).unwrap();
        assert_eq!(structure.csr().weight_between(0, 2), Some(1.0));
        assert_eq!(structure.csr().weight_between(1, 2), None);
    }
}
