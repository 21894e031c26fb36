//! Errors of the social-export generator: parameters out of range (naming the parameter and the
//! accepted range) and failures to write the output.

use std::path::PathBuf;

use thiserror::Error;

/// Why [`crate::social::write_export`] refused its parameters or could not write the export.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SocialError {
    /// A parameter lies outside its accepted range.
    #[error("{name} must be {expected}, got {value}")]
    OutOfRange {
        /// The parameter's name, as in `generator.json` and the command-line flag.
        name: &'static str,
        /// The accepted range, in words.
        expected: String,
        /// The value given.
        value: String,
    },
    /// Two parameters cannot hold at once.
    #[error("{0}")]
    Inconsistent(String),
    /// The output folder or one of its files could not be created, written or renamed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// `generator.json` could not be serialised.
    #[error("generator.json: {0}")]
    Json(#[from] serde_json::Error),
}

impl SocialError {
    /// An [`OutOfRange`](SocialError::OutOfRange) error for `name`.
    pub(crate) fn range(name: &'static str, expected: &str, value: impl ToString) -> Self {
        SocialError::OutOfRange {
            name,
            expected: expected.to_string(),
            value: value.to_string(),
        }
    }

    /// An [`Io`](SocialError::Io) error at `path`.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SocialError::Io {
            path: path.into(),
            source,
        }
    }
}
