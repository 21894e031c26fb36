//! Chunks of text already tokenised → the local ids of their terms.
//!
//! The tokenizer reads text one whitespace-free chunk at a time, each chunk on its own
//! ([`crate::tokenize::Tokenizer::for_each_chunk`]), so a chunk always gives the same terms.
//! Most chunks of a corpus are a few thousand words met over and over: remembering, per part of
//! the extraction, the ids each short chunk gave the first time lets every later occurrence skip
//! the tokenizer, the packing of its terms and the dictionary, for one table lookup.
//!
//! A chunk of at most [`CHUNK_MAX`] bytes is named by its exact key
//! ([`termkey::chunk_key`]: its bytes and its length), so equal keys are equal chunks and no
//! text is compared. The table is open addressing with linear probing over 32-byte slots
//! holding the key and the chunk's outcome side by side: a lookup reads one slot (usually one
//! cache line), and callers prefetch the slots of a text's chunks before looking them up, so
//! that the misses of one text overlap. Memory: at most 64 bytes per distinct short chunk
//! (the table stays at most half full), plus 4 bytes per id of a chunk of several terms.

use crate::termkey::{self, CHUNK_MAX};
use crate::tfidf::prefetch;

/// One slot: a chunk key (0: empty; a chunk key's length byte is never 0) and its outcome.
#[derive(Clone, Copy, Default)]
#[repr(C, align(32))]
struct Slot {
    /// The chunk's key ([`termkey::chunk_key`]), or 0.
    key: u128,
    /// What the chunk gave ([`Outcome`]).
    outcome: u64,
}

/// Short chunks → the local ids of their terms (see the module documentation).
#[derive(Default)]
pub(crate) struct ChunkMemo {
    /// A power of two of slots, or none.
    slots: Vec<Slot>,
    /// Number of chunks held.
    len: usize,
    /// The ids of chunks of several terms, back to back.
    more: Vec<u32>,
}

/// What a chunk gave, as stored in its slot: `n << 32 | id` for `n ≤ 1` terms (`id` is 0 when
/// there is none), `n << 32 | start` of its ids in [`ChunkMemo::more`] otherwise, or
/// [`UNKNOWN`].
pub(crate) type Outcome = u64;

/// The outcome of a chunk whose ids did not fit in `more` (past 2³² ids, never in practice):
/// it is tokenised each time.
const UNKNOWN: Outcome = u64::MAX;

impl ChunkMemo {
    /// Starts loading the slot where the lookup of a chunk of hash `hash`
    /// ([`termkey::key_hash`] of its key) begins: a hint with no effect on results.
    #[inline]
    pub(crate) fn prefetch(&self, hash: u64) {
        if !self.slots.is_empty() {
            prefetch(&self.slots, hash as usize & (self.slots.len() - 1));
        }
    }

    /// The outcome of the chunk of key `key` (of hash `hash`), if it was met before.
    #[inline]
    pub(crate) fn get(&self, key: u128, hash: u64) -> Option<Outcome> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let slot = self.slots[at];
            if slot.key == key {
                return Some(slot.outcome);
            }
            if slot.key == 0 {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// Remembers that the new chunk of key `key` (of hash `hash`, at most [`CHUNK_MAX`] bytes,
    /// not held yet) gave the terms `ids`.
    pub(crate) fn insert(&mut self, key: u128, hash: u64, ids: &[u32]) {
        debug_assert!(key != 0 && (key as u8 as usize) <= CHUNK_MAX);
        if 2 * (self.len + 1) > self.slots.len() {
            self.grow();
        }
        let outcome = match ids {
            [] => 0,
            [id] => 1 << 32 | u64::from(*id),
            _ => match u32::try_from(self.more.len() + ids.len()) {
                Ok(_) => {
                    let start = self.more.len() as u64;
                    self.more.extend_from_slice(ids);
                    (ids.len() as u64) << 32 | start
                }
                Err(_) => UNKNOWN,
            },
        };
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        while self.slots[at].key != 0 {
            at = (at + 1) & mask;
        }
        self.slots[at] = Slot { key, outcome };
        self.len += 1;
    }

    /// Appends the ids of `outcome` to `ids`; false (and nothing appended) if they are
    /// unknown.
    #[inline]
    pub(crate) fn replay(&self, outcome: Outcome, ids: &mut Vec<u32>) -> bool {
        match outcome >> 32 {
            0 => {}
            1 => ids.push(outcome as u32),
            _ if outcome == UNKNOWN => return false,
            n => {
                let start = outcome as u32 as usize;
                match self.more.get(start..start + n as usize) {
                    Some(more) => ids.extend_from_slice(more),
                    None => return false,
                }
            }
        }
        true
    }

    /// Doubles the table (at least 1024 slots) and re-inserts every chunk.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); size]);
        let mask = size - 1;
        for slot in old.into_iter().filter(|s| s.key != 0) {
            let mut at = termkey::key_hash(slot.key) as usize & mask;
            while self.slots[at].key != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = slot;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every chunk inserted gives back exactly its ids, through growth, with chunks of no,
    /// one and several terms; chunks never inserted are not found.
    #[test]
    fn chunks_give_back_their_ids() {
        let mut memo = ChunkMemo::default();
        let mut rng = contextivity_graph::Rng::new(11);
        let chunks: Vec<(u128, Vec<u32>)> = (0..20_000u32)
            .map(|i| {
                let text = format!("c{i}");
                let key = termkey::chunk_key(text.as_bytes(), 0, text.len()).unwrap_or_default();
                let n = rng.below(4) as u32;
                (key, (0..n).map(|j| i * 7 + j).collect())
            })
            .collect();
        for (key, ids) in &chunks {
            let hash = termkey::key_hash(*key);
            assert_eq!(memo.get(*key, hash), None);
            memo.insert(*key, hash, ids);
        }
        assert_eq!(memo.len, chunks.len());
        for (key, ids) in &chunks {
            let outcome = memo.get(*key, termkey::key_hash(*key));
            let mut got = vec![99];
            assert!(memo.replay(outcome.unwrap_or(UNKNOWN), &mut got));
            assert_eq!(&got[1..], &ids[..]);
        }
        let absent = termkey::chunk_key(b"absent", 0, 6).unwrap_or_default();
        assert_eq!(memo.get(absent, termkey::key_hash(absent)), None);
        let mut got = Vec::new();
        assert!(!memo.replay(UNKNOWN, &mut got));
        assert!(got.is_empty());
    }
}
