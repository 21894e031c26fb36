//! GEXF, Gephi's exchange format (versions 1.1 to 1.3, gexf.net): the reader and a writer.
//!
//! ## Reading
//!
//! ```xml
//! <gexf version="1.3">
//!   <graph defaultedgetype="directed" mode="static">
//!     <attributes class="node">
//!       <attribute id="0" title="followers" type="long"><default>0</default></attribute>
//!     </attributes>
//!     <nodes>
//!       <node id="a" label="Ada"><attvalues><attvalue for="0" value="12"/></attvalues></node>
//!     </nodes>
//!     <edges><edge source="a" target="b" weight="2" type="undirected"/></edges>
//!   </graph>
//! </gexf>
//! ```
//!
//! The mapping is GraphML's ([`crate::graphml`], [`xml_util`]):
//!
//! - every `<node id>` is a person labelled by its id; `label` becomes the name (unless it
//!   merely repeats the id), and each `<attvalue>` a person column named by its attribute's
//!   `title` (the id when untitled), with the declared `<default>`s filling what a node leaves
//!   out. Hierarchical nodes (nodes inside nodes) are flattened; `viz:` elements are ignored;
//! - every `<edge>` is a follow from `source` to `target`, directed by its `type` (`directed`,
//!   `undirected`, `mutual`) or else the graph's `defaultedgetype` (undirected when absent, as the
//!   schema says); `weight` (or an edge attribute titled `weight`) is its weight. An edge with a
//!   `kind` (the XML attribute, or an edge attribute titled `kind`/`interaction`/`relationship`)
//!   is an interaction of that kind instead, unless the kind is a follow word;
//! - in a dynamic graph every timed value is kept (a person column may hold several) and the
//!   time intervals are ignored, with a note.
//!
//! Errors are located by line and column: malformed XML, a root other than `<gexf>`, a node
//! without `id`, an edge without `source`/`target`, an `<attvalue>` naming an undeclared
//! attribute, an invalid weight or edge type, a node declared twice and an edge end no node
//! declares ([`ErrorKind::UnknownReference`]). Record-level errors follow the
//! [`OnError`](crate::OnError) policy; malformed XML always stops reading.
//!
//! ## Writing
//!
//! [`write()`] writes GEXF 1.3: the follow layer with weights, the name as each node's `label`,
//! every other person column's first value and the extra per-node columns (typed `long`,
//! `double` or `string` by their values) as node attributes.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use contextivity_graph::{NodeId, SocialGraph};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::error::{clip, ErrorKind, FormatError};
use crate::input;
use crate::options::LoadOptions;
use crate::xml_util::{self, escape, Collector, EdgeRecord, Locator};

/// Reads the GEXF file `path` (see the module documentation).
pub fn read(path: &Path, options: &LoadOptions) -> Result<SocialGraph, FormatError> {
    input::parse_text_file(path, options, read_str)
}

/// Reads GEXF held in `text`; `path` names it in errors.
pub fn read_str(
    text: &str,
    path: &Path,
    options: &LoadOptions,
) -> Result<SocialGraph, FormatError> {
    let mut p = Parser {
        path,
        locator: Locator::new(text),
        collector: Collector::new(path, options),
        node_attrs: Declared::default(),
        edge_attrs: Declared::default(),
        class: None,
        default_undirected: None,
        dynamic: false,
        owners: Vec::new(),
        default_text: None,
        root_seen: false,
    };
    let mut reader = Reader::from_str(text);
    let mut open = Vec::new();
    loop {
        let start = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = reader.error_position() as usize;
                let kind = ErrorKind::Syntax(format!("malformed XML: {e}"));
                return Err(p.locator.error(path, at, kind));
            }
        };
        match event {
            Event::Start(e) => {
                open.push(start);
                p.start(&e, start)?;
            }
            Event::Empty(e) => {
                p.start(&e, start)?;
                p.end(e.local_name().as_ref())?;
            }
            Event::End(e) => {
                open.pop();
                p.end(e.local_name().as_ref())?;
            }
            Event::Text(t) => {
                if let Some(d) = p.default_text.as_mut() {
                    let text = t.unescape().map_err(|err| {
                        let kind = ErrorKind::Syntax(format!("malformed XML text: {err}"));
                        p.locator.error(path, start, kind)
                    })?;
                    d.push_str(&text);
                }
            }
            Event::CData(c) => {
                if let Some(d) = p.default_text.as_mut() {
                    d.push_str(&String::from_utf8_lossy(&c.into_inner()));
                }
            }
            Event::Eof => {
                if let Some(&at) = open.last() {
                    return Err(xml_util::unclosed(&mut p.locator, path, text, at));
                }
                break;
            }
            _ => {}
        }
    }
    if !p.root_seen {
        return Err(FormatError::new(
            path,
            ErrorKind::Empty {
                expected: "a <gexf> document".into(),
            },
        ));
    }
    if p.dynamic {
        p.collector
            .builder_mut()
            .note("GEXF: dynamic graph read as static; time intervals ignored");
    }
    let undirected = p.default_undirected.unwrap_or(true);
    p.collector.finish(undirected)
}

/// One declared `<attribute>`.
#[derive(Debug)]
struct Attribute {
    title: String,
    default: Option<String>,
}

/// The attributes of one class, in declaration order.
#[derive(Debug, Default)]
struct Declared {
    order: Vec<String>,
    by_id: HashMap<String, Attribute>,
}

impl Declared {
    fn declare(&mut self, id: String, attribute: Attribute) {
        if self.by_id.insert(id.clone(), attribute).is_none() {
            self.order.push(id);
        }
    }

    /// `(attribute id, value)` pairs to `(title, value)`, then the defaults left out.
    fn resolve(&self, values: Vec<(String, String)>) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::with_capacity(values.len());
        for id in &self.order {
            if values.iter().any(|(given, _)| given == id) {
                continue;
            }
            if let Some(Attribute {
                title,
                default: Some(d),
            }) = self.by_id.get(id)
            {
                out.push((title.clone(), d.clone()));
            }
        }
        let given = values
            .into_iter()
            .filter_map(|(id, v)| self.by_id.get(&id).map(|a| (a.title.clone(), v)));
        out.splice(0..0, given);
        out
    }
}

/// Which `<attributes>` block is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Node,
    Edge,
    Other,
}

/// An element `<attvalue>`s may describe, or anything else.
#[derive(Debug)]
enum Owner {
    Node {
        id: String,
        label: Option<String>,
        at: usize,
        values: Vec<(String, String)>,
    },
    Edge {
        record: EdgeRecord,
        at: usize,
        values: Vec<(String, String)>,
    },
    Attribute {
        id: String,
        attribute: Attribute,
    },
    Other,
}

struct Parser<'a, 't> {
    path: &'a Path,
    locator: Locator<'t>,
    collector: Collector<'a>,
    node_attrs: Declared,
    edge_attrs: Declared,
    class: Option<Class>,
    default_undirected: Option<bool>,
    dynamic: bool,
    owners: Vec<Owner>,
    /// The text of an open `<default>`.
    default_text: Option<String>,
    root_seen: bool,
}

/// Reads an edge type: true when directed.
fn directed_type(value: &str) -> Option<bool> {
    match value {
        "directed" => Some(true),
        "undirected" | "mutual" => Some(false),
        _ => None,
    }
}

impl Parser<'_, '_> {
    fn err(&mut self, at: usize, kind: ErrorKind) -> FormatError {
        self.locator.error(self.path, at, kind)
    }

    /// An error in a record: counted and skipped, or returned, by the policy.
    fn record_error(&mut self, at: usize, kind: ErrorKind) -> Result<(), FormatError> {
        let err = self.err(at, kind);
        self.collector.handle(err)
    }

    fn attr(
        &mut self,
        e: &BytesStart<'_>,
        at: usize,
        name: &str,
    ) -> Result<Option<String>, FormatError> {
        xml_util::xml_attr(e, name).map_err(|kind| self.err(at, kind))
    }

    fn start(&mut self, e: &BytesStart<'_>, at: usize) -> Result<(), FormatError> {
        let name = e.local_name();
        let name = name.as_ref();
        if !self.root_seen {
            if name != b"gexf" {
                let found = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let kind =
                    ErrorKind::Syntax(format!("expected a <gexf> root element, found <{found}>"));
                return Err(self.err(at, kind));
            }
            self.root_seen = true;
            return Ok(());
        }
        let owner = match name {
            b"graph" => {
                if self.default_undirected.is_none() {
                    let default = self.attr(e, at, "defaultedgetype")?;
                    let undirected = match default.as_deref().map(directed_type) {
                        None => true,
                        Some(Some(directed)) => !directed,
                        Some(None) => {
                            let kind = ErrorKind::InvalidValue {
                                field: "defaultedgetype".into(),
                                value: clip(default.as_deref().unwrap_or_default()),
                                expected: "directed, undirected or mutual".into(),
                            };
                            return Err(self.err(at, kind));
                        }
                    };
                    self.default_undirected = Some(undirected);
                    self.dynamic = self.attr(e, at, "mode")?.as_deref() == Some("dynamic");
                }
                Owner::Other
            }
            b"attributes" => {
                self.class = Some(match self.attr(e, at, "class")?.as_deref() {
                    Some("node") => Class::Node,
                    Some("edge") => Class::Edge,
                    _ => Class::Other,
                });
                Owner::Other
            }
            b"attribute" => {
                let id =
                    xml_util::required_attr(e, "attribute", "id").map_err(|k| self.err(at, k))?;
                let title = self.attr(e, at, "title")?.unwrap_or_else(|| id.clone());
                Owner::Attribute {
                    id,
                    attribute: Attribute {
                        title,
                        default: None,
                    },
                }
            }
            b"default" => {
                self.default_text = Some(String::new());
                Owner::Other
            }
            b"node" => match xml_util::required_attr(e, "node", "id") {
                Ok(id) => Owner::Node {
                    id,
                    label: self.attr(e, at, "label")?,
                    at,
                    values: Vec::new(),
                },
                Err(kind) => {
                    self.record_error(at, kind)?;
                    Owner::Other
                }
            },
            b"edge" => match self.edge_record(e, at) {
                Ok(record) => Owner::Edge {
                    record,
                    at,
                    values: Vec::new(),
                },
                Err(kind) => {
                    self.record_error(at, kind)?;
                    Owner::Other
                }
            },
            b"attvalue" => {
                self.attvalue(e, at)?;
                Owner::Other
            }
            _ => Owner::Other,
        };
        self.owners.push(owner);
        Ok(())
    }

    fn edge_record(&mut self, e: &BytesStart<'_>, at: usize) -> Result<EdgeRecord, ErrorKind> {
        let source = xml_util::required_attr(e, "edge", "source")?;
        let target = xml_util::required_attr(e, "edge", "target")?;
        let directed = match xml_util::xml_attr(e, "type")? {
            Some(t) => directed_type(&t).ok_or_else(|| ErrorKind::InvalidValue {
                field: "edge type".into(),
                value: clip(&t),
                expected: "directed, undirected or mutual".into(),
            })?,
            None => !self.default_undirected.unwrap_or(true),
        };
        let weight = match xml_util::xml_attr(e, "weight")? {
            Some(w) => xml_util::parse_weight(&w)?,
            None => 1.0,
        };
        let kind = xml_util::xml_attr(e, "kind")?;
        let (line, column) = self.locator.locate(at);
        Ok(EdgeRecord {
            source,
            target,
            directed,
            weight,
            kind,
            line,
            column,
        })
    }

    /// Files an `<attvalue>` with the node or edge it describes.
    fn attvalue(&mut self, e: &BytesStart<'_>, at: usize) -> Result<(), FormatError> {
        let Some(index) = self
            .owners
            .iter()
            .rposition(|o| matches!(o, Owner::Node { .. } | Owner::Edge { .. }))
        else {
            return Ok(());
        };
        let id = match self.attr(e, at, "for")? {
            Some(id) => id,
            None => match self.attr(e, at, "id")? {
                Some(id) => id,
                None => {
                    let kind = ErrorKind::Syntax("`<attvalue>` has no `for` attribute".into());
                    return self.record_error(at, kind);
                }
            },
        };
        let value = self.attr(e, at, "value")?.unwrap_or_default();
        let declared = match self.owners[index] {
            Owner::Node { .. } => &self.node_attrs,
            _ => &self.edge_attrs,
        };
        if !declared.by_id.contains_key(&id) {
            let kind = ErrorKind::UnknownReference {
                what: "GEXF attribute".into(),
                id: clip(&id),
            };
            return self.record_error(at, kind);
        }
        if let Some(Owner::Node { values, .. } | Owner::Edge { values, .. }) =
            self.owners.get_mut(index)
        {
            values.push((id, value));
        }
        Ok(())
    }

    fn end(&mut self, name: &[u8]) -> Result<(), FormatError> {
        let Some(owner) = self.owners.pop() else {
            return Ok(()); // the root closes
        };
        match owner {
            Owner::Attribute { id, attribute } => match self.class {
                Some(Class::Node) => self.node_attrs.declare(id, attribute),
                Some(Class::Edge) => self.edge_attrs.declare(id, attribute),
                _ => {}
            },
            Owner::Node {
                id,
                label,
                at,
                values,
            } => {
                let mut attributes = self.node_attrs.resolve(values);
                if let Some(label) = label.filter(|l| *l != id) {
                    attributes.insert(0, ("label".to_string(), label));
                }
                let (line, column) = self.locator.locate(at);
                self.collector.add_node(&id, &attributes, line, column)?;
            }
            Owner::Edge {
                mut record,
                at,
                values,
            } => {
                for (title, value) in self.edge_attrs.resolve(values) {
                    if xml_util::is_weight_name(&title) {
                        match xml_util::parse_weight(&value) {
                            Ok(w) => record.weight = w,
                            Err(kind) => return self.record_error(at, kind),
                        }
                    } else if xml_util::is_kind_name(&title) && record.kind.is_none() {
                        record.kind = Some(value);
                    }
                }
                self.collector.add_edge(record);
            }
            Owner::Other => match name {
                b"default" => {
                    let text = self.default_text.take().map(|t| t.trim().to_string());
                    if let Some(Owner::Attribute { attribute, .. }) = self.owners.last_mut() {
                        attribute.default = text;
                    }
                }
                b"attributes" => self.class = None,
                _ => {}
            },
        }
        Ok(())
    }
}

/// The GEXF 1.3 root element.
const GEXF_HEADER: &str = concat!(
    r#"<gexf xmlns="http://gexf.net/1.3""#,
    r#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#,
    r#" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
);

/// Writes the follow layer of `graph` as GEXF 1.3, with the name as each node's `label`, every
/// other person column's first value and the extra `node_attributes` columns (`(name, value of
/// node 0, 1, …)`; a missing or short column leaves nodes without a value).
pub fn write<W: Write>(
    out: W,
    graph: &SocialGraph,
    node_attributes: &[(&str, Vec<String>)],
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    let columns = xml_util::write_columns(graph, node_attributes);
    let name_column = columns.iter().find(|c| c.is_name);
    let attributes: Vec<&xml_util::WriteColumn<'_>> =
        columns.iter().filter(|c| !c.is_name).collect();
    let edge_type = if graph.follows.is_undirected() {
        "undirected"
    } else {
        "directed"
    };
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, "{GEXF_HEADER}")?;
    writeln!(
        out,
        "  <meta>\n    <creator>contextivity</creator>\n  </meta>"
    )?;
    writeln!(
        out,
        r#"  <graph defaultedgetype="{edge_type}" mode="static">"#
    )?;
    if !attributes.is_empty() {
        writeln!(out, r#"    <attributes class="node" mode="static">"#)?;
        for (i, c) in attributes.iter().enumerate() {
            writeln!(
                out,
                r#"      <attribute id="{i}" title="{}" type="{}"/>"#,
                escape(&c.name),
                c.value_type.name()
            )?;
        }
        writeln!(out, "    </attributes>")?;
    }
    writeln!(out, "    <nodes>")?;
    for node in 0..graph.node_count() {
        write!(
            out,
            r#"      <node id="{}""#,
            escape(graph.label(NodeId(node as u32)))
        )?;
        if let Some(label) = name_column.and_then(|c| c.values[node].as_ref()) {
            write!(out, r#" label="{}""#, escape(label))?;
        }
        if attributes.iter().all(|c| c.values[node].is_none()) {
            writeln!(out, "/>")?;
            continue;
        }
        writeln!(out, ">\n        <attvalues>")?;
        for (i, c) in attributes.iter().enumerate() {
            if let Some(v) = &c.values[node] {
                writeln!(
                    out,
                    r#"          <attvalue for="{i}" value="{}"/>"#,
                    escape(v)
                )?;
            }
        }
        writeln!(out, "        </attvalues>\n      </node>")?;
    }
    writeln!(out, "    </nodes>")?;
    writeln!(out, "    <edges>")?;
    for (i, (u, v, w)) in xml_util::write_edges(graph).enumerate() {
        writeln!(
            out,
            r#"      <edge id="{i}" source="{}" target="{}" weight="{w}"/>"#,
            escape(graph.label(NodeId(u))),
            escape(graph.label(NodeId(v)))
        )?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use contextivity_graph::people;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/gexf")
            .join(name)
    }

    fn message(text: &str) -> String {
        read_str(text, Path::new("t.gexf"), &LoadOptions::default())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn gephi_style_fixture() {
        let g = crate::load(&fixture("social.gexf"), &LoadOptions::default()).unwrap();
        assert_eq!(g.labels.iter().collect::<Vec<_>>(), vec!["n1", "n2", "n3"]);
        let names: Vec<_> = (0..3)
            .map(|i| g.people.get(people::NAME, NodeId(i)))
            .collect();
        assert_eq!(
            names,
            vec![
                Some("Ærøskøbing Ålborg"),
                Some("\"Quoted\" <name>"),
                Some("😀 emoji")
            ]
        );
        assert_eq!(g.people.handle(NodeId(0)), Some("@aero"));
        let followers: Vec<_> = (0..3)
            .map(|i| g.people.followers_count(NodeId(i)))
            .collect();
        assert_eq!(followers, vec![Some(7), Some(42), Some(7)]);
        let classes: Vec<_> = (0..3)
            .map(|i| g.people.get("modularity_class", NodeId(i)))
            .collect();
        assert_eq!(classes, vec![Some("0"), Some("1"), None]);
        // Follows: n1→n2 (2.5) and the mutual n2–n3 as two arcs.
        assert!(!g.follows.is_undirected());
        assert_eq!(g.follows.edge_count(), 3);
        assert_eq!(g.follows.out().weight_between(0, 1), Some(2.5));
        assert_eq!(g.follows.out().weight_between(1, 2), Some(1.0));
        assert_eq!(g.follows.out().weight_between(2, 1), Some(1.0));
        let events: Vec<_> = g
            .interactions
            .iter()
            .map(|e| {
                (
                    e.source,
                    e.target,
                    g.interactions.kinds().name(e.kind).to_string(),
                )
            })
            .collect();
        assert_eq!(
            events,
            vec![(0, 2, "reply".to_string()), (2, 0, "like".to_string())]
        );
    }

    #[test]
    fn undirected_by_default() {
        let g = read(&fixture("undirected.gexf"), &LoadOptions::default()).unwrap();
        assert!(g.follows.is_undirected());
        assert_eq!(g.node_count(), 3);
        assert_eq!(g.follows.edge_count(), 2);
        assert_eq!(g.summary.follow_duplicates_merged, 1);
        assert_eq!(g.summary.follow_self_loops_dropped, 1);
        assert_eq!(g.follows.out().weight_between(0, 1), Some(3.0));
        assert_eq!(g.follows.out().weight_between(2, 1), Some(0.5));
        assert_eq!(g.people.get(people::NAME, NodeId(2)), Some("two"));
    }

    const HEAD: &str = "<gexf version=\"1.3\">\n<graph defaultedgetype=\"directed\">\n<attributes class=\"node\"><attribute id=\"0\" title=\"x\"/></attributes>\n<nodes><node id=\"a\"/></nodes>\n";

    #[test]
    fn errors_are_located() {
        let cases = [
            ("<edges><edge source=\"a\" target=\"zz\"/></edges>", "t.gexf:5:8: unknown node `zz`"),
            ("<edges><edge target=\"a\"/></edges>", "t.gexf:5:8: `<edge>` has no `source` attribute"),
            ("<edges><edge source=\"a\" target=\"a\" weight=\"1,5\"/></edges>", "t.gexf:5:8: invalid edge weight `1,5`: expected a finite number"),
            ("<edges><edge source=\"a\" target=\"a\" type=\"both\"/></edges>", "t.gexf:5:8: invalid edge type `both`: expected directed, undirected or mutual"),
            ("<nodes>\n<node label=\"x\"/></nodes>", "t.gexf:6:1: `<node>` has no `id` attribute"),
            ("<nodes><node id=\"b\"><attvalues>\n <attvalue for=\"7\" value=\"v\"/></attvalues></node></nodes>", "t.gexf:6:2: unknown GEXF attribute `7`"),
            ("<nodes><node id=\"a\"/></nodes>", "t.gexf:5:8: invalid node id `a`: expected an id not declared before"),
            ("<nodes><node id=\"b\" label=\"x&y\"/></nodes>", "t.gexf:5:8: malformed XML attribute `label`: Error while escaping character at range 1..3: Cannot find ';' after '&'"),
        ];
        for (body, expected) in cases {
            let text = format!("{HEAD}{body}\n</graph>\n</gexf>\n");
            assert_eq!(message(&text), expected, "{body}");
        }
        assert_eq!(
            message("<graphml/>"),
            "t.gexf:1:1: expected a <gexf> root element, found <graphml>"
        );
        assert_eq!(
            message("<gexf><graph defaultedgetype=\"sideways\"/></gexf>"),
            "t.gexf:1:7: invalid defaultedgetype `sideways`: expected directed, undirected or mutual"
        );
        assert_eq!(
            message("<gexf>\n  <graph>\n"),
            "t.gexf:2:3: `<graph>` is never closed: the file ends first"
        );
    }

    fn write_vec(
        out: &mut Vec<u8>,
        g: &SocialGraph,
        extra: &[(&str, Vec<String>)],
    ) -> std::io::Result<()> {
        write(out, g, extra)
    }

    #[test]
    fn writes_what_it_reads() {
        crate::graphml::tests::round_trip(write_vec, read_str);
        let mut bytes = Vec::new();
        write(&mut bytes, &crate::graphml::tests::sample(true), &[]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains(r#"<graph defaultedgetype="undirected" mode="static">"#));
        assert!(
            text.contains(r#"<node id="a&amp;b" label="Ann &amp; &lt;Co&gt;">"#),
            "{text}"
        );
        assert!(text.contains(r#"<node id="&lt;c&gt;">"#));
    }

    proptest::proptest! {
        #[test]
        fn cut_fixture_never_panics(cut in 0usize..4000, junk in "[<>/\"&;=a-z é]{0,4}") {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/gexf/social.gexf");
            let text = std::fs::read_to_string(path).unwrap();
            let cut = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap();
            let options = LoadOptions::default();
            let _ = read_str(&format!("{}{junk}{}", &text[..cut], &text[cut..]), Path::new("t"), &options);
            let _ = read_str(&text[..cut], Path::new("t"), &options);
        }
    }
}
