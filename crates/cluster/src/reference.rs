//! A plain sequential Louvain (Blondel, Guillaume, Lambiotte & Lefebvre, "Fast unfolding of
//! communities in large networks", J. Stat. Mech. 2008): the yardstick the parallel
//! [`crate::leiden`] code is tested against.
//!
//! Written for clarity, not speed: adjacency lists of `(neighbour, weight)`, one node at a time
//! in a random order, full passes until a pass moves nothing, then aggregation into a new list
//! graph. It shares no code with the parallel implementation (only the quality definitions), so
//! agreement between the two is evidence for both. Modularity with resolution γ:
//! moving node `i` into community `c` changes `m·Q` by `k_{i,c} − γ·k_i·K_c / (2m)`.
//!
//! Complexity `O(passes · m)` per level, `O(n + m)` memory.

use contextivity_graph::{Partition, Rng, UndirectedGraph};

/// A graph as adjacency lists (self-loops in the matrix convention) with node strengths.
struct ListGraph {
    adj: Vec<Vec<(u32, f64)>>,
    strength: Vec<f64>,
}

impl ListGraph {
    fn from_undirected(graph: &UndirectedGraph) -> Self {
        let csr = graph.csr();
        let adj = (0..graph.node_count())
            .map(|u| {
                csr.neighbors(u)
                    .iter()
                    .zip(csr.row_weights(u))
                    .map(|(&v, &w)| (v, w as f64))
                    .collect()
            })
            .collect();
        ListGraph {
            adj,
            strength: graph.strengths().to_vec(),
        }
    }

    fn aggregate(&self, labels: &[u32], k: usize) -> ListGraph {
        let mut rows: Vec<std::collections::BTreeMap<u32, f64>> = vec![Default::default(); k];
        let mut strength = vec![0.0; k];
        for (u, row) in self.adj.iter().enumerate() {
            let cu = labels[u] as usize;
            strength[cu] += self.strength[u];
            for &(v, w) in row {
                *rows[cu].entry(labels[v as usize]).or_insert(0.0) += w;
            }
        }
        ListGraph {
            adj: rows.into_iter().map(|r| r.into_iter().collect()).collect(),
            strength,
        }
    }
}

/// Sequential Louvain for modularity with resolution `gamma`, node order drawn from `seed`.
/// Returns the canonical partition.
pub fn louvain(graph: &UndirectedGraph, gamma: f64, seed: u64) -> Partition {
    let n = graph.node_count();
    let two_m = graph.total_weight();
    if n == 0 || two_m <= 0.0 {
        return Partition::singletons(n);
    }
    let mut level_graph = ListGraph::from_undirected(graph);
    let mut membership: Vec<u32> = (0..n as u32).collect();
    let mut rng = Rng::new(seed);
    loop {
        let mut labels: Vec<u32> = (0..level_graph.adj.len() as u32).collect();
        let moves = move_nodes(&level_graph, &mut labels, gamma / two_m, &mut rng);
        if moves == 0 {
            break;
        }
        let k = dense(&mut labels);
        for m in membership.iter_mut() {
            *m = labels[*m as usize];
        }
        if k == level_graph.adj.len() {
            break;
        }
        level_graph = level_graph.aggregate(&labels, k);
    }
    Partition::canonical(&membership)
}

/// Sequential local moving of `labels` on `graph` (nodes visited in random passes until a pass
/// moves nothing); `scale = γ / 2m`. Returns the number of moves.
fn move_nodes(graph: &ListGraph, labels: &mut [u32], scale: f64, rng: &mut Rng) -> usize {
    let n = graph.adj.len();
    let mut total = vec![0.0f64; n];
    for (i, &c) in labels.iter().enumerate() {
        total[c as usize] += graph.strength[i];
    }
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut weight_to = vec![0.0f64; n];
    let mut seen: Vec<u32> = Vec::new();
    let mut moves = 0;
    loop {
        rng.shuffle(&mut order);
        let mut pass_moves = 0;
        for &i in &order {
            let i = i as usize;
            let a = labels[i] as usize;
            let ki = graph.strength[i];
            for &(v, w) in &graph.adj[i] {
                if v as usize == i {
                    continue;
                }
                let c = labels[v as usize] as usize;
                if weight_to[c] == 0.0 {
                    seen.push(c as u32);
                }
                weight_to[c] += w;
            }
            total[a] -= ki;
            let mut best = a;
            let mut best_gain = weight_to[a] - scale * ki * total[a];
            for &c in &seen {
                let c = c as usize;
                let gain = weight_to[c] - scale * ki * total[c];
                if gain > best_gain + 1e-12 {
                    best = c;
                    best_gain = gain;
                }
            }
            for &c in &seen {
                weight_to[c as usize] = 0.0;
            }
            seen.clear();
            total[best] += ki;
            if best != a {
                labels[i] = best as u32;
                pass_moves += 1;
            }
        }
        moves += pass_moves;
        if pass_moves == 0 {
            return moves;
        }
    }
}

fn dense(labels: &mut [u32]) -> usize {
    let mut map = vec![u32::MAX; labels.len()];
    let mut next = 0;
    for l in labels.iter_mut() {
        if map[*l as usize] == u32::MAX {
            map[*l as usize] = next;
            next += 1;
        }
        *l = map[*l as usize];
    }
    next as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use contextivity_graph::EdgeList;

    #[test]
    fn two_triangles() {
        let mut list = EdgeList::new();
        for (u, v) in [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)] {
            list.push(u, v, 1.0);
        }
        let g = UndirectedGraph::from_edges(6, &list).unwrap();
        let p = louvain(&g, 1.0, 1);
        assert_eq!(p.assignment(), &[0, 0, 0, 1, 1, 1]);
    }
}
