"""Identity policies that let a caller invoke a function must also cover its alias.

Once an invocation site points at the alias, the caller (a Step Functions, Scheduler,
Pipes, AppSync or API Gateway role...) invokes a *qualified* ARN, and Lambda denies that
when the caller's policy names only the unqualified one. So wherever an Allow statement
grants an invoke action on a function of the template, the alias ARN is added next to
it. Nothing is ever removed, statements that already reach the alias are left as they
are, and a second run adds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase
from typing import Any

from . import paths
from .names import sub_text
from .references import Rewrite, rewrite

# Where each identity-policy resource keeps its policy documents.
POLICY_DOCUMENTS: Mapping[str, str] = {
    "AWS::IAM::Role": "Policies[*].PolicyDocument",
    "AWS::IAM::User": "Policies[*].PolicyDocument",
    "AWS::IAM::Group": "Policies[*].PolicyDocument",
    "AWS::IAM::Policy": "PolicyDocument",
    "AWS::IAM::ManagedPolicy": "PolicyDocument",
    "AWS::IAM::RolePolicy": "PolicyDocument",
}
# Invoking through an alias needs these on the alias ARN. InvokeFunctionUrl counts because
# function URLs move to the alias too (the Url's Qualifier).
INVOKE_ACTIONS = ("lambda:invokefunction", "lambda:invokefunctionurl")


def widen_identity_policies(resources: dict[str, Any], scope: Any) -> dict[str, Any]:
    """`resources` with invoke grants widened to the aliases; unchanged ones are shared.

    `scope` is a rewrite.SiteScope (targets and the function index).
    """
    out = resources
    for logical_id, resource in resources.items():
        pattern = POLICY_DOCUMENTS.get(resource.get("Type"))
        properties = resource.get("Properties")
        if pattern is None or not isinstance(properties, dict):
            continue
        new_properties = properties
        for path, document in list(paths.match(properties, pattern)):
            new_document = widen_document(document, scope)
            if new_document is not document:
                new_properties = paths.replace(new_properties, path, new_document)
        if new_properties is not properties:
            if out is resources:
                out = dict(resources)
            out[logical_id] = {**resource, "Properties": new_properties}
    return out


def widen_document(document: Any, scope: Any) -> Any:
    """The policy document with the alias ARNs added; the same object when none apply."""
    if not isinstance(document, dict):
        return document
    new = document
    statements = document.get("Statement")
    pattern = "Statement[*]" if isinstance(statements, list) else "Statement"
    for path, statement in list(paths.match(document, pattern)):
        widened = _widen_statement(statement, scope)
        if widened is not statement:
            new = paths.replace(new, path, widened)
    return new


def grants_invoke(action: Any) -> bool:
    """Whether an Action (string or list) matches lambda:InvokeFunction or InvokeFunctionUrl."""
    actions = [action] if isinstance(action, str) else action if isinstance(action, list) else []
    patterns = [item.lower() for item in actions if isinstance(item, str)]
    return any(fnmatchcase(name, pattern) for pattern in patterns for name in INVOKE_ACTIONS)


def _widen_statement(statement: Any, scope: Any) -> Any:
    if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
        return statement
    if not grants_invoke(statement.get("Action")) or "Resource" not in statement:
        return statement
    original = statement["Resource"]
    items = original if isinstance(original, list) else [original]
    out: list[Any] = []
    for item in items:
        out.append(item)
        counterpart = _alias_counterpart(item, scope)
        if counterpart is not None and counterpart not in items and counterpart not in out:
            out.append(counterpart)
    if len(out) == len(items):
        return statement
    return {**statement, "Resource": out}


def _alias_counterpart(item: Any, scope: Any) -> Any:
    """The alias ARN to grant next to `item`, or None. A resource with a wildcard
    (`${Fn.Arn}:*`, `function:name*`) already covers qualified ARNs."""
    text, _, _ = sub_text(item)
    if text is not None and "*" in text:
        return None
    job = Rewrite(scope.targets, "alias", scope.index)
    new = rewrite(item, job)
    return None if new is item else new
