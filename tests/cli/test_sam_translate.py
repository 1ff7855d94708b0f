"""Tests for version_alias.cli.support.sam_translate: offline, deterministic samtranslator runs."""

from __future__ import annotations

import copy
import csv
import json
import os
import re
from pathlib import Path
from typing import Any
from unittest import mock

import boto3
import pytest
from samtranslator.translator.arn_generator import ArnGenerator

from version_alias.cli.support.sam_translate import (
    SAM_TRANSFORM,
    SamTranslateError,
    is_sam_template,
    translate_sam,
)
from version_alias.cli.support.template_io import load_template

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
NOT_S3 = (
    "'CodeUri' is not a valid S3 Uri of the form 's3://bucket/key' "
    "with optional versionId query parameter."
)
# A corpus SAM template that is invalid as published: its functions set neither CodeUri nor
# InlineCode (samtranslator says "Only one of 'InlineCode' or 'CodeUri' can be set.").
INVALID_AS_PUBLISHED = {"serverless-patterns/apigw-lambda-sfn-transcribe-translate-polly-sam.yaml"}


def corpus_rows() -> list[dict[str, str]]:
    if not CORPUS.is_dir():
        return []
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def oracle_of(row: dict[str, str]) -> str | None:
    match = re.search(r"oracle: (sam-translator/output/\S+?\.json)", row["notes"])
    return match.group(1) if match else None


def corpus_params(rows: list[dict[str, str]]) -> list[Any]:
    if not rows:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no corpus at {CORPUS}"))]
    return [pytest.param(row, id=row["file"]) for row in rows]


ROWS = corpus_rows()
ORACLE_ROWS = [row for row in ROWS if row["file"].startswith("sam-translator/") and oracle_of(row)]
SAM_ROWS = [
    row
    for row in ROWS
    if row["kind"] == "sam" and row["file"] != "serverless-patterns/cloudfront-lambda-url-rust.yaml"
]


def sam_function(**properties: Any) -> dict[str, Any]:
    base = {"CodeUri": "s3://bucket/hello.zip", "Handler": "app.handler", "Runtime": "python3.12"}
    return {"Type": "AWS::Serverless::Function", "Properties": {**base, **properties}}


def api_template() -> dict[str, Any]:
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": SAM_TRANSFORM,
        "Parameters": {"AliasName": {"Type": "String", "Default": "live"}},
        "Globals": {"Api": {"Cors": "'*'"}, "Function": {"Timeout": 10}},
        "Resources": {
            "HelloFunction": sam_function(
                AutoPublishAlias={"Ref": "AliasName"},
                Events={
                    "Hello": {"Type": "Api", "Properties": {"Path": "/hello", "Method": "get"}}
                },
            )
        },
    }


def types_by_id(template: dict[str, Any]) -> dict[str, str]:
    return {name: resource["Type"] for name, resource in template["Resources"].items()}


def assert_plain(value: Any) -> None:
    """Exactly builtin types: samtranslator's Py27Dict/Py27UniStr must not leak out."""
    assert type(value) in (dict, list, str, int, float, bool, type(None)), type(value)
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) is str
            assert_plain(item)
    elif isinstance(value, list):
        for item in value:
            assert_plain(item)


# --------------------------------------------------------------------------------------------
# is_sam_template
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ({"Transform": SAM_TRANSFORM, "Resources": {}}, True),
        ({"Transform": ["AWS::LanguageExtensions", SAM_TRANSFORM]}, True),
        ({"Resources": {"F": {"Type": "AWS::Serverless::Function"}}}, True),
        ({"Resources": {"F": {"Type": "AWS::Lambda::Function"}}}, False),
        ({"Transform": "AWS::LanguageExtensions", "Resources": {"F": "junk", "G": {}}}, False),
        ({"Transform": {"Name": "AWS::Include"}, "Resources": []}, False),
        ({}, False),
    ],
)
def test_is_sam_template(template: dict[str, Any], expected: bool) -> None:
    assert is_sam_template(template) is expected


# --------------------------------------------------------------------------------------------
# translate_sam
# --------------------------------------------------------------------------------------------


def test_function_with_alias_and_api_event() -> None:
    out = translate_sam(api_template(), {"AliasName": "prod"})
    types = types_by_id(out)
    hashed = {name for name in types if re.fullmatch(r".+(Version|Deployment)[0-9a-f]{10}", name)}
    (version,) = [name for name in hashed if name.startswith("HelloFunctionVersion")]
    (deployment,) = [name for name in hashed if name.startswith("ServerlessRestApiDeployment")]
    assert types == {
        "HelloFunction": "AWS::Lambda::Function",
        "HelloFunctionRole": "AWS::IAM::Role",
        version: "AWS::Lambda::Version",
        "HelloFunctionAliasprod": "AWS::Lambda::Alias",
        "HelloFunctionHelloPermissionProd": "AWS::Lambda::Permission",
        "ServerlessRestApi": "AWS::ApiGateway::RestApi",
        deployment: "AWS::ApiGateway::Deployment",
        "ServerlessRestApiProdStage": "AWS::ApiGateway::Stage",
    }
    resources = out["Resources"]
    alias = resources["HelloFunctionAliasprod"]["Properties"]
    assert alias["FunctionVersion"] == {"Fn::GetAtt": [version, "Version"]}
    permission = resources["HelloFunctionHelloPermissionProd"]["Properties"]
    assert permission["FunctionName"] == {"Ref": "HelloFunctionAliasprod"}
    role = resources["HelloFunctionRole"]["Properties"]
    assert role["ManagedPolicyArns"] == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    ]
    assert list(out) == ["AWSTemplateFormatVersion", "Parameters", "Resources"]
    assert_plain(out)


def test_parameter_default_is_used_when_no_value_is_given() -> None:
    out = translate_sam(api_template(), {})
    assert "HelloFunctionAliaslive" in out["Resources"]


def test_output_is_deterministic() -> None:
    assert json.dumps(translate_sam(api_template(), {})) == json.dumps(
        translate_sam(api_template(), {})
    )


def test_input_template_and_parameters_are_not_mutated() -> None:
    template = api_template()
    parameters = {"AliasName": "prod"}
    before = copy.deepcopy(template)
    translate_sam(template, parameters)
    assert template == before
    assert json.dumps(template) == json.dumps(before)
    assert_plain(template)
    assert parameters == {"AliasName": "prod"}


def test_region_sets_partition() -> None:
    out = translate_sam(api_template(), {}, region="cn-north-1")
    role = out["Resources"]["HelloFunctionRole"]["Properties"]
    assert role["ManagedPolicyArns"] == [
        "arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    ]


def test_partition_matching_the_region_is_accepted() -> None:
    out = translate_sam(api_template(), {}, region="us-gov-west-1", partition="aws-us-gov")
    role = out["Resources"]["HelloFunctionRole"]["Properties"]
    assert role["ManagedPolicyArns"] == [
        "arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    ]


def test_partition_contradicting_the_region_is_refused() -> None:
    with pytest.raises(ValueError, match="partition 'aws-cn' does not match region 'us-east-1'"):
        translate_sam(api_template(), {}, partition="aws-cn")


def test_pseudo_parameters_are_resolved_where_sam_resolves_parameters() -> None:
    """samtranslator substitutes the pseudo values it is given (here into the code location
    and the alias name), so the account id passed in ends up in the output."""
    code = {"Bucket": {"Fn::Sub": "code-${AWS::AccountId}"}, "Key": "k.zip"}
    function = sam_function(CodeUri=code, AutoPublishAlias={"Ref": "AWS::Region"})
    out = translate_sam(
        {"Resources": {"Fn": function}}, {}, region="eu-west-1", account_id="210987654321"
    )
    assert "FnAliaseuDwestD1" in out["Resources"]
    alias = out["Resources"]["FnAliaseuDwestD1"]["Properties"]
    assert alias["Name"] == "eu-west-1"
    code_out = out["Resources"]["Fn"]["Properties"]["Code"]
    assert code_out == {"S3Bucket": {"Fn::Sub": "code-210987654321"}, "S3Key": "k.zip"}


@pytest.mark.parametrize("saved_region", [None, "eu-west-1"])
def test_global_region_state_is_restored(
    monkeypatch: pytest.MonkeyPatch, saved_region: str | None
) -> None:
    if saved_region is None:
        monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    else:
        monkeypatch.setenv("AWS_DEFAULT_REGION", saved_region)
    session_before = boto3.DEFAULT_SESSION
    arn_region_before = ArnGenerator.BOTO_SESSION_REGION_NAME
    translate_sam(api_template(), {}, region="ap-southeast-2")
    with pytest.raises(SamTranslateError):
        translate_sam({"Resources": {"Fn": sam_function(CodeUri="src/")}}, {})
    assert os.environ.get("AWS_DEFAULT_REGION") == saved_region
    assert boto3.DEFAULT_SESSION is session_before
    assert arn_region_before == ArnGenerator.BOTO_SESSION_REGION_NAME


def test_no_credentials_are_looked_up(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    refuse = mock.Mock(side_effect=AssertionError("credentials were requested"))
    with mock.patch("botocore.session.Session.get_credentials", refuse):
        out = translate_sam(api_template(), {})
    assert "HelloFunctionAliaslive" in out["Resources"]
    refuse.assert_not_called()


def test_sam_transform_is_removed_and_others_are_kept_in_place() -> None:
    template = api_template()
    template["Transform"] = ["AWS::LanguageExtensions", SAM_TRANSFORM]
    out = translate_sam(template, {})
    assert out["Transform"] == ["AWS::LanguageExtensions"]
    assert list(out) == ["AWSTemplateFormatVersion", "Transform", "Parameters", "Resources"]


def test_single_other_transform_stays_a_string() -> None:
    template = {
        "Transform": "AWS::LanguageExtensions",
        "Resources": {"Fn": sam_function()},
    }
    out = translate_sam(template, {})
    assert out["Transform"] == "AWS::LanguageExtensions"
    assert list(out) == ["Transform", "Resources"]


def test_local_code_uri_is_reported_clearly() -> None:
    template = {"Resources": {"HelloFunction": sam_function(CodeUri="hello_world/")}}
    with pytest.raises(SamTranslateError) as caught:
        translate_sam(template, {})
    error = caught.value
    assert error.causes == [f"Resource with id [HelloFunction] is invalid. {NOT_S3}"]
    assert str(error) == (
        "SAM translation failed (1 error(s)):\n"
        f"  - Resource with id [HelloFunction] is invalid. {NOT_S3}\n"
        "Local code paths must be uploaded to S3 before SAM translation (as `sam package` "
        "does): HelloFunction.CodeUri = 'hello_world/'"
    )


def test_local_code_uri_in_globals_is_named() -> None:
    properties = {"Handler": "app.handler", "Runtime": "python3.12"}
    template = {
        "Globals": {"Function": {"CodeUri": "./src"}},
        "Resources": {"A": {"Type": "AWS::Serverless::Function", "Properties": properties}},
    }
    with pytest.raises(SamTranslateError) as caught:
        translate_sam(template, {})
    assert caught.value.causes == [f"Resource with id [A] is invalid. {NOT_S3}"]
    assert caught.value.hint is not None
    assert caught.value.hint.endswith(": Globals.Function.CodeUri = './src'")


def test_every_cause_is_listed() -> None:
    template = {
        "Resources": {
            "One": sam_function(CodeUri="one/"),
            "Two": sam_function(CodeUri="two/"),
            "Fine": sam_function(),
        }
    }
    with pytest.raises(SamTranslateError) as caught:
        translate_sam(template, {})
    assert caught.value.causes == [
        f"Resource with id [One] is invalid. {NOT_S3}",
        f"Resource with id [Two] is invalid. {NOT_S3}",
    ]
    assert caught.value.hint is not None
    assert caught.value.hint.endswith(": One.CodeUri = 'one/', Two.CodeUri = 'two/'")
    assert str(caught.value).startswith("SAM translation failed (2 error(s)):\n  - ")


def test_other_errors_carry_no_code_path_hint() -> None:
    template = {"Resources": {"Fn": sam_function(AutoPublishAlias="123")}}
    with pytest.raises(SamTranslateError) as caught:
        translate_sam(template, {})
    (cause,) = caught.value.causes
    assert cause.startswith("Resource with id [Fn] is invalid. AutoPublishAlias name ('123')")
    assert caught.value.hint is None
    assert str(caught.value) == f"SAM translation failed (1 error(s)):\n  - {cause}"


def test_template_level_error_is_wrapped() -> None:
    with pytest.raises(SamTranslateError) as caught:
        translate_sam({"Resources": "nope"}, {})
    assert len(caught.value.causes) == 1
    assert caught.value.causes[0].startswith("Structure of the SAM template is invalid.")


def test_serverless_repo_application_fails_offline_without_network() -> None:
    location = {"ApplicationId": "arn:aws:serverlessrepo:us-east-1:1:applications/x"}
    location["SemanticVersion"] = "1.0.0"
    template = {
        "Resources": {
            "App": {"Type": "AWS::Serverless::Application", "Properties": {"Location": location}}
        }
    }
    no_client = mock.patch("boto3.client", side_effect=AssertionError("client created"))
    with no_client, pytest.raises(SamTranslateError) as caught:
        translate_sam(template, {})
    (cause,) = caught.value.causes
    assert cause.startswith("Resource with id [App] is invalid. cannot resolve Serverless")
    assert "applications/x 1.0.0 offline" in cause


# --------------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(ORACLE_ROWS))
def test_corpus_matches_sam_oracle(row: dict[str, str]) -> None:
    """Same logical IDs and Types as SAM's own expected output (bodies may drift)."""
    template = load_template(str(CORPUS / row["file"]))
    expected = json.loads((CORPUS / oracle_of(row)).read_text(encoding="utf-8"))
    assert types_by_id(translate_sam(template, {})) == types_by_id(expected)


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_params(SAM_ROWS))
def test_corpus_sam_translates_or_fails_clearly(row: dict[str, str]) -> None:
    template = load_template(str(CORPUS / row["file"]))
    before = copy.deepcopy(template)
    if "local CodeUri" in row["notes"]:
        with pytest.raises(SamTranslateError) as caught:
            translate_sam(template, {})
        assert NOT_S3 in str(caught.value)
        assert caught.value.hint is not None
    elif row["file"] in INVALID_AS_PUBLISHED:
        with pytest.raises(SamTranslateError) as caught:
            translate_sam(template, {})
        assert all(
            cause.endswith("is invalid. Only one of 'InlineCode' or 'CodeUri' can be set.")
            for cause in caught.value.causes
        )
        assert len(caught.value.causes) == 5
    else:
        out = translate_sam(template, {})
        assert_plain(out)
        assert not is_sam_template(out)
        assert SAM_TRANSFORM not in json.dumps(out.get("Transform", []))
    assert template == before
