//! English stop words: the words too common to say what someone talks about.
//!
//! The list is the classic English list used by NLTK (after the Snowball project's list; 179
//! words, contractions included, plus their fragments as UAX #29 leaves them, such as `don` and
//! `ll`), with more contractions (`i'm`, `they're`, `can't` …), the same contractions written
//! without an apostrophe as they often are in posts (`dont`, `im`), and a few social-media
//! fillers (`rt`, `via`, `amp` from `&amp;`, `http`, `https`, `www`). Matching is on the
//! lower-cased word with `'` as apostrophe. The list is kept sorted (a test checks it); lookups
//! go through a hash set built once.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::fxhash::FxBuildHasher;

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

/// Whether `word` (lower-case, ASCII apostrophe) is a stop word: one hash lookup of the word's
/// bytes packed into an integer.
pub fn is_stop_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<u128, FxBuildHasher>> = OnceLock::new();
    // The longest stop word has 10 bytes; longer words skip the lookup.
    match pack(word) {
        Some(key) => SET
            .get_or_init(|| STOP_WORDS.iter().filter_map(|w| pack(w)).collect())
            .contains(&key),
        None => false,
    }
}

/// The bytes of a word of at most 15 bytes and its length, as one integer.
#[inline]
fn pack(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > 15 {
        return None;
    }
    let mut key = [0u8; 16];
    key[..bytes.len()].copy_from_slice(bytes);
    key[15] = bytes.len() as u8;
    Some(u128::from_le_bytes(key))
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
        for w in ["climate", "solar", "rust", "the'"] {
            assert!(!is_stop_word(w), "{w}");
        }
    }
}
