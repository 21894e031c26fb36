//! Follow-tie cohesion of every cluster, and the follow-derived numbers of the whole network.
//!
//! One parallel pass over people reads each person's follow out- and in-rows (flat CSR slices)
//! and counts, per person: ties to their own cluster and across its boundary, followers inside
//! and outside, the follow pairs they close (each unordered pair is counted from its smaller
//! end) and whether those pairs are mutual, and their strength on the undirected follow graph.
//! The per-person tallies are folded into their clusters in node order.
//!
//! # The undirected follow graph
//!
//! Conductance and modularity are measured on the undirected follow graph the clustering view
//! builds with follows only ([`ViewPolicy::follows_only`]): the pair `{u, v}` weighs
//! `f(u→v) + f(v→u)` on a directed layer (a plain follow weighs 1) and `f` on an undirected
//! one; self-loops are left out. Its node strengths and internal weights follow directly from
//! the two CSR rows of each person, so the view is never materialised:
//!
//! ```text
//! s_u  = Σ_{v ≠ u} f(u→v) + Σ_{v ≠ u} f(v→u)          (directed)      s_u = Σ_{v ≠ u} f(u, v)  (undirected)
//! Q    = Σ_c [ I_c / 2W − (S_c / 2W)² ]                 I_c = Σ_{u ∈ c} weight from u to c \ {u},  S_c = Σ_{u ∈ c} s_u
//! φ(c) = (S_c − I_c) / min(S_c, 2W − S_c)
//! ```
//!
//! which is Newman & Girvan, "Finding and evaluating community structure in networks",
//! Phys. Rev. E 69 (2004), with `γ = 1`, and the conductance of Kannan, Vempala & Vetta,
//! J. ACM 51 (2004). A test checks both against [`crate::modularity`] and
//! [`crate::conductance()`] on the materialised view.
//!
//! [`ViewPolicy::follows_only`]: contextivity_graph::ViewPolicy::follows_only

use super::{for_nodes, ratio, Cohesion, Context};

/// What the follow pass returns: per-cluster cohesion plus what other passes reuse.
#[derive(Clone, Debug)]
pub(crate) struct FollowMeasures {
    /// Cohesion of every cluster.
    pub clusters: Vec<Cohesion>,
    /// Distinct unordered member pairs joined by a follow (either direction), per cluster.
    pub follow_pairs: Vec<u64>,
    /// The largest number of in-cluster followers of one member, per cluster.
    pub max_followers_inside: Vec<u64>,
    /// Follow in-degree (followers) of every person, self-loops left out.
    pub in_degree: Vec<u64>,
    /// Followers inside their own cluster, per person.
    pub followers_inside: Vec<u64>,
    /// Follow ties, self-loops left out (arcs of a directed layer, ties of an undirected one).
    pub ties: u64,
    /// Of those, ties with both ends in one cluster.
    pub internal_ties: u64,
    /// Ties between the two largest clusters (either direction).
    pub between_top2: u64,
    /// Follow modularity (γ = 1) on the undirected follow graph.
    pub modularity: f64,
    /// Mutual pairs ÷ connected pairs over the whole graph.
    pub reciprocity: Option<f64>,
}

/// Tallies of one person.
#[derive(Clone, Copy, Default)]
struct NodeFollows {
    internal: u32,
    outgoing: u32,
    incoming: u32,
    followers: u32,
    followers_inside: u32,
    pairs: u32,
    mutual: u32,
    internal_pairs: u32,
    internal_mutual: u32,
    between_top2: u32,
    strength: f64,
    internal_strength: f64,
}

/// Runs the follow pass.
pub(crate) fn measure(ctx: &Context<'_>) -> FollowMeasures {
    let layer = &ctx.graph.follows;
    let undirected = layer.is_undirected();
    let (out, inn) = (layer.out(), layer.inn());
    let a = ctx.assignment;
    let span = out.node_count().min(inn.node_count()).min(ctx.n);

    let per_node = |u: usize| -> NodeFollows {
        let mut t = NodeFollows::default();
        if u >= span {
            return t;
        }
        let cu = a[u];
        let (orow, ow) = (out.neighbors(u), out.row_weights(u));
        let cluster = |v: u32| a.get(v as usize).copied();
        if undirected {
            for (&v, &w) in orow.iter().zip(ow) {
                if v as usize == u {
                    continue;
                }
                let Some(cv) = cluster(v) else { continue };
                let w = w as f64;
                t.followers += 1;
                t.strength += w;
                if cv == cu {
                    t.followers_inside += 1;
                    t.internal_strength += w;
                    if v as usize > u {
                        t.internal += 1;
                        t.internal_pairs += 1;
                        t.internal_mutual += 1;
                    }
                } else {
                    t.outgoing += 1;
                    t.incoming += 1;
                    if ctx.top2(cu) == Some(0) && ctx.top2(cv) == Some(1) {
                        t.between_top2 += 1;
                    }
                }
                if v as usize > u {
                    t.pairs += 1;
                    t.mutual += 1;
                }
            }
            return t;
        }
        for (&v, &w) in orow.iter().zip(ow) {
            if v as usize == u {
                continue;
            }
            let Some(cv) = cluster(v) else { continue };
            t.strength += w as f64;
            if cv == cu {
                t.internal += 1;
                t.internal_strength += w as f64;
            } else {
                t.outgoing += 1;
                if ctx.top2(cu).is_some() && ctx.top2(cv).is_some() {
                    t.between_top2 += 1;
                }
            }
        }
        let (irow, iw) = (inn.neighbors(u), inn.row_weights(u));
        for (&v, &w) in irow.iter().zip(iw) {
            if v as usize == u {
                continue;
            }
            let Some(cv) = cluster(v) else { continue };
            t.strength += w as f64;
            t.followers += 1;
            if cv == cu {
                t.followers_inside += 1;
                t.internal_strength += w as f64;
            } else {
                t.incoming += 1;
            }
        }
        // Pairs {u, v} with v > u: merge the sorted out- and in-rows.
        let (mut i, mut j) = (
            orow.partition_point(|&v| v as usize <= u),
            irow.partition_point(|&v| v as usize <= u),
        );
        while i < orow.len() || j < irow.len() {
            let (v, both) = match (orow.get(i), irow.get(j)) {
                (Some(&x), Some(&y)) if x == y => {
                    i += 1;
                    j += 1;
                    (x, true)
                }
                (Some(&x), Some(&y)) if x < y => {
                    i += 1;
                    (x, false)
                }
                (Some(&x), None) => {
                    i += 1;
                    (x, false)
                }
                (_, Some(&y)) => {
                    j += 1;
                    (y, false)
                }
                (None, None) => break,
            };
            let Some(cv) = cluster(v) else { continue };
            t.pairs += 1;
            t.mutual += both as u32;
            if cv == cu {
                t.internal_pairs += 1;
                t.internal_mutual += both as u32;
            }
        }
        t
    };

    let k = ctx.k;
    #[derive(Clone, Copy, Default)]
    struct Acc {
        internal: u64,
        outgoing: u64,
        incoming: u64,
        followers: u64,
        followers_inside: u64,
        pairs: u64,
        mutual: u64,
        max_inside: u64,
        strength: f64,
        internal_strength: f64,
    }
    let mut acc = vec![Acc::default(); k];
    let mut in_degree = vec![0u64; ctx.n];
    let mut followers_inside = vec![0u64; ctx.n];
    let (mut pairs, mut mutual, mut between_top2) = (0u64, 0u64, 0u64);
    let mut two_w = 0.0f64;
    for_nodes(ctx.n, per_node, |u, t| {
        let c = &mut acc[a[u] as usize];
        c.internal += t.internal as u64;
        c.outgoing += t.outgoing as u64;
        c.incoming += t.incoming as u64;
        c.followers += t.followers as u64;
        c.followers_inside += t.followers_inside as u64;
        c.pairs += t.internal_pairs as u64;
        c.mutual += t.internal_mutual as u64;
        c.max_inside = c.max_inside.max(t.followers_inside as u64);
        c.strength += t.strength;
        c.internal_strength += t.internal_strength;
        in_degree[u] = t.followers as u64;
        followers_inside[u] = t.followers_inside as u64;
        pairs += t.pairs as u64;
        mutual += t.mutual as u64;
        between_top2 += t.between_top2 as u64;
        two_w += t.strength;
    });

    let mut modularity = 0.0;
    let mut internal_ties = 0u64;
    let mut outgoing_ties = 0u64;
    let clusters: Vec<Cohesion> = acc
        .iter()
        .enumerate()
        .map(|(c, x)| {
            internal_ties += x.internal;
            outgoing_ties += x.outgoing;
            if two_w > 0.0 {
                let s = x.strength / two_w;
                modularity += x.internal_strength / two_w - s * s;
            }
            let size = ctx.size(c) as f64;
            let possible = if undirected {
                size * (size - 1.0) / 2.0
            } else {
                size * (size - 1.0)
            };
            let cut = x.strength - x.internal_strength;
            Cohesion {
                internal_follows: x.internal,
                outgoing_follows: x.outgoing,
                incoming_follows: x.incoming,
                density: ratio(x.internal as f64, possible),
                conductance: if cut > 0.0 {
                    ratio(cut, x.strength.min(two_w - x.strength))
                } else if x.strength > 0.0 {
                    Some(0.0)
                } else {
                    None
                },
                reciprocity: if undirected {
                    None
                } else {
                    ratio(x.mutual as f64, x.pairs as f64)
                },
                followers: x.followers,
                followers_inside: x.followers_inside,
            }
        })
        .collect();
    // A boundary tie of an undirected layer is counted as outgoing by both of its clusters.
    let ties = if undirected {
        internal_ties + outgoing_ties / 2
    } else {
        internal_ties + outgoing_ties
    };
    FollowMeasures {
        follow_pairs: acc.iter().map(|x| x.pairs).collect(),
        max_followers_inside: acc.iter().map(|x| x.max_inside).collect(),
        clusters,
        in_degree,
        followers_inside,
        ties,
        internal_ties,
        between_top2,
        modularity,
        reciprocity: ratio(mutual as f64, pairs as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::tests::{random_graph, tiny, tiny_partition};
    use contextivity_graph::{clustering_view, Partition, ViewPolicy};

    #[test]
    fn follow_pass_matches_the_materialised_view() {
        for (graph, partition) in [
            (tiny(false), tiny_partition()),
            (tiny(true), tiny_partition()),
            random_graph(300, 2400, 400, 7, false),
            random_graph(300, 2400, 400, 8, true),
        ] {
            let ctx = Context::new(&graph, &partition).unwrap();
            let m = measure(&ctx);
            let view = clustering_view(&graph, &ViewPolicy::follows_only()).unwrap();
            let q = crate::modularity(&view, &partition, 1.0);
            assert!((m.modularity - q).abs() < 1e-12, "{} vs {q}", m.modularity);
            let phi = crate::conductance(&view, &partition);
            for (c, cohesion) in m.clusters.iter().enumerate() {
                let got = cohesion.conductance.unwrap_or(0.0);
                assert!(
                    (got - phi[c]).abs() < 1e-12,
                    "cluster {c}: {got} vs {}",
                    phi[c]
                );
            }
            assert_eq!(m.ties, graph.follows.edge_count() as u64);
        }
        let (graph, _) = random_graph(50, 200, 0, 3, false);
        let one = Partition::from_labels(&[0; 50]);
        let ctx = Context::new(&graph, &one).unwrap();
        assert!(measure(&ctx).modularity.abs() < 1e-12);
    }
}
