//! A synthetic social export with planted topics, generated in memory: people follow mostly
//! people of their own topic, and post text mixing topic words, common words, hashtags,
//! mentions and links. Shared by the integration tests and the benchmark.

#![allow(dead_code, clippy::unwrap_used)]

use contextivity_graph::people::{BIO, HANDLE};
use contextivity_graph::{BuildConfig, GraphBuilder, People, Post, Posts, Rng, SocialGraph};

/// Syllables that make pronounceable synthetic words.
const SYLLABLES: [&str; 24] = [
    "ka", "lo", "mi", "ren", "sto", "vel", "du", "pra", "ne", "shi", "tor", "ba", "qui", "ze",
    "gal", "fo", "mu", "chi", "pe", "ras", "tu", "wen", "yo", "dri",
];

/// The `i`-th synthetic word: its base-24 digits as syllables, at least two.
pub fn word(mut i: usize) -> String {
    let mut w = String::new();
    for _ in 0..2 {
        w.push_str(SYLLABLES[i % SYLLABLES.len()]);
        i /= SYLLABLES.len();
    }
    while i > 0 {
        w.push_str(SYLLABLES[i % SYLLABLES.len()]);
        i /= SYLLABLES.len();
    }
    w
}

/// The planted topic of person `p`.
pub fn topic_of(p: usize, topics: usize) -> usize {
    p % topics
}

/// Sizes of a synthetic export.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    /// People.
    pub people: usize,
    /// Follow arcs per person.
    pub follows: usize,
    /// Posts in all.
    pub posts: usize,
    /// Planted topics.
    pub topics: usize,
}

/// A synthetic export of `size`, reproducible from `seed`.
pub fn export(size: Size, seed: u64) -> SocialGraph {
    let Size {
        people,
        follows,
        posts,
        topics,
    } = size;
    let mut rng = Rng::new(seed);
    let mut b = GraphBuilder::new(BuildConfig::default());
    for p in 0..people {
        b.node(&format!("u{p}")).unwrap();
    }
    let per_topic = people.div_ceil(topics);
    for p in 0..people {
        let t = topic_of(p, topics);
        for _ in 0..follows {
            let q = if rng.next_f64() < 0.8 {
                // same topic: people t, t + topics, t + 2·topics …
                (t + topics * rng.below(per_topic as u64) as usize).min(people - 1)
            } else {
                rng.below(people as u64) as usize
            };
            if q != p {
                b.add_follow(
                    contextivity_graph::NodeId(p as u32),
                    contextivity_graph::NodeId(q as u32),
                    1.0,
                );
            }
        }
    }
    let mut graph = b.build().unwrap();

    let common = 3000;
    let topic_words = 150;
    let mut text = String::new();
    let mut list = Vec::with_capacity(posts);
    for i in 0..posts {
        let author = rng.below(people as u64) as usize;
        let t = topic_of(author, topics);
        text.clear();
        let words = 8 + rng.below(10) as usize;
        for w in 0..words {
            if w > 0 {
                text.push(' ');
            }
            let r = rng.next_f64();
            if r < 0.45 {
                // topic word, skewed towards the topic's first words
                let k = (topic_words as f64 * rng.next_f64().powi(2)) as usize;
                text.push_str(&word(common + t * topic_words + k));
            } else if r < 0.85 {
                let k = (common as f64 * rng.next_f64().powi(3)) as usize;
                text.push_str(&word(k));
            } else if r < 0.92 {
                text.push_str(["the", "and", "of", "to", "is", "in"][rng.below(6) as usize]);
            } else if r < 0.96 {
                text.push('#');
                text.push_str(&word(50_000 + t * 20 + rng.below(20) as usize));
            } else if r < 0.98 {
                text.push('@');
                text.push_str(&format!("u{}", rng.below(people as u64)));
            } else {
                text.push_str(&format!(
                    "https://www.{}.com/p/{}",
                    word(90_000 + t * 5 + rng.below(5) as usize),
                    rng.below(1000)
                ));
            }
        }
        if rng.next_f64() < 0.1 {
            text.push_str(" 🔥 2024!");
        }
        list.push(Post {
            id: i.to_string().into(),
            author: contextivity_graph::NodeId(author as u32),
            text: text.as_str().into(),
            hashtags: if rng.next_f64() < 0.2 {
                vec![word(50_000 + t * 20).into()]
            } else {
                Vec::new()
            },
            likes: Some(rng.below(100)),
            ..Post::default()
        });
    }
    graph.posts = Posts::new(list);

    let mut triples = Vec::new();
    for p in 0..people {
        let t = topic_of(p, topics);
        triples.push((HANDLE.to_string(), p as u32, format!("u{p}").into()));
        if rng.next_f64() < 0.5 {
            let bio = format!(
                "{} {} and {} #{}",
                word(common + t * topic_words + rng.below(10) as usize),
                word(rng.below(200) as usize),
                word(common + t * topic_words + rng.below(30) as usize),
                word(50_000 + t * 20 + 1)
            );
            triples.push((BIO.to_string(), p as u32, bio.into()));
        }
        if rng.next_f64() < 0.3 {
            let city = format!("city{}", (t + rng.below(2) as usize) % topics);
            triples.push(("location".to_string(), p as u32, city.into()));
        }
    }
    graph.people = People::from_triples(triples);
    graph
}
