"""The field cases in ../shared/field/: what render accepts, CloudFormation deploys.

For every case, a successful render adds no cfn-lint error to what the macro received,
and `check` on the output finds only sites render warned about. The cases of issue 13
also get a test each that says what the user needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from invariants import unnoted
from lint_diff import added_errors
from version_alias.cli.support.artifacts import ArtifactOptions
from version_alias.cli.support.pipeline import TEMPLATE_ERRORS, Rendered, RenderOptions, render
from version_alias.cli.support.template_io import load_template
from version_alias.context import TransformContext
from version_alias.invokers.checker import check

FIELD = Path(__file__).resolve().parents[2] / "shared" / "field"
CASES = sorted(FIELD.glob("*.yaml")) if FIELD.is_dir() else []


def rendered(name: str, **parameters: Any) -> Rendered:
    path = FIELD / name
    if not path.is_file():
        pytest.skip(f"field case {name} not found in {FIELD}")
    context = TransformContext(parameter_values=parameters)
    options = RenderOptions(artifacts=ArtifactOptions(allow_missing=True))
    return render(load_template(str(path)), context, path.parent, options)


def resources(result: Rendered) -> dict[str, Any]:
    return result.template["Resources"]


@pytest.mark.parametrize("path", [pytest.param(path, id=path.name) for path in CASES])
def test_what_render_accepts_lints_clean_and_checks_clean(path: Path) -> None:
    """Render success implies: no cfn-lint error added, and `check` on the output finds
    nothing render did not warn about, at that very path."""
    try:
        result = rendered(path.name)
    except TEMPLATE_ERRORS:
        return  # a refusal with a message is the other allowed outcome
    assert added_errors(result.pre_macro, result.template) == []
    assert unnoted(check(result.template), result.notes) == []


# -- sns-joined-endpoint.yaml --------------------------------------------------------------
def test_sns_endpoint_joined_by_hand_and_its_permission_both_move_to_the_alias() -> None:
    out = resources(rendered("sns-joined-endpoint.yaml"))
    endpoint = out["Trigger"]["Properties"]["Subscription"][0]["Endpoint"]
    assert endpoint == {"Ref": "PublishInvoicesAliaslive"}
    assert out["TopicPermission"]["Properties"]["FunctionName"] == endpoint


def test_sns_endpoint_joined_from_another_stage_value_names_the_same_function() -> None:
    """The Join and the FunctionName both follow the Stage parameter."""
    out = resources(rendered("sns-joined-endpoint.yaml", Stage="prod7"))
    endpoint = out["Trigger"]["Properties"]["Subscription"][0]["Endpoint"]
    assert endpoint == out["TopicPermission"]["Properties"]["FunctionName"]
    assert endpoint == {"Ref": "PublishInvoicesAliaslive"}


# -- hook-role-grants-alias.yaml -----------------------------------------------------------
def test_hook_role_that_grants_the_alias_by_string_gets_no_alias_reference() -> None:
    result = rendered("hook-role-grants-alias.yaml")
    role = resources(result)["HookRole"]
    statement = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]
    assert statement["Resource"] == {"Fn::Sub": "${CheckoutFunction.Arn}:live"}
    assert "DependsOn" not in role
    assert added_errors(result.pre_macro, result.template) == []  # no E3004 cycle


# -- event-invoke-config-latest-and-live.yaml ----------------------------------------------
def test_event_invoke_config_on_latest_is_left_next_to_the_one_on_the_alias() -> None:
    result = rendered("event-invoke-config-latest-and-live.yaml")
    out = resources(result)
    assert out["ProcessorAsyncConfig"]["Properties"]["Qualifier"] == "$LATEST"
    assert out["ProcessorAsyncConfigLive"]["Properties"]["Qualifier"] == "live"
    # The rest of the $LATEST config still moves: its destination is the follower's alias.
    destination = out["ProcessorAsyncConfig"]["Properties"]["DestinationConfig"]["OnSuccess"]
    assert destination["Destination"] == {"Ref": "FollowerAliaslive"}
    (note,) = [note for note in result.notes if note.path[1] == "ProcessorAsyncConfig"]
    assert note.location == "Resources.ProcessorAsyncConfig.Properties.Qualifier"
    assert "ProcessorAsyncConfigLive" in note.message


def test_event_invoke_config_the_user_put_on_the_alias_waits_for_it() -> None:
    """`Qualifier: live` written by hand names the macro's alias: on the first deploy the
    config must not be created before it."""
    out = resources(rendered("event-invoke-config-latest-and-live.yaml"))
    assert out["ProcessorAsyncConfigLive"]["DependsOn"] == "ProcessorAliaslive"
    assert "DependsOn" not in out["ProcessorAsyncConfig"]  # left on $LATEST: no alias named


# -- description-sub-248.yaml --------------------------------------------------------------
@pytest.mark.parametrize(
    ("length", "cut"),
    [
        pytest.param(None, 19, id="field-case-248-chars"),
        pytest.param(200, 0, id="room-for-the-stamp"),
        pytest.param(229, 0, id="exactly-229"),
        pytest.param(230, 1, id="one-char-too-long"),
        pytest.param(256, 27, id="lambda-maximum-256"),
    ],
)
def test_description_from_sub_fits_256_characters_after_resolution(
    length: int | None, cut: int
) -> None:
    parameters = {} if length is None else {"Desc": "y" * (length - len(" in us-east-1"))}
    result = rendered("description-sub-248.yaml", **parameters)
    description = resources(result)["Fn"]["Properties"]["Description"]
    notes = [
        note for note in result.notes if note.location == "Resources.Fn.Properties.Description"
    ]
    if not cut:
        assert description["Fn::Join"][1][0] == {"Fn::Sub": "${Desc} in ${AWS::Region}"}
        assert notes == []
    else:
        assert isinstance(description, str)
        assert len(description) == 256
        assert description.endswith(")") and "(version-alias " in description
        # The cut is said, with how much and how to keep all of it.
        [note] = notes
        assert f"its last {cut} characters were cut" in note.message
        assert "parameter Desc" in note.hint
        assert any(f"its last {cut} characters were cut" in line for line in result.warnings)


# -- provisioned-concurrency-if-novalue.yaml -----------------------------------------------
@pytest.mark.parametrize(
    ("parameters", "order", "quote"),
    [
        pytest.param({}, None, None, id="dev-and-zero-mean-none"),
        pytest.param({"Stage": "prod"}, 1, None, id="prod-gets-one"),
        pytest.param(
            {"Stage": "prod", "WarmInstances": "3"}, 1, {"Ref": "WarmInstances"}, id="warm-3"
        ),
    ],
)
def test_provisioned_concurrency_only_where_it_resolves_to_one_or_more(
    parameters: dict[str, str], order: int | None, quote: Any
) -> None:
    out = resources(rendered("provisioned-concurrency-if-novalue.yaml", **parameters))
    for alias_id, wanted in (("OrderHandlerAliasLive", order), ("QuoteHandlerAliaslive", quote)):
        config = out[alias_id]["Properties"].get("ProvisionedConcurrencyConfig")
        expected = None if wanted is None else {"ProvisionedConcurrentExecutions": wanted}
        assert config == expected, alias_id
