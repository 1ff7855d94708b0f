"""What the transform produces for every function: the contract of issue 'end to end'."""

from __future__ import annotations

import copy
import re

import pytest

from conftest import function, template
from version_alias import TransformContext, TransformError, transform


def versions_and_aliases(out: dict) -> tuple[dict, dict]:
    resources = out["Resources"]
    versions = {k: v for k, v in resources.items() if v["Type"] == "AWS::Lambda::Version"}
    aliases = {k: v for k, v in resources.items() if v["Type"] == "AWS::Lambda::Alias"}
    return versions, aliases


def test_each_function_gets_a_retained_hashed_version_and_a_live_alias():
    """Retained except when the update that created it rolls back (RetainExceptOnCreate):
    a failed update leaves no version behind for the retry to collide with."""
    out = transform(template(Fn=function()))
    versions, aliases = versions_and_aliases(out)
    (version_id,) = versions
    assert re.fullmatch(r"FnVersion[0-9a-f]{10}", version_id)
    assert versions[version_id] == {
        "Type": "AWS::Lambda::Version",
        "DeletionPolicy": "RetainExceptOnCreate",
        "UpdateReplacePolicy": "Retain",
        "Properties": {"FunctionName": {"Ref": "Fn"}},
    }
    assert aliases == {
        "FnAliaslive": {
            "Type": "AWS::Lambda::Alias",
            "Properties": {
                "Name": "live",
                "FunctionName": {"Ref": "Fn"},
                "FunctionVersion": {"Fn::GetAtt": [version_id, "Version"]},
            },
        }
    }


def test_description_is_stamped_with_the_hash_and_other_properties_untouched():
    source = template(Fn=function(Description="Orders API", MemorySize=256))
    out = transform(source)
    (version_id,) = versions_and_aliases(out)[0]
    digest = version_id[-10:]
    props = out["Resources"]["Fn"]["Properties"]
    assert props["Description"] == f"Orders API (version-alias {digest})"
    rest = {k: v for k, v in props.items() if k != "Description"}
    original = {k: v for k, v in source["Resources"]["Fn"]["Properties"].items()}
    original.pop("Description")
    assert rest == original


def test_long_description_is_cut_to_256_characters():
    out = transform(template(Fn=function(Description="x" * 300)))
    description = out["Resources"]["Fn"]["Properties"]["Description"]
    assert len(description) == 256
    assert re.search(r" \(version-alias [0-9a-f]{10}\)$", description)


def test_intrinsic_description_is_wrapped_and_the_hash_ignores_the_stamp():
    source = template(Fn=function(Description={"Fn::Sub": "${AWS::Region} orders"}))
    out = transform(source)
    description = out["Resources"]["Fn"]["Properties"]["Description"]
    assert description["Fn::Join"][0] == ""
    assert description["Fn::Join"][1][0] == {"Fn::Sub": "${AWS::Region} orders"}
    # Stamped output hashes like the unstamped input.
    again = copy.deepcopy(out)
    del again["Resources"][next(iter(versions_and_aliases(out)[1]))]
    for key in list(again["Resources"]):
        if again["Resources"][key]["Type"] == "AWS::Lambda::Version":
            del again["Resources"][key]
    assert versions_and_aliases(transform(again))[0].keys() == versions_and_aliases(out)[0].keys()


def test_condition_is_carried_to_version_and_alias():
    fn = function()
    fn["Condition"] = "IsProd"
    source = template(Fn=fn)
    source["Conditions"] = {"IsProd": {"Fn::Equals": ["a", "a"]}}
    versions, aliases = versions_and_aliases(transform(source))
    assert [v["Condition"] for v in (*versions.values(), *aliases.values())] == ["IsProd"] * 2


@pytest.mark.parametrize(
    ("name", "logical_id"),
    [
        pytest.param("live", "FnAliaslive", id="default"),
        pytest.param("live-1_x", "FnAliasliveD1Ux", id="sam-dash-underscore-rule"),
        pytest.param("Prod2", "FnAliasProd2", id="mixed-case-digits"),
    ],
)
def test_alias_logical_ids_follow_sam(name, logical_id):
    source = template(Fn=function())
    source["Metadata"] = {"VersionAlias": {"AliasName": name}}
    aliases = versions_and_aliases(transform(source))[1]
    assert list(aliases) == [logical_id]
    assert aliases[logical_id]["Properties"]["Name"] == name


def test_function_alias_name_overrides_template_default():
    fn = function()
    fn["Metadata"] = {"VersionAlias": {"AliasName": "blue"}}
    source = template(Fn=fn, Other=function())
    source["Metadata"] = {"VersionAlias": {"AliasName": "prod"}}
    assert sorted(versions_and_aliases(transform(source))[1]) == ["FnAliasblue", "OtherAliasprod"]


def test_opt_out_leaves_function_alone():
    fn = function()
    fn["Metadata"] = {"VersionAlias": {"Enabled": False}}
    source = template(Fn=fn)
    assert transform(source) == source


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("$LATEST", id="latest"),
        pytest.param("123", id="digits-only"),
        pytest.param("has space", id="space"),
        pytest.param("", id="empty"),
        pytest.param("a" * 129, id="too-long"),
        pytest.param(7, id="not-a-string"),
    ],
)
def test_invalid_alias_names_fail_with_the_path(name):
    source = template(Fn=function())
    source["Metadata"] = {"VersionAlias": {"AliasName": name}}
    with pytest.raises(TransformError, match=r"^Metadata\.VersionAlias\.AliasName: .*Fix:"):
        transform(source)


def test_same_input_same_output_and_input_not_mutated(frozen):
    source = template(
        Fn=function(),
        Perm={
            "Type": "AWS::Lambda::Permission",
            "Properties": {"FunctionName": {"Ref": "Fn"}, "Principal": "s3.amazonaws.com"},
        },
    )
    unchanged = frozen(source)
    first, second = transform(source), transform(source)
    assert first == second
    assert unchanged()


def test_running_on_its_own_output_changes_nothing():
    source = template(
        Fn=function(Description="text"),
        Perm={
            "Type": "AWS::Lambda::Permission",
            "Properties": {"FunctionName": {"Fn::GetAtt": ["Fn", "Arn"]}},
        },
    )
    once = transform(source)
    assert transform(once) == once


def test_an_existing_alias_follows_the_macros_version_and_is_not_doubled():
    source = template(
        Fn=function(),
        FnVersionabc={
            "Type": "AWS::Lambda::Version",
            "Properties": {"FunctionName": {"Ref": "Fn"}},
        },
        FnAliaslive={
            "Type": "AWS::Lambda::Alias",
            "Properties": {
                "Name": "live",
                "FunctionName": {"Ref": "Fn"},
                "FunctionVersion": {"Fn::GetAtt": ["FnVersionabc", "Version"]},
            },
        },
        Perm={"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": {"Ref": "Fn"}}},
    )
    out = transform(source)
    versions, aliases = versions_and_aliases(out)
    (version_id,) = versions
    assert version_id != "FnVersionabc"
    assert list(aliases) == ["FnAliaslive"]
    assert aliases["FnAliaslive"]["Properties"]["FunctionVersion"] == {
        "Fn::GetAtt": [version_id, "Version"]
    }
    assert out["Resources"]["Perm"]["Properties"]["FunctionName"] == {"Ref": "FnAliaslive"}
    assert transform(out) == out


def test_parameter_driven_code_key_publishes_a_new_version():
    source = template(Fn=function(Code={"S3Bucket": "b", "S3Key": {"Ref": "Key"}}))
    source["Parameters"] = {"Key": {"Type": "String", "Default": "v1.zip"}}
    default = versions_and_aliases(transform(source))[0]
    same = versions_and_aliases(
        transform(source, TransformContext(parameter_values={"Key": "v1.zip"}))
    )[0]
    changed = versions_and_aliases(
        transform(source, TransformContext(parameter_values={"Key": "v2.zip"}))
    )[0]
    assert default.keys() == same.keys()
    assert default.keys() != changed.keys()


@pytest.mark.parametrize(
    ("prop", "value"),
    [
        pytest.param("Tags", [{"Key": "team", "Value": "x"}], id="tags"),
        pytest.param("ReservedConcurrentExecutions", 5, id="reserved-concurrency"),
        pytest.param("CodeSigningConfigArn", "arn:aws:lambda:::code-signing-config:csc", id="csc"),
        pytest.param("RecursiveLoop", "Allow", id="recursive-loop"),
    ],
)
def test_function_level_properties_do_not_change_the_version(prop, value):
    plain = versions_and_aliases(transform(template(Fn=function())))[0]
    changed = versions_and_aliases(transform(template(Fn=function(**{prop: value}))))[0]
    assert plain.keys() == changed.keys()


def test_code_change_publishes_a_new_version():
    one = versions_and_aliases(transform(template(Fn=function())))[0]
    two = versions_and_aliases(
        transform(template(Fn=function(Code={"S3Bucket": "bucket", "S3Key": "code2.zip"})))
    )[0]
    assert one.keys() != two.keys()


def test_process_returns_the_template_transform_returns_and_its_notes():
    from version_alias.transform import process

    source = template(Fn=function())
    processed = process(source)
    assert processed.template == transform(source)
    assert processed.notes == ()


def test_a_note_names_its_location_and_fix():
    from version_alias.notes import Note

    note = Note("left on $LATEST.", ("Resources", "Sub", "Properties", "Endpoint"), "pin it.")
    assert note.location == "Resources.Sub.Properties.Endpoint"
    assert str(note) == "Resources.Sub.Properties.Endpoint: left on $LATEST. Fix: pin it."
    assert str(Note("whole template.")) == "whole template."
