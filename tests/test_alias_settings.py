"""Provisioned concurrency on the alias, SnapStart, and the macro stack's default alias."""

from __future__ import annotations

from typing import Any

import pytest

from version_alias import handler
from version_alias.errors import TransformError
from version_alias.transform import transform

SNAPSTART = {"ApplyOn": "PublishedVersions"}


def function(**options: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Runtime": "java21",
            "Handler": "example.Handler",
            "Role": "arn:aws:iam::123456789012:role/fn",
            "Code": {"S3Bucket": "bucket", "S3Key": "code.zip"},
        },
    }
    if options:
        resource["Metadata"] = {"VersionAlias": options}
    return resource


def by_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {key: res for key, res in resources.items() if res["Type"] == kind}


@pytest.mark.parametrize(
    ("function_value", "default", "expected"),
    [
        pytest.param(5, None, 5, id="function"),
        pytest.param("5", None, 5, id="digit-string"),
        pytest.param(None, 3, 3, id="template-default"),
        pytest.param(7, 3, 7, id="function-wins"),
        pytest.param({"Ref": "Warm"}, None, {"Ref": "Warm"}, id="parameter"),
    ],
)
def test_provisioned_concurrency_goes_on_the_alias(
    function_value: Any, default: Any, expected: Any
) -> None:
    options = {} if function_value is None else {"ProvisionedConcurrency": function_value}
    source: dict[str, Any] = {
        "Parameters": {"Warm": {"Type": "Number", "Default": 2}},
        "Resources": {"Fn": function(**options)},
    }
    if default is not None:
        source["Metadata"] = {"VersionAlias": {"ProvisionedConcurrency": default}}
    resources = transform(source)["Resources"]
    assert resources["FnAliaslive"]["Properties"]["ProvisionedConcurrencyConfig"] == {
        "ProvisionedConcurrentExecutions": expected
    }
    (version,) = by_type(resources, "AWS::Lambda::Version").values()
    assert version["Properties"] == {"FunctionName": {"Ref": "Fn"}}


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(-1, id="negative"),
        pytest.param(None, id="null"),
        pytest.param(True, id="bool"),
        pytest.param(2.5, id="float"),
        pytest.param("many", id="word"),
        pytest.param({"Ref": "Elsewhere"}, id="ref-not-parameter"),
        pytest.param({"Fn::GetAtt": ["X", "Y"]}, id="getatt"),
    ],
)
def test_invalid_provisioned_concurrency(value: Any) -> None:
    with pytest.raises(TransformError) as raised:
        transform({"Resources": {"Fn": function(ProvisionedConcurrency=value)}})
    assert raised.value.path == (
        "Resources",
        "Fn",
        "Metadata",
        "VersionAlias",
        "ProvisionedConcurrency",
    )
    assert "positive integer" in str(raised.value)


def test_invalid_template_default_concurrency() -> None:
    with pytest.raises(TransformError) as raised:
        transform({"Metadata": {"VersionAlias": {"ProvisionedConcurrency": -2}}, "Resources": {}})
    assert raised.value.path == ("Metadata", "VersionAlias", "ProvisionedConcurrency")


def test_snapstart_publishes_and_nothing_stays_on_latest() -> None:
    """SnapStart applies to published versions only: the function keeps its SnapStart
    setting, a version is published, the alias points at it, and every invoker uses the
    alias, so no request ever reaches $LATEST (which SnapStart never optimises)."""
    fn = function()
    fn["Properties"]["SnapStart"] = SNAPSTART
    source = {
        "Resources": {
            "Fn": fn,
            "Queue": {"Type": "AWS::SQS::Queue"},
            "Mapping": {
                "Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {
                    "FunctionName": {"Ref": "Fn"},
                    "EventSourceArn": {"Fn::GetAtt": ["Queue", "Arn"]},
                },
            },
            "Invoke": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": {"Fn::GetAtt": ["Fn", "Arn"]},
                    "Principal": "events.amazonaws.com",
                },
            },
            "Rule": {
                "Type": "AWS::Events::Rule",
                "Properties": {
                    "ScheduleExpression": "rate(1 hour)",
                    "Targets": [{"Id": "fn", "Arn": {"Fn::GetAtt": ["Fn", "Arn"]}}],
                },
            },
        }
    }
    resources = transform(source)["Resources"]
    assert resources["Fn"]["Properties"]["SnapStart"] == SNAPSTART
    ((version_id, version),) = by_type(resources, "AWS::Lambda::Version").items()
    assert version["DeletionPolicy"] == "RetainExceptOnCreate"
    assert "SnapStart" not in version["Properties"]
    alias = resources["FnAliaslive"]["Properties"]
    assert alias["FunctionVersion"] == {"Fn::GetAtt": [version_id, "Version"]}
    assert resources["Mapping"]["Properties"]["FunctionName"] == {"Ref": "FnAliaslive"}
    assert resources["Invoke"]["Properties"]["FunctionName"] == {"Ref": "FnAliaslive"}
    assert resources["Rule"]["Properties"]["Targets"][0]["Arn"] == {"Ref": "FnAliaslive"}
    unqualified = [{"Ref": "Fn"}, {"Fn::GetAtt": ["Fn", "Arn"]}]
    for logical_id in ("Mapping", "Invoke", "Rule"):
        assert not any(text in repr(resources[logical_id]) for text in map(repr, unqualified))


def test_snapstart_change_publishes_a_new_version() -> None:
    plain = transform({"Resources": {"Fn": function()}})["Resources"]
    fn = function()
    fn["Properties"]["SnapStart"] = SNAPSTART
    snap = transform({"Resources": {"Fn": fn}})["Resources"]
    assert set(by_type(plain, "AWS::Lambda::Version")) != set(by_type(snap, "AWS::Lambda::Version"))


@pytest.mark.parametrize(
    ("environment", "metadata", "alias_id"),
    [
        pytest.param({}, None, "FnAliaslive", id="built-in-default"),
        pytest.param({"DEFAULT_ALIAS_NAME": "prod"}, None, "FnAliasprod", id="stack-default"),
        pytest.param(
            {"DEFAULT_ALIAS_NAME": "prod"}, {"AliasName": "blue"}, "FnAliasblue", id="template-wins"
        ),
    ],
)
def test_handler_default_alias_name(
    monkeypatch: pytest.MonkeyPatch, environment: dict, metadata: Any, alias_id: str
) -> None:
    monkeypatch.delenv("DEFAULT_ALIAS_NAME", raising=False)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    fragment: dict[str, Any] = {"Resources": {"Fn": function()}}
    if metadata is not None:
        fragment["Metadata"] = {"VersionAlias": metadata}
    response = handler.handle({"requestId": "r", "fragment": fragment, "region": "us-east-1"})
    assert response["status"] == "success"
    assert alias_id in response["fragment"]["Resources"]
