//! The map equation: communities as the modules that best compress a random walk.
//!
//! A random walker moving along the links of a graph spends long stretches inside communities.
//! The two-level map equation (Rosvall & Bergstrom, "Maps of random walks on complex networks
//! reveal community structure", PNAS 105, 2008) measures how many bits per step it takes to
//! describe that walk with one codebook per module plus an index codebook for moves between
//! modules; the partition with the shortest description is the community structure. Unlike
//! modularity it has no resolution limit that merges small planted communities, which is why
//! map-equation methods recover LFR benchmarks exactly where modularity stops short.
//!
//! # Method
//!
//! The objective is in [`objective`](self) terms `L(M)` (see [`codelength`]), optimised in a
//! Louvain framework as networkit's `LouvainMapEquation` does, with Infomap's fine-tuning:
//!
//! 1. **Flow.** Undirected: visit rate `p_α = s_α / 2W`, flow `w / 2W` on each link direction.
//!    Directed ([`optimize_directed`]): PageRank with *unrecorded* teleportation to links, Infomap's
//!    default directed model — teleportation decides the stationary distribution but is not coded.
//! 2. **Local moving.** Nodes move to the neighbouring module with the most negative exact change
//!    in codelength, computed in `O(1)` per candidate from module flow, exit and enter flow. Moves
//!    are proposed in parallel against a frozen state in fixed-size batches of a seeded random
//!    order, then re-checked and committed one by one in batch order, so every accepted move
//!    lowers the codelength and the outcome does not depend on the number of threads.
//! 3. **Aggregation.** Modules become the nodes of a coarser flow graph; repeat 2–3 until no node
//!    moves.
//! 4. **Fine-tuning.** The original nodes move again between the modules found (repairing
//!    misplacements made on coarse levels), then coarsening resumes from the tuned modules; up to
//!    `tune_rounds` times, while anything moves.
//!
//! Randomness is drawn only through `Rng::derive(seed, run, 0)` (one node order per local-moving
//! run), so a seed fixes the result.
//!
//! # Complexity
//!
//! Each local-moving pass is `O(m)` expected work over the active nodes (parallel), plus
//! sequential commits linear in the degrees of the proposing nodes; aggregation is `O(m)`. Levels
//! shrink geometrically in practice, so a run costs `O(m · passes)`; memory is `O(n + m)` beyond
//! the input (level 0 borrows the input adjacency). Directed flow adds `O(m)` per PageRank step.
//!
//! # Example
//!
//! ```
//! use contextivity_cluster::map::{optimize, MapEquationConfig};
//! use contextivity_graph::{EdgeList, UndirectedGraph};
//!
//! // Two triangles joined by one edge.
//! let mut edges = EdgeList::new();
//! for (u, v) in [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5), (2, 3)] {
//!     edges.push(u, v, 1.0);
//! }
//! let graph = UndirectedGraph::from_edges(6, &edges)?;
//! let result = optimize(&graph, &MapEquationConfig::default());
//! assert_eq!(result.partition.cluster_count(), 2);
//! assert!(result.codelength < result.one_level_codelength);
//! # Ok::<(), contextivity_graph::GraphError>(())
//! ```

mod flow;
mod local_moving;
mod objective;
pub(crate) mod table;
#[cfg(test)]
mod tests;

use contextivity_graph::{Csr, Partition, UndirectedGraph};
use serde::{Deserialize, Serialize};

use flow::FlowGraph;
use local_moving::{local_moving, MoveParams};
use objective::{module_stats, plogp, singleton_stats};

pub use flow::{MAX_PAGERANK_ITERATIONS, PAGERANK_TOLERANCE};
pub use local_moving::{batch_size, MAX_BATCH, MIN_BATCH, MIN_IMPROVEMENT};

/// Default seed.
pub const DEFAULT_SEED: u64 = 42;
/// Default cap on local-moving passes per level.
pub const DEFAULT_MAX_PASSES: u32 = 32;
/// Default cap on aggregation levels per coarsening round.
pub const DEFAULT_MAX_LEVELS: u32 = 64;
/// Default number of fine-tuning rounds.
pub const DEFAULT_TUNE_ROUNDS: u32 = 2;
/// Default teleportation probability of directed flow (Infomap's and PageRank's 0.15).
pub const DEFAULT_TELEPORTATION: f64 = 0.15;

/// How the random walker's flow is derived from the graph.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Flow {
    /// Flow proportional to link weight: `p_α = s_α / 2W`, `w / 2W` per link direction.
    Undirected,
    /// PageRank flow with unrecorded teleportation to links (see [`optimize_directed`]).
    Directed {
        /// Probability of teleporting at each step, in `[0, 1]` (default
        /// [`DEFAULT_TELEPORTATION`]).
        teleportation: f64,
    },
}

/// Parameters of the map-equation optimiser; also the parameters block of a report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapEquationConfig {
    /// Seed of every random choice (node orders); default [`DEFAULT_SEED`].
    pub seed: u64,
    /// Local-moving sweeps per level at most; default [`DEFAULT_MAX_PASSES`].
    pub max_passes: u32,
    /// Flow model; default [`Flow::Undirected`].
    pub flow: Flow,
    /// Aggregation levels per coarsening round at most; default [`DEFAULT_MAX_LEVELS`].
    pub max_levels: u32,
    /// Fine-tuning rounds (node-level moves between the modules found, then further coarsening);
    /// default [`DEFAULT_TUNE_ROUNDS`]; 0 is plain Louvain-style optimisation.
    pub tune_rounds: u32,
}

impl Default for MapEquationConfig {
    fn default() -> Self {
        MapEquationConfig {
            seed: DEFAULT_SEED,
            max_passes: DEFAULT_MAX_PASSES,
            flow: Flow::Undirected,
            max_levels: DEFAULT_MAX_LEVELS,
            tune_rounds: DEFAULT_TUNE_ROUNDS,
        }
    }
}

/// What the optimiser found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapEquationResult {
    /// The modules, numbered canonically ([`Partition::canonical`]).
    pub partition: Partition,
    /// Two-level codelength of `partition`, in bits per step.
    pub codelength: f64,
    /// Codelength with all nodes in one module: the entropy of the visit rates.
    pub one_level_codelength: f64,
    /// Aggregation levels built over the whole run (coarsening levels of every round).
    pub levels: usize,
}

/// Finds modules of `graph` minimising the two-level map equation.
///
/// With [`Flow::Directed`] the graph is read as a directed graph with both directions of every
/// edge and handed to [`optimize_directed`]. Nodes without links stay alone; when no split
/// compresses the walk every linked node is in one module, as in Infomap. Weights are expected non-negative (the crate's entry point validates them); flow is
/// undefined otherwise. Deterministic for a given seed at any thread count.
pub fn optimize(graph: &UndirectedGraph, config: &MapEquationConfig) -> MapEquationResult {
    match config.flow {
        Flow::Undirected => run(&FlowGraph::from_undirected(graph), config),
        Flow::Directed { .. } => optimize_directed(graph.csr(), config),
    }
}

/// Finds modules of the directed graph `out` (row `u` lists the links `u → v`).
///
/// Flow is PageRank with teleportation probability `τ` (from [`Flow::Directed`], clamped to
/// `[0, 1]`, a non-finite value read as [`DEFAULT_TELEPORTATION`]; else the default), teleporting to links (proportionally to out-strength), and
/// **unrecorded**, like Infomap's default directed model: teleportation steps shape the
/// stationary distribution but are not coded, so the walker's flow lives on the links only and
/// modules are not rewarded for teleportation into them. Codelengths use module enter flow in
/// the index codebook and exit flow in the module codebooks.
pub fn optimize_directed(out: &Csr, config: &MapEquationConfig) -> MapEquationResult {
    let teleportation = match config.flow {
        Flow::Directed { teleportation } => teleportation,
        Flow::Undirected => DEFAULT_TELEPORTATION,
    };
    run(&FlowGraph::from_directed(out, teleportation), config)
}

/// The two-level map equation `L(M)` of `partition` on `graph` with undirected flow, in bits:
///
/// ```text
/// L(M) = plogp(q) − 2 Σ_i plogp(q_i) − Σ_α plogp(p_α) + Σ_i plogp(q_i + p_i)
/// ```
///
/// with `p_α = s_α / 2W`, `p_i = Σ_{α∈i} p_α`, exit flow `q_i` = weight of the edges leaving
/// module `i` over `2W`, `q = Σ_i q_i` and `plogp(x) = x log₂ x`. `O(n + m)`.
///
/// # Panics
///
/// If `partition` does not have one entry per node of `graph`.
pub fn codelength(graph: &UndirectedGraph, partition: &Partition) -> f64 {
    assert_eq!(
        partition.len(),
        graph.node_count(),
        "the partition must assign every node of the graph"
    );
    let level0 = FlowGraph::from_undirected(graph);
    partition_codelength(&level0, partition.assignment(), partition.cluster_count())
}

/// `L` of dense module ids `module` (`0..k`) on a level-0 flow graph.
fn partition_codelength(level0: &FlowGraph<'_>, module: &[u32], k: usize) -> f64 {
    let node_term: f64 = level0.node_flow.iter().map(|&p| plogp(p)).sum();
    module_stats(level0, module, k).codelength(node_term)
}

/// Renumbers `labels` densely in order of first appearance; returns the new labels and count.
fn relabel(labels: &[u32]) -> (Vec<u32>, usize) {
    let bound = labels.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
    let mut map = vec![u32::MAX; bound];
    let mut next = 0u32;
    let out = labels
        .iter()
        .map(|&l| {
            let slot = &mut map[l as usize];
            if *slot == u32::MAX {
                *slot = next;
                next += 1;
            }
            *slot
        })
        .collect();
    (out, next as usize)
}

/// Coarsening rounds and fine-tuning on a level-0 flow graph.
fn run(level0: &FlowGraph<'_>, config: &MapEquationConfig) -> MapEquationResult {
    let n = level0.node_count();
    let node_term: f64 = level0.node_flow.iter().map(|&p| plogp(p)).sum();
    let mut assignment: Vec<u32> = (0..n as u32).collect();
    let mut k = n;
    let mut coarse: Option<FlowGraph<'static>> = None;
    let mut levels = 0usize;
    let mut stream = 0u64;
    let params = |stream: &mut u64| {
        *stream += 1;
        MoveParams {
            seed: config.seed,
            stream: *stream,
            max_passes: config.max_passes,
        }
    };
    for round in 0..=config.tune_rounds {
        for _ in 0..config.max_levels {
            let graph = coarse.as_ref().unwrap_or(level0);
            let mut module: Vec<u32> = (0..graph.node_count() as u32).collect();
            let mut mods = singleton_stats(graph);
            if local_moving(graph, &mut module, &mut mods, params(&mut stream)) == 0 {
                break;
            }
            let (dense, next_k) = relabel(&module);
            for a in assignment.iter_mut() {
                *a = dense[*a as usize];
            }
            let next = graph.aggregate(&dense, next_k);
            coarse = Some(next);
            k = next_k;
            levels += 1;
            if k <= 1 {
                break;
            }
        }
        if round == config.tune_rounds || k <= 1 {
            break;
        }
        let mut mods = module_stats(level0, &assignment, k);
        if local_moving(level0, &mut assignment, &mut mods, params(&mut stream)) == 0 {
            break;
        }
        let (dense, next_k) = relabel(&assignment);
        assignment = dense;
        k = next_k;
        coarse = Some(level0.aggregate(&assignment, k));
    }
    let mut codelength = module_stats(level0, &assignment, k).codelength(node_term);
    // Like Infomap, prefer one module when the modular description does not compress the walk
    // (a graph without structure). Nodes without links carry no flow and stay alone.
    if codelength >= -node_term && k > 1 && node_term != 0.0 {
        let labels: Vec<u32> = (0..n)
            .map(|u| {
                if level0.degree(u) == 0 {
                    u as u32 + 1
                } else {
                    0
                }
            })
            .collect();
        assignment = relabel(&labels).0;
        codelength = -node_term;
    }
    MapEquationResult {
        codelength,
        one_level_codelength: -node_term,
        partition: Partition::canonical(&assignment),
        levels,
    }
}
