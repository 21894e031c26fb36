//! `contextivity evaluate MEMBERSHIPS --truth TRUTH`: how close a clustering is to a ground truth.

use anyhow::Result;
use contextivity_formats::truth::{self, TruthFormat};
use serde_json::json;

use crate::args::{EvaluateArgs, TruthFormatArg};

/// Runs `evaluate`.
///
/// NMI and ARI compare partitions, so they are computed on the people present in both files and
/// only when both are partitions there (each person in exactly one group); overlapping NMI and
/// average F1 work on covers and use every person in either file.
pub fn run(args: EvaluateArgs) -> Result<()> {
    let detected = truth::read(&args.memberships, None)?;
    let format = args.truth_format.map(|f| match f {
        TruthFormatArg::Pairs => TruthFormat::Pairs,
        TruthFormatArg::Communities => TruthFormat::Communities,
    });
    let reference = truth::read(&args.truth, format)?;

    let (shared_detected, shared_truth) = truth::align_shared(&detected, &reference);
    let (nmi, ari) = match (
        truth::to_partition(&shared_detected),
        truth::to_partition(&shared_truth),
    ) {
        (Some(a), Some(b)) => (
            Some(contextivity_metrics::nmi(&a, &b)?),
            Some(contextivity_metrics::ari(&a, &b)?),
        ),
        _ => (None, None),
    };
    let (all_detected, all_truth) = truth::align(&detected, &reference);
    let onmi = contextivity_metrics::onmi(&all_detected, &all_truth)?;
    let f1 = contextivity_metrics::average_f1(&all_detected, &all_truth);
    println!(
        "{}",
        json!({
            "nmi": nmi,
            "ari": ari,
            "onmi": onmi,
            "f1": f1,
            "detected": detected.communities.len(),
            "truth": reference.communities.len(),
            "people_compared": shared_detected.node_count(),
        })
    );
    Ok(())
}
