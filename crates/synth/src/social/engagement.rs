//! Posts and the engagement they draw: the rows of `posts.csv` and `interactions.csv`.
//!
//! Each person writes `Poisson(avg_posts · a)` original posts, with an activity `a` drawn from a
//! power law `P(a) ∝ a^-2.5` on `[1, 100]` scaled to mean 1 (a few people post most; Muchnik et
//! al., *Origins of power-law degree distribution in the heterogeneity of human activity in
//! social networks*, Sci. Rep. 3, 1783, 2013); celebrities post three times as much. A post is
//! published at a uniform time in the window and is about one of its author's contexts: its text
//! mixes that context's topic words with the shared vocabulary, its hashtags are drawn from the
//! context's hashtags (both by Zipf's law), and with probability `mention_rate` it opens with an
//! `@handle` of one of the author's ties (a mutual tie four times in five).
//!
//! **Engagement depends on the tie, not on the follower count.** Every follower of the author is
//! in one of four [`TieClass`]es — mutual or one-way, sharing a context or not. For each post and
//! class with `F` followers, `Binomial(F, reach)` of them see it (its impressions), and each
//! engagement kind (like, click, repost, reply) is drawn as `Binomial(seen, engage · share)`;
//! the engagers are distinct followers of the class drawn uniformly. So a follower's expected
//! engagements per post are `reach · engage` of their tie (Granovetter's tie strength, AJS 78,
//! 1973; Bakshy et al., *The role of social networks in information diffusion*, WWW 2012, for
//! strong ties' higher per-tie influence). Celebrities, followed one-way from every context,
//! collect impressions but few engagements: the follower-count illusion.
//!
//! An engagement happens an exponential delay after the post (mean `delay_hours`), within the
//! window; a reply is also a reply post (`reply_to` set); a repost adds
//! `Binomial(reposter's followers, one-way reach)` impressions to the post.
//!
//! Determinism: authors are processed in fixed chunks with `Rng::derive(seed, stream, chunk)`.
//! Complexity: `O(Σ followers + posts · (words + classes) + events · log)` time; memory per
//! chunk only (the rows of the chunk in flight).

use contextivity_graph::Rng;
use serde::{Deserialize, Serialize};

use crate::powerlaw::DiscretePowerLaw;
use crate::social::dist::{binomial, exponential, poisson, Zipf};
use crate::social::follows::Follows;
use crate::social::params::{SocialParams, TieEngagement};
use crate::social::population::{Population, PEOPLE_CHUNK};
use crate::social::words::{push_handle, Vocabulary, GENERAL_WORDS, WORDS_PER_TOPIC};
use crate::social::writer::{push_csv, push_time, push_u64};

const STREAM_POSTS: u64 = 300;

/// Share of a post's words drawn from its context's topic words.
const TOPIC_WORD_SHARE: f64 = 0.35;
/// How much more celebrities post than others.
const CELEBRITY_ACTIVITY: f64 = 3.0;
/// Share of mentions that go to a mutual tie when the author has one.
const MUTUAL_MENTION_SHARE: f64 = 0.8;

/// The relationship of a follower to the author of a post.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TieClass {
    /// Each follows the other, and they share a context.
    MutualSameContext = 0,
    /// The follower follows the author only; they share a context.
    OneWaySameContext = 1,
    /// Each follows the other; no shared context.
    MutualCrossContext = 2,
    /// The follower follows the author only; no shared context (typical of celebrities).
    OneWayCrossContext = 3,
}

impl TieClass {
    /// The four classes, in order.
    pub const ALL: [TieClass; 4] = [
        TieClass::MutualSameContext,
        TieClass::OneWaySameContext,
        TieClass::MutualCrossContext,
        TieClass::OneWayCrossContext,
    ];

    /// The class of a tie.
    pub fn of(mutual: bool, same_context: bool) -> TieClass {
        match (mutual, same_context) {
            (true, true) => TieClass::MutualSameContext,
            (false, true) => TieClass::OneWaySameContext,
            (true, false) => TieClass::MutualCrossContext,
            (false, false) => TieClass::OneWayCrossContext,
        }
    }
}

/// Engagement kinds drawn per impression, in the order of [`crate::social::EngagementParams::shares`].
const KINDS: [&str; 4] = ["like", "click", "repost", "reply"];
const LIKE: usize = 0;
const CLICK: usize = 1;
const REPOST: usize = 2;
const REPLY: usize = 3;

/// Counts of the posts and engagement phase.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EngagementStats {
    /// Original posts.
    pub posts: u64,
    /// Reply posts.
    pub reply_posts: u64,
    /// Interaction rows by kind: like, click, repost, reply, mention.
    pub likes: u64,
    /// Click interactions.
    pub clicks: u64,
    /// Repost interactions.
    pub reposts: u64,
    /// Reply interactions.
    pub replies: u64,
    /// Mention interactions.
    pub mentions: u64,
    /// Impressions over all original posts.
    pub impressions: u64,
    /// Per [`TieClass`]: Σ over original posts of the author's followers in that class.
    pub follower_posts: [u64; 4],
    /// Per [`TieClass`]: engagements (likes, clicks, reposts, replies) by followers in that class.
    pub engagements: [u64; 4],
    /// Impressions of celebrities' posts.
    pub celebrity_impressions: u64,
    /// Engagements on celebrities' posts.
    pub celebrity_engagements: u64,
}

impl EngagementStats {
    /// Adds the counts of `o` (chunks are summed in order).
    pub(crate) fn merge(&mut self, o: &EngagementStats) {
        self.posts += o.posts;
        self.reply_posts += o.reply_posts;
        self.likes += o.likes;
        self.clicks += o.clicks;
        self.reposts += o.reposts;
        self.replies += o.replies;
        self.mentions += o.mentions;
        self.impressions += o.impressions;
        for i in 0..4 {
            self.follower_posts[i] += o.follower_posts[i];
            self.engagements[i] += o.engagements[i];
        }
        self.celebrity_impressions += o.celebrity_impressions;
        self.celebrity_engagements += o.celebrity_engagements;
    }

    /// Interaction rows.
    pub fn interactions(&self) -> u64 {
        self.likes + self.clicks + self.reposts + self.replies + self.mentions
    }
}

/// The rows of one chunk of authors.
pub(crate) struct ChunkRows {
    pub posts: Vec<u8>,
    pub interactions: Vec<u8>,
    pub stats: EngagementStats,
}

/// Everything the posts phase reads.
pub(crate) struct PostModel<'a> {
    pub params: &'a SocialParams,
    pub pop: &'a Population,
    pub follows: &'a Follows,
    pub vocab: &'a Vocabulary,
    pub window: i64,
    general: Zipf,
    topic_words: Zipf,
    hashtags: Zipf,
    activity: DiscretePowerLaw,
}

/// Scratch space reused across the authors of a chunk.
#[derive(Default)]
struct Scratch {
    classes: [Vec<u32>; 4],
    picked: Vec<u32>,
    text: String,
}

impl<'a> PostModel<'a> {
    /// The model over a generated population and follow graph.
    pub(crate) fn new(
        params: &'a SocialParams,
        pop: &'a Population,
        follows: &'a Follows,
        vocab: &'a Vocabulary,
        window: i64,
    ) -> Self {
        PostModel {
            params,
            pop,
            follows,
            vocab,
            window,
            general: Zipf::new(GENERAL_WORDS.len(), 1.0),
            topic_words: Zipf::new(vocab.topics() * WORDS_PER_TOPIC, 1.0),
            hashtags: Zipf::new(vocab.topics(), 1.0),
            activity: DiscretePowerLaw::new(1, 100, 2.5),
        }
    }

    /// Appends `count` words about `context` to `out`.
    fn push_words(&self, out: &mut String, context: u32, count: usize, rng: &mut Rng) {
        for i in 0..count {
            if i > 0 {
                out.push(' ');
            }
            if rng.next_f64() < TOPIC_WORD_SHARE {
                out.push_str(self.vocab.word(context, self.topic_words.sample(rng)));
            } else {
                out.push_str(GENERAL_WORDS[self.general.sample(rng)]);
            }
        }
    }

    /// The bio of `person`: topic words and a hashtag from each of their contexts.
    pub(crate) fn bio(&self, person: u32, rng: &mut Rng, out: &mut String) {
        out.clear();
        for (i, &c) in self.pop.contexts.get(person as usize).iter().enumerate() {
            if i > 0 {
                out.push_str(" | ");
            }
            for _ in 0..2 {
                out.push_str(self.vocab.word(c, self.topic_words.sample(rng)));
                out.push(' ');
            }
            out.push('#');
            out.push_str(self.vocab.hashtag(c, self.hashtags.sample(rng)));
        }
    }

    /// An event time after `t`, inside the window.
    fn after(&self, t: i64, rng: &mut Rng) -> i64 {
        let end = self.params.start + self.window;
        let delay = exponential(rng, self.params.engagement.delay_hours * 3600.0) as i64 + 1;
        if t + delay < end {
            t + delay
        } else {
            t + rng.below((end - t).max(1) as u64) as i64
        }
    }

    /// Rows of the authors of chunk `chunk`.
    pub(crate) fn chunk(&self, chunk: usize) -> ChunkRows {
        let n = self.pop.len();
        let mut rng = Rng::derive(self.params.seed, STREAM_POSTS, chunk as u64);
        let mut rows = ChunkRows {
            posts: Vec::with_capacity(1 << 16),
            interactions: Vec::with_capacity(1 << 16),
            stats: EngagementStats::default(),
        };
        let mut s = Scratch::default();
        for a in chunk * PEOPLE_CHUNK..((chunk + 1) * PEOPLE_CHUNK).min(n) {
            self.author(a as u32, &mut rng, &mut rows, &mut s);
        }
        rows
    }

    fn author(&self, a: u32, rng: &mut Rng, rows: &mut ChunkRows, s: &mut Scratch) {
        let e = &self.params.engagement;
        let ties: [TieEngagement; 4] = e.ties();
        let shares = e.shares();
        for c in &mut s.classes {
            c.clear();
        }
        // Followers of `a` who `a` follows back: a merge of a's two sorted rows.
        let classes = &mut s.classes;
        self.follows
            .inn
            .each_with_return(&self.follows.out, a as usize, |f, mutual| {
                let class = TieClass::of(mutual, self.pop.share_context(a, f));
                classes[class as usize].push(f);
            });
        let celebrity = self.pop.celebrity[a as usize];
        let mut lambda =
            self.params.avg_posts * self.activity.sample(rng) as f64 / self.activity.mean();
        if celebrity {
            lambda *= CELEBRITY_ACTIVITY;
        }
        let count = poisson(rng, lambda);
        let mine = self.pop.contexts.get(a as usize);
        for j in 0..count {
            let t = self.params.start + rng.below(self.window as u64) as i64;
            let context = mine[rng.below(mine.len() as u64) as usize];
            let post_start = rows.posts.len();
            // id, author, time
            rows.posts.push(b'p');
            push_u64(&mut rows.posts, u64::from(a));
            rows.posts.push(b'_');
            push_u64(&mut rows.posts, j);
            rows.posts.push(b',');
            push_u64(&mut rows.posts, u64::from(a));
            rows.posts.push(b',');
            push_time(&mut rows.posts, t);
            rows.posts.push(b',');
            // text, with perhaps a mention
            s.text.clear();
            if rng.next_f64() < e.mention_rate {
                if let Some(m) = self.mention_target(a, rng, s) {
                    s.text.push('@');
                    push_handle(&mut s.text, self.params.seed, m);
                    s.text.push(' ');
                    interaction(&mut rows.interactions, a, m, "mention", t);
                    rows.stats.mentions += 1;
                }
            }
            let words = 6 + rng.below(14) as usize;
            self.push_words(&mut s.text, context, words, rng);
            push_csv(&mut rows.posts, &s.text);
            rows.posts.push(b',');
            // hashtags: 0–3 distinct, by Zipf over the context's hashtags
            let tags = [0usize, 1, 1, 2, 2, 3][rng.below(6) as usize].min(self.vocab.topics());
            s.picked.clear();
            while s.picked.len() < tags {
                let r = self.hashtags.sample(rng) as u32;
                if !s.picked.contains(&r) {
                    s.picked.push(r);
                }
            }
            for (i, &r) in s.picked.iter().enumerate() {
                if i > 0 {
                    rows.posts.push(b' ');
                }
                rows.posts.push(b'#');
                rows.posts
                    .extend_from_slice(self.vocab.hashtag(context, r as usize).as_bytes());
            }
            rows.posts.push(b','); // reply_to empty: the next cell starts with a comma
                                   // engagement
            let mut counts = [0u64; 4];
            let mut impressions = 0u64;
            let mut engaged = 0u64;
            let mut reply_rows: Vec<(u32, i64)> = Vec::new();
            for (class, tie) in ties.iter().enumerate() {
                let followers = s.classes[class].len() as u64;
                rows.stats.follower_posts[class] += followers;
                let seen = binomial(rng, followers, tie.reach);
                impressions += seen;
                for (kind, &share) in shares.iter().enumerate() {
                    let k = binomial(rng, seen, tie.engage * share) as usize;
                    if k == 0 {
                        continue;
                    }
                    pick_distinct(&s.classes[class], k, rng, &mut s.picked);
                    counts[kind] += k as u64;
                    rows.stats.engagements[class] += k as u64;
                    engaged += k as u64;
                    for &f in &s.picked {
                        let when = self.after(t, rng);
                        interaction(&mut rows.interactions, f, a, KINDS[kind], when);
                        match kind {
                            REPOST => {
                                let audience = self.follows.inn.row(f as usize).len() as u64;
                                impressions +=
                                    binomial(rng, audience, e.one_way_cross_context.reach);
                            }
                            REPLY => reply_rows.push((f, when)),
                            _ => {}
                        }
                    }
                }
            }
            rows.stats.likes += counts[LIKE];
            rows.stats.clicks += counts[CLICK];
            rows.stats.reposts += counts[REPOST];
            rows.stats.replies += counts[REPLY];
            rows.stats.impressions += impressions;
            rows.stats.posts += 1;
            if celebrity {
                rows.stats.celebrity_impressions += impressions;
                rows.stats.celebrity_engagements += engaged;
            }
            for x in [
                impressions,
                counts[CLICK],
                counts[LIKE],
                counts[REPOST],
                counts[REPLY],
            ] {
                rows.posts.push(b',');
                push_u64(&mut rows.posts, x);
            }
            rows.posts.push(b'\n');
            debug_assert!(rows.posts.len() > post_start);
            // reply posts, by their authors
            for (f, when) in reply_rows {
                self.reply_post(rows, s, rng, f, a, j, when);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn reply_post(
        &self,
        rows: &mut ChunkRows,
        s: &mut Scratch,
        rng: &mut Rng,
        f: u32,
        a: u32,
        j: u64,
        when: i64,
    ) {
        let theirs = self.pop.contexts.get(f as usize);
        let context = theirs[rng.below(theirs.len() as u64) as usize];
        let p = &mut rows.posts;
        p.push(b'r');
        push_u64(p, u64::from(f));
        p.push(b'_');
        push_u64(p, u64::from(a));
        p.push(b'_');
        push_u64(p, j);
        p.push(b',');
        push_u64(p, u64::from(f));
        p.push(b',');
        push_time(p, when);
        p.push(b',');
        s.text.clear();
        let words = 3 + rng.below(8) as usize;
        self.push_words(&mut s.text, context, words, rng);
        push_csv(&mut rows.posts, &s.text);
        let p = &mut rows.posts;
        p.extend_from_slice(b",,p");
        push_u64(p, u64::from(a));
        p.push(b'_');
        push_u64(p, j);
        p.extend_from_slice(b",,,,,\n");
        rows.stats.reply_posts += 1;
    }

    /// Whom a post of `a` mentions: a mutual tie most of the time, else someone `a` follows.
    fn mention_target(&self, a: u32, rng: &mut Rng, s: &Scratch) -> Option<u32> {
        let mutual = s.classes[0].len() + s.classes[2].len();
        if mutual > 0 && (rng.next_f64() < MUTUAL_MENTION_SHARE) {
            let i = rng.below(mutual as u64) as usize;
            return Some(if i < s.classes[0].len() {
                s.classes[0][i]
            } else {
                s.classes[2][i - s.classes[0].len()]
            });
        }
        let followees = self.follows.out.row(a as usize);
        if followees.is_empty() {
            return None;
        }
        Some(followees[rng.below(followees.len() as u64) as usize])
    }
}

/// Appends one `source,target,kind,time,weight` row.
fn interaction(out: &mut Vec<u8>, source: u32, target: u32, kind: &str, time: i64) {
    push_u64(out, u64::from(source));
    out.push(b',');
    push_u64(out, u64::from(target));
    out.push(b',');
    out.extend_from_slice(kind.as_bytes());
    out.push(b',');
    push_time(out, time);
    out.extend_from_slice(b",1\n");
}

/// `k <= list.len()` distinct members of `list`, uniformly, into `picked` (in draw order).
/// Rejection when `k` is at most half the list (`O(k²)` checks, k small), a partial
/// Fisher–Yates shuffle of a copy otherwise (`O(len)`).
fn pick_distinct(list: &[u32], k: usize, rng: &mut Rng, picked: &mut Vec<u32>) {
    picked.clear();
    let k = k.min(list.len());
    if k * 2 <= list.len() && k <= 64 {
        while picked.len() < k {
            let v = list[rng.below(list.len() as u64) as usize];
            if !picked.contains(&v) {
                picked.push(v);
            }
        }
    } else {
        picked.extend_from_slice(list);
        for i in 0..k {
            let j = i + rng.below((picked.len() - i) as u64) as usize;
            picked.swap(i, j);
        }
        picked.truncate(k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_picks_are_distinct_members() {
        let list: Vec<u32> = (100..140).collect();
        let mut rng = Rng::new(5);
        let mut picked = Vec::new();
        for k in [0, 1, 5, 20, 21, 39, 40, 60] {
            pick_distinct(&list, k, &mut rng, &mut picked);
            assert_eq!(picked.len(), k.min(40));
            let mut sorted = picked.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), picked.len());
            assert!(picked.iter().all(|v| list.contains(v)));
        }
    }

    #[test]
    fn classes_cover_every_tie() {
        assert_eq!(TieClass::of(true, true), TieClass::MutualSameContext);
        assert_eq!(TieClass::of(false, false), TieClass::OneWayCrossContext);
        assert_eq!(TieClass::ALL.len(), 4);
    }
}
