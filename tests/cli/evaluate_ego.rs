//! `evaluate --truth EGO_DIR`: SNAP ego circles scored per ego, as McAuley & Leskovec do.

use super::util::{fixture, run, s, shared};

/// Asserts `a` is within `tolerance` of `b`.
fn close(a: &serde_json::Value, b: f64, tolerance: f64) {
    let a = a.as_f64().unwrap_or_else(|| panic!("not a number: {a}"));
    assert!((a - b).abs() <= tolerance, "{a} vs {b}");
}

#[test]
fn a_hand_made_ego_directory_is_scored_per_ego() {
    // tests/fixtures/ego_truth/README.md works the numbers out by hand.
    let dir = fixture("ego_truth");
    let memberships = dir.join("memberships.tsv");
    let e = run(&["evaluate", s(&memberships), "--truth", s(&dir.join("egos"))]).json();
    assert_eq!(e["scoring"], "per-ego");
    close(&e["f1"], 79.0 / 120.0, 1e-12);
    let egos = e["egos"].as_array().unwrap();
    assert_eq!(egos.len(), 2);
    assert_eq!(egos[0]["ego"], "1");
    close(&egos[0]["f1"], 5.0 / 6.0, 1e-12);
    assert_eq!(egos[0]["circles"], 2);
    assert_eq!(egos[0]["people"], 5);
    assert_eq!(egos[0]["clusters"], 3);
    assert_eq!(egos[1]["ego"], "2");
    close(&egos[1]["f1"], 29.0 / 60.0, 1e-12);
    assert_eq!(egos[1]["people"], 4);
    assert_eq!(egos[1]["clusters"], 3);
    let skipped = &e["egos_skipped"];
    assert_eq!(skipped[0]["ego"], "3");
    assert_eq!(skipped[0]["reason"], "its circles file names no member");
    assert_eq!(skipped[1]["ego"], "4");
    assert_eq!(skipped[1]["reason"], "no circles file");
    // The pooled figures stay beside the per-ego ones.
    close(&e["f1_pooled"], 91.0 / 180.0, 1e-12);
    assert!(e["onmi"].is_f64());
    // Here the circles happen to split the people both files name, so NMI and ARI apply.
    assert!(e["nmi"].is_f64() && e["ari"].is_f64(), "{e}");
    assert_eq!(e["truth"], 3);
    assert_eq!(e["detected"], 4);

    // --truth-format ego says the same; on one EGO.circles file it scores that ego.
    let forced = run(&[
        "evaluate",
        s(&memberships),
        "--truth",
        s(&dir.join("egos")),
        "--truth-format",
        "ego",
    ])
    .json();
    assert_eq!(forced, e);
    let one = run(&[
        "evaluate",
        s(&memberships),
        "--truth",
        s(&dir.join("egos/2.circles")),
        "--truth-format",
        "ego",
    ])
    .json();
    close(&one["f1"], 29.0 / 60.0, 1e-12);
    assert_eq!(one["egos"].as_array().unwrap().len(), 1);
    // Without --truth-format ego the file is one pooled cover, as before.
    let file = run(&[
        "evaluate",
        s(&memberships),
        "--truth",
        s(&dir.join("egos/2.circles")),
    ])
    .json();
    assert_eq!(file["scoring"], "pooled");
    assert!(file["egos"].is_null());
}

#[test]
fn a_malformed_circles_line_is_located_and_a_plain_directory_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("5.circles"), "c0\t1\t2\nc1\t3\tfour\n").unwrap();
    let memberships = fixture("ego_truth/memberships.tsv");
    let err = run(&["evaluate", s(&memberships), "--truth", s(dir.path())]).fails();
    assert!(
        err.contains("5.circles:2:3: invalid member of circle `c1` `four`"),
        "{err}"
    );

    let err = run(&[
        "evaluate",
        s(&memberships),
        "--truth",
        s(&fixture("ego_truth/egos")),
        "--truth-format",
        "pairs",
    ])
    .fails();
    assert!(err.contains("--truth-format ego"), "{err}");
    let err = run(&[
        "evaluate",
        s(&memberships),
        "--truth",
        s(&fixture("canonical/tiny")),
    ])
    .fails();
    assert!(err.contains("without SNAP ego circles"), "{err}");
}

/// Mean per-ego F1 of `cluster ego_facebook/facebook --topics W --seed 42` (measured; a throwaway
/// Python scoring of the same memberships gives the same figures to 1e-4).
const FACEBOOK_SEED_42: [(&str, f64); 2] = [("0", 0.336_457), ("0.5", 0.355_539)];

#[test]
fn ego_facebook_topics_beat_structure_only_per_ego() {
    let Some(facebook) = shared("data/ego_facebook/facebook") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut scores = Vec::new();
    for (w, expected) in FACEBOOK_SEED_42 {
        let out = dir.path().join(format!("w{w}.tsv"));
        run(&[
            "cluster",
            s(&facebook),
            "--topics",
            w,
            "--seed",
            "42",
            "-o",
            s(&out),
        ])
        .ok();
        let e = run(&["evaluate", s(&out), "--truth", s(&facebook)]).json();
        assert_eq!(e["scoring"], "per-ego");
        assert_eq!(e["truth"], 193);
        let egos = e["egos"].as_array().unwrap().clone();
        let ids: Vec<&str> = egos.iter().map(|g| g["ego"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            ["0", "107", "348", "414", "686", "698", "1684", "1912", "3437", "3980"]
        );
        assert_eq!(egos[0]["people"], 347);
        assert_eq!(egos[0]["circles"], 24);
        close(&e["f1"], expected, 1e-4);
        scores.push((e["f1"].as_f64().unwrap(), egos));
    }
    // The acceptance: `--topics 0.5` beats `--topics 0` on the ego circles — on the
    // mean, and no ego does worse (four egos score the same).
    let (structure, topics) = (&scores[0], &scores[1]);
    assert!(topics.0 > structure.0, "{} vs {}", topics.0, structure.0);
    for (a, b) in structure.1.iter().zip(&topics.1) {
        let ego = &a["ego"];
        let (a, b) = (a["f1"].as_f64().unwrap(), b["f1"].as_f64().unwrap());
        assert!(b >= a - 1e-12, "ego {ego}: {b} with topics < {a} without");
    }
}
