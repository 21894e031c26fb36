//! Term counts → one sparse TF-IDF vector per person.
//!
//! For person `p` and term `t` with count `tf(p, t) > 0`:
//!
//! ```text
//! w(p, t) = (1 + ln tf(p, t)) · idf(t)        sublinear tf (Salton & Buckley 1988)
//! idf(t)  = ln(N / df(t))                      N = people with at least one term
//! x(p)    = w(p, ·) / ‖w(p, ·)‖₂               rows L2-normalised, so x(u)·x(v) = cos(u, v)
//! ```
//!
//! The idf is not smoothed: the vocabulary is pruned first, and pruning keeps only terms with
//! `min_people ≤ df(t) ≤ max_share · N`, so `df ≥ 1` and `idf ≥ ln(1 / max_share) > 0` for
//! `max_share < 1` (with `max_share = 1` a term everyone uses gets weight 0, which is what it
//! says about anyone). Terms used by a single person ([`DEFAULT_MIN_PEOPLE`] = 2) cannot make
//! two people similar and only lengthen rows; terms used by more than half of everyone
//! ([`DEFAULT_MAX_SHARE`]) separate nobody. `N` counts people with a document, not everyone:
//! people who never post would otherwise inflate every idf alike.
//!
//! The matrix is CSR-like: offsets per person, term ids (the [`Extraction`]'s, sorted) and
//! `f32` weights. A person whose terms were all pruned has an empty row: no vector.
//!
//! Cost: two parallel passes over the entries, `O(entries + vocabulary)`; deterministic (each
//! row is computed on its own, in term order).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{check, TopicsError};
use crate::extract::Extraction;

/// Default minimum number of people who must use a term for it to count.
pub const DEFAULT_MIN_PEOPLE: u32 = 2;
/// Default maximum share of people (with a document) who may use a term for it to count.
pub const DEFAULT_MAX_SHARE: f64 = 0.5;

/// Vocabulary pruning of [`tfidf`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TfidfConfig {
    /// Keep terms used by at least this many people (≥ 1).
    pub min_people: u32,
    /// Keep terms used by at most this share of the people with a document, in `(0, 1]`.
    pub max_share: f64,
}

impl Default for TfidfConfig {
    fn default() -> Self {
        TfidfConfig {
            min_people: DEFAULT_MIN_PEOPLE,
            max_share: DEFAULT_MAX_SHARE,
        }
    }
}

impl TfidfConfig {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<(), TopicsError> {
        check(
            "min_people",
            self.min_people as f64,
            self.min_people >= 1,
            "at least 1",
        )?;
        check(
            "max_share",
            self.max_share,
            self.max_share > 0.0 && self.max_share <= 1.0,
            "a share in (0, 1]",
        )
    }
}

/// One L2-normalised sparse vector per person: a CSR of `(term, weight)` rows sorted by term.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TermVectors {
    dimension: usize,
    offsets: Vec<u64>,
    terms: Vec<u32>,
    weights: Vec<f32>,
}

/// Counts below this have their sublinear term frequency `1 + ln c` read from a table.
const SMALL_COUNTS: usize = 256;

/// People per block of the parallel row passes.
const BLOCK: usize = 4096;

impl TermVectors {
    /// Vectors from hand-given weighted rows over `dimension` terms (for tests and callers
    /// with their own weighting). Each row is sorted, duplicate terms summed, zero and negative
    /// weights dropped, and the row L2-normalised. Fails on a term `≥ dimension` or a
    /// non-finite weight.
    pub fn from_rows(dimension: usize, rows: &[Vec<(u32, f32)>]) -> Result<Self, TopicsError> {
        let mut offsets = vec![0u64];
        let mut terms = Vec::new();
        let mut weights = Vec::new();
        for (person, row) in rows.iter().enumerate() {
            let mut row = row.clone();
            if let Some(&(term, _)) = row.iter().find(|(t, _)| *t as usize >= dimension) {
                return Err(TopicsError::TermOutOfRange {
                    person,
                    term,
                    terms: dimension,
                });
            }
            if let Some(&(_, w)) = row.iter().find(|(_, w)| !w.is_finite()) {
                return Err(TopicsError::InvalidParameter {
                    name: "weight",
                    value: w as f64,
                    expected: "a finite number",
                });
            }
            row.sort_by_key(|e| e.0);
            let mut merged: Vec<(u32, f64)> = Vec::with_capacity(row.len());
            for (t, w) in row {
                match merged.last_mut() {
                    Some(last) if last.0 == t => last.1 += w as f64,
                    _ => merged.push((t, w as f64)),
                }
            }
            merged.retain(|e| e.1 > 0.0);
            let norm = merged.iter().map(|e| e.1 * e.1).sum::<f64>().sqrt();
            terms.extend(merged.iter().map(|e| e.0));
            weights.extend(merged.iter().map(|e| (e.1 / norm) as f32));
            offsets.push(terms.len() as u64);
        }
        Ok(TermVectors {
            dimension,
            offsets,
            terms,
            weights,
        })
    }

    /// Number of people (rows).
    pub fn person_count(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of term ids a row may use (the vocabulary size).
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// Number of stored `(person, term)` weights.
    pub fn entry_count(&self) -> usize {
        self.terms.len()
    }

    /// The terms of `person` (sorted) and their weights.
    #[inline]
    pub fn row(&self, person: usize) -> (&[u32], &[f32]) {
        let (a, b) = (
            self.offsets[person] as usize,
            self.offsets[person + 1] as usize,
        );
        (&self.terms[a..b], &self.weights[a..b])
    }

    /// Whether `person` has a vector (a non-empty row).
    #[inline]
    pub fn has_vector(&self, person: usize) -> bool {
        self.offsets[person + 1] > self.offsets[person]
    }

    /// Number of people with a vector.
    pub fn people_with_vectors(&self) -> usize {
        self.offsets.windows(2).filter(|w| w[1] > w[0]).count()
    }

    /// The cosine similarity of two people: the dot product of their rows (a merge in term
    /// order, `O(|u| + |v|)`), in `[0, 1]`; 0 when either has no vector. Symmetric to the bit.
    pub fn cosine(&self, u: usize, v: usize) -> f64 {
        let (tu, wu) = self.row(u);
        let (tv, wv) = self.row(v);
        let (mut i, mut j, mut dot) = (0, 0, 0.0f64);
        while i < tu.len() && j < tv.len() {
            match tu[i].cmp(&tv[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += wu[i] as f64 * wv[j] as f64;
                    i += 1;
                    j += 1;
                }
            }
        }
        dot.clamp(0.0, 1.0)
    }
}

/// Lookahead, in rows, of the software prefetches of the row passes: far enough ahead to hide a
/// memory access behind the work on the rows in between, near enough to stay in cache.
pub(crate) const PREFETCH_AHEAD: usize = 8;

/// Asks the CPU to start loading the cache line that holds `slice[i]` (a hint: see
/// [`contextivity_graph::hint`]).
pub(crate) use contextivity_graph::hint::prefetch;
use contextivity_graph::hint::prefetch_all;

impl TermVectors {
    /// Prefetches the row offsets of `person`: the first stage of [`Self::prefetch_row`], to be
    /// issued [`PREFETCH_AHEAD`] rows earlier.
    #[inline(always)]
    pub(crate) fn prefetch_offsets(&self, person: usize) {
        prefetch(&self.offsets, person);
    }

    /// Prefetches the terms and weights of `person`'s row, line by line, so that a dot product
    /// with it does not wait on memory (rows of random people are the cache misses of the
    /// blend and neighbour passes).
    #[inline(always)]
    pub(crate) fn prefetch_row(&self, person: usize) {
        let (Some(&a), Some(&b)) = (self.offsets.get(person), self.offsets.get(person + 1)) else {
            return;
        };
        let row = a as usize..b as usize;
        if let (Some(terms), Some(weights)) = (self.terms.get(row.clone()), self.weights.get(row)) {
            prefetch_all(terms);
            prefetch_all(weights);
        }
    }
}

/// One person's vector spread over the vocabulary, for dot products with many rows: a bitset
/// of its terms (one bit per term, small enough to stay in cache while the rows stream by) and
/// their weights, read only on a hit. A 1 KiB filter in front (one bit per term's low bits,
/// in L1) answers most misses without touching the vocabulary-sized bitset, which on a
/// vocabulary of millions lies in L2.
pub(crate) struct Scatter {
    /// One bit per slot of [`FILTER_BITS`], set for the terms of the row whose low bits
    /// name it: a first test that stays in L1 and rules out most terms of the other row.
    filter: [u64; FILTER_BITS / 64],
    bits: Vec<u64>,
    dense: Vec<f32>,
}

/// Bits of [`Scatter`]'s filter: a power of two, many times the terms of a typical row.
const FILTER_BITS: usize = 8192;

impl Scatter {
    /// An empty scatter over `dimension` terms.
    pub(crate) fn new(dimension: usize) -> Self {
        Scatter {
            filter: [0; FILTER_BITS / 64],
            bits: vec![0; dimension.div_ceil(64)],
            dense: vec![0.0; dimension],
        }
    }

    /// Spreads a row.
    pub(crate) fn set(&mut self, terms: &[u32], weights: &[f32]) {
        for (&t, &x) in terms.iter().zip(weights) {
            let f = t as usize % FILTER_BITS;
            self.filter[f / 64] |= 1 << (f % 64);
            self.bits[t as usize / 64] |= 1 << (t % 64);
            self.dense[t as usize] = x;
        }
    }

    /// Clears the row spread by `set(terms, _)`.
    pub(crate) fn clear(&mut self, terms: &[u32]) {
        for &t in terms {
            self.filter[t as usize % FILTER_BITS / 64] = 0;
            self.bits[t as usize / 64] = 0;
        }
    }

    /// The dot product with a row: the products of the shared terms summed in term order from
    /// 0, in `f64` — the same operations, to the bit, as [`TermVectors::cosine`]'s merge.
    #[inline]
    pub(crate) fn dot(&self, terms: &[u32], weights: &[f32]) -> f64 {
        let mut dot = 0.0f64;
        for (&t, &y) in terms.iter().zip(weights) {
            let f = t as usize % FILTER_BITS;
            if self.filter[f / 64] & (1 << (f % 64)) == 0 {
                continue;
            }
            if self.bits[t as usize / 64] & (1 << (t % 64)) != 0 {
                dot += self.dense[t as usize] as f64 * y as f64;
            }
        }
        dot
    }
}

/// The TF-IDF vectors of every person of `extraction` (see the module documentation).
pub fn tfidf(extraction: &Extraction, config: &TfidfConfig) -> Result<TermVectors, TopicsError> {
    config.validate()?;
    let n = extraction.person_count();
    let vocabulary = extraction.vocabulary().len();
    let documents = extraction.documents();
    let max_people = config.max_share * documents as f64;
    let idf: Vec<f64> = (0..vocabulary as u32)
        .into_par_iter()
        .map(|t| {
            let df = extraction.people_with(t);
            if df >= config.min_people && df as f64 <= max_people {
                (documents as f64 / df as f64).ln()
            } else {
                0.0
            }
        })
        .collect();
    // Kept terms as a bitset (one bit per term, small enough to stay in cache, where the idf
    // is eight bytes per term): the row-length pass reads only this.
    let mut keep = vec![0u64; vocabulary.div_ceil(64)];
    for (t, &x) in idf.iter().enumerate() {
        if x > 0.0 {
            keep[t / 64] |= 1 << (t % 64);
        }
    }
    let kept = |t: u32| keep[t as usize / 64] & (1 << (t % 64)) != 0;

    // Pass 1: row lengths after pruning.
    let lengths: Vec<u64> = (0..n)
        .into_par_iter()
        .map(|p| extraction.row(p).0.iter().filter(|&&t| kept(t)).count() as u64)
        .collect();
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0u64);
    let mut acc = 0;
    for len in &lengths {
        acc += len;
        offsets.push(acc);
    }
    drop(lengths);

    // Pass 2: weights, block by block into disjoint slices.
    let entries = acc as usize;
    let mut terms = vec![0u32; entries];
    let mut weights = vec![0f32; entries];
    let mut jobs = Vec::with_capacity(n.div_ceil(BLOCK));
    {
        let (mut t_rest, mut w_rest): (&mut [u32], &mut [f32]) = (&mut terms, &mut weights);
        for start in (0..n).step_by(BLOCK) {
            let end = (start + BLOCK).min(n);
            let len = (offsets[end] - offsets[start]) as usize;
            let (t, tr) = std::mem::take(&mut t_rest).split_at_mut(len);
            let (w, wr) = std::mem::take(&mut w_rest).split_at_mut(len);
            t_rest = tr;
            w_rest = wr;
            jobs.push((start..end, t, w));
        }
    }
    // `1 + ln c` of the small counts (nearly all of them), computed once: the same values.
    let sublinear: Vec<f64> = (0..SMALL_COUNTS).map(|c| 1.0 + (c as f64).ln()).collect();
    jobs.into_par_iter().for_each(|(people, t_out, w_out)| {
        let mut at = 0;
        let mut raw: Vec<f64> = Vec::new();
        for p in people {
            let (row_terms, counts) = extraction.row(p);
            let start = at;
            let mut norm = 0.0f64;
            raw.clear();
            for (&t, &c) in row_terms.iter().zip(counts) {
                if !kept(t) {
                    continue;
                }
                let tf = match sublinear.get(c as usize) {
                    Some(&tf) => tf,
                    None => 1.0 + (c as f64).ln(),
                };
                let w = tf * idf[t as usize];
                norm += w * w;
                t_out[at] = t;
                raw.push(w);
                at += 1;
            }
            let norm = norm.sqrt();
            for (slot, &w) in w_out[start..at].iter_mut().zip(&raw) {
                *slot = (w / norm) as f32;
            }
        }
    });
    Ok(TermVectors {
        dimension: vocabulary,
        offsets,
        terms,
        weights,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::TermKind::Word;

    /// p0: a a b e · p1: a c e · p2: b c c e · p3: d
    fn example() -> Extraction {
        Extraction::from_terms(&[
            vec![(Word, "a"), (Word, "a"), (Word, "b"), (Word, "e")],
            vec![(Word, "a"), (Word, "c"), (Word, "e")],
            vec![(Word, "b"), (Word, "c"), (Word, "c"), (Word, "e")],
            vec![(Word, "d")],
        ])
    }

    #[test]
    fn weights_match_the_hand_computation() {
        let e = example();
        let v = tfidf(&e, &TfidfConfig::default()).unwrap();
        // N = 4 people with a document. df: a 2, b 2, c 2, d 1 (< min_people: pruned),
        // e 3 (> 0.5 · 4: pruned). idf(a) = idf(b) = idf(c) = ln(4 / 2) = ln 2.
        // p0: a → (1 + ln 2)·ln 2, b → 1·ln 2; ‖·‖ = ln 2 · √((1 + ln 2)² + 1)
        //     = ln 2 · √(2.866748 + 1) = ln 2 · 1.966405 → a 0.861038, b 0.508543.
        // p1: a, c → 1/√2 = 0.707107 each. p2: b 0.508543, c 0.861038. p3: nothing left.
        let l = 1.0 + 2f64.ln();
        let norm = (l * l + 1.0).sqrt();
        let close = |x: f32, y: f64| (x as f64 - y).abs() < 1e-6;
        let voc = e.vocabulary();
        let id = |t| voc.find(Word, t).unwrap();
        assert_eq!(v.row(0).0, &[id("a"), id("b")]);
        assert!(close(v.row(0).1[0], l / norm) && close(v.row(0).1[0], 0.861038));
        assert!(close(v.row(0).1[1], 1.0 / norm) && close(v.row(0).1[1], 0.508543));
        assert_eq!(v.row(1).0, &[id("a"), id("c")]);
        assert!(v.row(1).1.iter().all(|&x| close(x, 0.5f64.sqrt())));
        assert_eq!(v.row(2).0, &[id("b"), id("c")]);
        assert!(close(v.row(2).1[1], 0.861038));
        assert!(!v.has_vector(3));
        assert_eq!(v.people_with_vectors(), 3);
        // cos(p0, p1) = 0.861038 · 0.707107 = 0.608846; cos(p0, p2) = 0.508543² = 0.258616.
        assert!((v.cosine(0, 1) - 0.608846).abs() < 1e-5);
        assert!((v.cosine(0, 2) - 0.258616).abs() < 1e-5);
        assert_eq!(v.cosine(0, 1).to_bits(), v.cosine(1, 0).to_bits());
        assert_eq!(v.cosine(0, 3), 0.0);
    }

    #[test]
    fn pruning_bounds_are_configurable_and_checked() {
        let e = example();
        // Everything kept: e (df 3) now counts, d (df 1) too; idf(e) = ln(4/3).
        let all = TfidfConfig {
            min_people: 1,
            max_share: 1.0,
        };
        let v = tfidf(&e, &all).unwrap();
        assert_eq!(v.row(0).0.len(), 3);
        assert!(v.has_vector(3));
        assert!((v.row(3).1[0] - 1.0).abs() < 1e-6);
        for bad in [
            TfidfConfig {
                min_people: 0,
                ..TfidfConfig::default()
            },
            TfidfConfig {
                max_share: 0.0,
                ..TfidfConfig::default()
            },
            TfidfConfig {
                max_share: 1.5,
                ..TfidfConfig::default()
            },
        ] {
            assert!(matches!(
                tfidf(&e, &bad),
                Err(TopicsError::InvalidParameter { .. })
            ));
        }
    }

    #[test]
    fn hand_rows_are_merged_normalised_and_checked() {
        let v = TermVectors::from_rows(
            3,
            &[vec![(2, 3.0), (0, 4.0)], vec![], vec![(1, 1.0), (1, 1.0)]],
        )
        .unwrap();
        assert_eq!(v.row(0), (&[0u32, 2][..], &[0.8f32, 0.6][..]));
        assert!(!v.has_vector(1));
        assert_eq!(v.row(2), (&[1u32][..], &[1.0f32][..]));
        assert!(matches!(
            TermVectors::from_rows(3, &[vec![(3, 1.0)]]),
            Err(TopicsError::TermOutOfRange { term: 3, .. })
        ));
    }

    /// The scatter's dot product equals the plain sum over shared terms, to the bit, when
    /// many terms share the filter's slot (the same low bits) without being shared, and after
    /// the scatter is cleared and reused.
    #[test]
    fn scatter_dot_is_exact_when_filter_slots_collide() {
        let dimension = 6 * FILTER_BITS;
        let mut rng = contextivity_graph::Rng::derive(3, 0, 0);
        let mut scatter = Scatter::new(dimension);
        let row = |rng: &mut contextivity_graph::Rng| {
            // Terms drawn from a few filter slots, each repeated at several offsets.
            let mut terms: Vec<u32> = (0..40)
                .map(|_| (rng.below(16) + FILTER_BITS as u64 * rng.below(6)) as u32)
                .collect();
            terms.sort_unstable();
            terms.dedup();
            let weights: Vec<f32> = terms.iter().map(|_| rng.next_f64() as f32).collect();
            (terms, weights)
        };
        let mut shared = 0;
        for _ in 0..50 {
            let (tu, wu) = row(&mut rng);
            scatter.set(&tu, &wu);
            for _ in 0..20 {
                let (tv, wv) = row(&mut rng);
                let mut want = 0.0f64;
                for (&t, &y) in tv.iter().zip(&wv) {
                    if let Ok(k) = tu.binary_search(&t) {
                        want += wu[k] as f64 * y as f64;
                        shared += 1;
                    }
                }
                assert_eq!(scatter.dot(&tv, &wv).to_bits(), want.to_bits());
            }
            scatter.clear(&tu);
            assert!(scatter.filter.iter().all(|&w| w == 0));
            assert!(scatter.bits.iter().all(|&w| w == 0));
        }
        assert!(shared > 1000, "too few shared terms: {shared}");
    }
}
