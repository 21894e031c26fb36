//! `follows.csv` and `interactions.csv`: the two edge files.
//!
//! A row is checked whole before anything reaches the builder, so a skipped row never adds a
//! person. People named here but absent from `people.csv` are added on first sight.

use std::path::Path;

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
    let Some(mut table) = loader.open(path, FOLLOWS_HEADER)? else {
        return Ok(());
    };
    let follower = table.require("follower")?;
    let followee = table.require("followee")?;
    let time = table.column("time");
    let weight = table.column("weight");
    loader.note_ignored(&table, &["follower", "followee", "time", "weight"]);
    if time.is_some() {
        loader.builder.note(format!(
            "{}: follow times are checked but not kept (the follow layer has no times)",
            super::file_name(path)
        ));
    }
    loader.rows(&mut table, |builder, row| {
        let parsed = (|| {
            let from = row.id(follower)?;
            let to = row.id(followee)?;
            let w = row.weight(weight)?;
            row.time(time)?;
            Ok((from, to, w))
        })();
        let (from, to, w) = match parsed {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let from = builder.node(from).map_err(|e| graph_error(row, e))?;
        let to = builder.node(to).map_err(|e| graph_error(row, e))?;
        builder.add_follow(from, to, w);
        Ok(Ok(()))
    })
}

/// Reads `interactions.csv`: `source,target,kind[,time][,weight]`. Kinds are case-insensitive;
/// a word other than the standard kinds becomes a custom kind.
pub(super) fn load_interactions(loader: &mut Loader<'_>, path: &Path) -> Result<(), FormatError> {
    let Some(mut table) = loader.open(path, INTERACTIONS_HEADER)? else {
        return Ok(());
    };
    let source = table.require("source")?;
    let target = table.require("target")?;
    let kind = table.require("kind")?;
    let time = table.column("time");
    let weight = table.column("weight");
    loader.note_ignored(&table, &["source", "target", "kind", "time", "weight"]);
    loader.rows(&mut table, |builder, row| {
        let parsed = (|| {
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
            Ok((from, to, k, t, w))
        })();
        let (from, to, k, t, w) = match parsed {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let from = builder.node(from).map_err(|e| graph_error(row, e))?;
        let to = builder.node(to).map_err(|e| graph_error(row, e))?;
        let k = builder.kind(k).map_err(|e| graph_error(row, e))?;
        builder.add_interaction(from, to, k, t, w);
        Ok(Ok(()))
    })
}
