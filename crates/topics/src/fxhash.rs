//! A fast, non-cryptographic hasher for the tokeniser's per-chunk dictionaries.
//!
//! The multiply-rotate word hash of the Firefox and rustc hash tables ("FxHash"): a few
//! instructions per 8 bytes, against SipHash's rounds. Hash order never reaches a result here
//! (dictionaries are merged into a sorted vocabulary), so only speed matters. It is not
//! collision-resistant: an adversarial export could make one chunk's dictionary slow, not wrong.

use std::hash::{BuildHasherDefault, Hasher};

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

/// Builds [`FxHasher`]s for a `HashMap`.
pub type FxBuildHasher = BuildHasherDefault<FxHasher>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn equal_keys_hash_alike_and_nearby_keys_differ() {
        let h = |s: &str| FxBuildHasher::default().hash_one(s);
        assert_eq!(h("climate"), h("climate"));
        let all: std::collections::BTreeSet<u64> =
            ["a", "b", "ab", "ba", "abcdefgh", "abcdefgi", ""]
                .iter()
                .map(|s| h(s))
                .collect();
        assert_eq!(all.len(), 7);
    }
}
