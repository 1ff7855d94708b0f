"""`AWS::LanguageExtensions` in a template that uses none of its features.

Such a template renders the same with or without the transform, so the CLI can preview
it. One that does use the features (Fn::ForEach, Fn::Length, Fn::ToJsonString, a
FindInMap default, an intrinsic in DeletionPolicy) is refused with a message instead.
"""

from __future__ import annotations

from typing import Any

NAME = "AWS::LanguageExtensions"
_FUNCTIONS = ("Fn::ForEach", "Fn::Length", "Fn::ToJsonString")
_POLICIES = ("DeletionPolicy", "UpdateReplacePolicy")


def uses_language_extensions(value: Any) -> bool:
    """Whether any part of the template needs the transform (iterative: no depth limit)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and key.startswith(_FUNCTIONS):
                    return True
                if key == "Fn::FindInMap" and isinstance(child, list) and len(child) == 4:
                    return True
                if key in _POLICIES and isinstance(child, dict):
                    return True
                pending.append(child)
        elif isinstance(item, list):
            pending.extend(item)
    return False
