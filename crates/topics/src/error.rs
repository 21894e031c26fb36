//! The errors of the topics crate.

/// Why a topics step could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TopicsError {
    /// A numeric parameter is out of range.
    #[error("invalid {name} {value}: expected {expected}")]
    InvalidParameter {
        /// The parameter.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What is accepted.
        expected: &'static str,
    },
    /// Two inputs describe different numbers of people (a partition of another graph, vectors
    /// of another export).
    #[error("{what}: expected {expected} people, found {found}")]
    PeopleMismatch {
        /// Which input disagrees.
        what: &'static str,
        /// The number of people of the graph or extraction.
        expected: usize,
        /// The number found in the other input.
        found: usize,
    },
    /// A hand-built row names a term the vocabulary does not have.
    #[error("person {person}: term {term} is beyond the vocabulary of {terms} terms")]
    TermOutOfRange {
        /// The person whose row is wrong.
        person: usize,
        /// The term id found.
        term: u32,
        /// The vocabulary size.
        terms: usize,
    },
}

/// Checks a parameter with a predicate, naming it in the error.
pub(crate) fn check(
    name: &'static str,
    value: f64,
    ok: bool,
    expected: &'static str,
) -> Result<(), TopicsError> {
    if ok {
        Ok(())
    } else {
        Err(TopicsError::InvalidParameter {
            name,
            value,
            expected,
        })
    }
}
