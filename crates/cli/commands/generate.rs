//! `contextivity generate lfr …`: benchmark graphs with planted communities.

use std::time::Instant;

use anyhow::{Context, Result};
use contextivity_graph::LabelTable;
use contextivity_synth::{generate, LfrParams};
use serde_json::json;

use crate::args::{LfrArgs, SocialArgs};
use crate::output::write_atomically;

/// Runs `generate lfr`.
pub fn lfr(args: LfrArgs) -> Result<()> {
    let params = LfrParams {
        nodes: args.nodes,
        avg_degree: args.avg_degree,
        max_degree: args.max_degree,
        mixing: args.mixing,
        degree_exponent: args.degree_exponent,
        community_exponent: args.community_exponent,
        min_community: args.min_community,
        max_community: args.max_community,
        seed: args.seed,
    };
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("{}: cannot create the folder", args.output.display()))?;
    let bar = crate::progress::stage("generating");
    let start = Instant::now();
    let graph = generate(&params)?;
    let generate_seconds = start.elapsed().as_secs_f64();
    bar.set_message("writing");
    let start = Instant::now();
    let labels = LabelTable::numbered(graph.nodes);
    let edges_path = args.output.join("edges.txt");
    write_atomically(&edges_path, |out| {
        contextivity_formats::edgelist::write(out, &labels, &graph.edges, false)
            .with_context(|| format!("{}: write failed", edges_path.display()))
    })?;
    let truth_path = args.output.join("truth.tsv");
    write_atomically(&truth_path, |out| {
        contextivity_formats::truth::write_pairs(out, &labels, &graph.communities)
            .with_context(|| format!("{}: write failed", truth_path.display()))
    })?;
    let record = json!({
        "generator": "lfr",
        "version": env!("CARGO_PKG_VERSION"),
        "parameters": params,
        "nodes": graph.nodes,
        "edges": graph.edges.len(),
        "communities": graph.communities.cluster_count(),
        "realised_mixing": graph.realised_mixing,
        "stats": graph.stats,
    });
    let meta_path = args.output.join("generator.json");
    write_atomically(&meta_path, |out| {
        serde_json::to_writer_pretty(&mut *out, &record)?;
        writeln!(out)?;
        Ok(())
    })?;
    let write_seconds = start.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let mut summary = record;
    summary["seconds"] = json!({ "generate": generate_seconds, "write": write_seconds });
    summary["output"] = json!(args.output.display().to_string());
    println!("{summary}");
    Ok(())
}

/// Runs `generate social`. The library writes every file under a temporary name and renames them
/// all only once the export is complete, so a failure leaves nothing behind.
pub fn social(args: SocialArgs) -> Result<()> {
    let params = contextivity_synth::social::SocialParams {
        people: args.people,
        communities: args.communities,
        mixing: args.mixing,
        overlap: args.overlap,
        topics_per_community: args.topics_per_community,
        days: args.days,
        seed: args.seed,
        ..Default::default()
    };
    let bar = crate::progress::stage("generating");
    let summary = contextivity_synth::social::write_export(&params, &args.output);
    bar.finish_and_clear();
    let summary = summary
        .with_context(|| format!("{}: cannot generate the export", args.output.display()))?;
    println!("{}", serde_json::to_string(&summary)?);
    Ok(())
}
