"""Text and JSON renderings of a diff report: paths and IDs, and the old and new value of a
short scalar that may be shown (diff_values.py), never a secret."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .diff_report import Change, FunctionDiff

_HEADLINES = {
    "new-version": "publishes a new version",
    "same-version": "no new version",
    "added": "new function: publishes its first version",
    "removed": "removed",
    "not-versioned": "not versioned by VersionAlias (opted out)",
    "first-version": "publishes its first version with VersionAlias",
}


def as_text(diffs: Sequence[FunctionDiff], warnings: Sequence[str] = ()) -> str:
    lines = [f"warning: {message}" for message in warnings]
    for diff in diffs:
        lines.append(f"{diff.function}: {_HEADLINES[diff.status]}")
        if diff.old_version and diff.new_version and diff.old_version != diff.new_version:
            lines.append(f"  version: {diff.old_version} -> {diff.new_version}")
        elif diff.new_version or diff.old_version:
            lines.append(f"  version: {diff.new_version or diff.old_version}")
        if diff.taken_over:
            lines.append(f"  takes over: {', '.join(diff.taken_over)}")
        if diff.changes:
            lines.append("  why:")
            lines.extend(f"    {change.text()}" for change in diff.changes)
        if diff.ignored:
            lines.append(f"  ignored (function-level): {', '.join(diff.ignored)}")
        lines.extend(f"  warning: {message}" for message in diff.warnings)
    publishing = sum(1 for diff in diffs if diff.publishes)
    lines.append(f"{publishing} of {len(diffs)} function(s) publish a new version.")
    return "\n".join(lines) + "\n"


def _change(change: Change) -> dict[str, Any]:
    item = {"path": change.path, "change": change.kind, "note": change.note}
    if change.shown:
        item["old"], item["new"] = change.shown
    return item


def as_json(diffs: Sequence[FunctionDiff], warnings: Sequence[str] = ()) -> str:
    document: dict[str, Any] = {
        "publishesNewVersion": any(diff.publishes for diff in diffs),
        "warnings": list(warnings),
        "functions": [
            {
                "function": diff.function,
                "status": diff.status,
                "publishesNewVersion": diff.publishes,
                "oldVersion": diff.old_version,
                "newVersion": diff.new_version,
                "changes": [_change(change) for change in diff.changes],
                "ignored": diff.ignored,
                "warnings": diff.warnings,
                "takesOver": diff.taken_over,
            }
            for diff in diffs
        ],
    }
    return json.dumps(document, indent=2) + "\n"
