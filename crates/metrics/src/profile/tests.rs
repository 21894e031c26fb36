//! Every metric on the hand-made ten-person export `tests/fixtures/canonical/tiny/`, with the
//! arithmetic written out; determinism across thread counts; empty and degenerate graphs; and
//! property tests of the shares. Graph generators shared by the tests of the other files.

use contextivity_graph::interactions::NO_TIME;
use contextivity_graph::{BuildConfig, GraphBuilder, Partition, Post, Rng, SocialGraph};
use proptest::prelude::*;

use super::*;

/// 2024-03-01 00:00 UTC.
const MARCH_1: i64 = 1_709_251_200;

/// Seconds since the epoch of `day` March 2024 at `h:m` UTC.
fn march(day: i64, h: i64, m: i64) -> i64 {
    MARCH_1 + (day - 1) * 86_400 + h * 3_600 + m * 60
}

/// The fixture `tests/fixtures/canonical/tiny/`, copied value by value (follow times are not
/// part of the model). People are numbered in file order: u01 = node 0 … u10 = node 9.
pub(crate) fn tiny(undirected: bool) -> SocialGraph {
    let mut b = GraphBuilder::new(BuildConfig {
        undirected_follows: undirected,
        ..Default::default()
    });
    let people = [
        ("u01", "@ada_stats", "4210"),
        ("u02", "@ben_codes", "1893"),
        ("u03", "@chloe_ml", "2750"),
        ("u04", "@dev_rao", "640"),
        ("u05", "@emma_rides", "12040"),
        ("u06", "@finn_climbs", "3305"),
        ("u07", "@gia_velo", "880"),
        ("u08", "@hugo_spokes", "415"),
        ("u09", "@iris_bridges", "1502"),
        ("u10", "@jon_lurker", "12"),
    ];
    let mut ids = Vec::new();
    for (id, handle, followers) in people {
        let node = b.node(id).unwrap();
        b.set_attribute(node, "handle", handle);
        b.set_attribute(node, "followers_count", followers);
        ids.push(node);
    }
    let p = |label: &str| ids[label[1..].parse::<usize>().unwrap() - 1];
    for (u, v) in [
        ("u01", "u02"),
        ("u02", "u01"),
        ("u01", "u03"),
        ("u03", "u01"),
        ("u02", "u03"),
        ("u03", "u02"),
        ("u04", "u01"),
        ("u04", "u02"),
        ("u04", "u03"),
        ("u02", "u04"),
        ("u05", "u06"),
        ("u06", "u05"),
        ("u05", "u07"),
        ("u07", "u05"),
        ("u06", "u07"),
        ("u07", "u06"),
        ("u08", "u05"),
        ("u08", "u07"),
        ("u07", "u08"),
        ("u09", "u03"),
        ("u03", "u09"),
        ("u09", "u05"),
        ("u10", "u05"),
        ("u10", "u02"),
    ] {
        b.add_follow(p(u), p(v), 1.0);
    }
    for (u, v, kind, t) in [
        ("u02", "u01", "reply", march(1, 9, 15)),
        ("u01", "u02", "reply", march(1, 9, 40)),
        ("u03", "u01", "mention", march(1, 10, 2)),
        ("u04", "u02", "like", march(1, 11, 30)),
        ("u04", "u03", "like", march(1, 11, 31)),
        ("u03", "u02", "repost", march(2, 8, 0)),
        ("u09", "u03", "reply", march(2, 8, 45)),
        ("u02", "u09", "click", march(2, 9, 0)),
        ("u06", "u05", "reply", march(3, 7, 10)),
        ("u07", "u05", "reply", march(3, 7, 25)),
        ("u05", "u07", "mention", march(3, 7, 40)),
        ("u08", "u07", "like", march(3, 12, 0)),
        ("u07", "u06", "repost", march(3, 12, 30)),
        ("u09", "u05", "like", march(4, 18, 0)),
        ("u10", "u05", "click", march(4, 19, 0)),
        ("u10", "u02", "click", march(4, 19, 1)),
    ] {
        let kind = b.kind(kind).unwrap();
        b.add_interaction(p(u), p(v), kind, Some(t), 1.0);
    }
    // id, author, time, impressions, clicks, likes, reposts, replies
    for (id, author, t, imp, clicks, likes, reposts, replies) in [
        ("t1", "u01", march(1, 9, 0), 5200, 310, 88, 21, 2),
        ("t2", "u02", march(1, 9, 15), 900, 12, 9, 0, 1),
        ("t3", "u03", march(1, 10, 0), 8100, 640, 150, 47, 6),
        ("t4", "u04", march(1, 11, 0), 1400, 55, 23, 3, 0),
        ("t5", "u05", march(3, 7, 0), 21000, 980, 640, 55, 2),
        ("t6", "u06", march(3, 7, 10), 1300, 20, 41, 0, 0),
        ("t7", "u07", march(3, 7, 20), 3100, 150, 77, 12, 1),
        ("t8", "u09", march(4, 18, 0), 2600, 130, 54, 9, 0),
    ] {
        b.add_post(Post {
            id: id.into(),
            author: p(author),
            time: Some(t),
            impressions: Some(imp),
            clicks: Some(clicks),
            likes: Some(likes),
            reposts: Some(reposts),
            replies: Some(replies),
            ..Post::default()
        });
    }
    b.build().unwrap()
}

/// A = {u01, u02, u03, u04, u09, u10} is cluster 0, B = {u05, u06, u07, u08} cluster 1.
pub(crate) fn tiny_partition() -> Partition {
    Partition::from_labels(&[0, 0, 0, 0, 1, 1, 1, 1, 0, 0])
}

/// A seeded random export: `follows` random arcs, `interactions` random events (some merged
/// duplicates, some without time), a post for every third person, and a partition into
/// clusters of skewed sizes.
pub(crate) fn random_graph(
    n: usize,
    follows: usize,
    interactions: usize,
    seed: u64,
    undirected: bool,
) -> (SocialGraph, Partition) {
    let mut rng = Rng::new(seed);
    let mut b = GraphBuilder::new(BuildConfig {
        undirected_follows: undirected,
        ..Default::default()
    });
    let ids: Vec<_> = (0..n).map(|i| b.node(&format!("p{i}")).unwrap()).collect();
    let clusters = (n / 25).max(1) as u64;
    // Skewed sizes: the square of a uniform draw favours low cluster numbers.
    let labels: Vec<u32> = (0..n)
        .map(|_| {
            let x = rng.next_f64();
            ((x * x) * clusters as f64) as u32
        })
        .collect();
    let pick = |rng: &mut Rng, same: Option<u32>| loop {
        let v = rng.below(n as u64) as usize;
        if same.is_none_or(|c| labels[v] == c) || rng.below(4) == 0 {
            return v;
        }
    };
    for _ in 0..follows {
        let u = rng.below(n as u64) as usize;
        let v = pick(&mut rng, Some(labels[u]));
        b.add_follow(ids[u], ids[v], 1.0);
    }
    let names = ["reply", "mention", "like", "click", "boost"];
    for _ in 0..interactions {
        let u = rng.below(n as u64) as usize;
        let v = pick(&mut rng, Some(labels[u]));
        let kind = b.kind(names[rng.below(5) as usize]).unwrap();
        let time = (rng.below(5) != 0).then(|| MARCH_1 + rng.below(40) as i64 * 86_400);
        b.add_interaction(ids[u], ids[v], kind, time, 1.0);
        if rng.below(10) == 0 {
            b.add_interaction(ids[u], ids[v], kind, time, 1.0);
        }
    }
    for i in (0..n).step_by(3) {
        b.add_post(Post {
            id: format!("post{i}").into(),
            author: ids[i],
            time: (i % 2 == 0).then_some(MARCH_1 - i as i64 * 3_600),
            impressions: (i % 5 != 0).then_some(100 + i as u64),
            likes: Some(i as u64 % 7),
            ..Post::default()
        });
        if i % 4 == 0 {
            b.set_attribute(ids[i], "followers_count", &format!("{}", 10 * i));
        }
    }
    (b.build().unwrap(), Partition::from_labels(&labels))
}

fn close(x: Option<f64>, y: f64) -> bool {
    x.is_some_and(|x| (x - y).abs() < 1e-12)
}

#[test]
fn cohesion_of_the_tiny_export() {
    let p = profile(&tiny(false), &tiny_partition(), &ProfileConfig::default()).unwrap();
    let (a, b) = (&p.clusters[0], &p.clusters[1]);
    assert_eq!((a.size, b.size), (6, 4));
    // Follows inside A: u01↔u02, u01↔u03, u02↔u03 (6 arcs), u04→u01, u04→u02, u04→u03,
    // u02→u04, u09↔u03 (2), u10→u02 = 13; A → B: u09→u05, u10→u05 = 2; B → A: none.
    // Inside B: u05↔u06, u05↔u07, u06↔u07 (6), u08→u05, u08→u07, u07→u08 = 9.
    let ca = &a.cohesion;
    assert_eq!(
        (
            ca.internal_follows,
            ca.outgoing_follows,
            ca.incoming_follows
        ),
        (13, 2, 0)
    );
    let cb = &b.cohesion;
    assert_eq!(
        (
            cb.internal_follows,
            cb.outgoing_follows,
            cb.incoming_follows
        ),
        (9, 0, 2)
    );
    // Density: 13 / (6·5) and 9 / (4·3).
    assert!(close(ca.density, 13.0 / 30.0) && close(cb.density, 0.75));
    // Undirected follow graph: strengths (out + in) u01 2+3, u02 3+4, u03 3+4, u04 3+1,
    // u09 2+1, u10 2+0 → S_A = 28; u05 2+5, u06 2+2, u07 3+3, u08 2+1 → S_B = 20; 2W = 48.
    // Cut = 2 (the two arcs A → B): φ = 2 / min(28, 20) = 0.1 for both.
    assert!(close(ca.conductance, 0.1) && close(cb.conductance, 0.1));
    // Internal pairs of A: {01,02}m {01,03}m {02,03}m {04,01} {04,02}m {04,03} {09,03}m
    // {10,02} → 5 mutual of 8. B: {05,06}m {05,07}m {06,07}m {08,05} {08,07}m → 4 of 5.
    assert!(close(ca.reciprocity, 5.0 / 8.0) && close(cb.reciprocity, 0.8));
    // Followers: u01 3, u02 4, u03 4, u04 1, u09 1, u10 0 = 13, all from A.
    // u05 5 (u06, u07, u08, u09, u10), u06 2, u07 3, u08 1 = 11, of which 9 from B.
    assert_eq!((ca.followers, ca.followers_inside), (13, 13));
    assert_eq!((cb.followers, cb.followers_inside), (11, 9));
}

#[test]
fn interactions_of_the_tiny_export() {
    let p = profile(&tiny(false), &tiny_partition(), &ProfileConfig::default()).unwrap();
    let (a, b) = (&p.clusters[0].interactions, &p.clusters[1].interactions);
    let flows = |x: &InteractionProfile| -> Vec<(String, u64, u64, u64)> {
        x.by_kind
            .iter()
            .map(|f| (f.kind.clone(), f.internal, f.outgoing, f.incoming))
            .collect()
    };
    let f = |k: &str, i, o, n| (k.to_string(), i, o, n);
    // Kinds in kind-table order, quote and message absent from the export.
    // A: replies u02→u01, u01→u02, u09→u03; mention u03→u01; repost u03→u02; likes u04→u02,
    // u04→u03 inside and u09→u05 out; clicks u02→u09, u10→u02 inside and u10→u05 out.
    assert_eq!(
        flows(a),
        vec![
            f("reply", 3, 0, 0),
            f("mention", 1, 0, 0),
            f("repost", 1, 0, 0),
            f("like", 2, 1, 0),
            f("click", 2, 1, 0),
        ]
    );
    // B: replies u06→u05, u07→u05; mention u05→u07; repost u07→u06; like u08→u07; and in
    // from A the like u09→u05 and the click u10→u05.
    assert_eq!(
        flows(b),
        vec![
            f("reply", 2, 0, 0),
            f("mention", 1, 0, 0),
            f("repost", 1, 0, 0),
            f("like", 1, 0, 1),
            f("click", 0, 0, 1),
        ]
    );
    assert_eq!((a.internal, a.outgoing, a.incoming), (9, 2, 0));
    assert_eq!((b.internal, b.outgoing, b.incoming), (5, 0, 2));
    // Interacting pairs of A: {01,02} (2 events) {01,03} {02,04} {03,04} {02,03} {03,09}
    // {02,09} {02,10} = 8, one repeat; follow pairs 8 → rate 1.
    assert_eq!(
        (a.interacting_pairs, a.repeat_pairs, a.follow_pairs),
        (8, 1, 8)
    );
    assert!(close(a.interaction_rate, 1.0));
    // B: {05,06} {05,07} (reply + mention: repeat) {07,08} {06,07} = 4; follow pairs 5.
    assert_eq!(
        (b.interacting_pairs, b.repeat_pairs, b.follow_pairs),
        (4, 1, 5)
    );
    assert!(close(b.interaction_rate, 0.8));
    // Replies inside A: u02→u01 at 09:15 is answered by u01→u02 at 09:40; u01→u02 is not
    // (the only reply back came earlier); u09→u03 is not → 1/3. B: u06→u05 and u07→u05 get
    // no reply back (u05→u07 is a mention) → 0/2.
    assert!(close(a.conversation_share, 1.0 / 3.0));
    assert!(close(b.conversation_share, 0.0));
}

#[test]
fn engagement_of_the_tiny_export() {
    let p = profile(&tiny(false), &tiny_partition(), &ProfileConfig::default()).unwrap();
    let (a, b) = (&p.clusters[0].engagement, &p.clusters[1].engagement);
    // A wrote t1, t2, t3, t4, t8: impressions 5200 + 900 + 8100 + 1400 + 2600 = 18200,
    // clicks 310 + 12 + 640 + 55 + 130 = 1147, likes 88 + 9 + 150 + 23 + 54 = 324,
    // reposts 21 + 0 + 47 + 3 + 9 = 80, replies 2 + 1 + 6 + 0 + 0 = 9.
    assert_eq!(
        (
            a.posts,
            a.impressions,
            a.clicks,
            a.likes,
            a.reposts,
            a.replies
        ),
        (5, 18200, 1147, 324, 80, 9)
    );
    assert!(close(a.click_through_rate, 1147.0 / 18200.0));
    assert!(close(a.likes_per_impression, 324.0 / 18200.0));
    assert!(close(a.reposts_per_impression, 80.0 / 18200.0));
    assert!(close(a.replies_per_impression, 9.0 / 18200.0));
    // Engagements 1147 + 324 + 80 + 9 = 1560 over 6 members; reported followers
    // 4210 + 1893 + 2750 + 640 + 1502 + 12 = 11007.
    assert!(close(a.engagement_per_member, 260.0));
    assert_eq!(a.followers, 11007);
    assert!(close(a.engagement_per_follower, 1560.0 / 11007.0));
    // Everyone in A posted or started an interaction (u10 only clicked).
    assert_eq!(a.active_members, 6);
    assert!(close(a.active_share, 1.0));
    // B wrote t5, t6, t7: 21000 + 1300 + 3100 = 25400 impressions, clicks 980 + 20 + 150 =
    // 1150, likes 640 + 41 + 77 = 758, reposts 55 + 0 + 12 = 67, replies 2 + 0 + 1 = 3;
    // engagements 1978 over 4 members and 12040 + 3305 + 880 + 415 = 16640 followers.
    assert_eq!(
        (
            b.posts,
            b.impressions,
            b.clicks,
            b.likes,
            b.reposts,
            b.replies
        ),
        (3, 25400, 1150, 758, 67, 3)
    );
    assert!(close(b.engagement_per_member, 494.5));
    assert_eq!(b.followers, 16640);
    assert!(close(b.engagement_per_follower, 1978.0 / 16640.0));
    assert_eq!(b.active_members, 4);
}

#[test]
fn influence_of_the_tiny_export() {
    let graph = tiny(false);
    let p = profile(&graph, &tiny_partition(), &ProfileConfig::default()).unwrap();
    for c in &p.clusters {
        let sum: f64 = c.key_members.iter().map(|k| k.pagerank).sum();
        assert!(
            (sum - 1.0).abs() < 1e-9,
            "all members listed, ranks sum to 1"
        );
        assert!(c
            .key_members
            .windows(2)
            .all(|w| w[0].pagerank > w[1].pagerank
                || (w[0].pagerank == w[1].pagerank && w[0].node < w[1].node)));
    }
    // In-cluster out-weights (follow 1 each + interaction events), B:
    //   u05 → u06 1, u07 2 (follow + mention);  u06 → u05 2 (follow + reply), u07 1;
    //   u07 → u05 2, u06 2 (follow + repost), u08 1;  u08 → u05 1, u07 2 (follow + like).
    // A: u01 → u02 2, u03 1;  u02 → u01 2, u03 1, u04 1, u09 1;  u03 → u01 2, u02 2, u09 1;
    //   u04 → u01 1, u02 2, u03 2;  u09 → u03 2;  u10 → u02 2 (ties to B left out).
    // Nobody is dangling. Solving r = 0.15/n + 0.85 · M r (an independent power iteration,
    // 2000 steps) gives B: u07 0.341514, u05 0.318946, u06 0.243983, u08 0.095557 and
    // A: u02 0.289905, u03 0.265120, u01 0.226337, u09 0.119354, u04 0.074284, and u10,
    // whom no member follows or addresses, exactly the teleport floor 0.15/6 = 0.025.
    let expect = |c: usize, want: &[(&str, f64)]| {
        let got = &p.clusters[c].key_members;
        assert_eq!(got.len(), want.len());
        for (k, (id, r)) in got.iter().zip(want) {
            assert_eq!(k.id, *id);
            assert!((k.pagerank - r).abs() < 1e-6, "{id}: {} vs {r}", k.pagerank);
        }
    };
    expect(
        1,
        &[
            ("u07", 0.341514),
            ("u05", 0.318946),
            ("u06", 0.243983),
            ("u08", 0.095557),
        ],
    );
    expect(
        0,
        &[
            ("u02", 0.289905),
            ("u03", 0.265120),
            ("u01", 0.226337),
            ("u09", 0.119354),
            ("u04", 0.074284),
            ("u10", 0.025),
        ],
    );
    let u05 = &p.clusters[1].key_members[1];
    assert_eq!(u05.handle.as_deref(), Some("@emma_rides"));
    // Raw counts beside the rank: u05 is followed by 5 (3 inside B), reports 12,040.
    assert_eq!(
        (u05.followers_inside, u05.followers, u05.reported_followers),
        (3, 5, Some(12040))
    );

    // Brokers (≥ 3 ties, ≥ 1 outside). u09's ties: u03 (follows, reply), u05 (follow, like),
    // u02 (click) → k = 3, k_A = 2, k_B = 1: P = 1 − (4 + 1)/9 = 4/9. Nobody else in A has a
    // tie outside but u10, who has only 2 ties (u02, u05).
    let ba = &p.clusters[0].brokers;
    assert_eq!(ba.len(), 1);
    assert_eq!(ba[0].id, "u09");
    assert!((ba[0].participation - 4.0 / 9.0).abs() < 1e-15);
    assert_eq!(
        (ba[0].ties, ba[0].external_ties, ba[0].clusters_reached),
        (3, 1, 2)
    );
    // u05: u06, u07, u08 in B, u09 and u10 in A → P = 1 − (9 + 4)/25 = 12/25.
    let bb = &p.clusters[1].brokers;
    assert_eq!(bb.len(), 1);
    assert_eq!(bb[0].id, "u05");
    assert!((bb[0].participation - 12.0 / 25.0).abs() < 1e-15);
    assert_eq!(
        (bb[0].ties, bb[0].external_ties, bb[0].clusters_reached),
        (5, 2, 2)
    );
}

#[test]
fn activity_of_the_tiny_export() {
    let p = profile(&tiny(false), &tiny_partition(), &ProfileConfig::default()).unwrap();
    let n = &p.network;
    // First: post t1, Fri 1 March 09:00; last: u10→u02, Mon 4 March 19:01.
    assert_eq!(n.first_activity, Some(march(1, 9, 0)));
    assert_eq!(n.last_activity, Some(march(4, 19, 1)));
    // The Monday on or before: 26 February 2024 00:00 UTC = 1 March − 4 days.
    assert_eq!(n.weeks_start, Some(MARCH_1 - 4 * 86_400));
    // A: week 1 (26 Feb – 3 Mar) holds 8 interactions and posts t1–t4 = 12; week 2 holds
    // u09→u05, u10→u05, u10→u02 and post t8 = 4.
    let a = &p.clusters[0].activity;
    assert_eq!(
        (a.first, a.last),
        (Some(march(1, 9, 0)), Some(march(4, 19, 1)))
    );
    assert_eq!(a.per_week, vec![12, 4]);
    // B: everything on Sunday 3 March: 5 interactions + 3 posts, from t5 (07:00) to u07→u06
    // (12:30).
    let b = &p.clusters[1].activity;
    assert_eq!(
        (b.first, b.last),
        (Some(march(3, 7, 0)), Some(march(3, 12, 30)))
    );
    assert_eq!(b.per_week, vec![8, 0]);
}

#[test]
fn network_of_the_tiny_export() {
    let p = profile(&tiny(false), &tiny_partition(), &ProfileConfig::default()).unwrap();
    let n = &p.network;
    assert_eq!(
        (n.people, n.follows, n.interactions, n.posts, n.clusters),
        (10, 24, 16, 8, 2)
    );
    assert!(n.directed);
    // Q = (2·13 + 2·9)/48 − (28/48)² − (20/48)² = 2112/2304 − 1184/2304 = 29/72.
    assert!((n.follow_modularity - 29.0 / 72.0).abs() < 1e-12);
    assert!(close(n.follows_inside_share, 22.0 / 24.0));
    assert!(close(n.interactions_inside_share, 14.0 / 16.0));
    // Connected pairs: A's 8 + B's 5 + {09,05} + {10,05} = 15, mutual 5 + 4 = 9.
    assert!(close(n.reciprocity, 9.0 / 15.0));
    // Top 1 % of 10 people is one person: u05 with 5 of the 24 follower ties.
    assert!(close(n.top_percent_follower_share, 5.0 / 24.0));
    let s = &n.sizes;
    assert_eq!((s.largest, s.median, s.singletons), (6, 5.0, 0));
    assert_eq!((s.largest_share, s.top10_share), (0.6, 1.0));
    let buckets: Vec<_> = s
        .histogram
        .iter()
        .map(|b| (b.min, b.max, b.clusters))
        .collect();
    assert_eq!(buckets, vec![(1, 1, 0), (2, 3, 0), (4, 7, 2)]);
    // Matrix: A → A 9, A → B 2, B → B 5.
    assert_eq!(n.matrix.labels, vec!["0", "1"]);
    assert_eq!(n.matrix.counts, vec![vec![9, 2], vec![0, 5]]);
    // Polarized crowd: the two clusters hold everyone (1 ≥ 0.5), B is 4/6 of A (≥ 0.33),
    // and of the 13 + 9 + 9 + 5 connections inside them plus 2 + 2 between them, 4/40 = 0.1
    // run between (≤ 0.1).
    let st = &n.structure;
    assert_eq!(st.kind, StructureType::PolarizedCrowd, "{}", st.reason);
    let ev = |name: &str| st.evidence.iter().find(|e| e.name == name).unwrap();
    assert_eq!(ev("polarized_crowd.top2_share").value, 1.0);
    assert!((ev("polarized_crowd.top2_balance").value - 4.0 / 6.0).abs() < 1e-15);
    assert_eq!(ev("polarized_crowd.between_top2_share").value, 0.1);
    // Ties per person: 3, 5, 4, 3, 3, 3, 2, 2, 3, 2 (u01 … u10 order: u01 3, u02 5, u03 4,
    // u04 3, u05 5, u06 2, u07 3, u08 2, u09 3, u10 2) = 32 → 3.2; no isolates.
    assert_eq!(ev("tight_crowd.mean_ties").value, 3.2);
    assert_eq!(ev("tight_crowd.isolate_share").value, 0.0);
    assert!(!st.reason.is_empty());
}

#[test]
fn an_undirected_follow_layer_counts_each_tie_once() {
    let p = profile(&tiny(true), &tiny_partition(), &ProfileConfig::default()).unwrap();
    // The 24 arcs are 15 ties: 8 inside A, 5 inside B, u09–u05 and u10–u05 across.
    assert_eq!(p.network.follows, 15);
    assert!(!p.network.directed);
    let (a, b) = (&p.clusters[0].cohesion, &p.clusters[1].cohesion);
    // A boundary tie is mutual: it leaves and enters both clusters.
    assert_eq!(
        (a.internal_follows, a.outgoing_follows, a.incoming_follows),
        (8, 2, 2)
    );
    assert_eq!(
        (b.internal_follows, b.outgoing_follows, b.incoming_follows),
        (5, 2, 2)
    );
    // Density over n(n−1)/2 pairs: 8/15 and 5/6; reciprocity is not defined.
    assert!(close(a.density, 8.0 / 15.0) && close(b.density, 5.0 / 6.0));
    assert_eq!((a.reciprocity, b.reciprocity), (None, None));
    assert!(close(p.network.reciprocity, 1.0));
    // A pair listed both ways is one tie of weight 2 (loading sums duplicate weights), so the
    // undirected follow graph is the directed one's: S_A = 28, S_B = 20, cut 2 → φ = 0.1.
    assert!(close(a.conductance, 0.1) && close(b.conductance, 0.1));
    assert_eq!(p.clusters[0].interactions.follow_pairs, 8);
}

#[test]
fn the_partition_must_fit_the_graph() {
    let graph = tiny(false);
    let wrong = Partition::from_labels(&[0, 1, 0]);
    assert_eq!(
        profile(&graph, &wrong, &ProfileConfig::default()),
        Err(crate::MetricsError::PartitionSizeMismatch {
            partition: 3,
            people: 10
        })
    );
    let bad = ProfileConfig {
        damping: 1.5,
        ..ProfileConfig::default()
    };
    assert!(profile(&graph, &tiny_partition(), &bad).is_err());
}

#[test]
fn empty_graphs_and_graphs_without_posts_or_times() {
    let empty = GraphBuilder::new(BuildConfig::default()).build().unwrap();
    let p = profile(&empty, &Partition::singletons(0), &ProfileConfig::default()).unwrap();
    assert!(p.clusters.is_empty());
    assert_eq!(p.network.people, 0);
    assert_eq!(p.network.follows_inside_share, None);
    assert_eq!(p.network.first_activity, None);
    assert!(p.network.matrix.counts.is_empty());
    assert_eq!(p.network.structure.kind, StructureType::CommunityClusters);

    // Three people, no ties, no posts, singletons.
    let mut b = GraphBuilder::new(BuildConfig::default());
    for id in ["x", "y", "z"] {
        b.node(id).unwrap();
    }
    let lonely = b.build().unwrap();
    let p = profile(
        &lonely,
        &Partition::singletons(3),
        &ProfileConfig::default(),
    )
    .unwrap();
    for c in &p.clusters {
        assert_eq!(c.cohesion.density, None);
        assert_eq!(c.cohesion.conductance, None);
        assert_eq!(c.engagement.click_through_rate, None);
        assert_eq!(c.engagement.engagement_per_follower, None);
        assert_eq!(c.interactions.interaction_rate, None);
        assert_eq!(c.key_members.len(), 1);
        assert_eq!(c.key_members[0].pagerank, 1.0);
        assert!(c.brokers.is_empty());
        assert!(c.activity.per_week.is_empty());
    }
    assert_eq!(p.network.sizes.singletons, 3);
    // A layer that spans nobody (a default one) reads as "no interactions".
    let mut bare = lonely.clone();
    bare.interactions = Default::default();
    let q = profile(&bare, &Partition::singletons(3), &ProfileConfig::default()).unwrap();
    assert_eq!(q.network.interactions, 0);
    let isolates = p
        .network
        .structure
        .evidence
        .iter()
        .find(|e| e.name == "brand_clusters.isolate_share")
        .unwrap();
    assert_eq!(isolates.value, 1.0);

    // Interactions without times: activity stays empty, counts do not.
    let mut b = GraphBuilder::new(BuildConfig::default());
    let (x, y) = (b.node("x").unwrap(), b.node("y").unwrap());
    let reply = b.kind("reply").unwrap();
    b.add_interaction(x, y, reply, None, 1.0);
    b.add_interaction(y, x, reply, None, 1.0);
    let untimed = b.build().unwrap();
    let p = profile(
        &untimed,
        &Partition::from_labels(&[0, 0]),
        &ProfileConfig::default(),
    )
    .unwrap();
    assert_eq!(p.network.weeks_start, None);
    assert_eq!(p.clusters[0].interactions.internal, 2);
    // Without times, any reply back answers.
    assert!(close(p.clusters[0].interactions.conversation_share, 1.0));
    assert!(p.clusters[0].activity.per_week.is_empty());
    assert_eq!(NO_TIME, i64::MIN);
}

#[test]
fn same_profile_at_one_and_four_threads() {
    let (graph, partition) = random_graph(3000, 30_000, 12_000, 11, false);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| profile(&graph, &partition, &ProfileConfig::default()).unwrap())
    };
    let (one, four) = (run(1), run(4));
    assert_eq!(one, four);
    // Same bits, not just close: compare the serialised floats through their bit patterns.
    let bits = |p: &Profile| -> Vec<u64> {
        p.clusters
            .iter()
            .flat_map(|c| c.key_members.iter().map(|k| k.pagerank.to_bits()))
            .chain(std::iter::once(p.network.follow_modularity.to_bits()))
            .collect()
    };
    assert_eq!(bits(&one), bits(&four));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn shares_lie_in_the_unit_interval(
        n in 1usize..80,
        follows in 0usize..400,
        interactions in 0usize..300,
        seed in any::<u64>(),
        undirected in any::<bool>(),
    ) {
        let (graph, partition) = random_graph(n, follows, interactions, seed, undirected);
        let p = profile(&graph, &partition, &ProfileConfig::default()).unwrap();
        let unit = |x: Option<f64>| x.is_none_or(|x| (0.0..=1.0).contains(&x));
        let net = &p.network;
        prop_assert!(unit(net.follows_inside_share) && unit(net.interactions_inside_share));
        prop_assert!(unit(net.reciprocity) && unit(net.top_percent_follower_share));
        prop_assert!((-0.5..=1.0).contains(&net.follow_modularity));
        for c in &p.clusters {
            prop_assert!(unit(c.cohesion.density) && unit(c.cohesion.conductance));
            prop_assert!(unit(c.cohesion.reciprocity));
            prop_assert!(unit(c.interactions.conversation_share));
            prop_assert!(unit(c.engagement.active_share));
            for b in &c.brokers {
                prop_assert!((0.0..1.0).contains(&b.participation));
                prop_assert!(b.ties >= 3 && b.external_ties >= 1);
            }
            let sum: f64 = c.key_members.iter().map(|k| k.pagerank).sum();
            if c.size as usize <= ProfileConfig::default().key_members {
                prop_assert!((sum - 1.0).abs() < 1e-9);
            }
            prop_assert_eq!(c.activity.per_week.len(), p.clusters[0].activity.per_week.len());
        }
        for e in &net.structure.evidence {
            prop_assert!(e.value.is_finite());
        }
    }
}

#[test]
fn the_largest_clusters_are_found_by_size_not_by_id() {
    // Cluster 0 = {u01} alone, cluster 1 = the other nine: a partition not numbered by size.
    let partition = Partition::from_labels(&[0, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    let p = profile(&tiny(false), &partition, &ProfileConfig::default()).unwrap();
    assert_eq!(p.network.matrix.labels, vec!["1", "0"]);
    // u01 started one event (the reply to u02) and received two (u02's reply, u03's mention).
    assert_eq!(p.network.matrix.counts, vec![vec![13, 2], vec![1, 0]]);
    let ev = |name: &str| {
        p.network
            .structure
            .evidence
            .iter()
            .find(|e| e.name == name)
            .unwrap()
            .value
    };
    assert!((ev("polarized_crowd.top2_balance") - 1.0 / 9.0).abs() < 1e-15);
    assert_eq!(ev("brand_clusters.largest_share"), 0.9);
}

/// Regression: a network of many small contexts (200 clusters of 10, each around its own hub)
/// was called a tight crowd because "medium" meant at least 2 % of people and a hub had to be
/// followed by a fifth of its cluster, neither of which scales with the network.
#[test]
fn many_small_contexts_with_their_own_hubs_are_community_clusters() {
    let mut b = GraphBuilder::new(BuildConfig::default());
    let (clusters, size) = (200u32, 10u32);
    let nodes: Vec<_> = (0..clusters * size)
        .map(|i| b.node(&i.to_string()).unwrap())
        .collect();
    let mut labels = Vec::new();
    for c in 0..clusters {
        let first = (c * size) as usize;
        for i in 0..size as usize {
            labels.push(c);
            let u = nodes[first + i];
            // Everyone follows the hub and the next member round the ring.
            if i > 0 {
                b.add_follow(u, nodes[first], 1.0);
            }
            b.add_follow(u, nodes[first + (i + 1) % size as usize], 1.0);
        }
        // One tie to the next cluster keeps the network connected.
        let next = ((c + 1) % clusters * size) as usize;
        b.add_follow(nodes[first + 1], nodes[next + 1], 1.0);
    }
    let graph = b.build().unwrap();
    let partition = Partition::from_labels(&labels);
    let p = profile(&graph, &partition, &ProfileConfig::default()).unwrap();
    let call = &p.network.structure;
    assert_eq!(
        call.kind,
        StructureType::CommunityClusters,
        "{}",
        call.reason
    );
    let medium = call
        .evidence
        .iter()
        .find(|e| e.name == "community_clusters.medium_clusters")
        .unwrap();
    assert_eq!(medium.value, 200.0);
}
