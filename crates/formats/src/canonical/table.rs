//! One CSV file of the canonical layout: its header, its delimiter, its rows with their true
//! starting line numbers, and typed cells that fail with located errors.
//!
//! Records are split by the `csv` crate (RFC 4180: quoted fields may hold delimiters, doubled
//! quotes and line breaks). Its own record positions drift after blank lines and `\r\n` endings,
//! so the line of every record is derived from where it *ends* instead: the stream is read with
//! `\n` as the only terminator (a `\r` before it is trimmed with the cell), and always ends in a
//! `\n`, so a record starts at `line after it − line breaks inside its fields − 1`.

use std::io::{BufRead, Cursor, Read};
use std::path::{Path, PathBuf};

use csv::{ByteRecord, StringRecord};

use crate::error::{clip, ErrorKind, FormatError};
use crate::input;
use crate::time::parse_time;

/// What a time cell must look like, for error messages.
const TIME_EXPECTED: &str = "an ISO-8601 time (2024-03-01T12:30:00Z) or Unix seconds";

/// An open CSV file past its header row.
pub(super) struct Table {
    path: PathBuf,
    reader: csv::Reader<Box<dyn Read + Send>>,
    columns: Vec<String>,
    header_line: u64,
    raw: ByteRecord,
    record: StringRecord,
}

/// What [`Table::next_row`] found.
pub(super) enum Next<'a> {
    /// A well-formed row.
    Row(Row<'a>),
    /// A row that cannot be used (wrong width, not UTF-8): skippable under `--on-error skip`.
    Bad(FormatError),
    /// The end of the file.
    End,
}

impl Table {
    /// Opens `path` (plain, gzip or zstd), detects the delimiter from the header line and reads
    /// the header. `expected` describes the header for the error on an empty file.
    pub(super) fn open(path: &Path, expected: &str) -> Result<Table, FormatError> {
        let mut source = input::open(path)?;
        let (prefix, header) = read_prefix(path, &mut source, expected)?;
        let delimiter = sniff_delimiter(&prefix[header..]);
        let stream: Box<dyn Read + Send> =
            Box::new(Cursor::new(prefix).chain(source).chain(&b"\n"[..]));
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(1 << 16)
            .from_reader(stream);
        let mut table = Table {
            path: path.to_path_buf(),
            reader,
            columns: Vec::new(),
            header_line: 1,
            raw: ByteRecord::new(),
            record: StringRecord::new(),
        };
        let Some(line) = table.read_content()? else {
            return Err(FormatError::new(
                path,
                ErrorKind::Empty {
                    expected: expected.to_string(),
                },
            ));
        };
        table.header_line = line;
        let mut columns = Vec::with_capacity(table.raw.len());
        for (i, name) in table.raw.iter().enumerate() {
            let name = std::str::from_utf8(name)
                .map_err(|e| not_utf8(path, line, i, name, e.valid_up_to()))?;
            let name = name.trim().to_lowercase();
            if !name.is_empty() {
                if let Some(first) = columns.iter().position(|c| *c == name) {
                    return Err(FormatError::at(
                        path,
                        line,
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
        table.columns = columns;
        Ok(table)
    }

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

    /// Decompressed bytes consumed so far.
    pub(super) fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }

    /// Reads the next record into `raw`, returning its starting line; `None` at the end.
    fn read_raw(&mut self) -> Result<Option<u64>, FormatError> {
        match self.reader.read_byte_record(&mut self.raw) {
            Ok(true) => {
                let breaks = self.raw.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
                let after = self.reader.position().line();
                Ok(Some(after.saturating_sub(breaks + 1).max(1)))
            }
            Ok(false) => Ok(None),
            Err(e) => {
                let line = self.reader.position().line();
                let kind = match e.into_kind() {
                    csv::ErrorKind::Io(io) => ErrorKind::Io(io),
                    other => ErrorKind::Syntax(format!("{other:?}")),
                };
                Err(FormatError::at(&self.path, line, kind))
            }
        }
    }

    /// Reads the next record that is not blank (a blank line, or cells holding only spaces),
    /// returning its starting line; `None` at the end.
    fn read_content(&mut self) -> Result<Option<u64>, FormatError> {
        while let Some(line) = self.read_raw()? {
            let blank = self
                .raw
                .iter()
                .all(|f| f.iter().all(u8::is_ascii_whitespace));
            if !blank {
                return Ok(Some(line));
            }
        }
        Ok(None)
    }

    /// The next data row. Blank lines and rows of empty cells are passed over. A row of the
    /// wrong width or with bytes that are not UTF-8 comes back as [`Next::Bad`]; only read
    /// errors are `Err`.
    pub(super) fn next_row(&mut self) -> Result<Next<'_>, FormatError> {
        self.raw = std::mem::take(&mut self.record).into_byte_record();
        let Some(line) = self.read_content()? else {
            return Ok(Next::End);
        };
        if self.raw.len() != self.columns.len() {
            return Ok(Next::Bad(FormatError::at(
                &self.path,
                line,
                ErrorKind::ColumnCount {
                    expected: self.columns.len(),
                    found: self.raw.len(),
                },
            )));
        }
        match StringRecord::from_byte_record(std::mem::take(&mut self.raw)) {
            Ok(record) => self.record = record,
            Err(e) => {
                let field = e.utf8_error().field();
                let valid = e.utf8_error().valid_up_to();
                self.raw = e.into_byte_record();
                let bytes = self.raw.get(field).unwrap_or_default();
                return Ok(Next::Bad(not_utf8(&self.path, line, field, bytes, valid)));
            }
        }
        Ok(Next::Row(Row {
            path: &self.path,
            line,
            columns: &self.columns,
            record: &self.record,
        }))
    }
}

/// One well-formed row: cells by column index, trimmed, with located conversions.
pub(super) struct Row<'a> {
    path: &'a Path,
    line: u64,
    columns: &'a [String],
    record: &'a StringRecord,
}

impl<'a> Row<'a> {
    /// The trimmed cell of `column`, or `""` when the header lacks the column.
    pub(super) fn text(&self, column: Option<usize>) -> &'a str {
        column
            .and_then(|c| self.record.get(c))
            .map_or("", str::trim)
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
