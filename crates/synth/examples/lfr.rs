//! Generates the LFR graph of the peer benchmarks' largest case and prints what it took, as JSON.
//!
//! 1,000,000 nodes, ⟨k⟩ 20, k_max 100, μ 0.4, τ1 2, τ2 1, communities of 50–1000 nodes:
//!
//! ```text
//! cargo run --release -p contextivity-synth --example lfr            # 1M nodes, seed 42
//! cargo run --release -p contextivity-synth --example lfr -- 100000 7 # nodes, seed
//! ```
//!
//! The rayon pool follows `RAYON_NUM_THREADS`.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

use std::time::Instant;

use contextivity_synth::{generate, LfrParams};

fn main() {
    let mut args = std::env::args().skip(1);
    let nodes = args
        .next()
        .map_or(Ok(1_000_000), |a| a.parse::<usize>())
        .unwrap_or_else(|e| fail(&format!("nodes: {e}")));
    let seed = args
        .next()
        .map_or(Ok(42), |a| a.parse::<u64>())
        .unwrap_or_else(|e| fail(&format!("seed: {e}")));
    let params = LfrParams {
        seed,
        ..LfrParams::benchmark(nodes, 0.4)
    };
    let start = Instant::now();
    let graph = generate(&params).unwrap_or_else(|e| fail(&e.to_string()));
    let seconds = start.elapsed().as_secs_f64();
    let s = &graph.stats;
    println!(
        "{{\"nodes\":{},\"edges\":{},\"seconds\":{:.3},\"threads\":{},\"seed\":{},\
         \"mixing\":{},\"realised_mixing\":{:.5},\"mean_node_mixing\":{:.5},\
         \"mean_degree\":{:.4},\"min_degree\":{},\"max_degree\":{},\"degree_cutoff\":{},\
         \"communities\":{},\"switches\":{},\"dropped_edges\":{},\"stubs_moved_out\":{},\
         \"dense_rebuilds\":{},\"size_draws\":{}}}",
        graph.nodes,
        graph.edges.len(),
        seconds,
        rayon::current_num_threads(),
        seed,
        params.mixing,
        graph.realised_mixing,
        s.mean_node_mixing,
        s.mean_degree,
        s.min_degree,
        s.max_degree,
        s.degree_cutoff,
        s.communities,
        s.switches,
        s.dropped_edges,
        s.stubs_moved_out,
        s.dense_rebuilds,
        s.size_draws,
    );
}

fn fail(message: &str) -> ! {
    eprintln!("lfr example: {message}");
    std::process::exit(2)
}
