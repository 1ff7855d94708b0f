"""What cannot be fixed is said, with its path, by both `check` and `render`.

A site naming an alias the template does not create (`${Fn.Arn}:live` after the alias was
renamed `prod`), and a function handed to other stacks through an Outputs export (an
export in use cannot change, so importers keep invoking `$LATEST`).
"""

from __future__ import annotations

from typing import Any

import pytest

from builders import zip_function
from version_alias.invokers.checker import check
from version_alias.invokers.problems import EXPORTED, MISSING_ALIAS
from version_alias.transform import process

GETATT = {"Fn::GetAtt": ["Fn", "Arn"]}


def template(alias_name: str | None = "prod", **resources: Any) -> dict[str, Any]:
    fn = zip_function()
    if alias_name:
        fn["Metadata"] = {"VersionAlias": {"AliasName": alias_name}}
    return {"Resources": {"Fn": fn, **resources}}


def said_by_both(source: dict[str, Any], location: str, kind: str) -> None:
    processed = process(source)
    [finding] = [f for f in check(processed.template) if f.location == location]
    assert finding.kind == kind
    assert location in {note.location for note in processed.notes}


@pytest.mark.parametrize(
    ("resource", "location"),
    [
        pytest.param(
            {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": {"Fn::Sub": "${Fn.Arn}:live"},
                    "Principal": "sns.amazonaws.com",
                },
            },
            "Resources.Site.Properties.FunctionName",
            id="permission",
        ),
        pytest.param(
            {
                "Type": "AWS::Events::Rule",
                "Properties": {"Targets": [{"Id": "t", "Arn": {"Fn::Sub": "${Fn.Arn}:live"}}]},
            },
            "Resources.Site.Properties.Targets[0].Arn",
            id="rule-target",
        ),
        pytest.param(
            {
                "Type": "AWS::Lambda::EventInvokeConfig",
                "Properties": {"FunctionName": {"Ref": "Fn"}, "Qualifier": "live"},
            },
            "Resources.Site.Properties.Qualifier",
            id="qualifier-site",
        ),
    ],
)
def test_a_site_naming_an_alias_the_template_does_not_create_is_said(
    resource: dict[str, Any], location: str
) -> None:
    source = template("prod", Site=resource)
    said_by_both(source, location, MISSING_ALIAS)
    [finding] = check(process(source).template)
    assert "names alias live of function Fn" in finding.message


@pytest.mark.parametrize(
    "qualifier",
    [
        pytest.param("prod", id="the-alias-it-creates"),
        pytest.param("3", id="a-version-number"),
        pytest.param("${Stage}", id="decided-by-a-parameter"),
    ],
)
def test_qualifiers_that_exist_or_cannot_be_judged_are_not_reported(qualifier: str) -> None:
    rule = {
        "Type": "AWS::Events::Rule",
        "Properties": {"Targets": [{"Id": "t", "Arn": {"Fn::Sub": "${Fn.Arn}:" + qualifier}}]},
    }
    source = template("prod", Rule=rule)
    source["Parameters"] = {"Stage": {"Type": "String", "Default": "x"}}
    processed = process(source)
    assert check(processed.template) == []
    assert processed.notes == ()


def test_an_alias_of_the_users_own_counts_as_created() -> None:
    """A template without the macro, with its own alias: its sites are not reported."""
    alias = {
        "Type": "AWS::Lambda::Alias",
        "Properties": {"FunctionName": {"Ref": "Fn"}, "FunctionVersion": "1", "Name": "blue"},
    }
    rule = {
        "Type": "AWS::Events::Rule",
        "Properties": {"Targets": [{"Id": "t", "Arn": {"Fn::Sub": "${Fn.Arn}:blue"}}]},
    }
    assert check(template(None, Blue=alias, Rule=rule)) == []


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(GETATT, id="arn"),
        pytest.param({"Ref": "Fn"}, id="name"),
        pytest.param({"Fn::Sub": "${Fn.Arn}:$LATEST"}, id="latest"),
    ],
)
def test_a_function_exported_unqualified_is_said(value: Any) -> None:
    source = template(None)
    source["Outputs"] = {"FnArn": {"Value": value, "Export": {"Name": "fn-arn"}}}
    said_by_both(source, "Outputs.FnArn.Value", EXPORTED)
    assert process(source).template["Outputs"] == source["Outputs"]  # never changed


@pytest.mark.parametrize(
    "output",
    [
        pytest.param({"Value": GETATT}, id="not-exported"),
        pytest.param({"Value": {"Ref": "FnAliaslive"}, "Export": {"Name": "x"}}, id="alias"),
        pytest.param({"Value": {"Fn::Sub": "${Fn.Arn}:live"}, "Export": {"Name": "x"}}, id="live"),
    ],
)
def test_outputs_that_hand_out_no_unqualified_function_are_not_reported(output: dict) -> None:
    source = template(None)
    source["Outputs"] = {"Out": output}
    processed = process(source)
    assert check(processed.template) == []
    assert processed.notes == ()


def test_an_export_of_a_function_left_alone_on_purpose_is_not_reported() -> None:
    source = template(None)
    source["Resources"]["Fn"]["Metadata"] = {"VersionAlias": {"Enabled": False}}
    source["Outputs"] = {"FnArn": {"Value": GETATT, "Export": {"Name": "fn-arn"}}}
    assert check(source) == []
    assert process(source).notes == ()
