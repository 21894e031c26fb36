//! A fast, non-cryptographic hasher, and the per-chunk dictionary of long terms built on it.
//!
//! The multiply-rotate word hash of the Firefox and rustc hash tables ("FxHash"): a few
//! instructions per 8 bytes, against SipHash's rounds. Hash order never reaches a result here
//! (dictionaries are merged into a sorted vocabulary), so only speed matters. It is not
//! collision-resistant: an adversarial export could make one chunk's dictionary slow, not wrong.
//!
//! Short terms, nearly all of them, do not come here: they are packed into exact integer keys
//! ([`crate::termkey`]). The interner below keeps the rest, those longer than a key holds.

use std::hash::Hasher;

use crate::tokenize::TermKind;

/// The multiplier of FxHash (a 64-bit odd constant from the golden ratio).
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// A [`Hasher`] mixing 8 bytes at a time.
#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

// The interner: `(kind, text)` → a dense local id, without an allocation per term. Texts are
// copied once into a byte arena; the table is open addressing with linear probing, each slot
// holding the high half of the hash and the id, so a probe compares bytes only on a hash match
// and growth never rehashes text. Ids are given in first-seen order; callers sort the distinct
// terms afterwards (see `crate::extract`), so no id or hash order reaches a result.

/// Interns `(kind, text)` pairs of one chunk (see the module documentation).
#[derive(Debug, Default)]
pub(crate) struct Interner {
    /// Slot → the high half of the hash and id + 1 in the low half; 0 is an empty slot. The
    /// length is a power of two (or zero).
    slots: Vec<u64>,
    /// Id → hash of `(kind, text)`.
    hashes: Vec<u64>,
    /// Id → kind.
    kinds: Vec<TermKind>,
    /// Id → end of its text in `bytes` (the start is the previous id's end).
    ends: Vec<usize>,
    /// Every text, back to back.
    bytes: Vec<u8>,
}

impl Interner {
    /// Number of distinct terms.
    pub(crate) fn len(&self) -> usize {
        self.kinds.len()
    }

    /// The kind and text of `id`.
    pub(crate) fn get(&self, id: u32) -> (TermKind, &str) {
        // The arena holds only whole `&str`s copied in by `intern`.
        let text = std::str::from_utf8(self.text_bytes(id as usize)).unwrap_or_default();
        (self.kinds[id as usize], text)
    }

    /// The bytes of the text of id `i`.
    #[inline]
    fn text_bytes(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    /// The id of `(kind, text)`, added if new.
    #[cfg(test)]
    pub(crate) fn intern(&mut self, kind: TermKind, text: &str) -> u32 {
        self.intern_hashed(kind, text, hash(kind, text))
    }

    /// [`Self::intern`] with the term's hash ([`hash`]) already computed.
    #[inline]
    pub(crate) fn intern_hashed(&mut self, kind: TermKind, text: &str, hash: u64) -> u32 {
        if 2 * (self.len() + 1) > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let tag = hash >> 32;
        let mut slot = spread(hash) & mask;
        loop {
            match self.slots[slot] {
                0 => break,
                stored => {
                    // High half: the hash's high half; low half: id + 1.
                    let i = (stored as u32 - 1) as usize;
                    if stored >> 32 == tag
                        && self.kinds[i] == kind
                        && self.text_bytes(i) == text.as_bytes()
                    {
                        return i as u32;
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
        let id = self.kinds.len() as u32;
        self.slots[slot] = (tag << 32) | (id as u64 + 1);
        self.hashes.push(hash);
        self.kinds.push(kind);
        self.bytes.extend_from_slice(text.as_bytes());
        self.ends.push(self.bytes.len());
        id
    }

    /// Doubles the table (at least 1024 slots) and re-inserts every id by its stored hash.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        self.slots = vec![0; size];
        let mask = size - 1;
        for (id, &hash) in self.hashes.iter().enumerate() {
            let mut slot = spread(hash) & mask;
            while self.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = ((hash >> 32) << 32) | (id as u64 + 1);
        }
    }
}

/// The hash of a term: FxHash of its bytes, then its kind.
#[inline]
pub(crate) fn hash(kind: TermKind, text: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(text.as_bytes());
    h.write_u8(kind.tag());
    h.finish()
}

/// A slot index from a hash: FxHash's low bits are weak, so mix the high bits down.
#[inline]
fn spread(hash: u64) -> usize {
    ((hash ^ (hash >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    #[test]
    fn equal_keys_hash_alike_and_nearby_keys_differ() {
        let h = |s: &str| BuildHasherDefault::<FxHasher>::default().hash_one(s);
        assert_eq!(h("climate"), h("climate"));
        let all: std::collections::BTreeSet<u64> =
            ["a", "b", "ab", "ba", "abcdefgh", "abcdefgi", ""]
                .iter()
                .map(|s| h(s))
                .collect();
        assert_eq!(all.len(), 7);
    }

    #[test]
    fn ids_are_dense_stable_and_distinguish_kinds() {
        let mut d = Interner::default();
        let a = d.intern(TermKind::Word, "solar");
        let b = d.intern(TermKind::Hashtag, "solar");
        assert_ne!(a, b);
        assert_eq!(d.intern(TermKind::Word, "solar"), a);
        assert_eq!(d.get(b), (TermKind::Hashtag, "solar"));
        // Enough terms to grow several times; every id still found and read back.
        let words: Vec<String> = (0..20_000).map(|i| format!("w{i}")).collect();
        let ids: Vec<u32> = words.iter().map(|w| d.intern(TermKind::Word, w)).collect();
        assert_eq!(d.len(), 20_002);
        for (w, &id) in words.iter().zip(&ids) {
            assert_eq!(d.intern(TermKind::Word, w), id);
            assert_eq!(d.get(id), (TermKind::Word, w.as_str()));
        }
        assert_eq!(d.intern(TermKind::Word, ""), 20_002);
        assert_eq!(d.get(20_002), (TermKind::Word, ""));
    }
}
