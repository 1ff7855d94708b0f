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
from pathlib import Path, PurePosixPath


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
    folder = str(PurePosixPath(path).parent)
    tree = f"{revision}:{'' if folder == '.' else folder}"
    if path.startswith("./") and folder == ".":
        tree = f"{revision}:./"
    archive = _git("archive", "--format=tar", tree, argument=argument)
    with tempfile.TemporaryDirectory(prefix="version-alias-diff-") as directory:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(directory, filter="data")
        target = Path(directory) / PurePosixPath(path).name
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
        detail = reason[0] if reason else f"exit {done.returncode}"
        raise GitSourceError(f"{argument}: not a file, and git cannot read it ({detail})")
    return done.stdout
