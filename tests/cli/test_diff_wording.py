"""What `diff` says, and that `render` warns about the same things.

Runs the installed console script. Local code edits are in test_local_code_hash.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CLI = Path(sys.executable).parent / "version-alias"

FUNCTION = """\
Transform: VersionAlias
Parameters:
  DbPassword: {{Type: String, NoEcho: true, Default: hunter2}}
  Cfg: {{Type: AWS::SSM::Parameter::Value<String>, Default: /app/cfg}}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: {runtime}
      Handler: index.handler
      MemorySize: {memory}
      Role: arn:aws:iam::123456789012:role/fn
      Code: {{ZipFile: "{code}"}}
      Environment:
        Variables:
          PASSWORD: !Ref DbPassword
          API_TOKEN: {token}
          CFG: !Ref Cfg
          MODE: {mode}
{url}"""
URL = """\
  Url:
    Type: AWS::Lambda::Url
    Properties: {AuthType: NONE, TargetFunctionArn: !GetAtt Fn.Arn}
"""
DEFAULTS = {
    "runtime": "python3.12",
    "memory": "128",
    "code": "x",
    "token": "tok-1",
    "mode": "fast",
    "url": "",
}


def write(tmp_path: Path, name: str, **changes: str) -> str:
    (tmp_path / name).write_text(FUNCTION.format(**{**DEFAULTS, **changes}), encoding="utf-8")
    return str(tmp_path / name)


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *argv], capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("changes", "line"),
    [
        pytest.param({"memory": "512"}, "MemorySize 128 -> 512", id="number"),
        pytest.param({"runtime": "python3.13"}, "Runtime python3.12 -> python3.13", id="text"),
        pytest.param(
            {"mode": "'two words'"},
            'Environment.Variables.MODE fast -> "two words"',
            id="text-with-a-space-is-quoted",
        ),
    ],
)
def test_a_scalar_change_shows_old_and_new(
    tmp_path: Path, changes: dict[str, str], line: str
) -> None:
    done = cli("diff", write(tmp_path, "old.yaml"), write(tmp_path, "new.yaml", **changes))
    assert done.returncode == 0, done.stderr
    assert f"    {line}\n" in done.stdout


@pytest.mark.parametrize(
    ("changes", "argv", "line", "hidden"),
    [
        pytest.param(
            {}, ["--new-param", "DbPassword=swordfish"],
            "Environment.Variables.PASSWORD -> changed (NoEcho parameter DbPassword)",
            ("hunter2", "swordfish"),
            id="noecho-parameter",
        ),
        pytest.param(
            {"token": "tok-2"}, [], "Environment.Variables.API_TOKEN -> changed",
            ("tok-1", "tok-2"),
            id="secret-named-variable",
        ),
        pytest.param(
            {"code": "def handler(e, c): return 2"}, [], "Code.ZipFile -> changed",
            ("return 2",),
            id="inline-code",
        ),
    ],
)  # fmt: skip
def test_a_secret_or_code_is_never_shown(
    tmp_path: Path, changes: dict[str, str], argv: list[str], line: str, hidden: tuple[str, ...]
) -> None:
    old, new = write(tmp_path, "old.yaml"), write(tmp_path, "new.yaml", **changes)
    for fmt in ("text", "json"):
        done = cli("diff", old, new, "--format", fmt, *argv)
        assert done.returncode == 0, done.stderr
        assert not [value for value in hidden if value in done.stdout + done.stderr]
    assert f"    {line}\n" in cli("diff", old, new, *argv).stdout


def test_no_url_warning_when_old_already_targets_the_alias(tmp_path: Path) -> None:
    old = write(tmp_path, "old.yaml", url=URL)
    new = write(tmp_path, "new.yaml", url=URL, memory="512")
    done = cli("diff", old, new)
    assert done.returncode == 0, done.stderr
    assert "function URL" not in done.stdout + done.stderr


def test_url_warning_when_the_deployed_url_still_targets_latest(tmp_path: Path) -> None:
    """OLD deployed without the macro: its URL targets the function, and moves."""
    old = write(tmp_path, "old.yaml", url=URL)
    Path(old).write_text(Path(old).read_text().replace("Transform: VersionAlias\n", ""))
    done = cli("diff", old, write(tmp_path, "new.yaml", url=URL))
    assert "warning: function URL(s) Url now invoke the alias." in done.stdout


def test_render_prints_the_warnings_diff_prints(tmp_path: Path) -> None:
    template = write(tmp_path, "t.yaml")
    diff_warnings = {
        line.strip().removeprefix("warning: ")
        for line in cli("diff", template, template).stdout.splitlines()
        if line.strip().startswith("warning: ")
    }
    render = cli("render", template)
    render_warnings = {line.removeprefix("warning: Fn: ") for line in render.stderr.splitlines()}
    assert any("SSM parameter type" in message for message in diff_warnings)
    assert any("NoEcho parameter DbPassword" in message for message in diff_warnings)
    assert diff_warnings <= render_warnings
