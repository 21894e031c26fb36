//! The report model: what `analyze` measured, as one serde record.
//!
//! `report.json` is this record serialised; every other output (`clusters.csv`,
//! `memberships.csv`, `report.md`, `report.html`, `inspect`, `diff`) is rendered from it, so the
//! same number appears everywhere. The layout is versioned by [`SCHEMA`] and
//! [`SCHEMA_VERSION`] and documented in `docs/REPORT.md`; the metrics' formulas are in
//! `docs/METRICS.md`.
//!
//! The report holds no timings and no thread count: the same input, parameters and seed give a
//! byte-identical `report.json` on any machine.

use contextivity_metrics::profile::{ClusterProfile, NetworkProfile};
use contextivity_topics::ClusterLabel;
use serde::{Deserialize, Serialize};

/// The `schema` field of every report.
pub const SCHEMA: &str = "contextivity.report";
/// The layout version; bumped whenever a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// One run of `analyze`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Always [`SCHEMA_VERSION`] for reports this build writes.
    pub version: u32,
    /// The contextivity version that wrote it.
    pub generator: String,
    /// The input as the user named it.
    pub input: String,
    /// Every parameter of the run, seed included.
    pub parameters: Parameters,
    /// The whole network.
    pub network: NetworkProfile,
    /// Every cluster, largest first (cluster `i` is at index `i`).
    pub clusters: Vec<ClusterReport>,
}

/// The run's parameters, enough to reproduce it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parameters {
    /// `leiden`, `louvain` or `lpa`.
    pub algorithm: String,
    /// `modularity`, `cpm` or `map`.
    pub objective: String,
    /// Resolution γ.
    pub resolution: f64,
    /// Random seed.
    pub seed: u64,
    /// Topic weight W of `w · ((1 − W) + W · cos)` as requested; 0 = structure only. Whether it
    /// shaped the clusters is [`topics_applied`](Self::topics_applied).
    pub topic_weight: f64,
    /// Topical nearest neighbours added per person as requested (0 = none).
    pub topic_knn: usize,
    /// Whether topics shaped the clustering: `true` when the requested blend was applied
    /// (topics agree with structure, or `--force-topics`); `false` when the clusters are those
    /// of structure only (no topics requested, no text, or topics that do not agree with
    /// structure). Reports written before the check lack it and read as `false` with an empty
    /// [`topics_reason`](Self::topics_reason); they applied any requested blend.
    #[serde(default)]
    pub topics_applied: bool,
    /// Why topics were or were not applied, with the evidence: how much more alike connected
    /// people are than chance (lift and z of the mean cosine across ties against a
    /// degree-preserving null).
    #[serde(default)]
    pub topics_reason: String,
    /// Attribute columns left out of the topics (`--topic-skip-column`), for example a column
    /// that is also the ground truth. Empty in reports written before the option.
    #[serde(default)]
    pub topic_skip_columns: Vec<String>,
    /// Leiden/Louvain iterations asked for (`--iterations`; `Some(0)` = until an iteration no
    /// longer improves quality). `None` in reports written before it was recorded.
    #[serde(default)]
    pub iterations: Option<u32>,
    /// The share of people below which a later iteration's first pass ends the run
    /// (`--stable-share`). `None` in reports written before it was recorded.
    #[serde(default)]
    pub stable_share: Option<f64>,
    /// Weight of a follow tie in the clustering view.
    pub follow_weight: f64,
    /// Extra weight of a mutual follow.
    pub mutual_bonus: f64,
    /// Weight of each interaction kind in the clustering view.
    pub kind_weights: std::collections::BTreeMap<String, f64>,
    /// Clusters smaller than this were left out of the per-cluster sections (their members
    /// still count in the network figures and in `memberships.csv`).
    pub min_cluster_size: u64,
}

/// One cluster: its measurements and what it talks about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterReport {
    /// The measurements (cluster id, size, cohesion, interactions, engagement, key members,
    /// brokers, activity).
    #[serde(flatten)]
    pub profile: ClusterProfile,
    /// Distinctive terms by class-based TF-IDF; `None` when the export has no text or
    /// attributes.
    pub topics: Option<ClusterLabel>,
}

impl Report {
    /// The cluster with id `cluster`, if the report lists it.
    pub fn cluster(&self, cluster: u32) -> Option<&ClusterReport> {
        self.clusters.iter().find(|c| c.profile.cluster == cluster)
    }

    /// The short topical label of `cluster` (empty when there is none).
    pub fn label(&self, cluster: u32) -> &str {
        self.cluster(cluster)
            .and_then(|c| c.topics.as_ref())
            .map_or("", |t| t.label.as_str())
    }
}
