//! What a user can choose about loading.

use std::sync::Arc;

use contextivity_graph::{BuildConfig, GraphBuilder};

use crate::error::FormatError;

/// What to do with a record that cannot be read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnError {
    /// Stop at the first bad record with a located error (the default: no silent data loss).
    #[default]
    Fail,
    /// Skip bad records, count them by file and reason, and report the counts in the load summary.
    Skip,
}

/// An input format, detected or forced with `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A directory in the canonical CSV layout (`follows.csv`, `interactions.csv`, `people.csv`,
    /// `posts.csv`).
    Canonical,
    /// A plain edge list (`u v [weight]` per line; SNAP style).
    EdgeList,
    /// GML (the Newman collection).
    Gml,
    /// GraphML.
    GraphMl,
    /// GEXF (Gephi).
    Gexf,
    /// A SNAP ego-network directory (`NODE.edges`, `.circles`, `.feat`, `.egofeat`, `.featnames`).
    SnapEgo,
    /// A Stack Exchange data dump directory (`Posts.xml`, `Users.xml`, `Comments.xml`, …).
    StackExchange,
    /// A contextivity snapshot.
    Snapshot,
}

impl Format {
    /// Every format with its command-line name.
    pub const ALL: [(&'static str, Format); 8] = [
        ("canonical", Format::Canonical),
        ("edgelist", Format::EdgeList),
        ("gml", Format::Gml),
        ("graphml", Format::GraphMl),
        ("gexf", Format::Gexf),
        ("snap-ego", Format::SnapEgo),
        ("stackexchange", Format::StackExchange),
        ("snapshot", Format::Snapshot),
    ];

    /// The format called `name` on the command line.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, f)| f)
    }

    /// The command-line name.
    pub fn name(self) -> &'static str {
        Format::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(n, _)| n)
    }
}

/// Whether an edge list's edges are follows or interactions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum EdgeMeaning {
    /// `u v` means u follows v (or, with `undirected`, a mutual tie).
    #[default]
    Follows,
    /// `u v` is an interaction of this kind from u to v.
    Interactions(String),
}

/// Called with the number of input bytes consumed so far, so the binary can show progress.
pub type ProgressFn = Arc<dyn Fn(u64) + Send + Sync>;

/// Everything a reader needs to know besides the path.
#[derive(Clone, Default)]
pub struct LoadOptions {
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
    /// Strict (default) or skip-and-count.
    pub on_error: OnError,
    /// Keep self-loops.
    pub keep_self_loops: bool,
    /// Treat follow edges as undirected (mutual) ties. `None` = the format's natural reading:
    /// undirected for SNAP edge lists of undirected graphs only when asked, GML/GraphML/GEXF as
    /// the file declares, ego networks undirected.
    pub undirected: Option<bool>,
    /// For edge lists: follows or interactions of a kind.
    pub edge_meaning: EdgeMeaning,
    /// Progress callback (bytes read).
    pub progress: Option<ProgressFn>,
}

impl std::fmt::Debug for LoadOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadOptions")
            .field("format", &self.format)
            .field("on_error", &self.on_error)
            .field("keep_self_loops", &self.keep_self_loops)
            .field("undirected", &self.undirected)
            .field("edge_meaning", &self.edge_meaning)
            .finish()
    }
}

impl LoadOptions {
    /// The graph builder configuration these options imply, given the format's natural
    /// directedness.
    pub fn build_config(&self, naturally_undirected: bool) -> BuildConfig {
        BuildConfig {
            keep_self_loops: self.keep_self_loops,
            undirected_follows: self.undirected.unwrap_or(naturally_undirected),
        }
    }

    /// Applies the error policy: under [`OnError::Skip`] the error is counted in `builder` and
    /// reading goes on; under [`OnError::Fail`] it is returned.
    pub fn handle(
        &self,
        builder: &mut GraphBuilder,
        error: FormatError,
    ) -> Result<(), FormatError> {
        match self.on_error {
            OnError::Fail => Err(error),
            OnError::Skip => {
                let file = error
                    .path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_else(|| error.path.display().to_string());
                builder.count_skipped(&format!("{file}: {}", error.kind.category()));
                Ok(())
            }
        }
    }

    /// Reports progress, if anyone listens.
    pub fn report_progress(&self, bytes: u64) {
        if let Some(p) = &self.progress {
            p(bytes);
        }
    }
}
