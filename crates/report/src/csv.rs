//! `clusters.csv` and `memberships.csv`: the report as flat tables for spreadsheets and
//! scripts.
//!
//! Both files are RFC 4180 CSV: comma-separated, `\n` line ends, a header row, and a field
//! quoted (`"…"`, inner quotes doubled) only when it contains a comma, a quote, a line break or
//! leading/trailing spaces ([`csv_field`]).
//!
//! **`clusters.csv`** has one row per cluster of the report, in report order, with the columns
//! of [`CLUSTER_COLUMNS`] then, for every interaction kind of the export,
//! `<kind>_internal`, `<kind>_outgoing` and `<kind>_incoming`. Numbers keep full precision
//! (Rust's shortest round-trip form), a missing value is an empty cell, times are ISO 8601 UTC
//! (`2024-03-01T12:30:00Z`), and the cluster's most central key member and strongest broker
//! close the row.
//!
//! **`memberships.csv`** is `person,cluster` then one row per (person id, cluster) pair. A
//! person may appear on several rows (overlapping clusters); [`read_memberships`] reads every
//! row back for `diff`.

use std::io::Write;
use std::path::Path;

use crate::error::ReportError;
use crate::model::{ClusterReport, Report};
use crate::present::iso8601;

/// The fixed columns of `clusters.csv`, before the per-kind interaction columns.
pub const CLUSTER_COLUMNS: &[&str] = &[
    "cluster",
    "size",
    "label",
    "internal_follows",
    "outgoing_follows",
    "incoming_follows",
    "density",
    "conductance",
    "reciprocity",
    "followers",
    "followers_inside",
    "interactions_internal",
    "interactions_outgoing",
    "interactions_incoming",
    "interacting_pairs",
    "follow_pairs",
    "interaction_rate",
    "conversation_share",
    "repeat_pairs",
    "posts",
    "impressions",
    "clicks",
    "likes",
    "reposts",
    "replies",
    "click_through_rate",
    "likes_per_impression",
    "reposts_per_impression",
    "replies_per_impression",
    "engagement_per_member",
    "engagement_per_follower",
    "engagement_followers",
    "active_members",
    "active_share",
    "first_activity",
    "last_activity",
    "top_member_id",
    "top_member_handle",
    "top_member_pagerank",
    "top_member_followers",
    "top_broker_id",
    "top_broker_handle",
    "top_broker_participation",
];

/// The header of `memberships.csv`.
pub const MEMBERSHIPS_HEADER: &str = "person,cluster";

/// One CSV field: as is, or quoted with inner quotes doubled when it contains a comma, a quote,
/// a line break or leading or trailing white space.
pub fn csv_field(value: &str) -> std::borrow::Cow<'_, str> {
    let needs_quotes = value.contains([',', '"', '\n', '\r'])
        || value.starts_with(char::is_whitespace)
        || value.ends_with(char::is_whitespace);
    if needs_quotes {
        std::borrow::Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// Writes one record: the fields quoted as needed, joined by commas, ended by `\n`.
fn write_record<S: AsRef<str>>(out: &mut dyn Write, fields: &[S]) -> std::io::Result<()> {
    let mut line = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&csv_field(f.as_ref()));
    }
    line.push('\n');
    out.write_all(line.as_bytes())
}

/// A float cell: full precision, empty for `None` or a non-finite value.
fn float(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => x.to_string(),
        _ => String::new(),
    }
}

/// The interaction kinds of the report, in the order the clusters list them.
fn kinds(report: &Report) -> Vec<&str> {
    let mut kinds: Vec<&str> = Vec::new();
    for c in &report.clusters {
        for k in &c.profile.interactions.by_kind {
            if !kinds.contains(&k.kind.as_str()) {
                kinds.push(&k.kind);
            }
        }
    }
    kinds
}

/// Writes `clusters.csv`: the header, then one row per cluster of `report`.
pub fn write_clusters_csv(report: &Report, out: &mut dyn Write) -> Result<(), ReportError> {
    let kinds = kinds(report);
    let mut header: Vec<String> = CLUSTER_COLUMNS.iter().map(|c| c.to_string()).collect();
    for k in &kinds {
        for flow in ["internal", "outgoing", "incoming"] {
            header.push(format!("{k}_{flow}"));
        }
    }
    write_record(out, &header)?;
    for c in &report.clusters {
        write_record(out, &cluster_row(c, &kinds))?;
    }
    Ok(())
}

/// The cells of one cluster's row.
fn cluster_row(c: &ClusterReport, kinds: &[&str]) -> Vec<String> {
    let p = &c.profile;
    let (co, i, e) = (&p.cohesion, &p.interactions, &p.engagement);
    let top = p
        .key_members
        .iter()
        .max_by(|a, b| a.pagerank.total_cmp(&b.pagerank).then(b.id.cmp(&a.id)));
    let broker = p.brokers.iter().max_by(|a, b| {
        a.participation
            .total_cmp(&b.participation)
            .then(b.id.cmp(&a.id))
    });
    let mut row = vec![
        p.cluster.to_string(),
        p.size.to_string(),
        c.topics.as_ref().map_or("", |t| &t.label).to_string(),
        co.internal_follows.to_string(),
        co.outgoing_follows.to_string(),
        co.incoming_follows.to_string(),
        float(co.density),
        float(co.conductance),
        float(co.reciprocity),
        co.followers.to_string(),
        co.followers_inside.to_string(),
        i.internal.to_string(),
        i.outgoing.to_string(),
        i.incoming.to_string(),
        i.interacting_pairs.to_string(),
        i.follow_pairs.to_string(),
        float(i.interaction_rate),
        float(i.conversation_share),
        i.repeat_pairs.to_string(),
        e.posts.to_string(),
        e.impressions.to_string(),
        e.clicks.to_string(),
        e.likes.to_string(),
        e.reposts.to_string(),
        e.replies.to_string(),
        float(e.click_through_rate),
        float(e.likes_per_impression),
        float(e.reposts_per_impression),
        float(e.replies_per_impression),
        float(e.engagement_per_member),
        float(e.engagement_per_follower),
        e.followers.to_string(),
        e.active_members.to_string(),
        float(e.active_share),
        p.activity.first.map(iso8601).unwrap_or_default(),
        p.activity.last.map(iso8601).unwrap_or_default(),
        top.map(|m| m.id.clone()).unwrap_or_default(),
        top.and_then(|m| m.handle.clone()).unwrap_or_default(),
        float(top.map(|m| m.pagerank)),
        top.map(|m| m.followers.to_string()).unwrap_or_default(),
        broker.map(|b| b.id.clone()).unwrap_or_default(),
        broker.and_then(|b| b.handle.clone()).unwrap_or_default(),
        float(broker.map(|b| b.participation)),
    ];
    for k in kinds {
        match i.by_kind.iter().find(|f| f.kind == *k) {
            Some(f) => {
                row.push(f.internal.to_string());
                row.push(f.outgoing.to_string());
                row.push(f.incoming.to_string());
            }
            None => row.extend(["0", "0", "0"].map(String::from)),
        }
    }
    row
}

/// Writes `memberships.csv`: the header `person,cluster`, then one row per pair, in the order
/// given.
pub fn write_memberships<'a>(
    memberships: impl IntoIterator<Item = (&'a str, u32)>,
    out: &mut dyn Write,
) -> Result<(), ReportError> {
    let mut buffer = String::with_capacity(1 << 16);
    buffer.push_str(MEMBERSHIPS_HEADER);
    buffer.push('\n');
    for (person, cluster) in memberships {
        buffer.push_str(&csv_field(person));
        buffer.push(',');
        buffer.push_str(&cluster.to_string());
        buffer.push('\n');
        if buffer.len() >= 1 << 16 {
            out.write_all(buffer.as_bytes())?;
            buffer.clear();
        }
    }
    out.write_all(buffer.as_bytes())?;
    Ok(())
}

/// Reads a `memberships.csv` written by [`write_memberships`]: every (person id, cluster) row,
/// in file order.
///
/// Fails with [`ReportError::Csv`] (path and line) on a wrong header, a row without exactly two
/// fields, a cluster that is not a number, or an unclosed quote.
pub fn read_memberships(path: &Path) -> Result<Vec<(String, u32)>, ReportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_memberships(&text, path)
}

/// Parses the text of a `memberships.csv`; `path` only names the file in errors.
pub fn parse_memberships(text: &str, path: &Path) -> Result<Vec<(String, u32)>, ReportError> {
    let error = |line: u64, message: String| ReportError::Csv {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut records = Records::new(text.strip_prefix('\u{feff}').unwrap_or(text));
    match records.next() {
        Some((_, Ok(fields))) if fields == ["person", "cluster"] => {}
        Some((line, Ok(fields))) => {
            return Err(error(
                line,
                format!(
                    "expected the header `{MEMBERSHIPS_HEADER}`, found `{}`",
                    fields.join(",")
                ),
            ))
        }
        Some((line, Err(message))) => return Err(error(line, message)),
        None => {
            return Err(error(
                1,
                format!("empty file; expected `{MEMBERSHIPS_HEADER}`"),
            ))
        }
    }
    let mut out = Vec::new();
    for (line, record) in records {
        let mut fields = record.map_err(|m| error(line, m))?;
        if fields.len() != 2 {
            return Err(error(
                line,
                format!(
                    "expected 2 columns (person,cluster), found {}",
                    fields.len()
                ),
            ));
        }
        let cluster = fields[1].trim().parse::<u32>().map_err(|_| {
            error(
                line,
                format!("expected a cluster number, found `{}`", fields[1]),
            )
        })?;
        fields.truncate(1);
        let person = fields.pop().unwrap_or_default();
        out.push((person, cluster));
    }
    Ok(out)
}

/// CSV records of a text with the 1-based line each starts on; blank lines are skipped.
struct Records<'t> {
    rest: std::iter::Peekable<std::str::Chars<'t>>,
    line: u64,
}

impl<'t> Records<'t> {
    fn new(text: &'t str) -> Self {
        Records {
            rest: text.chars().peekable(),
            line: 1,
        }
    }
}

impl Iterator for Records<'_> {
    type Item = (u64, Result<Vec<String>, String>);

    fn next(&mut self) -> Option<Self::Item> {
        // Skip blank lines.
        while let Some(&c) = self.rest.peek() {
            match c {
                '\n' => {
                    self.line += 1;
                    self.rest.next();
                }
                '\r' => {
                    self.rest.next();
                }
                _ => break,
            }
        }
        self.rest.peek()?;
        let start = self.line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut was_quoted = false;
        loop {
            let Some(c) = self.rest.next() else {
                if quoted {
                    return Some((start, Err("a quoted field is never closed".to_string())));
                }
                fields.push(field);
                return Some((start, Ok(fields)));
            };
            match (quoted, c) {
                (true, '"') if self.rest.peek() == Some(&'"') => {
                    self.rest.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    field.push(c);
                }
                (false, '"') if field.is_empty() && !was_quoted => {
                    quoted = true;
                    was_quoted = true;
                }
                (false, '"') => {
                    return Some((start, Err("a quote inside an unquoted field".to_string())));
                }
                (false, ',') => {
                    fields.push(std::mem::take(&mut field));
                    was_quoted = false;
                }
                (false, '\r') => {}
                (false, '\n') => {
                    self.line += 1;
                    fields.push(field);
                    return Some((start, Ok(fields)));
                }
                (false, c) => {
                    if was_quoted {
                        return Some((
                            start,
                            Err("text after the closing quote of a field".to_string()),
                        ));
                    }
                    field.push(c);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field(""), "");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field(" padded"), "\" padded\"");
        assert_eq!(csv_field("#a · b"), "#a · b");
    }

    #[test]
    fn clusters_csv_is_flat_and_complete() {
        let report = fixture::report();
        let mut out = Vec::new();
        write_clusters_csv(&report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + report.clusters.len());
        let header: Vec<&str> = lines[0].split(',').collect();
        assert_eq!(header.len(), CLUSTER_COLUMNS.len() + 9);
        assert_eq!(
            &header[header.len() - 3..],
            ["like_internal", "like_outgoing", "like_incoming"]
        );
        let row0: Vec<&str> = lines[1].split(',').collect();
        assert_eq!(row0.len(), header.len());
        let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
        assert_eq!(row0[col("cluster")], "0");
        assert_eq!(row0[col("label")], "#rustlang · compiler · crates.io");
        assert_eq!(row0[col("density")], "0.0291");
        assert_eq!(row0[col("first_activity")], "2024-03-04T07:00:00Z");
        assert_eq!(row0[col("top_member_id")], "1001");
        assert_eq!(row0[col("top_broker_handle")], "bridge_builder");
        // A missing value is an empty cell.
        let row3: Vec<&str> = lines[4].split(',').collect();
        assert_eq!(row3[col("conductance")], "");
        assert_eq!(row3[col("click_through_rate")], "");
        assert_eq!(row3[col("top_member_id")], "");
        // Special characters are quoted.
        assert!(lines[3].contains(",\"<script> · \"\"quoted\"\" · a&b\","));
        assert!(lines[3].contains(",\"3001,\"\"x\"\"\","));
    }

    #[test]
    fn memberships_round_trip() {
        let pairs = vec![
            ("plain".to_string(), 0),
            ("with,comma".to_string(), 1),
            ("with \"quotes\"".to_string(), 1),
            ("two\nlines".to_string(), 2),
            ("plain".to_string(), 2),
        ];
        let mut out = Vec::new();
        write_memberships(pairs.iter().map(|(p, c)| (p.as_str(), *c)), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("person,cluster\nplain,0\n\"with,comma\",1\n"));
        let back = parse_memberships(&text, Path::new("m.csv")).unwrap();
        assert_eq!(back, pairs);
        let big = fixture::memberships();
        let mut out = Vec::new();
        write_memberships(big.iter().map(|(p, c)| (p.as_str(), *c)), &mut out).unwrap();
        let back = parse_memberships(std::str::from_utf8(&out).unwrap(), Path::new("m")).unwrap();
        assert_eq!(back, big);
    }

    #[test]
    fn bad_lines_name_path_and_line() {
        let path = Path::new("out/memberships.csv");
        let err = |text: &str| parse_memberships(text, path).unwrap_err().to_string();
        assert_eq!(
            err("person,cluster\na,0\nb\n"),
            "out/memberships.csv:3: expected 2 columns (person,cluster), found 1"
        );
        assert_eq!(
            err("person,cluster\n\"x\ny\",0\nb,zero\n"),
            "out/memberships.csv:4: expected a cluster number, found `zero`"
        );
        assert_eq!(
            err("node,cluster\n"),
            "out/memberships.csv:1: expected the header `person,cluster`, found `node,cluster`"
        );
        assert_eq!(
            err("person,cluster\n\"open,0\n"),
            "out/memberships.csv:2: a quoted field is never closed"
        );
        assert!(err("").contains(":1: empty file"));
        // CRLF line ends and blank lines are accepted.
        let ok = parse_memberships("person,cluster\r\na,0\r\n\r\nb,1\r\n", path).unwrap();
        assert_eq!(ok, vec![("a".to_string(), 0), ("b".to_string(), 1)]);
    }
}
