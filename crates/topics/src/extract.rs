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
//! **Determinism.** People are tokenised in parallel, in chunks, each chunk with its own
//! dictionary (an interner over a byte arena: no allocation per term); the chunk dictionaries
//! are merged into one vocabulary sorted by `(kind, text)`, and term ids are ranks in that
//! order. Neither the chunking nor hash order reaches the result, so every thread count gives
//! the same ids and rows.
//!
//! Cost: `O(text + T log T)` work for `T` distinct `(chunk, term)` pairs (the merge sort), run on
//! all threads; memory `O(entries + vocabulary)`. At a million people the dictionaries and the
//! posts (read by author, at random places of the export) no longer fit in cache: each person's
//! terms are interned in a batch after their dictionary slots were prefetched, and the next
//! people's posts are prefetched while one person is tokenised, so that the misses overlap.
//!
//! [`Post::text`]: contextivity_graph::Post::text
//! [`Post::hashtags`]: contextivity_graph::Post::hashtags

use contextivity_graph::people::{AttributeColumn, BIO, FOLLOWERS_COUNT, HANDLE, NAME};
use contextivity_graph::{NodeId, SocialGraph};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::TopicsError;
use crate::fxhash::{hash, Interner};
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
    let (post_offsets, post_ids) = if config.posts {
        posts_by_author(graph, n)
    } else {
        (vec![0; n + 1], Vec::new())
    };
    let posts = graph.posts.as_slice();
    let people = &graph.people;
    let free_text = [BIO, NAME, HANDLE, FOLLOWERS_COUNT];
    let columns: Vec<(&str, &AttributeColumn)> = if config.attributes {
        people
            .columns()
            .iter()
            .filter(|(name, _)| {
                !free_text.contains(&name.as_str()) && !config.skip_columns.contains(name)
            })
            .map(|(name, col)| (name.as_str(), col))
            .collect()
    } else {
        Vec::new()
    };
    let bio = people.column(BIO).filter(|_| config.bio);
    let names: Vec<&AttributeColumn> = [NAME, HANDLE]
        .iter()
        .filter(|_| config.names)
        .filter_map(|c| people.column(c))
        .collect();
    build(n, |p, scratch, out| {
        let node = NodeId(p as u32);
        let Scratch { text, seen, term } = scratch;
        // Posts are read by author, at random places of the export: prefetch the posts of the
        // person after next, and the texts of the next person's posts.
        let of = |q: usize| match (post_offsets.get(q), post_offsets.get(q + 1)) {
            (Some(&a), Some(&b)) => &post_ids[a..b],
            _ => &[],
        };
        for &i in of(p + 2) {
            prefetch(posts, i as usize);
        }
        for &i in of(p + 1) {
            if let Some(post) = posts.get(i as usize) {
                prefetch(post.text.as_bytes(), 0);
                prefetch(post.text.as_bytes(), 64);
            }
        }
        for &i in &post_ids[post_offsets[p]..post_offsets[p + 1]] {
            let post = &posts[i as usize];
            // Hashtags of the text, back to back in `seen`, when the post also lists some.
            seen.clear();
            let listed = !post.hashtags.is_empty();
            tokenizer.text_with(&post.text, text, &mut |k, t| {
                if listed && k == TermKind::Hashtag {
                    seen.push_str(t);
                    seen.push(' ');
                }
                out(k, t);
            });
            for tag in &post.hashtags {
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
        if let Some(col) = bio {
            for t in col.get(node) {
                tokenizer.text_with(t, text, out);
            }
        }
        for col in &names {
            for t in col.get(node) {
                tokenizer.words_with(t, text, out);
            }
        }
        for (name, col) in &columns {
            for value in col.get(node) {
                let value = value.trim();
                if value.is_empty() {
                    continue;
                }
                term.clear();
                term.extend(name.chars().flat_map(char::to_lowercase));
                term.push(':');
                term.extend(value.chars().flat_map(char::to_lowercase));
                out(TermKind::Attribute, term);
            }
        }
    })
}

/// The posts of each author as a CSR: `(offsets, post indices)`, in input order per author;
/// posts by an unknown author are left out.
fn posts_by_author(graph: &SocialGraph, n: usize) -> (Vec<usize>, Vec<u32>) {
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
    let mut ids = vec![0u32; offsets[n]];
    for (i, post) in posts.iter().enumerate() {
        if let Some(at) = cursor.get_mut(post.author.index()) {
            ids[*at] = i as u32;
            *at += 1;
        }
    }
    (offsets, ids)
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

/// One chunk of people after tokenising: a local dictionary and rows of local ids.
struct Chunk {
    /// Local id → `(kind, text)`.
    dict: Interner,
    /// Row lengths of the chunk's people.
    lengths: Vec<u32>,
    /// `(local id, count)` entries, rows back to back, sorted by local id within a row.
    entries: Vec<(u32, u32)>,
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

    // Merge the dictionaries: sorted distinct terms are the vocabulary. Sorting
    // `(kind, text, chunk, local id)` lets one sweep number the terms and map every local id.
    let mut all: Vec<(TermKind, &str, u32, u32)> = Vec::new();
    for (ci, c) in chunks.iter().enumerate() {
        all.extend((0..c.dict.len() as u32).map(|li| {
            let (kind, text) = c.dict.get(li);
            (kind, text, ci as u32, li)
        }));
    }
    all.par_sort_unstable();
    let mut globals: Vec<Vec<u32>> = chunks.iter().map(|c| vec![0; c.dict.len()]).collect();
    let mut kinds = Vec::new();
    let mut texts: Vec<Box<str>> = Vec::new();
    let mut previous: Option<(TermKind, &str)> = None;
    for &(kind, text, ci, li) in &all {
        if previous != Some((kind, text)) {
            kinds.push(kind);
            texts.push(text.into());
            previous = Some((kind, text));
        }
        globals[ci as usize][li as usize] = (texts.len() - 1) as u32;
    }
    drop(all);

    // Rows in global ids, sorted.
    let rows: Vec<(Vec<u32>, Vec<u32>, Vec<u64>)> = chunks
        .par_iter()
        .zip(globals.par_iter())
        .map(|(c, global)| {
            let mut terms = Vec::with_capacity(c.entries.len());
            let mut counts = Vec::with_capacity(c.entries.len());
            let mut lengths = Vec::with_capacity(c.lengths.len());
            let mut at = 0usize;
            let mut row: Vec<(u32, u32)> = Vec::new();
            for &len in &c.lengths {
                row.clear();
                row.extend(
                    c.entries[at..at + len as usize]
                        .iter()
                        .map(|&(l, k)| (global[l as usize], k)),
                );
                at += len as usize;
                row.sort_unstable();
                terms.extend(row.iter().map(|e| e.0));
                counts.extend(row.iter().map(|e| e.1));
                lengths.push(len as u64);
            }
            (terms, counts, lengths)
        })
        .collect();
    drop(chunks);

    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0u64);
    let entries: usize = rows.iter().map(|r| r.0.len()).sum();
    let mut terms = Vec::with_capacity(entries);
    let mut counts = Vec::with_capacity(entries);
    for (t, c, lengths) in rows {
        for len in lengths {
            let last = offsets.last().copied().unwrap_or(0);
            offsets.push(last + len);
        }
        terms.extend(t);
        counts.extend(c);
    }
    let mut people_with = vec![0u32; texts.len()];
    let mut totals = vec![0u64; texts.len()];
    for (&t, &c) in terms.iter().zip(&counts) {
        people_with[t as usize] += 1;
        totals[t as usize] += c as u64;
    }
    Extraction {
        vocabulary: Vocabulary { kinds, texts },
        offsets,
        terms,
        counts,
        people_with,
        totals,
    }
}

/// Tokenises the people of `range` into a chunk with its own dictionary.
fn tokenize_chunk<F>(range: std::ops::Range<usize>, fill: &F) -> Chunk
where
    F: Fn(usize, &mut Scratch, &mut dyn FnMut(TermKind, &str)) + Sync,
{
    let mut dict = Interner::default();
    let mut lengths = Vec::with_capacity(range.len());
    let mut entries: Vec<(u32, u32)> = Vec::new();
    let mut ids: Vec<u32> = Vec::new();
    let mut scratch = Scratch::default();
    // A person's terms are interned in a batch, in the order given: each term's slot is
    // prefetched when the tokenizer gives it, then the candidate entries of all the slots, then
    // the terms are interned, so that the dictionary's cache misses overlap (ids stay in
    // first-seen order).
    let mut batch: Vec<(TermKind, usize, usize, u64)> = Vec::new();
    let mut texts = String::new();
    for p in range {
        ids.clear();
        batch.clear();
        texts.clear();
        fill(p, &mut scratch, &mut |kind, text| {
            let h = hash(kind, text);
            dict.prefetch_slot(h);
            let start = texts.len();
            texts.push_str(text);
            batch.push((kind, start, texts.len(), h));
        });
        for &(_, _, _, h) in &batch {
            dict.prefetch_candidate(h);
        }
        for &(kind, a, b, h) in &batch {
            let text = texts.get(a..b).unwrap_or_default();
            ids.push(dict.intern_hashed(kind, text, h));
        }
        ids.sort_unstable();
        let before = entries.len();
        for &id in &ids {
            let len = entries.len();
            match entries.last_mut() {
                Some(last) if len > before && last.0 == id => last.1 += 1,
                _ => entries.push((id, 1)),
            }
        }
        lengths.push((entries.len() - before) as u32);
    }
    Chunk {
        dict,
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
