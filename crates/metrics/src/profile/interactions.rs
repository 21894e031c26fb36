//! Interactions of every cluster: events by kind inside and across the boundary, the pairs of
//! members who interact, how many of their replies are answered, and the cluster-to-cluster
//! interaction matrix.
//!
//! Events are counted with their multiplicity (a stored event that stands for three identical
//! input events counts three). Two passes:
//!
//! - one sequential pass over the events (flat slices of the interaction layer) adds every
//!   event to its kind's internal, outgoing or incoming tally and to the matrix — integer sums,
//!   so the order does not matter;
//! - one parallel pass over people counts the member pairs each person closes (every unordered
//!   pair from its smaller end, or from the only end that acted), looking the reverse
//!   direction up by binary search in the other person's row, which is sorted by target.
//!
//! A reply `u → v` at time `t` is *answered* when `v` replied to `u` at `t` or later; when
//! either reply has no time, any reply back answers it.

use contextivity_graph::interactions::NO_TIME;

use rayon::prelude::*;

use super::{carve, for_nodes, ratio, Context, InteractionMatrix, InteractionProfile, KindFlow};

/// People per block when the out-pairs are filled in parallel.
const FILL_BLOCK: usize = 4096;

/// Distinct interaction pairs by source and by target, with their event counts; self-loops and
/// out-of-range targets left out. The shared index of the pair, PageRank and broker passes.
pub(crate) struct PairIndex {
    out_offsets: Vec<usize>,
    out_targets: Vec<u32>,
    out_counts: Vec<u64>,
    in_offsets: Vec<usize>,
    in_sources: Vec<u32>,
    in_counts: Vec<u64>,
}

impl PairIndex {
    /// Builds both directions in `O(n + e)`: the out-pairs in parallel (count, prefix sum,
    /// fill per block of people), the in-pairs by a sequential counting sort.
    pub fn build(ctx: &Context<'_>) -> Self {
        let layer = &ctx.graph.interactions;
        let (targets, counts) = (layer.targets(), layer.counts());
        let n = ctx.n;
        // Calls `emit(v, events)` for every distinct valid target of `u`, in target order.
        let runs = |u: usize, emit: &mut dyn FnMut(u32, u64)| {
            let mut last = u32::MAX;
            let mut acc = 0u64;
            for i in ctx.event_range(u) {
                let v = targets[i];
                if v as usize == u || v as usize >= n {
                    continue;
                }
                let c = counts[i] as u64;
                if v == last {
                    acc += c;
                    continue;
                }
                if last != u32::MAX {
                    emit(last, acc);
                }
                last = v;
                acc = c;
            }
            if last != u32::MAX {
                emit(last, acc);
            }
        };
        let distinct: Vec<usize> = (0..n)
            .into_par_iter()
            .with_min_len(1024)
            .map(|u| {
                let mut k = 0;
                runs(u, &mut |_, _| k += 1);
                k
            })
            .collect();
        let mut out_offsets = Vec::with_capacity(n + 1);
        out_offsets.push(0usize);
        for &k in &distinct {
            out_offsets.push(out_offsets[out_offsets.len() - 1] + k);
        }
        let total = out_offsets[n];
        let mut out_targets = vec![0u32; total];
        let mut out_counts = vec![0u64; total];
        let blocks: Vec<(usize, usize)> = (0..n.div_ceil(FILL_BLOCK))
            .map(|b| (b * FILL_BLOCK, ((b + 1) * FILL_BLOCK).min(n)))
            .collect();
        let spans: Vec<(usize, usize)> = blocks
            .iter()
            .map(|&(lo, hi)| (out_offsets[lo], out_offsets[hi]))
            .collect();
        blocks
            .par_iter()
            .zip(carve(&mut out_targets, &spans))
            .zip(carve(&mut out_counts, &spans))
            .for_each(|((&(lo, hi), ts), cs)| {
                let mut k = 0;
                for u in lo..hi {
                    runs(u, &mut |v, c| {
                        ts[k] = v;
                        cs[k] = c;
                        k += 1;
                    });
                }
            });
        let mut in_offsets = vec![0usize; n + 1];
        for &v in &out_targets {
            in_offsets[v as usize + 1] += 1;
        }
        for v in 0..n {
            in_offsets[v + 1] += in_offsets[v];
        }
        let mut next = in_offsets.clone();
        let mut in_sources = vec![0u32; total];
        let mut in_counts = vec![0u64; total];
        for u in 0..n {
            for i in out_offsets[u]..out_offsets[u + 1] {
                let v = out_targets[i] as usize;
                in_sources[next[v]] = u as u32;
                in_counts[next[v]] = out_counts[i];
                next[v] += 1;
            }
        }
        PairIndex {
            out_offsets,
            out_targets,
            out_counts,
            in_offsets,
            in_sources,
            in_counts,
        }
    }

    /// People `u` interacted with (sorted) and the events to each.
    #[inline]
    pub fn out(&self, u: usize) -> (&[u32], &[u64]) {
        let r = self.out_offsets[u]..self.out_offsets[u + 1];
        (&self.out_targets[r.clone()], &self.out_counts[r])
    }

    /// People who interacted with `v` (sorted) and the events from each.
    #[inline]
    pub fn inn(&self, v: usize) -> (&[u32], &[u64]) {
        let r = self.in_offsets[v]..self.in_offsets[v + 1];
        (&self.in_sources[r.clone()], &self.in_counts[r])
    }

    /// Events from `u` to `v`.
    #[inline]
    pub fn events(&self, u: usize, v: u32) -> u64 {
        let (t, c) = self.out(u);
        t.binary_search(&v).map_or(0, |k| c[k])
    }
}

/// What the interaction passes return.
pub(crate) struct InteractionMeasures {
    /// The interactions of every cluster.
    pub clusters: Vec<InteractionProfile>,
    /// Whole-network tallies.
    pub network: NetworkFlows,
}

/// Whole-network interaction tallies.
pub(crate) struct NetworkFlows {
    /// All events.
    pub events: u64,
    /// Events with both ends in one cluster.
    pub internal: u64,
    /// Events between the two largest clusters (either direction).
    pub between_top2: u64,
    /// The cluster-to-cluster matrix.
    pub matrix: InteractionMatrix,
}

/// Pair tallies of one person.
#[derive(Clone, Copy, Default)]
struct NodePairs {
    interacting: u32,
    repeat: u32,
    replies: u64,
    answered: u64,
}

/// Runs both passes. `follow_pairs[c]` is the number of member pairs of `c` joined by a follow.
pub(crate) fn measure(
    ctx: &Context<'_>,
    pairs: &PairIndex,
    follow_pairs: &[u64],
    matrix_clusters: usize,
) -> InteractionMeasures {
    let layer = &ctx.graph.interactions;
    let (targets, kinds, counts, times) = (
        layer.targets(),
        layer.event_kinds(),
        layer.counts(),
        layer.times(),
    );
    let a = ctx.assignment;
    let k = ctx.k;
    let n = ctx.n;

    // Kinds present in the export, in kind-table order.
    let names = layer.kinds().names();
    let mut present = vec![false; names.len()];
    for u in 0..n {
        for i in ctx.event_range(u) {
            if let Some(p) = kinds.get(i).and_then(|kd| present.get_mut(kd.0 as usize)) {
                *p = true;
            }
        }
    }
    let mut dense = vec![usize::MAX; names.len()];
    let mut kept = Vec::new();
    for (id, &p) in present.iter().enumerate() {
        if p {
            dense[id] = kept.len();
            kept.push(id);
        }
    }
    let kk = kept.len();

    // Sequential pass over events: kind flows and the matrix.
    let m = matrix_clusters.min(k);
    let other = k > m;
    let side = m + other as usize;
    // Rows and columns: the `m` largest clusters, then "other".
    let slot = |c: u32| (ctx.size_rank[c as usize] as usize).min(m);
    let mut matrix = vec![vec![0u64; side]; side];
    let mut flows = vec![[0u64; 3]; k * kk];
    let (mut events, mut internal, mut between_top2) = (0u64, 0u64, 0u64);
    for u in 0..n {
        let cu = a[u];
        for i in ctx.event_range(u) {
            let Some(&cv) = targets.get(i).and_then(|&v| a.get(v as usize)) else {
                continue;
            };
            let c = counts.get(i).copied().unwrap_or(1) as u64;
            let Some(&kd) = kinds.get(i).and_then(|kd| dense.get(kd.0 as usize)) else {
                continue;
            };
            events += c;
            if cu == cv {
                internal += c;
                flows[cu as usize * kk + kd][0] += c;
            } else {
                flows[cu as usize * kk + kd][1] += c;
                flows[cv as usize * kk + kd][2] += c;
                if ctx.top2(cu).is_some() && ctx.top2(cv).is_some() {
                    between_top2 += c;
                }
            }
            if side > 0 {
                matrix[slot(cu)][slot(cv)] += c;
            }
        }
    }

    // Parallel pass over people: pairs and answered replies.
    let reply = layer.kinds().lookup("reply");
    let per_node = |u: usize| -> NodePairs {
        let mut t = NodePairs::default();
        let cu = a[u];
        let (ts, cs) = pairs.out(u);
        for (&v, &c) in ts.iter().zip(cs) {
            if a[v as usize] != cu {
                continue;
            }
            let back = pairs.events(v as usize, u as u32);
            if v as usize > u || back == 0 {
                t.interacting += 1;
                t.repeat += (c + back >= 2) as u32;
            }
        }
        let Some(reply) = reply else { return t };
        let range = ctx.event_range(u);
        let mut i = range.start;
        while i < range.end {
            let v = targets[i];
            let run_end = i + targets[i..range.end].partition_point(|&x| x == v);
            let internal = v as usize != u && a.get(v as usize) == Some(&cu);
            if internal && kinds[i..run_end].contains(&reply) {
                // The latest reply back (timed) and whether an untimed one exists.
                let back = ctx.event_range(v as usize);
                let row = &targets[back.clone()];
                let lo = back.start + row.partition_point(|&x| (x as usize) < u);
                let hi = back.start + row.partition_point(|&x| (x as usize) <= u);
                let (mut latest, mut untimed, mut any) = (i64::MIN, false, false);
                for j in lo..hi {
                    if kinds[j] == reply {
                        any = true;
                        if times[j] == NO_TIME {
                            untimed = true;
                        } else {
                            latest = latest.max(times[j]);
                        }
                    }
                }
                for j in i..run_end {
                    if kinds[j] != reply {
                        continue;
                    }
                    let c = counts[j] as u64;
                    t.replies += c;
                    let answered = any && (times[j] == NO_TIME || untimed || latest >= times[j]);
                    if answered {
                        t.answered += c;
                    }
                }
            }
            i = run_end;
        }
        t
    };
    let mut acc = vec![NodePairs::default(); k];
    for_nodes(n, per_node, |u, t| {
        let x = &mut acc[a[u] as usize];
        x.interacting += t.interacting;
        x.repeat += t.repeat;
        x.replies += t.replies;
        x.answered += t.answered;
    });

    let clusters = (0..k)
        .map(|c| {
            let by_kind: Vec<KindFlow> = kept
                .iter()
                .enumerate()
                .map(|(d, &id)| {
                    let f = flows[c * kk + d];
                    KindFlow {
                        kind: names[id].clone(),
                        internal: f[0],
                        outgoing: f[1],
                        incoming: f[2],
                    }
                })
                .collect();
            let x = acc[c];
            let fp = follow_pairs.get(c).copied().unwrap_or(0);
            InteractionProfile {
                internal: by_kind.iter().map(|f| f.internal).sum(),
                outgoing: by_kind.iter().map(|f| f.outgoing).sum(),
                incoming: by_kind.iter().map(|f| f.incoming).sum(),
                by_kind,
                interacting_pairs: x.interacting as u64,
                follow_pairs: fp,
                interaction_rate: ratio(x.interacting as f64, fp as f64),
                conversation_share: ratio(x.answered as f64, x.replies as f64),
                repeat_pairs: x.repeat as u64,
            }
        })
        .collect();

    let mut labels: Vec<String> = ctx.by_size[..m].iter().map(|c| c.to_string()).collect();
    if other {
        labels.push("other".to_string());
    }
    InteractionMeasures {
        clusters,
        network: NetworkFlows {
            events,
            internal,
            between_top2,
            matrix: InteractionMatrix {
                labels,
                counts: matrix,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::tests::random_graph;
    use std::collections::BTreeMap;

    /// Interacting and repeat pairs by a plain map over unordered pairs.
    #[test]
    fn pair_counts_match_a_map_of_unordered_pairs() {
        for seed in 0..4 {
            let (graph, partition) = random_graph(120, 300, 900, seed, seed % 2 == 0);
            let ctx = Context::new(&graph, &partition).unwrap();
            let index = PairIndex::build(&ctx);
            let m = measure(&ctx, &index, &vec![0; ctx.k], 3);
            let a = partition.assignment();
            let mut events: BTreeMap<(u32, u32), u64> = BTreeMap::new();
            let mut flows = vec![[0u64; 3]; ctx.k];
            for (e, &c) in graph.interactions.iter().zip(graph.interactions.counts()) {
                let (cs, ct) = (a[e.source as usize] as usize, a[e.target as usize] as usize);
                if cs == ct {
                    flows[cs][0] += c as u64;
                    if e.source != e.target {
                        let key = (e.source.min(e.target), e.source.max(e.target));
                        *events.entry(key).or_default() += c as u64;
                    }
                } else {
                    flows[cs][1] += c as u64;
                    flows[ct][2] += c as u64;
                }
            }
            let mut interacting = vec![0u64; ctx.k];
            let mut repeat = vec![0u64; ctx.k];
            for (&(u, _), &c) in &events {
                interacting[a[u as usize] as usize] += 1;
                repeat[a[u as usize] as usize] += (c >= 2) as u64;
            }
            for (c, p) in m.clusters.iter().enumerate() {
                assert_eq!(p.interacting_pairs, interacting[c]);
                assert_eq!(p.repeat_pairs, repeat[c]);
                assert_eq!([p.internal, p.outgoing, p.incoming], flows[c]);
            }
            let total: u64 = m.network.matrix.counts.iter().flatten().sum();
            assert_eq!(total, m.network.events);
        }
    }
}
