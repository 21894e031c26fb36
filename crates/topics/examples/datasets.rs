//! Structure-only against topic-aware clustering on the shared real data sets without circles:
//! the Stack Exchange dumps (text and tags, no community ground truth) and the GML sets whose
//! classes are the truth (polbooks, polblogs; the `value` column is left out of the terms).
//! The other shared sets have no text or attributes to weigh ties with (karate, lesmis,
//! dolphins, CollegeMsg, Bitcoin OTC; Congress Twitter has only the handles, in a JSON layout
//! no loader reads).
//!
//! ```text
//! cargo run --release -p contextivity-topics --example datasets [-- --seeds N]
//! ```
//!
//! For every data set and setting (structure only; `W` = 0.25, 0.5, 0.75, 1 without
//! neighbours; the defaults, `W = 0.5` with 10 neighbours) Leiden (modularity, γ = 1) runs
//! with `N` seeds (default 3); one JSON line gives the means of
//!
//! - `modularity`: of the partition, measured on the *structural* view (what the topics cost
//!   the structure);
//! - `topical`: the mean cosine similarity of two people of the same cluster, over people with
//!   a vector (what the topics gain; a cluster's pairs weigh by their number);
//! - `nmi` and `avg_f1` against the classes, where there are classes.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

#[path = "../tests/support/ego.rs"]
mod ego;

use contextivity_cluster::{cluster, ClusterConfig};
use contextivity_formats::LoadOptions;
use contextivity_graph::{clustering_view, Partition, ViewPolicy};
use contextivity_metrics::{average_f1, modularity, nmi};
use contextivity_topics::{blend_with, extract, tfidf, BlendConfig, ExtractConfig, TermVectors};
use contextivity_topics::{TfidfConfig, DEFAULT_KNN};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seeds: u64 = args
        .iter()
        .position(|a| a == "--seeds")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let sets = [
        (
            "stackexchange_quantumcomputing",
            "stackexchange_quantumcomputing",
        ),
        ("stackexchange_conlang_meta", "stackexchange_conlang_meta"),
        (
            "congress_twitter",
            "congress_twitter/congress_network_data.json",
        ),
        ("polbooks", "polbooks/polbooks.gml"),
        ("polblogs", "polblogs/polblogs.gml"),
    ];
    for (name, path) in sets {
        let path = ego::shared(&format!("data/{path}"));
        if !path.exists() {
            eprintln!("{name}: not found");
            continue;
        }
        let graph = match contextivity_formats::load(&path, &LoadOptions::default()) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("{name}: {e}");
                continue;
            }
        };
        let truth = graph.truth.clone();
        let view = clustering_view(&graph, &ViewPolicy::default()).unwrap();
        let config = ExtractConfig {
            skip_columns: vec!["value".into()],
            ..ExtractConfig::default()
        };
        let terms = extract(&graph, &config);
        let vectors = tfidf(&terms, &TfidfConfig::default()).unwrap();
        let truth_partition = truth.as_ref().map(|t| {
            let mut labels = vec![u32::MAX; graph.node_count()];
            for (c, members) in t.communities().iter().enumerate() {
                for &m in members {
                    labels[m as usize] = c as u32;
                }
            }
            Partition::from_labels(&labels)
        });
        let mut settings = vec![(0.0, 0)];
        settings.extend([0.25, 0.5, 0.75, 1.0].map(|w| (w, 0)));
        settings.push((0.5, DEFAULT_KNN));
        for (topic_weight, knn) in settings {
            let blend = BlendConfig {
                topic_weight,
                knn,
                ..BlendConfig::default()
            };
            let topical = blend_with(&view, &vectors, &blend).unwrap();
            let (mut q, mut coherence, mut mi, mut f1) = (0.0, 0.0, 0.0, 0.0);
            let mut clusters = 0.0;
            for seed in 1..=seeds {
                let config = ClusterConfig {
                    seed,
                    ..ClusterConfig::default()
                };
                let p = cluster(&topical, &config).unwrap().partition;
                q += modularity(&view, &p, 1.0);
                coherence += same_cluster_similarity(&vectors, &p);
                clusters += p.cluster_count() as f64;
                if let (Some(t), Some(tp)) = (&truth, &truth_partition) {
                    f1 += average_f1(&p.to_cover(), t);
                    mi += nmi(&p, tp).unwrap();
                }
            }
            let k = seeds as f64;
            let r = |x: f64| (x / k * 10_000.0).round() / 10_000.0;
            let mut line = serde_json::json!({
                "data": name,
                "people": graph.node_count(),
                "ties": view.edge_count(),
                "people_with_vectors": vectors.people_with_vectors(),
                "topic_weight": topic_weight,
                "knn": knn,
                "clusters": r(clusters),
                "modularity": r(q),
                "topical": r(coherence),
            });
            if truth.is_some() {
                line["nmi"] = r(mi).into();
                line["avg_f1"] = r(f1).into();
            }
            println!("{line}");
        }
    }
}

/// The mean cosine of two distinct people of the same cluster, both with a vector, over all
/// such pairs: per cluster `(‖Σ x‖² − m) / 2` pairs' worth of similarity over `m (m − 1) / 2`
/// pairs (rows are unit vectors).
fn same_cluster_similarity(vectors: &TermVectors, partition: &Partition) -> f64 {
    let (mut similarity, mut pairs) = (0.0, 0.0);
    let mut sum = vec![0f64; vectors.dimension()];
    for members in partition.members() {
        let mut m = 0.0;
        let mut touched = Vec::new();
        for p in members {
            let (terms, weights) = vectors.row(p.0 as usize);
            if terms.is_empty() {
                continue;
            }
            m += 1.0;
            for (&t, &w) in terms.iter().zip(weights) {
                if sum[t as usize] == 0.0 {
                    touched.push(t);
                }
                sum[t as usize] += w as f64;
            }
        }
        let norm2: f64 = touched.iter().map(|&t| sum[t as usize].powi(2)).sum();
        for &t in &touched {
            sum[t as usize] = 0.0;
        }
        similarity += (norm2 - m) / 2.0;
        pairs += m * (m - 1.0) / 2.0;
    }
    if pairs > 0.0 {
        similarity / pairs
    } else {
        0.0
    }
}
