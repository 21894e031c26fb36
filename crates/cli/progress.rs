//! Progress on a terminal, silence when piped.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A spinner or bar on stderr when stderr is a terminal; a hidden bar otherwise.
pub fn stage(message: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// A byte-progress bar for loading `input` (its size on disk; compressed inputs finish early).
pub fn loading(input: &Path) -> (ProgressBar, Option<contextivity_formats::ProgressFn>) {
    if !std::io::stderr().is_terminal() {
        return (ProgressBar::hidden(), None);
    }
    let total = dir_or_file_size(input);
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "loading {bar:30} {bytes}/{total_bytes} {bytes_per_sec} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let handle = bar.clone();
    let callback: contextivity_formats::ProgressFn =
        Arc::new(move |bytes| handle.set_position(bytes));
    (bar, Some(callback))
}

fn dir_or_file_size(path: &Path) -> u64 {
    if path.is_dir() {
        std::fs::read_dir(path)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .filter_map(|e| e.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    } else {
        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
    }
}
