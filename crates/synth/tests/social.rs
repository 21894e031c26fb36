//! The synthetic social export: it loads, its realised structure and engagement match the
//! parameters, it is byte-identical for a seed at any thread count, bad parameters are refused,
//! and the bundled sample in `data/sample/` is what the generator writes.

#![allow(clippy::unwrap_used)] // test helpers fail loudly on bad fixtures

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use contextivity_formats::{load, LoadOptions};
use contextivity_graph::{NodeId, SocialGraph};
use contextivity_synth::social::{
    power_law_exponent, write_export, SocialError, SocialParams, SocialSummary,
};

const FILES: [&str; 6] = [
    "people.csv",
    "follows.csv",
    "interactions.csv",
    "posts.csv",
    "truth.tsv",
    "generator.json",
];

fn generate(params: &SocialParams) -> (tempfile::TempDir, SocialSummary) {
    let dir = tempfile::tempdir().unwrap();
    let summary = write_export(params, dir.path()).unwrap();
    (dir, summary)
}

/// Everything the checks need, read back through the project's own loader.
struct Loaded {
    graph: SocialGraph,
    /// Person index (= their id) of every node.
    person: Vec<usize>,
    /// Contexts of every person, from truth.tsv.
    contexts: Vec<Vec<String>>,
    celebrity: Vec<bool>,
}

impl Loaded {
    fn read(dir: &Path, people: usize) -> Self {
        let graph = load(dir, &LoadOptions::default()).unwrap();
        let person: Vec<usize> = (0..graph.node_count())
            .map(|i| graph.label(NodeId(i as u32)).parse().unwrap())
            .collect();
        let mut contexts = vec![Vec::new(); people];
        for line in std::fs::read_to_string(dir.join("truth.tsv"))
            .unwrap()
            .lines()
        {
            let (p, c) = line.split_once('\t').unwrap();
            contexts[p.parse::<usize>().unwrap()].push(c.to_string());
        }
        let celebrity = (0..graph.node_count())
            .map(|i| graph.people.get("verified", NodeId(i as u32)) == Some("true"))
            .collect();
        Loaded {
            graph,
            person,
            contexts,
            celebrity,
        }
    }

    fn share(&self, u: usize, v: usize) -> bool {
        let (a, b) = (
            &self.contexts[self.person[u]],
            &self.contexts[self.person[v]],
        );
        a.iter().any(|c| b.contains(c))
    }

    fn follows(&self, u: usize, v: usize) -> bool {
        self.graph
            .follows
            .out()
            .neighbors(u)
            .binary_search(&(v as u32))
            .is_ok()
    }
}

#[test]
fn export_loads_and_counts_match_the_summary() {
    let params = SocialParams {
        people: 3000,
        seed: 3,
        ..SocialParams::default()
    };
    let (dir, summary) = generate(&params);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), FILES.len(), "stray files: {names:?}");
    for f in FILES {
        assert!(names.iter().any(|n| n == f), "{f} missing");
        let report = summary.files.iter().find(|r| r.name == f).unwrap();
        assert_eq!(
            report.bytes,
            std::fs::metadata(dir.path().join(f)).unwrap().len()
        );
    }
    let loaded = Loaded::read(dir.path(), 3000);
    let g = &loaded.graph;
    let c = &summary.counts;
    assert_eq!(g.node_count() as u64, c.people);
    assert_eq!(g.follows.edge_count() as u64, c.follows);
    let weight: f64 = g.interactions.iter().map(|e| f64::from(e.weight)).sum();
    assert_eq!(weight.round() as u64, c.interactions);
    assert_eq!(g.posts.len() as u64, c.posts);
    let replies = g
        .posts
        .as_slice()
        .iter()
        .filter(|p| p.reply_to.is_some())
        .count();
    assert_eq!(replies as u64, c.reply_posts);
    assert!(g.summary.skipped.is_empty());
    assert_eq!(
        loaded.contexts.iter().map(Vec::len).sum::<usize>() as u64,
        c.memberships
    );
    // Every person has a handle, a name, a bio and a follower count equal to their followers.
    for u in (0..g.node_count()).step_by(97) {
        let id = NodeId(u as u32);
        assert!(g.people.handle(id).unwrap().starts_with('@'));
        assert!(!g.people.bio(id).unwrap().is_empty());
        assert_eq!(
            g.people.followers_count(id),
            Some(g.follows.inn().neighbors(u).len() as u64)
        );
    }
    // Posts carry text, hashtags and times inside the window.
    let end = params.start + i64::from(params.days) * 86_400;
    let tagged = g
        .posts
        .as_slice()
        .iter()
        .filter(|p| !p.hashtags.is_empty())
        .count();
    assert!(tagged as f64 > 0.5 * (c.posts - c.reply_posts) as f64);
    assert!(g
        .posts
        .as_slice()
        .iter()
        .all(|p| !p.text.is_empty() && p.time.is_some_and(|t| (params.start..end).contains(&t))));
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("generator.json")).unwrap()).unwrap();
    assert_eq!(record["parameters"]["people"], 3000);
    assert_eq!(record["parameters"]["seed"], 3);
    assert_eq!(record["counts"]["follows"], c.follows);
}

/// Realised mixing, reciprocity inside and across, overlap and degree tail, measured on the
/// loaded export.
fn check_structure(params: &SocialParams) {
    let (dir, summary) = generate(params);
    let l = Loaded::read(dir.path(), params.people);
    let g = &l.graph;
    let n = g.node_count();
    let (mut inside, mut inside_back, mut across, mut across_back) = (0u64, 0u64, 0u64, 0u64);
    for u in 0..n {
        for &v in g.follows.out().neighbors(u) {
            let v = v as usize;
            if l.celebrity[u] || l.celebrity[v] {
                continue;
            }
            let back = u64::from(l.follows(v, u));
            if l.share(u, v) {
                inside += 1;
                inside_back += back;
            } else {
                across += 1;
                across_back += back;
            }
        }
    }
    let mixing = across as f64 / (inside + across) as f64;
    let rho_in = inside_back as f64 / inside as f64;
    let rho_x = across_back as f64 / across as f64;
    let label = format!("{params:?}");
    assert!(
        (mixing - params.mixing).abs() < 0.02,
        "mixing {mixing}: {label}"
    );
    assert!(
        (rho_in - params.reciprocity_inside).abs() < 0.03,
        "ρ_in {rho_in}: {label}"
    );
    assert!(
        (rho_x - params.reciprocity_across).abs() < 0.03,
        "ρ_x {rho_x}: {label}"
    );
    assert!(rho_in > 2.0 * rho_x);
    assert!((summary.realised.mixing - mixing).abs() < 1e-9);

    let overlapping = l.contexts.iter().filter(|c| c.len() >= 2).count() as f64 / n as f64;
    assert!(
        (overlapping - params.overlap).abs() < 0.005,
        "overlap {overlapping}"
    );
    if params.overlap_memberships > 2 {
        assert!(l
            .contexts
            .iter()
            .any(|c| c.len() == params.overlap_memberships));
    }
    let mean = g.follows.edge_count() as f64 / n as f64;
    assert!(
        (mean - params.avg_follows).abs() < 0.08 * params.avg_follows,
        "mean {mean}"
    );

    // Heavy tail: out-degrees from ⟨k⟩ up fit the planted exponent roughly (below ⟨k⟩,
    // follow-backs and celebrity follows blur the law).
    let degrees: Vec<u64> = (0..n).map(|u| g.follows.out().degree(u) as u64).collect();
    let max = degrees.iter().copied().max().unwrap();
    let k_min = summary.realised.fit_min_follows;
    assert_eq!(k_min, (mean.floor() as u64).max(1));
    let alpha = power_law_exponent(degrees.iter().copied(), k_min, max);
    assert!(
        (alpha - params.degree_exponent).abs() < 0.35,
        "tail exponent {alpha} for τ1 {}",
        params.degree_exponent
    );
    assert!((summary.realised.follows_exponent - alpha).abs() < 1e-9);
    assert!(max as f64 > 8.0 * mean, "max {max} vs mean {mean}");
}

#[test]
fn mixing_reciprocity_overlap_and_tail_match_the_defaults() {
    check_structure(&SocialParams {
        people: 20_000,
        seed: 5,
        ..SocialParams::default()
    });
}

#[test]
fn mixing_reciprocity_overlap_and_tail_match_other_parameters() {
    check_structure(&SocialParams {
        people: 20_000,
        communities: Some(100),
        mixing: 0.4,
        overlap: 0.25,
        overlap_memberships: 3,
        reciprocity_inside: 0.6,
        reciprocity_across: 0.2,
        degree_exponent: 2.5,
        avg_follows: 15.0,
        seed: 11,
        ..SocialParams::default()
    });
}

#[test]
fn engagement_follows_the_tie_and_celebrities_engage_little() {
    let params = SocialParams {
        people: 20_000,
        seed: 8,
        ..SocialParams::default()
    };
    let (dir, summary) = generate(&params);
    let l = Loaded::read(dir.path(), params.people);
    let g = &l.graph;
    let n = g.node_count();
    // Original posts per author.
    let mut posts = vec![0u64; n];
    for p in g.posts.as_slice() {
        if p.reply_to.is_none() {
            posts[p.author.index()] += 1;
        }
    }
    // Engagements (not mentions) by source → target.
    let kinds = g.interactions.kinds();
    let engaging: Vec<bool> = kinds
        .names()
        .iter()
        .map(|k| matches!(k.as_str(), "like" | "click" | "repost" | "reply"))
        .collect();
    let mut engaged: BTreeMap<(u32, u32), f64> = BTreeMap::new();
    for e in g.interactions.iter() {
        if engaging[e.kind.0 as usize] {
            *engaged.entry((e.source, e.target)).or_default() += f64::from(e.weight);
        }
    }
    // Per tie class of follower f → author a: engagements per (follower, post).
    let mut pairs = [0u64; 4];
    let mut events = [0f64; 4];
    for f in 0..n {
        for &a in g.follows.out().neighbors(f) {
            let a = a as usize;
            let mutual = l.follows(a, f);
            let class = match (mutual, l.share(f, a)) {
                (true, true) => 0,
                (false, true) => 1,
                (true, false) => 2,
                (false, false) => 3,
            };
            pairs[class] += posts[a];
            events[class] += engaged.get(&(f as u32, a as u32)).copied().unwrap_or(0.0);
        }
    }
    let ties = params.engagement.ties();
    let mut rates = [0.0; 4];
    for c in 0..4 {
        let expected = ties[c].reach * ties[c].engage;
        rates[c] = events[c] / pairs[c] as f64;
        // 10 % relative, looser where few events are expected.
        let tolerance = 0.1_f64.max(3.0 / (expected * pairs[c] as f64).sqrt());
        assert!(
            (rates[c] / expected - 1.0).abs() < tolerance,
            "class {c}: {} per follower-post, expected {expected} (±{tolerance})",
            rates[c]
        );
        assert!((summary.realised.engagement_per_tie[c] - rates[c]).abs() < 1e-9);
    }
    assert!(
        rates[0] > 20.0 * rates[3],
        "mutual same-context {} vs one-way across {}",
        rates[0],
        rates[3]
    );

    // Celebrities: many followers, few engagements per impression.
    let followers = |u: usize| g.follows.inn().neighbors(u).len();
    let mut others: Vec<usize> = (0..n).filter(|&u| !l.celebrity[u]).map(followers).collect();
    others.sort_unstable();
    let median = others[others.len() / 2].max(1);
    let celebs: Vec<usize> = (0..n).filter(|&u| l.celebrity[u]).collect();
    assert_eq!(celebs.len() as u64, summary.counts.celebrities);
    let celeb_mean = celebs.iter().map(|&u| followers(u)).sum::<usize>() / celebs.len();
    assert!(
        celeb_mean > 20 * median,
        "celebrities {celeb_mean} vs median {median}"
    );
    let rate = |celebrity: bool| {
        let (mut engagements, mut impressions) = (0u64, 0u64);
        for p in g.posts.as_slice() {
            if p.reply_to.is_none() && l.celebrity[p.author.index()] == celebrity {
                engagements +=
                    p.likes.unwrap() + p.clicks.unwrap() + p.reposts.unwrap() + p.replies.unwrap();
                impressions += p.impressions.unwrap();
            }
        }
        engagements as f64 / impressions as f64
    };
    let (celeb_rate, other_rate) = (rate(true), rate(false));
    assert!(
        celeb_rate < 0.5 * other_rate,
        "celebrities {celeb_rate} vs others {other_rate}"
    );
}

fn read_all(dir: &Path) -> Vec<Vec<u8>> {
    FILES
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect()
}

#[test]
fn one_seed_gives_the_same_bytes_at_one_and_two_threads() {
    let params = SocialParams {
        people: 10_000, // three chunks of people
        seed: 21,
        ..SocialParams::default()
    };
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let (dir, _) = pool.install(|| generate(&params));
        read_all(dir.path())
    };
    let one = run(1);
    let two = run(2);
    let again = run(2);
    for (i, f) in FILES.iter().enumerate() {
        assert!(one[i] == two[i], "{f} differs between 1 and 2 threads");
        assert!(two[i] == again[i], "{f} differs between two runs");
    }
    let (other, _) = generate(&SocialParams {
        seed: 22,
        ..params.clone()
    });
    assert!(
        read_all(other.path())[1] != one[1],
        "another seed, same follows"
    );
}

#[test]
fn invalid_parameters_are_refused_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    let cases: Vec<(SocialParams, &str)> = vec![
        (
            SocialParams {
                mixing: 1.5,
                ..Default::default()
            },
            "mixing",
        ),
        (
            SocialParams {
                overlap: 2.0,
                ..Default::default()
            },
            "overlap",
        ),
        (
            SocialParams {
                people: 0,
                ..Default::default()
            },
            "people",
        ),
        (
            SocialParams {
                communities: Some(5000),
                ..Default::default()
            },
            "communities",
        ),
        (
            SocialParams {
                days: 0,
                ..Default::default()
            },
            "days",
        ),
        (
            SocialParams {
                reciprocity_inside: -0.5,
                ..Default::default()
            },
            "reciprocity_inside",
        ),
        (
            SocialParams {
                avg_follows: 500.0,
                ..Default::default()
            },
            "avg_follows",
        ),
    ];
    for (params, name) in cases {
        let err = write_export(&params, &out).unwrap_err();
        assert!(
            matches!(
                err,
                SocialError::OutOfRange { .. } | SocialError::Inconsistent(_)
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains(name), "`{err}` should name {name}");
        assert!(!out.exists(), "nothing may be written for {name}");
    }
}

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/sample")
}

/// `data/sample/` is regenerated by `contextivity generate social --people 2000 --seed 1 -o
/// data/sample` (or the `social` example): a change to the model must come with the new sample.
#[test]
fn bundled_sample_is_what_the_generator_writes() {
    let params = SocialParams {
        people: 2000,
        seed: 1,
        ..SocialParams::default()
    };
    let (dir, _) = generate(&params);
    for f in FILES {
        let fresh = std::fs::read(dir.path().join(f)).unwrap();
        let bundled = std::fs::read(sample_dir().join(f)).unwrap();
        assert!(
            fresh == bundled,
            "data/sample/{f} is stale: regenerate it (docs/GENERATOR.md)"
        );
    }
}
