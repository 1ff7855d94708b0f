"""Issue 3's done-when: mutation pairs, each with whether the deploy publishes a new version.

Every case edits a copy of one realistic template (or the deploy's parameter values) and
states the answer. "Too little" cases (True) would serve stale code or configuration if
the hash missed them; "too much" cases (False) would churn versions or fail the deploy.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from version_alias import TransformContext, transform

Template = dict[str, Any]
Mutation = Callable[[Template], None]


def base_template() -> Template:
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {
            "Stage": {"Type": "String", "Default": "prod"},
            "CodeKey": {"Type": "String", "Default": "code/v1.zip"},
            "Memory": {"Type": "Number", "Default": 128},
            "Unused": {"Type": "String", "Default": "x"},
            "ApiKey": {"Type": "String", "NoEcho": True, "Default": "s3cret"},
            "ConfigName": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/app/cfg"},
        },
        "Mappings": {
            "StageConfig": {"prod": {"LogLevel": "INFO"}, "dev": {"LogLevel": "DEBUG"}},
        },
        "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
        "Resources": {
            "Layer": {
                "Type": "AWS::Lambda::LayerVersion",
                "Properties": {
                    "Content": {"S3Bucket": "artifacts", "S3Key": "layer/v1.zip"},
                    "CompatibleRuntimes": ["python3.13"],
                },
            },
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
                    "Policies": [
                        {
                            "PolicyName": "read",
                            "PolicyDocument": {"Version": "2012-10-17", "Statement": []},
                        }
                    ],
                },
            },
            "Dlq": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}},
            "Setting": {
                "Type": "AWS::SSM::Parameter",
                "Properties": {"Type": "String", "Value": "blue"},
            },
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": "orders"}},
            "Other": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.13",
                    "Handler": "index.handler",
                    "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                    "Code": {"ZipFile": "def handler(e, c): return 1"},
                },
            },
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Description": "orders",
                    "Runtime": "python3.13",
                    "Handler": "index.handler",
                    "MemorySize": {"Ref": "Memory"},
                    "Timeout": 10,
                    "Architectures": ["arm64"],
                    "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                    "Code": {"S3Bucket": "artifacts", "S3Key": {"Ref": "CodeKey"}},
                    "Layers": [
                        {"Ref": "Layer"},
                        "arn:aws:lambda:us-east-1:123456789012:layer:shared:3",
                    ],
                    "Environment": {
                        "Variables": {
                            "STAGE": {"Fn::Sub": "${Stage}-orders"},
                            "LOG_LEVEL": {
                                "Fn::FindInMap": ["StageConfig", {"Ref": "Stage"}, "LogLevel"]
                            },
                            "MODE": {"Fn::If": ["IsProd", "live", "test"]},
                            "SETTING": {"Fn::GetAtt": ["Setting", "Value"]},
                            "OTHER": {"Fn::GetAtt": ["Other", "Arn"]},
                        }
                    },
                    "TracingConfig": {"Mode": "Active"},
                    "DeadLetterConfig": {"TargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}},
                    "Tags": [{"Key": "team", "Value": "orders"}],
                },
            },
        },
    }


def fn(template: Template) -> dict[str, Any]:
    return template["Resources"]["Fn"]["Properties"]


def env(template: Template) -> dict[str, Any]:
    return fn(template)["Environment"]["Variables"]


def props(logical_id: str) -> Callable[[Template], dict[str, Any]]:
    return lambda template: template["Resources"][logical_id]["Properties"]


def setting(getter: Callable[[Template], dict], key: str, value: Any) -> Mutation:
    return lambda template: getter(template).__setitem__(key, value)


def removing(getter: Callable[[Template], dict], key: str) -> Mutation:
    return lambda template: getter(template).pop(key)


def both(*mutations: Mutation) -> Mutation:
    def apply(template: Template) -> None:
        for mutation in mutations:
            mutation(template)

    return apply


def unchanged(_template: Template) -> None:
    return None


def code(template: Template) -> dict[str, Any]:
    return fn(template)["Code"]


def reverse_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: reverse_keys(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reverse_keys(item) for item in value]
    return value


def reorder_everything(template: Template) -> None:
    reordered = reverse_keys(copy.deepcopy(template))
    template.clear()
    template.update(reordered)


def parameter_default(name: str, value: Any) -> Mutation:
    return lambda template: template["Parameters"][name].__setitem__("Default", value)


STAMPED = "orders (version-alias 0123456789)"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders"

# (id, before, after, parameter values before, parameter values after, new version?)
CASES: list[Any] = [
    # --- code --------------------------------------------------------------------
    ("code-s3-key", unchanged, setting(code, "S3Key", "code/v2.zip"), {}, {}, True),
    ("code-s3-bucket", unchanged, setting(code, "S3Bucket", "other"), {}, {}, True),
    ("code-s3-object-version", unchanged, setting(code, "S3ObjectVersion", "v7"), {}, {}, True),
    (
        "code-s3-key-from-parameter-value",
        unchanged,
        unchanged,
        {},
        {"CodeKey": "code/v2.zip"},
        True,
    ),
    (
        "code-zipfile-edit",
        setting(fn, "Code", {"ZipFile": "def handler(e, c): return 1"}),
        setting(fn, "Code", {"ZipFile": "def handler(e, c): return 2"}),
        {},
        {},
        True,
    ),
    (
        "code-image-uri",
        both(setting(fn, "PackageType", "Image"), setting(fn, "Code", {"ImageUri": IMAGE + ":1"})),
        both(setting(fn, "PackageType", "Image"), setting(fn, "Code", {"ImageUri": IMAGE + ":2"})),
        {},
        {},
        True,
    ),
    # --- configuration -------------------------------------------------------------
    ("runtime", unchanged, setting(fn, "Runtime", "python3.12"), {}, {}, True),
    ("handler", unchanged, setting(fn, "Handler", "app.handler"), {}, {}, True),
    ("memory-size-parameter", unchanged, unchanged, {}, {"Memory": "256"}, True),
    ("memory-size-number-vs-string", unchanged, unchanged, {}, {"Memory": "128"}, False),
    (
        "timeout-number-vs-string",
        unchanged,
        setting(fn, "Timeout", "10"),
        {},
        {},
        False,
    ),
    ("timeout", unchanged, setting(fn, "Timeout", 30), {}, {}, True),
    ("architectures", unchanged, setting(fn, "Architectures", ["x86_64"]), {}, {}, True),
    ("description", unchanged, setting(fn, "Description", "orders v2"), {}, {}, True),
    ("description-stamp-only", unchanged, setting(fn, "Description", STAMPED), {}, {}, False),
    (
        "vpc-config",
        unchanged,
        setting(fn, "VpcConfig", {"SubnetIds": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}),
        {},
        {},
        True,
    ),
    (
        "tracing-config",
        unchanged,
        setting(fn, "TracingConfig", {"Mode": "PassThrough"}),
        {},
        {},
        True,
    ),
    ("ephemeral-storage", unchanged, setting(fn, "EphemeralStorage", {"Size": 1024}), {}, {}, True),
    (
        "logging-config",
        unchanged,
        setting(fn, "LoggingConfig", {"LogFormat": "JSON"}),
        {},
        {},
        True,
    ),
    (
        "dead-letter-config-target",
        unchanged,
        setting(fn, "DeadLetterConfig", {"TargetArn": {"Fn::GetAtt": ["Topic", "TopicArn"]}}),
        {},
        {},
        True,
    ),
    ("unknown-future-property", unchanged, setting(fn, "FutureThing", {"On": True}), {}, {}, True),
    # --- environment and intrinsics --------------------------------------------------
    ("env-var-value", unchanged, setting(env, "EXTRA", "1"), {}, {}, True),
    (
        "env-var-rename",
        unchanged,
        both(removing(env, "STAGE"), setting(env, "STAGE_NAME", {"Fn::Sub": "${Stage}-orders"})),
        {},
        {},
        True,
    ),
    ("sub-with-parameter", unchanged, unchanged, {}, {"Stage": "dev"}, True),
    (
        "base64-equals-its-encoding",
        setting(env, "B64", {"Fn::Base64": "hello"}),
        setting(env, "B64", "aGVsbG8="),
        {},
        {},
        False,
    ),
    ("parameter-unused", unchanged, unchanged, {}, {"Unused": "y"}, False),
    ("parameter-default-unused", unchanged, parameter_default("Unused", "z"), {}, {}, False),
    ("parameter-default-used", unchanged, parameter_default("CodeKey", "c/2.zip"), {}, {}, True),
    (
        "parameter-value-equals-default",
        unchanged,
        unchanged,
        {},
        {"CodeKey": "code/v1.zip"},
        False,
    ),
    (
        "find-in-map-used-entry",
        unchanged,
        lambda t: t["Mappings"]["StageConfig"]["prod"].__setitem__("LogLevel", "WARN"),
        {},
        {},
        True,
    ),
    (
        "find-in-map-unused-entry",
        unchanged,
        lambda t: t["Mappings"]["StageConfig"]["dev"].__setitem__("LogLevel", "WARN"),
        {},
        {},
        False,
    ),
    (
        "if-condition-flips",
        unchanged,
        lambda t: t["Conditions"].__setitem__("IsProd", {"Fn::Equals": ["a", "b"]}),
        {},
        {},
        True,
    ),
    (
        "if-branch-not-taken",
        unchanged,
        setting(env, "MODE", {"Fn::If": ["IsProd", "live", "qa"]}),
        {},
        {},
        False,
    ),
    (
        "no-value-equals-absent",
        setting(env, "DEBUG", {"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, "1"]}),
        unchanged,
        {},
        {},
        False,
    ),
    (
        "import-value-same-export",
        setting(env, "VPC", {"Fn::ImportValue": "net-VpcId"}),
        setting(env, "VPC", {"Fn::ImportValue": "net-VpcId"}),
        {},
        {},
        False,
    ),
    (
        "import-value-other-export",
        setting(env, "VPC", {"Fn::ImportValue": "net-VpcId"}),
        setting(env, "VPC", {"Fn::ImportValue": "net2-VpcId"}),
        {},
        {},
        True,
    ),
    (
        "dynamic-reference-version",
        setting(env, "KEY", "{{resolve:ssm:/app/key:1}}"),
        setting(env, "KEY", "{{resolve:ssm:/app/key:2}}"),
        {},
        {},
        True,
    ),
    (
        "ssm-parameter-type-name",
        setting(env, "CFG", {"Ref": "ConfigName"}),
        setting(env, "CFG", {"Ref": "ConfigName"}),
        {},
        {"ConfigName": "/app/cfg2"},
        True,
    ),
    (
        "noecho-value-changes",
        setting(env, "KEY", {"Ref": "ApiKey"}),
        setting(env, "KEY", {"Ref": "ApiKey"}),
        {"ApiKey": "one"},
        {"ApiKey": "two"},
        True,
    ),
    (
        "noecho-masked-value-stays-masked",
        setting(env, "KEY", {"Ref": "ApiKey"}),
        setting(env, "KEY", {"Ref": "ApiKey"}),
        {"ApiKey": "****"},
        {"ApiKey": "****"},
        False,
    ),
    # --- layers ----------------------------------------------------------------------
    (
        "layers-order",
        unchanged,
        lambda t: fn(t)["Layers"].reverse(),
        {},
        {},
        True,
    ),
    ("layer-removed", unchanged, lambda t: fn(t)["Layers"].pop(), {}, {}, True),
    (
        "in-template-layer-content",
        unchanged,
        lambda t: props("Layer")(t)["Content"].__setitem__("S3Key", "layer/v2.zip"),
        {},
        {},
        True,
    ),
    (
        "in-template-layer-runtimes",
        unchanged,
        setting(props("Layer"), "CompatibleRuntimes", ["python3.12"]),
        {},
        {},
        True,
    ),
    # --- referenced resources ------------------------------------------------------
    (
        "role-policy",
        unchanged,
        lambda t: props("Role")(t)["Policies"][0].__setitem__("PolicyName", "write"),
        {},
        {},
        False,
    ),
    (
        "role-managed-policies",
        unchanged,
        setting(props("Role"), "ManagedPolicyArns", ["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
        {},
        {},
        False,
    ),
    ("role-name", unchanged, setting(props("Role"), "RoleName", "orders-role"), {}, {}, True),
    ("role-path", unchanged, setting(props("Role"), "Path", "/app/"), {}, {}, True),
    (
        "dlq-visibility-timeout",
        unchanged,
        setting(props("Dlq"), "VisibilityTimeout", 60),
        {},
        {},
        False,
    ),
    ("dlq-queue-name", unchanged, setting(props("Dlq"), "QueueName", "orders-dlq"), {}, {}, True),
    (
        "ssm-parameter-value-via-getatt",
        unchanged,
        setting(props("Setting"), "Value", "green"),
        {},
        {},
        True,
    ),
    (
        "referenced-function-code",
        unchanged,
        setting(props("Other"), "Code", {"ZipFile": "def handler(e, c): return 2"}),
        {},
        {},
        False,
    ),
    (
        "unrelated-resource-changed",
        unchanged,
        setting(props("Topic"), "DisplayName", "x"),
        {},
        {},
        False,
    ),
    (
        "unrelated-resource-added",
        unchanged,
        lambda t: t["Resources"].__setitem__("Queue", {"Type": "AWS::SQS::Queue"}),
        {},
        {},
        False,
    ),
    # --- function-level and template-level -------------------------------------------
    ("tags", unchanged, setting(fn, "Tags", [{"Key": "team", "Value": "billing"}]), {}, {}, False),
    (
        "reserved-concurrency",
        unchanged,
        setting(fn, "ReservedConcurrentExecutions", 5),
        {},
        {},
        False,
    ),
    ("recursive-loop", unchanged, setting(fn, "RecursiveLoop", "Allow"), {}, {}, False),
    (
        "code-signing-config",
        unchanged,
        setting(fn, "CodeSigningConfigArn", "arn:aws:lambda:us-east-1:1:code-signing-config:csc-1"),
        {},
        {},
        False,
    ),
    (
        "function-scaling-config",
        unchanged,
        setting(fn, "FunctionScalingConfig", {"MinExecutionEnvironments": 1}),
        {},
        {},
        False,
    ),
    (
        "depends-on",
        unchanged,
        lambda t: t["Resources"]["Fn"].__setitem__("DependsOn", ["Topic"]),
        {},
        {},
        False,
    ),
    ("key-order-everywhere", unchanged, reorder_everything, {}, {}, False),
    (
        "salt-added",
        unchanged,
        lambda t: t["Resources"]["Fn"].__setitem__("Metadata", {"VersionAlias": {"Salt": "1"}}),
        {},
        {},
        True,
    ),
    (
        "salt-changed",
        lambda t: t["Resources"]["Fn"].__setitem__("Metadata", {"VersionAlias": {"Salt": "1"}}),
        lambda t: t["Resources"]["Fn"].__setitem__("Metadata", {"VersionAlias": {"Salt": "2"}}),
        {},
        {},
        True,
    ),
    (
        "other-metadata",
        unchanged,
        lambda t: t["Resources"]["Fn"].__setitem__("Metadata", {"cfn-lint": {"x": 1}}),
        {},
        {},
        False,
    ),
]


def version_of(template: Template, parameters: dict[str, Any]) -> str:
    processed = transform(template, TransformContext(parameter_values=parameters))
    (version,) = [
        key
        for key, resource in processed["Resources"].items()
        if resource["Type"] == "AWS::Lambda::Version"
        and resource["Properties"]["FunctionName"] == {"Ref": "Fn"}
    ]
    return version


@pytest.mark.parametrize(
    ("before", "after", "params_before", "params_after", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_mutation_publishes_a_new_version_exactly_when_expected(
    before: Mutation,
    after: Mutation,
    params_before: dict[str, Any],
    params_after: dict[str, Any],
    expected: bool,
) -> None:
    old, new = base_template(), base_template()
    before(old)
    before(new)
    after(new)
    published = version_of(old, params_before) != version_of(new, params_after)
    assert published is expected


def test_there_are_at_least_thirty_named_cases() -> None:
    ids = [case[0] for case in CASES]
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids)
    assert sum(1 for case in CASES if case[-1]) >= 10
    assert sum(1 for case in CASES if not case[-1]) >= 10
