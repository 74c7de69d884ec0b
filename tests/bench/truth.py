#!/usr/bin/env python3
"""Score a chaff run on a generated crawl against the generator's ground truth.

    chaff gen-corpus -o /tmp/crawl --sites 10 --pages 200 --syndication 40 --truth /tmp/truth.jsonl
    chaff run /tmp/crawl -o /tmp/out
    python3 tests/bench/truth.py /tmp/truth.jsonl /tmp/out/clean.jsonl [--input-prefix crawl]

For every page with a record of its own, compares the record's kept lines with the page's
article lines and template lines (whitespace collapsed) and prints:
  - article lines kept / lost (recall of article text), and how many of the lost ones are lines of
    wire (syndicated) stories;
  - template lines kept (furniture that slipped through) / removed;
  - near-duplicates: how many re-crawls with an edited paragraph and how many wire copies are
    linked to another copy of the same story.
Pages folded into another record (exact copies, same-text re-crawls) are scored through the
record they were folded into.
"""
import argparse
import collections
import json
import sys


def collapse(s):
    return " ".join(s.split())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("truth")
    ap.add_argument("clean")
    ap.add_argument("--json", help="write the figures as JSON")
    a = ap.parse_args()

    truth = {}
    for line in open(a.truth, encoding="utf-8"):
        t = json.loads(line)
        truth[t["path"]] = t

    def page_of(path):
        # Records name files as <input>/<site>/<file>; the truth as <site>/<file>.
        parts = path.split("/")
        return "/".join(parts[-2:])

    stats = collections.Counter()
    near_linked = collections.Counter()
    lost_examples = []
    records = [json.loads(l) for l in open(a.clean, encoding="utf-8")]
    # A record's near-duplicates: the other records of its cluster.
    clusters = collections.defaultdict(list)
    for rec in records:
        if rec.get("near"):
            clusters[rec["near"]["cluster"]].append(page_of(rec["source"]["path"]))
    for rec in records:
        page = page_of(rec["source"]["path"])
        t = truth.get(page)
        if t is None:
            continue
        kept = set(collapse(l) for l in rec["text"].split("\n"))
        wire = t["kind"] == "wire"
        for line in t["article_lines"]:
            if collapse(line) in kept:
                stats["article_kept"] += 1
            else:
                stats["article_lost"] += 1
                if wire:
                    stats["wire_article_lost"] += 1
                if len(lost_examples) < 10:
                    lost_examples.append((page, line[:100]))
        if wire:
            stats["wire_article_lines"] += len(t["article_lines"])
        for line in t["template_lines"]:
            if collapse(line) in kept:
                stats["template_kept"] += 1
            else:
                stats["template_removed"] += 1
        near = [p for p in clusters[rec["near"]["cluster"]] if p != page] if rec.get("near") else []
        same_story = [n for n in near if n in truth and truth[n]["story"] == t["story"]]
        other_story = [n for n in near if n in truth and truth[n]["story"] != t["story"]]
        if t["kind"] in ("recrawl-edit", "wire"):
            near_linked[t["kind"] + ("_linked" if same_story else "_unlinked")] += 1
        near_linked["wrong_links"] += len(other_story)

    art = stats["article_kept"] + stats["article_lost"]
    tpl = stats["template_kept"] + stats["template_removed"]
    result = {
        "article_lines": art,
        "article_lost": stats["article_lost"],
        "article_recall": stats["article_kept"] / art if art else 1.0,
        "wire_article_lines": stats["wire_article_lines"],
        "wire_article_lost": stats["wire_article_lost"],
        "template_lines": tpl,
        "template_kept": stats["template_kept"],
        "template_removed_share": stats["template_removed"] / tpl if tpl else 1.0,
        **near_linked,
    }
    for k, v in result.items():
        print(f"{k:26s} {v:.4f}" if isinstance(v, float) else f"{k:26s} {v}")
    if lost_examples:
        print("examples of lost article lines:")
        for page, line in lost_examples:
            print(f"  {page}: {line}")
    if a.json:
        json.dump(result, open(a.json, "w"), indent=2)


if __name__ == "__main__":
    sys.exit(main())
