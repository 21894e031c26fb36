//! Tests of the SNAP ego reader: a hand-checked fixture, malformed files, the real Facebook set.

use std::path::{Path, PathBuf};

use contextivity_graph::{NodeId, SocialGraph};

use super::*;
use crate::OnError;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/snap_ego")
}

fn node(g: &SocialGraph, label: &str) -> NodeId {
    let i = (0..g.node_count())
        .find(|&i| g.label(NodeId(i as u32)) == label)
        .unwrap();
    NodeId(i as u32)
}

fn values(g: &SocialGraph, column: &str, label: &str) -> Vec<String> {
    let n = node(g, label);
    match g.people.column(column) {
        Some(c) => c.get(n).map(str::to_string).collect(),
        None => Vec::new(),
    }
}

fn neighbors(g: &SocialGraph, label: &str) -> Vec<String> {
    let n = node(g, label);
    let mut out: Vec<String> = g
        .follows
        .out()
        .neighbors(n.index())
        .iter()
        .map(|&v| g.label(NodeId(v)).to_string())
        .collect();
    out.sort();
    out
}

/// A directory with the given files, for malformed cases.
fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn error_of(dir: &tempfile::TempDir, options: &LoadOptions) -> String {
    read(dir.path(), options).unwrap_err().to_string()
}

#[test]
fn combined_fixture_unites_egos_with_ego_ties() {
    let g = read(&fixture(), &LoadOptions::default()).unwrap();
    // egos 1 and 2, alters 10–13 and 20–21 (12 is a friend of both egos)
    assert_eq!(g.node_count(), 8);
    assert!(g.follows.is_undirected());
    // 10–11, 11–12, 12–20, 20–21 among alters; 1–{10,11,12,13} and 2–{12,20,21} ego ties
    assert_eq!(g.follows.edge_count(), 11);
    assert_eq!(neighbors(&g, "12"), vec!["1", "11", "2", "20"]);
    assert_eq!(neighbors(&g, "13"), vec!["1"]);
    assert_eq!(neighbors(&g, "2"), vec!["12", "20", "21"]);
    let truth = g.truth.as_ref().unwrap();
    assert_eq!(truth.names(), &["1/circle0", "1/circle1", "2/friends"]);
    let members: Vec<Vec<&str>> = truth
        .communities()
        .iter()
        .map(|c| c.iter().map(|&m| g.label(NodeId(m))).collect())
        .collect();
    assert_eq!(
        members,
        vec![vec!["10", "11"], vec!["11", "12", "13"], vec!["20", "21"]]
    );
    assert_eq!(circle_ego(&truth.names()[2]), Some("2"));
    assert!(g.summary.notes[0].contains("2 ego(s), 3 circle(s)"));
    assert!(g.summary.notes[0].contains("7 ego–alter ties"));
}

#[test]
fn features_become_attribute_columns() {
    let g = read(&fixture(), &LoadOptions::default()).unwrap();
    let school = "education;school;id";
    assert_eq!(
        values(&g, school, "10"),
        vec!["anonymized feature 2", "anonymized feature 3"]
    );
    assert_eq!(values(&g, "gender", "10"), vec!["anonymized feature 0"]);
    // the ego's own row
    assert_eq!(values(&g, "gender", "1"), vec!["anonymized feature 1"]);
    assert_eq!(values(&g, school, "1"), vec!["anonymized feature 2"]);
    assert_eq!(values(&g, "hometown;id", "2"), vec!["anonymized feature 7"]);
    // 12 holds nothing in ego 1's file, gender 0 in ego 2's
    assert_eq!(values(&g, "gender", "12"), vec!["anonymized feature 0"]);
    assert!(values(&g, "gender", "21").is_empty());
    // `name` would pose as the display name
    assert_eq!(g.people.get("name", node(&g, "11")), None);
    assert_eq!(
        values(&g, "feature;name", "11"),
        vec!["anonymized feature 4"]
    );
    let pairs: usize = g.people.columns().values().map(|c| c.len()).sum();
    assert_eq!(pairs, 13);
}

#[test]
fn one_edges_file_reads_that_ego_only() {
    let g = read(&fixture().join("1.edges"), &LoadOptions::default()).unwrap();
    assert_eq!(g.node_count(), 5);
    assert_eq!(g.follows.edge_count(), 6);
    assert_eq!(g.truth.as_ref().unwrap().len(), 2);
    assert_eq!(values(&g, "gender", "12"), Vec::<String>::new());
}

#[test]
fn directed_on_request() {
    let options = LoadOptions {
        undirected: Some(false),
        ..LoadOptions::default()
    };
    let g = read(&fixture(), &options).unwrap();
    assert!(!g.follows.is_undirected());
    // 11 10 and 10 11 are two arcs; the ego follows each alter
    assert_eq!(g.follows.edge_count(), 5 + 7);
}

#[test]
fn detection() {
    assert!(looks_like(&fixture()));
    assert!(looks_like_file(&fixture().join("1.edges")));
    assert!(!looks_like_file(&fixture().join("1.feat")));
    let lone = dir_with(&[("5.edges", "1 2\n")]);
    assert!(!looks_like(lone.path()));
    assert!(!looks_like_file(&lone.path().join("5.edges")));
    assert_eq!(crate::detect(&fixture()).unwrap(), crate::Format::SnapEgo);
}

#[test]
fn malformed_edge_line_is_located() {
    let dir = dir_with(&[("3.edges", "1 2\n1 2 3\n"), ("3.circles", "")]);
    let path = dir.path().join("3.edges");
    assert_eq!(
        error_of(&dir, &LoadOptions::default()),
        format!("{}:2: expected 2 columns, found 3", path.display())
    );
    let dir = dir_with(&[("3.edges", "1 2\n\n4 x\n"), ("3.circles", "")]);
    assert_eq!(
        error_of(&dir, &LoadOptions::default()),
        format!(
            "{}:3:2: invalid node id `x`: expected a node id (a non-negative integer)",
            dir.path().join("3.edges").display()
        )
    );
}

#[test]
fn feature_index_beyond_featnames() {
    let dir = dir_with(&[
        ("3.edges", "1 2\n"),
        ("3.featnames", "0 gender;a\n1 gender;b\n"),
        ("3.feat", "1 1 0\n2 0 1 1\n"),
    ]);
    assert_eq!(
        error_of(&dir, &LoadOptions::default()),
        format!(
            "{}:2:4: feature index 2 is beyond the 2 features of the ego's .featnames",
            dir.path().join("3.feat").display()
        )
    );
    let dir = dir_with(&[
        ("3.edges", "1 2\n"),
        ("3.featnames", "0 gender;a\n1 gender;b\n"),
        ("3.egofeat", "1\n"),
    ]);
    assert_eq!(
        error_of(&dir, &LoadOptions::default()),
        format!(
            "{}:1: expected 2 columns, found 1",
            dir.path().join("3.egofeat").display()
        )
    );
    let dir = dir_with(&[
        ("3.edges", "1 2\n"),
        ("3.featnames", "0 gender;a\n"),
        ("3.feat", "1 2\n"),
    ]);
    assert_eq!(
        error_of(&dir, &LoadOptions::default()),
        format!(
            "{}:1:2: invalid feature 0 `2`: expected 0 or 1",
            dir.path().join("3.feat").display()
        )
    );
}

#[test]
fn featnames_must_be_dense_and_unique() {
    let dir = dir_with(&[("3.edges", "1 2\n"), ("3.featnames", "0 a;x\n2 a;y\n")]);
    assert_eq!(
        error_of(&dir, &LoadOptions::default()),
        format!(
            "{}: feature indexes must run from 0 to 2, but 1 is not named",
            dir.path().join("3.featnames").display()
        )
    );
    let dir = dir_with(&[("3.edges", "1 2\n"), ("3.featnames", "0 a;x\n0 a;y\n")]);
    assert_eq!(
        error_of(&dir, &LoadOptions::default()),
        format!(
            "{}:2: feature index 0 is named twice",
            dir.path().join("3.featnames").display()
        )
    );
}

#[test]
fn circle_member_must_be_a_number() {
    let dir = dir_with(&[
        ("3.edges", "1 2\n"),
        ("3.circles", "c0\t1\t2\nc1\t1\tbob\n"),
    ]);
    assert_eq!(
        error_of(&dir, &LoadOptions::default()),
        format!(
            "{}:2:3: invalid member of circle `c1` `bob`: expected a node id (a non-negative integer)",
            dir.path().join("3.circles").display()
        )
    );
}

#[test]
fn skip_policy_counts_bad_lines() {
    let dir = dir_with(&[
        ("3.edges", "1 2\n1 2 3\n2 4\n"),
        ("3.circles", "c0\t1\tbob\nc1\t2\t4\n"),
    ]);
    let options = LoadOptions {
        on_error: OnError::Skip,
        ..LoadOptions::default()
    };
    let g = read(dir.path(), &options).unwrap();
    // ego 3, alters 1, 2, 4
    assert_eq!(g.node_count(), 4);
    assert_eq!(g.follows.edge_count(), 2 + 3);
    assert_eq!(g.truth.as_ref().unwrap().names(), &["3/c1"]);
    assert_eq!(g.summary.skipped["3.edges: wrong number of columns"], 1);
    assert_eq!(g.summary.skipped["3.circles: invalid value"], 1);
}

#[test]
fn ego_file_name_must_be_an_id() {
    let dir = dir_with(&[("me.edges", "1 2\n"), ("me.circles", "")]);
    let path = dir.path().join("me.edges");
    assert_eq!(
        read(&path, &LoadOptions::default()).unwrap_err().to_string(),
        format!(
            "{}: invalid ego id (the file name) `me`: expected a non-negative integer, as in `0.edges`",
            path.display()
        )
    );
    // in a directory such files are left out; with nothing else, there is nothing to read
    assert!(error_of(&dir, &LoadOptions::default()).contains("file is empty"));
}

#[test]
fn compressed_companions_are_found() {
    use std::io::Write;
    let dir = dir_with(&[("3.edges", "1 2\n")]);
    let file = std::fs::File::create(dir.path().join("3.circles.gz")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    gz.write_all(b"c0\t1\t2\n").unwrap();
    gz.finish().unwrap();
    assert!(looks_like(dir.path()));
    let g = read(dir.path(), &LoadOptions::default()).unwrap();
    assert_eq!(g.truth.as_ref().unwrap().names(), &["3/c0"]);
}

/// The real SNAP Facebook set: figures from `ego_facebook/README.md`.
#[test]
fn facebook_ego_networks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ego_facebook");
    if !dir.is_dir() {
        return;
    }
    let g = read(&dir.join("facebook"), &LoadOptions::default()).unwrap();
    // the union of the ego files with ego–alter ties is facebook_combined.txt
    assert_eq!(g.node_count(), 4039);
    assert_eq!(g.follows.edge_count(), 88_234);
    let truth = g.truth.as_ref().unwrap();
    assert_eq!(truth.len(), 193);
    let per_ego = |ego: &str| {
        truth
            .names()
            .iter()
            .filter(|n| circle_ego(n) == Some(ego))
            .count()
    };
    let expected = [
        ("0", 24),
        ("107", 9),
        ("348", 14),
        ("414", 7),
        ("686", 14),
        ("698", 13),
        ("1684", 17),
        ("1912", 46),
        ("3437", 32),
        ("3980", 17),
    ];
    for (ego, circles) in expected {
        assert_eq!(per_ego(ego), circles, "circles of ego {ego}");
    }
    for column in ["gender", "birthday", "education;school;id", "locale"] {
        assert!(g.people.column(column).is_some(), "column {column}");
    }
    // ego 0 describes itself in .egofeat: three schools, gender feature 78
    let mut schools = values(&g, "education;school;id", "0");
    schools.sort();
    assert_eq!(
        schools,
        vec![
            "anonymized feature 39",
            "anonymized feature 50",
            "anonymized feature 52"
        ]
    );
    assert_eq!(values(&g, "gender", "0"), vec!["anonymized feature 78"]);

    let ego0 = read(&dir.join("facebook/0.edges"), &LoadOptions::default()).unwrap();
    // 347 friends in 0.feat; 5,038 lines = 2,519 ties listed both ways, + 347 ego ties
    assert_eq!(ego0.node_count(), 348);
    assert_eq!(ego0.follows.edge_count(), 2519 + 347);
    assert_eq!(ego0.truth.as_ref().unwrap().len(), 24);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever the ego files hold, reading ends in a graph or an error, never a panic.
    #[test]
    fn arbitrary_files_never_panic(
        edges in "([0-9a-z]{1,3}[ \t]){0,3}\n?",
        feat in "([0-9]{1,2}[ \n]){0,8}",
        featnames in "([0-9]{1,2} [a-z;:]{0,6}\n){0,4}",
        circles in "([a-z0-9]{0,3}[\t ]){0,5}\n?",
    ) {
        let dir = dir_with(&[
            ("4.edges", &edges),
            ("4.feat", &feat),
            ("4.egofeat", &feat),
            ("4.featnames", &featnames),
            ("4.circles", &circles),
        ]);
        let _ = read(dir.path(), &LoadOptions::default());
        let skip = LoadOptions { on_error: OnError::Skip, ..LoadOptions::default() };
        let _ = read(dir.path(), &skip);
    }
}
