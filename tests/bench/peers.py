#!/usr/bin/env python3
"""Measure peer main-content extractors on the shared benchmark sets.

For each selected tool and data set this script

1. reads every ``<set>/<id>/page.html`` listed in ``<set>/index.tsv`` as bytes and decodes it as
   UTF-8 with ``errors="replace"`` (the pages are stored as UTF-8);
2. extracts the main text and writes it to ``<out>/<tool>/<set>/<id>.txt``; only the extraction
   call itself is timed (``time.perf_counter`` around it, one process, one thread; file I/O and
   decoding are not timed; one untimed warm-up call per tool is made first);
3. runs ``<bench>/score.py`` on the predictions (per-document scores go to
   ``<out>/<tool>/<set>.per-doc.tsv``) and prints one summary line per (tool, set): mean token
   F1 / precision / recall (macro, bag of ``\\w+`` tokens, see score.py), pages/s and MB/s
   (MB = 1e6 bytes of input HTML).

Metadata: on sets with gold metadata (wcxb-dev's gold.json), trafilatura's own metadata extractor
``trafilatura.extract_metadata(html)`` (htmldate for the date; no URL given, as chaff gets none) is
run on every page (untimed) and its date, author and title are scored with metascore.py, the same
rules as chaff's in quality.py; per-page results go to ``<out>/trafilatura/<set>.meta.tsv``.

The summary (scores, timings, package versions, settings) is also emitted as JSON: after the table
on stdout by default, into FILE with ``--json FILE``, or alone on stdout with ``--json -`` (the
table then goes to stderr).

Rust peers (``dom_smoothie``, ``rs-trafilatura``) run in the bench crate tests/bench/rust-peers
(built with ``cargo build --release`` by this script; its dependencies come from crates.io the
first time): one process per (tool, set) reads every ``<id>/page.html`` (decoded as UTF-8 with
replacement), times only the extraction call, and writes ``<id>.txt``; scoring is the same.

Tools and the settings used
    resiliparse  resiliparse.extract.html2text.extract_plain_text(HTMLTree.parse(html),
                 main_content=True, preserve_formatting=True, list_bullets=False, comments=False,
                 links=False, alt_texts=False) - the settings of the SIGIR 2023 comparison
                 (Bevendorff et al., chatnoir-eu/web-content-extraction-benchmark).
                 HTML parsing is inside the timed call.
    trafilatura  trafilatura.extract(html, include_comments=False), everything else default
                 (no favor_precision / favor_recall); None is written as an empty file.
    readability  readability.Document(html).summary(html_partial=True) (see make_readability for
                 why not the default summary()), the summary HTML converted to text with lxml: one
                 line per block element (p, div, li, h1-6, br, ...).
    naive        all text of <body> (whole document if there is no body) parsed with lxml.html,
                 dropping comments, script, style, noscript, template, form controls (button,
                 select, datalist, textarea) and svg; one line per block.
    dom_smoothie    dom_smoothie::Readability::new(html, None, Some(Config { text_mode:
                    TextMode::Formatted, .. })).parse() -> article.text_content (Readability.js
                    port; block elements give line breaks).
    rs-trafilatura  rs_trafilatura::extract(html) -> content_text, default options (comments off).

Set up and run (from the repository root; the venv lives outside the repo):

    python3 -m venv ../venv
    ../venv/bin/pip install trafilatura resiliparse readability-lxml lxml_html_clean
    ../venv/bin/python tests/bench/peers.py                       # all tools, both sets
    ../venv/bin/python tests/bench/peers.py --tools dom_smoothie,rs-trafilatura   # the Rust peers
    ../venv/bin/python tests/bench/peers.py --tools resiliparse,naive --sets scrapinghub \\
        --out /tmp/peers --json /tmp/peers.json --repeat 3

Options: --bench DIR (default <repo>/../shared/bench), --out DIR (default: a new temporary
directory), --tools LIST, --sets LIST, --repeat N (time N passes over the set, report the fastest
one; predictions come from the first pass), --json FILE|-.
"""
import argparse
import gc
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import metascore  # noqa: E402

SCRIPT_DIR = Path(__file__).resolve().parent
REPO_ROOT = SCRIPT_DIR.parent.parent
DEFAULT_BENCH = REPO_ROOT.parent / "shared" / "bench"

PYTHON_TOOLS = ("resiliparse", "trafilatura", "readability", "naive")
# Rust extractors, run by the bench crate tests/bench/rust-peers (built here with cargo; its
# dependencies are fetched from crates.io the first time).
RUST_TOOLS = ("dom_smoothie", "rs-trafilatura")
ALL_TOOLS = PYTHON_TOOLS + RUST_TOOLS
ALL_SETS = ("wcxb-dev", "scrapinghub", "readability")
PACKAGES = {"resiliparse": "resiliparse", "trafilatura": "trafilatura",
            "readability": "readability-lxml", "naive": "lxml",
            "dom_smoothie": "dom_smoothie", "rs-trafilatura": "rs-trafilatura"}
RUST_PEERS = SCRIPT_DIR / "rust-peers"
SETTINGS = {
    "resiliparse": "extract_plain_text(HTMLTree.parse(html), main_content=True, preserve_formatting=True, "
                   "list_bullets=False, comments=False, links=False, alt_texts=False)",
    "trafilatura": "trafilatura.extract(html, include_comments=False)",
    "readability": "readability.Document(html).summary(html_partial=True) -> lxml text, one line per block",
    "naive": "lxml.html body text minus comments/script/style/noscript/template/button/select/datalist/"
             "textarea/svg, one line per block",
    "dom_smoothie": "Readability::new(html, None, Config { text_mode: Formatted }).parse()?.text_content",
    "rs-trafilatura": "rs_trafilatura::extract(html)?.content_text (default options: comments off)",
}

# ---------------------------------------------------------------------------------------------
# lxml tree -> text, one line per block-level element (used by "readability" and "naive")

BLOCK_TAGS = frozenset("""
address article aside blockquote body br caption center dd details dialog dir div dl dt fieldset
figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li listing
main menu nav noframes ol option p plaintext pre section summary table tbody td tfoot th thead
tr ul xmp
""".split())
# Not document text: code, templates, form controls (labels of buttons, <option> lists, <textarea>
# contents) and inline graphics (<svg> <title>/<desc>). MathML is kept: it is visible text.
SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "button", "select", "datalist",
                       "textarea", "svg"))
_SPACES = re.compile(r"[^\S\n]+")


def tree_to_text(root):
    """Text of an lxml.html element: block elements start/end a line, SKIP_TAGS subtrees and
    comments/processing instructions are dropped (their tails are kept),
    runs of white space are collapsed to one space, empty lines are removed."""
    parts = []
    # Explicit stack instead of recursion (some pages nest deeper than Python's recursion limit).
    # Items: (element, False) = enter the element; (element, True) = leave it (emit its tail).
    stack = [(root, False)]
    while stack:
        el, leaving = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else None  # None: comment / PI / entity
        block = tag in BLOCK_TAGS
        if leaving:
            if block:
                parts.append("\n")
            if el is not root and el.tail:
                parts.append(el.tail)
            continue
        if tag is None or tag in SKIP_TAGS:
            if el is not root and el.tail:
                parts.append(el.tail)
            continue
        if block:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------------------------------------
# Extractors: make_<tool>() imports the library (untimed) and returns a function str -> str.

def make_resiliparse():
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    def extract(html):
        return extract_plain_text(HTMLTree.parse(html), main_content=True, preserve_formatting=True,
                                  list_bullets=False, comments=False, links=False, alt_texts=False)
    return extract


def make_trafilatura():
    import trafilatura

    def extract(html):
        return trafilatura.extract(html, include_comments=False) or ""
    return extract


def make_readability():
    import logging
    import lxml.html
    import readability

    logging.getLogger("readability").setLevel(logging.ERROR)

    def extract(html):
        # html_partial=True: with the default (False) the article is wrapped in html/body/div and
        # readability's own conditional cleaning of <div>s then also sees (and may drop) that
        # wrapper div, emptying the whole summary (1 of 181 ScrapingHub pages with
        # readability-lxml 0.9). The SIGIR 2023 comparison also used html_partial=True.
        summary = readability.Document(html).summary(html_partial=True)
        if not summary.strip():
            return ""
        return tree_to_text(lxml.html.document_fromstring(summary))
    return extract


def make_naive():
    import lxml.html

    def extract(html):
        if not html.strip():
            return ""
        doc = lxml.html.document_fromstring(html)
        body = doc.find("body")
        return tree_to_text(body if body is not None else doc)
    return extract


MAKERS = {"resiliparse": make_resiliparse, "trafilatura": make_trafilatura,
          "readability": make_readability, "naive": make_naive}

# ---------------------------------------------------------------------------------------------


def build_rust_peers():
    """Build tests/bench/rust-peers in release mode; return the binary's path."""
    subprocess.run(["cargo", "build", "--release", "--quiet", "--manifest-path",
                    str(RUST_PEERS / "Cargo.toml")], check=True)
    return RUST_PEERS / "target" / "release" / "rust-peers"


def rust_version(tool):
    """The crate's version as Cargo.lock of the bench crate pins it."""
    lock = RUST_PEERS / "Cargo.lock"
    if not lock.exists():
        return None
    m = re.search(r'name = "%s"\nversion = "([^"]+)"' % re.escape(tool), lock.read_text())
    return m.group(1) if m else None


def run_rust_tool(binary, tool, set_dir, pred_dir, repeat):
    """Run a Rust extractor over a set (it writes <id>.txt into pred_dir); return (seconds, errors)."""
    proc = subprocess.run([str(binary), tool, str(set_dir), str(pred_dir), "--repeat", str(repeat)],
                          check=True, capture_output=True, text=True)
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    return summary["seconds"], summary["errors"]


def read_ids(dataset):
    with open(dataset / "index.tsv", encoding="utf-8") as f:
        next(f)
        return [line.split("\t", 1)[0].strip() for line in f if line.strip()]


def load_pages(dataset):
    """[(id, html str, size of the HTML in bytes)] for every page in index.tsv."""
    pages = []
    for pid in read_ids(dataset):
        raw = (dataset / pid / "page.html").read_bytes()
        pages.append((pid, raw.decode("utf-8", errors="replace"), len(raw)))
    return pages


def run_tool(extract, pages, repeat):
    """Extract every page `repeat` times; return (texts of pass 1, fastest total seconds, errors)."""
    texts, errors, best = {}, {}, None
    for rnd in range(repeat):
        gc.collect()
        total = 0.0
        for pid, html, _ in pages:
            t0 = time.perf_counter()
            try:
                text = extract(html)
            except Exception as e:  # a crash counts as an empty prediction
                text = ""
                if rnd == 0:
                    errors[pid] = f"{type(e).__name__}: {e}"[:200]
            total += time.perf_counter() - t0
            if rnd == 0:
                texts[pid] = text or ""
        best = total if best is None else min(best, total)
    return texts, best, errors


def trafilatura_metadata(pages):
    """{id: {published, author, title}} from trafilatura.extract_metadata on every page."""
    from trafilatura import extract_metadata
    out = {}
    for pid, html, _ in pages:
        try:
            doc = extract_metadata(html)
        except Exception:  # a crash counts as nothing found
            doc = None
        out[pid] = {"published": getattr(doc, "date", None), "author": getattr(doc, "author", None),
                    "title": getattr(doc, "title", None)}
    return out


def score(bench, set_name, pred_dir, per_doc):
    """Run score.py on pred_dir and return its JSON summary."""
    with tempfile.TemporaryDirectory() as tmp:
        out_json = os.path.join(tmp, "score.json")
        subprocess.run([sys.executable, str(bench / "score.py"), str(pred_dir), str(bench / set_name),
                        "--json", out_json, "--per-doc", str(per_doc)],
                       check=True, stdout=subprocess.DEVNULL)
        with open(out_json, encoding="utf-8") as f:
            return json.load(f)


def version(tool):
    if tool in RUST_TOOLS:
        return rust_version(PACKAGES[tool])
    try:
        return importlib.metadata.version(PACKAGES[tool])
    except importlib.metadata.PackageNotFoundError:
        return None


def parse_list(value, allowed, what):
    items = [x.strip() for x in value.split(",") if x.strip()]
    bad = [x for x in items if x not in allowed]
    if bad or not items:
        raise SystemExit(f"unknown {what}: {', '.join(bad) or '(none)'}; choose from {', '.join(allowed)}")
    return items


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="benchmark folder (default: %(default)s)")
    ap.add_argument("--out", type=Path, help="folder for predictions (default: a new temporary folder)")
    ap.add_argument("--tools", default=",".join(ALL_TOOLS), help="comma list (default: %(default)s)")
    ap.add_argument("--sets", default=",".join(ALL_SETS), help="comma list (default: %(default)s)")
    ap.add_argument("--repeat", type=int, default=1, help="timed passes per (tool, set); fastest is reported")
    ap.add_argument("--json", help="write the JSON summary to this file ('-': stdout only, table to stderr)")
    a = ap.parse_args()

    tools = parse_list(a.tools, ALL_TOOLS, "tool")
    sets = parse_list(a.sets, ALL_SETS, "set")
    bench = a.bench.resolve()
    out = (a.out or Path(tempfile.mkdtemp(prefix="chaff-peers-"))).resolve()
    print(f"bench: {bench}\npredictions: {out}", file=sys.stderr)

    data = {s: load_pages(bench / s) for s in sets}
    results = []
    header = f"{'tool':12s} {'set':12s} {'pages':>5s} {'F1':>6s} {'P':>6s} {'R':>6s} {'pages/s':>8s} {'MB/s':>7s} {'errors':>6s}"
    table = sys.stderr if a.json == "-" else sys.stdout
    print(header, file=table)
    rust_binary = build_rust_peers() if any(t in RUST_TOOLS for t in tools) else None
    for tool in tools:
        extract = MAKERS[tool]() if tool in PYTHON_TOOLS else None
        first = next(iter(data.values()))
        if first and extract:
            try:
                extract(first[0][1])  # untimed warm-up (lazy initialisation inside libraries)
            except Exception:
                pass
        for s in sets:
            pages = data[s]
            pred_dir = out / tool / s
            pred_dir.mkdir(parents=True, exist_ok=True)
            if extract:
                texts, secs, errors = run_tool(extract, pages, max(1, a.repeat))
                for pid, text in texts.items():
                    (pred_dir / f"{pid}.txt").write_text(text, encoding="utf-8")
            else:
                secs, n_errors = run_rust_tool(rust_binary, tool, bench / s, pred_dir, max(1, a.repeat))
                errors = {f"page {i}": "failed" for i in range(n_errors)}
            sc = score(bench, s, pred_dir, out / tool / f"{s}.per-doc.tsv")
            nbytes = sum(p[2] for p in pages)
            row = {
                "tool": tool, "set": s, "package": PACKAGES[tool], "version": version(tool),
                "settings": SETTINGS[tool], "pages": len(pages),
                "f1": sc["f1"], "precision": sc["precision"], "recall": sc["recall"],
                "f1_median": sc.get("f1_median"), "micro_f1": sc.get("micro_f1"), "sh_f1": sc.get("sh_f1"),
                "seconds": secs, "html_bytes": nbytes,
                "pages_per_s": len(pages) / secs if secs else None,
                "mb_per_s": nbytes / 1e6 / secs if secs else None,
                "errors": len(errors), "error_examples": dict(list(errors.items())[:5]),
                "pred_dir": str(pred_dir),
            }
            if tool == "trafilatura" and metascore.gold_meta(bench / s):
                metas = trafilatura_metadata(pages)
                row["meta"] = metascore.score(metas, bench / s, out / tool / f"{s}.meta.tsv")
            results.append(row)
            print(f"{tool:12s} {s:12s} {row['pages']:5d} {row['f1']:6.3f} {row['precision']:6.3f} "
                  f"{row['recall']:6.3f} {row['pages_per_s'] or 0:8.1f} {row['mb_per_s'] or 0:7.2f} "
                  f"{row['errors']:6d}", file=table, flush=True)
            if row.get("meta"):
                print(f"{'':12s} {s:12s} metadata (extract_metadata): {metascore.line(row['meta'])}",
                      file=table, flush=True)

    summary = {"bench": str(bench), "out": str(out), "repeat": max(1, a.repeat),
               "python": sys.version.split()[0], "lxml": version("naive"), "results": results}
    if a.json and a.json != "-":
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2)
    else:
        print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
