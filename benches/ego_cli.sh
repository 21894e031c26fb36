#!/usr/bin/env bash
# Ego circles through the CLI, scored per ego: `cluster` on the whole SNAP Facebook ego directory
# at several topic weights and seeds, then `evaluate --truth DIR`, which scores each ego's circles
# against the clusters restricted to its alters (McAuley & Leskovec, NIPS 2012).
#
#   benches/ego_cli.sh [EGO_DIR] [SEEDS] [SETTINGS]
#
# Defaults: ../shared/data/ego_facebook/facebook, seeds "42 1 2 3 4", settings
# "0 0.3 0.5 0.7 1.0 0.5+10", where W+K means `--topics W --topic-knn K` (0.5+10 is analyze's
# default blend; `cluster --topics W` alone adds no topical neighbours). Prints a markdown table:
# mean per-ego F1 per setting and seed, its mean over seeds, the pooled F1 (every circle against
# every cluster) and on how many egos the setting beats / ties / trails W = 0 (summed over seeds).
# Uses target/release/contextivity unless CONTEXTIVITY names another binary.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${1:-../shared/data/ego_facebook/facebook}
seeds=${2:-42 1 2 3 4}
settings=${3:-0 0.3 0.5 0.7 1.0 0.5+10}
bin=${CONTEXTIVITY:-target/release/contextivity}
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for setting in $settings; do
    w=${setting%%+*}
    knn=0
    [ "$setting" != "$w" ] && knn=${setting#*+}
    for seed in $seeds; do
        "$bin" cluster "$dir" --topics "$w" --topic-knn "$knn" --seed "$seed" \
            -o "$work/m.tsv" >"$work/cluster.$setting.$seed.json"
        "$bin" evaluate "$work/m.tsv" --truth "$dir" >"$work/evaluate.$setting.$seed.json"
    done
done

python3 - "$work" "$seeds" "$settings" <<'PY'
import json, sys
work, seeds, settings = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
def load(kind, setting, seed):
    return json.load(open(f"{work}/{kind}.{setting}.{seed}.json"))
def label(setting):
    w, _, k = setting.partition("+")
    return f"`--topics {w}`" + (f" `--topic-knn {k}`" if k else "")
base = {s: load("evaluate", settings[0], s) for s in seeds}
print("| setting | " + " | ".join(f"seed {s}" for s in seeds)
      + " | **mean** | pooled F1 (mean) | egos better / same / worse than "
      + label(settings[0]) + " | topics applied |")
print("|---|" + "---:|" * (len(seeds) + 2) + "---|---|")
for setting in settings:
    runs = [load("evaluate", setting, s) for s in seeds]
    f1 = [r["f1"] for r in runs]
    pooled = sum(r["f1_pooled"] for r in runs) / len(runs)
    better = same = worse = 0
    for s, r in zip(seeds, runs):
        for a, b in zip(base[s]["egos"], r["egos"]):
            d = b["f1"] - a["f1"]
            better += d > 1e-12
            worse += d < -1e-12
            same += abs(d) <= 1e-12
    topics = load("cluster", setting, seeds[0])["topics"]
    applied = "—" if topics is None else ("yes" if topics["applied"] else "no")
    print(f"| {label(setting)} | " + " | ".join(f"{x:.4f}" for x in f1)
          + f" | **{sum(f1) / len(f1):.4f}** | {pooled:.4f} | {better} / {same} / {worse} | {applied} |")
PY
