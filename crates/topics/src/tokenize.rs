//! Text → terms: hashtags, @mentions, link domains and words, each tagged with its [`TermKind`].
//!
//! A text is read one whitespace-separated chunk at a time:
//!
//! 1. **Links.** A chunk holding `http://`, `https://` or starting with `www.` ends in a link; the
//!    link becomes its host, lower-cased, without `www.`, port or user part
//!    (`https://www.Example.com/x?y` → `example.com`). The path is not read: it rarely names a
//!    topic and mostly adds unique tokens.
//! 2. **Hashtags and mentions.** A `#` or `@` (or the full-width `＃`, `＠`) that does not follow
//!    a letter, digit, `_` or `&` starts a tag. Its body is the run of UAX #29 word segments right
//!    after the sign (so combining marks, `_` and scripts without spaces stay inside:
//!    `#café`, `#東京`, `#climate_change`), cut at the first `.`, `'`, `’` or `:`; it is
//!    case-folded. A hashtag needs one non-digit character (`#2024` is not one, `#cop28` is).
//!    A mention may carry a fediverse instance: `@alice@mastodon.social`. An e-mail address is
//!    not a mention (its `@` follows a letter).
//! 3. **Words.** Everything else is split into words by Unicode word segmentation (UAX #29,
//!    through `unicode-segmentation`), which keeps `don't`, `e.g` and `3.14` whole and drops
//!    punctuation and emoji. A word is lower-cased, `’` becomes `'`, a trailing `'s` or `'` is
//!    removed; words without a letter (numbers), words of one character and stop words are
//!    dropped; [`TokenizerConfig::stem`] applies the Snowball English stemmer (Porter 2).
//!    Han ideographs and kana are single segments under UAX #29; a run of them is turned into
//!    overlapping bigrams (`東京の天気` → `東京 京の の天 天気`), the usual dictionary-free way
//!    to index Chinese and Japanese, and a lone ideograph is dropped like any one-character word.
//!
//! Terms are emitted in text order to a callback, so the caller decides how to count them
//! without an allocation per term. Cost: linear in the text length. ASCII text (most posts),
//! and each whitespace-separated ASCII chunk of other text, takes a byte-level path that
//! applies the same rules without the Unicode tables: UAX #29 restricted to ASCII is a handful
//! of byte classes (letters, digits, `_`, and `.` `'` `:` `,` `;` inside words and numbers);
//! tests check that the paths give the same terms on tricky and on random strings.
//!
//! Known limits: text is not Unicode-normalised (a decomposed `é` and a composed one differ),
//! bare domains without a scheme (`example.com`) are read as words, and Thai, Lao, Khmer and
//! Burmese are not split into words (UAX #29 has no dictionary).

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use crate::ascii::{ascii_chunks, ascii_word_end, is_core};
use crate::stopwords::is_stop_word;

/// What a term is. The order is the order of the vocabulary and of label sections.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum TermKind {
    /// `#tag`, from post text, a post's hashtag list or a bio; stored without the `#`.
    Hashtag,
    /// `@handle`, stored without the `@`.
    Mention,
    /// The host of a link: `example.com`.
    Domain,
    /// A word of post text, bio, name or handle.
    #[default]
    Word,
    /// A categorical person attribute, `column:value`.
    Attribute,
}

impl TermKind {
    /// Every kind, in vocabulary order.
    pub const ALL: [TermKind; 5] = [
        TermKind::Hashtag,
        TermKind::Mention,
        TermKind::Domain,
        TermKind::Word,
        TermKind::Attribute,
    ];

    /// A one-byte tag that sorts like the kind (used to build vocabulary keys).
    #[inline]
    pub fn tag(self) -> u8 {
        b'0' + self as u8
    }

    /// The kind of a [`TermKind::tag`] byte.
    pub fn from_tag(tag: u8) -> Option<TermKind> {
        TermKind::ALL.get(tag.checked_sub(b'0')? as usize).copied()
    }

    /// How the kind is shown: `#` for hashtags, `@` for mentions, nothing otherwise.
    pub fn prefix(self) -> &'static str {
        match self {
            TermKind::Hashtag => "#",
            TermKind::Mention => "@",
            _ => "",
        }
    }
}

/// How text becomes terms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenizerConfig {
    /// Drop English stop words (the list in [`crate::stopwords`]).
    pub stop_words: bool,
    /// Reduce words to their Snowball English stem (`running` → `run`). Off by default: labels
    /// read better with whole words, and short social texts gain little.
    pub stem: bool,
}

impl Default for TokenizerConfig {
    fn default() -> Self {
        TokenizerConfig {
            stop_words: true,
            stem: false,
        }
    }
}

/// Splits text into terms (see the module documentation). Cheap to share between threads.
pub struct Tokenizer {
    stop_words: bool,
    stemmer: Option<Stemmer>,
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokenizer")
            .field("stop_words", &self.stop_words)
            .field("stem", &self.stemmer.is_some())
            .finish()
    }
}

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer::new(&TokenizerConfig::default())
    }
}

impl Tokenizer {
    /// A tokenizer for `config`.
    pub fn new(config: &TokenizerConfig) -> Self {
        Tokenizer {
            stop_words: config.stop_words,
            stemmer: config.stem.then(|| Stemmer::create(Algorithm::English)),
        }
    }

    /// Emits every term of `text` (links, hashtags, mentions and words) in order.
    pub fn text(&self, text: &str, out: &mut dyn FnMut(TermKind, &str)) {
        let mut scratch = String::new();
        self.text_with(text, &mut scratch, out);
    }

    /// [`Tokenizer::text`] with a caller-owned scratch buffer (no allocation per call once the
    /// buffer has grown).
    pub fn text_with(&self, text: &str, scratch: &mut String, out: &mut dyn FnMut(TermKind, &str)) {
        if text.is_ascii() {
            self.ascii_text(text, scratch, out);
        } else {
            self.mixed_text(text, scratch, out);
        }
    }

    /// Calls `f(start, end)` with the byte range of every whitespace-separated chunk of
    /// `text`, in order. The tokenizer reads each chunk on its own, so the terms of a text are
    /// the terms of its chunks ([`Self::chunk_with`]) one after the other, and a caller may
    /// remember the terms of a chunk met before (a test checks the equivalence).
    pub(crate) fn for_each_chunk(text: &str, mut f: impl FnMut(usize, usize)) {
        if text.is_ascii() {
            ascii_chunks(text.as_bytes(), f);
        } else {
            let base = text.as_ptr() as usize;
            for chunk in text.split_whitespace() {
                let start = chunk.as_ptr() as usize - base;
                f(start, start + chunk.len());
            }
        }
    }

    /// The terms of one chunk of text without whitespace ([`Self::for_each_chunk`]): an
    /// ASCII chunk takes the ASCII path, any other the Unicode segmenter.
    pub(crate) fn chunk_with(
        &self,
        chunk: &str,
        scratch: &mut String,
        out: &mut dyn FnMut(TermKind, &str),
    ) {
        if chunk.is_ascii() {
            self.ascii_text(chunk, scratch, out);
        } else {
            self.general_text(chunk, scratch, out);
        }
    }

    /// [`Tokenizer::text`] for text with some non-ASCII characters: whitespace-separated
    /// chunks are read one by one in any case, so an ASCII chunk (most of them: an emoji or an
    /// accented word rarely makes a whole post non-ASCII) takes the ASCII path and only the
    /// others go through the Unicode segmenter. The same terms as [`Self::general_text`] (a
    /// test compares them).
    pub(crate) fn mixed_text(
        &self,
        text: &str,
        scratch: &mut String,
        out: &mut dyn FnMut(TermKind, &str),
    ) {
        for chunk in text.split_whitespace() {
            self.chunk_with(chunk, scratch, out);
        }
    }

    /// [`Tokenizer::text`] for any text, through the Unicode segmenter.
    pub(crate) fn general_text(
        &self,
        text: &str,
        scratch: &mut String,
        out: &mut dyn FnMut(TermKind, &str),
    ) {
        for chunk in text.split_whitespace() {
            let (before, link) = split_link(chunk);
            self.tags_and_words(before, scratch, out);
            if let Some(domain) = link.and_then(link_domain) {
                emit_folded(TermKind::Domain, &domain, scratch, out);
            }
        }
    }

    /// Emits the words of `text` only: for names and handles, where `#` and `@` mean nothing.
    pub fn words(&self, text: &str, out: &mut dyn FnMut(TermKind, &str)) {
        let mut scratch = String::new();
        self.words_with(text, &mut scratch, out);
    }

    /// [`Tokenizer::words`] with a caller-owned scratch buffer.
    pub fn words_with(
        &self,
        text: &str,
        scratch: &mut String,
        out: &mut dyn FnMut(TermKind, &str),
    ) {
        if text.is_ascii() {
            self.ascii_words(text, scratch, out);
        } else {
            self.plain_words(text, scratch, out);
        }
    }

    /// Every term of `text` as owned pairs (convenient for tests and one-off use).
    pub fn tokens(&self, text: &str) -> Vec<(TermKind, String)> {
        let mut v = Vec::new();
        self.text(text, &mut |k, t| v.push((k, t.to_string())));
        v
    }

    /// Hashtags and mentions of one chunk, and the words between them.
    fn tags_and_words(
        &self,
        chunk: &str,
        scratch: &mut String,
        out: &mut dyn FnMut(TermKind, &str),
    ) {
        let mut gap = 0; // start of the text not yet read as words
        let mut pos = 0;
        let mut prev: Option<char> = None;
        while let Some(c) = chunk[pos..].chars().next() {
            let next = pos + c.len_utf8();
            let kind = match c {
                '#' | '＃' => Some(TermKind::Hashtag),
                '@' | '＠' => Some(TermKind::Mention),
                _ => None,
            };
            let follows_word = prev.is_some_and(|p| p.is_alphanumeric() || p == '_' || p == '&');
            if let Some((kind, (body, end))) = kind
                .filter(|_| !follows_word)
                .and_then(|k| Some((k, tag_body(chunk, next, k)?)))
            {
                self.plain_words(&chunk[gap..pos], scratch, out);
                emit_folded(kind, body, scratch, out);
                gap = end;
                pos = end;
                prev = chunk[..end].chars().next_back();
                continue;
            }
            prev = Some(c);
            pos = next;
        }
        self.plain_words(&chunk[gap..], scratch, out);
    }

    /// Words of a stretch of text without tags or links.
    pub(crate) fn plain_words(
        &self,
        text: &str,
        scratch: &mut String,
        out: &mut dyn FnMut(TermKind, &str),
    ) {
        if text.is_empty() {
            return;
        }
        // A run of single ideographs/kana waiting to become bigrams: (start, end) byte range.
        let mut run: Option<(usize, usize)> = None;
        for (at, word) in text.unicode_word_indices() {
            if is_cjk_single(word) {
                run = match run {
                    Some((s, e)) if e == at => Some((s, at + word.len())),
                    other => {
                        if let Some((s, e)) = other {
                            emit_bigrams(&text[s..e], out);
                        }
                        Some((at, at + word.len()))
                    }
                };
                continue;
            }
            if let Some((s, e)) = run.take() {
                emit_bigrams(&text[s..e], out);
            }
            self.word(word, scratch, out);
        }
        if let Some((s, e)) = run {
            emit_bigrams(&text[s..e], out);
        }
    }

    /// One UAX #29 word: normalise, filter, stem, emit. (The reference for the ASCII path's
    /// [`Self::ascii_word`], which a test compares with it.)
    pub(crate) fn word(
        &self,
        word: &str,
        scratch: &mut String,
        out: &mut dyn FnMut(TermKind, &str),
    ) {
        scratch.clear();
        if word.is_ascii() {
            if !word.bytes().any(|b| b.is_ascii_alphabetic()) {
                return; // numbers, `3.14`, `1,000`
            }
            scratch.push_str(word);
            scratch.make_ascii_lowercase();
        } else {
            if !word.chars().any(char::is_alphabetic) {
                return;
            }
            for c in word.chars() {
                if c == '’' {
                    scratch.push('\'');
                } else if c.is_ascii() {
                    scratch.push(c.to_ascii_lowercase());
                } else {
                    scratch.extend(c.to_lowercase());
                }
            }
        }
        if self.stop_words && is_stop_word(scratch) {
            return;
        }
        let trimmed = scratch
            .strip_suffix("'s")
            .or_else(|| scratch.strip_suffix('\''))
            .unwrap_or(scratch);
        let mut chars = trimmed.chars();
        if chars.next().is_none() || chars.next().is_none() {
            return; // one character
        }
        if self.stop_words && is_stop_word(trimmed) {
            return;
        }
        self.emit_word(trimmed, out);
    }

    /// [`Self::word`] for an ASCII word: one pass finds letters and capitals, the word is
    /// copied only to lower-case it, and the stop list is asked again only if trimming changed
    /// the word.
    #[inline]
    pub(crate) fn ascii_word(
        &self,
        word: &str,
        scratch: &mut String,
        out: &mut dyn FnMut(TermKind, &str),
    ) {
        let (mut letter, mut capital) = (false, false);
        for &b in word.as_bytes() {
            letter |= b.is_ascii_alphabetic();
            capital |= b.is_ascii_uppercase();
        }
        if !letter {
            return; // numbers, `3.14`, `1,000`
        }
        self.ascii_letters_word(word, capital, scratch, out);
    }

    /// [`Self::ascii_word`] for an ASCII word known to hold a letter, and a capital if
    /// `capital`.
    #[inline]
    pub(crate) fn ascii_letters_word(
        &self,
        word: &str,
        capital: bool,
        scratch: &mut String,
        out: &mut dyn FnMut(TermKind, &str),
    ) {
        let lower: &str = if capital {
            scratch.clear();
            scratch.push_str(word);
            scratch.make_ascii_lowercase();
            scratch
        } else {
            word
        };
        if self.stop_words && is_stop_word(lower) {
            return;
        }
        let trimmed = lower
            .strip_suffix("'s")
            .or_else(|| lower.strip_suffix('\''))
            .unwrap_or(lower);
        if trimmed.len() < 2 {
            return; // one character (ASCII: one byte)
        }
        if self.stop_words && trimmed.len() < lower.len() && is_stop_word(trimmed) {
            return;
        }
        self.emit_word(trimmed, out);
    }

    /// Emits a normalised word, stemmed if so configured (a stem of one character is dropped).
    #[inline]
    fn emit_word(&self, word: &str, out: &mut dyn FnMut(TermKind, &str)) {
        match &self.stemmer {
            Some(stemmer) => {
                let stem: Cow<'_, str> = stemmer.stem(word);
                if stem.chars().nth(1).is_some() {
                    out(TermKind::Word, &stem);
                }
            }
            None => out(TermKind::Word, word),
        }
    }
}

/// Emits `kind: text` lower-cased, borrowing when nothing changes.
pub(crate) fn emit_folded(
    kind: TermKind,
    text: &str,
    scratch: &mut String,
    out: &mut dyn FnMut(TermKind, &str),
) {
    if text.is_ascii() {
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            scratch.clear();
            scratch.push_str(text);
            scratch.make_ascii_lowercase();
            out(kind, scratch);
        } else {
            out(kind, text);
        }
    } else if text.chars().any(char::is_uppercase) {
        scratch.clear();
        scratch.extend(text.chars().flat_map(char::to_lowercase));
        out(kind, scratch);
    } else {
        out(kind, text);
    }
}

/// The body of a hashtag or mention whose sign ends at byte `after`: `(body, end of tag)`.
pub(crate) fn tag_body(chunk: &str, after: usize, kind: TermKind) -> Option<(&str, usize)> {
    let rest = &chunk[after..];
    let mut end = 0;
    if rest.is_ascii() {
        // The first segment if it is a word; no later segment can be (see `ascii_words`).
        if rest.bytes().next().is_some_and(is_core) {
            end = ascii_word_end(rest.as_bytes(), 0);
        }
    } else {
        for (at, segment) in rest.split_word_bound_indices() {
            if at != end || !segment.chars().any(|c| c.is_alphanumeric() || c == '_') {
                break;
            }
            end = at + segment.len();
        }
    }
    // UAX #29 keeps `a.b`, `don't` and `a:b` whole; a tag stops there.
    if let Some(cut) = rest[..end].find(['.', '\'', '’', ':']) {
        end = cut;
    }
    let body = &rest[..end];
    if body.is_empty() {
        return None;
    }
    if kind == TermKind::Hashtag && body.chars().all(|c| c.is_numeric() || c == '_') {
        return None;
    }
    let mut stop = after + end;
    if kind == TermKind::Mention {
        if let Some(host) = chunk[stop..].strip_prefix(['@', '＠']) {
            let len = host
                .find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
                .unwrap_or(host.len());
            let host = host[..len].trim_end_matches(['.', '-']);
            if host.contains('.') && !host.starts_with('.') {
                stop += 1 + host.len();
                return Some((&chunk[after..stop], stop));
            }
        }
    }
    Some((body, stop))
}

/// Splits a chunk at the start of a link: `(text before, link)`.
pub(crate) fn split_link(chunk: &str) -> (&str, Option<&str>) {
    let lower_start = |i: usize, prefix: &str| {
        chunk
            .get(i..i + prefix.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(prefix))
    };
    let bytes = chunk.as_bytes();
    for i in 0..bytes.len() {
        if !matches!(bytes[i] | 0x20, b'h' | b'w') {
            continue; // no link starts here
        }
        let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if !boundary || !chunk.is_char_boundary(i) {
            continue;
        }
        if lower_start(i, "http://") || lower_start(i, "https://") || lower_start(i, "www.") {
            return (&chunk[..i], Some(&chunk[i..]));
        }
    }
    (chunk, None)
}

/// The host of a link, without scheme, `www.`, user part, port, path or trailing punctuation.
pub(crate) fn link_domain(link: &str) -> Option<String> {
    let lower = link_host(link).to_lowercase();
    let lower = lower.strip_prefix("www.").unwrap_or(&lower);
    valid_domain(lower).then(|| lower.to_string())
}

/// [`link_domain`] of an ASCII link, emitted as a [`TermKind::Domain`] without an allocation
/// (lower-cased in `scratch`).
pub(crate) fn emit_ascii_link_domain(
    link: &str,
    scratch: &mut String,
    out: &mut dyn FnMut(TermKind, &str),
) {
    scratch.clear();
    scratch.push_str(link_host(link));
    scratch.make_ascii_lowercase();
    let lower = scratch.strip_prefix("www.").unwrap_or(scratch);
    if valid_domain(lower) {
        out(TermKind::Domain, lower);
    }
}

/// The host part of a link as written: without scheme, user part, port, path or trailing
/// punctuation. Every delimiter is an ASCII byte, which never occurs inside the UTF-8 encoding
/// of another character, so the link is searched byte by byte (no substring searcher and no
/// character decoding for these few bytes) and cut at character boundaries.
fn link_host(link: &str) -> &str {
    let bytes = link.as_bytes();
    let start = bytes
        .windows(3)
        .position(|w| w == b"://")
        .map_or(0, |i| i + 3);
    let rest = &bytes[start..];
    let mut end = start
        + rest
            .iter()
            .position(|&b| matches!(b, b'/' | b'?' | b'#'))
            .unwrap_or(rest.len());
    let mut from = start;
    if let Some(at) = bytes[from..end].iter().rposition(|&b| b == b'@') {
        from += at + 1;
    }
    if let Some(colon) = bytes[from..end].iter().position(|&b| b == b':') {
        end = from + colon;
    }
    link.get(from..end)
        .unwrap_or_default()
        .trim_end_matches(|c: char| !c.is_alphanumeric())
}

/// Whether a lower-cased host (without `www.`) is a domain: dotted, letters, digits and `-`.
fn valid_domain(lower: &str) -> bool {
    let bytes = lower.as_bytes();
    bytes.contains(&b'.')
        && !lower.starts_with('.')
        && !bytes.windows(2).any(|w| w == b"..")
        && if lower.is_ascii() {
            bytes
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        } else {
            lower
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
        }
}

/// Whether a word segment is one Han ideograph or one kana (UAX #29 splits those one by one).
fn is_cjk_single(word: &str) -> bool {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => is_ideograph_or_kana(c),
        _ => false,
    }
}

/// Han ideographs (CJK Unified, Extension A–B, Compatibility) and hiragana.
fn is_ideograph_or_kana(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x309F      // hiragana
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x20000..=0x2A6DF) // extension B
}

/// Overlapping bigrams of a run of ideographs/kana; a lone character emits nothing.
fn emit_bigrams(run: &str, out: &mut dyn FnMut(TermKind, &str)) {
    let starts: Vec<usize> = run.char_indices().map(|(i, _)| i).collect();
    for w in 0..starts.len().saturating_sub(1) {
        let end = starts.get(w + 2).copied().unwrap_or(run.len());
        out(TermKind::Word, &run[starts[w]..end]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TermKind::*;

    fn toks(text: &str) -> Vec<(TermKind, String)> {
        Tokenizer::default().tokens(text)
    }

    fn pairs(v: &[(TermKind, &str)]) -> Vec<(TermKind, String)> {
        v.iter().map(|(k, t)| (*k, t.to_string())).collect()
    }

    #[test]
    fn hashtags_are_case_folded_and_unicode_aware() {
        assert_eq!(
            toks("Loving #Café culture in #東京 and #Climate_Change!"),
            pairs(&[
                (Word, "loving"),
                (Hashtag, "café"),
                (Word, "culture"),
                (Hashtag, "東京"),
                (Hashtag, "climate_change"),
            ])
        );
        // Digits only is not a hashtag; a letter makes one; a combining mark stays inside.
        assert_eq!(toks("#2024 #cop28"), pairs(&[(Hashtag, "cop28")]));
        assert_eq!(toks("#हिन्दी"), pairs(&[(Hashtag, "हिन्दी")]));
        // Full-width sign, and a tag cut at punctuation.
        assert_eq!(
            toks("＃ＡＩ (#ai), #don't."),
            pairs(&[(Hashtag, "ａｉ"), (Hashtag, "ai"), (Hashtag, "don")])
        );
        // `#` after a letter or `&` (an HTML entity) starts nothing.
        assert_eq!(toks("C#sharp &#39;"), pairs(&[(Word, "sharp")]));
    }

    #[test]
    fn mentions_and_email_addresses() {
        assert_eq!(
            toks("thanks @Alice_B and @bob@Mastodon.Social: mail bob@example.com"),
            pairs(&[
                (Word, "thanks"),
                (Mention, "alice_b"),
                (Mention, "bob@mastodon.social"),
                (Word, "mail"),
                (Word, "bob"),
                (Word, "example.com"),
            ])
        );
        assert_eq!(toks("@ alone"), pairs(&[(Word, "alone")]));
    }

    #[test]
    fn links_become_domains() {
        assert_eq!(
            toks("read https://www.Example.com/x?y=1 and (http://user@news.bbc.co.uk:8080/a)."),
            pairs(&[
                (Word, "read"),
                (Domain, "example.com"),
                (Domain, "news.bbc.co.uk"),
            ])
        );
        assert_eq!(
            toks("see:www.rust-lang.org/learn, HTTPS://GitHub.com"),
            pairs(&[
                (Word, "see"),
                (Domain, "rust-lang.org"),
                (Domain, "github.com")
            ])
        );
        // Not a host: no dot.
        assert_eq!(toks("http://localhost/x"), Vec::new());
    }

    /// The host and domain checks by their definitions, with the string searches they are
    /// written without.
    fn reference_host(link: &str) -> &str {
        let rest = match link.find("://") {
            Some(i) => &link[i + 3..],
            None => link,
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let mut host = &rest[..end];
        if let Some((_, h)) = host.rsplit_once('@') {
            host = h;
        }
        if let Some((h, _)) = host.split_once(':') {
            host = h;
        }
        host.trim_end_matches(|c: char| !c.is_alphanumeric())
    }

    fn reference_domain(lower: &str) -> bool {
        lower.contains('.')
            && !lower.starts_with('.')
            && !lower.contains("..")
            && lower
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
    }

    #[test]
    fn hosts_and_domains_match_their_definitions() {
        let pieces = [
            "http", "https", "://", ":", "/", "?", "#", "@", ".", "..", "-", "www", "a", "Bé",
            "東京", "8080", "x", "é.", ")", "!", ":/",
        ];
        let mut rng = contextivity_graph::Rng::new(5);
        for _ in 0..20_000 {
            let link: String = (0..rng.below(9))
                .map(|_| pieces[rng.below(pieces.len() as u64) as usize])
                .collect();
            assert_eq!(link_host(&link), reference_host(&link), "{link:?}");
            let lower = link.to_lowercase();
            assert_eq!(valid_domain(&lower), reference_domain(&lower), "{lower:?}");
        }
    }

    #[test]
    fn words_punctuation_apostrophes_numbers_and_emoji() {
        assert_eq!(
            toks("The engineer’s   solar-panels don't fail; 42 panels, 3.14 volts 🔥🔥 x!"),
            pairs(&[
                (Word, "engineer"),
                (Word, "solar"),
                (Word, "panels"),
                (Word, "fail"),
                (Word, "panels"),
                (Word, "volts"),
            ])
        );
        assert_eq!(
            toks("covid19 and 2nd wave"),
            pairs(&[(Word, "covid19"), (Word, "2nd"), (Word, "wave")])
        );
        // Emoji joined to a word do not stick to it.
        assert_eq!(
            toks("fire🔥works"),
            pairs(&[(Word, "fire"), (Word, "works")])
        );
    }

    #[test]
    fn mixed_scripts() {
        assert_eq!(
            toks("Привет мир, I love 東京の天気 and Ελλάδα"),
            pairs(&[
                (Word, "привет"),
                (Word, "мир"),
                (Word, "love"),
                (Word, "東京"),
                (Word, "京の"),
                (Word, "の天"),
                (Word, "天気"),
                (Word, "ελλάδα"),
            ])
        );
        // A lone ideograph is a one-character word: dropped.
        assert_eq!(toks("猫 cats"), pairs(&[(Word, "cats")]));
        // Katakana and Hangul are grouped by UAX #29 itself.
        assert_eq!(
            toks("コーヒー 한국어"),
            pairs(&[(Word, "コーヒー"), (Word, "한국어")])
        );
    }

    #[test]
    fn stop_words_and_stemming_are_options() {
        let keep = Tokenizer::new(&TokenizerConfig {
            stop_words: false,
            stem: false,
        });
        assert_eq!(keep.tokens("the runners").len(), 2);
        let stem = Tokenizer::new(&TokenizerConfig {
            stop_words: true,
            stem: true,
        });
        assert_eq!(
            stem.tokens("The runners were running #Running"),
            pairs(&[(Word, "runner"), (Word, "run"), (Hashtag, "running")])
        );
    }

    #[test]
    fn names_are_words_only() {
        let mut v = Vec::new();
        Tokenizer::default().words("#Jane @Doe", &mut |k, t| v.push((k, t.to_string())));
        assert_eq!(v, pairs(&[(Word, "jane"), (Word, "doe")]));
    }

    #[test]
    fn kind_tags_round_trip_and_sort_like_kinds() {
        for k in TermKind::ALL {
            assert_eq!(TermKind::from_tag(k.tag()), Some(k));
        }
        assert!(TermKind::ALL.windows(2).all(|w| w[0].tag() < w[1].tag()));
        assert_eq!(TermKind::from_tag(b'9'), None);
    }
}
