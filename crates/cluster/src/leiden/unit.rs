//! The input graph read without its weights when every weight is 1.
//!
//! Follow graphs, SNAP edge lists and the LFR benchmarks carry no weights, so the CSR's weight
//! array holds nothing but `1.0`. Level 0 reads every row several times (local moving,
//! refinement, aggregation); through [`UnitCsr`] those loops read only the targets, which
//! halves the bytes of every row visit, and the constant weight lets the compiler drop the
//! `w ≤ 0` tests. The weights seen by the algorithms are exactly the same (`1.0`), so the
//! partition is identical to the one computed through the weighted CSR.

use contextivity_graph::Csr;
use rayon::prelude::*;

use super::Adjacency;

/// The weight of every entry of a [`UnitCsr`]: a zero-sized `1.0`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct UnitWeight;

impl From<UnitWeight> for f64 {
    #[inline]
    fn from(_: UnitWeight) -> f64 {
        1.0
    }
}

/// A CSR whose weights are all 1, seen as an [`Adjacency`] with zero-sized weights.
pub(crate) struct UnitCsr<'a> {
    csr: &'a Csr,
    /// One zero-sized weight per entry: rows are sub-slices of it, and a vector of a zero-sized
    /// type allocates nothing.
    ones: Vec<UnitWeight>,
}

impl<'a> UnitCsr<'a> {
    /// `csr` seen without its weights, or `None` if any weight is not exactly 1.
    pub(crate) fn of(csr: &'a Csr) -> Option<Self> {
        csr.weights()
            .par_iter()
            .all(|&w| w == 1.0)
            .then(|| UnitCsr {
                csr,
                ones: vec![UnitWeight; csr.entry_count()],
            })
    }
}

impl Adjacency for UnitCsr<'_> {
    type Weight = UnitWeight;
    #[inline]
    fn node_count(&self) -> usize {
        self.csr.node_count()
    }
    #[inline]
    fn row(&self, u: usize) -> (&[u32], &[UnitWeight]) {
        let r = self.csr.row_range(u);
        let len = r.len();
        (&self.csr.targets()[r], &self.ones[..len])
    }
    #[inline]
    fn hint_row_place(&self, u: usize) {
        self.csr.hint_row_place(u);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contextivity_graph::{EdgeList, UndirectedGraph};

    fn graph(edges: &[(u32, u32, f32)]) -> UndirectedGraph {
        let mut list = EdgeList::new();
        for &(u, v, w) in edges {
            list.push(u, v, w);
        }
        UndirectedGraph::from_edges(4, &list).unwrap()
    }

    #[test]
    fn an_unweighted_graph_reads_the_same_rows_with_unit_weights() {
        let g = graph(&[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 0, 1.0)]);
        let unit = UnitCsr::of(g.csr()).expect("all weights are 1");
        assert_eq!(unit.node_count(), 4);
        for u in 0..4 {
            let (targets, ws) = unit.row(u);
            let (want_t, want_w) = Adjacency::row(g.csr(), u);
            assert_eq!(targets, want_t);
            assert_eq!(ws.len(), want_w.len());
            let ws: Vec<f64> = ws.iter().map(|&w| w.into()).collect();
            let want_w: Vec<f64> = want_w.iter().map(|&w| w.into()).collect();
            assert_eq!(ws, want_w);
        }
    }

    #[test]
    fn one_other_weight_keeps_the_weighted_csr() {
        let g = graph(&[(0, 1, 1.0), (1, 2, 2.0), (2, 3, 1.0)]);
        assert!(UnitCsr::of(g.csr()).is_none());
    }
}
