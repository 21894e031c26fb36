//! English stop words: the words too common to say what someone talks about.
//!
//! The list is the classic English list used by NLTK (after the Snowball project's list; 179
//! words, contractions included, plus their fragments as UAX #29 leaves them, such as `don` and
//! `ll`), with more contractions (`i'm`, `they're`, `can't` …), the same contractions written
//! without an apostrophe as they often are in posts (`dont`, `im`), and a few social-media
//! fillers (`rt`, `via`, `amp` from `&amp;`, `http`, `https`, `www`). Matching is on the
//! lower-cased word with `'` as apostrophe. The list is kept sorted (a test checks it); lookups
//! go through a small table of the words packed into integers, built once.

use std::sync::OnceLock;

/// The stop words, sorted by bytes.
pub const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "ain",
    "all",
    "also",
    "am",
    "amp",
    "an",
    "and",
    "any",
    "are",
    "aren",
    "aren't",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "can't",
    "cannot",
    "cant",
    "could",
    "couldn",
    "couldn't",
    "d",
    "did",
    "didn",
    "didn't",
    "didnt",
    "do",
    "does",
    "doesn",
    "doesn't",
    "doesnt",
    "doing",
    "don",
    "don't",
    "dont",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "hadn",
    "hadn't",
    "has",
    "hasn",
    "hasn't",
    "have",
    "haven",
    "haven't",
    "having",
    "he",
    "he'd",
    "he'll",
    "he's",
    "her",
    "here",
    "here's",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "how's",
    "http",
    "https",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "im",
    "in",
    "into",
    "is",
    "isn",
    "isn't",
    "isnt",
    "it",
    "it's",
    "its",
    "itself",
    "ive",
    "just",
    "let's",
    "ll",
    "m",
    "ma",
    "me",
    "mightn",
    "mightn't",
    "more",
    "most",
    "mustn",
    "mustn't",
    "my",
    "myself",
    "needn",
    "needn't",
    "no",
    "nor",
    "not",
    "now",
    "o",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "re",
    "rt",
    "s",
    "same",
    "shan",
    "shan't",
    "she",
    "she'd",
    "she'll",
    "she's",
    "should",
    "should've",
    "shouldn",
    "shouldn't",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "that'll",
    "that's",
    "thats",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they'd",
    "they'll",
    "they're",
    "they've",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "ve",
    "very",
    "via",
    "was",
    "wasn",
    "wasn't",
    "we",
    "we'd",
    "we'll",
    "we're",
    "we've",
    "were",
    "weren",
    "weren't",
    "what",
    "what's",
    "when",
    "when's",
    "where",
    "where's",
    "which",
    "while",
    "who",
    "who's",
    "whom",
    "why",
    "why's",
    "will",
    "with",
    "won",
    "won't",
    "wont",
    "would",
    "wouldn",
    "wouldn't",
    "www",
    "y",
    "yet",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Whether `word` (lower-case, ASCII apostrophe) is a stop word: the word's bytes packed into
/// one integer, looked up in a small open-addressing table that stays in the L1 cache.
#[inline]
pub fn is_stop_word(word: &str) -> bool {
    let table = TABLE.get_or_init(StopTable::new);
    let bytes = word.as_bytes();
    if bytes.len() > table.longest {
        return false;
    }
    let bit = sketch(bytes);
    if table.sketch[bit / 64] & (1 << (bit % 64)) == 0 {
        return false; // most words that are not stop words end here
    }
    table.contains(pack(bytes))
}

/// A bit of [`StopTable::sketch`] for a word, from its length and its first, second and last
/// bytes: a cheap first test that rules out most words without packing them.
#[inline]
fn sketch(bytes: &[u8]) -> usize {
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return 0;
    };
    let second = bytes.get(1).copied().unwrap_or(0);
    let mixed =
        (first as u32) | (second as u32) << 8 | (last as u32) << 16 | (bytes.len() as u32) << 24;
    (mixed.wrapping_mul(0x9E37_79B1) >> 20) as usize % SKETCH_BITS
}

/// Bits of [`StopTable::sketch`].
const SKETCH_BITS: usize = 4096;

/// The stop words as packed keys ([`pack`]), by open addressing with linear probing.
struct StopTable {
    /// Packed keys; 0 is an empty slot (no packed word is 0: the length byte of a word is at
    /// least 1, and the empty word is never looked up in the table).
    slots: Vec<u128>,
    /// Length in bytes of the longest stop word: longer words skip the lookup.
    longest: usize,
    /// A Bloom filter of one hash: the [`sketch`] bits of the stop words.
    sketch: Vec<u64>,
}

/// Slots of [`StopTable`] (a power of two, at least twice the number of stop words).
const STOP_SLOTS: usize = 1024;

static TABLE: OnceLock<StopTable> = OnceLock::new();

impl StopTable {
    fn new() -> Self {
        let mut table = StopTable {
            slots: vec![0; STOP_SLOTS],
            longest: 0,
            sketch: vec![0; SKETCH_BITS / 64],
        };
        for w in STOP_WORDS.iter().filter(|w| !w.is_empty() && w.len() <= 15) {
            table.longest = table.longest.max(w.len());
            let bit = sketch(w.as_bytes());
            table.sketch[bit / 64] |= 1 << (bit % 64);
            let key = pack(w.as_bytes());
            let mut slot = slot_of(key);
            while table.slots[slot] != 0 && table.slots[slot] != key {
                slot = (slot + 1) % STOP_SLOTS;
            }
            table.slots[slot] = key;
        }
        table
    }

    #[inline]
    fn contains(&self, key: u128) -> bool {
        let mut slot = slot_of(key);
        loop {
            match self.slots[slot] {
                0 => return false,
                k if k == key => return true,
                _ => slot = (slot + 1) % STOP_SLOTS,
            }
        }
    }
}

/// The table slot of a packed key.
#[inline]
fn slot_of(key: u128) -> usize {
    let mixed = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
    (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54) as usize % STOP_SLOTS
}

/// The bytes of a word of at most 15 bytes (little-endian) and its length in the top byte, as
/// one integer; callers check the length.
#[inline]
fn pack(bytes: &[u8]) -> u128 {
    let mut key = (bytes.len() as u128) << 120;
    for (i, &b) in bytes.iter().take(15).enumerate() {
        key |= (b as u128) << (8 * i);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_unique_and_real() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.len() >= 170, "{} words", STOP_WORDS.len());
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 10));
        for w in ["the", "and", "don't", "they're", "rt", "i"] {
            assert!(is_stop_word(w), "{w}");
        }
        for w in STOP_WORDS {
            assert!(is_stop_word(w), "{w}");
        }
        for w in [
            "climate",
            "solar",
            "rust",
            "the'",
            "",
            "thee",
            "th",
            "yourselvesx",
            "a'",
        ] {
            assert!(!is_stop_word(w), "{w}");
        }
    }
}
