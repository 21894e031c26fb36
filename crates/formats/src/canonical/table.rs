//! One CSV file of the canonical layout: its header, its delimiter, its rows with their true
//! starting line numbers, and typed cells that fail with located errors.
//!
//! [`Table::open`] reads the header; the rest of the file comes in blocks ([`super::records`])
//! that [`Header::parse_block`] turns into typed rows on any thread. Rows carry their line
//! counted from the start of their block; the sequential side adds the block's first line.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use super::records::{Blocks, Record, Step, Tokenizer};
use crate::error::{clip, ErrorKind, FormatError};
use crate::input;
use crate::time::parse_time;

/// What a time cell must look like, for error messages.
const TIME_EXPECTED: &str = "an ISO-8601 time (2024-03-01T12:30:00Z) or Unix seconds";

/// What every thread needs to parse rows: the file's name, columns and delimiter.
pub(super) struct Header {
    path: PathBuf,
    columns: Vec<String>,
    header_line: u64,
    tokenizer: Tokenizer,
}

/// An open CSV file past its header row.
pub(super) struct Table {
    /// The header, shared by the threads parsing blocks.
    pub(super) header: Header,
    /// The blocks after the first.
    pub(super) blocks: Blocks,
    /// The first block, the offset just past the header in it, and the line there.
    pub(super) first: (Vec<u8>, usize, u64),
}

/// The rows of one block, as parsed on a worker thread.
pub(super) struct Parsed<T> {
    /// Good rows with their line (1 = the block's first line).
    pub(super) rows: Vec<(u64, T)>,
    /// Bad rows (lines as in `rows`), each with the number of good rows before it.
    pub(super) bad: Vec<(usize, FormatError)>,
    /// Line breaks in the block.
    pub(super) breaks: u64,
    /// Whether the block ended inside a record (it must then be read again with what follows).
    pub(super) incomplete: bool,
}

impl Table {
    /// Opens `path` (plain, gzip or zstd), detects the delimiter from the header line and reads
    /// the header. `expected` describes the header for the error on an empty file.
    pub(super) fn open(path: &Path, expected: &str) -> Result<Table, FormatError> {
        let mut source = input::open(path)?;
        let (prefix, header) = read_prefix(path, &mut source, expected)?;
        let delimiter = sniff_delimiter(&prefix[header..]);
        let source: Box<dyn Read + Send> = Box::new(source);
        let mut blocks = Blocks::new(prefix, source);
        let mut block = blocks.next_block(path)?.unwrap_or_default();
        let tokenizer = Tokenizer::new(delimiter);
        let mut record = Record::default();
        let (mut pos, mut line) = (0usize, 1u64);
        let header_line = loop {
            match tokenizer.next(&block, &mut pos, &mut line, &mut record, blocks.is_done()) {
                Step::Record(l) if !record.is_blank() => break l,
                Step::Record(_) => {}
                Step::End if blocks.is_done() => {
                    return Err(FormatError::new(
                        path,
                        ErrorKind::Empty {
                            expected: expected.to_string(),
                        },
                    ))
                }
                Step::End => {
                    block = block[pos..].to_vec();
                    block.extend(blocks.next_block(path)?.unwrap_or_default());
                    pos = 0;
                }
                Step::Incomplete => {
                    (pos, line) = (0, 1);
                    block.extend(blocks.rest(path)?);
                }
            }
        };
        let mut columns = Vec::with_capacity(record.ends.len());
        for i in 0..record.ends.len() {
            let name = record.cell(i);
            let name = std::str::from_utf8(name)
                .map_err(|e| not_utf8(path, header_line, i, name, e.valid_up_to()))?;
            let name = name.trim().to_lowercase();
            if !name.is_empty() {
                if let Some(first) = columns.iter().position(|c| *c == name) {
                    return Err(FormatError::at(
                        path,
                        header_line,
                        ErrorKind::Syntax(format!(
                            "column `{name}` appears twice (columns {} and {})",
                            first + 1,
                            i + 1
                        )),
                    )
                    .with_column(i as u64 + 1));
                }
            }
            columns.push(name);
        }
        Ok(Table {
            header: Header {
                path: path.to_path_buf(),
                columns,
                header_line,
                tokenizer,
            },
            blocks,
            first: (block, pos, line),
        })
    }
}

impl Header {
    /// The file as named in errors.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// The header's column names, trimmed and lower-cased (unnamed columns are empty).
    pub(super) fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The index of column `name`, if the header has it.
    pub(super) fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The index of column `name`, or the error naming the header's line and columns.
    pub(super) fn require(&self, name: &str) -> Result<usize, FormatError> {
        self.column(name).ok_or_else(|| {
            FormatError::at(
                &self.path,
                self.header_line,
                ErrorKind::MissingColumn {
                    column: name.to_string(),
                    found: self.columns.join(", "),
                },
            )
        })
    }

    /// Parses the rows of `bytes[start..]` with `parse`. Blank rows are passed over; a row of
    /// the wrong width, with bytes that are not UTF-8 or that `parse` refuses is bad. When
    /// `strict`, parsing stops at the first bad row. `last` says whether the block ends the file.
    pub(super) fn parse_block<T>(
        &self,
        bytes: &[u8],
        start: usize,
        last: bool,
        strict: bool,
        mut parse: impl FnMut(&Row<'_>) -> Result<T, FormatError>,
    ) -> Parsed<T> {
        let mut out = Parsed {
            rows: Vec::new(),
            bad: Vec::new(),
            breaks: 0,
            incomplete: false,
        };
        let mut record = Record::default();
        let (mut pos, mut line) = (start, 1u64);
        loop {
            let at = match self
                .tokenizer
                .next(bytes, &mut pos, &mut line, &mut record, last)
            {
                Step::Record(at) => at,
                Step::End => break,
                Step::Incomplete => {
                    out.incomplete = true;
                    break;
                }
            };
            if record.is_blank() {
                continue;
            }
            match self.row(&record, at).and_then(|row| parse(&row)) {
                Ok(value) => out.rows.push((at, value)),
                Err(e) => {
                    out.bad.push((out.rows.len(), e));
                    if strict {
                        break;
                    }
                }
            }
        }
        out.breaks = line - 1;
        out
    }

    /// `record` as a row, or the error for a row of the wrong width or not UTF-8.
    fn row<'a>(&'a self, record: &'a Record, line: u64) -> Result<Row<'a>, FormatError> {
        if record.ends.len() != self.columns.len() {
            return Err(FormatError::at(
                &self.path,
                line,
                ErrorKind::ColumnCount {
                    expected: self.columns.len(),
                    found: record.ends.len(),
                },
            ));
        }
        // Like `csv::StringRecord`: all ASCII is fine, otherwise each cell must be UTF-8 alone.
        if !record.bytes.is_ascii() {
            for i in 0..record.ends.len() {
                let cell = record.cell(i);
                if let Err(e) = std::str::from_utf8(cell) {
                    return Err(not_utf8(&self.path, line, i, cell, e.valid_up_to()));
                }
            }
        }
        let text = std::str::from_utf8(&record.bytes)
            .map_err(|e| not_utf8(&self.path, line, 0, &record.bytes, e.valid_up_to()))?;
        Ok(Row {
            path: &self.path,
            line,
            columns: &self.columns,
            text,
            ends: &record.ends,
        })
    }
}

/// One well-formed row: cells by column index, trimmed, with located conversions.
pub(super) struct Row<'a> {
    path: &'a Path,
    line: u64,
    columns: &'a [String],
    /// The cells back to back.
    text: &'a str,
    /// Where each cell ends in `text`.
    ends: &'a [usize],
}

impl<'a> Row<'a> {
    /// The trimmed cell of `column`, or `""` when the header lacks the column.
    pub(super) fn text(&self, column: Option<usize>) -> &'a str {
        let Some(c) = column else { return "" };
        let start = if c == 0 {
            0
        } else {
            self.ends.get(c - 1).copied().unwrap_or(0)
        };
        let end = self.ends.get(c).copied().unwrap_or(start);
        self.text.get(start..end).map_or("", str::trim)
    }

    /// A required, non-empty identifier.
    pub(super) fn id(&self, column: usize) -> Result<&'a str, FormatError> {
        let value = self.text(Some(column));
        if value.is_empty() {
            return Err(self.invalid(column, value, "a non-empty id"));
        }
        Ok(value)
    }

    /// A weight: empty means 1; otherwise a finite number ≥ 0.
    pub(super) fn weight(&self, column: Option<usize>) -> Result<f32, FormatError> {
        let value = self.text(column);
        if value.is_empty() {
            return Ok(1.0);
        }
        match value.parse::<f32>() {
            Ok(w) if w.is_finite() && w >= 0.0 => Ok(w),
            _ => Err(self.invalid_at(column, value, "a non-negative number")),
        }
    }

    /// A time: empty means none; otherwise ISO-8601 or Unix seconds.
    pub(super) fn time(&self, column: Option<usize>) -> Result<Option<i64>, FormatError> {
        let value = self.text(column);
        if value.is_empty() {
            return Ok(None);
        }
        parse_time(value)
            .map(Some)
            .ok_or_else(|| self.invalid_at(column, value, TIME_EXPECTED))
    }

    /// A count: empty means unknown; otherwise a whole number ≥ 0 (`12` or `12.0`, as data
    /// frames write integer columns with gaps).
    pub(super) fn count(&self, column: Option<usize>) -> Result<Option<u64>, FormatError> {
        let value = self.text(column);
        if value.is_empty() {
            return Ok(None);
        }
        if let Ok(n) = value.parse::<u64>() {
            return Ok(Some(n));
        }
        match value.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x < 1.8e19 => {
                Ok(Some(x as u64))
            }
            _ => Err(self.invalid_at(column, value, "a whole number ≥ 0")),
        }
    }

    /// An error at this row without a column.
    pub(super) fn error(&self, kind: ErrorKind) -> FormatError {
        FormatError::at(self.path, self.line, kind)
    }

    /// An invalid-value error at `column` of this row.
    pub(super) fn invalid(&self, column: usize, value: &str, expected: &str) -> FormatError {
        let field = self
            .columns
            .get(column)
            .filter(|c| !c.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("column {}", column + 1));
        self.error(ErrorKind::InvalidValue {
            field,
            value: clip(value),
            expected: expected.to_string(),
        })
        .with_column(column as u64 + 1)
    }

    fn invalid_at(&self, column: Option<usize>, value: &str, expected: &str) -> FormatError {
        // Only present columns hold values, so `column` is always `Some` here.
        self.invalid(column.unwrap_or(0), value, expected)
    }
}

/// The error for a field that is not UTF-8.
fn not_utf8(path: &Path, line: u64, field: usize, bytes: &[u8], valid: usize) -> FormatError {
    let what = match bytes.get(valid) {
        Some(b) => format!("byte 0x{b:02x} in field {}", field + 1),
        None => format!("truncated character in field {}", field + 1),
    };
    FormatError::at(path, line, ErrorKind::NotUtf8(what)).with_column(field as u64 + 1)
}

/// Reads up to and including the first line with content (the header), keeping any blank lines
/// before it so line numbers stay true. Returns the bytes (a UTF-8 byte-order mark removed) and
/// where the header line starts in them.
fn read_prefix(
    path: &Path,
    source: &mut dyn BufRead,
    expected: &str,
) -> Result<(Vec<u8>, usize), FormatError> {
    let mut prefix = Vec::new();
    let mut line = 1u64;
    loop {
        let start = prefix.len();
        let n = source
            .read_until(b'\n', &mut prefix)
            .map_err(|e| FormatError::at(path, line, e))?;
        if start == 0 {
            if prefix.starts_with(&[0xff, 0xfe]) || prefix.starts_with(&[0xfe, 0xff]) {
                return Err(FormatError::at(
                    path,
                    1,
                    ErrorKind::NotUtf8(
                        "the file is UTF-16 (it starts with a UTF-16 byte-order mark); \
                         save it as UTF-8"
                            .into(),
                    ),
                ));
            }
            if prefix.starts_with(b"\xef\xbb\xbf") {
                prefix.drain(..3);
            }
        }
        if n == 0 {
            if prefix.iter().all(u8::is_ascii_whitespace) {
                return Err(FormatError::new(
                    path,
                    ErrorKind::Empty {
                        expected: expected.to_string(),
                    },
                ));
            }
            return Ok((prefix, start));
        }
        let content = &prefix[start..];
        if content.iter().all(u8::is_ascii_whitespace) {
            line += 1;
            continue;
        }
        let body = content.strip_suffix(b"\n").unwrap_or(content);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        if body.contains(&b'\r') {
            return Err(FormatError::at(
                path,
                line,
                ErrorKind::Syntax(
                    "lines end with a lone carriage return (classic Mac OS); \
                     convert the line endings to \\n or \\r\\n"
                        .into(),
                ),
            ));
        }
        return Ok((prefix, start));
    }
}

/// Tab when the header line holds more tabs than commas outside quotes, comma otherwise.
fn sniff_delimiter(header: &[u8]) -> u8 {
    let (mut commas, mut tabs, mut quoted) = (0usize, 0usize, false);
    for &b in header {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b'\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if tabs > commas {
        b'\t'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_follows_the_header() {
        assert_eq!(sniff_delimiter(b"follower,followee\n"), b',');
        assert_eq!(sniff_delimiter(b"follower\tfollowee\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a,b,c\"\tfollowee\n"), b'\t');
        assert_eq!(sniff_delimiter(b"id\n"), b',');
    }
}
