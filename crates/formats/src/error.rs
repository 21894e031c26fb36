//! Located errors: every failure names the file, and where it can the line and column, and says
//! what was expected — `follows.csv:1043: expected 2 columns, found 1`.

use std::fmt;
use std::path::{Path, PathBuf};

use contextivity_graph::{GraphError, SnapshotError};
use thiserror::Error;

/// What went wrong, without the location.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be opened or read.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The file (or the part that matters) is empty.
    #[error("file is empty: expected {expected}")]
    Empty {
        /// What the file should have held.
        expected: String,
    },
    /// A required column is absent from the header.
    #[error("missing required column `{column}` (header has: {found})")]
    MissingColumn {
        /// The column needed.
        column: String,
        /// The columns present.
        found: String,
    },
    /// A row has the wrong number of fields.
    #[error("expected {expected} columns, found {found}")]
    ColumnCount {
        /// How many were expected.
        expected: usize,
        /// How many were found.
        found: usize,
    },
    /// Bytes that are not UTF-8.
    #[error("invalid UTF-8: {0}")]
    NotUtf8(String),
    /// A field holds a value of the wrong shape.
    #[error("invalid {field} `{value}`: expected {expected}")]
    InvalidValue {
        /// Which field.
        field: String,
        /// What it held (shortened).
        value: String,
        /// What it should hold.
        expected: String,
    },
    /// A record refers to something the export never defines (a post by an unknown author).
    #[error("unknown {what} `{id}`")]
    UnknownReference {
        /// What kind of thing.
        what: String,
        /// The id that was not found.
        id: String,
    },
    /// The file breaks its format's grammar.
    #[error("{0}")]
    Syntax(String),
    /// No reader recognises the input.
    #[error("cannot tell the format: {0}")]
    UnknownFormat(String),
    /// The graph could not be assembled.
    #[error("{0}")]
    Graph(#[from] GraphError),
    /// A snapshot could not be read or written.
    #[error("{0}")]
    Snapshot(#[from] SnapshotError),
}

impl ErrorKind {
    /// A short category for counting skipped records (`--on-error skip`).
    pub fn category(&self) -> &'static str {
        match self {
            ErrorKind::Io(_) => "read error",
            ErrorKind::Empty { .. } => "empty file",
            ErrorKind::MissingColumn { .. } => "missing column",
            ErrorKind::ColumnCount { .. } => "wrong number of columns",
            ErrorKind::NotUtf8(_) => "invalid UTF-8",
            ErrorKind::InvalidValue { .. } => "invalid value",
            ErrorKind::UnknownReference { .. } => "unknown reference",
            ErrorKind::Syntax(_) => "syntax error",
            ErrorKind::UnknownFormat(_) => "unknown format",
            ErrorKind::Graph(_) => "graph error",
            ErrorKind::Snapshot(_) => "snapshot error",
        }
    }
}

/// An error located in a file.
#[derive(Debug, Error)]
pub struct FormatError {
    /// The file, as the user named it.
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column (field number for delimited files), when known.
    pub column: Option<u64>,
    /// What went wrong.
    #[source]
    pub kind: ErrorKind,
}

impl FormatError {
    /// An error in `path` with no finer location.
    pub fn new(path: &Path, kind: impl Into<ErrorKind>) -> Self {
        FormatError {
            path: path.to_path_buf(),
            line: None,
            column: None,
            kind: kind.into(),
        }
    }

    /// An error at `line` of `path`.
    pub fn at(path: &Path, line: u64, kind: impl Into<ErrorKind>) -> Self {
        FormatError {
            line: Some(line),
            ..FormatError::new(path, kind)
        }
    }

    /// Adds the column.
    pub fn with_column(mut self, column: u64) -> Self {
        self.column = Some(column);
        self
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.kind)
    }
}

/// Shortens a field value for an error message.
pub fn clip(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() <= MAX {
        value.to_string()
    } else {
        let head: String = value.chars().take(MAX).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_expectation() {
        let e = FormatError::at(
            Path::new("follows.csv"),
            1043,
            ErrorKind::ColumnCount {
                expected: 2,
                found: 1,
            },
        );
        assert_eq!(
            e.to_string(),
            "follows.csv:1043: expected 2 columns, found 1"
        );
        let e = e.with_column(3);
        assert_eq!(
            e.to_string(),
            "follows.csv:1043:3: expected 2 columns, found 1"
        );
    }
}
