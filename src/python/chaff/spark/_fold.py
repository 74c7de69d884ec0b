"""The decisions Spark makes between the binary's stages, as plain functions over rows.

Each function sees one group of a shuffle (all rows with one SHA-256, one band key, one text id,
one cluster) and decides as ``chaff run`` does: the row with the smallest ``order`` (the run's
order, which ``chaff stage scan`` writes into every row) is first. Nothing here needs
Spark, so the rules are tested on their own.
"""

from __future__ import annotations

import math
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

# Estimated Jaccard similarity of near-duplicates: at least 0.6 of 64 minima equal (39 / 64).
HASHES = 64
SAME_AT_LEAST = math.ceil(0.6 * HASHES)


def dup(path: str, path_hex: Optional[str], kind: str, of: Optional[str] = None) -> dict:
    """A duplicate entry of a record (``record::Duplicate``); absent fields left out."""
    entry = {"path": path}
    if path_hex is not None:
        entry["path_hex"] = path_hex
    entry["kind"] = kind
    if of is not None:
        entry["of"] = of
    return entry


def first_by_order(rows: Iterable[dict]) -> Tuple[dict, List[dict]]:
    """The row with the smallest ``order`` and the others, in order."""
    ordered = sorted(rows, key=lambda r: r["order"])
    return ordered[0], ordered[1:]


def exact_group(rows: Iterable[dict]) -> dict:
    """One SHA-256's rows: the first is kept, and carries its exact copies (``exact``)."""
    kept, copies = first_by_order(rows)
    kept = dict(kept)
    kept["exact"] = [dup(c["path"], c.get("path_hex"), "exact") for c in copies]
    return kept


def same(a: Sequence[int], b: Sequence[int]) -> int:
    """How many of two signatures' minima are equal."""
    return sum(1 for x, y in zip(a, b) if x == y)


def band_edges(members: Iterable[Tuple[str, Sequence[int]]]) -> List[Tuple[str, str]]:
    """One band key's members (order, signature): an edge from the first member (the anchor) to
    every other member whose signature is similar enough (``neardup::cluster``)."""
    ordered = sorted(members, key=lambda m: m[0])
    if len(ordered) < 2:
        return []
    anchor, signature = ordered[0]
    return [(anchor, order) for order, sig in ordered[1:] if same(signature, sig) >= SAME_AT_LEAST]


def components(edges: Iterable[Tuple[str, str]]) -> Dict[str, str]:
    """Connected components of the edges: each row in an edge mapped to its cluster id, the
    smallest ``order`` of the component. Rows in no edge are not listed (each is alone)."""
    parent: Dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            parent[hi] = lo
    return {x: find(x) for x in parent}


def rounded_similarity(equal: int) -> float:
    """``round(equal / 64, 2)`` exactly as chaff computes it (``(x * 100.0).round() / 100.0``,
    halves away from zero), so the same float reaches the record."""
    scaled = equal / HASHES * 100.0
    return math.floor(scaled + 0.5) / 100.0


def same_text_group(rows: Iterable[dict]) -> Tuple[dict, int, int]:
    """One text id's cleaned rows: the first is written and gets, as duplicates, every other row
    (``same-text``) and that row's exact copies (``exact``, ``of`` the row). Returns the written
    row (with ``add``: its own exact copies, then the folded ones) and the counts of same-text
    duplicates and of exact copies folded with them."""
    written, others = first_by_order(rows)
    written = dict(written)
    add = list(written.get("exact", []))
    folded_exact = 0
    for other in others:
        add.append(dup(other["path"], other.get("path_hex"), "same-text"))
        for copy in other.get("exact", []):
            add.append(dict(copy, of=other["path"]))
            folded_exact += 1
    written["add"] = add
    return written, len(others), folded_exact


CLOSEST = 3


def near_summaries(members: Iterable[dict]) -> List[Tuple[str, dict]]:
    """One cluster's written members (order, path, path_hex, signature): when two or more were
    written, each gets its record's ``near`` summary (``dedup::near_of``): the cluster's id (the
    path of its first written member), its size, and the three most similar other members, most
    similar first (ties: the earlier first)."""
    ordered = sorted(members, key=lambda m: m["order"])
    if len(ordered) < 2:
        return []
    out = []
    for m in ordered:
        scored = []
        if m["signature"] is not None:
            for n, other in enumerate(ordered):
                if other is not m and other["signature"] is not None:
                    scored.append((-same(m["signature"], other["signature"]), n))
        scored.sort()
        closest = []
        for minus_same, n in scored[:CLOSEST]:
            member = {"path": ordered[n]["path"]}
            if ordered[n].get("path_hex") is not None:
                member["path_hex"] = ordered[n]["path_hex"]
            member["similarity"] = rounded_similarity(-minus_same)
            closest.append(member)
        out.append((m["order"], {"cluster": ordered[0]["path"], "size": len(ordered), "closest": closest}))
    return out


def empty_message(record: dict) -> str:
    """Why a record that cleaned to nothing is skipped (``pipeline::empty_message``)."""
    lines = record["lines"]
    if lines["total"] == 0:
        return "has no text to keep: no line was read from it"
    by_reason: Dict[str, int] = {}
    for removed in lines["removed"]:
        by_reason[removed["reason"]] = by_reason.get(removed["reason"], 0) + 1
    reasons = ", ".join(f"{r} {n}" for r, n in sorted(by_reason.items()))
    return f"cleaned to nothing: all {lines['total']} lines were removed ({reasons})"


def empty_skips(row: dict) -> List[dict]:
    """A row that cleaned to nothing, and its exact copies, as skipped inputs."""
    record = row["record"]
    message = empty_message(record)
    first = {"path": row["path"]}
    if row.get("path_hex") is not None:
        first["path_hex"] = row["path_hex"]
    skips = [dict(first, kind="empty-output", message=message)]
    for copy in row.get("exact", []):
        entry = {"path": copy["path"]}
        if copy.get("path_hex") is not None:
            entry["path_hex"] = copy["path_hex"]
        entry.update(kind="empty-output", message=f"an exact copy of {row['path']}, which {message}")
        skips.append(entry)
    return skips
