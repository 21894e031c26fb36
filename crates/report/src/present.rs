//! How values look in the human-readable renderers (Markdown, HTML, terminal tables): counts
//! with thousands separators, shares as percentages, ratios with three significant decimals,
//! times as ISO 8601 UTC, a missing value as `—`; which clusters get a section of their own;
//! and plain-text tables with aligned columns.
//!
//! The machine-readable outputs (`report.json`, `clusters.csv`) keep full precision and do not
//! use these helpers, except [`iso8601`] for timestamps.

use contextivity_metrics::profile::StructureType;

use crate::model::{ClusterReport, Report};

/// What a missing value (a ratio whose denominator is zero, an unknown time) looks like.
pub const MISSING: &str = "—";

/// Default of [`PageOptions::max_clusters`]: sections of at most this many clusters.
pub const DEFAULT_MAX_CLUSTERS: usize = 50;

/// Which clusters the Markdown and HTML pages describe one by one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageOptions {
    /// At most this many clusters get a section, the largest first; the page says how many
    /// were left out.
    pub max_clusters: usize,
    /// Clusters smaller than this get no section; `None` uses the run's
    /// [`Parameters::min_cluster_size`](crate::Parameters::min_cluster_size).
    pub min_size: Option<u64>,
}

impl Default for PageOptions {
    fn default() -> Self {
        PageOptions {
            max_clusters: DEFAULT_MAX_CLUSTERS,
            min_size: None,
        }
    }
}

/// The clusters a page describes one by one, and how many it leaves out.
#[derive(Debug)]
pub struct Selection<'a> {
    /// Clusters of at least the minimum size, largest first (then by id), at most
    /// [`PageOptions::max_clusters`].
    pub shown: Vec<&'a ClusterReport>,
    /// Clusters of at least the minimum size beyond the cap.
    pub capped: usize,
    /// Clusters below the minimum size.
    pub small: usize,
    /// The minimum size applied.
    pub min_size: u64,
}

impl PageOptions {
    /// Picks the clusters of `report` that get a section.
    pub fn select<'a>(&self, report: &'a Report) -> Selection<'a> {
        let min_size = self.min_size.unwrap_or(report.parameters.min_cluster_size);
        let mut big: Vec<&ClusterReport> = report
            .clusters
            .iter()
            .filter(|c| c.profile.size >= min_size)
            .collect();
        big.sort_by(|a, b| {
            b.profile
                .size
                .cmp(&a.profile.size)
                .then(a.profile.cluster.cmp(&b.profile.cluster))
        });
        let small = report.clusters.len() - big.len();
        let capped = big.len().saturating_sub(self.max_clusters);
        big.truncate(self.max_clusters);
        Selection {
            shown: big,
            capped,
            small,
            min_size,
        }
    }
}

impl Selection<'_> {
    /// One sentence on what was left out, or `None` when every cluster is shown.
    pub fn left_out(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.capped > 0 {
            parts.push(format!(
                "{} more {} of at least {} members {} not described here (only the {} largest are)",
                count(self.capped as u64),
                plural(self.capped, "cluster", "clusters"),
                count(self.min_size),
                plural(self.capped, "is", "are"),
                self.shown.len()
            ));
        }
        if self.small > 0 {
            parts.push(format!(
                "{} {} smaller than {} members {} no section of {} own",
                count(self.small as u64),
                plural(self.small, "cluster", "clusters"),
                count(self.min_size),
                plural(self.small, "has", "have"),
                plural(self.small, "its", "their")
            ));
        }
        (!parts.is_empty()).then(|| {
            let mut s = parts.join("; ");
            s.push('.');
            s
        })
    }
}

/// A cluster's distinctive terms by kind, in label order, each with its plural name.
pub fn term_lists(
    topics: &contextivity_topics::ClusterLabel,
) -> [(&'static str, &[contextivity_topics::ScoredTerm]); 5] {
    [
        ("hashtags", &topics.hashtags),
        ("mentions", &topics.mentions),
        ("domains", &topics.domains),
        ("words", &topics.words),
        ("attributes", &topics.attributes),
    ]
}

/// The structure type in words: `community clusters`.
pub fn structure_name(kind: StructureType) -> &'static str {
    match kind {
        StructureType::PolarizedCrowd => "polarized crowd",
        StructureType::TightCrowd => "tight crowd",
        StructureType::BrandClusters => "brand clusters",
        StructureType::CommunityClusters => "community clusters",
        StructureType::BroadcastNetwork => "broadcast network",
        StructureType::SupportNetwork => "support network",
    }
}

/// A share of a whole: `part ÷ whole`, `None` when the whole is 0.
pub fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// `one` when `n` is 1, else `many`.
pub(crate) fn plural<'s>(n: usize, one: &'s str, many: &'s str) -> &'s str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `1234567` → `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A share in [0, 1] as a percentage with one decimal (`0.1234` → `12.3 %`); `—` for `None`.
pub fn percent(share: Option<f64>) -> String {
    match share {
        Some(s) if s.is_finite() => format!("{:.1} %", s * 100.0),
        _ => MISSING.to_string(),
    }
}

/// A ratio with three decimals (`0.12345` → `0.123`), or in scientific notation below 0.001;
/// `—` for `None`.
pub fn ratio(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => decimal(v),
        _ => MISSING.to_string(),
    }
}

/// A number with three decimals, small numbers (below 0.001 but not 0) as `1.2e-4`, large
/// ones (1,000 and more) with thousands separators and one decimal.
pub fn decimal(v: f64) -> String {
    if !v.is_finite() {
        return MISSING.to_string();
    }
    let a = v.abs();
    if a == 0.0 {
        "0".to_string()
    } else if a < 1e-3 {
        format!("{v:.1e}")
    } else if a >= 1000.0 {
        let whole = a.trunc();
        let tenth = ((a - whole) * 10.0).round();
        let (whole, tenth) = if tenth >= 10.0 {
            (whole + 1.0, 0.0)
        } else {
            (whole, tenth)
        };
        let sign = if v < 0.0 { "-" } else { "" };
        // Saturating float-to-int conversion: values beyond u64 are not report figures.
        format!("{sign}{}.{}", count(whole as u64), tenth as u64)
    } else {
        format!("{v:.3}")
    }
}

/// A small share as a percentage with two decimals (`0.00781` → `0.78 %`), for
/// click-through rates and engagement per follower; `—` for `None`.
pub fn small_percent(share: Option<f64>) -> String {
    match share {
        Some(s) if s.is_finite() => format!("{:.2} %", s * 100.0),
        _ => MISSING.to_string(),
    }
}

/// A number of people that may be a half (a median): `172`, `172.5`, `1,204`.
pub fn people_figure(v: f64) -> String {
    if !v.is_finite() || v < 0.0 {
        MISSING.to_string()
    } else if v.fract() == 0.0 {
        count(v as u64)
    } else {
        format!(
            "{}.{}",
            count(v.trunc() as u64),
            ((v.fract() * 10.0).round() as u64).min(9)
        )
    }
}

/// Seconds since the Unix epoch as ISO 8601 UTC: `2024-03-01T12:30:00Z`.
pub fn iso8601(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Seconds since the Unix epoch as an ISO 8601 UTC date: `2024-03-01`; `—` for `None`.
pub fn date(seconds: Option<i64>) -> String {
    match seconds {
        Some(s) => {
            let (y, m, d) = civil_from_days(s.div_euclid(86_400));
            format!("{y:04}-{m:02}-{d:02}")
        }
        None => MISSING.to_string(),
    }
}

/// The date `(year, month, day)` `days` days after 1970-01-01 (proleptic Gregorian).
///
/// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms", `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A person as shown: `@handle (id)` when there is a handle, else the id.
pub fn person(id: &str, handle: Option<&str>) -> String {
    match handle {
        Some(h) if !h.is_empty() && h != id => {
            if h.starts_with('@') {
                format!("{h} ({id})")
            } else {
                format!("@{h} ({id})")
            }
        }
        _ => id.to_string(),
    }
}

/// `text` cut to at most `max` characters, with `…` when it was cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// How a column of a [`TextTable`] is aligned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers.
    Right,
}

/// A plain-text table: a header row and rows, columns padded to their widest cell and
/// separated by two spaces; no colour, no trailing spaces.
#[derive(Clone, Debug)]
pub struct TextTable {
    header: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl TextTable {
    /// A table with these column headers and alignments.
    pub fn new(columns: &[(&str, Align)]) -> Self {
        TextTable {
            header: columns.iter().map(|c| c.0.to_string()).collect(),
            align: columns.iter().map(|c| c.1).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are empty, extra cells are dropped.
    pub fn row(&mut self, cells: Vec<String>) {
        let mut cells = cells;
        cells.resize(self.header.len(), String::new());
        self.rows.push(cells);
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as lines of text, each ending in `\n`, every line indented by `indent`.
    pub fn render(&self, indent: &str) -> String {
        let width = |cell: &String| cell.chars().count();
        let mut widths: Vec<usize> = self.header.iter().map(width).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let mut out = String::new();
        for row in std::iter::once(&self.header).chain(&self.rows) {
            let mut line = String::from(indent);
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                let pad = widths[i] - width(cell);
                match self.align[i] {
                    Align::Left => {
                        line.push_str(cell);
                        line.extend(std::iter::repeat_n(' ', pad));
                    }
                    Align::Right => {
                        line.extend(std::iter::repeat_n(' ', pad));
                        line.push_str(cell);
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(percent(Some(0.1234)), "12.3 %");
        assert_eq!(percent(None), "—");
        assert_eq!(ratio(Some(0.12345)), "0.123");
        assert_eq!(ratio(Some(0.00012)), "1.2e-4");
        assert_eq!(decimal(12_345.67), "12,345.7");
        assert_eq!(decimal(999.99), "999.990");
        assert_eq!(decimal(1999.96), "2,000.0");
        assert_eq!(small_percent(Some(0.00781)), "0.78 %");
        assert_eq!(people_figure(172.5), "172.5");
        assert_eq!(people_figure(1204.0), "1,204");
    }

    #[test]
    fn times_are_iso8601_utc() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_709_296_200), "2024-03-01T12:30:00Z");
        assert_eq!(iso8601(-1), "1969-12-31T23:59:59Z");
        assert_eq!(date(Some(951_782_400)), "2000-02-29");
        assert_eq!(date(None), "—");
    }

    #[test]
    fn tables_align_by_characters() {
        let mut t = TextTable::new(&[("label", Align::Left), ("n", Align::Right)]);
        t.row(vec!["#a · b".into(), "1".into()]);
        t.row(vec!["x".into(), "1,000".into()]);
        assert_eq!(
            t.render(""),
            "label       n\n#a · b      1\nx       1,000\n"
        );
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(person("17", Some("ana")), "@ana (17)");
        assert_eq!(person("17", None), "17");
    }
}
