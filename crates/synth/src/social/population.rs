//! The people: how many follows each chooses, which planted contexts each belongs to, who the
//! celebrities are, and the popularity tables follows are drawn from.
//!
//! Following LFR (Lancichinetti, Fortunato & Radicchi, PRE 78, 046110, 2008) and its overlapping
//! variant (Lancichinetti & Fortunato, PRE 80, 016118, 2009):
//!
//! 1. each person draws the number of follows they choose, `k`, from the bounded power law
//!    `P(k) ∝ k^-τ1` of [`crate::powerlaw`];
//! 2. exactly C context sizes (counted in memberships, N plus the extra memberships of the
//!    overlapping people) are drawn from `P(s) ∝ s^-τ2` and nudged one member at a time until
//!    they add up;
//! 3. each person gets a *home* context with LFR's constrained placement (the crate's
//!    `communities::assign`): a context larger than the person's internal follows;
//! 4. `round(overlap · N)` people, drawn at random, get `om − 1` further contexts from the
//!    remaining places, shuffled, so larger contexts receive more overlapping members;
//! 5. celebrities are drawn at random; their order is their popularity rank.
//!
//! Follow targets are drawn in proportion to a popularity weight equal to the person's own `k`
//! (the Chung–Lu model: Chung & Lu, *Connected components in random graphs with given expected
//! degree sequences*, Annals of Combinatorics 6, 2002), so expected in-degrees follow the same
//! heavy-tailed law as out-degrees.
//!
//! Complexity: `O(N log C + T + C · c_max)` time, `O(N + T)` memory for T memberships.

use contextivity_graph::Rng;
use rayon::prelude::*;

use crate::communities::assign;
use crate::social::dist::stochastic_round;
use crate::social::params::Plan;

/// People per chunk of per-person draws (fixed: results do not depend on the thread count).
pub(crate) const PEOPLE_CHUNK: usize = 4096;

/// Derived-stream ids of this phase.
const STREAM_DEGREES: u64 = 100;
const STREAM_SIZES: u64 = 101;
const STREAM_ASSIGN: u64 = 102;
const STREAM_OVERLAP: u64 = 103;
const STREAM_CELEBRITIES: u64 = 104;

/// Marks a person in several contexts (or none) in `Population::single`.
const SEVERAL: u32 = u32::MAX;

/// A compressed list of lists.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lists {
    offsets: Vec<u64>,
    items: Vec<u32>,
}

impl Lists {
    /// The lists of `len` owners from `(owner, item)` pairs, items kept in input order.
    fn from_pairs(len: usize, pairs: &[(u32, u32)]) -> Self {
        let mut offsets = vec![0u64; len + 1];
        for &(o, _) in pairs {
            offsets[o as usize + 1] += 1;
        }
        for i in 0..len {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut items = vec![0u32; pairs.len()];
        for &(o, x) in pairs {
            items[fill[o as usize] as usize] = x;
            fill[o as usize] += 1;
        }
        Lists { offsets, items }
    }

    /// The list of `owner`.
    #[inline]
    pub(crate) fn get(&self, owner: usize) -> &[u32] {
        &self.items[self.offsets[owner] as usize..self.offsets[owner + 1] as usize]
    }

    /// Where the list of `owner` starts in the flat item array.
    #[inline]
    fn start(&self, owner: usize) -> usize {
        self.offsets[owner] as usize
    }

    /// Number of owners.
    pub(crate) fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Total number of items.
    pub(crate) fn total(&self) -> usize {
        self.items.len()
    }
}

/// Everybody's draws and memberships.
#[derive(Clone, Debug)]
pub(crate) struct Population {
    /// Follows each person chooses (before follow-backs and celebrity follows).
    pub chosen: Vec<u32>,
    /// Each person's contexts, sorted.
    pub contexts: Lists,
    /// Each context's members, sorted.
    pub members: Lists,
    /// Per membership (aligned with `members`), the cumulative popularity within its context.
    member_cumulative: Vec<f64>,
    /// Alias table of popularity over all people.
    global: Alias,
    /// Each person's only context, or [`SEVERAL`] (fast path of
    /// [`Population::share_context`]: one memory access per person).
    single: Vec<u32>,
    /// Whether each person is a celebrity.
    pub celebrity: Vec<bool>,
    /// Celebrities by popularity rank.
    pub celebrities: Vec<u32>,
    /// Extra memberships that could not be placed without repeating a context.
    pub dropped_memberships: usize,
}

/// Walker's alias method (Walker, ACM TOMS 3, 253, 1977; Vose's construction, IEEE TSE 17,
/// 972, 1991): `O(len)` to build, `O(1)` per draw.
#[derive(Clone, Debug)]
struct Alias {
    prob: Vec<f64>,
    alias: Vec<u32>,
}

impl Alias {
    fn new(weights: &[f64]) -> Self {
        let n = weights.len();
        let total: f64 = weights.iter().sum();
        let mut prob: Vec<f64> = weights.iter().map(|w| w * n as f64 / total).collect();
        let mut alias: Vec<u32> = (0..n as u32).collect();
        let (mut small, mut large): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
        for (i, &p) in prob.iter().enumerate() {
            if p < 1.0 {
                small.push(i as u32);
            } else {
                large.push(i as u32);
            }
        }
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            alias[s as usize] = l;
            prob[l as usize] -= 1.0 - prob[s as usize];
            if prob[l as usize] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // Leftovers are 1 up to rounding.
        for i in small.into_iter().chain(large) {
            prob[i as usize] = 1.0;
        }
        Alias { prob, alias }
    }

    #[inline]
    fn sample(&self, rng: &mut Rng) -> u32 {
        let i = rng.below(self.prob.len() as u64) as usize;
        if rng.next_f64() < self.prob[i] {
            i as u32
        } else {
            self.alias[i]
        }
    }
}

/// Picks the index whose cumulative weight first exceeds `u · total` in `cumulative`.
#[inline]
fn pick(cumulative: &[f64], rng: &mut Rng) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let target = rng.next_f64() * total;
    cumulative
        .partition_point(|&c| c <= target)
        .min(cumulative.len().saturating_sub(1))
}

/// Exactly `count` sizes from the plan's law whose sum is `total`, each in `[1, cap]`.
fn draw_sizes(plan: &Plan, count: usize, total: usize, cap: usize, rng: &mut Rng) -> Vec<usize> {
    let mut sizes: Vec<usize> = (0..count)
        .map(|_| plan.sizes.sample(rng).min(cap))
        .collect();
    let mut sum: usize = sizes.iter().sum();
    // Nudge one unit at a time, first within the law's range, then within [1, cap].
    for (lo, hi) in [(plan.sizes.min(), plan.sizes.max().min(cap)), (1, cap)] {
        let mut stalled = 0usize;
        while sum != total && stalled < 64 * count + 64 {
            let i = rng.below(count as u64) as usize;
            if sum > total && sizes[i] > lo {
                sizes[i] -= 1;
                sum -= 1;
                stalled = 0;
            } else if sum < total && sizes[i] < hi {
                sizes[i] += 1;
                sum += 1;
                stalled = 0;
            } else {
                stalled += 1;
            }
        }
    }
    // A last deterministic sweep in case random nudges stalled (tight bounds).
    let mut i = 0;
    while sum != total && i < count * 2 {
        let c = i % count;
        if sum > total && sizes[c] > 1 {
            sizes[c] -= 1;
            sum -= 1;
        } else if sum < total && sizes[c] < cap {
            sizes[c] += 1;
            sum += 1;
        } else {
            i += 1;
        }
    }
    sizes
}

impl Population {
    /// Draws everybody. See the module docs; `O(N log C + T)`.
    pub(crate) fn draw(plan: &Plan, seed: u64) -> Self {
        let n = plan.people;
        let chunks = n.div_ceil(PEOPLE_CHUNK);
        let chosen: Vec<u32> = (0..chunks)
            .into_par_iter()
            .flat_map_iter(|c| {
                let mut rng = Rng::derive(seed, STREAM_DEGREES, c as u64);
                let len = PEOPLE_CHUNK.min(n - c * PEOPLE_CHUNK);
                (0..len)
                    .map(|_| plan.follows.sample(&mut rng) as u32)
                    .collect::<Vec<_>>()
            })
            .collect();

        // Context sizes in memberships, then home (primary) places in proportion.
        let om = plan.overlap_memberships;
        let total = n + plan.overlapping * om.saturating_sub(1);
        let c = plan.contexts;
        let sizes = draw_sizes(plan, c, total, n, &mut Rng::derive(seed, STREAM_SIZES, 0));
        let mut home = vec![0usize; c];
        let mut assigned = 0usize;
        let mut remainders: Vec<(f64, usize)> = Vec::with_capacity(c);
        for (i, &s) in sizes.iter().enumerate() {
            let exact = s as f64 * n as f64 / total as f64;
            home[i] = exact.floor() as usize;
            assigned += home[i];
            remainders.push((exact - exact.floor(), i));
        }
        remainders.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, i) in remainders.iter().take(n - assigned) {
            home[i] += 1;
        }
        // assign() wants sizes in decreasing order.
        let mut order: Vec<usize> = (0..c).collect();
        order.sort_by(|&a, &b| home[b].cmp(&home[a]).then(a.cmp(&b)));
        let sorted: Vec<usize> = order.iter().map(|&i| home[i]).collect();
        let largest = sorted.first().copied().unwrap_or(1).max(1);
        let mut cap = largest - 1;
        let mut rng = Rng::derive(seed, STREAM_ASSIGN, 0);
        let placed = loop {
            let internal: Vec<u32> = chosen
                .iter()
                .map(|&k| {
                    (((1.0 - plan.primary_mixing) * k as f64).ceil() as usize).min(cap) as u32
                })
                .collect();
            if let Some(p) = assign(&internal, &sorted, &mut rng) {
                break p;
            }
            cap /= 2; // at cap 0 every placement succeeds
        };
        let mut pairs: Vec<(u32, u32)> = placed
            .iter()
            .enumerate()
            .map(|(v, &slot)| (v as u32, order[slot as usize] as u32))
            .collect();

        // Overlap: extra places, shuffled, handed to randomly chosen people.
        let mut rng = Rng::derive(seed, STREAM_OVERLAP, 0);
        let mut slots: Vec<u32> = Vec::with_capacity(total - n);
        for (i, (&s, &h)) in sizes.iter().zip(&home).enumerate() {
            slots.extend(std::iter::repeat_n(i as u32, s - h));
        }
        rng.shuffle(&mut slots);
        let mut people: Vec<u32> = (0..n as u32).collect();
        for i in 0..plan.overlapping.min(n) {
            let j = i + rng.below((n - i) as u64) as usize;
            people.swap(i, j);
        }
        let mut dropped = 0usize;
        let mut next = 0usize;
        for &p in &people[..plan.overlapping.min(n)] {
            let mut mine = vec![pairs[p as usize].1];
            for _ in 1..om {
                if next >= slots.len() {
                    dropped += 1;
                    continue;
                }
                // Swap a repeated context with a later slot (a few tries).
                let mut tries = 0;
                while mine.contains(&slots[next]) && tries < 32 && next + 1 < slots.len() {
                    let j = next + 1 + rng.below((slots.len() - next - 1) as u64) as usize;
                    slots.swap(next, j);
                    tries += 1;
                }
                if mine.contains(&slots[next]) {
                    dropped += 1;
                } else {
                    mine.push(slots[next]);
                    pairs.push((p, slots[next]));
                }
                next += 1;
            }
        }
        dropped += slots.len().saturating_sub(next);
        pairs.sort_unstable();
        let contexts = Lists::from_pairs(n, &pairs);
        let by_context: Vec<(u32, u32)> = pairs.iter().map(|&(p, c)| (c, p)).collect();
        let members = Lists::from_pairs(c, &by_context);

        // Popularity tables (weights = chosen follows, at least 1).
        let weight = |p: u32| f64::from(chosen[p as usize].max(1));
        let mut member_cumulative = vec![0.0f64; members.total()];
        for ctx in 0..c {
            let start = members.start(ctx);
            let mut acc = 0.0;
            for (i, &p) in members.get(ctx).iter().enumerate() {
                acc += weight(p);
                member_cumulative[start + i] = acc;
            }
        }
        let global = Alias::new(&(0..n as u32).map(weight).collect::<Vec<_>>());
        let single: Vec<u32> = (0..n)
            .map(|p| match contexts.get(p) {
                [only] => *only,
                _ => SEVERAL,
            })
            .collect();

        // Celebrities: distinct random people; their order is their rank.
        let mut rng = Rng::derive(seed, STREAM_CELEBRITIES, 0);
        let mut celebrity = vec![false; n];
        let mut celebrities = Vec::with_capacity(plan.celebrities);
        while celebrities.len() < plan.celebrities {
            let p = rng.below(n as u64) as u32;
            if !celebrity[p as usize] {
                celebrity[p as usize] = true;
                celebrities.push(p);
            }
        }
        Population {
            chosen,
            contexts,
            members,
            member_cumulative,
            global,
            single,
            celebrity,
            celebrities,
            dropped_memberships: dropped,
        }
    }

    /// Number of people.
    pub(crate) fn len(&self) -> usize {
        self.chosen.len()
    }

    /// Whether `a` and `b` share a context. `O(memberships)`.
    #[inline]
    pub(crate) fn share_context(&self, a: u32, b: u32) -> bool {
        let (x, y) = (self.single[a as usize], self.single[b as usize]);
        if x != SEVERAL && y != SEVERAL {
            return x == y;
        }
        let (x, y) = (self.contexts.get(a as usize), self.contexts.get(b as usize));
        let (mut i, mut j) = (0, 0);
        while i < x.len() && j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }

    /// A member of `context`, drawn in proportion to popularity. `O(log size)`.
    #[inline]
    pub(crate) fn member_of(&self, context: u32, rng: &mut Rng) -> u32 {
        let start = self.members.start(context as usize);
        let list = self.members.get(context as usize);
        let cumulative = &self.member_cumulative[start..start + list.len()];
        list[pick(cumulative, rng)]
    }

    /// Anybody, drawn in proportion to popularity. `O(1)`.
    #[inline]
    pub(crate) fn anybody(&self, rng: &mut Rng) -> u32 {
        self.global.sample(rng)
    }

    /// The number of internal follows of a person who chooses `k`: `(1 − μ')·k`, rounded
    /// stochastically.
    pub(crate) fn internal_share(k: u32, primary_mixing: f64, rng: &mut Rng) -> u32 {
        stochastic_round(rng, (1.0 - primary_mixing) * f64::from(k)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_draws_follow_the_weights() {
        let table = Alias::new(&[1.0, 2.0, 0.0, 5.0]);
        let mut rng = Rng::new(2);
        let mut counts = [0usize; 4];
        for _ in 0..80_000 {
            counts[table.sample(&mut rng) as usize] += 1;
        }
        assert_eq!(counts[2], 0);
        for (i, w) in [(0, 1.0), (1, 2.0), (3, 5.0)] {
            assert!(
                (counts[i] as f64 / 80_000.0 - w / 8.0).abs() < 0.01,
                "{counts:?}"
            );
        }
    }
    use crate::social::SocialParams;

    #[test]
    fn memberships_overlap_and_sizes_add_up() {
        let params = SocialParams {
            people: 5000,
            overlap: 0.2,
            overlap_memberships: 3,
            ..Default::default()
        };
        let plan = params.plan(Default::default()).unwrap();
        let pop = Population::draw(&plan, 9);
        assert_eq!(pop.len(), 5000);
        assert_eq!(pop.members.len(), plan.contexts);
        let multi = (0..5000).filter(|&p| pop.contexts.get(p).len() > 1).count();
        assert!((990..=1000).contains(&multi), "{multi} overlapping");
        assert!((0..5000).all(|p| {
            let l = pop.contexts.get(p);
            !l.is_empty() && l.windows(2).all(|w| w[0] < w[1])
        }));
        assert_eq!(pop.members.total(), pop.contexts.total());
        assert_eq!(pop.celebrities.len(), plan.celebrities);
        let mut rng = Rng::new(1);
        for _ in 0..100 {
            let c = rng.below(plan.contexts as u64) as u32;
            if !pop.members.get(c as usize).is_empty() {
                let m = pop.member_of(c, &mut rng);
                assert!(pop.contexts.get(m as usize).contains(&c));
            }
        }
    }
}
