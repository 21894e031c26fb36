//! SNAP ego networks: the layout of SNAP's "Social circles" data sets (McAuley & Leskovec,
//! *Learning to Discover Social Circles in Ego Networks*, NIPS 2012), five files per ego:
//!
//! | file | content |
//! |---|---|
//! | `EGO.edges` | ties among the ego's friends, `u v` per line (the ego itself is not listed) |
//! | `EGO.feat` | one line per friend: `node f0 f1 … fK`, binary profile features |
//! | `EGO.egofeat` | the ego's own features `f0 … fK` |
//! | `EGO.featnames` | `k name` per feature, e.g. `0 birthday;anonymized feature 0` |
//! | `EGO.circles` | the ego's hand-labelled friend lists: `circleN<TAB>member<TAB>member…` |
//!
//! [`read`] takes either a directory (every `EGO.edges` in it, combined) or one `EGO.edges` file
//! (that ego only); companions may be gzip- or zstd-compressed (`0.feat.gz`). How the files
//! become a graph:
//!
//! - **Ties.** Every `u v` line is a friendship. The ego is tied to every alter — every node of
//!   its `.feat`, `.edges` and `.circles` files — since the files leave those ties out. Node ids
//!   are global across egos (as in SNAP's Facebook set), so the combined graph is the union;
//!   for Facebook it is exactly `facebook_combined.txt` (4,039 people, 88,234 ties). Ties are
//!   read as undirected ([`LoadOptions::build_config`] with `naturally_undirected = true`); pass
//!   `undirected = Some(false)` for the directed Twitter and Google+ ego sets, where `u v` means
//!   u follows v and the ego follows every alter.
//! - **Features.** For each feature a person holds (value 1), the feature's name splits into an
//!   attribute column and a value at its last `;`: `education;school;id;anonymized feature 50`
//!   gives column `education;school;id` the value `anonymized feature 50`. Names without `;` but
//!   with `:` (Google+: `gender:1`) split at the first `:`; names with neither (Twitter hashtags
//!   and mentions) go to the column `feature`. A person may hold several values of one column
//!   and is described by every ego that lists them (each value kept once). Columns that would
//!   collide with the standard person fields (`handle`, `name`, `bio`, `followers_count`) are
//!   renamed `feature;…` — Facebook's anonymised `name` feature must not pose as a display name.
//! - **Circles** become ground-truth communities named `EGO/CIRCLE` (`0/circle3`), so scores can
//!   be computed per ego; [`circle_ego`] splits such a name.
//!
//! Errors are located (`0.feat:12: …`): a line with the wrong number of fields, an id that is
//! not a non-negative integer, a feature value other than 0/1, a feature index beyond what
//! `.featnames` names, a circle member that is not a number. Under [`OnError::Skip`] a bad line
//! is counted and left out.
//!
//! Cost: one pass over each file, O(total lines + total feature values) time.
//!
//! [`OnError::Skip`]: crate::OnError::Skip

// `FormatError` carries the path, line, column and what went wrong; clippy finds it large. It is
// built only for a bad record, so the size costs nothing on good input. (Boxing it belongs in
// `error.rs`; this allow can go then.)
#![allow(clippy::result_large_err)]

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use contextivity_graph::people::{BIO, FOLLOWERS_COUNT, HANDLE, NAME};
use contextivity_graph::{GraphBuilder, NodeId, SocialGraph};

use crate::error::clip;
use crate::{input, ErrorKind, FormatError, LoadOptions};

/// The companion files of `EGO.edges`, by extension.
pub const COMPANIONS: [&str; 4] = ["circles", "feat", "egofeat", "featnames"];

/// What separates the ego from the circle in a ground-truth community name (`0/circle3`).
pub const CIRCLE_SEPARATOR: char = '/';

/// The column of features whose names carry no `;` or `:` (Twitter's `#tag`, `@user`).
pub const PLAIN_FEATURE_COLUMN: &str = "feature";

/// Reads a SNAP ego-network directory (all egos combined) or one `EGO.edges` file (that ego).
pub fn read(path: &Path, options: &LoadOptions) -> Result<SocialGraph, FormatError> {
    let (egos, ignored) = if path.is_dir() {
        ego_files_in(path)?
    } else {
        (vec![ego_files_of(path)?], Vec::new())
    };
    if egos.is_empty() {
        return Err(FormatError::new(
            path,
            ErrorKind::Empty {
                expected: "SNAP ego files named after their ego (`0.edges`, `0.circles` …)".into(),
            },
        ));
    }
    let mut reader = EgoReader {
        options,
        builder: GraphBuilder::new(options.build_config(true)),
        pairs: HashMap::new(),
        pair_list: Vec::new(),
        held: BTreeSet::new(),
        bytes: 0,
        circles: 0,
        ego_ties: 0,
    };
    for ego in &egos {
        reader.read_ego(ego)?;
    }
    reader.finish(path, egos.len(), &ignored)
}

/// Whether a directory holds SNAP ego files: some `EGO.edges` with at least one companion.
pub fn looks_like(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries
        .filter_map(Result::ok)
        .any(|e| looks_like_file(&e.path()))
}

/// Whether a `.edges` file sits beside its ego companions (`.circles`, `.feat` …).
pub fn looks_like_file(path: &Path) -> bool {
    let Some((dir, stem)) = edges_stem(path) else {
        return false;
    };
    path.is_file()
        && COMPANIONS
            .iter()
            .any(|ext| companion(&dir, &stem, ext).is_some())
}

/// The ego a ground-truth community named `EGO/CIRCLE` belongs to, or `None` for a name without
/// the separator.
pub fn circle_ego(name: &str) -> Option<&str> {
    name.split_once(CIRCLE_SEPARATOR).map(|(ego, _)| ego)
}

/// The files of one ego.
#[derive(Debug)]
struct EgoFiles {
    /// The ego's id as written in the file name.
    ego: u64,
    edges: PathBuf,
    feat: Option<PathBuf>,
    egofeat: Option<PathBuf>,
    featnames: Option<PathBuf>,
    circles: Option<PathBuf>,
}

/// `(directory, stem)` of a path named `STEM.edges`, `STEM.edges.gz` or `STEM.edges.zst`.
fn edges_stem(path: &Path) -> Option<(PathBuf, String)> {
    let name = path.file_name()?.to_str()?;
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .unwrap_or(name);
    let stem = name.strip_suffix(".edges")?;
    if stem.is_empty() {
        return None;
    }
    let dir = path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    Some((dir, stem.to_string()))
}

/// `dir/STEM.EXT`, possibly compressed, if it exists.
fn companion(dir: &Path, stem: &str, ext: &str) -> Option<PathBuf> {
    ["", ".gz", ".zst"]
        .iter()
        .map(|z| dir.join(format!("{stem}.{ext}{z}")))
        .find(|p| p.is_file())
}

/// The ego files for one `EGO.edges` path.
fn ego_files_of(edges: &Path) -> Result<EgoFiles, FormatError> {
    let Some((dir, stem)) = edges_stem(edges) else {
        return Err(FormatError::new(
            edges,
            ErrorKind::UnknownFormat("a SNAP ego file must be named `EGO.edges`".into()),
        ));
    };
    let ego = stem.parse::<u64>().map_err(|_| {
        FormatError::new(
            edges,
            ErrorKind::InvalidValue {
                field: "ego id (the file name)".into(),
                value: clip(&stem),
                expected: "a non-negative integer, as in `0.edges`".into(),
            },
        )
    })?;
    Ok(EgoFiles {
        ego,
        edges: edges.to_path_buf(),
        feat: companion(&dir, &stem, "feat"),
        egofeat: companion(&dir, &stem, "egofeat"),
        featnames: companion(&dir, &stem, "featnames"),
        circles: companion(&dir, &stem, "circles"),
    })
}

/// Every `EGO.edges` of `dir`, ordered by ego id, and the `.edges` files left out because their
/// name is not a number.
fn ego_files_in(dir: &Path) -> Result<(Vec<EgoFiles>, Vec<String>), FormatError> {
    let entries = std::fs::read_dir(dir).map_err(|e| FormatError::new(dir, e))?;
    let mut egos = Vec::new();
    let mut ignored = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| FormatError::new(dir, e))?.path();
        if !path.is_file() || edges_stem(&path).is_none() {
            continue;
        }
        match ego_files_of(&path) {
            Ok(files) => egos.push(files),
            Err(_) => ignored.push(
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            ),
        }
    }
    egos.sort_by_key(|e| e.ego);
    // `0.edges` beside `0.edges.gz`: one ego, read once
    egos.dedup_by_key(|e| e.ego);
    ignored.sort();
    Ok((egos, ignored))
}

/// A feature's attribute: `(column, value)`.
type Feature = (String, String);

/// Splits a feature name into its attribute column and value (see the module docs).
fn split_feature(name: &str) -> Feature {
    let (column, value) = if let Some((c, v)) = name.rsplit_once(';') {
        (c, v)
    } else if let Some((c, v)) = name.split_once(':') {
        (c, v)
    } else {
        (PLAIN_FEATURE_COLUMN, name)
    };
    let column = column.trim();
    let column = if [HANDLE, NAME, BIO, FOLLOWERS_COUNT].contains(&column) {
        format!("feature;{column}")
    } else {
        column.to_string()
    };
    (column, value.trim().to_string())
}

/// Parses a node id token (a non-negative integer) into the label the graph uses; shared with
/// the per-ego ground-truth reader.
pub(crate) fn node_label(
    token: &str,
    path: &Path,
    line: u64,
    field: &str,
) -> Result<u64, FormatError> {
    token.parse::<u64>().map_err(|_| {
        FormatError::at(
            path,
            line,
            ErrorKind::InvalidValue {
                field: field.into(),
                value: clip(token),
                expected: "a node id (a non-negative integer)".into(),
            },
        )
    })
}

/// The state of one load.
struct EgoReader<'a> {
    options: &'a LoadOptions,
    builder: GraphBuilder,
    /// Feature `(column, value)` → index in `pair_list`.
    pairs: HashMap<Feature, u32>,
    pair_list: Vec<Feature>,
    /// `(person, feature)` pairs held, each once.
    held: BTreeSet<(u32, u32)>,
    bytes: u64,
    circles: usize,
    ego_ties: usize,
}

impl EgoReader<'_> {
    /// The text of `path`, with progress reported.
    fn text(&mut self, path: &Path) -> Result<String, FormatError> {
        let text = input::read_text(path)?;
        self.bytes += text.len() as u64;
        self.options.report_progress(self.bytes);
        Ok(text)
    }

    /// The node of id `id`.
    fn node(&mut self, id: u64, path: &Path) -> Result<NodeId, FormatError> {
        self.builder
            .node(&id.to_string())
            .map_err(|e| FormatError::new(path, e))
    }

    /// Applies the error policy to `error`.
    fn handle(&mut self, error: FormatError) -> Result<(), FormatError> {
        self.options.handle(&mut self.builder, error)
    }

    /// Reads all files of one ego.
    fn read_ego(&mut self, files: &EgoFiles) -> Result<(), FormatError> {
        let ego = self.node(files.ego, &files.edges)?;
        let mut alters: Vec<NodeId> = Vec::new();
        self.read_edges(&files.edges, &mut alters)?;
        let names = match &files.featnames {
            Some(p) => Some(self.read_featnames(p)?),
            None => None,
        };
        if let Some(p) = &files.feat {
            self.read_feat(p, names.as_deref(), &mut alters)?;
        }
        if let (Some(p), Some(names)) = (&files.egofeat, names.as_deref()) {
            self.read_egofeat(p, ego, names)?;
        }
        if let Some(p) = &files.circles {
            self.read_circles(p, files.ego, &mut alters)?;
        }
        alters.sort_unstable();
        alters.dedup();
        for &alter in alters.iter().filter(|&&a| a != ego) {
            self.builder.add_follow(ego, alter, 1.0);
            self.ego_ties += 1;
        }
        Ok(())
    }

    /// `u v` lines: ties among alters.
    fn read_edges(&mut self, path: &Path, alters: &mut Vec<NodeId>) -> Result<(), FormatError> {
        let text = self.text(path)?;
        for (i, line) in text.lines().enumerate() {
            let no = i as u64 + 1;
            if let Err(e) = self.edge_line(path, no, line, alters) {
                self.handle(e)?;
            }
        }
        Ok(())
    }

    fn edge_line(
        &mut self,
        path: &Path,
        no: u64,
        line: &str,
        alters: &mut Vec<NodeId>,
    ) -> Result<(), FormatError> {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Ok(());
        }
        let [first, second] = edge_fields(path, no, line)?;
        let u = node_label(first, path, no, "node id")?;
        let v = node_label(second, path, no, "node id").map_err(|e| e.with_column(2))?;
        let (u, v) = (self.node(u, path)?, self.node(v, path)?);
        self.builder.add_follow(u, v, 1.0);
        alters.extend([u, v]);
        Ok(())
    }

    /// `k name` lines: the name of every feature index.
    fn read_featnames(&mut self, path: &Path) -> Result<Vec<Option<Feature>>, FormatError> {
        let text = self.text(path)?;
        let mut names: Vec<Option<Feature>> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let no = i as u64 + 1;
            if let Err(e) = featname_line(path, no, line, &mut names) {
                self.handle(e)?;
            }
        }
        if let Some(k) = names.iter().position(Option::is_none) {
            let e = FormatError::new(
                path,
                ErrorKind::Syntax(format!(
                    "feature indexes must run from 0 to {}, but {k} is not named",
                    names.len() - 1
                )),
            );
            self.handle(e)?;
        }
        Ok(names)
    }

    /// `node f0 … fK` lines: the alters and their features.
    fn read_feat(
        &mut self,
        path: &Path,
        names: Option<&[Option<Feature>]>,
        alters: &mut Vec<NodeId>,
    ) -> Result<(), FormatError> {
        let text = self.text(path)?;
        for (i, line) in text.lines().enumerate() {
            let no = i as u64 + 1;
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let mut fields = line.split_ascii_whitespace();
            let first = fields.next().unwrap_or_default();
            let id = match node_label(first, path, no, "node id") {
                Ok(id) => id,
                Err(e) => {
                    self.handle(e)?;
                    continue;
                }
            };
            let person = self.node(id, path)?;
            alters.push(person);
            if let Some(names) = names {
                if let Err(e) = self.features(path, no, 1, fields, person, names) {
                    self.handle(e)?;
                }
            }
        }
        Ok(())
    }

    /// The single line of `.egofeat`: the ego's features.
    fn read_egofeat(
        &mut self,
        path: &Path,
        ego: NodeId,
        names: &[Option<Feature>],
    ) -> Result<(), FormatError> {
        let text = self.text(path)?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let fields = line.split_ascii_whitespace();
            if let Err(e) = self.features(path, i as u64 + 1, 0, fields, ego, names) {
                self.handle(e)?;
            }
        }
        Ok(())
    }

    /// Records the features `person` holds from binary `values`; `offset` is the number of
    /// fields before the first value (for error columns).
    fn features<'t>(
        &mut self,
        path: &Path,
        no: u64,
        offset: usize,
        values: impl Iterator<Item = &'t str>,
        person: NodeId,
        names: &[Option<Feature>],
    ) -> Result<(), FormatError> {
        let mut held = Vec::new();
        let mut count = 0usize;
        for (k, value) in values.enumerate() {
            count += 1;
            let column = (offset + k + 1) as u64;
            let one = match value {
                "0" => false,
                "1" => true,
                _ => {
                    return Err(FormatError::at(
                        path,
                        no,
                        ErrorKind::InvalidValue {
                            field: format!("feature {k}"),
                            value: clip(value),
                            expected: "0 or 1".into(),
                        },
                    )
                    .with_column(column))
                }
            };
            if k >= names.len() {
                return Err(FormatError::at(
                    path,
                    no,
                    ErrorKind::Syntax(format!(
                        "feature index {k} is beyond the {} features of the ego's .featnames",
                        names.len()
                    )),
                )
                .with_column(column));
            }
            if one {
                held.push(k);
            }
        }
        if count < names.len() {
            return Err(FormatError::at(
                path,
                no,
                ErrorKind::ColumnCount {
                    expected: offset + names.len(),
                    found: offset + count,
                },
            ));
        }
        for k in held {
            if let Some(feature) = names.get(k).and_then(Option::as_ref) {
                let next = self.pair_list.len() as u32;
                let id = *self.pairs.entry(feature.clone()).or_insert(next);
                if id == next {
                    self.pair_list.push(feature.clone());
                }
                self.held.insert((person.0, id));
            }
        }
        Ok(())
    }

    /// `NAME<TAB>member…` lines: the ego's circles.
    fn read_circles(
        &mut self,
        path: &Path,
        ego: u64,
        alters: &mut Vec<NodeId>,
    ) -> Result<(), FormatError> {
        let text = self.text(path)?;
        for (i, line) in text.lines().enumerate() {
            let no = i as u64 + 1;
            if let Err(e) = self.circle_line(path, no, line, ego, alters) {
                self.handle(e)?;
            }
        }
        Ok(())
    }

    fn circle_line(
        &mut self,
        path: &Path,
        no: u64,
        line: &str,
        ego: u64,
        alters: &mut Vec<NodeId>,
    ) -> Result<(), FormatError> {
        let line = line.trim_end_matches(['\r', '\n']);
        if line.trim().is_empty() {
            return Ok(());
        }
        let (name, rest) = match line.split_once('\t') {
            Some((name, rest)) => (name.trim(), rest),
            None => line
                .trim()
                .split_once(char::is_whitespace)
                .unwrap_or((line.trim(), "")),
        };
        let mut members = Vec::new();
        for (k, token) in rest.split_ascii_whitespace().enumerate() {
            let id = token.parse::<u64>().map_err(|_| {
                FormatError::at(
                    path,
                    no,
                    ErrorKind::InvalidValue {
                        field: format!("member of circle `{}`", clip(name)),
                        value: clip(token),
                        expected: "a node id (a non-negative integer)".into(),
                    },
                )
                .with_column(k as u64 + 2)
            })?;
            members.push(id);
        }
        let mut nodes = Vec::with_capacity(members.len());
        for id in members {
            nodes.push(self.node(id, path)?);
        }
        alters.extend_from_slice(&nodes);
        self.builder
            .add_truth_community(&format!("{ego}{CIRCLE_SEPARATOR}{name}"), nodes);
        self.circles += 1;
        Ok(())
    }

    /// Sets the collected attributes, leaves the notes and builds the graph.
    fn finish(
        mut self,
        path: &Path,
        egos: usize,
        ignored: &[String],
    ) -> Result<SocialGraph, FormatError> {
        for &(person, id) in &self.held {
            if let Some((column, value)) = self.pair_list.get(id as usize) {
                self.builder.set_attribute(NodeId(person), column, value);
            }
        }
        self.builder.note(format!(
            "SNAP ego networks: {egos} ego(s), {} circle(s) as ground truth named EGO/CIRCLE; \
             {} ego–alter ties added (the ego files leave them out)",
            self.circles, self.ego_ties
        ));
        if !self.held.is_empty() {
            self.builder.note(format!(
                "SNAP ego features: {} (person, feature) values as attributes; column = the \
                 feature name up to its last `;`",
                self.held.len()
            ));
        }
        if !ignored.is_empty() {
            self.builder.note(format!(
                "SNAP ego: left out .edges files not named after an ego id: {}",
                ignored.join(", ")
            ));
        }
        self.builder.build().map_err(|e| FormatError::new(path, e))
    }
}

/// Parses one `.featnames` line into `names`.
fn featname_line(
    path: &Path,
    no: u64,
    line: &str,
    names: &mut Vec<Option<Feature>>,
) -> Result<(), FormatError> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(());
    }
    let Some((index, name)) = line.split_once(char::is_whitespace) else {
        return Err(FormatError::at(
            path,
            no,
            ErrorKind::ColumnCount {
                expected: 2,
                found: 1,
            },
        ));
    };
    let k = index.parse::<usize>().map_err(|_| {
        FormatError::at(
            path,
            no,
            ErrorKind::InvalidValue {
                field: "feature index".into(),
                value: clip(index),
                expected: "a non-negative integer".into(),
            },
        )
    })?;
    // Indexes are dense 0..K; a wildly large one would make `names` huge.
    if k > names.len() + 1_000_000 {
        return Err(FormatError::at(
            path,
            no,
            ErrorKind::InvalidValue {
                field: "feature index".into(),
                value: clip(index),
                expected: "indexes numbered from 0 without large gaps".into(),
            },
        ));
    }
    if names.len() <= k {
        names.resize(k + 1, None);
    }
    if names[k].is_some() {
        return Err(FormatError::at(
            path,
            no,
            ErrorKind::Syntax(format!("feature index {k} is named twice")),
        ));
    }
    names[k] = Some(split_feature(name.trim()));
    Ok(())
}

/// The two ends of an `EGO.edges` line (`u v`, white-space separated); any other number of
/// fields is a located error. Shared by the loader and the per-ego ground-truth reader.
pub(crate) fn edge_fields<'a>(
    path: &Path,
    no: u64,
    line: &'a str,
) -> Result<[&'a str; 2], FormatError> {
    let fields: Vec<&str> = line.split_ascii_whitespace().collect();
    match fields[..] {
        [u, v] => Ok([u, v]),
        _ => Err(FormatError::at(
            path,
            no,
            ErrorKind::ColumnCount {
                expected: 2,
                found: fields.len(),
            },
        )),
    }
}

#[cfg(test)]
mod tests;
