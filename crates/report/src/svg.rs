//! The inline SVG charts of `report.html`.
//!
//! Each chart is one `<svg>` element with a stable `id` and the class `chart`, so a check in a
//! headless browser can find it:
//!
//! | id | what it shows |
//! |---|---|
//! | `chart-sizes` | members per cluster, a horizontal bar per cluster |
//! | `chart-engagement` | engagement per member against cluster size (log scale) |
//! | `chart-matrix` | interaction events between clusters, as a heatmap |
//! | `chart-clusters` | clusters as circles sized by members, joined by their interactions |
//!
//! plus a small weekly-activity [`sparkline`] per cluster (class `spark`). Charts carry a
//! `<title>` and per-mark `<title>` tooltips, use no scripts, fonts or external resources, and
//! are deterministic: the cluster picture uses a fixed number of iterations of a
//! Fruchterman–Reingold force layout started from a circle, so the same report gives the same
//! bytes. Coordinates are written with one decimal.

use std::fmt::Write as _;

use crate::html::escape;
use crate::model::{ClusterReport, Report};
use crate::present::{count, decimal, percent, truncate};

/// Width of the full-width charts.
const WIDTH: f64 = 640.0;

/// Ten distinct, moderate colours (Tableau 10); cluster `i` gets colour `i mod 10`.
const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// The colour of cluster `id`.
pub fn colour(id: u32) -> &'static str {
    PALETTE[id as usize % PALETTE.len()]
}

/// Opens an `<svg>` element with its id, size and accessible title.
fn open(svg: &mut String, id: &str, width: f64, height: f64, title: &str) {
    let _ = write!(
        svg,
        "<svg id=\"{id}\" class=\"chart\" viewBox=\"0 0 {width:.0} {height:.0}\" \
         width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-label=\"{t}\">\
         <title>{t}</title>",
        t = escape(title)
    );
}

/// A "nothing to show" chart, still with its id.
fn empty(id: &str, title: &str, message: &str) -> String {
    let mut svg = String::new();
    open(&mut svg, id, WIDTH, 60.0, title);
    let _ = write!(
        svg,
        "<text x=\"10\" y=\"35\" class=\"note\">{}</text></svg>",
        escape(message)
    );
    svg
}

/// `(1, 2, 5) × 10^k` at or above `v`, for axis ends.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&c| c >= v)
        .unwrap_or(10.0 * magnitude)
}

/// Bars of the clusters' sizes, in the order given (at most 40 bars).
pub fn sizes(report: &Report, clusters: &[&ClusterReport]) -> String {
    const TITLE: &str = "Members per cluster";
    const BARS: usize = 40;
    let shown: Vec<&&ClusterReport> = clusters.iter().take(BARS).collect();
    let Some(max) = shown
        .iter()
        .map(|c| c.profile.size)
        .max()
        .filter(|&m| m > 0)
    else {
        return empty("chart-sizes", TITLE, "No clusters to show.");
    };
    let (row, left, top) = (20.0, 230.0, 10.0);
    let bar_space = WIDTH - left - 70.0;
    let height = top * 2.0 + row * shown.len() as f64;
    let mut svg = String::new();
    open(&mut svg, "chart-sizes", WIDTH, height, TITLE);
    for (i, c) in shown.iter().enumerate() {
        let p = &c.profile;
        let y = top + row * i as f64;
        let w = (p.size as f64 / max as f64 * bar_space).max(1.0);
        let label = report.label(p.cluster);
        let name = if label.is_empty() {
            format!("{}", p.cluster)
        } else {
            format!("{} · {}", p.cluster, truncate(label, 30))
        };
        let _ = write!(
            svg,
            "<g><title>cluster {id}: {n} members{full}</title>\
             <text x=\"{tx:.1}\" y=\"{ty:.1}\" class=\"axis\" text-anchor=\"end\">{name}</text>\
             <rect x=\"{left:.1}\" y=\"{ry:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{fill}\"/>\
             <text x=\"{vx:.1}\" y=\"{ty:.1}\" class=\"value\">{n}</text></g>",
            id = p.cluster,
            n = count(p.size),
            full = if label.is_empty() {
                String::new()
            } else {
                format!(" · {}", escape(label))
            },
            tx = left - 6.0,
            ty = y + row * 0.7,
            name = escape(&name),
            ry = y + 3.0,
            h = row - 6.0,
            fill = colour(p.cluster),
            vx = left + w + 5.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Engagement per member against members (log-scaled), one dot per cluster.
pub fn engagement(report: &Report, clusters: &[&ClusterReport]) -> String {
    const TITLE: &str = "Engagement per member against cluster size";
    let points: Vec<(&ClusterReport, f64)> = clusters
        .iter()
        .filter(|c| c.profile.size > 0)
        .filter_map(|c| {
            let e = c.profile.engagement.engagement_per_member?;
            e.is_finite().then_some((*c, e))
        })
        .collect();
    if points.is_empty() {
        return empty(
            "chart-engagement",
            TITLE,
            "No cluster has engagement figures (the export has no post metrics).",
        );
    }
    let (height, left, right, top, bottom) = (340.0, 60.0, 20.0, 15.0, 45.0);
    let (plot_w, plot_h) = (WIDTH - left - right, height - top - bottom);
    let lo = points
        .iter()
        .map(|(c, _)| c.profile.size as f64)
        .fold(f64::INFINITY, f64::min)
        .log10()
        .floor();
    let hi = points
        .iter()
        .map(|(c, _)| c.profile.size as f64)
        .fold(1.0, f64::max)
        .log10()
        .ceil()
        .max(lo + 1.0);
    let y_max = nice_ceiling(points.iter().map(|p| p.1).fold(0.0, f64::max));
    let x = |size: u64| left + ((size as f64).log10() - lo) / (hi - lo) * plot_w;
    let y = |v: f64| top + plot_h - v / y_max * plot_h;
    let mut svg = String::new();
    open(&mut svg, "chart-engagement", WIDTH, height, TITLE);
    // Axes, grid and ticks.
    let _ = write!(
        svg,
        "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{plot_w:.1}\" height=\"{plot_h:.1}\" class=\"frame\"/>"
    );
    let mut power = lo;
    while power <= hi {
        let size = 10f64.powf(power);
        let px = left + (power - lo) / (hi - lo) * plot_w;
        let _ = write!(
            svg,
            "<line x1=\"{px:.1}\" y1=\"{top:.1}\" x2=\"{px:.1}\" y2=\"{b:.1}\" class=\"grid\"/>\
             <text x=\"{px:.1}\" y=\"{ty:.1}\" class=\"axis\" text-anchor=\"middle\">{label}</text>",
            b = top + plot_h,
            ty = top + plot_h + 16.0,
            label = count(size.round() as u64)
        );
        power += 1.0;
    }
    // Five tick steps (four when the axis ends at 2 × 10^k), each shown with just enough
    // decimals.
    let lead = y_max / 10f64.powf(y_max.log10().floor());
    let intervals = if (lead - 2.0).abs() < 1e-9 { 4 } else { 5 };
    let step = y_max / f64::from(intervals);
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    for i in 0..=intervals {
        let v = step * f64::from(i);
        let py = y(v);
        let _ = write!(
            svg,
            "<line x1=\"{left:.1}\" y1=\"{py:.1}\" x2=\"{r:.1}\" y2=\"{py:.1}\" class=\"grid\"/>\
             <text x=\"{tx:.1}\" y=\"{ty:.1}\" class=\"axis\" text-anchor=\"end\">{v:.decimals$}</text>",
            r = left + plot_w,
            tx = left - 6.0,
            ty = py + 4.0,
        );
    }
    let _ = write!(
        svg,
        "<text x=\"{cx:.1}\" y=\"{by:.1}\" class=\"axis\" text-anchor=\"middle\">members (log scale)</text>\
         <text x=\"14\" y=\"{cy:.1}\" class=\"axis\" text-anchor=\"middle\" transform=\"rotate(-90 14 {cy:.1})\">engagements per member</text>",
        cx = left + plot_w / 2.0,
        by = height - 8.0,
        cy = top + plot_h / 2.0
    );
    for (c, e) in &points {
        let p = &c.profile;
        let (px, py) = (x(p.size), y(*e));
        let _ = write!(
            svg,
            "<g><title>cluster {id}{label}: {n} members, {e} engagements per member, \
             click-through rate {ctr}</title>\
             <circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"6\" fill=\"{fill}\" class=\"dot\"/>\
             <text x=\"{lx:.1}\" y=\"{ly:.1}\" class=\"value\">{id}</text></g>",
            id = p.cluster,
            label = match report.label(p.cluster) {
                "" => String::new(),
                l => format!(" · {}", escape(l)),
            },
            n = count(p.size),
            e = decimal(*e),
            ctr = percent(p.engagement.click_through_rate),
            fill = colour(p.cluster),
            lx = px + 8.0,
            ly = py + 4.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The heat of a count: white → dark blue by `ln(1 + c) / ln(1 + max)`.
fn heat(c: u64, max: u64) -> (String, f64) {
    let t = if max == 0 {
        0.0
    } else {
        (c as f64).ln_1p() / (max as f64).ln_1p()
    };
    let mix = |from: f64, to: f64| (from + (to - from) * t).round() as u8;
    (
        format!(
            "#{:02x}{:02x}{:02x}",
            mix(247.0, 33.0),
            mix(249.0, 84.0),
            mix(252.0, 141.0)
        ),
        t,
    )
}

/// The cluster-to-cluster interaction matrix as a heatmap (log-scaled colours).
pub fn matrix(report: &Report) -> String {
    const TITLE: &str = "Interaction events from the row's cluster to the column's";
    let m = &report.network.matrix;
    let n = m.labels.len();
    if n == 0 || m.counts.len() != n {
        return empty("chart-matrix", TITLE, "No interactions between clusters.");
    }
    let cell = if n <= 14 {
        40.0
    } else {
        (560.0 / n as f64).max(8.0)
    };
    let (left, top) = (70.0, 50.0);
    let size = left + cell * n as f64 + 10.0;
    let height = top + cell * n as f64 + 10.0;
    let max = m.counts.iter().flatten().copied().max().unwrap_or(0);
    let mut svg = String::new();
    open(&mut svg, "chart-matrix", size.max(200.0), height, TITLE);
    let _ = write!(
        svg,
        "<text x=\"{left:.1}\" y=\"14\" class=\"axis\">to →</text>\
         <text x=\"4\" y=\"{y:.1}\" class=\"axis\">from ↓</text>",
        y = top - 8.0
    );
    for (i, label) in m.labels.iter().enumerate() {
        let mid = cell * i as f64 + cell / 2.0;
        let short = escape(&truncate(label, 8));
        let _ = write!(
            svg,
            "<text x=\"{x:.1}\" y=\"{ty:.1}\" class=\"axis\" text-anchor=\"middle\">{short}</text>\
             <text x=\"{lx:.1}\" y=\"{ly:.1}\" class=\"axis\" text-anchor=\"end\">{short}</text>",
            x = left + mid,
            ty = top - 8.0,
            lx = left - 6.0,
            ly = top + mid + 4.0,
        );
    }
    for (i, row) in m.counts.iter().enumerate() {
        for (j, &c) in row.iter().enumerate().take(n) {
            let (fill, t) = heat(c, max);
            let (x, y) = (left + cell * j as f64, top + cell * i as f64);
            let from = m.labels.get(i).map_or("", String::as_str);
            let to = m.labels.get(j).map_or("", String::as_str);
            let _ = write!(
                svg,
                "<g><title>from {} to {}: {} events</title>\
                 <rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{cell:.1}\" height=\"{cell:.1}\" fill=\"{fill}\" class=\"cell\"/>",
                escape(from),
                escape(to),
                count(c)
            );
            if cell >= 30.0 {
                let _ = write!(
                    svg,
                    "<text x=\"{tx:.1}\" y=\"{ty:.1}\" class=\"{class}\" text-anchor=\"middle\">{label}</text>",
                    tx = x + cell / 2.0,
                    ty = y + cell / 2.0 + 4.0,
                    class = if t > 0.6 { "cell-text dark" } else { "cell-text" },
                    label = short_count(c)
                );
            }
            svg.push_str("</g>");
        }
    }
    svg.push_str("</svg>");
    svg
}

/// A count in at most four characters: `950`, `12k`, `3.4M`.
fn short_count(c: u64) -> String {
    match c {
        0..=999 => c.to_string(),
        1_000..=9_999 => format!("{:.1}k", c as f64 / 1e3),
        10_000..=999_999 => format!("{}k", c / 1_000),
        _ => format!("{:.1}M", c as f64 / 1e6),
    }
}

/// The clusters of the interaction matrix as circles (area ∝ members) joined by lines whose
/// width grows with the interaction events between them (both directions).
pub fn clusters(report: &Report) -> String {
    const TITLE: &str = "Clusters sized by members, joined by their interactions";
    let m = &report.network.matrix;
    // Matrix rows that are clusters of the report (the pooled "other" is left out).
    let nodes: Vec<(usize, &ClusterReport)> = m
        .labels
        .iter()
        .enumerate()
        .filter_map(|(i, l)| Some((i, report.cluster(l.parse().ok()?)?)))
        .collect();
    if nodes.is_empty() {
        return empty(
            "chart-clusters",
            TITLE,
            "No clusters in the interaction matrix.",
        );
    }
    let at = |i: usize, j: usize| m.counts.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0);
    let mut edges: Vec<(usize, usize, u64)> = Vec::new();
    for a in 0..nodes.len() {
        for b in a + 1..nodes.len() {
            let (i, j) = (nodes[a].0, nodes[b].0);
            let w = at(i, j) + at(j, i);
            if w > 0 {
                edges.push((a, b, w));
            }
        }
    }
    let max_size = nodes
        .iter()
        .map(|n| n.1.profile.size)
        .max()
        .unwrap_or(1)
        .max(1);
    let radii: Vec<f64> = nodes
        .iter()
        .map(|n| 8.0 + 40.0 * (n.1.profile.size as f64 / max_size as f64).sqrt())
        .collect();
    let height = 440.0;
    let pos = layout(&radii, &edges, WIDTH, height);
    let max_w = edges.iter().map(|e| e.2).max().unwrap_or(1).max(1);
    let mut svg = String::new();
    open(&mut svg, "chart-clusters", WIDTH, height, TITLE);
    for &(a, b, w) in &edges {
        let (ca, cb) = (nodes[a].1.profile.cluster, nodes[b].1.profile.cluster);
        let _ = write!(
            svg,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke-width=\"{:.1}\" class=\"edge\">\
             <title>clusters {ca} and {cb}: {} interaction events</title></line>",
            pos[a].0,
            pos[a].1,
            pos[b].0,
            pos[b].1,
            1.0 + 11.0 * w as f64 / max_w as f64,
            count(w)
        );
    }
    for (k, (_, c)) in nodes.iter().enumerate() {
        let p = &c.profile;
        let (x, y) = pos[k];
        let label = report.label(p.cluster);
        let _ = write!(
            svg,
            "<g><title>cluster {id}{full}: {n} members</title>\
             <circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{fill}\" class=\"node\"/>\
             <text x=\"{x:.1}\" y=\"{ty:.1}\" class=\"node-id\" text-anchor=\"middle\">{id}</text>",
            id = p.cluster,
            full = if label.is_empty() {
                String::new()
            } else {
                format!(" · {}", escape(label))
            },
            n = count(p.size),
            r = radii[k],
            fill = colour(p.cluster),
            ty = y + 4.0,
        );
        if !label.is_empty() {
            let _ = write!(
                svg,
                "<text x=\"{x:.1}\" y=\"{ly:.1}\" class=\"node-label\" text-anchor=\"middle\">{}</text>",
                escape(&truncate(label, 24)),
                ly = y + radii[k] + 13.0,
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

/// Fruchterman–Reingold layout (1991) with a fixed number of iterations from a circle:
/// repulsion `k²/d` between all circles (more when they overlap), attraction `d²/k` along the
/// edges scaled by their weight, a pull towards the centre, moves capped by a cooling
/// temperature, and positions kept inside the box. `O(iterations · n²)`; deterministic.
fn layout(
    radii: &[f64],
    edges: &[(usize, usize, u64)],
    width: f64,
    height: f64,
) -> Vec<(f64, f64)> {
    const ITERATIONS: usize = 300;
    let n = radii.len();
    let (cx, cy) = (width / 2.0, height / 2.0);
    if n == 1 {
        return vec![(cx, cy)];
    }
    let ring = height.min(width) * 0.35;
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
            (cx + ring * a.cos(), cy + ring * a.sin())
        })
        .collect();
    let k = (width * height / n as f64).sqrt() * 0.6;
    let max_w = edges.iter().map(|e| e.2).max().unwrap_or(1).max(1) as f64;
    for iteration in 0..ITERATIONS {
        let temperature = 30.0 * (1.0 - iteration as f64 / ITERATIONS as f64) + 0.5;
        let mut disp = vec![(0.0f64, 0.0f64); n];
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d = (dx * dx + dy * dy).sqrt().max(0.01);
                let gap = radii[i] + radii[j] + 12.0;
                let mut f = k * k / d;
                if d < gap {
                    f += (gap - d) * 4.0;
                }
                let (fx, fy) = (dx / d * f, dy / d * f);
                disp[i].0 += fx;
                disp[i].1 += fy;
                disp[j].0 -= fx;
                disp[j].1 -= fy;
            }
        }
        for &(a, b, w) in edges {
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let f = d * d / k * (0.2 + 0.8 * w as f64 / max_w);
            let (fx, fy) = (dx / d * f, dy / d * f);
            disp[a].0 -= fx;
            disp[a].1 -= fy;
            disp[b].0 += fx;
            disp[b].1 += fy;
        }
        for i in 0..n {
            let (mut dx, mut dy) = disp[i];
            dx += (cx - pos[i].0) * 0.5;
            dy += (cy - pos[i].1) * 0.5;
            let d = (dx * dx + dy * dy).sqrt();
            if d > 0.0 {
                let step = d.min(temperature);
                pos[i].0 += dx / d * step;
                pos[i].1 += dy / d * step;
            }
            let margin = radii[i] + 4.0;
            pos[i].0 = pos[i].0.clamp(margin, width - margin);
            // Leave room for the label under the circle.
            pos[i].1 = pos[i].1.clamp(margin, (height - margin - 14.0).max(margin));
        }
    }
    pos
}

/// A weekly-activity sparkline: a 120 × 24 polyline of the series (class `spark`).
pub fn sparkline(values: &[u64]) -> String {
    let (w, h) = (120.0, 24.0);
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = if values.len() > 1 {
        w / (values.len() - 1) as f64
    } else {
        0.0
    };
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            format!(
                "{:.1},{:.1}",
                step * i as f64,
                h - 1.0 - v as f64 / max * (h - 2.0)
            )
        })
        .collect();
    format!(
        "<svg class=\"spark\" viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{w:.0}\" height=\"{h:.0}\" \
         role=\"img\" aria-label=\"weekly activity\"><polyline points=\"{}\"/></svg>",
        points.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;
    use crate::present::PageOptions;

    #[test]
    fn every_chart_has_its_id_and_escapes_labels() {
        let report = fixture::report();
        let shown = PageOptions::default().select(&report).shown;
        for (svg, id) in [
            (sizes(&report, &shown), "chart-sizes"),
            (engagement(&report, &shown), "chart-engagement"),
            (matrix(&report), "chart-matrix"),
            (clusters(&report), "chart-clusters"),
        ] {
            assert!(
                svg.starts_with(&format!("<svg id=\"{id}\" class=\"chart\"")),
                "{svg}"
            );
            assert!(svg.ends_with("</svg>"));
            assert!(!svg.contains("<script"), "{id} leaks raw markup");
            assert!(!svg.contains("NaN") && !svg.contains("=\"inf"), "{id}");
        }
        assert!(sizes(&report, &shown).contains("&lt;script&gt; · &quot;quoted&quot;"));
    }

    #[test]
    fn layout_is_deterministic_and_inside_the_box() {
        let report = fixture::report();
        assert_eq!(clusters(&report), clusters(&report));
        let radii = [40.0, 30.0, 12.0, 8.0];
        let edges = [(0, 1, 2030), (0, 2, 628), (1, 2, 530)];
        let pos = layout(&radii, &edges, 640.0, 440.0);
        for (p, r) in pos.iter().zip(radii) {
            assert!(
                p.0 >= r && p.0 <= 640.0 - r && p.1 >= r && p.1 <= 440.0 - r,
                "{pos:?}"
            );
        }
        for i in 0..4 {
            for j in i + 1..4 {
                let d = ((pos[i].0 - pos[j].0).powi(2) + (pos[i].1 - pos[j].1).powi(2)).sqrt();
                assert!(
                    d > radii[i] + radii[j],
                    "circles {i} and {j} overlap: {pos:?}"
                );
            }
        }
    }

    #[test]
    fn empty_inputs_still_give_the_chart() {
        let mut report = fixture::report();
        report.clusters.clear();
        report.network.matrix.labels.clear();
        report.network.matrix.counts.clear();
        assert!(sizes(&report, &[]).contains("id=\"chart-sizes\""));
        assert!(engagement(&report, &[]).contains("id=\"chart-engagement\""));
        assert!(matrix(&report).contains("id=\"chart-matrix\""));
        assert!(clusters(&report).contains("id=\"chart-clusters\""));
        assert_eq!(nice_ceiling(219.4), 250.0);
        assert_eq!(nice_ceiling(3.1), 5.0);
        assert_eq!(nice_ceiling(0.9), 1.0);
        assert_eq!(short_count(12_345), "12k");
    }
}
