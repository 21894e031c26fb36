//! Opening inputs: plain, gzip or zstd, detected by extension or by magic bytes.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::error::{ErrorKind, FormatError};

/// How a file is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (`.gz`).
    Gzip,
    /// Zstandard (`.zst`).
    Zstd,
}

impl Compression {
    /// Detects compression from the first bytes of a file.
    pub fn sniff(prefix: &[u8]) -> Compression {
        if prefix.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if prefix.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
}

/// The file name without a trailing `.gz` / `.zst`, lower-cased: what format detection looks at.
pub fn logical_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name.strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .map(str::to_string)
        .unwrap_or(name)
}

/// Reads the first `n` bytes of a file (fewer if it is shorter).
pub fn peek(path: &Path, n: usize) -> Result<Vec<u8>, FormatError> {
    let mut f = File::open(path).map_err(|e| FormatError::new(path, e))?;
    let mut buf = vec![0u8; n];
    let mut got = 0;
    while got < n {
        match f.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) => return Err(FormatError::new(path, e)),
        }
    }
    buf.truncate(got);
    Ok(buf)
}

/// Opens `path` for buffered reading, decompressing gzip or zstd transparently.
pub fn open(path: &Path) -> Result<Box<dyn BufRead + Send>, FormatError> {
    let prefix = peek(path, 4)?;
    let file = File::open(path).map_err(|e| FormatError::new(path, e))?;
    Ok(match Compression::sniff(&prefix) {
        Compression::None => Box::new(BufReader::with_capacity(1 << 16, file)),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(BufReader::new(file)),
        )),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            1 << 16,
            zstd::stream::read::Decoder::new(file).map_err(|e| FormatError::new(path, e))?,
        )),
    })
}

/// The whole (decompressed) content of `path` in memory.
pub fn read_all(path: &Path) -> Result<Vec<u8>, FormatError> {
    let mut out = Vec::new();
    open(path)?
        .read_to_end(&mut out)
        .map_err(|e| FormatError::new(path, e))?;
    Ok(out)
}

/// The whole content of `path` as UTF-8 text (a leading BOM removed), or a located error at the
/// first invalid byte.
pub fn read_text(path: &Path) -> Result<String, FormatError> {
    let bytes = read_all(path)?;
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count() as u64;
            Err(FormatError::at(
                path,
                line,
                ErrorKind::NotUtf8(format!("byte 0x{:02x} at offset {valid}", bytes[valid])),
            ))
        }
    }
}

/// Reads `path` as UTF-8 text and hands it to `parse` (a whole-document reader such as GML,
/// GraphML or GEXF), reporting the bytes read as progress once parsing is done.
pub fn parse_text_file<T>(
    path: &Path,
    options: &crate::LoadOptions,
    parse: impl FnOnce(&str, &Path, &crate::LoadOptions) -> Result<T, FormatError>,
) -> Result<T, FormatError> {
    let text = read_text(path)?;
    let parsed = parse(&text, path, options)?;
    options.report_progress(text.len() as u64);
    Ok(parsed)
}
