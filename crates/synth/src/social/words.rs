//! Words: a built-in general vocabulary, pronounceable generated tokens for the topic words and
//! hashtags of each context, and people's names and handles.
//!
//! Topic words and hashtags are built from syllables (an onset, a vowel, sometimes a closing
//! consonant) picked by the bits of a SplitMix64 hash of `(seed, kind, index)`, so they are
//! deterministic, look like words (`brelosan`, `tikumar`) and need no table. Two contexts may
//! rarely draw the same token, as two real communities may share a word. Words are drawn with
//! Zipf's law (Zipf 1949; Piantadosi 2014 for a review): rank `r` has weight `(r + 1)^-1`.
//!
//! Names and handles are functions of `(seed, person)` so that a mention can be written without
//! storing anybody's handle. Complexity: a token costs `O(syllables)`.

use contextivity_graph::rng::splitmix64;

/// Common English words, roughly by frequency: the vocabulary every context shares.
pub(crate) const GENERAL_WORDS: &[&str] = &[
    "the",
    "and",
    "to",
    "a",
    "of",
    "in",
    "is",
    "it",
    "you",
    "that",
    "for",
    "on",
    "this",
    "with",
    "my",
    "just",
    "so",
    "we",
    "be",
    "at",
    "have",
    "are",
    "not",
    "but",
    "all",
    "new",
    "what",
    "about",
    "out",
    "up",
    "today",
    "your",
    "like",
    "one",
    "more",
    "get",
    "now",
    "time",
    "from",
    "can",
    "our",
    "great",
    "how",
    "some",
    "day",
    "good",
    "people",
    "here",
    "think",
    "really",
    "love",
    "know",
    "see",
    "first",
    "work",
    "thanks",
    "year",
    "still",
    "best",
    "week",
    "make",
    "thread",
    "need",
    "want",
    "way",
    "back",
    "going",
    "after",
    "every",
    "right",
    "next",
    "always",
    "never",
    "happy",
    "big",
    "little",
    "read",
    "share",
    "look",
    "last",
    "team",
    "something",
    "everyone",
    "glad",
    "hard",
    "fun",
    "idea",
    "talk",
    "post",
    "morning",
    "night",
    "tonight",
    "soon",
    "again",
    "finally",
    "thing",
    "things",
    "world",
    "help",
    "life",
    "long",
    "years",
    "start",
    "open",
    "free",
    "live",
    "home",
    "ever",
    "another",
    "amazing",
    "interesting",
    "question",
    "answer",
    "story",
    "project",
    "friends",
    "together",
    "excited",
    "proud",
    "working",
    "learned",
    "trying",
    "building",
    "reading",
    "watching",
    "writing",
    "playing",
    "looking",
    "forward",
    "weekend",
    "update",
    "news",
    "video",
    "photo",
    "link",
    "check",
    "join",
    "welcome",
    "folks",
    "anyone",
    "nobody",
    "maybe",
    "probably",
    "honestly",
    "actually",
    "pretty",
    "small",
    "old",
    "local",
    "public",
    "quick",
    "simple",
    "better",
    "favorite",
    "whole",
    "real",
];

const ONSETS: &[&str] = &[
    "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "tr", "ch",
    "sh", "gr", "pl", "kr", "th", "h",
];
const VOWELS: &[&str] = &[
    "a", "e", "i", "o", "u", "a", "e", "o", "ai", "ou", "ia", "ee",
];
const CODAS: &[&str] = &["n", "r", "s", "l", "m", "x", "nd", "rk", "sh", "t"];

/// Token streams: the `kind` mixed into the hash.
const KIND_HASHTAG: u64 = 0x0068_6173_6874_6167;
const KIND_WORD: u64 = 0x0077_6f72_6400;
const KIND_FIRST: u64 = 0x0066_6972_7374;
const KIND_LAST: u64 = 0x6c61_7374;

/// Appends a pronounceable token of 2–4 syllables chosen by `h`.
pub(crate) fn push_token(out: &mut String, mut h: u64) {
    let syllables = 2 + (h % 3) as usize;
    h /= 3;
    for _ in 0..syllables {
        out.push_str(ONSETS[(h % ONSETS.len() as u64) as usize]);
        h /= ONSETS.len() as u64;
        out.push_str(VOWELS[(h % VOWELS.len() as u64) as usize]);
        h /= VOWELS.len() as u64;
    }
    if h % 3 == 0 {
        h /= 3;
        out.push_str(CODAS[(h % CODAS.len() as u64) as usize]);
    }
}

fn hash(seed: u64, kind: u64, index: u64) -> u64 {
    splitmix64(splitmix64(seed ^ kind).wrapping_add(index))
}

/// The topic vocabulary of every context: `topics` hashtags and `3 · topics` words each.
#[derive(Clone, Debug)]
pub(crate) struct Vocabulary {
    topics: usize,
    hashtags: Vec<Box<str>>,
    words: Vec<Box<str>>,
}

/// Topic words per hashtag.
pub(crate) const WORDS_PER_TOPIC: usize = 3;

impl Vocabulary {
    /// Generates the vocabulary of `contexts` contexts. `O(contexts · topics)`.
    pub(crate) fn new(seed: u64, contexts: usize, topics: usize) -> Self {
        let make = |kind: u64, count: usize| -> Vec<Box<str>> {
            (0..count as u64)
                .map(|i| {
                    let mut s = String::with_capacity(12);
                    push_token(&mut s, hash(seed, kind, i));
                    s.into_boxed_str()
                })
                .collect()
        };
        Vocabulary {
            topics,
            hashtags: make(KIND_HASHTAG, contexts * topics),
            words: make(KIND_WORD, contexts * topics * WORDS_PER_TOPIC),
        }
    }

    /// Hashtag of rank `rank < topics` in `context` (without `#`).
    pub(crate) fn hashtag(&self, context: u32, rank: usize) -> &str {
        &self.hashtags[context as usize * self.topics + rank]
    }

    /// Topic word of rank `rank < 3 · topics` in `context`.
    pub(crate) fn word(&self, context: u32, rank: usize) -> &str {
        &self.words[context as usize * self.topics * WORDS_PER_TOPIC + rank]
    }

    /// Hashtags per context.
    pub(crate) fn topics(&self) -> usize {
        self.topics
    }
}

fn capitalised(out: &mut String, h: u64) {
    let start = out.len();
    push_token(out, h);
    if let Some(first) = out[start..].chars().next() {
        let upper = first.to_ascii_uppercase();
        out.replace_range(
            start..start + first.len_utf8(),
            upper.encode_utf8(&mut [0; 4]),
        );
    }
}

/// Appends the display name of `person`: a capitalised first and last name.
pub(crate) fn push_name(out: &mut String, seed: u64, person: u32) {
    capitalised(out, hash(seed, KIND_FIRST, u64::from(person)) >> 8);
    out.push(' ');
    capitalised(out, hash(seed, KIND_LAST, u64::from(person)));
}

/// Appends the handle of `person` (without `@`): the first name, lower case, and the id, which
/// keeps handles unique.
pub(crate) fn push_handle(out: &mut String, seed: u64, person: u32) {
    push_token(out, hash(seed, KIND_FIRST, u64::from(person)) >> 8);
    out.push('_');
    out.push_str(&person.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_lower_case_letters_and_vary() {
        let v = Vocabulary::new(7, 50, 4);
        let mut distinct = std::collections::BTreeSet::new();
        for c in 0..50u32 {
            for r in 0..4 {
                let t = v.hashtag(c, r);
                assert!(
                    t.len() >= 4 && t.chars().all(|ch| ch.is_ascii_lowercase()),
                    "{t}"
                );
                distinct.insert(t.to_string());
            }
            assert!(!v.word(c, 11).is_empty());
        }
        assert!(distinct.len() >= 195, "{} distinct of 200", distinct.len());
        assert_eq!(Vocabulary::new(7, 50, 4).hashtag(3, 2), v.hashtag(3, 2));
        assert_ne!(Vocabulary::new(8, 50, 4).hashtag(3, 2), v.hashtag(3, 2));
    }

    #[test]
    fn names_and_handles_are_deterministic_and_unique_by_id() {
        let (mut a, mut b) = (String::new(), String::new());
        push_name(&mut a, 1, 42);
        push_name(&mut b, 1, 42);
        assert_eq!(a, b);
        assert!(a.chars().next().unwrap().is_ascii_uppercase() && a.contains(' '));
        let (mut h1, mut h2) = (String::new(), String::new());
        push_handle(&mut h1, 1, 42);
        push_handle(&mut h2, 1, 43);
        assert!(h1.ends_with("_42") && h2.ends_with("_43"));
    }
}
