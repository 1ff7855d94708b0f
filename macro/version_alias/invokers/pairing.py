"""Which callers an `AWS::Lambda::Permission` authorises, so that both end on one qualifier.

A permission on the alias does not let a caller invoke the unqualified function, nor the
other way round (Lambda AddPermission: "a qualified permission covers only that alias",
https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html). So a permission
follows the callers it serves: the rewriter moves it with them, and the checker does not
report a permission whose callers all stay on the function on purpose.

A permission's callers are, in this order:
- for a function URL permission (`lambda:InvokeFunctionUrl`, `FunctionUrlAuthType` or
  `InvokedViaFunctionUrl`): the `AWS::Lambda::Url` resources of the function;
- the callers its `SourceArn` names, or that reference a resource its `SourceArn` names
  (an API's methods for `arn:...:${Api}/*`);
- otherwise the callers of the service its `Principal` names (`sns.amazonaws.com` for
  `AWS::SNS::*`).
A permission none of these find keeps the default: it moves to the alias.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..data.tables import sites_by_type
from ..template import paths
from ..template.dependencies import referenced_names
from ..template.names import FunctionIndex, value_function
from .problems import named_functions
from .sites import site_values

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PERMISSION = "AWS::Lambda::Permission"
URL = "AWS::Lambda::Url"
_LAMBDA_TYPES = "AWS::Lambda::"  # destinations and event source mappings use roles
_URL_ACTION = "lambda:invokefunctionurl"


def callers(resources: Mapping[str, Any], index: FunctionIndex) -> dict[str, list[str]]:
    """function -> the resources (other than permissions) with a catalog site that invokes
    it on `$LATEST` or on one of its aliases, in template order."""
    found: dict[str, list[str]] = {}
    by_type = sites_by_type()
    for resource_id, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") == PERMISSION:
            continue
        properties = resource.get("Properties")
        sites = by_type.get(resource.get("Type"))  # type: ignore[arg-type]
        if not sites or not isinstance(properties, dict):
            continue
        named: set[str] = set()
        for site in sites:
            if site.accepts == "qualifier":
                for _, value in paths.match(properties, site.function_path or ""):
                    named.add(value_function(value, index))  # type: ignore[arg-type]
            else:
                for _, value in site_values(site, properties):
                    named |= named_functions(value, index)
        for function_id in sorted(name for name in named if name):
            found.setdefault(function_id, []).append(resource_id)
    return found


def permission_function(permission: Mapping[str, Any], index: FunctionIndex) -> str | None:
    """The function a permission names unqualified, or None."""
    properties = permission.get("Properties")
    if not isinstance(properties, dict):
        return None
    return value_function(properties.get("FunctionName"), index)


def paired_callers(
    permission: Mapping[str, Any],
    function_id: str,
    resources: Mapping[str, Any],
    found: Mapping[str, list[str]],
    index: FunctionIndex,
) -> list[str]:
    """The callers of `function_id` (from `callers`) that the permission authorises."""
    properties = permission.get("Properties")
    properties = properties if isinstance(properties, dict) else {}
    candidates = found.get(function_id, [])
    if _for_url(properties, index):
        return [name for name in candidates if _type(resources, name) == URL]
    candidates = [
        name for name in candidates if not _type(resources, name).startswith(_LAMBDA_TYPES)
    ]
    source = {
        name for name in referenced_names(properties.get("SourceArn")) if name in resources
    } - index.ids
    if source:
        named = [
            name
            for name in candidates
            if name in source or source & set(referenced_names(resources[name].get("Properties")))
        ]
        if named:
            return named
    services = _principal_services(properties.get("Principal"), index)
    return [name for name in candidates if _service(_type(resources, name)) in services]


def _type(resources: Mapping[str, Any], name: str) -> str:
    kind = resources[name].get("Type") if isinstance(resources.get(name), dict) else None
    return kind if isinstance(kind, str) else ""


def _for_url(properties: Mapping[str, Any], index: FunctionIndex) -> bool:
    if "FunctionUrlAuthType" in properties:
        return True
    via_url = properties.get("InvokedViaFunctionUrl")
    if via_url is True or str(via_url).lower() == "true":
        return True
    action = _text(properties.get("Action"), index)
    return action is not None and action.lower() == _URL_ACTION


def _text(value: Any, index: FunctionIndex) -> str | None:
    if isinstance(value, str):
        return value
    return index.resolve(value) if index.resolve else None  # type: ignore[return-value]


def _service(resource_type: str) -> str:
    """`AWS::ApiGatewayV2::Api` -> "apigatewayv2"."""
    parts = resource_type.split("::")
    return parts[1].lower() if len(parts) == 3 else ""


def _principal_services(principal: Any, index: FunctionIndex) -> set[str]:
    """The resource-type services a service principal stands for: `sns.amazonaws.com` ->
    sns; `logs.eu-west-1.amazonaws.com` -> logs; `cognito-idp` -> cognito; `apigateway`
    -> apigateway and apigatewayv2 (a label and a service match when one starts with the
    other)."""
    text = _text(principal, index)
    if text is None or ".amazonaws.com" not in text:
        return set()
    labels = [label.replace("-", "") for label in text.split(".amazonaws.com")[0].split(".")]
    services = {_service(site_type) for site_type in sites_by_type()}
    return {
        service
        for service in services
        for label in labels
        if label and service and (service.startswith(label) or label.startswith(service))
    }
