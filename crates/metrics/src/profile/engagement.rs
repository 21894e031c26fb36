//! Posts by the members of every cluster, the engagement they received, and how many members
//! were active.
//!
//! Engagement is the sum of clicks, likes, reposts and replies the posts received (missing
//! values count as 0). It is given per impression (how the audience that saw the posts
//! reacted), per member, and per follower, because raw totals favour clusters that hold a
//! celebrity: "2 % of 1,200" and "0.2 % of 120,000" compare directly only as rates. Followers
//! are the counts the export reports (a platform's own number, which includes followers outside
//! the export) where given, and the follow in-degree in the export otherwise.
//!
//! One sequential pass over posts (integer sums by the author's cluster) and one parallel pass
//! over people (reported follower counts are parsed from text).

use contextivity_graph::NodeId;

use super::{for_nodes, ratio, Context, Engagement};

/// Measures every cluster. `in_degree[u]` is `u`'s follow in-degree.
pub(crate) fn measure(ctx: &Context<'_>, in_degree: &[u64]) -> Vec<Engagement> {
    let a = ctx.assignment;
    let k = ctx.k;
    // [posts, impressions, clicks, likes, reposts, replies]
    let mut sums = vec![[0u64; 6]; k];
    let mut posted = vec![false; ctx.n];
    for post in ctx.graph.posts.as_slice() {
        let author = post.author.index();
        let Some(&c) = a.get(author) else { continue };
        posted[author] = true;
        let s = &mut sums[c as usize];
        let values = [
            Some(1),
            post.impressions,
            post.clicks,
            post.likes,
            post.reposts,
            post.replies,
        ];
        for (acc, v) in s.iter_mut().zip(values) {
            *acc = acc.saturating_add(v.unwrap_or(0));
        }
    }

    let people = &ctx.graph.people;
    let per_node = |u: usize| -> (u64, bool) {
        let followers = people
            .followers_count(NodeId(u as u32))
            .unwrap_or_else(|| in_degree.get(u).copied().unwrap_or(0));
        let active = posted[u] || !ctx.event_range(u).is_empty();
        (followers, active)
    };
    let mut followers = vec![0u64; k];
    let mut active = vec![0u64; k];
    for_nodes(ctx.n, per_node, |u, (f, act)| {
        let c = a[u] as usize;
        followers[c] = followers[c].saturating_add(f);
        active[c] += act as u64;
    });

    (0..k)
        .map(|c| {
            let [posts, impressions, clicks, likes, reposts, replies] = sums[c];
            let engagements = clicks
                .saturating_add(likes)
                .saturating_add(reposts)
                .saturating_add(replies) as f64;
            let imp = impressions as f64;
            let size = ctx.size(c) as f64;
            Engagement {
                posts,
                impressions,
                clicks,
                likes,
                reposts,
                replies,
                click_through_rate: ratio(clicks as f64, imp),
                likes_per_impression: ratio(likes as f64, imp),
                reposts_per_impression: ratio(reposts as f64, imp),
                replies_per_impression: ratio(replies as f64, imp),
                engagement_per_member: ratio(engagements, size),
                engagement_per_follower: ratio(engagements, followers[c] as f64),
                followers: followers[c],
                active_members: active[c],
                active_share: ratio(active[c] as f64, size),
            }
        })
        .collect()
}
