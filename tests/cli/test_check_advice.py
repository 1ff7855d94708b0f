"""`version-alias check` ends with the fix that fits why each site still runs `$LATEST`.

Adding the macro helps only the functions of a template that does not list it. In a
template that lists it, check judged the macro's output: what remains, the macro left as
written, and `render` says why. A function outside the template needs a qualified ARN of
its alias; an export in use cannot change.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from version_alias.cli.commands.check_advice import EXPORT, EXTERNAL, LEFT, NOT_LISTED, Advice
from version_alias.cli.main import main
from version_alias.invokers.checker import Finding
from version_alias.invokers.problems import EXPORTED, MISSING_ALIAS

SHARED = Path(__file__).resolve().parents[3] / "shared"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lint"
ADD = "add VersionAlias to the Transform"
LEFT_AS_WRITTEN = "were left as written by VersionAlias (the template lists it"
OUTSIDE = "point each at a qualified ARN of that function's alias"
EXPORT_FIX = "export the alias (or its ARN) under a new name"

FUNCTION = (
    "  Fn:\n"
    "    Type: AWS::Lambda::Function\n"
    "    Properties: {Runtime: python3.13, Handler: i.h, Role: arn:aws:iam::123456789012:role/r,"
    " Code: {ZipFile: x}}\n"
)
OTHER_STACKS_FUNCTION = (
    "  Rule:\n"
    "    Type: AWS::Events::Rule\n"
    "    Properties:\n"
    "      ScheduleExpression: rate(1 hour)\n"
    "      Targets: [{Id: a, Arn: 'arn:aws:lambda:us-east-1:123456789012:function:other'}]\n"
)
OWN_FUNCTION = (
    "  Rule:\n"
    "    Type: AWS::Events::Rule\n"
    "    Properties:\n"
    "      ScheduleExpression: rate(1 hour)\n"
    "      Targets: [{Id: a, Arn: !GetAtt Fn.Arn}]\n"
)
LATEST_BESIDE_LIVE = (
    "  OnLatest:\n"
    "    Type: AWS::Lambda::EventInvokeConfig\n"
    "    Properties: {FunctionName: !Ref Fn, Qualifier: $LATEST, MaximumRetryAttempts: 0}\n"
    "  OnLive:\n"
    "    Type: AWS::Lambda::EventInvokeConfig\n"
    "    Properties: {FunctionName: !Ref Fn, Qualifier: live, MaximumRetryAttempts: 1}\n"
)
EXPORT_OUTPUT = "Outputs:\n  Arn: {Value: !GetAtt Fn.Arn, Export: {Name: fn-arn}}\n"
MACRO = "Transform: VersionAlias\n"
SAM_ONLY = "Transform: AWS::Serverless-2016-10-31\n"


def closing(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["check", *argv]) == 1
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        pytest.param(
            MACRO + "Resources:\n" + FUNCTION + LATEST_BESIDE_LIVE,
            [LEFT_AS_WRITTEN, "run `version-alias render t.yaml`"],
            [ADD, OUTSIDE],
            id="macro-listed-left-a-latest-config-beside-the-live-one",
        ),
        pytest.param(
            MACRO + "Resources:\n" + FUNCTION + OTHER_STACKS_FUNCTION,
            ["they name a function outside the template", OUTSIDE],
            [ADD, LEFT_AS_WRITTEN],
            id="macro-listed-another-stacks-function",
        ),
        pytest.param(
            "Resources:\n" + FUNCTION + OTHER_STACKS_FUNCTION,
            [OUTSIDE],
            [ADD, LEFT_AS_WRITTEN],
            id="no-macro-another-stacks-function",
        ),
        pytest.param(
            "Resources:\n" + FUNCTION + OWN_FUNCTION,
            ["are in a template whose Transform does not list VersionAlias", ADD],
            [LEFT_AS_WRITTEN, OUTSIDE, "after AWS::Serverless"],
            id="no-macro-own-function",
        ),
        pytest.param(
            SAM_ONLY + "Resources:\n" + FUNCTION + OWN_FUNCTION,
            [f"{ADD} (after AWS::Serverless-2016-10-31)"],
            [LEFT_AS_WRITTEN],
            id="sam-without-macro-own-function",
        ),
        pytest.param(
            MACRO + "Resources:\n" + FUNCTION + EXPORT_OUTPUT,
            ["an export in use cannot change", EXPORT_FIX],
            [ADD, LEFT_AS_WRITTEN],
            id="macro-listed-unqualified-export",
        ),
        pytest.param(
            "Resources:\n" + FUNCTION + OWN_FUNCTION + OTHER_STACKS_FUNCTION.replace("Rule:", "X:"),
            ["2 invocation site(s) run $LATEST:\n", "  1 are in a template", "  1 name a function"],
            [LEFT_AS_WRITTEN],
            id="no-macro-own-and-another-stacks-function",
        ),
    ],
)  # fmt: skip
def test_check_closing_advice_fits_why_the_sites_remain(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    expected: list[str],
    absent: list[str],
) -> None:
    (tmp_path / "t.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    err = closing(["t.yaml"], capsys)
    assert "Add the macro to the template's Transform, or point them at an alias" not in err
    for part in expected:
        assert part in err
    for part in absent:
        assert part not in err


def test_check_field_case_with_the_macro_listed_points_at_render(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = SHARED / "field" / "event-invoke-config-latest-and-live.yaml"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    err = closing([str(path)], capsys)
    assert err.startswith(f"1 invocation site(s) run $LATEST; they {LEFT_AS_WRITTEN}")
    assert f"run `version-alias render {path}`" in err
    assert ADD not in err


def test_check_corpus_case_separates_own_functions_from_other_stacks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = "serverless-heaven_serverless-aws-alias_test_data_auth-stack-2.json"
    path = SHARED / "corpus" / "framework-compiled" / name
    if not path.is_file():
        pytest.skip(f"{path} not found")
    lines = closing([str(path)], capsys).splitlines()
    assert lines[0] == "7 invocation site(s) run $LATEST:"
    assert lines[1].startswith("  4 are in a template whose Transform does not list VersionAlias")
    assert lines[2].startswith("  3 name a function outside the template") and OUTSIDE in lines[2]


def test_check_of_stdin_names_no_file_to_render(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = MACRO + "Resources:\n" + FUNCTION + LATEST_BESIDE_LIVE
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert "run `version-alias render TEMPLATE`" in closing(["-"], capsys)


def finding(function_id: str | None, kind: str = "latest") -> Finding:
    return Finding("Site", ("FunctionName",), "m", function_id, kind)


@pytest.mark.parametrize(
    ("found", "listed", "reason"),
    [
        pytest.param(finding("Fn"), False, NOT_LISTED, id="own-function-no-macro"),
        pytest.param(finding("Fn"), True, LEFT, id="own-function-macro-listed"),
        pytest.param(finding("Fn", MISSING_ALIAS), True, LEFT, id="missing-alias-macro-listed"),
        pytest.param(finding(None), False, EXTERNAL, id="outside-no-macro"),
        pytest.param(finding(None), True, EXTERNAL, id="outside-macro-listed"),
        pytest.param(finding("Fn", EXPORTED), False, EXPORT, id="export-no-macro"),
        pytest.param(finding("Fn", EXPORTED), True, EXPORT, id="export-macro-listed"),
    ],
)
def test_each_finding_counts_under_the_one_fix_that_helps(
    found: Finding, listed: bool, reason: str
) -> None:
    advice = Advice("VersionAlias")
    advice.add("t.yaml", [found], listed, [])
    assert dict(advice.counts) == {reason: 1}


def test_no_findings_no_advice() -> None:
    advice = Advice("VersionAlias")
    advice.add("t.yaml", [], True, [])
    assert advice.lines() == []


def test_advice_names_the_macro_as_deployed() -> None:
    advice = Advice("MyVersionAlias")
    advice.add("t.yaml", [finding("Fn")], False, [])
    assert "add MyVersionAlias to the Transform" in advice.lines()[0]
