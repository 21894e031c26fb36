//! GML, the Graph Modelling Language of Himsolt (1997), as written by Mark Newman's network
//! collection (karate, lesmis, dolphins, polbooks, polblogs), igraph, networkx and Gephi.
//!
//! ## Grammar
//!
//! A file is a list of `key value` pairs; a value is an integer, a real, a quoted string or a
//! nested list `[ … ]`. Keys are `[A-Za-z_][A-Za-z0-9_]*`; `#` starts a comment that runs to the
//! end of the line. Strings may span lines; `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and numeric
//! references (`&#38;`, `&#x26;`) are decoded, and so are the backslash escapes `\"` and `\\`
//! some writers use (any other backslash is kept as it is).
//!
//! ## Mapping
//!
//! The first `graph [ … ]` list is read (later ones are ignored, with a note):
//!
//! - `directed 1` makes follows directed; `directed 0` or none makes them undirected, unless
//!   [`LoadOptions::undirected`] says otherwise;
//! - `node [ id N … ]` declares a person labelled by the id (`"5"`); a quoted-string id is
//!   accepted too. `label` becomes the name
//!   ([`people::NAME`](contextivity_graph::people::NAME)) unless it merely repeats the id, and
//!   every other scalar key (`value`, `source`, `group`, …) a person column of that name, mapped
//!   as in [`xml_util`]. Nested lists such as `graphics [ … ]` are ignored (a note names them);
//! - `edge [ source A target B ]` is a follow from A to B; `value` or `weight` is its weight;
//! - **ground truth**: when every node carries a `value` and there are 2 to 20 distinct values,
//!   each value becomes a ground-truth community named by it (polblogs' 0/1 leaning, polbooks'
//!   l/n/c). The rule is recorded in the load summary's notes.
//!
//! Errors are located by line and column: unbalanced brackets, garbage characters, malformed
//! numbers, unterminated strings, nodes without `id`, edges without `source` or `target`, and
//! edges naming an id no node declares ([`ErrorKind::UnknownReference`]). Record-level errors
//! follow the [`OnError`](crate::OnError) policy; grammar errors always stop reading.
//!
//! Complexity: one pass over the text, memory proportional to the edges (kept until every node
//! is known, so nodes may follow edges).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use contextivity_graph::{NodeId, SocialGraph};

use crate::error::{clip, ErrorKind, FormatError};
use crate::input;
use crate::options::LoadOptions;
use crate::xml_util::{self, Collector, EdgeRecord};

/// Most distinct `value`s read as ground-truth classes.
pub const MAX_TRUTH_CLASSES: usize = 20;

/// Deepest nesting of lists accepted (far beyond any real file; guards the parser's stack).
const MAX_DEPTH: usize = 64;

/// Reads the GML file `path` (see the module documentation).
pub fn read(path: &Path, options: &LoadOptions) -> Result<SocialGraph, FormatError> {
    input::parse_text_file(path, options, read_str)
}

/// Reads GML held in `text`; `path` names it in errors.
pub fn read_str(
    text: &str,
    path: &Path,
    options: &LoadOptions,
) -> Result<SocialGraph, FormatError> {
    let mut lexer = Lexer::new(text, path);
    let mut reader = GraphReader {
        collector: Collector::new(path, options),
        classes: Vec::new(),
        ignored_lists: BTreeSet::new(),
        directed: false,
    };
    let mut graphs = 0usize;
    while let Some((token, pos)) = lexer.next()? {
        match token {
            Token::Key(key) if key.eq_ignore_ascii_case("graph") && graphs == 0 => {
                let (value, vpos) = lexer.expect_value(&key, pos)?;
                if value != Token::Open {
                    return Err(lexer.error(
                        vpos,
                        ErrorKind::Syntax("`graph` must be a list `[ … ]`".into()),
                    ));
                }
                graphs += 1;
                reader.read_graph(&mut lexer, vpos)?;
            }
            Token::Key(key) => {
                if key.eq_ignore_ascii_case("graph") {
                    graphs += 1;
                }
                lexer.value(&key, pos, 0)?;
            }
            Token::Close => {
                return Err(lexer.error(pos, ErrorKind::Syntax("`]` without a matching `[`".into())))
            }
            other => return Err(lexer.error(pos, expected_key(&other))),
        }
    }
    if graphs == 0 {
        return Err(FormatError::new(
            path,
            ErrorKind::Empty {
                expected: "a `graph [ … ]` list".into(),
            },
        ));
    }
    if graphs > 1 {
        reader.collector.builder_mut().note(format!(
            "GML: read the first of {graphs} graphs, ignored the rest"
        ));
    }
    reader.finish()
}

/// A token of the GML grammar.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    /// A key.
    Key(String),
    /// A number, as written.
    Num(String),
    /// A decoded string.
    Str(String),
    /// `[`
    Open,
    /// `]`
    Close,
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Key(k) => format!("key `{}`", clip(k)),
            Token::Num(n) => format!("number {}", clip(n)),
            Token::Str(s) => format!("string \"{}\"", clip(s)),
            Token::Open => "`[`".into(),
            Token::Close => "`]`".into(),
        }
    }
}

fn expected_key(found: &Token) -> ErrorKind {
    ErrorKind::Syntax(format!("expected a key, found {}", found.describe()))
}

/// Where a token starts.
#[derive(Clone, Copy, Debug)]
struct Pos {
    offset: usize,
}

/// A scalar or list value with the position of its key.
#[derive(Debug)]
enum Value {
    Num(String),
    Str(String),
    List(Vec<Item>),
}

#[derive(Debug)]
struct Item {
    key: String,
    value: Value,
    pos: Pos,
}

impl Item {
    /// The scalar value as text (numbers as written), `None` for a list.
    fn scalar(&self) -> Option<&str> {
        match &self.value {
            Value::Num(s) | Value::Str(s) => Some(s),
            Value::List(_) => None,
        }
    }
}

/// Splits GML text into tokens, tracking where each starts.
struct Lexer<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    path: &'t Path,
    locator: xml_util::Locator<'t>,
}

impl<'t> Lexer<'t> {
    fn new(text: &'t str, path: &'t Path) -> Self {
        Lexer {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            path,
            locator: xml_util::Locator::new(text),
        }
    }

    fn error(&mut self, pos: Pos, kind: ErrorKind) -> FormatError {
        self.locator.error(self.path, pos.offset, kind)
    }

    fn line_col(&mut self, pos: Pos) -> (u64, u64) {
        self.locator.locate(pos.offset)
    }

    /// The next token, or `None` at the end of the text.
    fn next(&mut self) -> Result<Option<(Token, Pos)>, FormatError> {
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Ok(None);
            };
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c => self.pos += 1,
                b'#' => {
                    self.pos = memchr::memchr(b'\n', &self.bytes[self.pos..])
                        .map_or(self.bytes.len(), |i| self.pos + i);
                }
                _ => break,
            }
        }
        let start = Pos { offset: self.pos };
        let b = self.bytes[self.pos];
        let token = match b {
            b'[' => {
                self.pos += 1;
                Token::Open
            }
            b']' => {
                self.pos += 1;
                Token::Close
            }
            b'"' => self.string(start)?,
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number(start)?,
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let end = self.scan(|c| c.is_ascii_alphanumeric() || c == b'_');
                Token::Key(self.text[start.offset..end].to_string())
            }
            _ => {
                let c = self.text[self.pos..].chars().next().unwrap_or('?');
                return Err(self.error(
                    start,
                    ErrorKind::Syntax(format!("unexpected character `{c}`")),
                ));
            }
        };
        Ok(Some((token, start)))
    }

    /// Advances over bytes matching `keep`; returns the end offset.
    fn scan(&mut self, keep: impl Fn(u8) -> bool) -> usize {
        while self.bytes.get(self.pos).is_some_and(|&c| keep(c)) {
            self.pos += 1;
        }
        self.pos
    }

    fn number(&mut self, start: Pos) -> Result<Token, FormatError> {
        let end =
            self.scan(|c| c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.' | b'e' | b'E'));
        let delimited = self
            .bytes
            .get(end)
            .is_none_or(|&c| c.is_ascii_whitespace() || matches!(c, b'[' | b']' | b'#' | b'"'));
        let raw = &self.text[start.offset..end];
        if !delimited || !raw.parse::<f64>().is_ok_and(f64::is_finite) {
            let word_end = self.scan(|c| !c.is_ascii_whitespace() && !matches!(c, b'[' | b']'));
            let word = &self.text[start.offset..word_end];
            return Err(self.error(
                start,
                ErrorKind::Syntax(format!("invalid number `{}`", clip(word))),
            ));
        }
        Ok(Token::Num(raw.to_string()))
    }

    fn string(&mut self, start: Pos) -> Result<Token, FormatError> {
        let mut out = String::new();
        let mut i = self.pos + 1;
        loop {
            let Some(rel) = memchr::memchr2(b'"', b'\\', &self.bytes[i..]) else {
                return Err(self.error(
                    start,
                    ErrorKind::Syntax(
                        "string never closed: no `\"` before the end of the file".into(),
                    ),
                ));
            };
            out.push_str(&self.text[i..i + rel]);
            i += rel;
            if self.bytes[i] == b'"' {
                self.pos = i + 1;
                return Ok(Token::Str(decode_entities(&out)));
            }
            match self.bytes.get(i + 1) {
                Some(b'"') => {
                    out.push('"');
                    i += 2;
                }
                Some(b'\\') => {
                    out.push('\\');
                    i += 2;
                }
                _ => {
                    out.push('\\');
                    i += 1;
                }
            }
        }
    }

    /// Reads the token after `key`, which must be a value (a scalar or `[`).
    fn expect_value(&mut self, key: &str, key_pos: Pos) -> Result<(Token, Pos), FormatError> {
        match self.next()? {
            Some((t @ (Token::Num(_) | Token::Str(_) | Token::Open), pos)) => Ok((t, pos)),
            Some((other, pos)) => Err(self.error(
                pos,
                ErrorKind::Syntax(format!(
                    "`{}` has no value: found {}",
                    clip(key),
                    other.describe()
                )),
            )),
            None => Err(self.error(
                key_pos,
                ErrorKind::Syntax(format!("`{}` has no value: the file ends", clip(key))),
            )),
        }
    }

    /// Reads the value of `key`, lists in full.
    fn value(&mut self, key: &str, key_pos: Pos, depth: usize) -> Result<Value, FormatError> {
        let (token, pos) = self.expect_value(key, key_pos)?;
        Ok(match token {
            Token::Num(n) => Value::Num(n),
            Token::Str(s) => Value::Str(s),
            _ => Value::List(self.list(pos, depth + 1)?),
        })
    }

    /// Reads the items of a list whose `[` was at `open`, through its `]`.
    fn list(&mut self, open: Pos, depth: usize) -> Result<Vec<Item>, FormatError> {
        if depth > MAX_DEPTH {
            return Err(self.error(
                open,
                ErrorKind::Syntax(format!("lists nested deeper than {MAX_DEPTH}")),
            ));
        }
        let mut items = Vec::new();
        loop {
            match self.next()? {
                Some((Token::Close, _)) => return Ok(items),
                Some((Token::Key(key), pos)) => {
                    let value = self.value(&key, pos, depth)?;
                    items.push(Item { key, value, pos });
                }
                Some((other, pos)) => return Err(self.error(pos, expected_key(&other))),
                None => return Err(unclosed(self, open)),
            }
        }
    }
}

fn unclosed(lexer: &mut Lexer<'_>, open: Pos) -> FormatError {
    lexer.error(
        open,
        ErrorKind::Syntax("unbalanced brackets: this `[` is never closed".into()),
    )
}

/// Decodes the HTML character references GML strings use; unknown ones are kept as written.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let name = &rest[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let code = if let Some(hex) =
                        name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                    {
                        u32::from_str_radix(hex, 16).ok()
                    } else {
                        name.strip_prefix('#').and_then(|d| d.parse::<u32>().ok())
                    };
                    code.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A node or edge endpoint id in its canonical text: integers without sign or leading zeros,
/// strings as they are.
fn node_id(item: &Item, field: &str) -> Result<String, ErrorKind> {
    let invalid = |value: &str| ErrorKind::InvalidValue {
        field: field.to_string(),
        value: clip(value),
        expected: "an integer or a quoted string".into(),
    };
    match &item.value {
        Value::Str(s) => Ok(s.clone()),
        Value::Num(n) => match n.parse::<i64>() {
            Ok(i) => Ok(i.to_string()),
            Err(_) => Err(invalid(n)),
        },
        Value::List(_) => Err(invalid("[ … ]")),
    }
}

/// Reads the items of the graph list and turns them into records.
struct GraphReader<'a> {
    collector: Collector<'a>,
    /// Each declared node with its `value`, if any.
    classes: Vec<(NodeId, Option<String>)>,
    ignored_lists: BTreeSet<String>,
    directed: bool,
}

impl GraphReader<'_> {
    fn read_graph(&mut self, lexer: &mut Lexer<'_>, open: Pos) -> Result<(), FormatError> {
        loop {
            let Some((token, pos)) = lexer.next()? else {
                return Err(unclosed(lexer, open));
            };
            let key = match token {
                Token::Close => return Ok(()),
                Token::Key(key) => key,
                other => return Err(lexer.error(pos, expected_key(&other))),
            };
            let value = lexer.value(&key, pos, 1)?;
            match (key.as_str(), value) {
                ("node", Value::List(items)) => self.node(lexer, items, pos)?,
                ("edge", Value::List(items)) => self.edge(lexer, items, pos)?,
                ("node" | "edge", _) => {
                    let err = lexer.error(
                        pos,
                        ErrorKind::Syntax(format!("`{key}` must be a list `[ … ]`")),
                    );
                    self.collector.handle(err)?;
                }
                ("directed", Value::Num(n)) => {
                    self.directed = n.parse::<f64>().is_ok_and(|d| d != 0.0)
                }
                _ => {}
            }
        }
    }

    fn node(
        &mut self,
        lexer: &mut Lexer<'_>,
        items: Vec<Item>,
        pos: Pos,
    ) -> Result<(), FormatError> {
        let Some(id_item) = items.iter().find(|i| i.key == "id") else {
            let err = lexer.error(pos, ErrorKind::Syntax("`node [ … ]` has no `id`".into()));
            return self.collector.handle(err);
        };
        let id = match node_id(id_item, "node id") {
            Ok(id) => id,
            Err(kind) => {
                let err = lexer.error(id_item.pos, kind);
                return self.collector.handle(err);
            }
        };
        let mut attributes = Vec::with_capacity(items.len());
        let mut class = None;
        for item in &items {
            if item.key == "id" {
                continue;
            }
            match item.scalar() {
                Some(v) if item.key == "label" && v == id => {}
                Some(v) => {
                    if item.key == "value" && class.is_none() {
                        class = Some(v.to_string());
                    }
                    attributes.push((item.key.clone(), v.to_string()));
                }
                None => {
                    self.ignored_lists.insert(format!("node {}", item.key));
                }
            }
        }
        let (line, column) = lexer.line_col(pos);
        if let Some(node) = self.collector.add_node(&id, &attributes, line, column)? {
            self.classes.push((node, class));
        }
        Ok(())
    }

    fn edge(
        &mut self,
        lexer: &mut Lexer<'_>,
        items: Vec<Item>,
        pos: Pos,
    ) -> Result<(), FormatError> {
        let mut ends = [None, None];
        let mut weight = 1.0f32;
        for item in &items {
            match item.key.as_str() {
                "source" | "target" => {
                    let slot = usize::from(item.key == "target");
                    if ends[slot].is_none() {
                        match node_id(item, &format!("edge {}", item.key)) {
                            Ok(id) => ends[slot] = Some(id),
                            Err(kind) => {
                                let err = lexer.error(item.pos, kind);
                                return self.collector.handle(err);
                            }
                        }
                    }
                }
                "value" | "weight" => {
                    let parsed = match item.scalar() {
                        Some(v) => xml_util::parse_weight(v),
                        None => xml_util::parse_weight("[ … ]"),
                    };
                    match parsed {
                        Ok(w) => weight = w,
                        Err(kind) => {
                            let err = lexer.error(item.pos, kind);
                            return self.collector.handle(err);
                        }
                    }
                }
                key => {
                    if item.scalar().is_none() {
                        self.ignored_lists.insert(format!("edge {key}"));
                    }
                }
            }
        }
        let [source, target] = ends;
        let (source, target) = match (source, target) {
            (Some(s), Some(t)) => (s, t),
            (s, _) => {
                let missing = if s.is_none() { "source" } else { "target" };
                let err = lexer.error(
                    pos,
                    ErrorKind::Syntax(format!("`edge [ … ]` has no `{missing}`")),
                );
                return self.collector.handle(err);
            }
        };
        let (line, column) = lexer.line_col(pos);
        self.collector.add_edge(EdgeRecord {
            source,
            target,
            directed: true,
            weight,
            kind: None,
            line,
            column,
        });
        Ok(())
    }

    fn finish(mut self) -> Result<SocialGraph, FormatError> {
        self.collector.set_all_directed(self.directed);
        if !self.ignored_lists.is_empty() {
            let names: Vec<&str> = self.ignored_lists.iter().map(String::as_str).collect();
            self.collector
                .builder_mut()
                .note(format!("GML: nested lists ignored: {}", names.join(", ")));
        }
        self.add_truth();
        self.collector.finish(!self.directed)
    }

    /// The ground-truth rule of the module documentation.
    fn add_truth(&mut self) {
        if self.classes.is_empty() || self.classes.iter().any(|(_, c)| c.is_none()) {
            return;
        }
        let mut communities: BTreeMap<&str, Vec<NodeId>> = BTreeMap::new();
        for (node, class) in &self.classes {
            if let Some(c) = class {
                communities.entry(c.as_str()).or_default().push(*node);
            }
        }
        if !(2..=MAX_TRUTH_CLASSES).contains(&communities.len()) {
            return;
        }
        let sizes: Vec<String> = communities
            .iter()
            .map(|(name, members)| format!("{name}: {}", members.len()))
            .collect();
        let note = format!(
            "GML: ground truth from the node attribute `value` ({} classes — {})",
            communities.len(),
            sizes.join(", ")
        );
        let builder = self.collector.builder_mut();
        for (name, members) in communities {
            builder.add_truth_community(name, members);
        }
        builder.note(note);
    }
}

#[cfg(test)]
mod tests;
