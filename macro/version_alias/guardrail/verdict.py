"""What the guardrail decides about one stack's template: the `$LATEST` sites it flags.

The template is the one the user submitted (request.py): no transform has run on it.
How it is judged depends on its `Transform`:

- it lists the macro and nothing else: the macro's pure core runs on it first, with the
  request's region and account (the request carries no parameter values: parameters take
  their Default, as in `version-alias check` without `--parameters`), and the checker
  looks at the result, so only what the macro leaves on `$LATEST` counts;
- it lists the macro with SAM or another transform the hook cannot run: the macro will
  version every function of the processed template, so only callers of functions outside
  the template (literal ARNs) count; the same when the core refuses the template here;
- it does not list the macro: the checker looks at the template as submitted. For a SAM
  template that is its explicit resources; the event sources SAM generates from a
  function's `Events` are not in the submitted template (`version-alias check` runs SAM
  and sees them), and the answer says so.

The checker and its catalog are the ones `version-alias check` and rule W9350 use.
"""

from __future__ import annotations

from typing import NamedTuple

from ..context import TransformContext
from ..errors import TransformError
from ..invokers.checker import Finding, check
from ..transform import transform

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SAM = "AWS::Serverless-2016-10-31"
AS_SUBMITTED = "as submitted"
AFTER_MACRO = "after {macro}"
EXTERNAL_ONLY = "as submitted, callers of functions outside the template only"


class Evaluation(NamedTuple):
    """The guardrail's findings on one template.

    judged: how the template was read (one of the phrases above, `{macro}` unfilled);
    notes: what the hook could not see, for the message; transforms: the names the
    template lists; resources: how many resources the submitted template has."""

    findings: tuple[Finding, ...]
    judged: str
    notes: tuple[str, ...]
    transforms: tuple[str, ...]
    resources: int


def transforms_of(template: dict[str, Any]) -> list[str]:
    """The transform names a template lists, in order (`Transform` is a name, a list of
    names, or `{Name: ..., Parameters: ...}` items)."""
    declared = template.get("Transform")
    if declared is None:
        return []
    items = declared if isinstance(declared, list) else [declared]
    return [item if isinstance(item, str) else str(_name(item)) for item in items]


def _name(item: Any) -> Any:
    return item.get("Name", item) if isinstance(item, dict) else item


def evaluate(template: dict[str, Any], macro: str, region: str, account_id: str) -> Evaluation:
    """The findings on a submitted template (see the module docstring)."""
    declared = transforms_of(template)
    resources = template.get("Resources")
    count = len(resources) if isinstance(resources, dict) else 0
    listed = macro in declared
    not_run = [name for name in declared if name != macro]
    notes: list[str] = []
    if listed and not not_run:
        context = TransformContext(region or "us-east-1", account_id or "123456789012")
        try:
            processed = transform(template, context)
        except TransformError as error:
            notes.append(
                f"{macro}'s core refused the template here, without the stack's parameter "
                f"values ({error}); judged as if {macro} versions every function"
            )
        else:
            return Evaluation(tuple(check(processed)), AFTER_MACRO, (), tuple(declared), count)
    if listed:
        if not_run:
            notes.append(f"not run here: {', '.join(not_run)}")
        external = tuple(finding for finding in check(template) if finding.external)
        return Evaluation(external, EXTERNAL_ONLY, tuple(notes), tuple(declared), count)
    if SAM in declared:
        notes.append(
            f"the event sources {SAM} generates from a function's Events are not in the "
            "submitted template: `version-alias check` sees them in CI"
        )
    others = [name for name in not_run if name != SAM]
    if others:
        notes.append(f"not run here: {', '.join(others)}")
    return Evaluation(tuple(check(template)), AS_SUBMITTED, tuple(notes), tuple(declared), count)
