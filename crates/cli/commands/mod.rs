//! One file per subcommand; [`load`] is the loading step they share.

pub mod analyze;
pub mod cluster;
pub mod diff;
pub mod evaluate;
pub mod generate;
pub mod inspect;
pub mod load;
pub mod snapshot;
pub mod stats;

/// Reads `DIR/report.json` of a report folder written by `analyze` (or the file itself).
pub fn report_json(path: &std::path::Path) -> anyhow::Result<contextivity_report::Report> {
    let file = if path.is_dir() {
        path.join("report.json")
    } else {
        path.to_path_buf()
    };
    if !file.is_file() {
        anyhow::bail!(
            "{}: not a report folder (no report.json; write one with `contextivity analyze`)",
            path.display()
        );
    }
    Ok(contextivity_report::json::read_report(&file)?)
}
