//! When every cluster was active: the first and last interaction started or post written by a
//! member, and a weekly histogram of those events on a calendar shared by all clusters.
//!
//! Weeks start on Monday 00:00 UTC, the ISO 8601 week; the first week is the one holding the
//! network's earliest activity, so every cluster's histogram has the same length and the same
//! dates and clusters can be drawn side by side. Events without a time count towards nothing
//! here. Histograms are left empty (while `first`, `last` and `weeks_start` stay) when they
//! would need more than [`MAX_WEEKS`] weeks or more than [`MAX_CELLS`] cells over all clusters,
//! which only a bogus timestamp or a partition into millions of clusters produces.
//!
//! Per-person first / last times are found in parallel; the histograms are integer counts
//! filled in one sequential pass over events and posts.

use contextivity_graph::interactions::NO_TIME;

use super::{for_nodes, Activity, Context};

/// Seconds in a week.
pub const WEEK: i64 = 7 * 86_400;
/// 1970-01-05 00:00 UTC, the first Monday of the Unix epoch.
pub const FIRST_MONDAY: i64 = 4 * 86_400;
/// Histograms longer than this many weeks (about a century) are left empty.
pub const MAX_WEEKS: usize = 5_300;
/// Histograms whose cells (clusters × weeks) exceed this are left empty.
pub const MAX_CELLS: usize = 1 << 25;

/// Activity of every cluster and of the network.
pub(crate) struct ActivityMeasures {
    /// Per cluster.
    pub clusters: Vec<Activity>,
    /// The whole network.
    pub network: NetworkActivity,
}

/// The network's first and last activity and the start of the histogram.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct NetworkActivity {
    /// Earliest activity.
    pub first: Option<i64>,
    /// Latest activity.
    pub last: Option<i64>,
    /// Monday 00:00 UTC on or before `first`.
    pub weeks_start: Option<i64>,
}

/// Monday 00:00 UTC on or before `t`, if representable.
pub(crate) fn monday_on_or_before(t: i64) -> Option<i64> {
    let t = t as i128;
    let (w, m) = (WEEK as i128, FIRST_MONDAY as i128);
    i64::try_from(m + (t - m).div_euclid(w) * w).ok()
}

fn widen(span: &mut Option<(i64, i64)>, t: i64) {
    *span = Some(match *span {
        Some((lo, hi)) => (lo.min(t), hi.max(t)),
        None => (t, t),
    });
}

/// Measures every cluster.
pub(crate) fn measure(ctx: &Context<'_>) -> ActivityMeasures {
    let a = ctx.assignment;
    let k = ctx.k;
    let layer = &ctx.graph.interactions;
    let (times, counts) = (layer.times(), layer.counts());
    let posts = ctx.graph.posts.as_slice();

    let mut spans: Vec<Option<(i64, i64)>> = vec![None; k];
    let per_node = |u: usize| -> Option<(i64, i64)> {
        let mut span = None;
        for i in ctx.event_range(u) {
            if times[i] != NO_TIME {
                widen(&mut span, times[i]);
            }
        }
        span
    };
    for_nodes(ctx.n, per_node, |u, span| {
        if let Some((lo, hi)) = span {
            let s = &mut spans[a[u] as usize];
            widen(s, lo);
            widen(s, hi);
        }
    });
    for post in posts {
        if let (Some(&c), Some(t)) = (a.get(post.author.index()), post.time) {
            widen(&mut spans[c as usize], t);
        }
    }
    let mut network = None;
    for &(lo, hi) in spans.iter().flatten() {
        widen(&mut network, lo);
        widen(&mut network, hi);
    }
    let weeks_start = network.and_then(|(lo, _)| monday_on_or_before(lo));
    let weeks = match (network, weeks_start) {
        (Some((_, hi)), Some(start)) => {
            let w = (hi as i128 - start as i128) / WEEK as i128 + 1;
            usize::try_from(w).unwrap_or(usize::MAX)
        }
        _ => 0,
    };
    let keep = weeks <= MAX_WEEKS && weeks.saturating_mul(k) <= MAX_CELLS;
    let weeks = if keep { weeks } else { 0 };
    let mut hist = vec![0u64; weeks * k];
    if let (Some(start), true) = (weeks_start, weeks > 0) {
        let week_of = |t: i64| ((t as i128 - start as i128) / WEEK as i128) as usize;
        for (u, &c) in a.iter().enumerate() {
            let row = c as usize * weeks;
            for i in ctx.event_range(u) {
                if times[i] != NO_TIME {
                    hist[row + week_of(times[i])] += counts[i] as u64;
                }
            }
        }
        for post in posts {
            if let (Some(&c), Some(t)) = (a.get(post.author.index()), post.time) {
                hist[c as usize * weeks + week_of(t)] += 1;
            }
        }
    }
    let clusters = (0..k)
        .map(|c| Activity {
            first: spans[c].map(|s| s.0),
            last: spans[c].map(|s| s.1),
            per_week: hist[c * weeks..(c + 1) * weeks].to_vec(),
        })
        .collect();
    ActivityMeasures {
        clusters,
        network: NetworkActivity {
            first: network.map(|s| s.0),
            last: network.map(|s| s.1),
            weeks_start,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        // 2024-03-01 was a Friday; the Monday before is 2024-02-26 = 1_708_905_600.
        assert_eq!(monday_on_or_before(1_709_283_600), Some(1_708_905_600));
        // A Monday at midnight is its own week start.
        assert_eq!(monday_on_or_before(1_708_905_600), Some(1_708_905_600));
        // Before the epoch: 1969-12-29 was a Monday.
        assert_eq!(monday_on_or_before(-1), Some(-3 * 86_400));
        assert_eq!(monday_on_or_before(i64::MIN + 1), None);
    }
}
