//! The configuration model with edge-switch repair: a simple graph with a given degree sequence.
//!
//! LFR wires each community's internal stubs, and then all external stubs, by the configuration
//! model (Molloy & Reed 1995; Newman, Strogatz & Watts 2001): shuffle the list of stubs and join
//! consecutive pairs. That produces self-loops, repeated edges and — for external stubs — edges
//! inside one community. Like the reference implementation, [`wire`] repairs each bad pair with
//! degree-preserving edge switches (the move of Maslov & Sneppen 2002): take a random good edge
//! `(c, d)` and replace `(a, b)` and `(c, d)` with `(a, c)` and `(b, d)` (or `(a, d)`, `(b, c)`),
//! accepting only if both new edges are allowed and absent; every other try takes the partner
//! among the pairs still waiting for repair instead, so two bad pairs can mend each other (the
//! only way out when, say, a pair inside one of two groups needs a pair inside the other). A pair
//! that finds no valid partner
//! within [`TRIES_PER_EDGE`] draws (degree sequences that are not graphical, or nearly complete
//! small communities) is left out and its two stubs are returned unpaired.
//!
//! Membership tests go to a sorted snapshot of the good edges (binary search) plus small hash
//! overlays of the edges added and removed since, so the repair costs memory proportional to the
//! number of switches, not to the graph.
//!
//! Complexity: `O(S)` for the pairing, `O(m log m)` to sort the `m = S/2` pairs, and
//! `O(b · T · log m)` for `b` bad pairs with at most `T` tries each (`b` is typically a small
//! fraction of `m`).

use std::collections::HashSet;

use contextivity_graph::Rng;
use rayon::slice::ParallelSliceMut;

/// How many random partners a bad pair tries before it is dropped.
pub(crate) const TRIES_PER_EDGE: usize = 1000;

/// Above this many pairs, sort in parallel.
const PARALLEL_SORT: usize = 1 << 15;

/// The undirected edge `{a, b}` as one sortable number, smaller endpoint in the high half.
#[inline]
pub(crate) fn edge_key(a: u32, b: u32) -> u64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    ((lo as u64) << 32) | hi as u64
}

/// The endpoints of an edge key, smaller first.
#[inline]
pub(crate) fn edge_ends(key: u64) -> (u32, u32) {
    ((key >> 32) as u32, key as u32)
}

/// The result of wiring one stub list.
#[derive(Debug, Default)]
pub(crate) struct Wiring {
    /// Distinct allowed edges, as [`edge_key`]s, in no particular order.
    pub edges: Vec<u64>,
    /// Stubs left unpaired, one entry (the node) per stub: both ends of every pair no switch
    /// could repair.
    pub unplaced: Vec<u32>,
    /// Successful repair switches.
    pub switches: usize,
}

/// The set of current edges: a sorted snapshot plus overlays of later changes.
struct EdgeSet<'a> {
    base: &'a [u64],
    added: HashSet<u64>,
    removed: HashSet<u64>,
}

impl EdgeSet<'_> {
    fn contains(&self, key: u64) -> bool {
        self.added.contains(&key)
            || (self.base.binary_search(&key).is_ok() && !self.removed.contains(&key))
    }

    fn insert(&mut self, key: u64) {
        if !self.removed.remove(&key) {
            self.added.insert(key);
        }
    }

    fn remove(&mut self, key: u64) {
        if !self.added.remove(&key) {
            self.removed.insert(key);
        }
    }
}

/// Shuffles `stubs` (node ids, each repeated once per stub), pairs consecutive entries and
/// repairs the result into a simple graph without `forbidden` pairs. A trailing odd stub is
/// ignored. `forbidden(a, b)` is called with `a != b`.
pub(crate) fn wire<F>(stubs: &mut [u32], forbidden: F, rng: &mut Rng) -> Wiring
where
    F: Fn(u32, u32) -> bool,
{
    rng.shuffle(stubs);
    let mut good = Vec::with_capacity(stubs.len() / 2);
    let mut bad = Vec::new();
    for pair in stubs.chunks_exact(2) {
        let (a, b) = (pair[0], pair[1]);
        if a == b || forbidden(a, b) {
            bad.push(edge_key(a, b));
        } else {
            good.push(edge_key(a, b));
        }
    }
    if good.len() > PARALLEL_SORT {
        good.par_sort_unstable();
    } else {
        good.sort_unstable();
    }
    // Repeated edges: keep the first copy, send the others to repair.
    let mut unique = 0usize;
    for i in 0..good.len() {
        if unique > 0 && good[i] == good[unique - 1] {
            bad.push(good[i]);
        } else {
            good[unique] = good[i];
            unique += 1;
        }
    }
    good.truncate(unique);
    if bad.is_empty() {
        return Wiring {
            edges: good,
            unplaced: Vec::new(),
            switches: 0,
        };
    }
    let snapshot = good.clone();
    let mut set = EdgeSet {
        base: &snapshot,
        added: HashSet::new(),
        removed: HashSet::new(),
    };
    let mut edges = good;
    let (mut unplaced, mut switches) = (Vec::new(), 0usize);
    let mut pending = bad;
    while let Some(key) = pending.pop() {
        let (a, b) = edge_ends(key);
        let mut repaired = false;
        for attempt in 0..TRIES_PER_EDGE {
            // Every other try pairs two bad edges with each other: the only repair when, say, a
            // bad pair inside one of two groups needs a bad pair inside the other.
            let from_pending = attempt % 2 == 1 && !pending.is_empty();
            let pool = if from_pending {
                pending.len()
            } else {
                edges.len()
            };
            if pool == 0 {
                continue;
            }
            let j = rng.below(pool as u64) as usize;
            let partner = if from_pending { pending[j] } else { edges[j] };
            let (c, d) = edge_ends(partner);
            let (x, y) = if rng.next_u64() & 1 == 0 {
                (c, d)
            } else {
                (d, c)
            };
            // New edges {a, x} and {b, y}.
            if a == x || b == y || forbidden(a, x) || forbidden(b, y) {
                continue;
            }
            let (e1, e2) = (edge_key(a, x), edge_key(b, y));
            if e1 == e2 || set.contains(e1) || set.contains(e2) {
                continue;
            }
            if from_pending {
                pending.swap_remove(j);
                edges.push(e1);
            } else {
                set.remove(partner);
                edges[j] = e1;
            }
            set.insert(e1);
            set.insert(e2);
            edges.push(e2);
            switches += 1;
            repaired = true;
            break;
        }
        if !repaired {
            unplaced.extend([a, b]);
        }
    }
    Wiring {
        edges,
        unplaced,
        switches,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn degrees(n: usize, edges: &[u64]) -> Vec<usize> {
        let mut d = vec![0; n];
        for &e in edges {
            let (a, b) = edge_ends(e);
            d[a as usize] += 1;
            d[b as usize] += 1;
        }
        d
    }

    fn assert_simple(edges: &[u64]) {
        let mut sorted = edges.to_vec();
        sorted.sort_unstable();
        let before = sorted.len();
        sorted.dedup();
        assert_eq!(sorted.len(), before, "repeated edge");
        assert!(sorted.iter().all(|&e| {
            let (a, b) = edge_ends(e);
            a < b
        }));
    }

    #[test]
    fn keys_order_endpoints() {
        assert_eq!(edge_key(5, 2), edge_key(2, 5));
        assert_eq!(edge_ends(edge_key(9, 3)), (3, 9));
    }

    #[test]
    fn wiring_preserves_degrees_and_is_simple() {
        let target: Vec<usize> = (0..200).map(|i| 1 + (i * 7) % 13).collect();
        let mut stubs: Vec<u32> = target
            .iter()
            .enumerate()
            .flat_map(|(v, &k)| std::iter::repeat_n(v as u32, k))
            .collect();
        if stubs.len() % 2 == 1 {
            stubs.pop();
        }
        let total = stubs.len();
        let w = wire(&mut stubs, |_, _| false, &mut Rng::new(4));
        assert_simple(&w.edges);
        assert!(w.unplaced.is_empty());
        assert_eq!(w.edges.len(), total / 2);
        let got = degrees(200, &w.edges);
        let mut want = target.clone();
        if total < target.iter().sum::<usize>() {
            want[199] -= 1;
        }
        assert_eq!(got, want);
    }

    #[test]
    fn forbidden_pairs_are_switched_away() {
        // Two groups of 50; only edges across groups allowed.
        let group = |v: u32| v / 50;
        let mut stubs: Vec<u32> = (0..100u32).flat_map(|v| [v, v, v, v]).collect();
        let w = wire(&mut stubs, |a, b| group(a) == group(b), &mut Rng::new(8));
        assert_simple(&w.edges);
        assert!(w.switches > 0);
        assert!(w.unplaced.is_empty());
        assert!(w.edges.iter().all(|&e| {
            let (a, b) = edge_ends(e);
            group(a) != group(b)
        }));
        assert!(degrees(100, &w.edges).iter().all(|&d| d == 4));
    }

    #[test]
    fn impossible_sequences_drop_and_count() {
        // Node 0 wants 6 edges but only 3 other nodes exist.
        let mut stubs = vec![0u32, 0, 0, 0, 0, 0, 1, 2, 3, 1, 2, 3];
        let w = wire(&mut stubs, |_, _| false, &mut Rng::new(2));
        assert_simple(&w.edges);
        assert!(!w.unplaced.is_empty());
        assert_eq!(2 * w.edges.len() + w.unplaced.len(), 12);
    }
}
