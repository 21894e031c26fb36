//! Criterion benchmarks of Leiden and Louvain (modularity) on a generated planted-partition
//! graph and, when the shared peer graphs are present, on the LFR graphs the peers were
//! measured on (`../shared/peers/graphs`, see its README).
//!
//! Run: `cargo bench -p contextivity-cluster --bench leiden`. The thread count is rayon's
//! default (`RAYON_NUM_THREADS` to change it).

#![allow(missing_docs)]

use std::io::Read;
use std::path::{Path, PathBuf};

use contextivity_cluster::{cluster, ClusterConfig};
use contextivity_graph::{EdgeList, Rng, UndirectedGraph};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// A planted-partition graph: `groups` groups of `size` nodes, each node with about `k_in`
/// neighbours inside its group and `k_out` outside.
fn planted(groups: usize, size: usize, k_in: f64, k_out: f64, seed: u64) -> UndirectedGraph {
    let n = groups * size;
    let mut rng = Rng::new(seed);
    let mut edges = EdgeList::new();
    let inside = (n as f64 * k_in / 2.0) as usize;
    let outside = (n as f64 * k_out / 2.0) as usize;
    for _ in 0..inside {
        let g = rng.below(groups as u64) as usize;
        let u = g * size + rng.below(size as u64) as usize;
        let v = g * size + rng.below(size as u64) as usize;
        if u != v {
            edges.push(u as u32, v as u32, 1.0);
        }
    }
    for _ in 0..outside {
        let u = rng.below(n as u64) as u32;
        let v = rng.below(n as u64) as u32;
        if u != v {
            edges.push(u, v, 1.0);
        }
    }
    UndirectedGraph::from_edges(n, &edges).expect("valid planted graph")
}

fn shared_graph(name: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peers/graphs");
    [dir.join(name), dir.join(format!("{name}.gz"))]
        .into_iter()
        .find(|p| p.exists())
}

/// Reads a `u v` per line edge list (optionally gzip-compressed).
fn load_edges(path: &Path) -> UndirectedGraph {
    let file = std::fs::File::open(path).expect("open edge list");
    let mut text = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .expect("gunzip");
    } else {
        std::io::BufReader::new(file)
            .read_to_string(&mut text)
            .expect("read");
    }
    let mut edges = EdgeList::new();
    let mut n = 0u32;
    for line in text.lines() {
        let mut it = line.split_ascii_whitespace();
        if let (Some(a), Some(b)) = (it.next(), it.next()) {
            let (u, v): (u32, u32) = (a.parse().expect("node id"), b.parse().expect("node id"));
            n = n.max(u + 1).max(v + 1);
            edges.push(u, v, 1.0);
        }
    }
    UndirectedGraph::from_edges(n as usize, &edges).expect("valid edge list")
}

fn bench_graph(c: &mut Criterion, name: &str, graph: &UndirectedGraph, samples: usize) {
    let mut group = c.benchmark_group(format!("cluster/{name}"));
    group.sample_size(samples);
    group.throughput(Throughput::Elements(graph.edge_count() as u64));
    for (label, config) in [
        ("leiden", ClusterConfig::default()),
        (
            "louvain",
            ClusterConfig::louvain(contextivity_cluster::Objective::Modularity, 1.0),
        ),
    ] {
        group.bench_with_input(
            BenchmarkId::new(label, graph.node_count()),
            graph,
            |b, g| b.iter(|| cluster(g, &config).expect("cluster")),
        );
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    let g = planted(200, 100, 16.0, 4.0, 7);
    bench_graph(c, "planted_20k", &g, 20);
    for (name, samples) in [
        ("lfr_10k_mu0.3.edges", 20),
        ("lfr_100k_mu0.4.edges", 10),
        ("lfr_1m_mu0.4.edges", 10),
    ] {
        if let Some(path) = shared_graph(name) {
            let g = load_edges(&path);
            bench_graph(c, name.trim_end_matches(".edges"), &g, samples);
        }
    }
}

criterion_group!(leiden, benches);
criterion_main!(leiden);
