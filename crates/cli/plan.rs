//! Step two of argument handling: turn what the user typed into checked settings before any
//! work starts.

use anyhow::{bail, Context, Result};
use contextivity_formats::{EdgeMeaning, Format, LoadOptions, OnError};

use crate::args::{FormatArg, InputArgs, OnErrorArg};

/// The rayon pool for `--threads` (all cores when absent).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        if t == 0 {
            bail!("--threads must be at least 1");
        }
        builder = builder.num_threads(t);
    }
    builder.build().context("cannot start the worker threads")
}

/// Checked load options for an input.
pub fn load_options(args: &InputArgs) -> Result<LoadOptions> {
    if !args.input.exists() {
        bail!("{}: no such file or directory", args.input.display());
    }
    let format = args.format.map(|f| match f {
        FormatArg::Canonical => Format::Canonical,
        FormatArg::Edgelist => Format::EdgeList,
        FormatArg::Gml => Format::Gml,
        FormatArg::Graphml => Format::GraphMl,
        FormatArg::Gexf => Format::Gexf,
        FormatArg::SnapEgo => Format::SnapEgo,
        FormatArg::Stackexchange => Format::StackExchange,
        FormatArg::Snapshot => Format::Snapshot,
    });
    let undirected = if args.undirected {
        Some(true)
    } else if args.directed_input {
        Some(false)
    } else {
        None
    };
    let edge_meaning = match &args.as_interactions {
        Some(kind) if kind.trim().is_empty() => bail!("--as-interactions needs a kind name"),
        Some(kind) => EdgeMeaning::Interactions(kind.trim().to_string()),
        None => EdgeMeaning::Follows,
    };
    Ok(LoadOptions {
        format,
        on_error: match args.on_error {
            OnErrorArg::Fail => OnError::Fail,
            OnErrorArg::Skip => OnError::Skip,
        },
        keep_self_loops: args.keep_self_loops,
        undirected,
        edge_meaning,
        progress: None,
    })
}

/// Checked clustering parameters and output paths.
pub struct ClusterPlan {
    /// One configuration per requested resolution.
    pub configs: Vec<contextivity_cluster::ClusterConfig>,
    /// How layers combine into the undirected view.
    pub policy: contextivity_graph::ViewPolicy,
    /// The membership file of each configuration.
    pub outputs: Vec<std::path::PathBuf>,
    /// The topic-aware blend, when `--topics` or `--topic-knn` asks for one.
    pub topics: Option<contextivity_topics::BlendConfig>,
    /// `--force-topics`: blend even when topics do not agree with structure.
    pub force_topics: bool,
}

/// Checks `cluster`'s arguments before anything is loaded.
pub fn cluster_plan(args: &crate::args::ClusterArgs) -> Result<ClusterPlan> {
    use contextivity_cluster::{Algorithm, ClusterConfig, Objective};

    if args.resolution.is_empty() {
        bail!("--resolution needs at least one value");
    }
    let base = base_config(&args.search);
    let mut configs = Vec::new();
    for &resolution in &args.resolution {
        let config = ClusterConfig {
            resolution,
            ..base.clone()
        };
        config
            .validate()
            .with_context(|| format!("--resolution {resolution}"))?;
        configs.push(config);
    }
    if args.directed && base.algorithm == Algorithm::LabelPropagation {
        bail!("--directed works with --algorithm leiden or louvain");
    }
    if args.directed && base.objective == Objective::Cpm {
        bail!("--directed works with --objective modularity or map");
    }
    let outputs = if configs.len() == 1 {
        vec![args.output.clone()]
    } else {
        configs
            .iter()
            .map(|c| suffixed(&args.output, &format!("r{}", c.resolution)))
            .collect()
    };
    for out in &outputs {
        check_output_folder(out)?;
    }
    let topics = if args.topics > 0.0 || args.topic_knn > 0 {
        if args.directed {
            bail!("--topics and --topic-knn work on the undirected view, not with --directed");
        }
        Some(blend_config(args.topics, args.topic_knn)?)
    } else {
        None
    };
    if args.force_topics && topics.is_none() {
        bail!("--force-topics needs --topics W (above 0) or --topic-knn K to blend");
    }
    Ok(ClusterPlan {
        configs,
        policy: view_policy(&args.view)?,
        outputs,
        topics,
        force_topics: args.force_topics,
    })
}

/// The clustering configuration the algorithm flags name, at resolution 1.
fn base_config(search: &crate::args::SearchArgs) -> contextivity_cluster::ClusterConfig {
    use crate::args::{AlgorithmArg, ObjectiveArg};
    use contextivity_cluster::{Algorithm, ClusterConfig, Objective};
    ClusterConfig {
        algorithm: match search.algorithm {
            AlgorithmArg::Leiden => Algorithm::Leiden,
            AlgorithmArg::Louvain => Algorithm::Louvain,
            AlgorithmArg::Lpa => Algorithm::LabelPropagation,
        },
        objective: match search.objective {
            ObjectiveArg::Modularity => Objective::Modularity,
            ObjectiveArg::Cpm => Objective::Cpm,
            ObjectiveArg::Map => Objective::Map,
        },
        seed: search.seed,
        max_iterations: (search.iterations > 0).then_some(search.iterations),
        stable_share: search.stable_share,
        ..ClusterConfig::default()
    }
}

/// Checked `analyze` parameters.
pub struct AnalyzePlan {
    /// The clustering configuration.
    pub config: contextivity_cluster::ClusterConfig,
    /// How layers combine into the undirected view.
    pub policy: contextivity_graph::ViewPolicy,
    /// The topic-aware blend; `None` when `--topics 0 --topic-knn 0` (structure only).
    pub blend: Option<contextivity_topics::BlendConfig>,
    /// `--force-topics`: blend even when topics do not agree with structure.
    pub force_topics: bool,
    /// What the profile measures.
    pub profile: contextivity_metrics::profile::ProfileConfig,
}

/// Checks `analyze`'s arguments before anything is loaded.
pub fn analyze_plan(args: &crate::args::AnalyzeArgs) -> Result<AnalyzePlan> {
    let config = contextivity_cluster::ClusterConfig {
        resolution: args.resolution,
        ..base_config(&args.search)
    };
    config
        .validate()
        .with_context(|| format!("--resolution {}", args.resolution))?;
    check_output_folder(&args.output)?;
    if args.output.is_file() {
        bail!(
            "{}: is a file; analyze writes a report folder",
            args.output.display()
        );
    }
    let blend = if args.topics > 0.0 || args.topic_knn > 0 {
        Some(blend_config(args.topics, args.topic_knn)?)
    } else {
        None
    };
    if args.force_topics && blend.is_none() {
        bail!("--force-topics needs --topics W (above 0) or --topic-knn K to blend");
    }
    let profile = contextivity_metrics::profile::ProfileConfig {
        key_members: args.key_members,
        brokers: args.key_members,
        ..Default::default()
    };
    Ok(AnalyzePlan {
        config,
        policy: view_policy(&args.view)?,
        blend,
        force_topics: args.force_topics,
        profile,
    })
}

/// The checked topic blend of `--topics W --topic-knn K`, other settings at their defaults.
fn blend_config(topic_weight: f64, knn: usize) -> Result<contextivity_topics::BlendConfig> {
    let blend = contextivity_topics::BlendConfig {
        topic_weight,
        knn,
        ..contextivity_topics::BlendConfig::default()
    };
    blend.validate().context("--topics / --topic-knn")?;
    Ok(blend)
}

/// `path` with `.{tag}` inserted before its extension (`m.tsv` → `m.r0.5.tsv`).
pub fn suffixed(path: &std::path::Path, tag: &str) -> std::path::PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}.{tag}.{}", ext.to_string_lossy()),
        None => format!("{stem}.{tag}"),
    };
    path.with_file_name(name)
}

/// Fails early when an output's folder does not exist.
pub fn check_output_folder(path: &std::path::Path) -> Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => {
            bail!(
                "{}: the output folder {} does not exist",
                path.display(),
                dir.display()
            )
        }
        _ => Ok(()),
    }
}

/// The view policy from `--follow-weight`, `--mutual-bonus`, `--kind-weight`, `--follows-only`.
pub fn view_policy(args: &crate::args::ViewArgs) -> Result<contextivity_graph::ViewPolicy> {
    use contextivity_graph::ViewPolicy;
    let mut policy = if args.follows_only {
        ViewPolicy::follows_only()
    } else {
        ViewPolicy::default()
    };
    let finite = |name: &str, w: f32| -> Result<f32> {
        if !w.is_finite() || w < 0.0 {
            bail!("{name} must be a finite weight >= 0, got {w}");
        }
        Ok(w)
    };
    policy.follow = finite("--follow-weight", args.follow_weight)?;
    policy.mutual_bonus = finite("--mutual-bonus", args.mutual_bonus)?;
    for spec in &args.kind_weights {
        let Some((kind, weight)) = spec.split_once('=') else {
            bail!("--kind-weight {spec}: expected KIND=WEIGHT, e.g. reply=3");
        };
        let weight: f32 = weight
            .trim()
            .parse()
            .with_context(|| format!("--kind-weight {spec}: the weight is not a number"))?;
        let weight = finite("--kind-weight", weight)?;
        let kind = kind.trim().to_lowercase();
        if kind == "other" || kind == "*" {
            policy.other_kind = weight;
        } else {
            policy.kind_weights.insert(kind, weight);
        }
    }
    Ok(policy)
}
