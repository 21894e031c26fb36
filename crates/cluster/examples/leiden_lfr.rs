//! Times Leiden and Louvain on an edge-list file, the way the peers were timed.
//!
//! ```text
//! cargo run --release -p contextivity-cluster --example leiden_lfr -- GRAPH.edges[.gz] [THREADS] [ALGO] [ITERATIONS]
//! ```
//!
//! `ALGO` is `leiden` (default), `louvain` or `cpm:<γ>`; `ITERATIONS` a number or `until`
//! (run until stable). Prints one JSON line: load and cluster seconds, quality, number of
//! communities and the peak resident memory of the process.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::io::Read;
use std::time::Instant;

use contextivity_cluster::{cluster, Algorithm, ClusterConfig, Objective};
use contextivity_graph::{EdgeList, UndirectedGraph};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// User + system CPU seconds of the process so far.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit(')').next()?.to_string();
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(f64::NAN)
}

fn load(path: &str) -> UndirectedGraph {
    let file = std::fs::File::open(path).unwrap();
    let mut bytes = Vec::new();
    if path.ends_with(".gz") {
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut bytes)
            .unwrap();
    } else {
        std::io::BufReader::new(file)
            .read_to_end(&mut bytes)
            .unwrap();
    }
    let mut edges = EdgeList::new();
    let mut n = 0u32;
    let mut nums = [0u32; 2];
    let mut k = 0;
    let mut cur: Option<u32> = None;
    for &b in &bytes {
        if b.is_ascii_digit() {
            cur = Some(cur.unwrap_or(0) * 10 + (b - b'0') as u32);
        } else {
            if let Some(x) = cur.take() {
                if k < 2 {
                    nums[k] = x;
                }
                k += 1;
            }
            if b == b'\n' {
                if k >= 2 {
                    n = n.max(nums[0] + 1).max(nums[1] + 1);
                    edges.push(nums[0], nums[1], 1.0);
                }
                k = 0;
            }
        }
    }
    drop(bytes);
    UndirectedGraph::from_edges(n as usize, &edges).unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .expect("usage: leiden_lfr GRAPH [THREADS] [ALGO] [ITERATIONS]");
    let threads: usize = args.get(2).map_or(2, |t| t.parse().unwrap());
    let algo = args.get(3).map_or("leiden", String::as_str);
    let mut config = match algo {
        "louvain" => ClusterConfig::louvain(Objective::Modularity, 1.0),
        a if a.starts_with("cpm:") => {
            ClusterConfig::leiden(Objective::Cpm, a[4..].parse().unwrap())
        }
        _ => ClusterConfig::default(),
    };
    match args.get(4).map(String::as_str) {
        Some("until") => config.max_iterations = None,
        Some(x) => config.max_iterations = Some(x.parse().unwrap()),
        None => {}
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let t0 = Instant::now();
        let graph = load(path);
        let load_s = t0.elapsed().as_secs_f64();
        let c1 = cpu_seconds();
        let t1 = Instant::now();
        let r = cluster(&graph, &config).unwrap();
        let cluster_s = t1.elapsed().as_secs_f64();
        let cluster_cpu = cpu_seconds() - c1;
        println!(
            "{{\"graph\":\"{}\",\"threads\":{},\"algorithm\":\"{}\",\"leiden\":{},\"nodes\":{},\"edges\":{},\"load_s\":{:.3},\"cluster_s\":{:.3},\"cluster_cpu_s\":{:.2},\"quality\":{:.5},\"communities\":{},\"levels\":{},\"iterations\":{},\"peak_rss_mb\":{:.0}}}",
            path.rsplit('/').next().unwrap_or(path),
            threads,
            algo,
            config.algorithm == Algorithm::Leiden,
            graph.node_count(),
            graph.edge_count(),
            load_s,
            cluster_s,
            cluster_cpu,
            r.quality,
            r.partition.cluster_count(),
            r.levels.len(),
            r.iterations,
            peak_rss_mb()
        );
    });
}
