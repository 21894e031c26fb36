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
//! **Design.** People are tokenised in parallel, in chunks of consecutive people, in three
//! steps that never compare or copy a term's text in the common case:
//!
//! 1. *Per chunk, per token.* A term of at most 14 bytes (nearly all of
//!    them) is packed into an exact, order-preserving 128-bit key (kind, bytes, length) and
//!    looked up in the chunk's key table (8-byte slots, then one two-word comparison with
//!    the key stored by id); longer terms go to an interner over a byte arena. Each person's
//!    keys are looked up in a batch after their slots were prefetched. Counts are kept without
//!    sorting: per local id, where its entry of the current row is, how many of the chunk's
//!    people use it and how often it occurs. Posts are read by author through a compact
//!    per-author copy of each post's text and hashtag references (one pass over the posts in
//!    storage order), so only the texts themselves are read at random places, and those are
//!    prefetched two people ahead; person columns are laid out by person once, not searched.
//! 2. *Merge.* Each chunk sorts its distinct keys (in parallel); one k-way merge of those
//!    sorted streams numbers the distinct terms in `(kind, text)` order — key order is that
//!    order, long terms of one key are told apart by text — and sums the chunks' document
//!    frequencies and totals per term, so no pass over every entry is needed for them.
//! 3. *Rows.* Every chunk maps its rows to global ids and sorts them, in parallel, straight
//!    into the final arrays.
//!
//! **Determinism.** Term ids are ranks in the sorted vocabulary; neither the chunking, the
//! thread count nor hash order reaches the result (a test compares the extraction with a
//! simple sequential reference at several thread counts).
//!
//! Cost: `O(text + T log T)` work for `T` distinct `(chunk, term)` pairs, plus a sort of each
//! row, run on all threads, the merge itself sequential (`O(T log chunks)`); memory
//! `O(entries + vocabulary)` and a copy of two references per post.
//!
//! [`Post::text`]: contextivity_graph::Post::text
//! [`Post::hashtags`]: contextivity_graph::Post::hashtags

use contextivity_graph::people::{AttributeColumn, BIO, FOLLOWERS_COUNT, HANDLE, NAME};
use contextivity_graph::SocialGraph;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::TopicsError;
use crate::fxhash::{hash, Interner};
use crate::termkey::{self, KeyTable};
use crate::tfidf::prefetch;
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
        build(people.len(), |p, _, out| {
            for (k, t) in &people[p] {
                out(*k, t.as_ref());
            }
        })
    }
}

/// Counts the terms of every person of `graph` (see the module documentation).
pub fn extract(graph: &SocialGraph, config: &ExtractConfig) -> Extraction {
    let n = graph.node_count();
    let tokenizer = Tokenizer::new(&config.tokenizer);
    let (post_offsets, posts) = if config.posts {
        posts_by_author(graph, n)
    } else {
        (vec![0; n + 1], Vec::new())
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
    build(n, |p, scratch, out| {
        let Scratch { text, seen, term } = scratch;
        // Posts are read by author, their texts at random places of the export: prefetch the
        // texts of the person after next (their addresses are in `posts`, read in order).
        let of = |q: usize| match (post_offsets.get(q), post_offsets.get(q + 1)) {
            (Some(&a), Some(&b)) => &posts[a..b],
            _ => &[],
        };
        for post in of(p + 2) {
            prefetch(post.text.as_bytes(), 0);
            prefetch(post.text.as_bytes(), 64);
        }
        for post in of(p) {
            if post.hashtags.is_empty() {
                tokenizer.text_with(post.text, text, out);
                continue;
            }
            // Hashtags of the text, back to back in `seen`, since the post also lists some.
            seen.clear();
            tokenizer.text_with(post.text, text, &mut |k, t| {
                if k == TermKind::Hashtag {
                    seen.push_str(t);
                    seen.push(' ');
                }
                out(k, t);
            });
            for tag in post.hashtags {
                let tag = tag.trim().trim_start_matches(['#', '＃']);
                term.clear();
                if tag.is_ascii() {
                    term.push_str(tag);
                    term.make_ascii_lowercase();
                } else {
                    term.push_str(&tag.to_lowercase());
                }
                let already = seen.split_terminator(' ').any(|s| s == term.as_str());
                if !term.is_empty() && !already {
                    out(TermKind::Hashtag, term);
                }
            }
        }
        if let Some(col) = &bio {
            for t in col.get(p) {
                tokenizer.text_with(t, text, out);
            }
        }
        for col in &names {
            for t in col.get(p) {
                tokenizer.words_with(t, text, out);
            }
        }
        for (prefix, col) in &columns {
            for value in col.get(p) {
                let value = value.trim();
                if value.is_empty() {
                    continue;
                }
                term.clear();
                term.push_str(prefix);
                if value.is_ascii() {
                    term.push_str(value);
                    term.make_ascii_lowercase();
                } else {
                    term.extend(value.chars().flat_map(char::to_lowercase));
                }
                out(TermKind::Attribute, term);
            }
        }
    })
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

/// What extraction reads of a post.
#[derive(Clone, Copy)]
struct PostRef<'a> {
    text: &'a str,
    hashtags: &'a [Box<str>],
}

/// The posts of each author as a CSR: `(offsets, posts)`, in input order per author; posts by an
/// unknown author are left out. One pass in storage order copies the few words extraction needs
/// of each post, so that tokenising by author reads these in order and jumps only to the texts.
fn posts_by_author(graph: &SocialGraph, n: usize) -> (Vec<usize>, Vec<PostRef<'_>>) {
    let posts = graph.posts.as_slice();
    let mut offsets = vec![0usize; n + 1];
    for post in posts {
        if let Some(slot) = offsets.get_mut(post.author.index() + 1) {
            *slot += 1;
        }
    }
    for p in 0..n {
        offsets[p + 1] += offsets[p];
    }
    let mut cursor = offsets[..n].to_vec();
    let empty = PostRef {
        text: "",
        hashtags: &[],
    };
    let mut refs = vec![empty; offsets[n]];
    for post in posts {
        if let Some(at) = cursor.get_mut(post.author.index()) {
            refs[*at] = PostRef {
                text: &post.text,
                hashtags: &post.hashtags,
            };
            *at += 1;
        }
    }
    (offsets, refs)
}

/// Buffers reused across the people of a chunk.
#[derive(Default)]
pub(crate) struct Scratch {
    /// The tokenizer's buffer.
    text: String,
    /// The hashtags of the current post's text, each followed by a space.
    seen: String,
    /// A term being assembled.
    term: String,
}

/// The tag of a long term's local id in a chunk's rows: long terms (more than
/// [`termkey::SHORT_MAX`] bytes) are interned by text, apart from the short keys.
const LONG_ID: u32 = 1 << 31;

/// One chunk of people after tokenising: its distinct terms, their counts, and rows of local
/// ids.
struct Chunk {
    /// Short terms: local id → exact key.
    short: KeyTable,
    /// Long terms: local id (without [`LONG_ID`]) → `(kind, text)`.
    long: Interner,
    /// Per local id (short terms, then long ones): the number of the chunk's people using it
    /// and its occurrences, so that document frequencies and totals are summed per distinct
    /// term at the merge instead of over every entry.
    people_with: Vec<u32>,
    /// See `people_with`.
    totals: Vec<u64>,
    /// Row lengths of the chunk's people.
    lengths: Vec<u32>,
    /// `(local id, count)` entries, rows back to back, in first-seen order within a row.
    entries: Vec<(u32, u32)>,
}

/// Counts the terms of a chunk's people by local id, without sorting: where each id's entry
/// of the current row is, and per id the number of people using it and its occurrences (side
/// by side, so that counting an occurrence touches one cache line).
#[derive(Default)]
struct Tally {
    /// By local id (grown as ids appear).
    ids: Vec<IdTally>,
}

/// One id's line of a [`Tally`].
#[derive(Clone, Copy, Default)]
struct IdTally {
    /// Index + 1 of the id's latest entry (of the current row if not before the row's start).
    at: usize,
    /// Occurrences in the chunk.
    total: u64,
    /// People of the chunk using it.
    people: u32,
}

impl Tally {
    /// Counts one occurrence of `id` (written `tagged` in the entries) in the row starting at
    /// entry `row`.
    #[inline]
    fn add(&mut self, id: u32, tagged: u32, row: usize, entries: &mut Vec<(u32, u32)>) {
        let i = id as usize;
        if i >= self.ids.len() {
            let len = (i + 1).max(2 * self.ids.len());
            self.ids.resize(len, IdTally::default());
        }
        let t = &mut self.ids[i];
        match entries.get_mut(t.at.wrapping_sub(1)) {
            Some(entry) if t.at > row => entry.1 += 1,
            _ => {
                entries.push((tagged, 1));
                t.at = entries.len();
                t.people += 1;
            }
        }
        t.total += 1;
    }

    /// The people and occurrences of ids `0..len`, appended to `people` and `totals`.
    fn drain_into(mut self, len: usize, people: &mut Vec<u32>, totals: &mut Vec<u64>) {
        self.ids.resize(len, IdTally::default());
        people.extend(self.ids.iter().map(|t| t.people));
        totals.extend(self.ids.iter().map(|t| t.total));
    }
}

impl Chunk {
    /// The index of a local id in `people_with` and `totals` (short ids first).
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

/// The smallest chunk of people tokenised with one dictionary.
const MIN_CHUNK: usize = 1024;

/// Tokenises people `0..n` with `fill` and assembles the deterministic extraction.
pub(crate) fn build<F>(n: usize, fill: F) -> Extraction
where
    F: Fn(usize, &mut Scratch, &mut dyn FnMut(TermKind, &str)) + Sync,
{
    let size = n
        .div_ceil(4 * rayon::current_num_threads().max(1))
        .max(MIN_CHUNK);
    let starts: Vec<usize> = (0..n).step_by(size).collect();
    let chunks: Vec<Chunk> = starts
        .par_iter()
        .map(|&s| tokenize_chunk(s..(s + size).min(n), &fill))
        .collect();

    // Each chunk's distinct terms sorted by sort key (long terms of one key by text), then one
    // merge of those sorted streams numbers the terms in `(kind, text)` order and maps every
    // local id to its global id.
    let sorted: Vec<Vec<(u128, u32)>> = chunks
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
    let merged = merge_sorted(&chunks, &sorted);
    drop(sorted);

    // Rows in global ids, sorted, written in place: chunk `c` fills the entries after those
    // of the chunks before it.
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0u64);
    for c in &chunks {
        for &len in &c.lengths {
            let last = offsets.last().copied().unwrap_or(0);
            offsets.push(last + len as u64);
        }
    }
    let total = offsets.last().copied().unwrap_or(0) as usize;
    let mut terms = vec![0u32; total];
    let mut counts = vec![0u32; total];
    let mut jobs = Vec::with_capacity(chunks.len());
    {
        let (mut t_rest, mut c_rest): (&mut [u32], &mut [u32]) = (&mut terms, &mut counts);
        for (c, global) in chunks.iter().zip(&merged.globals) {
            let (t, tr) = std::mem::take(&mut t_rest).split_at_mut(c.entries.len());
            let (k, kr) = std::mem::take(&mut c_rest).split_at_mut(c.entries.len());
            t_rest = tr;
            c_rest = kr;
            jobs.push((c, global, t, k));
        }
    }
    jobs.into_par_iter().for_each(|(c, global, t_out, c_out)| {
        let mut at = 0usize;
        // `(global id, count)` packed in one integer: one comparison per step of the sort.
        let mut row: Vec<u64> = Vec::new();
        for &len in &c.lengths {
            let end = at + len as usize;
            row.clear();
            row.extend(
                c.entries[at..end]
                    .iter()
                    .map(|&(l, k)| (global[c.slot(l)] as u64) << 32 | k as u64),
            );
            row.sort_unstable();
            for (i, &e) in row.iter().enumerate() {
                t_out[at + i] = (e >> 32) as u32;
                c_out[at + i] = e as u32;
            }
            at = end;
        }
    });
    drop(chunks);
    Extraction {
        vocabulary: merged.vocabulary,
        offsets,
        terms,
        counts,
        people_with: merged.people_with,
        totals: merged.totals,
    }
}

/// The vocabulary of a merge, its statistics, and every chunk's local → global ids.
struct Merged {
    vocabulary: Vocabulary,
    people_with: Vec<u32>,
    totals: Vec<u64>,
    /// Per chunk, indexed by [`Chunk::slot`].
    globals: Vec<Vec<u32>>,
}

/// Merges the chunks' sorted term lists (`sorted[c]` for chunk `c`) into the vocabulary:
/// a k-way merge by sort key; equal short keys are one term, equal long keys are grouped and
/// told apart by text.
fn merge_sorted(chunks: &[Chunk], sorted: &[Vec<(u128, u32)>]) -> Merged {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    let mut globals: Vec<Vec<u32>> = chunks
        .iter()
        .map(|c| vec![0; c.short.len() + c.long.len()])
        .collect();
    let mut kinds = Vec::new();
    let mut texts: Vec<Box<str>> = Vec::new();
    let mut people_with = Vec::new();
    let mut totals = Vec::new();
    let mut cursor = vec![0usize; sorted.len()];
    let mut heap: BinaryHeap<Reverse<(u128, usize)>> = sorted
        .iter()
        .enumerate()
        .filter_map(|(ci, list)| Some(Reverse((list.first()?.0, ci))))
        .collect();
    // `(chunk, local id)` of the current key.
    let mut group: Vec<(usize, u32)> = Vec::new();
    while let Some(&Reverse((key, _))) = heap.peek() {
        group.clear();
        while let Some(&Reverse((k, ci))) = heap.peek() {
            if k != key {
                break;
            }
            heap.pop();
            let list = &sorted[ci];
            let mut at = cursor[ci];
            while let Some(&(_, local)) = list.get(at).filter(|e| e.0 == key) {
                group.push((ci, local));
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
            group.sort_by(|a, b| {
                let (ta, tb) = (chunks[a.0].long_text(a.1), chunks[b.0].long_text(b.1));
                ta.cmp(tb).then(a.0.cmp(&b.0))
            });
            let mut previous: Option<&str> = None;
            let mut id = 0;
            for &(ci, local) in &group {
                let c = &chunks[ci];
                let (kind, text) = c.long.get(local & !LONG_ID);
                if previous != Some(text) {
                    id = new_term(kind, text.into());
                    people_with.push(0u32);
                    totals.push(0u64);
                    previous = Some(text);
                }
                let slot = c.slot(local);
                globals[ci][slot] = id;
                people_with[id as usize] += c.people_with[slot];
                totals[id as usize] += c.totals[slot];
            }
        } else {
            let (kind, text) = termkey::decode(key);
            let id = new_term(kind, text);
            people_with.push(0u32);
            totals.push(0u64);
            for &(ci, local) in &group {
                let c = &chunks[ci];
                let slot = c.slot(local);
                globals[ci][slot] = id;
                people_with[id as usize] += c.people_with[slot];
                totals[id as usize] += c.totals[slot];
            }
        }
    }
    Merged {
        vocabulary: Vocabulary { kinds, texts },
        people_with,
        totals,
        globals,
    }
}

/// Tokenises the people of `range` into a chunk with its own dictionary.
fn tokenize_chunk<F>(range: std::ops::Range<usize>, fill: &F) -> Chunk
where
    F: Fn(usize, &mut Scratch, &mut dyn FnMut(TermKind, &str)) + Sync,
{
    let mut short = KeyTable::default();
    let mut long = Interner::default();
    let mut lengths = Vec::with_capacity(range.len());
    let mut entries: Vec<(u32, u32)> = Vec::new();
    let mut scratch = Scratch::default();
    let mut short_tally = Tally::default();
    let mut long_tally = Tally::default();
    // A person's terms are interned in a batch, in the order given: each short key's slot is
    // prefetched when the tokenizer gives it, then the keys are interned, so that the table's
    // cache misses overlap (ids stay in first-seen order). Long terms (rare) are copied aside.
    let mut batch: Vec<(u128, u64)> = Vec::new();
    let mut long_batch: Vec<(TermKind, usize, usize, u64)> = Vec::new();
    let mut texts = String::new();
    for p in range {
        batch.clear();
        long_batch.clear();
        texts.clear();
        fill(
            p,
            &mut scratch,
            &mut |kind, text| match termkey::short_key(kind, text) {
                Some(key) => {
                    let h = termkey::key_hash(key);
                    short.prefetch(h);
                    batch.push((key, h));
                }
                None => {
                    let h = hash(kind, text);
                    let start = texts.len();
                    texts.push_str(text);
                    long_batch.push((kind, start, texts.len(), h));
                }
            },
        );
        for &(_, h) in &batch {
            short.prefetch_candidate(h);
        }
        let row = entries.len();
        for &(key, h) in &batch {
            let id = short.intern(key, h);
            short_tally.add(id, id, row, &mut entries);
        }
        for &(kind, a, b, h) in &long_batch {
            let text = texts.get(a..b).unwrap_or_default();
            let id = long.intern_hashed(kind, text, h);
            long_tally.add(id, LONG_ID | id, row, &mut entries);
        }
        lengths.push((entries.len() - row) as u32);
    }
    // Statistics by slot: short ids, then long ones.
    let mut people_with = Vec::with_capacity(short.len() + long.len());
    let mut totals = Vec::with_capacity(short.len() + long.len());
    short_tally.drain_into(short.len(), &mut people_with, &mut totals);
    long_tally.drain_into(long.len(), &mut people_with, &mut totals);
    Chunk {
        short,
        long,
        people_with,
        totals,
        lengths,
        entries,
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
        let mut state = seed | 1;
        let mut next = |m: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m as u64) as usize
        };
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
