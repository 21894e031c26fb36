//! `follows.csv` and `interactions.csv`: the two edge files.
//!
//! A row is checked whole before anything reaches the builder, so a skipped row never adds a
//! person. People named here but absent from `people.csv` are added on first sight.

use std::path::Path;

use super::intern::Key;
use super::{graph_error, Loader};
use crate::FormatError;

/// What an empty `follows.csv` should have held.
const FOLLOWS_HEADER: &str = "a header row `follower,followee[,time][,weight]`";
/// What an empty `interactions.csv` should have held.
const INTERACTIONS_HEADER: &str = "a header row `source,target,kind[,time][,weight]`";

/// Reads `follows.csv`: `follower,followee[,time][,weight]`.
///
/// The time is checked (a malformed one is an error like any other bad value) but not stored:
/// the follow layer keeps one weight per arc and no times. A note says so.
pub(super) fn load_follows(loader: &mut Loader<'_>, path: &Path) -> Result<(), FormatError> {
    let Some(table) = loader.open(path, FOLLOWS_HEADER)? else {
        return Ok(());
    };
    let header = &table.header;
    let follower = header.require("follower")?;
    let followee = header.require("followee")?;
    let time = header.column("time");
    let weight = header.column("weight");
    loader.note_ignored(header, &["follower", "followee", "time", "weight"]);
    if time.is_some() {
        loader.note(format!(
            "{}: follow times are checked but not kept (the follow layer has no times)",
            super::file_name(path)
        ));
    }
    let parse = |row: &super::Row<'_>, keys: &mut super::Keys| {
        let from = row.id(follower)?;
        let to = row.id(followee)?;
        let w = row.weight(weight)?;
        row.time(time)?;
        Ok((keys.key(from), keys.key(to), w))
    };
    let ids_of = |r: &(Key, Key, f32)| [Some(r.0), Some(r.1)];
    loader.rows(table, &parse, ids_of, &mut |loader,
                                             keys,
                                             line,
                                             (from, to, w): (
        Key,
        Key,
        f32,
    )| {
        let from = loader
            .node(from, keys)
            .map_err(|e| graph_error(path, line, e))?;
        let to = loader
            .node(to, keys)
            .map_err(|e| graph_error(path, line, e))?;
        loader.builder.add_follow(from, to, w);
        Ok(Ok(()))
    })
}

/// Reads `interactions.csv`: `source,target,kind[,time][,weight]`. Kinds are case-insensitive;
/// a word other than the standard kinds becomes a custom kind.
pub(super) fn load_interactions(loader: &mut Loader<'_>, path: &Path) -> Result<(), FormatError> {
    let Some(table) = loader.open(path, INTERACTIONS_HEADER)? else {
        return Ok(());
    };
    let header = &table.header;
    let source = header.require("source")?;
    let target = header.require("target")?;
    let kind = header.require("kind")?;
    let time = header.column("time");
    let weight = header.column("weight");
    loader.note_ignored(header, &["source", "target", "kind", "time", "weight"]);
    let parse = |row: &super::Row<'_>, keys: &mut super::Keys| {
        let from = row.id(source)?;
        let to = row.id(target)?;
        let k = row.text(Some(kind));
        if k.is_empty() {
            return Err(row.invalid(
                kind,
                k,
                "an interaction kind (reply, mention, repost, quote, like, click, message \
                 or another word)",
            ));
        }
        let t = row.time(time)?;
        let w = row.weight(weight)?;
        Ok((keys.key(from), keys.key(to), keys.stash(k), t, w))
    };
    type Parsed = (Key, Key, (usize, usize), Option<i64>, f32);
    let ids_of = |r: &Parsed| [Some(r.0), Some(r.1)];
    loader.rows(
        table,
        &parse,
        ids_of,
        &mut |loader, keys, line, (from, to, k, t, w): Parsed| {
            let source = loader
                .node(from, keys)
                .map_err(|e| graph_error(path, line, e))?;
            let target = loader
                .node(to, keys)
                .map_err(|e| graph_error(path, line, e))?;
            let kind = loader
                .kind(keys.stashed(k))
                .map_err(|e| graph_error(path, line, e))?;
            loader.builder.add_interaction(source, target, kind, t, w);
            Ok(Ok(()))
        },
    )
}
