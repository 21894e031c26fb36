#!/usr/bin/env python3
"""Side-by-side clustering benchmark: contextivity and the peer tools on the same graph, same run.

Usage (from the project root, after `cargo build --release` and `../shared/peers/setup.sh`):

    /tmp/peers-venv/bin/python benches/peers.py GRAPH.edges[.gz] --gt GRAPH.gt[.gz] \
        [--threads 1,2] [--repeats 3] [--peers networkit,igraph,leidenalg,infomap] \
        [--out results.jsonl] [--methods leiden-modularity,...] [--interleave]

For every (method, threads, repeat) contextivity runs as a fresh process
(`contextivity cluster GRAPH --threads T --seed S ...`); its own JSON summary gives the load and
cluster seconds and the modularity (resolution 1, same definition as igraph's), `contextivity
evaluate` gives NMI and ARI against the planted truth, and the child's peak RSS comes from
wait4(). Then `../shared/peers/run_peers.py` runs the peers on the same decompressed file with the
same thread counts. One JSON line per run is written to --out; a Markdown table with each
time as a ratio of networkit PLM's without refinement (same graph, same threads) goes to stdout.

With --interleave the runs alternate, one round at a time: each of our methods once, then each
peer once (seed 42 + round for ours). The machine's speed drifts by 20-40 % within an hour,
often more than the difference being measured, so a ratio between runs made minutes apart is
uncertain; within a round the two runs share the machine's state. After the table comes, for
each of our methods, the ratio to networkit PLM (without, then with refinement) round by round
and its median. --methods keeps only some of our methods (`algorithm-objective`, as in the
table); a peer algorithm alone is `--peers networkit:PLM`.
"""
import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "contextivity")
PEERS = os.path.join(ROOT, "..", "shared", "peers", "run_peers.py")

METHODS = [
    ("leiden", "modularity"),
    ("louvain", "modularity"),
    ("leiden", "map"),
    ("lpa", "modularity"),
]


def plain(path, workdir):
    """A decompressed copy of `path` (or `path` itself when it is plain text)."""
    if not path.endswith(".gz"):
        return path
    out = os.path.join(workdir, os.path.basename(path)[:-3])
    if not os.path.exists(out):
        with gzip.open(path, "rb") as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst)
    return out


def ours(graph, gt, threads, repeats, workdir, methods=METHODS, first_rep=0):
    rows = []
    for algorithm, objective in methods:
        for rep in range(first_rep, first_rep + repeats):
            seed = 42 + rep
            memberships = os.path.join(workdir, f"m-{algorithm}-{objective}-{threads}.tsv")
            args = [
                BINARY, "cluster", graph, "--algorithm", algorithm, "--objective", objective,
                "--threads", str(threads), "--seed", str(seed), "-o", memberships,
            ]
            env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            out = proc.stdout.read().decode()
            err = proc.stderr.read().decode()
            if status != 0:
                raise RuntimeError(f"{' '.join(args)} failed: {err}")
            summary = json.loads(out)
            row = {
                "graph": os.path.basename(graph).split(".edges")[0],
                "tool": "contextivity",
                "algorithm": f"{algorithm}-{objective}",
                "threads": threads,
                "rep": rep,
                "seed": seed,
                "load_seconds": summary["seconds"]["load"],
                "cluster_seconds": summary["seconds"]["cluster"],
                "modularity": summary["modularity"],
                "communities": summary["communities"],
                "peak_rss_mb": usage.ru_maxrss / 1024.0,
                "status": "ok",
            }
            if gt:
                ev = subprocess.run(
                    [BINARY, "evaluate", memberships, "--truth", gt, "--truth-format", "pairs"],
                    capture_output=True, check=True, text=True,
                )
                scores = json.loads(ev.stdout)
                row["nmi"] = scores["nmi"]
                row["ari"] = scores["ari"]
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
    return rows


def peers(graph, gt, threads, repeats, only, workdir):
    out = os.path.join(workdir, "peers.jsonl")
    if os.path.exists(out):
        os.remove(out)
    args = [sys.executable, PEERS, graph, "--threads", ",".join(map(str, threads)),
            "--repeats", str(repeats), "--only", only, "--out", out, "--timeout", "600"]
    if gt:
        args += ["--gt", gt]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        return [json.loads(line) for line in f if line.strip()]


def paired(rows):
    """Per round, each of our methods' cluster time over networkit PLM's (each variant) in the
    same round."""
    lines = []
    keys = sorted({(r["algorithm"], r["threads"]) for r in rows if r.get("tool") == "contextivity"})
    for peer in ("PLM", "PLM refine"):
        ref = {(r["threads"], r["round"]): r["cluster_seconds"] for r in rows
               if r.get("tool") == "networkit" and name_of(r) == peer
               and r.get("status") == "ok" and "round" in r}
        for algorithm, threads in keys:
            ratios = [r["cluster_seconds"] / ref[(threads, r["round"])] for r in rows
                      if r.get("tool") == "contextivity" and r["algorithm"] == algorithm
                      and r["threads"] == threads and (threads, r.get("round")) in ref]
            if ratios:
                shown = ", ".join(f"{x:.2f}" for x in ratios)
                lines.append(f"- {algorithm}, {threads} threads, ÷ networkit {peer} of the same "
                             f"round: {shown}; median **{statistics.median(ratios):.2f}**")
    return "\n".join(lines)


def median(rows, key):
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def name_of(r):
    """A row's algorithm as the table shows it: networkit PLM with and without refinement are
    two peers, never pooled (the peers' README has them at 6.6 and 10.3 s on the 1M graph)."""
    if r.get("tool") == "networkit" and r.get("algorithm") == "PLM":
        return "PLM refine" if r.get("params", {}).get("refine") else "PLM"
    return r["algorithm"]


def table(rows):
    groups = {}
    for r in rows:
        if r.get("status") != "ok":
            continue
        groups.setdefault((r["tool"], name_of(r), r["threads"]), []).append(r)
    # The reference is PLM without refinement, the faster of the two.
    reference = {threads: median(rs, "cluster_seconds")
                 for (tool, name, threads), rs in groups.items()
                 if tool == "networkit" and name == "PLM"}
    lines = [
        "| tool | algorithm | threads | runs | load s | cluster s | ÷ networkit PLM | Q | NMI | ARI | communities | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (tool, name, threads), rs in sorted(groups.items(), key=lambda kv: (kv[0][2], kv[0][0] != "contextivity", kv[0][0], kv[0][1])):
        t = median(rs, "cluster_seconds")
        ref = reference.get(threads)
        ratio = f"{t / ref:.2f}" if ref and t is not None else ""
        fmt = lambda v, p: "" if v is None else f"{v:.{p}f}"
        lines.append(
            f"| {tool} | {name} | {threads} | {len(rs)} | {fmt(median(rs, 'load_seconds'), 3)} | "
            f"{fmt(t, 3)} | {ratio} | {fmt(median(rs, 'modularity'), 4)} | {fmt(median(rs, 'nmi'), 3)} | "
            f"{fmt(median(rs, 'ari'), 3)} | {fmt(median(rs, 'communities'), 0)} | {fmt(median(rs, 'peak_rss_mb'), 0)} |"
        )
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("graph")
    p.add_argument("--gt")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--peers", default="networkit,igraph")
    p.add_argument("--out")
    p.add_argument("--methods", help="comma list of our methods, e.g. leiden-modularity")
    p.add_argument("--interleave", action="store_true", help="alternate ours and the peers, round by round")
    a = p.parse_args()
    if not os.path.exists(BINARY):
        sys.exit("build first: cargo build --release")
    threads = [int(t) for t in a.threads.split(",")]
    workdir = tempfile.mkdtemp(prefix="ctx-peers-")
    try:
        graph = plain(a.graph, workdir)
        gt = plain(a.gt, workdir) if a.gt else None
        methods = METHODS
        if a.methods:
            wanted = a.methods.split(",")
            methods = [m for m in METHODS if f"{m[0]}-{m[1]}" in wanted]
            if len(methods) != len(wanted):
                sys.exit(f"unknown method in {a.methods!r}; known: "
                         + ", ".join(f"{x}-{y}" for x, y in METHODS))
        rows = []
        if a.interleave:
            for rnd in range(a.repeats):
                round_rows = []
                for t in threads:
                    round_rows += ours(graph, gt, t, 1, workdir, methods, first_rep=rnd)
                if a.peers:
                    round_rows += peers(graph, gt, threads, 1, a.peers, workdir)
                for r in round_rows:
                    r["round"] = rnd
                rows += round_rows
        else:
            for t in threads:
                rows += ours(graph, gt, t, a.repeats, workdir, methods)
            if a.peers:
                rows += peers(graph, gt, threads, a.repeats, a.peers, workdir)
        if a.out:
            with open(a.out, "w") as f:
                for r in rows:
                    f.write(json.dumps(r) + "\n")
        print(table(rows))
        if a.interleave:
            print()
            print(paired(rows))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
