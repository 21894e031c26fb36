//! A small, realistic report built by hand for the renderers' tests: four clusters (one below
//! the minimum size, one whose label and member ids hold HTML and CSV special characters),
//! topics, key members, brokers, an interaction matrix and weekly activity.

use std::collections::BTreeMap;

use contextivity_metrics::profile::{
    Activity, Broker, ClusterProfile, Cohesion, Engagement, Evidence, InteractionMatrix,
    InteractionProfile, KeyMember, KindFlow, NetworkProfile, SizeBucket, SizeDistribution,
    StructureCall, StructureType,
};
use contextivity_topics::{ClusterLabel, ScoredTerm, TermKind};

use crate::model::{ClusterReport, Parameters, Report, SCHEMA, SCHEMA_VERSION};

/// 2024-03-04T00:00:00Z, a Monday.
const WEEKS_START: i64 = 1_709_510_400;
/// Seconds in a week.
const WEEK: i64 = 604_800;

fn term(term: &str, kind: TermKind, score: f64, count: u64, people: u32) -> ScoredTerm {
    ScoredTerm {
        term: term.to_string(),
        kind,
        score,
        count,
        people,
    }
}

fn key(node: u32, id: &str, handle: Option<&str>, pr: f64, inside: u64, all: u64) -> KeyMember {
    KeyMember {
        node,
        id: id.to_string(),
        handle: handle.map(str::to_string),
        pagerank: pr,
        followers_inside: inside,
        followers: all,
        reported_followers: Some(all * 12),
    }
}

fn broker(node: u32, id: &str, handle: Option<&str>, p: f64, reached: u64, ext: u64) -> Broker {
    Broker {
        node,
        id: id.to_string(),
        handle: handle.map(str::to_string),
        participation: p,
        clusters_reached: reached,
        external_ties: ext,
        ties: ext * 2 + 3,
    }
}

fn flows(kinds: &[(&str, u64, u64, u64)]) -> Vec<KindFlow> {
    kinds
        .iter()
        .map(|&(kind, internal, outgoing, incoming)| KindFlow {
            kind: kind.to_string(),
            internal,
            outgoing,
            incoming,
        })
        .collect()
}

/// One cluster's figures from a few numbers; the rest follows from them.
#[allow(clippy::too_many_arguments)]
fn cluster(
    id: u32,
    size: u64,
    internal_follows: u64,
    density: Option<f64>,
    conductance: Option<f64>,
    kinds: &[(&str, u64, u64, u64)],
    posts: u64,
    impressions: u64,
    clicks: u64,
    weeks: Vec<u64>,
) -> ClusterProfile {
    let by_kind = flows(kinds);
    let internal: u64 = by_kind.iter().map(|k| k.internal).sum();
    let outgoing: u64 = by_kind.iter().map(|k| k.outgoing).sum();
    let incoming: u64 = by_kind.iter().map(|k| k.incoming).sum();
    let likes = clicks * 3;
    let reposts = clicks / 2;
    let replies = clicks / 4;
    let engagements = clicks + likes + reposts + replies;
    let followers = internal_follows + size * 7;
    let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
    let active = size * 2 / 3;
    ClusterProfile {
        cluster: id,
        size,
        cohesion: Cohesion {
            internal_follows,
            outgoing_follows: size * 4,
            incoming_follows: size * 7,
            density,
            conductance,
            reciprocity: (size > 2).then_some(0.41 - f64::from(id) * 0.07),
            followers,
            followers_inside: internal_follows,
        },
        interactions: InteractionProfile {
            by_kind,
            internal,
            outgoing,
            incoming,
            interacting_pairs: internal / 3,
            follow_pairs: internal_follows * 3 / 4,
            interaction_rate: ratio(internal / 3, internal_follows * 3 / 4),
            conversation_share: (internal > 0).then_some(0.25 + f64::from(id) * 0.1),
            repeat_pairs: internal / 9,
        },
        engagement: Engagement {
            posts,
            impressions,
            clicks,
            likes,
            reposts,
            replies,
            click_through_rate: ratio(clicks, impressions),
            likes_per_impression: ratio(likes, impressions),
            reposts_per_impression: ratio(reposts, impressions),
            replies_per_impression: ratio(replies, impressions),
            engagement_per_member: ratio(engagements, size),
            engagement_per_follower: ratio(engagements, followers * 150),
            followers: followers * 150,
            active_members: active,
            active_share: ratio(active, size),
        },
        key_members: Vec::new(),
        brokers: Vec::new(),
        activity: Activity {
            first: weeks
                .iter()
                .position(|&w| w > 0)
                .map(|w| WEEKS_START + w as i64 * WEEK + 3_600 * (7 + i64::from(id))),
            last: weeks
                .iter()
                .rposition(|&w| w > 0)
                .map(|w| WEEKS_START + w as i64 * WEEK + 86_400 * 2 + 60 * 17),
            per_week: weeks,
        },
    }
}

/// The test report: 770 people in four clusters.
pub(crate) fn report() -> Report {
    let mut c0 = cluster(
        0,
        420,
        5_124,
        Some(0.0291),
        Some(0.137),
        &[
            ("reply", 2_210, 310, 280),
            ("mention", 940, 220, 260),
            ("like", 8_010, 930, 1_020),
        ],
        1_310,
        2_480_000,
        19_400,
        vec![120, 340, 410, 380, 395, 520],
    );
    c0.key_members = vec![
        key(17, "1001", Some("ferris"), 0.0412, 188, 240),
        key(3, "1002", Some("borrowck"), 0.0377, 160, 1_950),
        key(250, "1003", None, 0.0210, 97, 110),
    ];
    c0.brokers = vec![
        broker(88, "1050", Some("bridge_builder"), 0.612, 3, 41),
        broker(91, "1051", None, 0.488, 2, 17),
    ];
    let mut c1 = cluster(
        1,
        260,
        2_011,
        Some(0.0298),
        Some(0.214),
        &[
            ("reply", 1_302, 280, 240),
            ("mention", 410, 190, 150),
            ("like", 3_900, 800, 640),
        ],
        640,
        910_000,
        4_120,
        vec![40, 90, 160, 150, 170, 210],
    );
    c1.key_members = vec![
        key(402, "2001", Some("sunny"), 0.0633, 140, 9_800),
        key(431, "2002", Some("windy"), 0.0417, 96, 120),
    ];
    c1.brokers = vec![broker(88, "1050", Some("bridge_builder"), 0.577, 3, 38)];
    let mut c2 = cluster(
        2,
        85,
        301,
        Some(0.0421),
        Some(0.402),
        &[
            ("reply", 120, 60, 90),
            ("mention", 33, 40, 21),
            ("like", 400, 150, 210),
        ],
        95,
        40_500,
        610,
        vec![0, 12, 30, 28, 19, 44],
    );
    c2.key_members = vec![key(
        601,
        "3001,\"x\"",
        Some("<b>bold</b>&co"),
        0.122,
        30,
        31,
    )];
    c2.brokers = Vec::new();
    let c3 = cluster(
        3,
        2,
        1,
        Some(0.5),
        None,
        &[("reply", 0, 1, 0), ("mention", 0, 0, 0), ("like", 0, 2, 1)],
        0,
        0,
        0,
        vec![0, 0, 0, 1, 0, 0],
    );
    let topics0 = ClusterLabel {
        cluster: 0,
        size: 420,
        label: "#rustlang · compiler · crates.io".to_string(),
        hashtags: vec![term("#rustlang", TermKind::Hashtag, 0.0912, 1_840, 302)],
        mentions: vec![term("@ferris", TermKind::Mention, 0.0213, 320, 151)],
        domains: vec![term("crates.io", TermKind::Domain, 0.0351, 410, 122)],
        words: vec![
            term("compiler", TermKind::Word, 0.0424, 660, 201),
            term("borrow", TermKind::Word, 0.0318, 402, 160),
        ],
        attributes: Vec::new(),
    };
    let topics1 = ClusterLabel {
        cluster: 1,
        size: 260,
        label: "#climate · #energy · solar".to_string(),
        hashtags: vec![
            term("#climate", TermKind::Hashtag, 0.1201, 1_210, 201),
            term("#energy", TermKind::Hashtag, 0.0804, 730, 150),
        ],
        mentions: Vec::new(),
        domains: vec![term("example.org", TermKind::Domain, 0.0122, 90, 40)],
        words: vec![term("solar", TermKind::Word, 0.0603, 540, 131)],
        attributes: vec![term("region:north", TermKind::Attribute, 0.0101, 70, 70)],
    };
    let topics2 = ClusterLabel {
        cluster: 2,
        size: 85,
        label: "<script> · \"quoted\" · a&b".to_string(),
        hashtags: Vec::new(),
        mentions: Vec::new(),
        domains: Vec::new(),
        words: vec![
            term("<script>", TermKind::Word, 0.2, 40, 20),
            term("\"quoted\"", TermKind::Word, 0.15, 30, 12),
            term("a&b", TermKind::Word, 0.1, 22, 9),
        ],
        attributes: Vec::new(),
    };
    let mut kind_weights = BTreeMap::new();
    kind_weights.insert("like".to_string(), 0.25);
    kind_weights.insert("mention".to_string(), 0.5);
    kind_weights.insert("reply".to_string(), 1.0);
    Report {
        schema: SCHEMA.to_string(),
        version: SCHEMA_VERSION,
        generator: "contextivity 0.1.0".to_string(),
        input: "data/sample".to_string(),
        parameters: Parameters {
            algorithm: "leiden".to_string(),
            objective: "modularity".to_string(),
            resolution: 1.0,
            seed: 42,
            topic_weight: 0.5,
            topic_knn: 10,
            topics_applied: true,
            topics_reason: "topics agree with structure: connected people are 2.10x as alike \
                            as chance (mean cosine 0.210 across 11402 ties, 0.100 at random, \
                            z = 41.0); topic weight 0.5, 10 topical neighbours"
                .to_string(),
            topic_skip_columns: vec!["value".to_string()],
            iterations: Some(2),
            stable_share: Some(0.001),
            follow_weight: 1.0,
            mutual_bonus: 0.5,
            kind_weights,
            min_cluster_size: 3,
        },
        network: NetworkProfile {
            people: 770,
            follows: 11_402,
            directed: true,
            interactions: 25_118,
            posts: 2_045,
            clusters: 4,
            follow_modularity: 0.4127,
            follows_inside_share: Some(0.6713),
            interactions_inside_share: Some(0.7402),
            reciprocity: Some(0.3318),
            top_percent_follower_share: Some(0.2104),
            sizes: SizeDistribution {
                largest: 420,
                median: 172.5,
                singletons: 0,
                largest_share: 420.0 / 770.0,
                top10_share: 1.0,
                histogram: vec![
                    SizeBucket {
                        min: 2,
                        max: 3,
                        clusters: 1,
                    },
                    SizeBucket {
                        min: 64,
                        max: 127,
                        clusters: 1,
                    },
                    SizeBucket {
                        min: 256,
                        max: 511,
                        clusters: 2,
                    },
                ],
            },
            first_activity: Some(WEEKS_START + 3_600 * 7),
            last_activity: Some(WEEKS_START + 5 * WEEK + 86_400 * 2 + 60 * 17),
            weeks_start: Some(WEEKS_START),
            matrix: InteractionMatrix {
                labels: vec!["0".into(), "1".into(), "2".into(), "other".into()],
                counts: vec![
                    vec![11_160, 1_120, 338, 2],
                    vec![910, 5_612, 360, 0],
                    vec![290, 170, 553, 0],
                    vec![1, 0, 0, 0],
                ],
            },
            structure: StructureCall {
                kind: StructureType::CommunityClusters,
                reason: "three medium-sized groups, each with its own hub and conversation"
                    .to_string(),
                evidence: vec![
                    Evidence {
                        name: "largest_share".to_string(),
                        value: 420.0 / 770.0,
                        threshold: 0.6,
                        holds: true,
                    },
                    Evidence {
                        name: "interactions_inside_share".to_string(),
                        value: 0.7402,
                        threshold: 0.5,
                        holds: true,
                    },
                    Evidence {
                        name: "isolate_share".to_string(),
                        value: 0.0,
                        threshold: 0.3,
                        holds: false,
                    },
                ],
            },
        },
        clusters: vec![
            ClusterReport {
                profile: c0,
                topics: Some(topics0),
            },
            ClusterReport {
                profile: c1,
                topics: Some(topics1),
            },
            ClusterReport {
                profile: c2,
                topics: Some(topics2),
            },
            ClusterReport {
                profile: c3,
                topics: None,
            },
        ],
    }
}

/// Memberships matching [`report`]: person ids `p0`… in cluster order.
pub(crate) fn memberships() -> Vec<(String, u32)> {
    let sizes = [420, 260, 85, 2];
    let mut out = Vec::new();
    let mut next = 0;
    for (c, &n) in sizes.iter().enumerate() {
        for _ in 0..n {
            out.push((format!("p{next}"), c as u32));
            next += 1;
        }
    }
    out
}
