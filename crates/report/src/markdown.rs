//! `report.md`: the report as a readable Markdown page (CommonMark with GitHub tables).
//!
//! The page opens with the run's parameters and the network summary (people, ties, modularity,
//! how much stays inside clusters, the structure type with its reason and evidence, cluster
//! sizes, interactions between clusters), then an overview table of the clusters and one
//! section per cluster chosen by [`PageOptions`] (the largest first, at most
//! [`DEFAULT_MAX_CLUSTERS`](crate::present::DEFAULT_MAX_CLUSTERS), with a line saying how many
//! were left out): its topics, relationships beside engagement, interactions by kind, key
//! members (PageRank beside follower counts), brokers and weekly activity.
//!
//! Every string from the data (ids, handles, terms, labels) goes through [`escape`], so a `|`
//! cannot break a table and `<b>` or `*` show as typed.

use std::fmt::Write as _;
use std::io::Write;

use crate::error::ReportError;
use crate::inspect::{engagement_rows, relationship_rows, sparkline};
use crate::model::{ClusterReport, Report};
use crate::present::{
    count, date, decimal, people_figure, percent, person, ratio, share, small_percent,
    structure_name, PageOptions, MISSING,
};

/// Terms listed per kind in a cluster's section.
const TERMS: usize = 5;

/// Escapes Markdown: backslash-escapes the punctuation that could start markup (`\`, `` ` ``,
/// `*`, `_`, `[`, `]`, `<`, `>`, `|`, `#`, `&`) and turns line breaks into spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown table: the header, the alignment row (`-` left, `:` right) and the rows.
fn table(out: &mut String, header: &[&str], right: &[bool], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let marks: Vec<&str> = right
        .iter()
        .map(|&r| if r { "---:" } else { "---" })
        .collect();
    let _ = writeln!(out, "|{}|", marks.join("|"));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

/// Writes `report.md` with the default [`PageOptions`]: a section for every cluster of at least
/// the run's minimum size, at most [`DEFAULT_MAX_CLUSTERS`](crate::present::DEFAULT_MAX_CLUSTERS).
pub fn write_markdown(report: &Report, out: &mut dyn Write) -> Result<(), ReportError> {
    write_markdown_with(report, &PageOptions::default(), out)
}

/// Writes `report.md`, choosing the clusters that get a section by `options`.
pub fn write_markdown_with(
    report: &Report,
    options: &PageOptions,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let mut md = String::new();
    let _ = writeln!(md, "# Contexts in {}\n", escape(&report.input));
    let _ = writeln!(
        md,
        "Written by {} (report schema {} v{}).\n",
        escape(&report.generator),
        escape(&report.schema),
        report.version
    );
    parameters(&mut md, report);
    network(&mut md, report);
    clusters(&mut md, report, options);
    out.write_all(md.as_bytes())?;
    Ok(())
}

/// The run's parameters.
fn parameters(md: &mut String, report: &Report) {
    let p = &report.parameters;
    md.push_str("## Run\n\n");
    let weights: Vec<String> = p
        .kind_weights
        .iter()
        .map(|(k, w)| format!("{} {}", escape(k), w))
        .collect();
    let rows = vec![
        vec!["algorithm".into(), escape(&p.algorithm)],
        vec!["objective".into(), escape(&p.objective)],
        vec!["resolution".into(), p.resolution.to_string()],
        vec!["seed".into(), p.seed.to_string()],
        vec!["topic weight".into(), p.topic_weight.to_string()],
        vec!["topical neighbours".into(), p.topic_knn.to_string()],
        vec!["topics applied".into(), topics_applied(p)],
        vec![
            "attribute columns left out of the topics".into(),
            if p.topic_skip_columns.is_empty() {
                "none".into()
            } else {
                p.topic_skip_columns
                    .iter()
                    .map(|c| escape(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ],
        vec!["iterations (stable share)".into(), iterations(p)],
        vec![
            "follow weight (mutual bonus)".into(),
            format!("{} (+{})", p.follow_weight, p.mutual_bonus),
        ],
        vec!["interaction weights".into(), weights.join(", ")],
        vec!["minimum cluster size".into(), count(p.min_cluster_size)],
    ];
    table(md, &["parameter", "value"], &[false, false], &rows);
}

/// The iterations asked for and the stable share (`not recorded` in older reports).
pub(crate) fn iterations(p: &crate::Parameters) -> String {
    let asked = match p.iterations {
        None => "not recorded".to_string(),
        Some(0) => "until quality stops improving".to_string(),
        Some(k) => k.to_string(),
    };
    match p.stable_share {
        Some(share) => format!("{asked} ({share})"),
        None => asked,
    }
}

/// Whether topics shaped the clusters, and why (`yes`/`no`, then the reason when the report
/// has one: reports written before the check do not).
fn topics_applied(p: &crate::Parameters) -> String {
    let yes = if p.topics_applied { "yes" } else { "no" };
    if p.topics_reason.is_empty() {
        yes.to_string()
    } else {
        format!("{yes}: {}", escape(&p.topics_reason))
    }
}

/// The network summary, the structure call, sizes and the interaction matrix.
fn network(md: &mut String, report: &Report) {
    let n = &report.network;
    md.push_str("## Network\n\n");
    let rows = vec![
        vec!["people".into(), count(n.people)],
        vec![
            "follows".into(),
            format!(
                "{} ({})",
                count(n.follows),
                if n.directed { "directed" } else { "undirected" }
            ),
        ],
        vec!["interactions".into(), count(n.interactions)],
        vec!["posts".into(), count(n.posts)],
        vec![
            "clusters".into(),
            format!(
                "{} (largest {}, median {}, {} of one person)",
                count(n.clusters),
                count(n.sizes.largest),
                people_figure(n.sizes.median),
                count(n.sizes.singletons)
            ),
        ],
        vec![
            "people in the largest cluster".into(),
            percent(Some(n.sizes.largest_share)),
        ],
        vec![
            "people in the ten largest".into(),
            percent(Some(n.sizes.top10_share)),
        ],
        vec!["follow modularity".into(), ratio(Some(n.follow_modularity))],
        vec![
            "follows inside clusters".into(),
            percent(n.follows_inside_share),
        ],
        vec![
            "interactions inside clusters".into(),
            percent(n.interactions_inside_share),
        ],
        vec!["follow reciprocity".into(), percent(n.reciprocity)],
        vec![
            "followers held by the top 1 %".into(),
            percent(n.top_percent_follower_share),
        ],
        vec![
            "activity".into(),
            format!("{} to {}", date(n.first_activity), date(n.last_activity)),
        ],
    ];
    table(md, &["", ""], &[false, true], &rows);

    let s = &n.structure;
    let _ = writeln!(
        md,
        "### Structure: {}\n\n{}\n",
        structure_name(s.kind),
        escape(&s.reason)
    );
    let rows: Vec<Vec<String>> = s
        .evidence
        .iter()
        .map(|e| {
            vec![
                format!("`{}`", e.name.replace('`', "'")),
                decimal(e.value),
                decimal(e.threshold),
                if e.holds { "yes" } else { "no" }.into(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        table(
            md,
            &["evidence", "value", "threshold", "holds"],
            &[false, true, true, false],
            &rows,
        );
    }

    if !n.sizes.histogram.is_empty() {
        md.push_str("### Cluster sizes\n\n");
        let rows: Vec<Vec<String>> = n
            .sizes
            .histogram
            .iter()
            .map(|b| {
                let size = if b.min == b.max {
                    count(b.min)
                } else {
                    format!("{}–{}", count(b.min), count(b.max))
                };
                vec![size, count(b.clusters)]
            })
            .collect();
        table(md, &["members", "clusters"], &[true, true], &rows);
    }

    let m = &n.matrix;
    if !m.labels.is_empty() {
        md.push_str("### Interactions between clusters\n\n");
        md.push_str("Events from a member of the row's cluster to a member of the column's.\n\n");
        let mut header = vec!["from \\ to".to_string()];
        header.extend(m.labels.iter().map(|l| escape(l)));
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let right: Vec<bool> = (0..header.len()).map(|i| i > 0).collect();
        let rows: Vec<Vec<String>> = m
            .labels
            .iter()
            .zip(&m.counts)
            .map(|(l, row)| {
                let mut r = vec![format!("**{}**", escape(l))];
                r.extend(row.iter().map(|&c| count(c)));
                r
            })
            .collect();
        table(md, &header, &right, &rows);
    }
}

/// The overview table and one section per selected cluster.
fn clusters(md: &mut String, report: &Report, options: &PageOptions) {
    let selection = options.select(report);
    md.push_str("## Clusters\n\n");
    let rows: Vec<Vec<String>> = selection
        .shown
        .iter()
        .map(|c| {
            let p = &c.profile;
            vec![
                p.cluster.to_string(),
                count(p.size),
                escape(report.label(p.cluster)),
                ratio(p.cohesion.density),
                ratio(p.cohesion.conductance),
                ratio(p.interactions.interaction_rate),
                small_percent(p.engagement.click_through_rate),
                ratio(p.engagement.engagement_per_member),
                percent(p.engagement.active_share),
            ]
        })
        .collect();
    table(
        md,
        &[
            "cluster",
            "members",
            "label",
            "density",
            "conductance",
            "interaction rate",
            "CTR",
            "engagement / member",
            "active",
        ],
        &[true, true, false, true, true, true, true, true, true],
        &rows,
    );
    if let Some(line) = selection.left_out() {
        let _ = writeln!(md, "{line}\n");
    }
    for c in &selection.shown {
        section(md, report, c);
    }
}

/// One cluster's section.
fn section(md: &mut String, report: &Report, c: &ClusterReport) {
    let p = &c.profile;
    let label = report.label(p.cluster);
    if label.is_empty() {
        let _ = writeln!(md, "### Cluster {}\n", p.cluster);
    } else {
        let _ = writeln!(md, "### Cluster {} · {}\n", p.cluster, escape(label));
    }
    let _ = writeln!(
        md,
        "{} members ({} of the network) · {} active · activity {} to {}\n",
        count(p.size),
        percent(share(p.size, report.network.people)),
        percent(p.engagement.active_share),
        date(p.activity.first),
        date(p.activity.last)
    );

    if let Some(t) = &c.topics {
        let mut lines = Vec::new();
        for (kind, terms) in crate::present::term_lists(t) {
            if terms.is_empty() {
                continue;
            }
            let shown: Vec<String> = terms
                .iter()
                .take(TERMS)
                .map(|s| {
                    format!(
                        "{} ({}, {} people)",
                        escape(&s.term),
                        decimal(s.score),
                        count(u64::from(s.people))
                    )
                })
                .collect();
            let mut title = kind.to_string();
            title[..1].make_ascii_uppercase();
            lines.push(format!("- **{title}:** {}", shown.join(" · ")));
        }
        if !lines.is_empty() {
            let _ = writeln!(md, "**Topics** (c-TF-IDF score, members using the term)\n");
            let _ = writeln!(md, "{}\n", lines.join("\n"));
        }
    }

    let rel = relationship_rows(c);
    let eng = engagement_rows(c);
    let rows: Vec<Vec<String>> = (0..rel.len().max(eng.len()))
        .map(|i| {
            let (a, b) = rel.get(i).cloned().unwrap_or_default();
            let (d, e) = eng.get(i).cloned().unwrap_or_default();
            vec![a, b, d, e]
        })
        .collect();
    table(
        md,
        &["relationships", "", "engagement", ""],
        &[false, true, false, true],
        &rows,
    );

    let i = &p.interactions;
    let mut rows: Vec<Vec<String>> = i
        .by_kind
        .iter()
        .map(|k| {
            vec![
                escape(&k.kind),
                count(k.internal),
                count(k.outgoing),
                count(k.incoming),
            ]
        })
        .collect();
    rows.push(vec![
        "**all**".into(),
        count(i.internal),
        count(i.outgoing),
        count(i.incoming),
    ]);
    table(
        md,
        &[
            "interactions",
            "inside",
            "to other clusters",
            "from other clusters",
        ],
        &[false, true, true, true],
        &rows,
    );
    let _ = writeln!(
        md,
        "{} interacting pairs over {} follow pairs (rate {}); {} of replies answered; {} pairs interact repeatedly.\n",
        count(i.interacting_pairs),
        count(i.follow_pairs),
        ratio(i.interaction_rate),
        percent(i.conversation_share),
        count(i.repeat_pairs)
    );

    if !p.key_members.is_empty() {
        md.push_str("**Key members** (PageRank inside the cluster beside follower counts)\n\n");
        let rows: Vec<Vec<String>> = p
            .key_members
            .iter()
            .map(|m| {
                vec![
                    escape(&person(&m.id, m.handle.as_deref())),
                    decimal(m.pagerank),
                    count(m.followers_inside),
                    count(m.followers),
                    m.reported_followers.map_or(MISSING.to_string(), count),
                ]
            })
            .collect();
        table(
            md,
            &[
                "member",
                "PageRank",
                "followers inside",
                "followers",
                "reported followers",
            ],
            &[false, true, true, true, true],
            &rows,
        );
    }
    if !p.brokers.is_empty() {
        md.push_str("**Brokers** (ties spanning clusters)\n\n");
        let rows: Vec<Vec<String>> = p
            .brokers
            .iter()
            .map(|b| {
                vec![
                    escape(&person(&b.id, b.handle.as_deref())),
                    decimal(b.participation),
                    count(b.clusters_reached),
                    count(b.external_ties),
                    count(b.ties),
                ]
            })
            .collect();
        table(
            md,
            &[
                "member",
                "participation",
                "clusters reached",
                "external ties",
                "ties",
            ],
            &[false, true, true, true, true],
            &rows,
        );
    }
    if p.activity.per_week.iter().any(|&w| w > 0) {
        let _ = writeln!(
            md,
            "**Weekly activity** from {} (peak {} events): `{}`\n",
            date(report.network.weeks_start),
            count(p.activity.per_week.iter().copied().max().unwrap_or(0)),
            sparkline(&p.activity.per_week)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    fn render(report: &Report, options: &PageOptions) -> String {
        let mut out = Vec::new();
        write_markdown_with(report, options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escaping_keeps_tables_intact() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("<b>*x*</b>"), "\\<b\\>\\*x\\*\\</b\\>");
        assert_eq!(escape("#tag_1\nnext"), "\\#tag\\_1 next");
        assert_eq!(escape("plain · text"), "plain · text");
        assert_eq!(escape("&copy;"), "\\&copy;");
    }

    #[test]
    fn page_has_every_part() {
        let md = render(&fixture::report(), &PageOptions::default());
        for part in [
            "# Contexts in data/sample",
            "## Run",
            "| seed | 42 |",
            "| topics applied | yes: topics agree with structure: connected people are 2.10x as \
             alike as chance (mean cosine 0.210 across 11402 ties, 0.100 at random, z = 41.0); \
             topic weight 0.5, 10 topical neighbours |",
            "## Network",
            "| people | 770 |",
            "### Structure: community clusters",
            "| `largest_share` | 0.545 | 0.600 | yes |",
            "### Interactions between clusters",
            "| **0** | 11,160 | 1,120 | 338 | 2 |",
            "### Cluster 0 · \\#rustlang · compiler · crates.io",
            "- **Hashtags:** \\#rustlang (0.091, 302 people)",
            "| @ferris (1001) | 0.041 | 188 | 240 | 2,880 |",
            "| @bridge\\_builder (1050) | 0.612 | 3 | 41 | 85 |",
            "### Cluster 2 · \\<script\\> · \"quoted\" · a\\&b",
            "1 cluster smaller than 3 members has no section of its own.",
        ] {
            assert!(md.contains(part), "missing {part:?} in\n{md}");
        }
        // The small cluster has no section; no raw HTML from the data survives.
        assert!(!md.contains("### Cluster 3"));
        assert!(!md.contains("<script>"));
    }

    #[test]
    fn the_cap_is_announced() {
        let options = PageOptions {
            max_clusters: 2,
            min_size: Some(1),
        };
        let md = render(&fixture::report(), &options);
        assert!(md.contains("### Cluster 1"));
        assert!(!md.contains("### Cluster 2"));
        assert!(md.contains(
            "2 more clusters of at least 1 members are not described here (only the 2 largest are)."
        ));
    }
}
