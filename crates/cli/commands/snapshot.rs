//! `contextivity snapshot INPUT -o graph.ctxg`: save a loaded export for near-free reloads.

use anyhow::{Context, Result};
use contextivity_graph::snapshot;

use crate::args::SnapshotArgs;
use crate::commands::load::load;
use crate::output::write_atomically;

/// Runs `snapshot`.
pub fn run(args: SnapshotArgs) -> Result<()> {
    let loaded = load(&args.input)?;
    write_atomically(&args.output, |out| {
        snapshot::write(&loaded.graph, out)
            .with_context(|| format!("{}: cannot write the snapshot", args.output.display()))
    })?;
    let bytes = std::fs::metadata(&args.output)
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "{}",
        serde_json::json!({
            "snapshot": args.output.display().to_string(),
            "bytes": bytes,
            "people": loaded.graph.node_count(),
            "format_version": snapshot::FORMAT_VERSION,
            "seconds": { "load": loaded.seconds },
        })
    );
    Ok(())
}
