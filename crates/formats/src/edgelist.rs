//! Reader: to be written.

use std::path::Path;

use contextivity_graph::SocialGraph;

use crate::{ErrorKind, FormatError, LoadOptions};

/// Reads `path`.
pub fn read(path: &Path, _options: &LoadOptions) -> Result<SocialGraph, FormatError> {
    Err(FormatError::new(path, ErrorKind::UnknownFormat("not yet supported".into())))
}
