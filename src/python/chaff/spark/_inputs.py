"""Listing the inputs through Spark's filesystem layer, named as ``chaff run`` names them.

Runs on the driver. Each input (a line of the paths file) is a file or a folder on any
filesystem Hadoop reads (a local path, ``file://``, ``s3a://``/``s3://``, ``gs://``,
``hdfs://``…). A folder stands for every file below it. Every file gets:

- ``path``: its ``source.path``. As in ``chaff run`` (``source::input_name``): a relative local
  input keeps its spelling (without ``./`` and a trailing ``/``), an absolute local input keeps
  only its last component; a URI is kept as the user gave it. Files below a folder input are the
  input's name joined with the path below it; ``%`` and ``#`` in names are escaped.
- ``site``: the site of its documents when they name no host (``SourceFile::site_from_path``):
  the first folder below the input if the file lies in one, else the input folder's own name (for
  a file given as an input, the name of the folder it is in).
- ``uri``: the fully qualified name Spark reads it by (``binaryFiles`` gives it back as the key).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Characters Hadoop's input-path parser reads as glob syntax or as a list separator.
_GLOB = re.compile(r"[,{}\[\]*?\\]")


class InputError(RuntimeError):
    """An input is missing or cannot be read as a list of files (fatal, like in ``chaff run``)."""


@dataclass(frozen=True)
class InputFile:
    """One file below the inputs; see the module docs."""

    uri: str
    path: str
    site: str
    size: int


def is_uri(given: str) -> bool:
    """Whether an input names a filesystem by scheme (``s3://…``, ``file:///…``)."""
    return bool(_SCHEME.match(given)) and not re.match(r"^[A-Za-z]:[\\/]", given)


def input_name(given: str) -> str:
    """The name an input gives to everything below it (mirrors ``source::input_name``)."""
    if is_uri(given):
        return given.rstrip("/") or given
    if given.startswith("/"):
        parts = [p for p in given.split("/") if p]
        return parts[-1] if parts else "input"
    parts = [p for p in given.split("/") if p and p != "."]
    return "/".join(parts) or "."


def join(base: str, below: str) -> str:
    """``base`` joined with a relative ``/``-separated path below it."""
    if not below:
        return base
    if base == ".":
        return below
    return base.rstrip("/") + "/" + below


def read_paths_file(spark, paths_file: str) -> List[str]:
    """The inputs listed in a paths file: one per line; blank lines and ``#`` comments skipped.
    The file itself may be on any filesystem Spark reads."""
    lines = spark.sparkContext.textFile(paths_file, minPartitions=1).collect()
    inputs = [line.strip() for line in lines]
    return [line for line in inputs if line and not line.startswith("#")]


def escape_marks(name: str) -> str:
    """``#`` separates a container from a document inside it, so in file names ``%`` and ``#``
    are written ``%25`` and ``%23`` (``source::SourcePath``)."""
    if "%" not in name and "#" not in name:
        return name
    return name.replace("%", "%25").replace("#", "%23")


def _parts(name: str) -> List[str]:
    return [p for p in name.split("/") if p and p != "."]


def _starts_with(a: str, b: str) -> bool:
    """Whether path ``a`` starts with path ``b``, component by component (Rust's ``Path``)."""
    pa, pb = _parts(a), _parts(b)
    if a.startswith("/") != b.startswith("/"):
        return False
    return pa[: len(pb)] == pb


def input_names(inputs: Sequence[str], roots: Sequence[str], absolute: Sequence[List[str]]) -> List[str]:
    """The name of every input, made longer where two would meet (``walk::input_names``): inputs
    whose names are equal, or one of which is a folder of the other's, are named by the last
    folders of their absolute path, one more at a time, until no two meet."""
    names = [input_name(g) for g in inputs]
    taken = [0] * len(inputs)
    while True:
        def meet(i: int, j: int) -> bool:
            a, b = names[i], names[j]
            return roots[i] != roots[j] and (a == b or _starts_with(a, b) or _starts_with(b, a))

        clashing = [
            i for i in range(len(inputs))
            if any(j != i and meet(i, j) for j in range(len(inputs))) and taken[i] < len(absolute[i])
        ]
        if not clashing:
            return names
        for i in clashing:
            taken[i] += 1
            names[i] = "/".join(absolute[i][len(absolute[i]) - taken[i]:])


def list_files(spark, inputs: Sequence[str], exclude: Iterable[str] = ()) -> List[InputFile]:
    """Every file below the inputs, named and given a site as ``chaff run`` does. Folders under
    ``exclude`` (the output folder, when it lies below an input) are left out.

    A missing input is fatal (``InputError``), as it is for ``chaff run``. As in ``chaff run``
    (``walk.rs``), an input named twice or lying inside another folder input is read once, and
    inputs whose names would meet are named by more of their folders."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    Path = jvm.org.apache.hadoop.fs.Path
    excluded = [_qualified(jvm, conf, e).rstrip("/") + "/" for e in exclude]
    found = []
    for given in inputs:
        hpath = Path(given)
        fs = hpath.getFileSystem(conf)
        try:
            status = fs.getFileStatus(hpath)
        except Exception as err:  # py4j wraps java.io.FileNotFoundException
            raise InputError(f"{given}: {_java_message(err)}") from None
        found.append((given, fs, status, str(status.getPath().toString())))
    roots = [root for _, _, _, root in found]
    is_dir = [bool(status.isDirectory()) for _, _, status, _ in found]
    absolute = [_parts(str(status.getPath().toUri().getPath())) for _, _, status, _ in found]
    names = input_names(inputs, roots, absolute)
    files: List[InputFile] = []
    for i, (given, fs, status, root) in enumerate(found):
        inside = any(j != i and is_dir[j] and root.startswith(roots[j].rstrip("/") + "/") for j in range(len(found)))
        if roots.index(root) < i or inside:
            continue  # read through the other input
        base = names[i]
        if status.isDirectory():
            label = _last_name(status.getPath())
            listing = fs.listFiles(status.getPath(), True)
            while listing.hasNext():
                child = listing.next()
                uri = str(child.getPath().toString())
                if any(uri.startswith(e) for e in excluded):
                    continue
                below = uri[len(root) :].lstrip("/")
                parts = below.split("/")
                site = parts[0] if len(parts) > 1 else label
                files.append(InputFile(uri, escape_marks(join(base, below)), site, int(child.getLen())))
        else:
            parent = status.getPath().getParent()
            label = _last_name(parent) if parent is not None else "."
            if not is_uri(given) and "/" not in given:
                # `chaff run page.txt`: the folder of a bare relative name is unnamed.
                label = "."
            files.append(InputFile(root, escape_marks(base), label, int(status.getLen())))
    for f in files:
        if _GLOB.search(f.uri):
            raise InputError(
                f"{f.path}: file names with any of , {{ }} [ ] * ? \\ cannot be read through "
                "Spark's input paths; rename the file or run `chaff run` on it"
            )
    return files


def _qualified(jvm, conf, given: str) -> str:
    path = jvm.org.apache.hadoop.fs.Path(given)
    return str(path.getFileSystem(conf).makeQualified(path).toString())


def _last_name(path) -> str:
    """The last non-empty component of a Hadoop path (``.`` for a root)."""
    while path is not None:
        name = str(path.getName())
        if name:
            return name
        path = path.getParent()
    return "."


def _java_message(err: Exception) -> str:
    java = getattr(err, "java_exception", None)
    if java is not None:
        message = java.getMessage()
        if message:
            return str(message)
    return str(err).splitlines()[0] if str(err) else type(err).__name__


def path_key(path: Optional[str]) -> List[str]:
    """Components of a ``/``-separated path, for sorting as Rust's ``Path`` does."""
    return [p for p in (path or "").split("/") if p and p != "."]
