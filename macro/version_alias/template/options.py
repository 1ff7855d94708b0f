"""The `Metadata: {VersionAlias: {...}}` options, validated before anything is generated.

Option values may be intrinsics that parameters and conditions decide (`AliasName: !Ref
Stage`, as SAM allows for AutoPublishAlias): every reader takes a `setting` function
(versioning/settings.py) that resolves them; `AWS::NoValue` counts as not set.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Mapping

from ..errors import TransformError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Setting = Callable[[Any], Any]  # an option value -> the value the macro acts on

DEFAULT_ALIAS = "live"
METADATA_KEY = "VersionAlias"
# Lambda's Alias Name pattern, minus `$LATEST` (which is not an alias). A string, compiled
# (and cached by `re`) on first use: only templates that set AliasName need it.
_ALIAS_NAME = r"(?!^[0-9]+$)[a-zA-Z0-9\-_]{1,128}"
TEMPLATE_KEYS = frozenset({"AliasName", "DeploymentPreference", "ProvisionedConcurrency"})
FUNCTION_KEYS = frozenset(
    {"Enabled", "AliasName", "Salt", "DeploymentPreference", "ProvisionedConcurrency"}
)
CONSUMER_KEYS = frozenset({"Target"})
# Options that configure the alias rather than the version (deployment/).
ALIAS_SETTING_KEYS = ("DeploymentPreference", "ProvisionedConcurrency")
TARGETS = ("alias", "version", "function")


def as_written(value: Any) -> Any:
    """The `setting` that resolves nothing: option values are taken as written."""
    return value


def _option(options: Mapping[str, Any], key: str, setting: Setting, path: tuple) -> Any:
    """The option's value once resolved (None when absent or `AWS::NoValue`); an
    intrinsic that parameters and conditions cannot decide fails. A literal null is
    returned as written, for the option's own check to refuse."""
    raw = options.get(key)
    if not isinstance(raw, dict | list):
        return raw
    value = setting(raw)
    if isinstance(value, dict | list) and setting is not as_written:
        raise _undecided(raw, setting, (*path, key))
    return value


def _undecided(raw: Any, setting: Setting, path: tuple) -> TransformError:
    """Why an option the macro must act on stays an intrinsic: the NoEcho parameters it
    comes from (named, never their values; `withheld` of versioning/settings.py's
    Setting), else what parameters and conditions cannot decide."""
    withheld = getattr(setting, "withheld", None)
    names = withheld(raw) if withheld is not None else []
    if names:
        return TransformError(
            f"takes its value from NoEcho parameter{'s' if len(names) > 1 else ''} "
            f"{', '.join(names)}; the macro never acts on a NoEcho value, which would show "
            "in its output (an alias name is part of every ARN that names the alias).",
            path=path,
            hint="write a literal, or !Ref a parameter without NoEcho.",
        )
    return TransformError(
        "cannot be decided from the template's parameters and conditions.",
        path=path,
        hint="write a literal, or !Ref a parameter (Fn::If, Fn::Sub and Fn::FindInMap "
        "over parameters work too).",
    )


def _absent(options: Mapping[str, Any], key: str, value: Any) -> bool:
    """Not set: no such key, or an intrinsic that resolved to `AWS::NoValue`."""
    return key not in options or (value is None and options[key] is not None)


class FunctionOptions(
    namedtuple("FunctionOptions", ("enabled", "alias_name", "salt"), defaults=(None,))
):
    """A function's validated `Metadata.VersionAlias` options."""

    __slots__ = ()
    # enabled: bool
    # alias_name: str
    # salt: Any = None


def metadata_of(node: Mapping[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """The node's `Metadata.VersionAlias` mapping ({} when absent)."""
    metadata = node.get("Metadata")
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise TransformError("must be a mapping.", path=(*path, "Metadata"))
    options = metadata.get(METADATA_KEY)
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise TransformError(
            "must be a mapping of options such as AliasName or Enabled.",
            path=(*path, "Metadata", METADATA_KEY),
        )
    return options


def sets_alias_settings(template: Mapping[str, Any]) -> bool:
    """Whether the template or any function sets an alias setting (ALIAS_SETTING_KEYS).

    Without one, the deployment stage has nothing to do and is not even imported. A
    malformed Metadata counts as setting one, so that the stage reports it.
    """
    nodes = [template]
    resources = template.get("Resources")
    if isinstance(resources, dict):
        nodes.extend(resources.values())
    for node in nodes:
        metadata = node.get("Metadata") if isinstance(node, dict) else None
        if metadata is None:
            continue
        options = metadata.get(METADATA_KEY) if isinstance(metadata, dict) else metadata
        if options is None:
            continue
        if not isinstance(options, dict) or any(key in options for key in ALIAS_SETTING_KEYS):
            return True
    return False


def check_alias_name(name: Any, path: tuple[str | int, ...]) -> str:
    if not isinstance(name, str) or not re.fullmatch(_ALIAS_NAME, name) or name == "$LATEST":
        raise TransformError(
            "is not a valid alias name.",
            path=path,
            hint="use 1-128 letters, digits, '-' or '_', not only digits and not $LATEST.",
        )
    return name


def check_keys(options: Mapping[str, Any], allowed: frozenset[str], path: tuple) -> None:
    """A misspelt option fails loudly instead of being ignored."""
    unknown = sorted(str(key) for key in options if key not in allowed)
    if unknown:
        raise TransformError(
            f"unknown option(s) {', '.join(unknown)}.",
            path=path,
            hint=f"use only {', '.join(sorted(allowed))}.",
        )


def template_alias_name(
    template: Mapping[str, Any], fallback: str = DEFAULT_ALIAS, setting: Setting = as_written
) -> str:
    """The template's AliasName, else `fallback` (the macro stack's DefaultAliasName)."""
    options = metadata_of(template, ())
    path = ("Metadata", METADATA_KEY)
    check_keys(options, TEMPLATE_KEYS, path)
    name = _option(options, "AliasName", setting, path)
    if _absent(options, "AliasName", name):
        return fallback
    return check_alias_name(name, (*path, "AliasName"))


def function_options(
    function_id: str,
    resource: Mapping[str, Any],
    default_alias: str,
    setting: Setting = as_written,
) -> FunctionOptions:
    base = ("Resources", function_id)
    options = metadata_of(resource, base)
    path = (*base, "Metadata", METADATA_KEY)
    check_keys(options, FUNCTION_KEYS, path)
    enabled = _option(options, "Enabled", setting, path)
    enabled = True if _absent(options, "Enabled", enabled) else enabled
    if not isinstance(enabled, bool):
        if enabled in ("true", "false"):
            enabled = enabled == "true"
        else:
            raise TransformError("must be true or false.", path=(*path, "Enabled"))
    alias = _option(options, "AliasName", setting, path)
    if _absent(options, "AliasName", alias):
        alias = default_alias
    else:
        check_alias_name(alias, (*path, "AliasName"))
    return FunctionOptions(enabled=enabled, alias_name=alias, salt=options.get("Salt"))


def consumer_target(
    resource_id: str, resource: Mapping[str, Any], setting: Setting = as_written
) -> str:
    """Where a consumer's invocations should point: `alias` (default), `version` or `function`."""
    base = ("Resources", resource_id)
    options = metadata_of(resource, base)
    if not options:
        return "alias"
    path = (*base, "Metadata", METADATA_KEY)
    # SAM copies a function's Metadata onto resources it generates for it (the
    # EventInvokeConfig of EventInvokeConfig:), so function options are tolerated here.
    check_keys(options, CONSUMER_KEYS | FUNCTION_KEYS, path)
    target = _option(options, "Target", setting, path)
    target = "alias" if _absent(options, "Target", target) else target
    if target not in TARGETS:
        raise TransformError("must be alias, version or function.", path=(*path, "Target"))
    return target
