//! Ground-truth and membership files: who belongs to which community.
//!
//! Two layouts are read, plain or gzip/zstd-compressed:
//!
//! | [`TruthFormat`] | layout | typical files |
//! |---|---|---|
//! | [`Pairs`](TruthFormat::Pairs) | `node community` per line | LFR `*.gt`, `community.dat`, other tools' `node_id,cluster_id` output |
//! | [`Communities`](TruthFormat::Communities) | one community per line, members separated by white space | SNAP `*.cmty.txt`, ego `*.circles` (`circle0<TAB>71<TAB>215…`) |
//!
//! **Pairs.** Fields are separated by tabs when the line holds a tab, else by commas when it holds
//! a comma, else by white space; so a node label may contain spaces in a tab- or comma-separated
//! file. The first field is the node, every further field (split again at white space) one of its
//! communities: a node on several lines, or with several communities on one line (LFR's
//! overlapping `community.dat`), belongs to all of them. A line with a single field is an error.
//! The first line may be a header (`node_id<TAB>cluster_id`, `node,community` …): it is skipped
//! when one of its words is `node`, `vertex`, `id`, `cluster`, `community`, `module`, `label` or
//! `membership`.
//!
//! **Communities.** Fields are separated by white space. When the first field of a line is not an
//! integer it is the community's name (`circle0`); otherwise the community is named by its
//! position among the communities (`0`, `1`, …). A line that holds only a name is an empty
//! community.
//!
//! In both, blank lines and lines starting with `#` or `%` are skipped, and a file without any
//! data line is an error. Node and community labels are kept as strings ([`LabeledCover`]) so that
//! a file can be lined up with a graph's labels ([`LabeledCover::on_graph`]) or with another file
//! ([`align`], [`align_shared`]).
//!
//! [`write_pairs`] and [`write_cover_pairs`] write the `label<TAB>community` layout back.
//!
//! **SNAP ego directories** (`EGO.circles` beside `EGO.feat` and `EGO.edges`) are read by
//! [`ego::read`] as a ground truth per ego: each ego's circles with the people they are drawn
//! from, to be scored on those people only, as McAuley & Leskovec score social circles.

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use contextivity_graph::{Cover, LabelTable, NodeId, Partition};

use crate::error::{ErrorKind, FormatError};
use crate::input;

pub mod ego;

/// Number of data lines format detection looks at.
const DETECT_LINES: usize = 1000;

/// Header words that mark the first line of a pairs file as a header.
const HEADER_WORDS: &[&str] = &[
    "node",
    "nodes",
    "vertex",
    "id",
    "cluster",
    "community",
    "module",
    "label",
    "membership",
];

/// The layout of a membership file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TruthFormat {
    /// `node community` per line; a node may appear on several lines.
    Pairs,
    /// One community per line, optionally led by its name.
    Communities,
}

/// Communities whose members are named by label, as read from a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabeledCover {
    /// Every distinct node label, in order of first appearance in the file.
    pub node_labels: Vec<String>,
    /// The name of every community (the label in a pairs file; the leading name, or the
    /// position, in a communities file).
    pub community_names: Vec<String>,
    /// The members of every community: sorted, distinct indices into `node_labels`.
    pub communities: Vec<Vec<u32>>,
}

impl LabeledCover {
    /// Number of distinct nodes named in the file.
    pub fn node_count(&self) -> usize {
        self.node_labels.len()
    }

    /// The cover over the file's own nodes (node id = index into `node_labels`).
    pub fn to_cover(&self) -> Cover {
        Cover::with_names(
            self.node_labels.len(),
            self.communities.clone(),
            self.community_names.clone(),
        )
    }

    /// The cover over a graph's nodes: each label is looked up in `labels` (a graph's label
    /// table); members the graph does not know are dropped. Returns the cover (with the graph's
    /// node count) and the number of distinct file labels that were not found.
    pub fn on_graph(&self, labels: &LabelTable) -> (Cover, usize) {
        let index: HashMap<&str, u32> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l, i as u32))
            .collect();
        let map: Vec<Option<u32>> = self
            .node_labels
            .iter()
            .map(|l| index.get(l.as_str()).copied())
            .collect();
        let unknown = map.iter().filter(|m| m.is_none()).count();
        (self.remapped(labels.len(), &map), unknown)
    }

    /// The communities with every member `m` replaced by `map[m]` (dropped when `None`).
    fn remapped(&self, nodes: usize, map: &[Option<u32>]) -> Cover {
        let communities = self
            .communities
            .iter()
            .map(|members| {
                members
                    .iter()
                    .filter_map(|&m| map.get(m as usize).copied().flatten())
                    .collect()
            })
            .collect();
        Cover::with_names(nodes, communities, self.community_names.clone())
    }
}

/// Lines both covers onto the **union** of their node labels: the nodes of `a` in their order,
/// then those only `b` names. A node named by one file only belongs to no community of the
/// other. Use this for overlapping measures (ONMI, F1), where an unassigned node is meaningful;
/// it reproduces how McDaid's `onmi` tool counts nodes.
pub fn align(a: &LabeledCover, b: &LabeledCover) -> (Cover, Cover) {
    let mut index: HashMap<&str, u32> = HashMap::new();
    let mut map_a = Vec::with_capacity(a.node_labels.len());
    for label in &a.node_labels {
        let next = index.len() as u32;
        map_a.push(Some(*index.entry(label.as_str()).or_insert(next)));
    }
    let mut map_b = Vec::with_capacity(b.node_labels.len());
    for label in &b.node_labels {
        let next = index.len() as u32;
        map_b.push(Some(*index.entry(label.as_str()).or_insert(next)));
    }
    let nodes = index.len();
    (a.remapped(nodes, &map_a), b.remapped(nodes, &map_b))
}

/// Lines both covers onto the **intersection** of their node labels (in `a`'s order); members
/// named by one file only are dropped. Use this for NMI and ARI of two partitions, which need
/// every compared node to have a cluster on both sides (then [`to_partition`] each cover).
pub fn align_shared(a: &LabeledCover, b: &LabeledCover) -> (Cover, Cover) {
    let in_b: HashMap<&str, usize> = b
        .node_labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let mut map_a = vec![None; a.node_labels.len()];
    let mut map_b = vec![None; b.node_labels.len()];
    let mut next = 0u32;
    for (i, label) in a.node_labels.iter().enumerate() {
        if let Some(&j) = in_b.get(label.as_str()) {
            map_a[i] = Some(next);
            map_b[j] = Some(next);
            next += 1;
        }
    }
    let nodes = next as usize;
    (a.remapped(nodes, &map_a), b.remapped(nodes, &map_b))
}

/// The partition a cover describes, when every node belongs to exactly one (non-empty)
/// community; `None` when a node is in none or in several.
///
/// Clusters are numbered by first appearance in node order (see
/// [`Partition::from_labels`]), not by community index.
pub fn to_partition(cover: &Cover) -> Option<Partition> {
    let mut cluster = vec![u32::MAX; cover.node_count()];
    for (c, members) in cover.communities().iter().enumerate() {
        for &m in members {
            let slot = cluster.get_mut(m as usize)?;
            if *slot != u32::MAX {
                return None;
            }
            *slot = c as u32;
        }
    }
    if cluster.contains(&u32::MAX) {
        return None;
    }
    Some(Partition::from_labels(&cluster))
}

/// Decides the layout of `path` (see [`detect_text`]).
pub fn detect(path: &Path) -> Result<TruthFormat, FormatError> {
    let text = input::read_text(path)?;
    Ok(detect_text(&input::logical_name(path), &text))
}

/// Decides the layout of a file from its name (compression suffix removed) and content.
///
/// By name: `.circles`, `.cmty`, `.cmty.txt` and `.communities` are [`TruthFormat::Communities`];
/// `.gt`, `.pairs`, `.dat`, `.csv` and `.tsv` are [`TruthFormat::Pairs`]. Otherwise by the first
/// 1000 data lines: a header line, or at least half of the lines holding exactly two
/// fields, means pairs; anything else one community per line.
pub fn detect_text(name: &str, text: &str) -> TruthFormat {
    let name = name.to_lowercase();
    if [".circles", ".cmty", ".cmty.txt", ".communities"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        return TruthFormat::Communities;
    }
    if [".gt", ".pairs", ".dat", ".csv", ".tsv"]
        .iter()
        .any(|ext| name.ends_with(ext))
    {
        return TruthFormat::Pairs;
    }
    let mut lines = data_lines(text).take(DETECT_LINES).peekable();
    if let Some(&(_, first)) = lines.peek() {
        if is_header(first) {
            return TruthFormat::Pairs;
        }
    }
    let (mut total, mut two) = (0usize, 0usize);
    for (_, line) in lines {
        total += 1;
        if pair_fields(line).len() == 2 {
            two += 1;
        }
    }
    if total > 0 && 2 * two >= total {
        TruthFormat::Pairs
    } else {
        TruthFormat::Communities
    }
}

/// Reads a membership file in the given layout, or the detected one when `format` is `None`.
///
/// # Errors
///
/// A [`FormatError`] naming the file, and the line where there is one: the file cannot be read
/// or is not UTF-8; it holds no data line (`file is empty: …`); a pairs line has a single field
/// (`expected 2 columns, found 1`).
pub fn read(path: &Path, format: Option<TruthFormat>) -> Result<LabeledCover, FormatError> {
    let text = input::read_text(path)?;
    let format = format.unwrap_or_else(|| detect_text(&input::logical_name(path), &text));
    parse(path, &text, format)
}

/// Parses the text of a membership file; `path` only names the file in errors.
pub fn parse(path: &Path, text: &str, format: TruthFormat) -> Result<LabeledCover, FormatError> {
    let mut out = Collector::default();
    let mut lines = data_lines(text).peekable();
    match format {
        TruthFormat::Pairs => {
            if let Some(&(_, first)) = lines.peek() {
                if is_header(first) {
                    lines.next();
                }
            }
            for (number, line) in lines {
                let fields = pair_fields(line);
                if fields.len() < 2 {
                    return Err(FormatError::at(
                        path,
                        number,
                        ErrorKind::ColumnCount {
                            expected: 2,
                            found: fields.len(),
                        },
                    ));
                }
                let node = out.node(fields[0]);
                for community in fields[1..].iter().flat_map(|f| f.split_whitespace()) {
                    let c = out.named_community(community);
                    out.members[c as usize].push(node);
                }
            }
        }
        TruthFormat::Communities => {
            for (_, line) in lines {
                let mut fields = line.split_whitespace().peekable();
                let name = match fields.peek() {
                    Some(first) if first.parse::<i64>().is_err() => fields.next(),
                    _ => None,
                };
                let c = out.new_community(name);
                for member in fields {
                    let node = out.node(member);
                    out.members[c].push(node);
                }
            }
        }
    }
    if out.members.is_empty() {
        let expected = match format {
            TruthFormat::Pairs => "`node community` lines",
            TruthFormat::Communities => "one community per line",
        };
        return Err(FormatError::new(
            path,
            ErrorKind::Empty {
                expected: expected.into(),
            },
        ));
    }
    Ok(out.finish())
}

/// Writes a partition as `label<TAB>cluster` lines, one per node in node-id order.
///
/// # Errors
///
/// `InvalidInput` when `labels` and `partition` differ in length, `InvalidData` when a label
/// holds a tab or a line break (it could not be read back), and any error of `out`.
pub fn write_pairs<W: Write>(out: W, labels: &LabelTable, partition: &Partition) -> io::Result<()> {
    if labels.len() != partition.len() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} labels for a partition of {} nodes",
                labels.len(),
                partition.len()
            ),
        ));
    }
    let mut out = BufWriter::new(out);
    for (label, &cluster) in labels.iter().zip(partition.assignment()) {
        writeln!(out, "{}\t{cluster}", checked_label(label)?)?;
    }
    out.flush()
}

/// Writes a cover as `label<TAB>community` lines: for every node in node-id order, one line per
/// community it belongs to (in community order), the community given by its name. Nodes in no
/// community get no line.
///
/// # Errors
///
/// `InvalidInput` when `labels` and the cover's node count differ or a member is out of range,
/// `InvalidData` when a label holds a tab or a line break or a community name is empty or holds
/// white space, and any error of `out`.
pub fn write_cover_pairs<W: Write>(out: W, labels: &LabelTable, cover: &Cover) -> io::Result<()> {
    if labels.len() != cover.node_count() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} labels for a cover of {} nodes",
                labels.len(),
                cover.node_count()
            ),
        ));
    }
    let names: Vec<String> = (0..cover.len())
        .map(|c| {
            cover
                .names()
                .get(c)
                .cloned()
                .unwrap_or_else(|| c.to_string())
        })
        .collect();
    for name in &names {
        if name.is_empty() || name.chars().any(char::is_whitespace) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("community name `{name}` is empty or holds white space"),
            ));
        }
    }
    let mut memberships: Vec<Vec<u32>> = vec![Vec::new(); cover.node_count()];
    for (c, members) in cover.communities().iter().enumerate() {
        for &m in members {
            match memberships.get_mut(m as usize) {
                Some(slot) => slot.push(c as u32),
                None => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!(
                            "community `{}` lists node {m}, beyond the {} labels",
                            names[c],
                            labels.len()
                        ),
                    ))
                }
            }
        }
    }
    let mut out = BufWriter::new(out);
    for (node, communities) in memberships.iter().enumerate() {
        if communities.is_empty() {
            continue;
        }
        let label = checked_label(labels.get(NodeId(node as u32)))?;
        for &c in communities {
            writeln!(out, "{label}\t{}", names[c as usize])?;
        }
    }
    out.flush()
}

/// A label that can be written on a tab-separated line.
fn checked_label(label: &str) -> io::Result<&str> {
    if label.contains(['\t', '\n', '\r']) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "label `{}` holds a tab or a line break",
                label.escape_debug()
            ),
        ));
    }
    Ok(label)
}

/// `(1-based line number, trimmed line)` of every line that is neither blank nor a comment.
fn data_lines(text: &str) -> impl Iterator<Item = (u64, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#') && !l.starts_with('%'))
}

/// The fields of a pairs line: split at tabs, else commas, else white space; empty fields dropped.
fn pair_fields(line: &str) -> Vec<&str> {
    let fields: Vec<&str> = if line.contains('\t') {
        line.split('\t').collect()
    } else if line.contains(',') {
        line.split(',').collect()
    } else {
        line.split_whitespace().collect()
    };
    fields
        .into_iter()
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect()
}

/// Whether a line is a header: one of its words (split at anything but letters and digits) is a header
/// word, compared without case.
fn is_header(line: &str) -> bool {
    line.split(|c: char| !c.is_alphanumeric())
        .any(|word| HEADER_WORDS.contains(&word.to_lowercase().as_str()))
}

/// Interns labels and names while a file is parsed.
#[derive(Default)]
struct Collector {
    node_index: HashMap<String, u32>,
    node_labels: Vec<String>,
    community_index: HashMap<String, u32>,
    community_names: Vec<String>,
    members: Vec<Vec<u32>>,
}

impl Collector {
    fn node(&mut self, label: &str) -> u32 {
        if let Some(&id) = self.node_index.get(label) {
            return id;
        }
        let id = self.node_labels.len() as u32;
        self.node_index.insert(label.to_string(), id);
        self.node_labels.push(label.to_string());
        id
    }

    /// The community called `name` (pairs layout), created on first sight.
    fn named_community(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.community_index.get(name) {
            return id;
        }
        let id = self.new_community(Some(name)) as u32;
        self.community_index.insert(name.to_string(), id);
        id
    }

    /// A new community (communities layout), named by its position when `name` is `None`.
    fn new_community(&mut self, name: Option<&str>) -> usize {
        let id = self.members.len();
        self.community_names
            .push(name.map_or_else(|| id.to_string(), str::to_string));
        self.members.push(Vec::new());
        id
    }

    fn finish(self) -> LabeledCover {
        let communities = self
            .members
            .into_iter()
            .map(|mut m| {
                m.sort_unstable();
                m.dedup();
                m
            })
            .collect();
        LabeledCover {
            node_labels: self.node_labels,
            community_names: self.community_names,
            communities,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn shared(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared")
            .join(rel)
    }

    #[test]
    fn pairs_with_header_comments_and_overlap() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "truth.txt",
            "node_id\tcluster_id\n# a comment\n% another\nalice\tred\nbob\tred\n\ncarol\tblue\nalice\tblue\nbob red\n",
        );
        assert_eq!(detect(&path).unwrap(), TruthFormat::Pairs);
        let t = read(&path, None).unwrap();
        assert_eq!(t.node_labels, vec!["alice", "bob", "carol"]);
        assert_eq!(t.community_names, vec!["red", "blue"]);
        assert_eq!(t.communities, vec![vec![0, 1], vec![0, 2]]);
        let cover = t.to_cover();
        assert!(!cover.is_disjoint());
        assert_eq!(cover.names(), &["red".to_string(), "blue".to_string()]);
        assert!(to_partition(&cover).is_none());
    }

    #[test]
    fn pairs_separators_and_several_communities_per_line() {
        let dir = tempfile::tempdir().unwrap();
        // Comma-separated with a header; a label with a space in a tab line; LFR-style
        // `node<TAB>c1 c2` overlap.
        let path = write(
            &dir,
            "members",
            "Node,Community\nann lee\t1\nbo,2\n7\t1 2 \n",
        );
        let t = read(&path, Some(TruthFormat::Pairs)).unwrap();
        assert_eq!(t.node_labels, vec!["ann lee", "bo", "7"]);
        assert_eq!(t.community_names, vec!["1", "2"]);
        assert_eq!(t.communities, vec![vec![0, 2], vec![1, 2]]);
    }

    #[test]
    fn communities_named_and_unnamed() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "ego.circles",
            "circle0\t71\t215\t54\ncircle1\t173\ncircle2\n",
        );
        let t = read(&path, None).unwrap();
        assert_eq!(t.community_names, vec!["circle0", "circle1", "circle2"]);
        assert_eq!(t.node_labels, vec!["71", "215", "54", "173"]);
        assert_eq!(t.communities, vec![vec![0, 1, 2], vec![3], vec![]]);

        // SNAP .cmty.txt: unnamed, named by position; detected from the content too.
        let text = "1 2 3\n3 4 5 6\n7\n";
        assert_eq!(detect_text("x.cmty.txt", text), TruthFormat::Communities);
        assert_eq!(detect_text("unknown", text), TruthFormat::Communities);
        let path = write(&dir, "unknown", text);
        let t = read(&path, None).unwrap();
        assert_eq!(t.community_names, vec!["0", "1", "2"]);
        assert_eq!(t.communities.len(), 3);
        assert_eq!(t.communities[1].len(), 4);
        let cover = t.to_cover();
        assert_eq!(cover.node_count(), 7);
        assert_eq!(cover.covered_nodes(), 7);
    }

    #[test]
    fn detection_by_name_and_content() {
        assert_eq!(detect_text("lfr.gt", "1 2 3\n"), TruthFormat::Pairs);
        assert_eq!(detect_text("a.circles", "c 1\n"), TruthFormat::Communities);
        assert_eq!(detect_text("plain", "1 5\n2 5\n3 6\n"), TruthFormat::Pairs);
        assert_eq!(
            detect_text("plain", "node cluster\n1 2 3\n"),
            TruthFormat::Pairs
        );
        assert_eq!(
            detect_text("plain", "1 2 3\n4 5\n6 7 8\n"),
            TruthFormat::Communities
        );
        // A first data line with "node1" is data, not a header.
        assert!(!is_header("node1 community7"));
        assert!(is_header("# ignored\tvertex\tmodule"));
    }

    #[test]
    fn a_pairs_line_with_one_field_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, "bad.gt", "0 0\n# comment\n1\n2 1\n");
        let e = read(&path, None).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(
            e.to_string(),
            format!("{}:3: expected 2 columns, found 1", path.display())
        );
    }

    #[test]
    fn an_empty_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, "empty.gt", "");
        let e = read(&path, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: file is empty: expected `node community` lines",
                path.display()
            )
        );
        let path = write(&dir, "only_comments.cmty", "# nothing\n\n% here\n");
        let e = read(&path, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: file is empty: expected one community per line",
                path.display()
            )
        );
        // A header alone holds no data either.
        let path = write(&dir, "header.tsv", "node\tcommunity\n");
        assert!(matches!(
            read(&path, None).unwrap_err().kind,
            ErrorKind::Empty { .. }
        ));
    }

    #[test]
    fn write_then_read_back() {
        let mut labels = LabelTable::new();
        for l in ["zoe", "yan", "xi", "wu"] {
            labels.push(l);
        }
        let p = Partition::from_labels(&[0, 1, 0, 2]);
        let mut buf = Vec::new();
        write_pairs(&mut buf, &labels, &p).unwrap();
        assert_eq!(
            String::from_utf8(buf.clone()).unwrap(),
            "zoe\t0\nyan\t1\nxi\t0\nwu\t2\n"
        );

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.tsv.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&buf).unwrap();
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        let back = read(&path, None).unwrap();
        let (cover, unknown) = back.on_graph(&labels);
        assert_eq!(unknown, 0);
        let again = to_partition(&cover).unwrap();
        assert_eq!(again.assignment(), p.assignment());

        let cover = Cover::with_names(
            4,
            vec![vec![0, 2], vec![2, 3]],
            vec!["a".into(), "b".into()],
        );
        let mut buf = Vec::new();
        write_cover_pairs(&mut buf, &labels, &cover).unwrap();
        assert_eq!(
            String::from_utf8(buf.clone()).unwrap(),
            "zoe\ta\nxi\ta\nxi\tb\nwu\tb\n"
        );
        let back = parse(
            Path::new("mem"),
            std::str::from_utf8(&buf).unwrap(),
            TruthFormat::Pairs,
        )
        .unwrap();
        assert_eq!(back.on_graph(&labels).0, cover);
    }

    #[test]
    fn writing_refuses_what_cannot_be_read_back() {
        let mut labels = LabelTable::new();
        labels.push("a\tb");
        let e = write_pairs(Vec::new(), &labels, &Partition::singletons(1)).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        let e = write_pairs(Vec::new(), &labels, &Partition::singletons(2)).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        let ok = LabelTable::numbered(2);
        let spaced = Cover::with_names(2, vec![vec![0]], vec!["two words".into()]);
        let e = write_cover_pairs(Vec::new(), &ok, &spaced).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        let beyond = Cover::new(2, vec![vec![5]]);
        let e = write_cover_pairs(Vec::new(), &ok, &beyond).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn alignment_on_union_and_intersection() {
        let a = parse(Path::new("a"), "x 0\ny 0\nz 1\n", TruthFormat::Pairs).unwrap();
        let b = parse(Path::new("b"), "z 5\nw 5\ny 6\n", TruthFormat::Pairs).unwrap();
        // Union: x, y, z from a, then w.
        let (ca, cb) = align(&a, &b);
        assert_eq!((ca.node_count(), cb.node_count()), (4, 4));
        assert_eq!(ca.communities(), &[vec![0, 1], vec![2]]);
        assert_eq!(cb.communities(), &[vec![2, 3], vec![1]]);
        // Intersection: y, z (in a's order).
        let (sa, sb) = align_shared(&a, &b);
        assert_eq!((sa.node_count(), sb.node_count()), (2, 2));
        assert_eq!(sa.communities(), &[vec![0], vec![1]]);
        assert_eq!(sb.communities(), &[vec![1], vec![0]]);
        let (pa, pb) = (to_partition(&sa).unwrap(), to_partition(&sb).unwrap());
        assert_eq!(pa.assignment(), &[0, 1]);
        assert_eq!(pb.assignment(), &[0, 1]);
        // On a graph: unknown labels are counted and dropped.
        let mut graph_labels = LabelTable::new();
        graph_labels.push("z");
        graph_labels.push("y");
        let (on, unknown) = a.on_graph(&graph_labels);
        assert_eq!(unknown, 1);
        assert_eq!(on.communities(), &[vec![1], vec![0]]);
        assert!(to_partition(&Cover::new(3, vec![vec![0, 1]])).is_none());
    }

    #[test]
    fn lfr_ground_truth_file() {
        let path = shared("peers/graphs/lfr_10k_mu0.3.gt");
        if !path.exists() {
            return;
        }
        assert_eq!(detect(&path).unwrap(), TruthFormat::Pairs);
        let t = read(&path, None).unwrap();
        assert_eq!(t.node_count(), 10_000);
        assert_eq!(t.communities.len(), 196);
        let sizes: Vec<usize> = t.communities.iter().map(Vec::len).collect();
        assert!(sizes.iter().all(|&s| (20..=100).contains(&s)), "{sizes:?}");
        let p = to_partition(&t.to_cover()).unwrap();
        assert_eq!(p.len(), 10_000);
        assert_eq!(p.cluster_count(), 196);
        // The same file on its numbered graph: every label is known.
        let (cover, unknown) = t.on_graph(&LabelTable::numbered(10_000));
        assert_eq!(unknown, 0);
        assert_eq!(cover.covered_nodes(), 10_000);
    }

    #[test]
    fn ego_facebook_circles() {
        let path = shared("data/ego_facebook/facebook/0.circles");
        if !path.exists() {
            return;
        }
        assert_eq!(detect(&path).unwrap(), TruthFormat::Communities);
        let t = read(&path, None).unwrap();
        // 24 circles for ego 0 (data/ego_facebook/README.md).
        assert_eq!(t.communities.len(), 24);
        assert_eq!(t.community_names[0], "circle0");
        assert_eq!(t.community_names[23], "circle23");
        assert_eq!(t.communities[1].len(), 1);
        assert_eq!(t.node_labels[t.communities[1][0] as usize], "173");
        // Circles overlap and leave friends out.
        assert!(!t.to_cover().is_disjoint());
        let first_line_members = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .split_whitespace()
            .count()
            - 1;
        assert_eq!(t.communities[0].len(), first_line_members);
    }
}
