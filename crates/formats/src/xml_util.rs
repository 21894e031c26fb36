//! What the GML, GraphML and GEXF readers and writers share: how attribute names map onto
//! contextivity's person columns, edge weights and interaction kinds; a collector that turns
//! declared nodes and edges into a graph; positions in a text as line and column; XML helpers.
//!
//! ## The mapping, in one place
//!
//! | attribute name (case, spaces, `_` and `-` ignored) | becomes |
//! |---|---|
//! | `label`, `name`, `display name` | [`people::NAME`] |
//! | `handle`, `screen name`, `username`, `user name` | [`people::HANDLE`] |
//! | `bio`, `description` | [`people::BIO`] |
//! | `followers`, `followers count`, `follower count` | [`people::FOLLOWERS_COUNT`] |
//! | any other node attribute | a person column of the same name |
//! | edge `weight`, `value`, `edge weight` | the edge weight |
//! | edge `kind`, `interaction`, `relationship` (NodeXL) | the interaction kind |
//!
//! An edge is a follow unless it carries a kind; an edge whose kind is a follow word (`follow`,
//! `follows`, `followed`, `follower`, `following`) or empty is a follow too. Any other kind makes
//! the edge an interaction of that kind from source to target; NodeXL's relationship names are
//! read as the standard kinds (`Replies to` → `reply`, `Mentions` → `mention`, `Retweet` →
//! `repost`).
//!
//! ## Directedness
//!
//! Each edge is directed or not (its own flag, else its graph's default). When every follow edge
//! is undirected (and [`LoadOptions::undirected`] does not say otherwise) the follow layer is
//! undirected; otherwise it is directed and each undirected edge becomes two arcs.

use std::borrow::Cow;
use std::path::Path;

use contextivity_graph::{people, GraphBuilder, NodeId, SocialGraph};
use quick_xml::events::BytesStart;

use crate::error::{clip, ErrorKind, FormatError};
use crate::options::LoadOptions;

/// Squeezes an attribute name for matching: lower case, without spaces, `_`, `-` and `.`.
fn squeeze(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The person column a node attribute called `name` fills (see the module table).
pub fn person_column(name: &str) -> Cow<'_, str> {
    match squeeze(name).as_str() {
        "label" | "name" | "displayname" => Cow::Borrowed(people::NAME),
        "handle" | "screenname" | "username" => Cow::Borrowed(people::HANDLE),
        "bio" | "description" => Cow::Borrowed(people::BIO),
        "followers" | "followerscount" | "followercount" => Cow::Borrowed(people::FOLLOWERS_COUNT),
        _ => Cow::Borrowed(name),
    }
}

/// Whether an edge attribute called `name` holds the edge weight.
pub fn is_weight_name(name: &str) -> bool {
    matches!(squeeze(name).as_str(), "weight" | "value" | "edgeweight")
}

/// Whether an edge attribute called `name` holds the interaction kind.
pub fn is_kind_name(name: &str) -> bool {
    matches!(
        squeeze(name).as_str(),
        "kind" | "interaction" | "relationship"
    )
}

/// The interaction kind an edge of kind `value` records, or `None` when it is a follow.
pub fn interaction_kind(value: &str) -> Option<Cow<'_, str>> {
    let v = value.trim();
    let standard = match squeeze(v).as_str() {
        "" | "follow" | "follows" | "followed" | "follower" | "following" => return None,
        "repliesto" | "replyto" | "replies" => "reply",
        "mentions" | "mentionsinretweet" | "mentionsinreply" => "mention",
        "retweet" | "retweets" | "retweeted" => "repost",
        _ => return Some(Cow::Borrowed(v)),
    };
    Some(Cow::Borrowed(standard))
}

/// Parses an edge weight: a finite number.
pub fn parse_weight(value: &str) -> Result<f32, ErrorKind> {
    let v = value.trim();
    v.parse::<f32>()
        .ok()
        .filter(|w| w.is_finite())
        .ok_or_else(|| ErrorKind::InvalidValue {
            field: "edge weight".into(),
            value: clip(v),
            expected: "a finite number".into(),
        })
}

/// Turns byte offsets of a text into 1-based lines and columns (columns in characters).
///
/// Queries are cheapest in increasing order, which is how parsers ask.
#[derive(Debug)]
pub struct Locator<'t> {
    text: &'t str,
    pos: usize,
    line: u64,
    line_start: usize,
}

impl<'t> Locator<'t> {
    /// A locator over `text`.
    pub fn new(text: &'t str) -> Self {
        Locator {
            text,
            pos: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// The line and column of byte `offset` (clamped to the text).
    pub fn locate(&mut self, offset: usize) -> (u64, u64) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.pos {
            self.pos = 0;
            self.line = 1;
            self.line_start = 0;
        }
        let bytes = self.text.as_bytes();
        for i in memchr::memchr_iter(b'\n', &bytes[self.pos..offset]) {
            self.line += 1;
            self.line_start = self.pos + i + 1;
        }
        self.pos = offset;
        let column = self.text[self.line_start..offset].chars().count() as u64 + 1;
        (self.line, column)
    }

    /// A located error at byte `offset`.
    pub fn error(&mut self, path: &Path, offset: usize, kind: impl Into<ErrorKind>) -> FormatError {
        let (line, column) = self.locate(offset);
        FormatError::at(path, line, kind).with_column(column)
    }
}

/// The value of XML attribute `name` of element `e`, unescaped.
pub fn xml_attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, ErrorKind> {
    match e.try_get_attribute(name) {
        Ok(Some(a)) => a
            .unescape_value()
            .map(|v| Some(v.into_owned()))
            .map_err(|err| ErrorKind::Syntax(format!("malformed XML attribute `{name}`: {err}"))),
        Ok(None) => Ok(None),
        Err(err) => Err(ErrorKind::Syntax(format!(
            "malformed XML attributes: {err}"
        ))),
    }
}

/// A required XML attribute: its value, or a syntax error naming the element and the attribute.
pub fn required_attr(e: &BytesStart<'_>, element: &str, name: &str) -> Result<String, ErrorKind> {
    xml_attr(e, name)?
        .ok_or_else(|| ErrorKind::Syntax(format!("`<{element}>` has no `{name}` attribute")))
}

/// The error for an element opened at byte `at` of `text` and never closed.
pub fn unclosed(locator: &mut Locator<'_>, path: &Path, text: &str, at: usize) -> FormatError {
    let tag: String = text
        .get(at + 1..)
        .unwrap_or_default()
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | '/'))
        .collect();
    let kind = ErrorKind::Syntax(format!(
        "`<{}>` is never closed: the file ends first",
        clip(&tag)
    ));
    locator.error(path, at, kind)
}

/// One edge as a reader saw it, before its ends are resolved.
#[derive(Clone, Debug)]
pub struct EdgeRecord {
    /// The source node's id in the file.
    pub source: String,
    /// The target node's id in the file.
    pub target: String,
    /// Whether the edge is directed.
    pub directed: bool,
    /// Its weight (1 unless the file says otherwise).
    pub weight: f32,
    /// Its kind, when it carries one (see [`interaction_kind`]).
    pub kind: Option<String>,
    /// Where it starts in the file.
    pub line: u64,
    /// The column where it starts.
    pub column: u64,
}

/// An edge kept until every node is known.
#[derive(Debug)]
struct Pending {
    source: NodeId,
    target: NodeId,
    directed: bool,
    weight: f32,
}

/// Collects declared nodes and edges, then builds the graph (see the module documentation).
#[derive(Debug)]
pub struct Collector<'a> {
    path: &'a Path,
    options: &'a LoadOptions,
    builder: GraphBuilder,
    edges: Vec<EdgeRecord>,
    interactions: u64,
}

impl<'a> Collector<'a> {
    /// An empty collector for `path`.
    pub fn new(path: &'a Path, options: &'a LoadOptions) -> Self {
        Collector {
            path,
            options,
            builder: GraphBuilder::new(options.build_config(false)),
            edges: Vec::new(),
            interactions: 0,
        }
    }

    /// The builder, for notes and skip counts.
    pub fn builder_mut(&mut self) -> &mut GraphBuilder {
        &mut self.builder
    }

    /// Applies the error policy to a record-level error.
    pub fn handle(&mut self, error: FormatError) -> Result<(), FormatError> {
        self.options.handle(&mut self.builder, error)
    }

    /// Declares node `id` with its `(attribute name, value)` pairs; a second declaration of the
    /// same id is an error at `line`/`column`.
    pub fn add_node(
        &mut self,
        id: &str,
        attributes: &[(String, String)],
        line: u64,
        column: u64,
    ) -> Result<Option<NodeId>, FormatError> {
        if self.builder.lookup(id).is_some() {
            let kind = ErrorKind::InvalidValue {
                field: "node id".into(),
                value: clip(id),
                expected: "an id not declared before".into(),
            };
            let err = FormatError::at(self.path, line, kind).with_column(column);
            self.handle(err)?;
            return Ok(None);
        }
        let node = self
            .builder
            .node(id)
            .map_err(|e| FormatError::at(self.path, line, e).with_column(column))?;
        for (name, value) in attributes {
            self.builder
                .set_attribute(node, &person_column(name), value);
        }
        Ok(Some(node))
    }

    /// Keeps an edge until [`Collector::finish`].
    pub fn add_edge(&mut self, edge: EdgeRecord) {
        self.edges.push(edge);
    }

    /// Marks every edge collected so far directed or undirected (for formats that declare
    /// directedness once for the whole graph, possibly after the edges).
    pub fn set_all_directed(&mut self, directed: bool) {
        for e in &mut self.edges {
            e.directed = directed;
        }
    }

    /// Resolves the edges (an end that no node declares is an [`ErrorKind::UnknownReference`]
    /// at the edge), decides the follow layer's directedness and builds the graph.
    /// `default_undirected` is the file's declared default, used when there are no follows.
    pub fn finish(mut self, default_undirected: bool) -> Result<SocialGraph, FormatError> {
        let mut follows = Vec::new();
        let edges = std::mem::take(&mut self.edges);
        for e in edges {
            let Some((source, target)) = self.resolve(&e)? else {
                continue;
            };
            match e.kind.as_deref().and_then(interaction_kind) {
                Some(kind) => {
                    let kind = self
                        .builder
                        .kind(&kind)
                        .map_err(|err| FormatError::at(self.path, e.line, err))?;
                    self.builder
                        .add_interaction(source, target, kind, None, e.weight);
                    self.interactions += 1;
                }
                None => follows.push(Pending {
                    source,
                    target,
                    directed: e.directed,
                    weight: e.weight,
                }),
            }
        }
        let natural = if follows.is_empty() {
            default_undirected
        } else {
            follows.iter().all(|f| !f.directed)
        };
        let undirected = self.options.build_config(natural).undirected_follows;
        self.builder.set_undirected_follows(undirected);
        for f in &follows {
            self.builder.add_follow(f.source, f.target, f.weight);
            if !undirected && !f.directed && f.source != f.target {
                self.builder.add_follow(f.target, f.source, f.weight);
            }
        }
        if self.interactions > 0 {
            let n = self.interactions;
            self.builder.note(format!(
                "{n} edge(s) carried an interaction kind and were read as interactions"
            ));
        }
        self.builder
            .build()
            .map_err(|e| FormatError::new(self.path, e))
    }

    fn resolve(&mut self, e: &EdgeRecord) -> Result<Option<(NodeId, NodeId)>, FormatError> {
        for end in [&e.source, &e.target] {
            if self.builder.lookup(end).is_none() {
                let kind = ErrorKind::UnknownReference {
                    what: "node".into(),
                    id: clip(end),
                };
                let err = FormatError::at(self.path, e.line, kind).with_column(e.column);
                self.handle(err)?;
                return Ok(None);
            }
        }
        match (
            self.builder.lookup(&e.source),
            self.builder.lookup(&e.target),
        ) {
            (Some(s), Some(t)) => Ok(Some((s, t))),
            _ => Ok(None),
        }
    }
}

/// Escapes `text` for XML content or a double-quoted attribute value; characters XML 1.0 cannot
/// hold (control characters other than tab, line feed and carriage return) are dropped.
pub fn escape(text: &str) -> Cow<'_, str> {
    let clean = |c: char| {
        !matches!(c, '&' | '<' | '>' | '"' | '\'' | '\n' | '\r' | '\t') && !c.is_control()
    };
    if text.chars().all(clean) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The value type of a column a writer declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// Every value is an integer.
    Long,
    /// Every value is a number.
    Double,
    /// Anything else.
    String,
}

impl ValueType {
    /// The narrowest type that holds every value.
    pub fn infer<'v>(values: impl Iterator<Item = &'v str>) -> ValueType {
        let mut t = ValueType::Long;
        let mut any = false;
        for v in values {
            any = true;
            if t == ValueType::Long && v.parse::<i64>().is_err() {
                t = ValueType::Double;
            }
            if t == ValueType::Double && !v.parse::<f64>().is_ok_and(f64::is_finite) {
                return ValueType::String;
            }
        }
        if any {
            t
        } else {
            ValueType::String
        }
    }

    /// The name GraphML and GEXF give the type.
    pub fn name(self) -> &'static str {
        match self {
            ValueType::Long => "long",
            ValueType::Double => "double",
            ValueType::String => "string",
        }
    }
}

/// A node attribute column as a writer lays it out: its name, type and one value per node.
#[derive(Debug)]
pub struct WriteColumn<'g> {
    /// The column's name in the written file.
    pub name: Cow<'g, str>,
    /// Whether this is the name column (GEXF writes it as the node's `label`).
    pub is_name: bool,
    /// Its value type.
    pub value_type: ValueType,
    /// The value of each node, by node id.
    pub values: Vec<Option<Cow<'g, str>>>,
}

/// Every column a writer writes: each person column's first value per node (the name column
/// written as `label`, which readers map back to the name), then the `extra` columns.
pub fn write_columns<'g>(
    graph: &'g SocialGraph,
    extra: &'g [(&str, Vec<String>)],
) -> Vec<WriteColumn<'g>> {
    let n = graph.node_count();
    let mut out = Vec::new();
    for (name, column) in graph.people.columns() {
        let mut values: Vec<Option<Cow<'g, str>>> = vec![None; n];
        for (node, value) in column.iter() {
            let slot = &mut values[node.index()];
            if slot.is_none() {
                *slot = Some(Cow::Borrowed(value));
            }
        }
        let is_name = name == people::NAME;
        let name = if is_name {
            Cow::Borrowed("label")
        } else {
            Cow::Borrowed(name.as_str())
        };
        out.push(WriteColumn {
            value_type: ValueType::infer(values.iter().flatten().map(|v| &**v)),
            is_name,
            name,
            values,
        });
    }
    for (name, column) in extra {
        let values: Vec<Option<Cow<'g, str>>> = (0..n)
            .map(|i| {
                column
                    .get(i)
                    .filter(|v| !v.is_empty())
                    .map(|v| Cow::Borrowed(v.as_str()))
            })
            .collect();
        out.push(WriteColumn {
            value_type: ValueType::infer(values.iter().flatten().map(|v| &**v)),
            name: Cow::Borrowed(name),
            is_name: false,
            values,
        });
    }
    out
}

/// The follow layer as the edges a writer writes: every arc of a directed layer, each tie of an
/// undirected layer once (`u ≤ v`).
pub fn write_edges(graph: &SocialGraph) -> impl Iterator<Item = (u32, u32, f32)> + '_ {
    let undirected = graph.follows.is_undirected();
    graph
        .follows
        .out()
        .iter()
        .filter(move |&(u, v, _)| !undirected || u <= v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_onto_person_columns() {
        assert_eq!(person_column("Label"), people::NAME);
        assert_eq!(person_column("screen_name"), people::HANDLE);
        assert_eq!(person_column("Description"), people::BIO);
        assert_eq!(person_column("Followers"), people::FOLLOWERS_COUNT);
        assert_eq!(person_column("Followed"), "Followed");
        assert!(is_weight_name("Edge Weight"));
        assert!(!is_weight_name("width"));
        assert!(is_kind_name("Relationship"));
        assert_eq!(interaction_kind("Replies to").as_deref(), Some("reply"));
        assert_eq!(interaction_kind("Followed"), None);
        assert_eq!(interaction_kind("quote").as_deref(), Some("quote"));
    }

    #[test]
    fn locator_counts_lines_and_characters() {
        let text = "ab\nçd\r\nxyz";
        let mut l = Locator::new(text);
        assert_eq!(l.locate(0), (1, 1));
        assert_eq!(l.locate(5), (2, 2));
        assert_eq!(l.locate(8), (3, 1));
        assert_eq!(l.locate(1), (1, 2));
    }

    #[test]
    fn escaping_keeps_text_readable_back() {
        assert_eq!(escape("plain"), "plain");
        assert_eq!(
            escape("a<b & \"c\"\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot;&#10;"
        );
        let back = quick_xml::escape::unescape(&escape("x'<>&\"\ty"))
            .unwrap()
            .into_owned();
        assert_eq!(back, "x'<>&\"\ty");
    }

    #[test]
    fn types_are_inferred_narrowest_first() {
        assert_eq!(ValueType::infer(["1", "-2"].into_iter()), ValueType::Long);
        assert_eq!(
            ValueType::infer(["1", "2.5"].into_iter()),
            ValueType::Double
        );
        assert_eq!(ValueType::infer(["1", "x"].into_iter()), ValueType::String);
        assert_eq!(ValueType::infer(["NaN"].into_iter()), ValueType::String);
        assert_eq!(ValueType::infer([].into_iter()), ValueType::String);
    }
}
