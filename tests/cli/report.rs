//! `analyze`, `inspect` and `diff` through the real binary: the report folder, its schema, its
//! determinism, its atomicity, the terminal views (insta snapshots) and the HTML page in
//! headless Chromium.

use std::path::{Path, PathBuf};

/// The files every report folder holds.
const REPORT_FILES: [&str; 5] = [
    "report.json",
    "clusters.csv",
    "memberships.csv",
    "report.md",
    "report.html",
];

use super::util::{self, fixture, run, s};

/// Analyzes `input` into `dir/name` with extra arguments and returns the summary.
fn analyze(input: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["analyze", s(input), "-o", s(out)];
    args.extend_from_slice(extra);
    run(&args).json()
}

/// The bundled sample, analyzed once per test binary run into a temporary folder.
fn sample_report() -> &'static Path {
    static REPORT: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, path) = REPORT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report");
        analyze(&util::root().join("data/sample"), &out, &[]);
        (dir, out)
    });
    path
}

fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_tiny_export_gets_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let tiny = fixture("canonical/tiny");
    let j = analyze(
        &tiny,
        &out,
        &["--min-cluster-size", "1", "--export", "gexf,graphml"],
    );
    assert_eq!(j["people"], 10);
    assert_eq!(j["interactions"], 16);
    for name in REPORT_FILES.iter().chain(&["graph.gexf", "graph.graphml"]) {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let report = read_json(&out.join("report.json"));
    assert_eq!(report["schema"], "contextivity.report");
    assert_eq!(report["version"], 1);
    assert_eq!(report["network"]["people"], 10);
    assert_eq!(report["network"]["posts"], 8);
    assert_eq!(report["parameters"]["seed"], 42);
    let clusters = report["clusters"].as_array().unwrap();
    let sizes: u64 = clusters.iter().map(|c| c["size"].as_u64().unwrap()).sum();
    assert_eq!(sizes, 10, "every person is in one reported cluster");

    // One membership row per person, with the export's ids.
    let memberships = std::fs::read_to_string(out.join("memberships.csv")).unwrap();
    let mut lines = memberships.lines();
    assert_eq!(lines.next(), Some("person,cluster"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 10);
    assert!(rows.iter().any(|r| r.starts_with("u05,")));
    // The cyclists (u05–u08) share a cluster; the data people (u01–u03) share another.
    let cluster_of = |id: &str| {
        rows.iter()
            .find(|r| r.starts_with(&format!("{id},")))
            .and_then(|r| r.split(',').nth(1))
            .unwrap()
            .to_string()
    };
    assert_eq!(cluster_of("u05"), cluster_of("u07"));
    assert_eq!(cluster_of("u01"), cluster_of("u03"));
    assert_ne!(cluster_of("u01"), cluster_of("u05"));

    let clusters_csv = std::fs::read_to_string(out.join("clusters.csv")).unwrap();
    assert_eq!(clusters_csv.lines().count(), clusters.len() + 1);

    // Gephi gets the cluster of every person.
    let gexf = std::fs::read_to_string(out.join("graph.gexf")).unwrap();
    assert!(gexf.contains(r#"title="cluster""#), "{gexf}");
    let graphml = std::fs::read_to_string(out.join("graph.graphml")).unwrap();
    assert!(graphml.contains(r#"attr.name="cluster""#), "{graphml}");
    // And the exported graph loads back.
    let stats = run(&["stats", s(&out.join("graph.gexf")), "--json"]).json();
    assert_eq!(stats["people"], 10);
}

#[test]
fn mentions_in_posts_become_interactions_when_the_export_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let export = fixture("canonical/mentions_in_posts");
    let j = analyze(&export, &out, &["--min-cluster-size", "1"]);
    // a→ben, a→cy, b→ana, c→ana twice; @nobody names no one.
    assert_eq!(j["derived_mentions"]["added"], 5);
    assert_eq!(j["derived_mentions"]["unresolved"], 1);
    assert_eq!(j["interactions"], 5);
    let report = read_json(&out.join("report.json"));
    let kinds: Vec<&str> = report["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["interactions"]["by_kind"].as_array().unwrap())
        .map(|k| k["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.iter().all(|k| *k == "mention"), "{kinds:?}");
}

#[test]
fn report_json_follows_its_schema() {
    let schema = read_json(&util::root().join("docs/report.schema.json"));
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let report = read_json(&sample_report().join("report.json"));
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .take(10)
        .collect();
    assert!(
        errors.is_empty(),
        "report.json breaks its schema:\n{errors:#?}"
    );

    // The schema is strict enough to catch a renamed or mistyped field.
    let mut broken = report.clone();
    broken["network"]["people"] = serde_json::json!("many");
    assert!(!validator.is_valid(&broken));
    let mut renamed = report;
    let cluster = renamed["clusters"][0].as_object_mut().unwrap();
    let size = cluster.remove("size").unwrap();
    cluster.insert("members".into(), size);
    assert!(!validator.is_valid(&renamed));
}

#[test]
fn the_sample_report_reads_like_the_planted_export() {
    let report = read_json(&sample_report().join("report.json"));
    let network = &report["network"];
    assert_eq!(network["people"], 2000);
    assert_eq!(network["follows"], 40975);
    assert_eq!(network["posts"], 9844);
    // The generator plants about twenty contexts with most ties inside them.
    let clusters = network["clusters"].as_u64().unwrap();
    assert!((10..=40).contains(&clusters), "{clusters} clusters");
    let inside = network["follows_inside_share"].as_f64().unwrap();
    assert!(inside > 0.6, "follows inside clusters: {inside}");
    // Every reported cluster is named by its hashtags and has key members.
    for c in report["clusters"].as_array().unwrap().iter().take(5) {
        let label = c["topics"]["label"].as_str().unwrap();
        assert!(
            label.contains('#'),
            "cluster {} label {label:?}",
            c["cluster"]
        );
        assert!(!c["key_members"].as_array().unwrap().is_empty());
        let ctr = c["engagement"]["click_through_rate"].as_f64().unwrap();
        assert!(ctr > 0.0 && ctr < 1.0, "CTR {ctr}");
    }
    let md = std::fs::read_to_string(sample_report().join("report.md")).unwrap();
    assert!(md.contains("Key members"), "{md}");
}

#[test]
fn same_seed_same_report_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let tiny = util::root().join("data/sample");
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    run(&["--threads", "1", "analyze", s(&tiny), "-o", s(&one)]).ok();
    run(&["--threads", "2", "analyze", s(&tiny), "-o", s(&two)]).ok();
    for name in REPORT_FILES {
        let a = std::fs::read(one.join(name)).unwrap();
        let b = std::fs::read(two.join(name)).unwrap();
        assert!(a == b, "{name} differs between 1 and 2 threads");
    }
}

#[test]
fn a_failed_analyze_leaves_nothing_and_keeps_the_earlier_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let bad = fixture("canonical/column_count");
    let err = run(&["analyze", s(&bad), "-o", s(&out)]).fails();
    assert!(err.contains("people.csv:"), "{err}");
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");

    // An earlier report survives a failed run, and is replaced by a good one.
    analyze(&fixture("canonical/tiny"), &out, &["--seed", "1"]);
    let before = std::fs::read(out.join("report.json")).unwrap();
    run(&["analyze", s(&bad), "-o", s(&out)]).fails();
    assert_eq!(std::fs::read(out.join("report.json")).unwrap(), before);
    analyze(&fixture("canonical/tiny"), &out, &["--seed", "2"]);
    assert_eq!(read_json(&out.join("report.json"))["parameters"]["seed"], 2);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    // A folder that is not a report is never overwritten.
    let other = dir.path().join("notes");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("todo.txt"), "keep me").unwrap();
    let err = run(&["analyze", s(&fixture("canonical/tiny")), "-o", s(&other)]).fails();
    assert!(err.contains("not a contextivity report"), "{err}");
    assert!(other.join("todo.txt").is_file());
}

#[test]
fn the_report_says_whether_topics_shaped_the_clusters() {
    let dir = tempfile::tempdir().unwrap();
    // Topics that follow the groups: applied with the defaults (W = 0.5, 10 neighbours).
    let agree = dir.path().join("agree");
    let j = analyze(&fixture("canonical/topics_agree"), &agree, &[]);
    assert_eq!(j["topics"]["applied"], true, "{}", j["topics"]);
    assert_eq!(j["topics"]["knn"], 10);
    let parameters = &read_json(&agree.join("report.json"))["parameters"];
    assert_eq!(parameters["topics_applied"], true);
    let reason = parameters["topics_reason"].as_str().unwrap();
    assert_eq!(reason, j["topics"]["reason"].as_str().unwrap());
    assert!(
        reason.starts_with("topics agree with structure"),
        "{reason}"
    );

    // Topics that cut across the groups: structure only, the same clusters as without topics.
    let input = fixture("canonical/topics_disagree");
    let (disagree, structure) = (dir.path().join("disagree"), dir.path().join("structure"));
    let j = analyze(&input, &disagree, &[]);
    assert_eq!(j["topics"]["applied"], false, "{}", j["topics"]);
    assert!(j["topics"]["z"].as_f64().unwrap() < 3.0);
    let none = analyze(&input, &structure, &["--topics", "0", "--topic-knn", "0"]);
    assert_eq!(none["topics"]["applied"], false);
    assert!(none["topics"]["lift"].is_null(), "nothing measured: {none}");
    let file = |dir: &Path, name: &str| std::fs::read(dir.join(name)).unwrap();
    assert!(file(&disagree, "memberships.csv") == file(&structure, "memberships.csv"));
    let report = read_json(&disagree.join("report.json"));
    assert_eq!(report["parameters"]["topics_applied"], false);
    assert_eq!(report["parameters"]["topic_weight"], 0.5, "as requested");
    let reason = report["parameters"]["topics_reason"].as_str().unwrap();
    assert!(reason.starts_with("topics do not agree"), "{reason}");
    let md = std::fs::read_to_string(disagree.join("report.md")).unwrap();
    assert!(
        md.contains("| topics applied | no: topics do not agree with structure"),
        "{md}"
    );
    let html = std::fs::read_to_string(disagree.join("report.html")).unwrap();
    assert!(html.contains("topic weight 0.5 (not applied)"));
    assert!(html.contains("Topics not applied: topics do not agree with structure"));
    // Clusters are still named by their topics.
    assert!(report["clusters"][0]["topics"]["label"]
        .as_str()
        .unwrap()
        .contains('#'));

    // Forced: the neighbours and weights are back, and the report says so.
    let forced = dir.path().join("forced");
    let j = analyze(&input, &forced, &["--force-topics"]);
    assert_eq!(j["topics"]["applied"], true);
    assert_eq!(j["topics"]["forced"], true);
    let parameters = &read_json(&forced.join("report.json"))["parameters"];
    assert_eq!(parameters["topics_applied"], true);
    assert!(parameters["topics_reason"]
        .as_str()
        .unwrap()
        .starts_with("topics forced"));
}

#[test]
fn inspect_ranks_and_details_clusters() {
    let report = sample_report();
    let ranked = run(&[
        "inspect",
        s(report),
        "--sort",
        "click_through_rate",
        "--top",
        "8",
    ])
    .ok();
    insta::assert_snapshot!("inspect_ranked_by_ctr", ranked);
    let one = run(&["inspect", s(report), "0", "--top", "5"]).ok();
    insta::assert_snapshot!("inspect_cluster_0", one);
    let two = run(&["inspect", s(report), "0", "--compare", "1"]).ok();
    insta::assert_snapshot!("inspect_compare_0_1", two);

    let err = run(&["inspect", s(report), "--sort", "charisma"]).fails();
    assert!(err.contains("charisma") && err.contains("size"), "{err}");
    let err = run(&["inspect", s(report), "9999"]).fails();
    assert!(err.contains("9999"), "{err}");
}

#[test]
fn diff_matches_clusters_of_two_runs() {
    let dir = tempfile::tempdir().unwrap();
    let coarse = dir.path().join("coarse");
    analyze(
        &util::root().join("data/sample"),
        &coarse,
        &["--resolution", "0.3"],
    );
    let same = run(&["diff", s(sample_report()), s(sample_report()), "--json"]).json();
    let before = same["before"].as_array().unwrap();
    assert!(!before.is_empty());
    assert!(
        before.iter().all(|c| c["fate"] == "continued"
            && c["change"] == "stable"
            && c["into"] == c["cluster"]),
        "a report against itself: {same}"
    );
    assert_eq!(same["people_both"], 2000);
    let table = run(&["diff", s(sample_report()), s(&coarse)]).ok();
    insta::assert_snapshot!("diff_resolution_1_to_0_3", table);
    assert!(table.contains("merged"), "{table}");
}

#[test]
fn the_html_page_renders_offline_in_chromium() {
    let chromium = ["chromium", "chromium-browser"].iter().any(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !chromium {
        // CI installs Chromium and insists on this check; elsewhere it is skipped with a note.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium for the HTML check"
        );
        eprintln!("chromium not installed: skipping the headless HTML check");
        return;
    }
    let script = util::root().join("scripts/check-report-html.sh");
    let output = std::process::Command::new("bash")
        .arg(&script)
        .arg(sample_report())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
