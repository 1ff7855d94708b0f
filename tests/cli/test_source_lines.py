"""`version-alias lint` reports lines of the file the user wrote, not of the rendered one."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from version_alias.cli.commands.lint_run import where_in_source as _where
from version_alias.cli.commands.source_lines import load_marked, position
from version_alias.cli.main import main

SOURCE = """\
Transform: VersionAlias
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/x
      Code:
        ZipFile: "def handler(e, c): return 1"
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: abc
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 minute)
      Targets:
        - {Id: a, Arn: 'arn:aws:lambda:us-east-1:123456789012:function:other'}
"""


@pytest.fixture
def source_file(tmp_path: Path) -> Path:
    path = tmp_path / "template.yaml"
    path.write_text(SOURCE, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param(
            ["Resources", "Queue", "Properties", "VisibilityTimeout"],
            (14, 7, True, 4),
            id="property-as-written",
        ),
        pytest.param(
            ["Resources", "Rule", "Properties", "Targets", 0, "Arn"],
            (20, 19, True, 6),
            id="inside-a-list",
        ),
        pytest.param(
            ["Resources", "Fn", "Properties", "Description"],
            (5, 5, False, 3),
            id="stamped-description-nearest-ancestor",
        ),
        pytest.param(
            ["Resources", "FnAliaslive", "Properties", "Name"],
            (2, 1, False, 1),
            id="generated-resource-only-the-section-found",
        ),
        pytest.param(["Outputs", "X"], None, id="section-not-in-source"),
    ],
)
def test_position(source_file: Path, path: list, expected: tuple | None) -> None:
    found = position(load_marked(source_file), path)
    if expected is None:
        assert found is None
    else:
        assert (found.line, found.column, found.exact, len(found.found)) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param(
            ["Resources", "Queue", "Properties", "VisibilityTimeout"], "t.yaml:14:7", id="exact"
        ),
        pytest.param(
            ["Resources", "Fn", "Properties", "Description"],
            "t.yaml:5:5 (generated inside Resources.Fn.Properties; t.yaml (rendered):40:3)",
            id="generated-inside-a-source-resource",
        ),
        pytest.param(
            ["Resources", "FnAliaslive", "Properties"],
            "t.yaml (rendered):40:3",
            id="generated-resource",
        ),
        pytest.param([], "t.yaml (rendered):40:3", id="no-path"),
    ],
)
def test_where(source_file: Path, path: list, expected: str) -> None:
    match = SimpleNamespace(path=path, linenumber=40, columnnumber=3)
    assert _where("t.yaml", match, load_marked(source_file)) == expected


def test_where_without_a_source_gives_the_rendered_line() -> None:
    match = SimpleNamespace(path=["Resources", "Queue"], linenumber=7, columnnumber=1)
    assert _where("-", match, None) == "- (rendered):7:1"


def test_unparseable_source_is_none(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("Resources: [unclosed\n", encoding="utf-8")
    assert load_marked(broken) is None


def test_lint_prints_source_lines(source_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(source_file)]) == 2 | 4  # an error and a warning
    out = capsys.readouterr().out
    assert f"E3012 'abc' is not of type 'integer'\n{source_file}:14:7\n" in out
    assert f"{source_file}:20:19\n" in out  # W9350 on the Rule's literal ARN
    assert "(rendered)" not in out


WIDENED = """\
Resources:
  FnA:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/x
      Code: {ZipFile: x}
      Architectures:
        - 12
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource:
              - !GetAtt FnA.Arn
              - arn:aws:lambda:us-east-1:123456789012:function:other
"""


def test_a_list_the_macro_lengthened_is_not_indexed(tmp_path: Path) -> None:
    """IAM widening inserts `${FnA.Arn}:*` after FnA: rendered index 2 is the `other` ARN,
    source index 2 does not exist and source index 1 is a different item."""
    path = tmp_path / "widened.yaml"
    path.write_text(WIDENED, encoding="utf-8")
    from version_alias import transform
    from version_alias.cli.support.template_io import load_template

    rendered = transform(load_template(str(path)))
    resource = ["Resources", "Policy", "Properties", "PolicyDocument", "Statement", 0]
    statement = rendered["Resources"]["Policy"]["Properties"]["PolicyDocument"]["Statement"][0]
    assert len(statement["Resource"]) == 3  # the twin was inserted
    found = position(load_marked(path), [*resource, "Resource", 1], rendered)
    assert (found.line, found.exact, found.found[-1]) == (18, False, "Resource")


def test_an_unmarked_list_item_takes_its_lists_line(tmp_path: Path) -> None:
    path = tmp_path / "ints.yaml"
    path.write_text(WIDENED, encoding="utf-8")
    found = position(load_marked(path), ["Resources", "FnA", "Properties", "Architectures", 0])
    assert (found.line, found.exact) == (10, True)


def test_where_uses_the_rendered_template_to_skip_lengthened_lists(tmp_path: Path) -> None:
    path = tmp_path / "widened.yaml"
    path.write_text(WIDENED, encoding="utf-8")
    from version_alias import transform
    from version_alias.cli.support.template_io import load_template

    rendered = transform(load_template(str(path)))
    statement = ["Resources", "Policy", "Properties", "PolicyDocument", "Statement", 0]
    match = SimpleNamespace(path=[*statement, "Resource", 2], linenumber=90, columnnumber=9)
    assert _where("w.yaml", match, load_marked(path), rendered) == (
        "w.yaml:18:13 (generated inside Resources.Policy.Properties.PolicyDocument"
        ".Statement[0].Resource; w.yaml (rendered):90:9)"
    )
