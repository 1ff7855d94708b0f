"""What is wrong with one invocation site: it runs `$LATEST`, or names a missing alias.

The checker reports these problems for every site of a template; the rewriter asks the
same question of each site it rewrote, and notes the ones it could not fix, so `check` on
rendered output finds only what `render` already warned about.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Mapping

from ..data.tables import InvocationSite
from ..template import paths
from ..template.names import LATEST, FunctionIndex, mentions, value_function, value_text
from ..template.validate import MAX_NESTING as MAX_DEPTH
from .sites import condition_holds, current_qualifier, site_values

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

RUNS_LATEST = "latest"  # the site invokes the unqualified function or `:$LATEST`
MISSING_ALIAS = "missing-alias"  # the site names an alias the template does not create
EXPORTED = "exported"  # an Outputs export hands the unqualified function to importers


class Problem(namedtuple("Problem", ("message", "function_id", "kind"), defaults=(RUNS_LATEST,))):
    """One way a value invokes something other than the alias.

    message: str; function_id: the template's function, or None for a function outside
    the template; kind: RUNS_LATEST, MISSING_ALIAS or EXPORTED.
    """

    __slots__ = ()


def site_problems(
    site: InvocationSite,
    properties: Mapping[str, Any],
    index: FunctionIndex,
    opted_out: frozenset[str] = frozenset(),
) -> Iterator[tuple[paths.Path, Problem]]:
    """(path under Properties, problem) for every problem at one catalog site."""
    if site.accepts == "qualifier":
        yield from _qualifier_problems(site, properties, index, opted_out)
        return
    for path, value in site_values(site, properties):
        for problem in problems(value, index, opted_out):
            yield path, problem


def _qualifier_problems(
    site: InvocationSite,
    properties: Mapping[str, Any],
    index: FunctionIndex,
    opted_out: frozenset[str],
) -> Iterator[tuple[paths.Path, Problem]]:
    if site.function_path is None or not condition_holds(site.when, site.path, properties, ()):
        return
    qualifier = current_qualifier(site, properties, index)
    path = tuple(paths.parse(site.path))
    named = [
        value_function(value, index) for _, value in paths.match(properties, site.function_path)
    ]
    function_id = next(filter(None, named), None)
    if qualifier == LATEST:
        yield path, Problem("the qualifier is $LATEST; use an alias name.", function_id)
        return
    if function_id is None or function_id in opted_out:
        return
    if qualifier is None:
        yield (
            path,
            Problem(
                f"no qualifier: {site.function_path} names function {function_id}, "
                "so $LATEST is invoked; set the alias name.",
                function_id,
            ),
        )
    elif isinstance(qualifier, str) and _missing_alias(function_id, qualifier, index):
        yield path, _missing_alias_problem(function_id, qualifier)


def problems(
    value: Any, index: FunctionIndex, opted_out: frozenset[str] = frozenset(), depth: int = 0
) -> list[Problem]:
    """Each way a site value invokes `$LATEST` or a missing alias (empty when it does
    neither). A Problem's function ID is None for a function outside the template."""
    if depth > MAX_DEPTH:
        return []
    function_id = value_function(value, index)
    if function_id is not None:
        if function_id in opted_out:
            return []
        return [Problem(_runs_latest(function_id), function_id)]
    text, variables, sub = value_text(value)
    if text is not None:
        found = _text_problems(text, index, variables, sub, opted_out)
        for item in (variables or {}).values():
            # A variable that is not itself a function may hide one (an Fn::If part).
            if value_function(item, index) is None:
                found.extend(problems(item, index, opted_out, depth + 1))
        return found
    found: list[Problem] = []
    if isinstance(value, dict):
        parts = paths.if_parts(value)
        if parts is not None:
            branches = list(parts[1:])
        elif len(value) == 1 and "Fn::If" in value:
            branches = []  # a malformed Fn::If: CloudFormation rejects it
        else:
            branches = list(value.values())
        for branch in branches:
            found.extend(problems(branch, index, opted_out, depth + 1))
    elif isinstance(value, list):
        for item in value:
            found.extend(problems(item, index, opted_out, depth + 1))
    return found


def _runs_latest(function_id: str) -> str:
    return f"invokes $LATEST of function {function_id}; point it at an alias."


def _text_problems(
    text: str,
    index: FunctionIndex,
    variables: Mapping[str, Any] | None,
    sub: bool,
    opted_out: frozenset[str],
) -> list[Problem]:
    found: list[Problem] = []
    latest_reported = False
    for mention in mentions(text, index, variables, sub):
        if not mention.invokes:
            continue
        if mention.function_id in opted_out:
            latest_reported = latest_reported or mention.qualifier == LATEST
            continue
        if mention.qualifier not in (None, LATEST):
            if mention.function_id is not None and _missing_alias(
                mention.function_id, mention.qualifier, index
            ):
                found.append(_missing_alias_problem(mention.function_id, mention.qualifier))
            continue
        latest_reported = latest_reported or mention.qualifier == LATEST
        if mention.function_id is not None:
            found.append(Problem(_runs_latest(mention.function_id), mention.function_id))
        elif mention.literal_arn:
            found.append(
                Problem("a literal Lambda function ARN without a qualifier invokes $LATEST.", None)
            )
        elif mention.qualifier == LATEST:
            found.append(Problem("the Lambda ARN ends in :$LATEST; use an alias.", None))
    if not latest_reported and f":{LATEST}" in text:
        found.append(Problem("names :$LATEST; use an alias.", None))
    return found


def _missing_alias(function_id: str, qualifier: str, index: FunctionIndex) -> bool:
    """An alias name (not a version number, not a placeholder) that the template creates
    for no alias of the function. Unknown when the index lists no aliases."""
    if index.aliases is None or qualifier.isdigit() or "${" in qualifier or qualifier == LATEST:
        return False
    return qualifier not in index.aliases.get(function_id, ())


def _missing_alias_problem(function_id: str, qualifier: str) -> Problem:
    return Problem(
        f"names alias {qualifier} of function {function_id}, which this template does not "
        "create; unless it is made elsewhere, the deploy fails or the caller is cut off.",
        function_id,
        MISSING_ALIAS,
    )


def named_functions(value: Any, index: FunctionIndex) -> set[str]:
    """Functions a site value invokes on `$LATEST` or on an alias the template creates:
    the ones the macro points at the alias (a caller of that function)."""
    found = {
        problem.function_id for problem in problems(value, index) if problem.kind == RUNS_LATEST
    }
    text, variables, sub = value_text(value)
    if text is not None and index.aliases is not None:
        for mention in mentions(text, index, variables, sub):
            if mention.function_id in index.aliases and mention.qualifier in index.aliases.get(
                mention.function_id, ()
            ):
                found.add(mention.function_id)
    found.discard(None)
    return found  # type: ignore[return-value]
