"""The stamped Description fits Lambda's 256 characters once resolved, for every form.

Lambda's CreateFunction and UpdateFunctionConfiguration take a Description of 0 to 256
characters; the stamp takes 27 of them, so 229 are left for the user's text. Text that is
known when the macro runs (literal, or resolved from parameter values) is cut with a note
saying how much; a Description whose shortest possible value is already too long fails
with the path and how to fix it; one that only may be too long is kept with a warning.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from builders import zip_function
from version_alias import TransformError, transform
from version_alias.context import TransformContext
from version_alias.transform import process
from version_alias.versioning.stamp import ROOM

PATH = ("Resources", "Fn", "Properties", "Description")
LOCATION = "Resources.Fn.Properties.Description"
SECRET = "s" * 240
SECRET_MARK = "s" * 20  # any run of the NoEcho value: never in output, notes or errors


def function(description: Any) -> dict[str, Any]:
    return zip_function(Description=description)


def template(description: Any) -> dict[str, Any]:
    return {
        "Parameters": {
            "Stage": {"Type": "String", "Default": "dev"},
            "Long": {"Type": "String", "Default": "x" * 240},
            "Text": {"Type": "String", "Default": "t"},
            "Secret": {"Type": "String", "Default": SECRET, "NoEcho": True},
        },
        "Conditions": {
            "IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
            # Decided only at deploy time: the macro receives no stack name.
            "ByStack": {"Fn::Equals": [{"Ref": "AWS::StackName"}, "orders"]},
        },
        "Resources": {
            "Fn": function(description),
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {"AssumeRolePolicyDocument": {"Statement": []}},
            },
            "Other": {"Type": "AWS::SQS::Queue"},
        },
    }


def stamped(processed: Any) -> Any:
    return processed.template["Resources"]["Fn"]["Properties"]["Description"]


def never_secret(*texts: Any) -> None:
    for text in texts:
        assert SECRET_MARK not in (text if isinstance(text, str) else json.dumps(text))


# -- known text: cut to 229 characters, with a note ---------------------------------------
LONG_IN_REGION = "x" * 240 + " in us-east-1"
CUT_CASES = [
    pytest.param("d" * 230, {}, "d" * 230, (), id="literal-230-cut-by-1"),
    pytest.param("d" * 256, {}, "d" * 256, (), id="literal-256-cut-by-27"),
    pytest.param("d" * 300, {}, "d" * 300, (), id="literal-300"),
    pytest.param(
        {"Fn::Sub": "${Long} in ${AWS::Region}"}, {}, LONG_IN_REGION, ("Long",), id="sub-parameter"
    ),
    pytest.param(
        {"Fn::Sub": "${AWS::Region} " + "r" * 240},
        {},
        "us-east-1 " + "r" * 240,
        (),
        id="sub-pseudo-parameter",
    ),
    pytest.param({"Ref": "Long"}, {}, "x" * 240, ("Long",), id="ref-parameter"),
    pytest.param(
        {"Fn::Join": [" ", [{"Ref": "Long"}, "and more"]]},
        {},
        "x" * 240 + " and more",
        ("Long",),
        id="join",
    ),
    pytest.param(
        {"Fn::If": ["IsProd", {"Ref": "Long"}, "short"]},
        {"Stage": "prod"},
        "x" * 240,
        ("Long",),
        id="if-decided",
    ),
    pytest.param({"Fn::Select": [0, [{"Ref": "Long"}]]}, {}, "x" * 240, ("Long",), id="select"),
    pytest.param(
        {"Fn::Sub": "${Text}"}, {"Text": "t" * 230}, "t" * 230, ("Text",), id="sub-resolves-to-230"
    ),
    pytest.param(
        {"Fn::Sub": "${Text}"}, {"Text": "t" * 256}, "t" * 256, ("Text",), id="sub-resolves-to-256"
    ),
]


@pytest.mark.parametrize(("description", "parameters", "text", "used"), CUT_CASES)
def test_a_description_too_long_for_the_stamp_is_cut_and_the_cut_is_noted(
    description: Any, parameters: dict[str, str], text: str, used: tuple[str, ...]
) -> None:
    processed = process(template(description), TransformContext(parameter_values=parameters))
    result = stamped(processed)
    assert isinstance(result, str)
    assert len(result) == 256
    assert result.startswith(text[:ROOM] + " (version-alias ")
    [note] = processed.notes
    assert note.path == PATH
    cut = len(text) - ROOM
    assert f"has {len(text)} characters" in note.message
    assert f"its last {cut} characters were cut" in note.message
    assert ("written resolved" in note.message) is not isinstance(description, str)
    assert f"at most {ROOM} characters" in note.hint
    for name in used:
        assert name in note.hint
    never_secret(note.message, note.hint, processed.template["Resources"])


@pytest.mark.parametrize(("description", "parameters", "text", "used"), CUT_CASES)
def test_a_cut_description_renders_again_unchanged_and_without_a_note(
    description: Any, parameters: dict[str, str], text: str, used: tuple[str, ...]
) -> None:
    context = TransformContext(parameter_values=parameters)
    first = process(template(description), context)
    again = process(first.template, context)
    assert again.template == first.template
    assert again.notes == ()


# -- certain to exceed: a clear error ---------------------------------------------------------
@pytest.mark.parametrize(
    ("description", "parameters", "shortest", "used"),
    [
        pytest.param(
            {"Fn::Sub": "${Long}${AWS::StackName}"}, {}, 241, ("Long",), id="sub-stack-name"
        ),
        pytest.param(
            {"Fn::Sub": "${Long}${Role.Arn}"},
            {},
            240 + len("arn:aws:iam::123456789012:role/r"),
            ("Long",),
            id="sub-getatt-role-arn",
        ),
        pytest.param(
            {"Fn::Join": ["", [{"Ref": "Long"}, {"Fn::GetAtt": ["Role", "Arn"]}]]},
            {},
            240 + len("arn:aws:iam::123456789012:role/r"),
            ("Long",),
            id="join-getatt-inside",
        ),
        pytest.param(
            {"Fn::Join": [" ", [{"Ref": "Long"}, {"Ref": "AWS::StackName"}]]},
            {},
            242,
            ("Long",),
            id="join-stack-name",
        ),
        pytest.param(
            {"Fn::Sub": "${Long} ${Other.Arn}"},
            {},
            241 + len("arn:aws:s3:::b"),
            ("Long",),
            id="sub-getatt-any-arn",
        ),
        pytest.param(
            {"Fn::Sub": ["${Long}${Imported}", {"Imported": {"Fn::ImportValue": "shared"}}]},
            {},
            240,
            ("Long",),
            id="sub-import",
        ),
        pytest.param(
            {
                "Fn::If": [
                    "ByStack",
                    {"Fn::Sub": "${Long}${AWS::StackName}"},
                    {"Fn::Sub": "${Long}-${AWS::StackId}"},
                ]
            },
            {},
            241,
            ("Long",),
            id="if-undecided-both-too-long",
        ),
        pytest.param(
            {"Fn::Sub": "${Secret} ${Long}"}, {}, 241, ("Secret", "Long"), id="noecho-inside"
        ),
        pytest.param(
            {"Fn::Sub": "${Text}${AWS::StackName}"},
            {"Text": "t" * ROOM},
            ROOM + 1,
            ("Text",),
            id="boundary-230-at-least",
        ),
    ],
)
def test_a_description_certain_to_exceed_256_characters_fails_with_the_path(
    description: Any, parameters: dict[str, str], shortest: int, used: tuple[str, ...]
) -> None:
    with pytest.raises(TransformError) as raised:
        transform(template(description), TransformContext(parameter_values=parameters))
    error = raised.value
    assert error.path == PATH
    assert f"at least {shortest} characters" in str(error)
    assert "256" in str(error)
    label = "parameters" if len(used) > 1 else "parameter"
    assert error.hint.startswith(f"shorten the Description, or the value of {label} ")
    assert f"by at least {shortest - ROOM} characters" in error.hint
    for name in used:
        assert name in error.hint
    never_secret(str(error), error.hint)


# -- may exceed: kept as written, with a warning ---------------------------------------------
@pytest.mark.parametrize(
    ("description", "parameters"),
    [
        pytest.param({"Fn::Sub": "${AWS::StackName} " + "y" * 120}, {}, id="stack-name"),
        pytest.param({"Fn::GetAtt": ["Other", "Arn"]}, {}, id="attribute-of-another-resource"),
        pytest.param({"Ref": "Secret"}, {}, id="noecho"),
        pytest.param(
            {"Fn::If": ["ByStack", {"Ref": "Long"}, "short"]}, {}, id="if-undecided-one-long"
        ),
        pytest.param(
            {"Fn::Sub": "${Text}${AWS::StackName}"},
            {"Text": "t" * (ROOM - 1)},
            id="boundary-229-at-least",
        ),
    ],
)
def test_a_description_that_may_exceed_is_kept_with_a_warning(
    description: Any, parameters: dict[str, str]
) -> None:
    processed = process(template(description), TransformContext(parameter_values=parameters))
    assert stamped(processed)["Fn::Join"][1][0] == description
    [note] = processed.notes
    assert note.path == PATH
    assert "may exceed" in note.message
    never_secret(note.message, note.hint, processed.template["Resources"])


# -- fits: unchanged, no note -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("description", "parameters"),
    [
        pytest.param({"Fn::Sub": "${AWS::StackName} worker"}, {}, id="stack-name-fits"),
        pytest.param({"Fn::If": ["IsProd", "prod", "dev"]}, {}, id="if-short"),
        pytest.param({"Ref": "Stage"}, {}, id="ref-short"),
        pytest.param({"Fn::Sub": "${Text}"}, {"Text": "t" * ROOM}, id="sub-resolves-to-229"),
        pytest.param(
            {"Fn::Sub": "${Text}${AWS::Region}"},
            {"Text": "t" * (ROOM - len("us-east-1"))},
            id="sub-pseudo-resolves-to-229",
        ),
    ],
)
def test_a_description_that_fits_stays_an_intrinsic(
    description: Any, parameters: dict[str, str]
) -> None:
    processed = process(template(description), TransformContext(parameter_values=parameters))
    assert stamped(processed)["Fn::Join"][1][0] == description
    assert processed.notes == ()


@pytest.mark.parametrize("length", [pytest.param(n, id=f"literal-{n}") for n in (0, 1, 228, 229)])
def test_a_literal_description_of_229_characters_or_fewer_is_kept_whole(length: int) -> None:
    processed = process(template("d" * length))
    result = stamped(processed)
    assert result.startswith("d" * length + " (version-alias ")
    assert len(result) == length + 256 - ROOM
    assert processed.notes == ()


# -- dynamic references: never cut, measured at their shortest --------------------------------
REFERENCE = "{{resolve:ssm:/app/description}}"


@pytest.mark.parametrize(
    ("description", "written"),
    [
        pytest.param(
            "d" * 220 + REFERENCE, "d" * 220 + REFERENCE, id="literal-reference-at-the-cut"
        ),
        pytest.param(REFERENCE + "d" * 200, REFERENCE + "d" * 200, id="literal-reference-first"),
        pytest.param(
            {"Fn::Sub": "${Stage} " + "y" * 200 + REFERENCE},
            {"Fn::Sub": "${Stage} " + "y" * 200 + REFERENCE},
            id="sub-resolving-around-a-reference",
        ),
    ],
)
def test_a_dynamic_reference_is_never_cut_and_may_exceed_is_noted(
    description: Any, written: Any
) -> None:
    """CloudFormation replaces `{{resolve:...}}` with a value of unknown length: a cut could
    split it (the deploy fails) or drop it, and its length decides whether 256 is exceeded."""
    processed = process(template(description))
    result = stamped(processed)
    if isinstance(written, str):
        assert result.startswith(written + " (version-alias ")
    else:
        assert result["Fn::Join"][1][0] == written
    [note] = processed.notes
    assert note.path == PATH
    assert "may exceed" in note.message
    again = process(processed.template)
    assert again.template == processed.template


@pytest.mark.parametrize(
    "description",
    [
        pytest.param("d" * 230 + REFERENCE, id="literal-230-besides-the-reference"),
        pytest.param({"Fn::Sub": "${Long}" + REFERENCE}, id="sub-240-besides-the-reference"),
    ],
)
def test_text_besides_a_dynamic_reference_too_long_for_the_stamp_fails(description: Any) -> None:
    with pytest.raises(TransformError) as raised:
        transform(template(description))
    assert raised.value.path == PATH
    assert "at least" in str(raised.value)
