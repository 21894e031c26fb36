//! Tests of the Stack Exchange reader: a hand-checked fixture, malformed files, the real dumps.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use contextivity_graph::{NodeId, SocialGraph};

use super::*;
use crate::OnError;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/stackexchange")
}

fn shared(name: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name);
    dir.is_dir().then_some(dir)
}

fn node(g: &SocialGraph, label: &str) -> NodeId {
    let i = (0..g.node_count())
        .find(|&i| g.label(NodeId(i as u32)) == label)
        .unwrap();
    NodeId(i as u32)
}

/// `(source, target)` labels of every interaction event, in layer order.
fn events(g: &SocialGraph) -> Vec<(String, String)> {
    g.interactions
        .iter()
        .map(|e| {
            (
                g.label(NodeId(e.source)).to_string(),
                g.label(NodeId(e.target)).to_string(),
            )
        })
        .collect()
}

fn distinct_pairs(g: &SocialGraph) -> BTreeSet<(u32, u32)> {
    g.interactions
        .iter()
        .map(|e| (e.source, e.target))
        .collect()
}

/// A dump directory with the given files, for malformed cases.
fn dump_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn error_of(dir: &tempfile::TempDir) -> String {
    read(dir.path(), &LoadOptions::default())
        .unwrap_err()
        .to_string()
}

const USERS: &str = "<users>\n  <row Id=\"1\" DisplayName=\"Ada\" />\n  <row Id=\"2\" DisplayName=\"Bob\" />\n</users>\n";

#[test]
fn fixture_people() {
    let g = read(&fixture(), &LoadOptions::default()).unwrap();
    assert_eq!(g.node_count(), 4);
    let ada = node(&g, "1");
    assert_eq!(g.people.handle(ada), Some("Ada"));
    assert_eq!(g.people.get(NAME, ada), Some("Ada"));
    assert_eq!(
        g.people.bio(ada),
        Some("Qubits & gates.\nSecond paragraph.")
    );
    assert_eq!(g.people.get("reputation", ada), Some("101"));
    assert_eq!(g.people.get("location", ada), Some("London"));
    assert_eq!(g.people.get("account_id", ada), Some("11"));
    assert_eq!(
        g.people.get("created", ada),
        Some("2018-03-12T18:00:00.000")
    );
    assert_eq!(g.people.followers_count(ada), None);
    assert_eq!(g.people.bio(node(&g, "3")), None);
    assert_eq!(g.people.handle(node(&g, "-1")), Some("Community"));
}

#[test]
fn fixture_answers_and_comments_are_replies() {
    let g = read(&fixture(), &LoadOptions::default()).unwrap();
    // answer 2 (Bob → Ada), comments 1 (Bob → Ada), 3 (Ada → Bob), 7 (Cyd → Community);
    // the self-answer 3 and self-comment 2 are dropped by the builder
    assert_eq!(
        events(&g),
        vec![
            ("1".into(), "2".into()),
            ("2".into(), "1".into()),
            ("2".into(), "1".into()),
            ("3".into(), "-1".into()),
        ]
    );
    assert_eq!(g.summary.interaction_self_loops_dropped, 2);
    let kinds = g.interactions.kinds();
    assert!(g.interactions.iter().all(|e| kinds.name(e.kind) == "reply"));
    // the answer keeps its time: 2018-03-12T19:00:00 UTC
    let times: Vec<i64> = g.interactions.iter().map(|e| e.time).collect();
    assert!(times.contains(&1_520_881_200));
    let notes = g.summary.notes.join("\n");
    assert!(notes.contains(
        "4 users; 8 posts (2 questions, 5 answers, 1 other); answers and comments are `reply` \
         interactions to the owner of the post answered or commented on: 2 from answers, 4 from \
         comments"
    ));
    assert!(notes.contains("Posts.xml left out: 2 posts by deleted users"));
    assert!(notes.contains(
        "Posts.xml answers (as interactions) left out: 1 by deleted users, 1 to questions of \
         deleted users, 1 whose question is missing"
    ));
    assert!(notes.contains(
        "Comments.xml left out: 1 comments by deleted users, 1 on posts of deleted users, 1 on \
         missing posts"
    ));
}

#[test]
fn fixture_posts() {
    let g = read(&fixture(), &LoadOptions::default()).unwrap();
    let ids: Vec<&str> = g.posts.as_slice().iter().map(|p| &*p.id).collect();
    assert_eq!(ids, vec!["1", "2", "3", "5", "7", "8"]);
    let q = &g.posts.as_slice()[0];
    assert_eq!(q.author, node(&g, "1"));
    assert_eq!(&*q.text, "What is a qubit?\n\nIs it a bit?");
    let tags: Vec<&str> = q.hashtags.iter().map(|t| &**t).collect();
    assert_eq!(tags, vec!["qubit", "quantum-gate"]);
    assert_eq!(q.time, Some(1_520_877_916));
    assert_eq!(q.impressions, Some(100));
    assert_eq!(q.likes, Some(5));
    assert_eq!(q.replies, Some(3 + 2));
    assert_eq!(q.reply_to, None);
    let a = &g.posts.as_slice()[1];
    assert_eq!(&*a.text, "No: a qubit holds |0> and |1> at once.");
    assert_eq!(a.likes, Some(0), "a negative score counts no likes");
    assert_eq!(a.replies, Some(1));
    assert_eq!(a.reply_to.as_deref(), Some("1"));
    assert_eq!(a.impressions, None);
    assert!(a.hashtags.is_empty());
}

#[test]
fn self_interactions_kept_on_request() {
    let options = LoadOptions {
        keep_self_loops: true,
        ..LoadOptions::default()
    };
    let g = read(&fixture().join("Posts.xml"), &options).unwrap();
    assert_eq!(g.interactions.event_count(), 6);
}

#[test]
fn pipe_tags_and_compressed_files() {
    use std::io::Write;
    let dir = dump_with(&[("Users.xml", USERS)]);
    // a row written with an end tag, text inside it ignored
    let posts = "<posts>\n<row Id=\"9\" PostTypeId=\"1\" OwnerUserId=\"2\" Title=\"T\" \
                 Tags=\"|a-b|c|\">ignored</row>\n</posts>\n";
    let file = std::fs::File::create(dir.path().join("Posts.xml.gz")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    gz.write_all(posts.as_bytes()).unwrap();
    gz.finish().unwrap();
    assert_eq!(
        crate::detect(dir.path()).unwrap(),
        crate::Format::StackExchange
    );
    let g = read(dir.path(), &LoadOptions::default()).unwrap();
    let post = &g.posts.as_slice()[0];
    let tags: Vec<&str> = post.hashtags.iter().map(|t| &**t).collect();
    assert_eq!(tags, vec!["a-b", "c"]);
    assert_eq!(&*post.text, "T");
    assert_eq!(post.replies, None);
}

#[test]
fn not_xml_is_located() {
    let dir = dump_with(&[("Users.xml", "Id,DisplayName\n1,Ada\n")]);
    assert_eq!(
        error_of(&dir),
        format!(
            "{}:1: expected XML `<row …/>` records, found text `Id,DisplayName`",
            dir.path().join("Users.xml").display()
        )
    );
    let dir = dump_with(&[(
        "Users.xml",
        "<users>\n<row Id=\"1\" />\nstray words\n</users>\n",
    )]);
    assert_eq!(
        error_of(&dir),
        format!(
            "{}:3: expected XML `<row …/>` records, found text `stray words`",
            dir.path().join("Users.xml").display()
        )
    );
    let dir = dump_with(&[("Users.xml", "\n  \n")]);
    assert!(error_of(&dir).ends_with(
        "Users.xml: file is empty: expected XML with one `<row …/>` element per record"
    ));
}

#[test]
fn broken_xml_is_located() {
    let dir = dump_with(&[("Users.xml", "<users>\n<row Id=\"1\" />\n<row Id=\"2\n")]);
    let e = read(dir.path(), &LoadOptions::default()).unwrap_err();
    assert_eq!(e.line, Some(3));
    assert!(e.to_string().contains("not well-formed XML"), "{e}");
    let dir = dump_with(&[("Users.xml", "<users>\n<row Id=\"1\" />\n</posts>\n")]);
    let e = read(dir.path(), &LoadOptions::default()).unwrap_err();
    assert_eq!(e.line, Some(3));
    assert!(e.to_string().contains("not well-formed XML"), "{e}");
    // a dump cut between two rows
    let dir = dump_with(&[("Users.xml", "<users>\r\n<row Id=\"1\" />\r\n")]);
    assert_eq!(
        error_of(&dir),
        format!(
            "{}:3: the file ends inside `<users>`: truncated?",
            dir.path().join("Users.xml").display()
        )
    );
    let dir = dump_with(&[(
        "Users.xml",
        "<users>\n<row Id=\"1\" DisplayName=\"A &bogus; B\" />\n</users>\n",
    )]);
    let e = read(dir.path(), &LoadOptions::default()).unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(e.to_string().contains("attribute `DisplayName`"), "{e}");
}

#[test]
fn invalid_utf8_is_located() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Users.xml"),
        b"<users>\n<row Id=\"1\" />\n<row Id=\"2\" DisplayName=\"\xff\" />\n</users>\n",
    )
    .unwrap();
    assert_eq!(
        error_of(&dir),
        format!(
            "{}:3: invalid UTF-8: in attribute `DisplayName`",
            dir.path().join("Users.xml").display()
        )
    );
}

#[test]
fn missing_id_and_bad_values_are_located() {
    let dir = dump_with(&[
        ("Users.xml", USERS),
        (
            "Posts.xml",
            "<posts>\n<row Id=\"1\" PostTypeId=\"1\" OwnerUserId=\"1\" />\n\
             <row PostTypeId=\"2\" ParentId=\"1\" OwnerUserId=\"2\" />\n</posts>\n",
        ),
    ]);
    assert_eq!(
        error_of(&dir),
        format!(
            "{}:3: `<row>` lacks the required attribute `Id`",
            dir.path().join("Posts.xml").display()
        )
    );
    let dir = dump_with(&[
        ("Users.xml", USERS),
        (
            "Posts.xml",
            "<posts>\n<row Id=\"1\" PostTypeId=\"1\" Score=\"many\" OwnerUserId=\"1\" />\n</posts>\n",
        ),
    ]);
    assert_eq!(
        error_of(&dir),
        format!(
            "{}:2: invalid Score `many`: expected an integer",
            dir.path().join("Posts.xml").display()
        )
    );
    let dir = dump_with(&[
        ("Users.xml", USERS),
        ("Posts.xml", "<posts>\n<row Id=\"1\" PostTypeId=\"1\" OwnerUserId=\"1\" />\n</posts>\n"),
        (
            "Comments.xml",
            "<comments>\n<row Id=\"1\" PostId=\"1\" UserId=\"2\" CreationDate=\"yesterday\" />\n</comments>\n",
        ),
    ]);
    assert_eq!(
        error_of(&dir),
        format!(
            "{}:2: invalid CreationDate `yesterday`: expected a date like 2018-03-12T18:05:16.987",
            dir.path().join("Comments.xml").display()
        )
    );
}

#[test]
fn skip_policy_counts_bad_rows() {
    let dir = dump_with(&[
        ("Users.xml", USERS),
        (
            "Posts.xml",
            "<posts>\n<row Id=\"1\" PostTypeId=\"1\" OwnerUserId=\"1\" />\n\
             <row PostTypeId=\"2\" ParentId=\"1\" OwnerUserId=\"2\" />\n\
             <row Id=\"3\" PostTypeId=\"2\" ParentId=\"1\" OwnerUserId=\"2\" />\n</posts>\n",
        ),
    ]);
    let options = LoadOptions {
        on_error: OnError::Skip,
        ..LoadOptions::default()
    };
    let g = read(dir.path(), &options).unwrap();
    assert_eq!(g.posts.len(), 2);
    assert_eq!(g.interactions.event_count(), 1);
    assert_eq!(g.summary.skipped["Posts.xml: syntax error"], 1);
}

#[test]
fn missing_users_are_added_and_noted() {
    let dir = dump_with(&[
        ("Users.xml", USERS),
        (
            "Posts.xml",
            "<posts>\n<row Id=\"1\" PostTypeId=\"1\" OwnerUserId=\"7\" />\n</posts>\n",
        ),
    ]);
    let g = read(dir.path(), &LoadOptions::default()).unwrap();
    assert_eq!(g.node_count(), 3);
    assert!(g
        .summary
        .notes
        .iter()
        .any(|n| n == "1 users referenced by posts or comments are missing from Users.xml"));
    let empty = tempfile::tempdir().unwrap();
    assert!(error_of(&empty).contains("file is empty: expected a Stack Exchange dump"));
}

#[test]
fn progress_is_reported() {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;
    let last = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&last);
    let options = LoadOptions {
        progress: Some(Arc::new(move |b| seen.store(b, Ordering::Relaxed))),
        ..LoadOptions::default()
    };
    read(&fixture(), &options).unwrap();
    let total: u64 = ["Users.xml", "Posts.xml", "Comments.xml"]
        .iter()
        .map(|f| std::fs::metadata(fixture().join(f)).unwrap().len())
        .sum();
    assert_eq!(last.load(Ordering::Relaxed), total);
}

/// Counts of `stackexchange_quantumcomputing/README.md`.
#[test]
fn quantumcomputing_dump() {
    let Some(dir) = shared("stackexchange_quantumcomputing") else {
        return;
    };
    let options = LoadOptions {
        keep_self_loops: true,
        ..LoadOptions::default()
    };
    let g = read(&dir, &options).unwrap();
    assert_eq!(g.node_count(), 3461);
    // 1,056 answerer → asker + 3,406 commenter → owner events; no two share source, target and
    // second
    assert_eq!(g.interactions.event_count(), 1056 + 3406);
    let pairs = distinct_pairs(&g);
    assert_eq!(pairs.len(), 1936);
    let users: BTreeSet<u32> = pairs.iter().flat_map(|&(s, t)| [s, t]).collect();
    assert_eq!(users.len(), 402);
    let notes = g.summary.notes.join("\n");
    assert!(
        notes.contains("1986 posts (612 questions, 1060 answers, 314 other)"),
        "{notes}"
    );
    assert!(
        notes.contains("1056 from answers, 3406 from comments"),
        "{notes}"
    );
    // posts: the 1,984 with an owner in Users.xml
    assert_eq!(g.posts.len(), 1984);
    // Tags.xml counts: top question tags (one tagged question, by a deleted user, is left out)
    let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
    for p in g.posts.as_slice() {
        for t in &p.hashtags {
            *tags.entry(t).or_default() += 1;
        }
    }
    assert_eq!(tags["quantum-computer"], 122);
    assert_eq!(tags["quantum-gate"], 98);
    assert_eq!(tags["qubit"], 72);
    assert_eq!(tags["quantum-entanglement"], 45);
    assert_eq!(tags["architecture"], 44);
    // 1,619 users have AboutMe; in 9 of them it is markup without text (`<p></p>`)
    assert_eq!(g.people.column(BIO).map(|c| c.len()), Some(1610));
    assert_eq!(g.people.column(HANDLE).map(|c| c.len()), Some(3461));
    // self-answers (43) and self-comments (1,131): what the builder drops by default
    let own = g
        .interactions
        .iter()
        .filter(|e| e.source == e.target)
        .count();
    assert_eq!(own, 43 + 1131);
}

/// Counts of `stackexchange_conlang_meta/README.md` (CRLF line endings).
#[test]
fn conlang_meta_dump() {
    let Some(dir) = shared("stackexchange_conlang_meta") else {
        return;
    };
    let options = LoadOptions {
        keep_self_loops: true,
        ..LoadOptions::default()
    };
    let g = read(&dir, &options).unwrap();
    assert_eq!(g.node_count(), 272);
    assert_eq!(g.interactions.event_count(), 109 + 207);
    let pairs = distinct_pairs(&g);
    assert_eq!(pairs.len(), 195);
    let users: BTreeSet<u32> = pairs.iter().flat_map(|&(s, t)| [s, t]).collect();
    assert_eq!(users.len(), 63);
    let notes = g.summary.notes.join("\n");
    assert!(
        notes.contains("177 posts (54 questions, 115 answers, 8 other)"),
        "{notes}"
    );
    // questions' ViewCount total 5,376 (no question lost its owner)
    let views: u64 = g
        .posts
        .as_slice()
        .iter()
        .filter_map(|p| p.impressions)
        .sum();
    assert_eq!(views, 5376);
    // 14 comments by deleted users; 9 on answers of deleted users
    assert!(
        notes.contains("Comments.xml left out: 14 comments by deleted users"),
        "{notes}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever bytes a dump file holds, reading ends in a graph or an error, never a panic.
    #[test]
    fn arbitrary_files_never_panic(
        body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
        framed in proptest::prelude::any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = Vec::new();
        if framed {
            bytes.extend_from_slice(b"<posts>\n<row Id=\"1\" ");
        }
        bytes.extend_from_slice(&body);
        std::fs::write(dir.path().join("Posts.xml"), &bytes).unwrap();
        let _ = read(dir.path(), &LoadOptions::default());
    }
}
