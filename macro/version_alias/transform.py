"""The pure core: `transform(template, context) -> template`. No I/O, no mutation.

For every `AWS::Lambda::Function` it adds a content-hashed `AWS::Lambda::Version` and an
`AWS::Lambda::Alias`, stamps the function's Description with the hash, and points every
invocation site of the catalog at the alias. A function's earlier versions (SAM's
AutoPublishAlias, hand-written, compiled by a framework) are taken over: the macro's
version is the only one, and aliases and references follow it. `process` returns the same
template together with the notes (notes.py) the stages made on the way; `transform` drops
them.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping

from .context import TransformContext
from .errors import TransformError
from .invokers.callers import rewrite_callers
from .invokers.exports import export_notes
from .invokers.iam import widen_identity_policies
from .invokers.ordering import wait_for_aliases
from .invokers.rewrite import site_scope
from .invokers.versions import plan_versions
from .notes import Note
from .template.options import sets_alias_settings
from .template.renames import renamed_outputs
from .template.validate import check_template
from .versioning.resolve import Resolver
from .versioning.settings import setting_resolver, text_resolver

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
    references: list[Any] = []  # every Ref, GetAtt and Sub, met while checking the shape
    check_template(template, references)
    resolver = Resolver(template, context)
    # Versions: hashes, earlier versions taken over, aliases; references renamed.
    plan = plan_versions(template, context, resolver, references)
    notes: list[Note] = plan.notes(template["Resources"])
    output: dict[str, Any] = plan.resources
    targets = plan.targets

    # Also without targets: the sites left on $LATEST (of functions outside the template,
    # say) are noted all the same.
    setting, text = setting_resolver(plan.resolver), text_resolver(plan.resolver)
    scope = site_scope(template, output, targets, context.region, context.account_id, text, setting)
    output, site_notes = rewrite_callers(output, scope)
    notes += site_notes
    if sets_alias_settings(template):
        # Imported here: most templates set no DeploymentPreference or ProvisionedConcurrency,
        # and the deployment stage is a tenth of the handler's import time.
        from .deployment.alias_settings import apply_alias_settings

        output = apply_alias_settings(template, output, targets, resolver)
    if targets:
        # After the CodeDeploy resources exist, so that their role is widened in the same
        # pass and a second run (CloudFormation re-runs macros) adds nothing.
        output = widen_identity_policies(output, scope)
        output, order_notes = wait_for_aliases(output, scope, (note.path for note in notes))
        notes += order_notes
    if len(output) > MAX_RESOURCES:
        raise TransformError(
            f"the processed template has {len(output)} resources; CloudFormation allows "
            f"{MAX_RESOURCES}.",
            hint="split the stack (nested stacks), or opt functions out with "
            "Metadata: {VersionAlias: {Enabled: false}}.",
        )
    processed = dict(template)
    processed["Resources"] = output
    if plan.renames and "Outputs" in template:
        processed["Outputs"] = renamed_outputs(template["Outputs"], plan.renames)
    if targets:
        notes += export_notes(processed, scope.index, scope.opted_out)
    return Processed(processed, tuple(notes))
