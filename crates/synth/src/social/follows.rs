//! The follow graph: chosen follows inside and across contexts, celebrity follows, and
//! follow-backs that make ties reciprocal more often inside contexts than across them.
//!
//! 1. **Chosen follows.** A person who chooses `k` follows (see [`super::population`]) makes
//!    `(1 − μ')·k` of them (stochastically rounded) inside their contexts — a context picked
//!    uniformly among theirs, a member in proportion to popularity — and the rest to people
//!    drawn from everyone in proportion to popularity, refusing anybody who shares a context.
//!    Repeats and self-follows are redrawn; a person whose contexts are too small for their
//!    internal follows makes the rest across (counted in [`FollowStats::spilled`]). On top,
//!    `Poisson(celebrity_follows)` follows go to celebrities drawn by Zipf's law over their rank.
//! 2. **Follow-backs.** A follow `u → v` not already returned is returned with probability
//!    `r_in` when `u` and `v` share a context, `r_x` otherwise (never by or to a celebrity).
//!    With `P` follows of a class of which `M` are already returned, follow-backs add
//!    `B = r·(P − M)` follows, `2B + M` of the `P + B` follows are returned, and the realised
//!    reciprocity ρ is reached with `r = (ρP − M) / ((P − M)(2 − ρ))` (clamped to [0, 1]). For
//!    `M ≈ 0` a class grows by `2 / (2 − ρ)`; the planned μ' offsets this so that the share of
//!    all follows across contexts is μ (see [`super::params`]).
//!
//! Reciprocity is the classic dyad-level measure (Wasserman & Faust, *Social Network Analysis*,
//! 1994, ch. 13; Garlaschelli & Loffredo, PRL 93, 268701, 2004, for its dependence on density).
//!
//! Determinism: per-person draws come from `Rng::derive(seed, stream, chunk)` over fixed chunks
//! of people, rows are sorted, and follow-backs are collected and sorted, so the graph does not
//! depend on the thread count. Complexity: `O(m (log N + r))` time for m follows, where `r` is
//! the number of redraws (small unless contexts are nearly full); `O(N + m)` memory: the out-
//! and in-adjacency, 8 bytes per follow, plus the follow-backs while they are merged.

use contextivity_graph::Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::social::dist::{poisson, Zipf};
use crate::social::error::SocialError;
use crate::social::params::{Natural, Plan, SocialParams};
use crate::social::population::{Population, PEOPLE_CHUNK};

const STREAM_FOLLOWS: u64 = 200;
const STREAM_BACK: u64 = 201;

/// Compressed rows: person → sorted neighbours.
#[derive(Clone, Debug, Default)]
pub(crate) struct Adjacency {
    offsets: Vec<u64>,
    targets: Vec<u32>,
}

impl Adjacency {
    /// The sorted row of `u`.
    #[inline]
    pub(crate) fn row(&self, u: usize) -> &[u32] {
        &self.targets[self.offsets[u] as usize..self.offsets[u + 1] as usize]
    }

    /// Number of rows.
    pub(crate) fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of entries.
    pub(crate) fn entries(&self) -> usize {
        self.targets.len()
    }

    /// Calls `f(v, returned)` for every `v` in the row of `u`, in order, where `returned` says
    /// whether `v` is also in `inn`'s row of `u` (for the out-adjacency and its transpose: whether
    /// `v` follows `u` back). A merge of two sorted rows, `O(out + in)`, without random access.
    #[inline]
    pub(crate) fn each_with_return(&self, inn: &Adjacency, u: usize, mut f: impl FnMut(u32, bool)) {
        let back = inn.row(u);
        let mut j = 0;
        for &v in self.row(u) {
            while j < back.len() && back[j] < v {
                j += 1;
            }
            f(v, j < back.len() && back[j] == v);
        }
    }

    /// The transpose (rows come out sorted because sources are visited in order). `O(N + m)`.
    fn transpose(&self) -> Adjacency {
        let n = self.len();
        let mut offsets = vec![0u64; n + 1];
        for &v in &self.targets {
            offsets[v as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; self.targets.len()];
        for u in 0..n {
            for &v in self.row(u) {
                targets[fill[v as usize] as usize] = u as u32;
                fill[v as usize] += 1;
            }
        }
        Adjacency { offsets, targets }
    }
}

/// What the follow phase planned and realised, for the summary.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FollowStats {
    /// Follows chosen by people (before follow-backs), celebrity follows included.
    pub chosen: usize,
    /// Follows to celebrities chosen as such.
    pub celebrity_follows: usize,
    /// Internal follows made across instead because the person's contexts were too small.
    pub spilled: usize,
    /// Chosen follows that could not be placed at all (a person who would follow everybody).
    pub unplaced: usize,
    /// Follow-backs added.
    pub follow_backs: usize,
    /// Probability of a follow-back inside contexts, solved from the target reciprocity.
    pub follow_back_inside: f64,
    /// Probability of a follow-back across contexts.
    pub follow_back_across: f64,
}

/// The generated follow graph.
#[derive(Clone, Debug)]
pub(crate) struct Follows {
    /// follower → followees.
    pub out: Adjacency,
    /// followee → followers.
    pub inn: Adjacency,
    /// What was planned and realised.
    pub stats: FollowStats,
}

/// Draws one person's chosen follows into `row` (sorted on return). Returns
/// `(spilled, unplaced, celebrity follows)`.
fn choose(
    u: u32,
    pop: &Population,
    plan: &Plan,
    celebrity_rank: &Zipf,
    celebrity_follows: f64,
    rng: &mut Rng,
    row: &mut Vec<u32>,
) -> (usize, usize, usize) {
    row.clear();
    let k = pop.chosen[u as usize];
    let internal = Population::internal_share(k, plan.primary_mixing, rng) as usize;
    let mine = pop.contexts.get(u as usize);
    let mut attempts = 8 * internal + 16;
    while row.len() < internal && attempts > 0 {
        attempts -= 1;
        let ctx = mine[rng.below(mine.len() as u64) as usize];
        let v = pop.member_of(ctx, rng);
        if v != u && !row.contains(&v) {
            row.push(v);
        }
    }
    let spilled = internal - row.len();
    let want = k as usize;
    let mut attempts = 8 * (want - row.len()) + 16;
    while row.len() < want && attempts > 0 {
        attempts -= 1;
        let v = pop.anybody(rng);
        if v != u && !row.contains(&v) && !pop.share_context(u, v) {
            row.push(v);
        }
    }
    let unplaced = want - row.len();
    let mut celebrities = 0;
    if !pop.celebrities.is_empty() {
        let count = poisson(rng, celebrity_follows) as usize;
        let mut attempts = 4 * count + 4;
        while celebrities < count && attempts > 0 {
            attempts -= 1;
            let v = pop.celebrities[celebrity_rank.sample(rng)];
            if v != u && !row.contains(&v) {
                row.push(v);
                celebrities += 1;
            }
        }
    }
    row.sort_unstable();
    (spilled, unplaced, celebrities)
}

/// Chosen follows of everybody, row by row (step 1 of the module docs).
fn chosen_follows(
    plan: &Plan,
    pop: &Population,
    seed: u64,
    celebrity_follows: f64,
) -> (Adjacency, FollowStats) {
    let n = pop.len();
    let chunks = n.div_ceil(PEOPLE_CHUNK);
    let celebrity_rank = Zipf::new(pop.celebrities.len(), 1.0);
    struct Chunk {
        degrees: Vec<u32>,
        targets: Vec<u32>,
        spilled: usize,
        unplaced: usize,
        celebrity: usize,
    }
    let parts: Vec<Chunk> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut rng = Rng::derive(seed, STREAM_FOLLOWS, c as u64);
            let mut out = Chunk {
                degrees: Vec::with_capacity(PEOPLE_CHUNK),
                targets: Vec::new(),
                spilled: 0,
                unplaced: 0,
                celebrity: 0,
            };
            let mut row = Vec::new();
            for u in chunk_range(c, n) {
                let (s, x, k) = choose(
                    u as u32,
                    pop,
                    plan,
                    &celebrity_rank,
                    celebrity_follows,
                    &mut rng,
                    &mut row,
                );
                out.spilled += s;
                out.unplaced += x;
                out.celebrity += k;
                out.degrees.push(row.len() as u32);
                out.targets.extend_from_slice(&row);
            }
            out
        })
        .collect();
    let mut stats = FollowStats::default();
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0u64);
    let total: usize = parts.iter().map(|p| p.targets.len()).sum();
    let mut targets = Vec::with_capacity(total);
    for p in parts {
        for d in p.degrees {
            let last = offsets.last().copied().unwrap_or(0);
            offsets.push(last + u64::from(d));
        }
        targets.extend_from_slice(&p.targets);
        stats.spilled += p.spilled;
        stats.unplaced += p.unplaced;
        stats.celebrity_follows += p.celebrity;
    }
    let chosen = Adjacency { offsets, targets };
    stats.chosen = chosen.entries();
    (chosen, stats)
}

fn chunk_range(c: usize, n: usize) -> std::ops::Range<usize> {
    c * PEOPLE_CHUNK..((c + 1) * PEOPLE_CHUNK).min(n)
}

/// Whether a follow between `u` and `v` counts for reciprocity and follow-backs (no celebrity).
#[inline]
fn eligible(pop: &Population, u: u32, v: u32) -> bool {
    !pop.celebrity[u as usize] && !pop.celebrity[v as usize]
}

/// `[P_in, M_in, P_x, M_x]`: chosen follows inside and across contexts, and how many of them are
/// returned by chance. `O(m log k)`.
fn returned_by_chance(pop: &Population, chosen: &Adjacency, back: &Adjacency) -> [usize; 4] {
    let n = pop.len();
    (0..n.div_ceil(PEOPLE_CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut k = [0usize; 4];
            for u in chunk_range(c, n) {
                chosen.each_with_return(back, u, |v, returned| {
                    if eligible(pop, u as u32, v) {
                        let i = if pop.share_context(u as u32, v) { 0 } else { 2 };
                        k[i] += 1;
                        k[i + 1] += usize::from(returned);
                    }
                });
            }
            k
        })
        .reduce(
            || [0; 4],
            |a, b| [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]],
        )
}

/// People in a calibration pilot.
pub const PILOT_PEOPLE: usize = 20_000;
/// Calibration rounds.
const PILOT_ROUNDS: usize = 2;

/// The plan, calibrated for the follows people return by chance.
///
/// Inside small contexts, two people often choose each other without any follow-back (a hub
/// followed by most of its context follows many of them too), so follow-backs add fewer follows
/// than `2 / (2 − ρ)` would suggest and the planned μ' and mean would miss their targets. A pilot
/// of `min(N, 20 000)` people with the same mean context size measures the share `m` of chosen
/// follows returned by chance, inside and across, and the plan is redrawn with the growth
/// `(2 − m) / (2 − ρ)`; two rounds. `O(min(N, 20 000) · ⟨k⟩)`.
pub(crate) fn calibrated_plan(params: &SocialParams) -> Result<Plan, SocialError> {
    let mut plan = params.plan(Natural::default())?;
    let n = params.people;
    let pilot = if n <= PILOT_PEOPLE {
        params.clone()
    } else {
        let scale = PILOT_PEOPLE as f64 / n as f64;
        SocialParams {
            people: PILOT_PEOPLE,
            communities: params
                .communities
                .map(|c| ((c as f64 * scale).round() as usize).clamp(2.min(c), PILOT_PEOPLE)),
            ..params.clone()
        }
    };
    for _ in 0..PILOT_ROUNDS {
        let mut pilot_plan = pilot.plan(Natural::default())?;
        // The pilot uses the main plan's calibrated choices at its own size.
        pilot_plan.primary_mixing = plan.primary_mixing;
        pilot_plan.follows = plan.follows.clone();
        let pop = Population::draw(&pilot_plan, params.seed);
        let (chosen, _) =
            chosen_follows(&pilot_plan, &pop, params.seed, pilot_plan.celebrity_follows);
        let k = returned_by_chance(&pop, &chosen, &chosen.transpose());
        let share = |m: usize, p: usize| if p == 0 { 0.0 } else { m as f64 / p as f64 };
        plan = params.plan(Natural {
            inside: share(k[1], k[0]),
            across: share(k[3], k[2]),
        })?;
    }
    Ok(plan)
}

/// Builds the follow graph. See the module docs.
pub(crate) fn generate(
    plan: &Plan,
    pop: &Population,
    seed: u64,
    celebrity_follows: f64,
    reciprocity_inside: f64,
    reciprocity_across: f64,
) -> Follows {
    let n = pop.len();
    let chunks = n.div_ceil(PEOPLE_CHUNK);
    let range = |c: usize| chunk_range(c, n);
    let (chosen, mut stats) = chosen_follows(plan, pop, seed, celebrity_follows);
    let eligible = |u: u32, v: u32| eligible(pop, u, v);

    // 2. Returned-already counts per class, then the follow-back probabilities.
    let chosen_back = chosen.transpose();
    let counts = returned_by_chance(pop, &chosen, &chosen_back);
    let solve = |p: usize, m: usize, rho: f64| {
        let u = (p - m) as f64;
        if u <= 0.0 {
            0.0
        } else {
            ((rho * p as f64 - m as f64) / (u * (2.0 - rho))).clamp(0.0, 1.0)
        }
    };
    let r_in = solve(counts[0], counts[1], reciprocity_inside);
    let r_x = solve(counts[2], counts[3], reciprocity_across);
    stats.follow_back_inside = r_in;
    stats.follow_back_across = r_x;

    // 3. Follow-backs, as (follower, followee) keys, sorted.
    let mut backs: Vec<u64> = (0..chunks)
        .into_par_iter()
        .flat_map_iter(|c| {
            let mut rng = Rng::derive(seed, STREAM_BACK, c as u64);
            let mut keys = Vec::new();
            for u in range(c) {
                chosen.each_with_return(&chosen_back, u, |v, returned| {
                    if returned || !eligible(u as u32, v) {
                        return;
                    }
                    let r = if pop.share_context(u as u32, v) {
                        r_in
                    } else {
                        r_x
                    };
                    if rng.next_f64() < r {
                        keys.push(u64::from(v) << 32 | u as u64);
                    }
                });
            }
            keys
        })
        .collect();
    drop(chosen_back);
    backs.par_sort_unstable();
    stats.follow_backs = backs.len();

    // 4. Merge each chosen row with its follow-backs (disjoint: only unreturned follows are
    //    returned).
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0u64);
    let mut targets = Vec::with_capacity(chosen.entries() + backs.len());
    let mut b = 0usize;
    for u in 0..n {
        let row = chosen.row(u);
        let start = b;
        while b < backs.len() && (backs[b] >> 32) as usize == u {
            b += 1;
        }
        let extra = &backs[start..b];
        let (mut i, mut j) = (0, 0);
        while i < row.len() || j < extra.len() {
            let x = extra.get(j).map(|&k| k as u32);
            match (row.get(i), x) {
                (Some(&a), Some(e)) if a < e => {
                    targets.push(a);
                    i += 1;
                }
                (Some(_), Some(e)) | (None, Some(e)) => {
                    targets.push(e);
                    j += 1;
                }
                (Some(&a), None) => {
                    targets.push(a);
                    i += 1;
                }
                (None, None) => break,
            }
        }
        offsets.push(targets.len() as u64);
    }
    drop(chosen);
    drop(backs);
    let out = Adjacency { offsets, targets };
    let inn = out.transpose();
    Follows { out, inn, stats }
}
