//! Runs the map-equation optimiser (or label propagation) on an edge list with planted truth
//! and prints one JSON line: seconds, codelength, module count, NMI against the truth.
//!
//! ```text
//! cargo run --release -p contextivity-cluster --example map_lfr -- \
//!     GRAPH.edges[.gz] GRAPH.gt[.gz] [--threads N] [--seed S] [--algo map|lpa] [--tune R]
//! ```
//!
//! `GRAPH.edges`: one undirected edge `u v` per line, 0-based; `GRAPH.gt`: `node community` per
//! line. Files ending in `.gz` are decompressed while reading.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

use std::collections::HashMap;
use std::io::Read;
use std::time::Instant;

use contextivity_cluster::lpa::{label_propagation, LpaConfig};
use contextivity_cluster::map::{optimize, MapEquationConfig};
use contextivity_graph::{EdgeList, UndirectedGraph};

fn read_text(path: &str) -> std::io::Result<Vec<u8>> {
    let raw = std::fs::read(path)?;
    if path.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut out)?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// Whitespace-separated unsigned integers of each line, two per line.
fn pairs(text: &[u8]) -> Result<Vec<(u32, u32)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        let mut nums = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|t| !t.is_empty());
        let (Some(a), Some(b)) = (nums.next(), nums.next()) else {
            continue;
        };
        let parse = |t: &[u8]| -> Result<u32, String> {
            std::str::from_utf8(t)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| format!("line {}: not a node id", i + 1))
        };
        out.push((parse(a)?, parse(b)?));
    }
    Ok(out)
}

fn nmi(a: &[u32], b: &[u32]) -> f64 {
    let n = a.len() as f64;
    let mut joint: HashMap<(u32, u32), f64> = HashMap::new();
    let (mut ca, mut cb): (HashMap<u32, f64>, HashMap<u32, f64>) = Default::default();
    for (&x, &y) in a.iter().zip(b) {
        *joint.entry((x, y)).or_default() += 1.0;
        *ca.entry(x).or_default() += 1.0;
        *cb.entry(y).or_default() += 1.0;
    }
    let h = |c: &HashMap<u32, f64>| -> f64 { c.values().map(|&k| -(k / n) * (k / n).ln()).sum() };
    let mi: f64 = joint
        .iter()
        .map(|(&(x, y), &k)| (k / n) * ((k * n) / (ca[&x] * cb[&y])).ln())
        .sum();
    let hs = h(&ca) + h(&cb);
    if hs == 0.0 {
        1.0
    } else {
        2.0 * mi / hs
    }
}

/// CPU seconds (user + system) this process has used, where `/proc` tells (Linux).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("map_lfr: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut threads = 0usize;
    let mut config = MapEquationConfig::default();
    let mut algo = "map".to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{a} needs a value"))
        };
        match a.as_str() {
            "--threads" => threads = value()?.parse().map_err(|_| "bad --threads")?,
            "--seed" => config.seed = value()?.parse().map_err(|_| "bad --seed")?,
            "--tune" => config.tune_rounds = value()?.parse().map_err(|_| "bad --tune")?,
            "--algo" => algo = value()?,
            _ => positional.push(a.clone()),
        }
    }
    let [edges_path, gt_path] = positional.as_slice() else {
        return Err(
            "usage: map_lfr GRAPH.edges GRAPH.gt [--threads N] [--seed S] [--algo map|lpa]".into(),
        );
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| e.to_string())?;
    let t0 = Instant::now();
    let gt = pairs(&read_text(gt_path).map_err(|e| format!("{gt_path}: {e}"))?)?;
    let n = gt.iter().map(|&(u, _)| u as usize + 1).max().unwrap_or(0);
    let mut truth = vec![u32::MAX; n];
    for (u, c) in gt {
        truth[u as usize] = c;
    }
    let mut list = EdgeList::new();
    for (u, v) in pairs(&read_text(edges_path).map_err(|e| format!("{edges_path}: {e}"))?)? {
        list.push(u, v, 1.0);
    }
    let graph = pool
        .install(|| UndirectedGraph::from_edges(n, &list))
        .map_err(|e| e.to_string())?;
    drop(list);
    let load = t0.elapsed().as_secs_f64();
    let cpu0 = cpu_seconds();
    let t1 = Instant::now();
    let (partition, codelength, levels) = pool.install(|| match algo.as_str() {
        "lpa" => {
            let lpa = LpaConfig {
                seed: config.seed,
                ..LpaConfig::default()
            };
            let p = label_propagation(&graph, &lpa);
            let l = contextivity_cluster::map::codelength(&graph, &p);
            (p, l, 0)
        }
        _ => {
            let r = optimize(&graph, &config);
            (r.partition, r.codelength, r.levels)
        }
    });
    let seconds = t1.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    let record = serde_json::json!({
        "graph": edges_path,
        "algo": algo,
        "threads": pool.current_num_threads(),
        "seed": config.seed,
        "nodes": n,
        "edges": graph.edge_count(),
        "load_seconds": load,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "codelength": codelength,
        "planted_codelength": contextivity_cluster::map::codelength(
            &graph,
            &contextivity_graph::Partition::from_labels(&truth)
        ),
        "modules": partition.cluster_count(),
        "truth_modules": contextivity_graph::Partition::from_labels(&truth).cluster_count(),
        "levels": levels,
        "nmi": nmi(partition.assignment(), &truth),
    });
    println!("{record}");
    Ok(())
}
