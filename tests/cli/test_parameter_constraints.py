"""A parameter value CloudFormation would refuse is a usage error, in every subcommand that
takes parameter values: the message names the parameter and the constraint, never the
value (it may be NoEcho)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from version_alias.cli.main import main
from version_alias.cli.support.parameter_constraints import value_problem

SHARED = Path(__file__).resolve().parents[3] / "shared"
TEMPLATE = """\
Transform: VersionAlias
Parameters:
  Stage: {Type: String, Default: dev, AllowedValues: [dev, prod]}
  Warm: {Type: Number, Default: 0, MinValue: 0, MaxValue: 10}
  Token: {Type: String, NoEcho: true, Default: aaaa, AllowedValues: [aaaa, bbbb]}
  Prefix: {Type: String, Default: ab, AllowedPattern: "[a-z]+", MaxLength: 8,
           ConstraintDescription: lower-case letters only}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Metadata: {VersionAlias: {AliasName: !Ref Stage, ProvisionedConcurrency: !Ref Warm}}
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/r
      Description: !Sub "${Prefix} ${Token}"
      Code: {ZipFile: x}
"""


def declared(**declaration: Any) -> dict[str, Any]:
    return {"Type": "String", **declaration}


@pytest.mark.parametrize(
    ("declaration", "value", "problem"),
    [
        pytest.param(declared(AllowedValues=["dev", "prod"]), "qa",
                     "the value given is not one of its AllowedValues (dev, prod)",
                     id="allowed-values"),
        pytest.param(declared(AllowedValues=["dev", "prod"]), "prod", None,
                     id="allowed-values-ok"),
        pytest.param(declared(AllowedPattern="[a-z]+"), "ab1",
                     "the value given does not match its AllowedPattern [a-z]+",
                     id="allowed-pattern-whole-value"),
        pytest.param(declared(AllowedPattern="[a-z]+"), "abc", None, id="allowed-pattern-ok"),
        pytest.param(declared(AllowedPattern="([a-z"), "x", None,
                     id="pattern-python-cannot-read-is-cfn-lints"),
        pytest.param(declared(MinLength=3), "ab",
                     "the value given is shorter than its MinLength (3)", id="min-length"),
        pytest.param(declared(MaxLength="2"), "abc",
                     "the value given is longer than its MaxLength (2)", id="max-length-as-text"),
        pytest.param(declared(Type="Number"), "abc",
                     "the value given is not a number, as its Type Number requires",
                     id="number-type"),
        pytest.param(declared(Type="Number"), "", "the value given is not a number, as its "
                     "Type Number requires", id="number-empty"),
        pytest.param(declared(Type="Number"), "-2.5e1", None, id="number-float-ok"),
        pytest.param(declared(Type="Number", MinValue=1), "0",
                     "the value given is less than its MinValue (1)", id="min-value"),
        pytest.param(declared(Type="Number", MaxValue="10"), "10.5",
                     "the value given is greater than its MaxValue (10)", id="max-value-as-text"),
        pytest.param(declared(Type="Number", AllowedValues=[1, 2]), "1.0", None,
                     id="number-allowed-values-compare-as-numbers"),
        pytest.param(declared(Type="List<Number>"), "1, 2,x",
                     "item 3 of the value given is not a number, as its Type List<Number> "
                     "requires", id="list-of-numbers"),
        pytest.param(declared(Type="List<Number>", MaxValue=5), "1,6",
                     "item 2 of the value given is greater than its MaxValue (5)",
                     id="list-of-numbers-max-value"),
        pytest.param(declared(Type="CommaDelimitedList", AllowedValues=["a", "b"]), "a, c",
                     "item 2 of the value given is not one of its AllowedValues (a, b)",
                     id="comma-delimited-list-item"),
        pytest.param(declared(Type="CommaDelimitedList", AllowedPattern="[a-z,]+"), "a,b", None,
                     id="comma-delimited-list-whole-value-ok"),
        pytest.param(declared(NoEcho=True, AllowedValues=["s3cret", "0ther"]), "guess",
                     "the value given is not one of its AllowedValues (not shown: NoEcho)",
                     id="noecho-hides-its-allowed-values"),
        pytest.param(declared(AllowedValues=["a"], ConstraintDescription="say a"), "b",
                     "the value given is not one of its AllowedValues (a) (its "
                     "ConstraintDescription: say a)", id="constraint-description"),
        pytest.param(declared(Type="AWS::SSM::Parameter::Value<String>", AllowedValues=["x"]),
                     "/my/param", None, id="ssm-names-a-parameter-not-checked"),
    ],
)  # fmt: skip
def test_value_problem_names_the_constraint_never_the_value(
    declaration: dict[str, Any], value: str, problem: str | None
) -> None:
    assert value_problem(declaration, value) == problem
    if problem is not None and value:
        assert value not in problem


def write(tmp_path: Path) -> str:
    path = tmp_path / "t.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    return str(path)


COMMANDS = [
    pytest.param(["render"], id="render"),
    pytest.param(["check"], id="check"),
    pytest.param(["lint"], id="lint"),
    pytest.param(["diff", "{path}"], id="diff"),
]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("given", "named"),
    [
        pytest.param(["Stage=qa-stage"], "parameter Stage: the value given is not one of its "
                     "AllowedValues (dev, prod), so CloudFormation would refuse it", id="stage"),
        pytest.param(["Warm=abc-warm"], "parameter Warm: the value given is not a number, as "
                     "its Type Number requires", id="number"),
        pytest.param(["Warm=99.5"], "parameter Warm: the value given is greater than its "
                     "MaxValue (10)", id="max-value"),
        pytest.param(["Token=hunter2-token"], "parameter Token: the value given is not one of "
                     "its AllowedValues (not shown: NoEcho)", id="noecho"),
        pytest.param(["Prefix=UPPER-prefix", "Stage=qa-stage"],
                     "CloudFormation would refuse these parameter values:\n"
                     "  Stage: the value given is not one of its AllowedValues (dev, prod)\n"
                     "  Prefix: the value given does not match its AllowedPattern [a-z]+ (its "
                     "ConstraintDescription: lower-case letters only)\n", id="two-at-once"),
    ],
)  # fmt: skip
def test_a_value_cloudformation_would_refuse_is_a_usage_error(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    given: list[str],
    named: str,
) -> None:
    path = write(tmp_path)
    argv = [*(part.format(path=path) for part in command), path]
    for pair in given:
        argv += ["-p", pair]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert named in captured.err
    assert captured.out == ""
    for pair in given:
        assert pair.split("=", 1)[1] not in captured.err


def test_values_within_the_constraints_render(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path)
    argv = ["render", path, "-p", "Stage=prod", "-p", "Warm=3", "-p", "Token=bbbb"]
    assert main([*argv, "-p", "Prefix=xyz"]) == 0
    assert "FnAliasprod" in capsys.readouterr().out


def test_values_from_a_parameter_file_are_checked_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path)
    (tmp_path / "p.json").write_text('{"Parameters": {"Warm": "-1"}}', encoding="utf-8")
    assert main(["render", path, "--parameters", str(tmp_path / "p.json")]) == 2
    assert (
        "parameter Warm: the value given is less than its MinValue (0)" in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("given", "named"),
    [
        pytest.param("Stage=qa", "parameter Stage: the value given is not one of its "
                     "AllowedValues (dev, prod)", id="field-stage-outside-allowed-values"),
        pytest.param("WarmInstances=abc", "parameter WarmInstances: the value given is not a "
                     "number, as its Type Number requires", id="field-number-parameter"),
    ],
)  # fmt: skip
def test_field_case_refuses_values_a_deploy_could_not_pass(
    capsys: pytest.CaptureFixture[str], given: str, named: str
) -> None:
    path = SHARED / "field" / "provisioned-concurrency-if-novalue.yaml"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    assert main(["render", str(path), "-p", given]) == 2
    assert named in capsys.readouterr().err
