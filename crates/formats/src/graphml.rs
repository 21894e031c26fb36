//! GraphML (Brandes et al., *GraphML Progress Report*, 2001; the 1.0 schema at
//! graphml.graphdrawing.org) as written by igraph, networkx, Gephi, yEd and NodeXL: the reader and
//! a writer for Gephi.
//!
//! ## Reading
//!
//! ```xml
//! <graphml>
//!   <key id="d0" for="node" attr.name="name" attr.type="string"><default>?</default></key>
//!   <key id="d1" for="edge" attr.name="weight" attr.type="double"/>
//!   <graph edgedefault="directed">
//!     <node id="a"><data key="d0">Ada</data></node>
//!     <edge source="a" target="b" directed="false"><data key="d1">2</data></edge>
//!   </graph>
//! </graphml>
//! ```
//!
//! - every `<node id>` is a person labelled by its id; its `<data>` become person columns by the
//!   key's `attr.name` (the key id when it has none), mapped as in [`xml_util`]:
//!   `label`/`name` → name, `handle`, `bio`/`description`, `followers` → follower count,
//!   NodeXL's column names included. `<default>`s fill what a node or edge leaves out. Values
//!   are trimmed; `<data>` holding markup (yEd's graphics) is skipped;
//! - every `<edge>` is a follow from `source` to `target`, directed by its `directed` attribute or
//!   else its graph's `edgedefault` (directed when absent); data named `weight`/`value`/
//!   `Edge Weight` is its weight. An edge with data named `kind`, `interaction` or `relationship`
//!   (NodeXL) is an interaction of that kind instead, unless the kind is a follow word;
//! - nested graphs are flattened; hyperedges are ignored with a note.
//!
//! Errors are located by line and column: malformed XML, a root other than `<graphml>`, a node
//! without `id`, an edge without `source`/`target`, `<data>` naming an undeclared key, a weight
//! that is not a number, a node declared twice and an edge end no node declares
//! ([`ErrorKind::UnknownReference`]). Record-level errors follow the
//! [`OnError`](crate::OnError) policy; malformed XML always stops reading.
//!
//! ## Writing
//!
//! [`write()`] writes the follow layer (directed or undirected, with weights), each person column's
//! first value (the name as `label`, which Gephi shows) and extra per-node columns such as a
//! cluster or a PageRank, each typed `long`, `double` or `string` by its values.

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

/// Reads the GraphML file `path` (see the module documentation).
pub fn read(path: &Path, options: &LoadOptions) -> Result<SocialGraph, FormatError> {
    input::parse_text_file(path, options, read_str)
}

/// Reads GraphML held in `text`; `path` names it in errors.
pub fn read_str(
    text: &str,
    path: &Path,
    options: &LoadOptions,
) -> Result<SocialGraph, FormatError> {
    let mut p = Parser {
        path,
        locator: Locator::new(text),
        collector: Collector::new(path, options),
        keys: HashMap::new(),
        graphs: Vec::new(),
        top_default_undirected: None,
        owners: Vec::new(),
        data: None,
        hyperedges: 0,
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
                return Err(p.locator.error(
                    path,
                    at,
                    ErrorKind::Syntax(format!("malformed XML: {e}")),
                ));
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
                if let Some(d) = p.data.as_mut().filter(|d| d.depth == 0) {
                    let text = t.unescape().map_err(|err| {
                        p.locator.error(
                            path,
                            start,
                            ErrorKind::Syntax(format!("malformed XML text: {err}")),
                        )
                    })?;
                    d.text.push_str(&text);
                }
            }
            Event::CData(c) => {
                if let Some(d) = p.data.as_mut().filter(|d| d.depth == 0) {
                    d.text.push_str(&String::from_utf8_lossy(&c.into_inner()));
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
                expected: "a <graphml> document".into(),
            },
        ));
    }
    if p.hyperedges > 0 {
        let n = p.hyperedges;
        p.collector
            .builder_mut()
            .note(format!("GraphML: {n} hyperedge(s) ignored"));
    }
    let undirected = p.top_default_undirected.unwrap_or(false);
    p.collector.finish(undirected)
}

/// What a `<key>` declares.
#[derive(Debug, Default)]
struct Key {
    for_node: bool,
    for_edge: bool,
    name: String,
    default: Option<String>,
}

/// An element that `<data>` may describe.
#[derive(Debug)]
enum Owner {
    Node {
        id: String,
        at: usize,
        data: Vec<(String, String)>,
    },
    Edge {
        record: EdgeRecord,
        at: usize,
        data: Vec<(String, String)>,
    },
    Key {
        id: String,
        key: Key,
    },
    Other,
}

/// A `<data>` or `<default>` being read.
#[derive(Debug)]
struct DataText {
    key: String,
    text: String,
    /// Elements open inside it (markup makes the value structured, hence skipped).
    depth: usize,
    structured: bool,
    at: usize,
}

struct Parser<'a, 't> {
    path: &'a Path,
    locator: Locator<'t>,
    collector: Collector<'a>,
    keys: HashMap<String, Key>,
    /// `edgedefault` of each open graph: true when undirected.
    graphs: Vec<bool>,
    top_default_undirected: Option<bool>,
    owners: Vec<Owner>,
    data: Option<DataText>,
    hyperedges: u64,
    root_seen: bool,
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

    fn start(&mut self, e: &BytesStart<'_>, at: usize) -> Result<(), FormatError> {
        if let Some(d) = self.data.as_mut() {
            d.depth += 1;
            d.structured = true;
            return Ok(());
        }
        let name = e.local_name();
        let name = name.as_ref();
        if !self.root_seen {
            if name != b"graphml" {
                let found = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                return Err(self.err(
                    at,
                    ErrorKind::Syntax(format!(
                        "expected a <graphml> root element, found <{found}>"
                    )),
                ));
            }
            self.root_seen = true;
            return Ok(());
        }
        let attr = |n: &str| xml_util::xml_attr(e, n);
        let owner = match name {
            b"key" => {
                let id = xml_util::required_attr(e, "key", "id").map_err(|k| self.err(at, k))?;
                let target = attr("for").map_err(|k| self.err(at, k))?;
                let target = target.as_deref().unwrap_or("all");
                let key = Key {
                    for_node: matches!(target, "node" | "all"),
                    for_edge: matches!(target, "edge" | "all"),
                    name: attr("attr.name")
                        .map_err(|k| self.err(at, k))?
                        .unwrap_or_else(|| id.clone()),
                    default: None,
                };
                Owner::Key { id, key }
            }
            b"graph" => {
                let default = attr("edgedefault").map_err(|k| self.err(at, k))?;
                let undirected = default.as_deref() == Some("undirected");
                if self.top_default_undirected.is_none() {
                    self.top_default_undirected = Some(undirected);
                }
                self.graphs.push(undirected);
                Owner::Other
            }
            b"node" => match xml_util::required_attr(e, "node", "id") {
                Ok(id) => Owner::Node {
                    id,
                    at,
                    data: Vec::new(),
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
                    data: Vec::new(),
                },
                Err(kind) => {
                    self.record_error(at, kind)?;
                    Owner::Other
                }
            },
            b"hyperedge" => {
                self.hyperedges += 1;
                Owner::Other
            }
            b"data" | b"default" => {
                let key = if name == b"data" {
                    match xml_util::required_attr(e, "data", "key") {
                        Ok(k) => k,
                        Err(kind) => return Err(self.err(at, kind)),
                    }
                } else {
                    String::new()
                };
                self.data = Some(DataText {
                    key,
                    text: String::new(),
                    depth: 0,
                    structured: false,
                    at,
                });
                return Ok(());
            }
            _ => Owner::Other,
        };
        self.owners.push(owner);
        Ok(())
    }

    fn edge_record(&mut self, e: &BytesStart<'_>, at: usize) -> Result<EdgeRecord, ErrorKind> {
        let source = xml_util::required_attr(e, "edge", "source")?;
        let target = xml_util::required_attr(e, "edge", "target")?;
        let default_undirected = self.graphs.last().copied().unwrap_or(false);
        let directed = match xml_util::xml_attr(e, "directed")?.as_deref() {
            Some("true" | "1") => true,
            Some("false" | "0") => false,
            Some(other) => {
                return Err(ErrorKind::InvalidValue {
                    field: "edge attribute `directed`".into(),
                    value: clip(other),
                    expected: "true or false".into(),
                })
            }
            None => !default_undirected,
        };
        let (line, column) = self.locator.locate(at);
        Ok(EdgeRecord {
            source,
            target,
            directed,
            weight: 1.0,
            kind: None,
            line,
            column,
        })
    }

    fn end(&mut self, name: &[u8]) -> Result<(), FormatError> {
        if let Some(d) = self.data.as_mut() {
            if d.depth > 0 {
                d.depth -= 1;
                return Ok(());
            }
        }
        if let Some(d) = self.data.take() {
            return self.end_data(d);
        }
        let Some(owner) = self.owners.pop() else {
            return Ok(()); // the root closes
        };
        if name == b"graph" {
            self.graphs.pop();
        }
        match owner {
            Owner::Key { id, key } => {
                self.keys.insert(id, key);
            }
            Owner::Node { id, at, data } => self.end_node(id, at, data)?,
            Owner::Edge { record, at, data } => self.end_edge(record, at, data)?,
            Owner::Other => {}
        }
        Ok(())
    }

    fn end_data(&mut self, d: DataText) -> Result<(), FormatError> {
        if d.structured {
            return Ok(());
        }
        let value = d.text.trim().to_string();
        let describes_element = matches!(
            self.owners.last(),
            Some(Owner::Node { .. } | Owner::Edge { .. })
        );
        if describes_element && !d.key.is_empty() && !self.keys.contains_key(&d.key) {
            let kind = ErrorKind::UnknownReference {
                what: "GraphML key".into(),
                id: clip(&d.key),
            };
            return self.record_error(d.at, kind);
        }
        match self.owners.last_mut() {
            Some(Owner::Key { key, .. }) if d.key.is_empty() => key.default = Some(value),
            Some(Owner::Node { data, .. } | Owner::Edge { data, .. }) if !d.key.is_empty() => {
                data.push((d.key, value));
            }
            _ => {}
        }
        Ok(())
    }

    /// Turns `(key id, value)` pairs into `(attribute name, value)`, adding the defaults of the
    /// node (or edge) keys the element left out, in key id order.
    fn resolve(&self, data: Vec<(String, String)>, for_edge: bool) -> Vec<(String, String)> {
        let mut defaults: Vec<(&String, &Key)> = self
            .keys
            .iter()
            .filter(|(id, k)| {
                (if for_edge { k.for_edge } else { k.for_node })
                    && k.default.is_some()
                    && !data.iter().any(|(given, _)| given == *id)
            })
            .collect();
        defaults.sort_by(|a, b| a.0.cmp(b.0));
        let mut out: Vec<(String, String)> = defaults
            .into_iter()
            .filter_map(|(_, k)| k.default.clone().map(|v| (k.name.clone(), v)))
            .collect();
        let given = data
            .into_iter()
            .filter_map(|(id, v)| self.keys.get(&id).map(|k| (k.name.clone(), v)));
        out.splice(0..0, given);
        out
    }

    fn end_node(
        &mut self,
        id: String,
        at: usize,
        data: Vec<(String, String)>,
    ) -> Result<(), FormatError> {
        let attributes = self.resolve(data, false);
        let (line, column) = self.locator.locate(at);
        self.collector.add_node(&id, &attributes, line, column)?;
        Ok(())
    }

    fn end_edge(
        &mut self,
        mut record: EdgeRecord,
        at: usize,
        data: Vec<(String, String)>,
    ) -> Result<(), FormatError> {
        let attributes = self.resolve(data, true);
        for (name, value) in attributes {
            if xml_util::is_weight_name(&name) {
                match xml_util::parse_weight(&value) {
                    Ok(w) => record.weight = w,
                    Err(kind) => return self.record_error(at, kind),
                }
            } else if xml_util::is_kind_name(&name) {
                record.kind = Some(value);
            }
        }
        self.collector.add_edge(record);
        Ok(())
    }
}

/// The GraphML namespace and schema.
const GRAPHML_HEADER: &str = concat!(
    r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns""#,
    r#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#,
    r#" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns"#,
    r#" http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
);

/// Writes the follow layer of `graph` as GraphML, with each person column's first value and the
/// extra `node_attributes` columns (`(name, value of node 0, 1, …)`; a missing or short column
/// leaves nodes without a value). See the module documentation.
pub fn write<W: Write>(
    out: W,
    graph: &SocialGraph,
    node_attributes: &[(&str, Vec<String>)],
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    let columns = xml_util::write_columns(graph, node_attributes);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, "{GRAPHML_HEADER}")?;
    for (i, c) in columns.iter().enumerate() {
        writeln!(
            out,
            r#"  <key id="n{i}" for="node" attr.name="{}" attr.type="{}"/>"#,
            escape(&c.name),
            c.value_type.name()
        )?;
    }
    writeln!(
        out,
        r#"  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>"#
    )?;
    let default = if graph.follows.is_undirected() {
        "undirected"
    } else {
        "directed"
    };
    writeln!(out, r#"  <graph id="G" edgedefault="{default}">"#)?;
    for node in 0..graph.node_count() {
        let id = escape(graph.label(NodeId(node as u32)));
        if columns.iter().all(|c| c.values[node].is_none()) {
            writeln!(out, r#"    <node id="{id}"/>"#)?;
            continue;
        }
        writeln!(out, r#"    <node id="{id}">"#)?;
        for (i, c) in columns.iter().enumerate() {
            if let Some(v) = &c.values[node] {
                writeln!(out, r#"      <data key="n{i}">{}</data>"#, escape(v))?;
            }
        }
        writeln!(out, "    </node>")?;
    }
    for (u, v, w) in xml_util::write_edges(graph) {
        writeln!(
            out,
            r#"    <edge source="{}" target="{}"><data key="weight">{w}</data></edge>"#,
            escape(graph.label(NodeId(u))),
            escape(graph.label(NodeId(v)))
        )?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")?;
    out.flush()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use contextivity_graph::{people, BuildConfig, GraphBuilder};

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/graphml")
            .join(name)
    }

    fn parse(text: &str) -> Result<SocialGraph, FormatError> {
        read_str(text, Path::new("t.graphml"), &LoadOptions::default())
    }

    fn message(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    fn id(g: &SocialGraph, label: &str) -> NodeId {
        NodeId(g.labels.iter().position(|l| l == label).unwrap() as u32)
    }

    #[test]
    fn nodexl_style_fixture() {
        let g = crate::load(&fixture("social.graphml"), &LoadOptions::default()).unwrap();
        assert_eq!(
            g.labels.iter().collect::<Vec<_>>(),
            vec!["amélie", "bo", "陳", "dee"]
        );
        let (a, b, c, d) = (id(&g, "amélie"), id(&g, "bo"), id(&g, "陳"), id(&g, "dee"));
        assert_eq!(g.people.get(people::NAME, a), Some("Amélie Poulain"));
        assert_eq!(g.people.get(people::NAME, b), Some("Bo & Co"));
        assert_eq!(g.people.get(people::NAME, c), Some("陳大文"));
        assert_eq!(g.people.get(people::NAME, d), None);
        assert_eq!(g.people.bio(a), Some("Café <owner> & dreamer"));
        assert_eq!(g.people.followers_count(a), Some(1200));
        assert_eq!(g.people.followers_count(d), Some(0));
        let cities: Vec<_> = [a, b, c, d]
            .iter()
            .map(|&n| g.people.get("city", n))
            .collect();
        assert_eq!(
            cities,
            vec![Some("Paris"), Some("Zürich"), Some("Paris"), Some("Paris")]
        );
        assert!(g.people.column("g0").is_none());
        // Follows: a→b (2), b→a (default 1.5), 陳–a undirected (two arcs), dee→a ("Followed").
        assert!(!g.follows.is_undirected());
        assert_eq!(g.follows.edge_count(), 5);
        let out = g.follows.out();
        assert_eq!(out.weight_between(a.index(), b.0), Some(2.0));
        assert_eq!(out.weight_between(b.index(), a.0), Some(1.5));
        assert_eq!(out.weight_between(c.index(), a.0), Some(1.5));
        assert_eq!(out.weight_between(a.index(), c.0), Some(1.5));
        assert_eq!(out.weight_between(d.index(), a.0), Some(1.5));
        assert_eq!(g.follows.reciprocity(), 0.8);
        // Interactions: the reply and the mention.
        let events: Vec<_> = g
            .interactions
            .iter()
            .map(|e| {
                let kind = g.interactions.kinds().name(e.kind).to_string();
                (e.source, e.target, kind, e.weight)
            })
            .collect();
        assert_eq!(
            events,
            vec![
                (d.0, b.0, "reply".to_string(), 1.5),
                (d.0, c.0, "mention".to_string(), 3.0)
            ]
        );
        assert_eq!(
            g.summary.notes,
            vec!["2 edge(s) carried an interaction kind and were read as interactions".to_string()]
        );
    }

    #[test]
    fn undirected_fixture_merges_both_directions() {
        let g = read(&fixture("undirected.graphml"), &LoadOptions::default()).unwrap();
        assert_eq!(g.labels.iter().collect::<Vec<_>>(), vec!["a", "b", "c"]);
        assert!(g.follows.is_undirected());
        assert_eq!(g.follows.edge_count(), 3);
        assert_eq!(g.summary.follow_duplicates_merged, 1);
        assert_eq!(g.follows.out().weight_between(0, 1), Some(0.75));
        assert_eq!(g.follows.out().weight_between(1, 2), Some(1.0));
        assert_eq!(g.follows.out().weight_between(2, 0), Some(4.0));
        assert_eq!(g.people.get(people::NAME, NodeId(0)), Some("Ann"));
        assert_eq!(
            g.summary.notes,
            vec!["GraphML: 1 hyperedge(s) ignored".to_string()]
        );
        let forced = LoadOptions {
            undirected: Some(false),
            ..Default::default()
        };
        let g = read(&fixture("undirected.graphml"), &forced).unwrap();
        assert!(!g.follows.is_undirected());
        assert_eq!(g.follows.edge_count(), 6);
    }

    const HEAD: &str = "<graphml>\n<key id=\"w\" for=\"edge\" attr.name=\"weight\"/>\n<graph edgedefault=\"directed\">\n<node id=\"a\"/>\n";

    #[test]
    fn errors_are_located() {
        let cases = [
            ("<edge source=\"a\" target=\"zz\"/>", "t.graphml:5:1: unknown node `zz`"),
            ("<edge source=\"a\"/>", "t.graphml:5:1: `<edge>` has no `target` attribute"),
            ("<node/>", "t.graphml:5:1: `<node>` has no `id` attribute"),
            ("<node id=\"a\"/>", "t.graphml:5:1: invalid node id `a`: expected an id not declared before"),
            ("<node id=\"b\">\n  <data key=\"d9\">x</data></node>", "t.graphml:6:3: unknown GraphML key `d9`"),
            ("<edge source=\"a\" target=\"a\"><data key=\"w\">heavy</data></edge>", "t.graphml:5:1: invalid edge weight `heavy`: expected a finite number"),
            ("<edge source=\"a\" target=\"a\" directed=\"maybe\"/>", "t.graphml:5:1: invalid edge attribute `directed` `maybe`: expected true or false"),
            ("<node id=\"b\"></nod>", "t.graphml:5:14: malformed XML: ill-formed document: expected `</node>`, but `</nod>` was found"),
        ];
        for (body, expected) in cases {
            let text = format!("{HEAD}{body}\n</graph>\n</graphml>\n");
            assert_eq!(message(&text), expected, "{body}");
        }
        assert_eq!(
            message("<?xml version=\"1.0\"?>\n<gexf/>"),
            "t.graphml:2:1: expected a <graphml> root element, found <gexf>"
        );
        assert_eq!(
            message("  "),
            "t.graphml: file is empty: expected a <graphml> document"
        );
    }

    #[test]
    fn skip_policy_keeps_the_good_records() {
        let options = LoadOptions {
            on_error: crate::OnError::Skip,
            ..Default::default()
        };
        let text = format!(
            "{HEAD}<node/><node id=\"b\"/><edge source=\"a\" target=\"zz\"/><edge source=\"a\" target=\"b\"/>\n</graph></graphml>"
        );
        let g = read_str(&text, Path::new("t.graphml"), &options).unwrap();
        assert_eq!(g.node_count(), 2);
        assert_eq!(g.follows.edge_count(), 1);
        assert_eq!(g.summary.skipped.get("t.graphml: syntax error"), Some(&1));
        assert_eq!(
            g.summary.skipped.get("t.graphml: unknown reference"),
            Some(&1)
        );
    }

    /// A small graph with awkward values: markup characters, a line break, Unicode, a control
    /// character (dropped on writing), numbers.
    pub(crate) fn sample(undirected: bool) -> SocialGraph {
        let mut b = GraphBuilder::new(BuildConfig {
            undirected_follows: undirected,
            ..Default::default()
        });
        let names = ["a&b", "<c>", "ünï \"q\"", "d'e"];
        let ids: Vec<NodeId> = names.iter().map(|n| b.node(n).unwrap()).collect();
        b.set_attribute(ids[0], people::NAME, "Ann & <Co>");
        b.set_attribute(ids[0], people::BIO, "line one\nline two\u{1}");
        b.set_attribute(ids[1], people::HANDLE, "@c");
        b.set_attribute(ids[2], people::FOLLOWERS_COUNT, "17");
        b.set_attribute(ids[2], people::NAME, "Ünï");
        b.set_attribute(ids[3], "school", "x");
        b.set_attribute(ids[3], "school", "y");
        b.add_follow(ids[0], ids[1], 1.0);
        b.add_follow(ids[1], ids[0], 2.5);
        b.add_follow(ids[2], ids[3], 0.125);
        b.add_follow(ids[3], ids[0], 1.0);
        b.build().unwrap()
    }

    fn extras() -> Vec<(&'static str, Vec<String>)> {
        vec![
            (
                "cluster",
                vec!["0".into(), "0".into(), "1".into(), "1".into()],
            ),
            ("pagerank", vec!["0.4".into(), "0.3".into(), "0.2".into()]),
        ]
    }

    /// A writer under test.
    pub(crate) type WriteFn =
        fn(&mut Vec<u8>, &SocialGraph, &[(&str, Vec<String>)]) -> std::io::Result<()>;
    /// A reader under test.
    pub(crate) type ReadFn = fn(&str, &Path, &LoadOptions) -> Result<SocialGraph, FormatError>;

    /// Writes with `write`, reads back with `read`, and checks everything survived.
    pub(crate) fn round_trip(write: WriteFn, read: ReadFn) {
        for undirected in [false, true] {
            let g = sample(undirected);
            let mut bytes = Vec::new();
            write(&mut bytes, &g, &extras()).unwrap();
            let text = String::from_utf8(bytes).unwrap();
            let back = read(&text, Path::new("out"), &LoadOptions::default()).unwrap();
            assert_eq!(back.labels, g.labels);
            assert_eq!(back.follows, g.follows, "undirected: {undirected}");
            for column in [people::NAME, people::HANDLE, people::FOLLOWERS_COUNT] {
                assert_eq!(
                    back.people.column(column),
                    g.people.column(column),
                    "{column}"
                );
            }
            assert_eq!(back.people.bio(NodeId(0)), Some("line one\nline two"));
            // Only the first value of a column is written.
            assert_eq!(back.people.get("school", NodeId(3)), Some("x"));
            assert_eq!(back.people.column("school").unwrap().len(), 1);
            let cluster: Vec<_> = (0..4)
                .map(|i| back.people.get("cluster", NodeId(i)))
                .collect();
            assert_eq!(cluster, vec![Some("0"), Some("0"), Some("1"), Some("1")]);
            assert_eq!(back.people.get("pagerank", NodeId(2)), Some("0.2"));
            assert_eq!(back.people.get("pagerank", NodeId(3)), None);
        }
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
        round_trip(write_vec, read_str);
        let mut bytes = Vec::new();
        write(&mut bytes, &sample(false), &extras()).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.contains(r#"<key id="n5" for="node" attr.name="cluster" attr.type="long"/>"#),
            "{text}"
        );
        assert!(text.contains(r#"attr.name="pagerank" attr.type="double""#));
        assert!(text.contains(r#"<node id="a&amp;b">"#));
        assert!(text.contains(r#"<data key="n0">line one&#10;line two</data>"#));
    }

    #[test]
    fn shared_data_round_trips() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/lesmis");
        let path = dir.join("lesmis.gml");
        if !path.is_file() {
            return;
        }
        let g = crate::gml::read(&path, &LoadOptions::default()).unwrap();
        let mut bytes = Vec::new();
        write(&mut bytes, &g, &[]).unwrap();
        let back = read_str(
            &String::from_utf8(bytes).unwrap(),
            Path::new("x"),
            &LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(back.node_count(), 77);
        assert_eq!(back.follows.edge_count(), 254);
        assert_eq!(back.follows, g.follows);
        assert_eq!(back.people, g.people);
    }

    proptest::proptest! {
        #[test]
        fn cut_fixture_never_panics(cut in 0usize..4000, junk in "[<>/\"&;=a-z é]{0,4}") {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/graphml/social.graphml");
            let text = std::fs::read_to_string(path).unwrap();
            let cut = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap();
            let options = LoadOptions::default();
            let _ = read_str(&format!("{}{junk}{}", &text[..cut], &text[cut..]), Path::new("t"), &options);
            let _ = read_str(&text[..cut], Path::new("t"), &options);
        }
    }
}
