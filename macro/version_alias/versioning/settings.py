"""Values the macro acts on rather than hashes: names, options, descriptions.

Resolved from parameter values and conditions like a hash input (resolve.py), but read as
plain values: text that can be compared with a function's name, or an option value. A
NoEcho value is never handed out.
"""

from __future__ import annotations

from ..errors import TransformError
from ..template.validate import MAX_NESTING
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


def setting_resolver(resolver: Resolver) -> Setting:
    """`value -> the option value` (Setting.__call__)."""
    return Setting(resolver)


class Setting:
    """Option values as the macro acts on them: literals as written, an intrinsic resolved
    from parameters and conditions (`!Ref Stage`, `!If [IsProd, 1, !Ref AWS::NoValue]`),
    None for `AWS::NoValue`. What parameters cannot decide, or what holds a NoEcho value,
    stays as written (an intrinsic); `withheld` says which NoEcho parameters held it back,
    so that an option that must be decided can name them (never their values)."""

    __slots__ = ("_resolver",)

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver

    def __call__(self, value: Any) -> Any:
        resolved = self._resolved(value)
        if resolved is _UNDECIDED:
            return value
        if resolved is NO_VALUE:
            return None
        return value if _secret_names(resolved) else resolved

    def withheld(self, value: Any) -> list[str]:
        """The NoEcho parameters (sorted names) whose values `value` resolves to or holds;
        [] for a literal, or when parameters cannot decide it for another reason."""
        resolved = self._resolved(value)
        return [] if resolved is _UNDECIDED else sorted(_secret_names(resolved))

    def _resolved(self, value: Any) -> Any:
        if not isinstance(value, dict | list):
            return _UNDECIDED
        try:
            return self._resolver.resolve(value)
        except TransformError:
            return _UNDECIDED


_UNDECIDED = object()


def _secret_names(value: Any, depth: int = 0) -> set[str]:
    """The names of the NoEcho parameters a resolved value holds."""
    if isinstance(value, Secret):
        return {value.name}
    if depth > MAX_NESTING:
        return set()
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return set().union(*(_secret_names(item, depth + 1) for item in items))
