//! Writing: staged files that appear only when the whole export is complete, chunks formatted in
//! parallel and written in order, and the small formatters the CSV rows need.
//!
//! Every file is written to a hidden temporary name in the output folder (`.people.csv.partial`)
//! and renamed into place by [`Staging::commit`] once every file is complete; if generation
//! fails or panics, [`Staging`]'s `Drop` removes the temporary files, so a failure never leaves
//! a partial export. Memory stays bounded by the window of chunks in flight (see
//! [`for_chunks`]), not by the output size.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::social::error::SocialError;

/// Chunks in flight per rayon thread.
const CHUNKS_PER_THREAD: usize = 4;

/// One file being written under its temporary name.
pub(crate) struct StagedFile {
    path: PathBuf,
    out: BufWriter<File>,
    /// Bytes written so far.
    pub bytes: u64,
}

impl StagedFile {
    /// Appends `data`.
    pub(crate) fn write(&mut self, data: &[u8]) -> Result<(), SocialError> {
        self.out
            .write_all(data)
            .map_err(|e| SocialError::io(&self.path, e))?;
        self.bytes += data.len() as u64;
        Ok(())
    }

    /// Flushes the file; it is renamed into place by [`Staging::commit`].
    pub(crate) fn finish(mut self) -> Result<u64, SocialError> {
        self.out
            .flush()
            .map_err(|e| SocialError::io(&self.path, e))?;
        Ok(self.bytes)
    }
}

/// The temporary files of one export, renamed into place together.
pub(crate) struct Staging {
    dir: PathBuf,
    /// `(temporary, final)` paths.
    files: Vec<(PathBuf, PathBuf)>,
    committed: bool,
}

impl Staging {
    /// Staging in `dir` (created if missing).
    pub(crate) fn new(dir: &Path) -> Result<Self, SocialError> {
        std::fs::create_dir_all(dir).map_err(|e| SocialError::io(dir, e))?;
        Ok(Staging {
            dir: dir.to_path_buf(),
            files: Vec::new(),
            committed: false,
        })
    }

    /// Opens `name` under its temporary name.
    pub(crate) fn create(&mut self, name: &str) -> Result<StagedFile, SocialError> {
        let tmp = self.dir.join(format!(".{name}.partial"));
        let file = File::create(&tmp).map_err(|e| SocialError::io(&tmp, e))?;
        self.files.push((tmp.clone(), self.dir.join(name)));
        Ok(StagedFile {
            path: tmp,
            out: BufWriter::with_capacity(1 << 20, file),
            bytes: 0,
        })
    }

    /// Renames every file into place, in the order they were created.
    pub(crate) fn commit(mut self) -> Result<(), SocialError> {
        for (tmp, dest) in &self.files {
            std::fs::rename(tmp, dest).map_err(|e| SocialError::io(dest, e))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            for (tmp, _) in &self.files {
                // Best effort: the file may never have been created or already be renamed.
                let _ = std::fs::remove_file(tmp);
            }
        }
    }
}

/// Runs `produce` on chunks `0..chunks` in parallel, a window at a time, and hands the results
/// to `consume` in chunk order. The window size only affects scheduling, never the output.
pub(crate) fn for_chunks<T, P, C>(
    chunks: usize,
    produce: P,
    mut consume: C,
) -> Result<(), SocialError>
where
    T: Send,
    P: Fn(usize) -> T + Sync,
    C: FnMut(T) -> Result<(), SocialError>,
{
    let window = (CHUNKS_PER_THREAD * rayon::current_num_threads()).max(CHUNKS_PER_THREAD);
    let mut start = 0;
    while start < chunks {
        let end = (start + window).min(chunks);
        let results: Vec<T> = (start..end).into_par_iter().map(&produce).collect();
        for r in results {
            consume(r)?;
        }
        start = end;
    }
    Ok(())
}

/// Appends the decimal digits of `x`.
#[inline]
pub(crate) fn push_u64(out: &mut Vec<u8>, x: u64) {
    let mut buf = [0u8; 20];
    out.extend_from_slice(contextivity_graph::labels::decimal(&mut buf, x).as_bytes());
}

fn push_two(out: &mut Vec<u8>, x: u32) {
    out.push(b'0' + (x / 10 % 10) as u8);
    out.push(b'0' + (x % 10) as u8);
}

/// Appends `unix` seconds as ISO-8601 UTC, `2024-03-01T12:30:00Z` (years 0–9999).
///
/// Days to civil date by H. Hinnant's algorithm (*chrono-Compatible Low-Level Date
/// Algorithms*, 2013).
pub(crate) fn push_time(out: &mut Vec<u8>, unix: i64) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400) as u32;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)).clamp(0, 9999) as u32;
    push_two(out, year / 100);
    push_two(out, year % 100);
    out.push(b'-');
    push_two(out, month);
    out.push(b'-');
    push_two(out, day);
    out.push(b'T');
    push_two(out, secs / 3600);
    out.push(b':');
    push_two(out, secs / 60 % 60);
    out.push(b':');
    push_two(out, secs % 60);
    out.push(b'Z');
}

/// Appends `field` as one CSV cell, quoted (RFC 4180) when it holds a comma, a quote, a line
/// break or surrounding spaces.
pub(crate) fn push_csv(out: &mut Vec<u8>, field: &str) {
    let needs = field
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        || field.starts_with(' ')
        || field.ends_with(' ');
    if !needs {
        out.extend_from_slice(field.as_bytes());
        return;
    }
    out.push(b'"');
    for b in field.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_format_as_iso_8601() {
        let mut out = Vec::new();
        push_time(&mut out, 1_709_296_200);
        assert_eq!(out, b"2024-03-01T12:30:00Z");
        out.clear();
        push_time(&mut out, 0);
        assert_eq!(out, b"1970-01-01T00:00:00Z");
        out.clear();
        push_time(&mut out, 951_782_400); // leap day
        assert_eq!(out, b"2000-02-29T00:00:00Z");
        out.clear();
        push_time(&mut out, -1);
        assert_eq!(out, b"1969-12-31T23:59:59Z");
    }

    #[test]
    fn numbers_and_cells() {
        let mut out = Vec::new();
        for x in [0u64, 7, 10, 1234567890, u64::MAX] {
            out.clear();
            push_u64(&mut out, x);
            assert_eq!(out, x.to_string().as_bytes());
        }
        out.clear();
        push_csv(&mut out, "plain words");
        push_csv(&mut out, "a, \"b\"");
        assert_eq!(out, b"plain words\"a, \"\"b\"\"\"");
    }

    #[test]
    fn uncommitted_staging_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut s = Staging::new(dir.path()).unwrap();
            let mut f = s.create("a.csv").unwrap();
            f.write(b"x\n").unwrap();
            f.finish().unwrap();
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut s = Staging::new(dir.path()).unwrap();
        let f = s.create("b.csv").unwrap();
        f.finish().unwrap();
        s.commit().unwrap();
        assert!(dir.path().join("b.csv").is_file());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
