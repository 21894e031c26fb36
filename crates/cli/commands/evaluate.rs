//! `contextivity evaluate MEMBERSHIPS --truth TRUTH`: how close a clustering is to a ground truth.

use std::path::Path;

use anyhow::{bail, Result};
use contextivity_formats::truth::{self, ego, LabeledCover, TruthFormat};
use serde_json::{json, Value};

use crate::args::{EvaluateArgs, TruthFormatArg};

/// Runs `evaluate` and prints one JSON object.
///
/// **A membership file as truth** (`--truth-format pairs|communities`, or detected): the figures
/// are pooled over every community, `scoring` is `"pooled"`:
///
/// | key | meaning |
/// |---|---|
/// | `nmi`, `ari` | NMI and ARI on the people present in both files, only when both are partitions there (each person in exactly one group); `null` otherwise |
/// | `onmi`, `f1` | overlapping NMI and average F1 of the covers, on every person of either file |
/// | `detected`, `truth` | number of detected and of truth communities |
/// | `people_compared` | people named by both files |
///
/// **A SNAP ego directory as truth** (`--truth-format ego`, detected for a directory holding
/// `*.circles` files): scored per ego as McAuley & Leskovec (NIPS 2012) score social circles,
/// `scoring` is `"per-ego"`. Each ego's people are its alters (every id of its `.feat`,
/// `.edges` and `.circles`, the ego left out); the detected clusters are restricted to them
/// (those left empty dropped) and compared with the ego's circles by average F1:
///
/// | key | meaning |
/// |---|---|
/// | `f1` | the headline: the mean over egos of each ego's average F1 |
/// | `egos` | per ego, by id: `ego`, `f1`, `circles` (its non-empty circles), `people` (its alters), `clusters` (detected clusters that meet its people) |
/// | `egos_skipped` | egos left out of the mean, with the `reason`: no circles file, or a circles file that names no member (they have nothing to be scored against) |
/// | `f1_pooled`, `onmi`, `nmi`, `ari` | the pooled figures, every circle (named `EGO/CIRCLE`) against every detected cluster, as for a file |
/// | `detected`, `truth`, `people_compared` | as for a file; `truth` counts every circle of the scored egos |
pub fn run(args: EvaluateArgs) -> Result<()> {
    let detected = truth::read(&args.memberships, None)?;
    let summary = match truth_format(&args.truth, args.truth_format)? {
        Some(format) => {
            let reference = truth::read(&args.truth, Some(format))?;
            let mut summary = pooled(&detected, &reference)?;
            summary["scoring"] = json!("pooled");
            summary
        }
        None => per_ego(&detected, &ego::read(&args.truth)?)?,
    };
    println!("{summary}");
    Ok(())
}

/// The layout of the truth: a file layout, or `None` for per-ego circles.
fn truth_format(path: &Path, forced: Option<TruthFormatArg>) -> Result<Option<TruthFormat>> {
    let is_dir = path.is_dir();
    match forced {
        Some(TruthFormatArg::Ego) => Ok(None),
        Some(_) if is_dir => bail!(
            "{}: is a directory; `--truth-format pairs` and `communities` read a file (a SNAP \
             ego directory is read with `--truth-format ego`)",
            path.display()
        ),
        Some(TruthFormatArg::Pairs) => Ok(Some(TruthFormat::Pairs)),
        Some(TruthFormatArg::Communities) => Ok(Some(TruthFormat::Communities)),
        None if is_dir && ego::looks_like(path) => Ok(None),
        None if is_dir => bail!(
            "{}: is a directory without SNAP ego circles (`EGO.circles`); the truth is a \
             membership file or a SNAP ego directory",
            path.display()
        ),
        None => Ok(Some(truth::detect(path)?)),
    }
}

/// Every community of `reference` against every detected one (see [`run`]).
fn pooled(detected: &LabeledCover, reference: &LabeledCover) -> Result<Value> {
    let (shared_detected, shared_truth) = truth::align_shared(detected, reference);
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
    let (all_detected, all_truth) = truth::align(detected, reference);
    let onmi = contextivity_metrics::onmi(&all_detected, &all_truth)?;
    let f1 = contextivity_metrics::average_f1(&all_detected, &all_truth);
    Ok(json!({
        "nmi": nmi,
        "ari": ari,
        "onmi": onmi,
        "f1": f1,
        "detected": detected.communities.len(),
        "truth": reference.communities.len(),
        "people_compared": shared_detected.node_count(),
    }))
}

/// Each ego's circles against the detected clusters restricted to its people, the mean over
/// egos as `f1`, and the pooled figures beside them (see [`run`]).
fn per_ego(detected: &LabeledCover, egos: &ego::EgoTruth) -> Result<Value> {
    let aligned = egos.align(detected);
    let scores: Vec<_> = aligned
        .egos
        .iter()
        .map(|ego| {
            let within = &ego.people;
            let s =
                contextivity_metrics::average_f1_within(&aligned.detected, &ego.circles, within);
            (ego, s)
        })
        .collect();
    // `ego::read` never returns a truth without an ego; `max(1)` only guards the division.
    let mean = scores.iter().map(|(_, s)| s.f1).sum::<f64>() / scores.len().max(1) as f64;
    let per_ego: Vec<Value> = scores
        .iter()
        .map(|(ego, s)| {
            json!({
                "ego": ego.ego,
                "f1": s.f1,
                "circles": s.truth,
                "people": ego.people.len(),
                "clusters": s.detected,
            })
        })
        .collect();
    let skipped: Vec<Value> = egos
        .skipped
        .iter()
        .map(|s| json!({ "ego": s.ego, "reason": s.reason.to_string() }))
        .collect();
    let pooled = pooled(detected, &egos.pooled())?;
    Ok(json!({
        "scoring": "per-ego",
        "f1": mean,
        "f1_pooled": pooled["f1"],
        "onmi": pooled["onmi"],
        "nmi": pooled["nmi"],
        "ari": pooled["ari"],
        "detected": pooled["detected"],
        "truth": pooled["truth"],
        "people_compared": pooled["people_compared"],
        "egos": per_ego,
        "egos_skipped": skipped,
    }))
}
