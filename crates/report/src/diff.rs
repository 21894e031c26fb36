//! `diff`: how the clusters of one run (A, before) became the clusters of another (B, after).
//!
//! Clusters are matched by the people they share, read from the two `memberships.csv` files
//! (people are matched by id; a person may belong to several clusters). For every pair of
//! clusters `a` of A and `b` of B sharing members, [`Link`] records the overlap `|a ∩ b|`, the
//! Jaccard index `|a ∩ b| / |a ∪ b|`, and the shares `|a ∩ b| / |a|` (of A's members) and
//! `|a ∩ b| / |b|` (of B's members). People in only one run count in their cluster's size,
//! so clusters whose people left the data lose share.
//!
//! Each cluster of A then gets one [`Fate`], in this order of rules (thresholds in
//! [`DiffConfig`]):
//!
//! 1. **split**: at least two B clusters each take at least `split_share` (default 0.25) of
//!    its members;
//! 2. otherwise it **flows into** the B cluster taking the most of its members, if that B
//!    cluster takes at least `continue_share` (default 0.5) of them; when two or more A
//!    clusters flow into the same B cluster they **merged**, when only one does it
//!    **continued**: it *grew* when B is more than `stable_change` (10 %) larger, *shrank*
//!    when more than 10 % smaller, else it is *stable*;
//! 3. otherwise it **vanished**: no B cluster holds a significant part of it.
//!
//! Each cluster of B gets one [`Origin`]: it *continues* or is a *merge* of the A clusters
//! that flow into it; otherwise it is *split off* from an A cluster when it is one of the
//! parts of that cluster's split or when that cluster supplies at least `continue_share` of
//! its members; otherwise it **appeared**.
//!
//! Everything is ordered by cluster id (ties between equal overlaps broken by the smaller
//! id), so the same two runs always give the same diff.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::error::ReportError;
use crate::model::Report;
use crate::present::{count, decimal, percent, truncate, Align, TextTable};

/// Default of [`DiffConfig::continue_share`].
pub const DEFAULT_CONTINUE_SHARE: f64 = 0.5;
/// Default of [`DiffConfig::split_share`].
pub const DEFAULT_SPLIT_SHARE: f64 = 0.25;
/// Default of [`DiffConfig::stable_change`].
pub const DEFAULT_STABLE_CHANGE: f64 = 0.1;

/// The thresholds of [`diff`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiffConfig {
    /// A B cluster holding at least this share of an A cluster's members continues it.
    pub continue_share: f64,
    /// An A cluster split when at least two B clusters each hold at least this share of its
    /// members.
    pub split_share: f64,
    /// A continued cluster is stable when its size changed by at most this fraction.
    pub stable_change: f64,
}

impl Default for DiffConfig {
    fn default() -> Self {
        DiffConfig {
            continue_share: DEFAULT_CONTINUE_SHARE,
            split_share: DEFAULT_SPLIT_SHARE,
            stable_change: DEFAULT_STABLE_CHANGE,
        }
    }
}

/// How the size of a continued cluster changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeChange {
    /// More than [`DiffConfig::stable_change`] larger.
    Grew,
    /// More than [`DiffConfig::stable_change`] smaller.
    Shrank,
    /// Within ± [`DiffConfig::stable_change`].
    Stable,
}

/// What became of a cluster of A.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "fate", rename_all = "snake_case")]
pub enum Fate {
    /// Most of its members are in one B cluster that no other A cluster flows into.
    Continued {
        /// The B cluster.
        into: u32,
        /// How its size changed.
        change: SizeChange,
    },
    /// Two or more B clusters each hold a significant share of its members.
    Split {
        /// The B clusters, most shared members first.
        into: Vec<u32>,
    },
    /// Most of its members are in one B cluster that other A clusters flow into too.
    Merged {
        /// The B cluster.
        into: u32,
        /// The other A clusters merged into it.
        with: Vec<u32>,
    },
    /// No B cluster holds a significant share of its members.
    Vanished,
}

/// Where a cluster of B came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "origin", rename_all = "snake_case")]
pub enum Origin {
    /// It continues one A cluster.
    Continues {
        /// The A cluster.
        from: u32,
        /// How the size changed.
        change: SizeChange,
    },
    /// Two or more A clusters merged into it.
    Merge {
        /// The A clusters.
        from: Vec<u32>,
    },
    /// It is a part of an A cluster that split, or took most of its members from one.
    SplitOff {
        /// The A cluster.
        from: u32,
    },
    /// No A cluster is a significant source of it.
    Appeared,
}

/// Members shared by a cluster of A and a cluster of B.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The cluster of A.
    pub before: u32,
    /// The cluster of B.
    pub after: u32,
    /// People in both.
    pub shared: u64,
    /// shared ÷ people in either.
    pub jaccard: f64,
    /// shared ÷ members of the A cluster.
    pub before_share: f64,
    /// shared ÷ members of the B cluster.
    pub after_share: f64,
}

/// A cluster of A and its fate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BeforeCluster {
    /// Its id in A.
    pub cluster: u32,
    /// Its members in A.
    pub size: u64,
    /// Its label in A's report (empty when unknown).
    pub label: String,
    /// What became of it.
    #[serde(flatten)]
    pub fate: Fate,
}

/// A cluster of B and its origin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AfterCluster {
    /// Its id in B.
    pub cluster: u32,
    /// Its members in B.
    pub size: u64,
    /// Its label in B's report (empty when unknown).
    pub label: String,
    /// Where it came from.
    #[serde(flatten)]
    pub origin: Origin,
}

/// The diff of two runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    /// The thresholds used.
    pub config: DiffConfig,
    /// Distinct people in A.
    pub people_before: u64,
    /// Distinct people in B.
    pub people_after: u64,
    /// People in both runs.
    pub people_both: u64,
    /// Every cluster of A, by id.
    pub before: Vec<BeforeCluster>,
    /// Every cluster of B, by id.
    pub after: Vec<AfterCluster>,
    /// Every pair of clusters sharing members, by A id then B id.
    pub links: Vec<Link>,
}

/// Cluster id → members (person indices, sorted and distinct), and the distinct people.
fn clusters_of(
    memberships: &[(String, u32)],
    ids: &mut HashMap<String, u32>,
) -> (BTreeMap<u32, Vec<u32>>, Vec<u32>) {
    let mut clusters: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let mut people: Vec<u32> = Vec::with_capacity(memberships.len());
    for (person, cluster) in memberships {
        let next = ids.len() as u32;
        let id = *ids.entry(person.clone()).or_insert(next);
        people.push(id);
        clusters.entry(*cluster).or_default().push(id);
    }
    for members in clusters.values_mut() {
        members.sort_unstable();
        members.dedup();
    }
    people.sort_unstable();
    people.dedup();
    (clusters, people)
}

/// Matches the clusters of A (`before`) and B (`after`), given as (person id, cluster) pairs,
/// by shared members; see the module documentation for the rules.
///
/// Cost: `O(p log p + L log L)` for `p` membership rows and `L` linked cluster pairs.
pub fn diff(before: &[(String, u32)], after: &[(String, u32)], config: &DiffConfig) -> Diff {
    let mut ids: HashMap<String, u32> = HashMap::with_capacity(before.len());
    let (a, people_a) = clusters_of(before, &mut ids);
    let in_a = people_a.len() as u32;
    let (b, people_b) = clusters_of(after, &mut ids);
    let people_both = people_b.iter().filter(|&&p| p < in_a).count() as u64;

    // Person → B clusters, to count overlaps in one pass over A.
    let mut b_of: HashMap<u32, Vec<u32>> = HashMap::new();
    for (&cb, members) in &b {
        for &m in members.iter().filter(|&&m| m < in_a) {
            b_of.entry(m).or_default().push(cb);
        }
    }
    let size_a = |c: u32| a.get(&c).map_or(0, |m| m.len() as u64);
    let size_b = |c: u32| b.get(&c).map_or(0, |m| m.len() as u64);
    let change = |from: u64, to: u64| {
        let ratio = to as f64 / from.max(1) as f64;
        if ratio > 1.0 + config.stable_change {
            SizeChange::Grew
        } else if ratio < 1.0 - config.stable_change {
            SizeChange::Shrank
        } else {
            SizeChange::Stable
        }
    };

    // Links (by A id, then B id), split parts and flows of every A cluster.
    let mut links = Vec::new();
    let mut parts: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let mut flows: BTreeMap<u32, u32> = BTreeMap::new();
    for (&ca, members) in &a {
        let mut shared: BTreeMap<u32, u64> = BTreeMap::new();
        for m in members {
            for &cb in b_of.get(m).map_or(&[][..], Vec::as_slice) {
                *shared.entry(cb).or_default() += 1;
            }
        }
        let n_a = members.len() as u64;
        let first = links.len();
        for (cb, n) in shared {
            let n_b = size_b(cb);
            links.push(Link {
                before: ca,
                after: cb,
                shared: n,
                jaccard: n as f64 / (n_a + n_b - n) as f64,
                before_share: n as f64 / n_a as f64,
                after_share: n as f64 / n_b as f64,
            });
        }
        // This cluster's links, most shared first, then by B id.
        let mut mine: Vec<&Link> = links[first..].iter().collect();
        mine.sort_by(|x, y| y.shared.cmp(&x.shared).then(x.after.cmp(&y.after)));
        let big: Vec<u32> = mine
            .iter()
            .filter(|l| l.before_share >= config.split_share)
            .map(|l| l.after)
            .collect();
        if big.len() >= 2 {
            parts.insert(ca, big);
        } else if let Some(main) = mine
            .first()
            .filter(|l| l.before_share >= config.continue_share)
        {
            flows.insert(ca, main.after);
        }
    }
    let mut inflows: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (&ca, &cb) in &flows {
        inflows.entry(cb).or_default().push(ca);
    }
    let mut links_into: HashMap<u32, Vec<&Link>> = HashMap::new();
    for l in &links {
        links_into.entry(l.after).or_default().push(l);
    }

    let before_clusters = a
        .keys()
        .map(|&ca| {
            let fate = if let Some(into) = parts.get(&ca) {
                Fate::Split { into: into.clone() }
            } else if let Some(&cb) = flows.get(&ca) {
                let sources = inflows.get(&cb).map_or(&[][..], Vec::as_slice);
                if sources.len() >= 2 {
                    Fate::Merged {
                        into: cb,
                        with: sources.iter().copied().filter(|&x| x != ca).collect(),
                    }
                } else {
                    Fate::Continued {
                        into: cb,
                        change: change(size_a(ca), size_b(cb)),
                    }
                }
            } else {
                Fate::Vanished
            };
            BeforeCluster {
                cluster: ca,
                size: size_a(ca),
                label: String::new(),
                fate,
            }
        })
        .collect();
    let after_clusters = b
        .keys()
        .map(|&cb| {
            let sources = inflows.get(&cb).map_or(&[][..], Vec::as_slice);
            let origin = match sources {
                [from] => Origin::Continues {
                    from: *from,
                    change: change(size_a(*from), size_b(cb)),
                },
                [] => {
                    // The largest source among split parents and majority suppliers (links
                    // are in A order, so ties keep the smaller A id).
                    let mut best: Option<&Link> = None;
                    for &l in links_into.get(&cb).map_or(&[][..], Vec::as_slice) {
                        let part = parts.get(&l.before).is_some_and(|p| p.contains(&cb));
                        if (part || l.after_share >= config.continue_share)
                            && best.is_none_or(|b| l.shared > b.shared)
                        {
                            best = Some(l);
                        }
                    }
                    best.map_or(Origin::Appeared, |l| Origin::SplitOff { from: l.before })
                }
                many => Origin::Merge {
                    from: many.to_vec(),
                },
            };
            AfterCluster {
                cluster: cb,
                size: size_b(cb),
                label: String::new(),
                origin,
            }
        })
        .collect();
    Diff {
        config: config.clone(),
        people_before: people_a.len() as u64,
        people_after: people_b.len() as u64,
        people_both,
        before: before_clusters,
        after: after_clusters,
        links,
    }
}

/// The diff of two report folders with the default [`DiffConfig`]: their memberships matched
/// by [`diff`], labelled from their reports.
pub fn diff_runs(
    before: &Report,
    before_memberships: &[(String, u32)],
    after: &Report,
    after_memberships: &[(String, u32)],
) -> Diff {
    diff(
        before_memberships,
        after_memberships,
        &DiffConfig::default(),
    )
    .with_labels(before, after)
}

impl Diff {
    /// Fills in the clusters' labels from the two runs' reports.
    pub fn with_labels(mut self, before: &Report, after: &Report) -> Self {
        for c in &mut self.before {
            c.label = before.label(c.cluster).to_string();
        }
        for c in &mut self.after {
            c.label = after.label(c.cluster).to_string();
        }
        self
    }

    /// The link between `before` and `after`, if they share members.
    pub fn link(&self, before: u32, after: u32) -> Option<&Link> {
        self.links
            .binary_search_by(|l| (l.before, l.after).cmp(&(before, after)))
            .ok()
            .and_then(|i| self.links.get(i))
    }

    /// The cluster `id` of B.
    fn after_cluster(&self, id: u32) -> Option<&AfterCluster> {
        self.after
            .binary_search_by(|c| c.cluster.cmp(&id))
            .ok()
            .and_then(|i| self.after.get(i))
    }
}

/// Characters of a label in the diff table.
const LABEL_WIDTH: usize = 28;

/// Writes `diff` as a table: one row per cluster of A (one per part for a split), then the B
/// clusters that appeared or split off, with sizes, labels, Jaccard overlap and the share of
/// A's members that went to B.
pub fn write_diff(diff: &Diff, out: &mut dyn Write) -> Result<(), ReportError> {
    let mut text = format!(
        "{} clusters of {} people before, {} clusters of {} people after; {} people in both\n\n",
        count(diff.before.len() as u64),
        count(diff.people_before),
        count(diff.after.len() as u64),
        count(diff.people_after),
        count(diff.people_both),
    );
    let mut table = TextTable::new(&[
        ("change", Align::Left),
        ("A", Align::Right),
        ("size", Align::Right),
        ("label", Align::Left),
        ("", Align::Left),
        ("B", Align::Right),
        ("size", Align::Right),
        ("label", Align::Left),
        ("jaccard", Align::Right),
        ("of A", Align::Right),
    ]);
    let row = |what: String, a: Option<(u32, u64, &str)>, b: Option<&AfterCluster>| {
        let mut r = vec![what];
        match a {
            Some((id, size, label)) => {
                r.extend([id.to_string(), count(size), truncate(label, LABEL_WIDTH)])
            }
            None => r.extend([String::new(), String::new(), String::new()]),
        }
        r.push("→".to_string());
        match b {
            Some(b) => r.extend([
                b.cluster.to_string(),
                count(b.size),
                truncate(&b.label, LABEL_WIDTH),
            ]),
            None => r.extend([String::new(), String::new(), String::new()]),
        }
        if let (Some((ca, _, _)), Some(b)) = (a, b) {
            match diff.link(ca, b.cluster) {
                Some(l) => r.extend([decimal(l.jaccard), percent(Some(l.before_share))]),
                None => r.extend([String::new(), String::new()]),
            }
        }
        r
    };
    for c in &diff.before {
        let a = Some((c.cluster, c.size, c.label.as_str()));
        match &c.fate {
            Fate::Continued { into, change } => {
                let what = match change {
                    SizeChange::Grew => "grew",
                    SizeChange::Shrank => "shrank",
                    SizeChange::Stable => "stable",
                };
                table.row(row(what.to_string(), a, diff.after_cluster(*into)));
            }
            Fate::Split { into } => {
                for (i, part) in into.iter().enumerate() {
                    let what = if i == 0 { "split" } else { "" };
                    let a = if i == 0 { a } else { None };
                    let mut r = row(what.to_string(), a, diff.after_cluster(*part));
                    if i > 0 {
                        // The overlap columns still refer to the split cluster.
                        if let Some(l) = diff.link(c.cluster, *part) {
                            r.truncate(8);
                            r.extend([decimal(l.jaccard), percent(Some(l.before_share))]);
                        }
                    }
                    table.row(r);
                }
            }
            Fate::Merged { into, with } => {
                let with: Vec<String> = with.iter().map(u32::to_string).collect();
                table.row(row(
                    format!("merged (with {})", with.join(", ")),
                    a,
                    diff.after_cluster(*into),
                ));
            }
            Fate::Vanished => table.row(row("vanished".to_string(), a, None)),
        }
    }
    for c in &diff.after {
        match &c.origin {
            Origin::Appeared => table.row(row("appeared".to_string(), None, Some(c))),
            Origin::SplitOff { from } => {
                let is_part = diff.before.iter().any(|b| {
                    b.cluster == *from
                        && matches!(&b.fate, Fate::Split { into } if into.contains(&c.cluster))
                });
                if !is_part {
                    let a = diff
                        .before
                        .iter()
                        .find(|b| b.cluster == *from)
                        .map(|b| (b.cluster, b.size, b.label.as_str()));
                    table.row(row("split off".to_string(), a, Some(c)));
                }
            }
            _ => {}
        }
    }
    text.push_str(&table.render("  "));
    let _ = writeln!(
        text,
        "\n  continued: ≥ {} of A's members in one B cluster (stable within ± {}); \
         split: ≥ 2 B clusters with ≥ {} each",
        percent(Some(diff.config.continue_share)),
        percent(Some(diff.config.stable_change)),
        percent(Some(diff.config.split_share)),
    );
    out.write_all(text.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    /// `(prefix, range, cluster)` groups as membership rows.
    fn rows(groups: &[(&str, std::ops::Range<u32>, u32)]) -> Rows {
        groups
            .iter()
            .flat_map(|(p, r, c)| r.clone().map(move |i| (format!("{p}{i}"), *c)))
            .collect()
    }

    type Rows = Vec<(String, u32)>;

    /// Two runs showing every kind of change.
    fn runs() -> (Rows, Rows) {
        let before = rows(&[
            ("p", 0..20, 0), // grows into B0, two members split off into B5
            ("q", 0..10, 1), // splits into B1 and B2
            ("r", 0..8, 2),  // merges with A3 into B3
            ("s", 0..8, 3),
            ("t", 0..6, 4),  // scatters: vanishes
            ("v", 0..10, 5), // stable as B6
            ("w", 0..10, 6), // shrinks into B7
        ]);
        let after = rows(&[
            ("p", 0..18, 0),
            ("n", 0..6, 0),
            ("t", 0..1, 0),
            ("q", 0..5, 1),
            ("t", 1..2, 1),
            ("q", 5..10, 2),
            ("t", 2..3, 2),
            ("r", 0..8, 3),
            ("s", 0..8, 3),
            ("t", 3..4, 3),
            ("u", 0..5, 4), // appeared
            ("p", 18..20, 5),
            ("v", 0..10, 6),
            ("w", 0..6, 7),
        ]);
        (before, after)
    }

    #[test]
    fn every_kind_of_change_is_recognised() {
        let (before, after) = runs();
        let d = diff(&before, &after, &DiffConfig::default());
        let fate = |c: usize| d.before[c].fate.clone();
        assert_eq!(
            fate(0),
            Fate::Continued {
                into: 0,
                change: SizeChange::Grew
            }
        );
        assert_eq!(fate(1), Fate::Split { into: vec![1, 2] });
        assert_eq!(
            fate(2),
            Fate::Merged {
                into: 3,
                with: vec![3]
            }
        );
        assert_eq!(
            fate(3),
            Fate::Merged {
                into: 3,
                with: vec![2]
            }
        );
        assert_eq!(fate(4), Fate::Vanished);
        assert_eq!(
            fate(5),
            Fate::Continued {
                into: 6,
                change: SizeChange::Stable
            }
        );
        assert_eq!(
            fate(6),
            Fate::Continued {
                into: 7,
                change: SizeChange::Shrank
            }
        );
        let origin = |c: usize| d.after[c].origin.clone();
        assert!(matches!(origin(0), Origin::Continues { from: 0, .. }));
        assert_eq!(origin(1), Origin::SplitOff { from: 1 });
        assert_eq!(origin(2), Origin::SplitOff { from: 1 });
        assert_eq!(origin(3), Origin::Merge { from: vec![2, 3] });
        assert_eq!(origin(4), Origin::Appeared);
        assert_eq!(origin(5), Origin::SplitOff { from: 0 });
        assert_eq!(
            (d.people_before, d.people_after, d.people_both),
            (72, 77, 66)
        );
        let l = d.link(0, 0).unwrap();
        assert_eq!(l.shared, 18);
        assert!((l.jaccard - 18.0 / 27.0).abs() < 1e-12);
        assert!((l.before_share - 0.9).abs() < 1e-12);
        assert!(d.link(0, 1).is_none());
    }

    #[test]
    fn a_run_against_itself_is_stable_everywhere() {
        let m = fixture::memberships();
        let report = fixture::report();
        let d = diff_runs(&report, &m, &report, &m);
        assert!(d.before.iter().all(|c| matches!(
            c.fate,
            Fate::Continued {
                change: SizeChange::Stable,
                ..
            }
        )));
        assert_eq!(d.before[1].label, "#climate · #energy · solar");
        assert!(d.links.iter().all(|l| l.jaccard == 1.0));
    }

    #[test]
    fn overlapping_memberships_count_people_once() {
        let before = rows(&[("p", 0..4, 0), ("p", 2..4, 1)]);
        let after = rows(&[("p", 0..4, 7), ("p", 2..4, 7)]);
        let d = diff(&before, &after, &DiffConfig::default());
        assert_eq!((d.people_before, d.people_after), (4, 4));
        assert_eq!(d.after[0].size, 4);
        assert_eq!(
            d.before[1].fate,
            Fate::Merged {
                into: 7,
                with: vec![0]
            }
        );
    }

    #[test]
    fn diff_serialises_and_reads_back() {
        let (before, after) = runs();
        let d = diff(&before, &after, &DiffConfig::default());
        let text = serde_json::to_string_pretty(&d).unwrap();
        assert!(text.contains("\"fate\": \"split\""), "{text}");
        assert!(text.contains("\"origin\": \"appeared\""), "{text}");
        let back: Diff = serde_json::from_str(&text).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn snapshot_diff_table() {
        let (before, after) = runs();
        let mut d = diff(&before, &after, &DiffConfig::default());
        d.before[0].label = "#rustlang · compiler".into();
        d.after[0].label = "#rustlang · compiler · crates.io".into();
        let mut out = Vec::new();
        write_diff(&d, &mut out).unwrap();
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }
}
