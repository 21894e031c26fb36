//! `contextivity cluster INPUT -o memberships.tsv`: community detection on the loaded graph.

use std::time::Instant;

use anyhow::{bail, Context, Result};
use contextivity_cluster::{
    cluster_directed, cluster_many, map, ClusterConfig, ClusterResult, Objective,
};
use contextivity_graph::people::{BIO, FOLLOWERS_COUNT, HANDLE, NAME};
use contextivity_graph::{clustering_view, LabelTable, Partition, SocialGraph, UndirectedGraph};
use contextivity_topics::{
    adapt, blend_into, cluster_labels, extract, tfidf, BlendConfig, ExtractConfig, Extraction,
    TfidfConfig, TopicalAgreement,
};
use indicatif::ProgressBar;
use serde_json::json;

/// Terms scored per cluster label.
const LABEL_TERMS_SHOWN: usize = 10;
/// Clusters whose label the summary prints (the largest ones).
const LABELLED_CLUSTERS_SHOWN: usize = 20;

use crate::args::ClusterArgs;
use crate::commands::load::load;
use crate::output::write_atomically;
use crate::plan::{self, suffixed};
use crate::progress;

/// Runs `cluster`.
pub fn run(args: ClusterArgs) -> Result<()> {
    let plan = plan::cluster_plan(&args)?;
    let loaded = load(&args.input)?;
    let load_seconds = loaded.seconds;
    let graph = loaded.graph;
    let people = graph.node_count();
    let extract_config = extract_config(&graph, &args.topic_skip_columns)?;

    let bar = progress::stage("building the clustering view");
    let start = Instant::now();
    let view = clustering_view(&graph, &plan.policy).context("cannot build the clustering view")?;
    let view_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let (view, topics, outcome) = match &plan.topics {
        None => (view, None, None),
        Some(blend) => {
            bar.set_message("topics: extracting terms");
            let extraction = extract(&graph, &extract_config);
            let (view, outcome) = topical_view(view, &extraction, blend, plan.force_topics, &bar)?;
            (view, Some(extraction), Some(outcome))
        }
    };
    let topics_seconds = start.elapsed().as_secs_f64();
    // Beyond this point only the directed run needs the follow layer and only the topic labels
    // need the texts; otherwise keep just the people's ids, so the loaded layers do not sit
    // beside the view (and the clustering's own levels) for the rest of the run.
    let source = if args.directed || topics.is_some() {
        Source::Graph(Box::new(graph))
    } else {
        Source::Labels(into_labels(graph))
    };
    bar.set_message("clustering");
    let start = Instant::now();
    let results = if let (true, Source::Graph(graph)) = (args.directed, &source) {
        plan.configs
            .iter()
            .map(|c| directed(graph.follows.out(), c))
            .collect::<Result<Vec<_>>>()?
    } else {
        let base = &plan.configs[0];
        let resolutions: Vec<f64> = plan.configs.iter().map(|c| c.resolution).collect();
        cluster_many(&view, base, &resolutions)?
    };
    let cluster_seconds = start.elapsed().as_secs_f64();
    bar.set_message("writing");
    let start = Instant::now();
    let mut runs = Vec::new();
    for ((config, result), path) in plan.configs.iter().zip(&results).zip(&plan.outputs) {
        write_memberships(path, source.labels(), &result.partition)?;
        if args.levels {
            for (k, level) in result.levels.iter().enumerate() {
                write_memberships(
                    &suffixed(path, &format!("level{k}")),
                    source.labels(),
                    level,
                )?;
            }
        }
        let modularity = contextivity_metrics::modularity(&view, &result.partition, 1.0);
        let labels = match (&topics, &source) {
            (Some(extraction), Source::Graph(graph)) => {
                cluster_labels(graph, extraction, &result.partition, LABEL_TERMS_SHOWN)?
                    .into_iter()
                    .take(LABELLED_CLUSTERS_SHOWN)
                    .map(|l| json!({ "cluster": l.cluster, "label": l.label }))
                    .collect()
            }
            _ => Vec::new(),
        };
        runs.push(json!({
            "labels": labels,
            "resolution": config.resolution,
            "communities": result.partition.cluster_count(),
            "modularity": modularity,
            "quality": result.quality,
            "levels": result.levels.len(),
            "iterations": result.iterations,
            "output": path.display().to_string(),
        }));
    }
    let write_seconds = start.elapsed().as_secs_f64();
    bar.finish_and_clear();

    let first = &runs[0];
    let config = &plan.configs[0];
    let summary = json!({
        "algorithm": config.algorithm,
        "objective": config.objective,
        "directed": args.directed,
        "resolution": config.resolution,
        "seed": config.seed,
        "topics": outcome.as_ref().map(|o| o.summary(plan.topics.as_ref())),
        "people": people,
        "edges": view.edge_count(),
        "communities": first["communities"],
        "modularity": first["modularity"],
        "quality": first["quality"],
        "runs": runs,
        "threads": rayon::current_num_threads(),
        "seconds": {
            "load": load_seconds,
            "view": view_seconds,
            "topics": topics_seconds,
            "cluster": cluster_seconds,
            "write": write_seconds,
        },
    });
    println!("{summary}");
    Ok(())
}

/// Attribute columns an unknown `--topic-skip-column` error lists at most.
const COLUMNS_LISTED: usize = 40;

/// The term extraction of `cluster` and `analyze`: every source of terms, less the attribute
/// columns `--topic-skip-column` names (a column that is also the ground truth, such as GML's
/// `value`, must not become a topic).
///
/// A name matches a column of the export regardless of case (the topic terms are lower-cased).
/// A name that matches no attribute column is an error listing the ones there are, rather than
/// a flag that silently does nothing.
pub(crate) fn extract_config(graph: &SocialGraph, skip: &[String]) -> Result<ExtractConfig> {
    let free_text = [BIO, NAME, HANDLE, FOLLOWERS_COUNT];
    let attributes: Vec<&str> = graph
        .people
        .column_names()
        .filter(|name| !free_text.contains(name))
        .collect();
    let mut skip_columns: Vec<String> = Vec::new();
    for wanted in skip {
        let matches: Vec<&str> = attributes
            .iter()
            .copied()
            .filter(|name| name.eq_ignore_ascii_case(wanted.trim()))
            .collect();
        if matches.is_empty() {
            let available = if attributes.is_empty() {
                "the export has no attribute columns".to_string()
            } else {
                let mut listed = attributes
                    .iter()
                    .take(COLUMNS_LISTED)
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                if attributes.len() > COLUMNS_LISTED {
                    listed.push_str(&format!(", … ({} more)", attributes.len() - COLUMNS_LISTED));
                }
                format!("the export's attribute columns are {listed}")
            };
            bail!("--topic-skip-column `{wanted}`: no such attribute column; {available}");
        }
        skip_columns.extend(matches.into_iter().map(str::to_string));
    }
    skip_columns.sort();
    skip_columns.dedup();
    Ok(ExtractConfig {
        skip_columns,
        ..ExtractConfig::default()
    })
}

/// The reason given when the export has no text or attributes to take topics from.
const NO_TERMS: &str =
    "the export has no text or attributes to take topics from; clustering by structure only";

/// What became of the topics of a run: whether they shaped the clustering view, and why.
pub(crate) struct TopicsOutcome {
    /// Whether the clustering view was blended with topics.
    pub applied: bool,
    /// Whether `--force-topics` was given.
    pub forced: bool,
    /// One line for the user: the evidence and what followed from it.
    pub reason: String,
    /// The topical assortativity measured on the structural view (`None` without terms).
    pub agreement: Option<TopicalAgreement>,
}

impl TopicsOutcome {
    /// The outcome of a run that asked for no topics (`--topics 0 --topic-knn 0`).
    pub fn not_requested() -> Self {
        TopicsOutcome {
            applied: false,
            forced: false,
            reason: "topic weight 0 and no topical neighbours: clustering by structure only"
                .to_string(),
            agreement: None,
        }
    }

    /// The `topics` object of a command's JSON summary: the requested blend (`None`: none
    /// asked for), whether it was applied and why, and the agreement figures (null when
    /// nothing was measured).
    pub fn summary(&self, blend: Option<&BlendConfig>) -> serde_json::Value {
        let a = self.agreement.as_ref();
        json!({
            "weight": blend.map_or(0.0, |b| b.topic_weight),
            "knn": blend.map_or(0, |b| b.knn),
            "applied": self.applied,
            "forced": self.forced,
            "reason": self.reason,
            "lift": a.map(|a| a.lift),
            "z": a.map(|a| a.z),
            "tie_similarity": a.map(|a| a.tie_similarity),
            "null_similarity": a.map(|a| a.null_similarity),
            "ties": a.map(|a| a.ties),
        })
    }
}

/// The clustering view with `blend` applied when topics agree with structure
/// ([`contextivity_topics::adapt`]) or `force` says so; otherwise `view` itself, untouched, so
/// the clustering equals a structure-only run bit for bit. Without any term there is nothing to
/// blend, forced or not.
pub(crate) fn topical_view(
    view: UndirectedGraph,
    extraction: &Extraction,
    blend: &BlendConfig,
    force: bool,
    bar: &ProgressBar,
) -> Result<(UndirectedGraph, TopicsOutcome)> {
    if extraction.entry_count() == 0 {
        let outcome = TopicsOutcome {
            applied: false,
            forced: force,
            reason: NO_TERMS.to_string(),
            agreement: None,
        };
        return Ok((view, outcome));
    }
    bar.set_message("topics: TF-IDF and checking that topics agree with structure");
    let vectors = tfidf(extraction, &TfidfConfig::default())?;
    let decision = adapt(&view, &vectors, blend).context("cannot check the topics")?;
    let a = &decision.agreement;
    let reason = match (decision.topics_agree, force) {
        (false, true) => format!(
            "topics forced (--force-topics) although the check did not find them agreeing \
             with structure: connected people are {:.2}x as alike as chance (z = {:.1}, {} \
             ties); topic weight {}, {} topical neighbours",
            a.lift, a.z, a.ties, blend.topic_weight, blend.knn
        ),
        _ => decision.reason.clone(),
    };
    let applied = decision.topics_agree || force;
    let outcome = TopicsOutcome {
        applied,
        forced: force,
        reason,
        agreement: Some(decision.agreement),
    };
    if !applied {
        return Ok((view, outcome));
    }
    bar.set_message(if decision.topics_agree {
        "topics: blended weights (topics agree with structure)"
    } else {
        "topics: blended weights (forced)"
    });
    let blended = blend_into(view, &vectors, blend)?;
    Ok((blended, outcome))
}

/// What the run keeps of the loaded graph once the clustering view exists.
enum Source {
    /// The whole graph (a directed run or topic labels need it).
    Graph(Box<SocialGraph>),
    /// Only the people's ids (moved out of the graph, whose other layers are dropped).
    Labels(LabelTable),
}

/// The people's ids of `graph`; every other layer is dropped here, not at the end of the
/// caller's scope (as a partial move would).
fn into_labels(graph: SocialGraph) -> LabelTable {
    graph.labels
}

impl Source {
    /// The people's ids.
    fn labels(&self) -> &LabelTable {
        match self {
            Source::Graph(graph) => &graph.labels,
            Source::Labels(labels) => labels,
        }
    }
}

/// Directed modularity, or the map equation with PageRank flow, on the follow layer.
fn directed(out: &contextivity_graph::Csr, config: &ClusterConfig) -> Result<ClusterResult> {
    if config.objective == Objective::Map {
        let map_config = map::MapEquationConfig {
            seed: config.seed,
            flow: map::Flow::Directed {
                teleportation: map::DEFAULT_TELEPORTATION,
            },
            ..map::MapEquationConfig::default()
        };
        let result = map::optimize_directed(out, &map_config);
        return Ok(ClusterResult {
            levels: vec![result.partition.clone()],
            partition: result.partition,
            quality: result.codelength,
            iterations: 1,
        });
    }
    Ok(cluster_directed(out, config)?)
}

/// Writes `label<TAB>cluster` lines atomically.
fn write_memberships(
    path: &std::path::Path,
    labels: &LabelTable,
    partition: &Partition,
) -> Result<()> {
    write_atomically(path, |out| {
        contextivity_formats::truth::write_pairs(out, labels, partition)
            .with_context(|| format!("{}: cannot write memberships", path.display()))
    })
}
