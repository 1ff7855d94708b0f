"""Property-path patterns from the catalog, matched against resource properties.

Grammar: keys separated by `.`, `*` for any map key, `[*]` for every list item and `**`
for any depth. A `Fn::If` met on the way is looked through: both branches are matched,
because either may be the one CloudFormation picks.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

Path = tuple[str | int, ...]
ANY_KEY = "*"
ANY_ITEM = "[*]"
ANY_DEPTH = "**"


@cache
def parse(pattern: str) -> tuple[str, ...]:
    """`Targets[*].Arn` -> ("Targets", "[*]", "Arn")."""
    segments: list[str] = []
    for token in pattern.split("."):
        items = 0
        while token.endswith(ANY_ITEM):
            token = token[: -len(ANY_ITEM)]
            items += 1
        if token:
            segments.append(token)
        segments.extend([ANY_ITEM] * items)
    return tuple(segments)


def if_parts(value: Any) -> tuple[Any, Any, Any] | None:
    """(condition, value if true, value if false) of a well-formed `Fn::If`, else None."""
    if isinstance(value, dict) and len(value) == 1 and "Fn::If" in value:
        args = value["Fn::If"]
        if isinstance(args, list) and len(args) == 3:
            return args[0], args[1], args[2]
    return None


def match(value: Any, pattern: str) -> Iterator[tuple[Path, Any]]:
    """Yield (path, value) for every place in `value` that the pattern names."""
    yield from _match(value, parse(pattern), 0, ())


def _match(
    value: Any, segments: tuple[str, ...], index: int, path: Path
) -> Iterator[tuple[Path, Any]]:
    if index == len(segments):
        yield path, value
        return
    parts = if_parts(value)
    if parts is not None:
        for number, branch in enumerate(parts[1:], start=1):
            yield from _match(branch, segments, index, (*path, "Fn::If", number))
        return
    segment = segments[index]
    if segment == ANY_DEPTH:
        yield from _match(value, segments, index + 1, path)
        for key, child in _children(value):
            yield from _match(child, segments, index, (*path, key))
    elif segment == ANY_ITEM:
        if isinstance(value, list):
            for position, child in enumerate(value):
                yield from _match(child, segments, index + 1, (*path, position))
    elif segment == ANY_KEY:
        if isinstance(value, dict):
            for key, child in value.items():
                yield from _match(child, segments, index + 1, (*path, key))
    elif isinstance(value, dict) and segment in value:
        yield from _match(value[segment], segments, index + 1, (*path, segment))


def _children(value: Any) -> Iterator[tuple[str | int, Any]]:
    if isinstance(value, dict):
        yield from value.items()
    elif isinstance(value, list):
        yield from enumerate(value)


def get(value: Any, path: Path) -> Any:
    """The value at a concrete path (as yielded by `match`)."""
    for part in path:
        value = value[part]
    return value


def replace(root: Any, path: Path, new: Any) -> Any:
    """A copy of `root` with the value at `path` replaced; only the containers on the path
    are copied, so the input is never mutated and untouched subtrees are shared."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(root, list):
        copy = list(root)
        copy[head] = replace(root[head], rest, new) if rest else new  # type: ignore[index]
        return copy
    copy = dict(root)
    copy[head] = replace(root[head], rest, new) if rest else new  # a new key may be added
    return copy
