"""`OLD` as a git revision (`HEAD:template.yaml`), so that a diff works in code review.

The template's whole folder is taken from that revision, not only the file: local
artifact paths such as `CodeUri: src/` must hash the code of that revision, not the
working tree's.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class GitSourceError(Exception):
    """The argument is neither a file nor a readable `REVISION:PATH`."""


def is_revision_spec(argument: str) -> bool:
    """Not an existing file (or stdin) and shaped like `REVISION:PATH`."""
    if argument == "-" or Path(argument).exists():
        return False
    revision, sep, path = argument.partition(":")
    return bool(sep and revision and path)


@contextmanager
def checked_out(argument: str) -> Iterator[Path]:
    """The template file of `REVISION:PATH`, inside a temporary copy of its folder."""
    revision, _, path = argument.partition(":")
    # Keep the folder as written: `./` and `../` make git read it relative to the cwd.
    folder, _, name = path.rpartition("/")
    tree = f"{revision}:{folder + '/' if folder in ('.', '..') else folder}"
    # Resolve the folder here (`./` paths are relative to the cwd), but archive from the
    # top level: run in a subdirectory, `git archive` would keep only that subdirectory.
    tree_id = _git("rev-parse", "--verify", "--quiet", tree, argument=argument)
    top = _git("rev-parse", "--show-toplevel", argument=argument).decode().strip()
    archive = _git(
        "-C", top, "archive", "--format=tar", tree_id.decode().strip(), argument=argument
    )
    with tempfile.TemporaryDirectory(prefix="version-alias-diff-") as directory:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(directory, filter="data")
        target = Path(directory) / name
        if not target.is_file():
            raise GitSourceError(f"{argument}: no such file in that revision")
        yield target


def _git(*args: str, argument: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], capture_output=True, check=False)
    except OSError as problem:
        raise GitSourceError(f"{argument}: not a file, and git could not run ({problem})") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[0] if reason else "no such revision, or no such path in it"
        raise GitSourceError(f"{argument}: not a file, and git cannot read it ({detail})")
    return done.stdout
