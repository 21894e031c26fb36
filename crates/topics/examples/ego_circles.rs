//! Does talking alike help find social circles? Structure-only against topic-aware clustering on
//! the SNAP Facebook ego networks (McAuley & Leskovec, NIPS 2012), scored as they score it.
//!
//! ```text
//! cargo run --release -p contextivity-topics --example ego_circles [-- DIR] [--seeds N] [--quick]
//! ```
//!
//! `--quick` runs only structure only, `W = 0.5` alone, the defaults and the neighbour-search
//! limits (people per term, postings per person) at modularity γ = 1.
//!
//! `DIR` defaults to the shared `data/ego_facebook/facebook` folder. Each ego's network (its
//! alters and their ties; the ego and its ties left out) is loaded alone, its alters' profile
//! features become `column:value` terms, TF-IDF vectors blend the friendship weights
//! (`w · ((1 − W) + W · cos)`) and optionally add `K` topical neighbours; Leiden clusters the
//! result; the clusters are compared with the ego's circles by average F1 and the scores
//! averaged over the 10 egos and `N` seeds (default 3). One JSON line per setting: the
//! objective and resolution, `W`, `K`, the neighbour weight, the missing-vector policy, the
//! vocabulary's maximum share, the mean average F1 and the per-ego values.
//!
//! Before those, one line per ego gives its topical agreement (connected people's mean cosine
//! against chance, see `contextivity_topics::agreement`), then one line per neighbour scope of
//! the default blend (everyone's neighbours, only those of people without a tie, of people
//! with fewer than 3 or 10 ties) and for the adaptive view (`adapt`, each ego deciding alone),
//! at modularity γ = 1.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

#[path = "../tests/support/ego.rs"]
mod ego;

use contextivity_cluster::{cluster, ClusterConfig, Objective};
use contextivity_formats::LoadOptions;
use contextivity_graph::{clustering_view, Partition, ViewPolicy};
use contextivity_graph::{EdgeList, UndirectedGraph};
use contextivity_metrics::{average_f1, nmi};
use contextivity_topics::{
    adapt, blend_scoped, blend_with, extract, tfidf, BlendConfig, ExtractConfig, MissingVector,
    NeighbourScope, TfidfConfig,
};
use ego::{evaluate, load_egos, score_clusters, shared, vectors, Ego, Setting};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = shared("data/ego_facebook/facebook");
    let mut seeds = 3u64;
    let mut quick = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--seeds" => {
                i += 1;
                seeds = args.get(i).and_then(|s| s.parse().ok()).unwrap_or(3);
            }
            "--quick" => quick = true,
            other => dir = other.into(),
        }
        i += 1;
    }
    if !dir.is_dir() {
        eprintln!("no ego directory at {}", dir.display());
        return;
    }
    let seeds: Vec<u64> = (1..=seeds).collect();
    for name in ["polbooks", "polblogs"] {
        classes(name, &seeds);
    }
    let egos = load_egos(&dir);
    let objectives = [
        (Objective::Modularity, 1.0),
        (Objective::Modularity, 2.0),
        (Objective::Cpm, 0.05),
        (Objective::Cpm, 0.1),
        (Objective::Cpm, 0.2),
    ];
    let run = |s: &Setting| {
        let (mean, per_ego) = evaluate(&egos, s, &seeds);
        let line = serde_json::json!({
            "objective": s.objective,
            "resolution": s.resolution,
            "topic_weight": s.topic_weight,
            "knn": s.knn,
            "knn_weight": s.knn_weight,
            "knn_min_shared": s.knn_min_shared,
            "missing": s.missing,
            "max_share": s.max_share,
            "max_postings": s.max_postings,
            "knn_budget": s.knn_budget,
            "avg_f1": (mean * 10_000.0).round() / 10_000.0,
            "per_ego": egos.iter().zip(&per_ego)
                .map(|(e, f)| (e.name.clone(), (f * 1000.0).round() / 1000.0))
                .collect::<std::collections::BTreeMap<_, _>>(),
        });
        println!("{line}");
    };
    // The topical agreement of every ego and the adaptive view's decision.
    for ego in &egos {
        let v = vectors(ego, &Setting::structure());
        let d = adapt(&ego.view, &v, &BlendConfig::default()).unwrap();
        let line = serde_json::json!({
            "ego": ego.name,
            "agreement": d.agreement,
            "topics_agree": d.topics_agree,
        });
        println!("{line}");
    }
    for (name, how) in [
        (
            "defaults, neighbours of everyone",
            Some(NeighbourScope::Everyone),
        ),
        (
            "defaults, neighbours of the untied",
            Some(NeighbourScope::Untied),
        ),
        (
            "defaults, neighbours of people with < 3 ties",
            Some(NeighbourScope::FewerTiesThan(3)),
        ),
        (
            "defaults, neighbours of people with < 10 ties",
            Some(NeighbourScope::FewerTiesThan(10)),
        ),
        ("adaptive", None),
    ] {
        let (mean, per_ego) = evaluate_scoped(&egos, how, &seeds);
        let line = serde_json::json!({
            "view": name,
            "avg_f1": (mean * 10_000.0).round() / 10_000.0,
            "per_ego": egos.iter().zip(&per_ego)
                .map(|(e, f)| (e.name.clone(), (f * 1000.0).round() / 1000.0))
                .collect::<std::collections::BTreeMap<_, _>>(),
        });
        println!("{line}");
    }
    if quick {
        run(&Setting::structure());
        run(&Setting {
            topic_weight: 0.5,
            ..Setting::structure()
        });
        run(&Setting::topic_defaults());
        let limits = [
            (usize::MAX, usize::MAX),
            (1000, 2048),
            (1000, 1024),
            (500, 1024),
            (300, 1024),
            (200, 1024),
            (300, 2048),
            (300, 768),
            (300, 512),
            (100, 512),
        ];
        for (max_postings, knn_budget) in limits {
            run(&Setting {
                max_postings,
                knn_budget,
                ..Setting::topic_defaults()
            });
        }
        return;
    }
    for &(objective, resolution) in &objectives {
        for topic_weight in [0.0, 0.25, 0.5, 0.75, 1.0] {
            for knn in [0, 5, 10] {
                run(&Setting {
                    objective,
                    resolution,
                    topic_weight,
                    knn,
                    ..Setting::structure()
                });
            }
        }
    }
    // Variants at modularity γ = 1: people without features, vocabulary pruning, neighbour
    // weight and shared terms.
    for topic_weight in [0.25, 0.5, 1.0] {
        run(&Setting {
            topic_weight,
            missing: MissingVector::Zero,
            ..Setting::structure()
        });
        run(&Setting {
            topic_weight,
            max_share: 1.0,
            ..Setting::structure()
        });
        for knn_min_shared in [1, 2, 3] {
            for knn_weight in [0.1, 0.25, 1.0] {
                run(&Setting {
                    topic_weight,
                    knn: 10,
                    knn_weight,
                    knn_min_shared,
                    ..Setting::structure()
                });
            }
        }
    }
    run(&Setting::topic_defaults());
}

/// Structure-only against topic-aware clustering on a GML file whose `value` classes are the
/// truth (the `value` column is left out of the terms: it *is* the truth).
fn classes(name: &str, seeds: &[u64]) {
    let path = shared(&format!("data/{name}/{name}.gml"));
    if !path.is_file() {
        return;
    }
    let graph = contextivity_formats::load(&path, &LoadOptions::default()).unwrap();
    let truth = graph.truth.clone().unwrap();
    let mut labels = vec![u32::MAX; graph.node_count()];
    for (c, members) in truth.communities().iter().enumerate() {
        for &m in members {
            labels[m as usize] = c as u32;
        }
    }
    let truth_partition = Partition::from_labels(&labels);
    let view = clustering_view(&graph, &ViewPolicy::default()).unwrap();
    let config = ExtractConfig {
        skip_columns: vec!["value".into()],
        ..ExtractConfig::default()
    };
    let extraction = extract(&graph, &config);
    let vectors = tfidf(&extraction, &TfidfConfig::default()).unwrap();
    let defaults = BlendConfig::default();
    let settings = [
        (0.0, 0, defaults.knn_min_shared),
        (defaults.topic_weight, 0, defaults.knn_min_shared),
        (defaults.topic_weight, defaults.knn, 1),
        (defaults.topic_weight, defaults.knn, defaults.knn_min_shared),
        (1.0, 0, defaults.knn_min_shared),
    ];
    for (topic_weight, knn, knn_min_shared) in settings {
        let blend = BlendConfig {
            topic_weight,
            knn,
            knn_min_shared,
            ..BlendConfig::default()
        };
        let topical = blend_with(&view, &vectors, &blend).unwrap();
        let (mut f1, mut mi) = (0.0, 0.0);
        for &seed in seeds {
            let config = ClusterConfig {
                seed,
                ..ClusterConfig::default()
            };
            let p = cluster(&topical, &config).unwrap().partition;
            f1 += average_f1(&p.to_cover(), &truth);
            mi += nmi(&p, &truth_partition).unwrap();
        }
        let k = seeds.len() as f64;
        let line = serde_json::json!({
            "data": name,
            "people_with_vectors": vectors.people_with_vectors(),
            "topic_weight": topic_weight,
            "knn": knn,
            "knn_min_shared": knn_min_shared,
            "avg_f1": (f1 / k * 10_000.0).round() / 10_000.0,
            "nmi": (mi / k * 10_000.0).round() / 10_000.0,
        });
        println!("{line}");
    }
}

/// Mean average F1 over egos and seeds (and per ego) of the default blend with neighbours in
/// `scope`, or of the adaptive view (`None`: each ego's own decision from `adapt`); Leiden,
/// modularity γ = 1, the ego left out as in `ego::score`.
fn evaluate_scoped(egos: &[Ego], scope: Option<NeighbourScope>, seeds: &[u64]) -> (f64, Vec<f64>) {
    let per_ego: Vec<f64> = egos
        .iter()
        .map(|ego| {
            let v = vectors(ego, &Setting::structure());
            let (config, scope) = match scope {
                Some(s) => (BlendConfig::default(), s),
                None => {
                    let d = adapt(&ego.view, &v, &BlendConfig::default()).unwrap();
                    (d.config, NeighbourScope::Everyone)
                }
            };
            let blended = blend_scoped(&ego.view, &v, &config, scope).unwrap();
            // Neighbour edges never touch the ego: its row is cleared like its ties.
            let mut edges = EdgeList::new();
            for (u, w, x) in blended.csr().iter() {
                if u < w && u != ego.ego && w != ego.ego {
                    edges.push(u, w, x);
                }
            }
            let graph = UndirectedGraph::from_edges(blended.node_count(), &edges).unwrap();
            seeds
                .iter()
                .map(|&seed| {
                    let config = ClusterConfig {
                        seed,
                        ..ClusterConfig::leiden(Objective::Modularity, 1.0)
                    };
                    score_clusters(ego, &graph, &config)
                })
                .sum::<f64>()
                / seeds.len() as f64
        })
        .collect();
    let mean = per_ego.iter().sum::<f64>() / per_ego.len().max(1) as f64;
    (mean, per_ego)
}
