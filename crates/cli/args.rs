//! Command-line arguments (step one of two: what the user typed; [`crate::plan`] checks it).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Finds the contexts people share in a social graph.
#[derive(Debug, Parser)]
#[command(name = "contextivity", version, about, long_about = None)]
pub struct Cli {
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, global = true)]
    pub threads: Option<usize>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load an export and print what it holds: people, edges per layer and kind, degrees,
    /// reciprocity, components, and what was merged or dropped.
    Stats(StatsArgs),
    /// Load an export once and save it as a binary snapshot that reloads nearly for free.
    Snapshot(SnapshotArgs),
}

/// How to read an input export; shared by every command that loads one.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// The export: a directory (canonical CSV layout, Stack Exchange dump, SNAP ego files), a file
    /// (edge list, GML, GraphML, GEXF; optionally .gz/.zst) or a snapshot (.ctxg).
    pub input: PathBuf,
    /// Force the input format instead of detecting it.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// What to do with a record that cannot be read: stop with a located error, or skip it and
    /// count it in the load summary.
    #[arg(long, value_enum, default_value_t = OnErrorArg::Fail)]
    pub on_error: OnErrorArg,
    /// Treat follow edges as undirected (mutual) ties, e.g. a friendship edge list.
    #[arg(long, conflicts_with = "directed_input")]
    pub undirected: bool,
    /// Treat follow edges as directed even where the format says undirected.
    #[arg(long = "directed-input")]
    pub directed_input: bool,
    /// Keep self-loops instead of dropping them.
    #[arg(long)]
    pub keep_self_loops: bool,
    /// Read an edge list as interactions of this kind (reply, mention, message…) instead of follows.
    #[arg(long, value_name = "KIND")]
    pub as_interactions: Option<String>,
}

/// Input formats by name.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// Directory of follows.csv / interactions.csv / people.csv / posts.csv.
    Canonical,
    /// Plain edge list (`u v [weight]`).
    Edgelist,
    /// GML.
    Gml,
    /// GraphML.
    Graphml,
    /// GEXF.
    Gexf,
    /// SNAP ego-network files.
    SnapEgo,
    /// Stack Exchange data dump.
    Stackexchange,
    /// contextivity snapshot.
    Snapshot,
}

/// Error policy by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnErrorArg {
    /// Stop at the first bad record.
    Fail,
    /// Skip bad records and count them.
    Skip,
}

/// Arguments of `stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The input.
    #[command(flatten)]
    pub input: InputArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `snapshot`.
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// The input.
    #[command(flatten)]
    pub input: InputArgs,
    /// Where to write the snapshot (conventionally `.ctxg`).
    #[arg(short, long)]
    pub output: PathBuf,
}
