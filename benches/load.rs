//! Loading benchmarks: edge-list parse and parse + graph build.
//!
//! Always runs on a synthetic edge list generated in memory (so `cargo bench --no-run` and a
//! quick run need nothing else). When the peer benchmark graph
//! `../shared/peers/graphs/lfr_1m_mu0.4.edges.gz` exists it is decompressed once into a
//! temporary directory and the same stages run on it (131 MB, 9.5M edges), plus the gzip path.
//!
//! `cargo bench --bench load` (add a filter such as `lfr_1m` to run one group). Results and peer
//! comparisons are recorded in `BENCHMARKS.md`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use contextivity_formats::{edgelist, input, LoadOptions};
use criterion::{criterion_main, BenchmarkId, Criterion, Throughput};

/// A deterministic synthetic edge list: `nodes` people, `edges` lines `u v`, ids scattered by
/// a multiplicative hash so rows are not pre-sorted.
fn synthetic(nodes: u64, edges: u64) -> Vec<u8> {
    let mut out = String::with_capacity(edges as usize * 14);
    out.push_str("# synthetic edge list\n");
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..edges {
        // xorshift64*: cheap, reproducible, good enough to scatter ids.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let r = state.wrapping_mul(0x2545_f491_4f6c_dd1d);
        let u = (r >> 32) % nodes;
        let v = (r & 0xffff_ffff) % nodes;
        out.push_str(&format!("{u} {v}\n"));
    }
    out.into_bytes()
}

fn undirected() -> LoadOptions {
    LoadOptions {
        undirected: Some(true),
        ..Default::default()
    }
}

fn bench_synthetic(c: &mut Criterion) {
    let options = undirected();
    let path = Path::new("synthetic.txt");
    for (nodes, edges) in [(10_000u64, 100_000u64), (100_000, 1_000_000)] {
        let bytes = synthetic(nodes, edges);
        let name = format!("{edges}_edges");
        let mut group = c.benchmark_group("synthetic_bytes");
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse", &name), &bytes, |b, bytes| {
            b.iter(|| edgelist::parse(bytes, path, &options).expect("synthetic input parses"))
        });
        group.bench_with_input(
            BenchmarkId::new("parse_build", &name),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    edgelist::read_bytes(bytes, path, &options).expect("synthetic input loads")
                })
            },
        );
        group.finish();
        let mut group = c.benchmark_group("synthetic_edges");
        group.throughput(Throughput::Elements(edges));
        group.bench_with_input(
            BenchmarkId::new("parse_build", &name),
            &bytes,
            |b, bytes| {
                b.iter(|| {
                    edgelist::read_bytes(bytes, path, &options).expect("synthetic input loads")
                })
            },
        );
        group.finish();
    }
}

/// The peer benchmark graph, if the shared folder is present.
fn lfr_1m() -> Option<PathBuf> {
    let p =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/peers/graphs/lfr_1m_mu0.4.edges.gz");
    p.is_file().then_some(p)
}

fn bench_lfr(c: &mut Criterion) {
    let Some(gz) = lfr_1m() else { return };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let plain = dir.path().join("lfr_1m_mu0.4.edges");
    let bytes = input::read_all(&gz).expect("the LFR graph decompresses");
    std::fs::write(&plain, &bytes).expect("the decompressed graph is written");
    let edges = edgelist::parse(&bytes, &plain, &undirected())
        .expect("the LFR graph parses")
        .edges
        .len() as u64;
    let options = undirected();

    let mut group = c.benchmark_group("lfr_1m_bytes");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("parse", |b| {
        b.iter(|| edgelist::parse(&bytes, &plain, &options).expect("parses"))
    });
    group.bench_function("read_mmap", |b| {
        b.iter(|| edgelist::read(&plain, &options).expect("loads"))
    });
    group.bench_function("read_gz", |b| {
        b.iter(|| edgelist::read(&gz, &options).expect("loads"))
    });
    group.finish();
    drop(bytes);

    let mut group = c.benchmark_group("lfr_1m_edges");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(edges));
    group.bench_function("read_mmap", |b| {
        b.iter(|| edgelist::read(&plain, &options).expect("loads"))
    });
    group.finish();
}

/// The groups, in a private module so the generated function needs no doc.
mod groups {
    use super::{bench_lfr, bench_synthetic};
    criterion::criterion_group!(benches, bench_synthetic, bench_lfr);
}

criterion_main!(groups::benches);
