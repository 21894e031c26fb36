//! What can go wrong while writing or reading report files.
//!
//! Every variant that concerns a file carries its path (and the line, for CSV), so the binary
//! can print the error as it is: `out/memberships.csv:17: expected 2 columns, found 3`.

use std::path::PathBuf;

use thiserror::Error;

/// An error of a renderer or reader of this crate.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ReportError {
    /// Writing to the output failed.
    #[error("could not write the report: {0}")]
    Io(#[from] std::io::Error),
    /// A file could not be opened or read.
    #[error("{}: could not read the file: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A `report.json` is not valid JSON or does not have the report's layout.
    #[error("{}: not a readable contextivity report: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// What the JSON parser said (with line and column).
        source: serde_json::Error,
    },
    /// A `report.json` was written for another schema or by a newer contextivity.
    #[error(
        "{}: the file is a {found} report, but this build reads {expected}; \
         a report of a newer version needs a newer contextivity",
        path.display()
    )]
    SchemaMismatch {
        /// The file.
        path: PathBuf,
        /// The schema and version the file declares, e.g. `contextivity.report v2`.
        found: String,
        /// The schema and newest version this build reads, e.g. `contextivity.report v1`.
        expected: String,
    },
    /// A CSV file has a line this crate cannot read.
    #[error("{}:{line}: {message}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The 1-based line where the bad record starts.
        line: u64,
        /// What was expected.
        message: String,
    },
    /// A cluster id that the report does not list.
    #[error("the report has no cluster {cluster} (it lists {listed} clusters{range})")]
    UnknownCluster {
        /// The id asked for.
        cluster: u32,
        /// Clusters the report lists.
        listed: usize,
        /// The listed ids, e.g. ` with ids 0–11`, or empty.
        range: String,
    },
    /// A sort key that `inspect` does not know.
    #[error("unknown sort key `{found}`; valid keys: {valid}")]
    UnknownSortKey {
        /// What was given.
        found: String,
        /// Every valid key, comma-separated.
        valid: String,
    },
}

impl ReportError {
    /// The [`ReportError::UnknownCluster`] error for `cluster` in a report listing `ids`.
    pub(crate) fn unknown_cluster(cluster: u32, ids: impl Iterator<Item = u32>) -> Self {
        let ids: Vec<u32> = ids.collect();
        let range = match (ids.iter().min(), ids.iter().max()) {
            (Some(lo), Some(hi)) => format!(" with ids {lo}–{hi}"),
            _ => String::new(),
        };
        ReportError::UnknownCluster {
            cluster,
            listed: ids.len(),
            range,
        }
    }
}
