"""CloudFormation's limits and hostile input: each ends in a failure that says what to fix."""

from __future__ import annotations

import json
from typing import Any

import pytest

from strategies import event, nested
from version_alias import handler as handler_module
from version_alias.handler import handle


def function(**extra: Any) -> dict[str, Any]:
    resource = {
        "Type": "AWS::Lambda::Function",
        "Properties": {"Code": {"ZipFile": "x"}, "Handler": "index.handler", "Role": "arn:r"},
    }
    resource.update(extra)
    return resource


def functions(count: int) -> dict[str, Any]:
    return {"Resources": {f"Fn{index}": function() for index in range(count)}}


def failure(template: Any) -> str:
    response = handle(event(template))
    assert response["status"] == "failure", "expected a failure"
    assert response["fragment"] == {}
    return response["errorMessage"]


def success(template: Any) -> dict[str, Any]:
    response = handle(event(template))
    assert response["status"] == "success", response.get("errorMessage")
    json.dumps(response["fragment"])
    return response["fragment"]


# -- resource count ----------------------------------------------------------------------
def test_500_resources_after_the_transform_are_accepted() -> None:
    output = success({"Resources": {**functions(166)["Resources"], "Queue": {"Type": "Q"}}})
    assert len(output["Resources"]) == 499


def test_more_than_500_resources_after_the_transform_fail() -> None:
    assert failure(functions(167)) == (
        "the processed template has 501 resources; CloudFormation allows 500. Fix: split the "
        "stack (nested stacks), or opt functions out with Metadata: {VersionAlias: "
        "{Enabled: false}}."
    )


# -- logical IDs -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("logical_id", "expected"),
    [
        pytest.param(
            "F" * 256,
            f"Resources: logical ID {'F' * 40}... is longer than 255 characters.",
            id="input-id-over-255",
        ),
        pytest.param(
            "F" * 240,
            f"Resources.{'F' * 240}: the generated logical ID {'F' * 40}... is longer than 255",
            id="generated-id-over-255",
        ),
        pytest.param(12, "Resources: logical ID 12 is a int, not a string.", id="int-id"),
        pytest.param(None, "Resources: logical ID None is a NoneType, not a string.", id="none-id"),
        pytest.param("My-Fn", "Resources: logical ID 'My-Fn' is not alphanumeric.", id="dash"),
    ],
)
def test_bad_logical_ids(logical_id: Any, expected: str) -> None:
    assert failure({"Resources": {logical_id: function()}}).startswith(expected)


def test_a_255_character_generated_id_is_accepted() -> None:
    logical_id = "F" * (255 - len("Version") - 10)
    assert logical_id + "Aliaslive" in success({"Resources": {logical_id: function()}})["Resources"]


@pytest.mark.parametrize(
    "taken",
    [pytest.param("FnAliaslive", id="alias-id"), pytest.param("FnAliasblue", id="custom-alias")],
)
def test_a_generated_id_never_overwrites_a_user_resource(taken: str) -> None:
    alias = taken.removeprefix("FnAlias")
    template = {
        "Resources": {
            "Fn": function(Metadata={"VersionAlias": {"AliasName": alias}}),
            taken: {"Type": "AWS::SNS::Topic"},
        }
    }
    assert failure(template).startswith(
        f"Resources.Fn: the generated logical ID {taken} is already used by another resource."
    )


# -- alias names -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        pytest.param("", id="empty"),
        pytest.param("123", id="digits-only"),
        pytest.param("$LATEST", id="latest"),
        pytest.param("a" * 129, id="129-chars"),
        pytest.param("blue green", id="space"),
        pytest.param("blue:green", id="colon"),
        pytest.param(7, id="number"),
        pytest.param(None, id="null"),
        pytest.param({"Ref": "Name"}, id="parameter-resolving-to-an-invalid-name"),
    ],
)
def test_invalid_alias_names_fail(name: Any) -> None:
    template = {
        "Parameters": {"Name": {"Type": "String", "Default": "blue green"}},
        "Resources": {"Fn": function(Metadata={"VersionAlias": {"AliasName": name}})},
    }
    assert failure(template) == (
        "Resources.Fn.Metadata.VersionAlias.AliasName: is not a valid alias name. Fix: use "
        "1-128 letters, digits, '-' or '_', not only digits and not $LATEST."
    )


@pytest.mark.parametrize(
    ("name", "alias_id"),
    [
        pytest.param("live-1_x", "FnAliasliveD1Ux", id="sam-naming"),
        pytest.param("a" * 128, "FnAlias" + "a" * 128, id="128-chars"),
        pytest.param("1a", "FnAlias1a", id="leading-digit"),
    ],
)
def test_valid_alias_names(name: str, alias_id: str) -> None:
    template = {"Resources": {"Fn": function(Metadata={"VersionAlias": {"AliasName": name}})}}
    alias = success(template)["Resources"][alias_id]
    assert alias["Properties"]["Name"] == name


# -- deep nesting ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("template", "path"),
    [
        pytest.param(
            {"Resources": {"Fn": function(Properties={"Code": nested(10_000, "x")})}},
            "Resources.Fn",
            id="function-properties",
        ),
        pytest.param(
            {
                "Resources": {
                    "Fn": function(),
                    "Other": {"Type": "T", "Properties": nested(10_000, 1)},
                }
            },
            "Resources.Other",
            id="untouched-resource",
        ),
        pytest.param(
            {"Resources": {"Fn": function()}, "Outputs": nested(10_000, None)},
            "Outputs",
            id="outputs",
        ),
        pytest.param(
            {"Resources": {"Fn": function(Metadata=nested(10_000, {}))}},
            "Resources.Fn",
            id="metadata",
        ),
    ],
)
def test_deep_nesting_fails_with_a_message(template: dict[str, Any], path: str) -> None:
    """10,000 levels would overflow any recursive walk, and json.dumps of the response."""
    assert failure(template) == (
        f"{path}: nests deeper than 100 levels. Fix: flatten the value; CloudFormation "
        "templates are never this deep."
    )


@pytest.mark.parametrize(
    ("levels", "accepted"),
    [pytest.param(96, True, id="100-levels"), pytest.param(97, False, id="101-levels")],
)
def test_the_nesting_limit_counts_containers(levels: int, accepted: bool) -> None:
    """Template (1), Resources (2), the resource (3), Properties (4), then `levels` more."""
    other = {"Type": "T", "Properties": {"Deep": nested(levels, "x")}}
    template = {"Resources": {"Fn": function(), "Other": other}}
    response = handle(event(template))
    assert response["status"] == ("success" if accepted else "failure")


# -- wrong types -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("template", "expected"),
    [
        pytest.param(None, "the template is not a mapping.", id="null-fragment"),
        pytest.param([], "the template is not a mapping.", id="list-fragment"),
        pytest.param({}, "the template has no Resources section.", id="no-resources"),
        pytest.param({"Resources": []}, "Resources: must be a mapping", id="resources-list"),
        pytest.param({"Resources": {"Fn": None}}, "Resources.Fn: must be a mapping", id="null-res"),
        pytest.param(
            {"Resources": {"Fn": function(Properties=None)}},
            "Resources.Fn.Properties: must be a mapping, found null.",
            id="null-properties",
        ),
        pytest.param(
            {"Resources": {"Fn": function(Properties=[1])}},
            "Resources.Fn.Properties: must be a mapping, found list.",
            id="list-properties",
        ),
        pytest.param(
            {"Resources": {"Fn": {"Type": 5}}}, "Resources.Fn.Type: has no Type", id="type"
        ),
    ],
)
def test_malformed_templates_fail_with_a_message(template: Any, expected: str) -> None:
    assert failure(template).startswith(expected)


def test_a_property_name_that_is_not_a_string_fails() -> None:
    template = {"Resources": {"Fn": function(Properties={"Code": {"ZipFile": "x"}, 1: "one"})}}
    assert failure(template) == (
        "Resources.Fn.Properties: property name 1 is a int, not a string. Fix: quote it in "
        "YAML; property names are strings."
    )


@pytest.mark.parametrize(
    "properties",
    [
        pytest.param({"Code": {"ZipFile": "x"}, "Environment": {None: "x"}}, id="none-key"),
        pytest.param({"Code": {1: "x"}, "Environment": {"Variables": {2: "y"}}}, id="int-key"),
        pytest.param({"Code": {"ZipFile": "x"}, "Environment": {True: {2.5: "y"}}}, id="bool-key"),
    ],
)
def test_non_string_keys_inside_properties_are_hashed_as_json_would_write_them(
    properties: dict[Any, Any],
) -> None:
    """YAML gives `1:` an int key; CloudFormation reads it as the string "1"."""
    output = success({"Resources": {"Fn": function(Properties=properties)}})
    assert sum(1 for key in output["Resources"] if key.startswith("FnVersion")) == 1


# -- invocation sites --------------------------------------------------------------------
def test_a_ref_to_a_missing_function_at_an_invocation_site_names_its_path() -> None:
    template = {
        "Resources": {
            "Fn": function(),
            "Permission": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {"FunctionName": {"Ref": "Missing"}, "Action": "lambda:Invoke"},
            },
        }
    }
    response = handle(event(template))
    assert "Resources.Permission.Properties.FunctionName" in response["errorMessage"]
    assert "Missing" in response["errorMessage"]


# -- secrets and logs --------------------------------------------------------------------
SECRET = "s3cr3t-Value-4f9a"
TEXT = "distinctive-template-text-91c2"
DEFAULT = "default-Secret-77e1"


def secret_template(broken: bool) -> dict[str, Any]:
    env = {
        "Variables": {"TOKEN": {"Ref": "Token"}, "NOTE": TEXT, "JOINED": {"Fn::Sub": "${Token}"}}
    }
    properties = {"Code": {"ZipFile": TEXT}, "Environment": env, "Description": TEXT}
    template: dict[str, Any] = {
        "Parameters": {"Token": {"Type": "String", "NoEcho": True, "Default": DEFAULT}},
        "Resources": {"Fn": function(Properties=properties)},
        "Outputs": {"Note": {"Value": TEXT}},
    }
    if broken:
        template["Resources"]["Fn"]["Metadata"] = {"VersionAlias": {"AliasName": SECRET + "!"}}
    return template


@pytest.mark.parametrize(
    ("broken", "supplied"),
    [
        pytest.param(False, {"Token": None}, id="default-value"),
        pytest.param(False, {"Token": SECRET}, id="supplied-value"),
        pytest.param(True, {"Token": SECRET}, id="failure"),
    ],
)
def test_no_echo_values_and_template_content_never_reach_logs_or_output(
    broken: bool,
    supplied: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    template = secret_template(broken)
    macro_event = event(template, {} if supplied["Token"] is None else supplied)
    secret = SECRET if supplied["Token"] else DEFAULT
    monkeypatch.setattr(handler_module, "LOG_LEVEL", "DEBUG")
    response = handle(macro_event)
    captured = capsys.readouterr()
    assert response["status"] == ("failure" if broken else "success")
    assert captured.out, "the handler logs one line per request"
    logged = captured.out + captured.err
    for forbidden in (secret, TEXT, "Token", "TOKEN", "ZipFile", "Fn"):
        assert forbidden not in logged
    assert secret not in response.get("errorMessage", "")
    # The template's own Parameters section may hold the Default; nothing else may.
    fragment = {key: value for key, value in response["fragment"].items() if key != "Parameters"}
    assert secret not in json.dumps(fragment)


def test_a_log_line_holds_only_the_request_id_counts_and_timing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(handler_module, "LOG_LEVEL", "DEBUG")
    handle(event(secret_template(False)))
    (record,) = capsys.readouterr().out.splitlines()
    line = json.loads(record)
    assert set(line) == {
        "requestId",
        "status",
        "resourcesIn",
        "resourcesOut",
        "aliases",
        "durationMs",
    }
    assert line["requestId"] == "req-1"
    assert (line["resourcesIn"], line["resourcesOut"], line["aliases"]) == (1, 3, 1)
