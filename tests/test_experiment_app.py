"""scripts/experiment_app.py: the experiment deploys the repository's own env-var-rename
sample, packaged as a user would (code zip in S3, transforms left to CloudFormation)."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import experiment_app as app  # noqa: E402


@pytest.fixture(scope="module")
def zips() -> dict[str, app.CodeZip]:
    return app.code_zips()


def test_the_rename_changes_the_code_and_the_template_together(zips) -> None:
    before = app.sample_template("before")
    after = app.sample_template("after")
    assert app.environment_names(before) == ["TABLE_NAME"]
    assert app.environment_names(after) == ["TABLE"]
    code = {
        phase: zipfile.ZipFile(io.BytesIO(item.body)).read("index.py").decode()
        for phase, item in zips.items()
    }
    assert 'os.environ["TABLE_NAME"]' in code["before"]
    assert 'os.environ["TABLE"]' in code["after"]
    assert zips["before"].key != zips["after"].key


def test_the_zip_is_the_same_bytes_every_time(zips) -> None:
    again = app.code_zips()
    assert again["after"].body == zips["after"].body
    assert zips["after"].key.startswith("code/") and zips["after"].key.endswith(".zip")
    names = zipfile.ZipFile(io.BytesIO(zips["after"].body)).namelist()
    assert names == ["index.py"]


def test_caches_stay_out_of_the_zip(tmp_path: Path) -> None:
    (tmp_path / "index.py").write_text("x = 1\n")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "index.cpython-313.pyc").write_bytes(b"\0")
    names = zipfile.ZipFile(io.BytesIO(app.zip_folder(tmp_path))).namelist()
    assert names == ["index.py"]


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(app.AppError, match="no files"):
        app.zip_folder(tmp_path)


@pytest.mark.parametrize(
    ("variant", "transform"),
    [
        pytest.param("latest", "AWS::Serverless-2016-10-31", id="sam-only-invokes-latest"),
        pytest.param(
            "alias", ["AWS::Serverless-2016-10-31", "VersionAliasNext"], id="sam-then-the-macro"
        ),
    ],
)
def test_each_variant_lists_its_transforms_and_points_at_s3(zips, variant, transform) -> None:
    template = app.stack_template(
        "before", variant, bucket="my-bucket", code=zips["before"], macro_name="VersionAliasNext"
    )
    assert template["Transform"] == transform
    function = template["Resources"]["OrdersFunction"]
    assert function["Type"] == "AWS::Serverless::Function", "SAM is left to CloudFormation"
    assert function["Properties"]["CodeUri"] == {"Bucket": "my-bucket", "Key": zips["before"].key}
    assert "OrdersFunctionAliaslive" not in template["Resources"], "the macro is not run here"
    assert json.loads(app.template_body(template)) == template


def test_both_variants_deploy_the_same_app(zips) -> None:
    def app_of(variant: str) -> dict:
        template = app.stack_template(
            "after", variant, bucket="b", code=zips["after"], macro_name="VersionAlias"
        )
        template.pop("Transform")
        return template

    assert app_of("latest") == app_of("alias")


def test_an_edited_sample_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sam.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        "  OrdersFunction:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {CodeUri: src/}\n"
    )
    monkeypatch.setitem(app.PHASES, "before", tmp_path)
    with pytest.raises(app.AppError, match="Transform"):
        app.sample_template("before")
