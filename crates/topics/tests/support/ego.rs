//! Scoring detected clusters against SNAP ego circles the way McAuley & Leskovec (NIPS 2012)
//! do: each ego's network (its alters and their ties, the ego left out) is clustered on its
//! own, the clusters are compared with that ego's circles by average F1, and the scores are
//! averaged over egos. Shared by the `ego_circles` example and the integration test.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use contextivity_cluster::{cluster, ClusterConfig, Objective};
use contextivity_formats::LoadOptions;
use contextivity_graph::{
    clustering_view, Cover, EdgeList, SocialGraph, UndirectedGraph, ViewPolicy,
};
use contextivity_metrics::average_f1;
use contextivity_topics::{
    blend_with, extract, tfidf, BlendConfig, ExtractConfig, Extraction, MissingVector, TermVectors,
    TfidfConfig,
};
use serde::Serialize;

/// The shared data folder, seen from this crate.
pub fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(path)
}

/// One ego network ready to cluster.
pub struct Ego {
    /// The ego's id.
    pub name: String,
    /// The loaded graph (ego included, with its features).
    pub graph: SocialGraph,
    /// The ego's node.
    pub ego: u32,
    /// The structural view without the ego's ties.
    pub view: UndirectedGraph,
    /// The ego's circles.
    pub truth: Cover,
    /// Everyone's terms (the ego profile features as attributes).
    pub extraction: Extraction,
}

/// Every ego of a SNAP ego directory, by ego id.
pub fn load_egos(dir: &Path) -> Vec<Ego> {
    let mut files: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.ok()?.path();
            let stem = p
                .file_name()?
                .to_str()?
                .strip_suffix(".edges")?
                .parse()
                .ok()?;
            Some((stem, p))
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|(id, path)| {
            let graph = contextivity_formats::load(&path, &LoadOptions::default()).unwrap();
            let name = id.to_string();
            let ego = graph.labels.iter().position(|l| l == name).unwrap() as u32;
            let full = clustering_view(&graph, &ViewPolicy::default()).unwrap();
            let mut edges = EdgeList::new();
            for (u, v, w) in full.csr().iter() {
                if u < v && u != ego && v != ego {
                    edges.push(u, v, w);
                }
            }
            let view = UndirectedGraph::from_edges(graph.node_count(), &edges).unwrap();
            let truth = graph.truth.clone().unwrap();
            let extraction = extract(&graph, &ExtractConfig::default());
            Ego {
                name,
                graph,
                ego,
                view,
                truth,
                extraction,
            }
        })
        .collect()
}

/// One configuration of the comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Setting {
    /// Modularity or CPM.
    pub objective: Objective,
    /// Its resolution.
    pub resolution: f64,
    /// The topic weight `W` (0: structure only).
    pub topic_weight: f64,
    /// Topical neighbours per person.
    pub knn: usize,
    /// Weight of a neighbour edge per unit of cosine (times the mean edge weight).
    pub knn_weight: f32,
    /// Terms neighbours must share.
    pub knn_min_shared: u16,
    /// The missing-vector policy.
    pub missing: MissingVector,
    /// The vocabulary pruning.
    pub max_share: f64,
    /// People kept per term by the neighbour search.
    pub max_postings: usize,
    /// Postings scanned per person by the neighbour search.
    pub knn_budget: usize,
}

impl Setting {
    /// Structure only, Leiden on modularity at resolution 1.
    pub fn structure() -> Self {
        Setting {
            objective: Objective::Modularity,
            resolution: 1.0,
            topic_weight: 0.0,
            knn: 0,
            knn_weight: contextivity_topics::DEFAULT_KNN_WEIGHT,
            knn_min_shared: contextivity_topics::DEFAULT_KNN_MIN_SHARED,
            missing: MissingVector::Neutral,
            max_share: contextivity_topics::DEFAULT_MAX_SHARE,
            max_postings: contextivity_topics::DEFAULT_MAX_POSTINGS,
            knn_budget: contextivity_topics::DEFAULT_KNN_BUDGET,
        }
    }

    /// The library defaults of the topic-aware view, Leiden on modularity at resolution 1.
    pub fn topic_defaults() -> Self {
        let d = BlendConfig::default();
        Setting {
            topic_weight: d.topic_weight,
            knn: d.knn,
            knn_weight: d.knn_weight,
            knn_min_shared: d.knn_min_shared,
            missing: d.missing,
            ..Setting::structure()
        }
    }
}

/// The term vectors of an ego under `setting`'s pruning.
pub fn vectors(ego: &Ego, setting: &Setting) -> TermVectors {
    let config = TfidfConfig {
        max_share: setting.max_share,
        ..TfidfConfig::default()
    };
    tfidf(&ego.extraction, &config).unwrap()
}

/// Average F1 of one ego's clusters (the ego itself left out) against its circles.
pub fn score(ego: &Ego, vectors: &TermVectors, setting: &Setting, seed: u64) -> f64 {
    let blend = BlendConfig {
        topic_weight: setting.topic_weight,
        missing: setting.missing,
        knn: setting.knn,
        knn_weight: setting.knn_weight,
        knn_min_shared: setting.knn_min_shared,
        max_postings: setting.max_postings,
        knn_budget: setting.knn_budget,
    };
    let mut graph = blend_with(&ego.view, vectors, &blend).unwrap();
    if setting.knn > 0 {
        // Neighbour edges never touch the ego: its row is cleared like its ties.
        let mut edges = EdgeList::new();
        for (u, v, w) in graph.csr().iter() {
            if u < v && u != ego.ego && v != ego.ego {
                edges.push(u, v, w);
            }
        }
        graph = UndirectedGraph::from_edges(graph.node_count(), &edges).unwrap();
    }
    let config = ClusterConfig {
        seed,
        ..ClusterConfig::leiden(setting.objective, setting.resolution)
    };
    score_clusters(ego, &graph, &config)
}

/// Average F1 of the clusters `config` finds on `graph` (one ego's network), the ego itself
/// left out, against the ego's circles.
pub fn score_clusters(ego: &Ego, graph: &UndirectedGraph, config: &ClusterConfig) -> f64 {
    let partition = cluster(graph, config).unwrap().partition;
    let communities: Vec<Vec<u32>> = partition
        .members()
        .into_iter()
        .map(|m| {
            m.into_iter()
                .map(|n| n.0)
                .filter(|&n| n != ego.ego)
                .collect()
        })
        .filter(|m: &Vec<u32>| !m.is_empty())
        .collect();
    let detected = Cover::new(graph.node_count(), communities);
    average_f1(&detected, &ego.truth)
}

/// Mean average F1 over egos and seeds, and the per-ego means.
pub fn evaluate(egos: &[Ego], setting: &Setting, seeds: &[u64]) -> (f64, Vec<f64>) {
    let per_ego: Vec<f64> = egos
        .iter()
        .map(|ego| {
            let v = vectors(ego, setting);
            seeds
                .iter()
                .map(|&s| score(ego, &v, setting, s))
                .sum::<f64>()
                / seeds.len() as f64
        })
        .collect();
    let mean = per_ego.iter().sum::<f64>() / per_ego.len().max(1) as f64;
    (mean, per_ego)
}
