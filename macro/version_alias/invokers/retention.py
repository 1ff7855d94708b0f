"""Which functions' published versions must outlive a rolled-back update.

Versions get `DeletionPolicy: RetainExceptOnCreate`: every version that ever served stays
(callers and rollbacks may still use it), and one created by an update that rolled back is
deleted, so the retry does not fail with "A version for this Lambda function exists"
(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html).
Catalog sites marked `retain` say where that deletion itself would fail: a version
associated with CloudFront (Lambda@Edge) has replicas, and Lambda refuses to delete it
until CloudFront removes them, hours later. Versions of functions named there keep
`Retain`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..data.tables import sites_by_type
from ..template.dependencies import referenced_names
from ..template.names import build_index, value_function
from .problems import named_functions
from .sites import site_values

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..template.names import Resolve

RETAIN, RETAIN_EXCEPT_ON_CREATE = "Retain", "RetainExceptOnCreate"
FUNCTION = "AWS::Lambda::Function"


def retained_functions(
    resources: Mapping[str, Any],
    region: str | None = None,
    account: str | None = None,
    resolve: Resolve | None = None,
) -> set[str]:
    """Functions named at a `retain` site (a CloudFront Lambda@Edge association)."""
    kinds = {kind for kind, sites in sites_by_type().items() if any(s.retain for s in sites)}
    if not any(resource.get("Type") in kinds for resource in resources.values()):
        return set()  # the common case: no index to build
    functions = [name for name, resource in resources.items() if resource["Type"] == FUNCTION]
    index = build_index(resources, functions, region, account, resolve)
    versions = _versions(resources, index)
    found: set[str] = set()
    for resource in resources.values():
        properties = resource.get("Properties") if isinstance(resource, dict) else None
        if not isinstance(properties, dict):
            continue
        for site in sites_by_type().get(resource.get("Type"), ()):  # type: ignore[arg-type]
            if site.retain:
                for _, value in site_values(site, properties):
                    found |= named_functions(value, index)
                    found |= {
                        versions[name] for name in referenced_names(value) if name in versions
                    }
    return found


def _versions(resources: Mapping[str, Any], index: Any) -> dict[str, str]:
    """AWS::Lambda::Version logical ID -> its function, for the template's own versions (an
    edge association may name a hand-written version, or the macro's from an earlier run)."""
    found = {}
    for name, resource in resources.items():
        if isinstance(resource, dict) and resource.get("Type") == "AWS::Lambda::Version":
            properties = resource.get("Properties") or {}
            function_id = value_function(properties.get("FunctionName"), index)
            if function_id is not None:
                found[name] = function_id
    return found
