"""`version-alias diff`: the sample pairs, exact output, JSON, exit codes and git revisions."""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest

from version_alias.cli.commands.diff_report import Change, diff_values
from version_alias.cli.main import main
from version_alias.versioning.hashing import NO_ECHO
from version_alias.versioning.identity import IDENTITY

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "env-var-rename"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["diff", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "before/cloudformation.yaml",
            "cloudformation.yaml",
            """\
            OrdersFunction: publishes a new version
              version: OrdersFunctionVersion20cc375dd0 -> OrdersFunctionVersiona65771b027
              why:
                Code.ZipFile -> changed
                Environment.Variables.TABLE -> added
                Environment.Variables.TABLE_NAME -> removed
            1 of 1 function(s) publish a new version.
            """,
            id="cloudformation",
        ),
        pytest.param(
            "before/sam.yaml",
            "sam.yaml",
            """\
            OrdersFunction: publishes a new version
              version: OrdersFunctionVersion05690dbc31 -> OrdersFunctionVersion2157b13b0c
              why:
                code changed (local files)
                Environment.Variables.TABLE -> added
                Environment.Variables.TABLE_NAME -> removed
            1 of 1 function(s) publish a new version.
            """,
            id="sam-with-local-code",
        ),
        pytest.param(
            "cloudformation.yaml",
            "cloudformation.yaml",
            """\
            OrdersFunction: no new version
              version: OrdersFunctionVersiona65771b027
            0 of 1 function(s) publish a new version.
            """,
            id="identical",
        ),
    ],
)
def test_env_var_rename_sample_pairs(
    capsys: pytest.CaptureFixture[str], old: str, new: str, expected: str
) -> None:
    code, out, err = run(capsys, str(SAMPLE / old), str(SAMPLE / new))
    assert (code, err) == (0, "")
    assert out == textwrap.dedent(expected)


OLD = """\
Transform: VersionAlias
Parameters:
  Secret: {Type: String, NoEcho: true}
  Cfg: {Type: "AWS::SSM::Parameter::Value<String>", Default: /app/cfg}
Resources:
  MyLayer:
    Type: AWS::Lambda::LayerVersion
    Properties:
      Content: {S3Bucket: b, S3Key: layer/v1.zip}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies: [{PolicyName: a, PolicyDocument: {}}]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code: {S3Bucket: b, S3Key: fn.zip}
      Layers: [!Ref MyLayer]
      Tags: [{Key: team, Value: a}]
      Environment:
        Variables:
          SECRET: !Ref Secret
          CFG: !Ref Cfg
          VPC: !ImportValue net-Vpc
          KEY: "{{resolve:ssm:/k}}"
"""
NEW = (
    OLD.replace("layer/v1.zip", "layer/v2.zip")
    .replace("PolicyName: a", "PolicyName: b")
    .replace("Value: a}", "Value: b}")
    .replace("      Runtime: python3.13\n", "      Runtime: python3.13\n      Futuristic: 1\n")
)


def write_pair(tmp_path: Path) -> tuple[str, str]:
    (tmp_path / "old.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(NEW, encoding="utf-8")
    return str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")


def test_layer_content_ignored_tags_and_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old, new = write_pair(tmp_path)
    code, out, _ = run(capsys, old, new, "--parameter", "Secret=****")
    assert code == 0
    lines = out.splitlines()
    assert lines[:6] == [
        "Fn: publishes a new version",
        "  version: FnVersionf500210e0e -> FnVersionc66dfdfda2",
        "  why:",
        "    Futuristic -> added",
        "    Layers[0] -> changed (MyLayer is replaced: Content.S3Key)",
        "  ignored (function-level): Tags",
    ]
    assert lines[6:] == [
        "  warning: Environment.Variables.CFG: parameter Cfg is an SSM parameter type; a new "
        "value in Parameter Store publishes a new version only if CloudFormation passes the "
        "macro the value rather than the parameter name (a new name always does).",
        "  warning: Environment.Variables.VPC: Fn::ImportValue is resolved by CloudFormation "
        "after the macro; a new exported value alone will not publish a new version.",
        "  warning: Environment.Variables.KEY: dynamic reference {{resolve:...}}; CloudFormation "
        "reads it after the macro, so a new value behind it will not publish a new version "
        "(pin a version in the reference, or use Metadata.VersionAlias.Salt).",
        "  warning: NoEcho parameter Secret is hashed through a salted PBKDF2 derivation; its "
        "value looks masked (****), so a new value will not publish a new version.",
        "  warning: Futuristic is not a known AWS::Lambda::Function property; it counts as "
        "version-locked (data/function_properties.json).",
        "1 of 1 function(s) publish a new version.",
    ]


def test_json_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, new = write_pair(tmp_path)
    code, out, _ = run(capsys, old, new, "--format", "json", "-p", "Secret=s")
    assert code == 0
    document = json.loads(out)
    assert document["publishesNewVersion"] is True
    (function,) = document["functions"]
    assert function["function"] == "Fn"
    assert function["status"] == "new-version"
    assert function["changes"] == [
        {"path": "Futuristic", "change": "added", "note": ""},
        {
            "path": "Layers[0]",
            "change": "changed",
            "note": "MyLayer is replaced: Content.S3Key",
        },
    ]
    assert function["ignored"] == ["Tags"]
    assert len(function["warnings"]) == 5
    assert "s" not in {change["path"] for change in function["changes"]}


def test_secret_value_never_printed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, new = write_pair(tmp_path)
    for fmt in ("text", "json"):
        _, out, err = run(capsys, old, new, "--format", fmt, "-p", "Secret=hunter2-very-secret")
        assert "hunter2-very-secret" not in out + err


@pytest.mark.parametrize(
    ("pair", "flag", "expected"),
    [
        pytest.param(("before/cloudformation.yaml", "cloudformation.yaml"), [], 0, id="default"),
        pytest.param(
            ("before/cloudformation.yaml", "cloudformation.yaml"), ["--exit-code"], 1, id="new"
        ),
        pytest.param(("cloudformation.yaml", "cloudformation.yaml"), ["--exit-code"], 0, id="same"),
    ],
)
def test_exit_codes(
    capsys: pytest.CaptureFixture[str], pair: tuple[str, str], flag: list[str], expected: int
) -> None:
    code, _, _ = run(capsys, str(SAMPLE / pair[0]), str(SAMPLE / pair[1]), *flag)
    assert code == expected


@pytest.mark.parametrize(
    ("old", "message"),
    [
        pytest.param("missing.yaml", "missing.yaml", id="missing-file"),
        pytest.param("NOREV:x.yaml", "git cannot read it", id="bad-revision"),
    ],
)
def test_errors_exit_1_with_a_message(
    capsys: pytest.CaptureFixture[str],
    old: str,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, old, str(SAMPLE / "cloudformation.yaml"))
    assert (code, out) == (1, "")
    assert message in err


def test_both_from_stdin_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "-", "-")[0] == 2


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_old_may_be_a_git_revision_with_its_own_local_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = tmp_path / "app"
    shutil.copytree(SAMPLE / "before", app)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "before")
    shutil.copy(SAMPLE / "sam.yaml", app / "sam.yaml")
    shutil.copy(SAMPLE / "src" / "index.py", app / "src" / "index.py")
    monkeypatch.chdir(app)
    code, out, err = run(capsys, "HEAD:app/sam.yaml", "sam.yaml")
    assert (code, err) == (0, "")
    assert out.splitlines()[:2] == [
        "OrdersFunction: publishes a new version",
        "  version: OrdersFunctionVersion05690dbc31 -> OrdersFunctionVersion2157b13b0c",
    ]
    code, out, _ = run(capsys, "HEAD:./sam.yaml", "sam.yaml")
    assert out.splitlines()[1].endswith("-> OrdersFunctionVersion2157b13b0c")


def ident(name: str, **create_only: Any) -> dict[str, Any]:
    record = {"LogicalId": name, "Type": "AWS::Lambda::LayerVersion", "CreateOnly": create_only}
    return {IDENTITY: record}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param({"A": "1"}, {"A": "1"}, [], id="same"),
        pytest.param(
            {"A": "1"}, {"A": "2"}, [Change("A", "changed", shown=("1", "2"))], id="scalar"
        ),
        pytest.param({"A": {"B": "1"}}, {"A": {}}, [Change("A.B", "removed")], id="removed"),
        pytest.param({"L": ["a"]}, {"L": ["a", "b"]}, [Change("L[1]", "added")], id="appended"),
        pytest.param(
            {"L": ["a", "b"]},
            {"L": ["b", "a"]},
            [
                Change("L[0]", "changed", shown=("a", "b")),
                Change("L[1]", "changed", shown=("b", "a")),
            ],
            id="reordered",
        ),
        pytest.param(
            {"L": [ident("MyLayer", Content="v1")]},
            {"L": [ident("MyLayer", Content="v2")]},
            [Change("L[0]", "changed", "MyLayer is replaced: Content")],
            id="identity-replaced",
        ),
        pytest.param(
            {"L": [ident("A")]},
            {"L": [ident("B")]},
            [Change("L[0]", "changed", "A -> B")],
            id="identity-other-resource",
        ),
        pytest.param(
            {"E": {"Fn::ImportValue": "a"}},
            {"E": {"Fn::ImportValue": "b"}},
            [Change("E", "changed")],
            id="expression-is-a-leaf",
        ),
        pytest.param(
            {"K": {NO_ECHO: {"Parameter": "P", "Derived": "1"}}},
            {"K": {NO_ECHO: {"Parameter": "P", "Derived": "2"}}},
            [Change("K", "changed", "NoEcho parameter P")],
            id="secret",
        ),
    ],
)
def test_diff_values(old: Any, new: Any, expected: list[Change]) -> None:
    assert diff_values(old, new, "") == expected


DOC = REPO / "docs" / "diff-example.md"


def doc_examples() -> list[Any]:
    """(command line, block text) of every `$ version-alias diff` in docs/diff-example.md
    and in the README."""
    examples = []
    for doc in (DOC, REPO / "README.md"):
        for block in doc.read_text(encoding="utf-8").split("```console\n")[1:]:
            body = block.split("```", 1)[0]
            command = body.splitlines()[0]
            if command.startswith("$ version-alias diff"):
                name = f"{doc.name}:{command.split()[-1]}"
                examples.append(pytest.param(command, body, id=name))
    return examples


@pytest.mark.parametrize(("command", "block"), doc_examples())
def test_docs_show_real_output(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    block: str,
) -> None:
    argv = command.removeprefix("$ version-alias ").replace("'", "").split()
    if any(arg.startswith("HEAD:") for arg in argv) and not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    if "old.yaml" in argv:
        write_pair(tmp_path)
        monkeypatch.chdir(tmp_path)
    else:
        monkeypatch.chdir(REPO)
    code = main(argv)
    out = capsys.readouterr().out
    assert out and out in block
    assert code == (1 if "--exit-code" in argv else 0)
