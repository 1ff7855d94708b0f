"""Corners a demanding user hits: other accounts' ARNs, pinned aliases, odd Descriptions."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO, function, template
from version_alias import TransformContext, TransformError, transform

CONTEXT = TransformContext(region="us-east-1", account_id="111122223333")


def test_literal_arn_of_another_account_is_not_this_stacks_function():
    definition = (
        '{"a":"arn:aws:lambda:us-east-1:222222222222:function:my",'
        '"b":"arn:aws:lambda:eu-west-1:111122223333:function:my",'
        '"c":"arn:aws:lambda:us-east-1:111122223333:function:my",'
        '"d":"arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:my"}'
    )
    source = template(
        Fn=function(FunctionName="my"),
        Machine={
            "Type": "AWS::StepFunctions::StateMachine",
            "Properties": {"DefinitionString": {"Fn::Sub": definition}},
        },
    )
    out = transform(source, CONTEXT)
    assert out["Resources"]["Machine"]["Properties"]["DefinitionString"] == {
        "Fn::Sub": '{"a":"arn:aws:lambda:us-east-1:222222222222:function:my",'
        '"b":"arn:aws:lambda:eu-west-1:111122223333:function:my",'
        '"c":"${FnAliaslive}","d":"${FnAliaslive}"}'
    }


def test_properties_chosen_whole_by_fn_if_are_refused_with_the_path():
    fn = {
        "Type": "AWS::Lambda::Function",
        "Properties": {"Fn::If": ["C", function()["Properties"], function()["Properties"]]},
    }
    with pytest.raises(TransformError, match=r"^Resources\.Fn\.Properties: .*Fn::If.*Fix:"):
        transform(template(Fn=fn))


@pytest.mark.parametrize(
    "version",
    [
        pytest.param("$LATEST", id="latest"),
        pytest.param("1", id="fixed-number"),
    ],
)
def test_a_users_pinned_alias_is_not_adopted(version):
    source = template(
        Fn=function(),
        Pinned={
            "Type": "AWS::Lambda::Alias",
            "Properties": {
                "Name": "pinned",
                "FunctionName": {"Ref": "Fn"},
                "FunctionVersion": version,
            },
        },
        Perm={"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": {"Ref": "Fn"}}},
    )
    out = transform(source)["Resources"]
    assert out["Pinned"] == source["Resources"]["Pinned"]
    assert "FnAliaslive" in out
    assert out["Perm"]["Properties"]["FunctionName"] == {"Ref": "FnAliaslive"}


@pytest.mark.parametrize(
    ("description", "expected_prefix"),
    [
        pytest.param(123, "123 (version-alias ", id="number"),
        pytest.param(True, "true (version-alias ", id="boolean"),
        pytest.param({"Ref": "AWS::NoValue"}, "(version-alias ", id="no-value"),
    ],
)
def test_non_text_descriptions_are_stamped_as_text(description, expected_prefix):
    out = transform(template(Fn=function(Description=description)))
    stamped = out["Resources"]["Fn"]["Properties"]["Description"]
    assert isinstance(stamped, str)
    assert stamped.startswith(expected_prefix)
    assert transform(out) == out


def test_event_invoke_config_without_a_qualifier_moves_to_the_alias():
    source = template(
        Fn=function(),
        Config={
            "Type": "AWS::Lambda::EventInvokeConfig",
            "Properties": {
                "FunctionName": {"Ref": "Fn"},
                "Qualifier": {"Ref": "AWS::NoValue"},
                "MaximumRetryAttempts": 0,
            },
        },
    )
    config = transform(source)["Resources"]["Config"]
    assert config["Properties"]["Qualifier"] == "live"
    assert config["DependsOn"] == "FnAliaslive"


def test_an_unknown_log_level_does_not_stop_the_lambda_from_starting():
    env = {**os.environ, "LOG_LEVEL": "verbose", "PYTHONPATH": str(REPO / "macro")}
    code = (
        "from version_alias.handler import handle, LOG_LEVEL; "
        "print(handle({'fragment': {'Resources': {}}})['status'], LOG_LEVEL)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    logged, result = out.stdout.splitlines()
    assert result.split() == ["success", "INFO"]
    assert json.loads(logged)["status"] == "success"  # INFO prints the request line
