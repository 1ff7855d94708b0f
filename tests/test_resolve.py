"""Resolution before hashing: each intrinsic the macro can evaluate, and what it keeps."""

from __future__ import annotations

from typing import Any

import pytest

from version_alias import TransformContext
from version_alias.versioning.noecho import Secret
from version_alias.versioning.resolve import NO_VALUE, Resolver

TEMPLATE: dict[str, Any] = {
    "Parameters": {
        "Stage": {"Type": "String", "Default": "prod"},
        "Subnets": {"Type": "CommaDelimitedList", "Default": "a, b,c"},
        "Size": {"Type": "Number", "Default": 3},
        "Name": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/app/name"},
        "Pw": {"Type": "String", "NoEcho": "true", "Default": "pw"},
    },
    "Mappings": {"M": {"prod": {"Level": "INFO"}}},
    "Conditions": {
        "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
        "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
        "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Fn::Equals": ["1", "1"]}]},
        "Unknowable": {"Fn::Equals": [{"Ref": "AWS::StackName"}, "x"]},
    },
    "Resources": {},
}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        pytest.param({"Ref": "Stage"}, "prod", id="ref-default"),
        pytest.param({"Ref": "Size"}, "3", id="number-as-string"),
        pytest.param({"Ref": "Subnets"}, ["a", "b", "c"], id="comma-list"),
        pytest.param({"Ref": "AWS::Region"}, "us-east-1", id="pseudo"),
        pytest.param({"Ref": "AWS::StackName"}, {"Ref": "AWS::StackName"}, id="stack-name-kept"),
        pytest.param({"Ref": "AWS::NoValue"}, NO_VALUE, id="no-value"),
        pytest.param({"Ref": "Name"}, {"Ref": "Name", "SSMParameter": "/app/name"}, id="ssm"),
        pytest.param({"Ref": "Pw"}, Secret("Pw", "pw"), id="noecho-wrapped"),
        pytest.param({"Fn::Sub": "${Stage}-${AWS::Region}"}, "prod-us-east-1", id="sub"),
        pytest.param({"Fn::Sub": ["${A}-x", {"A": {"Ref": "Stage"}}]}, "prod-x", id="sub-list"),
        pytest.param({"Fn::Sub": "${!Literal}"}, "${Literal}", id="sub-escape"),
        pytest.param(
            {"Fn::Sub": "${AWS::StackName}-${Stage}"},
            {"Fn::Sub": ["${AWS::StackName}-prod", {"AWS::StackName": {"Ref": "AWS::StackName"}}]},
            id="sub-partly-unknown",
        ),
        pytest.param({"Fn::Join": ["-", ["a", {"Ref": "Stage"}]]}, "a-prod", id="join"),
        pytest.param({"Fn::Select": ["1", {"Ref": "Subnets"}]}, "b", id="select"),
        pytest.param({"Fn::Split": [",", "x,y"]}, ["x", "y"], id="split"),
        pytest.param({"Fn::FindInMap": ["M", {"Ref": "Stage"}, "Level"]}, "INFO", id="map"),
        pytest.param(
            {"Fn::FindInMap": ["M", "dev", "Level", {"DefaultValue": "WARN"}]},
            "WARN",
            id="map-default",
        ),
        pytest.param({"Fn::If": ["IsProd", "a", "b"]}, "a", id="if"),
        pytest.param({"Fn::If": ["NotProd", "a", "b"]}, "b", id="if-not"),
        pytest.param({"Fn::If": ["Both", "a", "b"]}, "a", id="if-and"),
        pytest.param(
            {"Fn::If": ["Unknowable", "a", "b"]},
            {"Fn::If": ["Unknowable", "a", "b"]},
            id="if-undecided",
        ),
        pytest.param({"Fn::Base64": {"Fn::Sub": "${Stage}"}}, "cHJvZA==", id="base64"),
        pytest.param({"Fn::ImportValue": "x"}, {"Fn::ImportValue": "x"}, id="import-kept"),
        pytest.param({"Fn::GetAZs": ""}, {"Fn::GetAZs": ""}, id="get-azs-kept"),
        pytest.param(
            {"A": {"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, "1"]}, "B": True},
            {"B": "true"},
            id="no-value-drops-key",
        ),
    ],
)
def test_resolve(expression: Any, expected: Any) -> None:
    assert Resolver(TEMPLATE, TransformContext()).resolve(expression) == expected


def test_supplied_values_override_defaults() -> None:
    context = TransformContext(parameter_values={"Stage": "dev", "Subnets": "x"})
    resolver = Resolver(TEMPLATE, context)
    assert resolver.resolve({"Fn::If": ["IsProd", "a", "b"]}) == "b"
    assert resolver.resolve({"Ref": "Subnets"}) == ["x"]
