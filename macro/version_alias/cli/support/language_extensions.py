"""`AWS::LanguageExtensions`: previewed only in a template that uses none of its features.

Such a template renders the same with or without the transform. One that uses them
(Fn::ForEach, Fn::Length, Fn::ToJsonString, a FindInMap default, an intrinsic in
DeletionPolicy) is refused with a message naming the first use: the CLI does not expand
them. cfn-lint's expansion (cfnlint/template/transforms/_language_extensions.py) is private
and made for linting: it invents random names for collections it cannot resolve and reads
parameter Defaults only. SAM CLI's (samcli.lib.cfn_language_extensions) is a public API,
but it ships only inside aws-sam-cli, whose pins conflict with this project's, and it
resolves every intrinsic, NoEcho parameters included, into the template.
"""

from __future__ import annotations

from typing import Any

NAME = "AWS::LanguageExtensions"
_FUNCTIONS = ("Fn::ForEach", "Fn::Length", "Fn::ToJsonString")
_POLICIES = ("DeletionPolicy", "UpdateReplacePolicy")


def uses_language_extensions(value: Any) -> bool:
    """Whether any part of the template needs the transform (iterative: no depth limit)."""
    return first_use(value) is not None


def first_use(value: Any) -> tuple[str | int, ...] | None:
    """The path of a key that needs the transform (`Resources.Fn::ForEach::Topics`), in
    template order; None when nothing does."""
    pending: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, dict):
            children = []
            for key, child in item.items():
                here = (*path, key)
                if isinstance(key, str) and key.startswith(_FUNCTIONS):
                    return here
                if key == "Fn::FindInMap" and isinstance(child, list) and len(child) == 4:
                    return here
                if key in _POLICIES and isinstance(child, dict):
                    return here
                children.append((here, child))
            pending.extend(reversed(children))
        elif isinstance(item, list):
            pending.extend(reversed([((*path, i), child) for i, child in enumerate(item)]))
    return None
