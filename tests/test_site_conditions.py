"""A catalog row's `when` condition: literal match, absent, undecided, same list item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from site_helpers import ALIAS_ID, template
from version_alias import transform
from version_alias.data.tables import SiteCondition
from version_alias.invokers.checker import check
from version_alias.invokers.sites import condition_holds

GETATT = {"Fn::GetAtt": ["Fn", "Arn"]}
PROCESSORS = "ExtendedS3DestinationConfiguration.ProcessingConfiguration.Processors"
VALUE = f"{PROCESSORS}[*].Parameters[*].ParameterValue"
NAME = f"{PROCESSORS}[*].Parameters[*].ParameterName"


@pytest.mark.parametrize(
    ("properties", "matched", "expected"),
    [
        pytest.param({"TaskType": "LAMBDA"}, (), True, id="equals"),
        pytest.param({"TaskType": "STEP_FUNCTIONS"}, (), False, id="differs"),
        pytest.param({}, (), False, id="absent"),
        pytest.param({"TaskType": {"Ref": "Kind"}}, (), True, id="undecided-ref"),
        pytest.param(
            {"TaskType": {"Fn::If": ["C", "LAMBDA", "RUN_COMMAND"]}}, (), True, id="if-branch"
        ),
    ],
)
def test_sibling_condition(properties: dict[str, Any], matched: tuple, expected: bool) -> None:
    when = SiteCondition(path="TaskType", values=("LAMBDA",))
    assert condition_holds(when, "Qualifier", properties, matched) is expected


def test_condition_binds_the_same_list_item() -> None:
    parameters = [
        {"ParameterName": "RoleArn", "ParameterValue": "a"},
        {"ParameterName": "LambdaArn", "ParameterValue": "b"},
    ]
    properties = {
        "ExtendedS3DestinationConfiguration": {
            "ProcessingConfiguration": {"Processors": [{"Parameters": parameters}]}
        }
    }
    when = SiteCondition(path=NAME, values=("LambdaArn",))
    prefix = ("ExtendedS3DestinationConfiguration", "ProcessingConfiguration", "Processors", 0)
    role, lambda_arn = ((*prefix, "Parameters", n, "ParameterValue") for n in (0, 1))
    assert condition_holds(when, VALUE, properties, role) is False
    assert condition_holds(when, VALUE, properties, lambda_arn) is True


def test_firehose_rewrites_only_the_lambda_arn_parameter() -> None:
    parameters = [
        {"ParameterName": "RoleArn", "ParameterValue": GETATT},
        {"ParameterName": "LambdaArn", "ParameterValue": {"Fn::Sub": "${Fn.Arn}:$LATEST"}},
    ]
    stream = {
        "Type": "AWS::KinesisFirehose::DeliveryStream",
        "Properties": {
            "ExtendedS3DestinationConfiguration": {
                "ProcessingConfiguration": {
                    "Processors": [{"Type": "Lambda", "Parameters": parameters}]
                }
            }
        },
    }
    tpl = template(Stream=stream)
    assert [finding.location for finding in check(tpl)] == [
        f"Resources.Stream.Properties.{PROCESSORS}[0].Parameters[1].ParameterValue"
    ]
    after = transform(tpl)["Resources"]["Stream"]["Properties"]
    new = after["ExtendedS3DestinationConfiguration"]["ProcessingConfiguration"]["Processors"]
    assert new[0]["Parameters"] == [
        {"ParameterName": "RoleArn", "ParameterValue": GETATT},
        {"ParameterName": "LambdaArn", "ParameterValue": {"Fn::Sub": "${" + ALIAS_ID + "}"}},
    ]


@pytest.mark.parametrize(
    ("category", "rewritten"),
    [pytest.param("Invoke", True, id="invoke"), pytest.param("Deploy", False, id="deploy")],
)
def test_codepipeline_action_category(category: str, rewritten: bool) -> None:
    action = {
        "Name": "a",
        "ActionTypeId": {"Category": category, "Owner": "AWS", "Provider": "Lambda"},
        "Configuration": {"FunctionName": {"Ref": "Fn"}},
    }
    pipeline = {
        "Type": "AWS::CodePipeline::Pipeline",
        "Properties": {"Stages": [{"Name": "s", "Actions": [action]}]},
    }
    after = transform(template(Pipeline=pipeline))["Resources"]["Pipeline"]["Properties"]
    name = after["Stages"][0]["Actions"][0]["Configuration"]["FunctionName"]
    assert name == ({"Ref": ALIAS_ID} if rewritten else {"Ref": "Fn"})


def test_pre_commit_hooks_name_existing_subcommands() -> None:
    hooks_file = Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml"
    hooks = yaml.safe_load(hooks_file.read_text(encoding="utf-8"))
    assert {hook["id"]: hook["entry"] for hook in hooks} == {
        "version-alias-check": "version-alias check --skip-non-templates",
        "version-alias-lint": "version-alias lint --skip-non-templates",
    }
    assert all(hook["language"] == "python" for hook in hooks)
