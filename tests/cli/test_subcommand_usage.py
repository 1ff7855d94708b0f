"""A usage error shows the usage of the subcommand it concerns, and every subcommand that
reads a template from stdin says so (`-`) in its help, and does read it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from version_alias.cli.main import main

TEMPLATE = (
    "Transform: VersionAlias\n"
    "Resources:\n"
    "  Fn:\n"
    "    Type: AWS::Lambda::Function\n"
    "    Properties: {Runtime: python3.13, Handler: i.h, Role: arn:aws:iam::123456789012:role/r,"
    " Code: {ZipFile: x}}\n"
)


def usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["render", "--bogus", "t.yaml"], id="render-option-first"),
        pytest.param(["render", "t.yaml", "--bogus"], id="render-option-last"),
        pytest.param(["render", "t.yaml", "extra.yaml"], id="render-second-template"),
        pytest.param(["diff", "a.yaml", "b.yaml", "--bogus"], id="diff"),
        pytest.param(["check", "--bogus", "t.yaml"], id="check"),
        pytest.param(["lint", "--bogus", "t.yaml"], id="lint"),
        pytest.param(["prune", "--function", "f", "--bogus"], id="prune"),
        pytest.param(["render", "--format", "xml", "t.yaml"], id="render-bad-choice"),
    ],
)
def test_a_usage_error_shows_the_subcommands_usage(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    err = usage_error(argv, capsys)
    assert err.startswith(f"usage: version-alias {argv[0]} ")
    assert f"version-alias {argv[0]}: error: " in err


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--bogus", "render", "t.yaml"], id="unknown-before-the-subcommand"),
        pytest.param(["bogus"], id="unknown-subcommand"),
    ],
)
def test_a_usage_error_before_the_subcommand_shows_the_top_level_usage(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    err = usage_error(argv, capsys)
    assert err.startswith("usage: version-alias [-h] [--version] COMMAND")


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        pytest.param(["render", "-"], 0, id="render"),
        pytest.param(["diff", "-", "{path}"], 0, id="diff-old"),
        pytest.param(["diff", "{path}", "-"], 0, id="diff-new"),
        pytest.param(["check", "-"], 0, id="check"),
        pytest.param(["lint", "-"], 0, id="lint"),
    ],
)
def test_each_subcommand_that_reads_stdin_says_so_in_its_help(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    status: int,
) -> None:
    with pytest.raises(SystemExit):
        main([argv[0], "--help"])
    assert "or - for stdin" in " ".join(capsys.readouterr().out.split())
    path = tmp_path / "t.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(TEMPLATE))
    assert main([part.format(path=path) for part in argv]) == status
