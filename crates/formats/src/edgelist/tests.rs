//! Tests of the edge-list reader and writer.

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;

use proptest::prelude::*;

use super::*;

fn options() -> LoadOptions {
    LoadOptions::default()
}

fn undirected() -> LoadOptions {
    LoadOptions {
        undirected: Some(true),
        ..Default::default()
    }
}

fn load(text: &str, options: &LoadOptions) -> Result<SocialGraph, FormatError> {
    read_bytes(text.as_bytes(), Path::new("edges.txt"), options)
}

fn labels(g: &SocialGraph) -> Vec<&str> {
    g.labels.iter().collect()
}

/// `(source label, target label) → weight` of every follow entry.
fn follows(g: &SocialGraph) -> BTreeMap<(String, String), f32> {
    g.follows
        .out()
        .iter()
        .map(|(u, v, w)| {
            let l = |x: u32| g.label(NodeId(x)).to_string();
            ((l(u), l(v)), w)
        })
        .collect()
}

fn shared_data() -> Option<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    dir.is_dir().then_some(dir)
}

#[test]
fn comments_blanks_tabs_commas_and_crlf() {
    let text = "# SNAP header\r\n% matrix-market style comment\r\n\r\n  \t\r\n1 2\r\n2\t3\r\n3,4\r\n4 , 5\r\n  5   1  \r\n#end";
    let g = load(text, &options()).unwrap();
    assert_eq!(labels(&g), ["1", "2", "3", "4", "5"]);
    assert_eq!(g.follows.edge_count(), 5);
    assert!(!g.follows.is_undirected());
    assert_eq!(g.follows.out().neighbors(4), &[0]);
}

#[test]
fn numeric_ids_are_numbered_by_value_and_normalised() {
    let g = load("30 007\n7 100000000000\n", &options()).unwrap();
    assert_eq!(labels(&g), ["7", "30", "100000000000"]);
    assert_eq!(g.follows.edge_count(), 2);
    assert_eq!(g.follows.out().neighbors(1), &[0]);
    assert_eq!(g.follows.out().neighbors(0), &[2]);
}

#[test]
fn string_and_emoji_ids_keep_first_seen_order() {
    let g = load("zoë 🦀\n🦀 alice\nalice zoë\n42 zoë\n", &options()).unwrap();
    assert_eq!(labels(&g), ["zoë", "🦀", "alice", "42"]);
    assert_eq!(g.follows.edge_count(), 4);
    assert!(g.summary.notes[0].contains("string ids"));
}

#[test]
fn weights_duplicates_and_self_loops() {
    let text = "1 2 0.5\n1 2 1.5\n2 1\n3 3\n2 3 -2\n";
    let g = load(text, &options()).unwrap();
    let f = follows(&g);
    assert_eq!(f[&("1".into(), "2".into())], 2.0);
    assert_eq!(f[&("2".into(), "1".into())], 1.0);
    assert_eq!(f[&("2".into(), "3".into())], -2.0);
    assert_eq!(f.len(), 3);
    assert_eq!(g.summary.follow_duplicates_merged, 1);
    assert_eq!(g.summary.follow_self_loops_dropped, 1);

    let u = load(text, &undirected()).unwrap();
    assert!(u.follows.is_undirected());
    assert_eq!(u.follows.edge_count(), 2);
    assert_eq!(follows(&u)[&("1".into(), "2".into())], 3.0);
    assert_eq!(u.summary.follow_duplicates_merged, 2);

    let kept = LoadOptions {
        keep_self_loops: true,
        ..undirected()
    };
    let k = load(text, &kept).unwrap();
    assert_eq!(k.follows.edge_count(), 3);
    assert_eq!(follows(&k)[&("3".into(), "3".into())], 1.0);
}

#[test]
fn a_time_column_is_not_a_weight() {
    let g = load("1 2 1082040961\n2 1 1082040962\n", &options()).unwrap();
    assert!(follows(&g).values().all(|&w| w == 1.0));
    assert!(g.summary.notes[0].contains("Unix-time column ignored"));
}

#[test]
fn interactions_take_weight_and_time() {
    let opts = LoadOptions {
        edge_meaning: EdgeMeaning::Interactions("message".into()),
        ..Default::default()
    };
    let text = "1,2,-3,1289241912\r\n1,2,1,1289241913\r\n2,1,1082040961\r\n2,1\r\n2,1\r\n";
    let g = load(text, &opts).unwrap();
    assert_eq!(g.follows.edge_count(), 0);
    let events: Vec<_> = g.interactions.iter().collect();
    assert_eq!(events.len(), 4);
    assert_eq!(g.summary.interaction_duplicates_merged, 1);
    let kind = g.interactions.kinds().lookup("message").unwrap();
    assert!(events.iter().all(|e| e.kind == kind));
    assert_eq!((events[0].source, events[0].target), (0, 1));
    assert_eq!((events[0].time, events[0].weight), (1289241912, -3.0));
    assert_eq!((events[1].time, events[1].weight), (1289241913, 1.0));
    let untimed = events.iter().find(|e| e.time == NO_TIME).unwrap();
    assert_eq!(untimed.weight, 2.0);
    assert!(events.iter().any(|e| e.time == 1082040961));
}

#[test]
fn one_field_is_a_located_column_count_error() {
    let e = load("1 2\n# c\n3\n4 5\n", &options()).unwrap_err();
    assert_eq!(e.to_string(), "edges.txt:3: expected 2 columns, found 1");
    assert!(matches!(
        e.kind,
        ErrorKind::ColumnCount {
            expected: 2,
            found: 1
        }
    ));
}

#[test]
fn a_bad_weight_names_line_and_column() {
    let e = load("1 2 1\n2 3 heavy\n", &options()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "edges.txt:2:3: invalid weight `heavy`: expected a finite number"
    );
    let e = load("a b 1\nb c inf\n", &options()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "edges.txt:2:3: invalid weight `inf`: expected a finite number"
    );
}

#[test]
fn empty_ids_and_invalid_utf8_are_errors() {
    let e = load("a,b\n,b\n", &options()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "edges.txt:2:1: invalid source id ``: expected a non-empty id"
    );
    let e = read_bytes(b"a b\nc \xff\n", Path::new("x"), &options()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "x:2:2: invalid UTF-8: target id: byte 0xff at offset 0"
    );
}

#[test]
fn skip_policy_counts_bad_records() {
    let opts = LoadOptions {
        on_error: OnError::Skip,
        ..Default::default()
    };
    let g = load("1 2\n3\n2 3 x\n4\n3 1\n", &opts).unwrap();
    assert_eq!(g.follows.edge_count(), 2);
    assert_eq!(g.node_count(), 3);
    let skipped: Vec<_> = g
        .summary
        .skipped
        .iter()
        .map(|(k, &v)| (k.as_str(), v))
        .collect();
    assert_eq!(
        skipped,
        [
            ("edges.txt: invalid value", 1),
            ("edges.txt: wrong number of columns", 2)
        ]
    );
}

#[test]
fn no_edges_is_an_empty_file_error() {
    for text in ["", "# only\n% comments\n\n", "\u{feff}"] {
        let e = load(text, &options()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "edges.txt: file is empty: expected at least one edge (`u v` per line)"
        );
    }
    let skip = LoadOptions {
        on_error: OnError::Skip,
        ..Default::default()
    };
    assert!(matches!(
        load("1\n2\n", &skip).unwrap_err().kind,
        ErrorKind::Empty { .. }
    ));
}

#[test]
fn byte_order_mark_is_ignored() {
    let g = load("\u{feff}1 2\n", &options()).unwrap();
    assert_eq!(labels(&g), ["1", "2"]);
}

/// `n` lines of numeric edges: enough bytes for several chunks.
fn many_lines(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "{} {}\n",
            (i * 7919) % 5003,
            (i * 104_729 + 1) % 5003
        ));
    }
    s
}

#[test]
fn a_late_string_id_switches_every_chunk_to_strings() {
    let mut text = many_lines(3000);
    text.push_str("17 x\n");
    let plain = parse_in_parts(text.as_bytes(), Path::new("e"), &options(), 1).unwrap();
    let split = parse_in_parts(text.as_bytes(), Path::new("e"), &options(), 7).unwrap();
    assert_eq!(plain.ids, IdKind::Strings);
    assert_eq!(split.labels, plain.labels);
    assert_eq!(split.edges, plain.edges);
    assert_eq!(split.labels.get(NodeId(0)), "0");
    assert_eq!(split.labels.get(NodeId(split.labels.len() as u32 - 1)), "x");
}

#[test]
fn wide_ids_in_one_chunk_widen_all_chunks() {
    let mut text = many_lines(3000);
    text.push_str("5 18446744073709551615\n");
    let split = parse_in_parts(text.as_bytes(), Path::new("e"), &options(), 5).unwrap();
    assert_eq!(split.ids, IdKind::Numeric);
    let last = split.labels.len() as u32 - 1;
    assert_eq!(split.labels.get(NodeId(last)), "18446744073709551615");
    assert_eq!(split.edges.targets.last(), Some(&last));
    let one = parse_in_parts(text.as_bytes(), Path::new("e"), &options(), 1).unwrap();
    assert_eq!(one.edges, split.edges);
}

#[test]
fn errors_in_later_chunks_have_file_line_numbers() {
    let mut text = many_lines(2000);
    text.push_str("# comment\n9\n");
    let e = parse_in_parts(text.as_bytes(), Path::new("e"), &options(), 6).unwrap_err();
    assert_eq!(e.line, Some(2002));
    let skip = LoadOptions {
        on_error: OnError::Skip,
        ..Default::default()
    };
    let p = parse_in_parts(text.as_bytes(), Path::new("e"), &skip, 6).unwrap();
    assert_eq!(p.skipped.len(), 1);
    assert_eq!(p.skipped[0].line, Some(2002));
    assert_eq!(p.lines, 2002);
}

#[test]
fn progress_reaches_the_input_size() {
    use std::sync::atomic::AtomicU64;
    use std::sync::Arc;
    let text = many_lines(5000);
    let seen = Arc::new(AtomicU64::new(0));
    let seen2 = seen.clone();
    let opts = LoadOptions {
        progress: Some(Arc::new(move |b| {
            seen2.fetch_max(b, Ordering::Relaxed);
        })),
        ..Default::default()
    };
    parse_in_parts(text.as_bytes(), Path::new("e"), &opts, 4).unwrap();
    assert_eq!(seen.load(Ordering::Relaxed), text.len() as u64);
}

#[test]
fn gzip_and_zstd_files_read_like_plain_ones() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# c\n1 2 0.5\n2 3\n3 1\n";
    let plain = dir.path().join("g.txt");
    std::fs::write(&plain, text).unwrap();
    let gz = dir.path().join("g.txt.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    enc.write_all(text.as_bytes()).unwrap();
    enc.finish().unwrap();
    let zst = dir.path().join("g.txt.zst");
    std::fs::write(&zst, zstd::encode_all(text.as_bytes(), 3).unwrap()).unwrap();
    let want = read(&plain, &options()).unwrap();
    assert_eq!(want.follows.edge_count(), 3);
    for p in [&gz, &zst] {
        let got = read(p, &options()).unwrap();
        assert_eq!(got.labels, want.labels);
        assert_eq!(got.follows, want.follows);
    }
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    assert!(matches!(
        read(&empty, &options()).unwrap_err().kind,
        ErrorKind::Empty { .. }
    ));
    let missing = read(&dir.path().join("nope.txt"), &options()).unwrap_err();
    assert!(matches!(missing.kind, ErrorKind::Io(_)));
}

#[test]
fn write_then_read_round_trips() {
    let g = load("alice bob 2\nbob carol\ncarol alice 0.25\n", &options()).unwrap();
    let mut edges = EdgeList::new();
    for (u, v, w) in g.follows.out().iter() {
        edges.push(u, v, w);
    }
    let mut out = Vec::new();
    write(&mut out, &g.labels, &edges, true).unwrap();
    assert_eq!(
        String::from_utf8(out.clone()).unwrap(),
        "alice bob 2\nbob carol 1\ncarol alice 0.25\n"
    );
    let back = read_bytes(&out, Path::new("w"), &options()).unwrap();
    assert_eq!(follows(&back), follows(&g));
    let mut plain = Vec::new();
    write(&mut plain, &g.labels, &edges, false).unwrap();
    assert_eq!(
        String::from_utf8(plain).unwrap(),
        "alice bob\nbob carol\ncarol alice\n"
    );
}

#[test]
fn write_refuses_unreadable_labels() {
    let mut labels = LabelTable::new();
    labels.push("a b");
    labels.push("#x");
    let mut edges = EdgeList::new();
    edges.push(0, 1, 1.0);
    let e = write(Vec::new(), &labels, &edges, false).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    edges.push(0, 9, 1.0);
    let mut ok = LabelTable::new();
    ok.push("a");
    ok.push("b");
    let e = write(Vec::new(), &ok, &edges, false).unwrap_err();
    assert!(e.to_string().contains("node 9"));
}

#[test]
fn snap_facebook_combined() {
    let Some(dir) = shared_data() else { return };
    let g = read(
        &dir.join("ego_facebook/facebook_combined.txt"),
        &undirected(),
    )
    .unwrap();
    assert_eq!(g.node_count(), 4039);
    assert_eq!(g.follows.edge_count(), 88_234);
    assert_eq!(g.summary.follow_duplicates_merged, 0);
}

#[test]
fn snap_college_msg_as_interactions() {
    let Some(dir) = shared_data() else { return };
    let opts = LoadOptions {
        edge_meaning: EdgeMeaning::Interactions("message".into()),
        ..Default::default()
    };
    let g = read(&dir.join("college_msg/CollegeMsg.txt"), &opts).unwrap();
    // README: 1,899 users, 59,835 messages, 20,296 distinct directed pairs, no self-messages.
    assert_eq!(g.node_count(), 1899);
    let merged = g.summary.interaction_duplicates_merged as usize;
    assert_eq!(g.interactions.event_count() + merged, 59_835);
    assert_eq!(
        g.interactions
            .counts()
            .iter()
            .map(|&c| c as usize)
            .sum::<usize>(),
        59_835
    );
    assert_eq!(g.summary.interaction_self_loops_dropped, 0);
    let pairs: std::collections::BTreeSet<(u32, u32)> = g
        .interactions
        .iter()
        .map(|e| (e.source, e.target))
        .collect();
    assert_eq!(pairs.len(), 20_296);
    let times = g.interactions.times();
    assert_eq!(times.iter().min(), Some(&1_082_040_961));
    assert_eq!(times.iter().max(), Some(&1_098_777_142));
}

#[test]
fn snap_bitcoin_otc_csv_with_crlf() {
    let Some(dir) = shared_data() else { return };
    let g = read(&dir.join("bitcoin_otc/soc-sign-bitcoinotc.csv"), &options()).unwrap();
    // README: 5,881 users (ids 1…6,005), 35,592 ratings, no repeated pair; 32,029 positive.
    assert_eq!(g.node_count(), 5881);
    assert_eq!(g.follows.edge_count(), 35_592);
    assert_eq!(g.summary.follow_duplicates_merged, 0);
    let positive = g.follows.out().iter().filter(|e| e.2 > 0.0).count();
    assert_eq!(positive, 32_029);
    assert_eq!(g.label(NodeId(5880)), "6005");
}

/// A naive loader: split lines by hand, intern with a HashMap, merge edges in a BTreeMap.
fn reference(text: &str, undirected: bool) -> (Vec<String>, BTreeMap<(String, String), f32>) {
    let mut records = Vec::new();
    for line in text.lines() {
        let t = line.trim_matches(|c| c == ' ' || c == '\t' || c == '\r');
        if t.is_empty() || t.starts_with('#') || t.starts_with('%') {
            continue;
        }
        let f: Vec<&str> = t
            .split([' ', '\t', ',', '\r'])
            .filter(|s| !s.is_empty())
            .collect();
        let w = f.get(2).map_or(1.0, |x| x.parse::<f32>().unwrap());
        records.push((f[0].to_string(), f[1].to_string(), w));
    }
    let numeric = records
        .iter()
        .all(|(u, v, _)| [u, v].iter().all(|x| x.bytes().all(|b| b.is_ascii_digit())));
    let norm = |x: &String| {
        if numeric {
            x.parse::<u64>().unwrap().to_string()
        } else {
            x.clone()
        }
    };
    let mut order: Vec<String> = Vec::new();
    let mut seen: HashMap<String, ()> = HashMap::new();
    let mut edges: BTreeMap<(String, String), f32> = BTreeMap::new();
    for (u, v, w) in &records {
        let (u, v) = (norm(u), norm(v));
        for x in [&u, &v] {
            if seen.insert(x.clone(), ()).is_none() {
                order.push(x.clone());
            }
        }
        if u == v {
            continue;
        }
        *edges.entry((u.clone(), v.clone())).or_default() += w;
        if undirected {
            *edges.entry((v, u)).or_default() += w;
        }
    }
    if numeric {
        order.sort_by_key(|x| x.parse::<u64>().unwrap());
    }
    (order, edges)
}

fn id_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (0u64..40).prop_map(|x| x.to_string()),
        1 => (0u64..40).prop_map(|x| format!("00{x}")),
        1 => (u32::MAX as u64 - 3..u32::MAX as u64 + 3).prop_map(|x| x.to_string()),
        1 => "[a-z🦀é]{1,3}",
    ]
}

fn line_strategy() -> impl Strategy<Value = String> {
    let sep = prop_oneof![Just(" "), Just("\t"), Just(","), Just(" , "), Just("  ")];
    prop_oneof![
        12 => (id_strategy(), sep.clone(), id_strategy(), proptest::option::of(1u8..5), sep)
            .prop_map(|(u, s, v, w, s2)| match w {
                Some(w) => format!("{u}{s}{v}{s2}{w}"),
                None => format!("{u}{s}{v}"),
            }),
        1 => Just("# comment".to_string()),
        1 => Just(String::new()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn matches_a_naive_reference(
        lines in proptest::collection::vec(line_strategy(), 1..60),
        crlf in any::<bool>(),
        undirected_ties in any::<bool>(),
        parts in 1usize..6,
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let text: String = lines.iter().map(|l| format!("{l}{end}")).collect();
        let opts = LoadOptions { undirected: Some(undirected_ties), ..Default::default() };
        let (order, edges) = reference(&text, undirected_ties);
        match parse_in_parts(text.as_bytes(), Path::new("p"), &opts, parts) {
            Err(e) => {
                prop_assert!(order.is_empty(), "unexpected error {}", e);
                let is_empty = matches!(e.kind, ErrorKind::Empty { .. });
                prop_assert!(is_empty);
            }
            Ok(parsed) => {
                let g = build(parsed, Path::new("p"), &opts).unwrap();
                prop_assert_eq!(labels(&g), order.iter().map(String::as_str).collect::<Vec<_>>());
                prop_assert_eq!(follows(&g), edges);
                if undirected_ties {
                    prop_assert!(g.follows.out().is_symmetric());
                }
            }
        }
    }
}
