//! Agreement between covers, whose communities may overlap and need not cover every node:
//! overlapping NMI and the average best-match F1.
//!
//! Both compare every community of one cover with the communities of the other that it
//! intersects. Intersections are counted from a node → communities index of the second cover,
//! so the work is `Σ_u |communities of u in a| · |communities of u in b|`, parallel over the
//! communities of the first cover; each community's result depends on that community only, so
//! the values do not depend on the thread count.

use contextivity_graph::Cover;
use rayon::prelude::*;

use crate::error::MetricsError;

/// For every node, the communities of a cover that contain it, stored flat.
struct MembershipIndex {
    offsets: Vec<usize>,
    communities: Vec<u32>,
}

impl MembershipIndex {
    /// The index of `cover` over node ids `0..nodes` (members beyond are ignored; callers check
    /// the range or size `nodes` to fit).
    fn new(cover: &Cover, nodes: usize) -> Self {
        let mut offsets = vec![0usize; nodes + 1];
        for members in cover.communities() {
            for &m in members {
                if let Some(slot) = offsets.get_mut(m as usize + 1) {
                    *slot += 1;
                }
            }
        }
        for u in 0..nodes {
            offsets[u + 1] += offsets[u];
        }
        let mut cursor = offsets.clone();
        let mut communities = vec![0u32; offsets[nodes]];
        for (c, members) in cover.communities().iter().enumerate() {
            for &m in members {
                if let Some(at) = cursor.get_mut(m as usize) {
                    communities[*at] = c as u32;
                    *at += 1;
                }
            }
        }
        MembershipIndex {
            offsets,
            communities,
        }
    }

    fn of(&self, node: u32) -> &[u32] {
        let u = node as usize;
        match (self.offsets.get(u), self.offsets.get(u + 1)) {
            (Some(&a), Some(&b)) => &self.communities[a..b],
            _ => &[],
        }
    }
}

/// Applies `f(i, |X_i|, overlaps)` to every community `X_i` of `x`, in parallel, where
/// `overlaps` lists `(j, |X_i ∩ Y_j|)` for every community `Y_j` of `y` that `X_i` intersects
/// (in no particular order).
fn map_overlaps<T, F>(x: &Cover, y: &Cover, y_index: &MembershipIndex, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize, usize, &[(u32, u32)]) -> T + Sync,
{
    x.communities()
        .par_iter()
        .enumerate()
        .map_init(
            || {
                (
                    vec![0u32; y.len()],
                    Vec::<u32>::new(),
                    Vec::<(u32, u32)>::new(),
                )
            },
            |(count, touched, overlaps), (i, members)| {
                for &m in members {
                    for &j in y_index.of(m) {
                        if count[j as usize] == 0 {
                            touched.push(j);
                        }
                        count[j as usize] += 1;
                    }
                }
                overlaps.clear();
                for &j in touched.iter() {
                    overlaps.push((j, count[j as usize]));
                    count[j as usize] = 0;
                }
                touched.clear();
                f(i, members.len(), overlaps)
            },
        )
        .collect()
}

/// Checks that two covers describe the same nodes and that every member is one of them.
fn check_covers(a: &Cover, b: &Cover) -> Result<(), MetricsError> {
    if a.node_count() != b.node_count() {
        return Err(MetricsError::NodeCountMismatch {
            left: a.node_count(),
            right: b.node_count(),
        });
    }
    for cover in [a, b] {
        for (community, members) in cover.communities().iter().enumerate() {
            // Members are sorted, so the last one is the largest.
            if let Some(&member) = members.last() {
                if member as usize >= cover.node_count() {
                    return Err(MetricsError::MemberOutOfRange {
                        community,
                        member,
                        nodes: cover.node_count(),
                    });
                }
            }
        }
    }
    Ok(())
}

/// `−p log₂ p`, zero at `p = 0`.
fn h(p: f64) -> f64 {
    if p > 0.0 {
        -p * p.log2()
    } else {
        0.0
    }
}

/// Entropy of the membership indicator of a community of `size` nodes out of `n`.
fn indicator_entropy(size: usize, n: f64) -> f64 {
    let p = size as f64 / n;
    h(p) + h(1.0 - p)
}

/// `H(X | Y) = Σ_i min(H(X_i), min_j H*(X_i | Y_j))` over the communities `Y_j` that `X_i`
/// intersects, with the constraint of Lancichinetti, Fortunato & Kertész.
fn conditional_entropy(
    x: &Cover,
    y: &Cover,
    y_index: &MembershipIndex,
    y_sizes: &[usize],
    n: usize,
) -> f64 {
    let nf = n as f64;
    let terms = map_overlaps(x, y, y_index, |_, size_x, overlaps| {
        if size_x == 0 {
            return 0.0;
        }
        let own = indicator_entropy(size_x, nf);
        overlaps.iter().fold(own, |best, &(j, both)| {
            let (both, size_y) = (both as usize, y_sizes[j as usize]);
            // Joint distribution of (x ∈ X_i, x ∈ Y_j) over the n nodes.
            let p11 = both as f64 / nf;
            let p10 = (size_x - both) as f64 / nf;
            let p01 = (size_y - both) as f64 / nf;
            let p00 = (n + both - size_x - size_y) as f64 / nf;
            if h(p11) + h(p00) >= h(p10) + h(p01) {
                let joint = h(p11) + h(p10) + h(p01) + h(p00);
                best.min(joint - indicator_entropy(size_y, nf))
            } else {
                best
            }
        })
    });
    terms.iter().sum()
}

/// Overlapping normalised mutual information of two covers of the same nodes, in `[0, 1]`.
///
/// McDaid, Greene & Hurley, "Normalized mutual information to evaluate overlapping community
/// finding algorithms", arXiv:1110.2515 (2011), with the "max" normalisation that their `onmi`
/// tool reports as `NMI<Max>`, building on Lancichinetti, Fortunato & Kertész, New J. Phys. 11
/// (2009). Each community `X_i` is a binary variable (is a node in `X_i`?) over the `n` nodes:
///
/// ```text
/// H(X_i)         = h(|X_i| / n) + h(1 − |X_i| / n),            h(p) = −p log₂ p
/// H*(X_i | Y_j)  = H(X_i, Y_j) − H(Y_j)   if h(p11) + h(p00) ≥ h(p01) + h(p10), else H(X_i)
/// H(X | Y)       = Σ_i min_j H*(X_i | Y_j)                       (min includes H(X_i))
/// H(X)           = Σ_i H(X_i)
/// I(X : Y)       = ½ [H(X) − H(X | Y) + H(Y) − H(Y | X)]
/// ONMI           = I(X : Y) / max(H(X), H(Y))
/// ```
///
/// where `p11` is the share of nodes in both `X_i` and `Y_j`, `p00` in neither, and so on. As in
/// the reference `onmi` tool (and networkit's `OverlappingNMIDistance`), the minimum runs over the
/// communities `Y_j` that `X_i` intersects. Empty communities are ignored. Edge cases follow
/// networkit: two covers without (non-empty) communities agree (1), one empty cover against a
/// non-empty one gives 0, and `H(X) = H(Y) = 0` gives 1.
///
/// `n` is the covers' node count, so nodes in no community of either cover still count. McDaid's
/// tool counts only the nodes named in either file; to reproduce it, compare two files aligned on
/// the union of their labels (`contextivity_formats::truth::align`).
///
/// For two partitions this is not the classic [`nmi`](crate::nmi): each cluster is a separate
/// binary variable.
///
/// # Errors
///
/// [`MetricsError::NodeCountMismatch`] when the covers have different node counts;
/// [`MetricsError::MemberOutOfRange`] when a community lists a node outside that range.
pub fn onmi(a: &Cover, b: &Cover) -> Result<f64, MetricsError> {
    check_covers(a, b)?;
    let n = a.node_count();
    let sizes = |c: &Cover| -> Vec<usize> { c.communities().iter().map(Vec::len).collect() };
    let (sizes_a, sizes_b) = (sizes(a), sizes(b));
    let (empty_a, empty_b) = (
        sizes_a.iter().all(|&s| s == 0),
        sizes_b.iter().all(|&s| s == 0),
    );
    if empty_a || empty_b {
        return Ok(if empty_a && empty_b { 1.0 } else { 0.0 });
    }
    let nf = n as f64;
    let entropy = |sizes: &[usize]| -> f64 {
        sizes
            .iter()
            .filter(|&&s| s > 0)
            .map(|&s| indicator_entropy(s, nf))
            .sum()
    };
    let (ha, hb) = (entropy(&sizes_a), entropy(&sizes_b));
    if ha == 0.0 && hb == 0.0 {
        return Ok(1.0);
    }
    let (index_a, index_b) = (MembershipIndex::new(a, n), MembershipIndex::new(b, n));
    let ha_given_b = conditional_entropy(a, b, &index_b, &sizes_b, n);
    let hb_given_a = conditional_entropy(b, a, &index_a, &sizes_a, n);
    let mutual = 0.5 * (ha - ha_given_b + hb - hb_given_a);
    let value = mutual / ha.max(hb);
    Ok(if value.is_nan() {
        0.0
    } else {
        value.clamp(0.0, 1.0)
    })
}

/// For every community of `truth`, its best F1 score against any community of `detected`
/// (0 when it meets none, and for an empty community).
///
/// The F1 score of two node sets is the harmonic mean of precision and recall:
/// `F1(A, B) = 2 |A ∩ B| / (|A| + |B|)`. This is the per-community half of
/// [`average_f1`]; a report can list it next to each ground-truth community ("how well was this
/// circle found?").
///
/// Node ids are compared as they are; the covers' node counts play no part.
pub fn best_match_f1(detected: &Cover, truth: &Cover) -> Vec<f64> {
    let nodes = index_range(detected).max(index_range(truth));
    let index = MembershipIndex::new(detected, nodes);
    let detected_sizes: Vec<usize> = detected.communities().iter().map(Vec::len).collect();
    map_overlaps(truth, detected, &index, |_, size, overlaps| {
        overlaps
            .iter()
            .map(|&(j, both)| 2.0 * both as f64 / (size + detected_sizes[j as usize]) as f64)
            .fold(0.0, f64::max)
    })
}

/// Average F1 score of a detected cover against a ground-truth cover, in `[0, 1]`.
///
/// Yang & Leskovec, "Overlapping community detection at scale: a nonnegative matrix factorization
/// approach" (WSDM 2013), after McAuley & Leskovec, "Learning to discover social circles in ego
/// networks" (NIPS 2012): each community is matched with its best counterpart, in both directions,
///
/// ```text
/// F1(A, B)  = 2 |A ∩ B| / (|A| + |B|)
/// avg F1    = ½ [ 1/|T| Σ_{t ∈ T} max_{d ∈ D} F1(t, d)  +  1/|D| Σ_{d ∈ D} max_{t ∈ T} F1(d, t) ]
/// ```
///
/// with `T` the truth and `D` the detected communities. Empty communities are left out of both
/// means. When either side has no non-empty community the value is 1 if both have none and 0
/// otherwise.
///
/// Node ids are compared as they are; the covers' node counts play no part.
pub fn average_f1(detected: &Cover, truth: &Cover) -> f64 {
    let mean_best = |from: &Cover, against: &Cover| -> Option<f64> {
        let best = best_match_f1(against, from);
        let kept: Vec<f64> = from
            .communities()
            .iter()
            .zip(best)
            .filter(|(members, _)| !members.is_empty())
            .map(|(_, f1)| f1)
            .collect();
        (!kept.is_empty()).then(|| kept.iter().sum::<f64>() / kept.len() as f64)
    };
    match (mean_best(truth, detected), mean_best(detected, truth)) {
        (Some(t), Some(d)) => 0.5 * (t + d),
        (None, None) => 1.0,
        _ => 0.0,
    }
}

/// Average F1 of two covers seen only within a scope of nodes, with how many communities of each
/// side the scope keeps. Returned by [`average_f1_within`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScopedF1 {
    /// [`average_f1`] of the restricted covers.
    pub f1: f64,
    /// Detected communities with at least one member in the scope.
    pub detected: usize,
    /// Truth communities with at least one member in the scope.
    pub truth: usize,
}

/// [`average_f1`] of `detected` against `truth`, both restricted to the nodes of `scope`:
/// every community keeps only its members in `scope`, and those left empty play no part.
///
/// This is how McAuley & Leskovec (NIPS 2012) score circles: one clustering of everybody is
/// compared with each ego's circles on that ego's people (its alters, the ego left out) and the
/// scores are averaged over egos, so a cluster that spans several egos' networks is judged by
/// its part in each, and communities of other networks do not dilute an ego's score.
///
/// `scope` may be in any order and hold repeats. Cost: `O(scope + members of both covers)`.
pub fn average_f1_within(detected: &Cover, truth: &Cover, scope: &[u32]) -> ScopedF1 {
    let nodes = index_range(detected)
        .max(index_range(truth))
        .max(scope.iter().map(|&u| u as usize + 1).max().unwrap_or(0));
    let mut inside = vec![false; nodes];
    for &u in scope {
        inside[u as usize] = true;
    }
    let restrict = |cover: &Cover| -> Cover {
        let communities: Vec<Vec<u32>> = cover
            .communities()
            .iter()
            .map(|members| {
                members
                    .iter()
                    .copied()
                    .filter(|&m| inside[m as usize])
                    .collect::<Vec<u32>>()
            })
            .filter(|members| !members.is_empty())
            .collect();
        Cover::new(nodes, communities)
    };
    let (detected, truth) = (restrict(detected), restrict(truth));
    ScopedF1 {
        f1: average_f1(&detected, &truth),
        detected: detected.len(),
        truth: truth.len(),
    }
}

/// One past the largest node id a cover mentions (at least its node count).
fn index_range(cover: &Cover) -> usize {
    cover
        .communities()
        .iter()
        .filter_map(|m| m.last())
        .map(|&m| m as usize + 1)
        .max()
        .unwrap_or(0)
        .max(cover.node_count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use contextivity_graph::Partition;
    use proptest::prelude::*;

    fn cover(n: usize, communities: &[&[u32]]) -> Cover {
        Cover::new(n, communities.iter().map(|c| c.to_vec()).collect())
    }

    #[test]
    fn identities() {
        let x = cover(8, &[&[0, 1, 2], &[2, 3, 4], &[5, 6], &[7]]);
        assert!((onmi(&x, &x).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(average_f1(&x, &x), 1.0);
        assert_eq!(best_match_f1(&x, &x), vec![1.0; 4]);
        // Community order and duplicate members do not matter.
        let y = cover(8, &[&[7], &[6, 5, 5], &[4, 3, 2], &[2, 1, 0]]);
        assert!((onmi(&x, &y).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(average_f1(&y, &x), 1.0);
    }

    #[test]
    fn f1_by_hand() {
        // truth T1 = {0,1,2,3}, T2 = {4,5}; detected D1 = {0,1,2}, D2 = {3,4,5,6}.
        // F1(T1,D1) = 2·3/7 = 6/7; F1(T1,D2) = 2·1/8 = 1/4; F1(T2,D2) = 2·2/6 = 2/3.
        // best over truth: T1 → 6/7, T2 → 2/3; best over detected: D1 → 6/7, D2 → 2/3.
        // avg F1 = ½ [(6/7 + 2/3)/2 + (6/7 + 2/3)/2] = (6/7 + 2/3)/2 = 32/42.
        let truth = cover(7, &[&[0, 1, 2, 3], &[4, 5]]);
        let detected = cover(7, &[&[0, 1, 2], &[3, 4, 5, 6]]);
        let best = best_match_f1(&detected, &truth);
        assert!((best[0] - 6.0 / 7.0).abs() < 1e-12 && (best[1] - 2.0 / 3.0).abs() < 1e-12);
        assert!((average_f1(&detected, &truth) - 32.0 / 42.0).abs() < 1e-12);
        // An extra detected community that meets nothing lowers only the detected side:
        // ½ [(6/7 + 2/3)/2 + (6/7 + 2/3 + 0)/3] = (16/21)/2 + (32/21)/6 = 8/21 + 16/63 = 40/63.
        let more = cover(9, &[&[0, 1, 2], &[3, 4, 5, 6], &[7, 8]]);
        assert!((average_f1(&more, &truth) - 40.0 / 63.0).abs() < 1e-12);
        // Edge cases.
        let none = cover(7, &[]);
        assert_eq!(average_f1(&none, &none), 1.0);
        assert_eq!(average_f1(&none, &truth), 0.0);
        assert_eq!(best_match_f1(&none, &truth), vec![0.0, 0.0]);
    }

    #[test]
    fn onmi_by_hand() {
        // n = 4, X = {{0,1}}, Y = {{0,1,2}}.
        // H(X) = h(½) + h(½) = 1.  H(Y) = h(¾) + h(¼) = 0.811278…
        // X given Y: p11 = 2/4, p10 = 0, p01 = 1/4, p00 = 1/4;
        //   h(p11) + h(p00) = 0.5 + 0.5 = 1 ≥ h(p10) + h(p01) = 0.5 → constraint holds;
        //   H(X,Y) = 0.5 + 0.5 + 0.5 = 1.5; H*(X|Y) = 1.5 − 0.811278 = 0.688722.
        // Y given X: the same joint table transposed → H*(Y|X) = 1.5 − 1 = 0.5.
        // I = ½ [(1 − 0.688722) + (0.811278 − 0.5)] = 0.311278; ONMI = I / max(1, 0.811) = 0.311278.
        let hy = -0.75 * 0.75f64.log2() - 0.25 * 0.25f64.log2();
        let mutual = 0.5 * ((1.0 - (1.5 - hy)) + (hy - 0.5));
        let x = cover(4, &[&[0, 1]]);
        let y = cover(4, &[&[0, 1, 2]]);
        let got = onmi(&x, &y).unwrap();
        assert!((got - mutual).abs() < 1e-12, "{got} vs {mutual}");
        assert!((onmi(&y, &x).unwrap() - got).abs() < 1e-12);
    }

    #[test]
    fn onmi_edge_cases_and_errors() {
        let x = cover(4, &[&[0, 1]]);
        let empty = cover(4, &[]);
        assert_eq!(onmi(&empty, &empty).unwrap(), 1.0);
        assert_eq!(onmi(&x, &empty).unwrap(), 0.0);
        // Every community is the whole node set: both entropies are zero.
        let all = cover(3, &[&[0, 1, 2]]);
        assert_eq!(onmi(&all, &all).unwrap(), 1.0);
        // Disjoint communities carry no information about each other.
        assert_eq!(onmi(&x, &cover(4, &[&[2, 3]])).unwrap(), 0.0);
        assert_eq!(
            onmi(&x, &cover(5, &[&[0]])).unwrap_err(),
            MetricsError::NodeCountMismatch { left: 4, right: 5 }
        );
        let e = onmi(&x, &cover(4, &[&[1], &[0, 9]])).unwrap_err();
        assert_eq!(
            e,
            MetricsError::MemberOutOfRange {
                community: 1,
                member: 9,
                nodes: 4
            }
        );
        assert_eq!(
            e.to_string(),
            "community 1 lists node 9, but the cover has only 4 nodes"
        );
    }

    #[test]
    fn f1_within_a_scope_by_hand() {
        // Nodes 0..=5 are one ego's people, 6..=9 another's.
        // detected D1 = {0,1,2,6}, D2 = {3,4,5,7,8}, D3 = {9}; truth T1 = {0,1,2}, T2 = {3,4}.
        // Within {0..=5}: D1 → {0,1,2}, D2 → {3,4,5}, D3 → gone.
        // F1(T1,D1) = 1, F1(T2,D2) = 2·2/5 = 4/5, the crossed pairs 0.
        // avg F1 = ½ [(1 + 4/5)/2 + (1 + 4/5)/2] = 9/10.
        let detected = cover(10, &[&[0, 1, 2, 6], &[3, 4, 5, 7, 8], &[9]]);
        let truth = cover(10, &[&[0, 1, 2], &[3, 4]]);
        let scope: Vec<u32> = vec![5, 4, 3, 2, 1, 0, 0];
        let s = average_f1_within(&detected, &truth, &scope);
        assert!((s.f1 - 0.9).abs() < 1e-12, "{s:?}");
        assert_eq!((s.detected, s.truth), (2, 2));
        // The whole node set as scope is plain average F1.
        let all: Vec<u32> = (0..10).collect();
        let whole = average_f1_within(&detected, &truth, &all);
        assert_eq!(whole.f1, average_f1(&detected, &truth));
        assert_eq!((whole.detected, whole.truth), (3, 2));
        // A scope that meets no community on either side: nothing to compare, as average_f1.
        let s = average_f1_within(&cover(3, &[&[0]]), &cover(3, &[&[1]]), &[2]);
        assert_eq!((s.f1, s.detected, s.truth), (1.0, 0, 0));
        let s = average_f1_within(&detected, &truth, &[6, 7]);
        assert_eq!((s.f1, s.detected, s.truth), (0.0, 2, 0));
    }

    #[test]
    fn members_beyond_the_node_count_still_count_for_f1() {
        let a = cover(2, &[&[0, 5]]);
        let b = cover(2, &[&[5, 0]]);
        assert_eq!(average_f1(&a, &b), 1.0);
    }

    fn random_cover(n: usize) -> impl Strategy<Value = Cover> {
        prop::collection::vec(prop::collection::vec(0..n as u32, 0..n), 0..6)
            .prop_map(move |c| Cover::new(n, c))
    }

    proptest! {
        #[test]
        fn onmi_and_f1_are_bounded((a, b) in (1usize..30).prop_flat_map(|n| (random_cover(n), random_cover(n)))) {
            let v = onmi(&a, &b).unwrap();
            prop_assert!((0.0..=1.0).contains(&v));
            prop_assert!((v - onmi(&b, &a).unwrap()).abs() < 1e-9);
            let f = average_f1(&a, &b);
            prop_assert!((0.0..=1.0).contains(&f));
            prop_assert!((f - average_f1(&b, &a)).abs() < 1e-12);
            prop_assert!((average_f1(&a, &a) - 1.0).abs() < 1e-12);
        }

        #[test]
        fn onmi_of_a_partition_with_itself_is_one(labels in prop::collection::vec(0u32..5, 1..40)) {
            let c = Partition::from_labels(&labels).to_cover();
            prop_assert!((onmi(&c, &c).unwrap() - 1.0).abs() < 1e-12);
        }
    }
}
