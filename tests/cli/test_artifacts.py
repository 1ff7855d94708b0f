"""Previews of projects as they are on disk: local code is hashed by content."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from version_alias.cli.main import main
from version_alias.cli.support.artifacts import ArtifactError, content_digest, localize_artifacts
from version_alias.cli.support.pipeline import render
from version_alias.cli.support.template_io import dump_template, load_template
from version_alias.context import TransformContext

SAM_TEMPLATE = """\
Transform: [AWS::Serverless-2016-10-31, VersionAlias]
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: {code_uri}
      Handler: app.handler
      Runtime: python3.13
"""

CFN_TEMPLATE = """\
Transform: VersionAlias
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Code: {code}
      Handler: app.handler
      Runtime: python3.13
      Role: arn:aws:iam::123456789012:role/fn
"""


def project(tmp_path: Path, code_uri: str = "src/") -> Path:
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "app.py").write_text("def handler(e, c):\n    return 1\n")
    template = tmp_path / "template.yaml"
    template.write_text(SAM_TEMPLATE.format(code_uri=code_uri))
    return template


def version_ids(template_path: Path, **kwargs) -> list[str]:
    rendered = render(
        load_template(str(template_path)), TransformContext(), base=template_path.parent, **kwargs
    )
    resources = rendered.template["Resources"]
    return sorted(
        key for key, value in resources.items() if value["Type"] == "AWS::Lambda::Version"
    )


def test_local_folder_renders_and_is_stable(tmp_path):
    template = project(tmp_path)
    first = version_ids(template)
    assert len(first) == 1
    assert version_ids(template) == first


def test_code_edit_publishes_a_new_version(tmp_path):
    template = project(tmp_path)
    before = version_ids(template)
    (tmp_path / "src" / "app.py").write_text("def handler(e, c):\n    return 2\n")
    assert version_ids(template) != before


def test_new_file_in_code_folder_publishes_a_new_version(tmp_path):
    template = project(tmp_path)
    before = version_ids(template)
    (tmp_path / "src" / "util.py").write_text("X = 1\n")
    assert version_ids(template) != before


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda src: (src / "__pycache__").mkdir(), id="new-pycache-dir"),
        pytest.param(lambda src: (src / "app.cpython-311.pyc").write_bytes(b"x"), id="new-pyc"),
        pytest.param(lambda src: (src / ".aws-sam").mkdir(), id="new-aws-sam-dir"),
        pytest.param(
            lambda src: os.utime(src / "app.py", (time.time() + 60, time.time() + 60)),
            id="touch",
        ),
    ],
)
def test_ignored_changes_keep_the_version(tmp_path, change):
    template = project(tmp_path)
    (tmp_path / "src" / "cache.pyc").write_bytes(b"old")
    before = version_ids(template)
    change(tmp_path / "src")
    (tmp_path / "src" / "cache.pyc").rename(tmp_path / "src" / "renamed.pyc")
    assert version_ids(template) == before


def test_single_file_code(tmp_path):
    (tmp_path / "bundle.zip").write_bytes(b"PK\x03\x04zip")
    template = tmp_path / "template.yaml"
    template.write_text(CFN_TEMPLATE.format(code="bundle.zip"))
    before = version_ids(template)
    (tmp_path / "bundle.zip").write_bytes(b"PK\x03\x04zip2")
    assert version_ids(template) != before


def test_globals_code_uri(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("x = 1\n")
    template = tmp_path / "template.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Globals:\n  Function:\n    CodeUri: src/\n    Runtime: python3.13\n"
        "Resources:\n  A:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Handler: app.handler\n"
    )
    assert len(version_ids(template)) == 1


def test_sam_build_output(tmp_path):
    build = tmp_path / ".aws-sam" / "build"
    (build / "Api").mkdir(parents=True)
    (build / "Api" / "app.py").write_text("def handler(e, c):\n    return 1\n")
    template = build / "template.yaml"
    template.write_text(SAM_TEMPLATE.format(code_uri="Api"))
    before = version_ids(template)
    (build / "Api" / "app.py").write_text("def handler(e, c):\n    return 3\n")
    assert version_ids(template) != before


def test_packaged_s3_uri_is_left_as_is(tmp_path):
    template = tmp_path / "packaged.yaml"
    template.write_text(SAM_TEMPLATE.format(code_uri="s3://bucket/abc123"))
    localized, found = localize_artifacts(load_template(str(template)), tmp_path)
    assert found == []
    rendered = render(localized, TransformContext())
    code = rendered.template["Resources"]["Api"]["Properties"]["Code"]
    assert code == {"S3Bucket": "bucket", "S3Key": "abc123"}


def test_missing_path_names_resource_and_path(tmp_path):
    template = project(tmp_path, code_uri="nope/")
    with pytest.raises(
        ArtifactError, match=r"Resources\.Api\.Properties\.CodeUri: local path 'nope/'"
    ):
        version_ids(template)


@pytest.mark.parametrize("command", ["render", "lint"])
def test_missing_path_cli_exit_code_and_message_name_file_line_and_column(
    tmp_path, capsys, command
):
    """Like every error that points at one place, it starts `file:line:column:` (the
    CodeUri line), so a run over several templates says which one it is."""
    template = project(tmp_path, code_uri="nope/")
    assert main([command, str(template)]) in (1, 2)
    assert (
        f"{template}:6:16: Resources.Api.Properties.CodeUri: local path 'nope/' does not exist"
        in capsys.readouterr().err
    )


def test_allow_missing_artifacts_warns_and_renders(tmp_path, capsys):
    template = project(tmp_path, code_uri="nope/")
    assert main(["render", "--allow-missing-artifacts", str(template)]) == 0
    captured = capsys.readouterr()
    assert "local path 'nope/' does not exist; hashed by its name" in captured.err
    assert "ApiAliaslive" in captured.out


def test_input_is_not_mutated(tmp_path):
    template = load_template(str(project(tmp_path)))
    snapshot = dump_template(template, "json")
    localize_artifacts(template, tmp_path)
    assert dump_template(template, "json") == snapshot


def test_digest_depends_on_relative_paths_not_location(tmp_path):
    for name in ("one", "two"):
        (tmp_path / name / "pkg").mkdir(parents=True)
        (tmp_path / name / "pkg" / "a.py").write_text("a")
    assert content_digest(tmp_path / "one") == content_digest(tmp_path / "two")
    (tmp_path / "two" / "pkg" / "a.py").rename(tmp_path / "two" / "pkg" / "b.py")
    assert content_digest(tmp_path / "one") != content_digest(tmp_path / "two")
