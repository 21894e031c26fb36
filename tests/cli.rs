//! Integration tests of the real `contextivity` binary.

#![allow(clippy::unwrap_used)]

mod util;

use util::{fixture, run, s, shared};

mod load_and_stats {
    use super::*;

    #[test]
    fn stats_json_counts_an_edge_list() {
        let input = fixture("edgelist/small.txt");
        let j = run(&["stats", s(&input), "--json"]).json();
        assert_eq!(j["people"], 4);
        assert_eq!(j["follows"]["edges"], 3);
        assert_eq!(j["load"]["follow_duplicates_merged"], 1);
        assert_eq!(j["load"]["follow_self_loops_dropped"], 1);
        assert_eq!(j["components"]["count"], 1);
        // alice→bob and bob→alice are mutual: 2 of 3 arcs reciprocated.
        let r = j["follows"]["reciprocity"].as_f64().unwrap();
        assert!((r - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn stats_text_is_readable() {
        let out = run(&["stats", s(&fixture("edgelist/small.txt"))]).ok();
        assert!(out.contains("people             4"), "{out}");
        assert!(out.contains("reciprocity      0.6667"), "{out}");
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
        assert_eq!(j["people"], 3);
        assert_eq!(j["follows"]["edges"], 2);
        let skipped = j["load"]["skipped"].as_object().unwrap();
        assert_eq!(skipped.values().map(|v| v.as_u64().unwrap()).sum::<u64>(), 1);
    }

    #[test]
    fn a_missing_input_is_named() {
        let err = run(&["stats", "no/such/export"]).fails();
        assert!(err.contains("no/such/export"), "{err}");
    }

    #[test]
    fn polblogs_counts_match_the_published_figures() {
        let Some(p) = shared("data/polblogs/polblogs.gml") else { return };
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
        let Some(p) = shared("data/ego_facebook/facebook") else { return };
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
        let direct = run(&["stats", s(&input), "--json"]).ok();
        let reloaded = run(&["stats", s(&snap), "--json"]).ok();
        assert_eq!(direct, reloaded);
    }

    #[test]
    fn a_corrupted_snapshot_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let snap = dir.path().join("g.ctxg");
        run(&["snapshot", s(&fixture("edgelist/small.txt")), "-o", s(&snap)]).ok();
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
