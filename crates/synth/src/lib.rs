//! # contextivity-synth
//!
//! Generators of synthetic graphs with known structure, to measure clustering against a truth.
//!
//! - [`lfr`]: the LFR benchmark of Lancichinetti, Fortunato & Radicchi (PRE 78, 046110, 2008) —
//!   power-law degrees and community sizes, a mixing parameter μ, and the planted partition;
//! - [`params`]: [`LfrParams`], its documented defaults and validation;
//! - [`havel_hakimi`]: the exact construction used for dense communities;
//! - [`powerlaw`]: bounded discrete power laws and the degree cut-off that gives a chosen mean;
//! - [`error`]: [`LfrError`], which names the parameter to change;
//! - [`social`]: synthetic social exports (people, follows, posts, interactions) with planted
//!   contexts, overlap, celebrities and a tie-dependent engagement model.
//!
//! The crate computes and returns values only; writing edge lists and ground-truth files is the
//! binary's job (through `contextivity-formats`). Output is a pure function of the parameters,
//! seed included, whatever the size of the rayon pool.
//!
//! ```
//! use contextivity_synth::{generate, LfrParams};
//!
//! let params = LfrParams {
//!     nodes: 500,
//!     avg_degree: 10.0,
//!     max_degree: 30,
//!     mixing: 0.2,
//!     min_community: Some(20),
//!     max_community: Some(60),
//!     seed: 7,
//!     ..LfrParams::default()
//! };
//! let graph = generate(&params)?;
//! assert_eq!(graph.communities.len(), 500);
//! assert!((graph.realised_mixing - 0.2).abs() < 0.05);
//! assert!(graph.edges.sources.iter().zip(&graph.edges.targets).all(|(u, v)| u < v));
//! # Ok::<(), contextivity_synth::LfrError>(())
//! ```

#![warn(missing_docs)]

mod communities;
pub mod error;
pub mod havel_hakimi;
pub mod lfr;
pub mod params;
pub mod powerlaw;
mod rewire;
pub mod social;

pub use error::LfrError;
pub use lfr::{generate, LfrGraph, LfrStats};
pub use params::LfrParams;
