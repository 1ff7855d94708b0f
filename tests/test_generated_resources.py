"""Every resource the macro writes or rewrites is valid and ordered.

IAM widening never references an alias; never two EventInvokeConfig (or function URLs) for
one function and qualifier; whatever names an alias by string waits for it; options may be
intrinsics; versions are retained except when their own update rolls back; a template's own
macro is an invocation site. The stamped Description: test_description_stamp.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from builders import zip_function
from version_alias import TransformError, transform
from version_alias.context import TransformContext
from version_alias.invokers.checker import check
from version_alias.transform import process

GETATT = {"Fn::GetAtt": ["Fn", "Arn"]}
ALIAS = {"Ref": "FnAliaslive"}


function = zip_function


def template(fn: dict[str, Any] | None = None, **resources: Any) -> dict[str, Any]:
    return {
        "Parameters": {
            "Stage": {"Type": "String", "Default": "dev"},
            "Long": {"Type": "String", "Default": "x" * 240},
            "Secret": {"Type": "String", "Default": "s" * 240, "NoEcho": True},
            "Warm": {"Type": "Number", "Default": 0},
        },
        "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
        "Resources": {"Fn": fn or function(), **resources},
    }


def by_type(output: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v for k, v in output["Resources"].items() if v["Type"] == kind}


# -- IAM: never a reference to an alias ------------------------------------------------------
def role(*resources: Any) -> dict[str, Any]:
    statement = {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": list(resources)}
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {"Statement": []},
            "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [statement]}}],
        },
    }


@pytest.mark.parametrize(
    "resources",
    [
        pytest.param([{"Fn::Sub": "${Fn.Arn}:live"}], id="alias-by-string"),
        pytest.param([GETATT, {"Fn::Sub": "${Fn.Arn}:live"}], id="function-and-alias"),
        pytest.param(
            ["arn:aws:lambda:us-east-1:123456789012:function:worker:live"], id="literal-alias-arn"
        ),
    ],
)
def test_a_statement_that_already_grants_the_alias_by_string_is_enough(resources: list) -> None:
    source = template(function(FunctionName="worker"), Caller=role(*resources))
    output = transform(source)
    assert output["Resources"]["Caller"] == source["Resources"]["Caller"]


def test_no_identity_policy_ever_names_an_alias_resource() -> None:
    hook = function(Role={"Fn::GetAtt": ["HookRole", "Arn"]})
    hook["Metadata"] = {"VersionAlias": {"Enabled": False}}
    fn = function()
    fn["Metadata"] = {
        "VersionAlias": {
            "DeploymentPreference": {"Type": "AllAtOnce", "Hooks": {"PreTraffic": {"Ref": "Hook"}}}
        }
    }
    output = transform(
        template(
            fn,
            Hook=hook,
            HookRole=role(GETATT, {"Fn::Sub": "${Fn.Arn}:live"}),
            Caller=role(GETATT),
        )
    )
    for resource in output["Resources"].values():
        if resource["Type"].startswith("AWS::IAM::"):
            assert "FnAliaslive" not in json.dumps(resource)


# -- one EventInvokeConfig (or URL) per function and qualifier ---------------------------------
@pytest.mark.parametrize(
    ("kind", "qualified"),
    [
        pytest.param("AWS::Lambda::EventInvokeConfig", "FunctionName", id="event-invoke-config"),
        pytest.param("AWS::Lambda::Url", "TargetFunctionArn", id="function-url"),
    ],
)
def test_never_two_resources_for_one_function_and_qualifier(kind: str, qualified: str) -> None:
    extra = {"AuthType": "NONE"} if kind == "AWS::Lambda::Url" else {"MaximumRetryAttempts": 0}
    on_latest = {"Type": kind, "Properties": {qualified: GETATT, **extra}}
    on_alias = {"Type": kind, "Properties": {qualified: GETATT, "Qualifier": "live", **extra}}
    processed = process(template(OnLatest=on_latest, OnAlias=on_alias))
    out = processed.template["Resources"]
    assert "Qualifier" not in out["OnLatest"]["Properties"]
    assert out["OnAlias"]["Properties"]["Qualifier"] == "live"
    [note] = processed.notes
    assert note.location == "Resources.OnLatest.Properties.Qualifier"
    assert "OnAlias" in note.message


def test_of_two_configs_on_latest_the_first_moves_and_the_second_is_noted() -> None:
    config = {
        "Type": "AWS::Lambda::EventInvokeConfig",
        "Properties": {"FunctionName": {"Ref": "Fn"}, "Qualifier": "$LATEST"},
    }
    processed = process(template(First=config, Second=config))
    out = processed.template["Resources"]
    assert out["First"]["Properties"]["Qualifier"] == "live"
    assert out["Second"]["Properties"]["Qualifier"] == "$LATEST"
    assert [note.location for note in processed.notes] == ["Resources.Second.Properties.Qualifier"]


# -- whatever names an alias by string waits for it -------------------------------------------
def scalable_target(resource_id: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::ApplicationAutoScaling::ScalableTarget",
        "Properties": {
            "MaxCapacity": 10,
            "MinCapacity": 1,
            "ResourceId": resource_id,
            "ScalableDimension": "lambda:function:ProvisionedConcurrency",
            "ServiceNamespace": "lambda",
        },
    }


@pytest.mark.parametrize(
    ("resource", "depends_on"),
    [
        pytest.param(scalable_target({"Fn::Sub": "function:${Fn}:live"}), "FnAliaslive", id="sub"),
        pytest.param(scalable_target("function:worker:live"), "FnAliaslive", id="literal-name"),
        pytest.param(
            {**scalable_target({"Fn::Sub": "function:${Fn}:live"}), "DependsOn": "Other"},
            ["Other", "FnAliaslive"],
            id="keeps-the-users-dependson",
        ),
        pytest.param(scalable_target({"Fn::Sub": "function:${Fn}:blue"}), None, id="other-alias"),
        pytest.param(role({"Fn::Sub": "${Fn.Arn}:live"}), None, id="identity-policy"),
    ],
)
def test_what_names_the_alias_by_string_depends_on_it(resource: Any, depends_on: Any) -> None:
    source = template(
        function(FunctionName="worker"), Thing=resource, Other={"Type": "AWS::SQS::Queue"}
    )
    after = transform(source)["Resources"]["Thing"]
    assert after.get("DependsOn") == depends_on


@pytest.mark.parametrize(
    "endpoint",
    [
        pytest.param("arn:aws:lambda:us-east-1:123456789012:function:worker:live", id="alias"),
        pytest.param("arn:aws:lambda:us-east-1:123456789012:function:worker", id="unqualified"),
    ],
)
def test_a_dependency_that_would_close_a_cycle_is_noted_instead(endpoint: str) -> None:
    """The function references the topic; the topic names the function by a literal ARN.
    Pointing the topic at the alias (or making it wait for it) would be circular."""
    fn = function(FunctionName="worker", Environment={"Variables": {"TOPIC": {"Ref": "Topic"}}})
    topic = {
        "Type": "AWS::SNS::Topic",
        "Properties": {"Subscription": [{"Protocol": "lambda", "Endpoint": endpoint}]},
    }
    source = template(fn, Topic=topic)
    processed = process(source)
    assert processed.template["Resources"]["Topic"] == source["Resources"]["Topic"]
    locations = [note.location for note in processed.notes]
    assert "Resources.Topic" in locations
    assert {finding.location for finding in check(processed.template)} <= set(locations)


def test_a_conditional_alias_is_not_waited_for_by_an_unconditional_resource() -> None:
    fn = function()
    fn["Condition"] = "IsProd"
    after = transform(template(fn, Thing=scalable_target({"Fn::Sub": "function:${Fn}:live"})))
    assert "DependsOn" not in after["Resources"]["Thing"]


# -- options as intrinsics --------------------------------------------------------------------
def with_options(**options: Any) -> dict[str, Any]:
    fn = function()
    fn["Metadata"] = {"VersionAlias": options}
    return fn


@pytest.mark.parametrize(
    ("options", "parameters", "alias_id"),
    [
        pytest.param({"AliasName": {"Ref": "Stage"}}, {}, "FnAliasdev", id="alias-ref-default"),
        pytest.param(
            {"AliasName": {"Ref": "Stage"}}, {"Stage": "prod"}, "FnAliasprod", id="alias-ref"
        ),
        pytest.param(
            {"AliasName": {"Fn::If": ["IsProd", "prod", {"Ref": "AWS::NoValue"}]}},
            {},
            "FnAliaslive",
            id="alias-novalue-is-the-default",
        ),
        pytest.param({"Enabled": {"Fn::If": ["IsProd", True, False]}}, {}, None, id="enabled-if"),
    ],
)
def test_options_may_be_intrinsics_that_parameters_decide(
    options: dict, parameters: dict, alias_id: str | None
) -> None:
    context = TransformContext(parameter_values=parameters)
    aliases = by_type(
        process(template(with_options(**options)), context).template, "AWS::Lambda::Alias"
    )
    assert list(aliases) == ([alias_id] if alias_id else [])


def test_consumer_target_may_be_an_intrinsic() -> None:
    rule = {
        "Type": "AWS::Events::Rule",
        "Metadata": {"VersionAlias": {"Target": {"Fn::If": ["IsProd", "alias", "function"]}}},
        "Properties": {"Targets": [{"Id": "t", "Arn": GETATT}]},
    }
    source = template(Rule=rule)
    dev = transform(source)["Resources"]["Rule"]["Properties"]["Targets"][0]["Arn"]
    prod_context = TransformContext(parameter_values={"Stage": "prod"})
    prod = process(source, prod_context).template["Resources"]["Rule"]["Properties"]
    assert dev == GETATT
    assert prod["Targets"][0]["Arn"] == ALIAS
    assert check(source) == []  # on the function on purpose, with the default Stage


def test_an_option_parameters_cannot_decide_is_an_error_with_its_path() -> None:
    source = template(with_options(AliasName={"Fn::GetAtt": ["Other", "Name"]}))
    source["Resources"]["Other"] = {"Type": "AWS::SQS::Queue"}
    with pytest.raises(
        TransformError, match=r"Resources\.Fn\.Metadata\.VersionAlias\.AliasName: cannot be decided"
    ):
        transform(source)


SECRET = {"Ref": "Secret"}
NOECHO = "takes its value from NoEcho parameter Secret; the macro never acts on a NoEcho value"


@pytest.mark.parametrize(
    ("where", "options", "message"),
    [
        pytest.param("Resources.Fn", {"AliasName": SECRET}, NOECHO, id="alias-ref"),
        pytest.param(
            "Resources.Fn", {"AliasName": {"Fn::Sub": "a-${Secret}"}}, NOECHO, id="alias-sub"
        ),
        pytest.param(
            "Resources.Fn",
            {"AliasName": {"Fn::If": ["IsProd", "prod", SECRET]}},
            NOECHO,
            id="alias-if-choosing-the-secret",
        ),
        pytest.param("Resources.Fn", {"Enabled": SECRET}, NOECHO, id="enabled"),
        pytest.param("", {"AliasName": SECRET}, NOECHO, id="template-alias"),
        pytest.param("Resources.Rule", {"Target": SECRET}, NOECHO, id="consumer-target"),
        pytest.param(
            "Resources.Fn",
            {"AliasName": {"Fn::Join": ["-", [SECRET, {"Ref": "Other"}]]}},
            "takes its value from NoEcho parameters Other, Secret;",
            id="two-noecho-parameters",
        ),
    ],
)
def test_an_option_from_a_noecho_parameter_says_so_without_its_value(
    where: str, options: dict[str, Any], message: str
) -> None:
    """`AliasName: !Ref Secret` already is a `!Ref` to a parameter: the error must name
    NoEcho as the reason, and never show the value."""
    rule = {
        "Type": "AWS::Events::Rule",
        "Properties": {
            "ScheduleExpression": "rate(1 hour)",
            "Targets": [{"Id": "t", "Arn": GETATT}],
        },
    }
    source = template(Rule=rule)
    source["Parameters"]["Other"] = {"Type": "String", "Default": "o" * 20, "NoEcho": "true"}
    node = source["Resources"][where.split(".")[1]] if where else source
    node["Metadata"] = {"VersionAlias": options}
    option = next(iter(options))
    path = f"{where}.Metadata.VersionAlias.{option}".lstrip(".")
    with pytest.raises(TransformError) as raised:
        transform(source)
    text = str(raised.value)
    assert text.startswith(f"{path}: {message}")
    assert "Fix: write a literal, or !Ref a parameter without NoEcho." in text
    assert "s" * 20 not in text and "o" * 20 not in text


@pytest.mark.parametrize(
    ("value", "parameters", "expected"),
    [
        pytest.param({"Fn::If": ["IsProd", 2, {"Ref": "AWS::NoValue"}]}, {}, None, id="if-novalue"),
        pytest.param(
            {"Fn::If": ["IsProd", 2, {"Ref": "AWS::NoValue"}]}, {"Stage": "prod"}, 2, id="if-2"
        ),
        pytest.param({"Ref": "Warm"}, {}, None, id="number-parameter-0"),
        pytest.param({"Ref": "Warm"}, {"Warm": "4"}, {"Ref": "Warm"}, id="number-parameter-4"),
        pytest.param(0, {}, None, id="literal-0"),
        pytest.param({"Ref": "AWS::NoValue"}, {}, None, id="novalue"),
    ],
)
def test_provisioned_concurrency_of_0_or_novalue_means_none(
    value: Any, parameters: dict, expected: Any
) -> None:
    context = TransformContext(parameter_values=parameters)
    output = process(template(with_options(ProvisionedConcurrency=value)), context).template
    config = output["Resources"]["FnAliaslive"]["Properties"].get("ProvisionedConcurrencyConfig")
    assert config == (None if expected is None else {"ProvisionedConcurrentExecutions": expected})


@pytest.mark.parametrize(
    ("value", "parameters"),
    [
        pytest.param(-1, {}, id="literal"),
        pytest.param({"Ref": "Warm"}, {"Warm": "-2"}, id="parameter"),
    ],
)
def test_negative_provisioned_concurrency_is_an_error(value: Any, parameters: dict) -> None:
    context = TransformContext(parameter_values=parameters)
    with pytest.raises(TransformError, match=r"ProvisionedConcurrency: is negative"):
        process(template(with_options(ProvisionedConcurrency=value)), context)


# -- DeletionPolicy ---------------------------------------------------------------------------
def distribution(arn: Any) -> dict[str, Any]:
    association = {"EventType": "viewer-request", "LambdaFunctionARN": arn}
    behavior = {
        "TargetOriginId": "o",
        "ViewerProtocolPolicy": "allow-all",
        "LambdaFunctionAssociations": [association],
    }
    return {
        "Type": "AWS::CloudFront::Distribution",
        "Properties": {"DistributionConfig": {"Enabled": True, "DefaultCacheBehavior": behavior}},
    }


@pytest.mark.parametrize(
    ("resources", "policy"),
    [
        pytest.param({}, "RetainExceptOnCreate", id="any-function"),
        pytest.param({"Cdn": distribution(GETATT)}, "Retain", id="lambda-at-edge"),
        pytest.param(
            {"Cdn": distribution({"Fn::Sub": "${Fn.Arn}:7"})},
            "RetainExceptOnCreate",
            id="edge-pinned-to-another-version",
        ),
        pytest.param(
            {
                "Cdn": distribution({"Ref": "EdgeV7"}),
                "EdgeV7": {
                    "Type": "AWS::Lambda::Version",
                    "Properties": {"FunctionName": {"Ref": "Fn"}},
                },
            },
            "Retain",
            id="edge-version-written-by-hand-and-taken-over",
        ),
        pytest.param(
            {"Cdn": distribution({"Fn::GetAtt": ["Fn", "Version.FunctionArn"]})},
            "Retain",
            id="edge-sam-version-name",
        ),
    ],
)
def test_versions_are_retained_except_on_create_but_edge_versions_always(
    resources: dict, policy: str
) -> None:
    (version,) = by_type(transform(template(**resources)), "AWS::Lambda::Version").values()
    assert version["DeletionPolicy"] == policy
    assert version["UpdateReplacePolicy"] == "Retain"


# -- a template's own macro ------------------------------------------------------------------
def test_a_macro_defined_in_the_template_invokes_the_alias() -> None:
    macro = {
        "Type": "AWS::CloudFormation::Macro",
        "Properties": {"Name": "Shout", "FunctionName": GETATT},
    }
    source = template(Macro=macro)
    assert [finding.location for finding in check(source)] == [
        "Resources.Macro.Properties.FunctionName"
    ]
    assert transform(source)["Resources"]["Macro"]["Properties"]["FunctionName"] == ALIAS
