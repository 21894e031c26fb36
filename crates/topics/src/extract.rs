//! People → term counts: what each person talks about, as a sparse row of `(term, count)`.
//!
//! A person's document is made of
//!
//! - **their posts** ([`Post::text`] tokenised as in [`crate::tokenize`], plus
//!   [`Post::hashtags`]; a listed hashtag that the post's text already contains is counted
//!   once, so exports that give both do not double it);
//! - **their bio** (the [`BIO`] column), tokenised like a post;
//! - **their name and handle** ([`NAME`], [`HANDLE`]), as words only;
//! - **their categorical attributes**: every other person column except [`FOLLOWERS_COUNT`]
//!   (a number, not a category) and the columns in [`ExtractConfig::skip_columns`], each value
//!   becoming the term `column:value`, lower-cased ([`TermKind::Attribute`]). A SNAP ego
//!   feature `education;school;id` = `anonymized feature 538` gives
//!   `education;school;id:anonymized feature 538`.
//!
//! Post engagement, times and reply links play no part: they say how much, not about what.
//!
//! **Design.** Text is read in storage order and counted by person later, in three parallel
//! steps that never compare or copy a term's text in the common case:
//!
//! 1. *Parts, per token.* The posts (in storage order, so that their texts are read front to
//!    back, not at random places as reading them by author would) and the people (bio, names,
//!    attributes) are cut into as many parts of each as there are tasks; each task tokenises
//!    its share of both with its own dictionary. A term of at most 14 bytes (nearly all of
//!    them) is packed into an exact, order-preserving 128-bit key (kind, bytes, length) and
//!    looked up in the task's key table (8-byte slots, then one two-word comparison with the
//!    key stored by id); longer terms go to an interner over a byte arena. Text is read one
//!    whitespace-free chunk at a time, and the tokenizer reads each chunk on its own, so the
//!    task remembers the local ids every short chunk gave (module `chunkmemo`): a word met
//!    again costs one table lookup, not the tokenizer, the packing and the dictionary. A
//!    text's chunks (and a person's handle and names) are looked up in a batch after their
//!    slots were prefetched. Nothing is counted here: each unit's local ids are appended as
//!    one run `[person, n, ids]` to the task's bucket for the person's chunk (a few thousand
//!    consecutive people), 4 bytes per token.
//! 2. *Merge.* Each task sorts its distinct keys (in parallel); the sorted streams are merged
//!    by ranges of keys cut at sampled keys, the ranges in parallel, each a k-way merge that
//!    numbers its distinct terms in `(kind, text)` order — key order is that order, long terms
//!    of one key are told apart by text — then shifted by the terms of the ranges before it.
//!    This maps every task's local ids to global ids.
//! 3. *Rows.* Per chunk of people, in parallel: every task's runs for the chunk are gathered
//!    person by person in global ids, and each person's ids sorted; equal neighbours make a
//!    `(term, count)` entry. Once the row lengths are known, one pass per thread writes the
//!    entries straight into the final arrays and counts document frequencies and totals in
//!    its own dense array, both counts of a term in one 64-bit word (one cache miss per entry
//!    rather than two), which are then summed.
//!
//! **Determinism.** Term ids are ranks in the sorted vocabulary and a row is a sorted multiset
//! of its person's terms; neither the parts, the chunks, the thread count nor hash order
//! reaches the result (a test compares the extraction with a simple sequential reference at
//! several thread counts).
//!
//! Cost: `O(text + T log T)` work for `T` distinct `(task, term)` pairs, plus a sort of each
//! person's term occurrences, all on every thread; memory: 4 bytes per token occurrence (the
//! runs, then the gathered ids) plus `O(entries + vocabulary)`.
//!
//! [`Post::text`]: contextivity_graph::Post::text
//! [`Post::hashtags`]: contextivity_graph::Post::hashtags

use contextivity_graph::people::{AttributeColumn, BIO, FOLLOWERS_COUNT, HANDLE, NAME};
use contextivity_graph::SocialGraph;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::chunkmemo::ChunkMemo;
use crate::error::TopicsError;
use crate::fxhash::{hash, Interner};
use crate::termkey::{self, KeyTable};
use crate::tokenize::{TermKind, Tokenizer, TokenizerConfig};

/// Which parts of an export feed the term counts, and how text is split.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExtractConfig {
    /// How text becomes terms.
    pub tokenizer: TokenizerConfig,
    /// Read post text and hashtags.
    pub posts: bool,
    /// Read the bio.
    pub bio: bool,
    /// Read name and handle as words.
    pub names: bool,
    /// Read categorical attributes as `column:value` terms.
    pub attributes: bool,
    /// Attribute columns to leave out, for example a column that is also the ground truth
    /// being evaluated against (GML's `value`).
    pub skip_columns: Vec<String>,
}

impl Default for ExtractConfig {
    fn default() -> Self {
        ExtractConfig {
            tokenizer: TokenizerConfig::default(),
            posts: true,
            bio: true,
            names: true,
            attributes: true,
            skip_columns: Vec::new(),
        }
    }
}

/// The distinct terms, sorted by `(kind, text)`; a term's id is its rank.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vocabulary {
    kinds: Vec<TermKind>,
    texts: Vec<Box<str>>,
}

impl Vocabulary {
    /// Number of terms.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// Whether there is no term.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// The kind of term `t`.
    pub fn kind(&self, t: u32) -> TermKind {
        self.kinds[t as usize]
    }

    /// The text of term `t` (without `#` or `@`).
    pub fn text(&self, t: u32) -> &str {
        &self.texts[t as usize]
    }

    /// Term `t` as shown to people: `#climate`, `@alice`, `example.com`, `solar`,
    /// `gender:female`.
    pub fn display(&self, t: u32) -> String {
        format!("{}{}", self.kind(t).prefix(), self.text(t))
    }

    /// The id of a term, if the vocabulary has it (binary search).
    pub fn find(&self, kind: TermKind, text: &str) -> Option<u32> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match (self.kinds[mid], &*self.texts[mid]).cmp(&(kind, text)) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid as u32),
            }
        }
        None
    }
}

/// Term counts per person: a CSR of `(term, count)` rows sorted by term, over a [`Vocabulary`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extraction {
    vocabulary: Vocabulary,
    offsets: Vec<u64>,
    terms: Vec<u32>,
    counts: Vec<u32>,
    people_with: Vec<u32>,
    totals: Vec<u64>,
}

impl Extraction {
    /// The vocabulary.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// Number of people (rows), with or without terms.
    pub fn person_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of people with at least one term.
    pub fn documents(&self) -> usize {
        self.offsets.windows(2).filter(|w| w[1] > w[0]).count()
    }

    /// Total number of `(person, term)` entries.
    pub fn entry_count(&self) -> usize {
        self.terms.len()
    }

    /// The terms of `person` (sorted) and how often each occurs.
    pub fn row(&self, person: usize) -> (&[u32], &[u32]) {
        let (a, b) = (
            self.offsets[person] as usize,
            self.offsets[person + 1] as usize,
        );
        (&self.terms[a..b], &self.counts[a..b])
    }

    /// Number of people who use term `t` (its document frequency).
    pub fn people_with(&self, t: u32) -> u32 {
        self.people_with[t as usize]
    }

    /// Number of occurrences of term `t` over everyone.
    pub fn total(&self, t: u32) -> u64 {
        self.totals[t as usize]
    }

    /// The extraction of hand-given term lists, one per person (for tests, examples and
    /// callers with their own tokenisation). Counts and ids follow the same rules as
    /// [`extract`].
    pub fn from_terms<S: AsRef<str> + Sync>(people: &[Vec<(TermKind, S)>]) -> Extraction {
        build_people(people.len(), |p, reader| {
            for (k, t) in &people[p] {
                reader.term(*k, t.as_ref());
            }
        })
    }
}

/// Counts the terms of every person of `graph` (see the module documentation).
pub fn extract(graph: &SocialGraph, config: &ExtractConfig) -> Extraction {
    let n = graph.node_count();
    let tokenizer = Tokenizer::new(&config.tokenizer);
    let posts = if config.posts {
        graph.posts.as_slice()
    } else {
        &[]
    };
    let people = &graph.people;
    let free_text = [BIO, NAME, HANDLE, FOLLOWERS_COUNT];
    let columns: Vec<(String, ByPerson)> = if config.attributes {
        people
            .columns()
            .iter()
            .filter(|(name, _)| {
                !free_text.contains(&name.as_str()) && !config.skip_columns.contains(name)
            })
            .map(|(name, col)| {
                let mut prefix: String = name.chars().flat_map(char::to_lowercase).collect();
                prefix.push(':');
                (prefix, ByPerson::new(col, n))
            })
            .collect()
    } else {
        Vec::new()
    };
    let bio = people
        .column(BIO)
        .filter(|_| config.bio)
        .map(|c| ByPerson::new(c, n));
    let names: Vec<ByPerson> = [NAME, HANDLE]
        .iter()
        .filter(|_| config.names)
        .filter_map(|c| people.column(c))
        .map(|c| ByPerson::new(c, n))
        .collect();
    // Posts in storage order (their texts are read front to back), each to its author.
    let post_author = |i: usize| {
        let a = posts.get(i)?.author.index();
        (a < n).then_some(a)
    };
    let post_terms = |i: usize, reader: &mut PartReader<'_>| {
        let Some(post) = posts.get(i) else {
            return;
        };
        let text = reader.text(&post.text);
        for tag in &post.hashtags {
            reader.hashtag_unless_in(tag, text.clone());
        }
    };
    // Bio, names and attributes, person by person.
    let person_terms = |p: usize, reader: &mut PartReader<'_>| {
        if let Some(col) = &bio {
            for t in col.get(p) {
                reader.text(t);
            }
        }
        for col in &names {
            for t in col.get(p) {
                reader.words(t);
            }
        }
        for (prefix, col) in &columns {
            for value in col.get(p) {
                reader.attribute(prefix, value);
            }
        }
    };
    let has_person_terms = bio.is_some() || !names.is_empty() || !columns.is_empty();
    let sources = [
        Source {
            units: posts.len(),
            person: &post_author,
            fill: &post_terms,
        },
        Source {
            units: if has_person_terms { n } else { 0 },
            person: &Some,
            fill: &person_terms,
        },
    ];
    build(n, &sources, &tokenizer)
}

/// The values of one person column laid out by person (offsets and values), so that reading
/// person `p`'s values is two array reads rather than two binary searches of the column.
struct ByPerson<'a> {
    offsets: Vec<u32>,
    values: Vec<&'a str>,
}

impl<'a> ByPerson<'a> {
    /// The values of `column` for people `0..n` (values of other nodes are left out).
    fn new(column: &'a AttributeColumn, n: usize) -> Self {
        let mut offsets = vec![0u32; n + 1];
        let mut values = Vec::with_capacity(column.len());
        // `iter` is sorted by node: one pass fills the values in person order.
        for (node, value) in column.iter() {
            if let Some(count) = offsets.get_mut(node.index() + 1) {
                *count += 1;
                values.push(value);
            }
        }
        for p in 0..n {
            offsets[p + 1] += offsets[p];
        }
        ByPerson { offsets, values }
    }

    /// The values of person `p`.
    #[inline]
    fn get(&self, p: usize) -> &[&'a str] {
        match (self.offsets.get(p), self.offsets.get(p + 1)) {
            (Some(&a), Some(&b)) => &self.values[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// Gives the terms of a unit of a [`Source`] to the part reading it.
type FillFn<'a> = dyn Fn(usize, &mut PartReader<'_>) + Sync + 'a;

/// Units of text (posts, people) that give terms to people: unit `u` belongs to person
/// `person(u)` (none: left out) and `fill(u, …)` gives its terms.
pub(crate) struct Source<'a> {
    /// Number of units.
    pub(crate) units: usize,
    /// The person a unit counts for, if any.
    pub(crate) person: &'a (dyn Fn(usize) -> Option<usize> + Sync + 'a),
    /// Gives the terms of a unit.
    pub(crate) fill: &'a FillFn<'a>,
}

/// The tag of a long term's local id in a part's runs: long terms (more than
/// [`termkey::SHORT_MAX`] bytes) are interned by text, apart from the short keys.
const LONG_ID: u32 = 1 << 31;

/// One part of the units after tokenising: its own dictionary, and the local ids of every
/// unit as runs bucketed by the people chunk of the unit's person.
struct Part {
    /// Short terms: local id → exact key.
    short: KeyTable,
    /// Long terms: local id (without [`LONG_ID`]) → `(kind, text)`.
    long: Interner,
    /// Per people chunk: runs `[person − chunk start, n, n local ids]`, back to back.
    buckets: Vec<Vec<u32>>,
}

impl Part {
    /// The index of a local id in the part's global ids (short ids first).
    #[inline]
    fn slot(&self, local: u32) -> usize {
        if local & LONG_ID != 0 {
            self.short.len() + (local & !LONG_ID) as usize
        } else {
            local as usize
        }
    }

    /// The text of a long term's local id.
    fn long_text(&self, local: u32) -> &str {
        self.long.get(local & !LONG_ID).1
    }
}

/// The smallest number of people of a chunk counted together.
const MIN_CHUNK: usize = 1024;

/// The largest number of chunks of people (each task keeps a bucket of runs per chunk).
const MAX_CHUNKS: usize = 4096;

/// The `i`-th of `k` near-equal consecutive ranges of `0..len`.
fn split(len: usize, i: usize, k: usize) -> std::ops::Range<usize> {
    let at = |j: usize| (len as u128 * j as u128 / k.max(1) as u128) as usize;
    at(i)..at(i + 1)
}

/// Tokenises people `0..n` through `fill` (for [`Extraction::from_terms`]).
fn build_people<F>(n: usize, fill: F) -> Extraction
where
    F: Fn(usize, &mut PartReader<'_>) + Sync,
{
    build(
        n,
        &[Source {
            units: n,
            person: &Some,
            fill: &fill,
        }],
        &Tokenizer::default(),
    )
}

/// Tokenises the units of `sources` for people `0..n` and assembles the deterministic
/// extraction (see the module documentation).
pub(crate) fn build(n: usize, sources: &[Source<'_>], tokenizer: &Tokenizer) -> Extraction {
    let threads = rayon::current_num_threads().max(1);
    // Chunks of a few thousand people (their gathered ids stay in cache), not too many of
    // them (every task keeps a bucket per chunk).
    let chunk = n
        .div_ceil(64 * threads)
        .max(n.div_ceil(MAX_CHUNKS))
        .max(MIN_CHUNK);
    let chunk_count = n.div_ceil(chunk);
    let part_count = 4 * threads;
    let mut parts: Vec<Part> = (0..part_count)
        .into_par_iter()
        .map(|i| tokenize_part(tokenizer, sources, i, part_count, chunk, chunk_count))
        .collect();

    // Each part's distinct terms sorted by sort key (long terms of one key by text), then a
    // merge of those sorted streams (by ranges of keys, in parallel) numbers the terms in
    // `(kind, text)` order and maps every local id to its global id.
    let sorted: Vec<Vec<(u128, u32)>> = parts
        .par_iter()
        .map(|c| {
            let mut v: Vec<(u128, u32)> = Vec::with_capacity(c.short.len() + c.long.len());
            v.extend(
                c.short
                    .keys()
                    .iter()
                    .enumerate()
                    .map(|(i, &k)| (k, i as u32)),
            );
            v.extend((0..c.long.len() as u32).map(|i| {
                let (kind, text) = c.long.get(i);
                (termkey::sort_key(kind, text), LONG_ID | i)
            }));
            v.sort_unstable_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| c.long_text(a.1).cmp(c.long_text(b.1)))
            });
            v
        })
        .collect();
    let merged = merge_sorted(&parts, &sorted);
    drop(sorted);
    let vocabulary = merged.vocabulary.len();

    // Per chunk of people, the buckets of every part: each chunk is counted on its own.
    let mut by_chunk: Vec<Vec<Vec<u32>>> = (0..chunk_count)
        .map(|_| Vec::with_capacity(parts.len()))
        .collect();
    for part in &mut parts {
        for (c, bucket) in std::mem::take(&mut part.buckets).into_iter().enumerate() {
            by_chunk[c].push(bucket);
        }
    }
    let rows: Vec<Rows> = by_chunk
        .into_par_iter()
        .enumerate()
        .map(|(c, buckets)| {
            let people = (c * chunk).min(n)..((c + 1) * chunk).min(n);
            gather_chunk(people.len(), &parts, &merged.globals, buckets)
        })
        .collect();
    drop(parts);

    // Rows back to back: chunk `c` fills the entries after those of the chunks before it.
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0u64);
    for r in &rows {
        for &len in &r.lengths {
            let last = offsets.last().copied().unwrap_or(0);
            offsets.push(last + len as u64);
        }
    }
    let total = offsets.last().copied().unwrap_or(0) as usize;
    let mut terms = vec![0u32; total];
    let mut counts = vec![0u32; total];
    // Per group of consecutive chunks (one group per thread): the chunks' rows written into
    // their slices of the final arrays, and the group's document frequencies and totals in its
    // own dense array ([`TermSums`]), summed afterwards (integer sums: the order does not
    // matter).
    let groups = threads.min(rows.len()).max(1);
    let mut jobs: Vec<Vec<RowsJob<'_>>> = Vec::with_capacity(groups);
    {
        let (mut t_rest, mut c_rest): (&mut [u32], &mut [u32]) = (&mut terms, &mut counts);
        let mut rows = rows.into_iter();
        for g in 0..groups {
            let mut job = Vec::new();
            for r in rows.by_ref().take(split(chunk_count, g, groups).len()) {
                let len = r.entries();
                let (t, tr) = std::mem::take(&mut t_rest).split_at_mut(len);
                let (k, kr) = std::mem::take(&mut c_rest).split_at_mut(len);
                t_rest = tr;
                c_rest = kr;
                job.push((r, t, k));
            }
            jobs.push(job);
        }
    }
    let partial: Vec<TermSums> = jobs
        .into_par_iter()
        .map(|job| {
            let mut sums = TermSums::new(vocabulary);
            for (r, t_out, c_out) in job {
                // The chunk holds one id per occurrence of its entries.
                sums.reserve(t_out.len() as u64, r.ids.len() as u64);
                let mut at = 0;
                for p in 0..r.lengths.len() {
                    for (t, k) in r.row(p) {
                        t_out[at] = t;
                        c_out[at] = k;
                        at += 1;
                        sums.count(t, k);
                    }
                }
            }
            sums
        })
        .collect();
    let mut people_with = vec![0u32; vocabulary];
    let mut totals = vec![0u64; vocabulary];
    for sums in &partial {
        sums.add_to(&mut people_with, &mut totals);
    }
    Extraction {
        vocabulary: merged.vocabulary,
        offsets,
        terms,
        counts,
        people_with,
        totals,
    }
}

/// A chunk's rows and the slices of the final term and count arrays they fill.
type RowsJob<'a> = (Rows, &'a mut [u32], &'a mut [u32]);

/// The global ids of every person of a chunk, each person's sorted: `ids[starts[p]..starts[p
/// + 1]]` for person `p` of the chunk, with `lengths[p]` distinct ids.
struct Rows {
    starts: Vec<usize>,
    ids: Vec<u32>,
    lengths: Vec<u32>,
}

impl Rows {
    /// Number of `(person, term)` entries.
    fn entries(&self) -> usize {
        self.lengths.iter().map(|&l| l as usize).sum()
    }

    /// The `(term, count)` entries of person `p` of the chunk, in term order.
    fn row(&self, p: usize) -> impl Iterator<Item = (u32, u32)> + '_ {
        let ids = match (self.starts.get(p), self.starts.get(p + 1)) {
            (Some(&a), Some(&b)) => &self.ids[a..b],
            _ => &[],
        };
        ids.chunk_by(|a, b| a == b)
            .map(|run| (run[0], run.len() as u32))
    }
}

/// Gathers the global ids of a chunk of `len` people from the runs of every part
/// (`buckets[i]` is part `i`'s), each person's together and sorted.
fn gather_chunk(len: usize, parts: &[Part], globals: &[Vec<u32>], buckets: Vec<Vec<u32>>) -> Rows {
    // Ids per person, then where each person's ids go.
    let mut starts = vec![0usize; len + 1];
    for bucket in &buckets {
        for_runs(bucket, |person, ids| starts[person + 1] += ids.len());
    }
    for p in 0..len {
        starts[p + 1] += starts[p];
    }
    let mut all = vec![0u32; starts[len]];
    let mut cursor = starts[..len].to_vec();
    for ((bucket, part), global) in buckets.iter().zip(parts).zip(globals) {
        for_runs(bucket, |person, ids| {
            let at = cursor[person];
            for (slot, &local) in all[at..at + ids.len()].iter_mut().zip(ids) {
                *slot = global[part.slot(local)];
            }
            cursor[person] = at + ids.len();
        });
    }
    drop(buckets);
    let lengths = (0..len)
        .map(|p| {
            let ids = &mut all[starts[p]..starts[p + 1]];
            ids.sort_unstable();
            ids.chunk_by(|a, b| a == b).count() as u32
        })
        .collect();
    Rows {
        starts,
        ids: all,
        lengths,
    }
}

/// A group's document frequencies and term totals, one 64-bit word per term (the frequency in
/// the low half, the total in the high half) so that counting an entry touches one cache line
/// rather than two; a group whose sums could overflow a half keeps them in two arrays.
enum TermSums {
    /// `frequency | total << 32` per term, and the entries and occurrences counted so far
    /// (bounds on every half).
    Packed(Vec<u64>, u64, u64),
    /// Frequencies and totals apart.
    Wide(Vec<u32>, Vec<u64>),
}

impl TermSums {
    /// Empty sums over `vocabulary` terms, packed.
    fn new(vocabulary: usize) -> Self {
        TermSums::Packed(vec![0; vocabulary], 0, 0)
    }

    /// Makes room for `entries` more entries with `occurrences` occurrences in all: no half
    /// can overflow while the group's entries and occurrences stay below 2^32; past that (never
    /// in practice), the sums move to two arrays.
    fn reserve(&mut self, entries: u64, occurrences: u64) {
        if let TermSums::Packed(sums, seen, total) = self {
            *seen += entries;
            *total += occurrences;
            let limit = u64::from(u32::MAX);
            if *seen > limit || *total > limit {
                let frequencies = sums.iter().map(|&s| s as u32).collect();
                let totals = sums.iter().map(|&s| s >> 32).collect();
                *self = TermSums::Wide(frequencies, totals);
            }
        }
    }

    /// Counts an entry: term `t`, `k` occurrences (after [`Self::reserve`] made room for it).
    #[inline]
    fn count(&mut self, t: u32, k: u32) {
        match self {
            TermSums::Packed(sums, ..) => sums[t as usize] += (u64::from(k) << 32) | 1,
            TermSums::Wide(frequencies, totals) => {
                frequencies[t as usize] += 1;
                totals[t as usize] += u64::from(k);
            }
        }
    }

    /// Adds these sums to `people_with` and `totals`.
    fn add_to(&self, people_with: &mut [u32], totals: &mut [u64]) {
        match self {
            TermSums::Packed(sums, ..) => {
                let split = sums
                    .len()
                    .div_ceil(rayon::current_num_threads().max(1))
                    .max(1);
                people_with
                    .par_chunks_mut(split)
                    .zip(totals.par_chunks_mut(split))
                    .zip(sums.par_chunks(split))
                    .for_each(|((pw, tot), s)| {
                        for ((a, b), &s) in pw.iter_mut().zip(tot.iter_mut()).zip(s) {
                            *a += s as u32;
                            *b += s >> 32;
                        }
                    });
            }
            TermSums::Wide(frequencies, sums) => {
                people_with
                    .par_iter_mut()
                    .zip(frequencies)
                    .for_each(|(a, b)| *a += b);
                totals.par_iter_mut().zip(sums).for_each(|(a, b)| *a += b);
            }
        }
    }
}

/// Calls `f(person, ids)` for every run `[person, n, n ids]` of a bucket.
#[inline]
fn for_runs(bucket: &[u32], mut f: impl FnMut(usize, &[u32])) {
    let mut at = 0;
    while let (Some(&person), Some(&len)) = (bucket.get(at), bucket.get(at + 1)) {
        let end = (at + 2 + len as usize).min(bucket.len());
        f(person as usize, &bucket[at + 2..end]);
        at = end;
    }
}

/// The vocabulary of a merge and every part's local → global ids.
struct Merged {
    vocabulary: Vocabulary,
    /// Per part, indexed by [`Part::slot`].
    globals: Vec<Vec<u32>>,
}

/// Merges the parts' sorted term lists (`sorted[c]` for part `c`) into the vocabulary.
///
/// The key space is cut at keys sampled from the longest list into ranges merged in parallel
/// (equal keys fall in one range, so each range numbers its own terms), each range's ids then
/// shifted by the number of terms of the ranges before it: the same ids as one merge.
fn merge_sorted(parts: &[Part], sorted: &[Vec<(u128, u32)>]) -> Merged {
    let longest = sorted.iter().map(Vec::len).max().unwrap_or(0);
    let ranges = (4 * rayon::current_num_threads()).clamp(1, longest.div_ceil(4096).max(1));
    let sample = sorted.iter().max_by_key(|l| l.len());
    let mut cuts: Vec<u128> = (1..ranges)
        .filter_map(|j| Some(sample?.get(longest * j / ranges)?.0))
        .collect();
    cuts.dedup();
    // Per range, per part: the segment of the part's list in the range.
    let bounds: Vec<Vec<std::ops::Range<usize>>> = (0..=cuts.len())
        .map(|j| {
            sorted
                .iter()
                .map(|list| {
                    let at = |j: usize| match cuts.get(j) {
                        Some(&cut) => list.partition_point(|e| e.0 < cut),
                        None => list.len(),
                    };
                    let start = if j == 0 { 0 } else { at(j - 1) };
                    start..at(j)
                })
                .collect()
        })
        .collect();
    let pieces: Vec<MergedRange> = bounds
        .par_iter()
        .map(|segments| {
            let lists: Vec<&[(u128, u32)]> = sorted
                .iter()
                .zip(segments)
                .map(|(list, r)| &list[r.clone()])
                .collect();
            merge_range(parts, &lists)
        })
        .collect();
    let mut bases = Vec::with_capacity(pieces.len());
    let mut kinds = Vec::new();
    let mut texts: Vec<Box<str>> = Vec::new();
    for piece in &pieces {
        bases.push(kinds.len() as u32);
        kinds.extend_from_slice(&piece.kinds);
    }
    texts.reserve(kinds.len());
    let mut ranks_of: Vec<Vec<Vec<u32>>> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        texts.extend(piece.texts);
        ranks_of.push(piece.ranks);
    }
    let globals: Vec<Vec<u32>> = parts
        .par_iter()
        .enumerate()
        .map(|(c, part)| {
            let mut global = vec![0; part.short.len() + part.long.len()];
            for ((ranks, segments), &base) in ranks_of.iter().zip(&bounds).zip(&bases) {
                let entries = &sorted[c][segments[c].clone()];
                for (&(_, local), &rank) in entries.iter().zip(&ranks[c]) {
                    global[part.slot(local)] = base + rank;
                }
            }
            global
        })
        .collect();
    Merged {
        vocabulary: Vocabulary { kinds, texts },
        globals,
    }
}

/// The terms of one range of keys: their kinds and texts in order, and per part the rank of
/// each entry of its segment among them.
struct MergedRange {
    kinds: Vec<TermKind>,
    texts: Vec<Box<str>>,
    ranks: Vec<Vec<u32>>,
}

/// A k-way merge of sorted segments (`lists[c]` of part `c`) by sort key; equal short keys
/// are one term, equal long keys are grouped and told apart by text.
fn merge_range(parts: &[Part], lists: &[&[(u128, u32)]]) -> MergedRange {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    let mut ranks: Vec<Vec<u32>> = lists.iter().map(|l| vec![0; l.len()]).collect();
    let mut kinds = Vec::new();
    let mut texts: Vec<Box<str>> = Vec::new();
    let mut cursor = vec![0usize; lists.len()];
    let mut heap: BinaryHeap<Reverse<(u128, usize)>> = lists
        .iter()
        .enumerate()
        .filter_map(|(ci, list)| Some(Reverse((list.first()?.0, ci))))
        .collect();
    // `(part, index in its segment)` of the entries of the current key.
    let mut group: Vec<(usize, usize)> = Vec::new();
    while let Some(&Reverse((key, _))) = heap.peek() {
        group.clear();
        while let Some(&Reverse((k, ci))) = heap.peek() {
            if k != key {
                break;
            }
            heap.pop();
            let list = lists[ci];
            let mut at = cursor[ci];
            while list.get(at).is_some_and(|e| e.0 == key) {
                group.push((ci, at));
                at += 1;
            }
            cursor[ci] = at;
            if let Some(&(next, _)) = list.get(at) {
                heap.push(Reverse((next, ci)));
            }
        }
        let mut new_term = |kind: TermKind, text: Box<str>| {
            kinds.push(kind);
            texts.push(text);
            (texts.len() - 1) as u32
        };
        if termkey::is_long(key) {
            // Long terms sharing their first bytes: ordered and told apart by text.
            let text_of = |&(ci, at): &(usize, usize)| parts[ci].long_text(lists[ci][at].1);
            group.sort_by(|a, b| text_of(a).cmp(text_of(b)).then(a.0.cmp(&b.0)));
            let mut previous: Option<&str> = None;
            let mut id = 0;
            for &(ci, at) in &group {
                let (kind, text) = parts[ci].long.get(lists[ci][at].1 & !LONG_ID);
                if previous != Some(text) {
                    id = new_term(kind, text.into());
                    previous = Some(text);
                }
                ranks[ci][at] = id;
            }
        } else {
            let (kind, text) = termkey::decode(key);
            let id = new_term(kind, text);
            for &(ci, at) in &group {
                ranks[ci][at] = id;
            }
        }
    }
    MergedRange {
        kinds,
        texts,
        ranks,
    }
}

/// Tokenises part `index` of `count` of every source (the same share of each source's
/// units) with its own dictionary, bucketing each unit's local ids by people chunk.
fn tokenize_part(
    tokenizer: &Tokenizer,
    sources: &[Source<'_>],
    index: usize,
    count: usize,
    chunk: usize,
    chunk_count: usize,
) -> Part {
    let mut reader = PartReader::new(tokenizer, chunk_count);
    for source in sources {
        for unit in split(source.units, index, count) {
            let Some(person) = (source.person)(unit) else {
                continue;
            };
            (source.fill)(unit, &mut reader);
            reader.end_unit(person / chunk, (person % chunk) as u32);
        }
    }
    Part {
        short: reader.short,
        long: reader.long,
        buckets: reader.buckets,
    }
}

/// A part being read: its dictionaries, the chunks of text it has met, its buckets, and the
/// local ids of the unit being read. A [`Source`] gives a unit's terms through its methods.
pub(crate) struct PartReader<'t> {
    tokenizer: &'t Tokenizer,
    /// Short terms: local id → exact key.
    short: KeyTable,
    /// Long terms: local id (without [`LONG_ID`]) → `(kind, text)`.
    long: Interner,
    /// The chunks of text met so far and their terms.
    chunks: ChunkMemo,
    /// Per people chunk: runs `[person − chunk start, n, n local ids]`, back to back.
    buckets: Vec<Vec<u32>>,
    /// The local ids of the unit being read (a place held for each pending term).
    unit: Vec<u32>,
    /// Short terms given one by one ([`Self::term`]): `(place in unit, key, hash)`, interned
    /// when the unit ends, after their table slots were prefetched, so that the cache misses
    /// of rare terms (handles, names) overlap.
    pending: Vec<(usize, u128, u64)>,
    /// The chunks of the text being read: `(start, end, key, hash)`, key 0 for a chunk too
    /// long to remember.
    chunk_keys: Vec<(usize, usize, u128, u64)>,
    /// The tokenizer's buffer.
    scratch: String,
    /// A term being assembled.
    term: String,
}

impl<'t> PartReader<'t> {
    /// An empty part with a bucket per people chunk.
    fn new(tokenizer: &'t Tokenizer, chunk_count: usize) -> Self {
        PartReader {
            tokenizer,
            short: KeyTable::default(),
            long: Interner::default(),
            chunks: ChunkMemo::default(),
            buckets: vec![Vec::new(); chunk_count],
            unit: Vec::new(),
            pending: Vec::new(),
            chunk_keys: Vec::new(),
            scratch: String::new(),
            term: String::new(),
        }
    }

    /// A term as it stands.
    pub(crate) fn term(&mut self, kind: TermKind, text: &str) {
        match termkey::short_key(kind, text) {
            Some(key) => {
                let h = termkey::key_hash(key);
                self.short.prefetch(h);
                self.pending.push((self.unit.len(), key, h));
                self.unit.push(0);
            }
            None => {
                let id = intern_now(&mut self.short, &mut self.long, kind, text);
                self.unit.push(id);
            }
        }
    }

    /// The words of `text` ([`Tokenizer::words_with`]): names and handles.
    pub(crate) fn words(&mut self, text: &str) {
        let tokenizer = self.tokenizer;
        let mut scratch = std::mem::take(&mut self.scratch);
        tokenizer.words_with(text, &mut scratch, &mut |kind, t| self.term(kind, t));
        self.scratch = scratch;
    }

    /// The terms of `text` ([`Tokenizer::text_with`]), read chunk by chunk: a short chunk
    /// met before gives the ids it gave then ([`ChunkMemo`]). The keys of the text's chunks
    /// are made first and their slots prefetched, then each is looked up. Returns where the
    /// terms are in the unit's ids.
    pub(crate) fn text(&mut self, text: &str) -> std::ops::Range<usize> {
        let start = self.unit.len();
        let mut chunks = std::mem::take(&mut self.chunk_keys);
        chunks.clear();
        let bytes = text.as_bytes();
        let memo = &self.chunks;
        Tokenizer::for_each_chunk(text, |a, b| {
            let key = termkey::chunk_key(bytes, a, b).unwrap_or(0);
            let hash = termkey::key_hash(key);
            if key != 0 {
                memo.prefetch(hash);
            }
            chunks.push((a, b, key, hash));
        });
        let mut scratch = std::mem::take(&mut self.scratch);
        // A chunk's text is sliced only when it is tokenised.
        let chunk = |a: usize, b: usize| text.get(a..b).unwrap_or_default();
        for &(a, b, key, hash) in &chunks {
            if key == 0 {
                self.tokenize_chunk(chunk(a, b), &mut scratch);
                continue;
            }
            match self.chunks.get(key, hash) {
                Some(outcome) => {
                    if !self.chunks.replay(outcome, &mut self.unit) {
                        self.tokenize_chunk(chunk(a, b), &mut scratch);
                    }
                }
                None => {
                    let from = self.unit.len();
                    self.tokenize_chunk(chunk(a, b), &mut scratch);
                    self.chunks.insert(key, hash, &self.unit[from..]);
                }
            }
        }
        self.scratch = scratch;
        self.chunk_keys = chunks;
        start..self.unit.len()
    }

    /// The terms of one whitespace-free chunk of text, through the tokenizer, interned at
    /// once.
    fn tokenize_chunk(&mut self, chunk: &str, scratch: &mut String) {
        let PartReader {
            tokenizer,
            short,
            long,
            unit,
            ..
        } = self;
        tokenizer.chunk_with(chunk, scratch, &mut |kind, t| {
            unit.push(intern_now(short, long, kind, t));
        });
    }

    /// A hashtag listed with a post (`#` or `＃` and spaces around it ignored, lower-cased),
    /// unless the post's text, whose ids are `unit[text]`, has it already: exports that give
    /// both do not count it twice.
    pub(crate) fn hashtag_unless_in(&mut self, tag: &str, text: std::ops::Range<usize>) {
        let tag = tag.trim().trim_start_matches(['#', '＃']);
        if tag.is_empty() {
            return;
        }
        let mut term = std::mem::take(&mut self.term);
        term.clear();
        if tag.is_ascii() {
            term.push_str(tag);
            term.make_ascii_lowercase();
        } else {
            term.push_str(&tag.to_lowercase());
        }
        let id = intern_now(&mut self.short, &mut self.long, TermKind::Hashtag, &term);
        if !self.unit.get(text).is_some_and(|ids| ids.contains(&id)) {
            self.unit.push(id);
        }
        self.term = term;
    }

    /// A categorical attribute: `prefix` (the column, lower-cased, and `:`) and the value,
    /// trimmed and lower-cased; an empty value gives nothing.
    pub(crate) fn attribute(&mut self, prefix: &str, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let mut term = std::mem::take(&mut self.term);
        term.clear();
        term.push_str(prefix);
        if value.is_ascii() {
            term.push_str(value);
            term.make_ascii_lowercase();
        } else {
            term.extend(value.chars().flat_map(char::to_lowercase));
        }
        self.term(TermKind::Attribute, &term);
        self.term = term;
    }

    /// Ends the unit: its pending terms interned, its ids appended to bucket `bucket` as runs
    /// of person `person` (of at most `u32::MAX` ids; a unit has far fewer in practice).
    fn end_unit(&mut self, bucket: usize, person: u32) {
        for &(_, _, h) in &self.pending {
            self.short.prefetch_candidate(h);
        }
        for &(at, key, h) in &self.pending {
            self.unit[at] = self.short.intern(key, h);
        }
        self.pending.clear();
        if let Some(bucket) = self.buckets.get_mut(bucket) {
            for run in self.unit.chunks(u32::MAX as usize) {
                bucket.reserve(run.len() + 2);
                bucket.push(person);
                bucket.push(run.len() as u32);
                bucket.extend_from_slice(run);
            }
        }
        self.unit.clear();
    }
}

/// The local id of a term, interned at once.
#[inline]
fn intern_now(short: &mut KeyTable, long: &mut Interner, kind: TermKind, text: &str) -> u32 {
    match termkey::short_key(kind, text) {
        Some(key) => short.intern(key, termkey::key_hash(key)),
        None => LONG_ID | long.intern_hashed(kind, text, hash(kind, text)),
    }
}

/// Checks that a partition or vector set describes as many people as the extraction.
pub(crate) fn same_people(
    what: &'static str,
    expected: usize,
    found: usize,
) -> Result<(), TopicsError> {
    if expected == found {
        Ok(())
    } else {
        Err(TopicsError::PeopleMismatch {
            what,
            expected,
            found,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contextivity_graph::people::People;
    use contextivity_graph::{BuildConfig, GraphBuilder, Post, Posts};

    #[test]
    fn posts_bio_names_and_attributes_feed_a_person() {
        let mut b = GraphBuilder::new(BuildConfig::default());
        let ana = b.node("ana").unwrap();
        let ben = b.node("ben").unwrap();
        b.add_follow(ana, ben, 1.0);
        let mut g = b.build().unwrap();
        g.posts = Posts::new(vec![
            Post {
                id: "1".into(),
                author: ana,
                text: "Solar #Energy https://example.org/a".into(),
                hashtags: vec!["energy".into(), "#Climate".into()],
                ..Post::default()
            },
            Post {
                id: "2".into(),
                author: ana,
                text: "more solar".into(),
                ..Post::default()
            },
        ]);
        g.people = People::from_triples(vec![
            (BIO.into(), 0, "Engineer at @acme".into()),
            (NAME.into(), 0, "Ana Lima".into()),
            (HANDLE.into(), 0, "#ana_l".into()),
            (FOLLOWERS_COUNT.into(), 0, "1200".into()),
            (
                "education;school;id".into(),
                0,
                "anonymized feature 538".into(),
            ),
            ("value".into(), 0, "left".into()),
            ("value".into(), 1, "right".into()),
        ]);
        let config = ExtractConfig {
            skip_columns: vec!["value".into()],
            ..ExtractConfig::default()
        };
        let e = extract(&g, &config);
        let voc = e.vocabulary();
        let row: Vec<(String, u32)> = {
            let (t, c) = e.row(0);
            t.iter()
                .zip(c)
                .map(|(&t, &c)| (voc.display(t), c))
                .collect()
        };
        let expect: Vec<(String, u32)> = [
            ("#climate", 1),
            ("#energy", 1), // in the text and the list of the same post: once
            ("@acme", 1),
            ("example.org", 1),
            ("ana", 1),
            ("ana_l", 1),
            ("engineer", 1),
            ("lima", 1),
            ("solar", 2),
            ("education;school;id:anonymized feature 538", 1),
        ]
        .iter()
        .map(|(t, c)| (t.to_string(), *c))
        .collect();
        assert_eq!(row, expect);
        assert_eq!(e.row(1).0.len(), 0);
        assert_eq!(e.documents(), 1);
        assert_eq!(e.total(voc.find(TermKind::Word, "solar").unwrap()), 2);
        assert_eq!(e.people_with(voc.find(TermKind::Word, "solar").unwrap()), 1);
        assert_eq!(voc.find(TermKind::Attribute, "value:left"), None);
    }

    /// A hashtag listed with a post counts once when the post's text has it, also when the
    /// text's chunks were remembered from an earlier post, and for hashtags too long to pack.
    #[test]
    fn listed_hashtags_count_once_with_remembered_chunks() {
        let mut b = GraphBuilder::new(BuildConfig::default());
        let ana = b.node("ana").unwrap();
        let ben = b.node("ben").unwrap();
        let mut g = b.build().unwrap();
        let long = "#AVeryLongHashtagIndeed";
        let post = |id: &str, author, text: &str, tags: &[&str]| Post {
            id: id.into(),
            author,
            text: text.into(),
            hashtags: tags.iter().map(|t| (*t).into()).collect(),
            ..Post::default()
        };
        g.posts = Posts::new(vec![
            post("1", ana, "#Energy solar", &["energy"]),
            post("2", ana, "#Energy solar", &["#ENERGY", "grid"]),
            post("3", ben, "solar", &["＃Energy", " "]),
            post("4", ben, &format!("{long} solar"), &[&long[1..]]),
            post("5", ben, "solar,#Energy", &["energy"]),
        ]);
        let e = extract(&g, &ExtractConfig::default());
        let voc = e.vocabulary();
        let row = |p: usize| -> Vec<(String, u32)> {
            let (t, c) = e.row(p);
            t.iter()
                .zip(c)
                .map(|(&t, &c)| (voc.display(t), c))
                .collect()
        };
        let expect = |pairs: &[(&str, u32)]| -> Vec<(String, u32)> {
            pairs.iter().map(|(t, c)| (t.to_string(), *c)).collect()
        };
        assert_eq!(
            row(0),
            expect(&[("#energy", 2), ("#grid", 1), ("solar", 2)])
        );
        assert_eq!(
            row(1),
            expect(&[("#averylonghashtagindeed", 1), ("#energy", 2), ("solar", 3)])
        );
    }

    /// The extraction by definition: the sorted distinct terms are the vocabulary, each row
    /// counts its person's terms, in term order.
    fn reference(people: &[Vec<(TermKind, String)>]) -> Extraction {
        use std::collections::BTreeMap;
        let all: std::collections::BTreeSet<(TermKind, &str)> = people
            .iter()
            .flatten()
            .map(|(k, t)| (*k, t.as_str()))
            .collect();
        let id: BTreeMap<(TermKind, &str), u32> = all
            .iter()
            .enumerate()
            .map(|(i, &t)| (t, i as u32))
            .collect();
        let mut e = Extraction {
            vocabulary: Vocabulary {
                kinds: all.iter().map(|t| t.0).collect(),
                texts: all.iter().map(|t| t.1.into()).collect(),
            },
            offsets: vec![0],
            people_with: vec![0; all.len()],
            totals: vec![0; all.len()],
            ..Extraction::default()
        };
        for terms in people {
            let mut row: BTreeMap<u32, u32> = BTreeMap::new();
            for (k, t) in terms {
                *row.entry(id[&(*k, t.as_str())]).or_default() += 1;
            }
            for (t, c) in row {
                e.terms.push(t);
                e.counts.push(c);
                e.people_with[t as usize] += 1;
                e.totals[t as usize] += c as u64;
            }
            e.offsets.push(e.terms.len() as u64);
        }
        e
    }

    /// Random people over terms of every kind, short and long (longer than a packed key, many
    /// sharing their first bytes), with NUL bytes, non-ASCII text and empty texts.
    fn random_people(count: usize, seed: u64) -> Vec<Vec<(TermKind, String)>> {
        let mut rng = contextivity_graph::Rng::new(seed);
        let mut next = |m: usize| rng.below(m as u64) as usize;
        let stems = ["", "a", "ab", "\u{0}", "solar", "é", "東京", "x\u{0}y"];
        let long = "a-common-prefix-of-many-terms";
        (0..count)
            .map(|_| {
                let len = next(40);
                (0..len)
                    .map(|_| {
                        let kind = TermKind::ALL[next(5)];
                        let stem = stems[next(stems.len())];
                        let text = match next(4) {
                            0 => format!("{stem}{}", next(50)),
                            1 => format!("{}{stem}{}", &long[..next(long.len())], next(3)),
                            2 => format!("w{}", next(30_000)),
                            _ => stem.to_string(),
                        };
                        (kind, text)
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn extraction_equals_the_sequential_reference_at_any_thread_count() {
        for (count, seed) in [(0, 1), (7, 2), (3000, 3), (5000, 4)] {
            let people = random_people(count, seed);
            let expected = reference(&people);
            for threads in [1, 2, 3, 8] {
                let got = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap()
                    .install(|| Extraction::from_terms(&people));
                assert_eq!(got, expected, "{count} people, {threads} threads");
            }
        }
    }

    /// Posts read in storage order and counted by author give every person the terms of their
    /// own posts, bio and handle — the extraction of those terms listed person by person — at
    /// any thread count, over several chunks of people and several parts.
    #[test]
    fn posts_in_storage_order_count_for_their_authors_at_any_thread_count() {
        let n = 3000;
        let mut b = GraphBuilder::new(BuildConfig::default());
        for p in 0..n {
            b.node(&format!("p{p}")).unwrap();
        }
        let mut g = b.build().unwrap();
        let mut rng = contextivity_graph::Rng::new(0x2545_f491_4f6c_dd1d);
        let mut next = |m: usize| rng.below(m as u64) as usize;
        let words = [
            "solar",
            "Wind",
            "#Energy",
            "@ana",
            "https://www.Example.org/x",
            "café",
            "東京の",
            "the",
            "a-very-long-word-beyond-a-key",
            "grid🔥",
            "x",
        ];
        let posts: Vec<Post> = (0..12_000)
            .map(|i| {
                let len = next(12);
                let text: Vec<&str> = (0..len).map(|_| words[next(words.len())]).collect();
                Post {
                    id: i.to_string().into(),
                    author: contextivity_graph::NodeId(next(n) as u32),
                    text: text.join(" ").into(),
                    ..Post::default()
                }
            })
            .collect();
        let mut triples = Vec::new();
        for p in 0..n {
            triples.push((HANDLE.to_string(), p as u32, format!("h{}", p % 97).into()));
            if p % 3 == 0 {
                triples.push((BIO.to_string(), p as u32, words[p % words.len()].into()));
            }
        }
        g.people = People::from_triples(triples);
        // By definition: each person's posts in storage order, then bio and handle.
        let tokenizer = Tokenizer::default();
        let mut people: Vec<Vec<(TermKind, String)>> = vec![Vec::new(); n];
        for post in &posts {
            people[post.author.index()].extend(tokenizer.tokens(&post.text));
        }
        for (p, terms) in people.iter_mut().enumerate() {
            if p % 3 == 0 {
                terms.extend(tokenizer.tokens(words[p % words.len()]));
            }
            tokenizer.words(&format!("h{}", p % 97), &mut |k, t| {
                terms.push((k, t.to_string()))
            });
        }
        g.posts = Posts::new(posts);
        let expected = Extraction::from_terms(&people);
        for threads in [1, 2, 3, 8] {
            let got = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| extract(&g, &ExtractConfig::default()));
            assert_eq!(got, expected, "{threads} threads");
        }
    }

    /// Packed sums give the plain frequencies and totals, and switch to two arrays, losing
    /// nothing, when a total would overflow its half.
    #[test]
    fn term_sums_match_plain_counting_and_survive_overflow() {
        let mut rng = contextivity_graph::Rng::new(7);
        let vocabulary = 50;
        let mut sums = TermSums::new(vocabulary);
        let (mut frequencies, mut totals) = (vec![0u32; vocabulary], vec![0u64; vocabulary]);
        let check = |sums: &TermSums, frequencies: &[u32], totals: &[u64]| {
            let (mut f, mut t) = (vec![1u32; vocabulary], vec![2u64; vocabulary]);
            sums.add_to(&mut f, &mut t);
            let f: Vec<u32> = f.iter().map(|x| x - 1).collect();
            let t: Vec<u64> = t.iter().map(|x| x - 2).collect();
            assert_eq!((f.as_slice(), t.as_slice()), (frequencies, totals));
        };
        for round in 0..4 {
            let len = rng.below(200) as usize;
            let terms: Vec<u32> = (0..len)
                .map(|_| rng.below(vocabulary as u64) as u32)
                .collect();
            // Huge counts in the last rounds: totals pass 2^32.
            let big = if round >= 2 { u32::MAX / 3 } else { 0 };
            let counts: Vec<u32> = (0..len).map(|_| big + 1 + rng.below(9) as u32).collect();
            for (&t, &k) in terms.iter().zip(&counts) {
                frequencies[t as usize] += 1;
                totals[t as usize] += u64::from(k);
            }
            let occurrences = counts.iter().map(|&c| u64::from(c)).sum();
            sums.reserve(len as u64, occurrences);
            for (&t, &k) in terms.iter().zip(&counts) {
                sums.count(t, k);
            }
            check(&sums, &frequencies, &totals);
        }
        assert!(matches!(sums, TermSums::Wide(..)));
        assert!(totals.iter().any(|&t| t > u64::from(u32::MAX)));
    }

    #[test]
    fn ids_follow_sorted_vocabulary_whatever_the_chunking() {
        // Enough people for several chunks, terms assigned in an order unrelated to ids.
        let people: Vec<Vec<(TermKind, String)>> = (0..5000)
            .map(|p| {
                vec![
                    (TermKind::Word, format!("w{}", (p * 7919) % 313)),
                    (TermKind::Hashtag, format!("h{}", p % 17)),
                    (TermKind::Word, format!("w{}", (p * 7919) % 313)),
                ]
            })
            .collect();
        let e = Extraction::from_terms(&people);
        let voc = e.vocabulary();
        for t in 1..voc.len() as u32 {
            assert!((voc.kind(t - 1), voc.text(t - 1)) < (voc.kind(t), voc.text(t)));
        }
        assert_eq!(voc.kind(0), TermKind::Hashtag);
        let (terms, counts) = e.row(1);
        assert_eq!(terms.len(), 2);
        assert_eq!(voc.display(terms[0]), "#h1");
        assert_eq!(voc.display(terms[1]), format!("w{}", 7919 % 313));
        assert_eq!(counts, &[1, 2]);
        let single = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| Extraction::from_terms(&people));
        assert_eq!(single, e);
    }
}
