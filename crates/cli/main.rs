//! The `contextivity` command-line program: the only part of the project that touches the world.
//!
//! It parses arguments (clap derive, [`args`]), checks them into a run plan ([`plan`]), builds the
//! rayon pool from `--threads`, runs one subcommand ([`commands`]), shows progress on a terminal
//! ([`progress`]), writes outputs atomically ([`output`]) and maps errors to exit codes:
//! 0 success, 1 failure (the error and its causes on stderr), 2 bad usage.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

mod alloc;
mod args;
mod commands;
mod output;
mod plan;
mod progress;

use clap::Parser;

use crate::args::{Cli, Command};

/// Large blocks on huge pages (see [`alloc`]).
#[global_allocator]
static ALLOCATOR: alloc::HugePageAlloc = alloc::HugePageAlloc;

fn main() {
    let cli = Cli::parse();
    let result = plan::thread_pool(cli.threads).and_then(|pool| {
        pool.install(|| match cli.command {
            Command::Stats(a) => commands::stats::run(a),
            Command::Snapshot(a) => commands::snapshot::run(a),
            Command::Cluster(a) => commands::cluster::run(a),
            Command::Evaluate(a) => commands::evaluate::run(a),
            Command::Analyze(a) => commands::analyze::run(a),
            Command::Inspect(a) => commands::inspect::run(a),
            Command::Diff(a) => commands::diff::run(a),
            Command::Generate(args::GenerateCommand::Lfr(a)) => commands::generate::lfr(a),
            Command::Generate(args::GenerateCommand::Social(a)) => commands::generate::social(a),
        })
    });
    if let Err(error) = result {
        eprintln!("error: {error}");
        for cause in error.chain().skip(1) {
            eprintln!("  caused by: {cause}");
        }
        std::process::exit(1);
    }
}
