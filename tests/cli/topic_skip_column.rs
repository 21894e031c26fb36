//! `--topic-skip-column NAME`: an attribute column left out of the topics.

use super::util::{fixture, run, s};

/// `tests/fixtures/gml/leaning.gml`: three cliques of seven, whose GML `value` (the ground
/// truth, as in polbooks) follows the cliques while the names do not.
fn leaning() -> std::path::PathBuf {
    fixture("gml/leaning.gml")
}

/// The cluster labels of a `cluster --topics 0.5` run and its `topics` object.
fn labels_and_topics(extra: &[&str]) -> (Vec<String>, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.tsv");
    let input = leaning();
    let mut args = vec!["cluster", s(&input), "--topics", "0.5", "-o", s(&out)];
    args.extend_from_slice(extra);
    let j = run(&args).json();
    let labels = j["runs"][0]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["label"].as_str().unwrap().to_string())
        .collect();
    (labels, j["topics"].clone())
}

#[test]
fn the_ground_truth_column_stays_out_of_the_topics() {
    // Without the flag the truth is a topic: it names the clusters and makes the topics agree
    // with structure.
    let (labels, topics) = labels_and_topics(&[]);
    assert!(labels.iter().any(|l| l.contains("value:")), "{labels:?}");
    assert_eq!(topics["applied"], true, "{topics}");
    // With it the clusters are named by the other terms only, and the names alone do not
    // follow the cliques, so the run is structure only.
    let (labels, topics) = labels_and_topics(&["--topic-skip-column", "value"]);
    assert!(!labels.is_empty());
    assert!(labels.iter().all(|l| !l.contains("value")), "{labels:?}");
    assert_eq!(topics["applied"], false, "{topics}");
    // Case does not matter (the terms are lower-cased).
    let (upper, _) = labels_and_topics(&["--topic-skip-column", "VALUE"]);
    assert_eq!(upper, labels);
}

#[test]
fn analyze_leaves_the_column_out_of_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    run(&[
        "analyze",
        s(&leaning()),
        "--topic-skip-column",
        "value",
        "--min-cluster-size",
        "1",
        "-o",
        s(&out),
    ])
    .ok();
    let report = std::fs::read_to_string(out.join("report.json")).unwrap();
    assert!(!report.contains("value:"), "{report}");
    // The report records what was left out, and the iteration settings, to reproduce the run.
    let json: serde_json::Value = serde_json::from_str(&report).unwrap();
    let parameters = &json["parameters"];
    assert_eq!(
        parameters["topic_skip_columns"],
        serde_json::json!(["value"])
    );
    assert_eq!(parameters["iterations"], serde_json::json!(2));
    assert_eq!(parameters["stable_share"], serde_json::json!(0.001));
    let markdown = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        markdown.contains("| attribute columns left out of the topics | value |"),
        "{markdown}"
    );
    let with = dir.path().join("with");
    run(&["analyze", s(&leaning()), "-o", s(&with)]).ok();
    let report = std::fs::read_to_string(with.join("report.json")).unwrap();
    assert!(
        report.contains("value:"),
        "the fixture should show the column without the flag"
    );
}

#[test]
fn an_unknown_column_is_named_with_the_columns_there_are() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.tsv");
    let err = run(&[
        "cluster",
        s(&leaning()),
        "--topics",
        "0.5",
        "--topic-skip-column",
        "leaning",
        "-o",
        s(&out),
    ])
    .fails();
    assert!(
        err.contains("--topic-skip-column `leaning`: no such attribute column")
            && err.contains("`value`"),
        "{err}"
    );
    assert!(!out.exists());
    let report = dir.path().join("report");
    let err = run(&[
        "analyze",
        s(&fixture("edgelist/small.txt")),
        "--topic-skip-column",
        "value",
        "-o",
        s(&report),
    ])
    .fails();
    assert!(err.contains("the export has no attribute columns"), "{err}");
}
