"""Property-based tests of the handler: whatever the template, CloudFormation gets an answer.

Profile `ci` runs in `make test`; `make fuzz` runs the same properties with >= 10,000
examples each (HYPOTHESIS_PROFILE=fuzz, see conftest.py), except cfn-lint on the input
and the output, which takes about a second an example: `LINT_EXAMPLES` of them (300 under
`make fuzz`, the issue's floor).
"""

from __future__ import annotations

import copy
import json
import os
from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from invariants import (
    dangling_references,
    enabled_functions,
    generated_ids,
    identity_policies_naming_aliases,
    kept_on_purpose,
    qualifier_holders,
    retained_versions,
    unnoted,
    unqualified_invocations,
    versions_and_aliases,
)
from lint_diff import added_errors
from strategies import event, junk_templates, parameter_values, valid_templates
from version_alias.context import TransformContext
from version_alias.errors import TransformError
from version_alias.handler import handle
from version_alias.invokers.checker import check
from version_alias.transform import process
from version_alias.versioning.resolve import Resolver
from version_alias.versioning.stamp import bounds


def _answer(response: Any, request_id: str = "req-1") -> None:
    """The part of the macro contract that holds for every input."""
    assert isinstance(response, dict)
    assert response["status"] in ("success", "failure")
    assert response["requestId"] == request_id
    if response["status"] == "failure":
        assert isinstance(response["errorMessage"], str)
        assert response["errorMessage"].strip()
    else:
        assert isinstance(response["fragment"], dict)
        json.dumps(response["fragment"])  # what the Lambda runtime does with it


@st.composite
def valid_events(draw: st.DrawFn) -> dict[str, Any]:
    template = draw(valid_templates())
    return event(template, draw(parameter_values(template)))


@given(junk_templates())
def test_junk_always_gets_an_answer(template: Any) -> None:
    _answer(handle(event(template)))


@given(st.one_of(st.none(), st.integers(), st.text(), st.lists(st.none())), junk_templates())
def test_malformed_events_get_an_answer(junk: Any, template: Any) -> None:
    _answer(handle(junk), request_id="")
    broken = event(template)
    broken["templateParameterValues"] = junk
    _answer(handle(broken))


@given(valid_events())
def test_valid_templates_hold_every_property(macro_event: dict[str, Any]) -> None:
    before = copy.deepcopy(macro_event)
    first = handle(macro_event)
    _answer(first)
    assert macro_event == before, "the handler mutated its input"
    assert first["status"] == "success", first.get("errorMessage")
    assert handle(copy.deepcopy(macro_event)) == first, "not deterministic"

    output = first["fragment"]
    again = handle({**macro_event, "fragment": output})
    assert again["status"] == "success", again.get("errorMessage")
    assert again["fragment"] == output, "not idempotent"

    template = macro_event["fragment"]
    functions = enabled_functions(template)
    counts = versions_and_aliases(output)
    for function_id in functions:
        assert counts.get(function_id) == (1, 1), function_id
    assert set(counts) == functions
    assert dangling_references(output) == []

    # What render accepts, CloudFormation deploys: `check` on the output finds only the
    # sites the macro warned about, and so does an independent walk of the catalog
    # (permissions may stay with a caller kept on the function on purpose).
    context = TransformContext(
        macro_event["region"], macro_event["accountId"], macro_event["templateParameterValues"]
    )
    processed = process(template, context)
    assert processed.template == output
    assert unnoted(check(output, context), processed.notes) == []
    noted = {note.location for note in processed.notes}
    kept = kept_on_purpose(output, functions)
    for location, function_id in unqualified_invocations(output, functions):
        permission = (
            output["Resources"][location.split(".")[1]]["Type"] == "AWS::Lambda::Permission"
        )
        assert location in noted or (permission and function_id in kept), location

    # Every resource the macro writes or rewrites is valid and ordered.
    assert identity_policies_naming_aliases(output) == []
    edge = retained_versions(output)
    for version_id in generated_ids(output, "AWS::Lambda::Version"):
        policy = output["Resources"][version_id]["DeletionPolicy"]
        assert policy in ("Retain", "RetainExceptOnCreate")
        assert version_id not in edge or policy == "Retain", version_id
    before = Counter(qualifier_holders(template))
    for key, count in Counter(qualifier_holders(output)).items():
        assert count == 1 or count <= before[key], key
    resolver = Resolver(output, context)
    for function_id in counts:
        description = output["Resources"][function_id]["Properties"].get("Description")
        text = resolver.resolve(description)
        location = f"Resources.{function_id}.Properties.Description"
        assert not isinstance(text, str) or len(text) <= 256 or location in noted
        assert bounds(text)[0] <= 256, location  # never certain to fail the deploy


LINT_EXAMPLES = 300 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 10


@settings(max_examples=LINT_EXAMPLES)
@given(valid_events())
def test_what_render_accepts_adds_no_cfn_lint_error(macro_event: dict[str, Any]) -> None:
    """cfn-lint on the output reports no error that it does not report on the input
    (errors keyed by rule and the first four parts of their path: the property)."""
    template = macro_event["fragment"]
    context = TransformContext(
        macro_event["region"], macro_event["accountId"], macro_event["templateParameterValues"]
    )
    try:
        output = process(template, context).template
    except TransformError:
        return
    assert added_errors(template, output, depth=4) == []
