//! `contextivity inspect OUT [CLUSTER] [--compare C] [--sort METRIC] [--top N]`: a report in the
//! terminal — every cluster ranked by a metric, one cluster in depth, or two side by side.

use std::io::Write;
use std::str::FromStr;

use anyhow::{Context, Result};
use contextivity_report::inspect::{self, SortKey};

use crate::args::InspectArgs;
use crate::commands::report_json;

/// Runs `inspect`.
pub fn run(args: InspectArgs) -> Result<()> {
    let sort = SortKey::from_str(&args.sort).map_err(|e| anyhow::anyhow!("--sort: {e}"))?;
    if args.top == 0 {
        anyhow::bail!("--top must be at least 1");
    }
    let report = report_json(&args.report)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match (args.cluster, args.compare) {
        (Some(a), Some(b)) => inspect::compare(&report, a, b, &mut out)?,
        (Some(id), None) => inspect::cluster(&report, id, args.top, &mut out)?,
        (None, _) => inspect::ranked(&report, sort, args.top, &mut out)?,
    }
    out.flush().context("cannot write to standard output")?;
    Ok(())
}
