"""The rewriter on the shapes real templates use: definitions, OpenAPI bodies, Sub and
Join spellings, consumer targets, and the places it must leave alone."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from site_helpers import ALIAS_ID, FUNCTION_ID, function, resolves, template, version_id
from version_alias import TransformError, transform
from version_alias.invokers.checker import check

GETATT = {"Fn::GetAtt": [FUNCTION_ID, "Arn"]}
INVOKE = "arn:aws:states:::lambda:invoke"
APIGW = "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"


def _run(**resources: Any) -> dict[str, Any]:
    return transform(template(**resources))["Resources"]


def test_step_functions_definition_at_any_depth() -> None:
    task = {"Type": "Task", "Resource": INVOKE, "Parameters": {"FunctionName": GETATT}}
    definition = {
        "StartAt": "P",
        "States": {
            "P": {"Type": "Parallel", "Branches": [{"StartAt": "T", "States": {"T": task}}]},
            "M": {
                "Type": "Map",
                "ItemProcessor": {"States": {"D": {"Type": "Task", "Resource": GETATT}}},
            },
            "J": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": GETATT}},
        },
    }
    machine = {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"Definition": definition}}
    states = _run(Machine=machine)["Machine"]["Properties"]["Definition"]["States"]
    alias = {"Ref": ALIAS_ID}
    assert states["P"]["Branches"][0]["States"]["T"]["Parameters"]["FunctionName"] == alias
    assert states["M"]["ItemProcessor"]["States"]["D"]["Resource"] == alias
    assert states["J"]["Arguments"]["FunctionName"] == alias
    assert states["P"]["Branches"][0]["States"]["T"]["Resource"] == INVOKE


@pytest.mark.parametrize(
    ("resource", "rewritten"),
    [
        pytest.param("arn:aws:states:::lambda:invoke", True, id="lambda-invoke"),
        pytest.param(
            "arn:aws-cn:states:::lambda:invoke.waitForTaskToken", True, id="wait-for-token-cn"
        ),
        pytest.param("arn:aws:states:::aws-sdk:lambda:invoke", True, id="sdk-invoke"),
        pytest.param(
            {"Fn::Sub": "arn:${AWS::Partition}:states:::lambda:invoke"}, True, id="sub-undecided"
        ),
        pytest.param(
            "arn:aws:states:::aws-sdk:lambda:updateFunctionConfiguration",
            False,
            id="sdk-update-configuration-takes-the-function",
        ),
        pytest.param(
            "arn:aws:states:::aws-sdk:lambda:putFunctionConcurrency", False, id="sdk-concurrency"
        ),
    ],
)
@pytest.mark.parametrize("field", ["Parameters", "Arguments"])
def test_step_functions_function_name_only_in_invoking_tasks(
    resource: Any, rewritten: bool, field: str
) -> None:
    """`aws-sdk:lambda` calls other than invoke take the function itself (a qualified ARN
    fails updateFunctionConfiguration), so only invoking Tasks move to the alias."""
    task = {"Type": "Task", "Resource": resource, field: {"FunctionName": {"Ref": FUNCTION_ID}}}
    branch = {"Fn::If": ["Always", task, {"Type": "Pass"}]}
    definition = {
        "StartAt": "A",
        "States": {"A": {**task, "Next": "B"}, "B": branch},
    }
    machine = {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"Definition": definition}}
    states = _run(Machine=machine)["Machine"]["Properties"]["Definition"]["States"]
    expected = {"Ref": ALIAS_ID} if rewritten else {"Ref": FUNCTION_ID}
    assert states["A"][field]["FunctionName"] == expected
    assert states["B"]["Fn::If"][1][field]["FunctionName"] == expected
    assert states["B"]["Fn::If"][2] == {"Type": "Pass"}


def test_step_functions_definition_string_sub() -> None:
    text = json.dumps(
        {
            "StartAt": "A",
            "States": {
                "A": {"Type": "Task", "Resource": "${Fn.Arn}", "Next": "B"},
                "B": {"Type": "Task", "Resource": INVOKE, "Parameters": {"FunctionName": "${Fn}"}},
            },
        }
    )
    machine = {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {"DefinitionString": {"Fn::Sub": text}},
    }
    after = _run(Machine=machine)["Machine"]["Properties"]["DefinitionString"]["Fn::Sub"]
    states = json.loads(after)["States"]
    assert states["A"]["Resource"] == "${FnAliaslive}"
    assert states["B"]["Parameters"]["FunctionName"] == "${FnAliaslive}"


def test_definition_string_sub_variables_are_followed_and_dropped_when_unused() -> None:
    text = '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${Target}","End":true}}}'
    machine = {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {
            "DefinitionString": {"Fn::Sub": [text, {"Target": GETATT, "Other": "x"}]},
        },
    }
    after = _run(Machine=machine)["Machine"]["Properties"]["DefinitionString"]
    assert after == {"Fn::Sub": [text.replace("${Target}", "${FnAliaslive}"), {"Other": "x"}]}


def test_definition_substitutions() -> None:
    machine = {
        "Type": "AWS::StepFunctions::StateMachine",
        "Properties": {
            "DefinitionString": '{"StartAt":"A","States":{"A":{"Type":"Task",'
            '"Resource":"${FnArn}","End":true}}}',
            "DefinitionSubstitutions": {"FnArn": GETATT, "Bucket": {"Ref": "AWS::Region"}},
        },
    }
    after = _run(Machine=machine)["Machine"]["Properties"]
    assert after["DefinitionSubstitutions"] == {
        "FnArn": {"Ref": ALIAS_ID},
        "Bucket": {"Ref": "AWS::Region"},
    }
    assert after["DefinitionString"] == machine["Properties"]["DefinitionString"]


@pytest.mark.parametrize(
    "suffix",
    [
        pytest.param("/invocations", id="invocations"),
        pytest.param("/response-streaming-invocations", id="response-streaming"),
    ],
)
def test_openapi_body_integration_and_authorizer(suffix: str) -> None:
    uri = {"Fn::Sub": APIGW + "${Fn.Arn}" + suffix}
    body = {
        "openapi": "3.0.1",
        "paths": {"/x": {"get": {"x-amazon-apigateway-integration": {"uri": uri}}}},
        "components": {
            "securitySchemes": {
                "auth": {"x-amazon-apigateway-authorizer": {"authorizerUri": uri}},
            }
        },
    }
    api = {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Body": body}}
    after = _run(Api=api)["Api"]["Properties"]["Body"]
    expected = {"Fn::Sub": APIGW + "${FnAliaslive}" + suffix}
    assert after["paths"]["/x"]["get"]["x-amazon-apigateway-integration"]["uri"] == expected
    scheme = after["components"]["securitySchemes"]["auth"]
    assert scheme["x-amazon-apigateway-authorizer"]["authorizerUri"] == expected


def test_method_integration_uri_join() -> None:
    uri = {
        "Fn::Join": [
            "",
            [
                "arn:aws:apigateway:",
                {"Ref": "AWS::Region"},
                ":lambda:path/2015-03-31/functions/",
                GETATT,
                "/invocations",
            ],
        ]
    }
    method = {"Type": "AWS::ApiGateway::Method", "Properties": {"Integration": {"Uri": uri}}}
    after = _run(Method=method)["Method"]["Properties"]["Integration"]["Uri"]
    assert after["Fn::Join"][1][3] == {"Ref": ALIAS_ID}
    assert after["Fn::Join"][1][4] == "/invocations"


REGION, ACCOUNT = {"Ref": "AWS::Region"}, {"Ref": "AWS::AccountId"}
LAMBDA_ARN = ["arn:aws:lambda:", REGION, ":", ACCOUNT, ":function:"]


@pytest.mark.parametrize(
    ("delimiter", "parts", "expected"),
    [
        pytest.param(
            "",
            ["arn:aws:lambda:us-east-1:123456789012:function:", {"Ref": "Fn"}],
            {"Ref": ALIAS_ID},
            id="name-built",
        ),
        pytest.param(
            "",
            ["arn:aws:lambda:us-east-1:123456789012:function:", {"Ref": "Fn"}, ":$LATEST"],
            {"Ref": ALIAS_ID},
            id="name-built-latest",
        ),
        pytest.param(
            ":",
            ["arn", "aws", "lambda", REGION, ACCOUNT, "function", {"Ref": "Fn"}],
            {"Ref": ALIAS_ID},
            id="colon-joined-name",
        ),
        pytest.param(
            "",
            [*LAMBDA_ARN, "site-", {"Ref": "Part"}],
            {"Ref": ALIAS_ID},
            id="name-split-over-literal-and-parameter",
        ),
        pytest.param(
            "",
            [
                "arn:aws:apigateway:",
                REGION,
                ":lambda:path/2015-03-31/functions/",
                *LAMBDA_ARN,
                {"Ref": "Fn"},
                "/invocations",
            ],
            {
                "Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/"
                "functions/${FnAliaslive}/invocations"
            },
            id="name-built-inside-an-integration-uri",
        ),
        pytest.param(
            "",
            [GETATT, ":$LATEST/invocations"],
            {"Fn::Join": ["", [{"Ref": ALIAS_ID}, "/invocations"]]},
            id="arn-then-latest-and-more",
        ),
    ],
)
def test_join_spellings_end_on_the_alias_resource(
    delimiter: str, parts: list[Any], expected: Any
) -> None:
    """A Join that builds the ARN from the name becomes the reference it spells (no
    string qualifier, no DependsOn needed); a GetAtt part is replaced in place."""
    rule = {
        "Type": "AWS::Events::Rule",
        "Properties": {"Targets": [{"Id": "t", "Arn": {"Fn::Join": [delimiter, parts]}}]},
    }
    tpl = template(Rule=rule)
    tpl["Parameters"] = {"Part": {"Type": "String", "Default": "fn"}}
    after = transform(tpl)
    assert after["Resources"]["Rule"]["Properties"]["Targets"][0]["Arn"] == expected
    assert "DependsOn" not in after["Resources"]["Rule"]
    assert check(after) == []
    assert [finding.resource_id for finding in check(tpl)] == ["Rule"]


@pytest.mark.parametrize(
    "value",
    [
        pytest.param({"Fn::Sub": "${Fn.Arn}:3"}, id="sub-version"),
        pytest.param({"Fn::Join": ["", [GETATT, ":3"]]}, id="join-version"),
        pytest.param({"Ref": "SomeParameter"}, id="parameter"),
        pytest.param("arn:aws:lambda:us-east-1:123456789012:function:other:live", id="other-fn"),
    ],
)
def test_pinned_or_foreign_values_stay(value: Any) -> None:
    tpl = template(
        Rule={"Type": "AWS::Events::Rule", "Properties": {"Targets": [{"Id": "t", "Arn": value}]}}
    )
    tpl["Parameters"] = {"SomeParameter": {"Type": "String"}}
    after = transform(tpl)["Resources"]["Rule"]
    assert after == tpl["Resources"]["Rule"]
    assert check(tpl) == []


@pytest.mark.parametrize(
    ("name", "site"),
    [
        pytest.param({"Ref": "FnName"}, {"Ref": "FnName"}, id="ref-parameter"),
        pytest.param(
            {"Fn::Sub": "${AWS::StackName}-worker"},
            {
                "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}"
                ":function:${AWS::StackName}-worker"
            },
            id="sub-name-in-arn",
        ),
        pytest.param(
            {"Ref": "FnName"},
            {"Fn::Sub": "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${FnName}"},
            id="parameter-name-in-arn",
        ),
    ],
)
def test_function_named_by_its_function_name_expression(name: Any, site: Any) -> None:
    tpl = template(
        Permission={
            "Type": "AWS::Lambda::Permission",
            "Properties": {"FunctionName": site, "Action": "lambda:InvokeFunction"},
        }
    )
    tpl["Parameters"] = {"FnName": {"Type": "String", "Default": "worker"}}
    tpl["Resources"]["Fn"] = function(FunctionName=name)
    assert [finding.resource_id for finding in check(tpl)] == ["Permission"]
    after = transform(tpl)
    assert resolves(after["Resources"]["Permission"]["Properties"]["FunctionName"]) == {
        f"<{ALIAS_ID}>"
    }
    assert check(after) == []


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        pytest.param("version", "version", id="version"),
        pytest.param("function", "function", id="function"),
        pytest.param("alias", "alias", id="alias"),
    ],
)
def test_consumer_target(target: str, expected: str) -> None:
    machine = {
        "Type": "AWS::StepFunctions::StateMachine",
        "Metadata": {"VersionAlias": {"Target": target}},
        "Properties": {"DefinitionSubstitutions": {"FnArn": GETATT}},
    }
    tpl = template(Machine=machine)
    output = transform(tpl)
    value = output["Resources"]["Machine"]["Properties"]["DefinitionSubstitutions"]["FnArn"]
    wanted = {
        "version": {"Ref": version_id(output)},
        "function": GETATT,
        "alias": {"Ref": ALIAS_ID},
    }[expected]
    assert value == wanted
    assert check(output) == []
    assert bool(check(tpl)) is (target != "function")


def test_consumer_target_version_on_qualifier_site() -> None:
    config = {
        "Type": "AWS::Lambda::EventInvokeConfig",
        "Metadata": {"VersionAlias": {"Target": "version"}},
        "Properties": {"FunctionName": {"Ref": "Fn"}, "Qualifier": "$LATEST"},
    }
    output = transform(template(Config=config))
    after = output["Resources"]["Config"]
    assert after["Properties"]["Qualifier"] == {"Fn::GetAtt": [version_id(output), "Version"]}
    assert "DependsOn" not in after


def test_no_value_qualifier_is_no_qualifier_for_rewriter_and_checker_alike() -> None:
    """`Qualifier: !Ref AWS::NoValue` leaves the function unqualified: the checker reports
    it and the rewriter sets the alias name, reading the qualifier the same way."""
    config = {
        "Type": "AWS::Lambda::EventInvokeConfig",
        "Properties": {"FunctionName": {"Ref": "Fn"}, "Qualifier": {"Ref": "AWS::NoValue"}},
    }
    tpl = template(Config=config)
    assert [(finding.resource_id, finding.path) for finding in check(tpl)] == [
        ("Config", ("Qualifier",))
    ]
    output = transform(tpl)
    assert output["Resources"]["Config"]["Properties"]["Qualifier"] == "live"
    assert check(output) == []


def test_invalid_consumer_target_is_an_error() -> None:
    rule = {
        "Type": "AWS::Events::Rule",
        "Metadata": {"VersionAlias": {"Target": "latest"}},
        "Properties": {"Targets": [{"Id": "t", "Arn": GETATT}]},
    }
    with pytest.raises(TransformError, match=r"Resources\.Rule\.Metadata\.VersionAlias\.Target"):
        transform(template(Rule=rule))


def test_if_around_a_list_is_looked_through() -> None:
    targets = {"Fn::If": ["Always", [{"Id": "t", "Arn": GETATT}], {"Ref": "AWS::NoValue"}]}
    rule = {"Type": "AWS::Events::Rule", "Properties": {"Targets": targets}}
    after = _run(Rule=rule)["Rule"]["Properties"]["Targets"]
    assert after["Fn::If"][1] == [{"Id": "t", "Arn": {"Ref": ALIAS_ID}}]


@pytest.mark.parametrize(
    "resource",
    [
        pytest.param(
            {
                "Type": "AWS::Logs::LogGroup",
                "Properties": {"LogGroupName": {"Fn::Sub": "/aws/lambda/${Fn}"}},
            },
            id="log-group-name",
        ),
        pytest.param(
            {
                "Type": "AWS::Logs::SubscriptionFilter",
                "Properties": {
                    "LogGroupName": "/aws/lambda/site-fn",
                    "DestinationArn": "arn:aws:firehose:us-east-1:123456789012:stream/x",
                },
            },
            id="aws-lambda-string",
        ),
        pytest.param(
            {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {
                    "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": "Fn"}}],
                    "AlarmActions": [{"Ref": "AWS::NoValue"}],
                },
            },
            id="alarm-dimensions",
        ),
        pytest.param(
            {
                "Type": "Custom::Thing",
                "Properties": {"ServiceToken": GETATT},
            },
            id="custom-resource-service-token",
        ),
        pytest.param(
            {
                "Type": "AWS::SNS::Topic",
                "DependsOn": ["Fn"],
                "Properties": {"TopicName": "t"},
            },
            id="depends-on",
        ),
        pytest.param(
            {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "Policies": [
                        {
                            "PolicyName": "p",
                            "PolicyDocument": {
                                "Statement": [
                                    {
                                        "Effect": "Allow",
                                        "Action": "lambda:GetFunction",
                                        "Resource": GETATT,
                                    },
                                    {
                                        "Effect": "Deny",
                                        "Action": "lambda:DeleteFunction",
                                        "Resource": GETATT,
                                    },
                                ]
                            },
                        }
                    ]
                },
            },
            id="iam-runtime-permissions",
        ),
    ],
)
def test_left_alone(resource: dict[str, Any]) -> None:
    tpl = template(Thing=resource)
    snapshot = copy.deepcopy(tpl)
    assert transform(tpl)["Resources"]["Thing"] == resource
    assert tpl == snapshot
    assert check(tpl) == []


def test_outputs_are_left_alone() -> None:
    tpl = template()
    tpl["Outputs"] = {"Arn": {"Value": GETATT, "Export": {"Name": "fn-arn"}}}
    assert transform(tpl)["Outputs"] == tpl["Outputs"]


@pytest.mark.parametrize(
    ("value", "missing"),
    [
        pytest.param({"Ref": "Nope"}, "Nope", id="ref"),
        pytest.param({"Fn::Sub": "${Nope.Arn}"}, "Nope", id="sub"),
        pytest.param(
            {"Fn::If": ["Always", GETATT, {"Fn::GetAtt": ["Gone", "Arn"]}]}, "Gone", id="if-branch"
        ),
    ],
)
def test_missing_resource_is_named_with_its_path(value: Any, missing: str) -> None:
    rule = {"Type": "AWS::Events::Rule", "Properties": {"Targets": [{"Id": "t", "Arn": value}]}}
    with pytest.raises(TransformError) as err:
        transform(template(Rule=rule))
    assert str(err.value).startswith(
        f"Resources.Rule.Properties.Targets[0].Arn: references {missing}, which is not a "
        "resource or parameter of this template."
    )


@pytest.mark.parametrize(
    "value",
    [
        pytest.param({"Ref": "Arn"}, id="parameter"),
        pytest.param(
            {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:1:function:x"},
            id="pseudo-parameters",
        ),
        pytest.param({"Fn::Sub": ["${A}", {"A": GETATT}]}, id="sub-variable"),
    ],
)
def test_declared_references_are_accepted(value: Any) -> None:
    tpl = template(
        Rule={"Type": "AWS::Events::Rule", "Properties": {"Targets": [{"Id": "t", "Arn": value}]}}
    )
    tpl["Parameters"] = {"Arn": {"Type": "String"}}
    transform(tpl)


def test_rich_template_is_idempotent_and_input_is_not_mutated() -> None:
    tpl = template(
        Permission={
            "Type": "AWS::Lambda::Permission",
            "Properties": {"FunctionName": "site-fn", "Action": "lambda:InvokeFunction"},
        },
        Config={
            "Type": "AWS::Lambda::EventInvokeConfig",
            "Properties": {"FunctionName": {"Ref": "Fn"}, "Qualifier": "$LATEST"},
        },
        Rule={
            "Type": "AWS::Events::Rule",
            "Properties": {"Targets": [{"Id": "t", "Arn": {"Fn::Sub": "${Fn.Arn}:$LATEST"}}]},
        },
        Role={
            "Type": "AWS::IAM::Role",
            "Properties": {
                "Policies": [
                    {
                        "PolicyName": "p",
                        "PolicyDocument": {
                            "Statement": {
                                "Effect": "Allow",
                                "Action": "lambda:*",
                                "Resource": GETATT,
                            }
                        },
                    }
                ]
            },
        },
    )
    snapshot = copy.deepcopy(tpl)
    once = transform(tpl)
    assert tpl == snapshot
    assert transform(once) == once
    assert check(once) == []


def test_function_options_copied_onto_a_consumer_are_tolerated() -> None:
    """SAM copies a function's Metadata onto the EventInvokeConfig it generates."""
    config = {
        "Type": "AWS::Lambda::EventInvokeConfig",
        "Metadata": {"VersionAlias": {"AliasName": "live"}},
        "Properties": {"FunctionName": {"Ref": "Fn"}, "Qualifier": "$LATEST"},
    }
    after = transform(template(Config=config))["Resources"]["Config"]
    assert after["Properties"]["Qualifier"] == "live"


def test_unknown_consumer_option_is_an_error() -> None:
    rule = {
        "Type": "AWS::Events::Rule",
        "Metadata": {"VersionAlias": {"Taget": "version"}},
        "Properties": {"Targets": [{"Id": "t", "Arn": GETATT}]},
    }
    with pytest.raises(TransformError, match=r"unknown option\(s\) Taget"):
        transform(template(Rule=rule))


@pytest.mark.parametrize(
    "template_value",
    [
        pytest.param([], id="not-a-mapping"),
        pytest.param({"Resources": []}, id="resources-list"),
        pytest.param({"Resources": {"A": {"Type": ["x"], "Properties": {}}}}, id="type-list"),
        pytest.param(
            {"Resources": {"A": {"Type": "AWS::Events::Rule", "Properties": []}}},
            id="properties-list",
        ),
        pytest.param(
            {
                "Resources": {
                    "A": {"Type": "AWS::Events::Rule", "Properties": {"Targets": {"Arn": 1}}}
                }
            },
            id="odd-shape",
        ),
    ],
)
def test_checker_never_crashes_on_odd_templates(template_value: Any) -> None:
    assert check(template_value) == []


def test_missing_function_at_a_qualifier_site_is_named() -> None:
    config = {
        "Type": "AWS::Lambda::EventInvokeConfig",
        "Properties": {"FunctionName": {"Ref": "Gone"}, "Qualifier": "$LATEST"},
    }
    with pytest.raises(TransformError, match=r"^Resources\.Config\.Properties\.FunctionName: "):
        transform(template(Config=config))


def test_missing_resource_is_not_judged_when_another_macro_runs_later() -> None:
    rule = {
        "Type": "AWS::Events::Rule",
        "Properties": {"Targets": [{"Id": "t", "Arn": {"Fn::GetAtt": ["Later", "Arn"]}}]},
    }
    tpl = template(Rule=rule)
    tpl["Transform"] = ["VersionAlias", "AddsResources"]
    assert transform(tpl)["Resources"]["Rule"] == rule


def test_colon_joined_version_arn_becomes_the_version_reference():
    """A version-only site (CloudFront) whose ARN is a ':'-joined Fn::Join of the name
    points at the version resource; a second run leaves it (found by the fuzzer)."""
    from conftest import function, template
    from version_alias import transform

    arn = {
        "Fn::Join": [
            ":",
            ["arn", "aws", "lambda", "us-east-1", "123456789012", "function", {"Ref": "Fn"}],
        ]
    }
    source = template(
        Fn=function(),
        Cdn={
            "Type": "AWS::CloudFront::Distribution",
            "Properties": {
                "DistributionConfig": {
                    "DefaultCacheBehavior": {
                        "LambdaFunctionAssociations": [
                            {"EventType": "viewer-request", "LambdaFunctionARN": arn}
                        ]
                    }
                }
            },
        },
    )
    once = transform(source)
    association = once["Resources"]["Cdn"]["Properties"]["DistributionConfig"][
        "DefaultCacheBehavior"
    ]["LambdaFunctionAssociations"][0]
    assert association["LambdaFunctionARN"] == {"Ref": version_id(once)}
    assert transform(once) == once
