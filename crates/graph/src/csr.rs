//! Compressed sparse rows: the compact adjacency every hot loop runs on.
//!
//! A [`Csr`] holds `n + 1` offsets, the targets of every row back to back and one `f32` weight per
//! target. Rows are sorted by target and free of duplicates, which makes merging, lookups by binary
//! search and symmetric checks cheap and the layout deterministic.
//!
//! [`Csr::from_edges`] builds one in parallel the way high-throughput graph loaders do: count
//! degrees, prefix-sum them into offsets, scatter every edge into its row, then sort and merge
//! each row (summing the weights of duplicates); see `csr_build.rs`. Complexity
//! `O(m log d_max)` work, `O(m)` memory beyond the input.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::GraphError;

/// Edges waiting to become a [`Csr`]: parallel arrays of sources, targets and optional weights
/// (absent weights count as 1).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EdgeList {
    /// Source of each edge.
    pub sources: Vec<u32>,
    /// Target of each edge.
    pub targets: Vec<u32>,
    /// Weight of each edge, or `None` when every edge weighs 1.
    pub weights: Option<Vec<f32>>,
}

impl EdgeList {
    /// An empty list.
    pub fn new() -> Self {
        EdgeList::default()
    }

    /// Number of edges.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// Whether there are no edges.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Appends one edge; a weight other than 1 switches the list to explicit weights.
    pub fn push(&mut self, source: u32, target: u32, weight: f32) {
        if weight != 1.0 && self.weights.is_none() {
            self.weights = Some(vec![1.0; self.sources.len()]);
        }
        self.sources.push(source);
        self.targets.push(target);
        if let Some(w) = &mut self.weights {
            w.push(weight);
        }
    }

    /// The weight of edge `i`.
    #[inline]
    pub fn weight(&self, i: usize) -> f32 {
        self.weights.as_ref().map_or(1.0, |w| w[i])
    }

    /// Appends all edges of `other`.
    pub fn extend_from(&mut self, other: &EdgeList) {
        if other.weights.is_some() && self.weights.is_none() {
            self.weights = Some(vec![1.0; self.sources.len()]);
        }
        self.sources.extend_from_slice(&other.sources);
        self.targets.extend_from_slice(&other.targets);
        if let Some(w) = &mut self.weights {
            match &other.weights {
                Some(ow) => w.extend_from_slice(ow),
                None => w.extend(std::iter::repeat_n(1.0, other.len())),
            }
        }
    }
}

/// How [`Csr::from_edges`] treats its input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BuildOptions {
    /// Store every edge in both directions (an undirected graph).
    pub symmetric: bool,
    /// Keep self-loops instead of dropping them.
    pub keep_self_loops: bool,
}

/// What [`Csr::from_edges`] merged or dropped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildStats {
    /// Input edges merged into an earlier copy of the same edge (weights summed).
    pub duplicates_merged: u64,
    /// Self-loops left out.
    pub self_loops_dropped: u64,
}

/// Compressed sparse rows with `f32` weights; rows sorted by target, no duplicate targets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Csr {
    #[serde(with = "crate::packed")]
    offsets: Box<[u64]>,
    #[serde(with = "crate::packed")]
    targets: Box<[u32]>,
    #[serde(with = "crate::packed")]
    weights: Box<[f32]>,
}

impl Csr {
    /// A graph of `n` nodes and no edges.
    pub fn empty(n: usize) -> Self {
        Csr {
            offsets: vec![0; n + 1].into_boxed_slice(),
            targets: Box::new([]),
            weights: Box::new([]),
        }
    }

    /// Assembles a CSR from its arrays, checking every invariant (monotone offsets, targets in
    /// range, rows sorted without duplicates, matching lengths).
    pub fn from_parts(
        offsets: Vec<u64>,
        targets: Vec<u32>,
        weights: Vec<f32>,
    ) -> Result<Self, GraphError> {
        let bad = |why: &str| Err(GraphError::InvalidCsr(why.to_string()));
        if offsets.is_empty() {
            return bad("offsets must hold n + 1 entries");
        }
        if offsets[0] != 0 || offsets.last().copied() != Some(targets.len() as u64) {
            return bad("offsets must start at 0 and end at the number of targets");
        }
        if weights.len() != targets.len() {
            return bad("one weight per target is required");
        }
        let n = offsets.len() - 1;
        for u in 0..n {
            let (a, b) = (offsets[u], offsets[u + 1]);
            if a > b {
                return bad("offsets must not decrease");
            }
            let row = &targets[a as usize..b as usize];
            if row.iter().any(|&t| t as usize >= n) {
                return bad("a target is out of range");
            }
            if row.windows(2).any(|p| p[0] >= p[1]) {
                return bad("rows must be sorted by target without duplicates");
            }
        }
        Ok(Csr {
            offsets: offsets.into_boxed_slice(),
            targets: targets.into_boxed_slice(),
            weights: weights.into_boxed_slice(),
        })
    }

    /// Builds the CSR of `edges` over `n` nodes in parallel; duplicates are merged (weights
    /// summed) and self-loops dropped unless asked for. Fails if an endpoint is `>= n`.
    pub fn from_edges(
        n: usize,
        edges: &EdgeList,
        options: BuildOptions,
    ) -> Result<(Csr, BuildStats), GraphError> {
        crate::csr_build::build_csr(n, crate::csr_build::Input::Borrowed(edges), options)
    }

    /// As [`Csr::from_edges`], but consumes the edges and frees them as soon as they are laid
    /// out, which lowers the peak memory of loading a large graph.
    pub fn from_edge_list(
        n: usize,
        edges: EdgeList,
        options: BuildOptions,
    ) -> Result<(Csr, BuildStats), GraphError> {
        crate::csr_build::build_csr(n, crate::csr_build::Input::Owned(edges), options)
    }

    /// Assembles a CSR from arrays the caller built correctly (used by the parallel build, whose
    /// output satisfies every invariant by construction; checked in debug builds).
    pub(crate) fn from_sorted_rows(offsets: Vec<u64>, targets: Vec<u32>, weights: Vec<f32>) -> Csr {
        debug_assert!(Csr::from_parts(offsets.clone(), targets.clone(), weights.clone()).is_ok());
        Csr {
            offsets: offsets.into_boxed_slice(),
            targets: targets.into_boxed_slice(),
            weights: weights.into_boxed_slice(),
        }
    }

    /// Takes the weights out, leaving none (the structure stays readable), for a caller that
    /// rewrites them in place and puts them back with [`Self::put_weights`].
    pub(crate) fn take_weights(&mut self) -> Vec<f32> {
        std::mem::take(&mut self.weights).into_vec()
    }

    /// Puts back weights taken with [`Self::take_weights`] (one per entry).
    pub(crate) fn put_weights(&mut self, weights: Vec<f32>) {
        debug_assert_eq!(weights.len(), self.targets.len());
        self.weights = weights.into_boxed_slice();
    }

    /// Number of rows (nodes).
    #[inline]
    pub fn node_count(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of stored entries (arcs; an undirected edge stored both ways counts twice).
    #[inline]
    pub fn entry_count(&self) -> usize {
        self.targets.len()
    }

    /// The `n + 1` row offsets.
    #[inline]
    pub fn offsets(&self) -> &[u64] {
        &self.offsets
    }

    /// All targets, row after row.
    #[inline]
    pub fn targets(&self) -> &[u32] {
        &self.targets
    }

    /// All weights, aligned with [`Csr::targets`].
    #[inline]
    pub fn weights(&self) -> &[f32] {
        &self.weights
    }

    /// The range of row `u` inside [`Csr::targets`].
    #[inline]
    pub fn row_range(&self, u: usize) -> std::ops::Range<usize> {
        self.offsets[u] as usize..self.offsets[u + 1] as usize
    }

    /// Targets of row `u`, sorted.
    #[inline]
    pub fn neighbors(&self, u: usize) -> &[u32] {
        &self.targets[self.row_range(u)]
    }

    /// Weights of row `u`, aligned with [`Csr::neighbors`].
    #[inline]
    pub fn row_weights(&self, u: usize) -> &[f32] {
        &self.weights[self.row_range(u)]
    }

    /// Number of entries in row `u`.
    #[inline]
    pub fn degree(&self, u: usize) -> usize {
        (self.offsets[u + 1] - self.offsets[u]) as usize
    }

    /// Sum of the weights of row `u`.
    pub fn strength(&self, u: usize) -> f64 {
        self.row_weights(u).iter().map(|&w| w as f64).sum()
    }

    /// The weight of entry `u → v`, if present (binary search in the sorted row).
    pub fn weight_between(&self, u: usize, v: u32) -> Option<f32> {
        let row = self.neighbors(u);
        row.binary_search(&v).ok().map(|k| self.row_weights(u)[k])
    }

    /// Bytes held by the three arrays.
    pub fn heap_bytes(&self) -> usize {
        self.offsets.len() * 8 + self.targets.len() * 4 + self.weights.len() * 4
    }

    /// The transpose: entry `v → u` for every `u → v` (the in-adjacency of a directed layer).
    pub fn transpose(&self) -> Csr {
        let n = self.node_count();
        let edges = EdgeList {
            sources: self.targets.to_vec(),
            targets: (0..n)
                .flat_map(|u| std::iter::repeat_n(u as u32, self.degree(u)))
                .collect(),
            weights: Some(self.weights.to_vec()),
        };
        let options = BuildOptions {
            symmetric: false,
            keep_self_loops: true,
        };
        // Cannot fail: every endpoint is a row of `self`.
        match Csr::from_edges(n, &edges, options) {
            Ok((csr, _)) => csr,
            Err(_) => unreachable!("transpose of a valid CSR has endpoints in range"),
        }
    }

    /// Whether every entry `u → v` has a mirror `v → u` of equal weight.
    pub fn is_symmetric(&self) -> bool {
        (0..self.node_count()).into_par_iter().all(|u| {
            self.neighbors(u)
                .iter()
                .zip(self.row_weights(u))
                .all(|(&v, &w)| self.weight_between(v as usize, u as u32) == Some(w))
        })
    }

    /// Iterates over `(source, target, weight)` of every entry in row order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32, f32)> + '_ {
        (0..self.node_count()).flat_map(move |u| {
            self.neighbors(u)
                .iter()
                .zip(self.row_weights(u))
                .map(move |(&v, &w)| (u as u32, v, w))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn list(edges: &[(u32, u32, f32)]) -> EdgeList {
        let mut l = EdgeList::new();
        for &(u, v, w) in edges {
            l.push(u, v, w);
        }
        l
    }

    #[test]
    fn directed_build_merges_duplicates_and_drops_loops() {
        let e = list(&[(0, 1, 1.0), (0, 1, 2.0), (1, 1, 1.0), (2, 0, 1.0)]);
        let (csr, stats) = Csr::from_edges(3, &e, BuildOptions::default()).unwrap();
        assert_eq!(csr.neighbors(0), &[1]);
        assert_eq!(csr.row_weights(0), &[3.0]);
        assert_eq!(csr.neighbors(1), &[] as &[u32]);
        assert_eq!(csr.neighbors(2), &[0]);
        assert_eq!(stats.duplicates_merged, 1);
        assert_eq!(stats.self_loops_dropped, 1);
    }

    #[test]
    fn symmetric_build_counts_reverse_duplicates() {
        let e = list(&[(0, 1, 1.0), (1, 0, 1.0), (1, 2, 1.0), (2, 2, 1.0)]);
        let options = BuildOptions {
            symmetric: true,
            keep_self_loops: true,
        };
        let (csr, stats) = Csr::from_edges(3, &e, options).unwrap();
        assert!(csr.is_symmetric());
        assert_eq!(csr.neighbors(1), &[0, 2]);
        assert_eq!(csr.row_weights(1), &[2.0, 1.0]);
        assert_eq!(csr.neighbors(2), &[1, 2]);
        assert_eq!(stats.duplicates_merged, 1);
        assert_eq!(stats.self_loops_dropped, 0);
    }

    #[test]
    fn out_of_range_endpoint_is_an_error() {
        let e = list(&[(0, 5, 1.0)]);
        assert!(matches!(
            Csr::from_edges(3, &e, BuildOptions::default()),
            Err(GraphError::NodeOutOfRange { node: 5, nodes: 3 })
        ));
    }

    #[test]
    fn from_parts_rejects_unsorted_rows() {
        assert!(Csr::from_parts(vec![0, 2, 2], vec![1, 0], vec![1.0, 1.0]).is_err());
        assert!(Csr::from_parts(vec![0, 1, 1], vec![1], vec![1.0]).is_ok());
    }

    #[test]
    fn transpose_reverses_entries() {
        let e = list(&[(0, 1, 1.0), (0, 2, 2.0), (2, 1, 3.0)]);
        let (csr, _) = Csr::from_edges(3, &e, BuildOptions::default()).unwrap();
        let t = csr.transpose();
        assert_eq!(t.neighbors(1), &[0, 2]);
        assert_eq!(t.row_weights(1), &[1.0, 3.0]);
        assert_eq!(t.neighbors(2), &[0]);
        assert_eq!(t.transpose(), csr);
    }

    proptest! {
        #[test]
        fn matches_a_naive_reference(
            n in 1usize..30,
            raw in proptest::collection::vec((0u32..30, 0u32..30, 1u8..4), 0..200),
            symmetric in any::<bool>(),
            keep_self_loops in any::<bool>(),
        ) {
            let edges: Vec<(u32, u32, f32)> = raw
                .into_iter()
                .map(|(u, v, w)| (u % n as u32, v % n as u32, w as f32))
                .collect();
            let options = BuildOptions { symmetric, keep_self_loops };
            let (csr, stats) = Csr::from_edges(n, &list(&edges), options).unwrap();
            let mut reference: BTreeMap<(u32, u32), f32> = BTreeMap::new();
            let mut distinct_input = std::collections::BTreeSet::new();
            let mut loops = 0u64;
            for &(u, v, w) in &edges {
                if u == v && !keep_self_loops { loops += 1; continue; }
                *reference.entry((u, v)).or_default() += w;
                if symmetric && u != v { *reference.entry((v, u)).or_default() += w; }
                distinct_input.insert(if symmetric { (u.min(v), u.max(v)) } else { (u, v) });
            }
            let got: BTreeMap<(u32, u32), f32> = csr.iter().map(|(u, v, w)| ((u, v), w)).collect();
            prop_assert_eq!(got, reference);
            prop_assert_eq!(stats.self_loops_dropped, loops);
            let kept_input = edges.len() as u64 - loops;
            prop_assert_eq!(stats.duplicates_merged, kept_input - distinct_input.len() as u64);
            if symmetric { prop_assert!(csr.is_symmetric()); }
        }
    }
}
