#!/usr/bin/env python3
"""Loading benchmark: contextivity and the peers reading the same edge list, same run.

Usage (from the project root, after `cargo build --release` and `../shared/peers/setup.sh`):

    /tmp/peers-venv/bin/python benches/peers_load.py GRAPH.edges[.gz] [--repeats 3]

Every measurement is a fresh process, one right after the other, alternating tools:
- contextivity: `contextivity stats GRAPH --undirected --json` (its `seconds.load` is parse +
  numbering + symmetric CSR build), then the same from a snapshot written once beforehand;
- numpy `loadtxt` + scipy CSR (symmetrised), networkit `graphio.EdgeListReader(' ', 0)`,
  igraph `Graph.Read_Edgelist(directed=False)`: wall time of the read call only.
Peak RSS of every child comes from wait4(). A .gz graph is decompressed once (not timed).
Prints a Markdown table (medians) with each time as a multiple of contextivity's.
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

PEER_CODE = {
    "numpy+scipy": """
import time, numpy as np, scipy.sparse as sp
t = time.perf_counter()
e = np.loadtxt(PATH, dtype=np.int64, comments='#')
n = int(e.max()) + 1
a = sp.csr_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
a = a + a.T
print(time.perf_counter() - t)
""",
    "networkit": """
import time, networkit as nk
nk.setNumberOfThreads(2)
t = time.perf_counter()
g = nk.graphio.EdgeListReader(' ', 0).read(PATH)
print(time.perf_counter() - t)
""",
    "igraph": """
import time, igraph as ig
t = time.perf_counter()
g = ig.Graph.Read_Edgelist(PATH, directed=False)
print(time.perf_counter() - t)
""",
}


def child(args):
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read().decode()
    if status != 0:
        raise RuntimeError(f"{args[:3]} failed: {proc.stderr.read().decode()}")
    return out, usage.ru_maxrss / 1024.0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("graph")
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    work = tempfile.mkdtemp(prefix="ctx-load-")
    try:
        graph = a.graph
        if graph.endswith(".gz"):
            plain = os.path.join(work, os.path.basename(graph)[:-3])
            with gzip.open(graph, "rb") as src, open(plain, "wb") as dst:
                shutil.copyfileobj(src, dst)
            graph = plain
        size = os.path.getsize(graph)
        snapshot = os.path.join(work, "graph.ctxg")
        child([BINARY, "snapshot", graph, "--undirected", "-o", snapshot])
        times = {}
        rss = {}
        for _ in range(a.repeats):
            out, mem = child([BINARY, "stats", graph, "--undirected", "--json"])
            times.setdefault("contextivity (parse)", []).append(json.loads(out)["seconds"]["load"])
            rss.setdefault("contextivity (parse)", []).append(mem)
            out, mem = child([BINARY, "stats", snapshot, "--json"])
            times.setdefault("contextivity (snapshot)", []).append(json.loads(out)["seconds"]["load"])
            rss.setdefault("contextivity (snapshot)", []).append(mem)
            for name, code in PEER_CODE.items():
                out, mem = child([sys.executable, "-c", code.replace("PATH", repr(graph))])
                times.setdefault(name, []).append(float(out.strip().splitlines()[-1]))
                rss.setdefault(name, []).append(mem)
        ours = statistics.median(times["contextivity (parse)"])
        print(f"{os.path.basename(graph)}: {size:,} bytes; medians of {a.repeats} runs\n")
        print("| loader | seconds | MB/s | ÷ contextivity parse | peak RSS MB |")
        print("|---|---|---|---|---|")
        for name, ts in times.items():
            t = statistics.median(ts)
            print(f"| {name} | {t:.3f} | {size / t / 1e6:.0f} | {t / ours:.2f} | {statistics.median(rss[name]):.0f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
