"""CodeDeploy traffic shifting from `Metadata.VersionAlias.DeploymentPreference`."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from version_alias.context import TransformContext
from version_alias.errors import TransformError
from version_alias.transform import transform

ROLLBACK = {
    "Enabled": True,
    "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"],
}
STYLE = {"DeploymentType": "BLUE_GREEN", "DeploymentOption": "WITH_TRAFFIC_CONTROL"}
GENERATED_ROLE = {"Fn::GetAtt": ["CodeDeployServiceRole", "Arn"]}


def function(role: Any = "arn:aws:iam::123456789012:role/fn", **options: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Runtime": "python3.13",
            "Handler": "index.handler",
            "Role": role,
            "Code": {"S3Bucket": "bucket", "S3Key": "code.zip"},
        },
    }
    if options:
        resource["Metadata"] = {"VersionAlias": options}
    return resource


def role() -> dict[str, Any]:
    return {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}}


def template(metadata: dict[str, Any] | None = None, **resources: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"Resources": resources}
    if metadata is not None:
        out["Metadata"] = {"VersionAlias": metadata}
    return out


def canary(**extra: Any) -> dict[str, Any]:
    return {"Type": "Canary10Percent5Minutes", **extra}


def group(**properties: Any) -> dict[str, Any]:
    """A deployment group as generated, with the defaults filled in."""
    out = {
        "ApplicationName": {"Ref": "ServerlessDeploymentApplication"},
        "AutoRollbackConfiguration": ROLLBACK,
        "DeploymentConfigName": "CodeDeployDefault.LambdaCanary10Percent5Minutes",
        "DeploymentStyle": STYLE,
        "ServiceRoleArn": GENERATED_ROLE,
    }
    out.update(properties)
    return {key: out[key] for key in sorted(out)}


def properties_of(processed: dict[str, Any], logical_id: str) -> dict[str, Any]:
    found = processed["Resources"][logical_id]["Properties"]
    return {key: found[key] for key in sorted(found)}


def test_canary_generates_sam_shaped_resources() -> None:
    processed = transform(template(Fn=function(DeploymentPreference=canary())))
    resources = processed["Resources"]
    assert properties_of(processed, "FnDeploymentGroup") == group()
    assert resources["ServerlessDeploymentApplication"] == {
        "Type": "AWS::CodeDeploy::Application",
        "Properties": {"ComputePlatform": "Lambda"},
    }
    assert resources["CodeDeployServiceRole"]["Properties"] == {
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": ["sts:AssumeRole"],
                    "Effect": "Allow",
                    "Principal": {"Service": ["codedeploy.amazonaws.com"]},
                }
            ],
        },
        "ManagedPolicyArns": [
            {
                "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/"
                "AWSCodeDeployRoleForLambda"
            }
        ],
    }
    assert resources["FnAliaslive"]["UpdatePolicy"] == {
        "CodeDeployLambdaAliasUpdate": {
            "ApplicationName": {"Ref": "ServerlessDeploymentApplication"},
            "DeploymentGroupName": {"Ref": "FnDeploymentGroup"},
        }
    }
    version_ids = [key for key, res in resources.items() if res["Type"] == "AWS::Lambda::Version"]
    assert len(version_ids) == 1
    assert "UpdatePolicy" not in resources[version_ids[0]]


def test_isolated_partition_uses_the_limited_managed_policy() -> None:
    processed = transform(
        template(Fn=function(DeploymentPreference=canary())),
        TransformContext(region="us-iso-east-1"),
    )
    role_properties = processed["Resources"]["CodeDeployServiceRole"]["Properties"]
    assert role_properties["ManagedPolicyArns"] == [
        {
            "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/"
            "AWSCodeDeployRoleForLambdaLimited"
        }
    ]


PARAMETERS = {
    "Shift": {"Type": "String", "Default": "Linear10PercentEvery1Minute"},
    "Custom": {"Type": "String", "Default": "MyConfig"},
}


@pytest.mark.parametrize(
    ("type_", "expected"),
    [
        pytest.param(
            "Linear10PercentEvery10Minutes",
            "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes",
            id="predefined",
        ),
        pytest.param("AllAtOnce", "CodeDeployDefault.LambdaAllAtOnce", id="all-at-once"),
        pytest.param("MyCompanyCanary", "MyCompanyCanary", id="custom-name"),
        pytest.param({"Ref": "MyConfig"}, {"Ref": "MyConfig"}, id="custom-config-resource"),
        pytest.param(
            {"Ref": "Shift"}, "CodeDeployDefault.LambdaLinear10PercentEvery1Minute", id="parameter"
        ),
        pytest.param({"Ref": "Custom"}, {"Ref": "Custom"}, id="parameter-custom-name"),
        pytest.param(
            {"Fn::If": ["Prod", "Canary10Percent30Minutes", "AllAtOnce"]},
            {
                "Fn::If": [
                    "Prod",
                    "CodeDeployDefault.LambdaCanary10Percent30Minutes",
                    "CodeDeployDefault.LambdaAllAtOnce",
                ]
            },
            id="if-branches",
        ),
    ],
)
def test_deployment_config_name(type_: Any, expected: Any) -> None:
    source = template(Fn=function(DeploymentPreference={"Type": type_}))
    source["Parameters"] = PARAMETERS
    source["Conditions"] = {"Prod": {"Fn::Equals": [{"Ref": "AWS::StackName"}, "prod"]}}
    source["Resources"]["MyConfig"] = {"Type": "AWS::CodeDeploy::DeploymentConfig"}
    processed = transform(source)
    assert processed["Resources"]["FnDeploymentGroup"]["Properties"]["DeploymentConfigName"] == (
        expected
    )


@pytest.mark.parametrize(
    ("alarms", "expected"),
    [
        pytest.param(
            [{"Ref": "Errors"}, "legacy-alarm"],
            {"Enabled": True, "Alarms": [{"Name": {"Ref": "Errors"}}, {"Name": "legacy-alarm"}]},
            id="list",
        ),
        pytest.param([], None, id="empty"),
        pytest.param({"Ref": "AWS::NoValue"}, None, id="no-value"),
        pytest.param(
            {"Fn::If": ["Prod", ["a"], {"Ref": "AWS::NoValue"}]},
            {
                "Fn::If": [
                    "Prod",
                    {"Enabled": True, "Alarms": [{"Name": "a"}]},
                    {"Ref": "AWS::NoValue"},
                ]
            },
            id="if",
        ),
    ],
)
def test_alarm_configuration(alarms: Any, expected: Any) -> None:
    processed = transform(template(Fn=function(DeploymentPreference=canary(Alarms=alarms))))
    found = processed["Resources"]["FnDeploymentGroup"]["Properties"].get("AlarmConfiguration")
    assert found == expected


def test_hooks_are_named_granted_and_waited_for() -> None:
    preference = canary(Hooks={"PreTraffic": {"Ref": "Pre"}, "PostTraffic": {"Ref": "Post"}})
    processed = transform(
        template(
            Fn=function(DeploymentPreference=preference),
            Pre=function(role={"Fn::GetAtt": ["PreRole", "Arn"]}),
            Post=function(role={"Fn::Sub": "${PostRole.Arn}"}),
            PreRole=role(),
            PostRole=role(),
        )
    )
    resources = processed["Resources"]
    alias = resources["FnAliaslive"]
    assert alias["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"] == {
        "ApplicationName": {"Ref": "ServerlessDeploymentApplication"},
        "DeploymentGroupName": {"Ref": "FnDeploymentGroup"},
        "BeforeAllowTrafficHook": {"Ref": "Pre"},
        "AfterAllowTrafficHook": {"Ref": "Post"},
    }
    assert alias["DependsOn"] == ["PostCodeDeployHookPolicy", "PreCodeDeployHookPolicy"]
    assert resources["PreCodeDeployHookPolicy"] == {
        "Type": "AWS::IAM::Policy",
        "Properties": {
            "PolicyName": "PreCodeDeployHook",
            "Roles": [{"Ref": "PreRole"}],
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "codedeploy:PutLifecycleEventHookExecutionStatus",
                        "Resource": {
                            "Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:"
                            "${AWS::AccountId}:deploymentgroup:"
                            "${ServerlessDeploymentApplication}/*"
                        },
                    }
                ],
            },
        },
    }
    assert resources["PostCodeDeployHookPolicy"]["Properties"]["Roles"] == [{"Ref": "PostRole"}]
    assert resources["CodeDeployServiceRole"]["Properties"]["Policies"] == [
        {
            "PolicyName": "InvokeDeploymentHooks",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "lambda:InvokeFunction",
                        "Resource": [
                            {"Fn::GetAtt": ["Post", "Arn"]},
                            {"Fn::Sub": "${Post.Arn}:*"},  # added by the IAM widening
                            {"Fn::GetAtt": ["Pre", "Arn"]},
                            {"Fn::Sub": "${Pre.Arn}:*"},
                        ],
                    }
                ],
            },
        }
    ]
    # Hooks are versioned like any other function, and get no deployment group themselves.
    assert resources["PreAliaslive"]["Type"] == "AWS::Lambda::Alias"
    assert "PreDeploymentGroup" not in resources


def test_hook_with_a_role_outside_the_template_gets_no_policy() -> None:
    processed = transform(
        template(
            Fn=function(DeploymentPreference=canary(Hooks={"PreTraffic": {"Ref": "Pre"}})),
            Pre=function(),
        )
    )
    resources = processed["Resources"]
    assert "PreCodeDeployHookPolicy" not in resources
    assert "DependsOn" not in resources["FnAliaslive"]


def test_own_role_replaces_the_generated_one() -> None:
    own = {"Fn::GetAtt": ["DeployRole", "Arn"]}
    processed = transform(
        template(
            Fn=function(DeploymentPreference=canary(Role=own, TriggerConfigurations=[{"A": 1}])),
            DeployRole=role(),
        )
    )
    resources = processed["Resources"]
    assert "CodeDeployServiceRole" not in resources
    assert properties_of(processed, "FnDeploymentGroup") == group(
        ServiceRoleArn=own, TriggerConfigurations=[{"A": 1}]
    )


@pytest.mark.parametrize(
    "enabled",
    [
        pytest.param(False, id="bool"),
        pytest.param("false", id="string"),
        pytest.param({"Ref": "On"}, id="parameter"),
    ],
)
def test_disabled_preference_generates_nothing(enabled: Any) -> None:
    source = template(Fn=function(DeploymentPreference=canary(Enabled=enabled)))
    source["Parameters"] = {"On": {"Type": "String", "Default": "false"}}
    resources = transform(source)["Resources"]
    assert sorted(res["Type"] for res in resources.values()) == [
        "AWS::Lambda::Alias",
        "AWS::Lambda::Function",
        "AWS::Lambda::Version",
    ]
    assert "UpdatePolicy" not in resources["FnAliaslive"]


def test_template_default_merges_under_function_and_skips_hooks() -> None:
    default = canary(Alarms=["a"], Hooks={"PreTraffic": {"Ref": "Hook"}})
    processed = transform(
        template(
            {"DeploymentPreference": default},
            One=function(),
            Two=function(DeploymentPreference={"Type": "AllAtOnce"}),
            Off=function(DeploymentPreference={"Enabled": False}),
            Hook=function(),
        )
    )
    resources = processed["Resources"]
    alarms = {"Enabled": True, "Alarms": [{"Name": "a"}]}
    assert properties_of(processed, "OneDeploymentGroup") == group(AlarmConfiguration=alarms)
    assert properties_of(processed, "TwoDeploymentGroup") == group(
        AlarmConfiguration=alarms, DeploymentConfigName="CodeDeployDefault.LambdaAllAtOnce"
    )
    assert "OffDeploymentGroup" not in resources
    assert "HookDeploymentGroup" not in resources
    assert "UpdatePolicy" not in resources["HookAliaslive"]
    hook = resources["TwoAliaslive"]["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"]
    assert hook["BeforeAllowTrafficHook"] == {"Ref": "Hook"}


def test_condition_passes_to_the_deployment_group() -> None:
    fn = function(DeploymentPreference=canary())
    fn["Condition"] = "Prod"
    off = function(DeploymentPreference=canary(PassthroughCondition=False))
    off["Condition"] = "Prod"
    resources = transform(template(Fn=fn, Off=off))["Resources"]
    assert resources["FnDeploymentGroup"]["Condition"] == "Prod"
    assert "Condition" not in resources["OffDeploymentGroup"]
    assert "Condition" not in resources["ServerlessDeploymentApplication"]


def test_idempotent_and_input_untouched() -> None:
    source = template(
        {"DeploymentPreference": {"Type": "AllAtOnce"}, "ProvisionedConcurrency": 2},
        Fn=function(
            role={"Fn::GetAtt": ["FnRole", "Arn"]},
            DeploymentPreference=canary(Hooks={"PreTraffic": {"Ref": "Hook"}}),
            ProvisionedConcurrency=4,
        ),
        Plain=function(),
        Off=function(DeploymentPreference={"Enabled": False}),
        Hook=function(role={"Fn::GetAtt": ["FnRole", "Arn"]}),
        FnRole=role(),
    )
    snapshot = copy.deepcopy(source)
    once = transform(source)
    assert source == snapshot
    assert transform(once) == once
    resources = once["Resources"]
    assert sorted(key for key in resources if key.endswith("DeploymentGroup")) == [
        "FnDeploymentGroup",
        "PlainDeploymentGroup",
    ]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        pytest.param(
            {
                "DeploymentPreference": canary(Alarms=[{"Ref": "Alarm"}]),
                "ProvisionedConcurrency": 1,
            },
            None,
            id="consumed",
        ),
        pytest.param(
            {"AliasName": "prod", "DeploymentPreference": canary()},
            {"VersionAlias": {"AliasName": "prod"}},
            id="other-options-kept",
        ),
        pytest.param(
            {"DeploymentPreference": canary(Enabled=False)},
            {"VersionAlias": {"DeploymentPreference": {"Enabled": False}}},
            id="disabled-kept",
        ),
    ],
)
def test_function_metadata_after_the_macro(options: dict, expected: Any) -> None:
    """Options the alias now carries leave the function: an alarm that watches the
    function, named in the function's Metadata, would be a dependency cycle."""
    fn = function(**options)
    fn["Metadata"]["Other"] = {"kept": True}
    processed = transform(template(Fn=fn, Alarm={"Type": "AWS::CloudWatch::Alarm"}))
    metadata = processed["Resources"]["Fn"]["Metadata"]
    assert metadata == {"Other": {"kept": True}, **(expected or {})}


def test_alias_already_deployed_by_sam() -> None:
    """A function SAM already aliased (AutoPublishAlias + DeploymentPreference)."""
    sam_policy = {
        "CodeDeployLambdaAliasUpdate": {
            "ApplicationName": {"Ref": "ServerlessDeploymentApplication"},
            "DeploymentGroupName": {"Ref": "OtherGroup"},
        }
    }
    alias = {
        "Type": "AWS::Lambda::Alias",
        "UpdatePolicy": sam_policy,
        "Properties": {
            "Name": "live",
            "FunctionName": {"Ref": "Fn"},
            "FunctionVersion": {"Fn::GetAtt": ["FnVersion", "Version"]},
        },
    }
    version = {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "Fn"}}}
    by_default = template(
        {"DeploymentPreference": canary()}, Fn=function(), FnAliaslive=alias, FnVersion=version
    )
    resources = transform(by_default)["Resources"]
    assert resources["FnAliaslive"]["UpdatePolicy"] == sam_policy
    assert "FnDeploymentGroup" not in resources
    explicit = template(
        Fn=function(DeploymentPreference=canary()), FnAliaslive=alias, FnVersion=version
    )
    with pytest.raises(TransformError) as raised:
        transform(explicit)
    assert raised.value.path == (
        "Resources",
        "Fn",
        "Metadata",
        "VersionAlias",
        "DeploymentPreference",
    )


def test_generated_id_already_taken() -> None:
    with pytest.raises(TransformError) as raised:
        transform(
            template(
                Fn=function(DeploymentPreference=canary()),
                FnDeploymentGroup={"Type": "AWS::SNS::Topic"},
            )
        )
    assert "FnDeploymentGroup is already used" in str(raised.value)


FN_PATH = ("Resources", "Fn", "Metadata", "VersionAlias", "DeploymentPreference")


@pytest.mark.parametrize(
    ("preference", "path", "words"),
    [
        pytest.param(
            {"Type": 5}, (*FN_PATH, "Type"), "deployment configuration name", id="type-int"
        ),
        pytest.param({"Type": ""}, (*FN_PATH, "Type"), "1-100 characters", id="type-empty"),
        pytest.param({"Type": "x" * 101}, (*FN_PATH, "Type"), "1-100", id="type-long"),
        pytest.param({"Alarms": []}, FN_PATH, "has no Type", id="no-type"),
        pytest.param(canary(Alarms="a"), (*FN_PATH, "Alarms"), "must be a list", id="alarms-str"),
        pytest.param(canary(Alarms=[1]), (*FN_PATH, "Alarms", 0), "alarm name", id="alarm-int"),
        pytest.param(canary(Alarms=["a"] * 11), (*FN_PATH, "Alarms"), "allows 10", id="11-alarms"),
        pytest.param(
            canary(Alrams=[]), FN_PATH, "DeploymentPreference: unknown option(s) Alrams", id="typo"
        ),
        pytest.param(canary(Hooks=[]), (*FN_PATH, "Hooks"), "must be a mapping", id="hooks-list"),
        pytest.param(
            canary(Hooks={"PreTrafic": {"Ref": "Hook"}}),
            (*FN_PATH, "Hooks"),
            "PreTrafic",
            id="hook-typo",
        ),
        pytest.param(
            canary(Hooks={"PreTraffic": {"Ref": "Topic"}}),
            (*FN_PATH, "Hooks", "PreTraffic"),
            "AWS::Lambda::Function of this template",
            id="hook-not-function",
        ),
        pytest.param(
            canary(Hooks={"PreTraffic": "CodeDeployHook_x"}),
            (*FN_PATH, "Hooks", "PreTraffic"),
            "AWS::Lambda::Function of this template",
            id="hook-name",
        ),
        pytest.param(
            canary(Hooks={"PostTraffic": {"Ref": "Fn"}}),
            (*FN_PATH, "Hooks", "PostTraffic"),
            "its own hook",
            id="hook-self",
        ),
        pytest.param(canary(Role="deploy-role"), (*FN_PATH, "Role"), "role ARN", id="role-name"),
        pytest.param(canary(Enabled="yes"), (*FN_PATH, "Enabled"), "true or false", id="enabled"),
        pytest.param(
            canary(TriggerConfigurations={"A": 1}),
            (*FN_PATH, "TriggerConfigurations"),
            "list of trigger",
            id="triggers",
        ),
        pytest.param("Canary10Percent5Minutes", FN_PATH, "must be a mapping", id="not-mapping"),
    ],
)
def test_invalid_preference(preference: Any, path: tuple, words: str) -> None:
    source = template(
        Fn=function(DeploymentPreference=preference),
        Hook=function(),
        Topic={"Type": "AWS::SNS::Topic"},
    )
    with pytest.raises(TransformError) as raised:
        transform(source)
    assert raised.value.path == path
    assert words in str(raised.value)
    assert raised.value.hint or "Fix:" not in str(raised.value)


def test_invalid_template_default_is_reported_at_the_template() -> None:
    with pytest.raises(TransformError) as raised:
        transform(
            template({"DeploymentPreference": {"Type": "AllAtOnce", "Alarm": []}}, Fn=function())
        )
    assert raised.value.path == ("Metadata", "VersionAlias", "DeploymentPreference")


def test_preference_on_an_unversioned_function() -> None:
    with pytest.raises(TransformError) as raised:
        transform(template(Fn=function(Enabled=False, DeploymentPreference=canary())))
    assert raised.value.path == ("Resources", "Fn", "Metadata", "VersionAlias")
    assert "need an alias" in str(raised.value)
    # SAM's idiom for hook functions stays valid on an unversioned function.
    processed = transform(
        template(Fn=function(Enabled=False, DeploymentPreference={"Enabled": False}))
    )
    assert list(processed["Resources"]) == ["Fn"]
