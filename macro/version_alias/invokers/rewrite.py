"""Point every catalog invocation site of one resource at the alias (or version)."""

from __future__ import annotations

from collections.abc import Mapping

from ..data.tables import InvocationSite, sites_by_type
from ..errors import TransformError
from ..notes import Note
from ..template import paths
from ..template.dependencies import add_depends_on, referenced_names
from ..template.names import LATEST, FunctionIndex, build_index, value_function
from ..template.options import as_written, consumer_target
from .references import Rewrite, Target, rewrite
from .sites import condition_holds, current_qualifier, site_values

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..template.names import Resolve
    from ..template.options import Setting

__all__ = ["SiteScope", "add_depends_on", "referenced_names", "rewrite_resource", "site_scope"]
_KNOWN_TRANSFORMS = ("AWS::Serverless-2016-10-31", "VersionAlias")
FUNCTION = "AWS::Lambda::Function"


class SiteScope:
    """What a rewrite needs to know about the whole template.

    `claims` maps (resource type, function, qualifier) to the resource that holds it, for
    the catalog's `unique` qualifier sites, qualifiers compared as they deploy
    (template/qualifiers.py); the rewriter adds to it as it moves resources. `undecided`
    maps (resource type, function) to the resources of such a site whose qualifier the
    template does not decide (one of them may already hold the alias).
    """

    __slots__ = (
        "claims",
        "conditions",
        "declared",
        "index",
        "opted_out",
        "setting",
        "targets",
        "undecided",
    )

    def __init__(
        self,
        targets: Mapping[str, Target],
        index: FunctionIndex,
        declared: frozenset[str] | None = None,  # names a Ref may use; None skips the check
        opted_out: frozenset[str] = frozenset(),  # functions of the template left unversioned
        setting: Setting | None = None,  # resolves option values (versioning/settings.py)
    ) -> None:
        self.targets = targets
        self.index = index
        self.declared = declared
        self.opted_out = opted_out
        self.setting: Setting = setting or as_written
        self.claims: dict[tuple[str, str, str], str] = {}
        self.undecided: dict[tuple[str, str], list[str]] = {}
        self.conditions: Mapping[str, Any] = {}  # logical ID -> its Condition, if any

    def condition(self, logical_id: str) -> Any:
        """The Condition a resource of the template is created under (None: always)."""
        return self.conditions.get(logical_id)


def site_scope(
    template: Mapping[str, Any],
    resources: Mapping[str, Any],
    targets: Mapping[str, Target],
    region: str | None = None,
    account: str | None = None,
    resolve: Resolve | None = None,
    setting: Setting | None = None,
) -> SiteScope:
    """The scope for one template; `resources` includes the generated versions and aliases.

    Every function of the template is indexed (so that one left unversioned is still
    recognised, and left alone); with the deploy's region and account, literal ARNs of
    other ones are never ours; with `resolve`, names are compared once resolved.
    """
    functions = {
        name
        for name, resource in resources.items()
        if isinstance(resource, dict) and resource.get("Type") == FUNCTION
    }
    index = build_index(resources, functions, region, account, resolve)
    opted_out = frozenset(functions - set(targets))
    declared = None  # a later macro may still add a resource a site references
    if not _other_macros(template.get("Transform")):
        parameters = template.get("Parameters")
        names = set(resources) | (set(parameters) if isinstance(parameters, dict) else set())
        declared = frozenset(names)
    scope = SiteScope(targets, index, declared, opted_out, setting)
    scope.conditions = {
        name: resource["Condition"]
        for name, resource in resources.items()
        if isinstance(resource, dict) and "Condition" in resource
    }
    return scope


def _other_macros(declared: Any) -> bool:
    names = declared if isinstance(declared, list) else [declared] if declared else []
    return any(name not in _KNOWN_TRANSFORMS for name in names)


def rewrite_resource(
    resource_id: str,
    resource: Mapping[str, Any],
    scope: SiteScope,
    mode: str | None = None,
) -> tuple[Mapping[str, Any], list[Note]]:
    """The resource with its sites rewritten (the same object when nothing changed), and
    notes about sites it left alone. `mode` overrides the consumer's own `Target` (a
    permission follows its caller)."""
    sites = sites_by_type().get(resource.get("Type"))  # type: ignore[arg-type]
    properties = resource.get("Properties")
    if not sites or not isinstance(properties, dict):
        return resource, []
    mode = mode or consumer_target(resource_id, resource, scope.setting)
    if mode == "function":
        return resource, []
    new_properties: Any = properties
    depends_on: set[str] = set()
    notes: list[Note] = []
    for site in sites:
        job = Rewrite(scope.targets, "version" if site.accepts == "version" else mode, scope.index)
        if site.accepts == "qualifier":
            for path, value in paths.match(properties, site.function_path or ""):
                _check_declared(value, scope.declared, resource_id, path)
            new_properties = _set_qualifier(site, new_properties, job, scope, resource_id, notes)
        else:
            for path, value in site_values(site, properties):
                _check_declared(value, scope.declared, resource_id, path)
                new = rewrite(value, job)
                if new is not value:
                    new_properties = paths.replace(new_properties, path, new)
        depends_on |= job.depends_on
    if new_properties is properties:
        return resource, notes
    updated = dict(resource)
    updated["Properties"] = new_properties
    # A DependsOn on a resource that may not exist fails (cfn-lint E3005): only on an alias
    # created under the same Condition as the consumer (or under none).
    depends_on = {
        name for name in depends_on if scope.condition(name) in (None, resource.get("Condition"))
    }
    if depends_on:
        updated["DependsOn"] = add_depends_on(resource.get("DependsOn"), depends_on)
    return updated, notes


def _set_qualifier(
    site: InvocationSite,
    properties: Any,
    job: Rewrite,
    scope: SiteScope,
    resource_id: str,
    notes: list[Note],
) -> Any:
    """Sites such as EventInvokeConfig name the function and the qualifier apart."""
    if site.function_path is None or not condition_holds(site.when, site.path, properties, ()):
        return properties
    for _, value in paths.match(properties, site.function_path):
        target = job.whole(value)
        if target is None:
            continue
        current = current_qualifier(site, properties, scope.index)
        if current not in (None, LATEST, target.alias_name):
            continue  # already pinned on purpose, or not decided by the template
        qualifier = target.qualifier(job.mode)
        if qualifier is None or current == qualifier:
            continue
        if site.unique and isinstance(qualifier, str):
            note = _held(site, resource_id, scope, target, qualifier)
            if note is not None:
                notes.append(note)
                return properties
            scope.claims[(site.resource_type, target.function_id, qualifier)] = resource_id
        if job.mode != "version":
            job.depends_on.add(target.alias_id)
        return _set_path(properties, site.path, qualifier)
    return properties


def unique_claims(
    resources: Mapping[str, Any], index: FunctionIndex
) -> tuple[dict[tuple[str, str, str], str], dict[tuple[str, str], list[str]]]:
    """For every `unique` qualifier site before any rewrite: (type, function, qualifier)
    -> the resource that holds it, the qualifier as it deploys; and (type, function) ->
    the resources whose qualifier the template does not decide."""
    claims: dict[tuple[str, str, str], str] = {}
    undecided: dict[tuple[str, str], list[str]] = {}
    by_type = sites_by_type()
    for resource_id, resource in resources.items():
        properties = resource.get("Properties") if isinstance(resource, dict) else None
        if not isinstance(properties, dict):
            continue
        for site in by_type.get(resource.get("Type"), ()):  # type: ignore[arg-type]
            if not (site.unique and site.function_path):
                continue
            qualifier = current_qualifier(site, properties, index)
            for _, value in paths.match(properties, site.function_path):
                function_id = value_function(value, index)
                if function_id is None or qualifier is None:
                    continue
                if isinstance(qualifier, str):
                    claims.setdefault((site.resource_type, function_id, qualifier), resource_id)
                else:
                    undecided.setdefault((site.resource_type, function_id), []).append(resource_id)
    return claims, undecided


def _held(
    site: InvocationSite, resource_id: str, scope: SiteScope, target: Target, qualifier: str
) -> Note | None:
    """A note when another resource holds (or may hold) the qualifier for the function,
    naming both; None when this resource may take it. CloudFormation refuses a second one
    (the catalog row's `unique` source), and cfn-lint E3019 cannot compare an intrinsic."""
    key = (site.resource_type, target.function_id)
    holder = scope.claims.get((*key, qualifier))
    if holder is not None and holder != resource_id:
        return _second_holder(site, resource_id, holder, target, qualifier, decided=True)
    others = [name for name in scope.undecided.get(key, ()) if name != resource_id]
    if others:
        return _second_holder(site, resource_id, others[0], target, qualifier, decided=False)
    return None


def _second_holder(
    site: InvocationSite,
    resource_id: str,
    holder: str,
    target: Target,
    qualifier: str,
    decided: bool,
) -> Note:
    path = ("Resources", resource_id, "Properties", *paths.parse(site.path))
    keep = (
        f"merge {resource_id} into {holder} and remove it, or give it "
        "Metadata: {VersionAlias: {Target: function}} to keep it on purpose."
    )
    if decided:
        return Note(
            f"left on its qualifier: {holder} already is the {site.resource_type} of "
            f"function {target.function_id} on {qualifier}, and there can be only one.",
            path,
            keep,
        )
    return Note(
        f"left on its qualifier: {holder} is also an {site.resource_type} of function "
        f"{target.function_id}, on a qualifier the template does not decide (it may be "
        f"{qualifier}), and there can be only one per qualifier.",
        path,
        f"write the Qualifier of {holder} so that parameters decide it (a literal, a "
        "parameter, or derived from the alias resource), or " + keep,
    )


def _set_path(properties: Mapping[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    head, _, rest = dotted.partition(".")
    copy = dict(properties)
    if rest:
        inner = properties.get(head)
        copy[head] = _set_path(inner if isinstance(inner, dict) else {}, rest, value)
    else:
        copy[head] = value
    return copy


def _check_declared(
    value: Any, declared: frozenset[str] | None, resource_id: str, path: paths.Path
) -> None:
    """A site that references a missing resource would point nowhere; CloudFormation
    rejects it too ("Unresolved resource dependencies"), but only after the macro ran,
    and without saying which invocation site it was."""
    if declared is None:
        return
    for name in referenced_names(value):
        if name not in declared and not name.startswith("AWS::"):
            raise TransformError(
                f"references {name}, which is not a resource or parameter of this template.",
                path=("Resources", resource_id, "Properties", *path),
                hint=f"correct the logical ID or add the {name} resource.",
            )
