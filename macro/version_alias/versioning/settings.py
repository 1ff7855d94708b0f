"""Values the macro acts on rather than hashes: names, options, descriptions.

Resolved from parameter values and conditions like a hash input (resolve.py), but read as
plain values: text that can be compared with a function's name, or an option value. A
NoEcho value is never handed out.
"""

from __future__ import annotations

from ..errors import TransformError
from .noecho import Secret
from .resolve import NO_VALUE, Resolver

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def text_resolver(resolver: Resolver) -> Callable[[Any], str | None]:
    """`value -> the text it resolves to`, None when parameters cannot decide it (an
    attribute of another resource, the stack name, a NoEcho value)."""

    def text(value: Any) -> str | None:
        if isinstance(value, str):
            return value
        try:
            resolved = resolver.resolve(value)
        except TransformError:
            return None
        return resolved if isinstance(resolved, str) else None

    return text


def setting_resolver(resolver: Resolver) -> Callable[[Any], Any]:
    """`value -> the option value`: literals as written, an intrinsic resolved from
    parameters and conditions (`!Ref Stage`, `!If [IsProd, 1, !Ref AWS::NoValue]`), None
    for `AWS::NoValue`. What parameters cannot decide, or what holds a NoEcho value, stays
    as written (an intrinsic)."""

    def setting(value: Any) -> Any:
        if not isinstance(value, dict | list):
            return value
        try:
            resolved = resolver.resolve(value)
        except TransformError:
            return value
        if resolved is NO_VALUE:
            return None
        return value if _holds_secret(resolved) else resolved

    return setting


def _holds_secret(value: Any) -> bool:
    if isinstance(value, Secret):
        return True
    if isinstance(value, list):
        return any(_holds_secret(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_secret(item) for item in value.values())
    return False
