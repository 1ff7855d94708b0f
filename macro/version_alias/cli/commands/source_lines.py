"""Map a path in the rendered template back to a line of the file the user wrote.

`version-alias lint` lints the rendered template, so cfn-lint's line numbers point into a
file the user never sees. Most paths exist in the source too (the macro changes values,
not the shape, of what the user wrote); those get the source line. A path inside a
resource that SAM or the macro generated gets the line of its nearest ancestor that the
source has, and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple


class SourcePosition(NamedTuple):
    line: int  # 1-based, as editors count
    column: int
    exact: bool  # False: the line of the nearest ancestor the source has
    found: tuple[str | int, ...]  # that ancestor's path (the whole path when exact)


def load_marked(path: Path) -> Any:
    """The template as cfn-lint decodes it, with line marks; None when it does not parse
    (lint then falls back to the rendered lines)."""
    from cfnlint.decode import decode  # slow to import: only when linting

    template, matches = decode(str(path))
    return None if matches or not isinstance(template, dict) else template


def position(source: Any, path: Sequence[Any], rendered: Any = None) -> SourcePosition | None:
    """Where `path` (as cfn-lint reports it) is in the marked source; None when not even
    its first element is there. With `rendered`, a list whose length the macro changed
    (IAM widening inserts items) is not entered: its indices no longer line up."""
    node, mark, found = source, None, []
    for part in path:
        if isinstance(node, list) and not _same_length(node, rendered):
            break
        child_mark, child = _step(node, part)
        if child_mark is None:
            break
        mark, node = child_mark, child
        rendered = _child(rendered, part)
        found.append(part)
    if mark is None:
        return None
    return SourcePosition(mark.line + 1, mark.column + 1, len(found) == len(path), tuple(found))


def _same_length(node: list[Any], rendered: Any) -> bool:
    return rendered is None or (isinstance(rendered, list) and len(rendered) == len(node))


def _child(rendered: Any, part: Any) -> Any:
    if isinstance(rendered, dict):
        return rendered.get(part)
    if isinstance(rendered, list) and isinstance(part, int) and 0 <= part < len(rendered):
        return rendered[part]
    return None


_UNMARKED = (bool, int, float, type(None))


def _step(node: Any, part: Any) -> tuple[Any, Any]:
    """(mark, child) one level down; (None, None) where the source has no such child. A
    list item that the decoder leaves unmarked (a number, a boolean) takes its list's
    mark, so the line is the list's own."""
    if isinstance(node, dict) and isinstance(part, str) and part in node:
        key = next(key for key in node if key == part)  # the key object carries the mark
        return getattr(key, "start_mark", None), node[part]
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        child = node[part]
        mark = getattr(child, "start_mark", None)
        if mark is None and isinstance(child, _UNMARKED):
            mark = getattr(node, "start_mark", None)
        return mark, child
    return None, None
