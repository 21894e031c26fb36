//! Command-line arguments (step one of two: what the user typed; [`crate::plan`] checks it).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Finds the contexts people share in a social graph.
#[derive(Debug, Parser)]
#[command(name = "contextivity", version, about, long_about = None)]
pub struct Cli {
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, global = true)]
    pub threads: Option<usize>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load an export and print what it holds: people, edges per layer and kind, degrees,
    /// reciprocity, components, and what was merged or dropped.
    Stats(StatsArgs),
    /// Load an export once and save it as a binary snapshot that reloads nearly for free.
    Snapshot(SnapshotArgs),
    /// Cluster people into communities (Leiden, Louvain, label propagation; modularity, CPM or
    /// the map equation) and write one `node_id<TAB>cluster_id` line per person.
    Cluster(ClusterArgs),
    /// Compare memberships with a ground truth: NMI, ARI, overlapping NMI and average F1; a SNAP
    /// ego directory is scored per ego (average F1 on each ego's people, averaged over egos).
    Evaluate(EvaluateArgs),
    /// The main job: load, cluster by structure and topics, measure every cluster and write a
    /// report folder (report.json, clusters.csv, memberships.csv, report.md, report.html).
    Analyze(AnalyzeArgs),
    /// Show a report in the terminal: clusters ranked by a metric, one cluster in depth, or two
    /// clusters side by side.
    Inspect(InspectArgs),
    /// Compare two reports (last month vs this month): clusters matched by shared members, and
    /// what grew, shrank, split, merged, appeared and vanished.
    Diff(DiffArgs),
    /// Generate benchmark graphs.
    #[command(subcommand)]
    Generate(GenerateCommand),
}

/// How to read an input export; shared by every command that loads one.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// The export: a directory (canonical CSV layout, Stack Exchange dump, SNAP ego files), a file
    /// (edge list, GML, GraphML, GEXF; optionally .gz/.zst) or a snapshot (.ctxg).
    pub input: PathBuf,
    /// Force the input format instead of detecting it.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// What to do with a record that cannot be read: stop with a located error, or skip it and
    /// count it in the load summary.
    #[arg(long, value_enum, default_value_t = OnErrorArg::Fail)]
    pub on_error: OnErrorArg,
    /// Treat follow edges as undirected (mutual) ties, e.g. a friendship edge list.
    #[arg(long, conflicts_with = "directed_input")]
    pub undirected: bool,
    /// Treat follow edges as directed even where the format says undirected.
    #[arg(long = "directed-input")]
    pub directed_input: bool,
    /// Keep self-loops instead of dropping them.
    #[arg(long)]
    pub keep_self_loops: bool,
    /// Read an edge list as interactions of this kind (reply, mention, message…) instead of follows.
    #[arg(long, value_name = "KIND")]
    pub as_interactions: Option<String>,
}

/// Input formats by name.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Directory of follows.csv / interactions.csv / people.csv / posts.csv.
    Canonical,
    /// Plain edge list (`u v [weight]`).
    Edgelist,
    /// GML.
    Gml,
    /// GraphML.
    Graphml,
    /// GEXF.
    Gexf,
    /// SNAP ego-network files.
    SnapEgo,
    /// Stack Exchange data dump.
    Stackexchange,
    /// contextivity snapshot.
    Snapshot,
}

/// Error policy by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnErrorArg {
    /// Stop at the first bad record.
    Fail,
    /// Skip bad records and count them.
    Skip,
}

/// Arguments of `stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The input.
    #[command(flatten)]
    pub input: InputArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `snapshot`.
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// The input.
    #[command(flatten)]
    pub input: InputArgs,
    /// Where to write the snapshot (conventionally `.ctxg`).
    #[arg(short, long)]
    pub output: PathBuf,
}

/// Search algorithms by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlgorithmArg {
    /// Leiden: local moving, refinement (well-connected communities), aggregation.
    Leiden,
    /// Louvain: Leiden without refinement.
    Louvain,
    /// Label propagation: the fast baseline.
    Lpa,
}

/// Objectives by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ObjectiveArg {
    /// Modularity with resolution γ.
    Modularity,
    /// Constant Potts model with resolution γ.
    Cpm,
    /// The map equation (two-level).
    Map,
}

/// How follows and interactions combine into one weight per pair of people.
#[derive(Debug, Args, Clone)]
pub struct ViewArgs {
    /// Weight of one follow arc (a mutual follow counts two arcs).
    #[arg(long, default_value_t = contextivity_graph::view::DEFAULT_FOLLOW_WEIGHT)]
    pub follow_weight: f32,
    /// Extra weight of a mutual follow.
    #[arg(long, default_value_t = contextivity_graph::view::DEFAULT_MUTUAL_BONUS)]
    pub mutual_bonus: f32,
    /// Weight of one interaction of a kind, as KIND=WEIGHT (repeatable; defaults: reply 3,
    /// quote 3, message 3, mention 2, repost 2, like 1, click 0.5, any other kind 1).
    #[arg(long = "kind-weight", value_name = "KIND=WEIGHT")]
    pub kind_weights: Vec<String>,
    /// Use follows only and ignore interactions.
    #[arg(long)]
    pub follows_only: bool,
}

/// How communities are searched for; shared by `cluster` and `analyze`.
#[derive(Debug, Args, Clone)]
pub struct SearchArgs {
    /// The search algorithm.
    #[arg(long, value_enum, default_value_t = AlgorithmArg::Leiden)]
    pub algorithm: AlgorithmArg,
    /// The quality function.
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Modularity)]
    pub objective: ObjectiveArg,
    /// Seed of every random choice: the same seed gives the same result at any thread count.
    #[arg(long, default_value_t = contextivity_cluster::config::DEFAULT_SEED)]
    pub seed: u64,
    /// Leiden/Louvain iterations; 0 = until an iteration no longer improves quality.
    #[arg(long, default_value_t = 2)]
    pub iterations: u32,
    /// Leiden/Louvain: end the run when the first pass of an iteration after the first moves
    /// fewer than this share of the people (the partition is stable; the previous iteration's
    /// result is kept). 0 = always run every iteration in full.
    #[arg(long, default_value_t = contextivity_cluster::config::DEFAULT_STABLE_SHARE)]
    pub stable_share: f64,
}

/// Arguments of `cluster`.
#[derive(Debug, Args)]
pub struct ClusterArgs {
    /// The input.
    #[command(flatten)]
    pub input: InputArgs,
    /// How the layers combine.
    #[command(flatten)]
    pub view: ViewArgs,
    /// Algorithm, objective, seed and iterations.
    #[command(flatten)]
    pub search: SearchArgs,
    /// Resolution γ; several, comma-separated, are computed in one run over the loaded graph.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "1",
        allow_negative_numbers = true
    )]
    pub resolution: Vec<f64>,
    /// Cluster the directed follow graph: directed modularity (Leicht & Newman) or the map
    /// equation with directed (PageRank) flow. Interactions are not used.
    #[arg(long)]
    pub directed: bool,
    /// Where to write the memberships (`node_id<TAB>cluster_id` per line). With several
    /// resolutions, one file per resolution: NAME.r<γ>.EXT.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Also write the partition of every aggregation level: NAME.level<k>.EXT (finest first).
    #[arg(long)]
    pub levels: bool,
    /// Topic weight W in [0, 1]: every tie's weight becomes w · ((1 − W) + W · cos(u, v)), the
    /// cosine of the two people's TF-IDF term vectors (posts, hashtags, bio, attributes).
    /// 0 clusters by structure only. Applied only when topics agree with structure (see
    /// `--force-topics`).
    #[arg(long, default_value_t = 0.0)]
    pub topics: f64,
    /// Add up to K topical nearest neighbours per person as weak edges, so people who share a
    /// context but never interacted can meet (0: none).
    #[arg(long, default_value_t = 0)]
    pub topic_knn: usize,
    /// Leave this person attribute column out of the topics (repeatable), e.g. `value`, the
    /// GML attribute that holds polblogs' and polbooks' ground truth, so the truth does not
    /// shape the clusters or their labels. An unknown column is an error listing the export's
    /// attribute columns.
    #[arg(long = "topic-skip-column", value_name = "NAME")]
    pub topic_skip_columns: Vec<String>,
    /// Blend topics even when they do not agree with structure. Without it, topics shape the
    /// clustering only when connected people are measurably more alike than chance (lift of
    /// the mean tie cosine ≥ 1.1 over a degree-preserving null, z ≥ 3, at least 30 ties);
    /// otherwise the run clusters by structure only, exactly as `--topics 0`. The agreement is
    /// measured and reported either way.
    #[arg(long)]
    pub force_topics: bool,
}

/// Graph files `analyze --export` can add to the report folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportArg {
    /// `graph.gexf` for Gephi, with cluster and metric attributes on every person.
    Gexf,
    /// `graph.graphml`, with the same attributes.
    Graphml,
}

/// Arguments of `analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The input.
    #[command(flatten)]
    pub input: InputArgs,
    /// How the layers combine.
    #[command(flatten)]
    pub view: ViewArgs,
    /// Algorithm, objective, seed and iterations.
    #[command(flatten)]
    pub search: SearchArgs,
    /// Resolution γ (larger: more, smaller clusters).
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    pub resolution: f64,
    /// Topic weight W in [0, 1]: every tie's weight becomes w · ((1 − W) + W · cos(u, v)).
    /// 0 clusters by structure only; the report still names clusters by their topics. Applied
    /// only when topics agree with structure (see `--force-topics`).
    #[arg(long, default_value_t = contextivity_topics::DEFAULT_TOPIC_WEIGHT)]
    pub topics: f64,
    /// Topical nearest neighbours per person added as weak edges (0: none).
    #[arg(long, default_value_t = contextivity_topics::DEFAULT_KNN)]
    pub topic_knn: usize,
    /// Leave this person attribute column out of the topics (repeatable), e.g. `value`, the
    /// GML attribute that holds polblogs' and polbooks' ground truth, so the truth shapes
    /// neither the clusters nor their topic labels. An unknown column is an error listing the
    /// export's attribute columns.
    #[arg(long = "topic-skip-column", value_name = "NAME")]
    pub topic_skip_columns: Vec<String>,
    /// Blend topics even when they do not agree with structure. Without it, topics shape the
    /// clustering only when connected people are measurably more alike than chance (lift of
    /// the mean tie cosine ≥ 1.1 over a degree-preserving null, z ≥ 3, at least 30 ties);
    /// otherwise the run clusters by structure only, exactly as `--topics 0 --topic-knn 0`.
    /// The agreement is measured and reported either way; clusters are named by their topics
    /// in every case.
    #[arg(long)]
    pub force_topics: bool,
    /// Clusters with fewer members are counted in the network figures and memberships but get
    /// no section of their own.
    #[arg(long, default_value_t = 3)]
    pub min_cluster_size: u64,
    /// Key members and brokers listed per cluster.
    #[arg(long, default_value_t = contextivity_metrics::profile::DEFAULT_KEY_MEMBERS)]
    pub key_members: usize,
    /// Also write the graph for Gephi: gexf, graphml or both (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub export: Vec<ExportArg>,
    /// The report folder (created; a previous report there is replaced as a whole).
    #[arg(short, long)]
    pub output: PathBuf,
}

/// Arguments of `inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// A report folder written by `analyze`.
    pub report: PathBuf,
    /// Show this cluster in depth instead of the ranking.
    pub cluster: Option<u32>,
    /// With CLUSTER: show it side by side with this one.
    #[arg(long, value_name = "CLUSTER", requires = "cluster")]
    pub compare: Option<u32>,
    /// Rank clusters by this metric (size, density, conductance, reciprocity,
    /// interaction_rate, click_through_rate, engagement_per_member, …).
    #[arg(long, default_value = "size")]
    pub sort: String,
    /// Rows shown.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
}

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier report folder.
    pub before: PathBuf,
    /// The later report folder.
    pub after: PathBuf,
    /// Print the diff as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Ground-truth file layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TruthFormatArg {
    /// `node<TAB>community` per line (a node may appear on several lines).
    Pairs,
    /// One community per line, members separated by white space (an optional name first).
    Communities,
    /// A SNAP ego directory (EGO.circles beside EGO.feat and EGO.edges) or one EGO.circles
    /// file: every ego's circles, scored on that ego's people (detected when TRUTH is a
    /// directory holding *.circles files).
    Ego,
}

/// Arguments of `evaluate`.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// The memberships to score (`node<TAB>cluster` lines, as `cluster` writes them).
    pub memberships: PathBuf,
    /// The ground truth: a membership file, or a SNAP ego directory (e.g.
    /// ../shared/data/ego_facebook/facebook), which is scored per ego as McAuley & Leskovec
    /// do: the clusters restricted to each ego's alters against that ego's circles, the
    /// average F1 of every ego averaged over egos.
    #[arg(long)]
    pub truth: PathBuf,
    /// Layout of the truth (detected when absent: `ego` for a directory holding *.circles
    /// files, otherwise from the file's name and content).
    #[arg(long, value_enum)]
    pub truth_format: Option<TruthFormatArg>,
}

/// Generators.
#[derive(Debug, Subcommand)]
pub enum GenerateCommand {
    /// An LFR benchmark graph (Lancichinetti, Fortunato & Radicchi 2008): DIR/edges.txt and
    /// DIR/truth.tsv, plus DIR/generator.json with every parameter.
    Lfr(LfrArgs),
    /// A complete social export in the canonical layout with planted contexts, topics and an
    /// engagement model: people.csv, follows.csv, interactions.csv, posts.csv, truth.tsv and
    /// generator.json (see docs/GENERATOR.md).
    Social(SocialArgs),
}

/// Arguments of `generate social`.
#[derive(Debug, Args)]
pub struct SocialArgs {
    /// Number of people.
    #[arg(long)]
    pub people: usize,
    /// Planted contexts (default: one per 100 people).
    #[arg(long)]
    pub communities: Option<usize>,
    /// Share of follows that cross contexts.
    #[arg(long, default_value_t = contextivity_synth::social::params::DEFAULT_MIXING)]
    pub mixing: f64,
    /// Share of people in two or more contexts.
    #[arg(long, default_value_t = contextivity_synth::social::params::DEFAULT_OVERLAP)]
    pub overlap: f64,
    /// Hashtags of each context's own vocabulary.
    #[arg(long, default_value_t = contextivity_synth::social::params::DEFAULT_TOPICS_PER_COMMUNITY)]
    pub topics_per_community: usize,
    /// Days of activity the timestamps span.
    #[arg(long, default_value_t = contextivity_synth::social::params::DEFAULT_DAYS)]
    pub days: u32,
    /// Seed: the same seed gives byte-identical files at any thread count.
    #[arg(long, default_value_t = contextivity_synth::social::params::DEFAULT_SEED)]
    pub seed: u64,
    /// Output directory (created if missing).
    #[arg(short, long)]
    pub output: PathBuf,
}

/// Arguments of `generate lfr`.
#[derive(Debug, Args)]
pub struct LfrArgs {
    /// Number of nodes.
    #[arg(long)]
    pub nodes: usize,
    /// Average degree.
    #[arg(long, default_value_t = 20.0)]
    pub avg_degree: f64,
    /// Maximum degree.
    #[arg(long, default_value_t = 50)]
    pub max_degree: usize,
    /// Mixing μ: the share of each node's links that leave its community.
    #[arg(long)]
    pub mixing: f64,
    /// Degree exponent τ1.
    #[arg(long, default_value_t = 2.0)]
    pub degree_exponent: f64,
    /// Community-size exponent τ2.
    #[arg(long, default_value_t = 1.0)]
    pub community_exponent: f64,
    /// Smallest community (default: the smallest degree).
    #[arg(long)]
    pub min_community: Option<usize>,
    /// Largest community (default: the maximum degree).
    #[arg(long)]
    pub max_community: Option<usize>,
    /// Seed: the same seed gives the same graph at any thread count.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output directory (created if missing).
    #[arg(short, long)]
    pub output: PathBuf,
}
