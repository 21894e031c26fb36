//! Compressed sparse rows: the compact adjacency every hot loop runs on.
//!
//! A [`Csr`] holds `n + 1` offsets, the targets of every row back to back and one `f32` weight per
//! target. Rows are sorted by target and free of duplicates, which makes merging, lookups by binary
//! search and symmetric checks cheap and the layout deterministic.
//!
//! [`Csr::from_edges`] builds one in parallel the way high-throughput graph loaders do: count
//! degrees, prefix-sum them into offsets, scatter every edge into its row, then sort and merge
//! each row (summing the weights of duplicates). Complexity `O(m log d_max)` work, `O(m)` memory
//! beyond the input.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

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

/// A raw pointer that may cross threads; every use writes positions no other task writes.
#[derive(Clone, Copy)]
struct SharedMut<T>(*mut T);
// SAFETY: the pointer is only used for writes to disjoint indices, coordinated by atomic cursors.
unsafe impl<T: Send> Send for SharedMut<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for SharedMut<T> {}

impl<T> SharedMut<T> {
    /// The pointer. A method (not field access) so closures capture the whole `Sync` wrapper.
    #[inline]
    fn get(self) -> *mut T {
        self.0
    }
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
        let m = edges.len();
        if edges.targets.len() != m || edges.weights.as_ref().is_some_and(|w| w.len() != m) {
            return Err(GraphError::InvalidCsr(
                "edge list arrays differ in length".into(),
            ));
        }
        if let Some(&bad) = edges
            .sources
            .par_iter()
            .chain(edges.targets.par_iter())
            .find_any(|&&x| x as usize >= n)
        {
            return Err(GraphError::NodeOutOfRange { node: bad, nodes: n });
        }
        let keep = |i: usize| options.keep_self_loops || edges.sources[i] != edges.targets[i];
        let self_loops_dropped = if options.keep_self_loops {
            0
        } else {
            (0..m)
                .into_par_iter()
                .filter(|&i| edges.sources[i] == edges.targets[i])
                .count() as u64
        };

        // 1. Degrees.
        let degree: Vec<AtomicU32> = (0..n).map(|_| AtomicU32::new(0)).collect();
        (0..m).into_par_iter().filter(|&i| keep(i)).for_each(|i| {
            let (u, v) = (edges.sources[i], edges.targets[i]);
            degree[u as usize].fetch_add(1, Ordering::Relaxed);
            if options.symmetric && u != v {
                degree[v as usize].fetch_add(1, Ordering::Relaxed);
            }
        });
        // 2. Prefix sum.
        let mut offsets = Vec::with_capacity(n + 1);
        let mut acc = 0u64;
        offsets.push(0);
        for d in &degree {
            acc += d.load(Ordering::Relaxed) as u64;
            offsets.push(acc);
        }
        drop(degree);
        let slots = acc as usize;

        // 3. Scatter (target, weight bits) packed in one u64 so that sorting a row orders both.
        let cursor: Vec<AtomicU64> = offsets[..n].iter().map(|&o| AtomicU64::new(o)).collect();
        let mut packed: Vec<u64> = vec![0; slots];
        let out = SharedMut(packed.as_mut_ptr());
        (0..m).into_par_iter().filter(|&i| keep(i)).for_each(|i| {
            let (u, v, w) = (edges.sources[i], edges.targets[i], edges.weight(i));
            let place = |row: u32, target: u32| {
                let at = cursor[row as usize].fetch_add(1, Ordering::Relaxed) as usize;
                // SAFETY: `at` lies in row's range [offsets[row], offsets[row+1]), which the
                // degree count sized exactly, and the atomic cursor hands each slot out once.
                unsafe { *out.get().add(at) = ((target as u64) << 32) | w.to_bits() as u64 };
            };
            place(u, v);
            if options.symmetric && u != v {
                place(v, u);
            }
        });
        drop(cursor);

        // 4. Sort and merge each row, in parallel over balanced blocks of rows.
        let mut new_degree = vec![0u32; n];
        {
            let blocks = row_blocks(&offsets, rayon::current_num_threads() * 8);
            let mut packed_rest: &mut [u64] = &mut packed;
            let mut degree_rest: &mut [u32] = &mut new_degree;
            let mut jobs = Vec::with_capacity(blocks.len());
            let mut consumed = 0usize;
            for w in blocks.windows(2) {
                let (a, b) = (w[0], w[1]);
                let len = (offsets[b] - offsets[a]) as usize;
                let (p, pr) = std::mem::take(&mut packed_rest).split_at_mut(len);
                let (d, dr) = std::mem::take(&mut degree_rest).split_at_mut(b - a);
                packed_rest = pr;
                degree_rest = dr;
                jobs.push((a, b, p, d));
                consumed += len;
            }
            debug_assert_eq!(consumed, slots);
            jobs.into_par_iter().for_each(|(a, b, p, d)| {
                let base = offsets[a];
                for u in a..b {
                    let row = &mut p[(offsets[u] - base) as usize..(offsets[u + 1] - base) as usize];
                    d[u - a] = merge_row(row) as u32;
                }
            });
        }

        // 5. Compact rows into the final arrays.
        let mut final_offsets = Vec::with_capacity(n + 1);
        let mut acc = 0u64;
        final_offsets.push(0u64);
        for &d in &new_degree {
            acc += d as u64;
            final_offsets.push(acc);
        }
        let kept = acc as usize;
        let mut targets = vec![0u32; kept];
        let mut weights = vec![0f32; kept];
        {
            let t_ptr = SharedMut(targets.as_mut_ptr());
            let w_ptr = SharedMut(weights.as_mut_ptr());
            (0..n).into_par_iter().with_min_len(1024).for_each(|u| {
                let src = &packed[offsets[u] as usize..offsets[u] as usize + new_degree[u] as usize];
                let dst = final_offsets[u] as usize;
                for (k, &x) in src.iter().enumerate() {
                    // SAFETY: rows occupy disjoint ranges [final_offsets[u], final_offsets[u+1]).
                    unsafe {
                        *t_ptr.get().add(dst + k) = (x >> 32) as u32;
                        *w_ptr.get().add(dst + k) = f32::from_bits(x as u32);
                    }
                }
            });
        }
        // A symmetric build stores each distinct non-loop pair twice and each loop once.
        let input_kept = m as u64 - self_loops_dropped;
        let distinct_edges = if options.symmetric {
            let loops = (0..n)
                .into_par_iter()
                .filter(|&u| {
                    let row = &targets[final_offsets[u] as usize..final_offsets[u + 1] as usize];
                    row.binary_search(&(u as u32)).is_ok()
                })
                .count() as u64;
            (kept as u64 - loops) / 2 + loops
        } else {
            kept as u64
        };
        let duplicates_merged = input_kept - distinct_edges;
        Ok((
            Csr {
                offsets: final_offsets.into_boxed_slice(),
                targets: targets.into_boxed_slice(),
                weights: weights.into_boxed_slice(),
            },
            BuildStats {
                duplicates_merged,
                self_loops_dropped,
            },
        ))
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

/// Sorts a row of packed `(target << 32 | weight bits)` values and merges equal targets in place,
/// summing their weights; returns the merged length.
fn merge_row(row: &mut [u64]) -> usize {
    if row.len() <= 1 {
        return row.len();
    }
    row.sort_unstable();
    let mut out = 0usize;
    let mut i = 0usize;
    while i < row.len() {
        let target = row[i] >> 32;
        let mut w = f32::from_bits(row[i] as u32) as f64;
        let mut j = i + 1;
        while j < row.len() && row[j] >> 32 == target {
            w += f32::from_bits(row[j] as u32) as f64;
            j += 1;
        }
        row[out] = (target << 32) | (w as f32).to_bits() as u64;
        out += 1;
        i = j;
    }
    out
}

/// Splits rows `0..n` into about `parts` blocks of similar entry counts; returns block borders.
fn row_blocks(offsets: &[u64], parts: usize) -> Vec<usize> {
    let n = offsets.len() - 1;
    let total = offsets[n];
    let parts = parts.max(1) as u64;
    let mut borders = vec![0usize];
    for k in 1..parts {
        let goal = total * k / parts;
        let at = offsets.partition_point(|&o| o < goal).min(n);
        if at > *borders.last().unwrap_or(&0) {
            borders.push(at);
        }
    }
    if *borders.last().unwrap_or(&0) != n {
        borders.push(n);
    }
    if borders.len() == 1 {
        borders.push(n);
    }
    borders
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
