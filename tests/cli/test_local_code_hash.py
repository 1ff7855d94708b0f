"""Local code is hashed as `sam build` ships it, and both sides of a git diff alike.

A version ID must change when code that reaches Lambda changes, and only then: not when
`.git` moves (an empty commit), not when an ignored `node_modules/` or cache changes, and
`diff HEAD:template.yaml template.yaml` on a clean tree must publish nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

CLI = Path(sys.executable).parent / "version-alias"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

TEMPLATE = """\
Transform: [AWS::Serverless-2016-10-31, VersionAlias]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: {code_uri}
      Handler: app.handler
      Runtime: nodejs20.x
"""


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def cli(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *argv], cwd=cwd, capture_output=True, text=True, check=False)


def version_id(cwd: Path) -> str:
    done = cli(cwd, "render", "template.yaml")
    assert done.returncode == 0, done.stderr
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("  FnVersion")]
    return line.strip().rstrip(":")


def repository(tmp_path: Path, code_uri: str = "./") -> Path:
    """A committed project whose code folder is the template's own (`CodeUri: ./`)."""
    (tmp_path / "template.yaml").write_text(TEMPLATE.format(code_uri=code_uri))
    (tmp_path / "app.js").write_text("exports.handler = async () => 1;\n")
    (tmp_path / ".gitignore").write_text("node_modules/\n.env\ndist/\n")
    (tmp_path / "node_modules" / "left-pad").mkdir(parents=True)
    (tmp_path / "node_modules" / "left-pad" / "index.js").write_text("module.exports = 1;\n")
    (tmp_path / ".env").write_text("LOCAL=1\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


@needs_git
def test_an_empty_commit_keeps_the_version_id(tmp_path: Path) -> None:
    project = repository(tmp_path)
    before = version_id(project)
    git(project, "commit", "-q", "--allow-empty", "-m", "nothing")
    assert version_id(project) == before


@needs_git
def test_diff_against_head_on_a_clean_tree_publishes_nothing(tmp_path: Path) -> None:
    project = repository(tmp_path)
    done = cli(project, "diff", "HEAD:template.yaml", "template.yaml")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "Fn: no new version"
    assert done.stdout.endswith("0 of 1 function(s) publish a new version.\n")


@needs_git
@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda p: (p / "node_modules" / "left-pad" / "index.js").write_text("2;\n"),
            id="ignored-node-modules",
        ),
        pytest.param(lambda p: (p / ".env").write_text("LOCAL=2\n"), id="git-ignored-file"),
        pytest.param(lambda p: (p / "dist").mkdir(), id="git-ignored-folder"),
        pytest.param(lambda p: (p / "__pycache__").mkdir(), id="python-cache"),
        pytest.param(lambda p: (p / ".aws-sam" / "build").mkdir(parents=True), id="aws-sam"),
    ],
)
def test_what_a_build_leaves_out_never_publishes(
    tmp_path: Path, change: Callable[[Path], object]
) -> None:
    project = repository(tmp_path)
    change(project)
    (project / "dist" / "bundle.js").parent.mkdir(exist_ok=True)
    (project / "dist" / "bundle.js").write_text("built\n")
    done = cli(project, "diff", "--exit-code", "HEAD:template.yaml", "template.yaml")
    assert done.returncode == 0, done.stdout + done.stderr


@needs_git
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(
            lambda p: (p / "app.js").write_text("exports.handler = async () => 2;\n"),
            "code changed (local files)",
            id="tracked-file-edited",
        ),
        pytest.param(
            lambda p: (p / "helper.js").write_text("module.exports = 2;\n"),
            "code changed (local files)",
            id="new-file-not-yet-added",
        ),
    ],
)
def test_a_code_edit_says_code_changed_local_files(
    tmp_path: Path, change: Callable[[Path], object], reason: str
) -> None:
    project = repository(tmp_path)
    change(project)
    done = cli(project, "diff", "--exit-code", "HEAD:template.yaml", "template.yaml")
    assert done.returncode == 1, done.stderr
    assert f"    {reason}\n" in done.stdout
    assert "S3Key" not in done.stdout


def test_version_control_folders_are_never_hashed(tmp_path: Path) -> None:
    """Outside git too: .git, .hg, .svn of a copied project change nothing."""
    from version_alias.cli.support.artifacts import content_digest

    (tmp_path / "app.js").write_text("x\n")
    before = content_digest(tmp_path)
    for folder in (".git", ".hg", ".svn", "node_modules"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "state").write_text(folder)
    assert content_digest(tmp_path) == before
    (tmp_path / "lib.js").write_text("y\n")
    assert content_digest(tmp_path) != before
