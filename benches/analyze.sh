#!/usr/bin/env bash
# End to end `analyze` on a generated social export, with the split per stage.
#
#   benches/analyze.sh [PEOPLE] [THREADS]      (defaults: 1000000 people, 2 threads)
#
# Generates the export with `generate social --people PEOPLE --seed 1` (kept in
# target/bench-analyze/ between runs), then runs `analyze` on it once and prints the seconds of
# every stage (load, view, topics, cluster, metrics, write), the whole wall time and the peak
# resident memory. Build first: cargo build --release.
set -euo pipefail
cd "$(dirname "$0")/.."

people=${1:-1000000}
threads=${2:-2}
bin=target/release/contextivity
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
work=target/bench-analyze
export_dir="$work/social-$people"
mkdir -p "$work"
if [ ! -f "$export_dir/generator.json" ]; then
    "$bin" generate social --people "$people" --seed 1 -o "$export_dir" >/dev/null
fi
rm -rf "$work/report-$people"
/usr/bin/time -f '%e %M' -o "$work/time.txt" \
    "$bin" --threads "$threads" analyze "$export_dir" -o "$work/report-$people" >"$work/summary.json"
python3 - "$work/summary.json" "$work/time.txt" "$threads" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
wall, peak_kb = open(sys.argv[2]).read().split()
s = summary["seconds"]
print(f"people {summary['people']:,} · follows {summary['follows']:,} · interactions "
      f"{summary['interactions']:,} · posts {summary['posts']:,} · {sys.argv[3]} threads")
print(f"clusters {summary['clusters']:,} ({summary['clusters_reported']:,} reported) · "
      f"modularity {summary['modularity']:.4f} · structure {summary['structure']}")
print("| stage | seconds |")
print("|---|---:|")
for stage in ["load", "view", "topics", "cluster", "metrics", "write"]:
    print(f"| {stage} | {s[stage]:.2f} |")
print(f"| **total (wall)** | **{float(wall):.2f}** |")
print(f"metrics + write {s['metrics'] + s['write']:.2f} s vs cluster {s['cluster']:.2f} s; "
      f"peak RSS {int(peak_kb) / 1024:.0f} MB")
PY
