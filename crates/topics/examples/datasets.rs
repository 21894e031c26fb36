//! Structure-only against topic-aware clustering on the shared real data sets without circles:
//! the Stack Exchange dumps (text and tags, no community ground truth) and the GML sets whose
//! classes are the truth (polbooks, polblogs; the `value` column is left out of the terms).
//! The other shared sets have no text or attributes to weigh ties with (karate, lesmis,
//! dolphins, CollegeMsg, Bitcoin OTC; Congress Twitter has only the handles, in a JSON layout
//! no loader reads). Last, the synthetic export of the integration tests, whose planted
//! topics are the truth: as in the tests (6 follows per person) and sparse (1 follow each).
//!
//! ```text
//! cargo run --release -p contextivity-topics --example datasets [-- --seeds N]
//! ```
//!
//! For every data set one JSON line gives its topical agreement (connected people's mean
//! cosine against chance, see `contextivity_topics::agreement`) and the decision
//! `adapt` takes; then, for every setting (structure only; `W` = 0.25, 0.5, 0.75, 1 without
//! neighbours; `W = 0.5` with 10 neighbours for everyone — the blend's defaults; the same with
//! neighbours only for people without a tie or with fewer than 3; 10 neighbours of the people
//! without a tie alone; the adaptive view — the defaults when topics agree with structure,
//! structure only when not) Leiden (modularity, γ = 1) runs with `N` seeds (default 3) and one
//! JSON line gives the means of
//!
//! - `modularity`: of the partition, measured on the *structural* view (what the topics cost
//!   the structure);
//! - `topical`: the mean cosine similarity of two people of the same cluster, over people with
//!   a vector (a cluster's pairs weigh by their number). Singletons have no pairs, so a
//!   clustering that leaves people without ties alone is only judged on the others: this
//!   figure cannot compare views that place those people with views that do not;
//! - `nmi` and `avg_f1` against the classes, where there are classes;
//! - where interactions are timed (the Stack Exchange dumps), a **time split**: the
//!   interactions and posts before the time by which 80 % of the interactions had happened
//!   are the "past"; each view is built from the past alone and clustered, and the partition
//!   is scored on the *future ties* (pairs who first interact after the split): `future_q`,
//!   the modularity of the partition on the future ties (the share of them inside clusters
//!   minus what clusters of those sizes would catch by chance), `future_inside`, the share
//!   inside clusters, and `newcomer_inside`, that share among the future ties of people who
//!   had no tie in the past — whom only topical neighbours can place.
//!
//! `--time PEOPLE` instead times the agreement check alone on the synthetic export of
//! `PEOPLE` people (10 follows each, 5 posts per person, 100 topics): the median of 3 runs.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

#[path = "../tests/support/ego.rs"]
mod ego;
#[path = "../tests/support/synthetic.rs"]
mod synthetic;

use contextivity_cluster::{cluster, ClusterConfig};
use contextivity_formats::LoadOptions;
use contextivity_graph::{
    clustering_view, Cover, EdgeList, InteractionLayer, Partition, Posts, SocialGraph,
    UndirectedGraph, ViewPolicy,
};
use contextivity_metrics::{average_f1, modularity, nmi};
use contextivity_topics::{
    adapt, blend_scoped, blend_with, extract, tfidf, topical_agreement, BlendConfig, ExtractConfig,
    NeighbourScope, TermVectors, TfidfConfig, DEFAULT_KNN,
};

/// One way to build the clustering view.
#[derive(Clone, Copy)]
enum View {
    /// A fixed blend and neighbour scope.
    Fixed(f64, usize, NeighbourScope),
    /// The defaults adapted to the data by `adapt`.
    Adaptive,
}

impl View {
    fn name(self) -> String {
        match self {
            View::Fixed(w, k, s) => format!("W={w} knn={k} scope={s:?}"),
            View::Adaptive => "adaptive".into(),
        }
    }

    fn build(self, view: &UndirectedGraph, vectors: &TermVectors) -> UndirectedGraph {
        match self {
            View::Fixed(topic_weight, knn, scope) => {
                let config = BlendConfig {
                    topic_weight,
                    knn,
                    ..BlendConfig::default()
                };
                blend_scoped(view, vectors, &config, scope).unwrap()
            }
            View::Adaptive => {
                let d = adapt(view, vectors, &BlendConfig::default()).unwrap();
                blend_with(view, vectors, &d.config).unwrap()
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seeds: u64 = args
        .iter()
        .position(|a| a == "--seeds")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    if let Some(people) = args
        .iter()
        .position(|a| a == "--time")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
    {
        time_agreement(people);
        return;
    }
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
    let mut views = vec![View::Fixed(0.0, 0, NeighbourScope::Everyone)];
    views.extend([0.25, 0.5, 0.75, 1.0].map(|w| View::Fixed(w, 0, NeighbourScope::Everyone)));
    views.push(View::Fixed(0.5, DEFAULT_KNN, NeighbourScope::Everyone));
    views.push(View::Fixed(0.5, DEFAULT_KNN, NeighbourScope::Untied));
    views.push(View::Fixed(
        0.5,
        DEFAULT_KNN,
        NeighbourScope::FewerTiesThan(3),
    ));
    views.push(View::Fixed(0.0, DEFAULT_KNN, NeighbourScope::Untied));
    views.push(View::Adaptive);
    let mut graphs: Vec<(&str, SocialGraph)> = Vec::new();
    for (name, path) in sets {
        let path = ego::shared(&format!("data/{path}"));
        if !path.exists() {
            eprintln!("{name}: not found");
            continue;
        }
        match contextivity_formats::load(&path, &LoadOptions::default()) {
            Ok(g) => graphs.push((name, g)),
            Err(e) => eprintln!("{name}: {e}"),
        }
    }
    graphs.push(("synthetic", planted(6)));
    graphs.push(("synthetic_sparse", planted(1)));
    for (name, graph) in graphs {
        if graph.node_count() < 10 {
            eprintln!(
                "{name}: {} people read, nothing to cluster",
                graph.node_count()
            );
            continue;
        }
        let truth = graph.truth.clone();
        let view = clustering_view(&graph, &ViewPolicy::default()).unwrap();
        let vectors = term_vectors(&graph);
        let decision = adapt(&view, &vectors, &BlendConfig::default()).unwrap();
        println!(
            "{}",
            serde_json::json!({
                "data": name,
                "agreement": decision.agreement,
                "decision": decision.reason,
            })
        );
        let split = time_split(&graph);
        if let Some(s) = &split {
            let d = adapt(&s.view, &s.vectors, &BlendConfig::default()).unwrap();
            println!(
                "{}",
                serde_json::json!({
                    "data": name,
                    "past": { "time": s.time, "future_ties": s.future.edge_count(),
                              "newcomer_ties": s.newcomer_ties },
                    "agreement": d.agreement,
                    "decision": d.reason,
                })
            );
        }
        let truth_partition = truth.as_ref().map(|t| {
            let mut labels = vec![u32::MAX; graph.node_count()];
            for (c, members) in t.communities().iter().enumerate() {
                for &m in members {
                    labels[m as usize] = c as u32;
                }
            }
            Partition::from_labels(&labels)
        });
        for &how in &views {
            let topical = how.build(&view, &vectors);
            let (mut q, mut coherence, mut mi, mut f1) = (0.0, 0.0, 0.0, 0.0);
            let (mut fq, mut inside, mut newcomers) = (0.0, 0.0, 0.0);
            let mut clusters = 0.0;
            let past = split.as_ref().map(|s| how.build(&s.view, &s.vectors));
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
                if let (Some(s), Some(past)) = (&split, &past) {
                    let p = cluster(past, &config).unwrap().partition;
                    fq += modularity(&s.future, &p, 1.0);
                    let (all, new) = s.inside(&p);
                    inside += all;
                    newcomers += new;
                }
            }
            let k = seeds as f64;
            let r = |x: f64| (x / k * 10_000.0).round() / 10_000.0;
            let mut line = serde_json::json!({
                "data": name,
                "view": how.name(),
                "clusters": r(clusters),
                "modularity": r(q),
                "topical": r(coherence),
            });
            if truth.is_some() {
                line["nmi"] = r(mi).into();
                line["avg_f1"] = r(f1).into();
            }
            if split.is_some() {
                line["future_q"] = r(fq).into();
                line["future_inside"] = r(inside).into();
                line["newcomer_inside"] = r(newcomers).into();
            }
            println!("{line}");
        }
    }
}

/// Times `topical_agreement` on a synthetic export of `people` people.
fn time_agreement(people: usize) {
    let size = synthetic::Size {
        people,
        follows: 10,
        posts: 5 * people,
        topics: 100,
    };
    let graph = synthetic::export(size, 1);
    let view = clustering_view(&graph, &ViewPolicy::default()).unwrap();
    let vectors = term_vectors(&graph);
    let mut seconds = Vec::new();
    let mut agreement = None;
    for _ in 0..3 {
        let start = std::time::Instant::now();
        agreement = Some(topical_agreement(&view, &vectors).unwrap());
        seconds.push(start.elapsed().as_secs_f64());
    }
    seconds.sort_by(f64::total_cmp);
    let line = serde_json::json!({
        "people": people,
        "ties": view.edge_count(),
        "threads": rayon::current_num_threads(),
        "seconds": seconds[1],
        "agreement": agreement,
    });
    println!("{line}");
}

/// The synthetic export of the integration tests (3,000 people in 6 planted topics, 80 % of
/// the follows within the topic, 12,000 posts) with `follows` follows per person, its topics
/// as the truth.
fn planted(follows: usize) -> SocialGraph {
    let (people, topics) = (3000, 6);
    let size = synthetic::Size {
        people,
        follows,
        posts: 12_000,
        topics,
    };
    let mut graph = synthetic::export(size, 9);
    let mut members = vec![Vec::new(); topics];
    for p in 0..people {
        members[synthetic::topic_of(p, topics)].push(p as u32);
    }
    graph.truth = Some(Cover::new(people, members));
    graph
}

/// Everyone's TF-IDF vector; the `value` column (the classes of the GML sets) left out.
fn term_vectors(graph: &SocialGraph) -> TermVectors {
    let config = ExtractConfig {
        skip_columns: vec!["value".into()],
        ..ExtractConfig::default()
    };
    tfidf(&extract(graph, &config), &TfidfConfig::default()).unwrap()
}

/// The past and the future of an export with timed interactions.
struct Split {
    /// The split time: 80 % of the timed interactions happened before it.
    time: i64,
    /// The clustering view of the interactions before the split.
    view: UndirectedGraph,
    /// The vectors of the posts before the split (and of the profiles).
    vectors: TermVectors,
    /// The pairs who first interact at or after the split, weight 1.
    future: UndirectedGraph,
    /// Whether each person had no tie before the split.
    untied: Vec<bool>,
    /// Future ties with an end without a past tie.
    newcomer_ties: usize,
}

impl Split {
    /// The share of the future ties inside a cluster of `p`, over all of them and over those
    /// of newcomers.
    fn inside(&self, p: &Partition) -> (f64, f64) {
        let a = p.assignment();
        let (mut all, mut inside, mut new, mut new_inside) = (0, 0, 0, 0);
        for (u, v, _) in self.future.csr().iter() {
            if u >= v {
                continue;
            }
            let same = a[u as usize] == a[v as usize];
            all += 1;
            inside += same as usize;
            if self.untied[u as usize] || self.untied[v as usize] {
                new += 1;
                new_inside += same as usize;
            }
        }
        let share = |x: usize, of: usize| if of > 0 { x as f64 / of as f64 } else { 0.0 };
        (share(inside, all), share(new_inside, new))
    }
}

/// The time split of `graph`, when it has timed interactions.
fn time_split(graph: &SocialGraph) -> Option<Split> {
    let events: Vec<_> = graph.interactions.iter().collect();
    let mut times: Vec<i64> = events
        .iter()
        .map(|e| e.time)
        .filter(|&t| t != i64::MIN)
        .collect();
    if times.len() < 100 {
        return None;
    }
    times.sort_unstable();
    let time = times[times.len() * 8 / 10];
    let n = graph.node_count();
    let (before, after): (Vec<_>, Vec<_>) = events.into_iter().partition(|e| e.time < time);
    let mut past = graph.clone();
    past.interactions =
        InteractionLayer::build(n, graph.interactions.kinds().clone(), before, false).0;
    past.posts = Posts::new(
        graph
            .posts
            .as_slice()
            .iter()
            .filter(|p| p.time.is_none_or(|t| t < time))
            .cloned()
            .collect(),
    );
    let view = clustering_view(&past, &ViewPolicy::default()).unwrap();
    let vectors = term_vectors(&past);
    let csr = view.csr();
    let untied: Vec<bool> = (0..n).map(|u| csr.degree(u) == 0).collect();
    let mut future = EdgeList::new();
    let mut pairs: Vec<(u32, u32)> = after
        .iter()
        .filter(|e| e.source != e.target)
        .map(|e| (e.source.min(e.target), e.source.max(e.target)))
        .filter(|&(u, v)| csr.weight_between(u as usize, v).is_none())
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut newcomer_ties = 0;
    for &(u, v) in &pairs {
        future.push(u, v, 1.0);
        newcomer_ties += (untied[u as usize] || untied[v as usize]) as usize;
    }
    let future = UndirectedGraph::from_edges(n, &future).unwrap();
    Some(Split {
        time,
        view,
        vectors,
        future,
        untied,
        newcomer_ties,
    })
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
