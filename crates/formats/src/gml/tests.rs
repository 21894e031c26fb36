//! Tests of the GML reader: grammar, mapping, located errors and the Newman data sets.

use super::*;

fn parse(text: &str) -> Result<SocialGraph, FormatError> {
    read_str(text, Path::new("t.gml"), &LoadOptions::default())
}

fn message(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

#[test]
fn reads_nodes_edges_attributes_and_weights() {
    let g = parse(
        "Creator \"me\" # a comment\ngraph [\n  directed 1\n  node [ id 1 label \"A &amp; B\" size 2.5 graphics [ x 1 ] ]\n  node [ id 2 label \"say \\\"hi\\\" &#233;\" ]\n  edge [ source 1 target 2 value 3.5 ]\n  edge [ source 2 target 1 ]\n]\n",
    )
    .unwrap();
    assert_eq!(g.node_count(), 2);
    assert_eq!(g.label(NodeId(0)), "1");
    assert_eq!(g.people.get("name", NodeId(0)), Some("A & B"));
    assert_eq!(g.people.get("name", NodeId(1)), Some("say \"hi\" é"));
    assert_eq!(g.people.get("size", NodeId(0)), Some("2.5"));
    assert!(!g.follows.is_undirected());
    assert_eq!(g.follows.edge_count(), 2);
    assert_eq!(g.follows.out().weight_between(0, 1), Some(3.5));
    assert!(g.truth.is_none());
    assert!(g.summary.notes.iter().any(|n| n.contains("node graphics")));
}

#[test]
fn a_label_that_repeats_the_id_is_not_a_name() {
    let g = parse("graph [ node [ id 0 label \"0\" name \"Ann\" ] node [ id 1 label \"1\" ] ]")
        .unwrap();
    assert_eq!(g.people.column("name").unwrap().len(), 1);
    assert_eq!(g.people.get("name", NodeId(0)), Some("Ann"));
}

#[test]
fn undirected_by_default_and_edges_may_precede_nodes() {
    let g = parse("graph [ edge [ source 0 target 1 ] node [ id 0 ] node [ id 1 ] ]").unwrap();
    assert!(g.follows.is_undirected());
    assert_eq!(g.follows.edge_count(), 1);
}

#[test]
fn value_classes_become_ground_truth() {
    let g = parse(
        "graph [ node [ id 0 value \"a\" ] node [ id 1 value \"b\" ] node [ id 2 value \"a\" ] ]",
    )
    .unwrap();
    let truth = g.truth.unwrap();
    assert_eq!(truth.names(), &["a".to_string(), "b".to_string()]);
    assert_eq!(truth.communities(), &[vec![0, 2], vec![1]]);
    let g = parse("graph [ node [ id 0 value 1 ] node [ id 1 ] ]").unwrap();
    assert!(g.truth.is_none());
    let g = parse("graph [ node [ id 0 value 1 ] node [ id 1 value 1 ] ]").unwrap();
    assert!(g.truth.is_none());
}

#[test]
fn errors_are_located() {
    assert_eq!(
        message("graph [\n  node [ id 1 ]\n  edge [ source 1 target 9 ]\n]"),
        "t.gml:3:3: unknown node `9`"
    );
    assert_eq!(
        message("graph [\n  node [ id 1\n"),
        "t.gml:2:8: unbalanced brackets: this `[` is never closed"
    );
    assert_eq!(
        message("graph [ ]\n]"),
        "t.gml:2:1: `]` without a matching `[`"
    );
    assert_eq!(
        message("graph [\n node [ id 1 ]\n edge [ target 1 ]\n]"),
        "t.gml:3:2: `edge [ … ]` has no `source`"
    );
    assert_eq!(
        message("graph [\n node [ id 1 ]\n edge [ source 1 ]\n]"),
        "t.gml:3:2: `edge [ … ]` has no `target`"
    );
    assert_eq!(
        message("graph [\n  node [ id 1 @ ]\n]"),
        "t.gml:2:15: unexpected character `@`"
    );
    assert_eq!(
        message("graph [\n node [ id 1x ] ]"),
        "t.gml:2:12: invalid number `1x`"
    );
    assert_eq!(
        message("graph [ node [ label \"x ] ]"),
        "t.gml:1:22: string never closed: no `\"` before the end of the file"
    );
    assert_eq!(
        message("graph [ node [ label \"x\" ] ]"),
        "t.gml:1:9: `node [ … ]` has no `id`"
    );
    assert_eq!(
        message("graph [ node [ id 1 ] node [ id 1 ] ]"),
        "t.gml:1:23: invalid node id `1`: expected an id not declared before"
    );
    assert_eq!(
        message("graph [ node [ id 1.5 ] ]"),
        "t.gml:1:16: invalid node id `1.5`: expected an integer or a quoted string"
    );
    assert_eq!(
        message("graph [ node [ id ] ]"),
        "t.gml:1:19: `id` has no value: found `]`"
    );
    assert_eq!(
        message("graph [ 5 ]"),
        "t.gml:1:9: expected a key, found number 5"
    );
    assert_eq!(
        message("graph [ node [ id 0 ] node [ id 1 ] edge [ source 0 target 1 value \"x\" ] ]"),
        "t.gml:1:62: invalid edge weight `x`: expected a finite number"
    );
    assert_eq!(
        message("Creator \"x\""),
        "t.gml: file is empty: expected a `graph [ … ]` list"
    );
    let deep = format!("graph {}", "[ a ".repeat(100));
    assert!(message(&deep).contains("nested deeper than 64"));
}

#[test]
fn skip_policy_counts_bad_records() {
    let options = LoadOptions {
        on_error: crate::OnError::Skip,
        ..Default::default()
    };
    let g = read_str(
        "graph [ node [ id 1 ] node [ label \"x\" ] edge [ source 1 target 7 ] edge [ source 1 target 1 ] ]",
        Path::new("t.gml"),
        &options,
    )
    .unwrap();
    assert_eq!(g.node_count(), 1);
    assert_eq!(g.summary.skipped.get("t.gml: syntax error"), Some(&1));
    assert_eq!(g.summary.skipped.get("t.gml: unknown reference"), Some(&1));
    assert_eq!(g.summary.follow_self_loops_dropped, 1);
}

/// The shared data sets, if present.
fn data(name: &str) -> Option<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let file = dir.join(name).join(format!("{name}.gml"));
    file.is_file().then_some(file)
}

fn truth_sizes(g: &SocialGraph) -> Vec<(String, usize)> {
    let truth = g.truth.as_ref().unwrap();
    truth
        .names()
        .iter()
        .cloned()
        .zip(truth.communities().iter().map(Vec::len))
        .collect()
}

#[test]
fn karate_has_34_members_and_78_ties_and_no_truth() {
    let Some(path) = data("karate") else { return };
    let g = read(&path, &LoadOptions::default()).unwrap();
    assert_eq!(g.node_count(), 34);
    assert!(g.follows.is_undirected());
    assert_eq!(g.follows.edge_count(), 78);
    assert_eq!(g.label(NodeId(0)), "1");
    assert!(g.truth.is_none());
    assert_eq!(g.summary.follow_duplicates_merged, 0);
}

#[test]
fn lesmis_is_weighted() {
    let Some(path) = data("lesmis") else { return };
    let g = read(&path, &LoadOptions::default()).unwrap();
    assert_eq!(g.node_count(), 77);
    assert_eq!(g.follows.edge_count(), 254);
    let total: f32 = g.follows.out().weights().iter().sum();
    assert_eq!(total, 2.0 * 820.0); // every tie in both rows; the values sum to 820
    let valjean = g.labels.iter().position(|l| l == "11").unwrap();
    assert_eq!(
        g.people.get("name", NodeId(valjean as u32)),
        Some("Valjean")
    );
    assert_eq!(g.follows.out().weight_between(valjean, 0), Some(5.0));
    assert!(g.truth.is_none());
}

#[test]
fn dolphins_keep_their_group_as_an_attribute() {
    let Some(path) = data("dolphins") else { return };
    let g = read(&path, &LoadOptions::default()).unwrap();
    assert_eq!(g.node_count(), 62);
    assert_eq!(g.follows.edge_count(), 159);
    assert_eq!(g.people.get("name", NodeId(0)), Some("Beak"));
    assert_eq!(g.people.get("group", NodeId(0)), Some("2"));
    assert!(g.truth.is_none()); // `group` is not the documented class
}

#[test]
fn polbooks_reads_the_three_leanings_as_truth() {
    let Some(path) = data("polbooks") else { return };
    let g = read(&path, &LoadOptions::default()).unwrap();
    assert_eq!(g.node_count(), 105);
    assert!(g.follows.is_undirected());
    assert_eq!(g.follows.edge_count(), 441);
    let expected = [("c", 49), ("l", 43), ("n", 13)];
    let expected: Vec<(String, usize)> =
        expected.iter().map(|&(n, k)| (n.to_string(), k)).collect();
    assert_eq!(truth_sizes(&g), expected);
}

#[test]
fn polblogs_merges_duplicate_links_and_drops_self_links() {
    let Some(path) = data("polblogs") else { return };
    let g = read(&path, &LoadOptions::default()).unwrap();
    assert_eq!(g.node_count(), 1490);
    assert!(!g.follows.is_undirected());
    // 19,090 edge blocks (README) = 19,022 distinct links + 65 repeats + 3 self-links.
    assert_eq!(g.follows.edge_count(), 19_022);
    assert_eq!(g.summary.follow_duplicates_merged, 65);
    assert_eq!(g.summary.follow_self_loops_dropped, 3);
    let blocks = g.follows.edge_count() as u64
        + g.summary.follow_duplicates_merged
        + g.summary.follow_self_loops_dropped;
    assert_eq!(blocks, 19_090);
    let expected = vec![("0".to_string(), 758), ("1".to_string(), 732)];
    assert_eq!(truth_sizes(&g), expected);
    assert_eq!(
        g.people.get("name", NodeId(0)),
        Some("100monkeystyping.com")
    );
    assert_eq!(
        g.people.get("source", NodeId(2)),
        Some("Blogarama,BlogCatalog")
    );
    let amp = g
        .people
        .column("name")
        .unwrap()
        .iter()
        .find(|(_, v)| v.contains("logname=jamie"));
    assert!(amp.unwrap().1.contains("jamie&logcatid=48"));
}

#[test]
fn polblogs_read_undirected_on_request() {
    let Some(path) = data("polblogs") else { return };
    let options = LoadOptions {
        undirected: Some(true),
        ..Default::default()
    };
    let g = read(&path, &options).unwrap();
    assert!(g.follows.is_undirected());
    assert_eq!(g.follows.edge_count(), 16_715);
}

#[test]
fn gzip_input_reads_the_same() {
    use std::io::Write as _;
    let Some(path) = data("karate") else { return };
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("karate.gml.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    enc.write_all(&std::fs::read(&path).unwrap()).unwrap();
    enc.finish().unwrap();
    let g = crate::load(&gz, &LoadOptions::default()).unwrap();
    assert_eq!(g.node_count(), 34);
    assert_eq!(g.follows.edge_count(), 78);
}

#[test]
fn fixture_with_every_feature() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/gml/tiny.gml");
    let g = crate::load(&path, &LoadOptions::default()).unwrap();
    assert_eq!(g.labels.iter().collect::<Vec<_>>(), vec!["10", "20", "30"]);
    assert_eq!(g.people.get("name", NodeId(0)), Some("Zoë & \"Zed\""));
    assert_eq!(g.people.get("name", NodeId(2)), Some("Bjørk"));
    assert_eq!(g.people.get("score", NodeId(0)), Some("-1.5e2"));
    assert!(!g.follows.is_undirected());
    assert_eq!(g.follows.edge_count(), 3);
    assert_eq!(g.follows.out().weight_between(0, 1), Some(2.5));
    assert_eq!(g.follows.out().weight_between(1, 2), Some(5.0));
    assert_eq!(g.summary.follow_duplicates_merged, 1);
    assert_eq!(g.summary.follow_self_loops_dropped, 1);
    let truth = g.truth.as_ref().unwrap();
    assert_eq!(truth.communities(), &[vec![0, 2], vec![1]]);
    assert_eq!(
        g.summary.notes,
        vec![
            "GML: nested lists ignored: node graphics".to_string(),
            "GML: ground truth from the node attribute `value` (2 classes — x: 2, y: 1)"
                .to_string(),
        ]
    );
}

#[test]
fn entities_decode_and_unknown_ones_stay() {
    assert_eq!(
        decode_entities("a&#38;b&#x41;&lt;&bogus;&"),
        "a&bA<&bogus;&"
    );
}

proptest::proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "[\\[\\] a-z0-9\"#.&;\\\\\n@é+-]{0,200}") {
        let _ = parse(&text);
        let _ = parse(&format!("graph [ {text}"));
    }

    #[test]
    fn cut_fixture_never_panics(cut in 0usize..1200, junk in "[\\[\\]\"#x9é ]{0,3}") {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/gml/tiny.gml");
        let text = std::fs::read_to_string(path).unwrap();
        let cut = (0..=cut.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap();
        let _ = parse(&format!("{}{junk}{}", &text[..cut], &text[cut..]));
        let _ = parse(&text[..cut]);
    }
}
