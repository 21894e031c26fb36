//! `report.json`: the [`Report`] serialised, and read back for `inspect` and `diff`.
//!
//! The file is pretty-printed JSON with fields in the order the structs declare them (serde's
//! order, not alphabetical), maps (the interaction kind weights) sorted by key, and a final
//! newline, so the same run gives byte-identical files. Missing ratios are `null`.
//!
//! [`read_report`] first looks only at the `schema` and `version` fields, so a file of another
//! kind or of a newer layout is refused with [`ReportError::SchemaMismatch`] (naming both
//! versions) instead of a confusing "missing field" error. Older versions of the same schema
//! are read as long as they parse into the current model.

use std::io::Write;
use std::path::Path;

use serde::Deserialize;

use crate::error::ReportError;
use crate::model::{Report, SCHEMA, SCHEMA_VERSION};

/// Writes `report` as pretty-printed JSON followed by a newline.
pub fn write_json(report: &Report, out: &mut dyn Write) -> Result<(), ReportError> {
    serde_json::to_writer_pretty(&mut *out, report).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Reads a `report.json` written by [`write_json`].
///
/// Fails with [`ReportError::Read`] when the file cannot be read, [`ReportError::SchemaMismatch`]
/// when it declares another schema or a version newer than [`SCHEMA_VERSION`], and
/// [`ReportError::Json`] when it is not JSON or not a report.
pub fn read_report(path: &Path) -> Result<Report, ReportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_report(&text, path)
}

/// Parses the text of a `report.json`; `path` only names the file in errors.
pub fn parse_report(text: &str, path: &Path) -> Result<Report, ReportError> {
    /// The two fields that say what a file is, read before anything else.
    #[derive(Deserialize)]
    struct Header {
        schema: Option<String>,
        version: Option<u64>,
    }
    let json_error = |source| ReportError::Json {
        path: path.to_path_buf(),
        source,
    };
    let header: Header = serde_json::from_str(text).map_err(json_error)?;
    let expected = format!("{SCHEMA} v{SCHEMA_VERSION}");
    let found = |schema: &str, version: Option<u64>| match version {
        Some(v) => format!("{schema} v{v}"),
        None => format!("{schema} (no version)"),
    };
    match header.schema.as_deref() {
        Some(SCHEMA) => {}
        Some(other) => {
            return Err(ReportError::SchemaMismatch {
                path: path.to_path_buf(),
                found: found(other, header.version),
                expected,
            })
        }
        None => {
            return Err(ReportError::SchemaMismatch {
                path: path.to_path_buf(),
                found: "file without a `schema` field".to_string(),
                expected,
            })
        }
    }
    match header.version {
        Some(v) if v <= u64::from(SCHEMA_VERSION) => {}
        version => {
            return Err(ReportError::SchemaMismatch {
                path: path.to_path_buf(),
                found: found(SCHEMA, version),
                expected,
            })
        }
    }
    serde_json::from_str(text).map_err(json_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    fn json(report: &Report) -> String {
        let mut out = Vec::new();
        write_json(report, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn round_trip_is_exact() {
        let report = fixture::report();
        let text = json(&report);
        let back = parse_report(&text, Path::new("report.json")).unwrap();
        assert_eq!(back, report);
        assert_eq!(json(&back), text);
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn awkward_floats_round_trip_bit_for_bit() {
        let mut report = fixture::report();
        report.clusters[0].profile.cohesion.density = Some(1.0 / 3.0);
        report.clusters[1].profile.interactions.interaction_rate = Some(0.1 + 0.2);
        report.network.follow_modularity = 5.0 / 11.0;
        report.clusters[2].profile.key_members[0].pagerank = 1e-300 / 3.0;
        let back = parse_report(&json(&report), Path::new("report.json")).unwrap();
        assert_eq!(back, report);
    }

    #[test]
    fn fields_keep_declaration_order() {
        let text = json(&fixture::report());
        let at = |s: &str| text.find(s).unwrap();
        assert!(at("\"schema\"") < at("\"version\""));
        assert!(at("\"version\"") < at("\"generator\""));
        assert!(at("\"parameters\"") < at("\"network\""));
        assert!(at("\"network\"") < at("\"clusters\""));
        // The profile is flattened into each cluster, before its topics.
        assert!(at("\"cohesion\"") < at("\"topics\""));
        assert!(text.contains("\"structure\": {\n      \"kind\": \"community_clusters\""));
        // Missing ratios are null, never NaN.
        assert!(text.contains("\"conductance\": null"));
    }

    #[test]
    fn other_schemas_and_newer_versions_are_refused() {
        let path = Path::new("out/report.json");
        let mut value: serde_json::Value = serde_json::from_str(&json(&fixture::report())).unwrap();
        value["version"] = serde_json::json!(SCHEMA_VERSION + 1);
        let err = parse_report(&value.to_string(), path).unwrap_err();
        assert!(matches!(err, ReportError::SchemaMismatch { .. }));
        let message = err.to_string();
        assert!(message.contains("out/report.json"), "{message}");
        assert!(message.contains("contextivity.report v2"), "{message}");
        assert!(
            message.contains("reads contextivity.report v1"),
            "{message}"
        );

        value["version"] = serde_json::json!(SCHEMA_VERSION);
        value["schema"] = serde_json::json!("someone.else");
        let err = parse_report(&value.to_string(), path).unwrap_err();
        assert!(err.to_string().contains("someone.else v1"), "{err}");

        let err = parse_report("{\"people\": 3}", path).unwrap_err();
        assert!(err.to_string().contains("without a `schema`"), "{err}");
    }

    #[test]
    fn reports_from_before_the_topics_check_still_read() {
        let mut value: serde_json::Value = serde_json::from_str(&json(&fixture::report())).unwrap();
        let parameters = value["parameters"].as_object_mut().unwrap();
        assert!(parameters.remove("topics_applied").is_some());
        assert!(parameters.remove("topics_reason").is_some());
        for later in ["topic_skip_columns", "iterations", "stable_share"] {
            assert!(parameters.remove(later).is_some());
        }
        let back = parse_report(&value.to_string(), Path::new("report.json")).unwrap();
        assert!(!back.parameters.topics_applied);
        assert!(back.parameters.topics_reason.is_empty());
        assert!(back.parameters.topic_skip_columns.is_empty());
        assert_eq!(back.parameters.iterations, None);
        assert_eq!(back.parameters.stable_share, None);
        assert_eq!(back.parameters.topic_weight, 0.5);
    }

    #[test]
    fn broken_files_name_the_path() {
        let err = parse_report("{\"schema\": ", Path::new("a/report.json")).unwrap_err();
        assert!(matches!(err, ReportError::Json { .. }));
        assert!(err.to_string().starts_with("a/report.json: "), "{err}");
        let header_only = format!("{{\"schema\": \"{SCHEMA}\", \"version\": 1}}");
        let err = parse_report(&header_only, Path::new("r.json")).unwrap_err();
        assert!(err.to_string().contains("missing field"), "{err}");
        let err = read_report(Path::new("no/such/report.json")).unwrap_err();
        assert!(matches!(err, ReportError::Read { .. }));
    }
}
