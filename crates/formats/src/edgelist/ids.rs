//! Dense numbering of the ids an edge list names.
//!
//! - Numeric ids are numbered by ascending value, which is deterministic and needs no hashing.
//!   When the largest id is not much larger than the number of id occurrences, a presence table
//!   indexed by id is filled in parallel and prefix-summed into ranks (`O(max id + m)`); if every
//!   id from 0 to the maximum occurs, the numbering is the identity and the edges are left as
//!   they are. Otherwise the ids are sorted and deduplicated in parallel and every endpoint is
//!   found by binary search (`O(m log n)`).
//! - String ids keep the order in which they first appear: each chunk interned its own ids in
//!   first-seen order, and merging the chunk tables in chunk order yields the global order.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use contextivity_graph::labels::decimal;
use contextivity_graph::{GraphError, LabelTable};
use rayon::prelude::*;

use super::parse::{RawId, StringChunk};

/// Presence tables may exceed the number of id occurrences by this many entries.
const TABLE_SLACK: u64 = 1 << 20;

/// Rewrites raw numeric ids as ranks; see [`RawId`] for the width.
pub(crate) trait Remap: RawId {
    /// Maps every id through `f`, reusing the buffer where the width allows.
    fn remap(ids: Vec<Self>, f: impl Fn(u64) -> u32 + Sync + Send) -> Vec<u32>;
}

impl Remap for u32 {
    fn remap(mut ids: Vec<u32>, f: impl Fn(u64) -> u32 + Sync + Send) -> Vec<u32> {
        ids.par_iter_mut()
            .with_min_len(1 << 14)
            .for_each(|x| *x = f(*x as u64));
        ids
    }
}

impl Remap for u64 {
    fn remap(ids: Vec<u64>, f: impl Fn(u64) -> u32 + Sync + Send) -> Vec<u32> {
        ids.par_iter()
            .with_min_len(1 << 14)
            .map(|&x| f(x))
            .collect()
    }
}

/// Dense ids for numeric edges: `(sources, targets, labels)` where label `k` is the decimal
/// form of the `k`-th smallest id. `max_id` is the largest id present.
pub(crate) fn number_numeric<I: Remap>(
    sources: Vec<I>,
    targets: Vec<I>,
    max_id: u64,
) -> Result<(Vec<u32>, Vec<u32>, LabelTable), GraphError> {
    let occurrences = (sources.len() + targets.len()) as u64;
    if max_id < occurrences.saturating_add(TABLE_SLACK) {
        by_table(sources, targets, max_id as usize + 1)
    } else {
        by_sorting(sources, targets)
    }
}

/// Numbering through a presence table of `size` entries.
fn by_table<I: Remap>(
    sources: Vec<I>,
    targets: Vec<I>,
    size: usize,
) -> Result<(Vec<u32>, Vec<u32>, LabelTable), GraphError> {
    let mut rank: Vec<AtomicU32> = (0..size).map(|_| AtomicU32::new(0)).collect();
    sources
        .par_iter()
        .chain(targets.par_iter())
        .with_min_len(1 << 14)
        // A relaxed store is a plain store: no read-modify-write is needed to mark presence.
        .for_each(|&x| rank[x.to_u64() as usize].store(1, Ordering::Relaxed));
    let mut labels = LabelTable::new();
    let mut digits = [0u8; 20];
    let mut n: u64 = 0;
    for (id, slot) in rank.iter_mut().enumerate() {
        let present = *slot.get_mut();
        *slot.get_mut() = n as u32;
        if present != 0 {
            labels.push(decimal(&mut digits, id as u64));
            n += 1;
        }
    }
    if n > u32::MAX as u64 {
        return Err(GraphError::TooManyNodes);
    }
    if n == size as u64 {
        // Every id from 0 to the maximum occurs: the numbering is the identity.
        let identity = |x: u64| x as u32;
        return Ok((
            I::remap(sources, identity),
            I::remap(targets, identity),
            labels,
        ));
    }
    let f = |x: u64| rank[x as usize].load(Ordering::Relaxed);
    Ok((I::remap(sources, f), I::remap(targets, f), labels))
}

/// Numbering by sorting the distinct ids.
fn by_sorting<I: Remap>(
    sources: Vec<I>,
    targets: Vec<I>,
) -> Result<(Vec<u32>, Vec<u32>, LabelTable), GraphError> {
    let mut distinct: Vec<u64> = sources
        .par_iter()
        .chain(targets.par_iter())
        .map(|x| x.to_u64())
        .collect();
    distinct.par_sort_unstable();
    distinct.dedup();
    if distinct.len() > u32::MAX as usize {
        return Err(GraphError::TooManyNodes);
    }
    let mut labels = LabelTable::new();
    let mut digits = [0u8; 20];
    for &id in &distinct {
        labels.push(decimal(&mut digits, id));
    }
    // Every id is in `distinct`, so the search always succeeds.
    let f = |x: u64| distinct.binary_search(&x).unwrap_or(0) as u32;
    Ok((I::remap(sources, f), I::remap(targets, f), labels))
}

/// Merges the chunk-local label tables of string-mode chunks in chunk order: the global labels
/// in first-seen order, and for every chunk the global id of each of its local ids.
pub(crate) fn merge_strings(
    chunks: &[StringChunk<'_>],
) -> Result<(LabelTable, Vec<Vec<u32>>), GraphError> {
    let mut index: HashMap<&str, u32> = HashMap::new();
    let mut labels = LabelTable::new();
    let mut maps = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        let mut map = Vec::with_capacity(chunk.labels.len());
        for &label in &chunk.labels {
            let id = match index.get(label) {
                Some(&id) => id,
                None => {
                    if labels.len() >= u32::MAX as usize {
                        return Err(GraphError::TooManyNodes);
                    }
                    let id = labels.push(label).0;
                    index.insert(label, id);
                    id
                }
            };
            map.push(id);
        }
        maps.push(map);
    }
    Ok((labels, maps))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels_of(t: &LabelTable) -> Vec<&str> {
        t.iter().collect()
    }

    #[test]
    fn dense_ids_keep_their_numbers() {
        let (s, t, l) = number_numeric(vec![0u32, 2, 1], vec![1u32, 0, 2], 2).unwrap();
        assert_eq!((s, t), (vec![0, 2, 1], vec![1, 0, 2]));
        assert_eq!(labels_of(&l), ["0", "1", "2"]);
    }

    #[test]
    fn gaps_are_closed_in_ascending_order() {
        let (s, t, l) = number_numeric(vec![10u32, 7], vec![3u32, 10], 10).unwrap();
        assert_eq!((s, t), (vec![2, 1], vec![0, 2]));
        assert_eq!(labels_of(&l), ["3", "7", "10"]);
    }

    #[test]
    fn huge_ids_are_sorted_not_tabled() {
        let big = 1u64 << 62;
        let (s, t, l) = number_numeric(vec![big, 5], vec![5u64, u64::MAX], u64::MAX).unwrap();
        assert_eq!((s, t), (vec![1, 0], vec![0, 2]));
        assert_eq!(
            labels_of(&l),
            ["5", &big.to_string(), &u64::MAX.to_string()]
        );
    }

    #[test]
    fn decimal_formats_extremes() {
        let mut b = [0u8; 20];
        assert_eq!(decimal(&mut b, 0), "0");
        assert_eq!(decimal(&mut b, u64::MAX), "18446744073709551615");
    }
}
