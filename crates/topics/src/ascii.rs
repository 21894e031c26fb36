//! The tokenizer's fast path for ASCII text: the same terms as the Unicode path of
//! [`crate::tokenize`], read byte by byte without the Unicode tables.
//!
//! Restricted to ASCII, UAX #29 word segmentation reduces to a few byte classes: letters,
//! digits and `_` make words; `.`, `'` and `:` between two letters (WB6/WB7) and `.`, `,`, `;`
//! and `'` between two digits (WB11/WB12) stay inside a word; every other byte is its own
//! segment (WB999), as in `unicode-segmentation`'s own ASCII path. Whitespace is
//! `char::is_whitespace` in ASCII. The test below checks both paths on tricky strings and on
//! 20,000 random ones.
//!
//! Speed: whitespace and lower-case letters are found 64 bytes at a time, eight bytes per
//! integer operation and without branching on any byte ([`Chunks`]); a chunk of
//! lower-case letters only (most of them) is a word as it stands and skips the byte classes
//! and the word splitter; links are lower-cased in the scratch buffer, not allocated. Text
//! that is not all ASCII is read the same way, and only its chunks holding a non-ASCII
//! character go through the Unicode path (a second test compares that with the Unicode path
//! on random mixed text, a third the chunks with a plain byte-by-byte reading on long text).

use crate::tokenize::{
    emit_ascii_link_domain, emit_folded, split_link, tag_body, TermKind, Tokenizer,
};

impl Tokenizer {
    /// [`Tokenizer::text`] for any text: the chunks between ASCII whitespace are found 64
    /// bytes at a time ([`Chunks`]); a chunk of lower-case ASCII letters only (most of
    /// them) is a word as it stands, any other ASCII chunk goes through [`Self::ascii_chunk`],
    /// and a chunk holding a non-ASCII character is split at Unicode whitespace, its ASCII
    /// pieces read here and the others through the Unicode segmenter. Every ASCII whitespace
    /// character is Unicode whitespace, so the pieces are exactly those of
    /// `text.split_whitespace()`.
    pub(crate) fn chunked_text(
        &self,
        text: &str,
        scratch: &mut String,
        out: &mut dyn FnMut(TermKind, &str),
    ) {
        for (start, end, lower_only) in Chunks::new(text.as_bytes()) {
            // Chunk ends are next to ASCII bytes: always character boundaries.
            let Some(chunk) = text.get(start..end) else {
                continue;
            };
            if lower_only {
                self.ascii_letters_word(chunk, false, scratch, out);
            } else if chunk.is_ascii() {
                self.ascii_chunk(chunk, scratch, out);
            } else {
                for piece in chunk.split_whitespace() {
                    if piece.is_ascii() {
                        self.ascii_chunk(piece, scratch, out);
                    } else {
                        self.general_text(piece, scratch, out);
                    }
                }
            }
        }
    }

    /// The terms of one ASCII chunk without whitespace. Most chunks are plain words: a link
    /// needs a `.` or `:` (`www.`, `://`), a tag a `#` or `@`; the classes of the chunk's
    /// bytes skip what cannot apply.
    pub(crate) fn ascii_chunk(
        &self,
        chunk: &str,
        scratch: &mut String,
        out: &mut dyn FnMut(TermKind, &str),
    ) {
        let classes = chunk.bytes().fold(0u8, |acc, b| acc | CLASS[b as usize]);
        let (before, link) = if classes & LINK != 0 {
            split_link(chunk)
        } else {
            (chunk, None)
        };
        if classes & !(LOWER | UPPER) == 0 {
            // Letters only: the chunk is one word, known to hold a letter.
            self.ascii_letters_word(chunk, classes & UPPER != 0, scratch, out);
        } else if classes & TAG != 0 {
            self.ascii_tags_and_words(before, scratch, out);
        } else {
            self.ascii_words(before, scratch, out);
        }
        if let Some(link) = link {
            emit_ascii_link_domain(link, scratch, out);
        }
    }

    /// [`Tokenizer::tags_and_words`] for an ASCII chunk.
    pub(crate) fn ascii_tags_and_words(
        &self,
        chunk: &str,
        scratch: &mut String,
        out: &mut dyn FnMut(TermKind, &str),
    ) {
        let bytes = chunk.as_bytes();
        let (mut gap, mut pos) = (0, 0);
        let mut prev = b' ';
        while pos < bytes.len() {
            let c = bytes[pos];
            let kind = match c {
                b'#' => Some(TermKind::Hashtag),
                b'@' => Some(TermKind::Mention),
                _ => None,
            };
            let follows_word = prev.is_ascii_alphanumeric() || prev == b'_' || prev == b'&';
            if let Some((kind, (body, end))) = kind
                .filter(|_| !follows_word)
                .and_then(|k| Some((k, tag_body(chunk, pos + 1, k)?)))
            {
                self.ascii_words(&chunk[gap..pos], scratch, out);
                emit_folded(kind, body, scratch, out);
                gap = end;
                pos = end;
                prev = bytes[end - 1];
                continue;
            }
            prev = c;
            pos += 1;
        }
        self.ascii_words(&chunk[gap..], scratch, out);
    }

    /// [`Tokenizer::plain_words`] for ASCII text: UAX #29 words as `unicode-segmentation`
    /// finds them in ASCII (runs of letters, digits and `_`, joined by `.`, `'` and `:` between
    /// letters and by `.`, `,`, `;` and `'` between digits).
    pub(crate) fn ascii_words(
        &self,
        text: &str,
        scratch: &mut String,
        out: &mut dyn FnMut(TermKind, &str),
    ) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if is_core(bytes[i]) {
                let end = ascii_word_end(bytes, i);
                // `ascii_word` drops words without a letter, such as `_`.
                self.ascii_word(&text[i..end], scratch, out);
                i = end;
            } else {
                i += 1;
            }
        }
    }
}

/// Every maximal run of bytes of `bytes` that are not ASCII whitespace ([`is_ascii_space`]),
/// in order, as `(start, end, lower_only)`; `lower_only` says that the run holds lower-case
/// ASCII letters only.
///
/// The text is read 64 bytes at a time: [`block_masks`] gives one bit per byte for whitespace
/// and for lower-case letters, the runs start and end where the whitespace bit changes, and
/// the bits of the other bytes say whether a run is lower-case only. No byte is branched on,
/// so the cost per byte does not depend on how the words fall.
pub(crate) struct Chunks<'a> {
    bytes: &'a [u8],
    /// The first byte of the current block.
    base: usize,
    /// The bits of the current block where a run starts or ends, not yet reported.
    edges: u64,
    /// The bits of the current block's bytes that are neither whitespace nor lower-case.
    other: u64,
    /// The run being read: its start, whether it is open, and whether it holds another byte.
    start: usize,
    open: bool,
    other_seen: bool,
}

impl<'a> Chunks<'a> {
    /// The runs of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Chunks {
            bytes,
            // The first block is loaded by the first call to `next`.
            base: 0usize.wrapping_sub(64),
            edges: 0,
            other: 0,
            start: 0,
            open: false,
            other_seen: false,
        }
    }
}

impl Iterator for Chunks<'_> {
    type Item = (usize, usize, bool);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.edges != 0 {
                let i = self.edges.trailing_zeros() as usize;
                self.edges &= self.edges - 1;
                if self.open {
                    let from = self.start.saturating_sub(self.base);
                    self.other_seen |= (self.other & ((1u64 << i) - 1)) >> from != 0;
                    self.open = false;
                    return Some((self.start, self.base + i, !self.other_seen));
                }
                (self.start, self.open, self.other_seen) = (self.base + i, true, false);
                continue;
            }
            // The block is read: a run still open goes on into the next one.
            if self.open && self.base < self.bytes.len() {
                self.other_seen |= self.other >> self.start.saturating_sub(self.base) != 0;
            }
            self.base = self.base.wrapping_add(64);
            if self.base >= self.bytes.len() {
                // Bytes past the end count as whitespace, so only a run reaching the end of
                // a full last block is still open.
                if self.open {
                    self.open = false;
                    return Some((self.start, self.bytes.len(), !self.other_seen));
                }
                return None;
            }
            let (space, lower) = block_masks(self.bytes, self.base);
            self.other = !(space | lower);
            // Bit i: byte i − 1 is whitespace (bit 0: the byte before the block, or the start).
            let space_before = (space << 1) | u64::from(!self.open);
            self.edges = space ^ space_before;
        }
    }
}

/// The whitespace and lower-case-letter bits of the 64 bytes of `bytes` at `base` (bit `i`
/// for byte `base + i`); bytes past the end count as whitespace.
#[inline]
fn block_masks(bytes: &[u8], base: usize) -> (u64, u64) {
    let (mut space, mut lower) = (0u64, 0u64);
    for k in 0..8 {
        let at = base + 8 * k;
        let mut word = [b' '; 8];
        match bytes.get(at..at + 8) {
            Some(full) => word.copy_from_slice(full),
            None => {
                let tail = bytes.get(at..).unwrap_or_default();
                word[..tail.len()].copy_from_slice(tail);
            }
        }
        let (s, l) = word_masks(u64::from_le_bytes(word));
        space |= s << (8 * k);
        lower |= l << (8 * k);
    }
    (space, lower)
}

/// The whitespace and lower-case-letter bits (bit `j` for byte `j`, little-endian) of eight
/// bytes, without branches: each test is done on the low seven bits of every byte at once —
/// `b + (0x80 − lo)` has its top bit set exactly when `b ≥ lo`, and no sum carries into the
/// next byte since `b < 0x80` — and bytes of `0x80` and above (parts of non-ASCII
/// characters) are neither.
#[inline]
fn word_masks(x: u64) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW: u64 = !HIGH;
    let ascii = !x & HIGH;
    let low = x & LOW;
    let at_least = |lo: u8| low + ONES * (0x80 - lo as u64);
    // Space: the low bits XOR 0x20 are zero (adding 0x7F sets the top bit of any non-zero).
    let y = low ^ (ONES * b' ' as u64);
    let is_space = !((y + LOW) | y) & HIGH;
    // Tab, line feed, vertical tab, form feed, carriage return: 0x09..=0x0D.
    let control = at_least(0x09) & !at_least(0x0E) & HIGH;
    let lower = at_least(b'a') & !at_least(b'z' + 1) & HIGH;
    (
        gather_high_bits((is_space | control) & ascii),
        gather_high_bits(lower & ascii),
    )
}

/// The top bit of each byte of `m` (its only set bits) as the eight low bits of the result:
/// the multiplication moves the bit of byte `j` to bit `56 + j`, and no two partial products
/// meet, so nothing carries.
#[inline]
fn gather_high_bits(m: u64) -> u64 {
    ((m >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// [`CLASS`] bit of the bytes without which a chunk holds no link: `.` and `:`.
const LINK: u8 = 1;
/// [`CLASS`] bit of the bytes that may start a hashtag or a mention: `#` and `@`.
const TAG: u8 = 2;

/// [`CLASS`] bit of whitespace ([`is_ascii_space`]).
const SPACE: u8 = 4;

/// [`CLASS`] bit of lower-case letters.
const LOWER: u8 = 8;
/// [`CLASS`] bit of capital letters.
const UPPER: u8 = 16;
/// [`CLASS`] bit of every other byte that is not whitespace: digits, `_`, punctuation.
const OTHER: u8 = 32;

/// The class bits of every byte: exactly one of [`SPACE`], [`LOWER`], [`UPPER`], and
/// [`OTHER`] (with [`LINK`] or [`TAG`] for those bytes).
static CLASS: [u8; 256] = {
    let mut c = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        c[b] = if is_ascii_space(byte) {
            SPACE
        } else if byte.is_ascii_lowercase() {
            LOWER
        } else if byte.is_ascii_uppercase() {
            UPPER
        } else {
            OTHER
        };
        b += 1;
    }
    c[b'.' as usize] = OTHER | LINK;
    c[b':' as usize] = OTHER | LINK;
    c[b'#' as usize] = OTHER | TAG;
    c[b'@' as usize] = OTHER | TAG;
    c
};

/// Whitespace as `char::is_whitespace` reads it in ASCII: tab, line feed, vertical tab, form
/// feed, carriage return and space.
#[inline]
pub(crate) const fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// Letters, digits and `_`: the ASCII bytes that make up UAX #29 words.
#[inline]
pub(crate) fn is_core(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The end of the UAX #29 word segment starting at `start` (a [`is_core`] byte) of ASCII
/// `bytes`: letters, digits and `_`, with `.`, `'` or `:` between two letters (WB6/WB7) and
/// `.`, `,`, `;` or `'` between two digits (WB11/WB12) kept inside.
#[inline]
pub(crate) fn ascii_word_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        let b = bytes[i];
        let inside = is_core(b)
            || (i + 1 < bytes.len() && {
                let (prev, next) = (bytes[i - 1], bytes[i + 1]);
                match b {
                    b'.' | b'\'' | b':'
                        if prev.is_ascii_alphabetic() && next.is_ascii_alphabetic() =>
                    {
                        true
                    }
                    b'.' | b',' | b';' | b'\'' => prev.is_ascii_digit() && next.is_ascii_digit(),
                    _ => false,
                }
            });
        if !inside {
            break;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::TokenizerConfig;

    /// The ASCII fast path and the Unicode path give the same terms, on hand-picked tricky
    /// strings and on many random strings over an alphabet of the characters that matter.
    #[test]
    fn ascii_fast_path_matches_the_unicode_path() {
        let both = |t: &Tokenizer, text: &str| {
            let mut fast = Vec::new();
            let mut slow = Vec::new();
            let mut scratch = String::new();
            t.text_with(text, &mut scratch, &mut |k, w| {
                fast.push((k, w.to_string()))
            });
            t.general_text(text, &mut scratch, &mut |k, w| {
                slow.push((k, w.to_string()))
            });
            assert_eq!(fast, slow, "text {text:?}");
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            t.ascii_words(text, &mut scratch, &mut |k, w| {
                fast.push((k, w.to_string()))
            });
            t.plain_words(text, &mut scratch, &mut |k, w| {
                slow.push((k, w.to_string()))
            });
            assert_eq!(fast, slow, "words {text:?}");
        };
        let tokenizers = [
            Tokenizer::default(),
            Tokenizer::new(&TokenizerConfig {
                stop_words: false,
                stem: true,
            }),
        ];
        let tricky = [
            "Don't stop: it's the engineers' BEST day... e.g. U.S.A. vs u.s",
            "3.14 1,000,000 2;3 4'5 a1.b2 x.1 1.x a:b a::b _a_ __ a_'b",
            "#tag #Tag.end #don't #a:b #2024 #_ #_1 #a_ #cop28,29 #1.5x # ## #@x",
            "@Alice_B @bob@Mastodon.Social @x@y @x@.y @x@y. @x@y-z.org: mail bob@example.com",
            "a#b a@b &#39; &amp; (#x) [@y] '#z' \"@w\" ,#v; .@u",
            "https://www.Example.com/x?y=1 (http://user@news.bbc.co.uk:8080/a). www.a.org/b",
            "see:www.rust-lang.org/learn, HTTPS://GitHub.com xhttp://a.b Whttp://c.d http://x",
            "\tline\r\nbreaks\x0bvertical\x0cform\x1cfile sep\x7fdel ~tilde~ a-b a--b",
            "RT via @user: I'm here!!! y'all ain't it's its IT'S",
            "",
            "   ",
            "a",
        ];
        for t in &tokenizers {
            for text in tricky {
                both(t, text);
            }
        }
        // Random strings: letters, digits and every punctuation that moves a boundary.
        let alphabet: Vec<char> = "aAbBzZ019_.,;:'\"#@&/?-=()!~ \t\n\r\x0b\x0c\x1chtpswTPW"
            .chars()
            .collect();
        let words = [
            "http://", "https://", "www.", "the", "don't", "#", "@", ".com", "s'",
        ];
        let mut rng = contextivity_graph::Rng::new(0x2545_f491_4f6c_dd1d);
        let mut next = |m: usize| rng.below(m as u64) as usize;
        for _ in 0..20_000 {
            let len = next(24);
            let mut text = String::new();
            for _ in 0..len {
                if next(6) == 0 {
                    text.push_str(words[next(words.len())]);
                } else {
                    text.push(alphabet[next(alphabet.len())]);
                }
            }
            for t in &tokenizers {
                both(t, &text);
            }
        }
    }

    /// Text with some non-ASCII characters, read chunk by chunk (ASCII chunks on the ASCII
    /// path), gives the terms of the Unicode path, and ASCII links the domains it gives.
    #[test]
    fn mixed_text_matches_the_unicode_path() {
        let tokenizers = [
            Tokenizer::default(),
            Tokenizer::new(&TokenizerConfig {
                stop_words: false,
                stem: true,
            }),
        ];
        let alphabet: Vec<char> = "aAzZ09_.,;:'#@&/- \t\n\u{a0}\u{2003}é東京の🔥＃＠’ΣÉ"
            .chars()
            .collect();
        let words = [
            "https://www.Ex.com/x",
            "http://a.b",
            "www.",
            "the",
            "don't",
            "#Tag",
            "@bob@x.org",
            "東京の天気",
            "Café",
            " ",
        ];
        let mut rng = contextivity_graph::Rng::new(0x9e37_79b9_7f4a_7c15);
        let mut next = |m: usize| rng.below(m as u64) as usize;
        for _ in 0..20_000 {
            let len = next(30);
            let mut text = String::new();
            for _ in 0..len {
                if next(4) == 0 {
                    text.push_str(words[next(words.len())]);
                } else {
                    text.push(alphabet[next(alphabet.len())]);
                }
            }
            for t in &tokenizers {
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                let mut scratch = String::new();
                t.text_with(&text, &mut scratch, &mut |k, w| {
                    fast.push((k, w.to_string()))
                });
                t.general_text(&text, &mut scratch, &mut |k, w| {
                    slow.push((k, w.to_string()))
                });
                assert_eq!(fast, slow, "text {text:?}");
            }
        }
    }

    /// The chunks found 64 bytes at a time are those of a byte-by-byte reading, on texts
    /// that cross block boundaries (lengths around multiples of 64, non-ASCII characters
    /// split across blocks, every ASCII whitespace byte).
    #[test]
    fn chunks_match_a_byte_by_byte_reading() {
        let reference = |bytes: &[u8]| {
            let mut v = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if is_ascii_space(bytes[i]) {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < bytes.len() && !is_ascii_space(bytes[i]) {
                    i += 1;
                }
                let lower = bytes[start..i].iter().all(u8::is_ascii_lowercase);
                v.push((start, i, lower));
            }
            v
        };
        let alphabet: Vec<char> = "aqz `{AZ09_.#@\t\n\r\x0b\x0c\x1c\x7fé🔥\u{a0}東"
            .chars()
            .collect();
        let mut rng = contextivity_graph::Rng::new(0x5851_f42d_4c95_7f2d);
        let mut next = |m: usize| rng.below(m as u64) as usize;
        for round in 0..5_000 {
            let target = if round % 2 == 0 {
                64 * (1 + next(4)) + next(3) - 1
            } else {
                next(300)
            };
            let mut text = String::new();
            while text.len() < target {
                // Long runs of one kind too, so that chunks span whole blocks.
                let c = alphabet[next(alphabet.len())];
                for _ in 0..1 + next(4) * next(20) {
                    text.push(c);
                }
            }
            let found: Vec<_> = Chunks::new(text.as_bytes()).collect();
            assert_eq!(found, reference(text.as_bytes()), "text {text:?}");
        }
        for b in 0..=255u8 {
            let (space, lower) = word_masks(u64::from_le_bytes([b; 8]));
            let want = |yes: bool| if yes { 0xFF } else { 0 };
            assert_eq!(space, want(is_ascii_space(b)), "byte {b:#x}");
            assert_eq!(lower, want(b.is_ascii_lowercase()), "byte {b:#x}");
        }
    }

    /// Long mixed texts (several blocks) give the terms of the Unicode path.
    #[test]
    fn long_text_matches_the_unicode_path() {
        let t = Tokenizer::default();
        let words = [
            "alpha",
            "the",
            "Beta",
            "#tag",
            "@bob",
            "https://www.Ex.com/x",
            "don't",
            "3.14",
            "café",
            "東京の天気",
            "🔥",
            "x",
            "e.g.",
            "rust_lang",
            "www.a.org/b",
        ];
        let spaces = [" ", "  ", "\t", "\n", "\u{a0}", "\u{2003}", ""];
        let mut rng = contextivity_graph::Rng::new(0x1405_7b7e_f767_814f);
        let mut next = |m: usize| rng.below(m as u64) as usize;
        for _ in 0..3_000 {
            let mut text = String::new();
            for _ in 0..next(60) {
                text.push_str(words[next(words.len())]);
                text.push_str(spaces[next(spaces.len())]);
            }
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            let mut scratch = String::new();
            t.text_with(&text, &mut scratch, &mut |k, w| {
                fast.push((k, w.to_string()))
            });
            t.general_text(&text, &mut scratch, &mut |k, w| {
                slow.push((k, w.to_string()))
            });
            assert_eq!(fast, slow, "text {text:?}");
        }
    }
}
