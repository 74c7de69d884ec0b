"""Partial models (``chaff stage learn``'s output) as rows Spark can reduce by line key.

A partial model is model.json's format with ``"partial": true``: it keeps lines seen in a single
unit, so partial models of different partitions add up exactly. Spark adds them per line key;
lines in fewer than two units are dropped once everything is added (they cannot be in the final
model), and the sum goes back to chaff as one partial model, which ``chaff stage merge`` prunes
and writes as model.json.
"""

from __future__ import annotations

import json
from typing import Dict, Iterable, Iterator, List, Tuple

Counts = Tuple[int, Tuple[Tuple[str, int], ...]]


def total_units(partial: str) -> int:
    """The units a partial model counted."""
    return int(json.loads(partial)["units"])


def site_units(partial: str) -> Iterator[Tuple[str, int]]:
    """``(site, units)`` of a partial model."""
    for site, entry in json.loads(partial)["sites"].items():
        yield site, int(entry["units"])


def line_counts(partial: str) -> Iterator[Tuple[str, Counts]]:
    """``(line key, (units, ((site, units of the site), …)))`` of a partial model."""
    model = json.loads(partial)
    per_site: Dict[str, List[Tuple[str, int]]] = {}
    for site, entry in model["sites"].items():
        for key, n in entry["lines"].items():
            per_site.setdefault(key, []).append((site, int(n)))
    for key, units in model["lines"].items():
        yield key, (int(units), tuple(per_site.get(key, ())))


def add_counts(a: Counts, b: Counts) -> Counts:
    """The counts of one line in two partial models, added."""
    sites: Dict[str, int] = dict(a[1])
    for site, n in b[1]:
        sites[site] = sites.get(site, 0) + n
    return a[0] + b[0], tuple(sorted(sites.items()))


def header(partial: str) -> Dict[str, object]:
    """The version fields of a partial model (copied into the sum)."""
    model = json.loads(partial)
    return {k: model[k] for k in ("format", "normalization", "version") if k in model}


def partial_json(head: Dict[str, object], units: int, sites: Dict[str, int], lines: Iterable[Tuple[str, Counts]]) -> str:
    """One partial model holding these counts (for ``chaff stage merge``); ``head`` is
    :func:`header` of one of the partial models added."""
    site_lines: Dict[str, Dict[str, int]] = {site: {} for site in sites}
    global_lines: Dict[str, int] = {}
    for key, (n, per_site) in lines:
        global_lines[key] = n
        for site, count in per_site:
            site_lines.setdefault(site, {})[key] = count
    model = dict(head)
    model.update({
        "lines": dict(sorted(global_lines.items())),
        "partial": True,
        "sites": {
            site: {"lines": dict(sorted(site_lines.get(site, {}).items())), "units": sites.get(site, 0)}
            for site in sorted(set(sites) | set(site_lines))
        },
        "units": units,
    })
    return json.dumps(model, separators=(",", ":"))


def tagged(partial: str) -> Iterator[Tuple[Tuple[str, str], object]]:
    """Everything a partial model counts, as rows to reduce by key in one shuffle:
    ``(("units", ""), n)``, ``(("site", name), units)``, ``(("line", key), counts)`` and
    ``(("header", ""), version fields)``."""
    yield ("header", ""), json.dumps(header(partial), sort_keys=True)
    yield ("units", ""), total_units(partial)
    for site, n in site_units(partial):
        yield ("site", site), n
    for key, counts in line_counts(partial):
        yield ("line", key), counts


def add_tagged(a, b):
    """Adds two values of the same tagged key (the header is the same in every partial)."""
    if isinstance(a, str):
        if a != b:
            raise ValueError(f"partial models of different versions: {a} and {b}")
        return a
    if isinstance(a, int):
        return a + b
    return add_counts(a, b)


def keep_model_lines(rows: Iterable[Tuple[Tuple[str, str], object]]) -> Iterator[Tuple[Tuple[str, str], object]]:
    """A partition of the added rows, without the lines seen in a single unit (they cannot be
    in the final model), plus ``(("distinct", ""), n)``: how many distinct lines it held."""
    distinct = 0
    for (tag, name), value in rows:
        if tag == "line":
            distinct += 1
            if value[0] < 2:
                continue
        yield (tag, name), value
    yield ("distinct", ""), distinct


def from_tagged(rows: Iterable[Tuple[Tuple[str, str], object]]) -> Tuple[str, int]:
    """The added partial model (JSON) and the number of distinct lines counted, from what
    :func:`keep_model_lines` kept of every partition; ``("", 0)`` for no rows at all."""
    head, units, distinct = None, 0, 0
    sites: Dict[str, int] = {}
    lines: List[Tuple[str, Counts]] = []
    for (tag, name), value in rows:
        if tag == "header":
            head = json.loads(value)
        elif tag == "units":
            units += value
        elif tag == "site":
            sites[name] = value
        elif tag == "line":
            lines.append((name, value))
        elif tag == "distinct":
            distinct += value
    if head is None:
        return "", 0
    return partial_json(head, units, sites, lines), distinct
