"""Identity policies that let a caller invoke a function must also cover its alias.

Once an invocation site points at the alias, the caller (a Step Functions, Scheduler,
Pipes, AppSync or API Gateway role...) invokes a *qualified* ARN, and Lambda denies that
when the caller's policy names only the unqualified one. So wherever an Allow (or Deny)
statement grants an invoke action on a function of the template (in any spelling
template/names.py recognises, and through IAM patterns such as
`arn:aws:lambda:*:<account>:function:<name>`), the same resource followed by `:*` (every
qualifier of that function: `${Fn.Arn}:*` for `!GetAtt Fn.Arn`) is added next to it. A
wildcard rather than `!Ref Alias`: it gives the role no dependency on the alias, which
would be circular for a CodeDeploy hook whose role the alias waits for, and it also covers
consumers pinned to the version (`Target: version`) and hooks that test the new version
before the alias moves. Nothing is ever removed, statements that already reach the alias
(`${Fn.Arn}:live`, `!Ref Alias`, `function:name*`) are left as they are, and a second run
adds nothing.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from ..data.tables import identity_policy_documents
from ..template import paths
from ..template.names import mentions, pattern_functions, sub_text, value_function, value_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Invoking through an alias needs these on the alias ARN. InvokeFunctionUrl counts because
# function URLs move to the alias too (the Url's Qualifier).
INVOKE_ACTIONS = ("lambda:invokefunction", "lambda:invokefunctionurl")


def widen_identity_policies(resources: dict[str, Any], scope: Any) -> dict[str, Any]:
    """`resources` with invoke grants widened to the aliases; unchanged ones are shared.

    `scope` is a rewrite.SiteScope (targets and the function index).
    """
    out = resources
    for logical_id, resource in resources.items():
        pattern = identity_policy_documents().get(resource.get("Type"))
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
    patterns = _patterns(action)
    return any(_matched(name, patterns) for name in INVOKE_ACTIONS)


def covers_invoke(statement: dict[str, Any]) -> bool:
    """Whether the statement's actions include an invoke: an `Action` that matches one, or
    a `NotAction` that leaves one out (`NotAction: iam:*` covers every Lambda action). A
    NotAction that is not plain strings is not guessed at."""
    if "Action" in statement:
        return grants_invoke(statement["Action"])
    if "NotAction" not in statement:
        return False
    excluded = statement["NotAction"]
    listed = excluded if isinstance(excluded, list) else [excluded]
    if not all(isinstance(item, str) for item in listed):
        return False
    patterns = _patterns(listed)
    return not all(_matched(name, patterns) for name in INVOKE_ACTIONS)


def _patterns(action: Any) -> list[str]:
    actions = [action] if isinstance(action, str) else action if isinstance(action, list) else []
    return [item.lower() for item in actions if isinstance(item, str)]


def _matched(name: str, patterns: list[str]) -> bool:
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def _widen_statement(statement: Any, scope: Any) -> Any:
    """Allow and Deny, Resource and NotResource alike: the qualified twin goes next to the
    function wherever it is named, so the statement means for the alias what it meant for
    the function. A Deny on the unqualified ARN alone would stop blocking callers of the
    alias; a NotResource that excludes only the unqualified ARN would start to cover the
    alias (an Allow would grant it, a Deny would block it)."""
    if not isinstance(statement, dict) or statement.get("Effect") not in ("Allow", "Deny"):
        return statement
    if not covers_invoke(statement):
        return statement
    widened = statement
    for key in ("Resource", "NotResource"):
        if key in statement:
            items = _widened_items(statement[key], scope)
            if items is not None:
                widened = {**widened, key: items}
    return widened


def _widened_items(original: Any, scope: Any) -> list[Any] | None:
    """The resource list with each versioned function's twin after it; None if unchanged."""
    items = original if isinstance(original, list) else [original]
    out: list[Any] = []
    for item in items:
        out.append(item)
        counterpart = _qualified_counterpart(item, items, scope)
        if counterpart is not None and counterpart not in items and counterpart not in out:
            out.append(counterpart)
    return None if len(out) == len(items) else out


def _qualified_counterpart(item: Any, items: list[Any], scope: Any) -> Any:
    """The twin that grants every qualifier of the function `item` names, or None.

    The twin is the item's own spelling followed by `:*` (`!GetAtt Fn.Arn` becomes
    `${Fn.Arn}:*`): it adds no dependency the statement did not have. A reference to the
    alias resource would make the role wait for the alias, which is circular when the
    alias waits for the role (a CodeDeploy hook's), and an ARN spelled from a literal name
    must not turn into a reference to a function whose own role this may be. Nothing is
    added when the statement already covers the alias (by `!Ref Alias`, by a string such as
    `${Fn.Arn}:live`, or by a pattern such as `function:name*`)."""
    if isinstance(item, dict) and len(item) == 1 and "Fn::If" in item:
        return _counterpart_in_branches(item["Fn::If"], items, scope)
    matched = pattern_functions(item, scope.index)
    if matched:
        uncovered = [
            function_id
            for function_id, covered in matched
            if not covered and function_id in scope.targets
        ]
        if not uncovered or any(_covers_alias(other, uncovered, items, scope) for other in items):
            return None
        return _with_any_qualifier(item)
    function_id = value_function(item, scope.index)
    if function_id is None or function_id not in scope.targets:
        return None
    if _covers_alias(item, [function_id], items, scope):
        return None
    text, _, _ = value_text(item)
    if text is not None and not text.startswith("arn:"):
        # `${Fn.Arn}` in Sub text, or a name where IAM wants an ARN: the function's ARN.
        return {"Fn::Sub": "${" + function_id + ".Arn}:*"} if text.startswith("${") else None
    if text is None:
        return {"Fn::Sub": "${" + function_id + ".Arn}:*"}  # Ref or GetAtt: no new dependency
    return _with_any_qualifier(item)


def _with_any_qualifier(item: Any) -> Any:
    """The item's own spelling with `:*` appended."""
    if isinstance(item, str):
        return f"{item}:*"
    text, variables, sub = sub_text(item)
    if sub and text is not None:
        return {"Fn::Sub": [f"{text}:*", variables]} if variables else {"Fn::Sub": f"{text}:*"}
    args = item.get("Fn::Join") if isinstance(item, dict) and len(item) == 1 else None
    if isinstance(args, list) and len(args) == 2 and args[0] == "" and isinstance(args[1], list):
        return {"Fn::Join": ["", [*args[1], ":*"]]}
    return {"Fn::Join": ["", [item, ":*"]]}


def _covers_alias(item: Any, function_ids: list[str], items: list[Any], scope: Any) -> bool:
    """Whether some resource of the statement already reaches the alias of one of the
    functions: `!Ref Alias`, `...:<alias>` or `...:*` after the function, or a pattern
    that covers its qualified ARNs."""
    for other in items:
        for function_id in function_ids:
            target = scope.targets[function_id]
            if other == {"Ref": target.alias_id}:
                return True
            text, variables, sub = value_text(other)
            if text is None:
                continue
            for mention in mentions(text, scope.index, variables, sub):
                if mention.function_id != function_id:
                    continue
                if mention.qualifier == target.alias_name or text[mention.end :].startswith(
                    (":*", "*")
                ):
                    return True
        if any(covered for _, covered in pattern_functions(other, scope.index)):
            return True
    return False


def _counterpart_in_branches(args: Any, items: list[Any], scope: Any) -> Any:
    """`Fn::If` with the counterpart of each branch (or `AWS::NoValue` where it has none)."""
    if not (isinstance(args, list) and len(args) == 3):
        return None
    branches = [_qualified_counterpart(branch, items, scope) for branch in args[1:]]
    if branches == [None, None]:
        return None
    no_value = {"Ref": "AWS::NoValue"}
    return {"Fn::If": [args[0], *(branch or no_value for branch in branches)]}
