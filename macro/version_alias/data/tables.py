"""The two declarative tables, loaded once: invocation sites and version-locked properties.

The data lives in `data/*.json` so that the rewriter, the `$LATEST` checker, the cfn-lint
rule and the docs all read the same rows. Adding a site is a one-line data change.
"""

from __future__ import annotations

import json
import os
from collections import namedtuple
from functools import cache

# os.path, not pathlib: pathlib alone is a third of the handler's import time.
_DATA = os.path.dirname(os.path.abspath(__file__))

ACCEPTS: tuple[str, ...] = ("alias", "qualifier", "version")


class SiteCondition(namedtuple("SiteCondition", ("path", "values", "suffixes"), defaults=((),))):
    """A site applies only when another property of the resource has a given literal value
    (`values`), or a string value ending in one of `suffixes` (an ARN in any partition).

    `path` is relative to Properties; where it shares its leading segments with the site's
    path, a wildcard there (`**` too) stands for the key or item the site matched (see
    sites.py).
    """

    __slots__ = ()
    # path: str
    # values: tuple[Any, ...]
    # suffixes: tuple[str, ...] = ()


class InvocationSite(
    namedtuple(
        "InvocationSite",
        ("resource_type", "path", "accepts", "source", "function_path", "when", "unique", "retain"),
        defaults=(None, None, None, None),
    )
):
    """One place where an AWS service invokes a Lambda function named in a template."""

    __slots__ = ()
    # resource_type: str
    # path: str
    # accepts: Literal["alias", "qualifier", "version"]  (ACCEPTS)
    # source: str
    # function_path: str | None = None
    # when: SiteCondition | None = None
    # unique: str | None = None  for a qualifier site: why one function and qualifier may
    #   have only one such resource (the AWS source); the rewriter never makes a second
    # retain: str | None = None  why the versions a site names must outlive a rolled-back
    #   update (DeletionPolicy Retain instead of RetainExceptOnCreate), with the AWS source


def _condition(raw: dict | None) -> SiteCondition | None:
    if not raw:
        return None
    if "endswith" in raw:
        return SiteCondition(path=raw["path"], values=(), suffixes=tuple(raw["endswith"]))
    values = raw["in"] if "in" in raw else [raw["equals"]]
    return SiteCondition(path=raw["path"], values=tuple(values))


def _site(raw: dict) -> InvocationSite:
    accepts = raw["accepts"]
    if accepts not in ACCEPTS:
        raise ValueError(f"invocation_sites.json: unknown accepts {accepts!r}")
    return InvocationSite(
        resource_type=raw["type"],
        path=raw["path"],
        accepts=accepts,
        source=raw["source"],
        function_path=raw.get("function"),
        when=_condition(raw.get("when")),
        unique=raw.get("unique"),
        retain=raw.get("retain"),
    )


class NotSite(
    namedtuple(
        "NotSite",
        ("path", "reason", "resource_type", "section", "when", "identity_policy"),
        defaults=(None, None, None, False),
    )
):
    """A look-alike place that is NOT an invocation site and must never be rewritten.

    `identity_policy` marks an IAM policy document (`path` ends in `.**`): never rewritten,
    but widened to the alias by invokers/iam.py, and never made to wait for an alias
    (invokers/ordering.py).
    """

    __slots__ = ()
    # path: str
    # reason: str
    # resource_type: str | None = None
    # section: str | None = None
    # when: SiteCondition | None = None
    # identity_policy: bool = False


def _not_site(raw: dict) -> NotSite:
    return NotSite(
        path=raw["path"],
        reason=raw["reason"],
        resource_type=raw.get("type"),
        section=raw.get("section"),
        when=_condition(raw.get("when")),
        identity_policy=raw.get("identity_policy", False),
    )


def load_data(name: str) -> dict:
    """One of the JSON tables in data/ (os.path, not pathlib: see _DATA)."""
    with open(os.path.join(_DATA, name), encoding="utf-8") as handle:
        return json.load(handle)


@cache
def invocation_sites() -> tuple[InvocationSite, ...]:
    """Every catalog row, in file order."""
    return tuple(_site(row) for row in load_data("invocation_sites.json")["sites"])


@cache
def not_sites() -> tuple[NotSite, ...]:
    """The catalog's look-alikes, for the tests that prove they are left alone."""
    return tuple(_not_site(row) for row in load_data("invocation_sites.json").get("not_sites", []))


@cache
def identity_policy_documents() -> dict[str, str]:
    """Where each IAM identity-policy type keeps its policy documents, as a path pattern
    under Properties: {"AWS::IAM::Role": "Policies[*].PolicyDocument", ...} (the catalog's
    `not_sites` rows marked `identity_policy`)."""
    return {
        row.resource_type: row.path.removesuffix(".**")
        for row in not_sites()
        if row.identity_policy and row.resource_type
    }


@cache
def sites_by_type() -> dict[str, tuple[InvocationSite, ...]]:
    """Catalog rows grouped by resource type, for one dictionary lookup per resource."""
    grouped: dict[str, list[InvocationSite]] = {}
    for site in invocation_sites():
        grouped.setdefault(site.resource_type, []).append(site)
    return {key: tuple(rows) for key, rows in grouped.items()}


@cache
def function_properties() -> tuple[dict[str, str], dict[str, str]]:
    """(locked, function_level): property name -> the Lambda API that sets it."""
    raw = load_data("function_properties.json")
    return dict(raw["locked"]), dict(raw["function_level"])


def is_version_locked(prop: str) -> bool:
    """Unknown properties count as locked: a spurious version is harmless, a stale one is not."""
    return prop not in function_properties()[1]
