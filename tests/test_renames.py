"""template/renames.py: every spelling of a reference follows a rename; nothing else moves."""

from __future__ import annotations

from typing import Any

import pytest

from version_alias.template.renames import (
    referenced,
    renamed,
    renamed_depends_on,
    renamed_outputs,
    renamed_resources,
)
from version_alias.template.validate import check_nesting

RENAMES = {"Old": "New", "Fn.Alias": "FnAliaslive", "Fn.Version": "FnVersion1a2b3c4d5e"}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param({"Ref": "Old"}, {"Ref": "New"}, id="ref"),
        pytest.param({"Ref": "Fn.Alias"}, {"Ref": "FnAliaslive"}, id="ref-sam-alias"),
        pytest.param(
            {"Fn::GetAtt": ["Old", "Version"]}, {"Fn::GetAtt": ["New", "Version"]}, id="getatt"
        ),
        pytest.param(
            {"Fn::GetAtt": "Old.FunctionArn"}, {"Fn::GetAtt": "New.FunctionArn"}, id="dot"
        ),
        pytest.param(
            {"Fn::GetAtt": ["Fn", "Version.Version"]},
            {"Fn::GetAtt": ["FnVersion1a2b3c4d5e", "Version"]},
            id="getatt-sam-split-after-the-function",
        ),
        pytest.param(
            {"Fn::GetAtt": ["Fn.Alias", "Name"]},
            {"Fn::GetAtt": ["FnAliaslive", "Name"]},
            id="getatt-sam-whole",
        ),
        pytest.param(
            {"Fn::Sub": "${Old}/${Old.Version}/${Fn.Alias}/${!Old}/${Other}"},
            {"Fn::Sub": "${New}/${New.Version}/${FnAliaslive}/${!Old}/${Other}"},
            id="sub-text",
        ),
        pytest.param(
            {"Fn::Sub": ["${Old}-${V}", {"Old": "x", "V": {"Ref": "Old"}}]},
            {"Fn::Sub": ["${Old}-${V}", {"Old": "x", "V": {"Ref": "New"}}]},
            id="sub-own-variable-stays",
        ),
        pytest.param(
            {"Fn::If": ["C", {"Fn::Join": ["", [{"Ref": "Old"}]]}, "x"]},
            {"Fn::If": ["C", {"Fn::Join": ["", [{"Ref": "New"}]]}, "x"]},
            id="nested",
        ),
    ],
)
def test_every_spelling_follows_the_rename(before: Any, after: Any) -> None:
    assert renamed(before, RENAMES) == after


@pytest.mark.parametrize(
    "value",
    [
        pytest.param({"Ref": "Older"}, id="longer-name"),
        pytest.param({"Fn::GetAtt": ["Fn", "Arn"]}, id="the-function-itself"),
        pytest.param({"Fn::GetAtt": ["Fn", "Alias"]}, id="sam-name-without-attribute"),
        pytest.param({"Fn::Sub": "${Olden} ${Fn}"}, id="sub-other-names"),
        pytest.param(
            {"Nested": [{"Ref": "AWS::Region"}, "Old"]}, id="a-plain-string-is-no-reference"
        ),
    ],
)
def test_other_values_are_the_very_same_objects(value: Any) -> None:
    assert renamed(value, RENAMES) is value


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("Old", "New", id="string"),
        pytest.param(["Old", "New", "Other"], ["New", "Other"], id="no-duplicate"),
        pytest.param(["Other"], ["Other"], id="untouched"),
    ],
)
def test_depends_on_follows_the_rename(before: Any, after: Any) -> None:
    assert renamed_depends_on(before, RENAMES) == after


def test_resources_and_outputs_are_renamed_and_input_untouched() -> None:
    resources = {
        "A": {"Type": "T", "DependsOn": "Old", "Properties": {"P": {"Ref": "Old"}}},
        "B": {"Type": "T", "Condition": "Old", "Properties": {"P": 1}},
    }
    outputs = {"O": {"Value": {"Ref": "Fn.Version"}, "Export": {"Name": "x"}}}
    new = renamed_resources(resources, RENAMES)
    assert new["A"] == {"Type": "T", "DependsOn": "New", "Properties": {"P": {"Ref": "New"}}}
    assert new["B"] is resources["B"]  # a Condition name is not a resource reference
    assert resources["A"]["Properties"] == {"P": {"Ref": "Old"}}
    assert renamed_outputs(outputs, RENAMES) == {
        "O": {"Value": {"Ref": "FnVersion1a2b3c4d5e"}, "Export": {"Name": "x"}}
    }


def test_referenced_finds_sam_names_among_the_templates_references() -> None:
    template = {
        "Resources": {
            "A": {
                "Type": "T",
                "Properties": {
                    "X": {"Fn::Sub": ["${V}", {"V": {"Ref": "Fn.Alias"}}]},
                    "Y": {"Fn::GetAtt": ["Fn", "Version.Version"]},
                    "Z": {"Fn::Sub": "${Other.Alias}"},
                },
            }
        }
    }
    references: list[Any] = []
    check_nesting(template, references)
    names = {"Fn.Alias", "Fn.Version", "Other.Version"}
    assert referenced(references, names) == {"Fn.Alias", "Fn.Version"}
