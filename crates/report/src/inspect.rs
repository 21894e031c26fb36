//! `inspect`: the report as plain-text tables for the terminal.
//!
//! - [`ranked`]: every cluster ranked by one metric ([`SortKey`]), best first;
//! - [`cluster`]: one cluster in depth (relationships, interactions by kind, engagement, topics,
//!   key members, brokers, weekly activity);
//! - [`compare`]: two clusters side by side.
//!
//! The output has aligned columns and no colour codes, so it reads the same in a terminal, a
//! pipe or a file. Numbers follow [`present`](crate::present): counts with thousands
//! separators, shares as percentages, a missing value as `—`.

use std::fmt::Write as _;
use std::io::Write;
use std::str::FromStr;

use crate::error::ReportError;
use crate::model::{ClusterReport, Report};
use crate::present::{
    count, date, decimal, percent, person, plural, ratio, small_percent, truncate, Align,
    TextTable, MISSING,
};

/// Characters of a label shown in a table column.
const LABEL_WIDTH: usize = 36;

/// A metric clusters can be ranked by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SortKey {
    /// Members.
    Size,
    /// Follow density inside.
    Density,
    /// Conductance (ranked lowest first: the most closed cluster leads).
    Conductance,
    /// Follow reciprocity inside.
    Reciprocity,
    /// Follow ties inside.
    InternalFollows,
    /// Followers of members in the whole graph.
    Followers,
    /// Interaction events inside.
    Interactions,
    /// Interacting pairs ÷ follow pairs.
    InteractionRate,
    /// Share of internal replies answered.
    ConversationShare,
    /// Pairs with two or more interactions.
    RepeatPairs,
    /// Posts by members.
    Posts,
    /// Impressions of those posts.
    Impressions,
    /// Clicks ÷ impressions.
    ClickThroughRate,
    /// Engagements ÷ members.
    EngagementPerMember,
    /// Engagements ÷ followers.
    EngagementPerFollower,
    /// Active members ÷ members.
    ActiveShare,
}

impl SortKey {
    /// Every key, in the order the help lists them.
    pub const ALL: [SortKey; 16] = [
        SortKey::Size,
        SortKey::Density,
        SortKey::Conductance,
        SortKey::Reciprocity,
        SortKey::InternalFollows,
        SortKey::Followers,
        SortKey::Interactions,
        SortKey::InteractionRate,
        SortKey::ConversationShare,
        SortKey::RepeatPairs,
        SortKey::Posts,
        SortKey::Impressions,
        SortKey::ClickThroughRate,
        SortKey::EngagementPerMember,
        SortKey::EngagementPerFollower,
        SortKey::ActiveShare,
    ];

    /// The key's name, as in `report.json` and `clusters.csv`.
    pub fn name(self) -> &'static str {
        match self {
            SortKey::Size => "size",
            SortKey::Density => "density",
            SortKey::Conductance => "conductance",
            SortKey::Reciprocity => "reciprocity",
            SortKey::InternalFollows => "internal_follows",
            SortKey::Followers => "followers",
            SortKey::Interactions => "interactions",
            SortKey::InteractionRate => "interaction_rate",
            SortKey::ConversationShare => "conversation_share",
            SortKey::RepeatPairs => "repeat_pairs",
            SortKey::Posts => "posts",
            SortKey::Impressions => "impressions",
            SortKey::ClickThroughRate => "click_through_rate",
            SortKey::EngagementPerMember => "engagement_per_member",
            SortKey::EngagementPerFollower => "engagement_per_follower",
            SortKey::ActiveShare => "active_share",
        }
    }

    /// The short column header.
    fn header(self) -> &'static str {
        match self {
            SortKey::InternalFollows => "follows in",
            SortKey::Interactions => "interactions in",
            SortKey::InteractionRate => "interact. rate",
            SortKey::ConversationShare => "conversation",
            SortKey::RepeatPairs => "repeat pairs",
            SortKey::ClickThroughRate => "CTR",
            SortKey::EngagementPerMember => "eng/member",
            SortKey::EngagementPerFollower => "eng/follower",
            SortKey::ActiveShare => "active",
            other => other.name(),
        }
    }

    /// Whether the best cluster has the lowest value (only conductance).
    pub fn ascending(self) -> bool {
        self == SortKey::Conductance
    }

    /// The cluster's value of this metric (`None` when undefined).
    pub fn value(self, c: &ClusterReport) -> Option<f64> {
        let p = &c.profile;
        let n = |v: u64| Some(v as f64);
        match self {
            SortKey::Size => n(p.size),
            SortKey::Density => p.cohesion.density,
            SortKey::Conductance => p.cohesion.conductance,
            SortKey::Reciprocity => p.cohesion.reciprocity,
            SortKey::InternalFollows => n(p.cohesion.internal_follows),
            SortKey::Followers => n(p.cohesion.followers),
            SortKey::Interactions => n(p.interactions.internal),
            SortKey::InteractionRate => p.interactions.interaction_rate,
            SortKey::ConversationShare => p.interactions.conversation_share,
            SortKey::RepeatPairs => n(p.interactions.repeat_pairs),
            SortKey::Posts => n(p.engagement.posts),
            SortKey::Impressions => n(p.engagement.impressions),
            SortKey::ClickThroughRate => p.engagement.click_through_rate,
            SortKey::EngagementPerMember => p.engagement.engagement_per_member,
            SortKey::EngagementPerFollower => p.engagement.engagement_per_follower,
            SortKey::ActiveShare => p.engagement.active_share,
        }
    }

    /// The cluster's value as shown in a table.
    pub fn show(self, c: &ClusterReport) -> String {
        let v = self.value(c);
        match self {
            SortKey::Size
            | SortKey::InternalFollows
            | SortKey::Followers
            | SortKey::Interactions
            | SortKey::RepeatPairs
            | SortKey::Posts
            | SortKey::Impressions => v.map_or(MISSING.to_string(), |x| count(x as u64)),
            SortKey::Reciprocity | SortKey::ConversationShare | SortKey::ActiveShare => percent(v),
            SortKey::ClickThroughRate | SortKey::EngagementPerFollower => small_percent(v),
            _ => ratio(v),
        }
    }
}

impl std::fmt::Display for SortKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for SortKey {
    type Err = ReportError;

    /// Parses a key name; `-` may stand for `_`, case does not matter, and `ctr` is
    /// `click_through_rate`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
        if wanted == "ctr" {
            return Ok(SortKey::ClickThroughRate);
        }
        SortKey::ALL
            .into_iter()
            .find(|k| k.name() == wanted)
            .ok_or_else(|| ReportError::UnknownSortKey {
                found: s.to_string(),
                valid: SortKey::ALL.map(SortKey::name).join(", "),
            })
    }
}

/// The metrics every ranking shows beside the sort key.
const RANKED_COLUMNS: [SortKey; 8] = [
    SortKey::Density,
    SortKey::Conductance,
    SortKey::Reciprocity,
    SortKey::InteractionRate,
    SortKey::ClickThroughRate,
    SortKey::EngagementPerMember,
    SortKey::EngagementPerFollower,
    SortKey::ActiveShare,
];

/// The clusters of `report` in ranking order by `sort`: best first (highest, or lowest for
/// conductance), clusters without a value last, ties by cluster id.
pub fn rank(report: &Report, sort: SortKey) -> Vec<&ClusterReport> {
    let mut clusters: Vec<&ClusterReport> = report.clusters.iter().collect();
    clusters.sort_by(|a, b| {
        let by_value = match (sort.value(a), sort.value(b)) {
            (Some(x), Some(y)) if sort.ascending() => x.total_cmp(&y),
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_value.then(a.profile.cluster.cmp(&b.profile.cluster))
    });
    clusters
}

/// Writes the `top` best clusters of `report` ranked by `sort` (see [`rank`]) as a table, with
/// a line saying how many more there are.
pub fn ranked(
    report: &Report,
    sort: SortKey,
    top: usize,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let order = rank(report, sort);
    let mut text = format!(
        "{} {} of {} people, ranked by {} ({} first)\n\n",
        count(order.len() as u64),
        plural(order.len(), "cluster", "clusters"),
        count(report.network.people),
        sort,
        if sort.ascending() {
            "lowest"
        } else {
            "highest"
        }
    );
    let mut extra: Vec<SortKey> = Vec::new();
    if sort != SortKey::Size && !RANKED_COLUMNS.contains(&sort) {
        extra.push(sort);
    }
    extra.extend(RANKED_COLUMNS);
    let arrow = if sort.ascending() { " ▲" } else { " ▼" };
    let headers: Vec<String> = extra
        .iter()
        .map(|k| {
            let mut h = k.header().to_string();
            if *k == sort {
                h.push_str(arrow);
            }
            h
        })
        .collect();
    let size_header = if sort == SortKey::Size {
        format!("size{arrow}")
    } else {
        "size".to_string()
    };
    let mut columns: Vec<(&str, Align)> = vec![
        ("#", Align::Right),
        ("cluster", Align::Right),
        (&size_header, Align::Right),
        ("label", Align::Left),
    ];
    columns.extend(headers.iter().map(|h| (h.as_str(), Align::Right)));
    let mut table = TextTable::new(&columns);
    for (i, c) in order.iter().take(top).enumerate() {
        let mut row = vec![
            (i + 1).to_string(),
            c.profile.cluster.to_string(),
            count(c.profile.size),
            truncate(report.label(c.profile.cluster), LABEL_WIDTH),
        ];
        row.extend(extra.iter().map(|k| k.show(c)));
        table.row(row);
    }
    text.push_str(&table.render("  "));
    if order.len() > top {
        let more = order.len() - top;
        let _ = writeln!(
            text,
            "  … {} more {} (--top {} shows all)",
            count(more as u64),
            plural(more, "cluster", "clusters"),
            order.len()
        );
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// The cluster `id` of `report`, or [`ReportError::UnknownCluster`].
pub(crate) fn find(report: &Report, id: u32) -> Result<&ClusterReport, ReportError> {
    report.cluster(id).ok_or_else(|| {
        ReportError::unknown_cluster(id, report.clusters.iter().map(|c| c.profile.cluster))
    })
}

/// `Cluster 3 · #label` or `Cluster 3`.
fn title(report: &Report, id: u32) -> String {
    match report.label(id) {
        "" => format!("Cluster {id}"),
        label => format!("Cluster {id} · {label}"),
    }
}

/// Eight-level bars of a weekly series: `▁▃▇█`.
pub fn sparkline(values: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| {
            if max == 0 || v == 0 {
                ' '
            } else {
                let level = (v as f64 / max as f64 * 7.0).round() as usize;
                BARS[level.min(7)]
            }
        })
        .collect()
}

/// Writes one cluster of `report` in depth, listing at most `top` key members, brokers and
/// terms per kind. Fails with [`ReportError::UnknownCluster`] when the report has no such
/// cluster.
pub fn cluster(
    report: &Report,
    id: u32,
    top: usize,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let c = find(report, id)?;
    let p = &c.profile;
    let share = (report.network.people > 0).then(|| p.size as f64 / report.network.people as f64);
    let mut text = format!(
        "{}\n{} members ({} of {} people) · {} active · first activity {} · last {}\n",
        title(report, id),
        count(p.size),
        percent(share),
        count(report.network.people),
        percent(p.engagement.active_share),
        date(p.activity.first),
        date(p.activity.last),
    );

    text.push_str("\nRelationships (follow ties)          Engagement (posts by members)\n");
    let mut table = TextTable::new(&[
        ("", Align::Left),
        ("", Align::Right),
        ("", Align::Left),
        ("", Align::Left),
        ("", Align::Right),
    ]);
    let rel = relationship_rows(c);
    let eng = engagement_rows(c);
    for i in 0..rel.len().max(eng.len()) {
        let (a, b) = rel.get(i).cloned().unwrap_or_default();
        let (d, e) = eng.get(i).cloned().unwrap_or_default();
        table.row(vec![a, b, String::new(), d, e]);
    }
    text.push_str(skip_header(&table.render("  ")));

    text.push_str("\nInteractions by kind\n");
    let mut kinds = TextTable::new(&[
        ("kind", Align::Left),
        ("internal", Align::Right),
        ("outgoing", Align::Right),
        ("incoming", Align::Right),
    ]);
    for k in &p.interactions.by_kind {
        kinds.row(vec![
            k.kind.clone(),
            count(k.internal),
            count(k.outgoing),
            count(k.incoming),
        ]);
    }
    let i = &p.interactions;
    kinds.row(vec![
        "all".into(),
        count(i.internal),
        count(i.outgoing),
        count(i.incoming),
    ]);
    text.push_str(&kinds.render("  "));
    let _ = writeln!(
        text,
        "  {} interacting pairs over {} follow pairs (rate {}) · {} conversation · {} repeat pairs",
        count(i.interacting_pairs),
        count(i.follow_pairs),
        ratio(i.interaction_rate),
        percent(i.conversation_share),
        count(i.repeat_pairs)
    );

    text.push_str("\nTopics\n");
    text.push_str(&topics_text(c, top, "  "));
    text.push_str(&members_text(c, top));
    if !p.activity.per_week.is_empty() {
        let _ = writeln!(
            text,
            "\nWeekly activity ({} weeks, peak {})\n  |{}|",
            p.activity.per_week.len(),
            count(p.activity.per_week.iter().copied().max().unwrap_or(0)),
            sparkline(&p.activity.per_week)
        );
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// A rendered table without its (empty) header line.
fn skip_header(rendered: &str) -> &str {
    rendered.split_once('\n').map_or("", |(_, rest)| rest)
}

/// Label–value rows of a cluster's follow-tie cohesion.
pub(crate) fn relationship_rows(c: &ClusterReport) -> Vec<(String, String)> {
    let co = &c.profile.cohesion;
    vec![
        ("follows inside".into(), count(co.internal_follows)),
        (
            "follows out / in".into(),
            format!(
                "{} / {}",
                count(co.outgoing_follows),
                count(co.incoming_follows)
            ),
        ),
        ("density".into(), ratio(co.density)),
        ("conductance".into(), ratio(co.conductance)),
        ("reciprocity".into(), percent(co.reciprocity)),
        ("followers".into(), count(co.followers)),
        ("… of them members".into(), count(co.followers_inside)),
    ]
}

/// Label–value rows of a cluster's engagement.
pub(crate) fn engagement_rows(c: &ClusterReport) -> Vec<(String, String)> {
    let e = &c.profile.engagement;
    vec![
        ("posts".into(), count(e.posts)),
        ("impressions".into(), count(e.impressions)),
        (
            "clicks · likes".into(),
            format!("{} · {}", count(e.clicks), count(e.likes)),
        ),
        (
            "reposts · replies".into(),
            format!("{} · {}", count(e.reposts), count(e.replies)),
        ),
        (
            "click-through rate".into(),
            small_percent(e.click_through_rate),
        ),
        ("per member".into(), ratio(e.engagement_per_member)),
        (
            format!("per follower (of {})", count(e.followers)),
            small_percent(e.engagement_per_follower),
        ),
    ]
}

/// The cluster's terms, one line per kind: `hashtags  #a 0.091 (302 people) · …`.
fn topics_text(c: &ClusterReport, top: usize, indent: &str) -> String {
    let Some(t) = &c.topics else {
        return format!("{indent}(no text or attributes in the export)\n");
    };
    let mut text = String::new();
    if !t.label.is_empty() {
        let _ = writeln!(text, "{indent}label       {}", t.label);
    }
    for (kind, terms) in crate::present::term_lists(t) {
        if terms.is_empty() {
            continue;
        }
        let shown: Vec<String> = terms
            .iter()
            .take(top)
            .map(|s| {
                format!(
                    "{} {} ({} people)",
                    s.term,
                    decimal(s.score),
                    count(u64::from(s.people))
                )
            })
            .collect();
        let _ = writeln!(text, "{indent}{kind:<11} {}", shown.join(" · "));
    }
    text
}

/// The key members and brokers tables.
fn members_text(c: &ClusterReport, top: usize) -> String {
    let p = &c.profile;
    let mut text = String::new();
    let _ = writeln!(
        text,
        "\nKey members (PageRank inside the cluster beside follower counts)"
    );
    let mut keys = TextTable::new(&[
        ("#", Align::Right),
        ("member", Align::Left),
        ("PageRank", Align::Right),
        ("followers inside", Align::Right),
        ("followers", Align::Right),
        ("reported", Align::Right),
    ]);
    for (i, m) in p.key_members.iter().take(top).enumerate() {
        keys.row(vec![
            (i + 1).to_string(),
            person(&m.id, m.handle.as_deref()),
            decimal(m.pagerank),
            count(m.followers_inside),
            count(m.followers),
            m.reported_followers.map_or(MISSING.to_string(), count),
        ]);
    }
    if keys.is_empty() {
        text.push_str("  (none)\n");
    } else {
        text.push_str(&keys.render("  "));
    }
    text.push_str("\nBrokers (ties spanning clusters)\n");
    let mut brokers = TextTable::new(&[
        ("#", Align::Right),
        ("member", Align::Left),
        ("participation", Align::Right),
        ("clusters reached", Align::Right),
        ("external ties", Align::Right),
        ("ties", Align::Right),
    ]);
    for (i, b) in p.brokers.iter().take(top).enumerate() {
        brokers.row(vec![
            (i + 1).to_string(),
            person(&b.id, b.handle.as_deref()),
            decimal(b.participation),
            count(b.clusters_reached),
            count(b.external_ties),
            count(b.ties),
        ]);
    }
    if brokers.is_empty() {
        text.push_str("  (none)\n");
    } else {
        text.push_str(&brokers.render("  "));
    }
    text
}

/// Writes clusters `a` and `b` of `report` side by side: their labels, every metric of
/// [`SortKey`], activity dates and the three most central key members. Fails with [`ReportError::UnknownCluster`] when either is missing.
pub fn compare(report: &Report, a: u32, b: u32, out: &mut dyn Write) -> Result<(), ReportError> {
    let (ca, cb) = (find(report, a)?, find(report, b)?);
    let head_a = format!("cluster {a}");
    let head_b = format!("cluster {b}");
    let mut table = TextTable::new(&[
        ("", Align::Left),
        (&head_a, Align::Right),
        (&head_b, Align::Right),
    ]);
    for key in SortKey::ALL {
        table.row(vec![
            key.name().replace('_', " "),
            key.show(ca),
            key.show(cb),
        ]);
    }
    table.row(vec![
        "first activity".into(),
        date(ca.profile.activity.first),
        date(cb.profile.activity.first),
    ]);
    table.row(vec![
        "last activity".into(),
        date(ca.profile.activity.last),
        date(cb.profile.activity.last),
    ]);
    // Who leads each cluster, left-aligned beside each other.
    let mut people = TextTable::new(&[
        ("key members", Align::Left),
        (&head_a, Align::Left),
        (&head_b, Align::Left),
    ]);
    let key_member = |c: &ClusterReport, i: usize| {
        c.profile.key_members.get(i).map_or(String::new(), |m| {
            format!(
                "{} · {} followers",
                truncate(&person(&m.id, m.handle.as_deref()), 24),
                count(m.followers)
            )
        })
    };
    let most = ca
        .profile
        .key_members
        .len()
        .max(cb.profile.key_members.len());
    for i in 0..most.min(3) {
        people.row(vec![
            (i + 1).to_string(),
            key_member(ca, i),
            key_member(cb, i),
        ]);
    }
    let mut text = format!("{}\n  vs\n{}\n\n", title(report, a), title(report, b));
    text.push_str(&table.render("  "));
    if !people.is_empty() {
        text.push('\n');
        text.push_str(&people.render("  "));
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    fn render(f: impl FnOnce(&mut dyn Write) -> Result<(), ReportError>) -> String {
        let mut out = Vec::new();
        f(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn sort_keys_parse_with_a_helpful_error() {
        assert_eq!("size".parse::<SortKey>().unwrap(), SortKey::Size);
        assert_eq!(
            "Engagement-Per-Member".parse::<SortKey>().unwrap(),
            SortKey::EngagementPerMember
        );
        assert_eq!("ctr".parse::<SortKey>().unwrap(), SortKey::ClickThroughRate);
        for k in SortKey::ALL {
            assert_eq!(k.name().parse::<SortKey>().unwrap(), k);
        }
        let err = "sizes".parse::<SortKey>().unwrap_err().to_string();
        assert!(
            err.starts_with("unknown sort key `sizes`; valid keys: size, density,"),
            "{err}"
        );
        assert!(err.contains("click_through_rate"), "{err}");
    }

    #[test]
    fn ranking_puts_missing_values_last_and_conductance_ascending() {
        let report = fixture::report();
        let ids = |key| {
            rank(&report, key)
                .iter()
                .map(|c| c.profile.cluster)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(SortKey::Size), [0, 1, 2, 3]);
        assert_eq!(ids(SortKey::Conductance), [0, 1, 2, 3]);
        assert_eq!(ids(SortKey::Density), [3, 2, 1, 0]);
        assert_eq!(ids(SortKey::ClickThroughRate).last(), Some(&3));
    }

    #[test]
    fn unknown_clusters_are_errors() {
        let report = fixture::report();
        let err = cluster(&report, 9, 5, &mut Vec::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the report has no cluster 9 (it lists 4 clusters with ids 0–3)"
        );
        assert!(compare(&report, 0, 9, &mut Vec::new()).is_err());
    }

    #[test]
    fn snapshot_ranked_by_size() {
        let report = fixture::report();
        insta::assert_snapshot!(render(|o| ranked(&report, SortKey::Size, 20, o)));
    }

    #[test]
    fn snapshot_ranked_by_posts_top_2() {
        let report = fixture::report();
        insta::assert_snapshot!(render(|o| ranked(&report, SortKey::Posts, 2, o)));
    }

    #[test]
    fn snapshot_cluster() {
        let report = fixture::report();
        insta::assert_snapshot!(render(|o| cluster(&report, 0, 5, o)));
    }

    #[test]
    fn snapshot_cluster_without_topics() {
        let report = fixture::report();
        insta::assert_snapshot!(render(|o| cluster(&report, 3, 5, o)));
    }

    #[test]
    fn snapshot_compare() {
        let report = fixture::report();
        insta::assert_snapshot!(render(|o| compare(&report, 0, 2, o)));
    }
}
