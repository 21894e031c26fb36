//! Synthetic social exports with planted contexts and an engagement model.
//!
//! [`write_export`] writes a complete export in the canonical layout (`docs/FORMAT.md`) —
//! `people.csv`, `follows.csv`, `interactions.csv`, `posts.csv` — plus `truth.tsv` (one
//! `person<TAB>context` line per membership) and `generator.json` (every parameter and what was
//! realised). The model, with its references, is described in `docs/GENERATOR.md`:
//!
//! - [`population`]: people, LFR-like planted contexts with power-law sizes and overlap,
//!   celebrities (Lancichinetti, Fortunato & Radicchi 2008; Lancichinetti & Fortunato 2009);
//! - [`follows`]: chosen follows with mixing μ and heavy-tailed degrees, celebrity follows, and
//!   follow-backs that make ties inside contexts more reciprocal than across them;
//! - [`words`]: a shared vocabulary and pronounceable per-context topic words and hashtags;
//! - [`engagement`]: posts with text and hashtags, and impressions, likes, clicks, reposts,
//!   replies and mentions that depend on the tie between follower and author;
//! - [`writer`]: staged files renamed into place only when the whole export is complete.
//!
//! Output is a pure function of the parameters: every random draw comes from
//! `Rng::derive(seed, stream, chunk)` over fixed chunks of people, and chunks are written in
//! order, so two runs give byte-identical files at any thread count. Memory holds the follow
//! graph (8 bytes per follow plus `O(N)`) and the chunks in flight, not the output.
//!
//! ```
//! use contextivity_synth::social::{write_export, SocialParams};
//!
//! let dir = std::env::temp_dir().join(format!("contextivity-doc-social-{}", std::process::id()));
//! let params = SocialParams { people: 300, seed: 7, ..SocialParams::default() };
//! let summary = write_export(&params, &dir)?;
//! assert_eq!(summary.counts.people, 300);
//! assert!(dir.join("follows.csv").is_file() && dir.join("truth.tsv").is_file());
//! # std::fs::remove_dir_all(&dir).ok();
//! # Ok::<(), contextivity_synth::social::SocialError>(())
//! ```

pub mod engagement;
pub mod error;
pub mod follows;
pub mod params;
pub mod population;
pub mod summary;
pub mod words;
pub mod writer;

mod dist;

use std::path::Path;
use std::time::Instant;

use contextivity_graph::Rng;
use serde::Serialize;

pub use engagement::{EngagementStats, TieClass};
pub use error::SocialError;
pub use follows::FollowStats;
pub use params::{EngagementParams, SocialParams, TieEngagement};
pub use summary::{power_law_exponent, Counts, FileReport, Realised, SocialSummary};

use engagement::PostModel;
use population::{Population, PEOPLE_CHUNK};
use words::{push_handle, push_name, Vocabulary};
use writer::{for_chunks, push_u64, Staging};

const STREAM_PEOPLE: u64 = 400;

/// Name of the generator in `generator.json`.
pub const GENERATOR: &str = "contextivity-synth social";

/// The record written to `generator.json`.
#[derive(Serialize)]
struct Record<'a> {
    generator: &'static str,
    version: &'static str,
    parameters: &'a SocialParams,
    counts: &'a Counts,
    realised: &'a Realised,
}

/// Generates the export described by `params` into `dir` (created if missing).
///
/// Files appear only when all are complete (see [`writer`]); existing files of the same names
/// are replaced. Runs on the current rayon pool; the bytes do not depend on its size.
///
/// # Errors
///
/// [`SocialError::OutOfRange`] or [`SocialError::Inconsistent`] naming the parameter to change,
/// before anything is written; [`SocialError::Io`] when a file cannot be written.
///
/// Complexity: `O(N log N + m log m + posts · words + events)` time for m follows;
/// `O(N + m)` memory (see the module docs).
pub fn write_export(params: &SocialParams, dir: &Path) -> Result<SocialSummary, SocialError> {
    let plan = follows::calibrated_plan(params)?;
    let clock = Instant::now();
    let pop = Population::draw(&plan, params.seed);
    let vocab = Vocabulary::new(params.seed, plan.contexts, plan.topics);
    let graph = follows::generate(
        &plan,
        &pop,
        params.seed,
        plan.celebrity_follows,
        params.reciprocity_inside,
        params.reciprocity_across,
    );
    let model = PostModel::new(params, &pop, &graph, &vocab, plan.window);
    let model_seconds = clock.elapsed().as_secs_f64();

    let n = pop.len();
    let chunks = n.div_ceil(PEOPLE_CHUNK);
    let range = |c: usize| c * PEOPLE_CHUNK..((c + 1) * PEOPLE_CHUNK).min(n);
    let mut staging = Staging::new(dir)?;
    let mut files = Vec::new();
    let mut counts = Counts {
        people: n as u64,
        contexts: plan.contexts as u64,
        memberships: pop.contexts.total() as u64,
        overlapping_people: (0..n).filter(|&p| pop.contexts.get(p).len() > 1).count() as u64,
        celebrities: pop.celebrities.len() as u64,
        ..Counts::default()
    };

    // people.csv
    let clock = Instant::now();
    let mut file = staging.create("people.csv")?;
    file.write(b"id,handle,name,bio,followers_count,verified\n")?;
    for_chunks(
        chunks,
        |c| {
            let mut rng = Rng::derive(params.seed, STREAM_PEOPLE, c as u64);
            let mut out = Vec::with_capacity(PEOPLE_CHUNK * 96);
            let mut text = String::new();
            for p in range(c) {
                let p32 = p as u32;
                push_u64(&mut out, p as u64);
                out.extend_from_slice(b",@");
                text.clear();
                push_handle(&mut text, params.seed, p32);
                out.extend_from_slice(text.as_bytes());
                out.push(b',');
                text.clear();
                push_name(&mut text, params.seed, p32);
                writer::push_csv(&mut out, &text);
                out.push(b',');
                model.bio(p32, &mut rng, &mut text);
                writer::push_csv(&mut out, &text);
                out.push(b',');
                push_u64(&mut out, graph.inn.row(p).len() as u64);
                out.extend_from_slice(if pop.celebrity[p] { b",true\n" } else { b",\n" });
            }
            out
        },
        |rows| file.write(&rows),
    )?;
    files.push(report("people.csv", n as u64, file.finish()?, clock));

    // follows.csv, measuring mixing and reciprocity on the way.
    let clock = Instant::now();
    let mut file = staging.create("follows.csv")?;
    file.write(b"follower,followee\n")?;
    // inside arcs, inside returned, across arcs, across returned, all returned
    let mut tally = [0u64; 5];
    for_chunks(
        chunks,
        |c| {
            let mut out = Vec::with_capacity(PEOPLE_CHUNK * 24 * 16);
            let mut t = [0u64; 5];
            for u in range(c) {
                let u32_ = u as u32;
                graph.out.each_with_return(&graph.inn, u, |v, back| {
                    push_u64(&mut out, u as u64);
                    out.push(b',');
                    push_u64(&mut out, u64::from(v));
                    out.push(b'\n');
                    t[4] += u64::from(back);
                    if !pop.celebrity[u] && !pop.celebrity[v as usize] {
                        let i = if pop.share_context(u32_, v) { 0 } else { 2 };
                        t[i] += 1;
                        t[i + 1] += u64::from(back);
                    }
                });
            }
            (out, t)
        },
        |(rows, t)| {
            for (a, b) in tally.iter_mut().zip(t) {
                *a += b;
            }
            file.write(&rows)
        },
    )?;
    counts.follows = graph.out.entries() as u64;
    files.push(report("follows.csv", counts.follows, file.finish()?, clock));

    // posts.csv and interactions.csv, together.
    let clock = Instant::now();
    let mut posts = staging.create("posts.csv")?;
    let mut interactions = staging.create("interactions.csv")?;
    posts.write(
        b"id,author,time,text,hashtags,reply_to,impressions,clicks,likes,reposts,replies\n",
    )?;
    interactions.write(b"source,target,kind,time,weight\n")?;
    let mut post_stats = EngagementStats::default();
    for_chunks(
        chunks,
        |c| model.chunk(c),
        |rows| {
            post_stats.merge(&rows.stats);
            posts.write(&rows.posts)?;
            interactions.write(&rows.interactions)
        },
    )?;
    counts.posts = post_stats.posts + post_stats.reply_posts;
    counts.reply_posts = post_stats.reply_posts;
    counts.interactions = post_stats.interactions();
    let seconds = clock.elapsed().as_secs_f64();
    let (pb, ib) = (posts.finish()?, interactions.finish()?);
    // The two files are written together: split the time by their bytes.
    let share = pb as f64 / (pb + ib).max(1) as f64;
    files.push(FileReport {
        name: "posts.csv".into(),
        rows: counts.posts,
        bytes: pb,
        seconds: seconds * share,
    });
    files.push(FileReport {
        name: "interactions.csv".into(),
        rows: counts.interactions,
        bytes: ib,
        seconds: seconds * (1.0 - share),
    });

    // truth.tsv
    let clock = Instant::now();
    let mut file = staging.create("truth.tsv")?;
    for_chunks(
        chunks,
        |c| {
            let mut out = Vec::with_capacity(PEOPLE_CHUNK * 16);
            for p in range(c) {
                for &ctx in pop.contexts.get(p) {
                    push_u64(&mut out, p as u64);
                    out.extend_from_slice(b"\tc");
                    push_u64(&mut out, u64::from(ctx));
                    out.push(b'\n');
                }
            }
            out
        },
        |rows| file.write(&rows),
    )?;
    files.push(report(
        "truth.tsv",
        counts.memberships,
        file.finish()?,
        clock,
    ));

    let realised = realise(&pop, &graph, &counts, tally, post_stats);

    // generator.json
    let clock = Instant::now();
    let mut file = staging.create("generator.json")?;
    let record = Record {
        generator: GENERATOR,
        version: env!("CARGO_PKG_VERSION"),
        parameters: params,
        counts: &counts,
        realised: &realised,
    };
    let mut json = serde_json::to_vec_pretty(&record)?;
    json.push(b'\n');
    file.write(&json)?;
    files.push(report("generator.json", 0, file.finish()?, clock));

    staging.commit()?;
    Ok(SocialSummary {
        counts,
        realised,
        model_seconds,
        files,
    })
}

fn report(name: &str, rows: u64, bytes: u64, clock: Instant) -> FileReport {
    FileReport {
        name: name.into(),
        rows,
        bytes,
        seconds: clock.elapsed().as_secs_f64(),
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The realised figures, from the counts gathered while writing. `O(N + C)`.
fn realise(
    pop: &Population,
    graph: &follows::Follows,
    counts: &Counts,
    tally: [u64; 5],
    post: EngagementStats,
) -> Realised {
    let n = pop.len();
    let out_degrees = (0..n).map(|u| graph.out.row(u).len() as u64);
    let fit_min = (counts.follows / n.max(1) as u64).max(1);
    let max_follows = out_degrees.clone().max().unwrap_or(0);
    let sizes: Vec<u64> = (0..pop.members.len())
        .map(|c| pop.members.get(c).len() as u64)
        .collect();
    let (mut celeb_followers, mut other_followers) = (0u64, 0u64);
    for u in 0..n {
        let f = graph.inn.row(u).len() as u64;
        if pop.celebrity[u] {
            celeb_followers += f;
        } else {
            other_followers += f;
        }
    }
    let celebrities = pop.celebrities.len() as u64;
    let celeb_engaged = post.celebrity_engagements;
    let all_engaged: u64 = post.engagements.iter().sum();
    let mut per_tie = [0.0; 4];
    for (i, r) in per_tie.iter_mut().enumerate() {
        *r = ratio(post.engagements[i], post.follower_posts[i]);
    }
    Realised {
        mixing: ratio(tally[2], tally[0] + tally[2]),
        reciprocity: ratio(tally[4], counts.follows),
        reciprocity_inside: ratio(tally[1], tally[0]),
        reciprocity_across: ratio(tally[3], tally[2]),
        overlap_share: ratio(counts.overlapping_people, counts.people),
        mean_follows: ratio(counts.follows, counts.people),
        max_follows,
        max_followers: (0..n)
            .map(|u| graph.inn.row(u).len() as u64)
            .max()
            .unwrap_or(0),
        follows_exponent: power_law_exponent(out_degrees, fit_min, max_follows),
        fit_min_follows: fit_min,
        context_sizes: (
            sizes.iter().copied().min().unwrap_or(0),
            ratio(sizes.iter().sum(), sizes.len() as u64),
            sizes.iter().copied().max().unwrap_or(0),
        ),
        celebrity_mean_followers: ratio(celeb_followers, celebrities),
        other_mean_followers: ratio(other_followers, n as u64 - celebrities),
        celebrity_engagement_rate: ratio(celeb_engaged, post.celebrity_impressions),
        other_engagement_rate: ratio(
            all_engaged - celeb_engaged,
            post.impressions - post.celebrity_impressions,
        ),
        engagement_per_tie: per_tie,
        dropped_memberships: pop.dropped_memberships as u64,
        follow_phase: graph.stats.clone(),
        post_phase: post,
    }
}
