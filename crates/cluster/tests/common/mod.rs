//! Graphs shared by the integration tests: Zachary's karate club, seeded random and planted
//! partition graphs, disjoint cliques, and the shared LFR files when present.

#![allow(dead_code, clippy::unwrap_used)]

use std::io::Read;
use std::path::{Path, PathBuf};

use contextivity_graph::{EdgeList, Partition, Rng, UndirectedGraph};

/// Zachary's karate club (78 edges, 0-based).
pub const KARATE: [(u32, u32); 78] = [
    (0, 1),
    (0, 2),
    (0, 3),
    (0, 4),
    (0, 5),
    (0, 6),
    (0, 7),
    (0, 8),
    (0, 10),
    (0, 11),
    (0, 12),
    (0, 13),
    (0, 17),
    (0, 19),
    (0, 21),
    (0, 31),
    (1, 2),
    (1, 3),
    (1, 7),
    (1, 13),
    (1, 17),
    (1, 19),
    (1, 21),
    (1, 30),
    (2, 3),
    (2, 7),
    (2, 8),
    (2, 9),
    (2, 13),
    (2, 27),
    (2, 28),
    (2, 32),
    (3, 7),
    (3, 12),
    (3, 13),
    (4, 6),
    (4, 10),
    (5, 6),
    (5, 10),
    (5, 16),
    (6, 16),
    (8, 30),
    (8, 32),
    (8, 33),
    (9, 33),
    (13, 33),
    (14, 32),
    (14, 33),
    (15, 32),
    (15, 33),
    (18, 32),
    (18, 33),
    (19, 33),
    (20, 32),
    (20, 33),
    (22, 32),
    (22, 33),
    (23, 25),
    (23, 27),
    (23, 29),
    (23, 32),
    (23, 33),
    (24, 25),
    (24, 27),
    (24, 31),
    (25, 31),
    (26, 29),
    (26, 33),
    (27, 33),
    (28, 31),
    (28, 33),
    (29, 32),
    (29, 33),
    (30, 32),
    (30, 33),
    (31, 32),
    (31, 33),
    (32, 33),
];

pub fn from_pairs(n: usize, edges: &[(u32, u32)]) -> UndirectedGraph {
    UndirectedGraph::from_pairs(n, edges).unwrap()
}

pub fn karate() -> UndirectedGraph {
    from_pairs(34, &KARATE)
}

/// G(n, p)-like graph with about `n * avg_degree / 2` edges.
pub fn random(n: usize, avg_degree: f64, seed: u64) -> UndirectedGraph {
    let mut rng = Rng::new(seed);
    let mut edges = EdgeList::new();
    for _ in 0..(n as f64 * avg_degree / 2.0) as usize {
        let u = rng.below(n as u64) as u32;
        let v = rng.below(n as u64) as u32;
        if u != v {
            edges.push(u, v, 1.0 + (rng.below(3) as f32));
        }
    }
    UndirectedGraph::from_edges(n, &edges).unwrap()
}

/// Planted partition: `groups` groups of `size`; about `k_in` inside and `k_out` outside
/// neighbours per node. Returns the graph and the planted partition.
pub fn planted(
    groups: usize,
    size: usize,
    k_in: f64,
    k_out: f64,
    seed: u64,
) -> (UndirectedGraph, Partition) {
    let n = groups * size;
    let mut rng = Rng::new(seed);
    let mut edges = EdgeList::new();
    for _ in 0..(n as f64 * k_in / 2.0) as usize {
        let g = rng.below(groups as u64) as usize;
        let u = g * size + rng.below(size as u64) as usize;
        let v = g * size + rng.below(size as u64) as usize;
        if u != v {
            edges.push(u as u32, v as u32, 1.0);
        }
    }
    for _ in 0..(n as f64 * k_out / 2.0) as usize {
        let u = rng.below(n as u64) as u32;
        let v = rng.below(n as u64) as u32;
        if u != v {
            edges.push(u, v, 1.0);
        }
    }
    let labels: Vec<u32> = (0..n).map(|i| (i / size) as u32).collect();
    (
        UndirectedGraph::from_edges(n, &edges).unwrap(),
        Partition::canonical(&labels),
    )
}

/// `count` disjoint cliques of `size` nodes, nodes interleaved (node `i` in clique
/// `i % count`), plus a sparse ring of bridges between consecutive cliques.
pub fn cliques(count: usize, size: usize) -> (UndirectedGraph, Partition) {
    let n = count * size;
    let mut edges = EdgeList::new();
    for c in 0..count {
        let members: Vec<u32> = (0..size).map(|j| (j * count + c) as u32).collect();
        for a in 0..size {
            for b in a + 1..size {
                edges.push(members[a], members[b], 1.0);
            }
        }
        let next = (c + 1) % count;
        edges.push(members[0], next as u32, 1.0);
    }
    let labels: Vec<u32> = (0..n).map(|i| (i % count) as u32).collect();
    (
        UndirectedGraph::from_edges(n, &edges).unwrap(),
        Partition::canonical(&labels),
    )
}

/// A shared peer graph, if the shared folder is present.
pub fn shared_graph(name: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peers/graphs");
    [dir.join(name), dir.join(format!("{name}.gz"))]
        .into_iter()
        .find(|p| p.exists())
}

/// Reads a `u v` per line edge list (optionally gzip-compressed).
pub fn load_edges(path: &Path) -> UndirectedGraph {
    let file = std::fs::File::open(path).unwrap();
    let mut text = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .unwrap();
    } else {
        std::io::BufReader::new(file)
            .read_to_string(&mut text)
            .unwrap();
    }
    let mut edges = EdgeList::new();
    let mut n = 0u32;
    for line in text.lines() {
        let mut it = line.split_ascii_whitespace();
        if let (Some(a), Some(b)) = (it.next(), it.next()) {
            let (u, v): (u32, u32) = (a.parse().unwrap(), b.parse().unwrap());
            n = n.max(u + 1).max(v + 1);
            edges.push(u, v, 1.0);
        }
    }
    UndirectedGraph::from_edges(n as usize, &edges).unwrap()
}

/// Whether every cluster of `p` induces a connected subgraph of `g`.
pub fn all_connected(g: &UndirectedGraph, p: &Partition) -> bool {
    let a = p.assignment();
    let mut seen = vec![false; g.node_count()];
    let mut components = 0usize;
    for s in 0..g.node_count() {
        if seen[s] {
            continue;
        }
        components += 1;
        seen[s] = true;
        let mut stack = vec![s];
        while let Some(u) = stack.pop() {
            for &v in g.csr().neighbors(u) {
                let v = v as usize;
                if !seen[v] && a[v] == a[u] {
                    seen[v] = true;
                    stack.push(v);
                }
            }
        }
    }
    components == p.cluster_count()
}

/// Runs `f` in a local pool of `threads` threads.
pub fn with_threads<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}
