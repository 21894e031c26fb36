//! Tests of the canonical reader against the fixtures in `tests/fixtures/canonical/` and
//! generated exports.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use contextivity_graph::{NodeId, SocialGraph};
use proptest::prelude::*;

use super::posts::hashtags;
use super::*;
use crate::OnError;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/canonical")
        .join(name)
}

fn strict() -> LoadOptions {
    LoadOptions::default()
}

fn skipping() -> LoadOptions {
    LoadOptions {
        on_error: OnError::Skip,
        ..LoadOptions::default()
    }
}

/// The error's message with the directory prefix removed: `follows.csv:3: …`.
fn message(dir: &Path, options: &LoadOptions) -> String {
    let err = read(dir, options).expect_err("the export should not load");
    let prefix = format!("{}", dir.join("").display());
    err.to_string().replacen(&prefix, "", 1)
}

/// Writes `files` (name → bytes) into a fresh temporary directory.
fn export(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

/// Copies the fixture `name`, transforming every file's bytes and renaming it.
fn transformed(
    name: &str,
    rename: impl Fn(&str) -> String,
    transform: impl Fn(&[u8]) -> Vec<u8>,
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture(name)).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(dir.path().join(rename(&file)), transform(&bytes)).unwrap();
    }
    dir
}

fn node(g: &SocialGraph, label: &str) -> NodeId {
    let i = g.labels.iter().position(|l| l == label).unwrap();
    NodeId(i as u32)
}

/// Follows as `(follower, followee, weight)` labels.
fn follows(g: &SocialGraph) -> Vec<(String, String, f32)> {
    g.follows
        .out()
        .iter()
        .map(|(u, v, w)| {
            (
                g.label(NodeId(u)).to_string(),
                g.label(NodeId(v)).to_string(),
                w,
            )
        })
        .collect()
}

/// Interactions as `(source, target, kind, time, weight)`.
fn interactions(g: &SocialGraph) -> Vec<(String, String, String, i64, f32)> {
    let kinds = g.interactions.kinds();
    g.interactions
        .iter()
        .map(|e| {
            (
                g.label(NodeId(e.source)).to_string(),
                g.label(NodeId(e.target)).to_string(),
                kinds.name(e.kind).to_string(),
                e.time,
                e.weight,
            )
        })
        .collect()
}

fn s(x: &str) -> String {
    x.to_string()
}

/// Everything the `full` fixture holds, checked value by value.
fn assert_full_export(g: &SocialGraph) {
    let labels: Vec<&str> = g.labels.iter().collect();
    assert_eq!(labels, ["alice", "bob", "😀", "carol", "dave", "x,y"]);

    assert_eq!(
        follows(g),
        vec![
            (s("alice"), s("bob"), 1.0),
            (s("bob"), s("alice"), 2.0),
            (s("😀"), s("carol"), 0.5),
            (s("carol"), s("alice"), 1.0),
            (s("dave"), s("alice"), 1.0),
            (s("x,y"), s("bob"), 1.0),
        ]
    );

    let noon = 1_709_296_200;
    let no_time = contextivity_graph::interactions::NO_TIME;
    assert_eq!(
        interactions(g),
        vec![
            (s("alice"), s("bob"), s("mention"), noon, 1.0),
            (s("alice"), s("carol"), s("like"), no_time, 1.0),
            (s("bob"), s("alice"), s("reply"), noon, 2.0),
            (s("carol"), s("😀"), s("boost"), 1_709_337_600, 3.0),
        ]
    );
    assert_eq!(g.summary.interaction_duplicates_merged, 1);
    assert_eq!(
        g.interactions.kinds().name(contextivity_graph::KindId(7)),
        "boost"
    );

    let (alice, bob, smiley, carol) = (
        node(g, "alice"),
        node(g, "bob"),
        node(g, "😀"),
        node(g, "carol"),
    );
    let p = &g.people;
    assert_eq!(p.handle(alice), Some("@alice"));
    assert_eq!(p.get("name", bob), Some("Bob \"the builder\""));
    assert_eq!(p.bio(alice), Some("Curious, very curious"));
    assert_eq!(
        p.bio(bob),
        Some("Builds things.\nSecond line, with a comma.")
    );
    assert_eq!(p.bio(smiley), None);
    assert_eq!(p.followers_count(alice), Some(1200));
    assert_eq!(p.followers_count(carol), None);
    assert_eq!(p.get("location", smiley), Some("Internet"));
    assert_eq!(p.get("location", bob), None);
    assert_eq!(
        p.column_names().collect::<Vec<_>>(),
        ["bio", "followers_count", "handle", "location", "name"]
    );
    assert_eq!(p.column("location").unwrap().len(), 2);

    let posts = g.posts.as_slice();
    assert_eq!(posts.len(), 3);
    let p1 = &posts[0];
    assert_eq!(&*p1.id, "p1");
    assert_eq!(p1.author, alice);
    assert_eq!(p1.time, Some(1_709_283_600));
    assert_eq!(&*p1.text, "Hello, world! \"quoted\"\nand a second line");
    assert_eq!(p1.hashtags, vec![Box::from("rust"), Box::from("graphs")]);
    assert_eq!(p1.reply_to, None);
    assert_eq!(
        (p1.impressions, p1.clicks, p1.likes, p1.reposts, p1.replies),
        (Some(1000), Some(10), Some(5), Some(2), Some(1))
    );
    let p2 = &posts[1];
    assert_eq!(p2.author, bob);
    assert_eq!(p2.time, Some(1_709_287_200));
    assert_eq!(
        p2.hashtags,
        vec![
            Box::from("graphs"),
            Box::from("Rust"),
            Box::from("clustering")
        ]
    );
    assert_eq!(p2.reply_to.as_deref(), Some("p1"));
    assert_eq!(
        (p2.impressions, p2.clicks, p2.likes),
        (Some(500), None, Some(3))
    );
    let p3 = &posts[2];
    assert_eq!(p3.author, smiley);
    assert_eq!((p3.time, p3.impressions), (None, None));
    assert!(p3.hashtags.is_empty());

    assert!(g.summary.skipped.is_empty());
    // Notes name the file as found (`posts.csv`, `posts.csv.gz`, …).
    let notes = &g.summary.notes;
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes.iter().any(|n| n.starts_with("follows.csv")
        && n.ends_with(": follow times are checked but not kept (the follow layer has no times)")));
    assert!(notes
        .iter()
        .any(|n| n.starts_with("posts.csv") && n.ends_with(": ignored column `lang`")));
}

#[test]
fn full_export_loads_every_value() {
    let g = read(&fixture("full"), &strict()).unwrap();
    assert_full_export(&g);
}

#[test]
fn tab_delimited_export_is_the_same_graph() {
    let comma = read(&fixture("full"), &strict()).unwrap();
    let tab = read(&fixture("tab"), &strict()).unwrap();
    assert_full_export(&tab);
    assert_eq!(comma.labels, tab.labels);
    assert_eq!(comma.follows, tab.follows);
    assert_eq!(comma.interactions, tab.interactions);
    assert_eq!(comma.people, tab.people);
    assert_eq!(comma.posts, tab.posts);
}

#[test]
fn bom_and_crlf_change_nothing() {
    let dir = transformed("full", str::to_string, |bytes| {
        let mut out = b"\xef\xbb\xbf".to_vec();
        for &b in bytes {
            if b == b'\n' {
                out.push(b'\r');
            }
            out.push(b);
        }
        out
    });
    let g = read(dir.path(), &strict()).unwrap();
    // Line breaks inside quoted cells keep their `\r\n`; everything else is identical.
    let plain = read(&fixture("full"), &strict()).unwrap();
    assert_eq!(g.labels, plain.labels);
    assert_eq!(g.follows, plain.follows);
    assert_eq!(g.interactions, plain.interactions);
    let bob = node(&g, "bob");
    assert_eq!(
        g.people.bio(bob),
        Some("Builds things.\r\nSecond line, with a comma.")
    );
    assert_eq!(g.people.handle(bob), Some("@bob"));
    assert_eq!(g.posts.as_slice()[1], plain.posts.as_slice()[1]);
}

#[test]
fn gzip_and_zstd_exports_load_alike() {
    let gz = transformed(
        "full",
        |f| format!("{f}.gz"),
        |bytes| {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(bytes).unwrap();
            enc.finish().unwrap()
        },
    );
    assert_full_export(&read(gz.path(), &strict()).unwrap());
    let zst = transformed(
        "full",
        |f| format!("{f}.zst"),
        |bytes| zstd::encode_all(bytes, 3).unwrap(),
    );
    assert_full_export(&read(zst.path(), &strict()).unwrap());
}

#[test]
fn a_single_file_can_be_read_alone() {
    let g = read(&fixture("full").join("follows.csv"), &strict()).unwrap();
    assert_eq!(g.node_count(), 6);
    assert_eq!(g.follows.edge_count(), 6);
    assert_eq!(g.posts.len(), 0);
    let err = read(&fixture("full").join("nope.csv"), &strict()).unwrap_err();
    assert!(
        err.to_string().ends_with("no such file or directory"),
        "{err}"
    );
}

#[test]
fn tiny_fixture_is_a_small_realistic_export() {
    let g = read(&fixture("tiny"), &strict()).unwrap();
    assert_eq!(g.node_count(), 10);
    assert_eq!(g.follows.edge_count(), 24);
    assert_eq!(g.interactions.event_count(), 16);
    let by_kind = g.interactions.count_by_kind();
    assert_eq!(by_kind[..5], [5, 2, 2, 0, 4]); // reply, mention, repost, quote, like
    assert_eq!(by_kind[5], 3); // click
    assert_eq!(g.posts.len(), 8);
    assert!(g
        .posts
        .as_slice()
        .iter()
        .all(|p| p.impressions.is_some() && p.clicks.is_some()));
    assert_eq!(g.people.handle(NodeId(2)), Some("@chloe_ml"));
    assert_eq!(
        g.people.bio(NodeId(2)),
        Some("ML researcher; \"community detection\" nerd")
    );
    assert_eq!(g.people.bio(NodeId(9)), None);
    let cycling = g
        .posts
        .as_slice()
        .iter()
        .filter(|p| p.hashtags.iter().any(|t| &**t == "cycling"))
        .count();
    assert_eq!(cycling, 4);
    assert!(g.summary.skipped.is_empty());
}

#[test]
fn malformed_fixtures_name_file_line_and_problem() {
    let cases = [
        (
            "missing_column",
            "follows.csv:1: missing required column `followee` (header has: follower, time)",
        ),
        // The bad row comes after a quoted cell spanning two lines.
        ("column_count", "people.csv:4: expected 2 columns, found 1"),
        // A blank line sits before the bad row.
        (
            "bad_time",
            "interactions.csv:4:4: invalid time `yesterday`: expected an ISO-8601 time \
             (2024-03-01T12:30:00Z) or Unix seconds",
        ),
        (
            "bad_weight",
            "follows.csv:2:3: invalid weight `heavy`: expected a non-negative number",
        ),
        (
            "empty_file",
            "people.csv: file is empty: expected a header row \
             `id[,handle][,name][,bio][,followers_count][,…]`",
        ),
        ("unknown_author", "posts.csv:3: unknown author `zed`"),
        (
            "bad_count",
            "posts.csv:2:3: invalid likes `many`: expected a whole number ≥ 0",
        ),
    ];
    for (name, expected) in cases {
        assert_eq!(
            message(&fixture(name), &strict()),
            expected,
            "fixture {name}"
        );
    }
}

#[test]
fn line_numbers_survive_crlf_quoted_newlines_and_blank_lines() {
    let dir = export(&[(
        "follows.csv",
        b"\r\nfollower,followee\r\n\"a\r\nb\",c\r\n\r\n\r\nd,\"e\"\r\n\"f\",\"g\r\n\r\nh\"\r\nx\r\n",
    )]);
    assert_eq!(
        message(dir.path(), &strict()),
        "follows.csv:11: expected 2 columns, found 1"
    );
    let dir = export(&[("follows.csv", b"follower,followee\na,b\nc,d,e")]);
    assert_eq!(
        message(dir.path(), &strict()),
        "follows.csv:3: expected 2 columns, found 3"
    );
}

#[test]
fn encoding_problems_are_located() {
    let dir = export(&[(
        "follows.csv",
        b"follower,followee\nalice,bob\ncaf\xe9,bob\n",
    )]);
    assert_eq!(
        message(dir.path(), &strict()),
        "follows.csv:3:1: invalid UTF-8: byte 0xe9 in field 1"
    );
    let dir = export(&[("people.csv", b"\xff\xfei\x00d\x00\n\x00")]);
    assert_eq!(
        message(dir.path(), &strict()),
        "people.csv:1: invalid UTF-8: the file is UTF-16 (it starts with a UTF-16 byte-order \
         mark); save it as UTF-8"
    );
    let dir = export(&[("follows.csv", b"follower,followee\ra,b\rc,d\r")]);
    assert_eq!(
        message(dir.path(), &strict()),
        "follows.csv:1: lines end with a lone carriage return (classic Mac OS); convert the \
         line endings to \\n or \\r\\n"
    );
}

#[test]
fn header_problems_fail_even_when_skipping() {
    let dir = export(&[("follows.csv", b"follower,followee,Time,time\na,b,1,2\n")]);
    assert_eq!(
        message(dir.path(), &skipping()),
        "follows.csv:1:4: column `time` appears twice (columns 3 and 4)"
    );
    let dir = export(&[("interactions.csv", b"source,target\na,b\n")]);
    assert_eq!(
        message(dir.path(), &skipping()),
        "interactions.csv:1: missing required column `kind` (header has: source, target)"
    );
    let dir = export(&[("posts.csv", b"\xef\xbb\xbf  \n\n")]);
    assert!(message(dir.path(), &strict()).starts_with("posts.csv: file is empty"));
}

#[test]
fn directories_without_the_files_or_with_two_copies_are_refused() {
    let dir = export(&[("notes.txt", b"hello")]);
    assert_eq!(
        read(dir.path(), &strict()).unwrap_err().to_string(),
        format!(
            "{}: cannot tell the format: a canonical export directory holds follows.csv, \
             interactions.csv, people.csv or posts.csv (optionally .gz or .zst); found none",
            dir.path().display()
        )
    );
    let dir = export(&[
        ("follows.csv", b"follower,followee\n"),
        ("follows.csv.gz", b""),
    ]);
    let err = read(dir.path(), &strict()).unwrap_err();
    assert_eq!(
        err.kind.to_string(),
        "follows.csv and follows.csv.gz are all present: keep only one of them"
    );
}

#[test]
fn skip_mode_counts_bad_rows_and_keeps_the_rest() {
    let g = read(&fixture("skip"), &skipping()).unwrap();
    let skipped: BTreeMap<&str, u64> = g
        .summary
        .skipped
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        skipped,
        BTreeMap::from([
            ("follows.csv: invalid value", 2),
            ("follows.csv: wrong number of columns", 1),
            ("interactions.csv: invalid value", 2),
            ("people.csv: invalid value", 1),
            ("people.csv: wrong number of columns", 1),
            ("posts.csv: unknown reference", 2),
        ])
    );
    // Skipped rows add nobody: bob and carol's people rows were bad, and carol only exists
    // because a good follow names her.
    let labels: Vec<&str> = g.labels.iter().collect();
    assert_eq!(labels, ["alice", "dave", "carol"]);
    assert_eq!(
        follows(&g),
        vec![(s("alice"), s("dave"), 1.0), (s("dave"), s("carol"), 1.0)]
    );
    assert_eq!(g.interactions.event_count(), 1);
    assert_eq!(g.posts.len(), 1);
    assert_eq!(g.people.handle(NodeId(1)), Some("@dave"));
    // The same export fails at the first bad row when strict.
    assert_eq!(
        message(&fixture("skip"), &strict()),
        "people.csv:3:3: invalid followers_count `lots`: expected a whole number ≥ 0"
    );
}

#[test]
fn an_empty_file_is_skippable() {
    let g = read(&fixture("empty_file"), &skipping()).unwrap();
    assert_eq!(g.summary.skipped.get("people.csv: empty file"), Some(&1));
    assert_eq!(g.follows.edge_count(), 1);
}

#[test]
fn repeated_people_keep_the_latest_non_empty_values() {
    let dir = export(&[(
        "people.csv",
        b"id,handle,bio,school\nann,@ann,first bio,MIT\nbob,@bob,,\nann,@ann2,,\nann,,,Yale\n",
    )]);
    let g = read(dir.path(), &strict()).unwrap();
    let ann = NodeId(0);
    assert_eq!(g.node_count(), 2);
    assert_eq!(g.people.handle(ann), Some("@ann2"));
    assert_eq!(g.people.bio(ann), Some("first bio"));
    assert_eq!(
        g.people
            .column("school")
            .unwrap()
            .get(ann)
            .collect::<Vec<_>>(),
        ["Yale"]
    );
    assert_eq!(g.people.handle(NodeId(1)), Some("@bob"));
    assert_eq!(g.people.bio(NodeId(1)), None);
    assert!(g
        .summary
        .notes
        .iter()
        .any(|n| n.starts_with("people.csv: 2 rows repeat a person listed earlier")));
}

#[test]
fn posts_without_people_add_their_authors() {
    let dir = export(&[
        ("follows.csv", b"follower,followee\na,b\n"),
        (
            "posts.csv",
            b"id,author,hashtags\np1,b,#x\np2,zed,##y;x;#y\n",
        ),
    ]);
    let g = read(dir.path(), &strict()).unwrap();
    assert_eq!(g.labels.iter().collect::<Vec<_>>(), ["a", "b", "zed"]);
    assert_eq!(g.posts.as_slice()[1].author, NodeId(2));
    assert_eq!(
        g.posts.as_slice()[1].hashtags,
        vec![Box::from("y"), Box::from("x")]
    );
}

#[test]
fn authors_met_in_follows_are_known_even_with_people_csv() {
    let dir = export(&[
        ("people.csv", b"id\na\n"),
        ("follows.csv", b"follower,followee\na,b\n"),
        ("posts.csv", b"id,author\np1,b\n"),
    ]);
    let g = read(dir.path(), &strict()).unwrap();
    assert_eq!(g.posts.as_slice()[0].author, NodeId(1));
}

#[test]
fn header_only_files_and_blank_rows_load_nothing() {
    let dir = export(&[
        ("follows.csv", b"follower,followee\n"),
        ("interactions.csv", b"source,target,kind\n,,\n  ,\t,\n\n"),
    ]);
    let g = read(dir.path(), &strict()).unwrap();
    assert_eq!(g.node_count(), 0);
    assert_eq!(g.interactions.event_count(), 0);
}

#[test]
fn unknown_columns_are_noted_and_follow_weights_summed() {
    let dir = export(&[(
        "follows.csv",
        b"Followee , FOLLOWER,source,\nb,a,x,\nb,a,y,\n",
    )]);
    let g = read(dir.path(), &strict()).unwrap();
    assert_eq!(follows(&g), vec![(s("a"), s("b"), 2.0)]);
    assert_eq!(g.summary.follow_duplicates_merged, 1);
    assert_eq!(
        g.summary.notes,
        ["follows.csv: ignored columns `source`, unnamed column 4"]
    );
}

#[test]
fn progress_is_reported_in_growing_byte_counts() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let options = LoadOptions {
        progress: Some(Arc::new(move |b| sink.lock().unwrap().push(b))),
        ..LoadOptions::default()
    };
    let mut follows = b"follower,followee\n".to_vec();
    for i in 0..150_000u32 {
        writeln!(follows, "user{i},user{}", (i * 7) % 150_000).unwrap();
    }
    let dir = export(&[("follows.csv", &follows), ("people.csv", b"id\nuser1\n")]);
    read(dir.path(), &options).unwrap();
    let seen = seen.lock().unwrap();
    assert!(seen.len() >= 3, "{seen:?}"); // ~2.7 MB: two interim reports and the ends of files
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    let total = (follows.len() + b"id\nuser1\n".len()) as u64;
    let last = *seen.last().unwrap();
    assert!(last >= total && last <= total + 2, "{last} vs {total}");
}

#[test]
fn small_blocks_and_stray_quotes_read_like_one_block() {
    use std::sync::atomic::Ordering;
    let mut follows = b"follower,followee,weight\n".to_vec();
    let mut people = b"id,bio\n".to_vec();
    for i in 0..3000u32 {
        writeln!(follows, "u{i},\"v{}\nx\",{}", i % 97, i % 3).unwrap();
        if i == 1500 {
            // A quote inside an unquoted cell is a plain character, not an opening quote.
            follows.extend_from_slice(b"a\"b,c,1\n");
        }
        writeln!(people, "v{},\"bio \"\"{i}\"\"\n line\"", i % 97).unwrap();
    }
    let dir = export(&[("follows.csv", &follows), ("people.csv", &people)]);
    let whole = read(dir.path(), &strict()).unwrap();
    records::TEST_BLOCK_BYTES.store(64, Ordering::Relaxed);
    let small = read(dir.path(), &strict());
    records::TEST_BLOCK_BYTES.store(records::BLOCK_BYTES, Ordering::Relaxed);
    let small = small.unwrap();
    assert_eq!(whole.labels, small.labels);
    assert_eq!(whole.follows, small.follows);
    assert_eq!(whole.people, small.people);
    assert_eq!(whole.node_count(), 97 * 2 + 3000 + 2);
    let bad = [
        (
            b"follower,followee\na,b\nc\"d,e\n\"f\ng\",h\nx\n".as_slice(),
            6,
        ),
        (b"follower,followee\n\"a\nb\",c\n1,2\nq\n", 5),
    ];
    for (text, line) in bad {
        let dir = export(&[("follows.csv", text)]);
        records::TEST_BLOCK_BYTES.store(4, Ordering::Relaxed);
        let err = message(dir.path(), &strict());
        records::TEST_BLOCK_BYTES.store(records::BLOCK_BYTES, Ordering::Relaxed);
        assert_eq!(
            err,
            format!("follows.csv:{line}: expected 2 columns, found 1")
        );
    }
}

#[test]
fn hashtag_cells_split_on_spaces_semicolons_and_commas() {
    let tags = hashtags(" #a  b;#c,d ;; #a ,#, # ");
    assert_eq!(tags, ["a", "b", "c", "d"].map(Box::<str>::from).to_vec());
    assert!(hashtags("").is_empty());
}

/// Writes `label` as a CSV cell, quoting when needed.
fn cell(label: &str, delimiter: char) -> String {
    if label.contains([delimiter, '"', '\n', '\r']) {
        format!("\"{}\"", label.replace('"', "\"\""))
    } else {
        label.to_string()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A random follows.csv (quoting, delimiters, line endings, weights) loads to the same edge
    /// set as a plain reading of the pairs that were written.
    #[test]
    fn random_follows_match_a_naive_reference(
        edges in proptest::collection::vec(
            ("[a-c]{1,2}|[,\"x\n😀é ]{1,4}", "[a-c]{1,2}|[,\"y\n😀é ]{1,4}", proptest::option::of(0u8..4)),
            0..40,
        ),
        tab in any::<bool>(),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let edges: Vec<_> = edges
            .into_iter()
            .filter(|(a, b, _)| !a.trim().is_empty() && !b.trim().is_empty()
                && a.trim() == a.as_str() && b.trim() == b.as_str())
            .collect();
        let d = if tab { '\t' } else { ',' };
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        if bom {
            text.push('\u{feff}');
        }
        text.push_str(&format!("follower{d}followee{d}weight{eol}"));
        for (a, b, w) in &edges {
            let w = w.map(|w| w.to_string()).unwrap_or_default();
            text.push_str(&format!("{}{d}{}{d}{w}{eol}", cell(a, d), cell(b, d)));
        }
        let dir = export(&[("follows.csv", text.as_bytes())]);
        let g = read(dir.path(), &strict()).unwrap();

        let mut reference: BTreeMap<(String, String), f32> = BTreeMap::new();
        let mut people = BTreeSet::new();
        for (a, b, w) in &edges {
            people.insert(a.clone());
            people.insert(b.clone());
            if a != b {
                *reference.entry((a.clone(), b.clone())).or_default() +=
                    w.map_or(1.0, f32::from);
            }
        }
        let loaded: BTreeMap<(String, String), f32> =
            follows(&g).into_iter().map(|(a, b, w)| ((a, b), w)).collect();
        prop_assert_eq!(loaded, reference);
        let labels: BTreeSet<String> = g.labels.iter().map(str::to_string).collect();
        prop_assert_eq!(labels, people);
    }
}
