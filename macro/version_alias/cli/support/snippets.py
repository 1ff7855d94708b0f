"""`Fn::Transform` inside a template: snippet macros and `AWS::Include`.

CloudFormation runs a snippet's macro (or includes the file `AWS::Include` names) before
the template-level transforms ("Macro evaluation order", CloudFormation User Guide,
template-macros.html). The CLI cannot run them: it has neither the macro nor the S3 object.
- At resource level (in `Resources`, in a resource, or as a resource's `Properties`) the
  snippet can add or change functions and their invokers, so a preview would be wrong:
  it is refused with what is supported instead.
- Deeper (an OpenAPI body included into `DefinitionBody`, the common case) it only hides
  what the included text holds: the preview goes ahead, with a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...errors import format_path

SNIPPET = "Fn::Transform"
SUPPORTED = (
    "the template-level Transform AWS::Serverless-2016-10-31, AWS::LanguageExtensions and "
    "the macro, and Fn::Transform inside a property value (its content is not seen)"
)


class SnippetError(Exception):
    """A resource-level Fn::Transform; `path` locates it in the template."""

    def __init__(self, message: str, path: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.path = path


def snippet_transforms(template: dict[str, Any]) -> list[str]:
    """Warnings for property-level snippets; SnippetError for a resource-level one."""
    warnings = []
    for path, value in _snippets(template):
        name = _name(value)
        where = format_path(path)
        if _resource_level(path):
            raise SnippetError(
                f"{where}: Fn::Transform {name} at resource level runs in CloudFormation "
                "before the template's transforms and can add or change resources, which a "
                f"local preview cannot do. Fix: preview the processed template (aws "
                "cloudformation get-template --template-stage Processed) or inline the "
                f"snippet; supported locally: {SUPPORTED}.",
                path,
            )
        warnings.append(
            f"{where}: Fn::Transform {name} is expanded by CloudFormation; the preview does "
            "not see what it includes (an invocation inside it is neither checked nor "
            "rewritten)."
        )
    return warnings


def _name(value: Any) -> str:
    items = value if isinstance(value, list) else [value]
    names = [str(item.get("Name")) for item in items if isinstance(item, dict)]
    return ", ".join(names) or "(no Name)"


def _resource_level(path: tuple[str | int, ...]) -> bool:
    """Resources.Fn::Transform, Resources.X.Fn::Transform, Resources.X.Properties.Fn::...;
    and anything outside Resources that is not inside a value (a top-level section)."""
    if not path or path[0] != "Resources":
        return len(path) <= 2
    return len(path) <= 3 or (len(path) == 4 and path[2] == "Properties")


def _snippets(template: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """(path of the Fn::Transform key, its value), depth first, iteratively."""
    pending: list[tuple[tuple[str | int, ...], Any]] = [((), template)]
    while pending:
        path, node = pending.pop()
        if isinstance(node, dict):
            for key, child in reversed(node.items()):
                if key == SNIPPET:
                    yield (*path, key), child
                else:
                    pending.append(((*path, key), child))
        elif isinstance(node, list):
            pending.extend(
                ((*path, index), child) for index, child in reversed(list(enumerate(node)))
            )
