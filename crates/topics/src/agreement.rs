//! Do topics agree with structure? A data-driven check before topics change the clustering.
//!
//! [`topical_agreement`] measures the *topical assortativity* of a graph: the mean cosine
//! similarity across its ties against the mean that a degree-preserving random rewiring of the
//! same ties would give (the configuration-model null, as in Newman's assortativity). The null
//! is exact, with no sampling: with `d_u` the number of ties of `u` to people with a vector and
//! `s = Σ_u d_u · x(u)` (rows are unit vectors),
//!
//! ```text
//! null = (‖s‖² − Σ_u d_u²) / ((Σ_u d_u)² − Σ_u d_u²)   (two tie ends of different people)
//! ```
//!
//! The *lift* `tie / null` says how much more alike connected people are than chance would
//! have them, and `z` how many standard errors the tie mean lies above the null (ties taken as
//! independent draws, an approximation: ties share people). Beyond [`MAX_SAMPLED_TIES`] ties
//! the tie mean is taken over an evenly spaced, deterministic sample; the null stays exact.
//!
//! [`adapt`] turns the measurement into a decision and says why ([`AgreementDecision`]):
//!
//! - **topics agree** (at least [`MIN_TIES`] ties between people with vectors, lift ≥
//!   [`MIN_LIFT`] and `z` ≥ [`MIN_Z`]): the blend as given, topical neighbours included;
//! - **no evidence**: structure only (`W = 0`, no neighbours). Topics that do not predict who
//!   is tied to whom can only add noise to the weights, however they are blended, and
//!   neighbours chosen by such topics do not predict ties either (Stack Exchange, split in
//!   time: of the later ties of people who had none before, 1.9 % fall inside the clusters
//!   their neighbours placed them in, and the modularity of the later ties drops).
//!
//! Measured with the crate's `datasets` and `ego_circles` examples (the figures are in
//! `BENCHMARKS.md`): the 10 SNAP Facebook egos have lifts 1.19–1.99 and `z` 4.4–65 (all
//! agree); polblogs 0.98 (`z` −0.7: blog directories say nothing about who links to whom),
//! the Stack Exchange dumps 1.00 and 1.05 (`z` 0.0 and 0.9: who answers whom has nothing to
//! do with what they write about), polbooks 1.46 on 49 ties (`z` 0.9: too few books keep a
//! title term to tell); the synthetic export with planted topics 3.8 (`z` 140). Limiting
//! neighbours to people without a tie ([`NeighbourScope`], [`blend_scoped`]) was measured
//! too: a little better on the egos (mean average F1 0.412 against 0.408 over 10 seeds), much
//! worse where people have few ties (the planted export with one follow each: 0.12 against
//! 0.26), so the decision keeps everyone's neighbours.
//!
//! Cost: one pass over the ties, one cosine per measured tie (rows in parallel) and one pass
//! over the vectors, deterministic at any thread count: 1.6 s on 2 busy cores for the 1M-person
//! synthetic export (10M ties, 200,000 measured).

use contextivity_graph::UndirectedGraph;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::blend::BlendConfig;
use crate::error::TopicsError;
use crate::extract::same_people;
use crate::tfidf::TermVectors;

/// Lift below which topics are taken to carry no structural signal: connected people must be
/// at least 10 % more alike than chance (the egos: 1.19 and above).
pub const MIN_LIFT: f64 = 1.1;
/// Standard errors the tie mean must lie above the null (one-sided p ≈ 0.001); the egos: 4.4
/// and above, the data sets without signal: 0.9 and below.
pub const MIN_Z: f64 = 3.0;
/// Ties between people with vectors needed to judge the agreement at all.
pub const MIN_TIES: usize = 30;
/// Ties whose cosine is measured at most: beyond, an evenly spaced sample (every k-th tie in
/// person order), which bounds the work on large exports; the standard error of the mean over
/// 200,000 ties (about `sd / 450`) is far below any difference the thresholds look at.
pub const MAX_SAMPLED_TIES: usize = 200_000;

/// The topical assortativity of a graph: how alike connected people are, against chance.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicalAgreement {
    /// People with a vector.
    pub people_with_vectors: usize,
    /// People with at least one tie (to anyone).
    pub people_with_ties: usize,
    /// Ties (undirected, self-loops left out) whose two people both have a vector.
    pub ties: usize,
    /// Ties whose cosine was measured: all of them up to [`MAX_SAMPLED_TIES`], else every
    /// `⌈ties / MAX_SAMPLED_TIES⌉`-th in person order.
    pub sampled_ties: usize,
    /// Mean cosine over the measured ties (each tie counts once, whatever its weight).
    pub tie_similarity: f64,
    /// Mean cosine of two tie ends paired at random, degrees kept (configuration model).
    pub null_similarity: f64,
    /// `tie_similarity / null_similarity` (1 when the null is 0: no evidence either way).
    pub lift: f64,
    /// How many standard errors the tie mean lies above the null:
    /// `(tie − null) / (sd / √sampled_ties)` with `sd` the standard deviation of the cosine over
    /// the measured ties (0 without ties).
    pub z: f64,
}

/// Measures the topical assortativity of `graph` under `vectors` (see the module docs).
/// Fails if the vectors describe a different number of people.
pub fn topical_agreement(
    graph: &UndirectedGraph,
    vectors: &TermVectors,
) -> Result<TopicalAgreement, TopicsError> {
    measure(graph, vectors, MAX_SAMPLED_TIES)
}

/// [`topical_agreement`] measuring the cosine of at most about `max_sampled` ties.
fn measure(
    graph: &UndirectedGraph,
    vectors: &TermVectors,
    max_sampled: usize,
) -> Result<TopicalAgreement, TopicsError> {
    let csr = graph.csr();
    let n = csr.node_count();
    same_people("term vectors", n, vectors.person_count())?;
    // Who has a vector, as a bitset (n / 8 bytes: in cache for the random lookups of the
    // neighbours).
    let mut has = vec![0u64; n.div_ceil(64)];
    for (u, word) in (0..n).step_by(64).zip(has.iter_mut()) {
        for b in 0..64.min(n - u) {
            *word |= (vectors.has_vector(u + b) as u64) << b;
        }
    }
    let has_vector = |v: usize| has[v / 64] >> (v % 64) & 1 == 1;
    let counted = |u: usize, v: u32| v as usize != u && has_vector(v as usize);
    // Per person: whether they have a tie, their ties to people with a vector (`d_u`) and the
    // upper ones among those (v > u), which number the ties.
    let rows: Vec<(u64, u64, bool)> = (0..n)
        .into_par_iter()
        .map(|u| {
            let row = csr.neighbors(u);
            let tied = row.iter().any(|&v| v as usize != u);
            if !has_vector(u) {
                return (0, 0, tied);
            }
            let d = row.iter().filter(|&&v| counted(u, v)).count() as u64;
            let upper = row
                .iter()
                .filter(|&&v| v as usize > u && counted(u, v))
                .count() as u64;
            (d, upper, tied)
        })
        .collect();
    let mut first = Vec::with_capacity(n + 1);
    first.push(0u64);
    for r in &rows {
        first.push(first[first.len() - 1] + r.1);
    }
    let ties = first[n] as usize;
    let people_with_ties = rows.iter().filter(|r| r.2).count();
    // The cosine of every `stride`-th tie in person order (every tie up to MAX_SAMPLED_TIES):
    // per person, summed in person order, so the same at any thread count.
    let stride = ties.div_ceil(max_sampled.max(1)).max(1) as u64;
    let sums: Vec<(u64, f64, f64)> = (0..n)
        .into_par_iter()
        .map(|u| {
            let (mut count, mut sum, mut squares) = (0u64, 0.0f64, 0.0f64);
            if rows[u].1 == 0 {
                return (count, sum, squares);
            }
            let upper = csr
                .neighbors(u)
                .iter()
                .filter(|&&v| v as usize > u && counted(u, v));
            for (j, &v) in upper.enumerate() {
                if (first[u] + j as u64) % stride == 0 {
                    let c = vectors.cosine(u, v as usize);
                    count += 1;
                    sum += c;
                    squares += c * c;
                }
            }
            (count, sum, squares)
        })
        .collect();
    let (mut sampled, mut sum_cos, mut sum_sq) = (0usize, 0.0f64, 0.0f64);
    for &(k, c, q) in &sums {
        sampled += k as usize;
        sum_cos += c;
        sum_sq += q;
    }
    let degree: Vec<u64> = rows.iter().map(|r| r.0).collect();
    // s = Σ d_u x(u), accumulated term by term.
    let mut s = vec![0f64; vectors.dimension()];
    let (mut total, mut squares) = (0f64, 0f64);
    for (u, &d) in degree.iter().enumerate() {
        if d == 0 {
            continue;
        }
        let d = d as f64;
        total += d;
        squares += d * d;
        let (terms, weights) = vectors.row(u);
        for (&t, &w) in terms.iter().zip(weights) {
            s[t as usize] += d * w as f64;
        }
    }
    let norm2: f64 = s.iter().map(|x| x * x).sum();
    let pairs = total * total - squares;
    let null_similarity = if pairs > 0.0 {
        ((norm2 - squares) / pairs).max(0.0)
    } else {
        0.0
    };
    let tie_similarity = if sampled > 0 {
        sum_cos / sampled as f64
    } else {
        0.0
    };
    // Without any similarity at random there is none across ties either (a tie is one of the
    // pairs the null draws from): no evidence either way.
    let lift = if null_similarity > 0.0 {
        tie_similarity / null_similarity
    } else {
        1.0
    };
    let z = if sampled > 1 {
        let var = (sum_sq / sampled as f64 - tie_similarity * tie_similarity).max(0.0);
        let se = (var / sampled as f64).sqrt();
        if se > 0.0 {
            (tie_similarity - null_similarity) / se
        } else if tie_similarity > null_similarity {
            f64::MAX // every tie exactly as alike, above chance
        } else {
            0.0
        }
    } else {
        0.0
    };
    Ok(TopicalAgreement {
        people_with_vectors: vectors.people_with_vectors(),
        people_with_ties,
        ties,
        sampled_ties: sampled,
        tie_similarity,
        null_similarity,
        lift,
        z,
    })
}

/// What [`adapt`] decided, and on what evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgreementDecision {
    /// The measurement.
    pub agreement: TopicalAgreement,
    /// Whether topics were found to agree with structure.
    pub topics_agree: bool,
    /// The configuration to blend with ([`blend_with`](crate::blend_with)): the one given
    /// when topics agree, else structure only (`topic_weight` 0, `knn` 0).
    pub config: BlendConfig,
    /// One line for the user: the lift and what follows from it.
    pub reason: String,
}

/// Measures the agreement of `graph` and `vectors` and adapts `config` to it (see the module
/// docs). Deterministic: the same inputs give the same decision.
pub fn adapt(
    graph: &UndirectedGraph,
    vectors: &TermVectors,
    config: &BlendConfig,
) -> Result<AgreementDecision, TopicsError> {
    config.validate()?;
    let agreement = topical_agreement(graph, vectors)?;
    let enough = agreement.ties >= MIN_TIES;
    let topics_agree = enough && agreement.lift >= MIN_LIFT && agreement.z >= MIN_Z;
    let evidence = format!(
        "connected people are {:.2}x as alike as chance (mean cosine {:.3} across {} ties, \
         {:.3} at random, z = {:.1})",
        agreement.lift,
        agreement.tie_similarity,
        agreement.ties,
        agreement.null_similarity,
        agreement.z
    );
    let mut adapted = config.clone();
    let reason = if topics_agree {
        format!(
            "topics agree with structure: {evidence}; topic weight {}, {} topical neighbours",
            config.topic_weight, config.knn
        )
    } else {
        adapted.topic_weight = 0.0;
        adapted.knn = 0;
        if enough {
            format!(
                "topics do not agree with structure: {evidence}, below {MIN_LIFT}x or z {MIN_Z}; \
                 clustering by structure only"
            )
        } else {
            format!(
                "too few ties to judge whether topics agree with structure ({} between people \
                 with topics, fewer than {MIN_TIES}); clustering by structure only",
                agreement.ties
            )
        }
    };
    Ok(AgreementDecision {
        agreement,
        topics_agree,
        config: adapted,
        reason,
    })
}

/// Which people's topical neighbours join the graph.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeighbourScope {
    /// Everyone's ([`blend_with`](crate::blend_with)'s behaviour).
    #[default]
    Everyone,
    /// Only a neighbour edge with at least one end without a tie: people without any
    /// interaction meet those who talk alike, and no neighbour edge joins two people who
    /// both have ties (whose structure already says where they belong).
    Untied,
    /// Only a neighbour edge with at least one end with fewer ties than this.
    FewerTiesThan(u32),
}

/// The neighbour edges of `edges` that `scope` allows on `graph`: those with at least one end
/// in scope, in their order.
pub(crate) fn in_scope(
    graph: &UndirectedGraph,
    edges: contextivity_graph::EdgeList,
    scope: NeighbourScope,
) -> contextivity_graph::EdgeList {
    let csr = graph.csr();
    let ties = |u: u32| {
        csr.neighbors(u as usize)
            .iter()
            .filter(|&&v| v != u)
            .count()
    };
    let allowed = |u: u32| match scope {
        NeighbourScope::Everyone => true,
        NeighbourScope::Untied => ties(u) == 0,
        NeighbourScope::FewerTiesThan(k) => ties(u) < k as usize,
    };
    if scope == NeighbourScope::Everyone {
        return edges;
    }
    let mut kept = contextivity_graph::EdgeList::new();
    for i in 0..edges.len() {
        let (u, v) = (edges.sources[i], edges.targets[i]);
        if allowed(u) || allowed(v) {
            kept.push(u, v, edges.weight(i));
        }
    }
    kept
}

/// [`blend_with`](crate::blend_with), keeping only the neighbour edges `scope` allows: the
/// ties blended by `config.topic_weight`, then the neighbour edges of weight
/// `knn_weight · mean · cos` (the mean edge weight of the blended ties) with at least one end in
/// scope. `NeighbourScope::Everyone` gives `blend_with`'s graph exactly.
pub fn blend_scoped(
    graph: &UndirectedGraph,
    vectors: &TermVectors,
    config: &BlendConfig,
    scope: NeighbourScope,
) -> Result<UndirectedGraph, TopicsError> {
    if scope == NeighbourScope::Everyone || config.knn == 0 {
        return crate::blend::blend_with(graph, vectors, config);
    }
    let ties_only = BlendConfig {
        knn: 0,
        ..config.clone()
    };
    let blended = crate::blend::blend_with(graph, vectors, &ties_only)?;
    crate::blend::with_neighbours(&blended, vectors, config, |knn| in_scope(graph, knn, scope))
}

#[cfg(test)]
mod tests {
    use super::*;
    use contextivity_graph::{EdgeList, Rng};

    /// `groups` groups of `size` people; person `p` talks about topic `p % groups` only (a
    /// word of its own and a shared one), and each person has `ties` ties, within its topic
    /// with probability `within`. The last `untied` people have no tie.
    fn planted(
        groups: usize,
        size: usize,
        ties: usize,
        within: f64,
        untied: usize,
        seed: u64,
    ) -> (UndirectedGraph, TermVectors) {
        let n = groups * size;
        let mut rng = Rng::new(seed);
        let mut e = EdgeList::new();
        for p in 0..n - untied {
            for _ in 0..ties {
                let q = if rng.next_f64() < within {
                    p % groups + groups * rng.below(size as u64) as usize
                } else {
                    rng.below(n as u64) as usize
                };
                if q != p && q < n - untied {
                    e.push(p as u32, q as u32, 1.0);
                }
            }
        }
        let g = UndirectedGraph::from_edges(n, &e).unwrap();
        let rows: Vec<Vec<(u32, f32)>> = (0..n)
            .map(|p| {
                let t = (p % groups) as u32;
                vec![(t, 1.0), (groups as u32, 0.3), (groups as u32 + 1 + t, 0.5)]
            })
            .collect();
        (g, TermVectors::from_rows(2 * groups + 1, &rows).unwrap())
    }

    #[test]
    fn agreement_on_a_hand_computed_example() {
        // Path 0–1–2; x(0) = x(1) = (1, 0), x(2) = (0, 1). cos: 0–1 = 1, 1–2 = 0.
        let g = UndirectedGraph::from_pairs(3, &[(0, 1), (1, 2)]).unwrap();
        let x =
            TermVectors::from_rows(2, &[vec![(0, 1.0)], vec![(0, 1.0)], vec![(1, 1.0)]]).unwrap();
        let a = topical_agreement(&g, &x).unwrap();
        assert_eq!(a.ties, 2);
        assert_eq!(a.people_with_ties, 3);
        assert!((a.tie_similarity - 0.5).abs() < 1e-12);
        // d = (1, 2, 1); s = (3, 1); ‖s‖² = 10; Σd = 4, Σd² = 6: null = (10 − 6) / (16 − 6).
        assert!((a.null_similarity - 0.4).abs() < 1e-12);
        assert!((a.lift - 1.25).abs() < 1e-12);
        // Cosines 1 and 0: sd 0.5, standard error 0.5 / √2.
        assert!((a.z - 0.1 / (0.5 / 2f64.sqrt())).abs() < 1e-9);
        // People without a vector and self-loops do not count.
        let x = TermVectors::from_rows(2, &[vec![(0, 1.0)], vec![(0, 1.0)], vec![]]).unwrap();
        let a = topical_agreement(&g, &x).unwrap();
        assert_eq!(a.ties, 1);
        assert_eq!(a.lift, 1.0);
        let fewer = TermVectors::from_rows(2, &[vec![(0, 1.0)]]).unwrap();
        assert!(topical_agreement(&g, &fewer).is_err());
    }

    #[test]
    fn the_null_is_the_mean_over_all_pairs_of_tie_ends() {
        let (g, x) = planted(4, 30, 3, 0.5, 0, 3);
        let a = topical_agreement(&g, &x).unwrap();
        // Every pair of tie ends (stubs) of two different people, by brute force.
        let mut stubs = Vec::new();
        for (u, v, _) in g.csr().iter() {
            if u != v {
                stubs.push(u as usize);
            }
        }
        let (mut sum, mut pairs) = (0.0, 0.0);
        for &u in &stubs {
            for &v in &stubs {
                if u != v {
                    sum += x.cosine(u, v);
                    pairs += 1.0;
                }
            }
        }
        // Rows are unit vectors to f32 precision.
        assert!((a.null_similarity - sum / pairs).abs() < 1e-6);
        assert_eq!(a.sampled_ties, a.ties);
    }

    #[test]
    fn many_ties_are_sampled_evenly() {
        let (g, x) = planted(5, 200, 8, 0.8, 0, 5);
        let exact = topical_agreement(&g, &x).unwrap();
        let sampled = measure(&g, &x, 500).unwrap();
        assert!(exact.ties > 4000 && exact.sampled_ties == exact.ties);
        let stride = exact.ties.div_ceil(500);
        assert_eq!(sampled.ties, exact.ties);
        assert_eq!(sampled.sampled_ties, exact.ties.div_ceil(stride));
        assert_eq!(sampled.null_similarity, exact.null_similarity);
        assert!(
            (sampled.lift / exact.lift - 1.0).abs() < 0.1,
            "{exact:?} {sampled:?}"
        );
        assert!(sampled.z > MIN_Z);
    }

    #[test]
    fn adapt_keeps_topics_that_agree_and_drops_those_that_do_not() {
        let config = BlendConfig::default();
        // Ties mostly within topics: the topics agree.
        let (g, x) = planted(5, 60, 6, 0.8, 20, 1);
        let d = adapt(&g, &x, &config).unwrap();
        assert!(d.topics_agree, "{}", d.reason);
        assert!(d.agreement.lift > 2.0 && d.agreement.z > MIN_Z);
        assert_eq!(d.config, config);
        // Ties at random: no agreement, structure only.
        let (g, x) = planted(5, 60, 6, 0.0, 20, 1);
        let d = adapt(&g, &x, &config).unwrap();
        assert!(!d.topics_agree, "{}", d.reason);
        assert!(d.agreement.lift < MIN_LIFT);
        assert_eq!(d.config.topic_weight, 0.0);
        assert_eq!(d.config.knn, 0);
        assert_eq!(crate::blend::blend_with(&g, &x, &d.config).unwrap(), g);
        // Too few ties to judge.
        let (g, x) = planted(2, 10, 1, 1.0, 0, 1);
        let d = adapt(&g, &x, &config).unwrap();
        assert!(d.agreement.ties < MIN_TIES);
        assert!(!d.topics_agree && d.reason.contains("too few"));
        // The decision is a function of the data: the same on one thread.
        let (g, x) = planted(5, 60, 6, 0.8, 20, 2);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        assert_eq!(
            one.install(|| adapt(&g, &x, &config)).unwrap(),
            adapt(&g, &x, &config).unwrap()
        );
    }

    #[test]
    fn scoped_neighbours_only_touch_people_without_ties() {
        let (g, x) = planted(5, 60, 6, 0.8, 20, 4);
        let config = BlendConfig {
            knn_min_shared: 1,
            ..BlendConfig::default()
        };
        let everyone = blend_scoped(&g, &x, &config, NeighbourScope::Everyone).unwrap();
        assert_eq!(everyone, crate::blend::blend_with(&g, &x, &config).unwrap());
        let untied = blend_scoped(&g, &x, &config, NeighbourScope::Untied).unwrap();
        let tied = |u: usize| g.csr().degree(u) > 0;
        let blended = crate::blend::blend(&g, &x, config.topic_weight).unwrap();
        let (mut added, mut kept) = (0, 0);
        for (u, v, w) in untied.csr().iter() {
            match g.csr().weight_between(u as usize, v) {
                // A tie keeps its blended weight.
                Some(_) => {
                    kept += 1;
                    assert_eq!(blended.csr().weight_between(u as usize, v), Some(w));
                }
                None => {
                    added += 1;
                    assert!(!tied(u as usize) || !tied(v as usize), "{u}–{v}");
                }
            }
        }
        assert_eq!(kept, g.csr().entry_count());
        assert!(added > 0, "the 20 untied people get neighbours");
        assert!(untied.csr().iter().all(|(u, v, _)| u != v));
        // Same bits on one thread.
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        assert_eq!(
            one.install(|| blend_scoped(&g, &x, &config, NeighbourScope::Untied))
                .unwrap(),
            untied
        );
    }
}
