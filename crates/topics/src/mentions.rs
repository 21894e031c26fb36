//! Mention interactions read from post text, for exports that record none.
//!
//! Many exports carry posts but no interaction table, or an interaction table without mentions
//! (a follower graph plus a timeline scrape, say). The text still says who talks to whom:
//! `@ben_codes great thread` is a mention from the author to Ben. [`derive_mentions`] finds every
//! `@handle` of every post with the same tokenizer the topic terms use, resolves it to a person
//! of the export and returns one `mention` event author → person at the post's time, weight 1.
//! [`add_derived_mentions`] adds them to the graph's interaction layer, but only when the export
//! has no `mention` event at all: recorded mentions are never doubled by derived ones.
//!
//! A handle resolves to a person when it equals (case-insensitively, without the `@`) the
//! person's `handle` attribute, or else the person's id. When several people share a handle the
//! first in id order takes it. A mention of nobody in the export, and a person mentioning
//! themself, are left out.

use std::collections::HashMap;

use contextivity_graph::interactions::NO_TIME;
use contextivity_graph::{Interaction, NodeId, SocialGraph};
use rayon::prelude::*;

use crate::tokenize::{TermKind, Tokenizer};

/// The name of the interaction kind derived mentions get.
pub const MENTION_KIND: &str = "mention";

/// What [`add_derived_mentions`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DerivedMentions {
    /// Mention events added to the interaction layer (0 when the export had mentions already).
    pub added: u64,
    /// `@handle`s in post text that named nobody in the export.
    pub unresolved: u64,
}

/// Every mention of a person of the export in post text, as `mention` events in post order,
/// and the number of `@handle`s that named nobody.
pub fn derive_mentions(graph: &SocialGraph) -> (Vec<Interaction>, u64) {
    let mut kinds = graph.interactions.kinds().clone();
    let Some(kind) = kinds.intern(MENTION_KIND) else {
        return (Vec::new(), 0);
    };
    let handles = handle_index(graph);
    let tokenizer = Tokenizer::default();
    let per_post: Vec<(Vec<Interaction>, u64)> = graph
        .posts
        .as_slice()
        .par_iter()
        .map(|post| {
            let mut events = Vec::new();
            let mut unresolved = 0u64;
            tokenizer.text(&post.text, &mut |term_kind, term| {
                if term_kind != TermKind::Mention {
                    return;
                }
                match handles.get(term.to_lowercase().as_str()) {
                    Some(&target) if target != post.author.0 => events.push(Interaction {
                        source: post.author.0,
                        target,
                        kind,
                        time: post.time.unwrap_or(NO_TIME),
                        weight: 1.0,
                    }),
                    Some(_) => {}
                    None => unresolved += 1,
                }
            });
            (events, unresolved)
        })
        .collect();
    let unresolved = per_post.iter().map(|(_, u)| u).sum();
    (
        per_post.into_iter().flat_map(|(e, _)| e).collect(),
        unresolved,
    )
}

/// Adds the mentions of post text to `graph`'s interactions when the export recorded no
/// `mention` event; otherwise leaves the graph as it is.
pub fn add_derived_mentions(graph: &mut SocialGraph) -> DerivedMentions {
    let kinds = graph.interactions.kinds().clone();
    let recorded = kinds
        .lookup(MENTION_KIND)
        .map(|k| graph.interactions.count_by_kind()[k.0 as usize])
        .unwrap_or(0);
    if recorded > 0 || graph.posts.is_empty() {
        return DerivedMentions::default();
    }
    let (events, unresolved) = derive_mentions(graph);
    if events.is_empty() {
        return DerivedMentions {
            added: 0,
            unresolved,
        };
    }
    let mut kinds = kinds;
    // The kind exists after `derive_mentions` interned it in its own copy; intern it here too.
    let _ = kinds.intern(MENTION_KIND);
    let added = events.len() as u64;
    let (layer, _) = graph.interactions.with_events(kinds, events, false);
    graph.interactions = layer;
    DerivedMentions { added, unresolved }
}

/// Lower-cased handle (without `@`) or id → person; handles first, the first person wins.
fn handle_index(graph: &SocialGraph) -> HashMap<String, u32> {
    let mut index = HashMap::with_capacity(graph.node_count() * 2);
    for u in 0..graph.node_count() {
        let node = NodeId(u as u32);
        if let Some(handle) = graph.people.handle(node) {
            let handle = handle.trim().trim_start_matches('@').to_lowercase();
            if !handle.is_empty() {
                index.entry(handle).or_insert(u as u32);
            }
        }
    }
    for u in 0..graph.node_count() {
        let id = graph.label(NodeId(u as u32)).to_lowercase();
        index.entry(id).or_insert(u as u32);
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use contextivity_graph::{BuildConfig, GraphBuilder, Post, Posts};

    fn graph(posts: &[(&str, &str, Option<i64>)], with_mention_event: bool) -> SocialGraph {
        let mut b = GraphBuilder::new(BuildConfig::default());
        let ids: Vec<NodeId> = ["ana", "ben", "cy"]
            .iter()
            .map(|p| b.node(p).unwrap())
            .collect();
        b.add_follow(ids[0], ids[1], 1.0);
        if with_mention_event {
            let mention = b.kind("mention").unwrap();
            b.add_interaction(ids[2], ids[0], mention, Some(5), 1.0);
        }
        let mut g = b.build().unwrap();
        g.people = contextivity_graph::People::from_triples(vec![
            ("handle".into(), 1, "@Ben_Codes".into()),
            ("handle".into(), 2, "cyril".into()),
        ]);
        let find = |id: &str| ["ana", "ben", "cy"].iter().position(|p| *p == id).unwrap();
        g.posts = Posts::new(
            posts
                .iter()
                .enumerate()
                .map(|(i, (author, text, time))| Post {
                    id: i.to_string().into(),
                    author: NodeId(find(author) as u32),
                    time: *time,
                    text: (*text).into(),
                    ..Post::default()
                })
                .collect(),
        );
        g
    }

    #[test]
    fn handles_and_ids_resolve_case_insensitively() {
        let mut g = graph(
            &[
                ("ana", "thanks @ben_codes and @CYRIL!", Some(100)),
                ("ben", "@ana see @nobody", None),
                ("cy", "talking to myself @cyril", Some(7)),
            ],
            false,
        );
        let done = add_derived_mentions(&mut g);
        assert_eq!(
            done,
            DerivedMentions {
                added: 3,
                unresolved: 1
            }
        );
        let mention = g.interactions.kinds().lookup("mention").unwrap();
        let events: Vec<(u32, u32, i64)> = g
            .interactions
            .iter()
            .filter(|e| e.kind == mention)
            .map(|e| (e.source, e.target, e.time))
            .collect();
        assert_eq!(events, vec![(0, 1, 100), (0, 2, 100), (1, 0, NO_TIME)]);
    }

    #[test]
    fn recorded_mentions_are_never_doubled() {
        let mut g = graph(&[("ana", "hi @ben_codes", Some(1))], true);
        let before = g.interactions.clone();
        assert_eq!(add_derived_mentions(&mut g), DerivedMentions::default());
        assert_eq!(g.interactions, before);
    }

    #[test]
    fn repeated_mentions_merge_like_loaded_duplicates() {
        let mut g = graph(
            &[
                ("ana", "@ben_codes @ben_codes", Some(3)),
                ("ana", "@ben_codes", Some(3)),
            ],
            false,
        );
        assert_eq!(add_derived_mentions(&mut g).added, 3);
        assert_eq!(g.interactions.event_count(), 1);
        assert_eq!(g.interactions.counts(), &[3]);
        assert_eq!(g.interactions.weights(), &[3.0]);
    }
}
