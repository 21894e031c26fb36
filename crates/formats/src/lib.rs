//! # contextivity-formats
//!
//! Every file format contextivity reads, each reader turning records (with their line numbers)
//! into the [`GraphBuilder`](contextivity_graph::GraphBuilder)'s input:
//!
//! | module | input |
//! |---|---|
//! | [`canonical`] | a directory of `follows.csv`, `interactions.csv`, `people.csv`, `posts.csv` |
//! | [`edgelist`] | plain edge lists, SNAP style (`u v [weight]`, `#`/`%` comments) |
//! | [`gml`] | GML (the Newman collection) |
//! | [`graphml`] | GraphML |
//! | [`gexf`] | GEXF (Gephi) |
//! | [`snap_ego`] | SNAP ego networks (`NODE.edges/.circles/.feat/.egofeat/.featnames`) |
//! | [`stackexchange`] | Stack Exchange data dumps (`Posts.xml`, `Users.xml`, `Comments.xml`, …) |
//! | [`truth`] | ground-truth files (`node community` pairs, one community per line) |
//!
//! Any file may be gzip- or zstd-compressed ([`input`]). [`load`] detects the format (or takes
//! the one forced in [`LoadOptions`]) and also accepts a snapshot. Errors are [`FormatError`]s
//! naming file, line and column; the policy for bad records is [`OnError`].

#![warn(missing_docs)]

pub mod canonical;
pub mod edgelist;
pub mod error;
pub mod gexf;
pub mod gml;
pub mod graphml;
pub mod input;
pub mod options;
pub mod snap_ego;
pub mod stackexchange;
pub mod time;
pub mod truth;
pub mod xml_util;

use std::path::Path;

use contextivity_graph::{snapshot, SocialGraph};

pub use error::{ErrorKind, FormatError};
pub use options::{EdgeMeaning, Format, LoadOptions, OnError, ProgressFn};

/// Decides which reader fits `path`: a snapshot by its magic bytes; a directory by the files it
/// holds; a file by its extension (ignoring `.gz`/`.zst`), falling back to an edge list.
pub fn detect(path: &Path) -> Result<Format, FormatError> {
    if path.is_dir() {
        let has = |name: &str| {
            ["", ".gz", ".zst"]
                .iter()
                .any(|ext| path.join(format!("{name}{ext}")).is_file())
        };
        if canonical::FILES.iter().any(|f| has(f)) {
            return Ok(Format::Canonical);
        }
        if has("Posts.xml") || has("Users.xml") {
            return Ok(Format::StackExchange);
        }
        if snap_ego::looks_like(path) {
            return Ok(Format::SnapEgo);
        }
        return Err(FormatError::new(
            path,
            ErrorKind::UnknownFormat(
                "a directory must hold follows.csv / interactions.csv / people.csv / posts.csv, \
                 a Stack Exchange dump (Posts.xml, Users.xml …) or SNAP ego files (NODE.edges …)"
                    .into(),
            ),
        ));
    }
    if !path.exists() {
        return Err(FormatError::new(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
        ));
    }
    let prefix = input::peek(path, 8)?;
    if snapshot::is_snapshot(&prefix) {
        return Ok(Format::Snapshot);
    }
    let name = input::logical_name(path);
    let ext = name.rsplit('.').next().unwrap_or("");
    Ok(match ext {
        "gml" => Format::Gml,
        "graphml" => Format::GraphMl,
        "gexf" => Format::Gexf,
        "ctxg" => Format::Snapshot,
        "xml"
            if path.parent().is_some_and(|dir| {
                ["Posts.xml", "Users.xml"]
                    .iter()
                    .any(|f| dir.join(f).is_file())
            }) =>
        {
            Format::StackExchange
        }
        "edges" if snap_ego::looks_like_file(path) => Format::SnapEgo,
        _ => Format::EdgeList,
    })
}

/// Loads `path` in the detected (or forced) format.
pub fn load(path: &Path, options: &LoadOptions) -> Result<SocialGraph, FormatError> {
    let format = match options.format {
        Some(f) => f,
        None => detect(path)?,
    };
    match format {
        Format::Canonical => canonical::read(path, options),
        Format::EdgeList => edgelist::read(path, options),
        Format::Gml => gml::read(path, options),
        Format::GraphMl => graphml::read(path, options),
        Format::Gexf => gexf::read(path, options),
        Format::SnapEgo => snap_ego::read(path, options),
        Format::StackExchange => stackexchange::read(path, options),
        Format::Snapshot => read_snapshot(path),
    }
}

/// Reads a snapshot, memory-mapping a plain file so that its bytes are decoded straight from the
/// page cache (a compressed snapshot is decompressed into memory first).
fn read_snapshot(path: &Path) -> Result<SocialGraph, FormatError> {
    let prefix = input::peek(path, 8)?;
    if input::Compression::sniff(&prefix) != input::Compression::None {
        let bytes = input::read_all(path)?;
        return snapshot::from_bytes(&bytes).map_err(|e| FormatError::new(path, e));
    }
    let file = std::fs::File::open(path).map_err(|e| FormatError::new(path, e))?;
    if file.metadata().map(|m| m.len()).unwrap_or(0) == 0 {
        return snapshot::from_bytes(&[]).map_err(|e| FormatError::new(path, e));
    }
    // SAFETY: the map is read-only and lives only for this call. Another process truncating the
    // file meanwhile could fault the read, as with any mapped reader; changed bytes are caught
    // by the snapshot's checksum before decoding.
    // `populate` pre-faults the pages in one kernel call instead of one fault per page.
    let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) }
        .map_err(|e| FormatError::new(path, e))?;
    snapshot::from_bytes(&map).map_err(|e| FormatError::new(path, e))
}
