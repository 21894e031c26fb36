//! Leiden and Louvain end to end: quality on known graphs, connected communities, identical
//! results at any thread count, agreement with the sequential reference, CPM on cliques.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use contextivity_cluster::{
    cluster, cluster_directed, cluster_many, quality, reference, Algorithm, ClusterConfig,
    ClusterError, Objective,
};
use contextivity_graph::{BuildOptions, Csr, EdgeList, Partition};

fn leiden() -> ClusterConfig {
    ClusterConfig::default()
}

fn louvain() -> ClusterConfig {
    ClusterConfig::louvain(Objective::Modularity, 1.0)
}

#[test]
fn karate_reaches_the_known_modularity() {
    let g = karate();
    let r = cluster(&g, &leiden()).unwrap();
    assert!(r.quality >= 0.4188, "Q = {}", r.quality);
    assert!((quality::modularity(&g, &r.partition, 1.0) - r.quality).abs() < 1e-12);
    assert!(all_connected(&g, &r.partition));
    // Several seeds: none falls below the Louvain level.
    for seed in 0..10 {
        let config = ClusterConfig { seed, ..leiden() };
        let q = cluster(&g, &config).unwrap().quality;
        assert!(q >= 0.4150, "seed {seed}: Q = {q}");
    }
    let best = (0..10)
        .map(|seed| {
            cluster(&g, &ClusterConfig { seed, ..leiden() })
                .unwrap()
                .quality
        })
        .fold(f64::MIN, f64::max);
    assert!(best >= 0.4197, "best Q over seeds = {best}");
}

#[test]
fn leiden_communities_are_connected() {
    for seed in 0..6 {
        let g = random(2000, 3.0 + seed as f64, seed);
        for algorithm_config in [
            leiden(),
            ClusterConfig {
                max_iterations: Some(1),
                ..leiden()
            },
        ] {
            let r = cluster(
                &g,
                &ClusterConfig {
                    seed,
                    ..algorithm_config
                },
            )
            .unwrap();
            assert!(all_connected(&g, &r.partition), "random graph seed {seed}");
        }
        let (g, _) = planted(40, 50, 6.0, 4.0, seed);
        let r = cluster(&g, &ClusterConfig { seed, ..leiden() }).unwrap();
        assert!(all_connected(&g, &r.partition), "planted graph seed {seed}");
        // CPM too.
        let r = cluster(&g, &ClusterConfig::leiden(Objective::Cpm, 0.05)).unwrap();
        assert!(all_connected(&g, &r.partition));
    }
}

#[test]
fn identical_at_one_two_and_four_threads() {
    let (planted_graph, _) = planted(100, 60, 10.0, 6.0, 3);
    let random_graph = random(20_000, 8.0, 5);
    let configs = [
        leiden(),
        louvain(),
        ClusterConfig::leiden(Objective::Cpm, 0.02),
        ClusterConfig {
            max_iterations: None,
            seed: 9,
            ..leiden()
        },
    ];
    for g in [&planted_graph, &random_graph] {
        for config in &configs {
            let runs: Vec<_> = [1, 2, 4]
                .into_iter()
                .map(|t| with_threads(t, || cluster(g, config).unwrap()))
                .collect();
            assert_eq!(runs[0], runs[1], "{config:?}");
            assert_eq!(runs[0], runs[2], "{config:?}");
        }
    }
    // The directed entry as well.
    let mut arcs = EdgeList::new();
    let csr = random_graph.csr();
    for (u, v, w) in csr.iter() {
        if (u + v) % 3 != 0 {
            arcs.push(u, v, w);
        }
    }
    let out = Csr::from_edges(random_graph.node_count(), &arcs, BuildOptions::default())
        .unwrap()
        .0;
    let runs: Vec<_> = [1, 2, 4]
        .into_iter()
        .map(|t| with_threads(t, || cluster_directed(&out, &leiden()).unwrap()))
        .collect();
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0], runs[2]);
}

#[test]
fn parallel_matches_the_sequential_reference() {
    for seed in 0..4 {
        let (g, _) = planted(50, 80, 8.0, 6.0, seed);
        let r = reference::louvain(&g, 1.0, seed);
        let q_ref = quality::modularity(&g, &r, 1.0);
        let q_louvain = cluster(&g, &ClusterConfig { seed, ..louvain() })
            .unwrap()
            .quality;
        let q_leiden = cluster(&g, &ClusterConfig { seed, ..leiden() })
            .unwrap()
            .quality;
        assert!(
            q_louvain >= q_ref - 0.01,
            "planted {seed}: {q_louvain} vs {q_ref}"
        );
        assert!(
            q_leiden >= q_ref - 0.005,
            "planted {seed}: {q_leiden} vs {q_ref}"
        );

        let g = random(3000, 6.0, seed);
        let q_ref = quality::modularity(&g, &reference::louvain(&g, 1.0, seed), 1.0);
        let q_louvain = cluster(&g, &ClusterConfig { seed, ..louvain() })
            .unwrap()
            .quality;
        let q_leiden = cluster(&g, &ClusterConfig { seed, ..leiden() })
            .unwrap()
            .quality;
        assert!(
            q_louvain >= q_ref - 0.01,
            "random {seed}: {q_louvain} vs {q_ref}"
        );
        assert!(
            q_leiden >= q_ref - 0.005,
            "random {seed}: {q_leiden} vs {q_ref}"
        );
    }
}

#[test]
fn planted_partition_is_recovered_when_clear() {
    let (g, truth) = planted(30, 40, 14.0, 2.0, 11);
    let r = cluster(&g, &leiden()).unwrap();
    assert_eq!(r.partition, truth);
}

#[test]
fn cpm_recovers_disjoint_cliques() {
    let (g, truth) = cliques(12, 8);
    for algorithm in [Algorithm::Leiden, Algorithm::Louvain] {
        let config = ClusterConfig {
            algorithm,
            ..ClusterConfig::leiden(Objective::Cpm, 0.5)
        };
        let r = cluster(&g, &config).unwrap();
        assert_eq!(r.partition, truth, "{algorithm:?}");
        // 12 cliques of 28 internal edges, each with penalty 0.5 * 28.
        assert!(
            (r.quality - 12.0 * (28.0 - 14.0)).abs() < 1e-9,
            "H = {}",
            r.quality
        );
    }
}

#[test]
fn levels_end_with_the_partition() {
    let (g, _) = planted(40, 50, 6.0, 4.0, 2);
    for config in [leiden(), louvain()] {
        let r = cluster(&g, &config).unwrap();
        assert_eq!(r.levels.last(), Some(&r.partition));
        assert!(r.levels.iter().all(|p| p.len() == g.node_count()));
        assert!(r.iterations >= 1 && r.iterations <= 2);
        // One iteration from singletons: the first level is finer than the result.
        let one = ClusterConfig {
            max_iterations: Some(1),
            ..config
        };
        let r = cluster(&g, &one).unwrap();
        assert!(
            r.levels.len() >= 2,
            "a 2000-node graph needs more than one level"
        );
        assert!(r.levels[0].cluster_count() > r.partition.cluster_count());
        assert_eq!(r.iterations, 1);
    }
}

#[test]
fn many_resolutions_equal_single_runs() {
    let (g, _) = planted(20, 30, 8.0, 4.0, 4);
    let resolutions = [0.5, 1.0, 2.0];
    let many = cluster_many(&g, &leiden(), &resolutions).unwrap();
    for (r, &gamma) in many.iter().zip(&resolutions) {
        let single = cluster(
            &g,
            &ClusterConfig {
                resolution: gamma,
                ..leiden()
            },
        )
        .unwrap();
        assert_eq!(*r, single);
    }
    assert!(many[0].partition.cluster_count() <= many[2].partition.cluster_count());
    assert!(matches!(
        cluster_many(&g, &leiden(), &[1.0, -1.0]),
        Err(ClusterError::InvalidResolution(_))
    ));
}

#[test]
fn invalid_input_is_refused() {
    let g = karate();
    let bad = ClusterConfig {
        randomness: 0.0,
        ..leiden()
    };
    assert!(matches!(
        cluster(&g, &bad),
        Err(ClusterError::InvalidParameter { .. })
    ));
    let mut edges = EdgeList::new();
    edges.push(0, 1, -1.0);
    let neg = contextivity_graph::UndirectedGraph::from_edges(2, &edges).unwrap();
    assert!(matches!(
        cluster(&neg, &leiden()),
        Err(ClusterError::InvalidWeight { .. })
    ));
}

#[test]
fn graphs_without_edges_stay_singletons() {
    let g = contextivity_graph::UndirectedGraph::from_edges(5, &EdgeList::new()).unwrap();
    let r = cluster(&g, &leiden()).unwrap();
    assert_eq!(r.partition, Partition::singletons(5));
    assert_eq!(r.quality, 0.0);
    let empty = contextivity_graph::UndirectedGraph::from_edges(0, &EdgeList::new()).unwrap();
    assert_eq!(cluster(&empty, &leiden()).unwrap().partition.len(), 0);
}

#[test]
fn serde_round_trip_of_the_config() {
    let c = ClusterConfig {
        max_iterations: None,
        seed: 3,
        ..ClusterConfig::leiden(Objective::Cpm, 0.1)
    };
    let json = serde_json::to_string(&c).unwrap();
    assert!(json.contains("\"objective\":\"cpm\""));
    let back: ClusterConfig = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
    let partial: ClusterConfig = serde_json::from_str("{\"resolution\":2.0}").unwrap();
    assert_eq!(
        partial,
        ClusterConfig {
            resolution: 2.0,
            ..ClusterConfig::default()
        }
    );
}

/// The shared LFR graphs on which the peers were measured (see ../shared/peers/README.md).
#[test]
fn lfr_10k_modularity_matches_the_peers() {
    for (name, floor) in [
        ("lfr_10k_mu0.3.edges", 0.6789),
        ("lfr_10k_mu0.5.edges", 0.4894),
    ] {
        let Some(path) = shared_graph(name) else {
            return;
        };
        let g = load_edges(&path);
        let r = cluster(&g, &leiden()).unwrap();
        assert!(r.quality >= floor, "{name}: Q = {}", r.quality);
        assert!(all_connected(&g, &r.partition));
    }
}

#[test]
fn a_stable_partition_ends_the_run_after_one_pass() {
    // 6000 nodes of planted communities: the second iteration's first pass moves a few nodes.
    let (g, _) = planted(60, 100, 12.0, 5.0, 11);
    let once = cluster(
        &g,
        &ClusterConfig {
            max_iterations: Some(1),
            ..leiden()
        },
    )
    .unwrap();
    let full = cluster(
        &g,
        &ClusterConfig {
            stable_share: 0.0,
            ..leiden()
        },
    )
    .unwrap();
    assert_eq!(full.iterations, 2);
    // The second iteration in full changes something here, so stopping early is visible.
    assert_ne!(full.partition, once.partition);
    // Every pass moves fewer nodes than there are: the second iteration stops at its first
    // pass and the first iteration's partition and levels are the result.
    let stopped = cluster(
        &g,
        &ClusterConfig {
            stable_share: 1.0,
            ..leiden()
        },
    )
    .unwrap();
    assert_eq!(stopped.iterations, 2);
    assert_eq!(stopped.partition, once.partition);
    assert_eq!(stopped.levels, once.levels);
    assert_eq!(stopped.quality, once.quality);
    // Below 1 / stable_share nodes (here 1000 with the default share) every iteration runs in
    // full.
    let small = random(900, 6.0, 4);
    let default = cluster(&small, &leiden()).unwrap();
    let never = cluster(
        &small,
        &ClusterConfig {
            stable_share: 0.0,
            ..leiden()
        },
    )
    .unwrap();
    assert_eq!(default, never);
    // A share outside [0, 1] is refused.
    for bad in [-0.1, 1.5, f64::NAN] {
        let config = ClusterConfig {
            stable_share: bad,
            ..leiden()
        };
        assert!(matches!(
            cluster(&g, &config),
            Err(ClusterError::InvalidParameter {
                name: "stable_share",
                ..
            })
        ));
    }
}

/// The quality a run reports (read on its last aggregated level) is the quality of its
/// partition recomputed on the input, for every objective, algorithm and way of stopping —
/// including a run whose last iteration stopped as stable and returned the one before.
#[test]
fn reported_quality_is_the_partition_quality_on_the_input() {
    let configs = |seed: u64| {
        let mut v = Vec::new();
        for algorithm in [Algorithm::Leiden, Algorithm::Louvain] {
            for (objective, gamma) in [
                (Objective::Modularity, 1.0),
                (Objective::Modularity, 0.5),
                (Objective::Modularity, 2.0),
                (Objective::Cpm, 0.05),
            ] {
                for (max_iterations, stable_share) in [
                    (Some(1), 1e-3),
                    (Some(2), 1e-3),
                    (None, 0.0),
                    (Some(3), 0.5),
                ] {
                    v.push(ClusterConfig {
                        algorithm,
                        objective,
                        resolution: gamma,
                        seed,
                        max_iterations,
                        stable_share,
                        ..ClusterConfig::default()
                    });
                }
            }
        }
        v
    };
    for seed in 0..4u64 {
        let g = random(400 + 100 * seed as usize, 6.0, seed);
        for config in configs(seed) {
            let r = cluster(&g, &config).unwrap();
            let want = match config.objective {
                Objective::Cpm => quality::cpm(&g, &r.partition, config.resolution),
                _ => quality::modularity(&g, &r.partition, config.resolution),
            };
            assert!(
                (r.quality - want).abs() <= 1e-9 * want.abs().max(1.0),
                "{config:?}: reported {} recomputed {want}",
                r.quality
            );
        }
    }
}
