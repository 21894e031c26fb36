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
//! Speed: a chunk's end is found with its byte classes gathered on the way, a leading run of
//! lower-case letters eight bytes at a time ([`lower_run_end`]); a chunk of letters only (most
//! of them) is a word as it stands and skips the word splitter; links are lower-cased in the
//! scratch buffer, not allocated. Text that is not all ASCII is still read chunk by chunk, its
//! ASCII chunks here ([`Tokenizer::text_with`]; a second test compares that with the Unicode
//! path on random mixed text).

use crate::tokenize::{
    emit_ascii_link_domain, emit_folded, split_link, tag_body, TermKind, Tokenizer,
};

impl Tokenizer {
    /// [`Tokenizer::text`] for ASCII text: the same terms, read byte by byte.
    pub(crate) fn ascii_text(
        &self,
        text: &str,
        scratch: &mut String,
        out: &mut dyn FnMut(TermKind, &str),
    ) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            while i < bytes.len() && CLASS[bytes[i] as usize] & SPACE != 0 {
                i += 1;
            }
            // Most chunks are plain words: a link needs a `.` or `:` (`www.`, `://`), a tag a
            // `#` or `@`; the classes of the chunk's bytes, gathered while finding its end,
            // skip what cannot apply.
            let start = i;
            i = lower_run_end(bytes, i);
            let mut classes = if i > start { LOWER } else { 0 };
            while let Some(&b) = bytes.get(i) {
                let class = CLASS[b as usize];
                if class & SPACE != 0 {
                    break;
                }
                classes |= class;
                i += 1;
            }
            if start == i {
                break;
            }
            let chunk = &text[start..i];
            let (before, link) = if classes & LINK != 0 {
                split_link(chunk)
            } else {
                (chunk, None)
            };
            if classes & !(LOWER | UPPER) == 0 {
                // Letters only (most chunks): the chunk is one word, known to hold a letter.
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

/// Calls `f(start, end)` with the byte range of every chunk of ASCII `bytes` between
/// whitespace, in order: the chunks [`Tokenizer::ascii_text`] reads one by one. The text is
/// read 64 bytes at a time: a bit mask of the block's whitespace ([`space_mask`]) gives the
/// mask of the bytes that start a chunk (not whitespace, after whitespace) and of those that
/// end one (whitespace after a chunk byte); chunks are then the pairs of their lowest set
/// bits, with no branch per byte. Ranges rather than slices: a caller that remembers chunks by
/// their bytes needs no string slice (and its boundary checks) for most of them.
pub(crate) fn ascii_chunks(bytes: &[u8], mut f: impl FnMut(usize, usize)) {
    let mut tail = [b' '; 64];
    // `inside`: the bytes before the block end inside a chunk, begun at `start`.
    let (mut base, mut start, mut inside) = (0, 0, false);
    while base < bytes.len() {
        // A last, shorter block is padded with spaces, which end a chunk at the end of the
        // text.
        let block = match bytes.get(base..base + 64) {
            Some(block) => block,
            None => {
                let rest = &bytes[base..];
                tail[..rest.len()].copy_from_slice(rest);
                tail[rest.len()..].fill(b' ');
                &tail[..]
            }
        };
        let spaces = space_mask(block);
        let carry = u64::from(inside);
        let mut starts = !spaces & ((spaces << 1) | (carry ^ 1));
        let mut ends = spaces & ((!spaces << 1) | carry);
        if inside && ends != 0 {
            f(start, base + ends.trailing_zeros() as usize);
            ends &= ends - 1;
            inside = false;
        }
        // Starts and ends alternate: each start pairs with the next end, if the block has it.
        while starts != 0 {
            start = base + starts.trailing_zeros() as usize;
            starts &= starts - 1;
            if ends == 0 {
                inside = true;
                break;
            }
            f(start, base + ends.trailing_zeros() as usize);
            ends &= ends - 1;
        }
        base += 64;
    }
    // A chunk running to the end of a text whose length is a multiple of 64.
    if inside {
        f(start, bytes.len());
    }
}

/// Bit `i` set when byte `i` of a 64-byte ASCII block is whitespace ([`is_ascii_space`]: a
/// space, or `\t` to `\r`), eight bytes per integer operation. For bytes below 0x80 no sum
/// below carries into the next byte: the top bit of each byte of `x ^ 0x20…` plus `0x7f…` is
/// clear exactly for a space, of `x + 0x77…` set from `\t` (9) up, of `x + 0x72…` set above
/// `\r` (13); the eight top bits are then gathered into a byte by one multiplication.
#[inline]
fn space_mask(block: &[u8]) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut mask = 0;
    for (k, word) in block.chunks_exact(8).take(8).enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let x = u64::from_le_bytes(w);
        let space = !((x ^ (ONES * b' ' as u64)) + ONES * 0x7f);
        let control = (x + ONES * (0x80 - 9)) & !(x + ONES * (0x80 - 14));
        let top = (space | control) & HIGH;
        // Top bits at 8j + 7 → bit j of the top byte of the product.
        let bits = ((top >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
        mask |= bits << (8 * k);
    }
    mask
}

/// The end of the run of lower-case ASCII letters starting at `at`, found eight bytes at a
/// time (most chunks are lower-case words): a byte `b < 0x80` is in `a..=z` exactly when
/// `b + (0x80 − b'a')` has its top bit set and `b + (0x80 − b'z' − 1)` has not, and no sum
/// carries into the next byte. The rest of the chunk is read byte by byte.
#[inline]
fn lower_run_end(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(word) = bytes.get(at..at + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let x = u64::from_le_bytes(w);
        if x & HIGH != 0 {
            break; // not ASCII: left to the byte loop
        }
        let at_least_a = x + ONES * (0x80 - b'a' as u64);
        let above_z = x + ONES * (0x80 - b'z' as u64 - 1);
        let lower = at_least_a & !above_z & HIGH;
        if lower != HIGH {
            // The first byte (little-endian: the lowest) that is not a lower-case letter.
            return at + ((!lower & HIGH).trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at
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
            assert_eq!(
                terms(t, Tokenizer::ascii_text, text),
                terms(t, Tokenizer::general_text, text),
                "text {text:?}"
            );
            assert_eq!(
                terms(t, Tokenizer::ascii_words, text),
                terms(t, Tokenizer::plain_words, text),
                "words {text:?}"
            );
            assert_same_terms_as_the_unicode_path(t, text);
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

    /// The chunks read 64 bytes at a time are the runs between whitespace bytes, for every
    /// ASCII byte, at every length around the block size.
    #[test]
    fn ascii_chunks_are_the_runs_between_whitespace() {
        let mut rng = contextivity_graph::Rng::new(0x5851_f42d_4c95_7f2d);
        for len in (0..200).chain([255, 256, 257, 1000]) {
            for _ in 0..20 {
                let text: String = (0..len)
                    .map(|_| match rng.below(4) {
                        0 => [b' ', b'\t', b'\n', 0x0b, 0x0c, b'\r'][rng.below(6) as usize],
                        1 => rng.below(0x80) as u8,
                        _ => b'a' + rng.below(26) as u8,
                    } as char)
                    .collect();
                let mut got = Vec::new();
                ascii_chunks(text.as_bytes(), |a, b| got.push(&text[a..b]));
                let expected: Vec<&str> = text
                    .split(|c: char| is_ascii_space(c as u8))
                    .filter(|c| !c.is_empty())
                    .collect();
                assert_eq!(got, expected, "{text:?}");
            }
        }
        for b in 0..0x80u8 {
            let block = [b; 64];
            let expected = if is_ascii_space(b) { u64::MAX } else { 0 };
            assert_eq!(space_mask(&block), expected, "byte {b:#x}");
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
                assert_same_terms_as_the_unicode_path(t, &text);
            }
        }
    }

    /// Long mixed texts (many chunks, every kind of term, ASCII and Unicode whitespace) give the
    /// terms of the Unicode path.
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
            assert_same_terms_as_the_unicode_path(&t, &text);
        }
    }

    /// [`Tokenizer::text_with`] gives the terms of the Unicode path on `text`, and so does
    /// reading it chunk by chunk.
    fn assert_same_terms_as_the_unicode_path(t: &Tokenizer, text: &str) {
        let mut by_chunk = Vec::new();
        Tokenizer::for_each_chunk(text, |a, b| {
            let chunk = &text[a..b];
            assert!(!chunk.is_empty() && !chunk.contains(char::is_whitespace));
            by_chunk.extend(terms(t, Tokenizer::chunk_with, chunk));
        });
        assert_eq!(
            by_chunk,
            terms(t, Tokenizer::general_text, text),
            "chunks {text:?}"
        );
        assert_eq!(
            terms(t, Tokenizer::text_with, text),
            terms(t, Tokenizer::general_text, text),
            "text {text:?}"
        );
    }

    /// One of the tokenizer's ways of reading text: `(tokenizer, text, scratch, out)`.
    type Reading = fn(&Tokenizer, &str, &mut String, &mut dyn FnMut(TermKind, &str));

    /// The terms `reading` gives on `text`, as `(kind, text)` in order.
    fn terms(t: &Tokenizer, reading: Reading, text: &str) -> Vec<(TermKind, String)> {
        let mut out = Vec::new();
        reading(t, text, &mut String::new(), &mut |k, w| {
            out.push((k, w.to_string()))
        });
        out
    }
}
