//! Agreement between two partitions of the same nodes: NMI and ARI.
//!
//! Both measures read the contingency table `n_ij = |A_i ∩ B_j|` of the two partitions, with row
//! sums `a_i = |A_i|`, column sums `b_j = |B_j|` and `n` nodes. The table is built by sorting the
//! `(cluster in a, cluster in b)` pair of every node, so cells are visited in a fixed order and
//! the sums are deterministic.

use contextivity_graph::Partition;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::MetricsError;

/// The contingency table of two partitions, non-empty cells only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contingency {
    /// Number of nodes.
    pub nodes: u64,
    /// Size of every cluster of the first partition.
    pub rows: Vec<u64>,
    /// Size of every cluster of the second partition.
    pub columns: Vec<u64>,
    /// `(i, j, n_ij)` for every pair of clusters that share a node, sorted by `(i, j)`.
    pub cells: Vec<(u32, u32, u64)>,
}

impl Contingency {
    /// The table of `a` against `b`.
    ///
    /// # Errors
    ///
    /// [`MetricsError::NodeCountMismatch`] when the partitions have different lengths.
    pub fn new(a: &Partition, b: &Partition) -> Result<Self, MetricsError> {
        if a.len() != b.len() {
            return Err(MetricsError::NodeCountMismatch {
                left: a.len(),
                right: b.len(),
            });
        }
        let mut pairs: Vec<u64> = a
            .assignment()
            .par_iter()
            .zip(b.assignment().par_iter())
            .map(|(&i, &j)| ((i as u64) << 32) | j as u64)
            .collect();
        pairs.par_sort_unstable();
        let mut cells: Vec<(u32, u32, u64)> = Vec::new();
        for key in pairs {
            let (i, j) = ((key >> 32) as u32, key as u32);
            match cells.last_mut() {
                Some(last) if last.0 == i && last.1 == j => last.2 += 1,
                _ => cells.push((i, j, 1)),
            }
        }
        let mut rows = vec![0u64; a.cluster_count()];
        let mut columns = vec![0u64; b.cluster_count()];
        for &(i, j, count) in &cells {
            rows[i as usize] += count;
            columns[j as usize] += count;
        }
        Ok(Contingency {
            nodes: a.len() as u64,
            rows,
            columns,
            cells,
        })
    }
}

/// Normalised mutual information of two partitions, in `[0, 1]`.
///
/// Danon, Díaz-Guilera, Duch & Arenas, "Comparing community structure identification",
/// J. Stat. Mech. (2005) P09008:
///
/// ```text
/// NMI = 2 I(A; B) / (H(A) + H(B))
/// I(A; B) = Σ_ij (n_ij / n) · ln(n · n_ij / (a_i · b_j))
/// H(A)    = −Σ_i (a_i / n) · ln(a_i / n)
/// ```
///
/// This is the "arithmetic mean" normalisation of igraph's
/// `compare_communities(a, b, method="nmi")` and of scikit-learn's
/// `normalized_mutual_info_score`. When both entropies are zero (each partition is a single
/// cluster, or there are no nodes) the partitions agree and the value is 1. Relabelling the
/// clusters of either partition does not change the value, and `nmi(a, b) == nmi(b, a)` up to
/// rounding.
///
/// Complexity `O(n log n)` (the sort that builds the contingency table).
///
/// # Errors
///
/// [`MetricsError::NodeCountMismatch`] when the partitions have different lengths.
pub fn nmi(a: &Partition, b: &Partition) -> Result<f64, MetricsError> {
    let table = Contingency::new(a, b)?;
    let n = table.nodes as f64;
    let entropy = |sizes: &[u64]| -> f64 {
        sizes
            .iter()
            .filter(|&&s| s > 0)
            .map(|&s| (s as f64 / n) * (n / s as f64).ln())
            .sum()
    };
    let (ha, hb) = (entropy(&table.rows), entropy(&table.columns));
    // Equal partitions up to relabelling (every cluster meets exactly one cluster of the other
    // side, which covers both) are exactly 1, whatever the rounding; so is `ha + hb = 0`.
    if table.cells.len() == table.rows.len() && table.cells.len() == table.columns.len()
        || ha + hb == 0.0
    {
        return Ok(1.0);
    }
    let mutual: f64 = table
        .cells
        .iter()
        .map(|&(i, j, count)| {
            let c = count as f64;
            let expected = table.rows[i as usize] as f64 * table.columns[j as usize] as f64;
            (c / n) * (n * c / expected).ln()
        })
        .sum();
    Ok((2.0 * mutual / (ha + hb)).clamp(0.0, 1.0))
}

/// Adjusted Rand index of two partitions: 1 for identical partitions, about 0 for independent
/// ones, negative when they agree less than chance.
///
/// Hubert & Arabie, "Comparing partitions", Journal of Classification 2 (1985):
///
/// ```text
/// index    = Σ_ij C(n_ij, 2)
/// expected = Σ_i C(a_i, 2) · Σ_j C(b_j, 2) / C(n, 2)
/// maximum  = ½ [Σ_i C(a_i, 2) + Σ_j C(b_j, 2)]
/// ARI      = (index − expected) / (maximum − expected)
/// ```
///
/// The same value as scikit-learn's `adjusted_rand_score` and igraph's
/// `compare_communities(a, b, method="adjusted_rand")`. The denominator vanishes only when both
/// partitions are the same trivial one (both a single cluster, or both all singletons — including
/// fewer than two nodes); the value is then 1.
///
/// Pair counts are exact integers, and so are the numerator and denominator of the ratio
/// (multiplied through by `2 C(n, 2)`) for up to about three billion nodes.
///
/// # Errors
///
/// [`MetricsError::NodeCountMismatch`] when the partitions have different lengths.
pub fn ari(a: &Partition, b: &Partition) -> Result<f64, MetricsError> {
    let table = Contingency::new(a, b)?;
    let pairs = |x: u64| -> u128 { x as u128 * x.saturating_sub(1) as u128 / 2 };
    let index: u128 = table.cells.iter().map(|&(_, _, c)| pairs(c)).sum();
    let sum_a: u128 = table.rows.iter().map(|&s| pairs(s)).sum();
    let sum_b: u128 = table.columns.iter().map(|&s| pairs(s)).sum();
    let total = pairs(table.nodes);
    if sum_a == sum_b && (sum_a == 0 || sum_a == total) {
        // Both trivial in the same way: maximum = expected.
        return Ok(1.0);
    }
    // Multiplied through by 2·C(n, 2): exact in 128-bit integers unless n is near 2³²,
    // where the same ratio is taken in floating point.
    let exact = || -> Option<(i128, i128)> {
        let (index, sum_a, sum_b, total) = (
            i128::try_from(index).ok()?,
            i128::try_from(sum_a).ok()?,
            i128::try_from(sum_b).ok()?,
            i128::try_from(total).ok()?,
        );
        let product = sum_a.checked_mul(sum_b)?;
        let numerator = index
            .checked_mul(total)?
            .checked_sub(product)?
            .checked_mul(2)?;
        let denominator = (sum_a + sum_b)
            .checked_mul(total)?
            .checked_sub(product.checked_mul(2)?)?;
        Some((numerator, denominator))
    };
    if let Some((numerator, denominator)) = exact() {
        return Ok(numerator as f64 / denominator as f64);
    }
    let (index, sum_a, sum_b, total) = (index as f64, sum_a as f64, sum_b as f64, total as f64);
    let expected = sum_a * sum_b / total;
    let maximum = 0.5 * (sum_a + sum_b);
    Ok((index - expected) / (maximum - expected))
}

#[cfg(test)]
mod tests {
    use super::*;
    use contextivity_graph::Rng;
    use proptest::prelude::*;

    fn p(labels: &[u32]) -> Partition {
        Partition::from_labels(labels)
    }

    #[test]
    fn contingency_of_a_small_pair() {
        let t = Contingency::new(&p(&[0, 0, 1, 1, 1]), &p(&[0, 1, 1, 1, 0])).unwrap();
        assert_eq!(t.rows, vec![2, 3]);
        assert_eq!(t.columns, vec![2, 3]);
        assert_eq!(t.cells, vec![(0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 1, 2)]);
    }

    #[test]
    fn identities() {
        let x = p(&[0, 0, 1, 1, 2, 2, 2, 3]);
        assert_eq!(nmi(&x, &x).unwrap(), 1.0);
        assert_eq!(ari(&x, &x).unwrap(), 1.0);
        // A relabelling is the same partition.
        let y = p(&[7, 7, 4, 4, 9, 9, 9, 0]);
        assert!((nmi(&x, &y).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(ari(&x, &y).unwrap(), 1.0);
        // Both one cluster; both all singletons; no nodes at all.
        assert_eq!(nmi(&p(&[0; 4]), &p(&[3; 4])).unwrap(), 1.0);
        assert_eq!(ari(&p(&[0; 4]), &p(&[3; 4])).unwrap(), 1.0);
        let s = Partition::singletons(5);
        assert_eq!(ari(&s, &s).unwrap(), 1.0);
        assert_eq!(nmi(&p(&[]), &p(&[])).unwrap(), 1.0);
        assert_eq!(ari(&p(&[]), &p(&[])).unwrap(), 1.0);
        // One cluster against any split carries no information.
        assert_eq!(nmi(&p(&[0; 4]), &p(&[0, 0, 1, 1])).unwrap(), 0.0);
        assert_eq!(ari(&p(&[0; 4]), &p(&[0, 0, 1, 1])).unwrap(), 0.0);
    }

    #[test]
    fn nmi_by_hand() {
        // a = {0,1},{2,3}; b = {0,1,2},{3}; n = 4.
        // H(a) = ln 2.  H(b) = −¾ ln ¾ − ¼ ln ¼.
        // Cells: n_00 = 2, n_10 = 1, n_11 = 1 (a_0 = 2, a_1 = 2, b_0 = 3, b_1 = 1).
        // I = ½ ln(4·2/(2·3)) + ¼ ln(4·1/(2·3)) + ¼ ln(4·1/(2·1)) = ½ ln(4/3) + ¼ ln(2/3) + ¼ ln 2.
        let ha = 2f64.ln();
        let hb = -0.75 * 0.75f64.ln() - 0.25 * 0.25f64.ln();
        let i = 0.5 * (4.0f64 / 3.0).ln() + 0.25 * (2.0f64 / 3.0).ln() + 0.25 * 2f64.ln();
        let got = nmi(&p(&[0, 0, 1, 1]), &p(&[0, 0, 0, 1])).unwrap();
        assert!((got - 2.0 * i / (ha + hb)).abs() < 1e-12);
        // igraph 1.0 `compare_communities([0,0,1,1], [0,0,0,1], method="nmi")`.
        assert!((got - 0.343_711_018_485_450_9).abs() < 1e-12);
    }

    #[test]
    fn ari_textbook_examples() {
        // The worked examples of scikit-learn's `adjusted_rand_score` documentation.
        // [0,0,1,1] vs [0,0,1,2]: index = C(2,2) = 1; Σa = 1 + 1 = 2; Σb = 1; C(4,2) = 6;
        // expected = 2·1/6 = 1/3; maximum = 3/2; ARI = (2/3) / (7/6) = 4/7.
        let got = ari(&p(&[0, 0, 1, 1]), &p(&[0, 0, 1, 2])).unwrap();
        assert!((got - 4.0 / 7.0).abs() < 1e-12, "{got}");
        // [0,0,1,1] vs [0,1,0,1]: index = 0; Σa = Σb = 2; expected = 4/6; maximum = 2;
        // ARI = (−2/3) / (4/3) = −1/2.
        assert_eq!(ari(&p(&[0, 0, 1, 1]), &p(&[0, 1, 0, 1])).unwrap(), -0.5);
        // One cluster against all singletons: index = 0 = expected → 0.
        assert_eq!(ari(&p(&[0; 4]), &Partition::singletons(4)).unwrap(), 0.0);

        // A 3×3 table on 17 nodes: a has sizes 6, 6, 5; b has sizes 6, 5, 6.
        let a: Vec<u32> = [0; 6].into_iter().chain([1; 6]).chain([2; 5]).collect();
        let b: Vec<u32> = vec![0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 0, 2, 2, 2, 2];
        // Cells: (0,0) = 5, (0,1) = 1, (1,1) = 4, (1,2) = 2, (2,0) = 1, (2,2) = 4.
        // index = 10 + 0 + 6 + 1 + 0 + 6 = 23; Σa = 15 + 15 + 10 = 40; Σb = 15 + 10 + 15 = 40;
        // C(17,2) = 136; expected = 1600/136; maximum = 40;
        // ARI = (23 − 1600/136) / (40 − 1600/136) = (3128 − 1600) / (5440 − 1600) = 1528/3840.
        let got = ari(&p(&a), &p(&b)).unwrap();
        assert!((got - 1528.0 / 3840.0).abs() < 1e-12, "{got}");
    }

    #[test]
    fn length_mismatch_is_an_error() {
        let e = nmi(&p(&[0, 1]), &p(&[0, 1, 2])).unwrap_err();
        assert_eq!(e, MetricsError::NodeCountMismatch { left: 2, right: 3 });
        assert!(ari(&p(&[0]), &p(&[])).is_err());
        assert!(e.to_string().contains("(2 and 3)"));
    }

    #[test]
    fn independent_random_partitions_have_ari_near_zero() {
        let mut rng = Rng::new(7);
        let n = 10_000;
        let a: Vec<u32> = (0..n).map(|_| rng.below(20) as u32).collect();
        let b: Vec<u32> = (0..n).map(|_| rng.below(30) as u32).collect();
        let value = ari(&p(&a), &p(&b)).unwrap();
        assert!(value.abs() < 0.01, "ARI of independent partitions: {value}");
        // NMI is biased upwards by chance agreement but stays small.
        let value = nmi(&p(&a), &p(&b)).unwrap();
        assert!(value < 0.05, "NMI of independent partitions: {value}");
    }

    fn pair_of_partitions() -> impl Strategy<Value = (Partition, Partition)> {
        (1usize..60).prop_flat_map(|n| {
            (
                prop::collection::vec(0u32..8, n),
                prop::collection::vec(0u32..5, n),
            )
                .prop_map(|(a, b)| (p(&a), p(&b)))
        })
    }

    proptest! {
        #[test]
        fn nmi_and_ari_are_bounded_and_symmetric((a, b) in pair_of_partitions()) {
            let ab = nmi(&a, &b).unwrap();
            prop_assert!((0.0..=1.0).contains(&ab));
            prop_assert!((ab - nmi(&b, &a).unwrap()).abs() < 1e-12);
            let r = ari(&a, &b).unwrap();
            prop_assert!((-1.0..=1.0 + 1e-12).contains(&r));
            prop_assert!((r - ari(&b, &a).unwrap()).abs() < 1e-12);
            prop_assert_eq!(nmi(&a, &a).unwrap(), 1.0);
            prop_assert_eq!(ari(&b, &b).unwrap(), 1.0);
        }
    }
}
