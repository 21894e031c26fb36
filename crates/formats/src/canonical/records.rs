//! Splitting a CSV stream into records, in blocks that can be parsed in parallel.
//!
//! [`Blocks`] reads the (decompressed) stream in blocks of about [`BLOCK_BYTES`], each ending
//! just after a line break that lies outside double quotes by quote parity, so that every block
//! starts a record. [`Tokenizer`] then splits one block into records exactly as the `csv` crate
//! would with this layout's settings (RFC 4180 quoting, doubled quotes, `\n` as the only
//! terminator, any number of fields): a quote opens a quoted cell only at the start of a cell, a
//! quote elsewhere in an unquoted cell is a plain character, and text after a closing quote
//! continues the cell unquoted.
//!
//! Quote parity can disagree with that reading only on malformed input (a stray quote inside an
//! unquoted cell). The tokenizer then reaches the end of a block inside a record and says so
//! ([`Step::Incomplete`]); the caller re-reads the rest of the file as one block, so the records
//! are always the ones a sequential reading finds.
//!
//! Like the `csv`-based reader it replaces, the stream always ends in an extra `\n`, empty lines
//! are passed over, and a record's line is the line on which it starts; a record that the end of
//! the input closes (an unterminated quoted cell) reports the line before, as before.

use std::io::Read;
use std::path::Path;

use crate::error::FormatError;

/// Bytes read per block (a block grows past this only to finish a record).
pub(super) const BLOCK_BYTES: usize = 4 << 20;

/// The block size in use: [`BLOCK_BYTES`], or what a test set to exercise block boundaries.
#[cfg(test)]
pub(super) static TEST_BLOCK_BYTES: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(BLOCK_BYTES);

/// The block size in use.
fn block_bytes() -> usize {
    #[cfg(test)]
    return TEST_BLOCK_BYTES.load(std::sync::atomic::Ordering::Relaxed);
    #[cfg(not(test))]
    BLOCK_BYTES
}

/// Reads a stream in blocks that start at record boundaries (by quote parity).
pub(super) struct Blocks {
    source: Box<dyn Read + Send>,
    /// Bytes read past the end of the last block.
    carry: Vec<u8>,
    /// Whether the source is exhausted (and the closing `\n` handed out).
    done: bool,
}

impl Blocks {
    /// Blocks of `prefix` (bytes already read) followed by the rest of `source`.
    pub(super) fn new(prefix: Vec<u8>, source: Box<dyn Read + Send>) -> Self {
        Blocks {
            source,
            carry: prefix,
            done: false,
        }
    }

    /// The next block, or `None` after the last one. The last block ends in the extra `\n`.
    pub(super) fn next_block(&mut self, path: &Path) -> Result<Option<Vec<u8>>, FormatError> {
        if self.done {
            return Ok(None);
        }
        let mut buf = std::mem::take(&mut self.carry);
        let mut target = block_bytes().max(buf.len() * 2);
        loop {
            let eof = fill(&mut *self.source, &mut buf, target, path)?;
            if eof {
                buf.push(b'\n');
                self.done = true;
                return Ok(Some(buf));
            }
            if let Some(end) = last_record_end(&buf) {
                self.carry = buf[end..].to_vec();
                buf.truncate(end);
                return Ok(Some(buf));
            }
            target = buf.len() * 2;
        }
    }

    /// Whether the last block was handed out.
    pub(super) fn is_done(&self) -> bool {
        self.done
    }

    /// Everything left, as one final block.
    pub(super) fn rest(&mut self, path: &Path) -> Result<Vec<u8>, FormatError> {
        let mut out = Vec::new();
        while let Some(block) = self.next_block(path)? {
            out.extend_from_slice(&block);
        }
        Ok(out)
    }
}

/// Reads into `buf` until it holds `target` bytes; `true` when the source ended first.
fn fill(
    source: &mut dyn Read,
    buf: &mut Vec<u8>,
    target: usize,
    path: &Path,
) -> Result<bool, FormatError> {
    while buf.len() < target {
        let start = buf.len();
        buf.resize(target, 0);
        match source.read(&mut buf[start..]) {
            Ok(0) => {
                buf.truncate(start);
                return Ok(true);
            }
            Ok(n) => buf.truncate(start + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(start),
            Err(e) => {
                buf.truncate(start);
                return Err(FormatError::new(path, e));
            }
        }
    }
    Ok(false)
}

/// Just past the last `\n` of `buf` preceded by an even number of quotes (counted from the start
/// of `buf`, which starts a record), if any.
fn last_record_end(buf: &[u8]) -> Option<usize> {
    let mut odd = memchr::memchr_iter(b'"', buf).count() % 2 == 1;
    let mut end = buf.len();
    while let Some(i) = memchr::memrchr2(b'"', b'\n', &buf[..end]) {
        if buf[i] == b'"' {
            odd = !odd;
        } else if !odd {
            return Some(i + 1);
        }
        end = i;
    }
    None
}

/// What [`Tokenizer::next`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Step {
    /// A record starting on this line (counted from the block's first line, 1).
    Record(u64),
    /// The end of the block, between records.
    End,
    /// The end of a block that is not the last, inside a record.
    Incomplete,
}

/// Where the tokenizer is inside a record.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    StartField,
    InField,
    InQuoted,
    /// Just after a quote inside a quoted cell: a closing quote or the first of a pair.
    AfterQuote,
}

/// Splits blocks into records; see the module doc.
pub(super) struct Tokenizer {
    delimiter: u8,
}

/// One record's cells, unquoted: `bytes[ends[i - 1]..ends[i]]` is cell `i`.
#[derive(Default)]
pub(super) struct Record {
    /// The cells back to back.
    pub(super) bytes: Vec<u8>,
    /// Where each cell ends in `bytes`.
    pub(super) ends: Vec<usize>,
}

impl Record {
    /// Cell `i` as raw bytes.
    pub(super) fn cell(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    /// Whether every cell holds only white space (or nothing).
    pub(super) fn is_blank(&self) -> bool {
        self.bytes.iter().all(u8::is_ascii_whitespace)
    }
}

impl Tokenizer {
    /// A tokenizer for cells separated by `delimiter`.
    pub(super) fn new(delimiter: u8) -> Self {
        Tokenizer { delimiter }
    }

    /// Reads the record at `bytes[*pos..]` into `record`, advancing `pos` and `line` (the line
    /// at `pos`). `last` says whether `bytes` ends the input (a record still open there is then
    /// closed) or not.
    pub(super) fn next(
        &self,
        bytes: &[u8],
        pos: &mut usize,
        line: &mut u64,
        record: &mut Record,
        last: bool,
    ) -> Step {
        record.bytes.clear();
        record.ends.clear();
        let n = bytes.len();
        let mut i = *pos;
        while i < n && bytes[i] == b'\n' {
            i += 1;
            *line += 1;
        }
        *pos = i;
        if i == n {
            return Step::End;
        }
        let start = *line;
        let delimiter = self.delimiter;
        let mut state = State::StartField;
        while i < n {
            let c = bytes[i];
            match state {
                State::StartField => {
                    if c == b'"' {
                        state = State::InQuoted;
                        i += 1;
                    } else {
                        state = State::InField;
                    }
                }
                State::InField => {
                    // Copy the run up to the next delimiter or line break in one go.
                    let run = memchr::memchr2(delimiter, b'\n', &bytes[i..]).unwrap_or(n - i);
                    record.bytes.extend_from_slice(&bytes[i..i + run]);
                    i += run;
                    if i < n {
                        record.ends.push(record.bytes.len());
                        i += 1;
                        if bytes[i - 1] == b'\n' {
                            *line += 1;
                            *pos = i;
                            return Step::Record(start);
                        }
                        state = State::StartField;
                    }
                }
                State::InQuoted => {
                    let run = memchr::memchr(b'"', &bytes[i..]).unwrap_or(n - i);
                    let text = &bytes[i..i + run];
                    *line += memchr::memchr_iter(b'\n', text).count() as u64;
                    record.bytes.extend_from_slice(text);
                    i += run;
                    if i < n {
                        state = State::AfterQuote;
                        i += 1;
                    }
                }
                State::AfterQuote => {
                    if c == b'"' {
                        record.bytes.push(b'"');
                        state = State::InQuoted;
                        i += 1;
                    } else if c == delimiter {
                        record.ends.push(record.bytes.len());
                        state = State::StartField;
                        i += 1;
                    } else if c == b'\n' {
                        record.ends.push(record.bytes.len());
                        *line += 1;
                        *pos = i + 1;
                        return Step::Record(start);
                    } else {
                        state = State::InField;
                    }
                }
            }
        }
        *pos = n;
        if !last {
            return Step::Incomplete;
        }
        // The input ends inside a quoted cell: the cell and the record end there. The `csv`
        // reader placed such a record one line early; keep its numbering.
        record.ends.push(record.bytes.len());
        Step::Record(start.saturating_sub(1).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record of `text` (plus the closing `\n`) with its line, as the tokenizer reads it.
    fn tokenize(text: &[u8], delimiter: u8) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut bytes = text.to_vec();
        bytes.push(b'\n');
        let t = Tokenizer::new(delimiter);
        let (mut pos, mut line, mut record) = (0, 1, Record::default());
        let mut out = Vec::new();
        while let Step::Record(l) = t.next(&bytes, &mut pos, &mut line, &mut record, true) {
            let cells = (0..record.ends.len())
                .map(|i| record.cell(i).to_vec())
                .collect();
            out.push((l, cells));
        }
        out
    }

    /// The same, through the `csv` crate configured as the reader used to be.
    fn reference(text: &[u8], delimiter: u8) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut bytes = text.to_vec();
        bytes.push(b'\n');
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(&bytes[..]);
        let mut record = csv::ByteRecord::new();
        let mut out = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let breaks = record.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
            let after = reader.position().line();
            let line = after.saturating_sub(breaks + 1).max(1);
            out.push((line, record.iter().map(<[u8]>::to_vec).collect()));
        }
        out
    }

    #[test]
    fn quoting_matches_the_csv_crate() {
        let cases: [&[u8]; 9] = [
            b"a,b\n\"c,d\",e\n",
            b"a\"b,c\n\"x\"\"y\",z\n",
            b"\"ab\"cd,e\n\n\n\"multi\nline\",f\n",
            b"\"unterminated\n,x",
            b"\r\n,\n\"\",\"\"\"\"\n",
            b"x,\"a\"\"\nb\"\"\"z,q\n",
            b"",
            b"\n\n\n",
            b"\"\"\"\n\"\n1,2,3,4",
        ];
        for case in cases {
            assert_eq!(tokenize(case, b','), reference(case, b','), "{case:?}");
            assert_eq!(tokenize(case, b'\t'), reference(case, b'\t'), "{case:?}");
        }
    }

    #[test]
    fn blocks_end_at_record_boundaries_by_quote_parity() {
        assert_eq!(last_record_end(b"a,b\nc,\"d\ne\"\nf"), Some(12));
        assert_eq!(last_record_end(b"a,\"b\nc"), Some(0).filter(|_| false));
        assert_eq!(last_record_end(b"\"x\ny\"\n\"z\n"), Some(6));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Random bytes drawn from the characters that matter split like the `csv` crate's.
        #[test]
        fn random_text_splits_like_the_csv_crate(text in "[a,\"\n\t\r ]{0,40}") {
            proptest::prop_assert_eq!(tokenize(text.as_bytes(), b','), reference(text.as_bytes(), b','));
            proptest::prop_assert_eq!(tokenize(text.as_bytes(), b'\t'), reference(text.as_bytes(), b'\t'));
        }
    }
}
