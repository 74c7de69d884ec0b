#!/usr/bin/env python3
"""Speed and memory of chaff beside bare loops and peer tools, measured in one run.

    python3 tests/bench/speed.py text   [--corpus DIR] [--size-mb 1000]     # a generated text crawl
    python3 tests/bench/speed.py html   [--pages DIR...] [--peers PYTHON]   # public HTML pages
    python3 tests/bench/speed.py memory [--docs 100000,1000000]             # peak RSS vs. docs

text   — generates (once, deterministic) a crawl of about --size-mb with `chaff gen-corpus`
         unless --corpus is given, reads it once to warm the page cache, then times, on the same
         files: the bare text loop (walk, read, SHA-256, normalize and count lines: the least
         work a learned-frequency cleaner must do), a bare SHA-256 loop with 1 and 2 threads, and
         chaff with 1 and 2 threads (whole pipeline, stage times from --timings, peak RSS).
html   — times a bare scraper parse, a bare parse plus text walk, and chaff (1 thread) on the
         same pages (default: ../shared/bench/scrapinghub/*/page.html); with --peers PYTHON (a
         virtualenv with resiliparse and trafilatura, see peers.py) it also runs peers.py on
         the same pages.
memory — writes N small text documents and reports chaff's peak RSS for each N.

Every figure is the best of --repeat runs (default 3): this machine has 2 noisy cores, so compare
the ratios within one run. Prints a table and, with --json FILE, writes the figures.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHAFF = os.path.join(ROOT, "target", "release", "chaff")
BARE = os.path.join(ROOT, "target", "release", "examples", "bare")
BENCH = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench"))


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "chaff", "--example", "bare"],
                   cwd=ROOT, check=True)


def files_under(paths):
    out = []
    for p in paths:
        if os.path.isfile(p):
            out.append(p)
        else:
            for d, _, names in os.walk(p):
                out.extend(os.path.join(d, n) for n in names)
    return out


def size_of(paths):
    return sum(os.path.getsize(f) for f in files_under(paths))


def warm(paths):
    for f in files_under(paths):
        with open(f, "rb") as fh:
            while fh.read(1 << 20):
                pass


def bare(mode, paths, threads=1):
    out = subprocess.run([BARE, mode, "-j", str(threads), *paths], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def chaff(paths, threads, extra=()):
    """Runs chaff; returns wall seconds, peak RSS in MB and stage times."""
    out_dir = tempfile.mkdtemp(prefix="chaff-speed-")
    cmd = ["/usr/bin/time", "-f", "rss=%M", CHAFF, "run", *paths, "-o", out_dir, "-j", str(threads),
           "--timings", *extra]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    shutil.rmtree(out_dir, ignore_errors=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"chaff failed: {proc.stderr}")
    stages = {m.group(1).strip(): float(m.group(2))
              for m in re.finditer(r"stage (.+?)\s+([\d.]+) s", proc.stderr)}
    rss = int(re.search(r"rss=(\d+)", proc.stderr).group(1)) / 1024
    return {"seconds": wall, "rss_mb": rss, "stages": stages}


def best(runs, key="seconds"):
    return min(runs, key=lambda r: r[key])


def row(name, seconds, mb, docs, rss=None, note=""):
    rss_s = f"{rss:8.0f} MB" if rss is not None else " " * 11
    print(f"{name:34s} {seconds:8.3f} s {mb / seconds:9.1f} MB/s {docs / seconds:10.0f} docs/s {rss_s} {note}")


def text_mode(a):
    corpus = a.corpus
    if not corpus:
        corpus = os.path.join(tempfile.gettempdir(), f"chaff-speed-text-{a.size_mb}mb")
        if not os.path.isdir(corpus):
            pages = max(1, a.size_mb * 1_000_000 // (50 * 4700))
            subprocess.run([CHAFF, "gen-corpus", "-o", corpus, "--sites", "50", "--pages", str(pages),
                            "--syndication", "200"], check=True)
    paths = [corpus]
    warm(paths)
    n_files = len(files_under(paths))
    mb = size_of(paths) / 1e6
    print(f"text crawl {corpus}: {n_files} files, {mb:.0f} MB (best of {a.repeat})")
    res = {"corpus": corpus, "files": n_files, "mb": mb}
    res["bare_text_1"] = best([bare("text", paths, 1) for _ in range(a.repeat)])
    res["bare_sha_1"] = best([bare("sha", paths, 1) for _ in range(a.repeat)])
    res["bare_sha_2"] = best([bare("sha", paths, 2) for _ in range(a.repeat)])
    res["chaff_1"] = best([chaff(paths, 1) for _ in range(a.repeat)])
    res["chaff_2"] = best([chaff(paths, 2) for _ in range(a.repeat)])
    row("bare text loop, 1 thread", res["bare_text_1"]["seconds"], mb, n_files)
    row("bare SHA-256 loop, 1 thread", res["bare_sha_1"]["seconds"], mb, n_files)
    row("bare SHA-256 loop, 2 threads", res["bare_sha_2"]["seconds"], mb, n_files)
    for t in (1, 2):
        r = res[f"chaff_{t}"]
        stages = ", ".join(f"{k} {v:.2f}" for k, v in r["stages"].items())
        row(f"chaff, {t} thread{'s' if t > 1 else ''}", r["seconds"], mb, n_files, r["rss_mb"], stages)
    ratio = res["bare_text_1"]["seconds"] / res["chaff_1"]["seconds"]
    sha_speedup = res["bare_sha_1"]["seconds"] / res["bare_sha_2"]["seconds"]
    chaff_speedup = res["chaff_1"]["seconds"] / res["chaff_2"]["seconds"]
    print(f"chaff (1 thread) / bare text loop throughput: {ratio:.2f}x   (target >= 0.5)")
    print(f"2-thread speed-up: chaff {chaff_speedup:.2f}x, bare SHA loop {sha_speedup:.2f}x, "
          f"ratio {chaff_speedup / sha_speedup:.2f}   (target >= 0.9)")
    res.update({"ratio_vs_bare_text": ratio, "speedup_chaff": chaff_speedup, "speedup_sha": sha_speedup})
    return res


def html_mode(a):
    pages = a.pages or sorted(files_under([os.path.join(BENCH, "scrapinghub")]))
    pages = [p for p in pages if p.endswith(".html")]
    warm(pages)
    mb = size_of(pages) / 1e6
    n = len(pages)
    print(f"HTML: {n} pages, {mb:.1f} MB (best of {a.repeat})")
    res = {"pages": n, "mb": mb}
    res["bare_parse"] = best([bare("parse", pages) for _ in range(a.repeat)])
    res["bare_walk"] = best([bare("walk", pages) for _ in range(a.repeat)])
    res["chaff_1"] = best([chaff(pages, 1) for _ in range(a.repeat)])
    row("bare scraper parse", res["bare_parse"]["seconds"], mb, n)
    row("bare scraper parse + text walk", res["bare_walk"]["seconds"], mb, n)
    r = res["chaff_1"]
    row("chaff, 1 thread (whole pipeline)", r["seconds"], mb, n, r["rss_mb"],
        ", ".join(f"{k} {v:.2f}" for k, v in r["stages"].items()))
    ratio = res["bare_parse"]["seconds"] / r["seconds"]
    print(f"chaff / bare scraper parse throughput: {ratio:.2f}x   (targets: >= 0.8 issue 3, >= 0.7 issue 7)")
    res["ratio_vs_bare_parse"] = ratio
    if a.peers:
        peers = subprocess.run([a.peers, os.path.join(ROOT, "tests", "bench", "peers.py"), "--tools",
                                "resiliparse,trafilatura", "--sets", "scrapinghub", "--repeat",
                                str(a.repeat), "--json", "-"], capture_output=True, text=True)
        if peers.returncode == 0:
            summary = json.loads(peers.stdout)
            for p in summary["results"]:
                print(f"{p['tool']:34s} {p['pages_per_s']:10.1f} pages/s {p['mb_per_s']:9.1f} MB/s "
                      f"(extraction calls only, 1 thread)")
            res["peers"] = summary["results"]
            print(f"chaff pages/s: {n / r['seconds']:.1f}")
        else:
            print(f"peers.py failed: {peers.stderr[-500:]}")
    return res


def memory_mode(a):
    res = {}
    for n in [int(x) for x in a.docs.split(",")]:
        corpus = os.path.join(tempfile.gettempdir(), f"chaff-speed-small-{n}")
        if not os.path.isdir(corpus):
            tmp = corpus + ".tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            for i in range(n):
                d = os.path.join(tmp, f"site{i % 100:03d}", f"{i // 100 // 1000:04d}")
                if i % 100 < 100 and not os.path.isdir(d):
                    os.makedirs(d, exist_ok=True)
                with open(os.path.join(d, f"{i:08d}.txt"), "w") as f:
                    f.write(f"Headline number {i} about council item {i * 7 % 1013}\n"
                            f"Site {i % 100} navigation | Home | News | Sport\n"
                            f"Story {i}: the council met on day {i % 28} and voted {i % 9} to {i % 5} "
                            f"on plan {i * 13 % 9973}, officials said after a long debate.\n"
                            f"Share this story\n")
            os.rename(tmp, corpus)
        warm([corpus])
        r = chaff([corpus], 2)
        print(f"{n:>9} small documents: peak RSS {r['rss_mb']:.0f} MB, {r['seconds']:.1f} s "
              f"({n / r['seconds']:.0f} docs/s, 2 threads)")
        res[n] = r
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["text", "html", "memory"])
    ap.add_argument("--corpus")
    ap.add_argument("--size-mb", type=int, default=1000)
    ap.add_argument("--pages", nargs="*")
    ap.add_argument("--peers", help="python of a virtualenv with resiliparse and trafilatura")
    ap.add_argument("--docs", default="100000,1000000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json")
    a = ap.parse_args()
    build()
    res = {"text": text_mode, "html": html_mode, "memory": memory_mode}[a.mode](a)
    if a.json:
        json.dump(res, open(a.json, "w"), indent=2, default=str)


if __name__ == "__main__":
    main()
