//! Writes a synthetic social export and prints its summary (counts, realised figures, bytes and
//! seconds per file) as JSON.
//!
//! ```text
//! cargo run --release -p contextivity-synth --example social -- PEOPLE SEED DIR
//! cargo run --release -p contextivity-synth --example social -- 2000 1 data/sample   # the bundled sample
//! cargo run --release -p contextivity-synth --example social -- 1000000 1 social-1m
//! ```
//!
//! Every other parameter keeps its default (see `SocialParams`); this is the same library call as
//! `contextivity generate social --people PEOPLE --seed SEED -o DIR`, so both write identical
//! bytes. The rayon pool follows `RAYON_NUM_THREADS`.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

use std::path::PathBuf;
use std::time::Instant;

use contextivity_synth::social::{write_export, SocialParams};

fn fail(message: &str) -> ! {
    eprintln!("social: {message}");
    eprintln!("usage: social [PEOPLE [SEED [DIR]]]");
    std::process::exit(2)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let people = args
        .next()
        .map_or(Ok(2000), |a| a.parse::<usize>())
        .unwrap_or_else(|e| fail(&format!("people: {e}")));
    let seed = args
        .next()
        .map_or(Ok(1), |a| a.parse::<u64>())
        .unwrap_or_else(|e| fail(&format!("seed: {e}")));
    let dir = args.next().map_or_else(
        || std::env::temp_dir().join("contextivity-social"),
        PathBuf::from,
    );
    let params = SocialParams {
        people,
        seed,
        ..SocialParams::default()
    };
    let start = Instant::now();
    let summary = write_export(&params, &dir).unwrap_or_else(|e| fail(&e.to_string()));
    let seconds = start.elapsed().as_secs_f64();
    let record = serde_json::json!({
        "output": dir.display().to_string(),
        "threads": rayon::current_num_threads(),
        "seconds": seconds,
        "bytes": summary.files.iter().map(|f| f.bytes).sum::<u64>(),
        "summary": summary,
    });
    match serde_json::to_string_pretty(&record) {
        Ok(text) => println!("{text}"),
        Err(e) => fail(&e.to_string()),
    }
}
