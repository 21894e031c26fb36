//! The LFR generator through its public API: the graph is simple and sorted, degrees, sizes and
//! mixing follow the parameters, the planted partition is the one the edges were wired for,
//! output is a function of the seed alone, and bad parameters are refused with clear messages.

#![allow(clippy::unwrap_used)]

use contextivity_synth::{generate, LfrError, LfrGraph, LfrParams};
use proptest::prelude::*;

/// 1,000 nodes, ⟨k⟩ 20, k_max 50, communities of 20–100 (the peer benchmarks' 10k settings).
fn small(mixing: f64, seed: u64) -> LfrParams {
    LfrParams {
        nodes: 1000,
        avg_degree: 20.0,
        max_degree: 50,
        mixing,
        min_community: Some(20),
        max_community: Some(100),
        seed,
        ..LfrParams::default()
    }
}

fn degrees(g: &LfrGraph) -> Vec<usize> {
    let mut d = vec![0usize; g.nodes];
    for (&u, &v) in g.edges.sources.iter().zip(&g.edges.targets) {
        d[u as usize] += 1;
        d[v as usize] += 1;
    }
    d
}

/// External degree of every node, from the edges and the planted partition.
fn external_degrees(g: &LfrGraph) -> Vec<usize> {
    let c = g.communities.assignment();
    let mut d = vec![0usize; g.nodes];
    for (&u, &v) in g.edges.sources.iter().zip(&g.edges.targets) {
        if c[u as usize] != c[v as usize] {
            d[u as usize] += 1;
            d[v as usize] += 1;
        }
    }
    d
}

/// Every structural promise of [`LfrGraph`], whatever the parameters.
fn assert_well_formed(g: &LfrGraph, p: &LfrParams) {
    let e = &g.edges;
    assert_eq!(g.nodes, p.nodes);
    assert_eq!(e.sources.len(), e.targets.len());
    assert!(e.weights.is_none());
    for i in 0..e.len() {
        let (u, v) = (e.sources[i], e.targets[i]);
        assert!(u < v, "edge {i} = ({u}, {v}) is not u < v");
        assert!((v as usize) < g.nodes);
        if i > 0 {
            assert!(
                (e.sources[i - 1], e.targets[i - 1]) < (u, v),
                "edges not strictly sorted at {i}: duplicate or out of order"
            );
        }
    }
    assert_eq!(g.communities.len(), g.nodes);
    assert_eq!(g.communities.cluster_count(), g.stats.communities);
    let (lo, hi) = g.stats.community_bounds;
    let sizes = g.communities.sizes();
    assert!(
        sizes.iter().all(|&s| (lo..=hi).contains(&s)),
        "a community size lies outside [{lo}, {hi}]: {sizes:?}"
    );
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "not canonical");
    let ext: usize = external_degrees(g).iter().sum::<usize>() / 2;
    assert_eq!(ext, g.stats.external_edges);
    assert_eq!(e.len(), g.stats.internal_edges + g.stats.external_edges);
    let d = degrees(g);
    assert!(d.iter().all(|&k| k <= p.max_degree));
    assert_eq!(d.iter().copied().max().unwrap_or(0), g.stats.max_degree);
    assert_eq!(d.iter().copied().min().unwrap_or(0), g.stats.min_degree);
    if !e.is_empty() {
        assert!((g.realised_mixing - ext as f64 / e.len() as f64).abs() < 1e-12);
    }
}

#[test]
fn small_graph_matches_its_parameters() {
    for (mixing, seed) in [(0.1, 1), (0.3, 2), (0.5, 3), (0.8, 4)] {
        let p = small(mixing, seed);
        let g = generate(&p).unwrap();
        assert_well_formed(&g, &p);
        let d = degrees(&g);
        assert_eq!(g.stats.dropped_edges, 0, "μ {mixing}");
        // Every drawn degree is kept, so the realised ones lie in [k_min, k_max].
        assert!(d.iter().all(|&k| k >= g.stats.degree_cutoff && k <= 50));
        assert!(g.stats.degree_cutoff >= 9 && g.stats.degree_cutoff <= 10);
        let mean = d.iter().sum::<usize>() as f64 / d.len() as f64;
        assert!((mean - 20.0).abs() < 1.0, "μ {mixing}: mean degree {mean}");
        assert!((mean - g.stats.mean_degree).abs() < 1e-9);
        assert!(
            (g.realised_mixing - mixing).abs() < 0.02,
            "μ {mixing}: realised {}",
            g.realised_mixing
        );
        assert!((g.stats.mean_node_mixing - mixing).abs() < 0.02);
        assert!(g.stats.communities >= 10 && g.stats.communities <= 50);
    }
}

#[test]
fn every_node_keeps_its_mixing_fraction() {
    // Internal degrees are (1 − μ)k rounded up or down, and parity moves at most one per
    // community: |k_ext − μk| < 2 for every node, except nodes whose stubs were moved out.
    let p = small(0.4, 9);
    let g = generate(&p).unwrap();
    let (d, x) = (degrees(&g), external_degrees(&g));
    let off = d
        .iter()
        .zip(&x)
        .filter(|&(&k, &e)| (e as f64 - 0.4 * k as f64).abs() >= 2.0)
        .count();
    assert!(
        off <= g.stats.stubs_moved_out,
        "{off} nodes stray from μ, only {} stubs were moved out",
        g.stats.stubs_moved_out
    );
    // And the planted communities are real: far denser inside than between.
    let internal_fraction = 1.0 - g.realised_mixing;
    assert!(internal_fraction > 0.55);
}

#[test]
fn extremes_of_mixing() {
    let p = LfrParams {
        mixing: 0.0,
        max_community: Some(100),
        ..small(0.0, 5)
    };
    let g = generate(&p).unwrap();
    assert_well_formed(&g, &p);
    assert_eq!(g.stats.external_edges, 0);
    assert_eq!(g.realised_mixing, 0.0);

    let p = small(1.0, 6);
    let g = generate(&p).unwrap();
    assert_well_formed(&g, &p);
    assert_eq!(g.stats.internal_edges, 0);
    assert_eq!(g.realised_mixing, 1.0);
}

#[test]
fn same_seed_same_graph_other_seed_other_graph() {
    let a = generate(&small(0.3, 11)).unwrap();
    let b = generate(&small(0.3, 11)).unwrap();
    assert_eq!(a, b);
    let c = generate(&small(0.3, 12)).unwrap();
    assert_ne!(a.edges, c.edges);
    assert_ne!(a.communities, c.communities);
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    // Large enough for several node chunks and the parallel sort paths.
    let p = LfrParams::benchmark(40_000, 0.4);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| generate(&p).unwrap())
    };
    let one = run(1);
    let two = run(2);
    assert_well_formed(&one, &p);
    assert_eq!(one, two);
    assert!((one.realised_mixing - 0.4).abs() < 0.01);
}

#[test]
fn defaults_resolve_community_bounds_from_degrees() {
    let p = LfrParams::default();
    let g = generate(&p).unwrap();
    assert_well_formed(&g, &p);
    assert_eq!(
        g.stats.community_bounds,
        (g.stats.degree_cutoff, p.max_degree)
    );
}

fn refused(p: LfrParams) -> (LfrError, String) {
    let e = generate(&p).unwrap_err();
    let text = e.to_string();
    (e, text)
}

#[test]
fn invalid_parameters_are_refused_with_clear_messages() {
    let base = small(0.3, 1);
    let (e, text) = refused(LfrParams {
        mixing: 1.2,
        ..base.clone()
    });
    assert!(matches!(e, LfrError::MixingOutOfRange { .. }));
    assert!(
        text.contains("mixing must lie in [0, 1], got 1.2"),
        "{text}"
    );

    let (e, text) = refused(LfrParams {
        mixing: f64::NAN,
        ..base.clone()
    });
    assert!(matches!(e, LfrError::MixingOutOfRange { .. }), "{text}");

    let (e, text) = refused(LfrParams {
        avg_degree: 60.0,
        ..base.clone()
    });
    assert!(matches!(e, LfrError::AvgDegreeAboveMax { .. }));
    assert!(
        text.contains("avg_degree (60) must not exceed max_degree (50)"),
        "{text}"
    );

    let (e, text) = refused(LfrParams {
        avg_degree: 2.0,
        ..base.clone()
    });
    assert!(matches!(e, LfrError::AvgDegreeTooLow { .. }));
    assert!(text.contains("lowest mean"), "{text}");

    let (e, text) = refused(LfrParams {
        max_degree: 1000,
        ..base.clone()
    });
    assert!(matches!(e, LfrError::MaxDegreeOutOfRange { .. }));
    assert!(text.contains("[1, 999]"), "{text}");

    let (e, text) = refused(LfrParams {
        nodes: 1,
        ..base.clone()
    });
    assert!(matches!(e, LfrError::TooFewNodes { nodes: 1 }), "{text}");

    let (e, text) = refused(LfrParams {
        mixing: 0.1,
        max_community: Some(40),
        ..base.clone()
    });
    assert!(matches!(
        e,
        LfrError::CommunityTooSmall {
            internal: 45,
            needed: 46,
            ..
        }
    ));
    assert!(text.contains("max_community must be at least 46"), "{text}");

    let (e, text) = refused(LfrParams {
        min_community: Some(200),
        ..base.clone()
    });
    assert!(matches!(e, LfrError::CommunityRange { .. }));
    assert!(text.contains("got [200, 100]"), "{text}");

    let (e, text) = refused(LfrParams {
        nodes: 130,
        max_degree: 30,
        avg_degree: 10.0,
        min_community: Some(70),
        max_community: Some(80),
        ..base.clone()
    });
    assert!(matches!(e, LfrError::CommunitySizesInfeasible { .. }));
    assert!(text.contains("130 nodes cannot be split"), "{text}");

    let (e, text) = refused(LfrParams {
        max_community: Some(1000),
        ..base.clone()
    });
    assert!(matches!(e, LfrError::SingleCommunity { .. }), "{text}");

    let (e, text) = refused(LfrParams {
        degree_exponent: -1.0,
        ..base.clone()
    });
    assert!(matches!(
        e,
        LfrError::BadExponent {
            name: "degree_exponent",
            ..
        }
    ));
    assert!(
        text.contains("degree_exponent must be a finite number"),
        "{text}"
    );
}

#[test]
fn too_few_large_communities_for_the_hubs_is_an_error() {
    // Every node has degree 40 and μ 0: each needs a community of 41 or more, but sizes in
    // [10, 41] for 100 nodes cannot all be that large.
    let p = LfrParams {
        nodes: 100,
        avg_degree: 40.0,
        max_degree: 40,
        mixing: 0.0,
        min_community: Some(10),
        max_community: Some(41),
        ..LfrParams::default()
    };
    let (e, text) = refused(p);
    assert!(matches!(e, LfrError::AssignmentFailed { .. }));
    assert!(text.contains("raise max_community"), "{text}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_parameters_give_well_formed_graphs(
        nodes in 200usize..800,
        avg in 5.0f64..15.0,
        mixing in 0.0f64..=1.0,
        tau1 in 1.5f64..3.0,
        tau2 in 0.5f64..2.0,
        seed in any::<u64>(),
    ) {
        let p = LfrParams {
            nodes,
            avg_degree: avg,
            max_degree: 30,
            mixing,
            degree_exponent: tau1,
            community_exponent: tau2,
            min_community: Some(32),
            max_community: Some(80),
            seed,
        };
        match generate(&p) {
            Ok(g) => {
                assert_well_formed(&g, &p);
                prop_assert!((g.realised_mixing - mixing).abs() < 0.05,
                    "μ {} realised {}", mixing, g.realised_mixing);
            }
            // A too-low average for this exponent is the only refusal these ranges allow.
            Err(e) => prop_assert!(matches!(e, LfrError::AvgDegreeTooLow { .. }), "{}", e),
        }
    }
}
