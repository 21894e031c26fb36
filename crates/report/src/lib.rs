//! # contextivity-report
//!
//! The report model of one `analyze` run ([`Report`]) and its renderers. Every renderer
//! writes to a `&mut dyn std::io::Write` and fails with [`ReportError`]; opening files,
//! writing them atomically and printing is the binary's job.
//!
//! | module | writes / reads |
//! |---|---|
//! | [`model`] | the serde record: [`Report`], [`Parameters`], [`ClusterReport`] |
//! | [`json`](mod@json) | `report.json` ([`write_json`]) and [`read_report`], which refuses another schema or a newer version |
//! | [`csv`](mod@csv) | `clusters.csv` ([`write_clusters_csv`]), `memberships.csv` ([`write_memberships`], [`read_memberships`]) |
//! | [`markdown`] | `report.md` ([`write_markdown`], [`write_markdown_with`] to pick the clusters) |
//! | [`html`] + [`svg`] | `report.html` ([`write_html`], [`write_html_with`]): one offline page with four inline SVG charts |
//! | [`inspect`] | terminal tables: [`ranked`] by a [`SortKey`], one [`cluster`] in depth, [`compare`] two |
//! | [`diff`](mod@diff) | two runs matched by shared members ([`diff()`], [`diff_runs`], [`Diff`]) and its table ([`write_diff`]) |
//! | [`present`] | shared presentation: number and date formats, [`PageOptions`] (which clusters get a section), text tables |
//!
//! The same number appears the same way everywhere: the machine-readable files keep full
//! precision, the readable ones use [`present`]'s formats (`1,234`, `12.3 %`, `0.123`, `—` for a
//! missing value, ISO 8601 UTC dates). No output depends on hash order or on the machine.
//!
//! ```
//! use contextivity_report::{diff, write_diff, write_memberships, parse_memberships, DiffConfig};
//! use std::path::Path;
//!
//! // memberships.csv of two runs, person ids matched across them.
//! let mut before = Vec::new();
//! write_memberships([("ana", 0), ("ben", 0), ("cy", 1), ("dee", 1)], &mut before)?;
//! let after = "person,cluster\nana,0\nben,0\ncy,0\ndee,0\n";
//! let before = parse_memberships(std::str::from_utf8(&before)?, Path::new("a.csv"))?;
//! let after = parse_memberships(after, Path::new("b.csv"))?;
//!
//! let d = diff(&before, &after, &DiffConfig::default());
//! let mut table = Vec::new();
//! write_diff(&d, &mut table)?;
//! assert!(String::from_utf8(table)?.contains("merged (with 1)"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod csv;
pub mod diff;
pub mod error;
pub mod html;
pub mod inspect;
pub mod json;
pub mod markdown;
pub mod model;
pub mod present;
pub mod svg;

#[cfg(test)]
mod fixture;

/// The names of the files `analyze` writes into a report folder, which `inspect` and `diff`
/// read back.
pub mod files {
    /// The report model as JSON ([`write_json`](crate::write_json)).
    pub const REPORT_JSON: &str = "report.json";
    /// One row per cluster ([`write_clusters_csv`](crate::write_clusters_csv)).
    pub const CLUSTERS_CSV: &str = "clusters.csv";
    /// One row per (person, cluster) ([`write_memberships`](crate::write_memberships)).
    pub const MEMBERSHIPS_CSV: &str = "memberships.csv";
    /// The Markdown page ([`write_markdown`](crate::write_markdown)).
    pub const REPORT_MD: &str = "report.md";
    /// The self-contained HTML page ([`write_html`](crate::write_html)).
    pub const REPORT_HTML: &str = "report.html";
}

pub use crate::csv::{
    csv_field, parse_memberships, read_memberships, write_clusters_csv, write_memberships,
};
pub use diff::{diff, diff_runs, write_diff, Diff, DiffConfig, Fate, Origin, SizeChange};
pub use error::ReportError;
pub use html::{write_html, write_html_with};
pub use inspect::{cluster, compare, ranked, SortKey};
pub use json::{parse_report, read_report, write_json};
pub use markdown::{write_markdown, write_markdown_with};
pub use model::{ClusterReport, Parameters, Report, SCHEMA, SCHEMA_VERSION};
pub use present::{PageOptions, DEFAULT_MAX_CLUSTERS};
