//! One timed pass per step of the topics pipeline at the issue's scale: 1M people, 10M follows and
//! 5M posts by default, generated in memory (the same planted-topic export as the benchmark).
//!
//! ```text
//! cargo run --release -p contextivity-topics --example scale [-- --people N] [--follows F]
//!     [--posts-per-person P] [--repeat R] [--threads T] [--knn-budget B] [--max-postings M]
//!     [--steps extract,tfidf,blend,knn,view]
//! ```
//!
//! Prints one JSON line per step with the median of `R` passes (default 3) in seconds:
//! `extract` (posts, bios, handles and attributes → term counts), `tfidf` (pruned, normalised
//! vectors), `blend` (the blended weight of every tie, `W = 0.5`, in place as the command line
//! blends its view: `blend_into` on a copy of the view made untimed), `knn` (10 topical
//! neighbours per person with the library's limits; `same_topic` is the share of its edges
//! inside a planted topic) and `view` (the default topic-aware view: blending, neighbours and
//! the union graph, as `--topics 0.5 --topic-knn 10` builds it), then a total of
//! the first four. `cpu_seconds` is the CPU time of all threads (Linux only), a steadier
//! figure than wall time on a shared machine. `hash` (extract, tfidf, blend) is a digest of
//! the step's whole output, to check that a change of implementation leaves it identical. Generating the export is timed apart and is not
//! part of the total.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

#[path = "../tests/support/synthetic.rs"]
mod synthetic;

use std::time::Instant;

use contextivity_graph::{clustering_view, ViewPolicy};
use contextivity_topics::{
    blend_into, blend_with, extract, knn_edges_with, tfidf, BlendConfig, ExtractConfig, TfidfConfig,
};

/// Command-line options.
struct Options {
    people: usize,
    follows: usize,
    posts_per_person: usize,
    repeat: usize,
    threads: usize,
    /// Postings scanned per person by the neighbour search.
    knn_budget: usize,
    /// People kept per term by the neighbour search.
    max_postings: usize,
    /// Steps to time (all when empty).
    steps: Vec<String>,
}

/// The options, or what is wrong with the command line.
fn options() -> Result<Options, String> {
    let mut o = Options {
        people: 1_000_000,
        follows: 10,
        posts_per_person: 5,
        repeat: 3,
        threads: 0,
        steps: Vec::new(),
        knn_budget: contextivity_topics::DEFAULT_KNN_BUDGET,
        max_postings: contextivity_topics::DEFAULT_MAX_POSTINGS,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i + 1 < args.len() {
        if args[i] == "--steps" {
            o.steps = args[i + 1].split(',').map(str::to_string).collect();
            i += 2;
            continue;
        }
        let value: usize = args[i + 1]
            .replace('_', "")
            .parse()
            .map_err(|_| format!("{}: expected a number, found {}", args[i], args[i + 1]))?;
        match args[i].as_str() {
            "--people" => o.people = value,
            "--follows" => o.follows = value,
            "--posts-per-person" => o.posts_per_person = value,
            "--repeat" => o.repeat = value.max(1),
            "--threads" => o.threads = value,
            "--knn-budget" => o.knn_budget = value,
            "--max-postings" => o.max_postings = value,
            other => return Err(format!("unknown option {other}")),
        }
        i += 2;
    }
    if i < args.len() {
        return Err(format!("{}: expected a value", args[i]));
    }
    Ok(o)
}

/// CPU seconds used by this process so far (user + system, all threads), where the system
/// says (`/proc/self/stat`, in ticks of 1/100 s); 0 elsewhere.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which ends with the last `)`): utime is the 12th, stime
    // the 13th.
    let rest = stat.rsplit_once(')').map(|r| r.1).unwrap_or("");
    let fields: Vec<f64> = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    (fields.get(11).unwrap_or(&0.0) + fields.get(12).unwrap_or(&0.0)) / 100.0
}

/// A step's median wall time and median CPU time, in seconds.
#[derive(Clone, Copy)]
struct Timing {
    wall: f64,
    cpu: f64,
}

/// Runs `f` `repeat` times; the median times and the last result.
fn time<T>(repeat: usize, mut f: impl FnMut() -> T) -> (Timing, T) {
    time_on(repeat, || (), |()| f())
}

/// Runs `f` `repeat` times, each on a fresh input from `setup`, which is not timed; the median
/// times and the last result.
fn time_on<S, T>(
    repeat: usize,
    mut setup: impl FnMut() -> S,
    mut f: impl FnMut(S) -> T,
) -> (Timing, T) {
    let mut walls = Vec::with_capacity(repeat);
    let mut cpus = Vec::with_capacity(repeat);
    let mut last = None;
    for _ in 0..repeat {
        drop(last.take());
        let input = setup();
        let (start, cpu) = (Instant::now(), cpu_seconds());
        let out = f(input);
        walls.push(start.elapsed().as_secs_f64());
        cpus.push(cpu_seconds() - cpu);
        last = Some(out);
    }
    walls.sort_by(f64::total_cmp);
    cpus.sort_by(f64::total_cmp);
    let timing = Timing {
        wall: walls[walls.len() / 2],
        cpu: cpus[cpus.len() / 2],
    };
    (timing, last.unwrap())
}

fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(o.threads)
        .build_global()
        .unwrap();
    let size = synthetic::Size {
        people: o.people,
        follows: o.follows,
        posts: o.people * o.posts_per_person,
        topics: (o.people / 2000).max(4),
    };
    let start = Instant::now();
    let graph = synthetic::export(size, 1);
    let view = clustering_view(&graph, &ViewPolicy::default()).unwrap();
    let generated = start.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "step": "generate",
            "people": o.people,
            "ties": view.edge_count(),
            "posts": size.posts,
            "threads": rayon::current_num_threads(),
            "seconds": round(generated),
        })
    );

    let wanted = |step: &str| o.steps.is_empty() || o.steps.iter().any(|s| s == step);
    // Later steps need the terms and vectors: a step left out runs once, untimed.
    let r = |step: &str| if wanted(step) { o.repeat } else { 1 };
    let mut total = Timing {
        wall: 0.0,
        cpu: 0.0,
    };
    let (t, terms) = time(r("extract"), || extract(&graph, &ExtractConfig::default()));
    if wanted("extract") {
        total.wall += t.wall;
        total.cpu += t.cpu;
        let extra = serde_json::json!({"vocabulary": terms.vocabulary().len(),
                                       "entries": terms.entry_count(),
                                       "hash": extraction_hash(&terms)});
        report("extract", t, extra);
    }
    let (t, vectors) = time(r("tfidf"), || {
        tfidf(&terms, &TfidfConfig::default()).unwrap()
    });
    if wanted("tfidf") {
        total.wall += t.wall;
        total.cpu += t.cpu;
        let extra = serde_json::json!({"people_with_vectors": vectors.people_with_vectors(),
                                       "entries": vectors.entry_count(),
                                       "hash": vectors_hash(&vectors)});
        report("tfidf", t, extra);
    }
    if wanted("blend") {
        // As the command line blends the view it is about to cluster: in place, the copy of
        // the view untimed.
        let config = BlendConfig {
            topic_weight: 0.5,
            knn: 0,
            ..BlendConfig::default()
        };
        let (t, blended) = time_on(
            o.repeat,
            || view.clone(),
            |v| blend_into(v, &vectors, &config).unwrap(),
        );
        total.wall += t.wall;
        total.cpu += t.cpu;
        report(
            "blend",
            t,
            serde_json::json!({"ties": blended.edge_count(), "hash": graph_hash(&blended)}),
        );
    }
    if wanted("knn") {
        let config = BlendConfig {
            knn: 10,
            knn_budget: o.knn_budget,
            max_postings: o.max_postings,
            ..BlendConfig::default()
        };
        let (t, edges) = time(o.repeat, || knn_edges_with(&vectors, &config, 0.25));
        total.wall += t.wall;
        total.cpu += t.cpu;
        // Precision of the neighbours: the share of edges inside a planted topic.
        let same = (0..edges.len())
            .filter(|&i| {
                let (u, v) = (edges.sources[i] as usize, edges.targets[i] as usize);
                synthetic::topic_of(u, size.topics) == synthetic::topic_of(v, size.topics)
            })
            .count();
        let share = same as f64 / edges.len().max(1) as f64;
        let extra = serde_json::json!({"edges": edges.len(), "same_topic": round(share)});
        report("knn", t, extra);
    }
    if wanted("view") {
        let config = BlendConfig {
            knn_budget: o.knn_budget,
            max_postings: o.max_postings,
            ..BlendConfig::default()
        };
        let (t, topical) = time(o.repeat, || blend_with(&view, &vectors, &config).unwrap());
        report("view", t, serde_json::json!({"ties": topical.edge_count()}));
    }
    report(
        "total",
        total,
        serde_json::json!({"steps": "extract + tfidf + blend + knn (those timed)"}),
    );
}

/// A 64-bit digest of a stream of words (FNV-1a over each word's bytes): two runs with the
/// same output print the same digest, so a change of implementation can be checked to leave
/// the results identical to the bit.
#[derive(Clone, Copy)]
struct Digest(u64);

impl Digest {
    fn new() -> Self {
        Digest(0xcbf2_9ce4_8422_2325)
    }

    fn add(&mut self, word: u64) {
        for b in word.to_le_bytes() {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

/// The digest of an extraction: vocabulary (kinds and texts), rows, document frequencies and
/// totals.
fn extraction_hash(e: &contextivity_topics::Extraction) -> String {
    let mut d = Digest::new();
    let voc = e.vocabulary();
    for t in 0..voc.len() as u32 {
        d.add(voc.kind(t) as u64);
        for b in voc.text(t).bytes() {
            d.add(b as u64);
        }
        d.add(e.people_with(t) as u64);
        d.add(e.total(t));
    }
    for p in 0..e.person_count() {
        let (terms, counts) = e.row(p);
        d.add(terms.len() as u64);
        for (&t, &c) in terms.iter().zip(counts) {
            d.add((t as u64) << 32 | c as u64);
        }
    }
    d.hex()
}

/// The digest of TF-IDF vectors: every row's terms and weights (bits).
fn vectors_hash(v: &contextivity_topics::TermVectors) -> String {
    let mut d = Digest::new();
    d.add(v.dimension() as u64);
    for p in 0..v.person_count() {
        let (terms, weights) = v.row(p);
        d.add(terms.len() as u64);
        for (&t, &w) in terms.iter().zip(weights) {
            d.add((t as u64) << 32 | w.to_bits() as u64);
        }
    }
    d.hex()
}

/// The digest of a graph: every row's neighbours and weights (bits).
fn graph_hash(g: &contextivity_graph::UndirectedGraph) -> String {
    let mut d = Digest::new();
    let csr = g.csr();
    for u in 0..csr.node_count() {
        d.add(csr.neighbors(u).len() as u64);
        for (&v, &w) in csr.neighbors(u).iter().zip(csr.row_weights(u)) {
            d.add((v as u64) << 32 | w.to_bits() as u64);
        }
    }
    d.hex()
}

fn round(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

fn report(step: &str, t: Timing, extra: serde_json::Value) {
    let mut line =
        serde_json::json!({"step": step, "seconds": round(t.wall), "cpu_seconds": round(t.cpu)});
    if let (Some(l), Some(e)) = (line.as_object_mut(), extra.as_object()) {
        l.extend(e.clone());
    }
    println!("{line}");
}
