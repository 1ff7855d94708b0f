"""Property-based tests of the handler: whatever the template, CloudFormation gets an answer.

Profile `ci` runs in `make test`; `make fuzz` runs the same properties with >= 10,000
examples each (HYPOTHESIS_PROFILE=fuzz, see conftest.py).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from invariants import (
    dangling_references,
    enabled_functions,
    kept_on_purpose,
    unnoted,
    unqualified_invocations,
    versions_and_aliases,
)
from strategies import event, junk_templates, parameter_values, valid_templates
from version_alias.context import TransformContext
from version_alias.handler import handle
from version_alias.invokers.checker import check
from version_alias.transform import process


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
