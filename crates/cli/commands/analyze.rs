//! `contextivity analyze INPUT -o OUT`: the main job. Loads an export, clusters people by whom
//! they engage with and what they talk about, measures every cluster and writes the report folder.
//!
//! Stages (each timed, each shown on a terminal): load → view (follows + interactions as one
//! weighted undirected graph) → topics (term extraction, TF-IDF, the check that topics agree with
//! structure, blended weights when they do or `--force-topics` says so) → cluster → metrics
//! (per-cluster profile and topic labels) → write. The folder is assembled in a temporary
//! sibling and renamed into place, so a failure never leaves a partial report.
//!
//! Topics that do not agree with structure (connected people no more alike than chance, see
//! [`contextivity_topics::adapt`]) leave the view as it is: the clusters are then exactly those
//! of `--topics 0 --topic-knn 0`, and the report says so (`parameters.topics_applied` and
//! `topics_reason`). Clusters are named by their topics either way.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use contextivity_cluster::cluster_many;
use contextivity_graph::{clustering_view, NodeId, Partition, SocialGraph};
use contextivity_metrics::profile::{profile, Profile};
use contextivity_report::{ClusterReport, Parameters, Report, SCHEMA, SCHEMA_VERSION};
use contextivity_topics::{add_derived_mentions, cluster_labels, extract};
use serde_json::json;

use crate::args::{AnalyzeArgs, ExportArg};
use crate::commands::cluster::{extract_config, topical_view, TopicsOutcome};
use crate::commands::load::load;
use crate::plan::{self, AnalyzePlan};
use crate::progress;

/// Distinctive terms kept per kind in each cluster's topics.
const TOPIC_TERMS: usize = 10;

/// Wall-clock seconds of each stage, printed on stdout (never written into the report, which
/// stays identical from run to run).
#[derive(Default)]
struct Seconds {
    load: f64,
    view: f64,
    topics: f64,
    cluster: f64,
    metrics: f64,
    write: f64,
}

/// Runs `analyze`.
pub fn run(args: AnalyzeArgs) -> Result<()> {
    let plan = plan::analyze_plan(&args)?;
    let mut seconds = Seconds::default();
    let loaded = load(&args.input)?;
    seconds.load = loaded.seconds;
    let mut graph = loaded.graph;
    let extract_config = extract_config(&graph, &args.topic_skip_columns)?;
    // An export without mention events still says who mentions whom in its posts.
    let derived = add_derived_mentions(&mut graph);

    let bar = progress::stage("building the clustering view");
    let start = Instant::now();
    let view = clustering_view(&graph, &plan.policy).context("cannot build the clustering view")?;
    seconds.view = start.elapsed().as_secs_f64();

    bar.set_message("topics: extracting terms");
    let start = Instant::now();
    let extraction = extract(&graph, &extract_config);
    let (view, topics) = match &plan.blend {
        Some(blend) => topical_view(view, &extraction, blend, plan.force_topics, &bar)?,
        None => (view, TopicsOutcome::not_requested()),
    };
    seconds.topics = start.elapsed().as_secs_f64();

    bar.set_message("clustering");
    let start = Instant::now();
    let mut results = cluster_many(&view, &plan.config, &[plan.config.resolution])?;
    let Some(result) = results.pop() else {
        bail!("clustering returned no partition");
    };
    let quality = result.quality;
    let modularity = contextivity_metrics::modularity(&view, &result.partition, 1.0);
    drop(view);
    let partition = result.partition;
    seconds.cluster = start.elapsed().as_secs_f64();

    bar.set_message("measuring clusters");
    let start = Instant::now();
    let measured = profile(&graph, &partition, &plan.profile)?;
    let labels = if extraction.entry_count() > 0 {
        Some(cluster_labels(
            &graph,
            &extraction,
            &partition,
            TOPIC_TERMS,
        )?)
    } else {
        None
    };
    drop(extraction);
    let report = assemble(
        &args,
        &plan,
        &topics,
        &extract_config.skip_columns,
        measured,
        labels,
    );
    seconds.metrics = start.elapsed().as_secs_f64();

    bar.set_message("writing the report");
    let start = Instant::now();
    write_folder(&args.output, &report, &graph, &partition, &args.export)?;
    seconds.write = start.elapsed().as_secs_f64();
    bar.finish_and_clear();

    let network = &report.network;
    let summary = json!({
        "output": args.output.display().to_string(),
        "people": network.people,
        "follows": network.follows,
        "interactions": network.interactions,
        "posts": network.posts,
        "derived_mentions": { "added": derived.added, "unresolved": derived.unresolved },
        "clusters": network.clusters,
        "clusters_reported": report.clusters.len(),
        "modularity": modularity,
        "quality": quality,
        "structure": network.structure.kind,
        "topics": topics.summary(plan.blend.as_ref()),
        "largest": report.clusters.iter().take(5).map(|c| json!({
            "cluster": c.profile.cluster,
            "size": c.profile.size,
            "label": c.topics.as_ref().map_or("", |t| t.label.as_str()),
        })).collect::<Vec<_>>(),
        "threads": rayon::current_num_threads(),
        "seconds": {
            "load": seconds.load,
            "view": seconds.view,
            "topics": seconds.topics,
            "cluster": seconds.cluster,
            "metrics": seconds.metrics,
            "write": seconds.write,
        },
    });
    println!("{summary}");
    Ok(())
}

/// The report record: parameters (with the attribute columns `skipped` by the topics), the
/// network, and every cluster of at least `--min-cluster-size` members with its topics.
fn assemble(
    args: &AnalyzeArgs,
    plan: &AnalyzePlan,
    topics: &TopicsOutcome,
    skipped: &[String],
    measured: Profile,
    labels: Option<Vec<contextivity_topics::ClusterLabel>>,
) -> Report {
    let mut labels: Vec<Option<contextivity_topics::ClusterLabel>> = match labels {
        Some(l) => l.into_iter().map(Some).collect(),
        None => Vec::new(),
    };
    let clusters = measured
        .clusters
        .into_iter()
        .filter(|c| c.size >= args.min_cluster_size)
        .map(|profile| {
            let topics = labels
                .get_mut(profile.cluster as usize)
                .and_then(Option::take)
                .filter(|t| t.cluster == profile.cluster);
            ClusterReport { profile, topics }
        })
        .collect();
    let policy = &plan.policy;
    Report {
        schema: SCHEMA.to_string(),
        version: SCHEMA_VERSION,
        generator: format!("contextivity {}", env!("CARGO_PKG_VERSION")),
        input: args.input.input.display().to_string(),
        parameters: Parameters {
            algorithm: serde_name(&plan.config.algorithm),
            objective: serde_name(&plan.config.objective),
            resolution: plan.config.resolution,
            seed: plan.config.seed,
            topic_weight: plan.blend.as_ref().map_or(0.0, |b| b.topic_weight),
            topic_knn: plan.blend.as_ref().map_or(0, |b| b.knn),
            topics_applied: topics.applied,
            topics_reason: topics.reason.clone(),
            topic_skip_columns: skipped.to_vec(),
            iterations: Some(args.search.iterations),
            stable_share: Some(plan.config.stable_share),
            follow_weight: f64::from(policy.follow),
            mutual_bonus: f64::from(policy.mutual_bonus),
            kind_weights: policy
                .kind_weights
                .iter()
                .map(|(k, w)| (k.clone(), f64::from(*w)))
                .collect(),
            min_cluster_size: args.min_cluster_size,
        },
        network: measured.network,
        clusters,
    }
}

/// The snake_case name serde gives a unit enum variant (`leiden`, `modularity`).
fn serde_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Writes every output into a fresh temporary folder beside `out`, then moves it into place
/// (replacing an earlier report there).
fn write_folder(
    out: &Path,
    report: &Report,
    graph: &SocialGraph,
    partition: &Partition,
    exports: &[ExportArg],
) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if out.exists() && !is_replaceable(out)? {
        bail!(
            "{}: exists and is not a contextivity report folder; choose another output",
            out.display()
        );
    }
    let staging = tempfile::Builder::new()
        .prefix(".contextivity-report-")
        .tempdir_in(&parent)
        .with_context(|| format!("{}: cannot create a temporary folder", parent.display()))?;
    let dir = staging.path();
    let file = |name: &str| dir.join(name);

    create(&file("report.json"), |w| {
        contextivity_report::json::write_json(report, w)
    })?;
    create(&file("clusters.csv"), |w| {
        contextivity_report::csv::write_clusters_csv(report, w)
    })?;
    create(&file("memberships.csv"), |w| {
        let rows = (0..graph.node_count()).map(|u| {
            let node = NodeId(u as u32);
            (graph.label(node), partition.cluster_of(node).0)
        });
        contextivity_report::csv::write_memberships(rows, w)
    })?;
    create(&file("report.md"), |w| {
        contextivity_report::markdown::write_markdown(report, w)
    })?;
    create(&file("report.html"), |w| {
        contextivity_report::html::write_html(report, w)
    })?;
    if !exports.is_empty() {
        let attributes = node_attributes(report, graph, partition);
        let borrowed: Vec<(&str, Vec<String>)> = attributes
            .iter()
            .map(|(name, values)| (*name, values.clone()))
            .collect();
        for export in exports {
            match export {
                ExportArg::Gexf => create(&file("graph.gexf"), |w| {
                    contextivity_formats::gexf::write(w, graph, &borrowed)
                })?,
                ExportArg::Graphml => create(&file("graph.graphml"), |w| {
                    contextivity_formats::graphml::write(w, graph, &borrowed)
                })?,
            }
        }
    }
    let staged = staging.keep();
    swap_into_place(&staged, out)
}

/// Creates `path` through `fill`, buffered, mapping any failure to an error naming the file.
fn create<E, F>(path: &Path, fill: F) -> Result<()>
where
    E: std::error::Error + Send + Sync + 'static,
    F: FnOnce(&mut dyn std::io::Write) -> std::result::Result<(), E>,
{
    use std::io::Write;
    let file = std::fs::File::create(path)
        .with_context(|| format!("{}: cannot create", path.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    fill(&mut out).with_context(|| format!("{}: cannot write", path.display()))?;
    out.flush()
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}

/// Whether `out` may be replaced: an empty folder or an earlier report.
fn is_replaceable(out: &Path) -> Result<bool> {
    if !out.is_dir() {
        return Ok(false);
    }
    let mut entries =
        std::fs::read_dir(out).with_context(|| format!("{}: cannot list", out.display()))?;
    Ok(entries.next().is_none() || out.join("report.json").is_file())
}

/// Moves the finished folder `staged` to `out`; an earlier report at `out` is moved aside first
/// and removed only once the new one is in place.
fn swap_into_place(staged: &Path, out: &Path) -> Result<()> {
    let aside = out.exists().then(|| {
        let mut name = out.as_os_str().to_owned();
        name.push(format!(".old-{}", std::process::id()));
        PathBuf::from(name)
    });
    if let Some(aside) = &aside {
        std::fs::rename(out, aside)
            .with_context(|| format!("{}: cannot move the earlier report aside", out.display()))?;
    }
    if let Err(error) = std::fs::rename(staged, out) {
        if let Some(aside) = &aside {
            let _ = std::fs::rename(aside, out);
        }
        let _ = std::fs::remove_dir_all(staged);
        return Err(error)
            .with_context(|| format!("{}: cannot move the report into place", out.display()));
    }
    if let Some(aside) = aside {
        std::fs::remove_dir_all(&aside)
            .with_context(|| format!("{}: cannot remove the earlier report", aside.display()))?;
    }
    Ok(())
}

/// Per-person attributes for Gephi: the cluster, its label and size, follower counts, and the
/// person's role (key member or broker) with its score.
fn node_attributes(
    report: &Report,
    graph: &SocialGraph,
    partition: &Partition,
) -> Vec<(&'static str, Vec<String>)> {
    let n = graph.node_count();
    let mut cluster = Vec::with_capacity(n);
    let mut label = Vec::with_capacity(n);
    let mut size = Vec::with_capacity(n);
    let inn = graph.follows.inn();
    let followers: Vec<String> = (0..n).map(|u| inn.degree(u).to_string()).collect();
    let mut role = vec![String::new(); n];
    let mut pagerank = vec![String::new(); n];
    let mut participation = vec![String::new(); n];
    let sizes = partition.sizes();
    for u in 0..n {
        let c = partition.cluster_of(NodeId(u as u32)).0;
        cluster.push(c.to_string());
        label.push(report.label(c).to_string());
        size.push(sizes.get(c as usize).copied().unwrap_or(0).to_string());
    }
    for c in &report.clusters {
        for b in &c.profile.brokers {
            if let Some(slot) = role.get_mut(b.node as usize) {
                *slot = "broker".to_string();
                participation[b.node as usize] = format!("{:.4}", b.participation);
            }
        }
        for k in &c.profile.key_members {
            if let Some(slot) = role.get_mut(k.node as usize) {
                *slot = "key member".to_string();
                pagerank[k.node as usize] = format!("{:.6}", k.pagerank);
            }
        }
    }
    vec![
        ("cluster", cluster),
        ("cluster_label", label),
        ("cluster_size", size),
        ("followers", followers),
        ("role", role),
        ("cluster_pagerank", pagerank),
        ("participation", participation),
    ]
}
