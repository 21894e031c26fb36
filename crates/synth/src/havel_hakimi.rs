//! Havel–Hakimi construction randomised by edge switches: the fallback for dense communities.
//!
//! The configuration model with switch repair (the crate's `rewire` module) is fast and unbiased for sparse
//! degree sequences, but in a small community whose hubs must link to nearly every other member
//! (an internal degree of 48 in a community of 50) single switches can get stuck: a hub's
//! self-loop can only move onto an edge between two of its few non-neighbours, and there may be
//! none. For those communities the generator rebuilds the internal graph the way networkit's
//! `LFRGenerator` builds every one: Havel–Hakimi (Havel 1955; Hakimi 1962) joins the node of
//! largest residual degree to the nodes of next-largest residual degrees, which realises every
//! graphical sequence exactly; then `SWAPS_PER_EDGE · m` attempted degree-preserving double-edge
//! swaps (Maslov & Sneppen 2002) randomise the result. For a sequence that is not graphical,
//! the stubs Havel–Hakimi cannot place are returned, so the caller can turn them into external
//! stubs and keep every node's total degree.
//!
//! Complexity: `O(m + n·k_max)` for the construction with degree buckets, `O(m)` expected for
//! the swaps (hash-set membership), `O(n + m)` memory, for n members and m internal edges.

use std::collections::HashSet;

use contextivity_graph::Rng;

use crate::rewire::{edge_ends, edge_key, Wiring};

/// Attempted randomising swaps per edge (networkit's default for its edge-switching chain).
pub(crate) const SWAPS_PER_EDGE: usize = 10;

/// A simple graph on `members` with `degrees[i]` edges at `members[i]` (as far as the sequence
/// is graphical), uniformised by random double-edge swaps.
pub(crate) fn realise(members: &[u32], degrees: &[u32], rng: &mut Rng) -> Wiring {
    debug_assert_eq!(members.len(), degrees.len());
    let n = members.len();
    let top = degrees.iter().copied().max().unwrap_or(0) as usize;
    let mut residual: Vec<usize> = degrees.iter().map(|&d| d as usize).collect();
    let mut buckets: Vec<Vec<u32>> = vec![Vec::new(); top + 1];
    for (i, &d) in residual.iter().enumerate() {
        if d > 0 {
            buckets[d].push(i as u32);
        }
    }
    let mut edges: Vec<u64> = Vec::with_capacity(residual.iter().sum::<usize>() / 2);
    let mut unplaced = Vec::new();
    let mut high = top;
    let mut taken: Vec<u32> = Vec::new();
    loop {
        while high > 0 && buckets[high].is_empty() {
            high -= 1;
        }
        if high == 0 {
            break;
        }
        let Some(v) = buckets[high].pop() else { break };
        let want = residual[v as usize];
        residual[v as usize] = 0;
        // Take the `want` nodes of largest residual degree.
        taken.clear();
        let mut level = high;
        while taken.len() < want && level > 0 {
            while taken.len() < want {
                let Some(u) = buckets[level].pop() else { break };
                taken.push(u);
            }
            level -= 1;
        }
        unplaced.extend(std::iter::repeat_n(members[v as usize], want - taken.len()));
        for &u in &taken {
            edges.push(edge_key(members[v as usize], members[u as usize]));
            let r = &mut residual[u as usize];
            *r -= 1;
            if *r > 0 {
                buckets[*r].push(u);
            }
        }
    }
    debug_assert!(n == 0 || residual.iter().all(|&r| r == 0));
    let switches = randomise(&mut edges, rng);
    Wiring {
        edges,
        unplaced,
        switches,
    }
}

/// `SWAPS_PER_EDGE · m` attempted double-edge swaps keeping the graph simple; returns how many
/// succeeded.
fn randomise(edges: &mut [u64], rng: &mut Rng) -> usize {
    let m = edges.len();
    if m < 2 {
        return 0;
    }
    let mut present: HashSet<u64> = edges.iter().copied().collect();
    let mut done = 0usize;
    for _ in 0..SWAPS_PER_EDGE * m {
        let i = rng.below(m as u64) as usize;
        let j = rng.below(m as u64) as usize;
        if i == j {
            continue;
        }
        let (a, b) = edge_ends(edges[i]);
        let (c, d) = edge_ends(edges[j]);
        let (x, y) = if rng.next_u64() & 1 == 0 {
            (c, d)
        } else {
            (d, c)
        };
        if a == x || b == y {
            continue;
        }
        let (e1, e2) = (edge_key(a, x), edge_key(b, y));
        if e1 == e2 || present.contains(&e1) || present.contains(&e2) {
            continue;
        }
        present.remove(&edges[i]);
        present.remove(&edges[j]);
        present.insert(e1);
        present.insert(e2);
        edges[i] = e1;
        edges[j] = e2;
        done += 1;
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    fn degrees_of(members: &[u32], edges: &[u64]) -> Vec<u32> {
        let mut d = vec![0u32; members.len()];
        for &e in edges {
            let (a, b) = edge_ends(e);
            for x in [a, b] {
                let i = members.iter().position(|&m| m == x).unwrap();
                d[i] += 1;
            }
        }
        d
    }

    fn assert_simple(edges: &[u64]) {
        let mut s = edges.to_vec();
        s.sort_unstable();
        let len = s.len();
        s.dedup();
        assert_eq!(s.len(), len);
        assert!(s.iter().all(|&e| {
            let (a, b) = edge_ends(e);
            a < b
        }));
    }

    #[test]
    fn dense_graphical_sequence_is_realised_exactly() {
        // 50 members, hubs adjacent to almost everyone: hard for switch repair.
        let members: Vec<u32> = (100..150).collect();
        let mut degrees: Vec<u32> = vec![49, 48, 48, 47, 46];
        degrees.extend((0..45).map(|i| 10 + (i % 7)));
        if degrees.iter().sum::<u32>() % 2 == 1 {
            degrees[49] += 1;
        }
        let w = realise(&members, &degrees, &mut Rng::new(3));
        assert_simple(&w.edges);
        assert!(w.unplaced.is_empty());
        assert_eq!(degrees_of(&members, &w.edges), degrees);
        assert!(w.switches > 0);
    }

    #[test]
    fn non_graphical_sequence_drops_the_excess() {
        // A triangle is graphical; two nodes wanting two neighbours each with a third wanting none
        // can share only one edge.
        let members = [0u32, 1, 2];
        let w = realise(&members, &[2, 2, 2], &mut Rng::new(1));
        assert_eq!((w.edges.len(), w.unplaced.len()), (3, 0));
        let w = realise(&members, &[2, 2, 0], &mut Rng::new(1));
        assert_simple(&w.edges);
        assert_eq!((w.edges.len(), w.unplaced.len()), (1, 2));
    }

    #[test]
    fn swaps_change_the_graph_but_not_the_degrees() {
        let members: Vec<u32> = (0..40).collect();
        let degrees: Vec<u32> = (0..40).map(|i| 2 + (i % 5)).collect();
        let a = realise(&members, &degrees, &mut Rng::new(1));
        let b = realise(&members, &degrees, &mut Rng::new(2));
        let (mut ea, mut eb) = (a.edges.clone(), b.edges.clone());
        ea.sort_unstable();
        eb.sort_unstable();
        assert_ne!(ea, eb);
        assert_eq!(degrees_of(&members, &a.edges), degrees);
        assert_eq!(degrees_of(&members, &b.edges), degrees);
    }
}
