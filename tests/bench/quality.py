#!/usr/bin/env python3
"""Measure chaff's cleaning quality and speed on the public benchmark sets.

    python3 tests/bench/quality.py [--bench DIR] [--sets wcxb-dev,scrapinghub,readability,scrapinghub-text]
                                   [--chaff PATH] [--threads 1] [--keep DIR] [--per-doc]

For each set (<bench>/<set>/<id>/page.html or text.txt, with gold.txt), runs the real chaff binary
once over the whole set (`chaff run <set> --text-dir ...`), gathers each page's clean text as
<id>.txt, scores it with <bench>/score.py (bag-of-tokens precision/recall/F1, the metric of the
SIGIR 2023 extraction comparison), and prints one line per set with mean F1, precision, recall,
pages/s and MB/s of the whole run (process wall time, one thread by default), and for sets
whose page ids are numbered (wcxb-dev) the same scores on the even- and odd-numbered pages apart. For sets with gold
metadata (wcxb-dev's gold.json), the records' `published`, `author` and `title` are scored too
(tests/bench/metascore.py: date on the same calendar day, author by name tokens, title exactly).

The sets are for measuring general quality only: chaff has no rule that names them.
Run from the repository root; builds chaff in release mode first unless --chaff is given.
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import metascore  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_BENCH = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench"))


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release", "chaff")


def input_bytes(set_dir):
    total = 0
    for entry in os.scandir(set_dir):
        if entry.is_dir():
            for name in ("page.html", "text.txt"):
                p = os.path.join(entry.path, name)
                if os.path.exists(p):
                    total += os.path.getsize(p)
    return total


def run_set(chaff, bench, name, threads, keep, per_doc):
    set_dir = os.path.join(bench, name)
    work = keep or tempfile.mkdtemp(prefix=f"chaff-{name}-")
    out = os.path.join(work, "out")
    text = os.path.join(work, "text")
    pred = os.path.join(work, "pred")
    for d in (out, text, pred):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    # Only the pages are inputs (never the gold files). chaff names records by the input
    # argument, so run from the bench folder with <set>/<id>/<file> as the inputs.
    pages_in = sorted(
        os.path.join(name, entry.name, fname)
        for entry in os.scandir(set_dir) if entry.is_dir()
        for fname in ("page.html", "text.txt")
        if os.path.exists(os.path.join(set_dir, entry.name, fname))
    )
    cmd = [chaff, "run", *pages_in, "-o", out, "-j", str(threads), "--quiet"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=bench, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"chaff failed on {name}: {proc.stderr}")
    pages = 0
    metas = {}
    # Exact duplicates and same-text copies have no text file of their own: give them the text
    # of the record they were folded into.
    for line in open(os.path.join(out, "clean.jsonl"), encoding="utf-8"):
        rec = json.loads(line)
        for path in [rec["source"]["path"]] + [d["path"] for d in rec["duplicates"]]:
            page_id = path.split("/")[1]
            with open(os.path.join(pred, page_id + ".txt"), "w", encoding="utf-8") as f:
                f.write(rec["text"])
            metas[page_id] = {k: rec[k] for k in ("published", "author", "title")}
            pages += 1
    per_doc_tsv = os.path.join(work, "per-doc.tsv")
    args = [sys.executable, os.path.join(bench, "score.py"), pred, set_dir, "--no-shingles",
            "--json", os.path.join(work, "score.json"), "--per-doc", per_doc_tsv]
    subprocess.run(args, check=True, capture_output=True)
    score = json.load(open(os.path.join(work, "score.json")))
    halves = text_halves(per_doc_tsv)
    meta = metascore.score(metas, set_dir, os.path.join(work, "meta-per-doc.tsv") if per_doc else None)
    mb = input_bytes(set_dir) / 1e6
    result = {
        "set": name, "f1": score["f1"], "precision": score["precision"], "recall": score["recall"],
        "pages": score["docs"], "missing": score["missing_predictions"],
        "seconds": wall, "pages_per_s": score["docs"] / wall, "mb_per_s": mb / wall, "work": work,
        "meta": meta, "halves": halves,
    }
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return result


def text_halves(per_doc_tsv):
    """Mean F1, precision and recall on the even- and odd-numbered pages apart (the number in the
    page id, as metascore.half reads it), so a rule tuned on one half can be checked on the other;
    None unless every page id is a number (with a letter prefix: d0042)."""
    sums = {"even": [0.0, 0.0, 0.0, 0], "odd": [0.0, 0.0, 0.0, 0]}
    with open(per_doc_tsv, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            if not re.fullmatch(r"[A-Za-z]*\d+", row["id"]):
                return None
            h = metascore.half(row["id"])
            acc = sums[h]
            acc[0] += float(row["f1"])
            acc[1] += float(row["precision"])
            acc[2] += float(row["recall"])
            acc[3] += 1
    return {h: {"f1": a[0] / a[3], "precision": a[1] / a[3], "recall": a[2] / a[3], "pages": a[3]}
            for h, a in sums.items() if a[3]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=DEFAULT_BENCH)
    ap.add_argument("--sets", default="wcxb-dev,scrapinghub,readability,scrapinghub-text")
    ap.add_argument("--chaff", help="path to a chaff binary (default: build release)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--keep", help="keep outputs under this folder (one subfolder per set)")
    ap.add_argument("--per-doc", action="store_true", help="write per-page scores (needs --keep)")
    ap.add_argument("--json", help="write the results as JSON")
    a = ap.parse_args()
    if not os.path.isdir(a.bench):
        sys.exit(f"no benchmark data at {a.bench} (it lives beside the repository as ../shared/bench)")
    chaff = os.path.abspath(a.chaff) if a.chaff else build()
    results = []
    for name in a.sets.split(","):
        keep = os.path.join(a.keep, name) if a.keep else None
        r = run_set(chaff, a.bench, name, a.threads, keep, a.per_doc)
        results.append(r)
        print(f"{name:18s} F1 {r['f1']:.4f}  P {r['precision']:.4f}  R {r['recall']:.4f}  "
              f"{r['pages']} pages ({r['missing']} missing)  {r['pages_per_s']:.1f} pages/s  "
              f"{r['mb_per_s']:.1f} MB/s  ({a.threads} thread{'s' if a.threads > 1 else ''})")
        if r["halves"]:
            print(f"{'':18s} " + "  ".join(
                f"{h} F1 {v['f1']:.4f} P {v['precision']:.4f} R {v['recall']:.4f} ({v['pages']})"
                for h, v in r["halves"].items()))
        if r["meta"]:
            print(f"{'':18s} metadata: {metascore.line(r['meta'])}")
    if a.json:
        json.dump(results, open(a.json, "w"), indent=2)


if __name__ == "__main__":
    main()
