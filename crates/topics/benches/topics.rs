//! Per-step cost of the topics pipeline on a synthetic export generated in memory: term
//! extraction, TF-IDF, blended weights and topical neighbours.
//!
//! ```text
//! cargo bench -p contextivity-topics --bench topics
//! TOPICS_BENCH_PEOPLE=1000000 cargo bench -p contextivity-topics --bench topics
//! ```
//!
//! Default size: 100k people, 10 follows each (≈ 1M ties), 500k posts of 8–17 tokens. The
//! issue's size (1M people, 10M ties, 5M posts) is timed one pass per step by the `scale`
//! example, as criterion's sampling would take too long there.

#![allow(clippy::unwrap_used, missing_docs)]

#[path = "../tests/support/synthetic.rs"]
mod synthetic;

use contextivity_graph::{clustering_view, ViewPolicy};
use contextivity_topics::{blend, extract, knn_edges, tfidf, ExtractConfig, TfidfConfig};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn steps(c: &mut Criterion) {
    let people: usize = std::env::var("TOPICS_BENCH_PEOPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let size = synthetic::Size {
        people,
        follows: 10,
        posts: people * 5,
        topics: (people / 2000).max(4),
    };
    let graph = synthetic::export(size, 1);
    let view = clustering_view(&graph, &ViewPolicy::default()).unwrap();
    let terms = extract(&graph, &ExtractConfig::default());
    let vectors = tfidf(&terms, &TfidfConfig::default()).unwrap();

    let mut g = c.benchmark_group(format!("topics_{people}"));
    g.sample_size(10);
    g.throughput(Throughput::Elements(size.posts as u64));
    g.bench_function("extract", |b| {
        b.iter(|| extract(&graph, &ExtractConfig::default()))
    });
    g.throughput(Throughput::Elements(terms.entry_count() as u64));
    g.bench_function("tfidf", |b| {
        b.iter(|| tfidf(&terms, &TfidfConfig::default()).unwrap())
    });
    g.throughput(Throughput::Elements(view.edge_count() as u64));
    g.bench_function("blend", |b| b.iter(|| blend(&view, &vectors, 0.5).unwrap()));
    g.throughput(Throughput::Elements(people as u64));
    g.bench_function("knn10", |b| b.iter(|| knn_edges(&vectors, 10, 0.25)));
    g.finish();
}

criterion_group!(benches, steps);
criterion_main!(benches);
