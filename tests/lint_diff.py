"""cfn-lint on a template before and after the macro: the errors the macro adds.

An error is keyed by its rule and full path. With `depth`, by the first `depth` parts of
its path alone (`Resources/Fn/Properties/Description` at depth 4): a property that was
already wrong in the input may be wrong in another way once the macro wrapped it (a junk
Description inside the stamp's Join), and a list the macro lengthened moves the paths of
the errors the input already had. The fuzz tests use depth 4; real templates the full path.
"""

from __future__ import annotations

import json
from typing import Any


def lint_errors(template: dict[str, Any], depth: int | None = None) -> dict[Any, str]:
    """cfn-lint's errors (E rules) as {key: text}."""
    from cfnlint.api import ManualArgs, lint

    found: dict[Any, str] = {}
    text = json.dumps({key: value for key, value in template.items() if key != "Transform"})
    for match in lint(text, config=ManualArgs(regions=["us-east-1"])):
        rule_id = match.rule.id
        if not rule_id.startswith("E"):
            continue
        path = [str(part) for part in (getattr(match, "path", None) or [])]
        where = "/".join(path) or match.message
        key = (rule_id, where) if depth is None else "/".join(path[:depth]) or match.message
        found[key] = f"{rule_id} {'/'.join(path)}: {match.message}"
    return found


def added_errors(before: dict[str, Any], after: dict[str, Any], depth: int | None = None) -> list:
    """cfn-lint errors of `after` that `before` does not have (at the same key)."""
    baseline = lint_errors(before, depth)
    crashes = {_crash(text) for text in baseline.values()} - {None}
    return sorted(
        text
        for key, text in lint_errors(after, depth).items()
        if key not in baseline and _crash(text) not in crashes
    )


def _crash(text: str) -> str | None:
    """cfn-lint's own exception in a finding (`Exception "When setting condition 'C' to
    True" raised while validating ...`, for a Condition that can never hold), without the
    path: a resource the macro adds under the function's Condition meets the same
    exception the input's function met, which is no new error of the template."""
    _, found, rest = text.partition(": Exception ")
    return rest if found and "raised while validating" in rest else None
