"""Finding and running the ``chaff`` binary that the wheel ships.

maturin installs the binary into the environment's scripts folder (``venv/bin/chaff``), which is
not always on ``PATH`` (a Spark executor's Python is often started by its full path). So the
binary is looked up, in this order:

1. the ``CHAFF_BIN`` environment variable, if set (it must name an executable file);
2. the file the installed ``chaff`` distribution lists in its RECORD (wherever pip put it:
   a venv, ``--user``, ``--prefix``);
3. the scripts folder of the running interpreter (``sysconfig``), then beside ``sys.executable``;
4. ``chaff`` on ``PATH``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

NAME = "chaff.exe" if os.name == "nt" else "chaff"


class BinaryNotFound(RuntimeError):
    """The chaff binary is not installed where this Python can find it."""


class StageFailed(RuntimeError):
    """The chaff binary exited with a fatal error; the message is chaff's own."""

    def __init__(self, args: Sequence[str], code: int, stderr: str):
        self.code = code
        self.stderr = stderr
        lines = [line for line in stderr.splitlines() if line.strip()]
        message = "\n".join(lines[-20:]) or f"exit code {code}"
        super().__init__(f"`chaff {' '.join(args)}` failed (exit {code}): {message}")


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _from_record() -> Optional[Path]:
    try:
        from importlib import metadata
    except ImportError:  # pragma: no cover - Python < 3.8
        return None
    try:
        dist = metadata.distribution("chaff")
    except metadata.PackageNotFoundError:
        return None
    for file in dist.files or ():
        if file.name == NAME and file.parent.name in ("bin", "Scripts", "scripts"):
            path = Path(dist.locate_file(file)).resolve()
            if _executable(path):
                return path
    return None


def _candidates():
    override = os.environ.get("CHAFF_BIN")
    if override:
        path = Path(override)
        if not _executable(path):
            raise BinaryNotFound(f"CHAFF_BIN={override} is not an executable file")
        yield path
        return
    found = _from_record()
    if found:
        yield found
    for scheme in (None, f"{os.name}_user"):
        try:
            scripts = sysconfig.get_path("scripts", scheme) if scheme else sysconfig.get_path("scripts")
        except KeyError:
            continue
        if scripts:
            yield Path(scripts) / NAME
    yield Path(sys.executable).parent / NAME
    on_path = shutil.which(NAME)
    if on_path:
        yield Path(on_path)


@lru_cache(maxsize=None)
def _cached(override: Optional[str]) -> str:
    for path in _candidates():
        if _executable(path):
            return str(path)
    raise BinaryNotFound(
        "the chaff binary was not found: install the chaff wheel into this Python environment "
        "(pip install chaff-*.whl) or set CHAFF_BIN to the binary's path"
    )


def binary() -> str:
    """The path of the chaff binary to run (see the module docs for where it is looked for)."""
    return _cached(os.environ.get("CHAFF_BIN"))


def run_stage(args: Sequence[str], stdin: Optional[bytes] = None, ok: Sequence[int] = (0,)) -> bytes:
    """Runs ``chaff ARGS`` and returns its stdout; raises :class:`StageFailed` with chaff's
    message when it exits with a code not in ``ok``."""
    proc = subprocess.run(
        [binary(), *args],
        input=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )
    if proc.returncode not in ok:
        raise StageFailed(list(args), proc.returncode, proc.stderr.decode("utf-8", "replace"))
    return proc.stdout
