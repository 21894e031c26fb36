//! Runs Leiden or Louvain iterations until the configured stop, then finishes the partition.
//!
//! Iteration `t + 1` starts from the partition of iteration `t` (as leidenalg's
//! `n_iterations`); quality never decreases from one iteration to the next, because local
//! moving only applies strictly improving moves and aggregation preserves quality. The run stops
//! after `max_iterations`, or — when that is `None` — once an iteration moves no node or
//! improves quality by less than `iteration_tolerance` (relative). Leiden then splits any
//! community that is not connected (see [`crate::leiden::components`]).

use crate::config::{Algorithm, ClusterConfig};
use crate::hierarchy::LevelTrace;
use crate::leiden::{
    components, renumber, run_iteration, Adjacency, NodeWeights, Params, ScratchPool,
};

/// The raw outcome of [`optimise`].
pub(crate) struct Optimised {
    /// Dense labels over the graph's nodes.
    pub(crate) labels: Vec<u32>,
    /// Levels of the last iteration.
    pub(crate) trace: LevelTrace,
    /// Iterations run.
    pub(crate) iterations: u32,
}

/// The phase parameters of `config` with the objective's effective resolution `gamma`.
pub(crate) fn params(config: &ClusterConfig, gamma: f64) -> Params {
    Params {
        gamma,
        theta: config.randomness,
        move_tolerance: config.move_tolerance,
        refine: config.algorithm == Algorithm::Leiden,
        max_levels: config.max_levels,
        seed: config.seed,
    }
}

/// Runs iterations on `graph`; `quality` evaluates dense labels (used only to decide whether to
/// continue when `max_iterations` is `None`).
pub(crate) fn optimise<G: Adjacency>(
    graph: &G,
    weights: &NodeWeights,
    params: &Params,
    max_iterations: Option<u32>,
    iteration_tolerance: f64,
    quality: impl Fn(&[u32], usize) -> f64,
) -> Optimised {
    let pool = ScratchPool::new();
    let mut labels: Option<Vec<u32>> = None;
    let mut trace: LevelTrace;
    let mut iterations = 0u32;
    let mut previous = f64::NEG_INFINITY;
    loop {
        let out = run_iteration(graph, weights, labels.take(), params, iterations, &pool);
        iterations += 1;
        trace = out.trace;
        let mut current = out.labels;
        let stop = match max_iterations {
            _ if !out.moved => true,
            Some(max) => iterations >= max,
            None => {
                let k = renumber(&mut current);
                let q = quality(&current, k);
                let stop = q - previous <= iteration_tolerance * q.abs().max(1e-300);
                previous = q;
                stop
            }
        };
        labels = Some(current);
        if stop {
            break;
        }
    }
    let mut labels = labels.unwrap_or_else(|| (0..graph.node_count() as u32).collect());
    let k = renumber(&mut labels);
    if params.refine {
        components::split_disconnected(graph, &mut labels, k);
    }
    Optimised {
        labels,
        trace,
        iterations,
    }
}
