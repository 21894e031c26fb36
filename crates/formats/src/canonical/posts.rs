//! `posts.csv`: what people published and the engagement it received.
//!
//! `id,author[,time][,text][,hashtags][,reply_to][,impressions][,clicks][,likes][,reposts][,replies]`
//! → [`Post`]. Hashtags are separated by spaces, `;` or `,` inside the cell; a leading `#` is
//! dropped and a tag repeated within one post is kept once. Columns outside this list are
//! ignored and named in a note.
//!
//! When the export has a `people.csv`, a post's author must be someone the export already
//! knows (listed in `people.csv` or met in `follows.csv` / `interactions.csv`): an unknown author
//! usually means posts and people use different ids, so it is a bad row. Without `people.csv`,
//! authors are added on first sight like everyone else.

use std::path::Path;

use contextivity_graph::{NodeId, Post};

use super::table::Row;
use super::{graph_error, Loader};
use crate::error::clip;
use crate::{ErrorKind, FormatError};

/// What an empty `posts.csv` should have held.
const POSTS_HEADER: &str = "a header row `id,author[,time][,text][,hashtags][,reply_to]\
                            [,impressions][,clicks][,likes][,reposts][,replies]`";

/// Every column `posts.csv` may have.
const COLUMNS: [&str; 11] = [
    "id",
    "author",
    "time",
    "text",
    "hashtags",
    "reply_to",
    "impressions",
    "clicks",
    "likes",
    "reposts",
    "replies",
];

/// Column indices of one `posts.csv`.
struct Columns {
    id: usize,
    author: usize,
    time: Option<usize>,
    text: Option<usize>,
    hashtags: Option<usize>,
    reply_to: Option<usize>,
    impressions: Option<usize>,
    clicks: Option<usize>,
    likes: Option<usize>,
    reposts: Option<usize>,
    replies: Option<usize>,
}

/// Reads `posts.csv`; `people_defined` says whether the export has a `people.csv`.
pub(super) fn load(
    loader: &mut Loader<'_>,
    path: &Path,
    people_defined: bool,
) -> Result<(), FormatError> {
    let Some(mut table) = loader.open(path, POSTS_HEADER)? else {
        return Ok(());
    };
    let cols = Columns {
        id: table.require("id")?,
        author: table.require("author")?,
        time: table.column("time"),
        text: table.column("text"),
        hashtags: table.column("hashtags"),
        reply_to: table.column("reply_to"),
        impressions: table.column("impressions"),
        clicks: table.column("clicks"),
        likes: table.column("likes"),
        reposts: table.column("reposts"),
        replies: table.column("replies"),
    };
    loader.note_ignored(&table, &COLUMNS);
    loader.rows(&mut table, |builder, row| {
        let mut post = match parse(row, &cols) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let author_id = match row.id(cols.author) {
            Ok(a) => a,
            Err(e) => return Ok(Err(e)),
        };
        let known = builder.lookup(author_id);
        if people_defined && known.is_none() {
            return Ok(Err(row.error(ErrorKind::UnknownReference {
                what: "author".into(),
                id: clip(author_id),
            })));
        }
        post.author = match known {
            Some(a) => a,
            None => builder.node(author_id).map_err(|e| graph_error(row, e))?,
        };
        builder.add_post(post);
        Ok(Ok(()))
    })
}

/// Everything of a post but its author.
fn parse(row: &Row<'_>, cols: &Columns) -> Result<Post, FormatError> {
    let reply_to = row.text(cols.reply_to);
    Ok(Post {
        id: Box::from(row.id(cols.id)?),
        author: NodeId(0),
        time: row.time(cols.time)?,
        text: Box::from(row.text(cols.text)),
        hashtags: hashtags(row.text(cols.hashtags)),
        reply_to: (!reply_to.is_empty()).then(|| Box::from(reply_to)),
        impressions: row.count(cols.impressions)?,
        clicks: row.count(cols.clicks)?,
        likes: row.count(cols.likes)?,
        reposts: row.count(cols.reposts)?,
        replies: row.count(cols.replies)?,
    })
}

/// The tags of a hashtags cell: split on whitespace, `;` and `,`, leading `#`s removed, each
/// tag once, in order of appearance.
pub(super) fn hashtags(cell: &str) -> Vec<Box<str>> {
    let mut tags: Vec<Box<str>> = Vec::new();
    for tag in cell
        .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
        .map(|t| t.trim_start_matches('#'))
        .filter(|t| !t.is_empty())
    {
        if !tags.iter().any(|t| &**t == tag) {
            tags.push(Box::from(tag));
        }
    }
    tags
}
