"""Every error is one line, `file:line:column: what. Fix: how`, and no traceback escapes.

Runs the installed console script, as a user would.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = Path(sys.executable).parent / "version-alias"
FUNCTION = (
    "  Fn:\n"
    "    Type: AWS::Lambda::Function\n"
    "    Properties: {Runtime: python3.13, Handler: i.h, Role: arn:aws:iam::1:role/r,"
    " Code: {ZipFile: x}}\n"
)


def cli(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *argv], capture_output=True, text=True, check=False, cwd=cwd)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            b"Resources:\n\tFn: {}\n",
            "t.yaml:2:1: a tab character. Fix: indent with spaces only; YAML does not allow tabs",
            id="tab",
        ),
        pytest.param(
            b"Resources:\n  Fn:\n    Type: 'AWS::Lambda::Function\n",
            "t.yaml:3:11: a quoted string that is never closed. Fix: add the closing quote",
            id="unclosed-quote",
        ),
        pytest.param(
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
            "t.yaml: a zip archive, not a template. Fix: pass the YAML or JSON template itself",
            id="zip-archive",
        ),
        pytest.param(
            b"\x00\x01\x02binary",
            "t.yaml: a binary file, not a template. Fix: pass the YAML or JSON template itself",
            id="binary",
        ),
        pytest.param(
            b"Description: caf\xe9\nResources: {}\n",
            "t.yaml:1:17: byte 0xe9 is not UTF-8 text. Fix: save the file as UTF-8, as "
            "CloudFormation reads templates",
            id="latin-1",
        ),
        pytest.param(
            "Resources: {}\n".encode("utf-16"),
            "t.yaml:1:1: the file is UTF-16 text. Fix: save it as UTF-8, as CloudFormation "
            "reads templates",
            id="utf-16",
        ),
        pytest.param(
            b"",
            "t.yaml:1:1: the file is empty, no template. Fix: pass the template file (YAML or "
            "JSON with a Resources section)",
            id="empty",
        ),
        pytest.param(
            b"# a template\n\n   # comes here\n",
            "t.yaml:1:1: the file holds only comments, no template. Fix: pass the template "
            "file (YAML or JSON with a Resources section)",
            id="comments-only",
        ),
        pytest.param(
            b'{"Resources": {"A": 1,\n "A": 2}}',
            "t.yaml:2:2: duplicate key 'A'. Fix: remove or rename one of them; CloudFormation "
            "would keep only one",
            id="json-duplicate-key",
        ),
        pytest.param(
            b'{"Resources": {"A": 1}',
            "t.yaml:1:23: not valid JSON: Expecting ',' delimiter. Fix: correct the JSON at "
            "this position",
            id="json-unclosed-brace",
        ),
        pytest.param(
            ("Transform: Versionalias\nResources:\n" + FUNCTION).encode(),
            "t.yaml:1:12: Transform Versionalias cannot be rendered locally (supported: "
            "AWS::Serverless-2016-10-31, AWS::LanguageExtensions, VersionAlias). Fix: did you "
            "mean VersionAlias?",
            id="transform-typo",
        ),
        pytest.param(
            (
                "Transform: [AWS::Serverless-2016-10-31, versionAlias]\nResources:\n" + FUNCTION
            ).encode(),
            "t.yaml:1:41: Transform versionAlias cannot be rendered locally (supported: "
            "AWS::Serverless-2016-10-31, AWS::LanguageExtensions, VersionAlias). Fix: did you "
            "mean VersionAlias?",
            id="transform-typo-in-a-list",
        ),
    ],
)
@pytest.mark.parametrize("command", ["render", "check", "lint"])
def test_a_template_that_cannot_be_read_is_one_line(
    tmp_path: Path, content: bytes, expected: str, command: str
) -> None:
    (tmp_path / "t.yaml").write_bytes(content)
    done = cli(command, "t.yaml", cwd=tmp_path)
    assert done.returncode == (2 if command == "lint" else 1)
    assert done.stderr == f"error: {expected}\n"


@pytest.mark.parametrize(
    ("snippet", "where"),
    [
        pytest.param(
            "  Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/k.yaml}}\n",
            "t.yaml:6:3: Resources.Fn::Transform: Fn::Transform AWS::Include",
            id="in-resources",
        ),
        pytest.param(
            "  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n"
            "      Fn::Transform: {Name: MyMacro}\n",
            "t.yaml:9:7: Resources.Topic.Properties.Fn::Transform: Fn::Transform MyMacro",
            id="as-properties",
        ),
    ],
)
def test_a_resource_level_snippet_transform_says_what_is_supported(
    tmp_path: Path, snippet: str, where: str
) -> None:
    (tmp_path / "t.yaml").write_text("Transform: VersionAlias\nResources:\n" + FUNCTION + snippet)
    done = cli("render", "t.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {where} at resource level")
    assert "supported locally: the template-level Transform" in done.stderr
    assert done.stderr.count("\n") == 1


def test_an_included_api_body_renders_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "Transform: VersionAlias\nResources:\n" + FUNCTION + "  Api:\n"
        "    Type: AWS::ApiGateway::RestApi\n"
        "    Properties:\n"
        "      Body:\n"
        "        Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/api.yaml}}\n"
    )
    done = cli("render", "t.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (
        "warning: Resources.Api.Properties.Body.Fn::Transform: Fn::Transform AWS::Include is "
        "expanded by CloudFormation; the preview does not see what it includes"
    ) in done.stderr


def test_output_into_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("Transform: VersionAlias\nResources:\n" + FUNCTION)
    done = cli("render", "t.yaml", "-o", "missing/out.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        "error: missing/out.yaml: cannot write: folder missing does not exist. Fix: create "
        "it, or write to another path\n"
    )


def test_ctrl_c_exits_130_without_a_traceback() -> None:
    waiting = subprocess.Popen(
        [str(CLI), "render", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # let it reach the read of stdin
    waiting.send_signal(signal.SIGINT)
    _, err = waiting.communicate(timeout=30)
    assert waiting.returncode == 130
    assert "Traceback" not in err


def test_a_closed_output_pipe_exits_141_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("Transform: VersionAlias\nResources:\n" + FUNCTION)
    writer = subprocess.Popen(
        [str(CLI), "render", "t.yaml"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stderr is not None
    writer.stdout.close()  # as `| head -0` does
    err = writer.stderr.read()
    assert writer.wait(timeout=30) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_an_unexpected_error_is_one_line_naming_the_debug_switch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from version_alias.cli import main as entry
    from version_alias.cli.commands import render

    def broken(args: object) -> int:
        raise ValueError("a value from the template")

    monkeypatch.setattr(render, "run", broken)
    monkeypatch.delenv(entry.DEBUG_ENV, raising=False)
    assert entry.main(["render", "t.yaml"]) == 70
    err = capsys.readouterr().err
    assert err == (
        "version-alias: internal error (ValueError); please report it with the command you "
        "ran. VERSION_ALIAS_DEBUG=1 shows the traceback.\n"
    )


@pytest.mark.parametrize(
    ("snippet", "where"),
    [
        pytest.param(
            "  Fn::ForEach::Topics:\n    - Name\n    - [A, B]\n"
            "    - Topic${Name}: {Type: AWS::SNS::Topic}\n",
            "t.yaml:6:3: Resources.Fn::ForEach::Topics",
            id="foreach",
        ),
        pytest.param(
            "  Queue:\n    Type: AWS::SQS::Queue\n"
            "    Properties: {DelaySeconds: {Fn::Length: [a, b]}}\n",
            "t.yaml:8:33: Resources.Queue.Properties.DelaySeconds.Fn::Length",
            id="length",
        ),
    ],
)
def test_language_extensions_features_are_refused_clearly(
    tmp_path: Path, snippet: str, where: str
) -> None:
    """The CLI does not expand them (language_extensions.py says why); the message says
    where they are used and how to preview the processed template instead."""
    (tmp_path / "t.yaml").write_text(
        "Transform: [AWS::LanguageExtensions, VersionAlias]\nResources:\n" + FUNCTION + snippet
    )
    done = cli("render", "t.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {where}: AWS::LanguageExtensions features")
    assert "--template-stage Processed" in done.stderr
    assert done.stderr.count("\n") == 1
