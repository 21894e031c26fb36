//! The canonical export: a directory of up to four CSV files.
//!
//! | file | columns (`[…]` optional) |
//! |---|---|
//! | `people.csv` | `id[,handle][,name][,bio][,followers_count]`, any other column kept as an attribute |
//! | `follows.csv` | `follower,followee[,time][,weight]` — the follower follows the followee |
//! | `interactions.csv` | `source,target,kind[,time][,weight]` |
//! | `posts.csv` | `id,author[,time][,text][,hashtags][,reply_to][,impressions][,clicks][,likes][,reposts][,replies]` |
//!
//! Every file needs a header row; column names are case-insensitive and may come in any order.
//! The delimiter (comma or tab) is read off the header line; quoting follows RFC 4180; UTF-8
//! with or without a byte-order mark, `\n` or `\r\n` line endings; any file may be gzip
//! (`follows.csv.gz`) or zstd (`follows.csv.zst`) compressed. Times are ISO-8601 or Unix
//! seconds ([`crate::time::parse_time`]). `docs/FORMAT.md` describes the layout for users.
//!
//! Files are read in the order people, follows, interactions, posts, so people keep the order
//! of `people.csv` and everyone else is numbered on first sight. Under [`OnError::Fail`] the
//! first bad row stops loading with a [`FormatError`] naming file, line and (for a bad value)
//! column; under [`OnError::Skip`] bad rows are counted in the load summary and the rest loads.
//! A header without a required column is an error under both policies.
//!
//! [`OnError::Fail`]: crate::OnError::Fail
//! [`OnError::Skip`]: crate::OnError::Skip

// `FormatError` carries the path, line, column and the offending value; it is returned once per
// load (or once per skipped row), never in a hot loop, so its size does not matter here.
#![allow(clippy::result_large_err)]

mod edges;
mod people;
mod posts;
mod table;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use contextivity_graph::{GraphBuilder, SocialGraph};

use crate::input::logical_name;
use crate::{ErrorKind, FormatError, LoadOptions};

use table::{Next, Row, Table};

/// The files of the canonical layout (read people first, then follows, interactions, posts).
pub const FILES: [&str; 4] = ["follows.csv", "interactions.csv", "people.csv", "posts.csv"];

/// How often (in bytes read) progress is reported.
const PROGRESS_EVERY: u64 = 1 << 20;

/// Reads a canonical export: a directory holding any of [`FILES`] (each possibly `.gz` or
/// `.zst`), or one of those files on its own.
///
/// # Errors
///
/// A located [`FormatError`] for the first bad row (or, under `--on-error skip`, only for
/// problems that affect a whole file: a header missing a required column, a column named
/// twice, a file that cannot be read or decompressed); an error when the directory holds none
/// of the files, or holds a file both plain and compressed.
pub fn read(path: &Path, options: &LoadOptions) -> Result<SocialGraph, FormatError> {
    let files = ExportFiles::find(path)?;
    let mut loader = Loader::new(options);
    if let Some(p) = &files.people {
        people::load(&mut loader, p)?;
    }
    if let Some(p) = &files.follows {
        edges::load_follows(&mut loader, p)?;
    }
    if let Some(p) = &files.interactions {
        edges::load_interactions(&mut loader, p)?;
    }
    if let Some(p) = &files.posts {
        posts::load(&mut loader, p, files.people.is_some())?;
    }
    loader
        .builder
        .build()
        .map_err(|e| FormatError::new(path, e))
}

/// The files found for one export.
#[derive(Debug, Default)]
struct ExportFiles {
    people: Option<PathBuf>,
    follows: Option<PathBuf>,
    interactions: Option<PathBuf>,
    posts: Option<PathBuf>,
}

impl ExportFiles {
    /// The files of the export at `path`: a directory, or a single file of the layout.
    fn find(path: &Path) -> Result<ExportFiles, FormatError> {
        let mut files = ExportFiles::default();
        if path.is_dir() {
            for name in FILES {
                *files.slot(name) = find_one(path, name)?;
            }
            if files.is_empty() {
                return Err(FormatError::new(
                    path,
                    ErrorKind::UnknownFormat(
                        "a canonical export directory holds follows.csv, interactions.csv, \
                         people.csv or posts.csv (optionally .gz or .zst); found none"
                            .into(),
                    ),
                ));
            }
        } else if path.is_file() {
            let name = logical_name(path);
            match FILES.iter().find(|f| **f == name) {
                Some(f) => *files.slot(f) = Some(path.to_path_buf()),
                None => {
                    return Err(FormatError::new(
                        path,
                        ErrorKind::UnknownFormat(format!(
                            "a canonical export file is named {} (optionally .gz or .zst)",
                            FILES.join(", ")
                        )),
                    ))
                }
            }
        } else {
            return Err(FormatError::new(
                path,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
            ));
        }
        Ok(files)
    }

    fn slot(&mut self, name: &str) -> &mut Option<PathBuf> {
        match name {
            "people.csv" => &mut self.people,
            "follows.csv" => &mut self.follows,
            "interactions.csv" => &mut self.interactions,
            _ => &mut self.posts,
        }
    }

    fn is_empty(&self) -> bool {
        self.people.is_none()
            && self.follows.is_none()
            && self.interactions.is_none()
            && self.posts.is_none()
    }
}

/// `dir/name`, `dir/name.gz` or `dir/name.zst`, whichever exists; an error if more than one
/// does, since reading either silently could load stale data.
fn find_one(dir: &Path, name: &str) -> Result<Option<PathBuf>, FormatError> {
    let found: Vec<PathBuf> = ["", ".gz", ".zst"]
        .iter()
        .map(|ext| dir.join(format!("{name}{ext}")))
        .filter(|p| p.is_file())
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        many => {
            let names: Vec<String> = many
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect();
            Err(FormatError::new(
                dir,
                ErrorKind::Syntax(format!(
                    "{} are all present: keep only one of them",
                    names.join(" and ")
                )),
            ))
        }
    }
}

/// State shared by the file readers: the builder, the error policy and progress.
struct Loader<'o> {
    options: &'o LoadOptions,
    builder: GraphBuilder,
    /// Bytes of the files already finished.
    done: u64,
    /// Report progress once the running total reaches this.
    next_report: u64,
}

impl<'o> Loader<'o> {
    fn new(options: &'o LoadOptions) -> Self {
        Loader {
            options,
            builder: GraphBuilder::new(options.build_config(false)),
            done: 0,
            next_report: PROGRESS_EVERY,
        }
    }

    /// Applies the error policy to a bad row.
    fn reject(&mut self, error: FormatError) -> Result<(), FormatError> {
        self.options.handle(&mut self.builder, error)
    }

    /// Reports progress when another [`PROGRESS_EVERY`] bytes have been read from `table`.
    fn tick(&mut self, table: &Table) {
        let total = self.done + table.bytes_read();
        if total >= self.next_report {
            self.options.report_progress(total);
            self.next_report = total + PROGRESS_EVERY;
        }
    }

    /// Closes `table`'s share of the progress count and reports it.
    fn finish(&mut self, table: &Table) {
        self.done += table.bytes_read();
        self.options.report_progress(self.done);
        self.next_report = self.done + PROGRESS_EVERY;
    }

    /// Reads every row of `table`, handing well-formed rows to `row` and sending bad ones
    /// through the error policy. `row` returns `Ok(Ok(()))` for a row it used, `Ok(Err(e))` for
    /// a bad row (skippable), and `Err(e)` for an error that stops loading whatever the policy.
    fn rows<F>(&mut self, table: &mut Table, mut row: F) -> Result<(), FormatError>
    where
        F: FnMut(&mut GraphBuilder, &Row<'_>) -> Result<Result<(), FormatError>, FormatError>,
    {
        loop {
            let bad = match table.next_row()? {
                Next::End => break,
                Next::Bad(e) => Some(e),
                Next::Row(r) => row(&mut self.builder, &r)?.err(),
            };
            if let Some(e) = bad {
                self.reject(e)?;
            }
            self.tick(table);
        }
        self.finish(table);
        Ok(())
    }

    /// Opens one file; an empty file is a bad record under the error policy (`Ok(None)` when
    /// skipped), every other failure to open is returned.
    fn open(&mut self, path: &Path, expected: &str) -> Result<Option<Table>, FormatError> {
        match Table::open(path, expected) {
            Ok(t) => Ok(Some(t)),
            Err(e) if matches!(e.kind, ErrorKind::Empty { .. }) => {
                self.reject(e)?;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Leaves a note naming the columns of `table` that no reader uses.
    fn note_ignored(&mut self, table: &Table, used: &[&str]) {
        let ignored: Vec<String> = table
            .columns()
            .iter()
            .enumerate()
            .filter(|(_, c)| !used.contains(&c.as_str()))
            .map(|(i, c)| {
                if c.is_empty() {
                    format!("unnamed column {}", i + 1)
                } else {
                    format!("`{c}`")
                }
            })
            .collect();
        if !ignored.is_empty() {
            let s = if ignored.len() == 1 { "" } else { "s" };
            self.builder.note(format!(
                "{}: ignored column{s} {}",
                file_name(table.path()),
                ignored.join(", ")
            ));
        }
    }
}

/// The file name of `path`, for notes.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Turns a graph error (too many people or kinds) into a located error that stops loading.
fn graph_error(row: &Row<'_>, e: contextivity_graph::GraphError) -> FormatError {
    row.error(ErrorKind::Graph(e))
}
