//! The plain data that [`profile`](super::profile) returns: one [`ClusterProfile`] per cluster
//! and a [`NetworkProfile`] of the whole graph.
//!
//! These records are the numbers of the report (`report.json`, `clusters.csv`, the Markdown and
//! HTML pages, `inspect` and `diff`), so every field says what it counts and the formula is in
//! `docs/METRICS.md` under the same name. Ratios whose denominator is zero are `None` (JSON
//! `null`), never `NaN`. Times are seconds since the Unix epoch (UTC).

use serde::{Deserialize, Serialize};

/// Settings of [`profile`](super::profile); the defaults are the `DEFAULT_*` constants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProfileConfig {
    /// Key members listed per cluster (top by in-cluster PageRank).
    pub key_members: usize,
    /// Brokers listed per cluster (top by participation coefficient).
    pub brokers: usize,
    /// PageRank damping factor (probability of following a tie rather than teleporting).
    pub damping: f64,
    /// PageRank stops after this many power iterations at most …
    pub max_iterations: usize,
    /// … or when the L1 change of the rank vector falls below this.
    pub tolerance: f64,
    /// Clusters shown individually in the cluster-to-cluster interaction matrix; the rest are
    /// pooled into one "other" row and column.
    pub matrix_clusters: usize,
    /// A broker must have at least this many ties (follows in either direction plus
    /// interaction partners) for its participation coefficient to count.
    pub min_broker_ties: u64,
}

/// Default of [`ProfileConfig::key_members`].
pub const DEFAULT_KEY_MEMBERS: usize = 10;
/// Default of [`ProfileConfig::brokers`].
pub const DEFAULT_BROKERS: usize = 10;
/// Default of [`ProfileConfig::damping`] (Brin & Page).
pub const DEFAULT_DAMPING: f64 = 0.85;
/// Default of [`ProfileConfig::max_iterations`].
pub const DEFAULT_PAGERANK_ITERATIONS: usize = 100;
/// Default of [`ProfileConfig::tolerance`].
pub const DEFAULT_PAGERANK_TOLERANCE: f64 = 1e-10;
/// Default of [`ProfileConfig::matrix_clusters`].
pub const DEFAULT_MATRIX_CLUSTERS: usize = 12;
/// Default of [`ProfileConfig::min_broker_ties`].
pub const DEFAULT_MIN_BROKER_TIES: u64 = 3;

impl Default for ProfileConfig {
    fn default() -> Self {
        ProfileConfig {
            key_members: DEFAULT_KEY_MEMBERS,
            brokers: DEFAULT_BROKERS,
            damping: DEFAULT_DAMPING,
            max_iterations: DEFAULT_PAGERANK_ITERATIONS,
            tolerance: DEFAULT_PAGERANK_TOLERANCE,
            matrix_clusters: DEFAULT_MATRIX_CLUSTERS,
            min_broker_ties: DEFAULT_MIN_BROKER_TIES,
        }
    }
}

/// Everything measured about one run: the whole network and each cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The whole network.
    pub network: NetworkProfile,
    /// One entry per cluster, in cluster order (cluster 0 = largest).
    pub clusters: Vec<ClusterProfile>,
}

/// The shape of the whole network under the partition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworkProfile {
    /// People in the graph.
    pub people: u64,
    /// Distinct follow ties (directed pairs; an undirected input counts each tie once).
    pub follows: u64,
    /// Whether the follow layer is directed.
    pub directed: bool,
    /// Interaction events (merged duplicates counted as often as they occurred).
    pub interactions: u64,
    /// Posts.
    pub posts: u64,
    /// Number of clusters.
    pub clusters: u64,
    /// Newman–Girvan modularity (γ = 1) of the partition on the undirected follow graph.
    pub follow_modularity: f64,
    /// Share of follow ties whose two ends are in the same cluster.
    pub follows_inside_share: Option<f64>,
    /// Share of interaction events whose two ends are in the same cluster.
    pub interactions_inside_share: Option<f64>,
    /// Follow reciprocity of the whole graph: mutual pairs ÷ connected pairs.
    pub reciprocity: Option<f64>,
    /// Share of all follower ties (in-degree) held by the top 1 % of people.
    pub top_percent_follower_share: Option<f64>,
    /// Cluster sizes: largest, median, singletons and a histogram.
    pub sizes: SizeDistribution,
    /// Earliest activity (interaction or post time) in the export.
    pub first_activity: Option<i64>,
    /// Latest activity in the export.
    pub last_activity: Option<i64>,
    /// Start of the first week of [`ClusterProfile::activity`] histograms (Monday 00:00 UTC on
    /// or before `first_activity`).
    pub weeks_start: Option<i64>,
    /// Interaction events between clusters: the largest clusters and one pooled "other".
    pub matrix: InteractionMatrix,
    /// The network's structure type and the evidence for it.
    pub structure: StructureCall,
}

/// How cluster sizes are spread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SizeDistribution {
    /// Size of the largest cluster.
    pub largest: u64,
    /// Median cluster size.
    pub median: f64,
    /// Clusters of one person.
    pub singletons: u64,
    /// Share of people in the largest cluster.
    pub largest_share: f64,
    /// Share of people in the ten largest clusters.
    pub top10_share: f64,
    /// Counts of clusters by size bucket (1, 2–3, 4–7, 8–15, … powers of two).
    pub histogram: Vec<SizeBucket>,
}

/// One bucket of [`SizeDistribution::histogram`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeBucket {
    /// Smallest size in the bucket.
    pub min: u64,
    /// Largest size in the bucket.
    pub max: u64,
    /// Clusters whose size falls in `min..=max`.
    pub clusters: u64,
}

/// Interaction events between clusters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InteractionMatrix {
    /// Row/column labels: cluster ids as decimal strings, then `"other"` if any cluster was
    /// pooled.
    pub labels: Vec<String>,
    /// `counts[i][j]` = events from a member of row cluster `i` to a member of column cluster `j`.
    pub counts: Vec<Vec<u64>>,
}

/// The six structures of Smith, Rainie, Shneiderman & Himelboim (Pew Research Center 2014).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StructureType {
    /// Two large dense groups with little between them.
    PolarizedCrowd,
    /// One or a few dense, highly interconnected groups; few isolates.
    TightCrowd,
    /// Many small groups and many isolates around popular hubs that are mentioned, not talked with.
    BrandClusters,
    /// Several medium-sized groups, each with its own hub and conversation.
    CommunityClusters,
    /// A hub many people repeat (inward hub-and-spoke), with small groups of its audience.
    BroadcastNetwork,
    /// A hub that replies to many (outward hub-and-spoke).
    SupportNetwork,
}

/// The structure type called for the network, with the measurements that led to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StructureCall {
    /// The call.
    pub kind: StructureType,
    /// One sentence saying why, in terms of the evidence.
    pub reason: String,
    /// Every measurement the rule looked at, with the threshold it was compared against.
    pub evidence: Vec<Evidence>,
}

/// One measurement behind a [`StructureCall`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// What was measured (a stable snake_case name, documented in `docs/METRICS.md`).
    pub name: String,
    /// The measured value.
    pub value: f64,
    /// The threshold of our rule it was compared with (ours, documented, not Pew's).
    pub threshold: f64,
    /// Whether the rule's condition on this measurement held.
    pub holds: bool,
}

/// Everything measured about one cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClusterProfile {
    /// Cluster id (0 = largest).
    pub cluster: u32,
    /// Members.
    pub size: u64,
    /// The relationships: follow ties inside and across the boundary.
    pub cohesion: Cohesion,
    /// Interactions by kind, internal and across the boundary.
    pub interactions: InteractionProfile,
    /// Posts and their engagement.
    pub engagement: Engagement,
    /// Most central members inside the cluster, beside their raw follower counts.
    pub key_members: Vec<KeyMember>,
    /// Members whose ties span many clusters.
    pub brokers: Vec<Broker>,
    /// When the cluster was active.
    pub activity: Activity,
}

/// Follow-tie cohesion of one cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cohesion {
    /// Follow ties with both ends inside (directed ties counted once each).
    pub internal_follows: u64,
    /// Follow ties from a member to a non-member.
    pub outgoing_follows: u64,
    /// Follow ties from a non-member to a member.
    pub incoming_follows: u64,
    /// internal_follows ÷ possible ties (n(n−1) directed, n(n−1)/2 undirected).
    pub density: Option<f64>,
    /// Boundary ÷ min(volume inside, volume outside) on the undirected follow graph.
    pub conductance: Option<f64>,
    /// Mutual internal pairs ÷ internal connected pairs (directed follow layers only).
    pub reciprocity: Option<f64>,
    /// Followers of members in the whole graph (follow in-degree summed over members).
    pub followers: u64,
    /// Of those, followers who are themselves members.
    pub followers_inside: u64,
}

/// Interaction events of one kind, split by where they go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindFlow {
    /// The kind's name.
    pub kind: String,
    /// Events from a member to a member.
    pub internal: u64,
    /// Events from a member to a non-member.
    pub outgoing: u64,
    /// Events from a non-member to a member.
    pub incoming: u64,
}

/// The interactions of one cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InteractionProfile {
    /// Per kind, in kind-table order; kinds absent from the export are left out.
    pub by_kind: Vec<KindFlow>,
    /// Events from a member to a member, all kinds.
    pub internal: u64,
    /// Events from a member to a non-member.
    pub outgoing: u64,
    /// Events from a non-member to a member.
    pub incoming: u64,
    /// Distinct unordered member pairs with at least one internal interaction.
    pub interacting_pairs: u64,
    /// Distinct unordered member pairs joined by a follow tie (either direction).
    pub follow_pairs: u64,
    /// interacting_pairs ÷ follow_pairs.
    pub interaction_rate: Option<f64>,
    /// Internal replies answered by a reply in the other direction ÷ internal replies.
    pub conversation_share: Option<f64>,
    /// Interacting pairs (internal, unordered) with two or more events.
    pub repeat_pairs: u64,
}

/// Posts by members and the engagement they received.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Engagement {
    /// Posts by members.
    pub posts: u64,
    /// Impressions summed over those posts (missing values count as 0).
    pub impressions: u64,
    /// Clicks.
    pub clicks: u64,
    /// Likes.
    pub likes: u64,
    /// Reposts.
    pub reposts: u64,
    /// Replies.
    pub replies: u64,
    /// clicks ÷ impressions.
    pub click_through_rate: Option<f64>,
    /// likes ÷ impressions.
    pub likes_per_impression: Option<f64>,
    /// reposts ÷ impressions.
    pub reposts_per_impression: Option<f64>,
    /// replies ÷ impressions.
    pub replies_per_impression: Option<f64>,
    /// engagements (clicks + likes + reposts + replies) ÷ members.
    pub engagement_per_member: Option<f64>,
    /// engagements ÷ followers of members (reported follower counts where the export gives
    /// them, follow in-degree otherwise): "2 % of 1,200" and "0.2 % of 120,000" compare directly.
    pub engagement_per_follower: Option<f64>,
    /// Followers used for `engagement_per_follower`.
    pub followers: u64,
    /// Members who posted or started an interaction in the export's period.
    pub active_members: u64,
    /// active_members ÷ size.
    pub active_share: Option<f64>,
}

/// A member central inside its cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyMember {
    /// Dense node index.
    pub node: u32,
    /// The person's id in the export.
    pub id: String,
    /// Handle, when the export gives one.
    pub handle: Option<String>,
    /// PageRank on the cluster's induced follow + interaction subgraph (sums to 1 per cluster).
    pub pagerank: f64,
    /// Followers inside the cluster.
    pub followers_inside: u64,
    /// Followers in the whole graph (follow in-degree).
    pub followers: u64,
    /// The follower count the export reports (e.g. the platform's), if any.
    pub reported_followers: Option<u64>,
}

/// A member whose ties span several clusters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Broker {
    /// Dense node index.
    pub node: u32,
    /// The person's id in the export.
    pub id: String,
    /// Handle, when the export gives one.
    pub handle: Option<String>,
    /// Participation coefficient 1 − Σ_c (k_c / k)² (Guimerà & Amaral 2005) over all ties.
    pub participation: f64,
    /// Distinct clusters (own included) the member's ties reach.
    pub clusters_reached: u64,
    /// Ties to people outside the cluster.
    pub external_ties: u64,
    /// All ties.
    pub ties: u64,
}

/// When a cluster was active.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Earliest interaction started or post written by a member.
    pub first: Option<i64>,
    /// Latest.
    pub last: Option<i64>,
    /// Events (interactions started + posts) per week from
    /// [`NetworkProfile::weeks_start`]; the same number of weeks for every cluster.
    pub per_week: Vec<u64>,
}
