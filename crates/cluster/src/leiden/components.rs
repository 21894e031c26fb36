//! Splitting communities into their connected components.
//!
//! Leiden guarantees connected communities once an iteration has converged; when a run is cut
//! short (an iteration or level cap, or a level whose refinement merged nothing) a community
//! may still be disconnected. Splitting it into its connected components never lowers
//! modularity or CPM (the internal weight is unchanged and the penalty term shrinks), so every
//! Leiden iteration ends with this pass and every community it returns induces a connected
//! subgraph. The pass runs on the iteration's last level, whose nodes are connected sets of
//! input nodes (see `connect` in [`crate::leiden`]): the same answer as on the input graph, on
//! a graph of a few hundred nodes instead of millions.
//!
//! Each community is searched breadth-first by its own task over its members (grouped with a
//! counting sort); components are numbered by community, then by smallest member. Complexity
//! `O(n + m)`, memory `O(n)`.

use rayon::prelude::*;

use super::{renumber, Adjacency, Groups};

/// Relabels `labels` (dense in `0..k`) so that every community is connected; returns the new
/// number of communities.
pub(crate) fn split_disconnected<G: Adjacency>(graph: &G, labels: &mut [u32], k: usize) -> usize {
    let groups = Groups::new(labels, k);
    let mut local = vec![0u32; labels.len()];
    let counts: Vec<u32> = {
        let slices = groups.split_mut(&mut local);
        let labels: &[u32] = labels;
        slices
            .into_par_iter()
            .with_min_len(16)
            .enumerate()
            .map(|(c, out)| {
                let members = groups.members(c);
                if members.len() <= 1 {
                    out.fill(0);
                    return members.len() as u32;
                }
                out.fill(u32::MAX);
                let mut next = 0u32;
                let mut stack: Vec<u32> = Vec::new();
                for x in 0..members.len() {
                    if out[x] != u32::MAX {
                        continue;
                    }
                    out[x] = next;
                    stack.push(members[x]);
                    while let Some(v) = stack.pop() {
                        let (targets, ws) = graph.row(v as usize);
                        for (&u, &w) in targets.iter().zip(ws) {
                            // An entry of weight 0 joins nothing (aggregation drops it).
                            if labels[u as usize] as usize != c || w.into() == 0.0 {
                                continue;
                            }
                            let y = groups.position[u as usize] as usize;
                            if out[y] == u32::MAX {
                                out[y] = next;
                                stack.push(u);
                            }
                        }
                    }
                    next += 1;
                }
                next
            })
            .collect()
    };
    if counts.iter().all(|&c| c <= 1) {
        return k;
    }
    let mut base = Vec::with_capacity(k);
    let mut acc = 0u32;
    for &c in &counts {
        base.push(acc);
        acc += c;
    }
    labels.par_iter_mut().enumerate().for_each(|(v, l)| {
        let c = *l as usize;
        *l = base[c] + local[groups.starts[c] + groups.position[v] as usize];
    });
    renumber(labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use contextivity_graph::{EdgeList, UndirectedGraph};

    #[test]
    fn a_disconnected_community_is_split() {
        let mut list = EdgeList::new();
        for (u, v) in [(0, 1), (2, 3), (3, 4), (1, 2)] {
            list.push(u, v, 1.0);
        }
        let g = UndirectedGraph::from_edges(6, &list).unwrap();
        // Community 0 = {0, 1, 3, 4}: {0, 1} and {3, 4} are not joined inside it.
        let mut labels = vec![0, 0, 1, 0, 0, 2];
        let k = split_disconnected(g.csr(), &mut labels, 3);
        assert_eq!(k, 4);
        assert_eq!(labels[0], labels[1]);
        assert_eq!(labels[3], labels[4]);
        assert_ne!(labels[0], labels[3]);
        assert_ne!(labels[2], labels[5]);
    }
}
