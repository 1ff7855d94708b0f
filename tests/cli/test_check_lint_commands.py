"""`version-alias check` and `version-alias lint` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from version_alias.cli.main import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lint"
FAIL = str(FIXTURES / "W9350.fail.yaml")
PASS = str(FIXTURES / "W9350.pass.yaml")


def test_check_reports_each_site_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", FAIL]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "Resources.Schedule.Properties.Targets[0].Arn",
        "Resources.SchedulePermission.Properties.FunctionName",
        "Resources.AsyncConfig.Properties.Qualifier",
        "Resources.Mapping.Properties.FunctionName",
    ]
    assert all(line.startswith(f"{FAIL}: ") for line in lines)


def test_check_clean_template_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", PASS]) == 0
    assert capsys.readouterr().out == ""


def test_check_json_and_several_templates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", PASS, FAIL]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {item["template"] for item in report} == {FAIL}
    assert report[2] == {
        "template": FAIL,
        "location": "Resources.AsyncConfig.Properties.Qualifier",
        "message": "the qualifier is $LATEST; use an alias name.",
    }


def test_check_unreadable_template_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tmp_path / "missing.yaml")]) == 1
    assert "missing.yaml" in capsys.readouterr().err


def test_lint_renders_before_linting(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", FAIL]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "does not list VersionAlias in Transform" in captured.err


def test_lint_sees_macro_resources_and_reports_w9350(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        "Transform: VersionAlias\n"
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Lambda::Function\n"
        "    Properties:\n"
        "      Runtime: python3.13\n"
        "      Handler: index.handler\n"
        "      Role: arn:aws:iam::123456789012:role/x\n"
        "      Code: {ZipFile: x}\n"
        "  Rule:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties:\n"
        "      ScheduleExpression: rate(1 hour)\n"
        "      Targets:\n"
        "        - {Id: a, Arn: 'arn:aws:lambda:us-east-1:123456789012:function:other'}\n"
        "        - {Id: b, Arn: !Ref FnAliaslive}\n",
        encoding="utf-8",
    )
    assert main(["lint", str(template)]) == 4  # cfn-lint's warning bit
    out = capsys.readouterr().out
    assert "E1020" not in out
    assert out.startswith(
        "W9350 Resources.Rule.Properties.Targets[0].Arn: a literal Lambda function ARN"
    )
    assert main(["lint", "--ignore-checks", "W9350", "--", str(template)]) == 0


def test_lint_render_failure_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        "Resources:\n"
        "  Fn: {Type: AWS::Lambda::Function, Properties: {Code: {ZipFile: x}}}\n"
        "  Rule:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties: {Targets: [{Id: a, Arn: !GetAtt Gone.Arn}]}\n",
        encoding="utf-8",
    )
    assert main(["lint", str(template)]) == 2  # cfn-lint's error bit, as for its E0000
    assert "references Gone, which is not a resource" in capsys.readouterr().err


def test_check_reads_a_macro_template_from_stdin_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A template that lists VersionAlias is rendered before checking; stdin is read once."""
    import io

    text = (
        "Transform: VersionAlias\n"
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Lambda::Function\n"
        "    Properties: {Runtime: python3.13, Handler: i.h, Role: arn:aws:iam::1:role/r,"
        " Code: {ZipFile: x}}\n"
        "  Rule:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties:\n"
        "      Targets: [{Id: a, Arn: !GetAtt Fn.Arn}]\n"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["check", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no Resources section" not in captured.err
