"""Where a catalog row matches in one resource, honouring the row's `when` condition.

The rewriter and the `$LATEST` checker both walk sites through here, so they can never
disagree about which values are invocation sites.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache

from ..data.tables import InvocationSite, SiteCondition
from ..template import paths
from ..template.qualifiers import qualifier_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..template.names import FunctionIndex


def site_values(
    site: InvocationSite, properties: Mapping[str, Any]
) -> Iterator[tuple[paths.Path, Any]]:
    """(concrete path, value) for every match of the site's path that its condition allows."""
    for path, value in paths.match(properties, site.path):
        if condition_holds(site.when, site.path, properties, path):
            yield path, value


def current_qualifier(
    site: InvocationSite, properties: Any, index: FunctionIndex | None = None
) -> Any:
    """The qualifier a qualifier site holds; None when it has none (absent, or
    `!Ref AWS::NoValue`), which invokes the unqualified function. With the template's
    `index`, the text it deploys as when the template decides it (`!Ref AliasParam`,
    `!Select [7, !Split [":", !Ref Alias]]`: template/qualifiers.py); a value that is not
    a str is undecided."""
    current = next((found for _, found in paths.match(properties, site.path)), None)
    if current == NO_VALUE:
        return None
    if index is None:
        return current
    return qualifier_text(current, index.qualifiers, index.resolve)


NO_VALUE = {"Ref": "AWS::NoValue"}


def condition_holds(
    when: SiteCondition | None, site_path: str, properties: Any, matched: paths.Path
) -> bool:
    """True when there is no condition, when it holds, or when it cannot be decided.

    An undecided condition (a Ref or Fn::If where a literal is expected) counts as holding:
    the value is still checked for references to the template's own functions, and a
    value that names none is never changed.
    """
    if when is None:
        return True
    site_segments, shared, rest, texts = _layout(when, site_path)
    if paths.ANY_DEPTH in site_segments[:shared]:
        # `**` matched some depth: the base is where the site's own tail began.
        base = _follow(properties, _without_tail(matched, len(site_segments) - shared))
    else:
        base = _walk(properties, site_segments[:shared], matched)
    if base is _MISSING:
        return False
    found = [value for _, value in paths.match(base, rest)] if rest else [base]
    if not found:
        return False
    for value in found:
        if isinstance(value, dict | list):
            return True  # undecided: not a literal
        if value in when.values or str(value) in texts:
            return True
        if when.suffixes and isinstance(value, str) and value.endswith(when.suffixes):
            return True
    return False


@cache
def _layout(when: SiteCondition, site_path: str) -> tuple[tuple[str, ...], int, str, frozenset]:
    """What a row's condition needs, once per row: the site's segments, how many leading
    segments it shares with the condition's path, the rest of that path, and the accepted
    values as text (CloudFormation passes scalars as strings)."""
    site_segments = paths.parse(site_path)
    cond_segments = paths.parse(when.path)
    shared = 0
    while (
        shared < min(len(site_segments), len(cond_segments))
        and site_segments[shared] == cond_segments[shared]
    ):
        shared += 1
    texts = frozenset(str(item) for item in when.values)
    return site_segments, shared, ".".join(cond_segments[shared:]), texts


def _without_tail(matched: paths.Path, count: int) -> paths.Path:
    """The concrete path without its last `count` segments. A `("Fn::If", n)` pair leads
    into the segment after it, so pairs between dropped segments go too, and the pair
    before the first dropped one stays (the base is then the branch, not the Fn::If)."""
    end = len(matched)
    for dropped in range(count):
        end -= 1
        if dropped < count - 1:
            while end >= 2 and matched[end - 2] == "Fn::If" and isinstance(matched[end - 1], int):
                end -= 2
    return matched[: max(end, 0)]


def _follow(value: Any, concrete: paths.Path) -> Any:
    for part in concrete:
        in_map = isinstance(value, dict) and part in value
        in_list = isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value)
        if not (in_map or in_list):
            return _MISSING
        value = value[part]
    return value


_MISSING = object()


def _walk(value: Any, segments: tuple[str, ...], matched: paths.Path) -> Any:
    """The value the first `segments` of a site path led to, following the concrete path
    (which also records the `Fn::If` branches that were looked through)."""
    position = 0
    for _segment in segments:
        while (
            position + 1 < len(matched)
            and matched[position] == "Fn::If"
            and isinstance(value, dict)
            and "Fn::If" in value
        ):
            value = value["Fn::If"][matched[position + 1]]
            position += 2
        if position >= len(matched):
            return _MISSING
        value = paths.get(value, (matched[position],))
        position += 1
    return value
