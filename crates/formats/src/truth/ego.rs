//! SNAP ego directories as a ground truth scored **per ego**, the way McAuley & Leskovec
//! (*Learning to Discover Social Circles in Ego Networks*, NIPS 2012) score social circles.
//!
//! An ego's circles are lists of its friends, so they say nothing about people outside its
//! network. Compared with the clusters of a whole graph pooled together, one ego's circles are
//! judged against clusters of other egos' networks too. Scored per ego, each ego's circles meet
//! only the clusters restricted to that ego's **people**: its alters — every id of `EGO.feat`
//! (first field), `EGO.edges` and `EGO.circles` — with the ego itself left out.
//!
//! [`read`] takes a directory (every `EGO.circles` in it, with its `EGO.feat` and `EGO.edges`
//! beside it) or one `EGO.circles` file (that ego). Any of the files may be gzip- or
//! zstd-compressed (`0.feat.gz`). Ids are SNAP node ids, non-negative integers, written back
//! without leading zeros, as the SNAP ego loader ([`crate::snap_ego`]) names people, so they line
//! up with the memberships `contextivity cluster` writes for the same directory.
//!
//! **Which egos are scored.** An ego is every number `EGO` that names one of the ego files
//! (`.circles`, `.feat`, `.edges`, `.egofeat`, `.featnames`). One without a circles file, or
//! whose circles file names no member, has nothing to be scored against: it is left out of the
//! scores and listed in [`EgoTruth::skipped`] with the reason, rather than counted as 0 (it did
//! not fail) or 1 (it did not succeed). Files whose name is not a number are ignored, and also
//! listed. When no ego is left the directory is an error.
//!
//! **Lines.** Blank lines and lines starting with `#` are skipped. A circles line is a name and
//! then members, separated by tabs (or white space): `circle0<TAB>71<TAB>215`; a line holding a
//! name only is an empty circle. A feat line starts with a node id; an edges line is `u v`.
//! A member or id that is not a non-negative integer, or an edges line without exactly two
//! fields, is a located error (`0.circles:3:4: invalid member of circle `circle2` …`).
//!
//! Cost: one pass over each file, `O(total lines + total ids)`; [`EgoTruth::align`] is
//! `O(labels + Σ people + Σ circle members)`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use contextivity_graph::Cover;

use super::LabeledCover;
use crate::error::{clip, ErrorKind, FormatError};
use crate::input;
use crate::snap_ego::{edge_fields, node_label, CIRCLE_SEPARATOR};

/// The extensions of a SNAP ego's files; the circles are what is scored.
const EGO_FILES: [&str; 5] = ["circles", "feat", "edges", "egofeat", "featnames"];

/// Compression suffixes an ego file may carry, in the order they are preferred.
const COMPRESSED: [&str; 3] = ["", ".gz", ".zst"];

/// The circles of one ego and the people they are drawn from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EgoCircles {
    /// The ego's id (its file name, without leading zeros).
    pub ego: String,
    /// The circles, in file order. `node_labels` are the ego's **people** — every alter named by
    /// its `.feat`, `.edges` or `.circles`, the ego left out — sorted by id, whether or not
    /// they belong to a circle; members index into them.
    pub circles: LabeledCover,
}

impl EgoCircles {
    /// The ego's people: its alters, sorted by id.
    pub fn people(&self) -> &[String] {
        &self.circles.node_labels
    }

    /// Number of circles with at least one member.
    pub fn circle_count(&self) -> usize {
        self.circles
            .communities
            .iter()
            .filter(|c| !c.is_empty())
            .count()
    }
}

/// Why an ego found in the directory is not scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SkipReason {
    /// The ego has other files but no `EGO.circles`.
    NoCirclesFile,
    /// Its circles file holds no circle with a member.
    NoCircleMembers,
    /// The file name before the extension is not a number, so it names no ego.
    NotAnEgoId,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SkipReason::NoCirclesFile => "no circles file",
            SkipReason::NoCircleMembers => "its circles file names no member",
            SkipReason::NotAnEgoId => "the file name is not an ego id",
        })
    }
}

/// An ego (or a file) left out of the scores, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedEgo {
    /// The ego's id, or the file name when it names no ego.
    pub ego: String,
    /// Why it is not scored.
    pub reason: SkipReason,
}

/// Every scored ego of a SNAP ego directory, and those left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EgoTruth {
    /// The egos with circles, ordered by id.
    pub egos: Vec<EgoCircles>,
    /// Egos without circles, and files that name no ego, ordered by name.
    pub skipped: Vec<SkippedEgo>,
}

/// One ego lined up with a detected cover (see [`EgoTruth::align`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlignedEgo {
    /// The ego's id.
    pub ego: String,
    /// The ego's people, as node ids of the alignment, sorted.
    pub people: Vec<u32>,
    /// The ego's circles over the alignment's node ids, named as in the file.
    pub circles: Cover,
}

/// A detected cover and every ego's circles on one set of node ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EgoAlignment {
    /// The detected communities.
    pub detected: Cover,
    /// Every scored ego, in the order of [`EgoTruth::egos`].
    pub egos: Vec<AlignedEgo>,
}

impl EgoTruth {
    /// Every circle of every ego as one cover, named `EGO/CIRCLE` as the SNAP ego loader names
    /// them (`0/circle3`). Its nodes are the people of every ego, ego by ego, each once. This is
    /// the pooled ground truth: every circle against every detected community.
    pub fn pooled(&self) -> LabeledCover {
        let mut index: HashMap<&str, u32> = HashMap::new();
        let mut out = LabeledCover::default();
        for ego in &self.egos {
            let map: Vec<u32> = ego
                .people()
                .iter()
                .map(|label| {
                    let next = index.len() as u32;
                    *index.entry(label.as_str()).or_insert_with(|| {
                        out.node_labels.push(label.clone());
                        next
                    })
                })
                .collect();
            for (name, members) in ego
                .circles
                .community_names
                .iter()
                .zip(&ego.circles.communities)
            {
                out.community_names
                    .push(format!("{}{CIRCLE_SEPARATOR}{name}", ego.ego));
                let mut members: Vec<u32> = members
                    .iter()
                    .filter_map(|&m| map.get(m as usize).copied())
                    .collect();
                members.sort_unstable();
                out.communities.push(members);
            }
        }
        out
    }

    /// Lines `detected` and every ego up on the union of their labels (the detected nodes in
    /// their order, then the people only the egos name), so that each ego can be scored on its
    /// own people: `contextivity_metrics::average_f1_within(&detected, &ego.circles,
    /// &ego.people)` restricts the detected communities to the ego's people.
    pub fn align(&self, detected: &LabeledCover) -> EgoAlignment {
        let mut index: HashMap<&str, u32> = HashMap::new();
        for label in &detected.node_labels {
            let next = index.len() as u32;
            index.entry(label.as_str()).or_insert(next);
        }
        let mut egos = Vec::with_capacity(self.egos.len());
        for ego in &self.egos {
            let people: Vec<u32> = ego
                .people()
                .iter()
                .map(|label| {
                    let next = index.len() as u32;
                    *index.entry(label.as_str()).or_insert(next)
                })
                .collect();
            let communities = ego
                .circles
                .communities
                .iter()
                .map(|members| {
                    members
                        .iter()
                        .filter_map(|&m| people.get(m as usize).copied())
                        .collect()
                })
                .collect();
            let mut sorted = people;
            sorted.sort_unstable();
            egos.push((ego, sorted, communities));
        }
        let nodes = index.len();
        let map: Vec<Option<u32>> = detected
            .node_labels
            .iter()
            .map(|l| index.get(l.as_str()).copied())
            .collect();
        EgoAlignment {
            detected: detected.remapped(nodes, &map),
            egos: egos
                .into_iter()
                .map(|(ego, people, communities)| AlignedEgo {
                    ego: ego.ego.clone(),
                    people,
                    circles: Cover::with_names(
                        nodes,
                        communities,
                        ego.circles.community_names.clone(),
                    ),
                })
                .collect(),
        }
    }
}

/// Whether `path` is a directory holding SNAP ego circles (`EGO.circles`, possibly compressed).
pub fn looks_like(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else {
        return false;
    };
    entries.filter_map(Result::ok).any(|e| {
        let p = e.path();
        p.is_file() && split_name(&p).is_some_and(|(_, ext)| ext == "circles")
    })
}

/// Reads a SNAP ego directory, or one `EGO.circles` file, as per-ego ground truth (see the
/// module documentation).
///
/// # Errors
///
/// A [`FormatError`] naming the file, and the line and field where there is one: a file cannot
/// be read or is not UTF-8; a circle member, feat id or edge end is not a non-negative integer;
/// an edges line has other than two fields; a file is not named `EGO.circles`; the directory
/// holds no ego with circles.
pub fn read(path: &Path) -> Result<EgoTruth, FormatError> {
    let (egos, mut skipped) = if path.is_dir() {
        ego_files_in(path)?
    } else {
        (vec![ego_files_of(path)?], Vec::new())
    };
    let mut out = EgoTruth::default();
    for files in egos {
        let Some(circles_path) = &files.circles else {
            skipped.push(SkippedEgo {
                ego: files.ego.to_string(),
                reason: SkipReason::NoCirclesFile,
            });
            continue;
        };
        let ego = read_ego(&files, circles_path)?;
        if ego.circle_count() == 0 {
            skipped.push(SkippedEgo {
                ego: ego.ego,
                reason: SkipReason::NoCircleMembers,
            });
        } else {
            out.egos.push(ego);
        }
    }
    skipped.sort_by(|a, b| a.ego.cmp(&b.ego));
    out.skipped = skipped;
    if out.egos.is_empty() {
        return Err(FormatError::new(
            path,
            ErrorKind::Empty {
                expected: "SNAP ego circles (`EGO.circles` files naming at least one member)"
                    .into(),
            },
        ));
    }
    Ok(out)
}

/// The files of one ego.
#[derive(Debug, Default)]
struct EgoFiles {
    ego: u64,
    circles: Option<PathBuf>,
    feat: Option<PathBuf>,
    edges: Option<PathBuf>,
}

/// `(stem, extension)` of an ego file name (`0.circles`, `0.feat.gz`), when the extension is
/// one of [`EGO_FILES`].
fn split_name(path: &Path) -> Option<(String, &'static str)> {
    let name = path.file_name()?.to_str()?;
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .unwrap_or(name);
    let (stem, ext) = name.rsplit_once('.')?;
    let ext = EGO_FILES.iter().find(|&&e| e == ext)?;
    (!stem.is_empty()).then(|| (stem.to_string(), *ext))
}

/// `dir/STEM.EXT`, possibly compressed, if it exists.
fn companion(dir: &Path, stem: &str, ext: &str) -> Option<PathBuf> {
    COMPRESSED
        .iter()
        .map(|z| dir.join(format!("{stem}.{ext}{z}")))
        .find(|p| p.is_file())
}

/// The ego files beside one `EGO.circles` file.
fn ego_files_of(circles: &Path) -> Result<EgoFiles, FormatError> {
    let stem = match split_name(circles) {
        Some((stem, "circles")) => stem,
        _ => {
            return Err(FormatError::new(
                circles,
                ErrorKind::UnknownFormat(
                    "per-ego circles must be a directory of SNAP ego files or a file named \
                     `EGO.circles`"
                        .into(),
                ),
            ))
        }
    };
    let ego = stem.parse::<u64>().map_err(|_| {
        FormatError::new(
            circles,
            ErrorKind::InvalidValue {
                field: "ego id (the file name)".into(),
                value: clip(&stem),
                expected: "a non-negative integer, as in `0.circles`".into(),
            },
        )
    })?;
    let dir = circles
        .parent()
        .map_or_else(PathBuf::new, Path::to_path_buf);
    Ok(EgoFiles {
        ego,
        circles: Some(circles.to_path_buf()),
        feat: companion(&dir, &stem, "feat"),
        edges: companion(&dir, &stem, "edges"),
    })
}

/// Every ego named by the files of `dir`, ordered by id, and the files whose name is not an id.
fn ego_files_in(dir: &Path) -> Result<(Vec<EgoFiles>, Vec<SkippedEgo>), FormatError> {
    let entries = std::fs::read_dir(dir).map_err(|e| FormatError::new(dir, e))?;
    let mut egos: BTreeMap<u64, EgoFiles> = BTreeMap::new();
    let mut skipped = Vec::new();
    let mut names = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| FormatError::new(dir, e))?.path();
        if path.is_file() {
            names.push(path);
        }
    }
    // Sorted, so that `0.feat` is preferred to `0.feat.gz` whatever order the directory lists.
    names.sort();
    for path in names {
        let Some((stem, ext)) = split_name(&path) else {
            continue;
        };
        let Ok(ego) = stem.parse::<u64>() else {
            skipped.push(SkippedEgo {
                ego: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                reason: SkipReason::NotAnEgoId,
            });
            continue;
        };
        let files = egos.entry(ego).or_insert_with(|| EgoFiles {
            ego,
            ..EgoFiles::default()
        });
        let slot = match ext {
            "circles" => &mut files.circles,
            "feat" => &mut files.feat,
            "edges" => &mut files.edges,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(path);
        }
    }
    Ok((egos.into_values().collect(), skipped))
}

/// Reads one ego's circles and people.
fn read_ego(files: &EgoFiles, circles_path: &Path) -> Result<EgoCircles, FormatError> {
    let mut people: Vec<u64> = Vec::new();
    if let Some(path) = &files.feat {
        let text = input::read_text(path)?;
        for (no, line) in data_lines(&text) {
            let first = line.split_ascii_whitespace().next().unwrap_or_default();
            people.push(node_id(first, path, no, 1, "node id")?);
        }
    }
    if let Some(path) = &files.edges {
        let text = input::read_text(path)?;
        for (no, line) in data_lines(&text) {
            let fields = edge_fields(path, no, line)?;
            for (k, field) in fields.iter().enumerate() {
                people.push(node_id(field, path, no, k as u64 + 1, "node id")?);
            }
        }
    }
    let text = input::read_text(circles_path)?;
    let mut circles: Vec<(String, Vec<u64>)> = Vec::new();
    for (no, line) in data_lines(&text) {
        let (name, rest) = match line.split_once('\t') {
            Some((name, rest)) => (name.trim(), rest),
            None => line.split_once(char::is_whitespace).unwrap_or((line, "")),
        };
        let field = format!("member of circle `{}`", clip(name));
        let members = rest
            .split_ascii_whitespace()
            .enumerate()
            .map(|(k, token)| node_id(token, circles_path, no, k as u64 + 2, &field))
            .collect::<Result<Vec<u64>, FormatError>>()?;
        people.extend_from_slice(&members);
        circles.push((name.to_string(), members));
    }
    people.sort_unstable();
    people.dedup();
    people.retain(|&p| p != files.ego);
    let position: HashMap<u64, u32> = people
        .iter()
        .enumerate()
        .map(|(i, &p)| (p, i as u32))
        .collect();
    let mut cover = LabeledCover {
        node_labels: people.iter().map(u64::to_string).collect(),
        ..LabeledCover::default()
    };
    for (name, members) in circles {
        let mut members: Vec<u32> = members
            .iter()
            .filter_map(|m| position.get(m).copied())
            .collect();
        members.sort_unstable();
        members.dedup();
        cover.community_names.push(name);
        cover.communities.push(members);
    }
    Ok(EgoCircles {
        ego: files.ego.to_string(),
        circles: cover,
    })
}

/// A node id: a non-negative integer; otherwise a located error at field `column`.
fn node_id(
    token: &str,
    path: &Path,
    line: u64,
    column: u64,
    field: &str,
) -> Result<u64, FormatError> {
    node_label(token, path, line, field).map_err(|e| e.with_column(column))
}

/// `(1-based line number, trimmed line)` of every line that is neither blank nor a `#` comment.
fn data_lines(text: &str) -> impl Iterator<Item = (u64, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

#[cfg(test)]
mod tests;
