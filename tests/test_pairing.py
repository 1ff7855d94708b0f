"""A caller and its AWS::Lambda::Permission end on the same qualifier.

A permission on the alias does not authorise a caller of the function, nor the other way
round, so a permission follows the callers it serves (invokers/pairing.py): to the alias,
to the version, or it stays on the function with a caller left there.
"""

from __future__ import annotations

from typing import Any

import pytest

from builders import zip_function
from version_alias import transform
from version_alias.invokers.checker import check
from version_alias.transform import process

GETATT = {"Fn::GetAtt": ["Fn", "Arn"]}
ALIAS = {"Ref": "FnAliaslive"}
KEEP = {"VersionAlias": {"Target": "function"}}


function = zip_function


def template(**resources: Any) -> dict[str, Any]:
    return {"Resources": {"Fn": function(), **resources}}


def topic(endpoint: Any = GETATT, metadata: Any = None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "Type": "AWS::SNS::Topic",
        "Properties": {"Subscription": [{"Protocol": "lambda", "Endpoint": endpoint}]},
    }
    if metadata:
        resource["Metadata"] = metadata
    return resource


def rule(metadata: Any = None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "Type": "AWS::Events::Rule",
        "Properties": {
            "ScheduleExpression": "rate(1 hour)",
            "Targets": [{"Id": "t", "Arn": GETATT}],
        },
    }
    if metadata:
        resource["Metadata"] = metadata
    return resource


def permission(principal: str = "sns.amazonaws.com", **extra: Any) -> dict[str, Any]:
    properties = {"Action": "lambda:InvokeFunction", "FunctionName": GETATT, "Principal": principal}
    return {"Type": "AWS::Lambda::Permission", "Properties": {**properties, **extra}}


def url(metadata: Any = None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "Type": "AWS::Lambda::Url",
        "Properties": {"AuthType": "NONE", "TargetFunctionArn": GETATT},
    }
    if metadata:
        resource["Metadata"] = metadata
    return resource


def name_of(output: dict[str, Any], resource_id: str) -> Any:
    return output["Resources"][resource_id]["Properties"]["FunctionName"]


@pytest.mark.parametrize(
    "source_arn",
    [
        pytest.param({"SourceArn": {"Ref": "Topic"}}, id="by-source-arn"),
        pytest.param({}, id="by-principal-service"),
    ],
)
def test_a_caller_kept_on_the_function_keeps_its_permission(source_arn: dict) -> None:
    source = template(Topic=topic(metadata=KEEP), Permission=permission(**source_arn))
    output = transform(source)
    assert output["Resources"]["Topic"] == source["Resources"]["Topic"]
    assert name_of(output, "Permission") == GETATT
    assert check(output) == []  # both on the function on purpose
    assert check(source) == []


def test_a_permission_moves_with_its_caller() -> None:
    output = transform(template(Topic=topic(), Permission=permission(SourceArn={"Ref": "Topic"})))
    assert output["Resources"]["Topic"]["Properties"]["Subscription"][0]["Endpoint"] == ALIAS
    assert name_of(output, "Permission") == ALIAS


def test_a_permission_follows_a_caller_pinned_to_the_version() -> None:
    pinned = {"VersionAlias": {"Target": "version"}}
    output = transform(template(Topic=topic(metadata=pinned), Permission=permission()))
    (version_id,) = [
        name
        for name, resource in output["Resources"].items()
        if resource["Type"] == "AWS::Lambda::Version"
    ]
    assert output["Resources"]["Topic"]["Properties"]["Subscription"][0]["Endpoint"] == {
        "Ref": version_id
    }
    assert name_of(output, "Permission") == {"Ref": version_id}


def test_a_caller_the_macro_cannot_rewrite_keeps_its_permission_and_both_are_noted() -> None:
    hidden = {"Fn::Select": ["0", [GETATT]]}  # a spelling the rewriter does not take apart
    source = template(Topic=topic(hidden), Permission=permission(SourceArn={"Ref": "Topic"}))
    processed = process(source)
    assert name_of(processed.template, "Permission") == GETATT
    locations = {note.location: note for note in processed.notes}
    assert "Resources.Topic.Properties.Subscription[0].Endpoint" in locations
    note = locations["Resources.Permission.Properties.FunctionName"]
    assert "Topic" in note.message
    assert {finding.location for finding in check(processed.template)} <= set(locations)


@pytest.mark.parametrize(
    "marker",
    [
        pytest.param(
            {"Action": "lambda:InvokeFunctionUrl", "FunctionUrlAuthType": "NONE"}, id="url"
        ),
        pytest.param({"InvokedViaFunctionUrl": True}, id="invoked-via-url"),
    ],
)
@pytest.mark.parametrize("kept", [pytest.param(True, id="kept"), pytest.param(False, id="moved")])
def test_url_permissions_follow_their_url(marker: dict, kept: bool) -> None:
    source = template(
        FnUrl=url(KEEP if kept else None),
        UrlPermission=permission("*", **marker),
        Other=rule(),
        OtherPermission=permission("events.amazonaws.com"),
    )
    output = transform(source)
    qualifier = output["Resources"]["FnUrl"]["Properties"].get("Qualifier")
    assert qualifier == (None if kept else "live")
    assert name_of(output, "UrlPermission") == (GETATT if kept else ALIAS)
    assert name_of(output, "OtherPermission") == ALIAS
    assert check(output) == []


def test_permission_of_callers_on_different_qualifiers_is_noted_with_their_names() -> None:
    source = template(Kept=rule(KEEP), Moved=rule(), Permission=permission("events.amazonaws.com"))
    processed = process(source)
    assert name_of(processed.template, "Permission") == ALIAS
    [note] = processed.notes
    assert note.location == "Resources.Permission.Properties.FunctionName"
    assert "Kept (function)" in note.message and "Moved (alias)" in note.message


def test_a_permission_without_a_caller_in_the_template_moves_to_the_alias() -> None:
    output = transform(template(Permission=permission("s3.amazonaws.com")))
    assert name_of(output, "Permission") == ALIAS


def test_a_permission_that_names_its_own_target_is_not_paired() -> None:
    own = permission()
    own["Metadata"] = KEEP
    output = transform(template(Topic=topic(), Permission=own))
    assert name_of(output, "Permission") == GETATT


@pytest.mark.parametrize(
    "function_name",
    [
        pytest.param(GETATT, id="getatt"),
        pytest.param({"Ref": "Fn"}, id="ref"),
        pytest.param({"Fn::Sub": "${Fn.Arn}"}, id="sub-of-the-arn"),
        pytest.param(
            {
                "Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
                "${Fn}"
            },
            id="sub-arn-of-the-name",
        ),
        pytest.param(
            {
                "Fn::Join": [
                    "",
                    [
                        "arn:aws:lambda:",
                        {"Ref": "AWS::Region"},
                        ":",
                        {"Ref": "AWS::AccountId"},
                        ":function:billing-",
                        {"Ref": "Stage"},
                        "-invoices",
                    ],
                ]
            },
            id="join-of-the-resolved-name",
        ),
        pytest.param("billing-int1-invoices", id="literal-name"),
    ],
)
def test_a_permission_kept_with_its_caller_is_not_warned_about_in_any_spelling(
    function_name: Any,
) -> None:
    """The caller stays on the function on purpose, its permission with it: nothing is
    left for the user to fix, so render says nothing (and `check` agrees), whatever the
    spelling of the permission's FunctionName."""
    source = template(
        Topic=topic(metadata=KEEP),
        Permission=permission(SourceArn={"Ref": "Topic"}, FunctionName=function_name),
    )
    source["Parameters"] = {"Stage": {"Type": "String", "Default": "int1"}}
    source["Resources"]["Fn"]["Properties"]["FunctionName"] = {
        "Fn::Sub": "billing-${Stage}-invoices"
    }
    processed = process(source)
    assert processed.template["Resources"]["Permission"] == source["Resources"]["Permission"]
    assert processed.notes == ()
    assert check(processed.template) == []
