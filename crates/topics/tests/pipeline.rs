//! The whole topics pipeline on a synthetic export with planted topics and on the SNAP Facebook
//! ego circles (when the shared data folder is present).

#![allow(clippy::unwrap_used)]

#[path = "support/ego.rs"]
mod ego;
#[path = "support/synthetic.rs"]
mod synthetic;

use contextivity_graph::{clustering_view, Partition, SocialGraph, UndirectedGraph, ViewPolicy};
use contextivity_topics::{
    blend_with, cluster_labels, extract, knn_edges, tfidf, BlendConfig, ClusterLabel,
    ExtractConfig, Extraction, TermKind, TermVectors, TfidfConfig,
};

fn small_export() -> SocialGraph {
    synthetic::export(
        synthetic::Size {
            people: 3000,
            follows: 6,
            posts: 12_000,
            topics: 6,
        },
        9,
    )
}

type Outputs = (
    Extraction,
    TermVectors,
    UndirectedGraph,
    contextivity_graph::EdgeList,
    Vec<ClusterLabel>,
);

fn run(graph: &SocialGraph) -> Outputs {
    let e = extract(graph, &ExtractConfig::default());
    let v = tfidf(&e, &TfidfConfig::default()).unwrap();
    let view = clustering_view(graph, &ViewPolicy::default()).unwrap();
    let b = blend_with(&view, &v, &BlendConfig::default()).unwrap();
    let k = knn_edges(&v, 5, 1.0);
    let planted: Vec<u32> = (0..graph.node_count())
        .map(|p| synthetic::topic_of(p, 6) as u32)
        .collect();
    let labels = cluster_labels(graph, &e, &Partition::from_labels(&planted), 5).unwrap();
    (e, v, b, k, labels)
}

#[test]
fn every_step_gives_the_same_bits_on_one_and_two_threads() {
    let graph = small_export();
    let pool = |n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    };
    let one = pool(1).install(|| run(&graph));
    let two = pool(2).install(|| run(&graph));
    assert_eq!(one.0, two.0, "extraction");
    assert_eq!(one.1, two.1, "tf-idf");
    assert_eq!(one.2, two.2, "blended view");
    assert_eq!(one.3, two.3, "neighbours");
    assert_eq!(one.4, two.4, "labels");
}

#[test]
fn planted_topics_are_found_and_named() {
    let graph = small_export();
    let (e, v, blended, _, labels) = run(&graph);
    assert!(e.vocabulary().len() > 500);
    assert!(v.people_with_vectors() > 2900);
    // People of one topic are more alike than people of different topics.
    let (mut same, mut other, mut ns, mut no) = (0.0, 0.0, 0, 0);
    for u in 0..600 {
        for w in (u + 1)..600 {
            if synthetic::topic_of(u, 6) == synthetic::topic_of(w, 6) {
                same += v.cosine(u, w);
                ns += 1;
            } else {
                other += v.cosine(u, w);
                no += 1;
            }
        }
    }
    assert!(same / ns as f64 > 2.0 * other / no as f64);
    // The blended view keeps every structural tie and adds neighbour edges.
    let view = clustering_view(&graph, &ViewPolicy::default()).unwrap();
    assert!(blended.edge_count() > view.edge_count());
    // Each planted topic is labelled by its own hashtags.
    for (t, label) in labels.iter().enumerate() {
        let own: Vec<String> = (0..20)
            .map(|i| format!("#{}", synthetic::word(50_000 + t * 20 + i)))
            .collect();
        assert!(!label.hashtags.is_empty(), "topic {t}");
        for h in &label.hashtags {
            assert_eq!(h.kind, TermKind::Hashtag);
            assert!(own.contains(&h.term), "topic {t}: {} not its own", h.term);
        }
        assert!(label.label.starts_with('#'), "{}", label.label);
    }
}

#[test]
fn topic_aware_clustering_finds_ego_circles_better_than_structure_alone() {
    let dir = ego::shared("data/ego_facebook/facebook");
    if !dir.is_dir() {
        return;
    }
    let egos = ego::load_egos(&dir);
    assert_eq!(egos.len(), 10);
    let seeds = [1, 2, 3];
    let (structure, _) = ego::evaluate(&egos, &ego::Setting::structure(), &seeds);
    let (topical, _) = ego::evaluate(&egos, &ego::Setting::topic_defaults(), &seeds);
    assert!(
        topical > structure + 0.01,
        "topic-aware {topical:.4} vs structure-only {structure:.4}"
    );
}
