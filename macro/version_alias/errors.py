"""The one error type the core raises: every failure names where and how to fix it."""

from __future__ import annotations

from collections.abc import Sequence

PathPart = str | int


def format_path(parts: Sequence[PathPart]) -> str:
    """Render a property path the way CloudFormation users read it: `A.B[0].C`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


class TransformError(Exception):
    """A template the macro cannot process; the handler turns it into `status: failure`.

    The message never contains template values, only logical IDs and property paths,
    because CloudFormation shows it to everyone who can describe the stack.
    """

    def __init__(self, message: str, *, path: Sequence[PathPart] = (), hint: str = "") -> None:
        self.path = tuple(path)
        self.hint = hint
        self.problem = message
        where = format_path(self.path)
        text = f"{where}: {message}" if where else message
        if hint:
            text = f"{text} Fix: {hint}"
        super().__init__(text)
