"""What uses each version of a function, read from AWS for `version-alias prune`.

Paginated list calls only (nothing here changes AWS). botocore is imported when a call
is made, so that the other subcommands never load it. Raises NotFoundError for a function
or stack that does not exist; any other error propagates, because a version whose users
cannot be seen must not be deleted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from version_alias.cli.commands.prune_plan import (
    Alias,
    EventSourceMapping,
    Version,
    parse_last_modified,
    qualifier_of,
    unqualified,
)

LAMBDA_FUNCTION_TYPE = "AWS::Lambda::Function"


class NotFoundError(Exception):
    """The function or stack named on the command line does not exist."""


@dataclass
class FunctionUsage:
    """Everything that can pin a version of one function, as read from AWS."""

    versions: list[Version]
    aliases: list[Alias]
    provisioned: list[str]
    mappings: list[EventSourceMapping]
    url_qualifiers: list[str | None]


def _items(client: Any, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Yield every item of a paginated list call (a single page is never assumed)."""
    for page in client.get_paginator(operation).paginate(**params):
        yield from page.get(key, [])


def error_code(exc: Any) -> str:
    """The AWS error code of a botocore ClientError."""
    return str(exc.response.get("Error", {}).get("Code") or "ClientError")


def _region(client: Any) -> str:
    return str(client.meta.region_name)


def read_usage(client: Any, name: str) -> FunctionUsage:
    """Collect versions and everything that pins them for function ``name``.

    Raises NotFoundError when the function does not exist. Any other listing error
    propagates: if we cannot see what uses a version we must not delete anything.
    """
    from botocore.exceptions import ClientError  # botocore only when prune runs

    try:
        config = client.get_function_configuration(FunctionName=name)
    except ClientError as exc:
        if error_code(exc) == "ResourceNotFoundException":
            raise NotFoundError(f"function {name} not found in {_region(client)}") from exc
        raise
    function_arn = unqualified(str(config.get("FunctionArn", "")))
    versions = [
        Version(
            str(v["Version"]),
            parse_last_modified(str(v.get("LastModified", ""))),
            int(v.get("CodeSize", 0)),
        )
        for v in _items(client, "list_versions_by_function", "Versions", FunctionName=name)
    ]
    aliases = [
        Alias(
            a["Name"],
            str(a["FunctionVersion"]),
            dict((a.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}),
        )
        for a in _items(client, "list_aliases", "Aliases", FunctionName=name)
    ]
    provisioned = [
        q
        for c in _items(
            client,
            "list_provisioned_concurrency_configs",
            "ProvisionedConcurrencyConfigs",
            FunctionName=name,
        )
        if (q := qualifier_of(c.get("FunctionArn", ""))) is not None
    ]
    # Listed unfiltered: filtering by the function's name returns only the mappings of
    # the unqualified function, not those attached to one of its versions.
    mappings = [
        EventSourceMapping(m["UUID"], qualifier_of(m.get("FunctionArn", "")))
        for m in _items(client, "list_event_source_mappings", "EventSourceMappings")
        if unqualified(m.get("FunctionArn", "")) == function_arn
    ]
    urls = [
        qualifier_of(u.get("FunctionArn", ""))
        for u in _items(
            client, "list_function_url_configs", "FunctionUrlConfigs", FunctionName=name
        )
    ]
    return FunctionUsage(versions, aliases, provisioned, mappings, urls)


def stack_functions(cfn: Any, stack: str) -> list[str]:
    """Physical names of the stack's live Lambda functions (nested stacks are not searched)."""
    from botocore.exceptions import ClientError

    try:
        return [
            r["PhysicalResourceId"]
            for r in _items(cfn, "list_stack_resources", "StackResourceSummaries", StackName=stack)
            if r.get("ResourceType") == LAMBDA_FUNCTION_TYPE
            and r.get("PhysicalResourceId")
            and r.get("ResourceStatus") != "DELETE_COMPLETE"
        ]
    except ClientError as exc:
        message = str(exc.response.get("Error", {}).get("Message", ""))
        if error_code(exc) == "ValidationError" and "does not exist" in message:
            raise NotFoundError(f"stack {stack} not found in {_region(cfn)}") from exc
        raise
