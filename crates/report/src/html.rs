//! `report.html`: one self-contained page that opens offline.
//!
//! The page has inline CSS (system fonts, modest colours, light and dark), inline SVG charts
//! (see [`svg`]: `chart-sizes`, `chart-engagement`, `chart-matrix`,
//! `chart-clusters`), and a ten-line inline script that sorts the cluster table when a header
//! is clicked; everything reads without it. It references nothing outside itself: no fonts,
//! images, stylesheets or scripts by URL, and a Content-Security-Policy that forbids loading
//! any (`default-src 'none'`).
//!
//! Sections, in order: the run and network summary, the structure call with its evidence, the
//! four charts, a sortable table of all clusters, and a card per cluster chosen by
//! [`PageOptions`] (topics with scores, relationships beside engagement, interactions by kind,
//! key members beside follower counts, brokers, weekly activity).
//!
//! Every string from the data goes through [`escape`].

use std::fmt::Write as _;
use std::io::Write;

use crate::error::ReportError;
use crate::inspect::{engagement_rows, relationship_rows};
use crate::model::{ClusterReport, Report};
use crate::present::{
    count, date, decimal, people_figure, percent, person, ratio, share, small_percent,
    structure_name, PageOptions, MISSING,
};
use crate::svg;

/// The page's Content-Security-Policy: nothing may be loaded; inline styles, `data:` images
/// and the inline sorting script are allowed.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'";

/// Terms listed per kind on a cluster card.
const TERMS: usize = 6;

/// Escapes text for HTML element content and quoted attribute values: `&`, `<`, `>`, `"`
/// and `'`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's style sheet.
const CSS: &str = "\
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--panel:#f6f8fa;--accent:#2c5d8a}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--bg:#0d1117;--panel:#151b23;--accent:#7aa7d6}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:24px}
h1{font-size:1.7em;margin:0 0 4px}
h2{font-size:1.3em;margin:32px 0 12px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:1.1em;margin:0 0 8px}
.meta,.note,figcaption{color:var(--muted);font-size:.9em}
table{border-collapse:collapse;margin:8px 0 16px;font-size:.92em}
th,td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-weight:600;background:var(--panel)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
.wide{overflow-x:auto}
td.label{min-width:14em}
table.sortable th{cursor:pointer}
table.sortable th[data-dir=asc]::after{content:' ▲'}
table.sortable th[data-dir=desc]::after{content:' ▼'}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:8px 24px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:8px 32px;align-items:start}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:12px 0}
.stat{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 12px}
.stat b{display:block;font-size:1.35em}
.stat span{color:var(--muted);font-size:.85em}
.call{background:var(--panel);border-left:4px solid var(--accent);padding:8px 14px;margin:8px 0}
figure{margin:16px 0}
.chart{max-width:100%;height:auto;display:block}
.chart text{font:11px system-ui,sans-serif;fill:var(--fg)}
.chart .axis{fill:var(--muted)}
.chart .grid{stroke:var(--line);stroke-width:1}
.chart .frame{fill:none;stroke:var(--line)}
.chart .dot{stroke:var(--bg);stroke-width:1.5}
.chart .edge{stroke:var(--muted);stroke-opacity:.45;stroke-linecap:round}
.chart .node{stroke:var(--bg);stroke-width:2;fill-opacity:.9}
.chart .node-id{font-weight:700;fill:#fff}
.chart .cell{stroke:var(--bg);stroke-width:1}
.chart .cell-text{fill:#1f2328}
.chart .cell-text.dark{fill:#fff}
.spark{vertical-align:middle}
.spark polyline{fill:none;stroke:var(--accent);stroke-width:1.5}
.card{border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:18px 0}
.card h3 .id{color:var(--muted);font-weight:400}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:6px;vertical-align:baseline}
.terms{margin:4px 0 12px;padding:0;list-style:none}
.terms li{margin:2px 0}
.term{display:inline-block;background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:0 8px;margin:2px 4px 2px 0;font-size:.9em}
.term small{color:var(--muted)}
.yes{color:#2f7d32}.no{color:#b3261e}
footer{margin:40px auto 24px;color:var(--muted);font-size:.85em}
a{color:var(--accent)}
";

/// Sorts a `table.sortable` by the clicked column: numbers by their `data-v`, text otherwise.
const SCRIPT: &str = "\
document.querySelectorAll('table.sortable th').forEach(function(th,i){th.addEventListener('click',function(){\
var body=th.closest('table').tBodies[0],rows=Array.prototype.slice.call(body.rows),up=th.dataset.dir!=='asc';\
function key(r){var c=r.cells[i],v=c.getAttribute('data-v');return v===null?c.textContent:(v===''?-Infinity:parseFloat(v));}\
rows.sort(function(a,b){var x=key(a),y=key(b),d=(typeof x==='number'&&typeof y==='number')?(x<y?-1:x>y?1:0):String(x).localeCompare(String(y));return up?d:-d;});\
th.parentNode.querySelectorAll('th').forEach(function(h){delete h.dataset.dir;});th.dataset.dir=up?'asc':'desc';\
rows.forEach(function(r){body.appendChild(r);});});});";

/// A numeric cell with its sort value.
fn num(shown: String, value: Option<f64>) -> String {
    let v = value
        .filter(|v| v.is_finite())
        .map_or(String::new(), |v| v.to_string());
    format!("<td class=\"num\" data-v=\"{v}\">{}</td>", escape(&shown))
}

/// One `<tr>` of label/value pairs.
fn pairs_table(out: &mut String, rows: &[(String, String)]) {
    out.push_str("<table>");
    for (k, v) in rows {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td></tr>",
            escape(k),
            escape(v)
        );
    }
    out.push_str("</table>");
}

/// Writes `report.html` with the default [`PageOptions`]: a card for every cluster of at least
/// the run's minimum size, at most [`DEFAULT_MAX_CLUSTERS`](crate::present::DEFAULT_MAX_CLUSTERS).
pub fn write_html(report: &Report, out: &mut dyn Write) -> Result<(), ReportError> {
    write_html_with(report, &PageOptions::default(), out)
}

/// Writes `report.html`, choosing the clusters that get a card by `options` (the table and the
/// charts of the network always cover every cluster).
pub fn write_html_with(
    report: &Report,
    options: &PageOptions,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let selection = options.select(report);
    let mut h = String::with_capacity(1 << 16);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Contexts in {input} · contextivity</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        input = escape(&report.input)
    );
    let p = &report.parameters;
    let _ = write!(
        h,
        "<header><h1>Contexts in {}</h1><p class=\"meta\">{} · {} ({}) at resolution {} · seed {} · \
         topic weight {}{} · report schema {} v{}</p>",
        escape(&report.input),
        escape(&report.generator),
        escape(&p.algorithm),
        escape(&p.objective),
        p.resolution,
        p.seed,
        p.topic_weight,
        if p.topics_applied || p.topics_reason.is_empty() {
            ""
        } else {
            " (not applied)"
        },
        escape(&report.schema),
        report.version
    );
    // Whether topics shaped the clusters, and why (reports from before the check say nothing).
    if !p.topics_reason.is_empty() {
        let _ = write!(
            h,
            "<p class=\"note\" id=\"topics-reason\">Topics {}: {}</p>",
            if p.topics_applied {
                "applied"
            } else {
                "not applied"
            },
            escape(&p.topics_reason)
        );
    }
    h.push_str("</header>\n<main>\n");
    summary(&mut h, report);
    charts(&mut h, report, &selection.shown);
    cluster_table(&mut h, report);
    h.push_str("<section id=\"cards\"><h2>Clusters one by one</h2>\n");
    if let Some(line) = selection.left_out() {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(&line));
    }
    for c in &selection.shown {
        card(&mut h, report, c);
    }
    h.push_str("</section>\n</main>\n");
    let weights: Vec<String> = p
        .kind_weights
        .iter()
        .map(|(k, w)| format!("{} {}", escape(k), w))
        .collect();
    let _ = write!(
        h,
        "<footer>Run parameters: algorithm {}, objective {}, resolution {}, seed {}, iterations {}, \
         topic weight {}, topical neighbours {}, topics applied {}, attribute columns left out of \
         the topics {}, follow weight {} (+{} mutual), interaction weights {}, minimum \
         cluster size {}. Input: {}.</footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        escape(&p.algorithm),
        escape(&p.objective),
        p.resolution,
        p.seed,
        escape(&crate::markdown::iterations(p)),
        p.topic_weight,
        p.topic_knn,
        if p.topics_applied { "yes" } else { "no" },
        if p.topic_skip_columns.is_empty() {
            "none".to_string()
        } else {
            escape(&p.topic_skip_columns.join(", "))
        },
        p.follow_weight,
        p.mutual_bonus,
        weights.join(", "),
        count(p.min_cluster_size),
        escape(&report.input)
    );
    out.write_all(h.as_bytes())?;
    Ok(())
}

/// The network summary and the structure call.
fn summary(h: &mut String, report: &Report) {
    let n = &report.network;
    h.push_str("<section id=\"summary\"><h2>Network</h2>\n<div class=\"stats\">");
    let stat = |h: &mut String, value: String, what: &str| {
        let _ = write!(
            h,
            "<div class=\"stat\"><b>{}</b><span>{}</span></div>",
            escape(&value),
            escape(what)
        );
    };
    stat(h, count(n.people), "people");
    stat(
        h,
        count(n.follows),
        if n.directed {
            "follows (directed)"
        } else {
            "follows (undirected)"
        },
    );
    stat(h, count(n.interactions), "interactions");
    stat(h, count(n.posts), "posts");
    stat(h, count(n.clusters), "clusters");
    stat(h, ratio(Some(n.follow_modularity)), "follow modularity");
    stat(
        h,
        percent(n.follows_inside_share),
        "follows inside clusters",
    );
    stat(
        h,
        percent(n.interactions_inside_share),
        "interactions inside clusters",
    );
    h.push_str("</div>\n");
    let rows = vec![
        (
            "largest cluster".to_string(),
            format!(
                "{} members ({})",
                count(n.sizes.largest),
                percent(Some(n.sizes.largest_share))
            ),
        ),
        ("median cluster size".into(), people_figure(n.sizes.median)),
        ("clusters of one person".into(), count(n.sizes.singletons)),
        (
            "people in the ten largest".into(),
            percent(Some(n.sizes.top10_share)),
        ),
        ("follow reciprocity".into(), percent(n.reciprocity)),
        (
            "followers held by the top 1 %".into(),
            percent(n.top_percent_follower_share),
        ),
        (
            "activity".into(),
            format!("{} to {}", date(n.first_activity), date(n.last_activity)),
        ),
    ];
    pairs_table(h, &rows);
    let s = &n.structure;
    let _ = write!(
        h,
        "<h2 id=\"structure\">Structure</h2>\n<div class=\"call\"><b>{}</b> — {}</div>\n",
        escape(structure_name(s.kind)),
        escape(&s.reason)
    );
    if !s.evidence.is_empty() {
        h.push_str(
            "<table><thead><tr><th>evidence</th><th class=\"num\">value</th>\
             <th class=\"num\">threshold</th><th>holds</th></tr></thead><tbody>",
        );
        for e in &s.evidence {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td>{}{}<td class=\"{}\">{}</td></tr>",
                escape(&e.name),
                num(decimal(e.value), Some(e.value)),
                num(decimal(e.threshold), Some(e.threshold)),
                if e.holds { "yes" } else { "no" },
                if e.holds { "yes" } else { "no" }
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");
}

/// The four charts.
fn charts(h: &mut String, report: &Report, shown: &[&ClusterReport]) {
    h.push_str("<section id=\"charts\"><h2>Pictures</h2>\n<div class=\"charts\">\n");
    let figure = |h: &mut String, svg: String, caption: &str| {
        let _ = writeln!(
            h,
            "<figure>{svg}<figcaption>{}</figcaption></figure>",
            escape(caption)
        );
    };
    figure(
        h,
        svg::sizes(report, shown),
        "Members per cluster, largest first.",
    );
    figure(
        h,
        svg::engagement(report, shown),
        "Engagements (clicks, likes, reposts, replies) per member against members; \
         hover a dot for the click-through rate.",
    );
    figure(
        h,
        svg::matrix(report),
        "Interaction events from a member of the row's cluster to a member of the column's \
         (colour on a log scale; smaller clusters pooled as “other”).",
    );
    figure(
        h,
        svg::clusters(report),
        "Clusters as circles (area by members), joined by lines as wide as the interactions \
         between them.",
    );
    h.push_str("</div>\n</section>\n");
}

/// The sortable table of every cluster.
fn cluster_table(h: &mut String, report: &Report) {
    h.push_str(
        "<section id=\"table\"><h2>All clusters</h2>\n\
         <p class=\"note\">Click a column header to sort.</p>\n\
         <div class=\"wide\"><table class=\"sortable\" id=\"clusters\"><thead><tr>\
         <th class=\"num\">cluster</th><th class=\"num\">members</th><th>label</th>\
         <th class=\"num\">density</th><th class=\"num\">conductance</th>\
         <th class=\"num\">reciprocity</th><th class=\"num\">interaction rate</th>\
         <th class=\"num\">posts</th><th class=\"num\">CTR</th>\
         <th class=\"num\">engagement / member</th><th class=\"num\">engagement / follower</th>\
         <th class=\"num\">active</th></tr></thead><tbody>\n",
    );
    for c in &report.clusters {
        let p = &c.profile;
        let (co, i, e) = (&p.cohesion, &p.interactions, &p.engagement);
        let _ = writeln!(
            h,
            "<tr>{}{}<td class=\"label\">{}</td>{}{}{}{}{}{}{}{}{}</tr>",
            num(p.cluster.to_string(), Some(f64::from(p.cluster))),
            num(count(p.size), Some(p.size as f64)),
            escape(report.label(p.cluster)),
            num(ratio(co.density), co.density),
            num(ratio(co.conductance), co.conductance),
            num(percent(co.reciprocity), co.reciprocity),
            num(ratio(i.interaction_rate), i.interaction_rate),
            num(count(e.posts), Some(e.posts as f64)),
            num(small_percent(e.click_through_rate), e.click_through_rate),
            num(ratio(e.engagement_per_member), e.engagement_per_member),
            num(
                small_percent(e.engagement_per_follower),
                e.engagement_per_follower
            ),
            num(percent(e.active_share), e.active_share),
        );
    }
    h.push_str("</tbody></table></div>\n</section>\n");
}

/// One cluster's card.
fn card(h: &mut String, report: &Report, c: &ClusterReport) {
    let p = &c.profile;
    let label = report.label(p.cluster);
    let _ = write!(
        h,
        "<article class=\"card\" id=\"cluster-{id}\"><h3><span class=\"swatch\" style=\"background:{col}\"></span>\
         <span class=\"id\">Cluster {id}</span> {label}</h3>\n\
         <p class=\"meta\">{n} members ({sh} of the network) · {act} active · activity {first} to {last} {spark}</p>\n",
        id = p.cluster,
        col = svg::colour(p.cluster),
        label = if label.is_empty() {
            String::new()
        } else {
            format!("· {}", escape(label))
        },
        n = count(p.size),
        sh = percent(share(p.size, report.network.people)),
        act = percent(p.engagement.active_share),
        first = date(p.activity.first),
        last = date(p.activity.last),
        spark = if p.activity.per_week.iter().any(|&w| w > 0) {
            svg::sparkline(&p.activity.per_week)
        } else {
            String::new()
        },
    );
    if let Some(t) = &c.topics {
        let mut items = String::new();
        for (kind, terms) in crate::present::term_lists(t) {
            if terms.is_empty() {
                continue;
            }
            let _ = write!(items, "<li>{kind}: ");
            for s in terms.iter().take(TERMS) {
                let _ = write!(
                    items,
                    "<span class=\"term\" title=\"{} occurrences by {} members\">{} <small>{}</small></span>",
                    count(s.count),
                    count(u64::from(s.people)),
                    escape(&s.term),
                    decimal(s.score)
                );
            }
            items.push_str("</li>");
        }
        if !items.is_empty() {
            let _ = writeln!(h, "<ul class=\"terms\">{items}</ul>");
        }
    }
    h.push_str("<div class=\"grid\"><div><h4>Relationships</h4>");
    pairs_table(h, &relationship_rows(c));
    h.push_str("</div><div><h4>Engagement</h4>");
    pairs_table(h, &engagement_rows(c));
    h.push_str("</div></div>\n");

    let i = &p.interactions;
    h.push_str(
        "<h4>Interactions</h4><table><thead><tr><th>kind</th><th class=\"num\">inside</th>\
         <th class=\"num\">to other clusters</th><th class=\"num\">from other clusters</th></tr></thead><tbody>",
    );
    for k in &i.by_kind {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&k.kind),
            count(k.internal),
            count(k.outgoing),
            count(k.incoming)
        );
    }
    let _ = write!(
        h,
        "<tr><th>all</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr>\
         </tbody></table>\n<p class=\"note\">{} interacting pairs over {} follow pairs (rate {}); \
         {} of replies answered; {} pairs interact repeatedly.</p>\n",
        count(i.internal),
        count(i.outgoing),
        count(i.incoming),
        count(i.interacting_pairs),
        count(i.follow_pairs),
        ratio(i.interaction_rate),
        percent(i.conversation_share),
        count(i.repeat_pairs)
    );

    if !p.key_members.is_empty() {
        h.push_str(
            "<h4>Key members</h4><table><thead><tr><th>member</th><th class=\"num\">PageRank</th>\
             <th class=\"num\">followers inside</th><th class=\"num\">followers</th>\
             <th class=\"num\">reported followers</th></tr></thead><tbody>",
        );
        for m in &p.key_members {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&person(&m.id, m.handle.as_deref())),
                decimal(m.pagerank),
                count(m.followers_inside),
                count(m.followers),
                m.reported_followers.map_or(MISSING.to_string(), count)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    if !p.brokers.is_empty() {
        h.push_str(
            "<h4>Brokers</h4><table><thead><tr><th>member</th><th class=\"num\">participation</th>\
             <th class=\"num\">clusters reached</th><th class=\"num\">external ties</th>\
             <th class=\"num\">ties</th></tr></thead><tbody>",
        );
        for b in &p.brokers {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&person(&b.id, b.handle.as_deref())),
                decimal(b.participation),
                count(b.clusters_reached),
                count(b.external_ties),
                count(b.ties)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</article>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    fn page(report: &Report) -> String {
        let mut out = Vec::new();
        write_html(report, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape("<b>\"a\" & 'b'</b>"),
            "&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;"
        );
        assert_eq!(escape("#a · b"), "#a · b");
    }

    #[test]
    fn page_has_the_four_charts_and_the_policy() {
        let html = page(&fixture::report());
        for id in [
            "chart-sizes",
            "chart-engagement",
            "chart-matrix",
            "chart-clusters",
        ] {
            assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
        }
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(&format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">"
        )));
        assert!(html.contains("id=\"cluster-0\"") && html.contains("id=\"cluster-2\""));
        assert!(
            !html.contains("id=\"cluster-3\""),
            "cluster 3 is below the minimum size"
        );
        assert!(html.contains("1 cluster smaller than 3 members has no section of its own."));
        assert!(html.contains("class=\"spark\""));
        assert!(html.trim_end().ends_with("</html>"));
    }

    #[test]
    fn the_page_says_whether_topics_shaped_the_clusters() {
        let mut report = fixture::report();
        let html = page(&report);
        assert!(html.contains(
            "<p class=\"note\" id=\"topics-reason\">Topics applied: topics agree with structure: \
             connected people are 2.10x as alike as chance"
        ));
        assert!(html.contains("topics applied yes,"));
        assert!(!html.contains("(not applied)"));
        report.parameters.topics_applied = false;
        report.parameters.topics_reason = "topics do not agree <with> structure".to_string();
        let html = page(&report);
        assert!(html.contains("topic weight 0.5 (not applied) ·"));
        assert!(html.contains("Topics not applied: topics do not agree &lt;with&gt; structure"));
        assert!(html.contains("topics applied no,"));
        // A report from before the check: no claim either way in the header.
        report.parameters.topics_reason.clear();
        let html = page(&report);
        assert!(!html.contains("topics-reason") && !html.contains("(not applied)"));
    }

    #[test]
    fn page_references_nothing_outside_itself() {
        let html = page(&fixture::report());
        assert!(!html.contains("http://"), "http:// in the page");
        assert!(!html.contains("https://"), "https:// in the page");
        for attr in ["src=", "href="] {
            for (at, _) in html.match_indices(attr) {
                let value = &html[at + attr.len()..];
                assert!(
                    !value.starts_with("\"//") && !value.starts_with("'//"),
                    "protocol-relative {attr} at {at}"
                );
            }
        }
        assert!(!html.contains("@import") && !html.contains("url("));
    }

    #[test]
    fn data_strings_are_escaped() {
        let html = page(&fixture::report());
        // Label, terms, id and handle of cluster 2 hold markup and quotes.
        assert!(!html.contains("<script> ·") && !html.contains(">\"quoted\""));
        assert!(!html.contains("<b>bold</b>"));
        assert!(html.contains("&lt;script&gt; · &quot;quoted&quot; · a&amp;b"));
        assert!(html.contains("@&lt;b&gt;bold&lt;/b&gt;&amp;co (3001,&quot;x&quot;)"));
        // Exactly one script element: the table sorter.
        assert_eq!(html.matches("<script").count(), 1);
    }
}
