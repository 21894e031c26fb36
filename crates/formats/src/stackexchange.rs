//! Stack Exchange data dumps: the per-site XML files Stack Exchange publishes (`Users.xml`,
//! `Posts.xml`, `Comments.xml`, …), one `<row …/>` element per record with every field an
//! attribute (schema: "Database schema documentation for the public data dump and SEDE" on
//! meta.stackexchange.com). Files are UTF-8 with or without a byte-order mark, LF or CRLF, and
//! may be gzip- or zstd-compressed (`Posts.xml.gz`).
//!
//! How a dump becomes a graph:
//!
//! | dump | graph |
//! |---|---|
//! | `Users.xml` row | a person labelled by `Id`; `DisplayName` → handle and name; `AboutMe` (HTML → text) → bio; the fields of [`USER_ATTRIBUTES`] → attributes. No follower count: the site has none |
//! | answer (`PostTypeId` 2) | a `reply` interaction from its owner to the owner of the question (`ParentId`), at the answer's `CreationDate` |
//! | `Comments.xml` row | a `reply` interaction from the commenter (`UserId`) to the owner of the post commented on (`PostId`), at the comment's `CreationDate` |
//! | `Posts.xml` row | a post by `OwnerUserId`: `Title` + `Body` (HTML → text) as text, `Tags` as hashtags, `ParentId` → reply-to, `ViewCount` → impressions, `Score` → likes (a negative score counts 0), `AnswerCount` + `CommentCount` → replies |
//!
//! Answers and comments are both `reply`: each is a person addressing the author of a post, which
//! is what the interaction layer models; a separate kind would make the default view weigh a
//! comment less than an answer for no stated reason. A comment's own text is not a post.
//! `Votes.xml` (anonymous except favourites and bounties; `Score` already nets the up- and
//! down-votes), `PostLinks.xml`, `Tags.xml`, `Badges.xml` and `PostHistory.xml` are not read.
//!
//! Dumps always hold records of deleted users (no `OwnerUserId` / `UserId`) and may hold
//! comments on posts that are gone: these are left out and counted in the load summary's notes,
//! not treated as errors. Answers and comments on one's own posts reach the builder, which drops
//! them as self-interactions unless self-loops are kept. A person referenced by a post or comment
//! but absent from `Users.xml` is still added (labelled by the id) and counted in a note.
//!
//! Errors are located (`Posts.xml:1043: …`): a file that is not well-formed XML (including text
//! outside the elements and a file that ends inside its root element, i.e. truncated), a row
//! without `Id`, a number or date of the wrong shape. Under [`OnError::Skip`] a bad row is
//! counted and left out; a file that is not XML always stops the load.
//!
//! Cost: every file is parsed once in a single pass (O(bytes)); posts are kept in a hash map from
//! id to owner so that answers and comments can be resolved whatever the row order.
//!
//! [`OnError::Skip`]: crate::OnError::Skip

// `FormatError` carries the path, line, column and what went wrong; clippy finds it large. It is
// built only for a bad record, so the size costs nothing on good input. (Boxing it belongs in
// `error.rs`; this allow can go then.)
#![allow(clippy::result_large_err)]

mod text;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use contextivity_graph::people::{BIO, HANDLE, NAME};
use contextivity_graph::{GraphBuilder, KindId, NodeId, Post, SocialGraph};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::error::clip;
use crate::{input, ErrorKind, FormatError, LoadOptions};

use text::{html_to_text, parse_date, parse_tags};

/// The files of a dump this reader uses, in reading order.
pub const FILES: [&str; 3] = ["Users.xml", "Posts.xml", "Comments.xml"];

/// `Users.xml` attributes kept as person attributes: `(attribute, column)`.
pub const USER_ATTRIBUTES: [(&str, &str); 10] = [
    ("Reputation", "reputation"),
    ("Location", "location"),
    ("Views", "views"),
    ("UpVotes", "up_votes"),
    ("DownVotes", "down_votes"),
    ("WebsiteUrl", "website_url"),
    ("AccountId", "account_id"),
    ("Age", "age"),
    ("CreationDate", "created"),
    ("LastAccessDate", "last_access"),
];

/// The interaction kind answers and comments become.
pub const REPLY: &str = "reply";

/// `PostTypeId` of a question.
pub const QUESTION: u32 = 1;
/// `PostTypeId` of an answer.
pub const ANSWER: u32 = 2;

/// Reads a Stack Exchange dump directory (or one of its files: the directory is then read).
pub fn read(path: &Path, options: &LoadOptions) -> Result<SocialGraph, FormatError> {
    let dir = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map_or_else(PathBuf::new, Path::to_path_buf)
    };
    let users = dump_file(&dir, "Users.xml");
    let posts = dump_file(&dir, "Posts.xml");
    let comments = dump_file(&dir, "Comments.xml");
    if users.is_none() && posts.is_none() {
        return Err(FormatError::new(
            path,
            ErrorKind::Empty {
                expected: "a Stack Exchange dump: Users.xml and Posts.xml (and Comments.xml)"
                    .into(),
            },
        ));
    }
    let mut builder = GraphBuilder::new(options.build_config(false));
    let reply = builder.kind(REPLY).map_err(|e| FormatError::new(path, e))?;
    let mut dump = Dump {
        options,
        builder,
        reply,
        bytes: 0,
        users: 0,
        posts: HashMap::new(),
        answers: Vec::new(),
        tally: Tally::default(),
    };
    if let Some(p) = &users {
        dump.rows(p, Dump::user)?;
        dump.users = dump.builder.node_count();
    }
    if let Some(p) = &posts {
        dump.rows(p, Dump::post)?;
        dump.link_answers();
    }
    if let Some(p) = &comments {
        dump.rows(p, Dump::comment)?;
    }
    dump.finish(path, users.is_some())
}

/// `dir/NAME`, possibly compressed, if it exists.
fn dump_file(dir: &Path, name: &str) -> Option<PathBuf> {
    ["", ".gz", ".zst"]
        .iter()
        .map(|z| dir.join(format!("{name}{z}")))
        .find(|p| p.is_file())
}

/// What was left out or linked, for the load summary.
#[derive(Debug, Default)]
struct Tally {
    posts_by_type: [usize; 3],
    posts_by_deleted: usize,
    answers_linked: usize,
    answers_by_deleted: usize,
    answers_to_deleted: usize,
    answers_without_question: usize,
    comments_linked: usize,
    comments_by_deleted: usize,
    comments_to_deleted: usize,
    comments_without_post: usize,
}

/// An answer waiting for its question to be known.
struct Answer {
    owner: Option<NodeId>,
    parent: Option<Box<str>>,
    time: Option<i64>,
}

/// The state of one load.
struct Dump<'a> {
    options: &'a LoadOptions,
    builder: GraphBuilder,
    reply: KindId,
    bytes: u64,
    /// People defined by `Users.xml`.
    users: usize,
    /// Post id → owner (`None`: deleted user).
    posts: HashMap<Box<str>, Option<NodeId>>,
    answers: Vec<Answer>,
    tally: Tally,
}

/// The attributes of one `<row>`, with where it stands.
struct Row<'r> {
    path: &'r Path,
    line: u64,
    attrs: Vec<(&'r [u8], Cow<'r, str>)>,
}

impl Row<'_> {
    /// The value of attribute `name`, if present and not blank.
    fn get(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| *k == name.as_bytes())
            .map(|(_, v)| v.as_ref())
            .filter(|v| !v.trim().is_empty())
    }

    /// An error at this row.
    fn error(&self, kind: ErrorKind) -> FormatError {
        FormatError::at(self.path, self.line, kind)
    }

    /// The value of a required attribute.
    fn required(&self, name: &str) -> Result<&str, FormatError> {
        self.get(name).ok_or_else(|| {
            self.error(ErrorKind::Syntax(format!(
                "`<row>` lacks the required attribute `{name}`"
            )))
        })
    }

    /// An integer attribute, if present.
    fn int<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, FormatError> {
        self.get(name)
            .map(|v| {
                v.trim().parse::<T>().map_err(|_| {
                    self.error(ErrorKind::InvalidValue {
                        field: name.into(),
                        value: clip(v),
                        expected: "an integer".into(),
                    })
                })
            })
            .transpose()
    }

    /// A date attribute in seconds since the epoch, if present.
    fn date(&self, name: &str) -> Result<Option<i64>, FormatError> {
        self.get(name)
            .map(|v| {
                parse_date(v.trim()).ok_or_else(|| {
                    self.error(ErrorKind::InvalidValue {
                        field: name.into(),
                        value: clip(v),
                        expected: "a date like 2018-03-12T18:05:16.987".into(),
                    })
                })
            })
            .transpose()
    }
}

impl Dump<'_> {
    /// The person with user id `id`.
    fn person(&mut self, id: &str, row: &Row) -> Result<NodeId, FormatError> {
        self.builder
            .node(id.trim())
            .map_err(|e| row.error(e.into()))
    }

    /// Parses `path` and hands every `<row>` to `on_row`, applying the error policy to what
    /// `on_row` rejects. XML that is not well-formed stops the load whatever the policy.
    fn rows(
        &mut self,
        path: &Path,
        on_row: fn(&mut Self, &Row) -> Result<(), FormatError>,
    ) -> Result<(), FormatError> {
        let bytes = input::read_all(path)?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(FormatError::new(
                path,
                ErrorKind::Empty {
                    expected: "XML with one `<row …/>` element per record".into(),
                },
            ));
        }
        let base = self.bytes;
        let mut lines = LineCounter::default();
        let mut reader = Reader::from_reader(bytes.as_slice());
        let mut open: Vec<Vec<u8>> = Vec::new();
        let mut seen = 0u64;
        loop {
            let start = reader.buffer_position();
            let event = reader.read_event().map_err(|e| {
                let at = reader.error_position();
                let line = lines.line_at(&bytes, at);
                FormatError::at(
                    path,
                    line,
                    ErrorKind::Syntax(format!("not well-formed XML: {e}")),
                )
            })?;
            let is_start = matches!(event, Event::Start(_));
            match event {
                Event::Empty(e) | Event::Start(e)
                    if e.name().as_ref() == b"row" && open.len() <= 1 =>
                {
                    let line = lines.line_at(&bytes, start);
                    let result = row_of(path, line, &e).and_then(|row| on_row(self, &row));
                    if let Err(err) = result {
                        self.options.handle(&mut self.builder, err)?;
                    }
                    if is_start {
                        open.push(b"row".to_vec());
                    }
                    seen += 1;
                    if seen % 4096 == 0 {
                        self.options
                            .report_progress(base + reader.buffer_position());
                    }
                }
                Event::Start(e) => open.push(e.name().as_ref().to_vec()),
                Event::End(_) => {
                    open.pop();
                }
                Event::Text(t) if open.len() <= 1 => {
                    if let Some(k) = t.iter().position(|b| !b.is_ascii_whitespace()) {
                        let at = start + k as u64;
                        let shown = String::from_utf8_lossy(&t[k..]);
                        let shown = shown.lines().next().unwrap_or_default();
                        return Err(FormatError::at(
                            path,
                            lines.line_at(&bytes, at),
                            ErrorKind::Syntax(format!(
                                "expected XML `<row …/>` records, found text `{}`",
                                clip(shown.trim())
                            )),
                        ));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if let Some(root) = open.first() {
            return Err(FormatError::at(
                path,
                lines.line_at(&bytes, bytes.len() as u64),
                ErrorKind::Syntax(format!(
                    "the file ends inside `<{}>`: truncated?",
                    String::from_utf8_lossy(root)
                )),
            ));
        }
        self.bytes = base + bytes.len() as u64;
        self.options.report_progress(self.bytes);
        Ok(())
    }

    /// A `Users.xml` row.
    fn user(&mut self, row: &Row) -> Result<(), FormatError> {
        let id = row.required("Id")?;
        let person = self.person(id, row)?;
        if let Some(name) = row.get("DisplayName") {
            self.builder.set_attribute(person, HANDLE, name);
            self.builder.set_attribute(person, NAME, name);
        }
        if let Some(about) = row.get("AboutMe") {
            let bio = html_to_text(about);
            if !bio.is_empty() {
                self.builder.set_attribute(person, BIO, &bio);
            }
        }
        for (attribute, column) in USER_ATTRIBUTES {
            if let Some(value) = row.get(attribute) {
                self.builder.set_attribute(person, column, value.trim());
            }
        }
        Ok(())
    }

    /// A `Posts.xml` row.
    fn post(&mut self, row: &Row) -> Result<(), FormatError> {
        let id = row.required("Id")?.trim();
        let kind = row.int::<u32>("PostTypeId")?;
        let time = row.date("CreationDate")?;
        let score = row.int::<i64>("Score")?;
        let views = row.int::<u64>("ViewCount")?;
        let answers = row.int::<u64>("AnswerCount")?;
        let comments = row.int::<u64>("CommentCount")?;
        let parent = row.get("ParentId").map(|p| Box::from(p.trim()));
        let owner = match row.get("OwnerUserId") {
            Some(user) => Some(self.person(user, row)?),
            None => None,
        };
        self.posts.insert(Box::from(id), owner);
        let slot = match kind {
            Some(QUESTION) => 0,
            Some(ANSWER) => 1,
            _ => 2,
        };
        self.tally.posts_by_type[slot] += 1;
        if kind == Some(ANSWER) {
            self.answers.push(Answer {
                owner,
                parent: parent.clone(),
                time,
            });
        }
        let Some(author) = owner else {
            self.tally.posts_by_deleted += 1;
            return Ok(());
        };
        let mut text = row.get("Title").map(str::trim).unwrap_or("").to_string();
        if let Some(body) = row.get("Body") {
            let body = html_to_text(body);
            if !text.is_empty() && !body.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&body);
        }
        let replies = match (answers, comments) {
            (None, None) => None,
            (a, c) => Some(a.unwrap_or(0) + c.unwrap_or(0)),
        };
        self.builder.add_post(Post {
            id: Box::from(id),
            author,
            time,
            text: text.into(),
            hashtags: row.get("Tags").map(parse_tags).unwrap_or_default(),
            reply_to: parent,
            impressions: views,
            clicks: None,
            likes: score.map(|s| s.max(0).unsigned_abs()),
            reposts: None,
            replies,
        });
        Ok(())
    }

    /// Turns every answer into a reply to its question's owner, now that all posts are known.
    fn link_answers(&mut self) {
        for answer in std::mem::take(&mut self.answers) {
            let question = answer.parent.as_deref().and_then(|p| self.posts.get(p));
            match (answer.owner, question) {
                (_, None) => self.tally.answers_without_question += 1,
                (None, Some(_)) => self.tally.answers_by_deleted += 1,
                (Some(_), Some(None)) => self.tally.answers_to_deleted += 1,
                (Some(source), Some(&Some(target))) => {
                    self.builder
                        .add_interaction(source, target, self.reply, answer.time, 1.0);
                    self.tally.answers_linked += 1;
                }
            }
        }
    }

    /// A `Comments.xml` row.
    fn comment(&mut self, row: &Row) -> Result<(), FormatError> {
        row.required("Id")?;
        let time = row.date("CreationDate")?;
        let post = row.get("PostId").map(str::trim);
        let owner = match post.and_then(|p| self.posts.get(p)) {
            None => {
                self.tally.comments_without_post += 1;
                return Ok(());
            }
            Some(owner) => *owner,
        };
        let Some(user) = row.get("UserId") else {
            self.tally.comments_by_deleted += 1;
            return Ok(());
        };
        let source = self.person(user, row)?;
        let Some(target) = owner else {
            self.tally.comments_to_deleted += 1;
            return Ok(());
        };
        self.builder
            .add_interaction(source, target, self.reply, time, 1.0);
        self.tally.comments_linked += 1;
        Ok(())
    }

    /// Leaves the notes and builds the graph.
    fn finish(mut self, path: &Path, had_users: bool) -> Result<SocialGraph, FormatError> {
        let t = &self.tally;
        let mut notes = vec![format!(
            "Stack Exchange dump: {} users; {} posts ({} questions, {} answers, {} other); \
             answers and comments are `reply` interactions to the owner of the post answered or \
             commented on: {} from answers, {} from comments",
            self.users,
            t.posts_by_type.iter().sum::<usize>(),
            t.posts_by_type[0],
            t.posts_by_type[1],
            t.posts_by_type[2],
            t.answers_linked,
            t.comments_linked,
        )];
        let left_out = |what: &str, parts: &[(usize, &str)]| {
            let listed: Vec<String> = parts
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, why)| format!("{n} {why}"))
                .collect();
            (!listed.is_empty()).then(|| format!("{what} left out: {}", listed.join(", ")))
        };
        notes.extend(left_out(
            "Posts.xml",
            &[(t.posts_by_deleted, "posts by deleted users")],
        ));
        notes.extend(left_out(
            "Posts.xml answers (as interactions)",
            &[
                (t.answers_by_deleted, "by deleted users"),
                (t.answers_to_deleted, "to questions of deleted users"),
                (t.answers_without_question, "whose question is missing"),
            ],
        ));
        notes.extend(left_out(
            "Comments.xml",
            &[
                (t.comments_by_deleted, "comments by deleted users"),
                (t.comments_to_deleted, "on posts of deleted users"),
                (t.comments_without_post, "on missing posts"),
            ],
        ));
        let strangers = self.builder.node_count() - self.users;
        if had_users && strangers > 0 {
            notes.push(format!(
                "{strangers} users referenced by posts or comments are missing from Users.xml"
            ));
        }
        for note in notes {
            self.builder.note(note);
        }
        self.builder.build().map_err(|e| FormatError::new(path, e))
    }
}

/// The attributes of a `<row>` element.
fn row_of<'r>(path: &'r Path, line: u64, e: &'r BytesStart<'r>) -> Result<Row<'r>, FormatError> {
    let mut attrs = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| {
            FormatError::at(
                path,
                line,
                ErrorKind::Syntax(format!("bad attribute: {err}")),
            )
        })?;
        let value = attr.unescape_value().map_err(|err| {
            let kind = match err {
                quick_xml::Error::Encoding(_) => ErrorKind::NotUtf8(format!(
                    "in attribute `{}`",
                    String::from_utf8_lossy(attr.key.0)
                )),
                other => ErrorKind::Syntax(format!(
                    "attribute `{}`: {other}",
                    String::from_utf8_lossy(attr.key.0)
                )),
            };
            FormatError::at(path, line, kind)
        })?;
        attrs.push((attr.key.0, value));
    }
    Ok(Row { path, line, attrs })
}

/// Line numbers of byte offsets, counted incrementally (offsets asked in increasing order).
#[derive(Debug)]
struct LineCounter {
    offset: usize,
    line: u64,
}

impl Default for LineCounter {
    fn default() -> Self {
        LineCounter { offset: 0, line: 1 }
    }
}

impl LineCounter {
    /// The 1-based line of byte `at`.
    fn line_at(&mut self, bytes: &[u8], at: u64) -> u64 {
        let at = (at as usize).min(bytes.len());
        if at < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += memchr::memchr_iter(b'\n', &bytes[self.offset..at]).count() as u64;
        self.offset = at;
        self.line
    }
}

#[cfg(test)]
mod tests;
