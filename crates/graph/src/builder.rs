//! [`GraphBuilder`]: what every reader feeds, and the one place that turns records into a
//! [`SocialGraph`].
//!
//! Readers parse their format, intern the ids they meet and push follows, interactions,
//! attributes, posts and ground-truth communities. [`GraphBuilder::build`] then lays out the CSR
//! layers in parallel and records what it merged or dropped. Fast readers that already produce
//! dense ids skip the interner with [`GraphBuilder::from_dense_follows`].

use crate::csr::{BuildOptions, Csr, EdgeList};
use crate::error::GraphError;
use crate::graph::{FollowLayer, LoadSummary, SocialGraph};
use crate::ids::NodeId;
use crate::interactions::{Interaction, InteractionLayer, KindId, KindTable, NO_TIME};
use crate::labels::{Interner, LabelTable};
use crate::partition::Cover;
use crate::people::People;
use crate::posts::{Post, Posts};

/// Choices that shape the built graph.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BuildConfig {
    /// Keep self-loops (a person following or answering themself) instead of dropping them.
    pub keep_self_loops: bool,
    /// Treat every follow edge as a mutual tie (friendship lists, undirected edge lists).
    pub undirected_follows: bool,
}

/// Collects records, then builds a [`SocialGraph`].
#[derive(Debug, Default)]
pub struct GraphBuilder {
    config: BuildConfig,
    interner: Interner,
    follows: EdgeList,
    kinds: KindTable,
    interactions: Vec<Interaction>,
    attributes: Vec<(String, u32, Box<str>)>,
    posts: Vec<Post>,
    truth: Vec<(String, Vec<u32>)>,
    summary: LoadSummary,
}

impl GraphBuilder {
    /// An empty builder.
    pub fn new(config: BuildConfig) -> Self {
        GraphBuilder {
            config,
            ..Default::default()
        }
    }

    /// A builder that starts from follows already numbered densely, labelled by `labels`.
    pub fn from_dense_follows(config: BuildConfig, labels: LabelTable, follows: EdgeList) -> Self {
        GraphBuilder {
            config,
            interner: Interner::from_table(labels),
            follows,
            ..Default::default()
        }
    }

    /// The build configuration.
    pub fn config(&self) -> BuildConfig {
        self.config
    }

    /// Changes whether follows are undirected.
    pub fn set_undirected_follows(&mut self, undirected: bool) {
        self.config.undirected_follows = undirected;
    }

    /// The id of the person called `label`, adding them if new.
    pub fn node(&mut self, label: &str) -> Result<NodeId, GraphError> {
        self.interner.intern(label)
    }

    /// The id of `label` if that person was already added.
    pub fn lookup(&self, label: &str) -> Option<NodeId> {
        self.interner.lookup(label)
    }

    /// Number of people so far.
    pub fn node_count(&self) -> usize {
        self.interner.len()
    }

    /// Records that `follower` follows `followee` (weight 1 unless the export says otherwise).
    pub fn add_follow(&mut self, follower: NodeId, followee: NodeId, weight: f32) {
        self.follows.push(follower.0, followee.0, weight);
    }

    /// Number of follow records so far (before merging).
    pub fn follow_records(&self) -> usize {
        self.follows.len()
    }

    /// The id of interaction kind `name`, adding it as a custom kind if new.
    pub fn kind(&mut self, name: &str) -> Result<KindId, GraphError> {
        self.kinds
            .intern(name)
            .ok_or_else(|| GraphError::InvalidCsr("more than 65,536 interaction kinds".into()))
    }

    /// Records an interaction event; `time` in seconds since the Unix epoch.
    pub fn add_interaction(
        &mut self,
        source: NodeId,
        target: NodeId,
        kind: KindId,
        time: Option<i64>,
        weight: f32,
    ) {
        self.interactions.push(Interaction {
            source: source.0,
            target: target.0,
            kind,
            time: time.unwrap_or(NO_TIME),
            weight,
        });
    }

    /// Number of interaction records so far (before merging).
    pub fn interaction_records(&self) -> usize {
        self.interactions.len()
    }

    /// Gives `node` the value `value` in attribute column `column` (several values may accumulate).
    pub fn set_attribute(&mut self, node: NodeId, column: &str, value: &str) {
        self.attributes
            .push((column.to_string(), node.0, Box::from(value)));
    }

    /// Adds a post.
    pub fn add_post(&mut self, post: Post) {
        self.posts.push(post);
    }

    /// Number of posts so far.
    pub fn post_count(&self) -> usize {
        self.posts.len()
    }

    /// Adds a ground-truth community.
    pub fn add_truth_community(&mut self, name: &str, members: Vec<NodeId>) {
        self.truth
            .push((name.to_string(), members.into_iter().map(|m| m.0).collect()));
    }

    /// Counts one record skipped for `reason` (under a skip policy).
    pub fn count_skipped(&mut self, reason: &str) {
        *self.summary.skipped.entry(reason.to_string()).or_default() += 1;
    }

    /// Leaves a note for the load summary.
    pub fn note(&mut self, text: impl Into<String>) {
        self.summary.notes.push(text.into());
    }

    /// Lays out the layers and returns the graph.
    pub fn build(self) -> Result<SocialGraph, GraphError> {
        let n = self.interner.len();
        let mut summary = self.summary;
        let options = BuildOptions {
            symmetric: self.config.undirected_follows,
            keep_self_loops: self.config.keep_self_loops,
        };
        let (csr, stats) = Csr::from_edge_list(n, self.follows, options)?;
        summary.follow_duplicates_merged = stats.duplicates_merged;
        summary.follow_self_loops_dropped = stats.self_loops_dropped;
        let follows = if self.config.undirected_follows {
            FollowLayer::undirected(csr)
        } else {
            FollowLayer::directed(csr)
        };
        let (interactions, istats) = InteractionLayer::build(
            n,
            self.kinds,
            self.interactions,
            self.config.keep_self_loops,
        );
        summary.interaction_duplicates_merged = istats.duplicates_merged;
        summary.interaction_self_loops_dropped = istats.self_loops_dropped;
        let truth = if self.truth.is_empty() {
            None
        } else {
            let (names, communities): (Vec<String>, Vec<Vec<u32>>) = self.truth.into_iter().unzip();
            Some(Cover::with_names(n, communities, names))
        };
        Ok(SocialGraph {
            labels: self.interner.into_table(),
            people: People::from_triples(self.attributes),
            follows,
            interactions,
            posts: Posts::new(self.posts),
            truth,
            summary,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_layers_people_posts_and_truth() {
        let mut b = GraphBuilder::new(BuildConfig::default());
        let a = b.node("alice").unwrap();
        let c = b.node("carol").unwrap();
        let d = b.node("dave").unwrap();
        b.add_follow(a, c, 1.0);
        b.add_follow(c, a, 1.0);
        b.add_follow(a, c, 1.0);
        b.add_follow(d, d, 1.0);
        let reply = b.kind("reply").unwrap();
        b.add_interaction(c, a, reply, Some(10), 1.0);
        b.set_attribute(a, "bio", "hi");
        b.add_post(Post {
            id: "p1".into(),
            author: a,
            ..Default::default()
        });
        b.add_truth_community("x", vec![a, c]);
        let g = b.build().unwrap();
        assert_eq!(g.node_count(), 3);
        assert_eq!(g.follows.edge_count(), 2);
        assert_eq!(g.follows.reciprocity(), 1.0);
        assert_eq!(g.follows.inn().neighbors(0), &[1]);
        assert_eq!(g.summary.follow_duplicates_merged, 1);
        assert_eq!(g.summary.follow_self_loops_dropped, 1);
        assert_eq!(g.interactions.event_count(), 1);
        assert_eq!(g.people.bio(a), Some("hi"));
        assert_eq!(g.posts.len(), 1);
        assert_eq!(g.truth.as_ref().unwrap().communities()[0], vec![0, 1]);
        let (_, components) = g.weak_components();
        assert_eq!(components, 2);
    }

    #[test]
    fn undirected_follows_are_mutual() {
        let mut b = GraphBuilder::new(BuildConfig {
            undirected_follows: true,
            ..Default::default()
        });
        let x = b.node("x").unwrap();
        let y = b.node("y").unwrap();
        b.add_follow(x, y, 1.0);
        b.add_follow(y, x, 1.0);
        let g = b.build().unwrap();
        assert!(g.follows.is_undirected());
        assert_eq!(g.follows.edge_count(), 1);
        assert_eq!(g.summary.follow_duplicates_merged, 1);
        assert_eq!(g.follows.reciprocity(), 1.0);
    }
}
