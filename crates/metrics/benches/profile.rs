//! Profile benchmark: [`profile`] on a generated social graph with planted communities.
//!
//! The generator below is deliberately simple and deterministic: communities of skewed sizes
//! (10 to ~5,000 people), about 20 follows and 5 interactions per person of which 80 % stay in
//! the person's community and lean towards a few hubs, one post per two people, and the planted
//! communities as the partition. The default graph has 200,000 people (~4M follows, ~1M
//! interactions); `PROFILE_BENCH_PEOPLE=1000000` runs the 1M-person case (~20M follows, ~5M
//! interactions) instead.
//!
//! `cargo bench -p contextivity-metrics --bench profile` (on the default thread count; set
//! `RAYON_NUM_THREADS` to pin it).

use std::time::Duration;

use contextivity_graph::{
    BuildConfig, GraphBuilder, LabelTable, Partition, Post, Rng, SocialGraph,
};
use contextivity_metrics::profile::{profile, ProfileConfig};
use criterion::{criterion_main, BenchmarkId, Criterion, Throughput};

/// 2024-01-01 00:00 UTC.
const START: i64 = 1_704_067_200;

/// Community of every person: consecutive blocks of skewed sizes.
fn communities(n: usize, rng: &mut Rng) -> (Vec<u32>, Vec<(usize, usize)>) {
    let mut labels = Vec::with_capacity(n);
    let mut blocks = Vec::new();
    while labels.len() < n {
        let x = rng.next_f64();
        let size = (10.0 + x * x * x * 5_000.0) as usize;
        let size = size.min(n - labels.len());
        blocks.push((labels.len(), size));
        labels.extend(std::iter::repeat_n(blocks.len() as u32 - 1, size));
    }
    (labels, blocks)
}

/// A member of `block`, leaning towards its first members (the hubs).
fn member(rng: &mut Rng, (start, size): (usize, usize)) -> usize {
    let a = rng.below(size as u64);
    let b = rng.below(size as u64);
    start + (a * b / size as u64) as usize
}

fn generate(n: usize, seed: u64) -> (SocialGraph, Partition) {
    let mut rng = Rng::new(seed);
    let (labels, blocks) = communities(n, &mut rng);
    let mut b = GraphBuilder::from_dense_follows(
        BuildConfig::default(),
        LabelTable::numbered(n),
        Default::default(),
    );
    let pick = |rng: &mut Rng, u: usize| -> usize {
        if rng.below(5) == 0 {
            rng.below(n as u64) as usize
        } else {
            member(rng, blocks[labels[u] as usize])
        }
    };
    let node = |i: usize| contextivity_graph::NodeId(i as u32);
    for u in 0..n {
        for _ in 0..rng.below(41) {
            let v = pick(&mut rng, u);
            b.add_follow(node(u), node(v), 1.0);
        }
    }
    let kinds: Vec<_> = ["reply", "mention", "repost", "like", "click"]
        .iter()
        .map(|k| b.kind(k).expect("standard kind"))
        .collect();
    for u in 0..n {
        for _ in 0..rng.below(11) {
            let v = pick(&mut rng, u);
            let kind = kinds[rng.below(5) as usize];
            let time = START + rng.below(90 * 86_400) as i64;
            b.add_interaction(node(u), node(v), kind, Some(time), 1.0);
        }
    }
    for u in (0..n).step_by(2) {
        b.add_post(Post {
            id: format!("{u}").into(),
            author: node(u),
            time: Some(START + rng.below(90 * 86_400) as i64),
            impressions: Some(100 + rng.below(10_000)),
            clicks: Some(rng.below(100)),
            likes: Some(rng.below(200)),
            reposts: Some(rng.below(20)),
            replies: Some(rng.below(10)),
            ..Post::default()
        });
    }
    let graph = b.build().expect("generated graph is valid");
    (graph, Partition::canonical(&labels))
}

fn bench_profile(c: &mut Criterion) {
    let n = std::env::var("PROFILE_BENCH_PEOPLE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000usize);
    let (graph, partition) = generate(n, 42);
    let ties = graph.follows.out().entry_count() + graph.interactions.event_count();
    let mut group = c.benchmark_group("profile");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(ties as u64));
    group.bench_with_input(
        BenchmarkId::new("planted", format!("{n}_people")),
        &(graph, partition),
        |b, (graph, partition)| {
            b.iter(|| profile(graph, partition, &ProfileConfig::default()).expect("profile"))
        },
    );
    group.finish();
}

/// The groups, in a private module so the generated function needs no doc.
mod groups {
    criterion::criterion_group!(benches, super::bench_profile);
}

criterion_main!(groups::benches);
