//! Loading an input the same way for every command: checked options, progress on a terminal,
//! the time it took.

use std::time::Instant;

use anyhow::Result;
use contextivity_graph::SocialGraph;

use crate::args::InputArgs;
use crate::{plan, progress};

/// A loaded graph and the seconds loading took.
pub struct Loaded {
    /// The graph.
    pub graph: SocialGraph,
    /// Wall-clock seconds spent loading.
    pub seconds: f64,
}

/// Loads the input named by `args`.
pub fn load(args: &InputArgs) -> Result<Loaded> {
    let mut options = plan::load_options(args)?;
    let (bar, callback) = progress::loading(&args.input);
    options.progress = callback;
    let start = Instant::now();
    let result = contextivity_formats::load(&args.input, &options);
    bar.finish_and_clear();
    let graph = result?;
    Ok(Loaded {
        graph,
        seconds: start.elapsed().as_secs_f64(),
    })
}
