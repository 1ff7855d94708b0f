"""`version-alias render` refuses templates CloudFormation would refuse for their size."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from version_alias.cli import main
from version_alias.cli.commands import size_limits


def write_template(tmp_path: Path, filler_bytes: int) -> Path:
    template = {
        "Transform": "VersionAlias",
        "Resources": {
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Code": {"ZipFile": "x" * filler_bytes}, "Role": "arn:r"},
            }
        },
    }
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("filler", "options", "code", "message"),
    [
        pytest.param(40_000, [], 0, None, id="small"),
        pytest.param(40_000, ["--inline"], 0, None, id="small-inline"),
        pytest.param(
            60_000, ["--inline"], 1, "the template file is 60,", id="inline-file-over-51200"
        ),
        pytest.param(60_000, [], 0, None, id="60k-via-s3"),
        pytest.param(1_100_000, [], 1, "the processed template is 1,10", id="processed-over-1mb"),
        pytest.param(5_000, ["--max-bytes", "4000"], 1, "at most 4,000 bytes", id="max-bytes"),
    ],
)
def test_render_checks_template_size(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    filler: int,
    options: list[str],
    code: int,
    message: str | None,
) -> None:
    path = write_template(tmp_path, filler)
    assert main.main(["render", str(path), "--format", "json", *options]) == code
    captured = capsys.readouterr()
    if message is None:
        assert json.loads(captured.out)["Resources"]["Fn"]
    else:
        assert captured.out == ""
        assert message in captured.err
        assert "Fix: " in captured.err


def test_inline_processed_template_over_51200_bytes() -> None:
    """The macro adds resources: a file just under the limit can come out over it."""
    rendered = {"Resources": {"A": {"Type": "T", "Properties": {"P": "x" * 51_200}}}}
    (problem,) = size_limits.size_problems(rendered, size_limits.INLINE_TEMPLATE_BYTES, 50_000)
    assert problem == (
        "the processed template is 51,254 bytes as compact JSON; CloudFormation accepts at most "
        "51,200 bytes here. Fix: upload the template to S3 and deploy with --s3-bucket "
        "(1 MB limit)."
    )


def test_the_limits_are_cloudformations() -> None:
    assert size_limits.INLINE_TEMPLATE_BYTES == 51_200
    assert size_limits.S3_TEMPLATE_BYTES == 1_048_576
