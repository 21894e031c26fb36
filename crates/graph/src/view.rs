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

    /// The same ties with new weights: `weights` holds one weight per entry of [`Self::csr`], in
    /// entry order, of which only the upper entries (`u → v` with `u ≤ v`) are read; each lower
    /// entry `v → u` takes the weight of its mirror `u → v`. The result is thus symmetric by
    /// construction, to the bit, and needs no check: this is how a view is reweighted without
    /// rebuilding a CSR or calling [`Self::from_symmetric`], whose symmetry check is a binary
    /// search per entry. Fails unless there is one weight per entry and every upper weight is
    /// finite and non-negative (lower entries may hold anything).
    ///
    /// Cost: one pass over the entries in order that writes each lower entry from a cursor per
    /// row (as a CSR is transposed, no search), a copy of the structure and the strengths;
    /// [`Self::into_reweighted`] needs no copy.
    pub fn with_weights(&self, weights: Vec<f32>) -> Result<Self, GraphError> {
        let csr = &self.csr;
        let m = csr.entry_count();
        if weights.len() != m {
            return Err(GraphError::InvalidCsr(format!(
                "{} weights for {m} entries: one weight per entry is required",
                weights.len()
            )));
        }
        let mut weights = weights;
        mirror_upper_entries(csr, &mut weights)?;
        let csr = Csr::from_sorted_rows(csr.offsets().to_vec(), csr.targets().to_vec(), weights);
        Ok(Self::from_symmetric_unchecked(csr))
    }

    /// The same ties with new weights computed in place: `reweigh(csr, weights)` gets the
    /// graph's structure (its own weights left empty meanwhile) and its weights, one per entry
    /// in entry order, and overwrites those of the upper entries (`u → v` with `u ≤ v`); each
    /// lower entry `v → u` then takes the new weight of its mirror, so the result is symmetric
    /// by construction, to the bit. Nothing of the graph's size is allocated or copied: this
    /// is [`Self::with_weights`] for a caller that no longer needs the old weights (the topic
    /// blend of a view about to be clustered). Fails unless every upper weight is finite and
    /// non-negative.
    ///
    /// Cost: `reweigh`, then one pass over the entries in order that writes each lower entry
    /// from a cursor per row (as a CSR is transposed, no search), and the strengths.
    pub fn into_reweighted(
        mut self,
        reweigh: impl FnOnce(&Csr, &mut [f32]),
    ) -> Result<Self, GraphError> {
        let mut weights = self.csr.take_weights();
        reweigh(&self.csr, &mut weights);
        mirror_upper_entries(&self.csr, &mut weights)?;
        self.csr.put_weights(weights);
        Ok(Self::from_symmetric_unchecked(self.csr))
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

/// Copies the weight of every upper entry `u → v` (`u < v`) of a symmetric CSR to its lower
/// entry `v → u`, in place, after checking that every upper weight (self-loops included) is
/// finite and non-negative. Rows are read in order, so the lower entries of a row `v` are met
/// in the order of their targets: a cursor per row says where the next one is. Upper entries
/// are only read, lower ones only written.
fn mirror_upper_entries(csr: &Csr, weights: &mut [f32]) -> Result<(), GraphError> {
    let offsets = csr.offsets();
    let mut cursor: Vec<u64> = offsets[..csr.node_count()].to_vec();
    for u in 0..csr.node_count() {
        let range = csr.row_range(u);
        let row = csr.neighbors(u);
        let first = row.partition_point(|&v| (v as usize) < u);
        for (i, &v) in (range.start + first..range.end).zip(&row[first..]) {
            let w = weights[i];
            if !(w.is_finite() && w >= 0.0) {
                return Err(GraphError::InvalidCsr(
                    "an edge weight is negative or not finite".into(),
                ));
            }
            if v as usize != u {
                let lower = &mut cursor[v as usize];
                weights[*lower as usize] = w;
                *lower += 1;
            }
        }
    }
    Ok(())
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

    /// A random symmetric graph over `n` nodes (self-loops kept when asked), from `seed`.
    fn random_graph(n: usize, m: usize, seed: u64, loops: bool) -> UndirectedGraph {
        let mut rng = crate::Rng::new(seed);
        let mut edges = EdgeList::new();
        for _ in 0..m {
            let (u, v) = (rng.below(n as u64) as u32, rng.below(n as u64) as u32);
            edges.push(u, v, 0.5 + rng.next_f64() as f32);
        }
        let options = BuildOptions {
            symmetric: true,
            keep_self_loops: loops,
        };
        let (csr, _) = Csr::from_edges(n, &edges, options).unwrap();
        UndirectedGraph::from_symmetric(csr).unwrap()
    }

    #[test]
    fn with_weights_mirrors_the_upper_entries() {
        for (seed, loops) in [(1, false), (2, true), (3, false)] {
            let g = random_graph(300, 2500, seed, loops);
            let csr = g.csr();
            // New upper weights (the entry index, so that every one differs); the lower
            // entries hold rubbish, which must not be read.
            let mut weights = vec![f32::NAN; csr.entry_count()];
            for u in 0..csr.node_count() {
                for (i, &v) in csr.row_range(u).zip(csr.neighbors(u)) {
                    if v as usize >= u {
                        weights[i] = i as f32 / 7.0;
                    }
                }
            }
            let h = g.with_weights(weights.clone()).unwrap();
            assert!(h.csr().is_symmetric());
            assert_eq!(h.csr().offsets(), csr.offsets());
            assert_eq!(h.csr().targets(), csr.targets());
            for u in 0..csr.node_count() {
                for (i, &v) in csr.row_range(u).zip(csr.neighbors(u)) {
                    let want = if v as usize >= u {
                        weights[i]
                    } else {
                        weights[csr.row_range(v as usize).start
                            + csr
                                .neighbors(v as usize)
                                .binary_search(&(u as u32))
                                .unwrap()]
                    };
                    assert_eq!(h.csr().weights()[i].to_bits(), want.to_bits());
                }
            }
            // The same graph as building from the symmetric CSR, strengths included.
            let checked = UndirectedGraph::from_symmetric(h.csr().clone()).unwrap();
            assert_eq!(h, checked);
            // Its own weights give the graph back; on one thread too.
            assert_eq!(g.with_weights(csr.weights().to_vec()).unwrap(), g);
            let one = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .unwrap();
            assert_eq!(one.install(|| g.with_weights(weights.clone())).unwrap(), h);
            let many = rayon::ThreadPoolBuilder::new()
                .num_threads(5)
                .build()
                .unwrap();
            assert_eq!(many.install(|| g.with_weights(weights.clone())).unwrap(), h);
        }
    }

    #[test]
    fn reweighting_in_place_equals_with_weights() {
        for (seed, loops) in [(4, false), (5, true)] {
            let g = random_graph(300, 2500, seed, loops);
            let m = g.csr().entry_count();
            // New upper weights; the lower entries hold rubbish, which must not be read.
            let weights: Vec<f32> = (0..m).map(|i| (i % 13) as f32 / 3.0).collect();
            let mut given = weights.clone();
            for u in 0..g.node_count() {
                for (i, &v) in g.csr().row_range(u).zip(g.csr().neighbors(u)) {
                    if (v as usize) < u {
                        given[i] = f32::NAN;
                    }
                }
            }
            let expected = g.with_weights(weights.clone()).unwrap();
            let h = g
                .clone()
                .into_reweighted(|csr, w| {
                    assert!(csr.weights().is_empty());
                    assert_eq!(w.len(), m);
                    w.copy_from_slice(&given);
                })
                .unwrap();
            assert_eq!(h, expected);
        }
        let g = UndirectedGraph::from_pairs(3, &[(0, 1), (1, 2)]).unwrap();
        for bad in [-1.0, f32::NAN, f32::INFINITY] {
            assert!(g.clone().into_reweighted(|_, w| w[2] = bad).is_err());
            let h = g.clone().into_reweighted(|_, w| w[1] = bad).unwrap();
            assert_eq!(h, g);
        }
    }

    #[test]
    fn with_weights_checks_the_weights() {
        let g = UndirectedGraph::from_pairs(3, &[(0, 1), (1, 2)]).unwrap();
        // Entries: 0→1, 1→0, 1→2, 2→1; upper ones at 0 and 2.
        assert!(g.with_weights(vec![1.0; 3]).is_err());
        assert!(g.with_weights(vec![1.0; 5]).is_err());
        for bad in [-1.0, f32::NAN, f32::INFINITY] {
            assert!(g.with_weights(vec![bad, 1.0, 1.0, 1.0]).is_err());
            assert!(g.with_weights(vec![1.0, 1.0, bad, 1.0]).is_err());
            // A lower entry is not read.
            let h = g.with_weights(vec![2.0, bad, 3.0, bad]).unwrap();
            assert_eq!(h.csr().weights(), &[2.0, 2.0, 3.0, 3.0]);
            assert_eq!(h.total_weight(), 10.0);
        }
        let empty = UndirectedGraph::from_pairs(0, &[]).unwrap();
        assert_eq!(empty.with_weights(Vec::new()).unwrap(), empty);
    }
}
