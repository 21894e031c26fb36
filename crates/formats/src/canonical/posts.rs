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

use super::intern::Key;
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
    let Some(table) = loader.open(path, POSTS_HEADER)? else {
        return Ok(());
    };
    let header = &table.header;
    let cols = Columns {
        id: header.require("id")?,
        author: header.require("author")?,
        time: header.column("time"),
        text: header.column("text"),
        hashtags: header.column("hashtags"),
        reply_to: header.column("reply_to"),
        impressions: header.column("impressions"),
        clicks: header.column("clicks"),
        likes: header.column("likes"),
        reposts: header.column("reposts"),
        replies: header.column("replies"),
    };
    loader.note_ignored(header, &COLUMNS);
    let parse = |row: &Row<'_>, keys: &mut super::Keys| {
        let post = parse(row, &cols)?;
        let author = row.id(cols.author)?;
        Ok((post, keys.key(author)))
    };
    let ids_of = |r: &(Post, Key)| [Some(r.1), None];
    loader.rows(table, &parse, ids_of, &mut |loader,
                                             keys,
                                             line,
                                             (mut post, author): (
        Post,
        Key,
    )| {
        let known = loader.ids.lookup(author, keys);
        if people_defined && known.is_none() {
            return Ok(Err(FormatError::at(
                path,
                line,
                ErrorKind::UnknownReference {
                    what: "author".into(),
                    id: clip(&keys.text(author)),
                },
            )));
        }
        post.author = match known {
            Some(a) => a,
            None => loader
                .node(author, keys)
                .map_err(|e| graph_error(path, line, e))?,
        };
        loader.builder.add_post(post);
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
    // A post has a tag or two: do not keep room for four.
    tags.shrink_to_fit();
    tags
}
