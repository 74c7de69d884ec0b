#!/usr/bin/env python3
"""Score extracted metadata (published date, author, title) against a set's gold metadata.

    python3 tests/bench/metascore.py PRED.json SET_DIR [--per-doc out.tsv]

PRED.json maps page id -> {"published": str|null, "author": str|null, "title": str|null}.
SET_DIR holds <id>/gold.json with {"meta": {"publish_date", "author", "title"}} (wcxb-dev).
quality.py (chaff) and peers.py (trafilatura's extract_metadata) call `score` directly.

Rules (the same for every tool):
- date: the first YYYY-MM-DD (or YYYY/MM/DD, YYYYMMDD) in the prediction is the same calendar day
  as the gold `publish_date`. Counted over pages whose gold has a date.
- author: names are compared as sets of lowercase word tokens, ignoring "and", "by" and
  punctuation; a prediction matches when the sets are equal, or when one holds the other and the
  smaller has at least two tokens ("Ana Ruiz" matches "Ana Ruiz, MD" and "Ana Ruiz and Bo Li").
  Counted over pages whose gold has an author.
- title: equal after lowercasing and collapsing everything but word characters. Counted over
  pages whose gold has a title.
Also reported: how often a tool gives a value where the gold has none (`*_extra`), and each
field's accuracy on the even- and odd-numbered pages apart (`even`, `odd`: the number in the page
id), so rules can be tuned on one half and confirmed on the other.
"""
import argparse
import json
import os
import re
import sys

_DAY = re.compile(r"(\d{4})[-/]?(\d{2})[-/]?(\d{2})")
_WORD = re.compile(r"\w+", re.UNICODE)
_NOISE = {"and", "by", "und", "et", "y"}


def day(value):
    m = _DAY.search(value or "")
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def author_tokens(value):
    return {t for t in _WORD.findall((value or "").lower()) if t not in _NOISE}


def same_author(pred, gold):
    p, g = author_tokens(pred), author_tokens(gold)
    if not p or not g:
        return False
    if p == g:
        return True
    return (p <= g or g <= p) and min(len(p), len(g)) >= 2


def same_title(pred, gold):
    norm = lambda s: " ".join(_WORD.findall((s or "").lower()))
    return bool(norm(pred)) and norm(pred) == norm(gold)


FIELDS = (("date", "published", "publish_date", lambda p, g: day(p) is not None and day(p) == day(g)),
          ("author", "author", "author", same_author),
          ("title", "title", "title", same_title))


def gold_meta(set_dir):
    out = {}
    for entry in sorted(os.scandir(set_dir), key=lambda e: e.name):
        path = os.path.join(entry.path, "gold.json")
        if entry.is_dir() and os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                meta = json.load(f).get("meta")
            if meta:
                out[entry.name] = meta
    return out


def half(pid):
    """'even' or 'odd' by the number in a page id ('d0042' is even), None without a number."""
    digits = re.sub(r"\D", "", pid)
    return ("odd" if int(digits) % 2 else "even") if digits else None


def score(preds, set_dir, per_doc=None):
    """{field: accuracy, field_n: pages with gold, field_extra: values where gold has none,
    "even"/"odd": {field: accuracy, field_n} on that half of the pages}, or None when the set has
    no gold metadata."""
    gold = gold_meta(set_dir)
    if not gold:
        return None
    result, rows = {"even": {}, "odd": {}}, []
    for name, pred_key, gold_key, same in FIELDS:
        hits = n = extra = 0
        halves = {"even": [0, 0], "odd": [0, 0]}
        for pid, meta in gold.items():
            pred = (preds.get(pid) or {}).get(pred_key)
            want = meta.get(gold_key)
            if not want:
                extra += bool(pred)
                continue
            n += 1
            ok = same(pred, want)
            hits += ok
            if half(pid):
                halves[half(pid)][0] += ok
                halves[half(pid)][1] += 1
            rows.append((pid, name, int(ok), pred or "", want))
        result[name] = hits / n if n else None
        result[f"{name}_n"] = n
        result[f"{name}_extra"] = extra
        for h, (h_hits, h_n) in halves.items():
            result[h][name] = h_hits / h_n if h_n else None
            result[h][f"{name}_n"] = h_n
    if per_doc:
        with open(per_doc, "w", encoding="utf-8") as f:
            f.write("id\tfield\tok\tpred\tgold\n")
            for row in sorted(rows):
                f.write("\t".join(str(x).replace("\t", " ").replace("\n", " ") for x in row) + "\n")
    return result


def line(result):
    """One summary line: each field's accuracy (pages), then on the even and odd halves."""
    def fields(r):
        return "  ".join(f"{name} {r[name]:.3f} ({r[name + '_n']})" for name, *_ in FIELDS
                         if r.get(name) is not None)
    text = fields(result)
    for h in ("even", "odd"):
        if result.get(h):
            text += f"  | {h}: " + fields(result[h])
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pred")
    ap.add_argument("set_dir")
    ap.add_argument("--per-doc")
    a = ap.parse_args()
    with open(a.pred, encoding="utf-8") as f:
        preds = json.load(f)
    result = score(preds, a.set_dir, a.per_doc)
    if result is None:
        sys.exit(f"{a.set_dir}: no gold metadata")
    print(line(result))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
