"""Every command the README and docs/ show is run, so that none of them is wrong.

Commands are taken from shell and console blocks, GitHub Actions `run:` lines, and inline
code that starts with `version-alias`, `cfn-lint` or `make`. Placeholders (`TEMPLATE`,
`OLD NEW`, `app.yaml`) stand for a sample template; optional parts of a synopsis
(`[--format json]`) are checked against the subcommand's `--help` and left out of the run.
A command that needs AWS, the network or a long build is listed in NOT_RUN with the
reason, so a new command in the docs fails here until it is run or listed.
"""

from __future__ import annotations

import glob
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
SAMPLE = "samples/env-var-rename/cloudformation.yaml"
PLACEHOLDERS = {
    "TEMPLATE": [SAMPLE],
    "TEMPLATE...": [SAMPLE],
    "app.yaml": [SAMPLE],
    "OLD": ["samples/env-var-rename/before/cloudformation.yaml"],
    "NEW": [SAMPLE],
    "NAME": ["my-function"],
    "legacy/*.yaml": sorted(glob.glob("samples/*/cloudformation.yaml", root_dir=REPO)),
}
NOT_RUN = {
    "pip install": "installs from the network",
    "make test": "is this test suite",
    "make deploy": "deploys to AWS (needs credentials)",
    "make deploy-guardrail": "deploys to AWS (needs credentials)",
    "make package-guardrail": "runs sam build (aws-sam-cli)",
    "make package": "runs sam build (aws-sam-cli)",
    "make bench": "a benchmark of minutes; run by hand",
    "make corpus": "runs in CI after make test",
    "make schema-data": "regenerates a checked-in file",
    "make samples-golden": "rewrites checked-in golden files",
    "echo": "shell",
    "aws ": "deploys to AWS (needs credentials)",
    "version-alias diff old.yaml new.yaml": "run with its pair by tests/cli/test_diff.py "
    "(test_docs_show_real_output)",
    "sam ": "needs aws-sam-cli and AWS",
    "make experiment ARGS": "deploys two stacks to AWS and sends them requests (needs "
    "credentials; tests/test_experiment_*.py run it against local stand-ins)",
    "python scripts/experiment.py": "deploys two stacks to AWS (see make experiment)",
}
# Commands that talk to AWS: run without credentials, they must parse and then stop
# with prune's own exit code for an AWS failure.
AWS_COMMANDS = ("version-alias prune",)
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
_INLINE = re.compile(r"`((?:version-alias|cfn-lint|make) [^`\n]+)`")


def documented_commands() -> list[tuple[str, str]]:
    """(doc file, command line) for every command the docs show, without duplicates."""
    found: dict[str, str] = {}
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for lang, body in _FENCE.findall(text):
            for line in body.replace("\\\n", " ").splitlines():
                command = _fenced_command(lang, line)
                if command:
                    found.setdefault(command, doc.name)
        for command in _INLINE.findall(text):
            found.setdefault(command.replace("\\|", "|"), doc.name)
    return sorted((doc, command) for command, doc in found.items())


def _fenced_command(lang: str, line: str) -> str | None:
    line = line.strip()
    if lang == "console":
        return line[2:].strip() if line.startswith("$ ") else None
    if lang in ("sh", "bash", "shell"):
        command = re.sub(r"\s+#.*$", "", line)
        return command if command and not command.startswith("#") else None
    if lang == "yaml":
        found = re.match(r"-?\s*run:\s*(.+)$", line)
        return re.sub(r"\s+#.*$", "", found.group(1)) if found else None
    return None


def runnable(command: str) -> tuple[list[str], list[str]]:
    """(argv to run, optional options to look for in --help) for one documented command."""
    optional = re.findall(r"\[(-[^\]\s]+)", command)
    line = re.sub(r"\s*\[[^\]]*\]", "", command)
    line = line.split(" | ")[0]  # `--function NAME | --stack STACK`: the first one
    argv: list[str] = []
    for word in shlex.split(line):
        argv.extend(PLACEHOLDERS.get(word, [word]))
    return argv, optional


def not_run_reason(command: str) -> str | None:
    return next((why for start, why in NOT_RUN.items() if command.startswith(start)), None)


COMMANDS = [
    pytest.param(command, id=f"{doc}: {command}"[:120]) for doc, command in documented_commands()
]


def test_the_docs_show_commands() -> None:
    assert len(COMMANDS) > 20


def for_macro_name(argv: list[str], tmp_path: Path) -> list[str]:
    """With `--macro-name X`, the sample lists X under Transform, as such a template does."""
    if "--macro-name" not in argv:
        return argv
    name = argv[argv.index("--macro-name") + 1]
    text = (REPO / SAMPLE).read_text(encoding="utf-8")
    copy = tmp_path / "template.yaml"
    copy.write_text(text.replace("Transform: VersionAlias", f"Transform: {name}"))
    return [str(copy) if word == SAMPLE else word for word in argv]


@pytest.mark.parametrize("command", COMMANDS)
def test_documented_command_runs(command: str, tmp_path: Path) -> None:
    if not_run_reason(command):
        pytest.skip(f"not run: {not_run_reason(command)}")
    argv, optional = runnable(command)
    argv = for_macro_name(argv, tmp_path)
    program = argv[0]
    assert program in ("version-alias", "cfn-lint", "make"), f"unknown command: {command}"
    if program == "version-alias" and len(argv) == 2 and not optional:  # a name: `diff`
        argv.append("--help")
    if program != "make":
        argv[0] = str(BIN / program)
    if optional:
        help_text = subprocess.run(
            [*argv[:2], "--help"], capture_output=True, text=True, check=False, cwd=REPO
        ).stdout
        missing = [option for option in optional if option.split("=")[0] not in help_text]
        assert missing == [], f"options the command does not have: {missing}"
    done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=REPO)
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output[-2000:]
    assert "usage:" not in done.stderr, done.stderr
    if command.startswith(AWS_COMMANDS):
        assert done.returncode == 3, output
    elif program == "version-alias" and (argv[1] == "check" or "--exit-code" in argv):
        assert done.returncode in (0, 1) and "error:" not in done.stderr, output
    elif program in ("version-alias", "make"):
        assert done.returncode == 0, output
    else:  # lint and cfn-lint: their findings bits, never a crash
        assert done.returncode < 32, output


def test_every_unrun_command_has_a_reason() -> None:
    for _, command in documented_commands():
        program = command.split()[0]
        assert program in ("version-alias", "cfn-lint", "make") or not_run_reason(command), (
            f"{command!r}: run it in test_documented_command_runs, or give NOT_RUN a reason"
        )


# -- the pre-commit hooks, the pinned rev, the package metadata ----------------------------
HOOK_FILES = [
    pytest.param("template.yaml", True, id="template.yaml"),
    pytest.param("infra/template-api.yml", True, id="template-prefix"),
    pytest.param("stacks/cloudformation.json", True, id="cloudformation.json"),
    pytest.param("sam.yaml", True, id="sam.yaml"),
    pytest.param("samconfig.yaml", False, id="samconfig.yaml"),
    pytest.param("app/samconfig.yml", False, id="samconfig-in-a-folder"),
    pytest.param(".github/workflows/sam-deploy.yml", False, id="github-workflow"),
    pytest.param(".github/workflows/template-check.yaml", False, id="github-workflow-template"),
    pytest.param("template-config.json", False, id="codepipeline-template-config"),
    pytest.param("deploy/template.params.json", False, id="parameter-file"),
    pytest.param(".aws-sam/build/template.yaml", False, id="sam-build-output"),
]


@pytest.mark.parametrize(("path", "matched"), HOOK_FILES)
def test_pre_commit_hooks_match_templates_only(path: str, matched: bool) -> None:
    """pre-commit passes a file when `files` matches and `exclude` does not (re.search)."""
    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert len(hooks) == 2
    for hook in hooks:
        hit = re.search(hook["files"], path) and not re.search(hook.get("exclude", "^$"), path)
        assert bool(hit) is matched, (hook["id"], path)
        assert "--skip-non-templates" in hook["entry"]


def test_docs_pin_a_rev_that_exists() -> None:
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    revs = re.findall(r"^\s*rev:\s*(\S+)", text, re.M)
    assert revs
    for rev in revs:
        known = [
            subprocess.run(
                ["git", "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"],
                cwd=REPO, capture_output=True, check=False,
            ).returncode == 0
            for name in (rev, f"origin/{rev}", f"refs/remotes/origin/{rev}")
        ]  # fmt: skip
        assert any(known), f"docs/ci.md pins rev {rev}, which this repository does not have"


def test_package_license_is_an_spdx_expression() -> None:
    """setuptools deprecates `license = {text = ...}` (PEP 639): an SPDX string instead."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT-0"
    assert project["project"]["license-files"] == ["LICENSE"]
    assert "setuptools>=77" in project["build-system"]["requires"][0]
