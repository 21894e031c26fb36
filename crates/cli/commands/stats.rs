//! `contextivity stats INPUT [--json]`: what an export holds.

use std::fmt::Write as _;

use anyhow::Result;
use contextivity_graph::stats::DegreeSummary;
use contextivity_graph::GraphStats;

use crate::args::StatsArgs;
use crate::commands::load::load;

/// Runs `stats`.
pub fn run(args: StatsArgs) -> Result<()> {
    let loaded = load(&args.input)?;
    let start = std::time::Instant::now();
    let stats = GraphStats::of(&loaded.graph);
    let stats_seconds = start.elapsed().as_secs_f64();
    if args.json {
        let mut value = serde_json::to_value(&stats)?;
        value["seconds"] = serde_json::json!({ "load": loaded.seconds, "stats": stats_seconds });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print!(
            "{}",
            render(&stats, &args.input.input.display().to_string())
        );
    }
    Ok(())
}

fn degrees(d: &DegreeSummary) -> String {
    format!(
        "min {} · median {} · p99 {} · max {} · mean {:.2}",
        d.min, d.median, d.p99, d.max, d.mean
    )
}

/// The text form of the statistics.
fn render(s: &GraphStats, name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{name}");
    let _ = writeln!(out, "  people             {}", s.people);
    let f = &s.follows;
    let kind = if f.undirected {
        "undirected ties"
    } else {
        "directed"
    };
    let _ = writeln!(out, "  follows            {} ({kind})", f.edges);
    let _ = writeln!(out, "    reciprocity      {:.4}", f.reciprocity);
    if f.undirected {
        let _ = writeln!(out, "    degree           {}", degrees(&f.out_degree));
    } else {
        let _ = writeln!(out, "    out-degree       {}", degrees(&f.out_degree));
        let _ = writeln!(out, "    in-degree        {}", degrees(&f.in_degree));
    }
    let i = &s.interactions;
    let _ = writeln!(
        out,
        "  interactions       {} events, {} pairs",
        i.events, i.pairs
    );
    for (kind, count) in &i.by_kind {
        let _ = writeln!(out, "    {kind:<16} {count}");
    }
    if i.events > 0 {
        let _ = writeln!(out, "    sent per person  {}", degrees(&i.out_degree));
    }
    let _ = writeln!(out, "  posts              {}", s.posts);
    if !s.attributes.is_empty() {
        let _ = writeln!(out, "  attributes         {} columns", s.attributes.len());
        for (name, count) in s.attributes.iter().take(12) {
            let _ = writeln!(out, "    {name:<16} {count} people");
        }
        if s.attributes.len() > 12 {
            let _ = writeln!(out, "    … {} more", s.attributes.len() - 12);
        }
    }
    if let Some(t) = s.truth_communities {
        let _ = writeln!(out, "  ground truth       {t} communities");
    }
    let c = &s.components;
    let _ = writeln!(
        out,
        "  components         {} (largest {} people, {} isolated)",
        c.count, c.largest, c.isolated
    );
    let l = &s.load;
    let _ = writeln!(
        out,
        "  merged / dropped   {} duplicate follows, {} follow self-loops, {} duplicate interactions, {} interaction self-loops",
        l.follow_duplicates_merged,
        l.follow_self_loops_dropped,
        l.interaction_duplicates_merged,
        l.interaction_self_loops_dropped
    );
    for (reason, count) in &l.skipped {
        let _ = writeln!(out, "  skipped            {count} × {reason}");
    }
    for note in &l.notes {
        let _ = writeln!(out, "  note               {note}");
    }
    out
}
