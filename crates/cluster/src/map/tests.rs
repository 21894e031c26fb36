//! Tests of the map-equation objective and optimiser.

use std::path::Path;

use contextivity_graph::{Csr, EdgeList, Partition, Rng, UndirectedGraph};
use proptest::prelude::*;

use super::flow::FlowGraph;
use super::local_moving::{local_moving, move_delta, MoveParams, MIN_IMPROVEMENT};
use super::objective::module_stats;
use super::*;

fn graph(n: usize, edges: &[(u32, u32)]) -> UndirectedGraph {
    UndirectedGraph::from_pairs(n, edges).unwrap()
}

fn two_triangles() -> UndirectedGraph {
    graph(6, &[(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5), (2, 3)])
}

/// A planted partition: `groups` groups of `size`, edge probabilities `p_in` and `p_out`.
fn planted(
    groups: u32,
    size: u32,
    p_in: f64,
    p_out: f64,
    seed: u64,
) -> (UndirectedGraph, Vec<u32>) {
    let n = groups * size;
    let mut rng = Rng::new(seed);
    let mut e = EdgeList::new();
    for u in 0..n {
        for v in u + 1..n {
            let p = if u / size == v / size { p_in } else { p_out };
            if rng.next_f64() < p {
                e.push(u, v, 1.0);
            }
        }
    }
    let truth = (0..n).map(|u| u / size).collect();
    (UndirectedGraph::from_edges(n as usize, &e).unwrap(), truth)
}

/// Normalised mutual information `2 I(X;Y) / (H(X) + H(Y))` of two labelings.
fn nmi(a: &[u32], b: &[u32]) -> f64 {
    assert_eq!(a.len(), b.len());
    let n = a.len() as f64;
    let mut joint = std::collections::HashMap::new();
    let (mut ca, mut cb) = (
        std::collections::HashMap::new(),
        std::collections::HashMap::new(),
    );
    for (&x, &y) in a.iter().zip(b) {
        *joint.entry((x, y)).or_insert(0.0) += 1.0;
        *ca.entry(x).or_insert(0.0) += 1.0;
        *cb.entry(y).or_insert(0.0) += 1.0;
    }
    let h = |c: &std::collections::HashMap<u32, f64>| -> f64 {
        c.values().map(|&k| -(k / n) * (k / n).ln()).sum()
    };
    let (ha, hb) = (h(&ca), h(&cb));
    let mi: f64 = joint
        .iter()
        .map(|(&(x, y), &k)| (k / n) * ((k * n) / (ca[&x] * cb[&y])).ln())
        .sum();
    if ha + hb == 0.0 {
        1.0
    } else {
        2.0 * mi / (ha + hb)
    }
}

#[test]
fn codelength_of_two_triangles_matches_hand_computation() {
    // 7 edges, 2W = 14. Strengths 2,2,3,3,2,2, so p = (2,2,3,3,2,2)/14.
    // Modules {0,1,2} and {3,4,5}: each has flow p_i = 7/14 and exit flow q_i = 1/14 (the bridge),
    // q = 2/14.
    // L = plogp(2/14) − 2·2·plogp(1/14) − Σ plogp(p_α) + 2·plogp(1/14 + 7/14)
    //   = −0.4010507 + 1.0878157 + 2.5566567 − 0.9226913 = 2.3207304 bits,
    // where −Σ plogp(p_α) = −4·(1/7)log₂(1/7) − 2·(3/14)log₂(3/14) = 2.5566567 (the entropy).
    let g = two_triangles();
    let split = Partition::from_labels(&[0, 0, 0, 1, 1, 1]);
    assert!((codelength(&g, &split) - 2.320_730_356_833_79).abs() < 1e-12);
    let one = Partition::from_labels(&[0; 6]);
    assert!((codelength(&g, &one) - 2.556_656_707_462_823).abs() < 1e-12);
}

#[test]
fn one_module_codelength_is_the_one_level_entropy() {
    let (g, _) = planted(5, 20, 0.3, 0.01, 3);
    let one = Partition::from_labels(&vec![0; g.node_count()]);
    let result = optimize(&g, &MapEquationConfig::default());
    assert!((codelength(&g, &one) - result.one_level_codelength).abs() < 1e-10);
    let entropy: f64 = g
        .strengths()
        .iter()
        .map(|&s| s / g.total_weight())
        .filter(|&p| p > 0.0)
        .map(|p| -p * p.log2())
        .sum();
    assert!((result.one_level_codelength - entropy).abs() < 1e-10);
    // The reported codelength is that of the reported partition.
    assert!((codelength(&g, &result.partition) - result.codelength).abs() < 1e-9);
    assert!(result.codelength < result.one_level_codelength);
}

#[test]
fn a_graph_without_structure_is_one_module() {
    // A clique has no modules: splitting it only adds index codebook cost.
    let mut edges = Vec::new();
    for i in 0..12 {
        for j in i + 1..12 {
            edges.push((i, j));
        }
    }
    let g = graph(14, &edges);
    let result = optimize(&g, &MapEquationConfig::default());
    // The clique is one module; the two isolated nodes stay alone.
    assert_eq!(result.partition.cluster_count(), 3);
    assert_eq!(result.partition.sizes(), vec![12, 1, 1]);
    assert!((result.codelength - result.one_level_codelength).abs() < 1e-12);
}

#[test]
fn two_cliques_joined_by_a_bridge_give_two_modules() {
    let mut edges = Vec::new();
    for base in [0u32, 10] {
        for i in 0..10 {
            for j in i + 1..10 {
                edges.push((base + i, base + j));
            }
        }
    }
    edges.push((9, 10));
    let g = graph(20, &edges);
    let result = optimize(&g, &MapEquationConfig::default());
    let a = result.partition.assignment();
    assert_eq!(result.partition.cluster_count(), 2);
    assert!(a[..10].iter().all(|&c| c == a[0]));
    assert!(a[10..].iter().all(|&c| c == a[10]));
    assert_eq!(
        result.partition,
        Partition::canonical(&[[0u32; 10], [1; 10]].concat())
    );
}

#[test]
fn planted_partition_is_recovered_exactly() {
    let (g, truth) = planted(20, 50, 0.3, 0.002, 7);
    let result = optimize(&g, &MapEquationConfig::default());
    assert_eq!(result.partition.cluster_count(), 20);
    assert!((nmi(result.partition.assignment(), &truth) - 1.0).abs() < 1e-12);
    assert_eq!(result.partition, Partition::canonical(&truth));
}

#[test]
fn same_result_at_one_two_and_four_threads() {
    // More nodes than one batch, so batching and parallel proposals are exercised.
    let (g, truth) = planted(40, 60, 0.2, 0.004, 11);
    let run = |k: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(k)
            .build()
            .unwrap()
            .install(|| optimize(&g, &MapEquationConfig::default()))
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(4));
    assert!(nmi(one.partition.assignment(), &truth) > 0.99);
    // Another seed is also a valid run, and also reproducible.
    let other = MapEquationConfig {
        seed: 7,
        ..MapEquationConfig::default()
    };
    let a = optimize(&g, &other);
    assert_eq!(a, optimize(&g, &other));
}

#[test]
fn empty_and_edgeless_graphs() {
    let g = graph(0, &[]);
    let r = optimize(&g, &MapEquationConfig::default());
    assert!(r.partition.is_empty());
    assert_eq!(r.codelength, 0.0);
    let g = graph(4, &[]);
    let r = optimize(&g, &MapEquationConfig::default());
    assert_eq!(r.partition.cluster_count(), 4);
    assert_eq!(r.codelength, 0.0);
}

#[test]
fn isolated_nodes_stay_alone_and_do_not_change_codelength() {
    let mut edges = vec![(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5), (2, 3)];
    edges.push((7, 8));
    let g = graph(9, &edges);
    let r = optimize(&g, &MapEquationConfig::default());
    let a = r.partition.assignment();
    assert_ne!(a[6], a[0]);
    assert_ne!(a[6], a[3]);
    assert_ne!(a[6], a[7]);
}

fn directed_two_groups() -> Csr {
    // Two directed 5-cycles with chords, joined by one arc each way.
    let mut e = EdgeList::new();
    for base in [0u32, 5] {
        for i in 0..5 {
            e.push(base + i, base + (i + 1) % 5, 1.0);
            e.push(base + i, base + (i + 2) % 5, 1.0);
        }
    }
    e.push(0, 5, 1.0);
    e.push(7, 2, 1.0);
    let options = contextivity_graph::BuildOptions::default();
    Csr::from_edges(10, &e, options).unwrap().0
}

#[test]
fn directed_flow_sums_to_one_and_finds_the_groups() {
    let out = directed_two_groups();
    let level0 = FlowGraph::from_directed(&out, DEFAULT_TELEPORTATION);
    let total: f64 = level0.node_flow.iter().sum();
    assert!((total - 1.0).abs() < 1e-9);
    let exit: f64 = level0.node_exit.iter().sum();
    let enter: f64 = level0.node_enter.iter().sum();
    assert!((exit - 1.0).abs() < 1e-6 && (enter - 1.0).abs() < 1e-6);
    let config = MapEquationConfig {
        flow: Flow::Directed {
            teleportation: 0.15,
        },
        ..MapEquationConfig::default()
    };
    let r = optimize_directed(&out, &config);
    let truth: Vec<u32> = (0..10).map(|u| u / 5).collect();
    assert_eq!(r.partition, Partition::canonical(&truth));
    assert!(r.codelength < r.one_level_codelength);
}

#[test]
fn directed_flow_on_a_symmetric_graph_matches_undirected_flow() {
    // Without teleportation effects on a regular graph, PageRank is uniform like s/2W.
    let mut edges = Vec::new();
    for i in 0..8u32 {
        edges.push((i, (i + 1) % 8));
    }
    let g = graph(8, &edges);
    let directed = FlowGraph::from_directed(g.csr(), 0.15);
    let undirected = FlowGraph::from_undirected(&g);
    for (a, b) in directed.node_flow.iter().zip(&undirected.node_flow) {
        assert!((a - b).abs() < 1e-9);
    }
}

fn arb_graph() -> impl Strategy<Value = (usize, Vec<(u32, u32, f32)>)> {
    (4usize..24).prop_flat_map(|n| {
        let edge = (0..n as u32, 0..n as u32, 0.5f32..3.0);
        (Just(n), prop::collection::vec(edge, 1..80))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The change the optimiser computes for a move is the true change in codelength, so a move
    /// it accepts (change below −MIN_IMPROVEMENT) never increases the codelength.
    #[test]
    fn accepted_moves_never_increase_codelength(
        (n, edges) in arb_graph(),
        labels in prop::collection::vec(0u32..5, 24),
        node in 0usize..24,
        target in 0u32..5,
    ) {
        let mut e = EdgeList::new();
        for (u, v, w) in edges {
            e.push(u, v, w);
        }
        let g = UndirectedGraph::from_edges(n, &e).unwrap();
        let level0 = FlowGraph::from_undirected(&g);
        let (module, k) = relabel(&labels[..n]);
        let u = node % n;
        let target = target % k as u32;
        let mods = module_stats(&level0, &module, k);
        let before = codelength(&g, &Partition::from_labels(&module));
        let mut after_labels = module.clone();
        after_labels[u] = target;
        let after = codelength(&g, &Partition::from_labels(&after_labels));
        if module[u] != target {
            let d = move_delta(&level0, &module, &mods, u, target);
            prop_assert!((d - (after - before)).abs() < 1e-9, "delta {} vs {}", d, after - before);
            if d < -MIN_IMPROVEMENT {
                prop_assert!(after <= before + 1e-12);
            }
        }
        // A whole local-moving run from this partition only ever lowers the codelength.
        let mut moved = module.clone();
        let mut stats = module_stats(&level0, &moved, k);
        let params = MoveParams { seed: 1, stream: 1, max_passes: 8 };
        local_moving(&level0, &mut moved, &mut stats, params);
        let tuned = codelength(&g, &Partition::from_labels(&moved));
        prop_assert!(tuned <= before + 1e-12);
        prop_assert!((stats.codelength(level0.node_flow.iter().map(|&p| objective::plogp(p)).sum()) - tuned).abs() < 1e-9);
    }
}

/// Reads `NAME.edges` and `NAME.gt` from the shared peer graphs, if present.
fn shared_lfr(name: &str) -> Option<(UndirectedGraph, Vec<u32>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peers/graphs");
    let edges = std::fs::read_to_string(dir.join(format!("{name}.edges"))).ok()?;
    let gt = std::fs::read_to_string(dir.join(format!("{name}.gt"))).ok()?;
    let mut truth = Vec::new();
    for line in gt.lines() {
        let mut it = line.split_whitespace();
        let (Some(u), Some(c)) = (it.next(), it.next()) else {
            continue;
        };
        let (u, c): (usize, u32) = (u.parse().unwrap(), c.parse().unwrap());
        if truth.len() <= u {
            truth.resize(u + 1, u32::MAX);
        }
        truth[u] = c;
    }
    let mut e = EdgeList::new();
    for line in edges.lines() {
        let mut it = line.split_whitespace();
        let (Some(u), Some(v)) = (it.next(), it.next()) else {
            continue;
        };
        e.push(u.parse().unwrap(), v.parse().unwrap(), 1.0);
    }
    let n = truth.len();
    Some((UndirectedGraph::from_edges(n, &e).unwrap(), truth))
}

#[test]
fn lfr_10k_graphs_are_recovered() {
    for name in ["lfr_10k_mu0.3", "lfr_10k_mu0.5"] {
        let Some((g, truth)) = shared_lfr(name) else {
            return;
        };
        let r = optimize(&g, &MapEquationConfig::default());
        let score = nmi(r.partition.assignment(), &truth);
        assert!(score >= 0.99, "{name}: NMI {score}");
        let planted = codelength(&g, &Partition::from_labels(&truth));
        assert!(
            r.codelength <= planted + 1e-6,
            "{name}: {} > planted {planted}",
            r.codelength
        );
    }
}

#[test]
fn directed_planted_groups_are_found_identically_at_any_thread_count() {
    // 12 groups of 40; arcs inside a group with probability 0.25, across with 0.003.
    let (n, size) = (480u32, 40u32);
    let mut rng = Rng::new(19);
    let mut e = EdgeList::new();
    for u in 0..n {
        for v in 0..n {
            let p = if u / size == v / size { 0.25 } else { 0.003 };
            if u != v && rng.next_f64() < p {
                e.push(u, v, 1.0);
            }
        }
    }
    let out = Csr::from_edges(n as usize, &e, contextivity_graph::BuildOptions::default())
        .unwrap()
        .0;
    let config = MapEquationConfig {
        flow: Flow::Directed {
            teleportation: 0.15,
        },
        ..MapEquationConfig::default()
    };
    let run = |k: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(k)
            .build()
            .unwrap()
            .install(|| optimize_directed(&out, &config))
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(4));
    let truth: Vec<u32> = (0..n).map(|u| u / size).collect();
    assert_eq!(one.partition, Partition::canonical(&truth));
}
