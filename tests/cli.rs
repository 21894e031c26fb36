//! Integration tests of the real `contextivity` binary.

#![allow(clippy::unwrap_used)]

#[path = "cli/evaluate_ego.rs"]
mod evaluate_ego;
#[path = "cli/report.rs"]
mod report;
#[path = "cli/topic_skip_column.rs"]
mod topic_skip_column;
mod util;

use util::{fixture, run, s, shared};

mod load_and_stats {
    use super::*;

    #[test]
    fn stats_json_counts_an_edge_list() {
        let input = fixture("edgelist/small.txt");
        let j = run(&["stats", s(&input), "--json"]).json();
        assert_eq!(j["people"], 4);
        // alice→bob, bob→alice, bob→carol, dave→alice; the repeat and the loop are not kept.
        assert_eq!(j["follows"]["edges"], 4);
        assert_eq!(j["load"]["follow_duplicates_merged"], 1);
        assert_eq!(j["load"]["follow_self_loops_dropped"], 1);
        assert_eq!(j["components"]["count"], 1);
        // alice→bob and bob→alice are mutual: 2 of 4 arcs reciprocated.
        let r = j["follows"]["reciprocity"].as_f64().unwrap();
        assert!((r - 0.5).abs() < 1e-9);
    }

    #[test]
    fn stats_text_is_readable() {
        let out = run(&["stats", s(&fixture("edgelist/small.txt"))]).ok();
        assert!(out.contains("people             4"), "{out}");
        assert!(out.contains("reciprocity      0.5000"), "{out}");
    }

    #[test]
    fn a_bad_line_gets_a_located_error_and_exit_1() {
        let input = fixture("edgelist/bad_weight.txt");
        let r = run(&["stats", s(&input)]);
        assert_eq!(r.status, 1);
        let err = r.stderr;
        assert!(err.contains("bad_weight.txt:3"), "{err}");
    }

    #[test]
    fn skip_policy_counts_what_it_skipped() {
        let input = fixture("edgelist/bad_weight.txt");
        let j = run(&["stats", s(&input), "--json", "--on-error", "skip"]).json();
        // The skipped line adds nobody: `x` appears on it only.
        assert_eq!(j["people"], 3);
        assert_eq!(j["follows"]["edges"], 2);
        let skipped = j["load"]["skipped"].as_object().unwrap();
        assert_eq!(
            skipped.values().map(|v| v.as_u64().unwrap()).sum::<u64>(),
            1
        );
    }

    #[test]
    fn a_missing_input_is_named() {
        let err = run(&["stats", "no/such/export"]).fails();
        assert!(err.contains("no/such/export"), "{err}");
    }

    #[test]
    fn polblogs_counts_match_the_published_figures() {
        let Some(p) = shared("data/polblogs/polblogs.gml") else {
            return;
        };
        let j = run(&["stats", s(&p), "--json"]).json();
        assert_eq!(j["people"], 1490);
        // 19,090 edge blocks: 3 self-loops dropped, 65 duplicates merged, 19,022 distinct links.
        assert_eq!(j["follows"]["edges"], 19022);
        assert_eq!(j["load"]["follow_self_loops_dropped"], 3);
        assert_eq!(j["load"]["follow_duplicates_merged"], 65);
        assert_eq!(j["components"]["isolated"], 266);
        let r = j["follows"]["reciprocity"].as_f64().unwrap();
        assert!((r - 0.242561).abs() < 1e-5, "{r}");
        assert_eq!(j["truth_communities"], 2);
    }

    #[test]
    fn ego_facebook_counts_match_the_published_figures() {
        let Some(p) = shared("data/ego_facebook/facebook") else {
            return;
        };
        let j = run(&["stats", s(&p), "--json"]).json();
        assert_eq!(j["people"], 4039);
        assert_eq!(j["follows"]["edges"], 88234);
        assert_eq!(j["follows"]["undirected"], true);
        assert_eq!(j["truth_communities"], 193);
        assert_eq!(j["components"]["count"], 1);
    }
}

mod snapshots {
    use super::*;

    #[test]
    fn export_snapshot_stats_are_identical() {
        let dir = tempfile::tempdir().unwrap();
        let input = fixture("edgelist/small.txt");
        let snap = dir.path().join("g.ctxg");
        let j = run(&["snapshot", s(&input), "-o", s(&snap)]).json();
        assert_eq!(j["people"], 4);
        let without_timings = |mut v: serde_json::Value| {
            v.as_object_mut().unwrap().remove("seconds");
            v
        };
        let direct = without_timings(run(&["stats", s(&input), "--json"]).json());
        let reloaded = without_timings(run(&["stats", s(&snap), "--json"]).json());
        assert_eq!(direct, reloaded);
    }

    #[test]
    fn a_corrupted_snapshot_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let snap = dir.path().join("g.ctxg");
        run(&[
            "snapshot",
            s(&fixture("edgelist/small.txt")),
            "-o",
            s(&snap),
        ])
        .ok();
        let mut bytes = std::fs::read(&snap).unwrap();
        let at = bytes.len() - 2;
        bytes[at] ^= 0xff;
        std::fs::write(&snap, &bytes).unwrap();
        let err = run(&["stats", s(&snap)]).fails();
        assert!(err.contains("corrupted"), "{err}");
        std::fs::write(&snap, &bytes[..bytes.len() / 2]).unwrap();
        let err = run(&["stats", s(&snap)]).fails();
        assert!(err.contains("truncated"), "{err}");
    }

    #[test]
    fn a_failed_load_leaves_no_output() {
        let dir = tempfile::tempdir().unwrap();
        let snap = dir.path().join("g.ctxg");
        let input = fixture("edgelist/bad_weight.txt");
        run(&["snapshot", s(&input), "-o", s(&snap)]).fails();
        assert!(!snap.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

mod clustering {
    use super::*;

    fn karate() -> Option<std::path::PathBuf> {
        shared("data/karate/karate.gml")
    }

    #[test]
    fn karate_reaches_near_optimal_modularity_with_original_ids() {
        let Some(k) = karate() else { return };
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("m.tsv");
        let j = run(&["cluster", s(&k), "-o", s(&out)]).json();
        let q = j["modularity"].as_f64().unwrap();
        assert!(q >= 0.4188, "Q = {q}");
        assert_eq!(j["people"], 34);
        assert_eq!(j["edges"], 78);
        let text = std::fs::read_to_string(&out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 34);
        // GML ids are 1-based; the memberships speak the export's ids.
        assert!(lines.iter().any(|l| l.starts_with("34\t")));
        assert!(!lines.iter().any(|l| l.starts_with("0\t")));
        // Clusters are numbered from 0 by decreasing size.
        let mut sizes = std::collections::BTreeMap::new();
        for l in &lines {
            let c: u32 = l.split('\t').nth(1).unwrap().parse().unwrap();
            *sizes.entry(c).or_insert(0usize) += 1;
        }
        let ordered: Vec<usize> = sizes.values().copied().collect();
        assert!(ordered.windows(2).all(|w| w[0] >= w[1]), "{ordered:?}");
        assert_eq!(sizes.len() as u64, j["communities"].as_u64().unwrap());
    }

    #[test]
    fn same_seed_same_memberships_at_any_thread_count() {
        let dir = tempfile::tempdir().unwrap();
        let gen = dir.path().join("lfr");
        run(&[
            "generate",
            "lfr",
            "--nodes",
            "3000",
            "--mixing",
            "0.4",
            "--seed",
            "7",
            "-o",
            s(&gen),
        ])
        .ok();
        let edges = gen.join("edges.txt");
        for objective in ["modularity", "map"] {
            let mut outputs = Vec::new();
            for threads in ["1", "2", "4"] {
                let out = dir.path().join(format!("{objective}-{threads}.tsv"));
                run(&[
                    "cluster",
                    s(&edges),
                    "--objective",
                    objective,
                    "--threads",
                    threads,
                    "--seed",
                    "3",
                    "-o",
                    s(&out),
                ])
                .ok();
                outputs.push(std::fs::read(&out).unwrap());
            }
            assert_eq!(outputs[0], outputs[1], "{objective}: 1 vs 2 threads");
            assert_eq!(outputs[0], outputs[2], "{objective}: 1 vs 4 threads");
        }
    }

    #[test]
    fn map_equation_recovers_a_planted_lfr_partition() {
        let dir = tempfile::tempdir().unwrap();
        let gen = dir.path().join("lfr");
        let g = run(&[
            "generate",
            "lfr",
            "--nodes",
            "5000",
            "--mixing",
            "0.3",
            "--seed",
            "11",
            "-o",
            s(&gen),
        ])
        .json();
        assert_eq!(g["nodes"], 5000);
        let out = dir.path().join("m.tsv");
        run(&[
            "cluster",
            s(&gen.join("edges.txt")),
            "--objective",
            "map",
            "-o",
            s(&out),
        ])
        .ok();
        let e = run(&["evaluate", s(&out), "--truth", s(&gen.join("truth.tsv"))]).json();
        let nmi = e["nmi"].as_f64().unwrap();
        assert!(nmi >= 0.99, "NMI {nmi}");
        assert_eq!(e["people_compared"], 5000);
        assert_eq!(e["truth"], g["communities"]);
    }

    #[test]
    fn several_resolutions_in_one_run() {
        let Some(k) = karate() else { return };
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("m.tsv");
        let j = run(&["cluster", s(&k), "--resolution", "0.5,1,2", "-o", s(&out)]).json();
        let runs = j["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 3);
        let counts: Vec<u64> = runs
            .iter()
            .map(|r| r["communities"].as_u64().unwrap())
            .collect();
        assert!(
            counts[0] <= counts[1] && counts[1] <= counts[2],
            "{counts:?}"
        );
        for r in ["0.5", "1", "2"] {
            assert!(dir.path().join(format!("m.r{r}.tsv")).exists());
        }
    }

    #[test]
    fn bad_parameters_fail_before_any_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("m.tsv");
        let input = fixture("edgelist/small.txt");
        let err = run(&["cluster", s(&input), "--resolution", "-1", "-o", s(&out)]).fails();
        assert!(err.contains("resolution"), "{err}");
        let err = run(&[
            "cluster",
            s(&input),
            "--kind-weight",
            "reply",
            "-o",
            s(&out),
        ])
        .fails();
        assert!(err.contains("KIND=WEIGHT"), "{err}");
        let missing = dir.path().join("nope/m.tsv");
        let err = run(&["cluster", s(&input), "-o", s(&missing)]).fails();
        assert!(err.contains("does not exist"), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn evaluate_scores_ego_circles_as_a_cover() {
        let Some(circles) = shared("data/ego_facebook/facebook/0.circles") else {
            return;
        };
        // A cover compared with itself scores 1 on every measure that applies to covers.
        let e = run(&["evaluate", s(&circles), "--truth", s(&circles)]).json();
        assert_eq!(e["onmi"].as_f64().unwrap(), 1.0);
        assert_eq!(e["f1"].as_f64().unwrap(), 1.0);
        assert_eq!(e["truth"], 24);
        // Circles overlap, so NMI and ARI, which need partitions, are not given.
        assert!(e["nmi"].is_null());
    }
}

mod canonical_exports {
    use super::*;

    #[test]
    fn the_tiny_export_loads_every_layer() {
        let j = run(&["stats", s(&fixture("canonical/tiny")), "--json"]).json();
        assert_eq!(j["people"], 10);
        assert_eq!(j["follows"]["edges"], 24);
        assert_eq!(j["interactions"]["events"], 16);
        assert_eq!(j["posts"], 8);
    }

    #[test]
    fn the_tiny_export_clusters_with_interactions() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("m.tsv");
        let with = run(&["cluster", s(&fixture("canonical/tiny")), "-o", s(&out)]).json();
        let without = run(&[
            "cluster",
            s(&fixture("canonical/tiny")),
            "--follows-only",
            "-o",
            s(&out),
        ])
        .json();
        assert_eq!(with["people"], 10);
        // Interactions add pairs that never follow each other, or weight to those that do.
        assert!(with["edges"].as_u64().unwrap() >= without["edges"].as_u64().unwrap());
    }
}

mod generated_exports {
    use super::*;

    #[test]
    fn the_bundled_sample_regenerates_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("sample");
        let j = run(&[
            "generate",
            "social",
            "--people",
            "2000",
            "--seed",
            "1",
            "-o",
            s(&out),
        ])
        .json();
        assert!(j.is_object());
        for file in [
            "people.csv",
            "follows.csv",
            "interactions.csv",
            "posts.csv",
            "truth.tsv",
        ] {
            let fresh = std::fs::read(out.join(file)).unwrap();
            let bundled = std::fs::read(util::root().join("data/sample").join(file)).unwrap();
            assert!(fresh == bundled, "{file} differs from data/sample/{file}");
        }
    }

    #[test]
    fn the_main_job_finds_the_planted_contexts_of_the_sample() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("m.tsv");
        let sample = util::root().join("data/sample");
        let j = run(&["cluster", s(&sample), "-o", s(&out)]).json();
        assert_eq!(j["people"], 2000);
        let e = run(&["evaluate", s(&out), "--truth", s(&sample.join("truth.tsv"))]).json();
        // Contexts overlap (10 % of people hold two), so the cover measures apply.
        let f1 = e["f1"].as_f64().unwrap();
        let onmi = e["onmi"].as_f64().unwrap();
        assert!(f1 > 0.6, "average F1 {f1}");
        assert!(onmi > 0.5, "overlapping NMI {onmi}");
    }

    #[test]
    fn a_bad_generator_parameter_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("x");
        let err = run(&[
            "generate",
            "social",
            "--people",
            "2000",
            "--mixing",
            "1.5",
            "-o",
            s(&out),
        ])
        .fails();
        assert!(err.contains("mixing"), "{err}");
        let left = std::fs::read_dir(dir.path()).unwrap().flatten().count();
        assert!(left == 0 || std::fs::read_dir(&out).unwrap().count() == 0);
    }
}

mod topics {
    use super::*;

    #[test]
    fn topic_weight_zero_is_structure_only_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let sample = util::root().join("data/sample");
        let (a, b) = (dir.path().join("a.tsv"), dir.path().join("b.tsv"));
        run(&["cluster", s(&sample), "-o", s(&a)]).ok();
        run(&["cluster", s(&sample), "--topics", "0", "-o", s(&b)]).ok();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    }

    #[test]
    fn topic_aware_clusters_are_named_by_their_terms() {
        let dir = tempfile::tempdir().unwrap();
        let sample = util::root().join("data/sample");
        let out = dir.path().join("m.tsv");
        let j = run(&["cluster", s(&sample), "--topics", "0.5", "-o", s(&out)]).json();
        assert_eq!(j["topics"]["weight"], 0.5);
        // The sample's planted topics follow its planted contexts: they are applied.
        assert_eq!(j["topics"]["applied"], true, "{}", j["topics"]);
        let labels = j["runs"][0]["labels"].as_array().unwrap();
        assert!(!labels.is_empty());
        let first = labels[0]["label"].as_str().unwrap();
        assert!(first.starts_with('#'), "hashtags lead a label: {first}");
        let err = run(&["cluster", s(&sample), "--topics", "1.5", "-o", s(&out)]).fails();
        assert!(err.contains("topic_weight"), "{err}");
    }

    /// `tests/fixtures/canonical/topics_agree` and `topics_disagree`: the same 40 people in four
    /// groups of ten (each follows the next three of its group, both ways, plus four ties between
    /// groups: 124 ties). In `topics_agree` everyone posts about their group's topic; in
    /// `topics_disagree` each group mixes the four topics (a shuffle chosen so that connected
    /// people are no more alike than chance: lift 0.94, z −0.3).
    fn memberships(input: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> Vec<u8> {
        let mut args = vec!["cluster", s(input), "-o", s(out)];
        args.extend_from_slice(extra);
        run(&args).ok();
        std::fs::read(out).unwrap()
    }

    #[test]
    fn topics_that_agree_with_structure_shape_the_clusters() {
        let dir = tempfile::tempdir().unwrap();
        let input = fixture("canonical/topics_agree");
        let out = dir.path().join("m.tsv");
        let j = run(&["cluster", s(&input), "--topics", "0.5", "-o", s(&out)]).json();
        let topics = &j["topics"];
        assert_eq!(topics["applied"], true, "{topics}");
        assert_eq!(topics["forced"], false);
        assert_eq!(topics["weight"], 0.5);
        assert_eq!(topics["ties"], 124);
        let lift = topics["lift"].as_f64().unwrap();
        let z = topics["z"].as_f64().unwrap();
        assert!(lift > 4.0 && z > 40.0, "lift {lift}, z {z}");
        let (tie, null) = (
            topics["tie_similarity"].as_f64().unwrap(),
            topics["null_similarity"].as_f64().unwrap(),
        );
        assert!((tie / null - lift).abs() < 1e-9);
        let reason = topics["reason"].as_str().unwrap();
        assert!(
            reason.starts_with("topics agree with structure"),
            "{reason}"
        );
        // The four groups, each with its topic.
        assert_eq!(j["communities"], 4);
    }

    #[test]
    fn topics_that_do_not_agree_leave_structure_only_clusters_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let input = fixture("canonical/topics_disagree");
        let structure = memberships(&input, &dir.path().join("w0.tsv"), &["--topics", "0"]);
        // W = 1 would weigh every tie by its cosine alone: nothing of it may reach the clusters.
        let out = dir.path().join("w1.tsv");
        let j = run(&["cluster", s(&input), "--topics", "1", "-o", s(&out)]).json();
        let topics = &j["topics"];
        assert_eq!(topics["applied"], false, "{topics}");
        assert_eq!(topics["ties"], 124);
        let lift = topics["lift"].as_f64().unwrap();
        assert!(lift < 1.0, "lift {lift}");
        let reason = topics["reason"].as_str().unwrap();
        assert!(
            reason.starts_with("topics do not agree with structure")
                && reason.ends_with("clustering by structure only"),
            "{reason}"
        );
        assert!(std::fs::read(&out).unwrap() == structure);
        // Neighbours are dropped with the weights.
        let knn = memberships(
            &input,
            &dir.path().join("knn.tsv"),
            &["--topics", "0.5", "--topic-knn", "5"],
        );
        assert!(knn == structure);

        // --force-topics blends anyway, and says so.
        let forced = dir.path().join("forced.tsv");
        let j = run(&[
            "cluster",
            s(&input),
            "--topics",
            "1",
            "--force-topics",
            "-o",
            s(&forced),
        ])
        .json();
        let topics = &j["topics"];
        assert_eq!(topics["applied"], true, "{topics}");
        assert_eq!(topics["forced"], true);
        assert!(topics["reason"]
            .as_str()
            .unwrap()
            .starts_with("topics forced (--force-topics)"));
        assert!(std::fs::read(&forced).unwrap() != structure);
        assert!(j["communities"].as_u64().unwrap() > 4, "{j}");
    }

    #[test]
    fn force_topics_needs_topics_to_force() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("m.tsv");
        let input = fixture("canonical/topics_disagree");
        let err = run(&["cluster", s(&input), "--force-topics", "-o", s(&out)]).fails();
        assert!(err.contains("--force-topics needs --topics"), "{err}");
        assert!(!out.exists());
        // Without any text there is nothing to blend, forced or not.
        let tiny = fixture("edgelist/small.txt");
        let j = run(&[
            "cluster",
            s(&tiny),
            "--topics",
            "0.5",
            "--force-topics",
            "-o",
            s(&out),
        ])
        .json();
        assert_eq!(j["topics"]["applied"], false, "{}", j["topics"]);
        assert!(j["topics"]["lift"].is_null());
    }
}
