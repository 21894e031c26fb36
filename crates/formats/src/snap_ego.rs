//! Reader: to be written.

use std::path::Path;

use contextivity_graph::SocialGraph;

use crate::{ErrorKind, FormatError, LoadOptions};

/// Reads `path`.
pub fn read(path: &Path, _options: &LoadOptions) -> Result<SocialGraph, FormatError> {
    Err(FormatError::new(path, ErrorKind::UnknownFormat("not yet supported".into())))
}

/// Whether a directory holds SNAP ego files.
pub fn looks_like(_dir: &Path) -> bool {
    false
}

/// Whether a `.edges` file sits beside its ego companions (`.circles`, `.feat` …).
pub fn looks_like_file(_path: &Path) -> bool {
    false
}
