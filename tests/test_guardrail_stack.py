"""The guardrail's own stack (guardrail.yaml) and its Lambda package: valid, least
privilege, a hook on stack operations that calls a published alias, and a package that
runs on the standard library alone."""

from __future__ import annotations

import ast
import copy
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guardrail_requests import ENVIRONMENT, PayloadServer, payload_server, stack_request
from version_alias.cli.support.sam_translate import translate_sam
from version_alias.cli.support.template_io import load_template
from version_alias.invokers.checker import check

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOOK_SOURCE = REPO / "macro" / "version_alias" / "guardrail" / "hook.py"


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    return load_template(str(REPO / "guardrail.yaml"))


@pytest.fixture(scope="module")
def translated(stack: dict[str, Any]) -> dict[str, Any]:
    """SAM's output after `sam package` (which swaps the local CodeUri for an S3 one)."""
    packaged = copy.deepcopy(stack)
    packaged["Resources"]["GuardrailFunction"]["Properties"]["CodeUri"] = "s3://b/g.zip"
    return translate_sam(packaged, {})


def test_cfn_lint_passes_on_guardrail_yaml() -> None:
    done = subprocess.run(
        [str(BIN / "cfn-lint"), "guardrail.yaml"], capture_output=True, text=True, cwd=REPO
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_the_hook_calls_a_published_alias_on_stack_creates_and_updates(
    stack: dict[str, Any], translated: dict[str, Any]
) -> None:
    hook = translated["Resources"]["Hook"]
    assert hook["Type"] == "AWS::CloudFormation::LambdaHook"
    properties = hook["Properties"]
    assert properties["LambdaFunction"] == {"Ref": "GuardrailFunctionAliaslive"}
    assert properties["TargetOperations"] == ["STACK"]
    assert properties["TargetFilters"] == {"Actions": ["CREATE", "UPDATE"]}
    assert properties["FailureMode"] == {"Ref": "FailureMode"}
    assert stack["Parameters"]["FailureMode"]["Default"] == "WARN"
    assert stack["Parameters"]["FailureMode"]["AllowedValues"] == ["WARN", "FAIL"]
    function = stack["Resources"]["GuardrailFunction"]["Properties"]
    assert function["Handler"] == "version_alias.guardrail.hook.lambda_handler"
    assert function["Timeout"] <= 30  # the hook waits 30 seconds for the answer
    assert check(translated) == []  # the guardrail itself invokes no $LATEST


def test_the_guardrail_and_macro_stacks_are_left_out(stack: dict[str, Any]) -> None:
    names = stack["Resources"]["Hook"]["Properties"]["StackFilters"]["StackNames"]
    assert names["Include"] == {"Fn::Split": [",", {"Ref": "IncludeStackNames"}]}
    with_more, without = names["Exclude"]["Fn::If"][1:]
    assert without == [{"Ref": "AWS::StackName"}, {"Ref": "MacroStackName"}]
    joined = with_more["Fn::Split"][1]["Fn::Sub"]
    assert joined == "${AWS::StackName},${MacroStackName},${ExcludeStackNames}"
    variables = stack["Resources"]["GuardrailFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["SKIP_STACKS"] == {"Fn::Sub": "${AWS::StackName},${MacroStackName}"}


def test_the_function_gets_every_setting_the_hook_reads(stack: dict[str, Any]) -> None:
    """The environment guardrail.yaml sets is exactly the one hook.py reads."""
    read = {
        node.args[0].value
        for node in ast.walk(ast.parse(HOOK_SOURCE.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and isinstance(getattr(node.func.value, "id", None), str)
        and node.func.value.id == "environ"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    variables = stack["Resources"]["GuardrailFunction"]["Properties"]["Environment"]["Variables"]
    assert set(variables) == read
    assert variables["OPT_OUT_TAG"] == {
        "Fn::If": ["HasOptOutTag", {"Fn::Sub": "${OptOutTagKey}=${OptOutTagValue}"}, ""]
    }


def _statements(role: dict[str, Any]) -> list[Any]:
    found = []
    for policy in role["Properties"]["Policies"]:
        if "Fn::If" in policy:
            found.append({"Fn::If": policy["Fn::If"][0], "then": policy["Fn::If"][1]})
            continue
        found.extend(policy["PolicyDocument"]["Statement"])
    return found


def test_each_role_may_do_one_job(translated: dict[str, Any]) -> None:
    roles = {
        key: value
        for key, value in translated["Resources"].items()
        if value["Type"] == "AWS::IAM::Role"
    }
    assert sorted(roles) == ["GuardrailRole", "HookExecutionRole"]
    assert all("ManagedPolicyArns" not in role["Properties"] for role in roles.values())
    function_role = roles["GuardrailRole"]
    assert function_role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "lambda.amazonaws.com"
    }
    logs, tags = _statements(function_role)
    assert logs == {
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": {"Fn::GetAtt": ["GuardrailLogGroup", "Arn"]},
    }
    assert tags["Fn::If"] == "HasOptOutTag"
    assert tags["then"]["PolicyDocument"]["Statement"] == [
        {
            "Effect": "Allow",
            "Action": "cloudformation:DescribeStacks",
            "Resource": {
                "Fn::Sub": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:"
                "${AWS::AccountId}:stack/*/*"
            },
        }
    ]
    hook_role = roles["HookExecutionRole"]["Properties"]
    assert hook_role["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Service": "hooks.cloudformation.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ]
    assert _statements(roles["HookExecutionRole"]) == [
        {
            "Effect": "Allow",
            "Action": "lambda:InvokeFunction",
            "Resource": {"Ref": "GuardrailFunctionAliaslive"},
        }
    ]


# The LambdaHook schema's stack name pattern (cfn-lint's copy of the resource schema).
STACK_NAME = "^[a-zA-Z*?][-a-zA-Z0-9*?]*$"


@pytest.mark.parametrize(
    "names",
    [
        pytest.param("*", id="all"),
        pytest.param("prod-*,payments", id="two"),
        pytest.param("team-?-api", id="question-mark"),
        pytest.param("1st-stack", id="starts-with-a-digit"),
        pytest.param("a,", id="trailing-comma"),
        pytest.param("my_stack", id="underscore"),
    ],
)
def test_stack_name_parameters_accept_what_the_hook_resource_accepts(
    stack: dict[str, Any], names: str
) -> None:
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(
        "us-east-1", "AWS::CloudFormation::LambdaHook"
    ).schema
    assert schema["definitions"]["StackName"]["pattern"] == STACK_NAME
    valid = all(re.fullmatch(STACK_NAME, name) for name in names.split(","))
    for parameter in ("IncludeStackNames", "ExcludeStackNames"):
        pattern = stack["Parameters"][parameter]["AllowedPattern"]
        assert (re.fullmatch(pattern, names) is not None) == valid, parameter


@pytest.fixture(scope="module")
def server() -> Iterator[PayloadServer]:
    with payload_server() as running:
        yield running


def build(target: str, artifacts: Path) -> set[str]:
    subprocess.run(
        ["make", "-s", "-C", "macro", target, f"ARTIFACTS_DIR={artifacts}"],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    package = artifacts / "version_alias"
    return {str(path.relative_to(package)) for path in package.rglob("*.py")}


def test_the_macro_package_leaves_the_guardrail_out(tmp_path: Path) -> None:
    files = build("build-MacroFunction", tmp_path)
    assert "handler.py" in files
    assert not [name for name in files if name.startswith(("guardrail/", "cli/", "lint_rules/"))]


def test_the_guardrail_package_answers_on_the_standard_library_alone(
    tmp_path: Path, server: PayloadServer
) -> None:
    """Built as `sam build` builds it, then run with `python -I -S`: no site-packages,
    so any import outside the standard library would fail."""
    files = build("build-GuardrailFunction", tmp_path)
    assert {"guardrail/hook.py", "guardrail/yaml_reader.py", "data/tables.py"} <= files
    assert not [name for name in files if name.startswith(("cli/", "lint_rules/"))]
    template = (
        "Resources:\n  Fn: {Type: AWS::Lambda::Function, Properties: {Runtime: python3.13,"
        " Handler: i.h, Role: r, Code: {ZipFile: x}}}\n  Url: {Type: AWS::Lambda::Url, "
        "Properties: {AuthType: NONE, TargetFunctionArn: !GetAtt Fn.Arn}}\n"
    )
    event = stack_request(server.payload(template))
    code = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "from version_alias.guardrail.hook import handle\n"
        f"answer = handle(json.loads({json.dumps(event)!r}), {ENVIRONMENT!r})\n"
        "print(json.dumps([answer, sorted(name for name in sys.modules if name in "
        "('yaml', 'cfnlint', 'samtranslator', 'boto3', 'botocore'))]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, check=True
    )
    answer, outside = json.loads(done.stdout)
    assert outside == []
    assert (answer["hookStatus"], answer["errorCode"]) == ("FAILED", "NonCompliant")
    assert "- Resources.Url.Properties.Qualifier: no qualifier" in answer["message"]
