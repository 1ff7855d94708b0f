"""Which version each function gets, and the resources that carry it.

For every function the macro versions (not opted out): its options, the earlier versions
it takes over (takeover.py), its content hash (hashing.py), its `<Fn>Version<10 hex>` and
the alias invokers go to (a followed alias, or the macro's `<Fn>Alias<Name>`).
`VersionPlan.resources` is the template's Resources built from that: each function
stamped, its earlier versions gone, the macro's version and alias next to it, and every
reference to an earlier version, and SAM's `<Fn>.Alias` / `<Fn>.Version`, pointed at the
macro's (renames.py).

Hashes see the template as it will be: when a value a hash covers names a renamed
resource (another function's environment holds an earlier version's ARN, say), the hashes
are computed again on the placed resources until no version ID changes, so that running
the macro on its own output changes nothing. That takes one round per function in such a
chain; a chain that never settles is a cycle CloudFormation would refuse too.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping

from ..context import TransformContext
from ..errors import TransformError
from ..notes import Note
from ..template.options import FunctionOptions, function_options, template_alias_name
from ..template.renames import referenced, renamed, renamed_resources
from ..template.validate import check_nesting
from ..versioning import stamp
from ..versioning.hashing import version_digest
from ..versioning.identity import MAX_CHAIN
from ..versioning.logical_ids import MAX_LOGICAL_ID, alias_id, version_id
from ..versioning.resolve import Resolver
from ..versioning.settings import setting_resolver, text_resolver
from .existing import existing_versions
from .references import Target
from .retention import RETAIN, RETAIN_EXCEPT_ON_CREATE, retained_functions
from .takeover import Takeover, take_over, takeover_note

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FUNCTION = "AWS::Lambda::Function"
SAM_NAMES = {"Alias": "alias", "Version": "version"}  # SAM's `<Fn>.Alias`, `<Fn>.Version`


class Planned(namedtuple("Planned", ("options", "takeover", "digest", "target", "earlier"))):
    """One versioned function: FunctionOptions, Takeover, its digest (10 hex), its Target,
    and the earlier versions' create-only settings its digest covers (a dict)."""

    __slots__ = ()


class VersionPlan(namedtuple("VersionPlan", ("functions", "renames", "resolver", "resources"))):
    """The versions of one template."""

    __slots__ = ()
    # functions: dict[str, Planned]  every function the macro versions, in template order
    # renames: dict[str, str]  earlier version -> macro's version; `Fn.Alias` -> alias and
    #   `Fn.Version` -> version (renames.py)
    # resolver: Resolver  the one the digests were computed with
    # resources: dict[str, Any]  the Resources with the versions placed (see the module)

    @property
    def targets(self) -> dict[str, Target]:
        return {function_id: planned.target for function_id, planned in self.functions.items()}

    def notes(self, source: Mapping[str, Any]) -> list[Note]:
        """One note per function whose earlier versions were taken over, and one per
        Description the stamp cut, or that may exceed 256 characters once resolved
        (stamp.py). `source`: the Resources the plan was made from (the user's own
        Descriptions, before any cut)."""
        found = []
        for function_id, planned in self.functions.items():
            note = takeover_note(
                function_id, planned.takeover, planned.target.version_id, planned.options.alias_name
            )
            if note is not None:
                found.append(note)
            description = (source[function_id].get("Properties") or {}).get("Description")
            path = ("Resources", function_id, "Properties", "Description")
            found += stamp.notes(description, self.resolver.resolve, path)
        return found


def plan_versions(
    template: Mapping[str, Any],
    context: TransformContext,
    resolver: Resolver | None = None,
    references: list[Any] | None = None,
) -> VersionPlan:
    """The versions of a checked template (validate.check_template); raises TransformError.
    `resolver` and `references` (the template's Ref, GetAtt and Sub mappings): what the
    caller has already; both are made here otherwise."""
    resources: Mapping[str, Any] = template["Resources"]
    resolver = resolver or Resolver(template, context)
    setting = setting_resolver(resolver)  # option values may be intrinsics
    default_alias = template_alias_name(template, context.default_alias_name, setting)
    options = {
        logical_id: function_options(logical_id, resource, default_alias, setting)
        for logical_id, resource in resources.items()
        if resource.get("Type") == FUNCTION
    }
    versioned = [logical_id for logical_id, option in options.items() if option.enabled]
    existing = existing_versions(resources, versioned) if versioned else {}
    takeovers = {
        function_id: take_over(
            function_id,
            resources[function_id],
            existing.get(function_id),
            resources,
            options[function_id].alias_name,
        )
        for function_id in versioned
    }
    if references is None:
        references = []
        check_nesting(template, references)
    named = _sam_names_used(template, options, references)
    plan = _plan(resources, resolver, options, takeovers, named, {})
    if not plan.renames:
        return _retaining(plan._replace(resources=_placed(resources, plan)), context)
    moving: list[str] = []
    for _ in range(MAX_CHAIN + 1):
        staged = _placed(resources, plan)
        resolver = Resolver({**template, "Resources": staged}, context)
        again = _plan(staged, resolver, options, takeovers, named, plan.renames)
        moving = sorted(
            function_id
            for function_id, planned in again.functions.items()
            if planned.digest != plan.functions[function_id].digest
        )
        if not moving:
            return _retaining(again, context)  # resources `staged`, with these very digests
        plan = again
    raise TransformError(
        f"the versions of {', '.join(moving[:5])} depend on each other's published versions "
        "in a cycle, so their content hashes never settle.",
        path=("Resources", moving[0]),
        hint="break the cycle: a function cannot depend on its own published version.",
    )


def _plan(
    resources: Mapping[str, Any],
    resolver: Resolver,
    options: Mapping[str, FunctionOptions],
    takeovers: Mapping[str, Takeover],
    named: set[str],
    renames: Mapping[str, str],
) -> VersionPlan:
    """Digests and targets over `resources`. The renames: earlier versions replaced by
    another logical ID, and the SAM names in `named`. `renames` of the round before are
    applied to the settings the earlier versions carry over, as the placed version holds
    them."""
    functions: dict[str, Planned] = {}
    new_renames: dict[str, str] = {}
    for function_id, takeover in takeovers.items():
        option = options[function_id]
        properties = resources[function_id].get("Properties") or {}
        locked = renamed(takeover.locked, renames) if renames else takeover.locked
        try:
            digest = version_digest(properties, resolver, option.salt, function_id, locked)
        except TransformError as error:
            raise TransformError(
                error.problem, path=("Resources", function_id, "Properties"), hint=error.hint
            ) from None
        target = Target(
            function_id=function_id,
            alias_id=takeover.alias_id or alias_id(function_id, option.alias_name),
            alias_name=takeover.alias_name if takeover.alias_id else option.alias_name,
            version_id=version_id(function_id, digest),
        )
        functions[function_id] = Planned(option, takeover, digest, target, locked)
        for replaced in takeover.replaced:
            if replaced != target.version_id:
                new_renames[replaced] = target.version_id
        for key, new_id in (("Alias", target.alias_id), ("Version", target.version_id)):
            if f"{function_id}.{key}" in named:
                new_renames[f"{function_id}.{key}"] = new_id
    return VersionPlan(functions, new_renames, resolver, resources)


def _sam_names_used(
    template: Mapping[str, Any], options: Mapping[str, FunctionOptions], references: list[Any]
) -> set[str]:
    """SAM's `<Fn>.Alias` / `<Fn>.Version` names the template uses; raises TransformError
    for one of a function the macro does not version."""
    if not options or not references:
        return set()
    names = {f"{function_id}.{key}" for function_id in options for key in SAM_NAMES}
    used = referenced(references, names)
    resources: Mapping[str, Any] = template["Resources"]
    for name in sorted(used):
        function_id, _, key = name.partition(".")
        if options[function_id].enabled:
            continue
        where = next(
            (
                ("Resources", logical_id)
                for logical_id, resource in resources.items()
                if _names(resource, name)
            ),
            ("Outputs",),
        )
        raise TransformError(
            f"references {name}, SAM's name for the {SAM_NAMES[key]} of {function_id}, but "
            f"{function_id} is not versioned (Metadata: {{VersionAlias: {{Enabled: false}}}}).",
            path=where,
            hint=f"remove Enabled: false from {function_id}, or reference {function_id} itself.",
        )
    return used


def _names(resource: Any, name: str) -> bool:
    """Whether one resource references `name` (for an error's path)."""
    found: list[Any] = []
    check_nesting({"Resource": resource}, found)
    return bool(referenced(found, (name,)))


# -- the resources ------------------------------------------------------------------------
def _placed(resources: Mapping[str, Any], plan: VersionPlan) -> dict[str, Any]:
    """The Resources with each function stamped, its earlier versions gone and the macro's
    version (and alias, unless one is followed) right after it; references renamed."""
    replaced = {
        logical_id
        for planned in plan.functions.values()
        for logical_id in planned.takeover.replaced
    }
    taken = set(resources) - replaced
    output: dict[str, Any] = {}
    for logical_id, resource in resources.items():
        if logical_id in replaced:
            continue
        planned = plan.functions.get(logical_id)
        if planned is None:
            output[logical_id] = resource
            continue
        target = planned.target
        _claim(target, planned.takeover, taken)
        output[logical_id] = _stamped(logical_id, resource, planned.digest, plan.resolver)
        output[target.version_id] = _version(logical_id, resource, planned.takeover)
        if planned.takeover.alias_id is None:
            output[target.alias_id] = _alias(target, resource)
    return renamed_resources(output, plan.renames) if plan.renames else output


def _retaining(plan: VersionPlan, context: TransformContext) -> VersionPlan:
    """The plan with `DeletionPolicy: Retain` on the versions a Lambda@Edge association
    names (retention.py), read from the placed resources, where every spelling of a version
    (a hand-written one taken over, SAM's `Fn.Version`) already names the macro's."""
    text = text_resolver(plan.resolver)
    retained = retained_functions(plan.resources, context.region, context.account_id, text)
    if not retained:
        return plan
    resources = dict(plan.resources)
    for function_id in retained & set(plan.functions):
        version_id = plan.functions[function_id].target.version_id
        resources[version_id] = {**resources[version_id], "DeletionPolicy": RETAIN}
    return plan._replace(resources=resources)


def _claim(target: Target, takeover: Takeover, taken: set[str]) -> None:
    """Never overwrite a user's resource, and stay within CloudFormation's ID length."""
    generated = [target.version_id] if takeover.alias_id else [target.version_id, target.alias_id]
    for new_id in generated:
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


def _stamped(
    function_id: str, resource: Mapping[str, Any], digest: str, resolver: Resolver
) -> dict:
    properties = resource.get("Properties") or {}
    new_properties = dict(properties)
    new_properties["Description"] = stamp.apply(
        properties.get("Description"),
        digest,
        resolver.resolve,
        ("Resources", function_id, "Properties", "Description"),
    )
    stamped = dict(resource)
    stamped["Properties"] = new_properties
    return stamped


def _carried(resource: Mapping[str, Any]) -> dict[str, Any]:
    return {"Condition": resource["Condition"]} if "Condition" in resource else {}


def _version(function_id: str, function: Mapping[str, Any], takeover: Takeover) -> dict:
    """The macro's version; an earlier version's properties and DependsOn carry over."""
    version: dict[str, Any] = {"Type": "AWS::Lambda::Version", **_carried(function)}
    if takeover.depends_on:
        depends_on = list(takeover.depends_on)
        version["DependsOn"] = depends_on[0] if len(depends_on) == 1 else depends_on
    version["DeletionPolicy"] = RETAIN_EXCEPT_ON_CREATE  # Retain for Lambda@Edge: _retaining
    version["UpdateReplacePolicy"] = "Retain"
    version["Properties"] = {"FunctionName": {"Ref": function_id}, **takeover.properties}
    return version


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
