//! Plain edge lists, SNAP style: one edge per line, `u v [weight] [more columns]`.
//!
//! # Format
//!
//! - Fields are separated by runs of spaces or tabs, or by a comma with optional blanks around it
//!   (`1,2,0.5`, `1, 2`, `1\t2`); CRLF line ends and a leading UTF-8 byte-order mark are fine.
//!   Quoting is not supported: an id cannot contain a blank or a comma.
//! - Lines whose first non-blank byte is `#` or `%` are comments; blank lines are skipped.
//! - **Ids.** If every id is a non-negative integer (ASCII digits), people are numbered by
//!   ascending numeric value and labelled with the number in decimal (so `007` and `7` are one
//!   person, labelled `7`). If any id is not a number, every id is taken as a UTF-8 string and
//!   people are numbered in the order they first appear.
//! - **Columns 3 and 4.** The first of them holding an integer above [`TIME_THRESHOLD`]
//!   (10^8 seconds after the Unix epoch, March 1973) is the time of the edge: SNAP's temporal
//!   lists `u v t` (CollegeMsg) and `u v rating t` (Bitcoin OTC) read as intended without a
//!   flag. Column 3, when it is not the time, is the weight (any finite number: `2`, `-1`,
//!   `0.25`, `1e-3`). Further columns are ignored.
//! - **Meaning.** With [`EdgeMeaning::Follows`] (the default) `u v` means u follows v; the
//!   layer is directed unless [`LoadOptions::undirected`] is `Some(true)`; times are ignored,
//!   duplicate edges are merged (weights summed) and self-loops dropped unless kept. With
//!   [`EdgeMeaning::Interactions`] every line is an interaction event of that kind, with its
//!   weight and time.
//!
//! # Errors
//!
//! A record with a single field is `expected 2 columns, found 1`; a third column that is neither
//! a number nor a time is `invalid weight`; a string id that is not UTF-8 or is empty (`,2`) is
//! reported with its field number. Errors stop the load (strict, the default) or are counted by
//! [`LoadOptions::handle`] under [`OnError::Skip`]. A file without a
//! single edge is [`ErrorKind::Empty`].
//!
//! # Speed
//!
//! Plain files are memory-mapped, compressed ones (`.gz`, `.zst`) decompressed into memory. The
//! bytes are split at line ends into chunks parsed in parallel; integer ids take a hand-written
//! fast path, and numeric ids are numbered densely without hashing (see `ids`). The dense edges
//! then go to [`GraphBuilder::from_dense_follows`]. Reading is `O(bytes)` work, numbering
//! `O(m + max id)` or `O(m log m)` for very sparse numeric ids; memory beyond the input is the
//! edge arrays (8 bytes per edge, plus 4 with weights and 8 with times).
//!
//! ```
//! use std::path::Path;
//! use contextivity_formats::{edgelist, LoadOptions};
//!
//! let text = b"# a tiny graph\n1 2\n2 3\t0.5\n3,1\n";
//! let options = LoadOptions { undirected: Some(true), ..Default::default() };
//! let graph = edgelist::read_bytes(text, Path::new("tiny.txt"), &options)?;
//! assert_eq!(graph.node_count(), 3);
//! assert_eq!(graph.follows.edge_count(), 3);
//! # Ok::<(), contextivity_formats::FormatError>(())
//! ```

mod ids;
mod parse;
#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use contextivity_graph::interactions::NO_TIME;
use contextivity_graph::{EdgeList, GraphBuilder, LabelTable, NodeId, SocialGraph};
use rayon::prelude::*;

use crate::error::{ErrorKind, FormatError};
use crate::input::{self, Compression};
use crate::options::{EdgeMeaning, LoadOptions, OnError};

use self::ids::Remap;
use self::parse::{Chunk, LineError, Stop, StringChunk};

pub use self::parse::TIME_THRESHOLD;

/// Chunks smaller than this are not split further.
const MIN_CHUNK_BYTES: usize = 256 << 10;
/// Chunks per worker thread, so that uneven chunks still balance.
const CHUNKS_PER_THREAD: usize = 8;

/// How the ids of an edge list were read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    /// Every id is a non-negative integer; people are numbered by ascending value.
    Numeric,
    /// Some id is not a number; people are numbered in first-seen order.
    Strings,
}

/// An edge list read and numbered densely: what [`build`] turns into a graph.
#[derive(Debug)]
pub struct ParsedEdges {
    /// The file's id of every person, by dense id.
    pub labels: LabelTable,
    /// Every edge in file order, by dense id, with weights when any line gave one other than 1.
    pub edges: EdgeList,
    /// Time of every edge in seconds since the Unix epoch ([`NO_TIME`] where a line has none),
    /// when any line has one.
    pub times: Option<Vec<i64>>,
    /// How the ids were read.
    pub ids: IdKind,
    /// Lines in the input, comments and blank lines included.
    pub lines: u64,
    /// Bad records left out under the skip policy, in file order (always empty when strict).
    pub skipped: Vec<FormatError>,
}

/// Reads the edge list at `path` (plain, gzip or zstd) into a graph; see the module doc.
pub fn read(path: &Path, options: &LoadOptions) -> Result<SocialGraph, FormatError> {
    let prefix = input::peek(path, 4)?;
    let parsed = if Compression::sniff(&prefix) == Compression::None {
        let file = File::open(path).map_err(|e| FormatError::new(path, e))?;
        let len = file
            .metadata()
            .map_err(|e| FormatError::new(path, e))?
            .len();
        if len == 0 {
            return Err(FormatError::new(path, empty()));
        }
        // SAFETY: the map is only read, and dropped before this function returns. As with any
        // memory-mapped file, another process truncating the file while it is being read would
        // fault; loading a file that is being rewritten is not supported.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| FormatError::new(path, e))?;
        #[cfg(unix)]
        let _ = map.advise(memmap2::Advice::Sequential);
        parse(&map, path, options)?
    } else {
        let bytes = input::read_all(path)?;
        parse(&bytes, path, options)?
    };
    build(parsed, path, options)
}

/// Reads an edge list held in memory; `path` only names the input in errors.
pub fn read_bytes(
    bytes: &[u8],
    path: &Path,
    options: &LoadOptions,
) -> Result<SocialGraph, FormatError> {
    let parsed = parse(bytes, path, options)?;
    build(parsed, path, options)
}

/// Parses and numbers an edge list held in memory, in parallel, without building the graph.
///
/// Progress is reported through [`LoadOptions::report_progress`] as chunks finish; if string
/// ids are discovered after numeric parsing began, the input is read again and the count starts
/// over.
pub fn parse(bytes: &[u8], path: &Path, options: &LoadOptions) -> Result<ParsedEdges, FormatError> {
    let threads = rayon::current_num_threads().max(1);
    let parts = (bytes.len() / MIN_CHUNK_BYTES).clamp(1, threads * CHUNKS_PER_THREAD);
    parse_in_parts(bytes, path, options, parts)
}

/// [`parse`] with the number of chunks given.
fn parse_in_parts(
    bytes: &[u8],
    path: &Path,
    options: &LoadOptions,
    parts: usize,
) -> Result<ParsedEdges, FormatError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let strict = options.on_error == OnError::Fail;
    let borders = parse::chunk_borders(bytes, parts);
    let pieces: Vec<&[u8]> = borders.windows(2).map(|w| &bytes[w[0]..w[1]]).collect();

    let narrow = run_pass(&pieces, options, |p| parse::parse_numeric::<u32>(p, strict));
    match first_restart(narrow.iter().map(|c| c.stop)) {
        None => finish_numeric(narrow, path, strict),
        Some(Stop::Wide) => {
            drop(narrow);
            let wide = run_pass(&pieces, options, |p| parse::parse_numeric::<u64>(p, strict));
            match first_restart(wide.iter().map(|c| c.stop)) {
                None | Some(Stop::Wide) => finish_numeric(wide, path, strict),
                Some(_) => {
                    drop(wide);
                    finish_strings(&pieces, path, options, strict)
                }
            }
        }
        Some(_) => {
            drop(narrow);
            finish_strings(&pieces, path, options, strict)
        }
    }
}

/// Builds the graph from parsed edges under `options` (see the module doc for the meaning):
/// follows go to [`GraphBuilder::from_dense_follows`], interactions through
/// [`GraphBuilder::add_interaction`]; skipped lines are counted by the same builder.
pub fn build(
    parsed: ParsedEdges,
    path: &Path,
    options: &LoadOptions,
) -> Result<SocialGraph, FormatError> {
    let config = options.build_config(false);
    let graph_error = |e| FormatError::new(path, e);
    let ParsedEdges {
        labels,
        edges,
        times,
        ids,
        skipped,
        ..
    } = parsed;
    let note = describe(
        ids,
        edges.weights.is_some(),
        times.is_some(),
        &options.edge_meaning,
    );
    match &options.edge_meaning {
        EdgeMeaning::Follows => {
            drop(times);
            let mut builder = GraphBuilder::from_dense_follows(config, labels, edges);
            for error in skipped {
                options.handle(&mut builder, error)?;
            }
            builder.note(note);
            builder.build().map_err(graph_error)
        }
        EdgeMeaning::Interactions(kind) => {
            let mut builder = GraphBuilder::from_dense_follows(config, labels, EdgeList::new());
            let kind = builder.kind(kind).map_err(graph_error)?;
            for i in 0..edges.len() {
                let time = times.as_ref().map(|t| t[i]).filter(|&t| t != NO_TIME);
                builder.add_interaction(
                    NodeId(edges.sources[i]),
                    NodeId(edges.targets[i]),
                    kind,
                    time,
                    edges.weight(i),
                );
            }
            builder.note(note);
            for error in skipped {
                options.handle(&mut builder, error)?;
            }
            builder.build().map_err(graph_error)
        }
    }
}

/// The load-summary note saying how the columns were read.
fn describe(ids: IdKind, weighted: bool, timed: bool, meaning: &EdgeMeaning) -> String {
    let ids = match ids {
        IdKind::Numeric => "numeric ids numbered by value",
        IdKind::Strings => "string ids numbered in first-seen order",
    };
    let mut columns = String::new();
    if weighted {
        columns.push_str(", column 3 read as weight");
    }
    if timed {
        columns.push_str(match meaning {
            EdgeMeaning::Follows => ", Unix-time column ignored",
            EdgeMeaning::Interactions(_) => ", Unix-time column read as event time",
        });
    }
    format!("edge list: {ids}{columns}")
}

/// Writes one `u v` line per edge (`u v w` when `weighted`), naming people by their labels.
///
/// Fails with [`io::ErrorKind::InvalidInput`] if an edge names a node without a label, or a
/// label could not be read back: empty, containing a blank or a comma, or starting with `#` or
/// `%`.
pub fn write<W: Write>(
    out: W,
    labels: &LabelTable,
    edges: &EdgeList,
    weighted: bool,
) -> io::Result<()> {
    let invalid = |why: String| io::Error::new(io::ErrorKind::InvalidInput, why);
    let label = |id: u32| -> io::Result<&str> {
        if id as usize >= labels.len() {
            return Err(invalid(format!(
                "edge names node {id} but only {} are labelled",
                labels.len()
            )));
        }
        let l = labels.get(NodeId(id));
        let unreadable = l.is_empty()
            || l.starts_with(['#', '%'])
            || l.bytes()
                .any(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b','));
        if unreadable {
            return Err(invalid(format!(
                "label `{}` cannot be written to an edge list",
                crate::error::clip(l)
            )));
        }
        Ok(l)
    };
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    for i in 0..edges.len() {
        let (u, v) = (label(edges.sources[i])?, label(edges.targets[i])?);
        if weighted {
            writeln!(out, "{u} {v} {}", edges.weight(i))?;
        } else {
            writeln!(out, "{u} {v}")?;
        }
    }
    out.flush()
}

/// Parses every piece in parallel, reporting progress as pieces finish.
fn run_pass<'a, T: Send>(
    pieces: &[&'a [u8]],
    options: &LoadOptions,
    parse_piece: impl Fn(&'a [u8]) -> T + Sync + Send,
) -> Vec<T> {
    let done = AtomicU64::new(0);
    pieces
        .par_iter()
        .with_max_len(1)
        .map(|&piece| {
            let out = parse_piece(piece);
            let so_far = done.fetch_add(piece.len() as u64, Ordering::Relaxed) + piece.len() as u64;
            options.report_progress(so_far);
            out
        })
        .collect()
}

/// The reason to read again, if any chunk gave one: string ids win over wide numbers.
fn first_restart(stops: impl Iterator<Item = Option<Stop>>) -> Option<Stop> {
    let mut restart = None;
    for stop in stops.flatten() {
        match stop {
            Stop::NotNumeric => return Some(Stop::NotNumeric),
            Stop::Wide => restart = Some(Stop::Wide),
            Stop::Failed => {}
        }
    }
    restart
}

fn empty() -> ErrorKind {
    ErrorKind::Empty {
        expected: "at least one edge (`u v` per line)".into(),
    }
}

/// Turns the chunks' located-in-chunk errors into file errors: the first one when strict,
/// otherwise all of them in file order.
fn collect_errors<'c, I: 'c>(
    chunks: impl Iterator<Item = &'c mut Chunk<I>>,
    path: &Path,
    strict: bool,
) -> Result<(Vec<FormatError>, u64), FormatError> {
    let mut first_line = 1u64;
    let mut skipped = Vec::new();
    for chunk in chunks {
        for LineError { line, column, kind } in std::mem::take(&mut chunk.errors) {
            let mut e = FormatError::at(path, first_line + line, kind);
            if let Some(c) = column {
                e = e.with_column(c);
            }
            if strict {
                return Err(e);
            }
            skipped.push(e);
        }
        first_line += chunk.lines;
    }
    Ok((skipped, first_line - 1))
}

/// Columns of all chunks, concatenated in chunk order.
struct Columns<I> {
    sources: Vec<I>,
    targets: Vec<I>,
    weights: Option<Vec<f32>>,
    times: Option<Vec<i64>>,
}

/// Concatenates the chunks' edges in order, releasing each chunk once copied.
fn concat<I: Copy>(chunks: Vec<Chunk<I>>) -> Columns<I> {
    let m: usize = chunks.iter().map(|c| c.sources.len()).sum();
    let weighted = chunks.iter().any(|c| c.weights.is_some());
    let timed = chunks.iter().any(|c| c.times.is_some());
    let mut out = Columns {
        sources: Vec::with_capacity(m),
        targets: Vec::with_capacity(m),
        weights: weighted.then(|| Vec::with_capacity(m)),
        times: timed.then(|| Vec::with_capacity(m)),
    };
    for chunk in chunks {
        let k = chunk.sources.len();
        out.sources.extend_from_slice(&chunk.sources);
        out.targets.extend_from_slice(&chunk.targets);
        if let Some(w) = &mut out.weights {
            match &chunk.weights {
                Some(cw) => w.extend_from_slice(cw),
                None => w.extend(std::iter::repeat_n(1.0, k)),
            }
        }
        if let Some(t) = &mut out.times {
            match &chunk.times {
                Some(ct) => t.extend_from_slice(ct),
                None => t.extend(std::iter::repeat_n(NO_TIME, k)),
            }
        }
    }
    out
}

/// Completes a numeric pass: errors, concatenation, dense numbering.
fn finish_numeric<I: Remap>(
    mut chunks: Vec<Chunk<I>>,
    path: &Path,
    strict: bool,
) -> Result<ParsedEdges, FormatError> {
    let (skipped, lines) = collect_errors(chunks.iter_mut(), path, strict)?;
    let max_id = chunks.iter().map(|c| c.max_id).max().unwrap_or(0);
    let columns = concat(chunks);
    if columns.sources.is_empty() {
        return Err(FormatError::new(path, empty()));
    }
    let (sources, targets, labels) = ids::number_numeric(columns.sources, columns.targets, max_id)
        .map_err(|e| FormatError::new(path, e))?;
    Ok(ParsedEdges {
        labels,
        edges: EdgeList {
            sources,
            targets,
            weights: columns.weights,
        },
        times: columns.times,
        ids: IdKind::Numeric,
        lines,
        skipped,
    })
}

/// Reads every piece in string mode and completes the pass.
fn finish_strings(
    pieces: &[&[u8]],
    path: &Path,
    options: &LoadOptions,
    strict: bool,
) -> Result<ParsedEdges, FormatError> {
    let mut chunks: Vec<StringChunk<'_>> =
        run_pass(pieces, options, |p| parse::parse_strings(p, strict));
    let (skipped, lines) = collect_errors(chunks.iter_mut().map(|c| &mut c.edges), path, strict)?;
    let (labels, maps) = ids::merge_strings(&chunks).map_err(|e| FormatError::new(path, e))?;
    let edges: Vec<Chunk<u32>> = chunks
        .into_par_iter()
        .zip(maps)
        .map(|(chunk, map)| {
            let mut edges = chunk.edges;
            for x in edges.sources.iter_mut().chain(edges.targets.iter_mut()) {
                *x = map[*x as usize];
            }
            edges
        })
        .collect();
    let columns = concat(edges);
    if columns.sources.is_empty() {
        return Err(FormatError::new(path, empty()));
    }
    Ok(ParsedEdges {
        labels,
        edges: EdgeList {
            sources: columns.sources,
            targets: columns.targets,
            weights: columns.weights,
        },
        times: columns.times,
        ids: IdKind::Strings,
        lines,
        skipped,
    })
}
