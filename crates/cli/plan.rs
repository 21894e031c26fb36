//! Step two of argument handling: turn what the user typed into checked settings before any
//! work starts.

use anyhow::{bail, Context, Result};
use contextivity_formats::{EdgeMeaning, Format, LoadOptions, OnError};

use crate::args::{FormatArg, InputArgs, OnErrorArg};

/// The rayon pool for `--threads` (all cores when absent).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        if t == 0 {
            bail!("--threads must be at least 1");
        }
        builder = builder.num_threads(t);
    }
    builder.build().context("cannot start the worker threads")
}

/// Checked load options for an input.
pub fn load_options(args: &InputArgs) -> Result<LoadOptions> {
    if !args.input.exists() {
        bail!("{}: no such file or directory", args.input.display());
    }
    let format = args.format.map(|f| match f {
        FormatArg::Canonical => Format::Canonical,
        FormatArg::Edgelist => Format::EdgeList,
        FormatArg::Gml => Format::Gml,
        FormatArg::Graphml => Format::GraphMl,
        FormatArg::Gexf => Format::Gexf,
        FormatArg::SnapEgo => Format::SnapEgo,
        FormatArg::Stackexchange => Format::StackExchange,
        FormatArg::Snapshot => Format::Snapshot,
    });
    let undirected = if args.undirected {
        Some(true)
    } else if args.directed_input {
        Some(false)
    } else {
        None
    };
    let edge_meaning = match &args.as_interactions {
        Some(kind) if kind.trim().is_empty() => bail!("--as-interactions needs a kind name"),
        Some(kind) => EdgeMeaning::Interactions(kind.trim().to_string()),
        None => EdgeMeaning::Follows,
    };
    Ok(LoadOptions {
        format,
        on_error: match args.on_error {
            OnErrorArg::Fail => OnError::Fail,
            OnErrorArg::Skip => OnError::Skip,
        },
        keep_self_loops: args.keep_self_loops,
        undirected,
        edge_meaning,
        progress: None,
    })
}
