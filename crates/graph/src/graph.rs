//! [`SocialGraph`]: everything one export says, in compact form.

use std::collections::BTreeMap;

use petgraph::unionfind::UnionFind;
use serde::{Deserialize, Serialize};

use crate::csr::Csr;
use crate::ids::NodeId;
use crate::interactions::InteractionLayer;
use crate::labels::LabelTable;
use crate::partition::Cover;
use crate::people::People;
use crate::posts::Posts;

/// Who follows whom: the directed follow layer with out- and in-adjacency.
///
/// An undirected source (a friendship list such as SNAP's Facebook graph) is stored as a mutual
/// follow for every edge: the out-adjacency is symmetric and serves as the in-adjacency too.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FollowLayer {
    out: Csr,
    inn: Option<Csr>,
}

impl FollowLayer {
    /// A directed layer: `out` holds follower → followee; the in-adjacency is derived.
    pub fn directed(out: Csr) -> Self {
        let inn = Some(out.transpose());
        FollowLayer { out, inn }
    }

    /// An undirected layer from a symmetric CSR (every tie mutual).
    pub fn undirected(symmetric: Csr) -> Self {
        FollowLayer {
            out: symmetric,
            inn: None,
        }
    }

    /// Whether the layer came from an undirected source.
    pub fn is_undirected(&self) -> bool {
        self.inn.is_none()
    }

    /// follower → followee adjacency.
    pub fn out(&self) -> &Csr {
        &self.out
    }

    /// followee → follower adjacency.
    pub fn inn(&self) -> &Csr {
        self.inn.as_ref().unwrap_or(&self.out)
    }

    /// Number of follow relations: arcs of a directed layer; for an undirected layer, the number
    /// of undirected ties counted once each.
    pub fn edge_count(&self) -> usize {
        if self.is_undirected() {
            let loops = (0..self.out.node_count())
                .filter(|&u| self.out.neighbors(u).binary_search(&(u as u32)).is_ok())
                .count();
            (self.out.entry_count() - loops) / 2 + loops
        } else {
            self.out.entry_count()
        }
    }

    /// Reciprocity: the share of follow arcs `u → v` whose reverse `v → u` also exists
    /// (1 for an undirected layer; 0 when there are no arcs).
    pub fn reciprocity(&self) -> f64 {
        let arcs = self.out.entry_count();
        if arcs == 0 {
            return 0.0;
        }
        if self.is_undirected() {
            return 1.0;
        }
        let mutual = (0..self.out.node_count())
            .map(|u| {
                self.out
                    .neighbors(u)
                    .iter()
                    .filter(|&&v| self.out.weight_between(v as usize, u as u32).is_some())
                    .count()
            })
            .sum::<usize>();
        mutual as f64 / arcs as f64
    }

    /// Bytes held by the adjacency arrays.
    pub fn heap_bytes(&self) -> usize {
        self.out.heap_bytes() + self.inn.as_ref().map_or(0, |c| c.heap_bytes())
    }
}

/// What loading merged, dropped or skipped, so that a user can see what the numbers rest on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadSummary {
    /// Follow edges merged into an earlier copy (weights summed).
    pub follow_duplicates_merged: u64,
    /// Follow self-loops left out.
    pub follow_self_loops_dropped: u64,
    /// Interaction events merged into an identical earlier one.
    pub interaction_duplicates_merged: u64,
    /// Interactions of a person with themself, left out.
    pub interaction_self_loops_dropped: u64,
    /// Records skipped under `--on-error skip`, by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Notes the readers left (for example how a format's fields were mapped).
    pub notes: Vec<String>,
}

/// One loaded export: people, their follows, interactions, attributes, posts and any ground truth.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SocialGraph {
    /// The export's id of every person, by [`NodeId`].
    pub labels: LabelTable,
    /// Attributes of people (handle, bio, follower count, profile features…).
    pub people: People,
    /// Who follows whom.
    pub follows: FollowLayer,
    /// Replies, mentions, reposts, likes, clicks and other interactions.
    pub interactions: InteractionLayer,
    /// Posts with their engagement.
    pub posts: Posts,
    /// Communities known in advance (ego circles, planted contexts, labelled factions).
    pub truth: Option<Cover>,
    /// What loading merged, dropped or skipped.
    pub summary: LoadSummary,
}

impl SocialGraph {
    /// Number of people.
    pub fn node_count(&self) -> usize {
        self.labels.len()
    }

    /// The export's id of `node`.
    pub fn label(&self, node: NodeId) -> &str {
        self.labels.get(node)
    }

    /// Weakly connected components of follows and interactions together, as a component number
    /// per person (numbered by smallest member) plus the number of components. Isolated people
    /// form components of their own.
    pub fn weak_components(&self) -> (Vec<u32>, usize) {
        let n = self.node_count();
        let mut uf: UnionFind<u32> = UnionFind::new(n);
        for (u, v, _) in self.follows.out().iter() {
            uf.union(u, v);
        }
        for e in self.interactions.iter() {
            uf.union(e.source, e.target);
        }
        let mut number = vec![u32::MAX; n];
        let mut label = vec![0u32; n];
        let mut count = 0u32;
        for u in 0..n as u32 {
            let root = uf.find(u) as usize;
            if number[root] == u32::MAX {
                number[root] = count;
                count += 1;
            }
            label[u as usize] = number[root];
        }
        (label, count as usize)
    }

    /// Bytes held by the adjacency arrays of both layers.
    pub fn adjacency_bytes(&self) -> usize {
        self.follows.heap_bytes()
            + self.interactions.event_count() * (4 + 2 + 8 + 4 + 4)
            + self.interactions.offsets().len() * 8
    }
}
