"""Day-2 settings on the aliases: CodeDeploy traffic shifting and provisioned concurrency.

Runs after versioning and rewriting, on the processed resources. Both settings belong on
the alias, never on the version: provisioned concurrency on a version would be lost with
every new version, and CodeDeploy shifts an alias, not a version.

Settings that come only from the template-level default give way to an alias that is
already configured (by SAM, by hand, or by an earlier run); settings written on the
function itself must agree with it or the template fails with a message. The options move
from the function's Metadata onto the alias, and every generated resource is compared
with what already holds its logical ID, so running the macro on its own output changes
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import TransformError
from ..invokers.references import Target, referenced_function
from ..invokers.rewrite import add_depends_on
from ..template.options import METADATA_KEY, metadata_of
from ..versioning.logical_ids import MAX_LOGICAL_ID
from ..versioning.resolve import Resolver
from . import codedeploy
from .options import (
    CONCURRENCY,
    FUNCTION,
    HOOK_KEYS,
    PREFERENCE,
    AliasSettings,
    Preference,
    alias_settings,
    explicit_settings,
    template_defaults,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ROLE = "AWS::IAM::Role"


def apply_alias_settings(
    template: Mapping[str, Any],
    output: dict[str, Any],
    targets: Mapping[str, Target],
    resolver: Resolver,
) -> dict[str, Any]:
    """`output` with alias settings applied and CodeDeploy resources added (a new dict)."""
    resources: Mapping[str, Any] = template["Resources"]
    defaults = template_defaults(template, resolver)
    hook_ids = _named_hooks(resources, defaults)
    placed = dict(output)
    plan = _Plan()
    for function_id, resource in resources.items():
        if resource.get("Type") != FUNCTION:
            continue
        is_hook = function_id in hook_ids
        settings = alias_settings(function_id, resource, defaults, template, is_hook, resolver)
        target = targets.get(function_id)
        if target is None:
            _require_alias(function_id, resource, settings)
            continue
        placed[function_id] = _consumed(placed[function_id], settings)
        alias = _with_concurrency(placed[target.alias_id], settings, function_id)
        preference = settings.preference
        if preference is not None and _wants_update_policy(
            resources.get(target.alias_id), function_id, preference
        ):
            alias = _deployed(alias, function_id, resources, preference, resolver, placed, plan)
        placed[target.alias_id] = alias
    _place_shared(placed, plan, resources, resolver)
    return placed


class _Plan:
    """What the deployment groups of this template share."""

    __slots__ = ("generated_role", "groups", "hooks", "role_hooks")

    def __init__(self) -> None:
        self.groups = 0
        self.generated_role = False
        self.role_hooks: set[str] = set()
        self.hooks: set[str] = set()


def _deployed(
    alias: Mapping[str, Any],
    function_id: str,
    resources: Mapping[str, Any],
    preference: Preference,
    resolver: Resolver,
    placed: dict[str, Any],
    plan: _Plan,
) -> dict[str, Any]:
    """The alias with its UpdatePolicy; the deployment group placed and `plan` updated."""
    updated = dict(alias)
    updated["UpdatePolicy"] = {
        **(alias.get("UpdatePolicy") or {}),
        **codedeploy.update_policy(function_id, preference),
    }
    function = resources[function_id]
    condition = function.get("Condition") if preference.passthrough_condition else None
    group = codedeploy.deployment_group(preference, resolver, condition)
    _place(placed, codedeploy.deployment_group_id(function_id), group, function_id)
    plan.groups += 1
    hooks = [hook for _, hook in preference.hooks]
    plan.hooks.update(hooks)
    if preference.role is None:
        plan.generated_role = True
        plan.role_hooks.update(hooks)
    return _depends_on_hook_policies(updated, hooks, resources)


def _place_shared(
    placed: dict[str, Any], plan: _Plan, resources: Mapping[str, Any], resolver: Resolver
) -> None:
    """The application, the service role and the hook policies, once per template."""
    if not plan.groups:
        return
    _place(placed, codedeploy.APPLICATION_ID, codedeploy.application(), None)
    if plan.generated_role:
        role = codedeploy.service_role(sorted(plan.role_hooks), resolver.context.partition)
        _place(placed, codedeploy.SERVICE_ROLE_ID, role, None)
    for hook_id in sorted(plan.hooks):
        role_id = hook_role(resources, hook_id)
        if role_id is not None:
            policy = codedeploy.hook_policy(hook_id, role_id, resources[hook_id].get("Condition"))
            _place(placed, codedeploy.hook_policy_id(hook_id), policy, hook_id)


def update_policy_hooks(resource: Any) -> list[str] | None:
    """Hook function IDs of an alias's CodeDeployLambdaAliasUpdate; None without one."""
    if not isinstance(resource, dict) or resource.get("Type") != "AWS::Lambda::Alias":
        return None
    update = (resource.get("UpdatePolicy") or {}).get("CodeDeployLambdaAliasUpdate")
    if not isinstance(update, dict):
        return None
    found = []
    for key in codedeploy.HOOK_ATTRIBUTES.values():
        value = update.get(key)
        if isinstance(value, dict) and isinstance(value.get("Ref"), str):
            found.append(value["Ref"])
    return found


def _consumed(function: Mapping[str, Any], settings: AliasSettings) -> Mapping[str, Any]:
    """The function without the options the alias now carries.

    They often name an alarm that watches this very function, and a `Ref` in Metadata is
    a dependency for CloudFormation: kept, it would close a cycle. A disabled preference
    stays (as `Enabled: false`) so that a second run does not apply the template default.
    """
    metadata = function.get("Metadata")
    options = metadata.get(METADATA_KEY) if isinstance(metadata, dict) else None
    if not isinstance(options, dict) or not (PREFERENCE in options or CONCURRENCY in options):
        return function
    kept = {key: value for key, value in options.items() if key not in (PREFERENCE, CONCURRENCY)}
    if PREFERENCE in options and settings.preference is None:
        kept[PREFERENCE] = {"Enabled": False}
    new_metadata = {key: value for key, value in metadata.items() if key != METADATA_KEY}
    if kept:
        new_metadata[METADATA_KEY] = kept
    updated = {key: value for key, value in function.items() if key != "Metadata"}
    if new_metadata:
        updated["Metadata"] = new_metadata
    return updated


def _named_hooks(resources: Mapping[str, Any], defaults: Mapping[str, Any]) -> set[str]:
    """Functions named as a hook anywhere; validated later, where the preference is read."""
    blocks = [defaults.get(PREFERENCE)]
    for function_id, resource in resources.items():
        if resource.get("Type") == FUNCTION:
            blocks.append(metadata_of(resource, ("Resources", function_id)).get(PREFERENCE))
    found: set[str] = set()
    for resource in resources.values():
        found.update(update_policy_hooks(resource) or ())
    for block in blocks:
        hooks = block.get("Hooks") if isinstance(block, dict) else None
        if isinstance(hooks, dict):
            for key in HOOK_KEYS:
                value = hooks.get(key)
                if isinstance(value, dict) and isinstance(value.get("Ref"), str):
                    found.add(value["Ref"])
    return found


def hook_role(resources: Mapping[str, Any], hook_id: str) -> str | None:
    """The hook's execution role when it is a role of this template, else None (the CLI
    then reminds the user to allow `codedeploy:PutLifecycleEventHookExecutionStatus`)."""
    properties = resources[hook_id].get("Properties") or {}
    role_id = referenced_function(properties.get("Role"))  # Ref, GetAtt .Arn or ${X.Arn}
    role = resources.get(role_id) if role_id else None
    if isinstance(role, dict) and role.get("Type") == ROLE:
        return role_id
    return None


def _require_alias(function_id: str, resource: Mapping[str, Any], settings: AliasSettings) -> None:
    if not explicit_settings(resource, function_id):
        return
    if settings.preference is None and settings.concurrency is None:
        return
    raise TransformError(
        f"sets {PREFERENCE} or {CONCURRENCY}, which need an alias, but the function is not "
        "versioned.",
        path=("Resources", function_id, "Metadata", METADATA_KEY),
        hint="remove Enabled: false, or remove those options.",
    )


def _with_concurrency(alias: Mapping[str, Any], settings: AliasSettings, function_id: str) -> Any:
    if settings.concurrency is None:
        return alias
    import copy  # here, not at the top: only ProvisionedConcurrency needs it (import time)

    wanted = {"ProvisionedConcurrentExecutions": copy.deepcopy(settings.concurrency)}
    properties = alias.get("Properties") or {}
    current = properties.get("ProvisionedConcurrencyConfig")
    if current == wanted:
        return alias
    if current is not None:
        if not settings.concurrency_explicit:
            return alias  # configured elsewhere; the template-level default gives way
        raise TransformError(
            "sets ProvisionedConcurrency, but the function's alias already has a different "
            "ProvisionedConcurrencyConfig.",
            path=("Resources", function_id, "Metadata", METADATA_KEY, CONCURRENCY),
            hint="configure provisioned concurrency in one place only.",
        )
    updated = dict(alias)
    updated["Properties"] = {**properties, "ProvisionedConcurrencyConfig": wanted}
    return updated


def _wants_update_policy(existing: Any, function_id: str, preference: Preference) -> bool:
    """False when an alias of the input already deploys with CodeDeploy (SAM's
    DeploymentPreference, or a previous run) and only the template default asks."""
    current = None
    if isinstance(existing, dict):
        current = (existing.get("UpdatePolicy") or {}).get("CodeDeployLambdaAliasUpdate")
    if current is None:
        return True
    if not preference.explicit:
        return False
    wanted = codedeploy.update_policy(function_id, preference)["CodeDeployLambdaAliasUpdate"]
    if current == wanted:
        return True
    raise TransformError(
        f"sets {PREFERENCE}, but the function's alias already has a different "
        "CodeDeployLambdaAliasUpdate (SAM's DeploymentPreference?).",
        path=("Resources", function_id, "Metadata", METADATA_KEY, PREFERENCE),
        hint="configure the deployment in one place only.",
    )


def _depends_on_hook_policies(
    alias: dict[str, Any], hooks: list[str], resources: Mapping[str, Any]
) -> dict[str, Any]:
    """The deployment must not start before the hook may report its result."""
    needed = {
        codedeploy.hook_policy_id(hook)
        for hook in hooks
        if hook_role(resources, hook) is not None
        and resources[hook].get("Condition") in (None, alias.get("Condition"))
    }
    if needed:
        alias["DependsOn"] = add_depends_on(alias.get("DependsOn"), needed)
    return alias


def _place(
    placed: dict[str, Any], logical_id: str, resource: dict[str, Any], owner: str | None
) -> None:
    """Add a generated resource; the same resource already there (a second run) is fine."""
    path = ("Resources", owner) if owner else ("Resources",)
    if len(logical_id) > MAX_LOGICAL_ID:
        raise TransformError(
            f"the generated logical ID {logical_id[:40]}... is longer than {MAX_LOGICAL_ID} "
            "characters.",
            path=path,
            hint="shorten the function's logical ID.",
        )
    if logical_id in placed and placed[logical_id] != resource:
        raise TransformError(
            f"the generated logical ID {logical_id} is already used by another resource.",
            path=path,
            hint="rename that resource, or configure CodeDeploy in one place only (the "
            "macro's DeploymentPreference or SAM's, not both).",
        )
    placed[logical_id] = resource
