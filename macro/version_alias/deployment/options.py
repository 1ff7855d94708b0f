"""`DeploymentPreference` and `ProvisionedConcurrency` options, validated with a fix hint.

They use SAM's `DeploymentPreference` fields so a SAM user can move the block into
`Metadata: {VersionAlias: {...}}` unchanged. A template-level default in the template's
`Metadata.VersionAlias` is merged key by key under a function's own block (the function
wins), which is how SAM merges `Globals`.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping

from ..errors import TransformError
from ..template.options import METADATA_KEY, check_keys, metadata_of
from ..versioning.resolve import Resolver
from ..versioning.settings import setting_resolver

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PREFERENCE = "DeploymentPreference"
CONCURRENCY = "ProvisionedConcurrency"
PREFERENCE_KEYS = frozenset(
    {"Type", "Alarms", "Hooks", "TriggerConfigurations", "Role", "Enabled", "PassthroughCondition"}
)
HOOK_KEYS = ("PreTraffic", "PostTraffic")
PREDEFINED_TYPES = (
    "Canary10Percent5Minutes",
    "Canary10Percent10Minutes",
    "Canary10Percent15Minutes",
    "Canary10Percent30Minutes",
    "Linear10PercentEvery1Minute",
    "Linear10PercentEvery2Minutes",
    "Linear10PercentEvery3Minutes",
    "Linear10PercentEvery10Minutes",
    "AllAtOnce",
)
MAX_CONFIG_NAME = 100  # CodeDeploy's DeploymentConfigName limit
MAX_ALARMS = 10  # CodeDeploy's limit per deployment group
FUNCTION = "AWS::Lambda::Function"
Path = tuple[str | int, ...]


class Preference(
    namedtuple(
        "Preference",
        ("type", "alarms", "hooks", "triggers", "role", "passthrough_condition", "explicit"),
        defaults=(None, (), None, None, True, True),
    )
):
    """One function's validated deployment preference (only built when enabled)."""

    __slots__ = ()
    # type: Any
    # alarms: Any = None
    # hooks: tuple[tuple[str, str], ...] = ()  (PreTraffic|PostTraffic, hook function ID)
    # triggers: Any = None
    # role: Any = None
    # passthrough_condition: bool = True
    # explicit: bool = True  False when it came only from the template-level default


class AliasSettings(
    namedtuple(
        "AliasSettings",
        ("preference", "concurrency", "concurrency_explicit"),
        defaults=(None, None, False),
    )
):
    """A function's alias options, with the template-level defaults merged in."""

    __slots__ = ()
    # preference: Preference | None = None
    # concurrency: Any = None
    # concurrency_explicit: bool = False


def _intrinsic(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and len(value) == 1
        and isinstance(next(iter(value)), str)
        and (next(iter(value)) == "Ref" or next(iter(value)).startswith("Fn::"))
    )


def _no_value(value: Any) -> bool:
    return value == {"Ref": "AWS::NoValue"}


def template_defaults(template: Mapping[str, Any], resolver: Resolver) -> dict[str, Any]:
    """The template-level `DeploymentPreference` / `ProvisionedConcurrency` (may be absent)."""
    options = metadata_of(template, ())
    defaults = {key: options[key] for key in (PREFERENCE, CONCURRENCY) if key in options}
    path: Path = ("Metadata", METADATA_KEY, PREFERENCE)
    if PREFERENCE in defaults:
        if not isinstance(defaults[PREFERENCE], dict):
            raise TransformError("must be a mapping.", path=path, hint=_PREFERENCE_HINT)
        _fields(
            defaults[PREFERENCE], path, "", template, resolver
        )  # report its errors at its own path
    if CONCURRENCY in defaults:
        _concurrency(
            defaults[CONCURRENCY], ("Metadata", METADATA_KEY, CONCURRENCY), template, resolver
        )
    return defaults


def explicit_settings(resource: Mapping[str, Any], function_id: str) -> bool:
    """Whether the function itself sets either option (they then need an alias)."""
    options = metadata_of(resource, ("Resources", function_id))
    return PREFERENCE in options or CONCURRENCY in options


def alias_settings(
    function_id: str,
    resource: Mapping[str, Any],
    defaults: Mapping[str, Any],
    template: Mapping[str, Any],
    is_hook: bool,
    resolver: Resolver,
) -> AliasSettings:
    """The function's merged, validated settings. Hook functions ignore the template-level
    `DeploymentPreference`: CodeDeploy calls them by name, so shifting their own alias
    gradually would only slow every deployment down."""
    base: Path = ("Resources", function_id, "Metadata", METADATA_KEY)
    options = metadata_of(resource, ("Resources", function_id))
    own = options.get(PREFERENCE)
    if own is not None and not isinstance(own, dict):
        raise TransformError("must be a mapping.", path=(*base, PREFERENCE), hint=_PREFERENCE_HINT)
    default = None if is_hook else defaults.get(PREFERENCE)
    merged = {**(default or {}), **(own or {})} if (own is not None or default) else None
    preference = None
    if merged is not None:
        where: Path = (
            (*base, PREFERENCE) if own is not None else ("Metadata", METADATA_KEY, PREFERENCE)
        )
        preference = _preference(
            merged, where, function_id, template, resolver, explicit=own is not None
        )
    if CONCURRENCY in options:
        concurrency = _concurrency(options[CONCURRENCY], (*base, CONCURRENCY), template, resolver)
        explicit = True
    elif CONCURRENCY in defaults:
        path: Path = ("Metadata", METADATA_KEY, CONCURRENCY)
        concurrency = _concurrency(defaults[CONCURRENCY], path, template, resolver)
        explicit = False
    else:
        concurrency, explicit = None, False
    return AliasSettings(preference, concurrency, explicit)


_PREFERENCE_HINT = (
    "write it as SAM's DeploymentPreference, e.g. {Type: Canary10Percent5Minutes, "
    "Alarms: [!Ref MyAlarm], Hooks: {PreTraffic: !Ref MyHookFunction}}."
)


def _boolean(value: Any, path: Path, resolver: Resolver) -> bool:
    """A literal, or an intrinsic the parameter values decide (`!Ref EnableCanary`)."""
    if _intrinsic(value):
        value = resolver.resolve(value)
    if isinstance(value, bool):
        return value
    if value in ("true", "True", "false", "False"):
        return value in ("true", "True")
    raise TransformError(
        "must be true or false.",
        path=path,
        hint="write true or false, or !Ref a parameter whose value is true or false.",
    )


def _fields(
    raw: Mapping[str, Any], path: Path, function_id: str, template: Mapping, resolver: Resolver
) -> dict:
    """Every field present, validated; absent ones as None."""
    check_keys(raw, PREFERENCE_KEYS, path)
    return {
        "enabled": _boolean(raw.get("Enabled", True), (*path, "Enabled"), resolver),
        "type": _type(raw["Type"], (*path, "Type")) if "Type" in raw else None,
        "alarms": _alarms(raw.get("Alarms"), (*path, "Alarms")),
        "hooks": _hooks(raw.get("Hooks"), (*path, "Hooks"), function_id, template),
        "triggers": _triggers(raw.get("TriggerConfigurations"), (*path, "TriggerConfigurations")),
        "role": _role(raw.get("Role"), (*path, "Role")),
        "passthrough_condition": _boolean(
            raw.get("PassthroughCondition", True), (*path, "PassthroughCondition"), resolver
        ),
    }


def _preference(
    raw: Mapping[str, Any],
    path: Path,
    function_id: str,
    template: Mapping[str, Any],
    resolver: Resolver,
    explicit: bool,
) -> Preference | None:
    fields = _fields(raw, path, function_id, template, resolver)
    if not fields.pop("enabled"):
        return None
    if fields["type"] is None:
        raise TransformError(
            "has no Type.",
            path=path,
            hint=f"set Type to one of {', '.join(PREDEFINED_TYPES)}, or to the name of (or a "
            "!Ref to) your own AWS::CodeDeploy::DeploymentConfig.",
        )
    return Preference(**fields, explicit=explicit)


def _type(value: Any, path: Path) -> Any:
    if isinstance(value, str) and 0 < len(value) <= MAX_CONFIG_NAME:
        return value
    if _intrinsic(value):
        return value
    raise TransformError(
        f"must be a deployment configuration name of 1-{MAX_CONFIG_NAME} characters, or an "
        "intrinsic function that gives one.",
        path=path,
        hint=f"use one of {', '.join(PREDEFINED_TYPES)}, a custom config's name, or "
        "!Ref MyDeploymentConfig.",
    )


def _alarms(value: Any, path: Path) -> Any:
    if value is None or _no_value(value):
        return None
    if isinstance(value, dict) and len(value) == 1 and "Fn::If" in value:
        args = value["Fn::If"]
        if not (isinstance(args, list) and len(args) == 3 and isinstance(args[0], str)):
            raise TransformError("Fn::If needs [condition, value, value].", path=path)
        _alarms(args[1], (*path, "Fn::If", 1))
        _alarms(args[2], (*path, "Fn::If", 2))
        return value
    if not isinstance(value, list):
        raise TransformError(
            "must be a list of CloudWatch alarm names.",
            path=path,
            hint="write Alarms: [!Ref MyAlarm], even for a single alarm.",
        )
    for index, alarm in enumerate(value):
        if not (isinstance(alarm, str) and alarm) and not _intrinsic(alarm):
            raise TransformError(
                "must be an alarm name or an intrinsic function such as !Ref MyAlarm.",
                path=(*path, index),
            )
    if len(value) > MAX_ALARMS:
        raise TransformError(
            f"lists {len(value)} alarms; CodeDeploy allows {MAX_ALARMS} per deployment group.",
            path=path,
            hint="combine them with an AWS::CloudWatch::CompositeAlarm.",
        )
    return value


def _hooks(
    value: Any, path: Path, function_id: str, template: Mapping[str, Any]
) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise TransformError(
            "must be a mapping with PreTraffic and/or PostTraffic.",
            path=path,
            hint="write Hooks: {PreTraffic: !Ref MyHookFunction}.",
        )
    unknown = sorted(str(key) for key in value if key not in HOOK_KEYS)
    if unknown:
        raise TransformError(
            f"unknown hook(s) {', '.join(unknown)}.", path=path, hint="use PreTraffic, PostTraffic."
        )
    found = []
    for key in HOOK_KEYS:
        if key in value:
            found.append((key, hook_function(value[key], (*path, key), function_id, template)))
    return tuple(found)


def hook_function(value: Any, path: Path, function_id: str, template: Mapping[str, Any]) -> str:
    """The logical ID of the hook: it must be `!Ref` to an AWS::Lambda::Function of the
    template, so the macro can grant it and CodeDeploy the permissions a hook needs."""
    resources = template.get("Resources") or {}
    name = value.get("Ref") if isinstance(value, dict) and len(value) == 1 else None
    target = resources.get(name) if isinstance(name, str) else None
    if not (isinstance(target, dict) and target.get("Type") == FUNCTION):
        raise TransformError(
            "must be !Ref to an AWS::Lambda::Function of this template.",
            path=path,
            hint="define the hook function in the same template and write !Ref HookFunction.",
        )
    if name == function_id:
        raise TransformError(
            "names the function being deployed; a function cannot be its own hook.",
            path=path,
            hint="write a separate hook function that tests the new version.",
        )
    return name  # type: ignore[return-value]


def _triggers(value: Any, path: Path) -> Any:
    if value is None or _intrinsic(value):
        return value
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise TransformError(
            "must be a list of trigger configurations.",
            path=path,
            hint="write [{TriggerName: ..., TriggerTargetArn: !Ref Topic, TriggerEvents: [...]}].",
        )
    return value


def _role(value: Any, path: Path) -> Any:
    if value is None or (isinstance(value, str) and value.startswith("arn:")) or _intrinsic(value):
        return value
    raise TransformError(
        "must be an IAM role ARN or an intrinsic function that gives one.",
        path=path,
        hint="write Role: !GetAtt MyCodeDeployRole.Arn, or leave it out to get a role.",
    )


def _concurrency(value: Any, path: Path, template: Mapping[str, Any], resolver: Resolver) -> Any:
    """The number of provisioned instances: a positive integer, resolved from parameters
    and conditions where it is an intrinsic (`!If [IsProd, 1, !Ref AWS::NoValue]`). None
    when it is 0 or `AWS::NoValue`: no provisioned concurrency (Lambda's minimum is 1,
    https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html).
    A `!Ref` to a parameter whose value is not known here stays for CloudFormation."""
    resolved = setting_resolver(resolver)(value)
    if resolved is None and value is not None:
        return None
    if isinstance(resolved, str) and resolved.lstrip("-").isdigit() and resolved.isascii():
        resolved = int(resolved)
    if isinstance(resolved, int) and not isinstance(resolved, bool):
        if resolved < 0:
            raise TransformError(
                "is negative.",
                path=path,
                hint="write a positive integer, or 0 (or !Ref AWS::NoValue) for none.",
            )
        if resolved == 0:
            return None
        return value if _parameter_ref(value, template) else resolved  # keep !Ref Param
    if _parameter_ref(value, template):
        return value  # a value CloudFormation knows and the macro does not
    raise TransformError(
        "must be a positive integer, or an intrinsic that parameters and conditions resolve "
        "to one (0 or AWS::NoValue for none).",
        path=path,
        hint="write ProvisionedConcurrency: 5, !Ref MyConcurrencyParameter, or "
        "!If [IsProd, 5, !Ref AWS::NoValue].",
    )


def _parameter_ref(value: Any, template: Mapping[str, Any]) -> bool:
    parameters = template.get("Parameters")
    name = value.get("Ref") if isinstance(value, dict) and len(value) == 1 else None
    return isinstance(name, str) and isinstance(parameters, dict) and name in parameters
