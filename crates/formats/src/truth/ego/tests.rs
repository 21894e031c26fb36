use super::*;

/// Writes `files` (name, text) into a new temporary directory.
fn ego_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// Two scored egos (1 and 2, who share the person 12), one with an empty circle only (3), one
/// without circles (4) and a file that names no ego.
fn two_egos() -> tempfile::TempDir {
    ego_dir(&[
        ("1.feat", "10 1 0\n11 0 1\n12 0 0\n13 1 1\n"),
        ("1.edges", "10 11\n11 10\n11 12\n"),
        ("1.circles", "circle0\t10\t11\ncircle1\t12\t13\t14\n"),
        ("2.feat", "20 1\n21 0\n22 1\n12 1\n"),
        ("2.edges", "# comment\n20 21\n\n"),
        ("2.circles", "friends\t20\t21\t22\n"),
        ("3.circles", "nobody\n"),
        ("3.feat", "30 1\n"),
        ("4.feat", "40 1\n"),
        ("notes.circles", "x\t1\n"),
        ("README.md", "not an ego file\n"),
    ])
}

#[test]
fn reads_each_ego_with_its_people_and_says_what_it_skipped() {
    let dir = two_egos();
    assert!(looks_like(dir.path()));
    let t = read(dir.path()).unwrap();
    assert_eq!(t.egos.len(), 2);
    let one = &t.egos[0];
    assert_eq!(one.ego, "1");
    // 14 is named only by a circle; the ego itself is nobody's alter.
    assert_eq!(one.people(), &["10", "11", "12", "13", "14"]);
    assert_eq!(one.circles.community_names, vec!["circle0", "circle1"]);
    assert_eq!(one.circles.communities, vec![vec![0, 1], vec![2, 3, 4]]);
    assert_eq!(one.circle_count(), 2);
    let two = &t.egos[1];
    assert_eq!(two.ego, "2");
    assert_eq!(two.people(), &["12", "20", "21", "22"]);
    assert_eq!(two.circles.communities, vec![vec![1, 2, 3]]);
    assert_eq!(
        t.skipped,
        vec![
            SkippedEgo {
                ego: "3".into(),
                reason: SkipReason::NoCircleMembers
            },
            SkippedEgo {
                ego: "4".into(),
                reason: SkipReason::NoCirclesFile
            },
            SkippedEgo {
                ego: "notes.circles".into(),
                reason: SkipReason::NotAnEgoId
            },
        ]
    );
    assert_eq!(
        t.skipped[0].reason.to_string(),
        "its circles file names no member"
    );

    // One circles file: that ego only, its companions beside it.
    let t = read(&dir.path().join("2.circles")).unwrap();
    assert_eq!(t.egos.len(), 1);
    assert_eq!(t.egos[0].people(), &["12", "20", "21", "22"]);
    assert!(t.skipped.is_empty());
}

#[test]
fn pooled_circles_are_named_by_ego() {
    let dir = two_egos();
    let pooled = read(dir.path()).unwrap().pooled();
    assert_eq!(
        pooled.community_names,
        vec!["1/circle0", "1/circle1", "2/friends"]
    );
    // Ego 1's people, then ego 2's not seen before (12 is shared).
    assert_eq!(
        pooled.node_labels,
        vec!["10", "11", "12", "13", "14", "20", "21", "22"]
    );
    assert_eq!(
        pooled.communities,
        vec![vec![0, 1], vec![2, 3, 4], vec![5, 6, 7]]
    );
}

#[test]
fn alignment_puts_detected_and_every_ego_on_one_set_of_ids() {
    let dir = two_egos();
    let t = read(dir.path()).unwrap();
    let detected = super::super::parse(
        Path::new("m.tsv"),
        "1\tA\n10\tA\n11\tA\n20\tA\n12\tB\n13\tB\n21\tB\n14\tC\n22\tC\n99\tD\n",
        super::super::TruthFormat::Pairs,
    )
    .unwrap();
    let a = t.align(&detected);
    // Ids: the detected labels in order (1, 10, 11, 20, 12, 13, 21, 14, 22, 99 → 0..=9); every
    // person of the egos is among them.
    assert_eq!(a.detected.node_count(), 10);
    assert_eq!(
        a.detected.communities(),
        &[vec![0, 1, 2, 3], vec![4, 5, 6], vec![7, 8], vec![9]]
    );
    assert_eq!(a.egos[0].ego, "1");
    assert_eq!(a.egos[0].people, vec![1, 2, 4, 5, 7]);
    assert_eq!(
        a.egos[0].circles.communities(),
        &[vec![1, 2], vec![4, 5, 7]]
    );
    assert_eq!(a.egos[0].circles.names(), &["circle0", "circle1"]);
    assert_eq!(a.egos[1].people, vec![3, 4, 6, 8]);
    assert_eq!(a.egos[1].circles.communities(), &[vec![3, 6, 8]]);

    // People the detected file does not name get ids after its own.
    let partial =
        super::super::parse(Path::new("m"), "10 A\n", super::super::TruthFormat::Pairs).unwrap();
    let a = t.align(&partial);
    assert_eq!(a.detected.node_count(), 8);
    assert_eq!(a.egos[0].people, vec![0, 1, 2, 3, 4]);
    assert_eq!(a.egos[1].people, vec![2, 5, 6, 7]);
}

#[test]
fn ids_are_written_without_leading_zeros_and_compressed_files_are_read() {
    use std::io::Write;
    let dir = ego_dir(&[("07.circles", "c\t010\t11\n"), ("07.edges", "11 12\n")]);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"13 0 1\n7 1 1\n").unwrap();
    std::fs::write(dir.path().join("07.feat.gz"), gz.finish().unwrap()).unwrap();
    let t = read(dir.path()).unwrap();
    assert_eq!(t.egos[0].ego, "7");
    // 7 is the ego: left out although its .feat lists it.
    assert_eq!(t.egos[0].people(), &["10", "11", "12", "13"]);
}

#[test]
fn a_malformed_circles_line_is_located() {
    let dir = ego_dir(&[
        ("5.circles", "circle0\t1\t2\n\ncircle1\t3\tx7\t4\n"),
        ("5.feat", "1 0\n"),
    ]);
    let e = read(dir.path()).unwrap_err();
    let path = dir.path().join("5.circles");
    assert_eq!((e.line, e.column), (Some(3), Some(3)));
    assert_eq!(
        e.to_string(),
        format!(
            "{}:3:3: invalid member of circle `circle1` `x7`: expected a node id (a \
             non-negative integer)",
            path.display()
        )
    );
}

#[test]
fn malformed_companions_and_names_are_located_errors() {
    let dir = ego_dir(&[("5.circles", "c\t1\n"), ("5.edges", "1 2\n3\n")]);
    let e = read(dir.path()).unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(
        e.to_string().ends_with("expected 2 columns, found 1"),
        "{e}"
    );

    let dir = ego_dir(&[("5.circles", "c\t1\n"), ("5.feat", "1 0\n-2 1\n")]);
    let e = read(dir.path()).unwrap_err();
    assert_eq!((e.line, e.column), (Some(2), Some(1)));

    let dir = ego_dir(&[("x.circles", "c\t1\n")]);
    let e = read(&dir.path().join("x.circles")).unwrap_err();
    assert!(e.to_string().contains("ego id (the file name)"), "{e}");
    let e = read(&dir.path().join("missing.txt")).unwrap_err();
    assert!(e.to_string().contains("`EGO.circles`"), "{e}");

    // Nothing to score: the directory is an error, not a score of 0.
    let dir = ego_dir(&[("5.circles", "# only a comment\n"), ("6.feat", "1 0\n")]);
    let e = read(dir.path()).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Empty { .. }), "{e}");
    assert!(!looks_like(&dir.path().join("5.circles")));
}

#[test]
fn ego_facebook_directory() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ego_facebook/facebook");
    if !dir.is_dir() {
        return;
    }
    assert!(looks_like(&dir));
    let t = read(&dir).unwrap();
    let egos: Vec<&str> = t.egos.iter().map(|e| e.ego.as_str()).collect();
    assert_eq!(
        egos,
        ["0", "107", "348", "414", "686", "698", "1684", "1912", "3437", "3980"]
    );
    assert!(t.skipped.is_empty());
    // Circles per ego, as the data set's README verifies them.
    let circles: Vec<usize> = t.egos.iter().map(EgoCircles::circle_count).collect();
    assert_eq!(circles, [24, 9, 14, 7, 14, 13, 17, 46, 32, 17]);
    // Ego 0's people are the 347 friends of its .feat.
    assert_eq!(t.egos[0].people().len(), 347);
    let pooled = t.pooled();
    assert_eq!(pooled.communities.len(), 193);
    assert_eq!(pooled.community_names[0], "0/circle0");
}
