"""cfn-lint on a template before and after the macro: the errors the macro adds.

Errors are keyed by rule and by the path cut to `depth` parts (`Resources/Fn/Properties`
at depth 3), so an error the input already had does not count again when the macro moved
it within the same property (a list it lengthened, a Description it wrapped in a Join).
"""

from __future__ import annotations

import json
from typing import Any


def lint_errors(template: dict[str, Any], depth: int = 99) -> dict[tuple[str, str], str]:
    """cfn-lint's errors (E rules) as {(rule, path prefix): text}."""
    from cfnlint.api import ManualArgs, lint

    found: dict[tuple[str, str], str] = {}
    for match in lint(json.dumps(template, indent=1), config=ManualArgs(regions=["us-east-1"])):
        rule_id = match.rule.id
        if not rule_id.startswith("E"):
            continue
        path = [str(part) for part in (getattr(match, "path", None) or [])]
        key = "/".join(path[:depth]) or match.message
        found[(rule_id, key)] = f"{rule_id} {'/'.join(path)}: {match.message}"
    return found


def added_errors(before: dict[str, Any], after: dict[str, Any], depth: int = 99) -> list[str]:
    """cfn-lint errors of `after` that `before` does not have (at the same key)."""
    baseline = lint_errors({k: v for k, v in before.items() if k != "Transform"}, depth)
    return sorted(
        text
        for key, text in lint_errors(
            {k: v for k, v in after.items() if k != "Transform"}, depth
        ).items()
        if key not in baseline
    )
