//! Parsing one chunk of an edge list: lines → raw edges, in one pass over the bytes.
//!
//! A chunk is a run of whole lines. Every line is one of: blank, a comment (first non-blank byte
//! `#` or `%`), or a record of at least two fields separated by runs of spaces/tabs or by a comma
//! (with optional blanks around it). `\r` counts as a blank, so CRLF files need no special case.
//!
//! Ids are parsed in one of two modes:
//!
//! - **numeric** ([`parse_numeric`]): every id must be a run of ASCII digits. The common record
//!   shape `digits SEP digits \n` takes a hand-written fast path; anything else goes through the
//!   general field splitter. The first id that is not a number stops the chunk with
//!   [`Stop::NotNumeric`] and the caller re-reads the input in string mode;
//! - **string** ([`parse_strings`]): ids are UTF-8 strings, interned per chunk in first-seen
//!   order; the caller merges the chunks' tables in chunk order, which gives the global first-seen
//!   order.
//!
//! Columns after the two ids follow one rule, whatever the edge meaning: the first of columns 3
//! and 4 that is an integer above [`TIME_THRESHOLD`] is a Unix time; column 3, when it is not
//! the time, is the weight (any finite number). Further columns are ignored.

use std::collections::HashMap;

use memchr::memchr;

use crate::error::{clip, ErrorKind};

/// Integers above this (10^8 seconds after the epoch, March 1973) in column 3 or 4 are times.
pub const TIME_THRESHOLD: u64 = 100_000_000;

/// Fields looked at per record: two ids, then weight and/or time.
const MAX_FIELDS: usize = 4;

/// A raw numeric id: `u32` while every id fits, `u64` otherwise.
pub(crate) trait RawId: Copy + Send + Sync + Default + 'static {
    /// The largest value this width holds.
    const MAX: u64;
    /// Truncating conversion (callers check the range through the chunk maximum).
    fn from_u64(x: u64) -> Self;
    /// Widening conversion.
    fn to_u64(self) -> u64;
}

impl RawId for u32 {
    const MAX: u64 = u32::MAX as u64;
    #[inline]
    fn from_u64(x: u64) -> Self {
        x as u32
    }
    #[inline]
    fn to_u64(self) -> u64 {
        self as u64
    }
}

impl RawId for u64 {
    const MAX: u64 = u64::MAX;
    #[inline]
    fn from_u64(x: u64) -> Self {
        x
    }
    #[inline]
    fn to_u64(self) -> u64 {
        self
    }
}

/// Why a chunk stopped before its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// An id that is not a non-negative integer: re-read everything as strings.
    NotNumeric,
    /// A numeric id too large for the id width: re-read everything with 64-bit ids.
    Wide,
    /// A bad record under the strict policy (the last entry of `errors`).
    Failed,
}

/// A bad record, located within its chunk.
#[derive(Debug)]
pub(crate) struct LineError {
    /// 0-based line index within the chunk.
    pub line: u64,
    /// 1-based field number, when one field is to blame.
    pub column: Option<u64>,
    /// What is wrong.
    pub kind: ErrorKind,
}

/// What parsing one chunk produced.
#[derive(Debug, Default)]
pub(crate) struct Chunk<I> {
    /// Source of every edge (raw numeric id, or chunk-local string id).
    pub sources: Vec<I>,
    /// Target of every edge.
    pub targets: Vec<I>,
    /// Weight of every edge; `None` while every weight is 1.
    pub weights: Option<Vec<f32>>,
    /// Time of every edge; `None` while no edge has one.
    pub times: Option<Vec<i64>>,
    /// Number of lines consumed (every `\n` ends one).
    pub lines: u64,
    /// Largest numeric id seen (numeric mode).
    pub max_id: u64,
    /// Bad records (all of them under the skip policy, the first under the strict one).
    pub errors: Vec<LineError>,
    /// Why the chunk stopped early, if it did.
    pub stop: Option<Stop>,
}

impl<I: Copy> Chunk<I> {
    fn with_capacity(edges: usize) -> Self {
        Chunk {
            sources: Vec::with_capacity(edges),
            targets: Vec::with_capacity(edges),
            weights: None,
            times: None,
            lines: 0,
            max_id: 0,
            errors: Vec::new(),
            stop: None,
        }
    }

    /// Appends an edge, switching to explicit weights or times when the first one appears.
    #[inline]
    fn push(&mut self, u: I, v: I, extra: Extra) {
        let k = self.sources.len();
        self.sources.push(u);
        self.targets.push(v);
        if extra.weight != 1.0 || self.weights.is_some() {
            self.weights
                .get_or_insert_with(|| vec![1.0; k])
                .push(extra.weight);
        }
        if extra.time.is_some() || self.times.is_some() {
            self.times
                .get_or_insert_with(|| vec![contextivity_graph::interactions::NO_TIME; k])
                .push(
                    extra
                        .time
                        .unwrap_or(contextivity_graph::interactions::NO_TIME),
                );
        }
    }

    /// Records a bad record; returns whether parsing must stop (strict policy).
    fn fail(&mut self, strict: bool, column: Option<u64>, kind: ErrorKind) -> bool {
        self.errors.push(LineError {
            line: self.lines,
            column,
            kind,
        });
        if strict {
            self.stop = Some(Stop::Failed);
        }
        strict
    }
}

/// The weight and time of a record.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Extra {
    weight: f32,
    time: Option<i64>,
}

const PLAIN: Extra = Extra {
    weight: 1.0,
    time: None,
};

#[inline]
fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == b'\r'
}

/// Splits one line (without its `\n`) into up to [`MAX_FIELDS`] fields; returns how many were
/// found (further fields are not looked at). A blank line has 0 fields.
fn split_fields<'a>(line: &'a [u8], out: &mut [&'a [u8]; MAX_FIELDS]) -> usize {
    let len = line.len();
    let mut i = 0;
    while i < len && is_blank(line[i]) {
        i += 1;
    }
    if i == len {
        return 0;
    }
    let mut n = 0;
    loop {
        let start = i;
        while i < len && !is_blank(line[i]) && line[i] != b',' {
            i += 1;
        }
        out[n] = &line[start..i];
        n += 1;
        if n == MAX_FIELDS {
            return n;
        }
        while i < len && is_blank(line[i]) {
            i += 1;
        }
        if i == len {
            return n;
        }
        if line[i] == b',' {
            i += 1;
            while i < len && is_blank(line[i]) {
                i += 1;
            }
        }
    }
}

/// Whether a line is blank or a comment.
fn is_blank_or_comment(line: &[u8]) -> bool {
    match line.iter().find(|&&b| !is_blank(b)) {
        None => true,
        Some(&b) => b == b'#' || b == b'%',
    }
}

/// The value of a field of ASCII digits, or `None` (empty, other bytes, or above `u64::MAX`).
#[inline]
pub(crate) fn parse_u64(field: &[u8]) -> Option<u64> {
    if field.is_empty() || field.len() > 20 {
        return None;
    }
    let mut v: u64 = 0;
    for &b in field {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(d as u64)?;
    }
    Some(v)
}

/// Reads the digits at `at`: `(value, position after them)`, or `None` if there are none or
/// there are too many for the fast path (the general path then decides).
#[inline(always)]
fn digits_at(buf: &[u8], mut at: usize) -> Option<(u64, usize)> {
    let start = at;
    let mut v: u64 = 0;
    while let Some(&b) = buf.get(at) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        v = v.wrapping_mul(10).wrapping_add(d as u64);
        at += 1;
    }
    // 19 digits always fit in a u64; longer numbers take the general path.
    if at == start || at - start > 19 {
        None
    } else {
        Some((v, at))
    }
}

/// Interprets columns 3 and 4 (see the module doc).
fn extra_columns(fields: &[&[u8]]) -> Result<Extra, (u64, ErrorKind)> {
    let time_of = |f: &[u8]| parse_u64(f).filter(|&t| t > TIME_THRESHOLD && t <= i64::MAX as u64);
    let mut extra = PLAIN;
    let Some(&third) = fields.get(2) else {
        return Ok(extra);
    };
    if let Some(t) = time_of(third) {
        extra.time = Some(t as i64);
        return Ok(extra);
    }
    extra.weight = parse_weight(third).ok_or_else(|| {
        (
            3,
            ErrorKind::InvalidValue {
                field: "weight".into(),
                value: clip(&String::from_utf8_lossy(third)),
                expected: "a finite number".into(),
            },
        )
    })?;
    if let Some(&fourth) = fields.get(3) {
        extra.time = time_of(fourth).map(|t| t as i64);
    }
    Ok(extra)
}

/// A finite number.
fn parse_weight(field: &[u8]) -> Option<f32> {
    if let Some(v) = parse_u64(field) {
        return Some(v as f32);
    }
    let text = std::str::from_utf8(field).ok()?;
    let v: f64 = text.parse().ok()?;
    let w = v as f32;
    w.is_finite().then_some(w)
}

fn one_column() -> ErrorKind {
    ErrorKind::ColumnCount {
        expected: 2,
        found: 1,
    }
}

/// Parses a chunk whose ids are all numbers (see the module doc). `strict` stops at the first
/// bad record.
pub(crate) fn parse_numeric<I: RawId>(buf: &[u8], strict: bool) -> Chunk<I> {
    // Every record takes at least 4 bytes (`0 1\n`), so this capacity is never outgrown; pages
    // that are never written stay virtual.
    let mut chunk = Chunk::with_capacity(buf.len() / 4 + 1);
    let end = buf.len();
    let mut max_id = 0u64;
    let mut p = 0usize;
    while p < end {
        // Fast path: `digits (blanks|,) digits (\r)?\n`.
        if let Some((u, q)) = digits_at(buf, p) {
            if let Some(&sep) = buf.get(q) {
                if sep == b' ' || sep == b'\t' || sep == b',' {
                    let mut r = q + 1;
                    while r < end && (buf[r] == b' ' || buf[r] == b'\t') {
                        r += 1;
                    }
                    if let Some((v, s)) = digits_at(buf, r) {
                        let next = match buf.get(s) {
                            None => Some(end),
                            Some(b'\n') => Some(s + 1),
                            Some(b'\r') if buf.get(s + 1) == Some(&b'\n') => Some(s + 2),
                            _ => None,
                        };
                        if let Some(next) = next {
                            max_id = max_id.max(u).max(v);
                            chunk.sources.push(I::from_u64(u));
                            chunk.targets.push(I::from_u64(v));
                            if let Some(w) = &mut chunk.weights {
                                w.push(1.0);
                            }
                            if let Some(t) = &mut chunk.times {
                                t.push(contextivity_graph::interactions::NO_TIME);
                            }
                            chunk.lines += 1;
                            p = next;
                            continue;
                        }
                    }
                }
            }
        }
        // General path: the whole line.
        let nl = memchr(b'\n', &buf[p..]).map_or(end, |k| p + k);
        let line = &buf[p..nl];
        if !is_blank_or_comment(line) {
            let mut fields: [&[u8]; MAX_FIELDS] = [&[]; MAX_FIELDS];
            let n = split_fields(line, &mut fields);
            if n < 2 {
                if chunk.fail(strict, None, one_column()) {
                    break;
                }
            } else {
                let (Some(u), Some(v)) = (parse_u64(fields[0]), parse_u64(fields[1])) else {
                    chunk.stop = Some(Stop::NotNumeric);
                    break;
                };
                match extra_columns(&fields[..n]) {
                    Ok(extra) => {
                        max_id = max_id.max(u).max(v);
                        chunk.push(I::from_u64(u), I::from_u64(v), extra);
                    }
                    Err((column, kind)) => {
                        if chunk.fail(strict, Some(column), kind) {
                            break;
                        }
                    }
                }
            }
        }
        chunk.lines += 1;
        p = nl + 1;
    }
    chunk.max_id = max_id;
    if max_id > I::MAX && chunk.stop != Some(Stop::NotNumeric) {
        chunk.stop = Some(Stop::Wide);
    }
    chunk
}

/// A chunk parsed in string mode: edges between chunk-local ids plus the local labels in
/// first-seen order.
#[derive(Debug, Default)]
pub(crate) struct StringChunk<'a> {
    /// The edges, with chunk-local ids.
    pub edges: Chunk<u32>,
    /// Label of every chunk-local id.
    pub labels: Vec<&'a str>,
}

/// Parses a chunk in string mode. `strict` stops at the first bad record.
pub(crate) fn parse_strings(buf: &[u8], strict: bool) -> StringChunk<'_> {
    let mut chunk: Chunk<u32> = Chunk::with_capacity(0);
    let mut labels: Vec<&str> = Vec::new();
    let mut index: HashMap<&str, u32> = HashMap::new();
    let end = buf.len();
    let mut p = 0usize;
    while p < end {
        let nl = memchr(b'\n', &buf[p..]).map_or(end, |k| p + k);
        let line = &buf[p..nl];
        if !is_blank_or_comment(line) {
            let mut fields: [&[u8]; MAX_FIELDS] = [&[]; MAX_FIELDS];
            let n = split_fields(line, &mut fields);
            if n < 2 {
                if chunk.fail(strict, None, one_column()) {
                    break;
                }
            } else {
                // Validate the whole line before numbering anyone, so that a skipped line adds
                // no people.
                let mut names = [""; 2];
                let mut bad = None;
                for (k, field) in fields[..2].iter().enumerate() {
                    let what = if k == 0 { "source id" } else { "target id" };
                    match std::str::from_utf8(field) {
                        Ok("") => {
                            bad = Some((
                                k as u64 + 1,
                                ErrorKind::InvalidValue {
                                    field: what.into(),
                                    value: String::new(),
                                    expected: "a non-empty id".into(),
                                },
                            ));
                            break;
                        }
                        Ok(label) => names[k] = label,
                        Err(e) => {
                            let at = e.valid_up_to();
                            bad = Some((
                                k as u64 + 1,
                                ErrorKind::NotUtf8(format!(
                                    "{what}: byte 0x{:02x} at offset {at}",
                                    field[at]
                                )),
                            ));
                            break;
                        }
                    }
                }
                let extra = match bad {
                    Some(b) => Err(b),
                    None => extra_columns(&fields[..n]),
                };
                let mut ids = [0u32; 2];
                if extra.is_ok() {
                    for (id, label) in ids.iter_mut().zip(names) {
                        let next = labels.len() as u32;
                        *id = *index.entry(label).or_insert_with(|| {
                            labels.push(label);
                            next
                        });
                    }
                }
                match extra {
                    Ok(extra) => chunk.push(ids[0], ids[1], extra),
                    Err((column, kind)) => {
                        if chunk.fail(strict, Some(column), kind) {
                            break;
                        }
                    }
                }
            }
        }
        chunk.lines += 1;
        p = nl + 1;
    }
    StringChunk {
        edges: chunk,
        labels,
    }
}

/// Splits `buf` into about `parts` runs of whole lines; returns the borders (first 0, last
/// `buf.len()`).
pub(crate) fn chunk_borders(buf: &[u8], parts: usize) -> Vec<usize> {
    let len = buf.len();
    let parts = parts.max(1);
    let mut borders = vec![0usize];
    for k in 1..parts {
        let goal = len / parts * k;
        let last = borders.last().copied().unwrap_or(0);
        if goal <= last {
            continue;
        }
        match memchr(b'\n', &buf[goal..]) {
            Some(i) => {
                let at = goal + i + 1;
                if at < len && at > last {
                    borders.push(at);
                }
            }
            None => break,
        }
    }
    borders.push(len);
    borders
}
