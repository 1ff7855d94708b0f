"""The pure core: `transform(template, context) -> template`. No I/O, no mutation.

For every `AWS::Lambda::Function` it adds a content-hashed `AWS::Lambda::Version` and an
`AWS::Lambda::Alias`, stamps the function's Description with the hash, and points every
invocation site of the catalog at the alias. `process` returns the same template together
with the notes (notes.py) the stages made on the way; `transform` drops them.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping

from .context import TransformContext
from .data.tables import sites_by_type
from .errors import TransformError
from .invokers.existing import existing_targets
from .invokers.iam import widen_identity_policies
from .invokers.references import Target
from .invokers.rewrite import rewrite_resource, site_scope
from .notes import Note
from .template.options import function_options, sets_alias_settings, template_alias_name
from .template.validate import check_template
from .versioning import stamp
from .versioning.hashing import version_digest
from .versioning.logical_ids import MAX_LOGICAL_ID, alias_id, version_id
from .versioning.resolve import Resolver

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FUNCTION = "AWS::Lambda::Function"
MAX_RESOURCES = 500


class Processed(namedtuple("Processed", ("template", "notes"))):
    """A processed template (dict) and the notes made on the way (tuple of Note)."""

    __slots__ = ()


def transform(template: Mapping[str, Any], context: TransformContext | None = None) -> dict:
    """The processed template. Raises TransformError for a template it cannot process."""
    return process(template, context).template


def process(template: Mapping[str, Any], context: TransformContext | None = None) -> Processed:
    """The processed template and its notes. Raises TransformError like `transform`."""
    context = context or TransformContext()
    notes: list[Note] = []
    check_template(template)
    resources: Mapping[str, Any] = template["Resources"]
    default_alias = template_alias_name(template, context.default_alias_name)
    resolver = Resolver(template, context)
    existing = existing_targets(resources)
    taken = set(resources)

    output: dict[str, Any] = {}
    targets: dict[str, Target] = {}
    for logical_id, resource in resources.items():
        if resource.get("Type") != FUNCTION:
            output[logical_id] = resource
            continue
        options = function_options(logical_id, resource, default_alias)
        if not options.enabled or logical_id in existing:
            if options.enabled:
                targets[logical_id] = existing[logical_id]
            output[logical_id] = resource
            continue
        properties = resource.get("Properties") or {}
        try:
            digest = version_digest(properties, resolver, options.salt, logical_id)
        except TransformError as error:
            raise TransformError(
                error.problem, path=("Resources", logical_id, "Properties"), hint=error.hint
            ) from None
        target = Target(
            function_id=logical_id,
            alias_id=alias_id(logical_id, options.alias_name),
            alias_name=options.alias_name,
            version_id=version_id(logical_id, digest),
        )
        _claim(target, taken)
        output[logical_id] = _stamped(resource, properties, digest)
        output[target.version_id] = _version(logical_id, resource)  # type: ignore[index]
        output[target.alias_id] = _alias(target, resource)
        targets[logical_id] = target

    if targets:
        scope = site_scope(template, output, targets, context.region, context.account_id)
        by_type = sites_by_type()
        for logical_id, resource in output.items():
            if resource["Type"] in by_type:  # one lookup; most resources have no site
                output[logical_id] = rewrite_resource(logical_id, resource, scope)
    if sets_alias_settings(template):
        # Imported here: most templates set no DeploymentPreference or ProvisionedConcurrency,
        # and the deployment stage is a tenth of the handler's import time.
        from .deployment.alias_settings import apply_alias_settings

        output = apply_alias_settings(template, output, targets, resolver)
    if targets:
        # After the CodeDeploy resources exist, so that their role is widened in the same
        # pass and a second run (CloudFormation re-runs macros) adds nothing.
        output = widen_identity_policies(output, scope)
    if len(output) > MAX_RESOURCES:
        raise TransformError(
            f"the processed template has {len(output)} resources; CloudFormation allows "
            f"{MAX_RESOURCES}.",
            hint="split the stack (nested stacks), or opt functions out with "
            "Metadata: {VersionAlias: {Enabled: false}}.",
        )
    processed = dict(template)
    processed["Resources"] = output
    return Processed(processed, tuple(notes))


def _claim(target: Target, taken: set[str]) -> None:
    """Never overwrite a user's resource, and stay within CloudFormation's ID length."""
    for new_id in (target.version_id, target.alias_id):
        assert new_id is not None
        path = ("Resources", target.function_id)
        if len(new_id) > MAX_LOGICAL_ID:
            raise TransformError(
                f"the generated logical ID {new_id[:40]}... is longer than {MAX_LOGICAL_ID} "
                "characters.",
                path=path,
                hint="shorten the function's logical ID or its alias name.",
            )
        if new_id in taken:
            raise TransformError(
                f"the generated logical ID {new_id} is already used by another resource.",
                path=path,
                hint="rename that resource, or set Metadata: {VersionAlias: {AliasName: ...}} "
                "on the function.",
            )
        taken.add(new_id)


def _stamped(resource: Mapping[str, Any], properties: Mapping[str, Any], digest: str) -> dict:
    new_properties = dict(properties)
    new_properties["Description"] = stamp.apply(properties.get("Description"), digest)
    stamped = dict(resource)
    stamped["Properties"] = new_properties
    return stamped


def _carried(resource: Mapping[str, Any]) -> dict[str, Any]:
    return {"Condition": resource["Condition"]} if "Condition" in resource else {}


def _version(function_id: str, function: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "Type": "AWS::Lambda::Version",
        **_carried(function),
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {"FunctionName": {"Ref": function_id}},
    }


def _alias(target: Target, function: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "Type": "AWS::Lambda::Alias",
        **_carried(function),
        "Properties": {
            "Name": target.alias_name,
            "FunctionName": {"Ref": target.function_id},
            "FunctionVersion": {"Fn::GetAtt": [target.version_id, "Version"]},
        },
    }
