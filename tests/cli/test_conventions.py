"""What CLI users and CI expect: --version, exit codes in --help, cfn-lint's exit bits,
machine-readable failures, and options that never swallow a template.

Runs the installed console script.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

CLI = Path(sys.executable).parent / "version-alias"
FUNCTION = (
    "  Fn:\n"
    "    Type: AWS::Lambda::Function\n"
    "    Properties: {Runtime: python3.13, Handler: i.h, Role: arn:aws:iam::123456789012:role/r,"
    " Code: {ZipFile: x}, MemorySize: %s}\n"
)
LATEST_RULE = (
    "  Rule:\n"
    "    Type: AWS::Events::Rule\n"
    "    Properties:\n"
    "      ScheduleExpression: rate(1 hour)\n"
    "      Targets: [{Id: a, Arn: 'arn:aws:lambda:us-east-1:123456789012:function:other'}]\n"
)


def cli(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *argv], capture_output=True, text=True, check=False, cwd=cwd)


def write(tmp_path: Path, name: str, text: str) -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return name


def test_version_prints_the_installed_version() -> None:
    done = cli("--version")
    assert (done.returncode, done.stdout) == (0, f"version-alias {version('version-alias')}\n")


@pytest.mark.parametrize("command", [[], ["render"], ["diff"], ["check"], ["lint"], ["prune"]])
def test_help_lists_the_exit_codes(command: list[str]) -> None:
    done = cli(*command, "--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert re.search(r"exit codes.*\b0\b", text), text[-400:]


@pytest.mark.parametrize(
    ("body", "argv", "status"),
    [
        pytest.param(FUNCTION % 128, [], 0, id="clean"),
        pytest.param(FUNCTION % 128 + LATEST_RULE, [], 4, id="warning-bit"),
        pytest.param(FUNCTION % "abc", [], 2, id="error-bit"),
        pytest.param(FUNCTION % "abc" + LATEST_RULE, [], 6, id="error-and-warning-bits"),
        pytest.param(
            FUNCTION % 128 + LATEST_RULE, ["--non-zero-exit-code", "error"], 0,
            id="gate-on-errors-only-passes-a-warning",
        ),
        pytest.param(
            FUNCTION % "abc" + LATEST_RULE, ["--non-zero-exit-code", "error"], 2,
            id="gate-on-errors-only-fails-an-error",
        ),
    ],
)  # fmt: skip
def test_lint_exits_like_cfn_lint(tmp_path: Path, body: str, argv: list[str], status: int) -> None:
    name = write(tmp_path, "t.yaml", "Transform: VersionAlias\nResources:\n" + body)
    done = cli("lint", name, *argv, cwd=tmp_path)
    assert done.returncode == status, done.stdout + done.stderr


def test_lint_ignore_checks_does_not_swallow_the_template(tmp_path: Path) -> None:
    name = write(tmp_path, "t.yaml", "Transform: VersionAlias\nResources:\n" + FUNCTION % "abc")
    done = cli("lint", "--ignore-checks", "E3012", "E1", name, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert cli("lint", "--ignore-checks", "W2", name, cwd=tmp_path).returncode == 2
    assert cli("lint", "--ignore-checks", "E3012", cwd=tmp_path).returncode == 2  # no template


def test_check_json_lists_templates_it_could_not_read(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", "Resources:\n" + FUNCTION % 128 + LATEST_RULE)
    bad = write(tmp_path, "bad.yaml", "Resources:\n\tA: 1\n")
    done = cli("check", "--format", "json", good, bad, "missing.yaml", cwd=tmp_path)
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report == [
        {
            "template": "good.yaml",
            "location": "Resources.Rule.Properties.Targets[0].Arn",
            "message": "a literal Lambda function ARN without a qualifier invokes $LATEST.",
        },
        {
            "template": "bad.yaml",
            "error": "bad.yaml:2:1: a tab character. Fix: indent with spaces only; YAML does "
            "not allow tabs",
        },
        {"template": "missing.yaml", "error": "missing.yaml: no such file"},
    ]


def test_check_and_lint_skip_non_templates_when_asked(tmp_path: Path) -> None:
    config = write(tmp_path, "samconfig.yaml", "version: 0.1\ndefault: {}\n")
    template = write(tmp_path, "template.yaml", "Resources:\n" + FUNCTION % 128)
    for command in ("check", "lint"):
        done = cli(command, "--skip-non-templates", config, template, cwd=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "note: samconfig.yaml: skipped: no Resources section" in done.stderr
        assert cli(command, config, cwd=tmp_path).returncode != 0


def test_prune_has_its_own_exit_code_for_aws_failures(tmp_path: Path) -> None:
    """No credentials is an AWS failure (3), not a template problem (1) or usage (2)."""
    import os

    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE=str(tmp_path / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    done = subprocess.run(
        [str(CLI), "prune", "--function", "fn", "--region", "us-east-1", "--yes"],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert done.returncode == 3
    assert "no usable AWS credentials" in done.stderr
    assert "Traceback" not in done.stderr


HEAVY = ("boto3", "botocore", "cfnlint", "samtranslator")
SAM_FUNCTION = (
    "Transform: [AWS::Serverless-2016-10-31, VersionAlias]\nResources:\n  Fn:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties: {InlineCode: x, Handler: i.h, Runtime: python3.13}\n"
)


@pytest.mark.parametrize(
    ("argv", "template", "expected"),
    [
        pytest.param(["render", "t.yaml"], "cfn", set(), id="render-cloudformation"),
        pytest.param(["check", "t.yaml"], "cfn", set(), id="check-cloudformation"),
        pytest.param(["diff", "t.yaml", "t.yaml"], "cfn", set(), id="diff-cloudformation"),
        pytest.param(
            ["render", "t.yaml"], "sam", {"samtranslator", "boto3", "botocore"}, id="render-sam"
        ),
        pytest.param(["lint", "t.yaml"], "cfn", set(HEAVY), id="lint-as-cfn-lint-itself"),
        pytest.param(["prune", "--help"], "cfn", set(), id="prune-help"),
    ],
)
def test_each_subcommand_imports_only_what_it_needs(
    tmp_path: Path, argv: list[str], template: str, expected: set[str]
) -> None:
    text = SAM_FUNCTION if template == "sam" else "Resources:\n" + FUNCTION % 128
    write(tmp_path, "t.yaml", text)
    probe = (
        "import sys\nfrom version_alias.cli.main import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"')))
    assert loaded - expected == set(), done.stderr
    assert expected <= loaded


def _run_on_a_terminal(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pseudo-terminal (stdout a pipe); (code, out, err)."""
    import os
    import pty

    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [str(CLI), *argv], cwd=cwd, stdout=subprocess.PIPE, stderr=terminal, text=True,
            check=False,
        )  # fmt: skip
        os.close(terminal)
        terminal = -1
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the terminal side is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(controller)
        if terminal >= 0:
            os.close(terminal)
    return done.returncode, done.stdout, b"".join(chunks).decode().replace("\r\n", "\n")


@pytest.mark.parametrize("command", ["check", "lint"])
def test_many_templates_show_progress_on_a_terminal_only(tmp_path: Path, command: str) -> None:
    clean = write(tmp_path, "a.yaml", "Transform: VersionAlias\nResources:\n" + FUNCTION % 128)
    latest = write(tmp_path, "b.yaml", "Resources:\n" + FUNCTION % 128 + LATEST_RULE)
    code, out, err = _run_on_a_terminal([command, clean, latest], tmp_path)
    lines = [line for line in err.splitlines() if line.startswith(("[", "2 template"))]
    assert re.fullmatch(r"\[1/2\] a\.yaml: clean \(\d+\.\d s\)", lines[0]), err
    assert re.fullmatch(r"\[2/2\] b\.yaml: 1 (finding|match)\(e?s\) \(\d+\.\d s\)", lines[1]), err
    assert re.fullmatch(
        r"2 template\(s\) in \d+\.\d s: 1 clean, 1 with (findings|matches)", lines[2]
    ), err
    piped = cli(command, clean, latest, cwd=tmp_path)
    assert (piped.returncode, piped.stdout) == (code, out)
    assert "[1/2]" not in piped.stderr and "template(s) in" not in piped.stderr
