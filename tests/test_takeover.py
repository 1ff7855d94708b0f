"""One function, one version: the macro's version takes over the versions a template has.

Hand-written versions (fixed or hand-bumped logical IDs), framework output (Serverless
Framework `versionFunctions`, CDK `currentVersion`) and SAM's AutoPublishAlias versions are
replaced by the macro's content-hashed version; every reference and every alias that
followed them follows the macro's version. SAM's own templates are in
tests/cli/test_takeover_cli.py (they need samtranslator).
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from conftest import function, template
from version_alias import TransformContext, TransformError, transform
from version_alias.transform import process

VERSION = "AWS::Lambda::Version"


def versions(out: dict[str, Any], function_id: str = "Fn") -> list[str]:
    """Logical IDs of the Versions that name the function."""
    return [
        name
        for name, resource in out["Resources"].items()
        if resource["Type"] == VERSION
        and resource["Properties"]["FunctionName"] == {"Ref": function_id}
    ]


def only_version(out: dict[str, Any], function_id: str = "Fn") -> str:
    (found,) = versions(out, function_id)
    return found


def hand_written(**properties: Any) -> dict[str, Any]:
    return {
        "Type": VERSION,
        "DeletionPolicy": "Retain",
        "Properties": {"FunctionName": {"Ref": "Fn"}, **properties},
    }


def alias(name: str, version: str, **properties: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::Lambda::Alias",
        "Properties": {
            "Name": name,
            "FunctionName": {"Ref": "Fn"},
            "FunctionVersion": {"Fn::GetAtt": [version, "Version"]},
            **properties,
        },
    }


def rule(target: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::Events::Rule",
        "Properties": {
            "ScheduleExpression": "rate(1 day)",
            "Targets": [{"Id": "t", "Arn": target}],
        },
    }


def distribution(arn: Any) -> dict[str, Any]:
    association = {"EventType": "viewer-request", "LambdaFunctionARN": arn}
    return {
        "Type": "AWS::CloudFront::Distribution",
        "Properties": {
            "DistributionConfig": {
                "Enabled": True,
                "DefaultCacheBehavior": {
                    "TargetOriginId": "site",
                    "LambdaFunctionAssociations": [association],
                },
            }
        },
    }


def with_code(source: dict[str, Any], key: str) -> dict[str, Any]:
    changed = copy.deepcopy(source)
    changed["Resources"]["Fn"]["Properties"]["Code"]["S3Key"] = key
    return changed


# -- hand-written versions -------------------------------------------------------------------
def provisioned_app(key: str = "v1.zip") -> dict[str, Any]:
    """A hand-written version with a fixed ID, an alias with provisioned concurrency on it,
    and a caller of $LATEST."""
    return template(
        Fn=function(Code={"S3Bucket": "b", "S3Key": key}),
        FnVersion={"Type": VERSION, "Properties": {"FunctionName": {"Ref": "Fn"}}},
        Prod=alias(
            "prod",
            "FnVersion",
            ProvisionedConcurrencyConfig={"ProvisionedConcurrentExecutions": 5},
        ),
        Rule=rule({"Fn::GetAtt": ["Fn", "Arn"]}),
    )


def test_hand_written_version_with_a_provisioned_alias_moves_on_a_code_change() -> None:
    before, after = transform(provisioned_app("v1.zip")), transform(provisioned_app("v2.zip"))
    first, second = only_version(before), only_version(after)
    assert first != second  # the code changed: the alias moves to a new version
    for out, version_id in ((before, first), (after, second)):
        resources = out["Resources"]
        assert "FnVersion" not in resources
        assert resources["Prod"] == alias(
            "prod",
            version_id,
            ProvisionedConcurrencyConfig={"ProvisionedConcurrentExecutions": 5},
        )
        assert "FnAliaslive" not in resources  # invokers go to the followed alias
        assert resources["Rule"]["Properties"]["Targets"][0]["Arn"] == {"Ref": "Prod"}


def test_hand_written_version_does_not_move_on_a_tags_only_change() -> None:
    tagged = provisioned_app()
    tagged["Resources"]["Fn"]["Properties"]["Tags"] = [{"Key": "team", "Value": "b"}]
    assert only_version(transform(tagged)) == only_version(transform(provisioned_app()))


def bumped_edge(bump: str, key: str) -> dict[str, Any]:
    """A Lambda@Edge author bumps the version's logical ID with every code change."""
    version_id = f"FnVersion{bump}"
    source = template(
        Fn=function(Code={"S3Bucket": "b", "S3Key": key}),
        Distribution=distribution({"Ref": version_id}),
        Permission={
            "Type": "AWS::Lambda::Permission",
            "Properties": {
                "Action": "lambda:InvokeFunction",
                "FunctionName": {"Ref": version_id},
                "Principal": "edgelambda.amazonaws.com",
            },
        },
    )
    source["Resources"][version_id] = hand_written()
    source["Outputs"] = {"EdgeVersionArn": {"Value": {"Ref": version_id}}}
    return source


@pytest.mark.parametrize(
    ("before", "after", "publishes"),
    [
        pytest.param(("V7", "v7.zip"), ("V8", "v8.zip"), True, id="bump-with-new-code"),
        pytest.param(("V7", "v7.zip"), ("V8", "v7.zip"), False, id="bump-alone-publishes-nothing"),
        pytest.param(("V7", "v7.zip"), ("V7", "v8.zip"), True, id="new-code-without-bump"),
    ],
)
def test_a_hand_bumped_version_gives_one_version_resource(
    before: tuple[str, str], after: tuple[str, str], publishes: bool
) -> None:
    old, new = transform(bumped_edge(*before)), transform(bumped_edge(*after))
    for out, (bump, _) in ((old, before), (new, after)):
        version_id = only_version(out)
        resources = out["Resources"]
        assert f"FnVersion{bump}" not in resources
        association = resources["Distribution"]["Properties"]["DistributionConfig"][
            "DefaultCacheBehavior"
        ]["LambdaFunctionAssociations"][0]
        assert association["LambdaFunctionARN"] == {"Ref": version_id}
        assert resources["Permission"]["Properties"]["FunctionName"] == {"Ref": version_id}
        assert out["Outputs"]["EdgeVersionArn"]["Value"] == {"Ref": version_id}
    assert (only_version(old) != only_version(new)) is publishes


# -- framework output ------------------------------------------------------------------------
SHA = "rvZ7KY7UgzQ2OKbOvZoG1zLgodltc7+to/F3q+YeORU="


def serverless_app(sha: str = SHA, description: str = "Echo function") -> dict[str, Any]:
    """What the Serverless Framework compiles with versionFunctions: a version whose logical
    ID carries the code hash, with CodeSha256, and an Output on it."""
    version_id = "HelloLambdaVersionrvZ7KY7UgzQ2OKbOvZoG1zLgodltc7toF3qYeORU"
    source = template(
        HelloLambdaFunction=function(Description=description),
        ApiPermission={
            "Type": "AWS::Lambda::Permission",
            "Properties": {
                "Action": "lambda:InvokeFunction",
                "FunctionName": {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]},
                "Principal": "apigateway.amazonaws.com",
            },
        },
    )
    source["Resources"][version_id] = {
        "Type": VERSION,
        "DeletionPolicy": "Retain",
        "Properties": {
            "FunctionName": {"Ref": "HelloLambdaFunction"},
            "CodeSha256": sha,
            "Description": description,
        },
    }
    source["Outputs"] = {
        "HelloLambdaFunctionQualifiedArn": {
            "Description": "Current Lambda function version",
            "Value": {"Ref": version_id},
            "Export": {"Name": "sls-app-dev-HelloLambdaFunctionQualifiedArn"},
        }
    }
    return source


def test_framework_compiled_version_with_a_hash_like_id_and_an_output() -> None:
    out = transform(serverless_app())
    version_id = only_version(out, "HelloLambdaFunction")
    assert version_id.startswith("HelloLambdaFunctionVersion")
    version = out["Resources"][version_id]
    assert version["Properties"] == {
        "FunctionName": {"Ref": "HelloLambdaFunction"},
        "CodeSha256": SHA,
        "Description": "Echo function",
    }
    output = out["Outputs"]["HelloLambdaFunctionQualifiedArn"]
    assert output["Value"] == {"Ref": version_id}
    assert output["Export"] == {"Name": "sls-app-dev-HelloLambdaFunctionQualifiedArn"}
    permission = out["Resources"]["ApiPermission"]["Properties"]
    assert permission["FunctionName"] == {"Ref": "HelloLambdaFunctionAliaslive"}


def test_a_new_code_sha256_on_the_framework_version_publishes() -> None:
    """CodeSha256 cannot change on a version in place (create-only): it enters the hash."""
    same = only_version(transform(serverless_app()), "HelloLambdaFunction")
    other = only_version(transform(serverless_app(sha="x" + SHA[1:])), "HelloLambdaFunction")
    assert same != other


def cdk_app() -> dict[str, Any]:
    """The shape of CDK's `currentVersion` with an alias, EventInvokeConfig on the version,
    and a distribution on the version."""
    current = "MyLambdaCurrentVersionE7A382CC45f41452e4af8108d62930f8af7039ec"
    return template(
        MyLambdaCCE802FB=function(),
        **{
            current: {
                "Type": VERSION,
                "Properties": {"FunctionName": {"Ref": "MyLambdaCCE802FB"}},
                "UpdateReplacePolicy": "Retain",
                "DeletionPolicy": "Retain",
                "Metadata": {"aws:cdk:do-not-refactor": True},
            },
            "MyLambdaAliasLive34C2C8B3": {
                "Type": "AWS::Lambda::Alias",
                "Properties": {
                    "FunctionName": {"Ref": "MyLambdaCCE802FB"},
                    "FunctionVersion": {"Fn::GetAtt": [current, "Version"]},
                    "Name": "live",
                },
            },
            "VersionConfig": {
                "Type": "AWS::Lambda::EventInvokeConfig",
                "Properties": {
                    "FunctionName": {"Ref": "MyLambdaCCE802FB"},
                    "Qualifier": {"Fn::GetAtt": [current, "Version"]},
                    "MaximumRetryAttempts": 0,
                },
            },
            "Distribution": distribution({"Ref": current}),
        },
    )


def test_cdk_current_version_shape() -> None:
    out = transform(cdk_app())
    version_id = only_version(out, "MyLambdaCCE802FB")
    resources = out["Resources"]
    assert not version_id.startswith("MyLambdaCurrentVersion")
    alias_properties = resources["MyLambdaAliasLive34C2C8B3"]["Properties"]
    assert alias_properties["FunctionVersion"] == {"Fn::GetAtt": [version_id, "Version"]}
    assert resources["VersionConfig"]["Properties"]["Qualifier"] == {
        "Fn::GetAtt": [version_id, "Version"]
    }
    association = resources["Distribution"]["Properties"]["DistributionConfig"][
        "DefaultCacheBehavior"
    ]["LambdaFunctionAssociations"][0]
    assert association["LambdaFunctionARN"] == {"Ref": version_id}
    assert "MyLambdaCCE802FBAliaslive" not in resources  # CDK's alias is where invokers go


# -- what carries over -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "value", "in_hash"),
    [
        pytest.param("Description", "release 7", True, id="description"),
        pytest.param("CodeSha256", SHA, True, id="code-sha256"),
        pytest.param(
            "ProvisionedConcurrencyConfig",
            {"ProvisionedConcurrentExecutions": 2},
            True,
            id="provisioned-concurrency",
        ),
        pytest.param("RuntimePolicy", {"UpdateRuntimeOn": "Manual"}, True, id="runtime-policy"),
        pytest.param(
            "FunctionScalingConfig",
            {"MinExecutionEnvironments": 1},
            False,
            id="function-scaling-config-updates-in-place",
        ),
    ],
)
def test_the_replaced_versions_own_settings_carry_over(name: str, value: Any, in_hash: bool):
    bare = only_version(transform(template(Fn=function(), Old=hand_written())))
    out = transform(template(Fn=function(), Old=hand_written(**{name: value})))
    version_id = only_version(out)
    assert out["Resources"][version_id]["Properties"][name] == value
    # Settings CloudFormation can only set on a new version come with a new logical ID.
    assert (version_id != bare) is in_hash


def test_the_versions_condition_and_depends_on_carry_over() -> None:
    fn = function()
    fn["Condition"] = "InProd"
    old = hand_written()
    old["Condition"] = "InProd"
    old["DependsOn"] = ["Fn", "Role"]
    source = template(Fn=fn, Old=old, Role={"Type": "AWS::IAM::Role", "Properties": {}})
    version = transform(source)["Resources"][only_version(transform(source))]
    assert version["Condition"] == "InProd"
    assert version["DependsOn"] == "Role"


@pytest.mark.parametrize(
    ("function_condition", "version_condition"),
    [
        pytest.param(None, "InProd", id="function-without-condition"),
        pytest.param("InDev", "InProd", id="another-condition"),
    ],
)
def test_a_condition_that_cannot_carry_over_is_an_error(
    function_condition: str | None, version_condition: str
) -> None:
    fn = function()
    if function_condition:
        fn["Condition"] = function_condition
    old = hand_written()
    old["Condition"] = version_condition
    with pytest.raises(TransformError) as raised:
        transform(template(Fn=fn, Old=old))
    assert raised.value.path == ("Resources", "Old", "Condition")
    assert "cannot carry over" in str(raised.value)


def test_two_versions_that_disagree_on_a_setting_is_an_error_naming_it() -> None:
    source = template(
        Fn=function(),
        V1=hand_written(Description="one"),
        V2=hand_written(Description="two"),
    )
    with pytest.raises(TransformError) as raised:
        transform(source)
    assert raised.value.path == ("Resources", "V2", "Properties", "Description")
    assert "V1" in str(raised.value)


def test_two_versions_of_one_function_become_one() -> None:
    source = template(
        Fn=function(),
        V1=hand_written(),
        V2=hand_written(),
        Edge=distribution({"Ref": "V1"}),
        Other=distribution({"Ref": "V2"}),
    )
    out = transform(source)
    version_id = only_version(out)
    for name in ("Edge", "Other"):
        config = out["Resources"][name]["Properties"]["DistributionConfig"]
        arn = config["DefaultCacheBehavior"]["LambdaFunctionAssociations"][0]["LambdaFunctionARN"]
        assert arn == {"Ref": version_id}


# -- references and aliases ------------------------------------------------------------------
def test_every_reference_to_a_replaced_version_points_at_the_macros() -> None:
    source = template(
        Fn=function(),
        Old=hand_written(),
        Param={
            "Type": "AWS::SSM::Parameter",
            "DependsOn": ["Old", "Fn"],
            "Metadata": {"Version": {"Ref": "Old"}},
            "Properties": {
                "Type": "String",
                "Value": {
                    "Fn::If": [
                        "Always",
                        {"Fn::Join": [":", [{"Fn::GetAtt": ["Old", "FunctionArn"]}, "x"]]},
                        {
                            "Fn::Sub": [
                                "${Old}|${Old.Version}|${Old}x|${Local}|${!Old}",
                                {"Local": {"Ref": "Old"}, "Old": "local variable"},
                            ]
                        },
                    ]
                },
            },
        },
        Waiter={"Type": "AWS::SNS::Topic", "DependsOn": "Old"},
    )
    source["Conditions"] = {"Always": {"Fn::Equals": ["a", "a"]}}
    source["Outputs"] = {
        "Number": {"Value": {"Fn::GetAtt": "Old.Version"}},
        "Text": {"Value": {"Fn::Sub": "version ${Old.Version}"}},
    }
    out = transform(source)
    new = only_version(out)
    param = out["Resources"]["Param"]
    assert param["DependsOn"] == [new, "Fn"]
    assert param["Metadata"] == {"Version": {"Ref": new}}
    true, false = param["Properties"]["Value"]["Fn::If"][1:]
    assert true == {"Fn::Join": [":", [{"Fn::GetAtt": [new, "FunctionArn"]}, "x"]]}
    assert false == {
        "Fn::Sub": [
            # `${Old}` is the Sub's own variable; `${Old.Version}` is the resource's attribute
            "${Old}|${" + new + ".Version}|${Old}x|${Local}|${!Old}",
            {"Local": {"Ref": new}, "Old": "local variable"},
        ]
    }
    assert out["Resources"]["Waiter"]["DependsOn"] == new
    assert out["Outputs"] == {
        "Number": {"Value": {"Fn::GetAtt": f"{new}.Version"}},
        "Text": {"Value": {"Fn::Sub": f"version ${{{new}.Version}}"}},
    }


@pytest.mark.parametrize(
    "pinned",
    [pytest.param("$LATEST", id="latest"), pytest.param("3", id="literal-number")],
)
def test_an_alias_pinned_to_latest_or_a_number_stays_beside_the_takeover(pinned: str) -> None:
    pinned_alias = alias("pinned", "x")
    pinned_alias["Properties"]["FunctionVersion"] = pinned
    source = template(Fn=function(), Old=hand_written(), Pinned=pinned_alias)
    out = transform(source)
    assert out["Resources"]["Pinned"] == pinned_alias
    assert only_version(out) != "Old"
    assert out["Resources"]["FnAliaslive"]["Properties"]["FunctionVersion"] == {
        "Fn::GetAtt": [only_version(out), "Version"]
    }


def test_every_alias_that_followed_keeps_its_settings_and_invokers_go_to_the_named_one() -> None:
    update_policy = {
        "CodeDeployLambdaAliasUpdate": {
            "ApplicationName": "app",
            "DeploymentGroupName": "group",
        }
    }
    blue = alias(
        "blue",
        "Old",
        Description="blue side",
        RoutingConfig={
            "AdditionalVersionWeights": [{"FunctionVersion": "3", "FunctionWeight": 0.1}]
        },
    )
    live = alias("live", "Old", ProvisionedConcurrencyConfig={"ProvisionedConcurrentExecutions": 1})
    live["UpdatePolicy"] = update_policy
    source = template(
        Fn=function(), Old=hand_written(), Blue=blue, Live=live, Rule=rule({"Ref": "Fn"})
    )
    out = transform(source)
    new = only_version(out)
    assert out["Resources"]["Blue"] == alias(
        "blue",
        new,
        Description="blue side",
        RoutingConfig={
            "AdditionalVersionWeights": [{"FunctionVersion": "3", "FunctionWeight": 0.1}]
        },
    )
    assert out["Resources"]["Live"]["UpdatePolicy"] == update_policy
    assert out["Resources"]["Live"]["Properties"]["ProvisionedConcurrencyConfig"] == {
        "ProvisionedConcurrentExecutions": 1
    }
    assert out["Resources"]["Rule"]["Properties"]["Targets"][0]["Arn"] == {"Ref": "Live"}


def test_a_version_named_by_the_functions_name_or_arn_is_taken_over() -> None:
    named = function(FunctionName="orders")
    by_name = {"Type": VERSION, "Properties": {"FunctionName": "orders"}}
    by_arn = {"Type": VERSION, "Properties": {"FunctionName": {"Fn::GetAtt": ["Fn", "Arn"]}}}
    out = transform(template(Fn=named, ByName=by_name, ByArn=by_arn))
    assert [r for r in out["Resources"] if out["Resources"][r]["Type"] == VERSION] == [
        only_version(out)
    ]


def test_a_function_that_holds_another_functions_version_arn_is_hashed_on_the_new_id() -> None:
    """B's environment names A's version: B publishes when A's version moves, and the
    macro's output, processed again, is unchanged."""

    def app(key: str) -> dict[str, Any]:
        source = template(
            Fn=function(Code={"S3Bucket": "b", "S3Key": key}),
            Old=hand_written(),
            B=function(Environment={"Variables": {"EDGE": {"Ref": "Old"}}}),
        )
        return source

    one, two = transform(app("v1.zip")), transform(app("v2.zip"))
    for out in (one, two):
        variables = out["Resources"]["B"]["Properties"]["Environment"]["Variables"]
        assert variables["EDGE"] == {"Ref": only_version(out)}
        assert transform(out) == out
    assert only_version(one, "B") != only_version(two, "B")


# -- SAM's reference syntax ------------------------------------------------------------------
def test_sam_reference_syntax_resolves_to_the_macros_alias_and_version() -> None:
    source = template(
        Fn=function(),
        Schedule={
            "Type": "AWS::Scheduler::Schedule",
            "Properties": {
                "ScheduleExpression": "rate(1 minute)",
                "FlexibleTimeWindow": {"Mode": "OFF"},
                "Target": {
                    "Arn": {"Ref": "Fn.Alias"},
                    "RoleArn": "arn:aws:iam::123456789012:role/scheduler",
                    "Input": {"Fn::Sub": '{"alias": "${Fn.Alias}", "v": "${Fn.Version.Version}"}'},
                },
            },
        },
        Policy={
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {
                "PolicyDocument": {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "lambda:InvokeFunction",
                            "Resource": {"Ref": "Fn.Alias"},
                        }
                    ]
                }
            },
        },
    )
    source["Outputs"] = {
        "Alias": {"Value": {"Ref": "Fn.Alias"}},
        "Number": {"Value": {"Fn::GetAtt": ["Fn", "Version.Version"]}},
        "Named": {"Value": {"Fn::GetAtt": ["Fn.Alias", "Name"]}},
        "Dotted": {"Value": {"Fn::GetAtt": "Fn.Version.Version"}},
        "Version": {"Value": {"Ref": "Fn.Version"}},
    }
    out = transform(source)
    version_id = only_version(out)
    target = out["Resources"]["Schedule"]["Properties"]["Target"]
    assert target["Arn"] == {"Ref": "FnAliaslive"}
    assert target["Input"] == {
        "Fn::Sub": '{"alias": "${FnAliaslive}", "v": "${' + version_id + '.Version}"}'
    }
    statement = out["Resources"]["Policy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert statement["Resource"] == {"Ref": "FnAliaslive"}
    assert out["Outputs"] == {
        "Alias": {"Value": {"Ref": "FnAliaslive"}},
        "Number": {"Value": {"Fn::GetAtt": [version_id, "Version"]}},
        "Named": {"Value": {"Fn::GetAtt": ["FnAliaslive", "Name"]}},
        "Dotted": {"Value": {"Fn::GetAtt": f"{version_id}.Version"}},
        "Version": {"Value": {"Ref": version_id}},
    }
    assert transform(out) == out


def test_sam_reference_syntax_follows_an_adopted_alias() -> None:
    source = template(Fn=function(), Old=hand_written(), Prod=alias("prod", "Old"))
    source["Outputs"] = {"Alias": {"Value": {"Ref": "Fn.Alias"}}}
    assert transform(source)["Outputs"] == {"Alias": {"Value": {"Ref": "Prod"}}}


def test_sam_reference_syntax_in_a_hashed_property_is_stable() -> None:
    source = template(
        Fn=function(),
        B=function(Environment={"Variables": {"TARGET": {"Ref": "Fn.Alias"}}}),
    )
    out = transform(source)
    variables = out["Resources"]["B"]["Properties"]["Environment"]["Variables"]
    assert variables == {"TARGET": {"Ref": "FnAliaslive"}}
    assert transform(out) == out


def test_sam_reference_to_a_function_that_is_not_versioned_is_an_error() -> None:
    off = function()
    off["Metadata"] = {"VersionAlias": {"Enabled": False}}
    source = template(Fn=off, Rule=rule({"Ref": "Fn.Alias"}))
    with pytest.raises(TransformError) as raised:
        transform(source)
    assert raised.value.path == ("Resources", "Rule")
    assert "Fn.Alias" in str(raised.value) and "Enabled: false" in str(raised.value)


# -- contract: idempotent, input untouched, one note per function --------------------------
SCENARIOS = [
    pytest.param(provisioned_app(), id="provisioned-alias"),
    pytest.param(bumped_edge("V7", "v7.zip"), id="hand-bumped-edge"),
    pytest.param(serverless_app(), id="serverless"),
    pytest.param(cdk_app(), id="cdk-current-version"),
]


@pytest.mark.parametrize("source", SCENARIOS)
def test_takeover_is_idempotent_and_leaves_the_input_alone(source: dict, frozen: Any) -> None:
    unchanged = frozen(source)
    out = transform(source)
    assert unchanged()
    assert transform(out) == out
    assert transform(source) == out  # deterministic


@pytest.mark.parametrize("source", SCENARIOS)
def test_nothing_in_the_output_refers_to_a_version_that_left(source: dict) -> None:
    """CloudFormation deletes (or, with Retain, forgets) a version that leaves the template:
    no Ref, GetAtt, Sub, DependsOn or Output may still name it."""
    out = transform(source)
    left = [
        name
        for name, resource in source["Resources"].items()
        if resource["Type"] == VERSION and name not in out["Resources"]
    ]
    assert left
    text = json.dumps({key: out[key] for key in ("Resources", "Outputs") if key in out})
    for name in left:
        assert re.search(rf"\b{name}\b", text) is None, name


@pytest.mark.parametrize("source", SCENARIOS)
def test_one_note_per_function_taken_over(source: dict) -> None:
    processed = process(source, TransformContext())
    (note,) = processed.notes
    function_id = note.path[1]
    assert note.path == ("Resources", function_id)
    assert note.message.startswith(f"version of {function_id} taken over from ")
    assert "one new version" in note.message
    assert process(processed.template).notes == ()  # its own output: nothing taken over


def test_no_note_and_the_same_id_for_a_function_without_earlier_versions() -> None:
    source = template(Fn=function())
    processed = process(source)
    assert processed.notes == ()
    assert only_version(processed.template) == only_version(transform(template(Fn=function())))


def test_two_functions_that_hold_each_others_version_arn_are_an_error() -> None:
    """A cycle CloudFormation would refuse too: no content hash can settle."""
    source = template(
        Fn=function(Environment={"Variables": {"OTHER": {"Ref": "BVersion"}}}),
        B=function(Environment={"Variables": {"OTHER": {"Ref": "FnVersion"}}}),
        FnVersion=hand_written(),
        BVersion={"Type": VERSION, "Properties": {"FunctionName": {"Ref": "B"}}},
    )
    with pytest.raises(TransformError) as raised:
        transform(source)
    assert "cycle" in str(raised.value)
    assert raised.value.path in (("Resources", "B"), ("Resources", "Fn"))
