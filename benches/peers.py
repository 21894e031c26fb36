#!/usr/bin/env python3
"""Side-by-side clustering benchmark: contextivity and the peer tools on the same graph, same run.

Usage (from the project root, after `cargo build --release` and `../shared/peers/setup.sh`):

    /tmp/peers-venv/bin/python benches/peers.py GRAPH.edges[.gz] --gt GRAPH.gt[.gz] \
        [--threads 1,2] [--repeats 3] [--peers networkit,igraph,leidenalg,infomap] \
        [--out results.jsonl]

For every (method, threads, repeat) contextivity runs as a fresh process
(`contextivity cluster GRAPH --threads T --seed S ...`); its own JSON summary gives the load and
cluster seconds and the modularity (resolution 1, same definition as igraph's), `contextivity
evaluate` gives NMI and ARI against the planted truth, and the child's peak RSS comes from
wait4(). Then `../shared/peers/run_peers.py` runs the peers on the same decompressed file with the
same thread counts. One JSON line per run is written to --out; a Markdown table with each
time as a ratio of networkit PLM's (same graph, same threads) goes to stdout.
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


def ours(graph, gt, threads, repeats, workdir):
    rows = []
    for algorithm, objective in METHODS:
        for rep in range(repeats):
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


def median(rows, key):
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def table(rows):
    groups = {}
    for r in rows:
        if r.get("status") != "ok":
            continue
        groups.setdefault((r["tool"], r["algorithm"], r["threads"]), []).append(r)
    reference = {}
    for (tool, algorithm, threads), rs in groups.items():
        if tool == "networkit" and algorithm == "PLM" and rs[0].get("params", {}).get("refine") is False:
            reference[threads] = median(rs, "cluster_seconds")
        if tool == "networkit" and algorithm == "PLM" and threads not in reference:
            reference[threads] = median(rs, "cluster_seconds")
    lines = [
        "| tool | algorithm | threads | runs | load s | cluster s | ÷ networkit PLM | Q | NMI | ARI | communities | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (tool, algorithm, threads), rs in sorted(groups.items(), key=lambda kv: (kv[0][2], kv[0][0] != "contextivity", kv[0][0], kv[0][1])):
        t = median(rs, "cluster_seconds")
        ref = reference.get(threads)
        ratio = f"{t / ref:.2f}" if ref and t is not None else ""
        fmt = lambda v, p: "" if v is None else f"{v:.{p}f}"
        name = algorithm
        if tool == "networkit" and algorithm == "PLM":
            name += " refine" if rs[0].get("params", {}).get("refine") else ""
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
    a = p.parse_args()
    if not os.path.exists(BINARY):
        sys.exit("build first: cargo build --release")
    threads = [int(t) for t in a.threads.split(",")]
    workdir = tempfile.mkdtemp(prefix="ctx-peers-")
    try:
        graph = plain(a.graph, workdir)
        gt = plain(a.gt, workdir) if a.gt else None
        rows = []
        for t in threads:
            rows += ours(graph, gt, t, a.repeats, workdir)
        if a.peers:
            rows += peers(graph, gt, threads, a.repeats, a.peers, workdir)
        if a.out:
            with open(a.out, "w") as f:
                for r in rows:
                    f.write(json.dumps(r) + "\n")
        print(table(rows))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
