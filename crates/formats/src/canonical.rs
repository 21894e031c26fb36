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
//! # Speed
//!
//! Each file is read in blocks of a few megabytes that end at record boundaries
//! (`canonical/records.rs`); a wave of blocks is parsed in parallel into typed rows while the
//! previous wave is numbered and stored on one thread, in file order, so the graph is the same
//! at any thread count. Ids are numbered through a direct table for small canonical numbers and
//! a hash table otherwise (`canonical/intern.rs`). Memory beyond the graph is a few waves of
//! blocks; gzip and zstd files are decompressed as they are read.
//!
//! [`OnError::Fail`]: crate::OnError::Fail
//! [`OnError::Skip`]: crate::OnError::Skip

// `FormatError` carries the path, line, column and the offending value; it is returned once per
// load (or once per skipped row), never in a hot loop, so its size does not matter here.
#![allow(clippy::result_large_err)]

mod edges;
mod intern;
mod people;
mod posts;
mod records;
mod table;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use contextivity_graph::{GraphBuilder, GraphError, KindId, NodeId, SocialGraph};
use rayon::prelude::*;

use crate::input::logical_name;
use crate::{ErrorKind, FormatError, LoadOptions, OnError};

use intern::{Ids, Keys};
use table::{Header, Parsed, Row, Table};

/// The files of the canonical layout (read people first, then follows, interactions, posts).
pub const FILES: [&str; 4] = ["follows.csv", "interactions.csv", "people.csv", "posts.csv"];

/// How often (in bytes read) progress is reported.
const PROGRESS_EVERY: u64 = 1 << 20;

/// Blocks parsed together per worker thread.
const BLOCKS_PER_THREAD: usize = 2;

/// How many rows ahead of the one being numbered the id tables are prefetched.
const PREFETCH_AHEAD: usize = 16;

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
    loader.build().map_err(|e| FormatError::new(path, e))
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

/// State shared by the file readers: the builder, the numbered people, the error policy and
/// progress. Records go to the builder as soon as they are numbered; the people's labels are
/// handed over last, in id order, by [`Loader::build`].
struct Loader<'o> {
    options: &'o LoadOptions,
    builder: GraphBuilder,
    ids: Ids,
    /// Kind cells seen so far, by their exact text.
    kind_cells: HashMap<String, KindId>,
    /// Bytes of the files already finished.
    done: u64,
    /// Report progress once the running total reaches this.
    next_report: u64,
}

/// A file's sink: takes one parsed row (with the block's keys and the row's line) and returns
/// `Ok(Ok(()))` for a row it used, `Ok(Err(e))` for a bad row (skippable) and `Err(e)` for an
/// error that stops loading whatever the policy.
type Sink<'s, T> = dyn FnMut(&mut Loader<'_>, &Keys, u64, T) -> Result<Result<(), FormatError>, FormatError>
    + Send
    + 's;

/// A block read from a file: its bytes, where its rows start and whether it ends the file.
type Block = (Vec<u8>, usize, bool);

/// A block and its parsed rows.
type Unit<T> = (Block, Keys, Parsed<T>);

impl<'o> Loader<'o> {
    fn new(options: &'o LoadOptions) -> Self {
        Loader {
            options,
            builder: GraphBuilder::new(options.build_config(false)),
            ids: Ids::new(),
            kind_cells: HashMap::new(),
            done: 0,
            next_report: PROGRESS_EVERY,
        }
    }

    /// Whether the first bad row stops loading.
    fn strict(&self) -> bool {
        self.options.on_error == OnError::Fail
    }

    /// Applies the error policy to a bad row.
    fn reject(&mut self, error: FormatError) -> Result<(), FormatError> {
        self.options.handle(&mut self.builder, error)
    }

    /// Leaves a note for the load summary.
    fn note(&mut self, text: String) {
        self.builder.note(text);
    }

    /// The id of the person whose id cell gave `key`, numbering them if new.
    fn node(&mut self, key: intern::Key, keys: &Keys) -> Result<NodeId, GraphError> {
        self.ids.intern(key, keys)
    }

    /// The kind named by the cell `cell` (case-insensitive), added as a custom kind if new.
    fn kind(&mut self, cell: &str) -> Result<KindId, GraphError> {
        if let Some(&k) = self.kind_cells.get(cell) {
            return Ok(k);
        }
        let k = self.builder.kind(cell)?;
        self.kind_cells.insert(cell.to_string(), k);
        Ok(k)
    }

    /// Counts `bytes` more read and reports progress every [`PROGRESS_EVERY`] bytes.
    fn advance(&mut self, bytes: u64) {
        self.done += bytes;
        if self.done >= self.next_report {
            self.options.report_progress(self.done);
            self.next_report = self.done + PROGRESS_EVERY;
        }
    }

    /// Reports the end of a file.
    fn finish_file(&mut self) {
        self.options.report_progress(self.done);
        self.next_report = self.done + PROGRESS_EVERY;
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

    /// Reads every row of `table`: blocks are parsed by `parse` in parallel, a wave at a time,
    /// while the previous wave's rows go to `sink` in file order on this thread. Bad rows go
    /// through the error policy.
    fn rows<T, P>(
        &mut self,
        table: Table,
        parse: &P,
        ids_of: fn(&T) -> [Option<intern::Key>; 2],
        sink: &mut Sink<'_, T>,
    ) -> Result<(), FormatError>
    where
        T: Send,
        P: Fn(&Row<'_>, &mut Keys) -> Result<T, FormatError> + Sync,
    {
        let Table {
            header,
            mut blocks,
            first: (bytes, start, mut line),
        } = table;
        let header = &header;
        let strict = self.strict();
        let wave = (rayon::current_num_threads() * BLOCKS_PER_THREAD).max(2);
        let read_wave = |blocks: &mut records::Blocks,
                         first: Option<Block>|
         -> Result<Vec<Unit<T>>, FormatError> {
            let mut list: Vec<Block> = first.into_iter().collect();
            while list.len() < wave && !blocks.is_done() {
                if let Some(b) = blocks.next_block(header.path())? {
                    list.push((b, 0, blocks.is_done()));
                }
            }
            Ok(list
                .into_par_iter()
                .map(|block| {
                    let mut keys = Keys::default();
                    let parsed = header.parse_block(&block.0, block.1, block.2, strict, |row| {
                        parse(row, &mut keys)
                    });
                    (block, keys, parsed)
                })
                .collect())
        };
        let first = (bytes, start, blocks.is_done());
        let mut units = read_wave(&mut blocks, Some(first))?;
        while !units.is_empty() {
            let (used, next) = rayon::join(
                || self.consume(&mut line, units, ids_of, sink),
                || read_wave(&mut blocks, None),
            );
            let Some(rest) = used? else {
                units = next?;
                continue;
            };
            // A block ended inside a record: read everything from there as one block.
            let mut merged = rest;
            for ((b, _, _), _, _) in next? {
                merged.extend_from_slice(&b);
            }
            merged.extend(blocks.rest(header.path())?);
            let mut keys = Keys::default();
            let parsed = header.parse_block(&merged, 0, true, strict, |row| parse(row, &mut keys));
            units = vec![((merged, 0, true), keys, parsed)];
        }
        self.finish_file();
        Ok(())
    }

    /// Hands the rows of `units` to `sink` in order. Returns the bytes from the start of a block
    /// that ended inside a record onwards (the block and those after it are not used), if any.
    fn consume<T>(
        &mut self,
        line: &mut u64,
        units: Vec<Unit<T>>,
        ids_of: fn(&T) -> [Option<intern::Key>; 2],
        sink: &mut Sink<'_, T>,
    ) -> Result<Option<Vec<u8>>, FormatError> {
        let mut units = units.into_iter();
        while let Some(((bytes, start, _), keys, parsed)) = units.by_ref().next() {
            if parsed.incomplete {
                self.advance(start as u64);
                let mut rest = bytes[start..].to_vec();
                for ((b, _, _), _, _) in units {
                    rest.extend_from_slice(&b);
                }
                return Ok(Some(rest));
            }
            let base = *line - 1;
            let mut bad = parsed.bad.into_iter().peekable();
            let mut rows = parsed.rows.into_iter();
            let mut i = 0;
            while let Some((at, row)) = rows.next() {
                if let Some((_, ahead)) = rows.as_slice().get(PREFETCH_AHEAD) {
                    for key in ids_of(ahead).into_iter().flatten() {
                        self.ids.prefetch(key, &keys);
                    }
                }
                i += 1;
                while let Some((_, mut e)) = bad.next_if(|(before, _)| *before < i) {
                    e.line = e.line.map(|l| l + base);
                    self.reject(e)?;
                }
                if let Err(e) = sink(self, &keys, at + base, row)? {
                    self.reject(e)?;
                }
            }
            for (_, mut e) in bad {
                e.line = e.line.map(|l| l + base);
                self.reject(e)?;
            }
            *line += parsed.breaks;
            self.advance(bytes.len() as u64);
        }
        Ok(None)
    }

    /// Leaves a note naming the columns of `header` that no reader uses.
    fn note_ignored(&mut self, header: &Header, used: &[&str]) {
        let ignored: Vec<String> = header
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
            self.note(format!(
                "{}: ignored column{s} {}",
                file_name(header.path()),
                ignored.join(", ")
            ));
        }
    }

    /// Gives the builder the people's labels in id order and builds the graph.
    fn build(self) -> Result<SocialGraph, GraphError> {
        let mut builder = self.builder;
        for label in self.ids.into_labels().iter() {
            builder.node(label)?;
        }
        builder.build()
    }
}

/// The file name of `path`, for notes.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Turns a graph error (too many people or kinds) into a located error that stops loading.
fn graph_error(path: &Path, line: u64, e: GraphError) -> FormatError {
    FormatError::at(path, line, ErrorKind::Graph(e))
}
