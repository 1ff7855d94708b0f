"""One way to recognise a function: every spelling that resolves to its name or ARN.

The rewriter, the checker (and so rule W9350) and the IAM widening ask template/names.py;
these tests hold them to the same answer for each spelling, including names that only
match once parameters are resolved, on either side.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint

import version_alias.lint_rules as lint_rules
from builders import zip_function
from version_alias import transform
from version_alias.context import TransformContext
from version_alias.invokers.checker import check
from version_alias.transform import process

ROLE = "arn:aws:iam::123456789012:role/fn"
ALIAS = {"Ref": "WorkerAliaslive"}


def function(name: Any = None, role: Any = ROLE) -> dict[str, Any]:
    return zip_function(Role=role, **({} if name is None else {"FunctionName": name}))


def app(name: Any, site: Any, **extra: Any) -> dict[str, Any]:
    """A function named `name`, and a permission whose FunctionName is `site`."""
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {
            "Stage": {"Type": "String", "Default": "int1"},
            "Secret": {"Type": "String", "Default": "worker-int1", "NoEcho": True},
        },
        "Resources": {
            "Worker": function(name),
            "Invoke": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": site,
                    "Principal": "sns.amazonaws.com",
                },
            },
            **extra,
        },
    }


SUB_NAME = {"Fn::Sub": "worker-${Stage}"}
JOIN_NAME = {"Fn::Join": ["-", ["worker", {"Ref": "Stage"}]]}
LITERAL_ARN = "arn:aws:lambda:us-east-1:123456789012:function:worker-int1"


@pytest.mark.parametrize(
    ("name", "site"),
    [
        pytest.param(SUB_NAME, "worker-int1", id="literal-name-vs-parameter-derived-name"),
        pytest.param(SUB_NAME, LITERAL_ARN, id="literal-arn-vs-parameter-derived-name"),
        pytest.param("worker-int1", SUB_NAME, id="parameter-derived-site-vs-literal-name"),
        pytest.param(
            "worker-int1",
            {
                "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
                "worker-${Stage}"
            },
            id="parameter-derived-arn-vs-literal-name",
        ),
        pytest.param(JOIN_NAME, SUB_NAME, id="join-name-vs-sub-site"),
        pytest.param(
            "worker-int1",
            {
                "Fn::Join": [
                    "",
                    [
                        "arn:aws:lambda:",
                        {"Ref": "AWS::Region"},
                        ":",
                        {"Ref": "AWS::AccountId"},
                        ":function:worker-",
                        {"Ref": "Stage"},
                    ],
                ]
            },
            id="join-built-arn-split-over-literal-and-parameter",
        ),
        pytest.param(
            "worker-int1",
            {"Fn::If": ["Always", "worker-int1", "other"]},
            id="if-branch-resolved",
        ),
    ],
)
def test_every_resolved_spelling_is_the_function_for_rewriter_and_checker(
    name: Any, site: Any
) -> None:
    template = app(name, site)
    template["Conditions"] = {"Always": {"Fn::Equals": ["a", "a"]}}
    assert [finding.resource_id for finding in check(template)] == ["Invoke"]
    output = transform(template)
    assert output["Resources"]["Invoke"]["Properties"]["FunctionName"] == ALIAS
    assert check(output) == []


def test_names_follow_the_parameter_values_of_the_deploy() -> None:
    """With Stage=prod the literal names another function: left alone, and said so."""
    template = app(SUB_NAME, "worker-int1")
    context = TransformContext(parameter_values={"Stage": "prod"})
    processed = process(template, context)
    assert processed.template["Resources"]["Invoke"]["Properties"]["FunctionName"] == "worker-int1"
    assert check(processed.template, context) == []
    assert transform(template)["Resources"]["Invoke"]["Properties"]["FunctionName"] == ALIAS


@pytest.mark.parametrize(
    "site",
    [
        pytest.param("arn:aws:lambda:eu-west-1:123456789012:function:worker-int1", id="region"),
        pytest.param("arn:aws:lambda:us-east-1:999999999999:function:worker-int1", id="account"),
    ],
)
def test_a_literal_arn_of_another_region_or_account_is_not_the_function(site: str) -> None:
    processed = process(app(SUB_NAME, site))
    assert processed.template["Resources"]["Invoke"]["Properties"]["FunctionName"] == site
    [note] = processed.notes
    assert note.location == "Resources.Invoke.Properties.FunctionName"
    assert "outside this template" in note.hint or "template's own" in note.hint


def test_a_noecho_parameter_never_decides_a_name() -> None:
    """Resolution hands out no NoEcho value: the function named by !Ref Secret is matched
    only by the same spelling, never by its value."""
    template = app({"Ref": "Secret"}, "worker-int1")
    output = transform(template)
    assert output["Resources"]["Invoke"]["Properties"]["FunctionName"] == "worker-int1"
    same = transform(app({"Ref": "Secret"}, {"Ref": "Secret"}))
    assert same["Resources"]["Invoke"]["Properties"]["FunctionName"] == ALIAS


def test_rule_w9350_reports_what_check_reports() -> None:
    template = app(SUB_NAME, LITERAL_ARN)
    config = ManualArgs(append_rules=["version_alias.lint_rules"], regions=["us-east-1"])
    matches = lint(json.dumps(template), config=config)
    found = [match.message for match in matches if match.rule.id == lint_rules.LatestInvocation.id]
    assert found == [str(finding) for finding in check(template)]
    assert len(found) == 1


# -- IAM patterns --------------------------------------------------------------------------
def _role(resource: Any) -> dict[str, Any]:
    statement = {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": resource}
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {"Statement": []},
            "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [statement]}}],
        },
    }


def _granted(template: dict[str, Any]) -> Any:
    role = transform(template)["Resources"]["Caller"]["Properties"]
    return role["Policies"][0]["PolicyDocument"]["Statement"][0]["Resource"]


@pytest.mark.parametrize(
    ("pattern", "widened"),
    [
        pytest.param("arn:aws:lambda:*:123456789012:function:worker-int1", True, id="any-region"),
        pytest.param("arn:aws:lambda:us-east-1:*:function:worker-int?", True, id="question-mark"),
        pytest.param(
            {
                "Fn::Sub": "arn:${AWS::Partition}:lambda:*:${AWS::AccountId}:function:"
                "worker-${Stage}"
            },
            True,
            id="sub-pattern-resolved",
        ),
        pytest.param("arn:aws:lambda:*:123456789012:function:worker-*", False, id="covers-aliases"),
        pytest.param("arn:aws:lambda:*:123456789012:function:other", False, id="other-function"),
        pytest.param("*", False, id="everything"),
    ],
)
def test_iam_patterns_that_match_the_function_count_as_the_function(
    pattern: Any, widened: bool
) -> None:
    granted = _granted(app(SUB_NAME, "x", Caller=_role(pattern)))
    if not widened:
        assert granted == pattern
        return
    twin = f"{pattern}:*" if isinstance(pattern, str) else {"Fn::Sub": pattern["Fn::Sub"] + ":*"}
    assert granted == [pattern, twin]


def test_a_role_that_grants_its_own_function_by_literal_arn_gets_no_reference_to_it() -> None:
    """The function runs with this role; `${Worker.Arn}:*` in the role would make the role
    wait for the function that waits for the role (cfn-lint E3004)."""
    template = app("worker-int1", "x", Caller=_role(LITERAL_ARN))
    template["Resources"]["Worker"] = function("worker-int1", {"Fn::GetAtt": ["Caller", "Arn"]})
    assert _granted(template) == [LITERAL_ARN, LITERAL_ARN + ":*"]
