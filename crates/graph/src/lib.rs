//! # contextivity-graph
//!
//! The in-memory model every other part of contextivity stands on: a social export as compact,
//! typed, deterministic data.
//!
//! - [`ids`]: `NodeId` and `ClusterId`, dense 32-bit ids that cannot be mixed up;
//! - [`csr`]: compressed sparse rows built in parallel — the layout of every hot loop;
//! - [`labels`]: the export's own ids ↔ dense ids;
//! - [`graph`]: [`SocialGraph`] with its follow layer ([`graph::FollowLayer`]), interaction
//!   layer ([`interactions::InteractionLayer`]), people ([`people::People`]), posts
//!   ([`posts::Posts`]) and ground truth;
//! - [`builder`]: [`GraphBuilder`], what every reader feeds;
//! - [`view`]: the undirected weighted view clustering runs on, and the policy that combines
//!   follows and interactions;
//! - [`partition`]: partitions and covers as plain data;
//! - [`snapshot`]: the versioned binary snapshot;
//! - [`interop`]: conversions to and from petgraph;
//! - [`rng`]: the project's reproducible random generator;
//! - [`hint`]: cache prefetch hints for loops over rows of random nodes.
//!
//! ```
//! use contextivity_graph::{BuildConfig, GraphBuilder, ViewPolicy, clustering_view};
//!
//! let mut b = GraphBuilder::new(BuildConfig::default());
//! let alice = b.node("alice")?;
//! let bob = b.node("bob")?;
//! b.add_follow(alice, bob, 1.0);
//! b.add_follow(bob, alice, 1.0);
//! let graph = b.build()?;
//! assert_eq!(graph.follows.reciprocity(), 1.0);
//! let view = clustering_view(&graph, &ViewPolicy::default())?;
//! assert_eq!(view.csr().weight_between(0, 1), Some(2.0)); // a mutual follow weighs 2
//! # Ok::<(), contextivity_graph::GraphError>(())
//! ```

#![warn(missing_docs)]

pub mod builder;
pub mod csr;
mod csr_build;
pub mod error;
pub mod graph;
pub mod hint;
pub mod ids;
pub mod interactions;
pub mod interop;
pub mod labels;
pub mod packed;
pub mod partition;
pub mod people;
pub mod posts;
pub mod rng;
pub mod snapshot;
pub mod stats;
pub mod view;

pub use builder::{BuildConfig, GraphBuilder};
pub use csr::{BuildOptions, Csr, EdgeList};
pub use error::GraphError;
pub use graph::{FollowLayer, LoadSummary, SocialGraph};
pub use ids::{ClusterId, NodeId};
pub use interactions::{Interaction, InteractionLayer, KindId, KindTable};
pub use labels::{Interner, LabelTable};
pub use partition::{Cover, Partition};
pub use people::People;
pub use posts::{Post, Posts};
pub use rng::Rng;
pub use snapshot::SnapshotError;
pub use stats::GraphStats;
pub use view::{clustering_view, UndirectedGraph, ViewPolicy};
