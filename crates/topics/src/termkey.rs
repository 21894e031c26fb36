//! Terms as 128-bit integers, and the per-chunk table of those integers.
//!
//! Nearly every term is short: a word, a hashtag, a handle, a domain of at most
//! [`SHORT_MAX`] bytes. Such a term is packed, exactly, into one `u128` key: its kind in the top
//! byte, then its bytes big-endian (zero-padded), then its length in the low byte. The packing
//! is injective, so two short terms are equal exactly when their keys are (no hash collision
//! to guard against, no text to compare), and it preserves order: comparing keys as integers
//! compares `(kind, text)` byte-lexicographically, as [`crate::extract::Vocabulary`] sorts — a
//! text that is a prefix of another has the same padded bytes and a smaller length.
//!
//! A longer term gets a [`sort_key`] with the same layout over its first [`SHORT_MAX`] bytes and
//! a length byte above [`SHORT_MAX`]: it sorts after every short term it starts with, and two
//! long terms with the same sort key are ordered by their full texts. Long terms are rare and
//! are interned by text (see [`crate::fxhash::Interner`]).
//!
//! [`KeyTable`] maps short keys to dense local ids: open addressing over 8-byte slots (half of
//! the hash, and the id), then one comparison of two words with the key stored by id, where a
//! dictionary of texts reads the slot, the term's kind, its text bounds and its bytes.

use crate::tfidf::prefetch;
use crate::tokenize::TermKind;

/// The longest text, in bytes, packed exactly into a key.
pub(crate) const SHORT_MAX: usize = 14;

/// The length byte of the sort key of a long term: above every short length.
const LONG: u8 = SHORT_MAX as u8 + 1;

/// The first `bytes.len() ≤ 16` bytes, big-endian, left-aligned in a `u128` (byte 0 in the top
/// eight bits), zero-padded; read with a few overlapping word loads rather than a copy loop.
#[inline]
fn load_left(bytes: &[u8]) -> u128 {
    let n = bytes.len();
    let word8 = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[at..at + 8]);
        u64::from_be_bytes(w)
    };
    let word4 = |at: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&bytes[at..at + 4]);
        u32::from_be_bytes(w)
    };
    if n >= 8 {
        let high = word8(0);
        // The last 8 bytes, shifted so that bytes 8..n sit at the top of the low word.
        let low = if n > 8 {
            word8(n - 8) << (8 * (16 - n))
        } else {
            0
        };
        ((high as u128) << 64) | low as u128
    } else if n >= 4 {
        let high = word4(0);
        let low = if n > 4 {
            word4(n - 4) << (8 * (8 - n))
        } else {
            0
        };
        ((((high as u64) << 32) | low as u64) as u128) << 64
    } else {
        let mut v = 0u128;
        for (i, &b) in bytes.iter().enumerate() {
            v |= (b as u128) << (120 - 8 * i);
        }
        v
    }
}

/// The exact key of a short term (at most [`SHORT_MAX`] bytes), or `None` for a long one.
#[inline]
pub(crate) fn short_key(kind: TermKind, text: &str) -> Option<u128> {
    let bytes = text.as_bytes();
    (bytes.len() <= SHORT_MAX)
        .then(|| ((kind as u8 as u128) << 120) | (load_left(bytes) >> 8) | bytes.len() as u128)
}

/// The longest whitespace-free chunk of text, in bytes, packed exactly by [`chunk_key`].
pub(crate) const CHUNK_MAX: usize = 15;

/// The exact key of the chunk `text[start..end]` of raw text, of 1 to [`CHUNK_MAX`] bytes —
/// its bytes, then its length in the low byte — or `None`. Raw chunks are not terms: they name
/// what the tokenizer is given, so that a chunk met again need not be tokenised again (see
/// [`crate::chunkmemo`]); the packing is injective like [`short_key`]'s. With 16 bytes of text
/// from `start` the key is one load and a mask, without a branch on the length.
#[inline]
pub(crate) fn chunk_key(text: &[u8], start: usize, end: usize) -> Option<u128> {
    let len = end.checked_sub(start)?;
    if !(1..=CHUNK_MAX).contains(&len) {
        return None;
    }
    let bytes = match text.get(start..start + 16) {
        Some(window) => {
            let mut w = [0u8; 16];
            w.copy_from_slice(window);
            // Keep the first `len` bytes: `len ≤ 15`, so the shift is below 128.
            u128::from_be_bytes(w) & (u128::MAX << (8 * (16 - len)))
        }
        None => load_left(text.get(start..end)?),
    };
    Some(bytes | len as u128)
}

/// The sort key of any term: its exact key if short; for a long term, its kind and first
/// [`SHORT_MAX`] bytes with a length byte above every short length.
pub(crate) fn sort_key(kind: TermKind, text: &str) -> u128 {
    short_key(kind, text).unwrap_or_else(|| {
        let head = &text.as_bytes()[..SHORT_MAX];
        ((kind as u8 as u128) << 120) | (load_left(head) >> 8) | LONG as u128
    })
}

/// Whether a sort key is a long term's.
#[inline]
pub(crate) fn is_long(key: u128) -> bool {
    key as u8 == LONG
}

/// The kind and text of a short key.
pub(crate) fn decode(key: u128) -> (TermKind, Box<str>) {
    let bytes = key.to_be_bytes();
    let len = (bytes[15] as usize).min(SHORT_MAX);
    let kind = TermKind::ALL
        .get(bytes[0] as usize)
        .copied()
        .unwrap_or_default();
    // Keys are packed from whole `&str`s only.
    let text = std::str::from_utf8(&bytes[1..1 + len]).unwrap_or_default();
    (kind, text.into())
}

/// The slot hash of a key: both halves mixed, high bits used.
#[inline]
pub(crate) fn key_hash(key: u128) -> u64 {
    let mixed = (key as u64) ^ ((key >> 64) as u64).rotate_left(23);
    let mixed = (mixed ^ (mixed >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    mixed ^ (mixed >> 32)
}

/// Short keys → dense local ids, in first-seen order (see the module documentation).
#[derive(Default)]
pub(crate) struct KeyTable {
    /// A power of two of slots, or none: the high half of the key's hash and id + 1 in the low
    /// half; 0 is an empty slot.
    slots: Vec<u64>,
    /// Id → key.
    keys: Vec<u128>,
}

impl KeyTable {
    /// Number of keys.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// The keys, by id.
    pub(crate) fn keys(&self) -> &[u128] {
        &self.keys
    }

    /// Starts loading the slot where the lookup of a key of hash `hash` ([`key_hash`]) begins:
    /// a hint with no effect on results.
    #[inline]
    pub(crate) fn prefetch(&self, hash: u64) {
        if !self.slots.is_empty() {
            prefetch(&self.slots, hash as usize & (self.slots.len() - 1));
        }
    }

    /// Starts loading the key of the term in the first slot probed for `hash` (after
    /// [`Self::prefetch`]): the term most likely equal to the one looked up.
    #[inline]
    pub(crate) fn prefetch_candidate(&self, hash: u64) {
        if let Some(&stored) = self
            .slots
            .get(hash as usize & self.slots.len().wrapping_sub(1))
        {
            if stored != 0 && stored >> 32 == hash >> 32 {
                prefetch(&self.keys, (stored as u32 - 1) as usize);
            }
        }
    }

    /// The id of `key` (of hash `hash`), added if new. A slot holds half of the hash: only
    /// a slot whose half matches is compared with the key, stored by id (the keys of frequent
    /// terms, seen first, are few and stay in cache).
    #[inline]
    pub(crate) fn intern(&mut self, key: u128, hash: u64) -> u32 {
        if 2 * (self.keys.len() + 1) > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let tag = hash >> 32;
        let mut at = hash as usize & mask;
        loop {
            match self.slots[at] {
                0 => break,
                stored => {
                    let id = stored as u32 - 1;
                    if stored >> 32 == tag && self.keys[id as usize] == key {
                        return id;
                    }
                }
            }
            at = (at + 1) & mask;
        }
        let id = self.keys.len() as u32;
        self.slots[at] = (tag << 32) | (id as u64 + 1);
        self.keys.push(key);
        id
    }

    /// Doubles the table (at least 1024 slots) and re-inserts every key.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        self.slots = vec![0; size];
        let mask = size - 1;
        for (id, &key) in self.keys.iter().enumerate() {
            let hash = key_hash(key);
            let mut at = hash as usize & mask;
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = ((hash >> 32) << 32) | (id as u64 + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The packing by definition: kind, bytes, zero padding, length.
    fn reference(kind: TermKind, text: &str) -> u128 {
        let mut b = [0u8; 16];
        b[0] = kind as u8;
        let n = text.len().min(SHORT_MAX);
        b[1..1 + n].copy_from_slice(&text.as_bytes()[..n]);
        b[15] = if text.len() <= SHORT_MAX {
            text.len() as u8
        } else {
            LONG
        };
        u128::from_be_bytes(b)
    }

    fn random_texts() -> Vec<String> {
        let alphabet: Vec<char> = "ab\u{0}\u{7f}zé東_:".chars().collect();
        let mut rng = contextivity_graph::Rng::new(0x9E37_79B9_7F4A_7C15);
        let mut next = |m: usize| rng.below(m as u64) as usize;
        let mut texts = vec![String::new()];
        for _ in 0..5000 {
            let len = next(20);
            texts.push((0..len).map(|_| alphabet[next(alphabet.len())]).collect());
        }
        texts
    }

    #[test]
    fn keys_pack_exactly_and_sort_like_kind_and_text() {
        let texts = random_texts();
        let mut terms: Vec<(TermKind, &str)> = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            terms.push((TermKind::ALL[i % 5], t));
            terms.push((TermKind::Word, t));
        }
        for &(k, t) in &terms {
            assert_eq!(sort_key(k, t), reference(k, t), "{t:?}");
            match short_key(k, t) {
                Some(key) => {
                    assert!(t.len() <= SHORT_MAX && !is_long(key));
                    assert_eq!(decode(key), (k, t.into()));
                }
                None => assert!(t.len() > SHORT_MAX && is_long(sort_key(k, t))),
            }
        }
        // Key order is `(kind, text)` order, ties only between long terms of one prefix.
        for pair in terms.windows(2) {
            let ((ka, ta), (kb, tb)) = (pair[0], pair[1]);
            let (a, b) = (sort_key(ka, ta), sort_key(kb, tb));
            if a != b {
                assert_eq!(a.cmp(&b), (ka, ta).cmp(&(kb, tb)), "{ta:?} {tb:?}");
            } else {
                assert!((ka, ta) == (kb, tb) || is_long(a));
            }
        }
    }

    /// Chunk keys by definition (bytes, zero padding, length), read inside longer texts at
    /// every position (with and without 16 bytes after the start), and injective.
    #[test]
    fn chunk_keys_are_exact_and_injective() {
        let texts = random_texts();
        let mut seen = std::collections::HashMap::new();
        for text in texts.iter().take(600) {
            let bytes = text.as_bytes();
            for start in 0..=bytes.len() {
                for end in start..=bytes.len() {
                    let chunk = &bytes[start..end];
                    let key = chunk_key(bytes, start, end);
                    assert_eq!(key.is_some(), (1..=CHUNK_MAX).contains(&chunk.len()));
                    let Some(key) = key else { continue };
                    let mut b = [0u8; 16];
                    b[..chunk.len()].copy_from_slice(chunk);
                    b[15] = chunk.len() as u8;
                    assert_eq!(key, u128::from_be_bytes(b), "{chunk:?}");
                    assert_eq!(*seen.entry(key).or_insert(chunk), chunk);
                }
            }
        }
        assert_eq!(chunk_key(b"ab", 1, 0), None);
        assert_eq!(chunk_key(b"ab", 0, 3), None);
        assert_ne!(chunk_key(b"a\0", 0, 1), chunk_key(b"a\0", 0, 2));
    }

    #[test]
    fn the_table_gives_dense_first_seen_ids() {
        let mut table = KeyTable::default();
        let keys: Vec<u128> = (0..10_000u128).map(|i| (i * 7919) << 64 | i).collect();
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(table.intern(k, key_hash(k)), i as u32);
        }
        for (i, &k) in keys.iter().enumerate().rev() {
            assert_eq!(table.intern(k, key_hash(k)), i as u32);
        }
        assert_eq!(table.len(), keys.len());
        assert_eq!(table.keys(), &keys[..]);
    }
}
