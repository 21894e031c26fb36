//! Cluster labels: the terms that set each cluster apart, by class-based TF-IDF.
//!
//! Grootendorst, "BERTopic: Neural topic modeling with a class-based TF-IDF procedure" (2022):
//! each cluster is read as one document made of all its members' terms, and
//!
//! ```text
//! c-tf-idf(t, c) = tf(t, c) / |c| · ln(1 + A / f_t)
//!
//! tf(t, c) = occurrences of term t among the members of cluster c
//! |c|      = occurrences of all terms in c  (the L1 normalisation of BERTopic)
//! A        = Σ_c |c| / k, the average number of term occurrences per cluster (k clusters)
//! f_t      = occurrences of t over all clusters
//! ```
//!
//! The `+ 1` keeps the weight positive; a term frequent everywhere (`f_t ≫ A`) scores near
//! zero, one concentrated in a cluster scores high. Counts are the raw counts of the
//! [`Extraction`] (no vocabulary pruning: a term every cluster uses is damped by the formula
//! itself).
//!
//! One rule is added to the formula: a term must be used by at least [`MIN_LABEL_PEOPLE`]
//! members of the cluster (every member of a smaller cluster), so that one prolific member's
//! pet word does not name a context.
//!
//! For every cluster the result lists the top terms of each kind (hashtags, mentions, domains,
//! words, attributes) with score, occurrences and members using them, and a short label of
//! [`LABEL_TERMS`] terms, hashtags first then the best other terms, joined by ` · `
//! (`#climate · #energy · solar`). The report and the command line show these same numbers.
//!
//! Cost: `O(entries + Σ_c u_c log u_c)` for `u_c` distinct terms of cluster `c`; clusters in
//! parallel; deterministic (ties broken by term id, i.e. by kind then text).

use std::collections::HashMap;

use contextivity_graph::{NodeId, Partition, SocialGraph};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::TopicsError;
use crate::extract::{same_people, Extraction};
use crate::tokenize::TermKind;

/// Number of terms in a cluster's short label.
pub const LABEL_TERMS: usize = 3;
/// Members of a cluster who must use a term for it to label the cluster.
pub const MIN_LABEL_PEOPLE: u32 = 2;
/// What separates the terms of a short label.
pub const LABEL_SEPARATOR: &str = " · ";

/// One distinctive term of a cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoredTerm {
    /// The term as shown: `#climate`, `@alice`, `example.com`, `solar`, `gender:female`.
    pub term: String,
    /// Its kind.
    pub kind: TermKind,
    /// Its c-TF-IDF score in this cluster.
    pub score: f64,
    /// Occurrences among the cluster's members.
    pub count: u64,
    /// Members who use it.
    pub people: u32,
}

/// What a cluster talks about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterLabel {
    /// The cluster's number in the partition.
    pub cluster: u32,
    /// Its number of members.
    pub size: usize,
    /// The short label, e.g. `#climate · #energy · solar` (empty when no term qualifies).
    pub label: String,
    /// Top hashtags.
    pub hashtags: Vec<ScoredTerm>,
    /// Top mentions.
    pub mentions: Vec<ScoredTerm>,
    /// Top link domains.
    pub domains: Vec<ScoredTerm>,
    /// Top words.
    pub words: Vec<ScoredTerm>,
    /// Top attributes.
    pub attributes: Vec<ScoredTerm>,
}

/// The c-TF-IDF labels of every cluster of `partition`, `top` terms per kind, in cluster
/// order. Fails if the graph, extraction and partition do not describe the same people.
pub fn cluster_labels(
    graph: &SocialGraph,
    extraction: &Extraction,
    partition: &Partition,
    top: usize,
) -> Result<Vec<ClusterLabel>, TopicsError> {
    let n = extraction.person_count();
    same_people("graph", n, graph.node_count())?;
    same_people("partition", n, partition.len())?;
    let members = partition.members();
    let stats: Vec<ClusterTerms> = members
        .par_iter()
        .map(|m| ClusterTerms::of(extraction, m))
        .collect();
    let k = stats.len();
    let all: u64 = stats.iter().map(|s| s.occurrences).sum();
    let average = if k == 0 { 0.0 } else { all as f64 / k as f64 };
    let vocabulary = extraction.vocabulary();
    Ok(stats
        .into_par_iter()
        .zip(members.par_iter())
        .enumerate()
        .map(|(c, (s, m))| {
            let needed = MIN_LABEL_PEOPLE.min(m.len() as u32);
            let mut scored: Vec<(u32, f64, u64, u32)> = s
                .terms
                .into_iter()
                .filter(|&(_, (_, people))| people >= needed)
                .map(|(t, (count, people))| {
                    let score = c_tf_idf(count, s.occurrences, average, extraction.total(t));
                    (t, score, count, people)
                })
                .collect();
            scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let term = |&(t, score, count, people): &(u32, f64, u64, u32)| ScoredTerm {
                term: vocabulary.display(t),
                kind: vocabulary.kind(t),
                score,
                count,
                people,
            };
            let of_kind = |kind: TermKind| -> Vec<ScoredTerm> {
                scored
                    .iter()
                    .filter(|e| vocabulary.kind(e.0) == kind)
                    .take(top)
                    .map(term)
                    .collect()
            };
            let tags = scored
                .iter()
                .filter(|e| vocabulary.kind(e.0) == TermKind::Hashtag)
                .take(LABEL_TERMS);
            let others = scored
                .iter()
                .filter(|e| vocabulary.kind(e.0) != TermKind::Hashtag);
            let label: Vec<String> = tags
                .chain(others)
                .take(LABEL_TERMS)
                .map(|e| vocabulary.display(e.0))
                .collect();
            ClusterLabel {
                cluster: c as u32,
                size: m.len(),
                label: label.join(LABEL_SEPARATOR),
                hashtags: of_kind(TermKind::Hashtag),
                mentions: of_kind(TermKind::Mention),
                domains: of_kind(TermKind::Domain),
                words: of_kind(TermKind::Word),
                attributes: of_kind(TermKind::Attribute),
            }
        })
        .collect())
}

/// `tf / |c| · ln(1 + A / f_t)`; 0 for an empty cluster or an unused term.
pub fn c_tf_idf(tf: u64, cluster_occurrences: u64, average: f64, total: u64) -> f64 {
    if cluster_occurrences == 0 || total == 0 {
        return 0.0;
    }
    tf as f64 / cluster_occurrences as f64 * (1.0 + average / total as f64).ln()
}

/// The term counts of one cluster.
struct ClusterTerms {
    /// Term → (occurrences, members using it).
    terms: HashMap<u32, (u64, u32)>,
    /// Occurrences of all terms: `|c|`.
    occurrences: u64,
}

impl ClusterTerms {
    /// Sums the rows of `members`.
    fn of(extraction: &Extraction, members: &[NodeId]) -> Self {
        let mut terms: HashMap<u32, (u64, u32)> = HashMap::new();
        let mut occurrences = 0u64;
        for m in members {
            let (ts, cs) = extraction.row(m.index());
            for (&t, &c) in ts.iter().zip(cs) {
                let e = terms.entry(t).or_insert((0, 0));
                e.0 += c as u64;
                e.1 += 1;
                occurrences += c as u64;
            }
        }
        ClusterTerms { terms, occurrences }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::TermKind::{Domain, Hashtag, Mention, Word};
    use contextivity_graph::{BuildConfig, GraphBuilder};

    fn graph(n: usize) -> SocialGraph {
        let mut b = GraphBuilder::new(BuildConfig::default());
        for p in 0..n {
            b.node(&p.to_string()).unwrap();
        }
        b.build().unwrap()
    }

    #[test]
    fn scores_match_the_hand_computation() {
        // p0: #solar #solar wind energy · p1: #solar rust.dev energy
        // p2: wind rust.dev rust.dev energy · p3: rust.dev @bob
        let e = Extraction::from_terms(&[
            vec![
                (Hashtag, "solar"),
                (Hashtag, "solar"),
                (Word, "wind"),
                (Word, "energy"),
            ],
            vec![(Hashtag, "solar"), (Domain, "rust.dev"), (Word, "energy")],
            vec![
                (Word, "wind"),
                (Domain, "rust.dev"),
                (Domain, "rust.dev"),
                (Word, "energy"),
            ],
            vec![(Domain, "rust.dev"), (Mention, "bob")],
        ]);
        let p = Partition::from_labels(&[0, 0, 1, 1]);
        let labels = cluster_labels(&graph(4), &e, &p, 10).unwrap();
        // Cluster 0 = {p0, p1}: #solar 3 (2 people), wind 1, rust.dev 1, energy 2 (2 people);
        //   |c0| = 7.
        // Cluster 1 = {p2, p3}: wind 1, rust.dev 3 (2 people), energy 1, @bob 1; |c1| = 6.
        // A = (7 + 6) / 2 = 6.5. f: #solar 3, wind 2, rust.dev 4, energy 3, @bob 1.
        // c0: #solar = 3/7 · ln(1 + 6.5/3) = 0.428571 · 1.152680 = 0.494006
        //     energy = 2/7 · ln(1 + 6.5/3) = 0.285714 · 1.152680 = 0.329337
        //     (wind, rust.dev: one member only — below MIN_LABEL_PEOPLE)
        // c1: rust.dev = 3/6 · ln(1 + 6.5/4) = 0.5 · 0.965081 = 0.482541
        let c0 = &labels[0];
        assert_eq!(c0.size, 2);
        assert_eq!(c0.hashtags.len(), 1);
        assert!((c0.hashtags[0].score - 0.494006).abs() < 1e-6);
        assert_eq!((c0.hashtags[0].count, c0.hashtags[0].people), (3, 2));
        assert_eq!(c0.words.len(), 1);
        assert!((c0.words[0].score - 0.329337).abs() < 1e-6);
        assert!(c0.domains.is_empty() && c0.mentions.is_empty());
        assert_eq!(c0.label, "#solar · energy");
        let c1 = &labels[1];
        assert_eq!(c1.domains.len(), 1);
        assert!((c1.domains[0].score - 0.482541).abs() < 1e-6);
        assert_eq!(c1.label, "rust.dev");
        assert!((c_tf_idf(3, 6, 6.5, 4) - 0.5 * (1.0f64 + 6.5 / 4.0).ln()).abs() < 1e-15);
    }

    #[test]
    fn label_puts_hashtags_first_then_best_terms() {
        let person = vec![
            (Word, "alpha"),
            (Word, "alpha"),
            (Word, "alpha"),
            (Hashtag, "beta"),
            (Domain, "gamma.org"),
            (Domain, "gamma.org"),
        ];
        let other = vec![(Word, "zeta"), (Word, "zeta")];
        let e = Extraction::from_terms(&[person.clone(), person, other.clone(), other]);
        let labels =
            cluster_labels(&graph(4), &e, &Partition::from_labels(&[0, 0, 1, 1]), 2).unwrap();
        assert_eq!(labels[0].label, "#beta · alpha · gamma.org");
        assert_eq!(labels[1].label, "zeta");
        // A one-person cluster may be labelled by that person's terms.
        let labels =
            cluster_labels(&graph(4), &e, &Partition::from_labels(&[0, 1, 2, 2]), 2).unwrap();
        assert_eq!(labels[0].size, 1);
        assert_eq!(labels[0].label, "#beta · alpha · gamma.org");
    }

    #[test]
    fn mismatched_inputs_are_errors() {
        let e = Extraction::from_terms(&[vec![(Word, "a")], vec![(Word, "b")]]);
        let p = Partition::from_labels(&[0, 0, 1]);
        assert!(matches!(
            cluster_labels(&graph(2), &e, &p, 3),
            Err(TopicsError::PeopleMismatch {
                what: "partition",
                ..
            })
        ));
        assert!(matches!(
            cluster_labels(&graph(3), &e, &Partition::from_labels(&[0, 1]), 3),
            Err(TopicsError::PeopleMismatch { what: "graph", .. })
        ));
    }
}
