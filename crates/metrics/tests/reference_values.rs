//! Values checked against the tools users already trust: the planted karate split's modularity
//! from `../shared/peers/README.md`, and numbers computed with igraph 1.0.0 and networkit 11.3
//! (the versions listed in `../shared/peers/versions.txt`) for the inputs written out below.

use std::path::{Path, PathBuf};

use contextivity_graph::{BuildOptions, Cover, Csr, EdgeList, Partition, UndirectedGraph};
use contextivity_metrics::{ari, conductance, cpm, modularity, nmi, onmi};

fn peers_graphs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peers/graphs")
}

/// Reads `u v` lines (karate.edges) or `node community` lines (karate.gt).
fn pairs(path: &Path) -> Vec<(u32, u32)> {
    std::fs::read_to_string(path)
        .expect("readable test file")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut f = l
                .split_whitespace()
                .map(|x| x.parse::<u32>().expect("integer field"));
            let first = f.next().expect("two fields");
            (first, f.next().expect("two fields"))
        })
        .collect()
}

#[test]
fn karate_factions_modularity() {
    let dir = peers_graphs();
    if !dir.join("karate.edges").exists() {
        return;
    }
    let edges = pairs(&dir.join("karate.edges"));
    assert_eq!(edges.len(), 78);
    let mut list = EdgeList::new();
    for &(u, v) in &edges {
        list.push(u, v, 1.0);
    }
    let graph = UndirectedGraph::from_edges(34, &list).unwrap();
    let mut truth = pairs(&dir.join("karate.gt"));
    truth.sort_unstable();
    let labels: Vec<u32> = truth.iter().map(|&(_, c)| c).collect();
    assert_eq!(labels.len(), 34);
    let factions = Partition::from_labels(&labels);
    assert_eq!(factions.cluster_count(), 2);
    // Q(planted) = 0.3582347140039448 (gt_quality.jsonl, igraph Graph.modularity).
    let q = modularity(&graph, &factions, 1.0);
    assert!((q - 0.358_234_714_003_944_8).abs() < 1e-12, "Q = {q}");
    // 11 of the 78 edges cross; the factions' volumes are 81 and 75: φ = 11/75 for both.
    let phi = conductance(&graph, &factions);
    assert_eq!(phi.len(), 2);
    assert!(
        phi.iter().all(|&p| (p - 11.0 / 75.0).abs() < 1e-12),
        "{phi:?}"
    );
    // CPM at γ = 0: the 67 internal edges.
    assert_eq!(cpm(&graph, &factions, 0.0), 67.0);
    assert_eq!(nmi(&factions, &factions).unwrap(), 1.0);
    assert_eq!(ari(&factions, &factions).unwrap(), 1.0);
}

#[test]
fn weighted_modularity_with_self_loops_matches_igraph() {
    // igraph: g = Graph([(0,1),(0,0),(1,2),(2,3),(3,4),(4,2),(1,1)]),
    // w = [1.5, 2.0, 0.5, 1.0, 3.0, 2.5, 1.0], membership [0,0,1,1,1]:
    // g.modularity(m, weights=w) = 0.4413988657844991,
    // g.modularity(m, weights=w, resolution=0.5) = 0.698960302457467.
    let mut list = EdgeList::new();
    for (u, v, w) in [
        (0, 1, 1.5),
        (0, 0, 2.0),
        (1, 2, 0.5),
        (2, 3, 1.0),
        (3, 4, 3.0),
        (4, 2, 2.5),
        (1, 1, 1.0),
    ] {
        list.push(u, v, w);
    }
    let options = BuildOptions {
        symmetric: true,
        keep_self_loops: true,
    };
    let (csr, _) = Csr::from_edges(5, &list, options).unwrap();
    let graph = UndirectedGraph::from_symmetric(csr).unwrap();
    let p = Partition::from_labels(&[0, 0, 1, 1, 1]);
    assert!((modularity(&graph, &p, 1.0) - 0.441_398_865_784_499_1).abs() < 1e-12);
    assert!((modularity(&graph, &p, 0.5) - 0.698_960_302_457_467).abs() < 1e-12);
}

#[test]
fn nmi_and_ari_match_igraph() {
    // igraph compare_communities(a, b, method="nmi" / "adjusted_rand").
    let a = [
        1, 0, 2, 0, 3, 3, 3, 3, 1, 0, 3, 0, 3, 3, 0, 3, 2, 1, 0, 2, 0, 0, 0, 0, 3, 1, 3, 0, 1, 3,
    ];
    let b = [
        1, 2, 0, 1, 0, 2, 0, 1, 1, 0, 1, 2, 2, 0, 0, 2, 2, 1, 0, 2, 1, 2, 2, 2, 1, 2, 2, 0, 1, 1,
    ];
    let (a, b) = (Partition::from_labels(&a), Partition::from_labels(&b));
    assert!((nmi(&a, &b).unwrap() - 0.134_910_859_100_647_7).abs() < 1e-12);
    assert!((ari(&a, &b).unwrap() + 0.003_309_265_944_645_294_7).abs() < 1e-12);
}

#[test]
fn onmi_matches_networkit_max_normalisation() {
    // networkit: 1 − OverlappingNMIDistance(Normalization.MAX).getDissimilarity(G, X, Y) on a
    // 17-node graph = 0.5192794963800648 (node 16 is in no community of either cover).
    let x = Cover::new(
        17,
        vec![
            vec![0, 1, 2, 3, 4],
            vec![4, 5, 6],
            vec![7, 8, 9, 10, 11],
            vec![10, 11, 12, 13],
            vec![14, 15],
        ],
    );
    let y = Cover::new(
        17,
        vec![
            vec![0, 1, 2, 3],
            vec![3, 4, 5, 6, 7],
            vec![8, 9, 10, 11],
            vec![11, 12, 13, 14, 15],
            vec![1, 2],
        ],
    );
    assert!((onmi(&x, &y).unwrap() - 0.519_279_496_380_064_8).abs() < 1e-12);
    assert!((onmi(&y, &x).unwrap() - 0.519_279_496_380_064_8).abs() < 1e-12);
}

#[test]
fn lfr_planted_partition_at_scale() {
    let dir = peers_graphs();
    if !dir.join("lfr_10k_mu0.3.edges").exists() {
        return;
    }
    let mut list = EdgeList::new();
    for (u, v) in pairs(&dir.join("lfr_10k_mu0.3.edges")) {
        list.push(u, v, 1.0);
    }
    assert_eq!(list.len(), 97_408);
    let graph = UndirectedGraph::from_edges(10_000, &list).unwrap();
    let mut truth = pairs(&dir.join("lfr_10k_mu0.3.gt"));
    truth.sort_unstable();
    let labels: Vec<u32> = truth.iter().map(|&(_, c)| c).collect();
    let planted = Partition::from_labels(&labels);
    assert_eq!(planted.cluster_count(), 196);
    // gt_quality.jsonl: igraph modularity of the planted partition, 0.678883648924708.
    let q = modularity(&graph, &planted, 1.0);
    assert!((q - 0.678_883_648_924_708).abs() < 1e-12, "Q = {q}");
    // Every node has mixing fraction 0.3 (networkit's setMu), so every community's
    // conductance is close to 0.3.
    let phi = conductance(&graph, &planted);
    assert!(phi.iter().all(|&p| (0.25..0.35).contains(&p)), "{phi:?}");

    // Identities at scale, and a perturbation: every tenth node moves to the next community
    // (by the file's community numbers). Reference values from igraph `compare_communities`
    // and networkit `OverlappingNMIDistance(Normalization.MAX)` on the same two label lists.
    let cover = planted.to_cover();
    assert_eq!(nmi(&planted, &planted).unwrap(), 1.0);
    assert!((onmi(&cover, &cover).unwrap() - 1.0).abs() < 1e-12);
    assert_eq!(contextivity_metrics::average_f1(&cover, &cover), 1.0);
    let moved: Vec<u32> = labels
        .iter()
        .enumerate()
        .map(|(u, &c)| if u % 10 == 0 { (c + 1) % 196 } else { c })
        .collect();
    let moved = Partition::from_labels(&moved);
    let (n, a) = (
        nmi(&planted, &moved).unwrap(),
        ari(&planted, &moved).unwrap(),
    );
    assert!((n - 0.940_992_299_439_707_1).abs() < 1e-12, "NMI {n}");
    assert!((a - 0.831_478_037_882_427).abs() < 1e-12, "ARI {a}");
    let o = onmi(&cover, &moved.to_cover()).unwrap();
    assert!((o - 0.813_928_519_676_703_9).abs() < 1e-12, "ONMI {o}");
    let f = contextivity_metrics::average_f1(&moved.to_cover(), &cover);
    // A plain Python double loop over both community lists gives 0.8899776694680275.
    assert!((f - 0.889_977_669_468_027_5).abs() < 1e-12, "F1 {f}");
    assert!(modularity(&graph, &moved, 1.0) < q);
}
