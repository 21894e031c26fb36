//! `contextivity diff OUT_A OUT_B`: clusters of two reports (last month vs this month) matched by
//! the people they share, and what grew, shrank, split, merged, appeared and vanished.

use std::io::Write;

use anyhow::{Context, Result};
use contextivity_report::{csv::read_memberships, diff};

use crate::args::DiffArgs;
use crate::commands::report_json;

/// Runs `diff`.
pub fn run(args: DiffArgs) -> Result<()> {
    let before = report_json(&args.before)?;
    let after = report_json(&args.after)?;
    let before_members = read_memberships(&args.before.join("memberships.csv"))?;
    let after_members = read_memberships(&args.after.join("memberships.csv"))?;
    let changes = diff::diff_runs(&before, &before_members, &after, &after_members);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &changes).context("cannot write the diff")?;
        writeln!(out).context("cannot write to standard output")?;
    } else {
        diff::write_diff(&changes, &mut out)?;
    }
    out.flush().context("cannot write to standard output")?;
    Ok(())
}
