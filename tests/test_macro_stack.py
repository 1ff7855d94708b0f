"""The macro's own stack (template.yaml): versioned, least privilege, parameters, SAR."""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from version_alias.cli.support.sam_translate import translate_sam
from version_alias.cli.support.template_io import load_template
from version_alias.errors import TransformError
from version_alias.template.options import check_alias_name

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    return load_template(str(REPO / "template.yaml"))


@pytest.fixture(scope="module")
def translated(stack: dict[str, Any]) -> dict[str, Any]:
    """SAM's output after `sam package` (which swaps the local CodeUri for an S3 one)."""
    packaged = copy.deepcopy(stack)
    packaged["Resources"]["MacroFunction"]["Properties"]["CodeUri"] = "s3://bucket/macro.zip"
    return translate_sam(packaged, {})


def test_macro_calls_a_published_alias(stack: dict, translated: dict) -> None:
    assert stack["Resources"]["MacroFunction"]["Properties"]["AutoPublishAlias"] == "live"
    resources = translated["Resources"]
    assert resources["Macro"]["Properties"]["FunctionName"] == {"Ref": "MacroFunctionAliaslive"}
    alias = resources["MacroFunctionAliaslive"]["Properties"]
    (version_id,) = [key for key, res in resources.items() if res["Type"] == "AWS::Lambda::Version"]
    assert alias["FunctionVersion"] == {"Fn::GetAtt": [version_id, "Version"]}


def test_role_may_write_its_own_logs_and_nothing_else(translated: dict) -> None:
    roles = {
        key: res for key, res in translated["Resources"].items() if res["Type"] == "AWS::IAM::Role"
    }
    assert list(roles) == ["MacroRole"]
    properties = roles["MacroRole"]["Properties"]
    assert "ManagedPolicyArns" not in properties
    statements = [
        statement
        for policy in properties["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
    ]
    assert statements == [
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::GetAtt": ["MacroLogGroup", "Arn"]},
        }
    ]
    function = translated["Resources"]["MacroFunction"]["Properties"]
    assert function["LoggingConfig"]["LogGroup"] == {"Ref": "MacroLogGroup"}


def test_parameters_reach_the_function(stack: dict) -> None:
    assert set(stack["Parameters"]) == {
        "MacroName",
        "DefaultAliasName",
        "LogRetentionInDays",
        "LogLevel",
    }
    variables = stack["Resources"]["MacroFunction"]["Properties"]["Environment"]["Variables"]
    assert variables == {
        "LOG_LEVEL": {"Ref": "LogLevel"},
        "DEFAULT_ALIAS_NAME": {"Ref": "DefaultAliasName"},
    }
    log_group = stack["Resources"]["MacroLogGroup"]["Properties"]
    assert log_group["RetentionInDays"] == {"Ref": "LogRetentionInDays"}
    assert stack["Resources"]["Macro"]["Properties"]["Name"] == {"Ref": "MacroName"}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("live", id="live"),
        pytest.param("prod-2_x", id="dash-underscore"),
        pytest.param("123", id="digits-only"),
        pytest.param("v1", id="letter-digit"),
        pytest.param("a" * 128, id="128"),
        pytest.param("bad.name", id="dot"),
        pytest.param("$LATEST", id="latest"),
    ],
)
def test_default_alias_pattern_agrees_with_the_core(stack: dict, name: str) -> None:
    """CloudFormation rejects at deploy time exactly the names the macro would reject."""
    parameter = stack["Parameters"]["DefaultAliasName"]
    allowed = (
        re.fullmatch(parameter["AllowedPattern"], name) is not None
        and parameter["MinLength"] <= len(name) <= parameter["MaxLength"]
    )
    try:
        check_alias_name(name, ())
        core = True
    except TransformError:
        core = False
    assert allowed == core


def test_serverless_repo_metadata(stack: dict) -> None:
    sar = stack["Metadata"]["AWS::ServerlessRepo::Application"]
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert sar["SemanticVersion"] == project["version"]
    assert sar["SpdxLicenseId"] == project["license"]
    assert (REPO / sar["LicenseUrl"]).is_file()
    assert sar["ReadmeUrl"] == project["readme"]
