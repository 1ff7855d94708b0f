"""Warnings about what the macro did, computed by comparing the template before and after.

The core returns only the processed template (no I/O, no side channel), so everything
worth telling the user is derived here, from the two templates, by pure functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...deployment.alias_settings import hook_role, update_policy_hooks
from ...deployment.codedeploy import SERVICE_ROLE_ID

URL = "AWS::Lambda::Url"


def url_note(urls: list[str]) -> str:
    """The warning for function URLs whose target changes (TargetFunctionArn and Qualifier
    are create-only: CloudFormation replaces the URL, and its address changes)."""
    return (
        f"function URL(s) {', '.join(urls)} now invoke the alias. On a stack that already "
        "has them, CloudFormation replaces each URL and its address changes: update every "
        "client (or custom domain) that calls it."
    )


def notes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Warnings about CodeDeploy hooks for a render of `before` into `after`, each at most
    once. Function URLs moved to the alias are `moved_urls` (the caller decides whether
    the deployed stack already had them on the alias)."""
    found = []
    outside = hooks_with_outside_roles(after)
    if outside:
        found.append(
            f"deployment hook function(s) {', '.join(outside)} run with a role that is not in "
            "this template; allow it codedeploy:PutLifecycleEventHookExecutionStatus, or "
            "every deployment waits for the hook and then rolls back."
        )
    own_roles = groups_with_own_roles_and_hooks(after)
    if own_roles:
        found.append(
            f"deployment group(s) {', '.join(own_roles)} use your own CodeDeploy Role and run "
            "hooks; that role must allow lambda:InvokeFunction on the hook functions (the "
            "AWS managed policy only covers functions named CodeDeployHook_*)."
        )
    return found


def _resources(template: Mapping[str, Any]) -> Mapping[str, Any]:
    resources = template.get("Resources")
    return resources if isinstance(resources, dict) else {}


def moved_urls(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Function URLs whose target differs between two templates, in logical-ID order: the
    macro's input and output (the URLs the macro points at the alias), or the deployed
    and the new template (the URLs a deploy replaces). A URL new in `after` replaces
    nothing."""
    old, new = _resources(before), _resources(after)
    return sorted(
        logical_id
        for logical_id, resource in new.items()
        if isinstance(resource, dict)
        and resource.get("Type") == URL
        and isinstance(old.get(logical_id), dict)
        and _target(old[logical_id]) != _target(resource)
    )


def _target(resource: Mapping[str, Any]) -> tuple[Any, Any]:
    properties = resource.get("Properties")
    properties = properties if isinstance(properties, dict) else {}
    return properties.get("TargetFunctionArn"), properties.get("Qualifier")


def _deployments(resources: Mapping[str, Any]) -> list[tuple[Any, list[str]]]:
    """(deployment group name, hook function IDs) for every alias deployed by CodeDeploy."""
    found = []
    for resource in resources.values():
        hooks = update_policy_hooks(resource)
        if hooks is not None:
            group = resource["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"]
            found.append(
                (group.get("DeploymentGroupName"), [hook for hook in hooks if hook in resources])
            )
    return found


def hooks_with_outside_roles(after: Mapping[str, Any]) -> list[str]:
    """Hook functions named by an alias UpdatePolicy whose role the macro could not grant."""
    resources = _resources(after)
    hooks = {hook for _, found in _deployments(resources) for hook in found}
    return sorted(hook for hook in hooks if hook_role(resources, hook) is None)


def groups_with_own_roles_and_hooks(after: Mapping[str, Any]) -> list[str]:
    """Deployment groups of this template that run hooks under a role the user supplied."""
    resources = _resources(after)
    found = set()
    for group, hooks in _deployments(resources):
        group_id = _ref(group)
        properties = (resources.get(group_id) or {}).get("Properties") or {}
        role = properties.get("ServiceRoleArn")
        if hooks and group_id and role != {"Fn::GetAtt": [SERVICE_ROLE_ID, "Arn"]}:
            found.add(group_id)
    return sorted(found)


def _ref(value: Any) -> str | None:
    name = value.get("Ref") if isinstance(value, dict) else None
    return name if isinstance(name, str) else None
